"""The stores: memory, local files, zip files, fsspec file systems, obstore, and wrappers."""

from __future__ import annotations

from typing import Any

from zarrnb.storage.common import StoreLike, StorePath, make_store_path
from zarrnb.storage.local import LocalStore
from zarrnb.storage.memory import MemoryStore

__all__ = [
    "FsspecStore",
    "LocalStore",
    "LoggingStore",
    "MemoryStore",
    "ObjectStore",
    "StoreLike",
    "StorePath",
    "WrapperStore",
    "ZipStore",
    "make_store_path",
]

# Stores that pull in heavy optional libraries (fsspec, obstore) load on first use.
_LAZY = {
    "FsspecStore": "zarrnb.storage.fsspec",
    "ObjectStore": "zarrnb.storage.object_store",
    "ZipStore": "zarrnb.storage.zip",
    "WrapperStore": "zarrnb.storage.wrapper",
    "LoggingStore": "zarrnb.storage.logging",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'zarrnb.storage' has no attribute {name!r}")
