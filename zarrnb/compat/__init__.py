"""The explicit ``import zarr`` switch: zarr-python's module paths served by zarrnb's modules.

Off unless switched on, in one of three ways:

* ``zarrnb.compat.install()`` in a process that has not imported ``zarr`` yet;
* ``python -m zarrnb.compat script.py args`` or ``python -m zarrnb.compat -m pytest args``, which
  also switches on every Python subprocess it starts (pytest-xdist workers, multiprocessing);
* the environment variables ``python -m zarrnb.compat --env`` prints, for processes started
  some other way.

It never shadows zarr-python silently: if ``zarr`` was already imported, ``install()`` raises
:class:`SwitchError` instead of leaving two ``zarr`` packages in one process.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

from zarrnb.codecs.registry import SERVED_AS
from zarrnb.compat.finder import ZarrnbFinder
from zarrnb.compat.table import ZARR_MODULES

__all__ = [
    "BOOT_DIR",
    "ENV_VAR",
    "ZARR_MODULES",
    "SwitchError",
    "environment",
    "install",
    "is_installed",
    "uninstall",
]

ENV_VAR = "ZARRNB_COMPAT"
# holds a sitecustomize.py that calls install() in new interpreters when ENV_VAR is "1"
BOOT_DIR = str(Path(__file__).resolve().parent / "boot")

_finder: ZarrnbFinder | None = None


class SwitchError(RuntimeError):
    """The switch cannot be turned on in this process (zarr-python is already imported)."""


def is_installed() -> bool:
    """True while ``import zarr`` is served by zarrnb in this process."""
    return _finder is not None and _finder in sys.meta_path


def install() -> None:
    """Serve ``import zarr`` (and every path in the table) from zarrnb in this process.

    Raises :class:`SwitchError` naming the file if another ``zarr`` is already imported: its
    objects would otherwise live on beside zarrnb's, and ``isinstance`` checks would fail.
    Calling it again while installed does nothing.
    """
    global _finder
    if is_installed():
        return
    existing = sys.modules.get("zarr")
    if existing is not None:
        where = getattr(existing, "__file__", None) or repr(existing)
        raise SwitchError(
            f"zarr is already imported in this process (from {where}); call "
            "zarrnb.compat.install() before anything imports zarr, or start Python with "
            "`python -m zarrnb.compat ...`"
        )
    _finder = ZarrnbFinder(ZARR_MODULES)
    sys.meta_path.insert(0, _finder)
    for zarr_path, zarrnb_path in ZARR_MODULES.items():  # the first zarr path serving a module names it
        SERVED_AS.setdefault(zarrnb_path, zarr_path)
    # bind `zarr` now: a finder inserted ahead of ours later (pytest's assertion rewriter, which
    # zarr-python's pytest11 entry point asks to rewrite `zarr`) would otherwise find the
    # installed zarr-python on sys.path; with `zarr` in sys.modules no finder is asked again
    importlib.import_module("zarr")


def uninstall() -> None:
    """Switch off: ``zarr`` paths served by zarrnb leave ``sys.modules``; zarrnb stays imported."""
    global _finder
    if _finder is None:
        return
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    _finder.forget()
    _finder = None
    SERVED_AS.clear()


def environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment variables that switch on new Python processes (``base`` or ``os.environ`` updated)."""
    env = dict(os.environ if base is None else base)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != BOOT_DIR]
    env["PYTHONPATH"] = os.pathsep.join([BOOT_DIR, *paths])
    env[ENV_VAR] = "1"
    return env
