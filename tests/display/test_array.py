"""The array repr (zarrnb/display/array.py), from summaries built by hand."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from zarrnb.display import ArraySummary, render_array_html

from .html_checks import check_repr_html, shown_text

HOSTILE = "<script>alert('x')</script>\"&"


def table(root: ET.Element) -> dict[str, str]:
    """The first table's rows as label -> shown text."""
    first = next(root.iter("table"))
    return {tr[0].text: "".join(tr[1].itertext()) for tr in first.iter("tr")}


def sample(**changes) -> ArraySummary:
    fields = dict(
        name="/temp",
        store_url="memory://1/temp",
        zarr_format=3,
        shape=(100, 200),
        dtype="float32",
        chunks=(10, 20),
        shards=(50, 100),
        fill_value="nan",
        dimension_names=("y", "x"),
        attributes={"units": "K"},
        serializer="BytesCodec(endian=<Endian.little: 'little'>)",
        compressors=("ZstdCodec(level=0, checksum=False)",),
        itemsize=4,
    )
    return ArraySummary(**{**fields, **changes})


def test_shows_every_metadata_field() -> None:
    root = check_repr_html(render_array_html(sample()))
    rows = table(root)
    assert rows["Shape"] == "(100, 200)"
    assert rows["Dimension names"] == "('y', 'x')"
    assert rows["Data type"] == "float32"
    assert rows["Shard shape"] == "(50, 100)"
    assert rows["Chunk shape"] == "(10, 20)"
    assert rows["Filters"] == "none"
    assert rows["Serializer"] == "BytesCodec(endian=<Endian.little: 'little'>)"
    assert rows["Compressors"] == "ZstdCodec(level=0, checksum=False)"
    assert rows["Fill value"] == "nan"
    assert rows["Order"] == "C"
    assert rows["Zarr format"] == "3"
    assert rows["Read-only"] == "False"
    assert rows["No. bytes"] == "80000 (78.1K)"


def test_v2_layout_has_no_serializer_or_shards_and_lists_each_filter() -> None:
    s = sample(zarr_format=2, shards=None, serializer=None, filters=("Delta(dtype='<f4')", "Shuffle()"))
    root = check_repr_html(render_array_html(s))
    rows = table(root)
    assert "Serializer" not in rows and "Shard shape" not in rows
    assert rows["Filters"] == "Delta(dtype='<f4')Shuffle()"  # one per line, split by <br/>
    td = next(tr[1] for tr in next(root.iter("table")).iter("tr") if tr[0].text == "Filters")
    assert [e.tag for e in td] == ["br"]


def test_plain_repr_is_the_hidden_fallback() -> None:
    root = check_repr_html(render_array_html(sample()))
    assert root[0][1].text == "<Array memory://1/temp shape=(100, 200) dtype=float32>"


def test_attributes_collapse_and_hostile_text_is_escaped() -> None:
    s = sample(name=f"/{HOSTILE}", store_url=f"memory://1/{HOSTILE}", attributes={HOSTILE: HOSTILE},
               dimension_names=(HOSTILE, "x"))
    text = render_array_html(s)
    root = check_repr_html(text)
    (details,) = [d for d in root.iter("details") if "Attributes" in "".join(d[0].itertext())]
    assert details.get("open") is None
    rows = {tr[0].text: tr[1].text for tr in details.iter("tr")}
    assert rows == {HOSTILE: '"<script>alert(\'x\')</script>\\"&"'}
    assert HOSTILE in shown_text(root)
    assert text.count("<script") == 0


def test_many_and_long_attributes_are_bounded() -> None:
    attributes = {f"key{i}": "v" * 10_000 for i in range(500)}
    text = render_array_html(sample(attributes=attributes))
    check_repr_html(text)
    assert len(text) < 40_000
    assert "and 450 more" in text


def test_output_is_deterministic() -> None:
    assert render_array_html(sample()) == render_array_html(sample())
