"""Morton (Z-order) codes of chunk coordinates: the order the v3 sharding spec's inner chunks follow.

Bits are interleaved with the first dimension least significant; a dimension whose side needs fewer
bits drops out of the higher rounds (a "compressed" Morton code, so non-power-of-two shapes leave no
gaps in the order of their valid coordinates).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import lru_cache

import numpy as np

__all__ = ["decode_morton", "encode_morton", "morton_order", "morton_order_iter"]


def _bits(chunk_shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(max(side - 1, 0).bit_length() for side in chunk_shape)


def encode_morton(coords: tuple[int, ...], chunk_shape: tuple[int, ...]) -> int:
    """The Morton code of ``coords`` in a grid of ``chunk_shape``."""
    bits, code, out_bit = _bits(chunk_shape), 0, 0
    for bit in range(max(bits, default=0)):
        for dim, width in enumerate(bits):
            if bit < width:
                code |= ((coords[dim] >> bit) & 1) << out_bit
                out_bit += 1
    return code


def decode_morton(z: int, chunk_shape: tuple[int, ...]) -> tuple[int, ...]:
    """The coordinates whose Morton code in a grid of ``chunk_shape`` is ``z``."""
    bits, coords, in_bit = _bits(chunk_shape), [0] * len(chunk_shape), 0
    for bit in range(max(bits, default=0)):
        for dim, width in enumerate(bits):
            if bit < width:
                coords[dim] |= ((z >> in_bit) & 1) << bit
                in_bit += 1
    return tuple(coords)


@lru_cache(maxsize=16)
def morton_order(chunk_shape: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    """Every coordinate of ``chunk_shape``, sorted by Morton code (computed once per shape)."""
    if math.prod(chunk_shape) == 0:
        return ()
    grid = np.indices(chunk_shape).reshape(len(chunk_shape), -1)
    codes = np.zeros(grid.shape[1], dtype=np.int64)
    bits, out_bit = _bits(chunk_shape), 0
    for bit in range(max(bits, default=0)):
        for dim, width in enumerate(bits):
            if bit < width:
                codes |= ((grid[dim] >> bit) & 1) << out_bit
                out_bit += 1
    ordered = grid[:, np.argsort(codes, kind="stable")].T
    return tuple(tuple(int(c) for c in row) for row in ordered)


def morton_order_iter(chunk_shape: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
    """Iterate the coordinates of ``chunk_shape`` in Morton order."""
    return iter(morton_order(tuple(chunk_shape)))
