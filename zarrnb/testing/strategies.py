"""Hypothesis strategies for property tests of Zarr arrays (zarr-python's ``zarr.testing.strategies``).

Names and parameters follow zarr-python's module so its property tests run on zarrnb; the arrays
drawn are zarrnb arrays in zarrnb stores. Needs the ``hypothesis`` package (the ``test`` extra).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Mapping
from typing import Any, Literal

import numpy as np

try:
    import hypothesis.extra.numpy as npst
    import hypothesis.strategies as st
    from hypothesis import event
except ImportError as exc:  # pragma: no cover - the test extra installs it
    raise ImportError(
        "zarrnb.testing.strategies needs the 'hypothesis' package (pip install hypothesis)"
    ) from exc

import zarrnb
from zarrnb.abc.store import RangeByteRequest, Store
from zarrnb.api.sync import sync
from zarrnb.metadata.build import build_array_metadata
from zarrnb.storage import MemoryStore

__all__ = [
    "TrueOrFalse",
    "array_metadata",
    "array_names",
    "array_shapes",
    "arrays",
    "attrs",
    "basic_indices",
    "chunk_paths",
    "chunk_shapes",
    "clear_store",
    "compressors",
    "dimension_names",
    "dtypes",
    "end_slices",
    "is_negative_slice",
    "key_ranges",
    "keys",
    "node_names",
    "np_array_and_chunks",
    "numpy_arrays",
    "orthogonal_indices",
    "paths",
    "safe_unicode_for_dtype",
    "shard_shapes",
    "short_node_names",
    "simple_arrays",
    "stores",
    "v2_dtypes",
    "v3_dtypes",
    "zarr_formats",
    "zarr_key_chars",
]

# zarr-python's annotation for the boolean switches of its strategies (``allow_ellipsis``, ...)
TrueOrFalse = Literal[True, False]

_attr_keys = st.text(st.characters(), min_size=1)
_attr_values = st.recursive(
    st.none() | st.booleans() | st.text(st.characters(), max_size=5),
    lambda children: st.lists(children) | st.dictionaries(_attr_keys, children),
    max_leaves=3,
)

# v3 core spec, node names: not empty, no "/", not only periods, not starting with "__"
zarr_key_chars = st.sampled_from(".-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")


def _valid_node_name(name: str) -> bool:
    return name not in (".", "..") and not name.startswith("__") and name.lower() != "zarr.json"


node_names = st.text(zarr_key_chars, min_size=1).filter(_valid_node_name)
short_node_names = st.text(zarr_key_chars, min_size=1, max_size=3).filter(_valid_node_name)
array_names = node_names
attrs: st.SearchStrategy[Mapping[str, Any] | None] = st.none() | st.dictionaries(_attr_keys, _attr_values)
compressors = st.sampled_from([None, "default"])
zarr_formats: st.SearchStrategy[int] = st.sampled_from([3, 2])
# small sides first: arrays with sides of 0, 1 or 2 come from the second branch only
array_shapes = npst.array_shapes(max_dims=4, min_side=3, max_side=5) | npst.array_shapes(
    max_dims=4, min_side=0
)


def clear_store(x: Store) -> Store:
    """The store ``x`` emptied (``st.builds`` hands out one store object per argument set)."""
    sync(x.clear())
    return x


stores = st.builds(MemoryStore, st.just({})).map(clear_store)


@st.composite
def keys(draw: st.DrawFn, *, max_num_nodes: int | None = None) -> str:
    """A ``/``-joined key of one or more node names."""
    return draw(st.lists(node_names, min_size=1, max_size=max_num_nodes).map("/".join))


@st.composite
def paths(draw: st.DrawFn, *, max_num_nodes: int | None = None) -> str:
    """The root ``/`` or a key."""
    return draw(st.just("/") | keys(max_num_nodes=max_num_nodes))


def dtypes() -> st.SearchStrategy[np.dtype]:
    """Native-order numpy dtypes both Zarr formats store."""
    return (
        npst.boolean_dtypes()
        | npst.integer_dtypes(endianness="=")
        | npst.unsigned_integer_dtypes(endianness="=")
        | npst.floating_dtypes(endianness="=")
        | npst.complex_number_dtypes(endianness="=")
        | npst.byte_string_dtypes(endianness="=")
        | npst.unicode_string_dtypes(endianness="=")
        | npst.datetime64_dtypes(endianness="=")
        | npst.timedelta64_dtypes(endianness="=")
    )


v3_dtypes = dtypes
v2_dtypes = dtypes


def safe_unicode_for_dtype(dtype: np.dtype) -> st.SearchStrategy[str]:
    """Text that fits ``dtype`` (4 bytes a character) and survives UTF-8 (no surrogates)."""
    return st.text(
        alphabet=st.characters(exclude_categories=["Cs"], min_codepoint=32),
        min_size=1,
        max_size=max(1, dtype.itemsize // 4),
    )


@st.composite
def dimension_names(draw: st.DrawFn, *, ndim: int | None = None) -> list[str | None] | None:
    """None, or one name (or None) per dimension."""
    names = st.lists(st.none() | st.text(zarr_key_chars, min_size=0), min_size=ndim, max_size=ndim)
    return draw(st.none() | names)  # type: ignore[arg-type]


@st.composite
def array_metadata(
    draw: st.DrawFn,
    *,
    array_shapes: Callable[..., st.SearchStrategy[tuple[int, ...]]] = npst.array_shapes,
    zarr_formats: st.SearchStrategy[int] = zarr_formats,
    attributes: st.SearchStrategy[Mapping[str, Any] | None] = attrs,
) -> Any:
    """Array metadata of either format, uncompressed, as zarrnb's ``create_array`` would build it."""
    zarr_format = draw(zarr_formats)
    shape = draw(array_shapes())
    chunk_shape = draw(array_shapes(min_dims=len(shape), max_dims=len(shape)))
    dtype = draw(dtypes())
    v3 = zarr_format == 3
    return build_array_metadata(
        shape=shape,
        dtype=dtype,
        chunks=chunk_shape,
        fill_value=draw(npst.from_dtype(dtype)),
        zarr_format=zarr_format,
        order=None if v3 else draw(st.sampled_from(["C", "F"])),
        attributes=draw(attributes),
        dimension_names=draw(dimension_names(ndim=len(shape))) if v3 else None,
        chunk_key_encoding=None if v3 else {"name": "v2", "separator": draw(st.sampled_from([".", "/"]))},
        filters=None,
        compressors=None,
    )


@st.composite
def numpy_arrays(
    draw: st.DrawFn,
    *,
    shapes: st.SearchStrategy[tuple[int, ...]] = array_shapes,
    dtype: np.dtype | None = None,
) -> np.ndarray:
    """NumPy arrays either Zarr format can store (text limited to what round-trips)."""
    dtype = draw(dtypes()) if dtype is None else dtype
    if np.issubdtype(dtype, np.str_):
        return draw(npst.arrays(dtype=dtype, shape=shapes, elements=safe_unicode_for_dtype(dtype)))
    return draw(npst.arrays(dtype=dtype, shape=shapes))


@st.composite
def chunk_shapes(draw: st.DrawFn, *, shape: tuple[int, ...]) -> tuple[int, ...]:
    """A chunk shape for ``shape``; shrinks towards fewer chunks (counts shrink, chunk sides grow)."""
    counts = draw(st.tuples(*[st.integers(min_value=0 if n == 0 else 1, max_value=n) for n in shape]))
    chunks = tuple(n // count if count else 0 for n, count in zip(shape, counts, strict=True))
    for side in chunks:
        event("chunk size", side)
    if any(c and n % c for n, c in zip(shape, chunks, strict=True)):
        event("smaller last chunk")
    return chunks


@st.composite
def shard_shapes(draw: st.DrawFn, *, shape: tuple[int, ...], chunk_shape: tuple[int, ...]) -> tuple[int, ...]:
    """A shard shape: a whole number of chunks per side, at most the array's extent."""
    if not all(chunk_shape):
        raise ValueError(f"shards need non-zero chunk sides, got chunks {chunk_shape}")
    counts = [n // c for n, c in zip(shape, chunk_shape, strict=True)]
    return tuple(
        draw(st.integers(min_value=1, max_value=k)) * c for k, c in zip(counts, chunk_shape, strict=True)
    )


@st.composite
def np_array_and_chunks(
    draw: st.DrawFn, *, arrays: st.SearchStrategy[np.ndarray] | None = None
) -> tuple[np.ndarray, tuple[int, ...]]:
    """A small array and a chunk shape for it."""
    array = draw(numpy_arrays() if arrays is None else arrays)
    return array, draw(chunk_shapes(shape=array.shape))


@st.composite
def arrays(
    draw: st.DrawFn,
    *,
    shapes: st.SearchStrategy[tuple[int, ...]] = array_shapes,
    compressors: st.SearchStrategy[Any] = compressors,
    stores: st.SearchStrategy[Any] = stores,
    paths: st.SearchStrategy[str] | None = None,
    array_names: st.SearchStrategy[str] = array_names,
    arrays: st.SearchStrategy[np.ndarray] | None = None,
    attrs: st.SearchStrategy[Any] = attrs,
    zarr_formats: st.SearchStrategy[int] = zarr_formats,
) -> Any:
    """A zarrnb array in a fresh store, filled with a drawn NumPy array (chunks, shards, fill value drawn)."""
    store = draw(stores, label="store")
    parent = draw(globals()["paths"]() if paths is None else paths, label="array parent")
    name = draw(array_names, label="array name")
    attributes = draw(attrs, label="attributes")
    zarr_format = draw(zarr_formats, label="zarr format")
    data = draw(numpy_arrays(shapes=shapes) if arrays is None else arrays, label="array data")
    chunks = draw(chunk_shapes(shape=data.shape), label="chunk shape")
    shards, names = None, None
    if zarr_format == 3 and all(chunks):
        shards = draw(st.none() | shard_shapes(shape=data.shape, chunk_shape=chunks), label="shard shape")
        names = draw(dimension_names(ndim=data.ndim), label="dimension names")
    fill_value = draw(st.none() | npst.from_dtype(data.dtype))
    array_path = name if parent in ("/", "") else f"{parent.strip('/')}/{name}"
    root = zarrnb.open_group(store, mode="w", zarr_format=zarr_format)
    array = root.create_array(
        array_path, shape=data.shape, chunks=chunks, shards=shards, dtype=data.dtype,
        attributes=attributes, fill_value=fill_value, dimension_names=names,
    )  # fmt: skip
    assert array.shape == data.shape and array.chunks == chunks and array.shards == shards
    assert array.path == array_path and array.basename == name
    assert dict(array.attrs) == ({} if attributes is None else attributes)
    array[:] = data
    return array


@st.composite
def simple_arrays(draw: st.DrawFn, *, shapes: st.SearchStrategy[tuple[int, ...]] = array_shapes) -> Any:
    """Arrays with short paths and no attributes: quick to draw, for indexing tests."""
    return draw(
        arrays(shapes=shapes, paths=paths(max_num_nodes=2), array_names=short_node_names, attrs=st.none())
    )


def is_negative_slice(idx: Any) -> bool:
    """True for a slice with a negative step (Zarr arrays refuse those)."""
    return isinstance(idx, slice) and idx.step is not None and idx.step < 0


@st.composite
def end_slices(draw: st.DrawFn, *, shape: tuple[int, ...]) -> Any:
    """Slices that reach into the last chunk, where a partial last chunk hides bugs."""
    selection = []
    for size in shape:
        start = draw(st.integers(min_value=size // 2, max_value=size - 1))
        selection.append(slice(start, start + draw(st.integers(min_value=0, max_value=size - start))))
    event("drawing end slice")
    return tuple(selection)


@st.composite
def basic_indices(
    draw: st.DrawFn,
    *,
    shape: tuple[int, ...],
    min_dims: int = 0,
    max_dims: int | None = None,
    allow_newaxis: TrueOrFalse = False,
    allow_ellipsis: TrueOrFalse = True,
) -> Any:
    """NumPy basic indices without negative-step slices, plus slices reaching the last chunk."""

    def supported(index: Any) -> bool:
        parts = index if isinstance(index, tuple) else (index,)
        return not any(is_negative_slice(part) for part in parts)

    strategy = npst.basic_indices(
        shape=shape,
        min_dims=min_dims,
        max_dims=max_dims,
        allow_newaxis=allow_newaxis,
        allow_ellipsis=allow_ellipsis,
    ).filter(supported)
    if math.prod(shape) >= 3:
        strategy = end_slices(shape=shape) | strategy
    return draw(strategy)


@st.composite
def orthogonal_indices(
    draw: st.DrawFn, *, shape: tuple[int, ...]
) -> tuple[tuple[Any, ...], tuple[np.ndarray, ...]]:
    """(a Zarr orthogonal selection, the equivalent broadcast NumPy fancy index)."""
    zarr_index, numpy_index = [], []
    for axis, size in enumerate(shape):
        one_axis = basic_indices(min_dims=1, shape=(size,), allow_ellipsis=False)
        if size:
            sides = npst.array_shapes(min_side=1, max_side=size, max_dims=1)
            one_axis = npst.integer_array_indices(shape=(size,), result_shape=sides) | one_axis
        (index,) = draw(one_axis.map(lambda x: x if isinstance(x, tuple) else (x,)).filter(bool))
        if isinstance(index, int):
            index = np.array([index])
        zarr_index.append(index)
        positions = np.arange(*index.indices(size)) if isinstance(index, slice) else np.asarray(index)
        numpy_index.append(positions.reshape([positions.size if i == axis else 1 for i in range(len(shape))]))
    return tuple(zarr_index), tuple(np.broadcast_arrays(*numpy_index))


def key_ranges(
    keys: st.SearchStrategy[str] = node_names, max_size: int = sys.maxsize
) -> st.SearchStrategy[list[tuple[str, RangeByteRequest]]]:
    """Lists of (key, byte range) pairs for ``get_partial_values``."""
    requests = st.builds(
        lambda start, length: RangeByteRequest(start, min(start + length, max_size)),
        st.integers(min_value=0, max_value=max_size),
        st.integers(min_value=0, max_value=max_size),
    )
    return st.lists(st.tuples(keys, requests), min_size=1, max_size=10)


@st.composite
def chunk_paths(draw: st.DrawFn, ndim: int, numblocks: tuple[int, ...], subset: bool = True) -> str:
    """A chunk key suffix (``"1/0/2"``), possibly only its leading coordinates."""
    coords = draw(st.tuples(*(st.integers(min_value=0, max_value=max(0, n - 1)) for n in numblocks)))
    kept = draw(st.integers(min_value=0, max_value=ndim)) if subset else ndim
    return "/".join(map(str, coords[:kept]))
