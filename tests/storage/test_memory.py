"""MemoryStore: the StoreTests contract plus what is special about a dict-backed store."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest

from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.errors import ReadOnlyError
from zarrnb.storage import MemoryStore
from zarrnb.testing.store import StoreTests


class TestMemoryStore(StoreTests[MemoryStore]):
    store_cls = MemoryStore

    @pytest.fixture
    def store_dict(self) -> dict[str, Buffer]:
        return {}

    @pytest.fixture
    def store_kwargs(self, store_dict: dict[str, Buffer]) -> dict[str, Any]:
        return {"store_dict": store_dict}

    async def set(self, store: MemoryStore, key: str, value: Buffer) -> None:
        store._store_dict[key] = value

    async def get(self, store: MemoryStore, key: str) -> Buffer | None:
        return store._store_dict.get(key)


def test_str_and_repr_name_the_dict() -> None:
    backing: dict[str, Buffer] = {}
    store = MemoryStore(backing)
    assert str(store) == f"memory://{id(backing)}"
    assert repr(store) == f"MemoryStore('memory://{id(backing)}')"


def test_get_and_set_do_not_copy() -> None:
    data = np.arange(16, dtype=np.uint8)
    store = MemoryStore()

    async def roundtrip() -> Buffer | None:
        await store.set("k", Buffer(data))
        return await store.get("k", default_buffer_prototype())

    got = asyncio.run(roundtrip())
    assert got is not None
    assert np.shares_memory(got.as_numpy_array(), data)


def test_byte_range_is_a_view() -> None:
    from zarrnb.abc.store import RangeByteRequest

    data = np.arange(16, dtype=np.uint8)
    store = MemoryStore({"k": Buffer(data)})
    got = asyncio.run(store.get("k", default_buffer_prototype(), RangeByteRequest(4, 8)))
    assert got is not None and np.shares_memory(got.as_numpy_array(), data)
    assert got.to_bytes() == data[4:8].tobytes()


def test_read_only_view_shares_data_but_refuses_writes() -> None:
    backing = {"a": Buffer.from_bytes(b"1")}
    reader = MemoryStore(backing, read_only=True)
    with pytest.raises(ReadOnlyError, match="'a'"):
        asyncio.run(reader.set("a", Buffer.from_bytes(b"2")))
    assert backing["a"].to_bytes() == b"1"


def test_plain_bytes_in_a_user_dict_are_readable() -> None:
    store = MemoryStore({"zarr.json": b"{}"})  # type: ignore[dict-item]
    got = asyncio.run(store.get("zarr.json", default_buffer_prototype()))
    assert got is not None and got.to_bytes() == b"{}"


def test_list_dir_reads_the_dict_without_list_prefix() -> None:
    # as zarr-python's MemoryStore: a subclass counting list_prefix calls sees none from list_dir
    class Counting(MemoryStore):
        calls = 0

        async def list_prefix(self, prefix: str):  # type: ignore[no-untyped-def]
            Counting.calls += 1
            async for key in super().list_prefix(prefix):
                yield key

    one = Buffer.from_bytes(b"1")
    store = Counting({"a/b/c": one, "a/d": one, "ab/x": one, "e": one})

    async def names(prefix: str) -> list[str]:
        return [name async for name in store.list_dir(prefix)]

    assert asyncio.run(names("")) == ["a", "ab", "e"]
    assert asyncio.run(names("a")) == asyncio.run(names("a/")) == ["b", "d"]
    assert asyncio.run(names("a/d")) == asyncio.run(names("zz")) == []
    assert Counting.calls == 0
