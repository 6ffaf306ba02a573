"""Fixtures of the notebook-layer tests: small hierarchies opened with the sync API, and for the
real-browser tests (``-m browser``) a JupyterLab server on a notebook and a headless Chromium page."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import zarrnb as api

REPOSITORY = Path(__file__).resolve().parents[2]
# the JupyterLab settings `make demo` uses: no news prompt; arrow keys left to a focused list box
DEMO_SETTINGS = REPOSITORY / "jupyter" / "lab-settings"


@pytest.fixture
def zr() -> Any:
    """The module whose ``open_group``/``create_array``/``storage`` the tests use."""
    return api


class CountingStore(api.storage.WrapperStore):
    """Counts the keys read through it, so tests can check which chunks a widget touched."""

    def __init__(self, store: Any) -> None:
        super().__init__(store)
        self.reads: list[str] = []

    async def get(self, key: str, prototype: Any, byte_range: Any = None) -> Any:
        self.reads.append(key)
        return await super().get(key, prototype, byte_range)


@pytest.fixture
def counting_store() -> CountingStore:
    return CountingStore(api.storage.MemoryStore())


@pytest.fixture
def hierarchy() -> Any:
    """root (attrs) -> temp (y, x float32 with NaN), sub/ -> deep (int16), sub/inner/, zz/."""
    root = api.open_group(api.storage.MemoryStore(), mode="w", attributes={"title": "demo"})
    temp = root.create_array("temp", shape=(20, 30), chunks=(10, 10), dtype="f4", dimension_names=["y", "x"])
    values = np.arange(600, dtype="f4").reshape(20, 30)
    values[0, 0] = np.nan
    temp[:] = values
    sub = root.create_group("sub", attributes={"units": "m"})
    sub.create_array("deep", shape=(5,), dtype="i2")[:] = np.arange(5)
    sub.create_group("inner")
    root.create_group("zz")
    return root


class _TableCells(HTMLParser):
    """Collects the text of every table row's cells (th and td alike)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture
def table_cells() -> Callable[[str], list[list[str]]]:
    """Parse HTML tables into rows of cell texts (entities decoded)."""

    def parse(html: str) -> list[list[str]]:
        parser = _TableCells()
        parser.feed(html)
        return parser.rows

    return parse


# -- the real-browser tests: JupyterLab on 127.0.0.1 and Debian's Chromium through Playwright --------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_notebook(path: Path, sources: tuple[str, ...]) -> None:
    cells = [
        {"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None}
        for source in sources
    ]
    kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = {"cells": cells, "metadata": {"kernelspec": kernelspec}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(notebook))


def _quiet_settings(settings_dir: Path) -> None:
    """No news or update checks (the machine is offline), so no notification covers the page."""
    target = settings_dir / "@jupyterlab" / "apputils-extension"
    target.mkdir(parents=True, exist_ok=True)
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
def _lab(folder: Path, name: str, sources: tuple[str, ...]) -> Iterator[tuple[str, Path]]:
    """A JupyterLab server on a free 127.0.0.1 port with a token, on a notebook ``name`` of code cells
    ``sources``; yields (the notebook's URL, the notebook's folder)."""
    root = folder / "notebooks"
    root.mkdir(parents=True)
    _write_notebook(root / name, sources)
    _quiet_settings(folder / "settings")
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(folder / "config"),
        "JUPYTER_RUNTIME_DIR": str(folder / "runtime"),
        "PYTHONPATH": str(REPOSITORY),
    }
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={folder / 'settings'}",
        f"--LabApp.workspaces_dir={folder / 'workspaces'}",
        "--LabApp.expose_app_in_browser=True", "--ServerApp.port_retries=0",
        f"--LabApp.app_settings_dir={DEMO_SETTINGS}",
    ] + (["--allow-root"] if os.geteuid() == 0 else [])  # fmt: skip
    log_path = folder / "jupyter.log"
    with log_path.open("wb") as log:
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
                        raise RuntimeError(f"JupyterLab did not start:\n{log_path.read_text()}") from None
                    time.sleep(0.3)
            yield f"{base}/lab/tree/{name}?token={token}", root
        finally:
            _stop(server)


@pytest.fixture
def notebook_lab(tmp_path: Path) -> Iterator[Callable[..., tuple[str, Path]]]:
    """Start JupyterLab on a new notebook: ``notebook_lab(sources, name="tour.ipynb")`` gives (URL,
    folder); every server started is stopped, with its kernels, when the test ends."""
    started = itertools.count()
    with contextlib.ExitStack() as servers:

        def start(sources: tuple[str, ...], name: str = "tour.ipynb") -> tuple[str, Path]:
            return servers.enter_context(_lab(tmp_path / f"lab{next(started)}", name, sources))

        yield start


@contextlib.contextmanager
def _page(profile: Path, chromium: Any, url: str, viewport: tuple[int, int]) -> Iterator[Any]:
    """A headless Chromium page on the notebook ``url``, its kernel idle and the left area closed."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=chromium.executable_path,
            args=chromium.args,
            headless=True,
            viewport={"width": viewport[0], "height": viewport[1]},
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


@pytest.fixture
def lab_page(tmp_path: Path, chromium: Any) -> Iterator[Callable[..., Any]]:
    """Open a notebook URL in headless Chromium: ``lab_page(url, viewport=(1400, 1100))`` gives the page
    once its kernel is idle (left area closed); the browser is closed when the test ends."""
    opened = itertools.count()
    with contextlib.ExitStack() as pages:

        def open_page(url: str, viewport: tuple[int, int] = (1400, 1100)) -> Any:
            profile = tmp_path / f"profile{next(opened)}"
            return pages.enter_context(_page(profile, chromium, url, viewport))

        yield open_page
