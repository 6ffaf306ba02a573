"""``.info`` objects of the sync API: the engine's tables plus an HTML repr for notebooks."""

from __future__ import annotations

import dataclasses

from zarrnb.core.info import ArrayInfo, GroupInfo
from zarrnb.display import render_info_html

__all__ = ["ArrayInfoDisplay", "GroupInfoDisplay", "with_html"]


@dataclasses.dataclass(kw_only=True, frozen=True, repr=False, eq=False)
class ArrayInfoDisplay(ArrayInfo):
    """An ``ArrayInfo`` that renders as an HTML table in a notebook."""

    def _repr_html_(self) -> str:
        return render_info_html(self)


@dataclasses.dataclass(kw_only=True, repr=False)
class GroupInfoDisplay(GroupInfo):
    """A ``GroupInfo`` that renders as an HTML table in a notebook."""

    def _repr_html_(self) -> str:
        return render_info_html(self)

    def __eq__(self, other: object) -> bool:
        """Equal to any ``GroupInfo`` with the same fields (the HTML is only a way to show it)."""
        if not isinstance(other, GroupInfo):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in dataclasses.fields(GroupInfo))


def with_html(info: ArrayInfo | GroupInfo) -> ArrayInfoDisplay | GroupInfoDisplay:
    """The same summary, able to render itself as HTML."""
    cls = ArrayInfoDisplay if isinstance(info, ArrayInfo) else GroupInfoDisplay
    return cls(**{f.name: getattr(info, f.name) for f in dataclasses.fields(info)})
