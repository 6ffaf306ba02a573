"""``AsyncArray.create(store, ..., compressor=, data=)`` and ``AsyncArray.open(store)`` with zarr-python's
parameter names, compared with zarr-python on the same calls."""

from __future__ import annotations

import asyncio
import warnings
from pathlib import Path
from typing import Any

import numcodecs
import numpy as np
import pytest
import zarr

import zarrnb


def run(module: Any, call: Any) -> Any:
    """``call(module.AsyncArray)`` awaited, zarr-python's deprecation warning silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return asyncio.run(call(module.AsyncArray))


def outcome(module: Any, call: Any) -> Any:
    """What the call gives, or the exception type and message it raises."""
    try:
        return run(module, call)
    except Exception as error:
        return type(error).__name__, str(error)


@pytest.mark.parametrize("module", [zarr, zarrnb], ids=["zarr-python", "zarrnb"])
def test_v2_compressor_and_data(module: Any, tmp_path: Path) -> None:
    async def call(cls: Any) -> Any:
        array = await cls.create(
            str(tmp_path),  # a path: any store-like is accepted, not only a StorePath
            shape=(5,),
            dtype="i2",
            zarr_format=2,
            chunks=(2,),
            compressor=numcodecs.Zlib(level=3),
            data=np.arange(5),
        )
        return array.metadata.to_dict()["compressor"]

    assert run(module, call) == {"id": "zlib", "level": 3}

    # both libraries read what either wrote, through open(store)
    async def read(cls: Any) -> Any:
        opened = await cls.open(str(tmp_path), zarr_format=2)
        return (await opened.getitem(slice(None))).tolist()

    assert run(zarr, read) == run(zarrnb, read) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"zarr_format": 2, "compressor": None},
        {"zarr_format": 3, "compressor": None},
        {"zarr_format": 3, "compressor": numcodecs.Zstd()},
        {"zarr_format": 3, "data": [[1, 2], [3, 4]]},
    ],
    ids=["v2-none", "v3-none", "v3-codec", "v3-data"],
)
def test_same_outcome_as_zarr_python(kwargs: dict[str, Any]) -> None:
    async def call(cls: Any) -> Any:
        data = kwargs.get("data")
        made = await cls.create(
            {} if cls is zarr.AsyncArray else zarrnb.storage.MemoryStore(), shape=(2, 2), dtype="f8", **kwargs
        )
        compressor = made.metadata.to_dict().get("compressor")
        return compressor, (await made.getitem(slice(None))).tolist() if data is not None else None

    assert outcome(zarrnb, call) == outcome(zarr, call)
