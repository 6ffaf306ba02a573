"""Pictures for the previewer: a PNG heatmap and an SVG line plot, byte-identical for the same data.

No plotting library is needed: the heatmap maps values through a colormap of our own
(linear blends between a few anchor colours, dark blue to yellow with rising lightness)
and Pillow writes the PNG without timestamps; the line plot is plain SVG text.
"""

from __future__ import annotations

import html
import io

import numpy as np
from PIL import Image

__all__ = [
    "COLORMAP_ANCHORS",
    "NAN_COLOUR",
    "colormap_css",
    "heatmap_png",
    "heatmap_scale",
    "line_svg",
    "lookup_table",
]

# Anchor colours of the colormap, low to high; lightness rises monotonically so the
# picture reads in greyscale too.
COLORMAP_ANCHORS: tuple[tuple[int, int, int], ...] = (
    (22, 16, 66),
    (48, 70, 150),
    (32, 140, 150),
    (100, 195, 100),
    (250, 230, 70),
)
# Pixels whose value is NaN (or NaT) are drawn in this neutral grey.
NAN_COLOUR: tuple[int, int, int] = (170, 170, 170)
LINE_COLOUR = "#3046a0"


def lookup_table(size: int = 256) -> np.ndarray:
    """Return the colormap as a ``(size, 3)`` uint8 table by blending neighbouring anchors."""
    anchors = np.asarray(COLORMAP_ANCHORS, dtype=np.float64)
    stops = np.linspace(0.0, 1.0, len(anchors))
    positions = np.linspace(0.0, 1.0, size)
    table = np.stack([np.interp(positions, stops, anchors[:, c]) for c in range(3)], axis=1)
    return np.round(table).astype(np.uint8)


_LUT = lookup_table()


def colormap_css() -> str:
    """A CSS ``linear-gradient`` through the anchors, for a colour bar next to the heatmap."""
    stops = ", ".join(f"rgb{tuple(c)}" for c in COLORMAP_ANCHORS)
    return f"linear-gradient(to right, {stops})"


def heatmap_scale(shape: tuple[int, ...], target_size: int) -> int:
    """The integer enlargement (1 to 32) that brings the longer side of a heatmap near ``target_size``."""
    return max(1, min(32, target_size // max(shape)))


def heatmap_png(values: np.ndarray, vmin: float, vmax: float, *, target_size: int = 320) -> bytes:
    """Encode a 2-D float array as a PNG heatmap with colour limits ``vmin``..``vmax``.

    Small arrays are enlarged by an integer factor (nearest neighbour) so that a 6x8 slice
    is still visible; NaN pixels get :data:`NAN_COLOUR`.
    """
    data = np.asarray(values, dtype=np.float64)
    if data.ndim != 2 or 0 in data.shape:
        raise ValueError(f"heatmap needs a non-empty 2-D array, got shape {data.shape}")
    span = vmax - vmin
    scaled = (data - vmin) / span if span > 0 else np.zeros_like(data)
    finite = np.isfinite(data)
    index = np.round(np.clip(np.where(finite, scaled, 0.0), 0.0, 1.0) * (len(_LUT) - 1)).astype(np.intp)
    rgb = _LUT[index]
    rgb[~finite] = NAN_COLOUR
    factor = heatmap_scale(data.shape, target_size)
    if factor > 1:
        rgb = np.repeat(np.repeat(rgb, factor, axis=0), factor, axis=1)
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb), mode="RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def _label(value: float) -> str:
    return html.escape(f"{value:.6g}")


def _text(x: float, y: float, escaped: str, anchor: str) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="currentColor">{escaped}</text>'


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
    positions: np.ndarray,
    values: np.ndarray,
    *,
    x_label: str = "",
    width: int = 600,
    height: int = 220,
) -> str:
    """Render ``values`` against integer ``positions`` as an SVG line plot (NaN leaves a gap).

    Axes and labels use ``currentColor`` so the plot reads on light and dark themes.
    """
    xs = np.asarray(positions, dtype=np.float64)
    ys = np.asarray(values, dtype=np.float64)
    left, right, top, bottom = 70, 12, 10, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    finite = ys[np.isfinite(ys)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="zarrnb-line" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" '
        'stroke="currentColor" stroke-opacity="0.4"/>',
    ]
    if finite.size == 0 or xs.size == 0:
        parts.append(f'<text x="{left + 8}" y="{top + 20}" fill="currentColor">no finite values</text>')
        parts.append("</svg>")
        return "".join(parts)
    y_lo, y_hi = float(finite.min()), float(finite.max())
    x_lo, x_hi = float(xs[0]), float(xs[-1])
    y_span = (y_hi - y_lo) or 1.0
    x_span = (x_hi - x_lo) or 1.0
    px = left + (xs - x_lo) / x_span * plot_w
    py = top + plot_h - (ys - y_lo) / y_span * plot_h
    if y_hi == y_lo:
        py = np.where(np.isfinite(ys), top + plot_h / 2, np.nan)
    for points in _segments(px, py):
        if " " in points:
            stroke = f'fill="none" stroke="{LINE_COLOUR}" stroke-width="1.5"'
            parts.append(f'<polyline points="{points}" {stroke}/>')
        else:
            x, y = points.split(",")
            parts.append(f'<circle cx="{x}" cy="{y}" r="2" fill="{LINE_COLOUR}"/>')
    parts += [
        _text(left - 4, top + 10, _label(y_hi), "end"),
        _text(left - 4, top + plot_h, _label(y_lo), "end"),
        _text(left, height - 18, _label(x_lo), "start"),
        _text(left + plot_w, height - 18, _label(x_hi), "end"),
        _text(left + plot_w / 2, height - 4, html.escape(x_label), "middle"),
        "</svg>",
    ]
    return "".join(parts)
