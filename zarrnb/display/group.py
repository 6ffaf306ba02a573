"""The HTML repr of a group: header, dimensions, metadata, members in aligned columns, attributes.

Members read as xarray's Dataset repr does: subgroups first, then coordinates (1-D arrays
named after a dimension, with their first and last values), then the other arrays, one
aligned row each (name | dims | dtype | shape and chunks | values) that opens in place to
show that member's attributes. A subgroup opens to its own members.
"""

from __future__ import annotations

from collections.abc import Iterable

from zarrnb.display.html import Html, escape, fill, join, wrap
from zarrnb.display.parts import attributes_section, attributes_table, header, muted, plural, table
from zarrnb.display.summary import ArraySummary, GroupSummary, NodeSummary, UnreadableSummary

__all__ = ["dimensions_line", "group_plain_repr", "render_group_html"]


def group_plain_repr(summary: GroupSummary) -> str:
    """The plain repr, as zarr-python prints it: ``<Group file://data/foo/bar>``."""
    return f"<Group {summary.store_url}>"


def _member_note(group: GroupSummary) -> str:
    if group.error is not None:
        return group.error
    if group.members is None:
        return "members not listed (display bounds)"
    return plural(len(group.members) + group.more, "member")


def dimensions_line(arrays: Iterable[ArraySummary]) -> Html:
    """``Dimensions (time: 120, lat: 73, lon: 144)``: named dimensions in order of first use, or nothing."""
    sizes: dict[str, int] = {}
    for array in arrays:
        for name, size in zip(array.dimension_names or (), array.shape, strict=False):
            if name is not None:
                sizes.setdefault(name, size)
    if not sizes:
        return Html("")
    dims = Html(", ").join(fill("dimension.html", name=name, size=size) for name, size in sizes.items())
    return fill("dimensions.html", dims=Html(dims))


def _dims_text(array: ArraySummary) -> str:
    """``(time, lat, lon)``; nothing when the array names no dimension."""
    names = array.dimension_names
    if not array.shape or names is None or all(name is None for name in names):
        return ""
    return "(" + ", ".join("–" if name is None else name for name in names) + ")"


def _array_row(array: ArraySummary) -> Html:
    return fill(
        "member_array.html",
        extra=" zarrnb-coordinate" if array.is_coordinate else "",
        title=array.name,
        name=array.basename,
        dims=_dims_text(array),
        dtype=array.dtype,
        shape=array.shape,
        chunks=array.chunks,
        preview=array.preview or "",
        body=attributes_table(array.attributes),
    )


def _error(text: str) -> Html:
    return Html(f'<span class="zarrnb-unreadable">{escape(text)}</span>')


def _group_row(group: GroupSummary) -> Html:
    name = f"{group.basename}/"
    if group.error is not None:
        return fill("member_leaf.html", title=group.name, name=name, note=_error(group.error))
    if group.members is None:
        return fill("member_leaf.html", title=group.name, name=name, note=muted(_member_note(group)))
    body = join([_dimensions(group), _attributes_block(group), _members(group)])
    note = _member_note(group)
    return fill("member_group.html", title=group.name, name=group.basename, note=note, body=body)


def _unreadable_row(node: UnreadableSummary) -> Html:
    return fill("member_leaf.html", title=node.name, name=node.basename, note=_error(node.error))


def _attributes_block(group: GroupSummary) -> Html:
    if not group.attributes:
        return Html("")
    return attributes_section(group.attributes)


def _buckets(members: Iterable[NodeSummary]) -> list[tuple[str, list[NodeSummary]]]:
    """Members as (heading, rows): groups, then coordinates, then the other arrays."""
    groups: list[NodeSummary] = []
    coordinates: list[NodeSummary] = []
    arrays: list[NodeSummary] = []
    for node in members:
        if isinstance(node, GroupSummary):
            groups.append(node)
        elif isinstance(node, ArraySummary) and node.is_coordinate:
            coordinates.append(node)
        else:
            arrays.append(node)
    named = [("Groups", groups), ("Coordinates", coordinates), ("Arrays", arrays)]
    return [(title, nodes) for title, nodes in named if nodes]


def _row(node: NodeSummary) -> Html:
    if isinstance(node, UnreadableSummary):
        return _unreadable_row(node)
    if isinstance(node, ArraySummary):
        return _array_row(node)
    return _group_row(node)


def _members(group: GroupSummary) -> Html:
    """The member rows of a listed group, in their buckets, with the count of those left out."""
    members = group.members or ()
    rows: list[Html] = []
    for title, nodes in _buckets(members):
        rows.append(fill("member_heading.html", title=title, count=len(nodes)))
        rows += [_row(node) for node in nodes]
    if group.more:
        rows.append(fill("member_leaf.html", title="", name="…", note=f"and {group.more} more"))
    return fill("members.html", rows=join(rows))


def _dimensions(group: GroupSummary) -> Html:
    """The dimensions line of a group's arrays: in the order of the data array with most dimensions."""
    arrays = [node for node in group.members or () if isinstance(node, ArraySummary)]
    return dimensions_line(sorted(arrays, key=lambda a: (a.is_coordinate, -len(a.shape))))


def _members_section(group: GroupSummary) -> Html:
    if group.members is None:
        content = muted(_member_note(group))
        count: object = "?"
    else:
        content = _members(group)
        count = len(group.members) + group.more
    return fill("section.html", title="Members", count=count, open=Html(' open=""'), content=content)


def render_group_html(summary: GroupSummary) -> str:
    """The HTML repr of a group from its summary (see ``summarize_group``); no I/O."""
    rows = [
        ("Name", summary.name),
        ("Store", summary.store_url),
        ("Zarr format", summary.zarr_format),
        ("Read-only", summary.read_only),
        ("Consolidated metadata", summary.consolidated),
    ]
    body = fill(
        "group.html",
        header=header("zarrnb.Group", summary.name, summary.store_url),
        dimensions=_dimensions(summary),
        table=table(rows),
        attributes=attributes_section(summary.attributes),
        members=_members_section(summary),
    )
    return str(wrap(body, group_plain_repr(summary)))
