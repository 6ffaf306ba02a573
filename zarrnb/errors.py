"""The error tree: zarr-python's ``zarr.errors`` hierarchy, with zarrnb's extra classes inside it.

Every error zarr-python raises as a ``BaseZarrError`` is a ``ValueError`` here too, and each also
subclasses the builtin it refines (``NodeNotFoundError`` is a ``FileNotFoundError``,
``ContainsArrayError`` a ``FileExistsError``), so code catching either keeps working;
``ZarrnbError`` catches every error zarrnb raises on purpose, index errors included.
"""

from __future__ import annotations

__all__ = [
    "ArrayIndexError",
    "ArrayNotFoundError",
    "ArrayTooLargeError",
    "BaseZarrError",
    "BoundsCheckError",
    "ChunkDecodeError",
    "ContainsArrayAndGroupError",
    "ContainsArrayError",
    "ContainsGroupError",
    "GroupNotFoundError",
    "MetadataValidationError",
    "NegativeStepError",
    "NodeNotFoundError",
    "NodeTypeValidationError",
    "ReadOnlyError",
    "UnknownCodecError",
    "UnstableSpecificationWarning",
    "UnsupportedDataTypeError",
    "VindexInvalidSelectionError",
    "ZarrDeprecationWarning",
    "ZarrFutureWarning",
    "ZarrRuntimeWarning",
    "ZarrUserWarning",
    "ZarrnbError",
]


class ZarrnbError(Exception):
    """Base class of every error zarrnb raises on purpose."""


class BaseZarrError(ZarrnbError, ValueError):
    """zarr-python's base error, a ``ValueError``.

    One argument is the message. Several fill the class's ``_msg`` template, the older calling
    convention zarr-python still accepts (``GroupNotFoundError(store, path)``).
    """

    _msg: str = "{}"

    def __init__(self, *args: object) -> None:
        if len(args) == 1:
            super().__init__(args[0])
        else:
            super().__init__(self._msg.format(*args))


class NodeNotFoundError(BaseZarrError, FileNotFoundError):
    """Nothing (no array, no group) lives at the requested path."""


class ArrayNotFoundError(NodeNotFoundError):
    """No array lives at the requested path."""

    _msg = "No array found in store {!r} at path {!r}"


class GroupNotFoundError(NodeNotFoundError):
    """No group lives at the requested path."""

    _msg = "No group found in store {!r} at path {!r}"


class ContainsGroupError(BaseZarrError, FileExistsError):
    """A group already exists where something new was to be created."""

    _msg = "A group exists in store {!r} at path {!r}."


class ContainsArrayError(BaseZarrError, FileExistsError):
    """An array already exists where something new was to be created."""

    _msg = "An array exists in store {!r} at path {!r}."


class ContainsArrayAndGroupError(BaseZarrError, FileExistsError):
    """Both array and group metadata exist at one path (a corrupt hierarchy)."""

    _msg = (
        "Array and group metadata documents (.zarray and .zgroup) were both found in store "
        "{!r} at path {!r}. "
        "Only one of these files may be present in a given directory / prefix. "
        "Remove the .zarray file, or the .zgroup file, or both."
    )


class MetadataValidationError(BaseZarrError):
    """Metadata is malformed: the message names the key and the field."""

    _msg = "Invalid value for '{}'. Expected '{}'. Got '{}'."


class NodeTypeValidationError(MetadataValidationError):
    """The ``node_type`` field holds something other than the expected value."""


class UnknownCodecError(MetadataValidationError):
    """Metadata names a codec zarrnb does not know (zarr-python's is a ``BaseZarrError`` too)."""


class UnsupportedDataTypeError(MetadataValidationError, TypeError):
    """Metadata or a caller names a data type zarrnb does not support."""


class ReadOnlyError(BaseZarrError, PermissionError):
    """A write was attempted on a read-only store, array or group (zarr-python raises ValueError)."""


class ChunkDecodeError(BaseZarrError):
    """Chunk bytes could not be decoded: the message names the key and the codec."""


class VindexInvalidSelectionError(ZarrnbError, IndexError):
    """A ``vindex`` selection that is not a valid coordinate or mask selection."""


class NegativeStepError(ZarrnbError, IndexError):
    """A slice with a negative step (Zarr arrays support only positive steps)."""


class BoundsCheckError(ZarrnbError, IndexError):
    """A selection reaches outside the array's shape."""


class ArrayIndexError(ZarrnbError, IndexError):
    """An index that does not fit the array (zarr-python's general indexing error)."""


class ZarrFutureWarning(FutureWarning):
    """Behaviour that will change in a future release."""


class UnstableSpecificationWarning(ZarrFutureWarning):
    """A feature whose specification is not yet final (e.g. a data type outside the v3 core spec)."""


class ZarrDeprecationWarning(DeprecationWarning):
    """A deprecated argument or function."""


class ZarrUserWarning(UserWarning):
    """Something the caller probably did not intend."""


class ZarrRuntimeWarning(RuntimeWarning):
    """Something questionable happened at run time."""


class ArrayTooLargeError(ZarrnbError, MemoryError, ValueError):
    """A selection's result (or value) is too large to allocate; refused before any chunk is read."""
