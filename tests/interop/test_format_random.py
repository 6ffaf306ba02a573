"""Random shapes, chunks (edges that do not divide), shards and formats, both ways against zarr-python."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from zarrnb.dtype import STRING_DTYPE
from zarrnb.metadata import build_array_metadata

from .format_helpers import (
    assert_same_values,
    decode_all,
    documents_json,
    encode_all,
    sample,
    zarr_create,
    zarr_read,
)


@st.composite
def layouts(draw: st.DrawFn) -> dict:
    ndim = draw(st.integers(0, 3))
    shape = tuple(draw(st.lists(st.integers(0, 9), min_size=ndim, max_size=ndim)))
    chunks = tuple(draw(st.integers(1, 5)) for _ in shape)
    zarr_format = draw(st.sampled_from([2, 3]))
    kwargs = {
        "shape": shape,
        "chunks": chunks,
        "dtype": draw(
            st.sampled_from(["<i2", ">i4", "<f4", ">f8", "u1", "bool", "<c8", "<U3", "S2", "<M8[s]", "str"])
        ),
        "zarr_format": zarr_format,
    }
    if draw(st.booleans()) and kwargs["dtype"] not in ("<U3", "S2", "str", "<M8[s]"):
        kwargs["fill_value"] = 1
    if zarr_format == 2:
        kwargs["order"] = draw(st.sampled_from(["C", "F"]))
    elif ndim and draw(st.booleans()):
        kwargs["shards"] = tuple(c * draw(st.integers(1, 3)) for c in chunks)
    return kwargs


@settings(max_examples=30, deadline=None)
@given(kwargs=layouts(), seed=st.integers(0, 1000))
def test_random_layouts_both_ways(kwargs: dict, seed: int) -> None:
    dtype = STRING_DTYPE if kwargs["dtype"] == "str" else np.dtype(kwargs["dtype"])
    data = sample(dtype, kwargs["shape"], seed=seed)
    array, stored = zarr_create(data, **kwargs)
    _, decoded = decode_all(stored)
    assert_same_values(decoded, array[...])

    built = build_array_metadata(**kwargs)
    assert documents_json(built.to_documents()) == documents_json(stored)
    _, values = zarr_read(encode_all(built, data))
    assert_same_values(values, array[...])
