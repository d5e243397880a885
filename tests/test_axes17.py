"""Axis calibration, session 17: ISO dates read with their hyphens lost, numbers joined as
one word at a log axis's decade start, a rotated label cut by the image's left edge."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from _charts import render

from digitize.calibrate import calibrate_axis
from digitize.errors import AxisError
from digitize.geometry import Box
from digitize.labels import EPOCH, compact_iso_dates, cut_label
from digitize.layout import Layout, classify_words, find_layout
from digitize.ocr import Word


def _w(text: str, x: float, y: float = 400.0, half: int = 12) -> Word:
    return Word(text, Box(int(x) - half, int(y) - 6, int(x) + half, int(y) + 6), 90.0)


def _day(iso: str) -> float:
    return float((dt.date.fromisoformat(iso) - EPOCH).days)


def test_iso_dates_read_without_their_hyphens_are_dates() -> None:
    """ggplot2's "2021-04-01" set small at an angle, OCR losing the hyphens: "20210401".
    Fitted as numbers the map is off by most of the axis; the labels are dates."""
    ticks = [225.0, 454.0, 686.0]
    layout = Layout(plot_area=Box(45, 26, 761, 370), frame="full", x_edges=(44.0, 761.0),
                    y_edges=(25.0, 370.0), x_ticks=ticks,
                    x_tick_labels=[_w(t, x, 390) for t, x in
                                   zip(["20210401", "202107.01", "2021-10.01"], ticks,
                                       strict=True)])
    layout.x_tick_anchors = [t + 4 for t in ticks]
    amap = calibrate_axis("x", layout)
    assert amap.scale == "date"
    assert amap.to_value(454.0) == pytest.approx(_day("2021-07-01"), abs=0.5)


def test_compact_iso_dates_leave_numbers_alone() -> None:
    assert compact_iso_dates(["20210401", "20210701"]) == [_day("2021-04-01"),
                                                          _day("2021-07-01")]
    assert compact_iso_dates(["20000000", "20100000"]) is None  # (month 00: numbers)
    assert compact_iso_dates(["20210701", "20210401"]) is None  # (not rising)
    assert compact_iso_dates(["2021-04-01", "2021-07-01"]) is None  # (read whole already)
    assert compact_iso_dates(["20210401"]) is None


def test_numbers_joined_at_a_decade_start_are_read_apart() -> None:
    """Vega-Lite's log axis labels "10" "20" and "100" "200" set a few pixels apart: joined
    as one line ("10 20" -> 1020) they made the axis linear from two wrong values."""
    words = [_w("10", 59, 358, 8), _w("20", 82, 358, 8), _w("100", 163, 358, 12),
             _w("200", 194, 358, 12), _w("1,000", 275, 358, 18), _w("10,000", 388, 358, 22),
             _w("100,000", 474, 358, 27)]
    layout = Layout(plot_area=Box(51, 42, 499, 340))
    classify_words(layout, {"bottom": words}, (480, 780, 3))
    assert [wd.text for wd in layout.x_tick_labels] == ["10", "20", "100", "200", "1,000",
                                                        "10,000", "100,000"]
    # a thousands space ("1 000", "2 000"...) stays one label
    words = [_w(str(k), 100 + 80 * k - 10, 358, 4) for k in range(1, 5)]
    words += [_w("000", 100 + 80 * k + 8, 358, 10) for k in range(1, 5)]
    layout = Layout(plot_area=Box(51, 42, 499, 340))
    classify_words(layout, {"bottom": words}, (480, 780, 3))
    assert [wd.text for wd in layout.x_tick_labels] == [f"{k} 000" for k in range(1, 5)]


def test_a_label_cut_by_the_image_edge_is_completed() -> None:
    assert cut_label("3-07-16 00:00", ["2023-07-16 12:00", "2023-07-17 00:00"]) == (
        "2023-07-16 00:00")
    assert cut_label("07-16", ["2023-07-16 12:00"]) is None  # (not the end of its form)
    assert cut_label("£023-07-16 00:00", ["2023-07-16 12:00"]) == "2023-07-16 00:00"
    assert cut_label("3-07-16 00:00", ["Jul 16"]) is None
    assert cut_label("x", ["2023-07-16 12:00"]) is None


def test_rotated_dates_the_image_edge_cuts_keep_their_first_label() -> None:
    """Long date-times set at 30° under a plot that starts near the image's left edge: the
    first label's year is cut off ("3-07-16 00:00"). Two labels read whole tie with a
    garbled flat reading; the cut one, completed from its neighbours, makes three."""
    days = np.array([0.0, 0.5, 1.0, 1.5])
    names = ["2023-07-16 00:00", "2023-07-16 12:00", "2023-07-17 00:00", "2023-07-17 12:00"]

    def draw(ax) -> None:
        ax.plot(np.linspace(-0.2, 1.7, 50), np.sin(np.linspace(0, 6, 50)), color="#e41a1c")
        ax.set_xticks(days, labels=names, rotation=30, ha="right", fontsize=12)
        ax.set_xlim(-0.2, 1.7)
        ax.figure.subplots_adjust(left=0.1, bottom=0.3, right=0.97)

    r = render(draw, seaborn_style="white", size=(7.0, 4.5), dpi=100)
    layout = find_layout(r.rgb)
    assert layout.x_tick_anchors is not None
    texts = [wd.text for wd in layout.x_tick_labels]
    assert "2023-07-16 00:00" in texts
    amap = calibrate_axis("x", layout)
    assert amap.scale == "date"
    lo, hi = r.xlim
    px = r.x_index((0.5 - lo) / (hi - lo))
    assert amap.to_value(px) == pytest.approx(_day("2023-07-16") + 0.5, abs=0.02)


def test_two_labels_misread_to_opposite_sides_do_not_tilt_the_map() -> None:
    """"-7.5" and "7.5" both read with a 9 for the 5 (-7.9, 7.9): within the fit's loose
    tolerance they and four of the five right labels made a line of six, 2.8 px rms,
    beating the five right ones. Labels on measured tick marks agree within a pixel: the
    line of those five is the map."""
    ticks = [72.0 + 67.5 * k for k in range(7)]
    texts = ["-7.9", "-5.0", "-2.5", "0.0", "2.5", "5.0", "7.9"]
    layout = Layout(plot_area=Box(4, 9, 510, 380), frame="full", x_edges=(3.5, 509.5),
                    y_edges=(8.5, 379.5), x_ticks=ticks,
                    x_tick_labels=[_w(t, x, 390) for t, x in zip(texts, ticks, strict=True)])
    amap = calibrate_axis("x", layout)
    assert amap.to_value(ticks[0]) == pytest.approx(-7.5, abs=0.05)
    assert amap.to_value(ticks[-1]) == pytest.approx(7.5, abs=0.05)
    assert not amap.ticks[0].inlier and not amap.ticks[-1].inlier


def test_numbers_read_from_labels_dated_by_the_offset_text_are_refused() -> None:
    """ConciseDateFormatter's hourly labels set over each other read as "7}" and "090",
    the offset "2017-Aug-28" read right: a linear map of 7 and 90 maps no date. The axis is
    refused (the user is told to pass a range) rather than mapped to numbers."""
    ticks = [116.0, 193.0, 270.0, 348.0]
    layout = Layout(plot_area=Box(79, 27, 353, 444), frame="full", x_edges=(78.5, 352.5),
                    y_edges=(26.5, 443.5), x_ticks=ticks,
                    x_tick_labels=[_w("Og", 78, 460), _w("7}", 259, 460), _w("090", 291, 460)],
                    x_offset_text="2017-Aug-28")
    with pytest.raises(AxisError, match="dates"):
        calibrate_axis("x", layout)
    # numbers beside an offset that names no month (a year alone) are still fitted
    layout.x_offset_text = "1e2"
    layout.x_tick_labels = [_w("1", 116, 460), _w("2", 193, 460), _w("3", 270, 460)]
    assert calibrate_axis("x", layout).scale == "linear"


def test_strokes_of_labels_set_right_under_the_axis_are_no_ticks() -> None:
    """seaborn's whitegrid with no tick marks and the labels 1.5 pt under the axis, the
    gridlines hidden under an area: the tops of the labels' glyphs ("1", the arc of a "0")
    passed for tick marks, a few pixels off the labels' centres, and the labels snapped to
    them (the map 1% of the span off at the ends). Labels starting too close under the
    axis for any tick mark are placed by their centres."""

    def draw(ax) -> None:
        x = np.arange(0, 55)
        ax.fill_between(x, 0, 5 + 3 * np.sin(x / 5), color="#d62728")
        ax.set_xlim(-1.65, 56.65)
        ax.set_ylim(0, 10)
        ax.tick_params(length=0, pad=1.5)

    r = render(draw, seaborn_style="whitegrid", size=(5.0, 3.8), dpi=100)
    layout = find_layout(r.rgb)
    assert not any(wd.box.left <= t < wd.box.right for t in layout.x_ticks
                   for wd in layout.x_tick_labels)
    amap = calibrate_axis("x", layout)
    lo, hi = r.xlim
    for v in (0.0, 50.0):
        assert amap.to_value(r.x_index((v - lo) / (hi - lo))) == pytest.approx(
            v, abs=0.002 * (hi - lo))
