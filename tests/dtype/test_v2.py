"""v2 ``dtype`` strings keep their byte order; object arrays are told apart by their filter."""

from __future__ import annotations

import numpy as np
import pytest

from zarrnb.dtype import STRING_DTYPE, object_codec_id, parse_v2_dtype, v2_dtype_json
from zarrnb.errors import UnsupportedDataTypeError


@pytest.mark.parametrize(
    "typestr", ["|b1", "|i1", ">i2", "<u8", ">f2", "<c16", ">U3", "|S5", "|V2", ">M8[ns]"]
)
def test_typestrings_round_trip(typestr: str) -> None:
    assert v2_dtype_json(parse_v2_dtype(typestr)) == typestr


def test_object_dtype_needs_and_follows_its_filter() -> None:
    assert parse_v2_dtype("|O", [{"id": "vlen-utf8"}]) == STRING_DTYPE
    assert parse_v2_dtype("|O", [{"id": "vlen-bytes"}]) == np.dtype(object)
    assert v2_dtype_json(STRING_DTYPE) == v2_dtype_json(np.dtype(object)) == "|O"
    assert (
        object_codec_id(STRING_DTYPE),
        object_codec_id(np.dtype(object)),
        object_codec_id(np.dtype("i4")),
    ) == (
        "vlen-utf8",
        "vlen-bytes",
        None,
    )
    with pytest.raises(UnsupportedDataTypeError, match=r"needs a 'vlen-utf8'.*\['zlib'\]"):
        parse_v2_dtype("|O", [{"id": "zlib"}], path="a/.zarray")


@pytest.mark.parametrize(
    ("value", "match"), [("<q9", "unknown"), ([["a", "<i4", "x"]], "unknown"), ("<M8", "unit")]
)
def test_unsupported(value, match: str) -> None:
    with pytest.raises(UnsupportedDataTypeError, match=match):
        parse_v2_dtype(value, path="a/.zarray")


def test_structured_fields_follow_the_v2_spec() -> None:
    fields = [["x", "<i4"], ["y", ">f8", [2, 3]], ["z", [["inner", "|u1"]]]]
    dtype = parse_v2_dtype(fields)
    assert dtype["y"].shape == (2, 3) and dtype["y"].base == np.dtype(">f8")
    assert v2_dtype_json(dtype) == fields
