"""Migrate a Zarr v2 hierarchy's metadata to v3 in place or into another store, and remove old metadata.

Only metadata is written: each array's ``zarr.json`` keeps the v2 chunk key encoding (with the
array's separator), so the v3 metadata reads the very chunk bytes the v2 metadata described, and
nothing is copied. The v2 documents stay until :func:`remove_metadata` deletes them. Consolidated
v2 metadata (``.zmetadata``) is not carried over: consolidate the v3 hierarchy afterwards.

This is an API-level tool (it runs on the sync bridge), declared in layer 6 by the layer table.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Literal

from zarrnb.abc.store import Store
from zarrnb.api.sync import sync
from zarrnb.codecs import BytesCodec, TransposeCodec, VLenBytesCodec, VLenUTF8Codec
from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.errors import MetadataValidationError
from zarrnb.metadata.build import build_array_metadata
from zarrnb.metadata.common import dumps_json, loads_json
from zarrnb.metadata.v2 import ArrayV2Metadata, parse_v2_array_metadata
from zarrnb.storage.common import StorePath

__all__ = ["migrate_to_v3", "migrate_v2_to_v3", "remove_metadata"]

logger = logging.getLogger(__name__)

V2_DOCUMENTS = (".zarray", ".zattrs", ".zgroup", ".zmetadata")
V3_DOCUMENTS = ("zarr.json",)
# a node counts as present in a format when one of these documents exists at its path
NODE_DOCUMENTS = {2: (".zarray", ".zgroup"), 3: ("zarr.json",)}
_OBJECT_CODECS = {"vlen-utf8": VLenUTF8Codec, "vlen-bytes": VLenBytesCodec}
_ENDIAN = {">": "big", "<": "little", "=": "little"}


def migrate_v2_to_v3(*, input_store: Store, output_store: Store | None = None, dry_run: bool = False) -> None:
    """Write a v3 ``zarr.json`` beside (or, with ``output_store``, for) every v2 node of ``input_store``.

    ``output_store`` receives metadata only and must hold no v3 node at any migrated path; with
    ``dry_run`` the documents that would be written are logged and nothing changes.
    """
    target = None if output_store is None else StorePath(output_store)
    sync(_migrate(StorePath(input_store), target, dry_run))


def migrate_to_v3(zarr_v2: Any, output_path: StorePath, dry_run: bool = False) -> None:
    """Migrate the v2 array or group ``zarr_v2`` and, for a group, everything below it, to ``output_path``."""
    if zarr_v2.metadata.zarr_format != 2:
        raise TypeError(f"only arrays and groups in Zarr format 2 can be migrated; {zarr_v2!r} is format 3")
    sync(_migrate(zarr_v2.store_path, output_path, dry_run))


async def remove_metadata(
    store: Store, zarr_format: Literal[2, 3], force: bool = False, dry_run: bool = False
) -> None:
    """Delete every metadata document of ``zarr_format`` in ``store``.

    Unless ``force``, each node must also have metadata of the other format, so nothing becomes
    unreadable; every node is checked before anything is deleted.
    """
    if zarr_format not in (2, 3):
        raise ValueError(f"zarr_format must be 2 or 3, not {zarr_format!r}")
    if not store.supports_deletes:
        raise ValueError(f"{store} does not support deletes, so its metadata cannot be removed")
    store._check_writable()
    await store._ensure_open()
    names = V2_DOCUMENTS if zarr_format == 2 else V3_DOCUMENTS
    doomed = [key async for key in store.list() if key.rpartition("/")[2] in names]
    if not force:
        other = 3 if zarr_format == 2 else 2
        for key in doomed:
            parent = key.rpartition("/")[0]
            if not await _has_node(store, parent, other):
                raise ValueError(
                    f"cannot remove v{zarr_format} metadata {key!r} from {store}: the node has no "
                    f"v{other} metadata and would become unreadable; pass force=True to remove it anyway"
                )
    for key in doomed:
        logger.info("%s %s", "would delete" if dry_run else "deleting", key)
    if not dry_run:
        await asyncio.gather(*(store.delete(key) for key in doomed))


async def _has_node(store: Store, path: str, zarr_format: int) -> bool:
    prefix = f"{path}/" if path else ""
    found = await asyncio.gather(*(store.exists(prefix + name) for name in NODE_DOCUMENTS[zarr_format]))
    return any(found)


async def _migrate(source: StorePath, target: StorePath | None, dry_run: bool) -> None:
    """Plan every node's v3 document first (so a bad node writes nothing), then write them."""
    store = source.store
    await store._ensure_open()
    base = f"{source.path}/" if source.path else ""
    documents: dict[str, bytes] = {}
    async for key in store.list_prefix(base):
        parent, _, name = key.rpartition("/")
        if name not in (".zarray", ".zgroup"):
            continue
        relative = parent[len(base) :] if parent != source.path else ""
        documents[relative] = await _v3_document(store, parent, key, name)
    if not documents:
        raise FileNotFoundError(f"no Zarr v2 array or group at {str(source)!r}")
    destination = target or source
    await destination.store._ensure_open()
    outputs = [
        ((destination / relative if relative else destination) / "zarr.json", document)
        for relative, document in sorted(documents.items())
    ]
    for out, _ in outputs:
        if await out.exists():
            raise FileExistsError(f"{str(out)!r} already exists; remove it before migrating")
    for out, document in outputs:
        logger.info("%s %s", "would write" if dry_run else "writing", out)
        if not dry_run:
            await out.set_if_not_exists(Buffer.from_bytes(document))


async def _v3_document(store: Store, parent: str, key: str, name: str) -> bytes:
    """The v3 ``zarr.json`` bytes for the v2 node whose ``name`` document lives at ``key``."""
    prefix = f"{parent}/" if parent else ""
    attributes = await _load(store, prefix + ".zattrs") or {}
    if name == ".zgroup":
        return dumps_json({"attributes": attributes, "zarr_format": 3, "node_type": "group"})
    zarray = await _load(store, key)
    assert zarray is not None  # listed a moment ago
    return dumps_json(_v3_array(parse_v2_array_metadata(zarray, attributes, key=key), key).to_json())


async def _load(store: Store, key: str) -> dict[str, Any] | None:
    value = await store.get(key, default_buffer_prototype())
    return None if value is None else loads_json(value.to_bytes(), key=key)


def _v3_array(meta: ArrayV2Metadata, key: str) -> Any:
    """v3 metadata over the same chunks: transpose for 'F' order, filters, a serializer, the compressor."""
    object_filters = [f for f in meta.filters or () if f.codec_id in _OBJECT_CODECS]
    filters: list[Any] = [f for f in meta.filters or () if f.codec_id not in _OBJECT_CODECS]
    if meta.order == "F" and len(meta.shape) > 1:
        filters.insert(0, TransposeCodec(order=tuple(reversed(range(len(meta.shape))))))
    if object_filters:
        serializer: Any = _OBJECT_CODECS[object_filters[0].codec_id]()
    elif meta.dtype.kind == "O":
        raise MetadataValidationError(f"{key!r}: an object array without a vlen codec has no Zarr v3 form")
    else:
        serializer = BytesCodec(endian=_ENDIAN.get(meta.dtype.byteorder))
    return build_array_metadata(
        shape=meta.shape,
        dtype=meta.dtype.newbyteorder("=") if meta.dtype.byteorder in "<>" else meta.dtype,
        chunks=meta.chunk_grid_shape,
        filters=filters,
        compressors=list(meta.compressors),
        serializer=serializer,
        fill_value=meta.fill_value,
        zarr_format=3,
        attributes=meta.attributes,
        chunk_key_encoding={"name": "v2", "separator": meta.dimension_separator},
    )
