"""The browser's tree without widgets: levels listed by name, opened a page at a time, filtered.

A level (a group's direct members) is listed by name first: one directory listing, or
no I/O at all with consolidated metadata. Metadata is read only for the members of the
pages shown, every member of a page at once, so a level of 10,000 arrays costs one
listing and one page of reads before its first rows appear.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from zarrnb.api.group import wrap_node
from zarrnb.api.sync import sync
from zarrnb.display.summary import name_order

__all__ = ["PAGE_SIZE", "Level", "Row", "TreeModel", "join_path"]

PAGE_SIZE = 200
# what a group's directory holds beside its members
_NOT_MEMBERS = frozenset({"zarr.json", ".zgroup", ".zattrs", ".zarray", ".zmetadata"})

RowKind = Literal["group", "array", "more", "error"]


def join_path(parent: str, name: str) -> str:
    """``parent/name``, or ``name`` at the root."""
    return f"{parent}/{name}" if parent else name


def _is_array(node: Any) -> bool:
    return hasattr(node, "shape")


@dataclass(frozen=True)
class Row:
    """One line of the tree: a node, a 'show more' line for the level at ``path``, or an error."""

    kind: RowKind
    path: str
    depth: int
    text: str = ""

    @property
    def key(self) -> str:
        """The value the row has in the tree's option list (unique per row)."""
        return f"{self.kind}:{self.path}"


@dataclass
class Level:
    """The members of one group: every name, and how many of them the tree shows."""

    names: list[str]
    kinds: dict[str, str] = field(default_factory=dict)  # known without I/O (consolidated metadata)
    shown: int = PAGE_SIZE


class TreeModel:
    """Levels, pages, open groups and the filter of a browsed hierarchy, as rows of text."""

    def __init__(self, root: Any, page_size: int = PAGE_SIZE) -> None:
        if page_size < 1:
            raise ValueError(f"page_size must be at least 1, got {page_size}")
        self.root = root
        self.page_size = page_size
        self.expanded: set[str] = {""}
        self.levels: dict[str, Level | BaseException] = {}
        self.nodes: dict[str, Any] = {"": root}
        self.errors: dict[str, BaseException] = {}
        self.filter_shown: dict[str, int] = {}
        self._consolidated = self._consolidated_names(root)
        self._consolidated_levels: dict[str, dict[str, str]] | None = None

    # -- reading ----------------------------------------------------------------------------

    @staticmethod
    def _consolidated_names(root: Any) -> dict[str, bool] | None:
        """Every path below ``root`` and whether it is an array, when consolidated metadata has them."""
        consolidated = getattr(getattr(root, "async_group", None), "consolidated_metadata", None)
        if consolidated is None:
            return None
        return {path: kind == "array" for path, kind in consolidated.node_types().items()}

    @property
    def consolidated(self) -> bool:
        """Whether names across the whole hierarchy are known without listing (consolidated metadata)."""
        return self._consolidated is not None

    def level(self, path: str) -> Level | BaseException:
        """The level of the group at ``path``, listed by name on first use (an error is kept, not raised)."""
        if path not in self.levels:
            try:
                self.levels[path] = self._list(path)
            except Exception as error:  # shown as a row of the tree
                self.levels[path] = error
        return self.levels[path]

    def _levels_of_consolidated(self) -> dict[str, dict[str, str]]:
        """Consolidated names split by level, once: group path -> {member name: kind}."""
        if self._consolidated_levels is None:
            levels: dict[str, dict[str, str]] = {}
            for name, is_array in (self._consolidated or {}).items():
                parent, _, member = name.rpartition("/")
                levels.setdefault(parent, {})[member] = "array" if is_array else "group"
            self._consolidated_levels = levels
        return self._consolidated_levels

    def _list(self, path: str) -> Level:
        if self._consolidated is not None:
            kinds = self._levels_of_consolidated().get(path, {})
            return Level(sorted(kinds, key=name_order), kinds, self.page_size)
        group = self.node(path)

        async def names() -> list[str]:
            return [name async for name in group.store.list_dir(group.path)]

        listed = (name.rsplit("/", 1)[-1] for name in sync(names()))
        return Level(sorted((n for n in listed if n not in _NOT_MEMBERS), key=name_order), {}, self.page_size)

    def node(self, path: str) -> Any:
        """The opened group or array at ``path`` below the root (raises as the root's ``[]`` does)."""
        if path not in self.nodes:
            self.nodes[path] = self.root[path]
        return self.nodes[path]

    def open_nodes(self, paths: Iterable[str]) -> None:
        """Read the metadata of every path not opened yet, all at once; failures are kept per path."""
        wanted = [p for p in dict.fromkeys(paths) if p not in self.nodes and p not in self.errors]
        if not wanted:
            return
        group = self.root.async_group

        async def read() -> list[Any]:
            return await asyncio.gather(*(group.getitem(p) for p in wanted), return_exceptions=True)

        for path, found in zip(wanted, sync(read()), strict=True):
            if isinstance(found, BaseException):
                self.errors[path] = found
            else:
                self.nodes[path] = wrap_node(found)

    def kind(self, path: str) -> str | None:
        """'group', 'array' or 'error' for an opened path; None before it is read."""
        if path in self.errors:
            return "error"
        if path in self.nodes:
            return "array" if _is_array(self.nodes[path]) else "group"
        return None

    # -- paging and opening -------------------------------------------------------------------

    def show_more(self, path: str, query: str = "") -> int:
        """Show the next page of the level at ``path`` (of its matches when filtering); the new count."""
        if query:
            self.filter_shown[path] = self.filter_shown.get(path, self.page_size) + self.page_size
            return self.filter_shown[path]
        level = self.level(path)
        if isinstance(level, Level):
            level.shown = min(len(level.names), level.shown + self.page_size)
            return level.shown
        return 0

    def toggle(self, path: str) -> None:
        """Open a closed group or close an open one."""
        self.expanded.symmetric_difference_update({path})

    # -- rows -------------------------------------------------------------------------------

    def rows(self, query: str = "") -> list[Row]:
        """Every line the tree shows now; with a ``query``, the matches in each searchable level."""
        query = query.strip().lower()
        if _is_array(self.root):
            return [Row("array", "", 0)]
        rows = [Row("group", "", 0)]
        if query:
            children = self._matching(query)
        else:
            children = self._open_children("", 1) if "" in self.expanded else []
        self.open_nodes(row.path for row in children if row.kind != "more")
        settled = (self._settled(row) for row in children)
        return rows + [row for row in settled if row is not None]

    def _settled(self, row: Row) -> Row | None:
        """A node row with its kind read from the opened node: an error row when its metadata is
        broken, None for a listed name that holds no Zarr metadata (not a member)."""
        if row.kind == "more" or (row.kind == "error" and row.text):
            return row
        kind = self.kind(row.path)
        if kind == "error":
            error = self.errors[row.path]
            if isinstance(error, KeyError):
                return None
            return Row("error", row.path, row.depth, f"{type(error).__name__}: {error}")
        return Row(kind or row.kind, row.path, row.depth)

    def _level_rows(self, path: str, depth: int) -> tuple[Level | None, list[Row]]:
        level = self.level(path)
        if isinstance(level, BaseException):
            text = f"could not list {path or '/'}: {type(level).__name__}: {level}"
            return None, [Row("error", path, depth, text)]
        return level, []

    def _guess(self, level: Level, name: str) -> RowKind:
        return "array" if level.kinds.get(name) == "array" else "group"

    def _open_children(self, path: str, depth: int) -> list[Row]:
        level, rows = self._level_rows(path, depth)
        if level is None:
            return rows
        page = level.names[: level.shown]
        self.open_nodes(join_path(path, name) for name in page)
        for name in page:
            child = join_path(path, name)
            rows.append(Row(self._guess(level, name), child, depth))
            if self.kind(child) == "group" and child in self.expanded:
                rows += self._open_children(child, depth + 1)
        if level.shown < len(level.names):
            rows.append(Row("more", path, depth, f"{level.shown:,} of {len(level.names):,} shown"))
        return rows

    def _searchable(self, path: str) -> bool:
        """Whether the filter looks inside the group at ``path``: it was listed, or names are consolidated."""
        if path in self.levels:
            return True
        if self._consolidated is None:
            return False
        return path == "" or self._consolidated.get(path) is False

    def _matching(self, query: str, path: str = "", depth: int = 1) -> list[Row]:
        """Rows of members whose name holds ``query``, with the groups that lead to them."""
        if not self._searchable(path):
            return []
        level, rows = self._level_rows(path, depth)
        if level is None:
            return rows
        found: list[tuple[str, list[Row]]] = []
        for name in level.names:
            child = join_path(path, name)
            below = self._matching(query, child, depth + 1) if self._searchable(child) else []
            if query in name.lower() or below:
                found.append((name, below))
        limit = self.filter_shown.get(path, self.page_size)
        for name, below in found[:limit]:
            rows += [Row(self._guess(level, name), join_path(path, name), depth), *below]
        if limit < len(found):
            rows.append(Row("more", path, depth, f"{limit:,} of {len(found):,} matches shown"))
        return rows

    def label(self, row: Row, name_of_root: str = "/") -> str:
        """The text of a row: indentation, an open/closed mark for groups, the name, shape and dtype."""
        indent = "\u00a0\u00a0\u00a0" * row.depth
        name = row.path.rsplit("/", 1)[-1] if row.path else name_of_root
        if row.kind == "more":
            return f"{indent}\u00a0\u00a0… show {self.page_size} more ({row.text})"
        if row.kind == "error":
            return f"{indent}\u00a0\u00a0⚠ {name}: {row.text}"
        if row.kind == "group":
            mark = "▾" if row.path in self.expanded else "▸"
            return f"{indent}{mark} {name}/" if row.path else f"{mark} {name}"
        node = self.nodes.get(row.path)
        detail = f"  {tuple(node.shape)} {node.dtype}" if node is not None else ""
        return f"{indent}\u00a0\u00a0{name}{detail}"
