"""LoggingStore: the contract through a logging wrapper, plus what it logs and counts."""

from __future__ import annotations

import asyncio
import logging
import pickle
from typing import Any

import pytest

from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.storage import LocalStore, LoggingStore, MemoryStore
from zarrnb.testing.store import StoreTests


class TestLoggingStore(StoreTests[LoggingStore[LocalStore]]):
    store_cls = LoggingStore

    @pytest.fixture
    def store_kwargs(self, tmp_path: Any) -> dict[str, Any]:
        return {"root": tmp_path / "store"}

    def reopen(self, store_kwargs: dict[str, Any], **changes: Any) -> LoggingStore[LocalStore]:
        return LoggingStore(LocalStore(**{**store_kwargs, **changes}), log_handler=logging.NullHandler())

    async def open_store(self, store_kwargs: dict[str, Any], **changes: Any) -> LoggingStore[LocalStore]:
        store = self.reopen(store_kwargs, **changes)
        await store._open()
        return store


class ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_logs_and_counts_calls() -> None:
    handler = ListHandler()
    store = LoggingStore(MemoryStore(), log_handler=handler)

    async def use() -> None:
        await store.set("c/0", Buffer.from_bytes(b"x"))
        await store.get("c/0", default_buffer_prototype())
        await store.get("c/1", default_buffer_prototype())
        assert [k async for k in store.list_prefix("c/")] == ["c/0"]

    asyncio.run(use())
    assert store.counter == {"set": 1, "get": 2, "list_prefix": 1}
    assert handler.messages[0] == " Calling MemoryStore.set(c/0)"
    assert handler.messages[1].startswith("Finished MemoryStore.set(c/0) [")
    assert len(handler.messages) == 8


def test_log_level_filters() -> None:
    handler = ListHandler()
    store = LoggingStore(MemoryStore(), log_level="WARNING", log_handler=handler)
    store.logger.setLevel("ERROR")
    asyncio.run(store.exists("k"))
    assert handler.messages == [] and store.counter["exists"] == 1


def test_str_repr_and_pickle() -> None:
    inner = MemoryStore()
    store = LoggingStore(inner, log_handler=logging.NullHandler())
    assert str(store) == f"logging-{inner}"
    assert repr(store) == f"LoggingStore(MemoryStore, '{inner}')"
    other = pickle.loads(pickle.dumps(store))
    assert other == store and other.log_level == "DEBUG"


def test_with_read_only_keeps_logging() -> None:
    handler = ListHandler()
    reader = LoggingStore(MemoryStore(), log_handler=handler).with_read_only(True)
    assert isinstance(reader, LoggingStore) and reader.read_only
    asyncio.run(reader.exists("k"))
    assert handler.messages[0] == " Calling MemoryStore.exists(k)"
