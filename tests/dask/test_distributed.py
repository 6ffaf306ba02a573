"""Scale-out on a dask.distributed LocalCluster with two worker processes (arrays travel pickled)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import distributed
import numpy as np
import pytest

import zarrnb
from zarrnb.dask import from_zarrnb, to_zarrnb
from zarrnb.storage import MemoryStore

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, memory_limit=0
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _data() -> np.ndarray:
    return np.random.default_rng(3).random((40, 64, 32)).astype("float32")


def test_reduction_over_a_local_store(client: Any, tmp_path: Path) -> None:
    data = _data()
    array = zarrnb.create_array(tmp_path / "t.zarr", shape=data.shape, chunks=(5, 64, 32), dtype="f4")
    array[...] = data
    x = from_zarrnb(str(tmp_path / "t.zarr"))
    mean = client.compute(x.mean(axis=0)).result()
    np.testing.assert_allclose(mean, data.mean(axis=0), rtol=1e-6)
    pids = set(client.run(lambda: __import__("os").getpid()).values())
    assert len(pids) == 2 and __import__("os").getpid() not in pids


@pytest.mark.s3
def test_reduction_over_the_local_s3_server(client: Any, s3_server: Any, s3_bucket: str) -> None:
    data = _data()
    url = f"s3://{s3_bucket}/t.zarr"
    options = {"endpoint_url": s3_server.endpoint_url, "key": "testing", "secret": "testing"}
    array = zarrnb.create_array(
        url, shape=data.shape, chunks=(8, 32, 32), dtype="f4", storage_options=options
    )
    array[...] = data
    x = from_zarrnb(url, storage_options=options)
    assert x.numblocks == (5, 2, 1)
    total = client.compute(x.sum(dtype="f8")).result()
    assert total == pytest.approx(data.sum(dtype="f8"), rel=1e-9)


def test_distributed_write_then_read_back(client: Any, tmp_path: Path) -> None:
    import dask.array as da

    data = _data()
    x = da.from_array(data, chunks=(7, 64, 32)) * 2 + 1
    to_zarrnb(x, str(tmp_path / "out.zarr"), chunks=(4, 32, 32), compute=False).compute()
    written = zarrnb.open_array(str(tmp_path / "out.zarr"), mode="r")
    np.testing.assert_array_equal(written[...], data * 2 + 1)
    assert written.nchunks_initialized == 10 * 2


def test_a_memory_store_write_is_refused_not_lost(client: Any) -> None:
    import dask.array as da

    array = zarrnb.create_array(MemoryStore(), shape=(20,), chunks=(5,), dtype="i4")
    x = da.arange(20, chunks=5, dtype="i4")
    with pytest.raises(RuntimeError, match="MemoryStore lives in this process"):
        to_zarrnb(x, array)
    # da.store alone does not ask; the worker's copy of the store refuses instead
    with pytest.raises(RuntimeError, match="would be lost"):
        da.store(x, array, lock=False)
    assert np.all(array[...] == 0)
