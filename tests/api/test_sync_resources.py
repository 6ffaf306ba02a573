"""The sync bridge's zarr-python surface: ``loop``, ``_get_loop``, ``_get_executor``, ``cleanup_resources``,
``sync(loop=...)``'s checks and ``SyncMixin``."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator

import numpy as np
import pytest

import zarrnb
from zarrnb.api import sync as bridge
from zarrnb.api.sync import SyncError, SyncMixin, cleanup_resources, collect_aiterator, sync


@pytest.fixture
def fresh_bridge() -> Iterator[None]:
    cleanup_resources()
    yield
    cleanup_resources()


async def _answer() -> int:
    await asyncio.sleep(0)
    return 42


def test_loop_list_follows_the_bridge(fresh_bridge: None) -> None:
    assert bridge.loop == [None]
    started = bridge._get_loop()
    assert bridge.loop[0] is started is bridge.get_loop()
    assert bridge._get_lock() is bridge._get_lock()
    cleanup_resources()
    cleanup_resources()  # idempotent
    assert bridge.loop == [None] and started.is_closed()
    assert sync(_answer()) == 42  # a fresh loop on next use
    assert bridge.loop[0] is not started


@pytest.mark.parametrize("workers", [None, 1, 3])
def test_max_workers_sizes_the_default_executor(fresh_bridge: None, workers: int | None) -> None:
    with zarrnb.config.set({"threading.max_workers": workers}):
        a = zarrnb.zeros(shape=(4,), chunks=(2,))
        a[:] = np.arange(4)
        assert sync(_answer()) == 42
        event_loop = bridge.loop[0]
        assert event_loop is not None
        if workers is None:
            assert event_loop._default_executor is None  # type: ignore[attr-defined]
        else:
            assert bridge._executor is event_loop._default_executor  # type: ignore[attr-defined]
            assert bridge._get_executor()._max_workers == workers  # type: ignore[attr-defined]

            async def thread_name() -> str:
                return await asyncio.to_thread(lambda: threading.current_thread().name)

            assert sync(thread_name()).startswith("zarrnb-pool")


def test_sync_on_a_given_loop() -> None:
    other = asyncio.new_event_loop()
    thread = threading.Thread(target=other.run_forever, daemon=True)
    thread.start()
    try:

        async def which() -> asyncio.AbstractEventLoop:
            return asyncio.get_running_loop()

        assert sync(which(), loop=other) is other
        assert sync(which()) is bridge.get_loop()
    finally:
        other.call_soon_threadsafe(other.stop)
        thread.join()
        other.close()
    with pytest.raises(RuntimeError, match="closed"):
        sync(_answer(), loop=other)


def test_sync_checks_its_arguments() -> None:
    with pytest.raises(TypeError, match="coroutine"):
        sync("not a coroutine")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="loop cannot be"):
        sync(_answer(), loop=1)  # type: ignore[arg-type]

    async def nested() -> int:
        return sync(_answer())

    with pytest.raises(SyncError, match="own event loop thread"):
        sync(nested())


def test_sync_mixin_and_collect_aiterator() -> None:
    async def numbers() -> AsyncIterator[int]:
        for i in range(5):
            yield i

    class Wrapper(SyncMixin):
        def answer(self) -> int:
            return self._sync(_answer())

        def numbers(self) -> list[int]:
            return self._sync_iter(numbers())

    assert Wrapper().answer() == 42
    assert Wrapper().numbers() == [0, 1, 2, 3, 4]
    assert collect_aiterator(numbers()) == (0, 1, 2, 3, 4)
    assert sync(bridge._collect_aiterator(numbers())) == (0, 1, 2, 3, 4)

    async def slow() -> None:
        await asyncio.sleep(1)

    with zarrnb.config.set({"async.timeout": 0.01}), pytest.raises(TimeoutError):
        Wrapper()._sync(slow())
