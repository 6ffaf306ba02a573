"""The libraries under test behind one small interface: create, open, write, read, window and point reads.

zarrnb and zarr-python share one adapter because zarrnb's public API is zarr-python 3's; tensorstore gets its
own. ``where`` is a directory for a local store or None for an in-memory one.
"""

from __future__ import annotations

import importlib
from typing import Any, Protocol

import numpy as np

from benchmarks.spec import ArraySpec


class Library(Protocol):
    """What a workload asks of a library; every method works on the handle ``create``/``open`` return."""

    name: str

    def create(self, spec: ArraySpec, where: str | None) -> Any: ...
    def open(self, spec: ArraySpec, where: str) -> Any: ...
    def write(self, handle: Any, data: np.ndarray) -> None: ...
    def read(self, handle: Any, selection: tuple[slice, ...] | None = None) -> np.ndarray: ...
    def read_points(self, handle: Any, points: list[tuple[int, ...]]) -> list[Any]: ...
    def read_vindex(self, handle: Any, coords: tuple[np.ndarray, ...]) -> np.ndarray: ...


class ZarrApi:
    """zarrnb or zarr-python, driven through the zarr-python 3 public API only."""

    def __init__(self, module_name: str, label: str) -> None:
        self.name = label
        self.module = importlib.import_module(module_name)

    def create(self, spec: ArraySpec, where: str | None) -> Any:
        store = self.module.storage.MemoryStore() if where is None else where
        return self.module.create_array(store=store, overwrite=True, **spec.create_kwargs())

    def open(self, spec: ArraySpec, where: str) -> Any:
        return self.module.open_array(store=where, mode="r", zarr_format=spec.zarr_format)

    def write(self, handle: Any, data: np.ndarray) -> None:
        handle[...] = data

    def read(self, handle: Any, selection: tuple[slice, ...] | None = None) -> np.ndarray:
        return handle[...] if selection is None else handle[selection]

    def read_points(self, handle: Any, points: list[tuple[int, ...]]) -> list[Any]:
        return [handle[p] for p in points]

    def read_vindex(self, handle: Any, coords: tuple[np.ndarray, ...]) -> np.ndarray:
        return handle.vindex[coords]


class TensorStore:
    """Google's tensorstore with its own zarr3 / zarr (v2) drivers, for a third opinion."""

    name = "tensorstore"

    def __init__(self) -> None:
        self.ts = importlib.import_module("tensorstore")

    @staticmethod
    def _kvstore(where: str | None) -> dict[str, str]:
        return {"driver": "memory"} if where is None else {"driver": "file", "path": where}

    def create(self, spec: ArraySpec, where: str | None) -> Any:
        if spec.zarr_format != 3:
            raise NotImplementedError("the benchmarks create only v3 arrays with tensorstore")
        document = {"driver": "zarr3", "kvstore": self._kvstore(where), "metadata": spec.v3_metadata()}
        return self.ts.open(document, create=True, delete_existing=True).result()

    def open(self, spec: ArraySpec, where: str) -> Any:
        driver = "zarr3" if spec.zarr_format == 3 else "zarr"
        return self.ts.open({"driver": driver, "kvstore": self._kvstore(where)}, open=True).result()

    def write(self, handle: Any, data: np.ndarray) -> None:
        handle.write(data).result()

    def read(self, handle: Any, selection: tuple[slice, ...] | None = None) -> np.ndarray:
        view = handle if selection is None else handle[selection]
        return view.read().result()

    def read_points(self, handle: Any, points: list[tuple[int, ...]]) -> list[Any]:
        return [handle[p].read().result() for p in points]

    def read_vindex(self, handle: Any, coords: tuple[np.ndarray, ...]) -> np.ndarray:
        return handle.vindex[coords].read().result()
