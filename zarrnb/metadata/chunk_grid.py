"""The regular chunk grid: chunk shapes from what users pass, and zarr-python's ``chunks='auto'`` guess."""

from __future__ import annotations

import dataclasses
import itertools
import math
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np

import zarrnb.config
from zarrnb.errors import ZarrUserWarning

__all__ = [
    "ChunkSideZeroError",
    "RegularChunkGrid",
    "chunk_count",
    "guess_chunks",
    "guess_shards",
    "normalize_chunks",
]

# the size targets of zarr-python's heuristic (inherited from h5py): 256 KiB at 1 MiB of data,
# doubling per tenfold growth, clamped to [128 KiB, 64 MiB]
_BASE_BYTES = 256 * 1024
_MIN_BYTES = 128 * 1024
_MAX_BYTES = 64 * 1024 * 1024


class ChunkSideZeroError(ValueError, ZeroDivisionError):
    """A non-empty axis with chunk side 0; a ``ZeroDivisionError`` too, which zarr-python raises there."""


def chunk_count(length: int, chunk: int, *, axis: int | None = None) -> int:
    """How many chunks of side ``chunk`` cover ``length`` elements; none on an empty axis, even of side 0.

    zarr-python writes chunk side 0 on zero-length axes (``chunks=(0, 5)`` for shape ``(0, 5)``); a
    non-empty axis with chunk side 0 has no chunk grid, and says so instead of dividing by zero.
    """
    if length == 0:
        return 0
    if chunk == 0:
        where = f"axis {axis}" if axis is not None else "an axis"
        raise ChunkSideZeroError(
            f"{where} has length {length} but chunk side 0; a chunk side of 0 fits only an empty axis"
        )
    return -(-length // chunk)


def guess_chunks(
    shape: tuple[int, ...],
    itemsize: int,
    *,
    max_bytes: int = _MAX_BYTES,
    increment_bytes: int = _BASE_BYTES,
    min_bytes: int = _MIN_BYTES,
) -> tuple[int, ...]:
    """Halve the axes in turn until a chunk is near the target size: (625, 625) for 10000x10000 int32."""
    chunks = [max(n, 1) for n in shape]
    if not chunks:
        return ()
    total = math.prod(chunks) * itemsize
    target = min(max(increment_bytes * 2 ** math.log10(total / 2**20), min_bytes), max_bytes)
    axis = 0
    while True:
        nbytes = math.prod(chunks) * itemsize
        close_enough = nbytes < target or abs(nbytes - target) / target < 0.5
        if (close_enough and nbytes < max_bytes) or math.prod(chunks) == 1:
            return tuple(chunks)
        chunks[axis % len(chunks)] = math.ceil(chunks[axis % len(chunks)] / 2)
        axis += 1


def _guess_chunks(
    shape: tuple[int, ...] | int,
    typesize: int,
    *,
    increment_bytes: int = _BASE_BYTES,
    min_bytes: int = _MIN_BYTES,
    max_bytes: int = _MAX_BYTES,
) -> tuple[int, ...]:
    """zarr-python's name and signature for :func:`guess_chunks` (an int shape, size bounds)."""
    if min_bytes >= max_bytes:
        raise ValueError(f"Cannot have more min_bytes ({min_bytes}) than max_bytes ({max_bytes})")
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if typesize == 0:
        return shape
    return guess_chunks(
        shape, typesize, max_bytes=max_bytes, increment_bytes=increment_bytes, min_bytes=min_bytes
    )


def guess_shards(
    shape: tuple[int, ...], chunks: tuple[int, ...], itemsize: int = 1, *, warn: bool = True
) -> tuple[int, ...]:
    """zarr-python's ``shards='auto'``: with ``array.target_shard_size_bytes`` set, the same number of
    chunks along every axis, as many as fit that size and the array; without it, two chunks per shard
    along axes holding more than eight chunks. Warns, as zarr-python does, that the rule may change."""
    if warn:
        warnings.warn(
            "Automatic shard shape inference is experimental and may change without notice.",
            ZarrUserWarning,
            stacklevel=3,
        )
    target = zarrnb.config.get("array.target_shard_size_bytes", None)
    if target is None:
        return tuple(c * 2 if c and s // c > 8 else c for s, c in zip(shape, chunks, strict=True))
    per_axis = _chunks_per_shard_axis(shape, chunks, itemsize, int(target))
    return tuple(c * per_axis for c in chunks)


def _chunks_per_shard_axis(
    shape: tuple[int, ...], chunks: tuple[int, ...], itemsize: int, target_bytes: int
) -> int:
    """The largest n (at least 1) with n**ndim chunks within ``target_bytes`` and n chunks per axis."""
    chunk_bytes = math.prod(chunks) * itemsize
    n = 1
    if target_bytes < chunk_bytes:
        return n
    while chunk_bytes * (n + 1) ** len(chunks) <= target_bytes and all(
        c * (n + 1) <= s for c, s in zip(chunks, shape, strict=True)
    ):
        n += 1
    return n


def normalize_chunks(chunks: Any, shape: tuple[int, ...], itemsize: int) -> tuple[int, ...]:
    """A chunk shape from what zarr-python accepts: ``"auto"``/True/None (guessed), False (one chunk),
    one int for all axes, a tuple (-1 or None: the whole axis), or dask-style chunks per axis."""
    if (isinstance(chunks, str) and chunks == "auto") or chunks is True or chunks is None:
        return guess_chunks(shape, itemsize)
    if chunks is False:
        return tuple(shape)
    if isinstance(chunks, int | np.integer) and not isinstance(chunks, bool):
        chunks = (int(chunks),) * len(shape)
    if not isinstance(chunks, list | tuple) or len(chunks) > len(shape):
        raise ValueError(f"chunks {chunks!r} do not fit shape {shape}")
    if chunks and all(isinstance(c, list | tuple) for c in chunks):
        chunks = _regular_from_dask(chunks)
    padded = list(chunks) + list(shape[len(chunks) :])
    whole = tuple(c is None or (_is_int(c) and c == -1) for c in padded)  # -1 or None: the whole axis
    result = tuple(s if w else c for c, s, w in zip(padded, shape, whole, strict=True))
    if not all(_is_int(c) for c in result):
        raise TypeError(f"chunks must be integers, got {chunks!r}: a non-integer value")
    if not all(c >= 0 for c in result):
        raise ValueError(f"chunks must be non-negative integers, got {chunks!r}")
    for axis, (s, c) in enumerate(zip(shape, result, strict=True)):
        if c == 0 and s != 0:
            raise ChunkSideZeroError(
                f"chunks {chunks!r}: chunk side 0 on axis {axis} of length {s}; "
                "a chunk side of 0 fits only an empty axis"
            )
    return tuple(int(c) for c in result)


def _is_int(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def _regular_from_dask(chunks: list[Any] | tuple[Any, ...]) -> tuple[int, ...]:
    """The regular chunk side of dask-style chunks (equal sides and a smaller last one) per axis."""
    sides = []
    for axis, sizes in enumerate(chunks):
        sizes = tuple(sizes)
        last_larger = len(sizes) > 1 and sizes[-1] > sizes[0]
        if any(a != b for a, b in itertools.pairwise(sizes[:-1])) or last_larger:
            raise ValueError(
                f"Irregular chunk sizes in dimension {axis}: {sizes}. "
                "Only uniform chunks (with an optional smaller final chunk) are supported."
            )
        sides.append(sizes[0] if sizes else 0)
    return tuple(sides)


@dataclasses.dataclass(frozen=True)
class RegularChunkGrid:
    """zarr-python's ``RegularChunkGrid``: the v3 ``regular`` chunk grid as an object."""

    chunk_shape: tuple[int, ...]

    def __post_init__(self) -> None:
        shape = tuple(int(n) for n in self.chunk_shape)
        if not all(n >= 0 for n in shape):
            raise ValueError(f"chunk_shape must hold non-negative integers, got {self.chunk_shape!r}")
        object.__setattr__(self, "chunk_shape", shape)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RegularChunkGrid:
        """From ``{"name": "regular", "configuration": {"chunk_shape": [...]}}`` (or an instance)."""
        if isinstance(data, cls):
            return data
        if not isinstance(data, dict) or data.get("name") != "regular":
            raise ValueError(f"expected a 'regular' chunk grid, got {data!r}")
        return cls(chunk_shape=tuple(data.get("configuration", {}).get("chunk_shape", ())))

    _from_dict = from_dict

    def to_dict(self) -> dict[str, Any]:
        """The JSON form stored in ``zarr.json`` (a tuple for the shape, as zarr-python gives)."""
        return {"name": "regular", "configuration": {"chunk_shape": tuple(self.chunk_shape)}}

    def all_chunk_coords(self, array_shape: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
        """Grid coordinates of every chunk of an array of ``array_shape``, in C order."""
        pairs = enumerate(zip(array_shape, self.chunk_shape, strict=True))
        return itertools.product(*(range(chunk_count(s, c, axis=i)) for i, (s, c) in pairs))

    def get_nchunks(self, array_shape: tuple[int, ...]) -> int:
        """How many chunks an array of ``array_shape`` has."""
        pairs = enumerate(zip(array_shape, self.chunk_shape, strict=True))
        return math.prod(chunk_count(s, c, axis=i) for i, (s, c) in pairs)


def _auto_partition(
    *, array_shape: tuple[int, ...], chunk_shape: Any, shard_shape: Any, item_size: int
) -> tuple[tuple[int, ...] | None, tuple[int, ...]]:
    """(shard shape or None, chunk shape) with zarr-python's 'auto' rules (1 MiB chunks when sharded)."""
    auto_chunks = isinstance(chunk_shape, str) and chunk_shape == "auto"
    if shard_shape is None:
        return None, guess_chunks(array_shape, item_size) if auto_chunks else tuple(chunk_shape)
    chunks = guess_chunks(array_shape, item_size, max_bytes=2**20) if auto_chunks else tuple(chunk_shape)
    if isinstance(shard_shape, str) and shard_shape == "auto":
        return guess_shards(array_shape, chunks, item_size), chunks
    if isinstance(shard_shape, dict):
        shard_shape = shard_shape["shape"]
    return tuple(shard_shape), chunks
