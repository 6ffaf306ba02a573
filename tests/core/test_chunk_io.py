"""chunk_io helpers: the empty-chunk test and the shared codec pool."""

from __future__ import annotations

import numpy as np
import pytest

import zarrnb.config
from zarrnb.core.chunk_io import codec_executor, is_empty_chunk


@pytest.mark.parametrize(
    ("chunk", "fill", "expected"),
    [
        (np.full((3, 4), np.nan), np.float64("nan"), True),
        (np.array([np.nan, 1.0]), np.float64("nan"), False),
        (np.array([1.0, np.nan]), np.float64("nan"), False),
        (np.zeros((2, 2), "i4")[:, :1], np.int32(0), True),
        (np.array([0, 0, 5], "i8"), np.int64(0), False),
        (np.array(["NaT", "NaT"], "M8[s]"), np.datetime64("NaT", "s"), True),
        (np.array(["NaT", "2020-01-01"], "M8[s]"), np.datetime64("NaT", "s"), False),
        (np.array(["", ""], dtype=np.dtypes.StringDType()), "", True),
        (np.array(["", "x"], dtype=np.dtypes.StringDType()), "", False),
        (np.array([b"ab", b"ab"], "S2"), np.bytes_(b"ab"), True),
        (np.array([1 + 2j, 1 + 2j], "c8"), np.complex64(1 + 2j), True),
        (np.zeros((0, 3)), np.float64(1), True),
        (np.array(7, "u1"), np.uint8(7), True),
    ],
)
def test_is_empty_chunk(chunk, fill, expected) -> None:
    assert is_empty_chunk(chunk, fill) is expected


def test_codec_pool_follows_the_setting() -> None:
    assert codec_executor() is codec_executor()
    with zarrnb.config.set({"threading.max_workers": 3}):
        assert codec_executor()._max_workers == 3
