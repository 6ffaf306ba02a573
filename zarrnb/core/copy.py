"""Copy a group or array hierarchy between any two stores, chunk by chunk, with progress reports.

Order (the guarantee an interrupted copy keeps): every stored chunk first, then the
metadata documents, deepest node first and the root last. Stores write each key
atomically, so an interrupted copy leaves whole chunks and never metadata that claims
a node whose chunks are not all there: the destination simply does not open yet, and
copying again with ``overwrite=True`` starts clean.

Chunk keys come from each array's metadata (its chunk grid and key encoding), so the
source need not support listing; a chunk missing in the source reads as the fill value
and is skipped. Memory is bounded by the window: at most ``async.concurrency`` chunks, and
no more than ``COPY_WINDOW_BYTES`` of them by their decoded size, are in flight at once.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from zarrnb.config import get as get_setting
from zarrnb.core.array import AsyncArray
from zarrnb.core.buffer import default_buffer_prototype
from zarrnb.core.group import AsyncGroup
from zarrnb.errors import ContainsArrayError, ContainsGroupError
from zarrnb.storage import StorePath

__all__ = ["COPY_WINDOW_BYTES", "CopyProgress", "ProgressCallback", "copy_node", "walk_nodes"]

# chunk bytes in flight at most (by decoded size) unless a concurrency is given: more workers
# than this only hold more buffers, since a copy is bound by the stores, not by parallel calls
COPY_WINDOW_BYTES = 8 << 20


@dataclass
class CopyProgress:
    """Where a copy stands: chunks handled out of the total, and bytes written so far."""

    chunks_done: int = 0
    chunks_total: int = 0
    bytes_done: int = 0
    chunks_missing: int = 0  # chunks absent in the source (fill value), skipped


ProgressCallback = Callable[[CopyProgress], None]


Nodes = list[tuple[str, AsyncArray | AsyncGroup]]


async def walk_nodes(node: AsyncArray | AsyncGroup, path: str = "") -> Nodes:
    """Every node below and including ``node`` as ``(relative path, node)``, parents before children."""
    found: Nodes = [(path, node)]
    if isinstance(node, AsyncGroup):
        members = sorted([item async for item in node.members()], key=lambda item: item[0])
        for name, member in members:
            found += await walk_nodes(member, f"{path}/{name}" if path else name)
    return found


def _grid(array: AsyncArray) -> tuple[int, ...]:
    """How many stored objects (chunks, or shards when sharded) ``array`` has along each dimension."""
    metadata = array.metadata
    return tuple(math.ceil(s / c) for s, c in zip(metadata.shape, metadata.chunk_grid_shape, strict=True))


def _stored_object_bytes(array: AsyncArray) -> int:
    """The decoded size of one stored object (chunk, or shard) of ``array``: the window's unit."""
    metadata = array.metadata
    return math.prod(metadata.chunk_grid_shape) * max(1, np.dtype(array.dtype).itemsize)


def _workers(arrays: Nodes, concurrency: int | None, chunks_total: int) -> int:
    """How many chunks move at once: ``concurrency`` if given, else the window's worth, at least one."""
    if concurrency is None:
        largest = max((_stored_object_bytes(node) for _, node in arrays), default=1)
        concurrency = min(get_setting("async.concurrency"), COPY_WINDOW_BYTES // largest)
    return max(1, min(concurrency, chunks_total))


def _chunk_keys(array: AsyncArray) -> Iterator[str]:
    """The key of every stored object of ``array``, from its metadata's key encoding."""
    for coords in itertools.product(*(range(n) for n in _grid(array))):
        yield array.metadata.chunk_key(coords)


def _metadata_keys(node: AsyncArray | AsyncGroup, is_root: bool) -> tuple[str, ...]:
    """The documents of ``node``: ``zarr.json`` (v3), or ``.zarray``/``.zgroup`` and ``.zattrs`` (v2)."""
    if node.metadata.zarr_format == 3:
        return ("zarr.json",)
    own = ".zarray" if isinstance(node, AsyncArray) else ".zgroup"
    return (own, ".zattrs", ".zmetadata") if is_root and own == ".zgroup" else (own, ".zattrs")


def _at(base: StorePath, path: str, key: str) -> StorePath:
    return base / f"{path}/{key}" if path else base / key


async def _refuse_existing(dest: StorePath) -> None:
    """Raise if ``dest`` already holds a node, naming what and where."""
    document = await (dest / "zarr.json").get()
    if document is not None:
        kind = json.loads(document.to_bytes()).get("node_type")
        error = ContainsArrayError if kind == "array" else ContainsGroupError
        raise error(f"{kind or 'a node'} already exists at {str(dest)!r}; pass overwrite=True to replace it")
    if await (dest / ".zarray").exists():
        raise ContainsArrayError(
            f"an array already exists at {str(dest)!r}; pass overwrite=True to replace it"
        )
    if await (dest / ".zgroup").exists():
        raise ContainsGroupError(
            f"a group already exists at {str(dest)!r}; pass overwrite=True to replace it"
        )


async def copy_node(
    source: AsyncArray | AsyncGroup,
    dest: StorePath,
    *,
    overwrite: bool = False,
    progress: ProgressCallback | None = None,
    concurrency: int | None = None,
    nodes: Nodes | None = None,
) -> CopyProgress:
    """Copy ``source`` (with every member below it) to ``dest``; return the final tally.

    ``progress`` is called once with the total before copying and after every chunk.
    Existing data at ``dest`` is refused unless ``overwrite``, which clears ``dest`` first.
    ``nodes`` is ``walk_nodes(source)`` when the caller has it already (saves listing twice).
    """
    if overwrite:
        await dest.delete_dir()
    else:
        await _refuse_existing(dest)
    nodes = nodes if nodes is not None else await walk_nodes(source)
    arrays = [(path, node) for path, node in nodes if isinstance(node, AsyncArray)]
    state = CopyProgress(chunks_total=sum(math.prod(_grid(node)) for _, node in arrays))
    report = progress or (lambda _: None)
    report(state)
    pending = (
        (node.store_path / key, _at(dest, path, key)) for path, node in arrays for key in _chunk_keys(node)
    )
    prototype = default_buffer_prototype()

    async def worker() -> None:
        for src, dst in pending:
            data = await src.get(prototype)
            if data is None:
                state.chunks_missing += 1
            else:
                await dst.set(data)
                state.bytes_done += len(data)
            state.chunks_done += 1
            report(state)

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(_workers(arrays, concurrency, state.chunks_total)):
                group.create_task(worker())
    except ExceptionGroup as failures:  # the first failure, as itself (the other workers were stopped)
        raise failures.exceptions[0] from None
    for path, node in reversed(nodes):
        for name in _metadata_keys(node, is_root=not path):
            document = await (node.store_path / name).get(prototype)
            if document is not None:
                await _at(dest, path, name).set(document)
    return state
