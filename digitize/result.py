"""What the pipeline returns: series of data points with their axes, and its CSV/JSON forms."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .calibrate import AxisMap
from .layout import Layout

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

CSV_COLUMNS = ["series", "x", "y", "y_lower", "y_upper"]
X_ERROR_COLUMNS = ["x_lower", "x_upper"]  # only when some point has a horizontal error bar


@dataclass
class Point:
    """One data point. Pixel coordinates (``px``, ``py``...) are kept for rendering and checks.

    Data values: ``x`` in data units (days since 1970 for dates, index for categories),
    ``y``, and the band edges ``y_lower``/``y_upper`` (None where there is no band).
    """

    px: float
    py: float
    x: float
    y: float
    py_lower: float | None = None
    py_upper: float | None = None
    y_lower: float | None = None
    y_upper: float | None = None
    interpolated: bool = False  # hidden under another series; inferred from the line
    # the ends of a horizontal error bar through the point (None where there is none)
    px_lower: float | None = None
    px_upper: float | None = None
    x_lower: float | None = None
    x_upper: float | None = None


@dataclass
class Series:
    """One recovered series."""

    name: str
    color: tuple[int, int, int]
    points: list[Point] = field(default_factory=list)
    marker: str | None = None  # "o", "s", "^", "D", ... or None
    marker_filled: bool = True  # False for hollow markers (outlines)
    marker_size: float | None = None  # marker box width in pixels, where measured
    line: bool = True
    band_color: tuple[int, int, int] | None = None
    # "markers", "line", "band", "scatter", "bar"; "area": a filled layer (its top edge is the
    # data); "range": a filled band drawn without a line (its edges are y_lower / y_upper)
    kind: str = "line"
    # how the points were obtained: "vertices" (the corners of a piecewise-linear trace),
    # "sampled" (a dense or smooth curve with no corners, sampled every ``spacing`` pixels
    # to within a pixel of its shape), "markers" (one point per marker or bar), None unknown
    sampling: str | None = None
    spacing: float | None = None  # mean x spacing of the samples in pixels, when "sampled"
    confidence: float | None = None
    warnings: list[str] = field(default_factory=list)
    # colours where this filled area lies under or over another series' translucent fill:
    # its ink as well as its own colour
    overlap_colors: list[tuple[int, int, int]] = field(default_factory=list)

    @property
    def hex_color(self) -> str:
        return _hex(self.color)

    def arrays(self) -> dict[str, np.ndarray]:
        """The data columns as float arrays (NaN where absent)."""

        def col(name: str) -> np.ndarray:
            return np.array(
                [np.nan if getattr(p, name) is None else getattr(p, name) for p in self.points],
                dtype=float,
            )

        return {k: col(k) for k in ("x", "y", "y_lower", "y_upper", "px", "py")}


@dataclass
class ChartResult:
    """Everything found in one chart image."""

    width: int
    height: int
    layout: Layout
    x_axis: AxisMap
    y_axis: AxisMap
    series: list[Series] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source: str | None = None
    legend_title: str | None = None
    grid_color: tuple[int, int, int] | None = None  # the gridlines' colour, None if no grid
    agreement: dict[str, Any] | None = None
    image: np.ndarray | None = field(default=None, repr=False)  # the RGB input, for checks
    # rotation undone before reading, degrees counter-clockwise (pixel coordinates are those of
    # the straightened image); 0.0 when the image was read as it is
    deskew_angle: float = 0.0
    image_scale: float = 1.0  # < 1 where a large image was read at a reduced resolution
    lighting_flattened: bool = False
    # the chart's confidence (see digitize.confidence): the lowest series confidence times the
    # chart-level doubts (series count, names...); None when the self-check did not run
    confidence: float | None = None
    confidence_signals: dict[str, Any] | None = None

    # -- tabular forms -------------------------------------------------------------------
    def columns(self) -> list[str]:
        """The CSV columns: ``series, x, y, y_lower, y_upper``, then ``x_lower, x_upper`` when
        some point has a horizontal error bar."""
        x_errors = any(p.x_lower is not None for s in self.series for p in s.points)
        return CSV_COLUMNS + (X_ERROR_COLUMNS if x_errors else [])

    def rows(self) -> list[dict[str, Any]]:
        """Long-format rows (see :meth:`columns`) with values formatted for output."""
        x_errors = "x_lower" in self.columns()
        out = []
        for s in self.series:
            for p in s.points:
                row = {
                    "series": s.name,
                    "x": self.x_axis.format(p.x),
                    "y": self.y_axis.format(p.y),
                    "y_lower": "" if p.y_lower is None else self.y_axis.format(p.y_lower),
                    "y_upper": "" if p.y_upper is None else self.y_axis.format(p.y_upper),
                }
                if x_errors:
                    row["x_lower"] = "" if p.x_lower is None else self.x_axis.format(p.x_lower)
                    row["x_upper"] = "" if p.x_upper is None else self.x_axis.format(p.x_upper)
                out.append(row)
        return out

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=self.columns(), lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows())
        return buf.getvalue()

    def to_pandas(self) -> pd.DataFrame:
        import pandas as pd

        columns = self.columns()
        frame = pd.DataFrame(self.rows(), columns=columns)
        for col in ("y", "y_lower", "y_upper"):
            frame[col] = pd.to_numeric(frame[col], errors="coerce")
        for col in (c for c in columns if c in ("x", "x_lower", "x_upper")):
            if self.x_axis.scale in ("linear", "log"):
                frame[col] = pd.to_numeric(frame[col], errors="coerce")
            elif self.x_axis.scale == "date":
                frame[col] = pd.to_datetime(frame[col], errors="coerce")
        return frame

    # -- self-check ------------------------------------------------------------------------
    def check(self, path: str | None = None) -> tuple[Any, dict[str, Any]]:
        """The re-render check: a matplotlib Figure (original | re-render | overlay) and the
        agreement scores; with ``path``, the figure is also written there as a PNG."""
        from .render import check_figure, write_check

        if path is not None:
            scores = write_check(self, path)
            return check_figure(self, agreement_dict=scores)[0], scores
        return check_figure(self, agreement_dict=self.agreement)

    # -- full form -----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        def axis(a: AxisMap) -> dict[str, Any]:
            lo, hi = a.value_range
            return {
                "scale": a.scale,
                "slope": a.slope,
                "intercept": a.intercept,
                "range": [a.format(lo), a.format(hi)],
                "pixel_range": list(a.pixel_range),
                "residual_px": a.residual,
                "categories": a.categories,
                "ticks": [
                    {"pixel": t.pixel, "value": a.format(t.value), "label": t.label,
                     "inlier": t.inlier}
                    for t in a.ticks
                ],
            }

        return {
            "source": self.source,
            "image_size": [self.width, self.height],
            "plot_area": self.layout.plot_area.to_list(),
            "title": self.layout.title,
            "x_label": self.layout.x_label,
            "y_label": self.layout.y_label,
            "legend_title": self.legend_title,
            "x_axis": axis(self.x_axis),
            "y_axis": axis(self.y_axis),
            "series": [
                {
                    "name": s.name,
                    "color": s.hex_color,
                    "band_color": None
                    if s.band_color is None
                    else _hex(s.band_color),
                    "marker": s.marker,
                    "kind": s.kind,
                    "sampling": s.sampling,
                    "spacing_px": None if s.spacing is None else round(s.spacing, 2),
                    "confidence": s.confidence,
                    "warnings": s.warnings,
                    "points": [
                        {
                            "x": self.x_axis.format(p.x),
                            "y": self.y_axis.format(p.y),
                            "y_lower": None if p.y_lower is None else self.y_axis.format(p.y_lower),
                            "y_upper": None if p.y_upper is None else self.y_axis.format(p.y_upper),
                            "pixel": [round(p.px, 2), round(p.py, 2)],
                            "interpolated": p.interpolated,
                        } | ({} if p.x_lower is None else {
                            "x_lower": self.x_axis.format(p.x_lower),
                            "x_upper": self.x_axis.format(p.x_upper),
                        })
                        for p in s.points
                    ],
                }
                for s in self.series
            ],
            "agreement": self.agreement,
            "confidence": self.confidence,
            "confidence_signals": self.confidence_signals,
            "deskew_angle": self.deskew_angle,
            "image_scale": self.image_scale,
            "lighting_flattened": self.lighting_flattened,
            "warnings": self.warnings,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, default=_json_default)


def _hex(color: tuple[int, int, int]) -> str:
    r, g, b = (int(c) for c in color)
    return f"#{r:02x}{g:02x}{b:02x}"


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")
