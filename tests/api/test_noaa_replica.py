"""The NOAA retrospective replica: the real store's structure, readable by zarr-python, served over S3."""

from __future__ import annotations

import warnings
from pathlib import Path

import numcodecs
import numpy as np
import pytest
import zarr

import zarrnb
import zarrnb.demo.noaa

EXPECTED = {
    "elevation": (("feature_id",), "<f4"),
    "feature_id": (("feature_id",), "<i4"),
    "latitude": (("feature_id",), "<f4"),
    "longitude": (("feature_id",), "<f4"),
    "order": (("feature_id",), "<i4"),
    "qBtmVertRunoff": (("time", "feature_id"), "<i4"),
    "qBucket": (("time", "feature_id"), "<i4"),
    "qSfcLatRunoff": (("time", "feature_id"), "<i4"),
    "q_lateral": (("time", "feature_id"), "<i4"),
    "streamflow": (("time", "feature_id"), "<i4"),
    "time": (("time",), "<i8"),
    "velocity": (("time", "feature_id"), "<i4"),
}


def test_zarr_python_sees_the_real_structure(noaa_replica_dir: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        group = zarr.open_consolidated(str(noaa_replica_dir), mode="r", zarr_format=2)
        arrays = dict(group.arrays())
    assert sorted(arrays) == sorted(EXPECTED)
    n_times, n_features = arrays["streamflow"].shape
    for name, (dims, dtype) in EXPECTED.items():
        arr = arrays[name]
        assert tuple(arr.attrs["_ARRAY_DIMENSIONS"]) == dims, name
        assert arr.dtype == np.dtype(dtype), name
        assert arr.shape == tuple({"time": n_times, "feature_id": n_features}[d] for d in dims)
        assert arr.compressors == (numcodecs.Blosc(cname="lz4", clevel=5, shuffle=1),)
    assert arrays["streamflow"].attrs["scale_factor"] == 0.01
    assert (noaa_replica_dir / ".zmetadata").is_file()


def test_replica_is_a_few_megabytes_and_deterministic(noaa_replica_dir: Path, tmp_path: Path) -> None:
    size = sum(p.stat().st_size for p in noaa_replica_dir.rglob("*") if p.is_file())
    assert 500_000 < size < 8_000_000
    again = zarrnb.demo.noaa.build_noaa_replica(str(tmp_path / "again"))
    first = zarrnb.open_array(str(noaa_replica_dir / "streamflow"))
    np.testing.assert_array_equal(again["streamflow"][:], first[:])


@pytest.mark.s3
def test_served_over_s3_as_the_guide_opens_it(noaa_bucket: str) -> None:
    group = zarrnb.open_group(f"s3://{noaa_bucket}", mode="r", storage_options={"anon": True})
    assert repr(group) == "<Group <FsspecStore(S3FileSystem, noaa-nwm-retro-v2-zarr-pds)>>"
    assert "No. members : 12" in repr(group.info)
    flow = group["streamflow"]
    assert repr(flow).startswith("<Array <FsspecStore(S3FileSystem, noaa-nwm-retro-v2-zarr-pds)>/streamflow")
    assert flow[:2, :3].shape == (2, 3)
