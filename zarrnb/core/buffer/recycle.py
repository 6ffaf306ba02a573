"""Big read results in private mappings that are reused once freed: warm pages, no faults.

A read result of ``MIN_BYTES`` or more gets its own anonymous private mapping (4 KiB pages), not
NumPy's heap memory. malloc maps arrays this big freshly anyway (32 MiB is glibc's largest heap
threshold; a dask worker's ``MALLOC_TRIM_THRESHOLD_`` makes it 128 KiB), and NumPy advises the
kernel to back them with transparent huge pages, whose first touch stalls in memory compaction on
a host short of free 2 MiB blocks: in a dask worker reading 64 MiB zstd chunks that was ~40% of
its time. A fresh mapping still costs a fault and a zeroed page per 4 KiB on first touch (~30 ms
of kernel time per 64 MiB, a quarter of reading a zstd chunk), so when the last array over a
mapping is freed the mapping goes back to a small pool (at most ``POOL_BYTES``), and the next
result of the same size reuses it, its pages already present. A dask worker reading equal chunks
one after another then touches the same memory each time. Like ``numpy.empty``, a result starts
with whatever the memory held; readers write every element.
"""

from __future__ import annotations

import mmap
import os
import threading
from typing import Any

import numpy as np

__all__ = ["MIN_BYTES", "POOL_BYTES", "is_recycled", "pooled_bytes", "recycled_array"]

# Results from this size up get a mapping of their own; smaller ones stay on NumPy's heap, where
# freed memory is reused warm by malloc.
MIN_BYTES = 1 << 25
# Freed mappings kept for reuse, at most this many bytes in all (four 64 MiB dask chunks); a
# mapping bigger than this is unmapped when freed.
POOL_BYTES = 1 << 28

# reentrant: a collection run while the lock is held may free an owner in the same thread
_lock = threading.RLock()
_free: list[tuple[int, mmap.mmap, int]] = []  # (size, mapping, address), oldest first
_kept = [0]  # bytes in _free


def _after_fork() -> None:
    """A fork copies the lock as it was (perhaps held by a thread the child lacks): start afresh."""
    global _lock
    _lock = threading.RLock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


class _Owner:
    """The base of every array over one mapping; when the last such array goes, so does the
    owner, and its ``__del__`` hands the mapping back to the pool."""

    __slots__ = ("__array_interface__", "_address", "_mapping", "_size")

    def __init__(self, mapping: mmap.mmap, address: int, size: int) -> None:
        self._mapping, self._address, self._size = mapping, address, size
        self.__array_interface__ = {
            "shape": (size,),
            "typestr": "|u1",
            "data": (address, False),
            "version": 3,
        }

    def __del__(self) -> None:
        _give_back(self._size, self._mapping, self._address)


def _take(size: int) -> tuple[mmap.mmap, int]:
    """A freed mapping of ``size`` bytes (the most recently freed: its pages are the warmest), or
    a new one."""
    with _lock:
        for i in range(len(_free) - 1, -1, -1):
            if _free[i][0] == size:
                _, mapping, address = _free.pop(i)
                _kept[0] -= size
                return mapping, address
    flags = {"flags": mmap.MAP_PRIVATE} if hasattr(mmap, "MAP_PRIVATE") else {}
    mapping = mmap.mmap(-1, size, **flags)
    probe = np.frombuffer(mapping, dtype=np.uint8)  # only to learn the address; released at once
    address = probe.ctypes.data
    del probe
    return mapping, address


def _give_back(size: int, mapping: mmap.mmap, address: int) -> None:
    """Keep a freed mapping for reuse, dropping (unmapping) the oldest kept ones past ``POOL_BYTES``."""
    if size > POOL_BYTES:
        return
    with _lock:
        _free.append((size, mapping, address))
        _kept[0] += size
        while _kept[0] > POOL_BYTES:
            _kept[0] -= _free.pop(0)[0]


def pooled_bytes() -> int:
    """Bytes of freed mappings kept for reuse now."""
    return _kept[0]


def is_recycled(base: object) -> bool:
    """Whether ``base`` (an array's ultimate ``.base``) is the owner of a recycled mapping."""
    return isinstance(base, _Owner)


def recycled_array(shape: tuple[int, ...], dtype: np.dtype, order: str) -> np.ndarray:
    """An uninitialized array of ``shape`` over a private mapping, a freed one of the same size
    when the pool has it. Raises ``OSError`` when the memory cannot be mapped."""
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    size = max(-(-nbytes // mmap.PAGESIZE) * mmap.PAGESIZE, mmap.PAGESIZE)
    mapping, address = _take(size)
    raw: Any = np.asarray(_Owner(mapping, address, size))  # its base is the owner
    return raw[:nbytes].view(dtype).reshape(shape, order=order)  # type: ignore[no-any-return]
