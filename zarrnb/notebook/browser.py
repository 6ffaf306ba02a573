"""``browse(obj_or_url)``: a lazily expanded tree of a hierarchy, a name filter and a detail pane.

A group is listed only when it is opened, so browsing a large remote hierarchy costs one
listing per level looked at. Every failure (a missing or corrupt member) is shown inside
the widget; the widget itself never raises.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

import zarrnb
from zarrnb.api.sync import sync
from zarrnb.notebook.expression import member_expression, opening_expression
from zarrnb.notebook.preview import ArrayPreview
from zarrnb.notebook.snapshot import StaticSnapshot, attrs_table, info_rows, kv_table

__all__ = ["HierarchyBrowser", "browse"]

_INDENT_PX = 16


def _join(parent: str, name: str) -> str:
    return f"{parent}/{name}" if parent else name


def _error_html(error: BaseException, doing: str) -> str:
    message = html.escape(f"{doing}: {type(error).__name__}: {error}")
    return f'<div class="zarrnb-error" style="color:#c03030">{message}</div>'


def _is_array(node: Any) -> bool:
    return hasattr(node, "shape")


def _member_names(group: Any) -> list[str]:
    """Child names of ``group`` from its store's listing (metadata documents left out)."""

    async def names() -> list[str]:
        return [name async for name in group.store.list_dir(group.path)]

    return [name for name in sync(names()) if not name.startswith(".") and name != "zarr.json"]


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

    def __init__(self, root: Any, *, expression: str | None = None, max_rows_per_level: int = 200) -> None:
        self.root = root
        self.expression = expression or opening_expression(root)
        self.max_rows_per_level = max_rows_per_level
        self.expanded: set[str] = {""}
        self.listings: dict[str, list[tuple[str, bool | BaseException]] | BaseException] = {}
        self.selected: str | None = None
        self.preview: ArrayPreview | None = None
        self._nodes: dict[str, Any] = {"": root}
        self._rows: dict[str, tuple[widgets.HBox, widgets.Button | None, widgets.Button, int]] = {}
        self.filter = widgets.Text(placeholder="filter opened levels by name", description="filter")
        self.filter.observe(lambda _: self._draw_tree(), names="value")
        self.tree = widgets.VBox(
            layout=widgets.Layout(min_width="260px", max_height="600px", overflow="auto")
        )
        self.tree.add_class("zarrnb-tree")
        self.detail = widgets.VBox(layout=widgets.Layout(flex="1 1 auto", padding="0 0 0 12px"))
        self.detail.add_class("zarrnb-detail")
        super().__init__([widgets.VBox([self.filter, self.tree]), self.detail])
        self.add_class("zarrnb-browser")
        self.select("")

    # -- hierarchy access -------------------------------------------------------------------

    def listing(self, path: str) -> list[tuple[str, bool | BaseException]] | BaseException:
        """The members of the group at ``path`` as sorted ``(name, is_array)``, read on first use.

        When one member is corrupt, the names come from the store listing and each member
        is opened on its own, so the bad one carries its error and the others still show.
        """
        if path not in self.listings:
            try:
                self.listings[path] = self._open_members(path)
            except Exception as error:  # shown in the tree, never raised out of the widget
                self.listings[path] = error
        return self.listings[path]

    def _open_members(self, path: str) -> list[tuple[str, bool | BaseException]]:
        group = self.node(path)
        try:
            members = dict(group.members())
        except Exception:
            members = {}
            for name in _member_names(group):
                try:
                    members[name] = self.node(_join(path, name))
                except Exception as error:  # kept for the row of this member
                    members[name] = error
        listed: list[tuple[str, bool | BaseException]] = []
        for name in sorted(members):
            member = members[name]
            if not isinstance(member, BaseException):
                self._nodes[_join(path, name)] = member
            listed.append((name, member if isinstance(member, BaseException) else _is_array(member)))
        return listed

    def node(self, path: str) -> Any:
        """The opened group or array at ``path`` below the root."""
        if path not in self._nodes:
            self._nodes[path] = self.root[path]
        return self._nodes[path]

    # -- interaction ------------------------------------------------------------------------

    def toggle(self, path: str) -> None:
        """Open a closed group (listing it if needed) or close an open one."""
        if path in self.expanded:
            self.expanded.discard(path)
        else:
            self.expanded.add(path)
        self._draw_tree()

    def select(self, path: str) -> None:
        """Select the node at ``path``: open its ancestors in the tree and show its details."""
        path = path.strip("/")
        parts = path.split("/") if path else []
        for depth in range(len(parts)):
            self.expanded.add("/".join(parts[:depth]))
        if self.selected != path and self.preview is not None:
            self.preview.close()
            self.preview = None
        self.selected = path
        self._draw_tree()
        self._draw_detail()

    def _on_click(self, path: str, is_array: bool) -> None:
        if not is_array and path not in self.expanded:
            self.expanded.add(path)
        self.select(path)

    # -- drawing ----------------------------------------------------------------------------

    def _row(self, path: str, depth: int, is_array: bool) -> widgets.HBox:
        """The (cached) row widget of a node: a caret for groups and a name button."""
        if path not in self._rows:
            name = path.rsplit("/", 1)[-1] if path else self.root.basename
            label = f"{name}/" if name and not is_array else (name or "/")
            if is_array and path in self._nodes:
                array = self._nodes[path]
                label += f"  {tuple(array.shape)} {array.dtype}"
            button = widgets.Button(
                description=label, tooltip=path or "/", layout=widgets.Layout(width="auto")
            )
            button.add_class("zarrnb-node")
            button.add_class("zarrnb-array" if is_array else "zarrnb-group")
            button.on_click(lambda _: self._on_click(path, is_array))
            caret = None
            if not is_array:
                caret = widgets.Button(layout=widgets.Layout(width="32px"))
                caret.add_class("zarrnb-caret")
                caret.on_click(lambda _: self.toggle(path))
            spacer = widgets.Box(
                layout=widgets.Layout(width=f"{depth * _INDENT_PX + (32 if is_array else 0)}px")
            )
            self._rows[path] = (
                widgets.HBox([spacer, *([caret] if caret else []), button]),
                caret,
                button,
                depth,
            )
        row, caret, button, _ = self._rows[path]
        if caret is not None:
            caret.description = "▾" if path in self.expanded else "▸"
        button.button_style = "info" if path == self.selected else ""
        return row

    def _children_rows(self, path: str, depth: int, query: str) -> list[widgets.Widget]:
        """Rows below an open group: members matching ``query`` or holding a match, capped per level."""
        listed = self.listing(path)
        if isinstance(listed, BaseException):
            return [widgets.HTML(_error_html(listed, f"could not list {path or '/'}"))]
        rows: list[widgets.Widget] = []
        shown = 0
        for index, (name, is_array) in enumerate(listed):
            child = _join(path, name)
            opened = child in self.expanded and is_array is False
            below = self._children_rows(child, depth + 1, query) if opened else []
            if query and query not in name.lower() and not below:
                continue
            if shown == self.max_rows_per_level:
                rest = len(listed) - index
                rows.append(widgets.HTML(f"<i>… and up to {rest} more (use the filter)</i>"))
                break
            shown += 1
            if isinstance(is_array, BaseException):
                error = _error_html(is_array, f"could not open {child}")
                rows.append(
                    widgets.HTML(error, layout=widgets.Layout(margin=f"0 0 0 {depth * _INDENT_PX}px"))
                )
                continue
            rows += [self._row(child, depth, is_array), *below]
        return rows

    def _draw_tree(self) -> None:
        query = self.filter.value.strip().lower()
        root_is_array = _is_array(self.root)
        rows = [self._row("", 0, root_is_array)]
        if not root_is_array and "" in self.expanded:
            rows += self._children_rows("", 1, query)
        self.tree.children = rows

    def _draw_detail(self) -> None:
        path = self.selected or ""
        expression = member_expression(self.expression, path)
        header = widgets.HTML(f"<b>{html.escape('/' + path)}</b>")
        code = widgets.HTML(
            f'<pre class="zarrnb-expression" style="user-select:all;white-space:pre-wrap">'
            f"{html.escape(expression)}</pre>"
        )
        try:
            node = self.node(path)
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
        """The open part of the tree and the selected node's details as static HTML."""
        items = []
        rows = {row: (button, depth) for row, _, button, depth in self._rows.values()}
        for row in self.tree.children:
            if row not in rows:
                items.append(f"<li>{row.value}</li>")
                continue
            button, depth = rows[row]
            text = html.escape(button.description)
            if button.button_style:
                text = f"<b>{text}</b>"
            items.append(f'<li style="margin-left:{depth * _INDENT_PX}px">{text}</li>')
        details = "".join(_static(child) for child in self.detail.children)
        return (
            '<div class="zarrnb-browser" style="display:flex;gap:1em">'
            f'<ul class="zarrnb-tree" style="list-style:none;padding:0">{"".join(items)}</ul>'
            f'<div class="zarrnb-detail">{details}</div></div>'
        )


def browse(obj_or_url: Any, **open_kwargs: Any) -> HierarchyBrowser:
    """Browse a group or array, or first open ``obj_or_url`` read-only with ``zarrnb.open(**open_kwargs)``."""
    if hasattr(obj_or_url, "attrs") and hasattr(obj_or_url, "store"):
        return HierarchyBrowser(obj_or_url)
    node = zarrnb.open(obj_or_url, mode="r", **open_kwargs)
    url = obj_or_url if isinstance(obj_or_url, str) else None
    return HierarchyBrowser(node, expression=opening_expression(node, url, open_kwargs) if url else None)
