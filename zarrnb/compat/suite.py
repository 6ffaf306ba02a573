"""zarr-python's own test suite as a compatibility test: run it on zarr-python, then on zarrnb.

``python -m zarrnb.compat.suite`` downloads the zarr sdist named by :data:`ZARR_SDIST` from the package
index (it ships ``tests/`` with its ``conftest.py``), runs those tests unchanged once on the installed
zarr-python and once under ``python -m zarrnb.compat``, and writes a per-file table (tests passing on
each, and the share of zarr-python's passes that also pass on zarrnb) between the markers in
``docs/compatibility.md``.

The only knobs are the ones both runs share: the files left out (:data:`LEFT_OUT`, with reasons),
parallel pytest processes over whole files, a per-test timeout and a hypothesis profile with fewer
examples, so the suite stays bounded inside ``make test``. zarr-python's results are cached per
installed versions (:func:`baseline_key`), so a repeated run only reruns zarrnb's side. The exit
status is 1 when a run could not happen at all (download, no junit file, nothing passing on
zarr-python itself) or when zarrnb's passes drop below ``--min-passed``; a pass rate below the
issue's 90 % target alone does not fail.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tarfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from zarrnb.compat import environment

__all__ = [
    "DESELECTED",
    "LEFT_OUT",
    "ZARR_SDIST",
    "FileResult",
    "main",
    "normalize_test_id",
    "parse_junit",
    "render_table",
]

ZARR_SDIST = "zarr==3.1.6"
# files of the suite that are not run, each with the reason (named in the table)
LEFT_OUT: dict[str, str] = {
    "tests/benchmarks": "timing benchmarks (pytest-benchmark), not behaviour",
    "tests/test_examples.py": "runs example scripts through `uv run`, which installs from the network",
    "tests/test_docs.py": "needs the docs/ folder and pytest-examples, neither in the sdist",
}
# tests deselected by name (pytest -k) on both sides, each with the reason (named in the table)
DESELECTED: dict[str, str] = {
    "forkserver": "`test_multiprocessing[...-forkserver]`: the forkserver start hangs in this sandbox "
    "and each of the 4 waits out the 60 s timeout on zarr-python too",
}
TABLE_START = "<!-- zarr-suite-table:start -->"
TABLE_END = "<!-- zarr-suite-table:end -->"
# parts of a test id that name where an object lives rather than which case runs: a memory address, and
# the module path inside a class or function repr (``<class 'zarr.core.dtype.npy.int.Int8'>`` on
# zarr-python is ``<class 'zarrnb.dtype.npy.int.Int8'>`` on zarrnb: the same parameter)
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_QUALIFIED_REPR = re.compile(r"<(class|function) '?(?:[\w]+\.)*(\w+)'?")
# registered by zarrnb.compat.suite_plugin so that both runs use the same, smaller number of examples
HYPOTHESIS_PROFILE = "zarrnb-suite"


@dataclass
class FileResult:
    """Test ids of one suite file that passed on zarr-python and on zarrnb."""

    path: str
    zarr_python: set[str]
    zarrnb: set[str]

    @property
    def both(self) -> int:
        """How many of zarr-python's passing tests also pass on zarrnb."""
        return len(self.zarr_python & self.zarrnb)


def fetch_suite(work: Path, requirement: str = ZARR_SDIST) -> Path:
    """Download (once) and unpack the sdist's ``tests/`` and ``pyproject.toml``; returns their folder."""
    work.mkdir(parents=True, exist_ok=True)
    name, _, version = requirement.partition("==")
    root = work / f"{name}-{version}"
    if (root / "tests" / "conftest.py").exists():
        return root
    archives = sorted(work.glob(f"{name}-{version}.tar.gz"))
    if not archives:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
             requirement, "-d", str(work)],
            check=True,
        )  # fmt: skip
        archives = sorted(work.glob(f"{name}-{version}.tar.gz"))
    if not archives:
        raise FileNotFoundError(f"pip download of {requirement} left no {name}-{version}.tar.gz in {work}")
    with tarfile.open(archives[0]) as archive:
        wanted = [
            m for m in archive.getmembers()
            if m.name.split("/")[1:2] in (["tests"], ["pyproject.toml"])
        ]  # fmt: skip
        archive.extractall(work, members=wanted, filter="data")
    return root


def suite_files(root: Path) -> list[str]:
    """The suite's test files, minus :data:`LEFT_OUT`, relative to ``root``."""
    files = []
    for path in sorted((root / "tests").rglob("test_*.py")):
        relative = path.relative_to(root).as_posix()
        if not any(relative == out or relative.startswith(out + "/") for out in LEFT_OUT):
            files.append(relative)
    return files


def shard(files: list[str], root: Path, workers: int) -> list[list[str]]:
    """Files dealt into ``workers`` groups of similar size, largest first.

    zarr-python's test ids hold object addresses, so pytest-xdist's workers collect different ids
    and refuse to run; whole files in separate pytest processes parallelise without that problem.
    """
    groups: list[list[str]] = [[] for _ in range(max(1, workers))]
    sizes = [0] * len(groups)
    for name in sorted(files, key=lambda f: -(root / f).stat().st_size):
        smallest = sizes.index(min(sizes))
        groups[smallest].append(name)
        sizes[smallest] += (root / name).stat().st_size
    return [g for g in groups if g]


def run_pytest(
    root: Path, junit: Path, *, on_zarrnb: bool, workers: int, timeout: int
) -> tuple[float, list[Path]]:
    """Run the suite in ``root`` under its own pytest configuration, ``workers`` processes at once.

    Returns the seconds taken and the junit files written (``junit`` with a part number).
    """
    env = environment() if on_zarrnb else dict(os.environ)
    env["HYPOTHESIS_PROFILE"] = HYPOTHESIS_PROFILE
    # under the switch pytest's assertion rewriting would import a second copy of some served modules
    # (zarr.core.metadata.v3, ...), and isinstance checks across the copies fail: plain asserts there
    prefix = [sys.executable, "-m", "zarrnb.compat", "-m", "pytest", "--assert=plain"] if on_zarrnb else [
        sys.executable, "-m", "pytest"
    ]  # fmt: skip
    started = time.perf_counter()
    processes, outputs = [], []
    for number, files in enumerate(shard(suite_files(root), root, workers)):
        output = junit.with_name(f"{junit.stem}.{number}.xml")
        output.unlink(missing_ok=True)
        command = [
            *prefix, *files, "-p", "zarrnb.compat.suite_plugin", "-p", "no:cacheprovider",
            f"--junitxml={output}", f"--timeout={timeout}",
            # a file that fails to import fails alone; without this pytest runs nothing at all
            "--continue-on-collection-errors",
            "-k", " and ".join(f"not {name}" for name in DESELECTED),
        ]  # fmt: skip
        with output.with_suffix(".log").open("w") as log:
            process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
        processes.append(process)
        outputs.append(output)
    for process in processes:
        process.wait()
    return time.perf_counter() - started, outputs


def baseline_key() -> str:
    """What zarr-python's own results depend on: the sdist, the installed libraries, the settings.

    zarr-python's run is the slow half and gives the same answer until one of these changes, so
    its results are cached under this key (``--fresh-baseline`` reruns it anyway).
    """
    from importlib.metadata import PackageNotFoundError, version

    examples = os.environ.get("ZARRNB_SUITE_EXAMPLES", "10")
    parts = [ZARR_SDIST, sys.version.split()[0], examples, *LEFT_OUT, *DESELECTED]
    for package in ("zarr", "numpy", "numcodecs", "hypothesis", "pytest", "pytest-asyncio", "fsspec",
                    "obstore", "s3fs", "donfig", "crc32c"):  # fmt: skip
        try:
            parts.append(f"{package}=={version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package} absent")
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:12]


def cached_junits(junit: Path) -> list[Path] | None:
    """The junit files of a finished earlier zarr-python run under this name, if all are there."""
    done = junit.with_suffix(".done")
    if not done.exists():
        return None
    junits = [junit.with_name(name) for name in done.read_text().split()]
    return junits if junits and all(j.exists() for j in junits) else None


def _tail(log: Path, lines: int = 12) -> str:
    """The last lines pytest printed (why a run produced no results)."""
    return "\n".join(log.read_text().splitlines()[-lines:]) if log.exists() else "(no output)"


def _file_of(classname: str, root: Path) -> str:
    """The suite file a junit ``classname`` (``tests.test_store.test_memory.TestMemoryStore``) lives in."""
    parts = [p for p in classname.split(".") if p]
    for end in range(len(parts), 0, -1):
        candidate = Path(*parts[:end]).with_suffix(".py")
        if (root / candidate).exists():
            return candidate.as_posix()
    return Path(*parts).as_posix() if parts else "(collection)"


def normalize_test_id(test_id: str) -> str:
    """``test_id`` with memory addresses and the module paths in class/function reprs left out, so the
    same case matches on both sides."""
    return _QUALIFIED_REPR.sub(r"<\1 \2", _ADDRESS.sub("", test_id))


def parse_junit(junits: list[Path], root: Path) -> tuple[dict[str, set[str]], Counter[str]]:
    """(passed test ids by file, count of every outcome) from pytest junit XML files."""
    passed: dict[str, set[str]] = {}
    outcomes: Counter[str] = Counter()
    cases = (case for junit in junits for case in ET.parse(junit).getroot().iter("testcase"))
    for case in cases:
        path = _file_of(case.get("classname", ""), root)
        test_id = normalize_test_id(f"{case.get('classname')}::{case.get('name')}")
        children = {child.tag for child in case}
        outcome = next((t for t in ("error", "failure", "skipped") if t in children), "passed")
        outcomes[outcome] += 1
        passed.setdefault(path, set())
        if outcome == "passed":
            passed[path].add(test_id)
    return passed, outcomes


def _group(path: str) -> str:
    """Table rows: a file at the top level, or a folder of the suite (``tests/test_store/``)."""
    parts = path.split("/")
    return path if len(parts) <= 2 else "/".join(parts[:2]) + "/"


def combine(zarr_python: dict[str, set[str]], zarrnb: dict[str, set[str]], *, by_folder: bool) -> list[
    FileResult
]:
    """One :class:`FileResult` per file (or per top-level folder), sorted by path."""
    rows: dict[str, FileResult] = {}
    for path in sorted(set(zarr_python) | set(zarrnb)):
        key = _group(path) if by_folder else path
        row = rows.setdefault(key, FileResult(key, set(), set()))
        row.zarr_python |= zarr_python.get(path, set())
        row.zarrnb |= zarrnb.get(path, set())
    return [rows[k] for k in sorted(rows)]


def _percent(part: int, whole: int) -> str:
    return "–" if whole == 0 else f"{100 * part / whole:.0f} %"


def render_table(rows: list[FileResult]) -> str:
    """The markdown table written into ``docs/compatibility.md``."""
    lines = [
        TABLE_START,
        f"zarr-python {ZARR_SDIST.partition('==')[2]}'s `tests/`, run unchanged (its own `conftest.py`).",
        "",
        "| file | pass on zarr-python | pass on zarrnb | of those, on zarrnb |",
        "| --- | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| `{row.path}` | {len(row.zarr_python)} | {len(row.zarrnb)} | "
            f"{_percent(row.both, len(row.zarr_python))} |"
        )
    total_zp = sum(len(r.zarr_python) for r in rows)
    total_nb = sum(len(r.zarrnb) for r in rows)
    both = sum(r.both for r in rows)
    lines.append(f"| **all files** | **{total_zp}** | **{total_nb}** | **{_percent(both, total_zp)}** |")
    lines += ["", "Left out:", ""]
    lines += [f"- `{path}`: {reason}" for path, reason in LEFT_OUT.items()]
    lines += [f"- {reason}" for reason in DESELECTED.values()]
    lines += [
        "- tests marked `gpu` skip themselves without CuPy, on both sides.",
        "",
        TABLE_END,
    ]
    return "\n".join(lines)


def write_table(doc: Path, table: str) -> None:
    """Replace the text between the table markers in ``doc`` (appending them the first time)."""
    text = doc.read_text() if doc.exists() else ""
    if TABLE_START in text and TABLE_END in text:
        head, _, rest = text.partition(TABLE_START)
        _, _, tail = rest.partition(TABLE_END)
        text = head + table + tail
    else:
        text = text.rstrip("\n") + "\n\n" + table + "\n"
    doc.write_text(text)


def main(argv: list[str] | None = None) -> int:
    """Fetch, run both sides, write the table; exit 1 if a run failed outright or passes fell too low."""
    repo = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(prog="python -m zarrnb.compat.suite", description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=repo / "build" / "zarr-suite")
    parser.add_argument("--doc", type=Path, default=repo / "docs" / "compatibility.md")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=60, help="seconds per test")
    parser.add_argument("--min-passed", type=int, default=0, help="fail below this many passes on zarrnb")
    parser.add_argument("--no-write", action="store_true", help="print the table, leave the doc alone")
    parser.add_argument(
        "--fresh-baseline", action="store_true", help="rerun zarr-python even if its results are cached"
    )
    args = parser.parse_args(argv)

    root = fetch_suite(args.work)
    work = args.work.resolve()
    runs = {}
    for side, on_zarrnb in (("zarr-python", False), ("zarrnb", True)):
        junit = work / (f"zarr-python-{baseline_key()}.xml" if not on_zarrnb else "zarrnb.xml")
        cached = None if on_zarrnb or args.fresh_baseline else cached_junits(junit)
        if cached is not None:
            seconds, junits = 0.0, cached
        else:
            seconds, junits = run_pytest(
                root, junit, on_zarrnb=on_zarrnb, workers=args.workers, timeout=args.timeout
            )
        missing = [j for j in junits if not j.exists()]
        if missing and not on_zarrnb:
            print(f"the zarr-python run wrote no {missing[0]}: pytest could not run", file=sys.stderr)
            return 1
        for junit_path in missing:
            # zarrnb's side fails as a whole when the suite's conftest.py cannot import: no test passes
            reason = _tail(junit_path.with_suffix(".log"))
            print(f"the zarrnb run wrote no {junit_path.name}; pytest said:\n{reason}")
        junits = [j for j in junits if j.exists()]
        if not on_zarrnb:
            junit.with_suffix(".done").write_text("\n".join(j.name for j in junits))
        runs[side] = (seconds, *parse_junit(junits, root))
    seconds_zp, passed_zp, outcomes_zp = runs["zarr-python"]
    seconds_nb, passed_nb, outcomes_nb = runs["zarrnb"]
    if outcomes_zp["passed"] == 0:
        print("no test passed on zarr-python itself: the suite did not run", file=sys.stderr)
        return 1
    rows = combine(passed_zp, passed_nb, by_folder=True)
    table = render_table(rows)
    print(table)
    took = f"in {seconds_zp:.0f} s" if seconds_zp else "(cached: same zarr-python, same test libraries)"
    print(f"zarr-python: {dict(outcomes_zp)} {took}")
    print(f"zarrnb:      {dict(outcomes_nb)} in {seconds_nb:.0f} s")
    if not args.no_write:
        write_table(args.doc, table)
    if outcomes_nb["passed"] < args.min_passed:
        print(
            f"only {outcomes_nb['passed']} tests passed on zarrnb, fewer than the pinned {args.min_passed}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
