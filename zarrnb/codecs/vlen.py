"""The ``vlen-utf8`` and ``vlen-bytes`` codecs: variable-length items, each stored after its length."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numcodecs
import numcodecs.abc
import numpy as np

from zarrnb.codecs.base import ArrayBytesCodec, BytesLike
from zarrnb.dtype import STRING_DTYPE

__all__ = ["VLenBytesCodec", "VLenUTF8Codec", "check_item_count"]

VLEN_CODEC_IDS = frozenset({"vlen-utf8", "vlen-bytes", "vlen-array"})


def check_item_count(data: BytesLike, expected: int) -> None:
    """Refuse a vlen frame whose item-count header is not the chunk's element count, before numcodecs
    allocates an object array of whatever size the header claims (2**32 items: 32 GiB)."""
    view = memoryview(data).cast("B")
    if len(view) < 4:
        raise ValueError(f"a vlen frame starts with a 4-byte item count; got {len(view)} bytes")
    count = int.from_bytes(view[:4], "little")
    if count != expected:
        raise ValueError(f"the frame header states {count} items, the chunk holds {expected}")


class _VLenCodec(ArrayBytesCodec):
    """numcodecs' item-count header + (length, item) framing, shared by strings and bytes."""

    _numcodecs: ClassVar[numcodecs.abc.Codec]
    memory_dtype: ClassVar[np.dtype]

    def _configuration(self) -> dict[str, Any]:
        return {}

    def encode_raw(self, chunk: np.ndarray) -> BytesLike:
        return self._numcodecs.encode(np.ascontiguousarray(chunk))

    def decode_raw(self, data: BytesLike, dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
        check_item_count(data, math.prod(shape))
        items = self._numcodecs.decode(data)
        if items.size != math.prod(shape):
            raise ValueError(f"expected {math.prod(shape)} items for shape {shape}, got {items.size}")
        return items.reshape(shape).astype(self.memory_dtype, copy=False)


@dataclass(frozen=True)
class VLenUTF8Codec(_VLenCodec):
    """UTF-8 strings of any length (v3 ``string`` data type)."""

    codec_name = "vlen-utf8"
    _numcodecs = numcodecs.VLenUTF8()
    memory_dtype = STRING_DTYPE


@dataclass(frozen=True)
class VLenBytesCodec(_VLenCodec):
    """Byte strings of any length (v3 ``variable_length_bytes`` data type)."""

    codec_name = "vlen-bytes"
    _numcodecs = numcodecs.VLenBytes()
    memory_dtype = np.dtype(object)
