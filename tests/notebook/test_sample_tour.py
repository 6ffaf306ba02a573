"""Every node of the demo sample (v3 and v2, sharded, strings, bools, NaN) browses and previews cleanly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from zarrnb.demo.sample import build_sample
from zarrnb.notebook import browse


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("sample") / "data")


def _paths(browser: Any, path: str = "") -> list[tuple[str, bool]]:
    found = []
    for name, is_array in browser.listing(path):
        child = f"{path}/{name}" if path else name
        found.append((child, is_array))
        if not is_array:
            found += _paths(browser, child)
    return found


@pytest.mark.parametrize("store", ["climate.zarr", "legacy-v2.zarr"])
def test_every_node_and_view_of_the_sample_shows_without_errors(sample: Path, store: str) -> None:
    browser = browse(str(sample / store))
    nodes = _paths(browser)
    assert any(is_array for _, is_array in nodes)
    for path, is_array in nodes:
        browser.select(path)
        assert "zarrnb-error" not in browser.snapshot_html(), path
        if not is_array:
            continue
        preview = browser.preview
        for view in preview.view.options:
            preview.view.value = view
            assert "zarrnb-error" not in preview.note.value, (path, view, preview.note.value)
        assert preview.data is not None
