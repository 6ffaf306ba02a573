"""xarray's own zarr backend tests, on zarr-python and on zarrnb through the ``import zarr`` switch.

``python tests/xarray/xarray_suite.py [--work DIR] [-k EXPR]`` downloads the sdist of the installed
xarray version (it ships ``xarray/tests``), runs ``test_backends.py`` and ``test_backends_datatree.py``
selected by ``-k zarr`` once as they are and once under ``python -m zarrnb.compat``, and prints the
counts and every test that passes on zarr-python but not on zarrnb, grouped by the first line of its
error. Not part of ``make test`` (two runs take about 20 minutes on two cores).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from importlib.metadata import version
from pathlib import Path

FILES = ("xarray/tests/test_backends.py", "xarray/tests/test_backends_datatree.py")


def fetch(work: Path) -> Path:
    """The unpacked xarray sdist matching the installed xarray (downloaded once)."""
    release = version("xarray")
    root = work / f"xarray-{release}"
    if (root / FILES[0]).exists():
        return root
    work.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
         f"xarray=={release}", "-d", str(work)],
        check=True,
    )  # fmt: skip
    with tarfile.open(work / f"xarray-{release}.tar.gz") as archive:
        archive.extractall(work, filter="data")
    return root


def run(root: Path, junit: Path, selection: str, switch: bool) -> None:
    """One pytest run of the zarr tests; xarray's addopts need plugins we do not install, so they go."""
    prefix = ["-m", "zarrnb.compat"] if switch else []
    # zarr-python's pytest11 plugin (zarr.testing) would be imported by pytest's assertion-rewriting
    # hook, ahead of the switch's finder, and bring zarr-python itself in: both runs go without it
    command = [sys.executable, *prefix, "-m", "pytest", *FILES, "-k", selection, "-o", "addopts=",
               "-p", "no:zarr", "-p", "no:cacheprovider", "-q", "--timeout", "120",
               f"--junitxml={junit}"]  # fmt: skip
    subprocess.run(command, cwd=root, check=False, stdout=subprocess.DEVNULL)


def outcomes(junit: Path) -> dict[str, tuple[str, str]]:
    """test id -> (outcome, first line of the message) from a junit file."""
    results = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        outcome, message = "passed", ""
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = {"failure": "failed"}.get(child.tag, child.tag)
                message = (child.get("message") or "").splitlines()[0][:160] if child.get("message") else ""
        results[name] = (outcome, message)
    return results


def _probe(root: Path) -> str:
    """What ``import zarr`` gives inside a pytest run under the switch (zarrnb's version string)."""
    probe = root / "xarray" / "tests" / "test_zz_zarrnb_probe.py"
    probe.write_text("def test_probe():\n    import zarr\n    print('ZARR', zarr.__version__)\n")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "zarrnb.compat", "-m", "pytest", str(probe.relative_to(root)), "-o",
             "addopts=", "-p", "no:zarr", "-p", "no:cacheprovider", "-q", "-s"],
            cwd=root, capture_output=True, text=True, check=False,
        )  # fmt: skip
    finally:
        probe.unlink()
    return next((line.split()[1] for line in done.stdout.splitlines() if line.startswith("ZARR ")), "?")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/zarrnb-xarray-suite"))
    parser.add_argument("-k", default="zarr", help="pytest -k selection (default: zarr)")
    args = parser.parse_args(argv)
    args.work = args.work.resolve()  # pytest runs in the sdist: a relative junit path would land there
    root = fetch(args.work)
    runs = {}
    for label, switch in (("zarrnb", True), ("zarr-python", False)):
        junit = args.work / f"{label}.xml"
        run(root, junit, args.k, switch)
        runs[label] = outcomes(junit)
    for label, results in runs.items():
        print(label, dict(Counter(outcome for outcome, _ in results.values())))
    reference, ours = runs["zarr-python"], runs["zarrnb"]
    print("zarr under the switch:", _probe(root))
    lost = [name for name, (outcome, _) in reference.items() if outcome == "passed"
            and ours.get(name, ("missing", ""))[0] != "passed"]  # fmt: skip
    passing = sum(1 for outcome, _ in reference.values() if outcome == "passed")
    print(f"zarrnb passes {passing - len(lost)} of the {passing} tests that pass on zarr-python")
    causes: dict[str, list[str]] = defaultdict(list)
    for name in lost:
        outcome, message = ours.get(name, ("missing", ""))
        causes[f"{outcome}: {message}"].append(name)
    for cause, names in sorted(causes.items(), key=lambda item: -len(item[1])):
        print(f"{len(names):5d}  {cause}")
        for name in names[:3]:
            print(f"         {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
