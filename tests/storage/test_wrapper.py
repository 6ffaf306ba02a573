"""WrapperStore: forwards the whole contract, and a subclass can intercept one method."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from zarrnb.abc.store import ByteRequest
from zarrnb.core.buffer import Buffer, BufferPrototype, default_buffer_prototype
from zarrnb.storage import LocalStore, MemoryStore, WrapperStore
from zarrnb.testing.store import StoreTests


class TestWrapperStore(StoreTests[WrapperStore[MemoryStore]]):
    store_cls = WrapperStore

    @pytest.fixture
    def store_kwargs(self) -> dict[str, Any]:
        return {"store_dict": {}}

    def reopen(self, store_kwargs: dict[str, Any], **changes: Any) -> WrapperStore[MemoryStore]:
        return WrapperStore(MemoryStore(**{**store_kwargs, **changes}))

    async def open_store(self, store_kwargs: dict[str, Any], **changes: Any) -> WrapperStore[MemoryStore]:
        return await WrapperStore.open(MemoryStore, **{**store_kwargs, **changes})


def test_str_and_repr() -> None:
    inner = MemoryStore()
    wrapper = WrapperStore(inner)
    assert str(wrapper) == f"wrapping-{inner}"
    assert repr(wrapper) == f"WrapperStore(MemoryStore, '{inner}')"


def test_subclass_intercepts_one_method(tmp_path: Any) -> None:
    class CountingGets(WrapperStore[LocalStore]):
        gets = 0

        async def get(
            self, key: str, prototype: BufferPrototype, byte_range: ByteRequest | None = None
        ) -> Buffer | None:
            CountingGets.gets += 1
            return await super().get(key, prototype, byte_range)

    store = CountingGets(LocalStore(tmp_path))

    async def use() -> None:
        await store.set("a", Buffer.from_bytes(b"1"))
        assert (await store.get("a", default_buffer_prototype())).to_bytes() == b"1"  # type: ignore[union-attr]
        assert await store.exists("a")

    asyncio.run(use())
    assert CountingGets.gets == 1
    assert (tmp_path / "a").read_bytes() == b"1"
    assert isinstance(store.with_read_only(True), CountingGets)


def test_open_state_lives_in_the_wrapped_store() -> None:
    inner = MemoryStore()
    wrapper = asyncio.run(WrapperStore.open(MemoryStore))
    assert wrapper._is_open and wrapper._store._is_open
    wrapper.close()
    assert not wrapper._store._is_open
    assert not WrapperStore(inner)._is_open
