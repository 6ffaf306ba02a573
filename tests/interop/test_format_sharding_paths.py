"""The sharding codec's fast paths (raw inner chunks in one buffer, empty chunks found at once,
shards decoded in parts) give zarr-python's bytes and values exactly."""

from __future__ import annotations

import numpy as np
import pytest
import zarr.codecs as zc

from zarrnb.errors import ChunkDecodeError

from .format_helpers import assert_same_values, decode_all, sample, zarr_create

SHARD, INNER = (8, 12), (2, 4)  # 4 x 3 inner chunks: a Morton order with a gap (3 is no power of 2)


def _shard(dtype: str, fill: float) -> np.ndarray:
    data = sample(np.dtype(dtype), SHARD, seed=3)
    data[0:2, 0:4] = fill  # a whole inner chunk of the fill value: left out
    data[2:4, 4:8] = fill
    data[3, 7] = 1  # ... but for one element: kept
    if np.dtype(dtype).kind == "f" and fill == 0:
        data[6:8, 8:12] = -0.0  # a zero's sign is data: kept, as zarr-python keeps it
    return data


@pytest.mark.parametrize(("dtype", "fill"), [("float32", 0), ("float32", np.nan), ("uint8", 7), (">i2", 0)])
@pytest.mark.parametrize("location", ["start", "end"])
@pytest.mark.parametrize("compressed", [False, True])
def test_encode_shard_gives_zarr_pythons_bytes(
    dtype: str, fill: float, location: str, compressed: bool
) -> None:
    data = _shard(dtype, fill)
    codecs = [zc.BytesCodec(), zc.ZstdCodec(level=1)] if compressed else [zc.BytesCodec()]
    sharding = zc.ShardingCodec(chunk_shape=INNER, index_location=location, codecs=codecs)
    _, stored = zarr_create(
        data, shape=SHARD, chunks=SHARD, dtype=dtype, fill_value=fill, serializer=sharding, compressors=None
    )
    metadata, _ = decode_all(stored)
    codec = metadata.codec_pipeline.sharding
    expected = stored["c/0/0"]
    assert bytes(codec.encode_shard(data, metadata.fill_value)) == expected
    # encoded into this thread's reused buffer: the same bytes
    assert bytes(codec.encode_shard(data, metadata.fill_value, scratch=True)) == expected
    # decoded in parts (as several workers do), every part writing only its own inner chunks
    out = np.zeros(SHARD, dtype=data.dtype)
    for part in range(3):
        codec.decode_shard_into(expected, out, key="c/0/0", part=(part, 3))
    assert_same_values(out, data)


def test_write_empty_chunks_keeps_every_inner_chunk_as_zarr_python_does() -> None:
    data = _shard("float32", 0)
    data[:] = 0
    data[5, 5] = 2
    sharding = zc.ShardingCodec(chunk_shape=INNER, codecs=[zc.BytesCodec()])
    kwargs = {"shape": SHARD, "chunks": SHARD, "dtype": "float32", "fill_value": 0}
    _, stored = zarr_create(
        data, serializer=sharding, compressors=None, config={"write_empty_chunks": True}, **kwargs
    )
    metadata, _ = decode_all(stored)
    codec = metadata.codec_pipeline.sharding
    encoded = codec.encode_shard(data, metadata.fill_value, write_empty_chunks=True)
    assert bytes(encoded) == stored["c/0/0"]
    index = codec.decode_index(bytes(encoded)[-codec.index_nbytes :], key="c/0/0")
    assert (index[..., 1] == 2 * 4 * 4).all()  # all twelve inner chunks stored, raw


def test_a_bad_inner_chunk_size_is_refused_in_the_raw_path() -> None:
    data = _shard("float32", 0)
    sharding = zc.ShardingCodec(chunk_shape=INNER, codecs=[zc.BytesCodec()], index_location="start")
    _, stored = zarr_create(
        data, shape=SHARD, chunks=SHARD, dtype="float32", fill_value=0, serializer=sharding, compressors=None
    )
    metadata, _ = decode_all(stored)
    codec = metadata.codec_pipeline.sharding
    index = codec.decode_index(stored["c/0/0"][: codec.index_nbytes], key="c/0/0").copy()
    index[1, 1, 1] -= 4  # one inner chunk said to be a float shorter
    forged = codec._bound().index.encode_chunk(index) + stored["c/0/0"][codec.index_nbytes :]
    with pytest.raises(ChunkDecodeError, match=r"c/0/0.*expected 32 bytes"):
        codec.decode_shard(forged, key="c/0/0")
