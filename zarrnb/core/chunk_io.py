"""Batched, windowed chunk reads and writes: the hot path between stores and codecs.

Per chunk there is no asyncio task and no thread hop: a window of up to
``async.concurrency`` keys is fetched with one ``get_partial_values`` call, and the
window's codec work runs in the shared thread pool as a few batched jobs (numcodecs
releases the GIL, so the cores work in parallel). The next window is fetched while
the current one decodes.
"""

from __future__ import annotations

import asyncio
import functools
import math
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, TypeVar

import numpy as np

from zarrnb.abc.store import RangeByteRequest, Store, SuffixByteRequest
from zarrnb.codecs.sharding import MAX_UINT64
from zarrnb.core import chunk_schedule as schedule
from zarrnb.core import pipeline_io
from zarrnb.core.buffer import Buffer, default_buffer_prototype, thread_scratch
from zarrnb.core.chunk_locks import chunk_locks
from zarrnb.core.indexing import ChunkProjection, CoordinateIndexer, Indexer
from zarrnb.dtype import is_fill
from zarrnb.errors import ChunkDecodeError
from zarrnb.metadata import ArrayMetadata

__all__ = ["is_empty_chunk", "read_chunks", "read_point", "write_chunks"]

T = TypeVar("T")

# Chunks below this many bytes are written to files by one worker per window: a small file costs
# a few syscalls, each releasing the GIL, and two writers of tiny files spend more CPU passing the
# GIL (and the folder's lock) back and forth than they overlap.
_SMALL_FILE_BYTES = 1 << 15


# dtypes whose elements compare as numbers (NaN and NaT unequal to themselves)
_SCALAR_KINDS = frozenset("biufcmM")


def is_empty_chunk(chunk: np.ndarray, fill_value: Any) -> bool:
    """Whether every element equals the fill value (NaN matching NaN, ``-0.0`` not ``0.0``).

    A ``None`` fill value matches nothing (writers pass what a missing chunk reads as). The first
    element usually decides, cheaply.
    """
    if fill_value is None:
        return False
    if chunk.ndim and chunk.size and not any(chunk.strides):
        # a broadcast scalar (every stride 0) is its first element everywhere
        chunk = chunk[(slice(0, 1),) * chunk.ndim]  # still an array: StringDType items are str
    if chunk.size and chunk.dtype.kind in _SCALAR_KINDS:
        # most chunks that hold data differ at their first element: one scalar comparison tells
        # (a first element that is NaN, NaT or a zero of either sign goes on to the full test)
        first = chunk.flat[0] if chunk.dtype.kind in "mM" else chunk.item(0)
        if first == first and first != fill_value:
            return False
    return is_fill(chunk, fill_value)


def _raw_chunks(
    pipeline: Any, chunk_shape: tuple[int, ...], *, flat: bool = False
) -> Callable[[Any], np.ndarray | None] | None:
    """For a pipeline that stores chunks as their raw bytes (no codec but ``bytes`` in native order),
    a cheap view of a fetched chunk as an array: no codec calls per chunk, no copy.

    The view maker answers None for anything unusual (a wrong size, bytes not in a Buffer); the
    caller then takes the general path, which raises the same error it always did. ``flat`` views
    are 1-D, in C order.
    """
    if getattr(pipeline, "raw_chunk_view", None) is None or pipeline.sharding is not None:
        return None
    if not getattr(pipeline, "_direct", False) or pipeline.compressors:
        return None
    dtype = pipeline.dtype
    nbytes = math.prod(chunk_shape) * dtype.itemsize
    shape = (math.prod(chunk_shape),) if flat else chunk_shape

    def view(data: Any) -> np.ndarray | None:
        if type(data) is Buffer:
            raw = data._data
            if raw.nbytes != nbytes or not raw.flags.c_contiguous:
                return None
            return raw.view(dtype).reshape(shape)
        if type(data) is memoryview and data.nbytes == nbytes and data.c_contiguous:  # a worker's read
            return np.frombuffer(data, dtype=dtype).reshape(shape)
        return None

    return view


def _decode_part(
    pipeline: Any, data: Any, chunk_shape: tuple[int, ...], dtype: np.dtype, p: ChunkProjection, key: str
) -> np.ndarray:
    """The part of a chunk a projection selects, decoded into this thread's scratch (no fresh
    chunk-sized array each time) where the dtype can live in plain bytes."""
    if dtype.hasobject or dtype.kind == "T":
        return pipeline.decode_chunk(data, chunk_shape, key=key)[p.chunk_selection]
    view = getattr(pipeline, "raw_chunk_view", None)
    raw = view(data, chunk_shape, key=key) if view is not None else None
    if raw is not None:  # uncompressed: select from the stored bytes, copying only the part
        return raw[p.chunk_selection]  # type: ignore[no-any-return]
    order = getattr(pipeline, "order", "C")  # v2 chunks may be stored in F order
    scratch = thread_scratch("chunk", math.prod(chunk_shape) * dtype.itemsize)
    chunk = np.ndarray(chunk_shape, dtype=dtype, buffer=scratch, order=order)
    pipeline.decode_chunk_into(data, chunk, key=key)
    return chunk[p.chunk_selection]


def _key_prefix(path: str) -> str:
    return f"{path}/" if path else ""


# -- reading ------------------------------------------------------------------


async def read_chunks(
    store: Store, path: str, metadata: ArrayMetadata, projections: Iterable[ChunkProjection], out: np.ndarray
) -> None:
    """Fill ``out`` from the chunks the projections name; missing chunks read as the fill value."""
    configured = pipeline_io.configured_pipeline(metadata, store)
    if configured is not None:  # the ``codec_pipeline.path`` setting names another pipeline class
        await pipeline_io.read(configured, store, path, metadata, projections, out)
        return
    if metadata.codec_pipeline.sharding is not None:
        await _read_sharded(store, path, metadata, projections, out)
        return
    prefix = _key_prefix(path)
    pipeline = metadata.codec_pipeline
    if isinstance(projections, CoordinateIndexer) and out.dtype == pipeline.dtype:
        flat_view = _raw_chunks(pipeline, metadata.chunks, flat=True)
        if flat_view is not None:
            await _read_points(store, prefix, metadata, projections, out, flat_view)
            return
    keyed = ((prefix + metadata.chunk_key(p.chunk_coords), p) for p in projections)
    await _read_windows(store, metadata, keyed, _chunk_placer(metadata, out))


async def read_point(
    store: Store, path: str, metadata: ArrayMetadata, p: ChunkProjection, out: np.ndarray
) -> None:
    """``read_chunks`` of one small chunk: one fetch (or worker-style read) and one placing, no
    windows, which are most of the cost of reading a single element. Other chunks go the general way."""
    if (
        metadata.codec_pipeline.sharding is not None
        or schedule.decoded_nbytes(metadata, metadata.chunks) >= schedule.INLINE_BYTES
        or pipeline_io.configured_pipeline(metadata, store) is not None
    ):
        await read_chunks(store, path, metadata, [p], out)
        return
    key = _key_prefix(path) + metadata.chunk_key(p.chunk_coords)
    if store.supports_worker_io:
        data = store.read_in_worker(key)  # small: read here, as a window of it would be
    else:
        [data] = await store.get_partial_values(default_buffer_prototype(), [(key, None)])
    _chunk_placer(metadata, out)(key, p, data)


def _chunk_placer(metadata: ArrayMetadata, out: np.ndarray) -> Callable[[str, ChunkProjection, Any], None]:
    """What puts a fetched chunk (or None when missing) into ``out`` at its projection."""
    pipeline = metadata.codec_pipeline
    chunk_shape = metadata.chunks
    fill_value = metadata.chunk_fill_value
    raw_view = _raw_chunks(pipeline, chunk_shape) if out.dtype == pipeline.dtype else None

    def place(key: str, p: ChunkProjection, data: Any) -> None:
        if data is None:
            out[p.out_selection] = fill_value
        elif raw_view is not None and (raw := raw_view(data)) is not None:
            out[p.out_selection] = raw if p.is_exact else raw[p.chunk_selection]
        elif p.is_exact:
            pipeline.decode_chunk_into(data, out[p.out_selection], key=key)
        else:
            out[p.out_selection] = _decode_part(pipeline, data, chunk_shape, out.dtype, p, key)

    return place


async def _read_points(
    store: Store,
    prefix: str,
    metadata: ArrayMetadata,
    indexer: CoordinateIndexer,
    out: np.ndarray,
    raw_view: Callable[[Any], np.ndarray | None],
) -> None:
    """Points (``vindex``) from raw chunks (``raw_view`` gives their flat views): each chunk's points
    are taken with one index, into a buffer in chunk order that one numpy pass puts in the caller's
    order."""
    offsets, order = indexer.flat_offsets(), indexer.order
    single = offsets.tolist()  # a chunk with one point (the usual case) indexes with a plain int
    values = out if order is None else np.empty(len(offsets), dtype=out.dtype)  # ``out`` is 1-D
    pipeline, chunk_shape, fill_value = metadata.codec_pipeline, metadata.chunks, metadata.chunk_fill_value

    def place(key: str, group: tuple[tuple[int, ...], int, int], data: Any) -> None:
        coords, a, b = group
        if data is None:
            values[a:b] = fill_value
        elif (raw := raw_view(data)) is not None:
            if b - a == 1:
                values[a] = raw[single[a]]
            else:
                values[a:b] = raw[offsets[a:b]]
        else:  # not plain bytes of the chunk's size: the general path, with its checks and errors
            p = indexer.projection(coords, a, b, ordered=True)
            values[a:b] = _decode_part(pipeline, data, chunk_shape, out.dtype, p, key)

    groups = ((prefix + metadata.chunk_key(g[0]), g) for g in indexer.groups())
    await _read_windows(store, metadata, groups, place)
    if order is not None:
        out[order] = values


async def _read_windows(
    store: Store,
    metadata: ArrayMetadata,
    keyed: Iterable[tuple[str, T]],
    place: Callable[[str, T, Any], None],
) -> None:
    """Fetch the keyed chunks window by window and ``place`` each one (its bytes, or None if missing)."""
    chunk_nbytes = schedule.decoded_nbytes(metadata, metadata.chunks)
    window_size = schedule.window_size(chunk_nbytes)
    if store.supports_worker_io:
        # each worker reads its chunks into one reused buffer and decodes at once: no bytes
        # allocated per chunk, no separate fetch hop
        def read_and_place(item: tuple[str, T]) -> None:
            place(*item, store.read_in_worker(item[0]))

        for window in schedule.windows(keyed, window_size):
            await schedule.map_batched(
                read_and_place, window, schedule.worth_a_hop(metadata, len(window) * chunk_nbytes)
            )
        return

    async def fetch(window: list[tuple[str, T]]) -> list[Buffer | None]:
        return await schedule.fetch_window(store, [(key, None) for key, _ in window], chunk_nbytes)

    def decode(item: tuple[tuple[str, T], Buffer | None]) -> None:
        place(*item[0], item[1])

    async def process(window: list[tuple[str, T]], buffers: list[Buffer | None]) -> None:
        # decoding work grows with the decoded size, however well the chunks compress
        found = sum(b is not None for b in buffers)
        await schedule.map_batched(
            decode,
            list(zip(window, buffers, strict=True)),
            schedule.worth_a_hop(metadata, found * chunk_nbytes),
        )

    await schedule.pipelined(schedule.windows(keyed, window_size), fetch, process, schedule.overlaps(store))


def _inner_counts(metadata: ArrayMetadata, shard_coords: tuple[int, ...]) -> int:
    """How many inner chunks of a shard lie (at least partly) inside the array."""
    sharding = metadata.codec_pipeline.sharding
    count = 1
    for s, n, inner, length in zip(
        shard_coords, sharding.chunks_per_shard, metadata.chunks, metadata.shape, strict=True
    ):
        first = s * n
        count *= min(n, -(-length // inner) - first)
    return count


def _index_slice(request: Any, size: int) -> slice:
    """Where the shard index lies inside the whole shard's bytes."""
    if isinstance(request, SuffixByteRequest):
        return slice(size - request.suffix, size)
    if isinstance(request, RangeByteRequest):
        return slice(request.start, request.end)
    raise TypeError(f"unexpected shard index byte request {request!r}")


async def _read_sharded(
    store: Store, path: str, metadata: ArrayMetadata, projections: Iterable[ChunkProjection], out: np.ndarray
) -> None:
    """Mostly needed shards are fetched in one request each; otherwise the index, then the inner chunks."""
    sharding = metadata.codec_pipeline.sharding
    per_shard = sharding.chunks_per_shard
    prefix = _key_prefix(path)
    if isinstance(projections, CoordinateIndexer):
        from zarrnb.core.shard_points import read_sharded_points  # it builds on this module

        if await read_sharded_points(store, prefix, metadata, projections, out):
            return
    covered, whole, partial = [], [], []
    for shard, box, members in _by_shard(projections, per_shard):
        key = prefix + metadata.chunk_key(shard)
        if box is not None:
            covered.append((key, box))
            continue
        origin = [s * n for s, n in zip(shard, per_shard, strict=True)]
        located = [(tuple(c - o for c, o in zip(p.chunk_coords, origin, strict=True)), p) for p in members]
        # needing half a shard or more, one request for all of it beats one per inner chunk
        target = whole if 2 * len(located) >= _inner_counts(metadata, shard) else partial
        target.append((key, located))
    reader = _ShardReader(store, metadata, out)
    window = schedule.window_size(schedule.decoded_nbytes(metadata, metadata.chunk_grid_shape))
    await reader.read_covered(covered)
    await schedule.pipelined(schedule.windows(whole, window), reader.fetch_whole, reader.decode_whole)
    await schedule.pipelined(schedule.windows(partial, window), reader.fetch_partial, reader.decode_partial)


def _by_shard(
    projections: Iterable[ChunkProjection], per_shard: tuple[int, ...]
) -> Iterable[tuple[tuple[int, ...], tuple[slice, ...] | None, Iterable[ChunkProjection]]]:
    """The projections grouped by shard, each with the region of ``out`` it fills when the selection
    covers it whole (see ``Indexer.by_block``; None for other selections, such as points)."""
    if isinstance(projections, Indexer):
        return projections.by_block(per_shard)
    groups: dict[tuple[int, ...], list[ChunkProjection]] = {}
    for p in projections:
        groups.setdefault(tuple(c // n for c, n in zip(p.chunk_coords, per_shard, strict=True)), []).append(p)
    return ((shard, None, members) for shard, members in groups.items())


ShardGroup = tuple[str, list[tuple[tuple[int, ...], ChunkProjection]]]
CoveredShard = tuple[str, tuple[slice, ...]]


class _ShardReader:
    """Reads inner chunks out of shards, either from whole shards or through byte ranges."""

    def __init__(self, store: Store, metadata: ArrayMetadata, out: np.ndarray) -> None:
        self.store = store
        self.metadata = metadata
        self.sharding = metadata.codec_pipeline.sharding
        self.fill_value = metadata.chunk_fill_value
        self.out = out
        self.prototype = default_buffer_prototype()
        self.inner_nbytes = schedule.decoded_nbytes(metadata, metadata.chunks)
        self.shard_nbytes = schedule.decoded_nbytes(metadata, metadata.chunk_grid_shape)

    def _parallel(self, jobs: list[tuple[str, ChunkProjection, Any]]) -> bool:
        found = sum(data is not None for _, _, data in jobs)
        return schedule.worth_a_hop(self.metadata, found * self.inner_nbytes)

    def _place(self, key: str, p: ChunkProjection, data: Any) -> None:
        if data is None:
            self.out[p.out_selection] = self.fill_value
            return
        inner = self.sharding.inner_pipeline
        if p.is_exact:
            inner.decode_chunk_into(data, self.out[p.out_selection], key=key)
        else:
            self.out[p.out_selection] = _decode_part(
                inner, data, self.metadata.chunks, self.out.dtype, p, key
            )

    async def read_covered(self, covered: list[CoveredShard]) -> None:
        """Shards the selection covers whole, each decoded straight into its region of ``out``.

        A store that reads in the workers gives each worker whole shards to read and decode (into
        its reused buffer), the next shard to whichever worker is free, when a window has a shard
        per worker; otherwise shards are fetched, and each is decoded in as many parts as there are
        workers per shard."""
        if not self.store.supports_worker_io:
            windows = schedule.windows(covered, schedule.window_size(self.shard_nbytes))
            await schedule.pipelined(windows, self.fetch_whole, self.decode_covered)
            return
        for window in schedule.windows(covered, max(1, schedule.WORKER_WINDOW_BYTES // self.shard_nbytes)):
            if len(window) >= schedule.worker_count():
                parallel = schedule.worth_a_hop(self.metadata, len(window) * self.shard_nbytes)
                await schedule.map_shared(self._read_and_decode, window, parallel)
            else:
                await self.decode_covered(window, await self.fetch_whole(window))

    def _read_and_decode(self, item: CoveredShard) -> None:
        key, box = item
        self._decode_covered(key, box, self.store.read_in_worker(key), (0, 1))

    def _decode_covered(self, key: str, box: tuple[slice, ...], data: Any, part: tuple[int, int]) -> None:
        if data is None:
            self.out[box] = self.fill_value
            return
        raw = data.as_buffer_like() if isinstance(data, Buffer) else data
        self.sharding.decode_shard_into(raw, self.out[box], key=key, part=part)

    async def decode_covered(self, window: list[CoveredShard], buffers: list[Buffer | None]) -> None:
        found = sum(data is not None for data in buffers)
        parallel = schedule.worth_a_hop(self.metadata, found * self.shard_nbytes)
        parts = max(1, schedule.worker_count() // max(found, 1)) if parallel else 1
        jobs = [
            (key, box, data, (at, parts))
            for (key, box), data in zip(window, buffers, strict=True)
            for at in range(1 if data is None else parts)
        ]
        await schedule.map_batched(lambda job: self._decode_covered(*job), jobs, parallel)

    async def fetch_whole(self, window: list[Any]) -> list[Buffer | None]:
        return await schedule.fetch_window(self.store, [(key, None) for key, _ in window], self.shard_nbytes)

    async def decode_whole(self, window: list[ShardGroup], buffers: list[Buffer | None]) -> None:
        request = self.sharding.index_byte_request()
        jobs = []
        for (key, members), data in zip(window, buffers, strict=True):
            if data is None:
                jobs += [(key, p, None) for _, p in members]
                continue
            raw = data.as_buffer_like()
            index = self.sharding.decode_index(raw[_index_slice(request, len(raw))], key=key)
            jobs += [(key, p, _inner_bytes(raw, index[local], key)) for local, p in members]
        await schedule.map_batched(lambda job: self._place(*job), jobs, self._parallel(jobs))

    async def fetch_partial(self, window: list[ShardGroup]) -> list[Buffer | None]:
        request = self.sharding.index_byte_request()
        return await self.store.get_partial_values(self.prototype, [(key, request) for key, _ in window])

    async def decode_partial(self, window: list[ShardGroup], indexes: list[Buffer | None]) -> None:
        placed, requests = [], []
        for (key, members), index_bytes in zip(window, indexes, strict=True):
            if index_bytes is None:
                placed += [(key, p, None) for _, p in members]
                continue
            index = self.sharding.decode_index(index_bytes, key=key)
            for local, p in members:
                offset, nbytes = index[local]
                if offset == MAX_UINT64:
                    placed.append((key, p, None))
                else:
                    requests.append((key, p, RangeByteRequest(int(offset), int(offset) + int(nbytes))))
        for key, p, _ in placed:
            self._place(key, p, None)
        if not requests:
            return
        window_size = schedule.window_size(self.inner_nbytes)
        if self.store.supports_worker_io:
            # each inner chunk read into its worker's reused buffer (no fresh memory per chunk), in
            # runs of one shard: its file opened once per run
            runs = schedule.key_runs(requests)
            for batch in schedule.windows(runs, max(1, window_size // schedule.RUN_RANGES)):
                found = sum(len(run) for run in batch)
                hop = schedule.worth_a_hop(self.metadata, found * self.inner_nbytes)
                await schedule.map_batched(self._read_and_place, batch, hop)
            return
        for batch in schedule.windows(requests, window_size):
            buffers = await self.store.get_partial_values(self.prototype, [(k, r) for k, _, r in batch])
            jobs = [(key, p, data) for (key, p, _), data in zip(batch, buffers, strict=True)]
            await schedule.map_batched(lambda job: self._place(*job), jobs, self._parallel(jobs))

    def _read_and_place(self, run: list[tuple[str, ChunkProjection, RangeByteRequest]]) -> None:
        schedule.read_run_in_worker(self.store, run, lambda job, data: self._place(job[0], job[1], data))


def _inner_bytes(raw: memoryview, entry: np.ndarray, key: str) -> memoryview | None:
    """An inner chunk's bytes inside a whole shard; an index entry pointing outside it is refused."""
    if entry[0] == MAX_UINT64:
        return None
    offset, nbytes = int(entry[0]), int(entry[1])
    if offset + nbytes > len(raw):
        raise ChunkDecodeError(
            f"cannot decode shard {key!r}: its index places an inner chunk at bytes {offset}+{nbytes}, "
            f"outside the {len(raw)}-byte shard"
        )
    return raw[offset : offset + nbytes]


# -- writing ------------------------------------------------------------------


async def write_chunks(
    store: Store,
    path: str,
    metadata: ArrayMetadata,
    projections: Iterable[ChunkProjection],
    value: np.ndarray,
    *,
    write_empty_chunks: bool,
) -> None:
    """Write ``value`` (shaped like the indexer's ``out_shape``) into the stored chunks (shards) named.

    Chunks the selection covers are encoded from ``value`` alone; the others are read,
    modified and written back. A chunk equal to the fill value is deleted unless
    ``write_empty_chunks``.
    """
    configured = pipeline_io.configured_pipeline(metadata, store)
    if configured is not None:  # the ``codec_pipeline.path`` setting names another pipeline class
        await pipeline_io.write(
            configured,
            store,
            path,
            metadata,
            projections,
            value,
            write_empty_chunks=write_empty_chunks,
            store_id=_store_identity(store),
        )
        return
    prefix = _key_prefix(path)
    codec = _StoredChunkCodec(metadata, write_empty_chunks)
    keyed = ((prefix + metadata.chunk_key(p.chunk_coords), p) for p in projections)
    store_id = _store_identity(store)
    held: dict[int, frozenset[Any]] = {}  # window id -> the chunk locks it holds until written

    async def fetch(window: list[tuple[str, ChunkProjection]]) -> list[Buffer | None]:
        # the window's chunks stay locked from before their old contents are read until after
        # their new contents are written: a concurrent writer of the same chunk waits
        held[id(window)] = await chunk_locks.acquire((store_id, key) for key, _ in window)
        try:
            partial = [(key, None) for key, p in window if not p.is_complete_chunk]
            found = iter(await schedule.fetch_window(store, partial, codec.chunk_nbytes) if partial else [])
            return [None if p.is_complete_chunk else next(found) for _, p in window]
        except BaseException:
            chunk_locks.release(held.pop(id(window), frozenset()))
            raise

    def encode(
        item: tuple[tuple[str, ChunkProjection], Buffer | None], scratch: bool = False, spread: bool = False
    ) -> Any:
        (key, p), existing = item
        return codec.encode(codec.merge(key, p, existing, value), scratch=scratch, spread=spread)

    in_worker = store.supports_worker_io
    overlaps = schedule.overlaps(store)
    small_files = in_worker and codec.chunk_nbytes < _SMALL_FILE_BYTES
    # run inline by the sync API (no event loop), small files are written window by window on the
    # caller's thread: no window fetched ahead (that needs the loop), no round trips through it, no
    # second thread contending for the GIL; a window that must read from the store still moves the
    # call to the loop
    ahead = overlaps and not (small_files and schedule.running_inline())

    def encode_and_write(item: tuple[tuple[str, ChunkProjection], Buffer | None], spread: bool) -> Any:
        # chunks are written by the worker that encoded them: encoding overlaps writing, and a
        # shard is encoded into the worker's reused buffer (written before the next is encoded)
        data = encode(item, scratch=True, spread=spread)
        if data is None:
            return None
        store.write_in_worker(item[0][0], data)
        return True  # written: the window keeps no encoded bytes

    async def process(window: list[tuple[str, ChunkProjection]], existing: list[Buffer | None]) -> None:
        try:
            await write(window, existing)
        finally:
            chunk_locks.release(held.pop(id(window), frozenset()))

    async def write(window: list[tuple[str, ChunkProjection]], existing: list[Buffer | None]) -> None:
        items = list(zip(window, existing, strict=True))
        # fewer shards than workers: the idle workers help encode each shard's inner chunks
        spread = codec.sharding is not None and len(items) < schedule.worker_count()
        if in_worker:
            # writing a file costs more than a hop: every window of several chunks uses the pool
            work = functools.partial(encode_and_write, spread=spread)
            if small_files:
                encoded = await schedule.map_batched(work, items, True, 1)
            else:  # the workers take the next chunk in turn
                encoded = await schedule.map_shared(work, items, True)
        else:
            nbytes = len(window) * codec.chunk_nbytes
            hop = schedule.worth_a_hop(metadata, nbytes)
            encoded = await schedule.map_batched(functools.partial(encode, spread=spread and hop), items, hop)
        results = [(key, data) for (key, _), data in zip(window, encoded, strict=True)]
        if not in_worker:
            as_buffer = default_buffer_prototype().buffer.from_bytes
            writes = [(key, as_buffer(data)) for key, data in results if data is not None]
            if writes:
                await schedule.store_window(store, writes, codec.chunk_nbytes)
        deletes = [key for key, data in results if data is None]
        if len(deletes) == 1 or not ahead:  # in turn: no task per key where nothing waits (or no loop)
            for key in deletes:
                await store.delete(key)
        elif deletes:
            await asyncio.gather(*(store.delete(key) for key in deletes))

    try:
        size = schedule.window_size(codec.chunk_nbytes)
        if in_worker and codec.sharding is not None:
            # shards encoded and written by the workers hold no bytes in the window: only those
            # partly written (their old bytes fetched) bound it as usual
            windows = _write_windows(
                keyed, size, max(size, schedule.WORKER_WINDOW_BYTES // codec.chunk_nbytes)
            )
        else:
            windows = schedule.windows(keyed, size)
        await schedule.pipelined(windows, fetch, process, ahead)
    finally:
        # a window fetched ahead whose processing never came (an earlier window failed)
        for keys in list(held.values()):
            chunk_locks.release(keys)
        held.clear()


def _write_windows(
    keyed: Iterable[tuple[str, ChunkProjection]], fetched: int, size: int
) -> Iterator[list[tuple[str, ChunkProjection]]]:
    """Windows of at most ``size`` chunks, of which at most ``fetched`` partly written ones (whose
    old bytes the window reads)."""
    window: list[tuple[str, ChunkProjection]] = []
    partial = 0
    for item in keyed:
        window.append(item)
        partial += not item[1].is_complete_chunk
        if partial >= fetched or len(window) >= size:
            yield window
            window, partial = [], 0
    if window:
        yield window


def _store_identity(store: Store) -> Hashable:
    """What names the storage behind ``store`` for chunk locks: two handles on one folder share it."""
    try:
        return (type(store).__name__, str(store))
    except Exception:
        return (type(store).__name__, id(store))


class _StoredChunkCodec:
    """Merges new values into one stored object (a chunk, or a whole shard) and encodes it."""

    def __init__(self, metadata: ArrayMetadata, write_empty_chunks: bool) -> None:
        self.pipeline = metadata.codec_pipeline
        self.sharding = self.pipeline.sharding
        self.shape = metadata.chunk_grid_shape
        self.dtype = metadata.dtype
        self.fill_value = metadata.fill_value
        # what a missing chunk reads as (a v2 null: the dtype's default), so a chunk holding only
        # that is empty, as in zarr-python (its fill_value_or_default)
        self.chunk_fill_value = metadata.chunk_fill_value
        self.write_empty_chunks = write_empty_chunks
        self.chunk_nbytes = schedule.decoded_nbytes(metadata, self.shape)
        self.raw = self.sharding is None and _raw_chunks(self.pipeline, self.shape) is not None

    def merge(self, key: str, p: ChunkProjection, existing: Buffer | None, value: np.ndarray) -> np.ndarray:
        """The stored object's new contents: ``value`` where selected, old data (or fill) elsewhere."""
        if p.is_exact:
            return value[p.out_selection]
        if existing is None:
            chunk = np.full(self.shape, self.chunk_fill_value, dtype=self.dtype)
        else:
            chunk = self._decode(existing, key)
            if not chunk.flags.writeable:
                chunk = chunk.copy()
        chunk[p.chunk_selection] = value[p.out_selection]
        return chunk

    def _decode(self, data: Buffer, key: str) -> np.ndarray:
        if self.sharding is not None:
            return self.sharding.decode_shard(data, key=key)
        return self.pipeline.decode_chunk(data, self.shape, key=key)

    def encode(self, chunk: np.ndarray, scratch: bool = False, spread: bool = False) -> Any:
        """Encoded bytes, or None when the object should be deleted (it holds only the fill value).

        ``scratch``: a shard may be encoded into this thread's reused buffer (see ``encode_shard``);
        ``spread``: its inner chunks are encoded by the pool's idle workers too."""
        if self.sharding is not None:
            return self.sharding.encode_shard(
                chunk,
                self.fill_value,
                write_empty_chunks=self.write_empty_chunks,
                scratch=scratch,
                mapper=schedule.shared_map if spread else map,
            )
        if not self.write_empty_chunks and is_empty_chunk(chunk, self.chunk_fill_value):
            return None
        if self.raw and chunk.dtype == self.dtype:  # the stored bytes are the values': one copy
            return chunk.tobytes()
        return self.pipeline.encode_chunk(chunk)
