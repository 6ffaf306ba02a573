"""ZipStore checks keys exactly as LocalStore does, and a crash mid-write never damages the zip."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.storage import LocalStore, ZipStore

PROTO = default_buffer_prototype()
BAD_KEYS = [
    "../../evil",
    "a/../b",
    "/abs/path",
    "a//b",
    "./a",
    "a/",
    "a\\b",
    "a\0b",
    "x" * 70_000,
    "a/" + "y" * 300,
    "é" * 200,  # 400 bytes of UTF-8 in one segment
    "/".join(["seg"] * 1100),  # 4,399 bytes in all
]


def refusal(store: LocalStore | ZipStore, key: str) -> tuple[type[BaseException], str]:
    """The error ``store.set(key, ...)`` raises: its type and message."""
    try:
        asyncio.run(store.set(key, Buffer.from_bytes(b"v")))
    except Exception as e:
        return type(e), str(e)
    raise AssertionError(f"{type(store).__name__} accepted key {key[:40]!r}")


@pytest.mark.parametrize("key", BAD_KEYS, ids=lambda k: repr(k[:12]))
def test_zip_refuses_keys_exactly_as_local_store(tmp_path: Path, key: str) -> None:
    local = asyncio.run(LocalStore.open(tmp_path / "local"))
    zipped = asyncio.run(ZipStore.open(tmp_path / "z.zip", mode="w"))
    assert refusal(zipped, key) == refusal(local, key)
    error_type, message = refusal(zipped, key)
    assert issubclass(error_type, ValueError) and "invalid key" in message and len(message) < 400
    for read in (zipped.get(key, PROTO), zipped.exists(key)):
        with pytest.raises(ValueError, match="invalid key"):
            asyncio.run(read)
    zipped.close()
    with zipfile.ZipFile(tmp_path / "z.zip") as zf:
        assert zf.namelist() == []
    assert not (tmp_path / "evil").exists()


def test_long_keys_within_limits_still_work(tmp_path: Path) -> None:
    key = "/".join(["s" * 255] * 3)
    zipped = asyncio.run(ZipStore.open(tmp_path / "z.zip", mode="w"))
    asyncio.run(zipped.set(key, Buffer.from_bytes(b"ok")))
    assert asyncio.run(zipped.get(key, PROTO)).to_bytes() == b"ok"  # type: ignore[union-attr]


def write_zip(path: Path, entries: dict[str, bytes], mode: str = "w") -> None:
    async def fill() -> None:
        store = await ZipStore.open(path, mode=mode)  # type: ignore[arg-type]
        for key, value in entries.items():
            await store.set(key, Buffer.from_bytes(value))
        store.close()

    asyncio.run(fill())


CRASHING_APPEND = """
import asyncio, os, sys
from zarrnb.core.buffer import Buffer
from zarrnb.storage import ZipStore

async def main():
    store = await ZipStore.open(sys.argv[1], mode=sys.argv[2])
    for i in range(50):
        await store.set(f"new/{i}", Buffer.from_bytes(os.urandom(4096)))
    os._exit(9)  # dies without closing, as a kill would

asyncio.run(main())
"""


@pytest.mark.parametrize("mode", ["a", "w"])
def test_a_writer_dying_before_close_leaves_the_zip_intact(tmp_path: Path, mode: str) -> None:
    path = tmp_path / "z.zip"
    old = {f"old/{i}": bytes([i]) * 1000 for i in range(20)}
    write_zip(path, old)
    before = path.read_bytes()
    done = subprocess.run([sys.executable, "-c", CRASHING_APPEND, str(path), mode], timeout=60)
    assert done.returncode == 9
    assert path.read_bytes() == before
    with zipfile.ZipFile(path) as zf:
        assert {name: zf.read(name) for name in zf.namelist()} == old


def test_append_then_close_keeps_old_and_new_entries(tmp_path: Path) -> None:
    path = tmp_path / "z.zip"
    write_zip(path, {"a": b"1"})
    write_zip(path, {"b": b"2"}, mode="a")
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["a", "b"] and zf.read("a") == b"1"
    assert [p.name for p in tmp_path.iterdir()] == ["z.zip"]  # the temp file was renamed, none left


def test_clear_in_append_mode_starts_afresh_on_close(tmp_path: Path) -> None:
    path = tmp_path / "z.zip"
    write_zip(path, {"a": b"1"})

    async def clear_and_write() -> None:
        store = await ZipStore.open(path, mode="a")
        await store.clear()
        await store.set("b", Buffer.from_bytes(b"2"))
        store.close()

    asyncio.run(clear_and_write())
    with zipfile.ZipFile(path) as zf:
        assert zf.namelist() == ["b"]


def test_writable_open_sweeps_old_temp_files_of_this_zip_only(tmp_path: Path) -> None:
    path = tmp_path / "z.zip"
    write_zip(path, {"a": b"1"})
    stamp = time.time() - 7200
    mine_old = tmp_path / f".z.zip.{os.urandom(16).hex()}.zarrnb-partial"
    mine_young = tmp_path / f".z.zip.{os.urandom(16).hex()}.zarrnb-partial"
    other = tmp_path / f".y.zip.{os.urandom(16).hex()}.zarrnb-partial"
    for p in (mine_old, mine_young, other):
        p.write_bytes(b"partial")
    os.utime(mine_old, (stamp, stamp))
    os.utime(other, (stamp, stamp))
    reader = asyncio.run(ZipStore.open(path, mode="r"))
    reader.close()
    assert mine_old.exists()
    write_zip(path, {"b": b"2"}, mode="a")
    assert not mine_old.exists()
    assert mine_young.exists() and other.exists()


def test_rewrite_keeps_permissions_and_symlinks(tmp_path: Path) -> None:
    real = tmp_path / "real.zip"
    write_zip(real, {"a": b"1"})
    os.chmod(real, 0o600)
    link = tmp_path / "link.zip"
    link.symlink_to(real)
    write_zip(link, {"b": b"2"}, mode="a")
    assert link.is_symlink() and (real.stat().st_mode & 0o777) == 0o600
    with zipfile.ZipFile(real) as zf:
        assert sorted(zf.namelist()) == ["a", "b"]


def test_a_failed_open_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "z.zip"
    write_zip(path, {"a": b"1"})

    def refuse(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ZipStore, "_zipfile", refuse)
    with pytest.raises(OSError, match="No space"):
        asyncio.run(ZipStore.open(path, mode="a"))
    assert [p.name for p in tmp_path.iterdir()] == ["z.zip"]
