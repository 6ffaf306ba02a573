"""How chunk work is scheduled: the shared codec pool, windows of keys, and when a hop pays.

``chunk_io`` (plain chunks and shards) and ``shard_points`` (points in shards) share these: a
window's store calls split across workers, codec work mapped over the pool in a few batched or
shared jobs, and the next window fetched while one is processed.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import os
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any, TypeVar

import zarrnb.config as config
from zarrnb.abc.store import ByteRequest, Store
from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.metadata import ArrayMetadata

__all__ = [
    "INLINE_BYTES",
    "INLINE_RAW_BYTES",
    "RUN_RANGES",
    "SPLIT_BYTES",
    "SPLIT_KEYS",
    "WINDOW_BYTES",
    "WORKER_WINDOW_BYTES",
    "codec_executor",
    "decoded_nbytes",
    "fetch_window",
    "key_runs",
    "map_batched",
    "map_shared",
    "overlaps",
    "pipelined",
    "read_run_in_worker",
    "run_batch",
    "running_inline",
    "shared_map",
    "split_parts",
    "store_window",
    "window_size",
    "windows",
    "worker_count",
    "worth_a_hop",
]

T = TypeVar("T")
R = TypeVar("R")
# a read of one byte range of a key: (key, what it is for, the range)
RangeJob = tuple[str, Any, ByteRequest]

# Below this many decoded bytes a window is processed inline: a thread hop costs more than it saves.
# Raw chunks need more: copying them is far cheaper per byte than decompressing.
INLINE_BYTES = 1 << 18
INLINE_RAW_BYTES = 1 << 22
# A window's store calls are split across workers above this many bytes or keys per call.
SPLIT_BYTES = 1 << 21
SPLIT_KEYS = 16
# A window holds at most this many bytes of stored objects (and at least one object).
WINDOW_BYTES = 1 << 26
# Objects read in the workers (into their reused buffers) go in windows of this many decoded bytes:
# a window holds no fetched bytes, so it only bounds the work between two awaits (a cancelled read
# stops at the next window) and how often the workers wait for a window's slowest object.
WORKER_WINDOW_BYTES = 1 << 28

# The most byte ranges of one object a worker reads in a run (the object opened once) before another
# worker may take the next: small enough to balance the workers, big enough to spare an open per range.
RUN_RANGES = 16

_executor: ThreadPoolExecutor | None = None
_executor_workers: int | None = None


def worker_count() -> int:
    """``threading.max_workers``, or ``os.cpu_count()`` when unset."""
    return int(config.get("threading.max_workers") or os.cpu_count() or 1)


def codec_executor() -> ThreadPoolExecutor:
    """The one pool for codec work, sized by ``threading.max_workers`` (default ``os.cpu_count()``)."""
    global _executor, _executor_workers
    workers = worker_count()
    if _executor is None or workers != _executor_workers:
        if _executor is not None:
            _executor.shutdown(wait=False)
        _executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="zarrnb-codec")
        _executor_workers = workers
    return _executor


async def map_batched(
    func: Callable[[T], R], items: Sequence[T], parallel: bool, max_jobs: int | None = None
) -> list[R]:
    """``[func(x) for x in items]``, split into one pool job per worker (at most ``max_jobs``)
    when ``parallel``."""
    if not items or not parallel:
        return [func(item) for item in items]
    n_jobs = min(worker_count(), len(items), max_jobs or len(items))
    if n_jobs == 1 and running_inline():
        # a sync call driven on the caller's own thread (the sync bridge's inline path: a dask
        # task reading one chunk): no loop waits on this thread, so one job runs right here
        return [func(item) for item in items]
    # even one item worth a hop leaves the loop thread: it serves other callers (dask's threads,
    # gathered coroutines) while the codec works
    executor, loop = codec_executor(), asyncio.get_running_loop()
    size = -(-len(items) // n_jobs)
    batches = [items[i : i + size] for i in range(0, len(items), size)]
    futures = [loop.run_in_executor(executor, run_batch, func, batch) for batch in batches]
    return [r for results in await asyncio.gather(*futures) for r in results]


def shared_map(func: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``[func(x) for x in items]`` with the pool's idle workers helping: each thread takes the next
    item until none is left. The caller works too and never waits on a helper that has not started,
    so it may itself be a pool worker (no deadlock when every worker is busy)."""
    items = list(items)
    results: list[Any] = [None] * len(items)
    taken = itertools.count()  # next() on it is atomic: each item is taken once

    def work() -> None:
        while (at := next(taken)) < len(items):
            results[at] = func(items[at])

    helpers = [codec_executor().submit(work) for _ in range(min(worker_count(), len(items)) - 1)]
    try:
        work()
    finally:
        started = [helper for helper in helpers if not helper.cancel()]
        wait(started)
    for helper in started:
        helper.result()  # a helper's error
    return results


def running_inline() -> bool:
    """Whether this call runs on the caller's thread without an event loop (the sync API's inline path)."""
    return not isinstance(asyncio.get_running_loop(), asyncio.AbstractEventLoop)


def run_batch(func: Callable[[T], R], batch: Sequence[T]) -> list[R]:
    """One pool job: ``func`` over a batch, in order."""
    return [func(item) for item in batch]


async def map_shared(func: Callable[[T], R], items: Sequence[T], parallel: bool) -> list[R]:
    """``[func(x) for x in items]``: when ``parallel``, in one hop to the pool, whose workers take the
    next item in turn (``shared_map``: a few long jobs, balanced however the items' costs differ)."""
    if not parallel or len(items) < 2:
        return await map_batched(func, items, parallel)
    return await asyncio.get_running_loop().run_in_executor(codec_executor(), shared_map, func, items)


def windows(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter), taken lazily."""
    iterator = iter(items)
    while window := list(itertools.islice(iterator, size)):
        yield window


def key_runs(jobs: Iterable[RangeJob]) -> list[list[RangeJob]]:
    """``jobs`` (key, anything, byte range) cut into runs of one key at most ``RUN_RANGES`` long,
    in order: the jobs of one object should come together."""
    return [
        run
        for _, same_key in itertools.groupby(jobs, key=lambda job: job[0])
        for run in windows(same_key, RUN_RANGES)
    ]


def read_run_in_worker(store: Store, run: list[RangeJob], place: Callable[[RangeJob, Any], None]) -> None:
    """Read a run's byte ranges of its one key in this worker (``Store.read_ranges_in_worker``: the
    object opened once), handing each job and its bytes (or None) to ``place`` before the next read."""
    ranges = store.read_ranges_in_worker(run[0][0], [job[2] for job in run])
    with contextlib.closing(ranges):
        for job, data in zip(run, ranges, strict=True):
            place(job, data)


def overlaps(store: Store) -> bool:
    """Whether overlapping this store's calls can gain anything (fetching the next window while one
    is processed, splitting a window's call across workers).

    Not on a store whose calls complete in-process without worker I/O (a plain MemoryStore: its
    values are already in memory): there a task per window or part only costs, and would keep a
    sync call from running on the caller's thread.
    """
    return not store.supports_inline_calls or store.supports_worker_io


async def pipelined(
    windows: Iterator[T],
    fetch: Callable[[T], Awaitable[R]],
    process: Callable[[T, R], Awaitable[None]],
    ahead: bool = True,
) -> None:
    """Fetch window k+1 while window k is processed (``ahead``); one task per window, none for a
    single one. Without ``ahead``, each window is fetched, then processed, in turn."""
    current = next(windows, None)
    if current is None:
        return
    if not ahead:
        while current is not None:
            await process(current, await fetch(current))
            current = next(windows, None)
        return
    fetched = await fetch(current)
    for following in windows:
        pending = asyncio.ensure_future(fetch(following))
        try:
            await process(current, fetched)
        except BaseException:
            pending.cancel()
            raise
        current, fetched = following, await pending
    await process(current, fetched)


def worth_a_hop(metadata: ArrayMetadata, decoded_nbytes: int) -> bool:
    """Whether a window's codec work should go to the pool rather than run inline.

    Raw chunks are only copied (in and out, both in parallel: NumPy copies of contiguous
    data let other threads run), so they need more bytes before a hop pays.
    """
    if decoded_nbytes < INLINE_BYTES or decoded_nbytes >= INLINE_RAW_BYTES:
        return decoded_nbytes >= INLINE_BYTES  # the codecs decide only in between
    return bool(metadata.compressors or metadata.filters)


def split_parts(items: list[T], object_nbytes: int) -> list[list[T]]:
    """A window's store requests, split into one call per worker when the window is big or long,
    so stores that work in a thread (local files) read and write in several at once."""
    wanted = max(len(items) * object_nbytes // SPLIT_BYTES, len(items) // SPLIT_KEYS)
    count = min(worker_count(), wanted) if wanted > 1 else wanted
    if count < 2:
        return [items]
    size = -(-len(items) // count)
    return [items[i : i + size] for i in range(0, len(items), size)]


async def fetch_window(
    store: Store, requests: list[tuple[str, Any]], object_nbytes: int
) -> list[Buffer | None]:
    """The window's ``get_partial_values``: one call, or one per worker for a big window."""
    prototype = default_buffer_prototype()
    parts = split_parts(requests, object_nbytes) if overlaps(store) else [requests]
    if len(parts) == 1:
        return await store.get_partial_values(prototype, requests)
    results = await asyncio.gather(*(store.get_partial_values(prototype, part) for part in parts))
    return [buffer for part in results for buffer in part]


async def store_window(store: Store, writes: list[tuple[str, Buffer]], object_nbytes: int) -> None:
    """The window's ``_set_many``: one call, or one per worker for a big window."""
    parts = split_parts(writes, object_nbytes) if overlaps(store) else [writes]
    if len(parts) == 1:  # no task for a single call (a small write then needs no event loop)
        await store._set_many(parts[0])
        return
    await asyncio.gather(*(store._set_many(part) for part in parts))


def window_size(object_nbytes: int) -> int:
    """Keys per window: ``async.concurrency``, fewer when the objects are big (memory stays bounded)."""
    return max(1, min(int(config.get("async.concurrency")), WINDOW_BYTES // max(object_nbytes, 1)))


def decoded_nbytes(metadata: ArrayMetadata, shape: Sequence[int]) -> int:
    """Bytes of one decoded block of ``shape``."""
    return math.prod(shape) * metadata.dtype.itemsize
