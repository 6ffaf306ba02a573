"""Zarr v3 array metadata: ``zarr.json`` with ``node_type: "array"`` (v3 core spec)."""

from __future__ import annotations

import dataclasses
from typing import Any

from zarrnb.codecs import Codec, CodecPipeline, parse_codecs
from zarrnb.codecs.foreign import unwrap
from zarrnb.codecs.pipeline import split_codecs
from zarrnb.dtype import decode_fill_value, encode_fill_value, parse_v3_data_type, v3_data_type_json
from zarrnb.errors import MetadataValidationError, NodeTypeValidationError
from zarrnb.metadata.chunk_key_encoding import ChunkKeyEncoding, parse_chunk_key_encoding
from zarrnb.metadata.common import (
    ArrayMetadata,
    check_addressable,
    dumps_json,
    parse_attributes,
    parse_shape,
    require,
)

__all__ = ["ArrayV3Metadata", "parse_v3_array_metadata"]

DEFAULT_KEY_ENCODING = ChunkKeyEncoding()
_KNOWN_FIELDS = {
    "zarr_format", "node_type", "shape", "data_type", "chunk_grid", "chunk_key_encoding", "fill_value",
    "codecs", "attributes", "dimension_names", "storage_transformers",
}  # fmt: skip


@dataclasses.dataclass(frozen=True)
class ArrayV3Metadata(ArrayMetadata):
    """A parsed v3 array ``zarr.json``; ``dtype`` is native (the ``bytes`` codec holds the stored order)."""

    zarr_format = 3
    codecs: tuple[Codec, ...] = ()
    chunk_key_encoding: ChunkKeyEncoding = DEFAULT_KEY_ENCODING
    dimension_names: tuple[str | None, ...] | None = None
    # runtime memory order (zarr-python keeps it out of zarr.json); shown by .info
    order: str = "C"

    def _make_pipeline(self) -> CodecPipeline:
        return CodecPipeline(
            self.codecs, dtype=self.dtype, fill_value=self.fill_value, chunk_shape=self.chunk_grid_shape
        )

    @property
    def _inner(self) -> CodecPipeline:
        sharding = self.codec_pipeline.sharding
        return sharding.inner_pipeline if sharding is not None else self.codec_pipeline

    @property
    def chunks(self) -> tuple[int, ...]:
        sharding = self.codec_pipeline.sharding
        return sharding.chunk_shape if sharding is not None else self.chunk_grid_shape

    @property
    def shards(self) -> tuple[int, ...] | None:
        return self.chunk_grid_shape if self.codec_pipeline.sharding is not None else None

    @property
    def filters(self) -> tuple[Codec, ...]:
        """Array-to-array codecs (of the inner chunks when sharded), as zarr-python's ``Array.filters``."""
        return tuple(unwrap(c) for c in self._inner.filters)

    @property
    def serializer(self) -> Codec:
        return unwrap(self._inner.serializer)  # type: ignore[no-any-return]

    @property
    def compressors(self) -> tuple[Codec, ...]:
        return tuple(unwrap(c) for c in self._inner.compressors)

    def chunk_key(self, chunk_coords: tuple[int, ...]) -> str:
        return self.chunk_key_encoding.encode_chunk_key(chunk_coords)

    def to_json(self) -> dict[str, Any]:
        """The ``zarr.json`` document, fields in zarr-python's order."""
        document: dict[str, Any] = {
            "shape": list(self.shape),
            "data_type": v3_data_type_json(self.dtype),
            "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": list(self.chunk_grid_shape)}},
            "chunk_key_encoding": self.chunk_key_encoding.to_dict(),
            "fill_value": encode_fill_value(self.fill_value, self.dtype),
            "codecs": [codec.to_dict() for codec in self.codec_pipeline.codecs],
            "attributes": self.attributes,
        }
        if self.dimension_names is not None:
            document["dimension_names"] = list(self.dimension_names)
        document.update(zarr_format=3, node_type="array", storage_transformers=[])
        return document

    def to_documents(self) -> dict[str, bytes]:
        return {"zarr.json": dumps_json(self.to_json())}


def parse_v3_array_metadata(document: dict[str, Any], *, key: str) -> ArrayV3Metadata:
    """Validate and parse an array ``zarr.json``; every error names ``key`` and the field."""
    if document.get("zarr_format") != 3:
        raise MetadataValidationError(
            f"field 'zarr_format' in {key!r} must be 3, got {document.get('zarr_format')!r}"
        )
    node_type = require(document, "node_type", key=key)
    if node_type != "array":
        raise NodeTypeValidationError(f"field 'node_type' in {key!r} must be 'array', got {node_type!r}")
    for field, value in document.items():
        if field not in _KNOWN_FIELDS and not (
            isinstance(value, dict) and value.get("must_understand") is False
        ):
            raise MetadataValidationError(
                f"unknown field {field!r} in {key!r} (not marked must_understand: false)"
            )
    shape = parse_shape(require(document, "shape", key=key), key=key, field="shape")
    dtype = parse_v3_data_type(require(document, "data_type", key=key), path=key)
    chunk_shape = _parse_chunk_grid(require(document, "chunk_grid", key=key), len(shape), key=key)
    check_addressable(shape, chunk_shape, dtype.itemsize, key=key, chunks_field="chunk_grid.chunk_shape")
    for transformer in document.get("storage_transformers") or []:
        name = transformer.get("name") if isinstance(transformer, dict) else transformer
        raise MetadataValidationError(f"unsupported storage transformer {name!r} in {key!r}")
    codecs_json = require(document, "codecs", key=key)
    codecs_key = repr(codecs_json)  # JSON values: repr tells apart exactly what JSON does (1, 1.0, true)
    codecs = _PARSED_CODECS.get(codecs_key)
    if codecs is None:
        codecs = parse_codecs(codecs_json, path=key)
        split_codecs(codecs, path=key)
        if len(_PARSED_CODECS) < _CACHE_SIZE:
            _PARSED_CODECS[codecs_key] = codecs
    dimension_names = _parse_dimension_names(document.get("dimension_names"), len(shape), key=key)
    metadata = ArrayV3Metadata(
        shape=shape,
        dtype=dtype,
        chunk_grid_shape=chunk_shape,
        fill_value=decode_fill_value(require(document, "fill_value", key=key), dtype, path=key),
        attributes=parse_attributes(document.get("attributes"), key=key),
        codecs=codecs,
        chunk_key_encoding=parse_chunk_key_encoding(
            require(document, "chunk_key_encoding", key=key), key=key
        ),
        dimension_names=dimension_names,
    )
    # binding the codecs to the array checks them now, not at first read; arrays alike (as in most
    # hierarchies) share one pipeline, which holds no per-array state
    pipeline_key = (codecs_key, dtype, chunk_shape, repr(metadata.fill_value))
    pipeline = _BOUND_PIPELINES.get(pipeline_key) if codecs_key in _PARSED_CODECS else None
    if pipeline is not None:
        metadata.__dict__["codec_pipeline"] = pipeline  # where the cached_property keeps it
        return metadata
    try:
        pipeline = metadata.codec_pipeline
    except (ValueError, TypeError) as exc:
        raise MetadataValidationError(f"malformed field 'codecs' in {key!r}: {exc}") from exc
    if codecs_key in _PARSED_CODECS and len(_BOUND_PIPELINES) < _CACHE_SIZE:
        _BOUND_PIPELINES[pipeline_key] = pipeline
    return metadata


# parsed ``codecs`` lists and the pipelines bound from them, shared by arrays with equal documents
# (both kinds of object are immutable once built); bounded, filled by successful parses only
_CACHE_SIZE = 512
_PARSED_CODECS: dict[str, tuple[Codec, ...]] = {}
_BOUND_PIPELINES: dict[tuple[str, Any, tuple[int, ...], str], CodecPipeline] = {}


def _parse_chunk_grid(value: Any, ndim: int, *, key: str) -> tuple[int, ...]:
    if not isinstance(value, dict) or "name" not in value:
        raise MetadataValidationError(
            f"malformed field 'chunk_grid' in {key!r}: expected an object with a 'name'"
        )
    if value["name"] != "regular":
        raise MetadataValidationError(
            f"unsupported chunk grid {value['name']!r} in {key!r}; only 'regular' is known"
        )
    config = value.get("configuration")
    raw_shape = config.get("chunk_shape") if isinstance(config, dict) else None
    chunk_shape = parse_shape(raw_shape, key=key, field="chunk_grid.chunk_shape")
    if len(chunk_shape) != ndim:
        raise MetadataValidationError(
            f"malformed field 'chunk_grid.chunk_shape' in {key!r}: {chunk_shape} has not {ndim} dimensions"
        )
    return chunk_shape


def _parse_dimension_names(value: Any, ndim: int, *, key: str) -> tuple[str | None, ...] | None:
    if value is None:
        return None
    if (
        not isinstance(value, list | tuple)
        or len(value) != ndim
        or not all(n is None or isinstance(n, str) for n in value)
    ):
        raise MetadataValidationError(
            f"malformed field 'dimension_names' in {key!r}: expected {ndim} strings or nulls, got {value!r}"
        )
    return tuple(value)
