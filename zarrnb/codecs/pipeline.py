"""Codec pipelines: turn one stored chunk into an array and back, for v3 and for v2 metadata.

Both decode straight into a caller's array where the codecs allow (numcodecs ``decode(out=...)``),
so reading a chunk that lies wholly inside a selection costs one decompression and no copies.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numcodecs.abc
import numpy as np

from zarrnb.abc import codec as abc_codec
from zarrnb.codecs.base import (
    ArrayArrayCodec,
    ArrayBytesCodec,
    BytesBytesCodec,
    BytesLike,
    Codec,
    as_bytes_like,
    decoding,
)
from zarrnb.codecs.batch import BatchedIO
from zarrnb.codecs.bytes import BytesCodec
from zarrnb.codecs.foreign import adapt_codecs, unwrap
from zarrnb.codecs.frame_sizes import decoded_nbytes
from zarrnb.codecs.vlen import VLEN_CODEC_IDS, check_item_count
from zarrnb.core.buffer import thread_scratch
from zarrnb.errors import ChunkDecodeError, MetadataValidationError

__all__ = ["BatchedCodecPipeline", "CodecPipeline", "V2CodecPipeline", "split_codecs"]


# zarr-python's abstract kinds, so third-party codecs are classified too
_KINDS = (abc_codec.ArrayArrayCodec, abc_codec.ArrayBytesCodec, abc_codec.BytesBytesCodec)


def split_codecs(
    codecs: Sequence[Codec], *, path: str = ""
) -> tuple[tuple[ArrayArrayCodec, ...], ArrayBytesCodec, tuple[BytesBytesCodec, ...]]:
    """Check the v3 codec order (array→array*, array→bytes, bytes→bytes*) and split the list by kind."""
    kinds = [next(k for k in _KINDS if isinstance(c, k)) for c in codecs]
    serializers = [i for i, kind in enumerate(kinds) if kind is abc_codec.ArrayBytesCodec]
    where = f" in {path!r}" if path else ""
    if len(serializers) != 1:
        raise MetadataValidationError(
            f"field 'codecs'{where} needs one array-to-bytes codec, got {len(serializers)}: {list(codecs)}"
        )
    at = serializers[0]
    if any(k is not abc_codec.ArrayArrayCodec for k in kinds[:at]) or any(
        k is not abc_codec.BytesBytesCodec for k in kinds[at + 1 :]
    ):
        raise MetadataValidationError(f"field 'codecs'{where} is out of order: {list(codecs)}")
    return tuple(codecs[:at]), codecs[at], tuple(codecs[at + 1 :])  # type: ignore[return-value]


def _is_writable_contiguous(out: np.ndarray) -> bool:
    return out.flags.c_contiguous and out.flags.writeable


def _raw_view(data: BytesLike, dtype: np.dtype, shape: tuple[int, ...], order: str, key: str) -> np.ndarray:
    """The uncompressed chunk ``data`` viewed as an array, checking its size (the hot path of raw chunks)."""
    count = math.prod(shape)
    try:
        view = np.frombuffer(data, dtype=dtype)
    except ValueError as exc:
        raise ChunkDecodeError(
            f"cannot decode chunk {key!r} with codec 'bytes' (uncompressed): {exc}"
        ) from exc
    if view.size != count:
        raise ChunkDecodeError(
            f"cannot decode chunk {key!r} with codec 'bytes' (uncompressed): "
            f"expected {count * dtype.itemsize} bytes for shape {shape}, got {view.nbytes}"
        )
    return view.reshape(shape, order=order)  # type: ignore[call-overload]


def _check_frame_size(codec: Any, codec_id: str, data: BytesLike, expected: int, key: str) -> None:
    """Refuse a frame whose header states more decoded bytes than the chunk holds, before decoding:
    a forged header (say 2**45 bytes) would otherwise ask for that much memory. (Fewer may be the
    first of several concatenated zstd frames, which the decoder checks itself.)"""
    stated = decoded_nbytes(codec_id, data)
    if stated is not None and stated > expected:
        raise ChunkDecodeError(
            f"cannot decode chunk {key!r} with {codec!r}: the frame header states {stated} decoded "
            f"bytes, the chunk holds {expected}"
        )


class CodecPipeline(BatchedIO):
    """The v3 ``codecs`` chain of one array, bound to its dtype, fill value and stored chunk shape."""

    def __init__(
        self,
        codecs: Sequence[Codec],
        *,
        dtype: np.dtype,
        fill_value: Any,
        chunk_shape: tuple[int, ...],
        order: str | None = None,
    ) -> None:
        """``order``: the memory order third-party codecs are told (a v2 ``V2Codec``'s stored order)."""
        split_codecs(codecs)  # check the order before adapting anything
        codecs = adapt_codecs(
            codecs, dtype=dtype, fill_value=fill_value, chunk_shape=tuple(chunk_shape), order=order
        )
        array_array, serializer, bytes_bytes = split_codecs(codecs)
        self.dtype = dtype
        # filters may change the dtype (e.g. numcodecs.astype): later codecs see the encoded one
        filters, encoded_dtype, encoded_shape = [], dtype, tuple(chunk_shape)
        for codec in array_array:
            filters.append(codec.evolve(encoded_dtype))
            encoded_dtype = filters[-1].encoded_dtype(encoded_dtype)
            encoded_shape = filters[-1].encoded_shape(encoded_shape)
        self.filters = tuple(filters)
        self._encoded_dtype = encoded_dtype
        self.compressors = tuple(c.evolve(encoded_dtype) for c in bytes_bytes)
        self.serializer = serializer.evolve(encoded_dtype).bind(
            dtype=encoded_dtype, fill_value=fill_value, chunk_shape=encoded_shape
        )
        # partial shard reads need the shard bytes exactly as the sharding codec wrote them
        plain = not self.filters and not self.compressors and self.serializer.is_sharding
        self.sharding: Any = self.serializer if plain else None
        self._direct = (
            not self.filters
            and isinstance(serializer, BytesCodec)
            and serializer.stored_dtype(dtype) == dtype
            and dtype.kind not in "OT"
        )

    @property
    def is_raw(self) -> bool:
        """Chunks are stored as their plain bytes (no filters, no compressors, native byte order):
        a stored chunk is a reshaped view of its bytes."""
        return self._direct and not self.compressors

    @property
    def codecs(self) -> tuple[Codec, ...]:
        """All codecs in order, with dtype-dependent settings filled in (as written to ``zarr.json``)."""
        return tuple(unwrap(c) for c in (*self.filters, self.serializer, *self.compressors))

    def __repr__(self) -> str:
        return f"CodecPipeline({list(self.codecs)!r})"

    def decode_chunk(self, data: Any, chunk_shape: tuple[int, ...], *, key: str) -> np.ndarray:
        """Return the chunk stored as ``data`` as a new writable array of ``chunk_shape``."""
        if self.sharding is not None:
            return self.sharding.decode_shard(data, key=key)
        if self._direct:
            if not self.compressors:
                return _raw_view(as_bytes_like(data), self.dtype, chunk_shape, "C", key).copy()
            out = np.empty(chunk_shape, dtype=self.dtype)
            self.decode_chunk_into(data, out, key=key)
            return out
        return self._decode(as_bytes_like(data), tuple(chunk_shape), key)

    def raw_chunk_view(self, data: Any, chunk_shape: tuple[int, ...], *, key: str) -> np.ndarray | None:
        """A read-only view of the uncompressed chunk ``data`` (valid while ``data`` is), or None
        when the chunk must be decoded: picking a few elements then copies only those."""
        if self.sharding is not None or not self._direct or self.compressors:
            return None
        return _raw_view(as_bytes_like(data), self.dtype, chunk_shape, "C", key)

    def decode_chunk_into(self, data: Any, out: np.ndarray, *, key: str) -> None:
        """Decode the chunk ``data`` into ``out`` (an array or a view of the chunk's full shape)."""
        if self.sharding is not None:
            self.sharding.decode_shard_into(data, out, key=key)
            return
        data = as_bytes_like(data)
        if not self._direct:
            out[...] = self._decode(data, out.shape, key)
            return
        if not self.compressors:
            out[...] = _raw_view(data, self.dtype, out.shape, "C", key)
            return
        for codec in reversed(self.compressors[1:]):
            with decoding(key, codec):
                data = codec.decode_raw(data)
        first = self.compressors[0]
        with decoding(key, first):
            # straight into ``out`` only when the frame header states exactly its size
            if _is_writable_contiguous(out):
                if first.decode_into(data, out.reshape(-1).view(np.uint8)):
                    return
            else:
                # a view inside a bigger array: decode into this thread's scratch, then one copy
                scratch = thread_scratch("decode", out.nbytes)
                if first.decode_into(data, scratch):
                    out[...] = scratch.view(self.dtype).reshape(out.shape)
                    return
        codec_id = getattr(getattr(first, "_numcodecs", None), "codec_id", "")
        _check_frame_size(first, codec_id, data, out.nbytes, key)
        with decoding(key, first):
            data = first.decode_raw(data)
        with decoding(key, self.serializer):
            out[...] = self.serializer.decode_raw(data, self.dtype, out.shape)

    def _decode(self, data: BytesLike, shape: tuple[int, ...], key: str) -> np.ndarray:
        for codec in reversed(self.compressors):
            with decoding(key, codec):
                data = codec.decode_raw(data)
        shapes = [shape]
        for codec in self.filters:
            shapes.append(codec.encoded_shape(shapes[-1]))
        with decoding(key, self.serializer):
            array = self.serializer.decode_raw(data, self._encoded_dtype, shapes[-1])
        for codec, decoded_shape in zip(reversed(self.filters), reversed(shapes[:-1]), strict=True):
            with decoding(key, codec):
                array = codec.decode_raw(array, decoded_shape)
        if not array.flags.writeable:
            array = array.copy()
        return array

    def encode_chunk(self, chunk: np.ndarray) -> bytes | None:
        """Return the stored bytes of ``chunk`` (an array of the stored chunk shape); None when a
        third-party codec encodes it to nothing (zarr-python then stores no chunk)."""
        array = np.asarray(chunk, dtype=self.dtype)
        if self._direct and not self.compressors:
            return array.tobytes()  # one copy, in C order, straight from a strided view
        for codec in self.filters:
            array = codec.encode_raw(array)
        data: BytesLike | None = self.serializer.encode_raw(array)
        for codec in self.compressors:
            if data is None:
                return None
            data = codec.encode_raw(data)
        if data is None:
            return None
        return data if isinstance(data, bytes) else memoryview(data).tobytes()


class V2CodecPipeline:
    """The v2 ``filters`` + ``compressor`` of one array (numcodecs codecs), in C or F memory order."""

    sharding = None

    def __init__(
        self,
        filters: Sequence[numcodecs.abc.Codec],
        compressor: numcodecs.abc.Codec | None,
        *,
        dtype: np.dtype,
        order: str = "C",
    ) -> None:
        self.filters = tuple(filters)
        self.compressor = compressor
        self.dtype = dtype
        self.order = order
        self._direct = not self.filters and dtype.kind not in "OT"

    @property
    def compressors(self) -> tuple[numcodecs.abc.Codec, ...]:
        return () if self.compressor is None else (self.compressor,)

    def __repr__(self) -> str:
        return f"V2CodecPipeline(filters={list(self.filters)!r}, compressor={self.compressor!r})"

    def decode_chunk(self, data: Any, chunk_shape: tuple[int, ...], *, key: str) -> np.ndarray:
        """Return the chunk stored as ``data`` as a new writable array of ``chunk_shape``."""
        data = as_bytes_like(data)
        if self._direct and self.compressor is None:
            return _raw_view(data, self.dtype, chunk_shape, self.order, key).copy(order="K")
        nbytes = math.prod(chunk_shape) * self.dtype.itemsize
        if self._direct:
            _check_frame_size(self.compressor, self.compressor.codec_id, data, nbytes, key)
        if self._direct and decoded_nbytes(self.compressor.codec_id, data) == nbytes:
            out = np.empty(chunk_shape, dtype=self.dtype, order=self.order)  # type: ignore[call-overload]
            self.decode_chunk_into(data, out, key=key)
            return out
        return self._decode(data, tuple(chunk_shape), key)

    def _flat_bytes(self, out: np.ndarray) -> np.ndarray | None:
        """``out`` as a 1-D byte view in stored order, or None when its memory is not laid out that way."""
        if not out.flags.writeable:
            return None
        if self.order == "C" and out.flags.c_contiguous:
            return out.reshape(-1).view(np.uint8)
        if self.order == "F" and out.flags.f_contiguous:
            return out.T.reshape(-1).view(np.uint8)
        return None

    def decode_chunk_into(self, data: Any, out: np.ndarray, *, key: str) -> None:
        """Decode the chunk ``data`` into ``out`` (an array or a view of the chunk's full shape)."""
        data = as_bytes_like(data)
        if self._direct and self.compressor is None:
            out[...] = _raw_view(data, self.dtype, out.shape, self.order, key)
            return
        if self._direct:
            _check_frame_size(self.compressor, self.compressor.codec_id, data, out.nbytes, key)
        if not self._direct or decoded_nbytes(self.compressor.codec_id, data) != out.nbytes:
            out[...] = self._decode(data, out.shape, key)
            return
        flat = self._flat_bytes(out)
        with decoding(key, self.compressor):
            if flat is not None:
                self.compressor.decode(data, out=flat)
                return
            # a view inside a bigger array: decode into this thread's scratch, then one copy
            scratch = thread_scratch("decode", out.nbytes)
            self.compressor.decode(data, out=scratch)
        out[...] = _raw_view(scratch, self.dtype, out.shape, self.order, key)

    def _decode(self, data: BytesLike, shape: tuple[int, ...], key: str) -> np.ndarray:
        buffer: Any = data
        if self.compressor is not None:
            with decoding(key, self.compressor):
                buffer = self.compressor.decode(buffer)
        for at, codec in reversed(list(enumerate(self.filters))):
            with decoding(key, codec):
                if at == 0 and codec.codec_id in VLEN_CODEC_IDS:
                    check_item_count(buffer, math.prod(shape))
                buffer = codec.decode(buffer)
        with decoding(key, self.filters[0] if self.filters else self.compressor):
            array = self._as_array(buffer, shape)
        return array if array.flags.writeable else array.copy(order="K")

    def _as_array(self, buffer: Any, shape: tuple[int, ...]) -> np.ndarray:
        count = math.prod(shape)
        if self.dtype.kind in "OT":
            items = np.asarray(buffer)
            if items.size != count:
                raise ValueError(f"expected {count} items for shape {shape}, got {items.size}")
            return items.reshape(shape, order=self.order).astype(self.dtype, copy=False)  # type: ignore[call-overload]
        # a byte view without copying (the buffer protocol refuses datetime64 arrays)
        if isinstance(buffer, np.ndarray):
            raw: Any = np.ascontiguousarray(buffer).reshape(-1).view(np.uint8)
        else:
            raw = memoryview(buffer).cast("B")
        flat = np.frombuffer(raw, dtype=self.dtype)
        if flat.size != count:
            raise ValueError(
                f"expected {count * self.dtype.itemsize} bytes for shape {shape}, got {flat.nbytes}"
            )
        return flat.reshape(shape, order=self.order)  # type: ignore[call-overload]

    def encode_chunk(self, chunk: np.ndarray) -> bytes:
        """Return the stored bytes of ``chunk`` (filters, then the compressor, in the array's order)."""
        array = np.asarray(chunk, dtype=self.dtype)
        if self._direct and self.compressor is None:
            return array.tobytes(order=self.order)  # one copy, straight from a strided view
        buffer: Any = np.asfortranarray(array) if self.order == "F" else np.ascontiguousarray(array)
        for codec in self.filters:
            buffer = codec.encode(buffer)
        if self.compressor is not None:
            buffer = self.compressor.encode(buffer)
        if isinstance(buffer, bytes):
            return buffer
        if isinstance(buffer, np.ndarray):
            return buffer.tobytes(order="A")
        return memoryview(buffer).tobytes()


# zarr-python's default pipeline (``codec_pipeline.path``'s default names it): zarrnb's pipeline serves it
BatchedCodecPipeline = CodecPipeline
