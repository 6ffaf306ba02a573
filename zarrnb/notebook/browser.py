"""``browse(obj_or_url)``: a paged, scrolling tree of a hierarchy, a name filter and a detail pane.

The tree is one list box with fixed-height rows that scrolls inside its own box, so a level
of thousands of members stays readable, and the arrow keys move through it (the browser's
own list-box keys). A group is listed only when it is opened, by name, and metadata is read
for one page of members at a time ("show 200 more" loads the next). The filter searches every
listed level, and with consolidated metadata the names of the whole hierarchy. Every failure
(a missing or corrupt member) is shown inside the widget; the widget itself never raises.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

import zarrnb
from zarrnb.notebook.browser_tree import PAGE_SIZE, Level, Row, TreeModel, join_path
from zarrnb.notebook.expression import member_expression, opening_expression
from zarrnb.notebook.preview import ArrayPreview
from zarrnb.notebook.snapshot import StaticSnapshot, attrs_table, info_rows, kv_table

__all__ = ["HierarchyBrowser", "browse"]

_INDENT_PX = 16
TREE_ROWS = 26  # rows visible at once; the rest scroll
MIN_TREE_ROWS = 10
# fixed-height rows that never shrink; the list box scrolls (Chromium honours option padding)
_STYLE = """<style>
.zarrnb-browser .zarrnb-tree select {
  font-family: var(--jp-code-font-family, monospace); font-size: 12px;
  height: auto; min-height: 0; overflow-y: auto; white-space: pre;
}
.zarrnb-browser .zarrnb-tree select option {
  min-height: 20px; line-height: 20px; padding: 1px 6px; flex: none; white-space: pre;
}
</style>"""


def _error_html(error: BaseException, doing: str) -> str:
    message = html.escape(f"{doing}: {type(error).__name__}: {error}")
    return f'<div class="zarrnb-error" style="color:#c03030">{message}</div>'


def _is_array(node: Any) -> bool:
    return hasattr(node, "shape")


def _static(widget: widgets.Widget) -> str:
    """Static HTML of a detail-pane widget: HTML as is, a previewer's snapshot, boxes side by side."""
    if isinstance(widget, ArrayPreview):
        return widget.snapshot_html()
    if isinstance(widget, widgets.HTML):
        return widget.value
    inner = "".join(f"<div>{_static(child)}</div>" for child in widget.children)
    return f'<div style="display:flex;gap:24px">{inner}</div>'


class HierarchyBrowser(StaticSnapshot, widgets.HBox):
    """Tree (left) and detail pane (right) of a group or array; ``select(path)`` picks a node."""

    def __init__(self, root: Any, *, expression: str | None = None, page_size: int = PAGE_SIZE) -> None:
        self.root = root
        self.expression = expression or opening_expression(root)
        self.model = TreeModel(root, page_size)
        self.selected: str | None = None
        self.preview: ArrayPreview | None = None
        self.rows: list[Row] = []
        self._drawing = False
        scope = "the whole hierarchy" if self.model.consolidated else "listed levels"
        self.filter = widgets.Text(
            placeholder=f"filter names in {scope}", description="filter", continuous_update=True
        )
        self.filter.observe(lambda _: self._on_filter(), names="value")
        self.toggle_button = widgets.Button(description="▾ close", layout=widgets.Layout(width="90px"))
        self.toggle_button.add_class("zarrnb-toggle")
        self.toggle_button.on_click(lambda _: self._toggle_selected())
        self.tree = widgets.Select(options=[], rows=TREE_ROWS, layout=widgets.Layout(width="360px"))
        self.tree.add_class("zarrnb-tree")
        self.tree.observe(self._on_pick, names="value")
        self.status = widgets.HTML(layout=widgets.Layout(width="360px"))
        self.status.add_class("zarrnb-status")
        self.detail = widgets.VBox(layout=widgets.Layout(flex="1 1 auto", padding="0 0 0 12px"))
        self.detail.add_class("zarrnb-detail")
        controls = widgets.HBox([self.filter, self.toggle_button])
        left = widgets.VBox([widgets.HTML(_STYLE), controls, self.tree, self.status])
        left.layout.flex = "0 0 auto"
        super().__init__([left, self.detail])
        self.add_class("zarrnb-browser")
        self.select("")

    # -- compatibility views of the model ---------------------------------------------------

    @property
    def expanded(self) -> set[str]:
        """Paths of the open groups ('' is the root)."""
        return self.model.expanded

    @property
    def listings(self) -> dict[str, Level | BaseException]:
        """The levels listed so far, by group path."""
        return self.model.levels

    def listing(self, path: str) -> list[tuple[str, bool | BaseException]] | BaseException:
        """Every member of the level at ``path`` as ``(name, is_array)``, or its error in place of
        ``is_array``; this reads the metadata of the whole level (the tree reads a page at a time)."""
        level = self.model.level(path)
        if isinstance(level, BaseException):
            return level
        paths = [join_path(path, name) for name in level.names]
        self.model.open_nodes(paths)
        found: list[tuple[str, bool | BaseException]] = []
        for name, child in zip(level.names, paths, strict=True):
            error = self.model.errors.get(child)
            if isinstance(error, KeyError):  # a listed name without Zarr metadata: not a member
                continue
            found.append((name, error if error is not None else self.model.kind(child) == "array"))
        return found

    def node(self, path: str) -> Any:
        """The opened group or array at ``path`` below the root."""
        return self.model.node(path)

    def labels(self) -> list[str]:
        """The text of every row of the tree, as shown."""
        return [label for label, _ in self.tree.options]

    # -- interaction ------------------------------------------------------------------------

    def toggle(self, path: str) -> None:
        """Open a closed group (listing its first page if needed) or close an open one."""
        self.model.toggle(path)
        self._draw_tree()

    def show_more(self, path: str = "") -> None:
        """Show the next page of the level at ``path`` (of its filter matches while filtering)."""
        self.model.show_more(path, self._query())
        self._draw_tree()

    def select(self, path: str, *, open_group: bool = True) -> None:
        """Select the node at ``path``: open its ancestors (paging to it) and show its details.

        A selected group is opened too unless ``open_group`` is false.
        """
        path = path.strip("/")
        parts = path.split("/") if path else []
        for depth in range(len(parts)):
            self._reveal("/".join(parts[:depth]), parts[depth])
        if self.selected != path and self.preview is not None:
            self.preview.close()
            self.preview = None
        self.selected = path
        self._draw_detail()
        if open_group and self.model.kind(path) == "group":
            self.model.expanded.add(path)
        self._draw_tree()

    def _reveal(self, parent: str, name: str) -> None:
        """Open ``parent`` and page its level far enough to show ``name``."""
        self.model.expanded.add(parent)
        level = self.model.level(parent)
        if isinstance(level, Level) and name in level.names:
            index = level.names.index(name)
            if index >= level.shown:
                pages = index // self.model.page_size + 1
                level.shown = min(len(level.names), pages * self.model.page_size)

    def _toggle_selected(self) -> None:
        if self.selected is not None and self.model.kind(self.selected) == "group":
            self.toggle(self.selected)

    def _query(self) -> str:
        return self.filter.value.strip().lower()

    def _on_filter(self) -> None:
        self.model.filter_shown.clear()
        self._draw_tree()

    def _on_pick(self, change: dict[str, Any]) -> None:
        if self._drawing or not change["new"]:
            return
        kind, _, path = change["new"].partition(":")
        if kind != "more":
            self.select(path)
            return
        position = [row.key for row in self.rows].index(change["new"])
        self.show_more(path)
        follower = self.rows[position] if position < len(self.rows) else None
        if follower is not None and follower.kind != "more":
            self.select(follower.path, open_group=False)

    # -- drawing ----------------------------------------------------------------------------

    def _draw_tree(self) -> None:
        self.rows = self.model.rows(self._query())
        name_of_root = "/" if not self.root.basename else f"/ ({self.root.basename})"
        options = [(self.model.label(row, name_of_root), row.key) for row in self.rows]
        selected = next(
            (row.key for row in self.rows if row.kind != "more" and row.path == self.selected), None
        )
        self._drawing = True
        try:
            self.tree.options = options
            self.tree.value = selected
            self.tree.rows = max(MIN_TREE_ROWS, min(TREE_ROWS, len(options)))  # no empty box for small trees
        finally:
            self._drawing = False
        self._draw_status()
        kind = self.model.kind(self.selected or "") if self.selected else "group"
        self.toggle_button.disabled = kind != "group"
        self.toggle_button.description = "▾ close" if self.selected in self.expanded else "▸ open"

    def _draw_status(self) -> None:
        path = self.selected or ""
        if path not in self.model.levels:  # an array, or a group not listed: the level holding it
            path = path.rpartition("/")[0]
        level = self.model.levels.get(path)
        parts = []
        if isinstance(level, Level):
            shown = min(level.shown, len(level.names))
            parts.append(f"/{path}: {shown:,} of {len(level.names):,} members shown")
        if self._query():
            query = self._query()
            names = (row.path.rpartition("/")[2].lower() for row in self.rows[1:] if row.kind != "more")
            matches = sum(query in name for name in names)
            parts.append(f"{matches:,} shown match “{query}”")
        scope = "whole hierarchy (consolidated)" if self.model.consolidated else "listed levels"
        parts.append(f"filter searches the {scope}")
        text = html.escape(" · ".join(parts))
        self.status.value = f'<div style="font-size:11px;line-height:1.4;opacity:0.8">{text}</div>'

    def _draw_detail(self) -> None:
        path = self.selected or ""
        expression = member_expression(self.expression, path)
        header = widgets.HTML(f"<b>{html.escape('/' + path)}</b>")
        code = widgets.HTML(
            f'<pre class="zarrnb-expression" style="user-select:all;white-space:pre-wrap">'
            f"{html.escape(expression)}</pre>"
        )
        try:
            node = self.model.node(path)
            info = kv_table(info_rows(node.info), "zarrnb-info")
            attributes = attrs_table(dict(node.attrs))
        except Exception as error:  # a missing or corrupt node shows here
            self._show([header, code, widgets.HTML(_error_html(error, f"could not open {path or '/'}"))])
            return
        attributes_pane = widgets.HTML(
            f"<b>Attributes</b>{attributes}", layout=widgets.Layout(margin="0 0 0 24px")
        )
        tables = widgets.HBox([widgets.HTML(info), attributes_pane])
        if _is_array(node) and self.preview is None:
            self.preview = ArrayPreview(node)
        self._show([header, code, tables, *([self.preview] if _is_array(node) else [])])

    def _show(self, parts: list[widgets.Widget]) -> None:
        """Replace the detail pane, closing the replaced widgets (the kept previewer excepted)."""
        for old in self.detail.children:
            if old is not self.preview and old not in parts:
                for child in getattr(old, "children", ()):
                    child.close()
                old.close()
        self.detail.children = parts

    def __repr__(self) -> str:
        return f"<HierarchyBrowser {self.root!r} selected={'/' + (self.selected or '')!r}>"

    def snapshot_html(self) -> str:
        """The tree's rows and the selected node's details as static HTML."""
        items = []
        for (label, _), row in zip(self.tree.options, self.rows, strict=True):
            text = html.escape(label.lstrip("\u00a0"))
            if row.kind != "more" and row.path == self.selected:
                text = f"<b>{text}</b>"
            items.append(f'<li style="margin-left:{row.depth * _INDENT_PX}px">{text}</li>')
        details = "".join(_static(child) for child in self.detail.children)
        return (
            '<div class="zarrnb-browser" style="display:flex;gap:1em">'
            '<ul class="zarrnb-tree" style="list-style:none;padding:0;max-height:600px;overflow-y:auto">'
            f'{"".join(items)}</ul><div class="zarrnb-detail">{details}</div></div>'
        )


def browse(obj_or_url: Any, **open_kwargs: Any) -> HierarchyBrowser:
    """Browse a group or array, or first open ``obj_or_url`` read-only with ``zarrnb.open(**open_kwargs)``."""
    if hasattr(obj_or_url, "attrs") and hasattr(obj_or_url, "store"):
        return HierarchyBrowser(obj_or_url)
    node = zarrnb.open(obj_or_url, mode="r", **open_kwargs)
    url = obj_or_url if isinstance(obj_or_url, str) else None
    return HierarchyBrowser(node, expression=opening_expression(node, url, open_kwargs) if url else None)
