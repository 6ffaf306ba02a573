"""Whole-engine reads and writes against numpy (hypothesis shapes, chunks, shards and selections)."""

from __future__ import annotations

import asyncio
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from zarrnb.core.array import AsyncArray
from zarrnb.storage import MemoryStore, StorePath

run = asyncio.run


@st.composite
def arrays(draw):
    """A small array (sometimes sharded, sometimes v2) on a MemoryStore, plus its numpy twin."""
    ndim = draw(st.integers(1, 3))
    shape = tuple(draw(st.lists(st.integers(1, 9), min_size=ndim, max_size=ndim)))
    chunks = tuple(draw(st.integers(1, s + 1)) for s in shape)
    layout = draw(st.sampled_from(["plain", "sharded", "v2"]))
    kwargs: dict = {"zarr_format": 2} if layout == "v2" else {}
    if layout == "sharded":
        kwargs["shards"] = tuple(c * draw(st.integers(1, 3)) for c in chunks)
    array = run(
        AsyncArray.create(
            StorePath(MemoryStore()), shape=shape, chunks=chunks, dtype="i4", fill_value=-1, **kwargs
        )
    )
    data = np.arange(math.prod(shape), dtype="i4").reshape(shape)
    run(array.setitem(Ellipsis, data))
    return array, data


def index_arrays(dim_len: int, unique: bool = False):
    values = st.lists(st.integers(-dim_len, dim_len - 1), min_size=1, max_size=6, unique=unique)
    return values.map(lambda v: np.array(v, dtype=np.int64))


def slices(dim_len: int):
    bound = st.one_of(st.none(), st.integers(-dim_len - 2, dim_len + 2))
    return st.builds(slice, bound, bound, st.one_of(st.none(), st.integers(1, 4)))


def basic(shape):
    return st.tuples(*(st.one_of(st.integers(-n, n - 1), slices(n)) for n in shape))


def orthogonal(shape, unique: bool = False):
    return st.tuples(*(st.one_of(slices(n), index_arrays(n, unique)) for n in shape))


def numpy_ix(selection, shape):
    return np.ix_(*(np.arange(n)[s] for s, n in zip(selection, shape, strict=True)))


SETTINGS = settings(max_examples=30, deadline=None)


@SETTINGS
@given(st.data())
def test_basic_read_and_write(data) -> None:
    array, expected = data.draw(arrays())
    selection = data.draw(basic(array.shape))
    np.testing.assert_array_equal(run(array.getitem(selection)), expected[selection])
    value = -np.arange(expected[selection].size, dtype="i4").reshape(expected[selection].shape) - 2
    run(array.setitem(selection, value))
    expected[selection] = value
    np.testing.assert_array_equal(run(array.getitem(Ellipsis)), expected)


@SETTINGS
@given(st.data())
def test_orthogonal_read_and_write(data) -> None:
    array, expected = data.draw(arrays())
    selection = data.draw(orthogonal(array.shape))
    got = run(array.get_orthogonal_selection(selection))
    np.testing.assert_array_equal(got, expected[numpy_ix(selection, array.shape)])
    unique = data.draw(orthogonal(array.shape, unique=True))
    index = numpy_ix(unique, array.shape)
    value = -np.arange(expected[index].size, dtype="i4").reshape(expected[index].shape) - 2
    run(array.set_orthogonal_selection(unique, value))
    expected[index] = value
    np.testing.assert_array_equal(run(array.getitem(Ellipsis)), expected)


@SETTINGS
@given(st.data())
def test_coordinate_and_mask_read_and_write(data) -> None:
    array, expected = data.draw(arrays())
    n = data.draw(st.integers(1, 8))
    coords = tuple(
        np.array(data.draw(st.lists(st.integers(0, s - 1), min_size=n, max_size=n))) for s in array.shape
    )
    np.testing.assert_array_equal(run(array.get_coordinate_selection(coords)), expected[coords])
    flat = data.draw(st.lists(st.booleans(), min_size=expected.size, max_size=expected.size))
    mask = np.array(flat).reshape(expected.shape)
    np.testing.assert_array_equal(run(array.get_mask_selection(mask)), expected[mask])
    run(array.set_mask_selection(mask, -7))
    expected[mask] = -7
    np.testing.assert_array_equal(run(array.getitem(Ellipsis)), expected)
