"""The numbers a picture is drawn from, apart from the drawing: colour limits, ticks and cell sizes.

As h5web separates the value domain from rendering, the heatmap, its colour bar, the line
plot and the static snapshot all draw from the values computed here, and tests check them
without looking at pixels.

Colour limits are *fixed* by default: a robust estimate (2nd–98th percentile) from a few
chunks spread over the whole array, widened only when a slice read later reaches well beyond
it (more than :data:`WIDEN_BEYOND` of the span), so colours compare across slider moves.
*Per-slice* limits follow each slice instead.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "CellSize",
    "ColourLimits",
    "FixedLimits",
    "cell_size",
    "full_limits",
    "nice_ticks",
    "robust_limits",
    "sample_chunk_selections",
    "symmetric",
]

# the picture box: cells are square unless that would make a side shorter than MIN_SIDE
MAX_WIDTH, MAX_HEIGHT, MIN_SIDE = 480, 400, 160
# a slice moves fixed limits only when its robust range passes them by more than this share of their span
WIDEN_BEYOND = 0.05


def robust_limits(values: np.ndarray) -> tuple[float, float]:
    """Limits at the 2nd and 98th percentiles of the finite values, so outliers do not wash out."""
    finite = np.asarray(values, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return 0.0, 1.0
    lo, hi = np.percentile(finite, [2.0, 98.0])
    if hi <= lo:
        lo, hi = float(finite.min()), float(finite.max())
    return float(lo), float(hi)


def full_limits(values: np.ndarray) -> tuple[float, float] | None:
    """Smallest and largest finite value, or ``None`` when there is none."""
    finite = np.asarray(values, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    return (float(finite.min()), float(finite.max())) if finite.size else None


def symmetric(lo: float, hi: float) -> tuple[float, float]:
    """Limits symmetric about 0 when they straddle it (a diverging map's white is then 0)."""
    if lo < 0 < hi:
        bound = max(-lo, hi)
        return -bound, bound
    return lo, hi


@dataclass(frozen=True)
class ColourLimits:
    """The value range mapped onto the colour map, and where it came from (shown in the widget)."""

    lo: float
    hi: float
    source: str


class FixedLimits:
    """Limits that stay put across slices: the union of the robust ranges of sampled chunks, then slices."""

    def __init__(
        self, samples: list[np.ndarray] | None, *, robust: bool = True, first: np.ndarray | None = None
    ) -> None:
        """Estimate from ``samples`` (chunks) and ``first``, the first slice shown, so it widens nothing."""
        self.robust = robust
        self.estimate: tuple[float, float] | None = None
        for sample in samples or []:
            self._take(sample)
        self.sampled = self.estimate is not None
        if first is not None:
            self._take(first)
        self.current = self.estimate

    def _take(self, values: np.ndarray) -> None:
        if np.isfinite(np.asarray(values, dtype=np.float64)).any():
            lo, hi = self._limits(values)
            old = self.estimate or (lo, hi)
            self.estimate = (min(old[0], lo), max(old[1], hi))

    def _limits(self, values: np.ndarray) -> tuple[float, float]:
        if self.robust:
            return robust_limits(values)
        return full_limits(values) or (0.0, 1.0)  # lines and categories: every value counts

    def absorb(self, values: np.ndarray) -> tuple[float, float]:
        """Take in a slice: widen the limits where its range passes them by much; return the limits."""
        if np.isfinite(np.asarray(values, dtype=np.float64)).any():
            lo, hi = self._limits(values)
            if self.current is None:
                self.current = (lo, hi)
            else:
                low, high = self.current
                margin = (high - low) * WIDEN_BEYOND if self.robust else 0.0
                self.current = (lo if lo < low - margin else low, hi if hi > high + margin else high)
        return self.current or (0.0, 1.0)

    @property
    def source(self) -> str:
        """Where the limits come from, in words."""
        if not self.sampled:
            return "fixed: from the slices viewed so far"
        widened = self.current != self.estimate
        return "fixed: sampled from the whole array" + (", widened by a slice" if widened else "")


def sample_chunk_selections(
    shape: tuple[int, ...], chunks: tuple[int, ...], *, max_chunks: int = 4, max_elements: int = 1_000_000
) -> list[tuple[slice, ...]]:
    """Selections of up to ``max_chunks`` whole chunks spread evenly over the array, in chunk order.

    Spread over the linear chunk index (first, last and evenly between), so a (time, lat, lon)
    array is sampled at several times; fewer chunks when they would exceed ``max_elements``,
    none when one chunk alone would.
    """
    if not shape or 0 in shape:
        return []
    grid = [math.ceil(s / c) for s, c in zip(shape, chunks, strict=True)]
    per_chunk = math.prod(min(s, c) for s, c in zip(shape, chunks, strict=True))
    count = min(max_chunks, math.prod(grid), max_elements // max(per_chunk, 1))
    if count < 1:  # chunks too large to sample cheaply: the limits come from the slices shown
        return []
    linear = sorted({round(i) for i in np.linspace(0, math.prod(grid) - 1, count)})
    selections = []
    for index in linear:
        coords = np.unravel_index(index, grid)
        selections.append(
            tuple(
                slice(int(i) * c, min((int(i) + 1) * c, s))
                for i, c, s in zip(coords, chunks, shape, strict=True)
            )
        )
    return selections


@dataclass(frozen=True)
class CellSize:
    """Screen pixels per shown element along rows and columns (integers, so the picture stays crisp)."""

    row: int
    column: int

    def picture(self, rows: int, columns: int) -> tuple[int, int]:
        """Width and height of the picture in pixels."""
        return columns * self.column, rows * self.row


def cell_size(rows: int, columns: int) -> CellSize:
    """Square cells as large as fit the picture box; a side shorter than ``MIN_SIDE`` px is stretched.

    A (73 × 144) map gets 3-px cells (432 × 219 px); a (120 × 8) table of stations gets cells
    20 px wide so the picture is 160 px wide, not 24.
    """
    side = max(1, min(MAX_WIDTH // max(columns, 1), MAX_HEIGHT // max(rows, 1)))
    side = min(side, 32)
    row = max(side, math.ceil(MIN_SIDE / max(rows, 1)))
    column = max(side, math.ceil(MIN_SIDE / max(columns, 1)))
    return CellSize(row=row, column=column)


def nice_ticks(lo: float, hi: float, target: int = 5, *, angles: bool = False) -> list[float]:
    """Round tick values inside ``[lo, hi]``, about ``target`` of them.

    Steps are 1, 2, 2.5 or 5 times a power of ten, the one whose count is nearest ``target``
    (more ticks on a tie); with ``angles`` (degrees) spans of 45 or more step by 15, 30, 45, 60 or 90.
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        return [lo]
    base = 10 ** math.floor(math.log10((hi - lo) / max(target, 1)))
    steps = [m * p for p in (base / 10, base, base * 10) for m in (1, 2, 2.5, 5)]
    if angles and hi - lo >= 45:
        steps = [15, 30, 45, 60, 90]

    def first_last(step: float) -> tuple[int, int]:
        return math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)

    def rank(step: float) -> tuple[int, int]:
        first, last = first_last(step)
        count = last - first + 1
        return abs(count - target), -count

    step = min(steps, key=rank)
    first, last = first_last(step)
    return [round(i * step, 12) + 0.0 for i in range(first, last + 1)]  # + 0.0 turns -0.0 into 0.0


def tick_text(values: list[float]) -> list[str]:
    """Tick labels with as many decimals as the step needs, no more."""
    if len(values) < 2:
        return [f"{v:.6g}" for v in values]
    step = min(abs(b - a) for a, b in itertools.pairwise(values)) or 1.0
    if abs(max(values, key=abs)) >= 1e6 or step < 1e-4:
        return [f"{v:.3g}" for v in values]
    decimals = next((d for d in range(7) if all(abs(round(v, d) - v) < step * 1e-6 for v in values)), 6)
    return [f"{v:.{decimals}f}" for v in values]
