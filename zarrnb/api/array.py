"""The sync ``Array``: a thin skin over ``AsyncArray`` whose methods run on the bridge loop."""

from __future__ import annotations

import json
import warnings
from typing import Any

import numpy as np

from zarrnb.api.attributes import Attributes
from zarrnb.api.info import ArrayInfoDisplay, with_html
from zarrnb.api.sync import blocking_method, forwarded_property, sync, sync_inline
from zarrnb.core.array import AsyncArray
from zarrnb.core.array_grid import GRID_METHODS
from zarrnb.core.common import ensure_writable, save_metadata
from zarrnb.core.fields import has_fields, pop_fields
from zarrnb.display import render_array_html
from zarrnb.errors import ZarrDeprecationWarning
from zarrnb.storage import StoreLike, make_store_path

__all__ = ["Array"]

# AsyncArray coroutine methods that become blocking methods of the same name
_BLOCKING = (
    "get_basic_selection",
    "set_basic_selection",
    "get_orthogonal_selection",
    "set_orthogonal_selection",
    "get_coordinate_selection",
    "set_coordinate_selection",
    "get_mask_selection",
    "set_mask_selection",
    "get_block_selection",
    "set_block_selection",
    "nbytes_stored",
)
# AsyncArray attributes answered as they are
_FORWARDED = (
    "metadata",
    "store",
    "store_path",
    "dtype",
    "chunks",
    "shards",
    "ndim",
    "size",
    "nchunks",
    "path",
    "name",
    "basename",
    "fill_value",
    "order",
    "read_only",
    "nbytes",
    "cdata_shape",
    "filters",
    "serializer",
    "compressors",
    "compressor",
    "config",
    "_chunk_grid_shape",
    "_shard_grid_shape",
    "_nshards",
    "_zdtype",
)


class _Indexer:
    """``array.oindex[...]`` and friends: subscripting calls one getter and one setter; field names in
    the subscript become their ``fields=`` (unless ``splits_fields`` is off: the callee splits them)."""

    def __init__(self, getter: Any, setter: Any, *, splits_fields: bool = True) -> None:
        self._getter = getter
        self._setter = setter
        self._splits_fields = splits_fields

    def __getitem__(self, selection: Any) -> Any:
        if self._splits_fields and has_fields(selection):
            fields, selection = pop_fields(selection)
            return self._getter(selection, fields=fields)
        return self._getter(selection)

    def __setitem__(self, selection: Any, value: Any) -> None:
        if self._splits_fields and has_fields(selection):
            fields, selection = pop_fields(selection)
            self._setter(selection, value, fields=fields)
        else:
            self._setter(selection, value)


async def _replace_attributes(array: AsyncArray, attributes: dict[str, Any]) -> None:
    """Write ``attributes`` in place of the array's (AsyncArray only merges; deletes need this)."""
    ensure_writable(array.store_path)
    metadata = array.metadata.with_attributes(attributes)
    await save_metadata(array.store_path, metadata)
    array.metadata = metadata


class Array:
    """A chunked, compressed N-dimensional array; every call blocks until its I/O is done."""

    def __init__(self, async_array: AsyncArray) -> None:
        self._async_array = async_array

    @classmethod
    def open(cls, store: StoreLike, zarr_format: int | None = None) -> Array:
        """Open the array at ``store`` (a store, store path, URL or local path)."""

        async def opened() -> AsyncArray:
            return await AsyncArray.open(await make_store_path(store), zarr_format)

        return cls(sync_inline(opened, store))

    @classmethod
    def create(
        cls,
        store: StoreLike,
        *,
        shape: Any,
        dtype: Any,
        chunk_shape: Any = None,
        chunks: Any = None,
        **kwargs: Any,
    ) -> Array:
        """zarr-python's deprecated ``Array.create`` (it warns there too): ``create_array`` under another
        name, with ``chunk_shape`` (v3) or ``chunks`` (v2) for the chunk shape."""
        warnings.warn(
            "Array.create() is deprecated; use zarrnb.create_array() instead",
            ZarrDeprecationWarning,
            stacklevel=2,
        )
        chosen = next((c for c in (chunk_shape, chunks) if c is not None), "auto")

        async def created() -> AsyncArray:
            store_path = await make_store_path(store, mode="a")
            return await AsyncArray.create(store_path, shape=shape, dtype=dtype, chunks=chosen, **kwargs)

        return cls(sync(created()))

    @classmethod
    def from_dict(cls, store_path: Any, data: dict[str, Any]) -> Array:
        """A handle on the array whose metadata document ``data`` holds; no I/O."""
        return cls(AsyncArray.from_dict(store_path, data))

    @property
    def async_array(self) -> AsyncArray:
        return self._async_array

    @property
    def shape(self) -> tuple[int, ...]:
        return self._async_array.shape

    @shape.setter
    def shape(self, value: Any) -> None:
        """``array.shape = new_shape`` resizes, as in zarr-python."""
        self.resize(value)

    def with_config(self, config: Any) -> Array:
        """The same array with other runtime settings (e.g. ``{'write_empty_chunks': True}``)."""
        return Array(self._async_array.with_config(config))

    # -- reading and writing -------------------------------------------------

    def __getitem__(self, selection: Any) -> Any:
        array = self._async_array
        return sync_inline(lambda: array._getitem(selection), array.store)

    def __setitem__(self, selection: Any, value: Any) -> None:
        array = self._async_array
        sync_inline(lambda: array.setitem(selection, value), array.store)

    @property
    def oindex(self) -> _Indexer:
        """Orthogonal (outer) indexing: each axis selected independently."""
        return _Indexer(self.get_orthogonal_selection, self.set_orthogonal_selection)

    @property
    def vindex(self) -> _Indexer:
        """Vectorised indexing: coordinate arrays, or a boolean mask of the array's shape."""
        selector, store = self._async_array.vindex, self._async_array.store
        # tried on the caller's thread first, as ``array[...]`` is (reads and writes may run twice)
        return _Indexer(
            lambda selection: sync_inline(lambda: selector.getitem(selection), store),
            lambda selection, value: sync_inline(lambda: selector.setitem(selection, value), store),
            splits_fields=False,
        )

    @property
    def blocks(self) -> _Indexer:
        """Block indexing: select whole chunks by chunk index."""
        return _Indexer(self.get_block_selection, self.set_block_selection)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        data = np.asarray(self[...])
        return data if dtype is None else data.astype(dtype, copy=False)

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of a 0-d array")
        return self.shape[0]

    # -- changing shape and attributes ----------------------------------------

    def resize(self, new_shape: Any) -> None:
        """Change the shape; chunks wholly outside the new shape are deleted."""
        self._async_array = sync(self._async_array.resize(new_shape)) or self._async_array

    def append(self, data: Any, axis: int = 0) -> tuple[int, ...]:
        """Append ``data`` along ``axis``; returns the new shape."""
        sync(self._async_array.append(data, axis=axis))
        return self.shape

    @property
    def info(self) -> ArrayInfoDisplay:
        """Type, format, shape, chunks, codecs, store (no I/O)."""
        return with_html(self._async_array.info)

    def info_complete(self) -> ArrayInfoDisplay:
        """``info`` plus stored bytes and initialised chunks (lists the array's keys)."""
        return with_html(sync(self._async_array.info_complete()))

    @property
    def nchunks_initialized(self) -> int:
        """How many chunks (shards when sharded) are stored."""
        return sync(self._async_array.nchunks_initialized())

    @property
    def _nshards_initialized(self) -> int:
        """How many shards (chunks when unsharded) are stored."""
        return sync(self._async_array._nshards_initialized())

    @property
    def attrs(self) -> Attributes:
        return Attributes(self)

    def update_attributes(self, new_attributes: dict[str, Any]) -> Array:
        """Merge ``new_attributes`` into the attributes and write them."""
        self._write_attributes({**self._read_attributes(), **new_attributes})
        return self

    def _read_attributes(self) -> dict[str, Any]:
        return self._async_array.metadata.attributes

    def _write_attributes(self, attributes: dict[str, Any]) -> None:
        sync(_replace_attributes(self._async_array, attributes))

    # -- reprs ----------------------------------------------------------------

    def __repr__(self) -> str:
        return f"<Array {self.store_path} shape={self.shape} dtype={self.dtype}>"

    def _repr_html_(self) -> str:
        return render_array_html(self._async_array)

    def __eq__(self, other: object) -> bool:
        """Arrays are equal when they are the same array of equal stores."""
        return (
            isinstance(other, Array)
            and self.store_path == other.store_path
            and self.metadata == other.metadata
        )

    __hash__ = None  # type: ignore[assignment]

    def __dask_tokenize__(self) -> tuple[str, ...]:
        """Dask's token: the same array (store, path, metadata) gives the same token in any process."""
        metadata = json.dumps(self.metadata.to_json(), sort_keys=True, default=str)
        return ("zarrnb.Array", type(self.store).__name__, str(self.store), self.path, metadata)


for _name in _BLOCKING:
    setattr(Array, _name, blocking_method(_name, getattr(AsyncArray, _name), via="_async_array", inline=True))
for _name in _FORWARDED:
    setattr(Array, _name, forwarded_property(_name, via="_async_array"))
for _method in GRID_METHODS:  # the same grid walks as AsyncArray's; they read only forwarded attributes
    setattr(Array, _method.__name__, _method)
del _name, _method
