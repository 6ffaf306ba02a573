"""``consolidated_raw``: a consolidated root decoded with its array members left raw is ``json.loads``'s
result once they are parsed; anything msgspec would read differently goes to ``json.loads`` whole."""

from __future__ import annotations

import json
from typing import Any

import pytest

from zarrnb.metadata import consolidated_raw
from zarrnb.metadata.consolidated_raw import is_raw, loads_node_document

ARRAY = {
    "shape": [10, 4],
    "data_type": "float32",
    "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [5, 4]}},
    "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
    "fill_value": 0.0,
    "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}],
    "attributes": {},
    "zarr_format": 3,
    "node_type": "array",
    "storage_transformers": [],
}
GROUP = {"attributes": {}, "zarr_format": 3, "node_type": "group"}


def _root(members: dict[str, Any] | None = None, **root: Any) -> dict[str, Any]:
    members = (
        {"a": ARRAY, "g": {**GROUP, "consolidated_metadata": None}, "g/b": ARRAY}
        if members is None
        else members
    )
    listing = {"kind": "inline", "must_understand": False, "metadata": members}
    return {
        "attributes": {"title": "t"},
        "zarr_format": 3,
        "consolidated_metadata": listing,
        "node_type": "group",
        **root,
    }


def _text(document: dict[str, Any]) -> bytes:
    return json.dumps(document, indent=2).encode()


def _materialized(document: Any) -> Any:
    """``document`` with every raw member parsed by ``json.loads``."""
    listing = document.get("consolidated_metadata") if isinstance(document, dict) else None
    if not isinstance(listing, dict) or not isinstance(listing.get("metadata"), dict):
        return document
    members = {k: json.loads(bytes(v)) if is_raw(v) else v for k, v in listing["metadata"].items()}
    return {**document, "consolidated_metadata": {**listing, "metadata": members}}


def _raw_members(document: Any) -> list[str]:
    return [k for k, v in document["consolidated_metadata"]["metadata"].items() if is_raw(v)]


def _by_key(document: Any) -> Any:
    """The root and listing objects with their keys sorted (their order is no part of the result;
    the members' order and everything inside the values is)."""
    if not isinstance(document, dict):
        return document
    listing = document.get("consolidated_metadata")
    if isinstance(listing, dict):
        document = {**document, "consolidated_metadata": dict(sorted(listing.items()))}
    return dict(sorted(document.items()))


def _same_as_json(data: bytes) -> Any:
    """Decode ``data`` both ways and check the values and their types (``repr``) agree."""
    found = loads_node_document(data)
    assert repr(_by_key(_materialized(found))) == repr(_by_key(json.loads(data)))
    return found


def test_members_stay_raw_and_parse_to_json_loads_values() -> None:
    found = _same_as_json(_text(_root()))
    assert _raw_members(found) == ["a", "g/b"]  # the arrays, kept as bytes at decode time
    assert found["consolidated_metadata"]["metadata"]["g"] == {**GROUP, "consolidated_metadata": None}


def test_big_integers_and_odd_numbers_keep_json_types() -> None:
    big = 2**80
    member = {**ARRAY, "attributes": {"big": big, "neg": -big, "exp": "EXP", "zero": -0.0, "f": 1.5e-300}}
    text = _text(_root({"a": member}, attributes={"big": big, "list": [big, 1.0, 1]}))
    found = _same_as_json(text.replace(b'"EXP"', b"1e400"))  # json reads it as inf, msgspec skips it
    assert found["attributes"]["big"] == big and type(found["attributes"]["big"]) is int
    assert _raw_members(found) == ["a"]
    parsed = json.loads(bytes(found["consolidated_metadata"]["metadata"]["a"]))
    assert parsed["attributes"]["big"] == big and parsed["attributes"]["exp"] == float("inf")


def test_duplicate_keys_keep_json_last_value_first_position() -> None:
    text = _text(_root({"a": ARRAY, "b": ARRAY})).decode()
    # a duplicate member (the later one wins, at the first one's place), root key and attribute
    text = text.replace('"metadata": {', '"metadata": {"b": {"node_type": "group", "zarr_format": 3},', 1)
    text = text.replace('"attributes": {', '"attributes": {"title": "first", "x": 1, "x": 2,', 1)
    text = text.replace('"node_type": "group"\n}', '"node_type": "array", "node_type": "group"\n}')
    found = _same_as_json(text.encode())
    assert list(found["consolidated_metadata"]["metadata"]) == ["b", "a"]
    assert found["attributes"] == {"title": "t", "x": 2}


@pytest.mark.parametrize(
    ("fragment", "why"),
    [
        ('{"a": NaN}', "NaN literal"),
        ('{"a": Infinity}', "Infinity literal"),
        ('{"a": -Infinity}', "-Infinity literal"),
        ('{"\\ud800": 1}', "lone surrogate escape"),
        ('{"a": "\\udc00\\ud83d"}', "reversed surrogate escapes"),
    ],
)
@pytest.mark.parametrize("where", ["member", "root"])
def test_what_msgspec_refuses_is_json_loads_whole(fragment: str, why: str, where: str) -> None:
    odd = json.loads(fragment)
    document = _root({"a": {**ARRAY, "attributes": odd}}) if where == "member" else _root(attributes=odd)
    text = json.dumps(document).encode()  # json writes NaN, Infinity and escapes as it reads them
    found = loads_node_document(text)
    assert repr(found) == repr(json.loads(text))  # json's own result, key order too
    assert _raw_members(found) == []  # parsed in full by json.loads


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + _text(_root()),  # a byte-order mark
        _text(_root()).replace(b'"t"', b'"\xed\xa0\x80"'),  # an encoded surrogate (json passes it)
        _text(_root(must_understand=False)),  # a field msgspec does not expect at the root
        _text(_root({"a": ARRAY}) | {"node_type": "array"}),  # not a group
        _text({"attributes": {"consolidated_metadata": 1}, "zarr_format": 3, "node_type": "group"}),
        _text(_root() | {"consolidated_metadata": None}),
        _text(_root() | {"consolidated_metadata": {"kind": "inline", "metadata": [1]}}),
        _text(_root() | {"zarr_format": 2}),
    ],
)
def test_documents_outside_the_fast_path_are_json_loads(data: bytes) -> None:
    found = loads_node_document(data)
    assert repr(found) == repr(json.loads(data))
    listing = found.get("consolidated_metadata")
    assert (
        not isinstance(listing, dict)
        or not isinstance(listing.get("metadata"), dict)
        or not _raw_members(found)
    )


@pytest.mark.parametrize(
    "data",
    [
        _text(_root())[:-10],  # truncated
        _text(_root()).replace(b'"kind"', b'"kind" "kind"'),  # broken inside the listing
        _text(_root()).replace(b'"float32"', b'"float32",'),  # broken inside a member
        _text(_root()).replace(b'"t"', b'"\xff"'),  # not UTF-8
        _text(_root()).replace(b'"t"', b'"\xc0\x80"'),  # an overlong encoding msgspec would skip
        _text(_root()) + b" x",  # trailing data
        _text(_root()).replace(b'"t"', b"1" * 5000),  # past Python's digit limit
    ],
)
def test_broken_documents_raise_what_json_loads_raises(data: bytes) -> None:
    with pytest.raises(ValueError) as expected:
        json.loads(data)
    with pytest.raises(type(expected.value)) as found:
        loads_node_document(data)
    assert str(found.value) == str(expected.value)


@pytest.mark.parametrize(
    "member",
    [
        {**ARRAY, "node_type": "arrray"},
        {**ARRAY, "zarr_format": 3.0},
        {**ARRAY, "zarr_format": "3"},
        {**ARRAY, "zarr_format": True},
        {k: v for k, v in ARRAY.items() if k != "node_type"},
        {**ARRAY, "consolidated_metadata": None},
        GROUP,
        [1, 2],
        "text",
    ],
)
def test_only_plain_format_3_array_members_stay_raw(member: Any) -> None:
    found = _same_as_json(_text(_root({"a": ARRAY, "m": member})))
    assert _raw_members(found) == ["a"]  # "m" was parsed at once, as json.loads parses it


def test_a_member_with_duplicate_node_types_is_judged_by_the_last_one() -> None:
    text = json.dumps(ARRAY).replace('"node_type": "array"', '"node_type": "group", "node_type": "array"')
    found = _same_as_json(_text(_root({"m": {}})).replace(b"{}", text.encode(), 1))
    assert _raw_members(found) == ["m"]
    flipped = text.replace(
        '"node_type": "group", "node_type": "array"', '"node_type": "array", "node_type": "group"'
    )
    found = _same_as_json(_text(_root({"m": {}})).replace(b"{}", flipped.encode(), 1))
    assert (
        _raw_members(found) == [] and found["consolidated_metadata"]["metadata"]["m"]["node_type"] == "group"
    )


def test_a_member_json_cannot_read_sends_the_document_to_json_loads() -> None:
    # msgspec reads a 5,000-digit integer, json.loads refuses it: a member parsed at open (a group's)
    # fails the fast path, so the whole document gets json.loads's own error
    group = {**GROUP, "attributes": {"n": "DIGITS"}}
    data = _text(_root({"a": ARRAY, "g": group})).replace(b'"DIGITS"', b"1" * 5000)
    with pytest.raises(ValueError, match="Exceeds the limit") as found:
        loads_node_document(data)
    with pytest.raises(ValueError) as expected:
        json.loads(data)
    assert str(found.value) == str(expected.value)


def test_documents_without_a_listing_key_are_plain_json_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(consolidated_raw, "_lazy_root", lambda data: pytest.fail("not a listing"))
    assert loads_node_document(_text(ARRAY)) == ARRAY
    assert loads_node_document(b"[1, NaN]")[0] == 1
