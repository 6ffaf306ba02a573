"""Data-type objects for text, bytes, times and records: fixed- and variable-length, datetime, structured."""

from __future__ import annotations

import base64
import dataclasses
from typing import Any, ClassVar, Generic, Literal, Self

import numpy as np

from zarrnb.dtype.v3 import STRING_DTYPE
from zarrnb.dtype.wrapper import (
    DataTypeValidationError,
    HasEndianness,
    HasItemSize,
    HasLength,
    HasObjectCodec,
    TDType_co,
    ZarrFormat,
    ZDType,
    endianness_from_numpy,
    v3_unstable_dtype_warning,
)

__all__ = [
    "DateTime64",
    "FixedLengthUTF32",
    "NullTerminatedBytes",
    "RawBytes",
    "Structured",
    "TimeDelta64",
    "UTF8Base",
    "VariableLengthBytes",
    "VariableLengthUTF8",
]

DateTimeUnit = Literal["Y", "M", "W", "D", "h", "m", "s", "ms", "us", "μs", "ns", "ps", "fs", "as", "generic"]
_UNITS = ("Y", "M", "W", "D", "h", "m", "s", "ms", "us", "μs", "ns", "ps", "fs", "as", "generic")


def _named_config(data: object, name: str, keys: set[str]) -> dict[str, Any] | None:
    """The ``configuration`` of ``{"name": name, "configuration": {...keys}}``, else None."""
    if not (isinstance(data, dict) and set(data) == {"name", "configuration"} and data["name"] == name):
        return None
    config = data["configuration"]
    return config if isinstance(config, dict) and set(config) == keys else None


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Sized(ZDType, HasLength, HasItemSize):
    """A type of ``length`` items per element; v3 spells its size as ``length_bytes``."""

    length: int
    _bytes_per_item: ClassVar[int] = 1
    _kind: ClassVar[str]

    def __post_init__(self) -> None:
        if not _positive_int(self.length):
            raise ValueError(f"length must be >= 1, got {self.length!r}.")

    @classmethod
    def _from_native_unchecked(cls, dtype: np.dtype) -> Self:
        length = dtype.itemsize // cls._bytes_per_item
        if issubclass(cls, HasEndianness) and endianness_from_numpy(dtype) is not None:
            return cls(length=length, endianness=endianness_from_numpy(dtype))  # type: ignore[call-arg]
        return cls(length=length)

    def to_native_dtype(self) -> np.dtype:
        dtype = np.dtype(f"{self._kind}{self.length}")
        if isinstance(self, HasEndianness):
            return dtype.newbyteorder("<" if self.endianness == "little" else ">")
        return dtype

    @classmethod
    def _check_json_v3(cls, data: object) -> bool:
        config = _named_config(data, cls._zarr_v3_name, {"length_bytes"})
        return (
            config is not None
            and _positive_int(config["length_bytes"])
            and config["length_bytes"] % cls._bytes_per_item == 0
        )

    @classmethod
    def _from_json_v3(cls, data: Any) -> Self:
        if not cls._check_json_v3(data):
            raise DataTypeValidationError(f"Invalid JSON representation of {cls.__name__}: {data!r}")
        return cls(length=data["configuration"]["length_bytes"] // cls._bytes_per_item)


@dataclasses.dataclass(frozen=True, kw_only=True)
class FixedLengthUTF32(HasEndianness, _Sized):
    """Unicode strings of at most ``length`` characters (numpy ``U``).

    The bases' order puts ``length`` before ``endianness`` in the fields, so the repr (and the test
    ids built from it) reads as zarr-python's."""

    dtype_cls: ClassVar[type[np.dtype]] = np.dtypes.StrDType
    _zarr_v3_name: ClassVar[str] = "fixed_length_utf32"
    _v3_unstable: ClassVar[bool] = True
    _bytes_per_item: ClassVar[int] = 4
    _kind: ClassVar[str] = "U"
    # bytes per character in numpy's ``U`` (UTF-32), zarr-python's name for it
    code_point_bytes: ClassVar[int] = 4

    def _check_scalar(self, data: object) -> bool:
        return isinstance(data, str | np.str_ | int | float | bytes)

    def _cast_scalar_unchecked(self, data: Any) -> np.str_:
        text = data.decode() if isinstance(data, bytes) else str(data)
        return np.str_(text[: self.length])

    def default_scalar(self) -> np.str_:
        return np.str_("")


@dataclasses.dataclass(frozen=True, kw_only=True)
class NullTerminatedBytes(_Sized):
    """Byte strings of at most ``length`` bytes, zero padded (numpy ``S``)."""

    dtype_cls: ClassVar[type[np.dtype]] = np.dtypes.BytesDType
    _zarr_v3_name: ClassVar[str] = "null_terminated_bytes"
    _v3_unstable: ClassVar[bool] = True
    _kind: ClassVar[str] = "S"

    def _check_scalar(self, data: object) -> bool:
        return isinstance(data, bytes | str | np.bytes_ | int)

    def _cast_scalar_unchecked(self, data: Any) -> np.bytes_:
        raw = (
            data.encode()
            if isinstance(data, str)
            else bytes(data)
            if not isinstance(data, int)
            else bytes(str(data), "ascii")
        )
        return np.bytes_(raw[: self.length])

    def default_scalar(self) -> np.bytes_:
        return np.bytes_(b"")


@dataclasses.dataclass(frozen=True, kw_only=True)
class RawBytes(_Sized):
    """Opaque runs of ``length`` bytes (numpy ``V`` without fields)."""

    dtype_cls: ClassVar[type[np.dtype]] = np.dtypes.VoidDType
    _zarr_v3_name: ClassVar[str] = "raw_bytes"
    _v3_unstable: ClassVar[bool] = True
    _kind: ClassVar[str] = "V"

    @classmethod
    def _check_native_dtype(cls, dtype: Any) -> bool:
        return type(dtype) is cls.dtype_cls and dtype.fields is None and dtype.subdtype is None

    def _check_scalar(self, data: object) -> bool:
        return isinstance(data, bytes | np.void)

    def _cast_scalar_unchecked(self, data: Any) -> np.void:
        raw = data.tobytes() if isinstance(data, np.void) else bytes(data)
        return np.frombuffer(raw[: self.length].ljust(self.length, b"\0"), dtype=self.to_native_dtype())[0]

    def default_scalar(self) -> np.void:
        return self._cast_scalar_unchecked(b"")


@dataclasses.dataclass(frozen=True, kw_only=True)
class _VariableLength(ZDType, HasObjectCodec):
    """A type whose elements vary in size; v2 stores them as ``|O`` with an object codec."""

    @classmethod
    def _from_json_v2(cls, data: Any) -> Self:
        if data == {"name": "|O", "object_codec_id": cls.object_codec_id}:
            return cls()
        raise DataTypeValidationError(f"Invalid JSON representation of {cls.__name__}: {data!r}")

    @classmethod
    def _check_json_v2(cls, data: object) -> bool:
        return data == {"name": "|O", "object_codec_id": cls.object_codec_id}


@dataclasses.dataclass(frozen=True, kw_only=True)
class UTF8Base(_VariableLength, Generic[TDType_co]):
    """Unicode strings of any length, whatever numpy dtype holds them (zarr-python's base class of
    ``VariableLengthUTF8``, generic in that dtype); v3 ``"string"``, v2 ``|O`` with ``vlen-utf8``."""

    _zarr_v3_name: ClassVar[str] = "string"
    object_codec_id: ClassVar[str] = "vlen-utf8"

    def _check_scalar(self, data: object) -> bool:
        return isinstance(data, str | np.str_ | int | float | bytes | np.generic)

    def _cast_scalar_unchecked(self, data: Any) -> str:
        return data.decode() if isinstance(data, bytes) else str(data)

    def default_scalar(self) -> str:
        return ""

    def from_json_scalar(self, data: Any, *, zarr_format: ZarrFormat) -> str:
        if isinstance(data, str):
            return data
        raise TypeError(f"Invalid type: {data!r}. Expected a string.")

    def to_json_scalar(self, data: object, *, zarr_format: ZarrFormat) -> str:
        return self.cast_scalar(data)  # type: ignore[no-any-return]


@dataclasses.dataclass(frozen=True, kw_only=True)
class VariableLengthUTF8(UTF8Base[np.dtypes.StringDType]):
    """Unicode strings of any length (numpy's ``StringDType``); v3 ``"string"``."""

    dtype_cls: ClassVar[type[np.dtype]] = np.dtypes.StringDType

    def to_native_dtype(self) -> np.dtype:
        return STRING_DTYPE

    @classmethod
    def _from_native_unchecked(cls, dtype: np.dtype) -> Self:
        if hasattr(dtype, "na_object"):
            raise ValueError(
                f"Zarr data type resolution from {dtype} failed. Attempted to resolve a zarr data type "
                "from a `numpy.dtypes.StringDType` with `na_object` set, which is not supported."
            )
        return cls()


@dataclasses.dataclass(frozen=True, kw_only=True)
class VariableLengthBytes(_VariableLength):
    """Byte strings of any length (numpy ``object`` holding ``bytes``); v3 ``"variable_length_bytes"``."""

    dtype_cls: ClassVar[type[np.dtype]] = np.dtypes.ObjectDType
    _zarr_v3_name: ClassVar[str] = "variable_length_bytes"
    _v3_unstable: ClassVar[bool] = True
    object_codec_id: ClassVar[str] = "vlen-bytes"

    @classmethod
    def _check_json_v3(cls, data: object) -> bool:
        # "bytes" is an older name zarr-python still reads
        return data in (cls._zarr_v3_name, "bytes")

    def _check_scalar(self, data: object) -> bool:
        return isinstance(data, bytes | str | np.bytes_)

    def _cast_scalar_unchecked(self, data: Any) -> bytes:
        return data.encode() if isinstance(data, str) else bytes(data)

    def default_scalar(self) -> bytes:
        return b""

    def from_json_scalar(self, data: Any, *, zarr_format: ZarrFormat) -> bytes:
        if isinstance(data, str):
            return base64.standard_b64decode(data)
        raise TypeError(f"Invalid type: {data!r}. Expected a base64 string.")

    def to_json_scalar(self, data: object, *, zarr_format: ZarrFormat) -> str:
        return base64.standard_b64encode(self.cast_scalar(data)).decode("ascii")


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Time(ZDType, HasEndianness, HasItemSize):
    """A numpy time type: ``unit`` and ``scale_factor`` (``M8[10s]`` is unit s, scale 10)."""

    # keyword-only; declared in zarr-python's order, so the reprs match
    scale_factor: int = 1
    unit: DateTimeUnit = "generic"
    _numpy_kind: ClassVar[str]

    def __post_init__(self) -> None:
        if self.unit not in _UNITS:
            raise ValueError(f"unit must be one of {_UNITS}, got {self.unit!r}.")
        if self.scale_factor < 1:
            raise ValueError(f"scale_factor must be > 0, got {self.scale_factor}.")
        if self.scale_factor >= 2**31:
            raise ValueError(f"scale_factor must be < 2147483648, got {self.scale_factor}.")

    @classmethod
    def _from_native_unchecked(cls, dtype: np.dtype) -> Self:
        unit, scale = np.datetime_data(dtype)
        return cls(unit=unit, scale_factor=scale, endianness=endianness_from_numpy(dtype) or "little")  # type: ignore[arg-type]

    def to_native_dtype(self) -> np.dtype:
        unit = (
            ""
            if self.unit == "generic"
            else f"[{self.scale_factor if self.scale_factor != 1 else ''}{self.unit}]"
        )
        order = "<" if self.endianness == "little" else ">"
        return np.dtype(f"{order}{self._numpy_kind}8{unit}")

    @classmethod
    def _check_json_v3(cls, data: object) -> bool:
        config = _named_config(data, cls._zarr_v3_name, {"unit", "scale_factor"})
        return config is not None and config["unit"] in _UNITS and _positive_int(config["scale_factor"])

    @classmethod
    def _from_json_v3(cls, data: Any) -> Self:
        if not cls._check_json_v3(data):
            raise DataTypeValidationError(f"Invalid JSON representation of {cls.__name__}: {data!r}")
        return cls(unit=data["configuration"]["unit"], scale_factor=data["configuration"]["scale_factor"])

    def to_json(self, zarr_format: ZarrFormat) -> Any:
        if zarr_format == 3:
            config = {"unit": self.unit, "scale_factor": self.scale_factor}
            return {"name": self._zarr_v3_name, "configuration": config}
        return super().to_json(zarr_format)

    def _unit_str(self) -> str:
        return "generic" if self.unit == "generic" else f"{self.scale_factor}{self.unit}"

    def _check_scalar(self, data: object) -> bool:
        return isinstance(data, int | np.integer | str | np.datetime64 | np.timedelta64) and not isinstance(
            data, bool
        )

    def _cast_scalar_unchecked(self, data: Any) -> Any:
        scalar_type = np.datetime64 if self._numpy_kind == "M" else np.timedelta64
        if isinstance(data, np.datetime64 | np.timedelta64):
            return scalar_type(data).astype(self.to_native_dtype().newbyteorder("="))
        if isinstance(data, int | np.integer):
            return scalar_type(int(data), self._unit_str())
        if isinstance(data, str) and self._numpy_kind == "M" and self.unit != "generic":
            return scalar_type(data, self._unit_str())
        if isinstance(data, str) and data.lstrip("-").isdigit():
            return scalar_type(int(data), self._unit_str())
        return scalar_type(data).astype(self.to_native_dtype().newbyteorder("="))

    def default_scalar(self) -> Any:
        scalar_type = np.datetime64 if self._numpy_kind == "M" else np.timedelta64
        return scalar_type("NaT", self._unit_str())

    def from_json_scalar(self, data: Any, *, zarr_format: ZarrFormat) -> Any:
        if (isinstance(data, int) and not isinstance(data, bool)) or data == "NaT":
            return self._cast_scalar_unchecked(data)
        raise TypeError(f"Invalid type: {data!r}. Expected an integer.")

    def to_json_scalar(self, data: object, *, zarr_format: ZarrFormat) -> int:
        return int(
            np.array(self.cast_scalar(data), dtype=self.to_native_dtype().newbyteorder("=")).view("i8")
        )


@dataclasses.dataclass(frozen=True, kw_only=True)
class DateTime64(_Time):
    """numpy ``datetime64`` of a unit and scale; v3 ``numpy.datetime64``."""

    dtype_cls: ClassVar[type[np.dtype]] = np.dtypes.DateTime64DType
    _zarr_v3_name: ClassVar[str] = "numpy.datetime64"
    _numpy_kind: ClassVar[str] = "M"


@dataclasses.dataclass(frozen=True, kw_only=True)
class TimeDelta64(_Time):
    """numpy ``timedelta64`` of a unit and scale; v3 ``numpy.timedelta64``."""

    dtype_cls: ClassVar[type[np.dtype]] = np.dtypes.TimeDelta64DType
    _zarr_v3_name: ClassVar[str] = "numpy.timedelta64"
    _numpy_kind: ClassVar[str] = "m"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Structured(ZDType, HasItemSize):
    """Records of named fields, each of its own data type (numpy ``V`` with fields)."""

    dtype_cls: ClassVar[type[np.dtype]] = np.dtypes.VoidDType
    _zarr_v3_name: ClassVar[str] = "structured"
    fields: tuple[tuple[str, ZDType], ...]

    def __post_init__(self) -> None:
        if not self.fields:
            raise ValueError(f"must have at least one field. Got {self.fields!r}")
        object.__setattr__(self, "fields", tuple((str(n), d) for n, d in self.fields))

    @classmethod
    def _check_native_dtype(cls, dtype: Any) -> bool:
        return type(dtype) is cls.dtype_cls and dtype.fields is not None

    @classmethod
    def _from_native_unchecked(cls, dtype: np.dtype) -> Self:
        from zarrnb.dtype.registry import get_data_type_from_native_dtype

        fields = [(name, get_data_type_from_native_dtype(dtype.fields[name][0])) for name in dtype.names]
        return cls(fields=tuple(fields))

    def to_native_dtype(self) -> np.dtype:
        return np.dtype([(name, field.to_native_dtype()) for name, field in self.fields])

    @classmethod
    def _check_json_v3(cls, data: object) -> bool:
        config = _named_config(data, cls._zarr_v3_name, {"fields"})
        return config is not None and isinstance(config["fields"], list | tuple)

    @classmethod
    def _from_json_v3(cls, data: Any) -> Self:
        from zarrnb.dtype.registry import get_data_type_from_json

        if not cls._check_json_v3(data):
            raise DataTypeValidationError(f"Invalid JSON representation of {cls.__name__}: {data!r}")
        fields = [
            (name, get_data_type_from_json(spec, zarr_format=3))
            for name, spec in data["configuration"]["fields"]
        ]
        return cls(fields=tuple(fields))

    @classmethod
    def _from_json_v2(cls, data: Any) -> Self:
        from zarrnb.dtype.v2 import parse_v2_dtype

        if not (
            isinstance(data, dict)
            and isinstance(data.get("name"), list)
            and data.get("object_codec_id") is None
        ):
            raise DataTypeValidationError(f"Invalid JSON representation of {cls.__name__}: {data!r}")
        return cls.from_native_dtype(parse_v2_dtype(data["name"]))

    def to_json(self, zarr_format: ZarrFormat) -> Any:
        if zarr_format == 3:
            v3_unstable_dtype_warning(self)
            fields = [[name, field.to_json(3)] for name, field in self.fields]
            return {"name": "structured", "configuration": {"fields": fields}}
        return super().to_json(zarr_format)

    def _check_scalar(self, data: object) -> bool:
        return isinstance(data, bytes | np.void | tuple | list | int | float)

    def _cast_scalar_unchecked(self, data: Any) -> np.void:
        dtype = self.to_native_dtype()
        if isinstance(data, bytes):
            return np.frombuffer(data, dtype=dtype)[0]
        if isinstance(data, list):  # one record's fields (NumPy would read a list as several records)
            data = tuple(data)
        return np.array(
            data if not isinstance(data, int | float) else (data,) * len(self.fields), dtype=dtype
        )[()]

    def default_scalar(self) -> np.void:
        return np.zeros((), dtype=self.to_native_dtype())[()]

    def from_json_scalar(self, data: Any, *, zarr_format: ZarrFormat) -> np.void:
        if isinstance(data, str):
            return self._cast_scalar_unchecked(base64.standard_b64decode(data))
        raise TypeError(f"Invalid type: {data!r}. Expected a base64 string.")

    def to_json_scalar(self, data: object, *, zarr_format: ZarrFormat) -> str:
        return base64.standard_b64encode(self.cast_scalar(data).tobytes()).decode("ascii")


# numpy >= 2 has a variable-length string dtype, which zarrnb requires
_NUMPY_SUPPORTS_VLEN_STRING = True


def datetime_from_int(data: int, *, unit: DateTimeUnit, scale_factor: int) -> np.datetime64:
    """The datetime64 ``data`` units of ``scale_factor * unit`` after the epoch."""
    return np.int64(data).view(f"datetime64[{scale_factor}{unit}]")  # type: ignore[return-value]
