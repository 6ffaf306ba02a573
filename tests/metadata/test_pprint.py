"""Metadata objects are dataclasses of zarr-python's fields: ``repr`` and ``pprint`` print what
zarr-python prints for the same hierarchy (its consolidated-metadata guide pprints them)."""

from __future__ import annotations

import dataclasses
import pprint
import warnings
from types import ModuleType
from typing import Any

import numpy as np
import pytest
import zarr
import zarr.core.group as zp_group
import zarr.core.metadata as zp_metadata

import zarrnb
from zarrnb.metadata import ArrayV3Metadata, GroupMetadata
from zarrnb.metadata.chunk_key_encoding import DefaultChunkKeyEncoding, V2ChunkKeyEncoding
from zarrnb.metadata.consolidated import ConsolidatedMetadata


def _shown_fields(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls) if f.repr]


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (ArrayV3Metadata, zp_metadata.ArrayV3Metadata),
        (GroupMetadata, zp_group.GroupMetadata),
        (ConsolidatedMetadata, zp_group.ConsolidatedMetadata),
    ],
)
def test_the_fields_shown_are_zarr_pythons_in_its_order(ours: type, theirs: type) -> None:
    assert _shown_fields(ours) == _shown_fields(theirs)


def _hierarchy(lib: ModuleType) -> Any:
    """A consolidated hierarchy (two arrays, a group holding a group), opened again."""
    store = lib.storage.MemoryStore()
    root = lib.create_group(store=store, attributes={"kind": "root"})
    root.create_array(name="a", shape=(1,), dtype="float64")
    root.create_array(name="b", shape=(2, 2), chunks=(1, 2), dtype="int16", dimension_names=("y", "x"))
    child = root.create_group("child", attributes={"kind": "child"})
    child.create_group("child", attributes={"kind": "grandchild"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lib.consolidate_metadata(store)
        return lib.open_group(store=store)


def _printed(group: Any) -> list[str]:
    listing = group.metadata.consolidated_metadata
    return [
        pprint.pformat(dict(sorted(listing.metadata.items())), width=60),
        pprint.pformat(group["child"].metadata.consolidated_metadata, width=60),
        pprint.pformat(group.metadata, width=60),
        repr(group["b"].metadata),
        repr(listing),
    ]


def test_pprint_and_repr_print_what_zarr_python_prints() -> None:
    assert _printed(_hierarchy(zarrnb)) == _printed(_hierarchy(zarr))


def test_data_type_and_chunk_grid_are_fields_derived_from_the_engines_values() -> None:
    meta = _hierarchy(zarrnb)["b"].metadata
    assert meta.data_type == zarrnb.dtype.Int16() and meta.dtype == np.dtype("int16")
    assert meta.chunk_grid.chunk_shape == meta.chunk_grid_shape == (1, 2)
    assert (meta.zarr_format, meta.node_type) == (3, "array")
    moved = dataclasses.replace(meta, shape=(4, 2))  # derived fields are not arguments; they follow
    assert moved.shape == (4, 2) and moved.data_type == meta.data_type and moved == meta.with_shape((4, 2))
    with pytest.raises(dataclasses.FrozenInstanceError):
        meta.data_type = zarrnb.dtype.Int8()  # type: ignore[misc]


def test_chunk_key_encodings_repr_like_zarr_python() -> None:
    assert repr(DefaultChunkKeyEncoding()) == "DefaultChunkKeyEncoding(separator='/')"
    assert repr(V2ChunkKeyEncoding(separator="/")) == "V2ChunkKeyEncoding(separator='/')"


def test_the_listing_is_a_frozen_dataclass_whose_metadata_is_a_read_only_view() -> None:
    listing = _hierarchy(zarrnb).metadata.consolidated_metadata
    assert dataclasses.is_dataclass(listing)
    with pytest.raises(dataclasses.FrozenInstanceError, match="kind"):
        listing.kind = "other"  # type: ignore[misc]
    with pytest.raises(TypeError, match="read-only"):
        listing.metadata["z"] = GroupMetadata()  # type: ignore[index]
    with pytest.raises(TypeError, match="read-only"):
        del listing.metadata["a"]  # type: ignore[attr-defined]
    assert listing.metadata.copy() == dict(listing.metadata)
    assert sorted(listing.metadata) == ["a", "b", "child"]
    grandchild = listing.metadata["child"].consolidated_metadata.metadata["child"]
    assert grandchild.consolidated_metadata == ConsolidatedMetadata({})  # each group its own listing
    assert dataclasses.replace(listing) == listing
