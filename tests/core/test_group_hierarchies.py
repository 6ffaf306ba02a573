"""Random hierarchies: listings match what was created, with consolidated metadata and in zarr-python."""

from __future__ import annotations

import warnings

import zarr
from hypothesis import given, settings
from hypothesis import strategies as st

import zarrnb
from zarrnb.api.sync import collect, sync
from zarrnb.core.buffer import default_buffer_prototype
from zarrnb.storage import MemoryStore

names = st.sampled_from(["a", "b", "c", "data", "x1"])
# a hierarchy: each member is an array (None) or a group (dict of members)
hierarchies = st.recursive(
    st.dictionaries(names, st.none(), max_size=3),
    lambda children: st.dictionaries(names, st.none() | children, max_size=3),
    max_leaves=12,
)


def _build(group, layout: dict, prefix: str = "") -> set[str]:
    created = set()
    for name, child in layout.items():
        path = f"{prefix}{name}"
        created.add(path)
        if child is None:
            group.create_array(name, shape=(2,), dtype="i1")
        else:
            created |= _build(group.create_group(name), child, path + "/")
    return created


def _everything(group) -> set[str]:
    return {name for name, _ in group.members(max_depth=None)}


@settings(max_examples=25, deadline=None)
@given(layout=hierarchies, zarr_format=st.sampled_from([2, 3]))
def test_listings_agree(layout: dict, zarr_format: int) -> None:
    store = MemoryStore()
    root = zarrnb.create_group(store, zarr_format=zarr_format)
    created = _build(root, layout)
    assert _everything(root) == created
    assert {n for n, _ in root.members()} == set(layout)
    consolidated = zarrnb.consolidate_metadata(store)
    assert _everything(consolidated) == created
    assert all(path in consolidated for path in created)
    counts = repr(consolidated.info)
    assert f"No. members : {len(created)}" in counts

    ref = zarr.storage.MemoryStore()
    make = zarr.core.buffer.default_buffer_prototype().buffer.from_bytes
    for key in sync(collect(store.list())):
        ref._store_dict[key] = make(sync(store.get(key, default_buffer_prototype())).to_bytes())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = zarr.open_group(ref, mode="r")
        assert {name for name, _ in theirs.members(max_depth=None)} == created
