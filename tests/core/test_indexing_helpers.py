"""zarr-python's selection helpers in zarrnb (``_iter_grid``, ``_iter_regions``, ``oindex``, ...),
checked against numpy and against zarr-python's own functions as the oracle."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import zarr.core.indexing as zp
from hypothesis import given, settings
from hypothesis import strategies as st

from zarrnb.core.indexing import (
    _iter_grid,
    _iter_regions,
    make_slice_selection,
    normalize_integer_selection,
    oindex,
    oindex_set,
    replace_ellipsis,
)
from zarrnb.errors import ArrayIndexError, BoundsCheckError

FAST = settings(max_examples=60, deadline=None)

shapes = st.lists(st.integers(0, 6), min_size=0, max_size=3).map(tuple)


@FAST
@given(grid=shapes, data=st.data())
def test_iter_grid_matches_zarr_python(grid: tuple[int, ...], data: st.DataObject) -> None:
    origin = tuple(data.draw(st.integers(0, g)) for g in grid)
    extent = tuple(data.draw(st.integers(0, g - o)) for g, o in zip(grid, origin, strict=True))
    assert list(_iter_grid(grid, origin=origin, selection_shape=extent)) == list(
        zp._iter_grid(grid, origin=origin, selection_shape=extent)
    )
    assert list(_iter_grid(grid)) == list(itertools.product(*(range(g) for g in grid)))


def test_iter_grid_refuses_a_box_past_the_grid() -> None:
    with pytest.raises(IndexError, match="axis 0"):
        list(_iter_grid((5,), origin=(0,), selection_shape=(10,)))
    with pytest.raises(ValueError, match="same length"):
        _iter_grid((5, 5), origin=(0,))
    with pytest.raises(NotImplementedError, match="morton"):
        _iter_grid((5,), order="morton")  # type: ignore[arg-type]


@FAST
@given(domain=st.lists(st.integers(1, 12), min_size=1, max_size=3).map(tuple), data=st.data())
def test_iter_regions_matches_zarr_python(domain: tuple[int, ...], data: st.DataObject) -> None:
    region = tuple(data.draw(st.integers(1, d + 2)) for d in domain)
    trim = data.draw(st.booleans())
    ours = list(_iter_regions(domain, region, trim_excess=trim))
    assert ours == list(zp._iter_regions(domain, region, trim_excess=trim))
    if trim:  # the regions tile the domain exactly once
        seen = np.zeros(domain, dtype=int)
        for r in ours:
            seen[r] += 1
        assert (seen == 1).all()


def test_normalize_integer_selection() -> None:
    assert normalize_integer_selection(1, 100) == 1
    assert normalize_integer_selection(-1, 100) == 99
    for bad in (100, 1000, -1000):
        with pytest.raises(BoundsCheckError, match=str(bad)):
            normalize_integer_selection(bad, 100)


@pytest.mark.parametrize(
    ("selection", "shape"),
    [
        (0, (100,)),
        (Ellipsis, (100, 100)),
        ((Ellipsis, 0), (3, 4, 5)),
        ((0, Ellipsis, 1), (3, 4, 5)),
        ((0, 0, Ellipsis), (3, 4)),
        ((slice(None, 5),), (3, 4)),
    ],
)
def test_replace_ellipsis_matches_zarr_python(selection: object, shape: tuple[int, ...]) -> None:
    assert replace_ellipsis(selection, shape) == zp.replace_ellipsis(selection, shape)


def test_replace_ellipsis_errors() -> None:
    with pytest.raises(IndexError, match="single ellipsis"):
        replace_ellipsis((Ellipsis, Ellipsis), (3, 3))
    with pytest.raises(IndexError, match="too many indices"):
        replace_ellipsis((0, 0, 0), (3, 3))


@pytest.mark.parametrize(
    "selection",
    [(0, slice(None), [0, 2]), ([1, 0], slice(1, 3)), (Ellipsis, [True, False, True, False]), 1],
)
def test_oindex_and_oindex_set(selection: object) -> None:
    a = np.arange(3 * 3 * 4).reshape(3, 3, 4)
    expected = zp.oindex(a, selection)
    np.testing.assert_array_equal(oindex(a, selection), expected)
    ours, theirs = a.copy(), a.copy()
    value = -np.arange(expected.size).reshape(expected.shape)
    oindex_set(ours, selection, value)
    zp.oindex_set(theirs, selection, value)
    np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(oindex(ours, selection), value)


def test_make_slice_selection() -> None:
    expected = [slice(1, 2, 1), slice(4, 5, 1), slice(2, 5)]
    assert make_slice_selection((1, np.array([4]), slice(2, 5))) == expected
    with pytest.raises(ArrayIndexError, match="2 elements"):
        make_slice_selection((np.array([1, 2]),))


def test_block_slices_past_the_grid_are_out_of_bounds() -> None:
    from zarrnb.core.indexing import BlockIndexer

    # 10 blocks of 10 along axis 0: a block slice starting at block 15 (or -11) selects nothing real
    for bad in (slice(15, 20), slice(-11, None), slice(10, None)):
        with pytest.raises(BoundsCheckError, match="axis 0"):
            BlockIndexer((bad, slice(None)), (100, 10), (10, 10))
    assert BlockIndexer((slice(8, 20), slice(None)), (100, 10), (10, 10)).shape == (20, 10)


def test_a_one_item_tuple_holding_a_mask_is_a_mask_selection() -> None:
    from zarrnb.core.indexing import is_pure_fancy_indexing

    mask = np.ones((3, 4), dtype=bool)
    assert is_pure_fancy_indexing((mask,), 2)
    assert not is_pure_fancy_indexing((mask[0],), 2)


def test_zarr_arrays_index_like_numpy_arrays() -> None:
    import zarrnb

    data = np.arange(20).reshape(10, 2)
    a = zarrnb.array(data, chunks=(3, 2))
    mask = np.arange(10) % 3 == 0
    points = np.array([7, 1, 1, 9])
    zmask, zpoints = zarrnb.array(mask, chunks=4), zarrnb.array(points, chunks=3)
    np.testing.assert_array_equal(a[zmask], data[mask])
    np.testing.assert_array_equal(a.oindex[zpoints, 1], data[points, 1])
    np.testing.assert_array_equal(a.vindex[zarrnb.array(data % 4 == 0)], data[data % 4 == 0])
    a[zpoints] = -1
    assert (a[points] == -1).all()
    with pytest.raises(IndexError, match="integer or boolean"):
        a[zarrnb.array(np.array([0.5, 1.5]))]
