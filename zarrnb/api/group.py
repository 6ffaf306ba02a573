"""The sync ``Group``: a thin skin over ``AsyncGroup`` whose methods run on the bridge loop."""

from __future__ import annotations

import functools
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from zarrnb.api import asynchronous
from zarrnb.api.array import Array
from zarrnb.api.attributes import Attributes
from zarrnb.api.info import GroupInfoDisplay, with_html
from zarrnb.api.sync import blocking_method, collect, forwarded_property, sync, sync_inline
from zarrnb.core.array import AsyncArray
from zarrnb.core.group import AsyncGroup
from zarrnb.core.group_like import KINDS as like_kinds
from zarrnb.core.group_like import register_like_creators
from zarrnb.display import render_group_html, summarize_group
from zarrnb.errors import ZarrDeprecationWarning, ZarrUserWarning
from zarrnb.metadata.fastjson import gc_paused
from zarrnb.storage import StoreLike, make_store_path

__all__ = ["Group", "blocking_iterator", "wrap_node"]

_GC_PAUSE_NODES = 1000  # listings this long are wrapped with the collector paused

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
    "synchronizer",
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


def blocking_iterator(
    function: Callable[..., AsyncIterator[tuple[str, Any]]],
) -> Callable[..., Iterator[tuple[str, Any]]]:
    """A generator over ``function``'s ``(path, node)`` pairs with sync nodes; like zarr-python's,
    nothing runs until it is iterated, and then the whole async iteration runs at once."""

    @functools.wraps(function)
    def blocking(*args: Any, **kwargs: Any) -> Iterator[tuple[str, Any]]:
        for path, node in sync(collect(function(*args, **kwargs))):
            yield path, wrap_node(node)

    return blocking


def _iterating_method(name: str) -> Callable[..., Iterator[tuple[str, Any]]]:
    """A sync method iterating ``self._async_group.<name>(...)`` through :func:`blocking_iterator`."""

    @functools.wraps(getattr(AsyncGroup, name))
    def method(self: Group, *args: Any, **kwargs: Any) -> Iterator[tuple[str, Any]]:
        return blocking_iterator(getattr(self._async_group, name))(*args, **kwargs)

    return method


# AsyncGroup coroutine methods that become blocking methods returning sync nodes
_BLOCKING = (
    "require_groups",
    "create_array",
    "require_array",
    "tree",
    "empty",
    "full",
    "zeros",
    "ones",
    "move",
)

# AsyncGroup async-iterator methods that become sync iterators of (path, sync node)
_ITERATING = ("create_hierarchy",)


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

        return cls(sync_inline(opened, store))

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

    def __getitem__(self, path: str) -> Array | Group:
        group = self._async_group
        return wrap_node(sync_inline(lambda: group.getitem(path), group.store))

    def __setitem__(self, key: str, value: Any) -> None:
        """Store ``value`` (array-like) as a new array ``key``, replacing what was there."""
        self.create_array(key, data=value, overwrite=True)

    def __delitem__(self, key: str) -> None:
        sync(self._async_group.delitem(key))

    def __contains__(self, member: object) -> bool:
        group = self._async_group
        return isinstance(member, str) and sync_inline(lambda: group.contains(member), group.store)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        group = self._async_group
        return sync_inline(group.nmembers, group.store)

    def get(self, path: str, default: Any = None) -> Any:
        """The member at ``path``, or ``default`` when there is none."""
        try:
            return self[path]
        except KeyError:
            return default

    def members(
        self, max_depth: int | None = 0, *, use_consolidated_for_children: bool = True
    ) -> tuple[tuple[str, Array | Group], ...]:
        """``(path, node)`` for each member; ``max_depth=None`` walks the whole hierarchy."""
        group = self._async_group
        options = {"max_depth": max_depth, "use_consolidated_for_children": use_consolidated_for_children}
        found = sync_inline(lambda: group._member_list(**options), group.store)
        with gc_paused(len(found) >= _GC_PAUSE_NODES):  # thousands of new objects, no cycles among them
            return tuple([(name, wrap_node(node)) for name, node in found])

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

    def array(self, name: str, *, shape: Any = None, dtype: Any = None, **kwargs: Any) -> Array:
        """Deprecated (zarr-python 3.0): ``create_array``; ``compressor`` (default None: no
        compression) is zarr-python's deprecated spelling of ``compressors``."""
        warnings.warn("Use Group.create_array instead.", ZarrDeprecationWarning, stacklevel=2)
        compressor = kwargs.pop("compressor", None)
        if "compressors" not in kwargs:
            warnings.warn(
                "The `compressor` argument is deprecated. Use `compressors` instead.",
                ZarrUserWarning,
                stacklevel=2,
            )
            kwargs["compressors"] = None if compressor is None else (compressor,)
        elif compressor is not None:
            raise ValueError("Cannot specify both `compressor` and `compressors`.")
        group = self._async_group
        return wrap_node(sync(group._create_dataset(name, shape=shape, dtype=dtype, **kwargs)))

    def create_dataset(self, name: str, **kwargs: Any) -> Array:
        """Deprecated (zarr-python 3.0): ``create_array``, with zarr 2's ``data=`` giving the dtype."""
        warnings.warn("Use Group.create_array instead.", ZarrDeprecationWarning, stacklevel=2)
        return wrap_node(sync(self._async_group._create_dataset(name, **kwargs)))

    def require_dataset(self, name: str, *, shape: Any, **kwargs: Any) -> Array:
        """Deprecated (zarr-python 3.0): ``require_array``."""
        warnings.warn("Use Group.require_array instead.", ZarrDeprecationWarning, stacklevel=2)
        return self.require_array(name, shape=shape, **kwargs)

    def _like(self, kind: str, name: str, data: Any, kwargs: dict[str, Any]) -> Array:
        """``AsyncGroup.<kind>`` (``empty_like``, ...), run on the bridge loop."""
        source = data.async_array if isinstance(data, Array) else data
        return wrap_node(sync(getattr(self._async_group, kind)(name=name, data=source, **kwargs)))

    def empty_like(self, *, name: str, data: Any, **kwargs: Any) -> Array:
        """A new child array shaped like ``data`` (shape, chunks, dtype, fill value), nothing written."""
        return self._like("empty_like", name, data, kwargs)

    def zeros_like(self, *, name: str, data: Any, **kwargs: Any) -> Array:
        """A new child array of zeros shaped like ``data``."""
        return self._like("zeros_like", name, data, kwargs)

    def ones_like(self, *, name: str, data: Any, **kwargs: Any) -> Array:
        """A new child array of ones shaped like ``data``."""
        return self._like("ones_like", name, data, kwargs)

    def full_like(self, *, name: str, data: Any, **kwargs: Any) -> Array:
        """A new child array shaped like ``data``, reading as ``fill_value`` (default: ``data``'s)."""
        return self._like("full_like", name, data, kwargs)

    def create_group(self, name: str, **kwargs: Any) -> Group:
        """A new child group in this group's format (``kwargs``: ``overwrite``, ``attributes``)."""
        return Group(sync(self._async_group.create_group(name, **kwargs)))

    def require_group(self, name: str, **kwargs: Any) -> Group:
        """The child group ``name``, created when missing (``kwargs``: ``overwrite``); an array there
        is a TypeError."""
        return Group(sync(self._async_group.require_group(name, **kwargs)))

    # -- attributes and summaries ---------------------------------------------

    @property
    def attrs(self) -> Attributes:
        return Attributes(self)

    def update_attributes(self, new_attributes: dict[str, Any]) -> Group:
        """Merge ``new_attributes`` into the attributes and write them."""
        sync(self._async_group.update_attributes(new_attributes))
        return self

    async def update_attributes_async(self, new_attributes: dict[str, Any]) -> Group:
        """Replace the attributes with ``new_attributes`` and write them (zarr-python's coroutine)."""
        return Group(await self._async_group.set_attributes(new_attributes))

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


register_like_creators(**{kind: getattr(asynchronous, kind) for kind in like_kinds})
for _name in _BLOCKING:
    _method = getattr(AsyncGroup, _name)
    setattr(Group, _name, blocking_method(_name, _method, via="_async_group", wrap=wrap_node))
for _name in _ITERATING:
    setattr(Group, _name, _iterating_method(_name))
for _name in _FORWARDED:
    setattr(Group, _name, forwarded_property(_name, via="_async_group"))
del _name, _method
