"""Arrays with equal codec documents share one parsed codec list and bound pipeline (a listing of
thousands of arrays parses each distinct configuration once); anything different gets its own."""

from __future__ import annotations

import copy

import pytest

from zarrnb.errors import MetadataValidationError
from zarrnb.metadata.v3 import parse_v3_array_metadata

DOC = {
    "zarr_format": 3,
    "node_type": "array",
    "shape": [100, 200],
    "data_type": "float32",
    "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [10, 20]}},
    "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
    "fill_value": 0.0,
    "codecs": [
        {"name": "bytes", "configuration": {"endian": "little"}},
        {"name": "zstd", "configuration": {"level": 1, "checksum": False}},
    ],
    "attributes": {},
}


def _with(**changes: object) -> dict:
    doc = copy.deepcopy(DOC)
    doc.update(changes)
    return doc


def test_alike_arrays_share_the_pipeline_and_differing_ones_do_not() -> None:
    a = parse_v3_array_metadata(_with(shape=[100, 200]), key="a/zarr.json")
    b = parse_v3_array_metadata(_with(shape=[7, 200], attributes={"x": 1}), key="b/zarr.json")
    assert a.codec_pipeline is b.codec_pipeline
    assert b.shape == (7, 200) and b.attributes == {"x": 1}
    for other in (
        _with(fill_value=1.0),
        _with(data_type="float64"),
        _with(chunk_grid={"name": "regular", "configuration": {"chunk_shape": [5, 20]}}),
        _with(codecs=[{"name": "bytes", "configuration": {"endian": "big"}}]),
    ):
        assert parse_v3_array_metadata(other, key="c/zarr.json").codec_pipeline is not a.codec_pipeline


def test_a_bad_document_after_good_ones_still_names_its_own_key() -> None:
    parse_v3_array_metadata(_with(), key="good/zarr.json")
    bad = _with(codecs=[{"name": "zstd", "configuration": {"level": 1, "checksum": False}}])
    with pytest.raises(MetadataValidationError, match=r"bad/zarr\.json"):
        parse_v3_array_metadata(bad, key="bad/zarr.json")
    with pytest.raises(MetadataValidationError, match="fill_value"):
        parse_v3_array_metadata(_with(fill_value="nope"), key="worse/zarr.json")


def _outcome(document: dict, key: str) -> object:
    try:
        parsed = parse_v3_array_metadata(copy.deepcopy(document), key=key)
    except MetadataValidationError as exc:
        return type(exc), str(exc)
    return parsed.to_json(), parsed.attributes, parsed.chunks, type(parsed.fill_value)


@pytest.mark.parametrize(
    "changes",
    [
        {"shape": [5]},  # the chunk grid's dimensions no longer match
        {"shape": [2**62, 2**62]},  # too many elements to address
        {"shape": [0, 0], "attributes": {"a": [1]}},
        {"shape": [3, 4], "attributes": "x"},
        {"fill_value": -0.0},  # equal to 0.0, yet stored apart
        {"fill_value": 0},
        {"chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [10.0, 20]}}},
        {"codecs": [DOC["codecs"][0], {"name": "zstd", "configuration": {"level": True, "checksum": False}}]},
        {"dimension_names": ["y"]},
    ],
)
def test_shared_parts_give_what_a_first_parse_gives(changes: dict) -> None:
    import zarrnb.metadata.v3 as v3

    document = _with(**changes)
    v3._SHARED_PARTS.clear()
    v3._PARSED_CODECS.clear()
    first = _outcome(document, "x/zarr.json")
    parse_v3_array_metadata(_with(), key="warm/zarr.json")  # the memo now holds DOC's parts
    parse_v3_array_metadata(_with(dimension_names=["y", "x"]), key="warm/zarr.json")
    assert _outcome(document, "x/zarr.json") == first
    assert _outcome(document, "x/zarr.json") == first  # and again, from its own memo entry
