"""LocalStore's publish of a value: a write that fails at any step leaves the key's old value, or no
file at all for a new key, and no temp file; deleting a file key needs no thread hop."""

from __future__ import annotations

import asyncio
import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zarrnb.core.buffer import Buffer
from zarrnb.storage import LocalStore
from zarrnb.storage._utils import is_temp_name, temp_name


def files_under(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` and its bytes, temp files included."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _half_then_disk_full() -> Callable[[int, Any], int]:
    """An ``os.write`` that writes half its bytes, then fails as a full disk does."""
    real, calls = os.write, []

    def write(fd: int, data: Any) -> int:
        calls.append(fd)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, memoryview(data)[: max(1, len(data) // 2)])

    return write


def _fails(message: str) -> Callable[..., Any]:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.EIO, message)

    return broken


def _close_then_fail() -> Callable[[int], None]:
    """An ``os.close`` that closes (the descriptor is gone) and then reports an I/O error, as NFS may."""
    real = os.close

    def close(fd: int) -> None:
        real(fd)
        raise OSError(errno.EIO, "close failed")

    return close


FAULTS: dict[str, Callable[[], Callable[..., Any]]] = {
    "create": lambda: _fails("open failed"),
    "write": _half_then_disk_full,
    "close": _close_then_fail,
    "replace": lambda: _fails("rename failed"),
}
# the os function each fault replaces
TARGETS = {"create": "open", "write": "write", "close": "close", "replace": "replace"}


def _set(store: LocalStore, how: str, key: str, value: bytes) -> None:
    if how == "set":
        asyncio.run(store.set(key, Buffer.from_bytes(value)))
    elif how == "set_sync":
        store.set_sync(key, Buffer.from_bytes(value))
    elif how == "_set_many":
        asyncio.run(store._set_many([(key, Buffer.from_bytes(value))]))
    else:
        store.write_in_worker(key, value)


@pytest.mark.parametrize("how", ["set", "set_sync", "_set_many", "write_in_worker"])
@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("existing", [True, False], ids=["over-existing-key", "new-key"])
def test_a_failed_publish_leaves_the_old_value_or_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str, fault: str, existing: bool
) -> None:
    store = LocalStore(tmp_path)
    store.write_in_worker("c/0/keep", b"neighbour")
    if existing:
        store.write_in_worker("c/0/1", b"old value")
    before = files_under(tmp_path)
    with monkeypatch.context() as patched:
        patched.setattr(os, TARGETS[fault], FAULTS[fault]())
        with pytest.raises(OSError):
            _set(store, how, "c/0/1", b"new value, longer than the old one")
    assert files_under(tmp_path) == before  # old value or no file; no temp file left
    _set(store, how, "c/0/1", b"new")  # the store still works
    assert files_under(tmp_path) == {**before, "c/0/1": b"new"}


@pytest.mark.parametrize("existing", [True, False], ids=["over-existing-key", "new-key"])
def test_a_publish_is_one_rename_of_a_complete_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    """Never written in place: the key's file is replaced by a rename of a fully written temp file
    beside it (new and existing keys alike), so a crash at any point leaves the old or new bytes."""
    store = LocalStore(tmp_path)
    if existing:
        store.write_in_worker("a/k", b"old")
    renames: list[tuple[str, str, bytes]] = []
    real = os.replace

    def replace(src: str, dst: str) -> None:
        renames.append((src, dst, Path(src).read_bytes()))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    store.write_in_worker("a/k", b"new bytes")
    [(src, dst, data)] = renames
    assert dst == os.path.join(str(tmp_path), "a", "k") and data == b"new bytes"
    assert os.path.dirname(src) == os.path.dirname(dst) and is_temp_name(os.path.basename(src))
    assert files_under(tmp_path) == {"a/k": b"new bytes"}


@pytest.mark.parametrize("path", ["/a/b/k", "a/k", "k", "/k"])
def test_temp_names_sit_beside_the_target(path: str) -> None:
    temp = temp_name(path)
    name = os.path.basename(temp)
    assert os.path.dirname(temp) == os.path.dirname(path)
    assert is_temp_name(name) and name.startswith(f".{os.path.basename(path)}.")


def test_deleting_a_file_key_needs_no_thread_hop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = LocalStore(tmp_path)
    store.write_in_worker("g/c/0/0", b"x")
    store.write_in_worker("g/c/1/0", b"y")
    store.write_in_worker("g/zarr.json", b"{}")
    hops: list[object] = []
    real = asyncio.to_thread
    monkeypatch.setattr(asyncio, "to_thread", lambda *a, **k: hops.append(a[0]) or real(*a, **k))
    asyncio.run(store.delete("g/c/0/0"))
    asyncio.run(store.delete("g/missing"))
    assert hops == []
    assert files_under(tmp_path) == {"g/c/1/0": b"y", "g/zarr.json": b"{}"}
    assert not (tmp_path / "g" / "c" / "0").exists()  # the folder it emptied is pruned
    asyncio.run(store.delete("g/c"))  # a folder key: removed whole, in a worker
    assert len(hops) == 1
    assert files_under(tmp_path) == {"g/zarr.json": b"{}"}
