"""``zarr.api.{asynchronous,synchronous}.copy``/``copy_all``: nodes copied between groups, with counts."""

from __future__ import annotations

import numpy as np
import pytest

import zarrnb
from zarrnb.api import synchronous
from zarrnb.errors import ContainsArrayError
from zarrnb.storage import MemoryStore


def _source() -> zarrnb.Group:
    root = zarrnb.create_group(MemoryStore())
    root.create_array("a", data=np.arange(10, dtype="i4"), chunks=(5,))
    sub = root.create_group("sub", attributes={"k": 1})
    sub.create_array("b", data=np.ones((4, 4), dtype="f8"), chunks=(2, 2))
    return root


def test_copy_array_and_group_into_another_store() -> None:
    source = _source()
    dest = zarrnb.create_group(MemoryStore())
    copied, skipped, nbytes = synchronous.copy(source["a"], dest)
    assert (copied, skipped) == (1, 0) and nbytes > 0  # the stored (compressed) chunk bytes
    copied, skipped, nbytes = synchronous.copy(source["sub"], dest, name="renamed")
    assert (copied, skipped) == (2, 0) and nbytes > 0
    np.testing.assert_array_equal(dest["a"][:], np.arange(10))
    np.testing.assert_array_equal(dest["renamed/b"][:], np.ones((4, 4)))
    assert dest["renamed"].attrs["k"] == 1


def test_copy_if_exists_and_dry_run() -> None:
    source = _source()
    dest = zarrnb.create_group(MemoryStore())
    assert synchronous.copy(source["a"], dest, dry_run=True) == (1, 0, 0)
    assert "a" not in dest
    synchronous.copy(source["a"], dest)
    with pytest.raises(ContainsArrayError, match="'a'"):
        synchronous.copy(source["a"], dest)
    lines: list[str] = []
    assert synchronous.copy(source["a"], dest, if_exists="skip", log=lines.append) == (0, 1, 0)
    assert lines and "skip" in lines[0]
    dest["a"][:] = 0
    synchronous.copy(source["a"], dest, if_exists="replace")
    np.testing.assert_array_equal(dest["a"][:], np.arange(10))
    with pytest.raises(ValueError, match="if_exists"):
        synchronous.copy(source["a"], dest, if_exists="merge")


def test_copy_all_members_and_bad_input() -> None:
    source = _source()
    dest = zarrnb.create_group(MemoryStore())
    copied, skipped, _ = synchronous.copy_all(source, dest)
    assert (copied, skipped) == (3, 0)
    assert sorted(dest.keys()) == ["a", "sub"]
    assert synchronous.copy_all(source, dest, if_exists="skip")[:2] == (0, 2)
    with pytest.raises(TypeError, match="dest must be a group"):
        synchronous.copy(source["a"], source["sub/b"])
    v2 = zarrnb.create_group(MemoryStore(), zarr_format=2)
    with pytest.raises(ValueError, match="format 3 node into the format 2 group"):
        synchronous.copy(source["a"], v2)


def test_create_hierarchy_is_listed_like_zarr_python() -> None:
    zarr_sync = pytest.importorskip("zarr.api.synchronous")
    assert sorted(synchronous.__all__) == sorted(zarr_sync.__all__)
