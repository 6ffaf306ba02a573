"""Buffer implementations (zarr-python's ``zarr.buffer``): CPU memory in ``cpu``; ``gpu`` needs cupy.

The classes live in ``zarrnb.core.buffer``; this package only gives them zarr-python's public paths.
"""

from zarrnb.buffer import cpu, gpu
from zarrnb.core.buffer import (
    ArrayLike,
    Buffer,
    BufferPrototype,
    Endian,
    NDArrayLike,
    NDArrayLikeOrScalar,
    NDBuffer,
    default_buffer_prototype,
    numpy_buffer_prototype,
)

__all__ = [
    "ArrayLike",
    "Buffer",
    "BufferPrototype",
    "Endian",
    "NDArrayLike",
    "NDArrayLikeOrScalar",
    "NDBuffer",
    "cpu",
    "default_buffer_prototype",
    "gpu",
    "numpy_buffer_prototype",
]
