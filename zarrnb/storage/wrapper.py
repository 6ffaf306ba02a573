"""``WrapperStore``: a store that forwards everything to another; subclass it to intercept calls."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Iterable
from typing import Any, Generic, Self, TypeVar

from zarrnb.abc.store import ByteRequest, Store
from zarrnb.core.buffer import Buffer, BufferPrototype, default_buffer_prototype

__all__ = ["WrapperStore"]

T_Store = TypeVar("T_Store", bound=Store)


class WrapperStore(Store, Generic[T_Store]):
    """Forwards every call to ``store``; override a method to change or observe it."""

    _store: T_Store

    def __init__(self, store: T_Store) -> None:
        # no Store.__init__: read_only and _is_open live in the wrapped store
        self._store = store

    @classmethod
    async def open(cls, store_cls: type[T_Store], *args: Any, **kwargs: Any) -> Self:  # type: ignore[override]
        """Open ``store_cls(*args, **kwargs)`` and wrap it."""
        return cls(await store_cls.open(*args, **kwargs))

    def _with_store(self, store: T_Store) -> Self:
        """A wrapper like this one around another store (subclasses with more state override it)."""
        return type(self)(store)

    @property
    def _is_open(self) -> bool:  # type: ignore[override]
        return self._store._is_open

    @_is_open.setter
    def _is_open(self, value: bool) -> None:
        # the open state is the wrapped store's: only its own _open/close change it
        raise NotImplementedError(f"{type(self).__name__} must be opened via the `_open` method")

    async def _open(self) -> None:
        await self._store._open()

    async def _ensure_open(self) -> None:
        await self._store._ensure_open()

    def close(self) -> None:
        self._store.close()

    @property
    def read_only(self) -> bool:
        return self._store.read_only

    def with_read_only(self, read_only: bool = False) -> Self:
        return self._with_store(self._store.with_read_only(read_only))  # type: ignore[arg-type]

    def _check_writable(self, key: str | None = None) -> None:
        self._store._check_writable(key)

    def __str__(self) -> str:
        return f"wrapping-{self._store}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({type(self._store).__name__}, '{self._store}')"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._store == other._store  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    @property
    def supports_writes(self) -> bool:
        return self._store.supports_writes

    @property
    def supports_deletes(self) -> bool:
        return self._store.supports_deletes

    @property
    def supports_listing(self) -> bool:
        return self._store.supports_listing

    @property
    def supports_consolidated_metadata(self) -> bool:
        return self._store.supports_consolidated_metadata

    async def get(
        self, key: str, prototype: BufferPrototype | None = None, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        prototype = prototype or default_buffer_prototype()
        return await self._store.get(key, prototype, byte_range)

    async def get_partial_values(
        self, prototype: BufferPrototype, key_ranges: Iterable[tuple[str, ByteRequest | None]]
    ) -> list[Buffer | None]:
        cls = type(self)
        if cls.get is not WrapperStore.get and cls.get_partial_values is WrapperStore.get_partial_values:
            # a subclass that intercepts only ``get`` (latency, logging) sees every chunk the engine batches
            return await Store.get_partial_values(self, prototype, key_ranges)
        return await self._store.get_partial_values(prototype, key_ranges)

    async def _get_many(
        self, requests: Iterable[tuple[str, BufferPrototype, ByteRequest | None]]
    ) -> AsyncGenerator[tuple[str, Buffer | None], None]:
        async for item in self._store._get_many(requests):
            yield item

    async def exists(self, key: str) -> bool:
        return await self._store.exists(key)

    async def getsize(self, key: str) -> int:
        return await self._store.getsize(key)

    async def getsize_prefix(self, prefix: str) -> int:
        return await self._store.getsize_prefix(prefix)

    async def is_empty(self, prefix: str = "") -> bool:
        return await self._store.is_empty(prefix)

    async def set(self, key: str, value: Buffer) -> None:
        await self._store.set(key, value)

    async def set_if_not_exists(self, key: str, value: Buffer) -> None:
        await self._store.set_if_not_exists(key, value)

    async def _set_many(self, values: Iterable[tuple[str, Buffer]]) -> None:
        cls = type(self)
        if cls.set is not WrapperStore.set and cls._set_many is WrapperStore._set_many:
            # a subclass that intercepts only ``set`` (logging, noisy setters) sees every batched write
            await Store._set_many(self, values)
            return
        await self._store._set_many(values)

    async def delete(self, key: str) -> None:
        await self._store.delete(key)

    async def delete_dir(self, prefix: str) -> None:
        await self._store.delete_dir(prefix)

    async def clear(self) -> None:
        await self._store.clear()

    async def list(self) -> AsyncIterator[str]:
        async for key in self._store.list():
            yield key

    async def list_prefix(self, prefix: str) -> AsyncIterator[str]:
        async for key in self._store.list_prefix(prefix):
            yield key

    async def list_dir(self, prefix: str) -> AsyncIterator[str]:
        async for key in self._store.list_dir(prefix):
            yield key
