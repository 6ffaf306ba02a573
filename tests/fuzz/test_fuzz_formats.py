"""Fuzzing what a store can hand zarrnb: metadata documents (v2 and v3), chunk bytes and shard indexes.

Whatever the bytes, zarrnb answers with a result or an error of its own (``ZarrnbError``, naming the
key), and never takes more than a second: hypothesis' ``deadline`` fails any slower example. The
example count is bounded for CI (``ZARRNB_FUZZ_EXAMPLES``, default 200 per target); set it higher
to fuzz for longer on a workstation.
"""

from __future__ import annotations

import copy
import json
import os
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zarrnb
from zarrnb.codecs import (
    BloscCodec,
    BytesCodec,
    Crc32cCodec,
    GzipCodec,
    ShardingCodec,
    TransposeCodec,
    ZstdCodec,
)
from zarrnb.core.array import AsyncArray
from zarrnb.core.buffer import Buffer
from zarrnb.errors import ZarrnbError
from zarrnb.metadata import build_array_metadata, parse_node_metadata
from zarrnb.storage import MemoryStore, StorePath

EXAMPLES = int(os.environ.get("ZARRNB_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=1),
    derandomize=os.environ.get("ZARRNB_FUZZ_RANDOM") is None,  # CI runs the same examples every time
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
sync = zarrnb.api.sync.sync

# -- metadata documents ----------------------------------------------------------------------------

V3_ARRAY = {
    "zarr_format": 3,
    "node_type": "array",
    "shape": [6, 5],
    "data_type": "float32",
    "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [4, 4]}},
    "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
    "fill_value": "NaN",
    "codecs": [
        {"name": "transpose", "configuration": {"order": [1, 0]}},
        {"name": "bytes", "configuration": {"endian": "little"}},
        {"name": "zstd", "configuration": {"level": 0, "checksum": False}},
    ],
    "attributes": {"units": "K"},
    "dimension_names": ["y", "x"],
}
V3_SHARDED = {
    **V3_ARRAY,
    "data_type": "int16",
    "fill_value": 0,
    "codecs": [
        {
            "name": "sharding_indexed",
            "configuration": {
                "chunk_shape": [2, 2],
                "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}],
                "index_codecs": [
                    {"name": "bytes", "configuration": {"endian": "little"}},
                    {"name": "crc32c"},
                ],
                "index_location": "end",
            },
        }
    ],
}
V3_STRINGS = {**V3_ARRAY, "data_type": "string", "fill_value": "", "codecs": [{"name": "vlen-utf8"}]}
V3_GROUP = {"zarr_format": 3, "node_type": "group", "attributes": {"a": [1, 2]}}
V2_ARRAY = {
    "zarr_format": 2,
    "shape": [6, 5],
    "chunks": [4, 4],
    "dtype": "<i4",
    "fill_value": 0,
    "order": "F",
    "filters": [{"id": "delta", "dtype": "<i4"}],
    "compressor": {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1, "blocksize": 0},
    "dimension_separator": ".",
}
V2_STRINGS = {
    **V2_ARRAY,
    "dtype": "|O",
    "fill_value": "",
    "filters": [{"id": "vlen-utf8"}],
    "compressor": None,
}
V2_STRUCTURED = {**V2_ARRAY, "dtype": [["a", "<i4"], ["b", "|S3", [2]]], "fill_value": None, "filters": None}
TEMPLATES = [
    ("zarr.json", V3_ARRAY),
    ("zarr.json", V3_SHARDED),
    ("zarr.json", V3_STRINGS),
    ("zarr.json", V3_GROUP),
    (".zarray", V2_ARRAY),
    (".zarray", V2_STRINGS),
    (".zarray", V2_STRUCTURED),
]

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([-1, 0, 1, 2**31, 2**62, 2**63, 2**64, -(2**63), 10**30]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["NaN", "Infinity", "auto", "<f8", "|O", "gzip", "pickle", "regular", "v2", "c", "end"]),
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON value a mutation can hit (dict keys and list indexes)."""
    found = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*prefix, i))
    return found


@st.composite
def mutated_documents(draw) -> tuple[str, bytes]:
    """A valid document with a few fields replaced, deleted or added; sometimes raw bytes."""
    name, template = draw(st.sampled_from(TEMPLATES))
    document = copy.deepcopy(template)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(document) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(json_values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(json_values)
        else:
            parent.append(draw(json_values))
    data = json.dumps(document).encode()
    kind = draw(st.sampled_from(["json", "json", "json", "cut", "bytes", "deep"]))
    if kind == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif kind == "bytes":
        data = draw(st.binary(max_size=64))
    elif kind == "deep":
        depth = draw(st.sampled_from([10, 999, 5_000, 100_000]))
        data = b'{"zarr_format": 3, "node_type": "group", "attributes": ' + b"[" * depth + b"]" * depth + b"}"
    return name, data


def _exercise_node(documents: dict[str, bytes]) -> None:
    """Parse as the engine does on open, then touch what the first read and a repr touch."""
    metadata = parse_node_metadata(documents, path="fuzz")
    metadata.to_documents()
    if hasattr(metadata, "codec_pipeline"):
        metadata.codec_pipeline  # noqa: B018
        metadata.chunk_key((0,) * len(metadata.shape))
        metadata.nbytes if hasattr(metadata, "nbytes") else None


@FUZZ
@given(mutated_documents(), st.booleans())
def test_metadata_documents_give_metadata_or_a_zarrnb_error(
    document: tuple[str, bytes], with_attrs: bool
) -> None:
    name, data = document
    documents = {name: data}
    if name == ".zarray" and with_attrs:
        documents[".zattrs"] = b'{"_ARRAY_DIMENSIONS": ["y", "x"]}'
    try:
        _exercise_node(documents)
    except ZarrnbError:
        pass


# -- chunk bytes -----------------------------------------------------------------------------------

ARRAYS = {
    "raw": {"dtype": "f4", "compressors": None},
    "zstd+crc32c": {"dtype": "i8", "compressors": [ZstdCodec(level=1), Crc32cCodec()]},
    "gzip+transpose": {
        "dtype": "u2",
        "filters": [TransposeCodec(order=(1, 0))],
        "compressors": [GzipCodec(level=1)],
    },
    "blosc": {"dtype": "f8", "compressors": [BloscCodec(cname="zstd", clevel=1, shuffle="shuffle")]},
    "big-endian": {"dtype": "i4", "serializer": BytesCodec(endian="big"), "compressors": None},
    "strings": {"dtype": str, "compressors": [ZstdCodec()]},
    "bytes-objects": {"dtype": "O", "zarr_format": 2, "compressors": None, "filters": None},
    "v2-zstd-F": {"dtype": "f4", "zarr_format": 2, "order": "F", "compressors": {"id": "zstd", "level": 1}},
    "v2-blosc-delta": {
        "dtype": "i4",
        "zarr_format": 2,
        "filters": [{"id": "delta", "dtype": "<i4"}],
        "compressors": {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1},
    },
    "v2-lz4": {"dtype": "M8[s]", "zarr_format": 2, "compressors": {"id": "lz4"}},
    "sharded": {"dtype": "i2", "shards": (4, 4), "compressors": [ZstdCodec()]},
}


def _sample(dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
    count = int(np.prod(shape))
    if dtype.kind == "O":
        return np.array([f"v{i}".encode() for i in range(count)] + [None], dtype=dtype)[:-1].reshape(shape)
    if dtype.kind == "T":
        return np.array([f"v{i}" for i in range(count)], dtype=dtype).reshape(shape)
    return np.arange(count).astype(dtype).reshape(shape)


def _metadata(name: str) -> Any:
    kwargs = dict(ARRAYS[name])
    if kwargs.get("dtype") == "O":
        kwargs["dtype"] = np.dtype("O")
        kwargs["filters"] = [{"id": "vlen-bytes"}]
    return build_array_metadata(shape=(6, 5), chunks=(2, 2) if "shards" in kwargs else (4, 4), **kwargs)


@st.composite
def chunk_bytes(draw) -> tuple[str, bytes]:
    """A valid encoded chunk of one of ``ARRAYS``, then cut, flipped, spliced, or random bytes."""
    name = draw(st.sampled_from(sorted(ARRAYS)))
    metadata = _metadata(name)
    valid = metadata.codec_pipeline.encode_chunk(_sample(metadata.dtype, metadata.chunk_grid_shape))
    data = bytearray(valid)
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["flip", "cut", "grow", "random", "splice"]))
        if action == "flip" and data:
            at = draw(st.integers(0, len(data) - 1))
            data[at] ^= draw(st.integers(1, 255))
        elif action == "cut":
            data = data[: draw(st.integers(0, len(data)))]
        elif action == "grow":
            data += draw(st.binary(min_size=1, max_size=16))
        elif action == "random":
            data = bytearray(draw(st.binary(max_size=96)))
        elif action == "splice" and len(data) >= 8:
            at = draw(st.integers(0, len(data) - 8))
            data[at : at + 8] = draw(st.sampled_from([2**45, 2**64 - 1, 2**63, 0, 1])).to_bytes(8, "little")
    return name, bytes(data)


def _read_through_an_array(name: str, data: bytes) -> None:
    """Store ``data`` as chunk (0, 0) of the array and read it whole, partly and as one element."""
    metadata = _metadata(name)
    store = MemoryStore()
    array = AsyncArray(metadata, StorePath(store, ""))
    key = metadata.chunk_key((0, 0))

    async def reads() -> None:
        await store.set(key, Buffer.from_bytes(data))
        await array.getitem(slice(None))
        await array.getitem((slice(1, 3), slice(0, 4)))
        await array.getitem((0, 0))

    sync(reads())


@FUZZ
@given(chunk_bytes())
def test_chunk_bytes_give_data_or_a_zarrnb_error(chunk: tuple[str, bytes]) -> None:
    name, data = chunk
    try:
        _read_through_an_array(name, data)
    except ZarrnbError:
        pass


@FUZZ
@given(chunk_bytes())
def test_chunk_bytes_through_the_pipeline_directly(chunk: tuple[str, bytes]) -> None:
    name, data = chunk
    metadata = _metadata(name)
    pipeline = metadata.codec_pipeline
    shape = metadata.chunk_grid_shape
    try:
        pipeline.decode_chunk(data, shape, key="c/0/0")
    except ZarrnbError:
        pass
    out = np.empty(shape, dtype=metadata.dtype)
    try:
        pipeline.decode_chunk_into(data, out, key="c/0/0")
    except ZarrnbError:
        pass


# -- shard indexes ---------------------------------------------------------------------------------

SHARDING = ShardingCodec(chunk_shape=(2, 2), codecs=(BytesCodec(),)).bind(
    dtype=np.dtype("i2"), fill_value=np.int16(0), chunk_shape=(4, 4)
)


@st.composite
def shards(draw) -> bytes:
    """A valid shard of four 2x2 int16 chunks whose index entries (then checksum) are rewritten."""
    shard = bytearray(SHARDING.encode_shard(_sample(np.dtype("i2"), (4, 4)), np.int16(0)) or b"")
    index_start = len(shard) - SHARDING.index_nbytes
    entries = np.frombuffer(bytes(shard[index_start : index_start + 64]), "<u8").copy()
    offsets = st.sampled_from([0, 1, 7, 8, 32, 2**31, 2**45, 2**63, 2**64 - 2, 2**64 - 1])
    for _ in range(draw(st.integers(1, 4))):
        entries[draw(st.integers(0, 7))] = draw(st.one_of(offsets, st.integers(0, 2**64 - 1)))
    index = entries.astype("<u8").tobytes()
    if draw(st.booleans()):  # a matching checksum, so the entries themselves are tested
        index = Crc32cCodec().encode_raw(index)
    else:
        index = index + draw(st.binary(min_size=4, max_size=4))
    shard[index_start:] = index
    if draw(st.booleans()):
        shard = shard[: draw(st.integers(0, len(shard)))]
    return bytes(shard)


@FUZZ
@given(shards())
def test_shard_indexes_give_data_or_a_zarrnb_error(shard: bytes) -> None:
    try:
        index = SHARDING.decode_index(shard[-SHARDING.index_nbytes :], key="s")
        assert index.shape == (2, 2, 2)
    except ZarrnbError:
        pass
    try:
        SHARDING.decode_shard(shard, key="s")
    except ZarrnbError:
        pass
    try:
        _read_through_an_array("sharded", shard)
    except ZarrnbError:
        pass


@pytest.mark.parametrize("name", sorted(ARRAYS))
def test_the_fuzzed_arrays_round_trip(name: str) -> None:
    """The starting points are valid: every mutation starts from a chunk that decodes."""
    metadata = _metadata(name)
    sample = _sample(metadata.dtype, metadata.chunk_grid_shape)
    encoded = metadata.codec_pipeline.encode_chunk(sample)
    decoded = metadata.codec_pipeline.decode_chunk(encoded, metadata.chunk_grid_shape, key="k")
    np.testing.assert_array_equal(decoded, sample)
