"""GPU buffers (zarr-python's ``zarr.buffer.gpu``): refused with an error naming cupy."""

from zarrnb.core.buffer.gpu import Buffer, NDBuffer, buffer_prototype

__all__ = ["Buffer", "NDBuffer", "buffer_prototype"]
