"""zarr-python 2's arguments to group/open_group/load, accepted as zarr-python 3 accepts them (the oracle)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import zarr

import zarrnb
from zarrnb.errors import ZarrDeprecationWarning, ZarrRuntimeWarning


def _warnings(lib: object, **kwargs: object) -> list[tuple[str, str]]:
    """The warnings ``lib.group`` gives for ``kwargs`` on a new memory store."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lib.group(store=lib.storage.MemoryStore(), **kwargs)  # type: ignore[attr-defined]
    return sorted((w.category.__name__, str(w.message)) for w in caught)


@pytest.mark.parametrize("lib", [zarr, zarrnb])
def test_zarr_version_is_zarr_format_with_a_deprecation_warning(lib) -> None:
    with pytest.warns(DeprecationWarning, match="zarr_version is deprecated"):
        group = lib.group(store=lib.storage.MemoryStore(), zarr_version=2)
    assert group.metadata.zarr_format == 2
    with pytest.warns(DeprecationWarning, match="zarr_version is deprecated"):
        lib.open_group(lib.storage.MemoryStore(), zarr_version=3)
    with pytest.raises(ValueError, match="zarr_format 2 does not match zarr_version 3"):
        lib.open_group(lib.storage.MemoryStore(), zarr_format=2, zarr_version=3)


def test_warnings_match_zarr_python() -> None:
    legacy = {"cache_attrs": True, "synchronizer": object(), "chunk_store": {}, "meta_array": np.empty(0)}
    for name, value in legacy.items():
        theirs, ours = _warnings(zarr, **{name: value}), _warnings(zarrnb, **{name: value})
        assert ours == theirs == [("ZarrRuntimeWarning", f"{name} is not yet implemented")]
    assert issubclass(ZarrRuntimeWarning, RuntimeWarning)


def test_load_takes_zarr_version() -> None:
    store = zarrnb.storage.MemoryStore()
    zarrnb.save_array(store, np.arange(3), zarr_format=2)
    with pytest.warns(ZarrDeprecationWarning):
        assert zarrnb.load(store, zarr_version=2).tolist() == [0, 1, 2]
