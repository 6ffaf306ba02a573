"""Under the ``import zarr`` switch, dask's ``da.from_zarr``/``da.to_zarr`` take zarrnb arrays and URLs."""

from __future__ import annotations

import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import sys, tempfile, warnings
    import numpy as np
    import zarrnb, zarrnb.compat
    zarrnb.compat.install()
    import zarr, dask.array as da

    warnings.simplefilter("ignore")
    d = tempfile.mkdtemp()
    a = zarrnb.create_array(d + "/a.zarr", shape=(20, 10), chunks=(5, 5), dtype="f4")
    a[...] = np.arange(200, dtype="f4").reshape(20, 10)
    expected = a[...]
    x = da.from_zarr(a)
    assert x.chunks == ((5,) * 4, (5, 5)), x.chunks
    assert np.array_equal(x.compute(), expected)
    y = da.from_zarr(d + "/a.zarr")
    assert y.name == da.from_zarr(d + "/a.zarr").name  # deterministic tokens
    assert np.array_equal(y.compute(), expected)
    da.to_zarr(x * 2, d + "/b.zarr")
    assert np.array_equal(zarrnb.open_array(d + "/b.zarr", mode="r")[...], expected * 2)
    target = zarrnb.create_array(d + "/c.zarr", shape=(20, 10), chunks=(10, 10), dtype="f4")
    da.to_zarr(x + 1, target)
    assert np.array_equal(target[...], expected + 1)
    da.to_zarr(x[:5], target, region=(slice(10, 15), slice(None)))
    assert np.array_equal(target[10:15], expected[:5]) and np.array_equal(target[15:], expected[15:] + 1)
    print("ok", zarr.__version__)
    """
)


def test_from_zarr_and_to_zarr_accept_zarrnb_arrays_and_urls() -> None:
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok 3.1.6+zarrnb")
