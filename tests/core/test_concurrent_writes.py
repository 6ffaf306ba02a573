"""Threads of one process that write disjoint parts of shared chunks never lose each other's updates."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import zarrnb
from zarrnb.core.buffer import Buffer
from zarrnb.core.chunk_locks import ChunkLocks, chunk_locks
from zarrnb.storage import LocalStore, MemoryStore

THREADS = 32


def _open_store(kind: str, tmp_path):
    return LocalStore(tmp_path / "data") if kind == "local" else MemoryStore()


@pytest.mark.parametrize("zarr_format", [2, 3])
@pytest.mark.parametrize("kind", ["local", "memory"])
def test_32_threads_writing_disjoint_regions_of_shared_chunks(kind: str, zarr_format: int, tmp_path) -> None:
    # 32 regions of 5 elements, 8 regions to a chunk: every chunk is read, merged and written
    # back by 8 threads at once, 20 times over
    region, rounds = 5, 20
    store = _open_store(kind, tmp_path)
    array = zarrnb.create_array(
        store,
        shape=(THREADS * region,),
        chunks=(8 * region,),
        dtype="i4",
        fill_value=-1,
        zarr_format=zarr_format,
    )
    barrier = threading.Barrier(THREADS)

    def writer(i: int) -> None:
        barrier.wait()
        for r in range(rounds):
            array[i * region : (i + 1) * region] = r * 1000 + i

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(writer, range(THREADS)))
    expected = np.repeat((rounds - 1) * 1000 + np.arange(THREADS, dtype="i4"), region)
    lost = sorted({int(i) // region for i in np.flatnonzero(array[:] != expected)})
    assert lost == [], f"updates of regions {lost} were lost"
    assert chunk_locks.held() == 0


def test_threads_with_their_own_event_loops_share_the_locks(tmp_path) -> None:
    """``asyncio.run`` in each thread (no sync bridge): the locks still cover every loop."""
    store = LocalStore(tmp_path / "data")
    array = zarrnb.create_array(store, shape=(64,), chunks=(64,), dtype="i8", fill_value=0)
    handle = array.async_array

    def writer(i: int) -> None:
        for r in range(10):
            asyncio.run(handle.setitem(slice(i * 4, i * 4 + 4), np.full(4, r * 100 + i)))

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(writer, range(16)))
    np.testing.assert_array_equal(array[:], np.repeat(900 + np.arange(16), 4))


def test_a_failed_write_leaves_no_chunk_locked(tmp_path) -> None:
    array = zarrnb.create_array(MemoryStore(), shape=(100,), chunks=(10,), dtype="i4")
    with pytest.raises(ValueError, match="shape"):
        array[5:95] = np.zeros(3)
    array.store._store_dict["c/0"] = Buffer.from_bytes(b"not a chunk")  # type: ignore[attr-defined]
    with pytest.raises(zarrnb.errors.ChunkDecodeError):
        array[5:95] = 1
    assert chunk_locks.held() == 0


def test_lock_sets_are_taken_whole_and_handed_on_in_order() -> None:
    locks = ChunkLocks()
    order: list[str] = []

    async def scenario() -> None:
        first = await locks.acquire({"a", "b"})
        blocked = asyncio.ensure_future(_take(locks, {"b", "c"}, "second", order))
        later = asyncio.ensure_future(_take(locks, {"c"}, "third", order))
        await asyncio.sleep(0.01)
        # "third" wants only "c", which is free, but "second" asked for it first
        assert order == [] and not blocked.done() and not later.done()
        cancelled = asyncio.ensure_future(locks.acquire({"a"}))
        await asyncio.sleep(0)
        cancelled.cancel()
        locks.release(first)
        await asyncio.gather(blocked, later)
        with pytest.raises(asyncio.CancelledError):
            await cancelled

    asyncio.run(scenario())
    assert order == ["second", "third"] and locks.held() == 0


async def _take(locks: ChunkLocks, keys: set[str], name: str, order: list[str]) -> None:
    held = await locks.acquire(keys)
    order.append(name)
    await asyncio.sleep(0.001)
    locks.release(held)
