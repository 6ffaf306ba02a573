"""Chunk key encodings: ``default`` (``c/0/1``) and ``v2`` (``0.1``), each with ``/`` or ``.``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NotRequired, TypeAlias, TypedDict

from zarrnb.errors import MetadataValidationError

__all__ = [
    "ChunkKeyEncoding",
    "ChunkKeyEncodingLike",
    "ChunkKeyEncodingParams",
    "DefaultChunkKeyEncoding",
    "SeparatorLiteral",
    "V2ChunkKeyEncoding",
    "parse_chunk_key_encoding",
    "parse_separator",
]

_DEFAULT_SEPARATORS = {"default": "/", "v2": "."}

SeparatorLiteral = Literal[".", "/"]


# the flat form users pass, ``{"name": "v2", "separator": "/"}`` (zarr-python's type); the call form
# keeps ``NotRequired`` effective under postponed annotations
ChunkKeyEncodingParams = TypedDict(  # noqa: UP013
    "ChunkKeyEncodingParams",
    {"name": Literal["v2", "default"], "separator": NotRequired[SeparatorLiteral]},
)


def parse_separator(data: object) -> SeparatorLiteral:
    """'.' or '/', or a ValueError naming what was given."""
    if data not in (".", "/"):
        raise ValueError(f"Expected an '.' or '/' separator. Got {data} instead.")
    return data  # type: ignore[return-value]


@dataclass(frozen=True)
class ChunkKeyEncoding:
    """How chunk grid coordinates become store keys (v3 core spec, chunk_key_encoding)."""

    name: Literal["default", "v2"] = "default"
    separator: Literal["/", "."] = "/"

    def encode_chunk_key(self, chunk_coords: tuple[int, ...]) -> str:
        """``c/1/2`` or ``c`` (0-d) for ``default``; ``1.2`` or ``0`` (0-d) for ``v2``."""
        if self.name == "default":
            return self.separator.join(("c", *map(str, chunk_coords)))
        return self.separator.join(map(str, chunk_coords)) if chunk_coords else "0"

    def decode_chunk_key(self, chunk_key: str) -> tuple[int, ...]:
        """The grid coordinates a key stands for (the inverse of :meth:`encode_chunk_key`)."""
        if self.name == "default":
            return () if chunk_key == "c" else tuple(int(p) for p in chunk_key.split(self.separator)[1:])
        return tuple(int(p) for p in chunk_key.split(self.separator))

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "configuration": {"separator": self.separator}}

    def __eq__(self, other: object) -> bool:
        # a DefaultChunkKeyEncoding equals the plain encoding of the same name and separator
        if not isinstance(other, ChunkKeyEncoding):
            return NotImplemented
        return (self.name, self.separator) == (other.name, other.separator)

    def __hash__(self) -> int:
        return hash((self.name, self.separator))


@dataclass(frozen=True, eq=False)
class DefaultChunkKeyEncoding(ChunkKeyEncoding):
    """zarr-python's name for the ``default`` encoding (``c/0/1``)."""

    # the class says the name; zarr-python's repr shows the separator only
    name: Literal["default"] = field(default="default", repr=False)  # type: ignore[assignment]
    separator: Literal["/", "."] = "/"


@dataclass(frozen=True, eq=False)
class V2ChunkKeyEncoding(ChunkKeyEncoding):
    """zarr-python's name for the ``v2`` encoding (``0.1``)."""

    name: Literal["v2"] = field(default="v2", repr=False)  # type: ignore[assignment]
    separator: Literal["/", "."] = "."


# what ``chunk_key_encoding=`` accepts: an encoding, its JSON, or the flat form
ChunkKeyEncodingLike: TypeAlias = dict[str, Any] | ChunkKeyEncodingParams | ChunkKeyEncoding


def parse_chunk_key_encoding(value: Any, *, key: str = "") -> ChunkKeyEncoding:
    """From JSON (``{"name", "configuration": {"separator"}}``), the flat form users pass, or None."""
    if value is None:
        return DefaultChunkKeyEncoding()
    if isinstance(value, ChunkKeyEncoding):
        return value
    where = f" in {key!r}" if key else ""
    if isinstance(value, str):
        value = {"name": value}
    if isinstance(value, tuple) and len(value) == 2:  # ("default", "."), as zarr-python's create takes
        value = {"name": value[0], "separator": value[1]}
    name = value.get("name") if isinstance(value, dict) else None
    if isinstance(name, str) and name not in _DEFAULT_SEPARATORS:
        # zarr-python's wording, which its tests match
        raise MetadataValidationError(
            f"malformed field 'chunk_key_encoding'{where}: Unknown chunk key encoding: \"Chunk key encoding "
            f"{name!r} not found in registered chunk key encodings: {list(_DEFAULT_SEPARATORS)}.\""
        )
    if not isinstance(value, dict) or value.get("name") not in _DEFAULT_SEPARATORS:
        raise MetadataValidationError(
            f"malformed field 'chunk_key_encoding'{where}: expected name 'default' or 'v2', got {value!r}"
        )
    config = value.get("configuration") or {}
    separator = config.get("separator", value.get("separator", _DEFAULT_SEPARATORS[value["name"]]))
    if separator not in ("/", "."):
        raise MetadataValidationError(
            f"malformed field 'chunk_key_encoding'{where}: separator must be '/' or '.', got {separator!r}"
        )
    encoding = DefaultChunkKeyEncoding if value["name"] == "default" else V2ChunkKeyEncoding
    return encoding(separator=separator)
