"""Fill values: defaults, JSON decoding and encoding per Zarr format, and casting user input.

Floats travel as numbers or as ``"NaN"``, ``"Infinity"``, ``"-Infinity"`` and hex bit patterns
(``"0x7fc00000"``, read only); complex numbers as ``[real, imag]``; fixed-size bytes as base64;
datetimes as int64 with NaT the smallest int64.
"""

from __future__ import annotations

import base64
import binascii
import math
from typing import Any

import numpy as np

from zarrnb.dtype.v3 import STRING_DTYPE
from zarrnb.errors import MetadataValidationError

__all__ = [
    "DEFAULT_FILL_VALUE",
    "cast_fill_value",
    "decode_fill_value",
    "default_fill_value",
    "encode_fill_value",
    "is_fill",
]

_SPECIAL_FLOATS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class _DefaultFillValue:
    """The ``fill_value`` default of the create functions: the dtype's default, told apart from ``None``.

    zarr-python writes an explicit ``fill_value=None`` of a Zarr v2 array as ``null`` (xarray then
    masks nothing), and an omitted one as the dtype's default; both formats need the difference.
    """

    def __repr__(self) -> str:
        return "DEFAULT_FILL_VALUE"


DEFAULT_FILL_VALUE: Any = _DefaultFillValue()


def default_fill_value(dtype: np.dtype) -> Any:
    """The fill value zarr-python uses when none is given: zero, False, empty, or NaT."""
    if dtype == STRING_DTYPE:
        return ""  # a plain str, the type numpy's StringDType scalars have (as in zarr-python)
    if dtype.kind == "O":
        return b""
    if dtype.kind in "Mm":
        return np.array("NaT", dtype=dtype)[()]
    return np.zeros((), dtype=dtype)[()]


def is_fill(array: np.ndarray, fill_value: Any) -> bool:
    """True when every element of ``array`` equals ``fill_value`` (NaN matching NaN, ``-0.0`` not ``0.0``).

    The first element is tested alone first, so data that is not empty is told apart without
    comparing the whole array.
    """
    if array.size == 0:
        return True
    kind = array.dtype.kind
    return _all_match(array.flat[0], kind, fill_value) and _all_match(array, kind, fill_value)


def _all_match(values: Any, kind: str, fill_value: Any) -> bool:
    if kind in "fc" and np.isnan(fill_value):
        return bool(np.all(np.isnan(values)))
    if kind in "fc" and fill_value == 0:
        # a zero's sign is data: -0.0 is not the fill value 0.0 (zarr-python compares bit patterns)
        parts = (
            [(values, fill_value)]
            if kind == "f"
            else [
                (np.real(values), np.real(fill_value)),
                (np.imag(values), np.imag(fill_value)),
            ]
        )
        return all(
            bool(np.all(part == 0)) and bool(np.all(np.signbit(part) == np.signbit(fill)))
            for part, fill in parts
        )
    if kind in "Mm" and np.isnat(fill_value):
        return bool(np.all(np.isnat(values)))
    return bool(np.all(values == fill_value))


def cast_fill_value(value: Any, dtype: np.dtype) -> Any:
    """Return ``value`` as users give it (``np.nan``, ``1+2j``, ``b"ab"``) as a scalar of ``dtype``.

    ``None`` and :data:`DEFAULT_FILL_VALUE` give the dtype's default.
    """
    if value is None or value is DEFAULT_FILL_VALUE:
        return default_fill_value(dtype)
    try:
        if dtype == STRING_DTYPE:
            if not isinstance(value, str):
                raise TypeError("expected a str")
            return str(value)
        if dtype.kind == "O":
            if not isinstance(value, bytes | np.bytes_):
                raise TypeError("expected bytes")
            return bytes(value)
        if dtype.kind == "b" and not (isinstance(value, bool | np.bool_) or value in (0, 1)):
            raise TypeError("expected a bool (or 0 or 1)")
        if dtype.kind in "iu":
            if isinstance(value, float | np.floating) and not float(value).is_integer():
                raise TypeError("expected an integer")
            info = np.iinfo(dtype)
            if not info.min <= int(value) <= info.max:
                raise OverflowError(f"out of range [{info.min}, {info.max}]")
            return np.array(int(value), dtype=dtype)[()]
        return np.array(value, dtype=dtype)[()]
    except (TypeError, ValueError, OverflowError) as exc:
        raise ValueError(f"fill_value {value!r} does not fit dtype {dtype}: {exc}") from exc


def decode_fill_value(value: Any, dtype: np.dtype, *, path: str = "", field: str = "fill_value") -> Any:
    """Return the scalar of ``dtype`` that the JSON ``value`` of a stored fill value stands for."""
    try:
        return _decode(value, dtype)
    except (TypeError, ValueError, OverflowError, binascii.Error) as exc:
        where = f" in {path!r}" if path else ""
        raise MetadataValidationError(
            f"malformed field {field!r}{where}: {value!r} is not a fill value of dtype {dtype} ({exc})"
        ) from exc


def _decode(value: Any, dtype: np.dtype) -> Any:
    kind = dtype.kind
    if dtype == STRING_DTYPE:
        return str(value) if isinstance(value, str) else ""
    if kind == "O":
        return base64.standard_b64decode(value) if isinstance(value, str) else b""
    if kind == "b":
        # some Zarr v2 writers stored boolean fill values as 0 or 1
        if not isinstance(value, bool) and value not in (0, 1):
            raise TypeError("expected true or false")
        return np.bool_(value)
    if kind in "iu" or kind in "Mm":
        if isinstance(value, str) and kind in "Mm" and value == "NaT":
            return np.array("NaT", dtype=dtype)[()]
        if isinstance(value, bool) or not isinstance(value, int | float) or not float(value).is_integer():
            raise TypeError("expected an integer")
        if kind in "Mm":
            return np.array(int(value), dtype="i8").view(dtype.newbyteorder("="))[()]
        return cast_fill_value(int(value), dtype)
    if kind == "f":
        return _decode_float(value, dtype)
    if kind == "c":
        if not isinstance(value, list | tuple) or len(value) != 2:
            raise TypeError("expected [real, imaginary]")
        part = np.dtype(f"{dtype.byteorder}f{dtype.itemsize // 2}")
        number = complex(_decode_float(value[0], part), _decode_float(value[1], part))
        return np.array(number, dtype=dtype)[()]
    if kind == "U":
        if not isinstance(value, str):
            raise TypeError("expected a string")
        return np.array(value, dtype=dtype)[()]
    if kind in "SV":
        raw = _decode_raw_bytes(value)
        if len(raw) > dtype.itemsize:
            raise ValueError(f"{len(raw)} bytes do not fit {dtype.itemsize}")
        if kind == "S":
            return np.bytes_(raw)
        return np.frombuffer(raw.ljust(dtype.itemsize, b"\0"), dtype=dtype)[0]
    raise TypeError(f"no fill value encoding for {dtype}")


def _decode_raw_bytes(value: Any) -> bytes:
    if isinstance(value, str):
        return base64.standard_b64decode(value.encode("ascii"))
    if isinstance(value, list) and all(isinstance(v, int) for v in value):
        return bytes(value)
    raise TypeError("expected base64 text")


def _decode_float(value: Any, dtype: np.dtype) -> Any:
    if isinstance(value, str):
        if value in _SPECIAL_FLOATS:
            return np.array(_SPECIAL_FLOATS[value], dtype=dtype)[()]
        if value.startswith("0x"):
            # the IEEE 754 bit pattern, most significant byte first (v3 core spec, fill_value)
            raw = int(value, 16).to_bytes(dtype.itemsize, "big")
            return np.frombuffer(raw, dtype=dtype.newbyteorder(">"))[0].astype(dtype)
        raise ValueError("expected a number, 'NaN', 'Infinity', '-Infinity' or a 0x hex pattern")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("expected a number")
    return np.array(value, dtype=dtype)[()]


def encode_fill_value(value: Any, dtype: np.dtype) -> Any:
    """Return the JSON value zarr-python writes (both formats) for fill value ``value`` of ``dtype``."""
    kind = dtype.kind
    if dtype == STRING_DTYPE:
        return str(value)
    if kind == "O":
        return base64.standard_b64encode(bytes(value)).decode("ascii")
    if kind == "b":
        return bool(value)
    if kind in "iu":
        return int(value)
    if kind in "Mm":
        return int(np.array(value, dtype=dtype.newbyteorder("=")).view("i8"))
    if kind == "f":
        return _encode_float(value)
    if kind == "c":
        return [_encode_float(value.real), _encode_float(value.imag)]
    if kind == "U":
        return str(value)
    if kind == "S":
        return base64.standard_b64encode(bytes(value)).decode("ascii")
    if kind == "V":
        return base64.standard_b64encode(np.array(value, dtype=dtype).tobytes()).decode("ascii")
    raise TypeError(f"no fill value encoding for {dtype}")


def _encode_float(value: Any) -> float | str:
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    return number
