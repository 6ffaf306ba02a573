"""``StoreTests``: the store contract as a pytest base class, for zarrnb's stores and yours.

Subclass it, set ``store_cls`` and provide a ``store_kwargs`` fixture; every
``async def test_*`` runs in a fresh event loop (no pytest plugin needed).
Override ``set``/``get`` to reach the backend directly instead of through the store.

The shape is zarr-python's ``zarr.testing.store.StoreTests[StoreType, BufferType]``: the same
fixtures (``store_kwargs``, ``open_kwargs``, ``store``, ``store_not_open``), ``store_cls`` and
``buffer_cls``, and test names, so zarr-python's own store test classes run on it unchanged.
``StoreTests[MyStore]`` (buffer type omitted) means ``StoreTests[MyStore, Buffer]``.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
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
)
from zarrnb.core.buffer import Buffer, BufferPrototype, default_buffer_prototype
from zarrnb.errors import ReadOnlyError
from zarrnb.storage.wrapper import WrapperStore

__all__ = ["LatencyStore", "StoreTests", "collect", "expected_slice", "snapshot"]

S = TypeVar("S", bound=Store)
B = TypeVar("B", bound=Buffer)
KEYS = ["c/0", "foo/c/0.0", "foo/0/0", "zarr.json"]
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


def _in_fresh_loop(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def _wrap_async_tests(cls: type) -> None:
    for name, value in list(vars(cls).items()):
        if name.startswith("test") and inspect.iscoroutinefunction(value):
            setattr(cls, name, _in_fresh_loop(value))


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
        return asyncio.run(self.open_store(open_kwargs))

    @pytest.fixture
    def store_not_open(self, store_kwargs: dict[str, Any]) -> S:
        return self.reopen(store_kwargs)

    def reopen(self, store_kwargs: dict[str, Any], **changes: Any) -> S:
        """A new, not yet opened store over the same backend (``changes`` such as ``read_only=True``)."""
        return self.store_cls(**{**store_kwargs, **changes})

    async def open_store(self, store_kwargs: dict[str, Any], **changes: Any) -> S:
        """A new store over the same backend, opened through the class's ``open``."""
        return await self.store_cls.open(**{**store_kwargs, **changes})

    async def set(self, store: S, key: str, value: Buffer) -> None:
        """Write behind the store's back; override to bypass the store under test."""
        await store.set(key, value)

    async def get(self, store: S, key: str) -> Buffer | None:
        """Read behind the store's back; override to bypass the store under test."""
        return await store.get(key, default_buffer_prototype())

    def buf(self, data: bytes) -> Buffer:
        return self.buffer_cls.from_bytes(data)

    # -- identity -------------------------------------------------------------

    async def test_store_type(self, store: S) -> None:
        assert isinstance(store, Store)
        assert isinstance(store, self.store_cls)

    async def test_store_repr(self, store: S, store_kwargs: dict[str, Any]) -> None:
        assert str(store) and repr(store)
        assert str(self.reopen(store_kwargs)) == str(store)

    async def test_store_supports_writes(self, store: S) -> None:
        assert store.supports_writes is True

    async def test_store_supports_partial_writes(self, store: S) -> None:
        assert store.supports_partial_writes is False

    async def test_store_supports_listing(self, store: S) -> None:
        assert store.supports_listing is True

    async def test_store_eq(self, store: S, store_kwargs: dict[str, Any]) -> None:
        assert store == store
        assert store == self.reopen(store_kwargs)
        assert store != object()
        assert store != store.with_read_only(True)

    async def test_serializable_store(self, store: S) -> None:
        if not self.pickles:
            with pytest.raises((TypeError, pickle.PicklingError, NotImplementedError)):
                pickle.dumps(store)
            return
        await self.set(store, "k/a", self.buf(b"pickled"))
        other = pickle.loads(pickle.dumps(store))
        assert other == store
        value = await other.get("k/a", default_buffer_prototype())
        assert value is not None and value.to_bytes() == b"pickled"

    @pytest.mark.parametrize("read_only", [True, False])
    async def test_store_read_only(self, store_kwargs: dict[str, Any], read_only: bool) -> None:
        store = self.reopen(store_kwargs, read_only=read_only)
        assert store.read_only is read_only

    async def test_store_open_read_only(self, store: S, store_kwargs: dict[str, Any]) -> None:
        await self.set(store, "k", self.buf(b"v"))
        store.close()
        reader = await self.open_store(store_kwargs, read_only=True)
        assert reader._is_open and reader.read_only
        assert (await reader.get("k", default_buffer_prototype())).to_bytes() == b"v"  # type: ignore[union-attr]

    async def test_store_open_twice_raises(self, store: S) -> None:
        with pytest.raises(ValueError, match="already open"):
            await store._open()

    async def test_store_context_manager(self, store: S) -> None:
        with store as entered:
            assert entered is store
        assert not store._is_open

    async def test_store_async_context_manager(self, store_not_open: S) -> None:
        async with store_not_open as entered:
            assert entered is store_not_open and store_not_open._is_open
        assert not store_not_open._is_open

    # -- read-only refusals ---------------------------------------------------

    async def test_read_only_store_raises(self, store: S, store_kwargs: dict[str, Any]) -> None:
        await self.set(store, "foo/a", self.buf(b"one"))
        await self.set(store, "b", self.buf(b"two"))
        before = await snapshot(store)
        store.close()
        reader = await self.open_store(store_kwargs, read_only=True)
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

    async def test_with_read_only_store(self, store: S) -> None:
        await self.set(store, "k", self.buf(b"v"))
        reader = store.with_read_only(True)
        assert reader.read_only and not store.read_only
        value = await reader.get("k", default_buffer_prototype())
        assert value is not None and value.to_bytes() == b"v"
        with pytest.raises(ReadOnlyError, match="read-only"):
            await reader.set("k", self.buf(b"w"))
        writer = reader.with_read_only(False)
        await writer.set("k", self.buf(b"w"))
        assert (await self.get(store, "k")).to_bytes() == b"w"  # type: ignore[union-attr]

    # -- get ------------------------------------------------------------------

    @pytest.mark.parametrize("key", KEYS)
    @pytest.mark.parametrize("data", [b"\x01\x02\x03\x04", b""])
    async def test_get(self, store: S, key: str, data: bytes) -> None:
        await self.set(store, key, self.buf(data))
        observed = await store.get(key, default_buffer_prototype())
        assert isinstance(observed, Buffer)
        assert observed.to_bytes() == data

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
        assert await store_not_open.get("c/0", default_buffer_prototype()) is None

    async def test_get_raises(self, store: S) -> None:
        await self.set(store, "c/0", self.buf(b"\x01\x02\x03\x04"))
        with pytest.raises((ValueError, TypeError), match=r"Unexpected byte_range, got.*"):
            await store.get("c/0", default_buffer_prototype(), byte_range=(0, 2))  # type: ignore[arg-type]

    async def test_get_many(self, store: S) -> None:
        keys = [str(i) for i in range(10)]
        for key in keys:
            await self.set(store, key, self.buf(key.encode()))
        prototype = default_buffer_prototype()
        observed = {k: v.to_bytes() async for k, v in store._get_many((k, prototype, None) for k in keys)}
        assert observed == {k: k.encode() for k in keys}

    @pytest.mark.parametrize(
        "key_ranges",
        [
            [],
            [("zarr.json", RangeByteRequest(0, 2))],
            [("c/0", RangeByteRequest(0, 2)), ("zarr.json", None)],
            [
                ("c/0/0", RangeByteRequest(0, 2)),
                ("c/0/1", SuffixByteRequest(2)),
                ("c/0/2", OffsetByteRequest(2)),
            ],
            [("c/0/0", RangeByteRequest(3, 50)), ("c/0/0", SuffixByteRequest(50)), ("c/0/0", None)],
            [
                ("c/0/0", RangeByteRequest(0, 2)),
                ("c/0/0", RangeByteRequest(2, 4)),
                ("c/0/0", RangeByteRequest(4, 50)),
                ("c/0/0", RangeByteRequest(60, 70)),
            ],
        ],
        ids=["none", "one", "two", "three", "same-key", "ranges-of-one-key"],
    )
    async def test_get_partial_values(
        self, store: S, key_ranges: list[tuple[str, ByteRequest | None]]
    ) -> None:
        for key, _ in key_ranges:
            await self.set(store, key, self.buf(key.encode()))
        observed = await store.get_partial_values(default_buffer_prototype(), key_ranges)
        assert [o.to_bytes() if o is not None else None for o in observed] == [
            expected_slice(key.encode(), byte_range) for key, byte_range in key_ranges
        ]

    async def test_get_partial_values_missing_key(self, store: S) -> None:
        await self.set(store, "a", self.buf(b"abc"))
        observed = await store.get_partial_values(
            default_buffer_prototype(),
            [("a", None), ("missing", None), ("missing/2", RangeByteRequest(0, 1))],
        )
        assert observed[0] is not None and observed[0].to_bytes() == b"abc"
        assert observed[1:] == [None, None]

    # -- sizes ----------------------------------------------------------------

    @pytest.mark.parametrize("key", KEYS)
    async def test_getsize(self, store: S, key: str) -> None:
        await self.set(store, key, self.buf(PAYLOAD))
        assert await store.getsize(key) == len(PAYLOAD)
        await self.set(store, key, self.buf(b"ab"))
        assert await store.getsize(key) == 2

    async def test_getsize_prefix(self, store: S) -> None:
        for i in range(10):
            await self.set(store, f"c/{i}", self.buf(b"x" * i))
        await self.set(store, "c-sibling", self.buf(b"y" * 100))
        assert await store.getsize_prefix("c") == sum(range(10))
        assert await store.getsize_prefix("c/") == sum(range(10))
        assert await store.getsize_prefix("nothing") == 0

    async def test_getsize_raises(self, store: S) -> None:
        with pytest.raises(FileNotFoundError, match="not-a-key"):
            await store.getsize("not-a-key")

    # -- set ------------------------------------------------------------------

    @pytest.mark.parametrize("key", KEYS)
    @pytest.mark.parametrize("data", [b"\x01\x02\x03\x04", b""])
    async def test_set(self, store: S, key: str, data: bytes) -> None:
        await store.set(key, self.buf(data))
        observed = await self.get(store, key)
        assert observed is not None and observed.to_bytes() == data

    async def test_set_overwrites(self, store: S) -> None:
        await store.set("k", self.buf(b"first value"))
        await store.set("k", self.buf(b"2nd"))
        assert (await self.get(store, "k")).to_bytes() == b"2nd"  # type: ignore[union-attr]
        assert await collect(store.list()) == ["k"]

    async def test_set_not_open(self, store_not_open: S) -> None:
        await store_not_open.set("c/0", self.buf(b"data"))
        assert (await self.get(store_not_open, "c/0")).to_bytes() == b"data"  # type: ignore[union-attr]

    async def test_set_refuses_non_buffer(self, store: S) -> None:
        with pytest.raises(TypeError, match="Buffer"):
            await store.set("k", b"bytes are not a Buffer")  # type: ignore[arg-type]
        assert not await store.exists("k")

    async def test_set_many(self, store: S) -> None:
        values = {f"k/{i}": self.buf(bytes([i]) * i) for i in range(5)}
        await store._set_many(values.items())
        for key, value in values.items():
            assert (await self.get(store, key)).to_bytes() == value.to_bytes()  # type: ignore[union-attr]

    async def test_concurrent_set_distinct_keys(self, store: S) -> None:
        values = {f"c/{i // 10}/{i % 10}": str(i).encode() * 3 for i in range(40)}
        await asyncio.gather(*(store.set(k, self.buf(v)) for k, v in values.items()))
        assert await snapshot(store) == values

    async def test_set_if_not_exists(self, store: S) -> None:
        await self.set(store, "k", self.buf(b"0000"))
        await store.set_if_not_exists("k", self.buf(b"1111"))
        assert (await self.get(store, "k")).to_bytes() == b"0000"  # type: ignore[union-attr]
        await store.set_if_not_exists("k2", self.buf(b"2222"))
        assert (await self.get(store, "k2")).to_bytes() == b"2222"  # type: ignore[union-attr]

    # -- exists and delete ----------------------------------------------------

    async def test_exists(self, store: S) -> None:
        assert not await store.exists("foo/zarr.json")
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
        await self.set(store, "foo/zarr.json", self.buf(b"{}"))
        await self.set(store, "foo/c/0", self.buf(b"x"))
        if not store.supports_deletes:
            await self._assert_delete_refused(store, store.delete("foo/zarr.json"))
            return
        await store.delete("foo/zarr.json")
        assert not await store.exists("foo/zarr.json")
        assert await collect(store.list()) == ["foo/c/0"]

    async def test_delete_dir(self, store: S) -> None:
        for key in ["zarr.json", "foo/zarr.json", "foo/c/0", "foo/c/1/2", "foo-bar/zarr.json"]:
            await self.set(store, key, self.buf(b"x"))
        if not store.supports_deletes:
            await self._assert_delete_refused(store, store.delete_dir("foo"))
            return
        await store.delete_dir("foo")
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
        await store.delete("nonexistent_key")
        await store.delete("nonexistent/nested/key")
        await store.delete_dir("nonexistent")

    async def test_is_empty(self, store: S) -> None:
        assert await store.is_empty("")
        await self.set(store, "foo/bar", self.buf(b"x"))
        assert not await store.is_empty("")
        assert not await store.is_empty("foo")
        assert not await store.is_empty("foo/")
        assert await store.is_empty("fo")
        assert await store.is_empty("foo/bar/")

    async def test_clear(self, store: S) -> None:
        await self.set(store, "key", self.buf(b"x"))
        await self.set(store, "nested/key", self.buf(b"y"))
        await store.clear()
        assert await store.is_empty("")
        assert await collect(store.list()) == []

    # -- listing --------------------------------------------------------------

    async def test_list(self, store: S) -> None:
        assert await collect(store.list()) == []
        keys = [f"foo/c/{i}" for i in range(5)] + ["zarr.json", "foo-bar/zarr.json"]
        for key in keys:
            await self.set(store, key, self.buf(b"x"))
        assert await collect(store.list()) == sorted(keys)

    async def test_list_prefix(self, store: S) -> None:
        keys = ["zarr.json", "a/zarr.json", "a/b/zarr.json", "a/b/c/zarr.json", "a-b/zarr.json"]
        for key in keys:
            await self.set(store, key, self.buf(b"x"))
        for prefix in ["", "a/", "a/b/", "a/b/c/", "zzz/"]:
            assert await collect(store.list_prefix(prefix)) == sorted(k for k in keys if k.startswith(prefix))

    async def test_list_empty_path(self, store: S) -> None:
        data = self.buf(b"")
        keys = ["foo/bar/zarr.json", "foo/bar/c/1", "foo/baz/c/0"]
        await store._set_many((k, data) for k in keys)
        assert await collect(store.list_prefix("")) == sorted(keys)
        assert await collect(store.list_dir("")) == ["foo"]
        assert await collect(store.list_dir("foo")) == ["bar", "baz"]

    async def test_list_dir(self, store: S) -> None:
        assert await collect(store.list_dir("")) == []
        groups = {
            "foo": ["foo/zarr.json", "foo/c/1"],
            "foo/bar": ["foo/bar/first_child", "foo/bar/second_child/zarr.json"],
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
