"""Smoke test of the dask-mean benchmark: a tiny array, threads only, one row; no timing assertions."""

from __future__ import annotations

import re

import pytest

from benchmarks import dask_mean


def test_tiny_run_prints_a_row_and_checks_values(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        dask_mean.main(["--size-mib", "8", "--chunk-mib", "4", "--repeat", "1", "--schedulers", "threads"])
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert re.split(r"\s{2,}", lines[0].strip()) == [
        "workload",
        "size",
        "zarrnb ms",
        "zarr-python ms",
        "nb/zarr",
        "nb cpu s",
        "zarr cpu s",
        "cpu nb/zarr",
        "load",
    ]
    cells = re.split(r"\s{2,}", lines[1].strip())
    assert cells[:2] == ["e-dask-mean threads", "8 MiB"] and len(cells) == 9
    assert all(float(cell) > 0 for cell in cells[2:8]) and float(cells[8]) >= 0


def test_unknown_scheduler_is_refused() -> None:
    with pytest.raises(SystemExit):
        dask_mean.main(["--schedulers", "gpu"])
