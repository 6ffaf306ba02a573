"""NDArrayLike lists the members zarr-python's protocol lists, and NumPy arrays have every one."""

from __future__ import annotations

import numpy as np
import zarr.core.buffer.core

from zarrnb.core.buffer import NDArrayLike
from zarrnb.testing.buffer import TestNDArrayLike


def _members(protocol: type) -> set[str]:
    """The names a protocol class declares (its own body, dunders it declares included)."""
    return {n for n in vars(protocol) if not n.startswith("_abc") and n not in _BOOKKEEPING}


_BOOKKEEPING = {
    "__module__", "__doc__", "__dict__", "__weakref__", "__parameters__", "__protocol_attrs__",
    "__subclasshook__", "__init__", "__non_callable_proto_members__", "__annotations__",
    "_is_protocol", "_is_runtime_protocol", "__orig_bases__", "__firstlineno__", "__static_attributes__",
    "__hash__", "__abstractmethods__",
}  # fmt: skip


def test_members_match_zarr_python() -> None:
    theirs = _members(zarr.core.buffer.core.NDArrayLike)
    assert _members(NDArrayLike) >= theirs - {"__eq__"}


def test_numpy_and_the_test_array_have_every_member() -> None:
    for array in (np.zeros((2, 3)), TestNDArrayLike((2,), dtype="i4")):
        assert not [n for n in _members(NDArrayLike) if not hasattr(array, n)]
