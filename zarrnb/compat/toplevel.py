"""What ``import zarr`` gives under the switch: zarrnb's top-level names, zarr-python's version.

The names are zarrnb's own objects (``zarr.Array is zarrnb.Array``), ``config`` is the donfig
object itself (as in zarr-python), and ``__version__`` states the zarr-python release whose API
zarrnb implements with a local label naming zarrnb, so version checks in dask, xarray and
numcodecs take their zarr 3 paths.

PYTEST_DONT_REWRITE: this module is bound to ``zarr`` before pytest starts; the marker keeps
pytest from warning that it cannot rewrite the asserts of an already imported ``zarr``.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import zarrnb
import zarrnb.api.synchronous as _synchronous
from zarrnb.api.convenience import ZARR_API_VERSION

# zarrnb's public names, bound now, except those that load the notebook layer on first use
globals().update(
    {name: getattr(zarrnb, name) for name in zarrnb.__all__ if name not in zarrnb._NOTEBOOK}
)
# zarr-python's `zarr.copy`/`zarr.copy_all` are the hierarchy copies, not the notebook's `copy` button
copy = _synchronous.copy
copy_all = _synchronous.copy_all

__version__ = f"{ZARR_API_VERSION}+zarrnb.{zarrnb.__version__}"
# zarr-python's `zarr.config` is the donfig object itself, not a module
config = zarrnb.config.config
__all__ = [*zarrnb.__all__, "copy_all"]
# a package for the import system: its submodules come only from the switch's table
__path__: list[str] = []


def __getattr__(name: str) -> Any:
    """A submodule the table serves (``zarr.core``) when served as ``zarr``; anything else is zarrnb's."""
    from zarrnb.compat.table import ZARR_MODULES

    if f"zarr.{name}" in ZARR_MODULES and sys.modules.get("zarr") is sys.modules[__name__]:
        return importlib.import_module(f"zarr.{name}")
    return getattr(zarrnb, name)
