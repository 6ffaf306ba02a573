"""``CacheStore``: a read-through cache kept in a second store, for slow (remote) sources.

Whole values are cached in ``cache_store`` (any store: memory for speed, local files to keep the
cache across sessions); byte-range reads are cached in memory only, so partial reads never fill
a persistent cache with fragments. Both share one ``max_size`` budget with least-recently-used
eviction and an optional age limit.

The books keep zarr-python's shape (``_state.cache_order``, ``key_sizes``, ``key_insert_times``,
``range_cache``, and an ``async with``-able ``lock``, held while an eviction deletes from the cache
store), so code and tests written against zarr-python's ``CacheStore`` work unchanged. Unlike
zarr-python's ``asyncio.Lock``, the lock is a thread lock taken without blocking the event loop, so
one cache serves the sync API's loop thread and ``asyncio.run`` alike; a value larger than
``max_size`` is never written to the cache store; and deleting or overwriting a key keeps
``current_size`` exact.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, Self

from zarrnb.abc.store import ByteRequest, Store
from zarrnb.core.buffer import Buffer, BufferPrototype
from zarrnb.storage.wrapper import WrapperStore

__all__ = ["CacheStore"]

# a whole value is cached under its key (in the cache store); a byte range under (key, range), in memory
_CacheEntryKey = str | tuple[str, ByteRequest]

# the longest pause between two tries of a contended lock (seconds); the first retry only yields
_MAX_BACKOFF = 0.001


class _StateLock:
    """A mutex for the cache's books, taken with ``async with`` from any event loop or thread.

    It may be held across the cache store's I/O (an eviction's delete), so waiting for it never
    blocks the thread: a waiter retries, yielding to its event loop between tries.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()

    async def acquire(self) -> bool:
        """Wait (without blocking the event loop) until the lock is ours."""
        delay = 0.0
        while not self._lock.acquire(blocking=False):
            await asyncio.sleep(delay)
            delay = min(delay * 2 or 1e-5, _MAX_BACKOFF)
        return True

    def release(self) -> None:
        self._lock.release()

    def locked(self) -> bool:
        return self._lock.locked()

    async def __aenter__(self) -> None:
        await self.acquire()

    async def __aexit__(self, *exc_info: object) -> None:
        self.release()


@dataclass
class _CacheState:
    """What a cache and its read-only twin share: LRU order, sizes, insert times, ranges and counters."""

    cache_order: OrderedDict[_CacheEntryKey, None] = field(default_factory=OrderedDict)  # oldest use first
    current_size: int = 0
    key_sizes: dict[_CacheEntryKey, int] = field(default_factory=dict)
    lock: _StateLock = field(default_factory=_StateLock)
    hits: int = 0
    misses: int = 0
    evictions: int = 0
    key_insert_times: dict[_CacheEntryKey, float] = field(default_factory=dict)
    range_cache: dict[str, dict[ByteRequest, Buffer]] = field(default_factory=dict)


class CacheStore(WrapperStore[Store]):
    """Wraps ``store`` and keeps what is read (and, with ``cache_set_data``, written) in ``cache_store``.

    ``max_age_seconds`` (a number, or ``"infinity"``) limits how long an entry is trusted;
    ``max_size`` (bytes, or None for no limit) bounds the cache, evicting the least recently used
    entries; a value larger than ``max_size`` is never cached. With no age limit, a value found in
    the cache store is served even when this object did not put it there (a persistent cache).
    """

    _cache: Store
    max_age_seconds: int | float | Literal["infinity"]
    max_size: int | None
    cache_set_data: bool
    _state: _CacheState

    def __init__(
        self,
        store: Store,
        *,
        cache_store: Store,
        max_age_seconds: int | float | Literal["infinity"] = "infinity",
        max_size: int | None = None,
        cache_set_data: bool = True,
    ) -> None:
        super().__init__(store)
        if not cache_store.supports_deletes:
            raise ValueError(
                f"The provided cache store {cache_store} does not support deletes, which eviction needs"
            )
        if isinstance(max_age_seconds, str) and max_age_seconds != "infinity":
            raise ValueError(
                f"max_age_seconds string value must be 'infinity' (or give seconds), not {max_age_seconds!r}"
            )
        if max_size is not None and max_size < 0:
            raise ValueError(f"max_size must be a number of bytes >= 0 or None, not {max_size!r}")
        self._cache = cache_store
        self.max_age_seconds = max_age_seconds
        self.max_size = max_size
        self.cache_set_data = cache_set_data
        self._state = _CacheState()

    def __getstate__(self) -> dict[str, Any]:
        """Pickles without the books: a copy in another process starts with an empty book of its own."""
        state = self.__dict__.copy()
        del state["_state"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._state = _CacheState()

    def _with_store(self, store: Store) -> Self:
        raise NotImplementedError("a CacheStore cannot wrap another store: its cache would mix the two")

    def with_read_only(self, read_only: bool = False) -> Self:
        """The same cache (shared entries and counters) over a read-only or writable source."""
        twin = type(self)(
            self._store.with_read_only(read_only),
            cache_store=self._cache,
            max_age_seconds=self.max_age_seconds,
            max_size=self.max_size,
            cache_set_data=self.cache_set_data,
        )
        twin._state = self._state
        return twin

    # -- the books (callers of the sync helpers hold ``_state.lock``) --------------------

    def _is_key_fresh(self, entry_key: _CacheEntryKey) -> bool:
        """Whether a cached ``entry_key`` may be trusted: always with no age limit, else by its age."""
        if self.max_age_seconds == "infinity":
            return True
        inserted = self._state.key_insert_times.get(entry_key, 0.0)
        return time.monotonic() - inserted < self.max_age_seconds

    def _fits(self, size: int) -> bool:
        return self.max_size is None or size <= self.max_size

    def _remove_from_tracking(self, entry_key: _CacheEntryKey) -> None:
        """Take ``entry_key`` off the books (its size, order, age, and a byte range's bytes)."""
        state = self._state
        state.current_size = max(0, state.current_size - state.key_sizes.pop(entry_key, 0))
        state.cache_order.pop(entry_key, None)
        state.key_insert_times.pop(entry_key, None)
        if isinstance(entry_key, tuple):
            key, byte_range = entry_key
            ranges = state.range_cache.get(key)
            if ranges is not None:
                ranges.pop(byte_range, None)
                if not ranges:
                    del state.range_cache[key]

    def _invalidate_range_entries(self, key: str) -> None:
        """Forget every cached byte range of ``key`` (its source value changed or went away)."""
        for byte_range in list(self._state.range_cache.get(key, ())):
            self._remove_from_tracking((key, byte_range))
        self._state.range_cache.pop(key, None)

    async def _evict_key(self, entry_key: _CacheEntryKey) -> None:
        """Evict ``entry_key``: off the books, and a whole value out of the cache store (lock held)."""
        if isinstance(entry_key, str):
            await self._cache.delete(entry_key)
        self._remove_from_tracking(entry_key)
        self._state.evictions += 1

    async def _accommodate_value(self, value_size: int) -> None:
        """Evict least recently used entries until ``value_size`` more bytes fit (lock held)."""
        if self.max_size is None:
            return
        state = self._state
        while state.cache_order and state.current_size + value_size > self.max_size:
            await self._evict_key(next(iter(state.cache_order)))

    async def _track_entry(self, entry_key: _CacheEntryKey, value: Buffer) -> bool:
        """Put ``entry_key`` on the books as the newest entry, making room; False when it can never fit.

        A byte range's bytes are kept here too, in the same locked step, so an entry is never
        cached without being counted.
        """
        size = len(value)
        if not self._fits(size):
            return False
        state = self._state
        async with state.lock:
            self._remove_from_tracking(entry_key)  # a new value replaces the old one's size
            await self._accommodate_value(size)
            state.cache_order[entry_key] = None
            state.key_sizes[entry_key] = size
            state.key_insert_times[entry_key] = time.monotonic()
            state.current_size += size
            if isinstance(entry_key, tuple):
                state.range_cache.setdefault(entry_key[0], {})[entry_key[1]] = value
        return True

    async def _update_access_order(self, entry_key: _CacheEntryKey) -> None:
        """Mark ``entry_key`` most recently used."""
        async with self._state.lock:
            if entry_key in self._state.cache_order:
                self._state.cache_order.move_to_end(entry_key)

    async def _drop_key(self, key: str) -> None:
        """Forget ``key``'s value and byte ranges, and delete its value from the cache store."""
        async with self._state.lock:
            self._invalidate_range_entries(key)
            self._remove_from_tracking(key)
        await self._cache.delete(key)

    # -- reads ---------------------------------------------------------------------

    async def _cache_miss(self, key: str, byte_range: ByteRequest | None, result: Buffer | None) -> None:
        """Record what the source returned: cache it when it fits, forget ``key`` when it is gone."""
        if result is None:
            await self._drop_key(key)
        elif byte_range is not None:
            await self._track_entry((key, byte_range), result)
        elif self._fits(len(result)):
            async with self._state.lock:  # off the books while being rewritten: no eviction races it
                self._remove_from_tracking(key)
            await self._cache.set(key, result)
            await self._track_entry(key, result)
        else:
            await self._drop_key(key)  # an older, smaller copy must not be served later

    async def _get_try_cache(
        self, key: str, prototype: BufferPrototype, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        """The cached value or byte range when there is one; otherwise the source's, then cached."""
        if byte_range is None:
            cached = await self._cache.get(key, prototype)
            entry_key: _CacheEntryKey = key
        else:
            cached = self._state.range_cache.get(key, {}).get(byte_range)
            entry_key = (key, byte_range)
        if cached is not None:
            self._state.hits += 1
            await self._update_access_order(entry_key)
            return cached
        return await self._get_no_cache(key, prototype, byte_range)

    async def _get_no_cache(
        self, key: str, prototype: BufferPrototype, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        """Read the source (a miss), then update the cache with what it returned."""
        self._state.misses += 1
        result = await self._store.get(key, prototype, byte_range)
        await self._cache_miss(key, byte_range, result)
        return result

    async def get(
        self, key: str, prototype: BufferPrototype, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        entry_key: _CacheEntryKey = key if byte_range is None else (key, byte_range)
        if self._is_key_fresh(entry_key):
            return await self._get_try_cache(key, prototype, byte_range)
        return await self._get_no_cache(key, prototype, byte_range)

    # batched reads go through ``get`` (and so the cache): the base contract's versions, not the wrapper's
    get_partial_values = Store.get_partial_values
    _get_many = Store._get_many

    # -- writes --------------------------------------------------------------------

    async def set(self, key: str, value: Buffer) -> None:
        await self._store.set(key, value)
        async with self._state.lock:
            self._invalidate_range_entries(key)
            self._remove_from_tracking(key)
        if self.cache_set_data and self._fits(len(value)):
            await self._cache.set(key, value)
            await self._track_entry(key, value)
        else:
            await self._cache.delete(key)

    async def set_if_not_exists(self, key: str, value: Buffer) -> None:
        self._check_writable(key)
        if not await self._store.exists(key):
            await self.set(key, value)

    async def _set_many(self, values: Iterable[tuple[str, Buffer]]) -> None:
        await asyncio.gather(*(self.set(k, v) for k, v in values))

    async def delete(self, key: str) -> None:
        await self._store.delete(key)
        await self._drop_key(key)

    async def delete_dir(self, prefix: str) -> None:
        await self._store.delete_dir(prefix)
        base = prefix if prefix == "" or prefix.endswith("/") else prefix + "/"
        async with self._state.lock:
            keys = {e if isinstance(e, str) else e[0] for e in self._state.cache_order}
        await asyncio.gather(*(self._drop_key(k) for k in keys if k.startswith(base)))
        await self._cache.delete_dir(prefix)  # values a persistent cache kept from earlier sessions

    async def clear(self) -> None:
        await self._store.clear()
        await self.clear_cache()

    # -- what the cache reports ----------------------------------------------------

    def cache_info(self) -> dict[str, Any]:
        """The cache's settings and how full it is."""
        state = self._state
        return {
            "cache_store_type": type(self._cache).__name__,
            "max_age_seconds": self.max_age_seconds,
            "max_size": self.max_size,
            "current_size": state.current_size,
            "cache_set_data": self.cache_set_data,
            "tracked_keys": len(state.key_insert_times),
            "cached_keys": len(state.cache_order),
        }

    def cache_stats(self) -> dict[str, Any]:
        """Hits, misses and evictions since the cache was made."""
        hits, misses = self._state.hits, self._state.misses
        total = hits + misses
        return {
            "hits": hits,
            "misses": misses,
            "evictions": self._state.evictions,
            "total_requests": total,
            "hit_rate": hits / total if total else 0.0,
        }

    async def clear_cache(self) -> None:
        """Empty the cache store and forget every entry (the source is untouched)."""
        await self._cache.clear()
        state = self._state
        async with state.lock:
            state.cache_order.clear()
            state.key_sizes.clear()
            state.key_insert_times.clear()
            state.range_cache.clear()
            state.current_size = 0

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(store={self._store!r}, cache_store={self._cache!r}, "
            f"max_age_seconds={self.max_age_seconds}, max_size={self.max_size}, "
            f"current_size={self._state.current_size}, cached_keys={len(self._state.cache_order)})"
        )
