"""Byte-range arithmetic and path normalisation shared by every store, checked as properties."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zarrnb.abc.store import OffsetByteRequest, RangeByteRequest, SuffixByteRequest
from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.storage import MemoryStore
from zarrnb.storage._utils import (
    byte_range_bounds,
    check_byte_request,
    check_key,
    is_temp_name,
    join_path,
    normalize_path,
    temp_name,
)
from zarrnb.testing.store import expected_slice

sizes = st.integers(min_value=0, max_value=64)
offsets = st.integers(min_value=0, max_value=80)
requests = st.one_of(
    st.none(),
    st.builds(lambda a, b: RangeByteRequest(min(a, b), max(a, b)), offsets, offsets),
    st.builds(OffsetByteRequest, offsets),
    st.builds(SuffixByteRequest, offsets),
)


@settings(max_examples=50, deadline=None)
@given(size=sizes, request=requests)
def test_bounds_match_python_slicing(size: int, request: object) -> None:
    data = bytes(range(size))
    start, stop = byte_range_bounds(request, size)  # type: ignore[arg-type]
    assert 0 <= start <= stop <= size
    assert data[start:stop] == expected_slice(data, request)  # type: ignore[arg-type]


@settings(max_examples=25, deadline=None)
@given(data=st.binary(max_size=64), request=requests)
def test_memory_store_get_agrees(data: bytes, request: object) -> None:
    store = MemoryStore({"k": Buffer.from_bytes(data)})
    got = asyncio.run(store.get("k", default_buffer_prototype(), request))  # type: ignore[arg-type]
    assert got is not None and got.to_bytes() == expected_slice(data, request)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "bad", [RangeByteRequest(5, 2), RangeByteRequest(-1, 2), OffsetByteRequest(-1), SuffixByteRequest(-3)]
)
def test_invalid_requests_are_named(bad: object) -> None:
    with pytest.raises(ValueError, match="invalid byte request"):
        check_byte_request(bad)  # type: ignore[arg-type]


def test_non_requests_are_refused() -> None:
    with pytest.raises(TypeError, match=r"Unexpected byte_range, got \(0, 2\)"):
        check_byte_request((0, 2))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "normal"),
    [(None, ""), ("", ""), ("/", ""), ("/a//b/", "a/b"), ("a\\b", "a/b"), ("a/b/c", "a/b/c")],
)
def test_normalize_path(raw: str | None, normal: str) -> None:
    assert normalize_path(raw) == normal


@pytest.mark.parametrize("raw", ["..", "a/../b", "./a", "a/."])
def test_normalize_path_refuses_dot_segments(raw: str) -> None:
    with pytest.raises(ValueError, match="may not contain"):
        normalize_path(raw)


@given(st.text(alphabet="ab./\\", max_size=8))
@settings(max_examples=500)
def test_normalize_path_shortcut_agrees_with_the_full_rules(raw: str) -> None:
    segments = [s for s in raw.replace("\\", "/").split("/") if s]
    if any(s in (".", "..") for s in segments):
        with pytest.raises(ValueError, match="may not contain"):
            normalize_path(raw)
    else:
        assert normalize_path(raw) == "/".join(segments)


def test_join_path() -> None:
    assert join_path("", "a/", "/b", "") == "a/b"
    assert join_path() == ""


@pytest.mark.parametrize(
    "key",
    [
        "a",
        "a/b",
        ".a",
        "a/..b",
        "...",
        "a/.../b",
        "c/0/1",
        "..a/b.",
        "",
        ".",
        "..",
        "a/",
        "/a",
        "a//b",
        "a/./b",
        "a/../b",
        "./a",
        "a/.",
        "a/..",
        "../a",
        "/",
        "//",
    ],
)
def test_check_key_refuses_exactly_the_empty_and_dot_segments(key: str) -> None:
    bad = any(segment in ("", ".", "..") for segment in key.split("/"))
    if bad:
        with pytest.raises(ValueError, match=r"no empty, '\.' or '\.\.' segments"):
            check_key(key)
    else:
        check_key(key)


def test_temp_names_are_unique_and_recognised(tmp_path: Path) -> None:
    names = {temp_name(str(tmp_path / "k")) for _ in range(1000)}
    assert len(names) == 1000
    assert all(is_temp_name(os.path.basename(n)) and os.path.dirname(n) == str(tmp_path) for n in names)
    assert not is_temp_name("k")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_draws_its_own_temp_names(tmp_path: Path) -> None:
    """Parent and child never make the same temp name (the counter alone would repeat)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report its next name and leave at once
        os.write(write, temp_name("k").encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    child = os.read(read, 1000).decode()
    os.close(read)
    assert child != temp_name("k") and child[:18] != temp_name("k")[:18]
