"""The .info tables print exactly as zarr-python's (its own ArrayInfo/GroupInfo are the reference)."""

from __future__ import annotations

import pytest
from zarr.core._info import ArrayInfo as RefArrayInfo
from zarr.core._info import GroupInfo as RefGroupInfo
from zarr.core._info import byte_info as ref_byte_info

from zarrnb.core.info import ArrayInfo, GroupInfo, byte_info, human_readable_size


@pytest.mark.parametrize("size", [0, 1, 1023, 1024, 80000, 2**20 - 1, 2**20, 5 * 2**30, 3 * 2**40, 7 * 2**50])
def test_byte_info_matches_reference(size: int) -> None:
    assert byte_info(size) == ref_byte_info(size)


def test_human_readable_size_units() -> None:
    assert human_readable_size(1536) == "1.5K"
    assert human_readable_size(2**60) == "1024.0P"


@pytest.mark.parametrize(
    "counts",
    [{}, {"_count_members": 3, "_count_arrays": 2, "_count_groups": 1}],
)
@pytest.mark.parametrize("name", ["", "/foo/bar"])
def test_group_info_matches_reference(name: str, counts: dict) -> None:
    common = dict(_name=name, _zarr_format=3, _read_only=False, _store_type="LocalStore", **counts)
    assert repr(GroupInfo(**common)) == repr(RefGroupInfo(**common))


def test_group_info_root_keeps_trailing_space() -> None:
    text = repr(GroupInfo(_name="", _zarr_format=2, _read_only=True, _store_type="MemoryStore"))
    assert text.splitlines()[0] == "Name        : "


@pytest.mark.parametrize("shards", [None, (50, 50)])
@pytest.mark.parametrize(
    "dynamic",
    [
        {},
        {"_count_bytes_stored": 1758, "_count_chunks_initialized": 50},
        {"_count_bytes_stored": 0, "_count_chunks_initialized": 0},
    ],
)
@pytest.mark.parametrize("serializer", [None, "BytesCodec(endian=<Endian.little: 'little'>)"])
def test_array_info_matches_reference(shards, dynamic: dict, serializer) -> None:
    common = dict(
        _zarr_format=3,
        _data_type="Float32(endianness='little')",
        _fill_value=float("nan"),
        _shape=(100, 200),
        _shard_shape=shards,
        _chunk_shape=(10, 20),
        _order="C",
        _read_only=False,
        _store_type="LocalStore",
        _filters=(),
        _serializer=serializer,
        _compressors=("ZstdCodec(level=0, checksum=False)",),
        _count_bytes=80000,
        **dynamic,
    )
    assert repr(ArrayInfo(**common)) == repr(RefArrayInfo(**common))
