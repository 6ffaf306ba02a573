"""``Group.tree()``: the hierarchy drawn with box-drawing characters, as text and as HTML.

The layout is zarr-python's: the group's name, then each member sorted by path, groups and
arrays (``name shape dtype``) alike, with names in bold (ANSI on a terminal, ``<b>`` in HTML)
unless ``plain``. A listing cut at ``max_nodes`` says so on its first line.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from html import escape
from typing import Any

__all__ = ["GroupTree", "render_tree"]

_PRE_STYLE = (
    "white-space:pre;overflow-x:auto;line-height:normal;"
    "font-family:Menlo,'DejaVu Sans Mono',consolas,'Courier New',monospace"
)


class GroupTree:
    """The tree ``Group.tree()`` returns: ``repr``/``str`` print the text; notebooks show the HTML."""

    def __init__(self, text: str, html: str | None = None, truncated: str = "") -> None:
        self.text = text
        self.html = escape(text) if html is None else html
        self.truncated = truncated

    def __repr__(self) -> str:
        return self.truncated + self.text

    __str__ = __repr__

    def _repr_mimebundle_(
        self, include: Sequence[str] | None = None, exclude: Sequence[str] | None = None, **kwargs: Any
    ) -> dict[str, str]:
        """Plain text and a ``<pre>`` block of the HTML tree (names escaped) for Jupyter."""
        html = f'<pre style="{_PRE_STYLE}">{escape(self.truncated)}{self.html}</pre>\n'
        return {"text/plain": repr(self), "text/html": html}


def render_tree(
    name: str, members: list[tuple[str, Any]], *, truncated_at: int | None = None, plain: bool = False
) -> GroupTree:
    """Draw the group called ``name`` and its ``(path, node)`` members (an array is a node with a
    ``shape``); ``truncated_at`` is the ``max_nodes`` the listing was cut at, if it was."""
    if plain:
        bold = ("", "")
        html_bold = ("", "")
    else:
        # no escape codes when the output goes to a pipe, a file or CI logs
        bold = ("\x1b[1m", "\x1b[0m") if sys.stdout.isatty() else ("", "")
        html_bold = ("<b>", "</b>")
    children: dict[str, list[tuple[str, Any]]] = {}
    for path, node in sorted(members, key=lambda item: item[0]):
        children.setdefault(path.rpartition("/")[0], []).append((path, node))

    text_lines = [f"{bold[0]}{name}{bold[1]}"]
    html_lines = [f"{html_bold[0]}{escape(name)}{html_bold[1]}"]
    # iterative, so a deep hierarchy cannot reach the recursion limit
    stack: list[tuple[str, list[tuple[str, Any]]]] = [("", list(reversed(children.get("", []))))]
    while stack:
        indent, pending = stack[-1]
        if not pending:
            stack.pop()
            continue
        path, node = pending.pop()
        last = not pending
        branch = f"{indent}{'└── ' if last else '├── '}"
        label = path.rpartition("/")[2]
        text = f"{branch}{bold[0]}{label}{bold[1]}"
        html = f"{branch}{html_bold[0]}{escape(label)}{html_bold[1]}"
        if hasattr(node, "shape"):
            text += f" {node.shape} {node.dtype}"
            html += f" {escape(str(node.shape))} {escape(str(node.dtype))}"
        text_lines.append(text)
        html_lines.append(html)
        if path in children:
            stack.append((indent + ("    " if last else "│   "), list(reversed(children[path]))))
    note = (
        f"Truncated at max_nodes={truncated_at}, some nodes and their children may be missing\n"
        if truncated_at is not None
        else ""
    )
    return GroupTree("\n".join(text_lines) + "\n", "\n".join(html_lines) + "\n", truncated=note)
