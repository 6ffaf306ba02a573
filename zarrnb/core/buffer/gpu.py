"""GPU buffers (zarr-python's ``zarr.buffer.gpu``): zarrnb keeps chunks in CPU memory.

The names exist so that code importing them loads; making one raises an error that says why: cupy is
missing, or (with cupy) that zarrnb's engine does not decode into device memory.
"""

from __future__ import annotations

import importlib.util
from typing import Any, NoReturn

from zarrnb.core.buffer import Buffer as _CpuBuffer
from zarrnb.core.buffer import BufferPrototype
from zarrnb.core.buffer import NDBuffer as _CpuNDBuffer

__all__ = ["Buffer", "NDBuffer", "buffer_prototype"]


def _refuse(what: str) -> NoReturn:
    if importlib.util.find_spec("cupy") is None:
        raise ImportError(f"Cannot use zarr.buffer.gpu.{what} without cupy. Please install cupy.")
    raise NotImplementedError(
        f"zarrnb.buffer.gpu.{what}: zarrnb decodes chunks into CPU memory only; "
        "copy results to the GPU with cupy.asarray(array[...])"
    )


class Buffer(_CpuBuffer):
    """A GPU byte buffer: refused (needs cupy, and a GPU engine zarrnb does not have)."""

    __slots__ = ()

    def __init__(self, array_like: Any) -> None:
        _refuse("Buffer")


class NDBuffer(_CpuNDBuffer):
    """A GPU n-dimensional buffer: refused (needs cupy, and a GPU engine zarrnb does not have)."""

    __slots__ = ()

    def __init__(self, array: Any) -> None:
        _refuse("NDBuffer")


buffer_prototype = BufferPrototype(buffer=Buffer, nd_buffer=NDBuffer)
