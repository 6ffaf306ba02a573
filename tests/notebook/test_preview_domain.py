"""The numbers pictures are drawn from: ticks, limits, chunk samples, cell sizes, colour maps, axes."""

from __future__ import annotations

import numpy as np
import pytest

from zarrnb.notebook.axes import Coordinate, axis_ticks
from zarrnb.notebook.colormaps import COLORMAPS, NAN_COLOUR, colormap
from zarrnb.notebook.domain import (
    FixedLimits,
    cell_size,
    nice_ticks,
    robust_limits,
    sample_chunk_selections,
    symmetric,
    tick_text,
)


def test_nice_ticks_are_round_and_inside_the_range() -> None:
    assert nice_ticks(-90, 90, 6, angles=True) == [-90, -60, -30, 0, 30, 60, 90]
    assert nice_ticks(-90, 90, 6) == [-75, -50, -25, 0, 25, 50, 75]
    assert nice_ticks(0, 357.5, 5) == [0, 100, 200, 300]
    assert nice_ticks(0, 357.5, 5, angles=True) == [0, 60, 120, 180, 240, 300]
    assert nice_ticks(244.1, 298.6, 5) == [250, 260, 270, 280, 290]
    assert nice_ticks(0.0, 1.0, 4) == [0, 0.25, 0.5, 0.75, 1.0]
    assert nice_ticks(3.0, 3.0) == [3.0] and nice_ticks(np.nan, 1.0) == []
    assert tick_text([0, 0.25, 0.5]) == ["0.00", "0.25", "0.50"]
    assert tick_text([-90.0, 0.0, 90.0]) == ["-90", "0", "90"]
    assert tick_text([0, 2.5, 5]) == ["0.0", "2.5", "5.0"]


def test_robust_limits_ignore_outliers_and_nan() -> None:
    values = np.concatenate([np.linspace(0, 1, 1000), [1e9, np.nan]])
    lo, hi = robust_limits(values)
    assert 0 <= lo < 0.05 and 0.95 < hi <= 1.0
    assert robust_limits(np.full(4, np.nan)) == (0.0, 1.0)
    assert robust_limits(np.array([0.0] * 99 + [1.0])) == (0.0, 1.0)


def test_fixed_limits_hold_across_slices_and_only_widen() -> None:
    fixed = FixedLimits([np.linspace(0, 100, 1001)])
    first = fixed.absorb(np.linspace(10, 90, 50))
    assert first == pytest.approx((2.0, 98.0)) and fixed.source == "fixed: sampled from the whole array"
    assert fixed.absorb(np.linspace(20, 30, 50)) == first  # a narrower slice changes nothing
    assert fixed.absorb(np.linspace(0, 101, 1001)) == first  # within 5 % of the span: kept
    assert fixed.absorb(np.linspace(150, 250, 1001)) == pytest.approx((2.0, 248.0))
    assert fixed.source.endswith("widened by a slice")
    assert FixedLimits(None).absorb(np.array([np.nan])) == (0.0, 1.0)
    assert FixedLimits([np.array([0.0, 1.0, 50.0])], robust=False).absorb(np.array([2.0])) == (0.0, 50.0)
    chunks = FixedLimits([np.linspace(0, 10, 101), np.linspace(90, 100, 101)])
    assert chunks.estimate == pytest.approx((0.2, 99.8))  # the union of each chunk's robust range
    unsampled = FixedLimits([], first=np.linspace(0, 10, 101))
    assert unsampled.current == pytest.approx((0.2, 9.8)) and unsampled.source.endswith("viewed so far")
    assert symmetric(-2.0, 5.0) == (-5.0, 5.0) and symmetric(1.0, 5.0) == (1.0, 5.0)


def test_chunk_samples_are_few_spread_and_whole_chunks() -> None:
    picks = sample_chunk_selections((120, 73, 144), (30, 37, 72), max_chunks=4)
    assert len(picks) == 4  # of 16 chunks
    assert picks[0] == (slice(0, 30), slice(0, 37), slice(0, 72))
    assert picks[-1] == (slice(90, 120), slice(37, 73), slice(72, 144))
    assert {p[0].start for p in picks} == {0, 30, 60, 90}  # every time block is sampled
    assert len(sample_chunk_selections((10**4,), (10**3,), max_elements=2500)) == 2
    assert sample_chunk_selections((10**6,), (10**6,), max_elements=1000) == []  # one chunk is too big
    assert sample_chunk_selections((0, 4), (2, 2)) == []


def test_cells_are_square_unless_a_side_would_be_too_short() -> None:
    assert cell_size(73, 144).picture(73, 144) == (432, 219)
    thin = cell_size(120, 8)
    assert thin.picture(120, 8) == (160, 360)  # not 24 px wide
    assert cell_size(2, 2).picture(2, 2) == (160, 160)
    assert cell_size(480, 480).picture(480, 480) == (480, 480)


def test_colour_maps_cover_their_anchors_and_draw_nan_grey() -> None:
    sequential = colormap("sequential")
    assert tuple(sequential.table[0]) == sequential.anchors[0]
    assert tuple(sequential.table[-1]) == sequential.anchors[-1]
    luma = sequential.table.astype(float) @ np.array([0.299, 0.587, 0.114])
    assert np.all(np.diff(luma) > -0.5)  # reads in greyscale
    rgb = sequential.colours(np.array([-5.0, 0.5, 50.0, np.nan]), 0.0, 1.0)
    assert tuple(rgb[0]) == sequential.anchors[0] and tuple(rgb[2]) == sequential.anchors[-1]
    assert tuple(rgb[3]) == NAN_COLOUR
    diverging = colormap("diverging")
    assert tuple(diverging.colours(np.array([0.0]), -1.0, 1.0)[0]) == diverging.anchors[2]
    categories = colormap("categorical").colours(np.array([0.0, 1.0, 1.0]), 0, 1)
    assert tuple(categories[0]) != tuple(categories[1]) and tuple(categories[1]) == tuple(categories[2])
    assert set(COLORMAPS) == {"sequential", "diverging", "grey", "categorical"}
    with pytest.raises(ValueError, match="unknown colour map 'jet'"):
        colormap("jet")


def _coordinate(values: np.ndarray, kind: str = "number", units: str = "") -> Coordinate:
    return Coordinate(name="/c", size=len(values), kind=kind, units=units, read=lambda s: values[s])


def test_axis_ticks_sit_at_coordinate_values_and_follow_a_flip() -> None:
    lat = _coordinate(np.linspace(-90, 90, 73), units="degrees_north")
    axis = axis_ticks("lat", lat, range(73), 3, reverse=True, min_gap=22)
    labels = dict((text, pixel) for pixel, text in axis.ticks)
    assert axis.length == 219 and axis.title == "lat (degrees_north)"
    assert labels["90"] == pytest.approx(1.5) and labels["-90"] == pytest.approx(217.5)  # north on top
    assert labels["0"] == pytest.approx(109.5)
    upright = axis_ticks("lat", lat, range(73), 3, min_gap=22)
    assert dict((t, p) for p, t in upright.ticks)["-90"] == pytest.approx(1.5)


def test_axis_ticks_label_dates_text_and_bare_indices() -> None:
    names = _coordinate(np.array(["Reykjavik", "Nairobi", "Lima"], dtype=object), "label")
    assert [t for _, t in axis_ticks("station", names, range(3), 60).ticks] == [
        "Reykjavik",
        "Nairobi",
        "Lima",
    ]
    days = np.datetime64("2024-01-01", "ms") + np.arange(120).astype("timedelta64[D]")
    times = _coordinate(days, "time")
    labels = [t for _, t in axis_ticks("time", times, range(0, 120, 2), 6).ticks]
    assert labels[0] == "2024-01-01" and all(len(label) == 10 for label in labels)
    bare = axis_ticks("x", None, range(0, 1000, 10), 4)
    assert bare.title == "x (index)" and [t for _, t in bare.ticks][:2] == ["0", "200"]


def test_names_that_crowd_an_axis_are_slanted_to_show_them_all() -> None:
    cities = ["Reykjavik", "Nairobi", "Lima", "Ulaanbaatar", "Tromsø", "Hobart", "Quito", "Anchorage"]
    names = _coordinate(np.array(cities, dtype=object), "label")
    axis = axis_ticks("station", names, range(8), 20)
    assert axis.slanted and [t for _, t in axis.ticks] == cities
    assert axis.depth == pytest.approx(6.5 * 11 * 0.7071 - 8)
    days = np.datetime64("2024-01-01", "ms") + np.arange(8).astype("timedelta64[D]")
    level = axis_ticks("time", _coordinate(days, "time"), range(8), 20)
    assert not level.slanted and level.depth == 0 and len(level.ticks) < 8
