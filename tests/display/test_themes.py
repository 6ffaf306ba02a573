"""The reprs in a real browser (Chromium via Playwright), under the themes they must read in.

For JupyterLab light, dark and dark high-contrast (the installed theme stylesheets), VS Code dark, and plain
light and dark pages, every piece of visible text must keep a WCAG contrast of at least
4.5:1 (3:1 for secondary text) against what is behind it, the chunk-grid image must load,
the text fallback must stay hidden, and the sections must open and close without script.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import numpy as np
import pytest

from zarrnb.core.buffer import Buffer
from zarrnb.core.group import AsyncGroup
from zarrnb.core.info import GroupInfo
from zarrnb.display import (
    render_array_html,
    render_group_html,
    render_info_html,
    render_store_html,
    summarize_group,
)
from zarrnb.storage import MemoryStore, StorePath

pytestmark = pytest.mark.browser

THEMES = Path(sys.prefix) / "share" / "jupyter" / "lab" / "themes" / "@jupyterlab"

# (name, stylesheet, <html> attributes, <body> attributes, page background, page text colour)
SCENARIOS = [
    (
        "jupyterlab-light",
        "theme-light-extension",
        "",
        'data-jp-theme-light="true"',
        "var(--jp-layout-color0)",
        "var(--jp-content-font-color1)",
    ),
    (
        "jupyterlab-dark",
        "theme-dark-extension",
        "",
        'data-jp-theme-light="false"',
        "var(--jp-layout-color0)",
        "var(--jp-content-font-color1)",
    ),
    (
        "jupyterlab-dark-high-contrast",
        "theme-dark-high-contrast-extension",
        "",
        'data-jp-theme-light="false"',
        "var(--jp-layout-color0)",
        "var(--jp-content-font-color1)",
    ),
    (
        "vscode-dark",
        None,
        "",
        'class="vscode-dark" style="--vscode-editor-foreground: #cccccc"',
        "#1e1e1e",
        "#cccccc",
    ),
    ("plain-light", None, "", "", "white", "black"),
    ("plain-dark", None, 'theme="dark"', "", "#121212", "#dddddd"),
]

CONTRASTS = (Path(__file__).parent / "contrast.js").read_text()


def reprs() -> str:
    async def build() -> str:
        root = await AsyncGroup.create(StorePath(MemoryStore(), ""), zarr_format=3)
        await root.update_attributes({"title": "themes", "history": "made for a test"})
        cube = await root.create_array(
            "cube",
            shape=(40, 50, 60),
            chunks=(10, 10, 20),
            shards=(20, 50, 60),
            dtype="f4",
            dimension_names=["t", "y", "x"],
            attributes={"units": "K"},
        )
        await cube.setitem((0, 0, 0), np.float32(1))
        sub = await root.create_group("sub")
        await sub.create_array("line", shape=(100,), chunks=(10,), dtype="i2")
        await root.store_path.store.set("broken/zarr.json", Buffer.from_bytes(b"{"))
        summary = await summarize_group(root)
        assert "zarrnb-unreadable" in render_group_html(summary)
        info = GroupInfo(_name="/", _zarr_format=3, _read_only=False, _store_type="MemoryStore")
        return "".join(
            [
                render_group_html(summary),
                render_array_html(cube),
                render_info_html(info),
                render_store_html(root.store_path.store),
            ]
        )

    return asyncio.run(build())


def page(scenario: tuple, body: str) -> str:
    _, sheet, html_attrs, body_attrs, background, colour = scenario
    css = (THEMES / sheet / "index.css").read_text() if sheet else ""
    return (
        f"<!doctype html><html {html_attrs}><head><style>{css}</style></head>"
        f'<body {body_attrs}><div style="background: {background}; color: {colour}; padding: 8px">'
        f"{body}</div></body></html>"
    )


@pytest.fixture(scope="module")
def browser_page(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium.executable_path, args=chromium.args)
        try:
            yield browser.new_page(viewport={"width": 1000, "height": 900})
        finally:
            browser.close()


@pytest.fixture(scope="module")
def body() -> str:
    return reprs()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_text_is_readable(body: str, browser_page, scenario: tuple) -> None:
    browser_page.set_content(page(scenario, body))
    # open every section so the text inside is measured too
    browser_page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    measured = browser_page.evaluate(CONTRASTS)
    assert len(measured) > 50
    poor = [m for m in measured if m["ratio"] < (3.0 if m["muted"] else 4.5)]
    assert poor == [], (scenario[0], poor)


@pytest.mark.parametrize("scenario", SCENARIOS[:2], ids=[s[0] for s in SCENARIOS[:2]])
def test_static_behaviour(body: str, browser_page, scenario: tuple) -> None:
    browser_page.set_content(page(scenario, body))
    assert browser_page.evaluate(
        "() => [...document.querySelectorAll('pre.zarrnb-fallback')].every(p => !p.getClientRects().length)"
    )
    sizes = browser_page.evaluate(
        "() => [...document.querySelectorAll('img.zarrnb-grid')].map(i => [i.complete, i.naturalWidth])"
    )
    assert sizes and all(done and width > 0 for done, width in sizes)
    attributes = browser_page.locator(".zarrnb-group > details.zarrnb-section").nth(1)  # after Members
    assert attributes.locator("> summary").inner_text().startswith("Attributes")
    table = attributes.locator("table")
    assert not table.is_visible()
    attributes.locator("> summary").click()
    assert table.is_visible()
    sub = browser_page.locator("details.zarrnb-subgroup > summary", has_text="sub/")
    line = browser_page.locator("details.zarrnb-member > summary", has_text="line")
    assert not line.is_visible()
    sub.click()
    assert line.is_visible()
