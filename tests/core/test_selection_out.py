"""``out=`` on every get_*_selection: the chunks decode into the caller's array (zarr-python: the oracle)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import zarr

import zarrnb

DATA = np.arange(48, dtype="i4").reshape(6, 8)
CASES: list[tuple[str, Any, tuple[int, ...]]] = [
    ("get_basic_selection", (slice(1, 5), slice(None, None, 2)), (4, 4)),
    ("get_orthogonal_selection", ([0, 2, 5], [1, 7]), (3, 2)),
    ("get_coordinate_selection", ([0, 2, 5], [1, 7, 3]), (3,)),
    ("get_mask_selection", DATA % 5 == 0, (int((DATA % 5 == 0).sum()),)),
    ("get_block_selection", (1, slice(0, 2)), (3, 6)),
]


def _read(lib: Any, method: str, selection: Any, out: Any) -> np.ndarray:
    array = lib.create_array(lib.storage.MemoryStore(), shape=DATA.shape, chunks=(3, 3), dtype="i4")
    array[:] = DATA
    result = getattr(array, method)(selection, out=out)
    return np.asarray(result)


@pytest.mark.parametrize(("method", "selection", "shape"), CASES, ids=[c[0] for c in CASES])
def test_out_receives_what_zarr_python_reads(method: str, selection: Any, shape: tuple[int, ...]) -> None:
    ours_out = np.full(shape, -1, dtype="i4")
    theirs_out = zarr.core.buffer.cpu.NDBuffer.from_numpy_array(np.full(shape, -1, dtype="i4"))
    ours = _read(zarrnb, method, selection, ours_out)
    theirs = _read(zarr, method, selection, theirs_out)
    np.testing.assert_array_equal(ours_out, theirs_out.as_numpy_array())
    np.testing.assert_array_equal(ours, theirs)
    assert (ours_out != -1).all()


def test_out_of_the_wrong_shape_is_refused_naming_out() -> None:
    with pytest.raises(ValueError, match="parameter 'out'"):
        _read(zarrnb, "get_orthogonal_selection", ([0, 1], [0]), np.empty((3, 3), dtype="i4"))


def test_out_of_another_dtype_is_cast_into_as_zarr_python_does() -> None:
    ours_out = np.zeros((4, 4))
    theirs_out = zarr.core.buffer.cpu.NDBuffer.from_numpy_array(np.zeros((4, 4)))
    _read(zarrnb, "get_orthogonal_selection", ([0, 1, 2, 3], [0, 2, 4, 6]), ours_out)
    _read(zarr, "get_orthogonal_selection", ([0, 1, 2, 3], [0, 2, 4, 6]), theirs_out)
    np.testing.assert_array_equal(ours_out, theirs_out.as_numpy_array())
    assert ours_out.dtype == np.float64 and ours_out[3, 3] == DATA[3, 6]
