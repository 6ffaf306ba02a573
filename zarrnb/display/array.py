"""The HTML repr of an array: its metadata table, attributes and chunk-grid picture."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from zarrnb.core.info import byte_info
from zarrnb.display.chunk_grid import render_chunk_grid
from zarrnb.display.group import dimensions_line
from zarrnb.display.html import fill, wrap
from zarrnb.display.parts import attributes_section, header, lines, table
from zarrnb.display.summary import ArraySummary, summarize_array

if TYPE_CHECKING:
    from zarrnb.core.array import AsyncArray

__all__ = ["array_plain_repr", "render_array_html"]


def array_plain_repr(summary: ArraySummary) -> str:
    """The plain repr, as zarr-python prints it: ``<Array memory://... shape=(2,) dtype=float64>``."""
    return f"<Array {summary.store_url} shape={summary.shape} dtype={summary.dtype}>"


def _rows(s: ArraySummary) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [
        ("Shape", s.shape),
        ("Dimension names", s.dimension_names if s.dimension_names is not None else "–"),
        ("Data type", s.dtype),
    ]
    if s.shards is not None:
        rows.append(("Shard shape", s.shards))
    rows += [
        ("Chunk shape", s.chunks),
        ("Filters", lines(s.filters)),
    ]
    if s.serializer is not None:
        rows.append(("Serializer", s.serializer))
    rows += [
        ("Compressors", lines(s.compressors)),
        ("Fill value", s.fill_value),
        ("Order", s.order),
        ("Zarr format", s.zarr_format),
        ("Read-only", s.read_only),
        ("No. bytes", byte_info(math.prod(s.shape) * s.itemsize)),
    ]
    return rows


def render_array_html(array: AsyncArray | ArraySummary) -> str:
    """The HTML repr of ``array``, from its metadata alone (no I/O)."""
    s = array if isinstance(array, ArraySummary) else summarize_array(array)
    body = fill(
        "array.html",
        header=header("zarrnb.Array", s.name, s.store_url),
        dimensions=dimensions_line([s]),
        table=table(_rows(s)),
        figure=render_chunk_grid(s.shape, s.chunks, s.shards, s.dimension_names),
        attributes=attributes_section(s.attributes),
    )
    return str(wrap(body, array_plain_repr(s)))
