"""zarr-python 3.1.6's documented public API, name by name and parameter by parameter, on zarrnb (issue 9).

Each documented zarr-python module is compared with the zarrnb module the ``import zarr`` switch serves
for it (``zarrnb/compat/table.py``), without the switch: zarr-python itself is the oracle. A public
name must exist; a public function, class constructor or public method must accept every parameter
zarr-python's has (same name, same kind); a differing default is reported, not failed.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import types
import warnings
from typing import Any

import pytest

from zarrnb.compat.table import ZARR_MODULES

MODULES = [
    "zarr",
    "zarr.abc.buffer",
    "zarr.abc.codec",
    "zarr.abc.metadata",
    "zarr.abc.numcodec",
    "zarr.abc.store",
    "zarr.api.asynchronous",
    "zarr.api.synchronous",
    "zarr.buffer",
    "zarr.buffer.cpu",
    "zarr.codecs",
    "zarr.codecs.numcodecs",
    "zarr.config",
    "zarr.convenience",
    "zarr.creation",
    "zarr.dtype",
    "zarr.errors",
    "zarr.experimental.cache_store",
    "zarr.metadata.migrate_v3",
    "zarr.registry",
    "zarr.storage",
    "zarr.testing.buffer",
    "zarr.testing.stateful",
    "zarr.testing.store",
    "zarr.testing.strategies",
    "zarr.testing.utils",
]

# Documented deliberate differences (docs/compatibility.md, "Deliberate differences"): key -> reason.
# Keys are "module:name" for a name or "module:qualname(param)" for a parameter.
_COPY = (
    "zarr-python's takes (*args, **kwargs), raising NotImplementedError; zarrnb's: zarr-python 2's parameters"
)
ALLOWED: dict[str, str] = {
    f"{module}:{func}({param})": _COPY
    for module in ("zarr", "zarr.api.asynchronous", "zarr.api.synchronous", "zarr.convenience")
    for func in ("copy", "copy_all", "copy_store")
    for param in ("args", "kwargs")
}

# Gaps still open: key -> one-line reason. The test fails if a listed gap is in fact present.
UNFINISHED: dict[str, str] = {}


def _theirs(path: str) -> Any:
    """zarr-python's object for a documented path (``zarr.config`` is an object, not a module)."""
    if path == "zarr.config":
        return importlib.import_module("zarr").config
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zarr.convenience and zarr.creation warn that they are deprecated
        return importlib.import_module(path)


def _ours(path: str) -> Any:
    """The zarrnb object the switch serves for ``path``."""
    if path == "zarr.config":
        return importlib.import_module(ZARR_MODULES["zarr"]).config
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # so do zarrnb's, under the switch
        return importlib.import_module(ZARR_MODULES[path])


def _public_names(obj: Any) -> list[str]:
    """``__all__`` if the module has one, else the public names its own source defines (not imports)."""
    if not isinstance(obj, types.ModuleType):
        names = [n for n in dir(obj) if not n.startswith("_")]
    elif hasattr(obj, "__all__"):
        names = list(obj.__all__)
    else:
        names = [n for n in _defined_names(obj) if not n.startswith("_") and n not in _NOT_API]
    return sorted(n for n in names if not isinstance(getattr(obj, n, None), types.ModuleType))


_NOT_API = {"TYPE_CHECKING", "logger"}


def _defined_names(module: types.ModuleType) -> set[str]:
    """Names bound at the top level of ``module``'s source by def, class or assignment."""
    tree = ast.parse(inspect.getsource(module))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _signature(obj: Any) -> inspect.Signature | None:
    try:
        return inspect.signature(obj)
    except (TypeError, ValueError):
        return None


def _compare_params(key: str, theirs: Any, ours: Any, report: dict[str, list[str]]) -> None:
    """Record each parameter of ``theirs`` that ``ours`` lacks or takes as another kind; note defaults."""
    sig_t, sig_o = _signature(theirs), _signature(ours)
    if sig_t is None:
        return
    report["checked"].append(key)
    if sig_o is None:
        report["missing"].append(f"{key}: no signature on zarrnb's")
        return
    params_o = sig_o.parameters
    var_kw = any(p.kind is p.VAR_KEYWORD for p in params_o.values())
    var_pos = any(p.kind is p.VAR_POSITIONAL for p in params_o.values())
    positional_o = [q for q in params_o.values() if q.kind in (q.POSITIONAL_ONLY, q.POSITIONAL_OR_KEYWORD)]
    for index, (name, p) in enumerate(sig_t.parameters.items()):
        pkey = f"{key}({name})"
        report["params"].append(pkey)
        q = params_o.get(name)
        if q is None and name.startswith("_") and p.kind is p.POSITIONAL_OR_KEYWORD:
            # a private name marks a positional parameter its callers never name: position is what counts
            q = positional_o[index] if index < len(positional_o) else None
            if q is not None:
                continue
        if q is None and var_kw and var_pos and p.kind is p.POSITIONAL_OR_KEYWORD:
            continue  # a forwarding wrapper (``*args, **kwargs``) takes it either way
        if q is None:
            if (p.kind is p.KEYWORD_ONLY and var_kw) or (p.kind is p.VAR_POSITIONAL and var_pos):
                continue
            if p.kind is p.VAR_KEYWORD and var_kw:
                continue
            report["missing"].append(pkey)
            continue
        if p.kind != q.kind and not _kind_compatible(p, q):
            report["missing"].append(f"{pkey}: kind {p.kind.name} vs {q.kind.name}")
            continue
        if p.default is not p.empty and _default_differs(p.default, q.default):
            report["defaults"].append(f"{pkey}: {p.default!r} vs {q.default!r}")


def _kind_compatible(p: inspect.Parameter, q: inspect.Parameter) -> bool:
    """A positional-or-keyword parameter on zarrnb's side accepts every call zarr-python's kind allows."""
    return q.kind is q.POSITIONAL_OR_KEYWORD and p.kind in (p.POSITIONAL_ONLY, p.KEYWORD_ONLY)


def _default_differs(a: Any, b: Any) -> bool:
    """Unequal and printed differently (equal enums of two libraries, or strategies, print the same)."""
    try:
        unequal = bool(a != b)
    except Exception:
        unequal = a is not b
    return unequal and repr(a) != repr(b)


def _compare_class(key: str, theirs: type, ours: Any, report: dict[str, list[str]]) -> None:
    """Constructor parameters, then every public method/property zarr-python's class defines."""
    if not isinstance(ours, type):
        report["missing"].append(f"{key}: not a class on zarrnb's side")
        return
    if theirs.__init__ is not object.__init__ or theirs.__new__ is not object.__new__:
        _compare_params(key, theirs, ours, report)
    for attr in sorted(dir(theirs)):
        if attr.startswith("_"):
            continue
        akey = f"{key}.{attr}"
        report["names"].append(akey)
        if not hasattr(ours, attr):
            report["missing"].append(akey)
            continue
        member = inspect.getattr_static(theirs, attr)
        if isinstance(member, (staticmethod, classmethod)):
            # bound on both sides, so ``cls`` drops out of both signatures
            _compare_params(akey, getattr(theirs, attr), getattr(ours, attr), report)
        elif inspect.isfunction(member):
            mine = inspect.getattr_static(ours, attr)
            if isinstance(mine, (staticmethod, classmethod)):
                mine = getattr(ours, attr)
                member = getattr(theirs, attr)
            if callable(mine):
                _compare_params(akey, member, mine, report)


def survey(path: str) -> dict[str, list[str]]:
    """Everything zarr-python documents at ``path``, checked against zarrnb's object."""
    report: dict[str, list[str]] = {"names": [], "checked": [], "params": [], "missing": [], "defaults": []}
    theirs = _theirs(path)
    if path != "zarr.config" and path not in ZARR_MODULES:
        report["missing"].append(f"{path}: no zarrnb module")
        return report
    ours = _ours(path)
    for name in _public_names(theirs):
        key = f"{path}:{name}"
        report["names"].append(key)
        if not hasattr(ours, name):
            report["missing"].append(key)
            continue
        t, o = getattr(theirs, name), getattr(ours, name)
        if isinstance(t, type) and t.__module__.startswith("zarr"):
            _compare_class(key, t, o, report)
        elif inspect.isfunction(t) or inspect.ismethod(t):
            if callable(o):
                _compare_params(key, t, o, report)
            else:
                report["missing"].append(f"{key}: not callable on zarrnb's side")
    return report


def _key(gap: str) -> str:
    """The allow-list / UNFINISHED key of a reported gap (the text before its detail)."""
    return gap.split(": ")[0]


def _owner(key: str) -> str:
    """The documented module path a key belongs to."""
    return key.split(":")[0]


@pytest.mark.parametrize("path", MODULES)
def test_api_surface(path: str) -> None:
    report = survey(path)
    for difference in report["defaults"]:  # reported, not failed: zarrnb may pick a better default
        warnings.warn(f"default differs from zarr-python's: {difference}", UserWarning, stacklevel=1)
    gaps = [g for g in report["missing"] if _key(g) not in ALLOWED]
    unexpected = [g for g in gaps if _key(g) not in UNFINISHED]
    found = {_key(g) for g in gaps}
    stale = [k for k in UNFINISHED if _owner(k) == path and k not in found]
    assert not unexpected, f"{path}: missing on zarrnb:\n  " + "\n  ".join(unexpected)
    assert not stale, f"{path}: listed as UNFINISHED but present now:\n  " + "\n  ".join(stale)


def test_allow_list_entries_are_still_different() -> None:
    """An ALLOWED entry that zarrnb now matches is stale and must go."""
    found = {_key(g) for path in {_owner(k) for k in ALLOWED} for g in survey(path)["missing"]}
    assert not [k for k in ALLOWED if k not in found]


def test_switch_top_level_copy_is_the_hierarchy_copy() -> None:
    """``zarr.copy``/``zarr.copy_all`` copy nodes under the switch (not the notebook button)."""
    import zarrnb
    from zarrnb.compat import toplevel

    source = zarrnb.group(store=zarrnb.storage.MemoryStore())
    source.create_array("a", shape=(3,), dtype="i2")[:] = [1, 2, 3]
    dest = zarrnb.group(store=zarrnb.storage.MemoryStore())
    copied, skipped, _ = toplevel.copy_all(source, dest)
    assert (copied, skipped) == (1, 0) and dest["a"][:].tolist() == [1, 2, 3]
    assert toplevel.copy(source["a"], dest, name="b")[0] == 1 and dest["b"][:].tolist() == [1, 2, 3]
    assert "copy_all" in toplevel.__all__


@pytest.mark.parametrize("module", ["convenience", "creation"])
def test_deprecated_modules_warn_and_serve_the_sync_api(module: str) -> None:
    """``zarr.convenience``/``zarr.creation`` warn on first import, as zarr-python's do, and re-export."""
    import sys

    import zarrnb.api.synchronous
    from zarrnb.errors import ZarrDeprecationWarning

    sys.modules.pop(f"zarrnb.compat.zarr_{module}", None)
    with pytest.warns(ZarrDeprecationWarning, match=f"zarr.{module} is deprecated"):
        served = importlib.import_module(f"zarrnb.compat.zarr_{module}")
    theirs = _theirs(f"zarr.{module}")
    assert served.__all__ == theirs.__all__
    assert all(getattr(served, n) is getattr(zarrnb.api.synchronous, n) for n in served.__all__)


def test_positional_calls_zarr_python_allows() -> None:
    """``TransposeCodec.validate(shape, dtype, grid)`` and ``AsyncArray.setitem(sel, value, prototype)``."""
    import asyncio

    import numpy as np
    import zarr

    import zarrnb
    from zarrnb.codecs import TransposeCodec
    from zarrnb.core.buffer import default_buffer_prototype

    def message(codec: Any, dtype: Any) -> str:
        with pytest.raises(ValueError) as caught:
            codec.validate((2, 3, 4), dtype, None)
        return str(caught.value)

    theirs = message(zarr.codecs.TransposeCodec(order=(1, 0)), zarr.dtype.Int32())
    assert message(TransposeCodec(order=(1, 0)), np.dtype("i4")).startswith(theirs.rstrip("."))
    array = zarrnb.create_array(zarrnb.storage.MemoryStore(), shape=(3,), dtype="i4")
    asyncio.run(array.async_array.setitem(slice(None), np.arange(3), default_buffer_prototype()))
    assert array[:].tolist() == [0, 1, 2]
