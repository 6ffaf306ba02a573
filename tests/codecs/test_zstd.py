"""The ``zstd`` codec calls numcodecs' compress/decompress directly on its hot paths: the same bytes
and errors as ``numcodecs.Zstd``."""

from __future__ import annotations

import numcodecs
import numpy as np
import pytest

from zarrnb.codecs.bytes import BytesCodec
from zarrnb.codecs.pipeline import CodecPipeline
from zarrnb.codecs.zstd import ZstdCodec
from zarrnb.errors import ChunkDecodeError


@pytest.mark.parametrize("level, checksum", [(0, False), (1, False), (3, True), (-5, False), (22, True)])
def test_encode_and_decode_match_numcodecs(level: int, checksum: bool) -> None:
    codec, reference = ZstdCodec(level=level, checksum=checksum), numcodecs.Zstd(level, checksum)
    data = np.random.default_rng(abs(level)).normal(size=3000).astype("f4").view(np.uint8)
    encoded = codec.encode_raw(data)
    assert encoded == reference.encode(data)
    assert codec.encode_raw(bytes(data)) == encoded  # not an array: numcodecs' own encode
    out = np.empty(data.nbytes, dtype=np.uint8)
    assert codec.decode_into(encoded, out)
    np.testing.assert_array_equal(out, data)
    np.testing.assert_array_equal(np.frombuffer(codec.decode_raw(encoded), np.uint8), data)


def test_decode_into_declines_a_frame_of_another_size() -> None:
    codec = ZstdCodec(level=1)
    encoded = codec.encode_raw(np.arange(100, dtype=np.uint8))
    out = np.full(101, 7, dtype=np.uint8)
    assert not codec.decode_into(encoded, out)
    assert not codec.decode_into(encoded, out[:99])
    assert (out == 7).all()  # untouched


def _pipeline(size: int) -> CodecPipeline:
    return CodecPipeline([BytesCodec(), ZstdCodec()], dtype=np.dtype("f4"), fill_value=0, chunk_shape=(size,))


def test_a_damaged_frame_fails_in_the_pipeline_as_numcodecs_says() -> None:
    pipeline = _pipeline(10)
    encoded = bytearray(pipeline.encode_chunk(np.arange(10, dtype="f4")))
    encoded[6] = 0x07  # the first block's type "reserved"; the frame header (and its size) intact
    with pytest.raises(ChunkDecodeError, match="cannot decode chunk 'k' with ZstdCodec") as info:
        pipeline.decode_chunk_into(bytes(encoded), np.empty(10, dtype="f4"), key="k")
    with pytest.raises(RuntimeError) as reference:
        numcodecs.Zstd().decode(bytes(encoded), out=np.empty(10, dtype="f4"))
    assert str(info.value).endswith(str(reference.value))
    bigger = bytearray(pipeline.encode_chunk(np.arange(10, dtype="f4")))
    stated = "the frame header states 40 decoded bytes, the chunk holds 36"
    with pytest.raises(ChunkDecodeError, match=stated):
        _pipeline(9).decode_chunk_into(bytes(bigger), np.empty(9, dtype="f4"), key="k")
