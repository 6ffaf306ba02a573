"""The three kinds of v3 codec (array→array, array→bytes, bytes→bytes) and their JSON form."""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from typing import Any, ClassVar, Self

import numpy as np

from zarrnb.abc import codec as abc_codec
from zarrnb.codecs.array_spec import ArraySpec, data_type_of
from zarrnb.core.buffer import Buffer, NDBuffer
from zarrnb.errors import ChunkDecodeError, MetadataValidationError

__all__ = [
    "ArrayArrayCodec",
    "ArrayBytesCodec",
    "BytesBytesCodec",
    "BytesLike",
    "Codec",
    "as_bytes_like",
    "decoding",
]

BytesLike = bytes | bytearray | memoryview | np.ndarray


def as_bytes_like(data: Any) -> BytesLike:
    """Accept bytes, memoryviews, numpy arrays and zarrnb Buffers (through ``as_buffer_like``)."""
    if isinstance(data, bytes | bytearray | memoryview | np.ndarray):
        return data
    if hasattr(data, "as_buffer_like"):
        return data.as_buffer_like()
    raise TypeError(f"expected bytes or a Buffer, got {type(data).__name__}")


class decoding:
    """Turns any failure inside the block into ``ChunkDecodeError`` naming the chunk key and the codec."""

    __slots__ = ("codec", "key")

    def __init__(self, key: str, codec: object) -> None:
        self.key, self.codec = key, codec

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if exc is not None and not isinstance(exc, ChunkDecodeError) and isinstance(exc, Exception):
            reason = str(exc) or type(exc).__name__
            if isinstance(exc, MemoryError):
                reason = f"the decoded data does not fit in memory ({reason})"
            raise ChunkDecodeError(f"cannot decode chunk {self.key!r} with {self.codec!r}: {reason}") from exc


class Codec(ABC):
    """A zarrnb v3 codec: a frozen dataclass whose fields are its ``configuration``.

    The three kinds below also subclass zarr-python's abstract codecs (``zarrnb.abc.codec``), so one
    object serves both interfaces: ``encode_raw``/``decode_raw`` on numpy arrays (the engine's fast
    path) and ``_encode_sync``/``_decode_single``/``encode``... with an ``ArraySpec``.
    """

    codec_name: ClassVar[str]

    def to_dict(self) -> dict[str, Any]:
        """The ``{"name": ..., "configuration": ...}`` object written to ``zarr.json``."""
        config = self._configuration()
        return (
            {"name": self.codec_name, "configuration": config}
            if config is not None
            else {"name": self.codec_name}
        )

    def _configuration(self) -> dict[str, Any] | None:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.init}  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Build the codec from its JSON object; a bad configuration names the codec and the field."""
        config = data.get("configuration", {}) or {}
        if not isinstance(config, dict):
            raise MetadataValidationError(f"codec {cls.codec_name!r}: configuration must be an object")
        try:
            return cls(**config)
        except (TypeError, ValueError) as exc:
            raise MetadataValidationError(
                f"codec {cls.codec_name!r}: invalid configuration {config}: {exc}"
            ) from exc

    def evolve(self, dtype: np.dtype) -> Self:
        """Fill settings that depend on the array's dtype (e.g. blosc typesize); default: unchanged."""
        return self

    def evolve_from_array_spec(self, array_spec: ArraySpec) -> Self:
        """zarr-python's form of :meth:`evolve`: settings filled from the chunk spec's data type."""
        return self.evolve(_spec_dtype(array_spec))


def _spec_dtype(chunk_spec: ArraySpec) -> np.dtype:
    return chunk_spec.dtype.to_native_dtype()


def _to_buffer(data: BytesLike, chunk_spec: ArraySpec) -> Buffer:
    raw = data if isinstance(data, np.ndarray) else np.frombuffer(data, dtype=np.uint8)
    return chunk_spec.prototype.buffer(raw)


class ArrayArrayCodec(Codec, abc_codec.ArrayArrayCodec):
    """Rearranges an array (e.g. ``transpose``)."""

    is_fixed_size: ClassVar[bool] = True

    @abstractmethod
    def encoded_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]: ...

    def encoded_dtype(self, dtype: np.dtype) -> np.dtype:
        """The dtype of the encoded array; default: unchanged."""
        return dtype

    @abstractmethod
    def encode_raw(self, chunk: np.ndarray) -> np.ndarray: ...

    @abstractmethod
    def decode_raw(self, chunk: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        """Undo ``encode_raw``; ``shape`` is the decoded shape, for codecs whose output is flat."""

    def resolve_metadata(self, chunk_spec: ArraySpec) -> ArraySpec:
        codec = self.evolve(_spec_dtype(chunk_spec))
        dtype = codec.encoded_dtype(_spec_dtype(chunk_spec))
        return dataclasses.replace(
            chunk_spec, shape=codec.encoded_shape(chunk_spec.shape), dtype=data_type_of(dtype)
        )

    def compute_encoded_size(self, input_byte_length: int, chunk_spec: ArraySpec) -> int:
        return input_byte_length

    def _decode_sync(self, chunk_data: NDBuffer, chunk_spec: ArraySpec) -> NDBuffer:
        codec = self.evolve(_spec_dtype(chunk_spec))
        decoded = codec.decode_raw(chunk_data.as_numpy_array(), chunk_spec.shape)
        return chunk_spec.prototype.nd_buffer.from_numpy_array(decoded)

    def _encode_sync(self, chunk_data: NDBuffer, chunk_spec: ArraySpec) -> NDBuffer:
        codec = self.evolve(_spec_dtype(chunk_spec))
        return chunk_spec.prototype.nd_buffer.from_numpy_array(codec.encode_raw(chunk_data.as_numpy_array()))


class ArrayBytesCodec(Codec, abc_codec.ArrayBytesCodec):
    """Serializes an array to bytes (``bytes``, ``vlen-utf8``, ``sharding_indexed``)."""

    is_sharding: ClassVar[bool] = False
    is_fixed_size: ClassVar[bool] = True

    def bind(self, *, dtype: np.dtype, fill_value: Any, chunk_shape: tuple[int, ...]) -> Self:
        """Fix the array facts a serializer needs beyond the dtype (sharding: the shard layout)."""
        return self

    @abstractmethod
    def encode_raw(self, chunk: np.ndarray) -> BytesLike: ...

    @abstractmethod
    def decode_raw(self, data: BytesLike, dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray: ...

    def compute_encoded_size(self, input_byte_length: int, chunk_spec: ArraySpec) -> int:
        return input_byte_length

    def _bound_for(self, chunk_spec: ArraySpec) -> Self:
        dtype = _spec_dtype(chunk_spec)
        return self.evolve(dtype).bind(
            dtype=dtype, fill_value=chunk_spec.fill_value, chunk_shape=chunk_spec.shape
        )

    def _decode_sync(self, chunk_data: Buffer, chunk_spec: ArraySpec) -> NDBuffer:
        decoded = self._bound_for(chunk_spec).decode_raw(
            as_bytes_like(chunk_data), _spec_dtype(chunk_spec), chunk_spec.shape
        )
        return chunk_spec.prototype.nd_buffer.from_numpy_array(decoded)

    def _encode_sync(self, chunk_data: NDBuffer, chunk_spec: ArraySpec) -> Buffer:
        return _to_buffer(self._bound_for(chunk_spec).encode_raw(chunk_data.as_numpy_array()), chunk_spec)


class BytesBytesCodec(Codec, abc_codec.BytesBytesCodec):
    """Transforms bytes (compressors, checksums)."""

    is_fixed_size: ClassVar[bool] = False

    @abstractmethod
    def encode_raw(self, data: BytesLike) -> BytesLike: ...

    @abstractmethod
    def decode_raw(self, data: BytesLike) -> BytesLike: ...

    def decode_into(self, data: BytesLike, out: np.ndarray) -> bool:
        """Decode straight into the 1-D uint8 array ``out`` when the codec can; False when it cannot."""
        return False

    def _decode_sync(self, chunk_data: Buffer, chunk_spec: ArraySpec) -> Buffer:
        return _to_buffer(
            self.evolve(_spec_dtype(chunk_spec)).decode_raw(as_bytes_like(chunk_data)), chunk_spec
        )

    def _encode_sync(self, chunk_data: Buffer, chunk_spec: ArraySpec) -> Buffer:
        return _to_buffer(
            self.evolve(_spec_dtype(chunk_spec)).encode_raw(as_bytes_like(chunk_data)), chunk_spec
        )
