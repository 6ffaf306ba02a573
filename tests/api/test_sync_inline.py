"""The inline path of the sync bridge: small calls on in-process stores run on the caller's thread,
with the same results and errors as on the loop, and fall back to the loop when they need it."""

from __future__ import annotations

import asyncio
import contextvars
import gc
import threading
import warnings
import weakref

import numpy as np
import pytest

import zarrnb
from zarrnb.api.sync import inline_store, sync_inline
from zarrnb.storage import LocalStore, MemoryStore

_marker: contextvars.ContextVar[str] = contextvars.ContextVar("marker", default="unset")


async def _where() -> str:
    return threading.current_thread().name


async def _waits() -> str:
    await asyncio.sleep(0.001)  # a real timer: needs the loop
    return threading.current_thread().name


async def _gathers() -> list[int]:
    async def one(i: int) -> int:
        return i

    return await asyncio.gather(*(one(i) for i in range(5)))


def test_a_call_that_completes_at_once_runs_on_the_callers_thread() -> None:
    assert sync_inline(_where, MemoryStore()) == threading.current_thread().name


def test_a_call_that_needs_the_loop_runs_again_there() -> None:
    calls = []

    def make():
        calls.append(1)
        return _waits()

    assert sync_inline(make, MemoryStore()) == "zarrnb-io"
    assert len(calls) == 2


def test_an_abandoned_inline_try_frees_what_it_made_at_once() -> None:
    # a read's output array made by the inline try must not wait for a collection (it would hold
    # memory the retry could reuse): nothing may keep the abandoned frames alive in a cycle
    made: list[weakref.ref[object]] = []

    class Made:
        pass

    async def make_then_wait() -> str:
        thing = Made()
        made.append(weakref.ref(thing))
        return await _waits()

    gc.disable()
    try:
        assert sync_inline(make_then_wait, MemoryStore()) == "zarrnb-io"
        assert len(made) == 2 and made[0]() is None
    finally:
        gc.enable()


def test_a_call_that_asks_for_its_task_runs_on_the_loop() -> None:
    async def task_name() -> str:
        task = asyncio.current_task()
        assert task is not None
        return threading.current_thread().name

    assert sync_inline(task_name, MemoryStore()) == "zarrnb-io"


def test_abandoned_coroutines_do_not_warn() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert sync_inline(_gathers, MemoryStore()) == [0, 1, 2, 3, 4]
        gc.collect()
    assert not [str(w.message) for w in caught if "never awaited" in str(w.message)]


def test_remote_or_intercepting_stores_stay_on_the_loop() -> None:
    class Counting(MemoryStore):
        async def get(self, key, prototype, byte_range=None):
            return await super().get(key, prototype, byte_range)

    assert not inline_store(Counting())
    assert not inline_store("s3://bucket/x")
    assert inline_store("some/local/dir") and inline_store(MemoryStore()) and inline_store(None)
    assert sync_inline(_where, Counting()) == "zarrnb-io"


def test_context_changes_inside_do_not_leak() -> None:
    async def sets() -> str:
        _marker.set("inside")
        return _marker.get()

    assert sync_inline(sets, MemoryStore()) == "inside"
    assert _marker.get() == "unset"


def test_a_running_loop_in_the_caller_is_left_in_place() -> None:
    async def cell() -> tuple[str, bool]:
        loop = asyncio.get_running_loop()
        name = sync_inline(_where, MemoryStore())
        return name, asyncio.get_running_loop() is loop

    name, same = asyncio.run(cell())
    assert same and name == threading.current_thread().name


@pytest.mark.parametrize("local", [False, True])
def test_array_reads_and_writes_match_the_loop(tmp_path, local: bool) -> None:
    store = LocalStore(tmp_path / "a") if local else MemoryStore()
    assert store.supports_inline_calls
    a = zarrnb.create_array(store=store, shape=(40, 30), chunks=(8, 8), dtype="i4", fill_value=-1)
    data = np.arange(1200, dtype="i4").reshape(40, 30)
    a[...] = data  # several chunks: may go to the loop
    a[3, 4] = 99  # one element: inline
    data[3, 4] = 99
    assert a[3, 4] == 99 and a[3, 4].shape == ()
    np.testing.assert_array_equal(a[...], data)
    np.testing.assert_array_equal(a[1:5, 2:9], data[1:5, 2:9])
    np.testing.assert_array_equal(a.vindex[[0, 39], [29, 0]], data[[0, 39], [29, 0]])
    with pytest.raises(IndexError):
        a[40, 0]
    with pytest.raises(ValueError, match="shape"):
        a[0:2, 0:2] = np.zeros((3, 3))
    reopened = zarrnb.open_array(store=store, mode="r")
    np.testing.assert_array_equal(reopened[...], data)


def test_a_big_read_falls_back_and_reads_right() -> None:
    store = MemoryStore()
    a = zarrnb.create_array(store=store, shape=(1024, 1024), chunks=(256, 256), dtype="f8", compressors=None)
    data = np.random.default_rng(0).random((1024, 1024))
    a[...] = data
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        np.testing.assert_array_equal(a[...], data)
        gc.collect()
    assert not [str(w.message) for w in caught if "never awaited" in str(w.message)]


def test_many_windows_of_memory_chunks_stay_on_the_callers_thread(monkeypatch) -> None:
    """A MemoryStore answers at once, so reads and writes of many windows of small chunks fetch
    window after window without a task: the whole call runs inline, never through the loop."""
    store = MemoryStore()
    a = zarrnb.create_array(store=store, shape=(64, 64), chunks=(4, 4), dtype="f4", compressors=None)
    data = np.random.default_rng(0).random((64, 64), dtype=np.float32)
    points = (np.arange(0, 63, 3), np.arange(63, 0, -3))

    def refuse(coro, *args, **kwargs):  # type: ignore[no-untyped-def]
        coro.close()
        raise AssertionError("went to the event loop")

    monkeypatch.setattr(zarrnb.api.sync, "sync", refuse)
    for concurrency in (4, 40):  # 256 chunks: 64 windows, or 7 long enough to split elsewhere
        with zarrnb.config.set({"async.concurrency": concurrency, "threading.max_workers": 2}):
            _writes_and_reads(a, data, points)


def _writes_and_reads(a: zarrnb.Array, data: np.ndarray, points: tuple[np.ndarray, ...]) -> None:
    a[...] = data
    a[1:63, 2:61] = data[1:63, 2:61] * 2  # partial chunks: read, merged, written back
    expected = data.copy()
    expected[1:63, 2:61] *= 2
    np.testing.assert_array_equal(a[...], expected)
    np.testing.assert_array_equal(a.vindex[points], expected[points])
    a.vindex[points] = -expected[points]
    expected[points] *= -1
    np.testing.assert_array_equal(a[...], expected)
    a[8:40] = 0  # empty chunks: deleted, several a window
    expected[8:40] = 0
    np.testing.assert_array_equal(a[...], expected)
    assert not [k for k in a.store._store_dict if k.startswith("c/") and 2 <= int(k.split("/")[1]) < 10]
