"""AsyncGroup: create and open in both formats, members, nested paths, deletes, attributes, tree, info."""

from __future__ import annotations

import asyncio
import json

import numpy as np
import pytest

from zarrnb.abc.store import Store
from zarrnb.core.array import AsyncArray
from zarrnb.core.buffer import default_buffer_prototype
from zarrnb.core.group import AsyncGroup
from zarrnb.errors import ContainsArrayError, ContainsGroupError, GroupNotFoundError, ReadOnlyError
from zarrnb.storage import MemoryStore, StorePath

run = asyncio.run


def _root(zarr_format: int = 3, **kwargs) -> AsyncGroup:
    return run(AsyncGroup.create(StorePath(MemoryStore()), zarr_format=zarr_format, **kwargs))


async def _keys(store) -> list[str]:
    return sorted([k async for k in store.list()])


async def _names(group: AsyncGroup, max_depth=0) -> list[str]:
    return [name async for name, _ in group.members(max_depth=max_depth)]


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_create_then_open_detects_the_format(zarr_format: int) -> None:
    group = _root(zarr_format, attributes={"title": "t"})
    opened = run(AsyncGroup.open(group.store_path))
    assert opened.zarr_format == zarr_format
    assert opened.attrs == {"title": "t"}
    expected = ["zarr.json"] if zarr_format == 3 else [".zattrs", ".zgroup"]
    assert run(_keys(group.store)) == expected


def test_names_and_paths() -> None:
    root = _root()
    deep = run(run(root.create_group("a")).create_group("b"))
    assert (root.name, root.path, root.basename) == ("/", "", "")
    assert (deep.name, deep.path, deep.basename) == ("/a/b", "a/b", "b")
    assert deep.store is root.store and not deep.read_only


def test_nested_create_writes_parent_groups() -> None:
    store = MemoryStore()
    run(AsyncGroup.create(StorePath(store, "x/y"), zarr_format=3))
    assert run(_keys(store)) == ["x/y/zarr.json", "x/zarr.json", "zarr.json"]


def test_nested_getitem_and_contains() -> None:
    root = _root()
    a = run(root.create_group("a"))
    b = run(a.create_group("b"))
    run(b.create_array("c", shape=(3,), dtype="i4"))
    node = run(root.getitem("a/b/c"))
    assert isinstance(node, AsyncArray) and node.path == "a/b/c"
    assert isinstance(run(root.getitem("a/b")), AsyncGroup)
    assert run(root.contains("a/b/c")) and not run(root.contains("a/x"))
    with pytest.raises(KeyError, match="a/missing"):
        run(root.getitem("a/missing"))


def test_members_keys_arrays_groups() -> None:
    root = _root()
    run(root.create_array("arr", shape=(2,), dtype="u1"))
    sub = run(root.create_group("sub"))
    run(sub.create_array("inner", shape=(2,), dtype="u1"))

    async def listing():
        return (
            sorted(await _names(root)),
            sorted(await _names(root, max_depth=None)),
            sorted([n async for n in root.array_keys()]),
            sorted([n async for n in root.group_keys()]),
            await root.nmembers(),
        )

    direct, everything, arrays, groups, count = run(listing())
    assert direct == ["arr", "sub"]
    assert everything == ["arr", "sub", "sub/inner"]
    assert arrays == ["arr"] and groups == ["sub"] and count == 2


def test_members_skip_keys_that_are_not_nodes() -> None:
    root = _root()
    run(root.store.set("stray/file.txt", default_buffer_prototype().buffer.from_bytes(b"x")))
    run(root.create_group("real"))
    with pytest.warns(UserWarning, match="Object at stray is not recognized"):  # as zarr-python warns
        assert run(_names(root)) == ["real"]


class RemoteLikeStore(MemoryStore):
    """Reads take a while and batches run concurrently, as on remote stores; counts reads in flight."""

    delay = 0.0
    batches = 0
    in_flight = 0
    peak = 0

    async def get(self, key, prototype, byte_range=None):
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            return await super().get(key, prototype, byte_range)
        finally:
            self.in_flight -= 1

    async def get_partial_values(self, prototype, key_ranges):
        self.batches += 1
        return await Store.get_partial_values(self, prototype, key_ranges)


def test_members_opens_children_concurrently() -> None:
    """Listing 40 members is one batched request with all 40 reads in flight together."""
    store = RemoteLikeStore()
    root = run(AsyncGroup.create(StorePath(store), zarr_format=3))
    for i in range(40):
        run(root.create_group(f"g{i}"))
    store.delay, store.batches, store.peak = 0.01, 0, 0
    names = run(_names(root))
    assert len(names) == 40
    assert store.batches == 1
    assert store.peak == 40


def test_deep_listings_read_a_level_at_a_time() -> None:
    """The children of ten subgroups are read together: the walk costs per level, not per group."""
    store = RemoteLikeStore()
    root = run(AsyncGroup.create(StorePath(store), zarr_format=3))
    for i in range(10):
        sub = run(root.create_group(f"g{i}"))
        for j in range(3):
            run(sub.create_group(f"s{j}"))
    store.delay, store.peak = 0.01, 0
    names = run(_names(root, max_depth=None))
    assert len(names) == 40
    assert names.index("g3") < names.index("g3/s0")  # parents before their children
    assert store.peak == 30  # one group at a time would keep only 3 reads in flight


def test_delitem_removes_the_whole_subtree_only() -> None:
    root = _root()
    sub = run(root.create_group("sub"))
    arr = run(sub.create_array("deep", shape=(4,), dtype="i4", chunks=(2,)))
    run(arr.setitem(Ellipsis, np.arange(4, dtype="i4")))
    run(root.create_group("subway"))  # shares the prefix 'sub' but is not below it
    run(root.delitem("sub"))
    assert run(_keys(root.store)) == ["subway/zarr.json", "zarr.json"]
    with pytest.raises(KeyError):
        run(root.delitem("sub"))


def test_create_refuses_existing_nodes_naming_the_path() -> None:
    root = _root()
    run(root.create_group("g"))
    run(root.create_array("a", shape=(1,), dtype="i1"))
    with pytest.raises(ContainsGroupError, match="'g'"):
        run(root.create_group("g"))
    with pytest.raises(ContainsArrayError, match="'a'"):
        run(root.create_group("a"))
    replaced = run(root.create_group("a", overwrite=True, attributes={"new": 1}))
    assert replaced.attrs == {"new": 1}
    assert isinstance(run(root.getitem("a")), AsyncGroup)


def test_open_errors_name_the_path() -> None:
    root = _root()
    run(root.create_array("a", shape=(1,), dtype="i1"))
    with pytest.raises(GroupNotFoundError, match="'nothing'") as info:
        run(AsyncGroup.open(root.store_path / "nothing"))
    assert isinstance(info.value, FileNotFoundError)
    with pytest.raises(ContainsArrayError, match="'a'"):
        run(AsyncGroup.open(root.store_path / "a"))


def test_require_group_and_array() -> None:
    root = _root()
    first = run(root.require_group("g"))
    again = run(root.require_group("g"))
    assert first == again
    made = run(root.require_groups("x", "y"))
    assert [g.path for g in made] == ["x", "y"]
    arr = run(root.require_array("arr", shape=(3,), dtype="i4"))
    assert run(root.require_array("arr", shape=(3,), dtype="i4")).path == arr.path
    with pytest.raises(TypeError, match="shape"):
        run(root.require_array("arr", shape=(4,), dtype="i4"))
    with pytest.raises(TypeError, match="dtype"):
        run(root.require_array("arr", shape=(3,), dtype="i2", exact=True))
    with pytest.raises(TypeError, match="array"):
        run(root.require_group("arr"))
    with pytest.raises(TypeError, match="group"):
        run(root.require_array("g", shape=(3,), dtype="i4"))


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_attributes_persist_and_are_validated(zarr_format: int) -> None:
    root = _root(zarr_format, attributes={"a": 1})
    run(root.update_attributes({"b": [1, 2]}))
    assert run(AsyncGroup.open(root.store_path)).attrs == {"a": 1, "b": [1, 2]}
    run(root.set_attributes({"c": "only"}))
    assert run(AsyncGroup.open(root.store_path)).attrs == {"c": "only"}
    with pytest.raises(TypeError, match="'bad'"):
        run(root.update_attributes({"bad": object()}))
    assert run(AsyncGroup.open(root.store_path)).attrs == {"c": "only"}


def test_read_only_group_refuses_writes_before_touching_anything() -> None:
    store = MemoryStore()
    run(AsyncGroup.create(StorePath(store), zarr_format=3))
    before = run(_keys(store))
    group = run(AsyncGroup.open(StorePath(store.with_read_only(True))))
    assert group.read_only
    for attempt in (
        group.create_group("x"),
        group.create_array("y", shape=(1,), dtype="i1"),
        group.update_attributes({"k": 1}),
        group.delitem("x"),
    ):
        with pytest.raises(ReadOnlyError):
            run(attempt)
    assert run(_keys(store)) == before


def test_tree_is_sorted_plain_text() -> None:
    root = _root()
    run(root.create_group("zeta"))
    sub = run(root.create_group("alpha"))
    run(sub.create_array("b", shape=(2, 2), dtype="f8"))
    run(sub.create_array("a", shape=(3,), dtype="i4"))
    text = repr(run(root.tree()))
    assert text == (
        "/\n"
        "├── alpha\n"
        "│   ├── a (3,) int32\n"
        "│   └── b (2, 2) float64\n"
        "└── zeta\n"
    )
    # level counts the levels below the immediate children, as zarr-python's max_depth does
    assert repr(run(root.tree(level=0))) == "/\n├── alpha\n└── zeta\n"
    assert repr(run(root.tree(level=1))) == text


def test_tree_bold_html_truncation_and_expand() -> None:
    root = _root()
    run(root.create_group("<img src=x>"))
    for name in ("c", "d", "e"):
        run(root.create_group(name))
    tree = run(root.tree())
    bundle = tree._repr_mimebundle_()
    assert "<b>&lt;img src=x&gt;</b>" in bundle["text/html"]  # bold names, escaped
    assert bundle["text/plain"] == repr(tree)
    assert "<b>" not in run(root.tree(plain=True))._repr_mimebundle_()["text/html"]
    cut = repr(run(root.tree(max_nodes=2, plain=True)))
    assert cut.startswith("Truncated at max_nodes=2")
    assert sum("── " in line for line in cut.splitlines()) == 2
    with pytest.raises(NotImplementedError, match="expand"):
        run(root.tree(expand=True))


def test_tree_bold_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    root = _root()
    run(root.create_group("g"))
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert repr(run(root.tree())) == "\x1b[1m/\x1b[0m\n└── \x1b[1mg\x1b[0m\n"
    assert repr(run(root.tree(plain=True))) == "/\n└── g\n"


def test_info_and_info_complete() -> None:
    root = _root()
    run(root.create_array("a", shape=(1,), dtype="i1"))
    run(run(root.create_group("g")).create_array("b", shape=(1,), dtype="i1"))
    assert "No. members" not in repr(root.info)
    complete = repr(run(root.info_complete()))
    assert "No. members : 3" in complete
    assert "No. arrays  : 2" in complete
    assert "No. groups  : 1" in complete
    assert "Store type  : MemoryStore" in complete


def test_v2_group_documents_match_the_spec() -> None:
    root = _root(2, attributes={"x": 1})
    zgroup = run(root.store.get(".zgroup", default_buffer_prototype()))
    assert json.loads(zgroup.to_bytes()) == {"zarr_format": 2}


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_hierarchies_interoperate_with_zarr_python(tmp_path, zarr_format: int) -> None:
    import zarr

    import zarrnb

    theirs = zarr.create_group(str(tmp_path / "theirs"), zarr_format=zarr_format, attributes={"by": "zarr"})
    deep = theirs.create_group("a").create_group("b", attributes={"deep": True})
    deep.create_array("c", shape=(2,), dtype="i2")
    ours = zarrnb.open_group(str(tmp_path / "theirs"), mode="r")
    assert ours.zarr_format == zarr_format and ours.attrs["by"] == "zarr"
    assert sorted(n for n, _ in ours.members(max_depth=None)) == ["a", "a/b", "a/b/c"]
    assert ours["a/b"].attrs["deep"] is True and ours["a/b/c"].shape == (2,)

    mine = zarrnb.create_group(str(tmp_path / "ours"), zarr_format=zarr_format, attributes={"by": "zarrnb"})
    mine.create_group("x").create_group("y", attributes={"n": 1}).create_array("z", shape=(3,), dtype="f4")
    del mine["x/y/z"]
    mine["x/y"].create_array("w", shape=(1,), dtype="u1")
    reread = zarr.open_group(str(tmp_path / "ours"), mode="r")
    assert reread.attrs["by"] == "zarrnb"
    assert sorted(n for n, _ in reread.members(max_depth=None)) == ["x", "x/y", "x/y/w"]
    assert reread["x/y"].attrs["n"] == 1


def test_info_name_is_the_path_as_zarr_python_prints_it() -> None:
    root = _root()
    nested = run(run(root.create_group("a")).create_group("b"))
    assert repr(nested.info).splitlines()[0] == "Name        : a/b"
    assert repr(root.info).splitlines()[0] == "Name        : "


def test_from_dict_and_open_from_a_store_like() -> None:
    from zarrnb.metadata import GroupMetadata

    store = MemoryStore()
    document = {"zarr_format": 3, "node_type": "group", "attributes": {"a": 1}}
    v3 = AsyncGroup.from_dict(StorePath(store, "g"), document)
    assert v3.metadata == GroupMetadata(zarr_format=3, attributes={"a": 1})
    v2 = AsyncGroup.from_dict(StorePath(store, "g"), {"zarr_format": 2, "attributes": {"b": 2}})
    assert (v2.zarr_format, v2.attrs) == (2, {"b": 2})
    run(AsyncGroup.create(StorePath(store), attributes={"k": "v"}))
    assert run(AsyncGroup.open(store=store)).attrs == {"k": "v"}  # a store, not only a StorePath


def test_use_consolidated_false_drops_the_inline_listing() -> None:
    root = _root(3)
    run(root.create_group("g"))
    run(root.consolidate())
    plain = run(AsyncGroup.open(root.store_path, use_consolidated=False))
    assert plain.metadata.consolidated_metadata is None and plain.consolidated_metadata is None
    with pytest.raises(ValueError, match="Consolidated metadata requested"):
        run(AsyncGroup.open(StorePath(root.store, "g"), use_consolidated=True))


def test_create_dataset_is_deprecated_and_writes_data() -> None:
    from zarrnb.errors import ZarrDeprecationWarning

    root = _root(2)
    with pytest.warns(ZarrDeprecationWarning, match=r"AsyncGroup\.create_array instead"):
        made = run(root.create_dataset("d", shape=(3,), data=np.arange(3, dtype="i8")))
    assert made.dtype == np.dtype("i8")
    np.testing.assert_array_equal(run(made.getitem(Ellipsis)), np.arange(3))
    assert run(root.getitem("d")) == made  # arrays compare by store path and metadata


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_move_a_member_with_everything_below_it(zarr_format: int) -> None:
    root = _root(zarr_format)
    sub = run(root.create_group("a", attributes={"k": 1}))
    arr = run(sub.create_array("x", shape=(4,), chunks=(2,), dtype="i2"))
    run(arr.setitem(Ellipsis, np.arange(4, dtype="i2")))
    run(root.move("a", "b/c"))
    assert not run(root.contains("a"))
    assert run(root.getitem("b/c")).attrs == {"k": 1}
    np.testing.assert_array_equal(run(run(root.getitem("b/c/x")).getitem(Ellipsis)), np.arange(4))
    assert isinstance(run(root.getitem("b")), AsyncGroup)  # the new parent is a group
    with pytest.raises(KeyError):
        run(root.move("nope", "z"))
    run(root.create_group("taken"))
    with pytest.raises(ContainsGroupError):
        run(root.move("b", "taken"))
    with pytest.raises(ValueError, match="into itself"):
        run(root.move("b", "b/inner"))


def test_get_setitem_values_and_members_without_consolidated_children() -> None:
    root = _root(3)
    run(root.setitem("data", np.arange(3)))
    assert run(root.get("data")).shape == (3,)
    assert run(root.get("missing", "default")) == "default"
    sub = run(root.create_group("sub"))
    run(sub.create_group("inner"))
    run(sub.consolidate())
    document = json.dumps({"zarr_format": 3, "node_type": "group", "attributes": {}}).encode()
    # a group written behind the back of sub's consolidated listing
    run(root.store.set("sub/late/zarr.json", default_buffer_prototype().buffer.from_bytes(document)))
    names = run(_names(root, max_depth=None))
    assert "sub/late" not in names  # sub's inline listing is used by default
    fresh = [n for n, _ in run(_collect_members(root, use_consolidated_for_children=False))]
    assert "sub/late" in fresh
    assert [a.path for a in run(_values(root.array_values()))] == ["data"]
    assert [g.path for g in run(_values(root.group_values()))] == ["sub"]
    assert root.synchronizer is None


async def _collect_members(group: AsyncGroup, **kwargs) -> list:
    return [item async for item in group.members(max_depth=None, **kwargs)]


async def _values(iterator) -> list:
    return [item async for item in iterator]
