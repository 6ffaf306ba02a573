"""Pieces every repr shares: the header line, a two-column table, the attributes section."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import zarrnb.config as config
from zarrnb.display.html import Html, escape, fill, join

__all__ = ["attributes_section", "attributes_table", "header", "lines", "muted", "plural", "table"]

MAX_VALUE_CHARS = 300  # an attribute value longer than this is cut, with an ellipsis


def header(kind: str, name: str, detail: str) -> Html:
    """The first line of a repr: what it is, its name, and where it lives."""
    return fill("header.html", kind=kind, name=name, detail=detail)


def table(rows: Iterable[tuple[str, object]]) -> Html:
    """A two-column table of ``(label, value)``; values are escaped unless already :class:`Html`."""
    return fill("table.html", rows=join(fill("row.html", label=label, value=value) for label, value in rows))


def _value_text(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, default=repr)
    except ValueError:  # circular containers
        text = repr(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def attributes_section(attributes: Mapping[str, Any]) -> Html:
    """Attributes as a collapsed section, at most 'display.max_members' of them."""
    content = attributes_table(attributes)
    return fill("section.html", title="Attributes", count=len(attributes), open="", content=content)


def attributes_table(attributes: Mapping[str, Any]) -> Html:
    """Attributes as a table of JSON values (at most 'display.max_members' rows), or 'no attributes'."""
    limit = config.get("display.max_members")
    items = list(attributes.items())
    rows = [(key, _value_text(value)) for key, value in items[:limit]]
    if len(items) > limit:
        rows.append(("…", f"and {len(items) - limit} more"))
    return table(rows) if rows else muted("no attributes")


def muted(text: str) -> Html:
    """Secondary text, such as a 'none' or a note."""
    return fill("muted.html", text=text)


def lines(values: Iterable[object]) -> Html:
    """Values one per line (codecs), or a muted 'none'."""
    escaped = [escape(v) for v in values]
    return Html("<br/>".join(escaped)) if escaped else muted("none")


def plural(count: int, noun: str) -> str:
    """``1 chunk``, ``2 chunks``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
