"""Error bars from a series' colour mask.

An error bar is a straight stroke of the series' line width, vertical (a y error) or
horizontal (an x error), much longer than the line is thick, that either carries caps
(short strokes across both of its ends) or, for a vertical bar, is met in its middle half
by the series' line or marker. What separates it from the data line: a vertical stretch of
a line is met at its ends (a step's riser, a steep stretch ending in a marker), not in its
middle; a flat stretch of a line carries no caps.

The bars found are removed from the mask (keeping where the line or marker crosses them) so
that marker and line extraction see the series alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from scipy import ndimage


@dataclass
class ErrorBar:
    """One error bar, in plot-area pixel coordinates.

    ``centre`` is the bar's position across its length (x of a vertical bar, y of a
    horizontal one); ``low``/``high`` its ends along it (top/bottom rows of a vertical bar,
    left/right columns of a horizontal one), at the caps' centres where it has caps.
    """

    vertical: bool
    centre: float
    low: float
    high: float
    capped: bool
    crossing: float | None  # where the series crosses it (row of a vertical bar), if seen


@dataclass
class ErrorBars:
    """The error bars of one series and the mask with them taken out."""

    bars: list[ErrorBar]
    cleaned: np.ndarray

    @property
    def vertical(self) -> list[ErrorBar]:
        return [b for b in self.bars if b.vertical]

    @property
    def horizontal(self) -> list[ErrorBar]:
        return [b for b in self.bars if not b.vertical]


def find_error_bars(mask: np.ndarray, half: float, *, min_bars: int = 2,
                    unseen: np.ndarray | None = None) -> ErrorBars:
    """Vertical and horizontal error bars in a series mask.

    Parameters
    ----------
    mask : ndarray of bool
        The series' ink in the plot area.
    half : float
        The series' line half-width (:func:`~digitize.extract.markers.line_half_width`).
    min_bars : int
        Fewer bars of one orientation than this are taken for chance strokes and ignored.
    unseen : ndarray of bool, optional
        Pixels hidden from view (a legend box masked out): a bar capped at one end and
        running into them at the other is a capped bar cut short, its cut end read where
        it disappears.

    Returns
    -------
    ErrorBars
        The bars (possibly none) and ``mask`` without them.
    """
    mask = np.asarray(mask, bool)
    cleaned = mask.copy()
    bars: list[ErrorBar] = []
    for vertical in (True, False):  # vertical first: their caps are not horizontal bars
        oriented = cleaned if vertical else cleaned.T
        # a flat stretch of line touching a marker looks like an uncapped horizontal bar:
        # horizontal bars need their caps
        hidden = None if unseen is None else (unseen if vertical else unseen.T)
        found, remove = _bars_along_columns(oriented, half, need_caps=not vertical,
                                            unseen=hidden)
        if len(found) < min_bars:
            continue
        for b in found:
            b.vertical = vertical
        bars += found
        cleaned &= ~(remove if vertical else remove.T)
    return ErrorBars(bars, cleaned)


#: share of a capped horizontal bar's length from either end within which the series does
#: not cross it: the strokes of crosses ('x', '+') ending a flat stretch of line look like
#: caps, and cross it there
END_SHARE = 0.25


def _bars_along_columns(
    mask: np.ndarray, half: float, *, need_caps: bool = False,
    unseen: np.ndarray | None = None,
) -> tuple[list[ErrorBar], np.ndarray]:
    """Vertical bars of ``mask`` (the transposed mask gives the horizontal ones) and the
    pixels to remove for them. An uncapped bar must be met by the series in its middle half
    (a steep stretch of line ending in a marker is met at its end)."""
    thick = max(1, int(round(2 * half + 1)))
    length = max(9, 4 * thick) | 1  # odd: OpenCV shifts an opening by an even kernel
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, length))
    upright = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, kernel).astype(bool)
    # a flat stretch of line between markers passes for a horizontal bar too easily: only
    # vertical bars (``need_caps`` False) are bridged across markers and allowed a few rows off
    lenient = not need_caps
    bridged = _bridge_gaps(upright, (3 * length) // 2) if lenient else np.zeros_like(upright)
    remove = np.zeros_like(mask)
    bars: list[ErrorBar] = []
    if not upright.any():
        return bars, remove
    labels, n = ndimage.label(upright)
    for i, sl in enumerate(ndimage.find_objects(labels), start=1):
        if sl is None:
            continue
        comp = labels[sl] == i
        widths = comp.sum(axis=1)
        if np.percentile(widths, 25) > thick + 2:
            continue  # a marker or a filled shape, not a stroke (a marker on it is allowed)
        rows = np.arange(sl[0].start, sl[0].stop)
        cols = np.nonzero(comp)[1] + sl[1].start
        x = float(np.median(cols))
        centres = ndimage.mean(np.nonzero(comp)[1], np.nonzero(comp)[0],
                               range(comp.shape[0]))
        # slanted: a steep stretch of line, not a bar drawn straight up (a marker or the line
        # joining it shifts a few rows' centres, not the bar's run)
        spread = np.subtract(*np.percentile(centres, [90, 10])) if lenient else np.ptp(centres)
        if spread > 1.0:
            continue
        # in the image itself (not the opened mask) a bar is as thin as it is for most of its
        # length; a filled marker's middle column (a diamond's) widens all the way
        runs = _run_widths(mask, rows, int(round(x)))
        if (runs <= np.percentile(widths, 25) + 2).sum() < max(length // 2, 2 * thick + 2):
            continue
        top, bottom = int(rows[0]), int(rows[-1])
        ys, xs = np.nonzero(comp)
        edges = (float(np.median(ndimage.minimum(xs, ys, range(comp.shape[0])))) + sl[1].start,
                 float(np.median(ndimage.maximum(xs, ys, range(comp.shape[0])))) + sl[1].start)
        cap_top = _cap(mask, top, edges, thick, inward=1)
        cap_bottom = _cap(mask, bottom, edges, thick, inward=-1)
        capped = cap_top is not None and cap_bottom is not None
        if not capped and unseen is not None and (cap_top is not None or cap_bottom is not None):
            # one cap seen, the other end running into hidden pixels: cut short, not uncapped
            end = bottom + 1 if cap_top is not None else top - 1
            capped = _runs_into(unseen, end, edges, thick, down=cap_top is not None)
        crossing = _crossing(mask, top, bottom, x, thick)
        gap = np.flatnonzero((bridged[sl] & comp).any(axis=1))
        if crossing is None and gap.size:
            crossing = float(sl[0].start + gap.mean())  # the marker that cut the bar
        if not capped and (need_caps or not _bare_both_ways(mask, top, bottom, x, thick,
                                                             crossing)):
            continue
        low = cap_top if cap_top is not None else float(top)
        high = cap_bottom if cap_bottom is not None else float(bottom)
        if need_caps and crossing is not None and min(crossing - low, high - crossing) < (
                END_SHARE * (high - low)):
            continue  # a flat stretch of line between crosses: a cross's stroke at its end
        bars.append(ErrorBar(True, x, low, high, capped, crossing))
        _mark_removal(remove, mask, comp, sl, x, thick, crossing, cap_top, cap_bottom)
    return bars, remove


def _bridge_gaps(upright: np.ndarray, max_gap: int) -> np.ndarray:
    """Join (in place) upright strokes that continue one another across a short gap: a bar
    cut in two by a marker whose edge is another colour (black-edged markers), or by another
    series' marker drawn over it. Returns the pixels filled in."""
    bridged = np.zeros_like(upright)
    labels, n = ndimage.label(upright)
    if n < 2:
        return bridged
    pieces = []
    for sl in ndimage.find_objects(labels):
        cols = np.flatnonzero(upright[sl].any(axis=0)) + sl[1].start
        pieces.append((sl[0].start, sl[0].stop, int(cols[0]), int(cols[-1])))
    pieces.sort()
    for k, (_, bottom, left, right) in enumerate(pieces):
        for top2, _, left2, right2 in pieces[k + 1 :]:
            if top2 - bottom > max_gap:
                break
            lo, hi = max(left, left2), min(right, right2)
            same_width = abs((right - left) - (right2 - left2)) <= 1
            if top2 > bottom and same_width and hi - lo >= min(right - left, right2 - left2):
                bridged[bottom:top2, lo : hi + 1] = True
                break
    upright |= bridged
    return bridged


def _run_widths(mask: np.ndarray, rows: np.ndarray, col: int) -> np.ndarray:
    """Per row, the length of the run of ink through column ``col`` (0 where it is empty)."""
    out = np.zeros(len(rows), int)
    for i, r in enumerate(rows):
        if mask[r, col]:
            left, right = _run_extent(mask[r], col)
            out[i] = right - left + 1
    return out


def _run_extent(line: np.ndarray, col: int) -> tuple[int, int]:
    """First and last index of the run of True in ``line`` through ``col`` (set)."""
    left = col
    while left - 1 >= 0 and line[left - 1]:
        left -= 1
    right = col
    while right + 1 < line.size and line[right + 1]:
        right += 1
    return left, right


def _runs_into(unseen: np.ndarray, end: int, edges: tuple[float, float], thick: int,
               down: bool) -> bool:
    """Whether the bar whose columns span ``edges`` meets ``unseen`` pixels within ``thick``
    rows past its end row ``end`` (below it when ``down``, else above it)."""
    h, w = unseen.shape
    lo, hi = (end, end + thick + 1) if down else (end - thick, end + 1)
    c0, c1 = int(np.floor(edges[0])), int(np.ceil(edges[1])) + 1
    window = unseen[max(0, lo) : min(h, hi), max(0, c0) : min(w, c1)]
    return bool(window.any())


def _bare_both_ways(
    mask: np.ndarray, top: int, bottom: int, x: float, thick: int, crossing: float | None
) -> bool:
    """An uncapped bar: long, met by the series in its middle half, and bare (no ink beside
    it) for a good stretch above and below where it is met. A spike or a steep V of the line
    has ink beside it all along one end; a bar drawn through a point does not."""
    length = bottom - top + 1
    if crossing is None or length < 8 * thick:
        return False
    quarter = length / 4
    if not top + quarter <= crossing <= bottom - quarter:
        return False
    off = thick // 2 + 2
    xl, xr = int(round(x)) - off, int(round(x)) + off
    if xl < 0 or xr >= mask.shape[1]:
        return False
    rows = np.arange(top, bottom + 1)
    beside = mask[rows, xl] | mask[rows, xr]
    near = np.flatnonzero(beside & (np.abs(rows - crossing) <= quarter))
    if near.size == 0:
        return False
    first, last = rows[near[0]], rows[near[-1]]
    need = 2 * thick + 2
    above = rows < first
    below = rows > last
    return bool(above.sum() >= need and below.sum() >= need
                and not beside[above].any() and not beside[below].any())


def _cap(
    mask: np.ndarray, row: int, edges: tuple[float, float], thick: int, inward: int
) -> float | None:
    """The centre row of a short stroke across the bar's end at ``row`` (ink reaching a pixel
    or more past both edges of the bar, ``edges`` its first and last column, about as far on
    each side), or None when the end has no cap.

    A cap is a stroke as thick as the bar is wide (matplotlib draws both with one width):
    from the end ``inward`` (+1 for the bar's top end, -1 for its bottom) the bar is as
    narrow as itself again within :data:`CAP_THICKER` rows more than its width. A marker at
    the end of a flat stretch of line (a disk, a square) reaches past the stretch's edges
    for most of its height, which is more than the line's width: no cap."""
    h, w = mask.shape
    xi = int(round((edges[0] + edges[1]) / 2))
    rows = []
    for r in range(max(0, row - thick), min(h, row + thick + 1)):
        if _past_both(mask[r], xi, edges, even=True):
            rows.append(r)
    if not rows:
        return None
    start = min(rows) if inward > 0 else max(rows)
    most = int(edges[1] - edges[0]) + 1 + CAP_THICKER
    wide = 0
    for r in range(start, start + inward * (most + 1), inward):
        if not (0 <= r < h and _past_both(mask[r], xi, edges, even=False)):
            break
        wide += 1
    if wide > most:
        return None
    return float(np.mean(rows))


#: rows a cap may be thicker than its bar is wide (anti-aliased edges)
CAP_THICKER = 2


def _past_both(line: np.ndarray, col: int, edges: tuple[float, float], even: bool) -> bool:
    """Whether the run of ink through ``col`` in ``line`` reaches a pixel or more past both
    ``edges`` (and, where ``even``, about as far past each: within 2 pixels)."""
    if not line[col]:
        return False
    left, right = _run_extent(line, col)
    out_left, out_right = edges[0] - left, right - edges[1]
    return out_left >= 1 and out_right >= 1 and (not even or abs(out_left - out_right) <= 2)


def _crossing(mask: np.ndarray, top: int, bottom: int, x: float, thick: int) -> float | None:
    """The row where the series' line or marker meets the bar in its interior (ink touching
    the bar on either side, away from its ends), or None.

    The line's row at the bar is extrapolated from two columns on each side (the line may
    turn at the data point); both sides are averaged where both have ink."""
    h, w = mask.shape
    off, step = thick // 2 + 2, thick + 1
    lo, hi = top + thick + 1, bottom - thick - 1
    if hi <= lo:
        return None
    mid = (top + bottom) / 2
    estimates = []
    for side in (-1, 1):
        near = _run_centre(mask, lo, hi, int(round(x)) + side * off, mid)
        if near is None:
            continue
        far = _run_centre(mask, lo, hi, int(round(x)) + side * (off + step), near)
        estimates.append(near if far is None else near + (near - far) * off / step)
    if not estimates:
        return None
    return float(np.clip(np.mean(estimates), lo, hi))


def _run_centre(mask: np.ndarray, lo: int, hi: int, col: int, near: float) -> float | None:
    """Centre row of the run of ink in column ``col`` between rows ``lo``..``hi`` closest to
    row ``near``, or None."""
    if not 0 <= col < mask.shape[1]:
        return None
    ink = mask[lo : hi + 1, col]
    if not ink.any():
        return None
    runs, n = ndimage.label(ink)
    centres = ndimage.mean(np.arange(lo, hi + 1), runs, range(1, n + 1))
    return float(min(centres, key=lambda c: abs(c - near)))


def _mark_removal(
    remove: np.ndarray,
    mask: np.ndarray,
    comp: np.ndarray,
    sl: tuple[slice, slice],
    x: float,
    thick: int,
    crossing: float | None,
    cap_top: float | None,
    cap_bottom: float | None,
) -> None:
    """Mark the bar's stroke and caps for removal, keeping the rows where the series crosses
    it (so the line stays joined and a marker whole)."""
    keep = np.zeros(comp.shape[0], bool)
    if crossing is not None:
        off = thick // 2 + 2
        xl, xr = int(round(x)) - off, int(round(x)) + off
        rows = np.arange(sl[0].start, sl[0].stop)
        beside = mask[rows, max(0, xl)] | mask[rows, min(mask.shape[1] - 1, xr)]
        beside[: thick + 1] = beside[-thick - 1 :] = False  # the caps
        keep = ndimage.binary_dilation(beside, iterations=thick)
    stroke = comp & ~keep[:, None]
    remove[sl] |= stroke
    h, w = mask.shape
    xi = int(round(x))
    for row, cap in ((sl[0].start, cap_top), (sl[0].stop - 1, cap_bottom)):
        if cap is None:
            continue
        for r in range(max(0, row - thick), min(h, row + thick + 1)):
            if not mask[r, xi]:
                continue
            left, right = _run_extent(mask[r], xi)
            remove[r, left : right + 1] = True


def column_run(mask: np.ndarray, x: float, y: float, reach: int) -> tuple[float, float] | None:
    """Top and bottom rows of the ink run through pixel (``x``, ``y``) along its column
    (and the two beside it), gaps of up to :data:`RUN_GAP` pixels bridged, at most ``reach``
    rows each way; None when (``x``, ``y``) is no ink.

    Where a series has error bars but one of its markers shows none, the bar is no longer
    than the marker (or barely sticks out of it): the run of ink down the marker's middle
    column, stubs included, bounds the bar's ends.
    """
    h, w = mask.shape
    col, row = int(round(x)), int(round(y))
    if not (0 <= col < w and 0 <= row < h):
        return None
    lo, hi = max(0, row - reach), min(h, row + reach + 1)
    # a thin bar between two columns may show in either; short gaps (JPEG, a marker's rim)
    # are bridged
    ink = mask[lo:hi, max(0, col - 1) : col + 2].any(axis=1)
    ink = ndimage.binary_closing(np.pad(ink, RUN_GAP), np.ones(2 * RUN_GAP + 1, bool))[
        RUN_GAP:-RUN_GAP] | ink
    if not ink[row - lo]:
        return None
    runs, _ = ndimage.label(ink)
    rows = np.flatnonzero(runs == runs[row - lo]) + lo
    return float(rows[0]), float(rows[-1])


RUN_GAP = 2  # px: the longest break in a bar's run bridged (a rim, a thin crossing line)
