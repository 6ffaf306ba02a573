"""Registries of codecs, codec pipelines, buffers and chunk key encodings (zarr-python's ``zarr.registry``).

Each is filled by ``register_*`` calls and by entry points, loaded on first use: ``zarr.codecs`` and
``zarr.codecs.<name>`` (codecs), ``zarr.codec_pipeline``, ``zarr.buffer``, ``zarr.ndbuffer``,
``zarr.chunk_key_encoding`` and ``zarr.data_type``, plus the single-name forms in the ``zarr``
group, as zarr-python reads them. Which implementation ``get_*_class`` returns follows the config
keys zarr-python uses (``codecs.<name>``, ``codec_pipeline.path``, ``buffer``, ``ndbuffer``).

Codecs found here are used by zarrnb arrays (through ``zarrnb.codecs``' registry). Array reads and
writes follow the ``codec_pipeline.path`` setting: zarrnb's own pipeline by default, another
registered class's ``read``/``write`` when it names one (``zarrnb.core.pipeline_io``).
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

import zarrnb.codecs.registry as codec_registry
import zarrnb.config
from zarrnb.abc.codec import ArrayArrayCodec, ArrayBytesCodec, BytesBytesCodec, CodecPipeline
from zarrnb.abc.numcodec import Numcodec
from zarrnb.codecs import CodecPipeline as _ZarrnbPipeline
from zarrnb.codecs.registry import (
    Registry,
    codec_from_json,
    fully_qualified_name,
    get_codec_class,
    register_codec,
)
from zarrnb.core.buffer import Buffer, BufferPrototype, NDBuffer, gpu, use_setting_prototype
from zarrnb.core.pipeline_io import use_pipeline_setting
from zarrnb.dtype import data_type_registry
from zarrnb.metadata.chunk_key_encoding import ChunkKeyEncoding

__all__ = [
    "Registry",
    "get_buffer_class",
    "get_chunk_key_encoding_class",
    "get_codec_class",
    "get_ndbuffer_class",
    "get_numcodec",
    "get_pipeline_class",
    "register_buffer",
    "register_chunk_key_encoding",
    "register_codec",
    "register_ndbuffer",
    "register_pipeline",
]

_pipelines: Registry[Any] = Registry()
_buffers: Registry[Buffer] = Registry()
_ndbuffers: Registry[NDBuffer] = Registry()
_chunk_key_encodings: Registry[Any] = Registry()

# zarr-python's config defaults name its own classes; zarrnb's defaults name zarrnb's
DEFAULT_PIPELINE = fully_qualified_name(_ZarrnbPipeline)
DEFAULT_BUFFER = fully_qualified_name(Buffer)
DEFAULT_NDBUFFER = fully_qualified_name(NDBuffer)


def _collect_entrypoints() -> list[Registry[Any]]:
    """Queue every registry's entry points (codecs included); zarr-python's name, used by its test setup."""
    codec_registry._collect_entry_points()
    _collect_entry_points()
    return [*codec_registry._CODECS.values(), _pipelines, _buffers, _ndbuffers, _chunk_key_encodings]


def _collect_entry_points() -> None:
    found = entry_points()
    for registry, group in (
        (_pipelines, "codec_pipeline"),
        (_buffers, "buffer"),
        (_ndbuffers, "ndbuffer"),
        (_chunk_key_encodings, "chunk_key_encoding"),
    ):
        registry.lazy_load_list.extend(found.select(group=f"zarr.{group}"))
        registry.lazy_load_list.extend(found.select(group="zarr", name=group))
    data_type_registry._lazy_load_list.extend(found.select(group="zarr.data_type"))
    data_type_registry._lazy_load_list.extend(found.select(group="zarr", name="data_type"))


def register_pipeline(pipe_cls: type[Any]) -> None:
    """Register a codec pipeline class (selected by the ``codec_pipeline.path`` setting)."""
    _pipelines.register(pipe_cls)


def register_buffer(cls: type[Buffer], qualname: str | None = None) -> None:
    """Register a ``Buffer`` class (selected by the ``buffer`` setting)."""
    _buffers.register(cls, qualname)


def register_ndbuffer(cls: type[NDBuffer], qualname: str | None = None) -> None:
    """Register an ``NDBuffer`` class (selected by the ``ndbuffer`` setting)."""
    _ndbuffers.register(cls, qualname)


def register_chunk_key_encoding(key: str, cls: type) -> None:
    """Register a chunk key encoding class under its JSON name ``key``."""
    _chunk_key_encodings.register(cls, key)


def _selected(
    registry: Registry[Any], setting: str, default: str, what: str, reload_config: bool = False
) -> type[Any]:
    if reload_config:  # reread the settings, environment variables included
        zarrnb.config.config.refresh()
    registry.lazy_load()
    path = zarrnb.config.get(setting, default)
    found = registry.get(path)
    if found is None:
        raise zarrnb.config.BadConfigError(
            f"{what} class {path!r} (setting {setting!r}) is not registered: {list(registry)}"
        )
    return found


def get_pipeline_class(reload_config: bool = False) -> type[Any]:
    """The codec pipeline class the ``codec_pipeline.path`` setting names."""
    return _selected(_pipelines, "codec_pipeline.path", DEFAULT_PIPELINE, "Pipeline", reload_config)


def _configured_pipeline_class() -> type[Any] | None:
    """The class ``codec_pipeline.path`` names, or None when it is zarrnb's own pipeline (which the
    engine runs directly); array reads and writes ask this each time (an unregistered name raises)."""
    cls = get_pipeline_class()
    return None if cls is _ZarrnbPipeline else cls


def get_buffer_class(reload_config: bool = False) -> type[Buffer]:
    """The ``Buffer`` class the ``buffer`` setting names."""
    return _selected(_buffers, "buffer", DEFAULT_BUFFER, "Buffer", reload_config)


def get_ndbuffer_class(reload_config: bool = False) -> type[NDBuffer]:
    """The ``NDBuffer`` class the ``ndbuffer`` setting names."""
    return _selected(_ndbuffers, "ndbuffer", DEFAULT_NDBUFFER, "NDBuffer", reload_config)


# setting values that name the CPU classes (zarr-python's paths and zarrnb's own)
_CPU_BUFFERS = frozenset({DEFAULT_BUFFER, "zarr.buffer.cpu.Buffer", "zarr.core.buffer.cpu.Buffer"})
_CPU_NDBUFFERS = frozenset({DEFAULT_NDBUFFER, "zarr.buffer.cpu.NDBuffer", "zarr.core.buffer.cpu.NDBuffer"})
_CPU_PROTOTYPE = BufferPrototype(buffer=Buffer, nd_buffer=NDBuffer)


def _setting_prototype() -> BufferPrototype:
    """The prototype of the ``buffer``/``ndbuffer`` settings (the default one, unlooked-up, for CPU)."""
    if zarrnb.config.get("buffer") in _CPU_BUFFERS and zarrnb.config.get("ndbuffer") in _CPU_NDBUFFERS:
        return _CPU_PROTOTYPE
    return BufferPrototype(buffer=get_buffer_class(), nd_buffer=get_ndbuffer_class())


def get_chunk_key_encoding_class(key: str) -> type[Any]:
    """The chunk key encoding registered as ``key`` (``default``, ``v2``, or a plugin's)."""
    _chunk_key_encodings.lazy_load(use_entrypoint_name=True)
    if key not in _chunk_key_encodings:
        raise KeyError(
            f"Chunk key encoding {key!r} not found in registered chunk key encodings: "
            f"{list(_chunk_key_encodings)}."
        )
    return _chunk_key_encodings[key]


def get_numcodec(data: dict[str, Any]) -> Numcodec:
    """The numcodecs codec of a v2 ``{"id": ..., ...}`` document (numcodecs' own registry)."""
    from numcodecs.registry import get_codec

    return get_codec(data)  # type: ignore[no-any-return]


def _resolve_codec(data: dict[str, Any]) -> Any:
    """A codec instance from its JSON object."""
    return codec_from_json(data)


def _parse_kind(data: Any, kind: type, what: str) -> Any:
    codec = data if isinstance(data, kind) else codec_from_json(data)
    if not isinstance(codec, kind):
        raise TypeError(f"Expected a {what} codec, got {type(codec).__name__}: {codec!r}")
    return codec


def _parse_array_array_codec(data: Any) -> ArrayArrayCodec:
    return _parse_kind(data, ArrayArrayCodec, "array-to-array")  # type: ignore[no-any-return]


def _parse_array_bytes_codec(data: Any) -> ArrayBytesCodec:
    return _parse_kind(data, ArrayBytesCodec, "array-to-bytes")  # type: ignore[no-any-return]


def _parse_bytes_bytes_codec(data: Any) -> BytesBytesCodec:
    return _parse_kind(data, BytesBytesCodec, "bytes-to-bytes")  # type: ignore[no-any-return]


register_pipeline(_ZarrnbPipeline)
register_pipeline(CodecPipeline)
register_buffer(Buffer)
register_ndbuffer(NDBuffer)
# the class paths zarr-python's config names by default (and ``enable_gpu``), served by zarrnb's classes
_pipelines.register(_ZarrnbPipeline, "zarr.core.codec_pipeline.BatchedCodecPipeline")
register_buffer(Buffer, "zarr.buffer.cpu.Buffer")
register_ndbuffer(NDBuffer, "zarr.buffer.cpu.NDBuffer")
register_buffer(gpu.Buffer, "zarr.buffer.gpu.Buffer")
register_ndbuffer(gpu.NDBuffer, "zarr.buffer.gpu.NDBuffer")
# and their older paths under zarr.core, which zarr-python's registry still accepts
register_buffer(Buffer, "zarr.core.buffer.cpu.Buffer")
register_ndbuffer(NDBuffer, "zarr.core.buffer.cpu.NDBuffer")
register_buffer(gpu.Buffer, "zarr.core.buffer.gpu.Buffer")
register_ndbuffer(gpu.NDBuffer, "zarr.core.buffer.gpu.NDBuffer")
register_chunk_key_encoding("default", ChunkKeyEncoding)
register_chunk_key_encoding("v2", ChunkKeyEncoding)
_collect_entry_points()
use_setting_prototype(_setting_prototype)  # array I/O follows the buffer/ndbuffer settings
use_pipeline_setting(_configured_pipeline_class)  # and the codec_pipeline.path setting
