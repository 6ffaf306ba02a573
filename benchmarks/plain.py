"""The plain-Python limit: the same chunk bytes and codec calls with no Zarr machinery around them.

Chunks are stored under the keys Zarr uses (``c/0/1`` in v3, ``0.1`` in v2) and encoded exactly as Zarr does
(raw little-endian bytes, then the numcodecs compressor; shards as inner chunks followed by a
``(offset, nbytes)`` index and its crc32c), so this limit can also read data zarr-python wrote.
Codec work runs in a thread pool of ``os.cpu_count()`` workers, as a fast engine would.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import crc32c
import numpy as np

from benchmarks.libraries import NotApplicable
from benchmarks.spec import ArraySpec


class MemoryKV:
    """A dict of bytes."""

    def __init__(self) -> None:
        self.items: dict[str, bytes] = {}

    def get(self, key: str, start: int = 0, length: int | None = None) -> memoryview:
        data = memoryview(self.items[key])
        return data[start:] if length is None else data[start : start + length]

    def get_suffix(self, key: str, length: int) -> memoryview:
        return memoryview(self.items[key])[-length:]

    def set(self, key: str, value: bytes) -> None:
        self.items[key] = value


class FileKV:
    """Plain files under a directory; reads open, seek and read."""

    def __init__(self, root: str) -> None:
        self.root = Path(root)

    def get(self, key: str, start: int = 0, length: int | None = None) -> bytes:
        with open(self.root / key, "rb") as f:
            if start:
                f.seek(start)
            return f.read() if length is None else f.read(length)

    def get_suffix(self, key: str, length: int) -> bytes:
        with open(self.root / key, "rb") as f:
            f.seek(-length, os.SEEK_END)
            return f.read()

    def set(self, key: str, value: bytes) -> None:
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(value)


def grid_indices(shape: tuple[int, ...], block: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
    """Every block index of ``shape`` cut into ``block``-sized pieces, in C order."""
    return itertools.product(*(range(s // n) for s, n in zip(shape, block, strict=True)))


def block_region(index: tuple[int, ...], block: tuple[int, ...]) -> tuple[slice, ...]:
    """The slice of the whole array that block ``index`` covers."""
    return tuple(slice(i * n, (i + 1) * n) for i, n in zip(index, block, strict=True))


@dataclass
class PlainArray:
    spec: ArraySpec
    kv: MemoryKV | FileKV

    @property
    def grid(self) -> tuple[int, ...]:
        return self.spec.shards or self.spec.chunks

    def key(self, index: tuple[int, ...]) -> str:
        if self.spec.zarr_format == 2:
            return ".".join(map(str, index))
        return "c/" + "/".join(map(str, index))


class PlainLimit:
    """Library-shaped wrapper so the plain limit runs the same workloads as the real libraries."""

    name = "plain"

    def __init__(self) -> None:
        self.workers = os.cpu_count() or 1
        self.pool = ThreadPoolExecutor(self.workers)

    def _parallel(self, work: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
        """Run ``work`` over ``items`` in one batch per worker: a thread hop per batch, not per chunk."""
        items = list(items)
        size = -(-len(items) // self.workers) or 1
        batches = [items[i : i + size] for i in range(0, len(items), size)]
        done = self.pool.map(lambda batch: [work(item) for item in batch], batches)
        return [result for batch in done for result in batch]

    def create(self, spec: ArraySpec, where: str | None) -> PlainArray:
        if where is not None:
            shutil.rmtree(where, ignore_errors=True)
            os.makedirs(where)
        return PlainArray(spec, MemoryKV() if where is None else FileKV(where))

    def open(self, spec: ArraySpec, where: str) -> PlainArray:
        return PlainArray(spec, FileKV(where))

    # --- chunk codec -------------------------------------------------------------------------------
    def _encode(self, spec: ArraySpec, block: np.ndarray) -> bytes:
        raw = np.ascontiguousarray(block)
        codec = spec.numcodec()
        return raw.tobytes() if codec is None else bytes(codec.encode(raw))

    def _decode(self, spec: ArraySpec, data: Any, shape: tuple[int, ...]) -> np.ndarray:
        codec = spec.numcodec()
        raw = data if codec is None else codec.decode(data)
        return np.frombuffer(raw, dtype=spec.dtype).reshape(shape)

    def _encode_shard(self, spec: ArraySpec, shard: np.ndarray) -> bytes:
        assert spec.shards is not None
        parts, index, offset = [], [], 0
        for i in grid_indices(spec.shards, spec.chunks):
            encoded = self._encode(spec, shard[block_region(i, spec.chunks)])
            parts.append(encoded)
            index.append((offset, len(encoded)))
            offset += len(encoded)
        index_bytes = np.asarray(index, dtype="<u8").tobytes()
        return b"".join([*parts, index_bytes, crc32c.crc32c(index_bytes).to_bytes(4, "little")])

    def _shard_index(self, spec: ArraySpec, index_bytes: Any) -> np.ndarray:
        assert spec.shards is not None
        per_shard = tuple(s // c for s, c in zip(spec.shards, spec.chunks, strict=True))
        return np.frombuffer(index_bytes, dtype="<u8", count=2 * int(np.prod(per_shard))).reshape(
            *per_shard, 2
        )

    def _index_nbytes(self, spec: ArraySpec) -> int:
        assert spec.shards is not None
        return 16 * int(np.prod([s // c for s, c in zip(spec.shards, spec.chunks, strict=True)])) + 4

    def _decode_outer(self, arr: PlainArray, index: tuple[int, ...]) -> np.ndarray:
        spec = arr.spec
        data = arr.kv.get(arr.key(index))
        if spec.shards is None:
            return self._decode(spec, data, spec.chunks)
        shard = np.empty(spec.shards, dtype=spec.dtype)
        table = self._shard_index(spec, memoryview(data)[-self._index_nbytes(spec) :])
        for i in grid_indices(spec.shards, spec.chunks):
            offset, nbytes = (int(v) for v in table[i])
            shard[block_region(i, spec.chunks)] = self._decode(
                spec, data[offset : offset + nbytes], spec.chunks
            )
        return shard

    # --- the library interface --------------------------------------------------------------------
    def write(self, arr: PlainArray, data: np.ndarray) -> None:
        spec = arr.spec
        encode = self._encode if spec.shards is None else self._encode_shard

        def one(index: tuple[int, ...]) -> None:
            arr.kv.set(arr.key(index), encode(spec, data[block_region(index, arr.grid)]))

        self._parallel(one, grid_indices(spec.shape, arr.grid))

    def read_into(self, arr: PlainArray, out: np.ndarray) -> None:
        self.read(arr, out=out)

    def open_listed(self, where: str) -> list[str]:
        raise NotApplicable("the plain limit has no hierarchies")

    def copy(self, arr: PlainArray, where: str) -> None:
        raise NotApplicable("the plain limit has no copy")

    def read(
        self, arr: PlainArray, selection: tuple[slice, ...] | None = None, out: np.ndarray | None = None
    ) -> np.ndarray:
        spec = arr.spec
        selection = selection or tuple(slice(0, n) for n in spec.shape)
        if out is None:
            out = np.empty([s.stop - s.start for s in selection], dtype=spec.dtype)
        ranges = [
            range(s.start // n, (s.stop - 1) // n + 1) for s, n in zip(selection, arr.grid, strict=True)
        ]

        def one(index: tuple[int, ...]) -> None:
            block = self._decode_outer(arr, index)
            src, dst = [], []
            for i, s, n in zip(index, selection, arr.grid, strict=True):
                lo, hi = max(s.start, i * n), min(s.stop, (i + 1) * n)
                src.append(slice(lo - i * n, hi - i * n))
                dst.append(slice(lo - s.start, hi - s.start))
            out[tuple(dst)] = block[tuple(src)]

        self._parallel(one, itertools.product(*ranges))
        return out

    def _read_point(self, arr: PlainArray, point: tuple[int, ...]) -> Any:
        spec = arr.spec
        outer = tuple(p // n for p, n in zip(point, arr.grid, strict=True))
        if spec.shards is None:
            chunk = self._decode(spec, arr.kv.get(arr.key(outer)), spec.chunks)
            return chunk[tuple(p % n for p, n in zip(point, spec.chunks, strict=True))]
        key = arr.key(outer)
        table = self._shard_index(spec, arr.kv.get_suffix(key, self._index_nbytes(spec)))
        within = tuple(p % n for p, n in zip(point, spec.shards, strict=True))
        offset, nbytes = (
            int(v) for v in table[tuple(w // c for w, c in zip(within, spec.chunks, strict=True))]
        )
        chunk = self._decode(spec, arr.kv.get(key, offset, nbytes), spec.chunks)
        return chunk[tuple(w % c for w, c in zip(within, spec.chunks, strict=True))]

    def read_points(self, arr: PlainArray, points: list[tuple[int, ...]]) -> list[Any]:
        return [self._read_point(arr, p) for p in points]

    def read_vindex(self, arr: PlainArray, coords: tuple[np.ndarray, ...]) -> np.ndarray:
        """Group the points by stored object so each shard index and each chunk is read and decoded once."""
        spec = arr.spec
        out = np.empty(len(coords[0]), dtype=spec.dtype)
        by_outer: dict[tuple[int, ...], list[int]] = {}
        for n, point in enumerate(zip(*(c.tolist() for c in coords), strict=True)):
            by_outer.setdefault(tuple(p // g for p, g in zip(point, arr.grid, strict=True)), []).append(n)

        def one(item: tuple[tuple[int, ...], list[int]]) -> None:
            outer, which = item
            within = [tuple(int(c[n]) % g for c, g in zip(coords, arr.grid, strict=True)) for n in which]
            if spec.shards is None:
                chunk = self._decode(spec, arr.kv.get(arr.key(outer)), spec.chunks)
                out[which] = [chunk[w] for w in within]
                return
            key = arr.key(outer)
            table = self._shard_index(spec, arr.kv.get_suffix(key, self._index_nbytes(spec)))
            decoded: dict[tuple[int, ...], np.ndarray] = {}
            for n, w in zip(which, within, strict=True):
                inner = tuple(x // c for x, c in zip(w, spec.chunks, strict=True))
                if inner not in decoded:
                    offset, nbytes = (int(v) for v in table[inner])
                    decoded[inner] = self._decode(spec, arr.kv.get(key, offset, nbytes), spec.chunks)
                out[n] = decoded[inner][tuple(x % c for x, c in zip(w, spec.chunks, strict=True))]

        self._parallel(one, by_outer.items())
        return out
