"""Corrupt input gives a clear error that names the key: never a crash, never silent garbage."""

from __future__ import annotations

import asyncio
import json
import warnings

import numpy as np
import pytest
import zarr

from zarrnb.core.array import AsyncArray
from zarrnb.errors import ChunkDecodeError, MetadataValidationError, UnknownCodecError
from zarrnb.storage import LocalStore, StorePath

run = asyncio.run


def write_reference(tmp_path, **kwargs) -> None:
    """zarr-python writes the array ``arr`` that the tests then damage."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        array = zarr.create_array(
            zarr.storage.LocalStore(str(tmp_path)),
            name="arr",
            shape=(20,),
            chunks=(10,),
            dtype="f8",
            **kwargs,
        )
        array[:] = np.linspace(0, 1, 20)


def open_array(tmp_path) -> AsyncArray:
    return run(AsyncArray.open(StorePath(LocalStore(str(tmp_path)), "arr")))


def damage(path, change) -> None:
    path.write_bytes(change(path.read_bytes()))


CHUNK_CASES = {
    "truncated": ({}, lambda b: b[: len(b) // 2]),
    "bad-compressed-bytes": ({}, lambda b: b[:4] + bytes(255 - x for x in b[4:])),
    "wrong-crc32c": (
        {
            "compressors": [
                {"name": "zstd", "configuration": {"level": 0, "checksum": False}},
                {"name": "crc32c"},
            ]
        },
        lambda b: b[:-4] + bytes((x + 1) % 256 for x in b[-4:]),
    ),
    "raw-wrong-size": ({"compressors": None}, lambda b: b[:-3]),
    "v2-truncated": ({"zarr_format": 2}, lambda b: b[: len(b) // 2]),
}


@pytest.mark.parametrize("name", CHUNK_CASES)
def test_corrupt_chunk_names_the_key(tmp_path, name) -> None:
    kwargs, change = CHUNK_CASES[name]
    write_reference(tmp_path, **kwargs)
    key = "c/1" if kwargs.get("zarr_format", 3) == 3 else "1"
    damage(tmp_path / "arr" / key, change)
    array = open_array(tmp_path)
    np.testing.assert_array_equal(run(array.getitem(slice(0, 10))), np.linspace(0, 1, 20)[:10])
    with pytest.raises(ChunkDecodeError, match=f"arr/{key}"):
        run(array.getitem(Ellipsis))
    with pytest.raises(ChunkDecodeError, match=f"arr/{key}"):
        run(array.getitem(15))
    with pytest.raises(ChunkDecodeError, match=f"arr/{key}"):
        run(array.setitem(12, 0.5))  # a partial write must read the chunk first


@pytest.mark.parametrize(
    "change",
    [
        lambda b: b[:-5],
        lambda b: b[:-16] + b"\xff" * 16,
        lambda b: b[:-4] + bytes((x + 1) % 256 for x in b[-4:]),
    ],
    ids=["truncated-shard", "garbage-index", "index-crc"],
)
def test_corrupt_shard_names_the_key(tmp_path, change) -> None:
    write_reference(tmp_path, shards=(20,), compressors=None)
    damage(tmp_path / "arr" / "c" / "0", change)
    array = open_array(tmp_path)
    with pytest.raises(ChunkDecodeError, match="arr/c/0"):
        run(array.getitem(Ellipsis))
    with pytest.raises(ChunkDecodeError, match="arr/c/0"):
        run(array.getitem(3))


def test_malformed_json_names_the_key(tmp_path) -> None:
    write_reference(tmp_path)
    damage(tmp_path / "arr" / "zarr.json", lambda b: b[:-10])
    with pytest.raises(MetadataValidationError, match=r"arr/zarr\.json"):
        open_array(tmp_path)


def test_malformed_v2_json_names_the_key(tmp_path) -> None:
    write_reference(tmp_path, zarr_format=2)
    damage(tmp_path / "arr" / ".zarray", lambda b: b.replace(b"{", b"[", 1))
    with pytest.raises(MetadataValidationError, match=r"arr/\.zarray"):
        open_array(tmp_path)


def test_unknown_codec_names_codec_and_key(tmp_path) -> None:
    write_reference(tmp_path)
    document = json.loads((tmp_path / "arr" / "zarr.json").read_text())
    document["codecs"].append({"name": "no-such-codec", "configuration": {}})
    (tmp_path / "arr" / "zarr.json").write_text(json.dumps(document))
    with pytest.raises(UnknownCodecError, match=r"no-such-codec.*arr|arr.*no-such-codec"):
        open_array(tmp_path)


def test_missing_field_names_the_field(tmp_path) -> None:
    write_reference(tmp_path)
    document = json.loads((tmp_path / "arr" / "zarr.json").read_text())
    del document["shape"]
    (tmp_path / "arr" / "zarr.json").write_text(json.dumps(document))
    with pytest.raises(MetadataValidationError, match="'shape'"):
        open_array(tmp_path)
