"""The committed notebooks are ready for nbval: executed, no saved widget state, and listed in the README.

nbval itself runs them in ``make test``; these checks catch a notebook committed in a state nbval would
compare badly (no outputs, stale widget state, an unexplained ``NBVAL_IGNORE_OUTPUT``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXPECTED = [
    "00-tour",
    "01-storage",
    "02-arrays",
    "03-groups",
    "04-browse-and-preview",
    "05-remote-data",
    "06-async",
    "07-xarray-and-dask",
]


def _load(path: Path) -> dict:
    return json.loads(path.read_text())


def _code_cells(path: Path) -> list[dict]:
    return [cell for cell in _load(path)["cells"] if cell["cell_type"] == "code"]


def test_the_seven_notebooks_exist() -> None:
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_executed_in_order_without_errors(path: Path) -> None:
    cells = _code_cells(path)
    counts = [cell["execution_count"] for cell in cells]
    assert counts == list(range(1, len(cells) + 1)), f"{path.name} was not executed top to bottom in one run"
    errors = [o for cell in cells for o in cell["outputs"] if o["output_type"] == "error"]
    assert not errors, f"{path.name} holds error outputs: {[e['ename'] for e in errors]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_saved_widget_state(path: Path) -> None:
    assert "widgets" not in _load(path)["metadata"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_zarrnb_widgets_carry_a_static_snapshot(path: Path) -> None:
    # nbval skips the widget view itself; the snapshot is what it compares and what GitHub shows
    for cell in _code_cells(path):
        for output in cell["outputs"]:
            data = output.get("data", {})
            if "".join(data.get("text/plain", "")).startswith(("<HierarchyBrowser", "<ArrayPreview")):
                assert "text/html" in data, f"a widget in {path.name} has no static HTML: {cell['source']}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_ignored_outputs_say_why(path: Path) -> None:
    for cell in _code_cells(path):
        source = "".join(cell["source"])
        if "NBVAL_IGNORE_OUTPUT" in source:
            first = source.splitlines()[0]
            assert first.startswith("# NBVAL_IGNORE_OUTPUT:") and len(first) > 40, f"{path.name}: {first!r}"


def test_readme_lists_every_notebook() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in EXPECTED:
        assert f"notebooks/{name}.ipynb" in readme
