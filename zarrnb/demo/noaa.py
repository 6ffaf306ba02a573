"""A small offline replica of the public NOAA National Water Model retrospective v2 Zarr store.

The storage guide opens ``s3://noaa-nwm-retro-v2-zarr-pds``: a Zarr format 2 group of 12 arrays with
consolidated metadata. The replica keeps its structure — array names, dimensions
(``_ARRAY_DIMENSIONS``), data types, packed integers with ``scale_factor``, Blosc/LZ4 compression,
``.zmetadata`` — at a few MB, with synthetic values from a fixed seed. Attribute texts are
illustrative, not copied from the real store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numcodecs
import numpy as np

from zarrnb.api.group import Group
from zarrnb.api.synchronous import consolidate_metadata, open_group
from zarrnb.storage import StoreLike

__all__ = ["BUCKET", "build_noaa_replica"]

BUCKET = "noaa-nwm-retro-v2-zarr-pds"
_COMPRESSOR = numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE)
_FLOW_FILL = -999900
_GROUP_ATTRIBUTES = {
    "TITLE": "OUTPUT FROM WRF-Hydro (offline replica for zarrnb's tests and demos)",
    "featureType": "timeSeries",
    "model_configuration": "retrospective",
    "Conventions": "CF-1.6",
}


@dataclass(frozen=True)
class _Variable:
    """One array of the dataset: a time series per river reach, or a per-reach constant."""

    name: str
    dims: tuple[str, ...]
    dtype: str
    attributes: dict[str, Any]
    scale: float | None = None


_TIME_SERIES = ("time", "feature_id")
_VARIABLES = (
    _Variable("elevation", ("feature_id",), "<f4", {"long_name": "Feature Elevation", "units": "meters"}),
    _Variable("feature_id", ("feature_id",), "<i4", {"long_name": "Reach ID", "cf_role": "timeseries_id"}),
    _Variable(
        "latitude",
        ("feature_id",),
        "<f4",
        {"long_name": "Feature latitude", "standard_name": "latitude", "units": "degrees_north"},
    ),
    _Variable(
        "longitude",
        ("feature_id",),
        "<f4",
        {"long_name": "Feature longitude", "standard_name": "longitude", "units": "degrees_east"},
    ),
    _Variable("order", ("feature_id",), "<i4", {"long_name": "Streamflow Order", "standard_name": "order"}),
    _Variable(
        "qBtmVertRunoff",
        _TIME_SERIES,
        "<i4",
        {"long_name": "Runoff from bottom of soil to bucket", "units": "m3"},
        0.001,
    ),
    _Variable("qBucket", _TIME_SERIES, "<i4", {"long_name": "Flux from gw bucket", "units": "m3 s-1"}, 0.001),
    _Variable(
        "qSfcLatRunoff",
        _TIME_SERIES,
        "<i4",
        {"long_name": "Runoff from terrain routing", "units": "m3 s-1"},
        0.001,
    ),
    _Variable(
        "q_lateral", _TIME_SERIES, "<i4", {"long_name": "Total lateral inflow", "units": "m3 s-1"}, 0.1
    ),
    _Variable("streamflow", _TIME_SERIES, "<i4", {"long_name": "River Flow", "units": "m3 s-1"}, 0.01),
    _Variable(
        "time",
        ("time",),
        "<i8",
        {
            "long_name": "valid output time",
            "standard_name": "time",
            "units": "hours since 1993-01-01 00:00:00",
            "calendar": "proleptic_gregorian",
        },
    ),
    _Variable("velocity", _TIME_SERIES, "<i4", {"long_name": "River Velocity", "units": "m s-1"}, 0.01),
)


def _values(variable: _Variable, n_times: int, n_features: int, rng: np.random.Generator) -> np.ndarray:
    """Plausible synthetic values: smooth daily cycles around a per-reach level, packed as stored."""
    if variable.name == "time":
        return np.arange(n_times, dtype=variable.dtype)
    if variable.name == "feature_id":
        ids = rng.choice(np.arange(101, 25_000_000), n_features, replace=False)
        return np.sort(ids).astype(variable.dtype)
    if variable.name == "order":
        return rng.integers(1, 11, n_features).astype(variable.dtype)
    if variable.name == "latitude":
        return rng.uniform(24.0, 53.0, n_features).astype(variable.dtype)
    if variable.name == "longitude":
        return rng.uniform(-125.0, -67.0, n_features).astype(variable.dtype)
    if variable.name == "elevation":
        return rng.gamma(2.0, 300.0, n_features).astype(variable.dtype)
    if variable.scale is None:
        raise ValueError(f"no synthetic values defined for {variable.name!r}")
    level = rng.lognormal(0.0, 1.5, n_features)
    hours = np.arange(n_times)[:, None]
    cycle = 1.0 + 0.2 * np.sin(2 * np.pi * (hours / 24.0 + rng.uniform(0, 1, n_features)))
    return np.round(level * cycle / variable.scale).astype(variable.dtype)


def _encoding(variable: _Variable) -> dict[str, Any]:
    if variable.scale is None:
        return {"fill_value": None}
    return {"fill_value": _FLOW_FILL, "scale_factor": variable.scale, "add_offset": 0.0}


def build_noaa_replica(
    store: StoreLike,
    *,
    n_times: int = 672,
    n_features: int = 1024,
    time_chunk: int = 168,
    feature_chunk: int = 256,
    seed: int = 2,
) -> Group:
    """Write the replica into ``store`` (replacing what is there) and return its root group.

    Defaults give four weeks of hourly values for 1024 reaches: 12 arrays, about 120 objects, ~2 MB.
    """
    rng = np.random.default_rng(seed)
    root = open_group(store, mode="w", zarr_format=2, attributes=_GROUP_ATTRIBUTES)
    for variable in _VARIABLES:
        data = _values(variable, n_times, n_features, rng)
        chunks = (time_chunk, feature_chunk) if variable.dims == _TIME_SERIES else data.shape
        encoding = _encoding(variable)
        attributes = {
            "_ARRAY_DIMENSIONS": list(variable.dims),
            **variable.attributes,
            **{k: v for k, v in encoding.items() if k != "fill_value"},
        }
        if encoding["fill_value"] is not None:
            attributes["missing_value"] = encoding["fill_value"]
        root.create_array(
            variable.name,
            data=data,
            chunks=chunks,
            compressors=_COMPRESSOR,
            fill_value=encoding["fill_value"],
            attributes=attributes,
        )
    return consolidate_metadata(root.store_path)
