"""Array grid walks, stored-shard listings, ``from_dict`` and ``.info``, with zarr-python as the oracle."""

from __future__ import annotations

import asyncio
import dataclasses

import numpy as np
import pytest
import zarr
import zarr.core.array as zarr_array
import zarr.core.indexing as zarr_indexing

import zarrnb
from zarrnb.api.array import Array
from zarrnb.core.array import AsyncArray
from zarrnb.core.array_grid import _iter_shard_keys, _iter_shard_regions, _shards_initialized
from zarrnb.core.buffer import default_buffer_prototype
from zarrnb.core.indexing import _iter_grid, _iter_regions
from zarrnb.core.info import ArrayInfo
from zarrnb.dtype import Float64
from zarrnb.storage import MemoryStore, StorePath

run = asyncio.run

LAYOUTS = [((10,), None, (1,)), ((10,), (2,), (1,)), ((30, 10), None, (4, 3)), ((40, 10), (20, 10), (5, 5))]


@pytest.mark.parametrize(
    ("grid", "origin", "selection"),
    [((3,), None, None), ((2, 3), (1, 1), None), ((2, 3), (0, 0), (2, 2)), ((4, 1, 2), (1, 0, 1), (2, 1, 1))],
)
def test_iter_grid_and_regions_match_zarr_python(grid, origin, selection) -> None:
    ours = tuple(_iter_grid(grid, origin=origin, selection_shape=selection))
    assert ours == tuple(zarr_indexing._iter_grid(grid, origin=origin, selection_shape=selection))
    domain, region = tuple(g * 3 - 1 for g in grid), (3,) * len(grid)
    for trim in (True, False):
        ours_regions = tuple(
            _iter_regions(domain, region, origin=origin, selection_shape=selection, trim_excess=trim)
        )
        theirs = tuple(
            zarr_indexing._iter_regions(
                domain, region, origin=origin, selection_shape=selection, trim_excess=trim
            )
        )
        assert ours_regions == theirs


def test_iter_grid_refuses_bad_origins_by_axis() -> None:
    with pytest.raises(ValueError, match="same length"):
        _iter_grid((2, 3), origin=(1,))
    with pytest.raises(IndexError, match="at axis 1"):
        _iter_grid((2, 3), origin=(0, 2), selection_shape=(1, 2))


@pytest.mark.parametrize(
    ("zarr_format", "shape", "shards", "chunks"),
    [(3, *layout) for layout in LAYOUTS] + [(2, *layout) for layout in LAYOUTS if layout[1] is None],
)
def test_grid_walks_match_zarr_python(zarr_format, shape, shards, chunks) -> None:
    kwargs = {"shape": shape, "shards": shards, "chunks": chunks, "dtype": "u1", "zarr_format": zarr_format}
    ours, theirs = zarrnb.create_array({}, **kwargs), zarr.create_array({}, **kwargs)
    assert ours._chunk_grid_shape == theirs._chunk_grid_shape
    assert ours._shard_grid_shape == theirs._shard_grid_shape
    assert ours._nshards == theirs._nshards
    for name in ("_iter_chunk_coords", "_iter_shard_coords", "_iter_shard_keys", "_iter_shard_regions",
                 "_iter_chunk_regions"):  # fmt: skip
        expected = tuple(getattr(zarr_array, name)(theirs))
        assert tuple(getattr(ours, name)()) == expected, name
        assert tuple(getattr(ours.async_array, name)()) == expected, name


@pytest.mark.parametrize("path", ["", "a/b"])
def test_shards_initialized_lists_stored_objects_in_grid_order(path) -> None:
    array = zarrnb.create_array(
        MemoryStore(), name=path or None, shape=(40,), shards=(20,), chunks=(5,), dtype="i1"
    )
    assert run(_shards_initialized(array.async_array)) == ()
    array[25:30] = 1
    array[0] = 1
    assert run(_shards_initialized(array.async_array)) == ("c/0", "c/1")
    assert array._nshards_initialized == 2
    assert array.nchunks_initialized == 8
    # a stray key under the array is no shard
    run(array.store.set(f"{path}/c/x".lstrip("/"), default_buffer_prototype().buffer.from_bytes(b"")))
    assert run(_shards_initialized(array.async_array)) == ("c/0", "c/1")


def test_shard_regions_write_and_delete_one_stored_object_each() -> None:
    array = zarrnb.create_array({}, shape=(10,), shards=(4,), chunks=(2,), dtype="i1")
    for count, region in enumerate(_iter_shard_regions(array), start=1):
        array[region] = 1
        assert array._nshards_initialized == count
    for left, key in zip(range(array._nshards - 1, -1, -1), _iter_shard_keys(array), strict=True):
        run(array.store.delete(key))
        assert array._nshards_initialized == left


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_from_dict_matches_open(zarr_format) -> None:
    store = MemoryStore()
    created = zarrnb.create_array(store, shape=(6,), chunks=(4,), dtype="f4", zarr_format=zarr_format,
                                  attributes={"a": 1})  # fmt: skip
    document = created.metadata.to_json()
    if zarr_format == 2:
        document = {**document, "attributes": {"a": 1}}
    handle = Array.from_dict(StorePath(store), document)
    assert handle.metadata == created.metadata
    assert handle.attrs["a"] == 1


def test_from_dict_refuses_unknown_formats_and_ignores_v2_extras() -> None:
    with pytest.raises(ValueError, match=r"Invalid zarr_format: 4\. Expected 2 or 3"):
        AsyncArray.from_dict(StorePath(MemoryStore()), {"zarr_format": 4})
    v2 = {"zarr_format": 2, "shape": (3,), "chunks": (2,), "dtype": "<i2", "fill_value": 0, "order": "C"}
    array = AsyncArray.from_dict(StorePath(MemoryStore()), v2)
    assert array.metadata.filters is None and array.metadata.compressor is None
    assert array.shape == (3,)


def test_shape_setter_resizes() -> None:
    array = zarrnb.create_array({}, shape=(4,), chunks=(2,), dtype="i2")
    array[:] = 7
    array.shape = (2,)
    assert array.shape == (2,) and array.nchunks_initialized == 1
    array.shape = (5,)
    np.testing.assert_array_equal(array[:], [7, 7, 0, 0, 0])


def test_info_holds_the_data_type_object_and_equals_the_engine_table() -> None:
    array = zarrnb.create_array({}, shape=(8, 8), chunks=(2, 2), dtype="f8", zarr_format=2)
    engine = array.async_array.info
    assert engine._data_type == Float64()
    assert array.info == engine and engine == array.info
    assert array.info != dataclasses.replace(engine, _shape=(8, 9))
    assert "Data type          : Float64(endianness='little')" in repr(array.info)
    info = ArrayInfo(_zarr_format=3, _data_type="custom", _fill_value=0, _shape=(1,), _order="C",
                     _read_only=False, _store_type="MemoryStore")  # fmt: skip
    assert "Data type          : custom" in repr(info)


def test_v2_filters_are_none_or_codecs_like_zarr_python() -> None:
    ours = zarrnb.create_array({}, shape=(4,), dtype="u1", zarr_format=2)
    theirs = zarr.create_array({}, shape=(4,), dtype="u1", zarr_format=2)
    assert ours.metadata.filters is None and theirs.metadata.filters is None
    assert ours.filters == theirs.filters == ()
    text = zarrnb.create_array({}, shape=(4,), dtype=str, zarr_format=2)
    assert [f.codec_id for f in text.metadata.filters] == ["vlen-utf8"]


def test_create_array_write_data_false_keeps_the_fill_value() -> None:
    data = np.arange(6)
    array = zarrnb.create_array({}, data=data, fill_value=9, write_data=False)
    np.testing.assert_array_equal(array[:], np.full(6, 9))
    assert array.nchunks_initialized == 0


def test_create_takes_zarr_pythons_older_spellings() -> None:
    def make(**kwargs):
        return run(AsyncArray.create(StorePath(MemoryStore(), "a"), shape=(6,), dtype="i2", **kwargs))

    transpose = {"name": "transpose", "configuration": {"order": [0]}}
    array = make(chunk_shape=(4,), codecs=[transpose, {"name": "bytes", "configuration": {"endian": "big"}}])
    assert array.chunks == (4,) and len(array.filters) == 1 and array.compressors == ()
    assert array.serializer.to_dict() == {"name": "bytes", "configuration": {"endian": "big"}}
    assert (
        make(codecs=[{"name": "gzip", "configuration": {"level": 1}}]).compressors[0].to_dict()["name"]
        == "gzip"
    )
    v2 = make(zarr_format=2, dimension_separator="/")
    assert v2.metadata.dimension_separator == "/"
    with pytest.raises(ValueError, match="Only one of chunk_shape or chunks"):
        make(chunks=(2,), chunk_shape=(3,))
    with pytest.raises(ValueError, match="codecs cannot be used for arrays with zarr_format 2"):
        make(zarr_format=2, codecs=["bytes"])
    with pytest.raises(ValueError, match="dimension_separator cannot be used for arrays with zarr_format 3"):
        make(dimension_separator=".")


def test_create_array_from_an_array_of_ours_and_missing_arguments() -> None:
    source = zarrnb.create_array({}, data=np.arange(6, dtype="i8"))
    copy = zarrnb.create_array({}, data=source, chunks=(1,), shards=(3,), fill_value=-1)
    np.testing.assert_array_equal(copy[:], np.arange(6))
    with pytest.raises(ValueError, match="shape was not specified"):
        zarrnb.create_array({}, dtype="i1")
    with pytest.raises(ValueError, match="dtype was not specified"):
        zarrnb.create_array({}, shape=(2,))


def test_create_takes_a_chunk_key_encoding_pair() -> None:
    array = zarrnb.create((4,), chunks=(2,), chunk_key_encoding=("default", "."), store={})
    array[:] = 1
    assert sorted(k for k in run(_list(array.store)) if k.startswith("c")) == ["c.0", "c.1"]


async def _list(store) -> list[str]:
    return [key async for key in store.list()]
