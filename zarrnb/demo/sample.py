"""A realistic local sample hierarchy for the tour and the tests: no network, deterministic, a few MB.

``build_sample(path)`` writes two stores under ``path``:

- ``climate.zarr`` (Zarr v3): a synthetic daily climate dataset on a 2.5° grid with coordinates, a 3-D
  temperature field with NaN gaps, a sharded precipitation field that is mostly empty, a boolean land mask
  and a ``stations`` group with variable-length station names and a 2-D time series;
- ``legacy-v2.zarr`` (Zarr v2): station records as older tools write them (blosc,
  fixed-length unicode, ``/`` and ``.`` chunk keys, ``_ARRAY_DIMENSIONS``) with consolidated ``.zmetadata``.

Every array carries dimension names and CF-style attributes, so browsers and previewers have labels to show.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numcodecs
import numpy as np

import zarrnb as zarr

__all__ = ["SAMPLE_VERSION", "build_sample"]

# bump when the content changes, so an old sample directory is rebuilt
SAMPLE_VERSION = "zarrnb-sample 1"
STAMP = ".zarrnb-sample"
NDAYS, NLAT, NLON = 120, 73, 144
STATIONS = {
    "Reykjavik": (64.13, -21.94, 61),
    "Nairobi": (-1.29, 36.82, 1795),
    "Lima": (-12.05, -77.04, 154),
    "Ulaanbaatar": (47.89, 106.91, 1350),
    "Tromsø": (69.65, 18.96, 10),
    "Hobart": (-42.88, 147.33, 51),
    "Quito": (-0.18, -78.47, 2850),
    "Anchorage": (61.22, -149.9, 40),
}


def build_sample(path: str | os.PathLike[str] = "sample-data") -> Path:
    """Write the sample stores under ``path`` unless an identical sample is already there; return ``path``.

    Idempotent, so notebooks call it at their top and a fresh clone still runs them.
    """
    root = Path(path)
    stamp = root / STAMP
    if stamp.is_file() and stamp.read_text() == SAMPLE_VERSION:
        return root
    root.mkdir(parents=True, exist_ok=True)
    for name in ("climate.zarr", "legacy-v2.zarr"):
        shutil.rmtree(root / name, ignore_errors=True)
    rng = np.random.default_rng(20240101)
    _build_climate(root / "climate.zarr", rng)
    _build_legacy(root / "legacy-v2.zarr", rng)
    stamp.write_text(SAMPLE_VERSION)  # written last: a half-built sample is rebuilt next time
    return root


def _coordinates() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    time = np.arange(NDAYS, dtype="int32")
    lat = np.linspace(-90, 90, NLAT, dtype="float32")
    lon = np.arange(NLON, dtype="float32") * np.float32(2.5)
    return time, lat, lon


def _temperature(rng: np.random.Generator) -> np.ndarray:
    """Air temperature in K: latitude gradient, seasons, travelling waves, noise and a NaN satellite gap."""
    time, lat, lon = _coordinates()
    t, y, x = np.meshgrid(time, np.deg2rad(lat), np.deg2rad(lon), indexing="ij")
    season = -12 * np.sin(y) * np.cos(2 * np.pi * (t + 10) / 365)
    waves = 4 * np.sin(3 * x - 0.2 * t) * np.cos(y) ** 2
    field = 250 + 45 * np.cos(y) + season + waves + rng.normal(0, 0.5, t.shape)
    field = np.round(field, 1).astype("float32")
    field[40:43, 10:30, 50:80] = np.nan  # three days of missing swaths
    return field


def _precipitation(rng: np.random.Generator) -> np.ndarray:
    """Precipitation in mm/day: zero almost everywhere, rain bands near the equator and in storm tracks."""
    _, lat, _ = _coordinates()
    bands = np.exp(-((lat / 8) ** 2)) + 0.6 * np.exp(-(((np.abs(lat) - 50) / 6) ** 2))
    rain = rng.gamma(0.6, 6.0, (NDAYS, NLAT, NLON)) * bands[None, :, None]
    rain[rain < 1.5] = 0
    dry = np.repeat(rng.random(NDAYS // 20) > 0.5, 20)
    rain[dry, :, 72:] = 0  # 20-day dry spells over the eastern half: their inner chunks are never stored
    return np.round(rain, 1).astype("float32")


def _build_climate(path: Path, rng: np.random.Generator) -> None:
    group = zarr.create_group(
        store=str(path),
        attributes={
            "title": "zarrnb sample: synthetic daily climate",
            "summary": "A deterministic synthetic dataset for the zarrnb tour; not real observations.",
            "Conventions": "CF-1.10",
            "source": "zarrnb.demo.build_sample",
        },
    )
    time, lat, lon = _coordinates()
    for name, values, attrs in (
        ("time", time, {"units": "days since 2024-01-01", "calendar": "proleptic_gregorian"}),
        ("lat", lat, {"units": "degrees_north", "standard_name": "latitude"}),
        ("lon", lon, {"units": "degrees_east", "standard_name": "longitude"}),
    ):
        arr = group.create_array(
            name,
            shape=values.shape,
            dtype=values.dtype,
            chunks=values.shape,
            dimension_names=[name],
            attributes=attrs,
        )
        arr[...] = values
    temperature = group.create_array(
        "temperature",
        shape=(NDAYS, NLAT, NLON),
        dtype="float32",
        chunks=(30, 37, 72),
        fill_value=np.nan,
        dimension_names=["time", "lat", "lon"],
        attributes={
            "units": "K",
            "long_name": "near-surface air temperature",
            "standard_name": "air_temperature",
        },
    )
    temperature[...] = _temperature(rng)
    precipitation = group.create_array(
        "precipitation",
        shape=(NDAYS, NLAT, NLON),
        dtype="float32",
        shards=(60, NLAT, NLON),
        chunks=(20, NLAT, 72),
        fill_value=0.0,
        dimension_names=["time", "lat", "lon"],
        attributes={"units": "mm/day", "long_name": "daily precipitation"},
    )
    precipitation[...] = _precipitation(rng)
    land = group.create_array(
        "land_mask",
        shape=(NLAT, NLON),
        dtype="bool",
        chunks=(NLAT, NLON),
        dimension_names=["lat", "lon"],
        attributes={"long_name": "land (True) or sea"},
    )
    y, x = np.meshgrid(np.deg2rad(lat), np.deg2rad(lon), indexing="ij")
    land[...] = np.sin(2 * x) * np.cos(3 * y) + 0.3 * np.sin(5 * x + y) > 0.25
    _build_stations(group.create_group("stations", attributes={"network": "synthetic"}), rng)


def _build_stations(group: zarr.Group, rng: np.random.Generator) -> None:
    names = list(STATIONS)
    columns = np.array(list(STATIONS.values()))
    for name, values, dtype, attrs in (
        ("latitude", columns[:, 0], "float64", {"units": "degrees_north"}),
        ("longitude", columns[:, 1], "float64", {"units": "degrees_east"}),
        ("elevation", columns[:, 2], "int16", {"units": "m"}),
    ):
        arr = group.create_array(
            name, shape=(len(names),), dtype=dtype, dimension_names=["station"], attributes=attrs
        )
        arr[...] = values.astype(dtype)
    station_names = group.create_array("name", shape=(len(names),), dtype=str, dimension_names=["station"])
    station_names[...] = np.array(names, dtype=object)
    observed = group.create_array(
        "observed_temperature",
        shape=(NDAYS, len(names)),
        dtype="float32",
        chunks=(30, len(names)),
        fill_value=np.nan,
        dimension_names=["time", "station"],
        attributes={"units": "degC", "long_name": "daily mean temperature at the station"},
    )
    values = 15 - 0.4 * np.abs(columns[None, :, 0]) + rng.normal(0, 2, (NDAYS, len(names)))
    values[rng.random(values.shape) < 0.05] = np.nan  # 5 % of readings lost
    observed[...] = np.round(values, 1).astype("float32")


def _build_legacy(path: Path, rng: np.random.Generator) -> None:
    group = zarr.create_group(
        store=str(path), zarr_format=2, attributes={"title": "station archive, as Zarr v2 tools wrote it"}
    )
    names = list(STATIONS)
    ids = group.create_array(
        "station_id",
        shape=(len(names),),
        dtype="<U12",
        chunks=(len(names),),
        attributes={"_ARRAY_DIMENSIONS": ["station"]},
    )
    ids[...] = np.array([n[:12] for n in names], dtype="<U12")
    # the top-level function, because zarr-python's Group.create_array ignores a v2 separator
    readings = zarr.create_array(
        store=str(path),
        name="readings",
        shape=(NDAYS, len(names)),
        dtype="float64",
        chunks=(40, 4),
        fill_value=np.nan,
        zarr_format=2,
        chunk_key_encoding={"name": "v2", "separator": "/"},
        compressors=numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE),
        attributes={
            "_ARRAY_DIMENSIONS": ["time", "station"],
            "units": "hPa",
            "long_name": "surface pressure",
        },
    )
    readings[...] = np.round(1013 + rng.normal(0, 8, (NDAYS, len(names))), 1)
    counts = group.create_array(
        "counts",
        shape=(NDAYS,),
        dtype="int32",
        chunks=(60,),
        fill_value=-1,
        attributes={"_ARRAY_DIMENSIONS": ["time"]},
    )
    counts[...] = rng.integers(0, 24, NDAYS, dtype="int32")
    zarr.consolidate_metadata(str(path))
