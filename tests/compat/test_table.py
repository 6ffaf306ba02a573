"""The switch's table: every entry imports, and serving it cannot disturb zarrnb's own packages."""

from __future__ import annotations

import importlib

import pytest

from zarrnb.compat.table import ZARR_MODULES


@pytest.mark.parametrize("zarr_name", sorted(ZARR_MODULES))
def test_every_entry_imports(zarr_name: str) -> None:
    module = importlib.import_module(ZARR_MODULES[zarr_name])
    assert module.__name__ == ZARR_MODULES[zarr_name]


@pytest.mark.parametrize("zarr_name", sorted(n for n in ZARR_MODULES if "." in n))
def test_parents_are_entries_and_packages(zarr_name: str) -> None:
    parent = zarr_name.rpartition(".")[0]
    assert parent in ZARR_MODULES, f"{zarr_name} is mapped but its parent {parent} is not"
    assert hasattr(importlib.import_module(ZARR_MODULES[parent]), "__path__"), (
        f"{parent} has children in the table, so {ZARR_MODULES[parent]} must be a package"
    )


@pytest.mark.parametrize("zarr_name", sorted(n for n in ZARR_MODULES if "." in n))
def test_children_never_replace_an_attribute_of_the_parent(zarr_name: str) -> None:
    # importing zarr.a.b sets <module of zarr.a>.b; that must be the same thing or something new
    parent_name, _, child = zarr_name.rpartition(".")
    parent = importlib.import_module(ZARR_MODULES[parent_name])
    module = importlib.import_module(ZARR_MODULES[zarr_name])
    existing = vars(parent).get(child)  # its own attribute, not one a module __getattr__ lends
    assert existing is None or existing is module, (
        f"{zarr_name} -> {module.__name__} would replace {parent.__name__}.{child} ({existing!r})"
    )


def test_table_serves_the_paths_numcodecs_and_the_suite_need() -> None:
    for name in ("zarr", "zarr.storage", "zarr.core.sync", "zarr.core.common", "zarr.core.buffer",
                 "zarr.core.metadata.v3", "zarr.storage._common", "zarr.errors", "zarr.abc.store"):
        assert name in ZARR_MODULES
