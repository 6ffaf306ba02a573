"""Metadata-level equality with zarr-python, both ways, for v2 and v3 (null fill values included).

The same ``create_array`` call made by each library stores the same metadata documents; each library
opening the other's store sees the same fill value, dtype, chunks and attributes, and (for v2) no
``dimension_names`` attribute, which xarray uses to tell the formats apart.
"""

from __future__ import annotations

import json
import math
import warnings
from typing import Any

import numpy as np
import pytest
import zarr
from zarr.core.buffer import cpu

import zarrnb

from .format_helpers import METADATA_KEYS

CASES: list[dict[str, Any]] = [
    {"zarr_format": 2, "dtype": "int32", "fill_value": None},
    {"zarr_format": 2, "dtype": "float64", "fill_value": None},
    {"zarr_format": 2, "dtype": "<M8[ns]", "fill_value": None},
    {"zarr_format": 2, "dtype": "int32"},
    {"zarr_format": 2, "dtype": ">f8", "fill_value": np.nan},
    {"zarr_format": 2, "dtype": "float32", "fill_value": -0.0},
    {"zarr_format": 2, "dtype": "bool", "fill_value": True},
    {"zarr_format": 2, "dtype": "<U3", "fill_value": "ab"},
    {"zarr_format": 3, "dtype": "int32", "fill_value": None},
    {"zarr_format": 3, "dtype": "float64"},
    {"zarr_format": 3, "dtype": "float32", "fill_value": -np.inf},
    {"zarr_format": 3, "dtype": "complex64", "fill_value": complex(1, np.nan)},
    {"zarr_format": 3, "dtype": "uint8", "fill_value": 7, "dimension_names": ["y", "x"]},
]


def _arguments(case: dict[str, Any]) -> dict[str, Any]:
    return {"shape": (6, 4), "chunks": (3, 2), "attributes": {"units": "m"}, **case}


def _documents(stored: dict[str, bytes]) -> dict[str, Any]:
    return {k: json.loads(stored[k]) for k in METADATA_KEYS if k in stored}


def _zarr_python_store(case: dict[str, Any]) -> dict[str, bytes]:
    backing: dict[str, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        zarr.create_array(store=zarr.storage.MemoryStore(backing), **_arguments(case))
    return {k: v.to_bytes() for k, v in backing.items()}


def _zarrnb_store(case: dict[str, Any]) -> dict[str, bytes]:
    backing: dict[str, Any] = {}
    zarrnb.create_array(store=zarrnb.storage.MemoryStore(backing), **_arguments(case))
    return {k: v.to_bytes() for k, v in backing.items()}


def _same_scalar(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, complex | np.complexfloating):
        return _same_scalar(a.real, b.real) and _same_scalar(a.imag, b.imag)
    if isinstance(a, float | np.floating) and math.isnan(a):
        return math.isnan(b)
    return a == b and np.signbit(a) == np.signbit(b) if isinstance(a, float | np.floating) else a == b


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
def test_the_same_call_stores_the_same_metadata(case: dict[str, Any]) -> None:
    assert _documents(_zarrnb_store(case)) == _documents(_zarr_python_store(case))


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
def test_zarr_python_reads_zarrnb_metadata_as_its_own(case: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = zarr.open_array(
            store=zarr.storage.MemoryStore(
                {k: cpu.Buffer.from_bytes(v) for k, v in _zarrnb_store(case).items()}
            ),
            mode="r",
        )
        theirs = zarr.open_array(
            store=zarr.storage.MemoryStore(
                {k: cpu.Buffer.from_bytes(v) for k, v in _zarr_python_store(case).items()}
            ),
            mode="r",
        )
    assert ours.metadata.to_dict() == theirs.metadata.to_dict() or _both_nan_fill(ours, theirs)
    assert _same_scalar(ours.fill_value, theirs.fill_value)


def _both_nan_fill(a: zarr.Array, b: zarr.Array) -> bool:
    """to_dict() keeps NaN fill values as floats, which never compare equal: compare the rest."""
    da, db = a.metadata.to_dict(), b.metadata.to_dict()
    fa, fb = da.pop("fill_value"), db.pop("fill_value")
    return da == db and _same_scalar(fa, fb)


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
def test_zarrnb_reads_zarr_python_metadata_as_zarr_python_does(case: dict[str, Any]) -> None:
    stored = _zarr_python_store(case)
    ours = zarrnb.open_array(
        store=zarrnb.storage.MemoryStore(
            {k: zarrnb.core.buffer.Buffer.from_bytes(v) for k, v in stored.items()}
        ),
        mode="r",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = zarr.open_array(
            store=zarr.storage.MemoryStore({k: cpu.Buffer.from_bytes(v) for k, v in stored.items()}),
            mode="r",
        )
    assert _same_scalar(ours.fill_value, theirs.fill_value)
    assert (ours.dtype, ours.shape, ours.chunks) == (theirs.dtype, theirs.shape, theirs.chunks)
    assert dict(ours.attrs) == dict(theirs.attrs)
    assert hasattr(ours.metadata, "dimension_names") == hasattr(theirs.metadata, "dimension_names")
    if case["zarr_format"] == 3:
        assert ours.metadata.dimension_names == theirs.metadata.dimension_names
    else:
        assert ours.order == theirs.order
    assert np.array_equal(ours[...], theirs[...], equal_nan=ours.dtype.kind in "fcmM")
