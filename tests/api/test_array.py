"""The sync Array: delegation to AsyncArray, indexers, attrs, info, repr, pickling."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import zarrnb
from zarrnb.api.array import Array
from zarrnb.core.array import AsyncArray
from zarrnb.storage import LocalStore, MemoryStore


@pytest.fixture
def arr() -> Array:
    a = zarrnb.create_array(MemoryStore(), name="x", shape=(6, 4), dtype="i4", chunks=(2, 2))
    a[:] = np.arange(24, dtype="i4").reshape(6, 4)
    return a


def test_properties_come_from_the_async_array(arr: Array) -> None:
    assert isinstance(arr.async_array, AsyncArray)
    assert (arr.shape, arr.chunks, arr.ndim, arr.size, arr.nchunks) == ((6, 4), (2, 2), 2, 24, 6)
    assert arr.dtype == np.dtype("i4")
    assert (arr.path, arr.name, arr.basename) == ("x", "/x", "x")
    assert arr.nbytes == 96 and not arr.read_only and len(arr) == 6


def test_basic_indexing_and_numpy_conversion(arr: Array) -> None:
    expected = np.arange(24, dtype="i4").reshape(6, 4)
    np.testing.assert_array_equal(arr[1:5:2, ::3], expected[1:5:2, ::3])
    np.testing.assert_array_equal(np.asarray(arr), expected)
    np.testing.assert_array_equal(arr.get_basic_selection((slice(None), 1)), expected[:, 1])
    arr[0, 0] = -1
    arr.set_basic_selection((5, slice(None)), 7)
    assert arr[0, 0] == -1
    np.testing.assert_array_equal(arr[5], [7, 7, 7, 7])


def test_oindex_vindex_blocks_get_and_set(arr: Array) -> None:
    expected = np.arange(24, dtype="i4").reshape(6, 4)
    np.testing.assert_array_equal(arr.oindex[[0, 3], [1, 2]], expected[np.ix_([0, 3], [1, 2])])
    np.testing.assert_array_equal(arr.vindex[[0, 3], [1, 2]], expected[[0, 3], [1, 2]])
    mask = expected % 5 == 0
    np.testing.assert_array_equal(arr.vindex[mask], expected[mask])
    np.testing.assert_array_equal(arr.blocks[1, 1], expected[2:4, 2:4])
    arr.oindex[[0], [0, 1]] = 100
    arr.vindex[[5], [3]] = 200
    arr.vindex[mask] = 0
    arr.blocks[2, 0] = -5
    expected[np.ix_([0], [0, 1])] = 100
    expected[5, 3] = 200
    expected[mask] = 0
    expected[4:6, 0:2] = -5
    np.testing.assert_array_equal(arr[:], expected)


def test_resize_append_and_chunks_initialized(arr: Array) -> None:
    assert arr.nchunks_initialized == 6
    arr.resize((2, 4))
    assert arr.shape == (2, 4)
    assert arr.nchunks_initialized == 2
    assert arr.append(np.ones((3, 4), dtype="i4")) == (5, 4)
    np.testing.assert_array_equal(arr[2:], np.ones((3, 4)))
    reopened = zarrnb.open_array(arr.store, path="x", mode="r")
    assert reopened.shape == (5, 4)
    assert arr.nbytes_stored() > 0


def test_attrs_persist_on_set_update_and_delete(arr: Array) -> None:
    arr.attrs["units"] = "m"
    arr.attrs.update({"a": 1, "b": 2})
    del arr.attrs["a"]
    reopened = zarrnb.open_array(arr.store, path="x", mode="r")
    assert dict(reopened.attrs) == {"units": "m", "b": 2}
    assert "units" in reopened.attrs and len(reopened.attrs) == 2
    arr.attrs.put({"only": True})
    assert zarrnb.open_array(arr.store, path="x").attrs.asdict() == {"only": True}


def test_info_and_html_reprs(arr: Array) -> None:
    text = repr(arr.info)
    assert "Type               : Array" in text and "Shape              : (6, 4)" in text
    complete = repr(arr.info_complete())
    assert "Chunks Initialized : 6" in complete
    assert "<table" in arr.info._repr_html_()
    html = arr._repr_html_()
    assert "zarrnb" in html and "(6, 4)" in html


def test_repr_matches_zarr_python(tmp_path) -> None:
    a = zarrnb.create_array(str(tmp_path / "data"), name="temp", shape=(2,), dtype="float64")
    assert repr(a) == f"<Array file://{tmp_path / 'data'}/temp shape=(2,) dtype=float64>"
    b = zarrnb.create_array(MemoryStore(), shape=(3,), dtype="int16")
    assert repr(b).startswith("<Array memory://") and repr(b).endswith(" shape=(3,) dtype=int16>")


def test_pickles_with_a_local_store(tmp_path) -> None:
    a = zarrnb.create_array(LocalStore(tmp_path), name="p", shape=(4,), dtype="u2")
    a[:] = [1, 2, 3, 4]
    clone = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(clone[:], [1, 2, 3, 4])
    assert clone == a


def test_errors_surface_with_their_own_type(arr: Array) -> None:
    with pytest.raises(IndexError):
        arr[10, 0]
    with pytest.raises(ValueError):
        arr.resize((1, 2, 3))
    with pytest.raises(TypeError):
        len(zarrnb.create_array(MemoryStore(), shape=(), dtype="i1"))
