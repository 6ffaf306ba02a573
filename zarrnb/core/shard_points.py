"""Points (``vindex``) out of sharded arrays: grouped by shard and inner chunk in one NumPy pass.

Each shard's index is fetched once (one batched store call for all shards), then the needed inner
chunks' byte ranges (batched store calls, window by window); each inner chunk is decoded once and
all its points taken with one index into a buffer in chunk order, which one NumPy pass puts in the
caller's order. Shards the points mostly cover go the general way (whole shards, one request each).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import zarrnb.config as config
from zarrnb.abc.store import RangeByteRequest, Store
from zarrnb.codecs.sharding import MAX_UINT64
from zarrnb.core import chunk_io
from zarrnb.core import chunk_schedule as schedule
from zarrnb.core.buffer import default_buffer_prototype, thread_scratch
from zarrnb.core.indexing import CoordinateIndexer
from zarrnb.metadata import ArrayMetadata


async def read_sharded_points(
    store: Store, prefix: str, metadata: ArrayMetadata, indexer: CoordinateIndexer, out: np.ndarray
) -> bool:
    """Fill ``out`` (1-D) with the indexer's points; False, having read nothing, when the general
    path suits better (a shard needing half its inner chunks or more, a 0-d array)."""
    sharding = metadata.codec_pipeline.sharding
    per_shard = sharding.chunks_per_shard
    groups = list(indexer.groups())
    if not per_shard or not groups:
        return not groups and bool(per_shard)
    coords = np.array([g[0] for g in groups], dtype=np.intp)
    shard_coords = coords // np.asarray(per_shard, dtype=np.intp)
    local = np.ravel_multi_index(tuple((coords - shard_coords * per_shard).T), per_shard)
    shard_grid = tuple(-(-n // s) for n, s in zip(metadata.shape, metadata.chunk_grid_shape, strict=True))
    shard_ids = np.ravel_multi_index(tuple(shard_coords.T), shard_grid)
    _, firsts, which, counts = np.unique(
        shard_ids, return_index=True, return_inverse=True, return_counts=True
    )
    shards = [tuple(shard_coords[f].tolist()) for f in firsts]
    for shard, count in zip(shards, counts.tolist(), strict=True):
        if 2 * count >= chunk_io._inner_counts(metadata, shard):
            return False
    keys = [prefix + metadata.chunk_key(shard) for shard in shards]
    indexes = await store.get_partial_values(
        default_buffer_prototype(), [(key, sharding.index_byte_request()) for key in keys]
    )
    entries = np.full((len(groups), 2), MAX_UINT64, dtype=np.uint64)
    by_shard = np.argsort(which, kind="stable")
    bounds = np.concatenate(([0], np.cumsum(counts)))
    for s, (key, data) in enumerate(zip(keys, indexes, strict=True)):
        if data is not None:
            mine = by_shard[bounds[s] : bounds[s + 1]]
            entries[mine] = sharding.decode_index(data, key=key).reshape(-1, 2)[local[mine]]
    # in shard order: a store reads a shard's inner chunks together (a local file opened once)
    ordered = by_shard.tolist()
    shard_keys = [keys[s] for s in which[by_shard].tolist()]
    await _PointReader(metadata, indexer, out).read(
        store, [groups[g] for g in ordered], shard_keys, entries[by_shard]
    )
    return True


# an inner chunk's grid coordinates and the range of its points (in chunk order)
Group = tuple[tuple[int, ...], int, int]


class _PointReader:
    """Decodes each needed inner chunk once and takes all its points with one index."""

    def __init__(self, metadata: ArrayMetadata, indexer: CoordinateIndexer, out: np.ndarray) -> None:
        self.metadata = metadata
        self.indexer = indexer
        self.out = out
        self.inner = metadata.codec_pipeline.sharding.inner_pipeline
        self.offsets = indexer.flat_offsets()
        self.single = self.offsets.tolist()  # a chunk with one point (the usual case) takes a plain int
        self.values = out if indexer.order is None else np.empty(len(self.offsets), dtype=out.dtype)
        same_dtype = out.dtype == self.inner.dtype
        self.raw_view = chunk_io._raw_chunks(self.inner, metadata.chunks, flat=True) if same_dtype else None
        self.inner_nbytes = math.prod(metadata.chunks) * metadata.dtype.itemsize
        # a compressed chunk of plain values decodes into this thread's scratch, its points taken
        # by flat offset (no per-chunk projection)
        self.flat_decode = same_dtype and not out.dtype.hasobject and out.dtype.kind != "T"

    async def read(
        self,
        store: Store,
        groups: list[tuple[tuple[int, ...], int, int]],
        keys: list[str],
        entries: np.ndarray,
    ) -> None:
        """Read the groups' inner chunks (``entries``: their offset and size in shard ``keys``).

        A raw inner chunk with one point (the usual case) is read as that point's bytes alone: no
        chunk-sized read and copy for one element."""
        fill_value = self.metadata.chunk_fill_value
        itemsize = self.inner.dtype.itemsize
        chunks, points = [], []
        for group, key, (offset, nbytes) in zip(groups, keys, entries.tolist(), strict=True):
            a, b = group[1], group[2]
            if offset == MAX_UINT64:
                self.values[a:b] = fill_value
            elif b - a == 1 and self.raw_view is not None and nbytes == self.inner_nbytes:
                start = offset + self.single[a] * itemsize
                points.append((key, group, RangeByteRequest(start, start + itemsize), offset))
            else:
                chunks.append((key, group, RangeByteRequest(offset, offset + nbytes)))

        async def fetch(window: list[tuple[Any, ...]]) -> list[Any]:
            nbytes = itemsize if window[0][2].end - window[0][2].start == itemsize else self.inner_nbytes
            return await schedule.fetch_window(store, [(job[0], job[2]) for job in window], nbytes)

        async def place_points(window: list[tuple[Any, ...]], buffers: list[Any]) -> None:
            found = [i for i, data in enumerate(buffers) if data is not None and len(data) == itemsize]
            at = [window[i][1][1] for i in found]
            self.values[at] = np.frombuffer(
                b"".join(buffers[i].as_buffer_like() for i in found), self.inner.dtype
            )
            if len(found) < len(window):  # a short read: the whole chunk, the general way, says why
                done = set(found)
                chunks.extend(
                    (key, group, RangeByteRequest(offset, offset + self.inner_nbytes))
                    for i, (key, group, _, offset) in enumerate(window)
                    if i not in done
                )

        async def place_chunks(window: list[tuple[Any, ...]], buffers: list[Any]) -> None:
            jobs = [(key, group, data) for (key, group, _), data in zip(window, buffers, strict=True)]
            hop = schedule.worth_a_hop(self.metadata, len(jobs) * self.inner_nbytes)
            await schedule.map_batched(self._place, jobs, hop)

        ahead = schedule.overlaps(store)
        window_size = int(config.get("async.concurrency"))
        await schedule.pipelined(schedule.windows(points, window_size), fetch, place_points, ahead)
        if store.supports_worker_io:
            # each inner chunk read by the worker that decodes it, into its reused buffer, in runs of
            # one shard (its file opened once): windows hold no fetched bytes, so they are large, the
            # workers taking the next run in turn
            def read_and_place(run: list[tuple[str, Group, RangeByteRequest]]) -> None:
                schedule.read_run_in_worker(store, run, lambda job, data: self._place((job[0], job[1], data)))

            size = max(1, schedule.WORKER_WINDOW_BYTES // (self.inner_nbytes * schedule.RUN_RANGES))
            for window in schedule.windows(schedule.key_runs(chunks), size):
                found = sum(len(run) for run in window)
                hop = schedule.worth_a_hop(self.metadata, found * self.inner_nbytes)
                await schedule.map_shared(read_and_place, window, hop)
        else:
            windows = schedule.windows(chunks, schedule.window_size(self.inner_nbytes))
            await schedule.pipelined(windows, fetch, place_chunks, ahead)
        if self.indexer.order is not None:
            self.out[self.indexer.order] = self.values

    def _place(self, job: tuple[str, Group, Any]) -> None:
        key, (coords, a, b), data = job
        if data is None:  # the shard went between reading its index and its inner chunk
            self.values[a:b] = self.metadata.chunk_fill_value
        elif self.raw_view is not None and (raw := self.raw_view(data)) is not None:
            self.values[a:b] = raw[self.single[a]] if b - a == 1 else raw[self.offsets[a:b]]
        elif self.flat_decode:
            scratch = thread_scratch("chunk", self.inner_nbytes)
            chunk = np.ndarray(self.metadata.chunks, dtype=self.out.dtype, buffer=scratch)
            self.inner.decode_chunk_into(data, chunk, key=key)
            flat = chunk.reshape(-1)
            self.values[a:b] = flat[self.single[a]] if b - a == 1 else flat[self.offsets[a:b]]
        else:  # the general path, with its checks and errors
            p = self.indexer.projection(coords, a, b, ordered=True)
            self.values[a:b] = chunk_io._decode_part(
                self.inner, data, self.metadata.chunks, self.out.dtype, p, key
            )
