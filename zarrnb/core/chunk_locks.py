"""Per-chunk write locks: a read-modify-write of a stored chunk never interleaves with another write of it.

Two threads that write disjoint parts of one chunk each read the chunk, merge their part and write
it back; without a lock the second write drops the first one's part. The locks cover every writer
in the process, whichever event loop it runs on (the sync API's loop thread, or ``asyncio.run`` in
a thread of its own), so they are plain ``threading`` state with asyncio futures to wait on.

A writer takes all the keys of one window at once (all or nothing), so two writers that need each
other's keys never deadlock: neither holds a key while it waits for another.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Hashable, Iterable

__all__ = ["ChunkLocks", "chunk_locks"]


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class _Waiter:
    __slots__ = ("future", "keys", "loop")

    def __init__(self, keys: frozenset[Hashable], loop: asyncio.AbstractEventLoop) -> None:
        self.keys = keys
        self.loop = loop
        self.future: asyncio.Future[None] = loop.create_future()


class ChunkLocks:
    """Locks on hashable keys (e.g. ``(store id, chunk key)``), taken and released a set at a time."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held: set[Hashable] = set()
        self._waiters: list[_Waiter] = []

    async def acquire(self, keys: Iterable[Hashable]) -> frozenset[Hashable]:
        """Wait until no other writer holds any of ``keys``, then hold them all; returns what to release."""
        wanted = frozenset(keys)
        if not wanted:
            return wanted
        with self._mutex:
            # an earlier waiter for an overlapping set goes first, so a stream of writers cannot starve it
            if self._held.isdisjoint(wanted) and all(w.keys.isdisjoint(wanted) for w in self._waiters):
                self._held.update(wanted)
                return wanted
            waiter = _Waiter(wanted, asyncio.get_running_loop())
            self._waiters.append(waiter)
        try:
            await waiter.future
        except BaseException:
            with self._mutex:
                granted = waiter not in self._waiters
                if not granted:
                    self._waiters.remove(waiter)
            if granted:  # handed over just as the waiting task was cancelled: pass the keys on
                self.release(wanted)
            raise
        return wanted

    def release(self, keys: frozenset[Hashable]) -> None:
        """Give ``keys`` back and hand them to the writers waiting for them, in the order they came."""
        if not keys:
            return
        with self._mutex:
            self._held.difference_update(keys)
            blocked: set[Hashable] = set()
            remaining = []
            for waiter in self._waiters:
                if self._held.isdisjoint(waiter.keys) and blocked.isdisjoint(waiter.keys):
                    try:
                        waiter.loop.call_soon_threadsafe(_wake, waiter.future)
                    except RuntimeError:  # its loop is closed: nobody is waiting any more
                        continue
                    self._held.update(waiter.keys)
                else:
                    blocked.update(waiter.keys)
                    remaining.append(waiter)
            self._waiters = remaining

    def held(self) -> int:
        """How many keys are held now (for tests and diagnostics)."""
        with self._mutex:
            return len(self._held)


#: the process-wide locks every chunk write goes through
chunk_locks = ChunkLocks()
