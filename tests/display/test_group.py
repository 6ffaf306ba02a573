"""The group repr (zarrnb/display/group.py), from summaries built by hand."""

from __future__ import annotations

import time

from zarrnb.display import ArraySummary, GroupSummary, UnreadableSummary, render_group_html

from .html_checks import check_repr_html, shown_text

HOSTILE = "<script>alert('x')<\\script>\"&"  # node names cannot hold "/"
URL = "file://data/g.zarr"


def array(name: str) -> ArraySummary:
    return ArraySummary(name=name, store_url=URL + name, zarr_format=3, shape=(6, 8), dtype="int32",
                        chunks=(3, 4), itemsize=4)


def group(name: str, members=(), more: int = 0, **kwargs) -> GroupSummary:
    return GroupSummary(name=name, store_url=URL + name.rstrip("/"), zarr_format=3, members=members,
                        more=more, **kwargs)


def test_header_table_and_fallback() -> None:
    root = check_repr_html(render_group_html(group("/", read_only=True)))
    assert root[0][1].text == f"<Group {URL}>"
    rows = {tr[0].text: tr[1].text for tr in next(root.iter("table")).iter("tr")}
    assert rows == {
        "Name": "/", "Store": URL, "Zarr format": "3", "Read-only": "True", "Consolidated metadata": "False"
    }


def test_members_tree_nests_groups_and_shows_arrays_inline() -> None:
    inner = group("/a", members=(array("/a/t"),))
    summary = group("/", members=(inner, array("/streamflow")))
    root = check_repr_html(render_group_html(summary))
    members = next(d for d in root.iter("details") if d[0].text.startswith("Members"))
    assert members.get("open") == ""
    top = members.find("div/ul")
    assert [li.find(".//span").text for li in top] == ["a/", "streamflow"]
    nested = top[0].find("details")
    assert nested.get("open") is None  # sub-groups start collapsed
    assert "1 member" in shown_text(nested[0])
    assert shown_text(nested.find("ul")) == "t (6, 8) int32 chunks (3, 4)"
    assert shown_text(top[1]) == "streamflow (6, 8) int32 chunks (3, 4)"


def test_truncated_levels_say_how_many_more() -> None:
    summary = group("/", members=(array("/x"),), more=9_999)
    root = check_repr_html(render_group_html(summary))
    assert "… and 9999 more" in shown_text(root)
    assert "Members (10000)" in shown_text(root)


def test_groups_beyond_the_bounds_say_they_were_not_listed() -> None:
    summary = group("/", members=(group("/deep", members=None),))
    text = shown_text(check_repr_html(render_group_html(summary)))
    assert "deep/ members not listed (display bounds)" in text


def test_names_and_attributes_are_escaped() -> None:
    evil = group(f"/{HOSTILE}", members=(array(f"/{HOSTILE}/{HOSTILE}"),), attributes={HOSTILE: [HOSTILE]})
    text = render_group_html(group("/", members=(evil,), attributes={HOSTILE: HOSTILE}))
    root = check_repr_html(text)
    assert "<script" not in text
    shown = shown_text(root)
    assert f"{HOSTILE}/" in shown and f"{HOSTILE} (6, 8)" in shown
    attrs = next(d for d in root.iter("details") if d[0].text.startswith("Attributes"))
    assert {tr[0].text for tr in attrs.iter("tr")} == {HOSTILE}


def test_unreadable_members_and_unlistable_groups_show_their_errors() -> None:
    broken = UnreadableSummary(name=f"/{HOSTILE}", error=f"MetadataValidationError: bad {HOSTILE}")
    unlistable = group("/remote", members=None, error="members could not be listed: PermissionError: <403>")
    text = render_group_html(group("/", members=(broken, unlistable, array("/ok"))))
    root = check_repr_html(text)
    errors = [shown_text(e) for e in root.iter("span") if e.get("class") == "zarrnb-unreadable"]
    assert errors == [broken.error, unlistable.error]
    assert f"{HOSTILE} MetadataValidationError" in shown_text(root)
    assert "remote/ members could not be listed" in shown_text(root)
    top = render_group_html(unlistable)
    assert "members could not be listed: PermissionError: <403>" in shown_text(check_repr_html(top))


def wide_and_deep(width: int, depth: int) -> GroupSummary:
    """A summary as summarize_group bounds it: ``width`` members per level, ``depth`` levels."""
    def level(path: str, d: int) -> GroupSummary:
        if d == depth:
            return group(path, members=None)
        arrays = tuple(array(f"{path}/arr{i}") for i in range(width - 1))
        return group(path, members=(level(f"{path}/sub", d + 1), *arrays), more=10_000)
    return level("", 0)


def test_bounded_summaries_render_fast_and_small() -> None:
    summary = wide_and_deep(width=50, depth=3)
    start = time.perf_counter()
    text = render_group_html(summary)
    elapsed = time.perf_counter() - start
    check_repr_html(text)
    assert text.count("… and 10000 more") == 3
    assert len(text) < 300_000
    assert elapsed < 1.0
