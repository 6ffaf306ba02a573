"""``CacheStore``: a read-through cache kept in a second store, for slow (remote) sources.

Whole values are cached in ``cache_store`` (any store: memory for speed, local files to keep the
cache across sessions); byte-range reads are cached in memory only, so partial reads never fill
a persistent cache with fragments. Both share one ``max_size`` budget with least-recently-used
eviction and an optional age limit. The bookkeeping is guarded by a thread lock, never held over
I/O, so the cache works from the sync API's loop thread and from ``asyncio.run`` alike.
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

# a whole value is cached under its key; a byte range under (key, range)
EntryKey = str | tuple[str, ByteRequest]


class _StateLock:
    """A re-entrant thread lock usable with ``with`` and ``async with`` (zarr-python's tests hold it
    with ``async with``). zarrnb's own code holds it only around bookkeeping, never over I/O, so
    tasks of one loop never wait on it and the sync API's loop thread and ``asyncio.run`` share it safely."""

    def __init__(self) -> None:
        self._lock = threading.RLock()

    def __enter__(self) -> None:
        self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()

    async def __aenter__(self) -> None:
        self._lock.acquire()

    async def __aexit__(self, *exc: object) -> None:
        self._lock.release()


@dataclass
class _CacheState:
    """What a cache and its read-only twin share (zarr-python's fields): LRU order, sizes, ages, counters."""

    cache_order: OrderedDict[EntryKey, None] = field(default_factory=OrderedDict)  # oldest use first
    current_size: int = 0
    key_sizes: dict[EntryKey, int] = field(default_factory=dict)
    lock: _StateLock = field(default_factory=_StateLock)
    hits: int = 0
    misses: int = 0
    evictions: int = 0
    key_insert_times: dict[EntryKey, float] = field(default_factory=dict)
    range_cache: dict[str, dict[ByteRequest, Buffer]] = field(default_factory=dict)  # key -> cached ranges


class CacheStore(WrapperStore[Store]):
    """Wraps ``store`` and keeps what is read (and, with ``cache_set_data``, written) in ``cache_store``.

    ``max_age_seconds`` (an int, or ``"infinity"``) limits how long an entry is trusted;
    ``max_size`` (bytes, or None for no limit) bounds the cache, evicting the least recently used
    entries; a value larger than ``max_size`` is never cached. A whole value already in
    ``cache_store`` (say a local cache from an earlier session) is served while fresh.
    """

    def __init__(
        self,
        store: Store,
        *,
        cache_store: Store,
        max_age_seconds: int | Literal["infinity"] = "infinity",
        max_size: int | None = None,
        cache_set_data: bool = True,
    ) -> None:
        super().__init__(store)
        if not cache_store.supports_deletes:
            raise ValueError(f"cache_store {cache_store} does not support deletes, which eviction needs")
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
        """Pickles without the books: a copy in another process starts with an empty cache of its own."""
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

    # -- bookkeeping (no I/O; each takes the lock, which is re-entrant) ------------------

    def _is_key_fresh(self, entry: EntryKey) -> bool:
        """Whether ``entry`` is young enough to serve (an entry of unknown age is not, under an age limit)."""
        if self.max_age_seconds == "infinity":
            return True
        inserted = self._state.key_insert_times.get(entry, 0.0)
        return time.monotonic() - inserted < self.max_age_seconds

    def _touch(self, entry: EntryKey) -> None:
        """Mark a tracked ``entry`` most recently used."""
        with self._state.lock:
            if entry in self._state.cache_order:
                self._state.cache_order.move_to_end(entry)

    def _remove_from_tracking(self, entry: EntryKey) -> None:
        """Take ``entry`` off the books (its size too); a byte range's bytes go with it."""
        state = self._state
        with state.lock:
            state.cache_order.pop(entry, None)
            state.key_insert_times.pop(entry, None)
            state.current_size = max(0, state.current_size - state.key_sizes.pop(entry, 0))
            if isinstance(entry, tuple):
                key, byte_range = entry
                ranges = state.range_cache.get(key, {})
                ranges.pop(byte_range, None)
                if not ranges:
                    state.range_cache.pop(key, None)

    def _invalidate_range_entries(self, key: str) -> None:
        """Forget every cached byte range of ``key`` (its source value changed or went)."""
        with self._state.lock:
            for byte_range in list(self._state.range_cache.get(key, ())):
                self._remove_from_tracking((key, byte_range))

    def _victims(self, size: int) -> list[EntryKey]:
        """Least recently used entries taken off the books until ``size`` more bytes fit."""
        state = self._state
        victims: list[EntryKey] = []
        with state.lock:
            while (
                self.max_size is not None and state.cache_order and state.current_size + size > self.max_size
            ):
                entry = next(iter(state.cache_order))
                self._remove_from_tracking(entry)
                state.evictions += 1
                victims.append(entry)
        return victims

    def _count(self, hit: bool) -> None:
        with self._state.lock:
            if hit:
                self._state.hits += 1
            else:
                self._state.misses += 1

    # -- cache I/O ---------------------------------------------------------------

    async def _evict_key(self, entry: EntryKey) -> None:
        """Evict ``entry``: delete a whole value from the cache store, then take it off the books."""
        if isinstance(entry, str):
            await self._cache.delete(entry)
        self._remove_from_tracking(entry)
        with self._state.lock:
            self._state.evictions += 1

    async def _accommodate_value(self, value_size: int) -> None:
        """Evict least recently used entries until ``value_size`` more bytes fit (no-op without a limit)."""
        if self.max_size is None:
            return
        victims = self._victims(value_size)
        await asyncio.gather(*(self._cache.delete(e) for e in victims if isinstance(e, str)))

    async def _track_entry(self, entry: EntryKey, value: Buffer) -> bool:
        """Put ``entry`` on the books, evicting to make room; False (nothing tracked) when it never fits."""
        size = len(value)
        if self.max_size is not None and size > self.max_size:
            return False
        state = self._state
        with state.lock:
            state.cache_order.pop(entry, None)
            state.current_size = max(0, state.current_size - state.key_sizes.pop(entry, 0))
            victims = self._victims(size)
            state.cache_order[entry] = None
            state.key_sizes[entry] = size
            state.key_insert_times[entry] = time.monotonic()
            state.current_size += size
        await asyncio.gather(*(self._cache.delete(e) for e in victims if isinstance(e, str)))
        return True

    async def _cache_miss(self, key: str, byte_range: ByteRequest | None, result: Buffer | None) -> None:
        """Record what a source read gave: cache it, or forget a value the source no longer has."""
        if result is None:
            if byte_range is None:
                await self._cache.delete(key)
                self._remove_from_tracking(key)
                self._invalidate_range_entries(key)
            else:
                self._remove_from_tracking((key, byte_range))
        elif byte_range is None:
            await self._cache.set(key, result)
            if not await self._track_entry(key, result):
                await self._cache.delete(key)  # too large for the cache
        else:
            with self._state.lock:
                self._state.range_cache.setdefault(key, {})[byte_range] = result
            if not await self._track_entry((key, byte_range), result):
                self._remove_from_tracking((key, byte_range))

    async def _get_no_cache(
        self, key: str, prototype: BufferPrototype, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        """Read from the source and record the result in the cache."""
        self._count(hit=False)
        result = await self._store.get(key, prototype, byte_range)
        await self._cache_miss(key, byte_range, result)
        return result

    async def _get_try_cache(
        self, key: str, prototype: BufferPrototype, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        """Serve from the cache when it holds the value, else from the source."""
        if byte_range is None:
            cached = await self._cache.get(key, prototype)
        else:
            with self._state.lock:
                cached = self._state.range_cache.get(key, {}).get(byte_range)
        if cached is None:
            return await self._get_no_cache(key, prototype, byte_range)
        self._count(hit=True)
        self._touch(key if byte_range is None else (key, byte_range))
        return cached

    # -- the store contract --------------------------------------------------------

    async def get(
        self, key: str, prototype: BufferPrototype, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        entry: EntryKey = key if byte_range is None else (key, byte_range)
        if self._is_key_fresh(entry):
            return await self._get_try_cache(key, prototype, byte_range)
        return await self._get_no_cache(key, prototype, byte_range)

    # batched reads go through ``get`` (and so the cache): the base contract's versions, not the wrapper's
    get_partial_values = Store.get_partial_values
    _get_many = Store._get_many

    async def set(self, key: str, value: Buffer) -> None:
        await self._store.set(key, value)
        self._invalidate_range_entries(key)
        if self.cache_set_data:
            await self._cache.set(key, value)
            if await self._track_entry(key, value):
                return
        await self._cache.delete(key)
        self._remove_from_tracking(key)

    async def set_if_not_exists(self, key: str, value: Buffer) -> None:
        self._check_writable(key)
        if not await self._store.exists(key):
            await self.set(key, value)

    async def _set_many(self, values: Iterable[tuple[str, Buffer]]) -> None:
        await asyncio.gather(*(self.set(k, v) for k, v in values))

    async def delete(self, key: str) -> None:
        await self._store.delete(key)
        self._invalidate_range_entries(key)
        await self._cache.delete(key)
        self._remove_from_tracking(key)

    async def delete_dir(self, prefix: str) -> None:
        await self._store.delete_dir(prefix)
        base = prefix if prefix == "" or prefix.endswith("/") else prefix + "/"
        with self._state.lock:
            keys = {e if isinstance(e, str) else e[0] for e in self._state.cache_order}
        doomed = [k for k in keys if k.startswith(base)]
        await asyncio.gather(*(self._cache.delete(k) for k in doomed))
        for key in doomed:
            self._invalidate_range_entries(key)
            self._remove_from_tracking(key)

    async def clear(self) -> None:
        await self._store.clear()
        await self.clear_cache()

    # -- what the cache reports ----------------------------------------------------

    def cache_info(self) -> dict[str, Any]:
        """The cache's settings and how full it is."""
        with self._state.lock:
            tracked, entries = len(self._state.key_insert_times), len(self._state.cache_order)
            current = self._state.current_size
        return {
            "cache_store_type": type(self._cache).__name__,
            "max_age_seconds": self.max_age_seconds,
            "max_size": self.max_size,
            "current_size": current,
            "cache_set_data": self.cache_set_data,
            "tracked_keys": tracked,
            "cached_keys": entries,
        }

    def cache_stats(self) -> dict[str, Any]:
        """Hits, misses and evictions since the cache was made."""
        with self._state.lock:
            hits, misses, evictions = self._state.hits, self._state.misses, self._state.evictions
        total = hits + misses
        return {
            "hits": hits,
            "misses": misses,
            "evictions": evictions,
            "total_requests": total,
            "hit_rate": hits / total if total else 0.0,
        }

    async def clear_cache(self) -> None:
        """Empty the cache store and forget every entry (the source is untouched)."""
        await self._cache.clear()
        state = self._state
        with state.lock:
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
