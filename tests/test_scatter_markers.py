"""Scatter markers (markers without a line): every shape, hollow, overlapping, and the
pipeline's choice of the scatter path."""

from __future__ import annotations

import numpy as np
import pytest
from skimage.draw import disk, line, polygon, rectangle_perimeter

from digitize.colors import to_lab
from digitize.extract.markers import (
    Marker,
    centre_strokes,
    find_scatter_markers,
    line_half_width,
    scatter_like,
)
from digitize.geometry import Box
from digitize.legend import LegendEntry
from digitize.pipeline import _series_markers

CENTRES = [(20, 20), (60, 35), (100, 80), (140, 25), (180, 95), (45, 100), (150, 60)]


def _draw(mask: np.ndarray, shape: str, x: int, y: int, r: int = 5) -> None:
    """One marker of ``shape`` centred on pixel (x, y)."""
    if shape == "o":
        rr, cc = disk((y, x), r + 0.5, shape=mask.shape)
    elif shape == "hollow_s":
        rr, cc = rectangle_perimeter((y - r, x - r), (y + r, x + r), shape=mask.shape)
    elif shape == "D":
        rr, cc = polygon([y - r, y, y + r, y], [x, x + r, x, x - r], shape=mask.shape)
    elif shape == "^":  # anchored at its box centre, as matplotlib draws it
        rr, cc = polygon([y - r, y + r, y + r], [x, x - r, x + r], shape=mask.shape)
    elif shape == "x":
        r1, c1 = line(y - r, x - r, y + r, x + r)
        r2, c2 = line(y - r, x + r, y + r, x - r)
        rr, cc = np.r_[r1, r2], np.r_[c1, c2]
    else:  # "+"
        r1, c1 = line(y - r, x, y + r, x)
        r2, c2 = line(y, x - r, y, x + r)
        rr, cc = np.r_[r1, r2], np.r_[c1, c2]
    mask[rr, cc] = True


def _scatter(shape: str, centres: list[tuple[int, int]]) -> np.ndarray:
    mask = np.zeros((120, 200), bool)
    for x, y in centres:
        _draw(mask, shape, x, y)
    return mask


def _assert_found(found: list, centres: list[tuple[int, int]], tol: float = 0.6) -> None:
    assert len(found) == len(centres)
    got = np.array([(m.x, m.y) for m in found])
    for x, y in centres:
        assert np.min(np.hypot(got[:, 0] - x, got[:, 1] - y)) <= tol


@pytest.mark.parametrize("shape", ["o", "hollow_s", "D", "^", "x", "+"])
def test_one_point_per_marker_for_every_shape(shape: str) -> None:
    mask = _scatter(shape, CENTRES)
    assert scatter_like(mask)
    _assert_found(find_scatter_markers(mask), CENTRES)


@pytest.mark.parametrize("shape", ["o", "hollow_s", "x", "+"])
def test_overlapping_markers_are_split(shape: str) -> None:
    # two pairs overlapping by about half a marker and a chain of three
    centres = CENTRES + [(26, 24), (106, 78), (160, 90), (166, 92)]
    mask = _scatter(shape, centres)
    _assert_found(find_scatter_markers(mask), centres, tol=1.1)


@pytest.mark.parametrize("shape", ["o", "D"])
def test_markers_mostly_hidden_in_a_clump_are_split(shape: str) -> None:
    # three markers a third of a marker apart, and a pair closer than half a marker: the
    # last ones placed uncover less than half a marker, but fit inside the clump
    centres = CENTRES + [(100, 60), (104, 63), (99, 66), (150, 95), (154, 97)]
    mask = _scatter(shape, centres)
    _assert_found(find_scatter_markers(mask), centres, tol=1.5)


def test_lines_are_not_scatter() -> None:
    solid = np.zeros((120, 200), bool)
    rr, cc = line(100, 5, 20, 195)
    solid[rr, cc] = True
    dashed = solid.copy()
    dashed[:, (np.arange(200) // 6) % 2 == 1] = False
    assert not scatter_like(solid)
    assert not scatter_like(dashed)


def test_slanted_pieces_of_a_line_take_no_borrowed_marker() -> None:
    """A thick zigzag cut by crossings into slanted pieces, beside a row of 4-px specks (a
    neighbour's anti-aliased rim), offered another series' 4-px marker: the specks have its
    box, and no piece is long along x or y alone, but each is a stroke along its own axis."""
    import cv2

    canvas = np.zeros((200, 300), np.uint8)
    pts = [(5, 150), (60, 40), (110, 170), (170, 30), (230, 160), (295, 60)]
    for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
        cv2.line(canvas, (x0, y0), (x1, y1), 1, 4)
    mask = canvas.astype(bool)
    mask[:, 80:83] = False
    mask[:, 200:203] = False
    for x in range(20, 290, 45):
        mask[185:189, x : x + 4] = True
    assert not scatter_like(mask, (4, 4))


def test_dotted_line_is_not_scatter() -> None:
    """Round dots of a dotted line share one box like markers, but sit at one spacing."""
    mask = np.zeros((120, 200), bool)
    for x in range(5, 195, 9):
        _draw(mask, "o", x, int(100 - 0.4 * x), r=2)
    assert not scatter_like(mask)


def test_markers_at_even_x_steps_are_no_dotted_line() -> None:
    """A series' markers at one x step (a value per iteration), as close to each other as a
    dotted line's dots, go up and down: no marker lies on the line through its two
    nearest ones, as a dot does. A curving dotted line still lies along its path."""
    rng = np.random.default_rng(3)
    mask = np.zeros((160, 460), bool)
    for i, x in enumerate(range(10, 450, 22)):
        _draw(mask, "o", x, int(80 + (14 if i % 2 else -14) + rng.integers(-4, 5)), r=6)
    assert scatter_like(mask)
    curve = np.zeros((160, 460), bool)
    for x in range(8, 452, 9):
        _draw(curve, "o", x, int(80 + 50 * np.sin(x / 70)), r=2)
    assert not scatter_like(curve)


def test_crosses_without_a_legend_are_found_by_the_pipeline() -> None:
    """Stroked markers (no thick blob to open) used to give no markers at all."""
    mask = _scatter("x", CENTRES)
    found, radius, scatter = _series_markers(mask, 0.5, None, (0, 0, 200, 120))
    _assert_found(found, CENTRES)
    assert radius > 2 and scatter


def _entry(has_line: bool) -> LegendEntry:
    box = Box(0, 0, 10, 10)
    return LegendEntry("a", (0, 0, 255), "s", has_line, box, box)


def test_swatch_read_with_a_line_is_overruled_by_markers_holding_all_ink() -> None:
    """A legend showing three markers in a row reads as a line; hollow squares alone in the
    plot are still a scatter series."""
    mask = _scatter("hollow_s", CENTRES)
    found, _, scatter = _series_markers(mask, 0.5, _entry(True), (0, 0, 200, 120))
    _assert_found(found, CENTRES)
    assert scatter


def test_markers_joined_by_a_line_keep_the_line_path() -> None:
    mask = _scatter("o", CENTRES[:4])
    for (x0, y0), (x1, y1) in zip(CENTRES[:3], CENTRES[1:4], strict=True):
        rr, cc = line(y0, x0, y1, x1)
        mask[rr, cc] = True
    assert not _series_markers(mask, 0.5, _entry(True), (0, 0, 200, 120))[2]


@pytest.mark.parametrize("code", ["x", "+"])
def test_crosses_on_a_line_are_centred_on_their_strokes(code: str) -> None:
    """Placements leaning along the line through each cross (the learnt shape carries the
    line's stubs) move to where the drawn cross covers the ink."""
    centres = sorted(CENTRES, key=lambda c: c[0])
    mask = _scatter(code, centres)
    for (x0, y0), (x1, y1) in zip(centres, centres[1:], strict=False):
        rr, cc = line(y0, x0, y1, x1)
        mask[rr, cc] = True
    leaning = [Marker(x + 2.0, y - 1.5, 5.0, 20, size=13.0) for x, y in centres]
    _assert_found(centre_strokes(mask, leaning, code), centres, tol=0.5)


@pytest.mark.parametrize("code", ["x", "+"])
def test_crosses_joined_by_a_line_are_found_by_the_pipeline(code: str) -> None:
    """Strokes as thin as the line are not opened out of it: the drawn cross finds them."""
    centres = sorted(CENTRES, key=lambda c: c[0])
    mask = _scatter(code, centres)
    for (x0, y0), (x1, y1) in zip(centres, centres[1:], strict=False):
        rr, cc = line(y0, x0, y1, x1)
        mask[rr, cc] = True
    box = Box(0, 0, 30, 11)  # the swatch: a line through a cross 11 px tall
    entry = LegendEntry("a", (0, 0, 255), code, True, box, box)
    found, _, scatter = _series_markers(mask, 0.5, entry, (0, 0, 200, 120))
    assert not scatter
    _assert_found(found, centres, tol=0.5)


def _mpl_marker(code: str, hollow: bool, size: float, width: float) -> np.ndarray:
    """One marker drawn by matplotlib (antialiased, thresholded), cut to its box."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from scipy import ndimage

    fig = Figure(figsize=(1, 1), dpi=100)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    style = ({"facecolors": "none", "edgecolors": "k"} if hollow else {"color": "k"})
    ax.scatter([0.5], [0.5], marker=code, s=size**2, linewidths=width, **style)
    canvas.draw()
    ink = np.asarray(canvas.buffer_rgba())[:, :, 0] < 128
    return ink[ndimage.find_objects(ink.astype(int))[0]]


@pytest.mark.parametrize("code,hollow", [("s", False), ("^", False), ("v", False), ("D", False),
                                         ("s", True), ("^", True), ("D", True), ("o", True),
                                         ("x", False), ("+", False)])
def test_marker_shape_is_learnt(code: str, hollow: bool) -> None:
    """Filled, hollow and stroked matplotlib markers of a usual size read as their own code
    (circles, pentagons and hexagons look alike at these sizes and are not asked apart)."""
    from digitize.extract.markers import marker_shape

    for size in (6.0, 8.0, 12.0):
        got, filled = marker_shape(_mpl_marker(code, hollow, size, 1.0))
        assert got == code, (size, got)
        assert filled == (not hollow and code not in "x+")


def test_clumped_series_borrows_the_marker_of_another() -> None:
    """A series whose markers are nearly all in clumps (two lone ones: too few to learn the
    marker from) is split with the marker learnt from another series of the chart; a line in
    the same chart borrows nothing."""
    from digitize.pipeline import _borrow_scatter_markers

    lone = _scatter("D", CENTRES)
    clumped_centres = [(20, 60), (120, 20), (60, 90), (68, 92), (76, 88), (150, 100),
                       (157, 104), (164, 100)]
    clumped = _scatter("D", clumped_centres)
    solid = np.zeros((120, 200), bool)
    rr, cc = line(100, 5, 20, 195)
    solid[rr, cc] = True
    masks = [lone, clumped, solid]
    assert not scatter_like(clumped)
    markers = [find_scatter_markers(lone), [], []]
    radii, scattered = [markers[0][0].radius, 0.0, 0.0], [True, False, False]
    _borrow_scatter_markers(masks, markers, radii, scattered, (0, 0, 200, 120))
    assert scattered == [True, True, False] and markers[2] == []
    _assert_found(markers[1], clumped_centres, tol=1.1)


def test_plain_swatch_borrows_only_a_marker_wider_than_its_stroke() -> None:
    """A series whose legend swatch shows a line and no marker borrows a marker only when it
    spans two of its stroke widths: 5-px squares on a 5-px stroke could be a thick dashed
    line's pieces; 11-px '+' drawn with a 1-px stroke are markers the swatch did not show."""
    from digitize.pipeline import _borrow_scatter_markers

    clumped_centres = [(20, 60), (120, 20), (60, 90), (68, 92), (76, 88), (150, 100),
                       (157, 104), (164, 100)]

    def squares(centres: list[tuple[int, int]]) -> np.ndarray:
        mask = np.zeros((120, 200), bool)
        for x, y in centres:
            mask[y - 2 : y + 3, x - 2 : x + 3] = True
        return mask

    for donor, taker, taken in ((squares(CENTRES), squares(clumped_centres), False),
                                (_scatter("+", CENTRES), _scatter("+", clumped_centres), True)):
        for plain in (None, [False, True]):
            markers = [find_scatter_markers(donor), []]
            radii, scattered = [markers[0][0].radius, 0.0], [True, False]
            _borrow_scatter_markers([donor, taker], markers, radii, scattered,
                                    (0, 0, 200, 120), plain)
            borrowed = plain is None or taken
            assert scattered == [True, borrowed]
            assert len(markers[1]) == (len(clumped_centres) if borrowed else 0)


def test_speck_markers_paving_a_band_are_no_scatter() -> None:
    from digitize.extract.markers import Marker
    from digitize.pipeline import _tiled

    band = np.zeros((40, 200), bool)
    band[10:30, :] = True  # 4000 px of solid ink
    specks = [Marker(x, y, 1.5, 8, size=4.0) for x in range(200) for y in range(10, 30, 2)]
    assert _tiled(specks, band)
    real = [Marker(x, 20, 5.0, 80, size=12.0) for x in range(6, 200, 8)]  # overlapping row
    assert not _tiled(real, band)


def _legend_over_markers(face_alpha: float) -> tuple:
    """A white plot area with red and blue squares, half of them under a white legend box of
    opacity ``face_alpha`` holding one entry (swatch and label)."""
    from digitize.colors import Palette, SeriesColor
    from digitize.layout import Layout
    from digitize.legend import Legend

    crop = np.full((120, 200, 3), 255, np.uint8)
    red, blue = (214, 39, 40), (31, 119, 180)
    for k, (x, y) in enumerate([(20, 20), (60, 30), (150, 90), (110, 70), (40, 95)]):
        crop[y - 3 : y + 4, x - 3 : x + 4] = red if k % 2 else blue
    drawn = crop.astype(float)
    box = Box(10, 10, 90, 60)  # plot area at the image origin: crop == image coordinates
    part = drawn[box.top : box.bottom, box.left : box.right]
    drawn[box.top : box.bottom, box.left : box.right] = face_alpha * 255 + (1 - face_alpha) * part
    crop = np.round(drawn).astype(np.uint8)
    crop[20:26, 16:22] = blue  # the entry's swatch and label, drawn over the face
    crop[20:26, 30:60:3] = 0
    entry = LegendEntry("b", blue, "s", False, Box(28, 18, 62, 28), Box(15, 19, 23, 27))
    legend = Legend(entries=[entry], box=box)
    layout = Layout(plot_area=Box(0, 0, 200, 120))
    palette = Palette(background=(255, 255, 255),
                      series=[SeriesColor(blue), SeriesColor(red)])
    valid = np.ones(crop.shape[:2], bool)
    valid[box.top : box.bottom, box.left : box.right] = False
    return crop, valid, legend, layout, palette


def test_unblend_legend_shows_markers_under_a_translucent_legend() -> None:
    from digitize.pipeline import unblend_legend

    crop, valid, legend, layout, palette = _legend_over_markers(0.8)
    seen = unblend_legend(crop, valid, legend, layout, palette)
    assert seen is not None
    out, opened = seen
    # the red square at (60, 30), seen at 20% through the face, is back at full strength and
    # counts as data, as does the plain face; the entry's swatch and label strokes do not
    assert np.abs(out[30, 60].astype(int) - (214, 39, 40)).max() <= 6
    assert opened[30, 60] and opened[50, 80]
    assert not opened[22, 18]  # the swatch
    assert not opened[22, 33]  # a label stroke
    # pixels outside the box are untouched
    assert (out[70:, :] == crop[70:, :]).all()


def test_unblend_legend_leaves_an_opaque_legend_masked() -> None:
    from digitize.pipeline import unblend_legend

    crop, valid, legend, layout, palette = _legend_over_markers(1.0)
    assert unblend_legend(crop, valid, legend, layout, palette) is None


def test_clumped_markers_learn_the_one_lone_marker() -> None:
    """No legend, large diamonds all in clumps but one: the lone one is the marker, and the
    clumps are split with it (no line is traced through them)."""
    mask = np.zeros((200, 300), bool)
    clumps = [(40, 40), (52, 46), (60, 36), (48, 58), (150, 60), (162, 66), (156, 50),
              (170, 55), (230, 150), (242, 144), (236, 160)]
    for x, y in clumps:
        _draw(mask, "D", x, y, r=11)
    _draw(mask, "D", 120, 150, r=11)  # the lone one
    assert not scatter_like(mask)
    found, radius, scatter = _series_markers(mask, 8.0, None, (0, 0, 300, 200))
    assert scatter and radius > 8
    true = np.array([*clumps, (120, 150)], float)
    got = np.array([(m.x, m.y) for m in found])
    near = np.abs(true[:, None, :] - got[None, :, :]).max(axis=2).min(axis=1) <= 3
    assert near.mean() >= 0.8 and len(found) <= len(true) + 1


@pytest.mark.parametrize("shape", ["o", "hollow_s", "+"])
def test_markers_partly_under_a_legend_box_count_at_their_centre(shape: str) -> None:
    # an opaque box (hidden) over the right part of the plot: one marker shows its left
    # half, one just touches it, one is wholly under it (not seen: not found)
    centres = [(20, 20), (60, 35), (100, 80), (45, 100), (120, 30), (125, 70)]
    mask = _scatter(shape, centres + [(150, 60)])
    hidden = np.zeros_like(mask)
    hidden[:, 126:] = True
    mask &= ~hidden
    found = find_scatter_markers(mask, hidden=hidden)
    _assert_found(found, centres, tol=1.1)
    # without the box's extent, the cut marker is placed off its centre (or lost)
    blind = find_scatter_markers(mask)
    got = np.array([(m.x, m.y) for m in blind])
    assert len(blind) < len(centres) or np.min(np.hypot(got[:, 0] - 125, got[:, 1] - 70)) > 1.1


def test_a_sliver_counts_beside_another_series_ink_not_beside_a_legend_box() -> None:
    # a disc showing a fifth of itself: under another series' ink it is a marker (an outline
    # split between two near inks, a marker mostly covered); at a legend box's edge it may
    # be a stroke running under the box
    centres = CENTRES[:4]
    mask = _scatter("o", centres + [(160, 100)])
    cover = np.zeros_like(mask)
    cover[:, 158:] = True
    mask &= ~cover
    with_ink = find_scatter_markers(mask, hidden=cover, covering=cover)
    _assert_found(with_ink, centres + [(160, 100)], tol=1.1)
    _assert_found(find_scatter_markers(mask, hidden=cover), centres)


def test_marker_partly_under_another_series_marker() -> None:
    # series A's disc half covered by series B's disc drawn over it
    centres = CENTRES
    a = _scatter("o", centres + [(100, 40)])
    b = np.zeros_like(a)
    _draw(b, "o", 106, 40)
    a &= ~b
    found = find_scatter_markers(a, hidden=b)
    _assert_found(found, centres + [(100, 40)], tol=1.1)



@pytest.mark.parametrize("seed", [2, 4])
def test_scatter_series_gets_no_marker_hidden_under_another(tmp_path, seed: int) -> None:
    # two series of hollow squares, some markers of one just beside the other's: without a
    # line there is no sign of a marker hidden under the neighbour (the line-and-marker
    # rule read the neighbour's outline as a line running in and added a point there)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import digitize

    rng = np.random.default_rng(seed)
    xa = rng.uniform(0, 100, 12)
    ya = rng.uniform(0, 100, 12)
    xb = np.r_[xa[:4] + 4.5, rng.uniform(0, 100, 8)]  # four just right of a's markers
    yb = np.r_[ya[:4], rng.uniform(0, 100, 8)]
    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    ax.scatter(xa, ya, marker="s", s=64, facecolors="none", edgecolors="tab:blue")
    ax.scatter(xb, yb, marker="s", s=64, facecolors="none", edgecolors="tab:brown")
    ax.set_xlim(-10, 110)
    ax.set_ylim(-10, 110)
    path = tmp_path / "two.png"
    fig.savefig(path)
    plt.close(fig)
    result = digitize.read(path, agreement=False)
    assert sorted(len(s.points) for s in result.series) == [12, 12]


def test_open_legend_ink_opens_markers_drawn_over_a_legend_box() -> None:
    """Series ink at full strength inside a legend box (a box read over data, no face over
    it) is data: opened; the swatch, the face and the labels stay masked."""
    from digitize.pipeline import open_legend_ink

    crop, valid, legend, layout, palette = _legend_over_markers(0.0)
    lab = to_lab(crop)
    opened = open_legend_ink(crop, lab, valid, legend, layout, palette)
    assert opened[30, 60]  # the red square
    assert not opened[22, 18]  # the swatch
    assert not opened[50, 80]  # the plain face
    assert not opened[22, 33]  # a label stroke
    assert (opened[70:, :] == valid[70:, :]).all()


def test_open_legend_ink_keeps_an_opaque_legend_and_coloured_labels_masked() -> None:
    from digitize.pipeline import open_legend_ink

    crop, valid, legend, layout, palette = _legend_over_markers(1.0)
    lab = to_lab(crop)
    assert (open_legend_ink(crop, lab, valid, legend, layout, palette) == valid).all()
    crop, valid, legend, layout, palette = _legend_over_markers(0.0)
    crop[20:26, 30:60:3] = (31, 119, 180)  # the label written in its series' blue
    opened = open_legend_ink(crop, to_lab(crop), valid, legend, layout, palette)
    assert not opened[22:24, 30:60].any()
    assert opened[31:33, 60].all()  # the red square below the label's box still opens


def test_open_legend_ink_opens_data_of_the_entry_colour_across_its_label() -> None:
    """A marker of the entry's own colour drawn across its black label (series of one
    colour, a legend over the data) is data: the label is not written in that colour."""
    from digitize.pipeline import open_legend_ink

    crop, valid, legend, layout, palette = _legend_over_markers(0.0)
    crop[19:26, 41:48] = (31, 119, 180)  # a blue marker under the label's strokes
    crop[20:26, 30:60:3] = 0
    opened = open_legend_ink(crop, to_lab(crop), valid, legend, layout, palette)
    assert opened[22, 44] and opened[24, 46]  # the marker between the strokes
    assert not opened[22, 33]  # a label stroke


def test_snapped_markers_share_one_phase():
    from digitize.pipeline import snapped_markers

    rng = np.random.default_rng(0)
    whole = np.floor(rng.uniform(10, 300, (20, 2))) + 0.5  # identical blobs: one phase
    assert snapped_markers(whole)
    # anti-aliased markers: box centres on whole or half pixels as their widths vary
    loose = np.round(rng.uniform(10, 300, (20, 2)) * 2) / 2
    assert not snapped_markers(loose)
    assert not snapped_markers(whole[:2])  # too few to tell


def test_marker_snap_off_takes_the_line_shift_off_snapped_markers_only():
    from digitize.pipeline import marker_snap_off

    pts = [(10.0 + 7 * k, 40.0 + 3 * k, False) for k in range(6)]
    moved = marker_snap_off(pts, 0.5, 0.5)
    assert moved == [(x - 0.5, y - 0.5, h) for x, y, h in pts]
    assert marker_snap_off(pts, 0.5, 0.0) == [(x - 0.5, y, h) for x, y, h in pts]
    # a shift of 0.25 (lines only possibly snapped) or a pixel ratio's 1.0: unchanged
    assert marker_snap_off(pts, 0.25, 1.0) == pts
    loose = [(10.0 + 7.5 * k, 40.0 + 2.5 * k, False) for k in range(6)]
    assert marker_snap_off(loose, 0.5, 0.5) == loose


def test_marker_snap_off_leaves_markers_centred_between_pixels():
    from digitize.pipeline import marker_snap_off

    # an even-sized snapped marker: centred between pixel columns, on pixel rows
    pts = [(10.5 + 7 * k, 40.0 + 3 * k, False) for k in range(6)]
    assert marker_snap_off(pts, 0.5, 0.5) == [(x, y - 0.5, h) for x, y, h in pts]
    assert marker_snap_off(pts, 0.5, 0.5, "v") == [(x, y - 0.5, h) for x, y, h in pts]
    # a circle centred on pixels in x but between them in y was not snapped that way
    assert marker_snap_off(pts, 0.5, 0.5, "o") == pts


def test_zigzag_line_with_speck_blotches_is_no_scatter() -> None:
    # a thick no-marker zigzag (its box is not thin: the axis-aligned stroke test misses it)
    # with 4 px blotches beside it (a JPEG's, or a neighbour's anti-aliased edge, the size of
    # the stroke): the blotches are no markers, the line is no scatter
    import cv2

    mask = np.zeros((300, 500), np.uint8)
    xs = 20 + 40 * np.arange(12)
    ys = np.array([250, 60, 200, 80, 240, 50, 180, 100, 260, 70, 220, 120])
    cv2.polylines(mask, [np.column_stack([xs, ys]).astype(np.int32)], False, 1, thickness=5)
    rng = np.random.default_rng(0)
    for _ in range(60):
        r, c = rng.integers(5, 290), rng.integers(5, 490)
        mask[r : r + 4, c : c + 4] = 1
    assert not scatter_like(mask.astype(bool))
    # the same blotches without the line are a scatter of 4 px markers
    only = np.zeros_like(mask)
    for _ in range(60):
        r, c = rng.integers(5, 290), rng.integers(5, 490)
        only[r : r + 4, c : c + 4] = 1
    assert scatter_like(only.astype(bool))


def test_two_markers_on_a_long_line_are_no_points_of_it() -> None:
    """Where only two of a line's markers are cut out (the others too small for its stroke),
    the series is traced as a line: two points would lose all its other corners."""
    centres = sorted(CENTRES, key=lambda c: c[0])
    mask = _scatter("o", centres[:2])
    for (x0, y0), (x1, y1) in zip(centres, centres[1:], strict=False):
        rr, cc = line(y0, x0, y1, x1)
        mask[rr, cc] = True
    found, _, scatter = _series_markers(mask, 0.5, _entry(True), (0, 0, 200, 120))
    assert found == [] and not scatter


def test_the_series_whose_markers_were_not_found_is_the_ink_left() -> None:
    """Two lines of one ink, markers found on one only (a thin cross no search finds): the
    other series' line is what is left once the found series' line, straight from marker to
    marker, and its markers are taken out. With two series unfound it cannot be told."""
    import cv2

    from digitize.extract.markers import Marker
    from digitize.pipeline import _unmarked_line

    mask = np.zeros((100, 200), np.uint8)
    xs = np.arange(10, 191, 20)
    found_y = 30 + 10 * np.sin(xs / 25.0)
    other_y = 70 - 8 * np.cos(xs / 30.0)
    for ys in (found_y, other_y):
        pts = np.stack([xs, np.round(ys)], axis=1).astype(np.int32)
        cv2.polylines(mask, [pts], False, 1, 2)
    for x, y in zip(xs, found_y, strict=True):
        cv2.circle(mask, (int(x), int(round(y))), 4, 1, -1)
    mask = mask.astype(bool)
    found = [Marker(float(x), float(round(y)), 4.0, 50) for x, y in zip(xs, found_y, strict=True)]
    rest = _unmarked_line(mask, [found, []], True, 1.0)
    assert rest is not None
    rows = np.flatnonzero(rest.any(axis=1))
    assert rows.min() >= 55 and rest.any(axis=0).sum() > 150
    assert _unmarked_line(mask, [found, [], []], True, 1.0) is None
    assert _unmarked_line(mask, [found, []], False, 1.0) is None


def test_no_residual_line_beside_markers_that_are_no_line() -> None:
    """Markers found several per x (a band's texture read as markers) are no line's: no
    residual series is read beside them."""
    from digitize.extract.markers import Marker
    from digitize.pipeline import _unmarked_line

    mask = np.zeros((100, 200), bool)
    mask[68:71, 5:195] = True  # a line ...
    mask[20:40, 5:195] = True  # ... and a textured band
    clutter = [Marker(float(x), float(y), 3.0, 30) for x in range(10, 190, 4)
               for y in (24, 30, 36)]
    assert _unmarked_line(mask, [clutter, []], True, 1.0) is None


def test_a_residual_line_keeps_its_corners_on_the_others_grid() -> None:
    """The corners of a residual line that sit on the other series' marker grid are its
    points (corners off it are what the taken-out markers left); a line whose corners
    mostly miss that grid is sampled otherwise and keeps none this way."""
    from digitize.extract.markers import Marker
    from digitize.pipeline import _corners_on_grid

    found = [Marker(float(x), 30.0, 3.0, 30) for x in range(10, 200, 20)]
    corners = np.array([[10, 60], [30, 70], [37, 66], [50, 62], [70, 75], [90, 64],
                        [110, 70], [130, 61], [150, 72], [170, 65], [190, 60]], float)
    kept = _corners_on_grid(corners, found)
    assert [m.x for m in kept] == [10, 30, 50, 70, 90, 110, 130, 150, 170, 190]
    apart = np.array([[5, 60], [17, 70], [43, 66], [63, 62], [77, 75], [97, 64]], float)
    assert _corners_on_grid(apart, found) == []


def test_blobs_at_a_few_corners_of_a_line_without_legend_are_no_markers() -> None:
    """No legend: three stroke-wide blobs on a zigzag of many corners (sharp corners of a
    thick line, JPEG clumps) are no markers; the line is traced."""
    mask = np.zeros((120, 300), bool)
    xs = np.arange(10, 290, 12)
    ys = (60 + 30 * np.where(np.arange(len(xs)) % 2, 1, -1)).astype(int)
    for x0, y0, x1, y1 in zip(xs, ys, xs[1:], ys[1:], strict=False):
        rr, cc = line(int(y0), int(x0), int(y1), int(x1))
        mask[rr, cc] = True
    for x, y in zip(xs[[3, 10, 17]], ys[[3, 10, 17]], strict=True):
        rr, cc = disk((int(y), int(x)), 2.5, shape=mask.shape)
        mask[rr, cc] = True
    found, _, scatter = _series_markers(mask, line_half_width(mask), None, (0, 0, 300, 120))
    assert found == [] and not scatter


def test_one_or_two_scatter_blobs_without_legend_are_no_scatter(monkeypatch) -> None:
    """No legend: a line's ink cut into marker-sized pieces (by crossings, a band over it) can
    look like markers, but one or two blobs that leave most of the ink unexplained are no
    scatter series; three or more are."""
    import digitize.pipeline as pipeline

    mask = np.zeros((120, 200), bool)
    mask[60, 10:190] = True
    mask[57:64, 17:24] = True
    mask[57:64, 177:184] = True
    blobs = [Marker(20.0, 60.0, 3.5, 49, size=7.0), Marker(180.0, 60.0, 3.5, 49, size=7.0)]
    monkeypatch.setattr(pipeline, "scatter_like", lambda m: True)
    monkeypatch.setattr(pipeline, "find_scatter_markers", lambda *a, **k: list(blobs))
    assert not _series_markers(mask, 0.5, None, (0, 0, 200, 120))[2]
    third = Marker(100.0, 60.0, 3.5, 49, size=7.0)
    monkeypatch.setattr(pipeline, "find_scatter_markers", lambda *a, **k: [*blobs, third])
    assert _series_markers(mask, 0.5, None, (0, 0, 200, 120))[2]


def _tiny_triangles(centres: list[tuple[int, int]], shape: tuple[int, int]) -> np.ndarray:
    """3 px triangles (Vega's small 'triangle-down' points) at ``centres``."""
    mask = np.zeros(shape, bool)
    for x, y in centres:
        mask[y - 1, x - 1 : x + 2] = True
        mask[y, x - 1 : x + 2] = True
        mask[y + 1, x] = True
    return mask


def test_markers_smaller_than_the_size_floor_are_found_where_they_lie_apart() -> None:
    """Markers 3 px across, under MIN_MARKER_PX, spread over the plot with no line and no
    legend: a scatter, one point per marker (they were traced as a line)."""
    rng = np.random.default_rng(5)
    centres = [(int(x), int(y)) for x, y in zip(rng.integers(5, 295, 30),
                                                 rng.integers(5, 195, 30), strict=True)]
    mask = _tiny_triangles(centres, (200, 300))
    found, _, scatter = _series_markers(mask, 1.0, None, (0, 0, 300, 200))
    assert scatter
    got = np.array([(m.x, m.y) for m in found])
    hits = sum(np.min(np.hypot(got[:, 0] - x, got[:, 1] - y)) <= 1.0 for x, y in centres)
    assert hits >= 28 and len(found) <= 31


def test_specks_crowded_along_a_line_are_no_tiny_markers() -> None:
    """3 px pieces a pixel or two apart (a faint line cut up by anti-aliasing) share one box
    like tiny markers, but lie along the line: no scatter."""
    mask = np.zeros((200, 300), bool)
    for x in range(5, 290, 5):
        y = int(100 + 60 * np.sin(x / 40))
        mask[y : y + 3, x : x + 3] = True
    assert not scatter_like(mask)

