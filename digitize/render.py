"""Re-render an extraction and measure how well it agrees with the original image.

The tool checks its own work: every recovered series is drawn again with matplotlib on the
exact pixel geometry of the input, and the drawing is compared with the pixels of the series'
colour in the original.

How the re-render is placed
---------------------------
The *output numbers* (``Point.x``, ``Point.y``, ``y_lower``, ``y_upper``) are mapped back to
pixels with the axis maps (``AxisMap.to_pixel``) and drawn on an axes that covers the plot area
with pixel-coordinate limits (``x`` from ``left - 0.5`` to ``right - 0.5``, ``y`` inverted).
That is pixel-exact and independent of the axis scale (linear, log, date, category all go
through ``to_pixel``), and because the data values -- not the stored pixel positions -- are
drawn, a mismatch between the numbers we report and where they were seen shows up as
disagreement. A point whose data value is not finite falls back to its pixel position. Pixel
coordinates are array-index coordinates: pixel ``(row, col)`` has its centre at ``(col, row)``.

The figure is ``width x height`` pixels at 72 dpi, so one point is one pixel and line widths and
marker sizes given in pixels pass through unchanged.

How agreement is scored
-----------------------
Inside the plot area every pixel is labelled with the nearest colour among the series colours,
the band colours and the background (CIE76 distance in CIELAB, i.e. Euclidean Lab), and kept
only if that distance is below ``delta_e``. So a pixel closer to another series' colour, or to
the background, is not counted for a series. For each series and layer:

* ``recall``: share of the original's pixels of that layer lying within ``tolerance`` px of the
  re-render;
* ``precision``: share of re-rendered pixels lying within ``tolerance`` px of an original pixel
  of the layer. Re-rendered pixels that fall on another series' line colour are left out (that
  series may be drawn on top, hiding ours), as are pixels outside the plot area;
* ``f1``: their harmonic mean.

Series of exactly the same colour share that colour's pixels: each pixel goes to the series
whose re-render is nearest (ties to all), so they do not count each other's pixels as missed.

Layers: ``line`` is the line plus markers (or the bars of a ``kind="bar"`` series), compared
with pixels of ``Series.color``; ``band`` is the filled band, compared with pixels of
``Series.band_color`` (plus the series' line pixels, which lie on top of the band and hide it).
A series' ``score`` is ``LINE_WEIGHT * line_f1 + BAND_WEIGHT * band_f1`` (0.75 / 0.25) when it
has a band, else ``line_f1``: lines carry the data, bands are wide and forgiving (a band shifted
by a few pixels still overlaps itself almost entirely). ``recall``/``precision`` of a series are
those of its line layer. A series that draws nothing scores 0. The overall ``score`` is the mean
of series scores weighted by pixel count (the larger of the original's and the re-render's
line-layer pixels, so a hallucinated series weighs in too).

``unexplained`` is the share of "ink" -- chromatic (Lab chroma > 18), non-background pixels of
the plot area that are not of a band colour -- that no re-render comes within the tolerance of:
a series missing from the result entirely shows up here, not in any per-series score.

Sizes: line width, marker diameter and bar width are read off the original (distance transform
of the series' colour mask; run lengths for bars) where ``result.image`` is set, so a misplaced
extraction is still drawn at the right size; a series whose marker box was measured by the
extraction (``Series.marker_size``, scatter series) is drawn at that box instead. Markers are
drawn filled without edge, or as outlines of the line's width where hollow
(``Series.marker_filled`` False) or strokes (``x``, ``+``).

Caveats: a legend or annotation inside the plot area in a series' colour counts as original
pixels the re-render misses (lower recall);
pixels of a colour further than ``delta_e`` from every series colour (heavy antialiasing, alpha
lines over other colours) are not counted at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np
from skimage.color import rgb2lab

from .calibrate import AxisMap
from .geometry import Box
from .result import ChartResult, Series

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DPI = 72.0  # 1 pt == 1 px
TOLERANCE_PX = 2
DELTA_E = 20.0
LINE_WEIGHT = 0.75
BAND_WEIGHT = 0.25
ALPHA_CUT = 0.3  # coverage above which a re-rendered pixel counts as drawn
CHROMA_MIN = 18.0  # Lab chroma above which a pixel counts as "coloured ink"
_LUT_BITS = 6  # colour LUT resolution per channel (64 levels: <= 1.5 Delta E error)

RGB = tuple[int, int, int]


@dataclass
class SeriesRender:
    """The re-render of one series: boolean masks of its line+markers and band layers."""

    line: np.ndarray
    band: np.ndarray | None

    @property
    def mask(self) -> np.ndarray:
        return self.line if self.band is None else self.line | self.band


# draws a result's layers at per-series sizes, as draw_layers does; None: could not
Drawer = Callable[
    [ChartResult, int, int, dict[str, tuple[float, float, "float | None"]]],
    "dict[str, SeriesRender] | None",
]

# -- public API ----------------------------------------------------------------------------


def render_series(
    result: ChartResult,
    width: int,
    height: int,
    *,
    marker_size_px: float | None = None,
    line_width_px: float | None = None,
) -> dict[str, np.ndarray]:
    """Re-render each series alone on a ``width x height`` canvas.

    Parameters
    ----------
    result : ChartResult
        The extraction; uses ``layout.plot_area``, the axis maps and ``series``.
    width, height : int
        Canvas size in pixels (the original image's size).
    marker_size_px, line_width_px : float, optional
        Marker diameter and line width in pixels. By default they are estimated from the
        original image where ``result.image`` is set, else ~1% of the plot-area height for
        markers and 1.5 px for lines.

    Returns
    -------
    dict of str to numpy.ndarray
        Per series name (duplicates get ``" #2"``, ``" #3"`` ...), a boolean ``(height, width)``
        mask of the pixels it drew (line, markers and band together).
    """
    renders = render_layers(
        result, width, height, marker_size_px=marker_size_px, line_width_px=line_width_px
    )
    return {name: r.mask for name, r in renders.items()}


def render_layers(
    result: ChartResult,
    width: int,
    height: int,
    *,
    marker_size_px: float | None = None,
    line_width_px: float | None = None,
    segmentation: Segmentation | None = None,
    drawer: Drawer | None = None,
) -> dict[str, SeriesRender]:
    """Like :func:`render_series`, with the line+markers and band layers kept apart.

    ``segmentation`` (from :func:`segment_original`) saves recomputing it for size estimates.
    ``drawer`` draws in place of :func:`draw_layers` (same arguments; None from it means
    "draw here after all").
    """
    box = result.layout.plot_area.clip(width, height)
    sizes = _draw_sizes(result, box, marker_size_px, line_width_px, segmentation)
    if drawer is not None:
        drawn = drawer(result, width, height, sizes)
        if drawn is not None:
            return drawn
    return draw_layers(result, width, height, sizes)


def draw_layers(
    result: ChartResult,
    width: int,
    height: int,
    sizes: dict[str, tuple[float, float, float | None]],
) -> dict[str, SeriesRender]:
    """Draw each series' layers with matplotlib at the given ``(marker diameter, line width,
    bar width)`` sizes per series name; the drawing half of :func:`render_layers`, which
    needs nothing of the original image (so it can run in :mod:`digitize.drawworker`)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    box = result.layout.plot_area.clip(width, height)
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    canvas = FigureCanvasAgg(fig)
    ax = _pixel_axes(fig, box, width, height)
    renderer = canvas.get_renderer()
    base = _bar_base(result, box)
    out: dict[str, SeriesRender] = {}
    for name, series in zip(series_names(result), result.series, strict=True):
        geo = _series_pixels(result, series)
        ms, lw, bar_w = sizes[name]
        line_artists = _line_artists(ax, series, geo, ms, lw, base, bar_w)
        band_artists = _band_artists(ax, series, geo)
        line = _draw_alone(renderer, line_artists, box, width, height)
        band = _draw_alone(renderer, band_artists, box, width, height) if band_artists else None
        out[name] = SeriesRender(line=line, band=band)
    return out


def agreement(
    result: ChartResult,
    *,
    tolerance: int = TOLERANCE_PX,
    delta_e: float = DELTA_E,
    marker_size_px: float | None = None,
    line_width_px: float | None = None,
    drawer: Drawer | None = None,
) -> dict[str, Any]:
    """Score how well the re-rendered extraction covers the original image, per series.

    Parameters
    ----------
    result : ChartResult
        Must carry ``image`` (the original RGB array).
    tolerance : int, optional
        Distance in pixels within which a pixel counts as matched.
    delta_e : float, optional
        Largest CIELAB (CIE76) distance from a series colour for a pixel to belong to it.
    marker_size_px, line_width_px, drawer : optional
        Passed to :func:`render_layers`.

    Returns
    -------
    dict
        ``{"score": float, "unexplained": float, "series": {name: {"score", "recall",
        "precision", "line": {...}, "band": {...} or None, "pixels": int}}, ...}`` where each
        layer dict holds ``recall``, ``precision``, ``f1``, ``original_px``, ``rendered_px``.
        See the module docstring for the definitions.
    """
    image = _require_image(result)
    h, w = image.shape[:2]
    seg = segment_original(result, image, delta_e=delta_e)
    renders = render_layers(
        result, w, h, marker_size_px=marker_size_px, line_width_px=line_width_px,
        segmentation=seg, drawer=drawer,
    )
    return _score(result, seg, renders, tolerance, delta_e)


def check_figure(
    result: ChartResult, *, agreement_dict: dict[str, Any] | None = None
) -> tuple[Figure, dict[str, Any]]:
    """A three-panel figure: original | re-rendered extraction | overlay, with per-series scores.

    Parameters
    ----------
    result : ChartResult
        The extraction, with ``image`` set.
    agreement_dict : dict, optional
        A precomputed :func:`agreement`; computed when not given.

    Returns
    -------
    (matplotlib.figure.Figure, dict)
        The figure (not attached to pyplot; ``fig.savefig`` works) and the agreement dict.
        The figure is ``3 * width + 2 * gap`` pixels wide at 72 dpi.
    """
    image = _require_image(result)
    h, w = image.shape[:2]
    seg = segment_original(result, image)
    renders = render_layers(result, w, h, segmentation=seg)
    scores = agreement_dict or _score(result, seg, renders, TOLERANCE_PX, DELTA_E)
    return _build_check_figure(result, image, renders, seg, scores), scores


def write_check(result: ChartResult, path: str | Path) -> dict[str, Any]:
    """Write the check figure of :func:`check_figure` as a PNG; return the agreement dict."""
    fig, scores = check_figure(result)
    fig.savefig(str(path), dpi=DPI, format="png", facecolor="white")
    return scores


def series_names(result: ChartResult) -> list[str]:
    """Series names made unique (``"a"``, ``"a #2"`` ...), in series order."""
    seen: dict[str, int] = {}
    names = []
    for s in result.series:
        n = seen.get(s.name, 0) + 1
        seen[s.name] = n
        names.append(s.name if n == 1 else f"{s.name} #{n}")
    return names


# -- geometry ------------------------------------------------------------------------------


def _pixel_axes(fig: Figure, box: Box, width: int, height: int) -> Any:
    """An invisible axes exactly on ``box`` whose data coordinates are image index coordinates."""
    bw, bh = max(box.width, 1), max(box.height, 1)
    ax = fig.add_axes((box.left / width, 1.0 - box.bottom / height, bw / width, bh / height))
    ax.set_axis_off()
    ax.set_xlim(box.left - 0.5, box.left + bw - 0.5)
    ax.set_ylim(box.top + bh - 0.5, box.top - 0.5)  # image y runs downwards
    return ax


@dataclass
class _Geo:
    """A series' drawing coordinates in image-index pixels (NaN where absent)."""

    px: np.ndarray
    py: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    hidden: np.ndarray  # interpolated points: no marker drawn
    horizontal: bool = False  # bars along image x (``lower``/``upper`` are then columns)


def _horizontal(result: ChartResult) -> bool:
    """Horizontal bars: the result's x (categories) is read on the image's vertical axis."""
    return result.x_axis.axis == "y"


def _series_pixels(result: ChartResult, series: Series) -> _Geo:
    """Map a series' data values to pixels with the axis maps (pixel positions as fallback).

    Bars: the value end (and a stacked segment's ends) from the values; the position across
    is the bar's own centre (a category names a group of bars, not where each one stands).
    """
    a = series.arrays()
    if series.kind == "bar":
        horizontal = _horizontal(result)
        val_fallback = a["px"] if horizontal else a["py"]
        val = _to_pixel(result.y_axis, a["y_upper"], _col(series, "py_upper"))
        val = np.where(np.isfinite(val), val, _to_pixel(result.y_axis, a["y"], val_fallback))
        lower = _to_pixel(result.y_axis, a["y_lower"], _col(series, "py_lower"))
        hidden = np.zeros(len(series.points), dtype=bool)
        if horizontal:
            return _Geo(val, a["py"], lower, val, hidden, horizontal=True)
        return _Geo(a["px"], val, lower, val, hidden)
    px = _to_pixel(result.x_axis, a["x"], a["px"])
    py = _to_pixel(result.y_axis, a["y"], a["py"])
    pyl = _to_pixel(result.y_axis, a["y_lower"], _col(series, "py_lower"))
    pyu = _to_pixel(result.y_axis, a["y_upper"], _col(series, "py_upper"))
    hidden = np.array([p.interpolated for p in series.points], dtype=bool)
    return _Geo(px, py, pyl, pyu, hidden)


def _col(series: Series, name: str) -> np.ndarray:
    return np.array(
        [np.nan if getattr(p, name) is None else getattr(p, name) for p in series.points],
        dtype=float,
    )


def _to_pixel(axis: AxisMap, values: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    if values.size == 0:
        return values.astype(float)
    with np.errstate(all="ignore"):
        pix = np.asarray(axis.to_pixel(values), dtype=float).reshape(values.shape)
    return np.where(np.isfinite(pix), pix, fallback)


# -- drawing -------------------------------------------------------------------------------


def _line_artists(
    ax: Any, series: Series, geo: _Geo, ms: float, lw: float, base: float, bar_w: float | None
) -> list[Any]:
    if geo.px.size == 0:
        return []
    color = _mpl_color(series.color)
    artists = []
    if series.kind == "bar":
        artists.extend(_bar_artists(ax, series, geo, base, bar_w))
    elif series.kind in ("area", "range") and geo.px.size > 1:
        # a filled area's ink is its fill: a layer down to the base, a range between edges
        lo = geo.lower if series.kind == "range" else np.full_like(geo.py, base)
        hi = geo.upper if series.kind == "range" else geo.py
        artists.append(ax.fill_between(geo.px, lo, hi, color=color, linewidth=0,
                                       visible=False))
        return artists
    elif series.line and geo.px.size > 1:
        (line,) = ax.plot(
            geo.px, geo.py, color=color, linewidth=lw, solid_joinstyle="round",
            solid_capstyle="round", visible=False,
        )
        artists.append(line)
    if series.marker or (not series.line and series.kind != "bar") or geo.px.size == 1:
        keep = ~geo.hidden
        marker = series.marker or "o"
        # hollow markers and strokes (x, +) are drawn as outlines of the line's width
        outline = not series.marker_filled or marker in STROKE_MARKERS
        (marks,) = ax.plot(
            geo.px[keep], geo.py[keep], linestyle="none", marker=marker, markersize=ms,
            markeredgewidth=lw if outline else 0.0, color=color,
            markerfacecolor="none" if outline else color, visible=False,
        )
        artists.append(marks)
    if "errorbars" in (series.kind or ""):
        ok = np.isfinite(geo.px) & np.isfinite(geo.lower) & np.isfinite(geo.upper)
        if ok.any():
            artists.append(ax.vlines(geo.px[ok], geo.lower[ok], geo.upper[ok], color=color,
                                     linewidth=lw, visible=False))
    if "xerrorbars" in (series.kind or ""):
        left, right = _col(series, "px_lower"), _col(series, "px_upper")
        ok = np.isfinite(geo.py) & np.isfinite(left) & np.isfinite(right)
        if ok.any():
            artists.append(ax.hlines(geo.py[ok], left[ok], right[ok], color=color,
                                     linewidth=lw, visible=False))
    return artists


def _bar_artists(
    ax: Any, series: Series, geo: _Geo, base: float, width: float | None
) -> list[Any]:
    """Bars from the baseline pixel ``base`` up to each point, ``width`` px wide (default: 0.6
    of the spacing of the bars), and no wider than the spacing of the series' bars (a
    histogram's bins touch: their colour's runs, the estimated width, span several)."""
    ok = np.isfinite(geo.px) & np.isfinite(geo.py)
    if not ok.any():
        return []
    across = geo.py if geo.horizontal else geo.px
    end = geo.px if geo.horizontal else geo.py
    # stacked segments run from their own bottom; other bars from the baseline
    start = np.where(np.isfinite(geo.lower), geo.lower, base)
    gaps = np.diff(np.sort(across[ok]))
    gaps = gaps[gaps > 1]  # (a stack's segments share their centre)
    if width is None:
        width = 0.6 * float(np.median(gaps)) if gaps.size else 10.0
    elif gaps.size:
        width = min(width, float(gaps.min()))
    style = {"color": _mpl_color(series.color), "linewidth": 0, "visible": False}
    if geo.horizontal:
        bars = ax.barh(across[ok], end[ok] - start[ok], height=width, left=start[ok], **style)
    else:
        bars = ax.bar(across[ok], end[ok] - start[ok], width=width, bottom=start[ok], **style)
    return list(bars)


def _bar_base(result: ChartResult, box: Box) -> float:
    """Pixel row of the bars' baseline: y = 0 where the (linear) axis shows it, else the bottom."""
    if _horizontal(result):  # bars from the left (values on the image's x axis)
        lo, hi, edge = box.left - 0.5, box.right - 0.5, box.left - 0.5
    else:
        lo, hi, edge = box.top - 0.5, box.bottom - 0.5, box.bottom - 0.5
    if result.y_axis.scale != "linear":
        return edge
    zero = float(result.y_axis.to_pixel(0.0))
    return zero if np.isfinite(zero) and lo <= zero <= hi else edge


def _band_artists(ax: Any, series: Series, geo: _Geo) -> list[Any]:
    if series.band_color is None:
        return []
    ok = np.isfinite(geo.px) & np.isfinite(geo.lower) & np.isfinite(geo.upper)
    if ok.sum() < 2:
        return []
    band = ax.fill_between(
        geo.px, geo.lower, geo.upper, where=ok, interpolate=False,
        color=_mpl_color(series.band_color), linewidth=0, visible=False,
    )
    return [band]


def _draw_alone(
    renderer: Any, artists: list[Any], box: Box, width: int, height: int
) -> np.ndarray:
    """Draw ``artists`` alone on a cleared transparent canvas; return the mask of pixels they
    cover (coverage above :data:`ALPHA_CUT`), inside ``box`` only (Agg's clip rectangle can
    bleed one pixel past the axes edge)."""
    mask = np.zeros((height, width), dtype=bool)
    if not artists:
        return mask
    renderer.clear()
    for artist in artists:
        artist.set_visible(True)
        artist.draw(renderer)
        artist.set_visible(False)
    alpha = np.asarray(renderer.buffer_rgba())[:, :, 3]
    b = box.clip(min(width, alpha.shape[1]), min(height, alpha.shape[0]))
    cut = ALPHA_CUT * 255.0
    mask[b.top : b.bottom, b.left : b.right] = alpha[b.top : b.bottom, b.left : b.right] > cut
    return mask


def _mpl_color(rgb: RGB | tuple[float, ...]) -> tuple[float, float, float]:
    return tuple(float(c) / 255.0 for c in rgb[:3])  # type: ignore[return-value]


# -- sizes estimated from the original -----------------------------------------------------


def _draw_sizes(
    result: ChartResult,
    box: Box,
    marker_px: float | None,
    line_px: float | None,
    seg: Segmentation | None,
) -> dict[str, tuple[float, float, float | None]]:
    """Per series ``(marker diameter, line width, bar width)`` in pixels: given, estimated
    from the original, or default (the bar width only for bar series, else None)."""
    default_ms = max(4.0, 0.01 * box.height)
    default_lw = 1.5
    names = series_names(result)
    est: dict[str, tuple[float | None, float | None]] = {n: (None, None) for n in names}
    bars: dict[str, float | None] = {n: None for n in names}
    if result.image is not None and (marker_px is None or line_px is None) and box.area > 0:
        if seg is None:
            seg = segment_original(result, np.asarray(result.image))
        for name, series in zip(names, result.series, strict=True):
            est[name] = _estimate_sizes(series, seg.line_masks[name], box)
            if series.kind == "bar":
                mask = seg.line_masks[name]
                bars[name] = _estimate_bar_width(mask.T if _horizontal(result) else mask)
    out = {}
    for name, series in zip(names, result.series, strict=True):
        ems, elw = est[name]
        lw = line_px if line_px is not None else (elw or default_lw)
        if marker_px is None and series.marker_size:
            ems = _marker_points(series.marker or "o", series.marker_size, _edge_reach(series, lw))
        ms = marker_px if marker_px is not None else (ems or default_ms)
        out[name] = (float(ms), float(lw), bars[name])
    return out


STROKE_MARKERS = ("x", "+", "1", "2", "3", "4", "|", "_")  # markers drawn as strokes only


def _filled(series: Series) -> bool:
    return series.marker_filled and (series.marker or "o") not in STROKE_MARKERS


def _edge_reach(series: Series, lw: float) -> float:
    """How much wider than its outline a marker drawn with edges ``lw`` wide is: nothing when
    filled (no edge) or for '+' (butt caps), a diagonal's cap for 'x', the edge for hollow."""
    if _filled(series) or series.marker == "+":
        return 0.0
    return lw / np.sqrt(2.0) if series.marker == "x" else lw


def _marker_points(code: str, box_px: float, edge_px: float) -> float:
    """Matplotlib marker size (points = pixels at the render's 72 dpi) whose drawing of
    ``code`` is ``box_px`` wide, outlines ``edge_px`` wide included."""
    from matplotlib.markers import MarkerStyle

    style = MarkerStyle(code)
    width = style.get_path().transformed(style.get_transform()).get_extents().width
    return max(1.0, (box_px - edge_px) / max(width, 1e-6))


def _estimate_bar_width(mask: np.ndarray) -> float | None:
    """Median length of the horizontal runs (>= 3 px) of a bar series' colour: its bar width."""
    if mask.size == 0 or not mask.any():
        return None
    padded = np.pad(mask, ((0, 0), (1, 1))).astype(np.int8)
    edges = np.diff(padded, axis=1)
    starts = np.flatnonzero(edges.ravel() == 1)
    ends = np.flatnonzero(edges.ravel() == -1)
    runs = ends - starts
    runs = runs[runs >= 3]
    return float(np.median(runs)) if runs.size else None


def _estimate_sizes(
    series: Series, mask: np.ndarray, box: Box
) -> tuple[float | None, float | None]:
    """Marker diameter and line width of a series, read off its colour's pixels in the original.

    The distance transform (EDT) of the colour mask is the half-thickness of the ink. Its ridge
    (local maxima across the stroke; median) gives the line width. For a series with markers,
    the EDT's peaks clearly thicker than the line are the filled markers' centres; their median
    gives the marker radius. Neither depends on where the extraction put its points, so a
    misplaced extraction is drawn at the right size (and scored as misplaced).
    """
    if mask.sum() < 5 or min(mask.shape) < 3:
        return None, None
    edt = cv2.distanceTransform(np.pad(mask, 1).astype(np.uint8), cv2.DIST_L2, 3)[1:-1, 1:-1]
    ridge = (edt >= cv2.dilate(edt, np.ones((3, 3), np.uint8)) - 1e-6) & mask
    lw = float(np.clip(2.0 * np.median(edt[ridge]) - 0.5, 1.0, 8.0)) if ridge.any() else None
    if not series.marker or series.kind == "bar":
        return None, lw
    floor = (lw or 1.0) * 0.75 + 1.0
    peaks = (edt >= cv2.dilate(edt, np.ones((7, 7), np.uint8)) - 1e-6) & (edt >= floor)
    if not peaks.any():
        return None, lw
    radius = float(np.median(edt[peaks]))
    return float(np.clip(2.0 * radius + 0.5, 3.0, 0.1 * box.height + 3.0)), lw


# -- the original's series pixels ----------------------------------------------------------


@dataclass
class Segmentation:
    """Pixels of the original's plot area (``box``-sized arrays) by series colour."""

    box: Box
    line_masks: dict[str, np.ndarray]
    band_masks: dict[str, np.ndarray | None]
    ink: np.ndarray  # chromatic pixels not of the background or of a band colour


def segment_original(
    result: ChartResult, image: np.ndarray, *, delta_e: float = DELTA_E
) -> Segmentation:
    """Label the plot area's pixels by nearest series / band / background colour (Lab)."""
    h, w = image.shape[:2]
    box = result.layout.plot_area.clip(w, h)
    crop = np.ascontiguousarray(image[box.top : box.bottom, box.left : box.right, :3])
    names = series_names(result)
    background: RGB = tuple(int(c) for c in result.layout.background[:3])  # type: ignore
    palette: list[RGB] = [background]  # index 0
    index_of: dict[RGB, int] = {background: 0}

    def slot(rgb: tuple[int, ...]) -> int:
        key: RGB = tuple(int(c) for c in rgb[:3])  # type: ignore[assignment]
        if key not in index_of:
            index_of[key] = len(palette)
            palette.append(key)
        return index_of[key]

    # gridlines near a series' colour (grey on grey) are the grid's, not that series' ink
    grid_idx = slot(result.grid_color) if result.grid_color is not None else None
    line_idx = {n: slot(s.color) for n, s in zip(names, result.series, strict=True)}
    band_idx = {
        n: slot(s.band_color)
        for n, s in zip(names, result.series, strict=True)
        if s.band_color is not None
    }
    overlap_idx = {n: [slot(c) for c in s.overlap_colors]
                   for n, s in zip(names, result.series, strict=True) if s.overlap_colors}
    labels, chroma_ok = _label_pixels(crop, palette, delta_e)
    by_index = {i: labels == i for i in set(line_idx.values()) | set(band_idx.values())}
    line_masks = {n: by_index[i] for n, i in line_idx.items()}  # same colour, same object
    # a filled area's ink where another translucent fill overlaps it is its ink too
    for n, idx in overlap_idx.items():
        line_masks[n] = line_masks[n] | np.isin(labels, idx)
    band_masks: dict[str, np.ndarray | None] = {n: None for n in names}
    for n, i in band_idx.items():
        band_masks[n] = by_index[i]
    band_pixels = np.zeros(labels.shape, dtype=bool)
    for i in set(band_idx.values()) - set(line_idx.values()):
        band_pixels |= by_index[i]
    ink = chroma_ok & (labels != 0) & ~band_pixels
    if grid_idx is not None and grid_idx not in line_idx.values():
        ink &= labels != grid_idx
    return Segmentation(box=box, line_masks=line_masks, band_masks=band_masks, ink=ink)


def _cell_lab(cells: np.ndarray) -> np.ndarray:
    """CIELAB of the centres of colour cells ``cells`` on a ``2**_LUT_BITS``-per-channel grid."""
    n = 1 << _LUT_BITS
    step = 256 // n
    r, g, b = cells >> (2 * _LUT_BITS), (cells >> _LUT_BITS) & (n - 1), cells & (n - 1)
    rgb = (np.stack([r, g, b], axis=-1) * step + (step - 1) / 2.0) / 255.0
    return rgb2lab(rgb.reshape(-1, 1, 3)).reshape(-1, 3).astype(np.float32)


def _label_pixels(
    crop: np.ndarray, palette: list[RGB], delta_e: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per pixel: index of the nearest palette colour within ``delta_e`` (else -1), and
    whether the pixel is chromatic ink (Lab chroma above :data:`CHROMA_MIN`)."""
    cells = 1 << (3 * _LUT_BITS)
    shift = 8 - _LUT_BITS
    q = (crop >> shift).astype(np.int32)
    index = (q[..., 0] << (2 * _LUT_BITS)) | (q[..., 1] << _LUT_BITS) | q[..., 2]
    present = np.flatnonzero(np.bincount(index.ravel(), minlength=cells))
    lab = _cell_lab(present)  # only the colour cells that occur (a few thousand in a chart)
    pal_lab = rgb2lab(np.array(palette, dtype=np.float64).reshape(-1, 1, 3) / 255.0)
    pal_lab = pal_lab.reshape(-1, 3).astype(np.float32)
    dist = np.sqrt(((lab[:, None, :] - pal_lab[None, :, :]) ** 2).sum(axis=2))
    nearest = dist.argmin(axis=1)
    near_enough = dist[np.arange(lab.shape[0]), nearest] <= delta_e
    lut = np.full(cells, -1, dtype=np.int16)
    lut[present] = np.where(near_enough, nearest, -1)
    chroma = np.zeros(cells, dtype=bool)
    chroma[present] = np.hypot(lab[:, 1], lab[:, 2]) > CHROMA_MIN
    return lut[index], chroma[index]


# -- scoring -------------------------------------------------------------------------------


def _score(
    result: ChartResult,
    seg: Segmentation,
    renders: dict[str, SeriesRender],
    tolerance: int,
    delta_e: float,
) -> dict[str, Any]:
    box = seg.box
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * tolerance + 1, 2 * tolerance + 1))
    names = series_names(result)
    line_r = {n: _crop(renders[n].line, box) for n in names}
    band_r = {n: None if renders[n].band is None else _crop(renders[n].band, box) for n in names}
    orig_line = _share_by_render(seg.line_masks, line_r)
    orig_band = _share_by_render(seg.band_masks, band_r)
    all_lines = np.zeros(seg.ink.shape, dtype=bool)
    for m in seg.line_masks.values():
        all_lines |= m
    per: dict[str, Any] = {}
    weights, values = [], []
    drawn_any = np.zeros(seg.ink.shape, dtype=bool)
    for name in names:
        own_colour = seg.line_masks[name]
        dont_care = all_lines & ~own_colour
        line = _layer_scores(orig_line[name], line_r[name], kernel, dont_care, own_colour)
        drawn_any |= line_r[name]
        band = None
        zeros = np.zeros_like(own_colour)
        rb = band_r[name] if band_r[name] is not None else zeros
        ob = orig_band[name] if orig_band[name] is not None else zeros
        if rb.any() or ob.any():
            own_band = seg.band_masks[name] if seg.band_masks[name] is not None else zeros
            band = _layer_scores(ob, rb, kernel, dont_care, own_band | own_colour)
            drawn_any |= rb
        score = line["f1"] if band is None else LINE_WEIGHT * line["f1"] + BAND_WEIGHT * band["f1"]
        pixels = max(line["original_px"], line["rendered_px"])
        per[name] = {
            "score": round(score, 4),
            "recall": line["recall"],
            "precision": line["precision"],
            "line": line,
            "band": band,
            "pixels": pixels,
        }
        weights.append(pixels)
        values.append(score)
    total = float(sum(weights))
    overall = float(np.dot(weights, values) / total) if total > 0 else 0.0
    near_drawn = _near(drawn_any, kernel)
    ink = seg.ink
    missed = int((ink & ~near_drawn).sum())
    return {
        "score": round(overall, 4),
        "unexplained": round(missed / int(ink.sum()), 4) if ink.any() else 0.0,
        "unexplained_px": missed,
        "series": per,
        "tolerance_px": tolerance,
        "delta_e": delta_e,
        "weights": {"line": LINE_WEIGHT, "band": BAND_WEIGHT},
        "plot_area": box.to_list(),
    }


def _share_by_render(
    originals: dict[str, np.ndarray | None], rendered: dict[str, np.ndarray | None]
) -> dict[str, np.ndarray | None]:
    """Split the original pixels of a colour shared by several series between them.

    Series of one colour share one original mask (the same object, from
    :func:`segment_original`). Each pixel of it goes to the series whose re-render is nearest
    (ties go to all of them), so two same-coloured series do not count each other's pixels as
    missed. Unshared masks are returned unchanged.
    """
    groups: dict[int, list[str]] = {}
    for name, mask in originals.items():
        if mask is not None:
            groups.setdefault(id(mask), []).append(name)
    out = dict(originals)
    for members in groups.values():
        if len(members) < 2:
            continue
        shared = originals[members[0]]
        assert shared is not None
        dists = np.stack([_distance_to(rendered[n], shared.shape) for n in members])
        best = dists.min(axis=0)
        for n, d in zip(members, dists, strict=True):
            out[n] = shared & (d <= best)
    return out


def _distance_to(mask: np.ndarray | None, shape: tuple[int, ...]) -> np.ndarray:
    """Euclidean distance of every pixel to the nearest True pixel of ``mask`` (inf if none)."""
    if mask is None or not mask.any() or mask.size == 0:
        return np.full(shape, np.inf, dtype=np.float32)
    return cv2.distanceTransform((~mask).astype(np.uint8), cv2.DIST_L2, 3)


def _layer_scores(
    original: np.ndarray,
    rendered: np.ndarray,
    kernel: np.ndarray,
    dont_care: np.ndarray,
    original_for_precision: np.ndarray,
) -> dict[str, Any]:
    """Recall, precision and F1 of one layer, with ``kernel``-sized tolerance."""
    near_rendered = _near(rendered, kernel)
    near_original = _near(original_for_precision, kernel)
    n_orig = int(original.sum())
    counted = rendered & ~(dont_care & ~near_original)
    n_rend = int(counted.sum())
    recall = float((original & near_rendered).sum() / n_orig) if n_orig else 0.0
    precision = float((counted & near_original).sum() / n_rend) if n_rend else 0.0
    f1 = 2 * recall * precision / (recall + precision) if recall + precision > 0 else 0.0
    return {
        "recall": round(recall, 4),
        "precision": round(precision, 4),
        "f1": round(f1, 4),
        "original_px": n_orig,
        "rendered_px": n_rend,
    }


def _near(mask: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Pixels within the ``kernel`` footprint of a True pixel of ``mask`` (boolean dilation)."""
    if mask.size == 0:
        return mask.copy()
    return cv2.dilate(mask.astype(np.uint8), kernel).astype(bool)


def _crop(mask: np.ndarray, box: Box) -> np.ndarray:
    return mask[box.top : box.bottom, box.left : box.right]


def _require_image(result: ChartResult) -> np.ndarray:
    if result.image is None:
        raise ValueError("ChartResult.image is None: the check needs the original image")
    image = np.asarray(result.image)
    if image.ndim != 3 or image.shape[2] < 3 or image.dtype != np.uint8:
        raise ValueError(f"ChartResult.image must be RGB uint8, got {image.dtype} {image.shape}")
    return image[:, :, :3]


# -- the check figure ----------------------------------------------------------------------

_GAP = 12  # px between panels
_HEAD = 22  # px for the panel titles
_LINE_H = 18  # px per caption line
_MISSED = np.array([0, 200, 0], np.uint8)  # green: in the original, not re-rendered
_EXTRA = np.array([230, 0, 230], np.uint8)  # magenta: re-rendered, not in the original


def _build_check_figure(
    result: ChartResult,
    image: np.ndarray,
    renders: dict[str, SeriesRender],
    seg: Segmentation,
    scores: dict[str, Any],
) -> Figure:
    h, w = image.shape[:2]
    names = series_names(result)
    caption_h = _LINE_H * (len(names) + 2) + 6
    fw, fh = 3 * w + 2 * _GAP, _HEAD + h + caption_h
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(fw / DPI, fh / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    panels = [
        ("original", image),
        ("re-rendered extraction", _extraction_image(result, renders, h, w)),
        ("overlay: green = missed, magenta = extra", _overlay_image(image, renders, seg, names)),
    ]
    for i, (title, pixels) in enumerate(panels):
        x0 = i * (w + _GAP)
        # figimage places the pixels 1:1 (no resampling): exact and fast
        fig.figimage(pixels, xo=x0, yo=caption_h, origin="upper", resize=False)
        fig.text((x0 + 4) / fw, (fh - 4) / fh, title, va="top", ha="left", fontsize=14)
        if i == 1:
            ax = fig.add_axes((x0 / fw, caption_h / fh, w / fw, h / fh))
            ax.set_xlim(-0.5, w - 0.5)
            ax.set_ylim(h - 0.5, -0.5)
            ax.set_axis_off()
            ax.set_zorder(2)  # above the figure images
            _draw_recovered_axes(ax, result)
    _captions(fig, result, names, scores, fw, fh, caption_h)
    return fig


def _extraction_image(
    result: ChartResult, renders: dict[str, SeriesRender], h: int, w: int
) -> np.ndarray:
    """All series in their colours on white: bands first, then lines and markers."""
    canvas = np.full((h, w, 3), 255, np.uint8)
    for s, name in zip(result.series, series_names(result), strict=True):
        band = renders[name].band
        if band is not None and s.band_color is not None:
            canvas[band] = s.band_color[:3]
    pairs = list(zip(result.series, series_names(result), strict=True))
    # filled areas first, the highest first: each layer of a stack is drawn down to the
    # base, and the layers below paint over it
    pairs.sort(key=lambda p: (p[0].kind != "area", _top_row(renders[p[1]].line)))
    for s, name in pairs:
        canvas[renders[name].line] = s.color[:3]
    return canvas


def _top_row(mask: np.ndarray) -> float:
    """The mean top row of a drawn mask over its columns (image rows count down)."""
    cols = mask.any(axis=0)
    if not cols.any():
        return 0.0
    return float(np.argmax(mask[:, cols], axis=0).mean())


def _overlay_image(
    image: np.ndarray, renders: dict[str, SeriesRender], seg: Segmentation, names: list[str]
) -> np.ndarray:
    """The original faded to light grey, with a diff of the series pixels on top.

    Matched line/marker pixels are dark grey, matched band pixels mid grey; original series
    pixels the re-render does not come near are green (missed), re-rendered pixels no original
    series pixel is near are magenta (extra).
    """
    grey = image.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    faded = (255.0 - 0.25 * (255.0 - grey)).astype(np.uint8)
    out = np.repeat(faded[:, :, None], 3, axis=2)
    box = seg.box
    lines = np.zeros(seg.ink.shape, bool)
    bands = np.zeros_like(lines)
    drawn = np.zeros_like(lines)
    for n in names:
        lines |= seg.line_masks[n]
        band = seg.band_masks[n]
        if band is not None:
            bands |= band
        drawn |= _crop(renders[n].mask, box)
    orig = lines | bands
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    near_drawn = _near(drawn, kernel)
    near_orig = _near(orig, kernel)
    view = out[box.top : box.bottom, box.left : box.right]
    view[bands & near_drawn] = (185, 185, 185)
    view[lines & near_drawn] = (50, 50, 50)
    view[orig & ~near_drawn] = _MISSED
    view[drawn & ~near_orig] = _EXTRA
    return out


def _draw_recovered_axes(ax: Any, result: ChartResult) -> None:
    """The recovered plot-area frame and the ticks the axis maps were fitted on."""
    b = result.layout.plot_area
    ax.add_patch(_rect(b))
    tick = 5
    # horizontal bars: the result's x (categories) is the image's vertical axis
    across, up = (result.y_axis, result.x_axis) if _horizontal(result) else (
        result.x_axis, result.y_axis)
    for t in across.ticks:
        color = "black" if t.inlier else "red"
        ax.plot([t.pixel, t.pixel], [b.bottom - 0.5, b.bottom - 0.5 + tick], color=color, lw=1)
        ax.text(t.pixel, b.bottom + tick + 1, _tick_text(across, t.value), ha="center",
                va="top", fontsize=11, color=color, clip_on=True)
    for t in up.ticks:
        color = "black" if t.inlier else "red"
        ax.plot([b.left - 0.5 - tick, b.left - 0.5], [t.pixel, t.pixel], color=color, lw=1)
        ax.text(b.left - tick - 2, t.pixel, _tick_text(up, t.value), ha="right",
                va="center", fontsize=11, color=color, clip_on=True)


def _tick_text(axis: AxisMap, value: float) -> str:
    """A tick value as the recovered axis reads it (so misparsed labels show)."""
    text = axis.format(value)
    return f"{text:g}" if isinstance(text, float) else str(text)


def _rect(b: Box) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((b.left - 0.5, b.top - 0.5), b.width, b.height, fill=False,
                     edgecolor="black", linewidth=1)


def _captions(
    fig: Figure,
    result: ChartResult,
    names: list[str],
    scores: dict[str, Any],
    fw: int,
    fh: int,
    caption_h: int,
) -> None:
    y = caption_h - 4
    head = (f"agreement {scores['score']:.2f}   unexplained ink {scores['unexplained']:.0%}   "
            f"(tolerance {scores['tolerance_px']} px, Lab dE {scores['delta_e']:g}; "
            f"score = {LINE_WEIGHT:g} line F1 + {BAND_WEIGHT:g} band F1)")
    fig.text(6 / fw, y / fh, head, va="top", fontsize=13, weight="bold")
    for s, name in zip(result.series, names, strict=True):
        y -= _LINE_H
        sc = scores["series"][name]
        text = (f"\u25a0 {name}: {sc['score']:.2f}   line R {sc['line']['recall']:.2f} "
                f"P {sc['line']['precision']:.2f}")
        if sc["band"] is not None:
            text += f"   band R {sc['band']['recall']:.2f} P {sc['band']['precision']:.2f}"
        fig.text(6 / fw, y / fh, text, va="top", fontsize=13, color=_mpl_color(s.color))
