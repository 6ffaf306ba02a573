"""Byte buffers and n-dimensional buffers, the currency between stores and codecs.

A :class:`Buffer` wraps bytes, a memoryview or a NumPy array without copying,
so chunk bytes travel from a store to a codec untouched.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from enum import Enum
from typing import Any, NamedTuple, Protocol, Self, SupportsIndex, runtime_checkable

import numpy as np
import numpy.typing as npt

__all__ = [
    "ArrayLike",
    "Buffer",
    "BufferPrototype",
    "Endian",
    "NDArrayLike",
    "NDArrayLikeOrScalar",
    "NDBuffer",
    "as_numpy_array_wrapper",
    "buffer_prototype",
    "default_buffer_prototype",
    "numpy_buffer_prototype",
    "thread_scratch",
]

BytesLike = bytes | bytearray | memoryview | np.ndarray


class Endian(Enum):
    """Byte order of multi-byte elements (the ``bytes`` codec's ``endian``)."""

    big = "big"
    little = "little"


@runtime_checkable
class ArrayLike(Protocol):
    """What a ``Buffer`` can wrap: a 1-D array of bytes (NumPy's, or another library's)."""

    @property
    def dtype(self) -> np.dtype[Any]: ...

    @property
    def ndim(self) -> int: ...

    @property
    def size(self) -> int: ...

    def __getitem__(self, key: slice) -> Self: ...

    def __setitem__(self, key: slice, value: Any) -> None: ...


@runtime_checkable
class NDArrayLike(Protocol):
    """What an ``NDBuffer`` can wrap: an n-dimensional array with NumPy's basic methods."""

    @property
    def dtype(self) -> np.dtype[Any]: ...

    @property
    def shape(self) -> tuple[int, ...]: ...

    @property
    def ndim(self) -> int: ...

    @property
    def size(self) -> int: ...

    def __len__(self) -> int: ...

    def __getitem__(self, key: Any) -> Self: ...

    def __setitem__(self, key: Any, value: Any) -> None: ...

    def __array__(self) -> np.ndarray: ...

    def reshape(self, shape: Any, *, order: Any = ...) -> Self: ...

    def view(self, dtype: npt.DTypeLike) -> Self: ...

    def astype(self, dtype: npt.DTypeLike, order: Any = ..., *, copy: bool = ...) -> Self: ...

    def fill(self, value: Any) -> None: ...

    def copy(self) -> Self: ...

    def transpose(self, axes: SupportsIndex | Sequence[SupportsIndex] | None) -> Self: ...

    def ravel(self, order: Any = ...) -> Self: ...

    def all(self) -> bool: ...


NDArrayLikeOrScalar = NDArrayLike | np.generic | int | float | complex | str | bytes

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
    if type(data) is bytes:  # what codecs return: wrapped once per chunk written
        return np.frombuffer(data, dtype=np.uint8)
    if isinstance(data, Buffer):
        return data._data
    if isinstance(data, np.ndarray):
        if data.dtype == np.uint8 and data.ndim == 1:
            return data
        return np.ascontiguousarray(data).reshape(-1).view(np.uint8)
    if isinstance(data, bytes | bytearray | memoryview):
        return np.frombuffer(data, dtype=np.uint8)
    # another library's buffer object (zarr-python's, a subclass from a third-party store)
    as_numpy = getattr(data, "as_numpy_array", None)
    if callable(as_numpy):
        return _as_uint8(as_numpy())
    try:  # any other object with the buffer protocol (obstore's Bytes, mmap, array.array)
        view = memoryview(data)
    except TypeError:
        pass
    else:
        return np.frombuffer(view, dtype=np.uint8)
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
        self._data = np.asanyarray(array)  # keeps ndarray subclasses (other libraries' array types)

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

    @classmethod
    def from_ndarray_like(cls, ndarray_like: Any) -> Self:
        """Wrap an array of this buffer's kind as it is (an ndarray subclass stays one), as zarr-python's."""
        return cls(ndarray_like)

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

    def as_scalar(self) -> Any:
        """The one element of a size-1 array, as a NumPy scalar."""
        if self._data.size != 1:
            raise ValueError(f"Buffer does not contain a single scalar value (shape {self.shape})")
        return self._data.reshape(())[()]

    @property
    def byteorder(self) -> Endian:
        """The byte order of the elements (native for types without one)."""
        order = self.dtype.byteorder
        if order in "=|":
            return Endian(sys.byteorder)
        return Endian.little if order == "<" else Endian.big

    def reshape(self, newshape: tuple[int, ...] | int) -> Self:
        """The same elements in a new shape (a view where NumPy can)."""
        return type(self)(self._data.reshape(newshape))

    def squeeze(self, axis: tuple[int, ...]) -> Self:
        """Drop the length-1 axes ``axis``."""
        return type(self)(self._data.squeeze(axis=axis))

    def astype(self, dtype: npt.DTypeLike, order: str = "K") -> Self:
        """A copy converted to ``dtype``."""
        return type(self)(self._data.astype(dtype, order=order))  # type: ignore[arg-type]

    def all_equal(self, other: Any, equal_nan: bool = True) -> bool:
        """True when every element equals ``other`` (NaN equals NaN unless ``equal_nan`` is False)."""
        if other is None:
            return False
        data = self._data
        if data.dtype.kind in "fc" and equal_nan:
            other_array = np.asarray(other)
            both_nan = np.isnan(data) & np.isnan(other_array)
            return bool(np.all((data == other_array) | both_nan))
        try:
            return bool(
                np.array_equal(data, np.broadcast_to(np.asarray(other, dtype=data.dtype), data.shape))
            )
        except (TypeError, ValueError):
            return False

    def fill(self, value: Any) -> None:
        """Set every element to ``value``."""
        self._data.fill(value)

    def copy(self) -> Self:
        """A copy with its own memory."""
        return type(self)(self._data.copy())

    def transpose(self, axes: SupportsIndex | Sequence[SupportsIndex] | None) -> Self:
        """The axes reordered (a view)."""
        return type(self)(self._data.transpose(axes))  # type: ignore[arg-type]


class BufferPrototype(NamedTuple):
    """The classes a store or codec builds its results from."""

    buffer: type[Buffer]
    nd_buffer: type[NDBuffer]


_DEFAULT_PROTOTYPE = BufferPrototype(buffer=Buffer, nd_buffer=NDBuffer)


# the prototype an array call named (``getitem(..., prototype=...)``), seen by the chunk I/O below it
_CALL_PROTOTYPE: ContextVar[BufferPrototype | None] = ContextVar("zarrnb_call_prototype", default=None)


# set by ``zarrnb.registry`` (a higher layer, which knows the registered classes): the prototype
# the ``buffer``/``ndbuffer`` settings name; until it is imported, no other class can be named
_setting_prototype: Callable[[], BufferPrototype] | None = None


def use_setting_prototype(resolve: Callable[[], BufferPrototype]) -> None:
    """Have :func:`default_buffer_prototype` follow the ``buffer``/``ndbuffer`` settings via ``resolve``."""
    global _setting_prototype
    _setting_prototype = resolve


def default_buffer_prototype() -> BufferPrototype:
    """The prototype used when a caller names none: the one the current array call named, else
    the classes the ``buffer``/``ndbuffer`` settings name (CPU memory and NumPy by default)."""
    named = _CALL_PROTOTYPE.get()
    if named is not None:
        return named
    return _DEFAULT_PROTOTYPE if _setting_prototype is None else _setting_prototype()


@contextmanager
def call_prototype(prototype: BufferPrototype | None) -> Iterator[None]:
    """Within the block (and the tasks it starts), store I/O uses ``prototype``; None changes nothing."""
    if prototype is None:
        yield
        return
    token = _CALL_PROTOTYPE.set(prototype)
    try:
        yield
    finally:
        _CALL_PROTOTYPE.reset(token)


numpy_buffer_prototype = default_buffer_prototype
buffer_prototype = _DEFAULT_PROTOTYPE


def as_numpy_array_wrapper(
    func: Callable[[np.ndarray], bytes], buf: Buffer, prototype: BufferPrototype
) -> Buffer:
    """Run a bytes-to-bytes function on ``buf``'s bytes and wrap its result in ``prototype.buffer``."""
    return prototype.buffer.from_bytes(func(buf.as_numpy_array()))
