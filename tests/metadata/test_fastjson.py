"""``zarrnb.metadata.fastjson``: json.loads results and errors, the collector paused for big documents."""

from __future__ import annotations

import gc
import json
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zarrnb.metadata import fastjson

_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@given(_values, st.booleans())
def test_loads_gives_what_json_loads_gives(value, as_bytes: bool) -> None:
    text = json.dumps(value, indent=2)
    data = text.encode() if as_bytes else text
    assert fastjson.loads(data) == json.loads(data)


@pytest.mark.parametrize(
    "data",
    [b"NaN", b"[Infinity, -Infinity]", b'"\\ud800"', b"18446744073709551616", b"1e400", b"\xef\xbb\xbf{}",
     '{"a": 1, "a": 2}'.encode("utf-16")],
)
def test_loads_keeps_the_standard_librarys_extensions(data: bytes) -> None:
    assert repr(fastjson.loads(data)) == repr(json.loads(data))


@pytest.mark.parametrize("data", [b"{oops", b'{"a": 1,}', b"[1] 2", b'"\xff"', b""])
def test_loads_raises_what_json_loads_raises(data: bytes) -> None:
    with pytest.raises(Exception) as expected:
        json.loads(data)
    with pytest.raises(type(expected.value)) as got:
        fastjson.loads(data)
    assert str(got.value) == str(expected.value)


def test_a_large_document_is_parsed_with_the_collector_paused(monkeypatch) -> None:
    seen: list[bool] = []
    real = json.loads

    def spying(data):
        seen.append(gc.isenabled())
        return real(data)

    monkeypatch.setattr(fastjson.json, "loads", spying)
    big = json.dumps({f"k{i}": [i, {"v": i}] for i in range(fastjson.GC_PAUSE_BYTES // 10)})
    assert gc.isenabled()
    assert fastjson.loads(big) == real(big)
    assert fastjson.loads("[1]") == [1]
    assert seen == [False, True] and gc.isenabled()


def test_a_failing_parse_still_restores_the_collector() -> None:
    with pytest.raises(ValueError):
        fastjson.loads("[" + "1, " * fastjson.GC_PAUSE_BYTES)
    assert gc.isenabled()


def test_pauses_nest_and_keep_a_collector_switched_off_off() -> None:
    with fastjson.gc_paused():
        with fastjson.gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with fastjson.gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_concurrent_pauses_end_with_the_collector_on() -> None:
    inside = threading.Barrier(4)

    def pause() -> None:
        with fastjson.gc_paused():
            inside.wait(timeout=10)

    threads = [threading.Thread(target=pause) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gc.isenabled()
