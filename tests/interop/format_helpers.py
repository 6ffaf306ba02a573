"""Shared by the format-level interop tests: move chunks between zarrnb's format layer and zarr-python.

zarr-python (3.1.6, test-only) writes into or reads from a plain dict of Buffers; zarrnb's side
uses only ``zarrnb.metadata`` and the codec pipelines, with no engine involved.
"""

from __future__ import annotations

import itertools
import json
import warnings
from typing import Any

import numpy as np
import zarr
from zarr.core.buffer import cpu

from zarrnb.dtype import STRING_DTYPE
from zarrnb.metadata import ArrayMetadata, parse_array_metadata

METADATA_KEYS = ("zarr.json", ".zarray", ".zattrs")


def chunk_regions(metadata: ArrayMetadata):
    """(grid coordinates, array slices, chunk-local slices) of every stored chunk, edges clipped."""
    for coords in itertools.product(*map(range, metadata.grid_shape)):
        array_slices, local = [], []
        for c, size, extent in zip(coords, metadata.chunk_grid_shape, metadata.shape, strict=True):
            stop = min((c + 1) * size, extent)
            array_slices.append(slice(c * size, stop))
            local.append(slice(0, stop - c * size))
        yield coords, tuple(array_slices), tuple(local)


def encode_all(metadata: ArrayMetadata, data: np.ndarray) -> dict[str, bytes]:
    """The documents and every chunk of ``data`` (edge chunks padded with the fill value)."""
    stored = dict(metadata.to_documents())
    for coords, array_slices, local in chunk_regions(metadata):
        chunk = np.full(metadata.chunk_grid_shape, metadata.chunk_fill_value, dtype=metadata.dtype)
        chunk[local] = data[array_slices]
        stored[metadata.chunk_key(coords)] = metadata.codec_pipeline.encode_chunk(chunk)
    return stored


def decode_all(stored: dict[str, bytes]) -> tuple[ArrayMetadata, np.ndarray]:
    """Parse the documents in ``stored`` and decode every chunk (missing ones read as the fill value)."""
    metadata = parse_array_metadata({k: stored.get(k) for k in METADATA_KEYS}, path="")
    out = np.full(metadata.shape, metadata.chunk_fill_value, dtype=metadata.dtype)
    for coords, array_slices, local in chunk_regions(metadata):
        key = metadata.chunk_key(coords)
        if key in stored:
            chunk = metadata.codec_pipeline.decode_chunk(stored[key], metadata.chunk_grid_shape, key=key)
            out[array_slices] = chunk[local]
    return metadata, out


def to_zarr_store(stored: dict[str, bytes]) -> zarr.storage.MemoryStore:
    return zarr.storage.MemoryStore({k: cpu.Buffer.from_bytes(v) for k, v in stored.items()})


def from_zarr_store(store: dict[str, Any]) -> dict[str, bytes]:
    return {k: v.to_bytes() for k, v in store.items()}


def zarr_create(data: np.ndarray | None = None, **kwargs: Any) -> tuple[zarr.Array, dict[str, bytes]]:
    """Create (and fill) an array with zarr-python in a dict; returns it and the stored bytes."""
    backing: dict[str, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        array = zarr.create_array(store=zarr.storage.MemoryStore(backing), **kwargs)
        if data is not None:
            array[...] = data
    return array, from_zarr_store(backing)


def zarr_read(stored: dict[str, bytes]) -> tuple[zarr.Array, np.ndarray]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        array = zarr.open_array(store=to_zarr_store(stored), mode="r")
        return array, array[...]


def documents_json(stored: dict[str, bytes]) -> dict[str, Any]:
    return {k: json.loads(stored[k]) for k in METADATA_KEYS if k in stored}


def assert_same_values(actual: np.ndarray, expected: np.ndarray) -> None:
    """Equal shapes and elements, NaN/NaT matching, strings compared as Python objects."""
    actual, expected = np.asarray(actual), np.asarray(expected)  # 0-d string reads come back as str
    assert actual.shape == expected.shape
    if actual.dtype.kind in "OTU" or expected.dtype.kind in "OTU":
        assert actual.tolist() == expected.tolist()
    elif actual.dtype.fields is not None:
        for name in actual.dtype.names:
            assert_same_values(actual[name], expected[name])
    elif actual.dtype.kind in "fcMm":
        assert np.array_equal(actual, expected, equal_nan=True)
    else:
        assert np.array_equal(actual, expected)


def sample(dtype: np.dtype, shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    """Varied values of ``dtype`` (negatives, extremes, NaN, empty strings) for round trips."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    kind = dtype.kind
    if dtype.fields is not None:
        values = np.empty(n, dtype=dtype)
        for name in dtype.names:
            values[name] = sample(dtype.fields[name][0], (n,), seed + 1)
    elif dtype == STRING_DTYPE:
        values = np.array(
            [["", "a", "héllo", "zarr" * 3][i % 4] + str(i) * (i % 3) for i in range(n)], dtype=dtype
        )
    elif kind == "O":
        values = np.empty(n, dtype=object)
        values[:] = [bytes(range(i % 7)) for i in range(n)]
    elif kind == "b":
        values = rng.integers(0, 2, n).astype(bool)
    elif kind in "iu":
        info = np.iinfo(dtype)
        values = rng.integers(info.min, info.max, n, dtype=dtype.newbyteorder("="), endpoint=True)
        values[: min(n, 2)] = [info.min, info.max][: min(n, 2)]
    elif kind in "fc":
        values = (rng.standard_normal(n) * 100).astype(dtype)
        if kind == "c":
            values = values + 1j * rng.standard_normal(n).astype(dtype)
        values[: min(n, 3)] = [np.nan, np.inf, -np.inf][: min(n, 3)]
    elif kind in "Mm":
        values = rng.integers(-(10**9), 10**9, n).astype("i8").view(dtype)
        values[:1] = np.array("NaT", dtype=dtype)
    elif kind == "U":
        values = np.array([("αβ" + str(i))[: dtype.itemsize // 4] for i in range(n)], dtype=dtype)
    elif kind == "S":
        values = np.array([bytes([65 + i % 26]) * (i % (dtype.itemsize + 1)) for i in range(n)], dtype=dtype)
    elif kind == "V":
        values = np.frombuffer(rng.bytes(n * dtype.itemsize), dtype=dtype).copy()
    else:
        raise TypeError(dtype)
    return values.astype(dtype).reshape(shape)
