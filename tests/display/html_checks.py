"""Checks every HTML repr must pass: well-formed, static, scoped, with a hidden text fallback."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col"}


class _Balance(HTMLParser):
    """Tracks open tags as an HTML parser sees them; fails on a close tag that does not match."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


def check_repr_html(text: str) -> ET.Element:
    """Assert the static-HTML rules and return the parsed tree (XML, so attribute values are decoded)."""
    assert isinstance(text, str)
    root = ET.fromstring(f"<root>{text}</root>")  # raises on unbalanced tags or bad escapes
    balance = _Balance()
    balance.feed(text)
    balance.close()
    assert balance.stack == []
    assert "<script" not in text.lower()
    assert [(e.tag, a) for e in root.iter() for a in e.attrib if a == "id" or a.startswith("on")] == []
    (wrapper,) = list(root)
    assert wrapper.get("class") == "zarrnb-repr"
    style, fallback = list(wrapper)[:2]
    assert style.tag == "style" and ".zarrnb-repr {" in style.text
    # hidden by an inline style, which sanitizers that drop <style> (untrusted JupyterLab) keep
    assert fallback.tag == "pre" and fallback.get("style") == "display:none" and fallback.text
    return root


def shown_text(root: ET.Element) -> str:
    """All text of the tree, as a browser shows it with styles off."""
    return "".join(root.itertext())
