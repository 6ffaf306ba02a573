"""Writers SIGKILLed at random points (tests/storage/kill_writer.py) leave every chunk whole and old or new,
metadata that parses, and every complete zip entry in place."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("kill_writer.py")
KILLS = 25

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the kill harness forks writers")


@pytest.mark.parametrize(("kind", "target"), [("local", "array"), ("zip", "data.zip")])
def test_killed_writer_leaves_old_or_new(tmp_path: Path, kind: str, target: str) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), kind, str(tmp_path / target), str(KILLS), "12"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["kills"] >= 20
    if kind == "zip":
        assert summary["entries"] > 1  # appends got through between kills
    else:
        assert summary["state"]["generation"] > 0
