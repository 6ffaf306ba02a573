"""The async ``Store`` contract and the byte requests stores answer.

Behaviour that follows from other methods (``is_empty``, ``getsize``,
``get_partial_values``, ``delete_dir``, ``clear``, ...) lives here once; a store
overrides it only to be faster.
"""

from __future__ import annotations

import asyncio
import json
from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, AsyncIterator, Coroutine, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar, runtime_checkable

from zarrnb.core.buffer import Buffer, BufferPrototype, default_buffer_prototype
from zarrnb.errors import ReadOnlyError

__all__ = [
    "ByteGetter",
    "ByteRequest",
    "ByteSetter",
    "OffsetByteRequest",
    "RangeByteRequest",
    "Store",
    "SuffixByteRequest",
    "SupportsDeleteSync",
    "SupportsGetSync",
    "SupportsSetSync",
    "SupportsSyncStore",
    "set_or_delete",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RangeByteRequest:
    """Bytes ``start`` up to ``end`` (exclusive); a range past the end is truncated."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class OffsetByteRequest:
    """Every byte from ``offset`` to the end."""

    offset: int


@dataclass(frozen=True, slots=True)
class SuffixByteRequest:
    """The last ``suffix`` bytes; the whole object when it is shorter."""

    suffix: int


ByteRequest = RangeByteRequest | OffsetByteRequest | SuffixByteRequest


def _run_blocking(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion from blocking code: in this thread when no event loop runs here,
    else on a short-lived thread of its own (a running loop cannot be blocked on from inside)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(1, thread_name_prefix="zarrnb-store-sync") as pool:
        return pool.submit(asyncio.run, coro).result()


def _foreign_buffer(value: object) -> bool:
    """Whether ``value`` reads like a Buffer: ``to_bytes``, ``as_buffer_like`` and ``as_numpy_array``
    (what stores call on a value), as zarr-python's buffers do."""
    methods = ("to_bytes", "as_buffer_like", "as_numpy_array")
    return all(callable(getattr(value, name, None)) for name in methods)


def _dir_prefix(prefix: str) -> str:
    """``prefix`` as a directory prefix: '' stays '', 'a' becomes 'a/'."""
    return prefix if prefix == "" or prefix.endswith("/") else prefix + "/"


class Store(ABC):
    """An async key-value store of bytes; keys are '/'-separated strings."""

    _read_only: bool
    _is_open: bool

    def __init__(self, *, read_only: bool = False) -> None:
        self._read_only = read_only
        self._is_open = False

    @classmethod
    async def open(cls, *args: object, **kwargs: object) -> Self:
        """Create the store and open it."""
        store = cls(*args, **kwargs)
        await store._open()
        return store

    async def _open(self) -> None:
        """Acquire what the store needs; a second open is a mistake worth reporting."""
        if self._is_open:
            raise ValueError(f"store is already open: {self}")
        self._is_open = True

    async def _ensure_open(self) -> None:
        if not self._is_open:
            await self._open()

    def close(self) -> None:
        """Release what the store holds; it reopens on next use."""
        self._is_open = False

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        await self._ensure_open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def read_only(self) -> bool:
        """Whether every write is refused."""
        return self._read_only

    def with_read_only(self, read_only: bool = False) -> Store:
        """A store over the same data with ``read_only`` set; stores that can, override this."""
        # the first sentence is zarr-python's word for word: its store tests match on it
        raise NotImplementedError(
            f"with_read_only is not implemented for the {type(self)} store type. "
            f"({type(self).__name__} cannot make a copy with read_only={read_only})"
        )

    def _check_writable(self, key: str | None = None) -> None:
        """Refuse a write before anything is touched."""
        if self.read_only:
            target = f"cannot write {key!r} to {self}" if key is not None else f"cannot write to {self}"
            # the second half is zarr-python's message word for word: code and tests match on it
            raise ReadOnlyError(f"{target}: store was opened in read-only mode and does not support writing")

    def _check_value(self, value: object) -> None:
        """Refuse a ``set`` of anything but a Buffer, as zarr-python does. Another library's buffer
        object with the same reading methods (zarr-python's own ``Buffer``) is accepted as one."""
        if not isinstance(value, Buffer) and not _foreign_buffer(value):
            raise TypeError(
                f"{type(self).__name__}.set(): `value` must be a Buffer instance. "
                f"Got an instance of {type(value)} instead."
            )

    @abstractmethod
    def __eq__(self, value: object) -> bool:
        """Equal stores read and write the same data."""

    # -- reading --------------------------------------------------------------

    @abstractmethod
    async def get(
        self, key: str, prototype: BufferPrototype | None = None, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        """The bytes at ``key`` (or the requested part of them); None when missing.

        ``prototype`` None means :func:`default_buffer_prototype`, as in zarr-python."""

    async def _get_bytes(
        self, key: str, *, prototype: BufferPrototype | None = None, byte_range: ByteRequest | None = None
    ) -> bytes:
        """The bytes at ``key`` as ``bytes``; FileNotFoundError naming the key when missing."""
        buffer = await self.get(key, prototype or default_buffer_prototype(), byte_range)
        if buffer is None:
            raise FileNotFoundError(f"no key {key!r} in {self}")
        return buffer.to_bytes()

    def _get_bytes_sync(
        self,
        key: str = "",
        *,
        prototype: BufferPrototype | None = None,
        byte_range: ByteRequest | None = None,
    ) -> bytes:
        """:meth:`_get_bytes` for blocking code."""
        return _run_blocking(self._get_bytes(key, prototype=prototype, byte_range=byte_range))

    async def _get_json(
        self, key: str, *, prototype: BufferPrototype | None = None, byte_range: ByteRequest | None = None
    ) -> Any:
        """The JSON document at ``key``, parsed; FileNotFoundError when missing."""
        return json.loads(await self._get_bytes(key, prototype=prototype, byte_range=byte_range))

    def _get_json_sync(
        self,
        key: str = "",
        *,
        prototype: BufferPrototype | None = None,
        byte_range: ByteRequest | None = None,
    ) -> Any:
        """:meth:`_get_json` for blocking code."""
        return _run_blocking(self._get_json(key, prototype=prototype, byte_range=byte_range))

    async def get_partial_values(
        self,
        prototype: BufferPrototype,
        key_ranges: Iterable[tuple[str, ByteRequest | None]],
    ) -> list[Buffer | None]:
        """Many ``get`` calls at once, gathered concurrently, results in request order."""
        return list(await asyncio.gather(*(self.get(k, prototype, r) for k, r in key_ranges)))

    async def _get_many(
        self, requests: Iterable[tuple[str, BufferPrototype, ByteRequest | None]]
    ) -> AsyncGenerator[tuple[str, Buffer | None], None]:
        """Yield ``(key, buffer)`` for each request (order not guaranteed)."""
        for key, prototype, byte_range in requests:
            yield key, await self.get(key, prototype, byte_range)

    @abstractmethod
    async def exists(self, key: str) -> bool:
        """Whether ``key`` holds a value."""

    async def getsize(self, key: str) -> int:
        """Size of the value at ``key`` in bytes; FileNotFoundError when missing."""
        value = await self.get(key, default_buffer_prototype())
        if value is None:
            raise FileNotFoundError(f"no key {key!r} in {self}")
        return len(value)

    async def getsize_prefix(self, prefix: str) -> int:
        """Total size of every value under the directory ``prefix``."""
        keys = [key async for key in self.list_prefix(_dir_prefix(prefix))]
        return sum(await asyncio.gather(*(self.getsize(k) for k in keys)))

    async def is_empty(self, prefix: str = "") -> bool:
        """Whether no key lives under the directory ``prefix``."""
        async for _ in self.list_prefix(_dir_prefix(prefix)):
            return False
        return True

    # -- writing --------------------------------------------------------------

    @property
    def supports_writes(self) -> bool:
        """Whether ``set`` works at all (a read-only instance of such a store still refuses)."""
        return True

    @property
    def supports_deletes(self) -> bool:
        return True

    @property
    def supports_partial_writes(self) -> bool:
        """Always False: partial writes are gone from the Zarr 3 store contract."""
        return False

    @property
    def supports_listing(self) -> bool:
        return True

    @property
    def supports_consolidated_metadata(self) -> bool:
        return True

    # -- blocking access from worker threads (optional) ------------------------

    @property
    def supports_inline_calls(self) -> bool:
        """Whether this store's coroutines complete in-process with no event-loop state of their own
        (no sessions, locks or futures bound to a loop; thread hops only through asyncio), so the
        sync API may run a small call on the caller's thread and fall back to its loop."""
        return False

    @property
    def supports_worker_io(self) -> bool:
        """Whether ``read_in_worker``/``write_in_worker`` work: blocking calls an engine may make from
        its codec threads, so a chunk is read or written by the worker that decodes or encodes it."""
        return False

    def read_in_worker(self, key: str, byte_range: ByteRequest | None = None) -> memoryview | None:
        """The value of ``key`` (None when missing), or its ``byte_range``, read in the calling thread
        into a buffer that thread reuses: valid only until that thread's next ``read_in_worker``."""
        raise NotImplementedError(f"{type(self).__name__} has no blocking worker reads")

    def read_ranges_in_worker(
        self, key: str, byte_ranges: Iterable[ByteRequest | None]
    ) -> Iterator[memoryview | None]:
        """``read_in_worker`` of each of ``byte_ranges`` of ``key``, in turn: each view is valid until
        the next is taken. A store may open the value once for all of them."""
        for byte_range in byte_ranges:
            yield self.read_in_worker(key, byte_range)

    def write_in_worker(self, key: str, value: bytes | memoryview) -> None:
        """Write ``value`` at ``key`` in the calling thread, with ``set``'s guarantees."""
        raise NotImplementedError(f"{type(self).__name__} has no blocking worker writes")

    @abstractmethod
    async def set(self, key: str, value: Buffer) -> None:
        """Store ``value`` at ``key``, replacing what was there."""

    async def set_if_not_exists(self, key: str, value: Buffer) -> None:
        """Store ``value`` at ``key`` only when ``key`` is empty."""
        self._check_writable(key)
        if not await self.exists(key):
            await self.set(key, value)

    async def _set_many(self, values: Iterable[tuple[str, Buffer]]) -> None:
        """Many ``set`` calls at once."""
        await asyncio.gather(*(self.set(k, v) for k, v in values))

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Remove ``key``; a missing key is not an error."""

    async def delete_dir(self, prefix: str) -> None:
        """Remove every key under the directory ``prefix`` ('' removes everything)."""
        self._check_writable(prefix)
        if not self.supports_deletes:
            # zarr-python's sentence first: its tests match on it
            raise NotImplementedError(
                f"This method is only available for stores that support deletes. ({type(self).__name__} "
                f"does not; deleting {prefix!r})"
            )
        if prefix == "":
            await self.clear()
            return
        keys = [key async for key in self.list_prefix(_dir_prefix(prefix))]
        await asyncio.gather(*(self.delete(k) for k in keys))

    async def clear(self) -> None:
        """Remove every key in the store."""
        self._check_writable()
        keys = [key async for key in self.list()]
        await asyncio.gather(*(self.delete(k) for k in keys))

    # -- listing --------------------------------------------------------------

    @abstractmethod
    def list(self) -> AsyncIterator[str]:
        """Every key in the store."""

    async def list_prefix(self, prefix: str) -> AsyncIterator[str]:
        """Every key that starts with ``prefix`` (plain string prefix)."""
        async for key in self.list():
            if key.startswith(prefix):
                yield key

    async def list_dir(self, prefix: str) -> AsyncIterator[str]:
        """The names directly under the directory ``prefix``: keys and sub-directories."""
        base = _dir_prefix(prefix)
        seen: set[str] = set()
        async for key in self.list_prefix(base):
            name = key[len(base) :].split("/", 1)[0]
            if name and name not in seen:
                seen.add(name)
                yield name


@runtime_checkable
class ByteGetter(Protocol):
    """Something that reads one value: a ``StorePath``."""

    async def get(
        self, prototype: BufferPrototype, byte_range: ByteRequest | None = None
    ) -> Buffer | None: ...


@runtime_checkable
class ByteSetter(Protocol):
    """Something that reads, writes and deletes one value: a ``StorePath``."""

    async def get(
        self, prototype: BufferPrototype, byte_range: ByteRequest | None = None
    ) -> Buffer | None: ...

    async def set(self, value: Buffer) -> None: ...

    async def delete(self) -> None: ...

    async def set_if_not_exists(self, default: Buffer) -> None: ...


@runtime_checkable
class SupportsGetSync(Protocol):
    """A store that reads without an event loop (``MemoryStore``, ``LocalStore``)."""

    def get_sync(
        self, key: str, *, prototype: BufferPrototype | None = None, byte_range: ByteRequest | None = None
    ) -> Buffer | None: ...


@runtime_checkable
class SupportsSetSync(Protocol):
    """A store that writes without an event loop."""

    def set_sync(self, key: str, value: Buffer) -> None: ...


@runtime_checkable
class SupportsDeleteSync(Protocol):
    """A store that deletes without an event loop."""

    def delete_sync(self, key: str) -> None: ...


@runtime_checkable
class SupportsSyncStore(SupportsGetSync, SupportsSetSync, SupportsDeleteSync, Protocol):
    """All three blocking methods."""


async def set_or_delete(byte_setter: ByteSetter, value: Buffer | None) -> None:
    """Write ``value``, or delete the key when ``value`` is None (an all-fill chunk)."""
    if value is None:
        await byte_setter.delete()
    else:
        await byte_setter.set(value)
