"""The top-level sync API: each function is its coroutine twin in ``zarrnb.api.asynchronous``
run on the bridge loop, with sync arrays and groups going in and coming out."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from zarrnb.api import asynchronous
from zarrnb.api.array import Array
from zarrnb.api.convenience import print_debug_info as print_debug_info  # zarr.print_debug_info
from zarrnb.api.group import Group, wrap_node
from zarrnb.api.hierarchy import create_hierarchy as create_hierarchy
from zarrnb.api.sync import sync, sync_inline

# zarr-python's ``__all__`` here: the coroutines' names (print_debug_info is only top-level there)
__all__ = [*asynchronous.__all__]


def _unwrap(value: Any) -> Any:
    """The async node behind a sync one (anything else unchanged)."""
    if isinstance(value, Array):
        return value.async_array
    if isinstance(value, Group):
        return value.async_group
    return value


def _blocking(coroutine_function: Callable[..., Any], *, opens: bool = False) -> Callable[..., Any]:
    """The sync twin of a top-level coroutine function, same name, signature and docstring.

    ``opens``: the function only reads when ``mode='r'``, so such calls may try the inline path.
    """

    @functools.wraps(coroutine_function)
    def blocking(*args: Any, **kwargs: Any) -> Any:
        args = tuple(_unwrap(a) for a in args)
        kwargs = {k: _unwrap(v) for k, v in kwargs.items()}
        if opens and kwargs.get("mode") == "r":
            store = args[0] if args else kwargs.get("store")
            return wrap_node(sync_inline(lambda: coroutine_function(*args, **kwargs), store))
        return wrap_node(sync(coroutine_function(*args, **kwargs)))

    blocking.__module__ = __name__
    return blocking


array = _blocking(asynchronous.array)
consolidate_metadata = _blocking(asynchronous.consolidate_metadata)
copy = _blocking(asynchronous.copy)
copy_all = _blocking(asynchronous.copy_all)
copy_store = _blocking(asynchronous.copy_store)
create = _blocking(asynchronous.create)
create_array = _blocking(asynchronous.create_array)
create_group = _blocking(asynchronous.create_group)
empty = _blocking(asynchronous.empty)
empty_like = _blocking(asynchronous.empty_like)
from_array = _blocking(asynchronous.from_array)
full = _blocking(asynchronous.full)
full_like = _blocking(asynchronous.full_like)
group = _blocking(asynchronous.group)
load = _blocking(asynchronous.load)
open = _blocking(asynchronous.open, opens=True)
open_array = _blocking(asynchronous.open_array, opens=True)
open_consolidated = _blocking(asynchronous.open_consolidated, opens=True)
open_group = _blocking(asynchronous.open_group, opens=True)
open_like = _blocking(asynchronous.open_like)
ones = _blocking(asynchronous.ones)
ones_like = _blocking(asynchronous.ones_like)
save = _blocking(asynchronous.save)
save_array = _blocking(asynchronous.save_array)
save_group = _blocking(asynchronous.save_group)
tree = _blocking(asynchronous.tree)
zeros = _blocking(asynchronous.zeros)
zeros_like = _blocking(asynchronous.zeros_like)
