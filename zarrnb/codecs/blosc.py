"""The ``blosc`` codec (cname, clevel, shuffle, typesize, blocksize), compressed by numcodecs."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Any, Literal, Self

import numcodecs
import numpy as np

from zarrnb.codecs.compressor import NumcodecsCompressor

__all__ = ["BloscCname", "BloscCodec", "BloscShuffle", "CName", "Shuffle"]

# the JSON spellings (zarr-python's type aliases)
Shuffle = Literal["noshuffle", "shuffle", "bitshuffle"]
CName = Literal["lz4", "lz4hc", "blosclz", "snappy", "zlib", "zstd"]


class BloscCname(Enum):
    """Compressors inside blosc."""

    lz4 = "lz4"
    lz4hc = "lz4hc"
    blosclz = "blosclz"
    zstd = "zstd"
    snappy = "snappy"
    zlib = "zlib"


class BloscShuffle(Enum):
    """Shuffle filters inside blosc."""

    noshuffle = "noshuffle"
    shuffle = "shuffle"
    bitshuffle = "bitshuffle"


_SHUFFLE_IDS = {BloscShuffle.noshuffle: 0, BloscShuffle.shuffle: 1, BloscShuffle.bitshuffle: 2}


@dataclass(frozen=True)
class BloscCodec(NumcodecsCompressor):
    """Blosc compression; ``typesize`` and ``shuffle`` left as None are set from the dtype on use."""

    codec_name = "blosc"
    typesize: int | None = None
    cname: BloscCname = BloscCname.zstd
    clevel: int = 5
    shuffle: BloscShuffle | None = None
    blocksize: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "cname", BloscCname(self.cname))
        if self.shuffle is not None:
            object.__setattr__(self, "shuffle", BloscShuffle(self.shuffle))
        if not isinstance(self.clevel, int) or not 0 <= self.clevel <= 9:
            raise ValueError(f"clevel must be an integer from 0 to 9, got {self.clevel!r}")
        if self.typesize is not None and (not isinstance(self.typesize, int) or self.typesize < 1):
            raise ValueError(f"typesize must be a positive integer, got {self.typesize!r}")
        super().__post_init__()

    def _make_numcodecs(self) -> numcodecs.Blosc:
        shuffle = _SHUFFLE_IDS[self.shuffle or BloscShuffle.noshuffle]
        return numcodecs.Blosc(
            cname=self.cname.value,
            clevel=self.clevel,
            shuffle=shuffle,
            blocksize=self.blocksize,
            typesize=self.typesize,
        )

    def _configuration(self) -> dict[str, Any]:
        shuffle = self.shuffle or BloscShuffle.noshuffle
        return {
            "typesize": self.typesize,
            "cname": self.cname.value,
            "clevel": self.clevel,
            "shuffle": shuffle.value,
            "blocksize": self.blocksize,
        }

    def evolve(self, dtype: np.dtype) -> Self:
        typesize = self.typesize or (1 if dtype.kind in "OT" else dtype.itemsize)
        shuffle = self.shuffle or (BloscShuffle.bitshuffle if typesize == 1 else BloscShuffle.shuffle)
        return replace(self, typesize=typesize, shuffle=shuffle)

    def __repr__(self) -> str:
        return (
            f"BloscCodec(typesize={self.typesize}, cname={self.cname!r}, clevel={self.clevel}, "
            f"shuffle={self.shuffle!r}, blocksize={self.blocksize})"
        )
