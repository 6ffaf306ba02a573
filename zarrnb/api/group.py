"""The sync ``Group``: a thin skin over ``AsyncGroup`` whose methods run on the bridge loop."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from zarrnb.api.array import Array
from zarrnb.api.attributes import Attributes
from zarrnb.api.info import GroupInfoDisplay, with_html
from zarrnb.api.sync import blocking_method, collect, forwarded_property, sync
from zarrnb.core.array import AsyncArray
from zarrnb.core.group import AsyncGroup
from zarrnb.display import render_group_html, summarize_group
from zarrnb.storage import StoreLike, make_store_path

__all__ = ["Group", "wrap_node"]

_FORWARDED = (
    "metadata",
    "store_path",
    "store",
    "path",
    "name",
    "basename",
    "read_only",
    "zarr_format",
    "consolidated_metadata",
)


def wrap_node(value: Any) -> Any:
    """The sync twin of an async node (anything else comes back unchanged)."""
    if isinstance(value, AsyncArray):
        return Array(value)
    if isinstance(value, AsyncGroup):
        return Group(value)
    if isinstance(value, tuple):
        return tuple(wrap_node(v) for v in value)
    return value


# AsyncGroup coroutine methods that become blocking methods returning sync nodes
_BLOCKING = (
    "create_group",
    "require_group",
    "require_groups",
    "create_array",
    "require_array",
    "tree",
)


class Group:
    """A group of arrays and groups; every call blocks until its I/O is done."""

    def __init__(self, async_group: AsyncGroup) -> None:
        self._async_group = async_group

    @classmethod
    def open(
        cls, store: StoreLike, zarr_format: int | None = None, use_consolidated: bool | str | None = None
    ) -> Group:
        """Open the group at ``store`` (a store, store path, URL or local path)."""

        async def opened() -> AsyncGroup:
            return await AsyncGroup.open(await make_store_path(store), zarr_format, use_consolidated)

        return cls(sync(opened()))

    @classmethod
    def from_store(
        cls,
        store: StoreLike,
        *,
        attributes: dict[str, Any] | None = None,
        zarr_format: int | None = None,
        overwrite: bool = False,
    ) -> Group:
        """Create a group at ``store``."""
        return cls(
            sync(
                AsyncGroup.from_store(
                    store, attributes=attributes, zarr_format=zarr_format, overwrite=overwrite
                )
            )
        )

    @property
    def async_group(self) -> AsyncGroup:
        return self._async_group

    # -- members --------------------------------------------------------------

    def __getitem__(self, key: str) -> Array | Group:
        return wrap_node(sync(self._async_group.getitem(key)))

    def __setitem__(self, key: str, value: Any) -> None:
        """Store ``value`` (array-like) as a new array ``key``, replacing what was there."""
        self.create_array(key, data=value, overwrite=True)

    def __delitem__(self, key: str) -> None:
        sync(self._async_group.delitem(key))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and sync(self._async_group.contains(key))

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return sync(self._async_group.nmembers())

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def members(self, max_depth: int | None = 0) -> tuple[tuple[str, Array | Group], ...]:
        """``(path, node)`` for each member; ``max_depth=None`` walks the whole hierarchy."""
        found = sync(collect(self._async_group.members(max_depth=max_depth)))
        return tuple((name, wrap_node(node)) for name, node in found)

    def keys(self) -> Iterator[str]:
        return (name for name, _ in self.members())

    def groups(self) -> Iterator[tuple[str, Group]]:
        return ((name, node) for name, node in self.members() if isinstance(node, Group))

    def arrays(self) -> Iterator[tuple[str, Array]]:
        return ((name, node) for name, node in self.members() if isinstance(node, Array))

    def group_keys(self) -> Iterator[str]:
        return (name for name, _ in self.groups())

    def array_keys(self) -> Iterator[str]:
        return (name for name, _ in self.arrays())

    def array_values(self) -> Iterator[Array]:
        return (node for _, node in self.arrays())

    def group_values(self) -> Iterator[Group]:
        return (node for _, node in self.groups())

    def nmembers(self, max_depth: int | None = 0) -> int:
        """How many members, to ``max_depth`` levels down (None: all); a method, as in zarr-python."""
        return sync(self._async_group.nmembers(max_depth=max_depth))

    # -- zarr-python's array-creation shorthands ---------------------------------

    def create(self, *args: Any, **kwargs: Any) -> Array:
        """Same as ``create_array``."""
        return self.create_array(*args, **kwargs)

    def empty(self, *, name: str, shape: Any, **kwargs: Any) -> Array:
        """A new array with nothing written (reads give the fill value)."""
        return self.create_array(name, shape=shape, **kwargs)

    def full(self, *, name: str, shape: Any, fill_value: Any, **kwargs: Any) -> Array:
        """A new array reading as ``fill_value`` everywhere (no chunk is written)."""
        return self.create_array(name, shape=shape, fill_value=fill_value, **kwargs)

    def zeros(self, *, name: str, shape: Any, **kwargs: Any) -> Array:
        return self.full(name=name, shape=shape, fill_value=0, **kwargs)

    def ones(self, *, name: str, shape: Any, **kwargs: Any) -> Array:
        return self.full(name=name, shape=shape, fill_value=1, **kwargs)

    # -- attributes and summaries ---------------------------------------------

    @property
    def attrs(self) -> Attributes:
        return Attributes(self)

    def update_attributes(self, new_attributes: dict[str, Any]) -> Group:
        """Merge ``new_attributes`` into the attributes and write them."""
        sync(self._async_group.update_attributes(new_attributes))
        return self

    def _read_attributes(self) -> dict[str, Any]:
        return self._async_group.attrs

    def _write_attributes(self, attributes: dict[str, Any]) -> None:
        sync(self._async_group.set_attributes(attributes))

    @property
    def info(self) -> GroupInfoDisplay:
        """Name, format, store; member counts when consolidated metadata holds them (no I/O)."""
        return with_html(self._async_group.info)

    def info_complete(self) -> GroupInfoDisplay:
        """``info`` with member counts over the whole hierarchy."""
        return with_html(sync(self._async_group.info_complete()))

    # -- reprs ----------------------------------------------------------------

    def __repr__(self) -> str:
        return f"<Group {self.store_path}>"

    def _repr_html_(self) -> str:
        return render_group_html(sync(summarize_group(self._async_group)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Group) and self._async_group == other._async_group

    __hash__ = None  # type: ignore[assignment]


for _name in _BLOCKING:
    _method = getattr(AsyncGroup, _name)
    setattr(Group, _name, blocking_method(_name, _method, via="_async_group", wrap=wrap_node))
for _name in _FORWARDED:
    setattr(Group, _name, forwarded_property(_name, via="_async_group"))
del _name, _method
