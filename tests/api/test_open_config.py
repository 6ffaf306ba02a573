"""``open``/``open_array`` apply ``config=`` to an array that already exists, as zarr-python does."""

from __future__ import annotations

import numpy as np

import zarrnb
from zarrnb.storage import MemoryStore


def test_config_reaches_an_opened_array() -> None:
    store = MemoryStore()
    zarrnb.create_array(store, name="x", shape=(4,), chunks=(1,), dtype="f8")
    assert not zarrnb.open_array(store, path="x", mode="r").config.write_empty_chunks
    for opened in (
        zarrnb.open(store=store, path="x", config={"write_empty_chunks": True}),
        zarrnb.open_array(store, path="x", mode="a", config={"write_empty_chunks": True}),
    ):
        assert opened.config.write_empty_chunks
        opened[...] = np.nan  # the fill value, written anyway
        assert sorted(k for k in store._store_dict if k.startswith("x/c/")) == [f"x/c/{i}" for i in range(4)]
