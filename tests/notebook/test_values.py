from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from zarrnb.notebook.values import format_value, plottable, slice_stats, table_html


def test_plottable_converts_bool_ints_and_complex_parts() -> None:
    assert plottable(np.array([True, False])).tolist() == [1.0, 0.0]
    assert plottable(np.array([3], dtype="u8")).dtype == np.float64
    z = np.array([3 + 4j, -1j])
    assert plottable(z, "magnitude").tolist() == [5.0, 1.0]
    assert plottable(z, "phase")[1] == pytest.approx(-np.pi / 2)
    assert plottable(z, "imag").tolist() == [4.0, -1.0]
    with pytest.raises(ValueError, match="complex part"):
        plottable(z, "angle")
    with pytest.raises(TypeError, match="table view"):
        plottable(np.array(["a"]))


def test_stats_of_floats_count_nan_and_skip_them() -> None:
    stats = slice_stats(np.array([1.0, np.nan, 3.0]))
    assert stats == {"count": "3", "NaN count": "1", "min": "1", "max": "3", "mean": "2"}


def test_stats_of_ints_stay_exact_and_bools_give_a_fraction() -> None:
    big = np.array([2**62 + 1, 5], dtype="i8")
    assert slice_stats(big)["max"] == str(2**62 + 1)
    stats = slice_stats(np.array([True, False, False, False]))
    assert (stats["min"], stats["max"], stats["mean"]) == ("False", "True", "0.25")


def test_stats_of_complex_datetimes_and_strings() -> None:
    assert slice_stats(np.array([3 + 4j]), "magnitude")["max"] == "5"
    times = np.array(["2020-01-02", "NaT", "2020-01-01"], dtype="datetime64[D]")
    stats = slice_stats(times)
    assert (stats["NaT count"], stats["min"], stats["max"]) == ("1", "2020-01-01", "2020-01-02")
    assert slice_stats(np.array(["a", "b", "a"]))["distinct"] == "2"
    assert slice_stats(np.array([np.nan]))["NaN count"] == "1"


def test_format_value_per_type() -> None:
    assert format_value(np.float32(0.1)) == "0.1"
    assert format_value(np.complex64(1 - 2j)) == "1-2j"
    assert format_value(np.datetime64("2021-03-04T05:06", "ns")).startswith("2021-03-04T05:06")
    assert format_value("x" * 100).endswith("…") and len(format_value("x" * 100)) == 40
    assert format_value(b"\x00a") == "b'\\x00a'"


def test_table_html_escapes_values_and_labels_rows(table_cells: Any) -> None:
    table = table_html(np.array(["<b>", "ok"], dtype=object), [0, 1], None)
    assert "&lt;b&gt;" in table and "<b>" not in table
    assert table_cells(table) == [["", "value"], ["0", "<b>"], ["1", "ok"]]
    grid = table_html(np.arange(4).reshape(2, 2), [5, 6], ["<7>", "8"], row_title="y")
    assert table_cells(grid) == [["y", "<7>", "8"], ["5", "0", "1"], ["6", "2", "3"]]
    assert "&lt;7&gt;" in grid
