"""Fill values: JSON forms agree with zarr-python's, special floats, hex patterns, base64, NaT."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from zarr.core.dtype import parse_data_type

from zarrnb.dtype import (
    STRING_DTYPE,
    cast_fill_value,
    decode_fill_value,
    default_fill_value,
    encode_fill_value,
    is_fill,
)
from zarrnb.errors import MetadataValidationError

pytestmark = pytest.mark.filterwarnings("ignore:The data type")

CASES = [
    ("bool", True), ("i1", -128), ("u8", 2**64 - 1), ("i8", -(2**63)), ("f2", 65504.0), ("f4", np.nan),
    ("f8", np.inf), ("f8", -np.inf), ("f8", -0.0), ("f8", 1e-300), ("c8", 1 - 2j),
    ("c16", complex(np.nan, np.inf)),
    ("U3", "héj"), ("S4", b"\x00ab"), ("V2", b"\x01\xff"), ("M8[ns]", np.datetime64("NaT")),
    ("M8[s]", np.datetime64("1999-12-31T23:59:59")), ("m8[ms]", np.timedelta64(-7, "ms")),
]  # fmt: skip


def _same(a, b) -> bool:
    return np.array_equal(np.array([a]), np.array([b]), equal_nan=np.array([a]).dtype.kind in "fcmM")


@pytest.mark.parametrize(("dtype", "value"), CASES, ids=repr)
def test_json_form_matches_zarr_python_and_round_trips(dtype: str, value) -> None:
    numpy_dtype = np.dtype(dtype)
    fill = cast_fill_value(value, numpy_dtype)
    zdtype = parse_data_type(numpy_dtype, zarr_format=3)
    for zarr_format in (2, 3):
        theirs = json.loads(
            json.dumps(zdtype.to_json_scalar(zdtype.cast_scalar(value), zarr_format=zarr_format))
        )
        assert encode_fill_value(fill, numpy_dtype) == theirs
        assert _same(decode_fill_value(theirs, numpy_dtype), fill)


@pytest.mark.parametrize(
    ("dtype", "text", "bits"),
    [
        ("f2", "0x7e01", 0x7E01),
        ("f4", "0x7fc00001", 0x7FC00001),
        ("f8", "0xfff0000000000000", 0xFFF0000000000000),
    ],
)
def test_hex_bit_patterns_are_read(dtype: str, text: str, bits: int) -> None:
    value = decode_fill_value(text, np.dtype(dtype))
    assert int(np.array(value).view(f"u{np.dtype(dtype).itemsize}")) == bits


@settings(max_examples=50, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True, width=32))
def test_any_float32_round_trips_through_json(value: float) -> None:
    dtype = np.dtype("f4")
    fill = cast_fill_value(value, dtype)
    assert _same(decode_fill_value(encode_fill_value(fill, dtype), dtype), fill)


def test_boolean_fill_written_as_an_integer_by_old_v2_writers() -> None:
    assert (
        decode_fill_value(1, np.dtype("?")) == np.True_ and decode_fill_value(0, np.dtype("?")) == np.False_
    )


def test_defaults() -> None:
    assert default_fill_value(np.dtype("f4")) == 0 and default_fill_value(np.dtype("?")) == np.False_
    assert default_fill_value(STRING_DTYPE) == "" and default_fill_value(np.dtype(object)) == b""
    assert np.isnat(default_fill_value(np.dtype("M8[us]")))
    assert default_fill_value(np.dtype("V2")).tobytes() == b"\0\0"


def test_variable_length_fill_values() -> None:
    assert encode_fill_value(np.str_("x"), STRING_DTYPE) == "x"
    assert encode_fill_value(b"ab", np.dtype(object)) == "YWI="
    assert decode_fill_value("YWI=", np.dtype(object)) == b"ab"
    assert decode_fill_value(0, STRING_DTYPE) == ""  # zarr v2 wrote 0 for object arrays


@pytest.mark.parametrize(
    ("value", "dtype"),
    [(1.5, "i4"), ("1", "i4"), (True, "i4"), (2**8, "u1"), ("Nope", "f4"), ([1.0], "c8"), (2, "?"),
     ("1", "?"), (3, "U2"), ("not base64!", "S3"), ("YWJjZA==", "S3")],
)  # fmt: skip
def test_malformed_json_values_name_the_field(value, dtype: str) -> None:
    with pytest.raises(MetadataValidationError, match=r"'fill_value' in 'a/zarr\.json'"):
        decode_fill_value(value, np.dtype(dtype), path="a/zarr.json")


@pytest.mark.parametrize(
    ("value", "dtype"), [(1.5, "i2"), (-1, "u4"), ("x", "f8"), (2, "?"), ("y", "?"), (3, STRING_DTYPE)]
)
def test_user_values_that_do_not_fit_raise(value, dtype) -> None:
    with pytest.raises(ValueError, match="fill_value"):
        cast_fill_value(value, np.dtype(dtype))


def test_is_fill_treats_nan_and_nat_as_equal_to_themselves() -> None:
    assert is_fill(np.full(3, np.nan), np.nan) and not is_fill(np.array([np.nan, 1.0]), np.nan)
    assert is_fill(np.full(2, np.datetime64("NaT"), dtype="M8[s]"), np.datetime64("NaT"))
    assert is_fill(np.zeros(4, dtype="i2"), 0) and not is_fill(np.arange(2), 0)
    assert is_fill(np.array(["", ""], dtype=STRING_DTYPE), "")
    assert math.isnan(cast_fill_value("NaN", np.dtype("f4")))


def test_is_fill_on_strided_empty_and_structured_arrays() -> None:
    data = np.zeros((8, 8), dtype="f4")
    assert is_fill(data[::2, 1::3], 0) and not is_fill(np.eye(4)[::2], 0)
    assert is_fill(np.zeros((0, 3)), 7)
    record = np.zeros((), dtype="i4,f4")[()]
    assert is_fill(np.zeros(3, dtype="i4,f4"), record) and not is_fill(np.ones(3, dtype="i4,f4"), record)


@pytest.mark.parametrize("fill_value", [None, "x"])
def test_string_fill_value_is_a_plain_str_as_zarr_python_and_numpy_give(fill_value: str | None) -> None:
    """StringDType scalars are ``str``; zarr-python's ``fill_value`` is one too (written and read back)."""
    import zarr

    import zarrnb

    for library in (zarr, zarrnb):
        made = library.create_array({}, shape=(2,), dtype=str, fill_value=fill_value)
        reopened = library.open_array(made.store, mode="r")
        for array in (made, reopened):
            assert type(array.fill_value) is type(np.array([array.fill_value], dtype=array.dtype)[0]) is str
            assert array.fill_value == (fill_value or "")
