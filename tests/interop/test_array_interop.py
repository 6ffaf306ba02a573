"""Array-level interop with zarr-python 3.1.6, both ways, through real files on disk.

Every case is created by both libraries with the same arguments; shapes never divide by
the chunks. zarrnb writes -> zarr-python reads the same values and attributes, and
zarr-python writes -> zarrnb reads them.
"""

from __future__ import annotations

import asyncio
import json
import warnings
from typing import Any

import numcodecs
import numpy as np
import pytest
import zarr

from zarrnb.core.array import AsyncArray
from zarrnb.storage import LocalStore, StorePath

SHAPE = (7, 5)
CHUNKS = (3, 2)
ATTRIBUTES = {"title": "interop", "values": [1, 2.5, None], "nested": {"a": "b"}}


def sample(dtype: Any, shape: tuple[int, ...] = SHAPE) -> np.ndarray:
    """Deterministic values of ``dtype`` that exercise its range (negatives, NaN, non-ASCII text)."""
    rng = np.random.default_rng(42)
    n = int(np.prod(shape))
    dtype = np.dtype(dtype) if dtype is not str else None
    if dtype is None:
        return np.array([f"s{i}é" * (i % 3) for i in range(n)], dtype=object).reshape(shape)
    if dtype.kind == "b":
        values = rng.random(n) > 0.5
    elif dtype.kind in "iu":
        info = np.iinfo(dtype)
        values = rng.integers(info.min, info.max, n, dtype=dtype.newbyteorder("="), endpoint=True)
    elif dtype.kind == "f":
        values = rng.standard_normal(n).astype(dtype)
        values[::7] = np.nan
        values[1] = np.inf
    elif dtype.kind == "c":
        values = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dtype)
    elif dtype.kind == "S":
        values = np.array([bytes([97 + i % 26]) * (i % dtype.itemsize) for i in range(n)], dtype=dtype)
    elif dtype.kind == "U":
        values = np.array([("ü" + chr(65 + i % 26)) * (i % 2) for i in range(n)], dtype=dtype)
    elif dtype.kind in "mM":
        values = rng.integers(-(10**9), 10**9, n).astype(dtype)
        values[3] = np.array("NaT", dtype=dtype)
    else:
        raise AssertionError(f"no sample for {dtype}")
    return np.asarray(values, dtype=dtype).reshape(shape)


# a sharding codec given in full: index first, inner chunks gzip-compressed (chunks= is the shard shape)
SHARDING_START = {
    "name": "sharding_indexed",
    "configuration": {
        "chunk_shape": [3, 2],
        "codecs": [
            {"name": "bytes", "configuration": {"endian": "little"}},
            {"name": "gzip", "configuration": {"level": 1}},
        ],
        "index_codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}],
        "index_location": "start",
    },
}


def case(name: str, dtype: Any = "f4", zarr_format: int = 3, **kwargs: Any) -> Any:
    return pytest.param(dtype, zarr_format, kwargs, id=name)


DTYPES = [
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64", "complex64", "complex128",
    "S5", "<U4", "datetime64[ns]", "timedelta64[s]", "datetime64[D]",
]  # fmt: skip

CASES = [
    *(case(f"v3-{dtype}", dtype) for dtype in DTYPES),
    case("v3-vlen-string", str),
    *(case(f"v2-{dtype}", dtype, 2) for dtype in DTYPES),
    case("v2-vlen-string", str, 2),
    case("v2-big-endian-int", ">i4", 2),
    case("v2-big-endian-float", ">f8", 2),
    case("v2-big-endian-complex", ">c16", 2),
    case("v3-big-endian", "i4", serializer={"name": "bytes", "configuration": {"endian": "big"}}),
    # v3 codecs
    case("v3-no-compression", "f8", compressors=None),
    case("v3-gzip", "f8", compressors={"name": "gzip", "configuration": {"level": 1}}),
    case(
        "v3-zstd-checksum",
        "i8",
        compressors={"name": "zstd", "configuration": {"level": 3, "checksum": True}},
    ),
    case(
        "v3-blosc",
        "f4",
        compressors={
            "name": "blosc",
            "configuration": {
                "cname": "lz4",
                "clevel": 5,
                "shuffle": "shuffle",
                "typesize": 4,
                "blocksize": 0,
            },
        },
    ),
    case(
        "v3-blosc-bitshuffle",
        "i2",
        compressors={
            "name": "blosc",
            "configuration": {
                "cname": "zstd",
                "clevel": 1,
                "shuffle": "bitshuffle",
                "typesize": 2,
                "blocksize": 0,
            },
        },
    ),
    case(
        "v3-crc32c",
        "u2",
        compressors=[{"name": "zstd", "configuration": {"level": 0, "checksum": False}}, {"name": "crc32c"}],
    ),
    case("v3-transpose", "f4", filters=[{"name": "transpose", "configuration": {"order": [1, 0]}}]),
    # v2 compressors and filters (numcodecs)
    case("v2-zlib", "f8", 2, compressors=numcodecs.Zlib(level=3)),
    case("v2-gzip", "i4", 2, compressors=numcodecs.GZip(level=5)),
    case("v2-zstd", "f4", 2, compressors=numcodecs.Zstd(level=1)),
    case(
        "v2-blosc",
        "f4",
        2,
        compressors=numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE),
    ),
    case("v2-lz4", "i2", 2, compressors=numcodecs.LZ4()),
    case("v2-bz2", "u8", 2, compressors=numcodecs.BZ2()),
    case("v2-no-compressor", "f8", 2, compressors=None),
    case("v2-delta", "i4", 2, filters=[numcodecs.Delta(dtype="i4")], compressors=numcodecs.Zlib()),
    case(
        "v2-fixedscaleoffset",
        "i2",
        2,
        filters=[numcodecs.FixedScaleOffset(offset=3, scale=1, dtype="i2", astype="i4")],
    ),
    # chunk key encodings and memory order
    case("v3-key-dot", chunk_key_encoding={"name": "default", "separator": "."}),
    case("v3-key-slash", chunk_key_encoding={"name": "default", "separator": "/"}),
    case("v3-key-v2", chunk_key_encoding={"name": "v2", "separator": "."}),
    case("v2-key-slash", "f4", 2, chunk_key_encoding={"name": "v2", "separator": "/"}),
    case("v2-order-F", "i4", 2, order="F"),
    case("v3-order-F", "i4", order="F"),
    # fill values
    case("v3-fill-nan", "f4", fill_value=np.nan),
    case("v3-fill-inf", "f8", fill_value=np.inf),
    case("v3-fill-minus-inf", "f4", fill_value=-np.inf),
    case("v3-fill-negative-int", "i2", fill_value=-7),
    case("v3-fill-complex", "c8", fill_value=1 + 2j),
    case("v3-fill-bytes", "S3", fill_value=b"ab"),
    case("v2-fill-nan", "f8", 2, fill_value=np.nan),
    case("v2-fill-minus-inf", "f4", 2, fill_value=-np.inf),
    case("v2-fill-negative-int", "i8", 2, fill_value=-(2**40)),
    # sharding
    case("v3-sharded", "i4", shards=(6, 4)),
    case("v3-sharded-uncompressed", "f8", shards=(3, 4), compressors=None),
    case("v3-sharded-fill-nan", "f4", shards=(6, 2), fill_value=np.nan),
    case("v3-sharded-index-start-gzip", "i4", chunks=(6, 4), compressors=None, serializer=SHARDING_START),
]

WRITE_REGION = (slice(0, 5), slice(1, 5))  # leaves some chunks missing, so fill values matter


def zarr_create(store_dir: str, dtype: Any, zarr_format: int, kwargs: dict) -> zarr.Array:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return zarr.create_array(
            zarr.storage.LocalStore(store_dir),
            name="arr",
            shape=SHAPE,
            dtype=dtype,
            zarr_format=zarr_format,
            attributes=ATTRIBUTES,
            **{"chunks": CHUNKS, **kwargs},
        )


def zarrnb_create(store_dir: str, dtype: Any, zarr_format: int, kwargs: dict) -> AsyncArray:
    store_path = StorePath(LocalStore(store_dir), "arr")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # order= on a v3 array warns, as in zarr-python
        return asyncio.run(
            AsyncArray.create(
                store_path,
                shape=SHAPE,
                dtype=dtype,
                zarr_format=zarr_format,
                attributes=ATTRIBUTES,
                **{"chunks": CHUNKS, **kwargs},
            )
        )


def assert_same(actual: np.ndarray, expected: np.ndarray) -> None:
    if expected.dtype == object or actual.dtype.kind in "OT":
        assert [str(v) for v in np.asarray(actual).ravel()] == [str(v) for v in expected.ravel()]
    else:
        assert actual.dtype == expected.dtype
        np.testing.assert_array_equal(actual, expected)


@pytest.mark.parametrize(("dtype", "zarr_format", "kwargs"), CASES)
def test_zarrnb_writes_zarr_python_reads(tmp_path, dtype, zarr_format, kwargs) -> None:
    array = zarrnb_create(str(tmp_path), dtype, zarr_format, kwargs)
    data = sample(dtype)
    asyncio.run(array.setitem(WRITE_REGION, data[WRITE_REGION]))
    expected = asyncio.run(array.getitem(Ellipsis))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = zarr.open_array(zarr.storage.LocalStore(str(tmp_path)), path="arr", mode="r")
        values = reference[...]
    assert reference.attrs.asdict() == ATTRIBUTES
    assert_same(values, expected)
    assert_same(
        values[WRITE_REGION],
        data[WRITE_REGION].astype(values.dtype) if dtype is not str else data[WRITE_REGION],
    )


@pytest.mark.parametrize(("dtype", "zarr_format", "kwargs"), CASES)
def test_zarr_python_writes_zarrnb_reads(tmp_path, dtype, zarr_format, kwargs) -> None:
    reference = zarr_create(str(tmp_path), dtype, zarr_format, kwargs)
    data = sample(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference[WRITE_REGION] = data[WRITE_REGION]
        expected = reference[...]
    array = asyncio.run(AsyncArray.open(StorePath(LocalStore(str(tmp_path)), "arr")))
    assert array.attrs == ATTRIBUTES
    assert array.metadata.zarr_format == zarr_format
    assert_same(asyncio.run(array.getitem(Ellipsis)), expected)
    # partial and fancy reads agree too
    assert_same(asyncio.run(array.getitem((slice(1, 6, 2), 3))), expected[1:6:2, 3])
    assert_same(
        asyncio.run(array.get_coordinate_selection(([6, 0, 4], [4, 1, 1]))), expected[[6, 0, 4], [4, 1, 1]]
    )


def test_zarrnb_metadata_documents_match_zarr_python(tmp_path) -> None:
    """The same arguments give the same metadata document (zarr-python's is the reference)."""
    zarr_create(str(tmp_path / "z"), "f4", 3, {"fill_value": np.nan})
    zarrnb_create(str(tmp_path / "n"), "f4", 3, {"fill_value": np.nan})
    ours = json.loads((tmp_path / "n" / "arr" / "zarr.json").read_text())
    theirs = json.loads((tmp_path / "z" / "arr" / "zarr.json").read_text())
    assert ours == theirs


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_resize_and_append_read_back_by_zarr_python(tmp_path, zarr_format) -> None:
    array = zarrnb_create(str(tmp_path), "i4", zarr_format, {"fill_value": -1})
    data = np.arange(35, dtype="i4").reshape(SHAPE)
    asyncio.run(array.setitem(Ellipsis, data))
    asyncio.run(array.resize((4, 3)))
    asyncio.run(array.resize((6, 3)))
    asyncio.run(array.append(np.full((6, 2), 9, dtype="i4"), axis=1))
    expected = asyncio.run(array.getitem(Ellipsis))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = zarr.open_array(zarr.storage.LocalStore(str(tmp_path)), path="arr", mode="r")
        values = reference[...]
    assert reference.shape == (6, 5)
    np.testing.assert_array_equal(values, expected)
    np.testing.assert_array_equal(values[:4, :3], data[:4, :3])
    np.testing.assert_array_equal(values[:, 3:], 9)
