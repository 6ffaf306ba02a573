"""zarr-python's data-type objects: JSON forms and scalars match zarr-python's own (the oracle)."""

from __future__ import annotations

import numpy as np
import pytest
from zarr.core.dtype import get_data_type_from_native_dtype as zarr_from_native

from zarrnb.dtype import (
    DataTypeValidationError,
    DateTime64,
    FixedLengthUTF32,
    Int16,
    Structured,
    VariableLengthUTF8,
    ZDType,
    data_type_registry,
    get_data_type_from_json,
    get_data_type_from_native_dtype,
    parse_dtype,
)

NATIVE = [
    "bool", "i1", "<i2", ">i4", "<i8", "u1", ">u2", "<u4", "<u8", "<f2", ">f4", "<f8", "<c8", ">c16",
    "<U5", "S7", "V3", "<M8[10s]", ">m8[ns]", [("a", "<i4"), ("b", "S2")],
]  # fmt: skip
pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::UserWarning")
FILLS = {
    "b": True,
    "i": -3,
    "u": 7,
    "f": float("nan"),
    "c": 1 - 2j,
    "U": "ab",
    "S": b"xy",
    "V": b"\x01\x02\x03",
}


@pytest.mark.parametrize("spec", NATIVE, ids=str)
@pytest.mark.parametrize("zarr_format", [2, 3])
def test_json_matches_zarr_python(spec: object, zarr_format: int) -> None:
    dtype = np.dtype(spec)  # type: ignore[call-overload]
    ours, theirs = get_data_type_from_native_dtype(dtype), zarr_from_native(dtype)
    assert isinstance(ours, ZDType)
    assert type(ours).__name__ == type(theirs).__name__
    if zarr_format == 3 and dtype.byteorder == ">":
        dtype = dtype.newbyteorder("<")  # v3 keeps byte order in the bytes codec, not the data type
    assert ours.to_json(zarr_format) == theirs.to_json(zarr_format)
    assert get_data_type_from_json(ours.to_json(zarr_format), zarr_format=zarr_format).to_json(
        zarr_format
    ) == ours.to_json(zarr_format)
    assert ours.to_native_dtype() == theirs.to_native_dtype()


@pytest.mark.parametrize("spec", NATIVE, ids=str)
def test_repr_matches_zarr_python(spec: object) -> None:
    """Field order shows in the repr, and zarr-python's tests put reprs into their test ids."""
    dtype = np.dtype(spec)  # type: ignore[call-overload]
    assert repr(get_data_type_from_native_dtype(dtype)) == repr(zarr_from_native(dtype))


@pytest.mark.parametrize(
    "spec", [s for s in NATIVE if isinstance(s, str) and np.dtype(s).kind in FILLS], ids=str
)  # type: ignore[call-overload]
def test_fill_scalars_match_zarr_python(spec: object) -> None:
    dtype = np.dtype(spec)  # type: ignore[call-overload]
    ours, theirs = get_data_type_from_native_dtype(dtype), zarr_from_native(dtype)
    value = FILLS[dtype.kind]
    for zarr_format in (2, 3):
        encoded = ours.to_json_scalar(value, zarr_format=zarr_format)
        assert encoded == theirs.to_json_scalar(value, zarr_format=zarr_format) or (
            encoded == "NaN" and theirs.to_json_scalar(value, zarr_format=zarr_format) == "NaN"
        )
        back = ours.from_json_scalar(encoded, zarr_format=zarr_format)
        assert (
            np.array(back, dtype=dtype).tobytes() == np.array(ours.cast_scalar(value), dtype=dtype).tobytes()
        )
    assert ours.default_scalar() == theirs.default_scalar() or dtype.kind in "c"


def test_parse_dtype_forms() -> None:
    assert parse_dtype("int16", zarr_format=3) == Int16()
    assert parse_dtype({"name": ">i2", "object_codec_id": None}, zarr_format=2) == Int16(endianness="big")
    assert parse_dtype(str, zarr_format=3) == VariableLengthUTF8()
    assert parse_dtype(np.dtype("U3"), zarr_format=2) == FixedLengthUTF32(length=3)
    spec = {"name": "numpy.datetime64", "configuration": {"unit": "s", "scale_factor": 10}}
    assert parse_dtype(spec, zarr_format=3) == DateTime64(unit="s", scale_factor=10)
    record = parse_dtype([("a", "<i2")], zarr_format=3)
    assert record == Structured(fields=(("a", Int16()),))


def test_bad_inputs_name_what_failed() -> None:
    with pytest.raises(DataTypeValidationError, match="Expected an instance of"):
        Int16.from_native_dtype(np.dtype("f8"))
    with pytest.raises(ValueError, match="ambiguous"):
        get_data_type_from_native_dtype(np.dtype(object))
    with pytest.raises(TypeError, match="Cannot convert object"):
        Int16().cast_scalar({"set"})
    with pytest.raises(TypeError, match="Cannot convert object"):
        Int16().cast_scalar(10**9)


def test_registry_registers_and_unregisters() -> None:
    class Int16Again(Int16):
        _zarr_v3_name = "int16_again"

    data_type_registry.register("int16_again", Int16Again)
    try:
        with pytest.raises(ValueError, match="Multiple data type wrappers"):
            get_data_type_from_native_dtype(np.dtype("i2"))
    finally:
        data_type_registry.unregister("int16_again")
    assert get_data_type_from_native_dtype(np.dtype("i2")) == Int16()
    with pytest.raises(KeyError, match="int16_again"):
        data_type_registry.unregister("int16_again")
