"""``GpuMemoryStore`` (zarr-python's): a memory store of GPU buffers, which zarrnb does not provide.

The name exists so code importing it loads; making one raises an error that names what is missing.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from typing import Any, Self

from zarrnb.storage.memory import MemoryStore

__all__ = ["GpuMemoryStore"]


class GpuMemoryStore(MemoryStore):
    """A MemoryStore holding GPU buffers: refused (needs cupy, and GPU buffers zarrnb does not have)."""

    def __init__(self, store_dict: Any = None, *, read_only: bool = False) -> None:
        if importlib.util.find_spec("cupy") is None:
            raise ImportError("GpuMemoryStore needs the 'cupy' package, which is not installed")
        raise NotImplementedError("zarrnb keeps chunks in CPU memory; use MemoryStore, then cupy.asarray")

    @classmethod
    def from_dict(cls, store_dict: Mapping[str, Any]) -> Self:
        """zarr-python's: a new store holding ``store_dict``'s buffers moved to the GPU (a copy of the
        mapping); refused as the constructor is, naming cupy where it is missing."""
        return cls(dict(store_dict.items()))
