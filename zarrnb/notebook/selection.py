"""What the previewer reads of an N-D array: the shown dimensions, strided or windowed, at fixed indices.

Reading ``array[plan.selection]`` touches only the chunks that hold the chosen elements, so
a heatmap of a huge array reads a bounded number of chunks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["ViewPlan", "plan_view"]


@dataclass(frozen=True)
class ViewPlan:
    """A basic selection for ``array[...]`` and how to lay its result out as rows x columns."""

    selection: tuple[int | slice, ...]
    shown: tuple[int, ...]  # (x,) for one shown dimension, (rows, columns) for two
    positions: tuple[range, ...]  # the array indices read along each shown dimension
    transpose: bool  # the read result comes in array order; transpose it when rows > columns
    strided: bool  # a step > 1 skips elements: the picture is a subsample
    truncated: bool  # a window shows only part of a dimension

    def arrange(self, data: np.ndarray) -> np.ndarray:
        """Put the read result in (rows, columns) order."""
        return data.T if self.transpose else data


def plan_view(
    shape: tuple[int, ...],
    shown: tuple[int, ...],
    indices: dict[int, int],
    limits: tuple[int, ...],
    *,
    window: bool = False,
) -> ViewPlan:
    """Plan the read of ``shown`` dimensions (at most ``limits`` elements each) at ``indices`` elsewhere.

    With ``window`` a run of consecutive elements is read (a table), starting at the
    shown dimension's entry in ``indices``; otherwise a strided subset spanning the
    whole dimension (a picture).
    """
    if len(set(shown)) != len(shown) or not all(0 <= d < len(shape) for d in shown):
        raise ValueError(f"shown dimensions {shown} are not distinct dimensions of shape {shape}")
    selection: list[int | slice] = []
    positions: dict[int, range] = {}
    strided = truncated = False
    for dim, size in enumerate(shape):
        index = indices.get(dim, 0)
        if not 0 <= index < max(size, 1):
            raise IndexError(f"index {index} is out of range for dimension {dim} of size {size}")
        if dim not in shown:
            selection.append(index)
            continue
        limit = max(1, limits[shown.index(dim)])
        if window:
            stop = min(size, index + limit)
            truncated |= index > 0 or stop < size
            positions[dim] = range(index, stop)
        else:
            step = max(1, math.ceil(size / limit))
            strided |= step > 1
            positions[dim] = range(0, size, step)
        part = positions[dim]
        selection.append(slice(part.start, part.stop, part.step))
    return ViewPlan(
        selection=tuple(selection),
        shown=tuple(shown),
        positions=tuple(positions[d] for d in shown),
        transpose=len(shown) == 2 and shown[0] > shown[1],
        strided=strided,
        truncated=truncated,
    )
