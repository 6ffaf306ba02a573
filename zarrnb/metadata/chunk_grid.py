"""The regular chunk grid: chunk shapes from what users pass, and zarr-python's ``chunks='auto'`` guess."""

from __future__ import annotations

import dataclasses
import itertools
import math
import numbers
from collections.abc import Iterator
from typing import Any

__all__ = ["RegularChunkGrid", "guess_chunks", "guess_shards", "normalize_chunks"]

# the size targets of zarr-python's heuristic (inherited from h5py): 256 KiB at 1 MiB of data,
# doubling per tenfold growth, clamped to [128 KiB, 64 MiB]
_BASE_BYTES = 256 * 1024
_MIN_BYTES = 128 * 1024
_MAX_BYTES = 64 * 1024 * 1024


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


def guess_shards(shape: tuple[int, ...], chunks: tuple[int, ...]) -> tuple[int, ...]:
    """zarr-python's ``shards='auto'``: two chunks per shard along axes holding more than eight chunks."""
    return tuple(c * 2 if s // c > 8 else c for s, c in zip(shape, chunks, strict=True))


def normalize_chunks(chunks: Any, shape: tuple[int, ...], itemsize: int) -> tuple[int, ...]:
    """A chunk shape from ``"auto"``/True/None, False (one chunk), one int for all axes, a tuple (-1 or
    None: the whole axis), or dask-style per-axis chunk sizes (uniform but for a smaller last one)."""
    if (isinstance(chunks, str) and chunks == "auto") or chunks is True or chunks is None:
        return guess_chunks(shape, itemsize)
    if chunks is False:
        return tuple(max(s, 1) for s in shape)
    if isinstance(chunks, numbers.Integral) and not isinstance(chunks, bool):
        chunks = (int(chunks),) * len(shape)
    if isinstance(chunks, list | tuple) and chunks and all(isinstance(c, list | tuple) for c in chunks):
        chunks = _regular_dask_chunks(chunks)
    if not isinstance(chunks, list | tuple) or len(chunks) > len(shape):
        raise ValueError(f"chunks {chunks!r} do not fit shape {shape}")
    padded = list(chunks) + list(shape[len(chunks) :])
    result = tuple(max(s, 1) if c is None or c == -1 else c for c, s in zip(padded, shape, strict=True))
    if not all(isinstance(c, numbers.Integral) and not isinstance(c, bool) for c in result):
        raise TypeError(f"chunks must be positive integers, got {chunks!r}: a non-integer value")
    if not all(c > 0 for c in result):
        raise ValueError(f"chunks must be positive integers, got {chunks!r}")
    return tuple(int(c) for c in result)


def _regular_dask_chunks(chunks: Any) -> tuple[int, ...]:
    """The chunk shape of dask-style ``((100, 100, 50), (50, 50))``; irregular sizes raise naming the axis."""
    for axis, sizes in enumerate(chunks):
        if not sizes or any(a != b for a, b in itertools.pairwise(sizes[:-1])) or sizes[-1] > sizes[0]:
            raise ValueError(
                f"Irregular chunk sizes in dimension {axis}: {tuple(sizes)}. "
                "Only uniform chunks (with an optional smaller final chunk) are supported."
            )
    return tuple(sizes[0] for sizes in chunks)


@dataclasses.dataclass(frozen=True)
class RegularChunkGrid:
    """zarr-python's ``RegularChunkGrid``: the v3 ``regular`` chunk grid as an object."""

    chunk_shape: tuple[int, ...]

    def __post_init__(self) -> None:
        shape = tuple(int(n) for n in self.chunk_shape)
        if not all(n > 0 for n in shape):
            raise ValueError(f"chunk_shape must hold positive integers, got {self.chunk_shape!r}")
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
        counts = (math.ceil(s / c) for s, c in zip(array_shape, self.chunk_shape, strict=True))
        return itertools.product(*(range(n) for n in counts))

    def get_nchunks(self, array_shape: tuple[int, ...]) -> int:
        """How many chunks an array of ``array_shape`` has."""
        return math.prod(math.ceil(s / c) for s, c in zip(array_shape, self.chunk_shape, strict=True))


def _auto_partition(
    *, array_shape: tuple[int, ...], chunk_shape: Any, shard_shape: Any, item_size: int
) -> tuple[tuple[int, ...] | None, tuple[int, ...]]:
    """(shard shape or None, chunk shape) with zarr-python's 'auto' rules (1 MiB chunks when sharded)."""
    auto_chunks = isinstance(chunk_shape, str) and chunk_shape == "auto"
    if shard_shape is None:
        return None, guess_chunks(array_shape, item_size) if auto_chunks else tuple(chunk_shape)
    chunks = guess_chunks(array_shape, item_size, max_bytes=2**20) if auto_chunks else tuple(chunk_shape)
    if isinstance(shard_shape, str) and shard_shape == "auto":
        return guess_shards(array_shape, chunks), chunks
    if isinstance(shard_shape, dict):
        shard_shape = shard_shape["shape"]
    return tuple(shard_shape), chunks
