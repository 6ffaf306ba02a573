"""The three kinds of v3 codec (array→array, array→bytes, bytes→bytes) and their JSON form."""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from typing import Any, ClassVar, Self

import numpy as np

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
    """A v3 codec: a frozen dataclass whose fields are its ``configuration``."""

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


class ArrayArrayCodec(Codec):
    """Rearranges an array (e.g. ``transpose``)."""

    @abstractmethod
    def encoded_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]: ...

    def encoded_dtype(self, dtype: np.dtype) -> np.dtype:
        """The dtype of the encoded array; default: unchanged."""
        return dtype

    @abstractmethod
    def encode(self, chunk: np.ndarray) -> np.ndarray: ...

    @abstractmethod
    def decode(self, chunk: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        """Undo ``encode``; ``shape`` is the decoded shape, for codecs whose output is flat."""


class ArrayBytesCodec(Codec):
    """Serializes an array to bytes (``bytes``, ``vlen-utf8``, ``sharding_indexed``)."""

    is_sharding: ClassVar[bool] = False

    def bind(self, *, dtype: np.dtype, fill_value: Any, chunk_shape: tuple[int, ...]) -> Self:
        """Fix the array facts a serializer needs beyond the dtype (sharding: the shard layout)."""
        return self

    @abstractmethod
    def encode(self, chunk: np.ndarray) -> BytesLike: ...

    @abstractmethod
    def decode(self, data: BytesLike, dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray: ...


class BytesBytesCodec(Codec):
    """Transforms bytes (compressors, checksums)."""

    @abstractmethod
    def encode(self, data: BytesLike) -> BytesLike: ...

    @abstractmethod
    def decode(self, data: BytesLike) -> BytesLike: ...

    def decode_into(self, data: BytesLike, out: np.ndarray) -> bool:
        """Decode straight into the 1-D uint8 array ``out`` when the codec can; False when it cannot."""
        return False
