"""``ds.to_zarr`` in every mode, run once on zarr-python and once on zarrnb through the switch.

Run as ``python write_scenarios.py OUT_DIR`` (with or without ``python -m zarrnb.compat``); it
writes one store per scenario under OUT_DIR and prints one line per scenario: its name and
``ok`` or the exception type (w- onto an existing store must fail the same way).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr


def dataset(n_time: int = 8, start: int = 0) -> xr.Dataset:
    rng = np.random.default_rng(start)
    temperature = rng.normal(280, 5, (n_time, 6, 5)).astype("float32")
    temperature[0, 0, 0] = np.nan
    return xr.Dataset(
        {
            "temperature": (("time", "lat", "lon"), temperature, {"units": "K"}),
            "count": (("time",), np.arange(start, start + n_time, dtype="int32")),
            "name": (("lat",), np.array(["a", "bb", "ccc", "d", "e", "f"], dtype=object)),
        },
        coords={
            "time": pd.date_range("2020-01-01", periods=n_time, freq="D") + pd.Timedelta(days=start),
            "lat": np.linspace(-50, 50, 6),
            "lon": np.arange(5, dtype="int16"),
        },
        attrs={"title": "scenarios"},
    )


def scenarios(out: Path) -> dict[str, object]:
    ds = dataset()
    time_only = ds.drop_vars(["name", "lat", "lon"])  # region writes take only variables along time
    results: dict[str, object] = {}

    def run(name: str, action: object) -> None:
        try:
            action()  # type: ignore[operator]
            results[name] = "ok"
        except FileExistsError:
            results[name] = "FileExistsError"  # zarrnb's ContainsGroupError is one too
        except Exception as error:
            results[name] = type(error).__name__

    for fmt in (2, 3):
        for consolidated in (True, False):
            target = out / f"w-v{fmt}-{'cons' if consolidated else 'plain'}.zarr"
            run(
                target.name,
                lambda t=target, f=fmt, c=consolidated: ds.to_zarr(
                    t, mode="w", zarr_format=f, consolidated=c
                ),
            )
        encoded = out / f"encodings-v{fmt}.zarr"
        encoding = {"temperature": {"chunks": (4, 3, 5)}, "count": {"chunks": (2,)}}
        if fmt == 3:
            encoding["temperature"]["shards"] = (8, 6, 5)
        run(
            encoded.name,
            lambda e=encoded, f=fmt, enc=encoding: ds.to_zarr(
                e, mode="w", zarr_format=f, encoding=enc, consolidated=False
            ),
        )
        appended = out / f"append-v{fmt}.zarr"
        run(
            appended.name,
            lambda a=appended, f=fmt: (
                dataset(4).to_zarr(
                    a, mode="w", zarr_format=f, encoding={"temperature": {"chunks": (2, 6, 5)}}
                ),
                dataset(4, start=4).to_zarr(a, append_dim="time"),
            ),
        )
        added = out / f"add-variable-v{fmt}.zarr"
        run(
            added.name,
            lambda a=added, f=fmt: (
                ds.to_zarr(a, mode="w", zarr_format=f),
                ds[["count"]].rename(count="count2").to_zarr(a, mode="a"),
            ),
        )
        region = out / f"region-v{fmt}.zarr"
        run(
            region.name,
            lambda r=region, f=fmt: (
                ds.to_zarr(
                    r, mode="w", zarr_format=f, compute=False, encoding={"temperature": {"chunks": (2, 6, 5)}}
                ),
                time_only.isel(time=slice(0, 4)).to_zarr(r, region={"time": slice(0, 4)}, mode="r+"),
                time_only.isel(time=slice(4, 8)).to_zarr(r, region="auto", mode="r+"),
            ),
        )
        tree = out / f"datatree-compute-false-v{fmt}.zarr"
        # scalars are written at once; under a v2 null fill value a 0 is an empty chunk, a 1 is not
        nodes = xr.DataTree.from_dict({"/": ds[["count"]], "/set1": xr.Dataset({"a": 0, "b": 1})})
        run(tree.name, lambda t=tree, f=fmt, n=nodes: n.chunk().to_zarr(t, zarr_format=f, compute=False))
        exclusive = out / f"exclusive-v{fmt}.zarr"
        run(exclusive.name, lambda x=exclusive, f=fmt: ds.to_zarr(x, mode="w-", zarr_format=f))
        run(exclusive.name + "-again", lambda x=exclusive, f=fmt: ds.to_zarr(x, mode="w-", zarr_format=f))
    return results


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    for name, result in scenarios(Path(sys.argv[1])).items():
        print(name, result)
