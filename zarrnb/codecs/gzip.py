"""The ``gzip`` codec (level 0-9), compressed by numcodecs."""

from __future__ import annotations

from dataclasses import dataclass

import numcodecs

from zarrnb.codecs.compressor import NumcodecsCompressor

__all__ = ["GzipCodec"]


@dataclass(frozen=True)
class GzipCodec(NumcodecsCompressor):
    """gzip (RFC 1952) compression."""

    codec_name = "gzip"
    level: int = 5

    def __post_init__(self) -> None:
        if isinstance(self.level, bool) or not isinstance(self.level, int) or not 0 <= self.level <= 9:
            raise ValueError(f"level must be an integer from 0 to 9, got {self.level!r}")
        super().__post_init__()

    def _make_numcodecs(self) -> numcodecs.GZip:
        return numcodecs.GZip(level=self.level)
