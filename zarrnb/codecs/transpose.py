"""The ``transpose`` codec: permutes the axes of a chunk before serialization (v3 core spec)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from zarrnb.codecs.base import ArrayArrayCodec

__all__ = ["TransposeCodec"]


@dataclass(frozen=True)
class TransposeCodec(ArrayArrayCodec):
    """``order`` is a permutation of the axes: encoded axis ``i`` is decoded axis ``order[i]``."""

    codec_name = "transpose"
    order: tuple[int, ...]

    def __post_init__(self) -> None:
        if isinstance(self.order, str):
            raise ValueError(f"order must be a permutation of axes, got {self.order!r}")
        order = tuple(int(axis) for axis in self.order)
        if sorted(order) != list(range(len(order))):
            raise ValueError(f"order {order} is not a permutation of 0..{len(order) - 1}")
        object.__setattr__(self, "order", order)

    def _configuration(self) -> dict[str, Any]:
        return {"order": list(self.order)}

    def inverse(self) -> tuple[int, ...]:
        """The permutation that undoes ``order``."""
        return tuple(int(axis) for axis in np.argsort(self.order))

    def validate(self, shape: tuple[int, ...], dtype: Any, chunk_grid: Any) -> None:
        """Refuse an ``order`` that does not permute exactly the array's axes (zarr-python's message)."""
        if len(self.order) != len(shape):
            raise ValueError(
                "The `order` tuple must have as many entries as there are dimensions in the array. "
                f"Got {self.order} for a {len(shape)}-d array."
            )

    def encoded_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        self.validate(shape=shape, dtype=None, chunk_grid=None)
        return tuple(shape[axis] for axis in self.order)

    def encode_raw(self, chunk: np.ndarray) -> np.ndarray:
        return chunk.transpose(self.order)

    def decode_raw(self, chunk: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        return chunk.transpose(self.inverse())
