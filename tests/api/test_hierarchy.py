"""The blocking hierarchy functions (zarr-python's ``zarr.core.sync_group``), ``Group.create_hierarchy``."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import numpy as np

from zarrnb.api.array import Array
from zarrnb.api.group import Group
from zarrnb.api.hierarchy import create_hierarchy as create_hierarchy_sync
from zarrnb.api.hierarchy import create_nodes as create_nodes_sync
from zarrnb.api.hierarchy import create_rooted_hierarchy as create_rooted_hierarchy_sync
from zarrnb.api.hierarchy import get_node as get_node_sync
from zarrnb.core.array import AsyncArray
from zarrnb.core.group import AsyncGroup, create_hierarchy, create_nodes
from zarrnb.metadata import GroupMetadata
from zarrnb.storage import MemoryStore, StorePath

run = asyncio.run


def _array_metadata() -> Any:
    return run(AsyncArray.create(StorePath(MemoryStore()), shape=(4,), dtype="i2", zarr_format=3)).metadata


async def _keys(store: MemoryStore) -> list[str]:
    return sorted([key async for key in store.list()])


def test_sync_twins_give_sync_nodes_and_share_signatures() -> None:
    store = MemoryStore()
    nodes = {"g": GroupMetadata(), "g/x": _array_metadata()}
    lazy = create_hierarchy_sync(store=store, nodes=nodes)
    assert run(_keys(store)) == []  # nothing runs before iteration, as in zarr-python
    created = dict(lazy)
    assert isinstance(created["g"], Group) and isinstance(created["g/x"], Array)
    assert isinstance(get_node_sync(store, "g/x", 3), Array)
    root = create_rooted_hierarchy_sync(store=MemoryStore(), nodes={"": GroupMetadata()})
    assert isinstance(root, Group)
    made = dict(root.create_hierarchy({"k": GroupMetadata()}))
    assert isinstance(made["k"], Group)
    assert inspect.signature(create_hierarchy_sync) == inspect.signature(create_hierarchy)
    assert inspect.signature(Group.create_hierarchy) == inspect.signature(AsyncGroup.create_hierarchy)
    np.testing.assert_array_equal(created["g/x"][:], np.zeros(4, dtype="i2"))
    assert inspect.signature(create_nodes_sync) == inspect.signature(create_nodes)
    assert [path for path, _ in create_nodes_sync(store=MemoryStore(), nodes={"n": GroupMetadata()})] == ["n"]
