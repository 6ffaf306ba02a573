"""Chunk side 0 on a zero-length axis (``shape=(0, 5), chunks=(0, 5)``), with zarr-python as the oracle.

zarr-python creates, writes and reads such arrays; zarrnb stores the same metadata documents, opens
what zarr-python wrote and the other way round, and refuses (with a clear error) only what zarr-python
cannot use either: a non-empty axis with chunk side 0.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import zarr

import zarrnb

from .format_helpers import METADATA_KEYS

CASES = [
    {"shape": (0, 5), "chunks": (0, 5), "zarr_format": 2},
    {"shape": (0, 5), "chunks": (0, 5), "zarr_format": 3},
    {"shape": (0,), "chunks": (0,), "zarr_format": 3},
    {"shape": (4, 0, 3), "chunks": (2, 0, 3), "zarr_format": 3},
    {"shape": (4, 0), "chunks": (2, 0), "zarr_format": 2},
]


def _create(library: Any, root: Path, case: dict[str, Any]) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        array = library.create_array(
            store=str(root), dtype="int32", fill_value=7, attributes={"units": "m"}, **case
        )
        array[...] = np.zeros(case["shape"], dtype="int32")
    return array


def _documents(root: Path) -> dict[str, Any]:
    return {key: json.loads((root / key).read_text()) for key in METADATA_KEYS if (root / key).exists()}


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"v{c['zarr_format']}-{c['shape']}-{c['chunks']}")
def test_both_libraries_store_the_same_documents(tmp_path: Path, case: dict[str, Any]) -> None:
    _create(zarr, tmp_path / "theirs", case)
    _create(zarrnb, tmp_path / "ours", case)
    assert _documents(tmp_path / "ours") == _documents(tmp_path / "theirs")
    assert _files(tmp_path / "ours") == _files(tmp_path / "theirs")  # metadata only: no chunk is stored


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"v{c['zarr_format']}-{c['shape']}-{c['chunks']}")
def test_zarrnb_reads_what_zarr_python_wrote(tmp_path: Path, case: dict[str, Any]) -> None:
    theirs = _create(zarr, tmp_path, case)
    ours = zarrnb.open_array(str(tmp_path), mode="r")
    assert (ours.shape, ours.chunks, ours.fill_value) == (theirs.shape, theirs.chunks, theirs.fill_value)
    assert (ours.nchunks, ours.cdata_shape, ours.nchunks_initialized) == (
        theirs.nchunks, theirs.cdata_shape, theirs.nchunks_initialized,
    )  # fmt: skip
    np.testing.assert_array_equal(ours[...], theirs[...])
    assert ours[...].shape == case["shape"]
    assert ours.oindex[(slice(None),) * len(case["shape"])].shape == case["shape"]
    assert dict(ours.attrs) == {"units": "m"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"v{c['zarr_format']}-{c['shape']}-{c['chunks']}")
def test_zarr_python_reads_what_zarrnb_wrote(tmp_path: Path, case: dict[str, Any]) -> None:
    ours = _create(zarrnb, tmp_path, case)
    theirs = zarr.open_array(str(tmp_path), mode="r")
    assert (theirs.shape, theirs.chunks, theirs.fill_value) == (ours.shape, ours.chunks, ours.fill_value)
    assert theirs.metadata.to_dict()["attributes"] == {"units": "m"}
    np.testing.assert_array_equal(theirs[...], ours[...])


def test_a_zero_chunk_side_on_a_non_empty_axis_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"chunk side 0 on axis 0 of length 3"):
        zarrnb.create_array(store=str(tmp_path / "new"), shape=(3, 5), chunks=(0, 5), dtype="int32")
    array = zarrnb.create_array(store=str(tmp_path / "a"), shape=(0, 5), chunks=(0, 5), dtype="int32")
    message = r"array '' of shape \(3, 5\) with chunks \(0, 5\): axis 0 has length 3"
    with pytest.raises(ValueError, match=message):
        array.resize((3, 5))
    with pytest.raises(ZeroDivisionError, match="chunk side 0"):
        array.append(np.ones((2, 5), dtype="int32"))
    assert zarrnb.open_array(str(tmp_path / "a")).shape == (0, 5)  # nothing was stored
    array.resize((0, 9))  # growing an axis whose chunk side is not 0 is fine
    assert array[...].shape == (0, 9)


def test_zero_chunk_side_metadata_zarr_python_resized_opens_and_names_the_problem(tmp_path: Path) -> None:
    # zarr-python's resize stores shape (3, 5) with chunks (0, 5); zarrnb opens it, reads its metadata,
    # and says why its data cannot be read instead of dividing by zero
    theirs = zarr.create_array(store=str(tmp_path), shape=(0, 5), chunks=(0, 5), dtype="int32")
    theirs.attrs["units"] = "m"
    theirs.resize((3, 5))
    ours = zarrnb.open_array(str(tmp_path), mode="r+")
    assert (ours.shape, ours.chunks, dict(ours.attrs)) == ((3, 5), (0, 5), {"units": "m"})
    actions = (lambda: ours[...], lambda: ours[0, 0], lambda: ours.__setitem__(0, 1), lambda: ours.nchunks)
    for action in actions:
        with pytest.raises(ValueError, match=r"axis 0 has length 3 but chunk side 0"):
            action()
        with pytest.raises(ZeroDivisionError):  # what zarr-python raises there
            action()
    ours.resize((0, 5))  # shrinking back to an empty axis makes it usable again
    assert ours[...].shape == (0, 5)


def test_sharded_zero_chunk_side_is_refused_clearly(tmp_path: Path) -> None:
    # zarr-python fails here with ZeroDivisionError; zarrnb names the argument
    with pytest.raises(ZeroDivisionError, match="sharded array needs chunk sides of at least 1"):
        zarrnb.create_array(store=str(tmp_path), shape=(0, 5), chunks=(0, 5), shards=(0, 5), dtype="int32")
