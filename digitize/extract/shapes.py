"""Series of one colour told apart by marker shape.

When several legend entries share one ink, colour cannot separate their series. If each
swatch shows a different marker, every marker found in the plot is given to the entry whose
swatch marker it matches best: the swatch's marker is cut out of the legend as a template
(the line through it opened away) and compared with the ink around each marker found, at a
few sub-marker shifts, by intersection over union.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage
from skimage.morphology import disk

from digitize import morphology

from .markers import Marker

MIN_TEMPLATE_PIXELS = 6
TEMPLATE_MARGIN = 2  # background around a template searched for: ink there counts against it


def marker_template(swatch_mask: np.ndarray, half: float) -> np.ndarray | None:
    """The marker of a legend swatch as a small boolean mask centred on the marker.

    Parameters
    ----------
    swatch_mask : ndarray of bool
        The swatch's pixels of the series' ink (line and marker).
    half : float
        The series' stroke half-width: strokes this thin are opened away, so the line drawn
        through the marker does not count as its shape.

    Returns
    -------
    ndarray of bool or None
        The marker's pixels cut to their bounding box, or None when the swatch shows none.
    """
    body = _body(swatch_mask, half)
    if body.sum() < MIN_TEMPLATE_PIXELS:
        return None
    labels, n = ndimage.label(body)
    if n > 1:  # the marker, not a neighbouring swatch's edge
        sizes = np.bincount(labels.ravel())[1:]
        body = labels == 1 + int(np.argmax(sizes))
    # the swatch's line runs level through the marker: its stubs are the thin end columns
    heights = body.sum(axis=0)
    cols = np.flatnonzero(heights > 2 * half + 1.5)
    if len(cols) == 0:
        cols = np.flatnonzero(heights)
    body[:, : cols[0]] = False
    body[:, cols[-1] + 1 :] = False
    rows = np.flatnonzero(body.any(axis=1))
    return body[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def stroke_radius(half: float) -> int:
    """Radius of the disk an opening removes strokes of half-width ``half`` with."""
    return max(1, int(np.ceil(half + 0.5)))


def _body(mask: np.ndarray, half: float) -> np.ndarray:
    """``mask`` without strokes of half-width ``half`` (the markers' bodies), or the mask
    itself where nothing that thick is left (hollow and stroked markers)."""
    r = stroke_radius(half)
    opened = _opened(mask, r)
    if opened.sum() < MIN_TEMPLATE_PIXELS:
        return mask
    return _rounded_back(opened, mask, r)


def _opened(mask: np.ndarray, r: int) -> np.ndarray:
    """``mask`` opened by a disk of radius ``r`` (strokes thinner than it gone)."""
    return morphology.opening(np.pad(mask, r), disk(r))[r:-r, r:-r] & mask


def _rounded_back(opened: np.ndarray, mask: np.ndarray, r: int) -> np.ndarray:
    """The corners an opening of radius ``r`` rounded off ``mask`` back on ``opened`` (and
    a stub of the line, alike everywhere)."""
    return morphology.dilate(opened, 1, disk(r)) & mask


def _iou_at(mask: np.ndarray, template: np.ndarray, cx: float, cy: float) -> float:
    """Best intersection over union of ``template`` centred near ``(cx, cy)`` in ``mask``."""
    th, tw = template.shape
    best = 0.0
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            top = int(round(cy - (th - 1) / 2)) + dy
            left = int(round(cx - (tw - 1) / 2)) + dx
            if top < 0 or left < 0 or top + th > mask.shape[0] or left + tw > mask.shape[1]:
                continue
            patch = mask[top : top + th, left : left + tw]
            union = np.count_nonzero(patch | template)
            if union:
                best = max(best, np.count_nonzero(patch & template) / union)
    return best


def assign_by_shape(
    mask: np.ndarray, markers: list[Marker], templates: list[np.ndarray], half: float
) -> list[int]:
    """For each marker, the index of the template it matches best (-1 when none fits:
    every score of :func:`shape_scores` under 0.3)."""
    scores = shape_scores(mask, markers, templates, half)
    out = []
    for row in scores:
        best = int(np.argmax(row))
        out.append(best if row[best] >= 0.3 else -1)
    return out


def shape_scores(
    mask: np.ndarray, markers: list[Marker], templates: list[np.ndarray], half: float
) -> np.ndarray:
    """How well each marker matches each template: intersection over union of the
    template on the marker's body, markers by templates.

    Parameters
    ----------
    mask : ndarray of bool
        The shared ink of the series (plot-area coordinates, as the markers').
    markers : list of Marker
        The markers found in ``mask``.
    templates : list of ndarray of bool
        One marker template per series (:func:`marker_template`).
    half : float
        The stroke half-width, opened away from the ink as from the templates.
    """
    # every template centred in one window: ink beyond a small template counts against it
    h = max(t.shape[0] for t in templates) + 2
    w = max(t.shape[1] for t in templates) + 2
    templates = [_centred(t, h, w) for t in templates]
    reach = max(h, w) + 3
    out = np.zeros((len(markers), len(templates)))
    for i, m in enumerate(markers):
        x0, y0 = max(0, int(m.x) - reach), max(0, int(m.y) - reach)
        patch = _body(mask[y0 : int(m.y) + reach + 1, x0 : int(m.x) + reach + 1], half)
        out[i] = [_iou_at(patch, t, m.x - x0, m.y - y0) for t in templates]
    return out


def _centred(t: np.ndarray, h: int, w: int) -> np.ndarray:
    """``t`` in the middle of an ``h`` by ``w`` window."""
    out = np.zeros((h, w), bool)
    top, left = (h - t.shape[0]) // 2, (w - t.shape[1]) // 2
    out[top : top + t.shape[0], left : left + t.shape[1]] = t
    return out


def alike(a: np.ndarray, b: np.ndarray, threshold: float = 0.88) -> bool:
    """Whether two marker templates are the same shape (IoU of the two, centred)."""
    h, w = max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1])
    ca, cb = _centred(a, h, w), _centred(b, h, w)
    return np.count_nonzero(ca & cb) / max(1, np.count_nonzero(ca | cb)) >= threshold


def _iou_map(mask: np.ndarray, template: np.ndarray) -> np.ndarray:
    """IoU of ``template`` with ``mask`` at every placement, indexed by the template
    window's centre pixel (``template.shape // 2`` from its top-left corner)."""
    m = mask.astype(np.float32)
    t = template.astype(np.float32)
    origin = (0, 0)  # correlate centres the kernel: index by the window's centre pixel
    inter = ndimage.correlate(m, t, mode="constant", origin=origin)
    inside = ndimage.correlate(m, np.ones_like(t), mode="constant", origin=origin)
    return inter / np.maximum(float(t.sum()) + inside - inter, 1.0)


def find_by_template(
    mask: np.ndarray, templates: list[np.ndarray], half: float, min_iou: float = 0.5
) -> list[tuple[float, float, int, float]]:
    """Markers of several shapes found in one ink by their templates' overlap alone.

    Where markers of a shared ink differ in shape, a marker finder tuned to one shape
    misses the others (a thin cross on a thick line, a small triangle beside big squares);
    each legend swatch's marker is searched for in the ink itself instead. A solid
    template is matched with the ink's bodies (strokes of half-width ``half`` opened away,
    as from the template), a thin one with the ink itself; each in a window with a margin
    of background, so a small solid marker does not fit inside a larger one.

    Parameters
    ----------
    mask : ndarray of bool
        The shared ink of the series.
    templates : list of ndarray of bool
        One marker template per series (:func:`marker_template`).
    half : float
        The stroke half-width.
    min_iou : float
        Least intersection over union of a template with the ink around a marker.

    Returns
    -------
    list of (x, y, template index, IoU)
        Marker centres (the template box's centre, where matplotlib anchors a marker), the
        best matching template at each, no two closer than most of a marker's width.
    """
    r = stroke_radius(half)
    bodies = _rounded_back(_opened(mask, r), mask, r)
    candidates = []
    for j, t in enumerate(templates):
        thick = solid(t, r)
        framed = np.pad(t, TEMPLATE_MARGIN)
        iou = _iou_map(bodies if thick else mask, framed)
        size = (t.shape[0] // 2 * 2 + 1, t.shape[1] // 2 * 2 + 1)
        peaks = (iou >= min_iou) & (iou == ndimage.maximum_filter(iou, size=size))
        for y, x in zip(*np.nonzero(peaks), strict=True):
            # the window's centre pixel is index shape // 2; the box centre (shape - 1) / 2
            h, w = framed.shape
            cx = x - w // 2 + (w - 1) / 2 + _vertex(iou[y, x - 1 : x + 2])
            cy = y - h // 2 + (h - 1) / 2 + _vertex(iou[y - 1 : y + 2, x])
            candidates.append((float(iou[y, x]), float(cx), float(cy), j))
    candidates.sort(reverse=True)
    kept: list[tuple[float, float, int, float]] = []
    for score, cx, cy, j in candidates:
        if any(np.hypot(cx - x, cy - y)
               < 0.7 * max(*templates[j].shape, *templates[k].shape) for x, y, k, _ in kept):
            continue
        kept.append((cx, cy, j, score))
    return kept


def solid(template: np.ndarray, r: int) -> bool:
    """Whether a marker template keeps a body through an opening of radius ``r`` (the
    stroke's): a filled marker does, an outline or a cross does not."""
    return bool(_opened(template, r).sum() >= MIN_TEMPLATE_PIXELS)


def _vertex(v: np.ndarray) -> float:
    """Sub-pixel offset of a peak from three samples around it (0 at the edge)."""
    if v.size != 3:
        return 0.0
    den = float(v[0] - 2 * v[1] + v[2])
    return float(np.clip(0.5 * (v[0] - v[2]) / den, -0.5, 0.5)) if den < 0 else 0.0
