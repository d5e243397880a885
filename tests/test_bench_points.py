"""The bench's point recall / precision (scripts/bench.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np

from digitize.compare import compare_tables
from digitize.groundtruth import Table, TableSeries

_SPEC = importlib.util.spec_from_file_location(
    "bench", Path(__file__).resolve().parent.parent / "scripts" / "bench.py")
assert _SPEC is not None and _SPEC.loader is not None
bench = importlib.util.module_from_spec(_SPEC)
sys.modules["bench"] = bench  # its dataclasses look their module up
_SPEC.loader.exec_module(bench)


def test_match_points_is_one_to_one() -> None:
    a = np.array([[0.0, 0.0], [0.005, 0.0], [0.5, 0.5]])
    b = np.array([[0.002, 0.0]])  # close to the first two: counts once
    assert bench.match_points(a, b) == 1
    assert bench.match_points(a, np.array([[0.0, 0.02]])) == 0  # beyond 1% in y


def test_point_match_counts_per_series_and_pooled() -> None:
    x = np.linspace(0, 10, 11)
    truth = Table(series=[TableSeries("a", x, x), TableSeries("b", x, 10 - x)],
                  x_range=(0, 10), y_range=(0, 10))
    # "a" found with two points missing and one extra; "b" found under the name "a2"
    pred = Table(series=[TableSeries("a", np.r_[x[2:], 5.5], np.r_[x[2:], 9.0]),
                         TableSeries("b", x, 10 - x)],
                 x_range=(0, 10), y_range=(0, 10), kind="result")
    pts = bench.point_match(truth, pred, compare_tables(truth, pred))
    assert pts == {"true": 22, "found": 21, "matched": 20, "matched_any": 20}
    row = bench.points_rows({"scatter": [{"ok": True, "points": pts}]})[0]
    assert row[4] == "90.9%" and row[5] == "95.2%"
