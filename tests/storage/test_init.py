"""The public names of zarrnb.storage match zarr.storage's store classes and helpers."""

from __future__ import annotations

import pytest

import zarrnb.storage
from zarrnb.abc.store import Store


def test_exported_names_are_zarr_pythons_plus_make_store_path() -> None:
    import zarr.storage

    assert sorted(zarrnb.storage.__all__) == sorted([*zarr.storage.__all__, "make_store_path"])
    for name in zarrnb.storage.__all__:
        assert getattr(zarrnb.storage, name) is not None


@pytest.mark.parametrize("name", ["FsspecStore", "LocalStore", "MemoryStore", "ObjectStore", "ZipStore"])
def test_every_store_is_a_store_as_in_zarr_python(name: str) -> None:
    import zarr.storage

    ours = getattr(zarrnb.storage, name)
    assert issubclass(ours, Store)
    assert hasattr(zarr.storage, name)


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchStore"):
        zarrnb.storage.NoSuchStore  # noqa: B018


def test_gpu_memory_store_names_what_is_missing() -> None:
    import importlib.util

    error = ImportError if importlib.util.find_spec("cupy") is None else NotImplementedError
    with pytest.raises(error, match="cupy"):
        zarrnb.storage.GpuMemoryStore()


def test_gpu_memory_store_from_dict_is_refused_the_same_way() -> None:
    """``GpuMemoryStore.from_dict`` (zarr-python's classmethod) names cupy as the constructor does; with
    cupy present, zarrnb's CPU-only engine refuses it by name."""
    import importlib.util

    from zarrnb.core.buffer import default_buffer_prototype

    stored = {"zarr.json": default_buffer_prototype().buffer.from_bytes(b"{}")}
    error = ImportError if importlib.util.find_spec("cupy") is None else NotImplementedError
    with pytest.raises(error, match="cupy"):
        zarrnb.storage.GpuMemoryStore.from_dict(stored)
