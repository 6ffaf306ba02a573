"""AsyncArray behaviour on a MemoryStore: creation, opening, reads, writes, shape and attribute changes."""

from __future__ import annotations

import asyncio
import math

import numpy as np
import pytest

import zarrnb.config
from zarrnb.core.array import AsyncArray
from zarrnb.core.buffer import Buffer
from zarrnb.errors import (
    ArrayNotFoundError,
    BoundsCheckError,
    ContainsArrayError,
    ContainsGroupError,
    NodeTypeValidationError,
    ReadOnlyError,
)
from zarrnb.metadata import GroupMetadata
from zarrnb.storage import MemoryStore, StorePath

run = asyncio.run


def create(shape=(10, 12), chunks=(3, 5), dtype="i4", path="arr", store=None, **kwargs) -> AsyncArray:
    store_path = StorePath(store if store is not None else MemoryStore(), path)
    return run(AsyncArray.create(store_path, shape=shape, chunks=chunks, dtype=dtype, **kwargs))


def filled(shape=(10, 12), chunks=(3, 5), **kwargs) -> tuple[AsyncArray, np.ndarray]:
    array = create(shape, chunks, **kwargs)
    data = np.arange(math.prod(shape), dtype=array.dtype).reshape(shape)
    run(array.setitem(Ellipsis, data))
    return array, data


def stored_keys(array: AsyncArray) -> list[str]:
    return sorted(array.store._store_dict)


# -- creation and opening ---------------------------------------------------------------


def test_properties() -> None:
    array = create(shape=(10, 12), chunks=(3, 5), dtype="f4", path="foo/bar", attributes={"a": 1})
    assert (array.shape, array.chunks, array.shards, array.ndim, array.size) == (
        (10, 12),
        (3, 5),
        None,
        2,
        120,
    )
    assert array.dtype == np.dtype("f4")
    assert (array.path, array.name, array.basename) == ("foo/bar", "/foo/bar", "bar")
    assert array.nchunks == 4 * 3
    assert array.cdata_shape == (4, 3)
    assert array.nbytes == 480
    assert array.attrs == {"a": 1}
    assert array.order == "C"
    assert not array.read_only
    assert repr(array) == f"<AsyncArray {array.store_path} shape=(10, 12) dtype=float32>"


def test_sharded_properties_count_inner_chunks() -> None:
    array = create(shape=(20,), chunks=(2,), shards=(6,))
    assert (array.chunks, array.shards, array.nchunks) == ((2,), (6,), 10)


def test_create_writes_implicit_parent_groups() -> None:
    array = create(path="a/b/c")
    keys = stored_keys(array)
    assert keys == ["a/b/c/zarr.json", "a/b/zarr.json", "a/zarr.json", "zarr.json"]


def test_create_refuses_an_existing_array_and_group() -> None:
    array = create(path="x")
    with pytest.raises(ContainsArrayError, match="'x'"):
        create(path="x", store=array.store)
    group_doc = GroupMetadata(zarr_format=2).to_documents()
    for name, data in group_doc.items():
        run(array.store.set(f"g/{name}", Buffer.from_bytes(data)))
    with pytest.raises(ContainsGroupError, match="'g'"):
        create(path="g", store=array.store, zarr_format=2)
    # as in zarr-python, a format 3 node checks only for format 3 documents (one request)
    create(path="g", store=array.store, zarr_format=3)


def test_create_refuses_an_array_as_parent() -> None:
    array = create(path="x")
    with pytest.raises(ContainsArrayError, match="parent 'x'"):
        create(path="x/y", store=array.store)


def test_overwrite_replaces_contents() -> None:
    array, _ = filled()
    assert len(stored_keys(array)) > 2
    again = create(store=array.store, overwrite=True, dtype="f8", fill_value=7)
    assert stored_keys(again) == ["arr/zarr.json", "zarr.json"]
    np.testing.assert_array_equal(run(again.getitem(Ellipsis)), np.full((10, 12), 7.0))


def test_open_detects_format_and_reads() -> None:
    for zarr_format in (2, 3):
        array, data = filled(zarr_format=zarr_format)
        opened = run(AsyncArray.open(array.store_path))
        assert opened.metadata.zarr_format == zarr_format
        np.testing.assert_array_equal(run(opened.getitem(Ellipsis)), data)
        with pytest.raises(ArrayNotFoundError):
            run(AsyncArray.open(array.store_path, zarr_format=5 - zarr_format))


def test_open_missing_and_group() -> None:
    store = MemoryStore()
    with pytest.raises(ArrayNotFoundError, match="'nothing'"):
        run(AsyncArray.open(StorePath(store, "nothing")))
    for name, data in GroupMetadata().to_documents().items():
        run(store.set(f"grp/{name}", Buffer.from_bytes(data)))
    with pytest.raises(NodeTypeValidationError, match="found a group"):
        run(AsyncArray.open(StorePath(store, "grp")))


# -- reading and writing ------------------------------------------------------------------


def test_missing_chunks_read_as_fill_value() -> None:
    array = create(fill_value=-5)
    run(array.setitem((slice(0, 3), slice(0, 5)), 1))
    result = run(array.getitem(Ellipsis))
    expected = np.full((10, 12), -5)
    expected[:3, :5] = 1
    np.testing.assert_array_equal(result, expected)
    assert stored_keys(array) == ["arr/c/0/0", "arr/zarr.json", "zarr.json"]


def test_partial_chunk_write_keeps_the_rest() -> None:
    array, data = filled()
    run(array.setitem((slice(1, 2), slice(2, 9)), -1))
    data[1:2, 2:9] = -1
    np.testing.assert_array_equal(run(array.getitem(Ellipsis)), data)


def test_integer_reads_match_zarr_python_shapes() -> None:
    array, data = filled()
    one = run(array.getitem((1, 2)))
    assert isinstance(one, np.ndarray) and one.shape == () and one == data[1, 2]
    row = run(array.getitem(-1))
    np.testing.assert_array_equal(row, data[-1])
    scalar = create(shape=(), chunks=(), dtype="f8", fill_value=3)
    value = run(scalar.getitem(()))
    assert isinstance(value, np.float64) and value == 3
    run(scalar.setitem(Ellipsis, 4.5))
    assert run(scalar.getitem(Ellipsis)) == 4.5


def test_fancy_dispatch() -> None:
    array, data = filled()
    np.testing.assert_array_equal(run(array.getitem(([1, 9], [0, 11]))), data[[1, 9], [0, 11]])
    np.testing.assert_array_equal(run(array.getitem(([3, 1], slice(None)))), data[[3, 1]])
    np.testing.assert_array_equal(run(array.getitem(data > 50)), data[data > 50])
    np.testing.assert_array_equal(run(array.get_block_selection((1, -1))), data[3:6, 10:])
    np.testing.assert_array_equal(
        run(array.get_orthogonal_selection(([0, 9], [1, 2, 11]))), data[np.ix_([0, 9], [1, 2, 11])]
    )


def test_fancy_writes() -> None:
    array, data = filled()
    run(array.setitem(([1, 9], [0, 11]), [-1, -2]))
    data[[1, 9], [0, 11]] = [-1, -2]
    run(array.set_orthogonal_selection(([0, 4], slice(2, 4)), -3))
    data[np.ix_([0, 4], [2, 3])] = -3
    run(array.set_mask_selection(data == 100, -4))
    data[data == 100] = -4
    run(array.set_block_selection((3, 2), -5))
    data[9:, 10:] = -5
    run(array.set_coordinate_selection((np.array([[2, 3]]), np.array([[4, 4]])), [[-6, -7]]))
    data[[2, 3], [4, 4]] = [-6, -7]
    np.testing.assert_array_equal(run(array.getitem(Ellipsis)), data)


def test_broadcast_and_bad_value_shapes() -> None:
    array = create()
    run(array.setitem((slice(None), 0), np.arange(10)))
    run(array.setitem((slice(0, 2), slice(None)), np.arange(12)))
    result = run(array.getitem(Ellipsis))
    np.testing.assert_array_equal(result[:2], np.tile(np.arange(12), (2, 1)))
    np.testing.assert_array_equal(result[2:, 0], np.arange(2, 10))
    with pytest.raises(ValueError, match=r"expected array with shape \(10, 12\), got \(3,\)"):
        run(array.setitem(Ellipsis, np.arange(3)))


def test_bad_selection_errors_name_the_index() -> None:
    array = create()
    with pytest.raises(BoundsCheckError, match="index 10 is out of bounds for axis 0"):
        run(array.getitem(10))
    with pytest.raises(IndexError, match="too many indices"):
        run(array.getitem((1, 2, 3)))


def test_write_empty_chunks_default_deletes_fill_chunks() -> None:
    array, _ = filled(fill_value=0)
    run(array.setitem((slice(0, 3), slice(0, 5)), 0))
    assert "arr/c/0/0" not in stored_keys(array)
    eager = array.with_config({"write_empty_chunks": True})
    run(eager.setitem((slice(0, 3), slice(0, 5)), 0))
    assert "arr/c/0/0" in stored_keys(array)
    with zarrnb.config.set({"array.write_empty_chunks": True}):
        assert create().config.write_empty_chunks


def test_write_empty_chunks_applies_to_shards() -> None:
    lazy = create(shape=(8,), chunks=(2,), shards=(4,), fill_value=3)
    run(lazy.setitem(Ellipsis, 3))
    assert [k for k in stored_keys(lazy) if "/c/" in k] == []
    eager = create(shape=(8,), chunks=(2,), shards=(4,), fill_value=3, config={"write_empty_chunks": True})
    run(eager.setitem(Ellipsis, 3))
    assert [k for k in stored_keys(eager) if "/c/" in k] == ["arr/c/0", "arr/c/1"]
    np.testing.assert_array_equal(run(eager.getitem(Ellipsis)), np.full(8, 3))


def test_nan_fill_chunks_are_dropped() -> None:
    array = create(dtype="f8", fill_value=np.nan)
    run(array.setitem(Ellipsis, np.nan))
    assert stored_keys(array) == ["arr/zarr.json", "zarr.json"]
    run(array.setitem((0, 0), 1.0))
    assert stored_keys(array) == ["arr/c/0/0", "arr/zarr.json", "zarr.json"]


def test_read_only_refuses_writes_before_touching_anything() -> None:
    array, data = filled()
    before = dict(array.store._store_dict)
    frozen = AsyncArray(array.metadata, StorePath(array.store.with_read_only(True), array.path))
    assert frozen.read_only
    for attempt in (
        frozen.setitem(Ellipsis, 0),
        frozen.resize((3, 3)),
        frozen.append(np.zeros((1, 12))),
        frozen.update_attributes({"a": 1}),
    ):
        with pytest.raises(ReadOnlyError, match="read-only"):
            run(attempt)
    assert array.store._store_dict == before
    np.testing.assert_array_equal(run(frozen.getitem(Ellipsis)), data)
    with pytest.raises(ReadOnlyError):
        create(store=array.store.with_read_only(True), path="new")


def test_v3_order_argument_warns_and_config_decides() -> None:
    with pytest.warns(RuntimeWarning, match="has no effect for Zarr format 3 arrays"):
        ignored = create(order="F")
    assert ignored.order == "C"
    laid_out = create(path="f", config={"order": "F"})
    run(laid_out.setitem(Ellipsis, 1))
    assert laid_out.order == "F"
    assert run(laid_out.getitem(Ellipsis)).flags.f_contiguous


def test_bad_config_is_refused_before_anything_is_written() -> None:
    store = MemoryStore()
    with pytest.raises(ValueError, match="unknown array config keys"):
        create(store=store, config={"write_empty": True})
    with pytest.raises(ValueError, match="'order'"):
        create(store=store, config={"order": "K"})
    assert store._store_dict == {}


def test_v2_order_f_round_trip() -> None:
    array, data = filled(zarr_format=2, order="F")
    assert array.order == "F"
    result = run(array.getitem(Ellipsis))
    assert result.flags.f_contiguous
    np.testing.assert_array_equal(result, data)


# -- shape, attributes, summaries ---------------------------------------------------------


def test_resize_shrink_deletes_outside_chunks_and_grow_reads_fill() -> None:
    array, data = filled(fill_value=-1)
    run(array.resize((4, 5)))
    assert array.shape == (4, 5)
    assert run(AsyncArray.open(array.store_path)).shape == (4, 5)
    assert {k for k in stored_keys(array) if "/c/" in k} == {"arr/c/0/0", "arr/c/1/0"}
    run(array.resize((7, 5)))
    result = run(array.getitem(Ellipsis))
    np.testing.assert_array_equal(result[:4], data[:4, :5])
    np.testing.assert_array_equal(result[6:], -1)
    with pytest.raises(ValueError, match="dimensions"):
        run(array.resize((3,)))


def test_append() -> None:
    array, data = filled()
    assert run(array.append(np.full((2, 12), -1))) == (12, 12)
    assert run(array.append(np.full((12, 1), -2), axis=1)) == (12, 13)
    expected = np.vstack([data, np.full((2, 12), -1)])
    expected = np.hstack([expected, np.full((12, 1), -2)])
    np.testing.assert_array_equal(run(array.getitem(Ellipsis)), expected)
    with pytest.raises(ValueError, match="shape"):
        run(array.append(np.zeros((1, 3))))


def test_update_attributes_merges_and_persists() -> None:
    array = create(attributes={"a": 1, "b": 2})
    assert run(array.update_attributes({"b": 3, "c": [1, 2]})) is array
    assert array.attrs == {"a": 1, "b": 3, "c": [1, 2]}
    assert run(AsyncArray.open(array.store_path)).attrs == {"a": 1, "b": 3, "c": [1, 2]}


def test_nchunks_initialized_and_nbytes_stored() -> None:
    array = create()
    assert run(array.nchunks_initialized()) == 0
    run(array.setitem((slice(0, 4), 0), 1))
    assert run(array.nchunks_initialized()) == 2
    stored = sum(len(v) for k, v in array.store._store_dict.items() if k.startswith("arr/"))
    assert run(array.nbytes_stored()) == stored
    sharded = create(shape=(20,), chunks=(2,), shards=(6,), path="s", store=array.store)
    run(sharded.setitem(slice(0, 7), 1))
    assert run(sharded.nchunks_initialized()) == 2 * 3


def test_info_and_info_complete() -> None:
    array = create(shape=(100, 200), chunks=(10, 20), dtype="f4", fill_value=np.nan)
    run(array.setitem(Ellipsis, 1.5))
    lines = repr(run(array.info_complete())).splitlines()
    assert lines[0] == "Type               : Array"
    assert "Data type          : Float32(endianness='little')" in lines
    assert "Fill value         : nan" in lines
    assert "Chunks Initialized : 100" in lines
    assert lines[-4] == "No. bytes          : 80000 (78.1K)"
    assert "No. bytes" not in repr(array.info).split("No. bytes          :")[1]
    sharded = create(shape=(100,), chunks=(10,), shards=(50,), path="s", store=array.store)
    assert "Shard shape        : (50,)" in repr(sharded.info)
    assert "Shards Initialized : 0" in repr(run(sharded.info_complete()))


# -- sharded arrays -----------------------------------------------------------------------


class CountingStore(MemoryStore):
    """Records every byte request, to check what a read fetches."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[tuple[str, object]] = []

    async def get(self, key, prototype, byte_range=None):
        self.requests.append((key, byte_range))
        return await super().get(key, prototype, byte_range)


def test_sharded_single_chunk_read_fetches_index_and_chunk_only() -> None:
    store = CountingStore()
    array = create(shape=(64, 64), chunks=(8, 8), shards=(32, 32), store=store, compressors=None)
    data = np.arange(64 * 64, dtype="i4").reshape(64, 64)
    run(array.setitem(Ellipsis, data))
    store.requests.clear()
    assert run(array.getitem((40, 9))) == data[40, 9]
    keys = [key for key, _ in store.requests]
    assert keys == ["arr/c/1/0", "arr/c/1/0"]
    index_request, chunk_request = (r for _, r in store.requests)
    assert index_request == array.metadata.codec_pipeline.sharding.index_byte_request()
    assert chunk_request.end - chunk_request.start == 8 * 8 * 4


def test_sharded_read_of_most_of_a_shard_fetches_it_whole() -> None:
    store = CountingStore()
    array = create(shape=(64,), chunks=(8,), shards=(32,), store=store)
    run(array.setitem(Ellipsis, np.arange(64)))
    store.requests.clear()
    np.testing.assert_array_equal(run(array.getitem(slice(0, 20))), np.arange(20))
    assert store.requests == [("arr/c/0", None)]


def test_sharded_partial_writes_and_missing_inner_chunks() -> None:
    array = create(shape=(30, 30), chunks=(4, 4), shards=(8, 8), fill_value=-1)
    data = np.full((30, 30), -1, dtype="i4")
    run(array.setitem((slice(2, 3), slice(5, 20)), 7))
    data[2, 5:20] = 7
    run(array.setitem((slice(25, 30), slice(25, 30)), 9))
    data[25:, 25:] = 9
    np.testing.assert_array_equal(run(array.getitem(Ellipsis)), data)
    np.testing.assert_array_equal(run(array.getitem((slice(0, 9), slice(3, 14, 2)))), data[0:9, 3:14:2])
    np.testing.assert_array_equal(run(array.getitem(([2, 29, 0], [6, 29, 0]))), data[[2, 29, 0], [6, 29, 0]])
    run(array.setitem(Ellipsis, -1))
    assert [k for k in stored_keys(array) if "/c/" in k] == []


def test_concurrency_window_smaller_than_request() -> None:
    with zarrnb.config.set({"async.concurrency": 3}):
        array, data = filled(shape=(40, 40), chunks=(3, 3))
        np.testing.assert_array_equal(run(array.getitem(Ellipsis)), data)
        sharded, sharded_data = filled(shape=(40, 40), chunks=(2, 2), shards=(4, 4))
        np.testing.assert_array_equal(
            run(sharded.getitem((slice(1, 39), slice(3, 30)))), sharded_data[1:39, 3:30]
        )
