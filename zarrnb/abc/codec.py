"""The codec interface of zarr-python (``zarr.abc.codec``), which third-party codecs implement.

A codec written for zarr-python subclasses ``ArrayArrayCodec``, ``ArrayBytesCodec`` or
``BytesBytesCodec`` and implements ``_decode_single``/``_encode_single`` (async, one chunk, with an
:class:`~zarrnb.codecs.array_spec.ArraySpec`) or the sync ``_decode_sync``/``_encode_sync``. zarrnb's
codec pipeline calls such codecs through exactly these methods; zarrnb's own codecs subclass the same
classes (so ``isinstance`` holds) and add sync fast paths on numpy arrays that the pipeline prefers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, Protocol, Self, TypeVar, runtime_checkable

from zarrnb.abc.metadata import Metadata
from zarrnb.core.buffer import Buffer, NDBuffer

if TYPE_CHECKING:
    from zarrnb.codecs.array_spec import ArraySpec

__all__ = [
    "ArrayArrayCodec",
    "ArrayBytesCodec",
    "ArrayBytesCodecPartialDecodeMixin",
    "ArrayBytesCodecPartialEncodeMixin",
    "BaseCodec",
    "BytesBytesCodec",
    "Codec",
    "CodecInput",
    "CodecJSON",
    "CodecJSON_V2",
    "CodecJSON_V3",
    "CodecOutput",
    "CodecPipeline",
    "SupportsSyncCodec",
]

CodecInput = TypeVar("CodecInput", bound=NDBuffer | Buffer)
CodecOutput = TypeVar("CodecOutput", bound=NDBuffer | Buffer)
CodecJSON_V2 = Mapping[str, object]
CodecJSON_V3 = str | Mapping[str, object]
CodecJSON = str | Mapping[str, object]


def _check_codecjson_v2(data: object) -> bool:
    """Whether ``data`` is a v2 codec's JSON: an object whose ``id`` is a string (numcodecs' form)."""
    return isinstance(data, Mapping) and isinstance(data.get("id"), str)


@runtime_checkable
class SupportsSyncCodec(Protocol):
    """A codec that encodes and decodes one chunk without an event loop."""

    def _decode_sync(self, chunk_data: NDBuffer | Buffer, chunk_spec: ArraySpec) -> NDBuffer | Buffer: ...

    def _encode_sync(
        self, chunk_data: NDBuffer | Buffer, chunk_spec: ArraySpec
    ) -> NDBuffer | Buffer | None: ...


async def _batching_helper(
    func: Callable[[Any, ArraySpec], Awaitable[Any]],
    batch_info: Iterable[tuple[Any | None, ArraySpec]],
) -> list[Any]:
    """Run ``func`` on every (chunk, spec) pair concurrently; a None chunk stays None."""

    async def one(chunk: Any, spec: ArraySpec) -> Any:
        return None if chunk is None else await func(chunk, spec)

    return list(await asyncio.gather(*(one(chunk, spec) for chunk, spec in batch_info)))


class BaseCodec(Metadata, Generic[CodecInput, CodecOutput]):
    """One codec: JSON (``to_dict``/``from_dict``) and per-chunk encode/decode with an ``ArraySpec``."""

    is_fixed_size: bool

    def compute_encoded_size(self, input_byte_length: int, chunk_spec: ArraySpec) -> int:
        """The encoded size of ``input_byte_length`` bytes, for fixed-size codecs."""
        raise NotImplementedError(f"{type(self).__name__} does not know its encoded size in advance")

    def resolve_metadata(self, chunk_spec: ArraySpec) -> ArraySpec:
        """The chunk spec this codec hands to the next one (shape or dtype may change)."""
        return chunk_spec

    def evolve_from_array_spec(self, array_spec: ArraySpec) -> Self:
        """This codec with settings that depend on the array filled in (default: unchanged)."""
        return self

    def validate(self, *, shape: tuple[int, ...], dtype: Any, chunk_grid: Any) -> None:
        """Refuse an array this codec cannot handle (default: accept all)."""

    async def _decode_single(self, chunk_data: CodecOutput, chunk_spec: ArraySpec) -> CodecInput:
        sync = getattr(self, "_decode_sync", None)
        if sync is None:
            raise NotImplementedError(
                f"{type(self).__name__} implements neither _decode_single nor _decode_sync"
            )
        return sync(chunk_data, chunk_spec)  # type: ignore[no-any-return]

    async def _encode_single(self, chunk_data: CodecInput, chunk_spec: ArraySpec) -> CodecOutput | None:
        sync = getattr(self, "_encode_sync", None)
        if sync is None:
            raise NotImplementedError(
                f"{type(self).__name__} implements neither _encode_single nor _encode_sync"
            )
        return sync(chunk_data, chunk_spec)  # type: ignore[no-any-return]

    async def decode(self, chunks_and_specs: Iterable[tuple[CodecOutput | None, ArraySpec]]) -> list[Any]:
        """Decode a batch of chunks (None entries stay None)."""
        return await _batching_helper(self._decode_single, chunks_and_specs)

    async def encode(self, chunks_and_specs: Iterable[tuple[CodecInput | None, ArraySpec]]) -> list[Any]:
        """Encode a batch of chunks (None entries stay None)."""
        return await _batching_helper(self._encode_single, chunks_and_specs)


class ArrayArrayCodec(BaseCodec[NDBuffer, NDBuffer]):
    """Turns an array into another array (``transpose``, numcodecs filters)."""


class ArrayBytesCodec(BaseCodec[NDBuffer, Buffer]):
    """Serializes an array to bytes (``bytes``, ``vlen-utf8``, ``sharding_indexed``)."""


class BytesBytesCodec(BaseCodec[Buffer, Buffer]):
    """Turns bytes into bytes (compressors, checksums)."""


Codec = ArrayArrayCodec | ArrayBytesCodec | BytesBytesCodec


class ArrayBytesCodecPartialDecodeMixin:
    """A serializer that can read part of a chunk (sharding reads only the inner chunks it needs)."""

    async def _decode_partial_single(self, byte_getter: Any, selection: Any, chunk_spec: ArraySpec) -> Any:
        raise NotImplementedError

    async def decode_partial(self, batch_info: Iterable[tuple[Any, Any, ArraySpec]]) -> list[Any]:
        """Decode the selected part of each chunk in a batch."""
        return list(
            await asyncio.gather(*(self._decode_partial_single(g, sel, spec) for g, sel, spec in batch_info))
        )


class ArrayBytesCodecPartialEncodeMixin:
    """A serializer that can write part of a chunk."""

    async def _encode_partial_single(
        self, byte_setter: Any, chunk_array: NDBuffer, selection: Any, chunk_spec: ArraySpec
    ) -> None:
        raise NotImplementedError

    async def encode_partial(self, batch_info: Iterable[tuple[Any, NDBuffer, Any, ArraySpec]]) -> None:
        """Write the selected part of each chunk in a batch."""
        await asyncio.gather(
            *(self._encode_partial_single(s, a, sel, spec) for s, a, sel, spec in batch_info)
        )


class CodecPipeline:
    """zarr-python's pipeline interface, for pipelines registered with ``register_pipeline``.

    zarrnb's engine runs its own pipeline (``zarrnb.codecs.CodecPipeline``); a registered class is
    found by ``zarrnb.registry.get_pipeline_class`` for code that asks for it.
    """

    def evolve_from_array_spec(self, array_spec: ArraySpec) -> Self:
        """This pipeline with its codecs' array-dependent settings filled in."""
        raise NotImplementedError

    @classmethod
    def from_codecs(cls, codecs: Iterable[Codec]) -> Self:
        """A pipeline of ``codecs``."""
        raise NotImplementedError

    @classmethod
    def from_array_metadata_and_store(cls, array_metadata: Any, store: Any) -> Self:
        """A pipeline for one array in one store."""
        raise NotImplementedError(f"{cls.__name__} does not implement from_array_metadata_and_store")

    @property
    def supports_partial_decode(self) -> bool:
        raise NotImplementedError

    @property
    def supports_partial_encode(self) -> bool:
        raise NotImplementedError

    def validate(self, *, shape: tuple[int, ...], dtype: Any, chunk_grid: Any) -> None:
        """Refuse an array the pipeline cannot handle."""
        raise NotImplementedError

    def compute_encoded_size(self, byte_length: int, array_spec: ArraySpec) -> int:
        raise NotImplementedError

    async def decode(self, chunk_bytes_and_specs: Iterable[tuple[Buffer | None, ArraySpec]]) -> Iterable[Any]:
        raise NotImplementedError

    async def encode(
        self, chunk_arrays_and_specs: Iterable[tuple[NDBuffer | None, ArraySpec]]
    ) -> Iterable[Any]:
        raise NotImplementedError

    async def read(self, batch_info: Iterable[Any], out: NDBuffer, drop_axes: tuple[int, ...] = ()) -> None:
        raise NotImplementedError

    async def write(
        self, batch_info: Iterable[Any], value: NDBuffer, drop_axes: tuple[int, ...] = ()
    ) -> None:
        raise NotImplementedError
