"""The sharding codec's index layout, empty inner chunks, binding and errors."""

from __future__ import annotations

import numpy as np
import pytest

from zarrnb.abc.store import RangeByteRequest, SuffixByteRequest
from zarrnb.codecs import BytesCodec, Crc32cCodec, ShardingCodec, ZstdCodec
from zarrnb.codecs.sharding import MAX_UINT64
from zarrnb.errors import ChunkDecodeError


def bound(location: str = "end", fill: float = 0.0, **kwargs) -> ShardingCodec:
    codec = ShardingCodec(chunk_shape=(2, 3), index_location=location, **kwargs)
    return codec.bind(dtype=np.dtype("<f4"), fill_value=np.float32(fill), chunk_shape=(4, 6))


@pytest.mark.parametrize("location", ["start", "end"])
def test_index_records_offsets_in_c_order_and_marks_absent_chunks(location: str) -> None:
    codec = bound(location)
    shard = np.zeros((4, 6), dtype="<f4")
    shard[0:2, 3:6] = 1  # inner chunk (0, 1)
    shard[2:4, 0:3] = 2  # inner chunk (1, 0)
    encoded = codec.encode_shard(shard)
    assert codec.index_nbytes == 4 * 2 * 8 + 4  # uint64 pairs + crc32c
    request = codec.index_byte_request()
    if location == "end":
        assert request == SuffixByteRequest(codec.index_nbytes)
        index = codec.decode_index(encoded[-codec.index_nbytes :], key="s")
        first = 0
    else:
        assert request == RangeByteRequest(0, codec.index_nbytes)
        index = codec.decode_index(encoded[: codec.index_nbytes], key="s")
        first = codec.index_nbytes
    assert index.shape == (2, 2, 2) and index.dtype == np.uint64
    assert index[0, 0, 0] == index[1, 1, 0] == MAX_UINT64
    # the bytes follow in Morton order, (1, 0) before (0, 1), as zarr-python writes them
    assert index[1, 0].tolist() == [first, 24] and index[0, 1].tolist() == [first + 24, 24]
    np.testing.assert_array_equal(codec.decode_shard(encoded, key="s"), shard)
    chunk = codec.decode_inner_chunk(encoded[first + 24 : first + 48], key="s")
    np.testing.assert_array_equal(chunk, np.ones((2, 3)))


def test_all_empty_shard_encodes_to_none_unless_empty_chunks_are_written() -> None:
    codec = bound(fill=np.nan)
    empty = np.full((4, 6), np.nan, dtype="<f4")
    assert codec.encode_shard(empty) is None
    written = codec.encode_shard(empty, write_empty_chunks=True)
    index = codec.decode_index(written[-codec.index_nbytes :], key="s")
    assert (index[..., 0] != MAX_UINT64).all()
    assert np.isnan(codec.decode_shard(written, key="s")).all()


def test_bind_checks_the_shard_is_a_multiple_of_the_inner_chunks() -> None:
    with pytest.raises(ValueError, match="not a multiple"):
        ShardingCodec(chunk_shape=(2, 4)).bind(dtype=np.dtype("i4"), fill_value=0, chunk_shape=(4, 6))
    with pytest.raises(RuntimeError, match="bind"):
        _ = ShardingCodec(chunk_shape=(2,)).chunks_per_shard


def test_corrupt_index_and_out_of_range_offsets_raise_naming_the_key() -> None:
    codec = bound(codecs=[BytesCodec(), ZstdCodec()], index_codecs=[BytesCodec(), Crc32cCodec()])
    encoded = bytearray(codec.encode_shard(np.ones((4, 6), dtype="<f4")))
    encoded[-5] ^= 0xFF
    with pytest.raises(ChunkDecodeError, match="c/1/2"):
        codec.decode_shard(bytes(encoded), key="c/1/2")
    no_crc = bound(index_codecs=[BytesCodec()])
    index = np.full((2, 2, 2), MAX_UINT64, dtype="<u8")
    index[0, 0] = (1000, 24)
    with pytest.raises(ChunkDecodeError, match=r"c/0/0.*outside the shard"):
        no_crc.decode_shard(index.tobytes(), key="c/0/0")
    with pytest.raises(ChunkDecodeError, match="shorter than its"):
        no_crc.decode_shard(b"tiny", key="c/0/0")


def test_bound_codec_reports_layout_and_writes_evolved_inner_codecs() -> None:
    codec = bound(codecs=[BytesCodec()])
    assert codec.chunks_per_shard == (2, 2) and codec.inner_chunk_shape == (2, 3)
    assert codec == ShardingCodec(chunk_shape=(2, 3), codecs=[BytesCodec()])
    assert codec.to_dict()["configuration"]["codecs"] == [
        {"name": "bytes", "configuration": {"endian": "little"}}
    ]
