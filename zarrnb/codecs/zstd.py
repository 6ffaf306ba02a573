"""The ``zstd`` codec (level, checksum), compressed by numcodecs."""

from __future__ import annotations

from dataclasses import dataclass

import numcodecs
import numcodecs.zstd
import numpy as np

from zarrnb.codecs.base import BytesLike
from zarrnb.codecs.compressor import NumcodecsCompressor
from zarrnb.codecs.frame_sizes import decoded_nbytes

__all__ = ["ZstdCodec"]


@dataclass(frozen=True)
class ZstdCodec(NumcodecsCompressor):
    """Zstandard compression; ``checksum`` adds zstd's own content checksum to each frame."""

    codec_name = "zstd"
    level: int = 0
    checksum: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.level, bool) or not isinstance(self.level, int):
            raise ValueError(f"level must be an integer, got {self.level!r}")
        if not isinstance(self.checksum, bool):
            raise ValueError(f"checksum must be true or false, got {self.checksum!r}")
        super().__post_init__()

    def _make_numcodecs(self) -> numcodecs.Zstd:
        return numcodecs.Zstd(level=self.level, checksum=self.checksum)

    def encode_raw(self, data: BytesLike) -> BytesLike:
        if type(data) is np.ndarray and data.dtype == np.uint8 and data.flags.c_contiguous:
            # what the ``bytes`` serializer hands on: numcodecs' own ``compress``, as ``Zstd.encode``
            # calls it after its checks (which this array passes)
            return numcodecs.zstd.compress(data, self.level, self.checksum)
        return super().encode_raw(data)

    def decode_into(self, data: BytesLike, out: np.ndarray) -> bool:
        # numcodecs' own ``decompress`` (what ``Zstd.decode`` calls after wrapping ``data`` in an
        # ndarray): the same bytes and errors, a few microseconds less per inner chunk
        if decoded_nbytes("zstd", data) != out.nbytes:
            return False
        numcodecs.zstd.decompress(data, out)
        return True
