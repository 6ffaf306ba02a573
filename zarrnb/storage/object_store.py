"""A store over any obstore store (its MemoryStore, LocalStore, S3Store, GCSStore, ...).

obstore does the I/O in Rust on its own runtime; this class maps its results and
errors onto the Store contract (a missing key reads as None). Other failures are
retried and bounded in time as ``zarrnb.storage._remote`` says, and surface as a
``StoreRequestError`` naming the key and the HTTP status. obstore retries on its own
too (its ``retry_config``); a bound cuts those retries short.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any, Generic, TypeVar

from zarrnb._extras import require
from zarrnb.abc.store import ByteRequest, OffsetByteRequest, RangeByteRequest, Store, SuffixByteRequest
from zarrnb.core.buffer import Buffer, BufferPrototype, default_buffer_prototype
from zarrnb.storage._remote import failure_status, is_transient, with_retries
from zarrnb.storage._utils import check_byte_request

__all__ = ["ObjectStore"]

obstore = require("obstore", "ObjectStore")
_errors = require("obstore.exceptions", "ObjectStore")
AlreadyExistsError, BaseError, NotFoundError = (
    _errors.AlreadyExistsError,
    _errors.BaseError,
    _errors.NotFoundError,
)

T = TypeVar("T")
#: the obstore store type an ObjectStore wraps: ``ObjectStore[S3Store]``, as in zarr-python
T_Store = TypeVar("T_Store")
# obstore raises the builtin FileNotFoundError for some stores, its NotFoundError for others
_MISSING = (FileNotFoundError, NotFoundError)


def _answered(error: BaseException) -> bool:
    """Errors that are answers, not failures: a missing key, an existing one for a conditional put."""
    return isinstance(error, (*_MISSING, AlreadyExistsError))


def _range_option(byte_range: ByteRequest) -> dict[str, int] | tuple[int, int]:
    match byte_range:
        case RangeByteRequest(start, end):
            return (start, end)
        case OffsetByteRequest(offset):
            return {"offset": offset}
        case SuffixByteRequest(suffix):
            return {"suffix": suffix}
    raise AssertionError(byte_range)


def _starts_at(byte_range: ByteRequest) -> int:
    """Where a request starts when the object's length does not matter (0 for suffixes)."""
    match byte_range:
        case RangeByteRequest(start, _):
            return start
        case OffsetByteRequest(offset):
            return offset
    return 0


def _asks_for_nothing(byte_range: ByteRequest) -> bool:
    """Zero-byte requests, which S3 refuses with HTTP 416 and zarr answers with no bytes."""
    match byte_range:
        case RangeByteRequest(start, end):
            return end <= start
        case SuffixByteRequest(suffix):
            return suffix == 0
    return False


class ObjectStore(Store, Generic[T_Store]):
    """Keys are objects of the obstore store ``store``; ``str()`` is ``object_store://<repr>``."""

    store: T_Store

    def __init__(self, store: T_Store, *, read_only: bool = False) -> None:
        if type(store).__module__.split(".")[0] != "obstore":
            raise TypeError(f"ObjectStore wraps an obstore store, not {type(store).__name__}: {store!r}")
        super().__init__(read_only=read_only)
        self.store = store

    def with_read_only(self, read_only: bool = False) -> ObjectStore[T_Store]:
        return type(self)(self.store, read_only=read_only)

    def __str__(self) -> str:
        return f"object_store://{self.store!r}"

    def __repr__(self) -> str:
        return f"ObjectStore({self})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, type(self)) and self.read_only == other.read_only and self.store == other.store
        )

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_is_open"] = False
        return state

    # -- reading --------------------------------------------------------------

    async def _run(self, action: str, key: str, attempt: Callable[[], Awaitable[T]], requests: int = 1) -> T:
        """``attempt()`` under the retry and time policy; failures name ``key``."""
        return await with_retries(
            attempt, action=action, key=key, store=self, keep=_answered, requests=requests
        )

    async def get(
        self, key: str, prototype: BufferPrototype | None = None, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        prototype = prototype or default_buffer_prototype()
        check_byte_request(byte_range)
        try:
            return await self._run("GET", key, lambda: self._get_once(key, prototype, byte_range))
        except _MISSING:
            return None

    async def _get_once(self, key: str, prototype: BufferPrototype, byte_range: ByteRequest | None) -> Buffer:
        if byte_range is None:
            result = await obstore.get_async(self.store, key)
            return prototype.buffer.from_bytes(memoryview(await result.bytes_async()))
        if _asks_for_nothing(byte_range):
            await obstore.head_async(self.store, key)
            return prototype.buffer.create_zero_length()
        try:
            result = await obstore.get_async(self.store, key, options={"range": _range_option(byte_range)})
            return prototype.buffer.from_bytes(memoryview(await result.bytes_async()))
        except BaseError as e:
            status = failure_status(e)
            if _answered(e) or status not in (None, 416) or is_transient(e, status):
                raise
            # obstore refuses ranges that start at or past the end; zarr answers them with no bytes
            size = int((await obstore.head_async(self.store, key))["size"])
            if _starts_at(byte_range) >= size:
                return prototype.buffer.create_zero_length()
            raise

    async def get_partial_values(
        self, prototype: BufferPrototype, key_ranges: Iterable[tuple[str, ByteRequest | None]]
    ) -> list[Buffer | None]:
        """All requests in flight at once; many plain ranges of one object (inner chunks of a
        shard) go as one ``get_ranges`` call, which obstore coalesces into few requests."""
        requests = list(key_ranges)
        for _, byte_range in requests:
            check_byte_request(byte_range)
        by_key: dict[str, list[tuple[int, RangeByteRequest]]] = defaultdict(list)
        for i, (key, byte_range) in enumerate(requests):
            if isinstance(byte_range, RangeByteRequest) and not _asks_for_nothing(byte_range):
                by_key[key].append((i, byte_range))
        # a head request plus one coalesced get beats separate gets from three ranges up
        grouped = {key: idx for key, idx in by_key.items() if len(idx) >= 3}
        results: list[Buffer | None] = [None] * len(requests)

        async def ranges_once(key: str, ranges: list[tuple[int, RangeByteRequest]]) -> None:
            # clip to the object's size first: obstore panics on ranges past the end
            size = int((await obstore.head_async(self.store, key))["size"])
            spans = {i: (r.start, min(r.end, size)) for i, r in ranges}
            wanted = [i for i, (start, end) in spans.items() if end > start]
            for i in spans.keys() - set(wanted):
                results[i] = prototype.buffer.create_zero_length()
            if not wanted:
                return
            parts = await obstore.get_ranges_async(
                self.store, key, starts=[spans[i][0] for i in wanted], ends=[spans[i][1] for i in wanted]
            )
            for i, part in zip(wanted, parts, strict=True):
                results[i] = prototype.buffer.from_bytes(memoryview(part))

        async def ranges_of(key: str, ranges: list[tuple[int, RangeByteRequest]]) -> None:
            try:
                await self._run("GET", key, lambda: ranges_once(key, ranges))
            except _MISSING:
                return

        async def single(i: int) -> None:
            results[i] = await self.get(requests[i][0], prototype, requests[i][1])

        batched = {i for ranges in grouped.values() for i, _ in ranges}
        await asyncio.gather(
            *(ranges_of(key, ranges) for key, ranges in grouped.items()),
            *(single(i) for i in range(len(requests)) if i not in batched),
        )
        return results

    async def exists(self, key: str) -> bool:
        try:
            await self._run("HEAD", key, lambda: obstore.head_async(self.store, key))
        except _MISSING:
            return False
        return True

    async def getsize(self, key: str) -> int:
        try:
            meta = await self._run("HEAD", key, lambda: obstore.head_async(self.store, key))
        except _MISSING:
            raise FileNotFoundError(f"no key {key!r} in {self}") from None
        return int(meta["size"])

    # -- writing --------------------------------------------------------------

    async def set(self, key: str, value: Buffer) -> None:
        self._check_writable(key)
        self._check_value(value)
        data = value.as_buffer_like()
        await self._run("PUT", key, lambda: obstore.put_async(self.store, key, data))

    async def set_if_not_exists(self, key: str, value: Buffer) -> None:
        """One conditional put (``mode='create'``): no race between the check and the write."""
        self._check_writable(key)
        self._check_value(value)
        data = value.as_buffer_like()
        try:
            await self._run("PUT", key, lambda: obstore.put_async(self.store, key, data, mode="create"))
        except AlreadyExistsError:
            pass

    async def delete(self, key: str) -> None:
        self._check_writable(key)
        try:
            await self._run("DELETE", key, lambda: obstore.delete_async(self.store, key))
        except _MISSING:
            pass

    async def delete_dir(self, prefix: str) -> None:
        self._check_writable(prefix)
        prefix = prefix.strip("/")
        keys = [key async for key in self.list_prefix(prefix + "/" if prefix else "")]
        if keys:
            await self._run(
                "DELETE", keys[0], lambda: obstore.delete_async(self.store, keys), requests=len(keys)
            )

    async def clear(self) -> None:
        """Delete every object; a bucket behind the store is kept."""
        self._check_writable()
        await self.delete_dir("")

    # -- listing --------------------------------------------------------------

    async def _objects(self, folder: str) -> list[str]:
        """Every object path under ``folder`` (object stores list by whole path segments)."""

        async def listing() -> list[str]:
            paths: list[str] = []
            async for batch in obstore.list(self.store, prefix=folder or None, chunk_size=1000):
                paths.extend(meta["path"] for meta in batch)
            return paths

        return await self._run("LIST", folder + "/", listing)

    async def list(self) -> AsyncIterator[str]:
        for key in await self._objects(""):
            yield key

    async def list_prefix(self, prefix: str) -> AsyncIterator[str]:
        for key in await self._objects(prefix.rpartition("/")[0].strip("/")):
            if key.startswith(prefix):
                yield key

    async def list_dir(self, prefix: str) -> AsyncIterator[str]:
        prefix = prefix.strip("/")
        listing = await self._run(
            "LIST", prefix + "/", lambda: obstore.list_with_delimiter_async(self.store, prefix or None)
        )
        base = prefix + "/" if prefix else ""
        for folder in listing["common_prefixes"]:
            yield folder.removeprefix(base).strip("/")
        for meta in listing["objects"]:
            yield meta["path"].removeprefix(base)
