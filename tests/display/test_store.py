"""The store repr (zarrnb/display/store.py)."""

from __future__ import annotations

from pathlib import Path

from zarrnb.display import render_store_html
from zarrnb.storage import LocalStore, MemoryStore

from .html_checks import check_repr_html


def rows_of(text: str) -> dict[str, str]:
    root = check_repr_html(text)
    return {tr[0].text: tr[1].text for tr in root.iter("tr")}


def test_memory_store_type_url_and_read_only() -> None:
    store = MemoryStore(read_only=True)
    text = render_store_html(store)
    assert rows_of(text) == {"Type": "MemoryStore", "URL": str(store), "Read-only": "True"}
    assert check_repr_html(text)[0][1].text == repr(store)


def test_local_store_path_with_markup_is_escaped(tmp_path: Path) -> None:
    root = tmp_path / "<script>&'\""
    root.mkdir()
    store = LocalStore(root)
    text = render_store_html(store)
    assert "<script>" not in text
    assert rows_of(text) == {"Type": "LocalStore", "URL": str(store), "Read-only": "False"}
    assert str(root) in str(store)
