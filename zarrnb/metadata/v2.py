"""Zarr v2 array metadata: ``.zarray`` plus ``.zattrs`` (Zarr v2 spec)."""

from __future__ import annotations

import dataclasses
from functools import cached_property
from typing import Any

import numcodecs.abc

from zarrnb.codecs import V2CodecPipeline
from zarrnb.codecs.numcodecs_v2 import v2_codec_from_json, v2_codec_json, v2_codecs_from_json
from zarrnb.dtype import (
    decode_fill_value,
    default_fill_value,
    encode_fill_value,
    parse_v2_dtype,
    v2_dtype_json,
)
from zarrnb.errors import MetadataValidationError
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


@dataclasses.dataclass(frozen=True)
class ArrayV2Metadata(ArrayMetadata):
    """A parsed ``.zarray``/``.zattrs`` pair; ``dtype`` keeps the stored byte order."""

    zarr_format = 2
    order: str = "C"
    filters: tuple[numcodecs.abc.Codec, ...] = ()
    compressor: numcodecs.abc.Codec | None = None
    dimension_separator: str = "."

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
        return V2CodecPipeline(self.filters, self.compressor, dtype=self.dtype, order=self.order)

    @cached_property
    def chunk_key_encoding(self) -> ChunkKeyEncoding:
        """The ``v2`` key encoding with this array's ``dimension_separator``."""
        return ChunkKeyEncoding("v2", self.dimension_separator)  # type: ignore[arg-type]

    def chunk_key(self, chunk_coords: tuple[int, ...]) -> str:
        return self.chunk_key_encoding.encode_chunk_key(chunk_coords)

    def to_json(self) -> dict[str, Any]:
        """The ``.zarray`` document, fields in zarr-python's order."""
        return {
            "shape": list(self.shape),
            "chunks": list(self.chunk_grid_shape),
            "dtype": v2_dtype_json(self.dtype),
            "fill_value": None if self.fill_value is None else encode_fill_value(self.fill_value, self.dtype),
            "order": self.order,
            "filters": [v2_codec_json(f) for f in self.filters] or None,
            "dimension_separator": self.dimension_separator,
            "compressor": None if self.compressor is None else v2_codec_json(self.compressor),
            "zarr_format": 2,
        }

    def to_documents(self) -> dict[str, bytes]:
        return {".zarray": dumps_json(self.to_json()), ".zattrs": dumps_json(self.attributes)}


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
