"""Huge shapes fail fast: selections that cannot be allocated are refused before any chunk is planned,
and indexers walk chunks lazily instead of listing the grid up front."""

from __future__ import annotations

import json
import time
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zarrnb
from zarrnb.core import indexing
from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.core.indexing import BasicIndexer, BlockIndexer, OrthogonalIndexer
from zarrnb.errors import ArrayTooLargeError, ChunkDecodeError, MetadataValidationError
from zarrnb.storage import MemoryStore

sync = zarrnb.api.sync.sync


def _with_shape(zarr_format: int, shape: list[int], chunks: list[int]) -> MemoryStore:
    """A small array whose stored metadata was then edited to claim ``shape`` (as the probe did)."""
    store = MemoryStore()
    zarrnb.create_array(store, shape=(100, 4), chunks=(10, 4), dtype="i8", zarr_format=zarr_format)
    name = "zarr.json" if zarr_format == 3 else ".zarray"
    document = json.loads(sync(store.get(name, default_buffer_prototype())).to_bytes())
    document["shape"] = shape
    if zarr_format == 3:
        document["chunk_grid"]["configuration"]["chunk_shape"] = chunks
    else:
        document["chunks"] = chunks
    sync(store.set(name, Buffer.from_bytes(json.dumps(document).encode())))
    return store


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


@pytest.mark.timeout(20)
@pytest.mark.parametrize("zarr_format", [2, 3])
def test_reading_everything_of_a_huge_array_is_refused_at_once(zarr_format: int) -> None:
    # 2**60 x 4 int64 elements: indexable, but 2**65 bytes; one chunk per element
    array = zarrnb.open_array(_with_shape(zarr_format, [2**60, 4], [1, 1]))
    with Timer() as timer, pytest.raises(ArrayTooLargeError, match="array is too big"):
        array[:]
    assert timer.seconds < 1
    with pytest.raises(ArrayTooLargeError) as info:
        array[:, 0]
    # caught as numpy's and zarr-python's errors for this are
    assert isinstance(info.value, MemoryError) and isinstance(info.value, ValueError)


@pytest.mark.timeout(20)
def test_a_selection_that_does_not_fit_in_memory_is_refused_before_planning() -> None:
    # 2**48 bytes: more than a 64-bit process's address space, so allocation fails everywhere
    array = zarrnb.open_array(_with_shape(3, [2**45, 1], [1, 1]))
    with Timer() as timer, pytest.raises(ArrayTooLargeError, match="cannot allocate"):
        array[:]
    assert timer.seconds < 1


@pytest.mark.timeout(20)
def test_writing_everything_of_a_huge_array_is_refused_at_once() -> None:
    array = zarrnb.open_array(_with_shape(2, [2**60, 4], [1, 1]))
    with Timer() as timer, pytest.raises(ArrayTooLargeError):
        array[:] = 0
    assert timer.seconds < 1


@pytest.mark.timeout(20)
def test_sparse_steps_and_single_elements_of_a_huge_array_read_fast() -> None:
    array = zarrnb.open_array(_with_shape(3, [2**60, 4], [2**20, 4]))
    with Timer() as timer:
        assert array[:: 2**50].shape == (2**10, 4)
        assert array[2**59, 3] == 0
        assert array[-1:, :].shape == (1, 4)
    assert timer.seconds < 5


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    ("make", "nchunks"),
    [
        (lambda: BasicIndexer(slice(None), (2**40,), (1,)), 2**40),
        (lambda: BasicIndexer((slice(None), slice(None)), (2**31, 2**31), (1, 1)), 2**62),
        (lambda: BasicIndexer(slice(3, None, 7), (2**40,), (2,)), -(-(2**40 - 3) // 7)),
        (lambda: OrthogonalIndexer((slice(None), [0, 5]), (2**40, 8), (1, 4)), 2**41),
        (lambda: BlockIndexer((slice(None),), (2**40,), (1,)), 2**40),
    ],
)
def test_indexers_plan_lazily(make, nchunks: int) -> None:
    """Building an indexer and taking its first projection costs the same for any grid size."""
    with Timer() as timer:
        indexer = make()
        first = next(iter(indexer))
    assert timer.seconds < 1
    assert indexer.nchunks == nchunks
    assert first.chunk_coords[0] == indexer._dim_parts[0].__iter__().__next__().chunk_index


@settings(max_examples=60, deadline=None)
@given(
    shape=st.lists(st.integers(0, 12), min_size=1, max_size=3),
    data=st.data(),
)
def test_lazy_walk_projects_exactly_as_the_eager_one(shape: list[int], data) -> None:
    """The lazy path (long axes) yields the same projections as the listed one (short axes)."""
    chunks = tuple(data.draw(st.integers(1, max(1, s + 2))) for s in shape)
    bound = st.one_of(st.none(), st.integers(-15, 15))
    selection = tuple(
        data.draw(st.builds(slice, bound, bound, st.one_of(st.none(), st.integers(1, 5)))) for _ in shape
    )
    eager = list(BasicIndexer(selection, tuple(shape), chunks))
    with mock.patch.object(indexing, "_EAGER_PARTS", 0):
        lazy = list(BasicIndexer(selection, tuple(shape), chunks))
    assert repr(lazy) == repr(eager)


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_a_zstd_frame_claiming_2_45_bytes_names_the_claim(zarr_format: int) -> None:
    store = MemoryStore()
    array = zarrnb.create_array(
        store,
        shape=(100, 4),
        chunks=(10, 4),
        dtype="i8",
        zarr_format=zarr_format,
        **({"compressors": zarrnb.codecs.ZstdCodec()} if zarr_format == 3 else {"compressors": None}),
    )
    if zarr_format == 2:
        document = json.loads(sync(store.get(".zarray", default_buffer_prototype())).to_bytes())
        document["compressor"] = {"id": "zstd", "level": 0}
        sync(store.set(".zarray", Buffer.from_bytes(json.dumps(document).encode())))
        array = zarrnb.open_array(store)
    # a zstd frame header (RFC 8878): descriptor, window byte, 8-byte Frame_Content_Size of 2**45,
    # then an empty last raw block
    header = (0xFD2FB528).to_bytes(4, "little") + bytes([0xC0, 0])
    frame = header + (2**45).to_bytes(8, "little") + b"\x01\x00\x00"
    key = "c/0/0" if zarr_format == 3 else "0.0"
    sync(store.set(key, Buffer.from_bytes(frame)))
    for read in (lambda: array[:], lambda: array[0, 0], lambda: array[:5]):
        with Timer() as timer, pytest.raises(ChunkDecodeError, match=rf"{key}.*35184372088832 decoded bytes"):
            read()
        assert timer.seconds < 1


def test_memory_errors_inside_codecs_carry_a_reason() -> None:
    from zarrnb.codecs.base import decoding

    with pytest.raises(ChunkDecodeError, match=r"'k' with 'zstd': the decoded data does not fit in memory"):
        with decoding("k", "zstd"):
            raise MemoryError()


def test_metadata_limits_reach_resize() -> None:
    array = zarrnb.create_array(MemoryStore(), shape=(10,), chunks=(5,), dtype="i1")
    with pytest.raises(MetadataValidationError, match="'shape'"):
        array.resize((2**64,))
    assert array.shape == (10,)
    np.testing.assert_array_equal(array[:], 0)


@pytest.mark.timeout(20)
@pytest.mark.parametrize("zarr_format", [2, 3])
def test_chunk_counts_and_resizes_of_huge_grids_follow_what_is_stored(zarr_format: int) -> None:
    array = zarrnb.open_array(_with_shape(zarr_format, [2**60, 4], [1, 1]))
    array[2**59, 1] = 7
    array[5, 3] = 9
    with Timer() as timer:
        assert array.nchunks_initialized == 2
        assert array.info_complete()._count_chunks_initialized == 2
        array.resize((2**58, 4))  # the chunk at row 2**59 lies outside now
        assert array.nchunks_initialized == 1
    assert timer.seconds < 2
    assert array[5, 3] == 9


@pytest.mark.parametrize("zarr_format", [2, 3])
@pytest.mark.parametrize("separator", ["/", "."])
def test_chunk_counts_of_small_grids_ignore_other_keys(zarr_format: int, separator: str) -> None:
    store = MemoryStore()
    group = zarrnb.create_group(store, zarr_format=zarr_format)
    encoding = {"name": "v2" if zarr_format == 2 else "default", "separator": separator}
    array = group.create_array(
        "a", shape=(5, 3), chunks=(2, 2), dtype="i4", chunk_key_encoding=encoding, fill_value=0
    )
    array[:] = 1
    first = array.metadata.chunk_key((0, 0))
    for stray in ("notes.txt", first.replace("0", "9"), first.replace("0", "00", 1), first + separator + "0"):
        sync(store.set(f"a/{stray}", Buffer.from_bytes(b"x")))
    assert array.nchunks_initialized == 6
    array.resize((2, 2))
    assert array.nchunks_initialized == 1
