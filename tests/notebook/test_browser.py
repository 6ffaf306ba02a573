"""The real-browser test: JupyterLab on 127.0.0.1, Debian's Chromium driven headless by Playwright.

A notebook builds a small hierarchy and calls ``browse``; the test runs it, clicks a group
and an array in the tree, moves a slider and checks on the DOM that the tree, the info
table and the preview image show and change, then switches to the dark theme and checks
the text turns light. It leaves screenshots in ``artifacts/browser-tour.png`` and
``artifacts/browser-tour-dark.png`` and stops every process it started.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

SETUP_CELL = """\
import numpy as np
import zarrnb as zarr

root = zarr.open_group("tour.zarr", mode="w", attributes={"title": "browser tour"})
cube = root.create_array("cube", shape=(4, 40, 60), chunks=(1, 20, 20), dtype="f4",
                         dimension_names=["time", "y", "x"])
y, x = np.mgrid[0:40, 0:60]
cube[:] = np.stack([np.sin(x / (4 + 3 * t)) * np.cos(y / 7) for t in range(4)])
weather = root.create_group("weather", attributes={"station": "Kew"})
weather.create_array("temperature", shape=(24,), dtype="f8")[:] = 10 + 5 * np.sin(np.arange(24) / 4)
"""
BROWSE_CELL = "zarr.browse(root)"
# relative luminance (0 dark .. 1 light) of the computed text colour of the first element matching a selector
LUMINANCE = """selector => {
    const [r, g, b] = getComputedStyle(document.querySelector(selector)).color.match(/\\d+/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""


def test_browse_in_jupyterlab(notebook_lab: Any, lab_page: Any) -> None:
    from playwright.sync_api import expect

    url, _ = notebook_lab((SETUP_CELL, BROWSE_CELL))
    ARTIFACTS.mkdir(exist_ok=True)
    page = lab_page(url)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")

    browser = page.locator(".zarrnb-browser")
    expect(browser).to_be_visible(timeout=45_000)
    tree = browser.locator(".zarrnb-tree select")
    expect(tree.locator("option")).to_have_count(3)  # root, cube, weather: one level only
    info = browser.locator(".zarrnb-detail .zarrnb-info")
    expect(info).to_contain_text("Group")

    tree.locator("option", has_text="weather/").click()
    expect(tree.locator("option", has_text="temperature")).to_be_visible()
    expect(browser.locator(".zarrnb-detail")).to_contain_text("Kew")
    expect(browser.locator(".zarrnb-detail .zarrnb-expression")).to_contain_text("['weather']")

    tree.locator("option", has_text="cube").click()
    expect(info).to_contain_text("Array")
    image = browser.locator(".zarrnb-preview img")
    expect(image).to_be_visible()
    first_src = image.get_attribute("src")
    first_stats = browser.locator(".zarrnb-preview .zarrnb-stats").inner_text()

    slider = browser.locator(".zarrnb-preview .widget-slider").filter(has_text="time")
    slider.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    expect(browser.locator(".zarrnb-preview")).to_contain_text("time=1")
    expect(image).not_to_have_attribute("src", first_src)
    assert browser.locator(".zarrnb-preview .zarrnb-stats").inner_text() != first_stats
    browser.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(ARTIFACTS / "browser-tour.png"))

    # the dark theme: the info table's text follows the theme (dark on light, then light on dark)
    cell = ".zarrnb-browser .zarrnb-info td"
    assert page.evaluate(LUMINANCE, cell) < 0.5
    page.evaluate(
        "window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})"
    )
    page.wait_for_function(f"selector => ({LUMINANCE})(selector) > 0.5", arg=cell)
    page.screenshot(path=str(ARTIFACTS / "browser-tour-dark.png"))


LARGE_SETUP_CELL = """\
import zarrnb as zarr

root = zarr.open_group("large.zarr", mode="w")
flat = root.create_group("flat")
for i in range(2000):
    flat.create_array(f"a{i:04d}", shape=(4,), dtype="i2")
for g in range(20):
    sub = root.create_group(f"g{g:02d}")
    for i in range(100):
        sub.create_array(f"v{i:03d}", shape=(4,), dtype="f4")
"""
# heights of the options of the tree's list box that lie inside its visible box, and its scroll extent
ROWS = """select => {
    const box = select.getBoundingClientRect();
    const heights = [...select.options].map(o => o.getBoundingClientRect())
        .filter(r => r.height > 0 && r.bottom > box.top && r.top < box.bottom).map(r => r.height);
    return {heights, scrollHeight: select.scrollHeight, clientHeight: select.clientHeight};
}"""


def _check_rows(tree: Any) -> dict[str, Any]:
    """Every visible row is at least 18 px high and the list box scrolls."""
    rows = tree.evaluate(ROWS)
    assert rows["heights"] and min(rows["heights"]) >= 18, rows["heights"]
    return rows


def test_browse_a_large_hierarchy_in_jupyterlab(notebook_lab: Any, lab_page: Any) -> None:
    """A notebook browses a 2,000-array level beside 20 groups of 100 arrays."""
    from playwright.sync_api import expect

    url, _ = notebook_lab((LARGE_SETUP_CELL, "zarr.browse(root)"))
    ARTIFACTS.mkdir(exist_ok=True)
    page = lab_page(url)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    browser = page.locator(".zarrnb-browser")
    expect(browser).to_be_visible(timeout=90_000)
    tree = browser.locator(".zarrnb-tree select")
    expect(tree.locator("option")).to_have_count(22)  # root, flat/, g00/ … g19/
    browser.evaluate("element => element.scrollIntoView({block: 'start'})")

    # a 2,000-member level: the first page of 200 and a 'show more' row, in a box that scrolls
    tree.locator("option", has_text="flat/").click()
    more = tree.locator("option", has_text="(200 of 2,000 shown)")
    expect(more).to_have_count(1)
    expect(tree.locator("option")).to_have_count(22 + 200 + 1)
    rows = _check_rows(tree)
    assert rows["scrollHeight"] > rows["clientHeight"] + 1000, rows
    expect(browser.locator(".zarrnb-status")).to_contain_text("/flat: 200 of 2,000 members shown")
    page.screenshot(path=str(ARTIFACTS / "browser-2000-members.png"))

    more.scroll_into_view_if_needed()
    more.click()  # the next page loads and the selection moves onto its first row
    expect(tree.locator("option", has_text="(400 of 2,000 shown)")).to_have_count(1)
    expect(browser.locator(".zarrnb-detail")).to_contain_text("/flat/a0200")
    expect(browser.locator(".zarrnb-status")).to_contain_text("/flat: 400 of 2,000 members shown")
    _check_rows(tree)
    page.screenshot(path=str(ARTIFACTS / "browser-show-more.png"))

    # the filter finds a member on page 5 of the level (names 800-999), not loaded as rows yet
    browser.locator("input[type=text]").fill("a0950")
    expect(tree.locator("option")).to_have_count(3)  # root, flat/, a0950
    tree.locator("option", has_text="a0950").click()
    expect(browser.locator(".zarrnb-detail")).to_contain_text("/flat/a0950")
    page.screenshot(path=str(ARTIFACTS / "browser-filter-page-5.png"))

    # 20 subgroups: open a few, rows keep their height, the box keeps scrolling
    browser.locator("input[type=text]").fill("")
    expect(tree.locator("option", has_text="g00/")).to_have_count(1)
    for name in ("g00/", "g07/", "g19/"):
        tree.locator("option", has_text=name).scroll_into_view_if_needed()
        tree.locator("option", has_text=name).click()
        expect(tree.locator("option", has_text=f"▾ {name}")).to_have_count(1)
    expect(tree.locator("option", has_text="v099")).to_have_count(3)
    rows = _check_rows(tree)
    assert rows["scrollHeight"] > rows["clientHeight"], rows
    page.screenshot(path=str(ARTIFACTS / "browser-20-subgroups.png"))

    # keyboard: the arrow keys move the selection (and the detail pane) through the list box
    tree.focus()
    page.keyboard.press("ArrowDown")
    expect(browser.locator(".zarrnb-detail")).to_contain_text("/g19/v000")
    page.keyboard.press("ArrowDown")
    expect(browser.locator(".zarrnb-detail")).to_contain_text("/g19/v001")
    page.keyboard.press("ArrowUp")
    expect(browser.locator(".zarrnb-detail")).to_contain_text("/g19/v000")
