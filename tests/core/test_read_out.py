"""Reading into a preallocated ``out=``: the chunks land in the caller's array, no second buffer."""

from __future__ import annotations

import numpy as np
import pytest

import zarrnb


@pytest.fixture
def array() -> zarrnb.Array:
    a = zarrnb.create_array(store={}, shape=(100, 50), chunks=(16, 16), dtype="f4", fill_value=0)
    a[...] = np.arange(5000, dtype="f4").reshape(100, 50)
    return a


def test_whole_array_and_a_row_read_into_out(array: zarrnb.Array) -> None:
    out = np.full((100, 50), -1, dtype="f4")
    assert array.get_basic_selection(..., out=out) is out
    np.testing.assert_array_equal(out, np.arange(5000).reshape(100, 50))
    row = np.zeros(50, dtype="f4")
    array.get_basic_selection((3, slice(None)), out=row)
    np.testing.assert_array_equal(row, np.arange(150, 200))


def test_out_is_filled_in_place_through_a_strided_view(array: zarrnb.Array) -> None:
    base = np.zeros((100, 100), dtype="f4")
    view = base[:, ::2]
    array.get_basic_selection(..., out=view)
    np.testing.assert_array_equal(base[:, ::2], np.arange(5000).reshape(100, 50))
    assert not base[:, 1::2].any()


def test_wrong_out_is_refused_naming_the_shapes(array: zarrnb.Array) -> None:
    with pytest.raises(ValueError, match=r"\(100, 50\).*\(10, 10\)"):
        array.get_basic_selection(..., out=np.zeros((10, 10), dtype="f4"))
    with pytest.raises(ValueError, match="dtype float32"):
        array.get_basic_selection(..., out=np.zeros((100, 50), dtype="f8"))
    with pytest.raises(TypeError, match="NumPy array"):
        array.get_basic_selection(..., out=[0] * 5000)
