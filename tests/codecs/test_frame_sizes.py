"""Frame-header sizes agree with what numcodecs' zstd and blosc actually decompress to."""

from __future__ import annotations

import numcodecs
import numpy as np
import pytest

from zarrnb.codecs.frame_sizes import decoded_nbytes

# sizes crossing zstd's 1-, 2-, 4-byte content-size fields, and blosc's small/large paths
SIZES = [1, 200, 255, 256, 300, 65_791, 65_792, 70_000, 2**20 + 3]


@pytest.mark.parametrize("nbytes", SIZES)
@pytest.mark.parametrize(
    "codec", [numcodecs.Zstd(level=1), numcodecs.Zstd(level=3, checksum=True), numcodecs.Blosc()]
)
def test_header_size_equals_decoded_size(codec, nbytes: int) -> None:
    data = np.random.default_rng(nbytes).integers(0, 4, nbytes, dtype="u1")
    encoded = codec.encode(data)
    assert decoded_nbytes(codec.codec_id, encoded) == len(codec.decode(encoded)) == nbytes


def test_unknown_or_damaged_frames_give_none() -> None:
    encoded = numcodecs.Blosc().encode(np.arange(100))
    assert decoded_nbytes("blosc", encoded[:-1]) is None  # truncated: cbytes no longer matches
    assert decoded_nbytes("zstd", b"not zstd at all") is None
    assert decoded_nbytes("gzip", numcodecs.GZip().encode(b"abc")) is None
