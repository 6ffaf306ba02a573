"""``zarr.core.group`` under the switch: zarr-python keeps both group classes, the group
metadata and the hierarchy functions in one module; zarrnb keeps them in its engine, API and
metadata layers. Re-exports only (the underscored names are zarr-python's for zarrnb's helpers).
"""

from __future__ import annotations

from zarrnb.api.group import Group
from zarrnb.core.consolidated import ConsolidatedMetadata
from zarrnb.core.group import AsyncGroup, create_hierarchy, create_nodes, create_rooted_hierarchy, get_node
from zarrnb.core.hierarchy import ImplicitGroupMarker
from zarrnb.core.hierarchy import build_metadata_v3 as _build_metadata_v3
from zarrnb.core.hierarchy import hierarchy_roots as _get_roots
from zarrnb.core.hierarchy import parse_hierarchy as _parse_hierarchy_dict
from zarrnb.metadata import GroupMetadata
from zarrnb.metadata.group import parse_node_type as parse_node_type

__all__ = [
    "AsyncGroup",
    "ConsolidatedMetadata",
    "Group",
    "GroupMetadata",
    "ImplicitGroupMarker",
    "_build_metadata_v3",
    "_get_roots",
    "_parse_hierarchy_dict",
    "create_hierarchy",
    "create_nodes",
    "create_rooted_hierarchy",
    "get_node",
]
