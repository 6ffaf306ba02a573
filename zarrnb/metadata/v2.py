"""Zarr v2 array metadata: ``.zarray`` plus ``.zattrs`` (Zarr v2 spec)."""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any, Self

import numcodecs.abc
import numpy as np

from zarrnb.codecs import V2CodecPipeline
from zarrnb.codecs.numcodecs_v2 import v2_codec_from_json, v2_codec_json, v2_codecs_from_json
from zarrnb.dtype import (
    ZDType,
    cast_fill_value,
    decode_fill_value,
    default_fill_value,
    encode_fill_value,
    parse_v2_dtype,
    v2_dtype_json,
)
from zarrnb.errors import MetadataValidationError, ZarrUserWarning
from zarrnb.metadata.chunk_grid import RegularChunkGrid
from zarrnb.metadata.chunk_key_encoding import ChunkKeyEncoding
from zarrnb.metadata.common import (
    ArrayMetadata,
    check_addressable,
    dumps_json,
    parse_attributes,
    parse_shape,
    require,
)

__all__ = ["ArrayV2Metadata", "parse_v2_array_metadata", "parse_zarr_format"]


def parse_zarr_format(data: object) -> int:
    """2, or a ValueError: the ``zarr_format`` a ``.zarray`` must hold (zarr-python's helper)."""
    if data == 2:
        return 2
    raise ValueError(f"Invalid value. Expected 2. Got {data}.")


def _v2_codecs(value: Any, field: str) -> tuple[numcodecs.abc.Codec, ...]:
    """numcodecs codecs from instances or their JSON dicts (a single codec for ``filters`` too)."""
    if value is None:
        return ()
    if isinstance(value, numcodecs.abc.Codec | Mapping):
        value = [value]
    if not isinstance(value, Iterable) or isinstance(value, str | bytes):
        raise TypeError(f"Invalid {field}: expected None, numcodecs codecs or their dicts, got {value!r}")
    return tuple(
        v if isinstance(v, numcodecs.abc.Codec) else v2_codec_from_json(v, field=field) for v in value
    )


@dataclasses.dataclass(frozen=True, init=False, eq=False)
class ArrayV2Metadata(ArrayMetadata):
    """A parsed ``.zarray``/``.zattrs`` pair; ``dtype`` keeps the stored byte order.

    Built by the engine from native values, or with zarr-python's arguments (``chunks=``, a
    data-type object for ``dtype``, codec dicts), which are parsed.
    """

    zarr_format = 2
    shape: tuple[int, ...]
    dtype: np.dtype
    chunk_grid_shape: tuple[int, ...]
    fill_value: Any
    attributes: dict[str, Any]
    order: str = "C"
    # None or at least one codec, as in zarr-python (the v2 spec writes no filters as ``null``)
    filters: tuple[numcodecs.abc.Codec, ...] | None = None
    compressor: numcodecs.abc.Codec | None = None
    dimension_separator: str = "."

    def __init__(
        self,
        *,
        shape: Iterable[int],
        dtype: Any,
        chunks: Iterable[int] | None = None,
        fill_value: Any = None,
        order: str = "C",
        dimension_separator: str | None = ".",
        compressor: Any = None,
        filters: Any = None,
        attributes: dict[str, Any] | None = None,
        chunk_grid_shape: tuple[int, ...] | None = None,
    ) -> None:
        """Metadata from native values (the engine) or from zarr-python's constructor arguments."""
        if chunk_grid_shape is None:
            if chunks is None:
                raise TypeError("ArrayV2Metadata needs chunks=")
            chunk_grid_shape = tuple(int(n) for n in chunks)
            dtype = dtype.to_native_dtype() if isinstance(dtype, ZDType) else np.dtype(dtype)
            if fill_value is not None:
                fill_value = cast_fill_value(fill_value, dtype)
        compressors = _v2_codecs(compressor, "compressor")
        if len(compressors) > 1:
            raise ValueError(f"Invalid compressor: a Zarr v2 array holds one, got {compressor!r}")
        if order not in ("C", "F"):
            raise ValueError(f"Expected one of ('C', 'F'), got {order} instead.")
        if dimension_separator not in (".", "/", None):
            raise ValueError(f"Invalid dimension_separator: expected '.' or '/', got {dimension_separator!r}")
        shape = tuple(int(n) for n in shape)
        if len(chunk_grid_shape) != len(shape):
            raise ValueError(
                "The `shape` and `chunks` attributes must have the same length. "
                f"`chunks` has length {len(chunk_grid_shape)}, but `shape` has length {len(shape)}."
            )
        values = {
            "shape": shape,
            "dtype": dtype,
            "chunk_grid_shape": tuple(chunk_grid_shape),
            "fill_value": fill_value,
            "attributes": parse_attributes(attributes, key="attributes"),
            "order": order,
            "filters": _v2_codecs(filters, "filters") or None,
            "compressor": compressors[0] if compressors else None,
            "dimension_separator": dimension_separator or ".",
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)
        self.__post_init__()

    # no ``dimension_names``: zarr-python's v2 metadata has none, and xarray picks its v3 code
    # path by that attribute's presence (v2 names live in the ``_ARRAY_DIMENSIONS`` attribute)
    shards = None
    serializer = None

    @property
    def chunk_fill_value(self) -> Any:
        """A ``null`` fill value (``None``) reads as the dtype's default, as in zarr-python."""
        return default_fill_value(self.dtype) if self.fill_value is None else self.fill_value

    @property
    def compressors(self) -> tuple[numcodecs.abc.Codec, ...]:
        return () if self.compressor is None else (self.compressor,)

    def _make_pipeline(self) -> V2CodecPipeline:
        return V2CodecPipeline(self.filters or (), self.compressor, dtype=self.dtype, order=self.order)

    @cached_property
    def chunk_key_encoding(self) -> ChunkKeyEncoding:
        """The ``v2`` key encoding with this array's ``dimension_separator``."""
        return ChunkKeyEncoding("v2", self.dimension_separator)  # type: ignore[arg-type]

    @property
    def chunk_grid(self) -> RegularChunkGrid:
        """The chunk grid as zarr-python's ``RegularChunkGrid``."""
        return RegularChunkGrid(self.chunk_grid_shape)

    def chunk_key(self, chunk_coords: tuple[int, ...]) -> str:
        return self.chunk_key_encoding.encode_chunk_key(chunk_coords)

    encode_chunk_key = chunk_key

    def to_json(self) -> dict[str, Any]:
        """The ``.zarray`` document, fields in zarr-python's order."""
        return {
            "shape": list(self.shape),
            "chunks": list(self.chunk_grid_shape),
            "dtype": v2_dtype_json(self.dtype),
            "fill_value": None if self.fill_value is None else encode_fill_value(self.fill_value, self.dtype),
            "order": self.order,
            "filters": [v2_codec_json(f) for f in self.filters or ()] or None,
            "dimension_separator": self.dimension_separator,
            "compressor": None if self.compressor is None else v2_codec_json(self.compressor),
            "zarr_format": 2,
        }

    def to_documents(self) -> dict[str, bytes]:
        return {".zarray": dumps_json(self.to_json()), ".zattrs": dumps_json(self.attributes)}

    def to_dict(self) -> dict[str, Any]:
        """zarr-python's ``to_dict``: the ``.zarray`` fields (tuples for shapes) plus ``attributes``."""
        document = self.to_json()
        document.update(shape=self.shape, chunks=self.chunk_grid_shape, attributes=self.attributes)
        return document

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Parse a ``.zarray`` dict (``attributes`` optional) as zarr-python does; other keys are ignored."""
        parse_zarr_format(data.get("zarr_format"))
        filters = data.get("filters")
        if isinstance(filters, list | tuple) and not filters:
            warnings.warn(
                "Found an empty list of filters in the array metadata document. This is contrary to "
                "the Zarr V2 specification; use None (null in JSON) for no filters.",
                ZarrUserWarning,
                stacklevel=2,
            )
        document = {k: v for k, v in data.items() if k != "attributes"}
        for field in ("shape", "chunks"):
            if isinstance(document.get(field), tuple):
                document[field] = list(document[field])
        return parse_v2_array_metadata(document, data.get("attributes"), key=".zarray")  # type: ignore[return-value]

    def update_shape(self, shape: tuple[int, ...]) -> Self:
        """A copy with another shape (zarr-python's name)."""
        return self.with_shape(shape)

    def update_attributes(self, attributes: dict[str, Any]) -> Self:
        """A copy with other attributes (zarr-python's name)."""
        return self.with_attributes(attributes)


def parse_v2_array_metadata(
    zarray: dict[str, Any], zattrs: dict[str, Any] | None, *, key: str
) -> ArrayV2Metadata:
    """Validate and parse ``.zarray`` (at ``key``) and its ``.zattrs``; errors name the key and the field."""
    if zarray.get("zarr_format") != 2:
        raise MetadataValidationError(
            f"field 'zarr_format' in {key!r} must be 2, got {zarray.get('zarr_format')!r}"
        )
    shape = parse_shape(require(zarray, "shape", key=key), key=key, field="shape")
    chunks = parse_shape(require(zarray, "chunks", key=key), key=key, field="chunks")
    if len(chunks) != len(shape):
        raise MetadataValidationError(
            f"malformed field 'chunks' in {key!r}: {chunks} does not match shape {shape}"
        )
    filter_json = zarray.get("filters")
    filters = v2_codecs_from_json(filter_json, path=key, field="filters")
    # codecs first: one that would run code from the data is refused before anything else is judged
    compressor_json = require(zarray, "compressor", key=key)
    compressor = None if compressor_json is None else v2_codec_from_json(compressor_json, path=key)
    dtype = parse_v2_dtype(require(zarray, "dtype", key=key), filter_json, path=key)
    order = require(zarray, "order", key=key)
    if order not in ("C", "F"):
        raise MetadataValidationError(
            f"malformed field 'order' in {key!r}: expected 'C' or 'F', got {order!r}"
        )
    separator = zarray.get("dimension_separator") or "."
    if separator not in ("/", "."):
        raise MetadataValidationError(f"malformed field 'dimension_separator' in {key!r}: got {separator!r}")
    check_addressable(shape, chunks, dtype.itemsize, key=key)
    fill_json = require(zarray, "fill_value", key=key)
    # ``null`` stays None: for xarray a v2 fill value is a missing-value mask, and null masks nothing
    fill_value = None if fill_json is None else decode_fill_value(fill_json, dtype, path=key)
    return ArrayV2Metadata(
        shape=shape,
        dtype=dtype,
        chunk_grid_shape=chunks,
        fill_value=fill_value,
        attributes=parse_attributes(zattrs, key=key),
        order=order,
        filters=filters,
        compressor=compressor,
        dimension_separator=separator,
    )
