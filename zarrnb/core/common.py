"""What arrays and groups share in the engine: per-array settings and metadata documents in stores."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

import zarrnb.config as config
from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.errors import ContainsArrayError, ContainsGroupError, ReadOnlyError
from zarrnb.metadata import ArrayMetadata, GroupMetadata
from zarrnb.storage import StorePath

__all__ = [
    "ARRAY_DOCUMENTS",
    "GROUP_DOCUMENTS",
    "ArrayConfig",
    "NodeLocation",
    "ensure_no_existing_node",
    "ensure_writable",
    "node_kind",
    "parse_v3_once",
    "read_documents",
    "save_metadata",
]

# the metadata documents a node may have, by format
ARRAY_DOCUMENTS = {3: ("zarr.json",), 2: (".zarray", ".zattrs")}
GROUP_DOCUMENTS = {3: ("zarr.json",), 2: (".zgroup", ".zattrs")}
_ALL_DOCUMENTS = ("zarr.json", ".zarray", ".zgroup", ".zattrs")


class NodeLocation:
    """Where a node lives and what its metadata says of it: the properties arrays and groups share."""

    metadata: ArrayMetadata | GroupMetadata
    store_path: StorePath

    @property
    def store(self) -> Any:
        return self.store_path.store

    @property
    def path(self) -> str:
        return self.store_path.path

    @property
    def name(self) -> str:
        """The node's absolute name in its hierarchy, e.g. ``/foo/bar``."""
        return "/" + self.path

    @property
    def basename(self) -> str:
        return self.name.split("/")[-1]

    @property
    def read_only(self) -> bool:
        return self.store_path.read_only

    @property
    def zarr_format(self) -> int:
        return self.metadata.zarr_format

    @property
    def attrs(self) -> dict[str, Any]:
        return self.metadata.attributes


@dataclasses.dataclass(frozen=True)
class ArrayConfig:
    """Runtime settings of one array handle (not stored): memory order of results, empty-chunk writes."""

    order: str = "C"
    write_empty_chunks: bool = False

    @classmethod
    def parse(cls, value: ArrayConfig | Mapping[str, Any] | None) -> ArrayConfig:
        """From an ``ArrayConfig``, a dict with some of its fields, or None (zarrnb.config's defaults)."""
        if isinstance(value, ArrayConfig):
            return value
        defaults = {
            "order": config.get("array.order"),
            "write_empty_chunks": config.get("array.write_empty_chunks"),
        }
        if not value:  # the defaults, built once per setting (each array of a listing needs them)
            key = (defaults["order"], defaults["write_empty_chunks"])
            if key not in _DEFAULT_CONFIGS:
                _DEFAULT_CONFIGS[key] = cls._checked(defaults)
            return _DEFAULT_CONFIGS[key]
        return cls._checked({**defaults, **dict(value)}, defaults)

    @classmethod
    def _checked(cls, settings: dict[str, Any], defaults: Mapping[str, Any] | None = None) -> ArrayConfig:
        """The config ``settings`` spell, refusing keys not in ``defaults`` and unknown orders."""
        defaults = settings if defaults is None else defaults
        unknown = set(settings) - set(defaults)
        if unknown:
            raise ValueError(
                f"unknown array config keys {sorted(unknown)}; expected some of {sorted(defaults)}"
            )
        result = cls(**settings)
        if result.order not in ("C", "F"):
            raise ValueError(f"array config 'order' must be 'C' or 'F', got {result.order!r}")
        return result


_DEFAULT_CONFIGS: dict[tuple[Any, Any], ArrayConfig] = {}


def ensure_writable(store_path: StorePath, what: str = "array") -> None:
    """Refuse a write on a read-only store before anything is touched."""
    if store_path.read_only:
        raise ReadOnlyError(f"cannot write to the read-only {what} at {str(store_path)!r}")


async def read_documents(
    store_path: StorePath, names: tuple[str, ...] = _ALL_DOCUMENTS
) -> dict[str, bytes | None]:
    """The metadata documents ``names`` under ``store_path`` (None when absent).

    A ``zarr.json`` asked for first is fetched alone: when it exists, the format 2 documents it takes
    precedence over are not requested (one request to open a format 3 node); otherwise the rest
    follow in one batch.
    """
    if len(names) > 1 and names[0] == "zarr.json":
        first = await _fetch_documents(store_path, names[:1])
        if first["zarr.json"] is not None:
            return {**dict.fromkeys(names), **first}
        return {**first, **await _fetch_documents(store_path, names[1:])}
    return await _fetch_documents(store_path, names)


async def _fetch_documents(store_path: StorePath, names: tuple[str, ...]) -> dict[str, bytes | None]:
    """The documents ``names`` under ``store_path`` in one batch."""
    prefix = f"{store_path.path}/" if store_path.path else ""
    found = await store_path.store.get_partial_values(
        default_buffer_prototype(), [(prefix + name, None) for name in names]
    )
    return {name: None if data is None else data.to_bytes() for name, data in zip(names, found, strict=True)}


def parse_v3_once(documents: dict[str, Any]) -> dict[str, Any]:
    """``documents`` with ``zarr.json`` parsed from JSON, so that judging the node kind and parsing
    the metadata read it once; left as bytes when it is not a JSON object (the parser reports that)."""
    v3 = documents.get("zarr.json")
    if isinstance(v3, bytes):
        try:
            parsed = json.loads(v3)
        except (ValueError, RecursionError):
            return documents
        if isinstance(parsed, dict):
            return {**documents, "zarr.json": parsed}
    return documents


def node_kind(documents: Mapping[str, Any]) -> str | None:
    """'array', 'group' or None, judged from which documents exist (and zarr.json's node_type).

    ``zarr.json`` may be bytes or already parsed (``parse_v3_once``)."""
    if documents.get(".zarray") is not None:
        return "array"
    if documents.get(".zgroup") is not None:
        return "group"
    v3 = documents.get("zarr.json")
    if v3 is None:
        return None
    try:
        node_type = (v3 if isinstance(v3, dict) else json.loads(v3)).get("node_type")
    except (ValueError, AttributeError, RecursionError):
        node_type = None
    # an unreadable zarr.json still marks the path as taken
    return "group" if node_type == "group" else "array"


def _kind_documents(zarr_format: int | None) -> tuple[str, ...]:
    """The documents that tell whether a node of ``zarr_format`` lives at a path (None: any format)."""
    return {3: ("zarr.json",), 2: (".zarray", ".zgroup")}.get(zarr_format, _ALL_DOCUMENTS)  # type: ignore[arg-type]


async def ensure_no_existing_node(store_path: StorePath, zarr_format: int | None = None) -> None:
    """Refuse to create a node where an array or a group of ``zarr_format`` (None: either format) lives;
    as in zarr-python, only that format's documents are read (one request for format 3)."""
    kind = node_kind(await read_documents(store_path, _kind_documents(zarr_format)))
    where = f"{store_path.path!r} in {store_path.store}"
    if kind == "array":
        raise ContainsArrayError(f"an array exists at {where}; pass overwrite=True to replace it")
    if kind == "group":
        raise ContainsGroupError(f"a group exists at {where}; pass overwrite=True to replace it")


async def save_metadata(
    store_path: StorePath, metadata: ArrayMetadata | GroupMetadata, *, ensure_parents: bool = False
) -> None:
    """Write a node's metadata documents; with ``ensure_parents``, also implicit parent groups.

    Parent groups are created only where none exists (``set_if_not_exists``), and a parent
    that is an array is refused, as in zarr-python.
    """
    store = store_path.store
    writes = [
        ((store_path / name).path, Buffer.from_bytes(data)) for name, data in metadata.to_documents().items()
    ]
    if ensure_parents and store_path.path:
        parts = store_path.path.split("/")[:-1]
        parent_paths = ["", *("/".join(parts[: i + 1]) for i in range(len(parts)))]
        group_documents = GroupMetadata(zarr_format=metadata.zarr_format).to_documents()
        for parent in parent_paths:
            parent_path = StorePath(store, parent)
            if node_kind(await read_documents(parent_path, _kind_documents(metadata.zarr_format))) == "array":
                raise ContainsArrayError(
                    f"cannot create {store_path.path!r}: its parent {parent!r} in {store} is an array"
                )
            for name, data in group_documents.items():
                await store.set_if_not_exists((parent_path / name).path, Buffer.from_bytes(data))
    await store._set_many(writes)
