"""What arrays and groups share in the engine: per-array settings and metadata documents in stores."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import numpy as np

from zarrnb.codecs.array_spec import ArrayConfig
from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.errors import ContainsArrayError, ContainsGroupError, ReadOnlyError
from zarrnb.metadata import ArrayMetadata, GroupMetadata
from zarrnb.metadata.consolidated_raw import loads_node_document
from zarrnb.storage import StorePath
from zarrnb.storage.common import ACCESS_MODES, AccessModeLiteral

__all__ = [
    "ANY_ACCESS_MODE",
    "ARRAY_DOCUMENTS",
    "GROUP_DOCUMENTS",
    "JSON",
    "ZARRAY_JSON",
    "ZARR_JSON",
    "ZATTRS_JSON",
    "ZGROUP_JSON",
    "ZMETADATA_V2_JSON",
    "AccessModeLiteral",
    "ArrayConfig",
    "DimensionNames",
    "MemoryOrder",
    "NodeLocation",
    "ShapeLike",
    "ZarrFormat",
    "ceildiv",
    "ensure_no_existing_node",
    "ensure_writable",
    "node_kind",
    "parse_name",
    "parse_shapelike",
    "parse_v3_once",
    "product",
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
            parsed = loads_node_document(v3)  # a consolidated root's members stay raw JSON until used
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
                    f"A parent of {store_path.path!r} is an array - only groups may have child nodes. "
                    f"(the parent {parent!r} in {store})"
                )
            for name, data in group_documents.items():
                await store.set_if_not_exists((parent_path / name).path, Buffer.from_bytes(data))
    await store._set_many(writes)


# -- names zarr-python's ``zarr.core.common`` has, for code written against it ---------------------

JSON = str | int | float | bool | Mapping[str, "JSON"] | tuple["JSON", ...] | list["JSON"] | None
ZarrFormat = Literal[2, 3]
MemoryOrder = Literal["C", "F"]
ShapeLike = Iterable[int] | int
DimensionNames = Iterable[str | None] | None
ANY_ACCESS_MODE: tuple[str, ...] = ACCESS_MODES
ZARR_JSON = "zarr.json"
ZARRAY_JSON = ".zarray"
ZGROUP_JSON = ".zgroup"
ZATTRS_JSON = ".zattrs"
ZMETADATA_V2_JSON = ".zmetadata"


def product(values: Iterable[int]) -> int:
    """The product of ``values`` (1 for none)."""
    return math.prod(values)


def ceildiv(a: float, b: float) -> int:
    """``a / b`` rounded up; 0 when ``a`` is 0."""
    return math.ceil(a / b) if a else 0


def parse_name(data: Any, expected: str | None = None) -> str:
    """``data`` if it is a string (equal to ``expected`` when given); errors say which rule failed."""
    if not isinstance(data, str):
        raise TypeError(f"Expected a string, got an instance of {type(data)}.")
    if expected is not None and data != expected:
        raise ValueError(f"Expected '{expected}'. Got {data} instead.")
    return data


def parse_shapelike(data: Any) -> tuple[int, ...]:
    """A shape from an int or an iterable of ints; errors say which rule the input broke."""
    if isinstance(data, int | np.integer) and not isinstance(data, bool):
        if data < 0:
            raise ValueError(f"Expected a non-negative integer. Got {data} instead")
        return (int(data),)
    try:
        values = tuple(data)
    except TypeError as exc:
        raise TypeError(f"Expected an integer or an iterable of integers. Got {data} instead.") from exc
    if not all(isinstance(v, int | np.integer) for v in values):
        raise TypeError(f"Expected an iterable of integers. Got {data} instead.")
    if any(v < 0 for v in values):
        raise ValueError(f"Expected all values to be non-negative. Got {data} instead.")
    return tuple(int(v) for v in values)
