"""Top-level names zarr-python has that zarrnb gained for issue 9: copy_store, print_debug_info, ..."""

from __future__ import annotations

import re

import numpy as np
import pytest
import zarr

import zarrnb
import zarrnb.errors
from zarrnb.storage import MemoryStore


@pytest.fixture
def source() -> MemoryStore:
    store = MemoryStore()
    root = zarrnb.group(store=store, attributes={"t": 1})
    root.create_array("a", shape=(4,), chunks=(2,), dtype="i4")[:] = [1, 2, 3, 4]
    root.create_group("g").create_array("b", shape=(2,), dtype="f8")[:] = 0.5
    return store


def test_copy_store_copies_every_key(source: MemoryStore) -> None:
    dest = MemoryStore()
    copied, skipped, nbytes = zarrnb.copy_store(source, dest)
    assert copied == len(source._store_dict) and skipped == 0
    assert nbytes == sum(len(v) for v in source._store_dict.values())
    assert zarrnb.open_array(dest, path="a", mode="r")[:].tolist() == [1, 2, 3, 4]
    with pytest.raises(FileExistsError, match="already exists"):
        zarrnb.copy_store(source, dest)
    assert zarrnb.copy_store(source, dest, if_exists="skip")[:2] == (0, copied)


def test_copy_store_paths_filters_and_dry_run(source: MemoryStore) -> None:
    dest = MemoryStore()
    copied, _, _ = zarrnb.copy_store(source, dest, source_path="g", dest_path="moved", dry_run=True)
    assert copied == 3 and not dest._store_dict
    zarrnb.copy_store(source, dest, source_path="g", dest_path="moved", excludes=[r"^b/c"])
    assert sorted(dest._store_dict) == ["moved/b/zarr.json", "moved/zarr.json"]
    with pytest.raises(ValueError, match="if_exists"):
        zarrnb.copy_store(source, dest, if_exists="overwrite")


def test_print_debug_info_names_the_versions(capsys: pytest.CaptureFixture[str]) -> None:
    zarrnb.print_debug_info()
    out = capsys.readouterr().out
    assert f"zarrnb: {zarrnb.__version__}" in out
    assert f"zarr: 3.1.6+zarrnb.{zarrnb.__version__}" in out
    assert re.search(r"^numpy: \d", out, re.M)


def test_group_nmembers_is_a_method_as_in_zarr_python(source: MemoryStore) -> None:
    group = zarrnb.open_group(source, mode="r")
    theirs = zarr.open_group(zarr.storage.MemoryStore(
        {k: zarr.core.buffer.cpu.Buffer.from_bytes(v.to_bytes()) for k, v in source._store_dict.items()}
    ), mode="r")  # fmt: skip
    assert group.nmembers() == theirs.nmembers() == 2
    assert group.nmembers(max_depth=None) == theirs.nmembers(max_depth=None) == 3


def test_save_array_and_save_group_are_top_level() -> None:
    store = MemoryStore()
    zarrnb.save_group(store, np.arange(3), named=np.ones(2))
    assert sorted(zarrnb.open_group(store, mode="r").array_keys()) == ["arr_0", "named"]
    zarrnb.save_array(store, np.arange(5), path="x")
    assert zarrnb.open_array(store, path="x", mode="r")[:].tolist() == [0, 1, 2, 3, 4]


def test_array_create_is_create_array_with_a_deprecation_warning() -> None:
    store = MemoryStore()
    with pytest.warns(zarrnb.errors.ZarrDeprecationWarning, match="create_array"):
        array = zarrnb.Array.create(store, shape=(6,), dtype="i4", chunk_shape=(3,), fill_value=7)
    assert (array.shape, array.chunks, array.fill_value) == ((6,), (3,), 7)
    assert zarrnb.open_array(store, mode="r")[:].tolist() == [7] * 6
