"""``data_type_repr`` prints what zarr-python's ``.info`` prints for the same dtype."""

from __future__ import annotations

import numpy as np
import pytest
from zarr.core.dtype import parse_data_type

from zarrnb.dtype import STRING_DTYPE, data_type_repr

DTYPES = [
    "bool", "i1", "<i2", ">i2", "<i4", "<i8", "u1", "<u2", ">u4", "<u8", "<f2", ">f4", "<f8", "<c8", ">c16",
    "<U5", ">U1", "S7", "V3", "<M8[ns]", ">M8[10s]", "<m8[ms]",
]  # fmt: skip

pytestmark = pytest.mark.filterwarnings("ignore:The data type")


@pytest.mark.parametrize("dtype", DTYPES)
def test_matches_zarr_python(dtype: str) -> None:
    assert data_type_repr(np.dtype(dtype)) == repr(parse_data_type(dtype, zarr_format=3))


def test_variable_length_types() -> None:
    assert data_type_repr(STRING_DTYPE) == repr(parse_data_type(str, zarr_format=3)) == "VariableLengthUTF8()"
    assert data_type_repr(np.dtype(object)) == "VariableLengthBytes()"


@pytest.mark.parametrize("fields", [[("a", "<i4"), ("b", ">f8"), ("c", "S3")], [("only", "u1")]])
def test_structured_matches_zarr_python(fields: list) -> None:
    dtype = np.dtype(fields)
    assert data_type_repr(dtype) == repr(parse_data_type(dtype, zarr_format=2))
