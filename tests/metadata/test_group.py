"""Group documents are the ones zarr-python writes, in both formats, consolidated listings included."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import zarr

from zarrnb.errors import MetadataValidationError
from zarrnb.metadata import GroupMetadata, parse_group_metadata


def zarr_group_documents(zarr_format: int, attributes: dict, consolidate: bool = False) -> dict[str, dict]:
    store: dict = {}
    group = zarr.create_group(store, zarr_format=zarr_format, attributes=attributes)
    if consolidate:
        group.create_array("a", shape=(2,), dtype="i4")
        zarr.consolidate_metadata(store)
    names = ("zarr.json",) if zarr_format == 3 else (".zgroup", ".zattrs")
    return {name: store[name].to_bytes() for name in names}


@pytest.mark.parametrize("zarr_format", [2, 3])
@pytest.mark.parametrize("attributes", [{}, {"title": "é", "n": [1, None]}])
def test_documents_match_zarr_python(zarr_format: int, attributes: dict) -> None:
    expected = zarr_group_documents(zarr_format, attributes)
    metadata = GroupMetadata(zarr_format=zarr_format, attributes=attributes)
    assert metadata.to_documents() == expected
    assert parse_group_metadata(expected, path="g") == metadata


@pytest.mark.filterwarnings("ignore:Consolidated metadata")
def test_consolidated_metadata_is_kept_and_written_back() -> None:
    documents = zarr_group_documents(3, {}, consolidate=True)
    metadata = parse_group_metadata(documents)
    assert metadata.consolidated_metadata.kind == "inline"
    assert "a" in metadata.consolidated_metadata.metadata
    assert json.loads(metadata.to_documents()["zarr.json"]) == json.loads(documents["zarr.json"])
    assert metadata.with_consolidated_metadata(None).to_json() == {
        "attributes": {},
        "zarr_format": 3,
        "node_type": "group",
    }


def test_nan_attributes_round_trip_like_zarr_python() -> None:
    documents = zarr_group_documents(3, {"x": math.nan})
    assert GroupMetadata(attributes={"x": math.nan}).to_documents() == documents
    assert math.isnan(parse_group_metadata(documents).attributes["x"])


@pytest.mark.parametrize(
    ("documents", "words"),
    [
        ({".zgroup": b'{"zarr_format": 3}'}, ["zarr_format", ".zgroup"]),
        (
            {"zarr.json": b'{"zarr_format": 3, "node_type": "group", "consolidated_metadata": 5}'},
            ["consolidated"],
        ),
        ({"zarr.json": b'{"zarr_format": 2, "node_type": "group"}'}, ["zarr_format"]),
        ({"zarr.json": b'{"zarr_format": 3, "node_type": "group", "attributes": 1}'}, ["attributes"]),
    ],
)
def test_invalid_group_documents(documents: dict, words: list[str]) -> None:
    with pytest.raises(MetadataValidationError) as info:
        parse_group_metadata(documents, path="g")
    assert all(word in str(info.value) for word in words)


def test_numpy_values_in_attributes_are_written_as_json() -> None:
    attributes = {"i": np.int64(3), "a": np.arange(3), "f": np.float32(1.5), "b": np.bool_(True)}
    written = json.loads(GroupMetadata(attributes=attributes).to_documents()["zarr.json"])
    assert written["attributes"] == {"i": 3, "a": [0, 1, 2], "f": 1.5, "b": True}
    with pytest.raises(TypeError, match="object"):
        GroupMetadata(attributes={"o": object()}).to_documents()
