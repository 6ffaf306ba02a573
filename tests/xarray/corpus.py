"""Datasets written by xarray + zarr-python, the oracle the zarrnb engine is compared with."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr


def _v2_null_fill_value_reads_as_none() -> bool:
    """Whether zarrnb reads a v2 ``"fill_value": null`` as None (issue 9's first silent data bug)."""
    import json

    import zarrnb
    from zarrnb.core.buffer import default_buffer_prototype

    store = zarrnb.storage.MemoryStore()
    zarray = {
        "zarr_format": 2,
        "shape": [1],
        "chunks": [1],
        "dtype": "<i4",
        "compressor": None,
        "fill_value": None,
        "order": "C",
        "filters": None,
    }
    store._store_dict[".zarray"] = default_buffer_prototype().buffer.from_bytes(json.dumps(zarray).encode())
    return zarrnb.open_array(store, mode="r").fill_value is None


# v2 data opens correctly only once zarrnb keeps a null fill value null (issue 9, the compat-core branch)
V2_PENDING = pytest.mark.xfail(
    not _v2_null_fill_value_reads_as_none(),
    reason="issue 9: zarrnb reads a v2 null fill_value as 0, so xarray masks zeros",
    strict=True,
)
FORMATS = (pytest.param(2, marks=V2_PENDING), 3)


def corpus_dataset() -> xr.Dataset:
    """CF time, packed integers, NaN-masked floats, both kinds of strings and a scalar coordinate."""
    rng = np.random.default_rng(7)
    temperature = rng.normal(280, 5, (6, 4, 5)).astype("float32")
    temperature[1, 2, 3] = np.nan
    temperature[4, :, 0] = np.nan
    packed = rng.uniform(0, 30, (6, 4, 5))
    packed[0, 0, 0] = np.nan
    ds = xr.Dataset(
        {
            "temperature": (("time", "lat", "lon"), temperature, {"units": "K", "long_name": "air temp"}),
            "precip": (("time", "lat", "lon"), packed, {"units": "mm"}),
            "station": (("lat",), np.array(["north", "mid-north", "mid-south", "s"], dtype=object)),
            "code": (("lon",), np.array([b"AA", b"BB", b"CC", b"DD", b"EE"], dtype="S2")),
            "flag": (("time",), np.array([0, 1, 0, 2, 1, 0], dtype="int16")),
        },
        coords={
            "time": pd.date_range("2001-02-03", periods=6, freq="6h"),
            "lat": np.linspace(-30, 30, 4),
            "lon": np.arange(5, dtype="int32") * 10,
            "height": 2.0,
        },
        attrs={"title": "corpus", "history": "written by xarray and zarr-python"},
    )
    ds["precip"].encoding.update(
        {"dtype": "int16", "scale_factor": 0.01, "add_offset": 0.0, "_FillValue": -999}
    )
    ds["time"].encoding.update({"units": "hours since 2001-01-01", "calendar": "standard"})
    return ds


def corpus_tree() -> xr.DataTree:
    """Nested groups, each a small dataset, for ``open_datatree``."""
    root = xr.Dataset({"top": ("x", np.arange(3.0))}, attrs={"level": "root"})
    child = corpus_dataset().isel(time=slice(0, 3))
    grandchild = xr.Dataset({"deep": ("y", np.array([1, 2], dtype="int8"))}, coords={"y": [10, 20]})
    return xr.DataTree.from_dict({"/": root, "/child": child, "/child/grandchild": grandchild})


def write_corpus(path: Path, zarr_format: int, consolidated: bool, *, tree: bool = False) -> Path:
    """Write the corpus with xarray on zarr-python (engine ``zarr``) and return where."""
    data = corpus_tree() if tree else corpus_dataset()
    data.to_zarr(path, zarr_format=zarr_format, consolidated=consolidated, mode="w")
    return path
