"""Every corpus dataset opens the same with ``engine="zarrnb"`` as with ``engine="zarr"`` (zarr-python)."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
import zarr

import zarrnb
from zarrnb.storage import MemoryStore, ZipStore

from .corpus import FORMATS, corpus_dataset, write_corpus

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(params=FORMATS, ids=lambda f: f"v{f}")
def zarr_format(request: pytest.FixtureRequest) -> int:
    return request.param


@pytest.fixture(params=[True, False], ids=["consolidated", "listed"])
def corpus(request: pytest.FixtureRequest, tmp_path: Path, zarr_format: int) -> tuple[Path, int, bool]:
    consolidated = request.param
    return write_corpus(tmp_path / "corpus.zarr", zarr_format, consolidated), zarr_format, consolidated


def _reference(path: Path, consolidated: bool) -> xr.Dataset:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return xr.open_dataset(path, engine="zarr", consolidated=consolidated).load()


def test_local_path_opens_identically(corpus: tuple[Path, int, bool]) -> None:
    path, _, consolidated = corpus
    actual = xr.open_dataset(path, engine="zarrnb", consolidated=consolidated)
    xr.testing.assert_identical(actual, _reference(path, consolidated))


def test_decoding_is_xarrays(corpus: tuple[Path, int, bool]) -> None:
    """CF time, packing and masks are decoded (and left raw when asked) as on zarr-python."""
    path, _, consolidated = corpus
    actual = xr.open_dataset(path, engine="zarrnb", consolidated=consolidated)
    assert actual["time"].dtype.kind == "M"
    assert actual["precip"].dtype == "float64" and bool(actual["precip"].isnull()[0, 0, 0])
    assert actual["height"].ndim == 0 and float(actual["height"]) == 2.0
    raw = xr.open_dataset(path, engine="zarrnb", consolidated=consolidated, decode_cf=False)
    expected_raw = xr.open_dataset(path, engine="zarr", consolidated=consolidated, decode_cf=False)
    assert raw["precip"].dtype == "int16" and raw["precip"].attrs["scale_factor"] == 0.01
    xr.testing.assert_identical(raw, expected_raw.load())


def test_dask_chunks_default_to_zarr_chunks(tmp_path: Path) -> None:
    ds = xr.Dataset({"v": (("t", "x"), np.arange(120.0).reshape(12, 10))})
    ds.to_zarr(tmp_path / "c.zarr", encoding={"v": {"chunks": (5, 4)}}, zarr_format=3, consolidated=False)
    opened = xr.open_dataset(tmp_path / "c.zarr", engine="zarrnb", chunks={})
    assert opened["v"].chunks == ((5, 5, 2), (4, 4, 2))
    assert opened["v"].encoding["preferred_chunks"] == {"t": 5, "x": 4}
    xr.testing.assert_identical(opened.compute(), ds)


def test_zip_store_opens_identically(tmp_path: Path) -> None:
    path = write_corpus(tmp_path / "corpus.zarr", 3, consolidated=True)
    archive = shutil.make_archive(str(tmp_path / "corpus"), "zip", path)
    expected = xr.open_dataset(zarr.storage.ZipStore(archive, mode="r"), engine="zarr").load()
    actual = xr.open_dataset(ZipStore(archive, mode="r"), engine="zarrnb")
    xr.testing.assert_identical(actual, expected)


def test_memory_store_opens_identically(tmp_path: Path, zarr_format: int) -> None:
    path = write_corpus(tmp_path / "corpus.zarr", zarr_format, consolidated=False)
    files = {str(p.relative_to(path)): p.read_bytes() for p in path.rglob("*") if p.is_file()}
    store = MemoryStore()
    zarrnb.api.sync.sync(
        store._set_many(
            (key, zarrnb.core.buffer.default_buffer_prototype().buffer.from_bytes(data))
            for key, data in files.items()
        )
    )
    actual = xr.open_dataset(store, engine="zarrnb")  # guessed: a zarrnb store needs no engine name
    xr.testing.assert_identical(actual, _reference(path, consolidated=False))
    assert xr.open_dataset(store).identical(actual)


@pytest.mark.parametrize("consolidated", [True, False])
def test_datatree_opens_identically(tmp_path: Path, zarr_format: int, consolidated: bool) -> None:
    path = write_corpus(tmp_path / "tree.zarr", zarr_format, consolidated, tree=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = xr.open_datatree(path, engine="zarr", consolidated=consolidated).load()
        expected_sub = xr.open_datatree(path, engine="zarr", group="child", consolidated=consolidated)
    actual = xr.open_datatree(path, engine="zarrnb", consolidated=consolidated)
    xr.testing.assert_identical(actual, expected)
    assert set(actual.groups) == {"/", "/child", "/child/grandchild"}
    sub = xr.open_datatree(path, engine="zarrnb", group="child", consolidated=consolidated)
    xr.testing.assert_identical(sub, expected_sub.load())


def test_open_mfdataset_concatenates(tmp_path: Path) -> None:
    paths = []
    for i, part in enumerate((slice(0, 3), slice(3, 6))):
        ds = corpus_dataset().isel(time=part)
        paths.append(tmp_path / f"part{i}.zarr")
        ds.to_zarr(paths[-1], zarr_format=3, consolidated=False)
    actual = xr.open_mfdataset(paths, engine="zarrnb", combine="by_coords")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = xr.open_mfdataset(paths, engine="zarr", combine="by_coords")
    xr.testing.assert_identical(actual.compute(), expected.compute())
