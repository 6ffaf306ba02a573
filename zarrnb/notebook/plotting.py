"""Drawing for the previewer: a PNG heatmap framed by SVG axes and a colour bar, and an SVG line plot.

Everything drawn here comes from numbers computed elsewhere (:mod:`zarrnb.notebook.domain`,
:mod:`zarrnb.notebook.axes`), and the output is byte-identical for the same numbers, so a
saved notebook re-runs to the same HTML. Text uses ``currentColor`` and the line a blue that
reads on white and on near-black, so light and dark themes both work. No plotting library.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence

import numpy as np
from PIL import Image

from zarrnb.notebook.axes import Axis
from zarrnb.notebook.colormaps import Colormap
from zarrnb.notebook.domain import CellSize, nice_ticks, tick_text

__all__ = ["LINE_COLOUR", "colorbar_svg", "heatmap_html", "heatmap_png", "line_svg"]

# contrast >= 3:1 against white and against JupyterLab's dark background alike
LINE_COLOUR = "#2a8fd6"
_FONT = 'font-family="sans-serif" font-size="11"'
_Y_AXIS_WIDTH, _X_AXIS_HEIGHT, _BAR_WIDTH = 78, 40, 90


def heatmap_png(values: np.ndarray, lo: float, hi: float, cmap: Colormap, cell: CellSize) -> bytes:
    """Encode a 2-D array (first row drawn on top) as a PNG, each element ``cell`` pixels large."""
    data = np.asarray(values, dtype=np.float64)
    if data.ndim != 2 or 0 in data.shape:
        raise ValueError(f"heatmap needs a non-empty 2-D array, got shape {data.shape}")
    rgb = cmap.colours(data, lo, hi)
    rgb = np.repeat(np.repeat(rgb, cell.row, axis=0), cell.column, axis=1)
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb), mode="RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def _text(x: float, y: float, text: str, anchor: str, extra: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="currentColor"{extra}>'
        f"{html.escape(text)}</text>"
    )


def _segment(x1: float, y1: float, x2: float, y2: float, opacity: float = 1.0) -> str:
    """A straight stroke, as a ``<path>`` (no ``<line>``: table-row counters look for ``<li``)."""
    fade = f' stroke-opacity="{opacity}"' if opacity < 1 else ""
    return f'<path d="M{x1:.1f} {y1:.1f}L{x2:.1f} {y2:.1f}" stroke="currentColor"{fade}/>'


def _svg(css_class: str, width: float, height: float, body: Sequence[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" {_FONT} '
        f'style="overflow:visible;display:block">{"".join(body)}</svg>'
    )


def _x_axis_height(axis: Axis) -> float:
    return _X_AXIS_HEIGHT + axis.depth


def _x_ticks(axis: Axis, left: float, base: float) -> list[str]:
    """Tick marks and labels of a horizontal axis whose line is at ``base``, starting at ``left``."""
    body = []
    for tick, label in axis.ticks:
        x = left + tick
        body.append(_segment(x, base, x, base + 5))
        if axis.slanted:  # the label ends under its tick and rises to the left
            slant = f' class="zarrnb-tick" transform="rotate(-45 {x:.1f} {base + 14:.1f})"'
            body.append(_text(x + 4, base + 14, label, "end", slant))
        else:
            body.append(_text(x, base + 17, label, "middle", ' class="zarrnb-tick"'))
    return body


def _x_axis_svg(axis: Axis) -> str:
    body = [_segment(0, 0.5, axis.length, 0.5, 0.5), *_x_ticks(axis, 0, 0)]
    title_y = _x_axis_height(axis) - 6
    body.append(_text(axis.length / 2, title_y, axis.title, "middle", ' class="zarrnb-axis-title"'))
    return _svg("zarrnb-axis zarrnb-x-axis", axis.length, _x_axis_height(axis), body)


def _y_axis_svg(axis: Axis) -> str:
    right = _Y_AXIS_WIDTH - 0.5
    body = [_segment(right, 0, right, axis.length, 0.5)]
    for y, label in axis.ticks:
        body.append(_segment(right - 5, y, right, y))
        body.append(_text(right - 8, y + 4, label, "end", ' class="zarrnb-tick"'))
    middle = axis.length / 2
    title = f' class="zarrnb-axis-title" transform="rotate(-90 10 {middle:.1f})"'
    body.append(_text(10, middle, axis.title, "middle", title))
    return _svg("zarrnb-axis zarrnb-y-axis", _Y_AXIS_WIDTH, axis.length, body)


def colorbar_svg(
    cmap: Colormap, lo: float, hi: float, height: int, *, labels: dict[int, str] | None = None
) -> str:
    """A vertical colour bar with numbered ticks (or, for a categorical map, one swatch per value)."""
    body: list[str] = []
    if cmap.categorical:
        first, last = round(lo), round(hi)
        values = list(range(first, last + 1))[: len(cmap.table)]
        for row, value in enumerate(values):
            r, g, b = cmap.colours(np.array([value]), lo, hi)[0].tolist()
            y = row * 18
            body.append(f'<rect x="4" y="{y}" width="14" height="14" fill="rgb({r},{g},{b})"/>')
            text = (labels or {}).get(value, str(value))
            body.append(_text(24, y + 11, text, "start", ' class="zarrnb-tick"'))
        if last - first + 1 > len(values):
            body.append(_text(4, len(values) * 18 + 11, "… colours repeat", "start"))
        return _svg("zarrnb-colorbar", _BAR_WIDTH, max(height, len(values) * 18 + 18), body)
    steps = 64
    strip = height / steps
    colours = cmap.colours(np.linspace(hi, lo, steps), lo, hi)
    for i, (r, g, b) in enumerate(colours.tolist()):
        body.append(
            f'<rect x="4" y="{i * strip:.2f}" width="14" height="{strip + 0.5:.2f}" fill="rgb({r},{g},{b})"/>'
        )
    ticks = nice_ticks(lo, hi, max(2, height // 45)) if hi > lo else [lo]
    for value, text in zip(ticks, tick_text(ticks), strict=True):
        y = height * (hi - value) / (hi - lo) if hi > lo else height / 2
        body.append(_segment(18, y, 22, y))
        body.append(_text(25, y + 4, text, "start", ' class="zarrnb-tick"'))
    return _svg("zarrnb-colorbar", _BAR_WIDTH, height, body)


def heatmap_html(png: bytes, x_axis: Axis, y_axis: Axis, colorbar: str, *, alt: str = "heatmap") -> str:
    """The picture in a grid: y axis, image, colour bar, then the x axis under the image."""
    width, height = x_axis.length, y_axis.length
    data = base64.b64encode(png).decode("ascii")
    image = (
        f'<img class="zarrnb-image" alt="{html.escape(alt)}" width="{width}" height="{height}" '
        f'style="display:block;image-rendering:pixelated" src="data:image/png;base64,{data}"/>'
    )
    grid = (
        f"display:grid;grid-template-columns:{_Y_AXIS_WIDTH}px {width}px {_BAR_WIDTH + 12}px;"
        f"grid-template-rows:{height}px {_x_axis_height(x_axis):.0f}px;column-gap:0;margin:6px 0"
    )
    return (
        f'<div class="zarrnb-figure" style="{grid}">{_y_axis_svg(y_axis)}{image}'
        f'<div style="padding-left:12px">{colorbar}</div><div></div>{_x_axis_svg(x_axis)}<div></div></div>'
    )


def _segments(xs: np.ndarray, ys: np.ndarray) -> list[str]:
    """Polyline point lists, broken wherever y is not finite."""
    segments: list[str] = []
    current: list[str] = []
    for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
        if np.isfinite(y):
            current.append(f"{x:.1f},{y:.1f}")
        elif current:
            segments.append(" ".join(current))
            current = []
    if current:
        segments.append(" ".join(current))
    return segments


def line_svg(
    values: np.ndarray,
    x_axis: Axis,
    limits: tuple[float, float] | None,
    *,
    y_title: str = "",
    height: int = 240,
) -> str:
    """Plot ``values`` (one per element of ``x_axis``) between y ``limits``; NaN leaves a gap.

    The x axis comes with its ticks in pixels from the plot's left edge; values beyond the
    limits are drawn at the edge (the limits are fixed across slices unless chosen per slice).
    """
    ys = np.asarray(values, dtype=np.float64)
    left, top, bottom = _Y_AXIS_WIDTH, 10, _x_axis_height(x_axis)
    plot_h = height - top - _X_AXIS_HEIGHT
    plot_w, height = x_axis.length, round(top + plot_h + bottom)
    width = left + plot_w + 16
    parts = [
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" '
        'stroke="currentColor" stroke-opacity="0.4"/>'
    ]
    if limits is None or not np.isfinite(ys).any():
        parts.append(_text(left + 8, top + 20, "no finite values", "start"))
        return _svg("zarrnb-line", width, height, parts)
    lo, hi = limits
    pad = (hi - lo) * 0.04  # the line clears the frame at its extremes
    lo, hi = lo - pad, hi + pad
    span = (hi - lo) or 1.0
    cell = plot_w / max(len(ys), 1)
    px = left + (np.arange(len(ys)) + 0.5) * cell
    py = top + plot_h - (np.clip(ys, lo, hi) - lo) / span * plot_h
    if hi == lo:
        py = np.where(np.isfinite(ys), top + plot_h / 2, np.nan)
    for points in _segments(px, py):
        if " " in points:
            parts.append(
                f'<polyline class="zarrnb-series" points="{points}" fill="none" stroke="{LINE_COLOUR}" '
                'stroke-width="1.75"/>'
            )
        else:
            x, y = points.split(",")
            parts.append(f'<circle class="zarrnb-series" cx="{x}" cy="{y}" r="2.5" fill="{LINE_COLOUR}"/>')
    ticks = nice_ticks(lo + pad, hi - pad, max(2, plot_h // 40)) if hi > lo else [lo]
    for value, text in zip(ticks, tick_text(ticks), strict=True):
        y = top + plot_h - (value - lo) / span * plot_h if hi > lo else top + plot_h / 2
        parts.append(_segment(left - 5, y, left, y))
        parts.append(_text(left - 8, y + 4, text, "end", ' class="zarrnb-tick"'))
    parts += _x_ticks(x_axis, left, top + plot_h)
    parts.append(_text(left + plot_w / 2, height - 4, x_axis.title, "middle", ' class="zarrnb-axis-title"'))
    if y_title:
        title = f' class="zarrnb-axis-title" transform="rotate(-90 10 {top + plot_h / 2:.1f})"'
        parts.append(_text(10, top + plot_h / 2, y_title, "middle", title))
    return _svg("zarrnb-line", width, height, parts)
