"""What v2 and v3 array metadata share: the ``ArrayMetadata`` surface and JSON field checks."""

from __future__ import annotations

import dataclasses
import json
import math
from functools import cached_property
from typing import Any, ClassVar, Self

import numpy as np

import zarrnb.config
from zarrnb.codecs.array_spec import data_type_of
from zarrnb.dtype import ZDType
from zarrnb.errors import MetadataValidationError
from zarrnb.metadata.chunk_grid import RegularChunkGrid, chunk_count

__all__ = [
    "MAX_INDEX",
    "ArrayMetadata",
    "buffer_documents",
    "check_addressable",
    "dumps_json",
    "loads_json",
    "parse_attributes",
    "parse_shape",
    "require",
]

# the largest element index (and byte count) numpy's intp can hold on 64-bit platforms
MAX_INDEX = int(np.iinfo(np.intp).max)


def _numpy_to_json(value: Any) -> Any:
    """numpy scalars and arrays in attributes become JSON values (zarr-python raises TypeError)."""
    if isinstance(value, np.generic | np.ndarray):
        return value.tolist()
    raise TypeError(f"attribute value {value!r} of type {type(value).__name__} is not JSON serializable")


def dumps_json(document: dict[str, Any]) -> bytes:
    """Serialize a metadata document the way zarr-python does (``json_indent`` config, 2; ASCII)."""
    indent = zarrnb.config.get("json_indent")
    return json.dumps(document, indent=indent, default=_numpy_to_json).encode()


def buffer_documents(documents: dict[str, bytes], prototype: Any) -> dict[str, Any]:
    """Each document as a buffer of ``prototype`` (zarr-python's ``to_buffer_dict``)."""
    return {name: prototype.buffer.from_bytes(data) for name, data in documents.items()}


def loads_json(data: bytes | str, *, key: str) -> dict[str, Any]:
    """Parse one stored JSON document; malformed JSON or a non-object names ``key``."""
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MetadataValidationError(f"malformed JSON in {key!r}: {exc}") from exc
    except RecursionError:
        raise MetadataValidationError(f"malformed JSON in {key!r}: nested too deeply to parse") from None
    if not isinstance(document, dict):
        raise MetadataValidationError(f"malformed metadata in {key!r}: expected a JSON object")
    return document


def require(document: dict[str, Any], field: str, *, key: str) -> Any:
    """The value of a required ``field``; a missing one raises naming the field and the key."""
    try:
        return document[field]
    except KeyError:
        raise MetadataValidationError(f"missing required field {field!r} in {key!r}") from None


def parse_shape(value: Any, *, key: str, field: str, positive: bool = False) -> tuple[int, ...]:
    """A tuple of non-negative (or positive) integers from a JSON list."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    valid = isinstance(value, list | tuple) and all(
        isinstance(n, int | np.integer) and not isinstance(n, bool) and n >= (1 if positive else 0)
        for n in value
    )
    if not valid:
        kind = "positive" if positive else "non-negative"
        raise MetadataValidationError(
            f"malformed field {field!r} in {key!r}: expected a list of {kind} integers, got {value!r}"
        )
    return tuple(int(n) for n in value)


def check_addressable(
    shape: tuple[int, ...],
    chunk_shape: tuple[int, ...],
    itemsize: int,
    *,
    key: str = "",
    chunks_field: str = "chunks",
) -> None:
    """Refuse a shape whose elements, or a chunk whose bytes, numpy cannot index (past ``2**63 - 1``).

    Such metadata is corrupt or hostile; checking here keeps every later computation (chunk
    counts, output buffers, key ranges) within numpy's index type.
    """
    for field, dims, limit, unit, size in (
        ("shape", shape, MAX_INDEX, "elements", 1),
        (chunks_field, chunk_shape, MAX_INDEX // max(itemsize, 1), "bytes", max(itemsize, 1)),
    ):
        total = math.prod(dims)
        if total > limit or any(n > MAX_INDEX for n in dims):
            where = f" in {key!r}" if key else ""
            raise MetadataValidationError(
                f"malformed field {field!r}{where}: {list(dims)} holds {total * size} {unit}, "
                f"more than numpy can address (2**63 - 1)"
            )


def parse_attributes(value: Any, *, key: str) -> dict[str, Any]:
    """The ``attributes`` object (absent means empty)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MetadataValidationError(
            f"malformed field 'attributes' in {key!r}: expected an object, got {value!r}"
        )
    return value


class ArrayMetadata:
    """Base of ``ArrayV2Metadata`` and ``ArrayV3Metadata``: what the engine needs from either format.

    Not a dataclass itself: each format's frozen dataclass declares these fields in its own order
    (zarr-python's), so ``repr`` and ``pprint`` list them as zarr-python does.
    """

    zarr_format: ClassVar[int]
    shape: tuple[int, ...]
    dtype: np.dtype
    chunk_grid_shape: tuple[int, ...]
    fill_value: Any
    attributes: dict[str, Any]

    def __post_init__(self) -> None:
        # built from create_array's arguments or resized: the same limits as parsed metadata
        check_addressable(self.shape, self.chunk_grid_shape, self.dtype.itemsize)

    def __eq__(self, other: object) -> bool:
        """Equal when both write the same documents (codecs compared as stored, NaN fill values equal);
        v3's runtime memory order is not metadata, as in zarr-python."""
        if not isinstance(other, ArrayMetadata):
            return NotImplemented
        if type(self) is not type(other) or self.shape != other.shape:
            return False
        return (self.to_json(), self.attributes) == (other.to_json(), other.attributes)

    __hash__ = None  # type: ignore[assignment]

    def to_json(self) -> dict[str, Any]:
        """The main metadata document (``zarr.json`` or ``.zarray``) as a JSON object."""
        raise NotImplementedError

    @property
    def dimension_labels(self) -> tuple[str | None, ...] | None:
        """``dimension_names``, or for v2 the ``_ARRAY_DIMENSIONS`` attribute xarray writes there."""
        # v2 metadata has no dimension_names attribute (xarray tells the formats apart by it)
        names = getattr(self, "dimension_names", None)
        if names is not None:
            return tuple(names)
        stored = self.attributes.get("_ARRAY_DIMENSIONS")
        if isinstance(stored, list) and len(stored) == len(self.shape):
            if all(isinstance(name, str) for name in stored):
                return tuple(stored)
        return None

    @property
    def chunk_fill_value(self) -> Any:
        """What missing chunks read as: the fill value, or the dtype's default where it is None (v2 null)."""
        return self.fill_value

    @property
    def data_type(self) -> ZDType:
        """The data-type object of ``dtype`` (zarr-python's ``metadata.data_type``)."""
        return data_type_of(self.dtype)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def chunks(self) -> tuple[int, ...]:
        """The read chunk shape: the inner chunk shape when sharded."""
        return self.chunk_grid_shape

    @property
    def grid_shape(self) -> tuple[int, ...]:
        """How many stored chunks (shards when sharded) lie along each axis."""
        pairs = enumerate(zip(self.shape, self.chunk_grid_shape, strict=True))
        return tuple(chunk_count(s, c, axis=i) for i, (s, c) in pairs)

    @property
    def chunk_grid(self) -> RegularChunkGrid:
        """The grid of stored chunks (shards) as zarr-python's ``RegularChunkGrid`` object."""
        return RegularChunkGrid(chunk_shape=self.chunk_grid_shape)

    @cached_property
    def codec_pipeline(self) -> Any:
        """The codec pipeline that decodes and encodes this array's stored chunks (built once)."""
        return self._make_pipeline()

    def _make_pipeline(self) -> Any:
        raise NotImplementedError

    def chunk_key(self, chunk_coords: tuple[int, ...]) -> str:
        """The store key, relative to the array, of the chunk at ``chunk_coords``."""
        raise NotImplementedError

    def encode_chunk_key(self, chunk_coords: tuple[int, ...]) -> str:
        """zarr-python's name for :meth:`chunk_key`."""
        return self.chunk_key(chunk_coords)

    def to_documents(self) -> dict[str, bytes]:
        """The metadata documents to store, by key relative to the array."""
        raise NotImplementedError

    def to_buffer_dict(self, prototype: Any) -> dict[str, Any]:
        """The documents of :meth:`to_documents` as buffers of ``prototype`` (zarr-python's writer)."""
        return buffer_documents(self.to_documents(), prototype)

    def with_shape(self, shape: tuple[int, ...]) -> Self:
        """A copy with another shape (for resize and append)."""
        return dataclasses.replace(self, shape=tuple(int(n) for n in shape))

    def with_attributes(self, attributes: dict[str, Any]) -> Self:
        """A copy with other attributes."""
        return dataclasses.replace(self, attributes=dict(attributes))
