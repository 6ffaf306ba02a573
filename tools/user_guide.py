"""Run zarr-python's user-guide examples on zarr-python and on zarrnb, and compare what they print.

The guide (``docs/user-guide/*.md`` of a zarr-python checkout) marks runnable examples as
```` ```python exec="true" session="NAME" ````; blocks of one session share state. Each session
runs twice in a fresh folder: once as written (the oracle, real zarr-python) and once with its
``zarr`` imports rewritten to ``zarrnb`` (``import zarr`` -> ``import zarrnb as zarr``), as a user
porting code would. A block passes when both print the same text, after masking memory
addresses and temporary paths. Blocks that fail on zarr-python itself here (no network, no GPU)
are counted apart, not as zarrnb failures. A session that imports one of zarr-python's internal
paths (``zarr.core.*``), which zarrnb serves only under its ``import zarr`` switch, runs as
written under that switch instead (``python -m zarrnb.compat``), and the tool says so.

Usage: ``python tools/user_guide.py DOCS_DIR [--show-diffs]``. The docs are not shipped with
zarrnb (they are zarr-python's text); fetch a zarr-python checkout at the tag you compare with.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

FENCE = re.compile(r"^```python(?P<options>[^\n]*)\n(?P<body>.*?)^```", re.M | re.S)
SESSION = re.compile(r'session="(?P<name>[^"]+)"')
IMPORT_ZARR = re.compile(r"^(?P<indent>\s*)import zarr(?P<rest>(\.[\w.]+)?)(?P<alias>\s+as\s+\w+)?\s*$", re.M)
FROM_ZARR = re.compile(r"^(?P<indent>\s*)from zarr(?P<rest>[\w.]*) import", re.M)
MASKS = [
    (re.compile(r"0x[0-9a-fA-F]+"), "0x…"),
    (re.compile(r"memory://\d+"), "memory://…"),
    (re.compile(r"/tmp/[\w/.-]+"), "/tmp/…"),
    (re.compile(r"\d+\.\d+ ?(µs|us|ms|s)\b"), "T"),
    (re.compile(r"(?P<what>took|Speedup is) [\d.e+-]+"), r"\g<what> …"),  # timings
]
RUNNER = r"""
import contextlib, io, json, sys, traceback
blocks = json.loads(sys.stdin.read())
namespace = {"__name__": "__main__"}
results = []
for source in blocks:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        try:
            exec(compile(source, "<guide>", "exec"), namespace)
            error = None
        except BaseException as exc:
            error = f"{type(exc).__name__}: {exc}"
    results.append({"stdout": out.getvalue(), "error": error})
print(json.dumps(results))
"""


@dataclass
class Block:
    """One runnable example of the guide."""

    file: str
    session: str
    index: int
    source: str


def read_sessions(docs: Path) -> dict[tuple[str, str], list[Block]]:
    """The guide's runnable blocks, grouped by (file, session) in page order."""
    sessions: dict[tuple[str, str], list[Block]] = {}
    for page in sorted(docs.rglob("*.md")):
        name = str(page.relative_to(docs))
        for number, match in enumerate(FENCE.finditer(page.read_text())):
            options = match["options"]
            if 'exec="true"' not in options:
                continue
            found = SESSION.search(options)
            session = found["name"] if found else f"block-{number}"
            blocks = sessions.setdefault((name, session), [])
            blocks.append(Block(name, session, len(blocks), match["body"]))
    return sessions


def to_zarrnb(source: str) -> str:
    """Rewrite ``zarr`` imports the way a user porting the example would."""

    def plain(match: re.Match[str]) -> str:
        rest, alias = match["rest"] or "", match["alias"]
        if not rest:
            return f"{match['indent']}import zarrnb as zarr{alias or ''}"
        if alias:
            return f"{match['indent']}import zarrnb{rest}{alias}"
        return f"{match['indent']}import zarrnb as zarr; import zarrnb{rest}"

    source = IMPORT_ZARR.sub(plain, source)
    return FROM_ZARR.sub(lambda m: f"{m['indent']}from zarrnb{m['rest']} import", source)


def internal_paths(sources: list[str]) -> list[str]:
    """The ``zarrnb`` modules a rewritten session imports that zarrnb does not have at that path:
    zarr-python's internal paths, which zarrnb serves only under its ``import zarr`` switch."""
    found = re.findall(r"^\s*(?:from|import) (zarrnb[\w.]*)", "\n".join(sources), re.M)
    return sorted({name for name in found if importlib.util.find_spec(name) is None})


def run_session(blocks: list[str], python: str, switch: bool = False) -> list[dict]:
    """Run one session's blocks in a fresh folder (under zarrnb's switch if asked); one result each."""
    command = [python, "-m", "zarrnb.compat", "-c"] if switch else [python, "-c"]
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [*command, RUNNER], input=json.dumps(blocks), capture_output=True, text=True,
            cwd=folder, timeout=600,
        )
    if done.returncode != 0:
        return [{"stdout": "", "error": f"session crashed: {done.stderr[-400:]}"}] * len(blocks)
    return json.loads(done.stdout)


def masked(text: str) -> str:
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", type=Path, help="zarr-python's docs/user-guide folder")
    parser.add_argument("--python", default=sys.executable, help="interpreter with zarr and zarrnb installed")
    parser.add_argument("--show-diffs", action="store_true")
    args = parser.parse_args()
    totals: dict[str, list[int]] = {}
    for (page, session), blocks in read_sessions(args.docs).items():
        oracle = run_session([b.source for b in blocks], args.python)
        ported = [to_zarrnb(b.source) for b in blocks]
        internal = internal_paths(ported)
        if internal:  # served by the switch only: run the session as written, `import zarr` on zarrnb
            print(f"{page} [{session}]: imports {', '.join(internal)}: run under the import-zarr switch")
            ours = run_session([b.source for b in blocks], args.python, switch=True)
        else:
            ours = run_session(ported, args.python)
        row = totals.setdefault(page, [0, 0, 0])  # runs on zarr-python, same on zarrnb, blocks
        for block, want, got in zip(blocks, oracle, ours, strict=True):
            row[2] += 1
            if want["error"]:
                continue
            row[0] += 1
            same = got["error"] is None and masked(want["stdout"]) == masked(got["stdout"])
            row[1] += same
            if not same and args.show_diffs:
                print(f"--- {page} [{session} #{block.index}]\n{block.source.strip()}")
                if got["error"]:
                    print(f"  zarrnb raised {got['error']}")
                diff = difflib.unified_diff(
                    masked(want["stdout"]).splitlines(), masked(got["stdout"]).splitlines(),
                    "zarr-python", "zarrnb", lineterm="", n=1,
                )
                print("\n".join("  " + line for line in diff))
    print("| page | blocks | run on zarr-python here | same output on zarrnb |")
    print("| --- | --- | --- | --- |")
    for page, (runnable, same, blocks) in sorted(totals.items()):
        print(f"| {page} | {blocks} | {runnable} | {same} |")
    runnable = sum(r[0] for r in totals.values())
    same = sum(r[1] for r in totals.values())
    print(f"\nsame output on {same} of {runnable} blocks that run on zarr-python here")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
