"""Charts from other renderers (gnuplot, Vega-Lite, ggplot2) and the fixes they called for.

The accuracy tests draw a few charts with ``scripts/renderers`` and skip when the renderer is
not installed (``scripts/install.sh --generator`` installs them). The unit tests for the
layout/calibration fixes need nothing but matplotlib to draw their text.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from digitize.calibrate import AxisMap, calibrate  # noqa: E402
from digitize.geometry import Box  # noqa: E402
from digitize.labels import parse_number  # noqa: E402
from digitize.layout import (  # noqa: E402
    Line,
    _frame_from_groups,
    _merge_panel_pieces,
    _offset_word,
    _panel_edges,
    _recover_minus,
    _scan_end,
    find_layout,
    frame_from_lines,
    merge_pieces,
)
from digitize.ocr import Word  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))


def text_image(text: str, size: int = 14, dpi: int = 100) -> tuple[np.ndarray, Box]:
    """Grey image of ``text`` drawn on white and the tight box of its ink."""
    fig = plt.figure(figsize=(2.0, 0.6), dpi=dpi)
    fig.text(0.5, 0.5, text, fontsize=size, ha="center", va="center")
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    plt.close(fig)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    ys, xs = np.nonzero(grey < 160)
    return grey, Box(int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)


# -- unit tests for the fixes ------------------------------------------------------------------


@pytest.mark.parametrize("size,dpi", [(11, 72), (11, 100), (13, 150), (14, 72), (12, 100)])
@pytest.mark.parametrize("text", ["3.1", "3.0", "35", "7.5"])
def test_recover_minus_ignores_the_bar_of_a_three(text: str, size: int, dpi: int) -> None:
    """A glyph cut by the crop edge (the middle bar of a 3) is not a minus sign."""
    grey, box = text_image(text, size, dpi)
    assert _recover_minus(grey, Word(text, box, 90.0)).text == text


@pytest.mark.parametrize("text", ["3.1", "0.5", "12"])
def test_recover_minus_finds_a_dropped_dash(text: str) -> None:
    """A dash left of the word (or boxed with it) is still prepended."""
    grey, box = text_image("-" + text)
    _, digits = text_image(text)
    # the OCR box of the digits alone: from the first digit to the right end of the ink
    word = Word(text, Box(box.right - digits.width, box.top, box.right, box.bottom), 90.0)
    assert _recover_minus(grey, word).text == "-" + text


def test_recover_minus_finds_a_light_grey_dash() -> None:
    """Vega-Lite's light grey labels: digits 100 levels off the background, the dash of a
    small label only 45 (antialiased): found at a share of the glyphs' own contrast."""
    grey, box = text_image("-0.4")
    _, digits = text_image("0.4")
    light = (249 - (249 - grey.astype(np.float32)) * 0.4).astype(np.uint8)  # digits ~150
    dash_rows = np.flatnonzero((grey[:, : box.right - digits.width] < 128).any(axis=1))
    dash = light[:, : box.right - digits.width]
    dash[dash < 249] = np.maximum(dash[dash < 249], 204)  # the dash fainter still
    light[dash_rows.min() : dash_rows.max() + 1, : box.right - digits.width] = dash[
        dash_rows.min() : dash_rows.max() + 1]
    word = Word("0.4", Box(box.right - digits.width, box.top, box.right, box.bottom), 90.0)
    assert _recover_minus(light, word).text == "-0.4"


def test_r_scientific_labels_with_the_one_read_as_a_letter() -> None:
    """R's "1e+06" read "le+06" is scientific notation, not a word or a guess."""
    got = parse_number("le+06")
    assert got is not None and got.value == 1e6 and not got.guessed
    assert parse_number("Ie-03").value == pytest.approx(1e-3)
    assert parse_number("le") is None
    # another digit read as its look-alike letter before a signed exponent
    for text, value in (("Se+06", 5e6), ("Ge+06", 6e6), ("-Be-03", -8e-3)):
        got = parse_number(text)
        assert got is not None and got.value == pytest.approx(value) and not got.guessed


def _line(pos: float, start: int, end: int, strength: float = 40.0) -> Line:
    return Line(pos, start, end, int(pos), int(pos), True, strength, 1.0)


def test_merge_pieces_joins_a_gridline_cut_by_data() -> None:
    pieces = [_line(100, 10, 200), _line(100.4, 260, 400), _line(150, 10, 400)]
    merged = sorted(merge_pieces(pieces), key=lambda ln: ln.pos)
    assert [(round(ln.pos), ln.start, ln.end) for ln in merged] == [(100, 10, 400), (150, 10, 400)]
    # two short pieces far apart are not one line
    assert len(merge_pieces([_line(100, 0, 50), _line(100, 300, 350)])) == 2


def test_axis_lines_cut_by_markers_bound_the_frame() -> None:
    """Vega: gridlines run a tick length past the axis lines; the axis line is broken."""
    hs = [_line(y, 51, 456) for y in (39, 66, 93, 174, 201, 228)]
    vs = [_line(x, 23, 278) for x in (96, 136, 176, 216, 456)]
    axis_x = _line(272, 57, 456, 119.0)
    axis_y = _line(56, 128, 278, 118.0)  # markers at the plot's left edge cut its top off
    frame = _frame_from_groups(hs, vs, 4.7, hs + [axis_x], vs + [axis_y])
    assert frame is not None
    assert frame.x_edges[0] == 56 and frame.y_edges[1] == 272


def test_crossing_gridlines_do_not_veto_the_frame() -> None:
    """Two long gridline pieces inside a closed frame are not a plot frame inside a border."""
    hl = [_line(47, 70, 615, 255.0), _line(429, 70, 615, 255.0), _line(110, 78, 547)]
    vl = [_line(68, 49, 429, 250.0), _line(615, 49, 429, 250.0), _line(128, 56, 265)]
    frame = frame_from_lines(hl, vl, (480, 640))
    assert frame is not None and frame.x_edges == (68, 615) and frame.y_edges == (47, 429)


def test_offset_reread_skips_a_title_running_past_the_corner() -> None:
    """Text reaching past the corner box (a title starting left of the plot) is no offset."""
    fig = plt.figure(figsize=(6.0, 1.0), dpi=100)
    fig.text(0.02, 0.5, "Latency (ms) vs. Step", fontsize=14, va="center")
    fig.text(0.75, 0.5, "1e6", fontsize=12, va="center")
    fig.canvas.draw()
    grey = cv2.cvtColor(np.asarray(fig.canvas.buffer_rgba())[..., :3].copy(),
                        cv2.COLOR_RGB2GRAY)
    plt.close(fig)
    assert _offset_word(grey, Box(100, 10, 400, 90), 14.0, "left") is None
    assert _offset_word(grey, Box(400, 10, 560, 90), 14.0, "left") == "1e6"


def test_panel_tiles_cut_by_a_white_grid_are_one_panel() -> None:
    """ggplot2: white major gridlines cut the grey panel into a grid of tiles."""
    # x, y, w, h, area of each tile (gridlines 3 px wide at x=418..420, y=318..320)
    stats = np.array([[0, 0, 600, 600, 0],
                      [97, 44, 321, 274, 86000], [421, 44, 168, 274, 46000],
                      [97, 321, 321, 224, 70000], [421, 321, 168, 224, 37000]])
    box = _merge_panel_pieces(Box(97, 44, 418, 318), stats, 600, 600)
    assert box == Box(97, 44, 589, 545)
    # a grey legend beside the panel, lined up with its top, stays out
    stats = np.array([[0, 0, 600, 600, 0], [97, 44, 400, 500, 190000],
                      [530, 44, 60, 120, 7000]])
    assert _merge_panel_pieces(Box(97, 44, 497, 544), stats, 600, 600) == Box(97, 44, 497, 544)


# -- charts drawn by gnuplot (skipped without it) ----------------------------------------------

needs_gnuplot = pytest.mark.skipif(shutil.which("gnuplot") is None, reason="gnuplot not installed")


def gnuplot_chart(tmp_path: Path, body: str, data: str, size: tuple[int, int] = (800, 500)
                  ) -> tuple[np.ndarray, list[float]]:
    """Draw ``body`` (gnuplot commands ending in a plot of ``$D``) and return the image and
    the axis limits gnuplot drew (x min, x max, y min, y max)."""
    png = tmp_path / "chart.png"
    script = (f"$D << EOD\n{data}\nEOD\n"
              f'set terminal pngcairo size {size[0]},{size[1]} enhanced font "Sans,11"\n'
              f'set output "{png}"\n{body}\n'
              "set print '-'\nprint GPVAL_X_MIN, GPVAL_X_MAX, GPVAL_Y_MIN, GPVAL_Y_MAX\n")
    res = subprocess.run(["gnuplot"], input=script, capture_output=True, text=True,
                         check=True, timeout=60)
    rgb = cv2.cvtColor(cv2.imread(str(png)), cv2.COLOR_BGR2RGB)
    return rgb, [float(v) for v in res.stdout.split()]


def _ends(amap: AxisMap) -> tuple[float, float]:
    lo, hi = amap.value_range
    return (min(lo, hi), max(lo, hi))


@needs_gnuplot
def test_gnuplot_shared_exponent_labels_are_linear(tmp_path: Path) -> None:
    """gnuplot's %h labels 2x10^6, 3x10^6... on a linear axis: linear, not log."""
    data = "\n".join(f"{k} {2e6 + 7e6 * (k % 5) / 4}" for k in range(12))
    rgb, lim = gnuplot_chart(tmp_path, "plot $D using 1:2 with linespoints notitle", data)
    layout = find_layout(rgb)
    _, y = calibrate(rgb, layout)
    assert y.scale == "linear"
    assert np.allclose(_ends(y), lim[2:], atol=0.002 * (lim[3] - lim[2]))


@needs_gnuplot
def test_gnuplot_power_labels_with_negative_exponents(tmp_path: Path) -> None:
    """10^{-1}, 10^{-2}: the superscript minus touches the 0 at a corner."""
    data = "\n".join(f"{k} {10 ** (-2 + 0.9 * k / 11)}" for k in range(12))
    body = ('set logscale y\nset format y "10^{%L}"\n'
            "plot $D using 1:2 with lines notitle")
    rgb, lim = gnuplot_chart(tmp_path, body, data, (1000, 600))
    _, y = calibrate(rgb, find_layout(rgb))
    assert y.scale == "log"
    got, want = np.log10(_ends(y)), np.log10(lim[2:])
    assert np.allclose(got, want, atol=0.002 * (want[1] - want[0]))


@needs_gnuplot
def test_gnuplot_day_first_dates_falling_from_their_ticks(tmp_path: Path) -> None:
    """dd/mm/yyyy labels set at -30 degrees (gnuplot's rotate by -30) read as dates."""
    data = "\n".join(f"2017-02-{d:02d} {(d * 7) % 11}" for d in range(10, 28))
    body = ('set xdata time\nset timefmt "%Y-%m-%d"\nset format x "%d/%m/%Y"\n'
            "set xtics rotate by -30\nplot $D using 1:2 with lines notitle")
    rgb, lim = gnuplot_chart(tmp_path, body, data, (900, 560))
    x, _ = calibrate(rgb, find_layout(rgb))
    assert x.scale == "date"
    want = np.array(lim[:2]) / 86400.0  # gnuplot's seconds since 1970 -> days
    assert np.allclose(_ends(x), want, atol=0.002 * (want[1] - want[0]))


# -- generated charts per renderer (skipped where the renderer is not installed) -------------

# corpus charts (seed 0) covering line, band and scatter charts on linear and log axes
CHARTS = {
    "ggplot": [8, 11, 23],
    "gnuplot": [0, 12, 24],
    "vegalite": [7, 10, 16],
}


def _renderer_available(name: str) -> bool:
    from renderers.common import available

    return available(name)


@pytest.mark.parametrize("renderer,index", [(r, i) for r, ix in CHARTS.items() for i in ix])
def test_generated_chart_accuracy(renderer: str, index: int, tmp_path: Path) -> None:
    """A generated chart: both axes within 0.2% of their span, right scale, points close."""
    if not _renderer_available(renderer):
        pytest.skip(f"{renderer} is not installed (scripts/install.sh --generator)")
    from renderers.common import render_chart

    from digitize.compare import compare_tables, years_as_dates
    from digitize.groundtruth import load_table
    from digitize.pipeline import read

    row = render_chart(renderer, index, 0, tmp_path)
    truth = load_table(tmp_path / f"{row['stem']}.json")
    result = read(str(tmp_path / row["image"]))
    pred = load_table(result)
    years_as_dates(truth, pred)  # whole-year labels are read as a date axis: compared as dates
    for axis in ("x", "y"):
        scale = getattr(truth, f"{axis}_scale")
        assert getattr(pred, f"{axis}_scale") == scale
        t = np.array(getattr(truth, f"{axis}_range"), float)
        p = np.array(getattr(pred, f"{axis}_range"), float)
        if scale == "log":
            t, p = np.log10(t), np.log10(p)
        assert np.all(np.abs(np.sort(p) - np.sort(t)) <= 0.002 * abs(t[1] - t[0])), (axis, p, t)
    report = compare_tables(truth, pred)
    errors = np.concatenate([pr.y_errors[np.isfinite(pr.y_errors)] for pr in report.pairs])
    assert len(report.pairs) >= 1 and float(np.median(errors)) <= 0.02


@needs_gnuplot
def test_gnuplot_key_swatches_right_of_their_labels(tmp_path: Path) -> None:
    """gnuplot's key writes the label, then the line sample: entries are read that way."""
    from digitize.legend import find_legend

    data = "\n".join(f"{k} {k % 4} {3 - k % 3}" for k in range(10))
    body = ('set key top left box\nset offsets 0, 0, graph 0.4, 0\n'
            'plot $D using 1:2 with lines lw 2 lc rgb "#d62728" title "alpha", '
            '$D using 1:3 with lines lw 2 lc rgb "#1f77b4" title "beta"')
    rgb, _ = gnuplot_chart(tmp_path, body, data)
    legend = find_legend(rgb, find_layout(rgb))
    assert [e.label for e in legend.entries] == ["alpha", "beta"]
    red, blue = (np.array(e.color, float) for e in legend.entries)
    assert red[0] > 150 > red[2] and blue[2] > 150 > blue[0]


def test_panel_edges_to_a_fraction_of_a_pixel() -> None:
    """A panel edge inside a pixel blends panel and figure: the edge is read from the blend."""
    lo, hi = 20.3, 80.6  # continuous coordinates of the panel's sides
    cols = np.arange(100) + 0.5
    cover = np.clip(np.minimum(cols + 0.5 - lo, hi - (cols - 0.5)), 0, 1)
    row = 255 - cover * (255 - 235)
    rgb = np.repeat(np.repeat(row[None, :, None], 100, axis=0), 3, axis=2).astype(np.uint8)
    rgb[:10] = rgb[90:] = 255
    box = Box(21, 10, 80, 90)  # the pixels of the panel colour
    (left, right), _ = _panel_edges(rgb, box, (235, 235, 235), (255, 255, 255))
    # index coordinates: pixel i is centred on i
    assert left == pytest.approx(lo - 0.5, abs=0.1) and right == pytest.approx(hi - 0.5, abs=0.1)
    # a spine drawn around the panel: the limit is the spine's centre
    rgb[:, 20] = rgb[:, 80] = 120
    (left, right), _ = _panel_edges(rgb, box, (235, 235, 235), (255, 255, 255))
    assert (left, right) == (20.0, 80.0)


def test_open_frame_end_from_the_line_itself() -> None:
    """The top of a left-bottom frame is where the left axis line fades (anti-aliased cap)."""
    profile = np.zeros(100)
    profile[24:90] = 170.0  # the line's pixels
    profile[23] = 17.0  # a tenth of a pixel of it
    assert _scan_end(profile, 26, -1) == pytest.approx(23.4)
    assert _scan_end(profile, 80, +1) == pytest.approx(89.5)


# -- the true plot box the renderers record ----------------------------------------------------

def _filled_span(profile: np.ndarray) -> tuple[float, float]:
    """Where a dark run along ``profile`` (ink 0..1) starts and ends, to a fraction of a pixel
    (image coordinates: the partial coverage of the edge pixels)."""
    inside = np.flatnonzero(profile > 0.99)
    first, last = inside[0], inside[-1]
    return first - profile[first - 1], last + 1 + profile[last + 1]


@needs_gnuplot
def test_gnuplot_plot_box_where_the_data_lands(tmp_path: Path) -> None:
    """A rectangle from data (2, 2) to (7, 7) on 0..10 axes lands where the box says."""
    from renderers.gnuplot import plot_box

    png = tmp_path / "box.png"
    script = ('set terminal pngcairo size 800,500\n'
              f'set output "{png}"\nset border 0\nunset xtics\nunset ytics\n'
              "set object 1 rect from 2, 2 to 7, 7 fc rgb 'black' fs solid noborder\n"
              "plot [0:10][0:10] -100 notitle\nset print '-'\n"
              "print GPVAL_TERM_XMIN, GPVAL_TERM_XMAX, GPVAL_TERM_YMIN, GPVAL_TERM_YMAX\n")
    res = subprocess.run(["gnuplot"], input=script, capture_output=True, text=True,
                         check=True, timeout=60)
    left, top, right, bottom = plot_box(tuple(float(v) for v in res.stdout.split()), 500)
    ink = 1.0 - cv2.imread(str(png), cv2.IMREAD_GRAYSCALE) / 255.0
    x_lo, x_hi = _filled_span(ink[250])
    y_lo, y_hi = _filled_span(ink[:, 400])
    assert np.allclose([x_lo, x_hi], [left + 0.2 * (right - left), left + 0.7 * (right - left)],
                       atol=0.1)
    assert np.allclose([y_lo, y_hi], [bottom - 0.7 * (bottom - top), bottom - 0.2 * (bottom - top)],
                       atol=0.1)


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_vegalite_view_box_where_the_data_lands(scale: float) -> None:
    """A Vega-Lite rectangle from (2.1, 2.1) to (7.1, 7.1) on 0..10 lands where the box says."""
    if not _renderer_available("vegalite"):
        pytest.skip("vl-convert is not installed (scripts/install.sh --generator)")
    import json

    import vl_convert as vlc
    from renderers.vegalite import view_box

    def quant(field: str) -> dict:
        return {"field": field, "type": "quantitative", "axis": {"grid": False},
                "scale": {"domain": [0, 10], "nice": False}}

    vl = json.dumps({"width": 300, "height": 200, "title": "A title",
                     "data": {"values": [{"x": 2.1, "y": 2.1, "x2": 7.1, "y2": 7.1}]},
                     "mark": {"type": "rect", "color": "black"},
                     "encoding": {"x": quant("x"), "x2": {"field": "x2"}, "y": quant("y"),
                                  "y2": {"field": "y2"}},
                     "config": {"background": "white", "view": {"stroke": None}}})
    left, top, right, bottom = view_box(vlc.vegalite_to_scenegraph(vl), scale)
    gray = cv2.imdecode(np.frombuffer(vlc.vegalite_to_png(vl, scale=scale), np.uint8),
                        cv2.IMREAD_GRAYSCALE)
    ink = 1.0 - gray / 255.0
    row, col = int((top + bottom) / 2), int(left + 0.45 * (right - left))
    x_lo, x_hi = _filled_span(ink[row, int(left) + 2:int(right) - 2])
    y_lo, y_hi = _filled_span(ink[int(top) + 2:int(bottom) - 2, col])
    w, h = right - left, bottom - top
    assert np.allclose([x_lo + int(left) + 2, x_hi + int(left) + 2],
                       [left + 0.21 * w, left + 0.71 * w], atol=0.1)
    assert np.allclose([y_lo + int(top) + 2, y_hi + int(top) + 2],
                       [bottom - 0.71 * h, bottom - 0.21 * h], atol=0.1)


def test_ggplot_panel_box_from_device_inches() -> None:
    from renderers.ggplot import panel_box

    box = panel_box([0.5, 5.5, 0.25, 3.75], {"dpi": 100, "size_in": [6.0, 4.0]})
    assert box == [50.0, 25.0, 550.0, 375.0]
