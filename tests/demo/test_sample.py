"""The sample hierarchy: built by zarrnb, read back by zarr-python, deterministic and idempotent."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import zarr

from zarrnb.demo import build_sample
from zarrnb.demo.__main__ import main


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("sample") / "data")


def _bytes_on_disk(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def test_climate_hierarchy_reads_in_zarr_python(sample: Path) -> None:
    climate = zarr.open_group(sample / "climate.zarr", mode="r")
    assert climate.metadata.zarr_format == 3
    assert sorted(climate.array_keys()) == ["land_mask", "lat", "lon", "precipitation", "temperature", "time"]
    assert sorted(climate["stations"].array_keys()) == [
        "elevation",
        "latitude",
        "longitude",
        "name",
        "observed_temperature",
    ]
    temperature = climate["temperature"]
    assert temperature.shape == (120, 73, 144)
    assert temperature.metadata.dimension_names == ("time", "lat", "lon")
    assert temperature.attrs["units"] == "K"
    values = temperature[...]
    assert np.isnan(values[40:43, 10:30, 50:80]).all()
    assert 200 < np.nanmin(values) and np.nanmax(values) < 320
    assert list(climate["stations/name"][:3]) == ["Reykjavik", "Nairobi", "Lima"]
    assert climate["land_mask"].dtype == np.bool_


def test_precipitation_is_sharded_with_empty_inner_chunks_omitted(sample: Path) -> None:
    precipitation = zarr.open_group(sample / "climate.zarr", mode="r")["precipitation"]
    assert precipitation.shards == (60, 73, 144) and precipitation.chunks == (20, 73, 72)
    values = precipitation[...]
    dry_blocks = [b for b in range(6) if not values[b * 20 : (b + 1) * 20, :, 72:].any()]
    assert dry_blocks, "the sample should contain inner chunks equal to the fill value"
    assert (values >= 0).all()


def test_legacy_group_is_zarr_v2_with_consolidated_metadata(sample: Path) -> None:
    legacy = zarr.open_consolidated(sample / "legacy-v2.zarr", mode="r")
    assert legacy.metadata.zarr_format == 2
    assert sorted(legacy.array_keys()) == ["counts", "readings", "station_id"]
    assert legacy["station_id"].dtype == np.dtype("<U12")
    assert legacy["readings"].attrs["_ARRAY_DIMENSIONS"] == ["time", "station"]
    assert (sample / "legacy-v2.zarr" / "readings" / "0" / "0").is_file()  # "/" dimension separator
    assert np.isnan(legacy["readings"].fill_value)


def test_sample_is_a_few_megabytes(sample: Path) -> None:
    assert 500_000 < _bytes_on_disk(sample) < 8_000_000


def test_build_is_deterministic(sample: Path, tmp_path: Path) -> None:
    again = build_sample(tmp_path / "again")
    for name in ("climate.zarr/temperature", "climate.zarr/precipitation", "legacy-v2.zarr/readings"):
        store, _, path = name.partition("/")
        first = zarr.open_array(sample / store, path=path, mode="r")[...]
        second = zarr.open_array(again / store, path=path, mode="r")[...]
        np.testing.assert_array_equal(first, second)


def test_build_is_idempotent_and_rebuilds_a_half_built_sample(tmp_path: Path) -> None:
    root = build_sample(tmp_path / "s")
    metadata = root / "climate.zarr" / "temperature" / "zarr.json"
    stamp = metadata.stat().st_mtime_ns
    build_sample(root)
    assert metadata.stat().st_mtime_ns == stamp  # second call reused the sample
    (root / ".zarrnb-sample").unlink()
    (root / "climate.zarr" / "lat" / "zarr.json").unlink()
    build_sample(root)
    assert zarr.open_array(root / "climate.zarr", path="lat", mode="r").shape == (73,)


def test_command_line_builds_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build-sample", str(tmp_path / "cli")]) == 0
    assert "climate.zarr, legacy-v2.zarr" in capsys.readouterr().out
    assert (tmp_path / "cli" / "climate.zarr" / "zarr.json").is_file()
