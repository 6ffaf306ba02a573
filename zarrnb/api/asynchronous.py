"""The top-level API as coroutines: open, create and consolidate arrays and groups.

Names, arguments and modes follow zarr-python 3's ``zarr.api.asynchronous``. Modes:
``r`` read-only, must exist; ``r+`` read/write, must exist; ``a`` read/write, created when
missing; ``w`` created, replacing what was there; ``w-`` created, failing if anything is there.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

import zarrnb.config as config
from zarrnb.abc.store import Store
from zarrnb.api.convenience import copy_store
from zarrnb.api.copying import copy, copy_all
from zarrnb.codecs import parse_codecs
from zarrnb.codecs.array_spec import ArrayConfig
from zarrnb.codecs.pipeline import split_codecs
from zarrnb.core.array import AsyncArray
from zarrnb.core.array_create import create_array_at
from zarrnb.core.array_from import KEEP, kept_settings
from zarrnb.core.common import ensure_no_existing_node
from zarrnb.core.group import AsyncGroup, GroupTree, create_hierarchy, open_node
from zarrnb.dtype.fill_value import DEFAULT_FILL_VALUE
from zarrnb.errors import (
    ArrayNotFoundError,
    GroupNotFoundError,
    MetadataValidationError,
    NodeNotFoundError,
    NodeTypeValidationError,
    ZarrDeprecationWarning,
    ZarrRuntimeWarning,
    ZarrUserWarning,
)
from zarrnb.storage import StorePath, make_store_path
from zarrnb.storage.common import ACCESS_MODES, StoreLike

# zarr-python's list: create_group is defined (and top-level) but not listed here, create_hierarchy is
__all__ = [
    "array",
    "consolidate_metadata",
    "copy",
    "copy_all",
    "copy_store",
    "create",
    "create_array",
    "create_hierarchy",
    "empty",
    "empty_like",
    "from_array",
    "full",
    "full_like",
    "group",
    "load",
    "ones",
    "ones_like",
    "open",
    "open_array",
    "open_consolidated",
    "open_group",
    "open_like",
    "save",
    "save_array",
    "save_group",
    "tree",
    "zeros",
    "zeros_like",
]

_READ_MODES = ("r", "r+", "a")
_CREATE_MODES = ("a", "w", "w-")


def _check_mode(mode: str | None) -> None:
    if mode is not None and mode not in ACCESS_MODES:
        raise ValueError(f"invalid mode {mode!r}; expected one of {', '.join(map(repr, ACCESS_MODES))}")


def _default_mode(store: StoreLike) -> str:
    """'r' for a read-only store, else 'a' (zarr-python's default)."""
    return "r" if isinstance(store, Store | StorePath) and store.read_only else "a"


async def _store_path(
    store: StoreLike, *, path: str | None, mode: str | None, storage_options: dict[str, Any] | None
) -> StorePath:
    """The store path for ``mode``; 'w-' over an existing node names it (ContainsArrayError, ...)."""
    _check_mode(mode)
    try:
        return await make_store_path(store, path=path, mode=mode, storage_options=storage_options)
    except FileExistsError:
        if mode == "w-":
            found = await make_store_path(store, path=path, storage_options=storage_options)
            await ensure_no_existing_node(found)
        raise


async def open(
    store: StoreLike = None,
    *,
    mode: str | None = None,
    zarr_format: int | None = None,
    path: str | None = None,
    storage_options: dict[str, Any] | None = None,
    **kwargs: Any,
) -> AsyncArray | AsyncGroup:
    """Open the array or group at ``store``/``path``; with ``shape=`` create an array when missing."""
    _check_mode(mode)
    _check_zarr_format(zarr_format)
    mode = mode or _default_mode(store)
    store_path = await _store_path(store, path=path, mode=mode, storage_options=storage_options)
    if "shape" in kwargs:
        try:
            return await _array_at(store_path, mode, zarr_format, **kwargs)
        except NodeTypeValidationError as exc:
            # zarr-python falls back to open_group here, whose signature refuses array arguments
            raise TypeError(f"open_group() got an unexpected keyword argument 'shape' ({exc})") from exc
    if mode in _READ_MODES:
        try:
            node = await open_node(store_path, zarr_format)
        except NodeNotFoundError:
            pass
        else:
            if isinstance(node, AsyncArray):
                # runtime settings (write_empty_chunks, order) apply to an opened array too
                return node if kwargs.get("config") is None else node.with_config(kwargs["config"])
    return await _group_at(store_path, mode, zarr_format, **kwargs)


async def _group_at(
    store_path: StorePath,
    mode: str,
    zarr_format: int | None,
    attributes: dict[str, Any] | None = None,
    use_consolidated: bool | str | None = None,
) -> AsyncGroup:
    if mode in _READ_MODES:
        try:
            return await AsyncGroup.open(store_path, zarr_format, use_consolidated)
        except GroupNotFoundError:
            if mode not in _CREATE_MODES:
                raise
    return await AsyncGroup.create(
        store_path, zarr_format=zarr_format, attributes=attributes, overwrite=mode == "w"
    )


async def open_group(
    store: StoreLike = None,
    *,
    mode: str = "a",
    path: str | None = None,
    zarr_format: int | None = None,
    storage_options: dict[str, Any] | None = None,
    attributes: dict[str, Any] | None = None,
    use_consolidated: bool | str | None = None,
    cache_attrs: bool | None = None,
    synchronizer: Any = None,
    chunk_store: StoreLike | None = None,
    zarr_version: int | None = None,
    meta_array: Any = None,
) -> AsyncGroup:
    """Open a group; modes 'a', 'w' and 'w-' create it when needed."""
    zarr_format = _zarr_format_or_version(zarr_format, zarr_version)
    _warn_ignored(
        cache_attrs=cache_attrs, synchronizer=synchronizer, meta_array=meta_array, chunk_store=chunk_store
    )
    _check_zarr_format(zarr_format)
    store_path = await _store_path(store, path=path, mode=mode, storage_options=storage_options)
    return await _group_at(store_path, mode, zarr_format, attributes, use_consolidated)


async def open_consolidated(*args: Any, use_consolidated: bool | str = True, **kwargs: Any) -> AsyncGroup:
    """``open_group`` that requires consolidated metadata."""
    if use_consolidated is not True and not isinstance(use_consolidated, str):
        raise TypeError(
            "'use_consolidated' must be 'True' (or a format 2 key name) in 'open_consolidated'; use 'open' "
            "with 'use_consolidated=False' to bypass consolidated metadata."
        )
    return await open_group(*args, use_consolidated=use_consolidated, **kwargs)


async def _array_at(
    store_path: StorePath, mode: str | None, zarr_format: int | None, **kwargs: Any
) -> AsyncArray:
    try:
        return await AsyncArray.open(store_path, zarr_format=zarr_format, config=kwargs.get("config"))
    except FileNotFoundError as err:
        if store_path.read_only or mode not in _CREATE_MODES:
            raise ArrayNotFoundError(f"no array at path {store_path.path!r} in {store_path.store}") from err
    # zarr-python creates it with ``create``'s defaults (float64, automatic chunks)
    return await create(store=store_path, zarr_format=zarr_format, overwrite=mode == "w", **kwargs)


async def open_array(
    store: StoreLike = None,
    *,
    mode: str | None = None,
    path: str | None = None,
    zarr_format: int | None = None,
    storage_options: dict[str, Any] | None = None,
    **kwargs: Any,
) -> AsyncArray:
    """Open an array; with mode 'a', 'w' or 'w-' create it from ``kwargs`` when missing."""
    _check_zarr_format(zarr_format)
    store_path = await _store_path(store, path=path, mode=mode, storage_options=storage_options)
    return await _array_at(store_path, mode, zarr_format, **kwargs)


async def create(
    shape: Any,
    *,
    store: StoreLike = None,
    dtype: Any = None,
    chunks: Any = None,
    path: str | None = None,
    mode: str | None = None,
    overwrite: bool = False,
    zarr_format: int | None = None,
    storage_options: dict[str, Any] | None = None,
    **kwargs: Any,
) -> AsyncArray:
    """Create an array (zarr-python's older ``create``; ``chunks=None`` means automatic)."""
    resolved_format = zarr_format or config.get("default_zarr_format")
    _refuse_other_format_arguments(resolved_format, chunks, kwargs)
    kwargs = _legacy_create_arguments(kwargs)
    if resolved_format == 2 and kwargs.get("order") is None:
        # here (not in create_array) zarr-python stores the runtime config's order in a v2 array
        kwargs["order"] = ArrayConfig.parse(kwargs.get("config")).order
    if chunks is None:
        chunks = kwargs.pop("chunk_shape", None)
    kwargs.pop("chunk_shape", None)
    store_path = await _store_path(store, path=path, mode=mode or "a", storage_options=storage_options)
    return await create_array_at(
        store_path,
        shape=shape,
        dtype=dtype if dtype is not None else np.float64,
        chunks="auto" if chunks is None or chunks is True else chunks,
        zarr_format=zarr_format,
        overwrite=overwrite or mode == "w",
        **kwargs,
    )


def _refuse_other_format_arguments(zarr_format: int, chunks: Any, kwargs: dict[str, Any]) -> None:
    """zarr-python's ``create`` errors (and wording) for arguments of the other Zarr format."""
    if chunks is not None and kwargs.get("chunk_shape") is not None:
        raise ValueError("Only one of chunk_shape or chunks can be provided.")
    if zarr_format == 3:
        advice = {
            "dimension_separator": " Use chunk_key_encoding instead.",
            "filters": " Use array-to-array codecs instead.",
            "compressor": " Use bytes-to-bytes codecs instead.",
        }
        given = [k for k in ("dimension_separator", "filters") if kwargs.get(k) is not None]
        if not _is_auto(kwargs.get("compressor", "auto")):  # None too: "no compressor" is format 2's
            given.append("compressor")
    else:
        advice = {
            "codecs": " Use filters and compressor instead.",
            "chunk_key_encoding": " Use dimension_separator instead.",
            "dimension_names": "",
        }
        given = [k for k in advice if kwargs.get(k) is not None]
    if given:
        name = given[0]
        raise ValueError(f"{name} cannot be used for arrays with zarr_format {zarr_format}.{advice[name]}")


def _is_auto(value: Any) -> bool:
    return isinstance(value, str) and value == "auto"


def _check_zarr_format(zarr_format: object) -> None:
    """2, 3 or None, or zarr-python's ``MetadataValidationError`` naming the value."""
    if zarr_format not in (2, 3, None) or isinstance(zarr_format, bool):
        raise MetadataValidationError(
            f"Invalid value for 'zarr_format'. Expected 2, 3, or None. Got '{zarr_format}'."
        )


def _zarr_format_or_version(zarr_format: int | None, zarr_version: int | None) -> int | None:
    """``zarr_format``, or zarr-python 2's deprecated ``zarr_version`` (with zarr-python's warning)."""
    if zarr_version is None:
        return zarr_format
    if zarr_format is not None and zarr_format != zarr_version:
        raise ValueError(
            f"zarr_format {zarr_format} does not match zarr_version {zarr_version}, please only set one"
        )
    warnings.warn("zarr_version is deprecated, use zarr_format", ZarrDeprecationWarning, stacklevel=3)
    return zarr_version


def _warn_ignored(**given: Any) -> None:
    """Warn, as zarr-python 3 does, for each zarr-python 2 argument given that has no effect."""
    for name, value in given.items():
        if value is not None:
            warnings.warn(f"{name} is not yet implemented", ZarrRuntimeWarning, stacklevel=3)


# zarr-python's create accepts these zarr-python 2 arguments and only warns that they do nothing
_NOT_IMPLEMENTED = (
    "synchronizer", "chunk_store", "cache_metadata", "cache_attrs", "object_codec", "read_only", "meta_array",
)  # fmt: skip


def _legacy_create_arguments(kwargs: dict[str, Any]) -> dict[str, Any]:
    """``kwargs`` without zarr-python 2's arguments, warning as zarr-python does; ``write_empty_chunks``
    becomes the array's runtime ``config``."""
    kwargs = dict(kwargs)
    for name in _NOT_IMPLEMENTED:
        if kwargs.pop(name, None) is not None:
            warnings.warn(f"{name} is not yet implemented", ZarrRuntimeWarning, stacklevel=3)
    codecs = kwargs.pop("codecs", None)
    if codecs is not None:  # zarr-python's v3 ``codecs=`` list: taken apart into create_array's arguments
        split = ("filters", "serializer", "compressors", "compressor")
        given = [k for k in split if kwargs.get(k) is not None]
        if given:
            raise ValueError(f"pass 'codecs' or {given}, not both")
        filters, serializer, compressors = split_codecs(parse_codecs(list(codecs)))
        kwargs.update(filters=filters, serializer=serializer, compressors=compressors)
    write_empty_chunks = kwargs.pop("write_empty_chunks", None)
    if write_empty_chunks is not None:
        warnings.warn(
            "The `write_empty_chunks` keyword argument is deprecated and will be removed in future "
            "versions. To control whether empty chunks are written to storage, either use the `config` "
            "keyword argument, as in `config={'write_empty_chunks': True}`, or change the global "
            "'array.write_empty_chunks' configuration variable.",
            ZarrRuntimeWarning,
            stacklevel=3,
        )
        given = kwargs.get("config")
        if given is not None:
            warnings.warn(
                "Both write_empty_chunks and config keyword arguments are set; write_empty_chunks is used.",
                ZarrUserWarning,
                stacklevel=3,
            )
        base = given.to_dict() if hasattr(given, "to_dict") else dict(given or {})
        kwargs["config"] = {**base, "write_empty_chunks": write_empty_chunks}
    return kwargs


async def empty(shape: Any, **kwargs: Any) -> AsyncArray:
    """A new array with nothing written: reads give the fill value."""
    return await create(shape, **kwargs)


async def full(shape: Any, fill_value: Any, **kwargs: Any) -> AsyncArray:
    """A new array reading as ``fill_value`` everywhere (no chunk is written)."""
    return await create(shape, fill_value=fill_value, **kwargs)


async def zeros(shape: Any, **kwargs: Any) -> AsyncArray:
    """A new array reading as zeros (no chunk is written)."""
    return await full(shape, 0, **kwargs)


async def ones(shape: Any, **kwargs: Any) -> AsyncArray:
    """A new array reading as ones (no chunk is written)."""
    return await full(shape, 1, **kwargs)


def _get_shape_chunks(a: Any) -> tuple[tuple[int, ...] | None, tuple[int, ...] | None]:
    """(shape, chunks) of an array-like, each None where it has none (zarr-python's helper)."""
    shape = getattr(a, "shape", None)
    if not isinstance(shape, tuple):
        return None, None
    chunks = getattr(a, "chunks", None)
    if isinstance(chunks, tuple) and len(chunks) == len(shape):
        return shape, chunks
    if hasattr(a, "chunklen"):  # bcolz-style arrays
        return shape, (a.chunklen, *shape[1:])
    return shape, None


def _like_args(a: Any) -> dict[str, Any]:
    """What ``*_like`` takes from ``a``, as zarr-python gives it: shape, chunks, dtype, and a zarr
    array's encoding (v2: order, compressor, filters; v3: codecs)."""
    like: dict[str, Any] = {}
    shape, chunks = _get_shape_chunks(a)
    if shape is not None:
        like["shape"] = shape
    if chunks is not None:
        like["chunks"] = chunks
    if hasattr(a, "dtype"):
        like["dtype"] = a.dtype
    if isinstance(a, AsyncArray):
        if a.metadata.zarr_format == 2:
            like.update(order=a.order, compressor=a.metadata.compressor, filters=a.metadata.filters or None)
        else:
            like["codecs"] = a.metadata.codecs
    return like


def _like_arguments(a: Any, kwargs: dict[str, Any], *, keep_fill_value: bool) -> dict[str, Any]:
    """``_like_args(a)`` for zarrnb's ``create`` (with the source's format and, where
    ``keep_fill_value``, fill value), each overridden by ``kwargs``."""
    like = _like_args(a)
    like.pop("codecs", None)  # a v3 array's codecs: zarrnb's create takes them apart instead
    source = getattr(a, "_async_array", a)  # a synchronous Array keeps its format and fill value too
    if isinstance(source, AsyncArray):
        like["zarr_format"] = source.metadata.zarr_format
        if keep_fill_value:
            like["fill_value"] = source.metadata.fill_value
    other_format = kwargs.get("zarr_format", like.get("zarr_format")) != like.get("zarr_format")
    if other_format or "compressors" in kwargs:
        # another format, or codecs given the v3 way: the source's v2 encoding does not apply
        for key in ("order", "compressor", "filters"):
            like.pop(key, None)
    return {**like, **kwargs}


async def empty_like(a: Any, **kwargs: Any) -> AsyncArray:
    """``empty`` shaped like ``a``, keeping a zarrnb array's chunks and fill value."""
    return await empty(**_like_arguments(a, kwargs, keep_fill_value=True))


async def full_like(a: Any, **kwargs: Any) -> AsyncArray:
    """``full`` shaped like ``a``; the fill value defaults to ``a``'s own (0 for other array-likes)."""
    like = _like_arguments(a, kwargs, keep_fill_value=True)
    like.setdefault("fill_value", 0)
    return await full(**like)


async def zeros_like(a: Any, **kwargs: Any) -> AsyncArray:
    """``zeros`` shaped like ``a``."""
    return await zeros(**_like_arguments(a, kwargs, keep_fill_value=False))


async def ones_like(a: Any, **kwargs: Any) -> AsyncArray:
    """``ones`` shaped like ``a``."""
    return await ones(**_like_arguments(a, kwargs, keep_fill_value=False))


async def open_like(a: Any, path: str, **kwargs: Any) -> AsyncArray:
    """``open_array`` at ``path``, created like ``a`` (shape, dtype, chunks, fill value) when missing."""
    return await open_array(path=path, **_like_arguments(a, kwargs, keep_fill_value=True))


async def create_array(
    store: StoreLike,
    *,
    name: str | None = None,
    shape: Any = None,
    dtype: Any = None,
    data: Any = None,
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
    storage_options: dict[str, Any] | None = None,
    overwrite: bool = False,
    config: Any = None,
    write_data: bool = True,
    **kwargs: Any,
) -> AsyncArray:
    """Create an array at ``store``/``name`` (format 2 defaults to Zstd, as zarr-python's).

    ``data`` gives the shape and dtype, so giving ``shape`` or ``dtype`` too is refused, as in
    zarr-python; ``kwargs`` are the older spellings ``AsyncArray.create`` takes (``compressor``,
    ``chunk_shape``, ``codecs``, ``dimension_separator``).
    """
    _refuse_data_with(data, shape=shape, dtype=dtype)
    store_path = await _store_path(store, path=name, mode="a", storage_options=storage_options)
    return await create_array_at(
        store_path,
        shape=shape, dtype=dtype, data=data, chunks=chunks, shards=shards, filters=filters,
        compressors=compressors, serializer=serializer, fill_value=fill_value, order=order,
        zarr_format=zarr_format, attributes=attributes, chunk_key_encoding=chunk_key_encoding,
        dimension_names=dimension_names, overwrite=overwrite, config=config, write_data=write_data,
        v2_default_compressor="zstd",
        **kwargs,
    )  # fmt: skip


def _refuse_data_with(data: Any, **given: Any) -> None:
    """zarr-python's error for ``data`` together with a ``shape`` or ``dtype`` (shape named first)."""
    if data is None:
        return
    for name, value in given.items():
        if value is not None:
            raise ValueError(
                f"The data parameter was used, but the {name} parameter was also used. This is an error. "
                f"Either use the data parameter, or the {name} parameter, but not both."
            )


async def from_array(
    store: StoreLike,
    *,
    data: Any,
    write_data: bool = True,
    name: str | None = None,
    chunks: Any = KEEP,
    shards: Any = KEEP,
    filters: Any = KEEP,
    compressors: Any = KEEP,
    serializer: Any = KEEP,
    fill_value: Any = DEFAULT_FILL_VALUE,
    order: str | None = None,
    zarr_format: int | None = None,
    attributes: dict[str, Any] | None = None,
    chunk_key_encoding: Any = None,
    dimension_names: Any = None,
    storage_options: dict[str, Any] | None = None,
    overwrite: bool = False,
    config: Any = None,
) -> AsyncArray:
    """A new array holding a copy of ``data`` (an array of ours or any array-like).

    From a zarrnb array, each ``'keep'`` takes the source's setting (format, chunks, shards, codecs,
    chunk key encoding, dimension names; see :func:`zarrnb.core.array_from.kept_settings`), and its
    fill value and attributes are kept unless given.
    """
    settings = kept_settings(
        data, chunks=chunks, shards=shards, filters=filters, compressors=compressors,
        serializer=serializer, fill_value=fill_value, order=order, zarr_format=zarr_format,
        attributes=attributes, chunk_key_encoding=chunk_key_encoding, dimension_names=dimension_names,
    )  # fmt: skip
    if isinstance(data, AsyncArray):
        data = await data.getitem(Ellipsis)
    store_path = await _store_path(store, path=name, mode="a", storage_options=storage_options)
    return await create_array_at(
        store_path, data=np.asarray(data), write_data=write_data, overwrite=overwrite, config=config,
        v2_default_compressor="zstd", **settings,
    )  # fmt: skip


async def array(data: Any, **kwargs: Any) -> AsyncArray:
    """A new array filled with ``data``; ``store`` and ``path`` come in ``kwargs`` (memory by default).

    An array of ours is copied with ``from_array`` (keeping its settings), as in zarr-python; a
    ``dtype`` given with other data is the new array's dtype (values are cast on writing).
    """
    kwargs = _legacy_create_arguments(kwargs)
    store = kwargs.pop("store", None)
    name = kwargs.pop("path", None) or kwargs.pop("name", None)
    if isinstance(data, AsyncArray):
        return await from_array(store, data=data, name=name, **kwargs)
    store_path = await _store_path(
        store, path=name, mode="a", storage_options=kwargs.pop("storage_options", None)
    )
    kwargs.setdefault("zarr_format", 3)
    return await create_array_at(store_path, data=data, v2_default_compressor="zstd", **kwargs)


async def create_group(
    store: StoreLike,
    *,
    path: str | None = None,
    zarr_format: int | None = None,
    overwrite: bool = False,
    attributes: dict[str, Any] | None = None,
    storage_options: dict[str, Any] | None = None,
) -> AsyncGroup:
    """Create a group at ``store``/``path``; an existing node there is an error unless ``overwrite``."""
    store_path = await _store_path(store, path=path, mode="a", storage_options=storage_options)
    return await AsyncGroup.create(
        store_path, zarr_format=zarr_format, attributes=attributes, overwrite=overwrite
    )


async def group(
    store: StoreLike = None,
    *,
    overwrite: bool = False,
    path: str | None = None,
    zarr_format: int | None = None,
    attributes: dict[str, Any] | None = None,
    storage_options: dict[str, Any] | None = None,
    chunk_store: StoreLike | None = None,
    cache_attrs: bool | None = None,
    synchronizer: Any = None,
    zarr_version: int | None = None,
    meta_array: Any = None,
) -> AsyncGroup:
    """Open the group at ``store``/``path``, creating it when missing (replacing it with ``overwrite``)."""
    return await open_group(
        store,
        mode="w" if overwrite else "a",
        path=path,
        zarr_format=_zarr_format_or_version(zarr_format, zarr_version),
        attributes=attributes,
        storage_options=storage_options,
        chunk_store=chunk_store,
        cache_attrs=cache_attrs,
        synchronizer=synchronizer,
        meta_array=meta_array,
    )


async def consolidate_metadata(
    store: StoreLike, path: str | None = None, zarr_format: int | None = None
) -> AsyncGroup:
    """Record the metadata of every node below the group in one place; return that group."""
    store_path = await _store_path(store, path=path, mode=None, storage_options=None)
    if not store_path.store.supports_consolidated_metadata:
        name = type(store_path.store).__name__
        raise TypeError(f"The Zarr Store in use ({name}) doesn't support consolidated metadata.")
    store_path.store._check_writable()
    found = await AsyncGroup.open(store_path, zarr_format=zarr_format, use_consolidated=False)
    consolidated = await found.consolidate()
    listing = consolidated.consolidated_metadata
    if listing is not None and any(m.zarr_format == 3 for m in listing.metadata.values()):
        warnings.warn(
            "Consolidated metadata is currently not part in the Zarr format 3 specification. It may not "
            "be supported by other zarr implementations and may change in the future.",
            ZarrUserWarning,
            stacklevel=2,
        )
    return consolidated


async def save_array(
    store: StoreLike,
    arr: Any,
    *,
    zarr_format: int | None = None,
    path: str | None = None,
    storage_options: dict[str, Any] | None = None,
    **kwargs: Any,
) -> None:
    """Write ``arr`` as an array, replacing whatever was at ``store``/``path``."""
    store_path = await _store_path(store, path=path, mode="a", storage_options=storage_options)
    fmt = zarr_format or config.get("default_zarr_format")
    await create_array_at(store_path, data=np.asarray(arr), zarr_format=fmt, overwrite=True, **kwargs)


async def save_group(
    store: StoreLike,
    *args: Any,
    zarr_format: int | None = None,
    path: str | None = None,
    storage_options: dict[str, Any] | None = None,
    **kwargs: Any,
) -> None:
    """Write each array as a member of a new group: positional ones as ``arr_0``, ``arr_1``, ..."""
    if not args and not kwargs:
        raise ValueError("save_group needs at least one array")
    named = {f"arr_{i}": arr for i, arr in enumerate(args)} | kwargs
    for name, arr in named.items():
        if not (hasattr(arr, "shape") and hasattr(arr, "dtype")):
            # zarr-python's check: a stray keyword (say ``mode="w"``) would otherwise be saved as data
            raise TypeError(f"save_group takes arrays; {name!r} is a {type(arr).__name__}: {arr!r}")
    created = await open_group(
        store, mode="w", path=path, zarr_format=zarr_format, storage_options=storage_options
    )
    for name, arr in named.items():
        await created.create_array(name, data=np.asarray(arr), overwrite=True)


async def save(
    store: StoreLike,
    *args: Any,
    zarr_format: int | None = None,
    path: str | None = None,
    **kwargs: Any,
) -> None:
    """One positional array is saved as an array; several, or named ones, as a group."""
    if not args and not kwargs:
        raise ValueError("save needs at least one array")
    if len(args) == 1 and not kwargs:
        await save_array(store, args[0], zarr_format=zarr_format, path=path)
    else:
        await save_group(store, *args, zarr_format=zarr_format, path=path, **kwargs)


async def load(
    store: StoreLike, path: str | None = None, zarr_format: int | None = None, zarr_version: int | None = None
) -> np.ndarray | dict[str, np.ndarray]:
    """An array's data, or a dict of the arrays directly in a group (zarr-python refuses groups)."""
    zarr_format = _zarr_format_or_version(zarr_format, zarr_version)
    node = await open(store, mode="r", path=path, zarr_format=zarr_format)
    if isinstance(node, AsyncArray):
        return await node.getitem(Ellipsis)
    return {name: await arr.getitem(Ellipsis) async for name, arr in node.arrays()}


async def tree(grp: AsyncGroup, expand: bool | None = None, level: int | None = None) -> GroupTree:
    """The plain-text tree of ``grp`` (deprecated, as in zarr-python: use ``Group.tree``)."""
    warnings.warn(
        "zarr.tree() is deprecated and will be removed in a future release. Use Group.tree instead.",
        ZarrDeprecationWarning,
        stacklevel=2,
    )
    return await grp.tree(expand=expand, level=level)
