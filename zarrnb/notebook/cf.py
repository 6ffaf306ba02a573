"""CF conventions the previewer applies to what it shows: packed values and time coordinates.

Packed values (CF §8.1): values equal to ``_FillValue`` or ``missing_value`` are masked (NaN),
the rest become ``raw * scale_factor + add_offset``. As in xarray's Zarr backend, a Zarr v2
array's metadata ``fill_value`` counts as its ``_FillValue`` unless an attribute says otherwise;
a v3 array's ``fill_value`` is only a storage default and masks nothing.

Time coordinates (CF §4.4): ``units = "<unit> since <reference>"`` with a ``calendar``. The
standard, Gregorian and proleptic Gregorian calendars decode to ``datetime64``; ``noleap``,
``all_leap`` and ``360_day`` decode to date strings, since numpy has no such calendars.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["PackedValues", "TimeUnits", "decode_times", "format_times", "parse_time_units"]


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple | np.ndarray) else [value]


@dataclass(frozen=True)
class PackedValues:
    """How to turn stored values into physical ones: masked fill values, then scale and offset."""

    scale_factor: float | None = None
    add_offset: float | None = None
    fill_values: tuple[Any, ...] = ()

    @classmethod
    def from_attributes(
        cls, attributes: Mapping[str, Any], *, fill_value: Any = None, zarr_format: int = 3
    ) -> PackedValues:
        """Read the CF packing attributes (and a v2 ``fill_value``) of an array."""
        fills: list[Any] = []
        if "_FillValue" in attributes:
            fills += _as_list(attributes["_FillValue"])
        elif zarr_format == 2 and fill_value is not None:
            fills.append(fill_value)
        if "missing_value" in attributes:
            fills += _as_list(attributes["missing_value"])
        for key in ("scale_factor", "add_offset"):
            if key in attributes and not isinstance(attributes[key], int | float):
                raise TypeError(f"CF attribute {key!r} must be a number, got {attributes[key]!r}")
        return cls(
            scale_factor=attributes.get("scale_factor"),
            add_offset=attributes.get("add_offset"),
            fill_values=tuple(_unique(f for f in fills if f is not None)),
        )

    @property
    def active(self) -> bool:
        """Whether decoding changes anything."""
        return self.scale_factor is not None or self.add_offset is not None or bool(self.fill_values)

    def describe(self) -> str:
        """The attributes in effect, as a short phrase for the widget."""
        parts = []
        if self.scale_factor is not None:
            parts.append(f"scale_factor={self.scale_factor:g}")
        if self.add_offset is not None:
            parts.append(f"add_offset={self.add_offset:g}")
        if self.fill_values:
            parts.append("masked " + ", ".join(_fill_text(f) for f in self.fill_values))
        return "; ".join(parts)

    def applies_to(self, dtype: np.dtype) -> bool:
        """Whether decoding changes values of ``dtype``: integers and floats, and more than NaN to NaN."""
        if dtype.kind not in "iuf":
            return False  # booleans, strings and complex values are shown raw
        if self.scale_factor is not None or self.add_offset is not None:
            return True
        return any(not (dtype.kind == "f" and _fill_text(f) == "NaN") for f in self.fill_values)

    def decode(self, raw: np.ndarray) -> np.ndarray:
        """Mask the fill values (NaN) and apply ``scale_factor`` and ``add_offset``."""
        raw = np.asarray(raw)
        if not self.applies_to(raw.dtype):
            return raw
        mask = np.zeros(raw.shape, dtype=bool)
        for fill in self.fill_values:
            mask |= _matches(raw, fill)
        scaled = self.scale_factor is not None or self.add_offset is not None
        small = (raw.dtype.kind == "f" and raw.dtype.itemsize <= 4) or raw.dtype.itemsize <= 2
        dtype = np.float32 if small and not scaled else np.float64
        values = raw.astype(dtype)
        if self.scale_factor is not None:
            values *= self.scale_factor
        if self.add_offset is not None:
            values += self.add_offset
        values[mask] = np.nan
        return values


def _unique(fills: Iterable[Any]) -> list[Any]:
    """Fill values without repeats (a v2 ``fill_value`` often equals ``missing_value``); NaN once."""
    kept: list[Any] = []
    for fill in fills:
        if not any(_fill_text(fill) == _fill_text(other) for other in kept):
            kept.append(fill)
    return kept


def _fill_text(fill: Any) -> str:
    value = fill.item() if isinstance(fill, np.generic) else fill
    return "NaN" if isinstance(value, float) and math.isnan(value) else repr(value)


def _matches(raw: np.ndarray, fill: Any) -> np.ndarray:
    """Where ``raw`` equals ``fill`` as the stored dtype holds it (NaN matches NaN)."""
    if isinstance(fill, str) and fill in ("NaN", "Infinity", "-Infinity"):
        fill = float(fill.replace("Infinity", "inf"))
    try:
        typed = np.asarray(fill).astype(raw.dtype)
    except (TypeError, ValueError, OverflowError):
        return np.zeros(raw.shape, dtype=bool)
    if raw.dtype.kind == "f" and np.isnan(typed):
        return np.isnan(raw)
    return raw == typed


# --- time ---------------------------------------------------------------------------------------

_UNIT_SECONDS = {
    **dict.fromkeys(("days", "day", "d"), 86_400),
    **dict.fromkeys(("hours", "hour", "hr", "hrs", "h"), 3_600),
    **dict.fromkeys(("minutes", "minute", "min", "mins"), 60),
    **dict.fromkeys(("seconds", "second", "sec", "secs", "s"), 1),
    **dict.fromkeys(("milliseconds", "millisecond", "msec", "ms"), 1e-3),
    **dict.fromkeys(("microseconds", "microsecond", "usec", "us"), 1e-6),
    **dict.fromkeys(("weeks", "week"), 7 * 86_400),
}
_REFERENCE = re.compile(
    r"^\s*(?P<year>-?\d{1,4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[T\s]+(?P<hour>\d{1,2}):(?P<minute>\d{1,2})(?::(?P<second>\d{1,2}(?:\.\d*)?))?)?"
    r"\s*(?P<zone>Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?\s*$"
)
_GREGORIAN = ("standard", "gregorian", "proleptic_gregorian")
_FIXED_YEARS = {"noleap": 365, "365_day": 365, "all_leap": 366, "366_day": 366, "360_day": 360}
_MONTH_DAYS = {
    365: (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31),
    366: (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31),
    360: (30,) * 12,
}


@dataclass(frozen=True)
class TimeUnits:
    """A parsed ``"<unit> since <reference>"``: seconds per unit, the reference and the calendar."""

    seconds: float
    unit: str
    year: int
    month: int
    day: int
    second_of_day: float
    offset_minutes: int
    calendar: str


def parse_time_units(units: Any, calendar: Any = "standard") -> TimeUnits | None:
    """Parse CF time units; ``None`` unless they read ``"<unit> since <date>"`` in a known calendar."""
    if not isinstance(units, str) or " since " not in units:
        return None
    unit, _, reference = units.strip().partition(" since ")
    seconds = _UNIT_SECONDS.get(unit.strip().lower())
    match = _REFERENCE.match(reference)
    calendar = (calendar or "standard").lower() if isinstance(calendar, str | type(None)) else None
    if seconds is None or match is None or calendar not in (*_GREGORIAN, *_FIXED_YEARS):
        return None
    zone = match["zone"] or "Z"
    offset = 0
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        offset = int(digits[:2]) * 60 + (int(digits[2:]) if len(digits) > 2 else 0)
        offset = -offset if zone[0] == "-" else offset
    return TimeUnits(
        seconds=seconds,
        unit=unit.strip().lower(),
        year=int(match["year"]),
        month=int(match["month"]),
        day=int(match["day"]),
        second_of_day=int(match["hour"] or 0) * 3600 + int(match["minute"] or 0) * 60
        + float(match["second"] or 0),
        offset_minutes=offset,
        calendar=calendar,
    )  # fmt: skip


def decode_times(values: np.ndarray, units: TimeUnits) -> np.ndarray:
    """Decode numbers to ``datetime64[ms]`` (Gregorian calendars) or to date strings (the others).

    NaN (a masked time), or a time too far out for ``datetime64[ms]``, decodes to NaT or an
    empty string.
    """
    numbers = np.asarray(values, dtype=np.float64)
    offsets = numbers * units.seconds + units.second_of_day - units.offset_minutes * 60
    if units.calendar in _GREGORIAN:
        start = np.datetime64(f"{units.year:04d}-{units.month:02d}-{units.day:02d}", "ms")
        finite = np.isfinite(offsets) & (np.abs(offsets) < 9e15)  # beyond: no datetime64[ms] holds it
        millis = np.where(finite, np.round(offsets * 1000), 0).astype(np.int64)
        times = start + millis.astype("timedelta64[ms]")
        times[~finite] = np.datetime64("NaT")
        return times
    return np.array([_fixed_calendar_text(o, units) for o in offsets.ravel()], dtype=object).reshape(
        numbers.shape
    )


def _fixed_calendar_text(offset: float, units: TimeUnits) -> str:
    """A date in a calendar whose years all have the same length (CF §4.4.1)."""
    if not math.isfinite(offset):
        return ""
    year_days = _FIXED_YEARS[units.calendar]
    months = _MONTH_DAYS[year_days]
    start_day = sum(months[: units.month - 1]) + units.day - 1
    total = round(offset)
    days, second = divmod(total, 86_400)
    years, day_of_year = divmod(start_day + days, year_days)
    month = 0
    while day_of_year >= months[month]:
        day_of_year -= months[month]
        month += 1
    hour, rest = divmod(second, 3600)
    text = f"{units.year + years:04d}-{month + 1:02d}-{day_of_year + 1:02d}"
    return text if not second else f"{text} {hour:02d}:{rest // 60:02d}"


def format_times(times: np.ndarray) -> list[str]:
    """Dates as ``YYYY-MM-DD``, with ``HH:MM`` (or seconds) only when some time is not at midnight."""
    flat = np.asarray(times).ravel()
    if flat.dtype.kind != "M":
        return [str(t) for t in flat]
    valid = flat[~np.isnat(flat)]
    day = valid.astype("datetime64[D]")
    if valid.size == 0 or np.all(valid == day):
        unit = "D"
    elif np.all(valid == valid.astype("datetime64[m]")):
        unit = "m"
    else:
        unit = "s"
    return ["NaT" if np.isnat(t) else str(t.astype(f"datetime64[{unit}]")).replace("T", " ") for t in flat]
