"""Recycled mappings for big read results: a freed result's memory serves the next one of its size,
never while any view of it lives, and the pool of freed mappings stays bounded."""

from __future__ import annotations

import gc
import mmap
import pickle

import numpy as np
import pytest

from zarrnb.core.buffer import recycle

PAGE = mmap.PAGESIZE


@pytest.fixture(autouse=True)
def empty_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts from an empty pool of at most 4 pages (so it maps little memory)."""
    monkeypatch.setattr(recycle, "_free", [])
    monkeypatch.setattr(recycle, "_kept", [0])
    monkeypatch.setattr(recycle, "POOL_BYTES", 4 * PAGE)


def test_an_array_behaves_as_numpys_in_either_order() -> None:
    for order in "CF":
        got = recycle.recycled_array((3, 5, 7), np.dtype(">i8"), order)
        assert got.shape == (3, 5, 7) and got.dtype == np.dtype(">i8") and got.flags.writeable
        assert got.flags.f_contiguous if order == "F" else got.flags.c_contiguous
        got[...] = np.arange(105).reshape(3, 5, 7)
        np.testing.assert_array_equal(pickle.loads(pickle.dumps(got)), np.arange(105).reshape(3, 5, 7))
    fields = recycle.recycled_array((4,), np.dtype([("a", "<i4"), ("b", "<f8")]), "C")
    fields["b"] = 1.5
    assert fields.dtype.names == ("a", "b") and (fields["b"] == 1.5).all()


def test_a_freed_array_is_reused_only_once_no_view_is_left() -> None:
    first = recycle.recycled_array((PAGE // 4,), np.dtype("f4"), "C")
    address = first.ctypes.data
    first[:] = 7
    view = first[10:]
    del first
    assert recycle.pooled_bytes() == 0  # the view still holds the memory
    other = recycle.recycled_array((PAGE // 4,), np.dtype("f4"), "C")
    assert other.ctypes.data != address
    del view
    assert recycle.pooled_bytes() == PAGE
    again = recycle.recycled_array((PAGE,), np.dtype("u1"), "C")  # same size, another dtype
    assert again.ctypes.data == address and recycle.pooled_bytes() == 0
    assert (again.view("f4") == 7).all()  # uninitialized, as numpy.empty: the old contents
    del other, again
    gc.collect()


def test_sizes_do_not_mix_and_the_pool_keeps_at_most_its_bound() -> None:
    arrays = [recycle.recycled_array((PAGE,), np.dtype("u1"), "C") for _ in range(5)]
    big = recycle.recycled_array((5 * PAGE,), np.dtype("u1"), "C")
    del big  # bigger than the whole pool: unmapped, not kept
    assert recycle.pooled_bytes() == 0
    addresses = [a.ctypes.data for a in arrays]
    while arrays:  # freed first to last
        del arrays[0]
    assert recycle.pooled_bytes() == 4 * PAGE  # the oldest freed one was dropped
    two_pages = recycle.recycled_array((2 * PAGE,), np.dtype("u1"), "C")
    assert two_pages.ctypes.data not in addresses  # no one-page mapping serves it
    reused = recycle.recycled_array((PAGE,), np.dtype("u1"), "C")
    assert reused.ctypes.data == addresses[-1]  # the most recently freed: the warmest pages
    assert recycle.pooled_bytes() == 3 * PAGE


def test_a_size_is_rounded_to_whole_pages() -> None:
    odd = recycle.recycled_array((PAGE + 1,), np.dtype("u1"), "C")
    address = odd.ctypes.data
    del odd
    assert recycle.pooled_bytes() == 2 * PAGE
    assert recycle.recycled_array((2 * PAGE - 3,), np.dtype("u1"), "C").ctypes.data == address
