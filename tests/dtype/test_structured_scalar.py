"""A structured fill value given as a list is one record's fields, as zarr-python reads it."""

from __future__ import annotations

import numpy as np

from zarrnb.dtype import Structured

RECORD = np.dtype([("name", "U10"), ("age", "i4")])


def test_list_and_tuple_give_the_same_record() -> None:
    zdtype = Structured.from_native_dtype(RECORD)
    expected = np.array([("Bob", 25)], dtype=RECORD)[0]
    for given in (["Bob", 25], ("Bob", 25)):
        got = zdtype.cast_scalar(given)
        assert got.dtype == RECORD and got == expected
