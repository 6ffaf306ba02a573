"""Small test helpers (zarr-python's ``zarr.testing.utils``): byte comparison and GPU test marks."""

from __future__ import annotations

import importlib.util
from typing import Any, TypeVar, cast

import pytest

from zarrnb.core.buffer import Buffer

__all__ = ["assert_bytes_equal", "gpu_mark", "gpu_test", "has_cupy", "skip_if_no_gpu"]

T = TypeVar("T")


def assert_bytes_equal(b1: Buffer | Any | None, b2: Buffer | Any | None) -> None:
    """Assert two Buffers or bytes-like objects hold the same bytes (copies; for tests only)."""
    if isinstance(b1, Buffer):
        b1 = b1.to_bytes()
    if isinstance(b2, Buffer):
        b2 = b2.to_bytes()
    assert b1 == b2


def has_cupy() -> bool:
    """True when cupy is installed and sees a GPU."""
    if importlib.util.find_spec("cupy") is None:
        return False
    import cupy

    try:
        return bool(cupy.cuda.runtime.getDeviceCount() > 0)
    except cupy.cuda.runtime.CUDARuntimeError:
        return False


gpu_mark = pytest.mark.gpu
skip_if_no_gpu = pytest.mark.skipif(not has_cupy(), reason="CuPy not installed or no GPU available")


def gpu_test(func: T) -> T:
    """Mark a test as needing a GPU, skipped where cupy or a device is missing."""
    return cast(T, gpu_mark(skip_if_no_gpu(func)))
