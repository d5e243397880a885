"""Band edges: the top and bottom of a translucent band at given columns."""

from __future__ import annotations

import numpy as np
from scipy import ndimage


def band_edges(
    band: np.ndarray,
    passable: np.ndarray,
    x: float,
    y: float,
    *,
    half_window: int = 0,
) -> tuple[float | None, float | None, bool]:
    """Top and bottom pixel ``y`` of the band around point ``(x, y)`` in column ``x``.

    Parameters
    ----------
    band : ndarray of bool
        The series' band pixels (overlaps with other bands included).
    passable : ndarray of bool
        Pixels that may hide the band (its own line and markers, other series' inks): the
        band's run may cross them but its edges must be band pixels.
    x, y : float
        The data point, plot-area pixel coordinates.

    Returns
    -------
    top, bottom, clipped
        Edge positions (pixel centres, plot-area coordinates) or None where there is no band;
        ``clipped`` is True when the band touches the plot area's top or bottom.
    """
    h, w = band.shape
    cx = int(round(x))
    if not -2 <= cx < w + 2:
        return None, None, False
    cx = int(np.clip(cx, 0, w - 1))  # a point on the plot-area edge
    cols = range(max(0, cx - half_window), min(w, cx + half_window + 1))
    tops, bottoms, clipped = [], [], False
    for c in cols:
        col_band = band[:, c]
        if not col_band.any():
            continue
        # thin breaks (a gridline under the band, a marker's edge ring) do not end the band
        col_any = (
            ndimage.binary_closing(
                col_band | passable[:, c], structure=np.ones(5, bool), border_value=0
            )
            | col_band
        )
        labels, n = ndimage.label(col_any)
        cy = int(np.clip(round(y), 0, h - 1))
        lab = labels[cy]
        if lab == 0:
            # the point lies outside every run: take the nearest run with band pixels
            runs = [k for k in range(1, n + 1) if (col_band & (labels == k)).any()]
            if not runs:
                continue
            dists = [np.abs(np.flatnonzero(labels == k) - cy).min() for k in runs]
            lab = runs[int(np.argmin(dists))]
        run = np.flatnonzero((labels == lab) & col_band)
        if len(run) == 0:
            continue
        tops.append(run.min())
        bottoms.append(run.max())
        clipped = clipped or run.min() == 0 or run.max() == h - 1
    if not tops:
        return None, None, False
    return float(np.median(tops)), float(np.median(bottoms)), clipped
