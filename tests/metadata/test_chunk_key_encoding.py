"""Chunk keys: ``default`` and ``v2`` encodings with either separator, from JSON or users' flat dicts."""

from __future__ import annotations

import pytest

from zarrnb.errors import MetadataValidationError
from zarrnb.metadata import ChunkKeyEncoding, parse_chunk_key_encoding


@pytest.mark.parametrize(
    ("value", "coords", "key"),
    [
        (None, (1, 2), "c/1/2"),
        (None, (), "c"),
        ({"name": "default", "separator": "."}, (1, 2), "c.1.2"),
        ({"name": "default", "configuration": {"separator": "."}}, (3,), "c.3"),
        ({"name": "v2"}, (1, 2), "1.2"),
        ({"name": "v2", "configuration": {"separator": "/"}}, (1, 2), "1/2"),
        ({"name": "v2"}, (), "0"),
        ("v2", (4,), "4"),
    ],
)
def test_keys(value, coords: tuple[int, ...], key: str) -> None:
    assert parse_chunk_key_encoding(value).encode_chunk_key(coords) == key


def test_json_round_trip() -> None:
    encoding = ChunkKeyEncoding("v2", "/")
    assert parse_chunk_key_encoding(encoding.to_dict()) == encoding
    assert encoding.to_dict() == {"name": "v2", "configuration": {"separator": "/"}}


@pytest.mark.parametrize("value", [{"name": "hashed"}, {"name": "default", "separator": "-"}, 7])
def test_invalid_encodings_raise(value) -> None:
    with pytest.raises(MetadataValidationError, match="chunk_key_encoding"):
        parse_chunk_key_encoding(value, key="a/zarr.json")


def test_zarr_python_helper_names() -> None:
    from zarrnb.metadata.chunk_key_encoding import ChunkKeyEncodingParams, parse_separator

    assert parse_separator(".") == "." and ChunkKeyEncodingParams.__required_keys__ == frozenset({"name"})
    with pytest.raises(ValueError, match=r"Expected an '\.' or '/' separator\. Got x instead"):
        parse_separator("x")
