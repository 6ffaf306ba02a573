"""The ``zarrnb`` xarray engine: ``xr.open_dataset(store, engine="zarrnb")`` and friends.

A thin entry point in xarray's ``BackendEntrypoint`` shape: it opens the group with
zarrnb, wraps it in :class:`ZarrnbDataStore` and hands decoding to xarray's own
``StoreBackendEntrypoint``. ``open_mfdataset`` works through ``open_dataset``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from xarray.backends.common import BackendEntrypoint, _normalize_path, datatree_from_dict_with_io_cleanup
from xarray.backends.store import StoreBackendEntrypoint
from xarray.core.dataset import Dataset
from xarray.core.datatree import DataTree
from xarray.core.treenode import NodePath

from zarrnb.abc.store import Store
from zarrnb.api.array import Array
from zarrnb.api.group import Group
from zarrnb.api.synchronous import open_group
from zarrnb.errors import MetadataValidationError, NodeNotFoundError
from zarrnb.storage import StorePath
from zarrnb.xarray.store import ZarrnbDataStore

__all__ = ["ZarrnbBackendEntrypoint", "open_zarrnb_group"]


def open_zarrnb_group(
    store_like: Any,
    *,
    group: str | None = None,
    mode: str = "r",
    consolidated: bool | None = None,
    storage_options: dict[str, Any] | None = None,
    zarr_format: int | None = None,
) -> Group:
    """The zarrnb group behind a store-like (path, URL, Store, StorePath or Group)."""
    if isinstance(store_like, Array):
        raise TypeError(
            f"engine='zarrnb' opens a group as a Dataset, not the array {store_like.path!r}; "
            "pass its store or its parent group"
        )
    if isinstance(store_like, Group):
        return store_like[group] if group else store_like  # type: ignore[return-value]
    if isinstance(store_like, os.PathLike):
        store_like = os.fspath(store_like)
    if mode not in ("r", "r+", "a"):
        raise ValueError(
            f"engine='zarrnb' opens data for reading; mode must be 'r', 'r+' or 'a', not {mode!r}"
        )
    options = {"mode": mode, "zarr_format": zarr_format, "storage_options": storage_options}
    if group and consolidated is not False:
        # consolidated metadata lives at the root (xarray writes it there for a whole tree)
        try:
            root = open_group(store_like, use_consolidated=consolidated, **options)
        except (NodeNotFoundError, MetadataValidationError):
            root = None
        if root is not None:
            node = root[group]
            if not isinstance(node, Group):
                raise TypeError(f"{group!r} in {root.store_path.store} is an array, not a group")
            return node
    return open_group(store_like, path=group or None, use_consolidated=consolidated, **options)


def _subgroups(group: Group, parent: str) -> Iterator[tuple[str, Group]]:
    """Every group below and including ``group``, keyed by its path from the opened one."""
    yield parent, group
    for name, child in sorted(group.groups()):
        yield from _subgroups(child, str(NodePath(parent) / name))


class ZarrnbBackendEntrypoint(BackendEntrypoint):
    """Open Zarr v2 and v3 data (local, zip, memory, S3) through zarrnb's engine."""

    description = "Open Zarr v2/v3 stores with zarrnb's batched engine"
    url = "https://github.com/zarrnb/zarrnb/blob/main/docs/xarray-and-dask.md"
    supports_groups = True
    open_dataset_parameters = (
        "filename_or_obj",
        "mask_and_scale",
        "decode_times",
        "concat_characters",
        "decode_coords",
        "drop_variables",
        "use_cftime",
        "decode_timedelta",
        "group",
        "mode",
        "consolidated",
        "storage_options",
        "zarr_format",
        "use_zarr_fill_value_as_mask",
    )

    def guess_can_open(self, filename_or_obj: Any) -> bool:
        """zarrnb's own objects only; paths ending in .zarr stay with the ``zarr`` engine unless asked."""
        return isinstance(filename_or_obj, Store | StorePath | Group)

    def _decode(self, store: ZarrnbDataStore, decoding: dict[str, Any]) -> Dataset:
        return StoreBackendEntrypoint().open_dataset(store, **decoding)

    def open_dataset(  # type: ignore[override]
        self,
        filename_or_obj: Any,
        *,
        mask_and_scale: bool = True,
        decode_times: Any = True,
        concat_characters: bool = True,
        decode_coords: Any = True,
        drop_variables: str | Iterable[str] | None = None,
        use_cftime: bool | None = None,
        decode_timedelta: Any = None,
        group: str | None = None,
        mode: str = "r",
        consolidated: bool | None = None,
        storage_options: dict[str, Any] | None = None,
        zarr_format: int | None = None,
        use_zarr_fill_value_as_mask: bool | None = None,
    ) -> Dataset:
        """One group as a Dataset; ``chunks=`` (given to ``xr.open_dataset``) defaults to the Zarr chunks."""
        zarr_group = open_zarrnb_group(
            _normalize_path(filename_or_obj),
            group=group,
            mode=mode,
            consolidated=consolidated,
            storage_options=storage_options,
            zarr_format=zarr_format,
        )
        store = ZarrnbDataStore(zarr_group, use_zarr_fill_value_as_mask=use_zarr_fill_value_as_mask)
        return self._decode(store, _decoding(locals()))

    def open_groups_as_dict(  # type: ignore[override]
        self,
        filename_or_obj: Any,
        *,
        mask_and_scale: bool = True,
        decode_times: Any = True,
        concat_characters: bool = True,
        decode_coords: Any = True,
        drop_variables: str | Iterable[str] | None = None,
        use_cftime: bool | None = None,
        decode_timedelta: Any = None,
        group: str | None = None,
        mode: str = "r",
        consolidated: bool | None = None,
        storage_options: dict[str, Any] | None = None,
        zarr_format: int | None = None,
        use_zarr_fill_value_as_mask: bool | None = None,
    ) -> dict[str, Dataset]:
        """Every group at and below ``group`` as a Dataset, keyed by its path ("/" for the top)."""
        decoding = _decoding(locals())
        root = open_zarrnb_group(
            _normalize_path(filename_or_obj),
            group=group,
            mode=mode,
            consolidated=consolidated,
            storage_options=storage_options,
            zarr_format=zarr_format,
        )
        return {
            path: self._decode(
                ZarrnbDataStore(node, use_zarr_fill_value_as_mask=use_zarr_fill_value_as_mask), decoding
            )
            for path, node in _subgroups(root, "/")
        }

    def open_datatree(self, filename_or_obj: Any, **kwargs: Any) -> DataTree:  # type: ignore[override]
        """The group hierarchy as a DataTree (``xr.open_datatree(..., engine="zarrnb")``)."""
        return datatree_from_dict_with_io_cleanup(self.open_groups_as_dict(filename_or_obj, **kwargs))


_DECODING = (
    "mask_and_scale",
    "decode_times",
    "concat_characters",
    "decode_coords",
    "drop_variables",
    "use_cftime",
    "decode_timedelta",
)


def _decoding(arguments: dict[str, Any]) -> dict[str, Any]:
    """The CF decoding options, passed on to xarray unchanged."""
    return {name: arguments[name] for name in _DECODING}
