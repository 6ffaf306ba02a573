"""The README's short example runs as written (in a scratch directory, since it writes ``data/``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _example() -> str:
    section = README.read_text().split("## A short example", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "README's short example has no python block"
    return match.group(1)


def test_example_is_short() -> None:
    assert len(_example().strip().splitlines()) <= 12


def test_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(_example(), str(README), "exec"), namespace)
    root, temp = namespace["root"], namespace["temp"]
    assert repr(root) == "<Group file://data/example.zarr>"
    assert temp.shape == (365, 180, 360) and temp.metadata.dimension_names == ("time", "lat", "lon")
    assert abs(float(temp[0].mean()) - 280) < 1
    assert (tmp_path / "data" / "example.zarr" / "temperature" / "zarr.json").is_file()
