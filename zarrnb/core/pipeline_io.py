"""Array reads and writes through a configured codec pipeline class (``codec_pipeline.path``).

zarrnb's engine runs its own pipeline. When the ``codec_pipeline.path`` setting names another
registered class (``zarrnb.registry.register_pipeline``, as in zarr-python), chunk I/O goes through
that class's ``read``/``write`` with zarr-python's ``batch_info`` instead, so third-party pipelines
(and test doubles of them) are used. The setting is looked up at each read or write.

The registry sits above this layer: it installs the lookup with :func:`use_pipeline_setting`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

import numpy as np

import zarrnb.config as config
from zarrnb.abc.store import Store
from zarrnb.codecs import CodecPipeline
from zarrnb.codecs.array_spec import ArrayConfig, ArraySpec
from zarrnb.codecs.v2_codec import V2Codec
from zarrnb.core.buffer import NDBuffer, default_buffer_prototype
from zarrnb.core.chunk_locks import chunk_locks
from zarrnb.core.indexing import ChunkProjection
from zarrnb.metadata import ArrayMetadata, ArrayV3Metadata
from zarrnb.storage.common import StorePath

__all__ = ["configured_pipeline", "pipeline_configured", "read", "use_pipeline_setting", "write"]

# the setting's values that name zarrnb's own pipeline (its path, and zarr-python's default path)
_OWN_PATHS = frozenset(
    {"zarr.core.codec_pipeline.BatchedCodecPipeline", "zarrnb.codecs.pipeline.CodecPipeline"}
)


def _before_registry() -> type | None:
    """The lookup until ``zarrnb.registry`` (where pipeline classes are registered) is imported."""
    path = config.get("codec_pipeline.path")
    if path in _OWN_PATHS:
        return None
    raise config.BadConfigError(
        f"Pipeline class {path!r} (setting 'codec_pipeline.path') is not registered: no pipeline "
        "registry is loaded yet (import zarrnb.registry, which also loads entry-point pipelines)"
    )


# the class the setting names, or None when it names zarrnb's own pipeline (the registry installs
# the full lookup when imported)
_setting: Callable[[], type | None] = _before_registry


def use_pipeline_setting(lookup: Callable[[], type | None]) -> None:
    """Install the function that resolves ``codec_pipeline.path`` (None: zarrnb's own pipeline)."""
    global _setting
    _setting = lookup


def pipeline_configured() -> bool:
    """Whether the setting names a pipeline class other than zarrnb's own."""
    return _setting() is not None


def configured_pipeline(metadata: ArrayMetadata, store: Store) -> Any | None:
    """An instance of the configured pipeline class for this array, or None for zarrnb's own.

    A subclass of zarrnb's pipeline is built as zarrnb builds its own; another class as
    zarr-python builds one: ``from_array_metadata_and_store``, else ``from_codecs`` (v2 arrays
    through one ``V2Codec``).
    """
    cls = _setting()
    if cls is None:
        return None
    v2_codecs = None if isinstance(metadata, ArrayV3Metadata) else [_v2_codec(metadata)]
    if isinstance(cls, type) and issubclass(cls, CodecPipeline):
        codecs = metadata.codecs if v2_codecs is None else v2_codecs  # type: ignore[attr-defined]
        return cls(
            codecs,
            dtype=metadata.dtype,
            fill_value=metadata.chunk_fill_value,
            chunk_shape=metadata.chunk_grid_shape,
            order=None if v2_codecs is None else metadata.order,  # v2 chunks are stored in it
        )
    try:
        return cls.from_array_metadata_and_store(array_metadata=metadata, store=store)
    except NotImplementedError:
        pass
    return cls.from_codecs(metadata.codecs if v2_codecs is None else v2_codecs)  # type: ignore[attr-defined]


def _v2_codec(metadata: ArrayMetadata) -> V2Codec:
    return V2Codec(filters=metadata.filters, compressor=metadata.compressor)  # type: ignore[attr-defined]


def _batch(
    store: Store,
    path: str,
    metadata: ArrayMetadata,
    projections: Iterable[ChunkProjection],
    array_config: ArrayConfig,
) -> list[tuple[StorePath, ArraySpec, Any, Any, bool]]:
    """zarr-python's ``batch_info``: each chunk's location, spec, and selections."""
    spec = ArraySpec(
        metadata.chunk_grid_shape,
        metadata.dtype,
        metadata.chunk_fill_value,
        array_config,
        default_buffer_prototype(),
    )
    prefix = f"{path}/" if path else ""
    return [
        (
            StorePath(store, prefix + metadata.chunk_key(p.chunk_coords)),
            spec,
            p.chunk_selection,
            p.out_selection,
            p.is_complete_chunk,
        )
        for p in projections
    ]


async def read(
    pipeline: Any,
    store: Store,
    path: str,
    metadata: ArrayMetadata,
    projections: Iterable[ChunkProjection],
    out: np.ndarray,
) -> None:
    """Fill ``out`` through ``pipeline.read`` (the indexer's output shape: no axes to drop)."""
    config = ArrayConfig(order=metadata.order, write_empty_chunks=False)
    batch = _batch(store, path, metadata, projections, config)
    if batch:
        await pipeline.read(batch, NDBuffer(out), drop_axes=())


async def write(
    pipeline: Any,
    store: Store,
    path: str,
    metadata: ArrayMetadata,
    projections: Iterable[ChunkProjection],
    value: np.ndarray,
    *,
    write_empty_chunks: bool,
    store_id: Hashable,
) -> None:
    """Store ``value`` through ``pipeline.write``; the chunks (locked as ``(store_id, key)``, as the
    engine's writes lock them) stay locked while it runs."""
    config = ArrayConfig(order=metadata.order, write_empty_chunks=write_empty_chunks)
    batch = _batch(store, path, metadata, projections, config)
    if not batch:
        return
    held = await chunk_locks.acquire((store_id, location.path) for location, *_ in batch)
    try:
        await pipeline.write(batch, NDBuffer(value), drop_axes=())
    finally:
        chunk_locks.release(held)
