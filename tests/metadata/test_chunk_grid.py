"""``chunks='auto'`` matches zarr-python's guess for any shape and item size; explicit chunk forms."""

from __future__ import annotations

import warnings

import pytest
import zarr
from hypothesis import given, settings
from hypothesis import strategies as st
from zarr.core.chunk_grids import RegularChunkGrid as TheirGrid
from zarr.core.chunk_grids import _auto_partition as their_auto_partition
from zarr.core.chunk_grids import _guess_chunks
from zarr.core.chunk_grids import normalize_chunks as their_normalize_chunks

import zarrnb
import zarrnb.config
from zarrnb.errors import ZarrUserWarning
from zarrnb.metadata.chunk_grid import (
    RegularChunkGrid,
    _auto_partition,
    chunk_count,
    guess_chunks,
    guess_shards,
    normalize_chunks,
)


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
        (-1, (0, 3), (0, 3)),
        ((0, 3), (0, 3), (0, 3)),
        (0, (0, 0), (0, 0)),
        (True, (10,), (10,)),
        (None, (10,), (10,)),
        (False, (10, 4), (10, 4)),
        (((4, 4, 2), (5,)), (10, 5), (4, 5)),
        (((0,), (3,)), (0, 3), (0, 3)),
    ],
)
def test_normalize_chunks(chunks, shape, expected) -> None:
    assert normalize_chunks(chunks, shape, 4) == expected
    if chunks != "auto":  # zarr-python's normalize_chunks is the oracle
        assert their_normalize_chunks(chunks, shape, 4) == expected


@pytest.mark.parametrize("chunks", [(0, 2), 0, (1, 2, 3), "big", (-2, 2)])
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


@pytest.mark.parametrize("chunks", [((10, 20, 30),), ((2, 2), (1, 2))])
def test_irregular_dask_chunks_raise(chunks) -> None:
    with pytest.raises(ValueError, match="Irregular chunk sizes in dimension"):
        normalize_chunks(chunks, (60, 3), 4)


def test_chunk_count_is_zero_safe() -> None:
    assert [chunk_count(0, 0), chunk_count(0, 5), chunk_count(10, 3), chunk_count(9, 3)] == [0, 0, 4, 3]
    with pytest.raises(ValueError, match="axis 1 has length 4 but chunk side 0"):
        chunk_count(4, 0, axis=1)


def test_regular_grid_with_zero_chunk_side_matches_zarr_python() -> None:
    ours, theirs = RegularChunkGrid(chunk_shape=(0, 5)), TheirGrid(chunk_shape=(0, 5))
    assert ours.to_dict() == theirs.to_dict()
    for shape in [(0, 5), (0, 12)]:
        assert ours.get_nchunks(shape) == theirs.get_nchunks(shape)
        assert list(ours.all_chunk_coords(shape)) == list(theirs.all_chunk_coords(shape))
    with pytest.raises(ValueError, match="chunk side 0"):
        ours.get_nchunks((3, 5))


def test_guess_shards_doubles_axes_holding_many_chunks() -> None:
    with pytest.warns(ZarrUserWarning, match="Automatic shard shape inference is experimental"):
        assert guess_shards((1000, 10), (10, 10)) == (20, 10)


@settings(max_examples=60, deadline=None)
@given(
    shape=st.lists(st.integers(1, 300), min_size=1, max_size=3),
    data=st.data(),
    item_size=st.sampled_from([1, 2, 8]),
    target=st.one_of(st.none(), st.integers(1, 2**20)),
)
def test_auto_shards_match_zarr_python_for_any_target_size(
    shape: list[int], data: st.DataObject, item_size: int, target: int | None
) -> None:
    """``shards='auto'`` under ``array.target_shard_size_bytes``; zarr-python's ``_auto_partition``
    is the oracle."""
    chunks = tuple(data.draw(st.integers(1, n)) for n in shape)
    kwargs = {"array_shape": tuple(shape), "chunk_shape": chunks, "shard_shape": "auto"}
    kwargs["item_size"] = item_size
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with zarr.config.set({"array.target_shard_size_bytes": target}):
            theirs = their_auto_partition(**kwargs)
        with zarrnb.config.set({"array.target_shard_size_bytes": target}):
            ours = _auto_partition(**kwargs)
    assert ours == theirs


def test_create_array_auto_shards_follow_the_config_key() -> None:
    with zarrnb.config.set({"array.target_shard_size_bytes": 5000}):
        with pytest.warns(ZarrUserWarning, match="experimental"):
            array = zarrnb.create_array({}, shape=(1000, 1000), dtype="u1", chunks=(10, 10), shards="auto")
    assert array.shards == (70, 70)  # 7 * 7 chunks of 100 bytes fit 5000 bytes
