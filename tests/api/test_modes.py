"""Modes r, r+, a, w, w- of open, open_group and open_array, case by case against zarr-python 3.

Each case starts from the same hierarchy written by zarr-python in two directories; one library
runs in each. Outcome (what came back or which error family) and the keys left behind must agree.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import zarr

import zarrnb
from zarrnb.errors import ContainsArrayError, ContainsGroupError

MODES = ("r", "r+", "a", "w", "w-")
TARGETS = ("missing", "group", "array")
# Where zarrnb does better on purpose: zarr-python's open(mode='w-') on an empty path tries an array
# without a shape and raises TypeError; zarrnb creates a group there, as 'w-' promises.
BETTER = {("open", "w-", "missing"): ("type error", "group read_only=False")}
CALLS = {
    "open_group": lambda lib, store, mode: lib.open_group(store, mode=mode),
    "open_array": lambda lib, store, mode: lib.open_array(store, mode=mode, shape=(4,), dtype="i4"),
    "open": lambda lib, store, mode: lib.open(store, mode=mode),
}


def _seed(root: Path, target: str) -> None:
    """A hierarchy whose node at 'node' is missing, a group or an array with data."""
    store = zarr.storage.LocalStore(root)
    parent = zarr.create_group(store=store, attributes={"keep": True})
    if target == "group":
        parent.create_group("node", attributes={"old": 1}).create_array("inner", shape=(2,), dtype="i2")
    elif target == "array":
        parent.create_array("node", shape=(3,), dtype="f8", chunks=(2,))[:] = [1.5, 2.5, 3.5]


def _outcome(call, lib, store: str, mode: str) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            node = call(lib, store, mode)
    except FileNotFoundError:
        return "not found"
    except (FileExistsError, ContainsArrayError, ContainsGroupError, zarr.errors.ContainsArrayError,
            zarr.errors.ContainsGroupError):
        return "exists"
    except ValueError:
        return "refused"
    except TypeError:
        return "type error"
    kind = "group" if isinstance(node, (zarr.Group, zarrnb.Group)) else "array"
    return f"{kind} read_only={node.read_only}"


def _keys(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("call_name", sorted(CALLS))
def test_mode_matches_zarr_python(tmp_path: Path, call_name: str, mode: str, target: str) -> None:
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    _seed(theirs, target)
    shutil.copytree(theirs, ours)
    call = CALLS[call_name]
    expected = _outcome(call, zarr, str(theirs / "node"), mode)
    got = _outcome(call, zarrnb, str(ours / "node"), mode)
    reference, ours_instead = BETTER.get((call_name, mode, target), (expected, expected))
    assert expected == reference
    assert got == ours_instead
    if (call_name, mode, target) not in BETTER:
        assert _keys(ours) == _keys(theirs)


@pytest.mark.parametrize("mode", ["r", "r+", "a"])
def test_reading_modes_leave_data_unchanged(tmp_path: Path, mode: str) -> None:
    _seed(tmp_path, "array")
    before = {k: (tmp_path / k).read_bytes() for k in _keys(tmp_path)}
    arr = zarrnb.open_array(str(tmp_path / "node"), mode=mode)
    np.testing.assert_array_equal(arr[:], [1.5, 2.5, 3.5])
    assert {k: (tmp_path / k).read_bytes() for k in _keys(tmp_path)} == before


def test_read_only_mode_refuses_writes_and_changes_nothing(tmp_path: Path) -> None:
    _seed(tmp_path, "array")
    before = {k: (tmp_path / k).read_bytes() for k in _keys(tmp_path)}
    arr = zarrnb.open_array(str(tmp_path / "node"), mode="r")
    group = zarrnb.open_group(str(tmp_path), mode="r")
    with pytest.raises(PermissionError):
        arr[:] = 0
    with pytest.raises(PermissionError):
        group.create_group("new")
    with pytest.raises(PermissionError):
        group.attrs["keep"] = False
    with pytest.raises(PermissionError):
        del group["node"]
    assert {k: (tmp_path / k).read_bytes() for k in _keys(tmp_path)} == before


@pytest.mark.parametrize("bad", ["x", "rw", "W", ""])
def test_invalid_mode_lists_the_valid_ones(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError, match=r"'r', 'r\+', 'a', 'w', 'w-'"):
        zarrnb.open_group(str(tmp_path), mode=bad)
    assert not any(tmp_path.iterdir())


def test_w_dash_over_existing_nodes_names_the_path(tmp_path: Path) -> None:
    _seed(tmp_path, "group")
    with pytest.raises(ContainsGroupError, match="node"):
        zarrnb.open_group(str(tmp_path / "node"), mode="w-")
    zarrnb.create_array(str(tmp_path), name="arr", shape=(2,), dtype="i1")
    with pytest.raises(ContainsArrayError, match="arr"):
        zarrnb.open_group(str(tmp_path), path="arr", mode="w-")


def test_w_replaces_the_subtree_only(tmp_path: Path) -> None:
    _seed(tmp_path, "group")
    zarrnb.create_array(str(tmp_path), name="sibling", shape=(2,), dtype="i1")
    fresh = zarrnb.open_group(str(tmp_path / "node"), mode="w")
    assert list(fresh.keys()) == []
    assert dict(fresh.attrs) == {}
    assert sorted(zarrnb.open_group(str(tmp_path), mode="r").keys()) == ["node", "sibling"]


@pytest.mark.parametrize("spelling", [str, Path, lambda p: f"file://{p}"])
def test_r_plus_on_a_missing_folder_raises_and_creates_nothing(tmp_path: Path, spelling: Any) -> None:
    """zarr-python opens an 'r+' LocalStore read-only first, so a missing root is not made."""
    missing = tmp_path / "new_store.zarr"
    with pytest.raises(FileNotFoundError, match=r"new_store\.zarr"):
        zarrnb.open(store=spelling(missing), mode="r+")
    assert not missing.exists()
    with pytest.raises(FileNotFoundError):
        zarr.open(store=spelling(missing), mode="r+")  # the oracle agrees
    assert not missing.exists()
