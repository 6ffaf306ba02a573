"""Decompressed sizes read from compressed frame headers, so a codec may decode straight into a
caller's buffer only when the frame fills it exactly (a shorter frame would leave stale bytes)."""

from __future__ import annotations

from collections.abc import Callable

from zarrnb.codecs.base import BytesLike

__all__ = ["decoded_nbytes"]

_ZSTD_MAGIC = 0xFD2FB528


def _zstd_content_size(view: memoryview) -> int | None:
    """Frame_Content_Size of a single zstd frame (RFC 8878, section 3.1.1.1), or None if absent."""
    if len(view) < 6 or int.from_bytes(view[:4], "little") != _ZSTD_MAGIC:
        return None
    descriptor = view[4]
    fcs_flag, single_segment, dict_flag = descriptor >> 6, (descriptor >> 5) & 1, descriptor & 3
    size_bytes = (1 if single_segment else 0, 2, 4, 8)[fcs_flag]
    if size_bytes == 0:
        return None
    start = 5 + (0 if single_segment else 1) + (0, 1, 2, 4)[dict_flag]
    if len(view) < start + size_bytes:
        return None
    size = int.from_bytes(view[start : start + size_bytes], "little")
    return size + 256 if size_bytes == 2 else size


def _blosc_sizes(view: memoryview) -> int | None:
    """nbytes of a blosc frame whose header's cbytes matches the data length (a truncated frame does not)."""
    if len(view) < 16 or int.from_bytes(view[12:16], "little") != len(view):
        return None
    return int.from_bytes(view[4:8], "little")


_READERS: dict[str, Callable[[memoryview], int | None]] = {"zstd": _zstd_content_size, "blosc": _blosc_sizes}


def decoded_nbytes(codec_id: str, data: BytesLike) -> int | None:
    """The decompressed size stated by the frame header of ``data`` for ``codec_id``, or None if unknown."""
    reader = _READERS.get(codec_id)
    return None if reader is None else reader(memoryview(data).cast("B"))
