"""``zarr.core.sync_group`` under the switch: the blocking hierarchy functions, which zarrnb keeps
in its sync API layer (``zarrnb.api.hierarchy``). Re-exports only."""

from __future__ import annotations

from zarrnb.api.hierarchy import create_hierarchy, create_nodes, create_rooted_hierarchy, get_node

__all__ = ["create_hierarchy", "create_nodes", "create_rooted_hierarchy", "get_node"]
