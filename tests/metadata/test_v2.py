"""Parsing v2 ``.zarray``/``.zattrs``: what zarr-python writes parses; errors name the field and key."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
import zarr

from zarrnb.errors import MetadataValidationError, UnknownCodecError, UnsupportedDataTypeError
from zarrnb.metadata import ArrayV2Metadata, parse_array_metadata


def zarr_documents(**kwargs) -> dict[str, dict]:
    store: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        zarr.create_array(
            store, zarr_format=2, **{"shape": (6, 4), "chunks": (3, 2), "dtype": ">f8", **kwargs}
        )
    return {k: json.loads(store[k].to_bytes()) for k in (".zarray", ".zattrs")}


def parse(zarray: dict, zattrs: dict | None = None, path: str = "arr") -> ArrayV2Metadata:
    documents = {".zarray": json.dumps(zarray).encode(), ".zattrs": json.dumps(zattrs or {}).encode()}
    return parse_array_metadata(documents, path=path)


def test_parses_zarr_python_documents_and_writes_them_back_unchanged() -> None:
    documents = zarr_documents(attributes={"a": 1}, order="F", fill_value=-np.inf)
    metadata = parse(documents[".zarray"], documents[".zattrs"])
    assert metadata.dtype == np.dtype(">f8") and metadata.order == "F" and metadata.fill_value == -np.inf
    assert metadata.attributes == {"a": 1} and metadata.chunk_key((1, 1)) == "1.1"
    assert repr(metadata.compressors) == "(Zstd(level=0),)" and metadata.serializer is None
    written = {k: json.loads(v) for k, v in metadata.to_documents().items()}
    assert written == documents


def test_null_fill_value_stays_none_reads_as_default_and_is_written_back_as_null() -> None:
    zarray = {**zarr_documents()[".zarray"], "fill_value": None}
    metadata = parse(zarray)
    assert metadata.fill_value is None and metadata.chunk_fill_value == 0
    assert json.loads(metadata.to_documents()[".zarray"])["fill_value"] is None


def test_v2_metadata_has_no_dimension_names_attribute() -> None:
    # xarray chooses its v3 code path when the attribute exists at all
    zarray = zarr_documents()[".zarray"]
    metadata = parse(zarray, {"_ARRAY_DIMENSIONS": ["y", "x"]})
    assert not hasattr(metadata, "dimension_names")
    assert metadata.dimension_labels == ("y", "x")


def test_zero_dimensional_chunk_key_and_slash_separator() -> None:
    assert parse(zarr_documents(shape=(), chunks=())[".zarray"]).chunk_key(()) == "0"
    zarray = {**zarr_documents()[".zarray"], "dimension_separator": "/"}
    assert parse(zarray).chunk_key((2, 0)) == "2/0"
    del zarray["dimension_separator"]  # older writers omit it: "." is meant
    assert parse(zarray).chunk_key((2, 0)) == "2.0"


@pytest.mark.parametrize(
    ("change", "error", "words"),
    [
        ({"dtype": "<q16"}, UnsupportedDataTypeError, ["<q16", "arr/.zarray"]),
        ({"dtype": 7}, UnsupportedDataTypeError, ["7", "arr/.zarray"]),
        ({"dtype": "|O"}, UnsupportedDataTypeError, ["vlen-utf8"]),
        ({"compressor": {"id": "snappy-ultra"}}, UnknownCodecError, ["snappy-ultra", "arr/.zarray"]),
        ({"compressor": "zstd"}, MetadataValidationError, ["compressor"]),
        ({"filters": [{"id": "nonesuch"}]}, UnknownCodecError, ["nonesuch", "filters"]),
        ({"filters": {"id": "delta"}}, MetadataValidationError, ["filters"]),
        ({"order": "K"}, MetadataValidationError, ["order"]),
        ({"chunks": [3]}, MetadataValidationError, ["chunks"]),
        ({"chunks": [3, -1]}, MetadataValidationError, ["chunks"]),
        ({"zarr_format": 3}, MetadataValidationError, ["zarr_format"]),
        ({"dimension_separator": "-"}, MetadataValidationError, ["dimension_separator"]),
        ({"fill_value": "zero"}, MetadataValidationError, ["fill_value"]),
    ],
)
def test_invalid_zarray_raises_naming_field_and_key(change: dict, error: type, words: list[str]) -> None:
    with pytest.raises(error) as info:
        parse({**zarr_documents()[".zarray"], **change})
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize("field", ["shape", "chunks", "dtype", "compressor", "fill_value", "order"])
def test_missing_required_field_is_named(field: str) -> None:
    zarray = zarr_documents()[".zarray"]
    del zarray[field]
    with pytest.raises(MetadataValidationError, match=rf"missing required field '{field}' in 'arr/\.zarray'"):
        parse(zarray)


def test_malformed_zattrs_is_named() -> None:
    documents = {".zarray": json.dumps(zarr_documents()[".zarray"]).encode(), ".zattrs": b"{oops"}
    with pytest.raises(MetadataValidationError, match=r"arr/\.zattrs"):
        parse_array_metadata(documents, path="arr")
