"""CacheStore: the store contract, read-through caching, LRU and age limits, and arrays on top."""

from __future__ import annotations

import asyncio
import pickle
from typing import Any

import numpy as np
import pytest

import zarrnb as zarr
from zarrnb.abc.store import ByteRequest, RangeByteRequest
from zarrnb.core.buffer import Buffer, BufferPrototype, default_buffer_prototype
from zarrnb.experimental import cache_store as cache_module
from zarrnb.experimental.cache_store import CacheStore
from zarrnb.storage import LocalStore, MemoryStore
from zarrnb.testing.store import StoreTests

PROTO = default_buffer_prototype()


class TestCacheStoreContract(StoreTests[CacheStore]):
    store_cls = CacheStore

    @pytest.fixture
    def store_kwargs(self) -> dict[str, Any]:
        return {"store_dict": {}}

    def reopen(self, store_kwargs: dict[str, Any], **changes: Any) -> CacheStore:
        return CacheStore(MemoryStore(**{**store_kwargs, **changes}), cache_store=MemoryStore())

    async def open_store(self, store_kwargs: dict[str, Any], **changes: Any) -> CacheStore:
        return CacheStore(await MemoryStore.open(**{**store_kwargs, **changes}), cache_store=MemoryStore())


class CountingStore(MemoryStore):
    """A source that counts the reads reaching it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reads: list[tuple[str, ByteRequest | None]] = []

    async def get(
        self, key: str, prototype: BufferPrototype, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        self.reads.append((key, byte_range))
        return await super().get(key, prototype, byte_range)


def put(store: Any, key: str, data: bytes) -> None:
    asyncio.run(store.set(key, Buffer.from_bytes(data)))


def read(store: Any, key: str, byte_range: ByteRequest | None = None) -> bytes | None:
    value = asyncio.run(store.get(key, PROTO, byte_range))
    return None if value is None else value.to_bytes()


def test_a_second_read_is_served_by_the_cache() -> None:
    source, cache = CountingStore(), MemoryStore()
    put(source, "a", b"0123456789")
    cached = CacheStore(source, cache_store=cache)
    assert read(cached, "a") == b"0123456789"
    assert read(cached, "a") == b"0123456789"
    assert source.reads == [("a", None)]
    assert read(cache, "a") == b"0123456789"
    stats = cached.cache_stats()
    assert stats == {"hits": 1, "misses": 1, "evictions": 0, "total_requests": 2, "hit_rate": 0.5}


def test_least_recently_used_entries_are_evicted_to_fit_max_size() -> None:
    source, cache = CountingStore(), MemoryStore()
    for key in "abc":
        put(source, key, key.encode() * 10)
    cached = CacheStore(source, cache_store=cache, max_size=25)
    read(cached, "a"), read(cached, "b"), read(cached, "a"), read(cached, "c")  # b is the oldest use
    assert sorted(asyncio.run(_keys(cache))) == ["a", "c"]
    info = cached.cache_info()
    assert (info["current_size"], info["cached_keys"], info["max_size"]) == (20, 2, 25)
    assert cached.cache_stats()["evictions"] == 1


def test_a_value_larger_than_max_size_is_never_cached() -> None:
    source, cache = CountingStore(), MemoryStore()
    put(source, "big", b"x" * 100)
    cached = CacheStore(source, cache_store=cache, max_size=50)
    assert read(cached, "big") == b"x" * 100 and read(cached, "big") == b"x" * 100
    assert len(source.reads) == 2 and asyncio.run(_keys(cache)) == []


def test_entries_older_than_max_age_are_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: clock[0])
    source = CountingStore()
    put(source, "a", b"old")
    cached = CacheStore(source, cache_store=MemoryStore(), max_age_seconds=10)
    read(cached, "a")
    put(source, "a", b"new")  # behind the cache's back
    clock[0] += 5
    assert read(cached, "a") == b"old"
    clock[0] += 6
    assert read(cached, "a") == b"new"
    assert len(source.reads) == 2


@pytest.mark.parametrize("cache_set_data", [True, False])
def test_writes_are_cached_only_when_asked(cache_set_data: bool) -> None:
    source, cache = CountingStore(), MemoryStore()
    cached = CacheStore(source, cache_store=cache, cache_set_data=cache_set_data)
    put(cached, "a", b"written")
    assert read(source, "a") == b"written"
    source.reads.clear()
    assert read(cached, "a") == b"written"
    assert source.reads == ([] if cache_set_data else [("a", None)])


def test_overwrite_and_delete_never_leave_stale_bytes() -> None:
    source = CountingStore()
    cached = CacheStore(source, cache_store=MemoryStore(), cache_set_data=False)
    put(source, "a", b"first")
    assert read(cached, "a", RangeByteRequest(0, 2)) == b"fi"
    assert read(cached, "a") == b"first"
    put(cached, "a", b"second")
    assert read(cached, "a") == b"second"
    assert read(cached, "a", RangeByteRequest(0, 2)) == b"se"
    asyncio.run(cached.delete("a"))
    assert read(cached, "a") is None and read(cached, "a", RangeByteRequest(0, 2)) is None
    assert cached.cache_info()["cached_keys"] == 0


def test_byte_ranges_are_cached_in_memory_not_in_the_cache_store() -> None:
    source, cache = CountingStore(), MemoryStore()
    put(source, "a", b"0123456789")
    cached = CacheStore(source, cache_store=cache)
    assert read(cached, "a", RangeByteRequest(2, 5)) == b"234"
    assert read(cached, "a", RangeByteRequest(2, 5)) == b"234"
    assert source.reads == [("a", RangeByteRequest(2, 5))]
    assert asyncio.run(_keys(cache)) == []
    assert cached.cache_info()["current_size"] == 3


def test_clear_cache_empties_the_cache_but_not_the_source() -> None:
    source, cache = CountingStore(), MemoryStore()
    put(source, "a", b"v")
    cached = CacheStore(source, cache_store=cache)
    read(cached, "a")
    asyncio.run(cached.clear_cache())
    assert asyncio.run(_keys(cache)) == [] and read(source, "a") == b"v"
    assert cached.cache_info()["tracked_keys"] == 0 and cached.cache_info()["current_size"] == 0


def test_a_read_only_twin_shares_the_cache() -> None:
    source = CountingStore()
    put(source, "a", b"v")
    cached = CacheStore(source, cache_store=MemoryStore())
    read(cached, "a")
    reader = cached.with_read_only(True)
    assert reader.read_only and read(reader, "a") == b"v"
    assert cached.cache_stats()["hits"] == 1


def test_pickled_copy_reads_through_with_an_empty_book() -> None:
    cached = CacheStore(MemoryStore(), cache_store=MemoryStore())
    put(cached, "a", b"v")
    copy = pickle.loads(pickle.dumps(cached))
    assert copy.cache_info()["cached_keys"] == 0


def test_bad_arguments_name_themselves() -> None:
    with pytest.raises(ValueError, match="max_age_seconds"):
        CacheStore(MemoryStore(), cache_store=MemoryStore(), max_age_seconds="forever")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_size"):
        CacheStore(MemoryStore(), cache_store=MemoryStore(), max_size=-1)


def test_arrays_read_the_same_through_a_persistent_local_cache(tmp_path: Any) -> None:
    source = LocalStore(tmp_path / "source.zarr")
    cached = CacheStore(source, cache_store=LocalStore(tmp_path / "cache"), max_size=1 << 20)
    data = np.random.default_rng(0).random((100, 100))
    array = zarr.zeros((100, 100), chunks=(10, 10), dtype="f8", store=cached, mode="w")
    array[:] = data
    np.testing.assert_array_equal(array[:], data)
    np.testing.assert_array_equal(array[:50, :50], data[:50, :50])
    assert cached.cache_stats()["hits"] > 0
    assert (tmp_path / "cache" / "c" / "0" / "0").exists()
    np.testing.assert_array_equal(zarr.open_array(source, mode="r")[:], data)


async def _keys(store: Any) -> list[str]:
    return sorted([key async for key in store.list()])


def _books_agree(cached: CacheStore) -> None:
    """The invariants zarr-python's tests check: order, sizes and total describe the same entries."""
    state = cached._state
    assert set(state.cache_order) == set(state.key_sizes) == set(state.key_insert_times)
    assert sum(state.key_sizes.values()) == state.current_size
    ranges = {(k, r) for k, per_key in state.range_cache.items() for r in per_key}
    assert ranges == {e for e in state.cache_order if isinstance(e, tuple)}


class SlowCacheStore(MemoryStore):
    """A cache store whose writes and deletes take a moment, so evictions overlap (as on disk)."""

    async def set(self, key: str, value: Buffer) -> None:
        await asyncio.sleep(0.0005)
        await super().set(key, value)

    async def delete(self, key: str) -> None:
        await asyncio.sleep(0.0005)
        await super().delete(key)


def test_one_cache_serves_several_event_loops_and_threads_at_once() -> None:
    import threading

    source, cache = CountingStore(), SlowCacheStore()
    for i in range(20):
        put(source, f"k{i}", bytes([i]) * 10)
    cached = CacheStore(source, cache_store=cache, max_size=95)  # room for 9 values: constant eviction

    async def reader(offset: int) -> None:
        for n in range(200):
            key = f"k{(n * 7 + offset) % 20}"
            value = await cached.get(key, PROTO, RangeByteRequest(0, 3) if n % 5 == 0 else None)
            assert value is not None and value.to_bytes()[:1] == bytes([int(key[1:])])

    errors: list[BaseException] = []

    def run(offset: int) -> None:
        try:
            asyncio.run(asyncio.wait_for(reader(offset), 60))
        except BaseException as e:  # reported below: a thread's exception would otherwise vanish
            errors.append(e)

    threads = [threading.Thread(target=run, args=(t,)) for t in range(3)]
    for thread in threads:
        thread.start()
    async def main() -> None:
        await asyncio.wait_for(asyncio.gather(reader(11), reader(5)), 60)

    asyncio.run(main())
    for thread in threads:
        thread.join()
    assert errors == []
    _books_agree(cached)
    assert cached.cache_info()["current_size"] <= 95 and cached.cache_stats()["evictions"] > 0
    stored = set(asyncio.run(_keys(cache)))
    assert {e for e in cached._state.cache_order if isinstance(e, str)} == stored


def test_a_held_book_lock_lets_the_event_loop_run_on() -> None:
    async def scenario() -> list[str]:
        cached = CacheStore(MemoryStore(), cache_store=MemoryStore())
        events: list[str] = []
        async with cached._state.lock:
            writer = asyncio.create_task(cached.set("a", Buffer.from_bytes(b"v")))
            await asyncio.sleep(0.01)
            events.append("still running while the writer waits")
            assert not writer.done()
        await writer
        events.append(f"written: {cached.cache_info()['cached_keys']}")
        return events

    assert asyncio.run(scenario()) == ["still running while the writer waits", "written: 1"]


def test_overwrites_and_deletes_keep_current_size_exact() -> None:
    cached = CacheStore(MemoryStore(), cache_store=MemoryStore(), max_size=100)
    put(cached, "a", b"x" * 30)
    put(cached, "b", b"y" * 20)
    put(cached, "a", b"z" * 10)
    assert read(cached, "b", RangeByteRequest(0, 5)) == b"yyyyy"
    assert cached.cache_info()["current_size"] == 10 + 20 + 5
    asyncio.run(cached.delete("b"))
    assert cached.cache_info()["current_size"] == 10
    _books_agree(cached)


def test_a_value_too_big_to_cache_is_never_written_to_the_cache_store() -> None:
    cache = MemoryStore()
    cached = CacheStore(MemoryStore(), cache_store=cache, max_size=8)
    put(cached, "small", b"1234")
    put(cached, "small", b"0123456789")  # the old copy goes too: it must not be served later
    assert asyncio.run(_keys(cache)) == [] and read(cached, "small") == b"0123456789"
    assert cached.cache_info()["current_size"] == 0


def test_a_persistent_cache_serves_an_earlier_session_until_an_age_limit_applies(tmp_path: Any) -> None:
    source = CountingStore()
    put(source, "a", b"value")
    read(CacheStore(source, cache_store=LocalStore(tmp_path)), "a")
    source.reads.clear()
    later = CacheStore(source, cache_store=LocalStore(tmp_path))  # a new session: empty books
    assert read(later, "a") == b"value" and source.reads == []
    aged = CacheStore(source, cache_store=LocalStore(tmp_path), max_age_seconds=60)
    assert read(aged, "a") == b"value" and source.reads == [("a", None)]  # unknown age: not trusted


def test_delete_dir_also_drops_values_kept_from_earlier_sessions(tmp_path: Any) -> None:
    source = CountingStore()
    put(source, "g/a", b"1")
    put(source, "h/a", b"2")
    first = CacheStore(source, cache_store=LocalStore(tmp_path))
    read(first, "g/a"), read(first, "h/a")
    later = CacheStore(source, cache_store=LocalStore(tmp_path))
    asyncio.run(later.delete_dir("g"))
    assert read(later, "g/a") is None and read(later, "h/a") == b"2"
