"""Turn what users pass as ``dtype`` into the numpy dtype an array holds."""

from __future__ import annotations

from typing import Any

import numpy as np

from zarrnb.dtype.v3 import STRING_DTYPE, parse_v3_data_type
from zarrnb.errors import UnsupportedDataTypeError

__all__ = ["is_variable_length", "parse_dtype"]

_STRING_NAMES = ("str", "string")
_BYTES_NAMES = ("bytes", "variable_length_bytes")


def parse_dtype(dtype_like: Any, *, zarr_format: int = 3) -> np.dtype:
    """Return the in-memory dtype for ``dtype_like``: v3 arrays use native byte order, v2 keep the given one.

    Accepts numpy dtypes and their names, ``str`` (variable-length strings), ``bytes`` (variable-length
    bytes), v3 ``data_type`` names or objects, and objects with ``to_native_dtype()`` (zarr-python's dtypes).
    """
    if hasattr(dtype_like, "to_native_dtype"):
        dtype_like = dtype_like.to_native_dtype()
    if dtype_like is str or isinstance(dtype_like, np.dtypes.StringDType) or dtype_like in _STRING_NAMES:
        return STRING_DTYPE
    if dtype_like is bytes or dtype_like in _BYTES_NAMES:
        return np.dtype(object)
    if isinstance(dtype_like, dict):
        return parse_v3_data_type(dtype_like)
    try:
        dtype = np.dtype(dtype_like)
    except TypeError as exc:
        raise UnsupportedDataTypeError(f"unsupported dtype {dtype_like!r}: {exc}") from exc
    if dtype.subdtype is not None:
        raise UnsupportedDataTypeError(f"subarray dtype {dtype} is not supported; use a structured dtype")
    if dtype.kind in "SUV" and dtype.itemsize == 0:
        raise UnsupportedDataTypeError(f"dtype {dtype_like!r} needs a length, e.g. 'S8'; or use str or bytes")
    if dtype.kind in "Mm" and np.datetime_data(dtype)[0] == "generic":
        raise UnsupportedDataTypeError(f"dtype {dtype_like!r} needs a time unit, e.g. 'datetime64[ns]'")
    return _native(dtype) if zarr_format == 3 else dtype


def _native(dtype: np.dtype) -> np.dtype:
    """``dtype`` in native byte order, field by field for structured types (v3 keeps order in codecs)."""
    if dtype.fields is not None:
        return np.dtype([(name, _native(dtype.fields[name][0])) for name in dtype.names])
    if dtype.subdtype is not None:
        return np.dtype((_native(dtype.subdtype[0]), dtype.subdtype[1]))
    return dtype.newbyteorder("=") if dtype.byteorder not in "=|" else dtype


def is_variable_length(dtype: np.dtype) -> bool:
    """True for variable-length strings and bytes, whose chunks need a vlen codec."""
    return dtype == STRING_DTYPE or dtype.kind == "O"
