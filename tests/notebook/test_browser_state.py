"""The HierarchyBrowser's state without a browser: paged levels, select, filter, errors, snapshot."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import pytest

from zarrnb.notebook.browser import HierarchyBrowser, browse
from zarrnb.notebook.browser_tree import TreeModel
from zarrnb.notebook.preview import ArrayPreview


def _labels(browser: HierarchyBrowser) -> list[str]:
    """Row texts without their indentation."""
    return [label.lstrip("\u00a0") for label in browser.labels()]


def _pick(browser: HierarchyBrowser, path: str, kind: str | None = None) -> None:
    """Pick a row as a click (or the arrow keys) in the list box does."""
    key = next(row.key for row in browser.rows if row.path == path and (kind is None or row.kind == kind))
    browser.tree.value = key


def test_tree_lists_the_root_level_sorted_and_nothing_deeper(hierarchy: Any) -> None:
    browser = browse(hierarchy)
    assert _labels(browser) == ["▾ /", "▸ sub/", "temp  (20, 30) float32", "▸ zz/"]
    assert set(browser.listings) == {""}
    assert browser.selected == "" and browser.tree.value == "group:"
    assert browser.tree.rows == 10  # a small tree gets a small box


def test_opening_a_group_lists_that_level_only(zr: Any, counting_store: Any) -> None:
    root = zr.open_group(counting_store, mode="w")
    root.create_group("a").create_group("b").create_group("c")
    listed: list[str] = []
    original = counting_store.list_dir

    def spy(prefix: str) -> Any:
        listed.append(prefix.rstrip("/"))
        return original(prefix)

    counting_store.list_dir = spy
    browser = browse(root)
    assert listed == [""]
    browser.toggle("a")
    assert _labels(browser) == ["▾ /", "▾ a/", "▸ b/"]
    assert listed == ["", "a"]
    browser.toggle("a")
    assert _labels(browser) == ["▾ /", "▸ a/"]
    assert listed == ["", "a"]  # listings are kept, not repeated


def test_picking_a_group_selects_and_opens_it(hierarchy: Any) -> None:
    browser = browse(hierarchy)
    _pick(browser, "sub")
    assert browser.selected == "sub" and "sub" in browser.expanded
    expected = ["▾ /", "▾ sub/", "deep  (5,) int16", "▸ inner/", "temp  (20, 30) float32", "▸ zz/"]
    assert _labels(browser) == expected
    assert browser.tree.value == "group:sub"
    assert browser.toggle_button.description == "▾ close"
    browser.toggle_button.click()
    assert "sub" not in browser.expanded and browser.toggle_button.description == "▸ open"
    html = browser.snapshot_html()
    assert '<table class="zarrnb-info"' in html and "Group" in html
    assert "units" in html and "&quot;m&quot;" in html


def test_picking_an_array_shows_its_preview(hierarchy: Any) -> None:
    browser = browse(hierarchy)
    _pick(browser, "temp")
    assert browser.selected == "temp" and browser.toggle_button.disabled
    assert isinstance(browser.preview, ArrayPreview)
    assert browser.preview in browser.detail.children
    first = browser.preview
    browser.select("sub/deep")
    assert browser.preview is not first and browser.preview.data.tolist() == [0, 1, 2, 3, 4]


def test_select_opens_the_ancestors(hierarchy: Any) -> None:
    browser = browse(hierarchy)
    browser.select("/sub/inner/")
    assert browser.selected == "sub/inner"
    assert "sub" in browser.expanded and "▾ inner/" in _labels(browser)


def _wide(zr: Any, count: int, store: Any = None, **kwargs: Any) -> Any:
    root = zr.open_group(store or zr.storage.MemoryStore(), mode="w")
    for i in range(count):
        root.create_array(f"a{i:04d}", shape=(2,), dtype="i1")
    return root


def test_a_wide_level_shows_in_pages(zr: Any, counting_store: Any) -> None:
    root = _wide(zr, 25, counting_store)
    counting_store.reads.clear()
    browser = HierarchyBrowser(root, page_size=10)
    assert _labels(browser)[1:11] == [f"a{i:04d}  (2,) int8" for i in range(10)]
    assert _labels(browser)[-1] == "… show 10 more (10 of 25 shown)"
    assert sorted(counting_store.reads) == [f"a{i:04d}/zarr.json" for i in range(10)]  # one page read
    _pick(browser, "", "more")  # picking the 'show more' row loads the next page and moves onto it
    assert len(_labels(browser)) == 1 + 20 + 1 and _labels(browser)[-1].endswith("(20 of 25 shown)")
    assert browser.selected == "a0010" and browser.tree.value == "array:a0010"
    assert browser.tree.rows == 22  # the box grows with the rows, up to 26, then scrolls
    browser.show_more("")
    assert len(_labels(browser)) == 26 and "more" not in _labels(browser)[-1]


def test_selecting_a_member_beyond_the_page_pages_to_it(zr: Any) -> None:
    browser = HierarchyBrowser(_wide(zr, 25), page_size=10)
    browser.select("a0023")
    assert browser.tree.value == "array:a0023" and len(_labels(browser)) == 1 + 25


def test_filter_searches_every_listed_level(hierarchy: Any) -> None:
    browser = browse(hierarchy)
    browser.toggle("sub")
    browser.toggle("sub")  # closed again, but listed: the filter still looks inside
    browser.filter.value = "DEE"
    assert _labels(browser) == ["▾ /", "▸ sub/", "deep  (5,) int16"]
    browser.filter.value = "nothing"
    assert _labels(browser) == ["▾ /"]
    assert "0 shown match" in browser.status.value
    browser.filter.value = ""
    assert _labels(browser) == ["▾ /", "▸ sub/", "temp  (20, 30) float32", "▸ zz/"]


def test_filter_finds_a_member_past_the_first_page_and_pages_its_matches(zr: Any) -> None:
    browser = HierarchyBrowser(_wide(zr, 60), page_size=10)
    browser.filter.value = "a0047"
    assert _labels(browser) == ["▾ /", "a0047  (2,) int8"]
    browser.filter.value = "a00"  # 100 names match: a page of them, then 'show more'
    assert _labels(browser)[-1] == "… show 10 more (10 of 60 matches shown)"
    browser.show_more("")
    assert len(_labels(browser)) == 1 + 20 + 1


def test_consolidated_metadata_lets_the_filter_search_the_whole_hierarchy(zr: Any, tmp_path: Any) -> None:
    root = zr.open_group(str(tmp_path / "c.zarr"), mode="w")
    root.create_group("x").create_group("y").create_array("needle", shape=(1,), dtype="u1")
    root.create_array("hay", shape=(1,), dtype="u1")
    zr.consolidate_metadata(str(tmp_path / "c.zarr"))
    plain = browse(zr.open_group(str(tmp_path / "c.zarr"), mode="r", use_consolidated=False))
    plain.filter.value = "needle"
    assert _labels(plain) == ["▾ /"]  # only the root level was listed
    browser = browse(zr.open_group(str(tmp_path / "c.zarr"), mode="r"))
    assert browser.model.consolidated and "whole hierarchy" in browser.status.value
    browser.filter.value = "needle"
    assert _labels(browser) == ["▾ /", "▸ x/", "▸ y/", "needle  (1,) uint8"]
    browser.tree.value = "array:x/y/needle"
    assert browser.selected == "x/y/needle" and browser.preview is not None


def test_missing_and_corrupt_members_show_inside_the_widget(zr: Any) -> None:
    store = zr.storage.MemoryStore()
    root = zr.open_group(store, mode="w")
    root.create_group("good")
    root.create_group("bad")
    buffer = zr.core.buffer.default_buffer_prototype().buffer
    asyncio.run(store.set("bad/zarr.json", buffer.from_bytes(b"{not json")))
    asyncio.run(store.set("stray/notes.txt", buffer.from_bytes(b"not a member")))
    browser = browse(root)
    labels = _labels(browser)
    assert labels[0] == "▾ /" and labels[2] == "▸ good/" and len(labels) == 3  # the stray folder is left out
    assert labels[1].startswith("⚠ bad: ") and "JSON" in labels[1]
    _pick(browser, "bad")
    assert "could not open bad" in browser.snapshot_html()
    browser.select("does/not/exist")
    assert "could not open does/not/exist" in browser.snapshot_html()
    browser.select("good")
    assert browser.selected == "good"


def test_names_and_attributes_are_escaped(zr: Any) -> None:
    root = zr.open_group(zr.storage.MemoryStore(), mode="w", attributes={"<script>": "\"'<b>"})
    root.create_group("<i>x")
    browser = browse(root)
    snapshot = browser._repr_mimebundle_()["text/html"]
    assert "<script>" not in snapshot and "<i>x" not in snapshot and "'<b>" not in snapshot
    assert "&lt;script&gt;" in snapshot and "&lt;i&gt;x/" in snapshot
    assert "&quot;\\&quot;&#x27;&lt;b&gt;&quot;" in snapshot  # the JSON text of the value, escaped


def test_snapshot_shows_tree_details_and_preview(hierarchy: Any) -> None:
    browser = browse(hierarchy)
    browser.select("temp")
    bundle = browser._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    snapshot = bundle["text/html"]
    assert "<b>temp  (20, 30) float32</b>" in snapshot
    assert '<table class="zarrnb-info"' in snapshot
    assert "data:image/png;base64," in snapshot
    assert snapshot.count("<li") == 4


def test_expression_reopens_the_selected_node(zr: Any, tmp_path: Any) -> None:
    root = zr.open_group(str(tmp_path / "data.zarr"), mode="w")
    root.create_group("a").create_array("b", shape=(3,), dtype="i1")[:] = np.array([1, 2, 3])
    browser = browse(root)
    browser.select("a/b")
    expression = browser.detail.children[1].value
    assert 'class="zarrnb-expression"' in expression
    code = expression.split(">", 1)[1].rsplit("<", 1)[0].replace("&#x27;", "'")
    assert code == f"zarr.open_group({str(tmp_path / 'data.zarr')!r}, mode='r')['a/b']"
    reopened = eval(code, {"zarr": zr})
    assert reopened[:].tolist() == [1, 2, 3]


@pytest.mark.parametrize("path", ["", "temp", "sub/deep", "missing"])
def test_snapshot_is_well_formed_markup(hierarchy: Any, path: str) -> None:
    browser = browse(hierarchy)
    browser.select(path)
    ET.fromstring(browser.snapshot_html())  # raises on unbalanced tags or stray entities


def test_plain_text_repr_is_short_and_true(hierarchy: Any) -> None:
    browser = browse(hierarchy)
    browser.select("sub")
    text = browser._repr_mimebundle_()["text/plain"]
    assert text == f"<HierarchyBrowser {hierarchy!r} selected='/sub'>"


def test_browsing_an_array_or_a_path(zr: Any, tmp_path: Any) -> None:
    array = zr.create_array(str(tmp_path / "a.zarr"), shape=(3,), dtype="i2")
    array[:] = [4, 5, 6]
    browser = browse(array)
    assert _labels(browser) == ["/  (3,) int16"]
    assert browser.preview is not None and browser.preview.data.tolist() == [4, 5, 6]
    from_path = browse(tmp_path / "a.zarr")
    assert from_path.preview is not None and from_path.preview.data.tolist() == [4, 5, 6]
    assert "zarr.open_array(" in from_path.snapshot_html()


def test_page_size_must_be_positive(hierarchy: Any) -> None:
    with pytest.raises(ValueError, match="page_size must be at least 1, got 0"):
        TreeModel(hierarchy, page_size=0)
