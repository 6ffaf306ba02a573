"""Hypothesis state machines for stores and hierarchies (zarr-python's ``zarr.testing.stateful``).

``ZarrStoreStateMachine(store)`` runs random sets, gets, partial gets, existence checks and deletes
against a store and a plain dict; ``ZarrHierarchyStateMachine(store)`` adds, overwrites, resizes,
lists and deletes groups, arrays and chunks in the store under test and in a ``MemoryStore`` model,
and checks that both always hold the same keys. The rules and helpers carry zarr-python's names, so
its store tests run them unchanged. Run either with
``hypothesis.stateful.run_state_machine_as_test(lambda: Machine(store))``.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar, cast

import numpy as np

try:
    import hypothesis.extra.numpy as npst
    import hypothesis.strategies as st
    from hypothesis import assume, note
    from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
except ImportError as exc:  # pragma: no cover - the test extra installs it
    raise ImportError(
        "zarrnb.testing.stateful needs the 'hypothesis' package (pip install hypothesis)"
    ) from exc

import zarrnb
from zarrnb.abc.store import Store
from zarrnb.api.sync import sync
from zarrnb.core.buffer import Buffer, BufferPrototype, default_buffer_prototype
from zarrnb.storage import LocalStore, MemoryStore
from zarrnb.testing.strategies import (
    basic_indices,
    chunk_paths,
    dimension_names,
    key_ranges,
    keys,
    node_names,
    np_array_and_chunks,
    orthogonal_indices,
)

__all__ = [
    "SyncStoreWrapper",
    "ZarrHierarchyStateMachine",
    "ZarrStoreStateMachine",
    "split_prefix_name",
    "with_frequency",
]

MAX_BINARY_SIZE = 100

F = TypeVar("F", bound=Callable[..., Any])


def with_frequency(frequency: float) -> Callable[[F], F]:
    """A precondition that lets a rule run on about ``frequency`` of the steps where hypothesis asks.

    It counts the asks on the machine, so the choice is deterministic and a failing run replays.
    """

    def decorate(func: F) -> F:
        counter = f"_{func.__name__}_asked"

        def due(machine: Any) -> bool:
            asked = getattr(machine, counter, 0) + 1
            setattr(machine, counter, asked)
            return (asked * frequency) % 1.0 >= 1.0 - frequency

        return cast(F, precondition(due)(func))

    return decorate


def split_prefix_name(path: str) -> tuple[str, str]:
    """``"a/b/c"`` -> ``("a/b", "c")``; a top-level name has the prefix ``""``."""
    prefix, _, name = path.rpartition("/")
    return prefix, name


def _collect(items: AsyncIterator[str]) -> builtins.list[str]:
    """An async iterator's items, gathered on the bridge loop."""

    async def gathered() -> builtins.list[str]:
        return [item async for item in items]

    return sync(gathered())


class SyncStoreWrapper:
    """A store's coroutines as plain calls: hypothesis runs state machines synchronously."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def supports_listing(self) -> bool:
        return self.store.supports_listing

    @property
    def supports_writes(self) -> bool:
        return self.store.supports_writes

    @property
    def supports_deletes(self) -> bool:
        return self.store.supports_deletes

    def set(self, key: str, data_buffer: Buffer) -> None:
        sync(self.store.set(key, data_buffer))

    def get(self, key: str, prototype: BufferPrototype | None = None) -> Buffer | None:
        return sync(self.store.get(key, prototype or default_buffer_prototype()))

    def get_partial_values(
        self, key_ranges: builtins.list[tuple[str, Any]], prototype: BufferPrototype | None = None
    ) -> builtins.list[Buffer | None]:
        return sync(self.store.get_partial_values(prototype or default_buffer_prototype(), key_ranges))

    def delete(self, path: str) -> None:
        sync(self.store.delete(path))

    def exists(self, key: str) -> bool:
        return sync(self.store.exists(key))

    def is_empty(self, prefix: str) -> bool:
        return sync(self.store.is_empty(prefix))

    def clear(self) -> None:
        sync(self.store.clear())

    def list(self) -> builtins.list[str]:
        return _collect(self.store.list())

    def list_prefix(self, prefix: str) -> builtins.list[str]:
        return _collect(self.store.list_prefix(prefix))

    def list_dir(self, prefix: str) -> builtins.list[str]:
        return _collect(self.store.list_dir(prefix))


def _bytes(value: Buffer | None) -> bytes | None:
    return None if value is None else value.to_bytes()


class ZarrStoreStateMachine(RuleBasedStateMachine):
    """Random key/value traffic on a store, checked against a dict (the model) after every step."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.model: dict[str, bytes] = {}
        self.store = SyncStoreWrapper(store)
        self.prototype = default_buffer_prototype()

    @initialize()
    def init_store(self) -> None:
        self.store.clear()

    @rule(key=keys(), data=st.binary(min_size=0, max_size=MAX_BINARY_SIZE))
    def set(self, key: str, data: bytes) -> None:
        note(f"(set) {key!r} <- {data!r}")
        assert not self.store.read_only
        self.store.set(key, Buffer.from_bytes(data))
        self.model[key] = data

    @precondition(lambda self: bool(self.model))
    @rule(key=keys(), data=st.data())
    def get(self, key: str, data: st.DataObject) -> None:
        """A stored key reads back what was set (``key`` when the model has it, else one it has)."""
        if key not in self.model:
            key = data.draw(st.sampled_from(sorted(self.model)), label="stored key")
        note(f"(get) {key!r}")
        assert _bytes(self.store.get(key, self.prototype)) == self.model[key], key

    @rule(key=keys(), data=st.data())
    def get_invalid_zarr_keys(self, key: str, data: st.DataObject) -> None:
        """A key never set (or deleted) reads as None."""
        assume(key not in self.model)
        note(f"(get missing) {key!r}")
        assert self.store.get(key, self.prototype) is None, key

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def get_partial_values(self, data: st.DataObject) -> None:
        requests = data.draw(key_ranges(keys=st.sampled_from(sorted(self.model)), max_size=MAX_BINARY_SIZE))
        note(f"(get partial) {requests!r}")
        found = self.store.get_partial_values(requests, self.prototype)
        expected = [self.model[key][r.start : r.end] for key, r in requests]
        assert [_bytes(f) for f in found] == expected, (found, expected)

    @precondition(lambda self: self.store.supports_deletes and bool(self.model))
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.model)))
        note(f"(delete) {key!r}")
        self.store.delete(key)
        del self.model[key]

    @precondition(lambda self: self.store.supports_deletes)
    @rule()
    def clear(self) -> None:
        note("(clear)")
        assert not self.store.read_only
        self.store.clear()
        self.model.clear()
        assert self.store.is_empty("")
        assert self.store.list() == []

    # a local store keeps empty folders once their keys are deleted, so "empty" differs there
    @precondition(lambda self: not isinstance(self.store.store, LocalStore))
    @rule()
    def is_empty(self) -> None:
        assert self.store.is_empty("") == (not self.model)

    @rule(key=keys())
    def exists(self, key: str) -> None:
        assert self.store.exists(key) == (key in self.model), key

    @invariant()
    def check_paths_equal(self) -> None:
        assert sorted(self.store.list()) == sorted(self.model)

    @invariant()
    def check_vals_equal(self) -> None:
        for key, value in self.model.items():
            assert _bytes(self.store.get(key, self.prototype)) == value, key

    @invariant()
    def check_num_zarr_keys_equal(self) -> None:
        assert len(self.store.list()) == len(self.model)

    @invariant()
    def check_zarr_keys(self) -> None:
        """Every listed key exists, and the store is empty exactly when nothing is listed."""
        listed = self.store.list()
        assert self.store.is_empty("") is (not listed)
        assert all(self.store.exists(key) for key in listed)


class ZarrHierarchyStateMachine(RuleBasedStateMachine):
    """Groups, arrays and chunks changed in the store under test and in a ``MemoryStore`` model (assumed
    right); both must always list the same keys and hold the same array values."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.model = MemoryStore()
        zarrnb.group(store=self.model)
        # full paths of the nodes created and not yet deleted
        self.all_groups: set[str] = set()
        self.all_arrays: set[str] = set()

    @initialize()
    def init_store(self) -> None:
        sync(self.store.clear())  # the store may be a fixture another example used
        zarrnb.group(store=self.store)

    def can_add(self, path: str) -> bool:
        """Whether no tracked node sits at ``path``."""
        return path not in self.all_groups and path not in self.all_arrays

    def _name(self, name: str) -> str:
        # file systems may ignore case: one spelling per name in a local store
        return name.lower() if isinstance(self.store, LocalStore) else name

    def _parent(self, data: st.DataObject, label: str) -> str:
        groups = sorted(self.all_groups)
        return data.draw(st.sampled_from(groups), label=label) if groups else ""

    def _both(self) -> tuple[Store, Store]:
        return self.store, self.model

    @rule(name=node_names, data=st.data())
    def add_group(self, name: str, data: st.DataObject) -> None:
        path = f"{self._parent(data, 'group parent')}/{self._name(name)}".lstrip("/")
        assume(self.can_add(path))
        note(f"adding group {path!r}")
        self.all_groups.add(path)
        for store in self._both():
            zarrnb.group(store=store, path=path)

    @rule(data=st.data(), name=node_names, array_and_chunks=np_array_and_chunks())
    def add_array(
        self, data: st.DataObject, name: str, array_and_chunks: tuple[np.ndarray, tuple[int, ...]]
    ) -> None:
        values, chunks = array_and_chunks
        fill_value = data.draw(npst.from_dtype(values.dtype), label="fill value")
        path = f"{self._parent(data, 'array parent')}/{self._name(name)}".lstrip("/")
        assume(self.can_add(path))
        names = data.draw(dimension_names(ndim=values.ndim), label="dimension names")
        note(f"adding array {path!r} shape={values.shape} chunks={chunks}")
        for store in self._both():
            zarrnb.create_array(
                store,
                name=path,
                data=values,
                chunks=chunks,
                fill_value=fill_value,
                zarr_format=3,
                dimension_names=names,
                compressors=None,  # plain bytes: no time spent compressing random data
            )
        self.all_arrays.add(path)

    @rule()
    @with_frequency(0.25)
    def clear(self) -> None:
        note("clearing")
        for store in self._both():
            sync(store.clear())
            assert sync(store.is_empty("/"))
            zarrnb.group(store=store)
        self.all_groups.clear()
        self.all_arrays.clear()

    def draw_directory(self, data: st.DataObject) -> str:
        """A tracked group or array path, or an array's chunk folder (``<array>/c/``)."""
        groups = st.sampled_from(sorted(self.all_groups)) if self.all_groups else st.nothing()
        arrays = st.sampled_from(sorted(self.all_arrays)) if self.all_arrays else st.nothing()
        path = data.draw(st.one_of(groups, arrays))
        if path in self.all_arrays and data.draw(st.booleans(), label="chunk folder"):
            return f"{path}/c/"
        return path

    @precondition(lambda self: bool(self.all_groups))
    @rule(data=st.data())
    def check_list_dir(self, data: st.DataObject) -> None:
        path = self.draw_directory(data)
        # a local store keeps a chunk folder whose chunks were deleted; the model does not
        assume(not isinstance(self.store, LocalStore))
        note(f"list_dir of {path!r}")
        listed = [sorted(_collect(store.list_dir(path))) for store in (self.model, self.store)]
        assert listed[0] == listed[1], listed

    def _open(self, store: Store, path: str) -> zarrnb.Array:
        return zarrnb.open_array(store=store, path=path)

    @precondition(lambda self: bool(self.all_arrays))
    @rule(data=st.data())
    def delete_chunk(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(sorted(self.all_arrays)))
        array = self._open(self.model, path)
        chunk = data.draw(chunk_paths(ndim=array.ndim, numblocks=array.cdata_shape, subset=False))
        note(f"deleting chunk {path}/c/{chunk}")
        for store in self._both():
            sync(store.delete(f"{path}/c/{chunk}"))

    @precondition(lambda self: bool(self.all_arrays))
    @rule(data=st.data())
    def check_array(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(sorted(self.all_arrays)))
        np.testing.assert_equal(self._open(self.store, path)[:], self._open(self.model, path)[:])

    @precondition(lambda self: bool(self.all_arrays))
    @rule(data=st.data())
    def overwrite_array_basic_indexing(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(sorted(self.all_arrays)))
        model, ours = self._open(self.model, path), self._open(self.store, path)
        index = data.draw(basic_indices(shape=model.shape))
        values = data.draw(npst.arrays(shape=np.shape(model[index]), dtype=model.dtype))
        note(f"overwriting {path!r}[{index!r}]")
        model[index] = values
        ours[index] = values

    @precondition(lambda self: bool(self.all_arrays))
    @rule(data=st.data())
    def overwrite_array_orthogonal_indexing(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(sorted(self.all_arrays)))
        model, ours = self._open(self.model, path), self._open(self.store, path)
        index, _ = data.draw(orthogonal_indices(shape=model.shape))
        values = data.draw(npst.arrays(shape=model.oindex[index].shape, dtype=model.dtype))
        note(f"overwriting {path!r}.oindex[{index!r}]")
        model.oindex[index] = values
        ours.oindex[index] = values

    @precondition(lambda self: bool(self.all_arrays))
    @rule(data=st.data())
    def resize_array(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(sorted(self.all_arrays)))
        model, ours = self._open(self.model, path), self._open(self.store, path)
        drawn = data.draw(npst.array_shapes(min_dims=model.ndim, max_dims=model.ndim, min_side=0))
        # an axis of length 0 stays 0 (its chunk side may be 0 too)
        shape = tuple(0 if old == 0 else new for new, old in zip(drawn, model.shape, strict=True))
        note(f"resizing {path!r} from {model.shape} to {shape}")
        model.resize(shape)
        ours.resize(shape)

    def _forget(self, path: str) -> None:
        """Stop tracking ``path`` and every node below it."""
        below = {node for node in self.all_groups | self.all_arrays if node.startswith(path)}
        self.all_groups -= below
        self.all_arrays -= below

    @precondition(lambda self: bool(self.all_arrays) or bool(self.all_groups))
    @rule(data=st.data())
    def delete_dir(self, data: st.DataObject) -> None:
        path = self.draw_directory(data)
        note(f"delete_dir of {path!r}")
        for store in (self.model, self.store):
            sync(store.delete_dir(path))
        self._forget(path)

    @precondition(lambda self: self.store.supports_deletes and bool(self.all_arrays))
    @rule(data=st.data())
    def delete_array_using_del(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(sorted(self.all_arrays)), label="array to delete")
        prefix, name = split_prefix_name(path)
        note(f"del group[{name!r}] in {prefix!r}")
        for store in (self.model, self.store):
            group = zarrnb.open_group(store=store, path=prefix)
            assert isinstance(group[name], zarrnb.Array)
            del group[name]
        self.all_arrays.remove(path)

    @precondition(lambda self: self.store.supports_deletes and bool(self.all_groups))
    @rule(data=st.data())
    def delete_group_using_del(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(sorted(self.all_groups)), label="group to delete")
        prefix, name = split_prefix_name(path)
        note(f"del group[{name!r}] in {prefix!r}")
        for _, node in zarrnb.open_group(store=self.model, path=path).members(max_depth=None):
            (self.all_arrays if isinstance(node, zarrnb.Array) else self.all_groups).remove(node.path)
        for store in (self.store, self.model):
            group = zarrnb.open_group(store=store, path=prefix)
            assert isinstance(group[name], zarrnb.Group)
            del group[name]
        self.all_groups.remove(path)

    @invariant()
    def check_list_prefix_from_root(self) -> None:
        """Store and model list the same keys, each tracked node's ``zarr.json`` among them."""
        model_keys = sorted(_collect(self.model.list_prefix("")))
        store_keys = sorted(_collect(self.store.list_prefix("")))
        note(f"{len(model_keys)} keys expected, {len(store_keys)} listed")
        assert model_keys == store_keys, (model_keys, store_keys)
        documents = {f"{path}/zarr.json" for path in self.all_groups | self.all_arrays}
        assert documents <= set(store_keys), sorted(documents - set(store_keys))
