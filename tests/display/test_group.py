"""The group repr (zarrnb/display/group.py), from summaries built by hand."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from zarrnb.display import ArraySummary, GroupSummary, UnreadableSummary, render_group_html

from .html_checks import check_repr_html, shown_text

HOSTILE = "<script>alert('x')<\\script>\"&"  # node names cannot hold "/"
URL = "file://data/g.zarr"


def array(name: str, **changes) -> ArraySummary:
    fields = dict(name=name, store_url=URL + name, zarr_format=3, shape=(6, 8), dtype="int32",
                  chunks=(3, 4), itemsize=4)
    return ArraySummary(**{**fields, **changes})


def coordinate(name: str, size: int, preview: str | None = None) -> ArraySummary:
    basename = name.rpartition("/")[2]
    return array(name, shape=(size,), chunks=(size,), dtype="float32", dimension_names=(basename,),
                 preview=preview)


def group(name: str, members=(), more: int = 0, **kwargs) -> GroupSummary:
    return GroupSummary(name=name, store_url=URL + name.rstrip("/"), zarr_format=3, members=members,
                        more=more, **kwargs)


def climate() -> GroupSummary:
    temperature = array("/temperature", shape=(120, 73, 144), chunks=(30, 37, 72), dtype="float32",
                        dimension_names=("time", "lat", "lon"), attributes={"units": "K"})
    stations = group("/stations", members=(array("/stations/name", shape=(8,), chunks=(8,)),),
                     attributes={"network": "demo"})
    return group("/", members=(
        coordinate("/lat", 73, "-90.0 -87.5 -85.0 ... 85.0 87.5 90.0"),
        coordinate("/lon", 144, "0.0 2.5 5.0 ... 352.5 355.0 357.5"),
        stations,
        temperature,
        coordinate("/time", 120, "0 1 2 ... 117 118 119"),
    ))


def member_rows(element: ET.Element) -> list[tuple[str, str]]:
    """(heading or kind, name cell text) for each row of the first member list below ``element``."""
    members = next(e for e in element.iter("div") if e.get("class") == "zarrnb-members")
    rows = []
    for child in members:
        classes = child.get("class", "")
        if "zarrnb-member-heading" in classes:
            rows.append(("heading", shown_text(child)))
        else:
            cells = child.find("summary") if child.tag == "details" else child
            rows.append((child.tag, cells[0].text))
    return rows


def cells(summary: ET.Element) -> list[str]:
    return [shown_text(span) for span in summary if "zarrnb-cell" in span.get("class", "")]


def test_header_table_and_fallback() -> None:
    root = check_repr_html(render_group_html(group("/", read_only=True)))
    assert root[0][1].text == f"<Group {URL}>"
    rows = {tr[0].text: tr[1].text for tr in next(root.iter("table")).iter("tr")}
    assert rows == {
        "Name": "/", "Store": URL, "Zarr format": "3", "Read-only": "True", "Consolidated metadata": "False"
    }


def test_dimensions_line_lists_data_dimensions_first() -> None:
    root = check_repr_html(render_group_html(climate()))
    line = next(e for e in root.iter("div") if e.get("class") == "zarrnb-dimensions")
    assert shown_text(line) == "Dimensions (time: 120, lat: 73, lon: 144)"
    assert [b.text for b in line.iter("b")] == ["time", "lat", "lon"]


def test_subgroups_then_coordinates_then_arrays_in_aligned_cells() -> None:
    root = check_repr_html(render_group_html(climate()))
    assert member_rows(root) == [
        ("heading", "Groups (1)"), ("details", "stations/"),
        ("heading", "Coordinates (3)"), ("details", "lat"), ("details", "lon"), ("details", "time"),
        ("heading", "Arrays (1)"), ("details", "temperature"),
    ]
    summaries = {s[0].text: s for s in root.iter("summary") if s[0].text}
    assert cells(summaries["lat"]) == ["lat", "(lat)", "float32", "(73,) chunks (73,)",
                                      "-90.0 -87.5 -85.0 ... 85.0 87.5 90.0"]
    assert cells(summaries["temperature"]) == ["temperature", "(time, lat, lon)", "float32",
                                              "(120, 73, 144) chunks (30, 37, 72)", ""]
    assert cells(summaries["stations/"]) == ["stations/", "1 member"]
    members = [d for d in root.iter("details") if "zarrnb-member" in d.get("class", "")]
    assert all(d.get("open") is None for d in members)  # members start collapsed
    coordinates = [d.find("summary")[0].text for d in members if "zarrnb-coordinate" in d.get("class")]
    assert coordinates == ["lat", "lon", "time"]


def test_each_member_opens_in_place_to_its_attributes_and_subgroups_to_their_members() -> None:
    root = check_repr_html(render_group_html(climate()))
    details = {d.find("summary")[0].text: d for d in root.iter("details") if d.find("summary")[0].text}
    body = details["temperature"][1]
    assert {tr[0].text: tr[1].text for tr in body.iter("tr")} == {"units": '"K"'}
    assert shown_text(details["lat"][1]) == "no attributes"
    stations = details["stations/"]
    assert member_rows(stations[1]) == [("heading", "Arrays (1)"), ("details", "name")]
    assert "network" in shown_text(stations[1])


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
    assert f"{HOSTILE}/" in shown and f"{HOSTILE}  int32 (6, 8)" in shown
    attrs = [d for d in root.iter("details") if d[0].text and d[0].text.startswith("Attributes")]
    assert {tr[0].text for d in attrs for tr in d.iter("tr")} == {HOSTILE}


def test_unreadable_members_and_unlistable_groups_show_their_errors() -> None:
    broken = UnreadableSummary(name=f"/{HOSTILE}", error=f"MetadataValidationError: bad {HOSTILE}")
    unlistable = group("/remote", members=None, error="members could not be listed: PermissionError: <403>")
    text = render_group_html(group("/", members=(broken, unlistable, array("/ok"))))
    root = check_repr_html(text)
    errors = [shown_text(e) for e in root.iter("span") if e.get("class") == "zarrnb-unreadable"]
    assert errors == [unlistable.error, broken.error]  # groups come first
    assert f"{HOSTILE} MetadataValidationError" in shown_text(root)
    assert "remote/ members could not be listed" in shown_text(root)
    top = render_group_html(unlistable)
    assert "members could not be listed: PermissionError: <403>" in shown_text(check_repr_html(top))


def wide_and_deep(width: int, depth: int) -> GroupSummary:
    """A summary as summarize_group bounds it: ``width`` members per level, ``depth`` levels."""
    def level(path: str, d: int) -> GroupSummary:
        if d == depth:
            return group(path, members=None)
        arrays = tuple(array(f"{path}/arr{i}", attributes={"units": "m"}) for i in range(width - 1))
        return group(path, members=(level(f"{path}/sub", d + 1), *arrays), more=10_000)
    return level("", 0)


def test_bounded_summaries_render_fast_and_small() -> None:
    summary = wide_and_deep(width=50, depth=3)
    text = render_group_html(summary)
    assert shown_text(check_repr_html(text)).count("… and 10000 more") == 3
    assert len(text) < 400_000


def test_output_is_deterministic() -> None:
    assert render_group_html(climate()) == render_group_html(climate())
