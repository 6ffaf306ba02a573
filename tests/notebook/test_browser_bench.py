"""The browser-open benchmark runs and measures what it says (a small level; no timing asserted)."""

from __future__ import annotations

from benchmarks.browser_open import measure


def test_browser_open_benchmark_measures_both_layouts() -> None:
    results = measure(members=250, repeat=1)
    assert set(results) == {"plain", "consolidated"}
    for row in results.values():
        assert row["rows"] == 1 + 1 + 200 + 1  # root, wide/, the first page, 'show 200 more'
        assert row["open"] >= 0 and row["first page"] > 0
