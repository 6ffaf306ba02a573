"""Small shared pieces of the numpy data types: unit and byte-order names, JSON number checks."""

from __future__ import annotations

import base64
import struct
import sys
from collections.abc import Sequence
from typing import Any, Final, Literal

import numpy as np

from zarrnb.dtype.npy.sized import DateTimeUnit

__all__ = [
    "ENDIANNESS_STR",
    "DateTimeUnit",
    "EndiannessStr",
    "JSONFloatV2",
    "JSONFloatV3",
    "SpecialFloatStrings",
    "check_json_floatish_str",
    "check_json_intish_str",
]

EndiannessStr = Literal["little", "big"]
ENDIANNESS_STR: Final = "little", "big"
SpecialFloatStrings = Literal["NaN", "Infinity", "-Infinity"]
SPECIAL_FLOAT_STRINGS: Final = ("NaN", "Infinity", "-Infinity")
JSONFloatV2 = float | SpecialFloatStrings
JSONFloatV3 = float | SpecialFloatStrings | str


def check_json_floatish_str(data: object) -> bool:
    """True for a string that reads as a finite float (``"3.14"``), which zarr-python accepts for floats."""
    if not isinstance(data, str):
        return False
    try:
        float(data)
    except ValueError:
        return False
    return True


def check_json_intish_str(data: object) -> bool:
    """True for a string that reads as an integer (``"42"``)."""
    if not isinstance(data, str):
        return False
    try:
        int(data)
    except ValueError:
        return False
    return True


NumpyEndiannessStr = Literal[">", "<", "="]
NUMPY_ENDIANNESS_STR: Final = ">", "<", "="
_TO_NUMPY = {"little": "<", "big": ">"}
_HEX_FLOAT_CODES = {4: ">e", 8: ">f", 16: ">d"}


def endianness_from_numpy_str(endianness: str) -> EndiannessStr:
    """``"little"``/``"big"`` for numpy's ``<``, ``>`` or ``=`` (this machine's order)."""
    if endianness == "=":
        return "little" if sys.byteorder == "little" else "big"
    for name, code in _TO_NUMPY.items():
        if endianness == code:
            return name  # type: ignore[return-value]
    raise ValueError(f"Invalid endianness: {endianness!r}. Expected one of {NUMPY_ENDIANNESS_STR}")


def endianness_to_numpy_str(endianness: str | None) -> str:
    """numpy's ``<``/``>`` for ``"little"``/``"big"``."""
    if endianness in _TO_NUMPY:
        return _TO_NUMPY[endianness]  # type: ignore[index]
    raise ValueError(f"Invalid endianness: {endianness!r}. Expected one of {ENDIANNESS_STR} or None")


def get_endianness_from_numpy_dtype(dtype: np.dtype) -> EndiannessStr:
    """The byte order of a numpy dtype with one."""
    if dtype.byteorder not in NUMPY_ENDIANNESS_STR:
        raise ValueError(f"The dtype {dtype} has an unsupported endianness: {dtype.byteorder}")
    return endianness_from_numpy_str(dtype.byteorder)


_SPECIAL_VALUES = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}


def float_from_json_v2(data: Any) -> float:
    """A float from v2 JSON: a number or ``NaN``/``Infinity``/``-Infinity``."""
    return _SPECIAL_VALUES[data] if data in _SPECIAL_VALUES else float(data)


def float_from_json_v3(data: Any) -> float:
    """A float from v3 JSON, which also allows the IEEE 754 bits as ``0x`` + 4, 8 or 16 hex digits."""
    if not isinstance(data, str) or data in _SPECIAL_VALUES:
        return float_from_json_v2(data)
    if not data.startswith("0x"):
        raise ValueError(
            f"Invalid float value: {data!r}. Expected a string starting with the hex prefix '0x', or one of "
            "'NaN', 'Infinity', or '-Infinity'."
        )
    code = _HEX_FLOAT_CODES.get(len(data) - 2)
    if code is None:
        raise ValueError(
            f"Invalid hexadecimal float value: {data!r}. "
            "Expected the '0x' prefix to be followed by 4, 8, or 16 numeral characters"
        )
    return float(struct.unpack(code, bytes.fromhex(data[2:]))[0])


def float_to_json_v2(data: Any) -> float | str:
    """A float as v2 JSON (non-finite values by name)."""
    if np.isnan(data):
        return "NaN"
    if np.isinf(data):
        return "Infinity" if data > 0 else "-Infinity"
    return float(data)


float_to_json_v3 = float_to_json_v2


def complex_float_to_json_v2(data: Any) -> tuple[float | str, float | str]:
    """A complex number as a (real, imaginary) pair of v2 JSON floats."""
    return float_to_json_v2(data.real), float_to_json_v2(data.imag)


complex_float_to_json_v3 = complex_float_to_json_v2


def complex_float_from_json_v2(data: Any) -> complex:
    """A complex number from a (real, imaginary) pair of v2 JSON floats."""
    return complex(float_from_json_v2(data[0]), float_from_json_v2(data[1]))


def complex_float_from_json_v3(data: Any) -> complex:
    """A complex number from a (real, imaginary) pair of v3 JSON floats."""
    return complex(float_from_json_v3(data[0]), float_from_json_v3(data[1]))


def bytes_from_json(data: str, *, zarr_format: int) -> bytes:
    """Bytes from their base64 JSON text (both formats)."""
    if zarr_format not in (2, 3):
        raise ValueError(f"Invalid zarr format: {zarr_format}. Expected 2 or 3.")
    return base64.b64decode(data.encode("ascii"))


def bytes_to_json(data: bytes, zarr_format: int) -> str:
    """Bytes as base64 JSON text (both formats)."""
    return base64.b64encode(data).decode("ascii")


def check_json_float_v2(data: Any) -> bool:
    """True for a v2 JSON float: a number or a special-value name."""
    return data in SPECIAL_FLOAT_STRINGS or isinstance(data, float | int)


def check_json_float_v3(data: Any) -> bool:
    """True for a v3 JSON float, which may also be hex bits."""
    return check_json_float_v2(data) or (isinstance(data, str) and data.startswith("0x"))


def _pair(data: Any, check: Any) -> bool:
    return (
        isinstance(data, Sequence) and not isinstance(data, str) and len(data) == 2 and all(map(check, data))
    )


def check_json_complex_float_v2(data: Any) -> bool:
    """True for a (real, imaginary) pair of v2 JSON floats."""
    return _pair(data, check_json_float_v2)


def check_json_complex_float_v3(data: Any) -> bool:
    """True for a (real, imaginary) pair of v3 JSON floats."""
    return _pair(data, check_json_float_v3)


def check_json_int(data: Any) -> bool:
    """True for a JSON integer."""
    return isinstance(data, int)


def check_json_intish_float(data: Any) -> bool:
    """True for a float with an integer value (``1.0``)."""
    return isinstance(data, float) and data.is_integer()


def check_json_str(data: Any) -> bool:
    """True for a JSON string."""
    return isinstance(data, str)


def check_json_bool(data: Any) -> bool:
    """True for a JSON boolean."""
    return isinstance(data, bool)
