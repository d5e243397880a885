"""Markers of line series that share one ink, given to their series by shape and by the
line that joins them.

Where several series of one colour are told apart by marker shape only, a shape read
wrong (small markers, a marker half hidden by another line) puts a marker in the wrong
series and its line zigzags between the others. Each series' line runs straight from one
of its markers to the next, and the ink shows that segment; a segment between markers of
two different series mostly runs over the background. The markers are therefore grouped
in columns (the series share their ``x`` positions) and each column's markers are given
to the series by the assignment that best fits both the shapes and the ink between
consecutive columns: a Viterbi decoding over the columns, one state per assignment.
"""

from __future__ import annotations

from itertools import combinations, permutations

import numpy as np

from .. import morphology
from .markers import Marker

LINE_WEIGHT = 1.0  # cost of a segment with no ink, against a marker of no fitting shape
JOIN_EVEN = 0.5  # share of a segment on the ink that neither joins nor parts two markers
MAX_SERIES = 4  # more series than this make too many assignments per column
MAX_EXTRA = 2  # markers in a column beyond one per series (another series' marks, junk)
CROWDED = 0.25  # share of columns with more markers than series past which one is missing
LEFT_OUT = 0.7  # cost of a marker given to no series (one whose shape fits none)
ABSENT = 0.5  # cost of a series with no marker in a column (hidden, or the data skip it)


def segment_on_ink(near: np.ndarray, a: tuple[float, float], b: tuple[float, float]) -> float:
    """Share of the straight segment from ``a`` to ``b`` (x, y) that lies on ``near``."""
    h, w = near.shape
    n = max(2, int(np.hypot(b[0] - a[0], b[1] - a[1])))
    t = np.linspace(0.0, 1.0, n)
    xs = np.clip(np.round(a[0] + t * (b[0] - a[0])).astype(int), 0, w - 1)
    ys = np.clip(np.round(a[1] + t * (b[1] - a[1])).astype(int), 0, h - 1)
    return float(near[ys, xs].mean())


def columns(markers: list[Marker], reach: float) -> list[list[int]]:
    """Indices of ``markers`` grouped by ``x``: a column ends where the next marker lies
    more than ``reach`` pixels further right."""
    order = sorted(range(len(markers)), key=lambda i: markers[i].x)
    out: list[list[int]] = []
    for i in order:
        if out and markers[i].x - markers[out[-1][-1]].x <= reach:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def assign_by_continuity(
    mask: np.ndarray, markers: list[Marker], scores: np.ndarray, series: list[int]
) -> list[int] | None:
    """The series of each marker, decoded over the columns of markers.

    Parameters
    ----------
    mask : ndarray of bool
        The shared ink.
    markers : list of Marker
        The markers found in it.
    scores : ndarray
        How well each marker fits each series' shape (markers by series, 0..1; see
        :func:`digitize.extract.shapes.shape_scores`).
    series : list of int
        The series (columns of ``scores``) markers may be given to.

    Returns
    -------
    list of int or None
        The series of each marker, -1 for none; None where the markers make no columns of
        about one marker per series (a scatter, markers not on shared ``x``, a series more
        than ``series``: over ``CROWDED`` of the columns hold more markers than there are
        series) or there are too many series to try every assignment.
    """
    if not markers or not 2 <= len(series) <= MAX_SERIES:
        return None
    radius = float(np.median([m.radius for m in markers]))
    cols = columns(markers, max(2.0, radius))
    if any(len(c) > len(series) + MAX_EXTRA for c in cols) or len(cols) < 3:
        return None
    if np.mean([len(c) > len(series) for c in cols]) > CROWDED:
        return None  # the markers of a series more than those decoded for (unlisted)
    near = morphology.dilate(mask, 1)
    states = [_assignments(len(c), series) for c in cols]
    emit = [np.array([sum(1.0 - scores[i, j] if j >= 0 else LEFT_OUT
                          for i, j in zip(c, s, strict=True))
                      + ABSENT * (len(series) - sum(j >= 0 for j in s))
                      for s in st]) for c, st in zip(cols, states, strict=True)]
    cost = emit[0]
    back: list[np.ndarray] = []
    for k in range(1, len(cols)):
        prev, cur = cols[k - 1], cols[k]
        # a segment on the ink joins two markers of one series, one off it parts them
        gap = np.array([[JOIN_EVEN - link_on_ink(near, markers[a], markers[b], radius) for b in cur]
                        for a in prev])
        trans = np.zeros((len(states[k - 1]), len(states[k])))
        for p, sp in enumerate(states[k - 1]):
            where = {j: a for a, j in enumerate(sp) if j >= 0}
            for q, sq in enumerate(states[k]):
                trans[p, q] = sum(gap[where[j], b] for b, j in enumerate(sq) if j in where)
        total = cost[:, None] + LINE_WEIGHT * trans
        back.append(np.argmin(total, axis=0))
        cost = total.min(axis=0) + emit[k]
    pick = [int(np.argmin(cost))]
    for b in reversed(back):
        pick.append(int(b[pick[-1]]))
    pick.reverse()
    owner = [-1] * len(markers)
    for c, st, p in zip(cols, states, pick, strict=True):
        for i, j in zip(c, st[p], strict=True):
            owner[i] = j
    return owner


def _assignments(n: int, series: list[int]) -> list[tuple[int, ...]]:
    """Every way to give ``n`` markers to distinct ``series`` or to none (-1)."""
    out = []
    for r in range(min(n, len(series)) + 1):
        for chosen in combinations(range(n), r):
            for given in permutations(series, r):
                state = [-1] * n
                for i, j in zip(chosen, given, strict=True):
                    state[i] = j
                out.append(tuple(state))
    return out


def link_on_ink(near: np.ndarray, a: Marker, b: Marker, radius: float) -> float:
    """Share of the segment between two markers, outside their bodies, on the ink."""
    dx, dy = b.x - a.x, b.y - a.y
    length = float(np.hypot(dx, dy))
    if length <= 2 * radius + 2:
        return 1.0  # touching markers: nothing between them to see
    t = (radius + 1) / length
    return segment_on_ink(near, (a.x + t * dx, a.y + t * dy), (b.x - t * dx, b.y - t * dy))
