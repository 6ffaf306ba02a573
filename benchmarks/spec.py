"""What one benchmark array is: shape, chunking and codec, spelled once for every library."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numcodecs
import numpy as np

CODECS = ("raw", "zstd1", "blosc-lz4")


@dataclass(frozen=True)
class ArraySpec:
    """A float32 array layout; ``shards`` set means 16 MiB shards of ``chunks``-sized inner chunks."""

    shape: tuple[int, ...]
    chunks: tuple[int, ...]
    codec: str = "raw"
    shards: tuple[int, ...] | None = None
    zarr_format: int = 3
    dtype: str = "float32"

    def __post_init__(self) -> None:
        if self.codec not in CODECS:
            raise ValueError(f"unknown benchmark codec {self.codec!r}; known: {CODECS}")
        outer = self.shards or self.chunks
        if any(s % c for s, c in zip(self.shape, outer, strict=True)):
            raise ValueError(f"shape {self.shape} must divide by {outer} to keep the plain limit simple")

    @property
    def nbytes(self) -> int:
        return int(np.prod(self.shape)) * np.dtype(self.dtype).itemsize

    def numcodec(self) -> numcodecs.abc.Codec | None:
        """The numcodecs compressor that encodes one (inner) chunk, or None for raw bytes."""
        if self.codec == "zstd1":
            return numcodecs.Zstd(level=1)
        if self.codec == "blosc-lz4":
            return numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE)
        return None

    def v3_compressors(self) -> list[dict[str, Any]]:
        """Zarr v3 codec documents after the ``bytes`` serializer."""
        if self.codec == "zstd1":
            return [{"name": "zstd", "configuration": {"level": 1, "checksum": False}}]
        if self.codec == "blosc-lz4":
            config = {"cname": "lz4", "clevel": 5, "shuffle": "shuffle", "typesize": 4, "blocksize": 0}
            return [{"name": "blosc", "configuration": config}]
        return []

    def create_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``create_array`` of the zarr-python 3 API (zarrnb and zarr-python)."""
        kwargs: dict[str, Any] = {
            "shape": self.shape,
            "dtype": self.dtype,
            "chunks": self.chunks,
            "shards": self.shards,
            "fill_value": 0,
            "zarr_format": self.zarr_format,
        }
        if self.zarr_format == 2:
            kwargs["compressors"] = self.numcodec()
            kwargs["filters"] = None
        else:
            kwargs["compressors"] = self.v3_compressors() or None
            kwargs["filters"] = None
        return kwargs

    def v3_metadata(self) -> dict[str, Any]:
        """The ``zarr.json`` fields tensorstore's ``zarr3`` driver needs to create the same array."""
        inner = [{"name": "bytes", "configuration": {"endian": "little"}}, *self.v3_compressors()]
        grid = self.shards or self.chunks
        if self.shards:
            index = [{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}]
            codecs = [
                {
                    "name": "sharding_indexed",
                    "configuration": {
                        "chunk_shape": list(self.chunks),
                        "codecs": inner,
                        "index_codecs": index,
                        "index_location": "end",
                    },
                }
            ]
        else:
            codecs = inner
        return {
            "shape": list(self.shape),
            "data_type": self.dtype,
            "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": list(grid)}},
            "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
            "codecs": codecs,
            "fill_value": 0,
        }


def smooth_data(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    """Deterministic smooth float32 field (a sum of sines), the kind of data compressors see in practice."""
    axes = np.meshgrid(
        *[np.linspace(0, 6.0 + seed, n, dtype=np.float32) for n in shape], indexing="ij", sparse=True
    )
    field = sum(np.sin(a * (i + 1)) for i, a in enumerate(axes))
    return np.ascontiguousarray(np.broadcast_to(field, shape), dtype=np.float32)
