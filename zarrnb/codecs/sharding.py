"""The ``sharding_indexed`` codec: many inner chunks in one stored object, found through an index.

The index holds ``(offset, nbytes)`` as uint64 per inner chunk in C order, ``2**64 - 1`` for an
absent chunk, encoded by ``index_codecs`` and placed at the start or the end (v3 sharding spec).
Readers fetch the index first, then only the inner chunks they need.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable
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
from zarrnb.codecs.morton import morton_order
from zarrnb.codecs.pipeline import CodecPipeline
from zarrnb.codecs.registry import parse_codecs, register_codec
from zarrnb.core.buffer import thread_scratch
from zarrnb.dtype import is_fill

__all__ = ["MAX_UINT64", "ShardingCodec", "ShardingCodecIndexLocation"]

MAX_UINT64 = np.uint64(2**64 - 1)
_ABSENT = 2**64 - 1


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

    def decode_shard_into(
        self, data: Any, out: np.ndarray, *, key: str, part: tuple[int, int] = (0, 1)
    ) -> None:
        """Decode a whole shard into ``out``; absent inner chunks are written as the fill value.

        ``part=(i, n)``: only the i-th of n runs of inner chunks (C order), so several threads can
        decode one shard, each its own part (the index is checked and read by each)."""
        layout = self._bound()
        data = memoryview(as_bytes_like(data)).cast("B")
        n = layout.index_nbytes
        if len(data) < n:
            with decoding(key, self.codec_name):
                raise ValueError(f"shard of {len(data)} bytes is shorter than its {n}-byte index")
        at_end = self.index_location is ShardingCodecIndexLocation.end
        index = self.decode_index(data[-n:] if at_end else data[:n], key=key)
        entries = index.reshape(-1, 2).tolist()  # Python ints: offsets near 2**64 cannot wrap
        which, count = part
        size = -(-len(entries) // count)
        positions = range(which * size, min(len(entries), (which + 1) * size))
        raw = layout.inner.is_raw
        for at in positions:
            offset, nbytes = entries[at]
            region = out[layout.regions[at]]
            if offset == _ABSENT:
                region[...] = layout.fill_value
                continue
            if offset + nbytes > len(data):
                with decoding(key, self.codec_name):
                    raise ValueError(
                        f"inner chunk {layout.coords[at]} at bytes {offset}+{nbytes} lies outside the shard"
                    )
            if raw and nbytes == layout.inner_nbytes:
                # uncompressed: the chunk is a reshaped view of its bytes, copied straight into place
                region[...] = np.frombuffer(data, layout.dtype, layout.inner_count, offset).reshape(
                    layout.inner_shape
                )
                continue
            layout.inner.decode_chunk_into(
                data[offset : offset + nbytes], region, key=f"{key} inner chunk {layout.coords[at]}"
            )

    def encode_shard(
        self,
        shard: np.ndarray,
        fill_value: Any = None,
        *,
        write_empty_chunks: bool = False,
        scratch: bool = False,
        mapper: Callable[[Callable[[int], Any], list[int]], Iterable[Any]] = map,
    ) -> BytesLike | None:
        """Encode a shard; inner chunks equal to the fill value are omitted, and None means all were.

        Inner chunks follow each other in Morton order, copied (uncompressed) or encoded straight
        into the shard's one buffer. ``scratch``: that buffer is this thread's reused one, valid
        until the thread encodes its next shard (for a caller that writes it at once: no fresh
        shard-sized memory each time). ``mapper``: how compressed inner chunks are mapped through
        their codecs (an engine passes a map that spreads them over its threads)."""
        layout = self._bound()
        fill = layout.fill_value if fill_value is None else fill_value
        kept = layout.morton if write_empty_chunks else _nonempty(layout, shard, fill)
        if not kept:
            return None
        index = np.full((len(layout.coords), 2), MAX_UINT64, dtype=np.uint64)
        if layout.inner.is_raw:
            parts = None
            sizes = np.full(len(kept), layout.inner_nbytes, dtype=np.uint64)
        else:
            parts = list(mapper(lambda at: layout.inner.encode_chunk(shard[layout.regions[at]]), kept))
            sizes = np.array([len(part) for part in parts], dtype=np.uint64)
        at_start = self.index_location is ShardingCodecIndexLocation.start
        first = layout.index_nbytes if at_start else 0
        ends = first + np.cumsum(sizes)
        index[kept, 0] = ends - sizes
        index[kept, 1] = sizes
        body = int(ends[-1]) - first
        nbytes = body + layout.index_nbytes
        encoded = thread_scratch("shard", nbytes) if scratch else np.empty(nbytes, dtype=np.uint8)
        if parts is None:
            chunks = encoded[first : first + body].view(layout.dtype).reshape(len(kept), *layout.inner_shape)
            for k, at in enumerate(kept):
                chunks[k] = shard[layout.regions[at]]
        else:
            for part, start, size in zip(parts, (ends - sizes).tolist(), sizes.tolist(), strict=True):
                encoded[start : start + size] = np.frombuffer(part, dtype=np.uint8)
        index_bytes = layout.index.encode_chunk(index.reshape(*layout.chunks_per_shard, 2))
        encoded[slice(0, first) if at_start else slice(body, None)] = np.frombuffer(index_bytes, np.uint8)
        return encoded if scratch else encoded.data

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


def _maybe_fill(values: np.ndarray, fill: Any) -> np.ndarray:
    """Which of ``values`` may equal the fill value: a superset of ``is_fill``'s answer (``-0.0``
    passes for ``0.0``, any NaN for a NaN), computed at once; ``is_fill`` then decides each."""
    kind = values.dtype.kind
    if kind not in "biufcmM":
        return np.ones(values.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        maybe = np.asarray(values == fill)
    if kind in "fc":
        maybe |= np.isnan(values)
    elif kind in "mM":
        maybe |= np.isnat(values)
    return maybe


def _nonempty(layout: _Layout, shard: np.ndarray, fill: Any) -> list[int]:
    """Positions (C order), listed in Morton order, of the inner chunks not wholly the fill value.

    The first element of every inner chunk is compared at once; only chunks whose first element
    may be the fill value are compared in full."""
    maybe = _maybe_fill(shard[layout.firsts], fill).reshape(-1)
    if not maybe.any():
        return layout.morton
    empty = {int(at) for at in np.flatnonzero(maybe) if is_fill(shard[layout.regions[at]], fill)}
    return [at for at in layout.morton if at not in empty] if empty else layout.morton


class _Layout:
    """A bound sharding codec's pipelines, shapes and inner chunk regions (computed once)."""

    def __init__(self, codec: ShardingCodec, dtype: np.dtype, fill_value: Any, shard_shape: tuple[int, ...]):
        self.dtype, self.fill_value, self.shard_shape = dtype, fill_value, tuple(shard_shape)
        self.chunks_per_shard = tuple(s // c for s, c in zip(shard_shape, codec.chunk_shape, strict=True))
        self.inner_shape = codec.chunk_shape
        self.inner_count = math.prod(self.inner_shape)
        self.inner_nbytes = self.inner_count * dtype.itemsize
        self.inner = CodecPipeline(
            codec.codecs, dtype=dtype, fill_value=fill_value, chunk_shape=codec.chunk_shape
        )
        index_shape = (*self.chunks_per_shard, 2)
        self.index = CodecPipeline(
            codec.index_codecs, dtype=np.dtype(np.uint64), fill_value=MAX_UINT64, chunk_shape=index_shape
        )
        self.index_nbytes = len(self.index.encode_chunk(np.zeros(index_shape, dtype=np.uint64)))
        # inner chunks by position in C order (the index's order), and those positions in Morton
        # order (the order their bytes follow each other, as zarr-python writes them)
        self.coords = [tuple(int(c) for c in at) for at in np.ndindex(*self.chunks_per_shard)]
        self.regions = [self.region(coords) for coords in self.coords]
        order = morton_order(self.chunks_per_shard) if self.chunks_per_shard else ((),)
        position = {coords: at for at, coords in enumerate(self.coords)}
        self.morton = [position[coords] for coords in order]
        # the first element of every inner chunk, as one strided view
        self.firsts = tuple(slice(None, None, n) for n in self.inner_shape)

    def region(self, coords: tuple[int, ...]) -> tuple[slice, ...]:
        """The slices of a shard that inner chunk ``coords`` covers."""
        return tuple(slice(i * n, (i + 1) * n) for i, n in zip(coords, self.inner_shape, strict=True))


register_codec(ShardingCodec.codec_name, ShardingCodec)
