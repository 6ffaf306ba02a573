"""zarr-python's names for data types, as ``.info`` prints them (``Float32(endianness='little')``)."""

from __future__ import annotations

import numpy as np

from zarrnb.dtype.v3 import STRING_DTYPE

__all__ = ["data_type_repr"]

_KIND_NAMES = {"b": "Bool", "i": "Int", "u": "UInt", "f": "Float", "c": "Complex"}


def data_type_repr(dtype: np.dtype) -> str:
    """Return zarr-python's repr of the data type object for ``dtype``."""
    if dtype == STRING_DTYPE:
        return "VariableLengthUTF8()"
    if dtype.kind == "O":
        return "VariableLengthBytes()"
    if dtype.fields is not None:
        fields = ", ".join(f"({name!r}, {data_type_repr(dtype.fields[name][0])})" for name in dtype.names)
        return f"Structured(fields=({fields}{',' if len(dtype.names) == 1 else ''}))"
    big = dtype.byteorder == ">" or (dtype.byteorder == "=" and not np.little_endian)
    endianness = "big" if big else "little"
    if dtype.kind == "S":
        return f"NullTerminatedBytes(length={dtype.itemsize})"
    if dtype.kind == "V":
        return f"RawBytes(length={dtype.itemsize})"
    if dtype.kind == "U":
        return f"FixedLengthUTF32(length={dtype.itemsize // 4}, endianness={endianness!r})"
    if dtype.kind in "Mm":
        unit, scale = np.datetime_data(dtype)
        name = "DateTime64" if dtype.kind == "M" else "TimeDelta64"
        return f"{name}(endianness={endianness!r}, scale_factor={scale}, unit={unit!r})"
    name = _KIND_NAMES[dtype.kind]
    if dtype.kind == "b":
        return "Bool()"
    bits = dtype.itemsize * 8
    if dtype.itemsize == 1:
        return f"{name}{bits}()"
    return f"{name}{bits}(endianness={endianness!r})"
