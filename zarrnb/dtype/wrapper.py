"""``ZDType``: zarr-python's data-type objects, each wrapping one numpy dtype.

The engine keeps working on numpy dtypes (its fast paths); these objects are the public face that
zarr-python code expects (``zarr.dtype.Int16()``, ``parse_dtype``, ``ArrayV3Metadata.data_type``).
JSON forms and scalar encodings delegate to ``zarrnb.dtype.v2``/``v3``/``fill_value`` so there is one
encoder per format, not two.
"""

from __future__ import annotations

import dataclasses
import warnings
from abc import ABC
from typing import Any, ClassVar, Generic, Literal, Self, TypeVar

import numpy as np

from zarrnb.dtype.fill_value import decode_fill_value, encode_fill_value
from zarrnb.dtype.v2 import object_codec_id, v2_dtype_json
from zarrnb.dtype.v3 import v3_data_type_json
from zarrnb.errors import MetadataValidationError, UnstableSpecificationWarning, UnsupportedDataTypeError

__all__ = [
    "DTypeJSON",
    "DTypeName_V2",
    "DTypeSpec_V2",
    "DTypeSpec_V3",
    "DataTypeValidationError",
    "HasEndianness",
    "HasItemSize",
    "HasLength",
    "HasObjectCodec",
    "ScalarTypeValidationError",
    "TBaseDType",
    "TBaseScalar",
    "UnstableSpecificationWarning",
    "ZDType",
    "scalar_failed_type_check_msg",
    "unpack_dtype_json",
    "v3_unstable_dtype_warning",
]

TBaseDType = np.dtype
TBaseScalar = np.generic | str | bytes
TDType_co = TypeVar("TDType_co", bound=np.dtype, covariant=True)
TScalar_co = TypeVar("TScalar_co", covariant=True)
EndiannessStr = Literal["little", "big"]
ENDIANNESS_STR = ("little", "big")
SpecialFloatStrings = Literal["NaN", "Infinity", "-Infinity"]
JSONFloatV2 = float | SpecialFloatStrings
JSONFloatV3 = float | SpecialFloatStrings | str
ZarrFormat = Literal[2, 3]
# the JSON shapes of a data type (zarr-python's names, for annotations)
DTypeName_V2 = str | list[Any]
DTypeSpec_V2 = dict[str, Any]
DTypeSpec_V3 = str | dict[str, Any]
DTypeJSON = str | dict[str, Any] | list[Any]


class DataTypeValidationError(UnsupportedDataTypeError):
    """A native dtype or JSON document does not describe this data type (a ``ValueError``)."""


class ScalarTypeValidationError(ValueError):
    """A scalar does not belong to a data type."""


class HasLength:
    """Mix-in for data types with a ``length`` (fixed-size strings and bytes)."""

    length: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class HasEndianness:
    """Mix-in for data types with a byte order."""

    endianness: EndiannessStr = "little"


class HasItemSize:
    """Mix-in for data types whose scalars all have the same size in bytes."""

    @property
    def item_size(self) -> int:
        """Bytes per element."""
        return self.to_native_dtype().itemsize  # type: ignore[attr-defined,no-any-return]


class HasObjectCodec:
    """Mix-in for data types that a v2 array stores through an object codec (``vlen-utf8``)."""

    object_codec_id: ClassVar[str]


def v3_unstable_dtype_warning(dtype: object) -> None:
    """Warn that ``dtype``'s v3 JSON form has no specification yet (zarr-python warns the same)."""
    warnings.warn(
        f"The data type ({dtype}) does not have a Zarr V3 specification. That means that the representation "
        "of arrays saved with this data type may change without warning in a future version of Zarr Python. "
        "Arrays stored with this data type may be unreadable by other Zarr libraries. "
        "Use this data type at your own risk! Check "
        "https://github.com/zarr-developers/zarr-extensions/tree/main/data-types for the status of data "
        "type specifications for Zarr V3.",
        UnstableSpecificationWarning,
        stacklevel=3,
    )


def unpack_dtype_json(data: Any) -> Any:
    """The data type part of a JSON form: the ``name`` of a v2 ``{"name", "object_codec_id"}`` object."""
    if isinstance(data, dict) and set(data) == {"name", "object_codec_id"}:
        return data["name"]
    return data


def scalar_failed_type_check_msg(cls_instance: ZDType, bad_scalar: object) -> str:
    """zarr-python's message for a scalar that a data type cannot hold."""
    return (
        f"Cannot convert object {bad_scalar!r} with type {type(bad_scalar)} to a scalar compatible with "
        f"the data type {cls_instance}."
    )


def _byteorder(endianness: str | None) -> str:
    return {"little": "<", "big": ">", None: "|"}[endianness]


def endianness_from_numpy(dtype: np.dtype) -> EndiannessStr | None:
    """``"little"``/``"big"`` for a numpy dtype's byte order; None where it has none."""
    order = dtype.byteorder
    if order == "|":
        return None
    if order == "=":
        return "little" if np.little_endian else "big"
    return "little" if order == "<" else "big"


@dataclasses.dataclass(frozen=True, kw_only=True)
class ZDType(ABC, Generic[TDType_co, TScalar_co]):
    """One Zarr data type: its numpy dtype, its JSON in formats 2 and 3, and how its scalars travel."""

    dtype_cls: ClassVar[type[np.dtype]]
    _zarr_v3_name: ClassVar[str]
    # True where the v3 JSON form is not in the spec yet: ``to_json(3)`` warns
    _v3_unstable: ClassVar[bool] = False

    # --- native dtypes -------------------------------------------------------------------
    @classmethod
    def _check_native_dtype(cls, dtype: Any) -> bool:
        """True when ``dtype`` is a numpy dtype of this data type's class."""
        return type(dtype) is cls.dtype_cls

    @classmethod
    def from_native_dtype(cls, dtype: Any) -> Self:
        """The data type of numpy ``dtype``; any other dtype raises ``DataTypeValidationError``."""
        if cls._check_native_dtype(dtype):
            return cls._from_native_unchecked(dtype)
        raise DataTypeValidationError(f"Invalid data type: {dtype}. Expected an instance of {cls.dtype_cls}.")

    @classmethod
    def _from_native_unchecked(cls, dtype: np.dtype) -> Self:
        if issubclass(cls, HasEndianness) and endianness_from_numpy(dtype) is not None:
            return cls(endianness=endianness_from_numpy(dtype))  # type: ignore[call-arg]
        return cls()

    def to_native_dtype(self) -> np.dtype:
        """The numpy dtype this object wraps (what ``Array.dtype`` is)."""
        dtype = self.dtype_cls()
        if isinstance(self, HasEndianness):
            return dtype.newbyteorder(_byteorder(self.endianness))
        return dtype

    # --- JSON of the data type ------------------------------------------------------------
    @classmethod
    def _check_json_v2(cls, data: object) -> bool:
        if not (isinstance(data, dict) and set(data) == {"name", "object_codec_id"}):
            return False
        try:
            cls._from_json_v2(data)
        except (DataTypeValidationError, TypeError, ValueError):
            return False
        return True

    @classmethod
    def _check_json_v3(cls, data: object) -> bool:
        return data == cls._zarr_v3_name

    @classmethod
    def _from_json_v2(cls, data: Any) -> Self:
        if not isinstance(data, dict) or data.get("object_codec_id") is not None:
            raise DataTypeValidationError(f"Invalid JSON representation of {cls.__name__}: {data!r}")
        name = data.get("name")
        if not isinstance(name, str) or name[:1] not in "<>|":
            raise DataTypeValidationError(f"Invalid JSON representation of {cls.__name__}: {data!r}")
        try:
            dtype = np.dtype(name)
        except TypeError as exc:
            raise DataTypeValidationError(f"Invalid JSON representation of {cls.__name__}: {data!r}") from exc
        if dtype.str != name:
            raise DataTypeValidationError(f"Invalid JSON representation of {cls.__name__}: {data!r}")
        return cls.from_native_dtype(dtype)

    @classmethod
    def _from_json_v3(cls, data: Any) -> Self:
        if cls._check_json_v3(data):
            return cls()
        raise DataTypeValidationError(f"Invalid JSON representation of {cls.__name__}: {data!r}")

    @classmethod
    def from_json(cls, data: Any, *, zarr_format: ZarrFormat) -> Self:
        """Build the data type from its JSON form in ``zarr_format`` (v2: ``{"name", "object_codec_id"}``)."""
        if zarr_format == 2:
            return cls._from_json_v2(data)
        if zarr_format == 3:
            return cls._from_json_v3(data)
        raise ValueError(f"zarr_format must be 2 or 3, got {zarr_format!r}")

    def to_json(self, zarr_format: ZarrFormat) -> Any:
        """The data type's JSON: v3 ``data_type`` or v2 ``{"name": dtype, "object_codec_id": ...}``."""
        native = self.to_native_dtype()
        if zarr_format == 2:
            return {"name": v2_dtype_json(native), "object_codec_id": object_codec_id(native)}
        if zarr_format == 3:
            if self._v3_unstable:
                v3_unstable_dtype_warning(self)
            return v3_data_type_json(native)
        raise ValueError(f"zarr_format must be 2 or 3, got {zarr_format!r}")

    # --- scalars ---------------------------------------------------------------------------
    def _check_scalar(self, data: object) -> bool:
        """True when ``data`` can become a scalar of this type."""
        return isinstance(data, np.generic | int | float | complex | str | bytes)

    def _cast_scalar_unchecked(self, data: Any) -> Any:
        return self.to_native_dtype().type(data)

    def cast_scalar(self, data: object) -> Any:
        """``data`` as a scalar of this type; a value it cannot hold raises ``TypeError``."""
        if self._check_scalar(data):
            try:
                return self._cast_scalar_unchecked(data)
            except (TypeError, ValueError, OverflowError) as exc:
                raise TypeError(scalar_failed_type_check_msg(self, data)) from exc
        raise TypeError(scalar_failed_type_check_msg(self, data))

    def default_scalar(self) -> Any:
        """The fill value zarr-python uses when none is given (zero, False, empty)."""
        return self.to_native_dtype().type(0)

    def from_json_scalar(self, data: Any, *, zarr_format: ZarrFormat) -> Any:
        """Decode a scalar (a fill value) from its JSON form."""
        try:
            return decode_fill_value(data, self._scalar_dtype())
        except MetadataValidationError as exc:
            raise TypeError(f"Invalid type: {data!r}. Expected a JSON scalar of {self}.") from exc

    def to_json_scalar(self, data: object, *, zarr_format: ZarrFormat) -> Any:
        """Encode a scalar (a fill value) as JSON, as zarr-python writes it."""
        return encode_fill_value(self.cast_scalar(data), self._scalar_dtype())

    def _scalar_dtype(self) -> np.dtype:
        return self.to_native_dtype()
