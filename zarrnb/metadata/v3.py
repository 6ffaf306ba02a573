"""Zarr v3 array metadata: ``zarr.json`` with ``node_type: "array"`` (v3 core spec)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any, Literal, NotRequired, Self, TypedDict

import numpy as np

from zarrnb.codecs import Codec, CodecPipeline, parse_codecs
from zarrnb.codecs.array_spec import data_type_of
from zarrnb.codecs.foreign import unwrap
from zarrnb.codecs.pipeline import split_codecs
from zarrnb.dtype import (
    ZDType,
    cast_fill_value,
    decode_fill_value,
    encode_fill_value,
    parse_v3_data_type,
    v3_data_type_json,
)
from zarrnb.errors import MetadataValidationError, NodeTypeValidationError
from zarrnb.metadata.chunk_grid import RegularChunkGrid
from zarrnb.metadata.chunk_key_encoding import ChunkKeyEncoding, parse_chunk_key_encoding
from zarrnb.metadata.common import (
    ArrayMetadata,
    check_addressable,
    dumps_json,
    parse_attributes,
    parse_shape,
    require,
)

__all__ = [
    "ArrayMetadataJSON_V3",
    "ArrayV3Metadata",
    "parse_codecs",
    "parse_dimension_names",
    "parse_node_type_array",
    "parse_v3_array_metadata",
    "parse_zarr_format",
]

DEFAULT_KEY_ENCODING = ChunkKeyEncoding()


class ArrayMetadataJSON_V3(TypedDict):
    """The fields of an array ``zarr.json`` document (v3 core spec), as zarr-python types them."""

    zarr_format: Literal[3]
    node_type: Literal["array"]
    data_type: str | Mapping[str, object]
    shape: tuple[int, ...]
    chunk_grid: Mapping[str, object]
    chunk_key_encoding: Mapping[str, object]
    fill_value: object
    codecs: tuple[str | Mapping[str, object], ...]
    attributes: NotRequired[Mapping[str, Any]]
    storage_transformers: NotRequired[tuple[Mapping[str, object], ...]]
    dimension_names: NotRequired[tuple[str | None]]


_KNOWN_FIELDS = frozenset(ArrayMetadataJSON_V3.__annotations__)


def parse_zarr_format(data: object) -> Literal[3]:
    """3, or a ``MetadataValidationError``: the ``zarr_format`` a v3 ``zarr.json`` must hold."""
    if data == 3:
        return 3
    raise MetadataValidationError(f"Invalid value for 'zarr_format'. Expected '3'. Got '{data}'.")


def parse_node_type_array(data: object) -> Literal["array"]:
    """'array', or a ``NodeTypeValidationError``: the ``node_type`` of an array ``zarr.json``."""
    if data == "array":
        return "array"
    raise NodeTypeValidationError(f"Invalid value for 'node_type'. Expected 'array'. Got '{data}'.")


def parse_dimension_names(data: object) -> tuple[str | None, ...] | None:
    """None or a tuple of names (str or None); anything else raises ``TypeError``."""
    if data is None:
        return None
    if isinstance(data, Iterable) and not isinstance(data, str | Mapping):
        names = tuple(data)
        if all(name is None or isinstance(name, str) for name in names):
            return names
    raise TypeError(f"Expected either None or an iterable of str, got {type(data)}")


def _parse_extra_fields(data: Mapping[str, Any] | None) -> dict[str, Any]:
    """Extra top-level fields to keep in ``zarr.json``; none may reuse a reserved field name."""
    if not data:
        return {}
    conflicts = _KNOWN_FIELDS & set(data)
    if conflicts:
        raise ValueError(
            f"Invalid extra fields. The following keys: {sorted(conflicts)} are invalid because they "
            "collide with keys reserved for use by the array metadata document."
        )
    return dict(data)


def _chunk_grid_shape(chunk_grid: Any) -> tuple[int, ...]:
    """The chunk shape of a ``regular`` grid given as a dict or a ``RegularChunkGrid``."""
    if isinstance(chunk_grid, RegularChunkGrid):
        return chunk_grid.chunk_shape
    return _parse_chunk_grid(chunk_grid, None, key="chunk_grid")


def _data_type(metadata: ArrayV3Metadata) -> ZDType:
    """The data-type object of the native ``dtype`` (zarr-python's ``metadata.data_type``)."""
    return data_type_of(metadata.dtype)


def _chunk_grid(metadata: ArrayV3Metadata) -> RegularChunkGrid:
    """The ``regular`` chunk grid (of shards when sharded), as zarr-python's ``metadata.chunk_grid``."""
    return RegularChunkGrid(metadata.chunk_grid_shape)


@dataclasses.dataclass(frozen=True, init=False, eq=False)
class ArrayV3Metadata(ArrayMetadata):
    """A parsed v3 array ``zarr.json``; ``dtype`` is native (the ``bytes`` codec holds the stored order).

    Built by the engine from native values (``dtype``, ``chunk_grid_shape``), or with zarr-python's
    arguments (``data_type``, ``chunk_grid``, codecs and encodings as dicts), which are parsed.
    """

    # zarr-python's fields, in its order (``repr`` and ``pprint`` show these); ``data_type`` and
    # ``chunk_grid`` are derived from the engine's ``dtype`` and ``chunk_grid_shape`` on first use
    shape: tuple[int, ...]
    data_type: ZDType = dataclasses.field(init=False, default=cached_property(_data_type))
    chunk_grid: RegularChunkGrid = dataclasses.field(init=False, default=cached_property(_chunk_grid))
    chunk_key_encoding: ChunkKeyEncoding = DEFAULT_KEY_ENCODING
    fill_value: Any
    codecs: tuple[Codec, ...] = ()
    attributes: dict[str, Any]
    dimension_names: tuple[str | None, ...] | None = None
    zarr_format: Literal[3] = dataclasses.field(init=False, default=3)
    node_type: Literal["array"] = dataclasses.field(init=False, default="array")
    storage_transformers: tuple[dict[str, Any], ...] = ()
    extra_fields: dict[str, Any] = dataclasses.field(default_factory=dict)
    # the engine's own fields: the native dtype, the stored chunk (shard) shape, and the runtime
    # memory order (zarr-python keeps it out of zarr.json; shown by .info)
    dtype: np.dtype = dataclasses.field(repr=False)
    chunk_grid_shape: tuple[int, ...] = dataclasses.field(repr=False)
    order: str = dataclasses.field(default="C", repr=False)

    def __init__(
        self,
        *,
        shape: Iterable[int],
        data_type: ZDType | None = None,
        chunk_grid: Any = None,
        chunk_key_encoding: Any = None,
        fill_value: Any = None,
        codecs: Iterable[Any] = (),
        attributes: dict[str, Any] | None = None,
        dimension_names: Iterable[str | None] | None = None,
        storage_transformers: Iterable[dict[str, Any]] | None = None,
        extra_fields: Mapping[str, Any] | None = None,
        dtype: np.dtype | None = None,
        chunk_grid_shape: tuple[int, ...] | None = None,
        order: str = "C",
    ) -> None:
        """Metadata from native values (the engine) or from zarr-python's constructor arguments."""
        shape = tuple(int(n) for n in shape)
        native = dtype is not None and chunk_grid_shape is not None
        if not native:
            if data_type is None or chunk_grid is None:
                raise TypeError(
                    "ArrayV3Metadata needs data_type= and chunk_grid= (or dtype= and chunk_grid_shape=)"
                )
            dtype = data_type.to_native_dtype() if isinstance(data_type, ZDType) else np.dtype(data_type)
            chunk_grid_shape = _chunk_grid_shape(chunk_grid)
            if fill_value is None:
                raise ValueError("`fill_value` is required.")
            fill_value = cast_fill_value(fill_value, dtype)
            codecs = parse_codecs(list(codecs), field="codecs")
            grid, zdtype = RegularChunkGrid(chunk_grid_shape), data_type_of(dtype)
            for codec in codecs:  # each codec's own checks first, then the list's shape (zarr-python's order)
                codec.validate(shape=shape, dtype=zdtype, chunk_grid=grid)
            split_codecs(codecs)
        names = parse_dimension_names(dimension_names)
        if names is not None and len(names) != len(shape):
            raise ValueError("`dimension_names` and `shape` need to have the same number of dimensions.")
        if len(chunk_grid_shape) != len(shape):  # type: ignore[arg-type]
            raise ValueError("`chunk_shape` and `shape` need to have the same number of dimensions.")
        values = {
            "shape": shape,
            "dtype": dtype,
            "chunk_grid_shape": tuple(chunk_grid_shape),  # type: ignore[arg-type]
            "fill_value": fill_value,
            "attributes": parse_attributes(attributes, key="attributes"),
            "codecs": tuple(codecs),
            "chunk_key_encoding": parse_chunk_key_encoding(chunk_key_encoding),
            "dimension_names": names,
            "order": order,
            "storage_transformers": tuple(storage_transformers or ()),
            "extra_fields": _parse_extra_fields(extra_fields),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)
        self.__post_init__()
        if not native:
            self.codec_pipeline  # noqa: B018 (binding checks the codecs against the data type now)

    @property
    def inner_codecs(self) -> tuple[Codec, ...]:
        """The codecs of the inner chunks when sharded, else the array's codecs."""
        sharding = self.codec_pipeline.sharding
        return tuple(sharding.codecs) if sharding is not None else tuple(self.codec_pipeline.codecs)

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

    encode_chunk_key = chunk_key

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
        document.update(
            zarr_format=3, node_type="array", storage_transformers=list(self.storage_transformers)
        )
        document.update(self.extra_fields)
        return document

    def to_documents(self) -> dict[str, bytes]:
        return {"zarr.json": dumps_json(self.to_json())}

    def to_dict(self) -> dict[str, Any]:
        """zarr-python's ``to_dict``: the document with tuples for shape, codecs and names."""
        document = self.to_json()
        document["shape"] = self.shape
        document["chunk_grid"] = self.chunk_grid.to_dict()
        document["codecs"] = tuple(document["codecs"])
        document["storage_transformers"] = self.storage_transformers
        if self.dimension_names is not None:
            document["dimension_names"] = self.dimension_names
        return document

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Parse a ``zarr.json`` dict as zarr-python does: extra fields need ``must_understand: false``."""
        parse_zarr_format(data.get("zarr_format"))
        parse_node_type_array(data.get("node_type"))
        extra = {k: v for k, v in data.items() if k not in _KNOWN_FIELDS}
        refused = sorted(k for k, v in extra.items() if not _may_ignore(v))
        if refused:
            raise MetadataValidationError(
                f"Got a Zarr V3 metadata document with the following disallowed extra fields:{refused}. "
                'Extra fields are not allowed unless they are a dict with a "must_understand" key '
                "which is assigned the value `False`."
            )
        dtype = parse_v3_data_type(require(dict(data), "data_type", key="zarr.json"), path="zarr.json")
        try:
            decode_fill_value(require(dict(data), "fill_value", key="zarr.json"), dtype, path="zarr.json")
        except ValueError as exc:
            raise TypeError(f"Invalid fill_value: {data['fill_value']!r}: {exc}") from exc
        document = {k: v for k, v in data.items() if k in _KNOWN_FIELDS}
        metadata = parse_v3_array_metadata(document, key="zarr.json")
        return dataclasses.replace(metadata, extra_fields=extra)  # type: ignore[return-value]

    def update_shape(self, shape: tuple[int, ...]) -> Self:
        """A copy with another shape (zarr-python's name)."""
        return self.with_shape(shape)

    def update_attributes(self, attributes: dict[str, Any]) -> Self:
        """A copy with other attributes (zarr-python's name)."""
        return self.with_attributes(attributes)


def _may_ignore(value: Any) -> bool:
    """An extra field readers may ignore: an object with ``must_understand: false`` (v3 core spec)."""
    return isinstance(value, Mapping) and value.get("must_understand") is False


def parse_v3_array_metadata(document: dict[str, Any], *, key: str) -> ArrayV3Metadata:
    """Validate and parse an array ``zarr.json``; every error names ``key`` and the field.

    Everything but the shape and attributes is parsed once per distinct stored form and shared by
    the arrays that repeat it (a hierarchy written by one script repeats one form thousands of
    times); only what depends on the shape is checked again for each array.
    """
    if document.get("zarr_format") != 3:
        raise MetadataValidationError(
            f"field 'zarr_format' in {key!r} must be 3, got {document.get('zarr_format')!r}"
        )
    node_type = require(document, "node_type", key=key)
    if node_type != "array":
        raise NodeTypeValidationError(f"field 'node_type' in {key!r} must be 'array', got {node_type!r}")
    for field, value in document.items():
        if field not in _KNOWN_FIELDS and not _may_ignore(value):
            raise MetadataValidationError(
                f"unknown field {field!r} in {key!r} (not marked must_understand: false)"
            )
    shape = parse_shape(require(document, "shape", key=key), key=key, field="shape")
    # JSON values: repr tells apart exactly what JSON does (1, 1.0, true; key order; -0.0)
    shared_key = repr([document.get(field) for field in _SHARED_FIELDS])
    shared = _SHARED_PARTS.get(shared_key) if _REQUIRED_SHARED.issubset(document) else None
    if shared is None:
        shared = _parse_shared(document, shape, key=key)
        if _REQUIRED_SHARED.issubset(document) and len(_SHARED_PARTS) < _CACHE_SIZE:
            _SHARED_PARTS[shared_key] = shared
    else:  # the shared parts are valid: what remains to check depends on this array's shape
        _check_ndim(shared.chunk_shape, len(shape), key=key)
        itemsize = shared.dtype.itemsize
        check_addressable(shape, shared.chunk_shape, itemsize, key=key, chunks_field="chunk_grid.chunk_shape")
    metadata = ArrayV3Metadata.__new__(ArrayV3Metadata)  # every field checked: no second pass
    metadata.__dict__.update(
        shape=shape,
        dtype=shared.dtype,
        chunk_grid_shape=shared.chunk_shape,
        fill_value=shared.fill_value,
        attributes=parse_attributes(document.get("attributes"), key=key),
        codecs=shared.codecs,
        chunk_key_encoding=shared.chunk_key_encoding,
        dimension_names=shared.dimension_names,
        order="C",
        storage_transformers=(),
        extra_fields={},
        codec_pipeline=shared.pipeline,  # where the cached_property keeps it
    )
    return metadata


@dataclasses.dataclass(frozen=True)
class _SharedParts:
    """What arrays with equal ``data_type``, grid, encoding, fill value, codecs and names share."""

    dtype: np.dtype
    chunk_shape: tuple[int, ...]
    fill_value: Any
    codecs: tuple[Codec, ...]
    chunk_key_encoding: ChunkKeyEncoding
    dimension_names: tuple[str | None, ...] | None
    pipeline: CodecPipeline


_SHARED_FIELDS = (
    "data_type",
    "chunk_grid",
    "chunk_key_encoding",
    "fill_value",
    "codecs",
    "dimension_names",
    "storage_transformers",
)
_REQUIRED_SHARED = frozenset(_SHARED_FIELDS[:5])


def _parse_shared(document: dict[str, Any], shape: tuple[int, ...], *, key: str) -> _SharedParts:
    """Parse and check every field but the shape, in the order errors are reported."""
    dtype = parse_v3_data_type(require(document, "data_type", key=key), path=key)
    chunk_shape = _parse_chunk_grid(require(document, "chunk_grid", key=key), len(shape), key=key)
    check_addressable(shape, chunk_shape, dtype.itemsize, key=key, chunks_field="chunk_grid.chunk_shape")
    for transformer in document.get("storage_transformers") or []:
        name = transformer.get("name") if isinstance(transformer, dict) else transformer
        raise MetadataValidationError(  # zarr-python's sentence, which its tests match, after ours
            f"unsupported storage transformer {name!r} in {key!r}: "
            "Arrays with storage transformers are not supported in zarr-python at this time."
        )
    codecs_json = require(document, "codecs", key=key)
    codecs_key = repr(codecs_json)
    codecs = _PARSED_CODECS.get(codecs_key)
    if codecs is None:
        codecs = tuple(parse_codecs(codecs_json, path=key))
        split_codecs(codecs, path=key)
        if len(_PARSED_CODECS) < _CACHE_SIZE:
            _PARSED_CODECS[codecs_key] = codecs
    dimension_names = _parse_dimension_names(document.get("dimension_names"), len(shape), key=key)
    fill_value = decode_fill_value(require(document, "fill_value", key=key), dtype, path=key)
    parse_attributes(document.get("attributes"), key=key)  # checked here: errors in document order
    encoding = parse_chunk_key_encoding(require(document, "chunk_key_encoding", key=key), key=key)
    try:
        # binding the codecs to the array checks them now, not at first read
        pipeline = CodecPipeline(codecs, dtype=dtype, fill_value=fill_value, chunk_shape=chunk_shape)
    except (ValueError, TypeError) as exc:
        raise MetadataValidationError(f"malformed field 'codecs' in {key!r}: {exc}") from exc
    return _SharedParts(dtype, chunk_shape, fill_value, codecs, encoding, dimension_names, pipeline)


# parsed ``codecs`` lists, and every shared part of arrays, by stored form (all of it immutable once
# built); bounded, filled by successful parses only
_CACHE_SIZE = 512
_PARSED_CODECS: dict[str, tuple[Codec, ...]] = {}
_SHARED_PARTS: dict[str, _SharedParts] = {}


def _check_ndim(chunk_shape: tuple[int, ...], ndim: int, *, key: str) -> None:
    if len(chunk_shape) != ndim:
        raise MetadataValidationError(
            f"malformed field 'chunk_grid.chunk_shape' in {key!r}: {chunk_shape} has not {ndim} dimensions"
        )


def _parse_chunk_grid(value: Any, ndim: int | None, *, key: str) -> tuple[int, ...]:
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
    if ndim is not None:
        _check_ndim(chunk_shape, ndim, key=key)
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
