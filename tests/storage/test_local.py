"""LocalStore: the StoreTests contract, atomic writes, key validation and directory hygiene."""

from __future__ import annotations

import asyncio
import os
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from zarrnb.abc.store import OffsetByteRequest, RangeByteRequest, SuffixByteRequest
from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.errors import ReadOnlyError
from zarrnb.storage import LocalStore
from zarrnb.testing.store import StoreTests

PROTO = default_buffer_prototype()


def files_under(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` and its bytes, read straight from disk."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class TestLocalStore(StoreTests[LocalStore]):
    store_cls = LocalStore

    @pytest.fixture
    def store_kwargs(self, tmp_path: Path) -> dict[str, Any]:
        return {"root": tmp_path / "store"}

    async def set(self, store: LocalStore, key: str, value: Buffer) -> None:
        path = store.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(value.to_bytes())

    async def get(self, store: LocalStore, key: str) -> Buffer | None:
        path = store.root / key
        return Buffer.from_bytes(path.read_bytes()) if path.is_file() else None


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path)


def test_str_and_repr(tmp_path: Path) -> None:
    assert str(LocalStore(tmp_path)) == f"file://{tmp_path.as_posix()}"
    assert repr(LocalStore("data/foo/bar")) == "LocalStore('file://data/foo/bar')"


def test_root_must_be_path_like() -> None:
    with pytest.raises(TypeError, match="root"):
        LocalStore(42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "key", ["../escape", "a/../../escape", "/abs/path", "a\\b", "a\0b", "a//b", "a/", "", "./a", "a/./b"]
)
def test_keys_that_leave_the_root_are_refused(tmp_path: Path, store: LocalStore, key: str) -> None:
    asyncio.run(store.set("keep", Buffer.from_bytes(b"k")))
    before = files_under(tmp_path.parent)
    for attempt in (
        store.set(key, Buffer.from_bytes(b"evil")),
        store.get(key, PROTO),
        store.delete(key),
        store.exists(key),
        store.get_partial_values(PROTO, [("keep", None), (key, None)]),
    ):
        with pytest.raises(ValueError, match="invalid key") as info:
            asyncio.run(attempt)
        assert repr(key) in str(info.value)
    assert files_under(tmp_path.parent) == before


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path: Path, store: LocalStore) -> None:
    asyncio.run(store.set("a/b", Buffer.from_bytes(b"old")))
    asyncio.run(store.set("a/b", Buffer.from_bytes(b"new")))
    assert files_under(tmp_path) == {"a/b": b"new"}


def test_listing_skips_temp_files_of_interrupted_writes(tmp_path: Path, store: LocalStore) -> None:
    asyncio.run(store.set("c/0", Buffer.from_bytes(b"x")))
    (tmp_path / "c" / f".0.{'ab' * 16}.zarrnb-partial").write_bytes(b"half")
    (tmp_path / ".zattrs").write_bytes(b"{}")  # dot files that are keys stay listed
    listed = asyncio.run(_collect(store.list()))
    assert listed == [".zattrs", "c/0"]
    assert asyncio.run(_collect(store.list_dir("c"))) == ["0"]


def test_failed_write_keeps_the_old_value(tmp_path: Path, store: LocalStore, monkeypatch: Any) -> None:
    asyncio.run(store.set("k", Buffer.from_bytes(b"old")))

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        asyncio.run(store.set("k", Buffer.from_bytes(b"new")))
    assert files_under(tmp_path) == {"k": b"old"}


def test_delete_removes_emptied_directories(tmp_path: Path, store: LocalStore) -> None:
    asyncio.run(store.set("g/a/c/0/0", Buffer.from_bytes(b"x")))
    asyncio.run(store.set("g/zarr.json", Buffer.from_bytes(b"{}")))
    asyncio.run(store.delete("g/a/c/0/0"))
    assert not (tmp_path / "g" / "a").exists()
    assert (tmp_path / "g" / "zarr.json").exists()
    asyncio.run(store.delete_dir("g"))
    assert tmp_path.exists() and list(tmp_path.iterdir()) == []


def test_get_partial_values_returns_none_for_missing(store: LocalStore) -> None:
    asyncio.run(store.set("a", Buffer.from_bytes(b"abcdef")))
    got = asyncio.run(store.get_partial_values(PROTO, [("a", RangeByteRequest(1, 3)), ("missing", None)]))
    assert got[0] is not None and got[0].to_bytes() == b"bc"
    assert got[1] is None


def test_get_partial_values_uses_one_thread_hop(store: LocalStore, monkeypatch: Any) -> None:
    for i in range(5):
        asyncio.run(store.set(f"c/{i}", Buffer.from_bytes(bytes([i]))))
    hops = []
    real = asyncio.to_thread

    async def counting(func: Any, *args: Any) -> Any:
        hops.append(func)
        return await real(func, *args)

    monkeypatch.setattr(asyncio, "to_thread", counting)
    got = asyncio.run(store.get_partial_values(PROTO, [(f"c/{i}", None) for i in range(5)]))
    assert [g.to_bytes() for g in got if g is not None] == [bytes([i]) for i in range(5)]
    assert len(hops) == 1


def test_read_only_refuses_and_leaves_disk_unchanged(tmp_path: Path) -> None:
    asyncio.run(LocalStore(tmp_path).set("a/b", Buffer.from_bytes(b"x")))
    before = files_under(tmp_path)
    reader = LocalStore(tmp_path, read_only=True)
    for attempt in (
        reader.set("a/b", Buffer.from_bytes(b"y")),
        reader.set("new", Buffer.from_bytes(b"y")),
        reader.delete("a/b"),
        reader.delete_dir("a"),
        reader.clear(),
    ):
        with pytest.raises(ReadOnlyError, match="read-only"):
            asyncio.run(attempt)
    assert files_under(tmp_path) == before


def test_read_only_store_does_not_create_its_root(tmp_path: Path) -> None:
    reader = asyncio.run(LocalStore.open(tmp_path / "absent", read_only=True))
    assert asyncio.run(reader.get("zarr.json", PROTO)) is None
    assert not (tmp_path / "absent").exists()


def test_pickle_round_trip(tmp_path: Path) -> None:
    store = LocalStore(tmp_path, read_only=True)
    assert pickle.loads(pickle.dumps(store)) == store


def test_get_of_a_directory_is_missing(store: LocalStore) -> None:
    asyncio.run(store.set("g/zarr.json", Buffer.from_bytes(b"{}")))
    assert asyncio.run(store.get("g", PROTO)) is None
    assert not asyncio.run(store.exists("g"))


async def _collect(iterator: Any) -> list[str]:
    return sorted([k async for k in iterator])


def test_concurrent_writes_of_one_key_never_mix(tmp_path: Path, store: LocalStore) -> None:
    payloads = [bytes([i]) * 200_000 for i in range(8)]

    async def race() -> None:
        await asyncio.gather(*(store.set("k", Buffer.from_bytes(p)) for p in payloads))

    asyncio.run(race())
    assert (tmp_path / "k").read_bytes() in payloads
    assert [p.name for p in tmp_path.iterdir()] == ["k"]


def test_same_keys_and_bytes_as_zarr_python(tmp_path: Path) -> None:
    """A hierarchy zarr-python writes reads back key for key through our LocalStore, and back."""
    import numpy as np
    import zarr
    from zarr.core.buffer import default_buffer_prototype as their_prototype

    group = zarr.open_group(tmp_path / "theirs", mode="w")
    group.create_array("a", data=np.arange(20, dtype="i4").reshape(4, 5), chunks=(2, 2))
    theirs = zarr.storage.LocalStore(tmp_path / "theirs")
    ours = LocalStore(tmp_path / "theirs")

    async def listing(store: Any) -> dict[str, bytes]:
        keys = sorted([k async for k in store.list()])
        proto = their_prototype() if store is theirs else PROTO
        return {k: (await store.get(k, proto)).to_bytes() for k in keys}

    expected = asyncio.run(listing(theirs))
    assert "a/c/1/2" in expected
    assert asyncio.run(listing(ours)) == expected

    copy = LocalStore(tmp_path / "ours")
    asyncio.run(copy._set_many((k, Buffer.from_bytes(v)) for k, v in expected.items()))
    reopened = zarr.open_array(tmp_path / "ours", path="a", mode="r")
    assert reopened[:].tolist() == np.arange(20).reshape(4, 5).tolist()


def test_read_in_worker_reuses_one_buffer_per_thread(tmp_path: Path, store: LocalStore) -> None:
    (tmp_path / "a").write_bytes(b"first value")
    (tmp_path / "b").write_bytes(b"second")
    first = store.read_in_worker("a")
    assert first is not None and first.tobytes() == b"first value"
    second = store.read_in_worker("b")
    assert second is not None and second.tobytes() == b"second"
    # the same memory, no allocation per read
    assert np.shares_memory(np.frombuffer(first, np.uint8), np.frombuffer(second, np.uint8))
    assert store.read_in_worker("missing") is None
    (tmp_path / "folder").mkdir()
    assert store.read_in_worker("folder") is None
    with pytest.raises(ValueError, match=r"'\.\./x'"):
        store.read_in_worker("../x")


def test_read_ranges_in_worker_opens_the_file_once(
    tmp_path: Path, store: LocalStore, monkeypatch: Any
) -> None:
    (tmp_path / "a").write_bytes(bytes(range(100)))
    opened: list[str] = []
    real_open = os.open

    def counting_open(path: str, *args: Any) -> int:
        opened.append(path)
        return real_open(path, *args)

    monkeypatch.setattr(os, "open", counting_open)
    ranges = [
        RangeByteRequest(10, 20), SuffixByteRequest(5), OffsetByteRequest(98), RangeByteRequest(90, 200)
    ]
    got = [None if view is None else view.tobytes() for view in store.read_ranges_in_worker("a", ranges)]
    assert got == [bytes(range(10, 20)), bytes(range(95, 100)), bytes([98, 99]), bytes(range(90, 100))]
    assert opened == [os.path.join(str(tmp_path), "a")]
    assert list(store.read_ranges_in_worker("missing", ranges[:2])) == [None, None]
    (tmp_path / "folder").mkdir()
    assert list(store.read_ranges_in_worker("folder", ranges[:1])) == [None]
    # left part way, the file is closed with the iterator
    reads = store.read_ranges_in_worker("a", ranges)
    next(reads)
    reads.close()  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match=r"'\.\./x'"):
        list(store.read_ranges_in_worker("../x", ranges))


def test_a_few_small_ranges_are_read_without_a_thread_hop(store: LocalStore, monkeypatch: Any) -> None:
    asyncio.run(store.set("a", Buffer.from_bytes(bytes(range(200)))))
    hops = []
    real = asyncio.to_thread

    async def counting(func: Any, *args: Any) -> Any:
        hops.append(func)
        return await real(func, *args)

    monkeypatch.setattr(asyncio, "to_thread", counting)
    small = [("a", RangeByteRequest(3, 9)), ("a", SuffixByteRequest(4)), ("missing", RangeByteRequest(0, 2))]
    got = asyncio.run(store.get_partial_values(PROTO, small))
    assert [g.to_bytes() if g is not None else None for g in got] == [
        bytes(range(3, 9)),
        bytes(range(196, 200)),
        None,
    ]
    assert asyncio.run(store.get("a", PROTO, RangeByteRequest(10, 12))).to_bytes() == bytes([10, 11])
    # whole small values (metadata documents) are read inline too, once their size is known
    for request in (None, OffsetByteRequest(5), RangeByteRequest(0, 1 << 20)):
        asyncio.run(store.get_partial_values(PROTO, [("a", request)]))
    assert hops == []
    # big values still read in a worker thread
    asyncio.run(store.set("big", Buffer.from_bytes(bytes(1 << 17))))
    hops.clear()
    for request in (None, OffsetByteRequest(5), RangeByteRequest(0, 1 << 20)):
        got = asyncio.run(store.get_partial_values(PROTO, [("big", request), ("a", None)]))
        assert got[1].to_bytes() == bytes(range(200))
    assert asyncio.run(store.get("big", PROTO)).to_bytes() == bytes(1 << 17)
    assert len(hops) == 4


def test_write_in_worker_is_atomic_and_respects_read_only(tmp_path: Path, store: LocalStore) -> None:
    store.write_in_worker("a/b/c", b"first")
    store.write_in_worker("a/b/c", memoryview(b"second"))
    assert files_under(tmp_path) == {"a/b/c": b"second"}  # no temp files left behind
    with pytest.raises(ReadOnlyError, match="'a/b/c'"):
        store.with_read_only(True).write_in_worker("a/b/c", b"x")
    with pytest.raises(ValueError, match="'a//c'"):
        store.write_in_worker("a//c", b"x")
    assert files_under(tmp_path) == {"a/b/c": b"second"}


class _CountingLocalStore(LocalStore):
    """A LocalStore subclass that intercepts reads, as a user's logging or caching store would."""

    reads: list[str] = []  # on the class: opening read-only makes a new instance

    async def get(self, key: str, prototype: Any = None, byte_range: Any = None) -> Buffer | None:
        self.reads.append(key)
        return await super().get(key, prototype or default_buffer_prototype(), byte_range)

    async def get_partial_values(self, prototype: Any, key_ranges: Any) -> list[Buffer | None]:
        key_ranges = list(key_ranges)
        self.reads.extend(key for key, _ in key_ranges)
        return await super().get_partial_values(prototype, key_ranges)


def test_worker_io_only_where_get_and_set_are_localstores_own(tmp_path: Path) -> None:
    assert LocalStore(tmp_path).supports_worker_io
    assert not _CountingLocalStore(tmp_path).supports_worker_io


def test_a_subclass_that_intercepts_get_sees_every_chunk_read(tmp_path: Path) -> None:
    import zarrnb

    zarrnb.create_array(store=LocalStore(tmp_path), shape=(8,), chunks=(2,), dtype="i4")[:] = np.arange(8)
    counting = _CountingLocalStore(tmp_path)
    _CountingLocalStore.reads.clear()
    assert zarrnb.open_array(store=counting, mode="r")[:].tolist() == list(range(8))
    assert sorted(k for k in counting.reads if k.startswith("c/")) == ["c/0", "c/1", "c/2", "c/3"]


def test_fsync_reaches_the_disk_before_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    asyncio.run(LocalStore(tmp_path).set("plain", Buffer.from_bytes(b"x")))
    assert synced == []
    durable = LocalStore(tmp_path, fsync=True)
    asyncio.run(durable.set("a/b", Buffer.from_bytes(b"durable")))
    durable.write_in_worker("c", b"also")
    assert len(synced) == 2
    assert (tmp_path / "a" / "b").read_bytes() == b"durable"
    assert durable.with_read_only(True).fsync and pickle.loads(pickle.dumps(durable)).fsync


def test_read_in_worker_reads_a_byte_range_into_the_same_buffer(tmp_path: Path, store: LocalStore) -> None:
    (tmp_path / "a").write_bytes(bytes(range(100)))
    whole = store.read_in_worker("a")
    assert whole is not None and len(whole) == 100
    part = store.read_in_worker("a", RangeByteRequest(10, 20))
    assert part is not None and part.tobytes() == bytes(range(10, 20))
    assert np.shares_memory(np.frombuffer(whole, np.uint8), np.frombuffer(part, np.uint8))
    suffix = store.read_in_worker("a", SuffixByteRequest(5))
    assert suffix is not None and suffix.tobytes() == bytes(range(95, 100))
    offset = store.read_in_worker("a", OffsetByteRequest(98))
    assert offset is not None and offset.tobytes() == bytes([98, 99])
    clipped = store.read_in_worker("a", RangeByteRequest(90, 200))  # clipped to the file, as get is
    assert clipped is not None and clipped.tobytes() == bytes(range(90, 100))
    assert store.read_in_worker("missing", RangeByteRequest(0, 4)) is None


def test_read_in_worker_gathers_short_reads_and_works_without_preadv(
    tmp_path: Path, store: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zarrnb.storage import local

    (tmp_path / "a").write_bytes(bytes(range(100)))
    real = os.pread

    def short(fd: int, n: int, offset: int) -> bytes:
        return real(fd, min(n, 7), offset)  # a file system that returns a few bytes per call

    monkeypatch.setattr(local, "_HAS_PREADV", False)
    monkeypatch.setattr(os, "pread", short)
    whole = store.read_in_worker("a")
    assert whole is not None and whole.tobytes() == bytes(range(100))
    part = store.read_in_worker("a", RangeByteRequest(10, 50))
    assert part is not None and part.tobytes() == bytes(range(10, 50))


def test_keys_map_to_files_under_the_current_root(tmp_path: Path) -> None:
    """The root's str is kept between calls; a moved store's keys name files under its new root."""
    store = LocalStore(tmp_path / "old")
    store.write_in_worker("a/b", b"x")
    asyncio.run(store.move(tmp_path / "new"))
    assert store.read_in_worker("a/b") is not None and store.read_in_worker("a/b").tobytes() == b"x"
    store.write_in_worker("c", b"y")
    assert files_under(tmp_path) == {"new/a/b": b"x", "new/c": b"y"}
