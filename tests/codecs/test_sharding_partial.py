"""``ShardingCodec.decode_partial``/``encode_partial``/``compute_encoded_size``/``codec_pipeline`` against
zarr-python's, on the same shard bytes: the same values read, the same shard bytes written."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import zarr
from zarr.core.array_spec import ArrayConfig as TheirConfig
from zarr.core.array_spec import ArraySpec as TheirSpec
from zarr.core.buffer import default_buffer_prototype as their_prototype

import zarrnb
from zarrnb.codecs import ShardingCodec
from zarrnb.codecs.array_spec import ArraySpec
from zarrnb.storage import LocalStore, StorePath

SHAPE, SHARD, INNER = (16, 12), (8, 6), (2, 3)
DATA = np.arange(np.prod(SHAPE), dtype="i4").reshape(SHAPE) + 1
DATA[:2, :3] = 0  # inner chunk (0, 0) of shard (0, 0) is the fill value: not stored
DATA[8:, 6:] = 0  # shard (1, 1) is not stored at all

SELECTIONS: list[Any] = [
    (slice(None), slice(None)),  # the whole shard: one fetch
    (slice(1, 5), slice(2, 4)),
    (3, slice(None)),
    (slice(None, None, 3), 5),
    Ellipsis,
    (np.array([0, 7, 3]), slice(1, 5)),  # orthogonal: an integer array and a slice
    (np.array([7, 0, 2]), np.array([5, 0, 1])),  # coordinates
    (np.array([True, False] * 4), np.array([1, 4])),  # orthogonal: booleans and integers
    np.arange(48).reshape(SHARD) % 5 == 0,  # a mask
    (slice(0, 2), slice(0, 3)),  # only the absent inner chunk
]
IDS = ["all", "slices", "int-row", "step-int", "ellipsis", "ortho", "coords", "bool-int", "mask", "fill"]


@pytest.fixture
def stores(tmp_path: Path) -> tuple[Path, Path]:
    """The same sharded array (zstd inner chunks) twice: one folder per library."""
    theirs = tmp_path / "theirs.zarr"
    array = zarr.create_array(
        str(theirs),
        shape=SHAPE,
        shards=SHARD,
        chunks=INNER,
        dtype="i4",
        fill_value=0,
        compressors=zarr.codecs.ZstdCodec(),
    )
    array[:] = DATA
    ours = tmp_path / "ours.zarr"
    shutil.copytree(theirs, ours)
    return theirs, ours


def their_side(folder: Path, shard: str) -> tuple[Any, Any, Any]:
    array = zarr.open_array(str(folder), mode="a")
    spec = TheirSpec(
        shape=SHARD,
        dtype=array.metadata.data_type,
        fill_value=np.int32(0),
        config=TheirConfig(order="C", write_empty_chunks=False),
        prototype=their_prototype(),
    )
    return array.metadata.codecs[0], zarr.storage.StorePath(zarr.storage.LocalStore(str(folder)), shard), spec


def our_side(folder: Path, shard: str) -> tuple[ShardingCodec, StorePath, ArraySpec]:
    array = zarrnb.open_array(str(folder), mode="a")
    codec = array.metadata.codecs[0]
    assert isinstance(codec, ShardingCodec)
    spec = ArraySpec(SHARD, np.dtype("i4"), 0, config={"order": "C", "write_empty_chunks": False})
    return codec, StorePath(LocalStore(str(folder)), shard), spec


def read(side: tuple[Any, Any, Any], selection: Any) -> Any:
    codec, path, spec = side
    (found,) = asyncio.run(codec.decode_partial([(path, selection, spec)]))
    return None if found is None else found.as_numpy_array()


@pytest.mark.parametrize("selection", SELECTIONS, ids=IDS)
@pytest.mark.parametrize("shard", ["c/0/0", "c/1/0"])
def test_decode_partial_reads_what_zarr_python_reads(
    stores: tuple[Path, Path], shard: str, selection: Any
) -> None:
    theirs = read(their_side(stores[0], shard), selection)
    ours = read(our_side(stores[1], shard), selection)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)
    row, column = (int(i) * s for i, s in zip(shard[2:].split("/"), SHARD, strict=True))
    block = DATA[row : row + SHARD[0], column : column + SHARD[1]]
    np.testing.assert_array_equal(
        ours,
        block[selection]
        if not isinstance(selection, tuple)
        or not any(isinstance(s, np.ndarray) and s.dtype == bool for s in selection)
        else block[np.ix_(np.nonzero(selection[0])[0], selection[1])],
    )


def test_decode_partial_of_a_missing_shard_is_none(stores: tuple[Path, Path]) -> None:
    assert read(their_side(stores[0], "c/1/1"), (slice(0, 3), 2)) is None
    assert read(our_side(stores[1], "c/1/1"), (slice(0, 3), 2)) is None


def test_decode_partial_fetches_only_the_inner_chunks_it_needs(stores: tuple[Path, Path]) -> None:
    codec, path, spec = our_side(stores[1], "c/1/0")
    requests: list[Any] = []
    original = path.get

    async def counting(prototype: Any = None, byte_range: Any = None) -> Any:
        requests.append(byte_range)
        return await original(prototype, byte_range)

    path.get = counting  # type: ignore[method-assign]
    asyncio.run(codec.decode_partial([(path, (slice(0, 2), slice(3, 6)), spec)]))
    assert len(requests) == 2 and all(r is not None for r in requests)  # the index, then one inner chunk


WRITES: list[tuple[Any, Any]] = [
    ((slice(1, 5), slice(2, 4)), -np.arange(8, dtype="i4").reshape(4, 2)),
    ((np.array([7, 0]), np.array([5, 0])), np.array([-1, -2], dtype="i4")),  # one lands in the absent chunk
    ((slice(0, 2), slice(0, 3)), np.zeros((2, 3), dtype="i4")),  # the fill value: the chunk goes
    (Ellipsis, np.full(SHARD, 9, dtype="i4")),
    (np.arange(48).reshape(SHARD) % 7 == 0, np.int32(-5)),  # a mask and a scalar
]


@pytest.mark.parametrize(("selection", "value"), WRITES, ids=["slices", "coords", "fill", "all", "mask"])
@pytest.mark.parametrize("shard", ["c/0/0", "c/1/1"])
def test_encode_partial_writes_the_shard_zarr_python_writes(
    stores: tuple[Path, Path], shard: str, selection: Any, value: Any
) -> None:
    for side, nd_buffer in (
        (their_side(stores[0], shard), zarr.core.buffer.cpu.NDBuffer),
        (our_side(stores[1], shard), zarrnb.core.buffer.NDBuffer),
    ):
        codec, path, spec = side
        asyncio.run(
            codec.encode_partial([(path, nd_buffer.from_numpy_array(np.asarray(value)), selection, spec)])
        )
    stored = [
        (folder / "c" / shard[2:]).read_bytes() if (folder / "c" / shard[2:]).exists() else None
        for folder in stores
    ]
    assert stored[0] == stored[1]  # byte for byte
    expect = DATA.copy()
    row, column = (int(i) * s for i, s in zip(shard[2:].split("/"), SHARD, strict=True))
    block = expect[row : row + SHARD[0], column : column + SHARD[1]]
    block[selection] = value
    np.testing.assert_array_equal(zarrnb.open_array(str(stores[1]), mode="r")[:], expect)


def test_encode_partial_deletes_a_shard_left_empty(stores: tuple[Path, Path]) -> None:
    codec, path, spec = our_side(stores[1], "c/0/1")
    asyncio.run(
        codec.encode_partial(
            [(path, zarrnb.core.buffer.NDBuffer.from_numpy_array(np.zeros(SHARD, "i4")), Ellipsis, spec)]
        )
    )
    assert not (stores[1] / "c" / "0" / "1").exists()


def test_compute_encoded_size_and_codec_pipeline(stores: tuple[Path, Path]) -> None:
    their_codec, _, their_spec = their_side(stores[0], "c/0/0")
    codec, _, spec = our_side(stores[1], "c/0/0")
    assert (
        codec.compute_encoded_size(1000, spec)
        == their_codec.compute_encoded_size(1000, their_spec)
        == 1000 + 16 * 8 + 4
    )
    with pytest.raises(RuntimeError, match=r"bind\("):
        codec.codec_pipeline  # noqa: B018  (unbound: zarrnb's pipelines know the dtype and shard shape)
    inner = codec.bind(dtype=np.dtype("i4"), fill_value=0, chunk_shape=SHARD).codec_pipeline
    assert [c.to_dict() for c in inner.codecs] == [c.to_dict() for c in their_codec.codecs]
    chunk = np.arange(6, dtype="i4").reshape(INNER)
    np.testing.assert_array_equal(inner.decode_chunk(inner.encode_chunk(chunk), INNER, key="k"), chunk)
