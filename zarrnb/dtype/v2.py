"""Zarr v2 ``dtype`` strings (numpy typestr, byte order kept) and their numpy dtypes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from zarrnb.dtype.v3 import STRING_DTYPE
from zarrnb.errors import UnsupportedDataTypeError

__all__ = ["OBJECT_CODEC_IDS", "object_codec_id", "parse_v2_dtype", "v2_dtype_json"]

# object arrays need one of these filters, which fixes what the objects are
OBJECT_CODEC_IDS = {"vlen-utf8": STRING_DTYPE, "vlen-bytes": np.dtype(object)}


def parse_v2_dtype(
    value: Any, filters: Sequence[dict[str, Any]] | None = None, *, path: str = ""
) -> np.dtype:
    """Return the in-memory dtype of a v2 ``dtype`` field; ``|O`` is resolved by its object filter."""
    where = f" in {path!r}" if path else ""
    if not isinstance(value, str):
        raise UnsupportedDataTypeError(
            f"unsupported dtype {value!r}{where}: structured dtypes are not supported"
        )
    try:
        dtype = np.dtype(value)
    except TypeError as exc:
        raise UnsupportedDataTypeError(f"unknown dtype {value!r}{where}") from exc
    if dtype.kind == "O":
        ids = [f.get("id") for f in filters or () if isinstance(f, dict)]
        for codec_id in ids:
            if codec_id in OBJECT_CODEC_IDS:
                return OBJECT_CODEC_IDS[codec_id]
        raise UnsupportedDataTypeError(
            f"dtype {value!r}{where} needs a 'vlen-utf8' or 'vlen-bytes' filter; filters are {ids}"
        )
    if dtype.kind in "Mm" and np.datetime_data(dtype)[0] == "generic":
        raise UnsupportedDataTypeError(f"dtype {value!r}{where} has no time unit")
    return dtype


def v2_dtype_json(dtype: np.dtype) -> str:
    """Return the v2 ``dtype`` field for a numpy dtype (``|O`` for variable-length types)."""
    if dtype == STRING_DTYPE or dtype.kind == "O":
        return "|O"
    if dtype.fields is not None:
        raise UnsupportedDataTypeError(f"structured dtype {dtype} is not supported")
    return dtype.str


def object_codec_id(dtype: np.dtype) -> str | None:
    """Return the numcodecs id of the filter that variable-length ``dtype`` needs, else None."""
    if dtype == STRING_DTYPE:
        return "vlen-utf8"
    if dtype.kind == "O":
        return "vlen-bytes"
    return None
