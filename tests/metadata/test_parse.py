"""Finding what a node is from its documents: v3 first, then v2; arrays vs groups."""

from __future__ import annotations

import pytest

from zarrnb.errors import (
    ArrayNotFoundError,
    ContainsArrayAndGroupError,
    GroupNotFoundError,
    NodeNotFoundError,
)
from zarrnb.metadata import (
    ArrayMetadata,
    GroupMetadata,
    build_array_metadata,
    parse_array_metadata,
    parse_group_metadata,
    parse_node_metadata,
)

ARRAY_V2 = build_array_metadata(shape=(2,), dtype="i2", zarr_format=2).to_documents()
ARRAY_V3 = build_array_metadata(shape=(2,), dtype="i2").to_documents()
GROUP_V2 = GroupMetadata(zarr_format=2, attributes={"a": 1}).to_documents()
GROUP_V3 = GroupMetadata(attributes={"a": 1}).to_documents()


@pytest.mark.parametrize("documents", [ARRAY_V2, ARRAY_V3])
def test_arrays(documents: dict[str, bytes]) -> None:
    assert isinstance(parse_node_metadata(documents, path="x"), ArrayMetadata)
    assert parse_array_metadata(documents, path="x").shape == (2,)
    with pytest.raises(GroupNotFoundError, match="'x' is an array"):
        parse_group_metadata(documents, path="x")


@pytest.mark.parametrize("documents", [GROUP_V2, GROUP_V3])
def test_groups(documents: dict[str, bytes]) -> None:
    metadata = parse_group_metadata(documents, path="g")
    assert metadata.attributes == {"a": 1} and parse_node_metadata(documents, path="g") == metadata
    with pytest.raises(ArrayNotFoundError, match="'g' is a group"):
        parse_array_metadata(documents, path="g")


def test_v3_wins_over_v2_and_missing_documents_raise() -> None:
    assert parse_node_metadata({**GROUP_V2, **ARRAY_V3}).zarr_format == 3
    with pytest.raises(NodeNotFoundError, match="'nowhere'"):
        parse_node_metadata({"zarr.json": None}, path="nowhere")
    with pytest.raises(ArrayNotFoundError):
        parse_array_metadata({}, path="nowhere")
    with pytest.raises(ContainsArrayAndGroupError, match="'both'"):
        parse_node_metadata({**ARRAY_V2, **GROUP_V2}, path="both")


def test_buffers_are_accepted_as_documents() -> None:
    from zarrnb.core.buffer import Buffer

    documents = {key: Buffer.from_bytes(value) for key, value in ARRAY_V3.items()}
    assert parse_array_metadata(documents).shape == (2,)
