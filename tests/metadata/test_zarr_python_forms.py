"""zarr-python's metadata surface on zarrnb's classes: from_dict, to_dict, to_buffer_dict, its
constructor arguments and parse helpers, checked against zarr-python itself as the oracle."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
import zarr.core.group as zp_group
import zarr.core.metadata as zp_metadata

import zarrnb.config
from zarrnb.buffer import default_buffer_prototype
from zarrnb.dtype import Float64, UInt8
from zarrnb.errors import MetadataValidationError, NodeTypeValidationError, ZarrUserWarning
from zarrnb.metadata import ArrayV2Metadata, ArrayV3Metadata, GroupMetadata
from zarrnb.metadata.group import parse_node_type
from zarrnb.metadata.v3 import parse_dimension_names, parse_node_type_array, parse_zarr_format

V3_DOC: dict[str, Any] = {
    "zarr_format": 3,
    "node_type": "array",
    "shape": (4, 6),
    "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": (2, 3)}},
    "data_type": "float64",
    "chunk_key_encoding": {"name": "v2", "configuration": {"separator": "/"}},
    "codecs": (
        {"name": "bytes", "configuration": {"endian": "little"}},
        {"name": "gzip", "configuration": {"level": 1}},
    ),
    "fill_value": "NaN",
    "attributes": {"a": [1, 2]},
    "dimension_names": ("y", None),
    "storage_transformers": (),
}
V2_DOC: dict[str, Any] = {
    "zarr_format": 2,
    "shape": (4, 6),
    "chunks": (2, 3),
    "dtype": "<i2",
    "order": "F",
    "compressor": {"id": "zlib", "level": 3},
    "filters": [{"id": "delta", "dtype": "<i2"}],
    "fill_value": 7,
    "dimension_separator": "/",
    "attributes": {"units": "m"},
}


def _same_json(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    assert json.dumps(ours, sort_keys=True, allow_nan=True) == json.dumps(
        theirs, sort_keys=True, allow_nan=True
    )


def test_v3_from_dict_to_dict_matches_zarr_python() -> None:
    ours = ArrayV3Metadata.from_dict(V3_DOC).to_dict()
    _same_json(ours, zp_metadata.ArrayV3Metadata.from_dict(dict(V3_DOC)).to_dict())
    assert ours["shape"] == (4, 6) and ours["dimension_names"] == ("y", None)


def test_v2_from_dict_to_dict_matches_zarr_python() -> None:
    ours = ArrayV2Metadata.from_dict(V2_DOC).to_dict()
    assert ours == zp_metadata.ArrayV2Metadata.from_dict(dict(V2_DOC)).to_dict()


def test_v2_to_buffer_dict_matches_zarr_python() -> None:
    import zarr.core.buffer

    ours = ArrayV2Metadata.from_dict(V2_DOC).to_buffer_dict(default_buffer_prototype())
    theirs = zp_metadata.ArrayV2Metadata.from_dict(dict(V2_DOC)).to_buffer_dict(
        zarr.core.buffer.default_buffer_prototype()
    )
    assert {k: json.loads(v.to_bytes()) for k, v in ours.items()} == {
        k: json.loads(v.to_bytes()) for k, v in theirs.items()
    }


def test_zarr_python_constructor_arguments_equal_the_parsed_document() -> None:
    built = ArrayV3Metadata(
        shape=(4, 6),
        data_type=Float64(),
        chunk_grid={"name": "regular", "configuration": {"chunk_shape": (2, 3)}},
        chunk_key_encoding={"name": "v2", "configuration": {"separator": "/"}},
        fill_value=np.nan,
        codecs=V3_DOC["codecs"],
        attributes={"a": [1, 2]},
        dimension_names=("y", None),
    )
    assert built.to_dict() == ArrayV3Metadata.from_dict(V3_DOC).to_dict()
    assert built.chunks == (2, 3) and built.dtype == np.dtype("float64")
    v2 = ArrayV2Metadata(shape=(8,), dtype=Float64(), chunks=(8,), fill_value=0.0, order="C")
    assert v2 == ArrayV2Metadata.from_dict(
        {
            **V2_DOC,
            "shape": [8],
            "chunks": [8],
            "dtype": "<f8",
            "order": "C",
            "compressor": None,
            "filters": None,
            "fill_value": 0.0,
            "dimension_separator": ".",
            "attributes": {},
        }
    )


def test_extra_fields_need_must_understand_false() -> None:
    kept = {**V3_DOC, "ext": {"must_understand": False, "x": 1}}
    assert ArrayV3Metadata.from_dict(kept).to_dict()["ext"] == {"must_understand": False, "x": 1}
    written = json.loads(ArrayV3Metadata.from_dict(kept).to_documents()["zarr.json"])
    assert written["ext"] == {"must_understand": False, "x": 1}
    with pytest.raises(MetadataValidationError, match=r"disallowed extra fields:\['ext'\]"):
        ArrayV3Metadata.from_dict({**V3_DOC, "ext": {"must_understand": True}})
    with pytest.raises(ValueError, match=r"\['shape'\] are invalid"):
        ArrayV3Metadata(
            shape=(1,),
            data_type=UInt8(),
            chunk_grid={"name": "regular", "configuration": {"chunk_shape": (1,)}},
            chunk_key_encoding=None,
            fill_value=0,
            codecs=[{"name": "bytes"}],
            extra_fields={"shape": (1,)},
        )


def test_invalid_fill_value_is_a_type_error_naming_it() -> None:
    with pytest.raises(TypeError, match="Invalid fill_value: 'foo'"):
        ArrayV3Metadata.from_dict({**V3_DOC, "fill_value": "foo"})


def test_empty_v2_filters_warn() -> None:
    with pytest.warns(ZarrUserWarning, match="empty list of filters"):
        ArrayV2Metadata.from_dict({**V2_DOC, "filters": []})


@pytest.mark.parametrize("indent", [None, 4])
def test_json_indent_setting_shapes_written_documents(indent: int | None) -> None:
    with zarrnb.config.set({"json_indent": indent}):
        data = GroupMetadata().to_buffer_dict(default_buffer_prototype())["zarr.json"].to_bytes()
    assert data == json.dumps(json.loads(data), indent=indent).encode()


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_group_to_dict_matches_zarr_python(zarr_format: int) -> None:
    ours = GroupMetadata(attributes={"k": 1}, zarr_format=zarr_format)
    assert ours.to_dict() == zp_group.GroupMetadata(attributes={"k": 1}, zarr_format=zarr_format).to_dict()
    assert GroupMetadata.from_dict(ours.to_dict()) == ours


def test_parse_helpers_raise_zarr_pythons_errors() -> None:
    assert parse_node_type("group") == "group" and parse_node_type_array("array") == "array"
    assert parse_zarr_format(3) == 3
    with pytest.raises(MetadataValidationError, match=r"Expected 'array' or 'group'\. Got 'x'"):
        parse_node_type("x")
    with pytest.raises(NodeTypeValidationError, match=r"Expected 'array'\. Got 'group'"):
        parse_node_type_array("group")
    with pytest.raises(MetadataValidationError, match=r"Expected '3'\. Got '2'"):
        parse_zarr_format(2)
    assert parse_dimension_names(["a", None]) == ("a", None) and parse_dimension_names(None) is None
    with pytest.raises(TypeError, match="iterable of str"):
        parse_dimension_names([1])


def test_metadata_equality_is_by_document() -> None:
    import zarrnb
    from zarrnb.codecs import BloscCodec, TransposeCodec

    store: dict[str, Any] = {}
    made = zarrnb.create_array(
        store, shape=(16, 16), chunks=(8, 8), shards=(16, 16), dtype="i4", fill_value=0,
        filters=[TransposeCodec(order=(1, 0))], compressors=BloscCodec(),
    )  # fmt: skip
    assert made.metadata == zarrnb.open_array(store, mode="r").metadata  # typesize/shuffle filled on write
    nan = zarrnb.create_array({}, shape=(2,), dtype="f8", fill_value=np.nan)
    assert nan.metadata == ArrayV3Metadata.from_dict(nan.metadata.to_json())
    assert nan.metadata != nan.metadata.with_attributes({"a": 1})


@pytest.mark.parametrize(
    ("chunks", "match"),
    [
        ((9,), r"needs to be divisible by the shard's inner `chunk_shape` \(got \(9,\)\)"),
        ((8,), "same number"),
    ],
)
def test_sharded_inner_chunks_are_checked_as_given(chunks: tuple[int, ...], match: str) -> None:
    import zarrnb

    with pytest.raises(ValueError, match=match):
        zarrnb.create_array({}, shape=(16, 16), shards=(16, 16), chunks=chunks, dtype="u1")


def test_codecs_validate_against_the_array_before_the_list_is_judged() -> None:
    from zarrnb.codecs import BytesCodec, TransposeCodec

    with pytest.raises(ValueError, match="The `order` tuple must have as many entries"):
        ArrayV3Metadata(
            shape=(16,),
            data_type=UInt8(),
            chunk_grid={"name": "regular", "configuration": {"chunk_shape": (16,)}},
            chunk_key_encoding=None,
            fill_value=0,
            codecs=(BytesCodec(), TransposeCodec(order=(1, 0))),
        )
