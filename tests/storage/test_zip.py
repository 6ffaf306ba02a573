"""ZipStore: the StoreTests contract, zip limits stated honestly, pickling and interop."""

from __future__ import annotations

import asyncio
import pickle
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.errors import ReadOnlyError
from zarrnb.storage import ZipStore
from zarrnb.testing.store import StoreTests

PROTO = default_buffer_prototype()


@pytest.mark.filterwarnings("ignore:.*is already in zip")  # tests that re-set a key on purpose
class TestZipStore(StoreTests[ZipStore]):
    store_cls = ZipStore
    pickles = False  # a writable zip is unfinished until closed; read-only ones pickle (below)

    @pytest.fixture
    def store_kwargs(self, tmp_path: Path) -> dict[str, Any]:
        return {"path": tmp_path / "data.zip", "mode": "w"}

    async def open_store(self, open_kwargs: dict[str, Any], **changes: Any) -> ZipStore:
        """A read-only zip store reads an existing file: the tests opening one read-only get an empty zip."""
        kwargs = {**open_kwargs, **changes}
        if kwargs.get("read_only") and not Path(kwargs["path"]).exists():
            (await ZipStore.open(kwargs["path"], mode="w")).close()
        return await ZipStore.open(**kwargs)


def write_zip(path: Path, entries: dict[str, bytes]) -> None:
    async def fill() -> None:
        store = await ZipStore.open(path, mode="w")
        await store._set_many((k, Buffer.from_bytes(v)) for k, v in entries.items())
        store.close()

    asyncio.run(fill())


def test_str_and_repr(tmp_path: Path) -> None:
    store = ZipStore(tmp_path / "data.zip", mode="w")
    assert str(store) == f"zip://{(tmp_path / 'data.zip').as_posix()}"
    assert repr(ZipStore("data.zip")) == "ZipStore('zip://data.zip')"


def test_invalid_mode_lists_modes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'r', 'w', 'a', 'x'"):
        ZipStore(tmp_path / "z.zip", mode="rw")  # type: ignore[arg-type]
    assert not (tmp_path / "z.zip").exists()


def test_file_is_a_standard_zip(tmp_path: Path) -> None:
    write_zip(tmp_path / "z.zip", {"zarr.json": b"{}", "c/0": b"\x00\x01"})
    with zipfile.ZipFile(tmp_path / "z.zip") as zf:
        assert sorted(zf.namelist()) == ["c/0", "zarr.json"]
        assert zf.read("c/0") == b"\x00\x01"


def test_mode_r_refuses_writes_and_leaves_the_file(tmp_path: Path) -> None:
    path = tmp_path / "z.zip"
    write_zip(path, {"a": b"1"})
    before = path.read_bytes()
    store = asyncio.run(ZipStore.open(path, mode="r"))
    assert store.read_only
    for attempt in (store.set("a", Buffer.from_bytes(b"2")), store.clear(), store.delete("a")):
        with pytest.raises(ReadOnlyError, match="read-only"):
            asyncio.run(attempt)
    store.close()
    assert path.read_bytes() == before


def test_reset_in_append_mode_warns_and_new_entry_wins(tmp_path: Path) -> None:
    path = tmp_path / "z.zip"
    write_zip(path, {"a": b"old", "b": b"keep"})

    async def append() -> None:
        store = await ZipStore.open(path, mode="a")
        with pytest.warns(UserWarning, match="'a' is already in"):
            await store.set("a", Buffer.from_bytes(b"new value"))
        store.close()

    asyncio.run(append())
    reader = asyncio.run(ZipStore.open(path, mode="r"))
    assert asyncio.run(reader.get("a", PROTO)).to_bytes() == b"new value"  # type: ignore[union-attr]
    assert asyncio.run(reader.getsize("a")) == len(b"new value")
    assert sorted(asyncio.run(_collect(reader.list()))) == ["a", "b"]


def test_delete_is_refused_with_reason(tmp_path: Path) -> None:
    store = asyncio.run(ZipStore.open(tmp_path / "z.zip", mode="w"))
    asyncio.run(store.set("a", Buffer.from_bytes(b"1")))
    assert store.supports_deletes is False
    with pytest.raises(NotImplementedError, match="zip files do not support deleting"):
        asyncio.run(store.delete("a"))
    assert asyncio.run(store.exists("a"))


def test_mode_x_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "z.zip"
    write_zip(path, {"a": b"1"})
    before = path.read_bytes()
    with pytest.raises(FileExistsError):
        asyncio.run(ZipStore.open(path, mode="x"))
    assert path.read_bytes() == before


def test_read_only_store_pickles_and_reads(tmp_path: Path) -> None:
    path = tmp_path / "z.zip"
    write_zip(path, {"a": b"pickled"})
    store = asyncio.run(ZipStore.open(path, mode="r"))
    other = pickle.loads(pickle.dumps(store))
    assert other == store
    assert asyncio.run(other.get("a", PROTO)).to_bytes() == b"pickled"  # type: ignore[union-attr]


def test_writable_store_refuses_to_pickle_with_reason(tmp_path: Path) -> None:
    store = ZipStore(tmp_path / "z.zip", mode="w")
    with pytest.raises(TypeError, match="unfinished until closed"):
        pickle.dumps(store)


def test_compression_is_used(tmp_path: Path) -> None:
    path = tmp_path / "z.zip"

    async def fill() -> None:
        store = await ZipStore.open(path, mode="w", compression=zipfile.ZIP_DEFLATED)
        await store.set("zeros", Buffer(np.zeros(10_000, dtype=np.uint8)))
        store.close()

    asyncio.run(fill())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("zeros")
        assert info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size < 1000


def test_zarr_python_reads_what_we_write(tmp_path: Path) -> None:
    from zarr.core.buffer import default_buffer_prototype as their_prototype
    from zarr.storage import ZipStore as TheirZipStore

    path = tmp_path / "z.zip"
    write_zip(path, {"k/a": b"payload"})

    async def read() -> bytes:
        theirs = await TheirZipStore.open(path, mode="r")
        return (await theirs.get("k/a", their_prototype())).to_bytes()

    assert asyncio.run(read()) == b"payload"


async def _collect(iterator: Any) -> list[str]:
    return [k async for k in iterator]


def test_mode_w_at_a_fresh_path_needs_no_delete(tmp_path: Path) -> None:
    from zarrnb.storage import make_store_path

    async def create() -> list[str]:
        store = await ZipStore.open(tmp_path / "z.zip", mode="w")
        sp = await make_store_path(store, path="foo", mode="w")
        await (sp / "zarr.json").set(Buffer.from_bytes(b"{}"))
        return [k async for k in store.list()]

    assert asyncio.run(create()) == ["foo/zarr.json"]


def test_threads_share_one_store_safely(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "z.zip"
    store = asyncio.run(ZipStore.open(path, mode="w"))

    def write(worker: int) -> None:
        for i in range(25):
            asyncio.run(store.set(f"w{worker}/{i}", Buffer.from_bytes(bytes([worker]) * (i + 1))))

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(write, range(4)))
    store.close()
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        assert len(zf.namelist()) == 100
        assert zf.read("w3/24") == bytes([3]) * 25
