"""``V2Codec`` (zarr-python's ``zarr.codecs._v2``): v2 filters and compressor as one codec, byte-identical
to the chunks zarr-python writes."""

from __future__ import annotations

import asyncio

import numcodecs
import numpy as np
import pytest
import zarr

from zarrnb.codecs.array_spec import ArraySpec
from zarrnb.codecs.v2_codec import V2Codec
from zarrnb.core.buffer import Buffer, NDBuffer, default_buffer_prototype


@pytest.mark.parametrize("order", ["C", "F"])
def test_reads_and_writes_the_chunks_zarr_python_writes(order: str) -> None:
    data = np.arange(24, dtype="<i4").reshape(4, 6)
    store: dict[str, object] = {}
    written = zarr.create_array(
        zarr.storage.MemoryStore(store),  # type: ignore[arg-type]
        shape=data.shape, chunks=data.shape, dtype=data.dtype, zarr_format=2, order=order,
        filters=[numcodecs.Delta(dtype="<i4")], compressors=numcodecs.Zlib(level=3),
    )  # fmt: skip
    written[:] = data
    stored = store["0.0"].to_bytes()  # type: ignore[attr-defined]
    codec = V2Codec(filters=(numcodecs.Delta(dtype="<i4"),), compressor=numcodecs.Zlib(level=3))
    spec = ArraySpec(data.shape, data.dtype, 0, config={"order": order}, prototype=default_buffer_prototype())
    decoded = asyncio.run(codec._decode_single(Buffer.from_bytes(stored), spec))
    np.testing.assert_array_equal(decoded.as_numpy_array(), data)
    encoded = asyncio.run(codec._encode_single(NDBuffer.from_numpy_array(data), spec))
    assert encoded is not None and encoded.to_bytes() == stored


def test_object_chunks_need_an_object_codec() -> None:
    spec = ArraySpec((2,), np.dtype("O"), None, prototype=default_buffer_prototype())
    with pytest.raises(RuntimeError, match="without object codec"):
        V2Codec(filters=None, compressor=None)._encode_sync(
            NDBuffer.from_numpy_array(np.array(["a", 1], dtype=object)), spec
        )
