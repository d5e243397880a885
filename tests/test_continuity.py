"""Same-colour line series: markers given to their series by shape and by the lines."""

from __future__ import annotations

import cv2
import numpy as np

from digitize.extract.continuity import assign_by_continuity, columns
from digitize.extract.markers import Marker

XS = [20, 50, 80, 110, 140, 170, 200]
RISING = [150, 130, 110, 90, 70, 50, 30]  # series 0
FALLING = [40, 60, 75, 95, 120, 135, 160]  # series 1: crosses series 0


def _chart(junk: tuple[int, int] | None = None) -> tuple[np.ndarray, list[Marker], list[int]]:
    """Two polylines of one ink with a marker at each vertex; the markers and their
    true series."""
    ink = np.zeros((180, 220), np.uint8)
    markers, truth = [], []
    for j, ys in enumerate((RISING, FALLING)):
        pts = np.array(list(zip(XS, ys, strict=True)), np.int32)
        cv2.polylines(ink, [pts], False, 1, 2)
        for x, y in zip(XS, ys, strict=True):
            cv2.circle(ink, (x, y), 4, 1, -1)
            markers.append(Marker(float(x), float(y), 4.0, 50))
            truth.append(j)
    if junk is not None:
        cv2.circle(ink, junk, 4, 1, -1)
        markers.append(Marker(float(junk[0]), float(junk[1]), 4.0, 50))
        truth.append(-1)
    return ink.astype(bool), markers, truth


def _scores(truth: list[int], wrong: set[int]) -> np.ndarray:
    """Shape scores that favour each marker's true series, except the ``wrong`` ones,
    read as the other series' shape (small markers, half hidden)."""
    out = np.full((len(truth), 2), 0.45)
    for i, j in enumerate(truth):
        if j < 0:
            out[i] = 0.2
            continue
        good = 1 - j if i in wrong else j
        out[i, good] = 0.7
    return out


def test_markers_read_as_the_other_shape_go_to_the_line_that_joins_them() -> None:
    mask, markers, truth = _chart()
    wrong = {2, 9, 12}  # series 0's third marker, series 1's third and sixth
    scores = _scores(truth, wrong)
    by_shape = [int(np.argmax(row)) for row in scores]
    assert by_shape != truth
    assert assign_by_continuity(mask, markers, scores, [0, 1]) == truth


def test_a_blob_off_both_lines_is_given_to_neither() -> None:
    mask, markers, truth = _chart(junk=(110, 20))
    owner = assign_by_continuity(mask, markers, _scores(truth, set()), [0, 1])
    assert owner == truth


def test_markers_in_no_columns_are_not_decoded() -> None:
    # a scatter: many markers at each x
    rng = np.random.default_rng(0)
    markers = [Marker(float(x), float(y), 3.0, 30)
               for x in (20, 60, 100) for y in rng.uniform(10, 170, 6)]
    mask = np.zeros((180, 220), bool)
    assert assign_by_continuity(mask, markers, np.full((len(markers), 2), 0.5), [0, 1]) is None


def test_columns_group_markers_by_x() -> None:
    ms = [Marker(10.0, 5.0, 3.0, 1), Marker(11.5, 40.0, 3.0, 1), Marker(30.0, 9.0, 3.0, 1)]
    assert columns(ms, 3.0) == [[0, 1], [2]]



def _same_colour_chart(seed: int, markers: list[str]) -> tuple[dict, dict, float]:
    """Black lines told apart by small markers only (80 dpi, ggplot style, legend inside),
    read with digitize: the true values, the series found by name, the y span."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import digitize

    rng = np.random.default_rng(seed)
    names = ["train", "model B", "test"][: len(markers)]
    ys = {n: np.round(50 + np.cumsum(rng.normal(0, 4, 16)), 2) for n in names}
    with plt.style.context("ggplot"):
        fig, ax = plt.subplots(figsize=(7, 4), dpi=80, layout="constrained")
        for (name, y), marker in zip(ys.items(), markers, strict=True):
            ax.plot(np.arange(16.0), y, color="black", marker=marker, ms=6, lw=2, label=name)
        ax.legend(loc="lower left")
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=80)
        span = float(np.diff(ax.get_ylim())[0])
        plt.close(fig)
    return ys, {s.name: s for s in digitize.read(buf.getvalue()).series}, span


def test_small_markers_read_as_another_shape_stay_on_their_line() -> None:
    ys, found, span = _same_colour_chart(1, ["D", "^", "x"])
    assert set(found) == set(ys)
    for name, y in ys.items():
        pts = found[name].points
        off = [(p.x, p.y) for p in pts if abs(p.y - y[int(round(p.x))]) > 0.02 * span]
        assert len(pts) >= 15 and not off, (name, len(pts), off)


def test_markers_of_a_series_more_than_those_decoded_are_not_decoded() -> None:
    mask, markers, truth = _chart()
    third = [Marker(float(x), 100.0, 4.0, 50) for x in XS]  # a series the legend does not list
    scores = np.vstack([_scores(truth, set()), np.full((len(third), 2), 0.5)])
    assert assign_by_continuity(mask, markers + third, scores, [0, 1]) is None


def _polyline_mask(lines: list[list[tuple[int, int]]], shape: tuple[int, int]) -> np.ndarray:
    canvas = np.zeros(shape, np.uint8)
    for pts in lines:
        for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
            cv2.line(canvas, (x0, y0), (x1, y1), 1, 2)
        for x, y in pts:
            cv2.circle(canvas, (x, y), 4, 1, -1)
    return canvas.astype(bool)


def test_marker_hidden_under_another_series_marker_of_the_same_ink() -> None:
    """Two series of one ink meet at x = 50: the marker drawn last hides the other. The
    first series skips that column, and its line runs from its marker before into the
    covering marker and on to its marker after: it has a (hidden) point there."""
    from digitize.pipeline import _hidden_in_shared

    a = [(10, 20), (30, 30), (50, 50), (70, 25), (90, 35)]
    b = [(10, 80), (30, 70), (50, 50), (70, 75), (90, 85)]
    mask = _polyline_mask([a, b], (100, 100))
    split = [[Marker(x, y, 4.0, 50) for x, y in a if x != 50],
             [Marker(x, y, 4.0, 50) for x, y in b]]
    out = _hidden_in_shared(mask, split)
    added = [m for m in out[0] if m.hidden]
    assert [(m.x, m.y) for m in added] == [(50, 50)]
    assert out[1] == split[1]
    # the first series' own point at x = 50 lies elsewhere (not found): no line runs from
    # its neighbours into the other series' marker
    a2 = [(10, 20), (30, 30), (50, 15), (70, 25), (90, 35)]
    mask = _polyline_mask([a2, b], (100, 100))
    split = [[Marker(x, y, 4.0, 50) for x, y in a2 if x != 50],
             [Marker(x, y, 4.0, 50) for x, y in b]]
    assert not any(m.hidden for m in _hidden_in_shared(mask, split)[0])
