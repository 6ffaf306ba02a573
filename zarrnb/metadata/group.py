"""Group metadata: v3 ``zarr.json`` with ``node_type: "group"``, or v2 ``.zgroup`` plus ``.zattrs``."""

from __future__ import annotations

import dataclasses
from typing import Any, Self

from zarrnb.errors import MetadataValidationError, NodeTypeValidationError
from zarrnb.metadata.common import dumps_json, parse_attributes, require

__all__ = ["GroupMetadata", "parse_v2_group_metadata", "parse_v3_group_metadata"]


@dataclasses.dataclass(frozen=True)
class GroupMetadata:
    """A group's format and attributes; ``consolidated_metadata`` is the stored JSON object or None."""

    zarr_format: int = 3
    attributes: dict[str, Any] = dataclasses.field(default_factory=dict)
    consolidated_metadata: dict[str, Any] | None = None

    node_type = "group"

    def to_json(self) -> dict[str, Any]:
        """The v3 ``zarr.json`` or v2 ``.zgroup`` document, fields in zarr-python's order."""
        if self.zarr_format == 2:
            return {"zarr_format": 2}
        document: dict[str, Any] = {"attributes": self.attributes, "zarr_format": 3}
        if self.consolidated_metadata is not None:
            document["consolidated_metadata"] = self.consolidated_metadata
        document["node_type"] = "group"
        return document

    def to_documents(self) -> dict[str, bytes]:
        """The documents to store, by key relative to the group."""
        if self.zarr_format == 2:
            return {".zgroup": dumps_json(self.to_json()), ".zattrs": dumps_json(self.attributes)}
        return {"zarr.json": dumps_json(self.to_json())}

    def with_attributes(self, attributes: dict[str, Any]) -> Self:
        """A copy with other attributes."""
        return dataclasses.replace(self, attributes=dict(attributes))

    def with_consolidated_metadata(self, consolidated: dict[str, Any] | None) -> Self:
        """A copy holding (or, with None, dropping) a consolidated listing."""
        return dataclasses.replace(self, consolidated_metadata=consolidated)


def parse_v3_group_metadata(document: dict[str, Any], *, key: str) -> GroupMetadata:
    """Validate and parse a group ``zarr.json``."""
    if document.get("zarr_format") != 3:
        raise MetadataValidationError(
            f"field 'zarr_format' in {key!r} must be 3, got {document.get('zarr_format')!r}"
        )
    node_type = require(document, "node_type", key=key)
    if node_type != "group":
        raise NodeTypeValidationError(f"field 'node_type' in {key!r} must be 'group', got {node_type!r}")
    consolidated = document.get("consolidated_metadata")
    if consolidated is not None and not isinstance(consolidated, dict):
        raise MetadataValidationError(
            f"malformed field 'consolidated_metadata' in {key!r}: expected an object"
        )
    return GroupMetadata(3, parse_attributes(document.get("attributes"), key=key), consolidated)


def parse_v2_group_metadata(
    zgroup: dict[str, Any], zattrs: dict[str, Any] | None, *, key: str
) -> GroupMetadata:
    """Validate and parse ``.zgroup`` (at ``key``) and its ``.zattrs``."""
    if zgroup.get("zarr_format") != 2:
        raise MetadataValidationError(
            f"field 'zarr_format' in {key!r} must be 2, got {zgroup.get('zarr_format')!r}"
        )
    return GroupMetadata(2, parse_attributes(zattrs, key=key))
