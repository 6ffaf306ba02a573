"""Settings that matter, readable from ``ZARRNB_*`` environment variables.

``zarrnb.config.get("default_zarr_format")`` reads a setting; ``zarrnb.config.set(...)``
changes settings and, used as a context manager, restores them on exit.
Environment variables use upper case and ``__`` for dots, e.g.
``ZARRNB_ASYNC__CONCURRENCY=32``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

__all__ = ["DEFAULTS", "get", "reset", "set"]

DEFAULTS: dict[str, Any] = {
    "default_zarr_format": 3,
    # how many store requests one call keeps in flight
    "async.concurrency": 64,
    # worker threads for chunk codecs; None means os.cpu_count()
    "threading.max_workers": None,
    "array.write_empty_chunks": False,
    "array.order": "C",
    # codecs that can run code from stored data (numcodecs "pickle") are refused unless True
    "codecs.allow_unsafe": False,
    # HTML repr bounds (members per level, levels deep)
    "display.max_members": 50,
    "display.max_depth": 3,
}

_ENV_PREFIX = "ZARRNB_"


def _from_environment() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, raw in os.environ.items():
        if not name.startswith(_ENV_PREFIX):
            continue
        key = name[len(_ENV_PREFIX) :].lower().replace("__", ".")
        if key not in DEFAULTS:
            continue
        try:
            found[key] = json.loads(raw)
        except json.JSONDecodeError:
            found[key] = raw
    return found


_settings: dict[str, Any] = {**DEFAULTS, **_from_environment()}


def get(key: str, default: Any = ...) -> Any:
    """Return the setting ``key``; an unknown key raises ``KeyError`` naming it."""
    if key in _settings:
        return _settings[key]
    if default is not ...:
        return default
    raise KeyError(f"unknown zarrnb setting {key!r}; known settings: {sorted(DEFAULTS)}")


class _Restorer:
    """Returned by :func:`set`; restores the previous values when used as a context manager."""

    def __init__(self, previous: dict[str, Any]) -> None:
        self._previous = previous

    def __enter__(self) -> _Restorer:
        return self

    def __exit__(self, *exc: object) -> None:
        _settings.update(self._previous)


def set(values: Mapping[str, Any] | None = None, **kwargs: Any) -> _Restorer:
    """Change settings; unknown keys raise ``KeyError`` before anything changes."""
    updates = {**(values or {}), **{k.replace("__", "."): v for k, v in kwargs.items()}}
    unknown = [k for k in updates if k not in DEFAULTS]
    if unknown:
        raise KeyError(f"unknown zarrnb setting(s) {unknown}; known settings: {sorted(DEFAULTS)}")
    previous = {k: _settings[k] for k in updates}
    _settings.update(updates)
    return _Restorer(previous)


def reset() -> None:
    """Restore the defaults and the environment's values."""
    _settings.clear()
    _settings.update({**DEFAULTS, **_from_environment()})
