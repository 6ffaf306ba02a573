"""``ArraySpec``: what a codec is told about the chunk it encodes (shape, data type, fill value, ...).

zarr-python hands one to every codec call; zarrnb's own codecs work from numpy dtypes and shapes
directly, and build specs only to call third-party codecs through zarr-python's interface.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Literal, NotRequired, TypedDict

import numpy as np

import zarrnb.config as config
from zarrnb.core.buffer import BufferPrototype, default_buffer_prototype
from zarrnb.dtype import (
    STRING_DTYPE,
    VariableLengthBytes,
    VariableLengthUTF8,
    ZDType,
    get_data_type_from_native_dtype,
)

__all__ = [
    "ArrayConfig",
    "ArrayConfigLike",
    "ArrayConfigParams",
    "ArraySpec",
    "data_type_of",
    "parse_array_config",
]


class ArrayConfigParams(TypedDict):
    """``ArrayConfig``'s fields as a dict, each optional (the rest come from ``zarrnb.config``)."""

    order: NotRequired[Literal["C", "F"]]
    write_empty_chunks: NotRequired[bool]


@dataclasses.dataclass(frozen=True)
class ArrayConfig:
    """Runtime settings of one array handle (not stored): memory order of results, empty-chunk writes."""

    order: str = "C"
    write_empty_chunks: bool = False

    @classmethod
    def parse(cls, value: ArrayConfig | Mapping[str, Any] | None) -> ArrayConfig:
        """From an ``ArrayConfig``, a dict with some of its fields, or None (zarrnb.config's defaults)."""
        if isinstance(value, ArrayConfig):
            return value
        defaults = {
            "order": config.get("array.order"),
            "write_empty_chunks": config.get("array.write_empty_chunks"),
        }
        if not value:  # the defaults, built once per setting (each array of a listing needs them)
            key = (defaults["order"], defaults["write_empty_chunks"])
            if key not in _DEFAULT_CONFIGS:
                _DEFAULT_CONFIGS[key] = cls._checked(defaults, defaults)
            return _DEFAULT_CONFIGS[key]
        return cls._checked({**defaults, **dict(value)}, defaults)

    @classmethod
    def _checked(cls, settings: dict[str, Any], defaults: Mapping[str, Any]) -> ArrayConfig:
        """The config ``settings`` spell, refusing keys not in ``defaults`` and unknown orders."""
        unknown = set(settings) - set(defaults)
        if unknown:
            raise ValueError(
                f"unknown array config keys {sorted(unknown)}; expected some of {sorted(defaults)}"
            )
        result = cls(**settings)
        if result.order not in ("C", "F"):
            raise ValueError(f"array config 'order' must be 'C' or 'F', got {result.order!r}")
        return result

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ArrayConfig:
        """zarr-python's name for :meth:`parse` of a dict."""
        return cls.parse(data)

    def to_dict(self) -> dict[str, Any]:
        """The settings as a dict."""
        return {"order": self.order, "write_empty_chunks": self.write_empty_chunks}


_DEFAULT_CONFIGS: dict[tuple[Any, Any], ArrayConfig] = {}
ArrayConfigLike = ArrayConfig | Mapping[str, Any]


def parse_array_config(data: ArrayConfigLike | None) -> ArrayConfig:
    """An ``ArrayConfig`` from one, a partial dict, or None (the configured defaults)."""
    return ArrayConfig.parse(data)


def data_type_of(dtype: np.dtype) -> ZDType:
    """The data-type object for an engine dtype (object arrays hold bytes, StringDType strings)."""
    if dtype == STRING_DTYPE:
        return VariableLengthUTF8()
    if dtype.kind == "O":
        return VariableLengthBytes()
    return get_data_type_from_native_dtype(dtype)


@dataclasses.dataclass(frozen=True, init=False)
class ArraySpec:
    """One chunk as a codec sees it: shape, data type, fill value, runtime config, buffer classes."""

    shape: tuple[int, ...]
    dtype: ZDType
    fill_value: Any
    config: ArrayConfig
    prototype: BufferPrototype

    def __init__(
        self,
        shape: tuple[int, ...],
        dtype: ZDType | np.dtype,
        fill_value: Any,
        config: ArrayConfigLike | None = None,
        prototype: BufferPrototype | None = None,
    ) -> None:
        zdtype = dtype if isinstance(dtype, ZDType) else data_type_of(np.dtype(dtype))
        object.__setattr__(self, "shape", tuple(int(n) for n in shape))
        object.__setattr__(self, "dtype", zdtype)
        object.__setattr__(self, "fill_value", fill_value)
        object.__setattr__(self, "config", parse_array_config(config))
        object.__setattr__(self, "prototype", prototype or default_buffer_prototype())

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def order(self) -> str:
        return self.config.order
