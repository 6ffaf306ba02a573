"""Consolidated metadata stays unparsed through scoping, removing and adding nodes (``LazyNodes``)."""

from __future__ import annotations

import json

import pytest

import zarrnb
import zarrnb.metadata.consolidated as consolidated_module
from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.core.consolidated import ConsolidatedMetadata, LazyNodes
from zarrnb.errors import MetadataValidationError
from zarrnb.storage import MemoryStore


def _hierarchy(zarr_format: int) -> MemoryStore:
    store = MemoryStore()
    root = zarrnb.create_group(store, zarr_format=zarr_format)
    for i in range(5):
        root.create_array(f"a{i}", shape=(2,), dtype="i1")
    sub = root.create_group("g")
    for i in range(5):
        sub.create_array(f"b{i}", shape=(3,), dtype="f4")
    sub.create_group("inner").create_array("c", shape=(4,), dtype="u2")
    zarrnb.consolidate_metadata(store)
    return store

def _hierarchy_with_a_corrupt_entry() -> MemoryStore:
    """The format 3 hierarchy whose consolidated entry for ``g/b2`` has a bad shape."""
    store = _hierarchy(3)

    async def corrupt() -> None:
        document = json.loads((await store.get("zarr.json", default_buffer_prototype())).to_bytes())
        document["consolidated_metadata"]["metadata"]["g/b2"]["shape"] = "oops"
        await store.set("zarr.json", Buffer.from_bytes(json.dumps(document).encode()))

    zarrnb.api.sync.sync(corrupt())
    return store


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_opening_a_subgroup_parses_only_what_is_touched(zarr_format: int, parsed: list[str]) -> None:
    root = zarrnb.open_group(_hierarchy(zarr_format), mode="r", use_consolidated=True)
    sub = root["g"]
    assert parsed == ["g"]
    scoped = sub.async_group.consolidated_metadata
    assert list(scoped.flat) == ["b0", "b1", "b2", "b3", "b4", "inner", "inner/c"]
    assert list(scoped.metadata) == ["b0", "b1", "b2", "b3", "b4", "inner"]  # zarr-python's nested view
    assert scoped.counts() == (7, 6, 1) and parsed == ["g"]
    assert sub["inner/c"].shape == (4,)
    assert parsed == ["g", "g/inner", "g/inner/c"]  # the lookup walks the path, as zarr-python's does
    assert sorted(name for name, _ in sub.arrays()) == ["b0", "b1", "b2", "b3", "b4"]


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_lazy_and_parsed_listings_are_equal(zarr_format: int) -> None:
    root = zarrnb.open_group(_hierarchy(zarr_format), mode="r", use_consolidated=True)
    lazy = root.async_group.consolidated_metadata
    assert isinstance(lazy.flat, LazyNodes)
    plain = ConsolidatedMetadata(dict(lazy.flat.items()), lazy.kind, lazy.must_understand)
    assert lazy == plain
    assert lazy.node_types() == plain.node_types() and lazy.counts() == plain.counts()
    for name in ("g", "g/inner"):
        assert lazy.scoped(name) == plain.scoped(name)
        assert lazy.without(name) == plain.without(name)
        assert list(lazy.without(name).flat) == list(plain.without(name).flat)
        assert list(lazy.scoped(name).metadata) == list(plain.scoped(name).metadata)
    node = lazy.flat["a0"]
    added, expected = lazy.with_node("g", node), plain.with_node("g", node)
    assert list(added.flat) == list(expected.flat) and added == expected
    assert added.node_types()["g"] == "array"


def test_adding_and_removing_members_parses_no_other_entry(parsed: list[str]) -> None:
    store = _hierarchy(3)
    root = zarrnb.open_group(store, mode="a", use_consolidated=True)
    root.create_group("new")
    del root["a1"]
    assert set(parsed) <= {"a1"}  # deleting may look at the member itself, never at the others
    names = list(root.async_group.consolidated_metadata.metadata)
    assert names[-1] == "new" and "a1" not in names
    assert sorted(dict(root.members())) == ["a0", "a2", "a3", "a4", "g", "new"]


def test_a_corrupt_entry_below_a_subgroup_names_its_full_path() -> None:
    store = _hierarchy_with_a_corrupt_entry()
    sub = zarrnb.open_group(store, mode="r", use_consolidated=True)["g"]
    assert sub["b1"].shape == (3,)
    with pytest.raises(MetadataValidationError, match=r"g/b2/zarr\.json"):
        sub["b2"]


def test_a_long_listing_parses_in_one_batch_and_restores_the_collector(monkeypatch) -> None:
    import gc

    monkeypatch.setattr(consolidated_module, "_GC_PAUSE_ENTRIES", 3)
    seen: list[tuple[str, bool]] = []
    real = consolidated_module.parse_node_metadata

    def spying(documents, *, path=""):
        seen.append((path, gc.isenabled()))
        if path == "a3":
            raise MetadataValidationError("broken a3")
        return real(documents, path=path)

    root = zarrnb.open_group(_hierarchy(3), mode="r", use_consolidated=True)
    metadata = root.async_group.consolidated_metadata
    monkeypatch.setattr(consolidated_module, "parse_node_metadata", spying)
    with pytest.raises(MetadataValidationError, match="broken a3"):
        list(metadata.children())
    assert seen == [("a0", False), ("a1", False), ("a2", False), ("a3", False)] and gc.isenabled()
    assert [name for name, _ in metadata.scoped("g").children()] == ["b0", "b1", "b2", "b3", "b4", "inner"]


def test_listing_arrays_parses_none_until_each_is_used(parsed: list[str]) -> None:
    root = zarrnb.open_group(_hierarchy(3), mode="r", use_consolidated=True)
    arrays = dict(root.arrays())
    assert sorted(arrays) == ["a0", "a1", "a2", "a3", "a4"] and parsed == ["g"]  # groups are parsed
    assert [arrays[name].path for name in sorted(arrays)] == ["a0", "a1", "a2", "a3", "a4"]
    assert arrays["a3"].name == "/a3" and parsed == ["g"]  # where it lives needs no metadata
    assert arrays["a3"].shape == (2,) and parsed == ["g", "a3"]
    assert arrays["a3"][:].tolist() == [0, 0] and parsed == ["g", "a3"]
    members = dict(root.members(max_depth=None))
    assert members["g/inner/c"].path == "g/inner/c" and members["g/inner/c"].shape == (4,)


def test_a_corrupt_array_in_a_listing_raises_when_used_naming_its_full_path() -> None:
    store = _hierarchy_with_a_corrupt_entry()
    sub = zarrnb.open_group(store, mode="r", use_consolidated=True)["g"]
    arrays = dict(sub.arrays())
    assert arrays["b1"].shape == (3,)
    for _ in range(2):
        with pytest.raises(MetadataValidationError, match=r"'shape' in 'g/b2/zarr\.json'"):
            arrays["b2"].shape  # noqa: B018
    with pytest.raises(MetadataValidationError, match=r"g/b2/zarr\.json"):
        arrays["b2"][:]
    with pytest.raises(MetadataValidationError, match=r"g/b2/zarr\.json"):
        sub["b2"]
