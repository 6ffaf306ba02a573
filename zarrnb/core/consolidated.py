"""Consolidated metadata for the engine: the objects and pure functions live in the metadata layer
(:mod:`zarrnb.metadata.consolidated`), since group metadata holds a listing; re-exported here."""

from __future__ import annotations

from zarrnb.metadata.consolidated import (
    V2_CONSOLIDATED_KEY,
    ConsolidatedMetadata,
    LazyNodes,
    NodeMetadata,
    consolidated_documents,
    consolidated_json,
    parse_v2_consolidated,
    parse_v3_consolidated,
)

__all__ = [
    "V2_CONSOLIDATED_KEY",
    "ConsolidatedMetadata",
    "LazyNodes",
    "NodeMetadata",
    "consolidated_documents",
    "consolidated_json",
    "parse_v2_consolidated",
    "parse_v3_consolidated",
]
