"""``zarr.core.indexing`` under the switch: zarrnb's indexing module, plus what zarr-python also keeps
there (``ceildiv``, and the Morton order, which zarrnb keeps beside the sharding codec).
Re-exports only.
"""

from __future__ import annotations

import numbers
from typing import Any

from zarrnb.codecs.morton import decode_morton, encode_morton, morton_order_iter
from zarrnb.core import indexing as _indexing
from zarrnb.core.common import ceildiv
from zarrnb.core.indexing import *  # noqa: F403
from zarrnb.core.indexing import (
    ArrayOfIntOrBool,
    BasicSelection,
    BasicSelector,
    CoordinateSelection,
    Fields,
    IntSequence,
    MaskSelection,
    OrthogonalSelection,
    Selection,
    Selector,
    SelectorTuple,
    _ArrayIndexingOrder,
    _iter_grid,
    _iter_regions,
)

__all__ = [*_indexing.__all__, "ArrayOfIntOrBool", "BasicSelection", "BasicSelector", "CoordinateSelection",
           "Fields", "IntSequence", "MaskSelection", "OrthogonalSelection", "Selection", "Selector",
           "SelectorTuple", "_ArrayIndexingOrder", "_iter_grid", "_iter_regions", "ceildiv", "decode_morton",
           "encode_morton", "morton_order_iter"]  # fmt: skip


def __getattr__(name: str) -> Any:
    """The rest of zarrnb's indexing module."""
    return getattr(_indexing, name)


def is_integer(x: Any) -> bool:
    """An integer, Python's or numpy's, but not a bool (zarr-python's predicate; ``zarrs`` imports it)."""
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)
