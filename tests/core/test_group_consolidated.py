"""A group's consolidated listing lives in ``group.metadata.consolidated_metadata`` (format 2 too),
scoped for each child group, and is trusted as it stands (zarr-python's model)."""

from __future__ import annotations

import json
import warnings

import pytest

import zarrnb
from zarrnb.api.sync import sync
from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.core.group import AsyncGroup
from zarrnb.errors import ZarrUserWarning
from zarrnb.storage import MemoryStore, StorePath, WrapperStore


def _hierarchy(zarr_format: int) -> MemoryStore:
    store = MemoryStore()
    root = zarrnb.create_group(store, zarr_format=zarr_format)
    root.create_array("a", shape=(2,), dtype="i1")
    sub = root.create_group("g")
    sub.create_array("b", shape=(3,), dtype="f4")
    sub.create_group("inner").create_array("c", shape=(4,), dtype="u2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ZarrUserWarning)
        zarrnb.consolidate_metadata(store)
    return store


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_the_listing_is_in_the_group_metadata_and_scoped_for_children(zarr_format: int) -> None:
    root = zarrnb.open_group(_hierarchy(zarr_format), mode="r")
    listing = root.metadata.consolidated_metadata
    assert listing is not None and root.async_group.consolidated_metadata is listing
    assert list(listing.metadata) == ["a", "g"]
    sub = root["g"]
    assert sub.metadata.consolidated_metadata is listing.metadata["g"].consolidated_metadata
    assert list(sub.metadata.consolidated_metadata.metadata) == ["b", "inner"]
    assert root["g/inner/c"].shape == (4,)
    assert sorted(dict(root.members(max_depth=None))) == ["a", "g", "g/b", "g/inner", "g/inner/c"]
    plain = zarrnb.open_group(root.store, mode="r", use_consolidated=False)
    assert plain.metadata.consolidated_metadata is None


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_the_listing_is_trusted_over_the_store(zarr_format: int) -> None:
    root = zarrnb.open_group(_hierarchy(zarr_format), mode="r")
    inner = root.metadata.consolidated_metadata.metadata["g"].consolidated_metadata.metadata["inner"]
    object.__setattr__(inner, "consolidated_metadata", None)  # a group listed without its children
    with pytest.raises(KeyError):
        root["g/inner/c"]
    with pytest.raises(KeyError, match="'g/nope' not found in consolidated metadata"):
        root["g/nope"]
    with pytest.raises(KeyError):
        root["a/x"]  # below an array
    assert sorted(dict(root.members(max_depth=None))) == ["a", "g", "g/b", "g/inner"]
    assert root.nmembers(max_depth=1) == 4


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_deleting_a_member_rewrites_the_stored_listing(zarr_format: int) -> None:
    store = _hierarchy(zarr_format)
    root = zarrnb.open_group(store, mode="a")
    del root["g"]
    assert list(root.metadata.consolidated_metadata.metadata) == ["a"]
    again = zarrnb.open_group(store, mode="r")
    assert list(again.metadata.consolidated_metadata.metadata) == ["a"]
    assert sorted(dict(again.members(max_depth=None))) == ["a"]


def test_consolidating_again_ignores_a_stale_child_listing() -> None:
    store = MemoryStore()
    root = zarrnb.create_group(store)
    root.create_group("foo")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ZarrUserWarning)
        zarrnb.consolidate_metadata(store, path="foo")  # foo's listing: empty
        root.create_group("foo/bar/spam")
        zarrnb.consolidate_metadata(store)
    again = zarrnb.open_consolidated(store, mode="r")
    assert [name for name, _ in again.members(max_depth=None)] == ["foo", "foo/bar", "foo/bar/spam"]


def test_a_subgroup_consolidated_apart_warns_about_names_its_listing_lacks() -> None:
    store = MemoryStore()
    root = zarrnb.create_group(store)
    root.create_group("a/b")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ZarrUserWarning)
        zarrnb.consolidate_metadata(store, path="a/b")
    root.create_group("a/b/c")
    group = zarrnb.open_group(store, path="a", mode="r")
    with pytest.warns(ZarrUserWarning, match="Object at 'c' not found"):
        assert sorted(dict(group.members(max_depth=None))) == ["b"]
    found = group.members(max_depth=None, use_consolidated_for_children=False)
    assert sorted(dict(found)) == ["b", "b/c"]


def test_consolidated_listing_is_written_in_zarr_python_order() -> None:
    store = MemoryStore()
    root = zarrnb.create_group(store, zarr_format=2)
    root.create_array("b", shape=(1,), dtype="f4")
    child = root.create_group("c")
    root.create_array("a", shape=(1,), dtype="f4")
    child.create_array("e", shape=(1,), dtype="f4")
    child.create_array("d", shape=(1,), dtype="f4")
    zarrnb.consolidate_metadata(store)
    listing = zarrnb.open_group(store, mode="r").metadata.consolidated_metadata
    assert list(listing.metadata) == ["a", "b", "c"]
    assert list(listing.flattened_metadata) == ["a", "b", "c", "c/d", "c/e"]


class _NoConsolidation(WrapperStore):
    @property
    def supports_consolidated_metadata(self) -> bool:
        return False


def test_a_store_without_consolidation_support_is_opened_without_it() -> None:
    store = _NoConsolidation(_hierarchy(3))
    with pytest.raises(ValueError, match="doesn't support consolidated metadata"):
        sync(AsyncGroup.open(store, use_consolidated=True))
    group = sync(AsyncGroup.open(store))  # a plain store, not a store path
    assert group.metadata.consolidated_metadata is None
    assert sorted(sync(_keys(group))) == ["a", "g"]


async def _keys(group: AsyncGroup) -> list[str]:
    return [name async for name in group.keys()]


def test_from_bytes_v2_reads_the_listing_and_allows_a_missing_zattrs() -> None:
    zmetadata = {
        "metadata": {".zgroup": {"zarr_format": 2}, "x/.zgroup": {"zarr_format": 2}},
        "zarr_consolidated_format": 1,
    }
    group = AsyncGroup._from_bytes_v2(
        StorePath(MemoryStore(), ""),
        Buffer.from_bytes(b'{"zarr_format": 2}'),
        zattrs_bytes=None,
        consolidated_metadata_bytes=Buffer.from_bytes(json.dumps(zmetadata).encode()),
    )
    assert group.metadata.attributes == {} and group.metadata.zarr_format == 2
    assert list(group.metadata.consolidated_metadata.metadata) == ["x"]


def test_opening_a_big_consolidated_level_parses_only_what_is_touched(parsed: list[str]) -> None:
    store = MemoryStore()
    root = zarrnb.create_group(store)
    document = json.loads(sync(store.get("zarr.json", default_buffer_prototype())).to_bytes())
    array = json.loads(sync(_array_document(zarrnb.create_array(store, name="tmp", shape=(2,), dtype="i1"))))
    entries = {f"a{i}": array for i in range(10_000)}
    document["consolidated_metadata"] = {"kind": "inline", "must_understand": False, "metadata": entries}
    sync(store.set("zarr.json", Buffer.from_bytes(json.dumps(document).encode())))
    del root
    parsed.clear()
    group = zarrnb.open_group(store, mode="r")
    assert len(group.metadata.consolidated_metadata.metadata) == 10_000 and parsed == []
    assert group["a1234"].shape == (2,) and parsed == ["a1234"]


async def _array_document(array: object) -> bytes:
    return (await array.store.get("tmp/zarr.json", default_buffer_prototype())).to_bytes()  # type: ignore[attr-defined]
