"""``AsyncGroup``: a node of the hierarchy that holds arrays and other groups.

Also the node-level helpers the top-level API shares: reading whatever node lives at a path
(batched for many paths), creating an array from data.
"""

from __future__ import annotations

import asyncio
import json
import warnings
from collections.abc import AsyncIterator, Iterator
from typing import Any

import numpy as np

import zarrnb.config as config
from zarrnb.abc.store import Store
from zarrnb.core.array import AsyncArray
from zarrnb.core.array_create import create_array_at
from zarrnb.core.buffer import Buffer
from zarrnb.core.common import (
    ArrayConfig,
    NodeLocation,
    ensure_no_existing_node,
    ensure_writable,
    read_documents,
    save_metadata,
)
from zarrnb.core.consolidated import (
    V2_CONSOLIDATED_KEY,
    ConsolidatedMetadata,
    NodeMetadata,
    consolidated_documents,
    parse_v2_consolidated,
)
from zarrnb.core.group_like import LIKE_METHODS
from zarrnb.core.hierarchy import hierarchy_roots, move_keys, plan_hierarchy, write_nodes
from zarrnb.core.info import GroupInfo
from zarrnb.core.node_read import (
    METADATA_NAMES,
    V3_KEY,
    missing_group_text,
    node_keys,
    read_node_metadata,
    read_nodes_metadata,
    select_documents,
    where,
)
from zarrnb.core.tree import GroupTree, render_tree
from zarrnb.dtype.fill_value import DEFAULT_FILL_VALUE
from zarrnb.errors import (
    ContainsArrayError,
    GroupNotFoundError,
    MetadataValidationError,
    NodeNotFoundError,
    ZarrDeprecationWarning,
    ZarrUserWarning,
)
from zarrnb.metadata import ArrayMetadata, GroupMetadata, parse_node_metadata
from zarrnb.metadata.fastjson import gc_paused
from zarrnb.storage import StoreLike, StorePath, make_store_path
from zarrnb.storage._utils import _join_paths, normalize_path

__all__ = [
    "AsyncGroup",
    "GroupTree",
    "create_array_at",
    "create_hierarchy",
    "create_nodes",
    "create_rooted_hierarchy",
    "get_node",
    "open_node",
    "read_node_metadata",
]

_GC_PAUSE_NODES = 1000  # consolidated levels this long are built with the collector paused


def _node(metadata: NodeMetadata, store_path: StorePath, array_config: ArrayConfig | None = None) -> Any:
    if isinstance(metadata, ArrayMetadata):
        return AsyncArray(metadata, store_path, array_config)
    return AsyncGroup(metadata, store_path)


async def open_node(store_path: StorePath, zarr_format: int | None = None) -> AsyncNode:
    """The array or group at ``store_path`` (a format 3 group with its inline consolidated listing)."""
    return _node(await read_node_metadata(store_path, zarr_format), store_path)


class AsyncGroup(NodeLocation):
    """A group: its metadata and where it lives.

    As in zarr-python, a consolidated listing read with the group lives in
    ``metadata.consolidated_metadata`` (format 2 too), each child group's metadata carrying its own.
    """

    def __init__(self, metadata: GroupMetadata, store_path: StorePath) -> None:
        self.metadata = metadata
        self.store_path = store_path

    @property
    def consolidated_metadata(self) -> ConsolidatedMetadata | None:
        """The group's consolidated listing (``metadata.consolidated_metadata``), or None."""
        return self.metadata.consolidated_metadata

    def _set_listing(self, listing: ConsolidatedMetadata | None) -> None:
        """Keep the in-memory listing in step with a change to the members."""
        self.metadata = self.metadata.with_consolidated_metadata(listing)

    # -- creating and opening -------------------------------------------------

    @classmethod
    async def create(
        cls,
        store_path: StorePath,
        *,
        zarr_format: int | None = None,
        attributes: dict[str, Any] | None = None,
        overwrite: bool = False,
    ) -> AsyncGroup:
        """Write a new group at ``store_path``; an existing node there is an error unless ``overwrite``."""
        ensure_writable(store_path, "group")
        zarr_format = zarr_format or config.get("default_zarr_format")
        metadata = GroupMetadata(zarr_format=zarr_format, attributes=_checked_attributes(attributes or {}))
        if overwrite:
            await store_path.delete_dir()
        else:
            await ensure_no_existing_node(store_path, zarr_format)
        await save_metadata(store_path, metadata, ensure_parents=True)
        return cls(metadata, store_path)

    @classmethod
    async def from_store(
        cls,
        store: StoreLike,
        *,
        attributes: dict[str, Any] | None = None,
        overwrite: bool = False,
        zarr_format: int | None = None,
    ) -> AsyncGroup:
        """Create a group at ``store`` (a store, store path, URL or local path), as zarr-python's does."""
        store_path = await make_store_path(store)
        return await cls.create(
            store_path, zarr_format=zarr_format, attributes=attributes, overwrite=overwrite
        )

    @classmethod
    def from_dict(cls, store_path: StorePath, data: dict[str, Any]) -> AsyncGroup:
        """The group at ``store_path`` described by ``data``: a v3 ``zarr.json`` document, or a v2
        one (``{"zarr_format": 2, "attributes": ...}``); nothing is read or written."""
        if not isinstance(data, dict):
            raise TypeError(f"group metadata must be a dict, got {type(data).__name__}")
        if data.get("zarr_format") == 2:
            attributes = _checked_attributes(dict(data.get("attributes") or {}))
            metadata = GroupMetadata(zarr_format=2, attributes=attributes)
        else:
            metadata = parse_node_metadata({V3_KEY: data}, path=store_path.path)
            if not isinstance(metadata, GroupMetadata):
                raise ContainsArrayError(f"the metadata is an array's, not a group's: {where(store_path)}")
        return cls(metadata, store_path)

    @classmethod
    async def open(
        cls,
        store: StoreLike,
        zarr_format: int | None = None,
        use_consolidated: bool | str | None = None,
    ) -> AsyncGroup:
        """Open the group at ``store`` (a store path, store, URL or local path), detecting its format.

        ``use_consolidated``: None uses consolidated metadata when present, True requires it,
        False ignores it; a string names the format 2 consolidated key (default ``.zmetadata``).
        """
        store_path = store if isinstance(store, StorePath) else await make_store_path(store)
        if not store_path.store.supports_consolidated_metadata:
            if use_consolidated:
                name = type(store_path.store).__name__
                raise ValueError(f"The Zarr store in use ({name}) doesn't support consolidated metadata.")
            use_consolidated = False
        v2_key = use_consolidated if isinstance(use_consolidated, str) else V2_CONSOLIDATED_KEY
        names = node_keys(zarr_format)
        extra = (v2_key,) if use_consolidated is not False and zarr_format != 3 else ()
        fetched = await read_documents(store_path, names + extra)
        kind, documents = select_documents({name: fetched[name] for name in names})
        if kind is None:
            raise GroupNotFoundError(await missing_group_text(store_path))
        if kind == "array":
            raise ContainsArrayError(f"an array, not a group, exists at {where(store_path)}")
        metadata = parse_node_metadata(documents, path=store_path.path)
        if use_consolidated is False:
            if metadata.consolidated_metadata is not None:  # a format 3 group's inline listing
                metadata = metadata.with_consolidated_metadata(None)
        elif extra and fetched[v2_key] is not None and V3_KEY not in documents:
            listing = parse_v2_consolidated(fetched[v2_key], path=store_path.path)
            metadata = metadata.with_consolidated_metadata(listing)
        if use_consolidated is True and metadata.consolidated_metadata is None:
            raise MetadataValidationError(
                "Consolidated metadata requested with 'use_consolidated=True' but not found "
                f"in the group at {where(store_path)}"
            )
        return cls(metadata, store_path)

    @classmethod
    def _from_bytes_v2(
        cls,
        store_path: StorePath,
        zgroup_bytes: Buffer,
        zattrs_bytes: Buffer | None,
        consolidated_metadata_bytes: Buffer | None,
    ) -> AsyncGroup:
        """zarr-python's builder of a format 2 group from its stored ``.zgroup``, ``.zattrs`` and
        ``.zmetadata`` buffers (None when absent); nothing is read or written."""
        raw = {
            ".zgroup": zgroup_bytes,
            ".zattrs": zattrs_bytes,
            V2_CONSOLIDATED_KEY: consolidated_metadata_bytes,
        }
        documents = {name: None if data is None else data.to_bytes() for name, data in raw.items()}
        metadata = parse_node_metadata(documents, path=store_path.path)
        if documents[V2_CONSOLIDATED_KEY] is not None:
            listing = parse_v2_consolidated(documents[V2_CONSOLIDATED_KEY], path=store_path.path)
            metadata = metadata.with_consolidated_metadata(listing)
        return cls(metadata, store_path)

    # -- properties -----------------------------------------------------------

    def __repr__(self) -> str:
        return f"<AsyncGroup {self.store_path}>"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, AsyncGroup)
            and self.store_path == other.store_path
            and self.metadata == other.metadata
        )

    __hash__ = None  # type: ignore[assignment]

    # -- members --------------------------------------------------------------

    def _child_path(self, name: str) -> StorePath:
        """``self.store_path / name``, normalised once (a listing makes thousands)."""
        where = self.store_path
        return type(where)(where.store, f"{where.path}/{name}" if where.path else name)

    def _getitem_consolidated(self, store_path: StorePath, key: str, prefix: str) -> AsyncNode:
        """The member ``key`` below ``store_path`` found in the consolidated listing alone (no I/O).

        The listing is trusted: a name it lacks, a path through an array, or a group without a
        listing of its own on the way is a KeyError. ``prefix`` (zarr-python's) is not needed.
        """
        names = normalize_path(key).split("/")
        metadata: NodeMetadata = self.metadata
        for name in names:
            listing = getattr(metadata, "consolidated_metadata", None)
            if listing is None:  # an array, or a group consolidated without its children
                raise KeyError(key)
            if name not in listing.metadata:
                raise KeyError(f"'{key}' not found in consolidated metadata.")
            metadata = listing.metadata[name]
        return _node(metadata, store_path / "/".join(names))

    async def getitem(self, key: str) -> AsyncNode:
        """The member at ``key`` (nested paths such as ``'a/b/c'`` allowed); KeyError when missing."""
        name = key.strip("/")
        if not name:
            raise KeyError(key)
        if self.consolidated_metadata is not None:
            return self._getitem_consolidated(self.store_path, name, prefix=self.name)
        try:
            metadata = await read_node_metadata(self._child_path(name), self.zarr_format)
        except NodeNotFoundError:
            raise KeyError(key) from None
        return _node(metadata, self._child_path(name))

    async def contains(self, member: str) -> bool:
        """Whether an array or group lives at the (possibly nested) path ``member``."""
        try:
            await self.getitem(member)
        except KeyError:
            return False
        return True

    async def get(self, key: str, default: Any = None) -> Any:
        """The member at ``key``, or ``default`` when there is none."""
        try:
            return await self.getitem(key)
        except KeyError:
            return default

    async def setitem(self, key: str, value: Any) -> None:
        """Store ``value`` (array-like) as a new array ``key``, replacing what was there."""
        await self.create_array(key, data=value, overwrite=True)

    @property
    def synchronizer(self) -> None:
        """Always None: zarr-python 2's synchronizers do not exist in zarr-python 3 either."""
        return None

    async def _child_names(self) -> list[str]:
        prefix = self.path + "/" if self.path else ""
        names = []
        async for entry in self.store.list_dir(prefix):
            name = entry[len(prefix) :] if prefix and entry.startswith(prefix) else entry
            if name not in METADATA_NAMES:
                names.append(name)
        return names

    async def _children(self) -> list[tuple[str, AsyncNode]]:
        """Direct members, their metadata read concurrently; keys without metadata are skipped.

        A group found in the store with a listing of its own (a subgroup consolidated apart) has
        its names listed from the store and its members described by the listing, as in
        zarr-python: a name the listing lacks is warned about and skipped.
        """
        names = await self._child_names()
        if self.consolidated_metadata is not None:
            found = []
            for name in names:
                try:
                    found.append((name, self._getitem_consolidated(self.store_path, name, "")))
                except KeyError as err:
                    warnings.warn(
                        f"Object at {err.args[0]} is not recognized as a component of a Zarr hierarchy.",
                        ZarrUserWarning,
                        stacklevel=1,
                    )
            return found
        paths = [self._child_path(name) for name in names]
        metadata = await read_nodes_metadata(paths, self.zarr_format)
        nodes = [None if m is None else _node(m, path) for m, path in zip(metadata, paths, strict=True)]
        for name, node in zip(names, nodes, strict=True):
            if node is None:  # a key or folder with no metadata of this group's format: not a member
                warnings.warn(
                    f"Object at {name} is not recognized as a component of a Zarr hierarchy.",
                    ZarrUserWarning,
                    stacklevel=1,
                )
        return [(name, node) for name, node in zip(names, nodes, strict=True) if node is not None]

    async def members(
        self, max_depth: int | None = 0, *, use_consolidated_for_children: bool = True
    ) -> AsyncIterator[tuple[str, AsyncNode]]:
        """``(path, node)`` for each member, parents before children; ``max_depth=None`` walks it all.

        All are found (``_member_list``) before the first is given."""
        options = {"use_consolidated_for_children": use_consolidated_for_children}
        for item in await self._member_list(max_depth, **options):
            yield item

    async def _member_list(
        self, max_depth: int | None = 0, *, use_consolidated_for_children: bool = True
    ) -> list[tuple[str, AsyncNode]]:
        """``members`` as one list (a blocking listing takes it whole: no step per member).

        Deeper levels are read a level at a time, every group of a level at once, so a remote
        hierarchy costs a few round trips per level rather than a few per group. With
        ``use_consolidated_for_children=False`` subgroups are listed from the store, not from
        consolidated metadata (as when re-consolidating).
        """
        if max_depth is not None and max_depth < 0:
            raise ValueError(f"max_depth must be None or >= 0, got {max_depth}")
        if self.consolidated_metadata is not None:  # trusted as it is: no I/O
            return self._members_consolidated(max_depth, "")
        children: dict[str, list[tuple[str, AsyncNode]]] = {}
        level: list[tuple[str, AsyncGroup]] = [("", self)]
        depth = 0
        while level:
            if len(level) == 1:  # no task for one group (a small listing then needs no event loop)
                listings = [await level[0][1]._children()]
            else:
                listings = await asyncio.gather(*(group._children() for _, group in level))
            children.update((prefix, found) for (prefix, _), found in zip(level, listings, strict=True))
            if max_depth is not None and depth >= max_depth:
                break
            if not use_consolidated_for_children:
                listings = [[(name, _unconsolidated(node)) for name, node in found] for found in listings]
                children.update((prefix, found) for (prefix, _), found in zip(level, listings, strict=True))
            level = [
                (f"{prefix}{name}/", node)
                for (prefix, _), found in zip(level, listings, strict=True)
                for name, node in found
                if isinstance(node, AsyncGroup)
            ]
            depth += 1

        def walk(prefix: str) -> Iterator[tuple[str, AsyncNode]]:
            for name, node in children.get(prefix, ()):
                yield prefix + name, node
                yield from walk(f"{prefix}{name}/")

        return list(walk(""))

    def _members_consolidated(self, max_depth: int | None, prefix: str) -> list[tuple[str, AsyncNode]]:
        """``members`` from the consolidated listing alone; a child group without one has no members.

        A level is built in one batch: its format 3 arrays' metadata is parsed on first use
        (``ConsolidatedMetadata.listed``) and its arrays share one default ``ArrayConfig``.
        """
        listing = self.consolidated_metadata
        if listing is None:
            return []
        array_config = ArrayConfig.parse(None)
        child_path = self._child_path
        with gc_paused(len(listing.flat) >= _GC_PAUSE_NODES):
            level = [
                (prefix + name, _node(metadata, child_path(name), array_config))
                for name, metadata in listing.listed()
            ]
        if max_depth is not None and max_depth <= 0:
            return level
        deeper = None if max_depth is None else max_depth - 1
        found = []
        for path, node in level:
            found.append((path, node))
            if isinstance(node, AsyncGroup):
                found += node._members_consolidated(deeper, path + "/")
        return found

    async def keys(self) -> AsyncIterator[str]:
        async for name, _ in self.members():
            yield name

    async def groups(self) -> AsyncIterator[tuple[str, AsyncGroup]]:
        async for name, node in self.members():
            if isinstance(node, AsyncGroup):
                yield name, node

    async def arrays(self) -> AsyncIterator[tuple[str, AsyncArray]]:
        async for name, node in self.members():
            if isinstance(node, AsyncArray):
                yield name, node

    async def group_keys(self) -> AsyncIterator[str]:
        async for name, _ in self.groups():
            yield name

    async def array_keys(self) -> AsyncIterator[str]:
        async for name, _ in self.arrays():
            yield name

    async def group_values(self) -> AsyncIterator[AsyncGroup]:
        async for _, group in self.groups():
            yield group

    async def array_values(self) -> AsyncIterator[AsyncArray]:
        async for _, array in self.arrays():
            yield array

    async def nmembers(self, max_depth: int | None = 0) -> int:
        return len([name async for name, _ in self.members(max_depth=max_depth)])

    # -- creating and deleting members ---------------------------------------

    def _remember(self, name: str, node: AsyncNode) -> None:
        """Keep in-memory consolidated metadata in step with a member just written."""
        if self.consolidated_metadata is not None:
            self._set_listing(self.consolidated_metadata.with_node(name, node.metadata))

    async def create_group(
        self, name: str, *, overwrite: bool = False, attributes: dict[str, Any] | None = None
    ) -> AsyncGroup:
        """A new child group in this group's format."""
        group = await AsyncGroup.create(
            self._child_path(name), zarr_format=self.zarr_format, attributes=attributes, overwrite=overwrite
        )
        self._remember(name.strip("/"), group)
        return group

    async def require_group(self, name: str, overwrite: bool = False) -> AsyncGroup:
        """The child group ``name``, created when missing; an array there is a TypeError."""
        if overwrite:
            return await self.create_group(name, overwrite=True)
        try:
            node = await self.getitem(name)
        except KeyError:
            return await self.create_group(name)
        if not isinstance(node, AsyncGroup):
            raise TypeError(f"an array, not a group, exists at {where(node.store_path)}")
        return node

    async def require_groups(self, *names: str) -> tuple[AsyncGroup, ...]:
        return tuple(await asyncio.gather(*(self.require_group(name) for name in names)))

    async def create_array(
        self,
        name: str,
        *,
        shape: Any = None,
        dtype: Any = None,
        data: Any = None,
        chunks: Any = "auto",
        shards: Any = None,
        filters: Any = "auto",
        compressors: Any = "auto",
        compressor: Any = "auto",
        serializer: Any = "auto",
        fill_value: Any = DEFAULT_FILL_VALUE,
        order: str | None = None,
        attributes: dict[str, Any] | None = None,
        chunk_key_encoding: Any = None,
        dimension_names: Any = None,
        storage_options: dict[str, Any] | None = None,
        overwrite: bool = False,
        config: Any = None,
        write_data: bool = True,
        **kwargs: Any,
    ) -> AsyncArray:
        """A new child array in this group's format (format 2 defaults to Blosc, as zarr-python's).

        zarr-python's ``create_array`` keywords (``storage_options`` is ignored: the group has its
        store), plus the format 2 ``compressor``; ``kwargs`` are the older spellings ``AsyncArray.create``
        takes (``chunk_shape``, ``codecs``, ``dimension_separator``)."""
        if compressor != "auto":
            kwargs["compressor"] = compressor
        array = await create_array_at(
            self._child_path(name),
            zarr_format=self.zarr_format,
            v2_default_compressor="blosc",
            shape=shape, dtype=dtype, data=data, chunks=chunks, shards=shards, filters=filters,
            compressors=compressors, serializer=serializer, fill_value=fill_value, order=order,
            attributes=attributes, chunk_key_encoding=chunk_key_encoding, dimension_names=dimension_names,
            overwrite=overwrite, config=config, write_data=write_data,
            **kwargs,
        )
        self._remember(name.strip("/"), array)
        return array

    async def require_array(
        self, name: str, *, shape: Any, dtype: Any = None, exact: bool = False, **kwargs: Any
    ) -> AsyncArray:
        """The child array ``name``, created when missing; it must match ``shape`` and ``dtype``."""
        try:
            node = await self.getitem(name)
        except KeyError:
            return await self.create_array(name, shape=shape, dtype=dtype, **kwargs)
        place = where(node.store_path)
        if not isinstance(node, AsyncArray):
            raise TypeError(
                f"Incompatible object ({type(node).__name__}) exists: a group, not an array, at {place}"
            )
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        if node.shape != shape:
            raise TypeError(f"Incompatible shape ({node.shape} vs {shape}) of the array at {place}")
        if dtype is not None:
            wanted = np.dtype(dtype)
            same = node.dtype == wanted if exact else np.can_cast(node.dtype, wanted)
            if not same:
                raise TypeError(f"Incompatible dtype ({node.dtype} vs {wanted}) of the array at {place}")
        return node

    async def create_dataset(self, name: str, *, shape: Any = None, **kwargs: Any) -> AsyncArray:
        """Deprecated (zarr-python 3.0): ``create_array``, with zarr 2's ``data=`` giving the dtype."""
        warnings.warn("Use AsyncGroup.create_array instead.", ZarrDeprecationWarning, stacklevel=2)
        return await self._create_dataset(name, shape=shape, **kwargs)

    async def _create_dataset(self, name: str, *, shape: Any = None, **kwargs: Any) -> AsyncArray:
        data = kwargs.pop("data", None)
        if data is not None and kwargs.get("dtype") is None:
            kwargs["dtype"] = np.asarray(data).dtype
        array = await self.create_array(name, shape=shape, **kwargs)
        if data is not None:
            await array.setitem(Ellipsis, data)
        return array

    async def require_dataset(
        self, name: str, *, shape: Any, dtype: Any = None, exact: bool = False, **kwargs: Any
    ) -> AsyncArray:
        """Deprecated (zarr-python 3.0): ``require_array``."""
        warnings.warn("Use AsyncGroup.require_array instead.", ZarrDeprecationWarning, stacklevel=2)
        return await self.require_array(name, shape=shape, dtype=dtype, exact=exact, **kwargs)

    async def empty(self, *, name: str, shape: Any, **kwargs: Any) -> AsyncArray:
        """A new child array with nothing written (reads give the fill value); float64 by default."""
        kwargs.setdefault("dtype", np.float64)
        return await self.create_array(name, shape=shape, **kwargs)

    async def full(self, *, name: str, shape: Any, fill_value: Any, **kwargs: Any) -> AsyncArray:
        """A new child array reading as ``fill_value`` everywhere (no chunk is written)."""
        return await self.empty(name=name, shape=shape, fill_value=fill_value, **kwargs)

    async def zeros(self, *, name: str, shape: Any, **kwargs: Any) -> AsyncArray:
        """A new child array reading as zeros."""
        return await self.full(name=name, shape=shape, fill_value=0, **kwargs)

    async def ones(self, *, name: str, shape: Any, **kwargs: Any) -> AsyncArray:
        """A new child array reading as ones."""
        return await self.full(name=name, shape=shape, fill_value=1, **kwargs)

    async def create_hierarchy(
        self, nodes: dict[str, NodeMetadata], *, overwrite: bool = False
    ) -> AsyncIterator[tuple[str, AsyncNode]]:
        """Create the nodes ``{path: metadata}`` below this group (paths relative to it) and the
        groups they imply, all at once; yields ``(relative path, node)`` as each is written."""
        below: dict[str, NodeMetadata] = {}
        for key, metadata in nodes.items():
            if metadata.zarr_format != self.metadata.zarr_format:
                raise ValueError(
                    "The zarr_format of the nodes must be the same as the parent group. "
                    f"The node at {key} has zarr_format {metadata.zarr_format}, but the parent group"
                    f" has zarr_format {self.metadata.zarr_format}."
                )
            if normalize_path(key) == "":
                raise ValueError(
                    f"The input defines a root node ({key!r}), but this group is the root. "
                    "It is an error to use this method to create a root node. "
                    "Remove the root node from the input dict, or use create_rooted_hierarchy."
                )
            below[_join_paths([self.path, normalize_path(key)])] = metadata
        prefix = self.path + "/" if self.path else ""
        async for path, node in create_hierarchy(store=self.store, nodes=below, overwrite=overwrite):
            if path.startswith(prefix) and path != self.path:
                self._remember(path[len(prefix) :], node)
                yield path[len(prefix) :], node

    async def delitem(self, key: str) -> None:
        """Remove the member ``key`` and everything below it; KeyError when nothing is there."""
        name = key.strip("/")
        child = self._child_path(name)
        ensure_writable(child, "group")
        if not name or not await self.contains(name):
            raise KeyError(key)
        await child.delete_dir()
        if self.consolidated_metadata is not None:  # as zarr-python: the stored listing drops it too
            self._set_listing(self.consolidated_metadata.without(name))
            await self._save_metadata()

    async def move(self, source: str, dest: str) -> None:
        """Move the member ``source`` (and all below it) to ``dest``, both paths in this group;
        the parent groups of ``dest`` are created where missing. (zarr-python 3.1.6 has the name
        but raises NotImplementedError.)"""
        ensure_writable(self.store_path, "group")
        node = await self.getitem(source)  # KeyError when there is nothing to move
        target = self._child_path(normalize_path(dest))
        await ensure_no_existing_node(target)
        await move_keys(self.store, node.path, target.path)
        await save_metadata(target, node.metadata, ensure_parents=True)  # and its missing parents
        if self.consolidated_metadata is not None:
            self._set_listing(self.consolidated_metadata.without(source.strip("/")))
            moved = await open_node(target, self.zarr_format)
            self._remember(normalize_path(dest), moved)

    async def update_attributes(self, new_attributes: dict[str, Any]) -> AsyncGroup:
        """Merge ``new_attributes`` into the attributes and write them."""
        return await self.set_attributes({**self.metadata.attributes, **new_attributes})

    async def set_attributes(self, attributes: dict[str, Any]) -> AsyncGroup:
        """Replace every attribute with ``attributes`` and write them."""
        ensure_writable(self.store_path, "group")
        metadata = self.metadata.with_attributes(_checked_attributes(dict(attributes)))
        await self._save_metadata(metadata)
        self.metadata = metadata
        return self

    async def _save_metadata(self, metadata: GroupMetadata | None = None) -> None:
        """Write the group's documents (``metadata``, else its own); a listing is rewritten too
        (format 2's ``.zmetadata`` beside ``.zgroup``), as zarr-python's does."""
        metadata = self.metadata if metadata is None else metadata
        documents = metadata.to_documents()
        if metadata.consolidated_metadata is not None:
            documents.update(consolidated_documents(metadata, metadata.consolidated_metadata))
        await self.store._set_many(
            ((self.store_path / name).path, Buffer.from_bytes(data)) for name, data in documents.items()
        )

    async def consolidate(self) -> AsyncGroup:
        """Record every node below this group in consolidated metadata; return the group reading it."""
        ensure_writable(self.store_path, "group")
        plain = AsyncGroup(self.metadata.with_consolidated_metadata(None), self.store_path)
        members = plain.members(max_depth=None, use_consolidated_for_children=False)  # stale listings ignored
        listing = ConsolidatedMetadata({name: node.metadata async for name, node in members})
        listing = ConsolidatedMetadata({name: listing.flat[name] for name in listing._sorted_names()})
        group = AsyncGroup(self.metadata.with_consolidated_metadata(listing), self.store_path)
        await group._save_metadata()  # the group's own documents too, as zarr-python writes them
        return group

    # -- summaries ------------------------------------------------------------

    def _info(self, counts: tuple[int, int, int] | None) -> GroupInfo:
        members, arrays, groups = counts if counts is not None else (None, None, None)
        return GroupInfo(
            _name=self.path,
            _type="Group",
            _zarr_format=self.zarr_format,
            _read_only=self.read_only,
            _store_type=type(self.store).__name__,
            _count_members=members,
            _count_arrays=arrays,
            _count_groups=groups,
        )

    @property
    def info(self) -> GroupInfo:
        """Name, format, store; member counts only when consolidated metadata has them (no I/O)."""
        consolidated = self.consolidated_metadata
        return self._info(consolidated.counts() if consolidated is not None else None)

    async def info_complete(self) -> GroupInfo:
        """``info`` with member counts over the whole hierarchy (lists every member)."""
        nodes = [node async for _, node in self.members(max_depth=None)]
        groups = sum(isinstance(node, AsyncGroup) for node in nodes)
        return self._info((len(nodes), len(nodes) - groups, groups))

    async def tree(
        self,
        expand: bool | None = None,
        level: int | None = None,
        *,
        max_nodes: int = 500,
        plain: bool = False,
    ) -> GroupTree:
        """The hierarchy drawn as a tree, members sorted by name, ``level`` levels below the
        immediate children (None: all), at most ``max_nodes`` of them; ``plain`` drops the bold."""
        if expand is not None:
            raise NotImplementedError("'expand' is not yet implemented.")
        members: list[tuple[str, AsyncNode]] = []
        truncated_at = None
        async for item in self.members(max_depth=level):
            if len(members) == max_nodes:
                truncated_at = max_nodes
                break
            members.append(item)
        return render_tree(self.name, members, truncated_at=truncated_at, plain=plain)


AsyncNode = AsyncArray | AsyncGroup


async def create_nodes(
    *, store: Store, nodes: dict[str, NodeMetadata]
) -> AsyncIterator[tuple[str, AsyncNode]]:
    """Write the nodes ``{path: metadata}`` as given, concurrently, and yield ``(path, node)`` as
    each is complete; nothing is checked or added (see :func:`create_hierarchy` for that)."""
    async for path in write_nodes(store, nodes):
        yield path, _node(nodes[path], StorePath(store, path))


async def create_hierarchy(
    *, store: Store, nodes: dict[str, NodeMetadata], overwrite: bool = False
) -> AsyncIterator[tuple[str, AsyncNode]]:
    """Create a whole hierarchy from ``{path: metadata}``, adding the parent groups it implies.

    One format throughout; an existing node at a listed path is an error unless ``overwrite``
    (which clears it first); an implied group already in the store is kept as it is. The nodes
    are written concurrently and yielded as ``(path, node)`` in the order they complete.
    """
    planned = await plan_hierarchy(store, nodes, overwrite=overwrite)
    async for item in create_nodes(store=store, nodes=planned):
        yield item


async def create_rooted_hierarchy(
    *, store: Store, nodes: dict[str, NodeMetadata], overwrite: bool = False
) -> AsyncNode:
    """:func:`create_hierarchy` for a hierarchy with one root (a group above every other node, or a
    single array), returning that root."""
    roots = hierarchy_roots(nodes)
    if len(roots) != 1:
        raise ValueError(
            "The input does not specify a root node. "
            "This function can only create hierarchies that contain a root node, which is "
            "defined as a group that is ancestral to all the other arrays and "
            f"groups in the hierarchy, or a single array. Candidate roots: {list(roots)}"
        )
    root = normalize_path(roots[0])
    created = dict([item async for item in create_hierarchy(store=store, nodes=nodes, overwrite=overwrite)])
    return created[root]


async def get_node(store: Store, path: str, zarr_format: int) -> AsyncNode:
    """The array or group of ``zarr_format`` at ``path`` in ``store``; FileNotFoundError when none."""
    if zarr_format not in (2, 3):
        raise ValueError(f"Unexpected zarr format: {zarr_format!r}")
    return await open_node(StorePath(store, path), zarr_format)


for _method in LIKE_METHODS:  # empty_like, full_like, ones_like, zeros_like (zarrnb.core.group_like)
    setattr(AsyncGroup, _method.__name__, _method)


def _unconsolidated(node: AsyncNode) -> AsyncNode:
    """A group read from consolidated metadata as if it had none (its members then come from the store)."""
    if isinstance(node, AsyncGroup) and (node.consolidated_metadata or node.metadata.consolidated_metadata):
        return AsyncGroup(node.metadata.with_consolidated_metadata(None), node.store_path)
    return node


def _checked_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """Refuse attributes that JSON cannot hold, naming the offending key."""
    if not isinstance(attributes, dict):
        raise TypeError(f"attributes must be a dict, got {type(attributes).__name__}")
    for key, value in attributes.items():
        if not isinstance(key, str):
            raise TypeError(f"attribute names must be strings, got {key!r}")
        try:
            json.dumps(value)
        except (TypeError, ValueError) as err:
            raise TypeError(f"attribute {key!r} is not JSON-serialisable: {err}") from err
    return attributes
