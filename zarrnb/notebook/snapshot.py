"""Escaped HTML pieces shared by the widgets, and the static snapshot each widget carries.

A widget's ``_repr_mimebundle_`` holds the live widget view and a ``text/html`` picture of
its current state, so nbconvert, nbviewer and GitHub show something true without a kernel.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["CELL_STYLE", "TABLE_STYLE", "StaticSnapshot", "attrs_table", "image_tag", "info_rows", "kv_table"]

_VALUE_WIDTH = 200
# Inline styles: widget HTML gets no notebook table CSS, and a widget line is 28px high by default.
TABLE_STYLE = "font-size:12px;line-height:1.35;border-collapse:collapse"
CELL_STYLE = "padding:1px 8px 1px 0;text-align:left;vertical-align:top"


def kv_table(rows: Iterable[tuple[str, str]], css_class: str) -> str:
    """A two-column table of names and values, both escaped."""
    cell = f'style="{CELL_STYLE}"'
    body = "".join(
        f"<tr><th {cell}>{html.escape(name)}</th><td {cell}>{html.escape(value)}</td></tr>"
        for name, value in rows
    )
    return f'<table class="{css_class}" style="{TABLE_STYLE}"><tbody>{body}</tbody></table>'


def info_rows(info: object) -> list[tuple[str, str]]:
    """Split the ``Name : value`` lines of an ``.info`` repr into table rows."""
    rows = []
    for line in repr(info).splitlines():
        name, sep, value = line.partition(":")
        if sep:
            rows.append((name.strip(), value.strip()))
    return rows


def attrs_table(attrs: Mapping[str, Any]) -> str:
    """Attributes as a table of JSON values, long values shortened; empty attributes say so."""
    if not attrs:
        return '<p class="zarrnb-attrs"><i>no attributes</i></p>'
    rows = []
    for name in sorted(attrs):
        text = json.dumps(attrs[name], default=str)
        rows.append((name, text if len(text) <= _VALUE_WIDTH else text[: _VALUE_WIDTH - 1] + "…"))
    return kv_table(rows, "zarrnb-attrs")


def image_tag(png: bytes, alt: str) -> str:
    """An inline ``<img>`` holding the PNG bytes, for snapshots that must stand alone."""
    data = base64.b64encode(png).decode("ascii")
    return f'<img class="zarrnb-image" alt="{html.escape(alt)}" src="data:image/png;base64,{data}"/>'


class StaticSnapshot:
    """Mixin for ipywidgets: adds a ``text/html`` snapshot from ``snapshot_html()`` to the mime bundle."""

    def snapshot_html(self) -> str:
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(super()._repr_mimebundle_(**kwargs) or {})  # type: ignore[misc]
        bundle["text/html"] = self.snapshot_html()
        return bundle
