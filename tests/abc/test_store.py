"""The Store ABC: a custom store written the zarr-python way passes StoreTests with the defaults."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from zarrnb.abc.store import (
    ByteRequest,
    OffsetByteRequest,
    RangeByteRequest,
    Store,
    SuffixByteRequest,
)
from zarrnb.core.buffer import Buffer, BufferPrototype, default_buffer_prototype
from zarrnb.testing.store import StoreTests


class DictStore(Store):
    """The smallest store a user would port from zarr-python: a dict and the abstract methods."""

    def __init__(self, data: dict[str, bytes] | None = None, *, read_only: bool = False) -> None:
        super().__init__(read_only=read_only)
        self.data = {} if data is None else data

    def with_read_only(self, read_only: bool = False) -> DictStore:
        return DictStore(self.data, read_only=read_only)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DictStore) and other.data is self.data and other.read_only == self.read_only

    def __repr__(self) -> str:
        return f"DictStore({id(self.data)})"

    def __getstate__(self) -> dict[str, Any]:
        raise TypeError("DictStore does not pickle: its identity is its dict")

    async def get(
        self, key: str, prototype: BufferPrototype, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        if key not in self.data:
            return None
        value = self.data[key]
        match byte_range:
            case RangeByteRequest(start, end):
                value = value[start:end]
            case OffsetByteRequest(offset):
                value = value[offset:]
            case SuffixByteRequest(suffix):
                value = value[max(len(value) - suffix, 0) :]
            case None:
                pass
            case _:
                raise TypeError(f"Unexpected byte_range, got {byte_range!r}")
        return prototype.buffer.from_bytes(value)

    async def exists(self, key: str) -> bool:
        return key in self.data

    async def set(self, key: str, value: Buffer) -> None:
        self._check_writable(key)
        self._check_value(value)
        self.data[key] = value.to_bytes()

    async def delete(self, key: str) -> None:
        self._check_writable(key)
        self.data.pop(key, None)

    async def list(self) -> AsyncIterator[str]:
        for key in list(self.data):
            yield key


class TestDictStore(StoreTests[DictStore]):
    store_cls = DictStore
    pickles = False

    @pytest.fixture
    def store_kwargs(self) -> dict[str, Any]:
        return {"data": {}}

    async def set(self, store: DictStore, key: str, value: Buffer) -> None:
        store.data[key] = value.to_bytes()

    async def get(self, store: DictStore, key: str) -> Buffer | None:
        return Buffer.from_bytes(store.data[key]) if key in store.data else None


def test_abstract_methods_are_the_zarr_python_ones() -> None:
    assert Store.__abstractmethods__ == {"__eq__", "get", "exists", "set", "delete", "list"}


def test_default_get_partial_values_runs_concurrently() -> None:
    """The ABC's default gathers: slow gets overlap instead of queueing."""

    class SlowStore(DictStore):
        in_flight = 0
        most = 0

        async def get(
            self, key: str, prototype: BufferPrototype, byte_range: ByteRequest | None = None
        ) -> Any:
            SlowStore.in_flight += 1
            SlowStore.most = max(SlowStore.most, SlowStore.in_flight)
            await asyncio.sleep(0.01)
            SlowStore.in_flight -= 1
            return await super().get(key, prototype, byte_range)

    store = SlowStore({f"k{i}": b"abc" for i in range(8)})
    got = asyncio.run(
        store.get_partial_values(
            default_buffer_prototype(), [(f"k{i}", RangeByteRequest(1, 2)) for i in range(8)]
        )
    )
    assert [g.to_bytes() for g in got if g is not None] == [b"b"] * 8
    assert SlowStore.most == 8


def test_with_read_only_default_says_which_store() -> None:
    class Minimal(DictStore):
        with_read_only = Store.with_read_only

    with pytest.raises(NotImplementedError, match="Minimal"):
        Minimal().with_read_only(True)


def test_worker_io_is_opt_in() -> None:
    store = DictStore()
    assert not store.supports_worker_io
    with pytest.raises(NotImplementedError, match="DictStore"):
        store.read_in_worker("a")
    with pytest.raises(NotImplementedError, match="DictStore"):
        store.write_in_worker("a", b"x")


def test_read_ranges_in_worker_defaults_to_one_read_in_worker_per_range() -> None:
    class WorkerDict(DictStore):
        def read_in_worker(self, key: str, byte_range: ByteRequest | None = None) -> memoryview | None:
            value = self.data.get(key)
            if value is None:
                return None
            assert isinstance(byte_range, RangeByteRequest)
            return memoryview(value[byte_range.start : byte_range.end])

    store = WorkerDict({"a": bytes(range(10))})
    ranges = [RangeByteRequest(0, 2), RangeByteRequest(5, 8)]
    assert [bytes(v) for v in store.read_ranges_in_worker("a", ranges)] == [b"\x00\x01", b"\x05\x06\x07"]
    assert list(store.read_ranges_in_worker("b", ranges)) == [None, None]
    with pytest.raises(NotImplementedError, match="DictStore"):
        list(DictStore().read_ranges_in_worker("a", ranges))
