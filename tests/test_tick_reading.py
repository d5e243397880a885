"""Axis calibration: m×10^k labels read, ticks hidden under data, rounded lines, log axes
labelled at two decades' ends."""

from __future__ import annotations

import numpy as np
import pytest

from digitize.calibrate import (
    _candidates,
    calibrate_axis,
    rounded_line_shifts,
    text_on_whole_pixels,
    tick_lattice,
    unrounded_values,
)
from digitize.geometry import Box
from digitize.labels import label_consistency
from digitize.layout import (
    Layout,
    _readable,
    find_ticks,
    labels_width,
    on_lattice_edges,
    reread_rows,
)
from digitize.ocr import Word


def _w(text: str, x: float, y: float = 300.0, half: int = 12) -> Word:
    return Word(text, Box(int(x) - half, int(y) - 6, int(x) + half, int(y) + 6), 90.0)


def test_mantissa_power_labels_count_as_readable() -> None:
    """gnuplot's "4x10^-6" labels, their raised exponents read as anything ("4x10°"), are
    tick labels (calibration reads the exponent from the image): the y column of them
    must not be dropped for stray marks at the plot's right edge as unreadable."""
    words = [_w(t, 70, 40 + 49 * i) for i, t in enumerate(["8x107°", "6x107°", "4x10°"])]
    assert _readable(words) == 3


def test_power_labels_agree_with_a_plain_zero_and_a_garbled_one() -> None:
    """A row of m×10^k labels starting at a plain "0", one OCR garbled ("A.4x10"), is a
    consistent row (the values come from the image later), not one of one number."""
    texts = ["0", "2x10°", "4x%10°", "6x10°", "A.4x10"]
    assert label_consistency(texts, [109.0 + 56 * i for i in range(5)], 3.0) == 4
    # (gnuplot's row read one tick at a time: the last window holds its neighbour's ink)
    texts = ["2x10°", "4x%10°", "6x10°", "8x10°", "1x107", "1.2x10", "1.4x10", "1.6x10%.8"]
    assert label_consistency(texts, [165.0 + 56 * i for i in range(8)], 3.0) == 7


def test_frame_edges_on_the_ticks_lattice_carry_ticks() -> None:
    t = np.array([165.0, 221.0, 277.0, 333.0])
    assert list(on_lattice_edges(t, (109.0, 389.5))) == [109.0, 165.0, 221.0, 277.0, 333.0,
                                                       389.5]
    # an edge off the lattice (the axis limit between two ticks) carries none
    assert list(on_lattice_edges(t, (140.0, 389.5))) == [165.0, 221.0, 277.0, 333.0, 389.5]


def test_labels_width_is_measured_around_each_tick() -> None:
    """Labels 30 px wide every 50 px: their width, whatever the end labels are."""
    inked = np.zeros(400, bool)
    ticks = np.array([50.0, 100.0, 150.0, 200.0, 250.0, 300.0])
    for k, x in enumerate(ticks):
        half = 3 if k == 0 else 15  # a short "0" first
        inked[int(x) - half : int(x) + half + 1] = True
    assert labels_width(inked, ticks, 50.0) == pytest.approx(31.0)


def test_labels_on_ticks_hidden_under_data_take_the_ticks_lattice() -> None:
    """Ticks every 49 px, two hidden under markers on the axis: their labels (boxes grown
    by raised exponents, 1.7 px off) are placed on the lattice of the ticks found."""
    ticks = [149.0, 247.0, 296.0, 345.0, 394.0]
    nodes = tick_lattice(np.array(ticks), (51.0, 443.0))
    assert nodes is not None
    assert np.allclose(nodes, [51.0, 100.0, 149.0, 198.0, 247.0, 296.0, 345.0, 394.0, 443.0])
    # stray marks, two of them close, make no lattice (most of its places empty)
    assert tick_lattice(np.array([192.06, 200.89, 262.95, 333.97]), (56.0, 338.0)) is None
    words = [_w(f"{v}", 80, y) for v, y in ((7, 98.3), (6, 149), (5, 196.3), (4, 247),
                                            (3, 296), (2, 345), (1, 394))]
    layout = Layout(plot_area=Box(110, 52, 692, 443), frame="left-bottom",
                    y_ticks=ticks, y_tick_labels=words, y_edges=(51.0, 443.0))
    got = {c.number: c.pixel for c in _candidates("y", layout)}
    assert got[7.0] == pytest.approx(100.0) and got[5.0] == pytest.approx(198.0)


def test_text_on_whole_pixels_allows_one_label_of_other_glyphs() -> None:
    assert text_on_whole_pixels([50.99, 99.99, 148.98, 198.0, 247.99, 442.5])
    assert not text_on_whole_pixels([50.61, 99.95, 148.57, 198.95, 247.65])
    assert not text_on_whole_pixels([50.0, 99.0])


def test_rounded_lines_lose_the_half_way_shift() -> None:
    """Clean one-pixel lines (0.25: rounded or snapped) with y labels at one phase: a
    renderer rounding lines and text alike (gnuplot), no shift; others are kept."""
    whole = [51.0, 100.0, 149.0, 198.0]
    assert rounded_line_shifts(0.25, 0.25, whole) == (0.0, 0.0)
    assert rounded_line_shifts(0.5, 0.25, whole) == (0.5, 0.0)
    assert rounded_line_shifts(0.25, 0.25, [51.6, 100.95, 149.57, 198.95]) == (0.25, 0.25)
    assert rounded_line_shifts(0.5, 0.5, whole) == (0.5, 0.5)


def test_inward_log_minor_ticks_crowding_their_decade_are_found() -> None:
    """Inward tick marks of a log axis: the minor ones (8, 9 × 10^k) crowd the decade's
    mark, 11-13 px apart; none of them (the decade's mark least) may be dropped as a
    cluster of label strokes."""
    h, w = 700, 1200  # (cluster reach scales with the image: 12 px here)
    mask = np.zeros((h, w), bool)
    left, right, bottom = 114, 1169, 639
    mask[bottom, left:right] = True  # the frame's bottom line
    decade = 264.0
    marks = [round(left + decade * (d + np.log10(m))) for d in range(3) for m in range(1, 10)
             if left + decade * (d + np.log10(m)) < right - 2]
    for x in marks:
        mask[bottom - 8 : bottom, x] = True  # inward ticks
    dark = mask.astype(float) * 200
    got, length = find_ticks(mask, dark, Box(left + 1, 20, right, bottom), "x",
                             (bottom + 1, bottom - 1))
    assert length == 0
    assert [round(t) for t in got] == marks


def test_log_axis_labelled_at_one_decades_ends_is_told_by_its_minor_ticks() -> None:
    """"10" and "100" at the plot's ends fit linear as well as log: the unlabelled tick
    marks at log10(2..9) make it log."""
    left, right = 82.0, 695.0
    span = right - left
    minors = [left + span * np.log10(m) for m in range(2, 10)]
    layout = Layout(plot_area=Box(83, 42, 695, 494), frame="full",
                    x_edges=(left, right), y_edges=(42.0, 494.0),
                    x_ticks=[float(round(t)) for t in minors],
                    x_tick_labels=[_w("10", left, 508, 7), _w("100", right, 508, 11)])
    amap = calibrate_axis("x", layout)
    assert amap.scale == "log"
    assert amap.to_value(left + span * np.log10(5)) == pytest.approx(50, rel=0.01)


def test_labels_with_too_few_digits_take_their_ticks_values() -> None:
    """gnuplot's %g writes ticks 0.005 apart as 1550, 1550.01, 1550.01, 1550.02...: the
    tick values are the round steps every label rounds to (the first label's where two
    fit), not the labels."""
    labels = [1550, 1550.01, 1550.01, 1550.02, 1550.02, 1550.03, 1550.03, 1550.04, 1550.04,
              1550.05]
    got = unrounded_values(np.arange(10), np.array(labels), 0.01)
    assert got is not None
    assert np.allclose(got, 1550 + 0.005 * np.arange(10))
    # a label missed leaves a whole step
    k = np.array([0, 1, 2, 4, 5, 6])
    got = unrounded_values(k, np.array(labels)[k], 0.01)
    assert got is not None and np.allclose(got, 1550 + 0.005 * k)
    assert unrounded_values(np.arange(5), np.array([0.0, 1, 2, 3, 4]), 1.0) is None
    assert unrounded_values(np.arange(4), np.array([0.0, 0, 5, 5]), 1.0) is None


def test_a_column_reading_one_value_is_read_again_row_by_row() -> None:
    """Light grey "6,000", "5,000"... read in a block as "000" at every row (the first
    digit apart, a letter; the strip cut at the faint comma): each row alone reads whole."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (140, 200), 240)
    draw = ImageDraw.Draw(img)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 15)
    except OSError:
        pytest.skip("no DejaVuSans font")
    rows = []
    for i, text in enumerate(["6,000", "5,000", "4,000"]):
        y = 20 + 60 * i
        draw.text((40, y), text, fill=136, font=font)
        right = 40 + int(draw.textlength(text, font=font))
        comma = 40 + int(draw.textlength(text[:2], font=font))
        rows.append(Word("000", Box(comma, y + 2, right, y + 16), 90.0))
    grey = np.asarray(img)
    got = reread_rows(grey, rows, rows[0].box.left)
    assert [w.text for w in got] == ["6,000", "5,000", "4,000"]
    assert _readable(got) == 3


def test_a_column_of_powers_of_ten_is_not_read_again_row_by_row() -> None:
    """"10" at every row is a log axis whose raised exponents OCR garbled (calibration reads
    them from the image): no thousands comma lost, so the column is not read again one row
    at a time (that read "10²" as "s102" and "5102", and the axis linear). "000" at every
    row is."""
    from digitize.layout import _powers

    def col(texts: list[str]) -> list[Word]:
        return [_w(t, 40.0, 50.0 + 30 * k) for k, t in enumerate(texts)]

    assert _powers(col(["10*", "103", "10?", "10*", "10°", "1071"]))
    assert _powers(col(["10!", "10°", "1071"]))
    assert not _powers(col(["o", "000", "000", "000"]))
