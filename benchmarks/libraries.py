"""The libraries under test behind one small interface: create, open, write, read, window and point reads.

zarrnb and zarr-python share one adapter because zarrnb's public API is zarr-python 3's; zarr-python with
the zarrs codec pipeline (Rust) is the same adapter with zarr's config switched around every call;
tensorstore gets its own. ``where`` is a directory for a local store or None for an in-memory one.
An operation a library has no API for raises ``NotApplicable`` (shown as ``n/a``, not as an error).
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from typing import Any, Protocol

import numpy as np

from benchmarks.spec import ArraySpec


class NotApplicable(Exception):
    """The library has no API for this operation (e.g. consolidated groups in tensorstore)."""


class Library(Protocol):
    """What a workload asks of a library; every method works on the handle ``create``/``open`` return."""

    name: str

    def create(self, spec: ArraySpec, where: str | None) -> Any: ...
    def open(self, spec: ArraySpec, where: str) -> Any: ...
    def write(self, handle: Any, data: np.ndarray) -> None: ...
    def read(self, handle: Any, selection: tuple[slice, ...] | None = None) -> np.ndarray: ...
    def read_points(self, handle: Any, points: list[tuple[int, ...]]) -> list[Any]: ...
    def read_vindex(self, handle: Any, coords: tuple[np.ndarray, ...]) -> np.ndarray: ...
    def read_into(self, handle: Any, out: np.ndarray) -> None: ...
    def open_listed(self, where: str) -> list[str]: ...
    def copy(self, handle: Any, where: str) -> None: ...


class ZarrApi:
    """zarrnb or zarr-python, driven through the zarr-python 3 public API only."""

    def __init__(self, module_name: str, label: str) -> None:
        self.name = label
        self.module = importlib.import_module(module_name)

    @contextlib.contextmanager
    def configured(self) -> Iterator[None]:
        """The library's settings around a call (none here; the zarrs variant switches pipelines)."""
        yield

    def create(self, spec: ArraySpec, where: str | None) -> Any:
        store = self.module.storage.MemoryStore() if where is None else where
        with self.configured():
            return self.module.create_array(store=store, overwrite=True, **spec.create_kwargs())

    def open(self, spec: ArraySpec, where: str) -> Any:
        with self.configured():
            return self.module.open_array(store=where, mode="r", zarr_format=spec.zarr_format)

    def write(self, handle: Any, data: np.ndarray) -> None:
        with self.configured():
            handle[...] = data

    def read(self, handle: Any, selection: tuple[slice, ...] | None = None) -> np.ndarray:
        with self.configured():
            return handle[...] if selection is None else handle[selection]

    def read_points(self, handle: Any, points: list[tuple[int, ...]]) -> list[Any]:
        with self.configured():
            return [handle[p] for p in points]

    def read_vindex(self, handle: Any, coords: tuple[np.ndarray, ...]) -> np.ndarray:
        with self.configured():
            return handle.vindex[coords]

    def read_into(self, handle: Any, out: np.ndarray) -> None:
        """The whole array into the preallocated ``out`` (zarr-python wants an NDBuffer around it)."""
        with self.configured():
            if self.module.__name__ == "zarr":
                from zarr.core.buffer import default_buffer_prototype

                handle.get_basic_selection(
                    ..., out=default_buffer_prototype().nd_buffer.from_numpy_array(out)
                )
            else:
                handle.get_basic_selection(..., out=out)

    def open_listed(self, where: str) -> list[str]:
        """Open the consolidated hierarchy at ``where`` and list its arrays (each one a node object)."""
        with self.configured():
            group = self.module.open_consolidated(where, mode="r")
            return [name for name, _ in group.arrays()]

    def copy(self, handle: Any, where: str) -> None:
        """Copy the array to a new local store: ``zarr.copy`` in zarrnb, ``from_array`` in zarr-python."""
        with self.configured():
            if self.module.__name__ == "zarr":
                self.module.from_array(where, data=handle, overwrite=True)
            else:
                self.module.copy(handle, where, overwrite=True, progress=False)


class ZarrsPipeline(ZarrApi):
    """zarr-python with the zarrs codec pipeline (the ``zarrs`` package), switched on around each call."""

    def __init__(self) -> None:
        importlib.import_module("zarrs")
        super().__init__("zarr", "zarrs")

    @contextlib.contextmanager
    def configured(self) -> Iterator[None]:
        with self.module.config.set({"codec_pipeline.path": "zarrs.ZarrsCodecPipeline"}):
            yield


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

    def read_into(self, handle: Any, out: np.ndarray) -> None:
        raise NotApplicable("tensorstore reads return a new array (no out=)")

    def open_listed(self, where: str) -> list[str]:
        raise NotApplicable("tensorstore has no groups or consolidated metadata")

    def copy(self, handle: Any, where: str) -> None:
        raise NotApplicable("tensorstore has no hierarchy copy")
