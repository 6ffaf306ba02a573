"""The ``zstd`` codec (level, checksum), compressed by numcodecs."""

from __future__ import annotations

from dataclasses import dataclass

import numcodecs

from zarrnb.codecs.compressor import NumcodecsCompressor

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
