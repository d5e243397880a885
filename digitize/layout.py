"""Layout: where the plot area, ticks, gridlines and text are.

Stub: the dataclass is the contract; ``find_layout`` is implemented by the axes work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .geometry import Box
from .ocr import Word


@dataclass
class Layout:
    """What the layout stage found, in pixel coordinates of the loaded image.

    Attributes
    ----------
    plot_area : Box
        The data rectangle (inside the spines / panel), exclusive of the frame lines.
    frame : str
        ``"full"``, ``"left-bottom"``, ``"panel"`` (filled background, no lines), or ``"none"``.
    background : tuple of int
        RGB of the plot-area background.
    x_ticks, y_ticks : list of float
        Pixel positions (x for the x axis, y for the y axis) of tick marks or gridlines.
    x_gridlines, y_gridlines : list of float
        Pixel positions of gridlines drawn across the plot area.
    x_tick_labels, y_tick_labels : list of Word
        The tick-label words, boxes in image coordinates.
    title, x_label, y_label : str or None
        Chart title and axis titles, where present.
    words : list of Word
        All words read outside the plot area (legend text included), image coordinates.
    """

    plot_area: Box
    frame: str = "none"
    background: tuple[int, int, int] = (255, 255, 255)
    x_ticks: list[float] = field(default_factory=list)
    y_ticks: list[float] = field(default_factory=list)
    x_gridlines: list[float] = field(default_factory=list)
    y_gridlines: list[float] = field(default_factory=list)
    x_tick_labels: list[Word] = field(default_factory=list)
    y_tick_labels: list[Word] = field(default_factory=list)
    title: str | None = None
    x_label: str | None = None
    y_label: str | None = None
    words: list[Word] = field(default_factory=list)


def find_layout(rgb: np.ndarray) -> Layout:
    """Find the plot area, ticks, gridlines and text of a chart image (RGB uint8)."""
    raise NotImplementedError
