from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import numpy as np
from PIL import Image

from zarrnb.notebook.plotting import (
    COLORMAP_ANCHORS,
    NAN_COLOUR,
    colormap_css,
    heatmap_png,
    line_svg,
    lookup_table,
)


def test_lookup_table_runs_from_first_to_last_anchor_with_rising_lightness() -> None:
    table = lookup_table(256)
    assert table.shape == (256, 3)
    assert tuple(table[0]) == COLORMAP_ANCHORS[0]
    assert tuple(table[-1]) == COLORMAP_ANCHORS[-1]
    luma = table.astype(float) @ np.array([0.299, 0.587, 0.114])
    assert np.all(np.diff(luma) > -0.5)


def test_heatmap_is_byte_identical_for_equal_data_and_differs_otherwise() -> None:
    data = np.linspace(0, 1, 48).reshape(6, 8)
    first = heatmap_png(data, 0.0, 1.0)
    assert first == heatmap_png(data.copy(), 0.0, 1.0)
    assert first != heatmap_png(data[::-1], 0.0, 1.0)


def test_heatmap_pixels_follow_limits_enlargement_and_nan() -> None:
    data = np.array([[0.0, 10.0], [np.nan, 5.0]])
    image = Image.open(io.BytesIO(heatmap_png(data, 0.0, 10.0, target_size=64)))
    assert image.size == (64, 64)  # 2x2 enlarged 32 times
    pixels = np.asarray(image.convert("RGB"))
    assert tuple(pixels[0, 0]) == COLORMAP_ANCHORS[0]
    assert tuple(pixels[0, 63]) == COLORMAP_ANCHORS[-1]
    assert tuple(pixels[63, 0]) == NAN_COLOUR
    assert tuple(pixels[63, 63]) == tuple(lookup_table()[128])


def test_heatmap_clips_values_outside_the_limits() -> None:
    image = Image.open(io.BytesIO(heatmap_png(np.array([[-5.0, 50.0]]), 0.0, 1.0, target_size=2)))
    pixels = np.asarray(image.convert("RGB"))
    assert tuple(pixels[0, 0]) == COLORMAP_ANCHORS[0]
    assert tuple(pixels[0, 1]) == COLORMAP_ANCHORS[-1]


def test_line_svg_is_well_formed_deterministic_and_breaks_at_nan() -> None:
    values = np.array([1.0, 2.0, np.nan, 3.0, 4.0])
    svg = line_svg(np.arange(5), values, x_label="<time>")
    assert svg == line_svg(np.arange(5), values.copy(), x_label="<time>")
    root = ET.fromstring(svg)
    lines = root.findall("{http://www.w3.org/2000/svg}polyline")
    assert len(lines) == 2
    labels = [t.text for t in root.findall("{http://www.w3.org/2000/svg}text")]
    assert "<time>" in labels and "4" in labels and "1" in labels


def test_line_svg_without_finite_values_says_so() -> None:
    svg = line_svg(np.arange(3), np.full(3, np.nan))
    assert "no finite values" in svg
    ET.fromstring(svg)


def test_colormap_css_lists_every_anchor() -> None:
    css = colormap_css()
    assert css.startswith("linear-gradient(")
    assert all(f"rgb{anchor}" in css for anchor in COLORMAP_ANCHORS)
