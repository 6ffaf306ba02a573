"""Helpers every store shares: byte-range arithmetic and path normalisation."""

from __future__ import annotations

from pathlib import PurePath

from zarrnb.abc.store import ByteRequest, OffsetByteRequest, RangeByteRequest, SuffixByteRequest

__all__ = ["byte_range_bounds", "check_byte_request", "join_path", "normalize_path"]


def check_byte_request(byte_range: ByteRequest | None) -> None:
    """Refuse negative or inverted byte requests, naming the request."""
    if byte_range is None:
        return
    if isinstance(byte_range, RangeByteRequest):
        ok = 0 <= byte_range.start <= byte_range.end
    elif isinstance(byte_range, OffsetByteRequest):
        ok = byte_range.offset >= 0
    elif isinstance(byte_range, SuffixByteRequest):
        ok = byte_range.suffix >= 0
    else:
        raise TypeError(
            f"Unexpected byte_range, got {byte_range!r}; expected a RangeByteRequest, "
            "OffsetByteRequest or SuffixByteRequest"
        )
    if not ok:
        raise ValueError(f"invalid byte request {byte_range!r}")


def byte_range_bounds(byte_range: ByteRequest | None, size: int) -> tuple[int, int]:
    """``(start, stop)`` of ``byte_range`` within an object of ``size`` bytes, clipped to it."""
    check_byte_request(byte_range)
    if byte_range is None:
        return 0, size
    if isinstance(byte_range, RangeByteRequest):
        return min(byte_range.start, size), min(byte_range.end, size)
    if isinstance(byte_range, OffsetByteRequest):
        return min(byte_range.offset, size), size
    return max(size - byte_range.suffix, 0), size


def normalize_path(path: str | PurePath | None) -> str:
    """'/a//b/' -> 'a/b'; '.' and '..' segments are refused with ValueError naming the path."""
    if path is None:
        return ""
    text = path.as_posix() if isinstance(path, PurePath) else str(path)
    segments = [s for s in text.replace("\\", "/").split("/") if s]
    if any(s in (".", "..") for s in segments):
        raise ValueError(f"path {text!r} may not contain '.' or '..' segments")
    return "/".join(segments)


def join_path(*parts: str) -> str:
    """Join store paths with '/', skipping empty parts."""
    return "/".join(p.strip("/") for p in parts if p and p.strip("/"))
