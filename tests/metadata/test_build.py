"""build_array_metadata: zarr-python's defaults and argument forms, and clear refusals."""

from __future__ import annotations

import json
import warnings

import numcodecs
import numpy as np
import pytest
import zarr
import zarr.codecs as zc

import zarrnb.codecs as nc
from zarrnb.dtype import STRING_DTYPE
from zarrnb.errors import UnknownCodecError, UnsupportedDataTypeError
from zarrnb.metadata import build_array_metadata


def zarr_json(**kwargs) -> dict:
    store: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        zarr.create_array(store, **kwargs)
    name = "zarr.json" if kwargs.get("zarr_format", 3) == 3 else ".zarray"
    return json.loads(store[name].to_bytes())


def built_json(**kwargs) -> dict:
    metadata = build_array_metadata(**kwargs)
    name = "zarr.json" if metadata.zarr_format == 3 else ".zarray"
    return json.loads(metadata.to_documents()[name])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"shape": (10000, 10000), "dtype": "int32"},
        {"shape": (10000, 10000), "dtype": "int32", "zarr_format": 2},
        {"shape": 100, "dtype": "f8"},
        {"shape": (3000, 3000), "dtype": "u1", "shards": (1500, 1500)},
        {"shape": (100,), "dtype": "i4", "compressors": {"name": "gzip", "configuration": {"level": 2}}},
        {"shape": (100,), "dtype": "i4", "zarr_format": 2, "compressors": {"id": "zlib", "level": 3}},
        {"shape": (100,), "dtype": "i4", "zarr_format": 2, "filters": [numcodecs.Delta(dtype="<i4")]},
        {"shape": (100,), "dtype": "i4", "serializer": zc.BytesCodec(endian="big"), "compressors": None},
        {"shape": (100,), "dtype": "i4", "compressors": [zc.ZstdCodec(level=5), zc.Crc32cCodec()]},
        {"shape": (5,), "dtype": "i4", "fill_value": -1, "chunk_key_encoding": {"name": "v2"}},
        {
            "shape": (5, 5),
            "dtype": "f4",
            "zarr_format": 2,
            "chunk_key_encoding": {"name": "v2", "separator": "/"},
        },
        {"shape": (5, 5), "dtype": str},
        {"shape": (5, 5), "dtype": str, "zarr_format": 2},
    ],
    ids=repr,
)
def test_defaults_and_argument_forms_match_zarr_python(kwargs: dict) -> None:
    """zarr-python's own codec objects are accepted too (through their ``to_dict``)."""
    assert built_json(**kwargs) == zarr_json(**kwargs)


def test_numcodecs_compressors_become_v3_codecs() -> None:
    """zarr-python refuses numcodecs instances in v3 arrays; zarrnb maps the ones with a v3 twin."""
    zstd = build_array_metadata(shape=(4,), dtype="i4", compressors=numcodecs.Zstd(level=2))
    assert zstd.compressors == (nc.ZstdCodec(level=2),)
    blosc = build_array_metadata(shape=(4,), dtype="i4", compressors=numcodecs.Blosc(cname="zstd", shuffle=2))
    assert blosc.compressors == (nc.BloscCodec(typesize=4, cname="zstd", clevel=5, shuffle="bitshuffle"),)
    assert build_array_metadata(shape=(4,), dtype="i4", compressors=numcodecs.GZip(3)).compressors == (
        nc.GzipCodec(level=3),
    )


def test_auto_chunks_and_v3_default_compressor() -> None:
    metadata = build_array_metadata(shape=(10000, 10000), dtype="int32")
    assert metadata.chunks == (625, 625)
    assert repr(metadata.compressors) == "(ZstdCodec(level=0, checksum=False),)"
    assert repr(metadata.serializer) == "BytesCodec(endian=<Endian.little: 'little'>)"
    assert metadata.filters == ()


def test_v2_default_compressor_is_chosen_by_the_caller() -> None:
    blosc = build_array_metadata(shape=(4,), dtype="f4", zarr_format=2, v2_default_compressor="blosc")
    assert repr(blosc.compressors) == "(Blosc(cname='lz4', clevel=5, shuffle=SHUFFLE, blocksize=0),)"
    with pytest.raises(ValueError, match="v2_default_compressor"):
        build_array_metadata(shape=(4,), dtype="f4", zarr_format=2, v2_default_compressor="lzma")


def test_v3_dtype_is_native_and_v2_keeps_byte_order() -> None:
    assert build_array_metadata(shape=(2,), dtype=">i4").dtype == np.dtype("<i4")
    assert build_array_metadata(shape=(2,), dtype=">i4", zarr_format=2).dtype == np.dtype(">i4")


def test_sharding_and_inner_chunks() -> None:
    metadata = build_array_metadata(shape=(100, 100), dtype="f4", chunks=(10, 10), shards=(50, 50))
    assert (metadata.chunks, metadata.shards, metadata.chunk_grid_shape) == ((10, 10), (50, 50), (50, 50))
    assert isinstance(metadata.codec_pipeline.sharding, nc.ShardingCodec)
    assert build_array_metadata(shape=(100,), dtype="f4", chunks=(10,), shards={"shape": (20,)}).shards == (
        20,
    )


def test_order_object_strings_and_numcodecs_compressors_for_v2() -> None:
    metadata = build_array_metadata(shape=(4, 4), dtype="i2", order="F", zarr_format=2)
    assert metadata.order == "F"
    strings = build_array_metadata(shape=(3,), dtype=object, filters=[numcodecs.VLenUTF8()], zarr_format=2)
    assert strings.dtype == STRING_DTYPE
    assert build_array_metadata(
        shape=(3,), dtype="i4", zarr_format=2, compressors=nc.ZstdCodec(level=4)
    ).compressor == (numcodecs.Zstd(level=4))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"zarr_format": 2, "shards": (4,)}, ValueError, "sharded"),
        ({"zarr_format": 2, "dimension_names": ["x"]}, ValueError, "dimension_names"),
        ({"zarr_format": 2, "serializer": nc.BytesCodec()}, ValueError, "serializer"),
        (
            {"zarr_format": 2, "compressors": [numcodecs.Zstd(), numcodecs.GZip()]},
            ValueError,
            "one compressor",
        ),
        ({"zarr_format": 2, "chunk_key_encoding": {"name": "default"}}, ValueError, "'v2' chunk key"),
        ({"zarr_format": 2, "compressors": nc.Crc32cCodec()}, ValueError, "v2"),
        ({"zarr_format": 4}, ValueError, "zarr_format"),
        ({"order": "K"}, ValueError, "order"),
        ({"chunks": (3,), "shards": (4,)}, ValueError, "multiple"),
        ({"compressors": numcodecs.Delta(dtype="i4")}, ValueError, "bytes-to-bytes"),
        ({"compressors": numcodecs.JSON()}, UnknownCodecError, "JSON"),
        ({"compressors": {"name": "brotli"}}, UnknownCodecError, "brotli"),
        ({"compressors": nc.BytesCodec()}, ValueError, "bytes-to-bytes"),
        ({"filters": [nc.ZstdCodec()]}, ValueError, "array-to-array"),
        ({"fill_value": 1.5}, ValueError, "fill_value"),
        ({"fill_value": 300, "dtype": "u1"}, ValueError, "300"),
        ({"dtype": "datetime64"}, UnsupportedDataTypeError, "unit"),
        ({"dtype": "S"}, UnsupportedDataTypeError, "length"),
        ({"dtype": "(2,)i4"}, UnsupportedDataTypeError, "subarray"),
    ],
)
def test_refusals_name_the_argument(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        build_array_metadata(**{"shape": (8,), "dtype": "i4", **kwargs})
