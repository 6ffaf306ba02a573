"""``zarr.convenience`` under the switch: zarr-python's deprecated home of the whole-store helpers,
which zarrnb keeps in its sync API (``zarrnb.api.synchronous``). Re-exports, with zarr-python's warning."""

from __future__ import annotations

import warnings

from zarrnb.api.synchronous import (
    consolidate_metadata,
    copy,
    copy_all,
    copy_store,
    load,
    open,
    open_consolidated,
    save,
    save_array,
    save_group,
    tree,
)
from zarrnb.errors import ZarrDeprecationWarning

__all__ = [
    "consolidate_metadata",
    "copy",
    "copy_all",
    "copy_store",
    "load",
    "open",
    "open_consolidated",
    "save",
    "save_array",
    "save_group",
    "tree",
]

warnings.warn(
    "zarr.convenience is deprecated. Import these functions from the top level zarr. namespace instead.",
    ZarrDeprecationWarning,
    stacklevel=2,
)
