"""Colour segmentation of the plot area: which pixels belong to which series' line or band.

Series colours come from the legend where there is one, else from the peaks of the plot
area's colour histogram. Translucent bands are explained as a blend of a series colour with
the background (``band = bg + alpha * (color - bg)``), and overlapping bands as a blend of
both. Distances are measured in CIELAB, so near shades (a dark and a light blue) separate.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import cv2
import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree
from skimage.color import rgb2lab, rgb2xyz, xyz2lab

from . import morphology
from .extract.errorbars import find_error_bars
from .extract.markers import blob_table, line_half_width, scatter_like

RGB = tuple[int, int, int]

# Lab distance under which two colours count as the same ink.
SAME_COLOR = 14.0
# A band needs at least this share of the plot area in one blend colour to be believed.
MIN_BAND_SHARE = 0.004


def to_lab(rgb: np.ndarray) -> np.ndarray:
    """CIELAB (float32) of RGB uint8 colours of any shape ``(..., 3)``.

    sRGB is linear in XYZ once each channel is gamma-decoded, so XYZ is the sum of three
    per-channel tables (made once by scikit-image's own conversion); only XYZ to Lab is
    computed per pixel, a chunk at a time to keep the float temporaries small.
    """
    rgb = np.asarray(rgb)
    shape = rgb.shape[:-1] + (3,)
    if rgb.dtype != np.uint8:  # fractional levels: converted directly
        lab = rgb2lab(rgb.reshape(-1, 1, 3).astype(np.float64) / 255.0)
        return lab.reshape(shape).astype(np.float32)
    flat = rgb.reshape(-1, 3)
    tables = _xyz_tables()
    out = np.empty((len(flat), 3), dtype=np.float32)
    chunk = 250_000
    for start in range(0, len(flat), chunk):
        part = flat[start : start + chunk]
        xyz = tables[0][part[:, 0]] + tables[1][part[:, 1]] + tables[2][part[:, 2]]
        out[start : start + chunk] = xyz2lab(xyz.reshape(-1, 1, 3)).reshape(-1, 3)
    return out.reshape(shape)


@functools.cache
def _xyz_tables() -> np.ndarray:
    """XYZ of each channel's 256 levels alone, shape ``(3, 256, 3)``."""
    levels = np.arange(256, dtype=np.float64) / 255.0
    tables = np.zeros((3, 256, 3), dtype=np.float32)
    for k in range(3):
        pure = np.zeros((256, 1, 3))
        pure[:, 0, k] = levels
        tables[k] = rgb2xyz(pure).reshape(256, 3)
    return tables


def lab_distance(lab: np.ndarray, color: RGB | np.ndarray) -> np.ndarray:
    """Euclidean CIELAB distance (CIE76) of every pixel in ``lab`` to one RGB colour."""
    ref = to_lab(np.asarray(color, dtype=np.uint8).reshape(1, 3))[0]
    diff = lab - ref
    np.square(diff, out=diff)
    # Adding the three channel planes is several times faster than a reduce over a length-3 axis.
    total = diff[..., 0] + diff[..., 1]
    total += diff[..., 2]
    return np.sqrt(total, out=total)


RIM_DARKER = 10.0  # CIELAB L* a marker's edge is darker than its fill, at least
RIM_REACH = 2  # px from an ink within which its markers' edge lies


def dark_rims(lab: np.ndarray, ink: np.ndarray, color: RGB) -> np.ndarray:
    """Pixels of a darker shade drawn round ``ink`` (pixels of ``color``): the edges of its
    markers where they are drawn in another colour (matplotlib's classic style edges every
    marker in black). Such an edge cuts a marker's fill off the line and shrinks its shape;
    with it the marker is whole again.

    Parameters
    ----------
    lab : ndarray
        The image in CIELAB.
    ink : ndarray of bool
        The pixels of the ink.
    color : RGB
        Its colour.

    Returns
    -------
    ndarray of bool
        Pixels within :data:`RIM_REACH` of ``ink``, not in it, at least :data:`RIM_DARKER`
        darker in L* than ``color``.
    """
    light = float(to_lab(np.asarray(color, np.uint8).reshape(1, 3))[0, 0])
    near = morphology.dilate(ink, RIM_REACH) & ~ink
    return near & (lab[..., 0] < light - RIM_DARKER)


RIM_THICKNESS = 1.5  # px from its edge no pixel of a rim lies farther than
RIM_CORE = 2.0  # px from its edge an ink's core lies, at least, for a rim to be round it


def foreign_rims(inks: list[np.ndarray]) -> list[np.ndarray]:
    """Per ink, its pieces that are the edge of another ink's marks: a JPEG darkens the
    edges of a light red cross to the dark red of another series, so that series' mask
    holds an outline round every cross (which outvote its own markers when the marker's
    size is learnt).

    A piece of an ink (pixels a one-pixel gap apart joined: an outline breaks up) is such
    a rim when it is thin (no pixel more than :data:`RIM_THICKNESS` from its edge), lies
    wholly within :data:`RIM_REACH` of another ink, and goes round a mark of that ink (a
    core :data:`RIM_CORE` deep): the mark lies within the piece's box, and the piece faces
    it from all sides (:func:`_goes_round`). A line beside another line is no rim; nor is
    a line along the edge of a band's lobe, the visible crescent of a marker partly under
    another's, or a dash crossing a marker edged above and below.

    Parameters
    ----------
    inks : list of ndarray of bool
        The series' inks, one shape.

    Returns
    -------
    list of ndarray of bool
        Per ink, the pixels of its rim pieces (empty masks where none).
    """
    out = []
    anyone = np.zeros_like(inks[0], bool) if inks else None
    for ink in inks:
        anyone |= ink
    square = np.ones((3, 3), bool)
    for ink in inks:
        others = anyone & ~ink
        if not ink.any() or not others.any():
            out.append(np.zeros_like(ink, bool))
            continue
        labels, n, slices, _ = blob_table(ink)
        idx = np.arange(1, n + 1)
        thin = np.asarray(ndimage.maximum(morphology.distance(ink), labels, idx)) <= RIM_THICKNESS
        reach = morphology.dilate(others, RIM_REACH, square)
        near = np.asarray(ndimage.minimum(reach, labels, idx)) > 0
        core_labels, n_core = ndimage.label(morphology.distance(others) >= RIM_CORE, square)
        if not (thin & near).any() or n_core == 0:
            out.append(np.zeros_like(ink, bool))
            continue
        core_boxes = ndimage.find_objects(core_labels)
        mark_pixels: dict[int, tuple[np.ndarray, cKDTree]] = {}  # per core, built once
        rim_ids = []
        for k in idx[thin & near]:
            sl = slices[k - 1]
            ys, xs = np.nonzero(labels[sl] == k)
            if len(ys) < 3:
                continue
            pts = np.column_stack([xs + sl[1].start, ys + sl[0].start]).astype(np.float32)
            # a rim encloses its mark: the mark's core lies within the piece's box (a line
            # along a band's long lobe does not hold the lobe)
            inside = [j for j, box in enumerate(core_boxes)
                      if box[0].start >= sl[0].start and box[0].stop <= sl[0].stop
                      and box[1].start >= sl[1].start and box[1].stop <= sl[1].stop]
            for j in inside:
                if j not in mark_pixels:
                    box = core_boxes[j]
                    my, mx = np.nonzero(core_labels[box] == j + 1)
                    where = np.column_stack([mx + box[1].start, my + box[0].start]).astype(
                        np.float32)
                    mark_pixels[j] = where, cKDTree(where)
            if any(_goes_round(pts, *mark_pixels[j]) for j in inside):
                rim_ids.append(k)
        out.append(np.isin(labels, rim_ids))
    return out


RIM_SECTORS = 12  # directions from a mark a rim is looked for in
RIM_AROUND = 9  # of them a rim must show in: it goes round the mark (a line along one side
#: of a band's lobe, or the crescent of a marker partly hidden, shows on half or less)


def _goes_round(pts: np.ndarray, mark: np.ndarray, tree: cKDTree) -> bool:
    """Whether the pixels ``pts`` (x, y rows) face the mark whose pixels are ``mark`` (x, y
    rows, indexed by ``tree``) from all sides: the directions from each pixel's nearest mark
    pixel to it fall in at least :data:`RIM_AROUND` of :data:`RIM_SECTORS` sectors. Measured
    from the nearest pixel, not the mark's middle, a line bending round one side of a long
    mark (along a band's trough) faces it from that side only. Only the pixels next to the
    mark count (no farther from it than a rim's edge is from a core): the far reaches of a
    long line seen from a small mark lie in every direction."""
    gap, nearest = tree.query(pts)
    close = gap <= RIM_CORE + RIM_REACH + 1
    away = pts[close] - mark[nearest[close]]
    angles = np.arctan2(away[:, 1], away[:, 0])
    sectors = np.floor((angles + np.pi) / (2 * np.pi) * RIM_SECTORS).astype(int) % RIM_SECTORS
    return len(np.unique(sectors)) >= RIM_AROUND


def dominant_color(rgb: np.ndarray, mask: np.ndarray | None = None) -> RGB:
    """The most frequent colour (5-bit quantised, then averaged inside the winning bin)."""
    pixels = rgb.reshape(-1, 3) if mask is None else rgb[mask]
    if len(pixels) == 0:
        return (255, 255, 255)
    q = (pixels >> 3).astype(np.int32)
    keys = (q[:, 0] << 10) | (q[:, 1] << 5) | q[:, 2]
    best = np.bincount(keys).argmax()
    chosen = pixels[keys == best]
    return tuple(int(v) for v in np.median(chosen, axis=0).round())  # type: ignore[return-value]


def blend(base: RGB | np.ndarray, color: RGB | np.ndarray, alpha: float) -> np.ndarray:
    """``color`` painted with opacity ``alpha`` over ``base``."""
    b = np.asarray(base, dtype=float)
    return b + alpha * (np.asarray(color, dtype=float) - b)


def blend_alpha(observed: RGB | np.ndarray, base: RGB, color: RGB) -> tuple[float, float]:
    """Opacity ``alpha`` and RGB residual of explaining ``observed`` as ``color`` over ``base``."""
    o = np.asarray(observed, dtype=float)
    b = np.asarray(base, dtype=float)
    d = np.asarray(color, dtype=float) - b
    denom = float(d @ d)
    if denom < 1e-6:
        return 0.0, float(np.linalg.norm(o - b))
    alpha = float((o - b) @ d / denom)
    residual = float(np.linalg.norm(o - (b + alpha * d)))
    return alpha, residual


@dataclass
class ColorCluster:
    """A peak of the colour histogram: its mean colour and pixel count."""

    color: RGB
    count: int
    solidity: float = 0.0  # share of its pixels surviving a 3x3 erosion (bands are solid)


def color_clusters(
    rgb: np.ndarray, mask: np.ndarray, *, min_count: int = 20, merge: float = 4.0
) -> list[ColorCluster]:
    """Group the colours of the masked pixels into clusters, biggest first.

    Colours are binned at 5 bits per channel; bins are merged greedily (biggest first) into
    any cluster within ``merge`` Lab units.
    """
    pixels = rgb[mask]
    if len(pixels) == 0:
        return []
    q = (pixels >> 3).astype(np.int32)
    keys = (q[:, 0] << 10) | (q[:, 1] << 5) | q[:, 2]
    counts = np.bincount(keys, minlength=32768)
    sums = np.stack([np.bincount(keys, weights=pixels[:, c], minlength=32768)
                     for c in range(3)], axis=1)
    order = np.argsort(counts)[::-1]
    centers: list[np.ndarray] = []
    labs: list[np.ndarray] = []
    totals: list[int] = []
    for key in order:
        n = int(counts[key])
        if n < max(3, min_count // 4):
            break
        mean = sums[key] / n
        lab = to_lab(mean.round().astype(np.uint8).reshape(1, 3))[0]
        if labs:
            dist = np.sqrt(((np.array(labs) - lab) ** 2).sum(axis=1))
            j = int(dist.argmin())
            if dist[j] < merge:
                w = totals[j]
                centers[j] = (centers[j] * w + mean * n) / (w + n)
                totals[j] = w + n
                continue
        centers.append(mean)
        labs.append(lab)
        totals.append(n)
    out = [
        ColorCluster(tuple(int(v) for v in c.round()), t)  # type: ignore[arg-type]
        for c, t in zip(centers, totals, strict=True)
        if t >= min_count
    ]
    out.sort(key=lambda c: -c.count)
    return out


def solidity(lab: np.ndarray, color: RGB, valid: np.ndarray, tol: float = SAME_COLOR) -> float:
    """Share of the pixels of ``color`` that survive a 3x3 erosion: ~0 for thin fringes."""
    m = (lab_distance(lab, color) < tol) & valid
    n = int(m.sum())
    if n == 0:
        return 0.0
    return float(morphology.erode(m, structure=np.ones((3, 3), np.uint8)).sum()) / n


@dataclass
class SeriesColor:
    """A series' inks: its line/marker colour and, if it has one, its band's blend."""

    color: RGB
    band_color: RGB | None = None
    band_alpha: float | None = None


@dataclass
class Palette:
    """The colours of the plot area: background, gridlines and each series' inks."""

    background: RGB
    grid: RGB | None = None
    series: list[SeriesColor] = field(default_factory=list)
    #: colours where two series' translucent fills overlap: (colour, i, j), ink of both
    overlaps: list[tuple[RGB, int, int]] = field(default_factory=list)


@dataclass
class Segmentation:
    """Per-pixel assignment of the plot area to series inks.

    ``line[i]`` is series ``i``'s line-and-marker mask; ``band[i]`` its band mask (overlaps
    with other bands included); ``occluders[i]`` the pixels of anything drawn that could hide
    series ``i`` (other series' lines and markers).
    """

    line: list[np.ndarray]
    band: list[np.ndarray]
    valid: np.ndarray  # pixels that are data (not legend, not outside)
    lab: np.ndarray


BACKGROUND_TINT = 6.0  # dE from the background under which a colour is no band's tint


def find_band_colors(
    clusters: list[ColorCluster],
    background: RGB,
    series: list[SeriesColor],
    total_pixels: int,
    lab: np.ndarray,
    valid: np.ndarray,
) -> None:
    """Give each series the biggest solid blend cluster that its colour explains (in place).

    A cluster is a band of series ``i`` when it lies on the segment from the background to
    series ``i``'s colour (small residual, ``0.1 < alpha < 0.8``) better than on any other
    series' segment, covers enough pixels, is solid (not a thin anti-aliasing fringe) and is
    no other series' ink (a light series of a dark one's hue).
    """
    min_count = max(30, int(MIN_BAND_SHARE * total_pixels))
    for cl in clusters:
        if cl.count < min_count:
            continue
        best: tuple[float, int, float] | None = None
        for i, s in enumerate(series):
            alpha, residual = blend_alpha(cl.color, background, s.color)
            scale = np.linalg.norm(np.subtract(s.color, background, dtype=float))
            if not (0.1 < alpha < 0.8) or residual > max(10.0, 0.08 * scale):
                continue
            if best is None or residual < best[0]:
                best = (residual, i, alpha)
        if best is None:
            continue
        _, i, alpha = best
        if series[i].band_color is not None or any(s.band_color == cl.color for s in series):
            continue
        tint = to_lab(np.array(cl.color, np.uint8).reshape(1, 3))
        if any(float(lab_distance(tint, s.color)[0]) < SAME_COLOR
               for j, s in enumerate(series) if j != i):
            continue  # another series' own ink (a shade of its strokes), no band of this one
        if float(lab_distance(tint, background)[0]) < BACKGROUND_TINT:
            continue  # a tint of the background (JPEG ringing), not a band
        if cl.solidity == 0.0:
            cl.solidity = solidity(lab, cl.color, valid, tol=8.0)
        if cl.solidity < 0.3:
            continue
        series[i].band_color = cl.color
        series[i].band_alpha = alpha


def find_sandwich_bands(
    clusters: list[ColorCluster],
    background: RGB,
    grid: RGB | None,
    series: list[SeriesColor],
    total_pixels: int,
    lab: np.ndarray,
    valid: np.ndarray,
) -> None:
    """Give series without a band a narrow band (in place): a cluster that is a blend of the
    background and a series' colour (``0.1 < alpha < 0.8``) lying on both sides of its
    stroke (:func:`_sandwich_band`). These are the bands :func:`discover_series_colors` takes
    for no series of their own and :func:`find_band_colors` may miss (too few pixels, not
    solid, or a closer blend of another colour). Biggest clusters first; a cluster lying
    around several series' strokes goes to the strongest of them (the least opacity: a
    series that is itself a tint of that one is seen through its band).

    Parameters
    ----------
    clusters
        The plot area's colour clusters.
    background, grid
        The plot area's background and gridline colours.
    series
        The series found; ``band_color`` and ``band_alpha`` are set where a band is found.
    total_pixels
        The plot area's pixel count (a cluster needs the least share an ink needs).
    lab, valid
        The plot area in CIELAB and its data pixels.
    """
    min_count = max(25, int(0.0004 * total_pixels))
    taken = {s.color for s in series} | {s.band_color for s in series}
    inked: np.ndarray | None = None
    strokes: dict[int, np.ndarray] = {}
    for cl in sorted(clusters, key=lambda c: -c.count):
        if cl.count < min_count:
            break
        if cl.color in taken:
            continue
        fits = []
        for i, s in enumerate(series):
            if s.band_color is not None:
                continue
            alpha, residual = blend_alpha(cl.color, background, s.color)
            if 0.1 < alpha < 0.8 and residual < 12:
                fits.append((alpha, i))
        for alpha, i in sorted(fits):
            if i not in strokes:
                strokes[i] = (lab_distance(lab, series[i].color) < SAME_COLOR) & valid
            if scatter_like(strokes[i]):
                continue  # markers alone: the tint around them is no band of a line
            if inked is None:
                inked = ink_mask(lab, background, grid, valid)
            if _hugs(lab, cl.color, strokes[i], valid):
                continue  # the stroke's anti-aliased rim, not a band
            if _sandwich_band(lab, cl.color, series[i].color, strokes[i], valid, inked):
                series[i].band_color, series[i].band_alpha = cl.color, alpha
                taken.add(cl.color)
                break


def _hugs(lab: np.ndarray, color: RGB, own: np.ndarray, valid: np.ndarray) -> bool:
    """Whether most pixels of ``color`` (within 6 dE) lie within 2 px of the stroke ``own``:
    its anti-aliased rim (or a band too narrow to tell from one)."""
    mask = (lab_distance(lab, color) < 6) & valid
    n = int(mask.sum())
    return n == 0 or bool((mask & morphology.dilate(own, 2)).sum() >= 0.5 * n)


def tinted_ink(color: RGB, clusters: list[ColorCluster], background: RGB,
               listed: list[RGB], lab: np.ndarray, valid: np.ndarray, *, solid: bool = False
               ) -> tuple[RGB, float] | None:
    """The plot ink a legend swatch of ``color`` is a pale tint of, and the tint's opacity:
    a swatch drawn in a series' band colour (ggplot's key of a line with a ribbon, Vega's
    symbol at the band's opacity) names the series whose line is drawn in the strong ink.

    The ink is a strong cluster (:data:`STRONG_INK` from the background, as many pixels as
    an ink needs) of which ``color`` is an exact blend with the background at a band's
    opacity (``0.05 < alpha <`` :data:`PALE_SWATCH_ALPHA`), and no ``listed`` colour (another
    entry's: a light series of a sequential palette is a tint of a darker one, at more
    opacity). The most common such cluster; None where there is none, or where the tint's
    pixels in the plot (``lab``, ``valid``) are too few for a band or hug the ink's strokes
    (its anti-aliased rim: a swatch's colour read off a thin line's edge), or do not lie on
    both sides of its stroke (:func:`sandwiched`: a light series of its own). Not for a grey
    ink. A ``solid`` swatch (a pale patch, too faint for ink: a tint by its reading, not a
    colour read off a line's edge) needs no band in the plot: Vega draws the symbol at the
    band's opacity where the band itself may be all but hidden.
    """
    min_count = max(25, int(0.0004 * int(valid.sum())))
    bg_lab = to_lab(np.array(background, np.uint8).reshape(1, 3))[0]
    listed_labs = [to_lab(np.array(c, np.uint8).reshape(1, 3))[0] for c in listed]
    best: tuple[int, RGB, float] | None = None
    for cl in clusters:
        if cl.count < min_count or (best is not None and cl.count <= best[0]):
            continue
        alpha, residual = blend_alpha(color, background, cl.color)
        if not (0.05 < alpha < PALE_SWATCH_ALPHA and residual < PALE_SWATCH_RESIDUAL):
            continue
        lab_c = to_lab(np.array(cl.color, np.uint8).reshape(1, 3))[0]
        if np.linalg.norm(lab_c - bg_lab) < STRONG_INK:
            continue
        if np.hypot(lab_c[1], lab_c[2]) < UNLISTED_CHROMA:
            continue  # greys: a grey chart's light series are tints of its dark ones
        if any(np.linalg.norm(lab_c - c) < SAME_COLOR for c in listed_labs):
            continue
        best = (cl.count, cl.color, alpha)
    if best is None:
        return None
    if solid:
        return best[1], best[2]
    tint = (lab_distance(lab, color) < 6) & valid
    own = (lab_distance(lab, best[1]) < SAME_COLOR) & valid
    least = max(30, int(MIN_BAND_SHARE * int(valid.sum())))
    if tint.sum() < least or _hugs(lab, color, own, valid):
        return None
    # a band lies on both sides of its line; a light series of its own only crosses it
    if sandwiched(tint, stroke_of(own)) < SANDWICH_SHARE:
        return None
    return best[1], best[2]


PALE_SWATCH_ALPHA = 0.4  # opacity under which a swatch that is a tint of an ink is its band
PALE_SWATCH_RESIDUAL = 4.0  # RGB: a tint of the ink exactly (rounding), not a near hue


def discover_series_colors(
    clusters: list[ColorCluster],
    background: RGB,
    grid: RGB | None,
    total_pixels: int,
    lab: np.ndarray,
    valid: np.ndarray,
    max_series: int = 10,
    known: list[RGB] | None = None,
    known_bands: list[RGB] | None = None,
) -> list[SeriesColor]:
    """Series colours where no legend names them: histogram peaks that are no blend of others.

    A cluster is an ink when it is far from background and gridlines, covers enough pixels,
    and cannot be explained as a translucent blend of the background with a stronger cluster.
    ``known`` colours (a legend's) count as inks already: only other inks are returned, and
    only chromatic ones that neither hug the strokes of the inks before them (:func:`_rim_of`)
    nor touch most marks of one (:func:`_attached`), nor lie on or beside the ``known_bands``
    (their colours: gridlines seen through a band, bands overlapping).
    """
    min_count = max(25, int(0.0004 * total_pixels))
    bg_lab = to_lab(np.array(background, np.uint8).reshape(1, 3))[0]
    grid_lab = None if grid is None else to_lab(np.array(grid, np.uint8).reshape(1, 3))[0]
    inks: list[ColorCluster] = [ColorCluster(c, 0) for c in known or []]
    seeded = len(inks)
    strength = sorted(
        (c for c in clusters
         if c.count >= min_count
         or (c.count >= MIN_MARKS_INK and _repeated_marks(lab, c.color, valid))),
        key=lambda c: (
            -float(np.linalg.norm(to_lab(np.array(c.color, np.uint8).reshape(1, 3))[0] - bg_lab))
        ),
    )
    band_labs = [to_lab(np.array(b, np.uint8).reshape(1, 3))[0] for b in known_bands or []]
    inked = ink_mask(lab, background, grid, valid)
    for cl in strength:
        lab_c = to_lab(np.array(cl.color, np.uint8).reshape(1, 3))[0]
        if np.linalg.norm(lab_c - bg_lab) < 12:
            continue
        if grid_lab is not None and np.linalg.norm(lab_c - grid_lab) < 8:
            continue
        # the cheap reasons to pass a cluster by first (the others look at the whole image)
        if seeded and np.hypot(lab_c[1], lab_c[2]) < UNLISTED_CHROMA:
            continue
        if any(np.linalg.norm(lab_c - b) < SAME_COLOR for b in band_labs):
            continue  # a known series' band, not an ink of its own
        explained = False
        twins: list[RGB] = []  # inks within SAME_COLOR drawing strokes of their own apart
        for ink in inks:
            alpha, residual = blend_alpha(cl.color, background, ink.color)
            if (
                0.0 < alpha < 0.9
                and residual < 12
                and _fringe_or_band(lab, cl.color, ink.color, valid, inked)
            ) or (0.3 < alpha < 1.0 and residual < 12
                  and _error_bars_of(lab, cl.color, ink.color, valid)) or (
                _tint_of(lab_c, ink.color, bg_lab)
                and _rim_of(lab, cl.color, [ink.color], valid)
            ):
                explained = True
                break
            ink_lab = to_lab(np.array(ink.color, np.uint8).reshape(1, 3))[0]
            if np.linalg.norm(lab_c - ink_lab) < SAME_COLOR:
                if cl.count >= min_count and _twin_inks(cl.color, ink.color, lab, valid, bg_lab):
                    twins.append(ink.color)
                    continue
                explained = True
                break
        if explained or _mostly_axis_lines(lab, cl.color, valid) or (
                grid is not None and _grid_seen_through(lab, cl.color, grid, background, valid)):
            continue
        strong = bool(np.linalg.norm(lab_c - bg_lab) >= STRONG_INK)
        # a twin's own strokes were shown apart from its twin's: no rim, halo or part of it
        others = [ink.color for ink in inks if ink.color not in twins]
        if seeded and (_rim_of(lab, cl.color, others, valid)
                       or any(_attached(lab, cl.color, c, valid, strong) for c in others)
                       or (known_bands and _rim_of(lab, cl.color, known_bands, valid))):
            continue
        # a colour touching most marks of a stronger ink is their rim or ringing (a JPEG's,
        # wider than a halo's reach at low resolution) or a thin line's fainter stretches;
        # faint greys are left to the rules above (a light grey line may cross a dark one's
        # band)
        if not seeded and others and (
                _halo_of(lab, cl.color, others, valid, background)
                or ((strong or np.hypot(lab_c[1], lab_c[2]) >= TINT_CHROMA)
                    and any(_attached(lab, cl.color, c, valid, strong, hugging=True)
                            for c in others))):
            continue
        inks.append(cl)
        if len(inks) >= max_series:
            break
    found = sorted(inks[seeded:], key=lambda c: -c.count)
    return [SeriesColor(c.color) for c in found]


def ink_mask(lab: np.ndarray, background: RGB, grid: RGB | None, valid: np.ndarray
             ) -> np.ndarray:
    """The ``valid`` pixels of any ink: off the background (dE > 4) and off the gridlines'
    colour (dE > 3)."""
    inked = (lab_distance(lab, background) > 4) & valid
    if grid is not None:
        inked &= lab_distance(lab, grid) > 3
    return inked


def _twin_inks(color: RGB, ink: RGB, lab: np.ndarray, valid: np.ndarray,
               bg_lab: np.ndarray) -> bool:
    """Whether ``color``, within :data:`SAME_COLOR` of ``ink``, is an ink of its own: two
    series drawn in close shades of one hue (a sequential palette's neighbours).

    Both are strong (no tint of the background) and flat (most pixels near each are that
    exact shade: drawn, not JPEG noise or a blend), and the flat pixels of ``color`` keep
    apart from those of ``ink`` (a darker rim, a marker's edge or a thin stroke's lighter
    shade touch their ink's pixels all along).
    """
    cores = []
    for c in (color, ink):
        c_lab = to_lab(np.array(c, np.uint8).reshape(1, 3))[0]
        if np.linalg.norm(c_lab - bg_lab) < STRONG_INK:
            return False
        d = lab_distance(lab, c)
        core = (d < TWIN_CORE) & valid
        if core.sum() < TWIN_MIN_CORE or core.sum() < TWIN_FLAT * ((d < 6) & valid).sum():
            return False
        cores.append(core)
    touching = (cores[0] & morphology.dilate(cores[1], 1)).sum()
    return bool(touching <= TWIN_TOUCH * cores[0].sum())


TWIN_CORE = 2.0  # dE: a pixel of this shade exactly (rounding aside)
TWIN_FLAT = 0.5  # share of a colour's pixels (within dE 6) in its core: a drawn flat ink
TWIN_MIN_CORE = 25  # px of core for an ink of its own
TWIN_TOUCH = 0.2  # share of the core beside the twin's core: more is one series' shades


def _tint_of(lab_c: np.ndarray, ink: RGB, bg_lab: np.ndarray, hue_tol: float = 25.0) -> bool:
    """Whether the CIELAB colour ``lab_c`` is a paler tint of ``ink``: its hue, less chroma,
    and a lightness between the ink's and the background's. Anti-aliased rims of an ink
    over the background and over gridlines at once are such tints, though no blend of two."""
    ink_lab = to_lab(np.array(ink, np.uint8).reshape(1, 3))[0]
    chroma_c, chroma_i = np.hypot(lab_c[1], lab_c[2]), np.hypot(ink_lab[1], ink_lab[2])
    if chroma_i < UNLISTED_CHROMA or chroma_c > chroma_i:
        return False
    turn = abs((np.degrees(np.arctan2(lab_c[2], lab_c[1]) - np.arctan2(ink_lab[2], ink_lab[1]))
                + 180.0) % 360.0 - 180.0)
    lo, hi = sorted((float(ink_lab[0]), float(bg_lab[0])))
    return bool(turn <= hue_tol and lo - 5.0 <= lab_c[0] <= hi + 5.0)


def fill_overlap(color: RGB, a: RGB, b: RGB, background: RGB, tol: float = 12.0) -> bool:
    """Whether ``color`` is where translucent fills seen as ``a`` and ``b`` (each over the
    background) overlap: ``b`` painted over ``a`` gives ``b + t (a - background)`` for its
    transparency ``t`` (and the same with the roles swapped)."""
    c, bg = np.asarray(color, float), np.asarray(background, float)
    for top, under in ((np.asarray(b, float), np.asarray(a, float)),
                       (np.asarray(a, float), np.asarray(b, float))):
        d = under - bg
        norm = float(d @ d)
        if norm < 100:
            continue
        t = float((c - top) @ d / norm)
        if 0.05 < t < 0.95 and float(np.linalg.norm(c - top - t * d)) < tol:
            return True
    return False


def find_fill_overlaps(series: list[SeriesColor], background: RGB, lab: np.ndarray,
                       valid: np.ndarray, candidates: list[int]) -> list[tuple[RGB, int, int]]:
    """Of the ``candidates`` (indices into ``series``: inks no legend lists), those that are
    two other series' translucent fills overlapping: a filled region of a colour
    :func:`fill_overlap` explains, bordering the regions of both. Returns (colour, i, j)."""
    found: list[tuple[RGB, int, int]] = []
    masks: dict[int, np.ndarray] = {}

    def mask(k: int) -> np.ndarray:
        if k not in masks:
            masks[k] = (lab_distance(lab, series[k].color) < SAME_COLOR) & valid
        return masks[k]

    for c in candidates:
        own = mask(c)
        if own.sum() < 400 or float(np.median(morphology.distance(own)[own])) < 3.0:
            continue
        near = morphology.dilate(own, 3) & ~own
        pair = next(((i, j) for i in range(len(series)) for j in range(i + 1, len(series))
                     if c not in (i, j)
                     and fill_overlap(series[c].color, series[i].color, series[j].color,
                                      background)
                     and (near & mask(i)).sum() >= 20 and (near & mask(j)).sum() >= 20),
                    None)
        if pair is not None:
            found.append((series[c].color, *pair))
    return found


def band_overlaps(series: list[SeriesColor], background: RGB, lab: np.ndarray,
                  valid: np.ndarray, candidates: list[int]) -> list[int]:
    """Of the ``candidates`` (indices into ``series``: inks no legend lists), those that are
    where two other series' translucent bands overlap: a colour :func:`fill_overlap` explains
    by the two bands' colours, bordering the pixels of both. Narrow bands overlap in narrow
    patches (no filled region, :func:`find_fill_overlaps`), found as inks before the bands
    were known.
    """
    banded = [i for i, s in enumerate(series) if s.band_color is not None]
    found: list[int] = []
    masks: dict[int, np.ndarray] = {}

    def near(k: int) -> np.ndarray:
        if k not in masks:
            band = series[k].band_color
            masks[k] = morphology.dilate((lab_distance(lab, band) < 6) & valid, 3)
        return masks[k]

    for c in candidates:
        own = (lab_distance(lab, series[c].color) < 6) & valid
        others = [i for i in banded if i != c]
        pairs = ((i, j) for a, i in enumerate(others) for j in others[a + 1:])
        if any(fill_overlap(series[c].color, series[i].band_color,  # type: ignore[arg-type]
                            series[j].band_color, background, tol=6.0)  # type: ignore[arg-type]
               and (own & near(i)).sum() >= 20 and (own & near(j)).sum() >= 20
               for i, j in pairs):
            found.append(c)
    return found


GREY_UNDER = 10.0  # RGB: spread of the channels of a grey line seen through a band, at most
UNDER_BAND_SHARE = 0.5  # share of a colour's pixels inside a band for it to be seen through it


def grey_under_band(color: RGB, ink: RGB, band: RGB, background: RGB) -> bool:
    """Whether ``color`` is a grey line (a gridline, an axis) seen through the translucent
    band of a series of ``ink``, drawn as ``band`` over the ``background``: with the band's
    opacity (from ``band``), what lies under ``color`` is a grey darker than the background.
    """
    alpha, residual = blend_alpha(band, background, ink)
    if not 0.05 < alpha < 0.95 or residual > PALE_SWATCH_RESIDUAL + 2.0:
        return False
    under = (np.asarray(color, float) - alpha * np.asarray(ink, float)) / (1.0 - alpha)
    if under.min() < -2.0 or under.max() > 257.0:
        return False
    return bool(np.ptp(under) <= GREY_UNDER and under.mean() < np.mean(background) - 8.0)


def seen_through_bands(series: list[SeriesColor], background: RGB, lab: np.ndarray,
                       valid: np.ndarray, candidates: list[int]) -> list[int]:
    """Of the ``candidates`` (indices into ``series``: inks no legend lists), those that are
    a grey line seen through another series' translucent band (:func:`grey_under_band`):
    a gridline crossing a band takes a tint of the band's ink, a line of its own colour,
    lying inside the band (at least :data:`UNDER_BAND_SHARE` of its pixels)."""
    found: list[int] = []
    bands: dict[int, np.ndarray] = {}  # per banded series, its band's pixels (grown), once
    for c in candidates:
        if series[c].band_color is not None:
            continue
        own = (lab_distance(lab, series[c].color) < 6) & valid
        if own.sum() == 0:
            continue
        for i, s in enumerate(series):
            if i == c or s.band_color is None or not grey_under_band(
                    series[c].color, s.color, s.band_color, background):
                continue
            if i not in bands:
                bands[i] = morphology.dilate((lab_distance(lab, s.band_color) < 6) & valid, 2)
            if (own & bands[i]).sum() >= UNDER_BAND_SHARE * own.sum():
                found.append(c)
                break
    return found


def _repeated_marks(lab: np.ndarray, color: RGB, valid: np.ndarray) -> bool:
    """Whether the pixels of ``color`` form at least three small solid blobs of one size: a
    few tiny markers, too few pixels for an ink by count alone but plainly data."""
    mask = (lab_distance(lab, color) < SAME_COLOR) & valid
    labels, n = ndimage.label(mask)
    if n < 3:
        return False
    sizes = np.bincount(labels.ravel())[1:]
    boxes = ndimage.find_objects(labels)
    fill = np.array([sz / ((b[0].stop - b[0].start) * (b[1].stop - b[1].start))
                     for sz, b in zip(sizes, boxes, strict=True)])
    blobs = sizes[(sizes >= 4) & (fill >= 0.5)]
    if len(blobs) < 3 or len(blobs) < 0.8 * n:
        return False
    median = float(np.median(blobs))
    return bool(np.all((blobs >= 0.5 * median) & (blobs <= 2.0 * median)))


MIN_MARKS_INK = 12  # px: the least ink of a colour that can be tiny markers (3 blobs of 4)


def _fringe_or_band(lab: np.ndarray, color: RGB, parent: RGB, valid: np.ndarray,
                    inked: np.ndarray) -> bool:
    """Whether pixels of ``color`` (a blend of the background and ``parent``) are the parent's
    anti-aliased rim or a translucent band of it, rather than a lighter series of their own.

    A rim hugs the parent's strokes; a band is wide (its pixels lie deep inside it) or lies
    on both sides of the parent's stroke (:func:`_sandwich_band`); a lighter series draws
    thin strokes of its own, away from the parent's. ``inked`` holds the pixels of any ink
    (neither background nor gridline).
    """
    mask = (lab_distance(lab, color) < 6) & valid
    n = int(mask.sum())
    if n == 0:
        return True
    own = (lab_distance(lab, parent) < SAME_COLOR) & valid
    if _hugs(lab, color, own, valid):
        return True
    depth = morphology.distance(mask)[mask]
    if np.median(depth) >= 3.0:
        return True
    return _sandwich_band(lab, color, parent, own, valid, inked)


def _sandwich_band(lab: np.ndarray, color: RGB, parent: RGB, own: np.ndarray,
                   valid: np.ndarray, inked: np.ndarray) -> bool:
    """Whether ``color`` is a narrow band of ``parent`` (whose pixels are ``own``), or one
    the parent's thick stroke splits in two: too thin for a band by depth, too wide for a
    rim, it lies on both sides of most of the parent's stroke (:func:`sandwiched`; markers
    left out, :func:`stroke_of`: a band is cut at a big marker's rim).

    A lighter series of the same hue only crosses the stroke. Where its colour is close to
    the band's (within the 6 dE the band is taken at), the two share the pixels: the
    candidate's own shade (its core, within :data:`CORE_TOL`) then tells them apart, as a
    band's core lies in the ink around the parent's stroke (:func:`enveloped`) and a line's
    runs apart from it. Not for a grey parent: in a grey chart a light series runs over the
    darker ones' bands.
    """
    ref = to_lab(np.array(parent, np.uint8).reshape(1, 3))[0]
    if np.hypot(ref[1], ref[2]) < UNLISTED_CHROMA:
        return False
    d = lab_distance(lab, color)
    if sandwiched((d < 6) & valid, stroke_of(own)) < SANDWICH_SHARE:
        return False
    core = (d < CORE_TOL) & valid
    return bool(not core.any() or enveloped(core, own, inked) >= ENVELOPED_SHARE)


SANDWICH_SHARE = 0.5  # share of a line's pixels with its band's colour on both sides
SANDWICH_REACH = 8  # px from a line pixel within which its band must show, on each side
CORE_TOL = 3.0  # dE: a colour's own shade, apart from a near one's (rounding, JPEG aside)
ENVELOPED_SHARE = 0.4  # least share of a band's core in the ink around its line's stroke


def stroke_of(ink: np.ndarray) -> np.ndarray:
    """``ink`` without its markers: the blobs wider than its strokes (grown by a pixel) taken
    out, or all of ``ink`` where they are most of it (markers alone, or thick strokes)."""
    half = line_half_width(ink)
    size = 2 * int(round(half)) + 3
    disk = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    stroke = ink & ~morphology.dilate(morphology.opening(ink, disk), 1)
    return stroke if stroke.sum() >= 0.05 * ink.sum() else ink


def enveloped(core: np.ndarray, line: np.ndarray, inked: np.ndarray) -> float:
    """Share of the ``core`` pixels in a column's run of ink that holds ``line`` pixels.

    A band is drawn around its line: down each column its pixels and the line's form one run
    of ink (other inks drawn over the band within it). A line of its own runs apart, meeting
    the other only where they cross.

    Parameters
    ----------
    core, line, inked : ndarray of bool
        The candidate's pixels, the stroke's pixels and all ink (neither background nor
        gridline), same shape.

    Returns
    -------
    float
        0 when ``core`` is empty.
    """
    n = int(core.sum())
    if n == 0:
        return 0.0
    runs, count = ndimage.label(inked | line | core, structure=_COLUMN)
    holds = np.zeros(count + 1, bool)
    holds[runs[line]] = True
    holds[0] = False
    return float(holds[runs[core]].sum()) / n


_COLUMN = np.array([[0, 1, 0], [0, 1, 0], [0, 1, 0]], bool)  # labels runs down a column


def sandwiched(band: np.ndarray, line: np.ndarray, reach: int = SANDWICH_REACH) -> float:
    """Share of the ``line`` pixels that have ``band`` pixels on both sides within ``reach``
    px: above and below, or left and right (a steep stroke's band lies beside it).

    Parameters
    ----------
    band, line : ndarray of bool
        The candidate band's pixels and the stroke's pixels, same shape.
    reach : int
        How far from a stroke pixel the band may begin (the stroke's own width included).

    Returns
    -------
    float
        0 when ``line`` is empty.
    """
    n = int(line.sum())
    if n == 0:
        return 0.0
    both = np.zeros(line.shape, bool)
    for axis in (0, 1):
        before = np.zeros(line.shape, bool)
        after = np.zeros(line.shape, bool)
        size = band.shape[axis]
        for k in range(1, min(reach, size - 1) + 1):
            lead = [slice(None), slice(None)]
            tail = [slice(None), slice(None)]
            lead[axis], tail[axis] = slice(k, None), slice(None, size - k)
            before[tuple(lead)] |= band[tuple(tail)]  # band k px before (above / left)
            after[tuple(tail)] |= band[tuple(lead)]  # band k px after (below / right)
        both |= before & after
    return float((both & line).sum()) / n


TINT_CHROMA = 5.0  # Lab chroma from which a colour carries a hue (JPEG ringing of an ink does)
UNLISTED_CHROMA = 12.0  # a neutral ink a legend does not list is a frame, text or a shadow


def _attached(
    lab: np.ndarray, color: RGB, ink: RGB, valid: np.ndarray, strong: bool = False,
    hugging: bool = False,
) -> bool:
    """Whether ``color`` is part of ``ink``'s marks drawn in another colour (a red marker on a
    blue line, a marker's edge, the marks' error bars, JPEG ringing), not a series of its own.

    Such a colour touches most marks of ``ink``. A series of its own that crosses ``ink``'s
    series touches them too, but it is a ``strong`` colour (far from the background: no
    faint tint or ringing), has solid marks of its own (markers) no wider than strokes and
    markers (not a band) and most of its pixels lie away from ``ink``'s. With ``hugging``
    (no legend to say which inks are series), a strong colour must lie mostly beside
    ``ink``'s pixels with no solid marks of its own (a rim): a line of its own crossing
    ``ink``'s cuts it in pieces it touches.
    """
    own = (lab_distance(lab, ink) < SAME_COLOR) & valid
    labels, n = ndimage.label(own)
    if n < 2:
        return False
    sizes = np.bincount(labels.ravel(), minlength=n + 1)
    touch = morphology.dilate((lab_distance(lab, color) < SAME_COLOR) & valid, 4)
    marks = np.flatnonzero(sizes[1:] >= 4) + 1  # labels of the marks, specks left out
    if len(marks) < 2:
        return False
    touched = np.unique(labels[touch & own])
    if np.isin(marks, touched).mean() < 0.6:
        return False
    if not strong:
        return True
    close = (lab_distance(lab, color) < 6) & valid
    beside = (close & morphology.dilate(own, ATTACHED_REACH)).sum() >= 0.5 * close.sum()
    if hugging:
        return bool(beside) and solidity(lab, color, valid) < ATTACHED_SOLIDITY
    if beside or solidity(lab, color, valid) < ATTACHED_SOLIDITY:
        return True
    # wide areas (bands overlapping under the lines) are no marks of a series either
    depth = morphology.distance(close)[close]
    return bool(len(depth) == 0 or np.median(depth) >= 2.0)


ATTACHED_REACH = 6  # px: how far a colour drawn on another's marks lies from their pixels
ATTACHED_SOLIDITY = 0.1  # below this, no solid marks of its own: strokes, rims, ringing
STRONG_INK = 25.0  # CIELAB dE from the background: an ink, not a tint (JPEG, a gradient)


def _rim_of(lab: np.ndarray, color: RGB, inks: list[RGB], valid: np.ndarray) -> bool:
    """Whether most pixels of ``color`` hug the pixels of ``inks``: the edge or anti-aliased
    rim of known series (a marker's darker outline), or what shows through their bands."""
    mask = (lab_distance(lab, color) < 6) & valid
    n = int(mask.sum())
    if n == 0:
        return True
    near = np.zeros_like(mask)
    for ink in inks:
        near |= (lab_distance(lab, ink) < SAME_COLOR) & valid
    return bool((mask & morphology.dilate(near, 2)).sum() >= 0.5 * n)


def _halo_of(lab: np.ndarray, color: RGB, inks: list[RGB], valid: np.ndarray,
             background: RGB) -> bool:
    """Whether ``color`` is the rim of stronger ``inks`` found before it where no legend
    names the series (a JPEG's ringing around markers, a marker's darker outline).

    Either most of its pixels hug theirs (:func:`_rim_of`) and it has no solid marks of its
    own, or it is a tint between the background and one of them lying almost wholly within
    a few pixels of that ink's marks (a wider JPEG halo, solid where it fills the gaps of a
    clump).
    """
    if _rim_of(lab, color, inks, valid) and solidity(lab, color, valid) < HALO_SOLIDITY:
        return True
    mask = (lab_distance(lab, color) < 6) & valid
    n = int(mask.sum())
    for ink in inks:
        alpha, _ = blend_alpha(color, background, ink)
        if not 0.0 < alpha < 1.0:
            continue
        near = morphology.dilate((lab_distance(lab, ink) < SAME_COLOR) & valid, HALO_REACH)
        if n == 0 or (mask & near).sum() >= HALO_SHARE * n:
            return True
    return False


HALO_SOLIDITY = 0.3  # filled markers keep most pixels under a 3x3 erosion; rims keep few
HALO_REACH = 4  # px: how far JPEG ringing spreads around a mark
HALO_SHARE = 0.9  # of a halo's pixels within HALO_REACH of its ink's


def _error_bars_of(lab: np.ndarray, color: RGB, parent: RGB, valid: np.ndarray) -> bool:
    """Whether pixels of ``color`` (a blend of the background and ``parent``) are mostly the
    parent's error bars: strokes thinner than a pixel, snapped to the pixel grid, come out as
    a uniform lighter shade of their ink, which is no series of its own."""
    light = (lab_distance(lab, color) < 6) & valid
    n = int(light.sum())
    if n == 0:
        return True
    union = light | ((lab_distance(lab, parent) < SAME_COLOR) & valid)
    bars = find_error_bars(union, line_half_width(union))
    if not bars.bars:
        return False
    return bool((light & ~bars.cleaned).sum() >= 0.6 * n)


DOT_GAP = 5  # px: the widest gap between the dots of a dotted gridline


def _mostly_axis_lines(lab: np.ndarray, color: RGB, valid: np.ndarray) -> bool:
    """True when ``color`` is neutral and most of its pixels lie on rows or columns it crosses
    almost entirely: an axis line, a frame or a gridline, not data. A dotted gridline
    crosses its row once the gaps between its dots (up to ``DOT_GAP`` px) are closed."""
    ref = to_lab(np.array(color, np.uint8).reshape(1, 3))[0]
    if np.hypot(ref[1], ref[2]) > 10:
        return False  # coloured ink is data, even a flat line
    mask = (lab_distance(lab, color) < SAME_COLOR) & valid
    n = int(mask.sum())
    if n == 0:
        return True
    along = np.ones((1, DOT_GAP + 2), bool)
    rows = ndimage.binary_closing(mask, along).mean(axis=1) > 0.8
    cols = ndimage.binary_closing(mask, along.T).mean(axis=0) > 0.8
    on_lines = mask[rows, :].sum() + mask[:, cols].sum()
    return bool(on_lines > 0.6 * n)


def _grid_seen_through(lab: np.ndarray, color: RGB, grid: RGB, background: RGB,
                       valid: np.ndarray) -> bool:
    """Whether most pixels of ``color`` continue the gridlines: they lie on rows or columns
    that ``color`` and the grid colour together cross almost entirely (gridlines seen
    through a translucent fill take the fill's tint where they cross it)."""
    mask = (lab_distance(lab, color) < 6) & valid
    n = int(mask.sum())
    if n == 0:
        return True
    to_grid = lab_distance(lab, grid)
    gridded = (to_grid < SAME_COLOR) & (to_grid < lab_distance(lab, background)) & valid
    lines = mask | gridded
    # a tinted stretch of gridline is long: marks sitting on a gridline are not
    rows = ((lines.mean(axis=1) > 0.8) & (gridded.mean(axis=1) >= 0.03)
            & (mask.mean(axis=1) >= 0.1))
    cols = ((lines.mean(axis=0) > 0.8) & (gridded.mean(axis=0) >= 0.03)
            & (mask.mean(axis=0) >= 0.1))
    on_lines = mask[rows, :].sum() + mask[:, cols].sum()
    return bool(on_lines > 0.6 * n)


def distinct_colors(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(packed, return_inverse=True)`` for 24-bit packed RGB, by table lookup.

    A chart has few distinct colours among many pixels: marking them in a table of all
    2**24 colours is several times faster than sorting the pixels.
    """
    flat = packed.ravel()
    seen = np.zeros(1 << 24, dtype=bool)
    seen[flat] = True
    unique = np.flatnonzero(seen).astype(packed.dtype)
    index = np.empty(1 << 24, dtype=np.int32)
    index[unique] = np.arange(len(unique), dtype=np.int32)
    return unique, index[flat]


def _nearest_ink(rgb: np.ndarray, refs: list[RGB], tol: float) -> np.ndarray:
    """Index of the nearest reference colour (CIELAB) for every pixel, ``-1`` past ``tol``.

    Works on the image's distinct colours, not its pixels: charts have few of them.
    """
    if not refs:
        return np.full(rgb.shape[:2], -1, dtype=np.int32)
    packed = (
        (rgb[..., 0].astype(np.int32) << 16) | (rgb[..., 1].astype(np.int32) << 8) | rgb[..., 2]
    )
    unique, inverse = distinct_colors(packed)
    colors_u = np.stack([(unique >> 16) & 255, (unique >> 8) & 255, unique & 255], axis=1)
    lab_u = to_lab(colors_u.astype(np.uint8))
    ref_lab = to_lab(np.asarray(refs, dtype=np.uint8))
    best = np.full(len(unique), -1, dtype=np.int32)
    chunk = max(1, 4_000_000 // max(1, len(refs)))
    for start in range(0, len(unique), chunk):
        part = lab_u[start : start + chunk]
        d = np.sqrt(((part[:, None, :] - ref_lab[None, :, :]) ** 2).sum(axis=-1))
        idx = d.argmin(axis=1).astype(np.int32)
        idx[d[np.arange(len(part)), idx] > tol] = -1
        best[start : start + chunk] = idx
    return best[inverse].reshape(rgb.shape[:2])


def _rgb(color: np.ndarray) -> RGB:
    return tuple(int(v) for v in np.clip(np.round(color), 0, 255))  # type: ignore[return-value]


def segment(
    rgb: np.ndarray, palette: Palette, valid: np.ndarray, lab: np.ndarray | None = None
) -> Segmentation:
    """Assign every valid plot-area pixel to the nearest ink of the palette.

    Parameters
    ----------
    rgb : ndarray
        The plot-area crop, RGB uint8.
    palette : Palette
        Background, gridline and series colours (bands included).
    valid : ndarray of bool
        Pixels to consider (False over the legend and anything else to ignore).
    """
    if lab is None:
        lab = to_lab(rgb)
    refs: list[RGB] = [palette.background]
    kinds: list[tuple[str, int, int]] = [("bg", -1, -1)]
    if palette.grid is not None:
        refs.append(palette.grid)
        kinds.append(("grid", -1, -1))
    for i, s in enumerate(palette.series):
        refs.append(s.color)
        kinds.append(("line", i, -1))
        # the line seen through another series' translucent band drawn over it
        for j, t in enumerate(palette.series):
            if j != i and t.band_alpha is not None:
                refs.append(_rgb(blend(s.color, t.color, t.band_alpha)))
                kinds.append(("line", i, -1))
    for color, i, j in palette.overlaps:
        refs.append(color)
        kinds.append(("both", i, j))
    # bands are translucent: over the background, and over gridlines running beneath them
    grounds = [palette.background] + ([palette.grid] if palette.grid is not None else [])
    for ground in grounds:
        for i, s in enumerate(palette.series):
            if s.band_color is None or s.band_alpha is None:
                continue
            own = blend(ground, s.color, s.band_alpha)
            refs.append(_rgb(own))
            kinds.append(("band", i, -1))
            for j, t in enumerate(palette.series):
                if j == i or t.band_color is None or t.band_alpha is None:
                    continue
                # series j's band painted over series i's band
                refs.append(_rgb(blend(own, t.color, t.band_alpha)))
                kinds.append(("overlap", i, j))
    nearest = _nearest_ink(rgb, refs, tol=SAME_COLOR * 1.6)
    nearest[~valid] = -1
    n = len(palette.series)
    line = [np.zeros(valid.shape, bool) for _ in range(n)]
    band = [np.zeros(valid.shape, bool) for _ in range(n)]
    for k, (kind, i, j) in enumerate(kinds):
        hit = nearest == k
        if kind == "line":
            line[i] |= hit
        elif kind == "band":
            band[i] |= hit
        elif kind == "overlap":
            band[i] |= hit
            band[j] |= hit
        elif kind == "both":
            line[i] |= hit
            line[j] |= hit
    _claim_line_cores(rgb, palette, line, nearest, kinds, valid)
    _drop_fringes(rgb, palette, line, band)
    if palette.grid is not None:
        _drop_gridlines(palette, line, nearest == kinds.index(("grid", -1, -1)), valid)
    return Segmentation(line=line, band=band, valid=valid, lab=lab)


def _drop_gridlines(
    palette: Palette, line: list[np.ndarray], grid: np.ndarray, valid: np.ndarray
) -> None:
    """Take gridlines out of the line masks of series whose ink is near the grid's colour.

    A grey series a few CIELAB units from grey gridlines gets the gridlines' darker core
    pixels too. Its own strokes do not run straight across the plot: rows and columns that
    its pixels and the grid's together cross almost entirely, with a good part of them its,
    in runs no wider than a line, are gridlines (where it merely crosses a gridline, it keeps
    its pixels; a filled area crossing the plot is no line).
    """
    grid_lab = to_lab(np.asarray(palette.grid, np.uint8).reshape(1, 3))
    width = np.maximum(valid.sum(axis=1), 1)
    height = np.maximum(valid.sum(axis=0), 1)
    for i, s in enumerate(palette.series):
        # (a series drawn in the grid's very colour is told from it elsewhere)
        if not GRID_SAME < float(lab_distance(grid_lab, s.color)[0]) < GRID_CONFUSABLE:
            continue
        across = line[i] | grid
        # axis 1 sums along rows (horizontal gridlines), axis 0 along columns
        rows, cols = (
            thin_runs(np.flatnonzero((across.sum(axis=axis) > GRID_ACROSS * span)
                                     & (line[i].sum(axis=axis) > GRID_TAKEN * span)),
                      GRID_MAX_WIDTH)
            for axis, span in ((1, width), (0, height)))
        line[i][rows, :] = False
        line[i][:, cols] = False


GRID_MAX_WIDTH = 6  # px: rows or columns in a longer run are a filled region, not a line


def thin_runs(idx: np.ndarray, max_width: int) -> np.ndarray:
    """The indices of ``idx`` (sorted) in runs of consecutive values no longer than
    ``max_width``."""
    if len(idx) == 0:
        return idx
    starts = np.flatnonzero(np.diff(idx, prepend=idx[0] - 2) > 1)
    lengths = np.diff(np.append(starts, len(idx)))
    keep = np.repeat(lengths <= max_width, lengths)
    return idx[keep]


GRID_CONFUSABLE = 1.6 * SAME_COLOR  # dE: a series ink the grid's pixels may be taken for
GRID_SAME = 3.0  # dE: a series ink this close is the grid's own colour
GRID_ACROSS = 0.8  # share of a row/column a gridline covers (data drawn over it hides some)
GRID_TAKEN = 0.3  # share of a gridline's row/column a series must have taken to lose it


def _drop_fringes(
    rgb: np.ndarray, palette: Palette, line: list[np.ndarray], band: list[np.ndarray]
) -> None:
    """Remove anti-aliasing fringes of a strong ink from lighter series that resemble them.

    The rim of a dark blue line, half ink and half background, has the colour of a light blue
    series; a pixel right beside series ``i``'s line that is explained as a blend of the
    background and ``i``'s ink is ``i``'s fringe, not another series' ink.
    """
    bg = np.asarray(palette.background, dtype=np.float32)
    pixels = rgb.astype(np.float32) - bg
    length2 = (pixels**2).sum(axis=-1)
    for i, s in enumerate(palette.series):
        if not line[i].any():
            continue
        d = np.asarray(s.color, dtype=np.float32) - bg
        norm = float(d @ d)
        if norm < 400:
            continue
        rim = morphology.dilate(line[i], 2) & ~line[i]
        alpha = pixels @ d / norm
        residual2 = length2 - alpha**2 * norm  # squared distance from the bg -> ink line
        fringe = rim & (alpha > 0.05) & (alpha < 0.95) & (residual2 < 18**2)
        for j, t in enumerate(palette.series):
            if j == i:
                continue
            a, r = blend_alpha(t.color, palette.background, s.color)
            if 0.1 < a < 0.9 and r < 30:
                line[j] &= ~fringe
                band[j] &= ~fringe


def _claim_line_cores(
    rgb: np.ndarray,
    palette: Palette,
    line: list[np.ndarray],
    nearest: np.ndarray,
    kinds: list[tuple[str, int, int]],
    valid: np.ndarray,
) -> None:
    """Give a series' line the pixels that are mostly its ink over the background.

    Thin light lines inside their own band lose their anti-aliased and JPEG-smeared pixels to
    the band by nearest colour; measured as an opacity along background -> ink, a pixel more
    than halfway from the band's opacity to 1 is line.
    """
    bg = np.asarray(palette.background, dtype=np.float32)
    pixels = rgb.astype(np.float32) - bg
    length2 = (pixels**2).sum(axis=-1)
    taken = np.zeros(valid.shape, bool)
    for m in line:
        taken |= m
    for i, s in enumerate(palette.series):
        d = np.asarray(s.color, dtype=np.float32) - bg
        norm = float(d @ d)
        if norm < 400:  # ink too close to the background to measure opacity
            continue
        alpha = pixels @ d / norm
        # distance from the background -> ink line, squared: |p|^2 - (p.d)^2 / |d|^2
        residual2 = length2 - alpha**2 * norm
        threshold = (1.0 + (s.band_alpha or 0.2)) / 2
        own = {
            k
            for k, (kind, a, _) in enumerate(kinds)
            if (kind in ("line", "band") and a == i) or kind in ("bg", "grid")
        }
        allowed = np.isin(nearest, list(own)) | (nearest < 0)
        extra = (alpha > threshold) & (alpha < 1.4) & (residual2 < 400) & valid & allowed & ~taken
        line[i] |= extra
