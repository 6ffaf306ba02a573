"""``zarr.core`` under the switch: a namespace whose submodules the table serves one by one.

zarr-python's ``zarr.core`` gathers modules that zarrnb keeps in several layers (``core``,
``metadata``, ``dtype``, ``api``), so ``zarr.core`` is not ``zarrnb.core`` itself: importing
``zarr.core.sync`` must not set ``zarrnb.core.sync``, nor ``zarr.core.array`` replace
``zarrnb.core.array``. Its children are attached here by the import system; one not imported yet
is imported on first attribute access, since zarr-python's ``import zarr`` has already loaded them
all (xarray's feature check is ``hasattr(zarr.core, "dtype")``).
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any

# a package for the import system: its submodules come only from the switch's table
__path__: list[str] = []

# the names zarr-python's zarr/core/__init__.py binds, and the child each comes from
_REEXPORTS = {"Buffer": "buffer", "NDBuffer": "buffer"}


def __getattr__(name: str) -> Any:
    """A child the table serves (``zarr.core.dtype``), imported on first use; else AttributeError."""
    from zarrnb.compat.table import ZARR_MODULES

    child = _REEXPORTS.get(name, name)
    served = sys.modules.get("zarr.core") is sys.modules[__name__]
    if served and f"zarr.core.{child}" in ZARR_MODULES:
        module: ModuleType = importlib.import_module(f"zarr.core.{child}")
        return module if child == name else getattr(module, name)
    raise AttributeError(f"module 'zarr.core' has no attribute {name!r}")
