"""zarr-python's ``zarr.types``: type aliases for arrays of either Zarr format.

zarr-python's array classes are generic in their metadata class (``Array[ArrayV3Metadata]``);
zarrnb's are not (one class serves both formats, ``metadata.zarr_format`` tells them apart), so
each alias is the class itself: ``isinstance(x, AnyArray)`` and annotations both work.
"""

from __future__ import annotations

from typing import TypeAlias

from zarrnb.api.array import Array
from zarrnb.core.array import AsyncArray

__all__ = ["AnyArray", "AnyAsyncArray", "ArrayV2", "ArrayV3", "AsyncArrayV2", "AsyncArrayV3"]

AnyAsyncArray: TypeAlias = AsyncArray
"""A Zarr format 2 or 3 ``AsyncArray``."""

AsyncArrayV2: TypeAlias = AsyncArray
"""A Zarr format 2 ``AsyncArray``."""

AsyncArrayV3: TypeAlias = AsyncArray
"""A Zarr format 3 ``AsyncArray``."""

AnyArray: TypeAlias = Array
"""A Zarr format 2 or 3 ``Array``."""

ArrayV2: TypeAlias = Array
"""A Zarr format 2 ``Array``."""

ArrayV3: TypeAlias = Array
"""A Zarr format 3 ``Array``."""
