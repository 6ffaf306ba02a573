"""Zarr v2 at the format level, both ways against zarr-python: .zarray, filters, compressors, order."""

from __future__ import annotations

import numcodecs
import numpy as np
import pytest

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

DTYPE_CASES = [
    ("bool", None), ("|i1", -1), ("<i2", None), (">i4", -7), ("<i8", -(2**63)),
    ("|u1", None), (">u2", 9), ("<u8", 2**64 - 1),
    ("<f2", np.nan), (">f4", -np.inf), ("<f8", np.inf), (">f8", np.nan), ("<f8", 1.25),
    ("<c8", None), (">c16", complex(1, np.nan)),
    ("<U4", None), (">U3", "xy"), ("|S4", None), ("|S4", b"q"), ("|V3", None),
    ("<M8[ns]", None), (">M8[s]", None), ("<m8[us]", np.timedelta64(3, "us")),
    ("str", None), ("str", "nothing"),
    ("<i4,>f8,S3", np.array((1, np.nan, b"ab"), dtype="<i4,>f8,S3")[()]),
    (">u2,i1", np.zeros((), dtype=">u2,i1")[()]),
]  # fmt: skip


def _dtype(name: str) -> np.dtype:
    return STRING_DTYPE if name == "str" else np.dtype(name)


def _kwargs(name: str, fill: object, **extra: object) -> dict:
    kwargs = {
        "shape": SHAPE,
        "chunks": CHUNKS,
        "dtype": str if name == "str" else name,
        "zarr_format": 2,
        **extra,
    }
    if fill is not None:
        kwargs["fill_value"] = fill
    return kwargs


@pytest.mark.parametrize(("name", "fill"), DTYPE_CASES, ids=repr)
def test_zarr_python_writes_zarrnb_reads(name: str, fill: object) -> None:
    data = sample(_dtype(name), SHAPE, seed=1)
    array, stored = zarr_create(data, **_kwargs(name, fill))
    metadata, decoded = decode_all(stored)
    assert_same_values(decoded, array[...])
    assert metadata.dtype == array.dtype, "v2 keeps the stored byte order"
    assert_same_values(np.array([metadata.fill_value], dtype=metadata.dtype), np.array([array.fill_value]))


@pytest.mark.parametrize(("name", "fill"), DTYPE_CASES, ids=repr)
def test_zarrnb_writes_zarr_python_reads(name: str, fill: object) -> None:
    data = sample(_dtype(name), SHAPE, seed=2)
    metadata = build_array_metadata(**_kwargs(name, fill), attributes={"a": {"b": None}})
    array, values = zarr_read(encode_all(metadata, data))
    assert_same_values(values, data)
    assert array.attrs.asdict() == {"a": {"b": None}}


@pytest.mark.parametrize(("name", "fill"), DTYPE_CASES, ids=repr)
def test_documents_match_zarr_python(name: str, fill: object) -> None:
    _, expected = zarr_create(**_kwargs(name, fill))
    assert documents_json(build_array_metadata(**_kwargs(name, fill)).to_documents()) == documents_json(
        expected
    )


COMPRESSORS = [
    None,
    numcodecs.Zstd(level=5),
    numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE),
    numcodecs.Blosc(cname="zstd", clevel=3, shuffle=numcodecs.Blosc.BITSHUFFLE),
    numcodecs.GZip(level=6),
    numcodecs.Zlib(level=2),
    numcodecs.LZ4(),
    numcodecs.BZ2(level=3),
    numcodecs.LZMA(),
]
FILTERS = [
    None,
    [numcodecs.Delta(dtype="<i4")],
    [numcodecs.FixedScaleOffset(offset=0, scale=1, dtype="<i4", astype="<i4")],
    [numcodecs.Shuffle(elementsize=4)],
    [numcodecs.Delta(dtype="<i4"), numcodecs.Shuffle(elementsize=4)],
]


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("filters", FILTERS, ids=repr)
@pytest.mark.parametrize("compressor", COMPRESSORS, ids=repr)
def test_compressors_filters_and_order_both_ways(order: str, filters, compressor) -> None:
    data = sample(np.dtype("<i4"), SHAPE, seed=4) // 1000
    kwargs = _kwargs("<i4", None, order=order, filters=filters, compressors=compressor)
    array, stored = zarr_create(data, **kwargs)
    metadata, decoded = decode_all(stored)
    assert_same_values(decoded, array[...])
    assert metadata.order == order

    built = build_array_metadata(**kwargs)
    assert documents_json(built.to_documents()) == documents_json(stored)
    _, values = zarr_read(encode_all(built, data))
    assert_same_values(values, data)


@pytest.mark.parametrize("separator", [".", "/"])
def test_dimension_separator_both_ways(separator: str) -> None:
    data = sample(np.dtype("<f4"), SHAPE)
    kwargs = _kwargs("<f4", None, chunk_key_encoding={"name": "v2", "separator": separator})
    _, stored = zarr_create(data, **kwargs)
    assert f"1{separator}1" in stored
    _, decoded = decode_all(stored)
    assert_same_values(decoded, data)
    built = build_array_metadata(**kwargs)
    assert set(encode_all(built, data)) == set(stored)


@pytest.mark.parametrize("default", ["zstd", "blosc"])
def test_default_compressors(default: str) -> None:
    """Top-level create_array uses Zstd(level=0); Group.create_array Blosc lz4/5/shuffle."""
    built = build_array_metadata(shape=(4,), dtype="int32", zarr_format=2, v2_default_compressor=default)
    expected = {
        "zstd": "Zstd(level=0)",
        "blosc": "Blosc(cname='lz4', clevel=5, shuffle=SHUFFLE, blocksize=0)",
    }
    assert repr(built.compressors) == f"({expected[default]},)"
    _, values = zarr_read(encode_all(built, np.arange(4, dtype="int32")))
    assert_same_values(values, np.arange(4, dtype="int32"))


def test_vlen_bytes_both_ways() -> None:
    from zarr.core.dtype import VariableLengthBytes

    data = sample(np.dtype(object), SHAPE)
    array, stored = zarr_create(data, shape=SHAPE, chunks=CHUNKS, dtype=VariableLengthBytes(), zarr_format=2)
    _, decoded = decode_all(stored)
    assert_same_values(decoded, array[...])
    built = build_array_metadata(shape=SHAPE, chunks=CHUNKS, dtype=bytes, zarr_format=2)
    assert documents_json(built.to_documents()) == documents_json(stored)
    _, values = zarr_read(encode_all(built, data))
    assert_same_values(values, data)
