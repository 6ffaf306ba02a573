"""zarr-python's partial shard API on zarrnb's sharding codec: read or write part of one shard.

``ShardingCodec.decode_partial``/``encode_partial`` take, per shard, a byte getter or setter (a
``StorePath``), a selection within the shard and the shard's ``ArraySpec``. A read fetches the index
and then only the inner chunks the selection covers (the whole shard when it covers them all); a
write decodes the inner chunks it covers, merges the new values, re-encodes those chunks and keeps the
others' bytes as stored. Selections follow zarr-python's rules: integer arrays on every axis (or one
boolean mask of the shard's shape) select points; anything else selects each axis on its own.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import numpy as np

from zarrnb.abc.store import RangeByteRequest
from zarrnb.codecs.array_spec import ArraySpec
from zarrnb.codecs.base import as_bytes_like
from zarrnb.codecs.morton import morton_order
from zarrnb.codecs.sharding import MAX_UINT64, ShardingCodec, ShardingCodecIndexLocation
from zarrnb.dtype import is_fill

__all__ = ["ShardSelection", "decode_partial_single", "encode_partial_single"]


class ShardSelection:
    """A selection within one shard: the inner chunks it covers, and how to read or write it."""

    def __init__(self, selection: Any, shard_shape: tuple[int, ...], inner_shape: tuple[int, ...]) -> None:
        items = _expand(selection, shard_shape)
        self.shard_shape, self.inner_shape = shard_shape, inner_shape
        self.points = _points(items, shard_shape)
        if self.points is not None:  # coordinates (or a mask's): numpy's own fancy indexing
            self.key: Any = self.points
            self.shape = self.points[0].shape
            grid = [p.ravel() // n for p, n in zip(self.points, inner_shape, strict=True)]
            coords = np.stack(grid, axis=-1)
            self.touched = {tuple(int(c) for c in row) for row in np.unique(coords, axis=0)}
        else:  # each axis on its own; an integer drops its axis
            per_axis = [_axis_indices(item, n) for item, n in zip(items, shard_shape, strict=True)]
            self.key = np.ix_(*(indices for indices, _ in per_axis))
            self._grid_shape = tuple(len(indices) for indices, _ in per_axis)
            self.shape = tuple(len(indices) for indices, dropped in per_axis if not dropped)
            chunk_sets = [
                np.unique(indices // n) for (indices, _), n in zip(per_axis, inner_shape, strict=True)
            ]
            self.touched = {tuple(int(c) for c in coords) for coords in itertools.product(*chunk_sets)}

    def covers_all(self, chunks_per_shard: tuple[int, ...]) -> bool:
        """Whether every inner chunk of the shard is covered (then the whole shard is fetched at once)."""
        return len(self.touched) == int(np.prod(chunks_per_shard))

    def take(self, shard: np.ndarray) -> np.ndarray:
        """The selected values of a decoded shard, in the selection's shape."""
        return np.asarray(shard[self.key]).reshape(self.shape)

    def put(self, shard: np.ndarray, value: np.ndarray) -> None:
        """Write ``value`` (the selection's shape, or broadcastable to it) into a decoded shard."""
        value = np.broadcast_to(value, self.shape)
        shard[self.key] = value if self.points is not None else value.reshape(self._grid_shape)


def _expand(selection: Any, shape: tuple[int, ...]) -> tuple[Any, ...]:
    """One item per axis: ``Ellipsis`` and missing trailing axes become whole-axis slices."""
    items = selection if isinstance(selection, tuple) else (selection,)
    if any(item is Ellipsis for item in items):
        at = next(i for i, item in enumerate(items) if item is Ellipsis)
        items = (*items[:at], *(slice(None),) * (len(shape) - len(items) + 1), *items[at + 1 :])
    items = (*items, *(slice(None),) * (len(shape) - len(items)))
    if len(items) != len(shape):
        raise IndexError(f"selection {selection!r} has {len(items)} axes; the shard has {len(shape)}")
    return items


def _points(items: tuple[Any, ...], shape: tuple[int, ...]) -> tuple[np.ndarray, ...] | None:
    """The point coordinates a coordinate or mask selection names, or None for an axis-wise one."""
    arrays = [np.asarray(item) if isinstance(item, list | np.ndarray) else item for item in items]
    first = arrays[0]
    if len(shape) > 1 and isinstance(first, np.ndarray) and first.dtype == bool and first.shape == shape:
        return tuple(np.nonzero(first))  # one boolean mask of the whole shard (trailing items were added)
    if any(isinstance(a, slice) for a in arrays) or not any(isinstance(a, np.ndarray) for a in arrays):
        return None
    if not all((isinstance(a, np.ndarray) and a.dtype.kind in "iu") or _is_int(a) for a in arrays):
        return None
    coords = np.broadcast_arrays(*(np.asarray(a, dtype=np.intp) for a in arrays))
    for axis, (c, n) in enumerate(zip(coords, shape, strict=True)):
        if c.size and (c.min() < -n or c.max() >= n):
            raise IndexError(f"coordinate out of bounds on axis {axis} of a shard of shape {shape}")
    return tuple(np.where(c < 0, c + n, c) for c, n in zip(coords, shape, strict=True))


def _is_int(item: Any) -> bool:
    return isinstance(item, int | np.integer) and not isinstance(item, bool)


def _axis_indices(item: Any, n: int) -> tuple[np.ndarray, bool]:
    """The indices one axis selects, and whether the axis is dropped (an integer)."""
    positions = np.arange(n)
    if _is_int(item):
        if not -n <= item < n:
            raise IndexError(f"index {item} is out of bounds for a shard axis of length {n}")
        return positions[[item]], True
    if isinstance(item, slice):
        return positions[item], False
    array = np.asarray(item)
    if array.dtype == bool:
        if array.shape != (n,):
            raise IndexError(f"boolean selection of shape {array.shape} on a shard axis of length {n}")
        return positions[array], False
    if array.dtype.kind not in "iu":
        raise IndexError(f"unsupported selection item {item!r} in a shard selection")
    return positions[array], False


def _split(codec: ShardingCodec, data: Any, key: str) -> dict[tuple[int, ...], memoryview]:
    """The stored bytes of each present inner chunk of a whole shard."""
    data = memoryview(as_bytes_like(data)).cast("B")
    n = codec.index_nbytes
    at_end = codec.index_location is ShardingCodecIndexLocation.end
    index = codec.decode_index(data[-n:] if at_end else data[:n], key=key)
    return {
        coords: data[int(index[coords][0]) : int(index[coords][0]) + int(index[coords][1])]
        for coords in itertools.product(*map(range, codec.chunks_per_shard))
        if index[coords][0] != MAX_UINT64
    }


async def _fetch(
    codec: ShardingCodec, byte_getter: Any, pick: ShardSelection, spec: ArraySpec, key: str
) -> dict[tuple[int, ...], Any] | None:
    """The stored bytes of the covered inner chunks that exist; None when the shard does not."""
    if pick.covers_all(codec.chunks_per_shard):
        whole = await byte_getter.get(prototype=spec.prototype)
        return None if whole is None else _split(codec, whole, key)
    index_bytes = await byte_getter.get(prototype=spec.prototype, byte_range=codec.index_byte_request())
    if index_bytes is None:
        return None
    index = codec.decode_index(as_bytes_like(index_bytes), key=key)
    wanted = sorted(c for c in pick.touched if index[c][0] != MAX_UINT64)
    ranges = [RangeByteRequest(int(index[c][0]), int(index[c][0] + index[c][1])) for c in wanted]
    found = await asyncio.gather(*(byte_getter.get(prototype=spec.prototype, byte_range=r) for r in ranges))
    return {c: as_bytes_like(data) for c, data in zip(wanted, found, strict=True) if data is not None}


def _decoded(
    codec: ShardingCodec, stored: dict[tuple[int, ...], Any], touched: set[Any], key: str
) -> np.ndarray:
    """A shard array holding the covered inner chunks (decoded, or the fill value where absent)."""
    layout = codec._bound()
    shard = np.full(layout.shard_shape, layout.fill_value, dtype=layout.dtype)
    for coords in touched:
        if coords in stored:
            where = f"{key} inner chunk {coords}"
            shard[layout.region(coords)] = codec.decode_inner_chunk(stored[coords], key=where)
    return shard


def _where(getter: Any) -> str:
    return str(getattr(getter, "path", getter))


async def decode_partial_single(
    codec: ShardingCodec, byte_getter: Any, selection: Any, shard_spec: ArraySpec
) -> Any:
    """The selected part of one shard as an ``NDBuffer``, or None when the shard is not stored."""
    bound = codec._bound_for(shard_spec)
    pick = ShardSelection(selection, shard_spec.shape, bound.chunk_shape)
    stored = await _fetch(bound, byte_getter, pick, shard_spec, _where(byte_getter))
    if stored is None:
        return None
    values = pick.take(_decoded(bound, stored, pick.touched, _where(byte_getter)))
    return shard_spec.prototype.nd_buffer.from_numpy_array(values)


async def encode_partial_single(
    codec: ShardingCodec, byte_setter: Any, shard_array: Any, selection: Any, shard_spec: ArraySpec
) -> None:
    """Write ``shard_array`` into the selected part of one shard; a shard left empty is deleted."""
    bound = codec._bound_for(shard_spec)
    layout = bound._bound()
    key = _where(byte_setter)
    pick = ShardSelection(selection, shard_spec.shape, bound.chunk_shape)
    whole = await byte_setter.get(prototype=shard_spec.prototype)
    stored: dict[tuple[int, ...], Any] = {} if whole is None else _split(bound, whole, key)
    shard = _decoded(bound, stored, pick.touched, key)
    as_numpy = getattr(shard_array, "as_numpy_array", None)
    value = as_numpy() if as_numpy is not None else np.asarray(shard_array)
    pick.put(shard, value)
    for coords in pick.touched:
        chunk = shard[layout.region(coords)]
        encoded = None
        if shard_spec.config.write_empty_chunks or not is_fill(chunk, layout.fill_value):
            encoded = layout.inner.encode_chunk(chunk)
        if encoded:
            stored[coords] = encoded
        else:
            stored.pop(coords, None)
    if not stored:
        await byte_setter.delete()
        return
    await byte_setter.set(shard_spec.prototype.buffer.from_bytes(_assemble(bound, stored)))


def _assemble(codec: ShardingCodec, stored: dict[tuple[int, ...], Any]) -> bytes:
    """A shard of these inner chunks' bytes, laid out in Morton order as zarr-python lays them out."""
    layout = codec._bound()
    index = np.full((*layout.chunks_per_shard, 2), MAX_UINT64, dtype=np.uint64)
    at_start = codec.index_location is ShardingCodecIndexLocation.start
    offset = layout.index_nbytes if at_start else 0
    parts = []
    for coords in morton_order(layout.chunks_per_shard):
        data = stored.get(coords)
        if data is None:
            continue
        index[coords] = (offset, len(data))
        offset += len(data)
        parts.append(bytes(data))
    index_bytes = layout.index.encode_chunk(index)
    return b"".join([index_bytes, *parts] if at_start else [*parts, index_bytes])
