"""Shared body of the bytes→bytes codecs that delegate to a numcodecs compressor."""

from __future__ import annotations

import dataclasses
from abc import abstractmethod
from typing import Any

import numcodecs.abc
import numpy as np

from zarrnb.codecs.base import BytesBytesCodec, BytesLike
from zarrnb.codecs.frame_sizes import decoded_nbytes

__all__ = ["NumcodecsCompressor"]


class NumcodecsCompressor(BytesBytesCodec):
    """A v3 compressor backed by a numcodecs codec built once from the dataclass fields."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_numcodecs", self._make_numcodecs())

    @abstractmethod
    def _make_numcodecs(self) -> numcodecs.abc.Codec: ...

    def encode_raw(self, data: BytesLike) -> BytesLike:
        return self._numcodecs.encode(data)

    def decode_raw(self, data: BytesLike) -> BytesLike:
        return self._numcodecs.decode(data)

    def decode_into(self, data: BytesLike, out: np.ndarray) -> bool:
        # only when the frame header says the data fills ``out`` exactly; otherwise the caller
        # decodes into new memory, where a size mismatch is caught
        if decoded_nbytes(self._numcodecs.codec_id, data) != out.nbytes:
            return False
        self._numcodecs.decode(data, out=out)
        return True

    def __getstate__(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self.__post_init__()
