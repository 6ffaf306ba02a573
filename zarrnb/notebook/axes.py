"""Coordinates of an array's dimensions, and the axis ticks and slider readouts drawn from them.

A dimension's coordinate is found as xarray finds it: a 1-D array named after the dimension,
of the dimension's length, in the array's group or (as in a DataTree) an ancestor group.
Where there is none, a 1-D string array along the dimension beside the array labels it
(station names for a ``station`` axis): one named in the CF ``coordinates`` attribute, one with
a usual name (``name``, ``station_id``, …), or any one when consolidated metadata lists them.
Numbers are CF-decoded; times with ``"<unit> since <date>"`` units become dates.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import zarrnb
from zarrnb.notebook.cf import PackedValues, decode_times, format_times, parse_time_units
from zarrnb.notebook.domain import nice_ticks, tick_text

__all__ = ["Axis", "Coordinate", "axis_ticks", "dimension_labels", "find_coordinates"]

CACHE_LIMIT = 100_000  # a coordinate up to this length is read once; a longer one slice by slice
LABEL_SCAN_LIMIT = 200  # members looked at for string labels beside the array
CHARACTER_WIDTH = 6.5  # px per character of an 11 px sans-serif tick label, to space labels apart
SLANT, SLANT_GAP = 0.7071, 14  # slanted labels: sin 45 degrees, and the gap they need (a line height)


def dimension_labels(array: Any) -> list[str]:
    """The array's dimension names (v2: its ``_ARRAY_DIMENSIONS``), ``dim_<i>`` where a name is missing."""
    names = array.metadata.dimension_labels or (None,) * array.ndim
    return [name if name else f"dim_{i}" for i, name in enumerate(names)]


def _named_dimensions(array: Any) -> list[str | None]:
    return list(array.metadata.dimension_labels or (None,) * array.ndim)


@dataclass
class Coordinate:
    """Values along one dimension: numbers, dates or text labels, read lazily and cached when small."""

    name: str  # the coordinate array's path in the hierarchy
    size: int
    kind: str  # "number", "time" or "label"
    units: str
    read: Callable[[slice], np.ndarray] = field(repr=False)  # decoded values of a slice
    _cache: np.ndarray | None = field(default=None, repr=False)

    @classmethod
    def from_array(cls, array: Any, *, labels_only: bool = False) -> Coordinate | None:
        """A coordinate reading ``array`` (1-D); ``None`` when its values cannot label an axis."""
        attrs = dict(array.attrs)
        units = attrs.get("units") if isinstance(attrs.get("units"), str) else ""
        kind_of_dtype = array.dtype.kind
        if kind_of_dtype in "USOT":
            kind = "label"
        elif labels_only:
            return None
        elif kind_of_dtype in "iuf":
            kind = "number"
        elif kind_of_dtype == "M":
            kind = "time"
        else:
            return None
        packing = PackedValues.from_attributes(
            attrs, fill_value=array.fill_value, zarr_format=array.metadata.zarr_format
        )
        time_units = parse_time_units(units, attrs.get("calendar")) if kind == "number" else None
        if time_units is not None:
            kind = "time"

        def read(selection: slice) -> np.ndarray:
            values = np.asarray(array[selection])
            if kind == "label":
                return values
            values = packing.decode(values) if packing.applies_to(values.dtype) else values
            return decode_times(values, time_units) if time_units is not None else values

        return cls(name=array.name, size=array.shape[0], kind=kind, units=units, read=read)

    def values(self, positions: range) -> np.ndarray:
        """The decoded values at ``positions``."""
        if self.size <= CACHE_LIMIT:
            if self._cache is None:
                self._cache = self.read(slice(0, self.size))
            return self._cache[positions.start : positions.stop : positions.step]
        return self.read(slice(positions.start, positions.stop, positions.step))

    def labels(self, positions: range) -> list[str]:
        """Short texts of the values at ``positions``: dates, numbers with 6 digits, or the labels."""
        values = self.values(positions)
        if values.dtype.kind == "M" or self.kind == "time":
            return format_times(values)
        if values.dtype.kind == "f":
            return [f"{v:.6g}" for v in values.tolist()]
        return [str(v) for v in values.tolist()]

    def label(self, index: int) -> str:
        """The text of one value, for a slider readout."""
        return self.labels(range(index, index + 1))[0]


def _ancestors(array: Any) -> list[Any]:
    """The array's group, then each group above it, as far as they open (a bare array has none)."""
    parts = array.path.split("/")[:-1] if array.path else []
    groups = []
    for depth in range(len(parts), -1, -1):
        try:
            groups.append(zarrnb.open_group(array.store, path="/".join(parts[:depth]), mode="r"))
        except Exception:  # no group metadata there: a standalone array or a bare prefix
            break
    return groups


def _member(group: Any, name: str) -> Any:
    try:
        return group.get(name)
    except Exception:  # a member whose metadata cannot be read labels nothing
        return None


def _is_line_along(node: Any, dimension: str, size: int, array: Any) -> bool:
    return (
        isinstance(node, zarrnb.Array)
        and node.ndim == 1
        and node.shape[0] == size
        and node.path != array.path
        and _named_dimensions(node)[0] in (dimension, None)
    )


def find_coordinates(array: Any) -> dict[int, Coordinate]:
    """The coordinate of each named dimension of ``array`` that has one (see the module docstring)."""
    names = _named_dimensions(array)
    if not any(names):
        return {}
    groups = _ancestors(array)
    found: dict[int, Coordinate] = {}
    for dim, (name, size) in enumerate(zip(names, array.shape, strict=True)):
        if not name:
            continue
        for group in groups:
            node = _member(group, name)
            if node is not None and _is_line_along(node, name, size, array):
                coordinate = _readable(Coordinate.from_array(node))
                if coordinate is not None:
                    found[dim] = coordinate
                    break
        if dim not in found and groups:
            found.update({dim: c} if (c := _string_labels(array, groups[0], name, size)) else {})
    return found


def _label_names(array: Any, dimension: str) -> list[str]:
    """Where text labels of ``dimension`` may be: names in CF ``coordinates``, then the usual names."""
    listed = array.attrs.get("coordinates")
    named = listed.split() if isinstance(listed, str) else []
    usual = [f"{dimension}_{suffix}" for suffix in ("name", "names", "id", "label", "labels")]
    return [*named, *usual, "name", "names", "label", "labels", "id"]


def _string_labels(array: Any, group: Any, dimension: str, size: int) -> Coordinate | None:
    """A 1-D string array along ``dimension`` beside the array (see :func:`_label_names`).

    With consolidated metadata every member is looked at (it costs no reads); without, only
    the likely names, so a group of 10,000 arrays is not listed for a label.
    """
    candidates = [_member(group, name) for name in _label_names(array, dimension)]
    if getattr(group.metadata, "consolidated_metadata", None) is not None:
        try:
            candidates += [node for _, node in itertools.islice(group.arrays(), LABEL_SCAN_LIMIT)]
        except Exception:  # an unreadable member: keep the named candidates
            pass
    for node in candidates:
        if node is not None and _is_line_along(node, dimension, size, array) and node.dtype.kind in "USOT":
            if _named_dimensions(node)[0] == dimension:
                return _readable(Coordinate.from_array(node, labels_only=True))
    return None


def _readable(coordinate: Coordinate | None) -> Coordinate | None:
    """The coordinate if its values can be read and decoded (a small one is read whole here)."""
    if coordinate is None:
        return None
    try:
        coordinate.labels(range(min(coordinate.size, 1)))
    except Exception:  # a corrupt or undecodable coordinate: the dimension is labelled by index
        return None
    return coordinate


@dataclass(frozen=True)
class Axis:
    """An axis of a picture: its title, its length in pixels and ``(pixel, label)`` ticks along it."""

    title: str
    length: int
    ticks: tuple[tuple[float, str], ...]
    slanted: bool = False  # labels drawn at 45 degrees, so text labels stand closer together

    @property
    def depth(self) -> float:
        """Pixels the tick labels take across a horizontal axis (their height, slanted or not)."""
        if not self.slanted or not self.ticks:
            return 0.0
        return CHARACTER_WIDTH * max(len(text) for _, text in self.ticks) * SLANT - 8


def _title(dimension: str, coordinate: Coordinate | None) -> str:
    if coordinate is None:
        return f"{dimension} (index)"
    units = f" ({coordinate.units})" if coordinate.units and coordinate.kind == "number" else ""
    return f"{dimension}{units}"


def axis_ticks(
    dimension: str,
    coordinate: Coordinate | None,
    positions: range,
    cell: float,
    *,
    reverse: bool = False,
    min_gap: float = 60.0,
    vertical: bool = False,
) -> Axis:
    """Ticks along a shown dimension whose elements ``positions`` are drawn ``cell`` px apart.

    Numbers that run one way get round tick values placed by interpolation; dates, labels and
    other numbers label evenly spaced elements, at least ``min_gap`` px apart (on a horizontal
    axis also wider apart than the longest label). With ``reverse`` the last element is drawn
    first (north up).
    """
    count = len(positions)
    length = round(count * cell)

    def pixel(element: float) -> float:
        drawn = count - 1 - element if reverse else element
        return round((drawn + 0.5) * cell, 2)

    if count == 0:
        return Axis(_title(dimension, coordinate), length, ())
    values = None
    if coordinate is None:
        values = np.asarray(positions, dtype=np.float64)
    elif coordinate.kind == "number":
        values = np.asarray(coordinate.values(positions), dtype=np.float64)
    if values is not None and count > 1 and np.all(np.isfinite(values)):
        steps = np.diff(values)
        if np.all(steps > 0) or np.all(steps < 0):
            order = np.argsort(values)
            target = max(2, min(8, int(length // min_gap)))
            angles = coordinate is not None and coordinate.units.startswith("degree")
            ticks = nice_ticks(float(values.min()), float(values.max()), target, angles=angles)
            if coordinate is None:
                ticks = [t for t in ticks if float(t).is_integer()]
            elements = np.interp(ticks, values[order], np.arange(count)[order])
            texts = tick_text(ticks) if coordinate is not None else [str(int(t)) for t in ticks]
            pairs = tuple((pixel(e), t) for e, t in zip(elements.tolist(), texts, strict=True))
            return Axis(_title(dimension, coordinate), length, pairs)
    every = [str(p) for p in positions] if coordinate is None else coordinate.labels(positions)
    slanted = False
    if not vertical:  # labels side by side need room for the longest one
        wide = max(min_gap, CHARACTER_WIDTH * max(map(len, every)) + 12)
        # names (stations, variables) are worth slanting to show them all; dates stay level
        slanted = coordinate is not None and coordinate.kind == "label" and wide > cell and cell >= SLANT_GAP
        min_gap = SLANT_GAP if slanted else wide
    shown = max(1, min(count, int(length // min_gap) + 1))
    elements = sorted({round(e) for e in np.linspace(0, count - 1, shown)})
    ticks = tuple(zip(map(pixel, elements), [every[e] for e in elements], strict=True))
    return Axis(_title(dimension, coordinate), length, ticks, slanted=slanted)
