"""Escaping and template filling (zarrnb/display/html.py)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zarrnb.display.html import Html, escape, fill, join, stylesheet, wrap

from .html_checks import check_repr_html


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.sampled_from("<>&\"'")))
def test_escaped_text_round_trips_as_attribute_and_text(value: str) -> None:
    element = ET.fromstring(f'<p title="{escape(value)}">{escape(value)}</p>')
    assert element.get("title") == value
    assert (element.text or "") == value


def test_html_fragments_are_not_escaped_twice() -> None:
    fragment = Html("<b>bold</b>")
    assert escape(fragment) is fragment
    assert join([fragment, "<i>"]) == "<b>bold</b>&lt;i&gt;"


def test_fill_escapes_plain_values_and_keeps_fragments() -> None:
    out = fill("row.html", label="<script>", value=Html("<br/>"))
    assert out == "<tr><th>&lt;script&gt;</th><td><br/></td></tr>"
    assert isinstance(out, Html)


def test_fill_names_a_missing_field() -> None:
    with pytest.raises(KeyError, match="value"):
        fill("row.html", label="x")


def test_stylesheet_is_scoped_and_theme_aware() -> None:
    css = stylesheet()
    selectors = [
        part.strip()
        for block in css.split("}")
        if "{" in block
        for part in block.split("{")[0].split("*/")[-1].split(",")
    ]
    assert selectors and all(".zarrnb-repr" in s for s in selectors), selectors
    for dark in ("html[theme=dark]", "body[data-jp-theme-light=false]", "body.vscode-dark"):
        assert dark in css
    assert "var(--jp-content-font-color0," in css and "currentColor" in css
    assert "<" not in css and "&" not in css  # safe inside <style> and in XHTML


def test_wrap_carries_style_fallback_and_body() -> None:
    root = check_repr_html(wrap(Html("<p>body</p>"), "<Plain 'repr'>"))
    wrapper = root[0]
    assert wrapper[1].text == "<Plain 'repr'>"
    assert wrapper[2].tag == "p" and wrapper[2].text == "body"


def test_every_template_file_is_used_and_every_used_template_exists() -> None:
    package = resources.files("zarrnb.display")
    files = {entry.name for entry in package.joinpath("templates").iterdir()}
    source = "".join(entry.read_text() for entry in package.iterdir() if entry.name.endswith(".py"))
    used = set(re.findall(r'"([a-z_]+\.(?:html|svg))"', source))
    assert used == files
