"""Marker centres from a series' colour mask.

Markers are the parts of the mask much thicker than the line: a morphological opening with a
disk a little smaller than the marker removes the line and keeps each marker as a blob.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree
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
    shape: str | None = None  # marker code ("o", "s", "^", "x", ...) where it was learnt
    filled: bool = True  # False for a hollow marker (an outline)
    size: float | None = None  # width of the marker's box in pixels, where it was learnt
    hidden: bool = False  # not seen: placed at the centre of another series' marker over it


def components(
    mask: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[slice, slice]]]:
    """4-connected components of ``mask`` in one pass (``cv2.connectedComponentsWithStats``).

    Returns
    -------
    labels : ndarray of int32
        Component label per pixel (0 for the background, 1..n for the components).
    areas : ndarray of int
        Pixel count of components 1..n.
    centres : ndarray of float, shape (n, 2)
        Their centroids as x (column), y (row).
    slices : list of (slice, slice)
        Their bounding boxes as row and column slices (like ``ndimage.find_objects``).
    """
    import cv2

    n, labels, stats, centroids = cv2.connectedComponentsWithStats(
        mask.astype(np.uint8), connectivity=4, ltype=cv2.CV_32S)
    stats = stats[1:]
    slices = [(slice(int(t), int(t + hh)), slice(int(le), int(le + ww)))
              for le, t, ww, hh in stats[:, :4]]
    return labels, stats[:, cv2.CC_STAT_AREA], centroids[1:], slices


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
    labels, areas, centres, slices = components(blobs)
    if not areas.size:
        return []
    # the distance transform overstates a small disk's radius by about half a pixel
    min_area = max(min_fill * np.pi * (radius - 0.5) ** 2, float(disk(open_r).sum()))
    out: list[Marker] = []
    offset = ANCHOR_OFFSET.get(shape or "", 0.0) * radius
    for k, ((cx, cy), area, sl) in enumerate(zip(centres, areas, slices, strict=True), 1):
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
        _, _, centres, _ = components(peaks)
        if len(centres) <= 1:
            out.append(m)
            continue
        for cx, cy in centres:
            out.append(
                Marker(
                    float(cx) - 1 + sl[1].start,
                    float(cy) - 1 + sl[0].start + offset,
                    radius,
                    int(single),
                )
            )
    return out


# -- scatter plots: markers without a line -----------------------------------------------------
MIN_SCATTER_BLOBS = 3  # fewer blobs than this say nothing about a marker's shape
MIN_MARKER_PX = 4  # smallest marker box side learnt from the blobs' sizes alone, pixels
#: smallest box side of a marker told from specks by where the blobs lie (:func:`_tiny_unit`)
MIN_TINY_MARKER_PX = 2
#: least median distance between tiny marks' centres, in marker boxes, for them to be markers
TINY_SPACING = 3.0
#: least share of the ink in tiny marks of one size for them to be the series' markers
TINY_INK_SHARE = 0.5


def blob_table(mask: np.ndarray) -> tuple[np.ndarray, int, list[tuple[slice, slice]], np.ndarray]:
    """Blobs of ``mask``: labels, count, bounding boxes and areas.

    Pixels a one-pixel gap apart are one blob: JPEG artefacts break small markers apart.
    """
    square = np.ones((3, 3), bool)
    labels, n = ndimage.label(ndimage.binary_dilation(mask, square), structure=square)
    labels[~mask] = 0
    slices = ndimage.find_objects(labels)
    areas = np.bincount(labels.ravel(), minlength=n + 1)[1:]
    return labels, n, slices, areas


def _box_dims(slices: list[tuple[slice, slice]]) -> np.ndarray:
    """Height and width of each box in ``slices`` (rows of an ``(n, 2)`` int array)."""
    return np.array([(s[0].stop - s[0].start, s[1].stop - s[1].start) for s in slices],
                    int).reshape(-1, 2)


def _shared_box(dims: np.ndarray, areas: np.ndarray, floor: int) -> np.ndarray | None:
    """Which blobs (box sides ``dims``, ``areas`` pixels) share the box holding most ink, among
    blobs at least ``floor`` pixels across (a boolean row mask), or None when no box is shared
    by :data:`MIN_SCATTER_BLOBS` of them."""
    keep = (areas >= 3) & (dims.min(axis=1) >= floor)
    if keep.sum() < MIN_SCATTER_BLOBS:
        return None
    idx = np.flatnonzero(keep)
    near = np.all(np.abs(dims[idx, None, :] - dims[None, idx, :]) <= 1, axis=2)
    count = near.sum(axis=1)
    # only a box shared by several blobs can be a marker's (one merged clump's ink outweighs
    # a few lone markers)
    support = np.where(count >= MIN_SCATTER_BLOBS, near.astype(float) @ areas[idx], 0.0)
    if not support.any():
        return None
    out = np.zeros(len(dims), bool)
    out[idx[near[int(np.argmax(support))]]] = True
    return out


def _unit_size(slices: list[tuple[slice, slice]], areas: np.ndarray) -> tuple[int, int] | None:
    """Height and width of one marker: the bounding box (within a pixel) holding most ink.

    Lone markers all have the same box; merged ones are bigger and partly hidden ones smaller,
    so the box shared by most of the ink is a single marker's even in a crowded plot; weighing
    by ink keeps the many specks of a JPEG from outvoting the markers. Blobs under
    :data:`MIN_MARKER_PX` across are specks (JPEG ringing, anti-aliasing) unless where they
    lie says they are markers (:func:`_tiny_unit`).
    """
    dims = _box_dims(slices)
    shared = _shared_box(dims, areas, MIN_MARKER_PX)
    if shared is None:
        return _tiny_unit(slices, dims, areas)
    h, w = np.median(dims[shared], axis=0)
    return int(round(h)), int(round(w))


def _tiny_unit(slices: list[tuple[slice, slice]], dims: np.ndarray,
               areas: np.ndarray) -> tuple[int, int] | None:
    """The box of markers smaller than :data:`MIN_MARKER_PX`, or None: blobs of one box from
    :data:`MIN_TINY_MARKER_PX` across that hold most of the ink (:data:`TINY_INK_SHARE`) and
    lie apart, their centres a median :data:`TINY_SPACING` boxes from the nearest other
    mark. Specks crowd along what made them (a line cut into pieces, the rim of another
    series' marks); a scatter's markers, however small, are spread over the plot. The box
    is the larger of the sizes those blobs take (a quarter of them as big): anti-aliasing
    trims a pixel off some of them, and one marker must not read as two.
    """
    shared = _shared_box(dims, areas, MIN_TINY_MARKER_PX)
    if shared is None or areas[shared].sum() < TINY_INK_SHARE * areas.sum():
        return None
    marks = (areas >= 3) & (dims.min(axis=1) >= MIN_TINY_MARKER_PX)
    centres = np.array([((s[0].start + s[0].stop) / 2, (s[1].start + s[1].stop) / 2)
                        for s in slices])[marks]
    h, w = np.ceil(np.percentile(dims[shared], 75, axis=0)).astype(int)
    gaps, _ = cKDTree(centres).query(centres, k=2)
    if np.median(gaps[:, 1]) < TINY_SPACING * max(h, w):
        return None
    return int(h), int(w)


def marker_template(mask: np.ndarray, unit: tuple[int, int]) -> np.ndarray:
    """The marker's shape: the pixel-wise majority of the blobs whose box is ``unit``.

    Parameters
    ----------
    mask : ndarray of bool
        The series' marker pixels.
    unit : tuple of int
        Height and width of one marker (:func:`_unit_size`).

    Returns
    -------
    ndarray of bool
        ``unit``-shaped template (filled, hollow or stroked, as the markers are drawn).
    """
    labels, _, slices, _ = blob_table(mask)
    h, w = unit
    stack = [labels[sl] == k for k, sl in enumerate(slices, 1)
             if (sl[0].stop - sl[0].start, sl[1].stop - sl[1].start) == (h, w)]
    if not stack:
        return np.ones((h, w), bool)
    return np.mean(stack, axis=0) >= 0.5


def scatter_like(mask: np.ndarray, unit: tuple[int, int] | None = None) -> bool:
    """True when ``mask`` looks like markers without a line: several blobs of one size.

    Most of the ink must be in blobs no bigger than a few markers, and no blob may be a long
    thin stroke (a dash of a dashed line, or a line) past a tenth of the ink. ``unit``, the
    box of a marker learnt elsewhere (another series' markers), stands in for one learnt from
    ``mask``; at least one blob of ``mask`` must have that box, and strokes then count at any
    angle (:func:`_strokes`): a line cut by crossings into slanted pieces takes no borrowed
    marker. (A series' own markers joined by a line make such strokes too, and are read as a
    scatter where they hold all the ink; see ``pipeline._series_markers``.)
    """
    if not mask.any():
        return False
    tight = _tight(mask)
    labels, n, slices, areas = blob_table(tight)
    learnt = unit is None
    unit = _unit_size(slices, areas) if unit is None else unit
    if unit is None or max(unit) < 3:
        return False
    dims = np.array([(s[0].stop - s[0].start, s[1].stop - s[1].start) for s in slices])
    if not learnt and not np.any(np.all(np.abs(dims - np.array(unit)) <= 1, axis=1)):
        return False  # not one blob of the borrowed marker's size: another marker
    h, w = unit
    # a blob reaching far beyond a marker's box in one direction only is a stroke, unless it
    # is as thick as the markers and no longer than a few: a row of overlapping markers
    reach = np.maximum(dims[:, 0] / h, dims[:, 1] / w)
    long = (reach > 3) & (np.minimum(dims[:, 0] / h, dims[:, 1] / w) < 1.5)
    single = np.all(np.abs(dims - np.array(unit)) <= 1, axis=1)
    if single.any():
        thickness = areas / dims.max(axis=1)  # mean width across the blob's long side
        marker_thickness = float(np.median(areas[single])) / max(h, w)
        long &= (reach > 6) | (thickness < 0.6 * marker_thickness)
    if not learnt:  # a borrowed marker is no reading of this ink: any stroke rules it out
        long |= _strokes(labels, slices, unit)
    if areas[long].sum() > 0.1 * areas.sum():
        return False
    if learnt and _line_with_specks(labels, slices, areas, unit):
        return False
    if not learnt:
        return not _evenly_spaced(slices, unit)
    # dashes and dots of a line share one box too: a marker is about as tall as wide, not a
    # single stroke (a dash), and markers are not strung at one spacing (a dotted line)
    return (0.5 <= h / w <= 2.0 and not _single_stroke(marker_template(tight, unit))
            and not _evenly_spaced(slices, unit))


STROKE_REACH = 6  # markers' lengths past which a thin or winding blob is a stroke
STROKE_SOLIDITY = 0.35  # share of its convex hull below which a long blob winds (a curve)
#: share of the ink in strokes (at any angle) past which blobs no wider than the stroke are
#: its specks, not markers (see :func:`_line_with_specks`)
SPECK_LINE_SHARE = 0.5


def _line_with_specks(labels: np.ndarray, slices: list[tuple[slice, slice]],
                      areas: np.ndarray, unit: tuple[int, int]) -> bool:
    """True when a series' ink is a line with specks beside it, not markers: most of its ink
    (:data:`SPECK_LINE_SHARE`) lies in strokes at any angle (:func:`_strokes`: a zigzag's
    box is not thin, so the axis-aligned test misses it) and the learnt marker box ``unit``
    is no wider than that stroke is thick. A marker drawn on a line is seen because it is
    wider than the line; blobs of the line's own width beside it are anti-aliased edges of
    other series or JPEG blotches (a no-marker line in a JPEG read as hundreds of 4 px
    "markers"). ``labels``, ``slices``, ``areas``: :func:`blob_table` of the ink.
    """
    strokes = _strokes(labels, slices, unit)
    if areas[strokes].sum() <= SPECK_LINE_SHARE * areas.sum():
        return False
    in_strokes = np.isin(labels, np.flatnonzero(strokes) + 1)
    return min(unit) <= 2 * line_half_width(in_strokes) + 1


def _strokes(labels: np.ndarray, slices: list[tuple[slice, slice]],
             unit: tuple[int, int]) -> np.ndarray:
    """Which blobs (``labels`` and boxes ``slices`` of :func:`blob_table`) are strokes at any
    angle: longer than :data:`STROKE_REACH` markers of box ``unit`` along their own axis and
    either thinner than one and a half markers across it (a straight piece of line, or of a
    row of markers) or filling little of their convex hull (a curve, a zigzag). A clump of
    markers, however big, is compact; a line cut by crossings into slanted pieces is neither
    axis-aligned nor short.
    """
    import cv2

    h, w = unit
    out = np.zeros(len(slices), bool)
    for k, sl in enumerate(slices):
        if np.hypot(sl[0].stop - sl[0].start, sl[1].stop - sl[1].start) < STROKE_REACH * max(h, w):
            continue
        ys, xs = np.nonzero(labels[sl] == k + 1)
        pts = np.column_stack([xs, ys]).astype(np.float32)
        _, (a, b), _ = cv2.minAreaRect(pts)
        length, width = max(a, b) + 1.0, min(a, b) + 1.0
        if length < STROKE_REACH * max(h, w):
            continue
        hull = cv2.contourArea(cv2.convexHull(pts))
        out[k] = width < 1.5 * min(h, w) or len(pts) < STROKE_SOLIDITY * hull
    return out


def _evenly_spaced(slices: list[tuple[slice, slice]], unit: tuple[int, int]) -> bool:
    """True when the ``unit``-sized blobs sit at one short spacing along a path: the dots
    of a dotted line.

    Scatter markers' nearest-neighbour distances vary widely; most dots of a dotted line have
    their nearest neighbour at the dash period, a few dot sizes away, and a dot with two
    neighbours at the period lies between them, on the line (the markers of a series at
    even x steps are as far apart, but up and down: :data:`DOTS_IN_LINE`).
    """
    boxes = np.array([(s[0].start, s[0].stop, s[1].start, s[1].stop) for s in slices], float)
    dims = np.column_stack([boxes[:, 1] - boxes[:, 0], boxes[:, 3] - boxes[:, 2]])
    single = np.all(np.abs(dims - np.array(unit)) <= 1, axis=1)
    if single.sum() < 15:
        return False
    centres = np.column_stack([boxes[single, :2].mean(axis=1), boxes[single, 2:].mean(axis=1)])
    dist, idx = cKDTree(centres).query(centres, k=3)
    period = float(np.median(dist[:, 1]))
    at_period = np.abs(dist[:, 1] - period) <= 0.15 * period
    if not (period < 4 * max(unit) and at_period.mean() >= 0.75):
        return False
    both = np.abs(dist[:, 1:] - period).max(axis=1) <= 0.15 * period
    if not both.any():
        return True
    a = centres[idx[both, 1]] - centres[both]
    b = centres[idx[both, 2]] - centres[both]
    cos = (a * b).sum(axis=1) / (np.hypot(*a.T) * np.hypot(*b.T))
    return bool(np.mean(cos <= DOTS_IN_LINE) >= 0.5)


#: cosine of the angle at a dot between its two neighbours at the period, at most, for it
#: to lie on a line through them (150 degrees: a dotted line bends little from dot to dot)
DOTS_IN_LINE = -0.866


def _single_stroke(template: np.ndarray) -> bool:
    """True for a thin stroke without a hole or a crossing: a dash, not a marker.

    Filled markers are thick, hollow ones enclose a hole, crosses and stars cross themselves.
    """
    padded = np.pad(template, 1)
    if ndimage.distance_transform_edt(padded).max() >= 0.25 * max(template.shape):
        return False
    if ndimage.binary_fill_holes(padded).sum() > padded.sum():
        return False
    skel = skeletonize(padded)
    neighbours = ndimage.convolve(skel.astype(int), np.ones((3, 3), int), mode="constant") - 1
    return not np.any(skel & (neighbours >= 3))


def lone_marker(mask: np.ndarray, half: float) -> np.ndarray | None:
    """The marker of a scatter series whose markers nearly all lie in clumps, learnt from its
    one or two lone ones (too few for :func:`_unit_size`), or None.

    Only where the mask has no thin strokes at all (``half``, its stroke half-width, is
    :data:`CLUMP_HALF` px or more: no line) and every other blob is bigger than the lone
    marker: the smallest compact blob, about as tall as wide and no single stroke, is then
    one marker.
    """
    if half < CLUMP_HALF:
        return None
    labels, n, slices, areas = blob_table(mask)
    if n < 2:
        return None
    dims = np.array([(s[0].stop - s[0].start, s[1].stop - s[1].start) for s in slices])
    big = (dims.min(axis=1) >= MIN_MARKER_PX) & (areas >= 3)
    if big.sum() < 2:
        return None
    k = int(np.flatnonzero(big)[np.argmin(areas[big])])
    h, w = dims[k]
    template = labels[slices[k]] == k + 1
    if not 0.5 <= h / w <= 2.0 or _single_stroke(template):
        return None
    if np.sum(np.all(np.abs(dims[big] - dims[k]) <= 1, axis=1)) > MIN_SCATTER_BLOBS - 1:
        return None  # enough lone markers: :func:`_unit_size` learns it
    return template


CLUMP_HALF = 4.0  # px: a stroke half-width no line has; the mask is all markers and clumps


def learn_marker(mask: np.ndarray) -> np.ndarray | None:
    """The template of the markers in ``mask`` (:func:`marker_template` of the most common
    blob box), or None when no box is shared by enough blobs."""
    _, _, slices, areas = blob_table(mask)
    unit = _unit_size(slices, areas)
    return None if unit is None else marker_template(mask, unit)


def find_scatter_markers(
    mask: np.ndarray,
    bounds: tuple[int, int, int, int] | None = None,
    template: np.ndarray | None = None,
    hidden: np.ndarray | None = None,
    covering: np.ndarray | None = None,
) -> list[Marker]:
    """One marker per marker drawn in ``mask``, a series drawn as markers only.

    The marker's shape is learnt from the blobs of the most common size
    (:func:`marker_template`); a blob of that size is one marker, at its box centre (the
    anchor of symmetric and triangle markers alike); a bigger blob (overlapping markers) is
    split by matching the template greedily: the best-covered placement is a marker, its
    pixels are taken out, and so on while a placement still covers half a marker. This works
    for filled, hollow and stroked (cross, plus) markers alike.

    Parameters
    ----------
    mask : ndarray of bool
        The series' ink.
    bounds : tuple of int, optional
        ``(left, top, right, bottom)`` of the visible data region; a blob cut by it still
        counts as a marker. Default: the mask.
    template : ndarray of bool, optional
        The marker's shape when known (:func:`learn_marker` of another series drawn with
        the same marker); learnt from ``mask`` when omitted.
    hidden : ndarray of bool, optional
        Where this series' ink cannot be seen (``mask``'s shape): a legend box over the
        data, other series' marks drawn over it. A blob touching it and smaller than a
        marker is a marker partly covered, placed by the template where its covered part
        can be (:func:`_split_by_template`, the hidden pixels free to hold the rest of it).
    covering : ndarray of bool, optional
        The part of ``hidden`` that is other series' ink: a piece of a marker showing
        beside it counts from a tenth of a marker, as at the plot's edge (an outline whose
        pixels partly went to a near ink, a marker mostly under another's); beside a legend
        box it needs the share of an uncovered one (strokes run under the box).

    Returns
    -------
    list of Marker
        Empty when the mask shows no common marker size; each carries the learnt shape
        (:func:`marker_shape`) and box width.
    """
    labels, n, slices, areas = blob_table(mask)
    if template is None:
        unit = _unit_size(slices, areas)
        if unit is None:
            return []
        template = marker_template(mask, unit)
    t_area = int(template.sum())
    h, w = template.shape
    radius = 0.5 * (min(h, w) - 1)
    code, filled = marker_shape(template)
    left, top, right, bottom = bounds if bounds is not None else (0, 0, *mask.shape[::-1])
    covered = None if hidden is None else morphology.dilate(hidden & ~mask, 1)
    under = None if covering is None else morphology.dilate(covering & ~mask, 1)
    out: list[Marker] = []
    for k, sl in enumerate(slices, 1):
        bh, bw = sl[0].stop - sl[0].start, sl[1].stop - sl[1].start
        at_edge = (sl[1].start <= left or sl[0].start <= top or sl[1].stop >= right
                   or sl[0].stop >= bottom)
        blob = labels[sl] == k
        cut = covered is not None and bool(np.any(covered[sl] & blob))
        beside = under is not None and bool(np.any(under[sl] & blob))
        least = 0.1 * t_area if at_edge else 0.3 * t_area
        if beside and not at_edge:  # a sliver, but no speck (rims of translucent overlaps)
            least = max(0.1 * t_area, min(0.3 * t_area, MIN_SLIVER_PX))
        if areas[k - 1] < least:
            continue
        if at_edge and _edge_stroke(sl, (left, top, right, bottom), (h, w)):
            continue
        if (bh <= h + 1 and bw <= w + 1 and areas[k - 1] < 1.5 * t_area and not at_edge
                and not (cut and (bh < h or bw < w))):
            cy = sl[0].start + (bh - 1) / 2
            cx = sl[1].start + (bw - 1) / 2
            out.append(Marker(float(cx), float(cy), radius, int(areas[k - 1]), k))
            continue
        unseen = _around(hidden, sl, (h, w)) if cut else None
        out += _split_by_template(blob, template, sl, radius, k, at_edge, unseen, least)
    for m in out:
        m.shape, m.filled, m.size = code, filled, float(w)
    return out


MIN_SLIVER_PX = 8  # least pixels of a marker seen beside another series' ink


CROSS_FIT = 0.8  # share of a drawn cross's pixels on ink where a cross marker is


def find_crosses(mask: np.ndarray, code: str, size: int) -> list[Marker]:
    """Cross markers (``x``, ``+``) of box ``size`` drawn on a line: where the drawn cross
    lies on ink for :data:`CROSS_FIT` of its pixels (a line alone covers one stroke of it,
    about half), one marker per cluster of such places, at its middle. Strokes as thin
    as the line cannot be opened out of it as filled markers are."""
    import cv2

    size = max(5, int(size))
    drawn = draw_marker(code, size, size).astype(np.float32)
    if mask.shape[0] < size or mask.shape[1] < size:
        return []
    fit = cv2.matchTemplate(mask.astype(np.float32), drawn, cv2.TM_CCORR) / float(drawn.sum())
    places = fit >= CROSS_FIT
    labels, n = ndimage.label(places, structure=np.ones((3, 3), bool))
    if n == 0:
        return []
    centres = ndimage.center_of_mass(places, labels, range(1, n + 1))
    r = 0.5 * (size - 1)
    return [Marker(float(x) + r, float(y) + r, r, int(drawn.sum()), shape=code, size=float(size))
            for y, x in centres]


def centre_strokes(mask: np.ndarray, found: list[Marker], code: str) -> list[Marker]:
    """Stroke markers (``x``, ``+``) on a line, each moved to where the marker's own drawing
    covers most ink.

    The shape learnt from the plot's blobs carries the stubs of the line through each
    marker, and its placements lean along the line; the drawn cross fits only at its
    centre. Its size is the one whose best placements cover most of it, over the markers
    (from 5 pixels to the learnt box).
    """
    import cv2

    if not found:
        return found
    h, w = mask.shape
    ink = mask.astype(np.float32)
    largest = int(round(max(m.size or 2 * m.radius + 1 for m in found)))
    best: tuple[float, list[tuple[float, float]]] = (-1.0, [])
    for size in range(5, max(5, largest) + 1):
        drawn = draw_marker(code, size, size).astype(np.float32)
        total = float(drawn.sum())
        scores, places = [], []
        for m in found:
            x0 = int(round(m.x - (size - 1) / 2)) - size // 2
            y0 = int(round(m.y - (size - 1) / 2)) - size // 2
            x0c, y0c = max(0, x0), max(0, y0)
            crop = ink[y0c : min(h, y0 + 2 * size), x0c : min(w, x0 + 2 * size)]
            if crop.shape[0] < size or crop.shape[1] < size:
                scores.append(0.0)
                places.append((m.x, m.y))
                continue
            fit = cv2.matchTemplate(crop, drawn, cv2.TM_CCORR)
            top = float(fit.max())
            ys, xs = np.nonzero(fit >= top - 1e-3)
            scores.append(top / total)
            places.append((x0c + float(xs.mean()) + (size - 1) / 2,
                           y0c + float(ys.mean()) + (size - 1) / 2))
        score = float(np.median(scores))
        if score > best[0] + 1e-6:
            best = (score, places)
    return [replace(m, x=x, y=y) for m, (x, y) in zip(found, best[1], strict=True)]


def _edge_stroke(sl: tuple[slice, slice], bounds: tuple[int, int, int, int],
                 unit: tuple[int, int]) -> bool:
    """Whether a blob touching the visible region's edge is a stroke across it (a tick mark
    drawn inward, in the series' colour), not a marker the edge cuts.

    A marker cut by an edge shows along it a good part of its width (a tenth of its area
    reaches past a third of it, whatever the shape); a tick is a line or two of pixels.

    Parameters
    ----------
    sl : tuple of slice
        The blob's rows and columns.
    bounds : tuple of int
        ``(left, top, right, bottom)`` of the visible region.
    unit : tuple of int
        Height and width of one marker.
    """
    rows, cols = sl
    left, top, right, bottom = bounds
    h, w = unit
    along_x = rows.start <= top or rows.stop >= bottom  # cut by the top or bottom edge
    along_y = cols.start <= left or cols.stop >= right
    short_x = cols.stop - cols.start < max(3.0, 0.3 * w)
    short_y = rows.stop - rows.start < max(3.0, 0.3 * h)
    return bool((along_x and short_x and not along_y) or (along_y and short_y and not along_x))


def _around(hidden: np.ndarray, sl: tuple[slice, slice], unit: tuple[int, int]) -> np.ndarray:
    """``hidden`` over a blob's box ``sl`` padded by a marker box ``unit`` on every side (the
    frame :func:`_split_by_template` works in); beyond the image counts as hidden."""
    h, w = unit
    out = np.ones((sl[0].stop - sl[0].start + 2 * h, sl[1].stop - sl[1].start + 2 * w), bool)
    r0, c0 = sl[0].start - h, sl[1].start - w
    rows = slice(max(0, r0), min(hidden.shape[0], sl[0].stop + h))
    cols = slice(max(0, c0), min(hidden.shape[1], sl[1].stop + w))
    out[rows.start - r0 : rows.stop - r0, cols.start - c0 : cols.stop - c0] = hidden[rows, cols]
    return out


def _split_by_template(
    blob: np.ndarray,
    template: np.ndarray,
    sl: tuple[slice, slice],
    radius: float,
    k: int,
    at_edge: bool,
    unseen: np.ndarray | None = None,
    least: float | None = None,
) -> list[Marker]:
    """Markers in one blob: greedy template placements until half a marker is left over.

    After the first, a placement also counts when it uncovers less (a marker mostly hidden
    under others) provided the whole marker lies inside the blob: a clump's outline is the
    union of its markers, so a marker that fits it and explains pixels no other placement
    does is one of them.

    ``unseen`` (the blob's box padded by a marker on every side, True where the series
    cannot be seen: :func:`_around`) marks a blob partly covered by a legend or by other
    series' marks: a placement may then hang over unseen pixels freely but loses a pixel of
    score per pixel it puts on the visible background, so a cut marker sits where its
    hidden part can be and a stroke running under the cover is no marker; "inside the blob"
    takes in the unseen pixels. ``least``, when given, is the ink (pixels) the first
    placement must uncover; by default a tenth of a marker at the edge, else three tenths.
    """
    import cv2

    h, w = template.shape
    t_area = float(template.sum())
    # room for placements hanging over the blob's edge (markers cut or mostly hidden), and a
    # pixel more for the eraser; a placement over padding only scores 0 and is never taken
    left = np.pad(blob, ((h, h), (w, w))).astype(np.float32)
    tmpl = template.astype(np.float32)
    # where the whole marker fits inside the blob (its outline grown by a pixel: the
    # antialiased rim)
    grown = morphology.dilate(left > 0, 1)
    penalty = None
    if unseen is not None:
        # (the covering marks' antialiased rims are no background either)
        background = ~grown & ~morphology.dilate(unseen, 1)
        penalty = cv2.matchTemplate(background.astype(np.float32), tmpl, cv2.TM_CCORR)
        grown = grown | unseen
    inside = cv2.matchTemplate(grown.astype(np.float32), tmpl,
                               cv2.TM_CCORR) >= FIT_INSIDE * t_area
    # a placement takes out the template and the pixels round it (antialiased rims)
    eraser = np.pad(template, 1)
    eraser = ndimage.binary_dilation(eraser, iterations=1)
    first = (0.1 if at_edge else 0.3) if least is None else least / t_area
    out: list[Marker] = []
    while True:
        score = cv2.matchTemplate(left, tmpl, cv2.TM_CCORR)
        ranked = score if penalty is None else score - penalty
        _, best, _, (x0, y0) = cv2.minMaxLoc(ranked)
        need = first if not out else SEEN_SHARE
        if best < need * t_area and out:
            # a marker mostly hidden under the others, fitting inside the clump
            _, best, _, (x0, y0) = cv2.minMaxLoc(np.where(inside, ranked, 0).astype(np.float32))
            need = HIDDEN_SHARE
        if best < need * t_area:
            break
        region = left[y0 - 1 : y0 + h + 1, x0 - 1 : x0 + w + 1]
        region[eraser[: region.shape[0], : region.shape[1]]] = 0
        cy = sl[0].start + y0 - h + (h - 1) / 2
        cx = sl[1].start + x0 - w + (w - 1) / 2
        out.append(Marker(float(cx), float(cy), radius, int(best), k))
    return out


# share of a marker inside a clump for it to be one of the clump's markers, and the least share
# of it a placement inside must uncover (a marker mostly under others: on 75 scatter charts'
# masks, 0.95 and 0.25 before, these find 65 more markers and 2 more that are not there)
FIT_INSIDE = 0.98
HIDDEN_SHARE = 0.1
SEEN_SHARE = 0.5  # least share of a marker any further placement in a clump must uncover


def marker_coverage(mask: np.ndarray, markers: list[Marker]) -> float:
    """Share of ``mask`` within the boxes of ``markers`` (one pixel beyond each marker's
    radius): near 1 when the series is markers only, lower where a line joins them."""
    if not mask.any() or not markers:
        return 0.0
    boxes = np.zeros_like(mask)
    h, w = mask.shape
    for m in markers:
        r = m.radius + 1.5
        boxes[max(int(np.floor(m.y - r)), 0) : max(int(np.ceil(m.y + r)) + 1, 0),
              max(int(np.floor(m.x - r)), 0) : max(int(np.ceil(m.x + r)) + 1, 0)] = True
    return float((mask & boxes).sum() / mask.sum())


# -- the learnt marker's shape -------------------------------------------------------------
FILLED_CODES = ("o", "s", "^", "v", "<", ">", "D", "p", "h")  # outlines drawn filled or hollow
STROKE_CODES = ("x", "+")  # markers drawn as strokes only


def _unit_path(code: str) -> list[np.ndarray]:
    """Matplotlib's outline(s) of marker ``code`` in image orientation (y down), each an
    ``(n, 2)`` array of x, y, scaled to the unit box ``[0, 1]^2``."""
    from matplotlib.markers import MarkerStyle

    style = MarkerStyle(code)
    path = style.get_path().transformed(style.get_transform())
    ext = path.get_extents()
    if code in STROKE_CODES:  # pairs of vertices: one stroke each
        pieces = [path.vertices[i : i + 2] for i in range(0, len(path.vertices) - 1, 2)]
    else:
        pieces = path.to_polygons()
    return [np.column_stack([(v[:, 0] - ext.x0) / ext.width, (ext.y1 - v[:, 1]) / ext.height])
            for v in pieces]


def draw_marker(code: str, height: int, width: int, thickness: int = 1) -> np.ndarray:
    """Marker ``code`` rasterised to fill a ``height`` x ``width`` box (boolean mask): filled
    outlines cover the box from edge to edge, strokes run between the edge pixels' centres."""
    import cv2

    canvas = np.zeros((height, width), np.uint8)
    scale = np.array([width, height], float)
    for piece in _unit_path(code):
        if code in STROKE_CODES:
            # strokes end at pixel centres: the box minus half a pixel at each side
            ends = np.round(16 * (piece * (scale - 1))).astype(np.int32)
            cv2.line(canvas, tuple(int(v) for v in ends[0]), tuple(int(v) for v in ends[1]), 1,
                     thickness, cv2.LINE_8, shift=4)
        else:
            pts = np.round(16 * (piece * scale - 0.5)).astype(np.int32)
            cv2.fillPoly(canvas, [pts], 1, cv2.LINE_8, shift=4)
    return canvas.astype(bool)


def marker_shape(template: np.ndarray) -> tuple[str, bool]:
    """The marker code whose drawing best matches ``template`` (intersection over union), and
    whether the marker is filled.

    A template enclosing a hole is a hollow marker: its outline filled in is compared with the
    filled shapes. A template without a hole and no thicker than a fifth of its box is strokes
    (``x``, ``+``, 1-3 px thick), else a filled shape. ``("o", True)`` when the template is
    too small to tell.
    """
    h, w = template.shape
    if min(h, w) < 3 or not template.any():
        return "o", True
    solid = ndimage.binary_fill_holes(np.pad(template, 1))[1:-1, 1:-1]
    hollow = bool(solid.sum() - template.sum() >= max(1, 0.04 * solid.sum()))
    target = solid if hollow else template

    def iou(drawn: np.ndarray) -> float:
        return float((drawn & target).sum() / max(1, (drawn | target).sum()))

    scores = {code: iou(draw_marker(code, h, w)) for code in FILLED_CODES}
    thick = ndimage.distance_transform_edt(np.pad(template, 1)).max() > 0.25 * min(h, w) + 0.5
    if not (hollow or thick):
        scores |= {code: max(iou(draw_marker(code, h, w, t)) for t in (1, 2, 3))
                   for code in STROKE_CODES}
    best = max(scores, key=lambda c: scores[c])
    return best, not hollow and best not in STROKE_CODES
