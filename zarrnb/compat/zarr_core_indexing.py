"""``zarr.core.indexing`` under the switch: zarrnb's indexing module, plus what zarr-python also keeps
there (selection type names, and the Morton order, which zarrnb keeps beside the sharding codec).
Re-exports only.
"""

from __future__ import annotations

import numbers
from types import EllipsisType
from typing import Any

from zarrnb.codecs.morton import decode_morton, encode_morton, morton_order_iter
from zarrnb.core import indexing as _indexing
from zarrnb.core.indexing import *  # noqa: F403

__all__ = [*_indexing.__all__, "BasicSelection", "BasicSelector", "decode_morton", "encode_morton",
           "morton_order_iter"]  # fmt: skip

BasicSelector = int | slice | EllipsisType
BasicSelection = BasicSelector | tuple[BasicSelector, ...]


def __getattr__(name: str) -> Any:
    """The rest of zarrnb's indexing module."""
    return getattr(_indexing, name)


def is_integer(x: Any) -> bool:
    """An integer, Python's or numpy's, but not a bool (zarr-python's predicate; ``zarrs`` imports it)."""
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)
