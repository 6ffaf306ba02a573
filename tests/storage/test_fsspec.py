"""FsspecStore: StoreTests on fsspec's memory file system and on the local S3 server."""

from __future__ import annotations

import asyncio
import pickle
import uuid
from pathlib import Path
from typing import Any

import fsspec
import pytest

from zarrnb.abc.store import SuffixByteRequest
from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.errors import ReadOnlyError
from zarrnb.storage import FsspecStore, make_store_path
from zarrnb.testing.s3 import LocalS3Server
from zarrnb.testing.store import StoreTests, snapshot

PROTO = default_buffer_prototype()


class TestFsspecStoreMemory(StoreTests[FsspecStore]):
    store_cls = FsspecStore

    @pytest.fixture
    def store_kwargs(self) -> dict[str, Any]:
        return {"fs": fsspec.filesystem("memory"), "path": f"/{uuid.uuid4().hex}"}


def writer_fs() -> Any:
    """An s3fs file system that signs requests and makes what it writes public-read."""
    import s3fs

    return s3fs.S3FileSystem(anon=False, s3_additional_kwargs={"ACL": "public-read"})


@pytest.mark.s3
class TestFsspecStoreS3(StoreTests[FsspecStore]):
    store_cls = FsspecStore

    @pytest.fixture
    def store_kwargs(self, s3_bucket: str) -> dict[str, Any]:
        return {"fs": writer_fs(), "path": s3_bucket}


def test_repr_names_file_system_and_path() -> None:
    store = FsspecStore(fsspec.filesystem("memory"), path="/data/g")
    assert repr(store) == str(store) == "<FsspecStore(MemoryFileSystem, /data/g)>"


def test_from_url_memory() -> None:
    name = uuid.uuid4().hex
    store = FsspecStore.from_url(f"memory://{name}/sub", read_only=True)
    assert store.read_only and store.path == f"/{name}/sub"
    assert type(store.fs).__name__ == "MemoryFileSystem"


def test_async_file_system_is_awaited_directly(tmp_path: Path) -> None:
    """An fsspec AsyncFileSystem with asynchronous=True runs on the caller's loop."""
    from fsspec.implementations.asyn_wrapper import AsyncFileSystemWrapper

    async def roundtrip() -> bytes:
        fs = AsyncFileSystemWrapper(fsspec.filesystem("file", auto_mkdir=True), asynchronous=True)
        store = FsspecStore(fs, path=str(tmp_path))
        assert store._async
        await store.set("a/b", Buffer.from_bytes(b"0123456789"))
        got = await store.get("a/b", PROTO, SuffixByteRequest(3))
        assert got is not None
        return got.to_bytes()

    assert asyncio.run(roundtrip()) == b"789"
    assert (tmp_path / "a" / "b").read_bytes() == b"0123456789"


def test_read_only_refuses_and_leaves_data() -> None:
    fs = fsspec.filesystem("memory")
    root = f"/{uuid.uuid4().hex}"
    fs.pipe_file(f"{root}/k", b"v")
    store = FsspecStore(fs, read_only=True, path=root)
    for attempt in (store.set("k", Buffer.from_bytes(b"w")), store.delete("k"), store.clear()):
        with pytest.raises(ReadOnlyError, match="read-only"):
            asyncio.run(attempt)
    assert fs.cat_file(f"{root}/k") == b"v"


@pytest.mark.s3
def test_seed_style_anonymous_read(s3_server: LocalS3Server, s3_bucket: str, tmp_path: Path) -> None:
    """storage_options={'anon': True} reaches the local server through the environment alone."""
    (tmp_path / "g").mkdir()
    (tmp_path / "zarr.json").write_bytes(b'{"node_type": "group"}')
    (tmp_path / "g" / "zarr.json").write_bytes(b"{}")
    assert s3_server.upload_directory(tmp_path, s3_bucket) == 2
    sp = asyncio.run(make_store_path(f"s3://{s3_bucket}", mode="r", storage_options={"anon": True}))
    assert isinstance(sp.store, FsspecStore) and sp.read_only
    assert str(sp) == f"<FsspecStore(S3FileSystem, {s3_bucket})>"
    got = asyncio.run(sp.store.get("zarr.json", PROTO))
    assert got is not None and got.to_bytes() == b'{"node_type": "group"}'
    assert asyncio.run(_collect(sp.store.list())) == ["g/zarr.json", "zarr.json"]


@pytest.mark.s3
def test_mode_w_at_bucket_root_keeps_the_bucket(s3_server: LocalS3Server, s3_bucket: str) -> None:
    store = FsspecStore(writer_fs(), path=s3_bucket)
    asyncio.run(
        store._set_many([("zarr.json", Buffer.from_bytes(b"{}")), ("a/c/0", Buffer.from_bytes(b"x"))])
    )
    sp = asyncio.run(make_store_path(f"s3://{s3_bucket}", mode="w"))
    assert asyncio.run(sp.store.is_empty(""))
    s3_server.client().head_bucket(Bucket=s3_bucket)  # raises if the bucket is gone
    asyncio.run(sp.store.set("zarr.json", Buffer.from_bytes(b"{}")))
    assert asyncio.run(sp.store.exists("zarr.json"))


@pytest.mark.s3
def test_sees_objects_written_behind_its_back(s3_server: LocalS3Server, s3_bucket: str) -> None:
    """s3fs caches listings; the store must still see keys another client wrote since."""
    store = FsspecStore(writer_fs(), path=s3_bucket)
    asyncio.run(store.set("a/first", Buffer.from_bytes(b"1")))
    assert asyncio.run(_collect(store.list_dir("a"))) == ["first"]
    s3_server.client().put_object(Bucket=s3_bucket, Key="a/second", Body=b"0123456789")
    assert asyncio.run(store.exists("a/second"))
    assert asyncio.run(store.getsize("a/second")) == 10
    got = asyncio.run(store.get("a/second", PROTO, SuffixByteRequest(4)))
    assert got is not None and got.to_bytes() == b"6789"
    assert asyncio.run(_collect(store.list_dir("a"))) == ["first", "second"]


@pytest.mark.s3
def test_s3_store_pickles(s3_bucket: str) -> None:
    store = FsspecStore(writer_fs(), path=s3_bucket)
    asyncio.run(store.set("k", Buffer.from_bytes(b"v")))
    other = pickle.loads(pickle.dumps(store))
    assert other == store
    assert asyncio.run(snapshot(other)) == {"k": b"v"}


async def _collect(iterator: Any) -> list[str]:
    return sorted([k async for k in iterator])


def test_batch_reads_missing_keys_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Missing chunks (sparse arrays) cost no second request each."""
    fs = fsspec.filesystem("memory")
    root = f"/{uuid.uuid4().hex}"
    fs.pipe_file(f"{root}/c/0", b"0123")
    store = FsspecStore(fs, path=root)
    singles: list[str] = []
    real_get = store.get

    async def counting_get(key: str, *args: Any) -> Any:
        singles.append(key)
        return await real_get(key, *args)

    monkeypatch.setattr(store, "get", counting_get)
    requests = [("c/0", None), *((f"c/{i}", None) for i in range(1, 6)), ("c/0", SuffixByteRequest(2))]
    got = asyncio.run(store.get_partial_values(PROTO, requests))
    assert [g.to_bytes() if g else None for g in got] == [b"0123", None, None, None, None, None, b"23"]
    assert singles == []
