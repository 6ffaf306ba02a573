"""``zarr.core`` under the switch: a namespace whose submodules the table serves one by one.

zarr-python's ``zarr.core`` gathers modules that zarrnb keeps in several layers (``core``,
``metadata``, ``dtype``, ``api``), so ``zarr.core`` is not ``zarrnb.core`` itself: importing
``zarr.core.sync`` must not set ``zarrnb.core.sync``, nor ``zarr.core.array`` replace
``zarrnb.core.array``. Its children are attached here by the import system.
"""

from __future__ import annotations

# a package for the import system: its submodules come only from the switch's table
__path__: list[str] = []


def __getattr__(name: str) -> object:
    """``from zarr.core import sync_group``: the import system looks the child up under this
    module's own zarrnb name, so a child the switch serves but nothing imported yet is imported here."""
    import importlib
    import sys

    from zarrnb.compat.table import ZARR_MODULES

    switched_on = sys.modules.get("zarr.core") is sys.modules[__name__]
    if switched_on and f"zarr.core.{name}" in ZARR_MODULES:
        return importlib.import_module(f"zarr.core.{name}")
    raise AttributeError(f"module 'zarr.core' has no attribute {name!r}")
