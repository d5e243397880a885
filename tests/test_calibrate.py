"""Calibration: label parsing, robust fitting, and end-to-end maps on matplotlib charts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from _charts import Rendered, line_chart, render, seed_chart
from matplotlib.dates import ConciseDateFormatter, DateFormatter, MonthLocator
from matplotlib.ticker import PercentFormatter, ScalarFormatter

from digitize import calibrate as calibrate_module
from digitize.calibrate import (
    Y_LABEL_DROP,
    AxisMap,
    _y_label_tick,
    calibrate,
    calibrate_axis,
    drop_lone_outlier,
    label_ink_place,
    labels_on_whole_pixels,
    log_minor_ticks,
    on_label_places,
    robust_line,
    with_label_rounding,
)
from digitize.errors import AxisError
from digitize.geometry import Box
from digitize.labels import (
    DEFAULT_YEAR,
    concise_dates,
    day_time_dates,
    ending_in,
    even_month_tick,
    has_month,
    looks_like_power_labels,
    month_name_dates,
    month_year_dates,
    parse_date,
    parse_date_offset,
    parse_number,
    parse_time,
    with_mantissa,
)
from digitize.layout import Layout, find_layout
from digitize.ocr import Word

# -- label parser ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("0", 0.0),
        ("0.27", 0.27),
        ("1400", 1400.0),
        ("1,400", 1400.0),
        ("1,000,000", 1e6),
        ("\u22120.5", -0.5),  # unicode minus
        ("\u2014-1.00", -1.0),  # OCR's dash + hyphen
        ("=0.75", -0.75),  # OCR reads a thin minus as '='
        ("25%", 25.0),
        ("$3.5k", 3500.0),
        ("\u20ac1,200", 1200.0),
        ("1e-3", 0.001),
        ("1.5e+03", 1500.0),
        ("2\u00d710^3", 2000.0),
        ("(20)", -20.0),
        ("O", 0.0),  # letter O for zero
        ("0.3O", 0.3),
        ("l00", 100.0),
        ("S0", 50.0),
        ("0,5", 0.5),
        ("1.00-", 1.0),  # a tick mark glued to the label
    ],
)
def test_parse_number(text: str, value: float) -> None:
    got = parse_number(text)
    assert got is not None
    assert got.value == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "-", "step", "Model", "accuracy", "abc"])
def test_parse_number_rejects_words(text: str) -> None:
    assert parse_number(text) is None


def test_parse_number_decimals_and_percent() -> None:
    assert parse_number("0.27").decimals == 2
    assert parse_number("1400").decimals == 0
    assert parse_number("25%").percent


def test_power_labels() -> None:
    assert looks_like_power_labels(["10-1", "100", "101"])
    assert looks_like_power_labels(["100", "101", "102", "103"])
    assert not looks_like_power_labels(["100", "200", "300"])
    assert parse_number("102", powers=True).value == pytest.approx(100.0)
    assert parse_number("10-2", powers=True).value == pytest.approx(0.01)


def test_parse_date() -> None:
    assert parse_date("2020-03-15") == 18336.0
    assert parse_date("Jan 2020") == 18262.0
    assert parse_date("15 Mar 2020") == 18336.0
    assert parse_date("Mar 15") is None  # no year known
    assert parse_date("Mar 15", 2020) == 18336.0
    assert parse_date("2000") is None  # bare years stay numbers
    assert has_month("Feb") and not has_month("2005")
    assert parse_date("2014-04-13 12:00") == parse_date("2014-04-13") + 0.5
    assert parse_time("06:00") == 0.25 and parse_time("Apr") is None
    assert parse_date("02/01/2013") == parse_date("2013-02-01")
    assert parse_date("02/01/2013", dayfirst=True) == parse_date("2013-01-02")
    assert parse_date("09/2015") == parse_date("2015-09-01") and has_month("9/2015")
    assert parse_date("13/2015") is None and parse_date("9.2015") is None  # a number


# -- robust fit --------------------------------------------------------------------------------


def test_robust_line_rejects_misread_label() -> None:
    pixels = np.array([100.0, 200.0, 300.0, 400.0, 500.0])
    values = np.array([0.0, 1.0, 7.0, 3.0, 4.0])  # "2" misread as "7"
    slope, intercept, inliers = robust_line(pixels, values, tol_px=3.0)
    assert inliers.tolist() == [True, True, False, True, True]
    assert slope == pytest.approx(0.01)
    assert intercept == pytest.approx(-1.0)


def test_robust_line_needs_two_points() -> None:
    assert robust_line(np.array([1.0]), np.array([1.0]), 3.0) is None


def _layout_with_labels(y_labels: list[tuple[str, float]]) -> Layout:
    words = [Word(t, Box(10, int(p) - 5, 40, int(p) + 6), 90.0) for t, p in y_labels]
    x_words = [Word(str(v), Box(int(p) - 8, 310, int(p) + 9, 322), 90.0)
               for v, p in [(0, 100), (10, 300), (20, 500)]]
    return Layout(plot_area=Box(50, 20, 600, 300), y_tick_labels=words,
                  x_tick_labels=x_words)


def test_calibrate_marks_outlier_tick() -> None:
    layout = _layout_with_labels([("5", 50), ("4", 100), ("9", 150), ("2", 200), ("1", 250)])
    x, y = calibrate(np.zeros((350, 650, 3), np.uint8), layout)
    assert [t.inlier for t in y.ticks] == [True, True, False, True, True]
    assert y.to_value(150.0) == pytest.approx(3.0, abs=0.02)
    assert x.to_value(400.0) == pytest.approx(15.0, abs=0.05)
    assert y.residual < 0.6


def test_calibrate_rejects_a_coincidence() -> None:
    # two of six labels agree by chance; the rest are misreads
    layout = _layout_with_labels(
        [("5", 50), ("4", 100), ("17", 150), ("33", 200), ("9", 250), ("71", 280)])
    with pytest.raises(AxisError, match="y axis"):
        calibrate(np.zeros((350, 650, 3), np.uint8), layout)


def test_calibrate_raises_naming_axis() -> None:
    layout = _layout_with_labels([("step", 50)])
    with pytest.raises(AxisError, match="y axis"):
        calibrate(np.zeros((350, 650, 3), np.uint8), layout)


def test_range_override() -> None:
    layout = Layout(plot_area=Box(50, 20, 601, 301))
    x, y = calibrate(np.zeros((350, 650, 3), np.uint8), layout,
                     x_range=(0, 100), y_range=(-1, 1))
    assert x.to_value(50) == pytest.approx(0) and x.to_value(600) == pytest.approx(100)
    assert y.to_value(300) == pytest.approx(-1) and y.to_value(20) == pytest.approx(1)
    ylog = calibrate_axis("y", layout, (1, 1000), "log")
    assert ylog.to_value(300) == pytest.approx(1) and ylog.to_value(20) == pytest.approx(1000)


# -- end to end on rendered charts ---------------------------------------------------------------


def _check_axis(amap: AxisMap, lim: tuple[float, float], index, tol: float = 0.002) -> None:
    got = np.array([amap.to_value(index(0.0)), amap.to_value(index(1.0))])
    want = np.array(lim)
    if amap.scale == "log":
        got, want = np.log10(got), np.log10(want)
    span = abs(want[1] - want[0])
    assert np.all(np.abs(got - want) <= tol * span), (amap.axis, got, want)


def _check(r: Rendered, x: AxisMap, y: AxisMap, tol: float = 0.002) -> None:
    """Calibrated values at the true axes edges within ``tol`` of the span (log: in log10)."""
    for amap, lim, index in ((x, r.xlim, r.x_index), (y, r.ylim, r.y_index)):
        got = np.array([amap.to_value(index(0.0)), amap.to_value(index(1.0))])
        want = np.array(lim)
        if amap.scale == "log":
            got, want = np.log10(got), np.log10(want)
        span = abs(want[1] - want[0])
        assert np.all(np.abs(got - want) <= tol * span), (amap.axis, got, want)


X = np.linspace(0, 10, 40)


def _labels_right(ax) -> None:
    ax.yaxis.tick_right()
    ax.yaxis.set_label_position("right")


CASES = {
    "default": lambda: line_chart(X, np.sin(X)),
    "darkgrid-negative": lambda: line_chart(X, -50 - 20 * X, seaborn_style="darkgrid"),
    "whitegrid-decimals": lambda: line_chart(X, 0.27 + 0.006 * X, seaborn_style="whitegrid",
                                             ylim=(0.27, 0.33)),
    "ggplot-large": lambda: line_chart(X * 140, X * 5, style="ggplot", xlim=(0, 1400)),
    "frameless": lambda: line_chart(X, np.cos(X), spines="none", grid=True),
    "left-bottom": lambda: line_chart(X, 1000 * X, spines="left-bottom"),
    "no-lines": lambda: line_chart(X, np.sin(X), spines="none"),
    "y-labels-right": lambda: line_chart(X, 100 * np.sin(X), formatter=_labels_right),
    "percent": lambda: line_chart(
        X, 10 * X, formatter=lambda ax: ax.yaxis.set_major_formatter(PercentFormatter())),
    "dpi72": lambda: line_chart(X, np.sin(X), dpi=72, size=(10, 6)),
    "dpi200": lambda: line_chart(X, np.sin(X), dpi=200, size=(6, 3.5)),
}


SCALED = {
    "sci-offset": (lambda: line_chart(X, X * 1e6), "linear", "linear"),
    "sci-offset-small": (lambda: line_chart(X, 3 + X * 1e-6), "linear", "linear"),
    # less than a decade: matplotlib labels the minor ticks 2×10^2, 3×10^2...
    "log-y-minor-labels": (lambda: line_chart(X, 200 + 40 * X, yscale="log"), "linear", "log"),
    "log-y-two-labels": (lambda: line_chart(X, 10 ** (0.5 + X / 8), yscale="log"),
                         "linear", "log"),
    "offset-addend": (lambda: line_chart(X, 1400 + X * 1e-3), "linear", "linear"),
    "log-y-mathtext": (lambda: line_chart(X, 10**X / 10, yscale="log"), "linear", "log"),
    "log-x-mathtext": (lambda: line_chart(10 ** (X / 3), X, xscale="log"), "log", "linear"),
    "log-y-plain": (
        lambda: line_chart(X, 10 ** (X / 3), yscale="log",
                           formatter=lambda ax: ax.yaxis.set_major_formatter(ScalarFormatter())),
        "linear", "log"),
}


DAYS = np.arange("2020-01-01", "2020-12-01", dtype="datetime64[D]")


def _rotate(angle: float, ha: str = "right"):
    def apply(ax) -> None:
        for label in ax.get_xticklabels():
            label.set_rotation(angle)
            label.set_ha(ha)

    return apply


DATED = {
    "iso-months": None,
    "rotated-45": _rotate(45),
    "rotated-90": _rotate(90, "center"),
    "autofmt-xdate": lambda ax: ax.figure.autofmt_xdate(),
    "concise": lambda ax: ax.xaxis.set_major_formatter(
        ConciseDateFormatter(ax.xaxis.get_major_locator())),
    # rotated labels with no tick marks to snap to (seaborn's white style, pandas' date
    # index): the tick is at the right edge of each label's rotated box
    "autofmt-no-ticks": lambda ax: (ax.figure.autofmt_xdate(), ax.tick_params(length=0)),
    # month/year labels set close (gnuplot's "%m/%Y"): OCR joins them as one line of text
    "month-year": lambda ax: (ax.xaxis.set_major_locator(MonthLocator()),
                              ax.xaxis.set_major_formatter(DateFormatter("%m/%Y"))),
}


def _hours_rotated_no_ticks(ax) -> None:
    ax.xaxis.set_major_formatter(ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.figure.autofmt_xdate()
    ax.tick_params(length=0)


def test_rotated_times_without_tick_marks() -> None:
    """An hourly ConciseDateFormatter axis ("08:00", "Dec-02") set at 30° with no tick
    marks: the times are labels, each tick at its label's lower right corner."""
    hours = np.arange("2018-12-01T04", "2018-12-02T18", dtype="datetime64[h]")
    r = line_chart(hours, np.sin(np.arange(len(hours)) / 5.0),
                   formatter=_hours_rotated_no_ticks, dpi=150, size=(6, 4))
    x, y = calibrate(r.rgb, find_layout(r.rgb))
    assert x.scale == "date"
    _check(r, x, y, tol=0.003)


def test_concise_days_of_month() -> None:
    """ConciseDateFormatter over a few weeks: day numbers, month names, year-month offset."""
    days = np.arange("2016-03-27", "2016-04-28", dtype="datetime64[D]")

    def concise(ax) -> None:
        ax.xaxis.set_major_formatter(ConciseDateFormatter(ax.xaxis.get_major_locator()))

    r = line_chart(days, np.sin(np.arange(len(days)) / 5.0), formatter=concise)
    x, y = calibrate(r.rgb, find_layout(r.rgb))
    assert x.scale == "date"
    _check(r, x, y, tol=0.003)


def test_concise_date_labels() -> None:
    assert parse_date_offset("2016-Apr") == (2016, 4, None)
    assert parse_date_offset("2024-Nov-04") == (2024, 11, 4)
    assert parse_date_offset("1e6") is None and parse_date_offset("+1.4e3") is None
    got = concise_dates(["29", "Apr", "05", "13"], (2016, 4, None))
    assert got == [parse_date("2016-03-29"), parse_date("2016-04-01"), parse_date("2016-04-05"),
                   parse_date("2016-04-13")]
    # across a month boundary with no month name: the day count goes back
    got = concise_dates(["25", "29", "03", "07"], (2016, 4, None))
    assert got[1] == parse_date("2016-03-29") and got[2] == parse_date("2016-04-03")
    assert concise_dates(["0.5", "1.0", "1.5"], (2016, 4, None)) is None
    # over a few years: month names, the year at January
    got = month_year_dates(["Sep", "2021", "May", "Sep", "2022"])
    assert got == [parse_date("2020-09"), parse_date("2021-01"), parse_date("2021-05"),
                   parse_date("2021-09"), parse_date("2022-01")]
    assert month_year_dates(["1985", "1990", "1995"]) is None  # years alone stay numbers


def test_month_name_dates() -> None:
    """Month names alone are dates; the year grows where the months turn back."""
    got = month_name_dates(["Nov", "Dec", "Jan", "Feb"], 2019)
    assert got == [parse_date("2019-11"), parse_date("2019-12"), parse_date("2020-01"),
                   parse_date("2020-02")]
    assert month_name_dates(["Jan", "Apr", "Jul", "Oct"], 2012)[3] == parse_date("2012-10")
    assert month_name_dates(["a", "b", "Jan"], 2012) is None  # most labels must be months
    assert month_name_dates(["0", "10", "20"], 2012) is None


def _month_layout(texts: list[str], title: str | None = None) -> Layout:
    words = [Word(t, Box(60 + 100 * i, 310, 90 + 100 * i, 322), 90.0)
             for i, t in enumerate(texts)]
    y_words = [Word(str(v), Box(10, 300 - 50 * v - 6, 40, 300 - 50 * v + 6), 90.0)
               for v in range(5)]
    return Layout(plot_area=Box(50, 20, 600, 300), x_tick_labels=words, y_tick_labels=y_words,
                  title=title)


def test_month_name_axis_is_a_date_axis() -> None:
    """Jan, Feb... alone: a date axis, the year from the title or assumed with a warning."""
    x, _ = calibrate(np.zeros((340, 620, 3), np.uint8),
                     _month_layout(["Jan", "Feb", "Mar", "Apr", "May"]))
    assert x.scale == "date"
    base = dt.date(DEFAULT_YEAR, 1, 1) - dt.date(1970, 1, 1)
    assert x.to_value(75.0) == pytest.approx(base.days, abs=0.5)
    assert any("assumed" in w for w in x.warnings)
    x, _ = calibrate(np.zeros((340, 620, 3), np.uint8),
                     _month_layout(["Jan", "Feb", "Mar", "Apr"], "Temperature in 2012"))
    assert x.to_value(75.0) == pytest.approx(parse_date("2012-01-01"), abs=0.5)
    assert not x.warnings


def test_axis_limits_at_frame_lines() -> None:
    """The data limits lie at the spine centres, outside the plot-area pixels."""
    layout = Layout(plot_area=Box(51, 21, 600, 300), x_edges=(50.0, 600.0),
                    y_edges=(20.0, 300.0))
    x = calibrate_axis("x", layout, (0, 100))
    assert x.value_range == pytest.approx((0, 100))
    assert x.to_value(50.0) == pytest.approx(0) and x.pixel_range == (51.0, 599.0)
    amap = AxisMap("x", "linear", 1.0, 0.0, pixel_range=(51.0, 599.0), limits=(50.0, 600.0))
    assert amap.value_range == (50.0, 600.0)
    # crisp frame lines drawn half a pixel past their place (snapped, as the ticks are):
    # the limits are taken that much back
    snapped = Layout(plot_area=Box(51, 21, 600, 300), x_edges=(50.0, 600.0),
                     y_edges=(20.0, 300.0), x_tick_shift=0.5)
    assert calibrate_axis("x", snapped, (0, 100)).limits == (49.5, 599.5)
    assert calibrate_axis("y", snapped, (0, 100)).limits == (20.0, 300.0)


@pytest.mark.parametrize("name", list(DATED))
def test_calibrate_dates(name: str) -> None:
    r = line_chart(DAYS, np.sin(np.arange(len(DAYS)) / 40.0), formatter=DATED[name])
    x, y = calibrate(r.rgb, find_layout(r.rgb))
    assert x.scale == "date" and y.scale == "linear"
    # matplotlib date units are days since 1970 too; 0.3%: Agg snaps ticks up to 1 px
    _check(r, x, y, tol=0.003)


@pytest.mark.parametrize("name", list(SCALED))
def test_calibrate_scales(name: str) -> None:
    make, xs, ys = SCALED[name]
    r = make()
    x, y = calibrate(r.rgb, find_layout(r.rgb))
    assert (x.scale, y.scale) == (xs, ys)
    _check(r, x, y, tol=0.003)


@pytest.mark.parametrize("name", list(CASES))
def test_calibrate_rendered(name: str) -> None:
    r = CASES[name]()
    layout = find_layout(r.rgb)
    x, y = calibrate(r.rgb, layout)
    assert x.scale == "linear" and y.scale == "linear"
    _check(r, x, y)
    assert x.residual < 1.0 and y.residual < 1.0
    assert x.pixel_range == (layout.plot_area.left, layout.plot_area.right - 1)


@pytest.mark.parametrize("dpi, size", [(100, (10, 5)), (72, (12, 6)), (200, (8, 4))])
def test_seed_chart(dpi: int, size: tuple[float, float]) -> None:
    r = seed_chart(dpi=dpi, size=size)
    layout = find_layout(r.rgb)
    x, y = calibrate(r.rgb, layout)
    _check(r, x, y)
    assert [t.label for t in x.ticks] == ["0", "200", "400", "600", "800", "1000", "1200", "1400"]
    assert y.decimals == 4
    assert all(t.inlier for t in x.ticks + y.ticks)


@pytest.mark.parametrize("labels, category", [
    # crowded names, each window catching a neighbour's letter: words all the same
    (["Applesl", "sPearsF", "iPlum€l", "Sherries", "MMelons"], True),
    # numbers misread as junk keep digits
    (["1O0", "2O0", "3OO", "4O0", "5O0"], False),
])
def test_unsure_labels_are_categories_only_when_wordy(labels: list[str], category: bool) -> None:
    cands = [calibrate_module._Candidate(pixel=80.0 + 50 * i, label=t, number=None, decimals=0,
                                         date=None, conf=45.0, snapped=True)
             for i, t in enumerate(labels)]
    amap = calibrate_module._category_axis("x", cands)
    assert (amap is not None) == category
    if amap is not None:
        assert amap.categories == labels
        assert amap.to_value(180.0) == pytest.approx(2.0)
        assert any("unsure" in w for w in amap.warnings) and amap.unsure_labels
        from digitize.confidence import UNSURE_CATEGORIES, axis_factor, axis_signals

        assert axis_factor(axis_signals(amap)) == UNSURE_CATEGORIES


def test_category_axis() -> None:
    def draw(ax) -> None:
        ax.bar(["apple", "banana", "cherry", "kiwi fruit"], [3, 5, 2, 4])

    r = render(draw)
    x, y = calibrate(r.rgb, find_layout(r.rgb))
    assert x.scale == "category"
    assert x.categories == ["apple", "banana", "cherry", "kiwi fruit"]
    # bar i is centred on category i
    for i in range(4):
        frac = (i - r.xlim[0]) / (r.xlim[1] - r.xlim[0])
        assert x.to_value(r.x_index(frac)) == pytest.approx(i, abs=0.02)
    assert x.format(2.0) == "cherry"
    _check_axis(y, r.ylim, r.y_index)


@pytest.mark.parametrize("style", [None, "darkgrid"])
def test_horizontal_bars(style: str | None) -> None:
    def draw(ax) -> None:
        ax.barh(["north", "south", "east", "west"], [3, 5, 2, 4])

    r = render(draw, seaborn_style=style)
    layout = find_layout(r.rgb)
    x, y = calibrate(r.rgb, layout)
    assert max(abs(a - b) for a, b in zip(layout.plot_area.to_list(), r.bbox, strict=True)) <= 2.5
    assert y.scale == "category" and y.categories == ["north", "south", "east", "west"]
    _check_axis(x, r.xlim, r.x_index)


def test_absurd_exponents_are_misreads_not_values() -> None:
    from digitize.labels import parse_number

    assert parse_number("1e400") is None
    assert parse_number("10^400") is None
    assert parse_number("1e-400") is None
    assert parse_number("1e3").value == 1000.0


def test_year_labels_make_a_date_axis() -> None:
    from digitize.labels import year_dates

    jan1 = [float((dt.date(y, 1, 1) - dt.date(1970, 1, 1)).days) for y in (2005, 2006, 2008)]
    assert year_dates(["2005", "2006", "2008"]) == jan1  # 2007 lost by OCR: a double step
    assert year_dates(["1000", "1500", "2000"]) is None  # not years: out of range
    assert year_dates(["1990", "2000", "2010"], "Training iterations") is None  # a count
    assert year_dates(["2000", "2003", "2005"]) is None  # no shared step
    assert year_dates(["2000", "2001", "2002.5"]) is None  # a fraction: numbers
    assert year_dates(["2000", "2001"]) is None  # two labels: only with a time title
    assert year_dates(["2000", "2001"], "Year") is not None


def test_dates_written_to_the_precision_of_a_pixel() -> None:
    from digitize.calibrate import _format_date

    t = float((dt.date(2005, 1, 1) - dt.date(1970, 1, 1)).days) + 0.4003  # 09:36:26
    assert _format_date(t, days_per_px=3.0) == "2005-01-01"
    assert _format_date(t, days_per_px=0.1) == "2005-01-01T10:00"
    assert _format_date(t, days_per_px=0.001) == "2005-01-01T09:36"
    assert _format_date(t, days_per_px=1e-6) == "2005-01-01T09:36:26"


def test_offset_text_with_its_ones_read_as_letters() -> None:
    from digitize.labels import parse_offset

    assert parse_offset("1e1") == parse_offset("lel") == (10.0, 0.0)
    assert parse_offset("le-6") == (1e-6, 0.0)
    assert parse_offset("+1.4e3") == (1.0, 1400.0)
    assert parse_offset("level") is None and parse_offset("Accuracy") is None


def test_offset_text_beside_a_title_over_rotated_x_labels() -> None:
    """The y offset text (1e-6) just left of a title on its row, x labels set at an angle:
    the offset is re-read with the line height of level text (the y tick labels), not of
    the tall rotated labels, with which it was joined to the title and lost."""
    import matplotlib.pyplot as plt

    from digitize.layout import Layout, _Frame, _reread_offsets
    from digitize.ocr import Word

    fig = plt.figure(figsize=(6.0, 1.0), dpi=120)
    fig.text(0.07, 0.5, "1e\u22126", fontsize=13, va="center")
    fig.text(0.17, 0.5, "Signal by Time (with variance)", fontsize=15, va="center")
    fig.canvas.draw()
    grey = np.asarray(fig.canvas.buffer_rgba())[..., :3].mean(axis=2).astype(np.uint8)
    plt.close(fig)
    canvas = np.full((400, 720), 255, np.uint8)
    canvas[:120] = grey
    plot = Box(47, 75, 479, 360)
    layout = Layout(plot_area=plot, frame="full", background=(255, 255, 255),
                    x_edges=(47.0, 479.0), y_edges=(74.5, 360.0))
    layout.y_tick_labels = [Word("7", Box(30, 130 + 40 * i, 40, 144 + 40 * i), 90.0)
                            for i in range(5)]
    layout.x_tick_labels = [Word("2025-01", Box(40 + 60 * i, 365, 100 + 60 * i, 398), 90.0)
                            for i in range(6)]
    frame = _Frame(plot, "full", layout.x_edges, layout.y_edges, [], [])
    _reread_offsets(layout, canvas, frame)
    assert layout.y_offset_text is not None
    from digitize.labels import parse_offset

    assert parse_offset(layout.y_offset_text) == parse_offset("1e-6")


def test_an_offset_text_with_a_huge_exponent_is_no_multiplier():
    # found by the fuzz campaign: "1e999" overflowed a float and ended the read
    from digitize.labels import parse_offset

    assert parse_offset("1e999") is None
    assert parse_offset("x10^-400") is None
    assert parse_offset("1e7") is not None


def test_clock_dates_of_an_hourly_axis() -> None:
    """Times of day with the day named at midnight (ConciseDateFormatter, hourly): the days
    are counted from the positions, so a misread time costs only its own label."""
    from digitize.labels import clock_dates

    texts = ["20:00", "Nov-03", "04:00", "09:00", "12:00", "16:00", "20:00", "Nov-04", "04:00"]
    pos = [40.0 + 58.5 * i for i in range(len(texts))]
    got = clock_dates(texts, pos, (2024, 11, 4))
    want = [parse_date("2024-11-02 20:00") + i / 6 for i in range(len(texts))]
    assert got is not None
    ok = [g is not None and abs(g - w) < 1e-9 for g, w in zip(got, want, strict=True)]
    assert ok == [True, True, True, False, True, True, True, True, True]  # 09:00 is a misread
    # no label names a day: the offset dates the last tick
    got = clock_dates(["12 00", "16.00", "20, 00", "00 00", "04 00"], [0, 10, 20, 30, 40],
                      (2015, 8, 19), loose=True)
    assert got is not None and got[0] == pytest.approx(parse_date("2015-08-18 12:00"))
    assert got[-1] == pytest.approx(parse_date("2015-08-19 04:00"))
    # without the colon the labels are numbers unless the axis is known to be hourly
    assert clock_dates(["12 00", "16 00", "20 00"], [0, 10, 20], (2015, 8, 19)) is None
    assert clock_dates(["0.5", "1.0", "1.5", "2.0"], [0, 10, 20, 30], None, loose=True) is None
    # a day label that dates the last tick far from the offset's day is a misread
    texts = ["12:00", "16:00", "20:00", "Aug-1", "04:00", "08:00", "12:00", "16:00", "20:00",
             "Aug-19"]
    got = clock_dates(texts, [10.0 * i for i in range(10)], (2015, 8, 19))
    assert got is not None and got[0] == pytest.approx(parse_date("2015-08-17 12:00"))
    assert got[3] == pytest.approx(parse_date("2015-08-18"))


def test_touching_hourly_labels_read_one_tick_at_a_time() -> None:
    """ConciseDateFormatter hours in a large font on a narrow axis: the labels touch
    ("20:00Aug-18") and OCR reads the row as a few garbled words; each tick's window is
    read on its own."""
    hours = np.arange("2015-08-17T10", "2015-08-19T02", dtype="datetime64[h]")

    def concise(ax) -> None:
        ax.xaxis.set_major_formatter(ConciseDateFormatter(ax.xaxis.get_major_locator()))
        ax.tick_params(axis="x", labelsize=10)

    r = line_chart(hours, np.sin(np.arange(len(hours)) / 5.0), formatter=concise,
                   dpi=180, size=(5, 5))
    x, y = calibrate(r.rgb, find_layout(r.rgb))
    assert x.scale == "date"
    _check(r, x, y, tol=0.003)


@pytest.mark.parametrize("rotate", [False, True])
def test_calibrate_hourly_concise_dates(rotate: bool) -> None:
    hours = np.arange("2018-12-01T06", "2018-12-02T18", dtype="datetime64[h]")

    def concise(ax) -> None:
        ax.xaxis.set_major_formatter(ConciseDateFormatter(ax.xaxis.get_major_locator()))
        if rotate:
            ax.figure.autofmt_xdate()

    r = line_chart(hours, np.sin(np.arange(len(hours)) / 5.0), formatter=concise)
    x, y = calibrate(r.rgb, find_layout(r.rgb))
    assert x.scale == "date"
    _check(r, x, y, tol=0.003)


def test_labels_set_edge_to_edge_are_split() -> None:
    """OCR reads labels that touch as one word: times with the day at midnight, or numbers
    to the same decimals in even steps, are split back into labels."""
    from digitize.labels import split_run_on

    def pieces(text: str) -> list[str] | None:
        spans = split_run_on(text)
        return None if spans is None else [text[a:b] for a, b in spans]

    assert pieces("Jan-0602:0004:0006:00") == ["Jan-06", "02:00", "04:00", "06:00"]
    assert pieces("06:0008:0010:00") == ["06:00", "08:00", "10:00"]
    assert pieces("1982.51985.01987.51990.0") == ["1982.5", "1985.0", "1987.5", "1990.0"]
    assert pieces("2.0752.080") == ["2.075", "2.080"]
    assert pieces("0.250.701.10") is None  # not evenly stepped: no labels of one axis
    assert pieces("1000.25") is None and pieces("12:00") is None
    assert pieces("Model 12:00 run") is None
    # labels read apart, joined as one line of text
    assert pieces("1998 1999 2000 2002") == ["1998", "1999", "2000", "2002"]
    assert pieces("2.0075 2.0100 2.0125") == ["2.0075", "2.0100", "2.0125"]
    assert pieces("10 000") is None and pieces("1 500 000") is None  # thousands, not labels
    assert pieces("3 1 4 1") is None
    assert pieces("09/2015 11/2015 01/2016") == ["09/2015", "11/2015", "01/2016"]
    assert pieces("11/2015 09/2015 01/2016") is None  # dates of one axis ascend


def test_iso_dates_set_edge_to_edge_are_split() -> None:
    """AutoDateFormatter's "%Y-%m-%d" labels touch on a narrow axis: OCR reads a run of
    them as one word, split back into ascending dates (and the axis calibrates)."""
    from digitize.labels import split_run_on

    def pieces(text: str) -> list[str] | None:
        spans = split_run_on(text)
        return None if spans is None else [text[a:b] for a, b in spans]

    assert pieces("2023-12-082023-12-152023-12-22") == ["2023-12-08", "2023-12-15",
                                                        "2023-12-22"]
    assert pieces("2022-042022-072022-10") == ["2022-04", "2022-07", "2022-10"]
    assert pieces("2024-01-082024-01-01") is None  # dates of one axis ascend
    days = np.arange("2023-12-10", "2024-01-25", dtype="datetime64[D]")

    def fmt(ax) -> None:  # type: ignore[no-untyped-def]
        from matplotlib.dates import AutoDateFormatter, AutoDateLocator

        loc = AutoDateLocator()
        ax.xaxis.set_major_locator(loc)
        ax.xaxis.set_major_formatter(AutoDateFormatter(loc))

    r = line_chart(days, np.sin(np.arange(len(days)) / 5.0), formatter=fmt, dpi=90,
                   size=(7, 4))
    x, _ = calibrate(r.rgb, find_layout(r.rgb))
    assert x.scale == "date"
    _check_axis(x, r.xlim, r.x_index)


def test_power_labels_with_mantissas_agree() -> None:
    """gnuplot's "2x10^6" labels as OCR reads them (superscript 6 as a degree sign, the
    times sign as '%'): one consistent row, the exponents read from the image later."""
    from digitize.labels import label_consistency

    texts = ["1x10°", "2x10°", "3x10°", "4%10°", "5x10°"]
    assert label_consistency(texts, [69.0, 207.0, 345.0, 483.0, 621.0], 8.0) == 5
    assert label_consistency(["Jan 1", "101'5", "x10"], [0.0, 50.0, 100.0], 8.0) < 3


def test_run_on_time_labels_calibrate() -> None:
    """Hourly labels set edge to edge on a small chart (one OCR word) still calibrate."""
    from digitize.layout import split_run_on_words

    word = Word("06:0008:0010:0012:00", Box(100, 310, 300, 322), 80.0)
    split = split_run_on_words([word])
    assert [w.text for w in split] == ["06:00", "08:00", "10:00", "12:00"]
    centres = [w.box.center[0] for w in split]
    assert np.allclose(np.diff(centres), 50, atol=1)
    layout = Layout(plot_area=Box(50, 20, 400, 300), x_tick_labels=split,
                    x_ticks=[125.0, 175.0, 225.0, 275.0], x_offset_text="2015-Aug-25",
                    y_tick_labels=[Word(str(v), Box(10, p - 5, 40, p + 6), 90.0)
                                   for v, p in [(1, 250), (2, 150), (3, 50)]])
    x = calibrate_axis("x", layout)
    assert x.scale == "date"
    assert x.to_value(125.0) == pytest.approx(parse_date("2015-08-25 06:00"), abs=1e-6)
    assert x.to_value(275.0) == pytest.approx(parse_date("2015-08-25 12:00"), abs=1e-6)


def test_dark_theme_ticks_are_light_lines() -> None:
    """On a dark figure the tick marks are light: they are found (and the labels snap to
    them), and both axes calibrate."""
    r = line_chart(X, 3 * np.sin(X), style="dark_background", dpi=120)
    layout = find_layout(r.rgb)
    assert len(layout.x_ticks) >= 5 and len(layout.y_ticks) >= 5
    x, y = calibrate(r.rgb, layout)
    assert sum(t.inlier for t in x.ticks) >= 5
    _check(r, x, y, tol=0.003)


def test_frameless_labels_beside_a_rotated_title() -> None:
    """No spines, ticks or grid (fivethirtyeight-like), the rotated y title set close to the
    tick labels: the plot area found from the labels starts right of the label column."""

    def bare(ax) -> None:
        ax.grid(False)

    r = line_chart(X, 0.28 + 0.004 * X, formatter=bare, dpi=120, style="fivethirtyeight",
                   ylabel="Temperature (°C)", size=(10.0, 5.0), title="Temperature (°C)")
    layout = find_layout(r.rgb)
    assert layout.frame == "none"
    assert sum(parse_number(w.text) is not None for w in layout.y_tick_labels) >= 4
    x, y = calibrate(r.rgb, layout)
    _check(r, x, y, tol=0.005)


@pytest.mark.parametrize("exponent", [3, -2])
def test_superscript_outside_the_word_box_is_read(exponent: int) -> None:
    """OCR may return the box of a 10^k label's base digits alone (the raised exponent
    dropped): the exponent is looked for up and right of it."""
    import cv2
    import matplotlib.pyplot as plt

    from digitize.calibrate import _superscript_exponent

    fig = plt.figure(figsize=(1.2, 0.6), dpi=150)
    fig.text(0.2, 0.3, f"$10^{{{exponent}}}$", fontsize=14)
    fig.canvas.draw()
    grey = np.asarray(fig.canvas.buffer_rgba())[..., :3].mean(axis=2).astype(np.uint8)
    plt.close(fig)
    ink = (grey < 128).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    bottom = max(st[1] + st[3] for st in stats[1:])
    base = [st for st in stats[1:] if st[1] + st[3] >= bottom - 1]  # "1" and "0"
    box = Box(min(st[0] for st in base), min(st[1] for st in base),
              max(st[0] + st[2] for st in base), bottom)
    assert _superscript_exponent(grey, box) == exponent


@pytest.mark.parametrize(("dpi", "size", "exponent"), [(72, 10, 3), (72, 8, 4), (66, 10, 2)])
def test_tiny_superscript_is_read_at_another_upscale(dpi: int, size: int, exponent: int) -> None:
    """A superscript a few pixels tall (72 dpi) that Tesseract reads as nothing at one
    upscale is read at another (a log axis with two decade labels has no third to vote a
    lost exponent back)."""
    import cv2
    import matplotlib.pyplot as plt

    from digitize.calibrate import _superscript_exponent

    fig = plt.figure(figsize=(1, 0.5), dpi=dpi)
    fig.text(0.2, 0.3, f"$\\mathdefault{{10^{{{exponent}}}}}$", fontsize=size)
    fig.canvas.draw()
    grey = cv2.cvtColor(np.asarray(fig.canvas.buffer_rgba())[..., :3].copy(),
                        cv2.COLOR_RGB2GRAY)
    plt.close(fig)
    ys, xs = np.nonzero(grey < 128)
    box = Box(int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    assert _superscript_exponent(grey, box) == exponent


def test_end_label_on_an_axis_without_tick_marks_is_not_flush_snapped() -> None:
    """An axis with no tick marks (seaborn's white style, a frame only) has no flush end
    labels (Vega's labelFlush): a top label whose box reaches the frame line (a tall word,
    a raised exponent) keeps its centre, and the axis its even label steps."""
    labels_at = [(100, 47.0), (10, 161.0), (1, 275.0)]
    words = [Word(str(v), Box(40, int(c) - 10, 70, int(c) + 10), 90.0) for v, c in labels_at]
    words[0] = Word("100", Box(40, 37, 70, 57), 90.0)  # top at the frame line (37.5)
    layout = Layout(plot_area=Box(80, 38, 900, 386), frame="full", x_edges=(79.5, 900.5),
                    y_edges=(37.5, 385.5), y_tick_labels=words,
                    x_tick_labels=[Word(str(v), Box(95 + 200 * i, 395, 115 + 200 * i, 407), 90.0)
                                   for i, v in enumerate([0, 1, 2, 3])])
    y = calibrate_axis("y", layout)
    assert all(t.inlier for t in y.ticks)
    assert y.ticks[0].pixel > 40.0
    assert np.log10(y.to_value(47.0)) == pytest.approx(2.0, abs=0.02)


def test_a_word_at_a_labels_place_is_dropped() -> None:
    """Two tick labels do not share a place: a stray word read at a label's position (a
    piece of the row below, here a day that would shift a ConciseDateFormatter month walk)
    is dropped, keeping the one OCR is surer of."""
    days = ["11", "13", "15", "17", "19", "21", "23", "25", "27", "29"]
    words = [Word(d, Box(95 + 64 * i, 310, 115 + 64 * i, 322), 96.0)
             for i, d in enumerate(days)]
    words.insert(9, Word("20", Box(610, 330, 630, 342), 22.0))  # 9 px right of "27"
    layout = Layout(plot_area=Box(50, 20, 800, 300), x_tick_labels=words,
                    x_offset_text="2016-Jan",
                    y_tick_labels=[Word(str(v), Box(10, p - 5, 40, p + 6), 90.0)
                                   for v, p in [(1, 250), (2, 150), (3, 50)]])
    x = calibrate_axis("x", layout)
    assert x.scale == "date" and len(x.ticks) == len(days)
    assert x.to_value(105.0) == pytest.approx(parse_date("2016-01-11"), abs=0.05)
    assert x.to_value(105.0 + 64 * 9) == pytest.approx(parse_date("2016-01-29"), abs=0.05)


def _x_label_row(texts: list[str], width: int) -> Layout:
    """A layout with ``texts`` as x tick labels ``width`` px wide, 80 px apart from x=90,
    and a plain y axis (1, 2, 3)."""
    words = [Word(t, Box(90 + 80 * i, 310, 90 + width + 80 * i, 322), 90.0)
             for i, t in enumerate(texts)]
    return Layout(plot_area=Box(50, 20, 600, 300), x_tick_labels=words,
                  y_tick_labels=[Word(str(v), Box(10, p - 5, 40, p + 6), 90.0)
                                 for v, p in [(1, 250), (2, 150), (3, 50)]])


def test_lost_decimal_points_are_put_back() -> None:
    """OCR drops a decimal point ("-9.6" read "-96"); where that makes more labels agree,
    the labels without decimals are read with the decimals the others carry."""
    layout = _x_label_row(["-10.0", "-9.8", "-96", "-94", "-92", "-9.0"], 30)
    x = calibrate_axis("x", layout)
    assert all(t.inlier for t in x.ticks) and len(x.ticks) == 6
    assert x.to_value(105.0) == pytest.approx(-10.0, abs=0.01)
    assert x.to_value(505.0) == pytest.approx(-9.0, abs=0.01)
    # an axis written with mixed decimals on purpose (Vega's 0, 0.5, 1, 1.5) is left alone
    words = [Word(t, Box(90 + 80 * i, 310, 120 + 80 * i, 322), 90.0)
             for i, t in enumerate(["0", "0.5", "1", "1.5", "2"])]
    layout.x_tick_labels = words
    x = calibrate_axis("x", layout)
    assert x.to_value(105.0 + 80 * 4) == pytest.approx(2.0, abs=0.01)
    # nor is a log axis (0.1, 0.2, 0.3, 1, 2, 3, 10 ...: integers and decimals by design)
    vals = [0.1, 0.2, 0.3, 1, 2, 3, 10, 20, 30, 100]
    words = [Word(str(v), Box(int(60 + 120 * np.log10(v / 0.1)) - 8, 310,
                              int(60 + 120 * np.log10(v / 0.1)) + 8, 322), 90.0) for v in vals]
    layout.x_tick_labels = words
    x = calibrate_axis("x", layout)
    assert x.scale == "log" and all(t.inlier for t in x.ticks)


def test_thousands_separators_read_as_points_are_separators() -> None:
    """Vega-Lite's "1,200" read "1.200" (1.2) among "400", "2,000": read as a grouped
    integer where that puts every label on one line; a decimal axis keeps its decimals."""
    x = calibrate_axis("x", _x_label_row(["0", "400", "800", "1.200", "1.600", "2,000",
                                          "2. 400"], 30))
    assert all(t.inlier for t in x.ticks)
    assert x.to_value(104.5 + 80 * 6) == pytest.approx(2400.0, abs=1.0)
    x = calibrate_axis("x", _x_label_row(["0.000", "0.125", "0.250", "0.375"], 30))
    assert x.to_value(104.5 + 80 * 3) == pytest.approx(0.375, abs=1e-3)


def test_a_speck_read_as_a_point_does_not_make_integers_tenths() -> None:
    """"20" read "2.0" (a JPEG speck between the digits) at the end of -5, 0, 5, 10, 15:
    dividing every integer by ten would make all six agree, but "5" cannot be "0.5" with
    only its point lost (a label written to one decimal has two digits at least), so the
    integers stay and "2.0" is the one misread."""
    x = calibrate_axis("x", _x_label_row(["-5", "0", "5", "10", "15", "2.0"], 20))
    assert x.to_value(100.0) == pytest.approx(-5.0, abs=0.05)
    assert x.to_value(100.0 + 80 * 5) == pytest.approx(20.0, abs=0.05)
    assert [t.inlier for t in x.ticks] == [True] * 5 + [False]


def test_hourly_month_day_hour_labels_are_dates() -> None:
    """Matplotlib's default labels for an axis of hours are "06-13 10" (``%m-%d %H``, set
    at an angle by autofmt_xdate): no number, no month name, no time. They are dates
    (the year assumed, and said so) one hour apart per label step."""
    hours = np.arange("2021-06-13T09", "2021-06-13T23", dtype="datetime64[h]")
    r = line_chart(hours, np.sin(np.arange(len(hours)) / 3.0),
                   formatter=lambda ax: ax.figure.autofmt_xdate(), dpi=80, size=(8, 5),
                   title="Load")
    layout = find_layout(r.rgb)
    x, _ = calibrate(r.rgb, layout)
    assert x.scale == "date" and any("year" in w for w in x.warnings)
    assert sum(t.inlier for t in x.ticks) >= 6
    # the first tick is 10:00 on 13 June (of the assumed year); the span is the truth's
    first = parse_date(f"{DEFAULT_YEAR}-06-13") + 10 / 24
    assert x.to_value(x.ticks[0].pixel) == pytest.approx(first, abs=0.01)
    span = x.to_value(r.x_index(1.0)) - x.to_value(r.x_index(0.0))
    assert span == pytest.approx(r.xlim[1] - r.xlim[0], rel=0.005)


def test_rotated_month_names_with_years_at_january() -> None:
    """ConciseDateFormatter's monthly labels ("Oct", "2016", "Apr"...) set at an angle on
    a small tickless-frame style: the rotated reading must score as one date line (month
    names with the year at January), or the level misreading of the slanted glyphs wins
    and the axis is lost."""
    from matplotlib.dates import MonthLocator

    days = np.arange("2015-10-20", "2018-04-10", 20, dtype="datetime64[D]")

    def fmt(ax) -> None:  # type: ignore[no-untyped-def]
        loc = MonthLocator(bymonth=(1, 4, 7, 10))
        ax.xaxis.set_major_locator(loc)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(loc))
        ax.figure.autofmt_xdate()

    r = line_chart(days, np.sin(np.arange(len(days)) / 5.0), formatter=fmt, dpi=80,
                   size=(8, 5), style="seaborn-v0_8-white", title="Temperature")
    layout = find_layout(r.rgb)
    x, _ = calibrate(r.rgb, layout)
    assert x.scale == "date" and sum(t.inlier for t in x.ticks) >= 8
    span = x.to_value(r.x_index(1.0)) - x.to_value(r.x_index(0.0))
    assert span == pytest.approx(r.xlim[1] - r.xlim[0], rel=0.005)


def test_frameless_chart_with_hourly_labels() -> None:
    """No frame, ticks or grid and times of day under the plot: the plot area is found
    from the label column and the row of times (not numbers) below it."""
    hours = np.arange("2023-01-22T03", "2023-01-23T17", dtype="datetime64[h]")

    def concise(ax) -> None:
        ax.grid(False)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(ax.xaxis.get_major_locator()))

    r = line_chart(hours, 0.6 * np.sin(np.arange(len(hours)) / 6.0), formatter=concise,
                   style="fivethirtyeight", dpi=120, size=(10.0, 5.5), ylabel="Loss")
    layout = find_layout(r.rgb)
    x, y = calibrate(r.rgb, layout)
    assert x.scale == "date"
    _check(r, x, y, tol=0.005)


def test_labels_snapped_to_crisp_ticks_drawn_late_take_the_shift_off() -> None:
    """Ticks at whole pixels that the layout judged drawn half a pixel past their value
    (``x_tick_shift``): the map puts each value half a pixel before its tick; ticks between
    pixels (anti-aliased, measured where they are) are left alone."""
    labels = [(0, 100), (10, 300), (20, 500)]
    words = [Word(str(v), Box(p - 8, 310, p + 9, 322), 90.0) for v, p in labels]
    y_words = [Word(str(v), Box(10, int(p) - 5, 40, int(p) + 6), 90.0)
               for v, p in [(2, 50), (1, 150), (0, 250)]]
    rgb = np.zeros((350, 650, 3), np.uint8)

    def fit(ticks: list[float], shift: float) -> float:
        layout = Layout(plot_area=Box(50, 20, 600, 300), x_tick_labels=words,
                        y_tick_labels=y_words, x_ticks=ticks, x_tick_shift=shift)
        x, _ = calibrate(rgb, layout)
        return float(x.to_pixel(10.0))

    assert fit([100.0, 300.0, 500.0], 0.0) == pytest.approx(300.0, abs=1e-6)
    assert fit([100.0, 300.0, 500.0], 0.5) == pytest.approx(299.5, abs=1e-6)
    assert fit([100.4, 300.4, 500.4], 0.5) == pytest.approx(300.4, abs=1e-6)
    # lines a pixel ratio widened (two pixels, a pixel past): every tick takes the shift
    assert fit([100.5, 300.5, 500.5], 1.0) == pytest.approx(299.5, abs=1e-6)
    # a JPEG's ringing moves a crisp line's measured centre a little off its pixel: those
    # ticks are snapped as the others are (not half of them shifted, tilting the map)
    assert fit([100.07, 300.0, 499.93], 0.5) == pytest.approx(299.5, abs=1e-6)


def _centred_word(text: str, centre: float, top: int) -> Word:
    """An x label whose box centre is ``centre`` (a whole or half pixel)."""
    left = int(np.floor(centre - 4.5)) if centre % 1 else int(centre) - 5
    right = int(round(2 * centre + 1)) - left
    return Word(text, Box(left, top, right, top + 12), 90.0)


def test_snapped_ticks_average_their_labels_rounding() -> None:
    """Ticks snapped to whole pixels are each rounded by up to half a pixel; their labels,
    placed at whole pixels half a text width off, are rounded independently. The labels'
    own places (less their common offset) pull each tick half way to them: the map lies
    closer to the true one than the ticks alone put it."""
    true = 100.4 + 100.4 * np.arange(5)  # the ticks' true places (pixel centres)
    ticks = [101.0, 201.0, 302.0, 402.0, 502.0]  # snapped, drawn half a pixel past
    centres = [100.5, 201.0, 301.0, 401.5, 502.0]  # the labels' centres, rounded too
    words = [_centred_word(str(10 * k), c, 310) for k, c in enumerate(centres)]
    y_words = [Word(str(v), Box(10, int(p) - 5, 40, int(p) + 6), 90.0)
               for v, p in [(2, 50), (1, 150), (0, 250)]]
    rgb = np.zeros((350, 650, 3), np.uint8)
    layout = Layout(plot_area=Box(50, 20, 600, 300), x_tick_labels=words,
                    y_tick_labels=y_words, x_ticks=ticks, x_tick_shift=0.5)
    x, _ = calibrate(rgb, layout)
    ends = np.array([50.0, 599.0])
    truth = (ends - true[0]) / 100.4 * 10.0
    alone = np.polyfit(np.array(ticks) - 0.5, 10.0 * np.arange(5), 1)
    err = np.abs(x.to_value(ends) - truth)
    assert np.all(err < np.abs(np.polyval(alone, ends) - truth))
    assert err.max() < 0.75 * np.abs(np.polyval(alone, ends) - truth).max()
    # labels all off their ticks alike: nothing to average
    pix, inl = np.array([1.0, 2.0, 3.0]), np.ones(3, bool)
    assert np.allclose(with_label_rounding(pix, pix + 3.0, inl), pix)
    # one label far off (its box grown over a neighbour) leaves its tick alone
    moved = with_label_rounding(pix, pix + np.array([0.4, 0.0, 5.0]), inl)
    assert np.allclose(moved, [1.0, 1.8, 3.0])  # (the common offset: the median, 0.4)
    # a tick that is no crisp line (NaN: its label place unknown): none are moved
    assert with_label_rounding(pix, np.array([1.0, np.nan, 3.0]), inl) is None


def _text_at(text: str, x: float, y: float, shape: tuple[int, int] = (60, 120)) -> np.ndarray:
    """``text`` drawn anti-aliased with its baseline's left end at (x, y), a fraction of a
    pixel included: drawn ten times as large and shrunk by area."""
    import cv2

    big = np.full((shape[0] * 10, shape[1] * 10), 255, np.uint8)
    cv2.putText(big, text, (int(round(10 * x)), int(round(10 * y))),
                cv2.FONT_HERSHEY_SIMPLEX, 3.0, 0, 12, cv2.LINE_AA)
    return cv2.resize(big, shape[::-1], interpolation=cv2.INTER_AREA)


def test_label_ink_place_reads_a_label_to_a_fraction_of_a_pixel() -> None:
    """A label drawn a fraction of a pixel further on is read that much further on (its
    box, whole pixels, cannot say); a comma below the baseline does not move a y label."""
    box = Box(10, 10, 100, 50)
    for dy in (0.3, 0.6):
        a = label_ink_place(_text_at("0.8", 20, 35), box, "y")
        b = label_ink_place(_text_at("0.8", 20, 35 + dy), box, "y")
        assert b - a == pytest.approx(dy, abs=0.06)
    for dx in (0.2, 0.5):
        a = label_ink_place(_text_at("20", 30, 35), box, "x")
        b = label_ink_place(_text_at("20", 30 + dx, 35), box, "x")
        assert b - a == pytest.approx(dx, abs=0.06)
    plain = label_ink_place(_text_at("8000", 20, 35.4), box, "y")
    comma = label_ink_place(_text_at("8,000", 20, 35.4), box, "y")
    assert comma == pytest.approx(plain, abs=0.06)
    assert label_ink_place(np.full((60, 120), 255, np.uint8), box, "y") is None


def test_snapped_ticks_take_their_labels_sub_pixel_places() -> None:
    """Ticks rounded to whole pixels (or whole CSS pixels at a pixel ratio) tilt the map of
    a short axis; their labels, drawn where their values put them, less the offset common
    to them, place the ticks to a fraction of a pixel."""
    true = 50.3 + 51.37 * np.arange(4)
    rounded = np.round(true)  # each off by up to half a pixel
    fine = true + 3.21  # the labels' places, a constant offset from their ticks
    inl = np.ones(4, bool)
    on = np.ones(4, bool)
    moved = on_label_places(rounded, fine, inl, on)
    assert moved is not None
    # the map through the moved ticks is the true one, shifted by the ticks' mean rounding
    slope = np.polyfit(moved, np.arange(4.0), 1)[0]
    assert slope == pytest.approx(1 / 51.37, rel=1e-6)
    assert np.abs(moved - true).max() < 0.5 * np.abs(rounded - true).max()
    # a label far off the others' offset (Vega's flush end label) leaves its tick alone
    flush = fine.copy()
    flush[3] += 4.0
    assert on_label_places(rounded, flush, inl, on)[3] == rounded[3]
    # a snapped inlier without its label's place: nothing moved
    assert on_label_places(rounded, np.array([1.0, np.nan, 3.0, 4.0]) + fine, inl, on) is None
    # a label on no mark found (at its box centre, a pixel off): at its place plus the offset
    five = np.append(true, true[-1] + 51.37)
    loose = np.append(rounded, five[-1] + 1.0)
    moved = on_label_places(loose, five + 3.21, np.ones(5, bool), np.append(on, False))
    assert moved[4] - five[4] == pytest.approx(np.mean(rounded - true), abs=1e-9)


def test_labels_drawn_at_whole_pixels_share_one_phase() -> None:
    """gnuplot and ggplot2 draw their labels at whole pixels: every label's sub-pixel place
    has one phase; matplotlib's and Vega's labels lie where their values put them."""
    assert labels_on_whole_pixels(np.array([54.50, 101.51, 148.49, 195.52]))
    assert labels_on_whole_pixels(np.array([10.99, 60.01, 110.0]))  # phase wraps at 1
    assert not labels_on_whole_pixels(np.array([54.50, 101.71, 148.92, 196.13]))
    assert not labels_on_whole_pixels(np.array([54.5, 101.5]))  # two tell nothing


def test_numeric_y_labels_on_no_tick_sit_a_little_above_their_ink_centre() -> None:
    """A y tick label found on no tick mark or gridline (matplotlib's tick-less styles) is
    centred on half the font's ascent, which is taller than the digits: its tick is a
    fraction of a pixel (growing with the label's height) above the ink centre. Words
    with letters are left at their centre; a label snapped to a tick mark takes the tick."""
    word = Word("0.5", Box(10, 100, 40, 120), 90.0)  # centre 109.5, 20 px tall
    drop = Y_LABEL_DROP[0] + 20 * Y_LABEL_DROP[1]
    assert 0.3 < drop < 0.5
    assert _y_label_tick(word) == pytest.approx(109.5 - drop)
    assert _y_label_tick(Word("Mon", Box(10, 100, 40, 120), 90.0)) == 109.5
    words = [Word(str(v), Box(10, p - 10, 40, p + 10), 90.0) for v, p in [(2, 50), (1, 150),
                                                                           (0, 250)]]
    x_words = [Word(str(v), Box(p - 8, 310, p + 9, 322), 90.0)
               for v, p in [(0, 100), (10, 300), (20, 500)]]
    rgb = np.zeros((350, 650, 3), np.uint8)
    layout = Layout(plot_area=Box(50, 20, 600, 300), x_tick_labels=x_words,
                    y_tick_labels=words)
    _, y = calibrate(rgb, layout)
    assert y.to_pixel(1.0) == pytest.approx(149.5 - drop, abs=1e-6)
    layout.y_ticks = [45.0, 145.0, 245.0]
    _, y = calibrate(rgb, layout)
    assert y.to_pixel(1.0) == pytest.approx(145.0, abs=1e-6)


def test_numbered_category_label_misread_mended() -> None:
    """``QI`` among ``Q2 Q3`` is ``Q1``; labels not numbered in one step are left alone."""
    from digitize.calibrate import mend_numbered_labels

    idx = np.arange(3.0)
    assert mend_numbered_labels(["QI", "Q2", "Q3"], idx) == ["Q1", "Q2", "Q3"]
    assert mend_numbered_labels(["Q1", "QZ", "Q3", "Q4"], np.arange(4.0))[1] == "Q2"
    # the look-alike does not read as the number the step puts there
    assert mend_numbered_labels(["QI", "Q3", "Q4"], idx) == ["QI", "Q3", "Q4"]
    assert mend_numbered_labels(["Mon", "Tue", "Wed"], idx) == ["Mon", "Tue", "Wed"]
    # other prefixes
    assert mend_numbered_labels(["A1", "BI", "A3"], idx) == ["A1", "BI", "A3"]
    # a gap left by a label OCR missed keeps the step
    assert mend_numbered_labels(["Q1", "Q2", "QS"], np.array([0.0, 1.0, 4.0])) == [
        "Q1", "Q2", "Q5"]


def test_rotated_labels_between_tick_marks_take_the_interval_middle() -> None:
    """Excel's date category axis: each rotated label ends midway between two tick marks
    (its anchor a few px off the middle); the label's place is that middle, not the nearest
    tick. Anchors that meet the ticks are left to the tick snapping."""
    from digitize.calibrate import _between_ticks

    marks = [105.0, 197.6, 289.6, 382.6, 474.6]
    got = _between_ticks([153.4, 245.4, 338.0, 430.6, 522.9], marks)
    assert got is not None
    assert [round(p, 1) for p, _ in got[:4]] == [151.3, 243.6, 336.1, 428.6]
    assert all(s for _, s in got[:4]) and got[4] == (522.9, False)  # past the last mark
    assert _between_ticks([106.0, 196.0, 291.0, 381.5], marks) is None


def test_rotated_labels_on_some_found_marks_are_not_between_ticks() -> None:
    """Marks found at only some of the labels' ticks (a dark grid's lines under a legend):
    half the anchors lie midway between two marks, but the others sit right at one, so the
    labels are on their ticks, not between them (chart_00190's date axis)."""
    from digitize.calibrate import _between_ticks

    marks = [62.0, 142.0, 261.0, 340.0]
    anchors = [63.4, 101.5, 142.7, 181.0, 221.6, 261.0, 300.5, 340.8, 379.7, 420.0]
    assert _between_ticks(anchors, marks) is None


# -- minor log ticks, lone outliers ------------------------------------------------------------


def test_minor_log_marks_of_the_first_mantissas_alone_are_used() -> None:
    """A log y axis at 80 dpi, 82 px a decade (chart_00234): the marks of 2, 3 and 4 are
    found in every decade, those of 5..9 (3-8 px apart) run together and are not. The
    found marks (a third of the places) are still the minor ticks; scattered marks a
    decade's places do not share are not."""
    from digitize.calibrate import log_minor_ticks

    slope, icpt = -1 / 82.0, 183.5 / 82.0  # 10^0 at 183.5 px, 10^1 at 101.5
    labelled = np.array([19.5, 101.5, 183.5, 265.5])
    m = np.log10([2.0, 3.0, 4.0])
    marks = np.sort(np.concatenate([(k + m - icpt) / slope for k in (-2, -1, 0, 1)]))
    px, t = log_minor_ticks(marks, slope, icpt, (20.0, 320.0), labelled)
    assert len(px) >= 9
    assert np.allclose(slope * px + icpt, t)
    scattered = marks[[0, 4, 8, 9]]
    assert len(log_minor_ticks(scattered, slope, icpt, (20.0, 320.0), labelled)[0]) == 0


def _log_axis(slope: float, intercept: float, lo: int, hi: int) -> np.ndarray:
    """Pixel positions of every m·10^k (m = 1..9) tick between pixels lo and hi."""
    t = np.concatenate([k + np.log10(np.arange(1, 10)) for k in range(-6, 7)])
    px = (t - intercept) / slope
    return px[(px >= lo) & (px <= hi)]


def test_log_minor_ticks_match_the_unlabelled_decade_places() -> None:
    """Ticks at 2..9 × 10^k are matched to their values even from a map a little off
    (two labels, their fit a little off), over the whole ticked stretch."""
    slope, icpt = -1 / 120.0, 3.5  # 10^0 at pixel 420, a decade every 120 px
    ticks = np.round(_log_axis(slope, icpt, 40, 420))
    labelled = np.array([300.0, 180.0])
    px, t = log_minor_ticks(ticks, slope * 1.003, icpt + 0.003, (40.0, 420.0), labelled)
    assert len(px) >= 20
    assert np.allclose(t, slope * px + icpt, atol=0.6 / 120)
    # an axis with ticks at the decades and half way (ggplot's minor breaks) is not one
    halves = np.round((np.arange(0.0, 3.5, 0.5) - icpt) / slope)
    got, _ = log_minor_ticks(halves, slope, icpt, (40.0, 420.0), labelled)
    assert len(got) == 0


def test_lone_outlier_dropped_only_when_the_others_agree() -> None:
    pix = np.array([94.0, 163.0, 231.5, 300.5, 372.5])
    t = np.array([80.0, 60.0, 40.0, 20.0, 0.0])  # "0" paired with the frame line, 3 px low
    got = drop_lone_outlier(pix, t, np.ones(5, bool))
    assert got.tolist() == [True, True, True, True, False]
    # quantised ticks, none far off: all kept; three points: too few to tell
    even = np.array([94.0, 163.0, 232.0, 300.0, 369.0])
    assert drop_lone_outlier(even, t, np.ones(5, bool)).all()
    assert drop_lone_outlier(pix[2:], t[2:], np.ones(3, bool)).all()
    # a few pixels off where labels stand hundreds apart: kept
    wide = np.array([190.0, 634.0, 1074.2, 1511.5, 1949.0])
    assert drop_lone_outlier(wide, np.arange(0.0, 10.0, 2.0), np.ones(5, bool)).all()


def test_labels_on_a_tickless_axis_keep_off_a_frame_line_they_are_not_on() -> None:
    """An axis with no tick marks or gridlines (seaborn's ``white`` style): its first label
    stands a few pixels inside the frame (the limit is a little below 0). The frame line is
    no tick there: the label's centre places it, neither the frame line near its centre nor
    one at its edge (Vega's flush labels, which have tick marks) takes it."""

    def draw(ax) -> None:
        x = np.linspace(0, 6000, 30)
        ax.plot(x, np.sin(x / 900))
        ax.set_xlim(-80, 6150)
        ax.set_xticks([0, 2000, 4000, 6000])

    r = render(draw, seaborn_style="white", size=(4.5, 3.0), dpi=120)
    layout = find_layout(r.rgb)
    assert not layout.x_ticks
    x, y = calibrate(r.rgb, layout)
    _check_axis(x, r.xlim, r.x_index)


def test_end_label_takes_a_flush_tick_only_at_its_outer_edge() -> None:
    """Vega's flush end labels sit with their outer edge on their tick (the first label's
    left edge, the last one's right edge). A "tick" found well inside an end label's box
    (the raised exponent of ``10^0`` over the axis line, taken for a tick mark) is the
    label's own ink: the label keeps its centre."""
    centres = [100, 300, 500, 700]
    words = [Word(str(i + 1), Box(c - 15, 310, c + 15, 322), 90.0) for i, c in enumerate(centres)]
    y_words = [Word(str(v), Box(10, p - 5, 40, p + 6), 90.0)
               for v, p in [(1, 250), (2, 150), (3, 50)]]
    # a mark 4 px inside the first label's right edge, on an axis with marks elsewhere
    layout = Layout(plot_area=Box(50, 20, 800, 300), frame="full", x_edges=(49.5, 800.5),
                    y_edges=(19.5, 300.5), x_tick_labels=words, y_tick_labels=y_words,
                    x_ticks=[110.0, 300.0, 500.0, 700.0])
    x = calibrate_axis("x", layout)
    assert x.to_value(100.0) == pytest.approx(1.0, abs=0.01)
    # a Vega flush label: the first label's left edge on its tick, the last one's right edge
    words = [Word(str(i + 1), Box(c - 15, 310, c + 15, 322), 90.0) for i, c in enumerate(centres)]
    words[0] = Word("1", Box(100, 310, 130, 322), 90.0)
    words[-1] = Word("4", Box(670, 310, 700, 322), 90.0)
    layout = Layout(plot_area=Box(50, 20, 800, 300), frame="full", x_edges=(49.5, 800.5),
                    y_edges=(19.5, 300.5), x_tick_labels=words, y_tick_labels=y_words,
                    x_ticks=[99.6, 300.0, 500.0, 700.0])
    x = calibrate_axis("x", layout)
    assert x.to_value(99.6) == pytest.approx(1.0, abs=0.01)
    assert x.to_value(700.0) == pytest.approx(4.0, abs=0.01)


def test_a_speck_read_as_a_minus_on_some_minor_log_labels_is_dropped() -> None:
    """``6×10^2 .. 2×10^2`` down a y axis, two exponents read with a minus (a JPEG speck
    beside the superscript): the values as read are out of order, in order without the
    signs. A real axis across 1 (``2×10^-1 .. 2×10^1``) is in order as read and kept."""
    from digitize.calibrate import _specks_as_minus

    ys = [94, 171, 226, 304]
    words = [Word("m x 10k", Box(29, y - 8, 84, y + 8), 80.0) for y in ys]
    got = _specks_as_minus("y", words, [6.0, 4.0, 3.0, 2.0], [-2, 2, 2, -2])
    assert got == [2, 2, 2, 2]
    real = _specks_as_minus("x", [Word("m x 10k", Box(x - 20, 400, x + 20, 416), 80.0)
                                  for x in (100, 200, 300, 400, 500)],
                            [2.0, 5.0, 2.0, 5.0, 2.0], [-1, -1, 0, 0, 1])
    assert real == [-1, -1, 0, 0, 1]


def test_the_one_misread_exponent_of_minor_log_labels_takes_the_others() -> None:
    """``6×10^-1 .. 2×10^-1`` down a y axis, one superscript read ``-7`` (chart_00251):
    out of order as read, in order with the other labels' exponent. A real change of
    decade (``5×10^-2, 2×10^-1, 5×10^-1``) is in order as read and kept."""
    from digitize.calibrate import _odd_exponent

    ys = [55, 84, 104, 133]
    words = [Word("m x 10k", Box(26, y - 7, 86, y + 7), 80.0) for y in ys]
    assert _odd_exponent("y", words, [6.0, 4.0, 3.0, 2.0], [-1, -7, -1, -1]) == [-1] * 4
    xs = [Word("m x 10k", Box(x - 20, 400, x + 20, 416), 80.0) for x in (100, 300, 500)]
    assert _odd_exponent("x", xs, [5.0, 2.0, 5.0], [-2, -1, -1]) == [-2, -1, -1]


def test_an_end_label_takes_its_tick_mark_over_a_nearer_frame_line() -> None:
    """JPEG chart_00058: the frame line (82.6) lies 1.4 px left of the first tick mark
    (84.0) and the label "0.2" is centred between them, nearer the frame. Marks in one
    even step are the ticks: the label takes its mark, not the frame line."""
    from digitize.calibrate import _candidates

    ticks = [84.0, 139.0, 193.0, 248.0, 303.0]
    words = [Word(t, Box(c - 12, 374, c + 13, 388), 93.0)
             for t, c in zip(("0.2", "0.4", "0.6", "0.8", "1.0"), (83, 138, 193, 247, 302),
                             strict=True)]
    layout = Layout(plot_area=Box(83, 31, 456, 363), frame="full", x_tick_labels=words,
                    x_ticks=ticks, x_edges=(82.6, 456.0), y_tick_labels=[])
    got = _candidates("x", layout)
    assert got[0].snapped and got[0].pixel == pytest.approx(84.0)


def _five_x_labels_two_marks(ticks: list[float]) -> Layout:
    """Five upright x labels 20..100 centred 110 px apart, and two tick marks at ``ticks``."""
    centres = [160, 270, 380, 490, 600]
    words = [Word(str(v), Box(c - 8, 368, c + 8, 377), 95.0)
             for v, c in zip((20, 40, 60, 80, 100), centres, strict=True)]
    return Layout(plot_area=Box(54, 23, 637, 364), frame="panel", x_tick_labels=words,
                  x_ticks=ticks,
                  y_tick_labels=[Word(str(v), Box(10, p - 5, 40, p + 6), 90.0)
                                 for v, p in [(1, 250), (2, 150), (3, 50)]])


def test_two_tick_marks_do_not_move_centred_x_labels() -> None:
    """Two tick marks found of five (JPEG), one 2.5 px off: the line through them alone
    no third mark checks. Upright x labels are centred on their ticks (no bias to take
    off), so the others are not shifted to that line: all five are fitted."""
    x = calibrate_axis("x", _five_x_labels_two_marks([382.5, 600.0]))
    assert x.to_value(160.0) == pytest.approx(20.0, abs=0.3)
    assert x.to_value(490.0) == pytest.approx(80.0, abs=0.3)


def test_an_edge_of_no_frame_is_a_snap_target_only_where_a_line_is_drawn() -> None:
    """With no frame, the plot's edge may be where gridlines end (1-2 px short of the faint
    top gridline): only an edge with a line drawn on it counts as one."""
    from digitize.calibrate import _line_at

    rgb = np.full((120, 200, 3), 240, np.uint8)
    rgb[30, 20:180] = 200  # a line on row 30
    rgb[80, 20:180] = 228  # a faint gridline on row 80
    plot = Box(20, 10, 180, 110)
    assert _line_at(rgb, plot, "y", 30.0)
    assert _line_at(rgb, plot, "y", 80.0)
    assert not _line_at(rgb, plot, "y", 82.5)  # the gridlines' extent, 2.5 px off
    assert not _line_at(rgb, plot, "y", 55.0)
    assert _line_at(np.swapaxes(rgb, 0, 1), Box(10, 20, 110, 180), "x", 30.0)


def test_a_label_dropped_for_its_mark_is_kept_at_its_own_place() -> None:
    """A JPEG "tick mark" found 2.8 px off the label over it: the label, snapped to it, is
    the lone point off the line and is dropped, though it was read right. At its own
    centre it lies on the line: it is kept there, an inlier (not a rejected label)."""
    x = calibrate_axis("x", _five_x_labels_two_marks([382.3, 599.5]))
    assert all(t.inlier for t in x.ticks)
    assert x.to_value(380.0) == pytest.approx(60.0, abs=0.1)


def test_an_x_label_grazing_the_bottom_y_label_is_kept() -> None:
    """Log-log axes whose corner labels meet (``10^-3`` at the bottom of y, ``10^0`` at the
    left of x): the x label's box reaches into the y label's. It is no fragment of that
    label (its centre lies outside it): kept, the x row reads upright and the axis is right
    (dropped, the one label left was doubted and the row read as rotated labels, the first
    anchor 20 px off)."""

    def draw(ax) -> None:
        x = np.logspace(0, 1, 30)
        ax.loglog(x, 10 ** np.sin(9 * np.log10(x) - 1.5), "o-")
        ax.set_xlim(1, 10)
        ax.set_ylim(1e-3, 10)
        ax.figure.patch.set_facecolor("white")
        ax.figure.tight_layout()

    r = render(draw, style="classic", size=(10, 6), dpi=100)
    layout = find_layout(r.rgb)
    assert layout.x_tick_anchors is None
    x, y = calibrate(r.rgb, layout)
    _check_axis(x, r.xlim, r.x_index)


def test_decimal_mantissas_of_powers_of_ten_are_read() -> None:
    """gnuplot writes "2.5x10^6": the mantissa may be a decimal (its superscript misread
    is read from the image), not only one digit as matplotlib's minor log labels."""
    from digitize.labels import _POWER_HEAD

    for text, mantissa in (("7.5x10°", "7.5"), ("8x106", "8"), ("2×103", "2"),
                           ("104", None)):
        m = _POWER_HEAD.match(text)
        assert m is not None and m.group(1) == mantissa
    assert _POWER_HEAD.match("7.5") is None


def test_zero_and_negative_mantissas_among_powers_of_ten(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """gnuplot's linear axis of m×10^k labels: "0" is written plain and "-1x10^-6" keeps
    its minus sign (the exponents come from the image: stubbed here)."""
    import digitize.calibrate as cal

    monkeypatch.setattr(cal, "_superscript_exponent", lambda grey, box: -6)
    words = [Word(t, Box(39, 10 + 45 * i, 82, 24 + 45 * i), 60.0)
             for i, t in enumerate(["2x10®", "1x10°", "0", "-1x106"])]
    got = cal._power_values(np.full((300, 100, 3), 255, np.uint8), words)
    assert got == pytest.approx([2e-6, 1e-6, 0.0, -1e-6])


def test_minus_signs_ocr_got_wrong_are_mended() -> None:
    """Tiny labels lose their minus signs ("-8, 6, 4, 2, 0") or gain one (a rotated axis
    title's end beside "20" on a log axis): mended where every label then fits one line,
    the reading with values rising along the axis taken first (ggplot2 charts)."""
    xs = [118.0, 295.0, 472.0, 649.0, 826.0]
    lost = Layout(plot_area=Box(40, 26, 857, 443), x_ticks=xs,
                  x_tick_labels=[Word(t, Box(int(c) - 5, 449, int(c) + 5, 457), 90.0)
                                 for t, c in zip(["-8", "6", "4", "2", "0"], xs, strict=True)])
    x = calibrate_axis("x", lost)
    assert x.to_value(118.0) == pytest.approx(-8.0, abs=0.05)
    assert x.to_value(826.0) == pytest.approx(0.0, abs=0.05)
    ys = [124.5, 216.5, 372.5]
    gained = Layout(plot_area=Box(40, 26, 857, 443), y_ticks=ys,
                    y_tick_labels=[Word(t, Box(20, int(c) - 5, 33, int(c) + 5), 90.0)
                                   for t, c in zip(["30", "-20", "10"], ys, strict=True)])
    y = calibrate_axis("y", gained)
    assert y.scale == "log" and y.to_value(216.5) == pytest.approx(20.0, rel=0.01)
    # an axis of mixed signs read right stays as read
    mixed = Layout(plot_area=Box(40, 26, 857, 443), x_ticks=xs,
                   x_tick_labels=[Word(t, Box(int(c) - 5, 449, int(c) + 5, 457), 90.0)
                                  for t, c in zip(["-4", "-2", "0", "2", "4"], xs, strict=True)])
    assert calibrate_axis("x", mixed).to_value(118.0) == pytest.approx(-4.0, abs=0.05)


def test_dates_repeated_at_consecutive_ticks_are_spread_over_their_day() -> None:
    """gnuplot's "%d/%m/%Y" at ticks 12 hours apart writes each date twice: the second of a
    pair is noon. A date OCR read once (its twin missed) is left for the fit to judge."""
    from digitize.calibrate import split_repeated_dates

    got = split_repeated_dates([6.0, 6.0, 7.0, 8.0, 8.0, 9.0, 9.0, None, 10.0])
    assert got == [6.0, 6.5, 7.0, 8.0, 8.5, 9.0, 9.5, None, 10.0]
    assert split_repeated_dates([1.0, 2.0, 3.0]) is None  # nothing repeats
    assert split_repeated_dates([1.0, 1.0, 2.0, 3.0]) is None  # one pair: a misread


def test_repeated_date_labels_calibrate_to_their_ticks() -> None:
    """Labels 06/06 06/06 07/06 07/06 ... 80 px apart: 12 hours a tick, not a day every
    second tick with half the labels rejected."""
    texts = ["06/06/2023", "06/06/2023", "07/06/2023", "07/06/2023", "08/06/2023",
             "08/06/2023"]
    x = calibrate_axis("x", _x_label_row(texts, 60))
    assert all(t.inlier for t in x.ticks)
    assert x.to_value(119.5) == pytest.approx(x.to_value(119.5 + 160) - 1.0, abs=1e-6)
    first = x.to_value(119.5)
    assert first == pytest.approx(float((np.datetime64("2023-06-06") - np.datetime64(
        "1970-01-01")).astype(int)), abs=0.01)


def test_one_label_misread_as_zero_leaves_a_log_axis_consistent() -> None:
    from digitize.labels import label_consistency

    texts = ["0,000", "2,000", "1,000", "200", "100", "20", "10", "2", "1", "0.2", "0.1"]
    pos = [34.0, 62.0, 74.5, 103.5, 116.0, 145.0, 157.5, 187.0, 199.0, 228.0, 240.5]
    assert label_consistency(texts, pos, 2.5) == 10


def test_labels_set_against_a_tickless_log_axis_are_read_whole() -> None:
    # no tick marks, labels half a point from the axis: the label ends pass for tick marks,
    # and the strip cut at their length loses each label's last digit ("2,00", "0.")
    def draw(ax) -> None:
        ax.plot([0, 1, 2, 3], [0.3, 30, 300, 3000], color="tab:red")
        ax.set_yscale("log")
        ax.set_ylim(0.1, 10000)
        ticks = [0.1, 0.2, 1, 2, 10, 20, 100, 200, 1000, 2000, 10000]
        ax.set_yticks(ticks)
        ax.set_yticklabels(["0.1", "0.2", "1", "2", "10", "20", "100", "200", "1,000", "2,000",
                            "10,000"])
        ax.tick_params(axis="y", length=0, pad=0.5, colors="#888888", labelsize=8)
        ax.tick_params(axis="y", which="minor", length=0)
        ax.grid(True, which="both", color="#eeeeee")
        for spine in ax.spines.values():
            spine.set_color("#dddddd")

    r = render(draw, size=(3.6, 2.7))
    x, y = calibrate(r.rgb, find_layout(r.rgb))
    assert y.scale == "log"
    assert sum(t.inlier for t in y.ticks) >= 9


def test_flush_end_label_beside_a_minor_log_tick_takes_its_edge_tick() -> None:
    """Vega's log x axis, labels flush at the ends (labelFlush): "10,000" ends at the
    plot's right edge (341) but its centre falls on the 9,000 minor tick (326). Snapped by
    its centre it pulls the fit 2 px off; the fit with its edge tick agrees with the other
    labels exactly and is taken."""
    minor = [41 + 100 * (d + np.log10(m)) for d in range(3) for m in range(2, 10)]
    ticks = sorted({round(t) for t in [41.0, 141.0, 241.0, 341.0] + minor})
    words = [Word("10", Box(41, 234, 53, 243), 90.0),
             Word("30", Box(83, 234, 95, 243), 90.0),
             Word("100", Box(132, 234, 150, 243), 90.0),
             Word("10,000", Box(311, 234, 341, 243), 90.0)]
    layout = Layout(plot_area=Box(41, 20, 341, 227), frame="none", x_edges=(41.0, 341.0),
                    x_ticks=[float(t) for t in ticks], x_tick_labels=words,
                    y_tick_labels=[Word(str(v), Box(10, p - 5, 30, p + 5), 90.0)
                                   for v, p in [(1, 200), (2, 120), (3, 40)]])
    x = calibrate_axis("x", layout)
    assert x.scale == "log"
    assert np.log10(x.to_value(341.0)) == pytest.approx(4.0, abs=0.005)
    assert np.log10(x.to_value(141.0)) == pytest.approx(2.0, abs=0.005)


@pytest.mark.parametrize("dpi", [72, 150])
def test_tickless_power_labels_are_placed_below_their_ink_middle(dpi: int) -> None:
    """``10^k`` y labels on an axis with no tick marks or gridlines (seaborn's ``dark``):
    the raised exponent lifts the label's box about a pixel above its tick, which lies a
    little below the middle of the label's ink. Both y ends within 0.2% of the span."""

    def draw(ax) -> None:  # type: ignore[no-untyped-def]
        x = np.linspace(0, 10, 40)
        ax.plot(x, 30 * 10 ** (0.35 * x))
        ax.set_yscale("log")
        ax.set_ylim(8, 2e5)

    r = render(draw, style="seaborn-v0_8-dark", size=(7.0, 4.0), dpi=dpi)
    layout = find_layout(r.rgb)
    assert not layout.y_ticks and not layout.y_gridlines
    y = calibrate(r.rgb, layout)[1]
    assert y.scale == "log"
    lo, hi = np.log10(r.ylim)
    for frac, want in ((0.0, lo), (1.0, hi)):
        assert abs(np.log10(y.to_value(r.y_index(frac))) - want) < 0.002 * (hi - lo)


def test_the_whole_ink_place_of_a_power_label_takes_its_raised_exponent() -> None:
    """A ``10^k`` label's place from all its ink (``whole``): from the exponent's top to
    the baseline, where the default takes the glyphs reaching its top third (the
    exponent's columns alone, here)."""
    grey = np.full((30, 30), 255, np.uint8)
    grey[10:20, 4:8] = 0  # "1"
    grey[10:20, 10:16] = 0  # "0"
    grey[6:12, 18:22] = 0  # the raised exponent
    box = Box(2, 4, 24, 22)
    assert label_ink_place(grey, box, "y", whole=True) == pytest.approx(12.5, abs=0.01)
    assert label_ink_place(grey, box, "y") == pytest.approx(8.5, abs=0.01)


def test_written_mantissas_are_told_from_bare_powers_of_ten() -> None:
    """An axis whose ``10^k`` labels (OCR's reading of them) have no ``m×10^k`` among them
    takes the measured ink-middle placement; one with them keeps its boxes' centres."""
    assert all(with_mantissa(t) for t in ("6 x10°", "3x107}", "2 x 10}"))
    assert not any(with_mantissa(t) for t in ("10°", "10!", "1071", "−10²", "g2", "0.5"))


def test_even_month_tick_is_gnuplots() -> None:
    """gnuplot's month tics are 365.25/12 days apart from 1970 and moved to the first of
    their month keeping the hour (read off gnuplot 5.4's own "%Y-%m-%d %H:%M" labels)."""
    hours = {"2022-09": 12, "2024-01": 12, "2024-07": 3, "2025-01": 18, "2022-07": 15,
             "2012-01": 12, "2014-01": 0, "1970-01": 0}
    for month, hour in hours.items():
        start = parse_date(month)
        assert even_month_tick(start) == pytest.approx(start + hour / 24)
    assert even_month_tick(parse_date("2022-09-02")) is None  # not a month's first day
    assert even_month_tick(parse_date("2022-09") + 0.5) is None


def _gnuplot_month_layout(months: list[str], ticks: list[float]) -> Layout:
    """Month labels (upright, no tick marks) centred on ``ticks`` (days), 5 px a day from
    x = 79.5 (a box of whole pixels 60..99 is centred there)."""
    words = [Word(m, Box(int(round(80 + 5 * (t - ticks[0]))) - 20, 310,
                         int(round(80 + 5 * (t - ticks[0]))) + 20, 322), 90.0)
             for m, t in zip(months, ticks, strict=True)]
    y_words = [Word(str(v), Box(10, 300 - 50 * v - 6, 40, 300 - 50 * v + 6), 90.0)
               for v in range(5)]
    return Layout(plot_area=Box(50, 20, 800, 300), x_tick_labels=words, y_tick_labels=y_words)


def test_gnuplot_month_labels_mark_even_month_ticks() -> None:
    """"%b %Y" labels of gnuplot's monthly tics stand where its even months put them (a day
    off the months' first days at most, 5 px here): the map follows the tics, while labels
    at the months' first days (other renderers) keep them."""
    months = ["Aug 2022", "Sep 2022", "Oct 2022", "Nov 2022", "Dec 2022"]
    starts = [parse_date(m) for m in months]
    gnu = [even_month_tick(s) for s in starts]
    x = calibrate_axis("x", _gnuplot_month_layout(months, gnu))
    assert x.scale == "date"
    for t in gnu:
        assert x.to_value(79.5 + 5 * (t - gnu[0])) == pytest.approx(t, abs=0.1)
    x = calibrate_axis("x", _gnuplot_month_layout(months, starts))
    for s in starts:
        assert x.to_value(79.5 + 5 * (s - starts[0])) == pytest.approx(s, abs=0.1)


def test_run_on_labels_split_by_glyph_widths() -> None:
    """A run-on word of a day and times of day ("Jan-0602:0004:00...") is split where each
    label's glyphs lie: a colon or hyphen takes half a digit's room, so cutting by character
    counts puts the times a few pixels off and their step 1-2% short."""
    from matplotlib import font_manager
    from PIL import ImageFont

    from digitize.layout import split_run_on_words

    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), 40)
    parts = ["Jan-06", "02:00", "04:00", "06:00", "08:00", "10:00"]
    edges = np.cumsum([0.0] + [font.getlength(p) for p in parts])
    word = Word("".join(parts), Box(100, 310, 100 + int(round(edges[-1])), 340), 80.0)
    split = split_run_on_words([word])
    assert [w.text for w in split] == parts
    truth = 100 + (edges[:-1] + edges[1:]) / 2
    assert np.allclose([w.box.center[0] for w in split], truth, atol=1.5)
    # labels read apart and joined as one line: a space stands for the gap between them,
    # not for a narrow glyph (corpus chart_00221's "1998 1999 2000" moved 2 px out)
    joined = split_run_on_words([Word("1998 1999 2000", Box(100, 310, 240, 322), 80.0)])
    assert [w.box.center[0] for w in joined] == pytest.approx([119.5, 169.5, 219.5], abs=0.6)


def _auto_dates(concise: bool):  # type: ignore[no-untyped-def]
    """A ``line_chart`` formatter: matplotlib's automatic date ticks, labelled by its
    ConciseDateFormatter or its AutoDateFormatter."""
    from matplotlib.dates import AutoDateFormatter, AutoDateLocator

    def fmt(ax) -> None:  # type: ignore[no-untyped-def]
        loc = AutoDateLocator()
        ax.xaxis.set_major_locator(loc)
        ax.xaxis.set_major_formatter((ConciseDateFormatter if concise else AutoDateFormatter)(loc))

    return fmt


def test_concise_months_take_the_year_of_the_offset() -> None:
    """ConciseDateFormatter's months short of a January ("Mar", "Apr"... "Oct") name their
    year only in the offset text at the axis's end ("2024"): that year is read, not
    assumed; and the offset dates the last tick, so months turning over a lost January
    label end in it."""
    days = np.arange("2024-03-05", "2024-10-20", 5, dtype="datetime64[D]")
    r = line_chart(days, np.sin(np.arange(len(days)) / 5.0), formatter=_auto_dates(True), dpi=90,
                   size=(7, 4))
    layout = find_layout(r.rgb)
    assert layout.x_offset_text == "2024"
    x, _ = calibrate(r.rgb, layout)
    assert x.scale == "date" and not x.warnings and not x.year_assumed
    _check_axis(x, r.xlim, r.x_index)
    got = ending_in(month_name_dates, ["Nov", "Dec", "Feb", "Mar"], 2021)
    assert got == [parse_date(d) for d in ("2020-11", "2020-12", "2021-02", "2021-03")]


def test_day_and_time_labels_are_dates() -> None:
    """Matplotlib's default labels for an axis of minutes are "05 10:10" (``%d %H:%M``):
    the day of the month and the time, no month, no year. They are dates (the month and
    year assumed, and said so) ten minutes apart per label step."""
    assert day_time_dates(["30 23:50", "31 00:00", "0100:10"], 2000, 1) == pytest.approx(
        [parse_date("2000-01-30") + 1430 / 1440, parse_date("2000-01-31"),
         parse_date("2000-02-01") + 10 / 1440])
    assert day_time_dates(["10:00", "10:10", "10:20"], 2000, 1) is None
    minutes = np.arange("2024-03-05T10:00", "2024-03-05T11:30", 3, dtype="datetime64[m]")
    r = line_chart(minutes, np.sin(np.arange(len(minutes)) / 5.0), formatter=_auto_dates(False),
                   dpi=90, size=(12, 4))
    x, _ = calibrate(r.rgb, find_layout(r.rgb))
    assert x.scale == "date" and x.year_assumed and any("month" in w for w in x.warnings)
    first = parse_date(f"{DEFAULT_YEAR}-01-05") + 10 / 24  # the first tick, 10:00
    assert x.to_value(x.ticks[0].pixel) == pytest.approx(first, abs=1e-4)
    span = x.to_value(r.x_index(1.0)) - x.to_value(r.x_index(0.0))
    assert span == pytest.approx(r.xlim[1] - r.xlim[0], rel=0.003)
