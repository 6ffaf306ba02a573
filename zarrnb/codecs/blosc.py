"""The ``blosc`` codec (cname, clevel, shuffle, typesize, blocksize), compressed by numcodecs."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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
    """Blosc compression; ``typesize``/``shuffle`` given as None default to 1/bitshuffle and stay tunable.

    As in zarr-python, the names of the settings left to the array's dtype are kept in
    ``_tunable_attrs`` (shown in the repr, compared by ``==``): :meth:`evolve` replaces only those.
    """

    # first, so that the repr lists it first as zarr-python's does; left out of the hash (a set)
    _tunable_attrs: set[Literal["typesize", "shuffle"]] = field(init=False, hash=False)
    codec_name = "blosc"
    typesize: int | None = None
    cname: BloscCname = BloscCname.zstd
    clevel: int = 5
    shuffle: BloscShuffle | None = None
    blocksize: int = 0

    def __post_init__(self) -> None:
        tunable: set[Literal["typesize", "shuffle"]] = set()
        if self.typesize is None:
            tunable.add("typesize")
            object.__setattr__(self, "typesize", 1)
        if self.shuffle is None:
            tunable.add("shuffle")
            object.__setattr__(self, "shuffle", BloscShuffle.bitshuffle)
        object.__setattr__(self, "_tunable_attrs", tunable)
        object.__setattr__(self, "cname", BloscCname(self.cname))
        object.__setattr__(self, "shuffle", BloscShuffle(self.shuffle))
        if not isinstance(self.clevel, int) or not 0 <= self.clevel <= 9:
            raise ValueError(f"clevel must be an integer from 0 to 9, got {self.clevel!r}")
        if not isinstance(self.typesize, int):
            raise TypeError(f"typesize must be an integer, got {self.typesize!r}")
        if self.typesize < 1:
            raise ValueError(f"typesize must be a positive integer, got {self.typesize!r}")
        super().__post_init__()

    def _make_numcodecs(self) -> numcodecs.Blosc:
        return numcodecs.Blosc(
            cname=self.cname.value,
            clevel=self.clevel,
            shuffle=_SHUFFLE_IDS[self.shuffle],
            blocksize=self.blocksize,
            typesize=self.typesize,
        )

    def _configuration(self) -> dict[str, Any]:
        return {
            "typesize": self.typesize,
            "cname": self.cname.value,
            "clevel": self.clevel,
            "shuffle": self.shuffle.value,
            "blocksize": self.blocksize,
        }

    def evolve(self, dtype: np.dtype) -> Self:
        """Set the tunable settings from ``dtype``: typesize its item size, shuffle bit- or byte-wise."""
        if not self._tunable_attrs:
            return self
        item_size = 1 if dtype.kind in "OT" else dtype.itemsize
        changes: dict[str, Any] = {}
        if "typesize" in self._tunable_attrs:
            changes["typesize"] = item_size
        if "shuffle" in self._tunable_attrs:
            changes["shuffle"] = BloscShuffle.bitshuffle if item_size == 1 else BloscShuffle.shuffle
        return replace(self, **changes)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)  # runs __post_init__, which sees the filled-in settings
        object.__setattr__(self, "_tunable_attrs", set(state.get("_tunable_attrs", ())))
