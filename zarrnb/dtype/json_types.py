"""The JSON shapes of the sized data types in array metadata, as zarr-python names them (``zarr.dtype``).

``*_V2`` is the ``{"name": <v2 dtype>, "object_codec_id": ...}`` form a ``ZDType`` gives for format 2
(``to_json(2)``); ``*_V3`` the ``{"name": ..., "configuration": ...}`` form of format 3. Typing only:
the dtypes themselves build and check these documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, NotRequired, TypedDict

__all__ = [
    "DateTime64JSON_V2",
    "DateTime64JSON_V3",
    "FixedLengthUTF32JSON_V2",
    "FixedLengthUTF32JSON_V3",
    "NullTerminatedBytesJSON_V3",
    "NullterminatedBytesJSON_V2",
    "RawBytesJSON_V2",
    "RawBytesJSON_V3",
    "StructuredJSON_V2",
    "StructuredJSON_V3",
    "TimeDelta64JSON_V2",
    "TimeDelta64JSON_V3",
    "VariableLengthBytesJSON_V2",
    "VariableLengthUTF8JSON_V2",
]


class _TimeConfig(TypedDict):
    unit: str
    scale_factor: int


class _LengthBytesConfig(TypedDict):
    length_bytes: int


class _V2(TypedDict):
    """Format 2: the ``dtype`` string (or field list) and the object codec it needs, if any."""

    name: str
    object_codec_id: None


class DateTime64JSON_V2(_V2):
    """``{"name": "<M8[s]", "object_codec_id": None}``."""


class TimeDelta64JSON_V2(_V2):
    """``{"name": "<m8[s]", "object_codec_id": None}``."""


class FixedLengthUTF32JSON_V2(_V2):
    """``{"name": "<U10", "object_codec_id": None}``."""


class NullterminatedBytesJSON_V2(_V2):
    """``{"name": "|S10", "object_codec_id": None}``."""


class RawBytesJSON_V2(_V2):
    """``{"name": "|V10", "object_codec_id": None}``."""


class StructuredJSON_V2(TypedDict):
    """``{"name": [["a", "<i4"], ...], "object_codec_id": None}``."""

    name: Sequence[Sequence[Any]]
    object_codec_id: None


class VariableLengthBytesJSON_V2(TypedDict):
    """``{"name": "|O", "object_codec_id": "vlen-bytes"}``."""

    name: Literal["|O"]
    object_codec_id: Literal["vlen-bytes"]


class VariableLengthUTF8JSON_V2(TypedDict):
    """``{"name": "|O", "object_codec_id": "vlen-utf8"}``."""

    name: Literal["|O"]
    object_codec_id: Literal["vlen-utf8"]


class DateTime64JSON_V3(TypedDict):
    """``{"name": "numpy.datetime64", "configuration": {"unit": "s", "scale_factor": 1}}``."""

    name: Literal["numpy.datetime64"]
    configuration: NotRequired[_TimeConfig]


class TimeDelta64JSON_V3(TypedDict):
    """``{"name": "numpy.timedelta64", "configuration": {"unit": "s", "scale_factor": 1}}``."""

    name: Literal["numpy.timedelta64"]
    configuration: NotRequired[_TimeConfig]


class FixedLengthUTF32JSON_V3(TypedDict):
    """``{"name": "fixed_length_utf32", "configuration": {"length_bytes": 40}}``."""

    name: Literal["fixed_length_utf32"]
    configuration: NotRequired[_LengthBytesConfig]


class NullTerminatedBytesJSON_V3(TypedDict):
    """``{"name": "null_terminated_bytes", "configuration": {"length_bytes": 10}}``."""

    name: Literal["null_terminated_bytes"]
    configuration: NotRequired[_LengthBytesConfig]


class RawBytesJSON_V3(TypedDict):
    """``{"name": "raw_bytes", "configuration": {"length_bytes": 10}}``."""

    name: Literal["raw_bytes"]
    configuration: NotRequired[_LengthBytesConfig]


class StructuredJSON_V3(TypedDict):
    """``{"name": "structured", "configuration": {"fields": [["a", "int32"], ...]}}``."""

    name: Literal["structured"]
    configuration: NotRequired[dict[str, Sequence[Sequence[Any]]]]
