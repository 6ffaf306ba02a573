"""The previewer in a real browser: JupyterLab on 127.0.0.1, Debian's Chromium driven headless by Playwright.

A notebook writes a (time, lat, lon) array with increasing latitudes (the north warmest) and
CF times, and previews it. On the page the test checks that the first image row is the
northernmost (its pixels have the colour map's top colour and the ``90`` tick sits at the top),
that the axes are labelled with coordinate values, that the colour bar carries numbers, and
that moving the time slider keeps the colour limits until "per slice" is chosen. A station
series is previewed as a line and shot in the dark theme. Screenshots go to ``artifacts/``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

SETUP_CELL = """\
import numpy as np
import zarrnb as zarr

root = zarr.open_group("climate.zarr", mode="w")
lat, lon = np.linspace(-90, 90, 37), np.arange(72) * 5.0
for name, values, attrs in (
    ("time", np.arange(30), {"units": "days since 2024-01-01", "calendar": "standard"}),
    ("lat", lat, {"units": "degrees_north"}),
    ("lon", lon, {"units": "degrees_east"}),
):
    root.create_array(name, shape=values.shape, dtype=values.dtype, dimension_names=[name],
                      attributes=attrs)[:] = values
days = np.arange(30)[:, None, None]
field = 250 + 40 * (lat[None, :, None] + 90) / 180 + days + 3 * np.sin(np.deg2rad(3 * lon))
temperature = root.create_array("temperature", shape=field.shape, chunks=(1, 37, 72), dtype="f4",
                                dimension_names=["time", "lat", "lon"], attributes={"units": "K"})
temperature[:] = field
stations = root.create_group("stations")
stations.create_array("name", shape=(3,), dtype=str, dimension_names=["station"])[:] = np.array(
    ["Reykjavik", "Nairobi", "Lima"], dtype=object)
series = stations.create_array("observed", shape=(30, 3), dtype="f4", dimension_names=["time", "station"])
series[:] = np.array([2, 21, 15]) + 3 * np.sin(np.arange(30)[:, None] / 4 + np.arange(3))
"""
MAP_CELL = 'zarr.preview(root["temperature"])'
LINE_CELL = 'zarr.preview(root["stations/observed"])'

# the colour of a pixel of the first <img> in a previewer, drawn at its natural size on a canvas
PIXEL = """([selector, x, y]) => {
    const image = document.querySelector(selector);
    const canvas = document.createElement("canvas");
    canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    return Array.from(context.getImageData(x, y < 0 ? image.naturalHeight + y : y, 1, 1).data.slice(0, 3));
}"""
# the first previewer's colour-bar ticks as "label@height": they move when the limits change
TICKS = """() => Array.from(document.querySelectorAll(".zarrnb-preview .zarrnb-colorbar .zarrnb-tick"))
    .map(tick => tick.textContent + "@" + tick.getAttribute("y")).join(" ")"""
LUMINANCE = """element => {
    const [r, g, b] = getComputedStyle(element).stroke.match(/\\d+/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""


def _luma(rgb: list[int]) -> float:
    return (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / 255


def _texts(locator) -> list[str]:
    return [text.strip() for text in locator.all_text_contents()]  # SVG text has no innerText


def test_preview_in_jupyterlab(notebook_lab: Any, lab_page: Any) -> None:
    from playwright.sync_api import expect

    url, _ = notebook_lab((SETUP_CELL, MAP_CELL, LINE_CELL), name="preview.ipynb")
    ARTIFACTS.mkdir(exist_ok=True)
    page = lab_page(url, viewport=(1280, 1300))
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")

    previewer = page.locator(".zarrnb-preview").first
    image = previewer.locator("img.zarrnb-image")
    expect(image).to_be_visible(timeout=60_000)
    image_selector = ".zarrnb-preview img.zarrnb-image"
    page.wait_for_function(f"() => document.querySelector('{image_selector}').complete")

    # north up: the first image row is the warmest, drawn light (the colour map's lightness rises
    # with the value); the last row the coldest, at the dark bottom of the map
    top = page.evaluate(PIXEL, [image_selector, 2, 0])
    bottom = page.evaluate(PIXEL, [image_selector, 2, -1])
    assert _luma(top) > _luma(bottom) + 0.3 and _luma(bottom) < 0.15, (top, bottom)
    y_ticks = previewer.locator(".zarrnb-y-axis .zarrnb-tick")
    north = y_ticks.filter(has_text="90").and_(y_ticks.filter(has_not_text="-")).bounding_box()
    south = y_ticks.filter(has_text="-90").bounding_box()
    picture = image.bounding_box()
    assert north["y"] < picture["y"] + 12 and south["y"] > picture["y"] + picture["height"] - 24

    # axes labelled with coordinate values, a colour bar with numbers
    assert {"0", "90", "180", "270"} <= set(_texts(previewer.locator(".zarrnb-x-axis .zarrnb-tick")))
    expect(previewer.locator(".zarrnb-x-axis")).to_contain_text("lon (degrees_east)")
    bar = previewer.locator(".zarrnb-colorbar .zarrnb-tick")
    limits = _texts(bar)
    assert len(limits) >= 3 and all(float(text) for text in limits), limits
    fixed = page.evaluate(TICKS)
    expect(previewer.locator(".zarrnb-readout").first).to_have_text("2024-01-01")
    previewer.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(ARTIFACTS / "preview-north-up.png"))

    # the time slider moves: a new picture, the same colour limits
    first_src = image.get_attribute("src")
    slider = previewer.locator(".widget-slider").filter(has_text="time")
    slider.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    expect(previewer.locator(".zarrnb-readout").first).to_have_text("2024-01-02")
    expect(image).not_to_have_attribute("src", first_src)
    assert _texts(bar) == limits and page.evaluate(TICKS) == fixed
    page.screenshot(path=str(ARTIFACTS / "preview-slider-fixed-limits.png"))

    # per slice: the limits follow the slice (1 K warmer a day)
    previewer.locator(".widget-dropdown", has_text="limits").locator("select").select_option(
        label="per slice"
    )
    expect(previewer.locator(".zarrnb-caption")).to_contain_text(", per slice (2nd–98th percentile)")
    per_slice = page.evaluate(TICKS)
    second_src = image.get_attribute("src")
    slider.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    expect(previewer.locator(".zarrnb-readout").first).to_have_text("2024-01-03")
    # the slice is the last one shifted by 1 K, so its picture is the same: only the bar moves
    page.wait_for_function(f"() => ({TICKS})() !== {json.dumps(per_slice)}")
    assert image.get_attribute("src") == second_src
    page.screenshot(path=str(ARTIFACTS / "preview-per-slice.png"))

    # a station series: a line over dates with the station's name; the line reads on dark
    series = page.locator(".zarrnb-preview").nth(1)
    expect(series.locator(".zarrnb-readout").nth(1)).to_have_text("Reykjavik")
    expect(series.locator(".zarrnb-line")).to_contain_text("2024-01-01")
    page.evaluate(
        "window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})"
    )
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
    line = series.locator(".zarrnb-series").first
    assert line.evaluate(LUMINANCE) > 0.3
    series.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(ARTIFACTS / "preview-line-dark.png"))
