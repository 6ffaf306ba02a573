"""The chunk-grid picture of an array's repr: an SVG of the last one to three
dimensions with chunk and shard boundaries, in the manner of dask's array repr.

Sides are scaled by the square root of their share of the longest side, so long thin
arrays stay visible; an axis of more than ``MAX_CHUNKS_DRAWN`` chunks gets a denser fill
instead of a line per chunk, which bounds the SVG's size for huge grids. The SVG goes in
as an ``<img>`` data URI drawn in mid greys: sanitizers (an untrusted JupyterLab notebook,
for one) strip inline ``<svg>`` but keep such images, and mid greys read on light and
dark backgrounds alike.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass

from zarrnb.display.html import Html, escape, fill
from zarrnb.display.parts import plural

__all__ = ["MAX_CHUNKS_DRAWN", "render_chunk_grid", "svg_document"]

MAX_CHUNKS_DRAWN = 50  # an axis with more chunks gets a denser fill instead of lines
SIZE = 160.0  # pixels of the longest drawn side
MIN_FRACTION = 0.06  # the shortest side, as a share of SIZE
BAR = 24.0  # height of a 1-D bar
MARGIN = 8.0
CHAR_WIDTH = 6.5  # rough width of one label character at 11px

Point = tuple[float, float]


@dataclass(frozen=True)
class _Face:
    """A parallelogram ``origin + s*u + t*v``; ``u_axis``/``v_axis`` say which array axis each edge spans."""

    origin: Point
    u: Point
    v: Point
    u_axis: int | None
    v_axis: int | None

    def corners(self) -> list[Point]:
        (x, y), (ux, uy), (vx, vy) = self.origin, self.u, self.v
        return [(x, y), (x + ux, y + uy), (x + ux + vx, y + uy + vy), (x + vx, y + vy)]

    def segments(self, axis: int, fractions: Sequence[float]) -> list[tuple[Point, Point]]:
        """Lines across this face at ``fractions`` of ``axis``, parallel to the face's other edge."""
        if axis == self.u_axis:
            along, across = self.u, self.v
        elif axis == self.v_axis:
            along, across = self.v, self.u
        else:
            return []
        (x, y) = self.origin
        starts = [(x + t * along[0], y + t * along[1]) for t in fractions]
        return [((sx, sy), (sx + across[0], sy + across[1])) for sx, sy in starts]


def _num(value: float) -> str:
    return f"{round(value, 1):g}"


def _side(length: int, longest: int) -> float:
    return SIZE * max(math.sqrt(length / longest), MIN_FRACTION)


def _boundaries(length: int, step: int) -> list[float] | None:
    """Inner boundaries as fractions of ``length``, or ``None`` when there are too many to draw."""
    count = math.ceil(length / step)
    if count > MAX_CHUNKS_DRAWN:
        return None
    return [k * step / length for k in range(1, count)]


def _faces(shape: Sequence[int], left: float) -> tuple[list[_Face], float, float]:
    """The visible faces for the last 1-3 dims of ``shape``, starting ``left`` pixels in, and their extent."""
    longest = max(shape)
    if len(shape) == 1:
        return [_Face((left, MARGIN), (SIZE, 0), (0, BAR), 0, None)], SIZE, BAR
    height, width = _side(shape[-2], longest), _side(shape[-1], longest)
    if len(shape) == 2:
        return [_Face((left, MARGIN), (width, 0), (0, height), 1, 0)], width, height
    d = _side(shape[0], longest) * 0.5 * math.sqrt(0.5)  # depth drawn at 45 degrees, foreshortened
    top_left = (left, MARGIN + d)
    faces = [
        _Face(top_left, (width, 0), (0, height), 2, 1),  # front
        _Face(top_left, (width, 0), (d, -d), 2, 0),  # top
        _Face((left + width, MARGIN + d), (d, -d), (0, height), 0, 1),  # side
    ]
    return faces, width + d, height + d


def _path(segments: list[tuple[Point, Point]]) -> str:
    return "".join(f"M{_num(a[0])} {_num(a[1])}L{_num(b[0])} {_num(b[1])}" for a, b in segments)


def _polygon(face: _Face) -> str:
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in face.corners())


def _axis_label(axis: int, shape: Sequence[int], names: Sequence[str | None] | None) -> str:
    name = names[axis] if names is not None and axis < len(names) else None
    return f"{name}: {shape[axis]}" if name else str(shape[axis])


def svg_document(
    shape: Sequence[int],
    chunks: Sequence[int],
    shards: Sequence[int] | None,
    names: Sequence[str | None] | None,
) -> tuple[str, float, float]:
    """The standalone SVG for the last 1-3 dims, and its width and height in pixels.

    ``names`` are the dimension names of those dims.
    """
    ndim = len(shape)
    labels = [_axis_label(a, shape, names) for a in range(ndim)]
    # the depth label sits left of the drawing, the others below and to the right
    left = MARGIN + (CHAR_WIDTH * len(labels[0]) if ndim == 3 else 0)
    faces, width, height = _faces(shape, left)
    chunk_lines: dict[int, list[float] | None] = {a: _boundaries(shape[a], chunks[a]) for a in range(ndim)}
    shard_lines = {a: _boundaries(shape[a], shards[a]) for a in range(ndim)} if shards else {}
    parts = []
    for face in faces:
        dense = any(chunk_lines[a] is None for a in (face.u_axis, face.v_axis) if a is not None)
        parts.append(f'<polygon class="face{" dense" if dense else ""}" points="{_polygon(face)}"/>')
    chunk_segments = [s for f in faces for a, fr in chunk_lines.items() if fr for s in f.segments(a, fr)]
    shard_segments = [s for f in faces for a, fr in shard_lines.items() if fr for s in f.segments(a, fr)]
    if chunk_segments:
        parts.append(f'<path class="chunk" d="{_path(chunk_segments)}"/>')
    if shard_segments:
        parts.append(f'<path class="shard" d="{_path(shard_segments)}"/>')
    parts += _labels(labels, faces, left + width)
    total_w = left + width + MARGIN + 8 + CHAR_WIDTH * max(map(len, labels))
    total_h = height + 2 * MARGIN + 16
    document = fill(
        "chunk_grid.svg",
        width=_num(total_w),
        height=_num(total_h),
        title=f"chunk grid of shape {tuple(shape)}",
        body=Html("".join(parts)),
    )
    return document, total_w, total_h


def _labels(labels: list[str], faces: list[_Face], right: float) -> list[str]:
    """Size labels: the last axis below, the one before it on the right, the depth axis top left."""
    front = faces[0]
    x0, y0 = front.origin
    out = [_text(labels[-1], x0 + front.u[0] / 2, y0 + front.v[1] + 13, "middle")]
    if len(labels) >= 2:
        out.append(_text(labels[-2], right + 4, y0 + front.v[1] / 2, "start"))
    if len(labels) == 3:
        d = faces[1].v[0]
        out.append(_text(labels[0], x0 + d / 2 - 4, y0 - d / 2, "end"))
    return out


def _text(label: str, x: float, y: float, anchor: str) -> str:
    return f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}">{escape(label)}</text>'


def _count_text(shape: Sequence[int], step: Sequence[int]) -> str:
    counts = [math.ceil(n / s) for n, s in zip(shape, step, strict=True)]
    if len(counts) == 1:
        return str(counts[0])
    return f"{' × '.join(map(str, counts))} = {math.prod(counts)}"


def render_chunk_grid(
    shape: Sequence[int],
    chunks: Sequence[int],
    shards: Sequence[int] | None = None,
    dimension_names: Sequence[str | None] | None = None,
) -> Html:
    """The figure of an array's repr: leading dims in words, the SVG, and the chunk counts."""
    if len(shape) == 0:
        return fill("figure.html", leading="", svg=Html(""), caption="scalar (0-d): one chunk")
    if 0 in shape:
        return fill("figure.html", leading="", svg=Html(""), caption="empty: no chunks")
    lead = max(len(shape) - 3, 0)
    leading = " × ".join(
        f"{_axis_label(a, shape, dimension_names)} ({plural(math.ceil(shape[a] / chunks[a]), 'chunk')})"
        for a in range(lead)
    )
    caption = [f"chunks: {_count_text(shape, chunks)}"]
    if shards:
        caption.append(f"shards: {_count_text(shape, shards)}")
    if any(math.ceil(n / c) > MAX_CHUNKS_DRAWN for n, c in zip(shape[lead:], chunks[lead:], strict=True)):
        caption.append(f"lines left out along axes of more than {MAX_CHUNKS_DRAWN} chunks or shards")
    names = None if dimension_names is None else tuple(dimension_names)[lead:]
    document, width, height = svg_document(
        shape[lead:], chunks[lead:], None if shards is None else shards[lead:], names
    )
    image = fill(
        "chunk_grid_img.html",
        data=base64.b64encode(document.encode()).decode("ascii"),
        width=round(width),
        height=round(height),
        alt=f"chunk grid of shape {tuple(shape)}",
    )
    return fill(
        "figure.html",
        leading=f"leading dims: {leading}" if leading else "",
        svg=image,
        caption=Html("<br/>".join(escape(c) for c in caption)),
    )
