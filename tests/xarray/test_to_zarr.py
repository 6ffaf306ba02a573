"""``ds.to_zarr`` through the ``import zarr`` switch writes what zarr-python writes, file for file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCENARIOS = Path(__file__).with_name("write_scenarios.py")

pytestmark = pytest.mark.timeout(300)


def _write(out: Path, *switch: str) -> dict[str, str]:
    out.mkdir()
    done = subprocess.run(
        [sys.executable, *switch, str(SCENARIOS), str(out)], capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr
    return dict(line.split(" ", 1) for line in done.stdout.splitlines())


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, dict, dict]:
    root = tmp_path_factory.mktemp("to_zarr")
    reference = _write(root / "zarr-python")
    switched = _write(root / "zarrnb", "-m", "zarrnb.compat")
    return reference, switched, _files(root / "zarr-python"), _files(root / "zarrnb")


def test_every_mode_succeeds_or_fails_alike(written: tuple[dict, dict, dict, dict]) -> None:
    reference, switched, _, _ = written
    assert switched == reference
    assert reference["exclusive-v3.zarr-again"] == "FileExistsError"
    assert {name for name, result in reference.items() if result != "ok"} == {
        "exclusive-v2.zarr-again",
        "exclusive-v3.zarr-again",
    }


def test_same_files_same_metadata_same_chunk_bytes(written: tuple[dict, dict, dict, dict]) -> None:
    _, _, reference, switched = written
    assert sorted(switched) == sorted(reference)
    metadata = {
        name
        for name in reference
        if name.rsplit("/", 1)[-1] in ("zarr.json", ".zarray", ".zattrs", ".zgroup", ".zmetadata")
    }
    for name in metadata:
        # equal documents; consolidated ones may differ in key order and indentation only
        assert json.loads(switched[name]) == json.loads(reference[name]), name
    chunks = sorted(set(reference) - metadata)
    assert len(chunks) > 50
    different = [name for name in chunks if switched[name] != reference[name]]
    assert different == []
