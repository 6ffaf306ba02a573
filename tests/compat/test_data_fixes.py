"""Regression tests for the silent data changes of issue 9, with zarr-python (and xarray) as oracles."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import zarr

import zarrnb


def _quiet() -> warnings.catch_warnings:
    """A context in which zarr-python's warnings (v2 format, numcodecs) stay quiet."""
    manager = warnings.catch_warnings()
    manager.__enter__()
    warnings.simplefilter("ignore")
    return manager


@pytest.mark.parametrize("zarr_format", [2, 3])
@pytest.mark.parametrize(
    ("dtype", "fill_value", "chunk_value"),
    [
        ("float64", 0.0, -0.0),
        ("float32", -0.0, 0.0),
        ("float64", np.nan, np.nan),
        ("float64", 0.0, 0.0),
    ],
)
def test_signed_zero_chunks_are_data_and_nan_chunks_are_empty(
    tmp_path: Path, zarr_format: int, dtype: str, fill_value: Any, chunk_value: Any
) -> None:
    arguments = {
        "shape": (4,), "chunks": (2,), "dtype": dtype, "fill_value": fill_value,
        "zarr_format": zarr_format, "config": {"write_empty_chunks": False},
    }  # fmt: skip
    ours = zarrnb.create_array(store=str(tmp_path / "ours"), **arguments)
    ours[:2] = chunk_value
    quiet = _quiet()
    theirs = zarr.create_array(store=str(tmp_path / "theirs"), **arguments)
    theirs[:2] = chunk_value
    quiet.__exit__(None, None, None)
    stored = sorted(p.name for p in (tmp_path / "ours").rglob("*") if p.is_file())
    expected = sorted(p.name for p in (tmp_path / "theirs").rglob("*") if p.is_file())
    assert stored == expected
    read = ours[:2]
    assert np.array_equal(np.signbit(np.real(read)), np.signbit(np.real(theirs[:2])))
    assert np.array_equal(read, theirs[:2], equal_nan=True)


def test_a_complex_negative_zero_chunk_is_data_too(tmp_path: Path) -> None:
    # zarrnb does better than zarr-python here, which compares signs only for real fill values
    array = zarrnb.create_array(
        store=str(tmp_path), shape=(2,), chunks=(2,), dtype="c16", fill_value=0j,
        config={"write_empty_chunks": False},
    )  # fmt: skip
    array[:] = complex(0.0, -0.0)
    assert (tmp_path / "c" / "0").exists() and np.signbit(array[:].imag).all()
    array[:] = 0j
    assert not (tmp_path / "c" / "0").exists()


def test_a_negative_zero_chunk_is_stored_and_reads_back_negative(tmp_path: Path) -> None:
    array = zarrnb.create_array(
        store=str(tmp_path), shape=(4,), chunks=(2,), dtype="f8", fill_value=0.0,
        config={"write_empty_chunks": False},
    )  # fmt: skip
    array[:] = np.array([-0.0, -0.0, 0.0, 0.0])
    assert (tmp_path / "c" / "0").exists() and not (tmp_path / "c" / "1").exists()
    assert np.signbit(array[:]).tolist() == [True, True, False, False]


@pytest.mark.parametrize("dtype", ["int32", "float64", "<M8[ns]"])
def test_v2_null_fill_value_both_ways(tmp_path: Path, dtype: str) -> None:
    ours = zarrnb.create_array(
        store=str(tmp_path / "ours"), shape=(3,), dtype=dtype, zarr_format=2, fill_value=None
    )
    assert ours.fill_value is None and ours.metadata.fill_value is None
    assert json.loads((tmp_path / "ours" / ".zarray").read_text())["fill_value"] is None
    quiet = _quiet()
    reopened = zarr.open_array(str(tmp_path / "ours"), mode="r")
    theirs = zarr.create_array(
        store=str(tmp_path / "theirs"), shape=(3,), dtype=dtype, zarr_format=2, fill_value=None
    )
    quiet.__exit__(None, None, None)
    assert reopened.fill_value is None
    assert zarrnb.open_array(str(tmp_path / "theirs"), mode="r").fill_value is None
    # missing chunks still read as the dtype's default, as zarr-python reads them
    assert np.array_equal(ours[:], theirs[:], equal_nan=True)
    # an omitted fill value is the dtype's default in both libraries, written as such
    omitted = zarrnb.create_array(store=str(tmp_path / "omitted"), shape=(3,), dtype=dtype, zarr_format=2)
    assert omitted.fill_value is not None


@pytest.mark.parametrize(("dtype", "stored"), [("<i8", ["1"]), ("<M8[ns]", ["0", "1"]), ("U3", ["1"])])
def test_v2_null_fill_value_chunks_of_the_dtype_default_are_empty(
    tmp_path: Path, dtype: str, stored: list[str]
) -> None:
    # a missing chunk reads as the dtype's default (0, "", NaT), so zarr-python skips chunks of it
    values = np.array(["", "", "x", ""], dtype=dtype) if dtype == "U3" else np.array([0, 0, 1, 0], "i8")
    values = values.view(dtype) if dtype.startswith("<M8") else values  # 0 is 1970, not NaT
    for library, folder in ((zarrnb, tmp_path / "ours"), (zarr, tmp_path / "theirs")):
        quiet = _quiet()
        array = library.create_array(
            store=str(folder), shape=(4,), chunks=(2,), dtype=dtype, zarr_format=2, fill_value=None,
            config={"write_empty_chunks": False},
        )  # fmt: skip
        array[:] = values
        quiet.__exit__(None, None, None)
        assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == stored, library
        assert np.array_equal(library.open_array(str(folder), mode="r")[:], values)


@pytest.mark.parametrize("name", ["empty_like", "zeros_like", "ones_like", "full_like"])
@pytest.mark.parametrize("zarr_format", [2, 3])
def test_like_functions_match_zarr_python(name: str, zarr_format: int) -> None:
    arguments = {"shape": (5,), "chunks": (2,), "dtype": "f4", "fill_value": 5.0, "zarr_format": zarr_format}
    source_ours = zarrnb.create_array(store={}, **arguments)
    quiet = _quiet()
    source_theirs = zarr.create_array(store={}, **arguments)
    theirs = getattr(zarr, name)(source_theirs, shape=(7,), zarr_format=zarr_format)
    quiet.__exit__(None, None, None)
    ours = getattr(zarrnb, name)(source_ours, shape=(7,))
    assert (ours.shape, ours.chunks, ours.dtype) == (theirs.shape, theirs.chunks, theirs.dtype)
    assert ours.fill_value == theirs.fill_value
    assert ours.metadata.zarr_format == zarr_format


def test_open_like_creates_like_the_source_with_its_fill_value() -> None:
    source = zarrnb.create_array(store={}, shape=(4,), chunks=(2,), dtype="i2", fill_value=-1)
    store = zarrnb.storage.MemoryStore()
    made = zarrnb.open_like(source, "copy", store=store, mode="a")
    assert (made.shape, made.chunks, made.dtype, made.fill_value) == ((4,), (2,), np.dtype("i2"), -1)
    assert made.path == "copy"


def test_v2_metadata_has_no_dimension_names_but_displays_array_dimensions() -> None:
    array = zarrnb.create_array(
        store={}, shape=(2, 3), dtype="i4", zarr_format=2, attributes={"_ARRAY_DIMENSIONS": ["y", "x"]}
    )
    assert not hasattr(array.metadata, "dimension_names")
    assert array.metadata.dimension_labels == ("y", "x")
    assert "y" in array._repr_html_() and "x" in array._repr_html_()


def test_real_xarray_on_zarr_python_reads_a_v2_store_written_by_zarrnb(tmp_path: Path) -> None:
    xarray = pytest.importorskip("xarray")
    root = zarrnb.open_group(str(tmp_path), mode="w", zarr_format=2)
    counts = root.create_array(
        "counts", shape=(4,), dtype="i4", fill_value=None, attributes={"_ARRAY_DIMENSIONS": ["time"]}
    )
    counts[:] = [0, 3, 0, 7]
    time = root.create_array(
        "time", shape=(4,), dtype="i8", fill_value=None,
        attributes={"_ARRAY_DIMENSIONS": ["time"], "units": "days since 2000-01-01", "calendar": "standard"},
    )  # fmt: skip
    time[:] = [0, 1, 2, 3]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dataset = xarray.open_zarr(str(tmp_path), zarr_format=2, consolidated=False)
        values = dataset["counts"].values
        times = dataset["time"].values
    assert values.tolist() == [0, 3, 0, 7]
    assert times[0] == np.datetime64("2000-01-01") and not np.isnat(times).any()
