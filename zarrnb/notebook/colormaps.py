"""The previewer's colour maps: sequential, diverging, grey and categorical, as lookup tables of our own.

Continuous maps blend a few anchor colours linearly; the categorical one gives each integer
value its own colour (for masks and class labels). NaN (or a masked value) is drawn in
:data:`NAN_COLOUR` whatever the map.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

__all__ = ["COLORMAPS", "NAN_COLOUR", "Colormap", "colormap"]

# Pixels whose value is NaN (or NaT) are drawn in this neutral grey.
NAN_COLOUR: tuple[int, int, int] = (170, 170, 170)


@dataclass(frozen=True)
class Colormap:
    """A named colour map: anchors blended into a 255-entry table, or a palette for integer categories."""

    name: str
    anchors: tuple[tuple[int, int, int], ...]
    categorical: bool = False
    description: str = ""

    @cached_property
    def table(self) -> np.ndarray:
        """The ``(255, 3)`` uint8 lookup table (the palette itself for a categorical map)."""
        anchors = np.asarray(self.anchors, dtype=np.float64)
        if self.categorical:
            return anchors.astype(np.uint8)
        stops = np.linspace(0.0, 1.0, len(anchors))
        positions = np.linspace(0.0, 1.0, 255)  # odd: the middle anchor is an entry
        table = np.stack([np.interp(positions, stops, anchors[:, c]) for c in range(3)], axis=1)
        return np.round(table).astype(np.uint8)

    def indices(self, values: np.ndarray, lo: float, hi: float) -> np.ndarray:
        """Table index of each value between the limits (clipped); NaN gets index 0, to be overdrawn."""
        data = np.asarray(values, dtype=np.float64)
        finite = np.isfinite(data)
        safe = np.where(finite, data, lo)
        if self.categorical:
            return (np.round(safe) - np.round(lo)).astype(np.int64) % len(self.table)
        span = hi - lo
        scaled = (safe - lo) / span if span > 0 else np.zeros_like(safe)
        return np.round(np.clip(scaled, 0.0, 1.0) * (len(self.table) - 1)).astype(np.intp)

    def colours(self, values: np.ndarray, lo: float, hi: float) -> np.ndarray:
        """RGB uint8 colours of ``values`` (any shape), NaN in :data:`NAN_COLOUR`."""
        data = np.asarray(values, dtype=np.float64)
        rgb = self.table[self.indices(data, lo, hi)]
        rgb[~np.isfinite(data)] = NAN_COLOUR
        return rgb


COLORMAPS: dict[str, Colormap] = {
    cmap.name: cmap
    for cmap in (
        # dark blue to yellow, lightness rising monotonically so the picture reads in greyscale too
        Colormap(
            "sequential",
            ((22, 16, 66), (48, 70, 150), (32, 140, 150), (100, 195, 100), (250, 230, 70)),
            description="dark blue to yellow; for magnitudes",
        ),
        # blue, near-white, red: for anomalies around a midpoint (the limits are made symmetric about 0)
        Colormap(
            "diverging",
            ((40, 80, 160), (120, 170, 215), (245, 245, 245), (235, 140, 110), (170, 30, 45)),
            description="blue, white, red; for signed values, limits symmetric about 0",
        ),
        Colormap("grey", ((15, 15, 15), (245, 245, 245)), description="black to white"),
        # ten distinguishable colours, one per integer value (False/True are the first two)
        Colormap(
            "categorical",
            (
                (70, 110, 170),
                (240, 150, 40),
                (90, 165, 80),
                (215, 70, 75),
                (145, 110, 180),
                (140, 90, 70),
                (220, 120, 180),
                (120, 120, 120),
                (185, 190, 45),
                (40, 180, 200),
            ),
            categorical=True,
            description="one colour per integer value; for masks and classes",
        ),
    )
}


def colormap(name: str) -> Colormap:
    """The colour map called ``name``; an unknown name is refused with the known ones."""
    try:
        return COLORMAPS[name]
    except KeyError:
        raise ValueError(f"unknown colour map {name!r}; choose one of {sorted(COLORMAPS)}") from None
