"""The sync bridge: results, exceptions, running loops, threads, interrupts."""

from __future__ import annotations

import asyncio
import signal
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

import pytest

from zarrnb.api.sync import get_loop, sync, syncify


async def _double(x: int) -> int:
    await asyncio.sleep(0)
    return 2 * x


class _Custom(Exception):
    pass


async def _fail_deep() -> None:
    await asyncio.sleep(0)
    raise _Custom("boom at key 'a/b'")


def test_sync_returns_the_result() -> None:
    assert sync(_double(21)) == 42


def test_runs_on_one_daemon_thread() -> None:
    async def thread_name() -> str:
        return threading.current_thread().name

    names = {sync(thread_name()) for _ in range(3)}
    assert names == {"zarrnb-io"}
    assert get_loop() is get_loop()
    assert threading.current_thread().name not in names


def test_exception_keeps_its_type_and_traceback() -> None:
    with pytest.raises(_Custom, match="a/b") as info:
        sync(_fail_deep())
    frames = [frame.name for frame in traceback.extract_tb(info.value.__traceback__)]
    assert "_fail_deep" in frames


def test_works_inside_a_running_event_loop() -> None:
    async def notebook_cell() -> int:
        # as in a Jupyter cell: a loop is already running in this thread
        asyncio.get_running_loop()
        return sync(_double(5))

    assert asyncio.run(notebook_cell()) == 10


def test_works_from_many_threads_at_once() -> None:
    async def slow_double(x: int) -> int:
        await asyncio.sleep(0.01)
        return 2 * x

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda x: sync(slow_double(x)), range(40)))
    assert results == [2 * x for x in range(40)]


def test_keyboard_interrupt_cancels_the_coroutine() -> None:
    started = threading.Event()
    cancelled = threading.Event()

    async def forever() -> None:
        try:
            await asyncio.sleep(0.1)  # the caller is waiting by now, as when a user presses Ctrl-C
            started.set()
            await asyncio.sleep(20)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    main = threading.main_thread().ident
    assert main is not None

    def interrupt() -> None:
        # what Jupyter's interrupt button does: a real SIGINT to the kernel's main thread
        started.wait(5)
        signal.pthread_kill(main, signal.SIGINT)

    # Python's own SIGINT handler, as in a kernel: an earlier test's event loop may have left one
    # of asyncio's, which turns the first Ctrl-C into a task cancellation instead of raising
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        threading.Thread(target=interrupt, daemon=True).start()
        begin = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            sync(forever())
    finally:
        signal.signal(signal.SIGINT, previous)
    assert cancelled.wait(5)
    assert time.monotonic() - begin < 10


def test_timeout_cancels_the_coroutine() -> None:
    cancelled = threading.Event()

    async def forever() -> None:
        try:
            await asyncio.sleep(20)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    with pytest.raises(TimeoutError):
        sync(forever(), timeout=0.05)
    assert cancelled.wait(5)


def test_calling_sync_from_the_loop_thread_is_refused() -> None:
    async def reentrant() -> int:
        return sync(_double(1))

    with pytest.raises(RuntimeError, match="own event loop thread"):
        sync(reentrant())


def test_syncify_keeps_name_and_doc() -> None:
    async def add(a: int, b: int = 1) -> int:
        """Add two numbers."""
        return a + b

    blocking = syncify(add)
    assert blocking(2, b=3) == 5
    assert blocking.__name__ == "add"
    assert blocking.__doc__ == "Add two numbers."
