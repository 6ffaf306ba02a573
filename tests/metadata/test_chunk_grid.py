"""``chunks='auto'`` matches zarr-python's guess for any shape and item size; explicit chunk forms."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from zarr.core.chunk_grids import _guess_chunks

from zarrnb.metadata.chunk_grid import guess_chunks, guess_shards, normalize_chunks


def test_reference_example() -> None:
    assert guess_chunks((10000, 10000), 4) == (625, 625)


@settings(max_examples=50, deadline=None)
@given(
    shape=st.lists(st.integers(0, 10**6), min_size=1, max_size=4).map(tuple),
    itemsize=st.sampled_from([1, 2, 4, 8, 16]),
)
def test_guess_matches_zarr_python(shape: tuple[int, ...], itemsize: int) -> None:
    assert guess_chunks(shape, itemsize) == _guess_chunks(shape, itemsize)
    assert guess_chunks(shape, itemsize, max_bytes=2**20) == _guess_chunks(shape, itemsize, max_bytes=2**20)


@pytest.mark.parametrize(
    ("chunks", "shape", "expected"),
    [
        (5, (10, 20), (5, 5)),
        ((5, -1), (10, 20), (5, 20)),
        ((5, None), (10, 20), (5, 20)),
        ((3,), (10, 20), (3, 20)),
        ([4, 4], (2, 2), (4, 4)),
        ((), (), ()),
        (-1, (0, 3), (1, 3)),
        (True, (10,), (10,)),
        (None, (10,), (10,)),
        (False, (10, 0), (10, 1)),
        (((4, 4, 2), (3,)), (10, 3), (4, 3)),
    ],
)
def test_normalize_chunks(chunks, shape, expected) -> None:
    assert normalize_chunks(chunks, shape, 4) == expected


@pytest.mark.parametrize("chunks", [(0, 2), (1, 2, 3), "big"])
def test_invalid_chunks_raise(chunks) -> None:
    with pytest.raises(ValueError, match="chunks"):
        normalize_chunks(chunks, (4, 4), 4)


@pytest.mark.parametrize("chunks", [(1.5, 2), (True, 2)])
def test_non_integer_chunks_are_a_type_error(chunks) -> None:
    with pytest.raises(TypeError, match="non-integer"):
        normalize_chunks(chunks, (4, 4), 4)


@pytest.mark.parametrize("chunks", [((1, 2, 3),), ((4, 4), (2, 3))])
def test_irregular_dask_chunks_name_the_axis(chunks) -> None:
    with pytest.raises(ValueError, match="Irregular chunk sizes in dimension"):
        normalize_chunks(chunks, (6, 5), 4)


def test_guess_shards_doubles_axes_holding_many_chunks() -> None:
    assert guess_shards((1000, 10), (10, 10)) == (20, 10)
