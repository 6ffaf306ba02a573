"""Hierarchy creation from ``{path: metadata}``: completion with implied groups, conflicts,
overwrite, concurrency, rooted hierarchies, reading a node back."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

import zarrnb.config as config
from zarrnb.core.array import AsyncArray
from zarrnb.core.group import AsyncGroup, create_hierarchy, create_nodes, create_rooted_hierarchy, get_node
from zarrnb.core.hierarchy import (
    ImplicitGroupMarker,
    build_metadata_v3,
    hierarchy_roots,
    parse_hierarchy,
)
from zarrnb.errors import ContainsArrayError, ContainsGroupError, MetadataValidationError
from zarrnb.metadata import GroupMetadata
from zarrnb.storage import MemoryStore, StorePath
from zarrnb.testing.store import LatencyStore

run = asyncio.run


def _array_metadata(zarr_format: int = 3, shape: tuple[int, ...] = (4,), **kwargs: Any) -> Any:
    """Real array metadata, made the ordinary way in a scratch store."""
    array = run(
        AsyncArray.create(
            StorePath(MemoryStore()), shape=shape, dtype="i2", zarr_format=zarr_format, **kwargs
        )
    )
    return array.metadata


async def _collect(iterator: Any) -> dict[str, Any]:
    return {path: node async for path, node in iterator}


async def _keys(store: MemoryStore) -> list[str]:
    return sorted([key async for key in store.list()])


def test_parse_adds_implied_groups_and_normalises_keys() -> None:
    parsed = parse_hierarchy({"/a//b/c/": GroupMetadata()})
    assert parsed == {
        "a/b/c": GroupMetadata(),
        "": ImplicitGroupMarker(),
        "a": ImplicitGroupMarker(),
        "a/b": ImplicitGroupMarker(),
    }
    assert type(parsed[""]) is ImplicitGroupMarker
    assert parse_hierarchy({}) == {}


def test_parse_refuses_mixed_formats_nodes_below_arrays_and_colliding_keys() -> None:
    with pytest.raises(ValueError, match=r"v2 nodes: \['v2'\].*v3 nodes: \['v3'\]"):
        parse_hierarchy({"v2": GroupMetadata(zarr_format=2), "v3": GroupMetadata(zarr_format=3)})
    with pytest.raises(ValueError, match="Only Zarr groups can contain other nodes"):
        parse_hierarchy({"x": _array_metadata(), "x/y": GroupMetadata()})
    with pytest.raises(ValueError, match="use either 'a/' or '/a', but not both"):
        parse_hierarchy({"/a": GroupMetadata(), "a/": GroupMetadata()})


def test_roots() -> None:
    assert hierarchy_roots(["a/b", "", "c"]) == ("",)
    assert hierarchy_roots(["a/b", "a", "c"]) == ("a", "c")
    assert hierarchy_roots([]) == ()


def test_build_metadata_v3_chooses_by_node_type() -> None:
    group = build_metadata_v3({"zarr_format": 3, "node_type": "group", "attributes": {"k": 1}})
    assert group == GroupMetadata(attributes={"k": 1})
    array = _array_metadata()
    assert build_metadata_v3(array.to_json()) == array
    with pytest.raises(MetadataValidationError, match="'node_type' is missing"):
        build_metadata_v3({"zarr_format": 3})


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_create_hierarchy_writes_listed_and_implied_nodes(zarr_format: int) -> None:
    store = MemoryStore()
    nodes = {
        "g": GroupMetadata(zarr_format=zarr_format, attributes={"name": "g"}),
        "g/sub/arr": _array_metadata(zarr_format),
    }
    created = run(_collect(create_hierarchy(store=store, nodes=nodes)))
    assert sorted(created) == ["", "g", "g/sub", "g/sub/arr"]
    assert isinstance(created["g/sub/arr"], AsyncArray)
    assert created["g/sub"].metadata == GroupMetadata(zarr_format=zarr_format)
    root = run(AsyncGroup.open(StorePath(store)))
    members = run(_collect(root.members(max_depth=None)))
    assert {path: node.metadata for path, node in members.items()} == {
        "g": nodes["g"],
        "g/sub": GroupMetadata(zarr_format=zarr_format),
        "g/sub/arr": nodes["g/sub/arr"],
    }


def test_existing_nodes_conflict_unless_overwrite_and_implied_groups_are_kept() -> None:
    store = MemoryStore()
    run(_collect(create_nodes(store=store, nodes={"": GroupMetadata(attributes={"root": True})})))
    run(_collect(create_nodes(store=store, nodes={"a": _array_metadata()})))
    with pytest.raises(ContainsArrayError, match=r"An array exists in store .* at path 'a'"):
        run(_collect(create_hierarchy(store=store, nodes={"a": GroupMetadata()})))
    with pytest.raises(ContainsGroupError, match=r"A group exists in store .* at path ''"):
        run(_collect(create_hierarchy(store=store, nodes={"": GroupMetadata()})))
    # the existing root is implied here, so it stays as it is
    created = run(_collect(create_hierarchy(store=store, nodes={"b": GroupMetadata()})))
    assert sorted(created) == ["b"]
    assert run(get_node(store, "", 3)).attrs == {"root": True}
    # overwrite clears the listed path (and what lies below it) first
    created = run(_collect(create_hierarchy(store=store, nodes={"a": GroupMetadata()}, overwrite=True)))
    assert isinstance(created["a"], AsyncGroup)
    assert "a/zarr.json" in run(_keys(store))


def test_overwrite_rewrites_implied_groups_below_a_cleared_path() -> None:
    store = MemoryStore()
    run(_collect(create_hierarchy(store=store, nodes={"a/b/c": GroupMetadata()})))
    run(
        _collect(
            create_hierarchy(
                store=store, nodes={"a": GroupMetadata(), "a/b/x": GroupMetadata()}, overwrite=True
            )
        )
    )
    assert isinstance(run(get_node(store, "a/b", 3)), AsyncGroup)
    with pytest.raises(FileNotFoundError):
        run(get_node(store, "a/b/c", 3))


def test_writes_respect_the_concurrency_setting() -> None:
    store = LatencyStore(MemoryStore(), set_latency=0.02)
    groups = {str(i): GroupMetadata() for i in range(6)}
    with config.set({"async.concurrency": 1}):
        start = time.perf_counter()
        run(_collect(create_nodes(store=store, nodes=groups)))
        assert time.perf_counter() - start > 6 * 0.02


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_rooted_hierarchy_and_get_node(zarr_format: int) -> None:
    store = MemoryStore()
    root = run(
        create_rooted_hierarchy(
            store=store,
            nodes={"r": GroupMetadata(zarr_format=zarr_format), "r/x": _array_metadata(zarr_format)},
        )
    )
    assert isinstance(root, AsyncGroup) and root.path == "r"
    assert run(get_node(store, "r/x", zarr_format)).shape == (4,)
    other = 5 - zarr_format
    with pytest.raises(FileNotFoundError):
        run(get_node(store, "r/x", other))
    with pytest.raises(ValueError, match="does not specify a root node"):
        run(create_rooted_hierarchy(store=store, nodes={"a": GroupMetadata(), "b": GroupMetadata()}))


def test_group_method_is_relative_and_refuses_a_root_or_another_format() -> None:
    store = MemoryStore()
    group = run(AsyncGroup.create(StorePath(store, "top")))
    created = run(_collect(group.create_hierarchy({"a/b": _array_metadata()})))
    assert sorted(created) == ["a", "a/b"]
    assert created["a/b"].path == "top/a/b"
    with pytest.raises(ValueError, match="create a root node"):
        run(_collect(group.create_hierarchy({"": GroupMetadata()})))
    with pytest.raises(ValueError, match="must be the same as the parent group"):
        run(_collect(group.create_hierarchy({"c": GroupMetadata(zarr_format=2)})))
