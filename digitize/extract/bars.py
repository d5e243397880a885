"""Bars of bar charts and histograms: solid axis-aligned rectangles of a series colour.

Pure functions on the plot-area crop. :func:`find_bars` finds the rectangles (sub-pixel
edges, edge strokes included), :func:`bar_orientation` says whether they stand on a common
horizontal baseline (vertical bars) or a vertical one (horizontal bars), and
:func:`is_bar_chart` decides whether they explain the plot's ink. Pixel coordinates are crop
coordinates with pixel centres at integers (a pixel ``r`` covers ``[r - 0.5, r + 0.5]``).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from scipy import ndimage

from .. import colors

RGB = tuple[int, int, int]

# Lab distance within which a pixel is of the bar's fill colour
FILL_TOL = 10.0
# fill share of a component's bounding box for it to count as a rectangle
MIN_FILL = 0.9


@dataclass
class Bar:
    """One solid rectangle: continuous edges in crop pixels and its fill colour."""

    left: float
    right: float
    top: float
    bottom: float
    color: RGB
    area: int = 0

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def cx(self) -> float:
        return 0.5 * (self.left + self.right)

    @property
    def cy(self) -> float:
        return 0.5 * (self.top + self.bottom)


def _runs(values: np.ndarray, tol: float) -> list[tuple[int, int]]:
    """Index ranges ``[a, b)`` over which ``values`` stays within ``tol`` of its run start."""
    out = []
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or abs(values[i] - values[start]) > tol:
            out.append((start, i))
            start = i
    return out


def _split_component(comp: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Rectangles ``(top, bottom, left, right)`` (inclusive-exclusive) in a component that is
    no rectangle: same-colour bars side by side (a histogram without edges), split where the
    far edge steps, along whichever direction leaves the fuller pieces. A staircase splits
    both ways; the pieces that stand on one line (bars on their baseline) win then."""
    best: list[tuple[int, int, int, int]] = []
    best_key: tuple[bool, float, float] = (False, 0.0, 0.0)
    best_fill = 0.0
    for axis in (0, 1):
        m = comp if axis == 0 else comp.T
        cols = np.flatnonzero(m.any(axis=0))
        if len(cols) == 0:
            continue
        sub = m[:, cols[0] : cols[-1] + 1]
        has = sub.any(axis=0)
        top = np.where(has, sub.argmax(axis=0), -1)
        bottom = np.where(has, sub.shape[0] - 1 - sub[::-1].argmax(axis=0), -1)
        # a column or two nicked by a line drawn over the bars (a dotted gridline along a
        # bar's end, a tick) is no step: the median of 5 columns keeps steps 3 wide or more
        top = ndimage.median_filter(top, size=5, mode="nearest")
        bottom = ndimage.median_filter(bottom, size=5, mode="nearest")
        pieces = []
        filled = 0
        total = 0
        for a, b in _runs(top.astype(float) * 4096 + bottom, 0.5):
            if b - a < 2 or top[a] < 0:
                continue
            t0, b0 = int(np.median(top[a:b])), int(np.median(bottom[a:b]))
            block = sub[t0 : b0 + 1, a:b]
            filled += int(block.sum())
            total += block.size
            pieces.append((t0, b0 + 1, int(cols[0] + a), int(cols[0] + b)))
        fill = filled / total if total else 0.0
        if len(pieces) >= 2:
            # bars side by side step clearly from one to the next and are several pixels
            # wide; a curve's filled area (a staircase of 1-px steps) is no row of bars
            widths = np.array([r - lft for _, _, lft, r in pieces], float)
            steps = np.abs(np.diff([t for t, _, _, _ in pieces]))
            if float(np.median(widths)) < 4 or float(np.median(steps)) < 2:
                continue
        if not pieces:
            continue
        key = (fill >= MIN_FILL, shared_end([(t, b) for t, b, _, _ in pieces]), fill)
        if key > best_key:
            best_key, best_fill = key, fill
            best = pieces if axis == 0 else [(lft, rgt, t, b) for t, b, lft, rgt in pieces]
    return best if best_fill >= MIN_FILL else []


def shared_end(spans: list[tuple[float, float]], tol: float = 1.5) -> float:
    """Share of the ``(start, end)`` spans that start, or end, on the commonest line (within
    ``tol``): 1 for bars side by side on one baseline, low for a staircase cut the other way."""
    if not spans:
        return 0.0
    ends = np.asarray(spans, float)
    best = 0
    for col in (0, 1):
        v = ends[:, col]
        best = max(best, int((np.abs(v[:, None] - v[None, :]) <= tol).sum(axis=0).max()))
    return best / len(spans)


def _edge(
    profile: np.ndarray, inside: int, step: int, color: np.ndarray, background: np.ndarray
) -> float:
    """Sub-pixel position of a bar edge along a 1-D colour profile.

    ``inside`` is the last pixel fully of the fill ``color``; ``step`` (+1/-1) points out of
    the bar. Beyond it the fill fades into what lies outside and maybe an edge stroke of a
    third colour. What lies outside is the ``background`` where it shows within 4 pixels
    (a gridline further out is none of the bar's business), else the pixel 4 out (the
    neighbouring segment of a stack). The pixels in between are unmixed into fill, stroke
    and outside shares; the edge lies after the fill shares plus half the stroke.
    """
    n = len(profile)
    pos = inside + 0.5 * step
    ring = []
    outside = None
    for k in range(1, 5):
        i = inside + k * step
        if not 0 <= i < n:
            break
        q = profile[i]
        if float(np.abs(q - background).max()) <= 12:
            outside = background
            break
        ring.append(q)
    if outside is None:
        if len(ring) < 2:
            return pos + step * 0.5 * len(ring)
        outside = ring.pop()
    if not ring:
        return pos
    pix = np.array(ring)
    d = outside - color
    dd = float(d @ d)
    if dd > 1e-6:
        t = np.clip((pix - color) @ d / dd, 0, 1)
        resid = np.linalg.norm(pix - (color + t[:, None] * d), axis=1)
    else:
        resid = np.linalg.norm(pix - color, axis=1)
    k = int(np.argmax(resid))
    stroke = pix[k] if resid[k] > 25 else None
    fill_share = 0.0
    stroke_w = 0.0
    for p in pix:
        if stroke is None:
            share = float(np.clip((p - outside) @ (color - outside) / dd, 0, 1)) if dd > 1e-6 \
                else 0.0
            fill_share += share
            if share < 0.5:
                break
            continue
        basis = np.stack([color - outside, stroke - outside], axis=1)
        coef, *_ = np.linalg.lstsq(basis, p - outside, rcond=None)
        a, b = float(np.clip(coef[0], 0, 1)), float(np.clip(coef[1], 0, 1))
        fill_share += a
        stroke_w += b
        if a + b < 0.5:
            break
    fill_share = min(fill_share, 1.0)
    return pos + step * (fill_share + 0.5 * stroke_w)


def _refine(crop: np.ndarray, t: int, b: int, lft: int, r: int, color: RGB,
            background: RGB) -> tuple[float, float, float, float]:
    """Sub-pixel edges of the rectangle rows ``t..b-1``, columns ``lft..r-1``."""
    c = np.asarray(color, float)
    bg = np.asarray(background, float)
    h, w = crop.shape[:2]
    cm = slice(lft + (r - lft) // 4, max(lft + (r - lft) // 4 + 1, r - (r - lft) // 4))
    rm = slice(t + (b - t) // 4, max(t + (b - t) // 4 + 1, b - (b - t) // 4))
    col = crop[:, cm].astype(float).mean(axis=1)
    row = crop[rm, :].astype(float).mean(axis=0)
    top = _edge(col, t, -1, c, bg) if t > 0 else t - 0.5
    bottom = _edge(col, b - 1, 1, c, bg) if b < h else b - 0.5
    left = _edge(row, lft, -1, c, bg) if lft > 0 else lft - 0.5
    right = _edge(row, r - 1, 1, c, bg) if r < w else r - 0.5
    return left, right, top, bottom


def border_background(crop: np.ndarray, valid: np.ndarray, inset: int = 3, depth: int = 6
                      ) -> RGB:
    """The plot background: the colour that is commonest along most of the four thin strips
    just inside the plot area's sides. Bars may cover most of the plot (a histogram) and the
    side they stand on, but not the other sides (the axis limits leave a margin). A neutral
    colour (white, grey, cream, dark) beats a saturated one: that is a bar's."""
    h, w = valid.shape
    a, b = inset, inset + depth
    strips = [(slice(a, b), slice(None)), (slice(h - b, h - a), slice(None)),
              (slice(None), slice(a, b)), (slice(None), slice(w - b, w - a))]
    found: list[RGB] = []
    for sl in strips:
        m = valid[sl]
        if m.sum() >= 10:
            found.append(colors.dominant_color(crop[sl], m))
    if not found:
        return colors.dominant_color(crop, valid)
    arr = np.array(found, float)

    def neutral(c: np.ndarray) -> bool:  # backgrounds are white, grey, cream or dark
        return float(c.max() - c.min()) <= 30

    votes = [(neutral(c), int((np.abs(arr - c).max(axis=1) <= 12).sum()), -k)
             for k, c in enumerate(arr)]
    return found[-max(votes)[2]]


def heal_gridlines(
    crop: np.ndarray, lab: np.ndarray, grid: RGB, background: RGB, max_width: int = 5
) -> tuple[np.ndarray, np.ndarray]:
    """Paint over gridlines drawn across bars (a style that draws the grid above patches):
    a gridline-coloured pixel with the same non-background colour on both sides of it, at
    most ``max_width`` pixels apart, takes that colour. Returns the new crop and its Lab."""
    out = crop.copy()
    on_grid = colors.lab_distance(lab, grid) < 10
    if not on_grid.any():
        return crop, lab
    ink = colors.lab_distance(lab, background) > 12
    done = np.zeros(on_grid.shape, bool)
    h, w = on_grid.shape
    for k in range(1, max_width // 2 + 2):
        for axis in (0, 1):
            n = h if axis == 0 else w
            if n <= 2 * k:
                continue
            lo = [slice(None), slice(None)]
            hi = [slice(None), slice(None)]
            mid = [slice(None), slice(None)]
            lo[axis], mid[axis], hi[axis] = slice(0, n - 2 * k), slice(k, n - k), \
                slice(2 * k, n)
            a, b = lab[tuple(lo)], lab[tuple(hi)]
            same = np.sqrt(((a - b) ** 2).sum(axis=-1)) < 8
            both = ink[tuple(lo)] & ink[tuple(hi)] & ~on_grid[tuple(lo)] & ~on_grid[tuple(hi)]
            fix = on_grid[tuple(mid)] & same & both & ~done[tuple(mid)]
            if fix.any():
                region = out[tuple(mid)]
                region[fix] = crop[tuple(lo)][fix]
                done[tuple(mid)] |= fix
    if not done.any():
        return crop, lab
    return out, colors.to_lab(out)


def prepare(
    crop: np.ndarray, lab: np.ndarray, valid: np.ndarray, grid: RGB | None
) -> tuple[np.ndarray, np.ndarray, RGB, RGB | None]:
    """The plot as bars see it: the background from the plot border, the gridline colour
    (None when it is a wide bar's colour or the background's), and gridlines drawn across
    bars painted over. Returns ``(crop, lab, background, grid)``."""
    background = border_background(crop, valid)
    if grid is not None:
        grid_lab = colors.to_lab(np.array([[grid]], np.uint8))
        if (colors.solidity(lab, grid, valid) > 0.3  # "rows mostly one colour": wide bars
                or float(colors.lab_distance(grid_lab, background)[0, 0]) < 10):
            grid = None
    if grid is not None:
        crop, lab = heal_gridlines(crop, lab, grid, background)
    return crop, lab, background, grid


def find_bars(
    crop: np.ndarray,
    lab: np.ndarray,
    valid: np.ndarray,
    background: RGB,
    grid: RGB | None = None,
    *,
    min_side: int = 3,
    max_colors: int = 8,
) -> list[Bar]:
    """Solid rectangles of one colour in the plot area.

    Parameters
    ----------
    crop : ndarray
        The plot-area crop, RGB uint8.
    lab : ndarray
        ``crop`` in CIELAB.
    valid : ndarray of bool
        Pixels that may hold data (frame lines and the legend masked out).
    background, grid : RGB
        The plot background and gridline colours (not bar colours).
    min_side : int
        Smallest bar width (and height of a bar's fill) in pixels.
    max_colors : int
        How many of the most frequent ink colours to look at.

    Returns
    -------
    list of Bar
        Every rectangle with sub-pixel edges, in no particular order.
    """
    ink = (colors.lab_distance(lab, background) > 12) & valid
    if grid is not None:
        ink &= colors.lab_distance(lab, grid) > 8
    total = int(valid.sum())
    if total == 0 or not ink.any():
        return []
    clusters = colors.color_clusters(crop, ink, min_count=max(30, int(0.002 * total)))
    bars: list[Bar] = []
    taken = np.zeros(valid.shape, bool)
    for cl in clusters[:max_colors]:
        mask = (colors.lab_distance(lab, cl.color) < FILL_TOL) & valid & ~taken
        labels, n = ndimage.label(mask)
        if n == 0:
            continue
        for k, sl in enumerate(ndimage.find_objects(labels), start=1):
            if sl is None:
                continue
            comp = labels[sl] == k
            area = int(comp.sum())
            hh, ww = comp.shape
            if area < min_side * min_side or min(hh, ww) < 2:
                continue
            if area >= MIN_FILL * hh * ww:
                rects = [(0, hh, 0, ww)]
            else:
                rects = _split_component(comp)
            for t, b, lft, r in rects:
                if min(b - t, r - lft) < 2 or max(b - t, r - lft) < min_side:
                    continue
                t0, b0, l0, r0 = sl[0].start + t, sl[0].start + b, sl[1].start + lft, \
                    sl[1].start + r
                taken[t0:b0, l0:r0] = True
                fill = crop[t0:b0, l0:r0].reshape(-1, 3)
                color = tuple(int(v) for v in np.median(fill, axis=0).round())
                edges = _refine(crop, t0, b0, l0, r0, color, background)  # type: ignore[arg-type]
                bars.append(Bar(*edges, color=color, area=(b0 - t0) * (r0 - l0)))  # type: ignore[arg-type]
    return bars


def merge_pieces(bars: list[Bar], orientation: str, gap: float = 4.5, tol: float = 1.5
                 ) -> list[Bar]:
    """Join pieces of one bar cut apart by lines drawn over it (gridlines across the value
    axis): same colour, same extent across the category axis, end to end along the value
    axis with at most ``gap`` pixels between them. Bars of one colour are never end to end
    along the value axis otherwise (stack segments differ in colour)."""
    vertical = orientation == "vertical"
    todo = sorted(bars, key=lambda b: (b.top, b.left) if vertical else (b.left, b.top))
    out: list[Bar] = []
    for b in todo:
        for m in out:
            same_color = max(abs(int(p) - int(q)) for p, q in zip(m.color, b.color,
                                                                   strict=True)) <= 12
            if not same_color:
                continue
            if vertical:
                if abs(m.left - b.left) <= tol and abs(m.right - b.right) <= tol and \
                        -tol <= b.top - m.bottom <= gap:
                    m.bottom = max(m.bottom, b.bottom)
                    m.area += b.area
                    break
            elif abs(m.top - b.top) <= tol and abs(m.bottom - b.bottom) <= tol and \
                    -tol <= b.left - m.right <= gap:
                m.right = max(m.right, b.right)
                m.area += b.area
                break
        else:
            out.append(Bar(b.left, b.right, b.top, b.bottom, b.color, b.area))
    return out


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values)
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, 0.5 * cum[-1])])


def solid_only(bars: list[Bar]) -> list[Bar]:
    """The bars without slivers: pieces whose smaller side is under a third of the typical
    bar's (area-weighted), such as edge strokes, shadows and gridline bits."""
    if len(bars) < 2:
        return bars
    minor = np.array([min(b.width, b.height) for b in bars])
    typical = _weighted_median(minor, np.array([b.area for b in bars], float))
    keep = [b for b, m in zip(bars, minor, strict=True) if m >= max(3.0, typical / 3)]
    return keep if len(keep) >= 2 else bars


def _stack_ids(bars: list[Bar], orientation: str) -> np.ndarray:
    """Per bar, the index of the position it occupies along the category axis (bars
    overlapping by more than half across it share one: a stack)."""
    order = sorted(range(len(bars)), key=lambda i: category_extent(bars[i], orientation))
    ids = np.zeros(len(bars), int)
    n, end = -1, -np.inf
    for i in order:
        lo, hi = category_extent(bars[i], orientation)
        if lo >= end - 0.5 * (hi - lo):
            n += 1
            end = hi
        else:
            end = max(end, hi)
        ids[i] = n
    return ids


def baseline_support(bars: list[Bar], orientation: str, tol: float = 1.5) -> float:
    """Share of the bar positions (stacks) with a bar ending on the commonest base line
    (0 when the bars take one position only: nothing is shared then)."""
    if not bars:
        return 0.0
    ids = _stack_ids(bars, orientation)
    if ids.max() < 1:
        return 0.0
    ends = np.array([value_ends(b, orientation) for b in bars])
    best = 0
    for e in ends.ravel():
        on = (np.abs(ends - e) <= tol).any(axis=1)
        best = max(best, len(set(ids[on].tolist())))
    return best / (int(ids.max()) + 1)


def bar_orientation(bars: list[Bar]) -> str | None:
    """"vertical" when the bars share a horizontal base line (most bars end on one row),
    "horizontal" when they share a vertical one; None when neither."""
    bars = solid_only(bars)
    if len(bars) < 2:
        return None
    v = baseline_support(bars, "vertical")
    h = baseline_support(bars, "horizontal")
    if max(v, h) < 0.6:
        return None
    if abs(v - h) < 1e-9:
        w = np.median([b.width for b in bars])
        hgt = np.median([b.height for b in bars])
        return "vertical" if w <= hgt else "horizontal"
    return "vertical" if v > h else "horizontal"


def mostly_solid(ink: np.ndarray, min_side: int = 3, share: float = 0.35) -> bool:
    """Whether enough of the ink is solid area for bars to explain most of it.

    Bars at least ``min_side`` pixels across survive an opening by a square that size;
    lines, markers and text mostly do not. :func:`is_bar_chart` wants bars to cover half
    the ink, so a plot whose solid share is well under that needs no search for bars.
    """
    total = int(ink.sum())
    if total == 0:
        return False
    kernel = np.ones((min_side, min_side), np.uint8)
    solid = cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_OPEN, kernel)
    return int(solid.sum()) >= share * total


def is_bar_chart(bars: list[Bar], ink_pixels: int, plot_pixels: int,
                 orientation: str | None = None) -> bool:
    """Bars explain the plot: at least two rectangles with a shared base line (in
    ``orientation`` when given), big enough to be bars (not markers: square markers are
    small and float freely), covering most ink."""
    if len(bars) < 2 or ink_pixels <= 0:
        return False
    area = sum(b.area for b in bars)
    bars = solid_only(bars)
    if orientation is None:
        orientation = bar_orientation(bars)
        if orientation is None:
            return False
    elif baseline_support(bars, orientation) < 0.6:
        return False
    long_side = np.median([max(b.width, b.height) for b in bars])
    big = area >= 0.03 * plot_pixels and long_side >= 8
    return bool(big and area >= 0.5 * ink_pixels)


__all__ = ["Bar", "prepare", "border_background", "heal_gridlines", "find_bars",
           "bar_orientation", "mostly_solid", "is_bar_chart", "unexplained_share"]


@dataclass
class BarPoint:
    """One bar as data pixels: where it sits on the category axis and its value-axis ends.

    ``base`` and ``end`` are value-axis pixel positions (``end`` the bar's value, ``base`` the
    line it stands on: the baseline, or the top of the segment below in a stack); ``centre``
    is its centre on the category axis, ``slot`` its stack (bars sharing a category position
    and stacked), ``series`` its colour group.
    """

    bar: Bar
    centre: float
    base: float
    end: float
    slot: int
    series: int
    stacked: bool


def unexplained_share(bars: list[Bar], lab: np.ndarray, valid: np.ndarray, background: RGB,
                      tol: float = 14.0, reach: int = 2) -> float:
    """Share of the ink in the bars' colours that lies outside every bar's rectangle (grown by
    ``reach`` px). Bars explain their own colours all but their anti-aliased rims; filled
    areas found as rectangles (the flat inner slabs of stacked layers) leave their sloping
    edges out."""
    if not bars:
        return 0.0
    ink = np.zeros(valid.shape, bool)
    bg = colors.to_lab(np.array([background], np.uint8))
    for color in {b.color for b in bars}:
        if float(colors.lab_distance(bg, color)[0]) < tol:
            continue  # a pale sliver (a legend face's edge): the background's own colour
        ink |= colors.lab_distance(lab, color) < tol
    ink &= valid
    total = int(ink.sum())
    if total == 0:
        return 0.0
    inside = np.zeros(valid.shape, bool)
    h, w = valid.shape
    for b in bars:
        top, bottom = max(0, int(b.top) - reach), min(h, int(np.ceil(b.bottom)) + reach)
        left, right = max(0, int(b.left) - reach), min(w, int(np.ceil(b.right)) + reach)
        inside[top:bottom, left:right] = True
    return float((ink & ~inside).sum() / total)


def value_ends(bar: Bar, orientation: str) -> tuple[float, float]:
    """The bar's two ends along the value axis (pixels, low first)."""
    return (bar.top, bar.bottom) if orientation == "vertical" else (bar.left, bar.right)


def category_extent(bar: Bar, orientation: str) -> tuple[float, float]:
    """The bar's extent across the value axis (pixels, low first)."""
    return (bar.left, bar.right) if orientation == "vertical" else (bar.top, bar.bottom)


def color_groups(bars: list[Bar], refs: list[RGB] | None = None, tol: float = 12.0
                 ) -> list[int]:
    """A series index per bar: the nearest reference colour (legend swatches) within ``tol``
    Lab units, else greedy clusters of the bar colours (-1 never; new groups after refs)."""
    labs = colors.to_lab(np.array([b.color for b in bars], np.uint8).reshape(-1, 1, 3))[:, 0]
    centres: list[np.ndarray] = []
    if refs:
        centres = list(colors.to_lab(np.array(refs, np.uint8).reshape(-1, 1, 3))[:, 0])
    n_refs = len(centres)
    out = []
    for lab in labs:
        d = [float(np.linalg.norm(lab - c)) for c in centres]
        j = int(np.argmin(d)) if d else -1
        limit = tol if j < n_refs else 10.0
        if j >= 0 and d[j] < limit:
            out.append(j)
        else:
            centres.append(lab)
            out.append(len(centres) - 1)
    return out


def assemble(bars: list[Bar], orientation: str, zero: float, series: list[int],
             reach: float = 4.0, floating: bool = False) -> list[BarPoint]:
    """Stacks, bases and ends of the bars.

    Bars overlapping by more than half along the category axis form one stack; each stack is
    walked outward from the baseline ``zero`` (value-axis pixel of value 0, or the plot edge
    the bars rise from), and a segment's base is the edge it shares with the one below it
    (the mean of both measured edges). A first segment ending within ``reach`` pixels of the
    baseline stands on it (the axis line and the frame mask may hide its last pixels); with
    ``floating`` False, stacks that do not reach the baseline are no bars (legend swatches,
    boxes) and are dropped; with True (the baseline is a guess) they start where they start.
    """
    order = sorted(range(len(bars)), key=lambda i: category_extent(bars[i], orientation)[0])
    slots: list[list[int]] = []
    for i in order:
        lo, hi = category_extent(bars[i], orientation)
        placed = False
        for slot in slots[-3:]:
            slo = np.median([category_extent(bars[j], orientation)[0] for j in slot])
            shi = np.median([category_extent(bars[j], orientation)[1] for j in slot])
            overlap = min(hi, shi) - max(lo, slo)
            if overlap > 0.5 * min(hi - lo, shi - slo):
                slot.append(i)
                placed = True
                break
        if not placed:
            slots.append([i])
    out: list[BarPoint] = []
    for s, slot in enumerate(slots):
        for side in (-1, 1):  # segments beyond the baseline on either side
            members = []
            for i in slot:
                a, b = value_ends(bars[i], orientation)
                near, far = (a, b) if abs(a - zero) < abs(b - zero) else (b, a)
                if (far - zero) * side > 0:
                    members.append((abs(near - zero), i, near, far))
            members.sort()
            prev_far: float | None = None
            for _, i, near, far in members:
                base = zero if prev_far is None else 0.5 * (prev_far + near)
                if prev_far is None and abs(near - zero) > reach:
                    if not floating:
                        break  # not standing on the baseline: a legend swatch, a label
                    base = near  # a bar clipped by the axes
                lo, hi = category_extent(bars[i], orientation)
                out.append(BarPoint(bars[i], 0.5 * (lo + hi), base, far, s, series[i],
                                    stacked=len(slot) > 1))
                prev_far = far
    return out


def category_groups(points: list[BarPoint], orientation: str, gap: float = 2.0
                    ) -> list[tuple[float, float]]:
    """Extents along the category axis of groups of bars that touch (grouped bars of one
    category, or a whole histogram), low first."""
    ext = sorted(category_extent(p.bar, orientation) for p in points)
    groups: list[list[float]] = []
    for lo, hi in ext:
        if groups and lo <= groups[-1][1] + gap:
            groups[-1][1] = max(groups[-1][1], hi)
        else:
            groups.append([lo, hi])
    return [(a, b) for a, b in groups]


__all__ += ["BarPoint", "value_ends", "category_extent", "color_groups", "assemble",
            "category_groups"]


def drop_strokes(bars: list[Bar], orientation: str) -> list[Bar]:
    """Drop pieces of bar outlines taken for bars: slivers narrower than a quarter of the
    typical (area-weighted) bar across the category axis (strokes, shadows), and thin
    strips along the baseline spanning several bars (their edge strokes on the axis)."""
    if not bars:
        return bars
    across = np.array([np.subtract(*category_extent(b, orientation)[::-1]) for b in bars])
    along = np.array([np.subtract(*value_ends(b, orientation)[::-1]) for b in bars])
    typical = _weighted_median(across, np.array([b.area for b in bars], float))
    keep = (across >= max(3.0, 0.25 * typical)) & ~((along <= 4) & (across > 1.5 * typical))
    return [b for b, k in zip(bars, keep, strict=True) if k]


def _same_color(a: RGB, b: RGB, tol: int = 12) -> bool:
    return max(abs(int(p) - int(q)) for p, q in zip(a, b, strict=True)) <= tol


def split_joined(bars: list[Bar], orientation: str, gap: float = 1.5) -> list[Bar]:
    """Split bars that are several neighbours of equal value read as one: in a row of at
    least three same-colour bars touching side by side (a histogram without edge lines),
    a bar whose width is close to a whole multiple ``k >= 2`` of the row's common width
    (that of at least two others) is ``k`` bars of that width with the same ends."""
    vertical = orientation == "vertical"
    order = sorted(bars, key=lambda b: category_extent(b, orientation)[0])
    rows: list[list[Bar]] = []
    for b in order:
        if rows:
            last = rows[-1][-1]
            if (abs(category_extent(b, orientation)[0]
                    - category_extent(last, orientation)[1]) <= gap
                    and _same_color(b.color, last.color)):
                rows[-1].append(b)
                continue
        rows.append([b])
    out: list[Bar] = []
    for row in rows:
        widths = np.array([np.subtract(*category_extent(b, orientation)[::-1]) for b in row])
        unit = float(np.median(widths))
        if len(row) >= 3:
            near = np.abs(widths - unit) <= max(1.0, 0.02 * unit)
            unit = float(widths[near].mean()) if near.sum() >= 2 else 0.0
        else:
            unit = 0.0
        for b, w in zip(row, widths, strict=True):
            k = int(round(w / unit)) if unit >= 3 else 1
            if k < 2 or abs(w - k * unit) > max(1.5, 0.02 * w):
                out.append(b)
                continue
            lo, _ = category_extent(b, orientation)
            step = w / k
            for j in range(k):
                a, c = lo + j * step, lo + (j + 1) * step
                area = int(round(b.area / k))
                out.append(Bar(a, c, b.top, b.bottom, b.color, area) if vertical
                           else Bar(b.left, b.right, a, c, b.color, area))
    return out


__all__ += ["drop_strokes", "merge_pieces", "baseline_support", "split_joined"]


def end_under_box(
    bar: Bar, crop: np.ndarray, box: tuple[int, int, int, int], orientation: str,
    zero: float, background: tuple[int, int, int] | None = None,
) -> float | None:
    """The far end of a bar that runs on under a translucent box drawn over it (a legend):
    returns the new end pixel along the value axis, or None when the bar does not stop at
    the box or does not show through it.

    ``box`` is ``(left, top, right, bottom)`` in crop pixels. Under the box the bar shows as
    one tint (its colour blended with the box's face); the tint is followed, row by row
    (column by column for horizontal bars) along the bar's middle, by the median colour,
    which text and swatches inside the box hardly move. A box found larger than the
    legend's frame may hold the bar's true end: the bar running on in its own colour
    and then the plot's ``background`` (when given) ends there.
    """
    left, top, right, bottom = box
    vertical = orientation == "vertical"
    img = crop if vertical else crop.transpose(1, 0, 2)
    lo_c, hi_c = (bar.left, bar.right) if vertical else (bar.top, bar.bottom)
    b_lo, b_hi = (left, right) if vertical else (top, bottom)  # box across the bars
    e_lo, e_hi = (top, bottom) if vertical else (left, right)  # box along the value axis
    near, far = sorted(value_ends(bar, orientation), key=lambda e: abs(e - zero))
    step = -1 if far < near else 1
    # the bar must stop at the box's edge facing it, and lie across within the box
    edge = e_hi - 0.5 if step < 0 else e_lo - 0.5
    # (the legend box found may stop short of its frame's rim by a few pixels)
    if abs(far - edge) > 6 or lo_c < b_lo - 1 or hi_c > b_hi + 1:
        return None
    w = hi_c - lo_c
    cols = slice(int(np.ceil(lo_c + 0.25 * w)), int(np.floor(hi_c - 0.25 * w)) + 1)
    if cols.stop - cols.start < 2:
        return None
    # the first rows past the bar's end: the box's rim; from there on, the tint (a box found
    # short of its frame's rim: the tint may start right past the bar's end, within it)
    stop = e_lo - 1 if step < 0 else e_hi
    starts = [int(round(max(far, edge) if step > 0 else min(far, edge))) + 3 * step]
    starts += [int(round(far)) + k * step for k in (1, 2, 3, 4)]
    for n, start in enumerate(starts):
        end = _end_in_box(img, bar, cols, start, stop, step, b_lo, lo_c, strict=n > 0,
                          background=background)
        if end is not None:
            return end
    return None


def _end_in_box(img: np.ndarray, bar: Bar, cols: slice, start: int, stop: int, step: int,
                b_lo: float, lo_c: float, strict: bool = False,
                background: tuple[int, int, int] | None = None) -> float | None:
    """:func:`end_under_box` from row ``start`` on (``img`` has the value axis first);
    ``strict``: the tint must differ from the box's face a few rows on too (``start`` may
    be on the box's rim, beside the bar only)."""
    # (a legend box may reach past the plot area's crop)
    rows = [r for r in range(start, stop, step) if 0 <= r < img.shape[0]]
    # a box found larger than the legend's frame: the bar runs on in its own colour inside
    # it, up to the frame's rim; the tint starts past that rim
    own = np.array(bar.color, float)
    k = 0
    while k < len(rows) and float(np.abs(
            np.median(img[rows[k], cols].astype(float), axis=0) - own).max()) <= 12:
        k += 1
    side = slice(max(int(b_lo) + 1, 0), max(int(lo_c) - 1, int(b_lo) + 2))
    if k and k + 2 < len(rows) and background is not None and float(np.abs(
            np.median(img[rows[k + 2], cols].astype(float), axis=0)
            - np.array(background, float)).max()) <= 12:
        return float(rows[k - 1] + 0.5 * step)  # it ends in its own colour, on the plot
    if k and k + 2 < len(rows) and side.stop > side.start:
        r = rows[k + 2]
        middle = np.median(img[r, cols].astype(float), axis=0)
        beside = np.median(img[r, side].astype(float), axis=0)
        if float(np.abs(middle - beside).max()) <= 12:
            return float(rows[k - 1] + 0.5 * step)  # it ends in its own colour, not under
    if k:
        rows = rows[k + 2 :]
    if len(rows) < 3:
        return None
    tint = np.median(img[rows[0], cols].astype(float), axis=0)
    # the box's face where no bar is: beside the bar, same row
    face = np.median(img[rows[0], side].astype(float), axis=0) if side.stop > side.start \
        else None
    if face is not None and float(np.abs(tint - face).max()) < 12:
        return None  # the box is opaque: nothing shows through
    if strict:
        if face is None:
            return None
        later = np.median(img[rows[min(4, len(rows) - 1)], side].astype(float), axis=0)
        if float(np.abs(tint - later).max()) < 12:
            return None
    # a row shows the bar where a good share of its middle is the tint (legend text and
    # swatches cover the rest); text and a swatch may hide it entirely for a while, so the
    # bar ends at the last row showing the tint, where the tint shows on most rows before it
    shows = np.array([float((np.abs(img[r, cols].astype(float) - tint).max(axis=1) <= 12)
                            .mean()) >= 0.3 for r in rows])
    if not shows.any():
        return None
    last = int(np.flatnonzero(shows)[-1])
    # rows where a swatch or text runs on beside the bar as over it (legend content, not
    # the face) say nothing either way: large swatches may hide the bar on half the rows
    hidden = np.zeros(len(rows), bool)
    if face is not None:
        for k, r in enumerate(rows[: last + 1]):
            beside = np.median(img[r, side].astype(float), axis=0)
            middle = np.median(img[r, cols].astype(float), axis=0)
            hidden[k] = (float(np.abs(beside - face).max()) > 12
                         and float(np.abs(middle - beside).max()) <= 12)
    seen = shows[: last + 1][~hidden[: last + 1]]
    if last >= len(rows) - 1 or seen.size == 0 or seen.mean() < 0.5:
        return None  # the bar runs through the whole box, or the tint is no bar's
    return float(rows[last] + 0.5 * step)


__all__ += ["end_under_box"]


def edge_strip_groups(bars: list[Bar], groups: list[int], orientation: str,
                      thin: float = 4.5) -> set[int]:
    """Colour groups that are bar outlines, not series: every piece of the group is a strip
    at most ``thin`` pixels along the value axis (the stroke across a bar's end), and there
    are several of them."""
    along = np.array([np.subtract(*value_ends(b, orientation)[::-1]) for b in bars])
    out = set()
    for g in set(groups):
        members = [i for i, gi in enumerate(groups) if gi == g]
        if len(members) >= 2 and all(along[i] <= thin for i in members):
            out.add(g)
    return out


__all__ += ["edge_strip_groups"]


def join_across_mask(bars: list[Bar], valid: np.ndarray, orientation: str,
                     tol: float = 1.5, share: float = 0.9) -> list[Bar]:
    """Join pieces of one bar split or narrowed by a masked box (the legend): same colour,
    end to end along the value axis, where the gap between them and the part of the wider
    piece's extent that the narrower one lacks are masked (``valid`` False) — the bar ran
    on under the box. The joined bar has the wider piece's extent across."""
    vertical = orientation == "vertical"
    hidden = ~(valid if vertical else valid.T)
    # work in vertical terms: (across lo, across hi, along lo, along hi)
    spans = [(b.left, b.right, b.top, b.bottom) if vertical else (b.top, b.bottom, b.left,
                                                                   b.right) for b in bars]
    out = list(bars)
    merged = True
    while merged:
        merged = False
        order = sorted(range(len(out)), key=lambda k: spans[k][2])
        for i in order:
            for j in order:
                if i == j or not _masked_between(spans[i], spans[j], hidden, tol, share):
                    continue
                if max(abs(int(p) - int(q)) for p, q in zip(out[i].color, out[j].color,
                                                            strict=True)) > 12:
                    continue
                a, b = spans[i], spans[j]
                wide = a if a[1] - a[0] >= b[1] - b[0] else b
                joined = (wide[0], wide[1], a[2], b[3])
                bar = out[i]
                new = (Bar(joined[0], joined[1], joined[2], joined[3], bar.color,
                           out[i].area + out[j].area) if vertical else
                       Bar(joined[2], joined[3], joined[0], joined[1], bar.color,
                           out[i].area + out[j].area))
                keep = [k for k in range(len(out)) if k not in (i, j)]
                out = [out[k] for k in keep] + [new]
                spans = [spans[k] for k in keep] + [joined]
                merged = True
                break
            if merged:
                break
    return out


def _masked_between(a: tuple[float, float, float, float], b: tuple[float, float, float, float],
                    hidden: np.ndarray, tol: float, share: float) -> bool:
    """Whether piece ``b`` continues piece ``a`` (``a`` first along the value axis) across
    masked pixels only, as ``(across lo, across hi, along lo, along hi)`` spans of a mask
    laid out with the value axis down its rows."""
    if b[2] < a[3] - tol:
        return False
    narrow, wide = (a, b) if a[1] - a[0] <= b[1] - b[0] else (b, a)
    if narrow[0] < wide[0] - tol or narrow[1] > wide[1] + tol or narrow[1] - narrow[0] < 2:
        return False
    h, w = hidden.shape

    def masked(c0: float, c1: float, r0: float, r1: float) -> bool:
        c0i, c1i = max(0, int(np.ceil(c0))), min(w, int(np.floor(c1)) + 1)
        r0i, r1i = max(0, int(np.ceil(r0))), min(h, int(np.floor(r1)) + 1)
        if c1i <= c0i or r1i <= r0i:
            return True  # nothing in between
        return float(hidden[r0i:r1i, c0i:c1i].mean()) >= share

    gap_ok = masked(narrow[0] + 1, narrow[1] - 1, a[3] + 1, b[2] - 1)
    left_ok = masked(wide[0] + 1, narrow[0] - 2, narrow[2] + 1, narrow[3] - 1)
    right_ok = masked(narrow[1] + 2, wide[1] - 1, narrow[2] + 1, narrow[3] - 1)
    return gap_ok and left_ok and right_ok


__all__ += ["join_across_mask"]


def end_past_edge(
    bar: Bar, image: np.ndarray, origin: tuple[int, int], orientation: str, zero: float,
    background: RGB, tol: int = 12,
) -> float | None:
    """The far end of a bar cut by the plot area's edge (a plot area found too small: the
    extent of the gridlines in a frameless style): the bar's colour is followed past the
    crop's edge, in the whole ``image``, along the bar's middle, and its end found to a
    sub-pixel. ``origin`` is the crop's ``(left, top)`` in the image. Returns the new end in
    crop pixels along the value axis, or None when the bar does not reach the crop's edge or
    does not go on past it."""
    vertical = orientation == "vertical"
    img = image if vertical else image.transpose(1, 0, 2)
    off_c, off_v = (origin[0], origin[1]) if vertical else (origin[1], origin[0])
    lo_c, hi_c = category_extent(bar, orientation)
    near, far = sorted(value_ends(bar, orientation), key=lambda e: abs(e - zero))
    step = -1 if far < near else 1
    n_v = img.shape[0]
    # the crop's edge on the bar's far side, in image pixels
    last = off_v + int(round(far - 0.5 * step))  # the bar's last whole pixel
    w = hi_c - lo_c
    cols = slice(off_c + int(np.ceil(lo_c + 0.25 * w)), off_c + int(np.floor(hi_c - 0.25 * w)) + 1)
    if cols.stop - cols.start < 2 or not 0 <= last < n_v:
        return None
    color = np.asarray(bar.color, float)
    profile = img[:, cols].astype(float).mean(axis=1)
    r = last
    while 0 <= r + step < n_v and float(np.abs(img[r + step, cols].astype(float) - color)
                                         .max(axis=1).mean()) <= tol:
        r += step
    if r == last:
        return None
    end = _edge(profile, r, step, color, np.asarray(background, float))
    return float(end - off_v)


__all__ += ["end_past_edge"]
