"""The copyable expression that opens a browsed node: ``zarr.open_group('data', mode='r')['a/b']``.

Where the browser was given a URL, the expression repeats it with its keyword arguments;
for an opened object it is rebuilt from the store (a memory store cannot be reopened by
name, so the expression refers to a variable ``store``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["member_expression", "opening_expression"]


def _store_argument(store: Any) -> tuple[str, dict[str, Any]]:
    """Source text of the store argument, and keyword arguments it needs."""
    text = str(store)
    if text.startswith("file://"):
        return repr(text.removeprefix("file://")), {}
    if text.startswith("zip://"):
        return f"zarr.storage.ZipStore({text.removeprefix('zip://')!r}, mode='r')", {}
    fs = getattr(store, "fs", None)
    if fs is not None:
        protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
        options = {"anon": True} if getattr(fs, "anon", False) else {}
        return repr(f"{protocol}://{store.path}"), ({"storage_options": options} if options else {})
    return "store", {}


def opening_expression(
    node: Any, url: str | None = None, open_kwargs: Mapping[str, Any] | None = None
) -> str:
    """The expression that opens ``node`` read-only: from ``url`` and ``open_kwargs`` when given."""
    function = "open_array" if hasattr(node, "shape") else "open_group"
    if url is not None:
        argument, kwargs = repr(url), {k: v for k, v in (open_kwargs or {}).items() if k != "mode"}
    else:
        argument, kwargs = _store_argument(node.store)
        if node.path:
            kwargs["path"] = node.path
    extra = "".join(f", {name}={value!r}" for name, value in kwargs.items())
    return f"zarr.{function}({argument}, mode='r'{extra})"


def member_expression(root_expression: str, path: str) -> str:
    """The expression of the member at ``path`` below the root the browser opened."""
    return f"{root_expression}[{path!r}]" if path else root_expression
