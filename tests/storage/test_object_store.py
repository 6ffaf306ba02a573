"""ObjectStore: StoreTests over obstore's MemoryStore, its LocalStore and the local S3 server."""

from __future__ import annotations

import asyncio
import pickle
from pathlib import Path
from typing import Any

import obstore
import pytest
from obstore.store import LocalStore as ObsLocalStore
from obstore.store import MemoryStore as ObsMemoryStore
from obstore.store import S3Store

from zarrnb.abc.store import OffsetByteRequest, RangeByteRequest
from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.errors import ReadOnlyError
from zarrnb.storage import ObjectStore, make_store_path
from zarrnb.testing.s3 import LocalS3Server
from zarrnb.testing.store import StoreTests

PROTO = default_buffer_prototype()


class ObstoreBackdoor:
    """Reach the obstore store directly, bypassing the ObjectStore under test."""

    async def set(self, store: ObjectStore, key: str, value: Buffer) -> None:
        await obstore.put_async(store.store, key, value.to_bytes())

    async def get(self, store: ObjectStore, key: str) -> Buffer | None:
        try:
            return Buffer.from_bytes(bytes(await (await obstore.get_async(store.store, key)).bytes_async()))
        except FileNotFoundError:
            return None


class TestObjectStoreMemory(ObstoreBackdoor, StoreTests[ObjectStore]):
    store_cls = ObjectStore
    pickles = False  # obstore's MemoryStore itself does not pickle

    @pytest.fixture
    def store_kwargs(self) -> dict[str, Any]:
        return {"store": ObsMemoryStore()}


class TestObjectStoreLocal(ObstoreBackdoor, StoreTests[ObjectStore]):
    store_cls = ObjectStore

    @pytest.fixture
    def store_kwargs(self, tmp_path: Path) -> dict[str, Any]:
        return {"store": ObsLocalStore(tmp_path, mkdir=True)}


@pytest.mark.s3
class TestObjectStoreS3(ObstoreBackdoor, StoreTests[ObjectStore]):
    store_cls = ObjectStore

    @pytest.fixture
    def store_kwargs(self, s3_bucket: str) -> dict[str, Any]:
        return {"store": S3Store(s3_bucket)}  # endpoint, region and credentials from the environment


def test_str_is_object_store_url() -> None:
    inner = ObsMemoryStore()
    assert str(ObjectStore(inner)) == f"object_store://{inner!r}"
    assert str(ObjectStore(S3Store("bucket", skip_signature=True, region="us-west-2"))) == (
        'object_store://S3Store(bucket="bucket")'
    )


def test_refuses_non_obstore_objects() -> None:
    with pytest.raises(TypeError, match="obstore"):
        ObjectStore({})


def test_read_only_refuses_and_leaves_data() -> None:
    inner = ObsMemoryStore()
    obstore.put(inner, "k", b"v")
    store = ObjectStore(inner, read_only=True)
    for attempt in (store.set("k", Buffer.from_bytes(b"w")), store.delete("k"), store.delete_dir("")):
        with pytest.raises(ReadOnlyError, match="read-only"):
            asyncio.run(attempt)
    assert bytes(obstore.get(inner, "k").bytes()) == b"v"


def test_ranges_past_the_end_read_as_empty() -> None:
    inner = ObsMemoryStore()
    obstore.put(inner, "k", b"0123")
    store = ObjectStore(inner)
    for request in (RangeByteRequest(4, 9), RangeByteRequest(7, 9), OffsetByteRequest(4)):
        got = asyncio.run(store.get("k", PROTO, request))
        assert got is not None and len(got) == 0
    assert asyncio.run(store.get("missing", PROTO, OffsetByteRequest(4))) is None


def test_local_store_pickles(tmp_path: Path) -> None:
    store = ObjectStore(ObsLocalStore(tmp_path), read_only=True)
    assert pickle.loads(pickle.dumps(store)) == store


@pytest.mark.s3
def test_seed_style_unsigned_read(s3_server: LocalS3Server, s3_bucket: str, tmp_path: Path) -> None:
    """S3Store(bucket, skip_signature=True, region=...) reaches the local server through the environment."""
    (tmp_path / "zarr.json").write_bytes(b'{"node_type": "group"}')
    s3_server.upload_directory(tmp_path, s3_bucket, prefix="data")
    store = ObjectStore(S3Store(s3_bucket, skip_signature=True, region="us-west-2"), read_only=True)
    sp = asyncio.run(make_store_path(store, path="data", mode="r"))
    got = asyncio.run((sp / "zarr.json").get())
    assert got is not None and got.to_bytes() == b'{"node_type": "group"}'


@pytest.mark.s3
def test_clear_keeps_the_bucket(s3_server: LocalS3Server, s3_bucket: str) -> None:
    store = ObjectStore(S3Store(s3_bucket))
    asyncio.run(store.set("a/b", Buffer.from_bytes(b"x")))
    asyncio.run(store.clear())
    assert asyncio.run(store.is_empty(""))
    s3_server.client().head_bucket(Bucket=s3_bucket)


def test_many_ranges_of_one_object_match_single_gets() -> None:
    inner = ObsMemoryStore()
    data = bytes(range(200))
    obstore.put(inner, "shard", data)
    store = ObjectStore(inner)
    requests: list[tuple[str, Any]] = [("shard", RangeByteRequest(i * 10, i * 10 + 7)) for i in range(20)]
    requests += [("shard", RangeByteRequest(195, 300)), ("shard", RangeByteRequest(250, 300))]
    requests += [("missing", RangeByteRequest(0, 2)), ("missing", RangeByteRequest(3, 4)), ("shard", None)]
    got = asyncio.run(store.get_partial_values(PROTO, requests))
    single = [asyncio.run(store.get(k, PROTO, r)) for k, r in requests]
    assert [g.to_bytes() if g is not None else None for g in got] == [
        s.to_bytes() if s is not None else None for s in single
    ]
    assert got[0].to_bytes() == data[0:7] and got[-3] is None  # type: ignore[union-attr]
