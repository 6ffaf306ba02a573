"""``CodecPipeline.raw_chunk_view``: uncompressed chunks are read in place for partial selections."""

from __future__ import annotations

import numpy as np
import pytest

import zarrnb
from zarrnb.errors import ChunkDecodeError


def _pipeline(compressors: object) -> object:
    a = zarrnb.create_array(store={}, shape=(8, 8), chunks=(4, 4), dtype="<i4", compressors=compressors)
    return a.async_array.metadata.codec_pipeline


def test_raw_chunks_are_viewed_not_copied() -> None:
    data = np.arange(16, dtype="<i4").tobytes()
    view = _pipeline(None).raw_chunk_view(data, (4, 4), key="c/0/0")
    assert view is not None and not view.flags.writeable
    np.testing.assert_array_equal(view, np.arange(16).reshape(4, 4))
    with pytest.raises(ChunkDecodeError, match="c/0/0"):
        _pipeline(None).raw_chunk_view(data[:10], (4, 4), key="c/0/0")


def test_compressed_chunks_have_no_view() -> None:
    assert _pipeline("auto").raw_chunk_view(b"\0" * 64, (4, 4), key="c/0/0") is None


def test_partial_reads_of_raw_chunks_match_numpy() -> None:
    a = zarrnb.create_array(store={}, shape=(30, 20), chunks=(7, 6), dtype="f8", compressors=None)
    data = np.random.default_rng(1).random((30, 20))
    a[...] = data
    np.testing.assert_array_equal(a[3:17, 5:19], data[3:17, 5:19])
    rows, cols = np.array([0, 29, 13, 13]), np.array([19, 0, 7, 8])
    np.testing.assert_array_equal(a.vindex[rows, cols], data[rows, cols])
    assert a[29, 19] == data[29, 19]
