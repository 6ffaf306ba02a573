"""``zarr.creation`` under the switch: zarr-python's deprecated home of the array creators, which
zarrnb keeps in its sync API (``zarrnb.api.synchronous``). Re-exports, with zarr-python's warning."""

from __future__ import annotations

import warnings

from zarrnb.api.synchronous import (
    array,
    create,
    empty,
    empty_like,
    full,
    full_like,
    ones,
    ones_like,
    open_array,
    open_like,
    zeros,
    zeros_like,
)
from zarrnb.errors import ZarrDeprecationWarning

__all__ = [
    "array",
    "create",
    "empty",
    "empty_like",
    "full",
    "full_like",
    "ones",
    "ones_like",
    "open_array",
    "open_like",
    "zeros",
    "zeros_like",
]

warnings.warn(
    "zarr.creation is deprecated. Import these functions from the top level zarr. namespace instead.",
    ZarrDeprecationWarning,
    stacklevel=2,
)
