"""The registry of data-type classes: built-ins, ``zarr.data_type`` entry points and ``register`` calls."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Mapping, Sequence
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import numpy as np

from zarrnb.dtype.npy.numeric import (
    Bool,
    Complex64,
    Complex128,
    Float16,
    Float32,
    Float64,
    Int8,
    Int16,
    Int32,
    Int64,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
)
from zarrnb.dtype.npy.sized import (
    DateTime64,
    FixedLengthUTF32,
    NullTerminatedBytes,
    RawBytes,
    Structured,
    TimeDelta64,
    VariableLengthBytes,
    VariableLengthUTF8,
)
from zarrnb.dtype.wrapper import DataTypeValidationError, ZarrFormat, ZDType

__all__ = [
    "ANY_DTYPE",
    "AnyDType",
    "DataTypeRegistry",
    "ZDTypeLike",
    "data_type_registry",
    "get_data_type_from_json",
    "get_data_type_from_native_dtype",
    "parse_data_type",
    "parse_dtype",
]

INTEGER_DTYPE = (Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64)
FLOAT_DTYPE = (Float16, Float32, Float64)
COMPLEX_FLOAT_DTYPE = (Complex64, Complex128)
STRING_DTYPE = (FixedLengthUTF32, VariableLengthUTF8)
BYTES_DTYPE = (RawBytes, NullTerminatedBytes, VariableLengthBytes)
TIME_DTYPE = (DateTime64, TimeDelta64)
ANY_DTYPE = (
    Bool, *INTEGER_DTYPE, *FLOAT_DTYPE, *COMPLEX_FLOAT_DTYPE, *STRING_DTYPE, *BYTES_DTYPE,
    Structured, *TIME_DTYPE,
)  # fmt: skip
AnyDType = ZDType
ZDTypeLike = Any  # a ZDType, its JSON, a numpy dtype or anything np.dtype reads
# aliases users pass for variable-length UTF-8 strings (numpy would pick a fixed ``U`` width instead)
VLEN_UTF8_ALIAS = ("str", str, "string")


@dataclasses.dataclass(frozen=True, kw_only=True)
class DataTypeRegistry:
    """Data-type classes by v3 name; entry points in ``zarr.data_type`` load on first use."""

    contents: dict[str, type[ZDType]] = dataclasses.field(default_factory=dict, init=False)
    _lazy_load_list: list[EntryPoint] = dataclasses.field(default_factory=list, init=False)
    _scanned: list[bool] = dataclasses.field(default_factory=list, init=False, repr=False)

    def _lazy_load(self) -> None:
        if not self._scanned:
            # packages' ``zarr.data_type`` entry points, read on first use rather than at import
            self._scanned.append(True)
            self._lazy_load_list.extend(entry_points(group="zarr.data_type"))
        for entry_point in self._lazy_load_list:
            cls = entry_point.load()
            self.register(cls._zarr_v3_name, cls)
        self._lazy_load_list.clear()

    def register(self, key: str, cls: type[ZDType]) -> None:
        """Make ``cls`` a candidate when matching native dtypes and JSON."""
        self.contents[key] = cls

    def unregister(self, key: str) -> None:
        """Forget the class registered as ``key``; an unknown key raises ``KeyError`` naming it."""
        if key not in self.contents:
            raise KeyError(f"Data type {key!r} not found in registry")
        del self.contents[key]

    def get(self, key: str) -> type[ZDType]:
        """The class registered as ``key``."""
        self._lazy_load()
        return self.contents[key]

    def match_dtype(self, dtype: np.dtype) -> ZDType:
        """The one data type that wraps numpy ``dtype``; object dtypes are ambiguous and refused."""
        self._lazy_load()
        if dtype == np.dtype("O"):
            raise ValueError(
                f"Zarr data type resolution from {dtype} failed. Attempted to resolve a zarr data type from "
                'a numpy "Object" data type, which is ambiguous; construct the array with a specific Zarr '
                "data type (VariableLengthBytes or VariableLengthUTF8) instead"
            )
        matched = []
        for cls in self.contents.values():
            with contextlib.suppress(DataTypeValidationError):
                matched.append(cls.from_native_dtype(dtype))
        if len(matched) == 1:
            return matched[0]
        if matched:
            raise ValueError(
                f"Zarr data type resolution from {dtype} failed. Multiple data type wrappers found that "
                f"match dtype '{dtype}': {matched}"
            )
        raise ValueError(f"No Zarr data type found that matches dtype '{dtype!r}'")

    def match_json(self, data: Any, *, zarr_format: ZarrFormat) -> ZDType:
        """The data type whose JSON form in ``zarr_format`` is ``data``."""
        self._lazy_load()
        for cls in self.contents.values():
            with contextlib.suppress(DataTypeValidationError):
                return cls.from_json(data, zarr_format=zarr_format)
        raise ValueError(f"No Zarr data type found that matches {data!r}")


data_type_registry = DataTypeRegistry()
for _cls in ANY_DTYPE:
    data_type_registry.register(_cls._zarr_v3_name, _cls)


def get_data_type_from_native_dtype(dtype: Any) -> ZDType:
    """The data type wrapping ``dtype`` (a numpy dtype or anything ``np.dtype`` accepts)."""
    if not isinstance(dtype, np.dtype):
        dtype = np.dtype([tuple(d) for d in dtype]) if isinstance(dtype, list) else np.dtype(dtype)
    return data_type_registry.match_dtype(dtype)


def get_data_type_from_json(dtype_spec: Any, *, zarr_format: ZarrFormat) -> ZDType:
    """The data type whose JSON form in ``zarr_format`` is ``dtype_spec``."""
    return data_type_registry.match_json(dtype_spec, zarr_format=zarr_format)


def parse_dtype(dtype_spec: Any, *, zarr_format: ZarrFormat) -> ZDType:
    """A data-type object for a ZDType, its JSON, a numpy dtype or anything numpy reads as one."""
    if isinstance(dtype_spec, ZDType):
        return dtype_spec
    if isinstance(dtype_spec, Mapping | str | Sequence):
        with contextlib.suppress(ValueError):
            return get_data_type_from_json(dtype_spec, zarr_format=zarr_format)
    if any(
        dtype_spec is alias or (isinstance(dtype_spec, str) and dtype_spec == alias)
        for alias in VLEN_UTF8_ALIAS
    ):
        return VariableLengthUTF8()
    return get_data_type_from_native_dtype(dtype_spec)


parse_data_type = parse_dtype
