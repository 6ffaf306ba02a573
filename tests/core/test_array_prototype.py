"""``AsyncArray`` reads and writes honour a ``prototype=`` argument, as zarr-python's do."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

import zarrnb
from zarrnb.core.buffer import BufferPrototype, default_buffer_prototype
from zarrnb.storage import StorePath
from zarrnb.testing.buffer import (
    NDBufferUsingTestNDArrayLike,
    StoreExpectingTestBuffer,
)
from zarrnb.testing.buffer import TestBuffer as CustomBuffer  # not a test class: renamed for pytest
from zarrnb.testing.buffer import TestNDArrayLike as CustomArray

PROTOTYPE = BufferPrototype(buffer=CustomBuffer, nd_buffer=NDBufferUsingTestNDArrayLike)


async def _array(**kwargs: object) -> zarrnb.AsyncArray:
    return await zarrnb.api.asynchronous.create_array(
        StorePath(StoreExpectingTestBuffer()) / "a", shape=(9, 9), chunks=(5, 5), dtype="u2", **kwargs
    )


def test_store_io_and_result_use_the_named_prototype() -> None:
    asyncio.run(_named_prototype())


def test_without_a_prototype_the_store_gets_plain_buffers() -> None:
    asyncio.run(_plain())


async def _named_prototype() -> None:
    array = await _array(fill_value=0)
    await array.setitem((slice(1, 4), slice(3, 6)), np.ones((3, 3)), prototype=PROTOTYPE)
    got = await array.getitem((slice(None), slice(None)), prototype=PROTOTYPE)
    assert isinstance(got, CustomArray)
    expect = np.zeros((9, 9), dtype="u2")
    expect[1:4, 3:6] = 1
    np.testing.assert_array_equal(np.asarray(got), expect)
    orthogonal = await array.get_orthogonal_selection(([1, 2], slice(3, 5)), prototype=PROTOTYPE)
    assert isinstance(orthogonal, CustomArray) and orthogonal.shape == (2, 2)


async def _plain() -> None:
    array = await _array(fill_value=0, compressors=None)
    with pytest.raises(AssertionError, match="not TestBuffer"):
        await array.setitem(Ellipsis, np.ones((9, 9)))
    await array.setitem(Ellipsis, np.ones((9, 9)), prototype=PROTOTYPE)
    assert default_buffer_prototype().buffer is not CustomBuffer  # nothing leaks out of the call
    with pytest.raises(AssertionError, match="read with"):
        await array.getitem(Ellipsis)
