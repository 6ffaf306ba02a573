from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from zarrnb.notebook.axes import Axis
from zarrnb.notebook.colormaps import NAN_COLOUR, colormap
from zarrnb.notebook.domain import CellSize
from zarrnb.notebook.plotting import LINE_COLOUR, colorbar_svg, heatmap_html, heatmap_png, line_svg

SVG = "{http://www.w3.org/2000/svg}"
SEQUENTIAL = colormap("sequential")


def test_heatmap_is_byte_identical_for_equal_data_and_differs_otherwise() -> None:
    data = np.linspace(0, 1, 48).reshape(6, 8)
    first = heatmap_png(data, 0.0, 1.0, SEQUENTIAL, CellSize(2, 2))
    assert first == heatmap_png(data.copy(), 0.0, 1.0, SEQUENTIAL, CellSize(2, 2))
    assert first != heatmap_png(data[::-1], 0.0, 1.0, SEQUENTIAL, CellSize(2, 2))


def test_heatmap_pixels_follow_limits_cells_and_nan() -> None:
    data = np.array([[0.0, 10.0], [np.nan, 5.0]])
    image = Image.open(io.BytesIO(heatmap_png(data, 0.0, 10.0, SEQUENTIAL, CellSize(row=20, column=32))))
    assert image.size == (64, 40)  # cells 32 px wide, 20 px high
    pixels = np.asarray(image.convert("RGB"))
    assert tuple(pixels[0, 0]) == SEQUENTIAL.anchors[0]
    assert tuple(pixels[0, 63]) == SEQUENTIAL.anchors[-1]
    assert tuple(pixels[39, 0]) == NAN_COLOUR
    assert (
        tuple(pixels[39, 63])
        == tuple(SEQUENTIAL.table[127])
        == tuple(SEQUENTIAL.colours(np.array([5.0]), 0, 10)[0])
    )
    with pytest.raises(ValueError, match=r"non-empty 2-D array, got shape \(3,\)"):
        heatmap_png(np.zeros(3), 0, 1, SEQUENTIAL, CellSize(1, 1))


def test_figure_frames_the_image_with_axes_and_colour_bar() -> None:
    x = Axis("lon (degrees_east)", 64, ((16.0, "0"), (48.0, "180")))
    y = Axis("lat", 40, ((10.0, "90"), (30.0, "-90")))
    png = heatmap_png(np.zeros((2, 2)), 0, 1, SEQUENTIAL, CellSize(20, 32))
    figure = heatmap_html(png, x, y, colorbar_svg(SEQUENTIAL, 0.0, 1.0, 40))
    assert figure.count("<img") == 1 and 'width="64" height="40"' in figure
    assert "grid-template-columns:78px 64px" in figure
    for svg in re.findall(r"<svg.*?</svg>", figure):
        ET.fromstring(svg)
    assert ">lon (degrees_east)</text>" in figure and ">-90</text>" in figure


def test_colour_bar_ticks_are_numbers_between_the_limits_top_down() -> None:
    root = ET.fromstring(colorbar_svg(SEQUENTIAL, 244.1, 298.6, 200))
    ticks = [(float(t.get("y")), t.text) for t in root.iter(f"{SVG}text")]
    assert [text for _, text in ticks] == ["250", "260", "270", "280", "290"]
    assert ticks[0][0] > ticks[-1][0]  # 250 low on the bar, 290 near the top
    assert len(root.findall(f"{SVG}rect")) == 64


def test_categorical_bar_lists_values_with_their_names() -> None:
    root = ET.fromstring(colorbar_svg(colormap("categorical"), 0, 1, 100, labels={0: "False", 1: "True"}))
    assert [t.text for t in root.iter(f"{SVG}text")] == ["False", "True"]
    many = colorbar_svg(colormap("categorical"), 0, 30, 100)
    assert "colours repeat" in many


def test_line_svg_is_well_formed_deterministic_and_breaks_at_nan() -> None:
    values = np.array([1.0, 2.0, np.nan, 3.0, 4.0])
    axis = Axis("<time>", 300, ((30.0, "2024-01-01"), (270.0, "2024-01-05")))
    svg = line_svg(values, axis, (0.0, 5.0), y_title="t (K)")
    assert svg == line_svg(values.copy(), axis, (0.0, 5.0), y_title="t (K)")
    root = ET.fromstring(svg)
    assert len(root.findall(f"{SVG}polyline")) == 2
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "<time>" in labels and "2024-01-05" in labels and "t (K)" in labels and "4" in labels


def test_line_svg_without_finite_values_says_so() -> None:
    svg = line_svg(np.full(3, np.nan), Axis("x", 100, ()), None)
    assert "no finite values" in svg
    ET.fromstring(svg)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("background", ["#ffffff", "#111111"])
def test_line_colour_reads_on_light_and_near_black_backgrounds(background: str) -> None:
    a, b = sorted((_luminance(LINE_COLOUR), _luminance(background)))
    assert (b + 0.05) / (a + 0.05) >= 3.0  # WCAG contrast for graphics
