"""Blocking twins of the engine's hierarchy functions (zarr-python's ``zarr.core.sync_group``).

Each is generated from its coroutine (same name, signature and docstring): it runs the whole
creation on the bridge loop and hands back sync ``Array``/``Group`` nodes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from zarrnb.api.group import blocking_iterator, wrap_node
from zarrnb.api.sync import sync
from zarrnb.core import group as engine

__all__ = ["create_hierarchy", "create_nodes", "create_rooted_hierarchy", "get_node"]


def _blocking(function: Callable[..., Any]) -> Callable[..., Any]:
    """A blocking call of the coroutine function ``function``, returning the sync node."""

    @functools.wraps(function)
    def blocking(*args: Any, **kwargs: Any) -> Any:
        return wrap_node(sync(function(*args, **kwargs)))

    return blocking


create_nodes = blocking_iterator(engine.create_nodes)
create_hierarchy = blocking_iterator(engine.create_hierarchy)
create_rooted_hierarchy = _blocking(engine.create_rooted_hierarchy)
get_node = _blocking(engine.get_node)
