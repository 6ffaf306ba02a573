from __future__ import annotations

import io
import re
from typing import Any

import numpy as np
import pytest
from PIL import Image

from zarrnb.notebook.colormaps import colormap
from zarrnb.notebook.preview import ArrayPreview, preview


def test_2d_array_opens_as_heatmap_with_fixed_limits(hierarchy: Any, table_cells: Any) -> None:
    view = preview(hierarchy["temp"])
    assert view.shown == (0, 1) and view.view.value == "heatmap"
    assert list(view.view.options) == ["heatmap", "table"]
    image = Image.open(io.BytesIO(view.png))
    assert image.size == (30 * 16, 20 * 16)  # square cells as large as fit 480 px
    lo, hi = view.colour_limits.lo, view.colour_limits.hi
    assert f"colour limits {lo:.6g} … {hi:.6g}, fixed: sampled from the whole array" in view.figure.value
    assert not view.flipped  # no coordinate: row 0 on top, as in a table
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
    before = view.png
    view.sliders[0].value = 2
    assert view.data.tolist() == values[2].tolist()
    assert view.png != before
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
    assert "<img" not in view.figure.value
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
    view = preview(array, limits="slice")
    chunk_reads = {k for k in counting_store.reads if k.startswith("c/")}
    assert chunk_reads == {f"c/0/{i}/{j}" for i in range(4) for j in range(4)}
    counting_store.reads.clear()
    view.sliders[0].value = 7
    assert {k for k in counting_store.reads if k.startswith("c/")} == {
        f"c/7/{i}/{j}" for i in range(4) for j in range(4)
    }


def test_fixed_limits_read_a_few_sampled_chunks_once(zr: Any, counting_store: Any) -> None:
    array = _counting_array(zr, counting_store, (10, 40, 40), (1, 10, 10))
    view = preview(array)  # fixed limits: the shown slice plus four chunks spread over the array
    chunk_reads = [k for k in counting_store.reads if k.startswith("c/")]
    sampled = {"c/0/0/0", "c/3/1/1", "c/6/2/2", "c/9/3/3"}  # linear chunk indices 0, 53, 106, 159 of 160
    assert set(chunk_reads) == {f"c/0/{i}/{j}" for i in range(4) for j in range(4)} | sampled
    assert len(chunk_reads) == 16 + 4
    counting_store.reads.clear()
    view.sliders[0].value = 5  # no second sample
    assert {k for k in counting_store.reads if k.startswith("c/")} == {
        f"c/5/{i}/{j}" for i in range(4) for j in range(4)
    }


def test_large_slice_reads_a_strided_subset_and_says_so(zr: Any, counting_store: Any) -> None:
    array = _counting_array(zr, counting_store, (400, 400), (10, 10))
    view = ArrayPreview(array, max_pixels=20, limits="slice")
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
    assert view.cmap.value == "categorical" and (view.colour_limits.lo, view.colour_limits.hi) == (0, 1)
    assert ">False</text>" in view.figure.value and ">True</text>" in view.figure.value
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
    assert re.search(r'<img class="zarrnb-image" alt="heatmap" width="480" height="320" ', snapshot)
    assert 'class="zarrnb-colorbar"' in snapshot and 'zarrnb-x-axis"' in snapshot
    assert "view: heatmap; rows: y, columns: x" in snapshot
    assert snapshot == preview(hierarchy["temp"]).snapshot_html()


def test_empty_arrays_say_so(zr: Any) -> None:
    empty = zr.create_array(zr.storage.MemoryStore(), shape=(0, 5), dtype="f4")
    view = preview(empty)
    assert view.view.value == "heatmap" and "the slice is empty" in view.figure.value
    assert "<img" not in view.figure.value and "zarrnb-error" not in view.note.value


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


@pytest.fixture
def climate(zr: Any) -> Any:
    """(time, lat, lon) temperature with CF time, increasing latitudes; stations with names; a land mask."""
    root = zr.open_group(zr.storage.MemoryStore(), mode="w")
    lat, lon = np.linspace(-90, 90, 19, dtype="f4"), np.arange(36, dtype="f4") * 10
    for name, values, attrs in (
        ("time", np.arange(24, dtype="i4"), {"units": "days since 2024-01-01", "calendar": "standard"}),
        ("lat", lat, {"units": "degrees_north"}),
        ("lon", lon, {"units": "degrees_east"}),
    ):
        root.create_array(
            name, shape=values.shape, dtype=values.dtype, dimension_names=[name], attributes=attrs
        )[:] = values
    field = 250 + 40 * np.cos(np.deg2rad(lat))[None, :, None] + np.arange(24)[:, None, None] * 0.5
    field = field + 0 * lon[None, None, :] + np.sin(np.deg2rad(lon))[None, None, :]
    field[:, -1, :] += 5  # the north pole row stands out from the south pole row
    temperature = root.create_array(
        "temperature", shape=field.shape, chunks=(3, 10, 18), dtype="f4", fill_value=np.nan,
        dimension_names=["time", "lat", "lon"], attributes={"units": "K"},
    )  # fmt: skip
    temperature[:] = field
    root.create_array("land", shape=(19, 36), dtype=bool, dimension_names=["lat", "lon"])[:] = field[0] > 280
    stations = root.create_group("stations")
    names = stations.create_array("name", shape=(3,), dtype=str, dimension_names=["station"])
    names[:] = np.array(["Reykjavik", "Nairobi", "Lima"], dtype=object)
    observed = stations.create_array(
        "observed", shape=(24, 3), dtype="f4", dimension_names=["time", "station"]
    )
    observed[:] = np.arange(72, dtype="f4").reshape(24, 3)
    return root


def test_north_is_up_when_latitudes_increase_and_the_flip_toggle_turns_it(climate: Any) -> None:
    view = preview(climate["temperature"])
    assert view.shown == (1, 2) and view.flipped
    x_axis, y_axis = view.axes
    top_down = [text for _, text in sorted(y_axis.ticks)]
    assert top_down[0] == "90" and top_down[-1] == "-90"  # the top tick is the north
    assert [t for _, t in x_axis.ticks][:3] == ["0", "45", "90"] and x_axis.title == "lon (degrees_east)"
    pixels = np.asarray(Image.open(io.BytesIO(view.png)).convert("RGB"))
    lo, hi = view.colour_limits.lo, view.colour_limits.hi
    cmap = colormap(view.cmap.value)
    north, south = view.data[-1, 0], view.data[0, 0]  # data rows are in array order: south first
    assert tuple(pixels[0, 0]) == tuple(cmap.colours(np.array([north]), lo, hi)[0])
    assert tuple(pixels[-1, 0]) == tuple(cmap.colours(np.array([south]), lo, hi)[0])
    view.flip.value = True
    pixels = np.asarray(Image.open(io.BytesIO(view.png)).convert("RGB"))
    assert not view.flipped and tuple(pixels[0, 0]) == tuple(cmap.colours(np.array([south]), lo, hi)[0])
    assert min(view.axes[1].ticks)[1] == "-90"


def test_colour_bar_carries_numbers_within_the_limits(climate: Any) -> None:
    view = preview(climate["temperature"])
    bar = re.search(r'<svg[^>]*class="zarrnb-colorbar".*?</svg>', view.figure.value).group(0)
    numbers = [float(t) for t in re.findall(r'class="zarrnb-tick">([-\d.]+)</text>', bar)]
    assert len(numbers) >= 3
    assert all(view.colour_limits.lo <= n <= view.colour_limits.hi for n in numbers)


def test_colour_limits_stay_fixed_across_slider_moves_unless_per_slice(climate: Any) -> None:
    view = preview(climate["temperature"])
    before = view.colour_limits
    for index in (1, 6, 11, 23):
        view.sliders[0].value = index
        assert view.colour_limits == before
    view.limits.value = "slice"
    at_23 = view.colour_limits
    view.sliders[0].value = 0
    assert view.colour_limits.lo == pytest.approx(at_23.lo - 11.5, abs=0.01)  # 0.5 K colder per day back
    assert "per slice" in view.figure.value


def test_slider_readouts_show_dates_and_station_names(climate: Any) -> None:
    view = preview(climate["temperature"])
    view.sliders[0].value = 5
    assert "2024-01-06" in view.readouts[0].value and "time=5 (2024-01-06)" in view.note.value
    observed = preview(climate["stations/observed"])
    assert observed.shown == (0,) and observed.view.value == "line"  # 24 times beside 3 stations: a line
    assert observed.rows.label == "(none)"  # not a blank picker
    assert "Reykjavik" in observed.readouts[1].value
    observed.sliders[1].value = 2
    assert "Lima" in observed.readouts[1].value and observed.data.tolist() == list(range(2, 72, 3))
    assert observed.axes[0].ticks[0][1] == "2024-01-01"
    assert observed.sliders[0].layout.display == "none"  # the plotted dimension needs no slider


def test_a_short_dimension_beside_a_long_one_is_not_a_sliver(zr: Any) -> None:
    array = zr.create_array(zr.storage.MemoryStore(), shape=(120, 8), dtype="f4", dimension_names=["t", "s"])
    view = preview(array)
    assert view.view.value == "line" and view.shown == (0,)
    view.columns.value = 1
    view.rows.value = 0
    assert view.shown == (0, 1) and view.view.value == "heatmap"
    width, height = Image.open(io.BytesIO(view.png)).size
    assert width >= 160 and height >= 160


def test_strings_show_a_table_with_labels_and_no_idle_slider(climate: Any, table_cells: Any) -> None:
    view = preview(climate["stations/name"])
    assert list(view.view.options) == ["table"]
    assert view.sliders[0].layout.display == "none"  # 3 names fit the table: nothing to slide
    assert table_cells(view.figure.value)[1:] == [["0", "Reykjavik"], ["1", "Nairobi"], ["2", "Lima"]]
    land = preview(climate["land"])
    assert land.cmap.value == "categorical"


def test_a_group_is_refused_with_a_type_error_naming_it(climate: Any) -> None:
    with pytest.raises(TypeError, match=r"preview\(\) takes an array, got the group '/stations'"):
        preview(climate["stations"])
    with pytest.raises(TypeError, match="takes a zarr array, got list"):
        preview([1, 2])
    with pytest.raises(ValueError, match="limits must be one of"):
        preview(climate["temperature"], limits="auto")


def test_labels_are_looked_up_by_name_without_listing_a_large_group(zr: Any, counting_store: Any) -> None:
    root = zr.open_group(counting_store, mode="w")
    data = root.create_array("data", shape=(3,), dtype="f4", dimension_names=["site"])
    for i in range(30):
        root.create_array(f"other{i}", shape=(1,), dtype="i1")
    labels = np.array(["a", "b", "c"], dtype=object)
    root.create_array("site_id", shape=(3,), dtype=str, dimension_names=["site"])[:] = labels
    counting_store.reads.clear()
    view = preview(data)
    assert view.coordinates[0].name == "/site_id" and "a" in view.readouts[0].value
    assert not [k for k in counting_store.reads if k.startswith("other")]  # no member listing


def test_consolidated_metadata_lets_any_label_array_be_found(zr: Any) -> None:
    store = zr.storage.MemoryStore()
    root = zr.open_group(store, mode="w")
    data = root.create_array("data", shape=(2,), dtype="f4", dimension_names=["k"])
    root.create_array("callsign", shape=(2,), dtype=str, dimension_names=["k"])[:] = np.array(
        ["KXYZ", "WABC"], dtype=object
    )
    assert 0 not in preview(data).coordinates  # an unusual name, no consolidated metadata: not looked for
    zr.consolidate_metadata(store)
    consolidated = zr.open_group(store, mode="r")["data"]
    assert preview(consolidated).coordinates[0].labels(range(2)) == ["KXYZ", "WABC"]


def test_a_line_follows_its_slice_unless_fixed_and_each_view_keeps_its_mode(climate: Any) -> None:
    observed = preview(climate["stations/observed"])  # station k holds k, k + 3, ... k + 69
    assert observed.limits.value == "slice"
    assert (observed.colour_limits.lo, observed.colour_limits.hi) == (0, 69)
    observed.sliders[1].value = 2
    assert (observed.colour_limits.lo, observed.colour_limits.hi) == (2, 71)
    observed.limits.value = "fixed"
    observed.sliders[1].value = 0
    assert (observed.colour_limits.lo, observed.colour_limits.hi) == (0, 71)  # the whole array's range
    observed.rows.value = 1
    assert observed.view.value == "heatmap" and observed.limits.value == "fixed"
    observed.limits.value = "slice"
    observed.rows.value = None
    assert observed.view.value == "line" and observed.limits.value == "fixed"  # the line's own choice


def test_each_view_shows_only_the_controls_that_act_on_it(climate: Any) -> None:
    observed = preview(climate["stations/observed"])
    assert observed.limits.layout.display != "none" and observed.cmap.layout.display == "none"
    assert observed.flip.layout.display == "none"
    observed.view.value = "table"
    assert observed.picture_controls.layout.display == "none"
    observed.rows.value = 1
    observed.view.value = "heatmap"
    shown = (observed.cmap, observed.limits, observed.flip, observed.picture_controls)
    assert all(control.layout.display != "none" for control in shown)


def test_an_unreadable_coordinate_leaves_the_dimension_labelled_by_index(zr: Any) -> None:
    import asyncio

    store = zr.storage.MemoryStore()
    root = zr.open_group(store, mode="w")
    root.create_array("x", shape=(4,), dtype="f8", dimension_names=["x"], compressors=None)[:] = np.arange(4)
    data = root.create_array("data", shape=(4,), dtype="f4", dimension_names=["x"])
    data[:] = 1
    buffer = zr.core.buffer.default_buffer_prototype().buffer.from_bytes(b"bad")
    asyncio.run(store.set("x/c/0", buffer))
    view = preview(data)
    assert view.coordinates == {} and view.axes[0].title == "x (index)"
    assert "zarrnb-error" not in view.note.value
