"""The top-level API: exports, entry points, defaults that doctests print, errors users know."""

from __future__ import annotations

import asyncio
import inspect
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import zarr

import zarrnb
from zarrnb.api import asynchronous, synchronous
from zarrnb.errors import ArrayNotFoundError, ContainsArrayError, ContainsGroupError, GroupNotFoundError
from zarrnb.storage import MemoryStore

PUBLIC = [
    "open", "open_group", "open_array", "create", "create_group", "create_array", "group", "array",
    "from_array", "consolidate_metadata", "open_consolidated", "save", "load", "tree", "config",
    "storage", "Array", "Group", "AsyncArray", "AsyncGroup", "__version__", "browse", "preview", "copy",
    "empty", "empty_like", "full", "full_like", "ones", "ones_like", "zeros", "zeros_like", "open_like",
    "save_array", "save_group", "copy_store", "print_debug_info", "create_hierarchy",
]


def test_public_names_are_exported() -> None:
    assert sorted(zarrnb.__all__) == sorted(PUBLIC)
    for name in PUBLIC:
        assert getattr(zarrnb, name) is not None, name
    assert zarrnb.config.get("default_zarr_format") == 3


def test_each_sync_function_mirrors_its_coroutine() -> None:
    for name in asynchronous.__all__:
        coroutine_function = getattr(asynchronous, name)
        blocking = getattr(synchronous, name)
        is_async = inspect.iscoroutinefunction(coroutine_function) or inspect.isasyncgenfunction(
            coroutine_function
        )
        assert is_async, name
        assert inspect.signature(blocking) == inspect.signature(coroutine_function), name
        assert blocking.__doc__ == coroutine_function.__doc__


def test_stores_render_as_html_in_notebooks() -> None:
    html = MemoryStore()._repr_html_()
    assert "MemoryStore" in html and "<script" not in html


def test_notebook_layer_loads_lazily() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        zarrnb.nothing  # noqa: B018
    assert callable(zarrnb.browse) and callable(zarrnb.preview)


def test_v2_default_compressor_per_entry_point() -> None:
    top = zarrnb.create_array(MemoryStore(), shape=(2,), dtype="i4", zarr_format=2)
    member = zarrnb.create_group(MemoryStore(), zarr_format=2).create_array("a", shape=(2,), dtype="i4")
    ref_top = zarr.create_array(zarr.storage.MemoryStore(), shape=(2,), dtype="i4", zarr_format=2)
    ref_member = zarr.create_group(zarr.storage.MemoryStore(), zarr_format=2).create_array(
        "a", shape=(2,), dtype="i4"
    )
    assert repr(top.compressors) == repr(ref_top.compressors)
    assert repr(member.compressors) == repr(ref_member.compressors)


def test_open_finds_arrays_and_groups(tmp_path: Path) -> None:
    store = str(tmp_path / "h")
    zarrnb.create_group(store)
    zarrnb.create_array(store, name="a", shape=(2,), dtype="u1")
    assert isinstance(zarrnb.open(store, mode="r"), zarrnb.Group)
    assert isinstance(zarrnb.open(store, path="a", mode="r"), zarrnb.Array)
    made = zarrnb.open(store, path="b", mode="a", shape=(3,), dtype="i2")
    assert isinstance(made, zarrnb.Array) and made.shape == (3,)


def test_errors_users_know_name_the_path(tmp_path: Path) -> None:
    store = MemoryStore()
    zarrnb.create_array(store, name="arr", shape=(1,), dtype="i1")
    zarrnb.create_group(store, path="grp")
    with pytest.raises(GroupNotFoundError, match="'nothing'") as missing:
        zarrnb.open_group(store, path="nothing", mode="r")
    assert isinstance(missing.value, FileNotFoundError)
    with pytest.raises(ArrayNotFoundError, match="nothing"):
        zarrnb.open_array(store, path="nothing")
    with pytest.raises(FileNotFoundError, match="nothing"):
        zarrnb.open(store, path="nothing", mode="r")
    with pytest.raises(ContainsArrayError, match="'arr'"):
        zarrnb.open_group(store, path="arr", mode="r")
    with pytest.raises(ContainsGroupError, match="'grp'"):
        zarrnb.open_group(store, path="grp", mode="w-")
    with pytest.raises(ContainsGroupError, match="'grp'"):
        zarrnb.create_group(store, path="grp")


def test_array_from_array_save_load(tmp_path: Path) -> None:
    data = np.arange(12, dtype="f8").reshape(3, 4)
    a = zarrnb.array(data, chunks=(2, 2))
    np.testing.assert_array_equal(a[:], data)
    copy = zarrnb.from_array(MemoryStore(), data=a)
    assert copy.chunks == (2, 2)
    v2 = zarrnb.create_array(MemoryStore(), data=data, zarr_format=2, attributes={"u": "m"}, fill_value=-1.0)
    v2_copy = zarrnb.from_array(MemoryStore(), data=v2)
    assert v2_copy.metadata.zarr_format == 2 and v2_copy.attrs["u"] == "m" and v2_copy.fill_value == -1.0
    np.testing.assert_array_equal(copy[:], data)
    zarrnb.save(str(tmp_path / "one"), data)
    np.testing.assert_array_equal(zarrnb.load(str(tmp_path / "one")), data)
    zarrnb.save(str(tmp_path / "many"), data, extra=np.ones(2))
    loaded = zarrnb.load(str(tmp_path / "many"))
    assert sorted(loaded) == ["arr_0", "extra"]
    np.testing.assert_array_equal(loaded["extra"], np.ones(2))


def test_filled_constructors_write_no_chunks() -> None:
    z = zarrnb.zeros((4, 4), chunks=(2, 2), dtype="i2")
    assert z[:].sum() == 0 and z.dtype == np.dtype("i2") and z.nchunks_initialized == 0
    assert zarrnb.ones((3,))[:].tolist() == [1.0, 1.0, 1.0]
    assert zarrnb.full((2,), 7, dtype="u1")[:].tolist() == [7, 7]
    assert zarrnb.empty((2,), dtype="f4").shape == (2,)
    like = zarrnb.full_like(zarrnb.full((5,), 3, dtype="i8", chunks=(2,)))
    assert (like.chunks, like[:].tolist()) == ((2,), [3] * 5)
    assert zarrnb.zeros_like(np.ones((2, 3), dtype="f4")).dtype == np.dtype("f4")
    assert zarrnb.ones_like(z)[:].sum() == 16 and zarrnb.empty_like(z).chunks == (2, 2)


def test_group_and_tree() -> None:
    store = MemoryStore()
    g = zarrnb.group(store, attributes={"a": 1})
    g.create_group("x")
    assert zarrnb.group(store).attrs["a"] == 1
    with pytest.warns(DeprecationWarning, match=r"Use Group\.tree instead"):
        assert repr(zarrnb.tree(g)) == "/\n└── x\n"
    assert list(zarrnb.group(store, overwrite=True).keys()) == []


def test_sync_api_inside_a_running_loop_and_threads(tmp_path: Path) -> None:
    async def notebook_cell() -> list[str]:
        g = zarrnb.open_group(str(tmp_path / "nb"), mode="w")
        g.create_array("x", shape=(2,), dtype="i1")[:] = [1, 2]
        return sorted(zarrnb.open_group(str(tmp_path / "nb"), mode="r").keys())

    assert asyncio.run(notebook_cell()) == ["x"]
    root = zarrnb.open_group(str(tmp_path / "threads"), mode="w")

    def work(i: int) -> int:
        arr = root.create_array(f"a{i}", shape=(4,), dtype="i4")
        arr[:] = i
        return int(zarrnb.open_array(str(tmp_path / "threads"), path=f"a{i}", mode="r")[:].sum())

    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(work, range(12))) == [4 * i for i in range(12)]
    assert len(root) == 12
    assert threading.active_count() < 50


@pytest.mark.s3
def test_mode_w_at_a_bucket_root_clears_contents_not_the_bucket(s3_bucket: str) -> None:
    url = f"s3://{s3_bucket}"
    zarrnb.open_group(url, mode="w").create_array("old", shape=(2,), dtype="i1")
    fresh = zarrnb.open_group(url, mode="w")
    assert list(fresh.keys()) == []
    again = zarrnb.open_group(url, mode="r")
    assert list(again.keys()) == []
    again_created = zarrnb.open_group(url, mode="a")
    again_created.create_group("still-works")
    assert list(zarrnb.open_group(url, mode="r").keys()) == ["still-works"]
