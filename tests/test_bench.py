"""The benchmark's axis-calibration measure (scripts/bench.py)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

from digitize.groundtruth import from_truth_dict

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
bench = importlib.import_module("bench")


def _table(x_range: list[float], y_range: list[float]) -> Any:
    return from_truth_dict({"x_scale": "linear", "y_scale": "log", "x_range": x_range,
                            "y_range": y_range, "series": [{"name": "a", "x": [1, 2],
                                                            "y": [1, 2]}]})


def test_map_error_at_true_ends_separates_short_plot_area_from_wrong_map() -> None:
    truth = _table([0, 10], [1, 1000])
    # the map is exact (0 at pixel 99.5, 10 at 599.5) but the plot area was found 25 px long
    pred = _table([0, 10.5], [1, 1000])
    fit = {"scale": "linear", "slope": 10 / 500, "intercept": -99.5 * 10 / 500}
    ends = bench.true_axis_ends({"plot_bbox_px": [100, 50, 600, 350], "size_px": [700, 400]},
                                "x")
    assert ends == (99.5, 599.5)
    cal = bench._axis_calibration(truth, pred, "x", fit, ends)
    assert cal["range_error"] == pytest.approx([0.0, 0.05])
    assert cal["map_error"] == pytest.approx([0.0, 0.0], abs=1e-12)
    assert cal["end_error"] == cal["map_error"]


def test_map_error_on_a_log_axis_in_decades() -> None:
    truth = _table([0, 10], [1, 1000])
    # y from 1000 at row 49.5 down to 1 at row 349.5, read one pixel low: 3 decades / 300 px
    fit = {"scale": "log", "slope": -3 / 300, "intercept": 3 + 48.5 * 3 / 300}
    ends = bench.true_axis_ends({"plot_bbox_px": [100, 50, 600, 350], "size_px": [700, 400]},
                                "y")
    cal = bench._axis_calibration(truth, truth, "y", fit, ends)
    assert cal["map_error"] == pytest.approx([1 / 300, 1 / 300])
    assert cal["range_error"] == [0.0, 0.0]


def test_true_axis_ends_rejects_missing_and_implausible_boxes() -> None:
    assert bench.true_axis_ends({}, "x") is None
    # a box a few pixels wide (what gnuplot's renderer once wrote) is no plot area
    meta = {"plot_bbox_px": [0.4, 597.2, 4.9, 599.7], "size_px": [800, 600]}
    assert bench.true_axis_ends(meta, "y") is None
    # a reduced read: the image's coordinates scaled, then pixel centres
    meta = {"plot_bbox_px": [100, 50, 600, 350], "size_px": [700, 400]}
    assert bench.true_axis_ends(meta, "x", 0.5) == (49.5, 299.5)


def test_calibration_rows_count_map_and_range_errors_apart() -> None:
    good = {"scale_ok": True, "end_error": [0.001, 0.001], "map_error": [0.001, 0.001],
            "range_error": [0.0, 0.01], "truth_range": True}
    rec = {"ok": True, "calibration": {"x": good, "y": good}}
    cells = bench.calibration_rows({"f": [rec, {"ok": False}]})[0]
    assert cells[:5] == ["f", "1/2", "1/1", "1/2", "0/2"]
    assert "1 at true ends" in cells[5]
