"""Shapes and chunks past what numpy can index are metadata errors naming the field; deep JSON too."""

from __future__ import annotations

import json
import time

import pytest

from zarrnb.errors import MetadataValidationError
from zarrnb.metadata import build_array_metadata, parse_array_metadata, parse_group_metadata


def _v2(shape, chunks, dtype="<i8") -> dict[str, bytes]:
    document = {
        "zarr_format": 2, "shape": shape, "chunks": chunks, "dtype": dtype, "fill_value": 0,
        "order": "C", "filters": None, "compressor": None,
    }  # fmt: skip
    return {".zarray": json.dumps(document).encode()}


def _v3(shape, chunks, dtype="int64") -> dict[str, bytes]:
    document = {
        "zarr_format": 3, "node_type": "array", "shape": shape, "data_type": dtype,
        "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": chunks}},
        "chunk_key_encoding": {"name": "default"}, "fill_value": 0, "codecs": [{"name": "bytes"}],
    }  # fmt: skip
    return {"zarr.json": json.dumps(document).encode()}


@pytest.mark.parametrize(
    ("shape", "chunks", "field"),
    [
        ([2**64, 4], [10, 4], "shape"),
        ([2**64, 0], [10, 4], "shape"),  # no elements, but an axis numpy cannot index
        ([2**62, 4], [10, 4], "shape"),  # 2**64 elements
        ([2**31, 2**31, 4], [1, 1, 1], "shape"),
        ([10, 4], [2**61, 4], "chunks"),  # one chunk of 2**66 bytes
        ([10, 4], [2**64, 1], "chunks"),
    ],
)
@pytest.mark.parametrize("fmt", [2, 3])
def test_unaddressable_shapes_and_chunks_name_the_field(shape, chunks, field, fmt: int) -> None:
    documents = _v2(shape, chunks) if fmt == 2 else _v3(shape, chunks)
    field = "chunk_grid.chunk_shape" if field == "chunks" and fmt == 3 else field
    key = "a/.zarray" if fmt == 2 else "a/zarr.json"
    with pytest.raises(MetadataValidationError, match=rf"'{field}' in '{key}'.*more than numpy can address"):
        parse_array_metadata(documents, path="a")


@pytest.mark.parametrize("fmt", [2, 3])
def test_the_largest_addressable_shape_still_parses(fmt: int) -> None:
    shape, chunks = [2**62, 1], [2**20, 1]
    metadata = parse_array_metadata(_v2(shape, chunks) if fmt == 2 else _v3(shape, chunks), path="")
    assert metadata.shape == (2**62, 1)


@pytest.mark.parametrize(
    "kwargs", [{"shape": (2**64,)}, {"shape": (2**40, 2**40)}, {"shape": 4, "chunks": 2**63}]
)
def test_building_metadata_applies_the_same_limits(kwargs) -> None:
    with pytest.raises(MetadataValidationError, match="more than numpy can address"):
        build_array_metadata(dtype="i4", **kwargs)


@pytest.mark.parametrize("name", ["zarr.json", ".zarray", ".zattrs", ".zgroup"])
def test_json_nested_100000_deep_is_a_metadata_error_naming_the_key(name: str) -> None:
    deep = b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    documents = {name: deep}
    if name == ".zattrs":
        documents[".zgroup"] = b'{"zarr_format": 2}'
    start = time.perf_counter()
    with pytest.raises(MetadataValidationError, match=rf"'g/{name}'.*nested too deeply"):
        parse_group_metadata(documents, path="g")
    assert time.perf_counter() - start < 1
