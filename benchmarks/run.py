"""Run the benchmarks: ``python -m benchmarks.run [--quick] [--only a,d-raw] [--repeat N] [--sections ...]``.

Every library runs every operation in one process, interleaved (the order rotates each repeat), and the
table reports the median time and zarrnb's time divided by each peer's (zarr-python, zarr-python with the
zarrs pipeline, tensorstore, the plain-Python limit). Results are checked against the source data after
timing; a library that fails or returns wrong data shows ``error`` and the reason, one without an API for
the operation ``n/a``. Further sections: peak memory (``memory``), store requests per operation
(``requests``) and how time and memory grow with the chunk count (``scaling``, with a PNG plot).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from benchmarks.cases import CASE_IDS, Case, cases
from benchmarks.libraries import Library, NotApplicable, TensorStore, ZarrApi, ZarrsPipeline
from benchmarks.plain import PlainLimit
from benchmarks.spec import smooth_data
from benchmarks.workloads import Workload, workloads

LIBRARY_NAMES = ("zarrnb", "zarr-python", "zarrs", "tensorstore", "plain")
# the ratio columns: zarrnb's time over each peer's
PEER_LABELS = {"zarr-python": "nb/zarr", "zarrs": "nb/zarrs", "tensorstore": "nb/ts", "plain": "nb/plain"}
SECTIONS = ("rows", "memory", "requests", "scaling")
BIG_CHUNK_PREFIXES = ("a-", "b-", "g-")


@dataclass
class Row:
    """Timings of one operation on one workload, per library."""

    name: str
    nbytes: int
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    not_applicable: set[str] = field(default_factory=set)

    def median(self, lib: str) -> float | None:
        if lib in self.errors or lib in self.not_applicable or not self.times.get(lib):
            return None
        return statistics.median(self.times[lib])

    def ratio(self, lib: str, other: str) -> float | None:
        a, b = self.median(lib), self.median(other)
        return None if a is None or b is None or b == 0 else a / b


def load_libraries(names: list[str]) -> tuple[list[Library], list[str]]:
    """The requested libraries that import, and a note for each that does not."""
    makers: dict[str, Callable[[], Library]] = {
        "zarrnb": lambda: ZarrApi("zarrnb", "zarrnb"),
        "zarr-python": lambda: ZarrApi("zarr", "zarr-python"),
        "zarrs": ZarrsPipeline,
        "tensorstore": TensorStore,
        "plain": PlainLimit,
    }
    found, notes = [], []
    for name in names:
        try:
            found.append(makers[name]())
        except ImportError as exc:
            notes.append(f"{name} skipped: {exc}")
    return found, notes


def _check(op: str, workload: Workload, data: np.ndarray, result: Any) -> None:
    """Raise if ``result`` is not what ``op`` should have read from ``data``."""
    if op == "read":
        expected = data
    elif op == "windows":
        expected, result = np.stack([data[w] for w in workload.windows()]), np.stack(result)
    elif op in ("points", "vindex"):
        expected = data[workload.points()]
        result = np.asarray([np.asarray(v) for v in result]).reshape(expected.shape)
    else:
        return
    if not np.array_equal(np.asarray(result), expected):
        raise AssertionError(f"{op} returned data that differs from what was written")


def _operation(lib: Library, op: str, workload: Workload, handle: Any, data: np.ndarray) -> Callable[[], Any]:
    if op == "write":
        return lambda: lib.write(handle, data)
    if op == "read":
        return lambda: lib.read(handle)
    if op == "windows":
        windows = workload.windows()
        return lambda: [lib.read(handle, w) for w in windows]
    coords = workload.points()
    if op == "points":
        points = list(zip(*(c.tolist() for c in coords), strict=True))
        return lambda: lib.read_points(handle, points)
    return lambda: lib.read_vindex(handle, coords)


def write_folder(root: str, workload: Workload, lib: Library, r: int) -> str | None:
    """Where ``lib`` writes ``workload`` in repeat ``r`` (None: in memory).

    A write of thousands of chunk files goes to a fresh folder each repeat, and no folder is removed
    before the run ends: on ext4 without a journal (this machine's root file system) every new file
    scans the inodes freed in the last minutes (``recently_deleted``), so writing right after
    removing the previous repeat's files timed the file system's deletion history, not the library.
    Other writes overwrite the library's one folder (fresh gigabytes each repeat would time writeback).
    """
    if workload.store == "memory":
        return None
    folder = os.path.join(root, workload.id, lib.name)
    return os.path.join(folder, str(r)) if workload.many_files else folder


def run_workload(workload: Workload, libs: list[Library], repeat: int, root: str) -> list[Row]:
    """Time every operation of ``workload`` for every library, interleaved; its folders stay until
    the run ends (see ``write_folder``)."""
    data = smooth_data(workload.spec.shape)
    handles: dict[str, Any] = {}
    rows = []
    failed: dict[str, str] = {}
    if workload.written_by_reference:
        source = os.path.join(root, workload.id, "source")
        reference = ZarrApi("zarr", "zarr-python")
        reference.write(reference.create(workload.spec, source), data)
        for lib in libs:
            try:
                handles[lib.name] = lib.open(workload.spec, source)
            except Exception as exc:
                failed[lib.name] = f"open: {type(exc).__name__}: {exc}"
    for op in workload.ops:
        row = Row(f"{workload.id} {op}", workload.row_bytes(op), errors=dict(failed))
        for r in range(repeat):
            for lib in libs[r % len(libs) :] + libs[: r % len(libs)]:
                if lib.name in row.errors:
                    continue
                try:
                    if op == "write":
                        handles[lib.name] = lib.create(workload.spec, write_folder(root, workload, lib, r))
                    run = _operation(lib, op, workload, handles[lib.name], data)
                    start = time.perf_counter()
                    result = run()
                    row.times.setdefault(lib.name, []).append(time.perf_counter() - start)
                    if r == 0:
                        _check(op, workload, data, result)
                except Exception as exc:
                    row.errors[lib.name] = f"{type(exc).__name__}: {str(exc)[:200]}"
        if op == "write":
            failed.update(row.errors)
        rows.append(row)
    return rows


def run_case(case: Case, libs: list[Library], repeat: int) -> Row:
    """Time ``case`` for every library, interleaved as ``run_workload`` does."""
    row = Row(case.id, case.nbytes)
    states: dict[str, Any] = {}
    for r in range(repeat):
        for lib in libs[r % len(libs) :] + libs[: r % len(libs)]:
            if lib.name in row.errors or lib.name in row.not_applicable:
                continue
            try:
                if lib.name not in states:
                    states[lib.name] = case.prepare(lib)
                case.before(states[lib.name], r)
                start = time.perf_counter()
                result = case.run(lib, states[lib.name])
                row.times.setdefault(lib.name, []).append(time.perf_counter() - start)
                if r == 0:
                    case.check(states[lib.name], result)
            except NotApplicable:
                row.not_applicable.add(lib.name)
            except Exception as exc:
                row.errors[lib.name] = f"{type(exc).__name__}: {str(exc)[:200]}"
    return row


def _cell(row: Row, lib: str) -> str:
    return "n/a" if lib in row.not_applicable else _fmt_time(row.median(lib))


def _fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "error"
    return f"{seconds * 1e3:.1f}" if seconds >= 0.01 else f"{seconds * 1e3:.2f}"


def _fmt_size(nbytes: int) -> str:
    for unit, scale in (("MiB", 2**20), ("KiB", 2**10)):
        if nbytes >= scale:
            return f"{nbytes / scale:.4g} {unit}"
    return f"{nbytes} B"


def _fmt_ratio(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.2f}"


def geometric_mean(values: list[float]) -> float | None:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def format_table(rows: list[Row], names: list[str], markdown: bool = False) -> str:
    """The result table: median ms per library, zarrnb's ratio to each peer, then geometric means."""
    peers = [n for n in names if n in PEER_LABELS]
    header = ["workload", "size", *[f"{n} ms" for n in names], *[PEER_LABELS[p] for p in peers]]
    body = [
        [
            row.name,
            _fmt_size(row.nbytes) if row.nbytes else "-",
            *[_cell(row, n) for n in names],
            *[_fmt_ratio(row.ratio("zarrnb", p)) for p in peers],
        ]
        for row in rows
    ]
    summary = []
    for peer in peers:
        ratios = [r for r in (row.ratio("zarrnb", peer) for row in rows) if r]
        summary.append(
            f"geometric mean zarrnb/{peer} over {len(ratios)} rows: {_fmt_ratio(geometric_mean(ratios))}"
        )
    big = [row for row in rows if row.name.startswith(BIG_CHUNK_PREFIXES)]
    vs_plain = [r for r in (row.ratio("zarrnb", "plain") for row in big) if r]
    if vs_plain:
        summary.append(f"worst zarrnb/plain on big-chunk rows (a, b, g): {_fmt_ratio(max(vs_plain))}")
    return render(header, body, markdown) + "\n\n" + "\n".join(summary)


def render(header: list[str], body: list[list[str]], markdown: bool = False) -> str:
    """A table as aligned text columns, or as Markdown."""
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        return "\n".join(lines + ["| " + " | ".join(cells) + " |" for cells in body])
    widths = [max(len(str(c[i])) for c in [header, *body]) for i in range(len(header))]
    return "\n".join(
        "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        for cells in [header, *body]
    )


def error_notes(rows: list[Row]) -> list[str]:
    """One line per library and distinct error, listing the rows it spoiled."""
    spoiled: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        for lib, message in row.errors.items():
            spoiled.setdefault((lib, message), []).append(row.name)
    return [f"{lib} failed {', '.join(names)}: {message}" for (lib, message), names in spoiled.items()]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    parser.add_argument("--only", default="", help="comma-separated row id prefixes, e.g. a,d-raw,g,i-open")
    parser.add_argument("--libs", default=",".join(LIBRARY_NAMES), help="comma-separated libraries to run")
    parser.add_argument("--repeat", type=int, default=None, help="runs per library (default 5, quick 2)")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    parser.add_argument("--tmp", default=None, help="directory for local stores (default: a temp dir)")
    parser.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help=f"comma-separated parts, of {', '.join(SECTIONS)}",
    )
    parser.add_argument("--big-mib", type=int, default=1024, help="size of the out= and memory arrays (MiB)")
    parser.add_argument(
        "--scaling-max", type=int, default=None, help="most chunks in the scaling section (default 10**6)"
    )
    parser.add_argument("--plot", default=None, help="scaling PNG path (default benchmarks/scaling.png)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    prefixes = tuple(p for p in args.only.split(",") if p)
    sections = [s for s in args.sections.split(",") if s]
    if unknown_sections := [s for s in sections if s not in SECTIONS]:
        raise SystemExit(f"unknown sections {unknown_sections}; known: {list(SECTIONS)}")
    chosen = [w for w in workloads(args.quick) if not prefixes or w.id.startswith(prefixes)]
    case_ids = [c for c in CASE_IDS if not prefixes or c.startswith(prefixes)]
    if "rows" in sections and not chosen and not case_ids:
        known = [w.id for w in workloads()] + list(CASE_IDS)
        raise SystemExit(f"--only {args.only!r} matches no row; ids: {known}")
    unknown = [n for n in args.libs.split(",") if n not in LIBRARY_NAMES]
    if unknown:
        raise SystemExit(f"unknown libraries {unknown}; known: {list(LIBRARY_NAMES)}")
    libs, notes = load_libraries(args.libs.split(","))
    repeat = args.repeat or (2 if args.quick else 5)
    print(
        f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"median of {repeat} interleaved runs{', quick sizes' if args.quick else ''}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(dir=args.tmp, prefix="zarrnb-bench-") as root:
        if "rows" in sections:
            rows: list[Row] = []
            for workload in chosen:
                rows += run_workload(workload, libs, repeat, root)
                print(f"# done {workload.id}", file=sys.stderr, flush=True)
            for case in cases(root, args.quick, args.big_mib, lambda id: id in case_ids):
                rows.append(run_case(case, libs, repeat))
                print(f"# done {case.id}", file=sys.stderr, flush=True)
            print(format_table(rows, [lib.name for lib in libs], markdown=args.markdown))
            for line in notes + error_notes(rows):
                print(f"note: {line}")
        if "memory" in sections:
            from benchmarks.memory import memory_table

            print(
                "\n"
                + memory_table(
                    root, [lib.name for lib in libs], 4 if args.quick else args.big_mib, args.markdown
                )
            )
        if "requests" in sections:
            from benchmarks.requests import requests_table

            print("\n" + requests_table(args.markdown))
        if "scaling" in sections:
            from benchmarks.scaling import scaling_table

            most = args.scaling_max or (10**4 if args.quick else 10**6)
            plot = args.plot or os.path.join(os.path.dirname(__file__), "scaling.png")
            print("\n" + scaling_table(most, plot, args.markdown))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
