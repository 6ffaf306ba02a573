"""Store requests per operation (the benchmark's counting store): zarrnb reads only what it must."""

from __future__ import annotations

from benchmarks.requests import count_requests, requests_table


def test_format_3_nodes_are_created_and_opened_without_probing_format_2_documents() -> None:
    ours = count_requests("zarrnb")
    # one zarr.json read for the node and one per parent, nothing else
    assert ours["create group"] == {"get": 1, "set": 1}
    assert ours["create array"] == {"get": 2, "set": 2}
    assert ours["create array g/h/b"] == {"get": 4, "set": 4}
    assert ours["open array"] == {"get": 1}
    assert ours["open consolidated + list"] == {"get": 1}
    assert ours["read a window (9 chunks)"] == {"get": 9}


def test_no_operation_makes_more_requests_than_zarr_python() -> None:
    ours, theirs = count_requests("zarrnb"), count_requests("zarr")
    assert ours.keys() == theirs.keys()
    more = {op: (ours[op], theirs[op]) for op in ours if sum(ours[op].values()) > sum(theirs[op].values())}
    assert not more


def test_the_table_lists_every_operation_and_a_total() -> None:
    lines = requests_table().splitlines()
    assert lines[0].split()[:3] == ["operation", "(memory", "store)"]
    assert lines[-1].startswith("total")
    assert len(lines) == 1 + 9 + 1  # header, operations, total
