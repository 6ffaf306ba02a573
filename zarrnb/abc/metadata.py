"""``Metadata``: the base of objects that serialize to and from JSON dicts (codecs, chunk grids)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any, Self

__all__ = ["Metadata"]


@dataclass(frozen=True)
class Metadata:
    """A frozen dataclass whose fields are its JSON; nested ``Metadata`` serialize recursively."""

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict, nested ``Metadata`` (alone or in sequences) turned into dicts too."""
        out: dict[str, Any] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, Metadata):
                value = value.to_dict()
            elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
                value = tuple(v.to_dict() if isinstance(v, Metadata) else v for v in value)
            out[field.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """An instance from the dict ``to_dict`` wrote."""
        return cls(**data)
