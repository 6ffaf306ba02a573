"""A consolidated root ``zarr.json`` decoded with its members' documents left as raw JSON.

``json.loads`` of a 10,000-array consolidated root builds some 600,000 objects that a listing never
looks at, and the cyclic collector then walks them for as long as the group lives. ``msgspec``
checks the whole document's syntax and hands each member's ``zarr.json`` object back as a ``Raw``
slice of the bytes (not a container: the collector never visits it). A plain format 3 array's stays
so and is parsed by ``json.loads`` of that slice when first used; any other member (a group's) is
``json.loads`` of its slice at once. Either way its values are exactly ``json``'s.

Only what ``json`` would decode the same way takes this path: a UTF-8 document whose root object
holds nothing but ``zarr_format``, ``node_type``, ``attributes`` and ``consolidated_metadata`` (and
that one ``kind``, ``must_understand`` and ``metadata``), a format 3 group. Anything else (``NaN``
literals, lone surrogate escapes, a byte-order mark, other fields, broken JSON) is parsed by
``json.loads`` as before, so its results and errors are json's own. The parts outside the members
are ``json.loads`` of their slices too. Pure code: no I/O.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec

from zarrnb.metadata.fastjson import loads

__all__ = ["RawDocument", "is_raw", "loads_node_document", "stored_form"]

RawDocument = msgspec.Raw  # one member's stored ``zarr.json`` object, as bytes not parsed yet
_ABSENT = msgspec.Raw()  # a field the document does not have (a present value is never empty)
_LISTING_KEY = b'"consolidated_metadata"'


class _Listing(msgspec.Struct, forbid_unknown_fields=True):
    metadata: dict[str, msgspec.Raw]
    kind: msgspec.Raw = _ABSENT
    must_understand: msgspec.Raw = _ABSENT


class _Root(msgspec.Struct, forbid_unknown_fields=True):
    consolidated_metadata: _Listing
    zarr_format: msgspec.Raw = _ABSENT
    node_type: msgspec.Raw = _ABSENT
    attributes: msgspec.Raw = _ABSENT


class _Head(msgspec.Struct):
    """What tells a member that is a plain format 3 array (other fields are skipped, not built)."""

    node_type: str = ""
    zarr_format: int = 0
    consolidated_metadata: msgspec.Raw = _ABSENT


_ROOT = msgspec.json.Decoder(_Root)
_HEAD = msgspec.json.Decoder(_Head)


def loads_node_document(data: bytes) -> Any:
    """``json.loads(data)`` of a node's ``zarr.json``, except that a consolidated format 3 group's plain
    format 3 array members stay ``RawDocument`` (see the module docstring for when). Errors are
    ``json.loads``'s own."""
    if _LISTING_KEY in data:
        found = _lazy_root(data)
        if found is not None:
            return found
    return loads(data)


def _lazy_root(data: bytes) -> dict[str, Any] | None:
    """The root with raw members, or None where only ``json.loads`` is sure to decode it as json does."""
    if not data.isascii():
        try:
            data.decode("utf-8")  # json also takes surrogates and a BOM: those go to json.loads
        except UnicodeDecodeError:
            return None
    try:
        root = _ROOT.decode(data)
        document = _fields(root, ("zarr_format", "node_type", "attributes"))
        if document.get("node_type") != "group" or document.get("zarr_format") != 3:
            return None
        listing = _fields(root.consolidated_metadata, ("kind", "must_understand"))
        members = root.consolidated_metadata.metadata
        for name, member in members.items():
            kept = _array_or_parsed(member)
            if kept is not member:
                members[name] = kept
    except (msgspec.DecodeError, ValueError, RecursionError):  # json's verdict is the one reported
        return None
    listing["metadata"] = members
    document["consolidated_metadata"] = listing
    return document


def _fields(decoded: msgspec.Struct, names: tuple[str, ...]) -> dict[str, Any]:
    """The present ones of ``names``, each ``json.loads`` of its raw slice."""
    raws = [(name, getattr(decoded, name)) for name in names]
    return {name: json.loads(bytes(raw)) for name, raw in raws if raw}  # empty: absent


def is_raw(document: Any) -> bool:
    """Whether ``document`` is a member left raw by ``loads_node_document``."""
    return type(document) is RawDocument


def _array_or_parsed(member: RawDocument) -> RawDocument | Any:
    """``member`` itself when it is a plain format 3 array's (``node_type`` "array", ``zarr_format`` 3,
    no nested listing): its parsing can wait. Anything else is ``json.loads`` of it, now."""
    try:
        head = _HEAD.decode(member)
    except msgspec.DecodeError:  # not an object, a field of another type, ...
        return json.loads(bytes(member))
    if head.node_type == "array" and head.zarr_format == 3 and not head.consolidated_metadata:
        return member
    return json.loads(bytes(member))


def stored_form(document: Any) -> Any:
    """A member's document as ``parse_node_metadata`` takes it: a raw one as its bytes (parsed there
    by ``json.loads``, an error naming the member's ``zarr.json``), a parsed one as it is."""
    return bytes(document) if type(document) is RawDocument else document
