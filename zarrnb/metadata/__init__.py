"""Zarr v2 and v3 metadata: parse, validate, build and write (layer 3, above dtype and codecs)."""

from zarrnb.metadata.build import build_array_metadata
from zarrnb.metadata.chunk_grid import guess_chunks, normalize_chunks
from zarrnb.metadata.chunk_key_encoding import ChunkKeyEncoding, parse_chunk_key_encoding
from zarrnb.metadata.common import ArrayMetadata
from zarrnb.metadata.group import GroupMetadata
from zarrnb.metadata.parse import parse_array_metadata, parse_group_metadata, parse_node_metadata
from zarrnb.metadata.v2 import ArrayV2Metadata
from zarrnb.metadata.v3 import ArrayV3Metadata

__all__ = [
    "ArrayMetadata",
    "ArrayV2Metadata",
    "ArrayV3Metadata",
    "ChunkKeyEncoding",
    "GroupMetadata",
    "build_array_metadata",
    "guess_chunks",
    "normalize_chunks",
    "parse_array_metadata",
    "parse_chunk_key_encoding",
    "parse_group_metadata",
    "parse_node_metadata",
]
