"""Numeric data-type objects: ``Bool``, ``Int8``…``UInt64``, ``Float16``…``Float64``, ``Complex64/128``."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import numpy as np

from zarrnb.dtype.wrapper import HasEndianness, HasItemSize, ZarrFormat, ZDType

__all__ = [
    "Bool",
    "Complex64",
    "Complex128",
    "Float16",
    "Float32",
    "Float64",
    "Int8",
    "Int16",
    "Int32",
    "Int64",
    "UInt8",
    "UInt16",
    "UInt32",
    "UInt64",
]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Bool(ZDType, HasItemSize):
    """Booleans (``bool``)."""

    dtype_cls: ClassVar[type[np.dtype]] = np.dtypes.BoolDType
    _zarr_v3_name: ClassVar[str] = "bool"

    def _check_scalar(self, data: object) -> bool:
        return isinstance(data, bool | np.bool_ | int | np.integer | str)

    def _cast_scalar_unchecked(self, data: Any) -> np.bool_:
        return np.bool_(data)

    def default_scalar(self) -> np.bool_:
        return np.False_


def _is_integral(data: object) -> bool:
    return isinstance(data, int | np.integer | float | np.floating | str | bytes) or hasattr(
        data, "__index__"
    )


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Integer(ZDType, HasItemSize):
    def _check_scalar(self, data: object) -> bool:
        return _is_integral(data)

    def _cast_scalar_unchecked(self, data: Any) -> np.integer:
        native = self.to_native_dtype()
        info = np.iinfo(native)
        value = int(data)
        if not info.min <= value <= info.max:
            raise OverflowError(f"{value} is out of range for {native}")
        return native.type(value)  # type: ignore[no-any-return]

    def from_json_scalar(self, data: Any, *, zarr_format: ZarrFormat) -> np.integer:
        integral_float = zarr_format == 2 and isinstance(data, float) and data.is_integer()
        intish = isinstance(data, str) and data.strip().lstrip("+-").isdigit()
        if (isinstance(data, int) and not isinstance(data, bool)) or integral_float or intish:
            return self.cast_scalar(int(data))  # type: ignore[no-any-return]
        raise TypeError(f"Invalid type: {data!r}. Expected an integer.")


def _int_type(name: str, dtype_cls: type[np.dtype], *, ordered: bool) -> type[_Integer]:
    bases = (_Integer, HasEndianness) if ordered else (_Integer,)
    namespace: dict[str, Any] = {
        "dtype_cls": dtype_cls,
        "_zarr_v3_name": name.lower(),
        "__doc__": f"{name} integers.",
        "__module__": __name__,
        "__qualname__": name,
    }
    return dataclasses.dataclass(frozen=True, kw_only=True)(type(name, bases, namespace))  # type: ignore[return-value]


Int8 = _int_type("Int8", np.dtypes.Int8DType, ordered=False)
UInt8 = _int_type("UInt8", np.dtypes.UInt8DType, ordered=False)
Int16 = _int_type("Int16", np.dtypes.Int16DType, ordered=True)
UInt16 = _int_type("UInt16", np.dtypes.UInt16DType, ordered=True)
Int32 = _int_type("Int32", np.dtypes.Int32DType, ordered=True)
UInt32 = _int_type("UInt32", np.dtypes.UInt32DType, ordered=True)
Int64 = _int_type("Int64", np.dtypes.Int64DType, ordered=True)
UInt64 = _int_type("UInt64", np.dtypes.UInt64DType, ordered=True)


def _check_int32(cls: type[ZDType], dtype: Any) -> bool:
    # numpy has two 32-bit integer classes on some platforms ('i' and 'l'); both are int32
    return isinstance(dtype, np.dtype) and dtype.kind == "i" and dtype.itemsize == 4


Int32._check_native_dtype = classmethod(_check_int32)  # type: ignore[assignment,method-assign]


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Float(ZDType, HasItemSize, HasEndianness):
    def _check_scalar(self, data: object) -> bool:
        return isinstance(data, int | float | np.integer | np.floating | str | bytes) or hasattr(
            data, "__float__"
        )

    def _cast_scalar_unchecked(self, data: Any) -> np.floating:
        return self.to_native_dtype().type(data)  # type: ignore[no-any-return]

    def from_json_scalar(self, data: Any, *, zarr_format: ZarrFormat) -> Any:
        if zarr_format == 2 and isinstance(data, str) and data.startswith("0x"):
            raise TypeError(f"Invalid type: {data!r}. Hex float fill values are a Zarr v3 form.")
        if (
            isinstance(data, str)
            and data not in ("NaN", "Infinity", "-Infinity")
            and not data.startswith("0x")
        ):
            try:
                return self.cast_scalar(float(data))
            except ValueError:
                pass
        return super().from_json_scalar(data, zarr_format=zarr_format)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Float16(_Float):
    """Half-precision floats."""

    dtype_cls: ClassVar[type[np.dtype]] = np.dtypes.Float16DType
    _zarr_v3_name: ClassVar[str] = "float16"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Float32(_Float):
    """Single-precision floats."""

    dtype_cls: ClassVar[type[np.dtype]] = np.dtypes.Float32DType
    _zarr_v3_name: ClassVar[str] = "float32"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Float64(_Float):
    """Double-precision floats."""

    dtype_cls: ClassVar[type[np.dtype]] = np.dtypes.Float64DType
    _zarr_v3_name: ClassVar[str] = "float64"


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Complex(ZDType, HasItemSize, HasEndianness):
    def _check_scalar(self, data: object) -> bool:
        return isinstance(data, int | float | complex | np.number | str)

    def _cast_scalar_unchecked(self, data: Any) -> np.complexfloating:
        return self.to_native_dtype().type(data)  # type: ignore[no-any-return]

    def to_json_scalar(self, data: object, *, zarr_format: ZarrFormat) -> Any:
        # a pair, as zarr-python returns it (JSON writes it as a two-element list)
        return tuple(super().to_json_scalar(data, zarr_format=zarr_format))


@dataclasses.dataclass(frozen=True, kw_only=True)
class Complex64(_Complex):
    """Complex numbers of two float32."""

    dtype_cls: ClassVar[type[np.dtype]] = np.dtypes.Complex64DType
    _zarr_v3_name: ClassVar[str] = "complex64"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Complex128(_Complex):
    """Complex numbers of two float64."""

    dtype_cls: ClassVar[type[np.dtype]] = np.dtypes.Complex128DType
    _zarr_v3_name: ClassVar[str] = "complex128"
