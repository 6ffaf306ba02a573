"""The Binder configuration installs what pyproject.toml declares, on the Python it supports."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _binder_lines() -> list[str]:
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _normalized(specs: list[str]) -> set[str]:
    return {str(Requirement(spec)) for spec in specs}


def test_binder_pins_the_same_dependency_set_as_pyproject() -> None:
    project = _pyproject()["project"]
    declared = _normalized(project["dependencies"] + project["optional-dependencies"]["demo"])
    pinned = _normalized([line for line in _binder_lines() if not line.startswith("-e")])
    assert pinned == declared, f"only in binder: {pinned - declared}; only in pyproject: {declared - pinned}"


def test_binder_installs_this_package_with_the_demo_extra() -> None:
    editable = [line for line in _binder_lines() if line.startswith("-e")]
    assert editable == ["-e .[demo]"]
    assert "demo" in _pyproject()["project"]["optional-dependencies"]


def test_runtime_is_a_python_pyproject_supports() -> None:
    runtime = (BINDER / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+)\.(\d+)", runtime)
    assert match, f"binder/runtime.txt must read python-X.Y, not {runtime!r}"
    minimum = re.fullmatch(r">=(\d+)\.(\d+)", _pyproject()["project"]["requires-python"])
    assert minimum and tuple(map(int, match.groups())) >= tuple(map(int, minimum.groups()))


def test_no_environment_file_overrides_the_requirements() -> None:
    # repo2docker prefers environment.yml and would silently ignore requirements.txt beside it
    assert not (BINDER / "environment.yml").exists()
    assert not (ROOT / "environment.yml").exists()


def test_post_build_prepares_the_sample_data() -> None:
    post_build = BINDER / "postBuild"
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable"
    assert "python -m zarrnb.demo build-sample sample-data" in post_build.read_text()
