"""``parse_dtype``: the dtype forms users pass to create_array."""

from __future__ import annotations

import numpy as np
import pytest
from zarr.core.dtype import Float32, VariableLengthBytes

from zarrnb.dtype import STRING_DTYPE, is_variable_length
from zarrnb.dtype import parse_native_dtype as parse_dtype
from zarrnb.errors import UnsupportedDataTypeError


@pytest.mark.parametrize(
    ("value", "zarr_format", "expected"),
    [
        ("int32", 3, np.dtype("<i4")),
        (">f8", 3, np.dtype("<f8")),
        (">f8", 2, np.dtype(">f8")),
        (np.float32, 3, np.dtype("f4")),
        (str, 3, STRING_DTYPE),
        ("str", 2, STRING_DTYPE),
        (STRING_DTYPE, 3, STRING_DTYPE),
        (bytes, 3, np.dtype(object)),
        (
            {"name": "numpy.datetime64", "configuration": {"unit": "s", "scale_factor": 1}},
            3,
            np.dtype("M8[s]"),
        ),
        (Float32(endianness="big"), 3, np.dtype("<f4")),
        (VariableLengthBytes(), 2, np.dtype(object)),
        ("U4", 3, np.dtype("<U4")),
    ],
)
def test_forms(value, zarr_format: int, expected: np.dtype) -> None:
    assert parse_dtype(value, zarr_format=zarr_format) == expected


@pytest.mark.parametrize(
    ("value", "match"), [("U", "length"), ("m8", "unit"), ("(2,)i4", "subarray"), ("nope", "nope")]
)
def test_refusals(value, match: str) -> None:
    with pytest.raises(UnsupportedDataTypeError, match=match):
        parse_dtype(value)


def test_is_variable_length() -> None:
    assert is_variable_length(STRING_DTYPE) and is_variable_length(np.dtype(object))
    assert not is_variable_length(np.dtype("U3"))


def test_structured_fields_become_native_for_v3_only() -> None:
    dtype = np.dtype([("a", ">i4"), ("b", [("c", ">f8")])])
    assert parse_dtype(dtype, zarr_format=3) == np.dtype([("a", "<i4"), ("b", [("c", "<f8")])])
    assert parse_dtype(dtype, zarr_format=2) == dtype
