"""The real-browser test: JupyterLab on 127.0.0.1, Debian's Chromium driven headless by Playwright.

A notebook builds a small hierarchy and calls ``browse``; the test runs it, clicks a group
and an array in the tree, moves a slider and checks on the DOM that the tree, the info
table and the preview image show and change, then switches to the dark theme and checks
the text turns light. It leaves screenshots in ``artifacts/browser-tour.png`` and
``artifacts/browser-tour-dark.png`` and stops every process it started.
"""

from __future__ import annotations

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_notebook(path: Path) -> None:
    cells = [
        {"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None}
        for source in (SETUP_CELL, BROWSE_CELL)
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


@pytest.fixture
def jupyter_lab(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A JupyterLab server on a free 127.0.0.1 port with a token; yields (base URL, notebook dir)."""
    root = tmp_path / "notebooks"
    root.mkdir()
    _write_notebook(root / "tour.ipynb")
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


def test_browse_in_jupyterlab(jupyter_lab: tuple[str, Path], tmp_path: Path, chromium) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, _ = jupyter_lab
    ARTIFACTS.mkdir(exist_ok=True)
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
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")

            browser = page.locator(".zarrnb-browser")
            expect(browser).to_be_visible(timeout=45_000)
            tree = browser.locator(".zarrnb-tree")
            expect(tree.locator(".zarrnb-node")).to_have_count(3)  # root, cube, weather: one level only
            info = browser.locator(".zarrnb-detail .zarrnb-info")
            expect(info).to_contain_text("Group")

            tree.locator(".zarrnb-group", has_text="weather/").click()
            expect(tree.locator(".zarrnb-node", has_text="temperature")).to_be_visible()
            expect(browser.locator(".zarrnb-detail")).to_contain_text("Kew")
            expect(browser.locator(".zarrnb-detail .zarrnb-expression")).to_contain_text("['weather']")

            tree.locator(".zarrnb-array", has_text="cube").click()
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
        finally:
            context.close()
