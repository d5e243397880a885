"""Calibration: tick labels read by OCR, paired with tick positions, fitted to a pixel->data map.

Each label is parsed (:mod:`digitize.labels`), its centre snapped to the nearest tick mark,
gridline or frame edge, and ``value = slope * pixel + intercept`` is fitted per axis by
exhaustive pair consensus, so one misread label is rejected (``inlier=False``) rather than
averaged in. Log axes (values equally spaced in log10) and date axes (month names, ISO
dates) are detected; 4-digit years alone stay linear numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np

from . import labels
from .errors import AxisError
from .layout import Layout
from .ocr import Word

EPOCH = dt.datetime(1970, 1, 1)


@dataclass
class Tick:
    """One labelled tick: its pixel position, its label text and the value read from it.

    ``value`` is in data units (days since 1970-01-01 for dates, the index for categories).
    ``inlier`` is False where the robust fit rejected it (an OCR misread, say).
    """

    pixel: float
    value: float
    label: str
    inlier: bool = True


@dataclass
class AxisMap:
    """A fitted pixel -> data map for one axis.

    The fit is ``t = slope * pixel + intercept`` where ``t`` is the value itself (linear,
    category), ``log10(value)`` (log) or days since 1970-01-01 (date).
    """

    axis: str  # "x" or "y"
    scale: str  # "linear", "log", "date" or "category"
    slope: float
    intercept: float
    ticks: list[Tick] = field(default_factory=list)
    residual: float = 0.0  # RMS of inlier residuals, in pixels
    categories: list[str] | None = None
    pixel_range: tuple[float, float] = (0.0, 1.0)  # plot-area extent along this axis
    decimals: int = 6  # decimals the labels support (output rounding)

    def to_value(self, pixel: float | np.ndarray) -> float | np.ndarray:
        """Data value(s) at pixel position(s); dates as days since 1970-01-01."""
        t = self.slope * np.asarray(pixel, dtype=float) + self.intercept
        if self.scale == "log":
            t = np.power(10.0, t)
        return float(t) if np.ndim(t) == 0 else t

    def to_pixel(self, value: float | np.ndarray) -> float | np.ndarray:
        """Pixel position(s) of data value(s)."""
        t = np.asarray(value, dtype=float)
        if self.scale == "log":
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.log10(t)
        p = (t - self.intercept) / self.slope
        return float(p) if np.ndim(p) == 0 else p

    @property
    def value_range(self) -> tuple[float, float]:
        """Data values at both ends of the plot area (low pixel first)."""
        lo, hi = self.pixel_range
        return float(self.to_value(lo)), float(self.to_value(hi))

    def span(self) -> float:
        """Span of the axis in fit space (log10 for log axes): the unit for relative errors."""
        lo, hi = self.pixel_range
        return abs(self.slope * (hi - lo))

    def format(self, value: float) -> str | float:
        """A value as written to CSV: ISO date, category label, or rounded number."""
        if value is None or not np.isfinite(value):
            return ""
        if self.scale == "date":
            stamp = EPOCH + dt.timedelta(days=float(value))
            if abs(stamp - stamp.replace(hour=0, minute=0, second=0, microsecond=0)) < dt.timedelta(
                minutes=1
            ) and self.slope * 1.0 > 1e-3:
                return stamp.date().isoformat()
            return stamp.isoformat(timespec="seconds")
        if self.scale == "category" and self.categories:
            i = int(round(value))
            if 0 <= i < len(self.categories):
                return self.categories[i]
        if self.scale == "log":
            digits = max(0, 4 - int(np.floor(np.log10(abs(value))))) if value else 6
            return round(float(value), digits)
        return round(float(value), self.decimals)


# --------------------------------------------------------------------------------------------
# robust line fit


def robust_line(
    pixels: np.ndarray, values: np.ndarray, tol_px: float
) -> tuple[float, float, np.ndarray] | None:
    """Fit ``value = slope * pixel + intercept`` by exhaustive pair consensus.

    Every pair of points proposes a line; the one that puts the most points within
    ``tol_px`` pixels of it wins (ties: smallest squared residual), and is refitted by least
    squares on its inliers. With the few ticks of an axis this is exact, fast and rejects a
    misread label instead of averaging it in.

    Returns ``(slope, intercept, inlier_mask)`` or None if fewer than two usable points.
    """
    p = np.asarray(pixels, float)
    v = np.asarray(values, float)
    n = len(p)
    best: tuple[int, float, float, float, np.ndarray] | None = None
    for i in range(n):
        for j in range(i + 1, n):
            dp, dv = p[j] - p[i], v[j] - v[i]
            if abs(dp) < 1.0 or dv == 0:
                continue
            slope = dv / dp
            intercept = v[i] - slope * p[i]
            resid = np.abs((v - intercept) / slope - p)
            inl = resid <= tol_px
            score = (int(inl.sum()), -float((resid[inl] ** 2).sum()))
            if best is None or score > (best[0], best[1]):
                best = (score[0], score[1], slope, intercept, inl)
    if best is None or best[0] < 2:
        return None
    _, _, slope, intercept, inl = best
    if inl.sum() >= 3:
        slope, intercept = np.polyfit(p[inl], v[inl], 1)
        resid = np.abs((v - intercept) / slope - p)
        inl = resid <= tol_px
        if inl.sum() >= 2:
            slope, intercept = np.polyfit(p[inl], v[inl], 1)
    return float(slope), float(intercept), inl


def _rms_px(pixels: np.ndarray, t: np.ndarray, slope: float, intercept: float) -> float:
    if len(pixels) == 0:
        return 0.0
    return float(np.sqrt(np.mean(((t - intercept) / slope - pixels) ** 2)))


# --------------------------------------------------------------------------------------------
# labels -> (pixel, value)


def snap(position: float, candidates: list[float], tol: float) -> float:
    """``position`` moved to the nearest candidate within ``tol`` pixels, else unchanged."""
    if not candidates:
        return position
    c = np.asarray(candidates, float)
    k = int(np.argmin(np.abs(c - position)))
    return float(c[k]) if abs(c[k] - position) <= tol else position


def _offset_multiplier(text: str | None) -> tuple[float, float]:
    """Matplotlib offset text -> (multiplier, additive offset): ``1e6``, ``×10^3``, ``+1e3``."""
    if not text:
        return 1.0, 0.0
    t = text.replace(" ", "").replace("−", "-").replace("—", "-")
    m = re.fullmatch(r"(?:[x×]10\^?\{?([-+]?\d+)\}?|1e([-+]?\d+))", t)
    if m:
        return 10.0 ** int(m.group(1) or m.group(2)), 0.0
    m = re.fullmatch(r"([-+]\d+(?:\.\d+)?(?:e[-+]?\d+)?)", t)
    if m:
        return 1.0, float(m.group(1))
    return 1.0, 0.0


@dataclass
class _Candidate:
    pixel: float
    label: str
    number: float | None
    decimals: int
    date: float | None


def _label_pixel(axis: str, word: Word) -> float:
    return word.box.center[0] if axis == "x" else word.box.center[1]


def _candidates(axis: str, layout: Layout) -> list[_Candidate]:
    words = layout.x_tick_labels if axis == "x" else layout.y_tick_labels
    ticks = layout.x_ticks if axis == "x" else layout.y_ticks
    edges = layout.x_edges if axis == "x" else layout.y_edges
    snap_to = list(ticks) + (list(edges) if edges else [])
    if not words:
        return []
    hgt = float(np.median([wd.box.height for wd in words]))
    tol = max(3.0, 0.35 * hgt)
    texts = [wd.text for wd in words]
    powers = labels.looks_like_power_labels(texts)
    year = next((y for y in (labels.year_of(t) for t in texts) if y), None)
    out = []
    for wd in words:
        px = snap(_label_pixel(axis, wd), snap_to, tol)
        parsed = labels.parse_number(wd.text, powers=powers)
        date = labels.parse_date(wd.text, year) if labels.has_month(wd.text) else None
        out.append(_Candidate(px, wd.text, parsed.value if parsed else None,
                              parsed.decimals if parsed else 0, date))
    return out


# --------------------------------------------------------------------------------------------
# one axis


def _fit(axis: str, cands: list[_Candidate], scale: str, span_px: float):
    """Fit one scale; returns (AxisMap-without-range, n_inliers) or None."""
    if scale == "date":
        pts = [(c.pixel, c.date, c) for c in cands if c.date is not None]
    else:
        pts = [(c.pixel, c.number, c) for c in cands if c.number is not None]
        if scale == "log":
            pts = [(p, np.log10(v), c) for p, v, c in pts if v > 0]
    if len(pts) < 2:
        return None
    pix = np.array([q[0] for q in pts])
    t = np.array([q[1] for q in pts], float)
    tol = max(2.5, 0.012 * span_px)
    fit = robust_line(pix, t, tol)
    if fit is None:
        return None
    slope, intercept, inl = fit
    ticks = [Tick(float(p), float(10**tt if scale == "log" else tt), q[2].label, bool(ok))
             for p, tt, q, ok in zip(pix, t, pts, inl, strict=False)]
    resid = _rms_px(pix[inl], t[inl], slope, intercept)
    dec = max((q[2].decimals for q, ok in zip(pts, inl, strict=False) if ok), default=0)
    amap = AxisMap(axis, scale, slope, intercept, ticks, resid, decimals=dec + 2)
    return amap, int(inl.sum())


def calibrate_axis(
    axis: str,
    layout: Layout,
    value_range: tuple[float, float] | None = None,
    scale: str | None = None,
) -> AxisMap:
    """Fit the pixel -> data map of one axis (``"x"`` or ``"y"``).

    Parameters
    ----------
    axis : str
        ``"x"`` or ``"y"``.
    layout : Layout
        Tick labels, tick positions and the plot area.
    value_range : (lo, hi), optional
        User override: ``lo`` at the left/bottom end of the plot area, ``hi`` at the other.
    scale : str, optional
        Force ``"linear"``, ``"log"`` or ``"date"`` instead of detecting it.

    Raises
    ------
    AxisError
        If fewer than two labels agree on a map (and no range was given).
    """
    p = layout.plot_area
    pixel_range = (float(p.left), float(p.right - 1)) if axis == "x" else (
        float(p.top), float(p.bottom - 1))
    span_px = pixel_range[1] - pixel_range[0]
    if value_range is not None:
        lo, hi = (float(v) for v in value_range)
        sc = scale or "linear"
        if sc == "log":
            lo, hi = np.log10(lo), np.log10(hi)
        # lo at the left (x) / bottom (y) end
        a, b = (pixel_range[0], pixel_range[1]) if axis == "x" else (pixel_range[1], pixel_range[0])
        slope = (hi - lo) / (b - a)
        return AxisMap(axis, sc, slope, lo - slope * a, [], 0.0, pixel_range=pixel_range)
    cands = _candidates(axis, layout)
    multiplier, offset = _offset_multiplier(
        layout.x_offset_text if axis == "x" else layout.y_offset_text)
    if multiplier != 1.0 or offset:
        for c in cands:
            if c.number is not None:
                c.number = c.number * multiplier + offset
                c.decimals = max(0, c.decimals - int(round(np.log10(multiplier))))
    fits = {}
    n_dates = sum(c.date is not None for c in cands)
    scales = [scale] if scale else (["date"] if n_dates >= 2 and n_dates >= 0.5 * len(cands)
                                    else ["linear", "log"])
    for sc in scales:
        got = _fit(axis, cands, sc, span_px)
        if got is not None:
            fits[sc] = got
    if not fits:
        name = "x" if axis == "x" else "y"
        raise AxisError(
            f"could not read the {name} axis tick labels; pass --{name}-range LO HI"
        )
    best = "linear" if "linear" in fits else next(iter(fits))
    if "log" in fits and "linear" in fits:
        lin, n_lin = fits["linear"]
        log, n_log = fits["log"]
        if n_log > n_lin and n_log >= 3:
            best = "log"
    amap = fits[best][0]
    amap.pixel_range = pixel_range
    if amap.scale == "log":
        amap.decimals = 6
    return amap


def calibrate(
    rgb: np.ndarray,
    layout: Layout,
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
    x_scale: str | None = None,
    y_scale: str | None = None,
) -> tuple[AxisMap, AxisMap]:
    """Fit the x and y pixel->data maps from the layout's tick labels and tick positions.

    Parameters
    ----------
    rgb : ndarray
        The chart image (unused by the fit itself; kept for the stage interface).
    layout : Layout
        Output of :func:`digitize.layout.find_layout`.
    x_range, y_range : (lo, hi), optional
        Data values at the plot-area ends (left/right, bottom/top) overriding the labels.
    x_scale, y_scale : str, optional
        ``"linear"``, ``"log"`` or ``"date"`` to force an axis scale.

    Returns
    -------
    (AxisMap, AxisMap)
        The x map and the y map.

    Raises
    ------
    AxisError
        If an axis has fewer than two consistent tick labels and no range was given.
    """
    x = calibrate_axis("x", layout, x_range, x_scale)
    y = calibrate_axis("y", layout, y_range, y_scale)
    return x, y
