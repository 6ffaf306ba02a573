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
    """A group's attributes and format (zarr-python's field order), and the ``ConsolidatedMetadata``
    listing of its hierarchy or None (the stored JSON object is parsed into one)."""

    attributes: dict[str, Any] = dataclasses.field(default_factory=dict)
    zarr_format: int = 3
    consolidated_metadata: Any = None
    node_type: Literal["group"] = dataclasses.field(init=False, default="group")

    def __post_init__(self) -> None:
        if self.zarr_format not in (2, 3):
            raise ValueError(f"Invalid value for 'zarr_format'. Expected 2 or 3. Got {self.zarr_format!r}.")
        if self.attributes is None:
            object.__setattr__(self, "attributes", {})
        if isinstance(self.consolidated_metadata, dict):  # the stored JSON object: a listing parsed lazily
            object.__setattr__(self, "consolidated_metadata", _parse_listing(self.consolidated_metadata, ""))

    def to_json(self) -> dict[str, Any]:
        """The v3 ``zarr.json`` or v2 ``.zgroup`` document, fields in zarr-python's order."""
        if self.zarr_format == 2:
            return {"zarr_format": 2}
        document: dict[str, Any] = {"attributes": self.attributes, "zarr_format": 3}
        if self.consolidated_metadata is not None:
            document["consolidated_metadata"] = self.consolidated_metadata.to_json()
        document["node_type"] = "group"
        return document

    def to_dict(self) -> dict[str, Any]:
        """zarr-python's ``to_dict``: attributes, format, node type and any consolidated listing."""
        document: dict[str, Any] = {"attributes": self.attributes, "zarr_format": self.zarr_format}
        if self.consolidated_metadata is not None:
            document["consolidated_metadata"] = self.consolidated_metadata.to_dict()
        document["node_type"] = "group"
        return document

    def to_buffer_dict(self, prototype: Any) -> dict[str, Any]:
        """The stored documents as buffers of ``prototype`` (zarr-python's writer); a format 2 group
        holding a listing adds its ``.zmetadata``."""
        documents = self.to_documents()
        if self.zarr_format == 2 and self.consolidated_metadata is not None:
            from zarrnb.metadata.consolidated import consolidated_documents

            documents.update(consolidated_documents(self, self.consolidated_metadata))
        return buffer_documents(documents, prototype)

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

    def with_consolidated_metadata(self, consolidated: Any) -> Self:
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
    if consolidated is not None:
        consolidated = _parse_listing(consolidated, key.removesuffix("zarr.json").rstrip("/"))
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


def _parse_listing(consolidated: dict[str, Any], path: str) -> Any:
    """A stored ``consolidated_metadata`` object as a ``ConsolidatedMetadata`` (entries parsed lazily)."""
    from zarrnb.metadata.consolidated import parse_v3_consolidated

    return parse_v3_consolidated(consolidated, path=path)
