"""Selections -> per-chunk projections: which chunk, which part of it, where in the output.

Each indexer turns a user selection into ``ChunkProjection`` items over a regular chunk
grid. Work is done per dimension (and vectorised with numpy for integer arrays and
coordinates), so the per-chunk cost is one tuple, not an object graph.

Every indexer exposes ``shape`` (the shape handed back to the user) and ``out_shape``
(the shape of the internal buffer the projections address; integer-indexed axes stay
there as length-1 axes so chunk and output selections are plain views).
"""

from __future__ import annotations

import inspect
import itertools
import math
import numbers
from collections.abc import Iterator, Sequence
from types import EllipsisType
from typing import Any, Literal, NamedTuple, TypeAlias

import numpy as np
import numpy.typing as npt

from zarrnb.core.common import ceildiv
from zarrnb.core.fields import has_fields, pop_fields
from zarrnb.errors import ArrayIndexError, BoundsCheckError

__all__ = [
    "AsyncOIndex",
    "AsyncVIndex",
    "BasicIndexer",
    "BlockIndexer",
    "ChunkProjection",
    "CoordinateIndexer",
    "Indexer",
    "MaskIndexer",
    "OrthogonalIndexer",
    "has_array_index",
    "is_pure_fancy_indexing",
    "is_pure_orthogonal_indexing",
    "make_slice_selection",
    "normalize_integer_selection",
    "oindex",
    "oindex_set",
    "point_projection",
    "replace_ellipsis",
    "resolve_array_selection",
]

# zarr-python's names for the kinds of selection (``zarr.core.indexing``), for type hints
IntSequence: TypeAlias = list[int] | npt.NDArray[np.intp]
ArrayOfIntOrBool: TypeAlias = npt.NDArray[np.intp] | npt.NDArray[np.bool_]
BasicSelector: TypeAlias = int | slice | EllipsisType
Selector: TypeAlias = BasicSelector | ArrayOfIntOrBool
BasicSelection: TypeAlias = BasicSelector | tuple[BasicSelector, ...]
CoordinateSelection: TypeAlias = IntSequence | tuple[IntSequence, ...]
MaskSelection: TypeAlias = npt.NDArray[np.bool_]
OrthogonalSelection: TypeAlias = Selector | tuple[Selector, ...]
Selection: TypeAlias = BasicSelection | CoordinateSelection | MaskSelection | OrthogonalSelection
SelectorTuple: TypeAlias = tuple[Selector, ...] | npt.NDArray[np.intp] | slice
Fields: TypeAlias = str | list[str] | tuple[str, ...]
# the linear orders in which grids can be walked (only row-major, as in zarr-python)
_ArrayIndexingOrder: TypeAlias = Literal["lexicographic"]


def _iter_grid(
    grid_shape: Sequence[int],
    *,
    origin: Sequence[int] | None = None,
    selection_shape: Sequence[int] | None = None,
    order: _ArrayIndexingOrder = "lexicographic",
) -> Iterator[tuple[int, ...]]:
    """The integer coordinates of a box in ``grid_shape`` (``origin``, ``selection_shape``), row-major.

    Used to walk chunk or shard grids; a box that overruns the grid is an ``IndexError``.
    """
    ndim = len(grid_shape)
    start = (0,) * ndim if origin is None else tuple(int(o) for o in origin)
    if len(start) != ndim:
        raise ValueError(
            f"Shape and origin parameters must have the same length. Got {ndim} elements in shape, "
            f"but {len(start)} elements in origin."
        )
    if selection_shape is None:
        extent = tuple(g - o for g, o in zip(grid_shape, start, strict=True))
    else:
        extent = tuple(int(s) for s in selection_shape)
    if order != "lexicographic":
        raise NotImplementedError(f"Indexing order {order!r} is not supported; use 'lexicographic'.")
    ranges = []
    for axis, (o, g, n) in enumerate(zip(start, grid_shape, extent, strict=True)):
        if o + n > g:
            raise IndexError(
                f"Invalid selection shape ({n}) for origin ({o}) and grid shape ({g}) at axis {axis}."
            )
        ranges.append(range(o, o + n))
    return itertools.product(*ranges)


def _iter_regions(
    domain_shape: Sequence[int],
    region_shape: Sequence[int],
    *,
    origin: Sequence[int] | None = None,
    selection_shape: Sequence[int] | None = None,
    order: _ArrayIndexingOrder = "lexicographic",
    trim_excess: bool = True,
) -> Iterator[tuple[slice, ...]]:
    """The regions (tuples of step-1 slices) that tile ``domain_shape`` by ``region_shape``, row-major.

    ``origin`` and ``selection_shape`` count regions, not elements; ``trim_excess`` cuts the last
    region of each axis at the domain's edge (chunk regions of an array).
    """
    grid_shape = tuple(ceildiv(d, r) for d, r in zip(domain_shape, region_shape, strict=True))
    for position in _iter_grid(grid_shape, origin=origin, selection_shape=selection_shape, order=order):
        region = []
        for index, size, dim_len in zip(position, region_shape, domain_shape, strict=True):
            stop = index * size + size
            region.append(slice(index * size, min(stop, dim_len) if trim_excess else stop, 1))
        yield tuple(region)


def normalize_integer_selection(dim_sel: int, dim_len: int) -> int:
    """``dim_sel`` as a non-negative index into an axis of ``dim_len`` (negative counts from the end)."""
    index = int(dim_sel)
    if index < 0:
        index += dim_len
    if not 0 <= index < dim_len:
        raise BoundsCheckError(f"index {dim_sel} is out of bounds for dimension with length {dim_len}")
    return index


def replace_ellipsis(selection: Any, shape: tuple[int, ...]) -> tuple[Any, ...]:
    """``selection`` as one item per axis: the Ellipsis expanded, missing axes ``slice(None)``."""
    items = _as_tuple(selection)
    n_ellipsis = sum(1 for item in items if item is Ellipsis)
    if n_ellipsis > 1:
        raise IndexError(f"an index can only have a single ellipsis ('...'); got {selection!r}")
    if n_ellipsis:
        at = next(i for i, item in enumerate(items) if item is Ellipsis)
        fill = (slice(None),) * max(0, len(shape) - len(items) + 1)
        items = items[:at] + fill + items[at + 1 :]
    if len(items) > len(shape):
        raise IndexError(f"too many indices for array; expected {len(shape)}, got {len(items)}")
    return items + (slice(None),) * (len(shape) - len(items))


def _ix_orthogonal(selection: Any, shape: tuple[int, ...]) -> tuple[tuple[Any, ...], tuple[int, ...]]:
    """An orthogonal selection as numpy's ``ix_`` index arrays, and the axes integers drop."""
    items = replace_ellipsis(selection, shape)
    drop_axes = tuple(axis for axis, item in enumerate(items) if _is_integer(item))
    per_axis = [
        range(*item.indices(dim_len)) if isinstance(item, slice) else [item] if _is_integer(item) else item
        for item, dim_len in zip(items, shape, strict=True)
    ]
    return np.ix_(*per_axis), drop_axes


def oindex(a: np.ndarray, selection: Any) -> np.ndarray:
    """``a`` indexed orthogonally (each axis on its own, as ``Array.oindex``): the reference for tests."""
    index, drop_axes = _ix_orthogonal(selection, a.shape)
    result = a[index]
    return result.squeeze(axis=drop_axes) if drop_axes else result


def oindex_set(a: np.ndarray, selection: Any, value: Any) -> None:
    """Assign ``value`` to ``a``'s orthogonal ``selection`` (the write half of :func:`oindex`)."""
    index, drop_axes = _ix_orthogonal(selection, a.shape)
    if drop_axes and not np.isscalar(value):
        value = np.expand_dims(np.asanyarray(value), drop_axes)
    a[index] = value


def make_slice_selection(selection: Any) -> list[slice]:
    """Each integer (or one-element integer array) of ``selection`` as a length-1 slice; slices kept."""
    slices: list[slice] = []
    for item in selection:
        if _is_integer(item):
            slices.append(slice(int(item), int(item) + 1, 1))
        elif isinstance(item, np.ndarray):
            if len(item) != 1:
                raise ArrayIndexError(
                    f"only one-element integer arrays can become slices; got an array of {len(item)} elements"
                )
            slices.append(slice(int(item[0]), int(item[0]) + 1, 1))
        else:
            slices.append(item)
    return slices


class ChunkProjection(NamedTuple):
    """One chunk's share of a selection."""

    chunk_coords: tuple[int, ...]
    # applied to the decoded chunk (which always has the full stored chunk shape)
    chunk_selection: tuple[Any, ...]
    # applied to the output buffer of shape ``indexer.out_shape``
    out_selection: Any
    # the selection covers every element of the chunk that lies inside the array
    is_complete_chunk: bool
    # the output view has exactly the stored chunk's shape: the chunk decodes straight into it
    is_exact: bool


class _DimPart(NamedTuple):
    chunk_index: int
    chunk_selection: Any
    out_selection: Any
    complete: bool
    exact: bool


def _is_integer(item: Any) -> bool:
    # a plain int first: the ABC check costs more than the rest of a one-element read's planning
    return type(item) is int or (isinstance(item, numbers.Integral) and not isinstance(item, bool | np.bool_))


def _normalize_int(index: Any, dim_len: int, axis: int) -> int:
    index = int(index)
    if index < -dim_len or index >= dim_len:
        raise BoundsCheckError(f"index {index} is out of bounds for axis {axis} with size {dim_len}")
    return index + dim_len if index < 0 else index


def point_projection(
    selection: Any, shape: tuple[int, ...], chunk_shape: tuple[int, ...]
) -> ChunkProjection | None:
    """The single projection of an all-integer selection (the one-element fast path); None otherwise."""
    items = selection if isinstance(selection, tuple) else (selection,)
    if not items or len(items) != len(shape) or not all(_is_integer(i) for i in items):
        return None
    coords, local = [], []
    for axis, (index, dim_len, chunk_len) in enumerate(zip(items, shape, chunk_shape, strict=True)):
        chunk_index, offset = divmod(_normalize_int(index, dim_len, axis), chunk_len)
        coords.append(chunk_index)
        local.append(slice(offset, offset + 1))
    whole = all(n == 1 for n in chunk_shape)
    return ChunkProjection(tuple(coords), tuple(local), (slice(0, 1),) * len(shape), whole, whole)


# Axes along which a selection touches at most this many chunks are listed once up front (the
# fast path); longer ones are walked lazily, so planning never grows with the chunk grid.
_EAGER_PARTS = 1 << 16


class _SliceParts:
    """One axis of a slice selection: its chunk parts, computed as they are walked (re-iterable)."""

    __slots__ = ("chunk_len", "count", "dim_len", "nparts", "start", "step", "stop")

    def __init__(self, start: int, stop: int, step: int, dim_len: int, chunk_len: int) -> None:
        self.start, self.stop, self.step = start, stop, step
        self.dim_len, self.chunk_len = dim_len, chunk_len
        self.count = len(range(start, stop, step))
        if self.count == 0:
            self.nparts = 0
        elif step >= chunk_len:  # every selected element has a chunk of its own
            self.nparts = self.count
        else:  # a gap shorter than a chunk: every chunk from the first to the last holds an element
            last = start + (self.count - 1) * step
            self.nparts = last // chunk_len - start // chunk_len + 1

    def __len__(self) -> int:
        return self.nparts

    def __iter__(self) -> Iterator[_DimPart]:
        if not self.count:
            return iter(())
        if self.step >= self.chunk_len:
            return self._sparse()
        if self.step == 1:
            return _contiguous_parts(self.start, self.stop, self.dim_len, self.chunk_len)
        return self._strided()

    def _sparse(self) -> Iterator[_DimPart]:
        start, step, chunk_len = self.start, self.step, self.chunk_len
        whole = chunk_len == 1
        for k in range(self.count):
            chunk_index, offset = divmod(start + k * step, chunk_len)
            yield _DimPart(chunk_index, slice(offset, offset + 1), slice(k, k + 1), whole, whole)

    def _strided(self) -> Iterator[_DimPart]:
        start, step, chunk_len = self.start, self.step, self.chunk_len
        last = start + (self.count - 1) * step
        for chunk_index in range(start // chunk_len, last // chunk_len + 1):
            chunk_start = chunk_index * chunk_len
            chunk_end = chunk_start + chunk_len
            first = start if start >= chunk_start else start + -(-(chunk_start - start) // step) * step
            end = min(chunk_end, last + 1)
            n = len(range(first, end, step))
            out_start = (first - start) // step
            sel = slice(first - chunk_start, end - chunk_start, step)
            yield _DimPart(chunk_index, sel, slice(out_start, out_start + n), False, False)


def _slice_parts(dim_sel: slice, dim_len: int, chunk_len: int, axis: int) -> tuple[int, _SliceParts]:
    """Project ``dim_sel`` (a slice with a positive step) onto one dimension's chunks, lazily."""
    start, stop, step = dim_sel.indices(dim_len)
    if step < 1:
        raise IndexError(f"only slices with step >= 1 are supported; got {dim_sel!r} on axis {axis}")
    parts = _SliceParts(start, stop, step, dim_len, chunk_len)
    return parts.count, parts


def _contiguous_parts(start: int, stop: int, dim_len: int, chunk_len: int) -> Iterator[_DimPart]:
    """The common step-1 case, kept lean: it runs once per chunk along the axis."""
    for chunk_index in range(start // chunk_len, (stop - 1) // chunk_len + 1):
        chunk_start = chunk_index * chunk_len
        chunk_end = chunk_start + chunk_len
        a = max(start, chunk_start)
        b = min(stop, chunk_end)
        complete = a == chunk_start and (b == chunk_end or b == dim_len)
        yield _DimPart(
            chunk_index,
            slice(a - chunk_start, b - chunk_start),
            slice(a - start, b - start),
            complete,
            complete and b == chunk_end,
        )


def _int_parts(index: int, chunk_len: int) -> list[_DimPart]:
    """An integer keeps a length-1 axis internally, so chunk and output selections stay views."""
    chunk_index, offset = divmod(index, chunk_len)
    return [_DimPart(chunk_index, slice(offset, offset + 1), slice(0, 1), chunk_len == 1, chunk_len == 1)]


def _int_array_parts(indices: np.ndarray, dim_len: int, chunk_len: int, axis: int) -> list[_DimPart]:
    """Group (possibly unsorted, repeated) indices by chunk; output keeps the caller's order."""
    indices = indices.astype(np.intp, copy=False)
    if not indices.size:
        return []
    low, high = int(indices.min()), int(indices.max())
    if low < -dim_len or high >= dim_len:
        bad = low if low < -dim_len else high
        raise BoundsCheckError(f"index {bad} is out of bounds for axis {axis} with size {dim_len}")
    if low < 0:
        indices = np.where(indices < 0, indices + dim_len, indices)
    ascending = indices.size < 2 or bool(np.all(indices[1:] >= indices[:-1]))
    order = None if ascending else np.argsort(indices, kind="stable")
    ordered = indices if order is None else indices[order]
    chunk_ids = ordered // chunk_len
    bounds = np.flatnonzero(np.diff(chunk_ids)) + 1
    starts = [0, *bounds.tolist()]
    ends = [*bounds.tolist(), len(ordered)]
    parts = []
    for a, b in zip(starts, ends, strict=True):
        chunk_index = int(chunk_ids[a])
        local = ordered[a:b] - chunk_index * chunk_len
        extent = min(chunk_len, dim_len - chunk_index * chunk_len)
        complete = b - a == extent and bool(np.all(np.diff(local) == 1))
        out_sel = slice(a, b) if order is None else order[a:b]
        parts.append(_DimPart(chunk_index, local, out_sel, complete, False))
    return parts


def _as_tuple(selection: Any) -> tuple[Any, ...]:
    return selection if isinstance(selection, tuple) else (selection,)


def _ix(selection: tuple[Any, ...]) -> tuple[Any, ...]:
    """Index with several integer arrays orthogonally (``np.ix_``) rather than pointwise."""
    if sum(isinstance(s, np.ndarray) for s in selection) < 2:
        return selection
    return np.ix_(*(np.arange(s.start, s.stop, s.step) if isinstance(s, slice) else s for s in selection))


class Indexer:
    """Projections of one selection onto a chunk grid, computed per dimension and walked lazily."""

    shape: tuple[int, ...]
    out_shape: tuple[int, ...]
    # per axis: a list, or a re-iterable that computes its parts as it is walked (``_SliceParts``)
    _dim_parts: list[Sequence[_DimPart]]

    def __iter__(self) -> Iterator[ChunkProjection]:
        return self._project(self._dim_parts)

    def by_block(
        self, per_block: tuple[int, ...]
    ) -> Iterator[tuple[tuple[int, ...], tuple[slice, ...] | None, Iterator[ChunkProjection]]]:
        """The projections grouped by block of ``per_block`` chunks (a shard of inner chunks).

        Per block: its coordinates; the region of the output it fills when the selection covers
        each of its chunks exactly, its chunks then lying in the output as in the block (else
        None); and its projections, computed only when asked for. Whole blocks are found per
        axis, so a block read whole costs no projection per chunk."""
        axes = []
        for parts, n in zip(self._dim_parts, per_block, strict=True):
            blocks: dict[int, list[_DimPart]] = {}
            for part in parts:
                blocks.setdefault(part.chunk_index // n, []).append(part)
            axes.append([(block, members, _block_span(members, n)) for block, members in blocks.items()])
        for combo in itertools.product(*axes):
            spans = tuple(span for _, _, span in combo)
            box = spans if combo and None not in spans else None
            yield tuple(block for block, _, _ in combo), box, self._project([m for _, m, _ in combo])

    def _project(self, dims: list[Sequence[_DimPart]]) -> Iterator[ChunkProjection]:
        """The projections of the product of ``dims`` (this indexer's axes, or a block of them)."""
        if len(dims) == 1:
            for p in dims[0]:
                yield ChunkProjection(
                    (p.chunk_index,), (p.chunk_selection,), (p.out_selection,), p.complete, p.exact
                )
            return
        fancy = sum(
            bool(isinstance(parts, list) and parts and isinstance(parts[0].chunk_selection, np.ndarray))
            for parts in self._dim_parts
        )
        if not dims:  # a 0-d array: ``a[...]`` is a view, ``a[()]`` a scalar
            yield ChunkProjection((), (Ellipsis,), (Ellipsis,), True, True)
            return
        make = tuple.__new__  # the NamedTuple without its Python-level ``__new__``: once per chunk
        for combo in _product(dims):
            # every part has the 5 fields: no length check needed
            coords, chunk_sel, out_sel, complete, exact = zip(*combo, strict=False)
            if fancy > 1:
                chunk_sel, out_sel = _ix(chunk_sel), _ix(out_sel)
            yield make(
                ChunkProjection, (coords, chunk_sel, out_sel, False not in complete, False not in exact)
            )

    @property
    def nchunks(self) -> int:
        """How many chunks the selection touches."""
        return math.prod(len(parts) for parts in self._dim_parts)


def _block_span(members: list[_DimPart], n: int) -> slice | None:
    """The output slice one axis of a block fills when its ``n`` chunks along the axis are each
    selected exactly, in order (their outputs then follow each other); None otherwise."""
    if len(members) != n or not all(p.exact for p in members):
        return None
    first = members[0].chunk_index
    if any(p.chunk_index != first + k for k, p in enumerate(members)):
        return None
    return slice(members[0].out_selection.start, members[-1].out_selection.stop)


def _product(dims: list[Sequence[_DimPart]]) -> Iterator[tuple[_DimPart, ...]]:
    """``itertools.product`` over the axes, without listing an axis longer than ``_EAGER_PARTS``."""
    if any(len(d) == 0 for d in dims):
        return iter(())
    if all(len(d) <= _EAGER_PARTS for d in dims):
        return itertools.product(*dims)
    return _lazy_product([d if len(d) > _EAGER_PARTS else list(d) for d in dims])


def _lazy_product(dims: list[Sequence[_DimPart]]) -> Iterator[tuple[_DimPart, ...]]:
    if not dims:
        yield ()
        return
    for part in dims[0]:
        for rest in _lazy_product(dims[1:]):
            yield (part, *rest)


class BasicIndexer(Indexer):
    """Integers, slices with positive steps and Ellipsis, like ``Array[...]``."""

    def __init__(self, selection: Any, shape: tuple[int, ...], chunk_shape: tuple[int, ...]) -> None:
        selection = replace_ellipsis(selection, tuple(shape))
        self._dim_parts, out_shape, user_shape = [], [], []
        for axis, (item, dim_len, chunk_len) in enumerate(zip(selection, shape, chunk_shape, strict=True)):
            if _is_integer(item):
                self._dim_parts.append(_int_parts(_normalize_int(item, dim_len, axis), chunk_len))
                out_shape.append(1)
                continue
            if isinstance(item, slice):
                count, parts = _slice_parts(item, dim_len, chunk_len, axis)
            else:
                count, parts = self._array_parts(item, dim_len, chunk_len, axis)
            self._dim_parts.append(parts)
            out_shape.append(count)
            user_shape.append(count)
        self.out_shape = tuple(out_shape)
        self.shape = tuple(user_shape)

    def _array_parts(self, item: Any, dim_len: int, chunk_len: int, axis: int) -> tuple[int, list[_DimPart]]:
        raise IndexError(
            "unsupported selection item for basic indexing; expected integer or slice, "
            f"got {type(item)} ({item!r}) on axis {axis}"
        )


class OrthogonalIndexer(BasicIndexer):
    """Per-axis integers, slices, integer arrays or Boolean arrays, like ``Array.oindex``."""

    def _array_parts(self, item: Any, dim_len: int, chunk_len: int, axis: int) -> tuple[int, list[_DimPart]]:
        indices = _orthogonal_array(item, dim_len, axis)
        return len(indices), _int_array_parts(indices, dim_len, chunk_len, axis)


def _orthogonal_array(item: Any, dim_len: int, axis: int) -> np.ndarray:
    array = np.asarray(item)
    if array.dtype == bool:
        if array.shape != (dim_len,):
            raise IndexError(
                f"Boolean array selection on axis {axis} must have shape ({dim_len},); got {array.shape}"
            )
        return np.flatnonzero(array)
    if array.ndim != 1 or not (array.dtype.kind in "iu" or array.size == 0):
        raise IndexError(
            "unsupported selection item for orthogonal indexing; expected integer, slice, "
            f"or a 1-D integer or Boolean array, got {item!r} on axis {axis}"
        )
    return array


class CoordinateIndexer:
    """Points given as one integer array per axis, broadcast together, like ``Array.vindex``."""

    def __init__(self, selection: Any, shape: tuple[int, ...], chunk_shape: tuple[int, ...]) -> None:
        selection = _as_tuple(selection)
        if len(selection) != len(shape):
            raise IndexError(
                f"coordinate selection needs one integer array per axis ({len(shape)}); got {selection!r}"
            )
        # a plain integer counts as one point, as in zarr-python
        arrays = [np.asarray([item] if _is_integer(item) else item) for item in selection]
        for axis, array in enumerate(arrays):
            if not (array.dtype.kind in "iu" or array.size == 0):
                raise IndexError(
                    "unsupported selection type for coordinate indexing; expected integer arrays, "
                    f"got {selection[axis]!r} on axis {axis}"
                )
        try:
            arrays = np.broadcast_arrays(*arrays)
        except ValueError as error:
            raise IndexError(f"coordinate arrays do not broadcast together: {selection!r}") from error
        self.shape = arrays[0].shape if arrays else ()
        self._setup([a.reshape(-1).astype(np.intp, copy=False) for a in arrays], shape, chunk_shape)

    def _setup(self, coords: list[np.ndarray], shape: tuple[int, ...], chunk_shape: tuple[int, ...]) -> None:
        n = coords[0].size if coords else 1
        self.out_shape = (n,)
        for axis, (c, dim_len) in enumerate(zip(coords, shape, strict=True)):
            if c.size and (c.min() < -dim_len or c.max() >= dim_len):
                bad = int(c.min()) if c.min() < -dim_len else int(c.max())
                raise BoundsCheckError(f"index {bad} is out of bounds for axis {axis} with size {dim_len}")
            if c.size and c.min() < 0:
                coords[axis] = np.where(c < 0, c + dim_len, c)
        grid = tuple(ceildiv(s, c) for s, c in zip(shape, chunk_shape, strict=True))
        chunk_ids = [c // cl for c, cl in zip(coords, chunk_shape, strict=True)]
        linear = np.ravel_multi_index(chunk_ids, grid) if coords else np.zeros(1, np.intp)
        ascending = linear.size < 2 or bool(np.all(linear[1:] >= linear[:-1]))
        self._order = None if ascending else np.argsort(linear, kind="stable")
        ordered = linear if self._order is None else linear[self._order]
        bounds = np.flatnonzero(np.diff(ordered)) + 1
        self._starts = [0, *bounds.tolist()] if n else []
        self._ends = [*bounds.tolist(), n] if n else []
        self._ordered_ids = ordered
        # each point's place inside its chunk, for all points in one pass
        self._local = [c - i * cl for c, i, cl in zip(coords, chunk_ids, chunk_shape, strict=True)]
        if self._order is not None:
            self._local = [local[self._order] for local in self._local]
        self._grid = grid
        self._chunk_shape = chunk_shape

    @property
    def nchunks(self) -> int:
        """How many chunks the selection touches."""
        return len(self._starts)

    @property
    def order(self) -> np.ndarray | None:
        """Where each point, in chunk order, goes in the output (None when the points come in chunk order)."""
        return self._order

    def groups(self) -> Iterator[tuple[tuple[int, ...], int, int]]:
        """Per chunk the points touch: its grid coordinates and the range of its points in chunk order."""
        firsts = np.asarray(self._starts, dtype=np.intp)
        chunk_coords = np.unravel_index(self._ordered_ids[firsts], self._grid) if self._grid else ()
        all_coords = list(zip(*(c.tolist() for c in chunk_coords), strict=True)) if self._grid else [()]
        return zip(all_coords, self._starts, self._ends, strict=True)

    def flat_offsets(self) -> np.ndarray:
        """Each point's offset inside its chunk's C-order flat view, points in chunk order."""
        if not self._local:
            return np.zeros(len(self._ordered_ids), dtype=np.intp)
        return np.ravel_multi_index(self._local, self._chunk_shape)  # type: ignore[no-any-return]

    def projection(
        self, coords: tuple[int, ...], a: int, b: int, *, ordered: bool = False
    ) -> ChunkProjection:
        """The projection of one chunk's points ``a:b`` (in chunk order); ``ordered`` addresses an output
        in chunk order rather than the caller's."""
        chunk_selection = tuple(c[a:b] for c in self._local)
        out_selection = slice(a, b) if ordered or self._order is None else self._order[a:b]
        return ChunkProjection(coords, chunk_selection, out_selection, False, False)

    def __iter__(self) -> Iterator[ChunkProjection]:
        for coords, a, b in self.groups():
            yield self.projection(coords, a, b)


class MaskIndexer(CoordinateIndexer):
    """A Boolean array of the array's shape selects the points where it is True."""

    def __init__(self, selection: Any, shape: tuple[int, ...], chunk_shape: tuple[int, ...]) -> None:
        mask = selection[0] if isinstance(selection, tuple) and len(selection) == 1 else selection
        mask = np.asarray(mask)
        if mask.dtype != bool or mask.shape != tuple(shape):
            raise IndexError(
                f"mask selection must be a Boolean array of shape {tuple(shape)}; "
                f"got dtype {mask.dtype} and shape {mask.shape}"
            )
        coords = [c.astype(np.intp, copy=False) for c in np.nonzero(mask)]
        self.shape = (coords[0].size,) if coords else (int(mask),)
        self._setup(coords, shape, chunk_shape)


class BlockIndexer(BasicIndexer):
    """Whole blocks (stored chunks) by block number: integers or slices with step 1.

    ``block_shape`` is the stored chunk (shard) shape; projections use ``chunk_shape``,
    which differs when a sharded array is read inner chunk by inner chunk.
    """

    def __init__(
        self,
        selection: Any,
        shape: tuple[int, ...],
        chunk_shape: tuple[int, ...],
        block_shape: tuple[int, ...] | None = None,
    ) -> None:
        selection = replace_ellipsis(selection, tuple(shape))
        element_selection = []
        for axis, (item, dim_len, block_len) in enumerate(
            zip(selection, shape, block_shape or chunk_shape, strict=True)
        ):
            nblocks = ceildiv(dim_len, block_len)
            if _is_integer(item):
                block = _normalize_int(item, nblocks, axis)
                element_selection.append(slice(block * block_len, (block + 1) * block_len))
            elif isinstance(item, slice) and item.step in (None, 1):
                first = 0 if item.start is None else int(item.start)
                first = first + nblocks if first < 0 else first
                # a slice starting past the last block is an error, as in zarr-python (an empty axis
                # has no blocks at all, and its one selection, the empty one, is allowed)
                if first < 0 or (dim_len and first * block_len >= dim_len):
                    raise BoundsCheckError(
                        f"block slice {item!r} is out of bounds for axis {axis} with {nblocks} blocks"
                    )
                start, stop, _ = item.indices(nblocks)
                element_selection.append(slice(start * block_len, max(start, stop) * block_len))
            else:
                raise IndexError(
                    "unsupported selection item for block indexing; expected integer or slice with "
                    f"step=1, got {item!r} on axis {axis}"
                )
        super().__init__(tuple(element_selection), shape, chunk_shape)


def _is_int_list(item: Any) -> bool:
    if isinstance(item, list):
        return all(_is_integer(i) for i in item)
    return isinstance(item, np.ndarray) and item.ndim >= 1 and item.dtype.kind in "iu"


def _is_bool_array(item: Any) -> bool:
    if isinstance(item, list):
        return len(item) > 0 and all(isinstance(i, bool | np.bool_) for i in item)
    return isinstance(item, np.ndarray) and item.dtype == bool


def is_pure_fancy_indexing(selection: Any, ndim: int) -> bool:
    """True for a mask, or for integer arrays (with plain integers) on every axis: ``vindex`` semantics."""
    # a one-item tuple means its item, as ``a[(mask,)]`` is ``a[mask]`` in zarr-python
    item = selection[0] if isinstance(selection, tuple) and len(selection) == 1 else selection
    if isinstance(item, np.ndarray) and item.dtype == bool and item.ndim == ndim:
        return True
    if ndim == 1 and (_is_int_list(selection) or _is_bool_array(selection)):
        return True
    return (
        isinstance(selection, tuple)
        and len(selection) == ndim
        and all(_is_integer(s) or _is_int_list(s) for s in selection)
        and any(_is_int_list(s) for s in selection)
    )


def is_pure_orthogonal_indexing(selection: Any, ndim: int) -> bool:
    """True when arrays appear only as whole-axis orthogonal selections: ``oindex`` semantics."""
    if not ndim:
        return False
    items = _as_tuple(selection)
    arrays = sum(_is_int_list(s) or _is_bool_array(s) for s in items)
    if len(items) == ndim and arrays == ndim:
        return True
    return (
        len(items) <= ndim
        and arrays == 1
        and all(_is_int_list(s) or _is_bool_array(s) or _is_integer(s) or isinstance(s, slice) for s in items)
    )


# selection items that are never zarr arrays, recognised without an attribute lookup
_PLAIN_ITEMS = (int, slice, list, np.ndarray, np.integer, type(Ellipsis), type(None))


def _array_like_index(item: Any) -> bool:
    """A selection item that is an array object but not numpy's (a zarr array used as an index)."""
    return not isinstance(item, _PLAIN_ITEMS) and hasattr(item, "shape") and hasattr(item, "dtype")


async def _read_index_array(item: Any) -> np.ndarray:
    """The values of an array used as an index; only integer and Boolean arrays may index."""
    if item.dtype.kind not in "iub":
        raise IndexError(
            f"Invalid array dtype: {item.dtype}. Arrays used as indices must be of integer or boolean type"
        )
    # read through the async array where there is one, so this works on the event loop's own thread
    source = getattr(item, "_async_array", item)
    getitem = getattr(source, "getitem", None)
    if getitem is not None and inspect.iscoroutinefunction(getitem):
        return np.asarray(await getitem(Ellipsis))
    return np.asarray(item)


def has_array_index(selection: Any) -> bool:
    """Whether ``selection`` holds a zarr array (whole, or as an item of a tuple): a cheap test that
    spares the common selections the read :func:`resolve_array_selection` does."""
    for item in selection if isinstance(selection, tuple) else (selection,):
        if not isinstance(item, _PLAIN_ITEMS) and _array_like_index(item):
            return True
    return False


async def resolve_array_selection(selection: Any) -> Any:
    """``selection`` with each zarr array in it (whole, or an item of a tuple) read into numpy.

    zarr-python accepts integer and Boolean zarr arrays wherever numpy arrays may index.
    """
    if not has_array_index(selection):
        return selection
    if not isinstance(selection, tuple):
        return await _read_index_array(selection)
    return tuple([await _read_index_array(i) if _array_like_index(i) else i for i in selection])


class AsyncOIndex:
    """``AsyncArray.oindex``: orthogonal selection whose ``getitem`` is awaited (zarr-python's name)."""

    def __init__(self, array: Any) -> None:
        self.array = array

    async def getitem(self, selection: Any) -> Any:
        """The orthogonal selection's values (of the fields it names, if any)."""
        fields, selection = pop_fields(selection) if has_fields(selection) else (None, selection)
        selection = await resolve_array_selection(selection)
        return await self.array.get_orthogonal_selection(selection, fields=fields)

    async def setitem(self, selection: Any, value: Any) -> None:
        """Write ``value`` to the orthogonal selection (to the field it names, if any)."""
        fields, selection = pop_fields(selection) if has_fields(selection) else (None, selection)
        selection = await resolve_array_selection(selection)
        await self.array.set_orthogonal_selection(selection, value, fields=fields)


class AsyncVIndex:
    """``AsyncArray.vindex``: coordinate arrays, or one boolean mask of the array's shape, awaited."""

    def __init__(self, array: Any) -> None:
        self.array = array

    def _mask(self, selection: Any) -> np.ndarray | None:
        """The selection as one boolean mask of the array's shape, or None for coordinates."""
        item = selection[0] if isinstance(selection, tuple) and len(selection) == 1 else selection
        if isinstance(item, list):  # a nested list of booleans is a mask too, as in zarr-python
            item = np.asarray(item)
        if isinstance(item, np.ndarray) and item.dtype == bool and item.shape == self.array.shape:
            return item
        return None

    async def getitem(self, selection: Any) -> Any:
        """The points' (or the mask's) values, flattened as numpy's fancy indexing gives them."""
        fields, selection = pop_fields(selection) if has_fields(selection) else (None, selection)
        selection = await resolve_array_selection(selection)
        mask = self._mask(selection)
        if mask is not None:
            return await self.array.get_mask_selection(mask, fields=fields)
        return await self.array.get_coordinate_selection(selection, fields=fields)

    async def setitem(self, selection: Any, value: Any) -> None:
        """Write ``value`` to the points (or where the mask is True)."""
        fields, selection = pop_fields(selection) if has_fields(selection) else (None, selection)
        selection = await resolve_array_selection(selection)
        mask = self._mask(selection)
        if mask is not None:
            await self.array.set_mask_selection(mask, value, fields=fields)
        else:
            await self.array.set_coordinate_selection(selection, value, fields=fields)
