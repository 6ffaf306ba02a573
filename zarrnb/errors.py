"""The error tree: each zarrnb error also subclasses the builtin it refines.

Catching ``FileNotFoundError`` or ``ValueError`` keeps working for code written
against zarr-python, while ``zarrnb.errors.ZarrnbError`` catches them all.
"""

from __future__ import annotations

__all__ = [
    "ArrayNotFoundError",
    "ArrayTooLargeError",
    "BoundsCheckError",
    "ChunkDecodeError",
    "ContainsArrayAndGroupError",
    "ContainsArrayError",
    "ContainsGroupError",
    "GroupNotFoundError",
    "MetadataValidationError",
    "NodeNotFoundError",
    "NodeTypeValidationError",
    "ReadOnlyError",
    "UnknownCodecError",
    "UnsupportedDataTypeError",
    "ZarrnbError",
]


class ZarrnbError(Exception):
    """Base class of every error zarrnb raises on purpose."""


class NodeNotFoundError(ZarrnbError, FileNotFoundError):
    """Nothing (no array, no group) lives at the requested path."""


class GroupNotFoundError(NodeNotFoundError):
    """No group lives at the requested path."""


class ArrayNotFoundError(NodeNotFoundError):
    """No array lives at the requested path."""


class ContainsArrayError(ZarrnbError, FileExistsError, ValueError):
    """An array already exists where something new was to be created."""


class ContainsGroupError(ZarrnbError, FileExistsError, ValueError):
    """A group already exists where something new was to be created."""


class ContainsArrayAndGroupError(ZarrnbError, FileExistsError, ValueError):
    """Both array and group metadata exist at one path (a corrupt hierarchy)."""


class ReadOnlyError(ZarrnbError, PermissionError, ValueError):
    """A write was attempted on a read-only store, array or group."""


class MetadataValidationError(ZarrnbError, ValueError):
    """Metadata is malformed: the message names the key and the field."""


class NodeTypeValidationError(MetadataValidationError):
    """The ``node_type`` field holds something other than the expected value."""


class UnknownCodecError(MetadataValidationError):
    """Metadata names a codec zarrnb does not know."""


class UnsupportedDataTypeError(MetadataValidationError, TypeError):
    """Metadata or a caller names a data type zarrnb does not support."""


class ChunkDecodeError(ZarrnbError, ValueError):
    """Chunk bytes could not be decoded: the message names the key and the codec."""


class BoundsCheckError(ZarrnbError, IndexError):
    """A selection reaches outside the array's shape."""


class ArrayTooLargeError(ZarrnbError, MemoryError, ValueError):
    """A selection's result (or value) is too large to allocate; refused before any chunk is read."""
