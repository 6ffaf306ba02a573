"""zarr.dtype's JSON TypedDicts describe what each data type's ``to_json`` gives (oracle: zarr-python)."""

from __future__ import annotations

import warnings
from typing import Any, get_type_hints

import numpy as np
import pytest
import zarr.core.dtype
import zarr.dtype

import zarrnb.dtype as dt

CASES: list[tuple[str, Any, str, str]] = [
    ("datetime64[s]", np.dtype("M8[s]"), "DateTime64JSON_V2", "DateTime64JSON_V3"),
    ("timedelta64[ms]", np.dtype("m8[ms]"), "TimeDelta64JSON_V2", "TimeDelta64JSON_V3"),
    ("U10", np.dtype("U10"), "FixedLengthUTF32JSON_V2", "FixedLengthUTF32JSON_V3"),
    ("S4", np.dtype("S4"), "NullterminatedBytesJSON_V2", "NullTerminatedBytesJSON_V3"),
    ("V4", np.dtype("V4"), "RawBytesJSON_V2", "RawBytesJSON_V3"),
    ("structured", np.dtype([("a", "<i4"), ("b", "<f8")]), "StructuredJSON_V2", "StructuredJSON_V3"),
]


def _fits(document: Any, typed_dict: type) -> bool:
    """``document`` has every required key of ``typed_dict`` and no key it does not declare."""
    keys = set(get_type_hints(typed_dict))
    return isinstance(document, dict) and typed_dict.__required_keys__ <= set(document) <= keys


@pytest.mark.parametrize(("label", "native", "v2_name", "v3_name"), CASES, ids=[c[0] for c in CASES])
def test_each_form_fits_its_typed_dict(label: str, native: Any, v2_name: str, v3_name: str) -> None:
    ours = dt.get_data_type_from_native_dtype(native)
    theirs = zarr.core.dtype.get_data_type_from_native_dtype(native)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # format 3 forms of these types are "unstable" (a warning)
        for fmt, name in ((2, v2_name), (3, v3_name)):
            document = ours.to_json(zarr_format=fmt)
            assert _fits(document, getattr(dt, name)), (label, fmt, document)
            assert _fits(theirs.to_json(zarr_format=fmt), getattr(dt, name))
            assert set(get_type_hints(getattr(dt, name))) == set(get_type_hints(getattr(zarr.dtype, name)))


@pytest.mark.parametrize(("native", "name"), [("O", "VariableLengthUTF8JSON_V2")])
def test_object_codec_forms(native: str, name: str) -> None:
    document = dt.VariableLengthUTF8().to_json(zarr_format=2)
    assert _fits(document, getattr(dt, name)) and document["object_codec_id"] == "vlen-utf8"
    document = dt.VariableLengthBytes().to_json(zarr_format=2)
    assert _fits(document, dt.VariableLengthBytesJSON_V2) and document["object_codec_id"] == "vlen-bytes"


def test_code_point_bytes_is_numpy_u_itemsize() -> None:
    assert dt.FixedLengthUTF32.code_point_bytes == np.dtype("U1").itemsize
    assert dt.FixedLengthUTF32.code_point_bytes == zarr.dtype.FixedLengthUTF32.code_point_bytes
