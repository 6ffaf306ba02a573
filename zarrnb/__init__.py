"""zarrnb: Zarr for notebooks — the Zarr-Python 3 API, a fast engine, rich reprs and widgets.

``import zarrnb as zarr`` runs code written for zarr-python 3.
"""

from __future__ import annotations

from typing import Any

from zarrnb import config, storage
from zarrnb.abc.store import Store
from zarrnb.api.array import Array
from zarrnb.api.group import Group
from zarrnb.api.hierarchy import create_hierarchy
from zarrnb.api.synchronous import (
    array,
    consolidate_metadata,
    copy_store,
    create,
    create_array,
    create_group,
    empty,
    empty_like,
    from_array,
    full,
    full_like,
    group,
    load,
    ones,
    ones_like,
    open,
    open_array,
    open_consolidated,
    open_group,
    open_like,
    print_debug_info,
    save,
    save_array,
    save_group,
    tree,
    zeros,
    zeros_like,
)
from zarrnb.core.array import AsyncArray
from zarrnb.core.group import AsyncGroup
from zarrnb.display import render_store_html

__version__ = "0.1.0"

# stores live below the display layer and cannot import it: their notebook repr is attached here
Store._repr_html_ = render_store_html  # type: ignore[attr-defined]

__all__ = [
    "Array",
    "AsyncArray",
    "AsyncGroup",
    "Group",
    "__version__",
    "array",
    "browse",
    "config",
    "consolidate_metadata",
    "copy",
    "copy_store",
    "create",
    "create_array",
    "create_group",
    "create_hierarchy",
    "empty",
    "empty_like",
    "from_array",
    "full",
    "full_like",
    "group",
    "load",
    "ones",
    "ones_like",
    "open",
    "open_array",
    "open_consolidated",
    "open_group",
    "open_like",
    "preview",
    "print_debug_info",
    "save",
    "save_array",
    "save_group",
    "storage",
    "tree",
    "zeros",
    "zeros_like",
]

# the notebook layer (ipywidgets) loads only when one of these is first used
_NOTEBOOK = ("browse", "preview", "copy")


def __getattr__(name: str) -> Any:
    if name in _NOTEBOOK:
        import zarrnb.notebook

        return getattr(zarrnb.notebook, name)
    raise AttributeError(f"module 'zarrnb' has no attribute {name!r}")
