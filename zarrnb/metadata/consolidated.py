"""Consolidated metadata: every node's metadata of a hierarchy in one document.

Zarr format 2 keeps it in ``.zmetadata`` beside the root group; zarr-python's format 3 form
lives inside the root ``zarr.json`` under ``consolidated_metadata``. Both are read and written
here as zarr-python does, so each library reads what the other wrote. Pure code: no I/O.

zarrnb keeps the listing flat (``"a/b"`` keys, parsed on first access); zarr-python's nested
form (child groups holding their own listing) is accepted by the constructor and given by
``flattened_metadata``/``to_dict``, and listings compare equal by content.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import unicodedata
from collections import UserDict
from collections.abc import Iterator, Mapping
from typing import Any, Self

from zarrnb.errors import MetadataValidationError
from zarrnb.metadata.common import ArrayMetadata
from zarrnb.metadata.consolidated_raw import RawDocument, is_raw, stored_form
from zarrnb.metadata.fastjson import GC_PAUSE_BYTES, gc_paused
from zarrnb.metadata.group import GroupMetadata
from zarrnb.metadata.parse import parse_node_metadata
from zarrnb.metadata.v2 import ArrayV2Metadata
from zarrnb.metadata.v3 import ArrayV3Metadata

__all__ = [
    "V2_CONSOLIDATED_KEY",
    "ConsolidatedMetadata",
    "DeferredArrayV3Metadata",
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
    object itself (no wrapper built per node until it is parsed; a format 3 array's may still be its
    raw JSON, a ``RawDocument``, see ``consolidated_raw``), else format 2's
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
            documents = {"zarr.json": stored_form(stored)} if self._v3 else stored
            found = parse_node_metadata(documents, path=_join(self._path, name))
            self._parsed[name] = found
        elif type(found) is DeferredArrayV3Metadata:
            found.resolve()  # looked up by name: validated now, as a member lookup is
        return found

    def deferred(self, name: str) -> NodeMetadata:
        """The metadata of ``name`` for a listing: a format 3 array's is parsed on first use
        (``DeferredArrayV3Metadata``), anything else now, as ``self[name]``."""
        found = self._parsed.get(name)
        if found is not None:
            return found
        stored = self._documents[name]
        if type(stored) is not RawDocument and (  # a raw one is a format 3 array's
            not self._v3
            or stored is None
            or stored.get("node_type") != "array"
            or stored.get("zarr_format") != 3
        ):
            return self[name]
        found = self._parsed[name] = DeferredArrayV3Metadata(stored, _join(self._path, name))
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._documents)

    def __len__(self) -> int:
        return len(self._documents)

    def __contains__(self, name: object) -> bool:
        return name in self._documents

    def raw(self, name: str) -> dict[str, Any] | None:
        """A copy of the stored ``zarr.json`` of ``name`` when it is not parsed yet (else None)."""
        if name in self._parsed and type(self._parsed[name]) is not DeferredArrayV3Metadata:
            return None
        stored = self._documents[name]
        if is_raw(stored):
            return json.loads(bytes(stored))  # a new dict already
        document = stored if self._v3 else stored.get("zarr.json")
        return dict(document) if isinstance(document, dict) else None

    def node_type(self, name: str) -> str:
        """'array' or 'group' for ``name``, read from its document without parsing it."""
        parsed = self._parsed.get(name)
        if parsed is not None:
            return "group" if isinstance(parsed, GroupMetadata) else "array"
        stored = self._documents[name]
        if is_raw(stored):  # kept raw only when it is a format 3 array's
            return "array"
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
                    name: str(stored.get("node_type")) if type(stored) is dict else self.node_type(name)
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


class DeferredArrayV3Metadata(ArrayV3Metadata):
    """A format 3 array's metadata from a consolidated listing, parsed and validated on first use.

    Listing a hierarchy hands out array objects without parsing their documents. The first use of
    anything but ``zarr_format`` and ``node_type`` (both checked in the document already) parses it:
    an error names the document's key and is raised again at each use while it stays broken; success
    turns this object into a plain ``ArrayV3Metadata`` in place, so it costs nothing afterwards.
    """

    def __init__(self, document: Any, path: str) -> None:
        """Hold the stored ``zarr.json`` object (or its raw JSON) of the array at ``path``, unparsed."""
        object.__setattr__(self, "_deferred", (document, path))

    def __getattribute__(self, name: str) -> Any:
        if name not in _KNOWN_UNPARSED:
            DeferredArrayV3Metadata.resolve(self)
        return object.__getattribute__(self, name)

    def resolve(self) -> None:
        """Parse the document now (a no-op once parsed); its errors name the array's ``zarr.json``."""
        if type(self) is not DeferredArrayV3Metadata:
            return
        with _RESOLVING:  # threads using it at once: one parses, none sees it half converted
            if type(self) is not DeferredArrayV3Metadata:
                return
            state = object.__getattribute__(self, "__dict__")
            document, path = state["_deferred"]
            parsed = parse_node_metadata({"zarr.json": stored_form(document)}, path=path)
            state.clear()
            state.update(parsed.__dict__)
            object.__setattr__(self, "__class__", type(parsed))

    def __eq__(self, other: object) -> bool:
        DeferredArrayV3Metadata.resolve(self)
        return self == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        DeferredArrayV3Metadata.resolve(self)
        return repr(self)

    def __reduce_ex__(self, protocol: Any) -> Any:
        """Copies and pickles are of the parsed metadata."""
        DeferredArrayV3Metadata.resolve(self)
        return self.__reduce_ex__(protocol)


_KNOWN_UNPARSED = frozenset({"__class__", "zarr_format", "node_type", "resolve"})
_RESOLVING = threading.Lock()


def _nested_view(listing: ConsolidatedMetadata) -> Mapping[str, NodeMetadata]:
    """The direct children (zarr-python's nested form); a child group holds its own listing."""
    return _NestedView(listing)


@dataclasses.dataclass(init=False, eq=False, frozen=True)
class ConsolidatedMetadata:
    """The metadata of every node below a group.

    ``flat`` holds every node by path relative to the group (``"a/b"``), parsed on first access;
    ``metadata`` is zarr-python's view of it: the direct children, each child group carrying its own
    listing (a nested path such as ``"a/b"`` is also found by key, as the engine looks members up).
    A dataclass of zarr-python's three fields, so ``repr`` and ``pprint`` show them as it does.
    """

    __slots__ = ("_children", "_scopes", "flat", "kind", "must_understand")

    metadata: Mapping[str, NodeMetadata] = dataclasses.field(default=property(_nested_view))
    kind: str
    must_understand: bool

    def __init__(
        self,
        metadata: Mapping[str, NodeMetadata] | None = None,
        kind: str = "inline",
        must_understand: bool = False,
    ) -> None:
        """From a flat listing (``"a/b"`` keys) or zarr-python's nested one (child groups holding theirs)."""
        if metadata is None:
            metadata = {}
        elif not isinstance(metadata, LazyNodes):
            metadata = _flattened(metadata)
        object.__setattr__(self, "flat", metadata)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "must_understand", must_understand)
        object.__setattr__(self, "_children", None)  # names of the direct children, on first use
        object.__setattr__(self, "_scopes", {})  # child group name -> its listing, made once

    def _child_names(self) -> list[str]:
        if self._children is None:
            object.__setattr__(self, "_children", [name for name in self.flat if "/" not in name])
        return self._children  # type: ignore[return-value]

    def _entry(self, name: str) -> NodeMetadata:
        """The node ``name`` (a nested path too); a group comes with its own listing attached."""
        meta = self.flat[name]
        if not isinstance(meta, GroupMetadata):
            return meta
        scoped = self._scopes.get(name)
        if scoped is None:
            scoped = dataclasses.replace(meta, consolidated_metadata=self.scoped(name))
            self._scopes[name] = scoped
        return scoped

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by the constructor's arguments (the frozen slots refuse pickle's attribute setting)."""
        return type(self), (self.flat, self.kind, self.must_understand)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ConsolidatedMetadata):
            return NotImplemented
        return self._content() == other._content()

    __hash__ = None  # type: ignore[assignment]

    def _content(self) -> tuple[Any, ...]:
        """What equality compares: kind, flag, and each node (a group by its own fields only)."""
        nodes = {
            name: (meta.zarr_format, meta.attributes) if isinstance(meta, GroupMetadata) else meta
            for name, meta in self.flat.items()
        }
        return self.kind, self.must_understand, nodes

    def children(self) -> Iterator[tuple[str, NodeMetadata]]:
        """The direct children, in stored order (a lazy listing parses them all here, in one batch)."""
        if isinstance(self.flat, LazyNodes):
            return iter(self.flat.parse_many(self._child_names()))
        return ((name, meta) for name, meta in self.flat.items() if "/" not in name)

    def listed(self) -> list[tuple[str, NodeMetadata]]:
        """The direct children for a listing, in stored order: groups with their own listing, format 3
        arrays parsed and validated on their first use (listing 10,000 arrays parses none of them)."""
        names = self._child_names()
        if not isinstance(self.flat, LazyNodes):
            return [(name, self._entry(name)) for name in names]
        deferred, entry = self.flat.deferred, self._entry
        with gc_paused(len(names) >= _GC_PAUSE_ENTRIES):
            return [
                (name, meta if isinstance(meta := deferred(name), ArrayMetadata) else entry(name))
                for name in names
            ]

    def scoped(self, name: str) -> ConsolidatedMetadata:
        """The entries below the child group ``name``, keyed relative to it (lazy ones stay unparsed)."""
        if isinstance(self.flat, LazyNodes):
            return ConsolidatedMetadata(self.flat.scoped(name), self.kind, self.must_understand)
        prefix = name + "/"
        inner = {k[len(prefix) :]: v for k, v in self.flat.items() if k.startswith(prefix)}
        return ConsolidatedMetadata(inner, self.kind, self.must_understand)

    def without(self, name: str) -> ConsolidatedMetadata:
        """A copy with the node ``name`` and everything below it removed."""
        if isinstance(self.flat, LazyNodes):
            return ConsolidatedMetadata(self.flat.without(name), self.kind, self.must_understand)
        prefix = name + "/"
        kept = {k: v for k, v in self.flat.items() if k != name and not k.startswith(prefix)}
        return ConsolidatedMetadata(kept, self.kind, self.must_understand)

    def with_node(self, name: str, metadata: NodeMetadata) -> ConsolidatedMetadata:
        """A copy that also lists ``name`` (replacing any subtree there)."""
        if isinstance(self.flat, LazyNodes):
            lazy = self.flat.with_node(name, metadata)
            return ConsolidatedMetadata(lazy, self.kind, self.must_understand)
        kept = self.without(name).flat
        return ConsolidatedMetadata({**kept, name: metadata}, self.kind, self.must_understand)

    def node_types(self) -> dict[str, str]:
        """Every path and whether it is an 'array' or a 'group', parsing nothing not yet parsed."""
        if isinstance(self.flat, LazyNodes):
            return dict(self.flat.node_types())
        parsed = self.flat.items()
        return {name: "group" if isinstance(meta, GroupMetadata) else "array" for name, meta in parsed}

    def counts(self) -> tuple[int, int, int]:
        """(members, arrays, groups) over the whole hierarchy, as ``Group.info`` prints them."""
        types = self.flat.node_types() if isinstance(self.flat, LazyNodes) else self.node_types()
        groups = sum(kind == "group" for kind in types.values())
        return len(self.flat), len(self.flat) - groups, groups

    # -- zarr-python's surface ------------------------------------------------------

    @property
    def flattened_metadata(self) -> dict[str, NodeMetadata]:
        """Every node by full path; a child group carries an empty listing (zarr-python's form)."""
        return {
            name: dataclasses.replace(meta, consolidated_metadata=ConsolidatedMetadata())
            if isinstance(meta, GroupMetadata)
            else meta
            for name, meta in self.flat.items()
        }

    def _sorted_names(self) -> list[str]:
        """Paths by depth, then case-folded name: the order zarr-python writes them in."""
        return sorted(self.flat, key=lambda k: (k.count("/"), unicodedata.normalize("NFKC", k).casefold()))

    def to_dict(self) -> dict[str, Any]:
        """zarr-python's ``to_dict``: each node's ``to_dict`` by full path, in zarr-python's order."""
        flat = self.flattened_metadata
        return {
            "kind": self.kind,
            "must_understand": self.must_understand,
            "metadata": {name: flat[name].to_dict() for name in self._sorted_names()},
        }

    def to_json(self) -> dict[str, Any]:
        """The format 3 ``consolidated_metadata`` object as stored; untouched entries are not parsed."""
        entries: dict[str, Any] = {}
        for name in self._sorted_names():
            document = self.flat.raw(name) if isinstance(self.flat, LazyNodes) else None
            if document is None:
                meta = self.flat[name]
                document = meta.to_dict() if isinstance(meta, ArrayV2Metadata) else meta.to_json()
            if document.get("node_type") == "group":
                document = {**document, "consolidated_metadata": _empty_listing()}
                document["node_type"] = document.pop("node_type")  # zarr-python's field order
            entries[name] = document
        return {"kind": self.kind, "must_understand": self.must_understand, "metadata": entries}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Parse zarr-python's ``to_dict`` form; a bad ``kind`` is a ValueError, a bad entry a TypeError."""
        kind = data.get("kind")
        if kind != "inline":
            raise ValueError(f"Consolidated metadata kind='{kind}' is not supported.")
        raw = data.get("metadata")
        if not isinstance(raw, dict):
            raise TypeError(f"Unexpected type for 'metadata': {type(raw)}")
        for name, value in raw.items():
            if not isinstance(value, dict):
                raise TypeError(
                    f"Invalid value for metadata items. key='{name}', type='{type(value).__name__}'"
                )
        return cls({name: _node_from_dict(value) for name, value in raw.items()}, kind)


class _NestedView(UserDict[str, NodeMetadata]):
    """``ConsolidatedMetadata.metadata``: the direct children in stored order; nested paths found by key.

    A read-only mapping over the lazy listing (nothing is parsed until an entry is read). It is a
    ``UserDict`` whose ``data`` is the dict of its entries, built when asked for, so ``repr`` and
    ``pprint`` print it as the dict zarr-python holds there.
    """

    def __init__(self, listing: ConsolidatedMetadata) -> None:
        self._listing = listing

    @property  # type: ignore[override]
    def data(self) -> dict[str, NodeMetadata]:
        """The direct children as a new dict (parses them all)."""
        return {name: self[name] for name in self}

    def __getitem__(self, name: str) -> NodeMetadata:
        return self._listing._entry(name)

    def __contains__(self, name: object) -> bool:
        return name in self._listing.flat

    def __iter__(self) -> Iterator[str]:
        return iter(self._listing._child_names())

    def __len__(self) -> int:
        return len(self._listing._child_names())

    def __setitem__(self, name: str, value: NodeMetadata) -> None:
        raise TypeError("ConsolidatedMetadata.metadata is read-only; use with_node() for a changed copy")

    def __delitem__(self, name: str) -> None:
        raise TypeError("ConsolidatedMetadata.metadata is read-only; use without() for a changed copy")

    def copy(self) -> dict[str, NodeMetadata]:
        """The direct children as a plain dict."""
        return self.data

    __copy__ = copy


def _empty_listing() -> dict[str, Any]:
    """The listing zarr-python writes for a child group inside a consolidated document."""
    return {"kind": "inline", "must_understand": False, "metadata": {}}


def _node_from_dict(data: dict[str, Any]) -> NodeMetadata:
    """One entry of zarr-python's ``to_dict`` form, as the metadata object it describes."""
    if data.get("zarr_format") == 2:
        return ArrayV2Metadata.from_dict(data) if "shape" in data else GroupMetadata.from_dict(data)
    if data.get("node_type") == "group":
        return GroupMetadata.from_dict(data)
    return ArrayV3Metadata.from_dict(data)


def _flattened(metadata: Mapping[str, NodeMetadata]) -> dict[str, NodeMetadata]:
    """A flat listing from a flat or nested one: a child group's own listing is folded in by path."""
    flat: dict[str, NodeMetadata] = {}
    for name, meta in metadata.items():
        flat[name] = meta
        inner = getattr(meta, "consolidated_metadata", None)
        if isinstance(inner, ConsolidatedMetadata):
            for sub, sub_meta in inner.flat.items():
                flat.setdefault(f"{name}/{sub}", sub_meta)
    return flat


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
    """Entries in flat form; nested ``consolidated_metadata`` of child groups is folded in. A raw entry
    (a plain format 3 array's, ``consolidated_raw``) stays raw."""
    for name, document in entries.items():
        if type(document) is RawDocument:
            yield prefix + name, document
            continue
        if not isinstance(document, dict):
            raise MetadataValidationError(f"{key!r}: consolidated entry {name!r} is not an object")
        nested = None
        if "consolidated_metadata" in document:  # copied only then: the stored tree stays as read
            nested = document["consolidated_metadata"]
            document = {k: v for k, v in document.items() if k != "consolidated_metadata"}
        yield prefix + name, document
        if nested and nested.get("metadata"):
            yield from _flatten_v3(nested["metadata"], prefix + name + "/", key)


def parse_v3_consolidated(consolidated: Any, *, path: str) -> ConsolidatedMetadata:
    """Parse the ``consolidated_metadata`` object of a format 3 group at ``path`` (a parsed one as is)."""
    if isinstance(consolidated, ConsolidatedMetadata):
        return consolidated
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
    return consolidated.to_json()


def consolidated_documents(group: GroupMetadata, consolidated: ConsolidatedMetadata) -> dict[str, bytes]:
    """The documents that record ``consolidated`` for a root group with metadata ``group``.

    Format 3: the root ``zarr.json`` with a ``consolidated_metadata`` object.
    Format 2: ``.zmetadata`` holding every ``.zgroup``/``.zarray``/``.zattrs`` of the hierarchy.
    """
    if group.zarr_format == 3:
        return group.with_consolidated_metadata(consolidated).to_documents()
    entries: dict[str, Any] = {k: _json(v, k) for k, v in group.to_documents().items()}
    for name, meta in consolidated.flat.items():
        for doc_key, value in meta.to_documents().items():
            document = _json(value, _join(name, doc_key))
            if doc_key == ".zgroup":  # zarr-python leaves each member group an empty inline listing
                document = {**document, "consolidated_metadata": _empty_listing()}
            entries[_join(name, doc_key)] = document
    return {V2_CONSOLIDATED_KEY: _encode({"metadata": entries, "zarr_consolidated_format": 1})}
