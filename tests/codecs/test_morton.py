"""Morton order of inner chunks, against zarr-python's (the sharding spec's order)."""

from __future__ import annotations

import pytest
from zarr.core.indexing import decode_morton as zarr_decode
from zarr.core.indexing import morton_order_iter as zarr_order

from zarrnb.codecs.morton import decode_morton, encode_morton, morton_order_iter

SHAPES = [(2, 2), (4, 4), (3, 5), (1, 7), (2, 3, 4), (5,), (0, 3), (2, 2, 2, 2), (6, 1, 3)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_order_matches_zarr_python(shape: tuple[int, ...]) -> None:
    assert list(morton_order_iter(shape)) == list(zarr_order(shape))


@pytest.mark.parametrize("shape", [(4, 4), (3, 5), (2, 3, 4)], ids=str)
def test_encode_and_decode_are_inverse(shape: tuple[int, ...]) -> None:
    for coords in morton_order_iter(shape):
        code = encode_morton(coords, shape)
        assert decode_morton(code, shape) == coords == zarr_decode(code, shape)
