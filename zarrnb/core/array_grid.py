"""Walks over an array's chunk and shard grids (zarr-python's ``_iter_*`` helpers and methods).

They read only ``shape``, ``chunks``, ``shards``, ``metadata`` and the grid shapes, so both array
classes take them as methods (:data:`GRID_METHODS`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from zarrnb.core.indexing import _iter_grid, _iter_regions

__all__ = ["GRID_METHODS", "_iter_chunk_coords", "_iter_chunk_regions", "_iter_shard_coords",
           "_iter_shard_keys", "_iter_shard_regions", "_shards_initialized"]  # fmt: skip


def _iter_chunk_coords(
    array: Any, *, origin: Sequence[int] | None = None, selection_shape: Sequence[int] | None = None
) -> Iterator[tuple[int, ...]]:
    """Coordinates of the (inner) chunks of ``array`` (an ``Array`` or ``AsyncArray``), in grid order."""
    return _iter_grid(array._chunk_grid_shape, origin=origin, selection_shape=selection_shape)


def _iter_shard_coords(
    array: Any, *, origin: Sequence[int] | None = None, selection_shape: Sequence[int] | None = None
) -> Iterator[tuple[int, ...]]:
    """Coordinates of the stored objects (shards, or chunks when unsharded) of ``array``."""
    return _iter_grid(array._shard_grid_shape, origin=origin, selection_shape=selection_shape)


def _iter_shard_keys(
    array: Any, *, origin: Sequence[int] | None = None, selection_shape: Sequence[int] | None = None
) -> Iterator[str]:
    """Store keys, relative to the array, of its shards (chunks when unsharded), in grid order."""
    coords = _iter_shard_coords(array, origin=origin, selection_shape=selection_shape)
    return map(array.metadata.chunk_key, coords)


def _iter_shard_regions(
    array: Any, *, origin: Sequence[int] | None = None, selection_shape: Sequence[int] | None = None
) -> Iterator[tuple[slice, ...]]:
    """The region of the array each shard (chunk when unsharded) covers: safe units for parallel writes."""
    shape = array.shards if array.shards is not None else array.chunks
    return _iter_regions(array.shape, shape, origin=origin, selection_shape=selection_shape)


def _iter_chunk_regions(
    array: Any, *, origin: Sequence[int] | None = None, selection_shape: Sequence[int] | None = None
) -> Iterator[tuple[slice, ...]]:
    """The region of the array each (inner) chunk covers."""
    return _iter_regions(array.shape, array.chunks, origin=origin, selection_shape=selection_shape)


# the grid walks above are methods of both array classes too, as in zarr-python
GRID_METHODS = (
    _iter_chunk_coords,
    _iter_shard_coords,
    _iter_shard_keys,
    _iter_shard_regions,
    _iter_chunk_regions,
)


async def _shards_initialized(array: Any) -> tuple[str, ...]:
    """Keys (relative to the array) of the stored shards, or chunks when unsharded, in grid order."""
    stored = await array._stored_chunks(array.metadata, list(array._shard_grid_shape))
    return tuple(sorted(stored, key=stored.__getitem__))
