"""Reading whatever node lives at a path: which metadata documents to ask for, which of them wins,
and their metadata parsed, for one path or many (batched, so a level costs a few round trips).
"""

from __future__ import annotations

from typing import Any

import zarrnb.config as config
from zarrnb.core.buffer import default_buffer_prototype
from zarrnb.core.common import node_kind, parse_v3_once, read_documents
from zarrnb.core.consolidated import V2_CONSOLIDATED_KEY, NodeMetadata
from zarrnb.errors import NodeNotFoundError
from zarrnb.metadata import parse_node_metadata
from zarrnb.storage import StorePath

__all__ = [
    "METADATA_NAMES",
    "V2_KEYS",
    "V3_KEY",
    "missing_group_text",
    "node_keys",
    "read_node_metadata",
    "read_nodes_metadata",
    "select_documents",
    "where",
]

V3_KEY = "zarr.json"
V2_KEYS = (".zarray", ".zgroup", ".zattrs")
NODE_KEYS = {None: (V3_KEY, *V2_KEYS), 3: (V3_KEY,), 2: V2_KEYS}
METADATA_NAMES = frozenset((*NODE_KEYS[None], V2_CONSOLIDATED_KEY))


def where(store_path: StorePath) -> str:
    """How errors name a node's place: its path and its store."""
    return f"path {store_path.path!r} in {store_path.store}"


async def missing_group_text(store_path: StorePath) -> str:
    """Why no group opens at ``store_path``: nothing is there, or keys are there but no Zarr metadata."""
    try:
        async for _ in store_path.store.list_dir(store_path.path):
            return f"no group at {where(store_path)}: no Zarr metadata at this path (zarr.json, .zgroup)"
    except (OSError, NotImplementedError):  # a store that cannot list: say only what is known
        return f"no group at {where(store_path)}"
    return f"no group at {where(store_path)}: the path does not exist"


def node_keys(zarr_format: int | None) -> tuple[str, ...]:
    """The metadata documents a node of ``zarr_format`` (None: either) may have."""
    if zarr_format not in NODE_KEYS:
        raise ValueError(f"zarr_format must be 2, 3 or None, got {zarr_format!r}")
    return NODE_KEYS[zarr_format]


def select_documents(documents: dict[str, bytes | None]) -> tuple[str | None, dict[str, Any]]:
    """(node kind, the documents stored for it); v3 wins over v2 when both exist."""
    found = {name: data for name, data in documents.items() if data is not None}
    if V3_KEY in found:
        found = parse_v3_once({V3_KEY: found[V3_KEY]})
    return node_kind(found), found


async def read_node_metadata(store_path: StorePath, zarr_format: int | None = None) -> NodeMetadata:
    """Metadata of the node at ``store_path`` (a format 3 group's inline consolidated listing in it).

    Nothing there raises NodeNotFoundError naming the path and store.
    """
    kind, documents = select_documents(await read_documents(store_path, node_keys(zarr_format)))
    if kind is None:
        raise NodeNotFoundError(f"no array or group at {where(store_path)}")
    return parse_node_metadata(documents, path=store_path.path)


async def read_nodes_metadata(paths: list[StorePath], zarr_format: int | None) -> list[NodeMetadata | None]:
    """The metadata of the nodes at ``paths`` (None where nothing is), their documents fetched in
    batched windows."""
    if not paths:
        return []
    names = node_keys(zarr_format)
    store = paths[0].store
    requests = [((path / name).path, None) for path in paths for name in names]
    window = config.get("async.concurrency") * len(names)
    found: list[Any] = []
    for start in range(0, len(requests), window):
        found += await store.get_partial_values(default_buffer_prototype(), requests[start : start + window])
    nodes: list[NodeMetadata | None] = []
    for i, path in enumerate(paths):
        buffers = found[i * len(names) : (i + 1) * len(names)]
        documents = {n: None if b is None else b.to_bytes() for n, b in zip(names, buffers, strict=True)}
        kind, documents = select_documents(documents)
        nodes.append(None if kind is None else parse_node_metadata(documents, path=path.path))
    return nodes
