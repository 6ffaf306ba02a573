"""Buffer and NDBuffer: wrapping without copies, and the prototype API."""

from __future__ import annotations

import pickle
import threading

import numpy as np
import pytest

from zarrnb.core.buffer import Buffer, BufferPrototype, NDBuffer, default_buffer_prototype, thread_scratch


@pytest.mark.parametrize("make", [bytes, bytearray, memoryview, lambda b: np.frombuffer(b, np.uint8)])
def test_wraps_bytes_like(make: object) -> None:
    data = make(b"abcdef")  # type: ignore[operator]
    buf = Buffer(data)
    assert len(buf) == 6
    assert buf.to_bytes() == b"abcdef"
    view = buf.as_numpy_array()
    assert view.dtype == np.uint8 and view.ndim == 1


def test_no_copy_of_arrays() -> None:
    data = np.arange(10, dtype=np.uint8)
    buf = Buffer.from_array_like(data)
    assert np.shares_memory(buf.as_numpy_array(), data)
    data[0] = 99
    assert buf.to_bytes()[0] == 99


def test_no_copy_of_bytearray() -> None:
    raw = bytearray(b"xyz")
    buf = Buffer.from_bytes(raw)
    raw[0] = ord("Q")
    assert buf.to_bytes() == b"Qyz"


def test_multibyte_array_is_seen_as_its_bytes() -> None:
    data = np.array([1, 2], dtype="<u4")
    buf = Buffer(data)
    assert len(buf) == 8
    assert buf.to_bytes() == data.tobytes()
    assert np.shares_memory(buf.as_numpy_array(), data)


def test_refuses_non_bytes() -> None:
    with pytest.raises(TypeError, match="str"):
        Buffer("text")  # type: ignore[arg-type]


def test_slicing_combining_and_equality() -> None:
    buf = Buffer.from_bytes(b"0123456789")
    assert buf[2:5].to_bytes() == b"234"
    assert (buf[:2] + buf[8:]).to_bytes() == b"0189"
    assert buf.combine([Buffer.from_bytes(b"ab")]).to_bytes() == b"0123456789ab"
    assert buf == Buffer.from_bytes(b"0123456789")
    assert buf != Buffer.from_bytes(b"012345678")
    assert len(Buffer.create_zero_length()) == 0
    assert bytes(buf.as_buffer_like()) == b"0123456789"


def test_pickles() -> None:
    buf = Buffer.from_bytes(b"payload")
    assert pickle.loads(pickle.dumps(buf)) == buf


def test_prototype() -> None:
    proto = default_buffer_prototype()
    assert isinstance(proto, BufferPrototype)
    assert proto.buffer is Buffer and proto.nd_buffer is NDBuffer
    assert proto.buffer.from_bytes(b"x").to_bytes() == b"x"


def test_ndbuffer() -> None:
    nd = NDBuffer.create(shape=(2, 3), dtype="f4", fill_value=1.5)
    assert nd.shape == (2, 3) and nd.dtype == np.float32
    assert np.all(nd.as_numpy_array() == 1.5)
    nd[0] = 0
    assert nd[0].as_numpy_array().tolist() == [0, 0, 0]
    data = np.ones(4)
    assert NDBuffer.from_numpy_array(data).as_numpy_array() is data
    assert NDBuffer.empty((3,), "i2").shape == (3,)


def test_thread_scratch_is_reused_grown_and_kept_apart(monkeypatch) -> None:
    monkeypatch.setattr("zarrnb.core.buffer.SCRATCH_MAX", 64)
    monkeypatch.setattr("zarrnb.core.buffer._scratch", threading.local())  # this thread starts afresh
    small = thread_scratch("a", 10)
    small[:] = 7
    again = thread_scratch("a", 8)
    assert again.nbytes == 8 and np.shares_memory(small, again)
    assert not np.shares_memory(thread_scratch("b", 8), again)  # slots never share
    grown = thread_scratch("a", 40)
    assert grown.nbytes == 40 and not np.shares_memory(grown, small)
    assert (small == 7).all()  # the old array stays intact for views still using it
    huge = thread_scratch("a", 100)
    assert huge.nbytes == 100 and np.shares_memory(thread_scratch("a", 40), grown)
    other: list[np.ndarray] = []
    worker = threading.Thread(target=lambda: other.append(thread_scratch("a", 40)))
    worker.start()
    worker.join()
    assert not np.shares_memory(other[0], grown)  # one per thread


def test_from_ndarray_like_keeps_the_array_type_as_zarr_python() -> None:
    """``NDBuffer.from_ndarray_like(ndarray_like)`` wraps an ndarray subclass as it is (no copy)."""
    from zarr.core.buffer.cpu import NDBuffer as TheirNDBuffer
    from zarr.testing.buffer import TestNDArrayLike

    data = np.arange(4).view(TestNDArrayLike)
    ours = NDBuffer.from_ndarray_like(ndarray_like=data).as_ndarray_like()
    theirs = TheirNDBuffer.from_ndarray_like(ndarray_like=data).as_ndarray_like()
    assert type(ours) is type(theirs) is TestNDArrayLike
    assert np.shares_memory(ours, data)
