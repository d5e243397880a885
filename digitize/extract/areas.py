"""Filled areas: a series drawn as a filled region with no line of its own.

Two forms share one trace, the region's top and bottom edge in every column it covers:

* a **layer** (an area filled down to the axis, or a stacked area filled down to the layer
  below it): its data is the top edge alone;
* a **range** (a band between a lower and an upper curve, drawn without a centre line): its
  data is both edges, reported as ``y_lower``/``y_upper`` around their middle.

The edges are reduced to their corners by Douglas-Peucker (``cv2.approxPolyDP``) with a
one-pixel tolerance: the data points of a piecewise-linear area, or a sampling of a dense one
that keeps its shape to within a pixel.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from scipy import ndimage

from .. import colors, morphology

#: median depth (px from the region's edge) above which ink is a filled region, not strokes
AREA_DEPTH = 3.0
#: least share of the plot width a filled region spans to be an area (not a legend patch)
AREA_WIDTH_SHARE = 0.2
#: pieces of a region at least this share of its largest piece's size are part of it
MAIN_PIECE = 0.25
#: px of edge line that may part a stacked layer from the one below
RESTING_GAP = 3
#: share of columns whose bottom edge rests on the axis or on another series for a layer
RESTING_SHARE = 0.8


@dataclass
class AreaTrace:
    """The top and bottom edge rows (pixel centres) of a filled region, per column ``x``."""

    x: np.ndarray
    top: np.ndarray
    bottom: np.ndarray


def is_filled_area(mask: np.ndarray) -> bool:
    """Whether a series' ink is one filled region across a good part of the plot, deeper than
    any line or marker is thick."""
    mask = np.asarray(mask, bool)
    n = int(mask.sum())
    if n < 400:
        return False
    depth = morphology.distance(mask)[mask]
    if float(np.median(depth)) < AREA_DEPTH:
        return False
    # gridlines drawn over a translucent fill cut it into pieces: close them first
    labels, count = ndimage.label(morphology.closing(mask, np.ones((5, 5), np.uint8)))
    sizes = ndimage.sum(mask, labels, range(1, count + 1))
    big = int(np.argmax(sizes)) + 1
    if sizes[big - 1] < 0.6 * n:
        return False
    cols = np.flatnonzero((labels == big).any(axis=0))
    return bool(cols[-1] - cols[0] + 1 >= AREA_WIDTH_SHARE * mask.shape[1])


#: share of a fill's outline an edge line must cover
OUTLINE_SHARE = 0.8
#: share of a line's pixels with its fill on both sides that makes it a centre line
CENTRE_LINE_SHARE = 0.5


def outlined_area(line: np.ndarray, fill: np.ndarray, half_width: float) -> np.ndarray | None:
    """The region of a filled area drawn with an edge line (``line``, of stroke half-width
    ``half_width``) around its ``fill``, or None where the line is no outline (a line drawn
    through the middle of its band, whose outline is the band's own colour). Gridlines seen
    through the fill may read as the line's colour: what counts is the outline covered."""
    line = np.asarray(line, bool)
    fill = np.asarray(fill, bool)
    region = line | fill
    if not line.any() or not is_filled_area(region):
        return None
    # an outline has the fill on one side; a line through a narrow band (whose rim the
    # line's own width nearly covers) has it on both
    if colors.sandwiched(fill, line) >= CENTRE_LINE_SHARE:
        return None
    closed = morphology.closing(region, np.ones((5, 5), np.uint8)) | region
    rim = closed & (morphology.distance(closed) <= 1.5)
    near_line = morphology.dilate(line, max(1, int(round(half_width))))
    if float(near_line[rim].mean()) < OUTLINE_SHARE:
        return None
    return region


def area_trace(mask: np.ndarray, close: int = 5) -> AreaTrace:
    """Top and bottom edge of ``mask`` in each column it covers.

    Gaps in the region (gridlines or another series drawn over it) up to ``close`` px wide
    are closed first, so an edge is the region's, not a hole's; columns left empty are
    skipped.
    """
    filled = morphology.closing(np.asarray(mask, bool), np.ones((close, close), np.uint8))
    filled |= np.asarray(mask, bool)
    # the region itself: strays of its colour elsewhere (gridlines blended over another
    # layer, a legend patch) are left out
    labels, count = ndimage.label(filled)
    if count > 1:
        sizes = np.bincount(labels.ravel())[1:]
        filled = np.isin(labels, np.flatnonzero(sizes >= MAIN_PIECE * sizes.max()) + 1)
    cols = _trim_partial_ends(filled, np.flatnonzero(filled.any(axis=0)))
    rows = np.arange(filled.shape[0])[:, None]
    sub = filled[:, cols]
    top = np.where(sub, rows, filled.shape[0]).min(axis=0).astype(float)
    bottom = np.where(sub, rows, -1).max(axis=0).astype(float)
    return AreaTrace(cols.astype(float), top, bottom)


def _trim_partial_ends(filled: np.ndarray, cols: np.ndarray, most: int = 3) -> np.ndarray:
    """``cols`` without end columns the region only partly covers (an anti-aliased edge
    column whose blend matched the fill's colour in a few pixels): up to ``most`` at each end
    holding under half the ink of the column inside them."""
    counts = filled[:, cols].sum(axis=0)
    lo, hi = 0, len(cols)
    while lo < min(most, hi - 2) and counts[lo] < 0.5 * counts[lo + 1]:
        lo += 1
    while len(cols) - hi < most and hi - lo > 2 and counts[hi - 1] < 0.5 * counts[hi - 2]:
        hi -= 1
    return cols[lo:hi]


def rests_on(trace: AreaTrace, floor: np.ndarray) -> bool:
    """Whether the region's bottom edge is flat (filled down to a baseline) or rests on
    ``floor`` (the plot area's bottom edge or another series' ink) for most of its columns:
    a layer filled down to it."""
    if np.ptp(trace.bottom) <= 2:
        return True
    h = floor.shape[0]
    cols = trace.x.astype(int)
    at_edge = trace.bottom >= h - 3
    touching = np.zeros(len(cols), bool)
    for step in range(1, RESTING_GAP + 2):  # an edge line may part the layers
        touching |= floor[np.clip(trace.bottom.astype(int) + step, 0, h - 1), cols]
    return bool(np.mean(at_edge | touching) >= RESTING_SHARE)


def corners(x: np.ndarray, y: np.ndarray, tolerance: float = 1.0) -> np.ndarray:
    """Indices of the corners of the polyline ``(x, y)`` (its ends included): the points
    Douglas-Peucker keeps at ``tolerance`` px."""
    if len(x) < 3:
        return np.arange(len(x))
    curve = np.column_stack([x, y]).astype(np.float32).reshape(-1, 1, 2)
    kept = cv2.approxPolyDP(curve, tolerance, False).reshape(-1, 2)
    index = {float(v): i for i, v in enumerate(x)}
    return np.array(sorted(index[float(v)] for v in kept[:, 0]), int)


__all__ = ["AreaTrace", "area_trace", "corners", "is_filled_area", "outlined_area", "rests_on"]
