"""Line vertices from a series' colour mask, for lines drawn without markers.

1. Isolated specks (JPEG noise, stray marks) are dropped; the dots of a dotted line are kept
   because each has neighbours along the line.
2. The line is traced column by column: in each column the run that continues the trace
   (nearest the position extrapolated from the previous columns) is taken, so a crossing
   series, a stray mark or a gap (dashes, dots, occlusion by another line) does not pull the
   trace away. Gaps are bridged: the trace is one series.
3. At a sharp peak the apex column holds both arms, so its centre lies inside the stroke;
   there the run's far end (top at a maximum, bottom at a minimum, less half the line
   width) is used instead.
4. Douglas-Peucker picks the candidate corners, with a tolerance no smaller than the trace's
   noise (measured from the line width).
5. Each corner is then placed where straight lines fitted (total least squares) to the
   pixels of its two neighbouring segments intersect: that is the centreline's corner,
   free of the thickness bias at sharp turns, and it is found even when the corner itself
   is hidden under another series. Gentle bends (curves) keep their traced position.
6. On a dashed line, a turn in the gap between two straight dashes (which Douglas-Peucker can
   only put at a traced dash) is where the two dashes' lines meet; a dash bent round a corner
   is kept as traced, not replaced by its centroid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from scipy import linalg, ndimage

from .. import morphology
from .markers import line_half_width

Line = tuple[np.ndarray, np.ndarray]

#: corners turning less than this (degrees) are not moved by the line-intersection step
MIN_CORNER_ANGLE = 3.0
#: interior points closer than this many line widths (and 4 px) to the next are one corner
CLUSTER_WIDTHS = 1.5
#: a line whose points turn by less than this (degrees), the same way as a neighbour's, along
#: most of its length is a curve (see :func:`sampling_of`)
GENTLE_TURN = 20.0
#: a polyline's corner must bend its trace this many pixels more than the tolerance (a
#: sampled curve keeps the tolerance: it follows its trace to within a pixel)
CORNER_SLACK = 0.5
#: a trace through at least one piece of its mask per this many line widths is a dotted or
#: dashed line (see :func:`_broken`)
BROKEN_PERIOD = 10.0
#: points closer than this many line widths (median along x) sample a dense curve
DENSE_SPACING = 2.0
#: a piece of the mask spanning no more than this share of a line width either way is no dot
#: or dash of the line (a dot, or a stroke cut by a crossing, spans a line width across): a
#: speck (JPEG, a neighbour's anti-aliased edge), left out of the trace (see
#: :func:`_dash_points`)
SPECK_EXTENT = 0.5
#: least stroke half-width for that: on a thinner stroke a pixel or two beside the trace is as
#: likely its own broken anti-aliased edge
SPECK_MIN_HALF = 1.5


def despeckle(mask: np.ndarray, half_width: float) -> np.ndarray:
    """``mask`` without isolated specks.

    A component is a speck when it is small (no bigger than a few line widths squared) and no
    other component lies within a few line widths of it (the dots of a dotted line and the
    pieces of a dashed one always have neighbours).
    """
    mask = np.asarray(mask, bool)
    labels, n = ndimage.label(mask, structure=np.ones((3, 3)))
    if n <= 1:
        return mask
    sizes = np.bincount(labels.ravel(), minlength=n + 1)
    small_area = max(6.0, 6.0 * (2 * half_width + 1) ** 2)
    small = sizes <= small_area
    small[0] = False
    if not small.any():
        return mask
    reach = int(math.ceil(max(6.0, 5.0 * (2 * half_width + 1))))
    grown = morphology.dilate(mask, reach // 2 + 1, np.ones((3, 3), np.uint8))
    glabels, _ = ndimage.label(grown, structure=np.ones((3, 3)))
    # how many original components share each grown component
    pairs = np.unique(np.column_stack([labels[mask], glabels[mask]]), axis=0)
    per_group = np.bincount(pairs[:, 1])
    group_of = np.zeros(n + 1, int)
    group_of[pairs[:, 0]] = pairs[:, 1]
    # a group of specks is kept when it holds a real stroke or is a chain of at least three
    # (a dotted line); one or two specks on their own are noise
    big_in_group = np.zeros(per_group.shape, bool)
    big_in_group[group_of[np.flatnonzero(~small[1:]) + 1]] = True
    alone = (per_group[group_of] <= 2) & ~big_in_group[group_of]
    drop = small & alone
    drop[0] = False
    return mask & ~drop[labels]


def _runs(col: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (inclusive) rows of the runs of True in a 1-D boolean array."""
    padded = np.concatenate([[False], col, [False]])
    d = np.diff(padded.astype(np.int8))
    return np.flatnonzero(d == 1), np.flatnonzero(d == -1) - 1


def _trace(
    mask: np.ndarray, *, bridge: int = 0, max_jump: float | None = None, speck: int = 3
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per inked column: ``x``, and the ``top``/``bottom`` rows of the run the line takes.

    Runs separated by at most ``bridge`` empty pixels count as one (holes that JPEG noise or
    anti-aliasing cut into a stroke). With ``max_jump``, a column whose nearest run is no
    longer than ``speck`` and farther than that from the extrapolated trace is skipped (a
    speck in a gap of the line), unless the trace finds nothing else for four times as many
    columns.
    """
    xs: list[int] = []
    tops: list[int] = []
    bots: list[int] = []
    cols = np.flatnonzero(mask.any(axis=0))
    recent: list[tuple[float, float]] = []
    skipped = 0
    for x in cols:
        starts, ends = _runs(mask[:, x])
        if bridge and len(starts) > 1:
            join = starts[1:] - ends[:-1] - 1 <= bridge
            starts = starts[np.concatenate([[True], ~join])]
            ends = ends[np.concatenate([~join, [True]])]
        if not recent:
            k = int(np.argmax(ends - starts))  # first column: the biggest run
        else:
            px, py = recent[-1]
            pred = py
            if len(recent) >= 3:
                x0, y0 = recent[0]
                slope = (py - y0) / max(px - x0, 1.0)
                pred = py + float(np.clip(slope, -3, 3)) * min(x - px, 30)
            # distance from the predicted position to each run (0 inside the run)
            dist = np.maximum(0, np.maximum(starts - pred, pred - ends))
            dist = dist + 0.01 * np.abs((starts + ends) / 2 - pred)
            k = int(np.argmin(dist))
            # far from both the extrapolation and the last position (a corner turns away
            # from the extrapolation): a speck, not the line
            near_last = np.maximum(0, np.maximum(starts - py, py - ends))
            jump = min(float(dist[k]), float(near_last.min()))
            short_run = ends[k] - starts[k] + 1 <= speck  # a long run is a steep stroke
            if max_jump is not None and short_run and jump > max_jump + 0.2 * (x - px):
                skipped += 1
                if skipped <= 4 * max_jump:
                    continue
        skipped = 0
        xs.append(int(x))
        tops.append(int(starts[k]))
        bots.append(int(ends[k]))
        recent.append((float(x), (starts[k] + ends[k]) / 2.0))
        if len(recent) > 6:
            recent.pop(0)
    return np.array(xs, float), np.array(tops, float), np.array(bots, float)


def trace_columns(mask: np.ndarray, *, max_gap: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The line's centre ``y`` in each column of ``mask`` that has ink, following continuity.

    Where a column holds several runs, the one nearest the position extrapolated from the
    previous columns is taken (so a crossing or a stray mark does not pull the trace away).
    Returns ``(xs, ys)`` as float arrays.
    """
    xs, tops, bots = _trace(np.asarray(mask, bool))
    return xs, (tops + bots) / 2.0


def _peak_adjusted(xs: np.ndarray, tops: np.ndarray, bots: np.ndarray, half: float) -> np.ndarray:
    """Column centres, with the run's far end at sharp peaks (clipped otherwise)."""
    ys = (tops + bots) / 2.0
    out = ys.copy()
    thick = 2 * half + 1
    n = len(xs)
    for i in range(n):
        length = bots[i] - tops[i] + 1
        if length <= thick + 1:
            continue
        lo, hi = max(0, i - 3), min(n, i + 4)
        left = ys[lo:i][xs[lo:i] >= xs[i] - 4]
        right = ys[i + 1 : hi][xs[i + 1 : hi] <= xs[i] + 4]
        if len(left) == 0 or len(right) == 0:
            continue
        if left.min() > ys[i] and right.min() > ys[i] or (
            left.mean() > ys[i] + 1 and right.mean() > ys[i] + 1
        ):
            out[i] = tops[i] + half  # a maximum (image y grows downwards)
        elif left.max() < ys[i] and right.max() < ys[i] or (
            left.mean() < ys[i] - 1 and right.mean() < ys[i] - 1
        ):
            out[i] = bots[i] - half
    return out


def _dash_points(
    mask: np.ndarray, xs: np.ndarray, tops: np.ndarray, ys: np.ndarray, half: float,
    specks: bool = False,
) -> np.ndarray:
    """The trace as points along the centreline, unbiased at the ends of dashes and dots.

    A column that cuts a dash's end holds only part of the stroke, so its centre is off the
    line (by up to the stroke's vertical half-height on a steep line). Short pieces (dots,
    dashes) are replaced by their centroid; longer ones lose the columns at their ends. With
    ``specks``, on a solid line (most columns in pieces longer than a dash: no dots to
    lose) at least :data:`SPECK_MIN_HALF` half-wide, pieces spanning no more than
    :data:`SPECK_EXTENT` line widths either way are left out (a speck in a gap of the line,
    where another series covers it, would be taken for a corner).
    """
    labels, _ = ndimage.label(mask, structure=np.ones((3, 3)))
    lab = labels[tops.astype(int), xs.astype(int)]
    thick = 2 * half + 1
    short = max(10.0, 6 * thick)
    k = int(math.ceil(thick)) + 1
    keep = np.ones(len(xs), bool)
    extra: list[tuple[float, float]] = []
    # a solid line (most columns in pieces longer than a dash) has no dots to lose
    specks = (specks and half >= SPECK_MIN_HALF
              and float(np.median(np.bincount(lab)[lab])) > short)
    for value in np.unique(lab):
        idx = np.flatnonzero(lab == value)
        if len(idx) <= 2 * k + 2:
            if _bulges(ys[idx], thick):
                continue  # a piece holding a peak (a faint stroke broken at its tip): as traced
            rr, cc = np.nonzero(labels == value)
            if _bent(np.column_stack([cc, rr]).astype(float), half):
                continue  # a dash bent round a corner: as traced (its centroid cuts the corner)
            if specks and max(np.ptp(rr), np.ptp(cc)) + 1 <= SPECK_EXTENT * thick:
                keep[idx] = False  # a speck the trace ran through (a neighbour's edge), no dot
                continue
            if np.hypot(np.ptp(rr), np.ptp(cc)) <= short:
                keep[idx] = False
                extra.append((float(cc.mean()), float(rr.mean())))
            continue
        lo, hi = xs[idx].min(), xs[idx].max()
        cut = idx[(xs[idx] < lo + k) | (xs[idx] > hi - k)]
        # a column that is a peak of the trace around it is the line's apex, not a dash's end
        w0 = np.searchsorted(xs, xs[cut] - 2 * k)
        w1 = np.searchsorted(xs, xs[cut] + 2 * k, side="right")
        apex = np.array([ys[c] <= ys[a:b].min() or ys[c] >= ys[a:b].max()
                         for c, a, b in zip(cut, w0, w1, strict=True)], bool)
        keep[cut[~apex]] = False
    keep[0] = keep[-1] = True  # the line's own ends
    pts = np.column_stack([xs[keep], ys[keep]])
    if extra:
        pts = np.vstack([pts, np.array(extra)])
        pts = pts[np.argsort(pts[:, 0], kind="stable")]
    return pts


def _broken(mask: np.ndarray, xs: np.ndarray, tops: np.ndarray, thick: float) -> bool:
    """True when the trace (columns ``xs``, top rows ``tops``) runs through many separate
    pieces of ``mask``, at least one per :data:`BROKEN_PERIOD` line widths of its length (and
    five): a dotted or dashed line."""
    if len(xs) < 2:
        return False
    labels, _ = ndimage.label(mask, structure=np.ones((3, 3)))
    pieces = len(np.unique(labels[tops.astype(int), xs.astype(int)]))
    return bool(pieces >= max(5.0, (xs[-1] - xs[0]) / (BROKEN_PERIOD * thick)))


def _bulges(ys: np.ndarray, thick: float) -> bool:
    """True when the column centres ``ys`` of a short piece reach past both of its ends by
    more than half the line width: the piece holds a peak or trough (it is not straight)."""
    ends = ys[[0, -1]]
    return bool(ys.min() < ends.min() - thick / 2 or ys.max() > ends.max() + thick / 2)


def _bent(pts: np.ndarray, half: float, fit: Line | None = None) -> bool:
    """True when the pixels ``pts`` of one piece of a line lie farther than half the line
    width and a pixel from their total-least-squares line (``fit``, :func:`_fit_line` of
    them where not given), and the piece is long enough to hold two arms
    (:data:`DASH_MIN_WIDTHS` line widths): a dash bent round a corner, no straight stroke
    (a dot's ragged anti-aliased or JPEG edge is no bend)."""
    fit = _fit_line(pts) if fit is None else fit
    if fit is None:
        return False
    c, d = fit
    rel = pts - c
    if float(np.ptp(rel @ d)) < DASH_MIN_WIDTHS * (2 * half + 1):
        return False
    return bool(np.abs(rel @ np.array([-d[1], d[0]])).max() > half + 1.0)


def _fit_line(pts: np.ndarray, max_rms: float | None = None) -> Line | None:
    """Total-least-squares line through ``pts``: (centroid, unit direction), or None when
    there are too few points or (with ``max_rms``) they scatter more than a straight stroke."""
    if len(pts) < 3:
        return None
    c = pts.mean(axis=0)
    d = pts - c
    cov = d.T @ d
    w, v = np.linalg.eigh(cov)
    if w[1] <= 1e-9:
        return None
    direction = v[:, 1]
    # needs some length along the direction
    along = d @ direction
    if along.max() - along.min() < 2.0:
        return None
    if max_rms is not None and math.sqrt(max(float(w[0]), 0.0) / len(pts)) > max_rms:
        return None  # not one straight stroke (two arms of a corner, a crossing)
    return c, direction


def _intersect(l1: Line, l2: Line) -> np.ndarray | None:
    (c1, d1), (c2, d2) = l1, l2
    a = np.column_stack([d1, -d2])
    if abs(np.linalg.det(a)) < 1e-6:
        return None
    t = np.linalg.solve(a, c2 - c1)
    return c1 + t[0] * d1


def _turn_angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """Change of direction (degrees) at ``b`` along a -> b -> c."""
    u, v = b - a, c - b
    nu, nv = np.hypot(*u), np.hypot(*v)
    if nu == 0 or nv == 0:
        return 0.0
    cos = float(np.clip(np.dot(u, v) / (nu * nv), -1, 1))
    return math.degrees(math.acos(cos))


def _merge_short(verts: np.ndarray, min_len: float) -> np.ndarray:
    """Merge neighbouring interior corners closer than ``min_len`` (a clipped apex)."""
    verts = [np.asarray(v, float) for v in verts]
    changed = True
    while changed and len(verts) > 3:
        changed = False
        for i in range(1, len(verts) - 2):
            if np.hypot(*(verts[i + 1] - verts[i])) < min_len:
                verts[i : i + 2] = [(verts[i] + verts[i + 1]) / 2]
                changed = True
                break
    return np.array(verts)


def _merge_ends(verts: np.ndarray, reach: float) -> np.ndarray:
    """``verts`` without the interior points closer than ``reach`` to an end point.

    Where a stroke ends, its cap (round, square, anti-aliased) bends the first and last
    columns of the trace: a corner found there, a line width from the end, is the cap's
    outline, not a data point (data points that close would be a dense curve's).
    """
    verts = np.asarray(verts, float)
    while len(verts) > 2 and np.hypot(*(verts[1] - verts[0])) < reach:
        verts = np.delete(verts, 1, axis=0)
    while len(verts) > 2 and np.hypot(*(verts[-2] - verts[-1])) < reach:
        verts = np.delete(verts, -2, axis=0)
    return verts


def _merge_clusters(
    verts: np.ndarray, min_len: float, trace_x: np.ndarray | None = None, gap_len: float = 0.0
) -> np.ndarray:
    """Runs of interior points closer than ``min_len`` to the next one (a corner split in
    two, a knot of points where specks or a gap shook the trace) become one point.

    With ``trace_x`` (the traced columns), two points up to ``gap_len`` apart with no trace
    between them (a corner between two dots or dashes) count as close too. The run's point
    is where the lines from its outside neighbours through its first and last points meet
    (the corner both halves point at), or, where that is far off, the point farthest from
    the chord of the outside neighbours (the apex).
    """
    verts = np.asarray(verts, float)
    n = len(verts)
    if n < 4:
        return verts
    lengths = np.hypot(*np.diff(verts, axis=0).T)
    close = lengths < min_len  # segment k: points k and k + 1
    if trace_x is not None and gap_len > min_len:
        lo = np.searchsorted(trace_x, verts[:-1, 0] + 1.0)
        hi = np.searchsorted(trace_x, verts[1:, 0] - 1.0)
        close |= (lengths < gap_len) & (hi <= lo)
    out = [verts[0]]
    k = 1
    while k < n - 1:
        j = k
        while j < n - 2 and close[j]:
            j += 1
        if j == k:
            out.append(verts[k])
        else:  # interior points k..j form a run
            a, b = verts[k - 1], verts[j + 1]
            run = verts[k : j + 1]
            p = _intersect((a, verts[k] - a), (b, verts[j] - b))
            span = float(np.hypot(*(run[-1] - run[0])))
            if p is None or np.hypot(*(p - run.mean(axis=0))) > span + 2.0:
                ab = b - a
                length = max(float(np.hypot(*ab)), 1e-9)
                off = np.abs(ab[0] * (run - a)[:, 1] - ab[1] * (run - a)[:, 0]) / length
                p = run[int(np.argmax(off))]
            out.append(p)
        k = j + 1
    out.append(verts[-1])
    return np.array(out)


def _segment_pixels(
    pix: np.ndarray, verts: np.ndarray, margins: np.ndarray
) -> list[np.ndarray]:
    """Pixels nearest each segment of ``verts``, away from its corners by ``margins``."""
    n = len(verts) - 1
    a = verts[:-1]
    b = verts[1:]
    ab = b - a
    lengths = np.hypot(ab[:, 0], ab[:, 1])
    lengths[lengths == 0] = 1e-9
    # the trace runs left to right: a pixel belongs to the segment over its column or a
    # neighbour of it
    base = np.clip(np.searchsorted(verts[:, 0], pix[:, 0]) - 1, 0, n - 1)
    cand = np.clip(base[:, None] + np.array([-1, 0, 1])[None], 0, n - 1)
    rel = pix[:, None, :] - a[cand]
    seg = ab[cand]
    t = np.clip((rel * seg).sum(-1) / lengths[cand] ** 2, 0, 1)
    near = a[cand] + t[..., None] * seg
    dist = np.hypot(*(pix[:, None, :] - near).transpose(2, 0, 1))
    pick = np.argmin(dist, axis=1)
    rows = np.arange(len(pix))
    owner = cand[rows, pick]
    t_own = t[rows, pick]
    out = []
    for k in range(n):
        sel = owner == k
        s = t_own[sel] * lengths[k]
        keep = (s > margins[k]) & (s < lengths[k] - margins[k + 1])
        out.append(pix[sel][keep])
    return out


def _margins(verts: np.ndarray, half: float) -> np.ndarray:
    """How far from each corner its two arms' pixels are mixed (left out of the line fits)."""
    n = len(verts)
    margins = np.zeros(n)
    for i in range(1, n - 1):
        # the two arms of a stroke merge within half / tan(interior / 2) of the corner
        interior = math.radians(180.0 - _turn_angle(verts[i - 1], verts[i], verts[i + 1]))
        margins[i] = 1.0 + half + half / max(math.tan(interior / 2), 0.05)
    return margins


def _without_blips(pts: np.ndarray, d: np.ndarray, tol: float, reach: float) -> np.ndarray:
    """The distances ``d`` of the trace points ``pts`` (x-sorted) from a segment, with its
    blips' set to 0.

    A blip is a run of points farther than ``tol`` from the segment, but no farther than
    ``reach``, that spans less than ``reach`` pixels along ``x`` and has a point within
    ``tol`` of it within ``reach`` on both sides: a crossing series' anti-aliased edge or a
    JPEG fringe pulling a column or two of the trace aside by up to a line width. A corner
    the segment cuts off takes the trace away along its arms, not for a column or two; a
    spike between steep arms goes farther than a line width.
    """
    d = d.copy()
    runs, _ = ndimage.label(d > tol)
    for k, sl in enumerate(ndimage.find_objects(runs), start=1):
        first, last = sl[0].start, sl[0].stop - 1
        if (0 < first and last < len(pts) - 1
                and pts[last, 0] - pts[first, 0] < reach
                and d[sl].max() <= reach
                and pts[first, 0] - pts[first - 1, 0] <= reach
                and pts[last + 1, 0] - pts[last, 0] <= reach):
            d[runs == k] = 0.0
    return d


def _deviation(trace: np.ndarray, a: np.ndarray, b: np.ndarray, skip: float = 0.0,
               blips: tuple[float, float] | None = None) -> float:
    """Largest distance from the trace points between ``a`` and ``b`` to the segment ``ab``,
    leaving out those within ``skip`` of either end (a corner's thickness bias), and with
    ``blips`` (``(tol, reach)``), the trace's blips (:func:`_without_blips`)."""
    lo, hi = sorted((float(a[0]), float(b[0])))
    i0, i1 = np.searchsorted(trace[:, 0], [lo - 0.5, hi + 0.5])
    pts = trace[i0:i1]
    if len(pts) == 0:
        return 0.0
    ab = b - a
    length = float(np.hypot(*ab))
    if length == 0:
        return float(np.hypot(*(pts - a).T).max())
    rel = pts - a
    t = np.clip((rel @ ab) / length, 0.0, length)
    d = np.hypot(*(pts - (a + np.outer(t / length, ab))).T)
    if blips is not None:
        d = _without_blips(pts, d, *blips)
    skip = min(skip, 0.3 * length)
    sel = (np.hypot(*rel.T) > skip) & (np.hypot(*(pts - b).T) > skip)
    return float(d[sel].max()) if sel.any() else 0.0


def _path_deviation(trace: np.ndarray, pts: list[np.ndarray], skip: float) -> float:
    return max(_deviation(trace, p, q, skip) for p, q in zip(pts, pts[1:], strict=False))


def _refine(
    verts: np.ndarray, pix: np.ndarray, trace: np.ndarray, half: float, tol: float
) -> np.ndarray:
    """Corners moved to the intersection of lines fitted to their neighbouring segments.

    A move is kept only when the polyline still follows the trace (so the jitter of a dense
    series is sampled, not "corrected"). A short segment between two corners that cannot
    carry a line of its own (the trace points around a dashed, dotted or occluded apex)
    collapses into one corner at its neighbours' intersection.
    """
    verts = np.array(verts, float)
    if len(verts) < 3 or len(pix) == 0:
        return verts
    # a straight stroke's pixels scatter about (2 half + 1) / sqrt(12) across it
    rms = 1.5 * (2 * half + 1) / math.sqrt(12) + 0.5
    slack = tol + 0.5

    def fits_for(v: np.ndarray) -> tuple[np.ndarray, list[Line | None]]:
        margins = _margins(v, half)
        return margins, [_fit_line(p, rms) for p in _segment_pixels(pix, v, margins)]

    def corner(f1: Line | None, f2: Line | None) -> np.ndarray | None:
        if f1 is None or f2 is None:
            return None
        if abs(float(np.dot(f1[1], f2[1]))) > math.cos(math.radians(MIN_CORNER_ANGLE)):
            return None
        return _intersect(f1, f2)

    # 1. collapse chains of short segments between two long arms into one corner
    for _ in range(50):
        n = len(verts)
        if n <= 3:
            break
        margins, fits = fits_for(verts)
        lengths = np.hypot(*np.diff(verts, axis=0).T)
        cap = 3 * (2 * half + 1) + margins[:-1] + margins[1:]
        # short, or bridging a gap (a corner hidden under another series)
        short = (lengths < cap) | np.array([f is None for f in fits])
        changed = False
        chains = [
            (k, j)
            for k in range(1, n - 2)
            for j in range(k, min(k + 4, n - 2))
            if short[k : j + 1].all()
        ]
        chains.sort(key=lambda kj: float(lengths[kj[0] : kj[1] + 1].sum()))
        for k, j in chains:
            # segments k..j are short; k - 1 and j + 1 are the arms
            chain = float(lengths[k : j + 1].sum())
            if min(lengths[k - 1], lengths[j + 1]) < chain / (j - k + 1):
                continue
            p = corner(fits[k - 1], fits[j + 1])
            if p is None:
                continue
            if _gentle_unbroken(trace, verts, k, j):
                continue  # a rounded bend drawn in full (a curve): keep its samples
            skip = float(margins[k : j + 2].max()) + 1.0
            centre = verts[k : j + 2].mean(axis=0)
            if np.hypot(*(p - centre)) > skip + chain + 2:
                continue
            old = _path_deviation(trace, [verts[i] for i in range(k - 1, j + 3)], 0)
            new = _path_deviation(trace, [verts[k - 1], p, verts[j + 2]], skip)
            if new <= max(old, slack):
                verts = np.vstack([verts[:k], p[None], verts[j + 2 :]])
                changed = True
                break
        if not changed:
            break
    # 2. each corner at its arms' intersection
    n = len(verts)
    margins, fits = fits_for(verts)
    lengths = np.hypot(*np.diff(verts, axis=0).T)
    out = verts.copy()
    for i in range(1, n - 1):
        p = corner(fits[i - 1], fits[i])
        if p is None:
            continue
        # a corner's traced position may sit a short segment away (an occluded apex)
        limit = margins[i] + 2.0 + 0.5 * min(lengths[i - 1], lengths[i])
        if np.hypot(*(p - verts[i])) > limit:
            continue
        if min(lengths[i - 1], lengths[i]) < margins[i] + 2 * (2 * half + 1):
            continue  # arms too short to say (a dense, jittery series)
        if _overshoots(trace, p, verts[i - 1], verts[i + 1], half):
            continue
        # only a sharp corner's own thickness bias is excused: a gentle bend (a curve) must
        # not be pushed off its trace
        skip = margins[i] - 1.0 - half
        old = _path_deviation(trace, [out[i - 1], verts[i], verts[i + 1]], skip)
        new = _path_deviation(trace, [out[i - 1], p, verts[i + 1]], skip)
        if new <= max(old + 0.25, tol):
            out[i] = p
    # end points: onto the fitted line of their segment
    for i, f in ((0, fits[0]), (n - 1, fits[-1])):
        if f is not None:
            c, d = f
            out[i] = c + np.dot(verts[i] - c, d) * d
    return out


def _overshoots(
    trace: np.ndarray, p: np.ndarray, a: np.ndarray, b: np.ndarray, half: float
) -> bool:
    """True when corner ``p`` of a peak (or trough) lies beyond the traced tip in its column.

    The trace's tip is the stroke's outer edge less half the width; a corner past it is an
    extrapolation the pixels contradict. (Where the tip is hidden there is no trace to
    contradict it.)
    """
    j = int(np.searchsorted(trace[:, 0], p[0]))
    near = trace[max(0, j - 1) : j + 1]
    near = near[np.abs(near[:, 0] - p[0]) <= 1.0]
    if len(near) == 0:
        return False
    ty = float(np.interp(p[0], near[:, 0], near[:, 1])) if len(near) > 1 else float(near[0, 1])
    if a[1] > p[1] and b[1] > p[1]:  # a peak (image y grows downwards)
        return p[1] < ty - (1.0 + half)
    if a[1] < p[1] and b[1] < p[1]:
        return p[1] > ty + (1.0 + half)
    return False


def _gentle_unbroken(trace: np.ndarray, verts: np.ndarray, k: int, j: int) -> bool:
    """True when the short segments ``k..j`` (two or more) bend gently at every corner (under
    35 degrees) and the trace has no gap along them: a smooth curve sampled, not a clipped or
    hidden corner."""
    if j == k:
        return False
    turns = [_turn_angle(verts[i - 1], verts[i], verts[i + 1]) for i in range(k, j + 2)]
    if max(turns) >= 35.0:
        return False
    lo, hi = np.searchsorted(trace[:, 0], [verts[k, 0], verts[j + 1, 0]])
    xs = np.concatenate([[verts[k, 0]], trace[lo:hi, 0], [verts[j + 1, 0]]])
    return hi > lo and float(np.diff(xs).max()) <= 2.0


def _prune(verts: np.ndarray, trace: np.ndarray, tol: float, half: float,
           fixed: np.ndarray | None = None) -> np.ndarray:
    """Drop corners the trace does not need: those whose neighbours' chord stays within
    ``tol`` of the trace (away from the corners' thickness bias). Points in ``fixed`` stay
    (corners in gaps of the trace, where the chord past them meets no traced point)."""
    verts = [np.asarray(v, float) for v in verts]
    is_fixed = [fixed is not None and bool(np.any(np.all(np.isclose(v, fixed), axis=1)))
                for v in verts]
    skip = 1.0 + 2 * half
    changed = True
    while changed and len(verts) > 2:
        changed = False
        best, best_dev = -1, tol
        for i in range(1, len(verts) - 1):
            if is_fixed[i]:
                continue
            arms = min(np.hypot(*(verts[i] - verts[i - 1])), np.hypot(*(verts[i + 1] - verts[i])))
            # long arms: a corner's thickness bias is no reason to keep it
            dev = _deviation(trace, verts[i - 1], verts[i + 1], skip if arms > 3 * skip else 0.0)
            if dev <= best_dev:
                best, best_dev = i, dev
        if best > 0:
            del verts[best], is_fixed[best]
            changed = True
    return np.array(verts)


#: a dash gives its direction when it reaches this many line widths along the line
DASH_MIN_WIDTHS = 2.0


@dataclass
class _Dash:
    """One piece of a dashed line: its centroid, and for a straight dash long enough to
    point (:data:`DASH_MIN_WIDTHS`) its direction and its two ends along it (else None: a
    dot)."""

    centre: np.ndarray
    direction: np.ndarray | None = None
    ends: tuple[float, float] = (0.0, 0.0)


def _dashes(mask: np.ndarray, xs: np.ndarray, tops: np.ndarray, half: float
            ) -> list[_Dash | None]:
    """The pieces of ``mask`` the trace (columns ``xs``, top rows ``tops``) runs through, in
    its order: a :class:`_Dash` for each straight one (a dash or a dot), None for a bent
    one (a piece holding a corner, :func:`_bent`)."""
    labels, _ = ndimage.label(mask, structure=np.ones((3, 3)))
    seq = labels[tops.astype(int), xs.astype(int)]
    order = seq[np.r_[True, seq[1:] != seq[:-1]]]
    boxes = ndimage.find_objects(labels)
    thick = 2 * half + 1
    out: list[_Dash | None] = []
    for value in order:
        box = boxes[value - 1]
        rr, cc = np.nonzero(labels[box] == value)
        pts = np.column_stack([cc + box[1].start, rr + box[0].start]).astype(float)
        fit = _fit_line(pts)
        if _bent(pts, half, fit):
            out.append(None)
            continue
        if fit is None:
            out.append(_Dash(pts.mean(axis=0)))
            continue
        c, d = fit
        if d[0] < 0 or (d[0] == 0 and d[1] < 0):
            d = -d  # along the trace (left to right)
        along = (pts - c) @ d
        if float(np.ptp(along)) < DASH_MIN_WIDTHS * thick:
            out.append(_Dash(c))
            continue
        out.append(_Dash(c, d, (float(along.min()), float(along.max()))))
    return out


def _gap_corner(a: _Dash, b: _Dash, dots: list[np.ndarray], half: float
                ) -> tuple[np.ndarray, float] | None:
    """The corner in the gap between dashes ``a`` and ``b`` (with only the ``dots`` between
    them), and how far it bends the path across the gap; None where there is none.

    A dash is a straight piece of its segment: where two neighbouring dashes point different
    ways (by :data:`GENTLE_TURN` or more), the line turns in the gap between them, at
    the intersection of their lines. That point must lie past ``a``'s far end and before
    ``b``'s near end (within half a width and a pixel), no farther from them than the gap is
    long plus a line width, and have the dots in the gap on its two arms.
    """
    assert a.direction is not None and b.direction is not None
    if abs(float(np.dot(a.direction, b.direction))) > math.cos(math.radians(GENTLE_TURN)):
        return None  # a gentle turn: the lines' crossing is ill-defined (and a dash may span it)
    p = _intersect((a.centre, a.direction), (b.centre, b.direction))
    if p is None:
        return None
    a_end = a.centre + a.ends[1] * a.direction
    b_start = b.centre + b.ends[0] * b.direction
    slack = half + 1.0
    ta = float(np.dot(p - a.centre, a.direction)) - a.ends[1]
    tb = b.ends[0] - float(np.dot(p - b.centre, b.direction))
    if ta < -slack or tb < -slack:
        return None
    gap = float(np.hypot(*(b_start - a_end)))
    if max(ta, 0.0) + max(tb, 0.0) > 2 * gap + 2 * half + 1:
        return None
    for dot in dots:
        arms = min(_deviation(dot[None], a_end, p), _deviation(dot[None], p, b_start))
        if arms > slack:
            return None
    chord = b_start - a_end
    length = max(float(np.hypot(*chord)), 1e-9)
    off = abs(chord[0] * (p - a_end)[1] - chord[1] * (p - a_end)[0]) / length
    return p, off


def _with_gap_corners(verts: np.ndarray, mask: np.ndarray, xs: np.ndarray, tops: np.ndarray,
                      trace: np.ndarray, half: float, bend: float) -> np.ndarray:
    """The corners of a dashed line, with those in the gaps between dashes put where the
    dashes' lines meet (:func:`_gap_corner`).

    The trace of a dashed line is its dashes; Douglas-Peucker can only put a corner at a
    traced point, so a turn in a gap is found at a dash's end or centre, off the true corner
    along one arm (or missed). A gap corner that bends the path across the gap by ``bend``
    pixels or more is added; a gentler one only moves the points found in the gap. Points
    strictly between the two dashes' centres give way to it; then the corners the trace does
    not need (a dash centre that stood in for the turn) are pruned with ``bend`` as the
    tolerance.
    """
    if len(verts) < 3:
        return verts
    pieces = _dashes(mask, xs, tops, half)
    inner = verts[1:-1]
    drop = np.zeros(len(inner), bool)
    corners = []
    for i, a in enumerate(pieces):
        if a is None or a.direction is None:
            continue
        dots = []
        j = i + 1
        while j < len(pieces) and pieces[j] is not None and pieces[j].direction is None:
            dots.append(pieces[j].centre)
            j += 1
        if j >= len(pieces) or pieces[j] is None:
            continue
        found = _gap_corner(a, pieces[j], dots, half)
        if found is None or not verts[0, 0] < found[0][0] < verts[-1, 0]:
            continue
        p, off = found
        lo, hi = sorted((float(a.centre[0]), float(pieces[j].centre[0])))
        within = (inner[:, 0] > lo) & (inner[:, 0] < hi)
        if off >= bend:
            corners.append(p)
            drop |= within
    if not corners:
        return verts
    pts = np.vstack([verts[:1], inner[~drop], np.array(corners), verts[-1:]])
    pts = pts[np.argsort(pts[:, 0], kind="stable")]
    return _prune(pts, trace, bend, half, fixed=np.array(corners))


@dataclass
class LinePoints:
    """What :func:`line_points` recovers from one line's mask.

    Attributes
    ----------
    points : ndarray
        ``(N, 2)`` array of ``(x, y)`` pixel positions sorted by ``x``.
    sampling : str
        "vertices" when the trace is straight between the points (a piecewise-linear line:
        the points are its corners), "sampled" when it bends between them (a dense or smooth
        curve with no corners: the points follow it to within a pixel).
    spacing : float or None
        Mean ``x`` distance between the points in pixels, when "sampled".
    grid : tuple of float or None
        ``(start, step)`` of the evenly spaced ``x`` the points were put on, where there is
        one (see :func:`regular_grid`).
    """

    points: np.ndarray
    sampling: str = "vertices"
    spacing: float | None = None
    grid: tuple[float, float] | None = None


def line_vertices(
    mask: np.ndarray,
    *,
    tolerance: float = 1.0,
    refine: bool = True,
    clean: bool = True,
) -> np.ndarray:
    """Corners of the polyline drawn in ``mask``, as an ``(N, 2)`` array of ``(x, y)``.

    The points of :func:`line_points` (see there for the parameters).
    """
    return line_points(mask, tolerance=tolerance, refine=refine, clean=clean).points


def line_points(
    mask: np.ndarray,
    *,
    tolerance: float = 1.0,
    refine: bool = True,
    clean: bool = True,
    shared_grid: tuple[float, float] | None = None,
    gap_corners: bool = True,
) -> LinePoints:
    """The points of the line drawn in ``mask``: its corners, or samples of a curve.

    Parameters
    ----------
    mask : ndarray of bool
        The series' line pixels.
    tolerance : float
        Douglas-Peucker tolerance in pixels: the simplified line stays this close to the trace
        (raised to the trace's own noise for thick lines).
    refine : bool
        Place corners at the intersection of lines fitted to their neighbouring segments.
    clean : bool
        Drop isolated specks first.
    shared_grid : tuple of float or None
        ``(start, step)`` of the data's ``x`` seen in the chart's other series (their markers,
        their corners): a line read as a sampled curve with no grid of its own is put on it
        where the grid's nodes explain the trace (see :func:`_grid_explains`). A smooth
        series' gentle vertices cannot be seen; its data's ``x`` can.
    gap_corners : bool
        Place a broken line's corners in the gaps between its dashes
        (:func:`_with_gap_corners`). Off for a line cut out of an ink it shares with
        another series: the other line's dashes lie in its gaps.

    Returns the points sorted by ``x`` (gaps: dashes, dots, occlusions, are bridged) and
    whether they are corners or samples (:func:`sampling_of`).
    """
    mask = np.asarray(mask, bool)
    if not mask.any():
        return LinePoints(np.zeros((0, 2)))
    half = line_half_width(mask)
    if clean:
        mask = despeckle(mask, half)
    thick = 2 * half + 1
    xs, tops, bots = _trace(
        mask, bridge=max(1, int(round(half))), max_jump=3 * thick + 3, speck=int(2 * thick) + 1
    )
    if len(xs) < 2:
        pts = np.column_stack([xs, (tops + bots) / 2]) if len(xs) else np.zeros((0, 2))
        return LinePoints(pts)
    ys = _peak_adjusted(xs, tops, bots, half)
    trace = _dash_points(mask, xs, tops, ys, half, specks=True)
    tol = max(tolerance, 0.75 + 0.15 * half)
    verts = _douglas_peucker(trace, tol)
    if refine and len(verts) >= 3:
        counts = (bots - tops + 1).astype(int)
        px = np.repeat(xs, counts)
        py = np.concatenate([np.arange(t, b + 1) for t, b in zip(tops, bots, strict=True)])
        pix = np.column_stack([px, py])
        verts = _refine(verts, pix, trace, half, tol)
        # corners the first pass split in two (a steep arm's first column) fall back
        # onto one line once refined
        verts = _prune(verts, trace, tol, half)
        verts = _refine(verts, pix, trace, half, tol)
    order = np.argsort(verts[:, 0], kind="stable")
    verts = verts[order]
    if refine:
        verts = _merge_ends(verts, max(4.0, thick + 1.0))
    sampling = sampling_of(verts, half)
    if refine and len(verts) >= 4:
        # corners: a knot of points is one corner (a curve's close points are its detail)
        merged = _merge_clusters(verts, max(4.0, CLUSTER_WIDTHS * thick), trace[:, 0],
                                 max(8.0, 3 * thick))
        merged = _prune(merged, trace, tol, half)
        # a dotted or dashed polyline's knots may be dense enough to look sampled (each dot
        # leaves a point): it is a polyline when its merged corners are
        if sampling == "vertices" or (
            _broken(mask, xs, tops, thick) and sampling_of(merged, half) == "vertices"
        ):
            # a corner must bend the trace a little more than the tolerance: anti-aliasing
            # and JPEG wobble on a straight run bend it by about that much
            verts = _prune(merged, trace, tol + CORNER_SLACK, half)
            sampling = "vertices"
        if gap_corners and sampling == "vertices" and _broken(mask, xs, tops, thick):
            verts = _with_gap_corners(verts, mask, xs, tops, trace, half, tol + CORNER_SLACK)
    grid = None
    if refine:
        grid = regular_grid(verts, thick)
        # a curve read as sampled may be a smooth function's polyline: its corners too
        # gentle to find one by one, bending the trace at an even step
        comb = (comb_grid(trace, half) if grid is None and sampling == "sampled"
                and len(verts) >= 3 else None)
        if comb is not None and not knots_justified(trace, grid_knots(trace, comb),
                                                    verts[:, 0], half):
            comb = None
        on = None if comb is None else _grid_explains(verts, trace, comb, tol, half)
        if grid is not None:
            verts = _on_grid(verts, trace, grid, tol, half)
            sampling = "vertices"
        elif on is not None:
            verts, sampling, grid = on, "vertices", comb
        elif sampling == "sampled" and shared_grid is not None:
            on = _grid_explains(verts, trace, shared_grid, tol, half)
            if on is not None:
                verts, sampling, grid = on, "vertices", shared_grid
    spacing = float(np.mean(np.diff(verts[:, 0]))) if sampling == "sampled" else None
    return LinePoints(verts, sampling, spacing, grid)


#: a shared grid explains a sampled trace when at most this share of the points put on it
#: are off its nodes (corners the chords between nodes cannot do without)
GRID_OFF_SHARE = 0.25


def _grid_explains(
    verts: np.ndarray, trace: np.ndarray, grid: tuple[float, float], tol: float, half: float
) -> np.ndarray | None:
    """The points of a sampled line put on ``grid`` (:func:`_on_grid`), or None where the
    chords between the grid's nodes do not follow the trace: more than
    :data:`GRID_OFF_SHARE` of the points stay off the nodes (a curve drawn from finer data
    than the grid), or there are fewer than :data:`GRID_MIN_CORNERS` nodes."""
    start, step = grid
    near = max(1.0, 0.1 * step)
    on = _on_grid(verts, trace, grid, tol, half)
    k = np.round((on[1:-1, 0] - start) / step)
    off = np.abs(on[1:-1, 0] - start - k * step) > near
    if len(on) - 2 < GRID_MIN_CORNERS or off.sum() > GRID_OFF_SHARE * len(on):
        return None
    return on


def sampling_of(verts: np.ndarray, half: float) -> str:
    """"sampled" when the points ``verts`` (x-sorted) sample a curve, else "vertices".

    The corners of a piecewise-linear line are where it turns; a curve drawn from many data
    points (or a smooth function) has no corners, and its points, wherever they are put,
    either lie closer together than a stroke can resolve (median ``x`` spacing under
    :data:`DENSE_SPACING` line widths, at least 6 px) or turn gently and the same way at
    neighbouring points (under :data:`GENTLE_TURN` degrees) along most of the line.
    """
    n = len(verts)
    if n < 5:
        return "vertices"
    thick = 2 * half + 1
    if float(np.median(np.diff(verts[:, 0]))) < max(6.0, DENSE_SPACING * thick):
        return "sampled"
    d = np.diff(verts, axis=0)
    heading = np.arctan2(d[:, 1], d[:, 0])
    turn = np.degrees(np.angle(np.exp(1j * np.diff(heading))))  # signed, one per interior point
    gentle = (np.abs(turn) < GENTLE_TURN) & (turn != 0)
    side = np.sign(turn)
    run = gentle[1:] & gentle[:-1] & (side[1:] == side[:-1])  # neighbours bending alike
    smooth = np.zeros(len(turn), bool)
    smooth[1:] |= run
    smooth[:-1] |= run
    return "sampled" if smooth.mean() > 0.5 else "vertices"


def _douglas_peucker(trace: np.ndarray, tolerance: float) -> np.ndarray:
    """Ramer-Douglas-Peucker simplification of an open polyline (OpenCV's)."""
    if len(trace) < 3:
        return np.asarray(trace, float)
    pts = np.ascontiguousarray(trace, np.float32).reshape(-1, 1, 2)
    return cv2.approxPolyDP(pts, float(tolerance), False).reshape(-1, 2).astype(float)


#: fewest corners that can show a regular spacing of the data along x
GRID_MIN_CORNERS = 5
#: share of the corners that must sit on the regular spacing
GRID_SHARE = 0.7
#: most grid points per point found (the vertices too gentle to see are a minority)
GRID_DENSITY = 2.0
#: largest share of the grid's nodes between the line's ends that may lack a corner found on
#: them (vertices too gentle to see); a grid with more empty nodes is a sub-multiple that
#: stray corners happen to fit
GRID_EMPTY = 0.5


def regular_grid(verts: np.ndarray, thick: float, min_step: float = 8.0
                 ) -> tuple[float, float] | None:
    """``(start, step)`` of the evenly spaced ``x`` the line's corners sit on, or None.

    Most charts plot data at evenly spaced ``x`` (days, months, a sampled function): then the
    corners found (the interior points of ``verts``) fall on one grid, and the vertices too
    gentle to be seen fall on it as well. The coarsest step that puts at least
    :data:`GRID_SHARE` of at least :data:`GRID_MIN_CORNERS` corners within a pixel (or a tenth
    of the step) of the grid is taken; None when no step does (irregular ``x``).
    """
    xs = np.sort(np.asarray(verts, float)[1:-1, 0])
    if len(xs) < GRID_MIN_CORNERS:
        return None
    lo_step = max(min_step, 2 * thick)
    hi_step = float(np.max(np.diff(xs))) if len(xs) > 1 else 0.0
    if hi_step < lo_step:
        return None
    steps = np.arange(lo_step, hi_step + 0.05, 0.05)[::-1]  # coarsest first
    ang = 2 * np.pi * xs[None, :] / steps[:, None]
    phase = np.angle(np.exp(1j * ang).mean(axis=1))  # circular mean, radians
    off = np.angle(np.exp(1j * (ang - phase[:, None]))) / (2 * np.pi) * steps[:, None]
    tol = np.maximum(1.0, 0.1 * steps)[:, None]
    share = (np.abs(off) <= tol).mean(axis=1)
    ok = np.flatnonzero(share >= GRID_SHARE)
    if len(ok) == 0:
        return None
    step = float(steps[ok[0]])
    start = float(phase[ok[0]] / (2 * np.pi) * step)
    # refine: least squares over the corners on the grid
    k = np.round((xs - start) / step)
    on = np.abs(xs - start - k * step) <= max(1.0, 0.1 * step)
    if len(np.unique(k[on])) < GRID_MIN_CORNERS:
        return None
    step, start = np.polyfit(k[on], xs[on], 1)
    if step < lo_step:
        return None
    # a grid much finer than the corners (a sub-multiple fitting stray corners) is no evidence
    if (verts[-1, 0] - verts[0, 0]) / step > GRID_DENSITY * len(verts):
        return None
    if grid_empty_share(verts, (float(start), float(step))) > GRID_EMPTY:
        return None
    return float(start), float(step)


#: least power of the bend comb at its step (Rayleigh statistic), as a multiple of the
#: median power over all the steps tried: periodic bends stand out of that floor
COMB_POWER = 6.0
#: frequencies tried for the bend comb per Fourier resolution (one cycle over the trace)
COMB_OVERSAMPLE = 4
#: strongest peaks of the bend comb tried, in order of power
COMB_PEAKS = 3
#: a grid is the data's when the polyline with corners at its nodes follows the trace this
#: much better (RMS) than with corners half a step off them: real corners sit at the nodes.
#: A smooth curve (or the staircase of its pixels) follows any grid's chords alike.
COMB_PHASE = 0.7


def bend_signal(trace: np.ndarray, half: float) -> tuple[np.ndarray, np.ndarray]:
    """How much the trace bends in each column between its ends.

    ``(gx, w)``: the columns and ``|y(x - h) - 2 y(x) + y(x + h)|`` of the trace's centre
    line, with ``h`` a little over the stroke's half width (the stroke spreads a corner's
    turn over about its width), 0 where any of the three columns is in a gap of the trace.
    A polyline bends only at its corners: ``w`` is a comb of bumps at their ``x``.
    """
    x, y = trace[:, 0], trace[:, 1]
    gx = np.arange(math.ceil(x[0]), math.floor(x[-1]) + 1, dtype=float)
    w = np.zeros(len(gx))
    h = bend_reach(half)
    if len(gx) <= 2 * h:
        return gx, w
    gy = np.interp(gx, x, y)
    have = np.zeros(len(gx), bool)
    have[np.clip(np.round(x - gx[0]).astype(int), 0, len(gx) - 1)] = True
    ok = have[2 * h :] & have[h:-h] & have[: -2 * h]
    w[h:-h] = np.where(ok, np.abs(gy[2 * h :] - 2 * gy[h:-h] + gy[: -2 * h]), 0.0)
    return gx, w


def bend_reach(half: float) -> int:
    """Columns either side over which :func:`bend_signal` measures a bend."""
    return max(2, int(round(half + 1)))


def _comb_power(gx: np.ndarray, w: np.ndarray, steps: np.ndarray,
                fft_len: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Rayleigh power ``|sum w e^(2 pi i x / step)|^2 / sum w^2`` of the bend signal at each
    of ``steps`` and its phasor, with ``w`` less its running mean over one step (the slow
    swell of a curve's bending is no period). With ``fft_len``, the steps are ``fft_len / j``
    for whole ``j`` (and ``gx`` consecutive columns): the sums are read off an FFT."""
    power = np.zeros(len(steps))
    phasor = np.zeros(len(steps), complex)
    windows = np.maximum(1, np.round(steps).astype(int))
    for m in np.unique(windows):
        sel = windows == m
        hp = w - ndimage.uniform_filter1d(w, int(m), mode="nearest")
        norm = float((hp**2).sum())
        if norm <= 0:
            continue
        if fft_len is None:
            z = np.exp(2j * np.pi * gx[None, :] / steps[sel, None]) @ hp
        else:
            bins = np.round(fft_len / steps[sel]).astype(int)
            z = np.conj(np.fft.fft(hp, fft_len)[bins]) * np.exp(
                2j * np.pi * gx[0] * bins / fft_len)
        phasor[sel] = z
        power[sel] = np.abs(z) ** 2 / norm
    return power, phasor


def comb_grid(trace: np.ndarray, half: float) -> tuple[float, float] | None:
    """``(start, step)`` of the evenly spaced ``x`` at which the trace bends, or None.

    The corners of a smooth function sampled at even ``x`` turn too gently for
    Douglas-Peucker to find one by one, but together they make the trace's bend signal
    (:func:`bend_signal`) periodic. The step is the one whose Fourier power (the Rayleigh
    statistic) stands :data:`COMB_POWER` times above the median over all steps, between two
    bend reaches (closer corners blur into one bump) and a :data:`GRID_MIN_CORNERS`-th of the
    trace's length; its phase puts the grid's nodes on the bumps. Of the
    :data:`COMB_PEAKS` strongest steps, the first whose corners are real
    (:data:`COMB_PHASE`) is taken.
    """
    gx, w = bend_signal(trace, half)
    if len(gx) < 2 or not w.any():
        return None
    lo = max(4.0, 2.0 * bend_reach(half))
    hi = (gx[-1] - gx[0]) / GRID_MIN_CORNERS
    if hi <= lo + 1.0:
        return None
    n_fft = COMB_OVERSAMPLE * len(gx)
    df = 1.0 / n_fft
    freqs = np.arange(math.ceil(n_fft / hi), math.floor(n_fft / lo) + 1) * df
    if len(freqs) < 3:
        return None
    power, _ = _comb_power(gx, w, 1.0 / freqs, n_fft)
    floor = float(np.median(power))
    best = int(np.argmax(power))
    if floor <= 0 or power[best] < COMB_POWER * floor:
        return None
    peaks = np.flatnonzero((power[1:-1] >= power[:-2]) & (power[1:-1] >= power[2:])
                           & (power[1:-1] >= COMB_POWER * floor)) + 1
    for i in peaks[np.argsort(-power[peaks])][:COMB_PEAKS]:
        fine = 1.0 / (freqs[i] + np.linspace(-df, df, 21))
        fpower, fphasor = _comb_power(gx, w, fine)
        k = int(np.argmax(fpower))
        step = float(fine[k])
        start = float(np.angle(fphasor[k]) / (2 * np.pi) * step)
        start, step = _fit_grid(trace, (start, step), 0.5 * step * step * df)
        if knots_rms(trace, grid_knots(trace, (start, step))) <= COMB_PHASE * knots_rms(
                trace, grid_knots(trace, (start + step / 2, step))):
            return start, step
    return None


#: candidates either way per parameter when :func:`_fit_grid` places a grid
GRID_FIT_TRIES = 4


def _fit_grid(trace: np.ndarray, grid: tuple[float, float], step_reach: float
              ) -> tuple[float, float]:
    """``grid`` moved (its nodes by up to a pixel, its step by up to ``step_reach``) to
    where the polyline with corners at its nodes follows the trace best (least
    :func:`knots_rms`): the bend comb's phase is that of the bumps' peaks, which a stroke's
    width and anti-aliasing blur by about a pixel."""
    start, step = grid
    # the nodes' shift at the trace's middle; the step turns them about it
    mid = 0.5 * float(trace[0, 0] + trace[-1, 0])
    k_mid = round((mid - start) / step)
    best, best_rms = (start, step), knots_rms(trace, grid_knots(trace, grid))
    shifts = np.linspace(-1.0, 1.0, 2 * GRID_FIT_TRIES + 1)
    for ds in np.linspace(-step_reach, step_reach, 2 * GRID_FIT_TRIES + 1):
        for shift in shifts:
            cand = (start + shift - k_mid * ds, step + ds)
            rms = knots_rms(trace, grid_knots(trace, cand))
            if rms < best_rms - 1e-9:
                best, best_rms = cand, rms
    return best


def grid_knots(trace: np.ndarray, grid: tuple[float, float]) -> np.ndarray:
    """The trace's two ends and the nodes ``start + k step`` of ``grid`` between them."""
    start, step = grid
    x0, x1 = float(trace[0, 0]), float(trace[-1, 0])
    nodes = start + np.arange(math.ceil((x0 - start) / step),
                              math.floor((x1 - start) / step) + 1) * step
    return np.r_[x0, nodes[(nodes > x0 + 0.5) & (nodes < x1 - 0.5)], x1]


def knots_rms(trace: np.ndarray, knots: np.ndarray) -> float:
    """RMS distance (pixels, along y) from the trace to the continuous piecewise-linear
    function with corners at the ``x`` of ``knots`` (increasing, the first and last at the
    trace's ends), fitted by least squares."""
    x, y = trace[:, 0], trace[:, 1]
    knots = np.unique(np.clip(np.asarray(knots, float), x[0], x[-1]))
    if len(knots) < 2:
        return float(np.std(y))
    if len(knots) >= len(x):
        return 0.0
    m = len(knots)
    k = np.clip(np.searchsorted(knots, x, side="right") - 1, 0, m - 2)
    t = (x - knots[k]) / (knots[k + 1] - knots[k])
    # normal equations of the hat-function basis: tridiagonal
    diag = (np.bincount(k, (1 - t) ** 2, minlength=m)
            + np.bincount(k + 1, t**2, minlength=m))
    upper = np.bincount(k, (1 - t) * t, minlength=m - 1)[: m - 1]
    rhs = np.bincount(k, (1 - t) * y, minlength=m) + np.bincount(k + 1, t * y, minlength=m)
    bands = np.zeros((2, m))
    bands[0, 1:] = upper
    bands[1] = diag + 1e-9 * max(float(diag.max()), 1.0)  # a knot with no column near it
    coef = linalg.solveh_banded(bands, rhs)
    fit = coef[k] * (1 - t) + coef[k + 1] * t
    return float(np.sqrt(np.mean((y - fit) ** 2)))


def knots_justified(trace: np.ndarray, knots: np.ndarray, fewer: np.ndarray,
                    half: float) -> bool:
    """True when the polyline with corners at ``knots`` follows the trace better than the one
    with corners at ``fewer`` by more than its extra corners explain (Bayesian information
    criterion: ``n ln(rss_fewer / rss) > (extra corners) ln n``, with ``n`` the trace's
    columns per :func:`bend_reach`, the length over which its pixel noise is correlated)."""
    n = max(len(trace) / bend_reach(half), 2.0)
    rss = max(knots_rms(trace, knots), 1e-3) ** 2
    rss_fewer = max(knots_rms(trace, fewer), 1e-3) ** 2
    gain = n * math.log(rss_fewer / rss) - (len(knots) - len(fewer)) * math.log(n)
    return gain > 0


def grid_empty_share(verts: np.ndarray, grid: tuple[float, float]) -> float:
    """Share of the nodes of ``grid`` (``start``, ``step``) strictly between the line's end
    points that no interior corner of ``verts`` sits on (within a pixel or a tenth of the
    step); 1.0 when there is no node."""
    start, step = grid
    near = max(1.0, 0.1 * step)
    verts = np.asarray(verts, float)
    x0, x1 = float(verts[0, 0]), float(verts[-1, 0])
    nodes = start + np.arange(math.ceil((x0 + near - start) / step),
                              math.floor((x1 - near - start) / step) + 1) * step
    if len(nodes) == 0:
        return 1.0
    inner = verts[1:-1, 0]
    if len(inner) == 0:
        return 1.0
    filled = np.abs(nodes[:, None] - inner[None, :]).min(axis=1) <= near
    return float(1.0 - filled.mean())


def _hidden_corner(
    verts: np.ndarray, x: float, near: float, grid: tuple[float, float]
) -> np.ndarray | None:
    """The corner at grid ``x`` hidden in a gap of the trace, or None.

    Where another series covers a corner, the trace stops short of it on both sides and the
    two ends become corners off the grid (``verts[i]`` and ``verts[i + 1]`` around ``x``);
    the corner is where the arms leading into the gap (through ``verts[i - 1]``,
    ``verts[i]`` and through ``verts[i + 1]``, ``verts[i + 2]``) meet, when that is within
    ``near`` of ``x``. The chord across the gap would cut the corner off.
    """
    i = int(np.searchsorted(verts[:, 0], x)) - 1
    if i < 1 or i + 2 >= len(verts):
        return None
    start, step = grid

    def on_grid(v: np.ndarray) -> bool:
        k = round((float(v[0]) - start) / step)
        return abs(float(v[0]) - start - k * step) <= near

    if on_grid(verts[i]) or on_grid(verts[i + 1]):
        return None
    p = _intersect((verts[i], verts[i] - verts[i - 1]), (verts[i + 1], verts[i + 2] - verts[i + 1]))
    if p is None or abs(float(p[0]) - x) > near or not verts[i, 0] < p[0] < verts[i + 1, 0]:
        return None
    return p


def _join_split(
    pts: list[np.ndarray], on: list[bool], grid: tuple[float, float], near: float, reach: float
) -> tuple[list[np.ndarray], list[bool]]:
    """Points ``pts`` (x-sorted; ``on``: on the grid) with each corner on the grid that has a
    corner off it within ``reach`` beside it (one sharp apex traced as two: a stroke's
    bevelled or rounded tip) made one: where the arms leading into the pair meet, when that
    is within ``near`` of the grid ``x`` (else the pair is left as it is)."""
    start, step = grid
    pts, on = list(pts), list(on)
    i = 1
    while i < len(pts) - 1:
        j = next((j for j in (i - 1, i + 1) if 0 < j < len(pts) - 1 and not on[j]
                  and float(np.hypot(*(pts[j] - pts[i]))) < reach), None)
        if not on[i] or j is None:
            i += 1
            continue
        lo, hi = min(i, j), max(i, j)
        if lo < 1 or hi + 1 >= len(pts):
            i += 1
            continue
        p = _intersect((pts[lo], pts[lo] - pts[lo - 1]), (pts[hi], pts[hi + 1] - pts[hi]))
        gx = start + round((float(pts[i][0]) - start) / step) * step
        if p is None or abs(float(p[0]) - gx) > near:
            i += 1
            continue
        pts[lo : hi + 1] = [p]
        on[lo : hi + 1] = [True]
        i = lo + 1
    return pts, on


def _on_grid(
    verts: np.ndarray, trace: np.ndarray, grid: tuple[float, float], tol: float, half: float
) -> np.ndarray:
    """The line's points at every ``x`` of ``grid`` between its ends.

    A corner found within the grid's tolerance of a grid ``x`` stays as found; elsewhere the
    point is the trace's centre in that column (the polyline's where the trace has a gap).
    Corners off the grid are dropped where the line without them still follows the trace,
    and an end point with a node within its cap's reach (half the width and a pixel) gives
    way to the node.
    """
    start, step = grid
    near = max(1.0, 0.1 * step)
    x0, x1 = float(verts[0, 0]), float(verts[-1, 0])
    first = math.ceil((x0 + near - start) / step)
    last = math.floor((x1 - near - start) / step)
    gx = start + np.arange(first, last + 1) * step
    inner = verts[1:-1]
    pts = [verts[0]]
    used = np.zeros(len(inner), bool)
    for x in gx:
        d = np.abs(inner[:, 0] - x) if len(inner) else np.zeros(0)
        j = int(np.argmin(d)) if len(d) else -1
        if j >= 0 and d[j] <= near:
            pts.append(inner[j])
            used[j] = True
            continue
        cols = trace[np.abs(trace[:, 0] - x) <= 1.0]
        if len(cols):
            y = float(np.interp(x, cols[:, 0], cols[:, 1])) if len(cols) > 1 else float(cols[0, 1])
        else:
            hidden = _hidden_corner(verts, x, near, (start, step))
            if hidden is not None:
                pts.append(hidden)
                continue
            y = float(np.interp(x, verts[:, 0], verts[:, 1]))
        pts.append(np.array([x, y]))
    pts.append(verts[-1])
    on = [True] * len(pts)
    pts += list(inner[~used])
    on += [False] * int((~used).sum())
    order = np.argsort([p[0] for p in pts], kind="stable")
    pts = [pts[i] for i in order]
    on = [on[i] for i in order]
    pts, on = _join_split(pts, on, grid, near, 2 * (2 * half + 1))
    # corners off the grid go where the chord of their neighbours follows the trace
    # (a blip of the trace, where another series crosses, is no corner)
    skip = 1.0 + 2 * half
    i = 1
    while i < len(pts) - 1:
        if not on[i] and _deviation(trace, pts[i - 1], pts[i + 1], skip,
                                    blips=(tol, 2 * half + 1)) <= tol:
            del pts[i], on[i]
        else:
            i += 1
    # a node within a cap's reach of an end is the end's data point: the stroke's cap
    # (projecting or round) reaches past it by up to half the width
    cap = half + 1.0
    if len(pts) > 2 and on[1] and pts[1][0] - pts[0][0] <= cap:
        del pts[0], on[0]
    if len(pts) > 2 and on[-2] and pts[-1][0] - pts[-2][0] <= cap:
        del pts[-1], on[-1]
    return np.array(pts)
