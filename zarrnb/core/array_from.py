"""``from_array``'s ``'keep'`` settings: what a copy of an array takes from its source.

zarr-python's rules (its ``_parse_keep_array_attr``): chunks, shards and the Zarr format come from a
source array; its filters and compressors too when the copy keeps the format, its serializer when both
are format 3; its chunk key encoding when the format is kept; its dimension names from a format 3
source; a format 2 source's memory order for a format 2 copy (an ``'F'`` order dropped for format 3,
with zarr-python's warning). zarrnb also keeps the source's fill value and attributes unless given
(zarr-python resets them to the defaults; ``docs/compatibility.md`` lists the difference). From
anything else ``'keep'`` means zarr-python's ``create_array`` defaults.
"""

from __future__ import annotations

import warnings
from typing import Any

from zarrnb.core.array import AsyncArray
from zarrnb.dtype.fill_value import DEFAULT_FILL_VALUE
from zarrnb.errors import ZarrUserWarning

__all__ = ["KEEP", "kept_settings"]

KEEP = "keep"


def kept_settings(
    source: Any,
    *,
    chunks: Any,
    shards: Any,
    filters: Any,
    compressors: Any,
    serializer: Any,
    fill_value: Any,
    order: str | None,
    zarr_format: int | None,
    attributes: dict[str, Any] | None,
    chunk_key_encoding: Any,
    dimension_names: Any,
) -> dict[str, Any]:
    """``create_array`` keywords for a copy of ``source``, each ``'keep'`` (or unset) resolved."""
    if not isinstance(source, AsyncArray):
        return {
            "chunks": "auto" if chunks == KEEP else chunks,
            "shards": None if shards == KEEP else shards,
            "filters": "auto" if filters == KEEP else filters,
            "compressors": "auto" if compressors == KEEP else compressors,
            "serializer": "auto" if serializer == KEEP else serializer,
            "fill_value": fill_value,
            "order": order,
            "zarr_format": 3 if zarr_format is None else zarr_format,
            "attributes": attributes,
            "chunk_key_encoding": chunk_key_encoding,
            "dimension_names": dimension_names,
        }
    metadata = source.metadata
    source_format = metadata.zarr_format
    zarr_format = source_format if zarr_format is None else zarr_format
    same_format = zarr_format == source_format
    if filters == KEEP:
        filters = (source.filters or None) if same_format else "auto"
    if compressors == KEEP:
        compressors = (source.compressors or None) if same_format else "auto"
    if serializer == KEEP:
        serializer = source.serializer if zarr_format == 3 and source_format == 3 else "auto"
    if source_format == 2 and zarr_format == 3 and source.order == "F":
        warnings.warn(
            "The 'order' attribute of a Zarr format 2 array does not have a direct analogue in Zarr "
            "format 3. The existing order='F' of the source Zarr format 2 array will be ignored.",
            ZarrUserWarning,
            stacklevel=4,
        )
    elif order is None and zarr_format == 2:
        order = source.order
    if chunk_key_encoding is None and same_format:
        chunk_key_encoding = (
            {"name": "v2", "separator": metadata.dimension_separator}
            if source_format == 2
            else metadata.chunk_key_encoding
        )
    if dimension_names is None and source_format == 3:
        dimension_names = metadata.dimension_names
    if fill_value is None or fill_value is DEFAULT_FILL_VALUE:
        fill_value = source.fill_value
    return {
        "chunks": source.chunks if chunks == KEEP else chunks,
        "shards": source.shards if shards == KEEP else shards,
        "filters": filters,
        "compressors": compressors,
        "serializer": serializer,
        "fill_value": fill_value,
        "order": order,
        "zarr_format": zarr_format,
        "attributes": dict(source.attrs) if attributes is None else attributes,
        "chunk_key_encoding": chunk_key_encoding,
        "dimension_names": dimension_names,
    }
