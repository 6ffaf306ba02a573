"""``ConsolidatedMetadata``'s zarr-python surface: nested construction, ``flattened_metadata``,
``to_dict``/``from_dict``, equality by content, and group metadata holding the listing."""

from __future__ import annotations

import json
import pickle
import warnings

import pytest
import zarr
import zarr.core.group as zp_group

import zarrnb
from zarrnb.buffer import default_buffer_prototype
from zarrnb.metadata import ArrayV3Metadata, GroupMetadata
from zarrnb.metadata.consolidated import ConsolidatedMetadata
from zarrnb.storage import MemoryStore

ARRAY = {
    "zarr_format": 3,
    "node_type": "array",
    "shape": (4,),
    "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": (2,)}},
    "data_type": "int16",
    "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
    "codecs": ({"name": "bytes", "configuration": {"endian": "little"}},),
    "fill_value": 0,
    "attributes": {},
}


def _nested() -> ConsolidatedMetadata:
    inner = ConsolidatedMetadata({"b": ArrayV3Metadata.from_dict(ARRAY), "deep": GroupMetadata()})
    return ConsolidatedMetadata(
        {"a": ArrayV3Metadata.from_dict(ARRAY), "sub": GroupMetadata(consolidated_metadata=inner)}
    )


def test_a_nested_listing_is_kept_flat_and_shown_nested_like_zarr_pythons() -> None:
    listing = _nested()
    assert list(listing.flat) == ["a", "sub", "sub/b", "sub/deep"]
    assert list(listing.metadata) == ["a", "sub"] and len(listing.metadata) == 2
    sub = listing.metadata["sub"]
    assert list(sub.consolidated_metadata.metadata) == ["b", "deep"] and sub is listing.metadata["sub"]
    assert "sub/b" in listing.metadata and listing.metadata["sub/b"] is listing.flat["sub/b"]
    assert listing.counts() == (4, 2, 2)
    flat = listing.flattened_metadata
    assert flat["sub"] == GroupMetadata(consolidated_metadata=ConsolidatedMetadata())
    assert flat["sub/b"] is listing.flat["sub/b"]


def test_to_dict_matches_zarr_python_and_from_dict_reads_it_back() -> None:
    ours = _nested().to_dict()
    zp_array = zarr.core.metadata.ArrayV3Metadata.from_dict(dict(ARRAY))
    theirs = zp_group.ConsolidatedMetadata(
        {
            "a": zp_array,
            "sub": zp_group.GroupMetadata(
                consolidated_metadata=zp_group.ConsolidatedMetadata(
                    {
                        "b": zp_array,
                        "deep": zp_group.GroupMetadata(
                            consolidated_metadata=zp_group.ConsolidatedMetadata({})
                        ),
                    }
                )
            ),
        }
    ).to_dict()
    assert json.dumps(ours, sort_keys=True) == json.dumps(theirs, sort_keys=True)
    assert list(ours["metadata"]) == list(theirs["metadata"])  # depth, then name
    assert ConsolidatedMetadata.from_dict(ours) == _nested()


@pytest.mark.parametrize(
    ("data", "error", "match"),
    [
        ({"metadata": {}}, ValueError, "kind='None'"),
        ({"kind": "x", "metadata": {}}, ValueError, "kind='x'"),
        ({"kind": "inline"}, TypeError, "Unexpected type for 'metadata'"),
        ({"kind": "inline", "metadata": {"foo": [1]}}, TypeError, "key='foo', type='list'"),
    ],
)
def test_from_dict_refuses_malformed_listings(data: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        ConsolidatedMetadata.from_dict(data)


def test_group_metadata_holds_the_parsed_listing_and_writes_it_back() -> None:
    store = MemoryStore()
    root = zarrnb.create_group(store)
    root.create_array("x", shape=(2,), dtype="u1")
    with pytest.warns(UserWarning, match="not part in the Zarr format 3 specification"):
        zarrnb.consolidate_metadata(store)
    metadata = zarrnb.open_group(store, mode="r").metadata
    assert isinstance(metadata.consolidated_metadata, ConsolidatedMetadata)
    assert metadata.consolidated_metadata.metadata["x"].shape == (2,)
    written = json.loads(metadata.to_buffer_dict(default_buffer_prototype())["zarr.json"].to_bytes())
    stored = json.loads(store._store_dict["zarr.json"].to_bytes())
    assert written == stored
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert zarr.open_group(store._store_dict, mode="r").metadata.consolidated_metadata.metadata[
            "x"
        ].shape == (2,)


def test_consolidating_a_read_only_store_is_refused() -> None:
    store = MemoryStore()
    zarrnb.create_group(store)
    with pytest.raises(ValueError, match="does not support writing"):
        zarrnb.consolidate_metadata(MemoryStore(store._store_dict, read_only=True))


def test_open_consolidated_refuses_use_consolidated_false() -> None:
    with pytest.raises(TypeError, match="use_consolidated"):
        zarrnb.open_consolidated(MemoryStore(), use_consolidated=False)


def test_a_store_may_opt_out_of_consolidated_metadata() -> None:
    class SelfConsolidating(MemoryStore):
        @property
        def supports_consolidated_metadata(self) -> bool:
            return False

    store = SelfConsolidating()
    zarrnb.create_group(store)
    with pytest.raises(TypeError, match=r"\(SelfConsolidating\) doesn't support consolidated metadata"):
        zarrnb.consolidate_metadata(store)


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_consolidated_metadata_and_its_group_pickle(zarr_format: int) -> None:
    """xarray pickles datasets holding a consolidated group: the listing round-trips, still lazy."""
    store = MemoryStore()
    root = zarrnb.create_group(store, zarr_format=zarr_format)
    root.create_group("g").create_array("a", shape=(2,), dtype="i1")
    zarrnb.consolidate_metadata(store)
    group = zarrnb.open_group(store, mode="r", use_consolidated=True)
    listing = group.metadata.consolidated_metadata
    copy = pickle.loads(pickle.dumps(listing))
    assert copy == listing and list(copy.flat) == ["g", "g/a"]
    assert pickle.loads(pickle.dumps(group)).metadata == group.metadata
