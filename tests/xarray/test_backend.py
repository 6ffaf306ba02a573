"""The zarrnb engine's own behaviour: lazy batched reads, async loads, stores, errors."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import xarray as xr

import zarrnb
from zarrnb.abc.store import ByteRequest
from zarrnb.core.buffer import Buffer, BufferPrototype
from zarrnb.storage import LocalStore, MemoryStore, WrapperStore
from zarrnb.xarray import ZarrnbBackendEntrypoint

from .corpus import write_corpus


class RecordingStore(WrapperStore):
    """Records each ``get`` as start/end events, with an optional pause that yields to the loop."""

    def __init__(self, store: Any, latency: float = 0.0, events: list | None = None) -> None:
        super().__init__(store)
        self.latency = latency
        self.events: list[tuple[str, str]] = [] if events is None else events

    def _with_store(self, store: Any) -> RecordingStore:
        return type(self)(store, self.latency, self.events)

    async def get(
        self, key: str, prototype: BufferPrototype, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        self.events.append(("start", key))
        if self.latency:
            await asyncio.sleep(self.latency)
        value = await self._store.get(key, prototype, byte_range)
        self.events.append(("end", key))
        return value

    def chunk_keys(self) -> set[str]:
        return {key for kind, key in self.events if kind == "start" and "/c/" in key}


def _two_variable_store(tmp_path: Path) -> LocalStore:
    ds = xr.Dataset(
        {
            "a": (("t", "x"), np.arange(120.0).reshape(12, 10)),
            "b": (("t", "x"), -np.arange(120.0).reshape(12, 10)),
        }
    )
    ds.to_zarr(tmp_path / "two.zarr", encoding={n: {"chunks": (4, 5)} for n in "ab"}, zarr_format=3)
    return LocalStore(tmp_path / "two.zarr", read_only=True)


def test_entry_point_is_registered() -> None:
    engines = xr.backends.list_engines()
    assert isinstance(engines["zarrnb"], ZarrnbBackendEntrypoint)
    assert engines["zarrnb"].guess_can_open(MemoryStore())
    assert not engines["zarrnb"].guess_can_open("data.nc")


def test_selections_read_only_the_chunks_they_touch(tmp_path: Path) -> None:
    store = RecordingStore(_two_variable_store(tmp_path))
    ds = xr.open_dataset(store, engine="zarrnb")
    assert store.chunk_keys() == set()  # opening reads metadata only
    expected = np.arange(120.0).reshape(12, 10)

    np.testing.assert_array_equal(ds["a"][1:3, 6:9].values, expected[1:3, 6:9])  # basic
    assert store.chunk_keys() == {"a/c/0/1"}
    store.events.clear()
    outer = ds["a"].isel(t=[0, 11], x=[1, 2])
    np.testing.assert_array_equal(outer.values, expected[[0, 11]][:, [1, 2]])
    assert store.chunk_keys() == {"a/c/0/0", "a/c/2/0"}
    store.events.clear()
    points = ds["a"].isel(t=xr.DataArray([0, 5, 11], dims="p"), x=xr.DataArray([9, 0, 4], dims="p"))
    np.testing.assert_array_equal(points.values, expected[[0, 5, 11], [9, 0, 4]])
    assert store.chunk_keys() == {"a/c/0/1", "a/c/1/0", "a/c/2/0"}


def test_async_loads_interleave_their_store_io(tmp_path: Path) -> None:
    """Two gathered getitem coroutines wait on their reads together, not one after the other."""
    store = RecordingStore(_two_variable_store(tmp_path), latency=0.02)
    ds = xr.open_dataset(store, engine="zarrnb")

    async def both() -> list[Any]:
        return await asyncio.gather(ds["a"].load_async(), ds["b"].load_async())

    store.events.clear()
    a, b = asyncio.run(both())
    np.testing.assert_array_equal(a.values, -b.values)
    order = [(kind, key.split("/")[0]) for kind, key in store.events if "/c/" in key]
    first_end = next(i for i, (kind, _) in enumerate(order) if kind == "end")
    started_before_any_end = {name for kind, name in order[:first_end] if kind == "start"}
    assert started_before_any_end == {"a", "b"}, order[: first_end + 1]


def test_engine_getitem_yields_to_the_loop(tmp_path: Path) -> None:
    """The engine itself: two AsyncArray.getitem calls gathered on one loop overlap their I/O."""
    store = RecordingStore(_two_variable_store(tmp_path), latency=0.02)
    group = zarrnb.open_group(store, mode="r")
    arrays = [group[name].async_array for name in "ab"]

    async def both() -> None:
        await asyncio.gather(*(array.getitem((slice(None), slice(0, 5))) for array in arrays))

    store.events.clear()
    asyncio.run(both())
    kinds = [kind for kind, key in store.events if "/c/" in key]
    assert kinds[:6] == ["start"] * 6, store.events  # 3 chunks of a and 3 of b in flight together


def test_zarrnb_group_and_errors(tmp_path: Path) -> None:
    path = write_corpus(tmp_path / "c.zarr", 3, consolidated=False)
    group = zarrnb.open_group(str(path), mode="r")
    xr.testing.assert_identical(
        xr.open_dataset(group, engine="zarrnb"), xr.open_dataset(path, engine="zarrnb")
    )
    with pytest.raises(TypeError, match="temperature"):
        xr.open_dataset(group["temperature"], engine="zarrnb")
    with pytest.raises(ValueError, match="mode"):
        xr.open_dataset(path, engine="zarrnb", mode="w")
    bare = zarrnb.open_group(str(tmp_path / "bare.zarr"), mode="w")
    bare.create_array("nameless", shape=(3,), dtype="f8")
    with pytest.raises(KeyError, match="nameless"):
        xr.open_dataset(tmp_path / "bare.zarr", engine="zarrnb")


@pytest.mark.s3
def test_s3_through_fsspec_and_obstore(tmp_path: Path, s3_server: Any, s3_bucket: str) -> None:
    from obstore.store import S3Store

    from zarrnb.storage import ObjectStore

    path = write_corpus(tmp_path / "corpus.zarr", 3, consolidated=True)
    s3_server.upload_directory(path, s3_bucket, "corpus.zarr")
    expected = xr.open_dataset(path, engine="zarr").load()
    url = f"s3://{s3_bucket}/corpus.zarr"
    options = {"endpoint_url": s3_server.endpoint_url, "anon": True}
    via_fsspec = xr.open_dataset(url, engine="zarrnb", storage_options=options, chunks={})
    xr.testing.assert_identical(via_fsspec.compute(), expected)
    obstore_store = ObjectStore(S3Store(s3_bucket, prefix="corpus.zarr"), read_only=True)
    xr.testing.assert_identical(xr.open_dataset(obstore_store, engine="zarrnb"), expected)


def test_decoding_a_big_chunk_leaves_the_loop_free() -> None:
    """Codec work for a big chunk runs in the pool: other coroutines on the loop keep running."""
    array = zarrnb.create_array(MemoryStore(), shape=(256, 1024), chunks=(256, 1024), dtype="f8")
    array[...] = np.random.default_rng(0).random((256, 1024))
    ticks: list[int] = []

    async def ticker(done: asyncio.Event) -> None:
        while not done.is_set():
            ticks.append(1)
            await asyncio.sleep(0)

    async def read_while_ticking() -> np.ndarray:
        done = asyncio.Event()
        task = asyncio.ensure_future(ticker(done))
        await asyncio.sleep(0)
        ticks.clear()
        try:
            return await array.async_array.getitem(Ellipsis)
        finally:
            done.set()
            await task

    result = asyncio.run(read_while_ticking())
    np.testing.assert_array_equal(result, array[...])
    assert len(ticks) > 1


def test_opened_here_writes_back_through_zarr_python_with_the_same_codecs(tmp_path: Path) -> None:
    source = xr.Dataset({"v": (("x",), np.arange(50.0))})
    encoding = {"v": {"chunks": (10,), "compressors": [{"name": "zstd", "configuration": {"level": 3}}]}}
    source.to_zarr(tmp_path / "a.zarr", encoding=encoding, zarr_format=3, consolidated=False)
    opened = xr.open_dataset(tmp_path / "a.zarr", engine="zarrnb")
    assert opened["v"].encoding["compressors"] == (
        {"name": "zstd", "configuration": {"level": 3, "checksum": False}},
    )
    opened.to_zarr(tmp_path / "b.zarr", consolidated=False)  # xarray's zarr backend, zarr-python
    again = xr.open_dataset(tmp_path / "b.zarr", engine="zarr")
    xr.testing.assert_identical(again, source)
    assert again["v"].encoding["chunks"] == (10,)
    assert [c.to_dict() for c in again["v"].encoding["compressors"]] == list(
        opened["v"].encoding["compressors"]
    )


def test_gathered_getitems_start_together_on_a_memory_store() -> None:
    """A store that never waits still lets gathered reads start before the first one ends, so
    xarray's concurrent ``load_async`` calls each read instead of queueing behind one another."""
    array = zarrnb.create_array(MemoryStore(), shape=(8,), chunks=(4,), dtype="i4")
    array[...] = np.arange(8)
    events: list[tuple[str, str]] = []

    async def read(tag: str) -> np.ndarray:
        events.append(("call", tag))
        result = await array.async_array.getitem(slice(None))
        events.append(("done", tag))
        return result

    async def both() -> list[np.ndarray]:
        return await asyncio.gather(read("a"), read("b"))

    for result in asyncio.run(both()):
        np.testing.assert_array_equal(result, np.arange(8))
    assert events[:2] == [("call", "a"), ("call", "b")], events
