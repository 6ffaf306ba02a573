"""LoggingStore's listings take ``prefix=`` by name, as zarr-python's do (zarr-python is the oracle)."""

from __future__ import annotations

import asyncio

import zarr

from zarrnb.core.buffer import Buffer
from zarrnb.storage import LoggingStore, MemoryStore


async def _listings(store, buffer_cls) -> tuple[list[str], list[str], dict[str, int]]:
    await store.set("c/0", buffer_cls.from_bytes(b"x"))
    await store.set("d", buffer_cls.from_bytes(b"y"))
    by_prefix = sorted([k async for k in store.list_prefix(prefix="c/")])
    by_dir = sorted([k async for k in store.list_dir(prefix="")])
    return by_prefix, by_dir, dict(store.counter)


def test_listings_take_prefix_by_name_and_are_counted() -> None:
    ours = asyncio.run(_listings(LoggingStore(MemoryStore()), Buffer))
    theirs = asyncio.run(
        _listings(zarr.storage.LoggingStore(zarr.storage.MemoryStore()), zarr.core.buffer.cpu.Buffer)
    )
    assert ours == theirs
    assert ours == (["c/0"], ["c", "d"], {"set": 2, "list_prefix": 1, "list_dir": 1})
