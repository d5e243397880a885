"""Calibration: tick labels read by OCR, paired with tick positions, fitted to a pixel->data map.

Stub: the dataclasses are the contract; ``calibrate`` is implemented by the axes work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from .layout import Layout

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


def calibrate(rgb: np.ndarray, layout: Layout) -> tuple[AxisMap, AxisMap]:
    """Fit the x and y pixel->data maps from the layout's tick labels and tick positions."""
    raise NotImplementedError
