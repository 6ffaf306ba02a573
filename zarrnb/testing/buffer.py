"""Custom buffer classes for tests (zarr-python's ``zarr.testing.buffer``): they check that a prototype
asked for is the one used, end to end."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from zarrnb.abc.store import ByteRequest
from zarrnb.core.buffer import Buffer, BufferPrototype, cpu
from zarrnb.storage import MemoryStore

__all__ = ["NDBufferUsingTestNDArrayLike", "StoreExpectingTestBuffer", "TestBuffer", "TestNDArrayLike"]


class TestNDArrayLike(np.ndarray):
    """An ndarray subclass standing in for another library's array type."""

    __test__ = False


class TestBuffer(cpu.Buffer):
    """A Buffer subclass a store can require."""

    __test__ = False
    __slots__ = ()


class NDBufferUsingTestNDArrayLike(cpu.NDBuffer):
    """An NDBuffer whose ``create`` makes ``TestNDArrayLike`` arrays."""

    __slots__ = ()

    @classmethod
    def create(
        cls, *, shape: Iterable[int], dtype: npt.DTypeLike, order: str = "C", fill_value: Any | None = None
    ) -> Self:
        """A ``TestNDArrayLike`` of ``shape``, filled with ``fill_value`` unless it is None."""
        made = cls(TestNDArrayLike(shape=tuple(shape), dtype=dtype, order=order))  # type: ignore[call-overload]
        if fill_value is not None:
            made.fill(fill_value)
        return made


class StoreExpectingTestBuffer(MemoryStore):
    """A MemoryStore that insists on ``TestBuffer`` for everything but metadata (keys with ``json``)."""

    async def set(self, key: str, value: Buffer, byte_range: tuple[int, int] | None = None) -> None:
        if "json" not in key:
            assert isinstance(value, TestBuffer), (
                f"{key!r} was written as {type(value).__name__}, not TestBuffer"
            )
        await super().set(key, value, byte_range)

    async def get(
        self, key: str, prototype: BufferPrototype | None = None, byte_range: ByteRequest | None = None
    ) -> Buffer | None:
        if "json" not in key:
            assert prototype is not None and prototype.buffer is TestBuffer, f"{key!r} read with {prototype}"
        found = await super().get(key, prototype, byte_range)  # type: ignore[arg-type]
        if found is not None and prototype is not None:
            assert isinstance(found, prototype.buffer)
        return found
