"""The ``buffer``/``ndbuffer`` settings choose the classes array I/O uses, as in zarr-python."""

from __future__ import annotations

import numpy as np
import pytest

import zarrnb
from zarrnb.registry import fully_qualified_name, register_buffer, register_ndbuffer
from zarrnb.testing.buffer import NDBufferUsingTestNDArrayLike, StoreExpectingTestBuffer
from zarrnb.testing.buffer import TestBuffer as CustomBuffer  # renamed: not a test class
from zarrnb.testing.buffer import TestNDArrayLike as CustomArray


def test_buffer_setting_reaches_the_store() -> None:
    array = zarrnb.zeros(shape=(20,), chunks=(5,), store=StoreExpectingTestBuffer())
    with pytest.raises(AssertionError, match="not TestBuffer"):
        array[:] = np.arange(20)
    register_buffer(CustomBuffer)
    with zarrnb.config.set({"buffer": fully_qualified_name(CustomBuffer)}):
        array[:] = np.arange(20)
        np.testing.assert_array_equal(array[:], np.arange(20))
    with pytest.raises(AssertionError, match="read with"):
        array[:]


def test_ndbuffer_setting_chooses_the_result_type() -> None:
    array = zarrnb.create_array(zarrnb.storage.MemoryStore(), shape=(6,), chunks=(3,), dtype="i4")
    array[:] = np.arange(6)
    register_ndbuffer(NDBufferUsingTestNDArrayLike)
    with zarrnb.config.set({"ndbuffer": fully_qualified_name(NDBufferUsingTestNDArrayLike)}):
        got = array[:]
        assert isinstance(got, CustomArray)
        np.testing.assert_array_equal(np.asarray(got), np.arange(6))
    assert type(array[:]) is np.ndarray


def test_unregistered_buffer_setting_is_a_clear_error() -> None:
    array = zarrnb.zeros(shape=(4,), chunks=(2,), store=zarrnb.storage.MemoryStore())
    with zarrnb.config.set({"buffer": "nowhere.Buffer"}), pytest.raises(Exception, match=r"nowhere\.Buffer"):
        array[:] = 1
