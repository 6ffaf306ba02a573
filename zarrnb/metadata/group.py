"""Group metadata: v3 ``zarr.json`` with ``node_type: "group"``, or v2 ``.zgroup`` plus ``.zattrs``."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Literal, Self

from zarrnb.errors import MetadataValidationError, NodeTypeValidationError
from zarrnb.metadata.common import buffer_documents, dumps_json, parse_attributes, require

__all__ = ["GroupMetadata", "parse_node_type", "parse_v2_group_metadata", "parse_v3_group_metadata"]


def parse_node_type(data: object) -> Literal["array", "group"]:
    """'array' or 'group', or a ``MetadataValidationError``: a v3 ``zarr.json``'s ``node_type``."""
    if data in ("array", "group"):
        return data  # type: ignore[return-value]
    raise MetadataValidationError(
        f"Invalid value for 'node_type'. Expected 'array' or 'group'. Got '{data}'."
    )


@dataclasses.dataclass(frozen=True)
class GroupMetadata:
    """A group's attributes and format (zarr-python's field order); ``consolidated_metadata`` is the
    stored JSON object (or an object with ``to_dict``) or None."""

    attributes: dict[str, Any] = dataclasses.field(default_factory=dict)
    zarr_format: int = 3
    consolidated_metadata: Any = None

    node_type = "group"

    def __post_init__(self) -> None:
        if self.zarr_format not in (2, 3):
            raise ValueError(f"Invalid value for 'zarr_format'. Expected 2 or 3. Got {self.zarr_format!r}.")
        if self.attributes is None:
            object.__setattr__(self, "attributes", {})

    def to_json(self) -> dict[str, Any]:
        """The v3 ``zarr.json`` or v2 ``.zgroup`` document, fields in zarr-python's order."""
        if self.zarr_format == 2:
            return {"zarr_format": 2}
        document: dict[str, Any] = {"attributes": self.attributes, "zarr_format": 3}
        if self.consolidated_metadata is not None:
            document["consolidated_metadata"] = _consolidated_json(self.consolidated_metadata)
        document["node_type"] = "group"
        return document

    def to_dict(self) -> dict[str, Any]:
        """zarr-python's ``to_dict``: attributes, format, node type and any consolidated listing."""
        document: dict[str, Any] = {"attributes": self.attributes, "zarr_format": self.zarr_format}
        if self.consolidated_metadata is not None:
            document["consolidated_metadata"] = _consolidated_json(self.consolidated_metadata)
        document["node_type"] = "group"
        return document

    def to_buffer_dict(self, prototype: Any) -> dict[str, Any]:
        """The stored documents as buffers of ``prototype`` (zarr-python's writer)."""
        return buffer_documents(self.to_documents(), prototype)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """From ``to_dict``'s form (or a ``zarr.json``/``.zgroup`` document with ``attributes``)."""
        node_type = data.get("node_type", "group")
        if node_type != "group":
            raise NodeTypeValidationError(
                f"Invalid value for 'node_type'. Expected 'group'. Got '{node_type}'."
            )
        return cls(
            attributes=parse_attributes(data.get("attributes"), key="attributes"),
            zarr_format=data.get("zarr_format", 3),
            consolidated_metadata=data.get("consolidated_metadata"),
        )

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
    return GroupMetadata(parse_attributes(document.get("attributes"), key=key), 3, consolidated)


def parse_v2_group_metadata(
    zgroup: dict[str, Any], zattrs: dict[str, Any] | None, *, key: str
) -> GroupMetadata:
    """Validate and parse ``.zgroup`` (at ``key``) and its ``.zattrs``."""
    if zgroup.get("zarr_format") != 2:
        raise MetadataValidationError(
            f"field 'zarr_format' in {key!r} must be 2, got {zgroup.get('zarr_format')!r}"
        )
    return GroupMetadata(parse_attributes(zattrs, key=key), 2)


def _consolidated_json(consolidated: Any) -> dict[str, Any]:
    """A consolidated listing as JSON: stored JSON as is, an object through its ``to_dict``."""
    return consolidated.to_dict() if hasattr(consolidated, "to_dict") else consolidated
