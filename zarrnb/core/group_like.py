"""``AsyncGroup.empty_like``/``full_like``/``ones_like``/``zeros_like``: a child array created like another.

What a ``*_like`` creation takes from its source (shape, chunks, dtype, encoding, fill value) is the
module-level ``*_like`` of ``zarrnb.api.asynchronous``, as in zarr-python, whose group methods call
``zarr.api.asynchronous``'s. That layer sits above this one, so it hands its functions in with
:func:`register_like_creators` when it is imported (importing ``zarrnb`` does), and these methods call them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

__all__ = ["LIKE_METHODS", "register_like_creators"]

KINDS = ("empty_like", "full_like", "ones_like", "zeros_like")
_CREATORS: dict[str, Callable[..., Awaitable[Any]]] = {}


def register_like_creators(**creators: Callable[..., Awaitable[Any]]) -> None:
    """Install the module-level ``*_like`` coroutine functions the group methods call, by name."""
    unknown = sorted(set(creators) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown *_like creators {unknown}; expected some of {list(KINDS)}")
    _CREATORS.update(creators)


def _like_method(kind: str) -> Callable[..., Awaitable[Any]]:
    """The AsyncGroup method ``kind``: ``await group.<kind>(name=..., data=..., **kwargs)``."""

    async def method(self: Any, *, name: str, data: Any, **kwargs: Any) -> Any:
        creator = _CREATORS.get(kind)
        if creator is None:
            raise RuntimeError(f"AsyncGroup.{kind} needs zarrnb.api.asynchronous, not imported yet")
        return await creator(data, store=self.store_path, path=name, **kwargs)

    method.__name__ = kind
    method.__qualname__ = f"AsyncGroup.{kind}"
    method.__doc__ = (
        f"A new child array ``name`` created by ``{kind}`` from ``data`` (its shape, chunks, dtype, "
        "encoding and, where that function keeps it, fill value); ``kwargs`` override them."
    )
    return method


LIKE_METHODS = tuple(_like_method(kind) for kind in KINDS)
