"""Consolidated metadata: every node's metadata of a hierarchy in one document.

Zarr format 2 keeps it in ``.zmetadata`` beside the root group; zarr-python's format 3 form
lives inside the root ``zarr.json`` under ``consolidated_metadata``. Both are read and written
here as zarr-python does, so each library reads what the other wrote. Pure code: no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from zarrnb.errors import MetadataValidationError
from zarrnb.metadata import ArrayMetadata, GroupMetadata, parse_node_metadata

__all__ = [
    "V2_CONSOLIDATED_KEY",
    "ConsolidatedMetadata",
    "LazyNodes",
    "NodeMetadata",
    "consolidated_documents",
    "consolidated_json",
    "parse_v2_consolidated",
    "parse_v3_consolidated",
]

NodeMetadata = ArrayMetadata | GroupMetadata
V2_CONSOLIDATED_KEY = ".zmetadata"
_V2_NODE_KEYS = (".zarray", ".zgroup", ".zattrs")


class LazyNodes(Mapping[str, NodeMetadata]):
    """Node metadata parsed on first access, in stored order: opening a consolidated hierarchy of
    10,000 arrays parses only the entries a caller touches (a browser's first page, one member)."""

    def __init__(self, documents: dict[str, dict[str, Any]], path: str) -> None:
        self._documents = documents  # node path -> its documents ({"zarr.json": ...} or v2's)
        self._path = path
        self._parsed: dict[str, NodeMetadata] = {}

    def __getitem__(self, name: str) -> NodeMetadata:
        found = self._parsed.get(name)
        if found is None:
            found = parse_node_metadata(self._documents[name], path=_join(self._path, name))
            self._parsed[name] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._documents)

    def __len__(self) -> int:
        return len(self._documents)

    def __contains__(self, name: object) -> bool:
        return name in self._documents

    def node_type(self, name: str) -> str:
        """'array' or 'group' for ``name``, read from its document without parsing it."""
        documents = self._documents[name]
        if "zarr.json" in documents:
            return str(documents["zarr.json"].get("node_type"))
        return "array" if ".zarray" in documents else "group"


@dataclass(frozen=True)
class ConsolidatedMetadata:
    """The metadata of every node below a group, keyed by path relative to that group."""

    metadata: Mapping[str, NodeMetadata] = field(default_factory=dict)
    kind: str = "inline"
    must_understand: bool = False

    def children(self) -> Iterator[tuple[str, NodeMetadata]]:
        """The direct children, in stored order."""
        return ((name, meta) for name, meta in self.metadata.items() if "/" not in name)

    def scoped(self, name: str) -> ConsolidatedMetadata:
        """The entries below the child group ``name``, keyed relative to it."""
        prefix = name + "/"
        inner = {k[len(prefix) :]: v for k, v in self.metadata.items() if k.startswith(prefix)}
        return ConsolidatedMetadata(inner, self.kind, self.must_understand)

    def without(self, name: str) -> ConsolidatedMetadata:
        """A copy with the node ``name`` and everything below it removed."""
        prefix = name + "/"
        kept = {k: v for k, v in self.metadata.items() if k != name and not k.startswith(prefix)}
        return ConsolidatedMetadata(kept, self.kind, self.must_understand)

    def with_node(self, name: str, metadata: NodeMetadata) -> ConsolidatedMetadata:
        """A copy that also lists ``name`` (replacing any subtree there)."""
        kept = self.without(name).metadata
        return ConsolidatedMetadata({**kept, name: metadata}, self.kind, self.must_understand)

    def node_types(self) -> dict[str, str]:
        """Every path and whether it is an 'array' or a 'group', parsing nothing not yet parsed."""
        if isinstance(self.metadata, LazyNodes):
            return {name: self.metadata.node_type(name) for name in self.metadata}
        parsed = self.metadata.items()
        return {name: "group" if isinstance(meta, GroupMetadata) else "array" for name, meta in parsed}

    def counts(self) -> tuple[int, int, int]:
        """(members, arrays, groups) over the whole hierarchy, as ``Group.info`` prints them."""
        groups = sum(kind == "group" for kind in self.node_types().values())
        return len(self.metadata), len(self.metadata) - groups, groups


def _json(data: bytes | str, key: str) -> Any:
    try:
        return json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise MetadataValidationError(f"{key!r} holds malformed JSON: {err}") from err


def _encode(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, indent=2).encode()


def _join(path: str, name: str) -> str:
    return f"{path}/{name}" if path else name


def _flatten_v3(entries: Mapping[str, Any], prefix: str, key: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Entries in flat form; nested ``consolidated_metadata`` of child groups is folded in."""
    for name, document in entries.items():
        if not isinstance(document, dict):
            raise MetadataValidationError(f"{key!r}: consolidated entry {name!r} is not an object")
        document = dict(document)
        nested = document.pop("consolidated_metadata", None)
        yield prefix + name, document
        if nested and nested.get("metadata"):
            yield from _flatten_v3(nested["metadata"], prefix + name + "/", key)


def parse_v3_consolidated(consolidated: dict[str, Any], *, path: str) -> ConsolidatedMetadata:
    """Parse the ``consolidated_metadata`` object of a format 3 group at ``path``."""
    key = _join(path, "zarr.json")
    kind = consolidated.get("kind", "inline")
    if kind != "inline":
        raise MetadataValidationError(f"{key!r}: consolidated metadata kind {kind!r} is not 'inline'")
    entries = consolidated.get("metadata")
    if not isinstance(entries, dict):
        raise MetadataValidationError(f"{key!r}: consolidated 'metadata' must be an object")
    documents = {name: {"zarr.json": document} for name, document in _flatten_v3(entries, "", key)}
    return ConsolidatedMetadata(
        LazyNodes(documents, path), kind, bool(consolidated.get("must_understand", False))
    )


def parse_v2_consolidated(data: bytes, *, path: str) -> ConsolidatedMetadata:
    """Parse the ``.zmetadata`` document of a format 2 group at ``path``."""
    key = _join(path, V2_CONSOLIDATED_KEY)
    document = _json(data, key)
    if not isinstance(document, dict) or not isinstance(document.get("metadata"), dict):
        raise MetadataValidationError(f"{key!r}: expected an object with a 'metadata' object")
    version = document.get("zarr_consolidated_format")
    if version != 1:
        raise MetadataValidationError(f"{key!r}: unsupported zarr_consolidated_format {version!r}")
    nodes: dict[str, dict[str, Any]] = {}
    for entry, value in document["metadata"].items():
        node, _, name = entry.rpartition("/")
        if name not in _V2_NODE_KEYS or not node:
            continue
        if name == ".zgroup" and isinstance(value, dict):
            # zarr-python 3.1 writes a stray 'consolidated_metadata' into child .zgroup entries
            value = {k: v for k, v in value.items() if k != "consolidated_metadata"}
        if not isinstance(value, dict):
            raise MetadataValidationError(f"{key!r}: entry {entry!r} is not an object")
        nodes.setdefault(node, {})[name] = value
    listed = {node: docs for node, docs in nodes.items() if ".zarray" in docs or ".zgroup" in docs}
    return ConsolidatedMetadata(LazyNodes(listed, path))


def _member_entry(meta: NodeMetadata, document: dict[str, Any]) -> dict[str, Any]:
    """A member's entry as zarr-python 3.1 writes it: a group's carries an empty inline block.

    zarr-python consolidates every member group too, then flattens their listings into the
    root's, leaving each member group ``{"kind": "inline", "must_understand": false, "metadata": {}}``
    (in ``.zmetadata``'s ``.zgroup`` entries as well); written alike, the documents are equal.
    """
    if isinstance(meta, GroupMetadata):
        document["consolidated_metadata"] = {"kind": "inline", "must_understand": False, "metadata": {}}
    return document


def consolidated_json(consolidated: ConsolidatedMetadata) -> dict[str, Any]:
    """The format 3 ``consolidated_metadata`` object, each entry a node's ``zarr.json`` document."""
    return {
        "kind": consolidated.kind,
        "must_understand": consolidated.must_understand,
        "metadata": {
            name: _member_entry(meta, _json(meta.to_documents()["zarr.json"], _join(name, "zarr.json")))
            for name, meta in consolidated.metadata.items()
        },
    }


def consolidated_documents(group: GroupMetadata, consolidated: ConsolidatedMetadata) -> dict[str, bytes]:
    """The documents that record ``consolidated`` for a root group with metadata ``group``.

    Format 3: the root ``zarr.json`` with a ``consolidated_metadata`` object.
    Format 2: ``.zmetadata`` holding every ``.zgroup``/``.zarray``/``.zattrs`` of the hierarchy.
    """
    if group.zarr_format == 3:
        return group.with_consolidated_metadata(consolidated_json(consolidated)).to_documents()
    entries: dict[str, Any] = {k: _json(v, k) for k, v in group.to_documents().items()}
    for name, meta in consolidated.metadata.items():
        for doc_key, value in meta.to_documents().items():
            document = _json(value, _join(name, doc_key))
            if doc_key == ".zgroup":
                document = _member_entry(meta, document)
            entries[_join(name, doc_key)] = document
    return {V2_CONSOLIDATED_KEY: _encode({"metadata": entries, "zarr_consolidated_format": 1})}
