"""How zarrnb's cost grows with the number of chunks: 10**3 to 10**6 chunks, time and memory, and a PNG.

Each size runs in a fresh subprocess (``python -m benchmarks.scaling N``) on an in-memory store: a 1-D
int32 array of ``N`` raw chunks of 16 elements (no codec: the engine's own cost per chunk) is written
whole, read whole, its stored chunks counted (``nchunks_initialized``, a store listing) and the array
opened again. Memory is the process's peak RSS over its baseline after imports; it includes the
store's own contents (N small buffers), as it would in any in-memory use.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np

from benchmarks.memory import _peak_mib

CHUNK = 16
OPERATIONS = ("write", "read", "list", "open")


def measure(chunks: int) -> dict[str, float]:
    """Seconds per operation and peak RSS over the baseline (MiB) for ``chunks`` chunks (fresh process)."""
    import zarrnb

    data = np.arange(chunks * CHUNK, dtype="int32")
    store = zarrnb.storage.MemoryStore()
    baseline = _peak_mib()
    array = zarrnb.create_array(
        store=store, shape=data.shape, chunks=(CHUNK,), dtype="int32", fill_value=-1, compressors=None
    )
    found: dict[str, float] = {}
    start = time.perf_counter()
    array[...] = data
    found["write"] = time.perf_counter() - start
    start = time.perf_counter()
    back = array[...]
    found["read"] = time.perf_counter() - start
    if not np.array_equal(back, data):
        raise AssertionError(f"read back differs from what was written ({chunks} chunks)")
    del back
    start = time.perf_counter()
    counted = array.nchunks_initialized
    found["list"] = time.perf_counter() - start
    if counted != chunks:
        raise AssertionError(f"listed {counted} chunks, expected {chunks}")
    start = time.perf_counter()
    zarrnb.open_array(store=store, mode="r")
    found["open"] = time.perf_counter() - start
    found["rss"] = _peak_mib() - baseline
    return found


def sizes(most: int) -> list[int]:
    """10**3, 10**4, ... up to ``most``."""
    return [10**k for k in range(3, 7) if 10**k <= most] or [most]


def scaling_table(most: int, plot: str | None, markdown: bool = False) -> str:
    """The table of times and memory for each size; with ``plot`` a PNG of both is written there."""
    from benchmarks.run import render

    results: dict[int, dict[str, float]] = {}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for n in sizes(most):
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.scaling", str(n)], capture_output=True, text=True, cwd=root
        )
        if done.returncode:
            raise RuntimeError(f"scaling run of {n} chunks failed: {done.stderr.strip()[-300:]}")
        results[n] = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"# done scaling {n}", file=sys.stderr, flush=True)
    header = [
        "chunks",
        *[f"{op} s" for op in OPERATIONS],
        *[f"{op} µs/chunk" for op in OPERATIONS[:3]],
        "RSS MiB",
    ]
    body = [
        [
            f"{n:,}",
            *[f"{found[op]:.4f}" for op in OPERATIONS],
            *[f"{found[op] / n * 1e6:.2f}" for op in OPERATIONS[:3]],
            f"{found['rss']:.0f}",
        ]
        for n, found in results.items()
    ]
    text = render(header, body, markdown)
    if plot:
        write_plot(results, plot)
        text += f"\n\nplot: {plot}"
    return text


def write_plot(results: dict[int, dict[str, float]], path: str) -> None:
    """Time per operation and peak memory against the chunk count, log-log, with a linear guide."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counts = sorted(results)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for op in OPERATIONS:
        left.plot(counts, [results[n][op] for n in counts], marker="o", label=op)
    first = counts[0]
    guide = results[first]["write"]
    left.plot(counts, [guide * n / first for n in counts], "k--", linewidth=0.8, label="linear")
    left.set(xscale="log", yscale="log", xlabel="chunks", ylabel="seconds", title="time per operation")
    left.legend()
    right.plot(counts, [max(results[n]["rss"], 0.1) for n in counts], marker="o", color="tab:purple")
    right.set(xscale="log", yscale="log", xlabel="chunks", ylabel="MiB", title="peak RSS over baseline")
    fig.suptitle(f"zarrnb, in-memory store, 1-D int32 array in {CHUNK}-element chunks")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]))))
