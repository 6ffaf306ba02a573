"""Small shared pieces of the numpy data types: unit and byte-order names, JSON number checks."""

from __future__ import annotations

from typing import Final, Literal

from zarrnb.dtype.npy.sized import DateTimeUnit

__all__ = [
    "ENDIANNESS_STR",
    "DateTimeUnit",
    "EndiannessStr",
    "JSONFloatV2",
    "JSONFloatV3",
    "SpecialFloatStrings",
    "check_json_floatish_str",
    "check_json_intish_str",
]

EndiannessStr = Literal["little", "big"]
ENDIANNESS_STR: Final = "little", "big"
SpecialFloatStrings = Literal["NaN", "Infinity", "-Infinity"]
SPECIAL_FLOAT_STRINGS: Final = ("NaN", "Infinity", "-Infinity")
JSONFloatV2 = float | SpecialFloatStrings
JSONFloatV3 = float | SpecialFloatStrings | str


def check_json_floatish_str(data: object) -> bool:
    """True for a string that reads as a finite float (``"3.14"``), which zarr-python accepts for floats."""
    if not isinstance(data, str):
        return False
    try:
        float(data)
    except ValueError:
        return False
    return True


def check_json_intish_str(data: object) -> bool:
    """True for a string that reads as an integer (``"42"``)."""
    if not isinstance(data, str):
        return False
    try:
        int(data)
    except ValueError:
        return False
    return True
