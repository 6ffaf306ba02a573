"""Consolidated metadata: v2 ``.zmetadata`` and v3 inline, written by each library and read by the other."""

from __future__ import annotations

import asyncio
import json
import warnings

import numpy as np
import pytest
import zarr

import zarrnb
from zarrnb.core.buffer import Buffer
from zarrnb.core.buffer import default_buffer_prototype as zarrnb_prototype
from zarrnb.core.consolidated import parse_v2_consolidated, parse_v3_consolidated
from zarrnb.errors import MetadataValidationError
from zarrnb.storage import MemoryStore, WrapperStore

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _build_with_zarr(store, zarr_format: int) -> None:
    root = zarr.create_group(store=store, zarr_format=zarr_format, attributes={"title": "ref"})
    root.create_array("a", shape=(4,), dtype="i4", chunks=(2,))[:] = [1, 2, 3, 4]
    sub = root.create_group("sub", attributes={"level": 1})
    sub.create_array("b", shape=(2, 3), dtype="f8")[:] = np.arange(6.0).reshape(2, 3)
    sub.create_group("deeper")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        zarr.consolidate_metadata(store)


def _build_with_zarrnb(store, zarr_format: int) -> None:
    root = zarrnb.create_group(store=store, zarr_format=zarr_format, attributes={"title": "ours"})
    root.create_array("a", shape=(4,), dtype="i4", chunks=(2,))[:] = [1, 2, 3, 4]
    sub = root.create_group("sub", attributes={"level": 1})
    sub.create_array("b", shape=(2, 3), dtype="f8")[:] = np.arange(6.0).reshape(2, 3)
    sub.create_group("deeper")
    zarrnb.consolidate_metadata(store)


class CountingStore(WrapperStore):
    """Counts every read and listing that reaches the wrapped store."""

    reads = 0

    async def get(self, key, prototype, byte_range=None):
        self.reads += 1
        return await super().get(key, prototype, byte_range)

    async def exists(self, key):
        self.reads += 1
        return await super().exists(key)

    async def list_dir(self, prefix):
        self.reads += 1
        async for name in super().list_dir(prefix):
            yield name

    async def list_prefix(self, prefix):
        self.reads += 1
        async for name in super().list_prefix(prefix):
            yield name

    async def list(self):
        self.reads += 1
        async for name in super().list():
            yield name


def _as_zarrnb_store(zarr_store: zarr.storage.MemoryStore) -> MemoryStore:
    return MemoryStore({k: Buffer.from_bytes(v.to_bytes()) for k, v in zarr_store._store_dict.items()})


def _as_zarr_store(store: MemoryStore) -> zarr.storage.MemoryStore:
    async def items():
        proto = zarrnb_prototype()
        return {k: (await store.get(k, proto)).to_bytes() async for k in store.list()}

    data = asyncio.run(items())
    from zarr.core.buffer import default_buffer_prototype

    proto = default_buffer_prototype()
    return zarr.storage.MemoryStore({k: proto.buffer.from_bytes(v) for k, v in data.items()})


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_zarrnb_reads_what_zarr_python_consolidated(zarr_format: int) -> None:
    reference = zarr.storage.MemoryStore()
    _build_with_zarr(reference, zarr_format)
    store = CountingStore(_as_zarrnb_store(reference))
    group = zarrnb.open_group(store, mode="r")
    store.reads = 0
    everything = dict(group.members(max_depth=None))
    assert sorted(everything) == ["a", "sub", "sub/b", "sub/deeper"]
    assert everything["sub"].attrs["level"] == 1
    assert group["sub/b"].shape == (2, 3)
    assert "sub/deeper" in group and "nothing" not in group
    assert store.reads == 0, "listing a consolidated group must not touch the store"
    np.testing.assert_array_equal(group["a"][:], [1, 2, 3, 4])
    assert "No. members : 4" in repr(group.info)
    assert "No. arrays  : 2" in repr(group.info)


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_zarr_python_reads_what_zarrnb_consolidated(zarr_format: int) -> None:
    ours = MemoryStore()
    _build_with_zarrnb(ours, zarr_format)
    theirs = _as_zarr_store(ours)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        group = zarr.open_consolidated(theirs, zarr_format=zarr_format)
        assert group.metadata.consolidated_metadata is not None
        flat = group.metadata.consolidated_metadata.flattened_metadata
    assert sorted(flat) == ["a", "sub", "sub/b", "sub/deeper"]
    assert group.attrs["title"] == "ours"
    np.testing.assert_array_equal(group["sub/b"][:], np.arange(6.0).reshape(2, 3))


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_use_consolidated_false_and_true(zarr_format: int) -> None:
    store = MemoryStore()
    _build_with_zarrnb(store, zarr_format)
    zarrnb.open_group(store, mode="a").create_group("late")  # not in the consolidated listing
    reopened = zarrnb.open_group(store, mode="r")
    assert "late" not in dict(reopened.members())
    plain = zarrnb.open_group(store, mode="r", use_consolidated=False)
    assert "late" in dict(plain.members())
    assert zarrnb.open_consolidated(store, mode="r").consolidated_metadata is not None


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_use_consolidated_true_without_it_is_an_error(zarr_format: int) -> None:
    store = MemoryStore()
    zarrnb.create_group(store=store, zarr_format=zarr_format)
    with pytest.raises(MetadataValidationError, match="consolidated"):
        zarrnb.open_group(store, mode="r", use_consolidated=True)
    with pytest.raises(MetadataValidationError):
        zarrnb.open_consolidated(store, mode="r")


def test_consolidated_group_keeps_its_listing_when_changed() -> None:
    store = MemoryStore()
    _build_with_zarrnb(store, 3)
    group = zarrnb.open_group(store, mode="a")
    group.create_group("new")
    del group["sub"]
    assert sorted(dict(group.members(max_depth=None))) == ["a", "new"]
    group.attrs["edited"] = True
    again = zarrnb.open_group(store, mode="r")
    assert again.attrs["edited"] is True
    assert again.consolidated_metadata is not None


def test_malformed_consolidated_documents_name_the_key() -> None:
    with pytest.raises(MetadataValidationError, match=r"\.zmetadata"):
        parse_v2_consolidated(b"{not json", path="")
    with pytest.raises(MetadataValidationError, match="zarr_consolidated_format"):
        parse_v2_consolidated(json.dumps({"metadata": {}}).encode(), path="")
    with pytest.raises(MetadataValidationError, match="kind"):
        parse_v3_consolidated({"kind": "remote", "metadata": {}}, path="g")


def test_consolidating_a_subgroup_and_editing_it_keeps_its_listing() -> None:
    store = MemoryStore()
    _build_with_zarrnb(store, 3)
    sub = zarrnb.consolidate_metadata(store, path="sub")
    assert sorted(dict(sub.members(max_depth=None))) == ["b", "deeper"]
    sub.attrs["edited"] = 1
    again = zarrnb.open_group(store, path="sub", mode="r")
    assert again.attrs["edited"] == 1 and again.consolidated_metadata is not None
    assert sorted(again.consolidated_metadata.metadata) == ["b", "deeper"]


def test_consolidated_entries_are_parsed_only_when_touched(parsed: list[str]) -> None:
    """Opening a consolidated hierarchy parses no member; a lookup parses that member; counts parse none."""
    import zarrnb
    from zarrnb.storage import MemoryStore

    store = MemoryStore()
    root = zarrnb.create_group(store)
    for i in range(20):
        root.create_array(f"a{i}", shape=(2,), dtype="i1")
    root.create_group("g")
    zarrnb.consolidate_metadata(store)
    parsed.clear()
    group = zarrnb.open_group(store, mode="r", use_consolidated=True)
    metadata = group.async_group.consolidated_metadata
    assert parsed == []
    assert metadata.counts() == (21, 20, 1) and parsed == []
    assert group["a3"].shape == (2,)
    assert parsed == ["a3"]


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_consolidated_documents_equal_zarr_pythons(zarr_format: int) -> None:
    # zarr-python leaves an empty inline block on each member group's entry; zarrnb writes it too
    theirs, ours = zarr.storage.MemoryStore(), MemoryStore()
    _build_with_zarr(theirs, zarr_format)
    _build_with_zarrnb(ours, zarr_format)
    key = "zarr.json" if zarr_format == 3 else ".zmetadata"
    mine = json.loads(asyncio.run(ours.get(key, zarrnb_prototype())).to_bytes())
    reference = json.loads(theirs._store_dict[key].to_bytes())
    for document in (mine, reference):
        document.get("attributes", {}).pop("title", None)  # the one planned difference
        document.get("metadata", {}).get(".zattrs", {}).pop("title", None)
    assert mine == reference
