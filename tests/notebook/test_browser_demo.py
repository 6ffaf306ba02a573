"""The first session: the URL ``make demo`` prints opens the tour notebook, and no news prompt shows.

The JupyterLab command is read from ``make -n demo`` (so the test follows the Makefile), started on a
free 127.0.0.1 port with a known token and throwaway user directories, and opened in Chromium.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from .conftest import _free_port, _stop
from .test_browser import ARTIFACTS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NEWS = "official Jupyter news"


def _demo_arguments() -> list[str]:
    """The arguments ``make demo`` gives ``jupyter lab``, as make would run them."""
    if shutil.which("make") is None:
        pytest.fail("make is needed to read the demo command (apt-get install make)")
    plan = subprocess.run(["make", "-n", "demo"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    command = plan.replace("\\\n", " ")
    (line,) = [line for line in command.splitlines() if re.search(r"/jupyter lab\b", line)]
    words = shlex.split(line)
    return words[words.index("lab") + 1 :]


def test_the_printed_url_opens_the_tour_without_a_news_prompt(tmp_path: Path, chromium: Any) -> None:
    from playwright.sync_api import sync_playwright

    arguments = _demo_arguments()
    assert "--LabApp.default_url=/lab/tree/00-tour.ipynb" in arguments
    port, token = _free_port(), "demo-token"
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(ROOT),
    }
    extra = [
        f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        f"--LabApp.user_settings_dir={tmp_path / 'settings'}", f"--LabApp.workspaces_dir={tmp_path / 'ws'}",
        "--LabApp.expose_app_in_browser=True",
    ]  # fmt: skip
    log_path = tmp_path / "jupyter.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", *arguments, *extra],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while not (urls := re.findall(r"http://127\.0\.0\.1:\d+/\S+", log_path.read_text())):
                assert server.poll() is None and time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.3)
            printed, _, _ = urls[0].partition("?")  # the server prints a token it was given as '...'
            assert printed == f"http://127.0.0.1:{port}/lab/tree/00-tour.ipynb", urls[0]
            url = f"{printed}?token={token}"
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium.executable_path, args=chromium.args
                )
                try:
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    page.set_default_timeout(60_000)
                    page.goto(url)
                    page.wait_for_function(
                        "() => window.jupyterapp?.shell.currentWidget?.title.label === '00-tour.ipynb'"
                    )
                    page.wait_for_timeout(4_000)  # the news prompt shows a moment after start, if at all
                    ARTIFACTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(ARTIFACTS / "make-demo-first-open.png"))
                    assert page.get_by_text(NEWS).count() == 0
                    # the arrow keys still move between cells (the settings leave them to list boxes only)
                    page.locator(".jp-Notebook .jp-Cell").first.click()
                    active = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"
                    assert page.evaluate(active) == 0
                    page.keyboard.press("ArrowDown")
                    page.wait_for_function(f"({active})() === 1")
                finally:
                    browser.close()
        finally:
            _stop(server)
