"""zarr-python's batch interface of a codec pipeline (``read``/``write`` over ``batch_info``).

zarrnb's engine drives its own pipeline chunk by chunk; these methods give that pipeline the
interface zarr-python's ``CodecPipeline`` has, so a subclass registered with
``zarrnb.registry.register_pipeline`` and named by the ``codec_pipeline.path`` setting can override
them and be used by array reads and writes, as in zarr-python.

Each ``batch_info`` item is ``(byte_getter_or_setter, chunk_spec, chunk_selection, out_selection,
is_complete_chunk)``: a store location with async ``get``/``set``/``delete``, the chunk's
``ArraySpec``, the part of the decoded chunk selected, and where it goes in ``out``/``value``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

import numpy as np

from zarrnb.core.buffer import NDBuffer
from zarrnb.dtype import is_fill

__all__ = ["BatchedIO"]

BatchItem = tuple[Any, Any, Any, Any, bool]


def _as_array(buffer: Any) -> np.ndarray:
    """The NumPy array behind an ``NDBuffer`` (zarrnb's or a look-alike), or the array itself."""
    to_numpy = getattr(buffer, "as_numpy_array", None)
    return to_numpy() if to_numpy is not None else np.asarray(buffer)


async def _nothing() -> None:
    return None


class BatchedIO:
    """``read``/``write`` of zarr-python's pipeline interface, built on ``decode_chunk``/``encode_chunk``."""

    dtype: np.dtype
    sharding: Any

    def decode_chunk(self, data: Any, chunk_shape: tuple[int, ...], *, key: str) -> np.ndarray:
        raise NotImplementedError

    def encode_chunk(self, chunk: np.ndarray) -> bytes | None:
        raise NotImplementedError

    async def read(
        self, batch_info: Iterable[BatchItem], out: NDBuffer, drop_axes: tuple[int, ...] = ()
    ) -> None:
        """Fill ``out[out_selection]`` from each chunk (its fill value where the chunk is missing)."""
        batch = list(batch_info)
        target = _as_array(out)
        found = await asyncio.gather(*(getter.get(prototype=spec.prototype) for getter, spec, *_ in batch))
        for (getter, spec, chunk_selection, out_selection, _), data in zip(batch, found, strict=True):
            if data is None:
                target[out_selection] = spec.fill_value
                continue
            part = self.decode_chunk(data, spec.shape, key=str(getter))[chunk_selection]
            target[out_selection] = part.squeeze(axis=drop_axes) if drop_axes else part

    async def write(
        self, batch_info: Iterable[BatchItem], value: NDBuffer, drop_axes: tuple[int, ...] = ()
    ) -> None:
        """Merge ``value[out_selection]`` into each chunk and store it; a chunk left holding only
        its fill value is deleted unless its spec's ``write_empty_chunks`` says otherwise."""
        batch = list(batch_info)
        source = _as_array(value)
        old = await asyncio.gather(
            *(
                _nothing() if complete else setter.get(prototype=spec.prototype)
                for setter, spec, *_, complete in batch
            )
        )
        jobs = []
        for (setter, spec, chunk_selection, out_selection, _), existing in zip(batch, old, strict=True):
            if existing is None:
                chunk = np.full(spec.shape, spec.fill_value, dtype=self.dtype)
            else:
                chunk = np.array(self.decode_chunk(existing, spec.shape, key=str(setter)))
            part = source[out_selection] if source.ndim else source
            chunk[chunk_selection] = np.expand_dims(part, drop_axes) if drop_axes else part
            data = self._encode_stored(chunk, spec)
            stored = None if data is None else spec.prototype.buffer.from_bytes(data)
            jobs.append(setter.delete() if stored is None else setter.set(stored))
        await asyncio.gather(*jobs)

    def _encode_stored(self, chunk: np.ndarray, spec: Any) -> bytes | None:
        """The bytes to store for ``chunk``, or None when it is to be deleted (it is empty)."""
        write_empty = spec.config.write_empty_chunks
        if self.sharding is not None:
            return self.sharding.encode_shard(  # type: ignore[no-any-return]
                chunk, spec.fill_value, write_empty_chunks=write_empty
            )
        if not write_empty and spec.fill_value is not None and is_fill(chunk, spec.fill_value):
            return None
        return self.encode_chunk(chunk)

