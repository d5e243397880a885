"""Marker centres from a series' colour mask.

Markers are the parts of the mask much thicker than the line: a morphological opening with a
disk a little smaller than the marker removes the line and keeps each marker as a blob.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage
from skimage.morphology import disk, skeletonize

from .. import morphology


@dataclass
class Marker:
    """One marker: its centre (sub-pixel, plot-area coordinates) and size."""

    x: float
    y: float
    radius: float  # inscribed radius, pixels
    area: int
    blob: int = 0  # label of its blob in the opened mask (0 when split from a larger blob)


def _tight(mask: np.ndarray) -> np.ndarray:
    """``mask`` cut to its bounding box with a one-pixel empty border (cheaper transforms)."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if len(rows) == 0:
        return np.zeros((1, 1), bool)
    return np.pad(mask[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1], 1)


def line_half_width(mask: np.ndarray) -> float:
    """Typical half-thickness of the strokes in ``mask`` (median distance on the skeleton)."""
    if not mask.any():
        return 0.0
    mask = _tight(mask)
    dist = morphology.distance(mask)
    skel = skeletonize(mask)
    values = dist[skel]
    return float(np.median(values)) if len(values) else float(dist.max())


def marker_radius(mask: np.ndarray, line_half: float) -> float:
    """Inscribed radius of the markers in ``mask``, or 0 when nothing is thicker than the line.

    Takes the distance-transform local maxima well above the line's half-width and returns
    their median.
    """
    if not mask.any():
        return 0.0
    mask = _tight(mask)
    dist = morphology.distance(mask)
    peaks = (dist == ndimage.maximum_filter(dist, size=3)) & (dist >= max(2.0, 1.8 * line_half))
    if not peaks.any():
        return 0.0
    labels, n = ndimage.label(peaks)
    values = _label_max(dist, labels, n)
    # junctions of lines make small peaks too: keep the markers' cluster near the top
    top = float(np.percentile(values, 90))
    return float(np.median(values[values >= 0.65 * top]))


def _label_max(values: np.ndarray, labels: np.ndarray, n: int) -> np.ndarray:
    """Per-label maximum of ``values`` (labels 1..n), in linear time."""
    out = np.zeros(n + 1)
    inside = labels > 0  # the labelled pixels only: ufunc.at is slow per element
    np.maximum.at(out, labels[inside], values[inside])
    return out[1:]


def _all_compact(mask: np.ndarray) -> bool:
    """True when every sizeable component is a compact blob (a scatter plot: no lines)."""
    mask = _tight(mask)
    labels, n = ndimage.label(mask)
    if n == 0:
        return False
    dist = morphology.distance(mask)
    areas = np.bincount(labels.ravel(), minlength=n + 1)[1:]
    peaks = _label_max(dist, labels, n)
    big = areas >= 12
    if not big.any():
        return False
    compactness = areas[big] / (np.pi * np.maximum(peaks[big], 0.5) ** 2)
    return bool(np.all(compactness < 2.6))


# Offset of a marker's anchor from its blob's centroid, in units of the inscribed radius
# (matplotlib anchors triangles at their bounding-box centre, not their centroid).
ANCHOR_OFFSET = {"^": -0.54, "v": 0.54, "<": 0.0, ">": 0.0}


def find_markers(
    mask: np.ndarray,
    *,
    radius: float | None = None,
    shape: str | None = None,
    min_fill: float = 0.55,
    half: float | None = None,
    bounds: tuple[int, int, int, int] | None = None,
) -> list[Marker]:
    """Centres of the markers drawn in ``mask`` (True where the series' ink is).

    Parameters
    ----------
    mask : ndarray of bool
        The series' line-and-marker pixels.
    radius : float, optional
        Inscribed marker radius in pixels; estimated from the mask when omitted.
    shape : str, optional
        Marker shape code (``o s D ^ v``) to correct the anchor of asymmetric shapes.
    half : float, optional
        The line's half-width when already measured.
    bounds : tuple of int, optional
        ``(left, top, right, bottom)`` of the region where data can be seen (exclusive right
        and bottom); a marker touching it is cut by the plot-area edge. Default: the mask.
    min_fill : float
        A blob must cover this share of the disk of the marker's radius to count (edge-cut
        markers a tenth of that).
    """
    if not mask.any():
        return []
    if _all_compact(mask):
        half = 0.0
    elif half is None:
        half = line_half_width(mask)
    if radius is None:
        radius = marker_radius(mask, half)
    if radius < max(2.0, 1.5 * half):
        return []
    open_r = max(1, int(np.floor(min(radius * 0.75, radius - 0.5))))
    if open_r <= half:
        open_r = int(np.ceil(half + 0.5))
    if open_r >= radius + 0.5:
        return []
    left, top, w, h = bounds if bounds is not None else (0, 0, mask.shape[1], mask.shape[0])
    # pad the visible region by replicating its edges, so that markers cut by the plot-area
    # edge survive the opening
    pad = open_r + 1
    visible = np.pad(mask[top:h, left:w], pad, mode="edge")
    opened = morphology.opening(visible, disk(open_r))[pad:-pad, pad:-pad]
    blobs = np.zeros_like(mask)
    blobs[top:h, left:w] = opened & mask[top:h, left:w]
    labels, n = ndimage.label(blobs)
    if n == 0:
        return []
    index = np.arange(1, n + 1)
    areas = ndimage.sum(blobs, labels, index)
    centres = ndimage.center_of_mass(blobs, labels, index)
    # the distance transform overstates a small disk's radius by about half a pixel
    min_area = max(min_fill * np.pi * (radius - 0.5) ** 2, float(disk(open_r).sum()))
    out: list[Marker] = []
    offset = ANCHOR_OFFSET.get(shape or "", 0.0) * radius
    slices = ndimage.find_objects(labels)
    for k, ((cy, cx), area, sl) in enumerate(zip(centres, areas, slices, strict=True), 1):
        rows, cols = sl
        at_edge = cols.start <= left or rows.start <= top or cols.stop >= w or rows.stop >= h
        if area < (0.1 * min_area if at_edge else min_area):
            continue
        # a marker cut by the plot-area edge: its centre is one radius from its far side
        full = 2 * radius + 1
        if cols.start <= left and cols.stop - cols.start < full - 1:
            cx = cols.stop - 1 - (radius - 0.5)
        elif cols.stop >= w and cols.stop - cols.start < full - 1:
            cx = cols.start + (radius - 0.5)
        if rows.start <= top and rows.stop - rows.start < full - 1:
            cy = rows.stop - 1 - (radius - 0.5)
        elif rows.stop >= h and rows.stop - rows.start < full - 1:
            cy = rows.start + (radius - 0.5)
        # a blob far bigger than one marker is overlapping markers or a thick patch: split it
        # by its distance-transform peaks
        out.append(Marker(float(cx), float(cy) + offset, radius, int(area), k))
    return _split_merged(out, slices, labels, radius, offset)


def _split_merged(
    markers: list[Marker],
    slices: list[tuple[slice, slice] | None],
    labels: np.ndarray,
    radius: float,
    offset: float,
) -> list[Marker]:
    """Split blobs much larger than one marker into one marker per distance-transform peak."""
    single = np.pi * radius**2
    out: list[Marker] = []
    for m in markers:
        if m.area < 2.2 * single:
            out.append(m)
            continue
        sl = slices[m.blob - 1]
        if sl is None:
            out.append(m)
            continue
        region = np.pad(labels[sl] == m.blob, 1)
        dist = morphology.distance(region)
        peaks = (dist == ndimage.maximum_filter(dist, size=int(2 * radius) | 1)) & (
            dist >= 0.7 * radius
        )
        pl, pn = ndimage.label(peaks)
        if pn <= 1:
            out.append(m)
            continue
        for cy, cx in ndimage.center_of_mass(peaks, pl, range(1, pn + 1)):
            out.append(
                Marker(
                    float(cx) - 1 + sl[1].start,
                    float(cy) - 1 + sl[0].start + offset,
                    radius,
                    int(single),
                )
            )
    return out
