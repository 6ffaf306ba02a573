"""Datasets written by xarray + zarr-python, the oracle the zarrnb engine is compared with."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

FORMATS = (2, 3)


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
