"""Buffers in CPU memory backed by NumPy arrays (zarr-python's ``zarr.buffer.cpu``)."""

from zarrnb.core.buffer import (
    Buffer,
    NDBuffer,
    as_numpy_array_wrapper,
    buffer_prototype,
    numpy_buffer_prototype,
)

__all__ = ["Buffer", "NDBuffer", "as_numpy_array_wrapper", "buffer_prototype", "numpy_buffer_prototype"]
