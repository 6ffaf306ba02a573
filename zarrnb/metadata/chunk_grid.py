"""The regular chunk grid: chunk shapes from what users pass, and zarr-python's ``chunks='auto'`` guess."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["guess_chunks", "guess_shards", "normalize_chunks"]

# the size targets of zarr-python's heuristic (inherited from h5py): 256 KiB at 1 MiB of data,
# doubling per tenfold growth, clamped to [128 KiB, 64 MiB]
_BASE_BYTES = 256 * 1024
_MIN_BYTES = 128 * 1024
_MAX_BYTES = 64 * 1024 * 1024


def guess_chunks(shape: tuple[int, ...], itemsize: int, *, max_bytes: int = _MAX_BYTES) -> tuple[int, ...]:
    """Halve the axes in turn until a chunk is near the target size: (625, 625) for 10000x10000 int32."""
    chunks = [max(n, 1) for n in shape]
    if not chunks:
        return ()
    total = math.prod(chunks) * itemsize
    target = min(max(_BASE_BYTES * 2 ** math.log10(total / 2**20), _MIN_BYTES), max_bytes)
    axis = 0
    while True:
        nbytes = math.prod(chunks) * itemsize
        close_enough = nbytes < target or abs(nbytes - target) / target < 0.5
        if (close_enough and nbytes < max_bytes) or math.prod(chunks) == 1:
            return tuple(chunks)
        chunks[axis % len(chunks)] = math.ceil(chunks[axis % len(chunks)] / 2)
        axis += 1


def guess_shards(shape: tuple[int, ...], chunks: tuple[int, ...]) -> tuple[int, ...]:
    """zarr-python's ``shards='auto'``: two chunks per shard along axes holding more than eight chunks."""
    return tuple(c * 2 if s // c > 8 else c for s, c in zip(shape, chunks, strict=True))


def normalize_chunks(chunks: Any, shape: tuple[int, ...], itemsize: int) -> tuple[int, ...]:
    """A chunk shape from ``"auto"``/True, one int for all axes, or a tuple (-1 or None: the whole axis)."""
    if (isinstance(chunks, str) and chunks == "auto") or chunks is True:
        return guess_chunks(shape, itemsize)
    if isinstance(chunks, int) and not isinstance(chunks, bool):
        chunks = (chunks,) * len(shape)
    if not isinstance(chunks, list | tuple) or len(chunks) > len(shape):
        raise ValueError(f"chunks {chunks!r} do not fit shape {shape}")
    padded = list(chunks) + list(shape[len(chunks) :])
    result = tuple(max(s, 1) if c in (None, -1) else c for c, s in zip(padded, shape, strict=True))
    if not all(isinstance(c, int) and not isinstance(c, bool) and c > 0 for c in result):
        raise ValueError(f"chunks must be positive integers, got {chunks!r}")
    return tuple(int(c) for c in result)
