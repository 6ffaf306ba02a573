"""The HTML repr of a group: header, attributes, and the bounded member tree of a GroupSummary."""

from __future__ import annotations

from zarrnb.display.html import Html, fill, join, wrap
from zarrnb.display.parts import attributes_section, header, muted, plural, table
from zarrnb.display.summary import ArraySummary, GroupSummary, NodeSummary, UnreadableSummary

__all__ = ["group_plain_repr", "render_group_html"]


def group_plain_repr(summary: GroupSummary) -> str:
    """The plain repr, as zarr-python prints it: ``<Group file://data/foo/bar>``."""
    return f"<Group {summary.store_url}>"


def _member_note(group: GroupSummary) -> str:
    if group.error is not None:
        return group.error
    if group.members is None:
        return "members not listed (display bounds)"
    return plural(len(group.members) + group.more, "member")


def _node(node: NodeSummary) -> Html:
    if isinstance(node, UnreadableSummary):
        return fill("tree_unreadable.html", name=node.basename, error=node.error)
    if isinstance(node, ArraySummary):
        return fill(
            "tree_array.html",
            name=node.basename,
            shape=node.shape,
            dtype=node.dtype,
            chunks=node.chunks,
        )
    if node.error is not None:
        return fill("tree_unreadable.html", name=f"{node.basename}/", error=node.error)
    if node.members is None:
        return fill("tree_group_unlisted.html", name=node.basename, note=_member_note(node))
    return fill("tree_group.html", name=node.basename, note=_member_note(node), tree=_tree(node))


def _tree(group: GroupSummary) -> Html:
    items = [_node(member) for member in group.members or ()]
    if group.more:
        items.append(fill("tree_more.html", count=group.more))
    return fill("tree.html", items=join(items))


def _members_section(group: GroupSummary) -> Html:
    if group.members is None:
        content = muted(_member_note(group))
        count: object = "?"
    else:
        content = _tree(group)
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
        table=table(rows),
        attributes=attributes_section(summary.attributes),
        members=_members_section(summary),
    )
    return str(wrap(body, group_plain_repr(summary)))
