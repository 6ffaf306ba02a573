"""The ``sharding_indexed`` codec: many inner chunks in one stored object, found through an index.

The index holds ``(offset, nbytes)`` as uint64 per inner chunk in C order, ``2**64 - 1`` for an
absent chunk, encoded by ``index_codecs`` and placed at the start or the end (v3 sharding spec).
Readers fetch the index first, then only the inner chunks they need.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Self

import numpy as np

from zarrnb.abc.codec import ArrayBytesCodecPartialDecodeMixin as PartialDecodeMixin
from zarrnb.abc.codec import ArrayBytesCodecPartialEncodeMixin as PartialEncodeMixin
from zarrnb.abc.store import RangeByteRequest, SuffixByteRequest
from zarrnb.codecs.base import ArrayBytesCodec, BytesLike, Codec, as_bytes_like, decoding
from zarrnb.codecs.bytes import BytesCodec
from zarrnb.codecs.crc32c import Crc32cCodec
from zarrnb.codecs.pipeline import CodecPipeline
from zarrnb.codecs.registry import parse_codecs, register_codec
from zarrnb.dtype import is_fill

__all__ = ["MAX_UINT64", "ShardingCodec", "ShardingCodecIndexLocation"]

MAX_UINT64 = np.uint64(2**64 - 1)


def _morton_code(coords: tuple[int, ...], bits: tuple[int, ...]) -> int:
    """Compressed Morton code: coordinate bits interleaved, skipping axes whose bits are used up."""
    code = position = 0
    for bit in range(max(bits, default=0)):
        for axis, width in enumerate(bits):
            if bit < width:
                code |= ((coords[axis] >> bit) & 1) << position
                position += 1
    return code


@functools.lru_cache(maxsize=32)
def morton_order(chunks_per_shard: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    """Inner chunks in the order their bytes follow each other in a shard, as zarr-python lays them
    out (the index itself stays in C order), so shards are byte-identical to zarr-python's."""
    bits = tuple((n - 1).bit_length() for n in chunks_per_shard)
    every = itertools.product(*map(range, chunks_per_shard))
    return tuple(sorted(every, key=lambda coords: _morton_code(coords, bits)))


class ShardingCodecIndexLocation(Enum):
    """Where the shard index lies in the shard."""

    start = "start"
    end = "end"


@dataclass(frozen=True)
class ShardingCodec(ArrayBytesCodec, PartialDecodeMixin, PartialEncodeMixin):
    """A shard of inner chunks, each encoded by ``codecs``, and an index encoded by ``index_codecs``."""

    codec_name = "sharding_indexed"
    is_sharding = True
    chunk_shape: tuple[int, ...]
    codecs: tuple[Codec, ...] = (BytesCodec(),)
    index_codecs: tuple[Codec, ...] = (BytesCodec(), Crc32cCodec())
    index_location: ShardingCodecIndexLocation = ShardingCodecIndexLocation.end
    # set by bind(): the array facts the shard layout depends on
    _layout: Any = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        shape = tuple(int(n) for n in self.chunk_shape)
        if not shape or any(n < 1 for n in shape):
            raise ValueError(f"chunk_shape must hold positive integers, got {self.chunk_shape!r}")
        object.__setattr__(self, "chunk_shape", shape)
        object.__setattr__(self, "codecs", parse_codecs(self.codecs, field="codecs"))
        object.__setattr__(self, "index_codecs", parse_codecs(self.index_codecs, field="index_codecs"))
        object.__setattr__(self, "index_location", ShardingCodecIndexLocation(self.index_location))

    def _configuration(self) -> dict[str, Any]:
        return {
            "chunk_shape": list(self.chunk_shape),
            "codecs": [c.to_dict() for c in self.codecs],
            "index_codecs": [c.to_dict() for c in self.index_codecs],
            "index_location": self.index_location.value,
        }

    def bind(self, *, dtype: np.dtype, fill_value: Any, chunk_shape: tuple[int, ...]) -> Self:
        if len(chunk_shape) != len(self.chunk_shape) or any(
            s % c for s, c in zip(chunk_shape, self.chunk_shape, strict=True)
        ):
            raise ValueError(
                f"shard shape {chunk_shape} is not a multiple of inner chunk shape {self.chunk_shape}"
            )
        layout = _Layout(self, dtype, fill_value, chunk_shape)
        bound = dataclasses.replace(self, codecs=layout.inner.codecs)
        object.__setattr__(bound, "_layout", layout)
        return bound

    def _bound(self) -> _Layout:
        if self._layout is None:
            raise RuntimeError(
                "ShardingCodec is used before bind() gave it the array's dtype and shard shape"
            )
        return self._layout

    @property
    def chunks_per_shard(self) -> tuple[int, ...]:
        """How many inner chunks lie along each axis of a shard."""
        return self._bound().chunks_per_shard

    @property
    def inner_chunk_shape(self) -> tuple[int, ...]:
        return self.chunk_shape

    @property
    def inner_pipeline(self) -> CodecPipeline:
        """The pipeline of the inner chunks."""
        return self._bound().inner

    @property
    def index_nbytes(self) -> int:
        """Size of the encoded index in bytes."""
        return self._bound().index_nbytes

    def index_byte_request(self) -> RangeByteRequest | SuffixByteRequest:
        """The byte range of a shard that holds its index."""
        if self.index_location is ShardingCodecIndexLocation.end:
            return SuffixByteRequest(self.index_nbytes)
        return RangeByteRequest(0, self.index_nbytes)

    def decode_index(self, data: Any, *, key: str) -> np.ndarray:
        """The index (shape ``chunks_per_shard + (2,)``, uint64; ``MAX_UINT64`` = missing) from its bytes."""
        layout = self._bound()
        return layout.index.decode_chunk(data, (*layout.chunks_per_shard, 2), key=f"{key} (shard index)")

    def decode_inner_chunk(self, data: Any, *, key: str) -> np.ndarray:
        """Decode one inner chunk's bytes into an array of ``inner_chunk_shape``."""
        return self._bound().inner.decode_chunk(data, self.chunk_shape, key=key)

    def decode_shard(self, data: Any, *, key: str) -> np.ndarray:
        """Decode a whole shard; absent inner chunks hold the fill value."""
        layout = self._bound()
        out = np.empty(layout.shard_shape, dtype=layout.dtype)  # every region is written below
        self.decode_shard_into(data, out, key=key)
        return out

    def decode_shard_into(self, data: Any, out: np.ndarray, *, key: str) -> None:
        """Decode a whole shard into ``out``; absent inner chunks are written as the fill value."""
        layout = self._bound()
        data = memoryview(as_bytes_like(data)).cast("B")
        n = layout.index_nbytes
        if len(data) < n:
            with decoding(key, self.codec_name):
                raise ValueError(f"shard of {len(data)} bytes is shorter than its {n}-byte index")
        at_end = self.index_location is ShardingCodecIndexLocation.end
        index = self.decode_index(data[-n:] if at_end else data[:n], key=key)
        for coords in itertools.product(*map(range, layout.chunks_per_shard)):
            region = out[layout.region(coords)]
            offset, nbytes = (int(v) for v in index[coords])
            if offset == MAX_UINT64:
                region[...] = layout.fill_value
                continue
            if offset + nbytes > len(data):
                with decoding(key, self.codec_name):
                    raise ValueError(
                        f"inner chunk {coords} at bytes {offset}+{nbytes} lies outside the shard"
                    )
            layout.inner.decode_chunk_into(
                data[offset : offset + nbytes], region, key=f"{key} inner chunk {coords}"
            )

    def encode_shard(
        self, shard: np.ndarray, fill_value: Any = None, *, write_empty_chunks: bool = False
    ) -> bytes | None:
        """Encode a shard; inner chunks equal to the fill value are omitted, and None means all were."""
        layout = self._bound()
        fill = layout.fill_value if fill_value is None else fill_value
        index = np.full((*layout.chunks_per_shard, 2), MAX_UINT64, dtype=np.uint64)
        parts: list[bytes] = []
        offset = layout.index_nbytes if self.index_location is ShardingCodecIndexLocation.start else 0
        for coords in morton_order(layout.chunks_per_shard):
            chunk = shard[layout.region(coords)]
            if not write_empty_chunks and is_fill(chunk, fill):
                continue
            encoded = layout.inner.encode_chunk(chunk)
            index[coords] = (offset, len(encoded))
            offset += len(encoded)
            parts.append(encoded)
        if not parts and not write_empty_chunks:
            return None
        index_bytes = layout.index.encode_chunk(index)
        if self.index_location is ShardingCodecIndexLocation.start:
            return b"".join([index_bytes, *parts])
        return b"".join([*parts, index_bytes])

    # -- zarr-python's partial codec API (the work is in zarrnb.codecs.sharding_partial) --------------

    @property
    def codec_pipeline(self) -> CodecPipeline:
        """zarr-python's name for the inner chunks' pipeline (:attr:`inner_pipeline`). zarrnb's pipelines
        are bound to a dtype and chunk shape, so the codec must be bound first (``bind``)."""
        if self._layout is None:
            raise RuntimeError(
                "ShardingCodec.codec_pipeline needs a bound codec: zarrnb's pipelines know the array's dtype "
                "and shard shape (codec.bind(dtype=..., fill_value=..., chunk_shape=<shard shape>)); "
                "compute_encoded_size, decode_partial and encode_partial take the shard's ArraySpec instead"
            )
        return self.inner_pipeline

    def compute_encoded_size(self, input_byte_length: int, shard_spec: Any) -> int:
        """A shard's stored size: its inner chunks' encoded bytes plus the encoded index."""
        return input_byte_length + self._bound_for(shard_spec).index_nbytes

    async def _decode_partial_single(self, byte_getter: Any, selection: Any, shard_spec: Any) -> Any:
        """The selected part of the shard ``byte_getter`` reads, or None when it is not stored."""
        from zarrnb.codecs.sharding_partial import decode_partial_single  # it builds on this module

        return await decode_partial_single(self, byte_getter, selection, shard_spec)

    async def _encode_partial_single(
        self, byte_setter: Any, shard_array: Any, selection: Any, shard_spec: Any
    ) -> None:
        """Write ``shard_array`` into the selected part of the shard ``byte_setter`` holds."""
        from zarrnb.codecs.sharding_partial import encode_partial_single  # it builds on this module

        await encode_partial_single(self, byte_setter, shard_array, selection, shard_spec)

    def encode_raw(self, chunk: np.ndarray) -> BytesLike:
        encoded = self.encode_shard(chunk)
        if encoded is None:
            # every inner chunk is empty: an index marking all of them absent
            return self._bound().index.encode_chunk(
                np.full((*self.chunks_per_shard, 2), MAX_UINT64, dtype=np.uint64)
            )
        return encoded

    def decode_raw(self, data: BytesLike, dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
        return self.decode_shard(data, key="<shard>")


class _Layout:
    """A bound sharding codec's pipelines and shapes."""

    def __init__(self, codec: ShardingCodec, dtype: np.dtype, fill_value: Any, shard_shape: tuple[int, ...]):
        self.dtype, self.fill_value, self.shard_shape = dtype, fill_value, tuple(shard_shape)
        self.chunks_per_shard = tuple(s // c for s, c in zip(shard_shape, codec.chunk_shape, strict=True))
        self.inner_shape = codec.chunk_shape
        self.inner = CodecPipeline(
            codec.codecs, dtype=dtype, fill_value=fill_value, chunk_shape=codec.chunk_shape
        )
        index_shape = (*self.chunks_per_shard, 2)
        self.index = CodecPipeline(
            codec.index_codecs, dtype=np.dtype(np.uint64), fill_value=MAX_UINT64, chunk_shape=index_shape
        )
        self.index_nbytes = len(self.index.encode_chunk(np.zeros(index_shape, dtype=np.uint64)))

    def region(self, coords: tuple[int, ...]) -> tuple[slice, ...]:
        """The slices of a shard that inner chunk ``coords`` covers."""
        return tuple(slice(i * n, (i + 1) * n) for i, n in zip(coords, self.inner_shape, strict=True))


register_codec(ShardingCodec.codec_name, ShardingCodec)
