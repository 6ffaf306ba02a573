"""``V2Codec``: a Zarr v2 array's numcodecs filters and compressor as one array-to-bytes codec.

zarr-python runs v2 chunks through this codec (``zarr.codecs._v2``); plugins such as the
``zarrs`` codec pipeline import it by that path. zarrnb's own engine reads v2 chunks through
:class:`~zarrnb.codecs.pipeline.V2CodecPipeline`; this class serves code written against
zarr-python's codec interface, with the same steps.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numcodecs.compat import ensure_bytes, ensure_ndarray_like

from zarrnb.abc.codec import ArrayBytesCodec

if TYPE_CHECKING:
    from zarrnb.abc.numcodec import Numcodec
    from zarrnb.codecs.array_spec import ArraySpec
    from zarrnb.core.buffer import Buffer, NDBuffer

__all__ = ["V2Codec"]


@dataclass(frozen=True)
class V2Codec(ArrayBytesCodec):
    """numcodecs ``filters`` (in order on write) then ``compressor``, as a v2 ``.zarray`` lists them."""

    filters: tuple[Numcodec, ...] | None
    compressor: Numcodec | None

    is_fixed_size = False

    def _decode_sync(self, chunk_bytes: Buffer, chunk_spec: ArraySpec) -> NDBuffer:
        """Decompress, undo the filters in reverse, and shape the result as ``chunk_spec`` says."""
        data = chunk_bytes.as_array_like()
        if self.compressor is not None:
            data = self.compressor.decode(data)
        for codec in reversed(self.filters or ()):
            data = codec.decode(data)
        chunk = ensure_ndarray_like(data)
        native = chunk_spec.dtype.to_native_dtype()
        if native.kind != "O":
            try:
                chunk = chunk.view(native)
            except TypeError:  # e.g. an object array of strings for a string data type
                chunk = np.asarray(chunk).astype(native)
        elif chunk.dtype != object:
            raise RuntimeError("cannot read object array without object codec")
        chunk = chunk.reshape(-1, order="A").reshape(chunk_spec.shape, order=chunk_spec.order)
        return chunk_spec.prototype.nd_buffer.from_ndarray_like(chunk)

    def _encode_sync(self, chunk_array: NDBuffer, chunk_spec: ArraySpec) -> Buffer | None:
        """Lay the chunk out in ``chunk_spec``'s order, apply the filters, then compress."""
        chunk = chunk_array.as_ndarray_like()
        chunk = chunk.astype(chunk_spec.dtype.to_native_dtype(), order=chunk_spec.order, copy=False)
        for codec in self.filters or ():
            chunk = codec.encode(chunk)
        if ensure_ndarray_like(chunk).dtype == object:
            raise RuntimeError("cannot write object array without object codec")
        data = chunk if self.compressor is None else self.compressor.encode(chunk)
        return chunk_spec.prototype.buffer.from_bytes(ensure_bytes(data))

    async def _decode_single(self, chunk_bytes: Buffer, chunk_spec: ArraySpec) -> NDBuffer:
        return await asyncio.to_thread(self._decode_sync, chunk_bytes, chunk_spec)

    async def _encode_single(self, chunk_array: NDBuffer, chunk_spec: ArraySpec) -> Buffer | None:
        return await asyncio.to_thread(self._encode_sync, chunk_array, chunk_spec)
