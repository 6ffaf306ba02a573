"""Array metadata survives pickling (Dask ships arrays to workers) with a working codec pipeline."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from zarrnb.metadata import build_array_metadata


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"zarr_format": 2},
        {"shards": (8,), "chunks": (4,)},
        {"dtype": str},
        {"compressors": {"name": "blosc", "configuration": {}}},
    ],
    ids=repr,
)
def test_pickled_metadata_decodes_what_the_original_encodes(kwargs: dict) -> None:
    metadata = build_array_metadata(**{"shape": (16,), "dtype": "f4", **kwargs})
    data = np.arange(metadata.chunk_grid_shape[0]).astype(metadata.dtype)
    encoded = metadata.codec_pipeline.encode_chunk(data)
    copy = pickle.loads(pickle.dumps(metadata))
    assert copy == metadata
    assert (
        copy.codec_pipeline.decode_chunk(encoded, metadata.chunk_grid_shape, key="c/0").tolist()
        == data.tolist()
    )


def test_dimension_labels_come_from_v3_names_or_v2_array_dimensions() -> None:
    v3 = build_array_metadata(shape=(2, 3), dtype="i2", dimension_names=["y", None])
    assert v3.dimension_labels == ("y", None)
    v2 = build_array_metadata(shape=(2, 3), dtype="i2", zarr_format=2)
    assert v2.dimension_labels is None
    assert v2.with_attributes({"_ARRAY_DIMENSIONS": ["y", "x"]}).dimension_labels == ("y", "x")
    # a list of the wrong length or with non-strings is not a naming
    assert v2.with_attributes({"_ARRAY_DIMENSIONS": ["y"]}).dimension_labels is None
    assert v2.with_attributes({"_ARRAY_DIMENSIONS": ["y", 1]}).dimension_labels is None
