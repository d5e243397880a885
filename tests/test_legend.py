"""Legend reading on charts drawn with matplotlib."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy import ndimage  # noqa: E402

import digitize  # noqa: E402
from digitize.colors import lab_distance, to_lab  # noqa: E402
from digitize.geometry import Box  # noqa: E402
from digitize.layout import Layout, find_layout  # noqa: E402
from digitize.legend import (  # noqa: E402
    LegendEntry,
    TextLine,
    _consistent_entries,
    _crossing_colours,
    _entries_either_side,
    _fill_skipped_rows,
    _flat_unsure,
    _label_piece,
    _left_out_glyphs,
    _level_pieces,
    _line_beside_outlines,
    _neutral_ink,
    _text_ink_box,
    _tinted,
    _upright,
    _without_marker_word,
    _without_split_titles,
    _without_swatch_words,
    _without_tall_junk,
    classify_marker,
    find_legend,
    read_swatch,
    split_by_colour,
)
from digitize.ocr import Word  # noqa: E402


def _render(fig: plt.Figure) -> np.ndarray:
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    plt.close(fig)
    return rgb


def _plot_box(fig: plt.Figure, ax: plt.Axes) -> Box:
    fig.canvas.draw()
    bb = ax.get_window_extent()
    h = fig.canvas.get_width_height()[1]
    return Box(
        int(np.ceil(bb.x0)) + 1, int(np.ceil(h - bb.y1)) + 1, int(bb.x1) - 1, int(h - bb.y0) - 1
    )


def test_inside_legend_labels_colours_and_markers() -> None:
    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    x = np.arange(8)
    ax.plot(x, x * 0.5, "o-", color="#d62728", label="alpha run")
    ax.plot(x, 8 - x, "s-", color="#1f77b4", label="baseline")
    ax.legend(loc="upper center")
    box = _plot_box(fig, ax)
    rgb = _render(fig)
    legend = find_legend(rgb, Layout(plot_area=box))
    labels = [e.label for e in legend.entries]
    assert labels == ["alpha run", "baseline"]
    red, blue = legend.entries
    assert np.abs(np.subtract(red.color, (214, 39, 40))).max() < 12
    assert np.abs(np.subtract(blue.color, (31, 119, 180))).max() < 12
    assert red.marker == "o" and blue.marker == "s"
    assert legend.box is not None and legend.box.intersects(box)


def test_marker_shapes_from_swatches() -> None:
    hits = 0
    shapes = "osD^v"
    for shape in shapes:
        fig = plt.figure(figsize=(1, 0.4), dpi=150)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.axis("off")
        ax.plot([0, 1, 2], [0, 0, 0], marker=shape, color="k", markevery=[1], ms=7)
        ax.set_xlim(-0.2, 2.2)
        rgb = _render(fig)
        marker, has_line = classify_marker(rgb.mean(axis=2) < 128)
        hits += marker == shape
        assert has_line
    assert hits == len(shapes)


def _entry(label: str, top: int, left: int, color: tuple[int, int, int]) -> LegendEntry:
    return LegendEntry(label, color, None, True, Box(left + 30, top, left + 90, top + 12),
                       Box(left, top + 4, left + 24, top + 8))


def test_labels_are_read_again_only_for_the_legend_chosen():
    column = [_entry("alpha", 20 + 18 * k, 400, c)
              for k, c in enumerate([(31, 119, 180), (255, 127, 14), (44, 160, 44)])]
    stray = _entry("tick", 300, 50, (200, 0, 0))  # a swatch-like stroke beside a word
    junk = _entry("~", 250, 200, (0, 0, 200))  # no word: read again before it is judged
    relabelled: list[str] = []

    def relabel(entry: LegendEntry) -> None:
        relabelled.append(entry.label)
        entry.label = entry.label.upper()

    kept = _consistent_entries(column + [stray, junk], [90.0] * 5, relabel)
    assert [e.label for e in kept] == ["ALPHA"] * 3
    assert sorted(relabelled) == ["alpha"] * 3 + ["~"]


@pytest.mark.parametrize("style", ["-", "--", ":", "-."])
@pytest.mark.parametrize("width", [1.0, 1.5, 2.5, 3.5])
def test_plain_line_swatches_have_no_marker(style: str, width: float) -> None:
    fig = plt.figure(figsize=(0.6, 0.25), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.axis("off")
    ax.plot([0, 1], [0, 0], linestyle=style, linewidth=width, color="k")
    ax.set_xlim(-0.05, 1.05)
    rgb = _render(fig)
    marker, has_line = classify_marker(rgb.mean(axis=2) < 128)
    assert (marker, has_line) == (None, True)


def test_a_flat_unsure_word_before_a_label_is_its_swatch() -> None:
    dots = Word("cerens", Box(522, 359, 557, 362), 0.0)  # a dotted swatch read as text
    label = Word("ours", Box(570, 356, 605, 366), 93.0)
    assert _without_marker_word(TextLine([dots, label])).text == "ours"
    # a real first word, as tall as the rest, stays even when read unsure
    first = Word("model", Box(520, 356, 560, 366), 20.0)
    assert _without_marker_word(TextLine([first, label])).text == "model ours"


def test_a_row_ocr_skipped_is_read_between_its_neighbours() -> None:
    # in a chart like this one Tesseract read the plot without "ours" beside its swatch
    with plt.style.context("bmh"):
        fig, ax = plt.subplots(figsize=(6.76, 4.05), dpi=120, layout="constrained")
        x = np.arange(20)
        for name, color, style, y0 in [("validation", "tab:orange", "--", 60),
                                       ("ours", "black", "-", 45), ("baseline", "tab:purple",
                                                                    "-", 30)]:
            ax.plot(x, y0 + 5 * np.sin(x / 3 + y0), color=color, linestyle=style, lw=1.5,
                    label=name)
        ax.legend(loc="lower right")
        box = _plot_box(fig, ax)
        rgb = _render(fig)
    legend = find_legend(rgb, Layout(plot_area=box))
    assert [e.label for e in legend.entries] == ["validation", "ours", "baseline"]
    assert max(legend.entries[1].color) < 60
    # the middle row skipped by the first reading is found again from its neighbours
    first, _, last = legend.entries
    filled = _fill_skipped_rows(rgb, [first, last])
    assert [e.label for e in filled] == ["validation", "ours", "baseline"]
    assert max(filled[1].color) < 60 and filled[1].has_line
    # nothing is made up where no row was skipped
    assert len(_fill_skipped_rows(rgb, legend.entries)) == 3


def test_one_letter_ends_a_label_only_after_a_word() -> None:
    from digitize.geometry import Box
    from digitize.legend import _follows
    from digitize.ocr import Word

    batch = Word("Batch", Box(100, 20, 160, 36), 90.0)
    assert _follows(Word("A", Box(168, 20, 180, 36), 95.0), [batch])
    assert not _follows(Word("A", Box(230, 20, 242, 36), 95.0), [batch])  # too far
    assert not _follows(Word("A", Box(168, 60, 180, 76), 95.0), [batch])  # another line


def _swatch_mask(marker: str, ms: float, dpi: int, *, numpoints: int = 1,
                 edge: str | None = None) -> np.ndarray:
    """A legend-like swatch (a level line with ``numpoints`` markers) as an ink mask."""
    fig = plt.figure(figsize=(0.6, 0.2), dpi=dpi)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.axis("off")
    every = [1] if numpoints == 1 else [0, 2]
    ax.plot([0.15, 0.5, 0.85], [0, 0, 0], marker=marker, color="tab:purple", ms=ms,
            markevery=every, markeredgecolor=edge or "tab:purple")
    ax.set_xlim(0, 1)
    rgb = _render(fig).astype(int)
    purple = np.array([148, 103, 189])
    return np.abs(rgb - purple).max(axis=2) < 40


@pytest.mark.parametrize("dpi", [80, 100, 120])
def test_a_small_disc_is_no_square(dpi: int) -> None:
    # a disc a few pixels wide fits a square's outline about as well: its corners tell
    assert classify_marker(_swatch_mask("o", 5, dpi))[0] == "o"
    assert classify_marker(_swatch_mask("s", 5, dpi))[0] == "s"


def test_one_marker_of_two_is_classified() -> None:
    # matplotlib's classic style draws two markers per swatch, the line between them
    for shape in "so":
        marker, has_line = classify_marker(_swatch_mask(shape, 7, 120, numpoints=2,
                                                        edge="black"))
        assert (marker, has_line) == (shape, True)


@pytest.mark.parametrize("dpi", [100, 150])
def test_x_marker_swatch(dpi: int) -> None:
    fig = plt.figure(figsize=(1, 0.4), dpi=dpi)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.axis("off")
    ax.plot([0, 1, 2], [0, 0, 0], marker="x", color="k", markevery=[1], ms=7)
    ax.set_xlim(-0.2, 2.2)
    marker, has_line = classify_marker(_render(fig).mean(axis=2) < 128)
    assert (marker, has_line) == ("x", True)


def test_swatches_starting_together_make_a_column_only_when_drawn_alike() -> None:
    """Labels whose boxes start up to a text height apart are one column when their swatches
    start together and are of one size; two unlike blobs read inside the plot are not."""
    from digitize.legend import LegendEntry, _same_legend

    def entry(sw: Box, tx: Box) -> LegendEntry:
        return LegendEntry("a", (0, 0, 200), None, True, tx, sw, ())

    line_a = entry(Box(664, 296, 693, 300), Box(694, 284, 764, 304))
    line_b = entry(Box(666, 316, 695, 320), Box(706, 312, 766, 326))
    assert _same_legend(line_a, line_b)
    tall = entry(Box(621, 289, 627, 313), Box(628, 301, 664, 326))
    dot = entry(Box(614, 369, 621, 376), Box(673, 373, 686, 424))
    assert not _same_legend(tall, dot)


def test_a_title_split_at_a_symbol_is_no_legend_line() -> None:
    def line(text: str, left: int) -> TextLine:
        words, x = [], left
        for t in text.split():
            words.append(Word(t, Box(x, 5, x + 10 * len(t), 33), 90.0))
            x += 10 * len(t) + 8
        return TextLine(words)

    head, tail, other = line("Score per epoch (mean", 460), line("sd)", 864), line("sd)", 864)
    other.words[0] = Word("sd)", Box(864, 300, 894, 328), 90.0)
    kept = _without_split_titles([head, tail, other], {"Score per epoch (mean sd)"})
    assert kept == [other]


def _key_below(labels: list[str], colors: list[str], pitch: float) -> tuple[np.ndarray, Box]:
    """A scatter chart with a gnuplot-style key under the axes: each label right-aligned, its
    marker right of it, the entries at a fixed pitch (a figure fraction)."""
    from matplotlib.lines import Line2D

    fig = plt.figure(figsize=(9, 5.6), dpi=100)
    ax = fig.add_axes((0.08, 0.16, 0.88, 0.78))
    rng = np.random.default_rng(3)
    for c in colors:
        ax.plot(rng.uniform(0, 10, 15), rng.uniform(0, 10, 15), "s", color=c, ms=5)
    ax.set_xticks([])
    ax.set_yticks([])
    for k, (name, c) in enumerate(zip(labels, colors, strict=True)):
        x = 0.42 + k * pitch
        fig.text(x, 0.03, name, ha="right", va="center", fontsize=11)
        fig.add_artist(Line2D([x + 0.025], [0.03], marker="s", color=c, ms=5,
                              transform=fig.transFigure))
    box = _plot_box(fig, ax)
    return _render(fig), box


@pytest.mark.parametrize("labels", [["north", "south", "east"],
                                    ["baseline", "ours", "ours + aug", "ablation"]])
def test_key_below_with_swatches_right_of_labels(labels: list[str]) -> None:
    """Each label takes the marker right of it, not its left neighbour's; the key's wide,
    fixed-pitch gaps (short labels right-aligned) still make one row."""
    colors = ["#4c72b0", "#dd8452", "#55a868", "#c44e52"][: len(labels)]
    rgb, box = _key_below(labels, colors, 0.15)
    legend = find_legend(rgb, Layout(plot_area=box))
    found = {e.label: e.color for e in legend.entries}
    assert sorted(found) == sorted(labels)
    for name, c in zip(labels, colors, strict=True):
        want = np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)])
        assert np.abs(np.subtract(found[name], want)).max() < 20


def test_a_coloured_letter_is_a_swatch_read_as_text() -> None:
    from digitize.legend import _coloured_glyph

    rgb = np.full((30, 60, 3), 255, np.uint8)
    rgb[10:18, 10:18] = (221, 132, 82)  # an orange square read as "o"
    rgb[10:18, 40:42] = 20  # a black letter "l"
    rgb[10:18, 44:48] = 20
    assert _coloured_glyph(rgb, TextLine([Word("o", Box(10, 10, 18, 18), 40.0)]))
    assert not _coloured_glyph(rgb, TextLine([Word("ll", Box(40, 10, 48, 18), 80.0)]))
    # a word of three letters is text whatever its colour
    assert not _coloured_glyph(rgb, TextLine([Word("abc", Box(10, 10, 18, 18), 80.0)]))


def test_a_frame_corner_beside_a_tall_text_box_is_no_swatch() -> None:
    """OCR boxed a tick with the first label (a text box twice too tall): the region searched
    for its swatch takes in the legend frame's corner, grey ink running on past two of its
    sides; the swatch is the green marker inside, not the frame."""
    from digitize.legend import read_swatch

    rgb = np.full((120, 300, 3), 255, np.uint8)
    rgb[28:30, 120:300] = 30  # the frame's top edge ...
    rgb[28:120, 120:122] = 30  # ... and its left edge
    rgb[36:47, 160:172] = (0, 100, 40)  # the swatch
    rgb[40:50, 204:276:4] = 20  # the label's strokes
    got = read_swatch(rgb, Box(200, 20, 280, 58), 0)
    assert got is not None
    color, _, _, box, _ = got
    assert np.abs(np.subtract(color, (0, 100, 40))).max() < 12
    assert box.left >= 158 and box.right <= 174


def test_one_ink_read_twice_in_a_jpeg_is_one_entry() -> None:
    """Two swatches of one marker whose colours differ by JPEG noise (dE about 5) are one ink
    (a misread): the first is kept; a near shade of a sequential palette (dE 13) stays."""
    def entry(label: str, color: tuple, top: int) -> LegendEntry:
        return LegendEntry(label, color, "D", False, Box(40, top, 120, top + 14),
                           Box(20, top + 2, 30, top + 12), ())

    jpeg = [entry("alpha", (212, 84, 66), 10), entry("beta", (215, 75, 66), 30)]
    assert [e.label for e in _consistent_entries(jpeg, [90.0, 90.0])] == ["alpha"]
    shades = [entry("alpha", (212, 84, 66), 10), entry("beta", (235, 120, 95), 30)]
    assert len(_consistent_entries(shades, [90.0, 90.0])) == 2


def _handle_crossed(crossing: str, style: str = "-") -> np.ndarray:
    """A legend handle (blue, level, with ``style``) with a data line of colour ``crossing``
    running across it, as a frameless legend drawn over the data shows it; pixels 0..160 x
    0..40, the handle from x=40 to x=72 at y=20, its label's box at x=80..150."""
    fig = plt.figure(figsize=(1.6, 0.4), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.axis("off")
    ax.set_xlim(0, 160)
    ax.set_ylim(40, 0)
    ax.plot([40, 72], [20, 20], color="#1f77b4", lw=2.5, linestyle=style)
    ax.plot([38, 68], [0, 40], color=crossing, lw=2.5)
    return _render(fig)


@pytest.mark.parametrize("style", ["-", "--"])
def test_a_line_of_another_colour_crossing_a_handle_is_no_part_of_it(style: str) -> None:
    rgb = _handle_crossed("#9467bd", style)
    sw = read_swatch(rgb, Box(80, 14, 150, 26), 0)
    assert sw is not None
    color, marker, has_line, box, dashes = sw
    assert np.abs(np.subtract(color, (31, 119, 180))).max() < 12
    assert (marker, has_line) == (None, True)
    assert box.height <= 6 and box.left <= 41  # the handle's rows, the whole handle
    assert bool(dashes) == (style == "--")


def test_pieces_are_split_by_colour() -> None:
    rgb = _handle_crossed("#d62728")
    lab = to_lab(rgb)
    far = lab_distance(lab, (255, 255, 255))
    ink = far > 18
    labels, n, colour_of = split_by_colour(ink, lab, far, to_lab(
        np.array([255, 255, 255], np.uint8).reshape(1, 3))[0])
    assert len(set(colour_of[1:].tolist())) == 2
    # the handle's middle row holds blue pieces only, of one colour
    row = labels[20, 42:70]
    kinds = {int(colour_of[k]) for k in row[row > 0]}
    assert len(kinds) == 2  # blue, and red where the line crosses
    blue = np.median(rgb[20, 42:46], axis=0)
    assert np.abs(blue - (31, 119, 180)).max() < 12
    # one colour alone: plain labelling
    one = np.zeros((10, 30), bool)
    one[4:6, 2:12] = one[4:6, 16:28] = True
    _, m, kinds1 = split_by_colour(one, np.zeros((10, 30, 3), np.float32) + [50, 0, -40],
                                   np.full((10, 30), 40.0), np.array([100.0, 0, 0]))
    assert m == 2 and set(kinds1.tolist()) == {0}


def test_pale_rims_of_coloured_lines_are_tints_grey_text_is_not() -> None:
    pixels = np.array([[[214, 39, 40], [245, 200, 200], [248, 228, 228], [200, 218, 232],
                        [0, 0, 0], [120, 120, 120], [225, 225, 225], [60, 52, 52]]], np.uint8)
    tinted = _tinted(to_lab(pixels))[0]
    assert tinted.tolist() == [True, True, True, True, False, False, False, False]


def test_a_flattish_unsure_word_a_swatch_gap_before_a_label_is_its_swatch() -> None:
    dots = Word("DEY", Box(706, 451, 740, 457), 0.0)  # a dotted handle read as a word
    label = Word("ours", Box(754, 450, 789, 459), 93.0)
    assert _without_marker_word(TextLine([dots, label])).text == "ours"
    # a short unsure word a space before the next is a word of the label
    first = Word("ours", Box(700, 452, 735, 458), 40.0)
    model = Word("model", Box(740, 449, 789, 459), 93.0)
    assert _without_marker_word(TextLine([first, model])).text == "ours model"
    # such a stroke does not stop the search for the label's swatch; a sure word does
    assert _flat_unsure(TextLine([dots]), label.box)
    assert not _flat_unsure(TextLine([Word("A", Box(706, 450, 716, 459), 90.0)]), label.box)


def test_pieces_off_the_handle_row_are_left_out() -> None:
    labels = np.zeros((20, 60), np.int32)
    for k, x in enumerate(range(2, 42, 8)):  # a dotted handle on rows 9..11
        labels[9:12, x : x + 3] = k + 1
    labels[1:4, 44:47] = 6  # dots of a data line passing by, off its row
    labels[15:18, 50:53] = 7
    candidates = [(k, int(np.flatnonzero((labels == k).any(axis=0))[0]),
                   int(np.flatnonzero((labels == k).any(axis=0))[-1]) + 1) for k in range(1, 8)]
    kept = _level_pieces(labels, candidates, 10)
    assert [k for k, _, _ in kept] == [1, 2, 3, 4, 5]
    # a marker on its line: one row, all kept
    marker = [(1, 2, 20), (2, 20, 28), (3, 28, 50)]
    flat = np.zeros((20, 60), np.int32)
    flat[9:12, 2:20], flat[6:15, 20:28], flat[9:12, 28:50] = 1, 2, 3
    assert _level_pieces(flat, marker, 10) == marker
    # a solid handle (one piece) keeps a piece of its colour beside it, off its row, as before
    solid = np.zeros((20, 60), np.int32)
    solid[9:12, 20:50] = 1
    solid[2:6, 2:14] = 2
    pair = [(1, 20, 50), (2, 2, 14)]
    assert _level_pieces(solid, pair, 10) == pair


def test_text_on_its_side_is_no_legend_label() -> None:
    upright = TextLine([Word("Voltage", Box(100, 50, 160, 62), 90.0)])
    turned = TextLine([Word("Voltage", Box(8, 530, 36, 634), 88.0)])  # a y-axis title
    assert _upright(upright)
    assert not _upright(turned)
    assert _upright(TextLine([Word("A", Box(10, 10, 16, 22), 90.0)]))  # one tall letter
    # a turned title's word grouped with tick labels beside it: the line's box is wide
    mixed = TextLine([Word("(USD)", Box(4, 82, 20, 125), 90.0),
                      Word("4", Box(40, 110, 47, 122), 76.0),
                      Word("x10", Box(50, 110, 75, 122), 52.0)])
    assert mixed.box.height <= 1.5 * mixed.box.width
    assert not _upright(mixed)


def test_neutral_ink_leaves_text_on_white_alone() -> None:
    # a label's crop: the text stays dark, a blue line's pale rim across it goes white
    crop = np.full((20, 60, 3), 255, np.uint8)
    crop[5:15, 4:6] = 40  # a letter's stem
    crop[8, 10:28] = (31, 119, 180)  # a line's core
    crop[9, 10:28] = (210, 228, 240)  # and its pale rim
    grey = _neutral_ink(crop)
    assert grey[5:15, 4:6].max() < 80
    assert grey[8:10, 10:28].min() == 255
    # on a grey-blue face (seaborn darkgrid) the face goes white
    crop[crop.min(axis=2) == 255] = (234, 234, 242)
    grey = _neutral_ink(crop[:, :30])
    assert grey[5:15, 4:6].max() < 80
    assert grey[0].min() == 255 and grey[:, -1].min() == 255


def test_a_coloured_swatch_read_as_a_word_is_no_part_of_its_label() -> None:
    # a bar's swatch (navy, black edge) OCR reads as 'BI' before the label 'Sales'
    rgb = np.full((30, 120, 3), (234, 234, 242), np.uint8)
    rgb[8:21, 5:36] = 0
    rgb[9:20, 6:35] = (0, 28, 127)
    rgb[10:20, 50:52] = 30  # a letter's stem
    swatch = Word("BI", Box(5, 8, 36, 21), 30.0)
    label = Word("Sales", Box(45, 8, 83, 21), 87.0)
    def texts(image: np.ndarray, line: TextLine) -> list[str]:
        return [part.text for part in _without_swatch_words(image, line)]

    assert texts(rgb, TextLine([swatch, label])) == ["Sales"]
    # a sure word, or a word of black text, stays
    assert texts(rgb, TextLine([Word("BI", swatch.box, 90.0), label])) == ["BI Sales"]
    dark = rgb.copy()
    dark[9:20, 6:35] = 20
    assert texts(dark, TextLine([swatch, label])) == ["BI Sales"]


def test_a_swatch_read_as_a_word_between_two_labels_splits_the_row() -> None:
    """A horizontal legend's next swatch, OCR'd as 'w' between two labels, ends the first
    label and starts the second ("lr=1e-3 w lr=3e-4" is two entries); a black word between
    two words stays in its line."""
    rgb = np.full((30, 200, 3), 255, np.uint8)
    rgb[10:20, 80:90] = (78, 124, 174)  # the second entry's square swatch
    first = Word("lr=1e-3", Box(20, 9, 70, 21), 90.0)
    swatch = Word("w", Box(80, 10, 90, 20), 40.0)
    second = Word("lr=3e-4", Box(95, 9, 145, 21), 90.0)
    parts = _without_swatch_words(rgb, TextLine([first, swatch, second]))
    assert [p.text for p in parts] == ["lr=1e-3", "lr=3e-4"]
    dark = rgb.copy()
    dark[10:20, 80:90] = 20
    parts = _without_swatch_words(dark, TextLine([first, swatch, second]))
    assert [p.text for p in parts] == ["lr=1e-3 w lr=3e-4"]


def test_only_a_line_running_across_the_handle_crosses_it() -> None:
    # region 24 rows, text middle row 12, text height 12; a dashed handle (colour 1) on row 12
    labels = np.zeros((24, 60), np.int32)
    labels[11:14, 20:28] = 1
    labels[11:14, 32:40] = 2
    labels[0, 5:60] = labels[:, 5] = 3  # a frame's corner (colour 0): beside the handle
    colour_of = np.array([0, 1, 1, 0])
    candidates = [(1, 20, 28), (2, 32, 40)]
    assert _crossing_colours(labels, colour_of, candidates, 12.0, 12) == set()
    # a line of colour 2 cut in two by the handle, running out at the top and the bottom
    for r in range(11):
        labels[r, 24 + r // 2] = 4
        labels[23 - r, 36 - r // 2] = 5
    colour_of = np.array([0, 1, 1, 0, 2, 2])
    candidates += [(4, 24, 30), (5, 31, 37)]
    assert _crossing_colours(labels, colour_of, candidates, 12.0, 12) == {2}


def _grey_handle() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A pale grey line (a JPEG's thin light-blue line, its chroma lost) through two markers
    outlined in black, on white: the region, its ink and each pixel's distance from white."""
    region = np.full((12, 40, 3), 255, np.uint8)
    region[6, 2:38] = (165, 172, 176)  # the line
    for x0 in (6, 30):
        region[3:10, x0 : x0 + 4] = (30, 32, 34)  # outline
        region[5:8, x0 + 1 : x0 + 3] = (150, 160, 165)  # face
    lab = to_lab(region)
    far = lab_distance(lab, (255, 255, 255))
    return region, lab, far


def test_a_swatch_of_black_outlined_markers_takes_its_lines_colour() -> None:
    region, lab, far = _grey_handle()
    keep = far > 18
    core = keep & (far >= np.percentile(far[keep], 70))
    line = _line_beside_outlines(keep, lab, far, core)
    assert line.any() and not (line & (region[..., 0] < 60)).any()
    assert np.median(region[line][:, 0]) > 150  # the grey line, not the black outlines
    # a black series' line: nothing to take instead
    black = region.copy()
    black[6, 2:38] = (30, 32, 34)
    lab_b = to_lab(black)
    far_b = lab_distance(lab_b, (255, 255, 255))
    keep_b = far_b > 18
    core_b = keep_b & (far_b >= np.percentile(far_b[keep_b], 70))
    assert not _line_beside_outlines(keep_b, lab_b, far_b, core_b).any()


def test_a_glyph_the_ocr_left_out_of_the_label_is_no_swatch() -> None:
    h = 10
    region = np.full((20, 45, 3), 255, np.uint8)
    region[9:11, 4:24] = (2, 158, 115)  # the swatch, a gap away from the text
    region[5:15, 42:45] = (35, 35, 35)  # an 'l' touching the text's box
    lab = to_lab(region)
    ink = lab_distance(lab, (255, 255, 255)) > 18
    labels, _ = ndimage.label(ink, structure=np.ones((3, 3), bool))
    glyph = _left_out_glyphs(labels, lab, h, "left")
    assert glyph[5:15, 42:45].all() and not glyph[9:11, 4:24].any()
    # a coloured handle reaching the text's box is no glyph
    region[5:15, 42:45] = (2, 158, 115)
    lab = to_lab(region)
    assert not _left_out_glyphs(labels, lab, h, "left").any()


def test_a_glyph_as_tall_as_the_text_box_stays_in_the_label() -> None:
    # 'lr=1e-3' on seaborn's grey-blue face: the 'l' fills the word box's rows; cut to those
    # rows it would look like a long grid stroke and be trimmed off the label
    rgb = np.full((40, 80, 3), (234, 234, 242), np.uint8)
    rgb[15:24, 20:22] = 55  # the 'l', top to bottom of the box
    rgb[18:24, 25:27] = 55  # the 'r'
    rgb[18, 27:30] = 55
    rgb[19:24, 33:37] = 55  # more text
    box = Box(20, 15, 40, 24)
    assert _text_ink_box(rgb, box) == Box(20, 15, 37, 24)
    # a coloured swatch boxed with the text is still trimmed off
    rgb[15:24, 20:22] = (234, 234, 242)
    rgb[17:22, 20:24] = (214, 74, 89)
    assert _text_ink_box(rgb, box).left == 25


def test_a_tall_unsure_word_at_a_labels_end_is_a_data_stroke() -> None:
    junk = Word("NEEP=S", Box(82, 39, 900, 188), 18.0)  # strokes inside the plot
    label = [Word("&", Box(1033, 52, 1045, 66), 38.0), Word("baseline", Box(1050, 49, 1152, 67),
                                                             91.0)]
    assert _without_tall_junk(TextLine([junk, *label])).text == "& baseline"
    assert _without_tall_junk(TextLine([*label, junk])).text == "& baseline"
    # a sure tall word stays (a capital beside small words is not twice as tall)
    sure = Word("Big", Box(0, 0, 30, 60), 90.0)
    assert _without_tall_junk(TextLine([sure, *label])).text == "Big & baseline"
    # an unsure label beside its flat swatch read as a word stays whole
    swatch_word = Word("ceeen", Box(788, 1115, 840, 1119), 0.0)
    unsure = Word("r=l1e-4", Box(850, 1105, 971, 1127), 22.0)
    assert _without_tall_junk(TextLine([swatch_word, unsure])).text == "ceeen r=l1e-4"


def test_marker_outlines_read_as_letters_are_no_part_of_a_label() -> None:
    def line(*texts: str) -> TextLine:
        return TextLine([Word(t, Box(10 + 40 * k, 0, 40 + 40 * k, 20), 65.0)
                         for k, t in enumerate(texts)])

    assert _without_marker_word(line("vV", "vV", "Model", "B")).text == "Model B"
    assert _without_marker_word(line("VvV", "Model")).text == "Model"
    assert _without_marker_word(line("Do", "it")).text == "Do it"  # a word, not outlines
    assert _without_marker_word(line("vV")).text == "vV"  # nothing after: left alone


def _legend_row_on_top(labels: list[str], colors: list[str], pale: bool) -> np.ndarray:
    """Lines under a title and a row of legend entries (``pale``: the swatches are discs in
    a 30% tint of the lines' colours, as Vega draws a line-and-band series' symbol)."""
    from matplotlib.lines import Line2D

    fig = plt.figure(figsize=(8, 5), dpi=100)
    ax = fig.add_axes((0.08, 0.08, 0.88, 0.72))
    x = np.arange(10)
    for k, c in enumerate(colors):
        ax.plot(x, x * (k + 1), color=c, lw=2)
    fig.text(0.5, 0.95, "Loss per step", ha="center", va="center", fontsize=14)
    for k, (name, c) in enumerate(zip(labels, colors, strict=True)):
        x0 = 0.12 + 0.17 * k
        if pale:
            fig.add_artist(Line2D([x0 + 0.02], [0.86], marker="o", ms=10, ls="", color=c,
                                  alpha=0.3, markeredgewidth=0, transform=fig.transFigure))
        else:
            fig.add_artist(Line2D([x0, x0 + 0.03], [0.86, 0.86], color=c, lw=2,
                                  transform=fig.transFigure))
        fig.text(x0 + 0.04, 0.86, name, ha="left", va="center", fontsize=12)
    return _render(fig)


def test_a_legend_row_taken_for_the_title_is_read() -> None:
    """Vega's legend on top: a row of swatches and labels between the title and the plot.
    The layout took the row nearest the plot for the title; its swatches make it a legend
    all the same. Swatches that are pale tints of the plot's lines are read as faint
    (pale patches: they name the line they tint, not a band of their colour as a series),
    and the series take the legend's names."""
    labels = ["alpha", "bravo", "charlie"]
    colors = ["#4c72b0", "#dd8452", "#55a868"]
    rgb = _legend_row_on_top(labels, colors, pale=True)
    legend = find_legend(rgb, find_layout(rgb))
    assert sorted(e.label for e in legend.entries) == labels
    assert all(e.faint for e in legend.entries)
    result = digitize.read(rgb, agreement=False)
    for series in result.series:
        want = colors[labels.index(series.name)]
        rgb_want = np.array([int(want[i : i + 2], 16) for i in (1, 3, 5)])
        assert np.abs(np.subtract(series.color, rgb_want)).max() < 25
    rgb = _legend_row_on_top(labels, colors, pale=False)
    layout = find_layout(rgb)
    assert layout.title == " ".join(labels)  # the row, not "Loss per step"
    legend = find_legend(rgb, layout)
    found = {e.label: e.color for e in legend.entries}
    assert sorted(found) == labels
    for name, c in zip(labels, colors, strict=True):
        want = np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)])
        assert np.abs(np.subtract(found[name], want)).max() < 20
    # and the row is no longer reported as the chart's title
    assert legend.title_row
    assert digitize.read(rgb, agreement=False).layout.title is None


def test_swatches_read_alike_but_drawn_apart_stay_two_entries() -> None:
    """Two swatches of one colour both read as one marker (a JPEG's small square and
    triangle read 'o') are two series told apart by shape: both kept. A third swatch drawn
    as the first (one picture read twice) is still dropped."""
    from digitize.legend import _drawn_apart

    purple = (148, 103, 189)
    rgb = np.full((110, 200, 3), 255, np.uint8)
    yy, xx = np.mgrid[0:110, 0:200]
    for cy in (20, 80):  # squares on a line
        rgb[cy - 1 : cy + 1, 10:42] = purple
        rgb[cy - 4 : cy + 4, 22:30] = purple
    rgb[49:51, 10:42] = purple  # a triangle on a line
    rgb[(yy >= 45) & (yy <= 54) & (np.abs(xx - 26) <= (yy - 45) * 0.6)] = purple

    def entry(label: str, cy: int) -> LegendEntry:
        return LegendEntry(label, purple, "o", True, Box(50, cy - 7, 120, cy + 7),
                           Box(10, cy - 5, 42, cy + 5), ())

    entries = [entry("train", 20), entry("test", 50), entry("again", 80)]
    kept = _consistent_entries(entries, [90.0] * 3, None,
                               lambda a, b: _drawn_apart(rgb, a, b))
    assert [e.label for e in kept] == ["train", "test"]


def test_a_thin_dotted_handle_is_a_swatch() -> None:
    # matplotlib's classic ':' at 1 px: dots of 2 pixels, each too small for a swatch piece
    rgb = np.full((40, 160, 3), 255, np.uint8)
    for x in range(20, 50, 5):
        rgb[20, x : x + 2] = (214, 39, 40)
    sw = read_swatch(rgb, Box(60, 14, 140, 27), 0)
    assert sw is not None
    color, marker, has_line, box, _ = sw
    assert np.abs(np.subtract(color, (214, 39, 40))).max() < 20
    assert (marker, has_line) == (None, True)
    assert box.left <= 21 and box.right >= 46


def test_scattered_specks_are_no_dotted_handle() -> None:
    rgb = np.full((40, 160, 3), 255, np.uint8)
    for x, y in ((20, 12), (27, 25), (33, 17), (41, 29), (48, 21)):
        rgb[y, x : x + 2] = (214, 39, 40)
    assert read_swatch(rgb, Box(60, 14, 140, 27), 0) is None


def test_a_legend_box_grows_to_its_frame() -> None:
    from digitize.legend import framed

    rgb = np.full((120, 200, 3), 255, np.uint8)
    rgb[20:23, 30:171] = 0  # top
    rgb[97:100, 30:171] = 0  # bottom
    rgb[20:100, 30:33] = 0  # left
    rgb[20:100, 168:171] = 0  # right
    rgb[110:112, :] = 0  # an axis below, beyond the frame
    assert framed(rgb, Box(38, 26, 160, 93), 12) == Box(30, 20, 171, 100)
    # no frame: one line within reach (the axis) is no frame
    bare = np.full((120, 200, 3), 255, np.uint8)
    bare[100:102, :] = 0
    assert framed(bare, Box(38, 26, 160, 93), 12) == Box(38, 26, 160, 93)


def test_markers_at_the_plot_edge_are_no_part_of_a_legend_outside() -> None:
    # Vega-style: a legend just right of the plot, each swatch a few pixels from a darker
    # marker of another colour at the plot's right edge, level with it
    fig = plt.figure(figsize=(5, 3), dpi=100)
    ax = fig.add_axes((0.1, 0.1, 0.62, 0.8))
    for spine in ax.spines.values():
        spine.set_color("#dddddd")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    for colour, label in (("#f58518", "run one"), ("#54a24b", "run two"),
                          ("#e45756", "run three")):
        ax.plot([], [], "<", mfc="none", color=colour, ms=7, label=label)
    legend = fig.legend(loc="upper left", bbox_to_anchor=(0.725, 0.9), frameon=False,
                        handlelength=0.8, handletextpad=0.3, borderaxespad=0, borderpad=0,
                        fontsize=12)
    fig.canvas.draw()
    rows = [ax.transData.inverted().transform(t.get_window_extent().get_points().mean(axis=0))[1]
            for t in legend.get_texts()]
    ax.plot(np.full(len(rows), 0.985), rows, "s", color="#1f3f8f", ms=8)
    box = _plot_box(fig, ax)
    rgb = _render(fig)
    found = find_legend(rgb, Layout(plot_area=box)).entries
    assert [e.label for e in found] == ["run one", "run two", "run three"]
    for entry, colour in zip(found, ((245, 133, 24), (84, 162, 75), (228, 87, 86)),
                             strict=True):
        assert np.abs(np.subtract(entry.color, colour)).max() < 30
        assert entry.swatch_box.left >= box.right


def test_one_ink_told_apart_by_dashes_is_a_legend_not_look_alikes() -> None:
    # Vega's strokeDash legend: five handles of one colour, each its own dash pattern; a
    # data line beside a tick label, read surer, is a group of one
    ink = (120, 153, 189)
    column = []
    for k, dashes in enumerate([(), (4.0,), (2.0,), (1.0,), (4.0, 1.0)]):
        entry = _entry(f"stock{k}", 20 + 13 * k, 370, ink)
        entry.dashes = dashes
        column.append(entry)
    tick = _entry("400", 200, 20, ink)
    kept = _consistent_entries(column + [tick], [80.0] * 5 + [97.0])
    assert [e.label for e in kept] == [f"stock{k}" for k in range(5)]


def test_a_flat_two_pixel_piece_is_a_dash_not_a_marker() -> None:
    mask = np.zeros((8, 10), bool)
    mask[3:5, 3:7] = True  # the middle dash of a 1-2 px dash-dot handle
    assert classify_marker(mask) == (None, True)
    mask[2:6, 3:7] = True  # a 4 px square marker stays one
    assert classify_marker(mask)[0] is not None


def test_part_of_the_x_label_below_the_plot_is_no_legend_line() -> None:
    # "Wall time (ms)": the "(ms)" read as a swatch leaves "Wall time" looking like an entry
    layout = Layout(plot_area=Box(50, 30, 590, 550), x_label="Wall time (ms)",
                    title="Wall time (ms) by run")
    words = [Word("Wall", Box(268, 576, 300, 590), 90.0), Word("time", Box(305, 576, 339, 590),
                                                                 90.0)]
    assert _label_piece(TextLine(words), layout)
    # the same words inside the plot (a legend entry) or a whole other label are kept
    inside = [Word(w.text, Box(w.box.left, 100, w.box.right, 114), 90.0) for w in words]
    assert not _label_piece(TextLine(inside), layout)
    layout.x_label = "Steps"
    assert not _label_piece(TextLine(words), layout)


def _page_with_words(shape: tuple[int, int]) -> tuple[np.ndarray, Box]:
    """A white page and a plot area reaching its right and bottom edges (no margins for
    the legend's own OCR to read)."""
    rgb = np.full((*shape, 3), 255, np.uint8)
    return rgb, Box(70, 0, shape[1] - 4, shape[0] - 4)


def test_a_tick_label_mended_after_reading_is_still_no_legend_label() -> None:
    """The legend tells the tick labels among the layout's words by place: a tick label
    mended after it was read (another word, as its text changed) is still one, and a
    coloured mark beside it makes no legend entry."""
    from digitize.ocr import Word

    rgb, pa = _page_with_words((120, 300))
    rgb[52:58, 4:16] = (214, 39, 40)  # a red mark left of the tick label
    read = Word("Mon", Box(20, 50, 45, 61), 95.0)
    mended = Word("Mon", Box(20, 50, 45, 61), 95.0, ())
    layout = Layout(plot_area=pa, y_tick_labels=[mended], words=[read])
    assert find_legend(rgb, layout, ocr_inside=False).entries == []


def test_a_legend_swatch_search_stops_at_a_tick_label() -> None:
    """A legend label inside the plot near the y tick labels, with a swatch too pale to be
    ink: the swatch search stops at the tick label's box, and its glyphs are no black
    swatch."""
    from digitize.ocr import Word

    rgb, pa = _page_with_words((120, 300))
    rgb[52:60, 60:62] = 20  # the last glyph's stroke of the tick label '3.5'
    tick = Word("3.5", Box(48, 50, 63, 61), 95.0)
    label = Word("Model", Box(100, 50, 140, 61), 95.0)
    layout = Layout(plot_area=pa, y_tick_labels=[tick], words=[tick, label])
    assert find_legend(rgb, layout, ocr_inside=False).entries == []


def test_a_pale_patch_beside_a_label_is_a_faint_swatch() -> None:
    """A translucent band's legend patch (a blue at 0.2 opacity on white) is too pale for
    ink: it is read as a faint swatch of its own colour; a pale band passing by (running
    on beyond the region searched) is none."""
    from digitize.legend import read_pale_patch

    rgb = np.full((40, 160, 3), 255, np.uint8)
    rgb[14:26, 40:52] = (210, 228, 240)
    assert read_swatch(rgb, Box(60, 14, 140, 26), 0) is None
    sw = read_pale_patch(rgb, Box(60, 14, 140, 26), 0)
    assert sw is not None
    color, marker, has_line, box, _ = sw
    assert np.abs(np.subtract(color, (210, 228, 240))).max() <= 2
    assert (marker, has_line) == (None, False)
    assert (box.left, box.right) == (40, 52)
    band = np.full((40, 160, 3), 255, np.uint8)
    band[10:30, 0:52] = (210, 228, 240)
    assert read_pale_patch(band, Box(60, 14, 140, 26), 0) is None
    # a JPEG's pale ringing of 2 x 3 pixels beside a small label's handle is no patch
    rim = np.full((40, 160, 3), 255, np.uint8)
    rim[19:22, 52:54] = (210, 228, 240)
    assert read_pale_patch(rim, Box(60, 18, 100, 23), 0) is None


def test_pale_patches_of_distinct_inks_are_distinct_entries() -> None:
    """Tints of two inks at a band's opacity lie a few dE apart, closer than a JPEG's noise
    on one ink: faint entries are one only where they are one patch read twice."""
    def entry(label: str, color: tuple, top: int) -> LegendEntry:
        return LegendEntry(label, color, None, False, Box(40, top, 120, top + 12),
                           Box(20, top, 32, top + 12), (), faint=True)

    pale = [entry("baseline", (208, 220, 233), 10), entry("oracle", (208, 229, 235), 30)]
    assert [e.label for e in _consistent_entries(pale, [90.0, 90.0])] == ["baseline", "oracle"]


def test_a_legend_of_pale_patches_inside_the_plot_is_read() -> None:
    """Vega-Lite's legend of a line-and-band chart, its symbols at the band's opacity, inside
    the plot near the y tick labels: all its entries are read, faint, none a tick label's
    glyph."""
    from digitize.ocr import Word

    rgb, pa = _page_with_words((120, 300))
    rgb[52:60, 60:62] = 20  # the tick label's last glyph
    tick = Word("3.5", Box(48, 50, 63, 61), 95.0)
    words = [tick]
    for k, (name, tint) in enumerate([("baseline", (208, 220, 233)), ("ours", (234, 209, 208)),
                                      ("oracle", (208, 229, 235))]):
        top = 36 + 14 * k
        rgb[top + 1 : top + 10, 80:89] = tint
        words.append(Word(name, Box(96, top, 96 + 8 * len(name), top + 11), 95.0))
    layout = Layout(plot_area=pa, y_tick_labels=[tick], words=words)
    got = find_legend(rgb, layout, ocr_inside=False).entries
    assert [e.label for e in got] == ["baseline", "ours", "oracle"]
    assert all(e.faint for e in got)


def test_a_faint_swatch_near_the_background_names_no_opaque_fill() -> None:
    """A faint legend patch's colour lies within a few dE of the plot's white: it is no
    opaque fill covering the plot, so the background stays white (not the gridlines, the
    commonest colour left)."""
    from digitize.colors import to_lab as lab_of
    from digitize.legend import Legend
    from digitize.pipeline import _background

    crop = np.full((100, 200, 3), 255, np.uint8)
    crop[::10] = 200  # gridlines
    crop[:, ::10] = 200
    entry = LegendEntry("run-6", (252, 252, 246), None, False, Box(40, 0, 80, 12),
                        Box(20, 0, 32, 12), (), faint=True)
    valid = np.ones(crop.shape[:2], bool)
    got = _background(crop, lab_of(crop), valid, Legend(entries=[entry]))
    assert tuple(got) == (255, 255, 255)


def test_a_faint_swatch_tinting_no_plot_ink_names_no_series() -> None:
    """A faint legend patch whose colour is a tint of no ink in the plot names no series:
    its colour lies within a few dE of the white background, whose pixels would make it
    a series of their own."""
    from digitize.colors import to_lab as lab_of
    from digitize.legend import Legend
    from digitize.pipeline import build_palette

    crop = np.full((100, 200, 3), 255, np.uint8)
    crop[48:51, 10:190] = (31, 119, 180)  # a blue line
    entry = LegendEntry("pale", (244, 236, 250), None, False, Box(40, 0, 80, 12),
                        Box(20, 0, 32, 12), (), faint=True)
    valid = np.ones(crop.shape[:2], bool)
    palette, owners, _ = build_palette(crop, lab_of(crop), valid, Legend(entries=[entry]),
                                       Layout(plot_area=Box(0, 0, 200, 100)))
    assert 0 not in owners
    assert all(min(s.color) < 200 for s in palette.series)


def test_faint_patches_taken_for_tints_at_another_opacity_name_no_ink() -> None:
    """A legend draws its pale patches at one opacity: a faint entry taken for a tint at an
    opacity apart from the others' was given a shade of its hue (a sequential palette), so
    it names no ink; entries that agree, and inked ones, keep theirs."""
    from digitize.pipeline import _one_opacity

    def entry(label: str, faint: bool) -> LegendEntry:
        return LegendEntry(label, (220, 230, 240), None, False, Box(40, 0, 80, 12),
                           Box(20, 0, 32, 12), (), faint=faint)

    entries = [entry("a", True), entry("b", True), entry("c", True), entry("d", False)]
    tints = [((69, 114, 167), 0.25), ((170, 70, 67), 0.249), ((34, 113, 180), 0.11),
             ((10, 20, 30), 0.6)]
    got = _one_opacity(entries, tints)
    assert got[:2] == tints[:2] and got[2] is None and got[3] == tints[3]
    assert _one_opacity(entries[:1], tints[:1]) == tints[:1]


def test_a_swatch_boxed_with_its_label_splits_the_row() -> None:
    """A horizontal legend's square swatch that OCR boxed with the label after it ("■run-2"
    read "Brun2") ends the entry before it and starts its own, its label's box cut to the
    text; a word whose first glyph is a letter is left whole."""
    import cv2

    rgb = np.full((30, 260, 3), 255, np.uint8)
    cv2.putText(rgb, "run-1", (24, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (40, 40, 40), 1,
                cv2.LINE_AA)
    rgb[9:21, 80:92] = (103, 147, 166)  # the second entry's square swatch
    cv2.putText(rgb, "run-2", (96, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (40, 40, 40), 1,
                cv2.LINE_AA)
    rgb[9:21, 150:162] = (24, 36, 41)  # a dark swatch (no chroma) for the third
    cv2.putText(rgb, "run-3", (166, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (40, 40, 40), 1,
                cv2.LINE_AA)
    first = Word("run-1", Box(24, 9, 70, 21), 20.0)
    second = Word("Brun2", Box(80, 9, 140, 21), 20.0)
    third = Word("Brun3", Box(150, 9, 210, 21), 20.0)
    parts = _without_swatch_words(rgb, TextLine([first, second, third]))
    assert [p.text for p in parts] == ["run-1", "Brun2", "Brun3"]
    assert parts[1].box.left >= 93 and parts[2].box.left >= 163
    # the words' own first glyphs ('r') are no swatch: one line, boxes as read
    plain = [Word("run-2", Box(96, 9, 140, 21), 20.0), Word("run-3", Box(166, 9, 210, 21), 20.0)]
    parts = _without_swatch_words(rgb, TextLine([first, *plain]))
    assert [p.text for p in parts] == ["run-1 run-2 run-3"]
    assert parts[0].box.left == 24


def test_a_tall_key_filled_with_a_band_tint_is_read_by_its_line() -> None:
    """ggplot2 draws a band series' key as a square of the band's tint, taller than 1.6 text
    heights, with the series' line across it: the whole key is one blob too tall for a
    swatch; the line, a colour of its own, is read as the swatch, in its colour."""
    import cv2

    inks = [(248, 118, 109), (183, 159, 0), (97, 156, 255)]
    rgb = np.full((130, 240, 3), 255, np.uint8)
    boxes = []
    for k, ink in enumerate(inks):
        top = 10 + 38 * k
        tint = 255 - 0.4 * (255 - np.array(ink, float))
        rgb[top : top + 27, 20:47] = tint.round().astype(np.uint8)
        rgb[top + 12 : top + 15, 20:47] = ink  # the series' line across its key
        cv2.putText(rgb, f"v{k}-length", (60, top + 20), cv2.FONT_HERSHEY_SIMPLEX, 0.6,
                    (20, 20, 20), 1, cv2.LINE_AA)
        boxes.append(Box(60, top + 5, 170, top + 21))  # 16 px high: the key is 1.7 of it
    for ink, box in zip(inks, boxes, strict=True):
        found = read_swatch(rgb, box, 0)
        assert found is not None
        assert float(lab_distance(to_lab(np.array(found[0], np.uint8).reshape(1, 3)), ink)[0]) < 8


def test_glyph_ends_of_the_text_line_above_are_no_clutter_beside_a_label() -> None:
    """A gnuplot key set right under the x axis' title: the region searched for a label's
    swatch (right of it) reaches into the title's descenders, a dozen grey specks along its
    top edge; they are no clutter that refuses the swatch."""
    import cv2

    rgb = np.full((40, 200, 3), 255, np.uint8)
    cv2.putText(rgb, "run-2", (10, 28), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (30, 30, 30), 1,
                cv2.LINE_AA)
    box = Box(10, 18, 50, 29)
    top = box.top - box.height // 2
    for k in range(14):  # the bottoms of the glyphs of the line above, cut by the region
        rgb[top : top + 2, 52 + 4 * k : 54 + 4 * k] = 90
    rgb[22:25, 56:66] = (0, 158, 115)  # the dashed handle, a diamond between its dashes
    rgb[22:25, 86:96] = (0, 158, 115)
    cv2.fillPoly(rgb, [np.array([[76, 19], [80, 23], [76, 27], [72, 23]])], (0, 158, 115))
    found = read_swatch(rgb, box, 0, "right", 199)
    assert found is not None
    assert float(lab_distance(to_lab(np.array(found[0], np.uint8).reshape(1, 3)),
                              (0, 158, 115))[0]) < 8


def test_a_row_key_with_swatches_right_of_its_labels_pairs_them_right() -> None:
    """gnuplot's row key ("lr=1e-3 ——  lr=3e-4 ——"): where OCR left "lr=" out of the first
    label, read leftwards its glyphs are a grey swatch and the second label takes the first
    label's line, as many entries as read rightwards; the side with fewer grey swatches
    wins the tie."""
    import cv2

    rgb = np.full((40, 330, 3), 255, np.uint8)
    font = cv2.FONT_HERSHEY_SIMPLEX
    cv2.putText(rgb, "lr=1e-3", (10, 26), font, 0.5, (30, 30, 30), 1, cv2.LINE_AA)
    rgb[19:22, 90:130] = (148, 0, 211)
    cv2.putText(rgb, "lr=3e-4", (160, 26), font, 0.5, (30, 30, 30), 1, cv2.LINE_AA)
    rgb[19:22, 240:280] = (0, 158, 115)
    first = Word("1e-3", Box(40, 15, 80, 27), 59.0)  # "lr=" left out of the box
    second = Word("lr=3e-4", Box(160, 15, 230, 27), 91.0)
    entries, _ = _entries_either_side(rgb, [TextLine([first]), TextLine([second])])
    assert len(entries) == 2
    colours = [e.color for e in sorted(entries, key=lambda e: e.text_box.left)]
    for got, ink in zip(colours, [(148, 0, 211), (0, 158, 115)], strict=True):
        assert float(lab_distance(to_lab(np.array(got, np.uint8).reshape(1, 3)), ink)[0]) < 8


def test_a_faint_swatch_drawn_as_lines_in_its_own_colour_names_them() -> None:
    """The lightest series of a sequential palette is drawn in a colour pale enough to read
    as a faint patch in the legend; the plot draws its line in that very colour (thin
    strokes), so the entry names it. A patch whose colour only fills a solid region (a band
    of an ink the legend does not show) names nothing."""
    from digitize.colors import to_lab as lab_of
    from digitize.legend import Legend
    from digitize.pipeline import build_palette

    pale = (226, 221, 242)
    crop = np.full((120, 240, 3), 255, np.uint8)
    crop[30:33, 10:230] = (31, 119, 180)  # a blue line
    xs = np.arange(10, 230)
    ys = (80 + 20 * np.sin(xs / 15.0)).round().astype(int)
    for x, y in zip(xs, ys, strict=True):
        crop[y - 1 : y + 1, x] = pale  # the pale series' 2 px line
    entry = LegendEntry("run-8", pale, None, False, Box(40, 0, 80, 12), Box(20, 0, 32, 12), (),
                        faint=True)
    valid = np.ones(crop.shape[:2], bool)
    layout = Layout(plot_area=Box(0, 0, 240, 120))
    palette, owners, _ = build_palette(crop, lab_of(crop), valid, Legend(entries=[entry]),
                                       layout)
    assert 0 in owners
    assert palette.series[owners.index(0)].color == pale
    solid = np.full((120, 240, 3), 255, np.uint8)
    solid[30:33, 10:230] = (31, 119, 180)
    solid[60:100, 10:230] = pale  # a filled region of the colour, no stroke
    palette, owners, _ = build_palette(solid, lab_of(solid), valid, Legend(entries=[entry]),
                                       layout)
    assert 0 not in owners
    # strokes of a tint of a plot ink (its band's slivers, a line's rim) name nothing
    tint = (205, 226, 239)  # the blue (55, 144, 192) at 25% over white
    tinted = np.full((120, 240, 3), 255, np.uint8)
    tinted[30:33, 10:230] = (55, 144, 192)
    for x, y in zip(xs, ys, strict=True):
        tinted[y - 1 : y + 1, x] = tint
    from digitize.colors import color_clusters
    from digitize.pipeline import _pale_strokes

    white = (255, 255, 255)
    lab = lab_of(tinted)
    clusters = color_clusters(tinted, np.ones(valid.shape, bool))
    assert not _pale_strokes(lab, valid, tint, clusters, white)
    assert _pale_strokes(lab_of(crop), valid, pale, color_clusters(crop, valid), white)


def _row_key_right_samples(labels: list[str], colors: list[str]) -> tuple[np.ndarray, Box]:
    """A line chart with a gnuplot-style row key under the axes: each label, a short space,
    its line sample right of it, a wider space, the next label; a grey mark left of the
    first label (a stray swatch-like mark) gives every label something on its left too."""
    from matplotlib.lines import Line2D

    fig = plt.figure(figsize=(6.4, 4.8), dpi=100)
    ax = fig.add_axes((0.1, 0.22, 0.85, 0.72))
    xs = np.linspace(0, 10, 12)
    for k, c in enumerate(colors):
        ax.plot(xs, np.sin(xs / 2 + k) + 2 * k, color=c, lw=2)
    ax.set_xticks([])
    ax.set_yticks([])
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width = 640.0
    x = 120.0  # pixels from the left
    y = 0.05
    fig.add_artist(Line2D([(x - 60) / width, (x - 28) / width], [y, y], color="#8c564b", lw=2,
                          transform=fig.transFigure))
    for name, c in zip(labels, colors, strict=True):
        text = fig.text(x / width, y, name, ha="left", va="center", fontsize=10)
        x += text.get_window_extent(renderer).width + 9
        fig.add_artist(Line2D([x / width, (x + 32) / width], [y, y], color=c, lw=2,
                              transform=fig.transFigure))
        x += 32 + 27
    box = _plot_box(fig, ax)
    return _render(fig), box


def test_row_key_samples_right_of_labels_told_by_their_gaps() -> None:
    """A row key whose every label has a swatch-like mark on either side: each label takes
    the sample just right of it (its own), not the one farther left (the previous entry's)."""
    labels, colors = ["alpha", "beta", "gamma"], ["#9400d3", "#009e73", "#e69f00"]
    rgb, box = _row_key_right_samples(labels, colors)
    legend = find_legend(rgb, Layout(plot_area=box))
    found = {e.label: e.color for e in legend.entries}
    assert sorted(found) == sorted(labels)
    for name, c in zip(labels, colors, strict=True):
        want = np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)])
        assert np.abs(np.subtract(found[name], want)).max() < 30, name


def test_a_name_and_equals_sign_is_a_word() -> None:
    """'lr=' (a label OCR split at its '=') is text; a swatch's stroke read as '—=' or a
    marker and a line read as 'o=' is not."""
    from digitize.legend import _is_word

    assert _is_word(Word("lr=", Box(0, 0, 18, 11), 56.0))
    assert _is_word(Word("alpha=", Box(0, 0, 30, 11), 80.0))
    assert not _is_word(Word("o=", Box(0, 0, 12, 11), 40.0))
    assert not _is_word(Word("oo=", Box(0, 0, 12, 11), 40.0))
    assert not _is_word(Word("—=", Box(0, 0, 12, 11), 40.0))


def test_words_either_side_of_an_unread_glyph_are_one_label() -> None:
    """OCR read 'ours' and 'aug' but not the '+' between (a space wider than a word's): the
    two are one label where one dark glyph fills the space, a word space from each; not where
    the space holds a coloured swatch, a black line sample, or a marker set nearer one side
    (a row legend's next entry)."""
    from digitize.legend import join_across_glyphs

    def lines_over(draw: str) -> list[TextLine]:
        rgb = np.full((40, 200, 3), 255, np.uint8)
        if draw == "plus":
            rgb[14:26, 58:60] = 10
            rgb[19:21, 53:65] = 10
        elif draw == "swatch":
            rgb[17:23, 53:65] = (44, 160, 44)
        elif draw == "line":
            rgb[19:21, 50:68] = 10
        elif draw == "marker":
            rgb[14:26, 64:66] = 10
            rgb[19:21, 59:71] = 10
        words = [TextLine([Word("ours", Box(10, 16, 46, 26), 90.0)]),
                 TextLine([Word("aug", Box(72, 14, 101, 28), 90.0)])]
        return join_across_glyphs(rgb, words)

    joined = lines_over("plus")
    assert [ln.text for ln in joined] == ["ours aug"]
    for other in ("swatch", "line", "marker", "none"):
        assert len(lines_over(other)) == 2, other


def test_a_label_nearer_another_swatch_than_its_own_has_a_rival() -> None:
    """Each label of a gnuplot-style row key paired with the sample on its left (the
    previous entry's, as a left-side reading pairs them) stands nearer its own sample on its
    right: that one is its rival, and the confidence doubts the name (the series traced in
    the left sample's ink is named by a label whose nearer swatch is another series' ink).
    Paired right, no label has a rival."""
    from digitize.confidence import doubtful_names
    from digitize.legend import rival_swatches

    labels, colors = ["alpha", "beta", "gamma"], ["#9400d3", "#009e73", "#e69f00"]
    rgb, box = _row_key_right_samples(labels, colors)
    right = find_legend(rgb, Layout(plot_area=box)).entries
    assert [e.rival for e in right] == [None, None, None]
    by_label = {e.label: e for e in right}
    ordered = [by_label[name] for name in labels]
    wrong = [LegendEntry(e.label, p.color, None, True, e.text_box, p.swatch_box)
             for p, e in zip(ordered, ordered[1:], strict=False)]
    rival_swatches(rgb, wrong, [])
    inks = [(e.label, e.color) for e in wrong] + [("alpha", ordered[2].color)]
    assert all(e.rival is not None for e in wrong)
    assert sorted(doubtful_names(inks, {e.label: e.rival for e in wrong})) == ["beta", "gamma"]
    assert doubtful_names([(e.label, e.color) for e in right], {}) == []


def test_doubtful_names_need_another_series_in_the_rival_colour() -> None:
    from digitize.confidence import doubtful_names

    purple, green, grey = (148, 0, 211), (0, 158, 115), (120, 120, 120)
    series = [("lr=3e-4", purple), ("series 2", green)]
    assert doubtful_names(series, {"lr=3e-4": green}) == ["lr=3e-4"]
    assert doubtful_names(series, {"lr=3e-4": purple}) == []  # its own colour
    assert doubtful_names(series, {"lr=3e-4": grey}) == []  # no series' ink: a frame, text


def test_a_glyph_left_off_a_labels_end_is_boxed_for_the_second_reading() -> None:
    """OCR read 'group' but not the capital after it: the dark glyph a word space after the
    line becomes part of its box (an empty word), for the label's second reading; not a
    black line sample, a glyph with a line running on after it, or one standing apart."""
    from digitize.legend import with_unread_last_glyph

    def line_beside(draw: str) -> TextLine:
        rgb = np.full((40, 200, 3), 255, np.uint8)
        rgb[12:26, 10:60] = 255
        x = {"apart": 90}.get(draw, 67)
        if draw in ("glyph", "apart", "run on"):
            rgb[13:26, x : x + 2] = 10  # an 'A'-like glyph: two legs and a bar
            rgb[13:26, x + 9 : x + 11] = 10
            rgb[13:15, x : x + 11] = 10
            rgb[19:21, x : x + 11] = 10
        if draw == "run on":
            rgb[18:21, x + 16 : x + 50] = 10
        if draw == "sample":
            rgb[18:21, 67:110] = 10
        if draw == "frame":
            rgb[13:26, 67:69] = 10
            rgb[13:26, 76:78] = 10
            rgb[13:15, 67:78] = 10
            rgb[19:21, 67:78] = 10
            rgb[:, 120:122] = 60  # the legend's frame, ink all the way down
        return with_unread_last_glyph(rgb, TextLine([Word("group", Box(20, 12, 60, 26), 90.0)]))

    for draw in ("glyph", "frame"):
        grown = line_beside(draw)
        assert len(grown.words) == 2 and grown.box.right >= 77, draw
    for draw in ("none", "sample", "run on", "apart"):
        assert len(line_beside(draw).words) == 1, draw


def test_numbers_in_scientific_notation_are_mended_in_labels() -> None:
    """A thin minus read as a space and a one read as 'l' before an exponent are mended; a
    word with an 'l' before 'e' is left alone."""
    from digitize.legend import _clean_label

    assert _clean_label("lr=1e 3") == "lr=1e-3"
    assert _clean_label("lr=le-6") == "lr=1e-6"
    assert _clean_label("le-3") == "1e-3"
    assert _clean_label("lr=3e-4") == "lr=3e-4"
    assert _clean_label("file-2") == "file-2"
    assert _clean_label("alle-3") == "alle-3"


def test_a_row_whose_swatches_stand_between_labels_stays_on_the_left() -> None:
    """ggplot's bottom legend sets each swatch about as far from the label before it as
    from its own (8 px and 9 px): read rightwards, the title takes the first swatch and
    every name its neighbour's, as many entries as leftwards. Only a clearly nearer side
    (gnuplot's key: 8 px against 20) turns the legend round."""
    from digitize.legend import _swatch_side

    def row(gaps: list[int], side: str) -> list[LegendEntry]:
        out, x = [], 10
        for k, gap in enumerate(gaps):
            text = Box(x + 20 + gap, 0, x + 80 + gap, 12)
            swatch = (Box(x, 0, x + 20, 12) if side == "left"
                      else Box(text.right + gap, 0, text.right + gap + 20, 12))
            out.append(LegendEntry(f"run-{k}", (200, 30, 30), None, False, text, swatch, ()))
            x = text.right + 40
        return out

    assert _swatch_side(row([9, 9, 9], "left"), row([8, 8, 8], "right")) == "left"
    assert _swatch_side(row([20, 20, 20], "left"), row([8, 8, 8], "right")) == "right"


def test_a_swatch_read_in_part_gives_its_label_no_rival() -> None:
    """A sample whose box was read far from its label (a dashed sample read in its far
    dash) does not make the previous entry's sample, nearer than that but not clearly
    nearer than the legend sets its samples, a rival: the gap is the legend's too."""
    from dataclasses import replace as changed

    from digitize.legend import rival_swatches

    labels, colors = ["alpha", "beta", "gamma"], ["#9400d3", "#009e73", "#e69f00"]
    rgb, box = _row_key_right_samples(labels, colors)
    entries = find_legend(rgb, Layout(plot_area=box)).entries
    middle = sorted(entries, key=lambda e: e.text_box.left)[1]
    s = middle.swatch_box
    # (read 50 px from its label, where the legend sets its samples 9 px off: the previous
    # entry's sample, 26 px off, is within 0.6 of the one but not of the other)
    part = changed(middle, swatch_box=Box(s.right + 6, s.top, s.right + 10, s.bottom))
    entries = [part if e is middle else e for e in entries]
    rival_swatches(rgb, entries, [])
    assert [e.rival for e in entries] == [None, None, None]
