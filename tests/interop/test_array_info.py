"""``.info`` of arrays created by both libraries with the same arguments prints the same table."""

from __future__ import annotations

import asyncio
import warnings

import numcodecs
import numpy as np
import pytest
import zarr

from zarrnb.core.array import AsyncArray
from zarrnb.storage import LocalStore, StorePath

CASES = {
    "v3-nan": dict(shape=(100, 200), chunks=(10, 20), dtype="f4", fill_value=np.nan),
    "v3-sharded": dict(shape=(100, 100), chunks=(10, 10), shards=(50, 50), dtype="i2"),
    "v3-gzip-F": dict(
        shape=(30,), chunks=(7,), dtype="u1", order="F",
        compressors={"name": "gzip", "configuration": {"level": 5}},
    ),
    "v2-blosc": dict(
        shape=(40, 40), chunks=(16, 16), dtype=">f8", zarr_format=2,
        compressors=numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE),
    ),
    "v2-delta": dict(shape=(9,), chunks=(4,), dtype="i4", zarr_format=2, filters=[numcodecs.Delta("i4")]),
}  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_info_matches_zarr_python(tmp_path, name) -> None:
    kwargs = CASES[name]
    region = (slice(0, 2),) + (slice(None),) * (len(kwargs["shape"]) - 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = zarr.create_array(zarr.storage.LocalStore(str(tmp_path / "z")), name="a", **kwargs)
        reference[region] = 1
        expected, expected_complete = repr(reference.info), repr(reference.info_complete())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # order= on a v3 array warns, in both libraries
        array = asyncio.run(AsyncArray.create(StorePath(LocalStore(str(tmp_path / "n")), "a"), **kwargs))
    asyncio.run(array.setitem(region, 1))
    assert repr(array.info) == expected
    assert repr(asyncio.run(array.info_complete())) == expected_complete
