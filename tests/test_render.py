"""Tests for digitize.render: a hand-built ChartResult against a chart drawn at known geometry."""

from __future__ import annotations

import copy
import time
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from digitize.calibrate import AxisMap, Tick
from digitize.geometry import Box
from digitize.layout import Layout
from digitize.render import _GAP, _HEAD, agreement, check_figure, render_series, write_check
from digitize.result import ChartResult, Point, Series

W, H, DPI = 800, 400, 100
AX_POS = (0.1, 0.12, 0.85, 0.8)  # left, bottom, width, height in figure fractions
XLIM, YLIM = (0.0, 10.0), (-1.5, 1.5)
BLUE, RED, GREEN = (31, 119, 180), (214, 39, 40), (44, 160, 44)
RED_BAND = (242, 190, 190)  # red at alpha 0.3 on white


def _axes_box() -> tuple[float, float, float, float]:
    """Axes edges in continuous image coordinates (y down): left, top, right, bottom."""
    left, bottom, width, height = AX_POS
    return left * W, (1 - bottom - height) * H, (left + width) * W, (1 - bottom) * H


def _axis_maps() -> tuple[AxisMap, AxisMap]:
    """Exact pixel->data maps. Array index ``c`` has its centre at continuous ``c + 0.5``."""
    left, top, right, bottom = _axes_box()
    sx = (XLIM[1] - XLIM[0]) / (right - left)
    sy = -(YLIM[1] - YLIM[0]) / (bottom - top)
    x_axis = AxisMap(
        "x", "linear", sx, XLIM[0] - sx * (left - 0.5), pixel_range=(left - 0.5, right - 0.5)
    )
    y_axis = AxisMap(
        "y", "linear", sy, YLIM[0] - sy * (bottom - 0.5), pixel_range=(bottom - 0.5, top - 0.5)
    )
    x_axis.ticks = [Tick(float(x_axis.to_pixel(v)), v, f"{v:g}") for v in (0, 2, 4, 6, 8, 10)]
    y_axis.ticks = [Tick(float(y_axis.to_pixel(v)), v, f"{v:g}") for v in (-1, 0, 1)]
    return x_axis, y_axis


def _f_blue(x: np.ndarray) -> np.ndarray:
    return np.sin(x)


def _f_red(x: np.ndarray) -> np.ndarray:
    return 0.5 * np.cos(0.7 * x) - 0.3


def _f_green(x: np.ndarray) -> np.ndarray:
    return 0.1 * x - 1.0


def _draw_chart(with_green: bool = True) -> np.ndarray:
    """The 'original': blue line with circle markers, red line with a band, green dashed-free
    line, grey grid, black frame."""
    fig = Figure(figsize=(W / DPI, H / DPI), dpi=DPI)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes(AX_POS)
    ax.set_xlim(*XLIM)
    ax.set_ylim(*YLIM)
    ax.grid(True, color="#cccccc", linewidth=0.8)
    xs = np.linspace(0, 10, 400)
    xr = np.linspace(0, 10, 400)
    ax.fill_between(xr, _f_red(xr) - 0.25, _f_red(xr) + 0.25, color="#d62728", alpha=0.3, lw=0)
    ax.plot(xr, _f_red(xr), color="#d62728", lw=1.5)
    ax.plot(xs, _f_blue(xs), color="#1f77b4", lw=1.5)
    xm = np.arange(0.5, 10, 1.0)
    ax.plot(xm, _f_blue(xm), "o", color="#1f77b4", markersize=6)
    if with_green:
        ax.plot(xs, _f_green(xs), color="#2ca02c", lw=2.0)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[:, :, :3].copy()


def _points(x_axis: AxisMap, y_axis: AxisMap, xs: np.ndarray, ys: np.ndarray,
            band: float | None = None) -> list[Point]:
    pts = []
    for x, y in zip(xs, ys, strict=True):
        p = Point(px=float(x_axis.to_pixel(x)), py=float(y_axis.to_pixel(y)), x=float(x),
                  y=float(y))
        if band is not None:
            p.y_lower, p.y_upper = float(y - band), float(y + band)
            p.py_lower = float(y_axis.to_pixel(p.y_lower))
            p.py_upper = float(y_axis.to_pixel(p.y_upper))
        pts.append(p)
    return pts


def _result(image: np.ndarray, *, dy: float = 0.0) -> ChartResult:
    """The 'extraction': the true data, optionally shifted by ``dy`` in data units."""
    x_axis, y_axis = _axis_maps()
    left, top, right, bottom = _axes_box()
    layout = Layout(plot_area=Box(int(round(left)), int(round(top)), int(round(right)),
                                  int(round(bottom))), frame="full")
    xd = np.linspace(0, 10, 120)  # extraction samples: every ~6 px
    xm = np.arange(0.5, 10, 1.0)
    blue = Series("sin", BLUE, _points(x_axis, y_axis, xd, _f_blue(xd) + dy))
    blue_m = Series("sin markers", BLUE, _points(x_axis, y_axis, xm, _f_blue(xm) + dy),
                    marker="o", line=False, kind="markers")
    red = Series("cos", RED, _points(x_axis, y_axis, xd, _f_red(xd) + dy, band=0.25),
                 band_color=RED_BAND, kind="band")
    green = Series("ramp", GREEN, _points(x_axis, y_axis, xd, _f_green(xd) + dy))
    return ChartResult(W, H, layout, x_axis, y_axis, series=[blue, blue_m, red, green],
                       image=image)


@pytest.fixture(scope="module")
def chart() -> np.ndarray:
    return _draw_chart()


def test_render_series_masks_follow_the_data(chart: np.ndarray) -> None:
    res = _result(chart)
    masks = render_series(res, W, H)
    assert set(masks) == {"sin", "sin markers", "cos", "ramp"}
    for m in masks.values():
        assert m.shape == (H, W) and m.dtype == bool and m.any()
    # the ramp y = 0.1 x - 1 at x = 5 is y = -0.5: the mask must cover that pixel
    col = int(round(float(res.x_axis.to_pixel(5.0))))
    row = int(round(float(res.y_axis.to_pixel(-0.5))))
    assert masks["ramp"][row - 1 : row + 2, col].any()
    # nothing is drawn outside the plot area
    box = res.layout.plot_area
    outside = masks["cos"].copy()
    outside[box.top : box.bottom, box.left : box.right] = False
    assert not outside.any()


def test_correct_extraction_scores_high(chart: np.ndarray) -> None:
    ag = agreement(_result(chart))
    assert ag["score"] > 0.85, ag
    for name, s in ag["series"].items():
        assert s["score"] > 0.85, (name, s)
    assert ag["series"]["cos"]["band"]["f1"] > 0.85
    assert ag["unexplained"] < 0.05


def test_shifted_extraction_scores_lower(chart: np.ndarray) -> None:
    good = agreement(_result(chart))["score"]
    dy = 0.03 * (YLIM[1] - YLIM[0])  # 3% of the plot height
    bad = agreement(_result(chart, dy=dy))
    assert bad["score"] < good - 0.25, (good, bad["score"])
    assert bad["series"]["ramp"]["score"] < 0.5


def test_missing_series_scores_zero_recall(chart: np.ndarray) -> None:
    res = _result(chart)
    res.series[3].points = []  # the green ramp was not extracted
    ag = agreement(res)
    assert ag["series"]["ramp"]["recall"] == 0.0
    assert ag["series"]["ramp"]["score"] == 0.0
    assert ag["series"]["sin"]["score"] > 0.85


def test_series_missing_from_result_shows_as_unexplained(chart: np.ndarray) -> None:
    res = _result(chart)
    res.series = res.series[:3]  # the green ramp is not in the result at all
    ag = agreement(res)
    assert ag["unexplained"] > 0.1


def test_hallucinated_series_scores_zero_precision() -> None:
    res = _result(_draw_chart(with_green=False))
    ag = agreement(res)
    assert ag["series"]["ramp"]["precision"] < 0.1
    assert ag["series"]["ramp"]["score"] < 0.1


def test_wrong_band_lowers_band_layer_only(chart: np.ndarray) -> None:
    res = _result(chart)
    red = copy.deepcopy(res.series[2])
    for p in red.points:  # band twice as wide as drawn
        p.y_lower, p.y_upper = p.y - 0.5, p.y + 0.5
    res.series[2] = red
    s = agreement(res)["series"]["cos"]
    assert s["line"]["f1"] > 0.85
    assert s["band"]["precision"] < 0.7
    assert s["score"] < 0.95


def test_log_axis_renders_through_axis_map(chart: np.ndarray) -> None:
    res = _result(chart)
    lin = res.y_axis
    # a log axis with the same pixel geometry, fed values 10**y: renders identically
    log = AxisMap("y", "log", lin.slope, lin.intercept, pixel_range=lin.pixel_range)
    res.y_axis = log
    for s in res.series:
        for p in s.points:
            p.y = 10.0 ** p.y
            if p.y_lower is not None:
                p.y_lower, p.y_upper = 10.0 ** p.y_lower, 10.0 ** p.y_upper
    assert agreement(res)["score"] > 0.85


def test_write_check_png(chart: np.ndarray, tmp_path: Path) -> None:
    out = tmp_path / "check.png"
    ag = write_check(_result(chart), out)
    assert out.exists()
    with Image.open(out) as img:
        w, h = img.size
        png = np.asarray(img.convert("RGB"))
    assert 3 * W <= w <= 3 * W + 60
    assert h > H
    assert ag["score"] > 0.85
    # panel 1 is the original, pixel for pixel; panel 2 shows the recovered plot-area frame
    assert np.array_equal(png[_HEAD : _HEAD + H, :W], chart)
    box = _result(chart).layout.plot_area
    x0 = W + _GAP
    frame_row = png[_HEAD + box.top - 1 : _HEAD + box.top + 1, x0 + box.left : x0 + box.right]
    assert (frame_row.max(axis=2) < 100).any(axis=0).mean() > 0.9


def test_check_figure_returns_figure(chart: np.ndarray) -> None:
    fig, ag = check_figure(_result(chart))
    assert isinstance(fig, Figure)
    assert set(ag["series"]) == {"sin", "sin markers", "cos", "ramp"}


def test_needs_image() -> None:
    res = _result(np.zeros((H, W, 3), np.uint8))
    res.image = None
    with pytest.raises(ValueError):
        agreement(res)


def test_agreement_is_fast(chart: np.ndarray) -> None:
    big = np.asarray(Image.fromarray(chart).resize((1000, 500)))
    res = _result(big)
    agreement(res)  # warm the colour table cache
    t0 = time.perf_counter()
    agreement(res)
    assert time.perf_counter() - t0 < 0.3


def test_bar_series() -> None:
    fig = Figure(figsize=(W / DPI, H / DPI), dpi=DPI)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes(AX_POS)
    ax.set_xlim(*XLIM)
    ax.set_ylim(*YLIM)
    xs = np.arange(1, 10, dtype=float)
    ax.bar(xs - 0.2, np.sin(xs), width=0.4, color="#1f77b4")
    ax.bar(xs + 0.2, 0.5 * np.cos(xs), width=0.4, color="#ff7f0e")
    canvas.draw()
    image = np.asarray(canvas.buffer_rgba())[:, :, :3].copy()
    res = _result(image)
    xa, ya = res.x_axis, res.y_axis
    a = Series("a", BLUE, _points(xa, ya, xs - 0.2, np.sin(xs)), kind="bar", line=False)
    b = Series("b", (255, 127, 14), _points(xa, ya, xs + 0.2, 0.5 * np.cos(xs)), kind="bar",
               line=False)
    res.series = [a, b]
    assert agreement(res)["score"] > 0.9
    b.points = _points(xa, ya, xs + 0.2, 0.5 * np.cos(xs) + 0.3)  # tops 10% too high
    assert agreement(res)["series"]["b"]["score"] < 0.85


def test_histogram_bars_are_drawn_one_bin_wide() -> None:
    """Bins without edge lines touch: their colour's runs span the whole histogram, so the
    estimated bar width is no width; each bar is drawn no wider than the bins' spacing."""
    fig = Figure(figsize=(W / DPI, H / DPI), dpi=DPI)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes(AX_POS)
    ax.set_xlim(*XLIM)
    ax.set_ylim(*YLIM)
    centres = np.arange(0.5, 10, 1.0)
    heights = 1.4 * np.exp(-0.5 * ((centres - 5) / 2) ** 2)
    ax.bar(centres, heights, width=1.0, color="#1f77b4", linewidth=0)
    canvas.draw()
    image = np.asarray(canvas.buffer_rgba())[:, :, :3].copy()
    res = _result(image)
    res.series = [Series("h", BLUE, _points(res.x_axis, res.y_axis, centres, heights),
                         kind="bar", line=False)]
    assert agreement(res)["score"] > 0.95


def test_degenerate_results_do_not_crash(chart: np.ndarray, tmp_path: Path) -> None:
    res = _result(chart)
    res.series = []
    ag = agreement(res)
    assert ag["score"] == 0.0 and ag["unexplained"] > 0.9
    res = _result(chart)
    res.layout.plot_area = Box(100, 100, 100, 100)
    assert agreement(res)["score"] == 0.0
    write_check(res, tmp_path / "empty.png")
    res = _result(chart)
    res.series[0].points = [Point(np.nan, np.nan, np.nan, np.nan)] * 3
    assert agreement(res)["series"]["sin"]["score"] == 0.0


@pytest.mark.parametrize("marker,hollow", [("s", True), ("^", True), ("x", False), ("+", False)])
def test_learnt_marker_shape_is_drawn(marker: str, hollow: bool) -> None:
    """A scatter series of hollow or stroked markers, with the shape, fill and box size the
    extraction learnt, re-renders close to the original; drawn as the default filled disc it
    explains far less of it."""
    from digitize.extract.markers import find_scatter_markers

    fig = Figure(figsize=(W / DPI, H / DPI), dpi=DPI)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes(AX_POS)
    ax.set_xlim(*XLIM)
    ax.set_ylim(*YLIM)
    rng = np.random.default_rng(3)
    xs, ys = rng.uniform(0.5, 9.5, 25), rng.uniform(-1.3, 1.3, 25)
    style = ({"facecolors": "none", "edgecolors": "#1f77b4", "linewidths": 1.5} if hollow
             else {"color": "#1f77b4", "linewidths": 1.5})
    ax.scatter(xs, ys, marker=marker, s=12.0**2, **style)
    canvas.draw()
    image = np.asarray(canvas.buffer_rgba())[:, :, :3].copy()
    res = _result(image)
    learnt = find_scatter_markers(np.abs(image.astype(int) - BLUE).sum(axis=2) < 60)
    assert learnt and learnt[0].shape == marker and learnt[0].filled is False
    series = Series("dots", BLUE, _points(res.x_axis, res.y_axis, xs, ys), marker=marker,
                    line=False, kind="markers", marker_filled=False, marker_size=learnt[0].size)
    res.series = [series]
    learnt_score = agreement(res)["score"]
    res.series = [Series("dots", BLUE, series.points, marker="o", line=False, kind="markers")]
    assert learnt_score > 0.9
    assert learnt_score > agreement(res)["score"] + 0.1
