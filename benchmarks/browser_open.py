"""How long the browser takes to show the first page of a wide level: ``python -m benchmarks.browser_open``.

A local group holds ``--members`` arrays (10,000 by default) in one level, stored plainly and again with
consolidated metadata. Each repeat opens the root group (timed apart: with consolidated metadata the
engine parses every member's metadata here), then builds a fresh browser and opens the wide group, as
a click does: one listing by name (none when consolidated), metadata read for the first page only,
and the rows of that page. The target for the first page is 0.5 s for 10,000 members.
"""

from __future__ import annotations

import argparse
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


def open_level(path: Path, consolidated: bool) -> tuple[float, float, int]:
    """Seconds to open the root group, then to build its browser and open ``wide``; and the rows shown."""
    import zarrnb
    from zarrnb.notebook.browser import HierarchyBrowser

    start = time.perf_counter()
    root = zarrnb.open_group(str(path), mode="r", use_consolidated=consolidated)
    opened = time.perf_counter()
    browser = HierarchyBrowser(root)
    browser.select("wide")
    shown = time.perf_counter()
    browser.close()
    return opened - start, shown - opened, len(browser.rows)


def measure(members: int = 10_000, repeat: int = 5) -> dict[str, dict[str, float]]:
    """Median seconds (open the group; show the first page), plain and consolidated, over fresh browsers."""
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
            results[label] = {
                "open": statistics.median(run[0] for run in runs),
                "first page": statistics.median(run[1] for run in runs),
                "rows": runs[-1][2],
            }
        return results
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    results = measure(args.members, args.repeat)
    print(f"| browser: a level of {args.members:,} arrays (local) | open group s | first page s | target s |")
    print("| --- | --- | --- | --- |")
    for label, row in results.items():
        shown = f"{label}, {int(row['rows'])} rows shown"
        print(f"| {shown} | {row['open']:.3f} | {row['first page']:.3f} | {TARGET_S} |")

if __name__ == "__main__":
    main()
