from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zarrnb.notebook.selection import plan_view


def test_picture_plan_strides_shown_dims_and_fixes_the_rest() -> None:
    plan = plan_view((4, 1000, 50), (1, 2), {0: 3}, (100, 100))
    assert plan.selection == (3, slice(0, 1000, 10), slice(0, 50, 1))
    assert plan.strided and not plan.truncated and not plan.transpose
    assert len(plan.positions[0]) == 100


def test_rows_after_columns_transposes() -> None:
    plan = plan_view((3, 4), (1, 0), {}, (10, 10))
    data = np.arange(12).reshape(3, 4)
    assert plan.arrange(data[plan.selection]).shape == (4, 3)


def test_window_plan_reads_consecutive_elements_from_the_start_index() -> None:
    plan = plan_view((100,), (0,), {}, (20,), window=True)
    assert plan.selection == (slice(0, 20, 1),)
    assert plan.truncated and not plan.strided
    plan = plan_view((100, 5), (0, 1), {0: 90}, (20, 20), window=True)
    assert plan.selection == (slice(90, 100, 1), slice(0, 5, 1))
    assert plan.positions == (range(90, 100), range(0, 5)) and plan.truncated
    assert not plan_view((10,), (0,), {}, (20,), window=True).truncated


def test_bad_plans_are_refused_with_the_evidence() -> None:
    with pytest.raises(ValueError, match=r"\(0, 0\)"):
        plan_view((3, 4), (0, 0), {}, (5, 5))
    with pytest.raises(IndexError, match=r"index 9 .* dimension 0 of size 3"):
        plan_view((3, 4), (1,), {0: 9}, (5,))


@settings(max_examples=40, deadline=None)
@given(
    shape=st.lists(st.integers(1, 40), min_size=1, max_size=4),
    limit=st.integers(1, 12),
    window=st.booleans(),
    data=st.data(),
)
def test_plan_reads_exactly_its_positions(shape: list[int], limit: int, window: bool, data) -> None:
    ndim = len(shape)
    shown = tuple(data.draw(st.permutations(range(ndim)))[: data.draw(st.integers(1, min(2, ndim)))])
    indices = {d: data.draw(st.integers(0, shape[d] - 1)) for d in range(ndim)}
    plan = plan_view(tuple(shape), shown, indices, (limit,) * len(shown), window=window)
    array = np.arange(np.prod(shape)).reshape(shape)
    result = plan.arrange(array[plan.selection])
    assert result.shape == tuple(len(p) for p in plan.positions)
    assert all(len(p) <= limit for p in plan.positions)
    if window:
        assert [p.start for p in plan.positions] == [indices[d] for d in shown]
    corner = tuple(
        indices.get(d, 0) if d not in shown else plan.positions[shown.index(d)][0] for d in range(ndim)
    )
    assert result.flat[0] == array[corner]
