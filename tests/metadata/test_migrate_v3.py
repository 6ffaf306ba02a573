"""migrate_v3: v2 hierarchies written by zarr-python gain v3 metadata that both libraries read identically."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import numcodecs
import numpy as np
import pytest
import zarr as zarr_python

import zarrnb
from zarrnb.metadata.migrate_v3 import migrate_to_v3, migrate_v2_to_v3, remove_metadata
from zarrnb.storage import LocalStore, MemoryStore, StorePath

RNG = np.random.default_rng(7)
CASES = {
    "plain": dict(data=RNG.random((9, 7)), chunks=(4, 3)),
    "fortran": dict(data=RNG.integers(0, 1000, (6, 5, 4)).astype("i4"), chunks=(4, 2, 3), order="F"),
    "big-endian": dict(data=RNG.random(20).astype(">f8"), chunks=(6,)),
    "slash-keys": dict(data=RNG.random((5, 5)), chunks=(2, 2), chunk_key_encoding={"name": "v2",
                                                                                      "separator": "/"}),
    "blosc-delta": dict(data=np.arange(100, dtype="i8"), chunks=(30,), filters=[numcodecs.Delta(dtype="i8")],
                        compressors=numcodecs.Blosc(cname="lz4", clevel=5, shuffle=1)),
    "gzip": dict(data=RNG.random(10).astype("f4"), chunks=(3,), compressors=numcodecs.GZip(level=3)),
    "uncompressed-bool": dict(data=RNG.random(13) > 0.5, chunks=(5,), compressors=None),
    "strings": dict(data=np.array(["a", "bb", "", "dddd", "é"], dtype=object), chunks=(2,), dtype=str),
    "nan-fill": dict(data=np.array([1.0, np.nan, 3.0]), chunks=(2,), fill_value=np.nan),
}


def write_v2_with_zarr_python(root: Path) -> None:
    group = zarr_python.open_group(zarr_python.storage.LocalStore(root), mode="w", zarr_format=2,
                                   attributes={"title": "v2"})
    sub = group.create_group("sub", attributes={"level": 1})
    for name, case in CASES.items():
        case = dict(case)
        data = case.pop("data")
        where = sub if name == "gzip" else group
        array = where.create_array(name, shape=data.shape, dtype=case.pop("dtype", data.dtype), **case)
        array[...] = data
        array.attrs["_ARRAY_DIMENSIONS"] = [f"d{i}" for i in range(data.ndim)]


def read_back(root: Path, zarr_format: int, library: object) -> dict[str, np.ndarray]:
    group = library.open_group(str(root), mode="r", zarr_format=zarr_format)  # type: ignore[attr-defined]
    return {name: group["sub/gzip" if name == "gzip" else name][...] for name in CASES}


def test_migrated_hierarchy_reads_the_same_chunks_in_both_libraries(tmp_path: Path) -> None:
    write_v2_with_zarr_python(tmp_path)
    chunk_files_before = sorted(p for p in tmp_path.rglob("*") if p.is_file() and not p.name.startswith("."))
    migrate_v2_to_v3(input_store=LocalStore(tmp_path))
    zarr_jsons = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("zarr.json"))
    assert zarr_jsons == sorted(["zarr.json", "sub/zarr.json", "sub/gzip/zarr.json",
                                 *(f"{n}/zarr.json" for n in CASES if n != "gzip")])
    expected = read_back(tmp_path, 2, zarr_python)
    for library in (zarr_python, zarrnb):
        got = read_back(tmp_path, 3, library)
        for name, want in expected.items():
            np.testing.assert_array_equal(got[name], want, err_msg=f"{library.__name__}: {name}")
    group = zarr_python.open_group(str(tmp_path), mode="r", zarr_format=3)
    assert group.attrs["title"] == "v2" and group["sub"].attrs["level"] == 1
    assert group["fortran"].attrs["_ARRAY_DIMENSIONS"] == ["d0", "d1", "d2"]
    # nothing but metadata was written: the chunk files are the ones zarr-python wrote
    chunk_files_after = [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert sorted(p for p in chunk_files_after if p.name != "zarr.json") == chunk_files_before


def test_migration_into_another_store_writes_metadata_only(tmp_path: Path) -> None:
    write_v2_with_zarr_python(tmp_path / "in")
    output = MemoryStore()
    migrate_v2_to_v3(input_store=LocalStore(tmp_path / "in"), output_store=output)
    keys = sorted(asyncio.run(_keys(output)))
    assert keys and all(k.endswith("zarr.json") for k in keys)
    document = json.loads(output._store_dict["plain/zarr.json"].to_bytes())
    assert document["chunk_key_encoding"] == {"name": "v2", "configuration": {"separator": "."}}
    assert not list((tmp_path / "in").rglob("zarr.json"))


def test_dry_run_writes_nothing_and_an_existing_zarr_json_is_refused(tmp_path: Path) -> None:
    write_v2_with_zarr_python(tmp_path)
    migrate_v2_to_v3(input_store=LocalStore(tmp_path), dry_run=True)
    assert not list(tmp_path.rglob("zarr.json"))
    (tmp_path / "sub" / "zarr.json").write_text("{}")
    with pytest.raises(FileExistsError, match=r"sub/zarr\.json"):
        migrate_v2_to_v3(input_store=LocalStore(tmp_path))
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("zarr.json")] == ["sub/zarr.json"]


def test_migrate_to_v3_takes_one_node_and_refuses_format_3(tmp_path: Path) -> None:
    write_v2_with_zarr_python(tmp_path)
    sub = zarrnb.open_group(str(tmp_path / "sub"), mode="r")
    out = MemoryStore()
    migrate_to_v3(sub, StorePath(out))
    assert sorted(asyncio.run(_keys(out))) == ["gzip/zarr.json", "zarr.json"]
    v3 = zarrnb.create_array(MemoryStore(), shape=(2,), dtype="i1")
    with pytest.raises(TypeError, match="format 2"):
        migrate_to_v3(v3, StorePath(MemoryStore()))


def test_an_empty_store_has_nothing_to_migrate() -> None:
    with pytest.raises(FileNotFoundError, match="no Zarr v2"):
        migrate_v2_to_v3(input_store=MemoryStore())


def test_remove_metadata_keeps_every_node_readable(tmp_path: Path) -> None:
    write_v2_with_zarr_python(tmp_path)
    store = LocalStore(tmp_path)
    with pytest.raises(ValueError, match="force=True"):
        asyncio.run(remove_metadata(store, 2))
    assert (tmp_path / ".zgroup").exists()
    migrate_v2_to_v3(input_store=store)
    asyncio.run(remove_metadata(store, 2))
    assert not [p for p in tmp_path.rglob(".z*")]
    plain = zarrnb.open_array(str(tmp_path / "plain"), mode="r")
    np.testing.assert_array_equal(plain[:], CASES["plain"]["data"])
    with pytest.raises(ValueError, match="would become unreadable"):
        asyncio.run(remove_metadata(store, 3))
    asyncio.run(remove_metadata(store, 3, force=True, dry_run=True))
    assert (tmp_path / "zarr.json").exists()


async def _keys(store: MemoryStore) -> list[str]:
    return [key async for key in store.list()]
