"""Fixtures of the notebook-layer tests: small hierarchies opened with the sync API."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import numpy as np
import pytest

import zarrnb as api


@pytest.fixture
def zr() -> Any:
    """The module whose ``open_group``/``create_array``/``storage`` the tests use."""
    return api


class CountingStore(api.storage.WrapperStore):
    """Counts the keys read through it, so tests can check which chunks a widget touched."""

    def __init__(self, store: Any) -> None:
        super().__init__(store)
        self.reads: list[str] = []

    async def get(self, key: str, prototype: Any, byte_range: Any = None) -> Any:
        self.reads.append(key)
        return await super().get(key, prototype, byte_range)


@pytest.fixture
def counting_store() -> CountingStore:
    return CountingStore(api.storage.MemoryStore())


@pytest.fixture
def hierarchy() -> Any:
    """root (attrs) -> temp (y, x float32 with NaN), sub/ -> deep (int16), sub/inner/, zz/."""
    root = api.open_group(api.storage.MemoryStore(), mode="w", attributes={"title": "demo"})
    temp = root.create_array("temp", shape=(20, 30), chunks=(10, 10), dtype="f4", dimension_names=["y", "x"])
    values = np.arange(600, dtype="f4").reshape(20, 30)
    values[0, 0] = np.nan
    temp[:] = values
    sub = root.create_group("sub", attributes={"units": "m"})
    sub.create_array("deep", shape=(5,), dtype="i2")[:] = np.arange(5)
    sub.create_group("inner")
    root.create_group("zz")
    return root


class _TableCells(HTMLParser):
    """Collects the text of every table row's cells (th and td alike)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture
def table_cells() -> Callable[[str], list[list[str]]]:
    """Parse HTML tables into rows of cell texts (entities decoded)."""

    def parse(html: str) -> list[list[str]]:
        parser = _TableCells()
        parser.feed(html)
        return parser.rows

    return parse
