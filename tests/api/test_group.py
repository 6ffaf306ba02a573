"""The sync Group: mapping behaviour, members, creation helpers, attrs, info, reprs."""

from __future__ import annotations

import numpy as np
import pytest

import zarrnb
from zarrnb.api.group import Group
from zarrnb.storage import MemoryStore


@pytest.fixture
def root() -> Group:
    g = zarrnb.create_group(MemoryStore(), attributes={"title": "t"})
    g.create_array("arr", shape=(3,), dtype="i2")
    sub = g.create_group("sub")
    sub.create_array("deep", shape=(2, 2), dtype="f4")
    return g


def test_mapping_protocol(root: Group) -> None:
    assert sorted(root) == ["arr", "sub"]
    assert len(root) == 2 and root.nmembers() == 2 and root.nmembers(max_depth=None) == 3
    assert "sub/deep" in root and "nope" not in root and 3 not in root
    assert isinstance(root["sub"], Group)
    assert isinstance(root["sub/deep"], zarrnb.Array)
    assert root.get("nope") is None
    with pytest.raises(KeyError, match="nope"):
        root["nope"]


def test_member_listings(root: Group) -> None:
    assert sorted(n for n, _ in root.members(max_depth=None)) == ["arr", "sub", "sub/deep"]
    assert list(root.array_keys()) == ["arr"]
    assert list(root.group_keys()) == ["sub"]
    assert [type(v).__name__ for _, v in root.arrays()] == ["Array"]
    assert [type(v).__name__ for _, v in root.groups()] == ["Group"]
    assert sorted(root.keys()) == ["arr", "sub"]


def test_setitem_and_delitem(root: Group) -> None:
    root["data"] = np.arange(5)
    np.testing.assert_array_equal(root["data"][:], np.arange(5))
    del root["sub"]
    assert sorted(root) == ["arr", "data"]
    with pytest.raises(KeyError):
        del root["sub"]


def test_require_helpers_return_sync_nodes(root: Group) -> None:
    assert root.require_group("sub") == root["sub"]
    a, b = root.require_groups("x", "y")
    assert isinstance(a, Group) and b.path == "y"
    assert isinstance(root.require_array("arr", shape=(3,), dtype="i2"), zarrnb.Array)


def test_attrs_persist(root: Group) -> None:
    root.attrs["new"] = [1, 2]
    del root.attrs["title"]
    again = zarrnb.open_group(root.store, mode="r")
    assert again.attrs.asdict() == {"new": [1, 2]}
    root.update_attributes({"more": True})
    assert zarrnb.open_group(root.store, mode="r").attrs["more"] is True


def test_info_tree_and_reprs(root: Group) -> None:
    assert repr(root.info).splitlines()[0] == "Name        : "
    assert "No. members : 3" in repr(root.info_complete())
    assert repr(root.tree()) == "/\n├── arr (3,) int16\n└── sub\n    └── deep (2, 2) float32\n"
    assert repr(root).startswith("<Group memory://") and repr(root["sub"]).endswith("/sub>")
    html = root._repr_html_()
    assert "deep" in html and "<script" not in html
    assert "<table" in root.info._repr_html_()


def test_group_create_array_v2_defaults_to_blosc() -> None:
    g = zarrnb.create_group(MemoryStore(), zarr_format=2)
    arr = g.create_array("a", shape=(4,), dtype="i4")
    assert "Blosc(cname='lz4', clevel=5, shuffle=SHUFFLE, blocksize=0)" in repr(arr.info)


def test_group_pickles_with_a_local_store(tmp_path) -> None:
    import pickle

    g = zarrnb.create_group(str(tmp_path), attributes={"k": "v"})
    g.create_group("child")
    clone = pickle.loads(pickle.dumps(g))
    assert clone == g and sorted(clone) == ["child"] and clone.attrs["k"] == "v"


def test_creation_shorthands_and_classmethods(tmp_path) -> None:
    g = Group.from_store(str(tmp_path), attributes={"a": 1})
    assert g.zeros(name="z", shape=(2,), dtype="i4")[:].tolist() == [0, 0]
    assert g.ones(name="o", shape=(2,), dtype="i4")[:].tolist() == [1, 1]
    assert g.full(name="f", shape=(2,), fill_value=7, dtype="i4")[:].tolist() == [7, 7]
    assert g.empty(name="e", shape=(2,), dtype="i4").shape == (2,)
    assert g.create("c", shape=(1,), dtype="u1").path == "c"
    reopened = Group.open(str(tmp_path))
    assert reopened.attrs["a"] == 1
    assert sorted(a.basename for a in reopened.array_values()) == ["c", "e", "f", "o", "z"]
    assert list(reopened.group_values()) == []
    assert zarrnb.Array.open(f"{tmp_path}/z").shape == (2,)


def test_deprecated_dataset_spellings_warn_and_create(root: Group) -> None:
    from zarrnb.errors import ContainsArrayError, ZarrDeprecationWarning, ZarrUserWarning

    data = np.arange(6, dtype="u2").reshape(2, 3)
    with pytest.warns(ZarrDeprecationWarning, match=r"Group\.create_array instead"):
        made = root.create_dataset("ds", data=data, shape=data.shape)  # dtype from data, as zarr 2
    np.testing.assert_array_equal(made[:], data)
    with pytest.warns(ZarrDeprecationWarning, match=r"Group\.require_array instead"):
        assert root.require_dataset("ds", shape=(2, 3), dtype="u2") == made
    with (
        pytest.warns(ZarrDeprecationWarning, match=r"Group\.create_array instead"),
        pytest.warns(ZarrUserWarning, match="`compressor` argument is deprecated"),
    ):
        arr = root.array("a2", data=data, shape=data.shape, dtype=data.dtype)
    assert arr.compressors == ()  # zarr-python's Group.array default: no compression
    with (
        pytest.raises(ContainsArrayError),
        pytest.warns(ZarrDeprecationWarning),
    ):
        root.create_dataset("ds", shape=(1,), dtype="u2")


def test_require_array_errors_name_the_mismatch(root: Group) -> None:
    with pytest.raises(TypeError, match=r"Incompatible shape \(\(3,\) vs \(4,\)\)"):
        root.require_array("arr", shape=(4,), dtype="i2")
    with pytest.raises(TypeError, match="Incompatible dtype"):
        root.require_array("arr", shape=(3,), dtype="i1")
    with pytest.raises(TypeError, match="Incompatible object"):
        root.require_array("sub", shape=(3,), dtype="i2")


@pytest.mark.parametrize("method", ["empty_like", "zeros_like", "ones_like", "full_like"])
def test_like_methods_take_shape_chunks_dtype_and_fill(root: Group, method: str) -> None:
    source = zarrnb.full(shape=(5, 4), chunks=(5, 2), fill_value=7, dtype="i4", store=MemoryStore())
    made = getattr(root, method)(name=f"made_{method}", data=source)
    assert (made.shape, made.chunks, made.dtype) == ((5, 4), (5, 2), np.dtype("i4"))
    expected = {"empty_like": 7, "zeros_like": 0, "ones_like": 1, "full_like": 7}[method]
    assert (made[:] == expected).all()
    assert made.path == f"made_{method}"


def test_shorthands_default_to_float64_and_attrs_async(root: Group) -> None:
    import asyncio

    assert root.empty(name="e", shape=(2,)).dtype == np.float64
    assert (root.full(name="f", shape=(2,), fill_value=3)[:] == 3).all()
    replaced = asyncio.run(root.update_attributes_async({"only": 1}))
    assert replaced.attrs == {"only": 1}
    assert zarrnb.open_group(root.store, mode="r").attrs == {"only": 1}


def test_members_warn_about_keys_that_are_not_nodes(root: Group) -> None:
    import asyncio

    from zarrnb.core.buffer import Buffer
    from zarrnb.errors import ZarrUserWarning

    asyncio.run(root.store.set("stray/object", Buffer.from_bytes(b"x")))
    with pytest.warns(ZarrUserWarning, match="Object at stray is not recognized"):
        assert sorted(root.keys()) == ["arr", "sub"]


def test_sync_move_and_zarr_python_parameter_names(root: Group) -> None:
    import inspect

    root.move("sub", "moved/sub")
    assert "sub" not in root and root["moved/sub/deep"].shape == (2, 2)
    assert root.get(path="moved/sub") is not None and root.synchronizer is None
    assert "use_consolidated_for_children" in inspect.signature(Group.members).parameters
    assert list(inspect.signature(Group.__getitem__).parameters) == ["self", "path"]
