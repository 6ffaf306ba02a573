"""``StoreTests[StoreType, BufferType]`` in zarr-python's two-parameter form, and ``LatencyStore``."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from zarrnb.buffer import cpu
from zarrnb.core.buffer import default_buffer_prototype
from zarrnb.storage import MemoryStore
from zarrnb.testing.store import LatencyStore, StoreTests


class TestMemoryStoreTwoParameters(StoreTests[MemoryStore, cpu.Buffer]):
    store_cls = MemoryStore
    buffer_cls = cpu.Buffer

    @pytest.fixture
    def store_kwargs(self) -> dict[str, Any]:
        return {"store_dict": {}}

    @pytest.fixture
    def open_kwargs(self, store_kwargs: dict[str, Any]) -> dict[str, Any]:
        return {**store_kwargs, "read_only": False}


def test_generic_forms() -> None:
    assert StoreTests[MemoryStore].__args__ == (MemoryStore, cpu.Buffer)  # type: ignore[attr-defined]
    assert StoreTests[MemoryStore, cpu.Buffer].__args__ == (MemoryStore, cpu.Buffer)  # type: ignore[attr-defined]


def test_latency_store_waits_then_delegates(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    real_sleep = asyncio.sleep

    async def recording_sleep(delay: float) -> None:
        waits.append(delay)
        await real_sleep(0)

    monkeypatch.setattr("zarrnb.testing.store.asyncio.sleep", recording_sleep)

    async def main() -> bytes | None:
        inner = MemoryStore()
        store = LatencyStore(inner, get_latency=0.25, set_latency=0.5)
        await store.set("k", cpu.Buffer.from_bytes(b"abc"))
        got = await store.get("k", default_buffer_prototype())
        assert (await inner.get("k", default_buffer_prototype())) == b"abc"
        return None if got is None else got.to_bytes()

    assert asyncio.run(main()) == b"abc"
    assert waits == [0.5, 0.25]
