"""Indexers against numpy as the oracle: projections reassemble exactly what numpy selects."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zarrnb.core.indexing import (
    BasicIndexer,
    BlockIndexer,
    CoordinateIndexer,
    MaskIndexer,
    OrthogonalIndexer,
    is_pure_fancy_indexing,
    is_pure_orthogonal_indexing,
)
from zarrnb.errors import BoundsCheckError

FAST = settings(max_examples=40, deadline=None)


def stored_chunk(data: np.ndarray, chunks: tuple[int, ...], coords: tuple[int, ...]) -> np.ndarray:
    """A chunk as stored: full chunk shape, edge chunks padded with a sentinel."""
    region = data[tuple(slice(c * n, (c + 1) * n) for c, n in zip(coords, chunks, strict=True))]
    chunk = np.full(chunks, -1, dtype=data.dtype)
    chunk[tuple(slice(0, s) for s in region.shape)] = region
    return chunk


def read(data: np.ndarray, chunks: tuple[int, ...], indexer) -> np.ndarray:
    """Assemble a selection the way the engine does: chunk by chunk through the projections."""
    out = np.full(indexer.out_shape, -2, dtype=data.dtype)
    seen = set()
    for p in indexer:
        assert p.chunk_coords not in seen, "a chunk is projected twice"
        seen.add(p.chunk_coords)
        chunk = stored_chunk(data, chunks, p.chunk_coords)
        if p.is_exact:
            assert out[p.out_selection].shape == chunk.shape
        out[p.out_selection] = chunk[p.chunk_selection]
    assert indexer.nchunks == len(seen)
    return out.reshape(indexer.shape)


def write(data: np.ndarray, chunks: tuple[int, ...], indexer, value: np.ndarray) -> None:
    """Scatter ``value`` chunk by chunk; complete chunks must not need the old contents."""
    value = np.broadcast_to(value, indexer.shape).reshape(indexer.out_shape)
    for p in indexer:
        chunk = (
            np.full(chunks, -3, data.dtype)
            if p.is_complete_chunk
            else stored_chunk(data, chunks, p.chunk_coords)
        )
        chunk[p.chunk_selection] = value[p.out_selection]
        region = tuple(slice(c * n, (c + 1) * n) for c, n in zip(p.chunk_coords, chunks, strict=True))
        target = data[region]
        target[...] = chunk[tuple(slice(0, s) for s in target.shape)]


@st.composite
def arrays_and_chunks(draw, max_ndim: int = 3):
    ndim = draw(st.integers(1, max_ndim))
    shape = tuple(draw(st.lists(st.integers(0, 12), min_size=ndim, max_size=ndim)))
    chunks = tuple(draw(st.integers(1, max(1, s + 2))) for s in shape)
    data = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)
    return data, chunks


def indices(dim_len: int):
    return st.integers(-dim_len, dim_len - 1) if dim_len else st.nothing()


def slices(dim_len: int):
    bound = st.one_of(st.none(), st.integers(-dim_len - 3, dim_len + 3))
    return st.builds(slice, bound, bound, st.one_of(st.none(), st.integers(1, 5)))


@st.composite
def basic_selections(draw, shape):
    items = []
    for dim_len in shape:
        if dim_len and draw(st.booleans()):
            items.append(draw(st.integers(-dim_len, dim_len - 1)))
        else:
            items.append(draw(slices(dim_len)))
    if items and draw(st.booleans()):
        cut = draw(st.integers(0, len(items)))
        items = [*items[:cut], Ellipsis, *items[cut + draw(st.integers(0, len(items) - cut)) :]]
    return tuple(items)


@FAST
@given(st.data())
def test_basic_matches_numpy(data) -> None:
    array, chunks = data.draw(arrays_and_chunks())
    selection = data.draw(basic_selections(array.shape))
    expected = array[selection]
    got = read(array, chunks, BasicIndexer(selection, array.shape, chunks))
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


@FAST
@given(st.data())
def test_basic_write_matches_numpy(data) -> None:
    array, chunks = data.draw(arrays_and_chunks())
    selection = data.draw(basic_selections(array.shape))
    expected = array.copy()
    value = -np.arange(expected[selection].size).reshape(expected[selection].shape) - 10
    expected[selection] = value
    write(array, chunks, BasicIndexer(selection, array.shape, chunks), value)
    np.testing.assert_array_equal(array, expected)


@st.composite
def orthogonal_selections(draw, shape):
    items = []
    for dim_len in shape:
        kind = draw(st.sampled_from(["int", "slice", "ints", "bools"] if dim_len else ["slice", "ints"]))
        if kind == "int":
            items.append(draw(st.integers(-dim_len, dim_len - 1)))
        elif kind == "slice":
            items.append(draw(slices(dim_len)))
        elif kind == "ints":
            items.append(
                np.array(draw(st.lists(indices(dim_len), max_size=8 * bool(dim_len))), dtype=np.int64)
            )
        else:
            items.append(np.array(draw(st.lists(st.booleans(), min_size=dim_len, max_size=dim_len))))
    return tuple(items)


def numpy_ix(selection: tuple, shape: tuple[int, ...]) -> tuple:
    """The same orthogonal selection for numpy: ``np.ix_`` over per-axis index lists."""
    per_axis = []
    for item, dim_len in zip(selection, shape, strict=True):
        positions = np.arange(dim_len)
        is_int_array = isinstance(item, np.ndarray) and item.dtype != bool
        per_axis.append(positions[item] if is_int_array else np.atleast_1d(positions[item]))
    return np.ix_(*per_axis)


def user_shape(selection: tuple, shape: tuple[int, ...]) -> tuple[int, ...]:
    """Integers drop their axis."""
    return tuple(n for item, n in zip(selection, shape, strict=True) if not isinstance(item, int))


@FAST
@given(st.data())
def test_orthogonal_matches_numpy(data) -> None:
    array, chunks = data.draw(arrays_and_chunks())
    selection = data.draw(orthogonal_selections(array.shape))
    expected = array[numpy_ix(selection, array.shape)]
    got = read(array, chunks, OrthogonalIndexer(selection, array.shape, chunks))
    np.testing.assert_array_equal(got.reshape(expected.shape), expected)
    assert got.shape == user_shape(selection, expected.shape)


@FAST
@given(st.data())
def test_orthogonal_write_matches_numpy(data) -> None:
    array, chunks = data.draw(arrays_and_chunks())
    # repeated indices have no defined winner, so writes use each index once
    selection = tuple(
        np.unique(item % dim_len) if isinstance(item, np.ndarray) and item.dtype != bool and dim_len else item
        for item, dim_len in zip(data.draw(orthogonal_selections(array.shape)), array.shape, strict=True)
    )
    expected = array.copy()
    index = numpy_ix(selection, array.shape)
    value = -np.arange(expected[index].size).reshape(expected[index].shape) - 10
    expected[index] = value
    indexer = OrthogonalIndexer(selection, array.shape, chunks)
    write(array, chunks, indexer, value.reshape(indexer.shape))
    np.testing.assert_array_equal(array, expected)


@FAST
@given(st.data())
def test_coordinate_matches_numpy(data) -> None:
    array, chunks = data.draw(arrays_and_chunks())
    n = data.draw(st.integers(0, 10))
    if 0 in array.shape:
        n = 0
    coords = tuple(
        np.array(data.draw(st.lists(indices(d), min_size=n, max_size=n)), dtype=np.int64) for d in array.shape
    )
    expected = array[coords]
    got = read(array, chunks, CoordinateIndexer(coords, array.shape, chunks))
    np.testing.assert_array_equal(got, expected)


def test_coordinate_broadcasts_and_keeps_shape() -> None:
    array = np.arange(17 * 13).reshape(17, 13)
    selection = (np.array([[1, 2], [16, 0]]), 3)
    got = read(array, (4, 5), CoordinateIndexer(selection, array.shape, (4, 5)))
    np.testing.assert_array_equal(got, array[selection])


@FAST
@given(st.data())
def test_mask_matches_numpy(data) -> None:
    array, chunks = data.draw(arrays_and_chunks())
    flat = data.draw(st.lists(st.booleans(), min_size=array.size, max_size=array.size))
    mask = np.array(flat, dtype=bool).reshape(array.shape)
    got = read(array, chunks, MaskIndexer(mask, array.shape, chunks))
    np.testing.assert_array_equal(got, array[mask])


@FAST
@given(st.data())
def test_block_matches_element_slices(data) -> None:
    array, chunks = data.draw(arrays_and_chunks())
    selection, expected_sel = [], []
    for dim_len, n in zip(array.shape, chunks, strict=True):
        nblocks = -(-dim_len // n)
        if nblocks and data.draw(st.booleans()):
            block = data.draw(st.integers(-nblocks, nblocks - 1))
            selection.append(block)
            block %= nblocks
            expected_sel.append(slice(block * n, (block + 1) * n))
        else:
            # a slice may not start past the last block (zarr-python's BoundsCheckError)
            start = data.draw(st.integers(0, max(nblocks - 1, 0)))
            stop = data.draw(st.integers(0, nblocks + 1))
            selection.append(slice(start, stop))
            expected_sel.append(slice(start * n, max(start, stop) * n))
    got = read(array, chunks, BlockIndexer(tuple(selection), array.shape, chunks))
    np.testing.assert_array_equal(got, array[tuple(expected_sel)])


def test_integers_drop_axes_but_buffer_keeps_them() -> None:
    indexer = BasicIndexer((3, slice(None)), (10, 4), (3, 2))
    assert indexer.shape == (4,)
    assert indexer.out_shape == (1, 4)


def test_whole_chunks_are_exact_and_edges_complete_only() -> None:
    projections = list(BasicIndexer(slice(None), (10,), (4,)))
    assert [(p.is_complete_chunk, p.is_exact) for p in projections] == [(True, True)] * 2 + [(True, False)]


def test_unsorted_indices_keep_caller_order() -> None:
    array = np.arange(20)
    got = read(array, (3,), OrthogonalIndexer(np.array([19, 0, 5, 5, 1]), (20,), (3,)))
    np.testing.assert_array_equal(got, [19, 0, 5, 5, 1])


@pytest.mark.parametrize(
    ("indexer", "selection"),
    [
        (BasicIndexer, (10,)),
        (BasicIndexer, (-11,)),
        (OrthogonalIndexer, (np.array([1, 10]),)),
        (CoordinateIndexer, (np.array([3, -12]),)),
    ],
)
def test_out_of_bounds_names_the_index(indexer, selection) -> None:
    with pytest.raises(BoundsCheckError, match=r"index -?1[0-2] is out of bounds for axis 0 with size 10"):
        indexer(selection, (10,), (3,))


def test_block_out_of_bounds() -> None:
    with pytest.raises(BoundsCheckError, match="index 4 is out of bounds"):
        BlockIndexer(4, (10,), (3,))


@pytest.mark.parametrize(
    ("selection", "error", "message"),
    [
        (slice(None, None, -1), IndexError, "step >= 1"),
        (slice(0, 3, 0), ValueError, "cannot be zero"),
        (1.5, IndexError, "expected integer or slice"),
        ((1, 2), IndexError, "too many indices for array; expected 1, got 2"),
        ((Ellipsis, Ellipsis), IndexError, "single ellipsis"),
    ],
)
def test_bad_basic_selections(selection, error, message) -> None:
    with pytest.raises(error, match=message):
        BasicIndexer(selection, (10,), (3,))


def test_bad_block_and_mask_selections() -> None:
    with pytest.raises(IndexError, match="step=1"):
        BlockIndexer(slice(None, None, 2), (10,), (3,))
    with pytest.raises(IndexError, match="shape"):
        MaskIndexer(np.ones(9, dtype=bool), (10,), (3,))
    with pytest.raises(IndexError, match="shape"):
        OrthogonalIndexer(np.ones(9, dtype=bool), (10,), (3,))
    with pytest.raises(IndexError, match="broadcast"):
        CoordinateIndexer((np.arange(2), np.arange(3)), (10, 10), (3, 3))


def test_dispatch_predicates_match_zarr_python() -> None:
    from zarr.core.indexing import is_pure_fancy_indexing as ref_fancy
    from zarr.core.indexing import is_pure_orthogonal_indexing as ref_orthogonal

    cases = [
        (([1, 2], [3, 4]), 2),
        (([1, 2], slice(None)), 2),
        ((1, [3, 4]), 2),
        ((1, 2), 2),
        ([1, 2], 1),
        (np.ones((2, 2), dtype=bool), 2),
        (([True, False], slice(None)), 2),
        ((slice(None), np.array([0, 1])), 2),
        (([1], [2], 3), 3),
        (5, 1),
    ]
    for selection, ndim in cases:
        assert is_pure_fancy_indexing(selection, ndim) == ref_fancy(selection, ndim), selection
        if not ref_fancy(selection, ndim) and ref_orthogonal(selection, ndim):
            # zarr-python also calls pure int/slice selections orthogonal; both paths give the same result
            items = selection if isinstance(selection, tuple) else (selection,)
            assert is_pure_orthogonal_indexing(selection, ndim) or all(
                isinstance(s, int | slice) for s in items
            ), selection
