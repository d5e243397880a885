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


def _vertex_charts() -> tuple[Table, Table, dict]:
    """A 10-point zigzag (every vertex visible) and a 400-point sine (a dense curve), both
    without markers, on a 500 x 300 px plot box; a marker series that is left out."""
    xz = np.linspace(0, 10, 10)
    yz = np.where(np.arange(10) % 2 == 0, 2.0, 8.0)
    xs = np.linspace(0, 10, 400)
    ys = 5 + 2 * np.sin(xs)
    truth = Table(series=[TableSeries("zig", xz, yz), TableSeries("sine", xs, ys),
                          TableSeries("dots", xz, yz + 1)],
                  x_range=(0, 10), y_range=(0, 10))
    meta = {"markers": [None, None, "o"], "plot_bbox_px": [50, 20, 550, 320]}
    # zigzag: two vertices lost, one extra point off the line; sine sampled every 8th point
    found_z = TableSeries("zig", np.r_[xz[2:], 5.0], np.r_[yz[2:], 3.0], sampling="vertices")
    found_s = TableSeries("sine", np.r_[xs[::8], xs[-1]], np.r_[ys[::8], ys[-1]],
                          sampling="sampled")
    pred = Table(series=[found_z, found_s, TableSeries("dots", xz, yz + 1)],
                 x_range=(0, 10), y_range=(0, 10), kind="result")
    return truth, pred, meta


def test_vertex_match_splits_corners_from_curves() -> None:
    truth, pred, meta = _vertex_charts()
    recs = bench.vertex_match(truth, pred, compare_tables(truth, pred), meta)
    assert [r["class"] for r in recs] == ["vertices", "curve"]  # the marker series is left out
    zig, sine = recs
    assert zig["visible"] == 10 and zig["matched"] == 8
    assert zig["found"] == 9 and zig["found_matched"] == 8
    assert sine["sampling"] == "sampled" and sine["dev_max"] < 1.0
    rows = {r[0]: r for r in bench.vertex_rows([{"line_vertices": recs}])}
    assert rows["vertices"][5] == "80.0%" and rows["vertices"][6] == "11.1%"
    assert rows["vertices"][7] == "80.0%" and rows["curve"][11] == "1/1 sampled"
    # the shape test: the two lost ends are off the found polyline, the stray point off the
    # true one; the sampled sine keeps its shape at every visible bend
    assert zig["shape_matched"] == 8 and zig["shape_off"] == 1
    assert rows["vertices"][9] == "80.0%" and rows["vertices"][10] == "11.1%"
    assert sine["shape_matched"] == sine["visible"] > 0 and sine["shape_off"] == 0
    # a vertex series the reader calls sampled is also shown on its own row
    assert "vertices: read as sampled" not in rows
    alt = bench.vertex_rows([{"line_vertices": [{**zig, "sampling": "sampled"}]}])
    read = {r[0]: r for r in alt}["vertices: read as sampled"]
    assert read[1] == "1" and read[9] == "80.0%"
    # without a plot box there are no pixels to judge visibility in: nothing is reported
    assert bench.vertex_match(truth, pred, compare_tables(truth, pred),
                              {"markers": meta["markers"]}) == []


def test_vertex_match_on_found_pixels_ignores_the_calibration() -> None:
    """With the result's pixel positions, a found line whose data values are shifted (a
    wrong axis map) still counts as extracted right in the "(px)" counts."""
    from types import SimpleNamespace

    truth, _, meta = _vertex_charts()
    zig = truth.series[0]
    shifted = Table(series=[TableSeries("zig", zig.x, zig.y + 0.5, sampling="vertices")],
                    x_range=(0, 10), y_range=(0, 10), kind="result")
    # the found points' pixels: the truth's own (pixel centres are at +0.5 in the truth)
    px = 50 + zig.x / 10 * 500 - 0.5
    py = 320 - zig.y / 10 * 300 - 0.5
    result = SimpleNamespace(image_scale=1.0, series=[SimpleNamespace(
        points=[SimpleNamespace(px=a, py=b) for a, b in zip(px, py, strict=True)])])
    recs = bench.vertex_match(truth, shifted, compare_tables(truth, shifted), meta,
                              result=result)
    z = recs[0]
    assert z["matched"] == 0  # 0.5 of 10 is 5% of the y span off
    assert z["px_matched"] == 10 and z["px_found_matched"] == 10
    assert z["dev_max"] < 1e-6
