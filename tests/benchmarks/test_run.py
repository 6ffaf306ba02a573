"""Smoke test of the benchmark runner: one quick workload, the table's shape, no timing assertions."""

from __future__ import annotations

import re

import numpy as np
import pytest

from benchmarks import run
from benchmarks.workloads import workloads


def test_quick_run_prints_one_row_per_operation(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run.main(
            [
                *("--quick", "--only", "c-memory", "--repeat", "1"),
                *("--libs", "zarrnb,zarr-python,plain", "--sections", "rows"),
            ]
        )
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    table = [re.split(r"\s{2,}", line.strip()) for line in lines if line.startswith(("workload", "c-memory"))]
    header, rows = table[0], table[1:]
    assert header == ["workload", "size", "zarrnb ms", "zarr-python ms", "plain ms", "nb/zarr", "nb/plain"]
    assert [r[0] for r in rows] == ["c-memory write", "c-memory read"]
    for cells in rows:
        assert len(cells) == len(header)
        assert cells[1] == "1 MiB"
        float(cells[3]), float(cells[4])  # zarr-python and the plain limit always produce a time
    assert any(line.startswith("geometric mean zarrnb/zarr-python") for line in lines)


def test_many_file_writes_go_to_a_fresh_folder_each_repeat() -> None:
    by_id = {w.id: w for w in workloads()}
    lib = run.PlainLimit()
    # 4,096 and 1,024 chunk files: a new folder per repeat, nothing removed before the next write
    for many in ("c-local", "h-local"):
        folders = {run.write_folder("/r", by_id[many], lib, r) for r in range(3)}
        assert len(folders) == 3 and all(f.startswith(f"/r/{many}/plain/") for f in folders)
    # 256 files of 1 MiB and 16 shards: one folder, overwritten; memory rows have none
    assert {run.write_folder("/r", by_id["a-local"], lib, r) for r in range(3)} == {"/r/a-local/plain"}
    assert {run.write_folder("/r", by_id["d-zstd"], lib, r) for r in range(3)} == {"/r/d-zstd/plain"}
    assert run.write_folder("/r", by_id["c-memory"], lib, 0) is None


def test_unknown_workload_is_refused_with_the_known_ids() -> None:
    with pytest.raises(SystemExit, match=r"d-raw.*i-open"):
        run.main(["--only", "zz"])
    with pytest.raises(SystemExit, match="scaling"):
        run.main(["--sections", "rows,speed"])


def test_quick_cases_show_every_peer_and_not_applicable(capsys: pytest.CaptureFixture[str]) -> None:
    libs = "zarrnb,zarr-python,zarrs,tensorstore,plain"
    assert (
        run.main(["--quick", "--only", "i-,j-,k-", "--repeat", "1", "--libs", libs, "--sections", "rows"])
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    table = [
        re.split(r"\s{2,}", line.strip()) for line in lines if line.startswith(("workload", "i-", "j-", "k-"))
    ]
    header, rows = table[0], table[1:]
    assert header[-4:] == ["nb/zarr", "nb/zarrs", "nb/ts", "nb/plain"]
    assert [r[0] for r in rows] == [
        "i-open array x100",
        "j-consolidated 500 open+list",
        "k-read-out (into out=)",
    ]
    for cells in rows:
        assert len(cells) == len(header)
        float(cells[2]), float(cells[3]), float(cells[4])  # zarrnb, zarr-python and zarrs always time
    assert rows[1][5] == rows[1][6] == "n/a"  # no consolidated hierarchies in tensorstore or the plain limit
    assert not [line for line in lines if line.startswith("note:")]


def test_scaling_section_writes_a_plot(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    plot = tmp_path / "scaling.png"
    assert run.main(["--sections", "scaling", "--scaling-max", "1000", "--plot", str(plot)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^1,000\s+[\d.]+", out, re.MULTILINE)
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_memory_section_measures_each_library_in_a_subprocess(tmp_path) -> None:
    from benchmarks.memory import memory_table

    text = memory_table(str(tmp_path), ["zarrnb", "tensorstore"], 4)
    lines = text.splitlines()
    assert [line.split()[0] for line in lines[1:4]] == ["read", "read-out", "copy"]
    assert re.search(r"read-out\s+4 MiB\s+\d+ \([\d.]+, [\d.]+\)\s+n/a", text)


def test_plain_limit_reads_back_what_it_wrote_in_shards(tmp_path) -> None:
    from benchmarks.plain import PlainLimit
    from benchmarks.spec import ArraySpec, smooth_data

    spec = ArraySpec((64, 64), (8, 8), "zstd1", shards=(32, 32))
    data = smooth_data(spec.shape)
    plain = PlainLimit()
    arr = plain.create(spec, str(tmp_path / "a"))
    plain.write(arr, data)
    assert (plain.read(arr) == data).all()
    assert (plain.read(arr, (slice(5, 40), slice(30, 33))) == data[5:40, 30:33]).all()
    assert plain.read_points(arr, [(63, 1), (0, 0)]) == [data[63, 1], data[0, 0]]
    rows, cols = np.array([63, 0, 5, 6]), np.array([1, 0, 40, 40])
    assert (plain.read_vindex(arr, (rows, cols)) == data[rows, cols]).all()
