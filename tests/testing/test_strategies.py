"""``zarrnb.testing.strategies``: what they draw is valid and zarrnb arrays index as NumPy does."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as npst

from zarrnb.metadata import ArrayMetadata
from zarrnb.testing import strategies as zst

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(data=st.data())
def test_arrays_hold_the_drawn_data(data: st.DataObject) -> None:
    # zarrnb refuses zero-length chunk sides, which zarr-python accepts for empty dimensions
    values = data.draw(zst.numpy_arrays(shapes=npst.array_shapes(max_dims=3, min_side=1, max_side=6)))
    array = data.draw(zst.arrays(arrays=st.just(values)))
    np.testing.assert_array_equal(array[...], values)
    assert array.metadata.zarr_format in (2, 3)


@SETTINGS
@given(data=st.data())
def test_basic_and_orthogonal_indices_match_numpy(data: st.DataObject) -> None:
    array = data.draw(zst.simple_arrays(shapes=st.sampled_from([(5, 4), (7,), (3, 3, 2)])))
    values = array[...]
    index = data.draw(zst.basic_indices(shape=values.shape))
    np.testing.assert_array_equal(array[index], values[index])
    zarr_index, numpy_index = data.draw(zst.orthogonal_indices(shape=values.shape))
    np.testing.assert_array_equal(array.oindex[zarr_index], values[numpy_index])


@SETTINGS
@given(meta=zst.array_metadata())
def test_array_metadata_is_zarrnb_metadata(meta: ArrayMetadata) -> None:
    assert isinstance(meta, ArrayMetadata)
    assert len(meta.chunks) == len(meta.shape)
    assert meta.data_type.to_native_dtype().kind == meta.dtype.kind


@SETTINGS
@given(data=st.data())
def test_shapes_keys_and_ranges(data: st.DataObject) -> None:
    shape = data.draw(zst.array_shapes)
    chunks = data.draw(zst.chunk_shapes(shape=shape))
    assert all((c == 0) == (n == 0) and c <= n for n, c in zip(shape, chunks, strict=True))
    if all(chunks):
        shards = data.draw(zst.shard_shapes(shape=shape, chunk_shape=chunks))
        assert all(s % c == 0 and s <= max(n, c) for s, c, n in zip(shards, chunks, shape, strict=True))
    key = data.draw(zst.keys(max_num_nodes=3))
    assert 1 <= len(key.split("/")) <= 3 and not key.startswith("/")
    for name, request in data.draw(zst.key_ranges(max_size=100)):
        assert name and 0 <= request.start <= request.end <= 100
