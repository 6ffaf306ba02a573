"""Planning and writing a whole hierarchy at once, from ``{path: metadata}``.

``create_hierarchy`` (zarr-python's name) takes a dict of group and array metadata, completes it
with the parent groups it implies, checks it against what the store already holds, and writes
every metadata document concurrently (bounded by ``async.concurrency``). This module holds the
steps that need no node objects; ``zarrnb.core.group`` turns the written paths into nodes.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any

import zarrnb.config as config
from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.core.common import node_kind, read_documents
from zarrnb.errors import ContainsArrayError, ContainsGroupError, MetadataValidationError
from zarrnb.metadata import ArrayMetadata, GroupMetadata
from zarrnb.metadata.group import parse_v3_group_metadata
from zarrnb.metadata.v3 import ArrayV3Metadata, parse_v3_array_metadata
from zarrnb.storage import StorePath
from zarrnb.storage._utils import _join_paths, _normalize_path_keys

__all__ = [
    "ImplicitGroupMarker",
    "build_metadata_v3",
    "hierarchy_roots",
    "move_keys",
    "parse_hierarchy",
    "plan_hierarchy",
    "write_nodes",
]

NodeMetadata = ArrayMetadata | GroupMetadata
# the documents that tell whether a node of a format lives at a path
_KIND_DOCUMENTS = {2: (".zarray", ".zgroup"), 3: ("zarr.json",)}


@dataclasses.dataclass(frozen=True)
class ImplicitGroupMarker(GroupMetadata):
    """A group the hierarchy implies (a parent of a listed node): written only where none exists."""


def _ensure_one_format(data: Mapping[str, NodeMetadata]) -> None:
    """Refuse a hierarchy mixing format 2 and format 3 nodes, naming the keys of each."""
    by_format: dict[int, list[str]] = {2: [], 3: []}
    for key, metadata in data.items():
        by_format.setdefault(metadata.zarr_format, []).append(key)
    if by_format[2] and by_format[3]:
        raise ValueError(
            "Got data with both Zarr v2 and Zarr v3 nodes, which is invalid. "
            f"The following keys map to Zarr v2 nodes: {by_format[2]}. "
            f"The following keys map to Zarr v3 nodes: {by_format[3]}."
            "Ensure that all nodes have the same Zarr format."
        )


def parse_hierarchy(data: Mapping[str, NodeMetadata]) -> dict[str, NodeMetadata]:
    """``data`` completed into a whole hierarchy: every missing ancestor (the root included) becomes
    an :class:`ImplicitGroupMarker`. Mixed formats, and nodes below an array, are ValueErrors."""
    _ensure_one_format(data)
    nodes = _normalize_path_keys(data)
    if not nodes:
        return {}
    zarr_format = next(iter(nodes.values())).zarr_format
    out: dict[str, NodeMetadata] = dict(nodes)
    out.setdefault("", ImplicitGroupMarker(zarr_format=zarr_format))
    for path in nodes:
        parts = path.split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            found = out.setdefault(parent, ImplicitGroupMarker(zarr_format=zarr_format))
            if not isinstance(found, GroupMetadata):
                raise ValueError(
                    f"The node at {parent} contains other nodes, but it is not a Zarr group. "
                    "This is invalid. Only Zarr groups can contain other nodes."
                )
    return out


def hierarchy_roots(paths: Iterable[str]) -> tuple[str, ...]:
    """The paths with the fewest segments: the root(s) of the hierarchy they describe."""
    paths = list(paths)
    if "" in paths:
        return ("",)
    if not paths:
        return ()
    fewest = min(path.count("/") for path in paths)
    return tuple(path for path in paths if path.count("/") == fewest)


def build_metadata_v3(document: dict[str, Any]) -> ArrayV3Metadata | GroupMetadata:
    """Array or group metadata from a parsed ``zarr.json`` document, chosen by its ``node_type``."""
    if "node_type" not in document:
        raise MetadataValidationError(
            "Required key 'node_type' is missing from the provided metadata document."
        )
    if document["node_type"] == "array":
        return parse_v3_array_metadata(document, key="zarr.json")
    if document["node_type"] == "group":
        return parse_v3_group_metadata(document, key="zarr.json")
    raise MetadataValidationError(
        f"invalid value for 'node_type' in the metadata document: {document['node_type']!r}"
    )


async def _node_kinds(store: Any, paths: list[str], zarr_format: int) -> list[str | None]:
    """'array', 'group' or None at each path (only ``zarr_format``'s documents are read)."""
    semaphore = asyncio.Semaphore(config.get("async.concurrency"))

    async def kind(path: str) -> str | None:
        async with semaphore:
            return node_kind(await read_documents(StorePath(store, path), _KIND_DOCUMENTS[zarr_format]))

    return list(await asyncio.gather(*(kind(path) for path in paths)))


async def plan_hierarchy(
    store: Any, nodes: Mapping[str, NodeMetadata], *, overwrite: bool = False
) -> dict[str, NodeMetadata]:
    """The nodes to write for ``nodes``: implied groups added where no group exists yet.

    Without ``overwrite`` an existing node at a listed path is ContainsArrayError or
    ContainsGroupError; with it, every listed path is cleared first. An implied group never
    replaces an existing one.
    """
    parsed = parse_hierarchy(nodes)
    if not parsed:
        return {}
    zarr_format = next(iter(parsed.values())).zarr_format
    paths = list(parsed)
    kinds = dict(zip(paths, await _node_kinds(store, paths, zarr_format), strict=True))
    if overwrite:
        listed = [path for path, meta in parsed.items() if not isinstance(meta, ImplicitGroupMarker)]
        await asyncio.gather(*(store.delete_dir(path) for path in listed))
        # what lay below a cleared path is gone: an implied group there must be written again
        for path in paths:
            if any(_is_within(path, cleared) for cleared in listed):
                kinds[path] = None
    else:
        for path, metadata in parsed.items():
            if kinds[path] == "array":
                raise ContainsArrayError(f"An array exists in store {store!r} at path {path!r}.")
            if kinds[path] == "group" and not isinstance(metadata, ImplicitGroupMarker):
                raise ContainsGroupError(f"A group exists in store {store!r} at path {path!r}.")
    return {
        path: GroupMetadata(zarr_format=meta.zarr_format) if isinstance(meta, ImplicitGroupMarker) else meta
        for path, meta in parsed.items()
        if not (isinstance(meta, ImplicitGroupMarker) and kinds[path] == "group")
    }


def _is_within(path: str, ancestor: str) -> bool:
    """Whether ``path`` is ``ancestor`` or lies below it ('' is the root, above everything)."""
    return ancestor == "" or path == ancestor or path.startswith(ancestor + "/")


async def write_nodes(store: Any, nodes: Mapping[str, NodeMetadata]) -> AsyncIterator[str]:
    """Write every node's metadata documents concurrently; yield each path once all its documents
    are stored (in completion order). At most ``async.concurrency`` writes are in flight."""
    semaphore = asyncio.Semaphore(config.get("async.concurrency"))

    async def put(key: str, data: bytes) -> None:
        async with semaphore:
            await store.set(key, Buffer.from_bytes(data))

    async def write(path: str, metadata: NodeMetadata) -> str:
        documents = metadata.to_documents()
        await asyncio.gather(*(put(_join_paths([path, name]), data) for name, data in documents.items()))
        return path

    for done in asyncio.as_completed([write(path, metadata) for path, metadata in nodes.items()]):
        yield await done


async def move_keys(store: Any, source: str, dest: str) -> None:
    """Move every key below the node path ``source`` to the same place below ``dest`` (copy, then
    delete), bounded by ``async.concurrency``; the caller checks that ``dest`` is free."""
    if _is_within(dest, source):
        raise ValueError(f"cannot move {source!r} into itself ({dest!r})")
    keys = [key async for key in store.list_prefix(source + "/")]
    semaphore = asyncio.Semaphore(config.get("async.concurrency"))

    async def copy(key: str) -> None:
        async with semaphore:
            value = await store.get(key, prototype=default_buffer_prototype())
            if value is not None:
                await store.set(dest + key[len(source) :], value)

    await asyncio.gather(*(copy(key) for key in keys))
    await store.delete_dir(source)
