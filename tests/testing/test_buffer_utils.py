"""``zarrnb.testing.buffer`` and ``zarrnb.testing.utils``: the helpers zarr-python's tests import."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from zarrnb.core.buffer import Buffer, BufferPrototype, cpu
from zarrnb.testing.buffer import (
    NDBufferUsingTestNDArrayLike,
    StoreExpectingTestBuffer,
    TestBuffer,
    TestNDArrayLike,
)
from zarrnb.testing.utils import assert_bytes_equal, has_cupy


def test_nd_buffer_creates_the_custom_array_type() -> None:
    made = NDBufferUsingTestNDArrayLike.create(shape=(2, 3), dtype="i2", fill_value=7)
    assert isinstance(made.as_ndarray_like(), TestNDArrayLike)
    np.testing.assert_array_equal(made.as_numpy_array(), np.full((2, 3), 7, dtype="i2"))


def test_store_expecting_test_buffer_checks_both_directions() -> None:
    prototype = BufferPrototype(buffer=TestBuffer, nd_buffer=cpu.NDBuffer)

    async def main() -> None:
        store = StoreExpectingTestBuffer()
        await store.set("zarr.json", Buffer.from_bytes(b"{}"))  # metadata may be any Buffer
        await store.set("c/0", TestBuffer.from_bytes(b"chunk"))
        found = await store.get("c/0", prototype)
        assert isinstance(found, TestBuffer) and found.to_bytes() == b"chunk"
        with pytest.raises(AssertionError, match="not TestBuffer"):
            await store.set("c/1", Buffer.from_bytes(b"x"))
        with pytest.raises(AssertionError, match="'c/0' read with"):
            await store.get("c/0", BufferPrototype(buffer=Buffer, nd_buffer=cpu.NDBuffer))

    asyncio.run(main())


def test_assert_bytes_equal_and_cupy_probe() -> None:
    assert_bytes_equal(Buffer.from_bytes(b"ab"), b"ab")
    with pytest.raises(AssertionError):
        assert_bytes_equal(b"ab", Buffer.from_bytes(b"ac"))
    assert isinstance(has_cupy(), bool)
