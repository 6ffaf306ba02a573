"""How long the browser takes to show the first page of a wide level: ``python -m benchmarks.browser_open``.

A local group holds ``--members`` arrays (10,000 by default) in one level, stored plainly and again with
consolidated metadata. Each repeat opens the root group (timed apart: with consolidated metadata the
engine parses every member's metadata here), then builds a fresh browser and opens the wide group, as
a click does: one listing by name (none when consolidated), metadata read for the first page only,
and the rows of that page. The target for the first page is 0.5 s for 10,000 members.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

TARGET_S = 0.5


def build_level(folder: Path, members: int) -> Path:
    """``folder/level.zarr``: a group ``wide`` of ``members`` small arrays (metadata copied, no chunks)."""
    import zarrnb

    path = folder / "level.zarr"
    root = zarrnb.open_group(str(path), mode="w")
    wide = root.create_group("wide")
    wide.create_array("a00000", shape=(100,), chunks=(10,), dtype="f4")
    document = (path / "wide" / "a00000" / "zarr.json").read_bytes()
    for i in range(1, members):
        member = path / "wide" / f"a{i:05d}"
        member.mkdir()
        (member / "zarr.json").write_bytes(document)
    return path


def _clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def open_level(path: Path, consolidated: bool) -> dict[str, float]:
    """Wall and CPU seconds to open the root group, then to build its browser and open ``wide``; the rows.

    CPU time (this process, every thread) is quoted beside wall time because the machine may be shared.
    """
    import zarrnb
    from zarrnb.notebook.browser import HierarchyBrowser

    start = _clocks()
    root = zarrnb.open_group(str(path), mode="r", use_consolidated=consolidated)
    opened = _clocks()
    browser = HierarchyBrowser(root)
    browser.select("wide")
    shown = _clocks()
    browser.close()
    return {
        "open": opened[0] - start[0],
        "open cpu": opened[1] - start[1],
        "first page": shown[0] - opened[0],
        "first page cpu": shown[1] - opened[1],
        "rows": len(browser.rows),
    }


def measure(members: int = 10_000, repeat: int = 5) -> dict[str, dict[str, float]]:
    """Median wall and CPU seconds (open the group; show the first page), plain and consolidated."""
    import zarrnb

    folder = Path(tempfile.mkdtemp(prefix="zarrnb-browser-bench-"))
    try:
        plain = build_level(folder, members)
        consolidated = folder / "consolidated.zarr"
        shutil.copytree(plain, consolidated)
        zarrnb.consolidate_metadata(str(consolidated))
        results = {}
        for label, path, use in (("plain", plain, False), ("consolidated", consolidated, True)):
            runs = [open_level(path, use) for _ in range(repeat)]
            results[label] = {name: statistics.median(run[name] for run in runs) for name in runs[0]}
        return results
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    results = measure(args.members, args.repeat)
    print(
        f"| browser: a level of {args.members:,} arrays (local) | open group s (cpu) | first page s (cpu) "
        "| open + first page s (cpu) | target s |"
    )
    print("| --- | --- | --- | --- | --- |")
    for label, row in results.items():
        shown = f"{label}, {int(row['rows'])} rows shown"
        total, total_cpu = row["open"] + row["first page"], row["open cpu"] + row["first page cpu"]
        print(
            f"| {shown} | {row['open']:.3f} ({row['open cpu']:.3f}) | {row['first page']:.3f} "
            f"({row['first page cpu']:.3f}) | {total:.3f} ({total_cpu:.3f}) | {TARGET_S} |"
        )
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

if __name__ == "__main__":
    main()
