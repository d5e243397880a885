"""Error bars: found in a series' mask, taken out of it, reported as y_lower / y_upper."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from _charts import render

import digitize
from digitize.extract.errorbars import column_run, find_error_bars

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import gen_errorbars  # noqa: E402

X = np.arange(1, 9, dtype=float)
Y = np.array([2.0, 3.5, 3.1, 5.2, 4.4, 6.3, 5.9, 7.4])
ERR = np.array([0.6, 0.9, 0.5, 1.2, 0.7, 1.0, 0.8, 1.1])


def _errorbar_chart(capsize: float, fmt: str, xerr: float | None = None) -> np.ndarray:
    def draw(ax) -> None:  # type: ignore[no-untyped-def]
        ax.errorbar(X, Y, yerr=ERR, xerr=xerr, fmt=fmt, capsize=capsize, color="tab:red")
        ax.set_xlim(0, 9)
        ax.set_ylim(0, 10)

    return render(draw, size=(7, 4.5), dpi=100).rgb


@pytest.mark.parametrize(("capsize", "fmt"), [(4, "-"), (0, "-"), (3, "o"), (0, "s-")])
def test_error_bar_ends_reported_as_lower_and_upper(capsize: float, fmt: str) -> None:
    result = digitize.read(_errorbar_chart(capsize, fmt), agreement=False)
    (series,) = result.series
    assert "errorbars" in (series.kind or "")
    assert len(series.points) == len(X)
    got = sorted(series.points, key=lambda p: p.x)
    span = 10.0
    for p, x, y, e in zip(got, X, Y, ERR, strict=True):
        assert p.x == pytest.approx(x, abs=0.05)
        assert p.y == pytest.approx(y, abs=0.01 * span)
        assert p.y_lower == pytest.approx(y - e, abs=0.01 * span)
        assert p.y_upper == pytest.approx(y + e, abs=0.01 * span)


def test_horizontal_error_bars_reported_as_x_lower_and_upper() -> None:
    result = digitize.read(_errorbar_chart(3, "-", xerr=0.3), agreement=False)
    (series,) = result.series
    assert len(series.points) == len(X)
    with_x = 0
    for p, x, y in zip(sorted(series.points, key=lambda p: p.x), X, Y, strict=True):
        assert p.y == pytest.approx(y, abs=0.1)
        if p.x_lower is not None:
            with_x += 1
            assert p.x_lower == pytest.approx(x - 0.3, abs=0.01 * 9)
            assert p.x_upper == pytest.approx(x + 0.3, abs=0.01 * 9)
    assert with_x >= len(X) - 1
    header = result.to_csv().splitlines()[0]
    assert header == "series,x,y,y_lower,y_upper,x_lower,x_upper"
    plain = digitize.read(_errorbar_chart(3, "-"), agreement=False)
    assert plain.to_csv().splitlines()[0] == "series,x,y,y_lower,y_upper"


def test_no_error_bars_in_plain_and_step_lines() -> None:
    """A step line's risers are vertical strokes of the line's width, but they are neither
    capped nor crossed by the line: not error bars."""
    yy = np.array([1.0, 4.0, 2.0, 6.0, 3.0, 7.0, 5.0, 8.0])

    def draw(ax) -> None:  # type: ignore[no-untyped-def]
        ax.step(X, yy, where="mid", color="tab:blue")
        ax.plot(X, yy[::-1], color="tab:green")
        ax.set_ylim(0, 10)

    rgb = render(draw, size=(7, 4.5), dpi=100).rgb
    result = digitize.read(rgb, agreement=False)
    assert result.series
    assert all("errorbars" not in (s.kind or "") for s in result.series)


def test_find_error_bars_on_a_drawn_mask() -> None:
    mask = np.zeros((120, 200), bool)
    mask[60:63, 10:190] = True  # the line
    for x in (40, 100, 160):
        mask[20:100, x - 1 : x + 2] = True  # bars of the line's width
        mask[19:22, x - 6 : x + 7] = True  # caps
        mask[98:101, x - 6 : x + 7] = True
    bars = find_error_bars(mask, half=1.0)
    assert [round(b.centre) for b in bars.vertical] == [40, 100, 160]
    assert all(b.capped and b.crossing == pytest.approx(61, abs=1) for b in bars.vertical)
    assert all(b.low == pytest.approx(20, abs=1) and b.high == pytest.approx(99, abs=1)
               for b in bars.vertical)
    # the line stays, joined; the bars and caps are gone
    assert bars.cleaned[60:63, 10:190].all()
    assert not bars.cleaned[25:55, 39:42].any() and not bars.cleaned[19:22, 30:36].any()


def test_flat_stretches_between_crosses_are_no_horizontal_bars() -> None:
    """An 'x' marker's strokes at each end of a flat stretch of line look like caps, and
    cross the stretch just inside its ends; an error bar is crossed by its point well inside."""
    from skimage.draw import line

    mask = np.zeros((120, 200), bool)
    knots = [(10, 90), (40, 50), (70, 50), (100, 90), (130, 60), (160, 60), (190, 100)]
    for (x0, y0), (x1, y1) in zip(knots, knots[1:], strict=False):
        rr, cc = line(y0, x0, y1, x1)
        mask[rr, cc] = True
    for x, y in knots:
        for dy in (-1, 1):
            rr, cc = line(y - 4 * dy, x - 4, y + 4 * dy, x + 4)
            mask[rr, cc] = True
    assert not find_error_bars(mask, half=0.5).horizontal


#: a flat stretch of a black line (lw 2, 80 dpi, classic style) between two disc markers
FLAT_BETWEEN_DISCS = [
    "..................................................",
    "#.................................................",
    "###...............................................",
    ".###..............................................",
    "..###.............................................",
    "...####...............................###.........",
    ".....###.............................#####........",
    "......######......................#########.......",
    ".......####################################.......",
    ".......###########################..#######.......",
    ".......#######.......................#####........",
    ".......#######........................###.........",
    "........#####.....................................",
    ".........###......................................",
    "..................................................",
]


def test_flat_stretch_between_disc_markers_is_no_horizontal_bar() -> None:
    """A disc marker at each end of a flat stretch of line reaches past the stretch's edges
    like a cap, but for most of its height: a cap is a stroke as thin as its bar is wide."""
    drawn = np.array([[c == "#" for c in row] for row in FLAT_BETWEEN_DISCS])
    mask = np.zeros((40, 80), bool)
    mask[10 : 10 + drawn.shape[0], 10 : 10 + drawn.shape[1]] = drawn
    assert not find_error_bars(mask, half=1.0, min_bars=1).horizontal
    # the same stretch between thin caps is a bar
    capped = np.zeros_like(mask)
    capped[18:20, 20:55] = True
    capped[14:24, 20:22] = capped[14:24, 53:55] = True
    (bar,) = find_error_bars(capped, half=1.0, min_bars=1).horizontal
    assert bar.capped and (bar.low, bar.high) == pytest.approx((20.5, 53.5), abs=0.6)


@pytest.mark.parametrize(("dpi", "fmt", "width"), [(80, "o", 1.0), (100, "o", 1.5),
                                                   (150, "-", 2.0)])
def test_legend_error_bar_glyph_beside_a_short_label(dpi: int, fmt: str, width: float) -> None:
    """A label of lower case letters only ('ours') has a box no taller than its x-height:
    its error-bar glyph sticks out of it by its caps, and is still the entry's swatch."""
    from digitize.geometry import Box
    from digitize.layout import Layout
    from digitize.legend import find_legend

    def draw(ax) -> None:  # type: ignore[no-untyped-def]
        ax.errorbar(X, Y, yerr=ERR, fmt=fmt, capsize=3, color="tab:red", label="ours",
                    linewidth=width)
        ax.errorbar(X + 0.3, Y - 1, yerr=ERR, fmt="D--", capsize=3, color="tab:green",
                    label="ablation", linewidth=width)
        ax.set_ylim(0, 12)
        ax.legend(loc="upper left")

    chart = render(draw, size=(7, 4.5), dpi=dpi)
    left, top, right, bottom = chart.bbox
    layout = Layout(plot_area=Box(int(left) + 2, int(top) + 2, int(right) - 1, int(bottom) - 1))
    legend = find_legend(chart.rgb, layout)
    got = {e.label: e.color for e in legend.entries}
    assert set(got) == {"ours", "ablation"}
    assert np.abs(np.subtract(got["ours"], (214, 39, 40))).max() < 20


@pytest.mark.parametrize("color", ["black", "tab:red"])
def test_thin_error_bars_drawn_lighter_are_no_series_of_their_own(color: str) -> None:
    """At 80 dpi a 1.5-pt bar snapped to the pixel grid comes out a uniform lighter shade of
    its ink. Without a legend that shade is still the series' error bars, not a second
    series."""
    x = np.array([1, 7, 12, 18, 22, 24, 29, 30], float)
    y = np.array([28.2, 33.2, 30.8, 25.4, 26.5, 25.6, 20.3, 21.1])
    err = np.array([3.1, 5.5, 2.9, 5.9, 4.7, 2.8, 2.6, 4.9])

    def draw(ax) -> None:  # type: ignore[no-untyped-def]
        ax.errorbar(x, y, yerr=err, fmt="s-", capsize=2, color=color, linewidth=1.5,
                    markersize=4.8)
        ax.set_ylim(15, 40)

    result = digitize.read(render(draw, size=(7, 4.5), dpi=80).rgb, agreement=False)
    (series,) = result.series
    assert "errorbars" in (series.kind or "")
    got = sorted(series.points, key=lambda p: p.x)
    assert len(got) == len(x)
    for p, yi, e in zip(got, y, err, strict=True):
        assert p.y_lower == pytest.approx(yi - e, abs=0.25)
        assert p.y_upper == pytest.approx(yi + e, abs=0.25)


def _assert_one_series_bar_ends(tmp_path: Path, index: int, seed: int) -> None:
    """Generated chart ``index`` of ``seed`` (one series) reads every point's bar ends
    within 0.6% of the y span."""
    truth = gen_errorbars.make_chart(index, seed, tmp_path)
    result = digitize.read(tmp_path / f"errorbar_{index:05d}.png", agreement=False)
    (series,) = result.series
    (want,) = truth["series"]
    span = float(np.ptp(truth["y_range"]))
    got = sorted(series.points, key=lambda p: p.x)
    assert len(got) == len(want["x"])
    for p, lo, hi in zip(got, want["y_lower"], want["y_upper"], strict=True):
        assert p.y_lower == pytest.approx(lo, abs=0.006 * span)
        assert p.y_upper == pytest.approx(hi, abs=0.006 * span)


def test_bar_with_a_marker_off_its_axis_by_a_pixel_is_still_a_bar(tmp_path: Path) -> None:
    """A square marker or the line joining it shifts a few rows' centres of the bar's
    upright stroke by a pixel or two; the bar is still straight up (generated chart 26 of
    seed 0: 150 dpi, caps, squares, a steep V along one bar)."""
    _assert_one_series_bar_ends(tmp_path, 26, 0)


@pytest.mark.parametrize(("index", "name", "need"), [(13, "ours", 8), (27, "ours", 9)])
def test_bar_cut_in_two_by_a_black_edged_marker(
    tmp_path: Path, index: int, name: str, need: int
) -> None:
    """Classic style draws markers with black edges: each bar is two strokes of the series'
    colour with the marker between them, which make one bar, its point in the gap where
    no marker of the series' colour is found (generated charts of seed 0)."""
    truth = gen_errorbars.make_chart(index, 0, tmp_path)
    result = digitize.read(tmp_path / f"errorbar_{index:05d}.png", agreement=False)
    span = float(np.ptp(truth["y_range"]))
    want = next(s for s in truth["series"] if s["name"] == name)
    got = next(s for s in result.series if s.name == name)
    ok = 0
    for x, lo, hi in zip(want["x"], want["y_lower"], want["y_upper"], strict=True):
        p = min(got.points, key=lambda p: abs(p.x - x))
        ok += abs(p.x - x) < 0.3 and p.y_lower is not None and p.y_upper is not None and (
            abs(p.y_lower - lo) < 0.006 * span and abs(p.y_upper - hi) < 0.006 * span)
    assert ok >= need


def test_capped_bar_whose_point_another_series_covers(tmp_path: Path) -> None:
    """Another series' marker hides where the line meets a capped bar (generated chart 2 of
    seed 3, 'baseline' at x = 4.75 under 'treatment''s marker): the bar still gives a point,
    flagged as hidden, with its ends."""
    truth = gen_errorbars.make_chart(2, 3, tmp_path)
    result = digitize.read(tmp_path / "errorbar_00002.png", agreement=False)
    span = float(np.ptp(truth["y_range"]))
    want = next(s for s in truth["series"] if s["name"] == "baseline")
    got = next(s for s in result.series if s.name == "baseline")
    p = min(got.points, key=lambda p: abs(p.x - want["x"][0]))
    assert p.x == pytest.approx(want["x"][0], abs=0.2)
    assert p.interpolated
    assert p.y_lower == pytest.approx(want["y_lower"][0], abs=0.006 * span)
    assert p.y_upper == pytest.approx(want["y_upper"][0], abs=0.006 * span)
    assert len(got.points) == len(want["x"])


def test_one_long_error_bar_is_no_gridline(tmp_path: Path) -> None:
    """A bar crossing most of the plot's height is one line across it, not a grid: its
    colour stays the series' (generated chart 8 of seed 3)."""
    _assert_one_series_bar_ends(tmp_path, 8, 3)


def test_capped_bar_cut_by_a_hidden_legend_box_is_a_bar() -> None:
    """A bar capped at its top whose lower end runs into pixels hidden from view (a masked
    legend box) is a bar cut short, read down to where it disappears; without the hidden
    pixels it has one cap only and is no bar."""
    mask = np.zeros((120, 200), bool)
    mask[40:43, 10:190] = True  # the line
    unseen = np.zeros_like(mask)
    unseen[90:, 120:200] = True  # the legend box
    for x in (40, 80, 150):
        bottom = 90 if x == 150 else 70
        mask[20:bottom, x - 1 : x + 2] = True
        mask[19:22, x - 6 : x + 7] = True  # top cap
        if x != 150:
            mask[bottom - 2 : bottom + 1, x - 6 : x + 7] = True  # bottom cap
    cut = find_error_bars(mask, half=1.0, unseen=unseen)
    assert [round(b.centre) for b in cut.vertical] == [40, 80, 150]
    assert cut.vertical[-1].high == pytest.approx(89, abs=1)
    assert [round(b.centre) for b in find_error_bars(mask, half=1.0).vertical] == [40, 80]


def test_column_run_bounds_a_bar_hidden_by_its_marker() -> None:
    mask = np.zeros((60, 40), bool)
    mask[25:35, 15:25] = True  # the marker
    mask[21:39, 20] = True  # its bar, sticking out 4 px each way
    mask[30, 20] = False  # a one-pixel break
    assert column_run(mask, 19.5, 29.5, 20) == (21.0, 38.0)
    assert column_run(mask, 19.5, 10.0, 20) is None
