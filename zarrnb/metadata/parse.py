"""Parse the stored metadata documents of a node, whichever format and node type they hold."""

from __future__ import annotations

from typing import Any

from zarrnb.errors import (
    ArrayNotFoundError,
    ContainsArrayAndGroupError,
    GroupNotFoundError,
    MetadataValidationError,
    NodeNotFoundError,
    ZarrnbError,
)
from zarrnb.metadata.common import ArrayMetadata, loads_json
from zarrnb.metadata.group import GroupMetadata, parse_v2_group_metadata, parse_v3_group_metadata
from zarrnb.metadata.v2 import parse_v2_array_metadata
from zarrnb.metadata.v3 import parse_v3_array_metadata

__all__ = ["parse_array_metadata", "parse_group_metadata", "parse_node_metadata"]

# key ("zarr.json", ".zarray", ".zattrs", ".zgroup") -> bytes, a Buffer, None, or a document already parsed
# from JSON (a dict, as consolidated metadata holds them: no second JSON round trip)
Documents = dict[str, Any]


def _key(path: str, name: str) -> str:
    return f"{path.rstrip('/')}/{name}" if path else name


def _load(documents: Documents, name: str, path: str) -> dict[str, Any] | None:
    data = documents.get(name)
    if data is None or isinstance(data, dict):
        return data
    if hasattr(data, "to_bytes"):
        data = data.to_bytes()
    return loads_json(data, key=_key(path, name))


def parse_node_metadata(documents: Documents, *, path: str = "") -> ArrayMetadata | GroupMetadata:
    """The array or group metadata stored in ``documents`` (v3 ``zarr.json`` first, then v2)."""
    try:
        return _parse_node(documents, path)
    except ZarrnbError:
        raise
    except (TypeError, ValueError, LookupError, AttributeError, ArithmeticError, RecursionError) as exc:
        # a shape of document no field check foresaw: still an error naming the document
        names = [name for name in ("zarr.json", ".zarray", ".zgroup") if documents.get(name) is not None]
        where = _key(path, names[0]) if names else repr(path)
        reason = str(exc) or type(exc).__name__
        raise MetadataValidationError(
            f"malformed metadata in {where!r}: {type(exc).__name__}: {reason}"
        ) from exc


def _parse_node(documents: Documents, path: str) -> ArrayMetadata | GroupMetadata:
    v3 = _load(documents, "zarr.json", path)
    if v3 is not None:
        key = _key(path, "zarr.json")
        if v3.get("node_type") == "group":
            return parse_v3_group_metadata(v3, key=key)
        return parse_v3_array_metadata(v3, key=key)
    zarray, zgroup = _load(documents, ".zarray", path), _load(documents, ".zgroup", path)
    if zarray is not None and zgroup is not None:
        raise ContainsArrayAndGroupError(f"both .zarray and .zgroup exist at {path!r}")
    zattrs = _load(documents, ".zattrs", path)
    if zarray is not None:
        return parse_v2_array_metadata(zarray, zattrs, key=_key(path, ".zarray"))
    if zgroup is not None:
        return parse_v2_group_metadata(zgroup, zattrs, key=_key(path, ".zgroup"))
    raise NodeNotFoundError(f"no zarr.json, .zarray or .zgroup at {path!r}")


def parse_array_metadata(documents: Documents, *, path: str = "") -> ArrayMetadata:
    """The array metadata in ``documents``; a group or nothing there raises ``ArrayNotFoundError``."""
    try:
        metadata = parse_node_metadata(documents, path=path)
    except NodeNotFoundError:
        raise ArrayNotFoundError(f"no array metadata (zarr.json or .zarray) at {path!r}") from None
    if not isinstance(metadata, ArrayMetadata):
        raise ArrayNotFoundError(f"the node at {path!r} is a group, not an array")
    return metadata


def parse_group_metadata(documents: Documents, *, path: str = "") -> GroupMetadata:
    """The group metadata in ``documents``; an array or nothing there raises ``GroupNotFoundError``."""
    try:
        metadata = parse_node_metadata(documents, path=path)
    except NodeNotFoundError:
        raise GroupNotFoundError(f"no group metadata (zarr.json or .zgroup) at {path!r}") from None
    if not isinstance(metadata, GroupMetadata):
        raise GroupNotFoundError(f"the node at {path!r} is an array, not a group")
    return metadata
