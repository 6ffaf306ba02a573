"""The store surface zarr-python's code and tests reach for: path helpers, contains_*, blocking
methods, LocalStore.move/_atomic_write, _make_async, generic ObjectStore, zarr-python buffers."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import numpy as np
import pytest

import zarrnb
from zarrnb.abc.store import SupportsSyncStore
from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.errors import ReadOnlyError
from zarrnb.storage import LocalStore, LoggingStore, MemoryStore, StorePath, WrapperStore, ZipStore
from zarrnb.storage._utils import (
    _join_paths,
    _normalize_byte_range_index,
    _normalize_path_keys,
    _normalize_paths,
    _relativize_path,
    normalize_path,
)
from zarrnb.storage.common import contains_array, contains_group
from zarrnb.storage.local import _atomic_write


def test_path_helpers() -> None:
    assert _join_paths(["", "a", "", "b"]) == "a/b"
    assert _relativize_path(path="a/b/c", prefix="a") == "b/c"
    assert _relativize_path(path="a/b", prefix="") == "a/b"
    with pytest.raises(ValueError, match="a/b/c does not start with b"):
        _relativize_path(path="a/b/c", prefix="b")
    with pytest.raises(ValueError, match="ab/c does not start with a"):
        _relativize_path(path="ab/c", prefix="a")  # a prefix is a whole segment
    assert _normalize_paths(["/a//b/", "c"]) == ("a/b", "c")
    with pytest.raises(ValueError, match="'a/' collides with '/a'"):
        _normalize_paths(["/a", "a/"])
    assert _normalize_path_keys({"//x": 1, "y/": 2}) == {"x": 1, "y": 2}
    assert normalize_path(b"foo//bar/") == "foo/bar"
    with pytest.raises(TypeError, match="invalid type for \"path\": int"):
        normalize_path(3)  # type: ignore[arg-type]


def test_normalize_byte_range_index_refuses_other_objects() -> None:
    data = Buffer.from_bytes(b"abcd")
    assert _normalize_byte_range_index(data, None) == (0, 5)
    with pytest.raises(ValueError, match=r"Unexpected byte_range, got \(0, 2\)"):
        _normalize_byte_range_index(data, (0, 2))  # type: ignore[arg-type]


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_contains_array_and_group(tmp_path: Path, zarr_format: int) -> None:
    root = zarrnb.open_group(tmp_path, mode="w", zarr_format=zarr_format)  # type: ignore[arg-type]
    root.create_group("g")
    root.create_array("a", shape=(2,), dtype="i4")
    store = LocalStore(tmp_path)

    async def check() -> None:
        for path, array, group in [("a", True, False), ("g", False, True), ("missing", False, False)]:
            assert await contains_array(StorePath(store, path), zarr_format) is array  # type: ignore[arg-type]
            assert await contains_group(StorePath(store, path), zarr_format) is group  # type: ignore[arg-type]

    asyncio.run(check())


def test_contains_refuses_unknown_format() -> None:
    with pytest.raises(ValueError, match=r"Got '3\.0', expected 2 or 3"):
        asyncio.run(contains_array(StorePath(MemoryStore()), "3.0"))  # type: ignore[arg-type]


def test_contains_array_of_a_broken_document_is_false() -> None:
    store = MemoryStore({"zarr.json": Buffer.from_bytes(b"not json")})
    assert asyncio.run(contains_array(StorePath(store), 3)) is False


@pytest.mark.parametrize("make", [lambda p: MemoryStore(), lambda p: LocalStore(p / "s")])
def test_blocking_methods(tmp_path: Path, make: object) -> None:
    store = make(tmp_path)  # type: ignore[operator]
    assert isinstance(store, SupportsSyncStore)
    store.set_sync("a/b", Buffer.from_bytes(b"value"))
    assert store.get_sync("a/b").to_bytes() == b"value"
    assert asyncio.run(store.get("a/b")).to_bytes() == b"value"  # no prototype: the default one
    store.delete_sync("a/b")
    assert store.get_sync("a/b") is None
    with pytest.raises(ReadOnlyError, match="'k'"):
        store.with_read_only(True).set_sync("k", Buffer.from_bytes(b"x"))


def test_get_bytes_and_json_name_a_missing_key() -> None:
    store = MemoryStore({"zarr.json": Buffer.from_bytes(json.dumps({"a": 1}).encode())})
    assert store._get_json_sync("zarr.json") == {"a": 1}
    with pytest.raises(FileNotFoundError, match="'nope'"):
        store._get_bytes_sync("nope")

    async def inside_a_running_loop() -> bytes:
        # the blocking form still works where a loop runs (a notebook cell): on a thread of its own
        return store._get_bytes_sync("zarr.json")

    assert asyncio.run(inside_a_running_loop()) == b'{"a": 1}'


def test_local_move(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "origin")
    zarrnb.create_array(store, data=np.arange(6), chunks=(2,))
    asyncio.run(store.move(tmp_path / "x" / "moved"))
    assert store.root == tmp_path / "x" / "moved" and not (tmp_path / "origin").exists()
    assert zarrnb.open_array(store, mode="r")[:].tolist() == list(range(6))
    with pytest.raises(FileExistsError, match="already exists"):
        asyncio.run(LocalStore(tmp_path / "other").move(tmp_path / "x" / "moved"))


def test_atomic_write_keeps_the_old_bytes_on_error(tmp_path: Path) -> None:
    path = tmp_path / "data"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), _atomic_write(path, "wb") as f:
        f.write(b"half")
        raise RuntimeError
    assert path.read_bytes() == b"old" and list(tmp_path.iterdir()) == [path]
    with _atomic_write(path, "r+b") as f:  # starts from the current bytes
        f.seek(0, 2)
        f.write(b"+new")
    assert path.read_bytes() == b"old+new"
    with pytest.raises(FileExistsError), _atomic_write(path, "wb", exclusive=True) as f:
        f.write(b"x")
    assert path.read_bytes() == b"old+new" and list(tmp_path.iterdir()) == [path]
    with pytest.raises(ValueError, match="mode must be"):
        _atomic_write(path, "ab").__enter__()  # type: ignore[arg-type]


def test_local_root_type_error_names_the_type() -> None:
    expected = r"must be a string or Path instance\. Got an instance of <class 'int'>"
    with pytest.raises(TypeError, match=expected):
        LocalStore(0)  # type: ignore[arg-type]


def test_wrapper_open_state_is_the_wrapped_stores() -> None:
    store = WrapperStore(MemoryStore())
    with pytest.raises(NotImplementedError, match="must be opened via the `_open` method"):
        store._is_open = True  # type: ignore[misc]


def test_logging_store_records_reach_the_root_logger(caplog: pytest.LogCaptureFixture) -> None:
    store = asyncio.run(LoggingStore.open(MemoryStore, log_level="DEBUG"))
    with caplog.at_level(logging.INFO):
        asyncio.run(store._set_many([("a", Buffer.from_bytes(b"1")), ("b", Buffer.from_bytes(b"2"))]))
    assert [r.getMessage().split(" [")[0] for r in caplog.records] == [
        " Calling MemoryStore.set(a)",
        "Finished MemoryStore.set(a)",
        " Calling MemoryStore.set(b)",
        "Finished MemoryStore.set(b)",
    ]
    assert store.counter["set"] == 2 and str(store._store) in caplog.records[0].name


def test_zip_store_blocking_helpers_and_refused_writable_view(tmp_path: Path) -> None:
    store = ZipStore(tmp_path / "a.zip", mode="w")
    store._set("k", Buffer.from_bytes(b"v"))
    assert store._get("k").to_bytes() == b"v"  # type: ignore[union-attr]
    store.close()
    reader = ZipStore(tmp_path / "a.zip", mode="r")
    with pytest.raises(NotImplementedError, match="with_read_only is not implemented"):
        reader.with_read_only(False)


def test_stores_accept_zarr_python_buffers(tmp_path: Path) -> None:
    from zarr.core.buffer import cpu as zarr_python_cpu

    value = zarr_python_cpu.Buffer.from_bytes(b"from zarr-python")
    for store in (MemoryStore(), LocalStore(tmp_path), ZipStore(tmp_path / "z.zip", mode="w")):
        asyncio.run(store.set("k", value))  # type: ignore[arg-type]
        assert asyncio.run(store.get("k", default_buffer_prototype())).to_bytes() == b"from zarr-python"


def test_object_store_is_generic() -> None:
    obstore_store = pytest.importorskip("obstore.store")
    from zarrnb.storage import ObjectStore

    alias = ObjectStore[obstore_store.MemoryStore]
    assert alias.__origin__ is ObjectStore  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="obstore"):
        ObjectStore("path/to/store")
    data = obstore_store.MemoryStore()
    store = ObjectStore(data)
    asyncio.run(store.set("k", Buffer.from_bytes(b"v")))
    import obstore

    # obstore's own bytes object (buffer protocol) wraps as a Buffer
    assert Buffer.from_bytes(obstore.get(data, "k").bytes()).to_bytes() == b"v"


def test_make_async_and_settable_supports_deletes(tmp_path: Path) -> None:
    fsspec = pytest.importorskip("fsspec")
    from zarrnb.storage import FsspecStore
    from zarrnb.storage.fsspec import _make_async

    local = fsspec.filesystem("file", auto_mkdir=True)
    wrapped = _make_async(local)
    assert wrapped.async_impl and wrapped.asynchronous and _make_async(wrapped) is wrapped
    store = FsspecStore(wrapped, path=str(tmp_path))
    asyncio.run(store.set("a/b", Buffer.from_bytes(b"x")))
    assert (tmp_path / "a" / "b").read_bytes() == b"x"
    store.supports_deletes = False
    with pytest.raises(NotImplementedError, match="only available for stores that support deletes"):
        asyncio.run(store.delete_dir("a"))
    assert (tmp_path / "a" / "b").exists()
    assert repr(FsspecStore(fsspec.filesystem("memory"), path="/")) == "<FsspecStore(MemoryFileSystem, /)>"


def test_zip_move_keeps_what_was_written(tmp_path: Path) -> None:
    store = ZipStore(tmp_path / "a.zip", mode="w")
    array = zarrnb.create_array(store, data=np.arange(5))
    asyncio.run(store.move(tmp_path / "sub" / "b.zip"))
    assert not (tmp_path / "a.zip").exists() and store.path == tmp_path / "sub" / "b.zip"
    assert array[:].tolist() == list(range(5))
    asyncio.run(store.set("extra", Buffer.from_bytes(b"x")))  # still writable: it adds, not truncates
    store.close()
    reread = ZipStore(tmp_path / "sub" / "b.zip", mode="r")
    assert zarrnb.open_array(reread, mode="r")[:].tolist() == list(range(5))
    with pytest.raises(FileExistsError, match="already exists"):
        asyncio.run(ZipStore(tmp_path / "c.zip", mode="w").move(tmp_path / "sub" / "b.zip"))


def test_read_only_zip_in_a_writing_mode_over_no_file_is_empty(tmp_path: Path) -> None:
    store = ZipStore(tmp_path / "none.zip", mode="w", read_only=True)
    assert asyncio.run(store.is_empty("")) and asyncio.run(store.get("k")) is None
    with pytest.raises(ReadOnlyError):
        asyncio.run(store.set("k", Buffer.from_bytes(b"x")))
    with pytest.raises(NotImplementedError, match="with_read_only is not implemented"):
        store.with_read_only(False)
    store.close()
    assert not (tmp_path / "none.zip").exists()


def test_store_path_blocking_methods(tmp_path: Path) -> None:
    path = StorePath(LocalStore(tmp_path), "a/b")
    path.set_sync(Buffer.from_bytes(b"v"))
    assert path.get_sync().to_bytes() == b"v"  # type: ignore[union-attr]
    path.delete_sync()
    assert path.get_sync() is None
    with pytest.raises(TypeError, match="Store ZipStore does not support synchronous get"):
        StorePath(ZipStore(tmp_path / "z.zip", mode="w")).get_sync()
