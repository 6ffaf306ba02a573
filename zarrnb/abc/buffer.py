"""The buffer interface codecs and stores exchange (zarr-python's ``zarr.abc.buffer``)."""

from zarrnb.core.buffer import ArrayLike, Buffer, BufferPrototype, NDArrayLike, NDBuffer

__all__ = ["ArrayLike", "Buffer", "BufferPrototype", "NDArrayLike", "NDBuffer"]
