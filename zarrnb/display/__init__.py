"""Pure HTML renderers for zarrnb objects: static HTML and CSS, no JavaScript, no I/O in rendering.

``summarize_group`` is the one coroutine: it lists a bounded part of a hierarchy
(metadata only) for ``render_group_html``.
"""

from zarrnb.display.array import render_array_html
from zarrnb.display.group import render_group_html
from zarrnb.display.info import render_info_html
from zarrnb.display.store import render_store_html
from zarrnb.display.summary import (
    ArraySummary,
    GroupSummary,
    NodeSummary,
    UnreadableSummary,
    summarize_array,
    summarize_group,
)

__all__ = [
    "ArraySummary",
    "GroupSummary",
    "NodeSummary",
    "UnreadableSummary",
    "render_array_html",
    "render_group_html",
    "render_info_html",
    "render_store_html",
    "summarize_array",
    "summarize_group",
]
