"""Rows that are not one array's write/read: opening arrays, a 10,000-array consolidated hierarchy, and a big
read into a preallocated ``out=``. Each runs interleaved across libraries like the workload rows.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from benchmarks.libraries import Library
from benchmarks.spec import ArraySpec

OPENS = 100  # arrays opened per timed run of the open row


@dataclass
class Case:
    """One timed operation: ``prepare`` (untimed, per library) returns the state ``run`` works on."""

    id: str
    nbytes: int
    prepare: Callable[[Library], Any]
    run: Callable[[Library, Any], Any]
    check: Callable[[Any, Any], None] = lambda state, result: None
    before: Callable[[Any, int], None] = lambda state, repeat: None


def big_spec(mib: int) -> ArraySpec:
    """A float32 array of ``mib`` MiB in 1 MiB zstd chunks (square, a multiple of the chunk side)."""
    side = max(512, round((mib * 2**18) ** 0.5 / 512) * 512)
    return ArraySpec((side, side), (512, 512), "zstd1")


def write_reference_array(spec: ArraySpec, where: str, data: np.ndarray) -> None:
    """Write ``data`` with zarr-python (every library then reads the same bytes)."""
    import zarr

    array = zarr.create_array(store=where, overwrite=True, **spec.create_kwargs())
    array[...] = data


def write_consolidated_hierarchy(where: str, count: int) -> None:
    """A root group with ``count`` arrays, each with its own ``zarr.json`` and all of them consolidated
    into the root's, in exactly zarr-python's layout (one entry written by zarr-python is the template)."""
    import warnings

    import zarr

    group = zarr.open_group(where, mode="w")
    group.create_array(
        "template",
        shape=(100, 200),
        chunks=(10, 20),
        dtype="float32",
        fill_value=0,
        compressors=[{"name": "zstd", "configuration": {"level": 1, "checksum": False}}],
        dimension_names=["y", "x"],
        attributes={"units": "m", "long_name": "a variable"},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        zarr.consolidate_metadata(where)
    with open(os.path.join(where, "zarr.json")) as f:
        root = json.load(f)
    template = root["consolidated_metadata"]["metadata"].pop("template")
    entries = {}
    for i in range(count):
        entry = copy.deepcopy(template)
        entry["shape"] = [100 + i % 7, 200]
        entry["attributes"]["index"] = i
        name = f"v{i:05d}"
        entries[name] = entry
        os.makedirs(os.path.join(where, name), exist_ok=True)
        with open(os.path.join(where, name, "zarr.json"), "w") as f:
            json.dump(entry, f, indent=2)
    root["consolidated_metadata"]["metadata"] = entries
    with open(os.path.join(where, "zarr.json"), "w") as f:
        json.dump(root, f, indent=2)


def _expect(expected: Any) -> Callable[[Any, Any], None]:
    def check(state: Any, result: Any) -> None:
        if result != expected:
            raise AssertionError(f"expected {str(expected)[:80]}, got {str(result)[:80]}")

    return check


CASE_IDS = ("i-open", "j-consolidated", "k-read-out")


def cases(root: str, quick: bool, big_mib: int, wanted: Callable[[str], bool] = lambda _: True) -> list[Case]:
    """The rows ``wanted`` picks by id, with their shared data written under ``root`` (by zarr-python)."""
    found = []
    if wanted("i-open"):
        found.append(_open_case(root))
    if wanted("j-consolidated"):
        found.append(_hierarchy_case(root, 500 if quick else 10_000))
    if wanted("k-read-out"):
        found.append(_out_case(root, 4 if quick else big_mib))
    return found


def _open_case(root: str) -> Case:
    """Open a small array ``OPENS`` times."""
    small = ArraySpec((1024, 1024), (128, 128), "zstd1")
    small_where = os.path.join(root, "i-open")
    write_reference_array(small, small_where, np.zeros(small.shape, dtype=small.dtype))
    return Case(
        f"i-open array x{OPENS}",
        0,
        prepare=lambda lib: None,
        run=lambda lib, state: sum(lib.open(small, small_where) is not None for _ in range(OPENS)),
        check=_expect(OPENS),
    )


def _hierarchy_case(root: str, count: int) -> Case:
    """Open a consolidated hierarchy of ``count`` arrays and list them."""
    tree = os.path.join(root, "j-hierarchy")
    write_consolidated_hierarchy(tree, count)
    names = [f"v{i:05d}" for i in range(count)]
    return Case(
        f"j-consolidated {count} open+list",
        0,
        prepare=lambda lib: None,
        run=lambda lib, state: sorted(lib.open_listed(tree)),
        check=_expect(names),
    )


def _out_case(root: str, mib: int) -> Case:
    """Read a ``mib`` MiB array into one preallocated array."""
    spec = big_spec(mib)
    big_where = os.path.join(root, "k-big")
    data = _big_data(spec)
    write_reference_array(spec, big_where, data)
    out = np.zeros(spec.shape, dtype=spec.dtype)

    def clear(state: Any, repeat: int) -> None:
        if repeat == 0:  # each library's checked run starts from zeros
            out[...] = 0

    def same(state: Any, result: Any) -> None:
        if not np.array_equal(out, data):
            raise AssertionError("out= holds data that differs from what was written")

    return Case(
        "k-read-out (into out=)",
        spec.nbytes,
        prepare=lambda lib: lib.open(spec, big_where),
        run=lambda lib, handle: lib.read_into(handle, out),
        check=same,
        before=clear,
    )


def _big_data(spec: ArraySpec) -> np.ndarray:
    """Smooth data like ``smooth_data``, built row block by row block (no float64 temporaries of 1 GiB)."""
    rows = np.linspace(0, 6.0, spec.shape[0], dtype=np.float32)
    cols = np.sin(np.linspace(0, 6.0, spec.shape[1], dtype=np.float32) * 2)
    out = np.empty(spec.shape, dtype=spec.dtype)
    step = 1024
    for start in range(0, spec.shape[0], step):
        out[start : start + step] = np.sin(rows[start : start + step])[:, None] + cols[None, :]
    return out
