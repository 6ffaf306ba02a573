"""``build_array_metadata``: create_array's arguments, with zarr-python's ``'auto'`` defaults resolved."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numcodecs
import numcodecs.abc
import numpy as np

import zarrnb.config
from zarrnb.abc import codec as abc_codec
from zarrnb.codecs import (
    BloscCodec,
    BytesCodec,
    Codec,
    GzipCodec,
    ShardingCodec,
    VLenBytesCodec,
    VLenUTF8Codec,
    ZstdCodec,
    codec_from_json,
)
from zarrnb.codecs.numcodecs import numcodecs_v3_codec
from zarrnb.codecs.numcodecs_v2 import DEFAULT_V2_COMPRESSORS, v2_codec_from_json
from zarrnb.dtype import STRING_DTYPE, cast_fill_value, object_codec_id, parse_native_dtype
from zarrnb.dtype.fill_value import DEFAULT_FILL_VALUE
from zarrnb.errors import UnknownCodecError
from zarrnb.metadata.chunk_grid import ChunkSideZeroError, guess_chunks, guess_shards, normalize_chunks
from zarrnb.metadata.chunk_key_encoding import parse_chunk_key_encoding
from zarrnb.metadata.common import ArrayMetadata
from zarrnb.metadata.v2 import ArrayV2Metadata
from zarrnb.metadata.v3 import ArrayV3Metadata

__all__ = ["build_array_metadata"]

_SHUFFLES = {0: "noshuffle", 1: "shuffle", 2: "bitshuffle"}


def build_array_metadata(
    *,
    shape: int | tuple[int, ...],
    dtype: Any,
    chunks: Any = "auto",
    shards: Any = None,
    filters: Any = "auto",
    compressors: Any = "auto",
    serializer: Any = "auto",
    fill_value: Any = DEFAULT_FILL_VALUE,
    order: str | None = None,
    zarr_format: int = 3,
    attributes: dict[str, Any] | None = None,
    chunk_key_encoding: Any = None,
    dimension_names: Iterable[str | None] | None = None,
    v2_default_compressor: str = "zstd",
) -> ArrayMetadata:
    """Array metadata from ``create_array``'s arguments: codec objects, dicts, numcodecs instances or None."""
    shape = (shape,) if isinstance(shape, int | np.integer) else tuple(shape)
    if not all(isinstance(n, int | np.integer) and not isinstance(n, bool) for n in shape):
        raise TypeError(f"shape must hold integers, got {shape!r}")
    shape = tuple(int(n) for n in shape)
    if zarr_format not in (2, 3):
        raise ValueError(f"zarr_format must be 2 or 3, got {zarr_format!r}")
    order = order or zarrnb.config.get("array.order")
    if order not in ("C", "F"):
        raise ValueError(f"order must be 'C' or 'F', got {order!r}")
    dtype = _resolve_dtype(dtype, filters, zarr_format)
    common = {
        "shape": shape,
        "dtype": dtype,
        # an explicit None is a v2 ``null`` (zarr-python's behaviour); v3 has no null fill value
        "fill_value": None
        if fill_value is None and zarr_format == 2
        else cast_fill_value(fill_value, dtype),
        "order": order,
    }
    common["attributes"] = dict(attributes or {})
    # variable-length types have no item size; zarr-python sizes their chunks at 1 byte an element
    itemsize = 1 if dtype.kind in "OT" else dtype.itemsize
    if zarr_format == 2:
        _refuse_for_v2(shards=shards, serializer=serializer, dimension_names=dimension_names)
        return ArrayV2Metadata(
            **common,
            chunk_grid_shape=normalize_chunks(chunks, shape, itemsize),
            filters=_v2_filters(filters, dtype),
            compressor=_v2_compressor(compressors, v2_default_compressor),
            dimension_separator=_v2_separator(chunk_key_encoding),
        )
    inner, grid = _v3_chunk_grid(chunks, shards, shape, itemsize)
    codecs = (*_v3_filters(filters), _v3_serializer(serializer, dtype), *_v3_compressors(compressors))
    return ArrayV3Metadata(
        **common,
        chunk_grid_shape=grid,
        codecs=codecs if shards is None else (ShardingCodec(chunk_shape=inner, codecs=codecs),),
        chunk_key_encoding=parse_chunk_key_encoding(chunk_key_encoding),
        # no names (None or empty, as for a 0-d array) stores none, as in zarr-python
        dimension_names=tuple(dimension_names) if dimension_names else None,
    )


def _v3_chunk_grid(
    chunks: Any, shards: Any, shape: tuple[int, ...], itemsize: int
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(read chunk shape, stored object shape); with shards, 'auto' chunks aim at 1 MiB as in zarr-python."""
    if shards is None:
        chunk_shape = normalize_chunks(chunks, shape, itemsize)
        return chunk_shape, chunk_shape
    auto = isinstance(chunks, str) and chunks == "auto"
    inner = (
        guess_chunks(shape, itemsize, max_bytes=2**20) if auto else normalize_chunks(chunks, shape, itemsize)
    )
    if not auto and shards != "auto":
        explicit = shards["shape"] if isinstance(shards, dict) else shards
        _check_inner_chunks(chunks, tuple(int(n) for n in explicit))
    return inner, _shard_shape(shards, shape, inner, itemsize)


def _check_inner_chunks(chunks: Any, shard_shape: tuple[int, ...]) -> None:
    """Explicit inner chunks must divide the shards and name every axis (zarr-python's checks and order)."""
    if isinstance(chunks, int | np.integer) and not isinstance(chunks, bool):
        chunks = (chunks,) * len(shard_shape)
    if not isinstance(chunks, list | tuple) or not all(isinstance(c, int | np.integer) for c in chunks):
        return  # other forms (-1/None for a whole axis, dask-style) are normalized and checked later
    given = tuple(int(c) for c in chunks)
    if any(c <= 0 for c in given):
        return
    if any(s % c for s, c in zip(shard_shape, given, strict=False)):
        raise ValueError(
            f"The array's `chunk_shape` (got {shard_shape}) needs to be divisible by the shard's inner "
            f"`chunk_shape` (got {given}). Each shard must be a multiple of the chunks along every axis."
        )
    if len(given) != len(shard_shape):
        raise ValueError(
            "The shard's `chunk_shape` and array's `shape` need to have the same number of dimensions "
            f"(chunks {given}, shards {shard_shape})."
        )


def _resolve_dtype(dtype: Any, filters: Any, zarr_format: int) -> np.dtype:
    """The in-memory dtype; v2 ``object`` with a ``vlen-utf8`` filter means strings, as in zarr-python 2."""
    resolved = parse_native_dtype(dtype, zarr_format=zarr_format)
    if resolved.kind == "O" and zarr_format == 2 and isinstance(filters, list | tuple):
        ids = [v2_codec_from_json(f, field="filters").codec_id for f in filters]
        if "vlen-utf8" in ids:
            return STRING_DTYPE
    return resolved


def _shard_shape(
    shards: Any, shape: tuple[int, ...], inner: tuple[int, ...], itemsize: int
) -> tuple[int, ...]:
    if 0 in inner:
        raise ChunkSideZeroError(f"chunks {inner}: a sharded array needs chunk sides of at least 1")
    if shards == "auto":
        return guess_shards(shape, inner, itemsize)
    if isinstance(shards, dict):
        shards = shards["shape"]
    shard_shape = tuple(int(n) for n in shards)
    if len(shard_shape) != len(shape) or any(s % c for s, c in zip(shard_shape, inner, strict=True)):
        raise ValueError(f"shards {shard_shape} must be a multiple of chunks {inner} along every axis")
    return shard_shape


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _v3_codec(value: Any) -> Codec:
    """A v3 codec from a codec object, its JSON dict, a zarr-python codec or a numcodecs instance."""
    if isinstance(value, Codec | abc_codec.BaseCodec):
        return value  # type: ignore[return-value]
    if isinstance(value, numcodecs.abc.Codec):
        return _from_numcodecs(value)
    if hasattr(value, "to_dict"):
        value = value.to_dict()
    return codec_from_json(value)


def _from_numcodecs(codec: numcodecs.abc.Codec) -> Codec:
    config = codec.get_config()
    if codec.codec_id == "zstd":
        return ZstdCodec(level=config.get("level", 0), checksum=config.get("checksum", False))
    if codec.codec_id == "gzip":
        return GzipCodec(level=config.get("level", 5))
    if codec.codec_id == "blosc":
        shuffle = _SHUFFLES.get(config.get("shuffle"))
        return BloscCodec(
            cname=config["cname"],
            clevel=config["clevel"],
            shuffle=shuffle,
            blocksize=config.get("blocksize", 0),
        )
    wrapped = numcodecs_v3_codec(codec)
    if wrapped is None:
        raise UnknownCodecError(f"numcodecs codec {codec!r} has no Zarr v3 form; pass a zarrnb.codecs codec")
    return wrapped


def _v3_filters(filters: Any) -> tuple[Codec, ...]:
    found = tuple(_v3_codec(f) for f in ([] if filters == "auto" else _as_list(filters)))
    wrong = [f for f in found if not isinstance(f, abc_codec.ArrayArrayCodec)]
    if wrong:
        raise ValueError(f"filters must be array-to-array codecs, got {wrong}")
    return found


def _v3_serializer(serializer: Any, dtype: np.dtype) -> Codec:
    if serializer == "auto" or serializer is None:
        if dtype == STRING_DTYPE:
            return VLenUTF8Codec()
        return VLenBytesCodec() if dtype.kind == "O" else BytesCodec()
    return _v3_codec(serializer)


def _v3_compressors(compressors: Any) -> tuple[Codec, ...]:
    if compressors == "auto":
        return (ZstdCodec(level=0, checksum=False),)
    found = tuple(_v3_codec(c) for c in _as_list(compressors))
    wrong = [c for c in found if not isinstance(c, abc_codec.BytesBytesCodec)]
    if wrong:
        raise ValueError(f"compressors must be bytes-to-bytes codecs, got {wrong}")
    return found


def _v2_codec(value: Any, field: str) -> numcodecs.abc.Codec:
    """A numcodecs codec from an instance, an ``{"id": ...}`` dict, or a zarrnb v3 compressor."""
    if isinstance(value, ZstdCodec | GzipCodec | BloscCodec):
        return value._numcodecs
    if isinstance(value, Codec):
        raise ValueError(f"{value!r} cannot be a Zarr v2 {field}; pass a numcodecs codec")
    return v2_codec_from_json(value, field=field)


def _refuse_for_v2(*, shards: Any, serializer: Any, dimension_names: Any) -> None:
    # zarr-python's messages, which its tests match; each names the argument
    if shards is not None:
        raise ValueError(
            "Zarr format 2 arrays can only be created with `shard_shape` set to `None`. "
            f"Got `shard_shape={shards}` instead. Zarr v2 arrays cannot be sharded; use zarr_format=3."
        )
    if serializer not in ("auto", None):
        raise ValueError(f"Zarr format 2 arrays do not support `serializer`. Got {serializer!r}.")
    if dimension_names is not None:
        raise ValueError(
            "Zarr format 2 arrays do not support dimension names. Use zarr_format=3 for dimension_names."
        )


def _v2_filters(filters: Any, dtype: np.dtype) -> tuple[numcodecs.abc.Codec, ...]:
    """The given filters, led by the object codec a variable-length dtype needs."""
    found = [_v2_codec(f, "filter") for f in ([] if filters == "auto" else _as_list(filters))]
    object_codec = object_codec_id(dtype)
    if object_codec is not None and object_codec not in [f.codec_id for f in found]:
        found.insert(0, numcodecs.get_codec({"id": object_codec}))
    return tuple(found)


def _v2_compressor(compressors: Any, default: str) -> numcodecs.abc.Codec | None:
    if compressors == "auto":
        if default not in DEFAULT_V2_COMPRESSORS:
            raise ValueError(
                f"v2_default_compressor must be one of {sorted(DEFAULT_V2_COMPRESSORS)}, got {default!r}"
            )
        return DEFAULT_V2_COMPRESSORS[default]()
    found = [_v2_codec(c, "compressor") for c in _as_list(compressors)]
    if len(found) > 1:
        raise ValueError(f"a Zarr format 2 array holds at most one compressor, got {found}")
    return found[0] if found else None


def _v2_separator(chunk_key_encoding: Any) -> str:
    key_encoding = parse_chunk_key_encoding(chunk_key_encoding or {"name": "v2"})
    if key_encoding.name != "v2":
        raise ValueError(
            "Invalid chunk key encoding. For Zarr format 2 arrays, the `name` field of the chunk key "
            "encoding must be 'v2' (a v2 array needs the 'v2' chunk key encoding, "
            f"not {key_encoding.name!r})."
        )
    return key_encoding.separator
