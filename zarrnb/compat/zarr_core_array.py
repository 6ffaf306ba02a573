"""``zarr.core.array`` under the switch: zarr-python keeps both array classes and the array
creation helpers in one module; zarrnb keeps them in its engine and API layers. Re-exports only,
plus the three chunk-encoding parsers zarr-python's test conftest imports, as thin adapters over
zarrnb's metadata builder.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from zarrnb.api.array import Array
from zarrnb.api.asynchronous import create_array, from_array
from zarrnb.core.array import AsyncArray
from zarrnb.metadata.build import (
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
    "create_array",
    "from_array",
    "init_array",
]

# what zarr-python's type hints accept for these arguments; zarrnb checks them at run time
CompressorsLike = Any
FiltersLike = Any
SerializerLike = Any
ShardsLike = Any


async def init_array(*, store_path: StorePath, **kwargs: Any) -> AsyncArray:
    """zarr-python's ``init_array``: write a new array's metadata at ``store_path`` (no chunks)."""
    return await AsyncArray.create(store_path, **kwargs)


def _native(dtype: Any) -> np.dtype:
    """A numpy dtype from a numpy dtype or one of zarr-python's data-type objects."""
    to_native = getattr(dtype, "to_native_dtype", None)
    return np.dtype(to_native() if to_native is not None else dtype)


def _parse_chunk_encoding_v2(*, compressor: Any, filters: Any, dtype: Any) -> tuple[Any, Any]:
    """(filters or None, compressor) of a Zarr v2 array, as numcodecs objects ('auto' -> Zstd)."""
    parsed = _v2_filters(filters, _native(dtype))
    compressors = compressor if compressor in ("auto", None) else (compressor,)
    return (parsed or None), _v2_compressor(compressors, "zstd")


def _parse_chunk_encoding_v3(
    *, compressors: Any, filters: Any, serializer: Any, dtype: Any
) -> tuple[tuple[Any, ...], Any, tuple[Any, ...]]:
    """(filters, serializer, compressors) of a Zarr v3 array, as zarrnb codec objects."""
    return _v3_filters(filters), _v3_serializer(serializer, _native(dtype)), _v3_compressors(compressors)


def _parse_chunk_key_encoding(data: Any, zarr_format: int) -> ChunkKeyEncoding:
    """The chunk key encoding ``data`` names (None: the format's default)."""
    if data is None:
        data = {"name": "v2" if zarr_format == 2 else "default"}
    return parse_chunk_key_encoding(data)
