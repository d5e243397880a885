"""Line vertices from masks of lines drawn by matplotlib with a known data-to-pixel map.

Each chart is an axes covering the whole figure, limits set to the pixel grid, so a data
point ``(x, y)`` is drawn at array coordinates ``(x, y)``. The mask is the pixels close to
the line's colour (what colour segmentation hands to ``line_vertices``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from digitize.extract.lines import despeckle, line_points, line_vertices  # noqa: E402

LINE = np.array([31, 119, 180], float)  # tab:blue
CROSS = "#d62728"


@dataclass
class Drawn:
    mask: np.ndarray
    xs: np.ndarray
    ys: np.ndarray


def draw(
    xs: np.ndarray,
    ys: np.ndarray,
    *,
    size: tuple[int, int] = (480, 320),
    dpi: int = 100,
    lw: float = 1.5,
    ls: str = "-",
    cross: tuple[np.ndarray, np.ndarray] | None = None,
    jpeg: int | None = None,
) -> Drawn:
    """Draw the line (and an optional crossing line on top) and return its colour mask."""
    w, h = size
    fig = plt.figure(figsize=(w / dpi, h / dpi), dpi=dpi)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    # pixel (column c, row r) covers [c, c + 1) x [r, r + 1): its centre is c + 0.5
    ax.plot(np.asarray(xs) + 0.5, np.asarray(ys) + 0.5, color=LINE / 255, lw=lw, ls=ls)
    if cross is not None:
        ax.plot(cross[0] + 0.5, cross[1] + 0.5, color=CROSS, lw=lw + 1)
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(float)
    plt.close(fig)
    if jpeg is not None:
        buf = io.BytesIO()
        Image.fromarray(rgb.astype(np.uint8)).save(buf, format="JPEG", quality=jpeg)
        rgb = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"), float)
    white = np.array([255.0, 255.0, 255.0])
    axis = white - LINE
    rel = rgb - LINE
    along = (rel @ axis) / (axis @ axis)  # 0 on the line colour, 1 on white
    perp = np.linalg.norm(rel - along[..., None] * axis, axis=-1)
    mask = (along < 0.6) & (perp < (45 if jpeg is None else 80))
    return Drawn(mask, np.asarray(xs, float), np.asarray(ys, float))


def vertex_scores(
    found: np.ndarray, xs: np.ndarray, ys: np.ndarray, size: tuple[int, int]
) -> tuple[float, float]:
    """(recall, extra share): true vertices with a found point within 1% of both spans, and
    found points near no true vertex per true vertex."""
    tx, ty = 0.01 * size[0], 0.01 * size[1]
    if len(found) == 0:
        return 0.0, 0.0
    dx = np.abs(found[:, 0][None] - xs[:, None])
    dy = np.abs(found[:, 1][None] - ys[:, None])
    close = (dx <= tx) & (dy <= ty)
    recall = float(close.any(axis=1).mean())
    extra = int((~close.any(axis=0)).sum())
    return recall, extra / len(xs)


def polyline_distance(found: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> float:
    """Largest distance (perpendicular, in pixels) from the dense curve ``(xs, ys)`` to the
    found polyline, over the found x-range."""
    inside = (xs >= found[0, 0]) & (xs <= found[-1, 0])
    pts = np.column_stack([xs[inside], ys[inside]])
    a, b = found[:-1], found[1:]
    ab = b - a
    length2 = np.maximum((ab**2).sum(axis=1), 1e-12)
    best = np.full(len(pts), np.inf)
    for chunk in np.array_split(np.arange(len(pts)), max(1, len(pts) // 500)):
        rel = pts[chunk, None, :] - a[None]
        t = np.clip((rel * ab[None]).sum(-1) / length2[None], 0, 1)
        d = np.linalg.norm(rel - t[..., None] * ab[None], axis=-1)
        best[chunk] = d.min(axis=1)
    return float(best.max())


def _visible(xs: np.ndarray, ys: np.ndarray, i: int, min_turn: float) -> bool:
    """Vertex ``i`` stands at least ``min_turn`` pixels off its neighbours' chord."""
    a = np.array([xs[i - 1], ys[i - 1]])
    b = np.array([xs[i + 1], ys[i + 1]])
    p = np.array([xs[i], ys[i]])
    d = b - a
    return abs(d[0] * (p - a)[1] - d[1] * (p - a)[0]) / np.hypot(*d) >= min_turn


def _with_visible_vertices(xs, ys, rng, draw_y, min_turn: float = 4.0):
    """Redraw vertices that are (nearly) collinear with their neighbours: a data point no
    one can see in the image is no test of a vertex finder."""
    for i in range(1, len(xs) - 1):
        for _ in range(100):
            if _visible(xs, ys, i, min_turn):
                break
            ys[i] = draw_y(i, rng)
    return xs, ys


Curve = tuple[np.ndarray, np.ndarray]


def polyline(n: int, seed: int, size: tuple[int, int] = (480, 320)) -> Curve:
    rng = np.random.default_rng(seed)
    w, h = size
    xs = np.linspace(0.05 * w, 0.95 * w, n)
    ys = 0.1 * h + 0.8 * h * rng.random(n)
    return _with_visible_vertices(xs, ys, rng, lambda i, r: 0.1 * h + 0.8 * h * r.random())


def walk(n: int, seed: int, size: tuple[int, int] = (480, 320)) -> Curve:
    rng = np.random.default_rng(seed)
    w, h = size
    xs = np.linspace(0.05 * w, 0.95 * w, n)
    steps = rng.normal(0, 1, n).cumsum()
    ys = 0.1 * h + 0.8 * h * (steps - steps.min()) / max(np.ptp(steps), 1e-9)
    step = 0.8 * h / max(np.ptp(steps), 1e-9)

    def redraw(i: int, r: np.random.Generator) -> float:
        return float(np.clip(ys[i - 1] + step * r.normal(0, 1.5), 0.05 * h, 0.95 * h))

    return _with_visible_vertices(xs, ys, rng, redraw)


CASES = [
    # (name, generator, n, dpi, lw, ls, jpeg, crossing)
    ("solid-thin", polyline, 12, 100, 1.0, "-", None, False),
    ("solid", polyline, 20, 100, 1.5, "-", None, False),
    ("solid-thick", polyline, 15, 100, 3.0, "-", None, False),
    ("solid-hidpi", polyline, 25, 200, 2.0, "-", None, False),
    ("walk", walk, 30, 100, 1.5, "-", None, False),
    ("dashed", polyline, 12, 100, 1.5, "--", None, False),
    ("dotted", polyline, 10, 100, 2.0, ":", None, False),
    ("dashdot", walk, 15, 120, 1.5, "-.", None, False),
    ("crossed", polyline, 15, 100, 1.5, "-", None, True),
    ("jpeg", polyline, 15, 100, 1.5, "-", 40, False),
    ("jpeg-thick-crossed", walk, 20, 100, 3.0, "-", 50, True),
]


@cache
def _case(name: str, seed: int) -> tuple[Drawn, tuple[int, int]]:
    _, gen, n, dpi, lw, ls, jpeg, crossing = next(c for c in CASES if c[0] == name)
    size = (int(4.8 * dpi), int(3.2 * dpi))
    xs, ys = gen(n, seed, size)
    if not crossing:
        return draw(xs, ys, size=size, dpi=dpi, lw=lw, ls=ls, jpeg=jpeg), size
    w, h = size
    cx = np.array([0.0, w])
    # one series drawn over ours (its colour is not ours), and one more whose pixels the
    # colour segmentation gives to it: both cut gaps into our mask
    drawn = draw(xs, ys, size=size, dpi=dpi, lw=lw, ls=ls, jpeg=jpeg,
                 cross=(cx, np.array([0.2 * h, 0.8 * h])))
    other = draw(cx, np.array([0.9 * h, 0.15 * h]), size=size, dpi=dpi, lw=lw + 1)
    drawn.mask &= ~other.mask
    return drawn, size


def _scores(name: str, seeds: range) -> tuple[list[float], float, int]:
    """Per-seed recall, total extra points and total true vertices of one case."""
    recalls, extras, total = [], 0.0, 0
    for seed in seeds:
        drawn, size = _case(name, seed)
        found = line_vertices(drawn.mask, tolerance=1.0)
        assert np.all(np.diff(found[:, 0]) >= 0)
        recall, extra = vertex_scores(found, drawn.xs, drawn.ys, size)
        recalls.append(recall)
        extras += extra * len(drawn.xs)
        total += len(drawn.xs)
    return recalls, extras, total


SEEDS = range(3)


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_polyline_vertices_recall_and_precision(name: str) -> None:
    recalls, extras, total = _scores(name, SEEDS)
    assert min(recalls) >= 0.85 and np.mean(recalls) >= 0.9, recalls
    assert extras / total <= 0.25, extras / total


def test_polyline_vertices_over_all_styles() -> None:
    """The goal over the whole set: 95% of vertices found within 1% of the spans; few extra
    points (measured: about 8.5% extra, mostly a corner of a thick or dashed line kept as two)."""
    recalls, extras, total = [], 0.0, 0
    for name in (c[0] for c in CASES):
        r, e, t = _scores(name, SEEDS)
        recalls += r
        extras += e
        total += t
    assert np.mean(recalls) >= 0.97, np.mean(recalls)
    assert extras / total <= 0.12, extras / total


@pytest.mark.parametrize("lw,ls,jpeg", [(1.0, "-", None), (2.5, "-", None), (1.5, "--", None),
                                        (2.0, "-", 40), (1.5, ":", None)])
def test_dense_sine_is_followed_within_a_pixel(lw: float, ls: str, jpeg: int | None) -> None:
    size = (600, 300)
    xs = np.linspace(20, 580, 200)
    ys = 150 + 100 * np.sin(xs / 560 * 4 * np.pi)
    drawn = draw(xs, ys, size=size, lw=lw, ls=ls, jpeg=jpeg)
    found = line_vertices(drawn.mask, tolerance=1.0)
    fine_x = np.linspace(20, 580, 5000)
    fine_y = 150 + 100 * np.sin(fine_x / 560 * 4 * np.pi)
    # within about a pixel of the curve (a little more for thick strokes), far fewer points
    assert polyline_distance(found, fine_x, fine_y) <= 1.0 + 0.5 * lw
    assert len(found) <= 60
    assert found[0, 0] < 24 and found[-1, 0] > 576


def test_stock_like_series_stays_on_the_trace() -> None:
    rng = np.random.default_rng(7)
    size = (640, 320)
    xs = np.linspace(10, 630, 500)
    ys = rng.normal(0, 1, 500).cumsum()
    ys = 30 + 260 * (ys - ys.min()) / np.ptp(ys)
    drawn = draw(xs, ys, size=size, lw=1.0)
    found = line_vertices(drawn.mask, tolerance=1.0)
    # a 500-point walk is spiky: judge against the drawn pixels, column by column
    cols = np.flatnonzero(drawn.mask.any(axis=0))
    cols = cols[(cols >= found[0, 0]) & (cols <= found[-1, 0])]
    fy = np.interp(cols, found[:, 0], found[:, 1])
    off = []
    for c, y in zip(cols, fy, strict=True):
        rows = np.flatnonzero(drawn.mask[:, c])
        off.append(max(0.0, rows.min() - y, y - rows.max()))
    assert np.percentile(off, 95) <= 1.0, np.percentile(off, 95)
    assert len(found) < 500


def test_sharp_peak_is_not_clipped_by_the_line_width() -> None:
    size = (400, 300)
    xs = np.array([20.0, 195.0, 200.0, 205.0, 380.0])
    ys = np.array([250.0, 240.0, 30.0, 240.0, 250.0])
    drawn = draw(xs, ys, size=size, lw=3.0)
    found = line_vertices(drawn.mask, tolerance=1.0)
    apex = found[np.argmin(found[:, 1])]
    assert abs(apex[1] - 30) <= 2.0 and abs(apex[0] - 200) <= 2.0, found


def test_corner_hidden_under_a_crossing_line_is_recovered() -> None:
    size = (400, 300)
    xs = np.array([20.0, 200.0, 380.0])
    ys = np.array([250.0, 60.0, 250.0])
    drawn = draw(xs, ys, size=size, lw=1.5)
    drawn.mask[:, 190:211] = False  # another series' thick vertical stroke over the corner
    found = line_vertices(drawn.mask, tolerance=1.0)
    assert len(found) == 3, found
    assert abs(found[1, 0] - 200) <= 2.0 and abs(found[1, 1] - 60) <= 2.0, found


def test_specks_are_ignored_but_dots_are_kept() -> None:
    size = (400, 300)
    xs = np.array([20.0, 380.0])
    ys = np.array([150.0, 150.0])
    dotted = draw(xs, ys, size=size, lw=2.0, ls=":")
    rng = np.random.default_rng(3)
    noisy = dotted.mask.copy()
    for _ in range(15):
        r, c = rng.integers(0, 300), rng.integers(0, 400)
        if abs(r - 150) > 20:
            noisy[r : r + 2, c : c + 2] = True
    clean = despeckle(noisy, 1.0)
    assert (clean & dotted.mask).sum() == dotted.mask.sum()
    assert not (clean & ~dotted.mask).any()
    found = line_vertices(noisy, tolerance=1.0)
    assert len(found) == 2 and np.all(np.abs(found[:, 1] - 150) < 1.5), found


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_polyline_says_its_points_are_vertices(name: str) -> None:
    for seed in SEEDS:
        drawn, _ = _case(name, seed)
        found = line_points(drawn.mask, tolerance=1.0)
        assert found.sampling == "vertices" and found.spacing is None


@pytest.mark.parametrize("n,lw,ls", [(200, 1.0, "-"), (200, 2.5, "-"), (60, 1.5, "--"),
                                     (500, 1.0, "-")])
def test_dense_or_smooth_curve_says_it_is_sampled(n: int, lw: float, ls: str) -> None:
    size = (600, 300)
    xs = np.linspace(20, 580, n)
    if n == 500:  # a dense random walk (a stock price)
        ys = np.random.default_rng(7).normal(0, 1, n).cumsum()
        ys = 30 + 240 * (ys - ys.min()) / np.ptp(ys)
    else:
        ys = 150 + 100 * np.sin(xs / 560 * 4 * np.pi)
    found = line_points(draw(xs, ys, size=size, lw=lw, ls=ls).mask, tolerance=1.0)
    assert found.sampling == "sampled"
    assert found.spacing is not None and 2.0 < found.spacing < 40.0


def test_regular_grid_finds_the_data_spacing_despite_a_stray_corner() -> None:
    from digitize.extract.lines import regular_grid

    rng = np.random.default_rng(3)
    xs = 12.0 + 37.5 * np.arange(12) + rng.uniform(-0.6, 0.6, 12)
    xs = np.sort(np.append(xs, 200.0))  # a false corner between two data points
    verts = np.column_stack([xs, rng.uniform(0, 100, len(xs))])
    grid = regular_grid(verts, thick=3.0)
    assert grid is not None
    start, step = grid
    assert abs(step - 37.5) < 0.3
    assert abs((start - 12.0) / step - round((start - 12.0) / step)) < 0.05


def test_regular_grid_none_for_irregular_x() -> None:
    from digitize.extract.lines import regular_grid

    xs = np.array([10.0, 31.0, 47.0, 90.0, 118.0, 171.0, 183.0, 240.0, 297.0, 305.0])
    verts = np.column_stack([xs, np.arange(len(xs)) % 2 * 20.0])
    assert regular_grid(verts, thick=3.0) is None


def test_regular_grid_none_when_only_a_sub_multiple_fits_stray_corners() -> None:
    # data every 110 px, but three stray corners (a crossing) keep the true step under the
    # share it needs; the half step fits as many, with every other node empty: no grid
    from digitize.extract.lines import grid_empty_share, regular_grid

    xs = np.array([37.0, 148.0, 257.9, 321.0, 333.0, 337.0, 368.8, 479.3, 590.0, 700.7, 810.8])
    verts = np.column_stack([xs, np.arange(len(xs)) % 2 * 80.0])
    assert grid_empty_share(verts, (37.0, 55.35)) > 0.5
    assert grid_empty_share(verts, (37.0, 110.7)) == 0.0
    assert regular_grid(verts, thick=3.0) is None


def test_corner_of_a_line_cap_next_to_an_end_is_dropped() -> None:
    from digitize.extract.lines import _merge_ends

    verts = np.array([[36.0, 377.0], [38.0, 376.5], [148.0, 309.5], [258.0, 274.0],
                      [810.0, 197.0], [812.0, 197.0]])
    out = _merge_ends(verts, reach=6.0)
    assert np.array_equal(out, verts[[0, 2, 3, 5]])
    # a corner a few line widths in is a data point
    assert len(_merge_ends(verts[[0, 2, 3, 5]], reach=6.0)) == 4


@pytest.mark.parametrize("lw", [2.0, 3.0, 4.0])
def test_thick_polyline_has_one_point_per_end(lw: float) -> None:
    xs = np.array([40.0, 120.0, 200.0, 280.0, 360.0, 440.0])
    ys = np.array([200.0, 80.0, 150.0, 60.0, 220.0, 120.0])
    found = line_vertices(draw(xs, ys, lw=lw).mask, tolerance=1.0)
    assert len(found) == len(xs)
    assert np.abs(found[:, 0] - xs).max() < 4.0


@pytest.mark.parametrize(("ls", "broken"), [("-", False), (":", True), ("--", True)])
def test_trace_through_many_pieces_is_a_broken_line(ls: str, broken: bool) -> None:
    from digitize.extract.lines import _broken, _trace

    xs = np.linspace(20, 460, 12)
    ys = 160 + 80 * np.sin(xs / 60)
    mask = draw(xs, ys, lw=2.0, ls=ls).mask
    cols, tops, _ = _trace(mask)
    assert _broken(mask, cols, tops, thick=3.0) is broken


def test_jpeg_wobble_on_straight_runs_is_no_corner() -> None:
    # random 8-point polylines, thin and JPEG-compressed: the blocks bend a straight run by
    # about the tolerance, which must not read as corners
    recalls, extras = [], []
    for seed in range(12):
        rng = np.random.default_rng(seed)
        xs = np.sort(rng.uniform(20, 460, 8))
        xs[0], xs[-1] = 20, 460
        ys = rng.uniform(30, 290, 8)
        for lw, quality in ((1.0, 50), (1.5, 60)):
            found = line_vertices(draw(xs, ys, lw=lw, jpeg=quality).mask, tolerance=1.0)
            r, e = vertex_scores(found, xs, ys, (480, 320))
            recalls.append(r)
            extras.append(e)
    assert np.mean(recalls) >= 0.9, np.mean(recalls)
    assert np.mean(extras) <= 0.15, np.mean(extras)


def test_corner_hidden_in_a_gap_on_the_data_grid_is_where_its_arms_meet() -> None:
    # evenly spaced x: the grid step puts a point at the hidden corner's x; it is where the
    # two arms leading into the gap meet, not on the chord across the gap
    size = (480, 320)
    xs = 20.0 + 40.0 * np.arange(11)
    ys = np.array([250, 120, 200, 90, 230, 60, 180, 110, 260, 150, 200], float)
    drawn = draw(xs, ys, size=size, lw=2.0)
    drawn.mask[:, 214:227] = False  # a crossing series' stroke over the corner at x = 220
    lp = line_points(drawn.mask, tolerance=1.0)
    assert len(lp.points) == len(xs), lp.points
    corner = lp.points[np.argmin(np.abs(lp.points[:, 0] - 220))]
    assert abs(corner[0] - 220) <= 1.5 and abs(corner[1] - 60) <= 2.0, lp.points


def test_split_apex_on_the_grid_is_joined_where_its_arms_meet() -> None:
    from digitize.extract.lines import _join_split

    # an apex traced as two corners: one on the grid (x = 100), one off it (x = 105)
    pts = [np.array(p, float) for p in [(60, 260), (100, 100), (105, 92), (140, 106), (180, 120)]]
    on = [True, True, False, True, True]
    out, flags = _join_split(pts, on, (20.0, 40.0), 4.0, 10.0)
    assert len(out) == 4 and all(flags), out
    # arms y = 100 - 4 (x - 100) and y = 92 + 0.4 (x - 105) meet at x = 102.27
    assert abs(out[1][0] - 102.27) < 0.05 and abs(out[1][1] - 90.9) < 0.05, out
    # no off-grid neighbour within reach: unchanged
    same, _ = _join_split(pts, on, (20.0, 40.0), 4.0, 5.0)
    assert len(same) == 5


def test_smooth_line_read_as_sampled_goes_on_the_grid_other_series_show() -> None:
    """A smooth series drawn from data at evenly spaced x bends too gently at its points to
    show them: read alone it is a sampled curve, its samples between the data points. Given
    the grid the chart's other series show (their markers), its points are the data's."""
    step, start = 16.0, 20.0
    xs = start + step * np.arange(36)
    ys = 150 + 100 * np.sin((xs - start) / (step * 35) * 2 * np.pi)
    mask = draw(xs, ys, size=(620, 300), lw=3.0).mask
    alone = line_points(mask, tolerance=1.0)
    assert alone.sampling == "sampled"
    found = line_points(mask, tolerance=1.0, shared_grid=(start, step))
    assert found.sampling == "vertices" and found.grid == (start, step)
    # every data point found (a corner found within a tenth of the step stays as found)
    assert len(found.points) == len(xs)
    assert np.abs(found.points[:, 0] - xs).max() <= 0.1 * step
    assert np.abs(found.points[:, 1] - ys).max() <= 1.5


def test_shared_grid_is_refused_where_the_curve_is_finer_than_it() -> None:
    """A dense curve (a function drawn every 4 px) with markers of another series every 60 px:
    the chords between the markers' x do not follow it, so it stays sampled."""
    xs = np.linspace(20, 580, 141)
    ys = 150 + 100 * np.sin(xs / 560 * 4 * np.pi)
    mask = draw(xs, ys, size=(600, 300), lw=1.5).mask
    found = line_points(mask, tolerance=1.0, shared_grid=(20.0, 60.0))
    assert found.sampling == "sampled" and found.grid is None


def test_shared_grid_from_the_other_series_markers() -> None:
    """The chart's grid is the one most of the other series' markers show (a triangle's
    centroid may sit off its data x: that series is outvoted); series sampled apart (two
    grids, as many series each) give none."""
    from digitize.extract.markers import Marker
    from digitize.pipeline import _shared_grid

    def marks(start: float, step: float) -> list[Marker]:
        return [Marker(start + step * k, 50.0, 3.0, 20) for k in range(15)]

    lines = [np.zeros((10, 10), bool)] * 4
    grid = _shared_grid(0, [[], marks(9.0, 17.2), marks(9.0, 17.2), marks(-5.6, 17.2)],
                        lines)
    assert grid is not None and abs(grid[1] - 17.2) < 0.05
    phase = (grid[0] - 9.0) / grid[1]
    assert abs(phase - round(phase)) * grid[1] < 0.5
    assert _shared_grid(0, [[], marks(9.0, 17.2), marks(3.0, 23.0), []], lines[:3] + [
        np.zeros((10, 10), bool)]) is None


def _smooth_on_grid(step: float, n: int) -> Curve:
    """A smooth function (one and a half sine periods) drawn through ``n`` points ``step``
    pixels apart: its corners turn by a few degrees each."""
    xs = 20.0 + step * np.arange(n)
    ys = 150 + 100 * np.sin((xs - 20) / (step * (n - 1)) * 3 * np.pi)
    return xs, ys


def test_smooth_curve_alone_goes_on_the_grid_its_bends_show() -> None:
    """A smooth series drawn from data at even x, with no other series to show the grid:
    its corners are too gentle for Douglas-Peucker one by one (it reads as a sampled curve),
    but together they bend the trace periodically; the points are the data's."""
    xs, ys = _smooth_on_grid(17.0, 36)
    mask = draw(xs, ys, size=(int(xs[-1]) + 40, 300), lw=3.0).mask
    found = line_points(mask, tolerance=1.0)
    assert found.sampling == "vertices" and found.grid is not None
    assert abs(found.grid[1] - 17.0) < 0.1
    assert len(found.points) == len(xs)
    # a corner found within a tenth of the step of a node stays as found
    assert np.abs(found.points[:, 0] - xs).max() <= 0.12 * 17.0
    assert np.abs(found.points[:, 1] - ys).max() <= 1.5


@pytest.mark.parametrize("n,lw", [(200, 2.5), (200, 1.0), (500, 1.0)])
def test_comb_grid_none_without_corners_at_the_nodes(n: int, lw: float) -> None:
    """A dense curve (a sine every 2.8 px, a random walk every 1.1 px) has no grid its
    corners show: the staircase of its pixels may be periodic, but corners half a step off
    any such grid follow the trace as well."""
    from digitize.extract.lines import _dash_points, _peak_adjusted, _trace, comb_grid
    from digitize.extract.markers import line_half_width

    xs = np.linspace(20, 580, n)
    if n == 500:
        ys = np.random.default_rng(7).normal(0, 1, n).cumsum()
        ys = 30 + 240 * (ys - ys.min()) / np.ptp(ys)
    else:
        ys = 150 + 100 * np.sin(xs / 560 * 4 * np.pi)
    mask = draw(xs, ys, size=(600, 300), lw=lw).mask
    half = line_half_width(mask)
    cols, tops, bots = _trace(mask, bridge=1)
    trace = _dash_points(mask, cols, tops, _peak_adjusted(cols, tops, bots, half), half)
    assert comb_grid(trace, half) is None


def test_knots_justified_only_by_a_better_fit_than_their_number_explains() -> None:
    """Corners at a fine grid's nodes do not beat a polyline's own few corners on its trace
    (they fit its pixel noise only); the polyline's corners beat a straight chord."""
    from digitize.extract.lines import knots_justified

    rng = np.random.default_rng(0)
    corners = np.array([20.0, 140.0, 230.0, 350.0, 460.0])
    heights = np.array([200.0, 80.0, 150.0, 60.0, 220.0])
    x = np.arange(20.0, 461.0)
    y = np.round(2 * np.interp(x, corners, heights) + rng.normal(0, 0.3, len(x))) / 2
    trace = np.column_stack([x, y])
    fine = np.arange(20.0, 461.0, 11.0)
    assert not knots_justified(trace, np.r_[fine, 460.0], corners, half=1.0)
    assert knots_justified(trace, corners, corners[[0, -1]], half=1.0)


def test_dash_bent_round_a_sharp_corner_keeps_its_apex() -> None:
    # the dash that holds the trough at x = 130 is short in x and bent: its centroid lies
    # inside the V, 4 px above the apex, so the trough must come from its traced columns
    size = (480, 320)
    xs = np.array([20.0, 100.0, 130.0, 160.0, 240.0, 320.0, 460.0])
    ys = np.array([250.0, 60.0, 250.0, 80.0, 270.0, 90.0, 200.0])
    drawn = draw(xs, ys, size=size, lw=3.0, ls=(2, (4, 2)))
    found = line_vertices(drawn.mask, tolerance=1.0)
    err = np.abs(found - [130.0, 250.0]).max(axis=1).min()
    assert err <= 2.0, found


def _dashed_mask(xs: np.ndarray, ys: np.ndarray, size: tuple[int, int], on: float,
                 off: float, width: int, phase: float) -> np.ndarray:
    """Mask of the polyline drawn with hard-edged dashes ``on`` px long and gaps ``off``
    (along its length, ``phase`` px into the pattern at its start), ``width`` px wide."""
    import cv2

    mask = np.zeros(size[::-1], np.uint8)
    pts = np.column_stack([xs, ys]).astype(float)
    cum = np.r_[0, np.cumsum(np.hypot(*np.diff(pts, axis=0).T))]
    s = np.arange(0, cum[-1], 0.25)
    ink = ((s + phase) % (on + off)) < on
    x, y = np.interp(s, cum, pts[:, 0]), np.interp(s, cum, pts[:, 1])
    for k in np.flatnonzero(ink[:-1] & ink[1:]):
        cv2.line(mask, (round(x[k] * 8), round(y[k] * 8)), (round(x[k + 1] * 8),
                 round(y[k + 1] * 8)), 1, width, cv2.LINE_8, 3)
    return mask.astype(bool)


def test_corner_in_the_gap_between_two_dashes_is_where_the_dashes_point() -> None:
    # a steep zigzag with long dashes: the peak at x = 77 and the bend at x = 145 fall in
    # gaps; each is where the lines of the dashes either side meet, not at a dash's centre
    xs = np.array([31, 54, 77, 100, 122, 145, 168, 190, 213, 236, 259, 281, 304, 327], float)
    ys = np.array([92, 170, 81, 200, 172, 178, 30, 208, 148, 158, 162, 179, 191, 157], float)
    mask = _dashed_mask(xs, ys, (350, 240), 16, 8, 4, 9)
    found = line_vertices(mask, tolerance=1.0)
    for x, y in ((77, 81), (145, 178)):
        err = np.abs(found - [x, y]).max(axis=1).min()
        assert err <= 2.0, (x, y, found)



def test_a_line_cut_out_of_a_shared_ink_gets_no_gap_corners(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Series of one ink told apart by dash pattern: the other line's dashes lie in this
    one's gaps, so no corner is looked for there (styles_s1 00029: 0.34 -> 1.02% with them)."""
    from digitize.extract import lines

    xs = np.array([31, 54, 77, 100, 122, 145, 168, 190, 213, 236, 259, 281, 304, 327], float)
    ys = np.array([92, 170, 81, 200, 172, 178, 30, 208, 148, 158, 162, 179, 191, 157], float)
    mask = _dashed_mask(xs, ys, (350, 240), 16, 8, 4, 9)
    calls: list[int] = []
    real = lines._with_gap_corners

    def counted(*args: object, **kwargs: object) -> np.ndarray:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(lines, "_with_gap_corners", counted)
    line_points(mask, tolerance=1.0)
    assert calls
    calls.clear()
    line_points(mask, tolerance=1.0, gap_corners=False)
    assert not calls


def _with_blips(mask: np.ndarray, xs: np.ndarray, ys: np.ndarray, at: np.ndarray,
                rows: int = 3) -> np.ndarray:
    """``mask`` with ``rows`` pixels set just above the stroke in the column of each ``x`` of
    ``at``: a crossing series' anti-aliased edge taken for the line's colour."""
    mask = mask.copy()
    for x in at:
        c = int(round(x))
        col = np.flatnonzero(mask[:, c])
        top = int(col[np.argmin(np.abs(col - np.interp(x, xs, ys)))])
        while mask[top - 1, c]:
            top -= 1
        mask[top - rows : top, c] = True
    return mask


def test_blips_beside_a_line_on_the_data_grid_are_no_corners() -> None:
    """A column or two of the trace pulled aside (another series' fringe where it crosses)
    is no data point: a line on the data's grid keeps one point per node."""
    step, start = 16.0, 20.0
    xs = start + step * np.arange(36)
    ys = 150 + 100 * np.sin((xs - start) / (step * 35) * 2 * np.pi)
    mask = draw(xs, ys, size=(620, 300), lw=3.0).mask
    mask = _with_blips(mask, xs, ys, start + step * (np.arange(3, 34, 5) + 0.5))
    found = line_points(mask, tolerance=1.0, shared_grid=(start, step))
    assert found.sampling == "vertices" and len(found.points) == len(xs), found.points
    assert np.abs(found.points[:, 0] - xs).max() <= 0.1 * step
    # a polyline on a grid of its own
    rng = np.random.default_rng(3)
    xs = 20.0 + 30.0 * np.arange(16)
    ys = rng.uniform(60, 260, 16)
    mask = draw(xs, ys, size=(500, 320), lw=2.5).mask
    mask = _with_blips(mask, xs, ys, xs[:-1][2::3] + 15.0)
    found = line_points(mask, tolerance=1.0)
    assert found.grid is not None and len(found.points) == len(xs), found.points

