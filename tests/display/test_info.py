"""The ``.info`` repr (zarrnb/display/info.py), on the engine's ArrayInfo and GroupInfo."""

from __future__ import annotations

from zarrnb.core.info import ArrayInfo, GroupInfo
from zarrnb.display import render_info_html
from zarrnb.display.info import info_rows

from .html_checks import check_repr_html


def rows_of(text: str) -> list[tuple[str, str]]:
    root = check_repr_html(text)
    return [(tr[0].text, tr[1].text or "") for tr in root.iter("tr")]


def test_array_info_becomes_a_two_column_table_in_the_text_order() -> None:
    info = ArrayInfo(
        _zarr_format=3, _data_type="Float32(endianness='little')", _fill_value="nan", _shape=(100, 200),
        _shard_shape=(50, 50), _chunk_shape=(10, 20), _order="C", _read_only=False,
        _store_type="LocalStore", _serializer="BytesCodec()", _compressors=("ZstdCodec(level=0)",),
        _count_bytes=80000,
    )
    rows = rows_of(render_info_html(info))
    assert rows == info_rows(repr(info))
    assert rows[:3] == [
        ("Type", "Array"), ("Zarr format", "3"), ("Data type", "Float32(endianness='little')")
    ]
    assert ("Shard shape", "(50, 50)") in rows and ("No. bytes", "80000 (78.1K)") in rows
    assert rows[-1] == ("No. bytes", "80000 (78.1K)")


def test_group_info_keeps_an_empty_root_name_and_member_counts() -> None:
    info = GroupInfo(_name="", _zarr_format=2, _read_only=True, _store_type="MemoryStore",
                     _count_members=3, _count_arrays=2, _count_groups=1)
    text = render_info_html(info)
    rows = rows_of(text)
    assert rows[0] == ("Name", "")
    assert dict(rows) == {"Name": "", "Type": "Group", "Zarr format": "2", "Read-only": "True",
                          "Store type": "MemoryStore", "No. members": "3", "No. arrays": "2",
                          "No. groups": "1"}
    root = check_repr_html(text)
    assert root[0][1].text == repr(info)  # the text table is the fallback


def test_values_holding_colons_and_markup_survive() -> None:
    info = GroupInfo(_name="<b>a: b</b>", _zarr_format=3, _read_only=False, _store_type="Zip'Store\"")
    rows = dict(rows_of(render_info_html(info)))
    assert rows["Name"] == "<b>a: b</b>"
    assert rows["Store type"] == "Zip'Store\""
