from __future__ import annotations

import io
import re
from typing import Any

import numpy as np
import pytest
from PIL import Image

from zarrnb.notebook.preview import ArrayPreview, preview


def test_2d_array_opens_as_heatmap_with_robust_limits(hierarchy: Any, table_cells: Any) -> None:
    view = preview(hierarchy["temp"])
    assert view.shown == (0, 1) and view.view.value == "heatmap"
    assert list(view.view.options) == ["heatmap", "table"]
    image = Image.open(io.BytesIO(view.image.value))
    assert image.size == (30 * 10, 20 * 10)  # enlarged to fit 320 px
    assert "2nd–98th percentile" in view.figure.value
    assert ["NaN count", "1"] in table_cells(view.stats.value)


def test_sliders_pick_the_fixed_index_and_are_labelled_with_dimension_names(zr: Any) -> None:
    cube = zr.create_array(
        zr.storage.MemoryStore(), shape=(3, 4, 5), dtype="i4", dimension_names=["t", "y", "x"]
    )
    values = np.random.default_rng(1).integers(0, 100, size=(3, 4, 5))
    cube[:] = values
    view = preview(cube)
    assert [s.description for s in view.sliders] == ["t", "y", "x"]
    assert [s.layout.display for s in view.sliders] == ["", "none", "none"]
    before = view.image.value
    view.sliders[0].value = 2
    assert view.data.tolist() == values[2].tolist()
    assert bytes(view.image.value) != bytes(before)
    assert "t=2" in view.note.value


def test_choosing_rows_equal_to_columns_swaps_them_and_transposes(zr: Any) -> None:
    array = zr.create_array(zr.storage.MemoryStore(), shape=(3, 4), dtype="f8")
    array[:] = np.arange(12).reshape(3, 4)
    view = preview(array)
    view.rows.value = 1
    assert view.shown == (1, 0)
    assert view.data.shape == (4, 3) and view.data[1, 0] == 1


def test_one_dimension_gives_line_and_table_views(hierarchy: Any) -> None:
    view = preview(hierarchy["temp"])
    view.rows.value = None
    assert view.shown == (1,) and list(view.view.options) == ["line", "table"]
    assert view.view.value == "line" and view.figure.value.startswith("<svg")
    assert view.image.layout.display == "none"
    view.sliders[0].value = 5
    assert view.data.tolist() == np.arange(150, 180).tolist()
    view.view.value = "table"
    assert '<table class="zarrnb-values"' in view.figure.value
    assert "table shows x 0–19 of 30 (the sliders move the window)" in view.note.value
    assert view.sliders[1].layout.display == ""  # in a table, the shown dimension's slider scrolls
    view.sliders[1].value = 12
    assert view.data.tolist() == np.arange(162, 180).tolist()
    assert "x 12–29 of 30" in view.note.value


def _counting_array(zr: Any, store: Any, shape: tuple[int, ...], chunks: tuple[int, ...]) -> Any:
    array = zr.create_array(store, shape=shape, chunks=chunks, dtype="f4", fill_value=0)
    array[:] = 1
    store.reads.clear()
    return array


def test_reads_only_the_chunks_of_the_shown_slice(zr: Any, counting_store: Any) -> None:
    array = _counting_array(zr, counting_store, (10, 40, 40), (1, 10, 10))
    preview(array)
    chunk_reads = {k for k in counting_store.reads if k.startswith("c/")}
    assert chunk_reads == {f"c/0/{i}/{j}" for i in range(4) for j in range(4)}
    counting_store.reads.clear()


def test_large_slice_reads_a_strided_subset_and_says_so(zr: Any, counting_store: Any) -> None:
    array = _counting_array(zr, counting_store, (400, 400), (10, 10))
    view = ArrayPreview(array, max_pixels=20)
    assert view.data.shape == (20, 20)
    assert "strided subset (step 20 along dim_0, step 20 along dim_1)" in view.note.value
    # every 20th row and column: chunks 0, 2, 4, ... along each axis, a quarter of them
    chunk_reads = {k for k in counting_store.reads if k.startswith("c/")}
    assert chunk_reads == {f"c/{i}/{j}" for i in range(0, 40, 2) for j in range(0, 40, 2)}


def test_complex_values_show_magnitude_or_phase(zr: Any, table_cells: Any) -> None:
    array = zr.create_array(zr.storage.MemoryStore(), shape=(2, 2), dtype="c16")
    array[:] = np.array([[3 + 4j, 1j], [-1, 0]])
    view = preview(array)
    assert view.part.layout.display == ""
    assert ["max", "5"] in table_cells(view.stats.value)
    view.part.value = "phase"
    assert ["shown part", "phase"] in table_cells(view.stats.value)
    view.view.value = "table"
    assert "3+4j" in view.figure.value


@pytest.mark.parametrize(
    ("dtype", "values", "shown"),
    [
        ("str", np.array(["a<", "bb"], dtype=object), "a&lt;"),
        (
            "datetime64[s]",
            np.array(["2020-01-01T00:00:01", "NaT"], dtype="datetime64[s]"),
            "2020-01-01T00:00:01",
        ),
    ],
)
def test_strings_and_datetimes_show_as_a_table(zr: Any, dtype: str, values: np.ndarray, shown: str) -> None:
    array = zr.create_array(zr.storage.MemoryStore(), shape=(2,), dtype=dtype)
    array[:] = values
    view = preview(array)
    assert list(view.view.options) == ["table"]
    assert shown in view.figure.value


def test_bool_heatmap_and_zero_dimensional_array(zr: Any, table_cells: Any) -> None:
    flags = zr.create_array(zr.storage.MemoryStore(), shape=(4, 4), dtype=bool)
    flags[:] = np.eye(4, dtype=bool)
    view = preview(flags)
    assert view.view.value == "heatmap" and ["mean", "0.25"] in table_cells(view.stats.value)
    scalar = zr.create_array(zr.storage.MemoryStore(), shape=(), dtype="f8", fill_value=2.5)
    view = preview(scalar)
    assert view.shown == () and view.view.value == "table" and "2.5" in view.figure.value


def test_read_errors_show_inside_the_widget(zr: Any) -> None:
    store = zr.storage.MemoryStore()
    array = zr.create_array(store, shape=(4,), chunks=(2,), dtype="f8", compressors=None)
    array[:] = 1
    view = preview(array)
    view.view.value = "table"
    import asyncio

    asyncio.run(store.set("c/0", zr.core.buffer.default_buffer_prototype().buffer.from_bytes(b"bad")))
    view.refresh()
    assert 'class="zarrnb-error"' in view.note.value


def test_mimebundle_holds_the_widget_and_a_static_snapshot(hierarchy: Any) -> None:
    view = preview(hierarchy["temp"])
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    snapshot = bundle["text/html"]
    assert re.search(r'<img class="zarrnb-image" alt="heatmap" src="data:image/png;base64,', snapshot)
    assert "view: heatmap; rows: y, columns: x" in snapshot
    assert snapshot == preview(hierarchy["temp"]).snapshot_html()


def test_empty_arrays_say_so(zr: Any) -> None:
    empty = zr.create_array(zr.storage.MemoryStore(), shape=(0, 5), dtype="f4")
    view = preview(empty)
    assert view.view.value == "heatmap" and "the slice is empty" in view.figure.value
    assert view.image.layout.display == "none" and "zarrnb-error" not in view.note.value


def test_plain_text_repr_names_the_array_view_and_dimensions(hierarchy: Any) -> None:
    view = preview(hierarchy["temp"])
    assert repr(view) == f"<ArrayPreview {hierarchy['temp']!r} view='heatmap' shown=(y, x)>"


def test_a_single_dimension_cannot_be_rows_and_columns(zr: Any) -> None:
    line = zr.create_array(zr.storage.MemoryStore(), shape=(4,), dtype="f8")
    view = preview(line)
    view.rows.value = 0
    assert view.rows.value is None and view.shown == (0,) and view.view.value == "line"


def test_v2_sliders_take_the_names_xarray_stores_in_array_dimensions(zr: Any) -> None:
    grid = zr.create_array(
        zr.storage.MemoryStore(), shape=(2, 3, 4), dtype="f4", zarr_format=2,
        attributes={"_ARRAY_DIMENSIONS": ["time", "lat", "lon"]},
    )  # fmt: skip
    assert [s.description for s in preview(grid).sliders] == ["time", "lat", "lon"]
