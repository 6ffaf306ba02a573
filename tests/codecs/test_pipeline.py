"""CodecPipeline and V2CodecPipeline: round trips, decoding into views, and corrupt chunks."""

from __future__ import annotations

import numcodecs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zarrnb import codecs as nc
from zarrnb.codecs.pipeline import CodecPipeline, V2CodecPipeline, split_codecs
from zarrnb.errors import ChunkDecodeError, MetadataValidationError

CHUNK = np.arange(60, dtype="<f8").reshape(6, 10) / 7

V3_CHAINS = {
    "raw": [nc.BytesCodec()],
    "zstd": [nc.BytesCodec(), nc.ZstdCodec()],
    "zstd-checksum": [nc.BytesCodec(), nc.ZstdCodec(checksum=True)],
    "blosc": [nc.BytesCodec(), nc.BloscCodec()],
    "gzip": [nc.BytesCodec(), nc.GzipCodec()],
    "crc32c": [nc.BytesCodec(), nc.Crc32cCodec()],
    "zstd+crc32c": [nc.BytesCodec(), nc.ZstdCodec(), nc.Crc32cCodec()],
    "big-endian": [nc.BytesCodec(endian="big"), nc.ZstdCodec()],
    "transpose": [nc.TransposeCodec(order=(1, 0)), nc.BytesCodec(), nc.BloscCodec()],
    "sharded": [nc.ShardingCodec(chunk_shape=(3, 5), codecs=[nc.BytesCodec(), nc.ZstdCodec()])],
}
V2_COMPRESSORS = {
    "none": None,
    "zstd": numcodecs.Zstd(level=1),
    "blosc": numcodecs.Blosc(),
    "zlib": numcodecs.Zlib(),
    "lz4": numcodecs.LZ4(),
}


def v3(name: str, dtype: str = "<f8") -> CodecPipeline:
    return CodecPipeline(V3_CHAINS[name], dtype=np.dtype(dtype), fill_value=0, chunk_shape=CHUNK.shape)


@pytest.mark.parametrize("name", V3_CHAINS)
def test_v3_round_trip_into_new_array_and_views(name: str) -> None:
    pipeline = v3(name)
    encoded = pipeline.encode_chunk(CHUNK)
    assert isinstance(encoded, bytes)
    decoded = pipeline.decode_chunk(encoded, CHUNK.shape, key="c/0/0")
    np.testing.assert_array_equal(decoded, CHUNK)
    decoded[0, 0] = 5  # engines modify decoded chunks in place for partial writes
    big = np.zeros((8, 12))
    pipeline.decode_chunk_into(memoryview(encoded), big[1:7, 2:12], key="c/0/0")  # a strided view
    np.testing.assert_array_equal(big[1:7, 2:12], CHUNK)
    assert big[0].sum() == 0 and big[:, :2].sum() == 0
    fortran = np.zeros(CHUNK.shape, order="F")
    pipeline.decode_chunk_into(encoded, fortran, key="c/0/0")
    np.testing.assert_array_equal(fortran, CHUNK)


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("name", V2_COMPRESSORS)
def test_v2_round_trip_in_both_orders(name: str, order: str) -> None:
    dtype = np.dtype(">i4")
    chunk = (np.arange(60).reshape(6, 10) - 30).astype(dtype)
    pipeline = V2CodecPipeline([], V2_COMPRESSORS[name], dtype=dtype, order=order)
    encoded = pipeline.encode_chunk(chunk)
    layout = np.asfortranarray(chunk) if order == "F" else chunk
    assert (
        numcodecs.get_codec(V2_COMPRESSORS[name].get_config()).decode(encoded) if name != "none" else encoded
    ) == (layout.tobytes(order="A"))
    decoded = pipeline.decode_chunk(encoded, chunk.shape, key="0.0")
    np.testing.assert_array_equal(decoded, chunk)
    assert decoded.dtype == dtype and decoded.flags.writeable
    out = np.zeros((7, 11), dtype=dtype, order=order)
    pipeline.decode_chunk_into(encoded, out[1:, 1:], key="0.0")
    np.testing.assert_array_equal(out[1:, 1:], chunk)
    whole = np.zeros(chunk.shape, dtype=dtype, order=order)
    pipeline.decode_chunk_into(encoded, whole, key="0.0")
    np.testing.assert_array_equal(whole, chunk)


def test_v2_filters_and_object_strings() -> None:
    delta = V2CodecPipeline([numcodecs.Delta(dtype="<i8")], numcodecs.Zstd(), dtype=np.dtype("<i8"))
    chunk = np.cumsum(np.arange(20)).reshape(4, 5)
    np.testing.assert_array_equal(delta.decode_chunk(delta.encode_chunk(chunk), (4, 5), key="0.0"), chunk)
    strings = V2CodecPipeline([numcodecs.VLenUTF8()], None, dtype=np.dtypes.StringDType(), order="F")
    words = np.array([["a", "bb"], ["", "dddd"]], dtype=np.dtypes.StringDType())
    decoded = strings.decode_chunk(strings.encode_chunk(words), (2, 2), key="0.0")
    assert decoded.dtype == np.dtypes.StringDType() and decoded.tolist() == words.tolist()


def _corruptions(encoded: bytes) -> dict[str, bytes]:
    middle = len(encoded) // 2
    return {
        "truncated": encoded[:middle],
        "empty": b"",
        "garbage": bytes(range(256)) * 2,
        "flipped": encoded[:middle] + bytes([encoded[middle] ^ 0xFF]) + encoded[middle + 1 :],
    }


# a flipped byte is only caught where a checksum covers it (gzip, zstd's, crc32c)
CORRUPT_CASES = [
    (name, corruption)
    for name in ["raw", "zstd", "zstd-checksum", "blosc", "gzip", "crc32c", "zstd+crc32c", "sharded"]
    for corruption in ["truncated", "empty", "garbage", "flipped"]
    if corruption != "flipped" or name in ("zstd-checksum", "gzip", "crc32c", "zstd+crc32c")
]


@pytest.mark.parametrize(("name", "corruption"), CORRUPT_CASES)
def test_corrupt_v3_chunks_raise_naming_key_and_codec(name: str, corruption: str) -> None:
    pipeline = v3(name)
    bad = _corruptions(pipeline.encode_chunk(CHUNK))[corruption]
    for decode in (
        lambda: pipeline.decode_chunk(bad, CHUNK.shape, key="arr/c/4/2"),
        lambda: pipeline.decode_chunk_into(bad, np.empty(CHUNK.shape), key="arr/c/4/2"),
    ):
        with pytest.raises(ChunkDecodeError, match="arr/c/4/2") as info:
            decode()
        assert any(word in str(info.value) for word in ("Codec", "sharding_indexed", "codec 'bytes'"))


@pytest.mark.parametrize("name", ["zstd", "blosc", "zlib", "none"])
def test_corrupt_or_wrong_size_v2_chunks_raise(name: str) -> None:
    pipeline = V2CodecPipeline([], V2_COMPRESSORS[name], dtype=np.dtype("<f8"))
    other = V2CodecPipeline([], V2_COMPRESSORS[name], dtype=np.dtype("<f8")).encode_chunk(np.arange(7.0))
    encoded = pipeline.encode_chunk(CHUNK)
    for bad in (encoded[: len(encoded) // 2], other):
        with pytest.raises(ChunkDecodeError, match=r"'0\.1'"):
            pipeline.decode_chunk(bad, CHUNK.shape, key="0.1")
        with pytest.raises(ChunkDecodeError, match=r"'0\.1'"):
            pipeline.decode_chunk_into(bad, np.empty(CHUNK.shape), key="0.1")


@pytest.mark.parametrize("name", ["zstd", "blosc", "gzip"])
def test_valid_frame_of_another_size_is_not_read_as_this_chunk(name: str) -> None:
    """A well-formed frame holding fewer bytes must not leave stale memory in the output."""
    pipeline = v3(name)
    smaller = CodecPipeline(V3_CHAINS[name], dtype=np.dtype("<f8"), fill_value=0, chunk_shape=(3,))
    with pytest.raises(ChunkDecodeError, match="c/0"):
        pipeline.decode_chunk_into(smaller.encode_chunk(np.ones(3)), np.empty(CHUNK.shape), key="c/0")


def test_split_codecs_checks_order_and_count() -> None:
    with pytest.raises(MetadataValidationError, match="one array-to-bytes codec, got 0"):
        split_codecs([nc.ZstdCodec()])
    with pytest.raises(MetadataValidationError, match="one array-to-bytes codec, got 2"):
        split_codecs([nc.BytesCodec(), nc.BytesCodec()])
    with pytest.raises(MetadataValidationError, match="out of order"):
        split_codecs([nc.BytesCodec(), nc.TransposeCodec(order=(0,))])
    with pytest.raises(MetadataValidationError, match="out of order"):
        split_codecs([nc.ZstdCodec(), nc.BytesCodec()])


DTYPES = ["bool", "|i1", "<i2", ">u4", "<i8", ">f2", "<f4", ">c8", "<U3", "|S2", "|V2", "<M8[ms]", ">m8[s]"]


@settings(max_examples=40, deadline=None)
@given(
    shape=st.lists(st.integers(1, 5), min_size=0, max_size=3).map(tuple),
    dtype=st.sampled_from(DTYPES),
    chain=st.sampled_from(["raw", "zstd", "blosc", "gzip", "crc32c", "big-endian"]),
    seed=st.integers(0, 2**16),
)
def test_round_trip_any_shape_and_dtype(shape: tuple[int, ...], dtype: str, chain: str, seed: int) -> None:
    stored = np.dtype(dtype)
    memory = stored.newbyteorder("=") if stored.byteorder not in "|=" else stored
    raw = np.random.default_rng(seed).bytes(int(np.prod(shape)) * stored.itemsize)
    chunk = np.frombuffer(raw, dtype=memory).reshape(shape)
    if memory.kind == "b":
        chunk = chunk.view("u1").astype(bool)
    if memory.kind == "U":
        chunk = np.frombuffer(raw, dtype="u1")[: chunk.size].astype("<U3").reshape(shape)
    pipeline = CodecPipeline(V3_CHAINS[chain], dtype=memory, fill_value=0, chunk_shape=shape)
    decoded = pipeline.decode_chunk(pipeline.encode_chunk(chunk), shape, key="c")
    assert decoded.tobytes() == np.ascontiguousarray(chunk).tobytes()
    v2 = V2CodecPipeline([], numcodecs.Zstd(), dtype=stored, order="F")
    assert v2.decode_chunk(v2.encode_chunk(chunk.astype(stored)), shape, key="0").tobytes() == (
        chunk.astype(stored).tobytes()
    )


@pytest.mark.parametrize("order", ["C", "F"])
def test_raw_chunks_encode_from_strided_views(order: str) -> None:
    """Uncompressed chunks are encoded straight from a view of a larger array, in the stored order."""
    whole = np.arange(24 * 30, dtype=">i4").reshape(24, 30)
    view = whole[2:14:2, 5:25]
    v2 = V2CodecPipeline([], None, dtype=np.dtype(">i4"), order=order)
    encoded = v2.encode_chunk(view)
    assert encoded == (np.asfortranarray(view) if order == "F" else np.ascontiguousarray(view)).tobytes(
        order="A"
    )
    np.testing.assert_array_equal(v2.decode_chunk(encoded, view.shape, key="k"), view)
    v3 = CodecPipeline([nc.BytesCodec()], dtype=np.dtype("<i4"), fill_value=0, chunk_shape=view.shape)
    encoded = v3.encode_chunk(view)
    assert encoded == view.astype("<i4").tobytes()
    np.testing.assert_array_equal(v3.decode_chunk(encoded, view.shape, key="k"), view)
