"""Summaries of real zarrnb arrays and groups (zarrnb/display/summary.py): bounded, metadata only."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import numpy as np
import pytest
import zarr

import zarrnb.config as zarrnb_config
from zarrnb.abc.store import Store
from zarrnb.core.array import AsyncArray
from zarrnb.core.buffer import Buffer
from zarrnb.core.group import AsyncGroup
from zarrnb.display import (
    ArraySummary,
    GroupSummary,
    UnreadableSummary,
    render_array_html,
    render_group_html,
    summarize_array,
    summarize_group,
)
from zarrnb.storage import MemoryStore, StorePath, WrapperStore

from .html_checks import check_repr_html, shown_text

METADATA_NAMES = ("zarr.json", ".zarray", ".zgroup", ".zattrs", ".zmetadata")


class CountingStore(WrapperStore[MemoryStore]):
    """Records every key read and every listing, to prove what rendering touches."""

    def __init__(self, store: MemoryStore | None = None) -> None:
        super().__init__(store if store is not None else MemoryStore())
        self.reads: list[str] = []
        self.listings: list[str] = []

    @property
    def documents(self) -> dict[str, Any]:
        """The wrapped store's dict, for writing many metadata documents quickly."""
        return self._store._store_dict

    async def get(self, key: str, prototype: Any, byte_range: Any = None) -> Any:
        self.reads.append(key)
        return await super().get(key, prototype, byte_range)

    async def exists(self, key: str) -> bool:
        self.reads.append(key)
        return await super().exists(key)

    async def getsize(self, key: str) -> int:
        self.reads.append(key)
        return await super().getsize(key)

    async def list_prefix(self, prefix: str):
        self.listings.append(prefix)
        async for key in super().list_prefix(prefix):
            yield key

    async def list_dir(self, prefix: str):
        self.listings.append(prefix)
        async for key in super().list_dir(prefix):
            yield key

    def forget(self) -> None:
        self.reads.clear()
        self.listings.clear()


def run(coroutine):
    return asyncio.run(coroutine)


async def new_group(zarr_format: int = 3, store: Store | None = None) -> AsyncGroup:
    return await AsyncGroup.create(StorePath(store or MemoryStore(), ""), zarr_format=zarr_format)


def test_array_summary_holds_the_metadata_fields() -> None:
    async def main() -> tuple[AsyncArray, ArraySummary]:
        group = await new_group()
        array = await group.create_array(
            "temp", shape=(100, 200), chunks=(10, 20), shards=(50, 100), dtype="f4",
            dimension_names=["y", "x"], fill_value=np.nan, attributes={"units": "K"},
        )
        return array, summarize_array(array)

    array, s = run(main())
    reference = zarr.create_array(store={}, shape=(100, 200), chunks=(10, 20), shards=(50, 100), dtype="f4")
    assert (s.name, s.basename, s.store_url) == ("/temp", "temp", str(array.store_path))
    assert (s.shape, s.chunks, s.shards, s.dtype) == ((100, 200), (10, 20), (50, 100), "float32")
    assert (s.fill_value, s.order, s.zarr_format, s.itemsize) == ("nan", "C", 3, 4)
    assert s.dimension_names == ("y", "x") and s.attributes == {"units": "K"}
    assert s.serializer == repr(reference.serializer)
    assert s.compressors == tuple(map(repr, reference.compressors))
    assert s.filters == ()


def test_v2_array_summary_has_filters_and_no_serializer() -> None:
    async def main() -> ArraySummary:
        group = await new_group(zarr_format=2)
        array = await group.create_array(
            "d", shape=(10,), dtype=">f8", filters=[{"id": "delta", "dtype": ">f8"}], fill_value=0
        )
        return summarize_array(array)

    s = run(main())
    assert (s.zarr_format, s.dtype, s.serializer, s.fill_value) == (2, ">f8", None, "0.0")
    assert s.filters == ("Delta(dtype='>f8')",)
    assert len(s.compressors) == 1


@pytest.mark.parametrize(
    ("dtype", "fill_value", "expected"),
    [("<U4", "ab", "'ab'"), ("M8[s]", None, "NaT"), ("c8", 1 + 2j, "(1+2j)"), ("bool", True, "True")],
)
def test_fill_values_read_as_typed(dtype: str, fill_value: Any, expected: str) -> None:
    async def main() -> ArraySummary:
        group = await new_group()
        return summarize_array(await group.create_array("a", shape=(3,), dtype=dtype, fill_value=fill_value))

    assert run(main()).fill_value == expected


def test_rendering_an_array_does_no_io() -> None:
    store = CountingStore()

    async def main() -> str:
        group = await new_group(store=store)
        array = await group.create_array("a", shape=(40, 40), chunks=(10, 10), dtype="i4")
        await array.setitem(slice(None), np.arange(1600).reshape(40, 40))
        store.forget()
        return render_array_html(array)

    text = run(main())
    check_repr_html(text)
    assert store.reads == [] and store.listings == []


async def build_tree(store: Store) -> AsyncGroup:
    """/ with arrays t1..t12 (written), group g1 holding group g2 holding group g3 holding an array."""
    root = await new_group(store=store)
    for i in range(1, 13):
        array = await root.create_array(f"t{i}", shape=(8,), chunks=(4,), dtype="i2")
        await array.setitem(slice(None), np.arange(8))
    g3 = await (await (await root.create_group("g1")).create_group("g2")).create_group("g3")
    deep = await g3.create_array("deep", shape=(4,), chunks=(2,), dtype="u1")
    await deep.setitem(slice(None), np.arange(4))
    return root


def test_group_summary_is_bounded_by_members_and_depth_and_sorted_naturally() -> None:
    async def main() -> GroupSummary:
        return await summarize_group(await build_tree(MemoryStore()), max_members=5, max_depth=2)

    s = run(main())
    assert [m.basename for m in s.members] == ["g1", "t1", "t2", "t3", "t4"]
    assert s.more == 8
    g1 = s.members[0]
    assert isinstance(g1, GroupSummary) and [m.basename for m in g1.members] == ["g2"]
    assert g1.members[0].members is None  # below max_depth: not listed
    assert isinstance(s.members[1], ArraySummary) and s.members[1].shape == (8,)


def test_node_budget_cuts_a_wide_and_deep_listing() -> None:
    async def main() -> GroupSummary:
        root = await build_tree(MemoryStore())
        return await summarize_group(root, max_members=50, max_depth=5, max_nodes=10)

    s = run(main())
    assert len(s.members) == 10 and s.more == 3
    assert s.members[0].members is None  # the budget ran out before the second level


def test_defaults_come_from_config() -> None:
    async def main() -> GroupSummary:
        with zarrnb_config.set({"display.max_members": 2, "display.max_depth": 1}):
            return await summarize_group(await build_tree(MemoryStore()))

    s = run(main())
    assert [m.basename for m in s.members] == ["g1", "t1"] and s.more == 11
    assert s.members[0].members is None


def test_negative_bounds_are_refused() -> None:
    async def main() -> None:
        await summarize_group(await new_group(), max_members=-1)

    with pytest.raises(ValueError, match="max_members=-1"):
        run(main())


def test_summarizing_and_rendering_a_group_reads_metadata_only() -> None:
    store = CountingStore()

    async def main() -> str:
        root = await build_tree(store)
        store.forget()
        return render_group_html(await summarize_group(root, max_depth=4))

    text = run(main())
    assert "deep  uint8 (4,) chunks (2,)" in shown_text(check_repr_html(text))
    assert store.reads, "expected metadata reads"
    assert all(key.rpartition("/")[2] in METADATA_NAMES for key in store.reads), store.reads


def test_consolidated_groups_are_summarized_without_reads() -> None:
    store = CountingStore()

    async def main() -> GroupSummary:
        await (await build_tree(store)).consolidate()
        root = await AsyncGroup.open(StorePath(store, ""))
        store.forget()
        return await summarize_group(root, max_members=3, max_depth=4)

    s = run(main())
    assert store.reads == [] and store.listings == []
    assert [m.basename for m in s.members] == ["g1", "t1", "t2"] and s.more == 10
    assert s.members[0].members[0].members[0].members[0].name == "/g1/g2/g3/deep"


def test_entries_without_metadata_are_skipped() -> None:
    async def main() -> GroupSummary:
        store = MemoryStore()
        root = await new_group(store=store)
        await root.create_array("a", shape=(2,), dtype="i1")
        await store.set("stray/file.bin", Buffer.from_bytes(b"x"))
        return await summarize_group(root)

    s = run(main())
    assert [m.basename for m in s.members] == ["a"]


def test_ten_thousand_members_render_fast_and_small() -> None:
    """Measures the whole path: one listing, 50 metadata reads, rendering."""
    async def main() -> tuple[str, float, int]:
        store = CountingStore()
        root = await new_group(store=store)
        array = await root.create_array("a00000", shape=(100, 100), chunks=(10, 10), dtype="f8")
        document = store.documents["a00000/zarr.json"]
        for i in range(1, 10_000):
            store.documents[f"a{i:05d}/zarr.json"] = document
        store.forget()
        start = time.perf_counter()
        text = render_group_html(await summarize_group(root))
        elapsed = time.perf_counter() - start
        assert array.shape == (100, 100)
        return text, elapsed, len(store.reads)

    text, elapsed, reads = run(main())
    root = check_repr_html(text)
    assert "… and 9950 more" in shown_text(root)
    assert reads <= 50 * 2  # metadata of the 50 shown members only, not of 10,000
    assert len(text) < 100_000
    print(f"10,000 members: {elapsed * 1000:.0f} ms, {len(text) / 1024:.1f} KiB of HTML")


def test_wide_and_deep_hierarchy_reads_and_renders_within_the_node_budget() -> None:
    """30 groups of 30 groups of 30 arrays: the node budget (10 × 30) bounds reads and HTML."""
    async def main() -> tuple[str, float, int]:
        store = CountingStore()
        root = await new_group(store=store)
        await root.create_array("probe", shape=(6,), dtype="i4")
        array_doc = store.documents.pop("probe/zarr.json")
        group_doc = store.documents["zarr.json"]
        for i in range(30):
            store.documents[f"g{i}/zarr.json"] = group_doc
            for j in range(30):
                store.documents[f"g{i}/h{j}/zarr.json"] = group_doc
                for k in range(30):
                    store.documents[f"g{i}/h{j}/a{k}/zarr.json"] = array_doc
        store.forget()
        start = time.perf_counter()
        with zarrnb_config.set({"display.max_members": 30}):
            text = render_group_html(await summarize_group(root))
        return text, time.perf_counter() - start, len(store.reads)

    text, elapsed, reads = run(main())
    root = check_repr_html(text)
    assert reads <= 300
    assert "members not listed (display bounds)" in shown_text(root)
    assert len(text) < 300_000
    print(f"30 x 30 x 30 nodes: {elapsed * 1000:.0f} ms")


def test_a_deep_chain_is_cut_at_max_depth() -> None:
    async def main() -> GroupSummary:
        root = node = await new_group()
        for i in range(40):
            node = await node.create_group(f"level{i}")
        return await summarize_group(root, max_depth=3)

    s = run(main())
    depth, node = 0, s
    while node.members:
        (node,) = node.members
        depth += 1
    assert depth == 3 and node.members is None and node.name == "/level0/level1/level2"


def test_a_corrupt_member_is_shown_as_unreadable_and_the_rest_still_listed() -> None:
    async def main() -> GroupSummary:
        store = MemoryStore()
        root = await new_group(store=store)
        await root.create_array("good", shape=(2,), dtype="i1")
        await store.set("bad/zarr.json", Buffer.from_bytes(b"{not json"))
        return await summarize_group(root)

    s = run(main())
    bad, good = s.members
    assert isinstance(bad, UnreadableSummary) and bad.name == "/bad" and "bad/zarr.json" in bad.error
    assert isinstance(good, ArraySummary)
    text = shown_text(check_repr_html(render_group_html(s)))
    assert "bad " + bad.error in text


class UnlistableStore(WrapperStore[MemoryStore]):
    """A store whose listing is refused, as on a bucket without list permission."""

    async def list_dir(self, prefix: str):
        raise PermissionError(f"listing {prefix!r} is not allowed")
        yield  # unreachable: it makes this an async generator, like the method it replaces


def test_a_store_that_refuses_listing_still_renders() -> None:
    async def main() -> GroupSummary:
        store = UnlistableStore(MemoryStore())
        root = await new_group(store=store)
        await root.create_array("a", shape=(2,), dtype="i1")
        return await summarize_group(root)

    s = run(main())
    assert s.members is None
    assert s.error == "members could not be listed: PermissionError: listing '' is not allowed"
    assert s.error in shown_text(check_repr_html(render_group_html(s)))


def test_consolidation_is_reported() -> None:
    async def main() -> tuple[GroupSummary, GroupSummary]:
        store = MemoryStore()
        root = await build_tree(store)
        plain = await summarize_group(root, max_depth=0)
        await root.consolidate()
        reopened = await AsyncGroup.open(StorePath(store, ""))
        return plain, await summarize_group(reopened, max_depth=0)

    plain, consolidated = run(main())
    assert (plain.consolidated, consolidated.consolidated) == (False, True)
    assert plain.members is None and plain.more == 0  # max_depth=0 lists nothing


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_hierarchies_written_by_zarr_python_summarize_like_its_own_view(tmp_path, zarr_format: int) -> None:
    """zarr-python writes (and consolidates) the hierarchy; zarrnb's summary matches its members."""
    from zarrnb.storage import LocalStore

    reference = zarr.open_group(tmp_path / "ref.zarr", mode="w", zarr_format=zarr_format)
    reference.attrs["title"] = "from zarr-python"
    reference.create_array("temp", shape=(20, 30), chunks=(5, 10), dtype="<f8")
    inner = reference.create_group("inner")
    inner.create_array("codes", shape=(7,), chunks=(7,), dtype="u2", fill_value=3)
    with pytest.warns(UserWarning) if zarr_format == 3 else contextlib.nullcontext():
        zarr.consolidate_metadata(reference.store)

    async def main() -> GroupSummary:
        root = await AsyncGroup.open(StorePath(LocalStore(tmp_path / "ref.zarr", read_only=True), ""))
        return await summarize_group(root)

    s = run(main())
    assert s.consolidated and s.read_only and s.attributes == {"title": "from zarr-python"}
    expected = {
        name: (node.shape, str(node.dtype), node.chunks)
        for name, node in reference.members(max_depth=None)
        if isinstance(node, zarr.Array)
    }
    found = {
        member.name.lstrip("/"): (member.shape, member.dtype, member.chunks)
        for member in (*s.members, *s.members[0].members)
        if isinstance(member, ArraySummary)
    }
    assert found == expected
    codes = s.members[0].members[0]
    assert codes.fill_value == "3" and codes.zarr_format == zarr_format


def test_small_coordinates_show_their_ends_and_only_those_chunks_are_read() -> None:
    store = CountingStore()

    async def main() -> GroupSummary:
        root = await new_group(store=store)
        lat = await root.create_array("lat", shape=(73,), chunks=(10,), dtype="f4", dimension_names=["lat"])
        await lat.setitem(slice(None), np.linspace(-90, 90, 73, dtype="f4"))
        names = await root.create_array("station", shape=(3,), dtype="i2", dimension_names=["station"])
        await names.setitem(slice(None), np.array([7, 8, 9]))
        await root.create_array("x", shape=(300_000,), chunks=(100_000,), dtype="f8", dimension_names=["x"])
        # data named after another dimension: not a coordinate
        await root.create_array("t", shape=(73,), dtype="f4", dimension_names=["lat"])
        store.forget()
        return await summarize_group(root)

    members = {m.basename: m for m in run(main()).members}
    assert members["lat"].preview == "-90.0 -87.5 -85.0 ... 85.0 87.5 90.0"
    assert members["station"].preview == "7 8 9"
    assert members["x"].preview is None  # 2.4 MB: too large to read for a repr
    assert members["t"].preview is None and not members["t"].is_coordinate
    data_reads = sorted(k for k in store.reads if k.rpartition("/")[2] not in METADATA_NAMES)
    assert data_reads == ["lat/c/0", "lat/c/7", "station/c/0"]
