"""Store-likes zarr-python accepts: persisting ``memory://`` URLs, fsspec mappers, ``file://`` + options."""

from __future__ import annotations

import uuid
import warnings
from pathlib import Path

import fsspec
import numpy as np
import pytest
import zarr

import zarrnb
from zarrnb.storage import FsspecStore


def _url() -> str:
    return f"memory://zarrnb-test-{uuid.uuid4().hex}"


def test_memory_url_is_fsspecs_memory_file_system_and_persists() -> None:
    url = _url()
    zarrnb.create_array(f"{url}/a", shape=(3,), dtype="i4")[:] = [1, 2, 3]
    again = zarrnb.open_array(f"{url}/a", mode="r")
    assert again[:].tolist() == [1, 2, 3] and isinstance(again.store, FsspecStore)


def test_memory_url_is_shared_with_zarr_python_both_ways() -> None:
    url = _url()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        zarr.create_array(f"{url}/theirs", shape=(4,), dtype="f8")[:] = np.arange(4.0)
    assert zarrnb.open_array(f"{url}/theirs", mode="r")[:].tolist() == [0.0, 1.0, 2.0, 3.0]
    zarrnb.create_array(f"{url}/ours", shape=(2,), dtype="i2")[:] = [7, 8]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert zarr.open_array(f"{url}/ours", mode="r")[:].tolist() == [7, 8]


def test_an_fsspec_mapper_is_a_store_like() -> None:
    mapper = fsspec.get_mapper(_url())
    array = zarrnb.create_array(mapper, shape=(2,), dtype="i4")
    array[:] = 5
    assert isinstance(array.store, FsspecStore) and sorted(mapper) == ["c/0", "zarr.json"]
    store = FsspecStore.from_mapper(mapper, read_only=True)
    assert store.read_only and zarrnb.open_array(store)[:].tolist() == [5, 5]


def test_file_url_with_storage_options_goes_through_fsspec(tmp_path: Path) -> None:
    url = f"file://{tmp_path}/nested/x"
    array = zarrnb.create_array(url, shape=(2,), dtype="i4", storage_options={"auto_mkdir": True})
    array[:] = 3
    assert isinstance(array.store, FsspecStore)
    assert zarrnb.open_array(str(tmp_path / "nested" / "x"), mode="r")[:].tolist() == [3, 3]


def test_storage_options_for_a_plain_path_are_still_refused(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="storage_options"):
        zarrnb.create_array(str(tmp_path), shape=(1,), dtype="i1", storage_options={"anon": True})
