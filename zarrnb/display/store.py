"""The HTML repr of a store: its type, URL and whether it is read-only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zarrnb.display.html import fill, wrap
from zarrnb.display.parts import header, table

if TYPE_CHECKING:
    from zarrnb.abc.store import Store

__all__ = ["render_store_html"]


def render_store_html(store: Store) -> str:
    """The HTML repr of ``store``, from its type, ``str()`` and ``read_only`` alone (no I/O)."""
    kind = type(store).__name__
    rows = [("Type", kind), ("URL", str(store)), ("Read-only", store.read_only)]
    body = fill("store.html", header=header("zarrnb store", kind, str(store)), table=table(rows))
    return str(wrap(body, repr(store)))
