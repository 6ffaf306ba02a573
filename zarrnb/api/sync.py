"""The bridge from synchronous code to the async engine: one daemon event-loop thread.

Every coroutine of the sync API runs on this one loop, so the sync API works the same
in a script, in a worker thread and inside Jupyter's running loop, without patching asyncio.

Small calls on in-process stores skip the loop (``sync_inline``): the same coroutine is driven
on the caller's thread, with a stand-in running loop that refuses every use. A coroutine that
completes without waiting for anything (a dict lookup, a small file read) costs no thread
handoff; one that asks for the loop (a thread hop, a task) is abandoned at that point and run
again from the start on the bridge loop, so only calls that may safely be repeated go inline.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import os
import threading
from asyncio import events
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

from zarrnb.abc.store import Store as _Store
from zarrnb.config import config as _config
from zarrnb.storage import StorePath as _StorePath

__all__ = [
    "SyncError",
    "SyncMixin",
    "blocking_method",
    "cleanup_resources",
    "collect",
    "collect_aiterator",
    "forwarded_property",
    "get_loop",
    "inline_store",
    "loop",
    "sync",
    "sync_inline",
    "syncify",
]

T = TypeVar("T")
P = ParamSpec("P")

_lock = threading.Lock()
# the bridge's loop and thread, in one-element lists as zarr-python keeps them (``zarr.core.sync.loop``),
# so a module that imported the list sees the loop of the moment
loop: list[asyncio.AbstractEventLoop | None] = [None]
iothread: list[threading.Thread | None] = [None]
_thread_id: int | None = None  # the loop thread's ident, for a cheap "am I the loop thread?" test
# the loop's default executor (``asyncio.to_thread``), made when ``threading.max_workers`` is set
_executor: ThreadPoolExecutor | None = None


def _run_forever(event_loop: asyncio.AbstractEventLoop) -> None:
    asyncio.set_event_loop(event_loop)
    event_loop.run_forever()


def get_loop() -> asyncio.AbstractEventLoop:
    """Return the bridge's event loop, starting its daemon thread on first use."""
    global _thread_id
    with _lock:
        current, thread = loop[0], iothread[0]
        if current is None or thread is None or not thread.is_alive():
            current = loop[0] = asyncio.new_event_loop()
            thread = iothread[0] = threading.Thread(
                target=_run_forever, args=(current,), name="zarrnb-io", daemon=True
            )
            thread.start()
            _thread_id = thread.ident
        return current


def _get_lock() -> threading.Lock:
    """The lock guarding the bridge's loop and thread (zarr-python's ``_get_lock``)."""
    return _lock


def _get_executor() -> ThreadPoolExecutor:
    """The bridge loop's default executor, ``threading.max_workers`` threads, made on first use.

    Blocking store work (``asyncio.to_thread``) runs there; codec work has its own pool, sized by
    the same setting (``zarrnb.core.chunk_schedule.codec_executor``).
    """
    global _executor
    if _executor is None:
        workers = _config.get("threading.max_workers", None)
        _executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="zarrnb-pool")
        get_loop().set_default_executor(_executor)
    return _executor


def cleanup_resources() -> None:
    """Stop and close the bridge loop, its thread and its executor; the next call starts fresh ones."""
    global _executor, _thread_id
    if threading.get_ident() == _thread_id:
        raise SyncError("cleanup_resources() cannot run on the bridge loop's own thread")
    if _executor is not None:
        _executor.shutdown(wait=True, cancel_futures=True)
        _executor = None
    with _lock:
        current, thread = loop[0], iothread[0]
        loop[0] = iothread[0] = None
        _thread_id = None
    if current is None or current.is_closed():
        return
    current.call_soon_threadsafe(current.stop)
    if thread is not None:
        thread.join(timeout=5)
    if thread is None or not thread.is_alive():
        current.close()


# zarr-python's names for the same things
_get_loop = get_loop


def _forget_loop_after_fork() -> None:
    """A forked child has no copy of the loop thread or the pool: start fresh ones on next use."""
    global _thread_id, _executor
    loop[0] = None
    iothread[0] = None
    _thread_id = None
    _executor = None


os.register_at_fork(after_in_child=_forget_loop_after_fork)


class SyncError(RuntimeError):
    """The sync API was called where it cannot block (zarr-python's ``zarr.core.sync.SyncError``)."""


def _discard(coro: Any) -> None:
    """Close ``coro`` if it is a coroutine that will not run, so it does not warn about never running."""
    if inspect.iscoroutine(coro):
        coro.close()


def _target_loop(coro: Any, event_loop: Any) -> asyncio.AbstractEventLoop:
    """The loop ``sync`` runs ``coro`` on, after zarr-python's checks of the loop and the coroutine."""
    if event_loop is None:
        event_loop = get_loop()
        if _executor is None and _config.get("threading.max_workers", None) is not None:
            _get_executor()
    if not isinstance(event_loop, asyncio.AbstractEventLoop):
        _discard(coro)
        raise TypeError(f"loop cannot be of type {type(event_loop)}")
    if event_loop.is_closed():
        _discard(coro)
        raise RuntimeError("sync() was given a closed event loop")
    if events._get_running_loop() is event_loop:
        _discard(coro)
        raise SyncError(
            "zarrnb's sync API was called from inside its own event loop thread; await the async API instead"
        )
    if not asyncio.iscoroutine(coro):
        raise TypeError(f"sync() needs a coroutine, got {type(coro).__name__}")
    return event_loop


def sync(
    coro: Coroutine[Any, Any, T],
    loop: asyncio.AbstractEventLoop | None = None,
    timeout: float | None = None,
) -> T:
    """Run ``coro`` on ``loop`` (the bridge's own by default, started on first use) and wait for its result.

    Exceptions surface with their own type and traceback; a KeyboardInterrupt (or a timeout)
    while waiting cancels the coroutine before propagating.
    """
    target = _target_loop(coro, loop)
    # a bare lock handoff: cheaper than concurrent.futures' condition and callbacks (~10 µs a call)
    done = threading.Lock()
    done.acquire()
    tasks: list[asyncio.Task[T]] = []

    def start() -> None:
        task = target.create_task(coro)
        task.add_done_callback(lambda _: done.release())
        tasks.append(task)

    scheduled = False
    try:
        # inside the try: a Ctrl-C landing between scheduling and waiting still cancels
        target.call_soon_threadsafe(start)
        scheduled = True
        if not done.acquire(timeout=-1 if timeout is None else timeout):
            raise TimeoutError(f"the coroutine {coro.__qualname__} did not finish within {timeout} s")
    except BaseException:
        if scheduled:
            # queued after ``start``, so the task exists by the time this runs
            target.call_soon_threadsafe(lambda: tasks[0].cancel())
        else:
            coro.close()
        raise
    return tasks[0].result()


class _NeedsLoop(BaseException):
    """Raised inside a coroutine run inline when it asks for the event loop (a BaseException, so
    ``except Exception`` handlers in the engine let it through unchanged)."""


class _NoLoop:
    """The running loop while a coroutine runs inline: any use of it means the call must go to the
    bridge loop. No task or future is ever made on it; a coroutine handed to it is closed."""

    def create_task(self, coro: Any, **kwargs: Any) -> Any:
        coro.close()
        raise _NeedsLoop("create_task")

    def __getattr__(self, name: str) -> Any:
        raise _NeedsLoop(name)

    def __hash__(self) -> int:
        # ``asyncio.current_task()`` looks the running loop up in a dict: a task is needed
        raise _NeedsLoop("current_task")


_NO_LOOP = _NoLoop()


def _close_unstarted(traceback: Any) -> None:
    """Close coroutines created but never started in the frames a ``_NeedsLoop`` unwound (e.g. the
    rest of an ``asyncio.gather``'s arguments), so none warns that it was never awaited."""
    while traceback is not None:
        for value in list(traceback.tb_frame.f_locals.values()):
            for item in value if isinstance(value, tuple | list) else (value,):
                if inspect.iscoroutine(item) and inspect.getcoroutinestate(item) == inspect.CORO_CREATED:
                    item.close()
        traceback = traceback.tb_next


def _run_inline(coro: Coroutine[Any, Any, T]) -> T:
    """Drive ``coro`` to completion on this thread; ``_NeedsLoop`` when it needs a real loop."""
    previous = events._get_running_loop()
    events._set_running_loop(_NO_LOOP)  # type: ignore[arg-type]
    try:
        while True:
            # a bare yield (``asyncio.sleep(0)``) only offers to let others run: go on at once
            if coro.send(None) is not None:
                raise _NeedsLoop("a future")
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    finally:
        try:
            coro.close()  # a no-op once finished; a suspended one unwinds still without a loop
        finally:
            events._set_running_loop(previous)


def inline_store(store_like: Any) -> bool:
    """Whether calls on ``store_like`` may try the inline path: a store (or store path) that says
    its calls complete in-process, a dict, or a local path; never a URL of a remote file system."""
    if isinstance(store_like, _Store):
        return store_like.supports_inline_calls  # type: ignore[no-any-return]
    if isinstance(store_like, _StorePath):
        return store_like.store.supports_inline_calls  # type: ignore[no-any-return]
    if store_like is None or isinstance(store_like, dict | os.PathLike):
        return True
    return isinstance(store_like, str) and ("://" not in store_like or store_like.startswith("file://"))


def sync_inline(make: Callable[[], Coroutine[Any, Any, T]], store_like: Any) -> T:
    """``sync(make())``, first tried on this thread without the loop when ``store_like`` allows it.

    ``make`` must build a call that may run twice (reads, opens, element writes): when the inline
    try stops because the coroutine needs the loop, a fresh coroutine runs on the loop instead.
    """
    if not inline_store(store_like) or threading.get_ident() == _thread_id:
        return sync(make())
    coro = make()
    try:
        return contextvars.copy_context().run(_run_inline, coro)
    except _NeedsLoop as stop:
        # from the frame below this one: reading this frame's locals would keep ``stop`` in a
        # snapshot that its own traceback holds, a cycle that keeps every frame of the abandoned
        # try (and a read's output array) alive until the next collection
        _close_unstarted(stop.__traceback__.tb_next)
        del stop
    return sync(make())


def syncify(method: Callable[P, Awaitable[T]]) -> Callable[P, T]:
    """Turn an async function into a blocking one with the same name, signature and docstring."""

    @functools.wraps(method)
    def blocking(*args: P.args, **kwargs: P.kwargs) -> T:
        return sync(method(*args, **kwargs))  # type: ignore[arg-type]

    return blocking


async def collect(iterator: AsyncIterator[T]) -> list[T]:
    """Drain an async iterator into a list (so one ``sync`` call fetches a whole listing)."""
    return [item async for item in iterator]


async def _collect_aiterator(data: AsyncIterator[T]) -> tuple[T, ...]:
    """Drain an async iterator into a tuple (zarr-python's ``_collect_aiterator``: a tuple, not a list)."""
    return tuple(await collect(data))


def collect_aiterator(data: AsyncIterator[T]) -> tuple[T, ...]:
    """Drain an async iterator into a tuple from sync code (zarr-python's ``collect_aiterator``)."""
    return sync(_collect_aiterator(data))


class SyncMixin:
    """zarr-python's base for sync wrappers: ``_sync`` runs a coroutine on the bridge, bounded by
    ``async.timeout``; ``_sync_iter`` drains an async iterator into a list."""

    def _sync(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return sync(coroutine, timeout=_config.get("async.timeout"))

    def _sync_iter(self, async_iterator: AsyncIterator[T]) -> list[T]:
        return self._sync(collect(async_iterator))


def blocking_method(
    name: str,
    target: Callable[..., Any],
    *,
    via: str,
    wrap: Callable[[Any], Any] = lambda x: x,
    inline: bool = False,
) -> Callable[..., Any]:
    """A sync method that calls ``self.<via>.<name>(...)`` on the bridge loop and wraps the result.

    ``target`` is the async method, whose name, signature and docstring the sync one takes.
    ``inline`` methods may run twice (reads, element writes) and try ``sync_inline`` first.
    """
    if inline:

        @functools.wraps(target)
        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            node = getattr(self, via)
            return wrap(sync_inline(lambda: getattr(node, name)(*args, **kwargs), node.store))

    else:

        @functools.wraps(target)
        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            return wrap(sync(getattr(getattr(self, via), name)(*args, **kwargs)))

    return method


def forwarded_property(name: str, *, via: str) -> property:
    """A read-only property answering ``self.<via>.<name>``."""
    return property(lambda self: getattr(getattr(self, via), name), doc=f"The wrapped object's ``{name}``.")
