"""The HTML repr of ``.info`` objects (ArrayInfo, GroupInfo): their rows as a two-column table."""

from __future__ import annotations

from zarrnb.display.html import fill, wrap
from zarrnb.display.parts import header, table

__all__ = ["info_rows", "render_info_html"]


def info_rows(text: str) -> list[tuple[str, str]]:
    """``(label, value)`` pairs from an info table's text, one ``Label   : value`` per line.

    Reading the plain repr keeps the HTML table and the text table the same by construction.
    """
    rows = []
    for line in text.splitlines():
        label, sep, value = line.partition(":")
        if sep:
            rows.append((label.strip(), value.strip()))
    return rows


def render_info_html(info: object) -> str:
    """The HTML repr of an ``.info`` object; its plain repr is the hidden text fallback."""
    text = repr(info)
    rows = info_rows(text)
    kind = dict(rows).get("Type", type(info).__name__)
    body = fill("info.html", header=header("zarrnb info", kind, ""), table=table(rows))
    return str(wrap(body, text))
