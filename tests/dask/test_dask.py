"""zarrnb arrays under dask's local schedulers: from_array, store, tokens, the helpers, lost writes."""

from __future__ import annotations

import multiprocessing
import pickle
from pathlib import Path

import dask
import dask.array as da
import numpy as np
import pytest
from dask.base import tokenize

import zarrnb
from zarrnb.dask import _aligned, from_zarrnb, to_zarrnb
from zarrnb.storage import MemoryStore


def _filled(path: Path | MemoryStore, **kwargs: object) -> zarrnb.Array:
    array = zarrnb.create_array(path, shape=(60, 45), chunks=(20, 15), dtype="f4", **kwargs)
    array[...] = np.arange(60 * 45, dtype="f4").reshape(60, 45)
    return array


def test_from_array_and_store_work_as_they_are(tmp_path: Path) -> None:
    source = _filled(tmp_path / "a.zarr")
    x = da.from_array(source, chunks=source.chunks)
    assert x.chunks == ((20, 20, 20), (15, 15, 15))
    with dask.config.set(scheduler="threads"):
        assert float(x.mean().compute()) == pytest.approx(np.arange(2700).mean())
        target = zarrnb.create_array(tmp_path / "b.zarr", shape=x.shape, chunks=(20, 15), dtype="f4")
        da.store(x[::-1] * 2, target, lock=False)
    np.testing.assert_array_equal(target[...], source[...][::-1] * 2)


def test_tokens_are_deterministic_and_tell_arrays_apart(tmp_path: Path) -> None:
    first = _filled(tmp_path / "a.zarr")
    again = zarrnb.open_array(str(tmp_path / "a.zarr"), mode="r")
    other = _filled(tmp_path / "b.zarr")
    assert tokenize(first) == tokenize(again) == tokenize(pickle.loads(pickle.dumps(first)))
    assert tokenize(first) != tokenize(other)
    assert from_zarrnb(first).name == from_zarrnb(str(tmp_path / "a.zarr")).name
    assert from_zarrnb(first).name != from_zarrnb(first, chunks=(30, 45)).name


def test_from_zarrnb_opens_urls_and_groups(tmp_path: Path) -> None:
    group = zarrnb.open_group(str(tmp_path / "g.zarr"), mode="w")
    array = group.create_array("v", shape=(10, 4), chunks=(3, 4), dtype="i2")
    array[...] = np.arange(40, dtype="i2").reshape(10, 4)
    x = from_zarrnb(str(tmp_path / "g.zarr"), component="v")
    assert x.chunks == ((3, 3, 3, 1), (4,))
    np.testing.assert_array_equal(x.compute(scheduler="sync"), array[...])
    with pytest.raises(ValueError, match="component"):
        from_zarrnb(array, component="v")


def test_to_zarrnb_creates_and_aligns_blocks_to_stored_chunks(tmp_path: Path) -> None:
    data = np.random.default_rng(1).random((50, 30))
    x = da.from_array(data, chunks=(7, 30))
    to_zarrnb(x, str(tmp_path / "new.zarr"), chunks=(10, 30), shards=(20, 30))
    written = zarrnb.open_array(str(tmp_path / "new.zarr"), mode="r")
    assert written.shards == (20, 30)
    np.testing.assert_array_equal(written[...], data)
    target = zarrnb.create_array(tmp_path / "region.zarr", shape=(50, 30), chunks=(5, 30), dtype="f8")
    to_zarrnb(x[:23], target, region=(slice(10, 33), slice(None)))
    np.testing.assert_array_equal(target[10:33], data[:23])
    assert np.all(target[:10] == 0) and np.all(target[33:] == 0)


def test_alignment_never_splits_a_stored_chunk() -> None:
    x = da.zeros((50,), chunks=7)
    assert _aligned(x, (10,), (0,)).chunks == ((10, 10, 10, 10, 10),)
    assert _aligned(x, (5,), (3,)).chunks == ((2, 5, 5, 5, 5, 5, 5, 5, 5, 5, 3),)
    already = da.zeros((50,), chunks=20)
    assert _aligned(already, (10,), (0,)) is already


def _write_in_child(payload: bytes) -> str:
    array = pickle.loads(payload)
    try:
        array[0, 0] = 1.0
    except RuntimeError as error:
        return str(error)
    return "written"


def test_a_memory_store_copied_into_another_process_refuses_writes() -> None:
    array = _filled(MemoryStore())
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        message = pool.apply(_write_in_child, (pickle.dumps(array),))
    assert "copied into process" in message and "would be lost" in message
    array[0, 0] = 5.0  # the owning process still writes
    assert array[0, 0] == 5.0
