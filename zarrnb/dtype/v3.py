"""Zarr v3 ``data_type`` names and their numpy dtypes (native byte order)."""

from __future__ import annotations

from typing import Any

import numpy as np

from zarrnb.errors import UnsupportedDataTypeError

__all__ = ["STRING_DTYPE", "parse_v3_data_type", "v3_data_type_json"]

STRING_DTYPE = np.dtypes.StringDType()

_CORE: dict[str, np.dtype] = {
    name: np.dtype(name)
    for name in (
        "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "float16", "float32", "float64", "complex64", "complex128",
    )
}  # fmt: skip
_CORE_NAMES = {dtype.str[1:]: name for name, dtype in _CORE.items()}
# extension types zarr-python writes as {"name": ..., "configuration": {"length_bytes": n}}
_SIZED = {"null_terminated_bytes": "S", "fixed_length_utf32": "U", "raw_bytes": "V"}
_TIME = {"numpy.datetime64": "M", "numpy.timedelta64": "m"}


def parse_v3_data_type(value: Any, *, path: str = "") -> np.dtype:
    """Return the in-memory numpy dtype (native order) of a v3 ``data_type`` value."""
    where = f" in {path!r}" if path else ""
    if isinstance(value, str):
        if value in _CORE:
            return _CORE[value]
        if value == "string":
            return STRING_DTYPE
        if value in ("variable_length_bytes", "bytes"):
            return np.dtype(object)
        if value.startswith("r") and value[1:].isdigit() and int(value[1:]) % 8 == 0 and int(value[1:]):
            return np.dtype(f"V{int(value[1:]) // 8}")
        raise UnsupportedDataTypeError(f"unknown data_type {value!r}{where}")
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        name, config = value["name"], value.get("configuration", {})
        if (not config and name in _CORE) or name in ("string", "variable_length_bytes"):
            return parse_v3_data_type(name, path=path)
        try:
            if name == "structured":
                fields = [(str(n), parse_v3_data_type(field, path=path)) for n, field in config["fields"]]
                return np.dtype(fields)
            if name in _SIZED:
                length = int(config["length_bytes"])
                kind = _SIZED[name]
                return np.dtype(f"{kind}{length // 4 if kind == 'U' else length}")
            if name in _TIME:
                unit, scale = config["unit"], int(config.get("scale_factor", 1))
                return np.dtype(f"{_TIME[name]}8[{scale if scale != 1 else ''}{unit}]")
        except (KeyError, TypeError, ValueError) as exc:
            raise UnsupportedDataTypeError(
                f"malformed data_type configuration {value!r}{where}: {exc}"
            ) from exc
        raise UnsupportedDataTypeError(f"unknown data_type {name!r}{where}")
    raise UnsupportedDataTypeError(f"malformed data_type {value!r}{where}: expected a name or an object")


def v3_data_type_json(dtype: np.dtype) -> str | dict[str, Any]:
    """Return the v3 ``data_type`` JSON value for a numpy dtype, as zarr-python writes it."""
    if dtype.fields is not None:
        fields = [[name, v3_data_type_json(dtype.fields[name][0])] for name in dtype.names]
        return {"name": "structured", "configuration": {"fields": fields}}
    if dtype.subdtype is not None:
        raise UnsupportedDataTypeError(f"subarray data type {dtype} has no Zarr v3 representation")
    if dtype == STRING_DTYPE:
        return "string"
    if dtype.kind == "O":
        return "variable_length_bytes"
    if dtype.kind in "SUV":
        name = {"S": "null_terminated_bytes", "U": "fixed_length_utf32", "V": "raw_bytes"}[dtype.kind]
        return {"name": name, "configuration": {"length_bytes": dtype.itemsize}}
    if dtype.kind in "Mm":
        unit, scale = np.datetime_data(dtype)
        if unit == "generic":
            raise UnsupportedDataTypeError(f"{dtype} needs a time unit, e.g. {dtype.str[1:3]}[ns]")
        name = "numpy.datetime64" if dtype.kind == "M" else "numpy.timedelta64"
        return {"name": name, "configuration": {"unit": unit, "scale_factor": scale}}
    name = _CORE_NAMES.get(dtype.str[1:])
    if name is None:
        raise UnsupportedDataTypeError(f"data type {dtype} has no Zarr v3 representation")
    return name
