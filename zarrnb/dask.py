"""Dask helpers (install ``zarrnb[dask]``): zarrnb arrays as dask arrays and back, on any scheduler.

zarrnb arrays work with ``da.from_array(arr, chunks=arr.chunks)`` and ``da.store`` as they
are; these helpers add what ``da.from_zarr``/``da.to_zarr`` do for zarr-python (open from a
URL, create the target, keep dask's blocks aligned to the stored chunks) without the
``import zarr`` switch. Arrays and stores pickle, so dask.distributed workers read and
write them in parallel; an in-memory store cannot take writes from other processes and
says so before any task runs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from zarrnb._extras import require
from zarrnb.api.array import Array
from zarrnb.api.synchronous import create_array, open_array
from zarrnb.storage import MemoryStore, WrapperStore

da = require("dask.array", "zarrnb.dask")

__all__ = ["check_shared_store", "from_zarrnb", "to_zarrnb", "write_chunks"]


def _open(source: Any, component: str | None, storage_options: dict[str, Any] | None, mode: str) -> Array:
    if isinstance(source, Array):
        if component is not None:
            raise ValueError(f"component={component!r} applies to a store or URL, not to the array {source}")
        return source
    return open_array(source, path=component, mode=mode, storage_options=storage_options)


def from_zarrnb(
    source: Any,
    component: str | None = None,
    *,
    chunks: Any = None,
    storage_options: dict[str, Any] | None = None,
    name: str | None = None,
    inline_array: bool = False,
) -> Any:
    """A dask array over a zarrnb array (or the array at a store-like/URL); blocks default to its chunks."""
    array = _open(source, component, storage_options, mode="r")
    chunks = array.chunks if chunks is None else chunks
    if name is None:
        name = "from-zarrnb-" + _tokenize(array, chunks)
    return da.from_array(array, chunks=chunks, name=name, inline_array=inline_array, asarray=False)


def _tokenize(*parts: Any) -> str:
    from dask.base import tokenize

    return tokenize(*parts)


def write_chunks(array: Array) -> tuple[int, ...]:
    """The unit a writer must own whole: the shard when sharded, else the chunk."""
    return tuple(array.shards or array.chunks)


def check_shared_store(array: Array) -> None:
    """Refuse a distributed write into a store that lives in this process's memory only."""
    store = array.store
    while isinstance(store, WrapperStore):
        store = store._store
    if not isinstance(store, MemoryStore) or not isinstance(store._store_dict, dict):
        return
    try:
        from distributed import default_client

        default_client()
    except (ImportError, ValueError):
        return  # no distributed client: dask runs the tasks in this process
    raise RuntimeError(
        f"cannot write to {array} from dask.distributed workers: its MemoryStore lives in this process, "
        "so each worker would write into its own copy and the data would be lost; write to a LocalStore, "
        "ZipStore or remote store, or compute with the threaded scheduler"
    )


def _aligned(x: Any, units: tuple[int, ...], offsets: tuple[int, ...]) -> Any:
    """``x`` rechunked where a block boundary would split a stored chunk between two writers."""
    new_chunks = []
    for blocks, unit, offset in zip(x.chunks, units, offsets, strict=True):
        edges = np.cumsum((offset, *blocks))[1:-1]
        if np.all(edges % unit == 0):
            new_chunks.append(blocks)
        else:
            length = sum(blocks)
            first = min(length, (-offset) % unit or unit)
            rest = [unit] * ((length - first) // unit)
            tail = length - first - sum(rest)
            new_chunks.append(tuple(b for b in (first, *rest, tail) if b))
    new_chunks = tuple(new_chunks)
    return x if new_chunks == x.chunks else x.rechunk(new_chunks)


def to_zarrnb(
    x: Any,
    target: Any,
    component: str | None = None,
    *,
    storage_options: dict[str, Any] | None = None,
    region: tuple[slice, ...] | None = None,
    compute: bool = True,
    return_stored: bool = False,
    mode: str = "a",
    **create_kwargs: Any,
) -> Any:
    """Write the dask array ``x`` to a zarrnb array, or to a new one at a store-like/URL.

    Blocks are rechunked so that no stored chunk (shard) is written by two tasks.
    """
    if isinstance(target, Array):
        if create_kwargs:
            raise TypeError(f"{sorted(create_kwargs)} create an array; {target} already exists")
        array = target
    else:
        create_kwargs.setdefault("chunks", tuple(c[0] for c in x.chunks))
        array = create_array(
            target,
            name=component,
            shape=x.shape,
            dtype=x.dtype,
            storage_options=storage_options,
            overwrite=mode == "w",
            **create_kwargs,
        )
    check_shared_store(array)
    if region is None:
        offsets = (0,) * array.ndim
    else:
        offsets = tuple(s.indices(n)[0] for s, n in zip(region, array.shape, strict=True))
    x = _aligned(x, write_chunks(array), offsets)
    return da.store(
        x,
        array,
        lock=False,
        regions=None if region is None else [region],
        compute=compute,
        return_stored=return_stored,
    )
