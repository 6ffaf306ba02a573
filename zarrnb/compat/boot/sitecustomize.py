"""Switches ``import zarr`` to zarrnb at interpreter start when ``ZARRNB_COMPAT=1``.

This folder is put first on ``PYTHONPATH`` by ``python -m zarrnb.compat`` (or
``zarrnb.compat.environment()``) so that subprocesses inherit the switch; any other
``sitecustomize`` further down the path still runs afterwards.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))

if os.environ.get("ZARRNB_COMPAT") == "1":
    import zarrnb.compat

    zarrnb.compat.install()

# run the sitecustomize this one shadows, if there is one
_rest = [p for p in sys.path if os.path.abspath(p or ".") != _here]
_spec = importlib.machinery.PathFinder.find_spec("sitecustomize", _rest)
if _spec is not None and _spec.loader is not None:
    _module = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_module)
