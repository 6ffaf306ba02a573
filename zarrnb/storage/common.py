"""``StorePath`` (a store plus a path inside it) and implicit store creation from store-likes."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Literal, Self

from zarrnb.abc.store import ByteRequest, Store, SupportsDeleteSync, SupportsGetSync, SupportsSetSync
from zarrnb.core.buffer import Buffer, BufferPrototype, default_buffer_prototype
from zarrnb.errors import ReadOnlyError
from zarrnb.storage._utils import join_path, normalize_path
from zarrnb.storage.local import LocalStore
from zarrnb.storage.memory import MemoryStore

__all__ = [
    "ACCESS_MODES",
    "StoreLike",
    "StorePath",
    "contains_array",
    "contains_group",
    "make_store",
    "make_store_path",
]

AccessModeLiteral = Literal["r", "r+", "a", "w", "w-"]
ACCESS_MODES: tuple[str, ...] = ("r", "r+", "a", "w", "w-")


class StorePath:
    """A location in a store: the store and a normalised '/'-separated path."""

    def __init__(self, store: Store, path: str = "") -> None:
        self.store = store
        self.path = normalize_path(path)

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @classmethod
    async def open(cls, store: Store, path: str = "", mode: AccessModeLiteral | None = None) -> Self:
        """Open ``store`` at ``path`` for ``mode``: 'r' makes it read-only, 'w' clears the path,
        'w-' refuses a path that holds data."""
        if mode is not None and mode not in ACCESS_MODES:
            raise ValueError(f"invalid mode {mode!r}; expected one of {ACCESS_MODES}")
        if store.read_only and mode not in (None, "r"):
            raise ReadOnlyError(
                f"store {store} is read-only but mode is {mode!r}; use mode 'r' or a writable store"
            )
        if mode == "r" and not store.read_only:
            try:
                store = store.with_read_only(True)
            except NotImplementedError as e:
                raise ValueError(
                    "Store is not read-only but mode is 'r'. Unable to create a read-only copy of the "
                    "store. Please use a read-only store or a storage class that implements "
                    f".with_read_only(). ({type(store).__name__} {store} cannot make one)"
                ) from e
        await store._ensure_open()
        self = cls(store, path)
        if mode == "w-" and not await self.is_empty():
            raise FileExistsError(
                f"cannot create {str(self)!r} with mode 'w-': it already holds data; "
                "use mode 'w' to overwrite or 'a' to add to it"
            )
        if mode == "w":
            await self.delete_dir()
        return self

    async def get(
        self, prototype: BufferPrototype | None = None, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        """The bytes at this path (None when missing)."""
        return await self.store.get(self.path, prototype or default_buffer_prototype(), byte_range)

    async def set(self, value: Buffer) -> None:
        await self.store.set(self.path, value)

    async def set_if_not_exists(self, default: Buffer) -> None:
        await self.store.set_if_not_exists(self.path, default)

    async def delete(self) -> None:
        await self.store.delete(self.path)

    async def delete_dir(self) -> None:
        """Remove every key under this path ('' clears the store, never the bucket or root)."""
        await self.store.delete_dir(self.path)

    async def exists(self) -> bool:
        return await self.store.exists(self.path)

    async def is_empty(self) -> bool:
        return await self.store.is_empty(self.path)

    def _blocking(self, kind: type, what: str) -> Any:
        """The store, when it has the blocking method ``what`` (TypeError naming the store otherwise)."""
        if not isinstance(self.store, kind):
            raise TypeError(f"Store {type(self.store).__name__} does not support synchronous {what}.")
        return self.store

    def get_sync(
        self, *, prototype: BufferPrototype | None = None, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        """``get`` without an event loop, on stores that have ``get_sync`` (MemoryStore, LocalStore)."""
        return self._blocking(SupportsGetSync, "get").get_sync(
            self.path, prototype=prototype, byte_range=byte_range
        )

    def set_sync(self, value: Buffer) -> None:
        """``set`` without an event loop, on stores that have ``set_sync``."""
        self._blocking(SupportsSetSync, "set").set_sync(self.path, value)

    def delete_sync(self) -> None:
        """``delete`` without an event loop, on stores that have ``delete_sync``."""
        self._blocking(SupportsDeleteSync, "delete").delete_sync(self.path)

    def __truediv__(self, other: str) -> StorePath:
        return type(self)(self.store, join_path(self.path, normalize_path(other)))

    def __str__(self) -> str:
        return f"{self.store}/{self.path}" if self.path else str(self.store)

    def __repr__(self) -> str:
        return f"StorePath({type(self.store).__name__}, '{self}')"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StorePath) and self.store == other.store and self.path == other.path

    __hash__ = None  # type: ignore[assignment]


StoreLike = Store | StorePath | Path | str | dict[str, Buffer] | None


def _unused_options(store_like: object) -> TypeError:
    # zarr-python's sentence first (code matches on it), then which store-like it was
    return TypeError(
        "'storage_options' is only used when the store is passed as an FSSpec URI string. "
        f"It was given for {store_like!r}, where it is unused: it applies to URLs of remote file "
        "systems such as 's3://bucket/path'"
    )


async def make_store(
    store_like: StoreLike,
    *,
    mode: AccessModeLiteral | None = None,
    storage_options: dict[str, Any] | None = None,
) -> Store:
    """The store a store-like names: a Store itself, a LocalStore for paths, a MemoryStore for
    dicts, an FsspecStore for other URLs and fsspec mappers (``fsspec.get_mapper(url)``).

    ``memory://name`` is fsspec's memory file system, as in zarr-python: a second open of the same
    URL in the process sees the data (dask relies on it). ``file://`` with ``storage_options``
    goes through fsspec too, so the options take effect."""
    read_only = mode == "r"
    fsspec_url = isinstance(store_like, str) and (
        _remote_scheme(store_like) or store_like.startswith("memory://")
        or (store_like.startswith("file://") and bool(storage_options))
    )  # fmt: skip
    if storage_options and not fsspec_url:
        raise _unused_options(store_like)
    if isinstance(store_like, Store):
        return store_like
    if isinstance(store_like, StorePath):
        return store_like.store
    if store_like is None:
        return MemoryStore(read_only=read_only)
    if isinstance(store_like, dict):
        return MemoryStore(store_like, read_only=read_only)
    if isinstance(store_like, Path):
        return _local_store(store_like, mode)
    if isinstance(store_like, str):
        if fsspec_url:
            from zarrnb.storage.fsspec import FsspecStore

            return FsspecStore.from_url(store_like, storage_options=storage_options, read_only=read_only)
        return _local_store(store_like.removeprefix("file://"), mode)
    from fsspec.mapping import FSMap

    if isinstance(store_like, FSMap):
        from zarrnb.storage.fsspec import FsspecStore

        return FsspecStore.from_mapper(store_like, read_only=read_only)
    # zarr-python's message first (code matches on it), then the value
    raise TypeError(f"Unsupported type for store_like: '{type(store_like).__name__}' ({store_like!r})")


def _local_store(root: Path | str, mode: AccessModeLiteral | None) -> LocalStore:
    """A LocalStore at ``root``; mode 'r+' needs the folder to exist (opening makes no folder then)."""
    if mode == "r+" and not Path(root).exists():
        raise FileNotFoundError(f"{Path(root)} does not exist (mode 'r+' opens only what exists)")
    return LocalStore(root, read_only=mode == "r")


def _is_fsmap(store_like: object) -> bool:
    """Whether ``store_like`` is an fsspec mapper (without importing fsspec when it is not loaded)."""
    mapping = sys.modules.get("fsspec.mapping")
    return mapping is not None and isinstance(store_like, mapping.FSMap)


def _remote_scheme(url: str) -> bool:
    """Whether ``url`` has a scheme other than file:// and memory:// (e.g. s3://, https://)."""
    scheme, sep, _ = url.partition("://")
    return bool(sep) and scheme not in ("file", "memory") and len(scheme) > 1


async def make_store_path(
    store_like: StoreLike,
    path: str | None = "",
    mode: AccessModeLiteral | None = None,
    storage_options: dict[str, Any] | None = None,
) -> StorePath:
    """A StorePath for ``store_like`` joined with ``path``, opened for ``mode``."""
    path = normalize_path(path)
    if path and _is_fsmap(store_like):
        raise ValueError(
            "'path' was provided but is not used for FSMap store_like objects. Specify the path when "
            f"creating the FSMap instance instead. (path {path!r}, mapper root {store_like.root!r})"  # type: ignore[union-attr]
        )
    if isinstance(store_like, StorePath):
        if storage_options:
            raise _unused_options(store_like)
        return await StorePath.open(store_like.store, join_path(store_like.path, path), mode=mode)
    store = await make_store(store_like, mode=mode, storage_options=storage_options)
    return await StorePath.open(store, path, mode=mode)


async def _v3_node_type(store_path: StorePath) -> str | None:
    """The ``node_type`` of the ``zarr.json`` at ``store_path``; None when absent or unreadable."""
    document = await (store_path / "zarr.json").get()
    if document is None:
        return None
    try:
        node_type = json.loads(document.to_bytes())["node_type"]
    except (ValueError, KeyError, TypeError):
        return None
    return node_type if isinstance(node_type, str) else None


def _check_format(zarr_format: object) -> None:
    if zarr_format not in (2, 3):
        raise ValueError(f"Invalid zarr_format provided. Got {zarr_format!r}, expected 2 or 3")


async def contains_array(store_path: StorePath, zarr_format: Literal[2, 3]) -> bool:
    """Whether an array of ``zarr_format`` lives at ``store_path`` (its metadata document only)."""
    _check_format(zarr_format)
    if zarr_format == 2:
        return await (store_path / ".zarray").exists()
    return await _v3_node_type(store_path) == "array"


async def contains_group(store_path: StorePath, zarr_format: Literal[2, 3]) -> bool:
    """Whether a group of ``zarr_format`` lives at ``store_path`` (its metadata document only)."""
    _check_format(zarr_format)
    if zarr_format == 2:
        return await (store_path / ".zgroup").exists()
    return await _v3_node_type(store_path) == "group"
