"""Store requests per operation, counted by a wrapper store, zarrnb beside zarr-python.

On a remote store every request is a round trip, so these counts matter as much as CPU time. Each library
gets the same script on a fresh in-memory store wrapped in its own ``WrapperStore`` subclass that counts
reads (one per key or byte range), writes, deletes, listings and existence checks.
"""

from __future__ import annotations

import importlib
import warnings
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

KINDS = ("get", "set", "delete", "list", "exists")


def counting_store(module: Any) -> Any:
    """A fresh MemoryStore of ``module`` (zarrnb or zarr) inside a request-counting wrapper."""
    base = module.storage.WrapperStore

    class CountingStore(base):  # type: ignore[misc, valid-type]
        """Counts every request before forwarding it."""

        def __init__(self, store: Any) -> None:
            super().__init__(store)
            self.counts: Counter[str] = Counter()

        def _with_store(self, store: Any) -> Any:
            other = type(self)(store)  # e.g. the read-only view an open makes: counted together
            other.counts = self.counts
            return other

        async def get(self, key: str, prototype: Any = None, byte_range: Any = None) -> Any:
            self.counts["get"] += 1
            return await self._store.get(key, prototype, byte_range)

        async def get_partial_values(self, prototype: Any, key_ranges: Iterable[Any]) -> Any:
            key_ranges = list(key_ranges)
            self.counts["get"] += len(key_ranges)
            return await self._store.get_partial_values(prototype, key_ranges)

        async def exists(self, key: str) -> bool:
            self.counts["exists"] += 1
            return await self._store.exists(key)

        async def is_empty(self, prefix: str = "") -> bool:
            self.counts["list"] += 1
            return await self._store.is_empty(prefix)

        async def getsize(self, key: str) -> int:
            self.counts["exists"] += 1
            return await self._store.getsize(key)

        async def set(self, key: str, value: Any) -> None:
            self.counts["set"] += 1
            await self._store.set(key, value)

        async def set_if_not_exists(self, key: str, value: Any) -> None:
            self.counts["set"] += 1
            await self._store.set_if_not_exists(key, value)

        async def _set_many(self, values: Iterable[tuple[str, Any]]) -> None:
            for key, value in values:
                await self.set(key, value)

        async def delete(self, key: str) -> None:
            self.counts["delete"] += 1
            await self._store.delete(key)

        async def delete_dir(self, prefix: str) -> None:
            self.counts["delete"] += 1
            await self._store.delete_dir(prefix)

        async def _listed(self, listing: AsyncIterator[str]) -> AsyncIterator[str]:
            self.counts["list"] += 1
            async for key in listing:
                yield key

        def list(self) -> AsyncIterator[str]:
            return self._listed(self._store.list())

        def list_prefix(self, prefix: str) -> AsyncIterator[str]:
            return self._listed(self._store.list_prefix(prefix))

        def list_dir(self, prefix: str) -> AsyncIterator[str]:
            return self._listed(self._store.list_dir(prefix))

    return CountingStore(module.storage.MemoryStore())


def _script(zarr: Any, store: Any) -> list[tuple[str, Callable[[], Any]]]:
    """The operations, in order (each may use what the earlier ones made)."""
    made: dict[str, Any] = {}
    shape = {"shape": (100, 100), "chunks": (10, 10), "dtype": "float32", "fill_value": 0}

    def create_group() -> Any:
        made["root"] = zarr.create_group(store=store)

    def create_array() -> Any:
        made["a"] = zarr.create_array(store=store, name="a", **shape)

    def create_nested() -> Any:
        zarr.create_array(store=store, name="g/h/b", **shape)

    def write_window() -> Any:
        made["a"][0:25, 0:25] = 1

    def open_array() -> Any:
        made["opened"] = zarr.open_array(store=store, path="a", mode="r")

    def read_window() -> Any:
        return made["opened"][0:25, 0:25]

    def list_members() -> Any:
        return sorted(name for name, _ in zarr.open_group(store=store, mode="r").members())

    def consolidate() -> Any:
        zarr.consolidate_metadata(store)

    def open_consolidated() -> Any:
        return sorted(name for name, _ in zarr.open_consolidated(store=store, mode="r").members())

    return [
        ("create group", create_group),
        ("create array", create_array),
        ("create array g/h/b", create_nested),
        ("write a window (9 chunks)", write_window),
        ("open array", open_array),
        ("read a window (9 chunks)", read_window),
        ("open group + list members", list_members),
        ("consolidate", consolidate),
        ("open consolidated + list", open_consolidated),
    ]


def count_requests(module_name: str) -> dict[str, Counter[str]]:
    """Requests per operation of the script for one library."""
    zarr = importlib.import_module(module_name)
    store = counting_store(zarr)
    found = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zarr-python warns that v3 consolidated metadata is not in the spec
        for name, step in _script(zarr, store):
            store.counts.clear()
            step()
            found[name] = Counter(store.counts)
    return found


def _fmt(counts: Counter[str]) -> str:
    parts = ", ".join(f"{counts[k]} {k}" for k in KINDS if counts[k])
    return f"{sum(counts.values())} ({parts})" if parts else "0"


def requests_table(markdown: bool = False) -> str:
    """The counts of zarrnb and zarr-python side by side."""
    from benchmarks.run import render

    ours, theirs = count_requests("zarrnb"), count_requests("zarr")
    body = [[name, _fmt(ours[name]), _fmt(theirs[name])] for name in ours]
    total = [sum(sum(c.values()) for c in found.values()) for found in (ours, theirs)]
    body.append(["total", str(total[0]), str(total[1])])
    header = ["operation (memory store)", "zarrnb requests", "zarr-python requests"]
    return render(header, body, markdown)
