"""The workloads (a)-(g) of issue 3, each an array layout plus the operations timed on it.

Full sizes follow the issue; ``quick`` sizes keep the same chunking ideas at a few MiB for smoke runs.
(f) is not part of the issue's list.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from benchmarks.spec import ArraySpec

OPERATIONS = ("write", "read", "windows", "points", "vindex")
# a local write of at least this many chunk files goes to a fresh folder each repeat (see ``run_workload``)
MANY_FILES = 1000


@dataclass(frozen=True)
class Workload:
    """One array and the operations timed on it, in order.

    ``written_by_reference`` arrays are written once by zarr-python and only read by every library.
    """

    id: str
    spec: ArraySpec
    store: str  # "memory" or "local"
    ops: tuple[str, ...]
    written_by_reference: bool = False
    npoints: int = 0
    nwindows: int = 0
    window: int = 0

    def points(self) -> tuple[np.ndarray, ...]:
        """Deterministic random element coordinates for the single-element rows."""
        rng = np.random.default_rng(1)
        return tuple(rng.integers(0, n, size=self.npoints) for n in self.spec.shape)

    def windows(self) -> list[tuple[slice, ...]]:
        """Deterministic random square windows for the window row."""
        rng = np.random.default_rng(2)
        starts = [rng.integers(0, n - self.window + 1, size=self.nwindows) for n in self.spec.shape]
        return [
            tuple(slice(int(s[i]), int(s[i]) + self.window) for s in starts) for i in range(self.nwindows)
        ]

    @property
    def many_files(self) -> bool:
        """Whether a local write creates thousands of chunk files (a fresh folder per repeat)."""
        grid = self.spec.shards or self.spec.chunks
        files = int(np.prod([-(-n // c) for n, c in zip(self.spec.shape, grid, strict=True)]))
        return self.store == "local" and files >= MANY_FILES

    def row_bytes(self, op: str) -> int:
        """Bytes of array data one timed operation moves, for the size column."""
        itemsize = np.dtype(self.spec.dtype).itemsize
        if op == "windows":
            return self.nwindows * self.window ** len(self.spec.shape) * itemsize
        if op in ("points", "vindex"):
            return self.npoints * itemsize
        return self.spec.nbytes


def workloads(quick: bool = False) -> list[Workload]:
    """All workloads at full or quick size."""
    big = (1024, 1024) if quick else (8192, 8192)  # 4 MiB or 256 MiB of float32
    mib_chunk = (512, 512)  # 1 MiB
    small = (512, 512) if quick else (2048, 2048)  # 1 MiB or 16 MiB
    kib4_chunk = (32, 32)  # 4 KiB
    shard = (512, 512) if quick else (2048, 2048)  # 1 MiB or 16 MiB shards
    inner = (128, 128)  # 64 KiB inner chunks
    npoints = 100 if quick else 1000
    huge = (2048, 2048) if quick else (16384, 16384)
    found = [
        Workload("a-memory", ArraySpec(big, mib_chunk), "memory", ("write", "read")),
        Workload("a-local", ArraySpec(big, mib_chunk), "local", ("write", "read")),
        Workload("b-zstd1", ArraySpec(big, mib_chunk, "zstd1"), "local", ("write", "read")),
        Workload("b-blosc", ArraySpec(big, mib_chunk, "blosc-lz4"), "local", ("write", "read")),
        Workload("c-memory", ArraySpec(small, kib4_chunk), "memory", ("write", "read")),
        Workload("c-local", ArraySpec(small, kib4_chunk), "local", ("write", "read")),
    ]
    for codec, label in (("raw", "d-raw"), ("zstd1", "d-zstd")):
        spec = ArraySpec(big, inner, codec, shards=shard)
        found.append(Workload(label, spec, "local", ("write", "read", "points", "vindex"), npoints=npoints))
    # single elements and vindex through the sync API: the per-call cost, memory and local
    for store in ("memory", "local"):
        spec = ArraySpec(small, (64, 64))
        found.append(Workload(f"h-{store}", spec, store, ("write", "points", "vindex"), npoints=npoints))
    found.append(
        Workload(
            "e-windows",
            ArraySpec(huge, mib_chunk, "zstd1"),
            "local",
            ("windows",),
            written_by_reference=True,
            nwindows=20 if quick else 200,
            window=256,
        )
    )
    found.append(
        Workload(
            "g-v2-blosc",
            ArraySpec(big, mib_chunk, "blosc-lz4", zarr_format=2),
            "local",
            ("read",),
            written_by_reference=True,
        )
    )
    return found
