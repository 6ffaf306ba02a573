"""zarr-python's ``zarr.core.common`` and ``zarr.core.chunk_grids`` names, zarr-python as the oracle."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import zarr.core.chunk_grids as their_grids
import zarr.core.common as their_common

from zarrnb.core import common
from zarrnb.metadata.chunk_grid import RegularChunkGrid, _auto_partition


@pytest.mark.parametrize("data", [0, 5, np.int64(3), (2, 3), [0, 1], range(3), (np.int32(4),)])
def test_parse_shapelike_matches_zarr_python(data: Any) -> None:
    assert common.parse_shapelike(data) == their_common.parse_shapelike(data)


@pytest.mark.parametrize(
    ("data", "error"),
    [(-1, ValueError), ((1, -2), ValueError), (1.5, TypeError), ((1, "a"), TypeError), ("ab", TypeError)],
)
def test_parse_shapelike_refuses_what_zarr_python_refuses(data: Any, error: type) -> None:
    with pytest.raises(error) as theirs:
        their_common.parse_shapelike(data)
    with pytest.raises(error) as ours:
        common.parse_shapelike(data)
    assert str(ours.value).rstrip(".") == str(theirs.value).rstrip(".")


def test_constants_and_helpers() -> None:
    assert (common.ZARR_JSON, common.ZARRAY_JSON, common.ZATTRS_JSON, common.ZGROUP_JSON) == (
        their_common.ZARR_JSON, their_common.ZARRAY_JSON, their_common.ZATTRS_JSON, their_common.ZGROUP_JSON,
    )  # fmt: skip
    assert common.ceildiv(7, 2) == their_common.ceildiv(7, 2) == 4
    assert common.ceildiv(0, 3) == their_common.ceildiv(0, 3) == 0
    assert common.product((2, 3, 4)) == their_common.product((2, 3, 4)) == 24
    assert set(common.ANY_ACCESS_MODE) == set(their_common.ANY_ACCESS_MODE)


def test_regular_chunk_grid_matches_zarr_python() -> None:
    ours = RegularChunkGrid(chunk_shape=(2, 3))
    theirs = their_grids.RegularChunkGrid(chunk_shape=(2, 3))
    assert ours.to_dict() == theirs.to_dict()
    assert RegularChunkGrid.from_dict(theirs.to_dict()) == ours
    assert list(ours.all_chunk_coords((5, 6))) == list(theirs.all_chunk_coords((5, 6)))
    assert ours.get_nchunks((5, 6)) == theirs.get_nchunks((5, 6)) == 6
    with pytest.raises(ValueError, match="regular"):
        RegularChunkGrid.from_dict({"name": "rectilinear"})
    with pytest.raises(ValueError, match="positive"):
        RegularChunkGrid(chunk_shape=(0,))


@pytest.mark.parametrize(
    ("chunks", "shards"),
    [("auto", None), ((10, 10), None), ("auto", (100, 100)), ((5, 5), (50, 50)), ((10, 10), "auto")],
)
def test_auto_partition_matches_zarr_python(chunks: Any, shards: Any) -> None:
    arguments = {"array_shape": (1000, 1000), "chunk_shape": chunks, "shard_shape": shards, "item_size": 4}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = their_grids._auto_partition(**arguments)
    assert _auto_partition(**arguments) == theirs
