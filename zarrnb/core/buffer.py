"""Byte buffers and n-dimensional buffers, the currency between stores and codecs.

A :class:`Buffer` wraps bytes, a memoryview or a NumPy array without copying,
so chunk bytes travel from a store to a codec untouched.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any, NamedTuple, Self

import numpy as np
import numpy.typing as npt

__all__ = [
    "Buffer",
    "BufferPrototype",
    "NDBuffer",
    "default_buffer_prototype",
    "numpy_buffer_prototype",
    "thread_scratch",
]

BytesLike = bytes | bytearray | memoryview | np.ndarray

# Scratch arrays up to this size are kept per thread and slot; bigger ones are made fresh each time.
SCRATCH_MAX = 1 << 26
_scratch = threading.local()


def thread_scratch(slot: str, nbytes: int) -> np.ndarray:
    """A 1-D uint8 array of ``nbytes`` this thread reuses for ``slot``: per-chunk work with no allocation
    (nor page faults) each time. Valid until this thread asks for the same slot again."""
    if nbytes > SCRATCH_MAX:
        return np.empty(nbytes, dtype=np.uint8)
    kept: np.ndarray | None = getattr(_scratch, slot, None)
    if kept is None or kept.nbytes < nbytes:
        # replaced, never resized: views of the old array may still be alive
        kept = np.empty(nbytes, dtype=np.uint8)
        setattr(_scratch, slot, kept)
    return kept[:nbytes]


def _as_uint8(data: Any) -> np.ndarray:
    """A 1-D uint8 view of ``data``; copies only when ``data`` is not contiguous."""
    if isinstance(data, Buffer):
        return data._data
    if isinstance(data, np.ndarray):
        if data.dtype == np.uint8 and data.ndim == 1:
            return data
        return np.ascontiguousarray(data).reshape(-1).view(np.uint8)
    if isinstance(data, bytes | bytearray | memoryview):
        return np.frombuffer(data, dtype=np.uint8)
    raise TypeError(f"Buffer wraps bytes, bytearray, memoryview or numpy arrays, not {type(data).__name__}")


class Buffer:
    """A contiguous run of bytes; ``Buffer(b)`` wraps ``b`` without copying."""

    __slots__ = ("_data",)

    def __init__(self, array_like: BytesLike) -> None:
        self._data = _as_uint8(array_like)

    @classmethod
    def from_bytes(cls, bytes_like: bytes | bytearray | memoryview) -> Self:
        """Wrap ``bytes_like`` (no copy)."""
        return cls(bytes_like)

    @classmethod
    def from_array_like(cls, array_like: BytesLike) -> Self:
        """Wrap a 1-D array-like (no copy)."""
        return cls(array_like)

    @classmethod
    def from_buffer(cls, buffer: Buffer) -> Self:
        """Share the bytes of another Buffer (no copy)."""
        return cls(buffer._data)

    @classmethod
    def create_zero_length(cls) -> Self:
        """An empty Buffer."""
        return cls(np.empty(0, dtype=np.uint8))

    def as_array_like(self) -> np.ndarray:
        """The wrapped bytes as a 1-D uint8 array (a view)."""
        return self._data

    def as_numpy_array(self) -> npt.NDArray[np.uint8]:
        """The wrapped bytes as a 1-D uint8 NumPy array (a view, no copy)."""
        return self._data

    def as_buffer_like(self) -> memoryview:
        """A memoryview of the bytes, for APIs that take the buffer protocol."""
        return memoryview(self._data)

    def to_bytes(self) -> bytes:
        """The bytes as an immutable ``bytes`` object (this one copies)."""
        return self._data.tobytes()

    def combine(self, others: Iterable[Buffer]) -> Self:
        """A new Buffer holding these bytes followed by those of ``others``."""
        return type(self)(np.concatenate([self._data, *(o._data for o in others)]))

    def __add__(self, other: Buffer) -> Self:
        return self.combine([other])

    def __getitem__(self, key: slice) -> Self:
        return type(self)(self._data[key])

    def __setitem__(self, key: slice, value: Any) -> None:
        self._data[key] = value

    def __len__(self) -> int:
        return self._data.size

    def __eq__(self, other: object) -> bool:
        if isinstance(other, bytes | bytearray | memoryview):
            other = Buffer(other)
        return isinstance(other, Buffer) and np.array_equal(self._data, other._data)

    __hash__ = None  # type: ignore[assignment]  # mutable, like bytearray

    def __repr__(self) -> str:
        head = self._data[:16].tobytes()
        return f"<{type(self).__name__} {len(self)} bytes {head!r}{'...' if len(self) > 16 else ''}>"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self._data,))


class NDBuffer:
    """An n-dimensional array of decoded values (a thin wrapper around a NumPy array)."""

    __slots__ = ("_data",)

    def __init__(self, array: np.ndarray) -> None:
        self._data = np.asarray(array)

    @classmethod
    def create(
        cls,
        *,
        shape: Iterable[int],
        dtype: npt.DTypeLike,
        order: str = "C",
        fill_value: Any | None = None,
    ) -> Self:
        """A new array of ``shape``, filled with ``fill_value`` unless it is None."""
        if fill_value is None:
            return cls(np.empty(tuple(shape), dtype=dtype, order=order))  # type: ignore[call-overload]
        return cls(np.full(tuple(shape), fill_value, dtype=dtype, order=order))  # type: ignore[call-overload]

    @classmethod
    def empty(cls, shape: Iterable[int], dtype: npt.DTypeLike, order: str = "C") -> Self:
        """A new uninitialised array."""
        return cls(np.empty(tuple(shape), dtype=dtype, order=order))  # type: ignore[call-overload]

    @classmethod
    def from_numpy_array(cls, array_like: npt.ArrayLike) -> Self:
        """Wrap a NumPy array (no copy when it already is one)."""
        return cls(np.asarray(array_like))

    from_ndarray_like = from_numpy_array

    def as_numpy_array(self) -> np.ndarray:
        """The wrapped NumPy array."""
        return self._data

    as_ndarray_like = as_numpy_array

    @property
    def shape(self) -> tuple[int, ...]:
        return self._data.shape

    @property
    def dtype(self) -> np.dtype[Any]:
        return self._data.dtype

    def __getitem__(self, key: Any) -> Self:
        return type(self)(np.asanyarray(self._data[key]))

    def __setitem__(self, key: Any, value: Any) -> None:
        self._data[key] = value.as_numpy_array() if isinstance(value, NDBuffer) else value

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} shape={self.shape} dtype={self.dtype}>"


class BufferPrototype(NamedTuple):
    """The classes a store or codec builds its results from."""

    buffer: type[Buffer]
    nd_buffer: type[NDBuffer]


_DEFAULT_PROTOTYPE = BufferPrototype(buffer=Buffer, nd_buffer=NDBuffer)


def default_buffer_prototype() -> BufferPrototype:
    """The prototype used when a caller names none: CPU memory, NumPy arrays."""
    return _DEFAULT_PROTOTYPE


numpy_buffer_prototype = default_buffer_prototype
