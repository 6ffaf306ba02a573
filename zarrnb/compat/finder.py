"""The one import hook of the switch: serves ``zarr`` and ``zarr.*`` from the table's zarrnb modules."""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from collections.abc import Mapping, Sequence
from types import ModuleType

__all__ = ["ZarrnbFinder"]


class ZarrnbFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``zarr`` paths in ``table`` and loads them as the zarrnb module objects themselves.

    Loading hands back the already imported zarrnb module; the import system stamps its own
    ``__spec__`` on it, which :meth:`exec_module` puts back, so zarrnb's modules are unchanged.
    A ``zarr`` path missing from the table raises ``ModuleNotFoundError`` here rather than
    falling through to an installed zarr-python (no half-and-half mixtures).
    """

    def __init__(self, table: Mapping[str, str], root: str = "zarr") -> None:
        self.table = dict(table)
        self.root = root
        self.served: dict[str, ModuleType] = {}
        self._own_specs: dict[str, importlib.machinery.ModuleSpec | None] = {}

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        """A spec for a mapped ``zarr`` path; ``None`` for anything outside ``zarr``."""
        if fullname != self.root and not fullname.startswith(self.root + "."):
            return None
        if fullname not in self.table:
            raise ModuleNotFoundError(
                f"No module named {fullname!r}: zarrnb's `import zarr` switch does not serve this "
                f"zarr-python path (see zarrnb.compat.table.ZARR_MODULES)",
                name=fullname,
            )
        module = importlib.import_module(self.table[fullname])
        is_package = hasattr(module, "__path__")
        spec = importlib.machinery.ModuleSpec(
            fullname, self, origin=getattr(module, "__file__", None), is_package=is_package
        )
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        """The zarrnb module itself; its own spec is kept to be restored by :meth:`exec_module`."""
        module = sys.modules[self.table[spec.name]]
        self._own_specs[spec.name] = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run (the zarrnb module is loaded); put back the spec the import system replaced."""
        zarr_name = module.__spec__.name  # the spec find_spec made, stamped on by the import system
        module.__spec__ = self._own_specs.pop(zarr_name)
        self.served[zarr_name] = module

    def forget(self) -> None:
        """Remove every module served from ``sys.modules`` and the attributes imports set on parents."""
        for zarr_name, module in sorted(self.served.items(), key=lambda item: -item[0].count(".")):
            if sys.modules.get(zarr_name) is module:
                del sys.modules[zarr_name]
            parent_name, _, child = zarr_name.rpartition(".")
            parent = self.served.get(parent_name)
            # `import zarr.core.sync` set zarrnb.core.sync; drop it unless it is a real submodule
            if parent is not None and getattr(parent, child, None) is module:
                if module.__name__ != f"{parent.__name__}.{child}":
                    delattr(parent, child)
        self.served.clear()
