"""What the renderers show, collected from metadata (and the ends of small coordinates).

``summarize_array`` needs no I/O; ``summarize_group`` lists a hierarchy breadth-first
and stops at the configured bounds, so a huge group costs a bounded number of reads.
Chunk data is read only for the first and last values of small 1-D coordinates.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

import zarrnb.config as config
from zarrnb.core.group import AsyncGroup
from zarrnb.errors import ZarrnbError

if TYPE_CHECKING:
    from zarrnb.core.array import AsyncArray

__all__ = [
    "ArraySummary",
    "GroupSummary",
    "NodeSummary",
    "UnreadableSummary",
    "name_order",
    "summarize_array",
    "summarize_group",
    "values_preview",
]

# names a group's directory holds beside its members
_METADATA_DOCUMENTS = frozenset({"zarr.json", ".zgroup", ".zattrs", ".zarray", ".zmetadata"})
# what a broken member or an unlistable store raises; shown in the repr instead of failing it
_READ_ERRORS = (ZarrnbError, OSError, ValueError, NotImplementedError)
# one group's listing: (name, node) pairs shown, how many were left out, why listing failed
_RawListing = tuple[list[tuple[str, Any]], int, str | None]


@dataclass(frozen=True)
class _Node:
    name: str

    @property
    def basename(self) -> str:
        """The last component of :attr:`name` (empty at the root)."""
        return self.name.rstrip("/").rpartition("/")[2]


@dataclass(frozen=True)
class ArraySummary(_Node):
    """An array as its HTML repr shows it."""

    store_url: str
    zarr_format: int
    shape: tuple[int, ...]
    dtype: str
    chunks: tuple[int, ...]
    shards: tuple[int, ...] | None = None
    fill_value: str = "0"
    order: str = "C"
    dimension_names: tuple[str | None, ...] | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    filters: tuple[str, ...] = ()
    serializer: str | None = None
    compressors: tuple[str, ...] = ()
    itemsize: int = 0
    read_only: bool = False
    preview: str | None = None  # first and last values, read only for small coordinate arrays

    @property
    def is_coordinate(self) -> bool:
        """A 1-D array named after its dimension, as xarray finds coordinates."""
        names = self.dimension_names
        return len(self.shape) == 1 and names is not None and names[0] == self.basename


@dataclass(frozen=True)
class GroupSummary(_Node):
    """A group and the bounded part of its hierarchy that was listed.

    ``members`` is ``None`` when the depth or node budget stopped the listing above
    this group, or when listing failed (``error`` then says why); ``more`` counts
    members that exist but were not listed.
    """

    store_url: str
    zarr_format: int
    attributes: dict[str, Any] = field(default_factory=dict)
    read_only: bool = False
    members: tuple[NodeSummary, ...] | None = ()
    more: int = 0
    consolidated: bool = False
    error: str | None = None


@dataclass(frozen=True)
class UnreadableSummary(_Node):
    """A member whose metadata could not be read: the repr shows the error in its place."""

    error: str


NodeSummary = ArraySummary | GroupSummary | UnreadableSummary


def summarize_array(array: AsyncArray, preview: str | None = None) -> ArraySummary:
    """Summarize ``array`` from its metadata and store path alone (``preview`` read by the caller)."""
    meta = array.metadata
    return ArraySummary(
        preview=preview,
        name=array.name,
        store_url=str(array.store_path),
        zarr_format=meta.zarr_format,
        shape=tuple(meta.shape),
        dtype=str(meta.dtype),
        chunks=tuple(meta.chunks),
        shards=None if meta.shards is None else tuple(meta.shards),
        fill_value=_scalar_text(meta.fill_value),
        order=meta.order,
        dimension_names=meta.dimension_labels,
        attributes=dict(meta.attributes),
        filters=tuple(repr(c) for c in meta.filters or ()),
        serializer=None if meta.serializer is None else repr(meta.serializer),
        compressors=tuple(repr(c) for c in meta.compressors or ()),
        itemsize=meta.dtype.itemsize,
        read_only=array.read_only,
    )


def _scalar_text(value: Any) -> str:
    """Fill values as a reader would type them: ``nan``, ``NaT``, ``0``, ``'abc'``, ``b'\\x00'``."""
    if isinstance(value, str | bytes):  # np.str_ and np.bytes_ included
        return repr(value.item() if hasattr(value, "item") else value)
    return str(value)


PREVIEW_VALUES = 3  # values shown from each end of a coordinate
PREVIEW_MAX_BYTES = 1 << 20  # coordinates larger than this are not read for a preview


def _value_text(value: Any) -> str:
    """One value as a reader would write it: ``-87.5``, ``1e+20``, ``'Lima'``, ``True``."""
    if isinstance(value, np.floating):
        magnitude = abs(float(value))
        if magnitude and not 1e-4 <= magnitude < 1e7:
            return np.format_float_scientific(value, trim="-", exp_digits=1)
        return np.format_float_positional(value, trim="0")
    if isinstance(value, bytes | str):
        return repr(value.item() if hasattr(value, "item") else value)
    return str(value.item() if hasattr(value, "item") else value)


def _previewable(array: AsyncArray) -> bool:
    """A small 1-D coordinate (named after its dimension): cheap to read from both ends."""
    meta = array.metadata
    names = meta.dimension_labels
    return (
        len(meta.shape) == 1
        and names is not None
        and names[0] == array.name.rpartition("/")[2]
        and meta.shape[0] * max(meta.dtype.itemsize, 1) <= PREVIEW_MAX_BYTES
    )


async def values_preview(array: AsyncArray) -> str | None:
    """``first first first ... last last last`` of a 1-D array, or None when it cannot be read."""
    length = array.metadata.shape[0]
    try:
        if length <= 2 * PREVIEW_VALUES:
            values = list(np.asarray(await array.getitem(slice(None))))
            return " ".join(map(_value_text, values))
        head, tail = await asyncio.gather(
            array.getitem(slice(0, PREVIEW_VALUES)), array.getitem(slice(length - PREVIEW_VALUES, length))
        )
    except _READ_ERRORS:
        return None
    shown = [*map(_value_text, np.asarray(head)), "...", *map(_value_text, np.asarray(tail))]
    return " ".join(shown)


def _group_shell(
    group: AsyncGroup, members: tuple[NodeSummary, ...] | None, more: int = 0, error: str | None = None
) -> GroupSummary:
    return GroupSummary(
        name=group.name,
        store_url=str(group.store_path),
        zarr_format=group.metadata.zarr_format,
        attributes=dict(group.metadata.attributes),
        read_only=group.read_only,
        members=members,
        more=more,
        consolidated=group.consolidated_metadata is not None,
        error=error,
    )


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


_DIGIT_RUNS = re.compile(r"(\d+)")


def name_order(name: str) -> list[Any]:
    """Natural order, so ``t2`` comes before ``t10``."""
    return [int(part) if part.isdigit() else part for part in _DIGIT_RUNS.split(name)]


async def _candidates(group: AsyncGroup) -> list[tuple[str, Any]]:
    """``(name, node or None)`` for each direct member of ``group``, in name order.

    With consolidated metadata the nodes are in memory already; otherwise one directory
    listing gives the names, and a node is opened later only if it is shown.
    """
    if group.consolidated_metadata is not None:
        found = [item async for item in group.members()]
    else:
        listing = group.store_path.store.list_dir(group.store_path.path)
        found = [(name, None) async for name in listing if name not in _METADATA_DOCUMENTS]
    return sorted(found, key=lambda item: name_order(item[0]))


async def _candidates_or_error(group: AsyncGroup) -> tuple[list[tuple[str, Any]], str | None]:
    try:
        return await _candidates(group), None
    except _READ_ERRORS as error:
        return [], f"members could not be listed: {_error_text(error)}"


async def _resolve(group: AsyncGroup, name: str, node: Any, limit: asyncio.Semaphore) -> Any:
    """The member ``name`` (reading its metadata if not known), ``None`` for an entry without any,
    or an :class:`UnreadableSummary` when its metadata is broken."""
    if node is not None:
        return node
    async with limit:
        try:
            return await group.getitem(name)
        except KeyError:
            return None
        except _READ_ERRORS as error:
            return UnreadableSummary(name=f"{group.name.rstrip('/')}/{name}", error=_error_text(error))


async def _list_level(
    level: list[AsyncGroup], max_members: int, budget: int, limit: asyncio.Semaphore
) -> tuple[list[_RawListing], int]:
    """List every group of one level, in order, and say how much of the node budget is left.

    The budget is shared out in display order before any member's metadata is read,
    so the reads never exceed it.
    """
    chosen = []
    for candidates, error in await asyncio.gather(*map(_candidates_or_error, level)):
        taken = candidates[: min(max_members, budget)]
        budget -= len(taken)
        chosen.append((taken, len(candidates) - len(taken), error))
    pending = [
        _resolve(g, name, node, limit)
        for g, (taken, _, _) in zip(level, chosen, strict=True)
        for name, node in taken
    ]
    nodes = iter(await asyncio.gather(*pending))
    listings = []
    for taken, more, error in chosen:
        opened = [(name, next(nodes)) for name, _ in taken]
        listings.append(([(name, node) for name, node in opened if node is not None], more, error))
    return listings, budget


async def summarize_group(
    group: AsyncGroup,
    *,
    max_depth: int | None = None,
    max_members: int | None = None,
    max_nodes: int | None = None,
) -> GroupSummary:
    """List ``group`` breadth-first: ``max_members`` per group, ``max_depth`` levels, ``max_nodes`` in all.

    Members are taken in name order. Defaults come from ``zarrnb.config``
    ('display.max_depth', 'display.max_members'); ``max_nodes`` defaults to ten levels'
    worth of members, which keeps a wide *and* deep hierarchy to a few hundred KB of
    HTML. Metadata is read only for the members shown, and data only for the ends of small
    1-D coordinates among them (arrays named after their dimension, at most 1 MiB).
    """
    max_depth = config.get("display.max_depth") if max_depth is None else max_depth
    max_members = config.get("display.max_members") if max_members is None else max_members
    max_nodes = 10 * max_members if max_nodes is None else max_nodes
    if min(max_depth, max_members, max_nodes) < 0:
        raise ValueError(
            f"display bounds must not be negative: max_depth={max_depth}, "
            f"max_members={max_members}, max_nodes={max_nodes}"
        )
    budget = max_nodes
    limit = asyncio.Semaphore(config.get("async.concurrency"))
    listings: dict[int, _RawListing] = {}  # by id() of each group listed
    level = [group]
    for _ in range(max_depth):
        if not level or budget <= 0:
            break
        listed, budget = await _list_level(level, max_members, budget, limit)
        for g, listing in zip(level, listed, strict=True):
            listings[id(g)] = listing
        level = [node for found, _, _ in listed for _, node in found if isinstance(node, AsyncGroup)]
    coordinates = [
        node
        for found, _, _ in listings.values()
        for _, node in found
        if not isinstance(node, AsyncGroup | UnreadableSummary) and _previewable(node)
    ]
    texts = await asyncio.gather(*map(values_preview, coordinates))
    previews = {id(node): text for node, text in zip(coordinates, texts, strict=True)}
    return _assemble(group, listings, previews)


_Previews = dict[int, str | None]  # by id() of each coordinate array read


def _assemble(group: AsyncGroup, listings: dict[int, _RawListing], previews: _Previews) -> GroupSummary:
    if id(group) not in listings:
        return _group_shell(group, None)
    found, more, error = listings[id(group)]
    members = tuple(_summarize_node(node, listings, previews) for _, node in found)
    return _group_shell(group, None if error else members, more, error)


def _summarize_node(node: Any, listings: dict[int, _RawListing], previews: _Previews) -> NodeSummary:
    if isinstance(node, AsyncGroup):
        return _assemble(node, listings, previews)
    if isinstance(node, UnreadableSummary):
        return node
    return summarize_array(node, previews.get(id(node)))
