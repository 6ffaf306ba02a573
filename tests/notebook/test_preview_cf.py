"""CF decoding of the previewer, checked against xarray's own decoding of the same values and attributes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from zarrnb.notebook.cf import PackedValues, decode_times, format_times, parse_time_units
from zarrnb.notebook.preview import preview

xr = pytest.importorskip("xarray", reason="xarray is in the test extra: pip install -e '.[test]'")

PACKED = [
    (
        "i2",
        {"scale_factor": 0.01, "add_offset": 273.15, "_FillValue": -32767},
        [-32767, 0, 150, -2000, 32000],
    ),
    ("i4", {"scale_factor": 0.001, "missing_value": -999900}, [-999900, 5, 12345, -7, 0]),
    ("u1", {"missing_value": [0, 255], "scale_factor": 0.5}, [0, 1, 128, 255, 254]),
    ("f4", {"_FillValue": np.nan, "add_offset": 10.0}, [np.nan, 1.5, -2.25, 0.0, 3.0]),
    ("f8", {"_FillValue": -1.0e20}, [-1.0e20, 1.0, 2.0, -1.0e20, 4.0]),
    ("i8", {"add_offset": -5}, [1, 2, 3, 4, 5]),
]


@pytest.mark.filterwarnings("ignore:variable 'v' has multiple fill values")
@pytest.mark.parametrize(("dtype", "attrs", "raw"), PACKED, ids=[f"{d}-{sorted(a)}" for d, a, _ in PACKED])
def test_packed_values_decode_as_xarray_decodes_them(dtype: str, attrs: dict[str, Any], raw: list) -> None:
    stored = np.array(raw, dtype=dtype)
    expected = xr.conventions.decode_cf_variable("v", xr.Variable(("x",), stored, dict(attrs))).values
    decoded = PackedValues.from_attributes(attrs).decode(stored)
    assert decoded.dtype.kind == "f"
    np.testing.assert_array_equal(np.isnan(decoded), np.isnan(expected))
    np.testing.assert_allclose(decoded, expected, rtol=1e-6, equal_nan=True)


def test_the_v2_fill_value_masks_like_xarray_but_a_v3_one_does_not(tmp_path: Any) -> None:
    """A v2 array packed as the NOAA retrospective is: zarr-python writes it, xarray and zarrnb read it."""
    zarr = pytest.importorskip("zarr")
    import zarrnb

    raw = np.array([[-999900, 120, 0], [7, -999900, 31]], dtype="i4")
    root = zarr.open_group(str(tmp_path / "packed.zarr"), mode="w", zarr_format=2)
    attrs = {
        "_ARRAY_DIMENSIONS": ["time", "feature"],
        "scale_factor": 0.01,
        "add_offset": 0.0,
        "units": "m3 s-1",
    }
    flow = root.create_array("flow", shape=raw.shape, dtype="i4", fill_value=-999900, attributes=attrs)
    flow[:] = raw
    expected = xr.open_zarr(str(tmp_path / "packed.zarr"), consolidated=False)["flow"].values
    view = preview(zarrnb.open_group(str(tmp_path / "packed.zarr"), mode="r")["flow"])
    np.testing.assert_allclose(view.data, expected, equal_nan=True)
    assert np.isnan(view.data[0, 0]) and view.data[0, 1] == pytest.approx(1.2)
    assert "CF-decoded (scale_factor=0.01; add_offset=0; masked -999900)" in view.note.value
    view.decode.value = False
    assert view.data.tolist() == raw.tolist()
    v3 = PackedValues.from_attributes({"scale_factor": 2.0}, fill_value=0, zarr_format=3)
    assert v3.decode(np.array([0, 1], dtype="i2")).tolist() == [0.0, 2.0]


def test_strings_booleans_and_complex_values_are_never_decoded() -> None:
    packing = PackedValues.from_attributes({"scale_factor": 2.0, "_FillValue": 0})
    for values in (np.array(["a", "b"]), np.array([True, False]), np.array([1 + 1j])):
        assert packing.decode(values) is values or packing.decode(values).tolist() == values.tolist()
    nan_fill = PackedValues.from_attributes({}, fill_value=float("nan"), zarr_format=2)
    assert nan_fill.active and not nan_fill.applies_to(np.dtype("f8"))  # NaN -> NaN: no toggle to show
    with pytest.raises(TypeError, match="'scale_factor' must be a number"):
        PackedValues.from_attributes({"scale_factor": "0.1"})


TIMES = [
    ("days since 2024-01-01", "proleptic_gregorian", [0, 1, 41, 119, 366]),
    ("hours since 1993-01-01 00:00:00", "standard", [0, 13, 24 * 400 + 5]),
    ("seconds since 1970-01-01T00:00:00Z", "gregorian", [0, 1.5e9, 86_399]),
    ("minutes since 2000-02-28 12:30", None, [0, 720, 1440 * 2]),
]


@pytest.mark.parametrize(("units", "calendar", "numbers"), TIMES, ids=[u for u, _, _ in TIMES])
def test_times_decode_as_xarray_decodes_them(units: str, calendar: str | None, numbers: list) -> None:
    attrs = {"units": units} | ({"calendar": calendar} if calendar else {})
    variable = xr.Variable(("time",), np.array(numbers, dtype="f8"), attrs)
    expected = xr.conventions.decode_cf_variable("time", variable).values.astype("datetime64[ms]")
    parsed = parse_time_units(units, calendar)
    assert parsed is not None
    assert decode_times(np.array(numbers), parsed).tolist() == expected.tolist()


def test_calendars_without_numpy_dates_decode_to_text() -> None:
    noleap = parse_time_units("days since 2001-01-01", "noleap")
    assert list(decode_times(np.array([0, 58, 59, 365]), noleap)) == [
        "2001-01-01", "2001-02-28", "2001-03-01", "2002-01-01"
    ]  # fmt: skip
    days360 = parse_time_units("hours since 2000-01-30", "360_day")
    assert list(decode_times(np.array([24.0, 36.0, np.nan]), days360)) == [
        "2000-02-01",
        "2000-02-01 12:00",
        "",
    ]


def test_time_units_that_are_not_cf_are_refused_quietly() -> None:
    assert parse_time_units("K") is None
    assert parse_time_units("days since yesterday") is None
    assert parse_time_units("fortnights since 2000-01-01") is None
    assert parse_time_units("days since 2000-01-01", "julian") is None
    days = parse_time_units("days since 2000-01-01")
    assert np.isnat(decode_times(np.array([1e20, np.inf]), days)).all()  # an unmasked fill value
    shifted = parse_time_units("hours since 2000-01-01 00:00 +02:00")
    assert decode_times(np.array([2.0]), shifted).tolist() == [np.datetime64("2000-01-01T00:00", "ms").item()]


def test_dates_print_as_short_as_their_resolution_allows() -> None:
    days = np.array(["2024-01-01", "2024-02-11", "NaT"], dtype="datetime64[ms]")
    assert format_times(days) == ["2024-01-01", "2024-02-11", "NaT"]
    hours = np.array(["2024-01-01T00:00", "2024-01-01T13:00"], dtype="datetime64[ms]")
    assert format_times(hours) == ["2024-01-01 00:00", "2024-01-01 13:00"]
