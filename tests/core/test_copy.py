"""Engine-level hierarchy copy: every chunk and document arrives byte for byte, metadata last."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest

import zarrnb
from zarrnb.api.sync import sync
from zarrnb.core.buffer import default_buffer_prototype
from zarrnb.core.copy import COPY_WINDOW_BYTES, CopyProgress, copy_node
from zarrnb.errors import ContainsArrayError, ContainsGroupError, ReadOnlyError
from zarrnb.storage import LocalStore, MemoryStore, StorePath

METADATA_NAMES = ("zarr.json", ".zarray", ".zgroup", ".zattrs", ".zmetadata")


async def _contents(store: Any) -> dict[str, bytes]:
    prototype = default_buffer_prototype()
    return {key: (await store.get(key, prototype)).to_bytes() async for key in store.list()}


def _build(store: Any, zarr_format: int) -> Any:
    root = zarrnb.open_group(store, mode="w", zarr_format=zarr_format, attributes={"title": "src"})
    temp = root.create_array("temp", shape=(6, 7), chunks=(4, 3), dtype="f8", fill_value=np.nan)
    temp[:] = np.arange(42.0).reshape(6, 7)
    sub = root.create_group("sub", attributes={"k": [1, 2]})
    sparse = sub.create_array("sparse", shape=(10,), chunks=(2,), dtype="i4", fill_value=0)
    sparse[:4] = 5  # chunks 2..4 are never written
    root.create_array("scalar", shape=(), dtype="u1", fill_value=3)
    return root


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_copy_is_byte_identical_and_reports_progress(zarr_format: int, tmp_path: Any) -> None:
    source = _build(MemoryStore(), zarr_format)
    zarrnb.consolidate_metadata(source.store)  # v2 writes .zmetadata, v3 folds it into zarr.json
    dest = LocalStore(tmp_path / "copy.zarr")
    reports: list[tuple[int, int, int]] = []
    tally = sync(
        copy_node(
            source._async_group,
            StorePath(dest),
            progress=lambda p: reports.append((p.chunks_done, p.chunks_total, p.bytes_done)),
        )
    )
    expected = sync(_contents(source._async_group.store_path.store))
    assert sync(_contents(dest)) == expected
    chunk_bytes = sum(len(v) for k, v in expected.items() if k.rsplit("/", 1)[-1] not in METADATA_NAMES)
    # temp: 2x3 chunks, sparse: 5 chunks (3 never written), scalar: 1 chunk (never written)
    assert (tally.chunks_total, tally.chunks_done, tally.chunks_missing) == (12, 12, 4)
    assert tally.bytes_done == chunk_bytes
    assert reports[0] == (0, 12, 0)
    assert [r[0] for r in reports] == list(range(13))
    copied = zarrnb.open_group(dest, mode="r")
    assert copied["temp"][:].tolist() == source["temp"][:].tolist()
    assert copied["sub/sparse"][:].tolist() == [5] * 4 + [0] * 6
    assert dict(copied["sub"].attrs) == {"k": [1, 2]}


def test_copy_of_a_sharded_array_and_into_a_path(tmp_path: Any) -> None:
    source = zarrnb.create_array(MemoryStore(), shape=(8, 8), chunks=(2, 2), shards=(4, 4), dtype="i2")
    source[:] = np.arange(64).reshape(8, 8)
    dest = MemoryStore()
    tally = sync(copy_node(source._async_array, StorePath(dest, "deep/copy")))
    assert tally.chunks_total == 4  # shards are the stored objects
    copied = zarrnb.open_array(dest, path="deep/copy", mode="r")
    assert copied[:].tolist() == source[:].tolist()


def test_copy_reads_chunk_keys_from_metadata_not_listings() -> None:
    class NoListing(MemoryStore):
        def list(self) -> Any:
            raise NotImplementedError("no listing here")

        def list_prefix(self, prefix: str) -> Any:
            raise NotImplementedError("no listing here")

    backing: dict[str, Any] = {}
    root = _build(MemoryStore(backing), 3)
    zarrnb.consolidate_metadata(root.store)
    unlisted = zarrnb.open_group(NoListing(backing, read_only=True), mode="r", use_consolidated=True)
    dest = MemoryStore()
    sync(copy_node(unlisted._async_group, StorePath(dest)))
    assert zarrnb.open_group(dest, mode="r")["temp"][:].tolist() == root["temp"][:].tolist()


def test_existing_destination_is_refused_unless_overwrite() -> None:
    source = _build(MemoryStore(), 3)
    dest = MemoryStore()
    zarrnb.create_array(dest, shape=(1,), dtype="i1")
    with pytest.raises(ContainsArrayError, match="already exists at 'memory://"):
        sync(copy_node(source._async_group, StorePath(dest)))
    zarrnb.open_group(dest, mode="w", zarr_format=2)
    with pytest.raises(ContainsGroupError, match="overwrite=True"):
        sync(copy_node(source._async_group, StorePath(dest)))
    sync(copy_node(source._async_group, StorePath(dest), overwrite=True))
    assert sync(_contents(dest)) == sync(_contents(source._async_group.store_path.store))


def test_interrupted_copy_leaves_whole_chunks_and_no_metadata() -> None:
    source = _build(MemoryStore(), 3)
    dest = MemoryStore()

    async def run() -> None:
        task: asyncio.Task[CopyProgress]

        def stop_after_three(progress: CopyProgress) -> None:
            if progress.chunks_done == 3:
                task.cancel()

        task = asyncio.create_task(
            copy_node(source._async_group, StorePath(dest), progress=stop_after_three, concurrency=2)
        )
        with pytest.raises(asyncio.CancelledError):
            await task

    sync(run())
    written = sync(_contents(dest))
    original = sync(_contents(source._async_group.store_path.store))
    assert written, "some chunks were copied before the interruption"
    assert all(key.rsplit("/", 1)[-1] not in METADATA_NAMES for key in written)
    assert all(original[key] == value for key, value in written.items())
    with pytest.raises(FileNotFoundError):
        zarrnb.open_group(dest, mode="r")


def test_a_failing_write_raises_its_own_error() -> None:
    source = _build(MemoryStore(), 3)
    with pytest.raises(ReadOnlyError):
        sync(copy_node(source._async_group, StorePath(MemoryStore(read_only=True))))


class _InFlightStore(MemoryStore):
    """A memory store that records the most reads in flight at once."""

    def __init__(self) -> None:
        super().__init__()
        self.in_flight = 0
        self.most_in_flight = 0

    async def get(self, key: str, prototype: Any, byte_range: Any = None) -> Any:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0)  # let the other workers start their reads
            return await super().get(key, prototype, byte_range)
        finally:
            self.in_flight -= 1


@pytest.mark.parametrize(
    ("chunk_side", "concurrency", "most"),
    [
        (1024, None, COPY_WINDOW_BYTES // (1024 * 1024 * 4)),  # 4 MiB chunks: the byte window binds
        (16, None, 4),  # 1 KiB chunks: the 4 chunks there are, all at once
        (1024, 3, 3),  # an explicit concurrency is honoured as given
    ],
)
def test_chunks_in_flight_are_bounded_by_the_byte_window(
    chunk_side: int, concurrency: int | None, most: int
) -> None:
    source_store = _InFlightStore()
    array = zarrnb.create_array(
        source_store, shape=(2 * chunk_side, 2 * chunk_side), chunks=(chunk_side, chunk_side), dtype="f4"
    )
    array[:] = 1.0
    sync(copy_node(array._async_array, StorePath(MemoryStore()), concurrency=concurrency))
    assert source_store.most_in_flight == max(1, most)
