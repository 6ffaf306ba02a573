"""chunk_io helpers: the empty-chunk test and the shared codec pool."""

from __future__ import annotations

import asyncio
import threading

import numpy as np
import pytest

import zarrnb.config
from zarrnb.core import chunk_schedule
from zarrnb.core.array import AsyncArray
from zarrnb.core.buffer import Buffer
from zarrnb.core.chunk_io import is_empty_chunk
from zarrnb.core.chunk_schedule import codec_executor
from zarrnb.errors import ChunkDecodeError
from zarrnb.storage import LocalStore, MemoryStore, StorePath


@pytest.mark.parametrize(
    ("chunk", "fill", "expected"),
    [
        (np.full((3, 4), np.nan), np.float64("nan"), True),
        (np.array([np.nan, 1.0]), np.float64("nan"), False),
        (np.array([1.0, np.nan]), np.float64("nan"), False),
        (np.zeros((2, 2), "i4")[:, :1], np.int32(0), True),
        (np.array([0, 0, 5], "i8"), np.int64(0), False),
        (np.array(["NaT", "NaT"], "M8[s]"), np.datetime64("NaT", "s"), True),
        (np.array(["NaT", "2020-01-01"], "M8[s]"), np.datetime64("NaT", "s"), False),
        (np.array(["", ""], dtype=np.dtypes.StringDType()), "", True),
        (np.array(["", "x"], dtype=np.dtypes.StringDType()), "", False),
        (np.array([b"ab", b"ab"], "S2"), np.bytes_(b"ab"), True),
        (np.array([1 + 2j, 1 + 2j], "c8"), np.complex64(1 + 2j), True),
        (np.zeros((0, 3)), np.float64(1), True),
        (np.array(7, "u1"), np.uint8(7), True),
        (np.broadcast_to(np.float32(2), (64, 64)), np.float32(2), True),
        (np.broadcast_to(np.float32(2), (64, 64)), np.float32(0), False),
        # StringDType indexes to str, not to a scalar with .size: 0-d and broadcast chunks
        (np.array("a", dtype=np.dtypes.StringDType()), "", False),
        (np.array("", dtype=np.dtypes.StringDType()), "", True),
        (np.broadcast_to(np.array("", dtype=np.dtypes.StringDType()), (3,)), "", True),
    ],
)
def test_is_empty_chunk(chunk, fill, expected) -> None:
    assert is_empty_chunk(chunk, fill) is expected


@pytest.mark.parametrize(
    ("chunk", "fill", "expected"),
    [
        # the first element alone cannot decide these: they go on to the full comparison
        (np.array([-0.0, 0.0], "f4"), np.float32(0), False),
        (np.array([0.0, -0.0], "f4"), np.float32(0), False),
        (np.array([-0.0, -0.0], "f8"), np.float64(-0.0), True),
        (np.array([np.nan, np.nan], "f2"), np.float16("nan"), True),
        (np.array([np.nan, 0.0]), np.float64(0), False),
        (np.array([complex(np.nan, 1), 0]), np.complex128(0), False),
        (np.array(["NaT", "NaT"], "m8[s]"), np.timedelta64("NaT", "s"), True),
        (np.array(["2020-01-01", "NaT"], "M8[D]"), np.datetime64("2020-01-01", "D"), False),
        (np.array([2**64 - 1] * 3, "u8"), np.uint64(2**64 - 1), True),
        (np.array([2**64 - 1, 0], "u8"), np.uint64(2**64 - 1), False),
        (np.array([True, True]), np.bool_(True), True),
        (np.array([1.5, 1.5], "f4"), np.float32(1.5), True),
        (np.array([1.5, 1.5], "f4"), np.float32(0), False),
    ],
)
def test_is_empty_chunk_first_element_screen(chunk, fill, expected) -> None:
    """The first-element screen never changes the answer of the full comparison."""
    assert is_empty_chunk(chunk, fill) is expected
    assert is_empty_chunk(chunk[::-1].copy(), fill) is expected


def test_codec_pool_follows_the_setting() -> None:
    assert codec_executor() is codec_executor()
    with zarrnb.config.set({"threading.max_workers": 3}):
        assert codec_executor()._max_workers == 3


class BatchCountingStore(MemoryStore):
    """Records the size of every ``get_partial_values`` batch."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[int] = []

    async def get_partial_values(self, prototype, key_ranges):
        key_ranges = list(key_ranges)
        self.batches.append(len(key_ranges))
        return await super().get_partial_values(prototype, key_ranges)

    async def _set_many(self, values):
        values = list(values)
        self.batches.append(-len(values))  # writes counted negative
        await super()._set_many(values)


def test_reads_batch_by_window_and_split_big_windows(monkeypatch) -> None:
    store = BatchCountingStore()
    array = asyncio.run(AsyncArray.create(StorePath(store), shape=(40, 40), chunks=(4, 4), dtype="i4"))
    data = np.arange(1600, dtype="i4").reshape(40, 40)
    asyncio.run(array.setitem(Ellipsis, data))
    with zarrnb.config.set({"async.concurrency": 30, "threading.max_workers": 2}):
        store.batches.clear()
        np.testing.assert_array_equal(asyncio.run(array.getitem(Ellipsis)), data)
        assert store.batches == [30, 30, 30, 10]  # one call per window, never one per chunk
        monkeypatch.setattr(chunk_schedule, "SPLIT_BYTES", 64)
        store.batches.clear()
        np.testing.assert_array_equal(asyncio.run(array.getitem(Ellipsis)), data)
        assert store.batches == [15, 15, 15, 15, 15, 15, 5, 5]


def test_writes_batch_by_window_and_split_long_windows() -> None:
    store = BatchCountingStore()
    array = asyncio.run(AsyncArray.create(StorePath(store), shape=(40, 40), chunks=(4, 4), dtype="i4"))
    data = np.arange(1600, dtype="i4").reshape(40, 40)
    with zarrnb.config.set({"async.concurrency": 40, "threading.max_workers": 2}):
        store.batches.clear()
        asyncio.run(array.setitem(Ellipsis, data))
        # 100 chunks in windows of 40, 40 and 20: 40 keys split into two calls, 20 stay one
        assert store.batches == [-20, -20, -20, -20, -20]
    np.testing.assert_array_equal(asyncio.run(array.getitem(Ellipsis)), data)


@pytest.mark.parametrize("compressors", [None, "auto"])
def test_local_reads_decode_from_reused_buffers(tmp_path, compressors) -> None:
    """Local files are read into per-thread buffers: partial, whole and missing chunks all come out right."""
    store = StorePath(LocalStore(tmp_path))
    array = asyncio.run(
        AsyncArray.create(
            store, shape=(50, 30), chunks=(8, 8), dtype="f8", fill_value=-1, compressors=compressors
        )
    )
    data = np.arange(1500, dtype="f8").reshape(50, 30)
    asyncio.run(array.setitem((slice(0, 40), slice(None)), data[:40]))
    expected = data.copy()
    expected[40:] = -1
    for workers in (1, 2):
        with zarrnb.config.set({"async.concurrency": 7, "threading.max_workers": workers}):
            np.testing.assert_array_equal(asyncio.run(array.getitem(Ellipsis)), expected)
            window = (slice(3, 45), slice(5, 29))
            np.testing.assert_array_equal(asyncio.run(array.getitem(window)), expected[window])


def test_local_writes_encode_and_write_in_the_workers(tmp_path) -> None:
    """Local chunks are written by the worker that encoded them; empty chunks are still deleted."""
    local = LocalStore(tmp_path)
    array = asyncio.run(
        AsyncArray.create(StorePath(local), shape=(40, 40), chunks=(8, 8), dtype="i4", compressors=None)
    )
    data = np.arange(1600, dtype="i4").reshape(40, 40)
    with zarrnb.config.set({"async.concurrency": 7, "threading.max_workers": 2}):
        asyncio.run(array.setitem(Ellipsis, data))
        stored = sorted(
            p.relative_to(tmp_path).as_posix() for p in (tmp_path / "c").rglob("*") if p.is_file()
        )
        assert len(stored) == 25
        asyncio.run(array.setitem((slice(0, 8), slice(None)), 0))  # a row of chunks back to the fill value
    assert not (tmp_path / "c" / "0").exists()
    expected = data.copy()
    expected[:8] = 0
    np.testing.assert_array_equal(asyncio.run(array.getitem(Ellipsis)), expected)
    np.testing.assert_array_equal(
        np.frombuffer((tmp_path / "c/1/1").read_bytes(), "<i4"), data[8:16, 8:16].ravel()
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"zarr_format": 2, "order": "F", "dtype": ">i4"},
        {"zarr_format": 2, "order": "C", "dtype": "<f8", "compressors": None},
        {"zarr_format": 3, "dtype": "u2", "shards": (8, 12)},
        {"zarr_format": 3, "dtype": "str"},
    ],
)
def test_partial_chunk_reads_decode_through_scratch(kwargs) -> None:
    """Chunks a selection partly covers decode into reused scratch; every layout and dtype reads right."""
    dtype = np.dtype(kwargs["dtype"]) if kwargs["dtype"] != "str" else np.dtypes.StringDType()
    store = StorePath(MemoryStore())
    kwargs = {**kwargs, "dtype": dtype}
    array = asyncio.run(AsyncArray.create(store, shape=(19, 23), chunks=(4, 6), **kwargs))
    data = np.arange(19 * 23).reshape(19, 23).astype(dtype)
    asyncio.run(array.setitem(Ellipsis, data))
    for selection in [(slice(1, 18), slice(2, 21)), (slice(5, 6), slice(None, None, 3)), (7, slice(3, 22))]:
        np.testing.assert_array_equal(asyncio.run(array.getitem(selection)), data[selection])


@pytest.mark.parametrize("stored", [b"\x00" * 12, b"\x00" * 20])
def test_raw_chunk_of_the_wrong_size_is_refused_naming_the_key(stored) -> None:
    """Uncompressed chunks are viewed without the codec; a chunk of the wrong size still fails as
    the codec path fails, naming the key, for whole and partial chunk reads."""
    store = MemoryStore()
    array = asyncio.run(
        AsyncArray.create(StorePath(store), shape=(8, 8), chunks=(2, 2), dtype="f4", compressors=None)
    )
    store._store_dict["c/1/2"] = Buffer.from_bytes(stored)
    for selection in [Ellipsis, (slice(2, 3), slice(4, 6)), (2, 4)]:  # whole, partial, one element
        with pytest.raises(ChunkDecodeError, match=r"'c/1/2'.*expected 16 bytes for shape \(2, 2\)"):
            asyncio.run(array.getitem(selection))


@pytest.mark.parametrize("local", [False, True], ids=["memory", "local"])
@pytest.mark.parametrize("compressors", [None, "auto"], ids=["raw", "zstd"])
def test_a_single_element_is_one_fetch_of_its_chunk_with_no_windows(
    tmp_path, monkeypatch, local, compressors
) -> None:
    store = LocalStore(tmp_path) if local else MemoryStore()
    array = asyncio.run(
        AsyncArray.create(StorePath(store), shape=(8, 8), chunks=(4, 4), dtype="i4", fill_value=7,
                          compressors=compressors)
    )  # fmt: skip
    asyncio.run(array.setitem((slice(0, 4), slice(0, 4)), np.arange(16, dtype="i4").reshape(4, 4)))
    fetched: list[str] = []
    if local:
        read = LocalStore.read_in_worker

        def spy_read(self, key, byte_range=None):
            fetched.append(key)
            return read(self, key, byte_range)

        monkeypatch.setattr(LocalStore, "read_in_worker", spy_read)
    else:
        get_many = MemoryStore.get_partial_values

        async def spy(self, prototype, key_ranges):
            fetched.extend(key for key, _ in key_ranges)
            return await get_many(self, prototype, key_ranges)

        monkeypatch.setattr(MemoryStore, "get_partial_values", spy)

    def no_windows(*args):
        raise AssertionError("a single element went through the window machinery")

    monkeypatch.setattr(chunk_schedule, "windows", no_windows)
    assert asyncio.run(array.getitem((1, 2))) == 6
    assert asyncio.run(array.getitem((-3, 5))) == 7  # a missing chunk: the fill value
    assert fetched == ["c/0/0", "c/1/1"]


def test_a_single_element_of_a_big_chunk_goes_the_general_way(monkeypatch) -> None:
    array = asyncio.run(
        AsyncArray.create(StorePath(MemoryStore()), shape=(512, 512), chunks=(512, 512), dtype="f4")
    )
    asyncio.run(array.setitem(Ellipsis, np.ones((512, 512), dtype="f4")))
    used = []
    windows = chunk_schedule.windows
    monkeypatch.setattr(
        chunk_schedule, "windows", lambda items, size: used.append(size) or windows(items, size)
    )
    assert asyncio.run(array.getitem((3, 4))) == 1  # 1 MiB decoded: may go to the pool as any window
    assert used


def test_raw_chunks_read_from_any_buffer_kind() -> None:
    """Raw chunks held as a Buffer, as plain bytes or as a Buffer over a bytearray read alike."""
    store = MemoryStore()
    array = asyncio.run(
        AsyncArray.create(StorePath(store), shape=(4, 6), chunks=(2, 3), dtype="<i2", compressors=None)
    )
    data = np.arange(24, dtype="<i2").reshape(4, 6)
    asyncio.run(array.setitem(Ellipsis, data))
    store._store_dict["c/0/0"] = store._store_dict["c/0/0"].to_bytes()  # type: ignore[assignment]
    store._store_dict["c/1/1"] = Buffer(bytearray(store._store_dict["c/1/1"].to_bytes()))
    np.testing.assert_array_equal(asyncio.run(array.getitem(Ellipsis)), data)
    np.testing.assert_array_equal(asyncio.run(array.getitem((slice(1, 4), 4))), data[1:4, 4])


@pytest.mark.parametrize("local", [False, True])
@pytest.mark.parametrize("dtype", ["<f4", ">i8", "u1", "c16", "M8[s]"])
def test_points_from_raw_chunks_match_numpy(tmp_path, local, dtype) -> None:
    """Coordinate and mask reads of uncompressed chunks (one index per chunk on its flat view):
    unsorted and repeated points, chunks with one point or many, missing chunks, edge chunks."""
    store = LocalStore(tmp_path / "a") if local else MemoryStore()
    array = asyncio.run(
        AsyncArray.create(
            StorePath(store), shape=(37, 23), chunks=(8, 5), dtype=dtype, compressors=None, fill_value=0
        )
    )
    data = np.arange(37 * 23).reshape(37, 23).astype(dtype)
    data[16:24] = 0  # a row of chunks left missing: read as the fill value
    asyncio.run(array.setitem(Ellipsis, data))
    rng = np.random.default_rng(3)
    rows, cols = rng.integers(0, 37, 200), rng.integers(0, 23, 200)
    for selection in [
        (rows, cols),
        (np.sort(rows * 23 + cols) // 23, np.sort(rows * 23 + cols) % 23),  # already in chunk order
        (np.array([36, 0, 36, 5, 5]), np.array([22, 0, 22, -1, 4])),  # repeats and a negative index
        (np.array([[1, 2], [30, 20]]), np.array([[3, 4], [0, 22]])),  # a 2-D result
    ]:
        np.testing.assert_array_equal(asyncio.run(array.vindex.getitem(selection)), data[selection])
    mask = rng.random((37, 23)) < 0.1
    np.testing.assert_array_equal(asyncio.run(array.vindex.getitem(mask)), data[mask])
    out = np.full(200, 7, dtype=dtype)
    asyncio.run(array.get_coordinate_selection((rows, cols), out=out))
    np.testing.assert_array_equal(out, data[rows, cols])


def test_points_from_a_raw_chunk_of_the_wrong_size_fail_naming_the_key() -> None:
    store = MemoryStore()
    array = asyncio.run(
        AsyncArray.create(StorePath(store), shape=(8, 8), chunks=(4, 4), dtype="f4", compressors=None)
    )
    asyncio.run(array.setitem(Ellipsis, np.ones((8, 8), "f4")))
    store._store_dict["c/1/0"] = Buffer.from_bytes(b"\x00" * 60)
    np.testing.assert_array_equal(asyncio.run(array.vindex.getitem(([0, 7], [0, 7]))), [1, 1])
    with pytest.raises(ChunkDecodeError, match=r"'c/1/0'.*expected 64 bytes"):
        asyncio.run(array.vindex.getitem(([0, 5, 6], [0, 1, 2])))


class _ThreadRecordingLocalStore(LocalStore):
    """A LocalStore noting which thread writes each chunk file (its reads and writes stay plain)."""

    writers: list[tuple[str, int]] = []

    def write_in_worker(self, key: str, value: bytes | memoryview) -> None:
        self.writers.append((key, threading.get_ident()))
        super().write_in_worker(key, value)


@pytest.mark.parametrize(("chunks", "jobs"), [((8, 8), [8] * 128), ((128, 128), ["shared 4"])])
def test_small_chunk_files_are_written_by_one_worker_per_window(tmp_path, monkeypatch, chunks, jobs) -> None:
    """Tiny files: one worker writes a window's chunks (two would pass the GIL at every syscall);
    big chunks are shared out over the workers, each taking the next chunk in turn."""
    local = _ThreadRecordingLocalStore(tmp_path)
    array = asyncio.run(
        AsyncArray.create(StorePath(local), shape=(256, 256), chunks=chunks, dtype="i4", compressors=None)
    )
    data = np.arange(256 * 256, dtype="i4").reshape(256, 256)
    batches: list[int | str] = []
    real, shared = chunk_schedule.run_batch, chunk_schedule.shared_map
    monkeypatch.setattr(
        chunk_schedule, "run_batch", lambda func, batch: batches.append(len(batch)) or real(func, batch)
    )
    note = lambda func, items: batches.append(f"shared {len(items)}") or shared(func, items)  # noqa: E731
    monkeypatch.setattr(chunk_schedule, "shared_map", note)
    with zarrnb.config.set({"async.concurrency": 8, "threading.max_workers": 4}):
        _ThreadRecordingLocalStore.writers.clear()
        asyncio.run(array.setitem(Ellipsis, data))
    assert batches == jobs  # the pool jobs and how many chunks each wrote
    writers = _ThreadRecordingLocalStore.writers
    assert len(writers) == (256 // chunks[0]) ** 2
    if len(jobs) > 4:
        assert all(len({thread for _, thread in writers[i : i + 8]}) == 1 for i in range(0, len(writers), 8))
    np.testing.assert_array_equal(asyncio.run(array.getitem(Ellipsis)), data)
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".zarrnb-partial")]


def test_sync_writes_of_small_local_chunks_run_on_the_callers_thread(tmp_path) -> None:
    """Through the sync API, whole small chunk files (and deletes of chunks back to the fill value)
    are written on the caller's thread, with no event-loop round trip; a write that must first read
    chunks from the store moves to the loop and still merges correctly."""
    local = _ThreadRecordingLocalStore(tmp_path)
    array = zarrnb.create_array(store=local, shape=(64, 64), chunks=(8, 8), dtype="i4", compressors=None)
    data = np.arange(64 * 64, dtype="i4").reshape(64, 64) + 1
    caller = threading.get_ident()
    with zarrnb.config.set({"async.concurrency": 8, "threading.max_workers": 2}):
        _ThreadRecordingLocalStore.writers.clear()
        array[...] = data
        assert len(_ThreadRecordingLocalStore.writers) == 64
        assert {thread for _, thread in _ThreadRecordingLocalStore.writers} == {caller}
        data[16:24] = 0  # a row of chunks back to the fill value: deleted, still on this thread
        _ThreadRecordingLocalStore.writers.clear()
        array[...] = data
        assert {thread for _, thread in _ThreadRecordingLocalStore.writers} == {caller}
        assert not (tmp_path / "c" / "2").exists() and (tmp_path / "c" / "3").is_dir()
        _ThreadRecordingLocalStore.writers.clear()
        array[3:45, 5:60] = -7  # partial chunks: read, merged, written back through the loop
        data[3:45, 5:60] = -7
        assert caller not in {thread for _, thread in _ThreadRecordingLocalStore.writers}
    np.testing.assert_array_equal(array[...], data)
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".zarrnb-partial")]
