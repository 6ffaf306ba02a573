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


@dataclass
class _CacheState:
    """What a cache and its read-only twin share: the LRU order, sizes, ages and counters."""

    sizes: OrderedDict[EntryKey, int] = field(default_factory=OrderedDict)  # oldest use first
    stored_at: dict[EntryKey, float] = field(default_factory=dict)
    ranges: dict[str, dict[ByteRequest, Buffer]] = field(default_factory=dict)  # key -> cached ranges
    current_size: int = 0
    hits: int = 0
    misses: int = 0
    evictions: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class CacheStore(WrapperStore[Store]):
    """Wraps ``store`` and keeps what is read (and, with ``cache_set_data``, written) in ``cache_store``.

    ``max_age_seconds`` (an int, or ``"infinity"``) limits how long an entry is trusted;
    ``max_size`` (bytes, or None for no limit) bounds the cache, evicting the least recently used
    entries; a value larger than ``max_size`` is never cached.
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
            raise ValueError(f"max_age_seconds must be seconds or 'infinity', not {max_age_seconds!r}")
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

    # -- bookkeeping (under the lock, no I/O) ----------------------------------

    def _fresh(self, entry: EntryKey) -> bool:
        """Whether ``entry`` is cached and young enough; marks it most recently used when so."""
        state = self._state
        with state.lock:
            if entry not in state.sizes:
                return False
            if self.max_age_seconds != "infinity":
                if time.monotonic() - state.stored_at[entry] > self.max_age_seconds:
                    return False
            state.sizes.move_to_end(entry)
            return True

    def _forget(self, entry: EntryKey) -> bool:
        """Drop ``entry`` from the books; whether it was there."""
        state = self._state
        with state.lock:
            size = state.sizes.pop(entry, None)
            if size is None:
                return False
            state.current_size -= size
            state.stored_at.pop(entry, None)
            self._drop_range(entry)
            return True

    def _drop_range(self, entry: EntryKey) -> None:
        """Remove a byte-range entry's bytes (caller holds the lock)."""
        if isinstance(entry, tuple):
            key, byte_range = entry
            ranges = self._state.ranges.get(key, {})
            ranges.pop(byte_range, None)
            if not ranges:
                self._state.ranges.pop(key, None)

    def _make_room(self, size: int) -> list[EntryKey] | None:
        """Entries to evict so ``size`` more bytes fit (taken off the books), or None when it never fits."""
        state = self._state
        if self.max_size is not None and size > self.max_size:
            return None
        evicted: list[EntryKey] = []
        with state.lock:
            while self.max_size is not None and state.sizes and state.current_size + size > self.max_size:
                entry, old = state.sizes.popitem(last=False)
                state.current_size -= old
                state.stored_at.pop(entry, None)
                self._drop_range(entry)
                state.evictions += 1
                evicted.append(entry)
        return evicted

    def _count(self, hit: bool) -> None:
        with self._state.lock:
            if hit:
                self._state.hits += 1
            else:
                self._state.misses += 1

    def _entries_of(self, key: str) -> list[EntryKey]:
        """Every cached entry of ``key``: the whole value and its byte ranges."""
        with self._state.lock:
            whole: list[EntryKey] = [key] if key in self._state.sizes else []
            return whole + [(key, r) for r in self._state.ranges.get(key, ())]

    # -- cache I/O ---------------------------------------------------------------

    async def _evict(self, entries: Iterable[EntryKey]) -> None:
        """Delete evicted whole values from the cache store (ranges live in memory only)."""
        keys = [e for e in entries if isinstance(e, str)]
        await asyncio.gather(*(self._cache.delete(k) for k in keys))

    async def _remember(self, entry: EntryKey, value: Buffer) -> None:
        """Cache ``value`` under ``entry`` when it fits, evicting old entries first."""
        self._forget(entry)
        evicted = self._make_room(len(value))
        if evicted is None:
            return
        await self._evict(evicted)
        if isinstance(entry, str):
            await self._cache.set(entry, value)
        state = self._state
        with state.lock:
            if entry in state.sizes:  # another task cached it meanwhile
                state.current_size -= state.sizes[entry]
            state.sizes[entry] = len(value)
            state.stored_at[entry] = time.monotonic()
            state.current_size += len(value)
            if isinstance(entry, tuple):
                state.ranges.setdefault(entry[0], {})[entry[1]] = value

    async def _drop_key(self, key: str) -> None:
        """Forget ``key`` and its ranges, and delete its cached value."""
        entries = self._entries_of(key)
        for entry in entries:
            self._forget(entry)
        if key in entries:
            await self._cache.delete(key)

    # -- the store contract --------------------------------------------------------

    async def get(
        self, key: str, prototype: BufferPrototype, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        entry: EntryKey = key if byte_range is None else (key, byte_range)
        if self._fresh(entry):
            if byte_range is None:
                cached = await self._cache.get(key, prototype)
            else:
                with self._state.lock:
                    cached = self._state.ranges.get(key, {}).get(byte_range)
            if cached is not None:
                self._count(hit=True)
                return cached
        self._count(hit=False)
        value = await self._store.get(key, prototype, byte_range)
        if value is None:
            await self._drop_key(key)
        else:
            await self._remember(entry, value)
        return value

    # batched reads go through ``get`` (and so the cache): the base contract's versions, not the wrapper's
    get_partial_values = Store.get_partial_values
    _get_many = Store._get_many

    async def set(self, key: str, value: Buffer) -> None:
        await self._store.set(key, value)
        await self._drop_key(key)
        if self.cache_set_data:
            await self._remember(key, value)

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
        with self._state.lock:
            keys = {e if isinstance(e, str) else e[0] for e in self._state.sizes}
        await asyncio.gather(*(self._drop_key(k) for k in keys if k.startswith(base)))

    async def clear(self) -> None:
        await self._store.clear()
        await self.clear_cache()

    # -- what the cache reports ----------------------------------------------------

    def cache_info(self) -> dict[str, Any]:
        """The cache's settings and how full it is."""
        with self._state.lock:
            entries = len(self._state.sizes)
            current = self._state.current_size
        return {
            "cache_store_type": type(self._cache).__name__,
            "max_age_seconds": self.max_age_seconds,
            "max_size": self.max_size,
            "current_size": current,
            "cache_set_data": self.cache_set_data,
            "tracked_keys": entries,
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
            state.sizes.clear()
            state.stored_at.clear()
            state.ranges.clear()
            state.current_size = 0

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(store={self._store!r}, cache_store={self._cache!r}, "
            f"max_age_seconds={self.max_age_seconds}, max_size={self.max_size}, "
            f"current_size={self._state.current_size}, cached_keys={len(self._state.sizes)})"
        )
