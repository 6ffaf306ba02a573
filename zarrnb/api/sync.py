"""The bridge from synchronous code to the async engine: one daemon event-loop thread.

Every coroutine of the sync API runs on this one loop, so the sync API works the same
in a script, in a worker thread and inside Jupyter's running loop, without patching asyncio.
"""

from __future__ import annotations

import asyncio
import functools
import os
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

__all__ = ["SyncError", "blocking_method", "collect", "forwarded_property", "get_loop", "sync", "syncify"]

T = TypeVar("T")
P = ParamSpec("P")

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_thread: threading.Thread | None = None


def _run_forever(loop: asyncio.AbstractEventLoop) -> None:
    asyncio.set_event_loop(loop)
    loop.run_forever()


def get_loop() -> asyncio.AbstractEventLoop:
    """Return the bridge's event loop, starting its daemon thread on first use."""
    global _loop, _thread
    with _lock:
        if _loop is None or _thread is None or not _thread.is_alive():
            _loop = asyncio.new_event_loop()
            _thread = threading.Thread(target=_run_forever, args=(_loop,), name="zarrnb-io", daemon=True)
            _thread.start()
        return _loop


def _forget_loop_after_fork() -> None:
    """A forked child has no copy of the loop thread: start a fresh one on next use."""
    global _loop, _thread
    _loop = None
    _thread = None


os.register_at_fork(after_in_child=_forget_loop_after_fork)


class SyncError(RuntimeError):
    """The sync API was called where it cannot block (zarr-python's ``zarr.core.sync.SyncError``)."""


def sync(coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
    """Run ``coro`` on the bridge loop and wait for its result.

    Exceptions surface with their own type and traceback; a KeyboardInterrupt (or a timeout)
    while waiting cancels the coroutine before propagating.
    """
    loop = get_loop()
    if threading.current_thread() is _thread:
        coro.close()
        raise SyncError(
            "zarrnb's sync API was called from inside its own event loop thread; await the async API instead"
        )
    # a bare lock handoff: cheaper than concurrent.futures' condition and callbacks (~10 µs a call)
    done = threading.Lock()
    done.acquire()
    tasks: list[asyncio.Task[T]] = []

    def start() -> None:
        task = loop.create_task(coro)
        task.add_done_callback(lambda _: done.release())
        tasks.append(task)

    scheduled = False
    try:
        # inside the try: a Ctrl-C landing between scheduling and waiting still cancels
        loop.call_soon_threadsafe(start)
        scheduled = True
        if not done.acquire(timeout=-1 if timeout is None else timeout):
            raise TimeoutError(f"the coroutine {coro.__qualname__} did not finish within {timeout} s")
    except BaseException:
        if scheduled:
            # queued after ``start``, so the task exists by the time this runs
            loop.call_soon_threadsafe(lambda: tasks[0].cancel())
        else:
            coro.close()
        raise
    return tasks[0].result()


def syncify(method: Callable[P, Awaitable[T]]) -> Callable[P, T]:
    """Turn an async function into a blocking one with the same name, signature and docstring."""

    @functools.wraps(method)
    def blocking(*args: P.args, **kwargs: P.kwargs) -> T:
        return sync(method(*args, **kwargs))  # type: ignore[arg-type]

    return blocking


async def collect(iterator: AsyncIterator[T]) -> list[T]:
    """Drain an async iterator into a list (so one ``sync`` call fetches a whole listing)."""
    return [item async for item in iterator]


# zarr-python's name for the same thing
_collect_aiterator = collect


def blocking_method(
    name: str, target: Callable[..., Any], *, via: str, wrap: Callable[[Any], Any] = lambda x: x
) -> Callable[..., Any]:
    """A sync method that calls ``self.<via>.<name>(...)`` on the bridge loop and wraps the result.

    ``target`` is the async method, whose name, signature and docstring the sync one takes.
    """

    @functools.wraps(target)
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return wrap(sync(getattr(getattr(self, via), name)(*args, **kwargs)))

    return method


def forwarded_property(name: str, *, via: str) -> property:
    """A read-only property answering ``self.<via>.<name>``."""
    return property(lambda self: getattr(getattr(self, via), name), doc=f"The wrapped object's ``{name}``.")
