"""``MemoryStore.set(key, value, byte_range=(start, stop))`` replaces part of a stored value.

zarr-python 3.1.6 has the parameter, but its own path fails on its Buffer classes (``buf[a:b] = Buffer``
reaches NumPy as a sequence), so these tests pin the documented meaning rather than compare runs."""

from __future__ import annotations

import asyncio
import inspect

import pytest
import zarr

from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.storage import FsspecStore, MemoryStore


def test_splice_replaces_the_range() -> None:
    store = MemoryStore()
    asyncio.run(store.set("k", Buffer.from_bytes(b"abcdef")))
    asyncio.run(store.set("k", Buffer.from_bytes(b"XY"), byte_range=(1, 3)))
    assert asyncio.run(store.get("k", default_buffer_prototype())).to_bytes() == b"aXYdef"
    assert "byte_range" in inspect.signature(zarr.storage.MemoryStore.set).parameters


def test_bad_ranges_name_the_key() -> None:
    store = MemoryStore({"k": Buffer.from_bytes(b"abc")})
    with pytest.raises(ValueError, match="byte_range \\(1, 2\\) of 'k'"):
        asyncio.run(store.set("k", Buffer.from_bytes(b"XY"), byte_range=(1, 2)))
    with pytest.raises(KeyError, match="'missing'"):
        asyncio.run(store.set("missing", Buffer.from_bytes(b"X"), byte_range=(0, 1)))
    assert store._store_dict["k"].to_bytes() == b"abc"


def test_fsspec_refuses_byte_range_writes_as_zarr_python_does() -> None:
    pytest.importorskip("fsspec")
    store = FsspecStore.from_url("memory://set-byte-range")
    with pytest.raises(NotImplementedError, match="byte_range"):
        asyncio.run(store.set("k", Buffer.from_bytes(b"X"), byte_range=(0, 1)))
