"""The HierarchyBrowser's state without a browser: lazy listing, select, filter, errors, snapshot."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import pytest

from zarrnb.notebook.browser import HierarchyBrowser, browse
from zarrnb.notebook.preview import ArrayPreview


def _labels(browser: HierarchyBrowser) -> list[str]:
    return [row.children[-1].description for row in browser.tree.children if hasattr(row, "children")]


def _row_button(browser: HierarchyBrowser, path: str) -> Any:
    return browser._rows[path][2]


def test_tree_lists_the_root_level_sorted_and_nothing_deeper(hierarchy: Any) -> None:
    browser = browse(hierarchy)
    assert _labels(browser) == ["/", "sub/", "temp  (20, 30) float32", "zz/"]
    assert set(browser.listings) == {""}
    assert browser.selected == ""


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
    assert _labels(browser) == ["/", "a/", "b/"]
    assert listed == ["", "a"]
    assert browser._rows["a"][1].description == "▾"
    browser.toggle("a")
    assert _labels(browser) == ["/", "a/"] and browser._rows["a"][1].description == "▸"
    assert listed == ["", "a"]  # listings are kept, not repeated


def test_clicking_a_group_selects_and_opens_it(hierarchy: Any) -> None:
    browser = browse(hierarchy)
    _row_button(browser, "sub").click()
    assert browser.selected == "sub" and "sub" in browser.expanded
    assert _labels(browser) == ["/", "sub/", "deep  (5,) int16", "inner/", "temp  (20, 30) float32", "zz/"]
    assert _row_button(browser, "sub").button_style == "info"
    assert _row_button(browser, "").button_style == ""
    html = browser.snapshot_html()
    assert '<table class="zarrnb-info"' in html and "Group" in html
    assert "units" in html and "&quot;m&quot;" in html


def test_clicking_an_array_shows_its_preview(hierarchy: Any) -> None:
    browser = browse(hierarchy)
    _row_button(browser, "temp").click()
    assert browser.selected == "temp"
    assert isinstance(browser.preview, ArrayPreview)
    assert browser.preview in browser.detail.children
    first = browser.preview
    first.sliders[0].value = 0  # hidden: both dims are shown
    browser.select("sub/deep")
    assert browser.preview is not first and browser.preview.data.tolist() == [0, 1, 2, 3, 4]


def test_select_opens_the_ancestors(hierarchy: Any) -> None:
    browser = browse(hierarchy)
    browser.select("/sub/inner/")
    assert browser.selected == "sub/inner"
    assert "sub" in browser.expanded and "inner/" in _labels(browser)


def test_filter_narrows_opened_levels_keeping_ancestors(hierarchy: Any) -> None:
    browser = browse(hierarchy)
    browser.toggle("sub")
    browser.filter.value = "DEE"
    assert _labels(browser) == ["/", "sub/", "deep  (5,) int16"]
    browser.filter.value = "nothing"
    assert _labels(browser) == ["/"]
    browser.filter.value = ""
    assert len(_labels(browser)) == 6


def test_wide_levels_are_capped_with_a_note(zr: Any) -> None:
    root = zr.open_group(zr.storage.MemoryStore(), mode="w")
    for i in range(30):
        root.create_group(f"g{i:02d}")
    browser = HierarchyBrowser(root, max_rows_per_level=10)
    assert _labels(browser)[1:] == [f"g{i:02d}/" for i in range(10)]
    assert "and up to 20 more" in browser.tree.children[-1].value
    browser.filter.value = "g29"
    assert _labels(browser) == ["/", "g29/"]


def test_missing_and_corrupt_members_show_inside_the_widget(zr: Any) -> None:
    store = zr.storage.MemoryStore()
    root = zr.open_group(store, mode="w")
    root.create_group("good")
    root.create_group("bad")
    buffer = zr.core.buffer.default_buffer_prototype().buffer
    asyncio.run(store.set("bad/zarr.json", buffer.from_bytes(b"{not json")))
    browser = browse(root)
    assert _labels(browser) == ["/", "good/"]
    errors = [row.value for row in browser.tree.children if not hasattr(row, "children")]
    assert len(errors) == 1 and "could not open bad" in errors[0]
    browser.select("does/not/exist")
    detail = browser.snapshot_html()
    assert "could not open does/not/exist" in detail
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
