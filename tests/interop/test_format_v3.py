"""Zarr v3 at the format level, both ways against zarr-python: documents, chunk bytes, fill values."""

from __future__ import annotations

import numpy as np
import pytest
import zarr.codecs as zc

from zarrnb import codecs as nc
from zarrnb.dtype import STRING_DTYPE
from zarrnb.metadata import build_array_metadata

from .format_helpers import (
    assert_same_values,
    decode_all,
    documents_json,
    encode_all,
    sample,
    zarr_create,
    zarr_read,
)

SHAPE, CHUNKS = (7, 5), (3, 2)

# (dtype, fill value) pairs: every data type, with default and special fill values
DTYPE_CASES = [
    ("bool", None), ("bool", True),
    ("int8", -3), ("int16", None), ("int32", -(2**31)), ("int64", 2**63 - 1),
    ("uint8", 255), ("uint16", None), ("uint32", 7), ("uint64", 2**64 - 1),
    ("float16", None), ("float16", -np.inf), ("float32", np.nan), ("float32", np.inf), ("float64", -np.inf),
    ("float64", -0.5),
    ("complex64", None), ("complex64", 1 + 2j), ("complex128", complex(np.nan, -np.inf)),
    ("U5", None), ("U5", "ab"),
    ("S5", None), ("S5", b"ab"),
    ("V4", None),
    ("datetime64[ns]", None), ("datetime64[10s]", None), ("datetime64[D]", np.datetime64("2020-01-02")),
    ("timedelta64[ms]", None), ("timedelta64[s]", np.timedelta64(-5, "s")),
    (">f8", None), (">i4", 3), ("<c16", None),
    ("str", None), ("str", "fill"),
    # structured: fill values given, as zarr-python's default for them is not all zeros
    ("<i4,<f8,S3", np.array((1, np.nan, b"ab"), dtype="<i4,<f8,S3")[()]),
    ("<u2,i1", np.zeros((), dtype="<u2,i1")[()]),
]  # fmt: skip


def _dtype(name: str) -> np.dtype:
    return STRING_DTYPE if name == "str" else np.dtype(name)


def _zarr_kwargs(name: str, fill: object) -> dict:
    kwargs = {"shape": SHAPE, "chunks": CHUNKS, "dtype": str if name == "str" else name}
    if fill is not None:
        kwargs["fill_value"] = fill
    return kwargs


@pytest.mark.parametrize(("name", "fill"), DTYPE_CASES, ids=lambda v: repr(v))
def test_zarr_python_writes_zarrnb_reads(name: str, fill: object) -> None:
    data = sample(_dtype(name), SHAPE)
    data[-1, -1] = data[0, 0] if fill is None else fill  # one element equal to the fill value
    array, stored = zarr_create(data, **_zarr_kwargs(name, fill))
    metadata, decoded = decode_all(stored)
    assert_same_values(decoded, array[...])
    assert_same_values(np.array([metadata.fill_value], dtype=metadata.dtype), np.array([array.fill_value]))
    assert metadata.shape == array.shape and metadata.chunks == array.chunks


@pytest.mark.parametrize(("name", "fill"), DTYPE_CASES, ids=lambda v: repr(v))
def test_zarrnb_writes_zarr_python_reads(name: str, fill: object) -> None:
    data = sample(_dtype(name), SHAPE)
    metadata = build_array_metadata(**_zarr_kwargs(name, fill), attributes={"units": "m", "n": [1, 2]})
    array, values = zarr_read(encode_all(metadata, data))
    assert_same_values(values, data.astype(values.dtype) if values.dtype.kind not in "OT" else data)
    assert array.attrs.asdict() == {"units": "m", "n": [1, 2]}
    assert_same_values(np.array([array.fill_value]), np.array([metadata.fill_value], dtype=metadata.dtype))


@pytest.mark.parametrize(("name", "fill"), DTYPE_CASES, ids=lambda v: repr(v))
def test_documents_match_zarr_python(name: str, fill: object) -> None:
    """With the same arguments, zarrnb writes the very zarr.json zarr-python writes (defaults included)."""
    _, expected = zarr_create(**_zarr_kwargs(name, fill))
    built = build_array_metadata(**_zarr_kwargs(name, fill))
    assert documents_json(built.to_documents()) == documents_json(expected)


_BLOSC_LZ4 = {"cname": "lz4", "clevel": 9, "shuffle": "noshuffle", "blocksize": 16}
_BIG = {"endian": "big"}
CODEC_CASES = [
    ({"compressors": None}, {"compressors": None}),
    (
        {"compressors": zc.ZstdCodec(level=3, checksum=True)},
        {"compressors": nc.ZstdCodec(level=3, checksum=True)},
    ),
    ({"compressors": zc.GzipCodec(level=1)}, {"compressors": nc.GzipCodec(level=1)}),
    ({"compressors": zc.BloscCodec()}, {"compressors": nc.BloscCodec()}),
    (
        {"compressors": zc.BloscCodec(**_BLOSC_LZ4)},
        {"compressors": {"name": "blosc", "configuration": _BLOSC_LZ4}},
    ),
    ({"compressors": [zc.Crc32cCodec()]}, {"compressors": [nc.Crc32cCodec()]}),
    (
        {"compressors": [zc.ZstdCodec(), zc.Crc32cCodec()]},
        {"compressors": [nc.ZstdCodec(), nc.Crc32cCodec()]},
    ),
    ({"filters": [zc.TransposeCodec(order=(1, 0))]}, {"filters": [nc.TransposeCodec(order=(1, 0))]}),
    ({"serializer": zc.BytesCodec(**_BIG)}, {"serializer": nc.BytesCodec(**_BIG)}),
    (
        {
            "serializer": zc.BytesCodec(**_BIG),
            "filters": [zc.TransposeCodec(order=(1, 0))],
            "compressors": zc.GzipCodec(),
        },
        {
            "serializer": {"name": "bytes", "configuration": _BIG},
            "filters": [{"name": "transpose", "configuration": {"order": [1, 0]}}],
            "compressors": nc.GzipCodec(),
        },
    ),
    ({"chunk_key_encoding": {"name": "default", "separator": "."}},) * 2,
    ({"chunk_key_encoding": {"name": "v2", "separator": "."}},) * 2,
    ({"chunk_key_encoding": {"name": "v2", "separator": "/"}},) * 2,
    ({"dimension_names": ["y", None]},) * 2,
]


@pytest.mark.parametrize("dtype", ["int16", ">f8", "complex64"])
@pytest.mark.parametrize(("zarr_args", "zarrnb_args"), CODEC_CASES)
def test_codecs_both_ways(dtype: str, zarr_args: dict, zarrnb_args: dict) -> None:
    data = sample(np.dtype(dtype), SHAPE, seed=3)
    array, stored = zarr_create(data, shape=SHAPE, chunks=CHUNKS, dtype=dtype, **zarr_args)
    metadata, decoded = decode_all(stored)
    assert_same_values(decoded, array[...])
    assert set(stored) == set(encode_all(metadata, decoded)), "chunk keys differ"

    built = build_array_metadata(shape=SHAPE, chunks=CHUNKS, dtype=dtype, **zarrnb_args)
    assert documents_json(built.to_documents()) == documents_json(stored)
    _, values = zarr_read(encode_all(built, data))
    assert_same_values(values, data.astype(values.dtype))


@pytest.mark.parametrize("shape", [(), (0,), (4, 0), (1,), (3, 1, 2)])
def test_degenerate_shapes(shape: tuple[int, ...]) -> None:
    data = sample(np.dtype("int32"), shape)
    array, stored = zarr_create(data, shape=shape, dtype="int32")
    _, decoded = decode_all(stored)
    assert_same_values(decoded, array[...])
    built = build_array_metadata(shape=shape, dtype="int32")
    assert documents_json(built.to_documents()) == documents_json(stored)
    _, values = zarr_read(encode_all(built, data))
    assert_same_values(values, data)


def test_vlen_bytes_both_ways() -> None:
    from zarr.core.dtype import VariableLengthBytes

    data = sample(np.dtype(object), SHAPE)
    array, stored = zarr_create(data, shape=SHAPE, chunks=CHUNKS, dtype=VariableLengthBytes())
    _, decoded = decode_all(stored)
    assert_same_values(decoded, array[...])
    built = build_array_metadata(shape=SHAPE, chunks=CHUNKS, dtype=bytes)
    assert documents_json(built.to_documents()) == documents_json(stored)
    _, values = zarr_read(encode_all(built, data))
    assert_same_values(values, data)


NUMCODECS_CASES = [
    ("i4", "filters", "Delta", {"dtype": "<i4"}),
    ("f8", "filters", "FixedScaleOffset", {"offset": 0, "scale": 10, "dtype": "<f8", "astype": "<i2"}),
    ("i4", "filters", "AsType", {"encode_dtype": "<i2", "decode_dtype": "<i4"}),
    ("f8", "filters", "Quantize", {"digits": 2, "dtype": "<f8"}),
    ("f4", "filters", "BitRound", {"keepbits": 4}),
    ("bool", "filters", "PackBits", {}),
    ("i4", "compressors", "LZ4", {}),
    ("i4", "compressors", "BZ2", {"level": 3}),
    ("i4", "compressors", "LZMA", {}),
    ("i4", "compressors", "Zlib", {"level": 2}),
    ("i4", "compressors", "Shuffle", {}),
    ("i4", "compressors", "CRC32", {}),
    ("i4", "compressors", "Adler32", {}),
    ("i4", "compressors", "Fletcher32", {}),
    ("i4", "compressors", "JenkinsLookup3", {}),
]


@pytest.mark.filterwarnings("ignore:Numcodecs codecs are not in the Zarr version 3")
@pytest.mark.parametrize(("dtype", "role", "name", "config"), NUMCODECS_CASES, ids=lambda v: str(v))
def test_numcodecs_codecs_in_v3_both_ways(dtype: str, role: str, name: str, config: dict) -> None:
    import zarr.codecs.numcodecs as zn

    import zarrnb.codecs.numcodecs as nn

    data = (
        sample(np.dtype(dtype), SHAPE, seed=7) if dtype == "bool" else np.arange(35).reshape(SHAPE)
    ).astype(dtype)
    array, stored = zarr_create(
        data, shape=SHAPE, chunks=CHUNKS, dtype=dtype, **{role: [getattr(zn, name)(**config)]}
    )
    _, decoded = decode_all(stored)
    assert_same_values(decoded, array[...])
    built = build_array_metadata(
        shape=SHAPE, chunks=CHUNKS, dtype=dtype, **{role: [getattr(nn, name)(**config)]}
    )
    assert documents_json(built.to_documents()) == documents_json(stored)
    assert repr(getattr(built, role)) == repr(getattr(array, role))
    _, values = zarr_read(encode_all(built, data))
    assert_same_values(values, array[...])
