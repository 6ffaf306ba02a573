"""``zarr.core.array`` under the switch: zarr-python keeps both array classes, the array creation
helpers and the grid walks in one module; zarrnb keeps them in its engine and API layers. Mostly
re-exports, plus zarr-python's chunk-encoding parsers and per-data-type defaults as thin adapters
over zarrnb's metadata builder (they take zarr-python's data-type objects).
"""

from __future__ import annotations

from typing import Any

import numcodecs
import numcodecs.abc
import numpy as np

from zarrnb.api.array import Array
from zarrnb.api.asynchronous import create_array, from_array
from zarrnb.codecs import BytesCodec, Codec, VLenBytesCodec, VLenUTF8Codec, ZstdCodec
from zarrnb.core.array import AsyncArray
from zarrnb.core.array_grid import (
    _iter_chunk_coords,
    _iter_chunk_regions,
    _iter_shard_coords,
    _iter_shard_keys,
    _iter_shard_regions,
    _shards_initialized,
)
from zarrnb.dtype import ZDType
from zarrnb.dtype.wrapper import HasEndianness, HasObjectCodec
from zarrnb.metadata.build import (
    _v2_codec,
    _v2_compressor,
    _v2_filters,
    _v3_compressors,
    _v3_filters,
    _v3_serializer,
)
from zarrnb.metadata.chunk_key_encoding import ChunkKeyEncoding, parse_chunk_key_encoding
from zarrnb.storage import StorePath

__all__ = [
    "Array",
    "AsyncArray",
    "CompressorsLike",
    "FiltersLike",
    "SerializerLike",
    "ShardsLike",
    "_iter_chunk_coords",
    "_iter_chunk_regions",
    "_iter_shard_coords",
    "_iter_shard_keys",
    "_iter_shard_regions",
    "_shards_initialized",
    "create_array",
    "default_compressor_v2",
    "default_compressors_v3",
    "default_filters_v2",
    "default_filters_v3",
    "default_serializer_v3",
    "from_array",
    "init_array",
]

# what zarr-python's type hints accept for these arguments; zarrnb checks them at run time
CompressorsLike = Any
FiltersLike = Any
SerializerLike = Any
ShardsLike = Any

# the numcodecs object codec each ``object_codec_id`` names, and how zarr-python's messages call it
_OBJECT_CODECS = {"vlen-utf8": "the numcodecs.VLenUTF8 codec", "vlen-bytes": "the numcodecs.VLenBytes codec"}


async def init_array(*, store_path: StorePath, **kwargs: Any) -> AsyncArray:
    """zarr-python's ``init_array``: write a new array's metadata at ``store_path`` (no chunks)."""
    return await AsyncArray.create(store_path, **kwargs)


def _native(dtype: Any) -> np.dtype:
    """A numpy dtype from a numpy dtype or one of zarr-python's data-type objects."""
    to_native = getattr(dtype, "to_native_dtype", None)
    return np.dtype(to_native() if to_native is not None else dtype)


def _known_object_codec(dtype: ZDType) -> str:
    """The object codec id ``dtype`` needs; one numcodecs does not provide is refused by name."""
    codec_id = dtype.object_codec_id  # type: ignore[attr-defined]
    if codec_id not in _OBJECT_CODECS:
        raise ValueError(f"Data type {dtype} requires an unknown object codec: {codec_id!r}.")
    return str(codec_id)


def default_filters_v3(dtype: ZDType) -> tuple[Codec, ...]:
    """A v3 array's default filters: none, for every data type."""
    return ()


def default_compressors_v3(dtype: ZDType) -> tuple[Codec, ...]:
    """A v3 array's default compressors: Zstd (level 0, no checksum)."""
    return (ZstdCodec(level=0, checksum=False),)


def default_serializer_v3(dtype: ZDType) -> Codec:
    """A v3 array's default serializer: little-endian bytes where byte order matters, else the
    variable-length codec the data type names."""
    if isinstance(dtype, HasEndianness):
        return BytesCodec(endian="little")  # type: ignore[arg-type]
    if isinstance(dtype, HasObjectCodec):
        codec_id = _known_object_codec(dtype)
        return VLenUTF8Codec() if codec_id == "vlen-utf8" else VLenBytesCodec()
    return BytesCodec(endian=None)


def default_filters_v2(dtype: ZDType) -> tuple[numcodecs.abc.Codec] | None:
    """A v2 array's default filters: the object codec a variable-length data type needs, else None."""
    if isinstance(dtype, HasObjectCodec):
        return (numcodecs.get_codec({"id": _known_object_codec(dtype)}),)
    return None


def default_compressor_v2(dtype: ZDType) -> numcodecs.abc.Codec:
    """A v2 array's default compressor: numcodecs' Zstd (level 0, no checksum)."""
    return numcodecs.Zstd(level=0, checksum=False)


def _parse_chunk_encoding_v2(*, compressor: Any, filters: Any, dtype: Any) -> tuple[Any, Any]:
    """(filters or None, compressor) of a Zarr v2 array, as numcodecs objects ('auto': the defaults).

    A variable-length data type needs its object codec among them; its absence is refused.
    """
    if filters == "auto":
        if isinstance(dtype, ZDType):
            parsed = default_filters_v2(dtype)
        else:
            parsed = _v2_filters([], _native(dtype)) or None
    else:
        items = filters if isinstance(filters, list | tuple) else [filters]
        parsed = None if filters is None else tuple(_v2_codec(item, "filter") for item in items)
    if compressor is None or compressor == ():
        chosen = None
    elif compressor == "auto":
        chosen = default_compressor_v2(dtype)
    else:
        chosen = _v2_compressor(compressor if isinstance(compressor, list | tuple) else [compressor], "zstd")
    if isinstance(dtype, HasObjectCodec):
        present = {codec.codec_id for codec in (*(parsed or ()), chosen) if codec is not None}
        needed = dtype.object_codec_id
        if needed not in present:
            name = _OBJECT_CODECS.get(needed, f"an unknown object codec with id {needed!r}")
            raise ValueError(
                f"Data type {dtype} requires {name}, but no such codec was specified in the filters "
                "or compressor parameters for this array. "
            )
    return parsed, chosen


def _parse_chunk_encoding_v3(
    *, compressors: Any, filters: Any, serializer: Any, dtype: Any
) -> tuple[tuple[Any, ...], Any, tuple[Any, ...]]:
    """(filters, serializer, compressors) of a Zarr v3 array, as zarrnb codec objects."""
    if serializer == "auto" and isinstance(dtype, ZDType):
        chosen = default_serializer_v3(dtype)
    else:
        chosen = _v3_serializer(serializer, _native(dtype))
    return _v3_filters(filters), chosen, _v3_compressors(compressors)


def _parse_chunk_key_encoding(data: Any, zarr_format: int) -> ChunkKeyEncoding:
    """The chunk key encoding ``data`` names (None: the format's default)."""
    if data is None:
        data = {"name": "v2" if zarr_format == 2 else "default"}
    return parse_chunk_key_encoding(data)
