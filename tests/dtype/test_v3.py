"""v3 ``data_type`` names: what zarr-python writes parses to the dtype it reads back, and back again."""

from __future__ import annotations

import numpy as np
import pytest
from zarr.core.dtype import parse_data_type

from zarrnb.dtype import STRING_DTYPE, parse_v3_data_type, v3_data_type_json
from zarrnb.errors import UnsupportedDataTypeError

DTYPES = [
    "bool", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8", "c8", "c16",
    "U1", "U9", "S1", "S9", "V1", "V9", "M8[ns]", "M8[25ms]", "m8[D]", "m8[us]",
]  # fmt: skip

pytestmark = pytest.mark.filterwarnings("ignore:The data type")


@pytest.mark.parametrize("dtype", DTYPES)
def test_round_trip_with_zarr_python_json(dtype: str) -> None:
    theirs = parse_data_type(dtype, zarr_format=3).to_json(zarr_format=3)
    assert v3_data_type_json(np.dtype(dtype)) == theirs
    assert parse_v3_data_type(theirs) == np.dtype(dtype)


def test_variable_length_and_raw_bits() -> None:
    assert parse_v3_data_type("string") == STRING_DTYPE and v3_data_type_json(STRING_DTYPE) == "string"
    assert parse_v3_data_type("variable_length_bytes") == np.dtype(object)
    assert parse_v3_data_type("r16") == np.dtype("V2")
    assert parse_v3_data_type({"name": "int16"}) == np.dtype("i2")


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("float128", "float128"),
        ("r7", "r7"),
        ({"name": "fixed_length_utf32", "configuration": {}}, "length_bytes"),
        ({"name": "numpy.datetime64", "configuration": {"scale_factor": 1}}, "unit"),
        ({"name": "decimal"}, "decimal"),
        (12, "malformed"),
    ],
)
def test_unknown_or_malformed_names_raise_naming_them(value, match: str) -> None:
    with pytest.raises(UnsupportedDataTypeError, match=match) as info:
        parse_v3_data_type(value, path="x/zarr.json")
    assert "x/zarr.json" in str(info.value)


def test_types_without_v3_form_raise() -> None:
    with pytest.raises(UnsupportedDataTypeError, match="unit"):
        v3_data_type_json(np.dtype("M8"))
    with pytest.raises(UnsupportedDataTypeError, match="no Zarr v3"):
        v3_data_type_json(np.dtype(np.longdouble))


def test_structured_types_match_zarr_python_and_are_native() -> None:
    dtype = np.dtype([("a", "<i4"), ("b", "<f8"), ("c", "S3")])
    theirs = parse_data_type(dtype, zarr_format=3).to_json(zarr_format=3)
    assert v3_data_type_json(dtype) == theirs
    assert parse_v3_data_type(theirs) == dtype
    with pytest.raises(UnsupportedDataTypeError, match="subarray"):
        v3_data_type_json(np.dtype([("a", "i1", (2,))]))
