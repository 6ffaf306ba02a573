"""A store in a Python dict: the fastest store, and the default for scratch work."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterable, MutableMapping

from zarrnb.abc.store import ByteRequest, Store
from zarrnb.core.buffer import Buffer, BufferPrototype, default_buffer_prototype
from zarrnb.storage._utils import byte_range_bounds

__all__ = ["MemoryStore"]

# the methods a subclass overrides to see every read or write
_IO_METHODS = ("get", "get_partial_values", "set", "_set_many", "delete", "exists")


class MemoryStore(Store):
    """Keys and Buffers in a mutable mapping; ``get``/``set`` are a dict operation plus a wrap."""

    def __init__(
        self, store_dict: MutableMapping[str, Buffer] | None = None, *, read_only: bool = False
    ) -> None:
        super().__init__(read_only=read_only)
        self._store_dict: MutableMapping[str, Buffer] = {} if store_dict is None else store_dict
        # the process whose memory holds the dict: a copy in another process (pickled to a dask
        # worker, forked) would take writes that nobody ever sees
        self._owner_pid = os.getpid()

    def with_read_only(self, read_only: bool = False) -> MemoryStore:
        """A store over the same dict."""
        store = type(self)(self._store_dict, read_only=read_only)
        store._owner_pid = self._owner_pid
        return store

    def __str__(self) -> str:
        return f"memory://{id(self._store_dict)}"

    def __repr__(self) -> str:
        return f"MemoryStore('{self}')"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, type(self))
            and self.read_only == other.read_only
            and self._store_dict == other._store_dict
        )

    __hash__ = None  # type: ignore[assignment]

    def _check_writable(self, key: str | None = None) -> None:
        """Refuse writes to a copy of the store in another process: they would be silently lost."""
        if os.getpid() != self._owner_pid and isinstance(self._store_dict, dict):
            target = f"cannot write {key!r}: " if key is not None else ""
            raise RuntimeError(
                f"{target}{self} is an in-memory store created in process {self._owner_pid} and copied "
                f"into process {os.getpid()} (e.g. a dask worker); writes here would be lost. "
                "Write to a LocalStore, ZipStore or remote store instead, or use dask's threaded scheduler"
            )
        super()._check_writable(key)

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls._plain_io = all(getattr(cls, name) is getattr(MemoryStore, name) for name in _IO_METHODS)

    _plain_io = True

    @property
    def supports_inline_calls(self) -> bool:
        """True unless a subclass intercepts reads or writes (it may await anything)."""
        return self._plain_io

    @staticmethod
    def _wrap(value: object, prototype: BufferPrototype) -> Buffer:
        if isinstance(value, prototype.buffer):
            return value
        return prototype.buffer(value.as_numpy_array() if isinstance(value, Buffer) else value)  # type: ignore[arg-type]

    def get_sync(
        self, key: str, *, prototype: BufferPrototype | None = None, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        """``get`` without an event loop: a dict lookup and a wrap (zarr-python's SupportsGetSync)."""
        value = self._store_dict.get(key)
        if value is None:
            return None
        buffer = self._wrap(value, prototype or default_buffer_prototype())
        if byte_range is None:
            return buffer
        start, stop = byte_range_bounds(byte_range, len(buffer))
        return buffer[start:stop]

    async def get(
        self, key: str, prototype: BufferPrototype | None = None, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        return self.get_sync(key, prototype=prototype, byte_range=byte_range)

    async def get_partial_values(
        self, prototype: BufferPrototype, key_ranges: Iterable[tuple[str, ByteRequest | None]]
    ) -> list[Buffer | None]:
        if not self._plain_io:  # a subclass's ``get`` sees every read
            return [await self.get(key, prototype, byte_range) for key, byte_range in key_ranges]
        # no coroutine per key: this runs once per window of chunks
        found = self._store_dict.get
        wanted = prototype.buffer
        results: list[Buffer | None] = []
        for key, byte_range in key_ranges:
            value = found(key)
            if value is None or byte_range is not None or type(value) is not wanted:
                results.append(self.get_sync(key, prototype=prototype, byte_range=byte_range))
            else:
                results.append(value)
        return results

    async def exists(self, key: str) -> bool:
        return key in self._store_dict

    async def getsize(self, key: str) -> int:
        value = self._store_dict.get(key)
        if value is None:
            raise FileNotFoundError(f"no key {key!r} in {self}")
        return len(value)

    def set_sync(self, key: str, value: Buffer) -> None:
        """``set`` without an event loop (zarr-python's SupportsSetSync)."""
        self._check_writable(key)
        self._check_value(value)
        self._store_dict[key] = value

    async def set(self, key: str, value: Buffer, byte_range: tuple[int, int] | None = None) -> None:
        """Store ``value`` at ``key``; with ``byte_range=(start, stop)`` it replaces those bytes of the
        stored value instead (zarr-python's partial write; the lengths must agree)."""
        if byte_range is not None:
            self._check_value(value)
            value = self._spliced(key, value, byte_range)
        self.set_sync(key, value)

    def _spliced(self, key: str, value: Buffer, byte_range: tuple[int, int]) -> Buffer:
        """The stored value at ``key`` with bytes ``start:stop`` replaced by ``value`` (a new buffer)."""
        stored = self._store_dict.get(key)
        if stored is None:
            raise KeyError(f"byte_range write to {key!r}: no value stored there")
        start, stop = byte_range
        data = bytearray(stored.to_bytes())
        if not 0 <= start <= stop <= len(data) or stop - start != len(value):
            raise ValueError(
                f"byte_range {byte_range} of {key!r} ({len(data)} bytes) cannot take {len(value)} bytes"
            )
        data[start:stop] = value.to_bytes()
        return type(stored).from_bytes(bytes(data))

    async def set_if_not_exists(self, key: str, value: Buffer) -> None:
        self._check_writable(key)
        self._check_value(value)
        self._store_dict.setdefault(key, value)

    async def _set_many(self, values: Iterable[tuple[str, Buffer]]) -> None:
        if not self._plain_io:  # a subclass's ``set`` sees every write
            for key, value in values:
                await self.set(key, value)
            return
        # what ``set`` checks per key, with the process and read-only checks once per batch
        checked = False
        for key, value in values:
            if not checked:
                self._check_writable(key)
                checked = True
            self._check_value(value)
            self._store_dict[key] = value

    def delete_sync(self, key: str) -> None:
        """``delete`` without an event loop (zarr-python's SupportsDeleteSync); a missing key is fine."""
        self._check_writable(key)
        self._store_dict.pop(key, None)

    async def delete(self, key: str) -> None:
        self.delete_sync(key)

    async def clear(self) -> None:
        self._check_writable()
        self._store_dict.clear()

    async def list(self) -> AsyncIterator[str]:
        for key in list(self._store_dict):
            yield key

    async def list_prefix(self, prefix: str) -> AsyncIterator[str]:
        for key in [k for k in self._store_dict if k.startswith(prefix)]:
            yield key

    async def list_dir(self, prefix: str) -> AsyncIterator[str]:
        """The names directly under ``prefix``, from the dict's keys (not through ``list_prefix``).

        zarr-python's MemoryStore lists a directory on its own too, so a wrapper counting
        ``list_prefix`` calls (xarray's instrumented store tests) sees the same calls on both.
        """
        base = prefix.rstrip("/") + "/" if prefix.rstrip("/") else ""
        # in the dict's order, each name once
        names = dict.fromkeys(
            key[len(base) :].split("/", 1)[0] for key in list(self._store_dict) if key.startswith(base)
        )
        for name in names:
            if name:
                yield name
