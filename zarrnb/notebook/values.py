"""What the previewer does with the values of a slice, per dtype: plot, colour limits, statistics, text.

Booleans plot as 0/1, complex numbers as magnitude or phase, and strings, datetimes and
structured values are shown in the table only.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np

from zarrnb.notebook.snapshot import CELL_STYLE, TABLE_STYLE

__all__ = [
    "COMPLEX_PARTS",
    "format_value",
    "is_plottable",
    "plottable",
    "slice_stats",
    "table_html",
]

COMPLEX_PARTS = ("magnitude", "phase", "real", "imag")
_TEXT_WIDTH = 40


def is_plottable(dtype: np.dtype) -> bool:
    """Booleans and numbers plot; strings, datetimes, bytes and records go to the table."""
    return dtype.kind in "biufc"


def plottable(values: np.ndarray, part: str = "magnitude") -> np.ndarray:
    """Convert values to float64 for plotting; ``part`` picks what a complex number shows."""
    if values.dtype.kind == "c":
        if part not in COMPLEX_PARTS:
            raise ValueError(f"complex part must be one of {COMPLEX_PARTS}, got {part!r}")
        convert = {"magnitude": np.abs, "phase": np.angle, "real": np.real, "imag": np.imag}[part]
        return np.asarray(convert(values), dtype=np.float64)
    if not is_plottable(values.dtype):
        raise TypeError(f"values of dtype {values.dtype} cannot be plotted; use the table view")
    return values.astype(np.float64)


def _number(value: object) -> str:
    return f"{value:.6g}" if isinstance(value, float | np.floating) else str(value)


def slice_stats(values: np.ndarray, part: str = "magnitude") -> dict[str, str]:
    """Min, max, mean and missing-value count of a slice, as display strings."""
    kind = values.dtype.kind
    stats = {"count": str(values.size)}
    if values.size == 0:
        return stats
    if kind in "biufc":
        data = plottable(values, part)
        nan = np.isnan(data)
        stats["NaN count"] = str(int(nan.sum()))
        if nan.all():
            return stats
        finite = data[~nan]
        stats.update(min=_number(finite.min()), max=_number(finite.max()), mean=_number(finite.mean()))
        if kind == "c":
            stats["shown part"] = part
        elif kind != "f":
            stats.update(min=_number(values.min()), max=_number(values.max()))
        return stats
    if kind in "mM":
        missing = np.isnat(values)
        stats["NaT count"] = str(int(missing.sum()))
        if not missing.all():
            present = values[~missing]
            stats.update(min=str(present.min()), max=str(present.max()))
        return stats
    stats["distinct"] = str(len({format_value(v) for v in values.ravel()}))
    return stats


def format_value(value: object) -> str:
    """Short text for one table cell (not escaped)."""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, complex | np.complexfloating):
        return f"{value.real:.4g}{value.imag:+.4g}j"
    if isinstance(value, float | np.floating):
        return f"{value:.6g}"
    if isinstance(value, bytes):
        text = repr(value)
    elif isinstance(value, str):
        text = value
    else:
        text = str(value)
    return text if len(text) <= _TEXT_WIDTH else text[: _TEXT_WIDTH - 1] + "…"


def table_html(
    values: np.ndarray,
    row_labels: list[Any],
    column_labels: list[Any] | None,
    *,
    row_title: str = "",
) -> str:
    """An escaped HTML table of a 1-D (one column) or 2-D slice with its index labels."""
    grid = values.reshape(-1, 1) if values.ndim == 1 else values
    headers = ["value"] if column_labels is None else [str(c) for c in column_labels]
    cell = f'style="{CELL_STYLE}"'
    head = "".join(f"<th {cell}>{html.escape(h)}</th>" for h in [row_title, *headers])
    body = "".join(
        f"<tr><th {cell}>{html.escape(str(label))}</th>"
        + "".join(f"<td {cell}>{html.escape(format_value(v))}</td>" for v in grid[i])
        + "</tr>"
        for i, label in enumerate(row_labels)
    )
    return (
        f'<table class="zarrnb-values" style="{TABLE_STYLE}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )
