"""The browser on a wide consolidated level: its first page parses only the members it shows."""

from __future__ import annotations

from typing import Any

import zarrnb.metadata.consolidated as consolidated_module
from zarrnb.notebook.browser import HierarchyBrowser
from zarrnb.notebook.browser_tree import PAGE_SIZE


def test_first_page_of_a_consolidated_level_parses_that_page_only(zr: Any, monkeypatch: Any) -> None:
    store = zr.storage.MemoryStore()
    root = zr.open_group(store, mode="w")
    wide = root.create_group("wide")
    for i in range(PAGE_SIZE + 50):
        wide.create_array(f"a{i:03d}", shape=(3,), dtype="i2")
    root.create_group("other").create_array("x", shape=(1,), dtype="u1")
    zr.consolidate_metadata(store)
    parsed: list[str] = []
    real = consolidated_module.parse_node_metadata

    def counting(documents: Any, *, path: str = "") -> Any:
        parsed.append(path)
        return real(documents, path=path)

    monkeypatch.setattr(consolidated_module, "parse_node_metadata", counting)
    browser = HierarchyBrowser(zr.open_group(store, mode="r", use_consolidated=True))
    browser.select("wide")
    shown = [row.path for row in browser.rows if row.kind == "array"]
    assert shown[:2] == ["wide/a000", "wide/a001"] and len(shown) == PAGE_SIZE
    assert set(parsed) == {"wide", "other", *shown}  # the root's level, then one page of "wide"
    assert "(200 of 250 shown)" in browser.labels()[-1]
    browser.close()
