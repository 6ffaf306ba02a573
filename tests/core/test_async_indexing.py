"""``AsyncArray.oindex`` / ``vindex``: awaited orthogonal and vectorized selection, as in zarr-python."""

from __future__ import annotations

import asyncio

import numpy as np
import zarr

import zarrnb
from zarrnb.core.indexing import AsyncOIndex, AsyncVIndex


def test_async_oindex_and_vindex_match_zarr_python() -> None:
    data = np.arange(30, dtype="i4").reshape(5, 6)
    ours = zarrnb.create_array(zarrnb.storage.MemoryStore(), shape=data.shape, chunks=(2, 4), dtype="i4")
    theirs = zarr.create_array(zarr.storage.MemoryStore(), shape=data.shape, chunks=(2, 4), dtype="i4")
    ours[...] = data
    theirs[...] = data
    mask = data % 4 == 0
    cases = [
        ("oindex", ([0, 4], [1, 5])),
        ("oindex", (slice(1, 3), [0, 2, 3])),
        ("vindex", ([0, 4, 2], [1, 5, 0])),
        ("vindex", (mask,)),
    ]

    async def read(array: object, kind: str, selection: object) -> np.ndarray:
        return await getattr(array, kind).getitem(selection)

    for kind, selection in cases:
        expected = asyncio.run(read(theirs._async_array, kind, selection))
        actual = asyncio.run(read(ours.async_array, kind, selection))
        np.testing.assert_array_equal(actual, expected, err_msg=f"{kind}{selection}")
    assert isinstance(ours.async_array.oindex, AsyncOIndex)
    assert isinstance(ours.async_array.vindex, AsyncVIndex)
