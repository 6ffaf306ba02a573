"""``zarr.core.group`` under the switch: zarr-python keeps both group classes and the group
metadata in one module; zarrnb keeps them in its engine, API and metadata layers. Re-exports only.
"""

from __future__ import annotations

from zarrnb.api.group import Group
from zarrnb.core.consolidated import ConsolidatedMetadata
from zarrnb.core.group import AsyncGroup
from zarrnb.metadata import GroupMetadata
from zarrnb.metadata.group import parse_node_type as parse_node_type

__all__ = ["AsyncGroup", "ConsolidatedMetadata", "Group", "GroupMetadata"]
