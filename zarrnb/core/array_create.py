"""Creating an array at a path, the shared step of every creation call (``create_array``,
``Group.create_array``, ``from_array``, ``save_array``): ``data`` given or not, its values written.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import zarrnb.config as config
from zarrnb.core.array import AsyncArray
from zarrnb.core.common import ensure_writable
from zarrnb.storage import StorePath

__all__ = ["create_array_at"]


async def create_array_at(
    store_path: StorePath,
    *,
    data: Any = None,
    shape: Any = None,
    dtype: Any = None,
    zarr_format: int | None = None,
    overwrite: bool = False,
    v2_default_compressor: str = "zstd",
    write_data: bool = True,
    **kwargs: Any,
) -> AsyncArray:
    """Create an array (and its missing parent groups); ``data`` gives shape, dtype and contents
    (its values are written unless ``write_data`` is False, as in zarr-python)."""
    ensure_writable(store_path)
    if "compressor" in kwargs:
        if kwargs.get("compressors", "auto") != "auto":
            raise ValueError("pass 'compressors' or the format 2 'compressor', not both")
        compressor = kwargs.pop("compressor")
        kwargs["compressors"] = compressor if compressor in ("auto", None) else (compressor,)
    if isinstance(data, AsyncArray):  # an array of ours (the sync API hands its async side)
        data = await data.getitem(Ellipsis)
    if data is not None:
        data = np.asarray(data)
        given = (shape,) if isinstance(shape, int) else shape
        if given is not None and tuple(given) != data.shape:
            raise ValueError(f"shape {shape!r} does not match the data's shape {data.shape}")
        shape = data.shape if shape is None else shape
        dtype = data.dtype if dtype is None else dtype
    for name, value in (("shape", shape), ("dtype", dtype)):
        if value is None:  # zarr-python's ValueError and wording
            raise ValueError(f"The data parameter was set to None, but {name} was not specified.")
    zarr_format = zarr_format or config.get("default_zarr_format")
    array = await AsyncArray.create(
        store_path,
        shape=shape,
        dtype=dtype,
        zarr_format=zarr_format,
        overwrite=overwrite,
        v2_default_compressor=v2_default_compressor,
        **kwargs,
    )
    if data is not None and write_data:
        await array.setitem(Ellipsis, data)
    return array
