"""Line vertices from a series' colour mask, for lines drawn without markers.

The line is traced column by column (the centre of the run that continues the previous
column's position), then simplified with Douglas-Peucker: the surviving corners are the
data points of a piecewise-linear line.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage
from skimage.measure import approximate_polygon


def trace_columns(mask: np.ndarray, *, max_gap: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The line's centre ``y`` in each column of ``mask`` that has ink, following continuity.

    Where a column holds several runs, the one nearest the previous column's ``y`` is taken
    (so a crossing or a stray mark does not pull the trace away).
    Returns ``(xs, ys)`` as float arrays.
    """
    xs: list[float] = []
    ys: list[float] = []
    prev: float | None = None
    for x in range(mask.shape[1]):
        col = mask[:, x]
        if not col.any():
            continue
        labels, n = ndimage.label(col)
        centres = np.asarray(ndimage.center_of_mass(col, labels, range(1, n + 1)))[:, 0]
        if prev is None or n == 1:
            # first column: the biggest run
            if n > 1:
                sizes = ndimage.sum(col, labels, range(1, n + 1))
                y = float(centres[int(np.argmax(sizes))])
            else:
                y = float(centres[0])
        else:
            y = float(centres[int(np.argmin(np.abs(centres - prev)))])
        xs.append(float(x))
        ys.append(y)
        prev = y
    return np.array(xs), np.array(ys)


def line_vertices(mask: np.ndarray, *, tolerance: float = 1.0) -> np.ndarray:
    """Corners of the polyline drawn in ``mask``, as an ``(N, 2)`` array of ``(x, y)``.

    Parameters
    ----------
    mask : ndarray of bool
        The series' line pixels.
    tolerance : float
        Douglas-Peucker tolerance in pixels: the simplified line stays this close to the trace.
    """
    xs, ys = trace_columns(mask)
    if len(xs) < 2:
        return np.column_stack([xs, ys]) if len(xs) else np.zeros((0, 2))
    # split the trace where it has gaps (a dashed line or a line leaving the plot)
    pieces = np.split(np.column_stack([xs, ys]), np.flatnonzero(np.diff(xs) > 8) + 1)
    out = []
    for piece in pieces:
        if len(piece) < 2:
            continue
        out.append(approximate_polygon(piece, tolerance=tolerance))
    return np.vstack(out) if out else np.zeros((0, 2))
