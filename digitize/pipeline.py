"""The one place the stages are wired: image -> layout -> calibration -> legend -> colours ->
extraction -> result."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np
from scipy import ndimage

from . import colors, drawworker, morphology
from .calibrate import AxisMap, Tick, calibrate
from .colors import Palette, SeriesColor
from .confidence import assess
from .deskew import straighten
from .errors import NotAChartError
from .extract import areas, continuity, dashes, shapes
from .extract import bars as barx
from .extract.bands import band_edges
from .extract.errorbars import ErrorBar, column_run, find_error_bars
from .extract.lines import line_points, regular_grid
from .extract.markers import (
    ANCHOR_OFFSET,
    MIN_SCATTER_BLOBS,
    STROKE_CODES,
    Marker,
    centre_strokes,
    find_crosses,
    find_markers,
    find_scatter_markers,
    learn_marker,
    line_half_width,
    lone_marker,
    marker_coverage,
    marker_radius,
    scatter_like,
)
from .geometry import Box
from .image import jpeg_quality, load_image, reduce_resolution
from .layout import Layout, find_layout
from .legend import Legend, LegendEntry, find_legend, swatch_ink
from .limits import Deadline
from .result import ChartResult, Point, Series

if TYPE_CHECKING:
    from .render import Drawer

WORK_PIXELS = 6_000_000  # a chart has nothing finer than this resolves; memory stays < 1 GB
SHARED_INK = 6.0  # legend swatches closer than this (CIELAB dE) are one ink
STYLED_INK = 9.0  # ... and closer than this when their swatches differ in marker or dashes


@dataclass
class Options:
    """User overrides for what OCR may miss."""

    x_range: tuple[float, float] | None = None
    y_range: tuple[float, float] | None = None
    x_scale: str | None = None
    y_scale: str | None = None
    max_pixels: int = 50_000_000
    work_pixels: int = WORK_PIXELS  # larger images are read at a reduced resolution
    agreement: bool = True
    time_budget: float | None = 120.0  # seconds for the whole chart; None for no limit
    deskew: bool = True  # undo a mild rotation / uneven lighting (photos and scans)


def read(source: Any, **options: Any) -> ChartResult:
    """Digitize one chart.

    Parameters
    ----------
    source : str, Path, bytes, PIL.Image.Image or ndarray
        The chart image.
    **options
        ``x_range``/``y_range`` ``(lo, hi)``, ``x_scale``/``y_scale`` to override what the
        tick labels say; ``max_pixels`` to raise the size limit; ``agreement=False`` to skip
        the self-check; ``work_pixels`` (default 6 million) above which the image is read
        at a reduced resolution (bounded memory and time); ``deskew=False`` to skip
        straightening (rotation up to ±6°) and lighting correction; ``time_budget`` seconds
        (default 120, None for none) after which a stage stops the work with
        :class:`~digitize.limits.TimeLimitError`.

    Returns
    -------
    ChartResult
        Series with data points, the fitted axes, legend names, warnings and confidence.
    """
    opts = Options(**options)
    deadline = Deadline(opts.time_budget)
    # matplotlib, for the self-check, is imported by a helper process meanwhile
    drawer = drawworker.start() if opts.agreement else None
    with deadline.stage("loading the image"):
        rgb = load_image(source, max_pixels=opts.max_pixels)
    with deadline.stage("reducing the image"):
        rgb, scale = reduce_resolution(rgb, opts.work_pixels)
    straight = None
    if opts.deskew:
        with deadline.stage("straightening the image"):
            straight = straighten(rgb, jpeg_quality(source))
            rgb = straight.rgb
    with deadline.stage("finding the plot area"):
        layout = find_layout(rgb)
    with deadline.stage("calibrating the axes"):
        x_axis, y_axis = calibrate(
            rgb,
            layout,
            x_range=opts.x_range,
            y_range=opts.y_range,
            x_scale=opts.x_scale,
            y_scale=opts.y_scale,
        )
    with deadline.stage("reading the legend"):
        legend = find_legend(rgb, layout)
    if legend.title_row:
        layout = replace(layout, title=None)
    with deadline.stage("extracting the series"):
        result = extract_series(rgb, layout, legend, x_axis, y_axis, deadline=deadline)
    result.source = str(source) if isinstance(source, (str, Path)) else None
    # (the axes as used: a bar chart makes month names under its bars categories again)
    result.warnings[:0] = result.x_axis.warnings + result.y_axis.warnings
    if scale != 1.0:
        result.image_scale = scale
        result.warnings.insert(0, f"large image read at {scale:.3g} of its size "
                                  "(pixel coordinates are of the reduced image)")
    if straight is not None:
        result.deskew_angle = straight.angle
        result.lighting_flattened = straight.flattened
        result.warnings[:0] = straight.warnings or []
    if opts.agreement and result.series:
        with deadline.stage("checking the extraction"):
            _score(result, drawer.draw if drawer is not None else None)
            assess(result, len(legend.entries), [e.label for e in legend.entries],
                   {e.label: e.rival for e in legend.entries if e.rival is not None})
    return result


def _score(result: ChartResult, drawer: Drawer | None = None) -> None:
    """Re-render the extraction and attach agreement scores and per-series confidence."""
    from .render import agreement

    try:
        scores = agreement(result, drawer=drawer)
    except Exception as exc:  # noqa: BLE001 - the self-check must never sink the extraction
        result.warnings.append(f"self-check failed: {exc}")
        return
    result.agreement = scores
    unexplained = scores.get("unexplained") if isinstance(scores, dict) else None
    if isinstance(unexplained, float) and unexplained > 0.1:
        result.warnings.append(
            f"{unexplained:.0%} of the coloured pixels are explained by no series: "
            "series count uncertain"
        )
    per_series = scores.get("series", {}) if isinstance(scores, dict) else {}
    for s in result.series:
        entry = per_series.get(s.name)
        if isinstance(entry, dict) and "score" in entry:
            s.confidence = round(float(entry["score"]), 3)
            if s.confidence < 0.5:
                s.warnings.append(f"low agreement with the image ({s.confidence:.2f})")


def plot_area_valid(
    layout: Layout, legend: Legend, crop: np.ndarray, lab: np.ndarray | None = None
) -> np.ndarray:
    """Pixels of the plot area that hold data: frame lines left at its edges, the legend
    box (if inside) and axis lines drawn across the plot with their labels are masked out."""
    pa = layout.plot_area
    valid = np.ones((pa.height, pa.width), dtype=bool)
    if lab is None:
        lab = colors.to_lab(crop)
    background = colors.dominant_color(crop)
    # a fill over most of the plot may outnumber the background: the colour just inside
    # the frame is no frame line either
    rim = colors.dominant_color(crop, _rim_mask(crop.shape[:2], inset=4))
    far = (colors.lab_distance(lab, background) > 10) & (colors.lab_distance(lab, rim) > 10)
    for k in range(min(4, pa.height // 4)):
        for row in (k, pa.height - 1 - k):
            if far[row].mean() > 0.6:
                valid[row] = False
    for k in range(min(4, pa.width // 4)):
        for col in (k, pa.width - 1 - k):
            if far[:, col].mean() > 0.6:
                valid[:, col] = False
    if legend.box is not None and legend.box.intersects(pa):
        valid[_crop_slices(legend.box, pa)] = False
    for mark in layout.inner_marks:
        if mark.intersects(pa):
            valid[_crop_slices(mark, pa)] = False
    for cells in _inward_ticks(far, layout):
        valid[cells] = False
    return valid


INWARD_TICK = 0.03  # share of the plot's shorter side an inward tick mark runs at most


def _inward_ticks(far: np.ndarray, layout: Layout) -> list[tuple[slice, slice]]:
    """The cells (rows, columns of the plot-area crop) of tick marks drawn inward from the
    frame (matplotlib's classic style, gnuplot): at each tick's position, a thin stroke of
    ``far`` (ink off the background) running from a side of the plot no further than
    ``INWARD_TICK`` of it. A black series would take them for its own ink.

    Parameters
    ----------
    far : ndarray of bool
        The plot-area crop's pixels unlike its background.
    layout : Layout
        Its tick positions (image coordinates) and plot area.
    """
    pa = layout.plot_area
    h, w = far.shape
    reach = max(4, int(INWARD_TICK * min(h, w)))
    cells = []
    for ticks, offset, across in ((layout.x_ticks, pa.left, False), (layout.y_ticks, pa.top, True)):
        band = far.T if across else far  # rows run away from the tick's edges
        for t in ticks:
            c = int(round(t - offset))
            if not 3 <= c < band.shape[1] - 3:
                continue
            for flipped in (False, True):
                edge = band[::-1] if flipped else band
                frame = _frame_rows(edge)
                n = _stroke_from_edge(edge[frame:], c, reach)
                if n == 0:
                    continue
                n += frame
                rows = slice(band.shape[0] - n - 1, None) if flipped else slice(0, n + 1)
                cols = slice(c - 2, c + 3)
                cells.append((cols, rows) if across else (rows, cols))
    return cells


def _frame_rows(edge: np.ndarray) -> int:
    """How many of ``edge``'s first rows (at most 4) are a frame line: ink along most of it."""
    k = 0
    while k < min(4, len(edge)) and edge[k].mean() > 0.6:
        k += 1
    return k


def _stroke_from_edge(edge: np.ndarray, c: int, reach: int) -> int:
    """Length of a thin stroke across ``edge``'s first rows at column ``c`` (0 for none): ink
    at ``c`` (or beside it) on consecutive rows from the first, ending within ``reach``
    rows, alone: no ink 3 columns off either side nor just past its end (not a line along
    the edge, nor one across the plot, nor a data line meeting the edge there)."""
    on = edge[: reach + 2, c - 1 : c + 2].any(axis=1)
    n = int(np.argmin(on)) if not on.all() else len(on)
    if n < 2 or n > reach:
        return 0
    # a data line running through the mark's cell touches its rim: the mark stays data
    rim = edge[:n, c - 3].any() or edge[:n, c + 3].any() or edge[n, c - 3 : c + 4].any()
    return 0 if rim else n


def _crop_slices(box: Box, pa: Box, pad: int = 0) -> tuple[slice, slice]:
    """The rows and columns of ``box`` (image coordinates, grown by ``pad``) in the crop of
    the plot area ``pa``."""
    return (slice(max(0, box.top - pa.top - pad), max(0, box.bottom - pa.top + pad)),
            slice(max(0, box.left - pa.left - pad), max(0, box.right - pa.left + pad)))


UNDER_LEGEND_MIN = 15  # pixels of series colour seen through a legend box to un-blend it


def unblend_legend(
    crop: np.ndarray, valid: np.ndarray, legend: Legend, layout: Layout, palette: colors.Palette
) -> tuple[np.ndarray, np.ndarray] | None:
    """The plot area with a translucent legend box taken off the data under it.

    A legend face of opacity ``a`` drawn over the data shows ``p = a*face + (1-a)*data``; where
    the plain background shows through, ``F = a*face + (1-a)*P``, so ``data = P + (p - F) /
    (1-a)``. ``1-a`` is read from the box's coloured pixels (outside the entries' swatches and
    labels): each is a step from ``F`` along some chromatic series' direction ``c - P``, and
    the strongest steps (marker cores) are ``1-a`` of it. An opaque legend (nothing coloured
    seen through it) is left masked.

    Parameters
    ----------
    crop : np.ndarray
        The plot area, RGB.
    valid : np.ndarray
        Its data pixels (see :func:`plot_area_valid`): the legend box is masked out.
    legend, layout, palette
        The legend found, the chart's layout and the plot area's colours.

    Returns
    -------
    tuple of np.ndarray or None
        The un-blended crop and the valid mask with the box opened (swatches, labels and
        the box's rim still masked), or None where the box is not translucent over data.
    """
    pa = layout.plot_area
    b = legend.box
    if b is None or not legend.entries or not b.intersects(pa):
        return None
    rows, cols = _crop_slices(b, pa)
    r0, r1 = rows.start, min(pa.height, rows.stop)
    c0, c1 = cols.start, min(pa.width, cols.stop)
    if r1 - r0 < 8 or c1 - c0 < 8:
        return None
    box = np.zeros(valid.shape, bool)
    box[r0:r1, c0:c1] = True
    keep = box.copy()  # stays masked: the entries and the box's rim
    rim = 3
    keep[r0 + rim : r1 - rim, c0 + rim : c1 - rim] = False
    text = np.zeros(valid.shape, bool)  # the labels: their strokes are masked, not the gaps
    for e in legend.entries:
        keep[_crop_slices(e.swatch_box, pa, pad=3)] = True
        text[_crop_slices(e.text_box, pa, pad=3)] = True
    inner = box & ~keep
    if inner.sum() < 50:
        return None
    face = np.asarray(colors.dominant_color(crop, inner), float)
    back = np.asarray(palette.background, float)
    pix = crop[inner].astype(float) - face
    steps = []
    for sc in palette.series:
        v = np.asarray(sc.color, float) - back
        if float(np.ptp(np.asarray(sc.color, float))) < 40 or float(v @ v) < 900:
            continue  # neutral inks step like text and frame lines: no measure of the face
        t = pix @ v / float(v @ v)
        off = np.linalg.norm(pix - t[:, None] * v, axis=1)
        aligned = (t > 0.04) & (off < 0.2 * np.linalg.norm(pix, axis=1) + 3)
        steps.append(t[aligned])
    got = np.concatenate(steps) if steps else np.zeros(0)
    if got.size < UNDER_LEGEND_MIN:
        return None
    through = float(np.percentile(got, 90))  # 1 - a
    if not 0.08 <= through <= 0.7:
        return None
    # only the faint: a full-strength pixel in the box lies outside the face (the box is
    # padded past the frame) or is a label's ink
    reach = max(float(np.linalg.norm(np.asarray(sc.color, float) - back))
                for sc in palette.series)
    step = np.linalg.norm(crop.astype(float) - face, axis=2)
    faint = box & (step <= 1.3 * through * reach)
    out = crop.copy()
    seen = back + (crop[faint].astype(float) - face) / through
    out[faint] = np.clip(np.round(seen), 0, 255).astype(crop.dtype)
    strokes = text & morphology.dilate(box & ~faint, 1)
    return out, valid | (inner & faint & ~strokes)


OWN_LABEL = 0.6  # share of a label box's ink in its entry's colour: a label written in it


def open_legend_ink(
    crop: np.ndarray, lab: np.ndarray, valid: np.ndarray, legend: Legend, layout: Layout,
    palette: colors.Palette,
) -> np.ndarray:
    """``valid`` with a series' ink at full strength inside the legend box opened.

    A legend is drawn over the data: inside its box only the entries' swatches show a series'
    own colour (data under a translucent face is a faint tint: :func:`unblend_legend`). A
    chromatic series' colour elsewhere in the box is data drawn there: a box taken for a
    legend where words were misread over a clump of markers, or padded past the legend's
    frame. Those pixels, and a pixel round them (antialiased rims), are opened; the swatches
    (grown by 3 px) stay masked, and so do labels written in their series' colour.

    Parameters
    ----------
    crop, lab : np.ndarray
        The plot area, RGB and Lab.
    valid : np.ndarray
        Its data pixels (see :func:`plot_area_valid`).
    legend, layout, palette
        The legend found, the chart's layout and the plot area's colours.

    Returns
    -------
    np.ndarray
        ``valid``, or a copy with those pixels set.
    """
    pa = layout.plot_area
    b = legend.box
    if b is None or not legend.entries or not b.intersects(pa):
        return valid
    box = np.zeros(valid.shape, bool)
    box[_crop_slices(b, pa)] = True
    inks = [sc.color for sc in palette.series if float(np.ptp(np.asarray(sc.color, float))) >= 40]
    if not inks:  # neutral inks only: the frame's and the labels' look the same
        return valid
    near = [colors.lab_distance(lab, c) < colors.SAME_COLOR for c in inks]
    vivid = np.any(near, axis=0)
    keep = np.zeros(valid.shape, bool)
    for e in legend.entries:
        keep[_crop_slices(e.swatch_box, pa, pad=3)] = True
        # a label written in its series' colour is no data: most of the ink in its box is
        # the entry's own colour (of all ink: data of that colour crossing a label written in
        # another is most of the box's chromatic ink)
        rows, cols = _crop_slices(e.text_box, pa)
        own = colors.lab_distance(lab[rows, cols], e.color) < colors.SAME_COLOR
        ink = colors.lab_distance(lab[rows, cols], palette.background) > colors.STRONG_INK
        if own.sum() > OWN_LABEL * max(1, int((ink | own).sum())):
            keep[_crop_slices(e.text_box, pa, pad=3)] = True
    region = box & ~keep & ~valid
    vivid &= region
    if vivid.sum() < UNDER_LEGEND_MIN:
        return valid
    return valid | (morphology.dilate(vivid, 1) & region)


def build_palette(
    crop: np.ndarray, lab: np.ndarray, valid: np.ndarray, legend: Legend, layout: Layout
) -> tuple[Palette, list[int], dict[int, list[int]]]:
    """Background, grid and series colours; returns the palette, per palette series the
    index of its legend entry (-1 where it was discovered without a legend), and for a
    series whose ink other entries share too, those entries' indices."""
    background = _background(crop, lab, valid, legend)
    grid = _grid_color(crop, lab, background, valid)
    ink = (colors.lab_distance(lab, background) > 4) & valid
    clusters = colors.color_clusters(crop, ink)
    total = int(valid.sum())
    series: list[SeriesColor] = []
    owners: list[int] = []
    sharing: dict[int, list[int]] = {}
    listed = [e.color for e in legend.entries]
    # a swatch in a band's pale tint of a plot ink names that ink, with the tint as band
    tints = [colors.tinted_ink(e.color, clusters, background,
                               [c for j, c in enumerate(listed) if j != k], lab, valid,
                               solid=e.faint) for k, e in enumerate(legend.entries)]
    tints = _one_opacity(legend.entries, tints)
    for k, entry in enumerate(legend.entries):
        # the legend swatch colour must be in the plot area to count
        ink = entry.color
        tinted = tints[k]
        band: tuple[colors.RGB | None, float | None] = (None, None)
        if tinted is not None:
            band = (ink, tinted[1])
            ink = tinted[0]
        elif entry.faint and not _pale_strokes(lab, valid, ink, clusters, background):
            # a faint patch names a series through the ink it is a tint of only, or where
            # the plot draws lines in its very colour (the lightest of a sequential palette)
            continue
        present = ((colors.lab_distance(lab, ink) < colors.SAME_COLOR) & valid).sum()
        if present < 8:
            continue
        ink_lab = colors.to_lab(np.array(ink, np.uint8).reshape(1, 1, 3))
        twin = next((i for i, s in enumerate(series)
                     if _one_ink(float(colors.lab_distance(ink_lab, s.color)[0, 0]), entry,
                                 legend.entries[owners[i]])), None)
        if twin is not None and entry.faint:
            continue  # a band's own entry (matplotlib's fill_between) beside its line's
        if twin is not None:  # one ink for several entries: told apart by marker, or not at all
            sharing.setdefault(twin, []).append(k)
            continue
        series.append(SeriesColor(ink, *band))
        owners.append(k)
    _fringe_inks_shared(lab, valid, legend, series, owners, sharing, background)
    # inks the legend does not list (a legend misread, or one that lists some series only)
    # are series too
    colors.find_band_colors(clusters, background, series, total, lab, valid)
    unlisted = colors.discover_series_colors(
        clusters, background, grid, total, lab, valid, known=[s.color for s in series],
        known_bands=[s.band_color for s in series if s.band_color is not None])
    series += unlisted
    owners += [-1] * len(unlisted)
    colors.find_sandwich_bands(clusters, background, grid, series, total, lab, valid)
    colors.find_band_colors(clusters, background, series, total, lab, valid)
    # a colour where two series' bands overlap is no series of its own
    unlisted_at = [k for k, o in enumerate(owners) if o < 0]
    crossed = set(colors.band_overlaps(series, background, lab, valid, unlisted_at))
    # so is a gridline seen through a band
    crossed |= set(colors.seen_through_bands(series, background, lab, valid, unlisted_at))
    if crossed:
        series = [s for k, s in enumerate(series) if k not in crossed]
        owners = [o for k, o in enumerate(owners) if k not in crossed]
    overlaps = colors.find_fill_overlaps(series, background, lab, valid,
                                         [k for k, o in enumerate(owners) if o < 0])
    if overlaps:  # the overlap's colour is ink of both fills, no series of its own
        gone = {color for color, _, _ in overlaps}
        keep = [k for k, s in enumerate(series) if s.color not in gone]
        index = {old: new for new, old in enumerate(keep)}
        overlaps = [(color, index[i], index[j]) for color, i, j in overlaps
                    if i in index and j in index]
        series = [series[k] for k in keep]
        owners = [owners[k] for k in keep]
        sharing = {index[k]: v for k, v in sharing.items() if k in index}
    return Palette(background=background, grid=grid, series=series,
                   overlaps=overlaps), owners, sharing


PALE_STROKE_DE = 4.0  # CIELAB dE: pixels of a pale colour drawn as such (rounding aside)
PALE_STROKE_SOLIDITY = 0.3  # share of them a 3x3 erosion keeps, at most: strokes, no band
PALE_TINT_RESIDUAL = 6.0  # RGB: a colour this near a blend of an ink and the face is its tint


def _pale_strokes(lab: np.ndarray, valid: np.ndarray, color: colors.RGB,
                  clusters: list[colors.ColorCluster], background: colors.RGB) -> bool:
    """Whether the plot draws strokes (lines, markers' arms) in the pale ``color`` itself:
    no tint of a strong plot ink (``clusters``) over the ``background`` (a band's or a
    line's rim), as many of its pixels as an ink needs, few of them left by an erosion (a
    band's fill of that colour is solid; a faint patch at a band's opacity names the band's
    ink)."""
    bg_lab = colors.to_lab(np.array(background, np.uint8).reshape(1, 1, 3))
    for cl in clusters:
        if float(colors.lab_distance(bg_lab, cl.color)[0, 0]) < colors.STRONG_INK:
            continue
        alpha, residual = colors.blend_alpha(color, background, cl.color)
        if 0.05 < alpha < 0.95 and residual < PALE_TINT_RESIDUAL:
            return False
    least = max(50, int(colors.MIN_BAND_SHARE * int(valid.sum())))
    if int(((colors.lab_distance(lab, color) < PALE_STROKE_DE) & valid).sum()) < least:
        return False
    return colors.solidity(lab, color, valid, tol=PALE_STROKE_DE) < PALE_STROKE_SOLIDITY


FAINT_ALPHA_SPREAD = 0.02  # opacity by which a legend's faint patches may differ


def _one_opacity(entries: list[LegendEntry], tints: list[tuple[colors.RGB, float] | None]
                 ) -> list[tuple[colors.RGB, float] | None]:
    """``tints`` (per entry, the ink its swatch is a tint of and the opacity, or None)
    without those of faint entries whose opacity is more than :data:`FAINT_ALPHA_SPREAD`
    from the faint entries' median: a legend draws its pale patches at one opacity (the
    bands'), so a patch taken for a tint at another was given the wrong ink (a shade of
    its hue: a sequential palette's inks are tints of one another)."""
    alphas = [t[1] for e, t in zip(entries, tints, strict=True) if e.faint and t is not None]
    if len(alphas) < 2:
        return tints
    middle = float(np.median(alphas))
    return [None if e.faint and t is not None and abs(t[1] - middle) > FAINT_ALPHA_SPREAD
            else t for e, t in zip(entries, tints, strict=True)]


RIM_SHARE = 0.5  # a colour owning this much of the plot's rim is the background


def _background(crop: np.ndarray, lab: np.ndarray, valid: np.ndarray, legend: Legend
                ) -> colors.RGB:
    """The plot area's background: its commonest colour, unless a legend entry is drawn in
    it (an opaque filled area covering most of the plot), then the commonest of the rest.

    Without a legend naming it, a fill covering most of the plot is told from the
    background by the plot's rim: data keeps off at least part of the edges (axis margins),
    so the colour owning most of the rim is the background."""
    background = colors.dominant_color(crop, valid)
    # (a faint patch's colour lies near the background: no opaque fill's)
    listed = [e.color for e in legend.entries if not e.faint]
    bg_lab = colors.to_lab(np.array(background, np.uint8).reshape(1, 1, 3))
    if not any(colors.lab_distance(bg_lab, c)[0, 0] < colors.SAME_COLOR for c in listed):
        return _rim_background(crop, lab, valid, background)
    rest = valid.copy()
    for c in listed:
        rest &= colors.lab_distance(lab, c) >= colors.SAME_COLOR
    if rest.sum() < 0.02 * valid.sum():
        return background
    return colors.dominant_color(crop, rest)


def _rim_mask(shape: tuple[int, ...], inset: int) -> np.ndarray:
    """A ring of depth max(3, 1% of the smaller side) ``inset`` px inside an area of
    ``shape``."""
    h, w = shape[0], shape[1]
    depth = max(3, min(h, w) // 100)
    rim = np.zeros((h, w), bool)
    rim[inset:inset + depth, inset:w - inset] = True
    rim[h - inset - depth:h - inset, inset:w - inset] = True
    rim[inset:h - inset, inset:inset + depth] = True
    rim[inset:h - inset, w - inset - depth:w - inset] = True
    return rim


def _rim_background(crop: np.ndarray, lab: np.ndarray, valid: np.ndarray,
                    commonest: colors.RGB) -> colors.RGB:
    """``commonest``, or the colour owning most of the plot's rim where that is a large part
    of the plot too."""
    rim = _rim_mask(valid.shape, inset=2) & valid
    if rim.sum() < 50:
        return commonest
    candidate = colors.dominant_color(crop, rim)
    same = colors.lab_distance(lab, candidate) < colors.SAME_COLOR
    if same[rim].mean() < RIM_SHARE or same[valid].mean() < 0.1:
        return commonest
    return candidate


def _drop_swatch_inks(rgb: np.ndarray, legend: Legend, palette: Palette,
                      owners: list[int]) -> None:
    """Drop the inks found without a legend entry that a listed entry's swatch is drawn in
    too (an entry whose own colour is in the plot): the line of a series whose swatch colour
    is its markers' (Excel's blue line through red square markers), not a series of its own.
    ``palette`` and ``owners`` are edited."""
    listed = [legend.entries[o] for o in owners if o >= 0]
    keep = [k for k, (s, owner) in enumerate(zip(palette.series, owners, strict=True))
            if owner >= 0 or not _in_swatches(rgb, listed, s.color)]
    palette.series[:] = [palette.series[k] for k in keep]
    owners[:] = [owners[k] for k in keep]


def _name_by_elimination(series: list[Series], legend: Legend, unnamed: list[Series]) -> None:
    """Give the one series found without a legend entry (of ``unnamed``, named by order)
    the one entry's label no series was given: the legend lists the series, and that
    entry's swatch colour was not found as a series in the plot because its ink shows
    otherwise there (a translucent layer drawn over another, its swatch over the legend's
    face). Pale band patches (faint entries) name no series on their own and are left out."""
    found = [s for s in series if any(s is u for u in unnamed)]
    names = {s.name for s in series}
    left = [e.label for e in legend.entries if not e.faint and e.label not in names]
    if len(found) == 1 and len(left) == 1:
        found[0].name = left[0]


def _in_swatches(rgb: np.ndarray, entries: list[LegendEntry], color: colors.RGB) -> bool:
    """Whether ``color`` draws part of a legend entry's handle: within the swatch's rows, a
    run of it at least half the swatch's height long beside or through the swatch box."""
    h, w = rgb.shape[:2]
    for entry in entries:
        sw, tx = entry.swatch_box, entry.text_box
        reach = 2 * max(sw.width, sw.height)
        left, right = max(0, sw.left - reach), min(w, sw.right + reach)
        if tx.left >= sw.right:
            right = min(right, tx.left)
        else:
            left = max(left, tx.right)
        rows = rgb[max(0, sw.top) : min(h, sw.bottom + 1), left:right]
        if rows.size == 0:
            continue
        near = colors.lab_distance(colors.to_lab(rows), color) < colors.SAME_COLOR
        if near.sum(axis=1).max() >= max(3, 0.5 * sw.height):
            return True
    return False


FRINGE_REACH = 2  # px from another ink within which an ink is that ink's anti-aliased edge
FRINGE_SHARE = 0.9  # share of an ink's plot pixels on another's edge that makes it that ink
FRINGE_CORE = 0.1  # share of a fringe's pixels left by an erosion (edges are 1 px wide)


def _edge_colour_of(color: colors.RGB, ink: colors.RGB, background: colors.RGB) -> bool:
    """Whether ``color`` is a blend of ``ink`` with ``background`` (within
    ``FRINGE_OFF_BLEND`` RGB units of the segment between them, short of the background):
    the colour of the ink's anti-aliased edges."""
    return _on_the_way(*(np.asarray(v, float) for v in (color, ink, background)),
                       FRINGE_OFF_BLEND)


def _diluted_colour_of(color: colors.RGB, ink: colors.RGB, background: colors.RGB) -> bool:
    """Whether ``color`` is ``ink`` with its chroma diluted towards the ``background``'s at
    the ink's lightness (CIELAB L within ``JPEG_LIGHTNESS``, (a, b) within
    ``JPEG_OFF_BLEND`` of the blend of the two chromas): a JPEG keeps chroma at a coarser
    scale than lightness, so a thin stroke (a dash-dot line) reads greyer than its ink."""
    c, a, b = (colors.to_lab(np.array(v, np.uint8).reshape(1, 1, 3))[0, 0].astype(float)
               for v in (color, ink, background))
    return abs(c[0] - a[0]) < JPEG_LIGHTNESS and _on_the_way(c[1:], a[1:], b[1:],
                                                             JPEG_OFF_BLEND)


def _on_the_way(c: np.ndarray, a: np.ndarray, b: np.ndarray, reach: float) -> bool:
    """Whether ``c`` lies within ``reach`` of the segment from ``a`` to ``b``, short of
    ``b``."""
    d = b - a
    t = float(np.clip((c - a) @ d / max(float(d @ d), 1.0), 0.0, 1.0))
    return t < 0.9 and float(np.linalg.norm(c - (a + t * d))) < reach


FRINGE_OFF_BLEND = 12.0  # RGB distance from the ink-background blend an edge colour may have
JPEG_LIGHTNESS = 5.0  # CIELAB L difference of a JPEG's diluted stroke from its ink, at most
JPEG_OFF_BLEND = 6.0  # CIELAB (a, b) distance from the ink-background chroma blend, at most


def _fringe_inks_shared(lab: np.ndarray, valid: np.ndarray, legend: Legend,
                        series: list[SeriesColor], owners: list[int],
                        sharing: dict[int, list[int]], background: colors.RGB) -> None:
    """Merge into another listed ink each listed ink that is that ink seen on a thin
    stroke, where the two swatches differ in marker or dash pattern: a
    thin dotted or dashed swatch, or a thin cross marker, reads lighter than the solid line
    of the same colour (black reads dark grey). Either a blend of the ink with the
    ``background`` (:func:`_edge_colour_of`) that the plot holds only as a one-pixel fringe
    (an erosion leaves under ``FRINGE_CORE`` of it) on the solid ink's anti-aliased edges,
    or a JPEG's diluted chroma (:func:`_diluted_colour_of`) picking out mostly
    (``FRINGE_SHARE``) the ink's own pixels. Its entry then shares the
    other's ink (see :func:`build_palette`). ``series``, ``owners`` and ``sharing`` are
    edited."""
    if len(series) < 2:
        return
    masks = [(colors.lab_distance(lab, s.color) < colors.SAME_COLOR) & valid for s in series]
    biggest_first = sorted(range(len(series)), key=lambda j: -int(masks[j].sum()))
    gone: set[int] = set()
    for i in range(len(series)):
        a = legend.entries[owners[i]]
        for j in biggest_first:
            b = legend.entries[owners[j]]
            if j == i or j in gone:
                continue
            styled = a.marker != b.marker or not dashes.same_pattern(a.dashes, b.dashes)
            if not styled:
                continue
            own = masks[i] & ~masks[j]
            both = int((masks[i] & masks[j]).sum())
            # a JPEG's greyer stroke: the two colours pick out mostly the same pixels
            diluted = both >= FRINGE_SHARE * min(masks[i].sum(), masks[j].sum()) and (
                _diluted_colour_of(series[i].color, series[j].color, background))
            # an edge's fringe: one pixel wide, on the other ink's edges
            fringe = own.any() and masks[j].sum() > masks[i].sum() and _edge_colour_of(
                series[i].color, series[j].color, background) and (
                ndimage.binary_erosion(own).sum() <= FRINGE_CORE * own.sum()) and (
                (own & morphology.dilate(masks[j], FRINGE_REACH)).sum()
                >= FRINGE_SHARE * own.sum())
            if diluted or fringe:
                sharing.setdefault(j, []).extend([owners[i], *sharing.pop(i, [])])
                gone.add(i)
                break
    if gone:
        keep = [k for k in range(len(series)) if k not in gone]
        index = {old: new for new, old in enumerate(keep)}
        series[:] = [series[k] for k in keep]
        owners[:] = [owners[k] for k in keep]
        moved = {index[k]: sorted(v) for k, v in sharing.items()}
        sharing.clear()
        sharing.update(moved)


def _one_ink(distance: float, a: LegendEntry, b: LegendEntry) -> bool:
    """Whether two legend swatches ``distance`` apart (CIELAB dE) are drawn in one ink: very
    close, or close and told apart by marker or dash pattern (a thin dotted swatch reads
    lighter than the solid one of the same colour; near shades of a palette share a style)."""
    if distance < SHARED_INK:
        return True
    styled = a.marker != b.marker or not dashes.same_pattern(a.dashes, b.dashes)
    return distance < STYLED_INK and styled


def _grid_color(
    crop: np.ndarray, lab: np.ndarray, background: colors.RGB, valid: np.ndarray
) -> colors.RGB | None:
    """The colour of gridlines: rows/columns that are mostly one non-background colour."""
    far = colors.lab_distance(lab, background) > 2.5
    # the plot area's own edges (frame lines just inside the box) are not gridlines
    far[:3, :] = far[-3:, :] = False
    far[:, :3] = far[:, -3:] = False
    found = []
    for axis in (0, 1):
        share = (far & valid).mean(axis=1 - axis) if axis == 0 else (far & valid).mean(axis=0)
        idx = colors.thin_runs(np.flatnonzero(share > 0.6), colors.GRID_MAX_WIDTH)
        if len(idx) and np.count_nonzero(np.diff(idx) > 1) == 0:
            continue  # one line across: a data stroke (a long error bar), not a grid
        for i in idx[:20]:
            line = crop[i, :] if axis == 0 else crop[:, i]
            m = far[i, :] if axis == 0 else far[:, i]
            found.append(colors.dominant_color(line.reshape(-1, 1, 3), m.reshape(-1, 1)))
    if not found:
        return None
    arr = np.array(found)
    return tuple(int(v) for v in np.median(arr, axis=0).round())  # type: ignore[return-value]


def extract_series(
    rgb: np.ndarray,
    layout: Layout,
    legend: Legend,
    x_axis: AxisMap,
    y_axis: AxisMap,
    *,
    deadline: Deadline | None = None,
) -> ChartResult:
    """Colour segmentation and per-series extraction inside the plot area."""
    pa = layout.plot_area
    crop = rgb[pa.top : pa.bottom, pa.left : pa.right]
    lab = colors.to_lab(crop)
    valid = plot_area_valid(layout, legend, crop, lab)
    palette, owners, sharing = build_palette(crop, lab, valid, legend, layout)
    _drop_swatch_inks(rgb, legend, palette, owners)
    result = ChartResult(
        width=rgb.shape[1],
        height=rgb.shape[0],
        layout=layout,
        x_axis=x_axis,
        y_axis=y_axis,
        legend_title=legend.title,
        grid_color=palette.grid,
        image=rgb,
    )
    if _bar_chart(result, crop, lab, valid, palette, legend):
        return result
    if not palette.series:
        raise NotAChartError("no data series found in the plot area")
    seen = unblend_legend(crop, valid, legend, layout, palette)
    if seen is not None:
        crop, valid = seen
        lab = colors.to_lab(crop)
    valid = open_legend_ink(crop, lab, valid, legend, layout, palette)
    seg = colors.segment(crop, palette, valid, lab)
    seg.line = [ink & ~rim for ink, rim in zip(seg.line, colors.foreign_rims(seg.line),
                                               strict=True)]
    if not legend.entries:
        result.warnings.append("no legend found: series named by order")

    cols = np.flatnonzero(valid.any(axis=0))
    rows = np.flatnonzero(valid.any(axis=1))
    bounds = (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
    # error bars out of each series' mask first: markers and lines are found without them
    errorbars = []
    halves: list[float] = []  # each series' stroke half-width, of the mask markers are read in
    inked = list(seg.line)  # each series' ink with its error bars (a marker's stubs)
    for i in range(len(palette.series)):
        half = line_half_width(seg.line[i])
        bars = find_error_bars(seg.line[i], half, unseen=~valid)
        if bars.bars:
            seg.line[i] = bars.cleaned
            half = line_half_width(seg.line[i])
        errorbars.append(bars)
        halves.append(half)
    # series of one ink told apart by marker: the darker edges of their markers are theirs
    marked = [_with_rims(seg.line[i], palette.series[i].color, lab, valid) if sharing.get(i)
              else seg.line[i] for i in range(len(palette.series))]
    # markers of every series first: a hidden marker is recovered from the others
    markers: list[list[Marker]] = []
    radii: list[float] = []
    scattered: list[bool] = []  # markers found as a scatter series (no line seen)
    deadline = deadline or Deadline(None)
    hidden, covering = _hidden_by(inked, valid)
    for i in range(len(palette.series)):
        deadline.check(f"finding the markers of series {i + 1}")
        entry = legend.entries[owners[i]] if owners[i] >= 0 else None
        found, radius, scatter = _series_markers(marked[i], halves[i], entry, bounds,
                                                 hidden[i], covering[i])
        markers.append(found)
        radii.append(radius)
        scattered.append(scatter)
    # a swatch showing a line and no marker: a marker too small to see past dashes is none
    plain = [owners[i] >= 0 and legend.entries[owners[i]].marker is None
             and bool(legend.entries[owners[i]].has_line) for i in range(len(palette.series))]
    _borrow_scatter_markers(seg.line, markers, radii, scattered, bounds, plain, hidden,
                            covering)

    occupied = np.zeros(valid.shape, bool)
    for i in range(len(palette.series)):
        occupied |= seg.line[i]
    # what may hide a band: any series' ink and its immediate surroundings (marker edges)
    near_ink = morphology.dilate(occupied, 2)

    jobs, shared_notes = _series_jobs(rgb, palette, legend, owners, sharing, seg, markers,
                                      halves, marked)
    line_grids: dict[int, tuple[float, float] | None] = {}  # see _shared_grid
    unnamed: list[Series] = []  # series found without a legend entry
    for i, k, own, own_mask in jobs:
        sc = palette.series[i]
        line_mask = seg.line[i] if own_mask is None else own_mask
        entry = legend.entries[k] if k >= 0 else None
        name = entry.label if entry else f"series {i + 1}"
        series = Series(
            name=name,
            color=sc.color,
            marker=(entry.marker if entry else None) or (_marker_code(own)),
            line=(entry.has_line if entry else True) and not scattered[i],
            band_color=sc.band_color,
        )
        series.warnings += shared_notes.get(i, [])
        if entry is None:
            unnamed.append(series)
        region = None
        if own_mask is None and areas.is_filled_area(line_mask):
            region = line_mask
        elif own_mask is None and sc.band_color is not None:
            # a translucent fill drawn with an edge line: the "line" is the band's outline
            region = areas.outlined_area(line_mask, seg.band[i], halves[i])
        if region is not None:
            # what a layer may rest on: any ink but its own (another layer, a blend of
            # translucent layers, an edge line)
            others = (colors.lab_distance(lab, palette.background) > 10) & valid & ~region
            _area_points(series, region, others, pa, x_axis, y_axis)
            series.overlap_colors = [c for c, a, b in palette.overlaps if i in (a, b)]
            result.series.append(series)
            continue
        if scattered[i] and own[0].shape:
            # the shape learnt from the plot's own markers beats the legend swatch's reading
            series.marker = own[0].shape
            series.marker_filled = own[0].filled
            series.marker_size = own[0].size
        pts = [(m.x, m.y, m.hidden) for m in own]
        crossed = [b for b in errorbars[i].vertical if b.crossing is not None]
        unseen: list[tuple[float, float, bool]] = []
        if len(crossed) >= 2 and len(pts) < 0.8 * len(crossed):
            # the points are where the line (or marker) crosses its error bars
            pts = [(b.centre, float(b.crossing), False) for b in crossed]  # type: ignore[arg-type]
            unseen = _bars_without_marker(errorbars[i].vertical, pts, radii[i])
            series.kind = "markers" if own else "line"
            series.sampling = "errorbars"
        elif pts:
            series.kind = "markers"
            series.sampling = "markers"
            unseen = _bars_without_marker(errorbars[i].vertical, pts, radii[i])
            # a bar's own reading beats the position of the marker that covers it
            reach = max(3.0, *radii) + 2.0
            # one of several series sharing this ink sees its own markers, the others all
            view = markers if own is markers[i] else [*markers[:i], own, *markers[i + 1:]]
            # (a scatter series has no line to run into a covering marker: no evidence)
            pts += [h for h in ([] if scattered[i] else _hidden_markers(i, view, seg, radii))
                    if not any(abs(h[0] - u[0]) <= reach for u in unseen)]
            if any(h for _, _, h in pts):
                series.warnings.append(
                    "marker hidden under another series' marker: position taken from it"
                )
            pts = marker_snap_off(
                pts, layout.x_tick_shift, layout.y_tick_shift, series.marker
            )
        else:
            # (a line cut out of a shared ink has the other line's dashes in its gaps)
            alone = own_mask is None
            traced = line_points(line_mask, tolerance=1.0, gap_corners=alone)
            if traced.sampling == "sampled":
                grid = _shared_grid(i, markers, seg.line, line_grids)
                if grid is not None:
                    traced = line_points(line_mask, tolerance=1.0, shared_grid=grid,
                                         gap_corners=alone)
            pts = [(float(x), float(y), False) for x, y in traced.points]
            series.kind = "line"
            series.sampling, series.spacing = traced.sampling, traced.spacing
        pts += unseen
        if any(h for _, _, h in unseen):
            series.warnings.append("error bar(s) with no point seen on them (hidden under "
                                   "another series): point placed at the bar's middle")
        pts.sort(key=lambda p: p[0])
        vbars, hbars = errorbars[i].vertical, errorbars[i].horizontal
        if not series.line or entry is None:
            # a legend swatch read without its line (or no legend, or markers holding all the
            # ink): a series traced as a line is one, and for markers the image says whether a
            # line joins them
            series.line = series.kind == "line" or _markers_joined(line_mask, pts, radii[i])
        passable = near_ink
        clipped_any = False
        for px, py, hidden in pts:
            top = bottom = None
            bar = _bar_at(vbars, px, radii[i])
            if bar is not None:  # a cap's centre is the end; a stroke's end is its edge
                shift = 0.5 if bar.capped else 0.0
                top, bottom = bar.low + shift, bar.high - shift
            elif vbars and series.sampling == "markers" and sc.band_color is None and not hidden:
                # a marker whose bar does not show past it: the bar is within its ink
                run = column_run(inked[i], px, py, int(3 * max(radii[i], 2.0)))
                if run is not None:
                    top, bottom = run
            elif sc.band_color is not None:
                top, bottom, clipped = band_edges(seg.band[i], passable, px, py)
                if top is None:
                    top, bottom, clipped = band_edges(
                        seg.band[i], passable, px, py, half_window=int(radii[i] + 2)
                    )
                clipped_any = clipped_any or clipped
            point = _make_point(pa, x_axis, y_axis, px, py, top, bottom, hidden)
            hbar = _hbar_at(hbars, px, py, radii[i])
            if hbar is not None:
                _set_x_error(point, pa, x_axis, hbar)
            series.points.append(point)
        if clipped_any:
            series.warnings.append("band clipped by the axes: edge reported at the axis limit")
        if sc.band_color is not None:
            series.kind = series.kind + "+band"
        if vbars:
            series.kind = series.kind + "+errorbars"
        if hbars:
            series.kind = series.kind + "+xerrorbars"
        if series.points:
            result.series.append(series)
    _name_by_elimination(result.series, legend, unnamed)
    _dedupe_names(result.series)
    return result


def _shared_grid(
    i: int, markers: list[list[Marker]], lines: list[np.ndarray],
    line_grids: dict[int, tuple[float, float] | None] | None = None,
) -> tuple[float, float] | None:
    """``(start, step)`` of the evenly spaced data ``x`` the chart's series other than ``i``
    show: their markers' centres, or the corners of a line put on a grid of its own. None
    when none shows one, or two show different ones (series sampled apart).

    ``line_grids`` keeps each line's own grid once traced (series index to grid), so that
    several sampled series of one chart trace each other line once."""
    line_grids = {} if line_grids is None else line_grids
    grids = []
    for j in range(len(lines)):
        if j == i:
            continue
        if markers[j]:
            grid = _marker_grid(markers[j])
        else:
            if j not in line_grids:
                line_grids[j] = line_points(lines[j], tolerance=1.0).grid
            grid = line_grids[j]
        if grid is not None:
            grids.append(grid)

    def agree(a: tuple[float, float], b: tuple[float, float]) -> bool:
        phase = (b[0] - a[0]) / a[1]
        return (abs(b[1] - a[1]) <= 0.01 * a[1]
                and abs(phase - round(phase)) * a[1] <= max(1.0, 0.1 * a[1]))

    if not grids:
        return None
    support = [sum(agree(g, h) for h in grids) for g in grids]
    best = int(np.argmax(support))
    if any(support[k] >= support[best] for k in range(len(grids))
           if not agree(grids[best], grids[k])):
        return None  # as many series see another grid: series sampled apart
    return grids[best]


#: least spacing (pixels) of the data ``x`` a series' markers can show
MARKER_GRID_STEP = 4.0


def _marker_grid(ms: list[Marker]) -> tuple[float, float] | None:
    """``(start, step)`` of the evenly spaced ``x`` the markers ``ms`` sit on
    (:func:`~digitize.extract.lines.regular_grid`), or None. Markers are the data points
    themselves: no stroke width to resolve."""
    xs = np.sort([m.x for m in ms])
    return regular_grid(np.column_stack([xs, np.zeros(len(xs))]), 0.0,
                        min_step=MARKER_GRID_STEP)


def _area_points(series: Series, mask: np.ndarray, others: np.ndarray, pa: Box,
                 x_axis: AxisMap, y_axis: AxisMap) -> None:
    """Fill ``series`` (in place) as a filled area (:mod:`digitize.extract.areas`): a layer
    filled down to a baseline or to ``others`` (any other ink) gives its top edge; a
    range between two curves gives both edges as ``y_lower``/``y_upper`` around their middle.
    Points at the corners of the edges, to within a pixel."""
    trace = areas.area_trace(mask)
    layer = areas.rests_on(trace, others)
    keep = areas.corners(trace.x, trace.top)
    if not layer:
        keep = np.union1d(keep, areas.corners(trace.x, trace.bottom))
    for k in keep:
        x, top, bottom = float(trace.x[k]), float(trace.top[k]), float(trace.bottom[k])
        if layer:  # the region's top row: its edge lies half a pixel above the row's centre
            series.points.append(_make_point(pa, x_axis, y_axis, x, top - 0.5, None, None,
                                             False))
        else:
            series.points.append(_make_point(pa, x_axis, y_axis, x, 0.5 * (top + bottom),
                                             top, bottom, False))
    series.kind = "area" if layer else "range"
    series.line = False
    series.marker = None
    gaps = np.diff(trace.x[keep]) if len(keep) > 1 else np.zeros(0)
    dense = gaps.size > 0 and float(np.median(gaps)) < 4.0
    series.sampling = "sampled" if dense else "vertices"
    series.spacing = float(np.mean(gaps)) if dense else None


def _series_jobs(
    rgb: np.ndarray,
    palette: Palette,
    legend: Legend,
    owners: list[int],
    sharing: dict[int, list[int]],
    seg: colors.Segmentation,
    markers: list[list[Marker]],
    halves: list[float],
    marked: list[np.ndarray],
) -> tuple[list[tuple[int, int, list[Marker], np.ndarray | None]], dict[int, list[str]]]:
    """The series to extract: (palette index, legend entry, its markers, its own line mask
    or None for the palette series' mask) each, and warnings per palette index. ``marked``:
    each series' ink its markers are read in (with their edges, :func:`_with_rims`).

    Where several legend entries share one ink (see :func:`build_palette`), their markers
    are split by the shape each swatch shows (:mod:`digitize.extract.shapes`), or, for lines
    without markers, the ink's pieces by the dash pattern each swatch shows
    (:mod:`digitize.extract.dashes`); where neither can be done, the ink is one series, named
    by its first entry, with a warning.
    """
    jobs: list[tuple[int, int, list[Marker], np.ndarray | None]] = []
    notes: dict[int, list[str]] = {}
    for i in range(len(palette.series)):
        entries = [owners[i], *sharing.get(i, [])]
        if len(entries) == 1:
            jobs.append((i, owners[i], markers[i], None))
            continue
        split = _split_by_shape(rgb, palette.series[i].color, legend, entries, marked[i],
                                markers[i], halves[i])
        if split is not None:
            split = _hidden_in_shared(seg.line[i], split)
            jobs += [(i, k, own, None) for k, own in zip(entries, split, strict=True) if own]
            lined = any(legend.entries[k].has_line for k in entries) or any(
                _markers_joined(seg.line[i], sorted((m.x, m.y, False) for m in own),
                                float(np.median([m.radius for m in own])))
                for own in split if len(own) >= 3)
            rest = _unmarked_line(seg.line[i], split, lined, halves[i])
            if rest is not None:
                k = next(k for k, own in zip(entries, split, strict=True) if not own)
                found = [m for own in split for m in own]
                on = _corners_on_grid(line_points(rest, tolerance=1.0).points, found)
                jobs.append((i, k, on, None) if on else (i, k, [], rest))
                notes[i] = [f"no marker of {legend.entries[k].label!r} found in the ink it "
                            "shares: its line is the ink the other series' lines leave"]
            continue
        masks = None
        if all(legend.entries[k].marker is None for k in entries) and not markers[i]:
            masks = dashes.split_by_dash(
                seg.line[i], [legend.entries[k].dashes for k in entries], halves[i])
        if masks is not None:
            jobs += [(i, k, [], m) for k, m in zip(entries, masks, strict=True) if m.any()]
            notes[i] = ["told apart from series of the same colour by dash pattern: points "
                        "where the lines cross or touch may be missing or given to the "
                        "other line"]
            continue
        labels = ", ".join(repr(legend.entries[k].label) for k in entries)
        notes[i] = [f"legend entries {labels} share one colour and could not be told apart "
                    "by marker or dash pattern: their ink is read as one series"]
        jobs.append((i, owners[i], markers[i], None))
    return jobs, notes


def _with_rims(ink: np.ndarray, color: colors.RGB, lab: np.ndarray, valid: np.ndarray
               ) -> np.ndarray:
    """A series' ink (the segmentation's mask, of ``color``) with the darker edges drawn
    round its markers (:func:`colors.dark_rims`): a marker edged in another colour is cut
    off its line, and smaller than its swatch's marker (read with its edge), without them.
    An edge of a dark ink may have gone to another series of that ink: it is taken all the
    same."""
    return ink | (colors.dark_rims(lab, ink, color) & valid)


def _split_by_shape(
    rgb: np.ndarray,
    color: colors.RGB,
    legend: Legend,
    entries: list[int],
    mask: np.ndarray,
    found: list[Marker],
    half: float,
) -> list[list[Marker]] | None:
    """``found`` split among legend ``entries`` by their swatches' marker shapes; None
    when the swatches show no markers, or alike ones."""
    if len(found) < 2 * len(entries):
        return None
    templates = []
    for k in entries:
        ink = swatch_ink(rgb, legend.entries[k].swatch_box, color, rims=True)
        template = None if ink is None else shapes.marker_template(ink, half)
        if template is None:
            return None
        templates.append(template)
    for a in range(len(templates)):
        for b in range(a + 1, len(templates)):
            if shapes.alike(templates[a], templates[b]):
                return None
    scores = shapes.shape_scores(mask, found, templates, half)
    owner = [int(np.argmax(row)) if row.max() >= 0.3 else -1 for row in scores]
    counts = np.bincount(np.asarray(owner, int) + 1, minlength=len(entries) + 1)[1:]
    # a line through the markers of the series the finder saw most of (a swatch's line may
    # be read as none beside a big marker)
    most = sorted((m.x, m.y, False) for m, j in zip(found, owner, strict=True)
                  if j == int(np.argmax(counts)))
    lines = (any(legend.entries[k].has_line for k in entries)
             or _markers_joined(mask, most, float(np.median([m.radius for m in found]))))
    searched = _search_by_shape(mask, templates, half, len(found), lines)
    # the markers found are blobs: a cross or an outline leaves none, a filled shape does
    bodied = {j for j, t in enumerate(templates) if shapes.solid(t, shapes.stroke_radius(half))}
    owner = _joined_by_lines(mask, found, scores, owner, lines, bodied)
    counts = np.bincount(np.asarray(owner, int) + 1, minlength=len(entries) + 1)[1:]
    if searched is not None and min(len(s) for s in searched) > counts.min():
        # the marker finder, tuned to one shape, left a series short: the swatches' own
        # shapes searched for in the ink find more of every series
        hits = [m for ms in searched for m in ms]
        owner = _joined_by_lines(mask, hits, shapes.shape_scores(mask, hits, templates, half),
                                 [j for j, ms in enumerate(searched) for _ in ms], lines,
                                 bodied)
        return [[m for m, o in zip(hits, owner, strict=True) if o == j]
                for j in range(len(entries))]
    split: list[list[Marker]] = [[] for _ in entries]
    # the markers were anchored for the first entry's shape (see _series_markers)
    first = ANCHOR_OFFSET.get(legend.entries[entries[0]].marker or "", 0.0)
    for m, j in zip(found, owner, strict=True):
        if j < 0:
            continue
        shape = legend.entries[entries[j]].marker
        dy = (ANCHOR_OFFSET.get(shape or "", 0.0) - first) * m.radius
        split[j].append(Marker(m.x, m.y + dy, m.radius, m.area, m.blob))
    return split


def _hidden_in_shared(mask: np.ndarray, split: list[list[Marker]]) -> list[list[Marker]]:
    """``split`` (the markers of series sharing the ink ``mask``, one list per series) with
    the markers hidden under another of those series' markers: where a series skips a
    column of its markers (a gap over 1.5 times its usual spacing) and its line runs
    straight from the marker before the gap into another series' marker inside it, and on
    from there (chaining across several skipped columns) into the marker after the gap, the
    series has a point there, at that marker's centre (flagged hidden). Series of one
    colour often meet (equal values): the marker drawn last hides the others."""
    out = [list(ms) for ms in split]
    near = morphology.dilate(mask, 1)
    for j, ms in enumerate(split):
        if len(ms) < 3:
            continue
        ms = sorted(ms, key=lambda m: m.x)
        r = float(np.median([m.radius for m in ms]))
        step = float(np.median(np.diff([m.x for m in ms])))
        others = sorted((m for k, o in enumerate(split) if k != j for m in o), key=lambda m: m.x)
        for a, b in zip(ms, ms[1:], strict=False):
            if b.x - a.x <= 1.5 * step:
                continue
            chain, at = [], a
            for m in others:
                if not a.x + r < m.x < b.x - r or (chain and m.x - chain[-1].x < r):
                    continue
                if continuity.link_on_ink(near, at, m, r) >= JOINED:
                    chain.append(m)
                    at = m
            if chain and continuity.link_on_ink(near, at, b, r) >= JOINED:
                out[j] += [replace(m, hidden=True) for m in chain]
    return out


def _joined_by_lines(mask: np.ndarray, found: list[Marker], scores: np.ndarray,
                    owner: list[int], lines: bool, bodied: set[int]) -> list[int]:
    """``owner`` (each marker's series by shape, -1 for none) decoded again by shape and by
    the lines joining consecutive markers (:func:`continuity.assign_by_continuity`), among
    the series shape gave markers; as it is where the markers make no columns, or where
    no swatch showed a line (``lines`` False: a legend drawn over the data hides them) and
    the decoded series' markers are not joined by lines (:func:`_markers_joined`). Where
    some series' swatches show a filled marker (``bodied``) and others a cross or an
    outline, the markers go to the filled ones only (the marker finder finds blobs)."""
    kept = [i for i, j in enumerate(owner) if j >= 0]
    series = sorted({owner[i] for i in kept})
    if bodied and len(bodied) < scores.shape[1]:
        series = sorted(bodied)
    if len(series) == 1:
        decoded: list[int] | None = [series[0]] * len(kept)
    else:
        decoded = continuity.assign_by_continuity(
            mask, [found[i] for i in kept], scores[kept], series)
    if decoded is None:
        return owner
    out = list(owner)
    for i, j in zip(kept, decoded, strict=True):
        out[i] = j
    if not lines:
        radius = float(np.median([m.radius for m in found]))
        for j in series:
            pts = sorted((m.x, m.y, False) for m, o in zip(found, out, strict=True) if o == j)
            if len(pts) >= 3 and not _markers_joined(mask, pts, radius):
                return owner
    return out


RESIDUAL_LEAST = 0.3  # share of the shared ink's columns a residual line must span


ONE_PER_X = 0.5  # share of a line series' markers closer in x to the next than its radius


def _one_per_x(ms: list[Marker]) -> bool:
    """Whether markers ``ms`` are those of a line, one per ``x``: at most ``ONE_PER_X`` of
    them lie closer in ``x`` to the next than a marker's radius."""
    xs = np.sort([m.x for m in ms])
    r = max(2.0, float(np.median([m.radius for m in ms])))
    return len(xs) < 2 or float(np.mean(np.diff(xs) < r)) <= ONE_PER_X


GRID_KEPT = 0.6  # share of a residual line's corners on the others' grid that shows it shared


def _corners_on_grid(corners: np.ndarray, found: list[Marker]) -> list[Marker]:
    """The corners of a residual line (:func:`_unmarked_line`) that sit on the evenly
    spaced ``x`` of the other series' markers ``found``, as that series' markers; [] where
    those markers show no grid or under ``GRID_KEPT`` of the corners sit on it (the series
    are not sampled alike). Series of one chart mostly share their ``x``: corners off it are
    what the taken-out markers left of themselves."""
    if len(corners) < 3 or not found:
        return []
    grid = _marker_grid(found)
    if grid is None:
        return []
    start, step = grid
    off = np.abs((corners[:, 0] - start) / step - np.round((corners[:, 0] - start) / step))
    on = off * step <= max(1.5, 0.15 * step)
    if on.mean() < GRID_KEPT:
        return []
    r = float(np.median([m.radius for m in found]))
    return [Marker(float(x), float(y), r, 0) for x, y in corners[on]]


def _unmarked_line(mask: np.ndarray, split: list[list[Marker]], lines: bool,
                   half: float) -> np.ndarray | None:
    """The line of the one series of a shared ink whose markers no search found (a thin
    cross on a thick line, a small triangle beside big squares): the ink left once the
    others' lines, straight from marker to marker, and their markers are taken out; None
    where not exactly one series was left without markers, another has fewer than 3 or
    more than one per x (:func:`_one_per_x`: no line's markers), the series are drawn
    without lines, or what is left spans under ``RESIDUAL_LEAST`` of the ink's columns (the
    line runs under the others').

    Parameters
    ----------
    mask : ndarray of bool
        The shared ink.
    split : list of list of Marker
        Each series' markers, one list per legend entry sharing the ink.
    lines : bool
        Whether the series are drawn with lines (their swatches show one).
    half : float
        The line's half-width.
    """
    empty = [p for p, ms in enumerate(split) if not ms]
    if not lines or len(empty) != 1 or any(0 < len(ms) < 3 for ms in split):
        return None
    if not all(_one_per_x(ms) for ms in split if ms):
        return None  # not the markers of lines (a band's texture, a scatter)
    taken = np.zeros(mask.shape, np.uint8)
    width = 2 * int(np.ceil(half)) + 3  # the line and its anti-aliased edges
    for ms in split:
        pts = sorted((m.x, m.y, m.radius) for m in ms)
        for (x0, y0, _), (x1, y1, _) in zip(pts, pts[1:], strict=False):
            cv2.line(taken, (int(round(x0)), int(round(y0))), (int(round(x1)), int(round(y1))),
                     1, width)
        for x, y, r in pts:
            cv2.circle(taken, (int(round(x)), int(round(y))), int(np.ceil(1.5 * r)) + 1, 1, -1)
    rest = mask & ~taken.astype(bool)
    cols = mask.any(axis=0)
    if rest.any(axis=0).sum() < RESIDUAL_LEAST * cols.sum():
        return None
    return rest


def _search_by_shape(
    mask: np.ndarray, templates: list[np.ndarray], half: float, found: int, lines: bool
) -> list[list[Marker]] | None:
    """Markers of each template searched for in the shared ink (see
    :func:`shapes.find_by_template`), one list per template; None where a template is no
    taller than the line (a swatch whose marker is too small to cut out) or the search
    finds more than twice the markers the marker finder did of one template (the ink's
    strokes fit it; the finder, tuned to one shape, may miss every other), or
    where a template is thin (an outline, a cross: it fits the line it sits on as well).
    Series drawn as ``lines`` are functions of x: of two hits of one template within a
    marker's width of each other in x, the better fit is its marker (the other a part of a
    neighbouring marker of another shape)."""
    r = shapes.stroke_radius(half)
    if any(t.shape[0] <= 2 * half + 2 or not shapes.solid(t, r) for t in templates):
        return None
    hits = shapes.find_by_template(mask, templates, half)
    if max(np.bincount([j for _, _, j, _ in hits], minlength=len(templates))) > 2 * max(found, 1):
        return None
    out: list[list[Marker]] = [[] for _ in templates]
    for x, y, j, _ in hits:  # best fits first
        t = templates[j]
        if lines and any(abs(m.x - x) < 0.75 * t.shape[1] for m in out[j]):
            continue
        out[j].append(Marker(x, y, 0.5 * min(t.shape), int(t.sum())))
    if lines:
        out = [_off_the_line(mask, sorted(ms, key=lambda m: m.x)) for ms in out]
    return out


JOINED = 0.8  # share of a straight segment between two markers of a solid line on its ink


def _off_the_line(mask: np.ndarray, ms: list[Marker]) -> list[Marker]:
    """``ms`` (sorted by x) without the inner markers a solid line does not join to either
    neighbour, where it joins most of them: another series' marker of a like shape (the
    line of one series runs straight from marker to marker; across a gap wider than the
    usual spacing a marker is hidden, and the line bends at it: no evidence)."""
    if len(ms) < 4:
        return ms
    near = morphology.dilate(mask, 1)

    def joined(a: Marker, b: Marker) -> float:
        return continuity.segment_on_ink(near, (a.x, a.y), (b.x, b.y))

    # a gap wider than the usual spacing skips a hidden marker: the line bends there
    step = float(np.median([b.x - a.x for a, b in zip(ms, ms[1:], strict=False)]))
    links = [b.x - a.x > 1.5 * step or joined(a, b) >= JOINED
             for a, b in zip(ms, ms[1:], strict=False)]
    if np.mean(links) < 0.75:
        return ms  # a dashed or hidden line: no evidence either way
    # an end marker has one link, which may run under the legend: kept
    keep = [k for k in range(len(ms))
            if k in (0, len(links)) or links[k - 1] or links[k]]
    return [ms[k] for k in keep]


def _bars_without_marker(
    bars: list[ErrorBar], pts: list[tuple[float, float, bool]], radius: float
) -> list[tuple[float, float, bool]]:
    """Points on error bars that carry no marker found: where the series crosses the bar
    (a marker cut by the bar's removal or merged with a neighbour), else, flagged as hidden,
    the middle of a capped bar whose point another series covers."""
    reach = max(3.0, radius)
    out = []
    for b in bars:
        if any(abs(b.centre - x) <= reach for x, _, _ in pts):
            continue
        if b.crossing is not None:
            out.append((b.centre, float(b.crossing), False))
        elif b.capped:
            out.append((b.centre, (b.low + b.high) / 2, True))
    return out


def _hbar_at(bars: list[ErrorBar], px: float, py: float, radius: float) -> ErrorBar | None:
    """The horizontal error bar through a point at ``(px, py)``, if there is one."""
    reach = max(3.0, radius)
    near = [b for b in bars
            if abs(b.centre - py) <= reach and b.low - reach <= px <= b.high + reach]
    return min(near, key=lambda b: abs(b.centre - py)) if near else None


def _set_x_error(point: Point, pa: Box, x_axis: AxisMap, bar: ErrorBar) -> None:
    """Fill a point's ``x_lower``/``x_upper`` from the horizontal bar through it."""
    shift = 0.5 if bar.capped else 0.0  # a cap's centre is the end; a stroke's end its edge
    left, right = pa.left + bar.low + shift - 0.5, pa.left + bar.high - shift + 0.5
    point.px_lower, point.px_upper = left, right
    a, b = float(x_axis.to_value(left)), float(x_axis.to_value(right))
    point.x_lower, point.x_upper = min(a, b), max(a, b)


def _bar_at(bars: list[ErrorBar], px: float, radius: float) -> ErrorBar | None:
    """The vertical error bar through a point at ``px``, if one is that close."""
    near = [b for b in bars if abs(b.centre - px) <= max(3.0, radius)]
    return min(near, key=lambda b: abs(b.centre - px)) if near else None


BARS_UNEXPLAINED = 0.25  # share of the bars' colours outside them: no bars but filled areas


def _bar_chart(
    result: ChartResult,
    crop: np.ndarray,
    lab: np.ndarray,
    valid: np.ndarray,
    palette: Palette,
    legend: Legend,
) -> bool:
    """Read the plot as a bar chart when solid bars on a common baseline explain its ink;
    fills ``result`` and returns True, else leaves it alone and returns False."""
    # bars run up to the frame: only the legend is masked (frame lines are slivers)
    valid = np.ones_like(valid)
    pa = result.layout.plot_area
    if legend.box is not None and legend.box.intersects(pa):
        b = legend.box
        valid[max(0, b.top - pa.top) : max(0, b.bottom - pa.top),
              max(0, b.left - pa.left) : max(0, b.right - pa.left)] = False
    if legend.entries and all(e.has_line and e.marker for e in legend.entries):
        return False  # every swatch a line with markers: the series are lines, not bars
    crop, lab, background, grid = barx.prepare(crop, lab, valid, palette.grid)
    ink = (colors.lab_distance(lab, background) > 12) & valid
    if grid is not None:
        ink &= colors.lab_distance(lab, grid) > 8
    if not barx.mostly_solid(ink):
        return False
    found = barx.find_bars(crop, lab, valid, background, grid)
    if len(found) < 2:
        return False
    # a category axis says which way the bars go; else the shared base line does
    named_x, named_y = _named_axis(result.x_axis), _named_axis(result.y_axis)
    if named_x and not named_y:
        orient: str | None = "vertical"
    elif named_y and not named_x:
        orient = "horizontal"
    else:
        orient = barx.bar_orientation(barx.merge_pieces(found, "vertical"))
        if orient != "vertical":
            orient = barx.bar_orientation(barx.merge_pieces(found, "horizontal"))
    if orient is None:
        return False
    found = barx.merge_pieces(found, orient)
    if legend.box is not None and legend.box.intersects(pa):
        found = barx.join_across_mask(found, valid, orient)
    if not barx.is_bar_chart(found, int(ink.sum()), int(valid.sum()), orient):
        return False
    found = barx.split_joined(barx.drop_strokes(found, orient), orient)
    if len(found) < 2 or barx.unexplained_share(found, lab, valid, background) > BARS_UNEXPLAINED:
        return False  # filled areas found as rectangles: their edges follow the data
    vertical = orient == "vertical"
    # value axis and category axis, in crop pixels along each
    value_axis = result.y_axis if vertical else result.x_axis
    cat_axis = result.x_axis if vertical else result.y_axis
    off_v = pa.top if vertical else pa.left
    off_c = pa.left if vertical else pa.top
    # bars standing on the plot edge: the baseline is where most of them start
    ends = np.array([e for b in found for e in barx.value_ends(b, orient)])
    zero: float | None = None
    if value_axis.scale == "linear":
        z = float(value_axis.to_pixel(0.0)) - off_v
        lo, hi = (0.0, crop.shape[0] - 1.0) if vertical else (0.0, crop.shape[1] - 1.0)
        margin = max(4.0, 0.03 * hi)  # the plot area found may stop short of the axis
        if lo - margin <= z <= hi + margin:
            zero = z
    floating = zero is None
    if zero is None:
        counts = [(int((np.abs(ends - e) <= 1.5).sum()), e) for e in ends]
        zero = float(max(counts)[1])
    refs = [_swatch_fill(result.image, e) for e in legend.entries]
    groups = barx.color_groups(found, refs or None)
    strokes = barx.edge_strip_groups(found, groups, orient) - set(range(len(refs)))
    if strokes:
        found = [b for b, g in zip(found, groups, strict=True) if g not in strokes]
        groups = [g for g in groups if g not in strokes]
    if refs:
        # with a legend, a colour no entry has is a bar's only when it is no mere sliver (a
        # translucent legend's rim over a bar, a highlight); a series whose entry was not
        # read has short bars too: the colour's bars count together
        total = sum(b.area for b in found)
        area: dict[int, list[int]] = {}
        for b, g in zip(found, groups, strict=True):
            area.setdefault(g, []).append(b.area)
        keep = [g < len(refs) or (sum(area[g]) >= 0.02 * total
                                  and max(area[g]) >= 0.005 * total) for g in groups]
        found = [b for b, k in zip(found, keep, strict=True) if k]
        groups = [g for g, k in zip(groups, keep, strict=True) if k]
    if legend.box is not None and legend.box.intersects(pa):
        lb = legend.box
        box = (lb.left - pa.left, lb.top - pa.top, lb.right - pa.left, lb.bottom - pa.top)
        under = 0
        for b in found:
            end = barx.end_under_box(b, crop, box, orient, zero, background)
            if end is None:
                continue
            near, far = sorted(barx.value_ends(b, orient), key=lambda e: abs(e - zero))
            attr = ("top" if far < near else "bottom") if vertical else (
                "left" if far < near else "right")
            setattr(b, attr, end)
            under += 1
        if under:
            result.warnings.append(f"{under} bar(s) run under the legend: their ends read "
                                   "through it")
    extent = crop.shape[0] if vertical else crop.shape[1]
    if result.image is not None:
        # bars cut by the plot area's far edge run on past it (a plot area found too small)
        for b in found:
            near, far = sorted(barx.value_ends(b, orient), key=lambda e: abs(e - zero))
            at_edge = far <= 0.5 if far < near else far >= extent - 1.5
            if not at_edge:
                continue
            end = barx.end_past_edge(b, result.image, (pa.left, pa.top), orient, zero,
                                     background)
            if end is not None:
                attr = ("top" if far < near else "bottom") if vertical else (
                    "left" if far < near else "right")
                setattr(b, attr, end)
    points = barx.assemble(found, orient, zero, groups, reach=max(4.0, 0.03 * extent),
                           floating=floating)
    cat_axis = _bar_category_axis(cat_axis, points, orient, off_c)
    result.x_axis, result.y_axis = cat_axis, value_axis
    # the renderer that drew the ticks past their place (calibration took that off) snapped
    # the bars' ends with them
    lay = result.layout
    shift_v, shift_c = ((lay.y_tick_shift, lay.x_tick_shift) if vertical
                        else (lay.x_tick_shift, lay.y_tick_shift))
    names = {k: e.label for k, e in enumerate(legend.entries)}
    by_series: dict[int, Series] = {}
    for bp in points:
        s = by_series.get(bp.series)
        if s is None:
            color = bp.bar.color
            s = Series(name=names.get(bp.series, f"series {len(by_series) + 1}"),
                       color=color, line=False, kind="bar",
                       sampling="bars")
            by_series[bp.series] = s
        centre = bp.centre + off_c
        x = float(cat_axis.to_value(centre - shift_c))
        if cat_axis.scale == "category":
            x = float(round(x))
        end = float(value_axis.to_value(bp.end + off_v - shift_v))
        base = float(value_axis.to_value(bp.base + off_v - shift_v))
        gx, gy = (centre, bp.end + off_v) if vertical else (bp.end + off_v, centre)
        point = Point(px=gx, py=gy, x=x, y=end)
        if bp.stacked:
            point.y = end - base
            point.y_lower, point.y_upper = min(base, end), max(base, end)
            point.py_lower, point.py_upper = bp.base + off_v, bp.end + off_v
        s.points.append(point)
    order = sorted(by_series, key=lambda k: (k >= len(refs), k))
    result.series = [by_series[k] for k in order]
    for s in result.series:
        s.points.sort(key=lambda q: q.x)
    if not legend.entries and len(result.series) > 1:
        result.warnings.append("no legend found: series named by order")
    _dedupe_names(result.series)
    return True


def _swatch_fill(rgb: np.ndarray | None, entry: LegendEntry) -> colors.RGB:
    """A bar legend entry's fill colour: the commonest colour of the middle of its swatch (the
    swatch's own colour reading may be its outline)."""
    b = entry.swatch_box
    if rgb is None or b.width < 4 or b.height < 4:
        return entry.color
    dx, dy = max(1, b.width // 4), max(1, b.height // 4)
    inner = rgb[b.top + dy : b.bottom - dy, b.left + dx : b.right - dx]
    if inner.size == 0:
        return entry.color
    return colors.dominant_color(inner)


def _named_axis(axis: AxisMap) -> bool:
    """Whether an axis's labels name things rather than measure: a category axis, or a date
    axis of month names alone ("Jul", "Aug": under bars, each names a group of bars)."""
    if axis.scale == "category":
        return True
    return axis.scale == "date" and bool(axis.ticks) and not any(
        ch.isdigit() for t in axis.ticks for ch in t.label)


def _bar_category_axis(
    axis: AxisMap, points: list[barx.BarPoint], orient: str, offset: float
) -> AxisMap:
    """The category axis of a bar chart. Numeric labels each centred on a group of bars
    (years, test numbers) are categories; numbers that do not sit on the bar groups (a
    histogram's bin edges) keep their numeric scale and a bar's x is its centre's value."""
    if axis.scale == "category":
        return axis
    groups = barx.category_groups(points, orient)
    # one label per group: all of them (a rotated label's anchor may make it a fit outlier)
    ticks = sorted(axis.ticks, key=lambda t: t.pixel)
    if len(ticks) != len(groups):
        ticks = [t for t in ticks if t.inlier]
    if len(ticks) < 2 or len(ticks) != len(groups):
        return axis
    pix = np.array([t.pixel - offset for t in ticks])
    centres = np.array([0.5 * (a + b) for a, b in groups])
    spacing = float(np.median(np.diff(pix)))
    # each group nearest its own label (rotated labels meet their tick only roughly)
    if np.max(np.abs(pix - centres)) > 0.4 * spacing:
        return axis
    labels_ = [t.label for t in ticks]
    if axis.scale == "linear":
        labels_ = _stray_points_mended(_misread_numbers_mended(axis, ticks))
    if axis.axis == "y":
        labels_.reverse()  # the first category at the bottom
    idx = np.arange(len(ticks), dtype=float)
    if axis.axis == "y":
        idx = idx[::-1]
    slope, intercept = np.polyfit(pix + offset, idx, 1)
    return AxisMap(axis.axis, "category", float(slope), float(intercept),
                   [Tick(t.pixel, float(i), t.label) for t, i in zip(ticks, idx, strict=True)],
                   axis.residual, categories=labels_, pixel_range=axis.pixel_range,
                   decimals=0, limits=axis.limits)


def _stray_points_mended(labels: list[str]) -> list[str]:
    """Numeric category labels (years, evenly spaced) with a decimal point read into a few
    of them ("202.3" among "2020", "2021", ... : the axis fit then took them all for tenths):
    such a label loses the point when that puts it on the others' even steps."""
    def number(text: str) -> float | None:
        try:
            return float(text)
        except ValueError:
            return None

    values = [number(t) for t in labels]
    plain = [i for i, (t, v) in enumerate(zip(labels, values, strict=True))
             if v is not None and "." not in t]
    if len(plain) < 3 or len(plain) == len(labels) or len(plain) < 0.6 * len(labels):
        return labels
    idx = np.array(plain, float)
    vals = np.array([values[i] for i in plain], float)
    slope, intercept = np.polyfit(idx, vals, 1)
    if slope == 0 or np.max(np.abs(vals - (slope * idx + intercept))) > 1e-6 * max(
            1.0, float(np.abs(vals).max())):
        return labels  # the others are no even steps
    out = list(labels)
    for i, t in enumerate(labels):
        if i in plain or "." not in t:
            continue
        v = number(t.replace(".", ""))
        if v is not None and abs(v - (slope * i + intercept)) < 1e-6 * max(1.0, abs(v)):
            out[i] = t.replace(".", "")
    return out


def _misread_numbers_mended(axis: AxisMap, ticks: list[Tick]) -> list[str]:
    """The tick labels of a numeric axis made categories (years under bar groups), a label
    the axis fit rejected as misread ("2029" between 2019 and 2021) replaced by the value on
    the labels' step grid at its tick, written with the others' decimals; a label the grid
    does not explain stays as read."""
    out = [t.label for t in ticks]
    sure = sorted(t.value for t in ticks if t.inlier)
    if len(sure) < 3 or all(t.inlier for t in ticks):
        return out
    step = float(np.median(np.diff(sure)))
    if step <= 0:
        return out
    decimals = max(len(t.label.split(".")[1]) if "." in t.label else 0
                   for t in ticks if t.inlier)
    for i, t in enumerate(ticks):
        if t.inlier:
            continue
        v = float(axis.to_value(t.pixel))
        k = round((v - sure[0]) / step)
        grid = sure[0] + k * step
        if abs(v - grid) <= 0.4 * step and not any(abs(grid - u) < 1e-9 for u in sure):
            out[i] = f"{grid:.{decimals}f}"
    return out


SCATTER_COVERAGE = 0.9  # share of a series' ink its markers must hold to be a scatter series


def _hidden_by(inks: list[np.ndarray], valid: np.ndarray
               ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per series, where its marks cannot be seen: outside ``valid`` (the legend box, the
    frame) and under the other series' ink ``inks`` (their marks may be drawn over its);
    and the part of that inside ``valid``, the other series' ink that covers it."""
    anyone = np.zeros(valid.shape, bool)
    for ink in inks:
        anyone |= ink
    covering = [anyone & ~ink & valid for ink in inks]
    return [~valid | cover for cover in covering], covering


def _series_markers(
    mask: np.ndarray,
    half: float,
    entry: LegendEntry | None,
    bounds: tuple[int, int, int, int],
    hidden: np.ndarray | None = None,
    covering: np.ndarray | None = None,
) -> tuple[list[Marker], float, bool]:
    """A series' visible markers, their radius (0 when its strokes show none) and whether they
    were found as a scatter series (markers holding all the ink); ``half``
    is the mask's stroke half-width (:func:`~digitize.extract.markers.line_half_width`).

    Where the legend swatch shows no marker, a lone blob or two is a thick crossing, not a
    marker: markers then need to be found several times, and on a line of many corners
    (a volatile series' tight zigzags make blobs) as often as its corners. Markers drawn
    without a line (a scatter plot) are found by their learnt shape instead; a swatch read
    with a line (several markers in a row look like one) is overruled where those markers
    hold all the ink. ``hidden``, where the series cannot be seen (:func:`_hidden_by`), lets
    a scatter marker partly covered by the legend or another series count and sit where its
    covered part can be (:func:`~digitize.extract.markers.find_scatter_markers`);
    ``covering``, the part of it that is other series' ink.
    """
    if scatter_like(mask):
        found = find_scatter_markers(mask, bounds, hidden=hidden, covering=covering)
        if found and _tiled(found, mask):
            found = []  # a filled region cut into marker-sized pieces, not a scatter
        # (no legend: one or two blobs are a line's pieces unless they hold all its ink)
        if found and ((entry is None and len(found) >= MIN_SCATTER_BLOBS)
                      or (entry is not None and not entry.has_line)
                      or marker_coverage(mask, found) >= SCATTER_COVERAGE):
            return found, found[0].radius, True
    lone = lone_marker(mask, half) if entry is None else None
    if lone is not None:  # no legend, every marker but one or two in a clump
        found = find_scatter_markers(mask, bounds, lone, hidden, covering)
        if (len(found) >= MIN_SCATTER_BLOBS and not _tiled(found, mask)
                and marker_coverage(mask, found) >= SCATTER_COVERAGE):
            return found, found[0].radius, True
    radius = marker_radius(mask, half)
    shape = entry.marker if entry else None
    if not (shape or radius):
        return [], radius, False
    found = find_markers(mask, radius=radius or None, shape=shape, half=half, bounds=bounds)
    if entry is not None and entry.marker in STROKE_CODES and entry.has_line:
        # crosses on a line: strokes no thicker than the line, which the opening cannot cut
        # out; the drawn cross of the swatch's height finds and places them
        crosses = find_crosses(mask, entry.marker, entry.swatch_box.height)
        if len(crosses) >= MIN_SCATTER_BLOBS and len(crosses) > len(found):
            crosses = centre_strokes(mask, crosses, entry.marker)
            return crosses, crosses[0].radius, False
    if entry is not None and entry.marker is None and (
            len(found) < 3
            or len(line_points(mask, tolerance=1.0).points) > LINE_OVER_MARKERS * len(found)):
        found = []  # a swatch with no marker, and a line with far more corners than blobs
    elif entry is not None and entry.has_line and len(found) < MIN_LINE_MARKERS:
        found = []  # markers too small to cut out of the line: its trace keeps more of it
    elif entry is None and found and radius <= 2 * half + 1 and (
            len(line_points(mask, tolerance=1.0).points) > LINE_OVER_MARKERS * len(found)):
        found = []  # no legend: blobs no wider than the stroke at a few of its sharp corners
    return found, radius, False


#: fewest markers found on a line that stand for its points (fewer: the line is traced)
MIN_LINE_MARKERS = 3
LINE_OVER_MARKERS = 4  # corners of the traced line per blob past which blobs are no markers
#: stroke widths a marker borrowed by a series whose swatch shows no marker must span
PLAIN_BORROW_WIDTHS = 2.0


def _borrow_scatter_markers(
    masks: list[np.ndarray],
    markers: list[list[Marker]],
    radii: list[float],
    scattered: list[bool],
    bounds: tuple[int, int, int, int],
    plain: list[bool] | None = None,
    hidden: list[np.ndarray] | None = None,
    covering: list[np.ndarray] | None = None,
) -> None:
    """Scatter markers for the series whose own marker could not be learnt (every marker in a
    clump, none alone), with the marker of another scatter series of the chart.

    Accepted only where the mask has no stroke, the borrowed marker's placements hold all of
    its ink (:data:`SCATTER_COVERAGE`) and there are more of them than the markers found
    before. A series flagged in ``plain`` (its legend swatch shows a line and no marker; a
    small marker such as a '+' may have gone unseen there) borrows only a marker at least
    :data:`PLAIN_BORROW_WIDTHS` of its stroke widths across: a smaller one cannot be told
    from the pieces of a dashed line. ``hidden`` and ``covering``, per series, as for
    :func:`_series_markers`. ``markers``, ``radii`` and ``scattered`` are updated in place.
    """
    donors = sorted((j for j in range(len(masks)) if scattered[j] and markers[j]),
                    key=lambda j: -len(markers[j]))
    templates = [t for t in (learn_marker(masks[j]) for j in donors) if t is not None]
    for i, mask in enumerate(masks):
        if scattered[i] or not mask.any():
            continue
        least = 0.0
        if plain is not None and plain[i]:
            least = PLAIN_BORROW_WIDTHS * (2 * line_half_width(mask) + 1)
        seen = None if hidden is None else hidden[i]
        cover = None if covering is None else covering[i]
        for template in templates:
            if min(template.shape) < least or not scatter_like(mask, template.shape):
                continue
            found = find_scatter_markers(mask, bounds, template, seen, cover)
            if (len(found) >= max(MIN_SCATTER_BLOBS, len(markers[i]) + 1)
                    and marker_coverage(mask, found) >= SCATTER_COVERAGE):
                markers[i], radii[i], scattered[i] = found, found[0].radius, True
                break


def _tiled(found: list[Marker], mask: np.ndarray) -> bool:
    """Whether scatter markers pave ``mask`` rather than sit on it: a speck-sized "marker"
    (a band's texture learnt as one) whose boxes cover the ink several times over."""
    size = found[0].size or 2 * found[0].radius + 1
    return size <= 5 and len(found) * size * size > 4 * int(mask.sum())


def _markers_joined(
    mask: np.ndarray, pts: list[tuple[float, float, bool]], radius: float
) -> bool:
    """Whether a line joins a series' markers: on most gaps between consecutive markers
    (long enough to see past the markers), the series' ink lies on the straight segment
    between them (any of three samples, so dashes count too)."""
    h, w = mask.shape
    near = morphology.dilate(mask, 2)
    gaps = joined = 0
    for (x0, y0, _), (x1, y1, _) in zip(pts, pts[1:], strict=False):
        if np.hypot(x1 - x0, y1 - y0) < 2 * radius + 6:
            continue
        gaps += 1
        for t in (0.25, 0.5, 0.75):
            cx, cy = int(round(x0 + t * (x1 - x0))), int(round(y0 + t * (y1 - y0)))
            if 0 <= cy < h and 0 <= cx < w and near[cy, cx]:
                joined += 1
                break
    return gaps >= 2 and joined >= 0.6 * gaps


def _marker_code(found: list[Marker]) -> str | None:
    return "o" if found else None


def _hidden_markers(
    i: int, markers: list[list[Marker]], seg: colors.Segmentation, radii: list[float]
) -> list[tuple[float, float, bool]]:
    """Markers of series ``i`` hidden under another series' marker.

    Where another series has a marker at an x where series ``i`` has none, and series ``i``'s
    line runs into it (its ink touches a ring just outside that marker) or its band covers it,
    series ``i`` has a point there too, at the covering marker's centre.
    """
    own = markers[i]
    if not own:
        return []
    r = radii[i] or own[0].radius
    xs = np.array([m.x for m in own])
    band = seg.band[i]
    # only strokes count as a line running in: specks (JPEG, other markers' rims) do not
    labels, n = ndimage.label(seg.line[i], structure=np.ones((3, 3), bool))
    sizes = np.bincount(labels.ravel(), minlength=n + 1)
    sizes[0] = 0
    line = sizes[labels] >= max(20.0, 4 * r)
    h, w = line.shape
    yy, xx = np.ogrid[:h, :w]
    candidates: list[tuple[float, Marker]] = []
    for j, others in enumerate(markers):
        if j == i:
            continue
        for m in others:
            if np.min(np.abs(xs - m.x)) < max(2.0, r):
                continue
            rr = m.radius + 1.0
            x0, x1 = int(max(0, m.x - rr - 4)), int(min(w, m.x + rr + 5))
            y0, y1 = int(max(0, m.y - rr - 4)), int(min(h, m.y + rr + 5))
            d = np.sqrt((xx[:, x0:x1] - m.x) ** 2 + (yy[y0:y1, :] - m.y) ** 2)
            ring = (d > rr) & (d < rr + 3)
            support = float((line[y0:y1, x0:x1] & ring).sum())
            cy, cx = int(round(m.y)), int(round(m.x))
            if 0 <= cy < h and 0 <= cx < w and _band_centred_on(band, cx, cy, rr):
                support += 100.0
            if support >= 3:
                candidates.append((support, m))
    # one hidden point per column: the covering marker the series' ink supports best
    out: list[tuple[float, float, bool]] = []
    for _support, m in sorted(candidates, key=lambda c: -c[0]):
        if any(abs(px - m.x) < max(2.0, r) for px, _, _ in out):
            continue
        out.append((m.x, m.y, True))
    return out


def _band_centred_on(band: np.ndarray, cx: int, cy: int, r: float) -> bool:
    """True when the series' band surrounds ``(cx, cy)`` and is centred on it (a mean-and-
    spread band around a point hidden under another marker)."""
    col = band[:, cx]
    k = int(r) + 2
    above = np.flatnonzero(col[: max(0, cy - k)])
    below = np.flatnonzero(col[cy + k :])
    if len(above) == 0 or len(below) == 0:
        return False
    top, bottom = above.min(), cy + k + below.max()
    if above.max() < cy - k - 6 or below.min() > 6:
        return False
    return abs((top + bottom) / 2 - cy) <= max(2.0, 0.15 * (bottom - top))


def marker_snap_off(
    points: list[tuple[float, float, bool]],
    x_shift: float,
    y_shift: float,
    shape: str | None = None,
) -> list[tuple[float, float, bool]]:
    """A series' marker centres with the axes' renderer shift taken off when the markers
    were snapped to the pixel grid.

    A renderer that snaps its tick marks and gridlines, drawing them half a pixel past
    their values (``x_shift``/``y_shift``, measured on the chart's own crisp lines:
    :func:`~digitize.layout.crisp_line_shift`; calibration took it off the ticks), draws
    markers it snaps past theirs the same way (matplotlib: its centres lie about half a
    pixel right of and below their values). Snapped markers show it: every one has the
    same pixels, so their centres share one sub-pixel phase (:func:`snapped_markers`);
    markers drawn anti-aliased where they fall (SVG renderers beside crisp axis lines)
    keep their place, as do markers beside lines only possibly snapped (a shift of 0.25)
    or widened by a pixel ratio (over half a pixel:
    :func:`~digitize.layout.scaled_line_shift`), and, on each axis, markers centred
    between pixels (:func:`whole_pixel_centres`). A marker as wide as it is tall
    (``shape``: circle, square, diamond, plus, cross) snapped this way is centred alike in
    x and y; one centred on a pixel in one and between pixels in the other was placed by
    another rule (Vega's circles), and keeps its place on both.
    """
    seen = np.asarray([(x, y) for x, y, hidden in points if not hidden], float).reshape(-1, 2)
    if not snapped_markers(seen):
        return points
    on_pixel = whole_pixel_centres(seen)
    if shape in SQUARE_MARKERS and on_pixel[0] != on_pixel[1]:
        return points
    dx = x_shift if x_shift == MARKER_SNAP and on_pixel[0] else 0.0
    dy = y_shift if y_shift == MARKER_SNAP and on_pixel[1] else 0.0
    if not (dx or dy):
        return points
    return [(x - dx, y - dy, hidden) for x, y, hidden in points]


def whole_pixel_centres(centres: np.ndarray) -> tuple[bool, bool]:
    """Whether most markers at ``centres`` (``(n, 2)`` x, y px) are centred on a whole
    pixel in x and in y, as the snapped crisp lines that measured the shift are.

    A snapped marker an even number of pixels across is centred between two pixels: its
    centre was rounded to the nearest pixel edge, without the lines' bias (measured on
    matplotlib scatter and error-bar charts: such centres lie 0.0-0.2 px from their
    values unshifted, 0.4-0.5 px shifted). So are Vega's circles centred between pixel
    rows, which are not snapped past their values either.
    """
    x, y = _phase_counts(centres)
    return bool(x.argmax() == 0), bool(y.argmax() == 0)


def _phase_counts(centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per axis (x, y), how many of ``centres`` (``(n, 2)`` px) lie at each quarter-pixel
    phase (0: on a whole pixel, 2: between two)."""
    phase = np.round((centres % 1.0) * 4).astype(int) % 4
    return np.bincount(phase[:, 0], minlength=4), np.bincount(phase[:, 1], minlength=4)


MARKER_SNAP = 0.5  # px: the one line shift markers are taken to share
SQUARE_MARKERS = frozenset("osD+x")  # marker codes as wide as they are tall


def snapped_markers(centres: np.ndarray) -> bool:
    """Whether markers at ``centres`` (``(n, 2)`` x, y px) were drawn on whole pixels.

    Markers a renderer snapped have identical pixels, so their measured centres share one
    sub-pixel phase (on a quarter-pixel grid); markers drawn where they fall differ by a
    pixel in width here and there and their phases scatter. Measured over matplotlib and
    Vega charts: snapped series agree 0.94-1.00 on average over x and y, unsnapped
    0.5-0.9 (JPEG noise scatters them too, leaving those alone). The phase agreement does
    not tell how a renderer rounded (Vega's circles agree 0.99 and carry no bias): which
    phase they share does (:func:`whole_pixel_centres`).
    """
    if len(centres) < MIN_PHASE_MARKERS:
        return False
    share = [counts.max() / len(centres) for counts in _phase_counts(centres)]
    return bool(np.mean(share) >= PHASE_AGREEMENT)


MIN_PHASE_MARKERS = 3  # markers needed to tell snapped from unsnapped
PHASE_AGREEMENT = 0.9  # share of markers on the majority phase (mean of x and y)


def _make_point(
    pa: Box,
    x_axis: AxisMap,
    y_axis: AxisMap,
    px: float,
    py: float,
    top: float | None,
    bottom: float | None,
    hidden: bool,
) -> Point:
    gx = pa.left + px
    gy = pa.top + py
    point = Point(
        px=gx,
        py=gy,
        x=float(x_axis.to_value(gx)),
        y=float(y_axis.to_value(gy)),
        interpolated=hidden,
    )
    if top is not None and bottom is not None:
        # band edges are pixel centres of the outermost band pixels: widen by half a pixel
        gt, gb = pa.top + top - 0.5, pa.top + bottom + 0.5
        point.py_upper, point.py_lower = gt, gb
        a, b = float(y_axis.to_value(gt)), float(y_axis.to_value(gb))
        point.y_upper, point.y_lower = max(a, b), min(a, b)
    return point


def _dedupe_names(series: list[Series]) -> None:
    seen: dict[str, int] = {}
    for s in series:
        if s.name in seen:
            seen[s.name] += 1
            s.name = f"{s.name} ({seen[s.name]})"
        else:
            seen[s.name] = 1


__all__ = ["read", "extract_series", "Options"]
