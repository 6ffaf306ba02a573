"""zarr-python's ``zarr.core.common`` and ``zarr.core.chunk_grids`` names, zarr-python as the oracle."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import zarr
import zarr.core.chunk_grids as their_grids
import zarr.core.common as their_common

from zarrnb.core import common
from zarrnb.metadata.chunk_grid import RegularChunkGrid, _auto_partition


@pytest.mark.parametrize("data", [0, 5, np.int64(3), (2, 3), [0, 1], range(3), (np.int32(4),)])
def test_parse_shapelike_matches_zarr_python(data: Any) -> None:
    assert common.parse_shapelike(data) == their_common.parse_shapelike(data)


@pytest.mark.parametrize(
    ("data", "error"),
    [(-1, ValueError), ((1, -2), ValueError), (1.5, TypeError), ((1, "a"), TypeError), ("ab", TypeError)],
)
def test_parse_shapelike_refuses_what_zarr_python_refuses(data: Any, error: type) -> None:
    with pytest.raises(error) as theirs:
        their_common.parse_shapelike(data)
    with pytest.raises(error) as ours:
        common.parse_shapelike(data)
    assert str(ours.value).rstrip(".") == str(theirs.value).rstrip(".")


def test_constants_and_helpers() -> None:
    assert (common.ZARR_JSON, common.ZARRAY_JSON, common.ZATTRS_JSON, common.ZGROUP_JSON) == (
        their_common.ZARR_JSON, their_common.ZARRAY_JSON, their_common.ZATTRS_JSON, their_common.ZGROUP_JSON,
    )  # fmt: skip
    assert common.ceildiv(7, 2) == their_common.ceildiv(7, 2) == 4
    assert common.ceildiv(0, 3) == their_common.ceildiv(0, 3) == 0
    assert common.product((2, 3, 4)) == their_common.product((2, 3, 4)) == 24
    assert set(common.ANY_ACCESS_MODE) == set(their_common.ANY_ACCESS_MODE)


def test_regular_chunk_grid_matches_zarr_python() -> None:
    ours = RegularChunkGrid(chunk_shape=(2, 3))
    theirs = their_grids.RegularChunkGrid(chunk_shape=(2, 3))
    assert ours.to_dict() == theirs.to_dict()
    assert RegularChunkGrid.from_dict(theirs.to_dict()) == ours
    assert list(ours.all_chunk_coords((5, 6))) == list(theirs.all_chunk_coords((5, 6)))
    assert ours.get_nchunks((5, 6)) == theirs.get_nchunks((5, 6)) == 6
    with pytest.raises(ValueError, match="regular"):
        RegularChunkGrid.from_dict({"name": "rectilinear"})
    with pytest.raises(ValueError, match="non-negative"):
        RegularChunkGrid(chunk_shape=(-1,))


@pytest.mark.parametrize(
    ("chunks", "shards"),
    [("auto", None), ((10, 10), None), ("auto", (100, 100)), ((5, 5), (50, 50)), ((10, 10), "auto")],
)
def test_auto_partition_matches_zarr_python(chunks: Any, shards: Any) -> None:
    arguments = {"array_shape": (1000, 1000), "chunk_shape": chunks, "shard_shape": shards, "item_size": 4}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = their_grids._auto_partition(**arguments)
    assert _auto_partition(**arguments) == theirs


@pytest.mark.parametrize(("data", "expected"), [("a", None), ("a", "a"), ("a", "b"), (3, None)])
def test_parse_name_matches_zarr_python(data: Any, expected: Any) -> None:
    try:
        theirs: Any = their_common.parse_name(data, expected)
    except (TypeError, ValueError) as exc:
        with pytest.raises(type(exc)) as ours:
            common.parse_name(data, expected)
        assert str(ours.value) == str(exc)
    else:
        assert common.parse_name(data, expected) == theirs


def test_parse_indexing_order_and_parse_zarr_format() -> None:
    import zarr.core.config as their_config
    import zarr.core.metadata.v2 as their_v2

    import zarrnb.config
    from zarrnb.metadata.v2 import parse_zarr_format

    assert zarrnb.config.parse_indexing_order("F") == their_config.parse_indexing_order("F")
    with pytest.raises(ValueError, match=r"Expected one of \('C', 'F'\)"):
        zarrnb.config.parse_indexing_order("K")
    assert parse_zarr_format(2) == their_v2.parse_zarr_format(2) == 2
    with pytest.raises(ValueError, match=r"Expected 2\. Got 3"):
        parse_zarr_format(3)


@pytest.mark.parametrize("shape", [(100,), 1000, (10000, 10000), (7, 3, 5), (0,), (500, 400, 300)])
@pytest.mark.parametrize("typesize", [0, 1, 8])
def test_guess_chunks_matches_zarr_python(shape: Any, typesize: int) -> None:
    from zarrnb.metadata.chunk_grid import _guess_chunks

    assert _guess_chunks(shape, typesize) == their_grids._guess_chunks(shape, typesize)


def test_like_helpers_match_zarr_python() -> None:
    import zarr.api.asynchronous as their_api

    import zarrnb
    from zarrnb.api import asynchronous as our_api

    class WithChunkLen:
        shape = (10, 10)
        chunklen = 2

    for value in ({}, np.arange(4), WithChunkLen()):
        assert our_api._get_shape_chunks(value) == their_api._get_shape_chunks(value)
    assert our_api._like_args(np.arange(3)) == their_api._like_args(np.arange(3))
    arguments = {"shape": (100,), "chunks": (10,), "dtype": "f8", "compressors": None, "filters": None}
    ours = zarrnb.create_array({}, zarr_format=2, **arguments).async_array
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = zarr.create_array({}, zarr_format=2, **arguments)._async_array
    assert our_api._like_args(ours) == their_api._like_args(theirs)


def test_init_array_writes_metadata_only_as_zarr_python() -> None:
    from zarrnb.api.sync import sync
    from zarrnb.compat.zarr_core_array import init_array
    from zarrnb.storage import MemoryStore, StorePath

    store = MemoryStore()
    array = sync(init_array(store_path=StorePath(store, "x"), shape=(4,), dtype="i2", chunks=(2,)))
    # the array's document and its implicit parent group's, no chunks (zarr-python writes the same)
    assert array.shape == (4,) and sorted(store._store_dict) == ["x/zarr.json", "zarr.json"]


def test_chunk_key_encoding_classes_match_zarr_python() -> None:
    import zarr.core.chunk_key_encodings as theirs

    from zarrnb.metadata.chunk_key_encoding import (
        ChunkKeyEncoding,
        DefaultChunkKeyEncoding,
        V2ChunkKeyEncoding,
        parse_chunk_key_encoding,
    )

    pairs = [
        (DefaultChunkKeyEncoding(), theirs.DefaultChunkKeyEncoding()),
        (DefaultChunkKeyEncoding(separator="."), theirs.DefaultChunkKeyEncoding(separator=".")),
        (V2ChunkKeyEncoding(), theirs.V2ChunkKeyEncoding()),
        (V2ChunkKeyEncoding(separator="/"), theirs.V2ChunkKeyEncoding(separator="/")),
    ]
    for ours, their in pairs:
        assert ours.to_dict() == their.to_dict()
        for coords in [(), (0,), (1, 2), (3, 0, 5)]:
            key = ours.encode_chunk_key(coords)
            assert key == their.encode_chunk_key(coords)
            if coords:
                assert ours.decode_chunk_key(key) == coords
    assert parse_chunk_key_encoding({"name": "v2"}) == V2ChunkKeyEncoding() == ChunkKeyEncoding("v2", ".")
    assert isinstance(parse_chunk_key_encoding(None), DefaultChunkKeyEncoding)
    assert len({DefaultChunkKeyEncoding(), ChunkKeyEncoding()}) == 1
