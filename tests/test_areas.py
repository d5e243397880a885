"""Filled areas: stacked layers give their top edges, a range band both of its edges."""

from __future__ import annotations

import numpy as np
from _charts import render

import digitize
from digitize.extract import areas

X = np.array([0.0, 4.0, 9.0, 13.0, 20.0, 26.0, 31.0, 40.0])
LOW = np.array([3.0, 4.5, 6.0, 5.0, 7.5, 6.5, 8.0, 7.0])
HIGH = np.array([5.0, 4.0, 7.0, 9.0, 6.0, 8.0, 5.5, 7.5])


def _value_at(points: list, x: float) -> float:
    xs = np.array([p.x for p in points])
    ys = np.array([p.y for p in points])
    order = np.argsort(xs)
    return float(np.interp(x, xs[order], ys[order]))


def test_stacked_layers_report_their_top_edges() -> None:
    def draw(ax) -> None:  # type: ignore[no-untyped-def]
        ax.stackplot(X, LOW, HIGH, labels=["lower", "upper"], colors=["tab:green", "tab:red"])
        ax.legend(loc="upper left")
        ax.set_ylim(0, 20)

    result = digitize.read(render(draw, size=(7, 4.5), dpi=100).rgb, agreement=False)
    got = {s.name: s for s in result.series}
    assert set(got) == {"lower", "upper"}
    for name, top in (("lower", LOW), ("upper", LOW + HIGH)):
        assert got[name].kind == "area"
        err = [abs(_value_at(got[name].points, x) - y) for x, y in zip(X, top, strict=True)]
        assert max(err) < 0.01 * 20, (name, err)


def test_a_range_band_without_a_line_reports_both_edges() -> None:
    mid = LOW + 5.0

    def draw(ax) -> None:  # type: ignore[no-untyped-def]
        ax.fill_between(X, mid - 2.0, mid + 2.0, color="tab:blue", alpha=0.5, linewidth=0)
        ax.set_ylim(0, 20)

    result = digitize.read(render(draw, size=(7, 4.5), dpi=100).rgb, agreement=False)
    (band,) = result.series
    assert band.kind == "range"
    for p in band.points:
        assert p.y_lower is not None and p.y_upper is not None
        assert abs((p.y_upper - p.y_lower) - 4.0) < 0.01 * 20
        assert abs(p.y - 0.5 * (p.y_lower + p.y_upper)) < 1e-9


def test_lines_and_markers_are_not_filled_areas() -> None:
    mask = np.zeros((200, 400), bool)
    rr = np.clip((100 + 60 * np.sin(np.arange(400) / 30)).astype(int), 0, 199)
    for dy in range(-2, 3):  # a 5 px thick line
        mask[rr + dy, np.arange(400)] = True
    assert not areas.is_filled_area(mask)
    mask[:] = False
    mask[120:190, 40:360] = True
    assert areas.is_filled_area(mask)


def test_a_line_through_a_narrow_band_is_no_outline() -> None:
    """A band whose rim the line's own width nearly covers: the line has band on both sides
    (a centre line), not on one side as the edge line of a filled area has."""
    cols = np.arange(400)
    rr = np.clip((100 + 40 * np.sin(cols / 30)).astype(int), 0, 199)
    line = np.zeros((200, 400), bool)
    fill = np.zeros((200, 400), bool)
    for dy in range(-8, 9):
        fill[rr + dy, cols] = True
    for dy in range(-1, 2):
        line[rr + dy, cols] = True
    fill &= ~line
    assert areas.is_filled_area(line | fill)
    assert areas.outlined_area(line, fill, 8.0) is None
    # a fill between that line and another below it: an outlined range
    between = np.zeros((200, 400), bool)
    for dy in range(2, 24):
        between[rr + dy, cols] = True
    for dy in range(24, 27):
        line[rr + dy, cols] = True
    assert areas.outlined_area(line, between, 2.0) is not None


def test_an_opaque_area_over_most_of_the_plot_without_legend_is_no_background() -> None:
    # no legend names the fill: the plot's rim (white margins) says which colour is background
    def draw(ax) -> None:  # type: ignore[no-untyped-def]
        ax.fill_between(X, 0, HIGH + 8.0, color="tab:brown", linewidth=0)
        ax.set_xlim(-1, 41)
        ax.set_ylim(0, 18)

    result = digitize.read(render(draw, size=(7, 4.5), dpi=100).rgb, agreement=False)
    assert len(result.series) == 1
    got = result.series[0]
    assert got.kind == "area"
    err = [abs(_value_at(got.points, x) - y) for x, y in zip(X, HIGH + 8.0, strict=True)]
    assert max(err) < 0.01 * 18, err


def test_a_translucent_range_under_gridlines_is_one_series() -> None:
    # gridlines seen through the fill take its tint: they are no series of their own, and
    # the fill's many rows are no gridline
    def draw(ax) -> None:  # type: ignore[no-untyped-def]
        ax.fill_between(X, LOW - 2.0, LOW + 6.0, color="tab:purple", alpha=0.5, linewidth=0)
        ax.grid(True, color="0.6")
        ax.set_axisbelow(False)
        ax.set_ylim(0, 16)

    result = digitize.read(render(draw, size=(7, 4.5), dpi=100).rgb, agreement=False)
    assert len(result.series) == 1
    got = result.series[0]
    assert got.kind == "range"
    uppers = np.array([p.y_upper for p in got.points])
    xs = np.array([p.x for p in got.points])
    err = np.abs(np.interp(X, xs, uppers) - (LOW + 6.0))
    assert err.max() < 0.015 * 16, err


def test_rectangles_that_leave_much_of_their_colour_out_are_no_bars() -> None:
    from digitize.colors import to_lab
    from digitize.extract.bars import Bar, unexplained_share

    img = np.full((100, 200, 3), 255, np.uint8)
    img[50:100, 10:190] = (200, 60, 60)
    bars = [Bar(10.0, 190.0, 50.0, 100.0, (200, 60, 60), 9000)]
    valid = np.ones((100, 200), bool)
    assert unexplained_share(bars, to_lab(img), valid, (255, 255, 255)) == 0.0
    for col in range(10, 190):  # a sloping top above the flat slab
        img[50 - col // 4 : 50, col] = (200, 60, 60)
    assert unexplained_share(bars, to_lab(img), valid, (255, 255, 255)) > 0.25


def test_overlapping_translucent_areas_share_their_overlap() -> None:
    # where two translucent fills overlap, the blend is ink of both, no third series
    def draw(ax) -> None:  # type: ignore[no-untyped-def]
        ax.fill_between(X, 0, LOW + 2.0, color="tab:red", alpha=0.5, linewidth=0)
        ax.fill_between(X, 0, HIGH[::-1] + 3.0, color="tab:green", alpha=0.5, linewidth=0)
        ax.set_ylim(0, 14)

    result = digitize.read(render(draw, size=(7, 4.5), dpi=100).rgb)
    assert len(result.series) == 2
    tops = sorted(([_value_at(s.points, x) for x in X] for s in result.series),
                  key=lambda t: t[0])
    for got, want in zip(tops, sorted([LOW + 2.0, HIGH[::-1] + 3.0], key=lambda t: t[0]),
                         strict=True):
        assert np.abs(np.array(got) - want).max() < 0.015 * 14, (got, want)
    assert result.agreement is not None and result.agreement["score"] > 0.9


def test_a_translucent_layer_over_another_takes_the_name_left_over() -> None:
    """Two translucent layers drawn from zero, the second over the first (ggplot style): the
    second's swatch (over the legend's face) is not its colour in the plot (over the first
    layer); the one series found without an entry takes the one entry that named none."""
    def draw(ax) -> None:  # type: ignore[no-untyped-def]
        ax.fill_between(X, 0, LOW + HIGH + 4.0, color="#f28e2b", alpha=0.6, linewidth=0,
                        label="other")
        ax.fill_between(X, 0, LOW + 2.0, color="#e15759", alpha=0.7, linewidth=0,
                        label="east")
        ax.legend(loc="upper left")
        ax.set_ylim(0, 24)

    result = digitize.read(render(draw, style="ggplot", size=(7, 4.5), dpi=100).rgb,
                           agreement=False)
    assert sorted(s.name for s in result.series) == ["east", "other"]
