"""The ``bytes`` codec: an array's elements in C order with a fixed byte order (v3 core spec)."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, replace
from typing import Any, Self

import numpy as np

from zarrnb.codecs.base import ArrayBytesCodec, BytesLike
from zarrnb.core.buffer import Endian

__all__ = ["BytesCodec", "Endian"]


NATIVE_ENDIAN = Endian(sys.byteorder)


@dataclass(frozen=True)
class BytesCodec(ArrayBytesCodec):
    """Stores elements as they lie in memory; ``endian`` is None for types without byte order."""

    codec_name = "bytes"
    endian: Endian | None = Endian.little

    def __post_init__(self) -> None:
        if self.endian is not None:
            object.__setattr__(self, "endian", Endian(self.endian))

    def _configuration(self) -> dict[str, Any] | None:
        return None if self.endian is None else {"endian": self.endian.value}

    def evolve(self, dtype: np.dtype) -> Self:
        has_order = dtype.itemsize > 1 and dtype.kind not in "SVb"
        return self if has_order else replace(self, endian=None)

    def stored_dtype(self, dtype: np.dtype) -> np.dtype:
        """The dtype of the elements as stored."""
        if self.endian is None or dtype.byteorder == "|":
            return dtype
        return dtype.newbyteorder("<" if self.endian is Endian.little else ">")

    def encode_raw(self, chunk: np.ndarray) -> BytesLike:
        stored = self.stored_dtype(chunk.dtype)
        array = chunk.astype(stored, order="C") if stored != chunk.dtype else np.ascontiguousarray(chunk)
        # a byte view: the buffer protocol refuses datetime64 arrays
        return array.reshape(-1).view(np.uint8)

    def decode_raw(self, data: BytesLike, dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
        stored = self.stored_dtype(dtype)
        expected = math.prod(shape) * dtype.itemsize
        if memoryview(data).nbytes != expected:
            raise ValueError(
                f"expected {expected} bytes for shape {shape} of {dtype}, got {memoryview(data).nbytes}"
            )
        array = np.frombuffer(data, dtype=stored).reshape(shape)
        return array if stored == dtype else array.astype(dtype)
