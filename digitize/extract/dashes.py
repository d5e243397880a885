"""Series of one colour told apart by dash pattern.

A legend swatch shows each series' dash pattern: the lengths of its strokes along the
swatch (one long run for a solid line). In the plot, the shared ink breaks into pieces: each
dash or dot is a piece, a solid line one long piece (or a few, where it crosses another line).
Every piece goes to the entry whose stroke lengths it matches; a dot that two patterns share
(dotted and dash-dot) goes to the dash-dot line when one of that line's dashes is near.
"""

from __future__ import annotations

import cv2
import numpy as np


def dash_strokes(swatch_mask: np.ndarray, hidden: np.ndarray | None = None) -> tuple[float, ...]:
    """Stroke lengths along a legend swatch, in pixels: ``()`` for a solid line (one run
    across), else the distinct lengths of the dashes and dots (longest first).

    Parameters
    ----------
    swatch_mask : ndarray of bool
        The swatch's ink (a level line, perhaps with a marker).
    hidden : ndarray of bool, optional
        Per column of ``swatch_mask``, whether ink of another colour covers the swatch's line
        there (a data line crossing a legend drawn over the data). A gap that such ink covers
        is no gap of the pattern: runs on either side of it are joined (one run across is a
        solid line), and their lengths, which the crossing may have cut, do not count.
    """
    cols = swatch_mask.any(axis=0)
    idx = np.flatnonzero(cols)
    if len(idx) < 4:
        return ()
    cols = cols[idx[0] : idx[-1] + 1]
    edges = np.flatnonzero(np.diff(cols.astype(np.int8)))
    starts = np.r_[0, edges[1::2] + 1] if cols[0] else edges[::2] + 1
    stops = np.r_[edges[::2] + 1, len(cols)] if cols[0] else np.r_[edges[1::2] + 1, len(cols)]
    runs = (stops - starts).astype(float)
    if len(runs) < 2:
        return ()
    # a stroke is at least as long as the line is thick (a dot): a shorter run is one cut by
    # the handle's end, or the faint first pixel of one
    heights = swatch_mask.sum(axis=0)[idx[0] : idx[-1] + 1]
    runs = np.maximum(runs, float(np.median(heights[heights > 0])) - 1)
    # whole strokes only: the runs at the ends may be cut by the swatch's edge
    whole = np.ones(len(runs), bool)
    if len(runs) > 3:
        whole[[0, -1]] = False
    if hidden is not None:
        cover = np.asarray(hidden, bool)[idx[0] : idx[-1] + 1]
        covered = np.array([cover[a:b].mean() >= 0.75
                            for a, b in zip(stops[:-1], starts[1:], strict=True)])
        if covered.all():
            return ()  # every gap is another line crossing: a solid line
        cut = np.r_[covered, False] | np.r_[False, covered]
        if (whole & ~cut).any():
            whole &= ~cut
        elif (~cut).any():
            whole = ~cut
    inner = runs[whole]
    out: list[float] = []
    for r in sorted(inner, reverse=True):
        if not out or r < 0.5 * out[-1]:  # a dot beside a dash, not anti-aliasing
            out.append(float(r))
    return tuple(out)


def _piece_lengths(mask: np.ndarray, half: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Labels, lengths (along the stroke, pixels) and centroids of the mask's pieces."""
    n, labels, stats, centroids = cv2.connectedComponentsWithStats(
        mask.astype(np.uint8), connectivity=8)
    w = stats[1:, cv2.CC_STAT_WIDTH].astype(float)
    h = stats[1:, cv2.CC_STAT_HEIGHT].astype(float)
    area = stats[1:, cv2.CC_STAT_AREA].astype(float)
    # a straight stroke's length: its box's diagonal less the stroke's width, and at least
    # its area over that width (a bent one)
    thick = 2 * half + 1
    length = np.maximum(np.hypot(w, h) - thick * 0.7, np.maximum(w, h))
    length = np.maximum(length, area / thick)
    return labels, length, centroids[1:]


def split_by_dash(
    mask: np.ndarray, patterns: list[tuple[float, ...]], half: float
) -> list[np.ndarray] | None:
    """Split one ink's mask among series by their swatches' dash patterns.

    Parameters
    ----------
    mask : ndarray of bool
        The shared ink (lines only).
    patterns : list of tuple of float
        Each series' stroke lengths (:func:`dash_strokes`; ``()`` for solid).
    half : float
        The lines' stroke half-width.

    Returns
    -------
    list of ndarray of bool or None
        One mask per series, or None when the patterns do not tell the series apart (two
        alike, or nothing to go by).
    """
    if len(patterns) < 2 or _alike_patterns(patterns):
        return None
    labels, length, centres = _piece_lengths(mask, half)
    if len(length) == 0:
        return None
    longest_dash = max((max(p) for p in patterns if p), default=0.0)
    solid = [j for j, p in enumerate(patterns) if not p]
    owner = np.full(len(length), -1)
    ambiguous: list[tuple[int, list[int]]] = []
    for k, size in enumerate(length):
        if size > 2.2 * longest_dash + 2:
            if len(solid) == 1:
                owner[k] = solid[0]
            continue  # long pieces where lines cross or touch: no one's dash
        fits = []
        for j, p in enumerate(patterns):
            if not p:
                continue
            err = min(abs(np.log((size + 1) / (s + 1))) for s in p)
            fits.append((err, j))
        fits.sort()
        good = [j for err, j in fits if err < 0.45]
        if len(good) == 1:
            owner[k] = good[0]
        elif len(good) > 1:
            ambiguous.append((k, good))
    for k, candidates in ambiguous:
        # a dot two patterns share: the pattern with a dash of its own nearby takes it, else
        # the pattern whose longest stroke it fits best (the dotted line's, made of dots)
        best = min(candidates, key=lambda j: abs(np.log((length[k] + 1) / (max(patterns[j]) + 1))))
        best_d = np.inf
        for j in candidates:
            mine = np.flatnonzero(owner == j)
            if len(mine) == 0:
                continue
            d = float(np.min(np.hypot(*(centres[mine] - centres[k]).T)))
            reach = 1.5 * max(patterns[j]) + 4 * (half + 1)
            if d < reach and d < best_d:
                best, best_d = j, d
        owner[k] = best
    out = []
    for j in range(len(patterns)):
        ids = np.flatnonzero(owner == j) + 1
        out.append(np.isin(labels, ids))
    if sum(bool(m.any()) for m in out) < 2:
        return None
    return out


def same_pattern(p: tuple[float, ...], q: tuple[float, ...]) -> bool:
    """Whether two swatches' stroke lengths (:func:`dash_strokes`) are one dash pattern."""
    if not p or not q:
        return not p and not q
    return len(p) == len(q) and all(
        abs(np.log((x + 1) / (y + 1))) < 0.25 for x, y in zip(p, q, strict=True))


def _alike_patterns(patterns: list[tuple[float, ...]]) -> bool:
    """Whether two of the patterns cannot be told apart by stroke length."""
    return any(same_pattern(patterns[a], patterns[b])
               for a in range(len(patterns)) for b in range(a + 1, len(patterns)))
