"""``Attributes``: the mutable mapping behind ``Array.attrs`` and ``Group.attrs``.

Every change is written to the store at once, so ``g.attrs['units'] = 'm'`` persists.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any, Protocol

__all__ = ["Attributes"]


class _HasAttributes(Protocol):
    def _read_attributes(self) -> dict[str, Any]: ...

    def _write_attributes(self, attributes: dict[str, Any]) -> None: ...


class Attributes(MutableMapping[str, Any]):
    """The attributes of an array or group; writes go straight to the store."""

    def __init__(self, node: _HasAttributes) -> None:
        self._node = node

    def __getitem__(self, key: str) -> Any:
        return self._node._read_attributes()[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.update({key: value})

    def __delitem__(self, key: str) -> None:
        attributes = dict(self._node._read_attributes())
        del attributes[key]
        self._node._write_attributes(attributes)

    def __iter__(self) -> Iterator[str]:
        return iter(dict(self._node._read_attributes()))

    def __len__(self) -> int:
        return len(self._node._read_attributes())

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """Set many attributes with one write."""
        self._node._write_attributes({**self._node._read_attributes(), **dict(*args, **kwargs)})

    def put(self, attributes: dict[str, Any]) -> None:
        """Replace every attribute with ``attributes``."""
        self._node._write_attributes(dict(attributes))

    def asdict(self) -> dict[str, Any]:
        return dict(self._node._read_attributes())

    def __repr__(self) -> str:
        return repr(self.asdict())
