"""The ``crc32c`` codec: appends a little-endian CRC-32C (Castagnoli) of the bytes and checks it on read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import crc32c as crc32c_lib

from zarrnb.codecs.base import BytesBytesCodec, BytesLike

__all__ = ["Crc32cCodec"]


@dataclass(frozen=True)
class Crc32cCodec(BytesBytesCodec):
    """Checksums chunks (and shard indexes) so corruption raises instead of decoding to garbage."""

    codec_name = "crc32c"

    def _configuration(self) -> dict[str, Any] | None:
        return None

    def encode_raw(self, data: BytesLike) -> BytesLike:
        view = memoryview(data).cast("B")
        return b"".join((view, crc32c_lib.crc32c(view).to_bytes(4, "little")))

    def decode_raw(self, data: BytesLike) -> BytesLike:
        view = memoryview(data).cast("B")
        if len(view) < 4:
            raise ValueError(f"{len(view)} bytes are too few to hold a crc32c checksum")
        stored = int.from_bytes(view[-4:], "little")
        actual = crc32c_lib.crc32c(view[:-4])
        if stored != actual:
            raise ValueError(f"crc32c checksum mismatch: stored {stored:#010x}, computed {actual:#010x}")
        return view[:-4]
