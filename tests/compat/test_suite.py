"""The runner of zarr-python's own suite: file sharding, junit parsing, the table it writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from zarrnb.compat import suite


def _tree(root: Path) -> None:
    sizes = [("tests/test_a.py", 300), ("tests/test_b.py", 200), ("tests/test_store/test_x.py", 100),
             ("tests/benchmarks/test_e2e.py", 50), ("tests/test_docs.py", 10)]  # fmt: skip
    for name, size in sizes:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#" * size)


def _junit(path: Path, cases: list[tuple[str, str, str]]) -> Path:
    body = []
    for classname, name, outcome in cases:
        inner = "" if outcome == "passed" else f"<{outcome} message='x'/>"
        body.append(f'<testcase classname="{classname}" name="{name}">{inner}</testcase>')
    path.write_text(f"<testsuites><testsuite>{''.join(body)}</testsuite></testsuites>")
    return path


def test_suite_files_leave_out_the_named_files(tmp_path: Path) -> None:
    _tree(tmp_path)
    assert suite.suite_files(tmp_path) == ["tests/test_a.py", "tests/test_b.py", "tests/test_store/test_x.py"]


def test_shard_balances_by_size(tmp_path: Path) -> None:
    _tree(tmp_path)
    groups = suite.shard(suite.suite_files(tmp_path), tmp_path, 2)
    assert groups == [["tests/test_a.py"], ["tests/test_b.py", "tests/test_store/test_x.py"]]
    assert suite.shard(["tests/test_a.py"], tmp_path, 4) == [["tests/test_a.py"]]


def test_parse_junit_maps_classnames_to_files_and_counts_outcomes(tmp_path: Path) -> None:
    _tree(tmp_path)
    junit = _junit(tmp_path / "r.xml", [
        ("tests.test_a", "test_one", "passed"),
        ("tests.test_a", "test_two", "failure"),
        ("tests.test_store.test_x.TestStore", "test_get[memory]", "passed"),
        ("tests.test_b", "test_skip", "skipped"),
        ("", "tests.test_b", "error"),
    ])  # fmt: skip
    passed, outcomes = suite.parse_junit([junit], tmp_path)
    assert passed["tests/test_a.py"] == {"tests.test_a::test_one"}
    assert passed["tests/test_store/test_x.py"] == {"tests.test_store.test_x.TestStore::test_get[memory]"}
    assert passed["tests/test_b.py"] == set()
    assert outcomes == {"passed": 2, "failure": 1, "skipped": 1, "error": 1}


def test_table_counts_only_tests_passing_on_both_and_groups_folders(tmp_path: Path) -> None:
    zarr_python = {
        "tests/test_a.py": {"a1", "a2"}, "tests/test_store/test_x.py": {"x1"}, "tests/test_b.py": set()
    }  # fmt: skip
    zarrnb = {"tests/test_a.py": {"a1", "a3"}, "tests/test_store/test_x.py": {"x1"}}
    rows = suite.combine(zarr_python, zarrnb, by_folder=True)
    assert [(r.path, len(r.zarr_python), len(r.zarrnb), r.both) for r in rows] == [
        ("tests/test_a.py", 2, 2, 1), ("tests/test_b.py", 0, 0, 0), ("tests/test_store/", 1, 1, 1),
    ]  # fmt: skip
    table = suite.render_table(rows)
    assert "| `tests/test_a.py` | 2 | 2 | 50 % |" in table
    assert "| `tests/test_b.py` | 0 | 0 | – |" in table
    assert "| **all files** | **3** | **3** | **67 %** |" in table
    assert all(path in table for path in suite.LEFT_OUT)


def test_write_table_replaces_only_the_marked_region(tmp_path: Path) -> None:
    doc = tmp_path / "compat.md"
    doc.write_text("# Title\n\nintro\n")
    suite.write_table(doc, f"{suite.TABLE_START}\nfirst\n{suite.TABLE_END}")
    doc.write_text(doc.read_text() + "\nafter\n")
    suite.write_table(doc, f"{suite.TABLE_START}\nsecond\n{suite.TABLE_END}")
    text = doc.read_text()
    assert text.startswith("# Title\n\nintro\n") and "second" in text and "first" not in text
    assert text.rstrip().endswith("after")


def test_main_fails_when_zarr_python_writes_no_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path / "zarr-3.1.6")
    monkeypatch.setattr(suite, "fetch_suite", lambda work: tmp_path / "zarr-3.1.6")
    monkeypatch.setattr(suite, "run_pytest", lambda root, junit, **kw: (0.0, [junit]))
    assert suite.main(["--work", str(tmp_path), "--no-write"]) == 1


def test_a_zarrnb_run_without_results_counts_as_no_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "zarr-3.1.6"
    _tree(root)
    monkeypatch.setattr(suite, "fetch_suite", lambda work: root)

    def fake_run(root: Path, junit: Path, *, on_zarrnb: bool, **kwargs: object) -> tuple[float, list[Path]]:
        if on_zarrnb:  # conftest.py failed to import: pytest wrote a log, no junit
            junit.with_suffix(".log").write_text("ImportError while loading conftest\n")
            return 1.0, [junit]
        return 1.0, [_junit(junit, [("tests.test_a", "t1", "passed")])]

    monkeypatch.setattr(suite, "run_pytest", fake_run)
    doc = tmp_path / "doc.md"
    assert suite.main(["--work", str(tmp_path), "--doc", str(doc)]) == 0
    assert "ImportError while loading conftest" in capsys.readouterr().out
    assert "| `tests/test_a.py` | 1 | 0 | 0 % |" in doc.read_text()
    assert suite.main(["--work", str(tmp_path), "--doc", str(doc), "--min-passed", "1"]) == 1


def test_main_fails_below_the_pinned_number_of_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "zarr-3.1.6"
    _tree(root)
    monkeypatch.setattr(suite, "fetch_suite", lambda work: root)

    def fake_run(root: Path, junit: Path, *, on_zarrnb: bool, **kwargs: object) -> tuple[float, list[Path]]:
        outcome = "failure" if on_zarrnb else "passed"
        return 1.0, [_junit(junit, [("tests.test_a", "t1", outcome), ("tests.test_a", "t2", "passed")])]

    monkeypatch.setattr(suite, "run_pytest", fake_run)
    doc = tmp_path / "doc.md"
    assert suite.main(["--work", str(tmp_path), "--doc", str(doc), "--min-passed", "1"]) == 0
    assert "| `tests/test_a.py` | 2 | 1 | 50 % |" in doc.read_text()
    assert suite.main(["--work", str(tmp_path), "--doc", str(doc), "--min-passed", "2"]) == 1


def test_zarr_python_results_are_reused_until_fresh_baseline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "zarr-3.1.6"
    _tree(root)
    monkeypatch.setattr(suite, "fetch_suite", lambda work: root)
    sides: list[bool] = []

    def fake_run(root: Path, junit: Path, *, on_zarrnb: bool, **kwargs: object) -> tuple[float, list[Path]]:
        sides.append(on_zarrnb)
        return 1.0, [_junit(junit, [("tests.test_a", "t1", "passed")])]

    monkeypatch.setattr(suite, "run_pytest", fake_run)
    arguments = ["--work", str(tmp_path), "--no-write"]
    assert suite.main(arguments) == 0 and sides == [False, True]
    assert suite.main(arguments) == 0 and sides == [False, True, True]
    assert suite.main([*arguments, "--fresh-baseline"]) == 0 and sides == [False, True, True, False, True]
    assert len(suite.baseline_key()) == 12


@pytest.mark.parametrize(
    ("theirs", "ours"),
    [
        (
            "t.py::test_x[<class 'zarr.core.dtype.npy.int.Int8'>]",
            "t.py::test_x[<class 'zarrnb.dtype.npy.int.Int8'>]",
        ),
        ("t.py::test_f[<function create at 0x7f3a2c>-2]", "t.py::test_f[<function create at 0x7e11b0>-2]"),
    ],
)
def test_ids_match_across_module_paths_and_addresses(theirs: str, ours: str) -> None:
    assert suite.normalize_test_id(theirs) == suite.normalize_test_id(ours)


def test_ids_of_different_cases_stay_different() -> None:
    assert suite.normalize_test_id("t.py::test_x[<class 'a.Int8'>]") != suite.normalize_test_id(
        "t.py::test_x[<class 'a.Int16'>]"
    )
    assert suite.normalize_test_id("t.py::test_plain[a-b]") == "t.py::test_plain[a-b]"
