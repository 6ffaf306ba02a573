"""Points (``vindex``) on sharded arrays: grouped by shard and inner chunk, each shard's index read
once, raw inner chunks with one point read as that point's bytes alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import zarrnb
from zarrnb.storage import LocalStore, MemoryStore

SHAPE, SHARDS, CHUNKS = (40, 36), (16, 12), (4, 3)
ZSTD = [{"name": "zstd", "configuration": {"level": 1, "checksum": False}}]


def _array(store: Any, compressors: Any, index_location: str = "end") -> tuple[Any, np.ndarray]:
    array = zarrnb.create_array(
        store, shape=SHAPE, dtype="f4", chunks=CHUNKS, fill_value=-1, compressors=compressors,
        shards={"shape": SHARDS, "index_location": index_location},
    )  # fmt: skip
    data = np.arange(np.prod(SHAPE), dtype="f4").reshape(SHAPE)
    data[:4, :3] = -1  # an inner chunk of fill values: not stored
    array[:32] = data[:32]  # the last row of shards stays missing
    expected = data.copy()
    expected[32:] = -1
    return array, expected


@pytest.fixture(params=["memory", "local"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    return MemoryStore() if request.param == "memory" else LocalStore(str(tmp_path / "a.zarr"))


@pytest.mark.parametrize("compressors", [None, ZSTD], ids=["raw", "zstd"])
@pytest.mark.parametrize("index_location", ["start", "end"])
def test_random_points_match_numpy(store: Any, compressors: Any, index_location: str) -> None:
    array, expected = _array(store, compressors, index_location)
    rng = np.random.default_rng(0)
    for n in (1, 7, 40, 300):  # few points per inner chunk, then several (whole chunks read)
        points = (rng.integers(-40, 40, n), rng.integers(0, 36, n))
        got = array.vindex[points]
        np.testing.assert_array_equal(got, expected[points])
        assert got.dtype == expected.dtype


@pytest.mark.parametrize("compressors", [None, ZSTD], ids=["raw", "zstd"])
def test_missing_inner_chunks_and_shards_read_the_fill_value(store: Any, compressors: Any) -> None:
    array, expected = _array(store, compressors)
    points = (np.array([0, 3, 39, 35, 5, 0]), np.array([0, 2, 35, 1, 5, 35]))
    np.testing.assert_array_equal(array.vindex[points], [-1, -1, -1, -1, expected[5, 5], expected[0, 35]])


def test_broadcast_shapes_mask_and_dense_points(store: Any) -> None:
    array, expected = _array(store, None)
    rows, cols = np.ix_(np.arange(0, 40, 5), np.arange(1, 36, 7))
    np.testing.assert_array_equal(array.vindex[rows, cols], expected[rows, cols])
    mask = np.zeros(SHAPE, dtype=bool)
    mask[::3, ::4] = True
    np.testing.assert_array_equal(array.vindex[mask], expected[mask])
    every = np.nonzero(np.ones(SHAPE, dtype=bool))  # shards covered: the general path
    np.testing.assert_array_equal(array.vindex[every], expected[every])
    empty = (np.array([], dtype=int), np.array([], dtype=int))
    assert array.vindex[empty].shape == (0,)


def test_other_out_dtype_and_big_endian(tmp_path: Path) -> None:
    array = zarrnb.create_array(
        LocalStore(str(tmp_path / "b.zarr")), shape=SHAPE, dtype=">i2", chunks=CHUNKS, shards=SHARDS,
        compressors=None,
    )  # fmt: skip
    data = np.arange(np.prod(SHAPE), dtype=">i2").reshape(SHAPE)
    array[...] = data
    points = (np.array([39, 0, 17]), np.array([0, 35, 18]))
    np.testing.assert_array_equal(array.vindex[points], data[points])


def test_a_truncated_shard_fails_as_a_whole_read_does(tmp_path: Path) -> None:
    array, _ = _array(LocalStore(str(tmp_path / "c.zarr")), None, "start")
    shard = tmp_path / "c.zarr" / "c" / "1" / "2"
    shard.write_bytes(shard.read_bytes()[: -4 * 3 * 4 - 2])  # the last inner chunk cut short
    with pytest.raises(Exception) as whole:
        array[16:32, 24:36]
    with pytest.raises(type(whole.value)) as points:
        array.vindex[np.array([31, 20]), np.array([35, 30])]
    assert str(points.value) == str(whole.value)


def test_each_index_read_once_and_single_points_as_their_bytes(tmp_path: Path, monkeypatch: Any) -> None:
    store = LocalStore(str(tmp_path / "d.zarr"))
    array, expected = _array(store, None)
    calls: list[list[Any]] = []
    read = LocalStore.get_partial_values

    async def spy(self: LocalStore, prototype: Any, key_ranges: Any) -> Any:
        calls.append(list(key_ranges))
        return await read(self, prototype, calls[-1])

    monkeypatch.setattr(LocalStore, "get_partial_values", spy)
    monkeypatch.setattr(LocalStore, "_plain_io", True)  # the spy stands for the plain reads
    points = (np.array([5, 9, 14, 30]), np.array([2, 7, 16, 35]))  # three shards, one point per chunk
    np.testing.assert_array_equal(array.vindex[points], expected[points])
    indexes, values = calls
    assert sorted(key for key, _ in indexes) == ["c/0/0", "c/0/1", "c/1/2"]
    assert len(values) == 4 and all(r.end - r.start == 4 for _, r in values)


def test_compressed_inner_chunks_of_a_shard_are_read_with_its_file_opened_once_per_run(
    tmp_path: Path, monkeypatch: Any
) -> None:
    import os

    from zarrnb.core import chunk_schedule

    store = LocalStore(str(tmp_path / "runs.zarr"))
    array, expected = _array(store, ZSTD)
    opened: list[str] = []
    real_open = os.open

    def counting_open(path: str, *args: Any) -> int:
        opened.append(os.path.relpath(path, tmp_path / "runs.zarr"))
        return real_open(path, *args)

    monkeypatch.setattr(os, "open", counting_open)
    monkeypatch.setattr(chunk_schedule, "RUN_RANGES", 3)
    # shard c/0/0 holds 4 x 4 inner chunks: 7 of them, one point each (under half: the point path)
    rows, cols = np.array([4, 4, 8, 8, 12, 12, 0]), np.array([0, 5, 1, 6, 2, 9, 4])
    np.testing.assert_array_equal(array.vindex[rows, cols], expected[rows, cols])
    assert opened.count(os.path.join("c", "0", "0")) == 1 + 3  # its index, then runs of 3, 3 and 1


@pytest.fixture(params=[False, True], ids=["inline", "pool"])
def hop(request: pytest.FixtureRequest, monkeypatch: Any) -> bool:
    """Whether inner chunks are decoded in the pool (the workers sharing them out) or inline."""
    from zarrnb.core import chunk_schedule

    monkeypatch.setattr(chunk_schedule, "worth_a_hop", lambda metadata, nbytes: request.param)
    return bool(request.param)


def test_compressed_points_through_a_transpose_codec(store: Any, hop: bool) -> None:
    codecs = [
        {"name": "transpose", "configuration": {"order": [1, 0]}},
        {"name": "bytes", "configuration": {"endian": "little"}},
        *ZSTD,
    ]
    array = zarrnb.create_array(
        store, shape=SHAPE, dtype="f4", chunks=SHARDS, fill_value=-1,
        serializer={"name": "sharding_indexed", "configuration": {"chunk_shape": CHUNKS, "codecs": codecs}},
    )  # fmt: skip
    data = np.arange(np.prod(SHAPE), dtype="f4").reshape(SHAPE)
    array[...] = data
    rng = np.random.default_rng(3)
    for n in (5, 30):  # one point per inner chunk, then several in some
        points = (rng.integers(0, 40, n), rng.integers(0, 36, n))
        np.testing.assert_array_equal(array.vindex[points], data[points])


def test_a_corrupt_compressed_inner_chunk_fails_with_the_codecs_error(tmp_path: Path, hop: bool) -> None:
    array, _ = _array(LocalStore(str(tmp_path / "e.zarr")), ZSTD)
    shard = tmp_path / "e.zarr" / "c" / "1" / "2"
    raw = bytearray(shard.read_bytes())
    raw[:40] = bytes(40)  # the first inner chunk's frame (index at the end) no longer zstd
    shard.write_bytes(bytes(raw))
    with pytest.raises(Exception) as whole:
        array[16:32, 24:36]
    points = (np.array([16, 20, 31, 25]), np.array([24, 30, 35, 27]))
    with pytest.raises(type(whole.value)) as got:
        array.vindex[points]
    # named by its shard's key, as a partial read of the shard names it
    assert "'c/1/2'" in str(got.value) and str(whole.value).endswith(str(got.value).split(": ", 1)[1])
