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
    try:
        # structured types are lists of [name, typestr] or [name, typestr, shape] (Zarr v2 spec)
        dtype = np.dtype(value if isinstance(value, str) else _fields(value))
    except (TypeError, ValueError, LookupError, RecursionError) as exc:
        raise UnsupportedDataTypeError(f"unknown dtype {value!r}{where}: {exc}") from exc
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


def _fields(value: list[Any]) -> list[tuple[Any, ...]]:
    """numpy's field tuples from the JSON lists, nested structured fields included."""
    return [
        (field[0], field[1] if isinstance(field[1], str) else _fields(field[1]), *map(tuple, field[2:]))
        for field in value
    ]


def v2_dtype_json(dtype: np.dtype) -> str | list[Any]:
    """Return the v2 ``dtype`` field for a numpy dtype (``|O`` for variable-length types)."""
    if dtype == STRING_DTYPE or dtype.kind == "O":
        return "|O"
    if dtype.fields is not None:
        return [[name, *_field_json(dtype.fields[name][0])] for name in dtype.names]
    return dtype.str


def _field_json(dtype: np.dtype) -> list[Any]:
    """A structured field's typestr (or nested field list), plus its shape for subarray fields."""
    if dtype.subdtype is not None:
        base, shape = dtype.subdtype
        return [v2_dtype_json(base), list(shape)]
    return [v2_dtype_json(dtype)]


def object_codec_id(dtype: np.dtype) -> str | None:
    """Return the numcodecs id of the filter that variable-length ``dtype`` needs, else None."""
    if dtype == STRING_DTYPE:
        return "vlen-utf8"
    if dtype.kind == "O":
        return "vlen-bytes"
    return None
