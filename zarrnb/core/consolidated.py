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

from zarrnb.core.fastjson import GC_PAUSE_BYTES, gc_paused
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
_GC_PAUSE_ENTRIES = 1000  # listings (and batches parsed) this long are built with the collector paused


class LazyNodes(Mapping[str, NodeMetadata]):
    """Node metadata parsed on first access, in stored order: opening a consolidated hierarchy of
    10,000 arrays parses only the entries a caller touches (a browser's first page, one member).

    ``documents`` maps each node path to its stored documents: with ``v3`` the node's ``zarr.json``
    object itself (no wrapper built per node until it is parsed), else format 2's
    ``{".zarray"/".zgroup"/".zattrs": object}``; None for a node added already parsed.
    Scoping to a child group, removing or adding a node keeps the rest unparsed.
    """

    def __init__(
        self,
        documents: dict[str, Any],
        path: str,
        *,
        v3: bool = False,
        parsed: dict[str, NodeMetadata] | None = None,
    ) -> None:
        self._documents = documents
        self._path = path
        self._v3 = v3
        self._parsed: dict[str, NodeMetadata] = {} if parsed is None else parsed
        self._types: dict[str, str] | None = None

    def __getitem__(self, name: str) -> NodeMetadata:
        found = self._parsed.get(name)
        if found is None:
            stored = self._documents[name]
            documents = {"zarr.json": stored} if self._v3 else stored
            found = parse_node_metadata(documents, path=_join(self._path, name))
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
        parsed = self._parsed.get(name)
        if parsed is not None:
            return "group" if isinstance(parsed, GroupMetadata) else "array"
        stored = self._documents[name]
        if self._v3:
            return str(stored.get("node_type"))
        return "array" if ".zarray" in stored else "group"

    def parse_many(self, names: list[str]) -> list[tuple[str, NodeMetadata]]:
        """``(name, metadata)`` for each of ``names``, in order: a listing's batch, parsed with the
        garbage collector paused when long (parsing makes no cycles; collections over a heap holding
        a big consolidated document cost as much again); the first broken entry raises."""
        with gc_paused(len(names) - len(self._parsed) >= _GC_PAUSE_ENTRIES):
            return [(name, self[name]) for name in names]

    def node_types(self) -> dict[str, str]:
        """Every path and its node type ('array' or 'group'), read once from the raw documents."""
        if self._types is None:
            if self._v3:
                self._types = {
                    name: self.node_type(name) if stored is None else str(stored.get("node_type"))
                    for name, stored in self._documents.items()
                }
            else:
                self._types = {name: self.node_type(name) for name in self._documents}
        return self._types

    def _copy(self, documents: dict[str, Any], renamed: dict[str, str] | None = None) -> LazyNodes:
        """Nodes holding ``documents`` (a subset, keys renamed by ``renamed``), parsed entries kept."""
        if renamed is None:
            parsed = {name: meta for name, meta in self._parsed.items() if name in documents}
        else:
            parsed = {renamed[name]: meta for name, meta in self._parsed.items() if name in renamed}
        return LazyNodes(documents, self._path, v3=self._v3, parsed=parsed)

    def scoped(self, name: str) -> LazyNodes:
        """The entries below the child group ``name``, keyed relative to it, still unparsed."""
        prefix = name + "/"
        size = len(prefix)
        renamed = {path: path[size:] for path in self._documents if path.startswith(prefix)}
        scoped = self._copy({renamed[path]: self._documents[path] for path in renamed}, renamed)
        scoped._path = _join(self._path, name)
        return scoped

    def without(self, name: str) -> LazyNodes:
        """A copy without the node ``name`` and everything below it."""
        prefix = name + "/"
        documents = self._documents.items()
        return self._copy({p: d for p, d in documents if p != name and not p.startswith(prefix)})

    def with_node(self, name: str, metadata: NodeMetadata) -> LazyNodes:
        """A copy that also lists ``name`` (last, replacing any subtree there), already parsed."""
        copy = self.without(name)  # a fresh copy: its node types are not computed yet
        copy._documents[name] = None
        copy._parsed[name] = metadata
        return copy


@dataclass(frozen=True)
class ConsolidatedMetadata:
    """The metadata of every node below a group, keyed by path relative to that group."""

    metadata: Mapping[str, NodeMetadata] = field(default_factory=dict)
    kind: str = "inline"
    must_understand: bool = False

    def children(self) -> Iterator[tuple[str, NodeMetadata]]:
        """The direct children, in stored order (a lazy listing parses them all here, in one batch)."""
        if isinstance(self.metadata, LazyNodes):
            return iter(self.metadata.parse_many([name for name in self.metadata if "/" not in name]))
        return ((name, meta) for name, meta in self.metadata.items() if "/" not in name)

    def scoped(self, name: str) -> ConsolidatedMetadata:
        """The entries below the child group ``name``, keyed relative to it."""
        if isinstance(self.metadata, LazyNodes):
            return ConsolidatedMetadata(self.metadata.scoped(name), self.kind, self.must_understand)
        prefix = name + "/"
        inner = {k[len(prefix) :]: v for k, v in self.metadata.items() if k.startswith(prefix)}
        return ConsolidatedMetadata(inner, self.kind, self.must_understand)

    def without(self, name: str) -> ConsolidatedMetadata:
        """A copy with the node ``name`` and everything below it removed."""
        if isinstance(self.metadata, LazyNodes):
            return ConsolidatedMetadata(self.metadata.without(name), self.kind, self.must_understand)
        prefix = name + "/"
        kept = {k: v for k, v in self.metadata.items() if k != name and not k.startswith(prefix)}
        return ConsolidatedMetadata(kept, self.kind, self.must_understand)

    def with_node(self, name: str, metadata: NodeMetadata) -> ConsolidatedMetadata:
        """A copy that also lists ``name`` (replacing any subtree there)."""
        if isinstance(self.metadata, LazyNodes):
            lazy = self.metadata.with_node(name, metadata)
            return ConsolidatedMetadata(lazy, self.kind, self.must_understand)
        kept = self.without(name).metadata
        return ConsolidatedMetadata({**kept, name: metadata}, self.kind, self.must_understand)

    def node_types(self) -> dict[str, str]:
        """Every path and whether it is an 'array' or a 'group', parsing nothing not yet parsed."""
        if isinstance(self.metadata, LazyNodes):
            return dict(self.metadata.node_types())
        parsed = self.metadata.items()
        return {name: "group" if isinstance(meta, GroupMetadata) else "array" for name, meta in parsed}

    def counts(self) -> tuple[int, int, int]:
        """(members, arrays, groups) over the whole hierarchy, as ``Group.info`` prints them."""
        types = self.metadata.node_types() if isinstance(self.metadata, LazyNodes) else self.node_types()
        groups = sum(kind == "group" for kind in types.values())
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
        nested = None
        if "consolidated_metadata" in document:  # copied only then: the stored tree stays as read
            nested = document["consolidated_metadata"]
            document = {k: v for k, v in document.items() if k != "consolidated_metadata"}
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
    with gc_paused(len(entries) >= _GC_PAUSE_ENTRIES):
        documents = dict(_flatten_v3(entries, "", key))
    return ConsolidatedMetadata(
        LazyNodes(documents, path, v3=True), kind, bool(consolidated.get("must_understand", False))
    )


def parse_v2_consolidated(data: bytes, *, path: str) -> ConsolidatedMetadata:
    """Parse the ``.zmetadata`` document of a format 2 group at ``path``."""
    with gc_paused(len(data) >= GC_PAUSE_BYTES):
        return ConsolidatedMetadata(LazyNodes(_v2_nodes(data, _join(path, V2_CONSOLIDATED_KEY)), path))


def _v2_nodes(data: bytes, key: str) -> dict[str, dict[str, Any]]:
    """Each node's ``.zarray``/``.zgroup``/``.zattrs`` objects from ``.zmetadata``, in stored order."""
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
    return {node: docs for node, docs in nodes.items() if ".zarray" in docs or ".zgroup" in docs}


def consolidated_json(consolidated: ConsolidatedMetadata) -> dict[str, Any]:
    """The format 3 ``consolidated_metadata`` object, each entry a node's ``zarr.json`` document."""
    return {
        "kind": consolidated.kind,
        "must_understand": consolidated.must_understand,
        "metadata": {
            name: _json(meta.to_documents()["zarr.json"], _join(name, "zarr.json"))
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
            entries[_join(name, doc_key)] = _json(value, _join(name, doc_key))
    return {V2_CONSOLIDATED_KEY: _encode({"metadata": entries, "zarr_consolidated_format": 1})}
