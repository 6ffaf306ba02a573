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


def test_batched_calls_go_through_a_subclass_get_and_set() -> None:
    """``get_partial_values`` and ``_set_many`` skip the per-key calls only on a plain MemoryStore;
    a subclass that overrides ``get`` or ``set`` sees every key."""
    seen: list[str] = []

    class Counting(MemoryStore):
        async def get(self, key, prototype=None, byte_range=None):  # type: ignore[no-untyped-def]
            seen.append(f"get {key}")
            return await super().get(key, prototype, byte_range)

        async def set(self, key, value, byte_range=None):  # type: ignore[no-untyped-def]
            seen.append(f"set {key}")
            await super().set(key, value, byte_range)

    async def run(store: MemoryStore) -> list[Buffer | None]:
        await store._set_many([("a", Buffer.from_bytes(b"12")), ("b", Buffer.from_bytes(b"345"))])
        return await store.get_partial_values(default_buffer_prototype(), [("a", None), ("c", None)])

    found = asyncio.run(run(Counting()))
    assert seen == ["set a", "set b", "get a", "get c"]
    assert found[0] is not None and found[0].to_bytes() == b"12" and found[1] is None
    plain = asyncio.run(run(MemoryStore()))
    assert plain[0] is not None and plain[0].to_bytes() == b"12" and plain[1] is None


def test_set_many_checks_like_set() -> None:
    """A read-only store refuses the batch naming the first key; a non-Buffer value is refused
    after the values before it were stored, as one ``set`` after another would."""
    with pytest.raises(ReadOnlyError, match="'x'"):
        asyncio.run(MemoryStore(read_only=True)._set_many([("x", Buffer.from_bytes(b"1"))]))
    store = MemoryStore()
    with pytest.raises(TypeError, match="must be a Buffer"):
        asyncio.run(store._set_many([("x", Buffer.from_bytes(b"1")), ("y", b"2")]))  # type: ignore[list-item]
    assert list(store._store_dict) == ["x"]


def test_partial_values_of_plain_bytes_and_ranges() -> None:
    """Values stored as plain bytes are wrapped, and byte ranges sliced, in one batched call."""
    from zarrnb.abc.store import RangeByteRequest

    store = MemoryStore({"k": b"abcdef"})  # type: ignore[dict-item]
    got = asyncio.run(
        store.get_partial_values(default_buffer_prototype(), [("k", None), ("k", RangeByteRequest(1, 3))])
    )
    assert [g.to_bytes() for g in got if g is not None] == [b"abcdef", b"bc"]
