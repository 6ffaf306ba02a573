"""Parsing v3 array ``zarr.json``: what zarr-python writes parses; what is wrong is named precisely."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
import zarr

from zarrnb.errors import (
    MetadataValidationError,
    NodeTypeValidationError,
    UnknownCodecError,
    UnsupportedDataTypeError,
)
from zarrnb.metadata import ArrayV3Metadata, parse_array_metadata


def zarr_document(**kwargs) -> dict:
    store: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        zarr.create_array(store, **{"shape": (6, 4), "chunks": (3, 2), "dtype": "float32", **kwargs})
    return json.loads(store["zarr.json"].to_bytes())


def parse(document: dict, path: str = "grp/arr") -> ArrayV3Metadata:
    return parse_array_metadata({"zarr.json": json.dumps(document).encode()}, path=path)


def test_parses_zarr_python_document_and_writes_it_back_unchanged() -> None:
    document = zarr_document(fill_value=np.nan, dimension_names=["y", "x"], attributes={"k": [1, "v"]})
    metadata = parse(document)
    assert metadata.shape == (6, 4) and metadata.chunks == (3, 2) and metadata.dtype == np.dtype("float32")
    assert np.isnan(metadata.fill_value) and metadata.dimension_names == ("y", "x")
    assert metadata.attributes == {"k": [1, "v"]} and metadata.shards is None and metadata.order == "C"
    assert json.loads(metadata.to_documents()["zarr.json"]) == document
    assert metadata.chunk_key((1, 0)) == "c/1/0" and metadata.grid_shape == (2, 2)


def test_with_shape_and_with_attributes_copy() -> None:
    metadata = parse(zarr_document())
    assert metadata.with_shape((10, 4)).shape == (10, 4) and metadata.shape == (6, 4)
    assert metadata.with_attributes({"a": 1}).attributes == {"a": 1} and metadata.attributes == {}


def _grid(chunk_shape: list[int]) -> dict:
    return {"name": "regular", "configuration": {"chunk_shape": chunk_shape}}


_TRANSPOSE_1D = {"name": "transpose", "configuration": {"order": [0]}}


@pytest.mark.parametrize(
    ("change", "error", "words"),
    [
        ({"data_type": "float128"}, UnsupportedDataTypeError, ["float128", "grp/arr/zarr.json"]),
        ({"data_type": {"name": "fancy"}}, UnsupportedDataTypeError, ["fancy"]),
        (
            {"codecs": [{"name": "bytes"}, {"name": "lzma9000"}]},
            UnknownCodecError,
            ["lzma9000", "arr/zarr.json"],
        ),
        ({"codecs": [{"name": "zstd"}]}, MetadataValidationError, ["array-to-bytes"]),
        ({"codecs": "bytes"}, MetadataValidationError, ["codecs"]),
        ({"chunk_grid": {"name": "rectilinear"}}, MetadataValidationError, ["rectilinear"]),
        ({"chunk_grid": _grid([-1, 2])}, MetadataValidationError, ["chunk_grid.chunk_shape"]),
        ({"chunk_grid": _grid([3])}, MetadataValidationError, ["chunk_grid.chunk_shape"]),
        (
            {"storage_transformers": [{"name": "shuffle_keys"}]},
            MetadataValidationError,
            ["shuffle_keys", "storage transformers are not supported in zarr-python"],  # its tests match it
        ),
        ({"node_type": "table"}, NodeTypeValidationError, ["node_type", "table"]),
        ({"zarr_format": 4}, MetadataValidationError, ["zarr_format"]),
        ({"shape": [6, -1]}, MetadataValidationError, ["shape"]),
        ({"fill_value": "lots"}, MetadataValidationError, ["fill_value", "lots"]),
        ({"fill_value": [1, 2]}, MetadataValidationError, ["fill_value"]),
        ({"dimension_names": ["x"]}, MetadataValidationError, ["dimension_names"]),
        ({"chunk_key_encoding": {"name": "hashed"}}, MetadataValidationError, ["chunk_key_encoding"]),
        ({"attributes": []}, MetadataValidationError, ["attributes"]),
        ({"extension": {"must_understand": True}}, MetadataValidationError, ["extension"]),
        ({"codecs": [_TRANSPOSE_1D, {"name": "bytes"}]}, MetadataValidationError, ["codecs"]),
    ],
)
def test_invalid_documents_raise_naming_field_and_key(change: dict, error: type, words: list[str]) -> None:
    document = {**zarr_document(), **change}
    with pytest.raises(error) as info:
        parse(document)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize(
    "field", ["shape", "data_type", "chunk_grid", "chunk_key_encoding", "fill_value", "codecs"]
)
def test_missing_required_field_is_named(field: str) -> None:
    document = zarr_document()
    del document[field]
    with pytest.raises(
        MetadataValidationError, match=rf"missing required field '{field}' in 'grp/arr/zarr.json'"
    ):
        parse(document)


def test_extension_fields_that_need_not_be_understood_are_accepted() -> None:
    metadata = parse({**zarr_document(), "my_extension": {"must_understand": False, "x": 1}})
    assert metadata.shape == (6, 4)


def test_malformed_json_names_the_key() -> None:
    with pytest.raises(MetadataValidationError, match=r"malformed JSON in 'a/zarr\.json'"):
        parse_array_metadata({"zarr.json": b"{not json"}, path="a")
    with pytest.raises(MetadataValidationError, match="expected a JSON object"):
        parse_array_metadata({"zarr.json": b"[1, 2]"}, path="a")


def test_hex_float_fill_values_are_read() -> None:
    metadata = parse({**zarr_document(), "fill_value": "0x7fc00001"})
    assert np.isnan(metadata.fill_value)
    assert metadata.fill_value.view("u4") == 0x7FC00001
    metadata = parse({**zarr_document(), "fill_value": "0x3f800000"})
    assert metadata.fill_value == np.float32(1.0)


def test_sharded_document_reports_inner_chunks_and_inner_codecs() -> None:
    document = zarr_document(shape=(8, 8), shards=(4, 8), chunks=(2, 2), compressors=zarr.codecs.GzipCodec())
    metadata = parse(document)
    assert (metadata.chunks, metadata.shards, metadata.chunk_grid_shape) == ((2, 2), (4, 8), (4, 8))
    assert repr(metadata.compressors) == "(GzipCodec(level=5),)"
    assert json.loads(metadata.to_documents()["zarr.json"]) == document
