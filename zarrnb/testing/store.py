"""``StoreTests``: the store contract as a pytest base class, for zarrnb's stores and yours.

Subclass it, set ``store_cls`` and provide a ``store_kwargs`` fixture; every
``async def test_*`` runs in a fresh event loop (no pytest plugin needed).
Override ``set``/``get`` to reach the backend directly instead of through the store.

It is zarr-python's ``zarr.testing.store.StoreTests[StoreType, BufferType]``: the same fixtures
(``store_kwargs``, ``open_kwargs``, ``store``, ``store_not_open``), ``store_cls`` and ``buffer_cls``,
and every test of zarr-python's with its name, parameters and checks, so zarr-python's own store
test classes run on it unchanged (a subclass's ``async`` test may ``await super().test_x(...)``).
zarrnb adds stricter tests under names of their own (refused writes leave the data, byte ranges
past the end, sibling prefixes, ...). ``StoreTests[MyStore]`` means ``StoreTests[MyStore, Buffer]``.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import pickle
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any, ClassVar, Generic, Self, TypeVar

import pytest

from zarrnb.abc.store import (
    ByteRequest,
    OffsetByteRequest,
    RangeByteRequest,
    Store,
    SuffixByteRequest,
    SupportsDeleteSync,
    SupportsGetSync,
    SupportsSetSync,
)
from zarrnb.core.buffer import Buffer, BufferPrototype, default_buffer_prototype
from zarrnb.errors import ReadOnlyError
from zarrnb.storage.wrapper import WrapperStore
from zarrnb.testing.utils import assert_bytes_equal

__all__ = ["LatencyStore", "StoreTests", "collect", "expected_slice", "snapshot"]

S = TypeVar("S", bound=Store)
B = TypeVar("B", bound=Buffer)
PAYLOAD = b"0123456789"
BYTE_REQUESTS: list[ByteRequest | None] = [
    None,
    RangeByteRequest(2, 5),
    RangeByteRequest(0, 10),
    RangeByteRequest(8, 20),
    RangeByteRequest(10, 20),
    RangeByteRequest(12, 20),
    OffsetByteRequest(0),
    OffsetByteRequest(8),
    OffsetByteRequest(10),
    OffsetByteRequest(12),
    SuffixByteRequest(3),
    SuffixByteRequest(10),
    SuffixByteRequest(20),
    SuffixByteRequest(0),
]


async def collect(iterator: AsyncIterator[str]) -> list[str]:
    """The items of an async iterator, sorted."""
    return sorted([item async for item in iterator])


def expected_slice(data: bytes, byte_range: ByteRequest | None) -> bytes:
    """What ``get`` must return for ``byte_range`` of ``data`` (Python slice semantics)."""
    if byte_range is None:
        return data
    if isinstance(byte_range, RangeByteRequest):
        return data[byte_range.start : byte_range.end]
    if isinstance(byte_range, OffsetByteRequest):
        return data[byte_range.offset :]
    return data[max(len(data) - byte_range.suffix, 0) :]


async def snapshot(store: Store) -> dict[str, bytes]:
    """Every key and its bytes: compared before and after a refused write."""
    prototype = default_buffer_prototype()
    found = {}
    for key in await collect(store.list()):
        value = await store.get(key, prototype)
        found[key] = None if value is None else value.to_bytes()
    return found


def _in_fresh_loop(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., Any]:
    """``test`` as a plain function pytest can call: it runs the coroutine in a fresh event loop.

    Called where a loop already runs (a subclass's async test doing ``await super().test_x()``),
    it returns the coroutine for that caller to await instead."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> Any:
        coro = test(*args, **kwargs)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            running = False
        else:
            running = True
        if running:
            return coro
        asyncio.run(coro)
        return None

    return run


def _wrap_async_tests(cls: type) -> None:
    for name, value in list(vars(cls).items()):
        if name.startswith("test") and inspect.iscoroutinefunction(value):
            setattr(cls, name, _in_fresh_loop(value))


def _run(coro: Coroutine[Any, Any, Any]) -> Any:
    """Drive a coroutine from a plain (sync) test, which runs outside any event loop."""
    return asyncio.run(coro)


# the parameters of zarr-python's tests, in its order: the test ids are the same on both sides
_GET_CASES: list[tuple[bytes, ByteRequest | None]] = [
    (b"\x01\x02\x03\x04", None),
    (b"\x01\x02\x03\x04", RangeByteRequest(1, 4)),
    (b"\x01\x02\x03\x04", OffsetByteRequest(1)),
    (b"\x01\x02\x03\x04", SuffixByteRequest(1)),
    (b"", None),
]
_PARTIAL_CASES: list[list[tuple[str, ByteRequest | None]]] = [
    [],
    [("zarr.json", RangeByteRequest(0, 2))],
    [("c/0", RangeByteRequest(0, 2)), ("zarr.json", None)],
    [
        ("c/0/0", RangeByteRequest(0, 2)),
        ("c/0/1", SuffixByteRequest(2)),
        ("c/0/2", OffsetByteRequest(2)),
    ],
]
_READ_ONLY = "store was opened in read-only mode and does not support writing"


class StoreTests(Generic[S, B]):
    """The contract every store passes; subclasses name the store and how to build it."""

    store_cls: type[S]
    buffer_cls: type[B] = Buffer  # type: ignore[assignment]
    #: whether a pickled store round-trips to an equal one that reads the same data
    pickles: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _wrap_async_tests(cls)

    def __class_getitem__(cls, params: Any) -> Any:
        # zarrnb's first form took the store type only; the buffer type defaults to Buffer
        return super().__class_getitem__(params if isinstance(params, tuple) else (params, Buffer))  # type: ignore[misc]

    @staticmethod
    def _require_get_sync(store: S) -> SupportsGetSync:
        """Skip unless ``store`` has ``get_sync`` (zarr-python's optional SupportsGetSync)."""
        if not isinstance(store, SupportsGetSync):
            pytest.skip("store does not implement SupportsGetSync")
        return store

    @staticmethod
    def _require_set_sync(store: S) -> SupportsSetSync:
        """Skip unless ``store`` has ``set_sync``."""
        if not isinstance(store, SupportsSetSync):
            pytest.skip("store does not implement SupportsSetSync")
        return store

    @staticmethod
    def _require_delete_sync(store: S) -> SupportsDeleteSync:
        """Skip unless ``store`` has ``delete_sync``."""
        if not isinstance(store, SupportsDeleteSync):
            pytest.skip("store does not implement SupportsDeleteSync")
        return store

    # -- fixtures and backend access ------------------------------------------

    @pytest.fixture
    def store_kwargs(self) -> dict[str, Any]:
        """Keyword arguments that build a writable, empty store; subclasses override."""
        raise NotImplementedError(f"{type(self).__name__} must define a store_kwargs fixture")

    @pytest.fixture
    def open_kwargs(self, store_kwargs: dict[str, Any]) -> dict[str, Any]:
        """Keyword arguments for ``store_cls.open``; by default the same as ``store_kwargs``."""
        return store_kwargs

    @pytest.fixture
    def store(self, open_kwargs: dict[str, Any]) -> S:
        return _run(self.open_store(open_kwargs))

    @pytest.fixture
    def store_not_open(self, store_kwargs: dict[str, Any]) -> S:
        return self.reopen(store_kwargs)

    def reopen(self, store_kwargs: dict[str, Any], **changes: Any) -> S:
        """A new, not yet opened store over the same backend (``changes`` such as ``read_only=True``)."""
        return self.store_cls(**{**store_kwargs, **changes})

    async def open_store(self, open_kwargs: dict[str, Any], **changes: Any) -> S:
        """A new store over the same backend, opened through the class's ``open``."""
        return await self.store_cls.open(**{**open_kwargs, **changes})

    async def set(self, store: S, key: str, value: Buffer) -> None:
        """Write behind the store's back; override to bypass the store under test."""
        await store.set(key, value)

    async def get(self, store: S, key: str) -> Buffer | None:
        """Read behind the store's back; override to bypass the store under test."""
        return await store.get(key, default_buffer_prototype())

    def buf(self, data: bytes) -> B:
        return self.buffer_cls.from_bytes(data)

    # -- identity -------------------------------------------------------------

    def test_store_type(self, store: S) -> None:
        assert isinstance(store, Store)
        assert isinstance(store, self.store_cls)

    def test_store_repr(self, store: S, store_kwargs: dict[str, Any]) -> None:
        assert str(store) and repr(store)
        assert str(self.reopen(store_kwargs)) == str(store)

    def test_store_supports_writes(self, store: S) -> None:
        assert store.supports_writes is True

    def test_store_supports_partial_writes(self, store: S) -> None:
        assert not store.supports_partial_writes

    def test_store_supports_listing(self, store: S) -> None:
        assert store.supports_listing is True

    def test_store_eq(self, store: S, store_kwargs: dict[str, Any]) -> None:
        assert store == store
        # equal inputs make equal stores: (de)serialised stores compare by this
        assert store == self.reopen(store_kwargs)
        assert store != object()
        try:
            reader = store.with_read_only(True)
        except NotImplementedError:
            return
        assert store != reader

    async def test_serializable_store(self, store: S) -> None:
        if not self.pickles:
            with pytest.raises((TypeError, pickle.PicklingError, NotImplementedError)):
                pickle.dumps(store)
            return
        await self.set(store, "k/a", self.buf(b"pickled"))
        new_store: S = pickle.loads(pickle.dumps(store))
        assert new_store == store
        assert new_store.read_only == store.read_only
        # the copy reads what the original held when pickled
        assert_bytes_equal(await new_store.get("k/a", prototype=default_buffer_prototype()), b"pickled")
        data_buf = self.buf(b"\x01\x02\x03\x04")
        await store.set("foo", data_buf)
        assert_bytes_equal(await store.get("foo", prototype=default_buffer_prototype()), data_buf)

    def test_store_read_only(self, store: S) -> None:
        assert not store.read_only
        with pytest.raises(AttributeError):
            store.read_only = False  # type: ignore[misc]

    @pytest.mark.parametrize("read_only", [True, False])
    async def test_store_open_read_only(self, open_kwargs: dict[str, Any], read_only: bool) -> None:
        open_kwargs["read_only"] = read_only
        store = await self.open_store(open_kwargs)
        assert store._is_open
        assert store.read_only == read_only

    async def test_store_context_manager(self, open_kwargs: dict[str, Any]) -> None:
        with await self.open_store(open_kwargs) as store:
            assert store._is_open
            with pytest.raises(ValueError, match="store is already open"):
                await store._open()
        assert not store._is_open

    async def test_store_open_twice_raises(self, store: S) -> None:
        with pytest.raises(ValueError, match="already open"):
            await store._open()

    async def test_store_async_context_manager(self, store_not_open: S) -> None:
        async with store_not_open as entered:
            assert entered is store_not_open and store_not_open._is_open
        assert not store_not_open._is_open

    # -- read-only refusals ---------------------------------------------------

    async def test_read_only_store_raises(self, open_kwargs: dict[str, Any]) -> None:
        store = await self.open_store(open_kwargs, read_only=True)
        assert store.read_only
        with pytest.raises(ValueError, match=_READ_ONLY):
            await store.set("foo", self.buf(b"bar"))
        with pytest.raises(ValueError, match=_READ_ONLY):
            await store.delete("foo")

    async def test_read_only_refusals_keep_data(self, store: S, open_kwargs: dict[str, Any]) -> None:
        await self.set(store, "foo/a", self.buf(b"one"))
        await self.set(store, "b", self.buf(b"two"))
        before = await snapshot(store)
        store.close()
        reader = await self.open_store(open_kwargs, read_only=True)
        refusals = [
            reader.set("foo/a", self.buf(b"changed")),
            reader.set("new", self.buf(b"new")),
            reader.set_if_not_exists("other", self.buf(b"new")),
            reader._set_many([("foo/a", self.buf(b"x"))]),
            reader.delete("b"),
            reader.delete_dir("foo"),
            reader.delete_dir(""),
            reader.clear(),
        ]
        for attempt in refusals:
            with pytest.raises(ReadOnlyError, match="read-only"):
                await attempt
        assert await snapshot(reader) == before

    async def test_with_read_only_store(self, open_kwargs: dict[str, Any]) -> None:
        store = await self.open_store(open_kwargs, read_only=True)
        assert store.read_only
        with pytest.raises(ValueError, match=_READ_ONLY):
            await store.set("foo", self.buf(b"bar"))
        try:
            writer = store.with_read_only(read_only=False)
        except NotImplementedError:
            with pytest.raises(
                NotImplementedError,
                match=f"with_read_only is not implemented for the {type(store)} store type.",
            ):
                store.with_read_only(read_only=False)
            return
        assert not writer._is_open
        assert not writer.read_only
        await writer.set("foo", self.buf(b"bar"))
        await writer.delete("foo")
        # the original stays read-only, and so does a read-only copy
        for reader in (store, store.with_read_only(read_only=True)):
            assert reader.read_only
            with pytest.raises(ValueError, match=_READ_ONLY):
                await reader.set("foo", self.buf(b"bar"))
            with pytest.raises(ValueError, match=_READ_ONLY):
                await reader.delete("foo")

    async def test_with_read_only_shares_data(self, store: S) -> None:
        await self.set(store, "k", self.buf(b"v"))
        try:
            reader = store.with_read_only(True)
        except NotImplementedError as e:
            assert type(store).__name__ in str(e)  # the refusal names the store type
            return
        assert reader.read_only and not store.read_only
        assert_bytes_equal(await reader.get("k", default_buffer_prototype()), b"v")
        with pytest.raises(ReadOnlyError, match="read-only"):
            await reader.set("k", self.buf(b"w"))
        writer = reader.with_read_only(False)
        await writer.set("k", self.buf(b"w"))
        assert_bytes_equal(await self.get(store, "k"), b"w")

    # -- get ------------------------------------------------------------------

    @pytest.mark.parametrize("key", ["c/0", "foo/c/0.0", "foo/0/0"])
    @pytest.mark.parametrize(("data", "byte_range"), _GET_CASES)
    async def test_get(self, store: S, key: str, data: bytes, byte_range: ByteRequest | None) -> None:
        data_buf = self.buf(data)
        await self.set(store, key, data_buf)
        observed = await store.get(key, prototype=default_buffer_prototype(), byte_range=byte_range)
        assert isinstance(observed, Buffer)
        assert_bytes_equal(observed, expected_slice(data, byte_range))

    @pytest.mark.parametrize("byte_range", BYTE_REQUESTS, ids=repr)
    async def test_get_byte_range(self, store: S, byte_range: ByteRequest | None) -> None:
        await self.set(store, "c/0", self.buf(PAYLOAD))
        observed = await store.get("c/0", default_buffer_prototype(), byte_range)
        assert observed is not None
        assert observed.to_bytes() == expected_slice(PAYLOAD, byte_range)

    async def test_get_missing(self, store: S) -> None:
        assert await store.get("nope/c/0", default_buffer_prototype()) is None
        assert await store.get("nope", default_buffer_prototype(), RangeByteRequest(0, 2)) is None

    async def test_get_not_open(self, store_not_open: S) -> None:
        assert not store_not_open._is_open
        data_buf = self.buf(b"\x01\x02\x03\x04")
        await self.set(store_not_open, "c/0", data_buf)
        observed = await store_not_open.get("c/0", prototype=default_buffer_prototype())
        assert_bytes_equal(observed, data_buf)

    async def test_get_raises(self, store: S) -> None:
        await self.set(store, "c/0", self.buf(b"\x01\x02\x03\x04"))
        with pytest.raises((ValueError, TypeError), match=r"Unexpected byte_range, got.*"):
            await store.get("c/0", prototype=default_buffer_prototype(), byte_range=(0, 2))  # type: ignore[arg-type]

    async def test_get_many(self, store: S) -> None:
        keys = [str(i) for i in range(10)]
        for key in keys:
            await self.set(store, key, self.buf(key.encode()))
        prototype = default_buffer_prototype()
        observed = {k: v.to_bytes() async for k, v in store._get_many((k, prototype, None) for k in keys)}  # type: ignore[union-attr]
        assert observed == {k: k.encode() for k in keys}

    @pytest.mark.parametrize("key_ranges", _PARTIAL_CASES)
    async def test_get_partial_values(
        self, store: S, key_ranges: list[tuple[str, ByteRequest | None]]
    ) -> None:
        for key, _ in key_ranges:
            await self.set(store, key, self.buf(key.encode()))
        observed = await store.get_partial_values(default_buffer_prototype(), key_ranges)
        assert [o.to_bytes() if o is not None else None for o in observed] == [
            expected_slice(key.encode(), byte_range) for key, byte_range in key_ranges
        ]

    @pytest.mark.parametrize(
        "key_ranges",
        [
            [("c/0/0", RangeByteRequest(3, 50)), ("c/0/0", SuffixByteRequest(50)), ("c/0/0", None)],
            [
                ("c/0/0", RangeByteRequest(0, 2)),
                ("c/0/0", RangeByteRequest(2, 4)),
                ("c/0/0", RangeByteRequest(4, 50)),
                ("c/0/0", RangeByteRequest(60, 70)),
            ],
        ],
        ids=["same-key", "ranges-of-one-key"],
    )
    async def test_get_partial_values_of_one_key(
        self, store: S, key_ranges: list[tuple[str, ByteRequest | None]]
    ) -> None:
        await self.set(store, "c/0/0", self.buf(b"c/0/0"))
        observed = await store.get_partial_values(default_buffer_prototype(), key_ranges)
        assert [o.to_bytes() if o is not None else None for o in observed] == [
            expected_slice(b"c/0/0", byte_range) for _, byte_range in key_ranges
        ]

    async def test_get_partial_values_missing_key(self, store: S) -> None:
        await self.set(store, "a", self.buf(b"abc"))
        observed = await store.get_partial_values(
            default_buffer_prototype(),
            [("a", None), ("missing", None), ("missing/2", RangeByteRequest(0, 1))],
        )
        assert observed[0] is not None and observed[0].to_bytes() == b"abc"
        assert observed[1:] == [None, None]

    async def test_get_bytes(self, store: S) -> None:
        await self.set(store, "zarr.json", self.buf(b"hello world"))
        assert await store._get_bytes("zarr.json", prototype=default_buffer_prototype()) == b"hello world"
        with pytest.raises(FileNotFoundError, match="nonexistent_key"):
            await store._get_bytes("nonexistent_key", prototype=default_buffer_prototype())

    def test_get_bytes_sync(self, store: S) -> None:
        _run(self.set(store, "zarr.json", self.buf(b"hello world")))
        assert store._get_bytes_sync("zarr.json", prototype=default_buffer_prototype()) == b"hello world"

    async def test_get_json(self, store: S) -> None:
        await self.set(store, "zarr.json", self.buf(json.dumps({"foo": "bar"}).encode()))
        assert await store._get_json("zarr.json", prototype=default_buffer_prototype()) == {"foo": "bar"}

    def test_get_json_sync(self, store: S) -> None:
        _run(self.set(store, "zarr.json", self.buf(json.dumps({"foo": "bar"}).encode())))
        assert store._get_json_sync("zarr.json", prototype=default_buffer_prototype()) == {"foo": "bar"}

    # -- sizes ----------------------------------------------------------------

    @pytest.mark.parametrize("key", ["c/0", "foo/c/0.0", "foo/0/0"])
    @pytest.mark.parametrize("data", [b"\x01\x02\x03\x04", b""])
    async def test_getsize(self, store: S, key: str, data: bytes) -> None:
        await self.set(store, key, self.buf(data))
        assert await store.getsize(key) == len(data)

    async def test_getsize_after_overwrite(self, store: S) -> None:
        await self.set(store, "c/0", self.buf(PAYLOAD))
        assert await store.getsize("c/0") == len(PAYLOAD)
        await self.set(store, "c/0", self.buf(b"ab"))
        assert await store.getsize("c/0") == 2

    async def test_getsize_prefix(self, store: S) -> None:
        data_buf = self.buf(b"\x01\x02\x03\x04")
        keys = ["c/0/0", "c/0/1", "c/1/0", "c/1/1"]
        await store._set_many([(k, data_buf) for k in keys])
        assert await store.getsize_prefix("c") == len(data_buf) * len(keys)

    async def test_getsize_prefix_keeps_siblings_apart(self, store: S) -> None:
        for i in range(10):
            await self.set(store, f"c/{i}", self.buf(b"x" * i))
        await self.set(store, "c-sibling", self.buf(b"y" * 100))
        assert await store.getsize_prefix("c") == sum(range(10))
        assert await store.getsize_prefix("c/") == sum(range(10))
        assert await store.getsize_prefix("nothing") == 0

    async def test_getsize_raises(self, store: S) -> None:
        with pytest.raises(FileNotFoundError, match="c/1000"):
            await store.getsize("c/1000")

    # -- set ------------------------------------------------------------------

    @pytest.mark.parametrize("key", ["zarr.json", "c/0", "foo/c/0.0", "foo/0/0"])
    @pytest.mark.parametrize("data", [b"\x01\x02\x03\x04", b""])
    async def test_set(self, store: S, key: str, data: bytes) -> None:
        assert not store.read_only
        await store.set(key, self.buf(data))
        assert_bytes_equal(await self.get(store, key), data)

    async def test_set_overwrites(self, store: S) -> None:
        await store.set("k", self.buf(b"first value"))
        await store.set("k", self.buf(b"2nd"))
        assert_bytes_equal(await self.get(store, "k"), b"2nd")
        assert await collect(store.list()) == ["k"]

    async def test_set_not_open(self, store_not_open: S) -> None:
        assert not store_not_open._is_open
        data_buf = self.buf(b"\x01\x02\x03\x04")
        await store_not_open.set("c/0", data_buf)
        assert_bytes_equal(await self.get(store_not_open, "c/0"), data_buf)

    async def test_set_refuses_non_buffer(self, store: S) -> None:
        with pytest.raises(TypeError, match="Buffer"):
            await store.set("k", b"bytes are not a Buffer")  # type: ignore[arg-type]
        assert not await store.exists("k")

    async def test_set_many(self, store: S) -> None:
        keys = ["zarr.json", "c/0", "foo/c/0.0", "foo/0/0"]
        values = {k: self.buf(k.encode()) for k in keys}
        await store._set_many(values.items())
        for key, value in values.items():
            assert_bytes_equal(await self.get(store, key), value)

    async def test_concurrent_set_distinct_keys(self, store: S) -> None:
        values = {f"c/{i // 10}/{i % 10}": str(i).encode() * 3 for i in range(40)}
        await asyncio.gather(*(store.set(k, self.buf(v)) for k, v in values.items()))
        assert await snapshot(store) == values

    async def test_set_if_not_exists(self, store: S) -> None:
        data_buf = self.buf(b"0000")
        await self.set(store, "k", data_buf)
        new = self.buf(b"1111")
        await store.set_if_not_exists("k", new)
        assert await store.get("k", default_buffer_prototype()) == data_buf
        await store.set_if_not_exists("k2", new)
        assert await store.get("k2", default_buffer_prototype()) == new

    # -- exists and delete ----------------------------------------------------

    async def test_exists(self, store: S) -> None:
        assert not await store.exists("foo")
        await store.set("foo/zarr.json", self.buf(b"bar"))
        assert await store.exists("foo/zarr.json")

    async def test_exists_is_exact(self, store: S) -> None:
        await self.set(store, "foo/zarr.json", self.buf(b"{}"))
        assert await store.exists("foo/zarr.json")
        assert not await store.exists("foo/zarr")

    async def _assert_delete_refused(self, store: S, attempt: Coroutine[Any, Any, None]) -> None:
        """A store without deletes says so and keeps its data."""
        before = await snapshot(store)
        with pytest.raises(NotImplementedError, match="delet"):
            await attempt
        assert await snapshot(store) == before

    async def test_delete(self, store: S) -> None:
        await store.set("foo/zarr.json", self.buf(b"bar"))
        await store.set("foo/c/0", self.buf(b"x"))
        assert await store.exists("foo/zarr.json")
        if not store.supports_deletes:
            await self._assert_delete_refused(store, store.delete("foo/zarr.json"))
            return
        await store.delete("foo/zarr.json")
        assert not await store.exists("foo/zarr.json")
        assert await collect(store.list()) == ["foo/c/0"]

    async def test_delete_dir(self, store: S) -> None:
        for key in ["zarr.json", "foo-bar/zarr.json", "foo/zarr.json", "foo/c/0", "foo/c/1/2"]:
            await store.set(key, self.buf(b"x"))
        if not store.supports_deletes:
            await self._assert_delete_refused(store, store.delete_dir("foo"))
            return
        await store.delete_dir("foo")
        assert await store.exists("zarr.json")
        assert await store.exists("foo-bar/zarr.json")
        assert not await store.exists("foo/zarr.json")
        assert not await store.exists("foo/c/0")
        assert await collect(store.list()) == ["foo-bar/zarr.json", "zarr.json"]
        assert await store.is_empty("foo")

    async def test_delete_dir_root_clears_everything(self, store: S) -> None:
        for key in ["zarr.json", "foo/zarr.json", "foo/c/0"]:
            await self.set(store, key, self.buf(b"x"))
        await store.delete_dir("")
        assert await store.is_empty("")
        await store.set("again", self.buf(b"writable after clearing"))
        assert await collect(store.list()) == ["again"]

    async def test_delete_nonexistent_key_does_not_raise(self, store: S) -> None:
        # stores without deletes too: there is nothing to refuse
        await store.delete("nonexistent_key")
        await store.delete("nonexistent/nested/key")
        await store.delete_dir("nonexistent")

    async def test_is_empty(self, store: S) -> None:
        assert await store.is_empty("")
        await self.set(store, "foo/bar", self.buf(b"something"))
        assert not await store.is_empty("")
        assert await store.is_empty("fo")
        assert not await store.is_empty("foo/")
        assert not await store.is_empty("foo")
        assert await store.is_empty("spam/")
        assert await store.is_empty("foo/bar/")

    async def test_clear(self, store: S) -> None:
        await self.set(store, "key", self.buf(b"something"))
        await self.set(store, "nested/key", self.buf(b"y"))
        await store.clear()
        assert await store.is_empty("")
        assert await collect(store.list()) == []

    # -- listing --------------------------------------------------------------

    async def test_list(self, store: S) -> None:
        assert await collect(store.list()) == []
        data = self.buf(b"")
        keys = ["foo/zarr.json", *(f"foo/c/{i}" for i in range(10))]
        await store._set_many((k, data) for k in keys)
        assert await collect(store.list()) == sorted(keys)

    async def test_list_prefix(self, store: S) -> None:
        keys = ["zarr.json", "a/zarr.json", "a/b/zarr.json", "a/b/c/zarr.json", "a-b/zarr.json"]
        await store._set_many((k, self.buf(b"")) for k in keys)
        for prefix in ["", "a/", "a/b/", "a/b/c/", "zzz/"]:
            assert await collect(store.list_prefix(prefix)) == sorted(k for k in keys if k.startswith(prefix))

    async def test_list_empty_path(self, store: S) -> None:
        data = self.buf(b"")
        keys = ["foo/bar/zarr.json", "foo/bar/c/1", "foo/baz/c/0"]
        await store._set_many((k, data) for k in keys)
        assert await collect(store.list()) == sorted(keys)
        assert await collect(store.list_prefix("")) == sorted(keys)
        assert await collect(store.list_prefix("foo/bar/")) == ["foo/bar/c/1", "foo/bar/zarr.json"]
        assert await collect(store.list_dir("")) == ["foo"]
        assert await collect(store.list_dir("foo")) == ["bar", "baz"]

    async def test_list_dir(self, store: S) -> None:
        assert await collect(store.list_dir("")) == []
        groups = {
            "foo": ["foo/zarr.json", "foo/c/1"],
            "foo/bar": ["foo/bar/foobar_first_child", "foo/bar/foobar_second_child/zarr.json"],
        }
        for root, keys in groups.items():
            assert await collect(store.list_dir(root)) == []
            await store._set_many((k, self.buf(b"x")) for k in keys)
            expected = sorted({k.removeprefix(root + "/").split("/")[0] for k in keys})
            assert await collect(store.list_dir(root)) == expected
            assert await collect(store.list_dir(root + "/")) == expected
        assert await collect(store.list_dir("foo")) == ["bar", "c", "zarr.json"]
        assert await collect(store.list_dir("")) == ["foo"]

    async def test_list_dir_keeps_sibling_prefixes_apart(self, store: S) -> None:
        for key in ["foo/a", "foo-bar/b", "foobar"]:
            await self.set(store, key, self.buf(b"x"))
        assert await collect(store.list_dir("foo")) == ["a"]
        assert await collect(store.list_dir("")) == ["foo", "foo-bar", "foobar"]

    # -- blocking methods (zarr-python's optional SupportsSyncStore) -----------

    def test_get_sync(self, store: S) -> None:
        getter = self._require_get_sync(store)
        data_buf = self.buf(b"\x01\x02\x03\x04")
        _run(self.set(store, "sync_get", data_buf))
        assert_bytes_equal(getter.get_sync("sync_get"), data_buf)
        observed = getter.get_sync("sync_get", byte_range=RangeByteRequest(1, 3))
        assert_bytes_equal(observed, b"\x02\x03")

    def test_get_sync_missing(self, store: S) -> None:
        assert self._require_get_sync(store).get_sync("nonexistent") is None

    def test_set_sync(self, store: S) -> None:
        setter = self._require_set_sync(store)
        data_buf = self.buf(b"\x01\x02\x03\x04")
        setter.set_sync("sync_set", data_buf)
        assert_bytes_equal(_run(self.get(store, "sync_set")), data_buf)

    def test_delete_sync(self, store: S) -> None:
        setter = self._require_set_sync(store)
        deleter = self._require_delete_sync(store)
        getter = self._require_get_sync(store)
        if not store.supports_deletes:
            pytest.skip("store does not support deletes")
        setter.set_sync("sync_delete", self.buf(b"\x01\x02\x03\x04"))
        deleter.delete_sync("sync_delete")
        assert getter.get_sync("sync_delete") is None

    def test_delete_sync_missing(self, store: S) -> None:
        deleter = self._require_delete_sync(store)
        if not store.supports_deletes:
            pytest.skip("store does not support deletes")
        deleter.delete_sync("nonexistent_sync")

    def test_sync_methods_refuse_writes_when_read_only(self, store: S) -> None:
        setter = self._require_set_sync(store)
        try:
            reader = store.with_read_only(True)
        except NotImplementedError:
            return
        assert isinstance(reader, SupportsSetSync) and isinstance(reader, SupportsDeleteSync)
        with pytest.raises(ReadOnlyError, match="sync_key"):
            reader.set_sync("sync_key", self.buf(b"x"))
        setter.set_sync("sync_key", self.buf(b"x"))
        with pytest.raises(ReadOnlyError, match="sync_key"):
            reader.delete_sync("sync_key")
        assert_bytes_equal(_run(self.get(store, "sync_key")), b"x")


_wrap_async_tests(StoreTests)


class LatencyStore(WrapperStore[Store]):
    """Waits ``get_latency``/``set_latency`` seconds before each get/set: a slow backend for tests."""

    def __init__(self, store: Store, *, get_latency: float = 0, set_latency: float = 0) -> None:
        super().__init__(store)
        self.get_latency = float(get_latency)
        self.set_latency = float(set_latency)

    def _with_store(self, store: Store) -> Self:
        return type(self)(store, get_latency=self.get_latency, set_latency=self.set_latency)

    async def set(self, key: str, value: Buffer) -> None:
        await asyncio.sleep(self.set_latency)
        await self._store.set(key, value)

    async def get(
        self, key: str, prototype: BufferPrototype | None = None, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        await asyncio.sleep(self.get_latency)
        return await self._store.get(key, prototype or default_buffer_prototype(), byte_range)
