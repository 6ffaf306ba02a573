"""The stores: memory, local files, zip files, fsspec file systems, obstore, and wrappers."""

from __future__ import annotations

import sys
import warnings
from types import ModuleType
from typing import Any

from zarrnb.errors import ZarrDeprecationWarning

# the errors of remote stores: importable from here, outside __all__ (which matches zarr.storage's)
from zarrnb.storage._remote import StoreRequestError, StoreTimeoutError  # noqa: F401
from zarrnb.storage.common import StoreLike, StorePath, make_store_path
from zarrnb.storage.gpu_memory import GpuMemoryStore
from zarrnb.storage.local import LocalStore
from zarrnb.storage.logging import LoggingStore
from zarrnb.storage.memory import MemoryStore
from zarrnb.storage.wrapper import WrapperStore
from zarrnb.storage.zip import ZipStore

__all__ = [
    "FsspecStore",
    "GpuMemoryStore",
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

# Stores over fsspec and obstore load those libraries on first use, keeping `import zarrnb` quick.
_LAZY = {
    "FsspecStore": "zarrnb.storage.fsspec",
    "ObjectStore": "zarrnb.storage.object_store",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'zarrnb.storage' has no attribute {name!r}")


class _StorageModule(ModuleType):
    """This module, warning (as zarr-python does) when code sets the retired ``default_compressor``."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "default_compressor":
            warnings.warn(
                "setting zarr.storage.default_compressor is deprecated and has no effect; set the "
                "'array.v2_default_compressor' / 'array.v3_default_compressors' settings of zarr.config",
                ZarrDeprecationWarning,
                stacklevel=2,
            )
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _StorageModule
