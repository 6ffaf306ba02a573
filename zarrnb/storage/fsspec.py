"""A store over any fsspec file system (S3, GCS, HTTP, memory, ...).

Synchronous file systems run in worker threads; async ones (``asynchronous=True``)
are awaited directly. Batches (``get_partial_values``, ``_set_many``) go to fsspec
as one call, which remote file systems serve concurrently.
"""

from __future__ import annotations

import asyncio
import errno
from collections.abc import AsyncIterator, Iterable
from typing import Any

from zarrnb.abc.store import ByteRequest, OffsetByteRequest, RangeByteRequest, Store, SuffixByteRequest
from zarrnb.core.buffer import Buffer, BufferPrototype
from zarrnb.storage._utils import check_byte_request

__all__ = ["FsspecStore"]

ALLOWED_EXCEPTIONS: tuple[type[Exception], ...] = (FileNotFoundError, IsADirectoryError, NotADirectoryError)

# (start, end) for fsspec's cat_file/cat_ranges; a negative start counts from the end
_Bounds = tuple[int | None, int | None]


def _fsspec_bounds(byte_range: ByteRequest | None) -> _Bounds | None:
    """fsspec's bounds for a request, or None for a request of zero bytes (answered locally)."""
    match byte_range:
        case None:
            return None, None
        case RangeByteRequest(start, end):
            return (start, end) if end > start else None
        case OffsetByteRequest(offset):
            return offset, None
        case SuffixByteRequest(suffix):
            return (-suffix, None) if suffix > 0 else None
    raise AssertionError(byte_range)  # check_byte_request refused everything else


def _unsatisfiable(error: BaseException) -> bool:
    """A range starting at or past the end (HTTP 416), which zarr answers with no bytes."""
    return isinstance(error, OSError) and error.errno == errno.EINVAL


class FsspecStore(Store):
    """Keys are files under ``path`` in the fsspec file system ``fs``."""

    def __init__(
        self,
        fs: Any,
        read_only: bool = False,
        path: str = "/",
        allowed_exceptions: tuple[type[Exception], ...] = ALLOWED_EXCEPTIONS,
    ) -> None:
        super().__init__(read_only=read_only)
        self.fs = fs
        self.path = fs._strip_protocol(path).rstrip("/")
        self.allowed_exceptions = allowed_exceptions
        self._async = bool(getattr(fs, "async_impl", False) and getattr(fs, "asynchronous", False))

    @classmethod
    def from_url(
        cls, url: str, storage_options: dict[str, Any] | None = None, read_only: bool = False
    ) -> FsspecStore:
        """A store for ``url`` (``s3://bucket/path``, ``memory://x``, ...) built by fsspec."""
        from fsspec.core import url_to_fs

        fs, path = url_to_fs(url, **(storage_options or {}))
        return cls(fs, read_only=read_only, path=path)

    @classmethod
    def from_mapper(cls, fs_map: Any, read_only: bool = False) -> FsspecStore:
        """A store over the file system and root of an fsspec mapper (``fsspec.get_mapper(url)``)."""
        return cls(fs_map.fs, read_only=read_only, path=fs_map.root)

    def with_read_only(self, read_only: bool = False) -> FsspecStore:
        return type(self)(
            self.fs, read_only=read_only, path=self.path, allowed_exceptions=self.allowed_exceptions
        )

    def __repr__(self) -> str:
        return f"<FsspecStore({type(self.fs).__name__}, {self.path})>"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, type(self))
            and self.path == other.path
            and self.read_only == other.read_only
            and self.fs == other.fs
        )

    __hash__ = None  # type: ignore[assignment]

    async def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """``fs.method(*args)``: awaited on async file systems, in a worker thread otherwise."""
        if self._async:
            return await getattr(self.fs, "_" + method)(*args, **kwargs)
        return await asyncio.to_thread(getattr(self.fs, method), *args, **kwargs)

    def _full(self, key: str) -> str:
        return f"{self.path}/{key}" if self.path else key

    def _key(self, full_path: str) -> str:
        """The key of a path fsspec listed (file systems differ on a leading '/')."""
        root = self.path.strip("/")
        path = full_path.strip("/")
        return path[len(root) + 1 :] if root else path

    def _forget(self, path: str) -> None:
        """Drop cached listings so a key written by someone else is seen."""
        self.fs.invalidate_cache(path)

    # -- reading --------------------------------------------------------------

    async def _zero_bytes_or_none(self, key: str, prototype: BufferPrototype) -> Buffer | None:
        return prototype.buffer.create_zero_length() if await self.exists(key) else None

    async def get(
        self, key: str, prototype: BufferPrototype, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        check_byte_request(byte_range)
        bounds = _fsspec_bounds(byte_range)
        if bounds is None:
            return await self._zero_bytes_or_none(key, prototype)
        path = self._full(key)
        try:
            data = await self._call("cat_file", path, start=bounds[0], end=bounds[1])
        except self.allowed_exceptions:
            if bounds[0] is None or bounds[0] >= 0:
                return None
            self._forget(path)  # suffix reads ask the (possibly stale) listing cache for the size
            try:
                data = await self._call("cat_file", path, start=bounds[0], end=bounds[1])
            except self.allowed_exceptions:
                return None
        except OSError as e:
            if not _unsatisfiable(e):
                raise
            return await self._zero_bytes_or_none(key, prototype)
        return prototype.buffer.from_bytes(data)

    async def get_partial_values(
        self, prototype: BufferPrototype, key_ranges: Iterable[tuple[str, ByteRequest | None]]
    ) -> list[Buffer | None]:
        """One ``cat_ranges`` call for the batch; odd cases (empty, missing, past the end) one by one."""
        requests = list(key_ranges)
        for _, byte_range in requests:
            check_byte_request(byte_range)
        bounds = [_fsspec_bounds(r) for _, r in requests]
        batch = [i for i, b in enumerate(bounds) if b is not None]
        results: list[Buffer | None] = [None] * len(requests)
        if batch:
            fetched = await self._call(
                "cat_ranges",
                [self._full(requests[i][0]) for i in batch],
                [bounds[i][0] for i in batch],  # type: ignore[index]
                [bounds[i][1] for i in batch],  # type: ignore[index]
                on_error="return",
            )
            retry = []
            for i, data in zip(batch, fetched, strict=True):
                if not isinstance(data, BaseException):
                    results[i] = prototype.buffer.from_bytes(data)
                elif isinstance(data, self.allowed_exceptions) and (bounds[i][0] or 0) >= 0:  # type: ignore[index]
                    continue  # missing: stays None
                elif isinstance(data, OSError):
                    retry.append(i)  # a stale-cache suffix read or a range past the end: get() knows
                else:
                    raise data
            for i, value in zip(retry, await self._gather_gets(requests, retry, prototype), strict=True):
                results[i] = value
        empty = [i for i, b in enumerate(bounds) if b is None]
        for i, value in zip(empty, await self._gather_gets(requests, empty, prototype), strict=True):
            results[i] = value
        return results

    async def _gather_gets(
        self,
        requests: list[tuple[str, ByteRequest | None]],
        indices: list[int],
        prototype: BufferPrototype,
    ) -> list[Buffer | None]:
        return list(
            await asyncio.gather(*(self.get(requests[i][0], prototype, requests[i][1]) for i in indices))
        )

    async def exists(self, key: str) -> bool:
        path = self._full(key)
        self._forget(path)
        return bool(await self._call("isfile", path))

    async def getsize(self, key: str) -> int:
        path = self._full(key)
        self._forget(path)
        try:
            info = await self._call("info", path)
        except self.allowed_exceptions:
            raise FileNotFoundError(f"no key {key!r} in {self}") from None
        if info.get("type") == "directory":
            raise FileNotFoundError(f"no key {key!r} in {self}: it is a directory")
        return int(info["size"])

    # -- writing --------------------------------------------------------------

    async def set(self, key: str, value: Buffer) -> None:
        self._check_writable(key)
        self._check_value(value)
        await self._call("pipe_file", self._full(key), value.to_bytes())

    async def _set_many(self, values: Iterable[tuple[str, Buffer]]) -> None:
        """One ``pipe`` call for the batch."""
        items = {}
        for key, value in values:
            self._check_writable(key)
            self._check_value(value)
            items[self._full(key)] = value.to_bytes()
        if items:
            await self._call("pipe", items)

    async def delete(self, key: str) -> None:
        self._check_writable(key)
        try:
            await self._call("rm_file", self._full(key))
        except self.allowed_exceptions:
            pass

    async def delete_dir(self, prefix: str) -> None:
        """Remove the files under ``prefix``; directories (and buckets) themselves are left alone."""
        self._check_writable(prefix)
        prefix = prefix.strip("/")
        base = self._full(prefix) if prefix else self.path
        self._forget(base)
        files = await self._call("find", base)
        if files:
            await self._call("rm", files)

    async def clear(self) -> None:
        """Remove every file under the store's path; a bucket at the root is kept."""
        self._check_writable()
        await self.delete_dir("")

    # -- listing --------------------------------------------------------------

    async def _find(self, base: str) -> list[str]:
        self._forget(base)
        return [self._key(p) for p in await self._call("find", base)]

    async def list(self) -> AsyncIterator[str]:
        for key in await self._find(self.path):
            yield key

    async def list_prefix(self, prefix: str) -> AsyncIterator[str]:
        folder = prefix.rpartition("/")[0].strip("/")
        for key in await self._find(self._full(folder) if folder else self.path):
            if key.startswith(prefix):
                yield key

    async def list_dir(self, prefix: str) -> AsyncIterator[str]:
        prefix = prefix.strip("/")
        base = self._full(prefix) if prefix else self.path
        self._forget(base)
        try:
            entries = await self._call("ls", base, detail=False)
        except self.allowed_exceptions:
            return
        for entry in entries:
            name = entry.rstrip("/").rsplit("/", 1)[-1]
            if name and entry.strip("/") != base.strip("/"):
                yield name
