"""Helpers every store shares: byte-range arithmetic, key checks, temp files, path normalisation."""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import time
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import TypeVar

from zarrnb.abc.store import ByteRequest, OffsetByteRequest, RangeByteRequest, SuffixByteRequest
from zarrnb.core.buffer import Buffer

__all__ = [
    "TEMP_GRACE_S",
    "TEMP_SUFFIX",
    "byte_range_bounds",
    "check_byte_request",
    "check_key",
    "is_temp_name",
    "join_path",
    "normalize_path",
    "remove_orphaned_temp_files",
    "temp_name",
]

# One path segment and a whole key, in bytes of UTF-8: the common file-system limits (NAME_MAX,
# PATH_MAX), well inside a zip entry name's 65,535 bytes.
MAX_SEGMENT_BYTES = 255
MAX_KEY_BYTES = 4096
TEMP_SUFFIX = ".zarrnb-partial"
_TEMP_NAME = re.compile(r"^\..*\.[0-9a-f]{32}" + re.escape(TEMP_SUFFIX) + "$")
# a temp file untouched this long belongs to a killed writer (a live one writes or renames it sooner)
TEMP_GRACE_S = 3600.0


def _shown(key: str) -> str:
    """``repr(key)``, cut to a readable length for keys too long to print whole."""
    return repr(key) if len(key) <= 80 else f"{key[:60]!r}... ({len(key)} characters)"


def check_key(key: str) -> None:
    """Refuse keys that could leave a store's root or name something odd (every file-backed store)."""
    if not isinstance(key, str):
        raise TypeError(f"store keys are str, not {type(key).__name__}: {key!r}")
    if "\\" in key or "\0" in key:
        raise ValueError(f"invalid key {_shown(key)}: backslash and NUL are not allowed in keys")
    # an empty, '.' or '..' segment, found without splitting (this runs once per chunk)
    framed = f"/{key}/"
    if "//" in framed or "/./" in framed or "/../" in framed:
        raise ValueError(f"invalid key {_shown(key)}: keys are relative, with no empty, '.' or '..' segments")
    # a key under 64 characters cannot reach 255 bytes: the common case skips encoding
    if len(key) > MAX_SEGMENT_BYTES // 4 and _too_long(key.split("/")):
        raise ValueError(
            f"invalid key {_shown(key)}: keys are at most {MAX_KEY_BYTES} bytes, "
            f"each '/'-separated segment at most {MAX_SEGMENT_BYTES} (UTF-8)"
        )


def _too_long(segments: list[str]) -> bool:
    sizes = [len(s.encode("utf-8", "surrogatepass")) for s in segments]
    return max(sizes) > MAX_SEGMENT_BYTES or sum(sizes) + len(sizes) - 1 > MAX_KEY_BYTES


def _new_temp_prefix() -> None:
    """A random half for this process's temp names (again in a forked child: its own names)."""
    global _temp_prefix, _temp_counter
    _temp_prefix, _temp_counter = os.urandom(8).hex(), itertools.count()


_new_temp_prefix()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_temp_prefix)


def temp_name(path: str) -> str:
    """A fresh hidden temp file name beside ``path`` (what killed writes may leave behind): this
    process's random prefix and a counter (unique without a random draw per write)."""
    if os.altsep is None:  # one separator: a string cut, cheaper than os.path per chunk
        folder, sep, name = path.rpartition(os.sep)
        return f"{folder}{sep}.{name}.{_temp_prefix}{next(_temp_counter):016x}{TEMP_SUFFIX}"
    folder, name = os.path.split(path)
    return os.path.join(folder, f".{name}.{_temp_prefix}{next(_temp_counter):016x}{TEMP_SUFFIX}")


def is_temp_name(name: str) -> bool:
    """Whether a file name is one :func:`temp_name` makes."""
    return name.endswith(TEMP_SUFFIX) and _TEMP_NAME.match(name) is not None


def remove_orphaned_temp_files(
    folder: str, *, recursive: bool, grace_s: float = TEMP_GRACE_S, prefix: str = "."
) -> int:
    """Remove temp files under ``folder`` not modified for ``grace_s`` seconds; returns how many.

    A live writer's temp file is younger than the grace period, so it is never touched."""
    cutoff = time.time() - grace_s
    removed = 0
    for base, _, files in os.walk(folder) if recursive else [(folder, (), _names(folder))]:
        for name in files:
            if not (name.startswith(prefix) and is_temp_name(name)):
                continue
            path = os.path.join(base, name)
            with contextlib.suppress(OSError):  # renamed or removed meanwhile, or not ours to remove
                if os.stat(path, follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(path)
                    removed += 1
    return removed


def _names(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []


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


def normalize_path(path: str | bytes | PurePath | None) -> str:
    """'/a//b/' -> 'a/b'; '.' and '..' segments are refused with ValueError naming the path."""
    if path is None:
        return ""
    if type(path) is str and _already_normal(path):  # most paths: no copy, no split
        return path
    if isinstance(path, bytes):
        text = path.decode("ascii")
    elif isinstance(path, PurePath):
        text = path.as_posix()
    elif isinstance(path, str) or hasattr(path, "__fspath__"):  # upath.UPath and other path-likes
        text = str(path)
    else:
        raise TypeError(f'Object {path!r} has an invalid type for "path": {type(path).__name__}')
    segments = [s for s in text.replace("\\", "/").split("/") if s]
    if any(s in (".", "..") for s in segments):
        raise ValueError(f"path {text!r} may not contain '.' or '..' segments")
    return "/".join(segments)


def _already_normal(text: str) -> bool:
    """Whether ``normalize_path`` would return ``text`` unchanged (conservative: a leading '.' says no)."""
    return (
        text != ""
        and text[0] not in "/."
        and text[-1] != "/"
        and "//" not in text
        and "/." not in text
        and "\\" not in text
    )


def join_path(*parts: str) -> str:
    """Join store paths with '/', skipping empty parts."""
    return "/".join(p.strip("/") for p in parts if p and p.strip("/"))


def _join_paths(paths: Iterable[str]) -> str:
    """The non-empty ``paths`` joined with '/' (zarr-python's helper: '' adds no separator)."""
    return "/".join(p for p in paths if p != "")


def _relativize_path(*, path: str, prefix: str) -> str:
    """``path`` with the directory ``prefix`` taken off the front; ValueError when it is not there."""
    if prefix == "":
        return path
    if not path.startswith(prefix + "/"):
        raise ValueError(f"The first component of {path} does not start with {prefix}.")
    return path[len(prefix) + 1 :]


def _normalize_paths(paths: Iterable[str]) -> tuple[str, ...]:
    """Every path normalised; ValueError naming both when two become the same node path."""
    seen: dict[str, str] = {}
    for path in paths:
        parsed = normalize_path(path)
        if parsed in seen:
            other = seen[parsed]
            raise ValueError(
                f"After normalization, the value '{path}' collides with '{other}'. "
                f"Both '{path}' and '{other}' normalize to the same value: '{parsed}'. "
                f"You should use either '{path}' or '{other}', but not both."
            )
        seen[parsed] = path
    return tuple(seen)


_T = TypeVar("_T")


def _normalize_path_keys(data: Mapping[str, _T]) -> dict[str, _T]:
    """``data`` with its keys normalised as node paths (colliding keys: ValueError, as above)."""
    return dict(zip(_normalize_paths(data.keys()), data.values(), strict=True))


def _normalize_byte_range_index(data: Buffer, byte_range: ByteRequest | None) -> tuple[int, int]:
    """``(start, stop)`` slice bounds of ``byte_range`` in ``data`` (zarr-python's helper: the stop
    may lie past the end, as slicing allows); ValueError naming anything but a byte request."""
    if byte_range is None:
        return 0, len(data) + 1
    if isinstance(byte_range, RangeByteRequest):
        return byte_range.start, byte_range.end
    if isinstance(byte_range, OffsetByteRequest):
        return byte_range.offset, len(data) + 1
    if isinstance(byte_range, SuffixByteRequest):
        return len(data) - byte_range.suffix, len(data) + 1
    raise ValueError(f"Unexpected byte_range, got {byte_range}.")
