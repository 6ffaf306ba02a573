"""The engine's sharded paths: shards a selection covers whole go straight into the output (read by
the worker that decodes them, or split across workers), the rest inner chunk by inner chunk."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest

import zarrnb
import zarrnb.config
from zarrnb.abc.store import RangeByteRequest
from zarrnb.codecs.sharding import ShardingCodec
from zarrnb.core import chunk_io, chunk_schedule
from zarrnb.core.array import AsyncArray
from zarrnb.core.buffer import default_buffer_prototype
from zarrnb.core.indexing import BasicIndexer
from zarrnb.storage import LocalStore, MemoryStore, StorePath

SHAPE, SHARDS, CHUNKS = (20, 18), (8, 6), (4, 3)


def _array(store: Any, compressors: Any) -> tuple[AsyncArray, np.ndarray]:
    array = asyncio.run(
        AsyncArray.create(
            StorePath(store), shape=SHAPE, shards=SHARDS, chunks=CHUNKS, dtype="f4", fill_value=-1,
            compressors=compressors,
        )
    )  # fmt: skip
    data = np.arange(360, dtype="f4").reshape(SHAPE)
    asyncio.run(array.setitem((slice(0, 16), slice(None)), data[:16]))  # the last row of shards stays missing
    expected = data.copy()
    expected[16:] = -1
    return array, expected


@pytest.mark.parametrize("compressors", [None, "auto"])
@pytest.mark.parametrize("local", [True, False])
@pytest.mark.parametrize("workers", [1, 2, 5])
def test_sharded_selections_read_right_on_every_path(
    tmp_path, local: bool, compressors: Any, workers: int
) -> None:
    store = LocalStore(tmp_path) if local else MemoryStore()
    array, expected = _array(store, compressors)
    selections = [
        Ellipsis,
        (slice(8, 16), slice(6, 12)),  # one shard, whole: five workers decode it in parts
        (slice(0, 16), slice(3, 18)),  # whole shards and partly covered ones
        (slice(1, 19, 3), slice(None)),  # steps: no shard is covered exactly
        (slice(8, 20), slice(0, 6)),  # a whole shard and a missing one
        (5, slice(None)),
    ]
    with zarrnb.config.set({"async.concurrency": 3, "threading.max_workers": workers}):
        for selection in selections:
            np.testing.assert_array_equal(asyncio.run(array.getitem(selection)), expected[selection])
        out = np.zeros((8, 12), dtype="f4")
        asyncio.run(array.get_basic_selection((slice(0, 8), slice(6, 18)), out=out))
        np.testing.assert_array_equal(out, expected[0:8, 6:18])
        points = (np.array([0, 19, 7, 12, 3]), np.array([17, 0, 6, 5, 3]))
        np.testing.assert_array_equal(asyncio.run(array.vindex.getitem(points)), expected[points])


def test_covered_shards_decode_whole_into_out_and_split_across_workers(tmp_path, monkeypatch) -> None:
    array, expected = _array(LocalStore(tmp_path), "auto")
    calls: list[tuple[tuple[int, ...], tuple[int, int]]] = []
    decode = ShardingCodec.decode_shard_into

    def spy(
        self: ShardingCodec, data: Any, out: np.ndarray, *, key: str, part: tuple[int, int] = (0, 1)
    ) -> None:
        calls.append((out.shape, part))
        decode(self, data, out, key=key, part=part)

    monkeypatch.setattr(ShardingCodec, "decode_shard_into", spy)
    monkeypatch.setattr(chunk_schedule, "INLINE_BYTES", 0)  # these tiny shards are worth a hop here
    with zarrnb.config.set({"threading.max_workers": 2}):
        # one shard, two workers: two halves of it
        np.testing.assert_array_equal(
            asyncio.run(array.getitem((slice(8, 16), slice(0, 6)))), expected[8:16, 0:6]
        )
        assert sorted(calls) == [(SHARDS, (0, 2)), (SHARDS, (1, 2))]
        calls.clear()
        # six stored shards, read whole by the workers (one part each); the missing row is filled
        np.testing.assert_array_equal(asyncio.run(array.getitem(Ellipsis)), expected)
        assert calls == [(SHARDS, (0, 1))] * 6


def test_inner_chunks_read_by_range_in_the_workers(tmp_path, monkeypatch) -> None:
    store = LocalStore(tmp_path)
    array, expected = _array(store, None)
    ranges: list[Any] = []
    read = LocalStore.read_ranges_in_worker

    def spy(self: LocalStore, key: str, byte_ranges: Any) -> Any:
        ranges.append(list(byte_ranges))
        return read(self, key, ranges[-1])

    monkeypatch.setattr(LocalStore, "read_ranges_in_worker", spy)
    for point in ((1, 2), (9, 7), (14, 16)):  # (vindex reads a raw point's bytes alone: test_shard_points)
        assert asyncio.run(array.getitem(point)) == expected[point]
    assert [len(run) for run in ranges] == [1, 1, 1]
    assert all(isinstance(r, RangeByteRequest) and r.end - r.start == 48 for [r] in ranges)
    ranges.clear()
    # a few inner chunks of each of two shards: one run of ranges per shard, its file opened once
    wide = zarrnb.create_array(tmp_path / "wide", shape=(8, 16), shards=(8, 8), chunks=(2, 2), dtype="i4")
    wide[...] = np.arange(128).reshape(8, 16)
    np.testing.assert_array_equal(wide[0:4, 7:9], np.arange(128).reshape(8, 16)[0:4, 7:9])
    assert [len(run) for run in ranges] == [2, 2]


def test_by_block_finds_whole_blocks_per_axis_and_keeps_every_projection() -> None:
    indexer = BasicIndexer((slice(2, 20), slice(0, 17)), SHAPE, CHUNKS)
    groups = list(indexer.by_block((2, 2)))
    flat = [p for _, _, projections in groups for p in projections]
    assert sorted(flat) == sorted(indexer)  # the same projections, grouped
    boxes = {block: box for block, box, _ in groups if box is not None}
    # rows 2..20: only block 1 (rows 8..16) is covered (block 2 holds one inner chunk of the array);
    # columns 0..17: blocks 0 and 1 (0..6, 6..12), not 2 (column 17 is left out)
    assert boxes == {(1, 0): (slice(6, 14), slice(0, 6)), (1, 1): (slice(6, 14), slice(6, 12))}
    for block, _, projections in groups:
        assert all(tuple(c // 2 for c in p.chunk_coords) == block for p in projections)


def test_shared_map_keeps_order_raises_and_never_deadlocks_inside_the_pool() -> None:
    with zarrnb.config.set({"threading.max_workers": 2}):
        assert chunk_schedule.shared_map(lambda x: x * x, range(50)) == [x * x for x in range(50)]
        with pytest.raises(ZeroDivisionError):
            chunk_schedule.shared_map(lambda x: 1 // (x - 30), range(50))
        # every worker busy running a _shared_map of its own: each finishes its items itself
        pool = chunk_schedule.codec_executor()
        outer = [pool.submit(chunk_schedule.shared_map, lambda x: x + 1, range(100)) for _ in range(4)]
        assert [f.result(timeout=30) for f in outer] == [list(range(1, 101))] * 4


@pytest.mark.parametrize("local", [True, False])
def test_a_lone_shard_is_encoded_by_several_workers_to_the_same_bytes(
    tmp_path, local: bool, monkeypatch
) -> None:
    stores = [LocalStore(tmp_path / "a") if local else MemoryStore(), MemoryStore()]
    arrays = [_array(store, "auto")[0] for store in stores]
    data = np.random.default_rng(0).random((8, 6), dtype="f4")
    spread = []
    shared = chunk_schedule.shared_map

    def spy(func: Any, items: Any) -> Any:
        spread.append(True)
        return shared(func, items)

    monkeypatch.setattr(chunk_schedule, "shared_map", spy)
    monkeypatch.setattr(chunk_schedule, "INLINE_BYTES", 0)  # a tiny shard is worth a hop here
    with zarrnb.config.set({"threading.max_workers": 2}):
        asyncio.run(arrays[0].setitem((slice(0, 8), slice(0, 6)), data))  # one shard: spread
    assert spread
    with zarrnb.config.set({"threading.max_workers": 1}):
        asyncio.run(arrays[1].setitem((slice(0, 8), slice(0, 6)), data))  # one worker: not spread
    assert len(spread) == 1
    key = "c/0/0"
    got = [asyncio.run(s.get(key, prototype=default_buffer_prototype())).to_bytes() for s in stores]
    assert got[0] == got[1]
    np.testing.assert_array_equal(asyncio.run(arrays[0].getitem((slice(0, 8), slice(0, 6)))), data)


def test_write_windows_bound_the_partly_written_shards_and_the_count() -> None:
    def item(n: int, complete: bool) -> tuple[str, Any]:
        return (f"c/{n}", type("P", (), {"is_complete_chunk": complete})())

    items = [item(n, complete=n % 3 != 0) for n in range(12)]  # 0, 3, 6, 9 partly written
    windows = list(chunk_io._write_windows(iter(items), fetched=2, size=5))
    assert [[key for key, _ in w] for w in windows] == [
        ["c/0", "c/1", "c/2", "c/3"],  # two partial: full
        ["c/4", "c/5", "c/6", "c/7", "c/8"],  # five: full
        ["c/9", "c/10", "c/11"],
    ]


@pytest.mark.parametrize("workers", [1, 2])
def test_shards_written_in_the_workers_read_back(tmp_path, monkeypatch, workers: int) -> None:
    monkeypatch.setattr(chunk_schedule, "WORKER_WINDOW_BYTES", 3 * 8 * 6 * 4)  # three shards a window
    array, expected = _array(LocalStore(tmp_path), "auto")
    data = np.random.default_rng(1).random(SHAPE, dtype="f4")
    with zarrnb.config.set({"async.concurrency": 2, "threading.max_workers": workers}):
        asyncio.run(array.setitem((slice(3, 20), slice(None)), data[3:]))  # partial and whole shards
        expected[3:] = data[3:]
        asyncio.run(array.setitem((slice(0, 8), slice(0, 12)), np.full((8, 12), -1, "f4")))  # deleted
        expected[:8, :12] = -1
    np.testing.assert_array_equal(asyncio.run(array.getitem(Ellipsis)), expected)
    assert not (tmp_path / "c" / "0" / "0").exists() and not (tmp_path / "c" / "0" / "1").exists()
