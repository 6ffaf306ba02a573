"""``AsyncArray``: one Zarr array (v2 or v3) in a store, with zarr-python 3's async surface.

Selections become chunk projections (``zarrnb.core.indexing``); chunk bytes move in
batches (``zarrnb.core.chunk_io``). Metadata parsing and codecs live in the format layer.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json
import math
import operator
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np

import zarrnb.config as zarrnb_config
from zarrnb.abc import codec as abc_codec
from zarrnb.core.array_grid import GRID_METHODS
from zarrnb.core.buffer import NDBuffer, call_prototype, default_buffer_prototype, recycle
from zarrnb.core.chunk_io import read_chunks, read_point, write_chunks
from zarrnb.core.common import (
    ARRAY_DOCUMENTS,
    ArrayConfig,
    NodeLocation,
    ensure_no_existing_node,
    ensure_writable,
    node_kind,
    parse_v3_once,
    read_documents,
    save_metadata,
)
from zarrnb.core.fields import check_fields, has_fields, merge_field, pop_fields, select_fields
from zarrnb.core.indexing import (
    AsyncOIndex,
    AsyncVIndex,
    BasicIndexer,
    BlockIndexer,
    ChunkProjection,
    CoordinateIndexer,
    Indexer,
    MaskIndexer,
    OrthogonalIndexer,
    has_array_index,
    is_pure_fancy_indexing,
    is_pure_orthogonal_indexing,
    point_projection,
    resolve_array_selection,
)
from zarrnb.core.info import ArrayInfo
from zarrnb.core.pipeline_io import pipeline_configured
from zarrnb.dtype.fill_value import DEFAULT_FILL_VALUE
from zarrnb.errors import ArrayNotFoundError, ArrayTooLargeError, NodeTypeValidationError
from zarrnb.metadata import ArrayMetadata, build_array_metadata, parse_array_metadata
from zarrnb.metadata.build import _v3_codec
from zarrnb.metadata.chunk_grid import ChunkSideZeroError, chunk_count
from zarrnb.metadata.common import MAX_INDEX
from zarrnb.storage import StorePath, make_store_path

__all__ = ["GRID_METHODS", "AsyncArray"]


def _honours_prototype(method: Any) -> Any:
    """Run an array read or write with its ``prototype`` argument in force for the store I/O below it
    (stores get and return that prototype's ``Buffer``) and for the array a read returns."""

    @functools.wraps(method)
    async def run(self: Any, *args: Any, prototype: Any = None, **kwargs: Any) -> Any:
        if prototype is None:  # the common case, without a context switch
            return await method(self, *args, **kwargs)
        with call_prototype(prototype):
            return await method(self, *args, **kwargs)

    return run


def _in_prototype_array(values: np.ndarray, order: str) -> Any:
    """``values`` as an array of the ``nd_buffer`` in force (a call's ``prototype``, else the
    ``ndbuffer`` setting); NumPy's own, uncopied, in the default case."""
    nd_buffer = default_buffer_prototype().nd_buffer
    if nd_buffer is NDBuffer:
        return values
    made = nd_buffer.create(shape=values.shape, dtype=values.dtype, order=order)
    made[...] = values
    return made.as_ndarray_like()


class AsyncArray(NodeLocation):
    """An array in a store: metadata, where it lives, and runtime settings (``config``)."""

    def __init__(
        self,
        metadata: ArrayMetadata,
        store_path: StorePath,
        config: ArrayConfig | Mapping[str, Any] | None = None,
    ) -> None:
        self.metadata = metadata
        self.store_path = store_path
        self.config = ArrayConfig.parse(config)
        if metadata.zarr_format == 2:
            # v2 stores the memory order and results come back in it, as in zarr-python
            self.config = dataclasses.replace(self.config, order=metadata.order)

    # -- creation and opening ----------------------------------------------------

    @classmethod
    async def create(
        cls,
        store: Any,
        *,
        shape: Any,
        dtype: Any,
        chunks: Any = "auto",
        shards: Any = None,
        filters: Any = "auto",
        compressors: Any = "auto",
        serializer: Any = "auto",
        fill_value: Any = DEFAULT_FILL_VALUE,
        order: str | None = None,
        zarr_format: int | None = 3,
        attributes: dict[str, Any] | None = None,
        chunk_key_encoding: Any = None,
        dimension_names: Any = None,
        overwrite: bool = False,
        config: ArrayConfig | Mapping[str, Any] | None = None,
        v2_default_compressor: str = "zstd",
        chunk_shape: Any = None,
        codecs: Any = None,
        dimension_separator: str | None = None,
        compressor: Any = "auto",
        data: Any = None,
    ) -> AsyncArray:
        """Create an array at ``store`` (a StorePath or any store-like), writing ``data`` if given; an
        existing node is refused unless ``overwrite``. ``chunk_shape``, ``codecs`` (v3), ``compressor`` and
        ``dimension_separator`` (v2) are older spellings zarr-python's ``AsyncArray.create`` still takes."""
        store_path = store if isinstance(store, StorePath) else await make_store_path(store)
        ensure_writable(store_path)
        array_config = ArrayConfig.parse(config)
        zarr_format = zarrnb_config.get("default_zarr_format") if zarr_format is None else zarr_format
        if chunk_shape is not None:
            if chunks not in ("auto", None):
                raise ValueError("Only one of chunk_shape or chunks can be provided.")
            chunks = chunk_shape
        if codecs is not None:
            if zarr_format == 2:
                raise ValueError(
                    "codecs cannot be used for arrays with zarr_format 2. Use filters and compressor instead."
                )
            filters, serializer, compressors = _split_codecs(codecs)
        if dimension_separator is not None:
            if zarr_format == 3:
                raise ValueError(
                    "dimension_separator cannot be used for arrays with zarr_format 3. "
                    "Use chunk_key_encoding instead."
                )
            chunk_key_encoding = {"name": "v2", "separator": dimension_separator}
        if not (isinstance(compressor, str) and compressor == "auto"):
            if zarr_format == 3:
                raise ValueError(
                    "compressor cannot be used for arrays with zarr_format 3. "
                    "Use bytes-to-bytes codecs instead."
                )
            compressors = compressor
        metadata = build_array_metadata(
            shape=shape,
            dtype=dtype,
            chunks=chunks,
            shards=shards,
            filters=filters,
            compressors=compressors,
            serializer=serializer,
            fill_value=fill_value,
            order=order,
            zarr_format=zarr_format,
            attributes=attributes,
            chunk_key_encoding=chunk_key_encoding,
            dimension_names=dimension_names,
            v2_default_compressor=v2_default_compressor,
        )
        if zarr_format == 3 and order is not None:
            # v3 metadata has no memory order; zarr-python ignores the argument the same way
            warnings.warn(
                f"The `order` keyword argument has no effect for Zarr format 3 arrays (order={order!r}, "
                f"{str(store_path)!r}); "
                "pass config={'order': ...} or set zarrnb.config 'array.order' to lay out results",
                RuntimeWarning,
                stacklevel=2,
            )
        if overwrite:
            await store_path.delete_dir()
        else:
            await ensure_no_existing_node(store_path, zarr_format)
        await save_metadata(store_path, metadata, ensure_parents=True)
        array = cls(metadata, store_path, array_config)
        if data is not None:
            await array.setitem(Ellipsis, data)
        return array

    @classmethod
    async def open(
        cls,
        store: Any,
        zarr_format: int | None = None,
        config: ArrayConfig | Mapping[str, Any] | None = None,
    ) -> AsyncArray:
        """Open the array at ``store`` (a StorePath or any store-like), detecting its format unless
        ``zarr_format`` is given."""
        store_path = store if isinstance(store, StorePath) else await make_store_path(store)
        names = {None: ("zarr.json", ".zarray", ".zattrs", ".zgroup"), 3: ("zarr.json",)}.get(
            zarr_format, (".zarray", ".zattrs", ".zgroup")
        )
        documents = parse_v3_once(await read_documents(store_path, names))
        kind = node_kind(documents)
        where = f"{store_path.path!r} in {store_path.store}"
        if kind is None:
            raise ArrayNotFoundError(f"no array found at {where}")
        if kind == "group":
            raise NodeTypeValidationError(f"expected an array at {where}, found a group")
        stored_format = 3 if documents.get("zarr.json") is not None else 2
        wanted = {name: documents.get(name) for name in ARRAY_DOCUMENTS[stored_format]}
        return cls(parse_array_metadata(wanted, path=store_path.path), store_path, config)

    @classmethod
    def from_dict(cls, store_path: StorePath, data: Mapping[str, Any]) -> AsyncArray:
        """A handle on the array whose metadata document ``data`` holds (a dict; attributes included
        for v2), at ``store_path``; nothing is read or written (zarr-python's ``from_dict``)."""
        document = json.loads(json.dumps(dict(data), default=list))  # tuples become JSON lists
        zarr_format = document.get("zarr_format")
        if zarr_format == 3:
            documents = {"zarr.json": document}
        elif zarr_format == 2:
            attributes = document.pop("attributes", None)
            for optional in ("filters", "compressor"):  # None unless given, as in zarr-python
                document.setdefault(optional, None)
            documents = {".zarray": document, ".zattrs": attributes}
        else:
            raise ValueError(f"Invalid zarr_format: {zarr_format}. Expected 2 or 3")
        return cls(parse_array_metadata(documents, path=store_path.path), store_path)

    def with_config(self, config: ArrayConfig | Mapping[str, Any]) -> AsyncArray:
        """The same array with other runtime settings (e.g. ``{'write_empty_chunks': True}``)."""
        if not isinstance(config, ArrayConfig):
            config = ArrayConfig.parse({**dataclasses.asdict(self.config), **config})
        return type(self)(self.metadata, self.store_path, config)

    # -- properties ----------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        return self.metadata.shape

    @property
    def dtype(self) -> np.dtype:
        return self.metadata.dtype

    @property
    def _zdtype(self) -> Any:
        """The data-type object (zarr-python's ``ZDType``) of the array's numpy dtype."""
        return self.metadata.data_type

    @property
    def ndim(self) -> int:
        return len(self.metadata.shape)

    @property
    def size(self) -> int:
        return math.prod(self.metadata.shape)

    @property
    def chunks(self) -> tuple[int, ...]:
        """The read chunk shape (the inner chunk shape when sharded)."""
        return self.metadata.chunks

    @property
    def shards(self) -> tuple[int, ...] | None:
        return self.metadata.shards

    @property
    def cdata_shape(self) -> tuple[int, ...]:
        """How many (inner) chunks lie along each axis."""
        return _chunk_counts(self.shape, self.chunks)

    @property
    def nchunks(self) -> int:
        return math.prod(self.cdata_shape)

    @property
    def _chunk_grid_shape(self) -> tuple[int, ...]:
        """zarr-python's name for :attr:`cdata_shape` (inner chunks per axis)."""
        return self.cdata_shape

    @property
    def _shard_grid_shape(self) -> tuple[int, ...]:
        """Stored objects per axis: shards, or chunks when unsharded."""
        return self.metadata.grid_shape

    @property
    def _nshards(self) -> int:
        """How many stored objects (shards, or chunks when unsharded) the grid has."""
        return math.prod(self._shard_grid_shape)

    @property
    def fill_value(self) -> Any:
        return self.metadata.fill_value

    @property
    def order(self) -> str:
        return self.config.order

    @property
    def nbytes(self) -> int:
        """Bytes the array holds when loaded (not what is stored)."""
        return self.size * self.dtype.itemsize

    @property
    def filters(self) -> tuple[Any, ...]:
        return tuple(self.metadata.filters or ())  # a v2 array without filters holds None

    @property
    def serializer(self) -> Any:
        return self.metadata.serializer if self.metadata.zarr_format == 3 else None

    @property
    def compressors(self) -> tuple[Any, ...]:
        return tuple(self.metadata.compressors)

    @property
    def compressor(self) -> Any:
        """The v2 compressor (None for v3 arrays, as in zarr-python)."""
        return getattr(self.metadata, "compressor", None)

    def __repr__(self) -> str:
        return f"<AsyncArray {self.store_path} shape={self.shape} dtype={self.dtype}>"

    def __eq__(self, other: object) -> bool:
        """Equal when the same metadata and settings sit at equal store paths (a pickled copy, too)."""
        return (
            isinstance(other, AsyncArray)
            and self.store_path == other.store_path
            and self.metadata == other.metadata
            and self.config == other.config
        )

    __hash__ = None  # type: ignore[assignment]

    # -- reading ----------------------------------------------------------------------

    @property
    def _read_grid(self) -> tuple[int, ...]:
        """Sharded arrays are read inner chunk by inner chunk; others stored chunk by stored chunk."""
        if self.metadata.codec_pipeline.sharding is not None and not pipeline_configured():
            return self.metadata.chunks
        return self._write_grid  # a configured pipeline class reads whole stored chunks, as it writes

    async def _read(
        self, indexer: Indexer | CoordinateIndexer, out: Any = None, fields: Any = None
    ) -> np.ndarray:
        if fields is not None:  # the whole records, then the named fields of them (zarrnb.core.fields)
            check_fields(fields, self.dtype)
            return select_fields(await self._read(indexer), fields, out)  # type: ignore[no-any-return]
        if out is not None:
            target = _out_view(out, indexer.shape, indexer.out_shape)
            if target.dtype != self.dtype:  # zarr-python assigns into ``out``: NumPy casts, as there
                target[...] = (await self._read(indexer)).reshape(indexer.out_shape)
            elif target.size:
                await read_chunks(self.store, self.path, self.metadata, indexer, target)
            return out  # type: ignore[no-any-return]
        result = _allocate(indexer.out_shape, self.dtype, self.order, where=str(self.store_path))
        if result.size:
            await read_chunks(self.store, self.path, self.metadata, indexer, result)
        return _in_prototype_array(result.reshape(indexer.shape), self.order)

    @_honours_prototype
    async def get_basic_selection(
        self, selection: Any = Ellipsis, *, out: Any = None, fields: Any = None, prototype: Any = None
    ) -> Any:
        """Integers, slices and Ellipsis; a 0-d array's selection returns a scalar.

        ``out``: a NumPy array of the selection's shape and the array's dtype that the chunks are
        decoded straight into (no second full-size buffer); it is returned.
        """
        result = await self._read(BasicIndexer(selection, self.shape, self._read_grid), out, fields)
        return result[()] if self.ndim == 0 and out is None else result

    @_honours_prototype
    async def get_orthogonal_selection(
        self, selection: Any, *, out: Any = None, fields: Any = None, prototype: Any = None
    ) -> np.ndarray:
        return await self._read(OrthogonalIndexer(selection, self.shape, self._read_grid), out, fields)

    @_honours_prototype
    async def get_coordinate_selection(
        self, selection: Any, *, out: Any = None, fields: Any = None, prototype: Any = None
    ) -> np.ndarray:
        return await self._read(CoordinateIndexer(selection, self.shape, self._read_grid), out, fields)

    @_honours_prototype
    async def get_mask_selection(
        self, mask: Any, *, out: Any = None, fields: Any = None, prototype: Any = None
    ) -> np.ndarray:
        return await self._read(MaskIndexer(mask, self.shape, self._read_grid), out, fields)

    @_honours_prototype
    async def get_block_selection(
        self, selection: Any, *, out: Any = None, fields: Any = None, prototype: Any = None
    ) -> np.ndarray:
        grid = self.metadata.chunk_grid_shape
        return await self._read(BlockIndexer(selection, self.shape, self._read_grid, grid), out, fields)

    @property
    def oindex(self) -> AsyncOIndex:
        """``await array.oindex.getitem(selection)``: orthogonal selection, as in zarr-python."""
        return AsyncOIndex(self)

    @property
    def vindex(self) -> AsyncVIndex:
        """``await array.vindex.getitem(selection)``: coordinates, or a mask of the array's shape."""
        return AsyncVIndex(self)

    async def _read_point(self, point: ChunkProjection) -> np.ndarray:
        """One element: one chunk, one fetch, no indexer (a 0-d array, as zarr-python returns)."""
        out = np.empty((1,) * self.ndim, dtype=self.dtype)
        await read_point(self.store, self.path, self.metadata, point, out)
        return out.reshape(())

    @_honours_prototype
    async def getitem(self, selection: Any, *, prototype: Any = None) -> Any:
        """``array[selection]``: integer arrays on every axis mean points, one array means oindex.

        It hands the loop to other coroutines once before reading, as a store round trip would, so
        gathered reads start together even on stores that never wait (memory, small local reads).
        """
        await asyncio.sleep(0)
        return await self._getitem(selection)

    async def _getitem(self, selection: Any) -> Any:
        """``getitem``'s work; the sync ``Array.__getitem__`` calls it directly, as zarr-python's sync
        indexing never goes through ``AsyncArray.getitem`` (code that patches or counts it relies on that)."""
        fields, selection = pop_fields(selection) if has_fields(selection) else (None, selection)
        point = point_projection(selection, self.shape, self._read_grid) if fields is None else None
        if point is not None:
            return await self._read_point(point)
        if has_array_index(selection):
            selection = await resolve_array_selection(selection)
        if is_pure_fancy_indexing(selection, self.ndim):
            if _is_mask(selection, self.ndim):
                return await self.get_mask_selection(selection, fields=fields)
            return await self.get_coordinate_selection(selection, fields=fields)
        if is_pure_orthogonal_indexing(selection, self.ndim):
            return await self.get_orthogonal_selection(selection, fields=fields)
        return await self.get_basic_selection(selection, fields=fields)

    # -- writing ------------------------------------------------------------------------

    async def _write(self, indexer: Indexer | CoordinateIndexer, value: Any) -> None:
        ensure_writable(self.store_path)
        _check_addressable(indexer.shape, self.dtype, where=str(self.store_path))
        data = _as_value(value, self.dtype, indexer.shape).reshape(indexer.out_shape)
        if data.size == 0:
            return
        await write_chunks(
            self.store,
            self.path,
            self.metadata,
            indexer,
            data,
            write_empty_chunks=self.config.write_empty_chunks,
        )

    @property
    def _write_grid(self) -> tuple[int, ...]:
        grid = self.metadata.chunk_grid_shape
        if 0 in grid:
            _check_chunk_sides(self.path, self.shape, grid)
        return grid

    @_honours_prototype
    async def set_basic_selection(
        self, selection: Any, value: Any, *, fields: Any = None, prototype: Any = None
    ) -> None:
        if fields is not None:
            value = await merge_field(self.get_basic_selection, selection, self.dtype, value, fields)
        await self._write(BasicIndexer(selection, self.shape, self._write_grid), value)

    @_honours_prototype
    async def set_orthogonal_selection(
        self, selection: Any, value: Any, *, fields: Any = None, prototype: Any = None
    ) -> None:
        if fields is not None:
            value = await merge_field(self.get_orthogonal_selection, selection, self.dtype, value, fields)
        await self._write(OrthogonalIndexer(selection, self.shape, self._write_grid), value)

    @_honours_prototype
    async def set_coordinate_selection(
        self, selection: Any, value: Any, *, fields: Any = None, prototype: Any = None
    ) -> None:
        if fields is not None:
            value = await merge_field(self.get_coordinate_selection, selection, self.dtype, value, fields)
        await self._write(CoordinateIndexer(selection, self.shape, self._write_grid), value)

    @_honours_prototype
    async def set_mask_selection(
        self, mask: Any, value: Any, *, fields: Any = None, prototype: Any = None
    ) -> None:
        if fields is not None:
            value = await merge_field(self.get_mask_selection, mask, self.dtype, value, fields)
        await self._write(MaskIndexer(mask, self.shape, self._write_grid), value)

    @_honours_prototype
    async def set_block_selection(
        self, selection: Any, value: Any, *, fields: Any = None, prototype: Any = None
    ) -> None:
        if fields is not None:
            value = await merge_field(self.get_block_selection, selection, self.dtype, value, fields)
        await self._write(BlockIndexer(selection, self.shape, self._write_grid), value)

    @_honours_prototype
    async def setitem(self, selection: Any, value: Any, prototype: Any = None) -> None:
        """``array[selection] = value``, with the same dispatch as :meth:`getitem`."""
        fields, selection = pop_fields(selection) if has_fields(selection) else (None, selection)
        if has_array_index(selection):
            selection = await resolve_array_selection(selection)
        if is_pure_fancy_indexing(selection, self.ndim):
            if _is_mask(selection, self.ndim):
                await self.set_mask_selection(selection, value, fields=fields)
            else:
                await self.set_coordinate_selection(selection, value, fields=fields)
        elif is_pure_orthogonal_indexing(selection, self.ndim):
            await self.set_orthogonal_selection(selection, value, fields=fields)
        else:
            await self.set_basic_selection(selection, value, fields=fields)

    # -- shape and attributes -------------------------------------------------------------

    async def resize(self, new_shape: Any, delete_outside_chunks: bool = True) -> None:
        """Change the shape in place; stored chunks wholly outside the new shape are deleted."""
        ensure_writable(self.store_path)
        new_shape = _parse_shape(new_shape)
        if len(new_shape) != self.ndim:
            raise ValueError(
                f"new shape {new_shape} has {len(new_shape)} dimensions; array {self.path!r} has {self.ndim}"
            )
        old = self.metadata
        _check_chunk_sides(self.path, new_shape, old.chunk_grid_shape)
        self.metadata = old.with_shape(new_shape)
        await save_metadata(self.store_path, self.metadata)
        shrunk = any(n < o for n, o in zip(new_shape, old.shape, strict=True))
        if delete_outside_chunks and shrunk and 0 not in old.chunk_grid_shape:  # chunk side 0: none stored
            await self._delete_outside(old)

    async def _delete_outside(self, old: ArrayMetadata) -> None:
        grid = old.chunk_grid_shape
        old_counts = list(_chunk_counts(old.shape, grid))
        new_counts = list(_chunk_counts(self.shape, grid))
        prefix = f"{self.path}/" if self.path else ""
        outside = math.prod(old_counts) - math.prod(
            min(o, n) for o, n in zip(old_counts, new_counts, strict=True)
        )
        if outside > _GRID_WALK_LIMIT:
            # a huge grid: delete what is stored out there rather than naming every possible key
            stored = await self._stored_chunks(old, old_counts)
            keys = [prefix + k for k, coords in stored.items() if any(map(operator.ge, coords, new_counts))]
        else:
            keys = [
                prefix + old.chunk_key(coords)
                for coords in old.chunk_grid.all_chunk_coords(old.shape)
                if any(c >= n for c, n in zip(coords, new_counts, strict=True))
            ]
        await asyncio.gather(*(self.store.delete(key) for key in keys))

    async def _stored_chunks(self, metadata: ArrayMetadata, counts: list[int]) -> dict[str, tuple[int, ...]]:
        """Stored chunk (shard) keys under the array, relative to it, with their grid coordinates."""
        prefix = f"{self.path}/" if self.path else ""
        found = {}
        async for key in self.store.list_prefix(prefix):
            coords = _chunk_coords(key[len(prefix) :], metadata, counts)
            if coords is not None:
                found[key[len(prefix) :]] = coords
        return found

    async def append(self, data: Any, axis: int = 0) -> tuple[int, ...]:
        """Grow ``axis`` by ``data``'s length there and write ``data`` into the new part."""
        ensure_writable(self.store_path)
        data = np.asanyarray(data)
        if data.ndim != self.ndim:
            raise ValueError(
                f"cannot append data of {data.ndim} dimensions to array {self.path!r} of {self.ndim}"
            )
        axis = axis + self.ndim if axis < 0 else axis
        others_match = all(
            d == s for i, (d, s) in enumerate(zip(data.shape, self.shape, strict=True)) if i != axis
        )
        if not 0 <= axis < self.ndim or not others_match:
            raise ValueError(
                f"cannot append data of shape {data.shape} to array of shape {self.shape} along axis {axis}"
            )
        old_length = self.shape[axis]
        new_shape = tuple(s + data.shape[axis] if i == axis else s for i, s in enumerate(self.shape))
        await self.resize(new_shape)
        region = tuple(slice(old_length, None) if i == axis else slice(None) for i in range(self.ndim))
        await self.set_basic_selection(region, data)
        return new_shape

    async def update_attributes(self, new_attributes: dict[str, Any]) -> AsyncArray:
        """Merge ``new_attributes`` into the stored attributes."""
        ensure_writable(self.store_path)
        self.metadata = self.metadata.with_attributes({**self.metadata.attributes, **new_attributes})
        await save_metadata(self.store_path, self.metadata)
        return self

    # -- storage summaries ------------------------------------------------------------------

    async def _nshards_initialized(self) -> int:
        """How many stored objects (shards, or chunks when unsharded) exist."""
        grid = list(self.metadata.grid_shape)
        # one listing, then each stored key checked against the grid: the cost follows what is
        # stored, not the grid's size (which may be astronomical)
        return len(await self._stored_chunks(self.metadata, grid))

    async def nchunks_initialized(self) -> int:
        """Stored chunks, counting every inner chunk of a stored shard (as zarr-python does)."""
        per_shard = math.prod(_chunk_counts(self.metadata.chunk_grid_shape, self.metadata.chunks))
        return await self._nshards_initialized() * per_shard

    async def nbytes_stored(self) -> int:
        """Bytes under the array's path in the store, metadata included."""
        return await self.store.getsize_prefix(self.path)

    def _info(self, chunks_initialized: int | None = None, bytes_stored: int | None = None) -> ArrayInfo:
        return ArrayInfo(
            _zarr_format=self.metadata.zarr_format,
            _data_type=self._zdtype,
            _fill_value=self.fill_value,
            _shape=self.shape,
            _shard_shape=self.shards,
            _chunk_shape=self.chunks,
            _order=self.order,
            _read_only=self.read_only,
            _store_type=type(self.store).__name__,
            _filters=self.filters,
            _serializer=self.serializer,
            _compressors=self.compressors,
            _count_bytes=self.nbytes,
            _count_bytes_stored=bytes_stored,
            _count_chunks_initialized=chunks_initialized,
        )

    @property
    def info(self) -> ArrayInfo:
        """What the metadata says, without touching the store."""
        return self._info()

    async def info_complete(self) -> ArrayInfo:
        """``info`` plus stored bytes and initialised chunks (shards), which need store listings."""
        shards, stored = await asyncio.gather(self._nshards_initialized(), self.nbytes_stored())
        return self._info(shards, stored)


for _method in GRID_METHODS:  # zarr-python's grid walks, as methods
    setattr(AsyncArray, _method.__name__, _method)
del _method


def _split_codecs(codecs: Any) -> tuple[tuple[Any, ...], Any, tuple[Any, ...]]:
    """(filters, serializer, compressors) of a v3 codec list (objects or JSON dicts), by codec kind;
    no array-to-bytes codec means the data type's default serializer."""
    parsed = [_v3_codec(c) for c in ([codecs] if isinstance(codecs, dict | str) else codecs)]
    split = [i for i, codec in enumerate(parsed) if not isinstance(codec, abc_codec.ArrayArrayCodec)]
    first = split[0] if split else len(parsed)
    has_serializer = first < len(parsed) and isinstance(parsed[first], abc_codec.ArrayBytesCodec)
    serializer = parsed[first] if has_serializer else "auto"
    return tuple(parsed[:first]), serializer, tuple(parsed[first + has_serializer :])


# grids with more cells than this are walked through a store listing, not cell by cell
_GRID_WALK_LIMIT = 1 << 16


def _chunk_counts(shape: tuple[int, ...], chunks: tuple[int, ...]) -> tuple[int, ...]:
    """Chunks along each axis; an empty axis has none, even with zarr-python's chunk side 0."""
    return tuple(chunk_count(s, c, axis=i) for i, (s, c) in enumerate(zip(shape, chunks, strict=True)))


def _check_chunk_sides(path: str, shape: tuple[int, ...], chunks: tuple[int, ...]) -> None:
    """Refuse a non-empty axis with chunk side 0 (zarr-python writes such metadata when resizing)."""
    try:
        _chunk_counts(shape, chunks)
    except ChunkSideZeroError as e:
        raise ChunkSideZeroError(f"array {path!r} of shape {shape} with chunks {chunks}: {e}") from None


def _chunk_coords(key: str, metadata: ArrayMetadata, counts: list[int]) -> tuple[int, ...] | None:
    """The grid coordinates of a chunk key relative to the array, or None when it is no chunk key."""
    encoding = metadata.chunk_key_encoding
    separator = encoding.separator
    parts = key.split(separator)
    if encoding.name == "default":
        if parts[0] != "c":
            return None
        parts = parts[1:]
    elif not counts and parts == ["0"]:
        parts = []
    if len(parts) != len(counts) or not all(p.isdigit() for p in parts):
        return None
    coords = tuple(int(p) for p in parts)
    if metadata.chunk_key(coords) != key or any(map(operator.ge, coords, counts)):
        return None
    return coords


def _is_mask(selection: Any, ndim: int) -> bool:
    item = selection[0] if isinstance(selection, tuple) and len(selection) == 1 else selection
    if isinstance(item, np.ndarray):
        return item.dtype == bool
    return (
        ndim == 1
        and isinstance(item, list)
        and bool(item)
        and all(isinstance(i, bool | np.bool_) for i in item)
    )


def _out_view(out: Any, shape: tuple[int, ...], out_shape: tuple[int, ...]) -> np.ndarray:
    """``out`` seen with the engine's ``out_shape``, sharing its memory; a shape mismatch names both."""
    if hasattr(out, "as_numpy_array") and not isinstance(out, np.ndarray):
        out = out.as_numpy_array()  # an NDBuffer, as zarr-python passes
    if not isinstance(out, np.ndarray):
        raise TypeError(f"parameter 'out' must be a NumPy array, got {type(out).__name__}")
    if out.shape != shape:
        raise ValueError(f"parameter 'out': expected an array of shape {shape}, got shape {out.shape}")
    if not out.flags.writeable:
        raise ValueError("parameter 'out' is read-only")
    view = out.view()
    try:
        view.shape = out_shape  # raises rather than copying when the memory layout does not allow it
    except AttributeError:
        raise ValueError(f"parameter 'out' cannot be viewed as shape {out_shape} without a copy") from None
    return view


def _parse_shape(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, int | np.integer):
        return (int(shape),)
    return tuple(int(s) for s in shape)


def _check_addressable(shape: tuple[int, ...], dtype: np.dtype, *, where: str) -> int:
    """The bytes a selection of ``shape`` spans; past numpy's index range it is refused at once."""
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes > MAX_INDEX:
        raise ArrayTooLargeError(
            f"array is too big: a selection of shape {shape} and dtype {dtype} in {where} "
            f"spans {nbytes} bytes, more than numpy can address (2**63 - 1)"
        )
    return nbytes


def _allocate(shape: tuple[int, ...], dtype: np.dtype, order: str, *, where: str) -> np.ndarray:
    """The output buffer of a read, allocated before any chunk is planned or fetched."""
    nbytes = _check_addressable(shape, dtype, where=where)
    try:
        if nbytes >= recycle.MIN_BYTES and not (dtype.hasobject or dtype.kind == "T"):
            # big results in reused private mappings: no page faults per read (see core/buffer/recycle)
            try:
                return recycle.recycled_array(shape, dtype, order)
            except OSError as exc:
                raise MemoryError(str(exc)) from exc
        return np.empty(shape, dtype=dtype, order=order)  # type: ignore[call-overload]
    except MemoryError as exc:
        raise ArrayTooLargeError(
            f"array is too big: cannot allocate {nbytes} bytes for a selection of shape {shape} "
            f"and dtype {dtype} in {where}"
        ) from exc


def _as_value(value: Any, dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
    """``value`` as an array of ``dtype`` broadcast to ``shape``; a mismatch names both shapes."""
    array = np.asarray(value, dtype=dtype)
    if array.shape == shape:
        return array
    try:
        return np.broadcast_to(array, shape)
    except ValueError:
        raise ValueError(f"parameter 'value': expected array with shape {shape}, got {array.shape}") from None
