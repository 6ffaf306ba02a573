"""StorePath and make_store_path: implicit store creation from store-likes and access modes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from zarrnb.core.buffer import Buffer
from zarrnb.errors import ReadOnlyError
from zarrnb.storage import FsspecStore, LocalStore, MemoryStore, StorePath, make_store_path


def make(*args: object, **kwargs: object) -> StorePath:
    return asyncio.run(make_store_path(*args, **kwargs))  # type: ignore[arg-type]


def test_str_path_makes_local_store(tmp_path: Path) -> None:
    sp = make(str(tmp_path / "a"), path="g")
    assert isinstance(sp.store, LocalStore) and sp.store.root == tmp_path / "a"
    assert sp.path == "g" and str(sp) == f"file://{(tmp_path / 'a').as_posix()}/g"


def test_path_and_file_url_make_local_store(tmp_path: Path) -> None:
    assert make(tmp_path).store == LocalStore(tmp_path)
    assert make(f"file://{tmp_path}").store == LocalStore(tmp_path)


def test_dict_and_none_and_memory_url_make_memory_store() -> None:
    backing: dict[str, Buffer] = {}
    sp = make(backing)
    assert isinstance(sp.store, MemoryStore) and sp.store._store_dict is backing
    assert isinstance(make(None).store, MemoryStore)
    # fsspec's memory file system, as in zarr-python: the same URL opened again sees the data
    assert isinstance(make("memory://anything").store, FsspecStore)


def test_store_passes_through_and_mode_r_makes_it_read_only() -> None:
    store = MemoryStore()
    assert make(store).store is store
    reader = make(store, mode="r")
    assert reader.read_only and not store.read_only
    with pytest.raises(ReadOnlyError):
        asyncio.run(reader.set(Buffer.from_bytes(b"x")))


def test_store_path_joins_paths() -> None:
    base = make(MemoryStore(), path="/a/b/")
    assert base.path == "a/b"
    assert (base / "c/d").path == "a/b/c/d"
    assert make(base, path="c").path == "a/b/c"


def test_storage_options_with_local_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="storage_options"):
        make(str(tmp_path / "x"), storage_options={"anon": True})
    assert not (tmp_path / "x").exists()
    with pytest.raises(TypeError, match="storage_options"):
        make(MemoryStore(), storage_options={"anon": True})


def test_invalid_mode_lists_valid_modes() -> None:
    with pytest.raises(ValueError, match=r"'r\+'"):
        make(MemoryStore(), mode="rw")


def test_mode_w_clears_only_the_path() -> None:
    store = MemoryStore({"g/zarr.json": Buffer.from_bytes(b"{}"), "h/zarr.json": Buffer.from_bytes(b"{}")})
    make(store, path="g", mode="w")
    assert list(store._store_dict) == ["h/zarr.json"]


def test_mode_w_minus_refuses_existing_data() -> None:
    store = MemoryStore({"g/zarr.json": Buffer.from_bytes(b"{}")})
    with pytest.raises(FileExistsError, match="g"):
        make(store, path="g", mode="w-")
    assert list(store._store_dict) == ["g/zarr.json"]
    assert make(store, path="other", mode="w-").path == "other"


def test_writable_mode_on_read_only_store_is_refused() -> None:
    store = MemoryStore({"k": Buffer.from_bytes(b"v")}, read_only=True)
    for mode in ("w", "a", "r+", "w-"):
        with pytest.raises(ReadOnlyError, match="read-only"):
            make(store, mode=mode)
    assert list(store._store_dict) == ["k"]


def test_dot_dot_in_path_is_refused() -> None:
    with pytest.raises(ValueError, match=r"\.\."):
        make(MemoryStore(), path="a/../b")


def test_store_path_io() -> None:
    sp = make(MemoryStore(), path="a") / "k"

    async def io() -> None:
        assert not await sp.exists()
        await sp.set(Buffer.from_bytes(b"v"))
        got = await sp.get()
        assert got is not None and got.to_bytes() == b"v"
        await sp.set_if_not_exists(Buffer.from_bytes(b"w"))
        assert (await sp.get()).to_bytes() == b"v"  # type: ignore[union-attr]
        await sp.delete()
        assert not await sp.exists()

    asyncio.run(io())
    assert repr(sp).startswith("StorePath(MemoryStore, 'memory://")
    assert sp == StorePath(sp.store, "a/k")


def test_unsupported_store_like() -> None:
    with pytest.raises(TypeError, match="int"):
        make(42)
