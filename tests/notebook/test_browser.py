"""The real-browser test: JupyterLab on 127.0.0.1, Debian's Chromium driven headless by Playwright.

A notebook builds a small hierarchy and calls ``browse``; the test runs it, clicks a group
and an array in the tree, moves a slider and checks on the DOM that the tree, the info
table and the preview image show and change, then switches to the dark theme and checks
the text turns light. It leaves screenshots in ``artifacts/browser-tour.png`` and
``artifacts/browser-tour-dark.png`` and stops every process it started.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
# the JupyterLab settings `make demo` uses: no news prompt; arrow keys left to a focused list box
DEMO_SETTINGS = Path(__file__).resolve().parents[2] / "jupyter" / "lab-settings"

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_notebook(path: Path, sources: tuple[str, ...] = (SETUP_CELL, BROWSE_CELL)) -> None:
    cells = [
        {"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None}
        for source in sources
    ]
    notebook = {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(notebook))


def _quiet_settings(settings_dir: Path) -> None:
    """No news or update checks (the machine is offline), so no notification covers the page."""
    target = settings_dir / "@jupyterlab" / "apputils-extension"
    target.mkdir(parents=True)
    (target / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


def _stop(server: subprocess.Popen) -> None:
    """Stop the server and, through its process group, every kernel it started."""
    _signal_group(server, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        _signal_group(server, signal.SIGKILL)
        server.wait()
    _signal_group(server, signal.SIGKILL)  # a kernel left behind in the group


@contextlib.contextmanager
def _lab(tmp_path: Path, notebook_cells: tuple[str, ...]) -> Iterator[tuple[str, Path]]:
    """A JupyterLab server on a free 127.0.0.1 port with a token; yields (notebook URL, notebook dir)."""
    root = tmp_path / "notebooks"
    root.mkdir()
    _write_notebook(root / "tour.ipynb", notebook_cells)
    _quiet_settings(tmp_path / "settings")
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
        f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
        "--LabApp.expose_app_in_browser=True", "--ServerApp.port_retries=0",
        f"--LabApp.app_settings_dir={DEMO_SETTINGS}",
    ] + (["--allow-root"] if os.geteuid() == 0 else [])  # fmt: skip
    log = (tmp_path / "jupyter.log").open("wb")
    server = subprocess.Popen(
        command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"JupyterLab did not start:\n{(tmp_path / 'jupyter.log').read_text()}"
                    ) from None
                time.sleep(0.3)
        yield f"{base}/lab/tree/tour.ipynb?token={token}", root
    finally:
        _stop(server)
        log.close()


@pytest.fixture
def jupyter_lab(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """JupyterLab with the small tour notebook."""
    with _lab(tmp_path, (SETUP_CELL, BROWSE_CELL)) as lab:
        yield lab


@contextlib.contextmanager
def _page(tmp_path: Path, chromium: Any, url: str) -> Iterator[Any]:
    """A headless Chromium page on the notebook ``url``, its kernel idle and the left area closed."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=chromium.executable_path,
            args=chromium.args,
            headless=True,
            viewport={"width": 1400, "height": 1100},
        )
        try:
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.goto(url)
            page.wait_for_function(
                "() => window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel?.status"
                " === 'idle'"
            )
            page.evaluate("window.jupyterapp.commands.execute('application:toggle-left-area')")
            yield page
        finally:
            context.close()


def test_browse_in_jupyterlab(jupyter_lab: tuple[str, Path], tmp_path: Path, chromium: Any) -> None:
    from playwright.sync_api import expect

    url, _ = jupyter_lab
    ARTIFACTS.mkdir(exist_ok=True)
    with _page(tmp_path, chromium, url) as page:
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


@pytest.fixture
def large_lab(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """JupyterLab with a notebook that browses a 2,000-array level beside 20 groups of 100 arrays."""
    with _lab(tmp_path, (LARGE_SETUP_CELL, "zarr.browse(root)")) as lab:
        yield lab


def _check_rows(tree: Any) -> dict[str, Any]:
    """Every visible row is at least 18 px high and the list box scrolls."""
    rows = tree.evaluate(ROWS)
    assert rows["heights"] and min(rows["heights"]) >= 18, rows["heights"]
    return rows


def test_browse_a_large_hierarchy_in_jupyterlab(
    large_lab: tuple[str, Path], tmp_path: Path, chromium: Any
) -> None:
    from playwright.sync_api import expect

    url, _ = large_lab
    ARTIFACTS.mkdir(exist_ok=True)
    with _page(tmp_path, chromium, url) as page:
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
