"""Peak memory (RSS) of reading and copying one big array, each measured in a fresh subprocess.

``python -m benchmarks.memory LIB OP WHERE MIB SCRATCH`` runs one measurement and prints JSON; the table
runs them all. The baseline is the process's peak RSS after imports and opening the array (before any
output is allocated), so ``extra / output`` is what the operation costs over its output: 1.0 means no
second buffer. ``read-out`` reads into a preallocated ``out=``; ``copy`` copies the array to another local
store (``zarr.copy`` in zarrnb, ``from_array`` in zarr-python), which has no output to hold.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys

import numpy as np

from benchmarks.cases import big_spec, write_reference_array
from benchmarks.libraries import NotApplicable

OPERATIONS = ("read", "read-out", "copy")


def _peak_mib() -> float:
    """This process's peak RSS. On Linux ``VmHWM``: ``ru_maxrss`` survives ``exec`` there, so a child
    started by a big parent would report the parent's peak at the fork."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(lib_name: str, op: str, where: str, mib: int, scratch: str) -> dict[str, float | str]:
    """One measurement in this process (run it in a fresh one): baseline and peak RSS in MiB."""
    from benchmarks.run import load_libraries

    libs, notes = load_libraries([lib_name])
    if not libs:
        return {"error": notes[0]}
    lib = libs[0]
    spec = big_spec(mib)
    handle = lib.open(spec, where)
    baseline = _peak_mib()
    try:
        if op == "read":
            result = lib.read(handle)
            del result
        elif op == "read-out":
            out = np.empty(spec.shape, dtype=spec.dtype)
            out.fill(0)  # the pages exist before the read starts, as a preallocated buffer's do
            lib.read_into(handle, out)
        elif op == "copy":
            lib.copy(handle, scratch)
        else:
            raise ValueError(f"unknown operation {op!r}; known: {OPERATIONS}")
    except NotApplicable:
        return {"na": 1.0}
    return {"baseline": baseline, "peak": _peak_mib(), "output": spec.nbytes / 2**20}


def memory_table(root: str, lib_names: list[str], mib: int, markdown: bool = False) -> str:
    """Peak RSS per library and operation, from one subprocess each."""
    from benchmarks.run import render

    spec = big_spec(mib)
    where = os.path.join(root, "k-big")
    if not os.path.exists(os.path.join(where, "zarr.json")):
        from benchmarks.cases import _big_data

        write_reference_array(spec, where, _big_data(spec))
    header = ["operation", "output", *[f"{n} peak MiB" for n in lib_names]]
    body = []
    for op in OPERATIONS:
        cells = [op, f"{spec.nbytes / 2**20:.0f} MiB" if op != "copy" else "-"]
        for name in lib_names:
            scratch = os.path.join(root, f"copy-{name}")
            command = [sys.executable, "-m", "benchmarks.memory", name, op, where, str(mib), scratch]
            done = subprocess.run(
                command, capture_output=True, text=True, cwd=os.path.dirname(os.path.dirname(__file__))
            )
            try:
                found = json.loads(done.stdout.strip().splitlines()[-1])
            except (IndexError, ValueError):
                found = {"error": (done.stderr.strip().splitlines() or ["no output"])[-1][:80]}
            cells.append(_cell(found, op))
            print(f"# done memory {op} {name}", file=sys.stderr, flush=True)
        body.append(cells)
    note = (
        "peak RSS of the whole process in MiB; in brackets for read and read-out (peak - baseline) / output "
        "and peak / output, where the baseline is the peak after imports and opening the array; for copy "
        "the peak over the baseline in MiB"
    )
    return render(header, body, markdown) + "\n\n" + note


def _cell(found: dict[str, float | str], op: str) -> str:
    if "na" in found:
        return "n/a"
    if "error" in found:
        return f"error: {found['error']}"
    peak, baseline, output = (float(found[k]) for k in ("peak", "baseline", "output"))
    extra = peak - baseline
    if op == "copy":
        return f"{peak:.0f} (+{extra:.0f} MiB)"
    return f"{peak:.0f} ({extra / output:.2f}, {peak / output:.2f})"


if __name__ == "__main__":
    lib_name, op, where, mib, scratch = sys.argv[1:6]
    print(json.dumps(measure(lib_name, op, where, int(mib), scratch)))
