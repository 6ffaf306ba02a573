"""``DeferredArrayV3Metadata``: a consolidated listing's array metadata, parsed on first use and then
indistinguishable from metadata parsed at once (type, equality, copies, pickles, documents)."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle

import pytest

from zarrnb.errors import MetadataValidationError
from zarrnb.metadata import ArrayV3Metadata, GroupMetadata
from zarrnb.metadata.consolidated import DeferredArrayV3Metadata, parse_v3_consolidated
from zarrnb.metadata.parse import parse_node_metadata

DOCUMENT = {
    "shape": [10, 4],
    "data_type": "float32",
    "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [5, 4]}},
    "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
    "fill_value": -0.0,
    "codecs": [
        {"name": "bytes", "configuration": {"endian": "little"}},
        {"name": "zstd", "configuration": {"level": 1, "checksum": False}},
    ],
    "attributes": {"units": "m"},
    "dimension_names": ["y", "x"],
    "zarr_format": 3,
    "node_type": "array",
    "storage_transformers": [],
}


def _parsed() -> ArrayV3Metadata:
    return parse_node_metadata({"zarr.json": json.loads(json.dumps(DOCUMENT))}, path="g/a")


def _deferred(**changes: object) -> DeferredArrayV3Metadata:
    return DeferredArrayV3Metadata({**json.loads(json.dumps(DOCUMENT)), **changes}, "g/a")


def test_the_first_use_parses_it_into_plain_metadata() -> None:
    meta = _deferred()
    assert type(meta) is DeferredArrayV3Metadata
    assert isinstance(meta, ArrayV3Metadata) and not isinstance(meta, GroupMetadata)
    assert meta.zarr_format == 3 and meta.node_type == "array"
    assert type(meta) is DeferredArrayV3Metadata  # neither needs the document parsed
    assert meta.shape == (10, 4)
    assert type(meta) is ArrayV3Metadata
    plain = _parsed()
    assert meta == plain and plain == meta
    assert meta.to_json() == plain.to_json() and repr(meta) == repr(plain)
    assert meta.codec_pipeline is plain.codec_pipeline  # equal arrays share one bound pipeline


@pytest.mark.parametrize(
    "use",
    [
        lambda meta: meta == _parsed(),
        lambda meta: _parsed() == meta,
        lambda meta: copy.copy(meta),
        lambda meta: copy.deepcopy(meta),
        lambda meta: pickle.loads(pickle.dumps(meta)),
        lambda meta: dataclasses.replace(meta, attributes={}),
        repr,
        lambda meta: meta.to_json(),
    ],
)
def test_every_use_sees_parsed_metadata(use) -> None:
    result = use(_deferred())
    if isinstance(result, ArrayV3Metadata):
        assert type(result) is ArrayV3Metadata
        assert result.to_json() | {"attributes": {}} == _parsed().to_json() | {"attributes": {}}
    elif isinstance(result, bool):
        assert result
    else:
        assert result in (repr(_parsed()), _parsed().to_json())


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"shape": "oops"}, r"'shape' in 'g/a/zarr\.json'"),
        ({"chunk_grid": {"name": "rectilinear"}}, r"'rectilinear' in 'g/a/zarr\.json'"),
        ({"codecs": [{"name": "no-such-codec"}]}, r"g/a/zarr\.json"),
        ({"fill_value": "x"}, r"g/a/zarr\.json"),
        ({"extra": 1}, r"'extra' in 'g/a/zarr\.json'"),
    ],
)
def test_a_broken_document_raises_at_each_use_naming_its_key(changes: dict, match: str) -> None:
    meta = _deferred(**changes)
    for _ in range(2):
        with pytest.raises(MetadataValidationError, match=match):
            meta.shape  # noqa: B018
    with pytest.raises(MetadataValidationError, match=match):
        meta == _parsed()  # noqa: B015
    with pytest.raises(MetadataValidationError, match=match):
        pickle.dumps(meta)
    assert type(meta) is DeferredArrayV3Metadata


def test_a_listing_defers_arrays_only_and_lookups_by_name_validate() -> None:
    listing = parse_v3_consolidated(
        {
            "kind": "inline",
            "metadata": {
                "a": json.loads(json.dumps(DOCUMENT)),
                "bad": {**DOCUMENT, "shape": "oops"},
                "g": {"zarr_format": 3, "node_type": "group", "attributes": {}},
            },
        },
        path="",
    )
    listed = dict(listing.listed())
    assert type(listed["a"]) is DeferredArrayV3Metadata and type(listed["bad"]) is DeferredArrayV3Metadata
    assert isinstance(listed["g"], GroupMetadata) and listed["g"].consolidated_metadata is not None
    assert listing.to_json()["metadata"]["bad"]["shape"] == "oops"  # written back as stored, unparsed
    assert type(listed["a"]) is DeferredArrayV3Metadata
    assert listing.flat["a"] is listed["a"] and type(listed["a"]) is ArrayV3Metadata
    with pytest.raises(MetadataValidationError, match=r"'bad/zarr\.json'"):
        listing.flat["bad"]


@pytest.mark.parametrize(
    "entry",
    [
        {**DOCUMENT, "zarr_format": 2},
        {**DOCUMENT, "node_type": "banana"},
        {key: value for key, value in DOCUMENT.items() if key != "zarr_format"},
    ],
)
def test_a_listing_parses_at_once_what_is_not_plainly_a_format_3_array(entry: dict) -> None:
    listing = parse_v3_consolidated({"kind": "inline", "metadata": {"a": entry}}, path="")
    with pytest.raises(MetadataValidationError, match=r"'a/zarr\.json'"):
        listing.listed()


def test_threads_using_it_at_once_all_see_it_parsed() -> None:
    import threading

    meta = _deferred()
    start = threading.Barrier(8)
    seen: list[object] = []

    def use() -> None:
        start.wait()
        seen.append((meta.shape, meta.chunks, meta.dimension_names))

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [((10, 4), (5, 4), ("y", "x"))] * 8 and type(meta) is ArrayV3Metadata
