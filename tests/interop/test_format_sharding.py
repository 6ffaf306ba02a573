"""Sharded arrays at the format level, both ways against zarr-python, whole shards and partial reads."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import zarr.codecs as zc

from zarrnb import codecs as nc
from zarrnb.abc.store import RangeByteRequest, SuffixByteRequest
from zarrnb.codecs.sharding import MAX_UINT64
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

SHAPE, SHARDS, CHUNKS = (13, 9), (8, 6), (4, 3)


def _data(dtype: str, fill: float) -> np.ndarray:
    data = sample(np.dtype(dtype), SHAPE, seed=5)
    data[0:4, 0:3] = fill  # one whole inner chunk equals the fill value: stored as absent
    return data


@pytest.mark.parametrize("dtype", ["uint8", "float32", ">i8"])
@pytest.mark.parametrize(
    ("zarr_compressors", "zarrnb_compressors"),
    [(None, None), (zc.ZstdCodec(level=1), nc.ZstdCodec(level=1)), (zc.BloscCodec(), nc.BloscCodec())],
)
def test_zarr_python_shards_zarrnb_reads(dtype: str, zarr_compressors, zarrnb_compressors) -> None:
    data = _data(dtype, 0)
    kwargs = {"shape": SHAPE, "shards": SHARDS, "chunks": CHUNKS, "dtype": dtype}
    array, stored = zarr_create(data, compressors=zarr_compressors, **kwargs)
    metadata, decoded = decode_all(stored)
    assert_same_values(decoded, array[...])
    assert metadata.shards == SHARDS and metadata.chunks == CHUNKS

    built = build_array_metadata(compressors=zarrnb_compressors, **kwargs)
    assert documents_json(built.to_documents()) == documents_json(stored)
    _, values = zarr_read(encode_all(built, data))
    assert_same_values(values, data.astype(values.dtype))


@pytest.mark.parametrize("index_location", ["start", "end"])
def test_partial_reads_use_index_then_one_inner_chunk(index_location: str) -> None:
    """The index byte request and the per-chunk (offset, nbytes) let a reader fetch only what it needs."""
    data = _data("float64", np.nan)
    sharding = zc.ShardingCodec(
        chunk_shape=CHUNKS, index_location=index_location, codecs=[zc.BytesCodec(), zc.GzipCodec()]
    )
    _, stored = zarr_create(
        data,
        shape=SHAPE,
        chunks=SHARDS,
        dtype="float64",
        fill_value=np.nan,
        serializer=sharding,
        compressors=None,
    )
    metadata, _ = decode_all(stored)
    codec = metadata.codec_pipeline.sharding
    assert codec is not None and codec.chunks_per_shard == (2, 2)
    shard = stored[metadata.chunk_key((1, 1))]
    request = codec.index_byte_request()
    if index_location == "end":
        assert request == SuffixByteRequest(codec.index_nbytes)
        index = codec.decode_index(shard[-request.suffix :], key="c/1/1")
    else:
        assert request == RangeByteRequest(0, codec.index_nbytes)
        index = codec.decode_index(shard[request.start : request.end], key="c/1/1")
    for inner in itertools.product(range(2), range(2)):
        offset, nbytes = (int(v) for v in index[inner])
        # shard (1, 1) starts at (8, 6); inner chunk (i, j) covers 4 rows and 3 columns from there
        region = (slice(8 + 4 * inner[0], 12 + 4 * inner[0]), slice(6 + 3 * inner[1], 9 + 3 * inner[1]))
        expected = np.full(CHUNKS, np.nan)
        part = data[region]
        expected[: part.shape[0], : part.shape[1]] = part
        if offset == MAX_UINT64:
            assert np.isnan(expected).all()
            continue
        chunk = codec.decode_inner_chunk(shard[offset : offset + nbytes], key="c/1/1")
        assert_same_values(chunk, expected)


def test_empty_inner_chunks_are_omitted_and_empty_shards_not_written() -> None:
    metadata = build_array_metadata(shape=(8, 6), shards=(8, 6), chunks=(4, 3), dtype="int16", fill_value=-1)
    codec = metadata.codec_pipeline.sharding
    shard = np.full((8, 6), -1, dtype="int16")
    assert codec.encode_shard(shard) is None
    shard[5, 4] = 7
    encoded = codec.encode_shard(shard)
    index = codec.decode_index(encoded[-codec.index_nbytes :], key="c/0/0")
    assert [int(index[c][0]) == int(MAX_UINT64) for c in itertools.product(range(2), range(2))] == [
        True, True, True, False,
    ]  # fmt: skip
    _, values = zarr_read({**metadata.to_documents(), "c/0/0": encoded})
    assert_same_values(values, shard)


def test_nested_shard_index_codecs_and_start_index_written_by_zarrnb() -> None:
    sharding = nc.ShardingCodec(
        chunk_shape=(2, 3),
        codecs=[nc.TransposeCodec(order=(1, 0)), nc.BytesCodec(endian="big"), nc.ZstdCodec()],
        index_codecs=[nc.BytesCodec(), nc.Crc32cCodec()],
        index_location="start",
    )
    metadata = build_array_metadata(
        shape=SHAPE, chunks=SHARDS, dtype="int32", serializer=sharding, compressors=None
    )
    data = sample(np.dtype("int32"), SHAPE)
    _, values = zarr_read(encode_all(metadata, data))
    assert_same_values(values, data)
