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
    wider = np.zeros((100, 50), dtype="f8")  # another dtype is cast into, as zarr-python does
    np.testing.assert_array_equal(array.get_basic_selection(..., out=wider), array[...].astype("f8"))
    with pytest.raises(TypeError, match="NumPy array"):
        array.get_basic_selection(..., out=[0] * 5000)


@pytest.mark.parametrize("order", ["C", "F"])
def test_a_big_result_has_its_own_mapping_and_behaves_as_numpy(order: str) -> None:
    import pickle

    from zarrnb.core.buffer import recycle

    # 32 MiB: a result this big is mapped on its own (4 KiB pages, no huge-page advice), reused once freed
    data = np.arange(8192 * 1024, dtype="f4").reshape(8192, 1024)
    a = zarrnb.create_array(
        store={}, shape=data.shape, chunks=(2048, 1024), dtype="f4", config={"order": order}
    )
    a[...] = data
    got = a[...]

    def memory(array: np.ndarray) -> object:
        while isinstance(array, np.ndarray) and array.base is not None:
            array = array.base
        return array

    assert recycle.is_recycled(memory(got))
    assert got.flags.writeable and (got.flags.f_contiguous if order == "F" else got.flags.c_contiguous)
    np.testing.assert_array_equal(got, data)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(got)), data)
    got[0, 0] = -1  # a private mapping: writable, and nothing else sees it
    assert a[0, 0] == 0
    address = got.ctypes.data
    del got
    again = a[...]  # the freed result's memory, its pages already present
    assert again.ctypes.data == address
    np.testing.assert_array_equal(again, data)
    # small results, object and variable-length string dtypes stay plain numpy arrays
    assert not recycle.is_recycled(memory(a[:2]))
    strings = zarrnb.create_array(store={}, shape=(300_000,), chunks=(300_000,), dtype=str)
    strings[...] = np.full(300_000, "x", dtype=object)
    assert not recycle.is_recycled(memory(strings[...]))
