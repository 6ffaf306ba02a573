"""Hypothesis state machines for stores and hierarchies (zarr-python's ``zarr.testing.stateful``).

``ZarrStoreStateMachine(store)`` runs random sets, gets, partial gets and deletes against a store and
a plain dict; ``ZarrHierarchyStateMachine(store)`` builds, writes, resizes and deletes groups and
arrays in the store under test and in a ``MemoryStore`` model, and checks both always agree. Run
either with ``hypothesis.stateful.run_state_machine_as_test(lambda: Machine(store))``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

try:
    import hypothesis.strategies as st
    from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
except ImportError as exc:  # pragma: no cover - the test extra installs it
    raise ImportError(
        "zarrnb.testing.stateful needs the 'hypothesis' package (pip install hypothesis)"
    ) from exc

import zarrnb
from zarrnb.abc.store import RangeByteRequest, Store
from zarrnb.api.sync import sync
from zarrnb.core.buffer import Buffer, default_buffer_prototype
from zarrnb.storage import MemoryStore
from zarrnb.testing.strategies import basic_indices, keys, node_names, np_array_and_chunks, numpy_arrays

__all__ = ["SyncStoreWrapper", "ZarrHierarchyStateMachine", "ZarrStoreStateMachine"]

MAX_BINARY_SIZE = 100


async def _listed(store: Store, prefix: str = "") -> list[str]:
    return sorted([key async for key in store.list_prefix(prefix)])


class SyncStoreWrapper:
    """A store's coroutines as plain calls, for state machines (which are synchronous)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def supports_deletes(self) -> bool:
        return self.store.supports_deletes

    def set(self, key: str, data_buffer: Buffer) -> None:
        sync(self.store.set(key, data_buffer))

    def get(self, key: str, prototype: Any = None) -> Buffer | None:
        return sync(self.store.get(key, prototype or default_buffer_prototype()))

    def get_partial_values(
        self, key_ranges: list[tuple[str, Any]], prototype: Any = None
    ) -> list[Buffer | None]:
        return sync(self.store.get_partial_values(prototype or default_buffer_prototype(), key_ranges))

    def delete(self, key: str) -> None:
        sync(self.store.delete(key))

    def exists(self, key: str) -> bool:
        return sync(self.store.exists(key))

    def is_empty(self, prefix: str) -> bool:
        return sync(self.store.is_empty(prefix))

    def clear(self) -> None:
        sync(self.store.clear())

    def list(self) -> list[str]:
        return sync(_listed(self.store))

    def list_prefix(self, prefix: str) -> list[str]:
        return sync(_listed(self.store, prefix))


class ZarrStoreStateMachine(RuleBasedStateMachine):
    """Random key/value traffic on a store, checked against a dict after every step."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.model: dict[str, bytes] = {}
        self.store = SyncStoreWrapper(store)

    @initialize()
    def init_store(self) -> None:
        self.store.clear()

    @rule(key=keys(max_num_nodes=3), data=st.binary(min_size=0, max_size=MAX_BINARY_SIZE))
    def set(self, key: str, data: bytes) -> None:
        self.store.set(key, Buffer.from_bytes(data))
        self.model[key] = data

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def get(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.model)))
        found = self.store.get(key)
        assert found is not None and found.to_bytes() == self.model[key], key

    @rule(key=keys(max_num_nodes=3))
    def get_missing(self, key: str) -> None:
        if key not in self.model:
            assert self.store.get(key) is None, key

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def get_partial_values(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.model)))
        size = len(self.model[key])
        start = data.draw(st.integers(min_value=0, max_value=size))
        end = data.draw(st.integers(min_value=start, max_value=size))
        (found,) = self.store.get_partial_values([(key, RangeByteRequest(start, end))])
        assert found is not None and found.to_bytes() == self.model[key][start:end], (key, start, end)

    @precondition(lambda self: self.store.supports_deletes and bool(self.model))
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.model)))
        self.store.delete(key)
        del self.model[key]
        assert not self.store.exists(key), key

    @precondition(lambda self: self.store.supports_deletes)
    @rule()
    def clear(self) -> None:
        self.store.clear()
        self.model.clear()
        assert self.store.is_empty("")

    @invariant()
    def keys_match(self) -> None:
        assert self.store.list() == sorted(self.model)


class ZarrHierarchyStateMachine(RuleBasedStateMachine):
    """Groups and arrays built in the store under test and in a memory model; both must always agree."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.model = MemoryStore()
        self.all_groups: set[str] = set()
        self.all_arrays: set[str] = set()

    def _roots(self) -> tuple[Any, Any]:
        return zarrnb.open_group(self.store, mode="a"), zarrnb.open_group(self.model, mode="a")

    @initialize()
    def init_store(self) -> None:
        sync(self.store.clear())
        zarrnb.open_group(self.store, mode="w")
        zarrnb.open_group(self.model, mode="w")

    def _new_path(self, data: st.DataObject, name: str) -> str | None:
        parent = data.draw(st.sampled_from(["", *sorted(self.all_groups)]), label="parent group")
        path = f"{parent}/{name}" if parent else name
        taken = self.all_groups | self.all_arrays
        # a path below an array, or an existing node, is not a place for a new one
        if path in taken or any(path.startswith(a + "/") for a in self.all_arrays):
            return None
        return path

    @rule(name=node_names, data=st.data())
    def add_group(self, name: str, data: st.DataObject) -> None:
        path = self._new_path(data, name)
        if path is None:
            return
        for root in self._roots():
            root.create_group(path)
        self.all_groups.add(path)

    @rule(name=node_names, data=st.data(), array_and_chunks=np_array_and_chunks(arrays=numpy_arrays(
        shapes=st.tuples(st.integers(1, 6), st.integers(1, 6)))))  # fmt: skip
    def add_array(
        self, name: str, data: st.DataObject, array_and_chunks: tuple[np.ndarray, tuple[int, ...]]
    ) -> None:
        path = self._new_path(data, name)
        if path is None:
            return
        values, chunks = array_and_chunks
        for root in self._roots():
            array = root.create_array(
                path, shape=values.shape, chunks=chunks, dtype=values.dtype, fill_value=None
            )
            array[...] = values
        self.all_arrays.add(path)

    @precondition(lambda self: bool(self.all_arrays))
    @rule(data=st.data())
    def overwrite_array_basic_indexing(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(sorted(self.all_arrays)))
        ours, model = (root[path] for root in self._roots())
        index = data.draw(basic_indices(shape=model.shape, allow_ellipsis=False))
        new = data.draw(numpy_arrays(shapes=st.just(model[index].shape), dtype=model.dtype))
        ours[index] = new
        model[index] = new

    @precondition(lambda self: bool(self.all_arrays))
    @rule(data=st.data())
    def resize_array(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(sorted(self.all_arrays)))
        ours, model = (root[path] for root in self._roots())
        shape = data.draw(st.tuples(*(st.integers(0, 8) for _ in model.shape)))
        ours.resize(shape)
        model.resize(shape)

    @precondition(lambda self: self.store.supports_deletes and bool(self.all_arrays | self.all_groups))
    @rule(data=st.data())
    def delete_node(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(sorted(self.all_arrays | self.all_groups)))
        parent, _, name = path.rpartition("/")
        for root in self._roots():
            del (root[parent] if parent else root)[name]
        self.all_arrays = {a for a in self.all_arrays if a != path and not a.startswith(path + "/")}
        self.all_groups = {g for g in self.all_groups if g != path and not g.startswith(path + "/")}

    @precondition(lambda self: bool(self.all_arrays))
    @rule(data=st.data())
    def check_array(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(sorted(self.all_arrays)))
        ours, model = (root[path] for root in self._roots())
        np.testing.assert_array_equal(ours[...], model[...])

    @invariant()
    def same_keys_as_the_model(self) -> None:
        assert sync(_listed(self.store)) == sync(_listed(self.model))
