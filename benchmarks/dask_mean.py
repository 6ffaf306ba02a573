"""The dask mean: ``python -m benchmarks.dask_mean [--size-mib 1024] [--chunk-mib 64] [--repeat 3]``.

A float32 zstd array of ``--size-mib`` (default 1 GiB) in chunks of about ``--chunk-mib`` along
time, on local disk; the mean over time computed by dask over zarrnb and over zarr-python
(the same stored bytes), under the threaded scheduler and on a LocalCluster of worker
processes. Prints one row per scheduler with the medians and zarrnb/zarr-python, the median CPU
seconds of the run (this process plus every worker process) and the load average at the end, so a
ratio measured on a shared machine can be read beside the work it took; the result of every run is
checked against NumPy. Not a test: nothing asserts a timing.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import dask
import dask.array as da
import numpy as np

from benchmarks.spec import smooth_data

SIDE = 1024  # each time step is SIDE x SIDE float32 (4 MiB)


def build(path: str, size_mib: int, chunk_mib: int) -> np.ndarray:
    """Write the array with zarrnb (zstd level 1) and return the expected mean over time."""
    import zarrnb
    from zarrnb.codecs import ZstdCodec

    steps_per_chunk = max(1, chunk_mib // 4)
    steps = max(steps_per_chunk, size_mib // 4)
    array = zarrnb.create_array(
        path,
        shape=(steps, SIDE, SIDE),
        chunks=(steps_per_chunk, SIDE, SIDE),
        dtype="f4",
        compressors=[ZstdCodec(level=1)],
    )
    total = np.zeros((SIDE, SIDE), dtype="f8")
    for start in range(0, steps, steps_per_chunk):
        block = smooth_data((min(steps_per_chunk, steps - start), SIDE, SIDE), seed=start % 7)
        array[start : start + len(block)] = block
        total += block.sum(axis=0, dtype="f8")
    return (total / steps).astype("f4")


def _zarrnb_mean(path: str) -> Any:
    import zarrnb

    array = zarrnb.open_array(path, mode="r")
    return da.from_array(array, chunks=array.chunks).mean(axis=0)


def _zarr_mean(path: str) -> Any:
    import zarr

    array = zarr.open_array(path, mode="r")
    return da.from_array(array, chunks=array.chunks).mean(axis=0)


LIBRARIES: dict[str, Callable[[str], Any]] = {"zarrnb": _zarrnb_mean, "zarr-python": _zarr_mean}


def cpu_seconds() -> float:
    """User plus system CPU seconds of this process, all its threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def time_runs(
    path: str,
    expected: np.ndarray,
    repeat: int,
    compute: Callable[[Any], Any],
    worker_cpu: Callable[[], float] = lambda: 0.0,
) -> dict[str, list[tuple[float, float]]]:
    """(wall seconds, CPU seconds) per run for each library, interleaved, every result checked.

    The CPU seconds are this process's plus ``worker_cpu()``'s (the worker processes' total)."""
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in LIBRARIES}
    for _ in range(repeat):
        for name, mean in LIBRARIES.items():
            graph = mean(path)
            cpu = cpu_seconds() + worker_cpu()
            start = time.perf_counter()
            result = compute(graph)
            wall = time.perf_counter() - start
            runs[name].append((wall, cpu_seconds() + worker_cpu() - cpu))
            np.testing.assert_allclose(result, expected, rtol=1e-5, atol=1e-5, err_msg=name)
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024, help="array size (default 1 GiB)")
    parser.add_argument("--chunk-mib", type=int, default=64, help="chunk size (default 64 MiB)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--schedulers", default="threads,cluster", help="threads, cluster or both")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    args = parser.parse_args(argv)
    schedulers = args.schedulers.split(",")
    if unknown := set(schedulers) - {"threads", "cluster"}:
        parser.error(f"unknown schedulers {sorted(unknown)}; choose from threads, cluster")

    where = tempfile.mkdtemp(prefix="zarrnb-dask-mean-")
    try:
        path = f"{where}/data.zarr"
        expected = build(path, args.size_mib, args.chunk_mib)
        rows = []
        for scheduler in schedulers:
            if scheduler == "threads":
                with dask.config.set(scheduler="threads"):
                    runs = time_runs(path, expected, args.repeat, lambda g: g.compute())
            else:
                from distributed import Client, LocalCluster

                with (
                    LocalCluster(n_workers=args.workers, processes=True, dashboard_address=None) as cluster,
                    Client(cluster) as client,
                ):
                    runs = time_runs(
                        path, expected, args.repeat, lambda g: client.compute(g).result(),
                        lambda: sum(client.run(cpu_seconds).values()),
                    )  # fmt: skip
            wall = {name: statistics.median(w for w, _ in r) * 1000 for name, r in runs.items()}
            cpu = {name: statistics.median(c for _, c in r) for name, r in runs.items()}
            rows.append((scheduler, wall, cpu, os.getloadavg()[0]))
        size = f"{args.size_mib} MiB"
        print(
            f"{'workload':<22}{'size':>10}{'zarrnb ms':>11}{'zarr-python ms':>16}{'nb/zarr':>9}"
            f"{'nb cpu s':>10}{'zarr cpu s':>12}{'cpu nb/zarr':>13}{'load':>6}"
        )
        for scheduler, wall, cpu, load in rows:
            print(
                f"{'e-dask-mean ' + scheduler:<22}{size:>10}{wall['zarrnb']:>11.1f}"
                f"{wall['zarr-python']:>16.1f}{wall['zarrnb'] / wall['zarr-python']:>9.2f}"
                f"{cpu['zarrnb']:>10.2f}{cpu['zarr-python']:>12.2f}"
                f"{cpu['zarrnb'] / cpu['zarr-python']:>13.2f}{load:>6.1f}"
            )
    finally:
        shutil.rmtree(where, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
