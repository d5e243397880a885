"""Layout: where the plot area, ticks, gridlines and text are.

The plot area is found, in order of preference, from

1. long straight neutral lines (spines, axis lines, gridlines): lines are found with
   black-hat / top-hat contrast, gap bridging only where something is drawn over them, and
   label glyphs trimmed off their ends. Candidate frames are closed rectangles of four lines
   and pairs of horizontal/vertical line groups sharing one extent; the one with the most
   lines and area wins, a legend box (small) or a border around the whole chart (holding
   another frame well inside it) never does;
2. a filled panel background (seaborn darkgrid, ggplot: grey panel, white gridlines), pieces
   cut off by full-width bands merged back;
3. the tick labels themselves (a right-aligned column of numbers, a row of numbers below)
   and the data ink between them, for charts with no lines at all.

Text is read with one Tesseract call per margin strip (the y tick-label column, below,
above, right; block mode: sparse mode drops single-digit labels) plus one on the rotated
strip holding the y-axis title, another on an un-rotated strip when the x tick labels are
set at an angle, and one for y tick labels on the right side when there are none on the
left. Offset texts OCR mangled (``$i63`` for ``+1e3``, or merged into the title) are read
again on their own from the axes corners with a digits-and-``e`` whitelist.

Line contrast is measured on the image padded with the figure colour, so a spine a few
pixels from the image border (tight layouts) is found like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import cv2
import numpy as np
from scipy import ndimage

from .geometry import Box
from .labels import (
    clock_time,
    cut_label,
    has_month,
    iso_day,
    label_consistency,
    month_day_hour,
    parse_date,
    parse_date_offset,
    parse_number,
    parse_offset,
    parse_time,
    power_head,
    split_run_on,
    with_mantissa,
    year_of,
)
from .ocr import PSM_BLOCK, PSM_LINE, PSM_SPARSE, Word, read_words

PSM_COLUMN = 4  # a single column of text of variable sizes


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
    x_edges, y_edges : tuple of float or None
        Pixel positions of the plot-area boundary lines (spine centres, or panel edges),
        which are also tick positions when a tick sits on the boundary.
    x_offset_text, y_offset_text : str or None
        Matplotlib-style offset/multiplier text (``"1e6"``, ``"×10^3"``) for an axis.
    x_tick_anchors : list of float or None
        For rotated x tick labels: the x of each label's end nearest the axis (where it
        meets its tick), in the order of ``x_tick_labels``.
    x_tick_shift, y_tick_shift : float
        How far (pixels, towards larger coordinates) crisp tick marks, gridlines and frame
        lines, those centred on a whole pixel, are likely drawn past the value they mark
        (see :func:`crisp_line_shift`); 0 where the tick marks are anti-aliased.
    inner_marks : list of Box
        Axis lines drawn across the plot area (axes through zero) with their tick marks,
        and the tick labels set beside them: marks inside the plot area that are not data.
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
    x_edges: tuple[float, float] | None = None
    y_edges: tuple[float, float] | None = None
    x_offset_text: str | None = None
    y_offset_text: str | None = None
    x_tick_anchors: list[float] | None = None
    x_tick_shift: float = 0.0
    y_tick_shift: float = 0.0
    inner_marks: list[Box] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# image helpers


def as_rgb(image: np.ndarray) -> np.ndarray:
    """An ``(H, W, 3)`` uint8 view of a grey, RGB or RGBA image (alpha composited on white)."""
    a = np.asarray(image)
    if a.dtype != np.uint8:
        a = np.clip(a * (255.0 if a.max() <= 1.0 else 1.0), 0, 255).astype(np.uint8)
    if a.ndim == 2:
        return np.repeat(a[..., None], 3, axis=2)
    if a.shape[2] == 4:
        alpha = a[..., 3:4].astype(np.float32) / 255.0
        return (a[..., :3] * alpha + 255.0 * (1 - alpha)).astype(np.uint8)
    return a[..., :3]


def border_color(rgb: np.ndarray) -> tuple[int, int, int]:
    """The most common colour along the image border (the figure background)."""
    edge = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]]).reshape(-1, 3)
    return _mode_color(edge)


def _mode_color(pixels: np.ndarray) -> tuple[int, int, int]:
    q = pixels.astype(np.int32)
    keys = (q[:, 0] << 16) | (q[:, 1] << 8) | q[:, 2]
    vals, counts = np.unique(keys, return_counts=True)
    k = int(vals[np.argmax(counts)])
    return (k >> 16) & 255, (k >> 8) & 255, k & 255


@dataclass(frozen=True)
class Line:
    """A long straight line: ``pos`` across it (subpixel centre), ``start``/``end`` along it."""

    pos: float
    start: int
    end: int  # exclusive
    lo: int  # first pixel row/column of its thickness
    hi: int  # last pixel row/column of its thickness (inclusive)
    dark: bool  # darker than its surroundings
    strength: float = 0.0  # mean contrast along the line
    width: float = 1.0  # effective thickness (contrast-weighted)

    @property
    def length(self) -> int:
        return self.end - self.start


def _scale(shape: tuple[int, ...]) -> float:
    """Rough resolution factor: 1 for a ~1000 px wide chart."""
    return max(shape[0], shape[1]) / 1000.0


def _chroma(rgb: np.ndarray) -> np.ndarray:
    """Per pixel, the spread of its R, G and B (int16): 0 for grey, large for vivid colour."""
    return rgb.max(axis=2).astype(np.int16) - rgb.min(axis=2).astype(np.int16)


def _text_grey(rgb: np.ndarray, fig_bg: tuple) -> np.ndarray:
    """The image in grey levels with text dark on light: inverted on a dark theme
    (``fig_bg``, the figure's colour, dark)."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    return 255 - grey if np.mean(fig_bg) < 128 else grey


def _ground_level(fig_bg: tuple) -> int:
    """The figure's colour ``fig_bg`` as a level of :func:`_text_grey` (inverted on a dark
    theme, as the image is)."""
    level = int(np.mean(fig_bg))
    return 255 - level if level < 128 else level


def line_masks(rgb: np.ndarray) -> tuple[np.ndarray, ...]:
    """Contrast of thin dark and thin light neutral structures, and their masks.

    Returns ``(dark_response, light_response, dark_mask, light_mask, busy)``; responses are
    float32 grey-level differences from the local background (black-hat / top-hat
    transforms); ``busy`` marks anything drawn (any contrast, or colour).
    """
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    k = max(7, int(round(7 * _scale(rgb.shape))) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    # padded with the figure colour: a spine a few pixels from the image border (tight
    # layouts) must stand out against the background beyond it as anywhere else
    h, w = grey.shape
    bg = int(np.median(np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])))
    padded = cv2.copyMakeBorder(grey, k, k, k, k, cv2.BORDER_CONSTANT, value=bg)
    dark = cv2.morphologyEx(padded, cv2.MORPH_BLACKHAT, kernel)[k : k + h, k : k + w]
    light = cv2.morphologyEx(padded, cv2.MORPH_TOPHAT, kernel)[k : k + h, k : k + w]
    dark, light = dark.astype(np.float32), light.astype(np.float32)
    chroma = _chroma(rgb)
    neutral = chroma < 60
    busy = (dark > 12) | ~neutral
    return dark, light, (dark > 12) & neutral, (light > 10) & neutral, busy


def find_lines(
    mask: np.ndarray,
    response: np.ndarray,
    horizontal: bool,
    min_len: int,
    dark: bool,
    busy: np.ndarray | None = None,
) -> list[Line]:
    """Long thin straight lines in ``mask``, horizontal or vertical.

    Breaks in a line are bridged where something else is drawn over it (``busy``: data,
    markers, crossing lines) or where they are short (dashes, anti-aliasing dropouts).
    """
    m = mask.astype(np.uint8)
    resp = response
    busy = m if busy is None else busy.astype(np.uint8)
    if not horizontal:
        m, resp, busy = m.T.copy(), response.T, busy.T
    s = _scale(mask.shape)
    gap = max(5, int(round(12 * s)))
    bridged = cv2.morphologyEx(m, cv2.MORPH_CLOSE, np.ones((1, gap), np.uint8))
    opened = cv2.morphologyEx(bridged, cv2.MORPH_OPEN, np.ones((1, min_len), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
    max_thick = max(3, int(round(6 * s)))
    out: list[Line] = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if h > max_thick:
            y, h = _line_core(resp[y : y + h, x : x + w], y)
            if h > max_thick:
                continue
        span = _isolated_span(m, busy, y, y + h, x, x + w, gap, min_len)
        if span is None:
            continue
        a, b = span
        prof = resp[y : y + h, a:b].sum(axis=1)
        pos = float((np.arange(y, y + h) * prof).sum() / max(prof.sum(), 1e-6))
        strength = float(resp[y : y + h, a:b].max(axis=0).mean())
        width = float(prof.sum() / max(prof.max(), 1e-6))
        out.append(Line(pos, int(a), int(b), int(y), int(y + h - 1), dark, strength, width))
    return _join_collinear(out, busy, 4 * gap)


def _line_core(response: np.ndarray, top: int) -> tuple[int, int]:
    """First row and height of a line's core: the rows of ``response`` (the line's rows,
    from row ``top``) at half the strongest row's mean response or more.

    A JPEG's (or anti-aliasing's) faint fringe on either side of a thick spine passes the
    line mask too, and must not make the line look thicker than it is drawn.
    """
    rows = response.mean(axis=1)
    core = np.flatnonzero(rows >= 0.5 * rows.max())
    if not core.size:
        return top, response.shape[0]
    return top + int(core[0]), int(core[-1] - core[0] + 1)


def _join_collinear(lines: list[Line], busy: np.ndarray, max_gap: int) -> list[Line]:
    """Join pieces of one line broken by something drawn over it (a marker, a label box)."""
    out: list[Line] = []
    for ln in sorted(lines, key=lambda q: (round(q.pos), q.start)):
        if out:
            prev = out[-1]
            g = ln.start - prev.end
            if abs(ln.pos - prev.pos) <= 1.0 and 0 <= g <= max_gap:
                rows = busy[min(prev.lo, ln.lo) : max(prev.hi, ln.hi) + 1, prev.end : ln.start]
                if g <= 2 or rows.any(axis=0).mean() >= 0.5:
                    n1, n2 = prev.length, ln.length
                    out[-1] = Line(
                        (prev.pos * n1 + ln.pos * n2) / (n1 + n2), prev.start, ln.end,
                        min(prev.lo, ln.lo), max(prev.hi, ln.hi), prev.dark,
                        (prev.strength * n1 + ln.strength * n2) / (n1 + n2),
                        max(prev.width, ln.width),
                    )
                    continue
        out.append(ln)
    return out


def all_lines(
    dark: np.ndarray,
    light: np.ndarray,
    dark_mask: np.ndarray,
    light_mask: np.ndarray,
    busy: np.ndarray,
) -> tuple[list[Line], list[Line]]:
    """Horizontal and vertical long lines, dark and light ones together."""
    h, w = dark.shape
    min_h, min_v = max(20, int(0.15 * w)), max(20, int(0.15 * h))
    hl = find_lines(dark_mask, dark, True, min_h, True, busy)
    hl += find_lines(light_mask, light, True, min_h, False, busy)
    vl = find_lines(dark_mask, dark, False, min_v, True, busy)
    vl += find_lines(light_mask, light, False, min_v, False, busy)
    return hl, vl


def _isolated_span(
    m: np.ndarray, busy: np.ndarray, y0: int, y1: int, x0: int, x1: int, gap: int, min_len: int
) -> tuple[int, int] | None:
    """The longest stretch of rows ``y0:y1`` that is a thin line (nothing just above/below).

    Text merged into a line by gap bridging is inked above or below the line too, so it is
    cut off here. Breaks are bridged when short (up to ``gap``) or covered by other ink.
    """
    covered = busy[y0:y1, x0:x1].any(axis=0)
    core = m[y0:y1, x0:x1].any(axis=0)
    iso = core.copy()
    if y0 - 2 >= 0:
        iso &= m[y0 - 2, x0:x1] == 0
    if y1 + 1 < m.shape[0]:
        iso &= m[y1 + 1, x0:x1] == 0
    runs = _runs(iso)
    if not runs:
        return None
    # chains of runs; each piece remembers whether it was joined across a blank gap
    chains: list[list[tuple[int, int, bool]]] = [[(runs[0][0], runs[0][1], False)]]
    for a, b in runs[1:]:
        end = chains[-1][-1][1]
        start = chains[-1][0][0]
        g = a - end
        if g <= 1 or covered[end:a].mean() >= 0.5:
            # (a gap covered only in part, blank columns left, is a label's glyphs beside
            # the line's end, not a mark crossing it: joined across a blank gap)
            chains[-1].append((a, b, g > 1 and not covered[end:a].all()))
        elif g <= gap and b - a >= max(4, g) and end - start >= max(4, g):
            chains[-1].append((a, b, True))
        else:
            chains.append([(a, b, False)])
    chain = max(chains, key=lambda c: c[-1][1] - c[0][0])
    # a short piece at an end joined across a blank gap is a glyph of a label, not line
    short = max(6, gap)
    while len(chain) > 1 and chain[1][2] and chain[0][1] - chain[0][0] < short:
        chain = chain[1:]
    while len(chain) > 1 and chain[-1][2] and chain[-1][1] - chain[-1][0] < short:
        chain = chain[:-1]
    chain = _trim_glyph_groups(chain, short)
    a, b = chain[0][0], chain[-1][1]
    if b - a < min_len or iso[a:b].mean() < 0.6:
        return None
    return x0 + a, x0 + b


def _trim_glyph_groups(chain: list[tuple[int, int, bool]], short: int
                       ) -> list[tuple[int, int, bool]]:
    """Drop a short group of pieces at either end of ``chain`` that was joined to the rest
    across a blank gap.

    A glyph of a tick label centred on a gridline (the bar of a 5 or a 7) can break into
    several touching runs; together they are a glyph, not the line's end. ``chain`` holds
    ``(start, end, joined_across_gap)`` pieces in order.
    """
    joins = [i for i in range(1, len(chain)) if chain[i][2]]
    if joins and chain[joins[0] - 1][1] - chain[0][0] < short:
        chain = chain[joins[0]:]
        joins = [i - joins[0] for i in joins[1:]]
    if joins and chain[-1][1] - chain[joins[-1]][0] < short:
        chain = chain[:joins[-1]]
    return chain


# --------------------------------------------------------------------------------------------
# plot area


def find_panel(rgb: np.ndarray, fig_bg: tuple[int, int, int]) -> tuple[Box, tuple] | None:
    """A filled rectangular panel of a colour other than the figure background, if any."""
    h, w = rgb.shape[:2]
    step = max(1, int(min(h, w) // 200))
    sample = rgb[::step, ::step].reshape(-1, 3).astype(np.int16)
    diff = np.abs(sample - np.array(fig_bg, np.int16)).sum(axis=1)
    cand = sample[diff > 12]
    # the panel is neutral (grey, blue-grey): bars or areas in a data colour may outnumber it
    cand = cand[cand.max(axis=1) - cand.min(axis=1) <= 40]
    if len(cand) < 0.05 * len(sample):
        return None
    color = _mode_color((cand // 2 * 2).astype(np.uint8))
    contrast = int(np.abs(np.array(color, np.int16) - np.array(fig_bg, np.int16)).max())
    if contrast < 8 or max(color) - min(color) > 40:  # too close to the figure, or a data colour
        return None
    tol = min(6, contrast // 2)
    near = np.abs(rgb.astype(np.int16) - np.array(color, np.int16)).max(axis=2) <= tol
    if near.mean() < 0.05:
        return None
    k = max(3, int(round(5 * _scale(rgb.shape))))
    closed = cv2.morphologyEx(near.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=4)
    if n <= 1:
        return None
    i = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, bw, bh, area = stats[i]
    if bw * bh < 0.08 * h * w:
        return None
    if area < 0.4 * bw * bh:
        # bars standing inside the panel (above its bottom margin) may cover more than half
        # of it; they are holes in the panel's component, and count as panel
        # (holes of the figure's own colour are not bars: a grid of lines encloses those)
        # (bars standing on the panel's edge itself, no margin before the axis starts, open
        # onto it: the box's outline closes them)
        sub = labels[y : y + bh, x : x + bw] == i
        rim = np.zeros_like(sub)
        rim[[0, -1], :] = rim[:, [0, -1]] = True
        holes = ndimage.binary_fill_holes(sub | rim) & ~sub & ~rim
        bg_holes = np.abs(rgb[y : y + bh, x : x + bw].astype(np.int16)
                          - np.array(fig_bg, np.int16)).max(axis=2) <= 12
        if (sub.sum() + (holes & ~bg_holes).sum() < 0.4 * bw * bh):
            return None
    box = _merge_panel_pieces(_solid_body(labels == i, 3 * k), stats, h, w)
    # grow over columns/rows where the panel shows only between data (bars from an axis)
    gap = max(3, int(round(5 * _scale(rgb.shape))))
    box = _grow_run(near, box, gap, axis=0)
    box = _grow_run(near, box, gap, axis=1)
    # trim edge rows/columns that are only partly panel (anti-aliased borders)
    sub = near[box.top : box.bottom, box.left : box.right].astype(np.float32)
    colf, rowf = sub.mean(axis=0), sub.mean(axis=1)
    left, right, top, bottom = 0, len(colf), 0, len(rowf)
    # lines with (almost) no panel at all: specks the closing joined on
    while right - left > 2 and colf[left] < 0.02:
        left += 1
    while right - left > 2 and colf[right - 1] < 0.02:
        right -= 1
    while bottom - top > 2 and rowf[top] < 0.02:
        top += 1
    while bottom - top > 2 and rowf[bottom - 1] < 0.02:
        bottom -= 1
    inner = rgb[box.top : box.bottom, box.left : box.right]

    def blend(line: np.ndarray) -> bool:
        return _blend_line(line, color, fig_bg)

    for _ in range(2):  # at most two pixels of blend; data covering an edge is not trimmed
        if (right - left > 2 and colf[left] < 0.3 * np.median(colf)
                and blend(inner[top:bottom, left])):
            left += 1
        if (right - left > 2 and colf[right - 1] < 0.3 * np.median(colf)
                and blend(inner[top:bottom, right - 1])):
            right -= 1
        if (bottom - top > 2 and rowf[top] < 0.3 * np.median(rowf)
                and blend(inner[top, left:right])):
            top += 1
        if (bottom - top > 2 and rowf[bottom - 1] < 0.3 * np.median(rowf)
                and blend(inner[bottom - 1, left:right])):
            bottom -= 1
    box = Box(box.left + left, box.top + top, box.left + right, box.top + bottom)
    return box, color


def _blend_line(pixels: np.ndarray, color: tuple, fig_bg: tuple, tol: int = 6) -> bool:
    """True when the pixels of a panel's edge line that are not the panel colour are mostly
    blends of the panel and the figure colour (an anti-aliased or straightened border), not
    data drawn over the edge (bars standing on the bottom of the panel), which stays.

    ``pixels`` is an ``(N, 3)`` array (or ``(N, M, 3)``), ``color`` the panel's colour.
    """
    px = pixels.reshape(-1, 3).astype(np.float32)
    c, f = np.array(color, np.float32), np.array(fig_bg, np.float32)
    other = np.abs(px - c).max(axis=1) > tol
    if not other.any():
        return True
    q = px[other]
    d = f - c
    t = np.clip((q - c) @ d / max(float(d @ d), 1.0), 0.0, 1.0)
    off = np.abs(q - (c + t[:, None] * d)).max(axis=1)
    return float((off <= 12).mean()) >= 0.5


def _solid_body(component: np.ndarray, size: int) -> Box:
    """The box of a component without its thin attachments and the blobs they leave.

    The anti-aliased (JPEG-ringed) edges of tick labels next to a panel take its colour and,
    closed onto it, would stretch its box over the labels. Opened by a ``size`` square, the
    component loses them but for blobs where labels crowd; columns and rows at the box's
    sides holding far less of the body than is usual are such blobs. The component is chosen
    before opening: data drawn thick over a panel may cut it into pieces smaller than a
    legend's.
    """
    size |= 1  # an even kernel would shift the body by a pixel
    body = cv2.morphologyEx(component.astype(np.uint8), cv2.MORPH_OPEN,
                            np.ones((size, size), np.uint8))
    if not body.any():
        body = component.astype(np.uint8)
    ys, xs = np.nonzero(body)
    top, bottom, left, right = int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1
    sub = body[top:bottom, left:right]
    cols, rows = sub.mean(axis=0), sub.mean(axis=1)
    keep_c = np.flatnonzero(cols >= 0.25 * np.median(cols))
    keep_r = np.flatnonzero(rows >= 0.25 * np.median(rows))
    return Box(left + int(keep_c[0]), top + int(keep_r[0]), left + int(keep_c[-1]) + 1,
               top + int(keep_r[-1]) + 1)


def _grow_run(near: np.ndarray, box: Box, gap: int, axis: int) -> Box:
    """Extend ``box`` along columns (``axis=0``) or rows (1) over the run of lines that hold
    some panel colour inside the box's other extent; gaps up to ``gap`` are bridged."""
    # a line "holds panel" when it has a solid stretch of it (JPEG ringing along the edge
    # leaves only specks)
    if axis == 0:
        lo, hi, size = box.left, box.right, box.height
        run = max(3, int(0.04 * size))
        sub = near[box.top : box.bottom].astype(np.uint8)
        has = cv2.erode(sub, np.ones((run, 1), np.uint8)).any(axis=0)
    else:
        lo, hi, size = box.top, box.bottom, box.width
        run = max(3, int(0.04 * size))
        sub = near[:, box.left : box.right].astype(np.uint8)
        has = cv2.erode(sub, np.ones((1, run), np.uint8)).any(axis=1)
    while lo > 0 and (has[max(0, lo - gap) : lo].any()):
        lo = max(0, lo - gap) + int(np.flatnonzero(has[max(0, lo - gap) : lo])[0])
    while hi < len(has) and has[hi : hi + gap].any():
        hi = hi + int(np.flatnonzero(has[hi : hi + gap])[-1]) + 1
    if axis == 0:
        return Box(lo, box.top, hi, box.bottom)
    return Box(box.left, lo, box.right, hi)


def _merge_panel_pieces(box: Box, stats: np.ndarray, h: int, w: int) -> Box:
    """Grow the panel over pieces a full-width band or line cut off from it.

    A piece belongs to the panel when it spans the same columns (cut by a horizontal band)
    or the same rows (cut by a vertical one) and touches the panel's box; a tile of a grid of
    pieces needs to line up with the box on one side only, within its extent.
    """
    t = max(3.0, 0.01 * max(h, w))
    pieces = [Box(int(x), int(y), int(x + bw), int(y + bh))
              for x, y, bw, bh, area in stats[1:] if area >= 0.002 * h * w]
    changed = True
    while changed:
        changed = False
        for pc in pieces:
            if box.union(pc) == box:
                continue
            same_cols = abs(pc.left - box.left) <= t and abs(pc.right - box.right) <= t
            same_rows = abs(pc.top - box.top) <= t and abs(pc.bottom - box.bottom) <= t
            near_v = pc.top <= box.bottom + 0.25 * h and pc.bottom >= box.top - 0.25 * h
            near_h = pc.left <= box.right + 0.25 * w and pc.right >= box.left - 0.25 * w
            # a tile of a panel cut by both vertical and horizontal gridlines (ggplot2's
            # white major grid): one gridline's width from the box, lined up with it at one
            # side and within its extent there
            in_cols = pc.left >= box.left - t and pc.right <= box.right + t
            in_rows = pc.top >= box.top - t and pc.bottom <= box.bottom + t
            gap_v = max(pc.top - box.bottom, box.top - pc.bottom)
            gap_h = max(pc.left - box.right, box.left - pc.right)
            tile_v = in_cols and gap_v <= t and (
                abs(pc.left - box.left) <= t or abs(pc.right - box.right) <= t)
            tile_h = in_rows and gap_h <= t and (
                abs(pc.top - box.top) <= t or abs(pc.bottom - box.bottom) <= t)
            if (same_cols and near_v) or (same_rows and near_h) or tile_v or tile_h:
                box = box.union(pc)
                changed = True
    return box


def merge_pieces(lines: list[Line], min_cover: float = 0.5) -> list[Line]:
    """Pieces of one line (same position, gaps of any length) joined into one.

    A gridline crossed by many data lines or markers breaks into pieces whose gaps are too
    long to bridge locally; its extent (which frame it belongs to) is the pieces' union, as
    long as they cover at least ``min_cover`` of it.

    Parameters
    ----------
    lines : list of Line
        Lines of one orientation.
    min_cover : float
        Least share of the joined extent that the pieces must cover.

    Returns
    -------
    list of Line
        The lines, collinear pieces replaced by their union.
    """
    out: list[Line] = []
    for ln in sorted(lines, key=lambda q: (q.pos, q.start)):
        for i, o in enumerate(out):
            if abs(o.pos - ln.pos) > 1.0 or o.dark != ln.dark:
                continue
            start, end = min(o.start, ln.start), max(o.end, ln.end)
            covered = o.length + ln.length - max(0, min(o.end, ln.end) - max(o.start, ln.start))
            if covered >= min_cover * (end - start):
                n1, n2 = o.length, ln.length
                out[i] = Line((o.pos * n1 + ln.pos * n2) / (n1 + n2), start, end,
                              min(o.lo, ln.lo), max(o.hi, ln.hi), o.dark,
                              (o.strength * n1 + ln.strength * n2) / (n1 + n2),
                              max(o.width, ln.width))
                break
        else:
            out.append(ln)
    return out


def extent_groups(lines: list[Line], tol: float, limit: int = 10) -> list[list[Line]]:
    """Sets of lines sharing one extent (spines + gridlines of one axes, a legend box...).

    Returns up to ``limit`` distinct groups, the largest total length first.
    """
    groups: list[list[Line]] = []
    seen: set[tuple[int, ...]] = set()
    for ref in sorted(lines, key=lambda ln: -ln.length):
        members = [ln for ln in lines
                   if abs(ln.start - ref.start) <= tol and abs(ln.end - ref.end) <= tol]
        key = tuple(sorted(id(m) for m in members))
        if key not in seen:
            seen.add(key)
            groups.append(members)
    groups.sort(key=lambda g: -sum(ln.length for ln in g))
    return groups[:limit]


@dataclass
class _Frame:
    box: Box
    kind: str
    x_edges: tuple[float, float]
    y_edges: tuple[float, float]
    vlines: list[Line]
    hlines: list[Line]
    dark_edges: int = 0  # frame sides drawn by a line darker than its surroundings
    n_lines: int = 0  # lines that make the frame (sides and gridlines)
    sides: int = 4  # frame sides found as lines (a frame from line groups may miss some)


def solid_data_box(rgb: np.ndarray, box: Box) -> bool:
    """True when ``box`` is filled with one data colour: a bar with its edges, not a plot.

    A plot area's background is neutral and light (or dark: dark themes) and shows somewhere
    in it; a box whose inside is nearly all saturated or mid-grey colour is a bar (or a stack
    of bar segments) of a bar chart or histogram.
    """
    m = 4
    inner = rgb[box.top + m : box.bottom - m, box.left + m : box.right - m]
    if inner.shape[0] < 4 or inner.shape[1] < 4:
        return False
    step = max(1, min(inner.shape[:2]) // 60)
    return float(_plain(inner[::step, ::step].reshape(-1, 3)).mean()) < 0.03


def bar_outline(rgb: np.ndarray, group: list[Line], vertical: bool) -> bool:
    """True when a group of lines sharing one extent are the edge strokes of bars: taken
    in pairs across them, each pair holds a box filled with data colour
    (:func:`solid_data_box`). Such lines say nothing of where the plot frame is."""
    if not group or len(group) % 2:
        return False
    lines = sorted(group, key=lambda ln: ln.pos)
    for a, b in zip(lines[::2], lines[1::2], strict=True):
        lo = int(round(max(a.start, b.start)))
        hi = int(round(min(a.end, b.end)))
        p0, p1 = int(round(a.pos)), int(round(b.pos)) + 1
        if hi - lo < 12 or p1 - p0 < 12:
            return False
        box = Box(p0, lo, p1, hi) if vertical else Box(lo, p0, hi, p1)
        if not solid_data_box(rgb, box):
            return False
    return True


def _plain(px: np.ndarray) -> np.ndarray:
    """Background-like pixels of an ``(N, 3)`` array: neutral and light, or dark (themes,
    text)."""
    px = px.astype(np.int16)
    chroma = px.max(axis=1) - px.min(axis=1)
    grey = px.mean(axis=1)
    return (chroma <= 30) & ((grey >= 185) | (grey <= 60))


def data_beyond_side(rgb: np.ndarray, box: Box, fig_bg: tuple[int, int, int],
                     gap: int = 2, depth: int = 4) -> bool:
    """True when just outside one side of ``box`` a data colour runs along nearly all of it.

    Outside a plot frame lie the margins (background, ticks, labels); a box whose side has a
    bar's fill right beyond it along most of its length is closed by that bar's outline (a
    group of black-edged bars and the gridlines they cut short), not a plot frame. The
    figure's own colour (a tinted theme) is background however coloured.
    """
    bg = np.array(fig_bg, np.int16)
    h, w = rgb.shape[:2]
    t0, t1 = box.top + box.height // 10, box.bottom - box.height // 10
    l0, l1 = box.left + box.width // 10, box.right - box.width // 10
    strips = (
        rgb[t0:t1, max(0, box.left - gap - depth) : max(0, box.left - gap)],
        rgb[t0:t1, min(w, box.right + gap) : min(w, box.right + gap + depth)],
        rgb[max(0, box.top - gap - depth) : max(0, box.top - gap), l0:l1],
        rgb[min(h, box.bottom + gap) : min(h, box.bottom + gap + depth), l0:l1],
    )
    for strip in strips:
        px = strip.reshape(-1, 3)
        plain = _plain(px) | (np.abs(px.astype(np.int16) - bg).max(axis=1) <= 12)
        if len(px) >= 20 and float(plain.mean()) < 0.1:
            return True
    return False


def frame_candidates(hl: list[Line], vl: list[Line], shape: tuple[int, ...],
                     rgb: np.ndarray | None = None, bar_edges: bool = True
                     ) -> list[tuple[float, _Frame]]:
    """Candidate plot rectangles from long horizontal and vertical lines, best first.

    Every pairing of a horizontal and a vertical extent group that crosses consistently is a
    candidate; the one with the most lines (gridlines) and area wins, so the plot frame beats
    a chart border around it (Excel) and a legend box beside it. With ``rgb``, boxes filled
    with one data colour (a bar outlined by its edges) are no candidates; with ``bar_edges``
    False, neither are groups of lines that are all bars' edges (:func:`bar_outline`).
    """
    h, w = shape[:2]
    tol = max(3.0, 0.01 * max(h, w))
    cands: list[tuple[float, _Frame]] = []
    # gridlines cut into pieces by data drawn across them are one line for their extent
    for gh in extent_groups(merge_pieces(hl), tol):
        for gv in extent_groups(merge_pieces(vl), tol):
            if not bar_edges and rgb is not None and (
                    bar_outline(rgb, gh, False) or bar_outline(rgb, gv, True)):
                continue
            frame = _frame_from_groups(gh, gv, tol, hl, vl)
            if frame is None or frame.box.area < 0.08 * h * w:
                continue
            if len(gh) + len(gv) <= 2 and frame.sides < 2:
                continue  # two crossing lines, neither a side of the box they span
            # four sides found close the frame: as good evidence as a closed rectangle
            closes = 1.25 if frame.kind == "full" else 1.0
            cands.append((closes * (len(gh) + len(gv)) * np.sqrt(frame.box.area), frame))

    closed = [f for f in _rectangles(hl, vl, tol) if f.box.area >= 0.08 * h * w]
    for frame in closed:
        n = 4 + len(frame.hlines) + len(frame.vlines)
        # a closed rectangle is better evidence than lines sharing an extent
        cands.append((1.25 * n * np.sqrt(frame.box.area), frame))
    if not closed:
        # no closed frame and no lines sharing an extent: a frame with one side cut short
        for frame in _rectangles(hl, vl, tol, relaxed=True):
            if frame.box.area >= 0.08 * h * w:
                cands.append(((4 + len(frame.hlines) + len(frame.vlines))
                              * np.sqrt(frame.box.area), frame))

    def strictly_inside(inner: Box, outer: Box) -> bool:
        return (inner.left > outer.left + tol and inner.top > outer.top + tol
                and inner.right < outer.right - tol and inner.bottom < outer.bottom - tol)

    # a border around the whole chart (Excel) holds the plot frame well inside it; two
    # crossing lines (gridlines inside the real frame) are no such plot frame, nor are
    # gridlines alone with no side of their own (a frame's grid cut short by a legend)
    if rgb is not None:
        fig_bg = border_color(rgb)
        cands = [c for c in cands if not solid_data_box(rgb, c[1].box)
                 and not data_beyond_side(rgb, c[1].box, fig_bg)]
    kept = [c for c in cands if not any(
        strictly_inside(o.box, c[1].box) and o.box.area >= 0.25 * c[1].box.area
        and o.n_lines >= 3 and o.sides >= 1 for _, o in cands)]
    return sorted(kept, key=lambda c: -c[0])


def frame_from_lines(hl: list[Line], vl: list[Line], shape: tuple[int, ...],
                     rgb: np.ndarray | None = None, bar_edges: bool = True
                     ) -> _Frame | None:
    """The plot rectangle from long horizontal and vertical lines, or None.

    The best of :func:`frame_candidates` (most lines, then area).
    """
    kept = frame_candidates(hl, vl, shape, rgb, bar_edges)
    return kept[0][1] if kept else None


def _disjoint(a: Box, b: Box) -> bool:
    """Whether two boxes do not overlap at all."""
    return (a.right <= b.left or b.right <= a.left or a.bottom <= b.top
            or b.bottom <= a.top)


def frame_by_labels(frames: list[_Frame], labels: Box, tol: float) -> _Frame | None:
    """The frame whose left and bottom sides the tick labels line up with, or None.

    ``labels`` is the plot area estimated from the tick labels alone
    (:func:`box_from_labels`): the y labels end just left of the plot's left side, the x
    labels start just below its bottom. Of frames side by side (the plot and a legend
    frame outside it), the one whose left and bottom sides lie within ``tol`` pixels of
    that estimate is the plot; None when no frame, or more than one, does.

    Parameters
    ----------
    frames : list of _Frame
        Candidate frames, best first.
    labels : Box
        Plot area estimated from the tick labels.
    tol : float
        Largest distance, in pixels, of each side from the labels' estimate.

    Returns
    -------
    _Frame or None
        The one frame the labels line up with.
    """
    fits = [f for f in frames if abs(f.box.left - labels.left) <= tol
            and abs(f.box.bottom - labels.bottom) <= tol]
    boxes = {f.box for f in fits}
    return fits[0] if len(boxes) == 1 else None


def _rectangles(
    hl: list[Line], vl: list[Line], tol: float, top_n: int = 8, relaxed: bool = False
) -> list[_Frame]:
    """Full frames from four lines meeting at the corners, positions only.

    Line ends can overshoot (a label glued to a spine, a tick beyond a corner), so a corner
    only needs each line to reach the perpendicular one; it may run past it a little.
    """
    hs = sorted(hl, key=lambda q: -q.length)[:top_n]
    vs = sorted(vl, key=lambda q: -q.length)[:top_n]

    def spans(line: Line, lo: float, hi: float) -> bool:
        over = max(tol, 0.08 * (hi - lo))
        if not (lo - over <= line.start and line.end - 1 <= hi + over):
            return False
        start_ok, end_ok = line.start <= lo + tol, line.end - 1 >= hi - tol
        # one end may stop short where something is drawn over the corner (a legend, a
        # line of data leaving the plot)
        return (start_ok and end_ok) or (
            relaxed and (start_ok or end_ok) and line.length >= 0.9 * (hi - lo))

    out = []
    for i, top in enumerate(hs):
        for bottom in hs[i + 1 :]:
            t, b = sorted((top, bottom), key=lambda q: q.pos)
            if b.pos - t.pos < 20:
                continue
            for j, left in enumerate(vs):
                for right in vs[j + 1 :]:
                    lft, rgt = sorted((left, right), key=lambda q: q.pos)
                    if rgt.pos - lft.pos < 20:
                        continue
                    if not (spans(t, lft.pos, rgt.pos) and spans(b, lft.pos, rgt.pos)
                            and spans(lft, t.pos, b.pos) and spans(rgt, t.pos, b.pos)):
                        continue
                    sides = [q.strength for q in (lft, rgt, t, b)]
                    if relaxed and min(sides) < 0.7 * max(sides):
                        continue  # a frame drawn as one rectangle has alike sides
                    box = Box(_inside_after(lft), _inside_after(t),
                              _inside_before(rgt), _inside_before(b))
                    inner_v = [q for q in vl if lft.pos + tol < q.pos < rgt.pos - tol
                               and _fills_span(q, t.pos, b.pos, tol)]
                    inner_h = [q for q in hl if t.pos + tol < q.pos < b.pos - tol
                               and _fills_span(q, lft.pos, rgt.pos, tol)]
                    out.append(_Frame(box, "full", (lft.pos, rgt.pos), (t.pos, b.pos),
                                      inner_v, inner_h,
                                      sum(q.dark for q in (lft, rgt, t, b)),
                                      4 + len(inner_v) + len(inner_h)))
    return out


def _fills_span(line: Line, lo: float, hi: float, tol: float) -> bool:
    """Whether ``line`` is a gridline of a frame spanning ``lo`` to ``hi``: nearly as long as
    the span and not running on past its sides (gridlines crossing a box's side show that
    side is a gridline itself, not the frame: a box closed by an inner gridline counts the
    lines past it only there, where fills hide their other ends)."""
    over = max(tol, 0.03 * (hi - lo))
    return (line.length >= 0.9 * (hi - lo) and line.start >= lo - over
            and line.end - 1 <= hi + over)


def _frame_from_groups(
    gh: list[Line], gv: list[Line], tol: float,
    all_h: list[Line] | None = None, all_v: list[Line] | None = None,
) -> _Frame | None:
    """The frame of one horizontal and one vertical extent group, or None.

    ``all_h``/``all_v`` (every line found) supply axis lines that are not in the groups
    because data drawn over them cut them short (Vega: gridlines run a tick length past the
    axis line, and markers at the plot edge break the axis line itself)."""
    x0 = int(np.median([ln.start for ln in gh]))
    x1 = int(np.median([ln.end for ln in gh]))
    y0 = int(np.median([ln.start for ln in gv]))
    y1 = int(np.median([ln.end for ln in gv]))
    # the lines of one axes cross each other's extent
    if not all(x0 - tol <= ln.pos <= x1 + tol for ln in gv):
        return None
    # gridlines lie inside the plot: they extend an axis line that markers cut short
    y0 = min(y0, int(np.floor(min(ln.pos for ln in gh))))
    y1 = max(y1, int(np.ceil(max(ln.pos for ln in gh))) + 1)
    if x1 - x0 < 20 or y1 - y0 < 20:
        return None
    # ... but not a short box (a legend's sides) to the height of the gridlines beside it
    # (one short vertical is an axis line broken by data drawn over it, not a box's sides)
    if len(gv) >= 2 and float(np.median([ln.length for ln in gv])) < 0.5 * (y1 - y0):
        return None
    def within(lines: list[Line] | None, lo: int, hi: int) -> list[Line]:
        # (one end may overshoot: a tick label glued to the end of a spine, "4000" touching
        # the top spine at the corner, lengthens it; the other end must then meet the extent)
        reach = max(tol, 0.03 * (hi - lo))
        return [ln for ln in lines or [] if ln.length >= 0.3 * (hi - lo) and (
            (ln.start >= lo - reach and ln.end <= hi + reach)
            or (ln.start < lo - reach and abs(ln.end - hi) <= reach)
            or (ln.end > hi + reach and abs(ln.start - lo) <= reach))]

    ev, eh = within(all_v, y0, y1), within(all_h, x0, x1)
    left = _edge_line(gv, x0, +1, tol, x1 - x0, ev)
    right = _edge_line(gv, x1 - 1, -1, tol, x1 - x0, ev)
    top = _edge_line(gh, y0, +1, tol, y1 - y0, eh)
    bottom = _edge_line(gh, y1 - 1, -1, tol, y1 - y0, eh)
    # tick marks continuing every gridline past the plot on one side only (Vega's
    # fivethirtyeight theme: no axis lines): the side's edge is its outermost line, as the
    # gridlines end at the outermost line on the other side
    rx, ry = max(tol, 0.05 * (x1 - x0)), max(tol, 0.05 * (y1 - y0))
    left = left or (right and _outermost(gv + ev, x0, +1, rx))
    right = right or (left and _outermost(gv + ev, x1 - 1, -1, rx))
    top = top or (bottom and _outermost(gh + eh, y0, +1, ry))
    bottom = bottom or (top and _outermost(gh + eh, y1 - 1, -1, ry))
    # an axis line set in from the extent (tick marks continue the gridlines past it)
    x0 = int(round(left.pos)) if left else x0
    x1 = int(round(right.pos)) + 1 if right else x1
    y0 = int(round(top.pos)) if top else y0
    y1 = int(round(bottom.pos)) + 1 if bottom else y1
    bl = _inside_after(left) if left else x0
    br = _inside_before(right) if right else x1
    bt = _inside_after(top) if top else y0
    bb = _inside_before(bottom) if bottom else y1
    edges = [e for e in (left, right, top, bottom) if e is not None]
    if len(edges) == 4:
        kind = "full"
    elif left and bottom and not top and not right:
        kind = "left-bottom"
    else:
        kind = "none"
    if kind != "none" and not all(e.dark for e in edges):
        kind = "full" if len(edges) == 4 else kind
    x_edges = (left.pos if left else x0 - 0.5, right.pos if right else x1 - 0.5)
    y_edges = (top.pos if top else y0 - 0.5, bottom.pos if bottom else y1 - 0.5)
    inner_v = [ln for ln in gv if ln not in (left, right)]
    inner_h = [ln for ln in gh if ln not in (top, bottom)]
    return _Frame(Box(bl, bt, br, bb), kind, x_edges, y_edges, inner_v, inner_h,
                  sum(e.dark for e in edges), len(gh) + len(gv), len(edges))


def _outermost(lines: list[Line], at: float, inward: int, reach: float) -> Line | None:
    """The line nearest ``at`` on its inner side within ``reach`` (None if there is none)."""
    inside = [ln for ln in lines if 0 < (ln.pos - at) * inward <= reach]
    return min(inside, key=lambda ln: abs(ln.pos - at)) if inside else None


def _inside_after(line: Line) -> int:
    """First pixel past a frame line (to its right / below it), from its effective width."""
    return int(np.ceil(line.pos + line.width / 2 + 0.25))


def _inside_before(line: Line) -> int:
    """Exclusive end of the pixels before a frame line (left of it / above it)."""
    return int(np.floor(line.pos - line.width / 2 - 0.25)) + 1


def _edge_line(
    lines: list[Line], at: float, inward: int, tol: float, span: float,
    extra: list[Line] | None = None,
) -> Line | None:
    """The frame line at ``at``, or an axis line a tick length inside it.

    The second case (Vega: the tick marks continue the gridlines beyond the axis line) is
    accepted only for a line clearly stronger than the others (an axis line, not a
    gridline that happens to sit near the edge). ``extra`` lines (not of the group, but
    within its extent) may be that axis line.
    """
    near = [ln for ln in lines if abs(ln.pos - at) <= tol] or [
        ln for ln in extra or [] if abs(ln.pos - at) <= tol]
    if near:
        return min(near, key=lambda ln: abs(ln.pos - at))
    reach = max(tol, 0.03 * span)
    inside = [ln for ln in lines + (extra or []) if 0 < (ln.pos - at) * inward <= reach]
    if not inside or len(lines) < 3:
        return None
    typical = float(np.median([ln.strength for ln in lines]))
    best = max(inside, key=lambda ln: ln.strength)
    return best if best.strength >= 1.5 * typical else None


def _open_frame_ends(rgb: np.ndarray, frame: _Frame, hl: list[Line], vl: list[Line]) -> _Frame:
    """A two-spine frame's open ends (top, right) from where its axis lines really end.

    The top of a left-bottom frame is the end of the left axis line and its right the end of
    the bottom one; line finding can lose a pixel or two there (anti-aliased caps), which at
    72 dpi is more than 0.2% of the axis. The ends are re-measured on the lines' own pixels.
    """
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    bg = float(np.median(np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])))
    left = min(vl, key=lambda ln: abs(ln.pos - frame.x_edges[0]), default=None)
    bottom = min(hl, key=lambda ln: abs(ln.pos - frame.y_edges[1]), default=None)
    x_edges, y_edges = frame.x_edges, frame.y_edges
    if left is not None and abs(left.pos - frame.x_edges[0]) <= 1.5:
        profile = (bg - grey[:, left.lo : left.hi + 1]).max(axis=1)
        top = _scan_end(profile, left.start, -1)
        if top is not None and abs(top - y_edges[0]) <= 4:
            y_edges = (top, y_edges[1])
    if bottom is not None and abs(bottom.pos - frame.y_edges[1]) <= 1.5:
        profile = (bg - grey[bottom.lo : bottom.hi + 1, :]).max(axis=0)
        right = _scan_end(profile, bottom.end - 1, +1)
        if right is not None and abs(right - x_edges[1]) <= 4:
            x_edges = (x_edges[0], right)
    frame.x_edges, frame.y_edges = x_edges, y_edges
    return frame


def _scan_end(profile: np.ndarray, last: int, step: int) -> float | None:
    """Where a line's contrast ``profile`` fades past pixel ``last`` (index coordinates).

    The line's level is its median contrast over the pixels before ``last``; the scan goes
    on while the contrast stays above half that level, and the first fainter pixel adds its
    share of the level (an anti-aliased end).
    """
    a, b = sorted((last, last - 6 * step))
    core = profile[max(0, a) : b + 1]
    if core.size == 0 or float(np.median(core)) <= 0:
        return None
    level = float(np.median(core))
    i = last
    while 0 <= i + step < len(profile) and profile[i + step] >= 0.5 * level:
        i += step
    nxt = i + step
    frac = float(np.clip(profile[nxt] / level, 0, 1)) if 0 <= nxt < len(profile) else 0.0
    return i + step * (0.5 + frac)


def _panel_edges(
    rgb: np.ndarray, box: Box, color: tuple, fig_bg: tuple
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Sub-pixel panel edges (x and y, index coordinates) from the blended border pixels.

    The panel box holds the pixels of the panel colour; the rows and columns just outside it
    (and its outermost ones) blend the panel with the figure where the panel's edge falls
    inside a pixel. Each side's edge is moved by the panel's share of those pixels (median
    along the side: data drawn over the edge does not count). Returns the box's pixel
    boundaries where the panel is too close to the figure colour to measure.
    """
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    g_bg = float(np.mean(fig_bg))
    g_panel = float(np.mean(color))
    plain = ((box.left - 0.5, box.right - 0.5), (box.top - 0.5, box.bottom - 0.5))
    if abs(g_bg - g_panel) < 8 or box.width < 10 or box.height < 10:
        return plain
    h, w = grey.shape

    def cover(index: int, vertical: bool) -> float | None:
        """The panel's share of a pixel line; None for a line drawn darker (a spine)."""
        if vertical:
            if not 0 <= index < w:
                return 0.0
            a, b = box.top + box.height // 10, box.bottom - box.height // 10
            v = float(np.median(grey[a:b, index]))
        else:
            if not 0 <= index < h:
                return 0.0
            a, b = box.left + box.width // 10, box.right - box.width // 10
            v = float(np.median(grey[index, a:b]))
        if (v - g_panel) * np.sign(g_bg - g_panel) < -8:
            return None
        return float(np.clip((g_bg - v) / (g_bg - g_panel), 0.0, 1.0))

    def edge(inner: int, step: int, vertical: bool) -> float:
        # inner: the box's outermost pixel line on this side; step: outwards (+1 / -1)
        c = cover(inner, vertical)
        if c is None:
            return float(inner)
        e = inner + 0.5 * step - step * (1.0 - c)
        for k in range(1, 3):
            c = cover(inner + step * k, vertical)
            if c is None:  # a frame line around the panel: the limit is its centre
                return float(inner + step * k)
            if c < 0.05:
                break
            e += step * c
            if c < 0.95:
                break
        return e

    return ((edge(box.left, -1, True), edge(box.right - 1, +1, True)),
            (edge(box.top, -1, False), edge(box.bottom - 1, +1, False)))


def _frame_from_panel(panel: Box, hl: list[Line], vl: list[Line]) -> _Frame:
    """Panel box, with the lines that fall inside it as gridlines."""
    tol = 3
    inner_v = [ln for ln in vl if panel.left + tol < ln.pos < panel.right - 1 - tol
               and ln.length > 0.6 * panel.height]
    inner_h = [ln for ln in hl if panel.top + tol < ln.pos < panel.bottom - 1 - tol
               and ln.length > 0.6 * panel.width]
    return _Frame(
        panel, "panel",
        (panel.left - 0.5, panel.right - 0.5), (panel.top - 0.5, panel.bottom - 0.5),
        inner_v, inner_h,
    )


# --------------------------------------------------------------------------------------------
# ticks


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """``(start, end_exclusive)`` of the True runs in a 1-D boolean array."""
    d = np.diff(np.concatenate([[0], flags.astype(np.int8), [0]]))
    starts = np.flatnonzero(d == 1)
    ends = np.flatnonzero(d == -1)
    return list(zip(starts.tolist(), ends.tolist(), strict=False))


def crisp_line_shift(
    profiles: np.ndarray, n_lines: int | None = None, ink: float | None = None
) -> float:
    """How far crisp lines centred on whole pixels are likely drawn past their true place.

    Renderers draw a thin axis line (tick mark, gridline, spine) at a whole pixel in one of
    two ways: rounded to the nearest pixel (gnuplot), or with its first edge at the true
    place, so that its centre lies half a pixel past it (matplotlib's snapping, Vega's
    half-pixel axis offset). One line alone cannot tell which, but matplotlib's lines are
    not a whole number of pixels wide (0.8 pt at most resolutions): a snapped line keeps
    a symmetric fringe on both sides, faint for a line a little over one pixel wide,
    strong for one nearly three pixels wide. An anti-aliased line centred on a pixel by
    chance looks the same, so a strong fringe counts only when (nearly) every line is
    centred on a whole pixel, as snapping puts them.

    A clean one-pixel line (no fringe) is weighed against the darkest ink of the text
    beside it (the tick labels, drawn in the lines' colour by most styles): one clearly
    fainter is thinner than a pixel (matplotlib's 0.8 pt below 90 dpi) or a light axis
    colour (Vega's grey), both drawn at the snapped place. One as dark as the text
    covers its pixel, which tells nothing: gnuplot rounds such lines, matplotlib (1 pt
    at 72 dpi, plotnine) snaps them.

    Parameters
    ----------
    profiles : ndarray
        ``(n, 7)`` contrast across ``n`` lines centred on a whole pixel, from three pixels
        before the line's centre pixel to three after.
    n_lines : int, optional
        How many lines were measured in all (those not centred on a whole pixel
        included); ``n`` when not given.
    ink : float, optional
        Contrast of the darkest text beside the lines, on the scale of ``profiles``.

    Returns
    -------
    float
        0.5 when the lines have the snapped fringe, or are clean one-pixel lines all on
        whole pixels and clearly fainter than ``ink``; 0.25 for other clean one-pixel
        lines (either convention: half way); 0 otherwise (anti-aliased or wider lines,
        whose measured centres are not biased this way, or none given).
    """
    if len(profiles) == 0:
        return 0.0
    q = np.asarray(profiles, float)
    # lines with other ink (a label, a minor tick) two pixels off are left out of the mean
    clear = np.maximum(q[:, 1], q[:, 5]) < 0.1 * np.maximum(q[:, 3], 1e-9)
    p = q[clear].mean(axis=0) if clear.any() else q.mean(axis=0)
    if p[3] <= 0:
        return 0.0
    # the lines' own contrast: the median line (a line partly hidden by data or a stray
    # faint mark taken for one must not make the others look thin)
    peak = float(np.median(q[clear, 3] if clear.any() else q[:, 3]))
    p = p / p[3]
    side, far = (p[2] + p[4]) / 2.0, float(max(p[1], p[5]))
    n = len(profiles)
    all_whole = n >= 3 and n >= 0.8 * (n_lines if n_lines is not None else n)
    if abs(p[2] - p[4]) < 0.08 and far < 0.05 and (
            0.02 <= side <= 0.3 or (all_whole and 0.3 < side <= 0.95)):
        return 0.5
    if side < 0.02 and far < 0.05:
        if all_whole and ink is not None and ink > 0:
            if peak < THIN_LINE * ink:
                return 0.5
        return 0.25
    return 0.0


THIN_LINE = 0.95  # a clean line fainter than this share of the text's ink: thin or light


def shared_snap_shift(x_shift: float, y_shift: float) -> tuple[float, float]:
    """The two axes' line shifts, the snapped half pixel shared when one axis shows it.

    A renderer snaps the lines of both axes alike (matplotlib's tick marks, gridlines and
    spines), but one axis can fail to show it: two gridlines, a JPEG's blur, gridlines
    spaced as dates are. An axis measured at 0 takes the other's 0.5; only lines on whole
    pixels are moved by it (:func:`~digitize.calibrate._off_crisp_lines`). So is Vega's
    0.75 at a pixel ratio of 1.5 (:func:`scaled_line_shift`: the lines' places on the
    ratio's lattice tell it), which an axis with gridlines alone (no tick marks to measure)
    or with them broken by data cannot show. Other pairs (0.25: either convention; Vega's
    widened 1.0, which ggplot2's two-pixel lines can look like) are left as measured.
    """
    for shared in (0.5, 0.75):
        if {x_shift, y_shift} == {0.0, shared}:
            return shared, shared
    return x_shift, y_shift


def gridline_shift(
    lines: list[Line], dark: np.ndarray, light: np.ndarray, ink: float | None,
    horizontal: bool,
) -> float:
    """:func:`crisp_line_shift` of an axis's gridlines, for an axis without tick marks.

    Gridlines are drawn as the tick marks are (matplotlib snaps both), so when an axis has
    only gridlines (seaborn's and ggplot's panels) they tell how it was drawn. Each line's
    contrast across it is the median along its extent (data drawn over it left out), on the
    dark or light response as the line is darker or lighter than the plot. Lines on whole
    pixels by chance are no sign of snapping: unless (nearly) all are, 0; nor are lines
    not spaced as gridlines are (gaps whole multiples of the smallest): 0.

    Parameters
    ----------
    lines : list of Line
        The gridlines (horizontal ones for the y axis).
    dark, light : ndarray
        Dark and light line responses (:func:`line_masks`).
    ink : float, optional
        Contrast of the darkest tick-label text, on the same scale.
    horizontal : bool
        Whether the lines are horizontal.

    Returns
    -------
    float
        The shift (0, 0.25 or 0.5 px).
    """
    pos = np.sort([ln.pos for ln in lines])
    gaps = np.diff(pos)
    if len(gaps) and gaps.min() > 0:
        # gridlines mark a regular axis' ticks (some hidden): every gap a whole number of
        # the smallest; light lines between bars (white bar edges on a panel) are not
        k = gaps / gaps.min()
        if np.abs(k - np.round(k)).max() * gaps.min() > 1.5:
            return 0.0
    profiles = []
    for ln in lines:
        c = int(round(ln.pos))
        img = dark if ln.dark else light
        if abs(ln.pos - c) >= 0.05 or ln.end - ln.start < 3:
            continue
        if horizontal and 3 <= c < img.shape[0] - 3:
            profiles.append(np.median(img[c - 3 : c + 4, ln.start : ln.end], axis=1))
        elif not horizontal and 3 <= c < img.shape[1] - 3:
            profiles.append(np.median(img[ln.start : ln.end, c - 3 : c + 4], axis=0))
    if len(profiles) < 3 or len(profiles) < 0.8 * len(lines):
        return 0.0
    return crisp_line_shift(np.array(profiles).reshape(-1, 7), len(lines), ink)


def scaled_line_shift(profile: np.ndarray, ticks: list[float], ink: float | None,
                      outward: bool = True) -> float:
    """Half the width of light crisp lines a pixel ratio made wider than one pixel.

    Vega draws its axis (ticks, domain, gridlines) half a CSS pixel past the values so
    that its one-pixel grey lines are crisp; exported at a pixel ratio ``r`` (1.5, 2) the
    lines are ``r`` pixels wide and ``r / 2`` pixels past their values. Such lines are
    told by their width (one of ``PIXEL_RATIOS``, the same for all), clean edges (nothing
    a pixel beyond them) and, above all, their places: drawn at whole CSS pixels, every
    line covers pixels ``[k r, (k + 1) r)`` of the image, so its centre lies on the
    lattice ``(k + 1/2) r - 1/2`` (:func:`on_ratio_lattice`). Lines of another renderer
    as wide (Excel's 0.75 pt ones, 1.6 px; matplotlib's widened ticks beside a filled
    panel) fall where their values put them, off that lattice. At ``r = 2`` any crisp
    two-pixel line lies on it when the lines are spaced by an even number of pixels:
    there the lines must also be clearly fainter than the label text (Vega's grey
    ``#888`` against black; matplotlib draws its tick marks in the text's colour).

    Parameters
    ----------
    profile : ndarray
        Contrast along the axis, across the tick marks (one band row's mean).
    ticks : list of float
        Tick centres on ``profile``.
    ink : float, optional
        Contrast of the darkest label text, on the same scale.
    outward : bool
        Whether the ticks point out of the plot (Vega's do; at a ratio of 2 inward ones,
        or gridlines, are not taken: ggplot2's two-pixel grey ticks on an even spacing
        lie on that lattice too).

    Returns
    -------
    float
        Half the pixel ratio the lines were drawn at, or 0 when they do not look so.
    """
    if ink is None or ink <= 0 or len(ticks) < 3:
        return 0.0
    widths, peaks, centres = [], [], []
    for t in ticks:
        c = int(round(t))
        if c - 4 < 0 or c + 5 > len(profile):
            continue
        win = np.asarray(profile[c - 4 : c + 5], float)
        peak = float(win.max())
        covered = np.flatnonzero(win > 0.05 * peak)
        # a clean line (other ink beside a few ticks, a crossing line, is left out)
        if peak > 0 and covered[-1] - covered[0] + 1 <= 3 and 2 <= covered[0] <= 6:
            widths.append(float(win.sum() / peak))
            peaks.append(peak)
            centres.append(t)
    if len(widths) < max(3, 0.8 * len(ticks)):
        return 0.0
    w = float(np.median(widths))
    ratio = min(PIXEL_RATIOS, key=lambda r: abs(w - r))
    whole = ratio == round(ratio)
    # (a partly covered pixel of a coloured line measures lighter than its share where
    # the renderer blends in linear light: Vega's 1.5 px grey lines measure 1.33; at a
    # whole ratio every pixel of the line is covered)
    if abs(w - ratio) > (0.08 if whole else 0.2) or float(np.ptp(widths)) > 0.2:
        return 0.0
    if on_ratio_lattice(np.asarray(centres), ratio).mean() < 0.8:
        return 0.0
    # at a ratio of 1.5 the places alone tell (no line snapped to whole pixels has its
    # centre a quarter pixel off one); at 2 any crisp two-pixel line on an even spacing
    # is on the lattice: Vega's are light grey outward ticks as well
    if whole and (not outward or float(np.median(peaks)) >= SCALED_LINE * ink):
        return 0.0
    return ratio / 2.0


def on_ratio_lattice(centres: np.ndarray, ratio: float, tol: float = 0.15) -> np.ndarray:
    """Which line centres (px, pixel-centre coordinates) lie where a crisp one-CSS-pixel
    line drawn at pixel ratio ``ratio`` lies: ``(k + 1/2) * ratio - 1/2`` for whole ``k``.

    ``tol`` allows for the centroid of a line partly covering its edge pixels (a 1.5 px
    line covering one pixel and half the next measures 1/12 px off its true centre).
    """
    phase = np.mod(np.asarray(centres, float) + 0.5 - 0.5 * ratio, ratio)
    return np.minimum(phase, ratio - phase) <= tol


SCALED_LINE = 0.6  # wide crisp lines fainter than this share of the text's ink: Vega's grey
# device pixel ratios told by the lines' width (and their places on the ratio's lattice)
PIXEL_RATIOS = (1.5, 2.0)


def _whole_pixel_profiles(dark: np.ndarray, rows: list[int], ticks: list[float],
                          span: tuple[int, int] | None = None) -> np.ndarray:
    """Contrast across the ticks centred on a whole pixel, 3 pixels either side (rows mean).

    With ``span`` (the columns the ticks are looked for in), each row's own level there
    (its median) is taken off first: ticks inside the frame are read on rows the fringe of
    a thick frame line covers end to end, which is no part of the ticks' profile.
    """
    band = dark[rows].astype(float)
    if span is not None and span[1] > span[0]:
        band = np.clip(band - np.median(band[:, span[0] : span[1]], axis=1, keepdims=True),
                       0.0, None)
    out = [band[:, int(round(t)) - 3 : int(round(t)) + 4].mean(axis=0) for t in ticks
           if abs(t - round(t)) < 0.05 and 3 <= round(t) < dark.shape[1] - 3]
    return np.array(out).reshape(-1, 7)


def _label_ink(dark: np.ndarray, start: int, direction: int, lo: int, hi: int,
               s: float) -> float | None:
    """Contrast of the darkest ink in the band of rows where the tick labels are, from row
    ``start`` on in ``direction``, columns ``lo:hi``; None when the band is off the image.

    The maximum: small text at low resolution has few pixels fully covered by a stroke."""
    rows = np.arange(start, start + direction * max(10, int(round(25 * s))), direction)
    rows = rows[(rows >= 0) & (rows < dark.shape[0])]
    if len(rows) < 5 or hi <= lo:
        return None
    return float(dark[rows, lo:hi].max())


def find_ticks(
    dark_mask: np.ndarray, dark: np.ndarray, box: Box, axis: str, edge_lines: tuple[int, int],
    shift: list[float] | None = None, marks_only: bool = False,
) -> tuple[list[float], int]:
    """Tick marks along the bottom (``axis="x"``) or left (``"y"``) side of ``box``.

    ``edge_lines`` are the first pixel outside the frame line (below it for x, left of it
    for y) and the first pixel inside it. Outward ticks are looked for first, then inward.
    Returns tick centres (subpixel) and the tick length outside the frame (0 if inside).
    ``shift``, when given, receives the ticks' :func:`crisp_line_shift`. ``marks_only``
    (an axis line drawn across the plot) leaves out marks that run on past any tick's length
    (:func:`_running_on`): the frame lines and other axis crossing that line are no ticks.
    """
    out_dir = 1
    if axis == "y":
        dark_mask, dark = dark_mask.T, dark.T
        box = Box(box.top, box.left, box.bottom, box.right)
        out_dir = -1
    outside, inside = edge_lines
    s = _scale(dark_mask.shape)
    n = max(2, int(round(2 * s)))
    lo, hi = max(0, box.left - 2), min(dark_mask.shape[1], box.right + 2)
    max_w = max(3, int(round(5 * s)))
    max_off = max(2, int(round(3 * s)))  # a light spine may sit between frame and ticks
    max_len = longest_tick(dark_mask.shape)
    tries = [(out_dir, outside + out_dir * k) for k in range(max_off + 1)]
    tries += [(-out_dir, inside - out_dir * k) for k in range(max_off + 1)]
    for direction, start in tries:
        rows = [start + direction * i for i in range(n)]
        if min(rows) < 0 or max(rows) >= dark_mask.shape[0]:
            continue
        band = dark_mask[rows, lo:hi].all(axis=0)
        ticks = []
        runs = _runs(band)
        for k, (a, b) in enumerate(runs):
            if b - a > max_w:
                continue
            # looked for past a gap below the frame line: strokes of tick labels set close
            # to the axis come in tight clusters (the two sides of a 0); ticks stand apart
            # (inside the plot there are no labels: a log axis's minor ticks crowd there
            # towards each decade's mark)
            near = (k > 0 and a - runs[k - 1][1] < 2 * max_w) or (
                k + 1 < len(runs) and runs[k + 1][0] - b < 2 * max_w)
            if near and len(runs) >= 12 and start != outside and direction == out_dir:
                continue
            if marks_only and _running_on(dark_mask, start, direction, (lo + a, lo + b),
                                          2 * max_len):
                continue
            prof = dark[rows][:, lo + a : lo + b].sum(axis=0)
            ticks.append(float(((np.arange(a, b) + lo) * prof).sum() / max(prof.sum(), 1e-6)))
        if len(ticks) < 2:
            continue
        length = 0
        if direction == out_dir:  # the text starts beyond the (major) ticks
            lengths = []
            for t in ticks:
                c = int(round(t))
                r = start
                peak = float(dark[start, c])
                # half the tick's contrast: faint anti-aliasing must not join it to its label
                while 0 <= r < dark_mask.shape[0] and dark[r, c] >= 0.5 * peak:
                    r += direction
                lengths.append(abs(r - outside))
            # the longest (major) ticks; a label glued to a tick (JPEG blur) must not make
            # it look longer than any tick is drawn
            length = min(max(lengths), max_len)
        if shift is not None:
            ink = _label_ink(dark, outside + out_dir * (length + 1), out_dir, lo, hi, s)
            prof = _whole_pixel_profiles(dark, rows, ticks, (lo, hi))
            # snapping puts (nearly) every tick on a whole pixel: when half of them or
            # fewer are, those are there by chance (anti-aliased ticks) and tell nothing
            got = crisp_line_shift(prof, len(ticks), ink) if 2 * len(prof) > len(ticks) else 0.0
            if got == 0.0:  # (Vega's ticks point outwards: a plot area found short
                # of its frame makes them look inward)
                got = scaled_line_shift(dark[rows].mean(axis=0), ticks, ink,
                                        direction == out_dir)
            shift.append(got)
        return ticks, length
    return [], 0


def longest_tick(shape: tuple[int, ...]) -> int:
    """The longest tick mark (px) drawn on a chart of ``shape``."""
    return max(6, int(round(12 * _scale(shape))))


def _running_on(dark_mask: np.ndarray, start: int, direction: int, cols: tuple[int, int],
                reach: int) -> bool:
    """Whether the mark in columns ``cols`` (``[a, b)``) runs on from row ``start`` in
    ``direction`` for ``reach`` rows or more: a line crossing the axis line, not its tick."""
    a, b = cols
    end = start + direction * reach
    if not 0 <= end < dark_mask.shape[0]:
        return False
    rows = slice(start, end + 1) if direction > 0 else slice(end, start + 1)
    return bool(dark_mask[rows, a:b].any(axis=1).all())


# --------------------------------------------------------------------------------------------
# text

TEXT_INK = 80  # grey-level distance from the background that marks the ink of dark text


def _ocr_strip(
    grey: np.ndarray,
    box: Box,
    psm: int = PSM_SPARSE,
    rotate: bool = False,
    max_scale: float = 4.0,
) -> list[Word]:
    """OCR one margin strip with one Tesseract call, boxes mapped back to image coordinates.

    Sparse mode (11) drops single characters (``0``, ``5``) so tick-label rows are read as a
    block (6) and tick-label columns as a column (4).
    """
    h, w = grey.shape
    box = box.clip(w, h)
    if box.width < 4 or box.height < 4:
        return []
    strip = grey[box.top : box.bottom, box.left : box.right]
    if strip.min() > 200 or (strip.max() - strip.min()) < 40:
        return []
    text_px = _text_height(strip, rotate) or 12 * _scale(grey.shape) / 0.8
    scale = float(np.clip(34.0 / max(text_px, 1.0), 1.0, max_scale))
    if rotate:
        img = np.ascontiguousarray(np.rot90(strip, k=-1))
        words = read_words(img, psm=psm, scale=scale)
        hs = strip.shape[0]
        out = []
        for wd in words:
            b = wd.box  # rotated coords: x along the original rows (upwards)
            nb = Box(box.left + b.top, box.top + hs - b.right, box.left + b.bottom,
                     box.top + hs - b.left)
            out.append(Word(wd.text, nb, wd.confidence))
        return out
    words = read_words(strip, psm=psm, scale=scale)
    return [Word(wd.text, wd.box.shifted(box.left, box.top), wd.confidence) for wd in words]


def _text_height(strip: np.ndarray, rotated: bool = False) -> float | None:
    """Typical glyph height (px) in a text strip, from its ink blobs; None if unsure."""
    bg = float(np.median(strip))
    ink = (np.abs(strip.astype(np.float32) - bg) > TEXT_INK).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 2:
        return None
    hs = stats[1:, cv2.CC_STAT_WIDTH if rotated else cv2.CC_STAT_HEIGHT].astype(float)
    ws = stats[1:, cv2.CC_STAT_HEIGHT if rotated else cv2.CC_STAT_WIDTH].astype(float)
    glyph = (hs >= 4) & (hs <= 80) & (ws <= 1.5 * hs) & (ws >= 0.15 * hs)
    if glyph.sum() < 3:
        return None
    return float(np.percentile(hs[glyph], 75))


def _useful(word: Word) -> bool:
    return any(ch.isalnum() for ch in word.text) and word.box.width > 0 and word.box.height > 0


def _dedupe(words: list[Word]) -> list[Word]:
    """Drop words read twice by overlapping strips (keep the larger / surer one)."""
    out: list[Word] = []
    for wd in sorted(words, key=lambda w: (-w.box.area, -w.confidence)):
        dup = False
        for o in out:
            if wd.box.intersects(o.box):
                ix = min(wd.box.right, o.box.right) - max(wd.box.left, o.box.left)
                iy = min(wd.box.bottom, o.box.bottom) - max(wd.box.top, o.box.top)
                if ix * iy > 0.5 * min(wd.box.area, o.box.area):
                    dup = True
                    break
        if not dup:
            out.append(wd)
    return out


def merge_line_words(words: list[Word], gap_factor: float = 0.7) -> list[Word]:
    """Join words on one text line separated by less than ``gap_factor`` × text height."""
    out: list[Word] = []
    for wd in sorted(words, key=lambda w: (w.box.left)):
        for i, o in enumerate(out):
            hgt = max(wd.box.height, o.box.height)
            same_line = abs(wd.box.center[1] - o.box.center[1]) < 0.45 * hgt
            gap = wd.box.left - o.box.right
            if same_line and -2 <= gap < gap_factor * hgt:
                out[i] = Word(o.text + " " + wd.text, o.box.union(wd.box),
                              min(o.confidence, wd.confidence))
                break
        else:
            out.append(wd)
    return out


def _text_rows(words: list[Word]) -> list[list[Word]]:
    """Group words into text rows by their vertical centres, top row first."""
    rows: list[list[Word]] = []
    for wd in sorted(words, key=lambda w: w.box.center[1]):
        if rows:
            last = rows[-1]
            cy = np.mean([w.box.center[1] for w in last])
            hgt = np.median([w.box.height for w in last])
            if abs(wd.box.center[1] - cy) < 0.5 * max(hgt, wd.box.height):
                last.append(wd)
                continue
        rows.append([wd])
    return rows


def _is_offset_text(text: str) -> bool:
    """Matplotlib's offset/multiplier text (``1e6``, ``×10^3``, ``+1.4e3``)."""
    return parse_offset(text) is not None


def _date_under_times(times: list[Word], row: list[Word]) -> list[Word] | None:
    """Times of day with the dates written under some of them (plotly): full timestamps.

    A time takes the date written under it; the others count days on from (or back to) the
    nearest dated time, a new day starting wherever the clock goes back (12:00 -> 00:00).
    """
    pairs = [(wd, parse_time(wd.text)) for wd in sorted(times, key=lambda w: w.box.left)]
    pairs = [(wd, c) for wd, c in pairs if c is not None]
    if len(pairs) < 2:
        return None
    year = next((y for y in (year_of(wd.text) for wd in row) if y), None)
    dates = [(wd.box.center[0], parse_date(wd.text, year)) for wd in merge_line_words(row)
             if has_month(wd.text)]
    dates = [(x, d) for x, d in dates if d is not None]
    if not dates:
        return None
    days: list[float | None] = []
    for wd, _ in pairs:
        under = [(abs(x - wd.box.center[0]), d) for x, d in dates
                 if abs(x - wd.box.center[0]) <= wd.box.width / 2 + 2 * wd.box.height]
        days.append(min(under)[1] if under else None)
    known = [i for i, d in enumerate(days) if d is not None]
    if not known:
        return None
    for i in range(known[0] + 1, len(pairs)):  # forwards
        if days[i] is None:
            days[i] = days[i - 1] + (1 if pairs[i][1] <= pairs[i - 1][1] else 0)
    for i in range(known[0] - 1, -1, -1):  # backwards
        days[i] = days[i + 1] - (1 if pairs[i][1] >= pairs[i + 1][1] else 0)
    return [Word(f"{iso_day(d)} {wd.text}", wd.box, wd.confidence)
            for (wd, _), d in zip(pairs, days, strict=True)]


#: what OCR makes of a short vertical tick mark
_STROKE_READINGS = frozenset("Il|1!")
#: labels that must agree on one axis for a text row to be taken over the one above it
MIN_ROW_LABELS = 3


def _drop_tick_marks(words: list[Word]) -> list[Word]:
    """``words`` without tick marks read as letters: three or more words each one vertical
    stroke, all read alike (Vega draws its ticks apart from a frameless plot, where the
    tick strip misses them; tick labels the same all along would be no axis)."""
    strokes = [wd for wd in words if wd.text.strip() in _STROKE_READINGS]
    if len(strokes) < 3 or len({wd.text.strip() for wd in strokes}) > 1:
        return words
    return [wd for wd in words if wd not in strokes]


def numbers_apart(row: list[Word], read: list[Word]) -> list[Word]:
    """``row`` with each word joined from numbers read apart ("10 20": labels set close on
    a log axis) put back as the words OCR read.

    :func:`merge_line_words` joins words nearer than most of a text height, which keeps
    "Jan 2020" and "1 000" whole but also joins the close labels at a log axis's decade
    start; the caller keeps whichever row agrees better as tick labels.
    """
    out: list[Word] = []
    for wd in row:
        parts = wd.text.split(" ")
        inside = sorted((r for r in read if r.box.left >= wd.box.left
                         and r.box.right <= wd.box.right and r.box.intersects(wd.box)),
                        key=lambda r: r.box.left)
        if (len(parts) >= 2 and all(parse_number(t) is not None for t in parts)
                and [r.text for r in inside] == parts):
            out += inside
        else:
            out.append(wd)
    return out


def _row_score(row: list[Word], plot: Box) -> int:
    """How many words of a text row agree as tick labels of an x axis (:func:`_label_score`)."""
    return _label_score([wd.text for wd in row], [wd.box.center[0] for wd in row],
                        max(2.5, 0.012 * plot.width), [wd.confidence for wd in row])


def split_run_on_words(words: list[Word]) -> list[Word]:
    """Words holding several tick labels set edge to edge, split into one word per label
    (:func:`digitize.labels.split_run_on`), each at its share of the word's box (by its
    characters' widths: a colon or hyphen is narrower than a digit, :func:`glyph_advance`)."""
    out = []
    for wd in words:
        spans = split_run_on(wd.text)
        if not spans:
            out.append(wd)
            continue
        b = wd.box
        ends = np.concatenate([[0.0], np.cumsum([glyph_advance(c) for c in wd.text])])
        for a, e in spans:
            out.append(Word(wd.text[a:e], Box(int(round(b.left + b.width * ends[a] / ends[-1])),
                                              b.top,
                                              int(round(b.left + b.width * ends[e] / ends[-1])),
                                              b.bottom), wd.confidence))
    return out


#: advance widths (em) of DejaVu Sans, matplotlib's default font, where they are far from
#: its digits' 0.636: a colon or a hyphen takes about half a digit's room (a space, where
#: labels read apart were joined as one line, stands for the gap between them, as wide as
#: anything: it keeps a digit's share)
_ADVANCE = {**dict.fromkeys(":;.,'", 0.33), "-": 0.36, "/": 0.34, **dict.fromkeys("iljIJ", 0.29),
            **dict.fromkeys("frt", 0.38), **dict.fromkeys("mwMW", 0.9)}


def glyph_advance(ch: str) -> float:
    """The room (em) one character takes in a line of text, roughly (:data:`_ADVANCE`;
    other letters and digits about 0.6 em, capitals 0.7)."""
    return _ADVANCE.get(ch, 0.7 if ch.isupper() else 0.62 if ch.isalpha() else 0.636)


def split_glued_offset(wd: Word) -> list[Word]:
    """A word OCR read as an offset text glued to the text after it, split in two.

    Matplotlib sets the y axis's offset (``+1e3``) at the top-left corner of the axes, where a
    long centred title may start a pixel or two later: OCR then reads ``+1e3Score``. The
    longest leading part that is an offset with an exponent or a multiplier, followed by a
    letter, becomes its own word, each part at its share of the box.
    """
    text = wd.text
    for k in range(len(text) - 1, 1, -1):
        head = text[:k]
        if (text[k].isalpha() and re.search(r"\d[eE]|[x×]10", head)
                and parse_offset(head) is not None):
            b = wd.box
            cut = int(round(b.left + b.width * k / len(text)))
            return [Word(head, Box(b.left, b.top, cut, b.bottom), wd.confidence),
                    Word(text[k:], Box(cut, b.top, b.right, b.bottom), wd.confidence)]
    return [wd]


def classify_words(layout: Layout, strips: dict[str, list[Word]], shape: tuple[int, ...]) -> None:
    """Fill the tick-label, title and axis-label fields of ``layout`` from the strip words."""
    p = layout.plot_area
    h, w = shape[:2]
    # x tick labels: first text row below the plot area, within its horizontal extent
    below = merge_line_words(strips.get("bottom", []))
    below = [wd for wd in below if p.left - 0.06 * w <= wd.box.center[0] <= p.right + 0.06 * w]
    below = _drop_tick_marks(below)
    rows = _text_rows(below)
    if len(rows) > 1 and _row_score(rows[0], p) < 2 <= MIN_ROW_LABELS <= _row_score(rows[1], p):
        rows = rows[1:]  # a stray word over the labels (a corner mark, a y label's end)
    if rows:
        first = rows[0]
        apart = numbers_apart(first, strips.get("bottom", []))
        if apart != first and _row_score(apart, p) > _row_score(first, p):
            first = apart
        hgt = float(np.median([wd.box.height for wd in first]))
        if first[0].box.top - p.bottom < 4 * hgt + 0.05 * h:
            layout.x_tick_labels = split_run_on_words(sorted(first, key=lambda wd: wd.box.left))
            rest = rows[1:]
            if rest and _date_under_times(layout.x_tick_labels, rest[0]):
                layout.x_tick_labels = _date_under_times(layout.x_tick_labels, rest[0])
                rest = rest[1:]
        else:
            rest = rows
        rest_words = [wd for row in rest for wd in row]
        offsets = [wd for wd in rest_words if _is_offset_text(wd.text)]
        # ConciseDateFormatter: the year (and month) of the ticks at the right end
        offsets += [wd for wd in rest_words if parse_date_offset(wd.text)
                    and wd.box.center[0] > p.right - 0.35 * p.width]
        if offsets:
            layout.x_offset_text = offsets[0].text
        label_rows = [[wd for wd in r if wd not in offsets] for r in rest]
        label_rows = [r for r in label_rows if r]
        if label_rows:
            layout.x_label = " ".join(
                wd.text for wd in sorted(label_rows[0], key=lambda w: w.box.left)
            )
    # title: the text row above the plot nearest to it; y offset text near the top-left
    top = [part for wd in strips.get("top", []) for part in (
        split_glued_offset(wd) if abs(wd.box.left - p.left) <= wd.box.height else [wd])]
    offsets = [wd for wd in top + strips.get("left", [])
               if _is_offset_text(wd.text) and wd.box.bottom <= p.top + 2
               and wd.box.center[0] < p.left + 0.2 * p.width]
    if offsets:
        layout.y_offset_text = offsets[0].text
    # (over the plot: a legend outside on the right can start above the plot's top)
    top = [wd for wd in merge_line_words([wd for wd in top if wd not in offsets])
           if not _is_offset_text(wd.text) and wd.box.right > p.left and wd.box.left < p.right]
    rows = _text_rows(top)
    if rows:
        layout.title = " ".join(wd.text for wd in sorted(rows[-1], key=lambda w: w.box.left))
    yl = strips.get("ylabel", [])
    if yl:
        layout.y_label = " ".join(wd.text for wd in sorted(yl, key=lambda w: -w.box.bottom))


# --------------------------------------------------------------------------------------------
# main entry


def find_layout(rgb: np.ndarray) -> Layout:
    """Find the plot area, ticks, gridlines and text of a chart image.

    Parameters
    ----------
    rgb : ndarray
        ``(H, W, 3)`` uint8 RGB image (grey and RGBA are accepted too).

    Returns
    -------
    Layout
        Plot area, frame kind, background, tick/gridline positions and the words around it.
    """
    rgb = as_rgb(rgb)
    fig_bg = border_color(rgb)
    dark, light, dark_mask, light_mask, busy = line_masks(rgb)
    hl, vl = all_lines(dark, light, dark_mask, light_mask, busy)
    frame = choose_frame(rgb, fig_bg, hl, vl)
    p = frame.box
    inner = rgb[p.top : p.bottom, p.left : p.right]
    step = max(1, min(inner.shape[:2]) // 100) if inner.size else 1
    background = _mode_color(inner[::step, ::step].reshape(-1, 3)) if inner.size else fig_bg
    layout = Layout(plot_area=p, frame=frame.kind, background=background,
                    x_edges=frame.x_edges, y_edges=frame.y_edges)
    layout.x_gridlines = sorted(ln.pos for ln in frame.vlines)
    layout.y_gridlines = sorted(ln.pos for ln in frame.hlines)
    contrast = (dark, light)
    if np.mean(fig_bg) < 128:  # a dark theme: ticks and spines are light lines
        dark_mask, dark = light_mask, light
    margins = _add_ticks(layout, frame, dark_mask, dark, contrast)
    _read_text(layout, rgb, frame, fig_bg, dark_mask, dark, margins)
    if min(_axis_score(layout, "x"), _axis_score(layout, "y")) < 3:
        # data ink crosses labels set inside the plot: only neutral ink is text there (and
        # not the light anti-aliased fringe of a coloured stroke, which blends to grey)
        # (painted the plot's own level: a white stroke left across a grey panel's label
        # cuts its glyphs as the coloured one did)
        grey = _text_grey(rgb, fig_bg)
        coloured = _chroma(rgb) >= 60
        fringe = cv2.dilate(coloured.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        level = _text_grey(np.array([[layout.background]], np.uint8), fig_bg)[0, 0]
        grey = np.where(coloured | (fringe & (grey >= 128)), level, grey)
        _inner_axis_labels(layout, frame, grey, hl, vl, dark_mask, dark)
    return layout


def _axis_score(layout: Layout, axis: str) -> int:
    """How many of an axis's tick labels read as one consistent scale (:func:`_label_score`)."""
    words = layout.x_tick_labels if axis == "x" else layout.y_tick_labels
    centre = 0 if axis == "x" else 1
    return _label_score([wd.text for wd in words], [wd.box.center[centre] for wd in words],
                        max(2.5, 0.012 * layout.plot_area.width))


def _short_marks(dark_mask: np.ndarray, ticks: list[float], start: int, length: int) -> int:
    """How many of ``ticks`` (columns) end within twice their ``length`` from row ``start``
    (``length`` < 0: running up): tick marks, not lines crossing the axis line."""
    h, w = dark_mask.shape
    row = start + 2 * length + (3 if length >= 0 else -3)
    if not 0 <= row < h:
        return len(ticks)
    return sum(not dark_mask[row, int(round(t))] for t in ticks if 0 <= round(t) < w)


def _axis_line_candidates(lines: list[Line], dark_mask: np.ndarray, dark: np.ndarray,
                          axis: str, most: int = 3
                          ) -> list[tuple[Line, list[tuple[list[float], int]], list[float]]]:
    """The lines most likely to be an axis drawn across the plot, with their tick marks and
    tick length on either side (:func:`line_tick_sides`) and the marks below an x axis line,
    left of a y axis line (ticks, and lines crossing it, whose stubs are cut from the labels'
    strip).

    Lines with short tick marks hanging off them come first (a gridline's "ticks" are the
    lines crossing it, which run on), then the strongest (axis lines are drawn darker than
    gridlines); at most ``most`` of them, as each costs an OCR call.
    """
    h = dark_mask.shape[0]
    ranked = []
    for ln in lines:
        if axis == "x":
            marks, length = find_ticks(dark_mask, dark, Box(ln.start, 0, ln.end, h), "x",
                                       (ln.hi + 1, ln.lo - 1))
            short = _short_marks(dark_mask, marks, ln.hi + 1, length)
        else:
            marks, length = find_ticks(dark_mask, dark, Box(0, ln.start, ln.lo, ln.end), "y",
                                       (ln.lo - 1, ln.hi + 1))
            short = _short_marks(dark_mask.T, marks, ln.lo - 1, -length)
        ranked.append((short >= 2, ln.strength, ln, marks))
    ranked.sort(key=lambda r: (r[0], r[1]), reverse=True)
    out = []
    for _, _, ln, marks in ranked[:most]:
        sides = line_tick_sides(dark_mask, dark, ln, axis)
        out.append((ln, sides, sorted(set(marks).union(*(set(t) for t, _ in sides)))))
    return out


def line_tick_sides(dark_mask: np.ndarray, dark: np.ndarray, line: Line, axis: str
                    ) -> list[tuple[list[float], int]]:
    """The tick marks of an axis ``line`` drawn across the plot (``axis`` "x": a horizontal
    line, "y": a vertical one) with their length, on either side of it: below (left of)
    the line, then above (right of) it, lines crossing it left out.

    Ticks drawn inward of an axis through zero point across the plot (matplotlib's
    ``classic`` style), away from the labels.
    """
    h, w = dark_mask.shape
    if axis == "x":
        near = find_ticks(dark_mask, dark, Box(line.start, 0, line.end, h), "x",
                          (line.hi + 1, line.lo - 1), marks_only=True)
        # above it: the image upside down, the line's rows mirrored
        lo, hi = h - 1 - line.hi, h - 1 - line.lo
        far = find_ticks(dark_mask[::-1], dark[::-1], Box(line.start, 0, line.end, h), "x",
                         (hi + 1, lo - 1), marks_only=True)
    else:
        near = find_ticks(dark_mask, dark, Box(0, line.start, line.lo, line.end), "y",
                          (line.lo - 1, line.hi + 1), marks_only=True)
        lo, hi = w - 1 - line.hi, w - 1 - line.lo
        far = find_ticks(dark_mask[:, ::-1], dark[:, ::-1], Box(0, line.start, lo, line.end),
                         "y", (lo - 1, hi + 1), marks_only=True)
    return [near, far]


def labelled_side(sides: list[tuple[list[float], int]], words: list[Word], axis: str,
                  tol: float) -> tuple[list[float], int]:
    """Of an axis line's tick sides (:func:`line_tick_sides`), the one whose marks meet more
    of the labels ``words`` (a mark within ``tol`` of a label's centre; the first side on a
    tie): data strokes crossing the line make marks too, but not where the labels are."""
    centres = [wd.box.center[0 if axis == "x" else 1] for wd in words]

    def met(ticks: list[float]) -> int:
        return sum(any(abs(c - t) <= tol for t in ticks) for c in centres)

    return max(sides, key=lambda side: met(side[0]))


def _snap_reach(words: list[Word]) -> float:
    """How far (px) from a label's centre its tick may lie: a third of the labels' height
    (as calibration snaps them), 3 px at least."""
    if not words:
        return 3.0
    return max(3.0, 0.35 * float(np.median([wd.box.height for wd in words])))


def _labels_along(words: list[Word], line: Line, axis: str, reach: float) -> bool:
    """Whether tick labels ``words`` stand along an axis ``line`` drawn across the plot:
    most of them under it (x) or left of it (y) within ``reach`` px."""
    if len(words) < 2:
        return False
    gaps = [wd.box.top - line.hi - 1 if axis == "x" else line.lo - wd.box.right
            for wd in words]
    return sum(-1 <= g <= reach for g in gaps) > 0.5 * len(gaps)


def _inner_axis_labels(layout: Layout, frame: _Frame, grey: np.ndarray, hl: list[Line],
                       vl: list[Line], dark_mask: np.ndarray, dark: np.ndarray) -> None:
    """Tick labels set along axis lines that cross the plot, read where the margins had none.

    Axes drawn through zero (matplotlib's spines at ``"zero"``, a spreadsheet's axis crossing
    at a value) carry their tick labels inside the plot: the x labels under a long
    horizontal line (the frame's top or one across the plot), the y labels left of a long
    vertical line across it. Each such line is tried and the best row or column of labels
    reading as one numeric scale kept (inside the plot area: labels in the margin were the
    normal path's to read), with the tick marks hanging off that line. When the frame was only
    guessed (no frame lines), the crossing lines' extents are the plot area.
    """
    p = layout.plot_area
    fit_tol = max(2.5, 0.012 * p.width)
    top_edge = layout.y_edges[0] if layout.y_edges else p.top - 0.5
    candidates = {
        "x": [ln for ln in hl if ln.dark and top_edge - 1 <= ln.pos < p.bottom - 3
              and ln.length >= 0.6 * p.width],
        "y": [ln for ln in vl if ln.dark and p.left + 3 <= ln.pos <= p.right + 2
              and ln.length >= 0.6 * p.height],
    }
    found: dict[str, Line | None] = {"x": None, "y": None}
    for axis, lines in candidates.items():
        read = _axis_score(layout, axis)
        if read >= 3:
            continue
        best = (max(2, read), None)  # three labels at least
        for ln, sides, stubs in _axis_line_candidates(lines, dark_mask, dark, axis):
            got = _labels_beside(grey, ln, stubs, axis, p)
            score = label_consistency([wd.text for wd in got],
                                      [wd.box.center[0 if axis == "x" else 1] for wd in got],
                                      fit_tol)
            if score > best[0]:
                best = (score, (ln, got, sides))
        if best[1] is not None:
            ln, got, sides = best[1]
            ticks, length = labelled_side(sides, got, axis, _snap_reach(got))
            # (no tick marks: the line's mask still covers its fringe and what of the
            # labels' ink lies beside it)
            found[axis] = _adopt_axis_line(layout, axis, ln, got, ticks,
                                           length or longest_tick(grey.shape))
    x_line, y_line = found["x"], found["y"]
    if frame.kind != "none":
        return
    # no frame was found, so the plot area was guessed: the axis lines' extents are the
    # plot's (one axis read in the margin still has its line crossing the other)
    x_line = x_line or _crossing_line(y_line, hl)
    y_line = y_line or _crossing_line(x_line, vl)
    reach = max(12.0, 0.03 * max(grey.shape))
    for axis, line in (("x", x_line), ("y", y_line)):
        words = layout.x_tick_labels if axis == "x" else layout.y_tick_labels
        if line is None or found[axis] is not None or not _labels_along(words, line, axis,
                                                                         reach):
            continue
        # labels read in the margin path still stand beside the axis line across the plot:
        # its tick marks are theirs (the guessed frame's edge has none)
        ticks, _ = labelled_side(line_tick_sides(dark_mask, dark, line, axis), words, axis,
                                 _snap_reach(words))
        if len(ticks) >= 2:
            grid = layout.x_gridlines if axis == "x" else layout.y_gridlines
            setattr(layout, f"{axis}_ticks", _merge_positions(ticks, grid))
    if x_line is not None and y_line is not None:
        layout.plot_area = Box(x_line.start, y_line.start, x_line.end, y_line.end)
        layout.x_edges = (x_line.start - 0.5, x_line.end - 0.5)
        layout.y_edges = (y_line.start - 0.5, y_line.end - 0.5)


def _labels_beside(grey: np.ndarray, line: Line, ticks: list[float], axis: str, p: Box
                   ) -> list[Word]:
    """The numeric tick labels under an x axis ``line`` or left of a y axis ``line`` drawn
    across the plot area ``p`` (its ``ticks`` painted out first)."""
    h, w = grey.shape
    if axis == "x":
        top = line.hi + 1
        strip = Box(max(0, line.start - int(0.05 * w)), top,
                    min(w, line.end + int(0.05 * w)), min(p.bottom, top + int(0.1 * h)))
        clear = clear_touching(erase_tick_stubs(grey, top, ticks, "x"), strip, "top")
        words = [wd for wd in _ocr_strip(clear, strip, PSM_BLOCK) if _numeric(wd.text)]
        cand = Layout(plot_area=Box(line.start, p.top, line.end, line.hi + 1))
        classify_words(cand, {"bottom": words}, grey.shape)
        return cand.x_tick_labels
    ext = int(0.04 * h)
    strip = Box(max(p.left, line.lo - int(0.15 * w)), max(0, line.start - ext), line.lo,
                min(h, line.end + ext))
    clear = clear_touching(erase_tick_stubs(grey, line.lo, ticks), strip, "right")
    words = [wd for wd in _ocr_strip(clear, strip, PSM_BLOCK) if _numeric(wd.text)]
    return tick_label_column(merge_line_words(words), Box(line.lo, line.start, w, line.end))


def clear_touching(grey: np.ndarray, box: Box, side: str, contrast: int = 60) -> np.ndarray:
    """``grey`` with the ink in ``box`` that touches the box's ``side`` painted out.

    Tick labels along an axis line drawn across the plot stand apart from it; the ink that
    reaches the strip's edge on the line's side runs on from the line: the other axis's line
    and data strokes crossing the axis, tick marks, and the part of the other axis's label
    that the strip's edge cuts. Tesseract reads a row of labels with such strokes through it
    as noise. ``side`` is ``"top"`` (a strip under an x axis line) or ``"right"`` (a strip
    left of a y axis line); ink is darker than the strip's median level by ``contrast`` and
    lies at least halfway from it to the darkest pixel (a light gridline through a label
    must not join the label to the line).
    Each touching ink component is painted to that level, one pixel around it too (its
    anti-aliased fringe). Returns ``grey`` itself when nothing touches.
    """
    h, w = grey.shape
    box = box.clip(w, h)
    if box.width < 2 or box.height < 2:
        return grey
    strip = grey[box.top : box.bottom, box.left : box.right]
    bg = int(np.median(strip))
    # (halfway to the darkest ink: light gridlines through a label do not join it to the line)
    level = min(bg - contrast, (bg + int(strip.min())) // 2)
    ink = (strip.astype(np.int16) < level).astype(np.uint8)
    n, labels = cv2.connectedComponents(ink, connectivity=8)
    edge = labels[0, :] if side == "top" else labels[:, -1]
    touching = np.unique(edge[edge > 0])
    if not touching.size:
        return grey
    gone = cv2.dilate(np.isin(labels, touching).astype(np.uint8), np.ones((3, 3), np.uint8))
    out = grey.copy()
    out[box.top : box.bottom, box.left : box.right][gone > 0] = bg
    return out


def _adopt_axis_line(layout: Layout, axis: str, line: Line, labels: list[Word],
                     ticks: list[float], length: int) -> Line:
    """Take ``labels`` and the ``ticks`` of an axis ``line`` drawn across the plot for
    ``axis``; the line with its ticks and the labels become :attr:`Layout.inner_marks`."""
    if axis == "x":
        layout.x_tick_labels = labels
        layout.x_ticks = _merge_positions(ticks, layout.x_gridlines)
        layout.inner_marks.append(Box(line.start, line.lo - length, line.end,
                                      line.hi + 1 + length))
    else:
        layout.y_tick_labels = labels
        layout.y_ticks = _merge_positions(ticks, layout.y_gridlines)
        layout.inner_marks.append(Box(line.lo - length, line.start, line.hi + 1 + length,
                                      line.end))
    layout.inner_marks += [wd.box for wd in labels]
    return line


def _crossing_line(line: Line | None, others: list[Line]) -> Line | None:
    """The longest dark line of ``others`` (perpendicular to ``line``) crossing ``line``."""
    if line is None:
        return None
    crossing = [ln for ln in others if ln.dark and line.start <= ln.pos < line.end
                and ln.start <= line.pos < ln.end and ln.length >= 0.5 * line.length]
    return max(crossing, key=lambda ln: ln.length, default=None)


def choose_frame(rgb: np.ndarray, fig_bg: tuple, hl: list[Line], vl: list[Line]) -> _Frame:
    """The plot frame: from lines, a filled panel, or (neither) the tick labels."""
    h, w = rgb.shape[:2]
    panel = find_panel(rgb, fig_bg)
    # inside a filled panel, lines in pairs around bars are the bars' edges, no frame
    cands = [f for _, f in frame_candidates(hl, vl, rgb.shape, rgb, bar_edges=panel is None)]
    frame = cands[0] if cands else None
    if frame is not None:
        # frames side by side (the plot and a legend frame outside it): the tick labels
        # tell which is the plot
        beside = [f for f in cands[1:] if _disjoint(f.box, frame.box)]
        labels = box_from_labels(rgb, fig_bg) if beside else None
        by_labels = None if labels is None else frame_by_labels(
            [frame, *beside], labels, max(8.0, 0.02 * max(h, w)))
        if by_labels is not None:
            frame = by_labels
        elif beside and not _holds_colour(rgb, frame.box):
            # (the labels tell nothing) a grid with no data in it (a spreadsheet's cells
            # around a pasted chart) beside a frame holding coloured data ink is no plot
            frame = next((f for f in beside if _holds_colour(rgb, f.box)), frame)
    if frame is not None and frame.kind == "left-bottom":
        frame = _open_frame_ends(rgb, frame, hl, vl)
    if panel is not None:
        pbox, _ = panel
        # a panel wins unless dark frame lines enclose a clearly larger rectangle
        lines_win = frame is not None and (
            # dark frame lines around a smaller filled box (a legend, a highlight)
            (frame.kind in ("full", "left-bottom") and frame.box.area > 1.2 * pbox.area
             and frame.box.union(pbox) == frame.box)
            # a plot frame (dark axis lines) inside a filled chart background (Excel),
            # unless the tick labels line up with the panel (gridlines cut short by a
            # legend inside the panel make a smaller box of their own)
            or (frame.box.union(pbox) == pbox and frame.box.area < 0.8 * pbox.area
                and frame.dark_edges >= 2 and not _labels_fit_panel(rgb, fig_bg, frame, pbox))
        )
        if not lines_win:
            frame = _frame_from_panel(pbox, hl, vl)
            frame.x_edges, frame.y_edges = _panel_edges(rgb, pbox, panel[1], fig_bg)
    if frame is None:
        box = box_from_labels(rgb, fig_bg)
        if box is None:
            m = int(0.1 * min(h, w))
            box = Box(m, m // 2, w - m // 2, h - m)
        frame = _frame_from_pair(box, vl, hl, rgb.shape) or _Frame(
            box, "none", (box.left - 0.5, box.right - 0.5), (box.top - 0.5, box.bottom - 0.5),
            [], [])
    return frame


def _holds_colour(rgb: np.ndarray, box: Box, share: float = 0.002) -> bool:
    """Whether at least ``share`` of the pixels inside ``box`` are coloured (data ink)."""
    inner = rgb[box.top : box.bottom, box.left : box.right]
    if not inner.size:
        return False
    return float((_chroma(inner) > 60).mean()) >= share


def _labels_fit_panel(rgb: np.ndarray, fig_bg: tuple, frame: _Frame, pbox: Box) -> bool:
    """Whether the tick labels line up with the panel ``pbox``, not the smaller ``frame``.

    The labels' estimate of the plot area (:func:`box_from_labels`) stops short of the
    frame by the tick length and half a label height, so the tolerance is 4% of the image.
    """
    labels = box_from_labels(rgb, fig_bg)
    if labels is None:
        return False
    panel = _Frame(pbox, "panel", (0.0, 0.0), (0.0, 0.0), [], [])
    tol = max(8.0, 0.04 * max(rgb.shape[:2]))
    return frame_by_labels([frame, panel], labels, tol) is panel


def _frame_from_pair(
    box: Box, vl: list[Line], hl: list[Line], shape: tuple[int, ...]
) -> _Frame | None:
    """The labels' box refined by two parallel frame lines, when only they are drawn.

    Some frames show only two sides (Vega's light themes: the top and bottom borders too
    faint to see). Two lines sharing one extent, each near a side of the box estimated from
    the tick labels and the data ink, are those sides; their extent gives the other two.
    """
    h, w = shape[:2]
    tol = max(3.0, 0.01 * max(h, w))
    for lines, vertical in ((vl, True), (hl, False)):
        lo, hi = (box.left, box.right) if vertical else (box.top, box.bottom)
        a0, a1 = (box.top, box.bottom) if vertical else (box.left, box.right)
        reach = 0.06 * (w if vertical else h)
        for group in extent_groups(lines, tol):
            if len(group) < 2:
                continue
            first = min(group, key=lambda ln: abs(ln.pos - lo))
            last = min(group, key=lambda ln: abs(ln.pos - (hi - 1)))
            start = float(np.median([ln.start for ln in group]))
            end = float(np.median([ln.end for ln in group]))
            if (first is last or abs(first.pos - lo) > reach or abs(last.pos - (hi - 1)) > reach
                    or abs(start - a0) > reach or abs(end - a1) > reach
                    or end - start < 0.6 * (a1 - a0)):
                continue
            inner = [ln for ln in group if ln not in (first, last)]
            if vertical:
                pbox = Box(_inside_after(first), int(start), _inside_before(last), int(end))
                return _Frame(pbox, "none", (first.pos, last.pos), (start - 0.5, end - 0.5),
                              inner, [], first.dark + last.dark, len(group))
            pbox = Box(int(start), _inside_after(first), int(end), _inside_before(last))
            return _Frame(pbox, "none", (start - 0.5, end - 0.5), (first.pos, last.pos),
                          [], inner, first.dark + last.dark, len(group))
    return None


def _add_ticks(
    layout: Layout, frame: _Frame, dark_mask: np.ndarray, dark: np.ndarray,
    contrast: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[int, int, list[float], int, int]:
    """Tick marks below and left of the plot into ``layout``.

    ``contrast`` (the dark and light line responses of :func:`line_masks`) measures the
    gridlines of an axis without tick marks for its :func:`gridline_shift`.
    Returns the first row below the frame, the x tick length, the x tick positions, the
    first column left of the y ticks and the first column left of the frame."""
    p = frame.box
    h = dark_mask.shape[0]
    bottom_out = int(round(frame.y_edges[1])) + 1
    while bottom_out < h and dark_mask[bottom_out, p.left : p.right].mean() > 0.6:
        bottom_out += 1
    left_out = int(round(frame.x_edges[0])) - 1
    while left_out > 0 and dark_mask[p.top : p.bottom, left_out].mean() > 0.6:
        left_out -= 1
    xs: list[float] = []
    ys: list[float] = []
    xt, xlen = find_ticks(dark_mask, dark, p, "x", (bottom_out, p.bottom - 1), xs)
    yt, ylen = find_ticks(dark_mask, dark, p, "y", (left_out, p.left), ys)
    if frame.kind == "panel":
        # widened light ticks beside a filled panel (matplotlib's ggplot style at 180 dpi)
        # hang off no axis line: not Vega's (see scaled_line_shift)
        xs, ys = [v if v <= 0.5 else 0.0 for v in xs], [v if v <= 0.5 else 0.0 for v in ys]
    layout.x_tick_shift, layout.y_tick_shift = (xs or [0.0])[0], (ys or [0.0])[0]
    if contrast is not None:
        s = _scale(dark.shape)
        n = max(10, int(round(25 * s)))  # the tick-label band beyond the frame
        if not xs and frame.vlines:
            band = dark[bottom_out : bottom_out + n, max(0, p.left - 2) : p.right + 2]
            layout.x_tick_shift = gridline_shift(
                frame.vlines, *contrast, float(band.max()) if band.size else None, False)
        if not ys and frame.hlines:
            band = dark[max(0, p.top - 2) : p.bottom + 2, max(0, left_out - n + 1) : left_out + 1]
            layout.y_tick_shift = gridline_shift(
                frame.hlines, *contrast, float(band.max()) if band.size else None, True)
    layout.x_tick_shift, layout.y_tick_shift = shared_snap_shift(layout.x_tick_shift,
                                                                 layout.y_tick_shift)
    # drop "ticks" that are the ends of the perpendicular frame lines
    xt = [t for t in xt if min(abs(t - e) for e in frame.x_edges) > 1.0]
    yt = [t for t in yt if min(abs(t - e) for e in frame.y_edges) > 1.0]
    layout.x_ticks = _merge_positions(xt, layout.x_gridlines)
    layout.y_ticks = _merge_positions(yt, layout.y_gridlines)
    return bottom_out, xlen, xt, left_out - ylen, left_out


#: share of the marks under the x axis lying within label boxes that makes them the labels'
#: strokes (:func:`strokes_of_labels`)
STROKE_SHARE = 0.75
#: px: the shortest tick mark drawn outward (matplotlib's 3.5 pt at 72 dpi)
SHORTEST_TICK = 3


def strokes_of_labels(marks: list[float], words: list[Word], marks_end: int) -> bool:
    """Whether the "tick marks" ``marks`` found under the x axis are strokes of the tick
    labels ``words``: every label's box starts above ``marks_end`` (where the shortest tick
    mark would still be drawn), and the marks lie within a label's
    box (:data:`STROKE_SHARE` of them: a label OCR missed has strokes too). Labels set
    right under an axis drawn without tick marks (seaborn's styles) show
    the tops of their glyphs ("1", the arc of a "0") as short marks, a pixel or two off
    the label's centre; a tick mark ends before its label starts.
    """
    if len(marks) < 2 or len(words) < 2:
        return False
    if any(wd.box.top >= marks_end for wd in words):
        return False
    inside = sum(any(wd.box.left <= m < wd.box.right for wd in words) for m in marks)
    return inside >= STROKE_SHARE * len(marks)


def _distinct(words: list[Word]) -> bool:
    """Whether no two of ``words`` read the same: tick labels are all different, so a
    reading with repeats is glyph noise (a re-read past what passed for tick marks)."""
    texts = [wd.text for wd in words]
    return len(set(texts)) == len(texts)


def _read_text(
    layout: Layout,
    rgb: np.ndarray,
    frame: _Frame,
    fig_bg: tuple,
    dark_mask: np.ndarray,
    dark: np.ndarray,
    margins: tuple[int, int, list[float], int, int],
) -> None:
    """OCR the margins and fill the tick labels, titles and words of ``layout``."""
    h, w = rgb.shape[:2]
    p = frame.box
    bottom_out, xlen, xt, l_end, left_out = margins
    grey = _text_grey(rgb, fig_bg)
    b_start = bottom_out + xlen + 1
    ext = int(0.04 * h)
    # left margin: the tick-label column next to the plot, and the rotated axis title
    # beyond a blank gap (read apart: Tesseract mangles a column with rotated text beside it)
    chroma = _chroma(rgb)

    def read_left(end: int) -> tuple[int, list[Word], list[Word]]:
        start = _ink_block_start(grey, fig_bg, Box(0, p.top, end, p.bottom), chroma < 60)
        # (long tick marks may reach into the strip: their ends painted out)
        unticked = erase_tick_stubs(grey, end, layout.y_ticks + list(frame.y_edges))
        words = [wd for wd in _ocr_strip(
            unticked, Box(start, p.top - ext, end, p.bottom + ext), PSM_BLOCK) if _useful(wd)]
        return start, words, [_recover_minus(grey, wd)
                              for wd in tick_label_column(merge_line_words(words), p)]

    col_start, left, column = read_left(l_end)

    def agreeing(words: list[Word]) -> int:
        return label_consistency([wd.text for wd in words],
                                 [wd.box.center[1] for wd in words], max(2.5, 0.012 * p.height))

    if l_end < left_out and (_readable(column) < 3 or agreeing(column) < len(column) - 1):
        # the "tick marks" may be the ends of labels set right beside the axis (no ticks
        # drawn): the strip cut at their length cuts the labels (their last digits lost:
        # read, but not in step); read up to the frame too
        trial_left = read_left(left_out + 1)
        if _distinct(trial_left[2]) and (
                _readable(trial_left[2]) > _readable(column)
                if _readable(column) < 3 else agreeing(trial_left[2]) > agreeing(column)):
            col_start, left, column = trial_left
    if len(column) >= 3 and _readable(column) < min(3, len(column)) and not _powers(column):
        # one value read at every row ("000": the digit before a thousands comma read
        # apart, as a letter): each row alone reads whole. (Not powers of ten: "10" at every
        # row is their garbled exponents, which calibration reads from the image.)
        again = [_recover_minus(grey, wd) for wd in reread_rows(grey, column, col_start)]
        if _readable(again) > _readable(column):
            column = again
    layout.y_tick_labels = column
    strips: dict[str, list[Word]] = {"left": left}
    title_end = min([col_start] + [wd.box.left for wd in column]) - 1
    strips["ylabel"] = [wd for wd in _ocr_strip(
        grey, Box(0, p.top, title_end, p.bottom), PSM_BLOCK, rotate=True) if _useful(wd)]
    for name, box, psm in (
        ("bottom", Box(0, b_start, w, h), PSM_BLOCK),
        ("top", Box(0, 0, w, p.top), PSM_BLOCK),
        ("right", Box(p.right + 2, p.top - ext, w, b_start), PSM_COLUMN),
    ):
        img = erase_tick_stubs(grey, b_start, xt, "x") if name == "bottom" else grey
        got = [wd for wd in _ocr_strip(img, box, psm) if _useful(wd)]
        # fragments of y tick labels cut by this strip's edge
        strips[name] = [wd for wd in got if not any(_holds_part_of(wd.box, c.box)
                                                    for c in column)]
    if _readable(layout.y_tick_labels) < 2:
        right_col = _right_tick_labels(grey, frame, dark_mask, dark, ext)
        if _readable(right_col) >= 2:
            layout.y_tick_labels = right_col
    classify_words(layout, strips, rgb.shape)
    fit_tol = max(2.5, 0.012 * p.width)

    def consistency(words: list[Word]) -> int:
        return _label_score([wd.text for wd in words], [wd.box.center[0] for wd in words],
                            fit_tol, [wd.confidence for wd in words])

    flat = consistency(layout.x_tick_labels)
    below = grey
    if flat < max(3, 0.6 * len(layout.x_tick_labels)) and xlen > 0:
        # labels starting within a tick's length (tight layouts, JPEG blur): read from right
        # below the frame with the tick marks painted out
        painted = grey.copy()
        half = max(2, int(round(2 * _scale(grey.shape))))
        for t in xt:
            c = int(round(t))
            painted[bottom_out : bottom_out + xlen + 1, max(0, c - half) : c + half + 1] = 255
        # the "ticks" may be letter stems of labels set right under the axis (no tick marks):
        # read the strip as it is too
        best_trial: tuple[int, Layout, list[Word], np.ndarray] | None = None
        for img in (painted, grey):
            got = [wd for wd in _ocr_strip(img, Box(0, bottom_out, w, h), PSM_BLOCK)
                   if _useful(wd) and not any(wd.box.intersects(c.box) for c in column)]
            cand = Layout(plot_area=p)
            classify_words(cand, {"bottom": got}, rgb.shape)
            score = consistency(cand.x_tick_labels)
            if best_trial is None or score > best_trial[0]:
                best_trial = (score, cand, got, img)
        assert best_trial is not None
        _, trial, retry, below = best_trial
        if consistency(trial.x_tick_labels) > flat:
            layout.x_tick_labels, layout.x_label = trial.x_tick_labels, trial.x_label
            layout.x_offset_text = trial.x_offset_text or layout.x_offset_text
            strips["bottom"], b_start = retry, bottom_out
            flat = consistency(layout.x_tick_labels)
    if flat < max(3, 0.6 * len(layout.x_tick_labels)) and column:
        # the ends of y tick labels the strip cuts (a "0.0" reaching below the frame) can
        # make Tesseract read the whole row as noise: read it again without them
        img = paint_out(erase_tick_stubs(grey, b_start, xt, "x"), column, fig_bg)
        got = [wd for wd in _ocr_strip(img, Box(0, b_start, w, h), PSM_BLOCK)
               if _useful(wd) and not any(wd.box.intersects(c.box) for c in column)]
        trial = Layout(plot_area=p)
        classify_words(trial, {"bottom": got}, rgb.shape)
        if consistency(trial.x_tick_labels) > flat:
            layout.x_tick_labels, layout.x_label = trial.x_tick_labels, trial.x_label
            layout.x_offset_text = trial.x_offset_text or layout.x_offset_text
            strips["bottom"], below = got, img
            flat = consistency(layout.x_tick_labels)
    if flat < max(3, 0.6 * len(layout.x_tick_labels)) and xt:
        # labels set so close that they touch: one tick at a time
        got_t = per_tick_labels(below, xt, b_start, p, frame.x_edges)
        if consistency(got_t) > flat:
            layout.x_tick_labels = got_t
            strips["bottom"] = [wd for wd in strips["bottom"]
                                if not any(wd.box.intersects(t.box) for t in got_t)] + got_t
            flat = consistency(layout.x_tick_labels)
    if flat < max(3, 0.6 * len(layout.x_tick_labels)):
        # rotated tick labels (dates set at an angle)
        # (from right below the frame too, as drawn: letter stems of labels set right under
        # the axis can pass for tick marks, and the strip past them cuts the labels' tops)
        got, got_score = None, flat
        # (and unpainted: painting out "tick marks" that are the stems of rotated labels
        # reaching up to the axis cuts the labels)
        tries = [(below, b_start)] + ([(grey, b_start)] if below is not grey else []) + (
            [(grey, bottom_out)] if b_start > bottom_out else [])
        for img, start in tries:
            cand_r = rotated_tick_labels(img, Box(0, start, w, h), p, fit_tol)
            if cand_r is None or (start != b_start and not _distinct(cand_r[0])):
                continue
            score_r = _label_score([wd.text for wd in cand_r[0]], cand_r[1], fit_tol,
                                   [wd.confidence for wd in cand_r[0]])
            if score_r > got_score:
                got, got_score = cand_r, score_r
        if got is not None:
            layout.x_tick_labels, layout.x_tick_anchors = got
            strips["bottom"] = [wd for wd in strips["bottom"]
                                if not any(wd.box.intersects(t.box) for t in got[0])]
            strips["bottom"] += got[0]
            if layout.x_label and any(layout.x_label == wd.text for wd in got[0]):
                layout.x_label = None
    if layout.x_tick_anchors is None and xlen and strokes_of_labels(
            xt, layout.x_tick_labels, bottom_out + min(xlen, SHORTEST_TICK)):
        # the marks are the labels' own strokes: no tick marks drawn there (labels starting
        # so close under the axis leave no room for one; a label glued to its tick by JPEG
        # blur starts past the tick's length)
        layout.x_ticks = list(layout.x_gridlines)
    layout.words = _dedupe([wd for v in strips.values() for wd in v])
    _reread_offsets(layout, grey, frame)
    layout.y_tick_labels = mend_points(grey, layout.y_tick_labels, axis=1)
    if layout.x_tick_anchors is None:  # (rotated labels are no upright row of glyphs)
        layout.x_tick_labels = mend_points(grey, layout.x_tick_labels, axis=0)


def reread_rows(grey: np.ndarray, column: list[Word], start: int) -> list[Word]:
    """The y tick labels of a column read again one row at a time, each from the strip's
    ``start`` (or a label's height and a half before the label, where the strip was cut
    there) to the label's right end: a block read can split a label at a thousands comma
    and read its first digit as a letter apart ("o" and "000" for "6,000"), and a faint
    comma's gap can cut the strip after that digit. A row read as nothing keeps its
    word."""
    out = []
    for wd in column:
        b = wd.box
        a = max(0, min(start, b.left - int(round(1.5 * b.height))))
        got = [g for g in _ocr_strip(grey, Box(a, b.top - 2, b.right + 2, b.bottom + 2),
                                     PSM_LINE) if _useful(g)]
        if not got:
            out.append(wd)
            continue
        left = min(g.box.left for g in got)
        out.append(Word("".join(g.text for g in got), Box(left, b.top, b.right, b.bottom),
                        float(min(g.confidence for g in got))))
    return out


def _holds_part_of(word: Box, label: Box) -> bool:
    """Whether a word read in a strip beside the y tick labels is (or holds) a piece of the
    y tick label ``label``: its centre lies in the label's box, or it overlaps the label
    reaching left of the label's middle. An x tick label that only grazes the bottom y
    label's corner is none (nor is a "label" lying wholly inside the word: a piece of it)."""
    if not word.intersects(label):
        return False
    inside = (word.left <= label.left and label.right <= word.right
              and word.top <= label.top and label.bottom <= word.bottom)
    return not inside and (label.contains(*word.center) or word.left < label.center[0])


def paint_out(grey: np.ndarray, words: list[Word], fig_bg: tuple, pad: int = 1) -> np.ndarray:
    """A copy of ``grey`` with the boxes of ``words`` (grown by ``pad``) set to the figure
    background (``grey`` itself when there are none)."""
    if not words:
        return grey
    out = grey.copy()
    h, w = out.shape
    level = _ground_level(fig_bg)
    for wd in words:
        b = wd.box
        out[max(0, b.top - pad) : min(h, b.bottom + pad),
            max(0, b.left - pad) : min(w, b.right + pad)] = level
    return out


def _reread_offsets(layout: Layout, grey: np.ndarray, frame: _Frame) -> None:
    """Offset texts OCR mangled or merged into a neighbour (``$i63`` for ``+1e3``), re-read.

    Matplotlib puts the y offset just above the top-left corner of the axes and the x offset
    below the right end of the x tick labels; the compact word nearest that corner is read
    again on its own with only the characters an offset text has.
    """
    p = layout.plot_area
    h, w = grey.shape
    # the line height of level text: y tick labels, as x tick labels may be set at an angle
    # (a rotated date's box is several lines tall)
    heights = [wd.box.height for wd in layout.y_tick_labels or layout.x_tick_labels]
    lh = float(np.median(heights)) if heights else 12 * _scale(grey.shape)
    if not (layout.y_offset_text and parse_offset(layout.y_offset_text)):
        top = int(np.floor(frame.y_edges[0])) - 1
        box = Box(max(0, int(p.left - lh)), max(0, int(top - 3 * lh)),
                  int(p.left + 0.3 * p.width), top)
        # (the top y tick label, level with the frame's top, can reach into the corner and
        # join the offset text into one word running past the box: painted out)
        clear = grey
        if layout.y_tick_labels and box.clip(w, h).width > 0 and box.clip(w, h).height > 0:
            b = box.clip(w, h)
            clear = grey.copy()
            level = int(np.median(grey[b.top : b.bottom, b.left : b.right]))
            for wd in layout.y_tick_labels:
                clear[max(0, wd.box.top - 1) : wd.box.bottom + 1,
                      max(0, wd.box.left - 1) : wd.box.right + 1] = level
        got = _offset_word(clear, box, lh, "left")
        if got:
            layout.y_offset_text = got
    if layout.x_tick_labels and not (layout.x_offset_text and parse_offset(layout.x_offset_text)):
        below = max(wd.box.bottom for wd in layout.x_tick_labels) + 1
        box = Box(int(p.right - 0.3 * p.width), below, min(w, int(p.right + 2 * lh)),
                  min(h, int(below + 3 * lh)))
        got = _offset_word(grey, box, lh, "right")
        if got:
            layout.x_offset_text = got
    texts = [wd.text for wd in layout.x_tick_labels]
    datelike = sum(has_month(t) or clock_time(t, loose=False) is not None for t in texts)
    known = layout.x_offset_text and (parse_offset(layout.x_offset_text)
                                      or parse_date_offset(layout.x_offset_text))
    if datelike >= 2 and not known:
        # a date offset (ConciseDateFormatter's "2016-Dec-27") under labels set at an angle:
        # the level word at the right below the plot, read freely
        box = Box(int(p.right - 0.3 * p.width), p.bottom + 1, min(w, int(p.right + 2 * lh)),
                  min(h, int(p.bottom + 12 * lh)))
        got = _offset_word(grey, box, lh, "right", dates=True)
        if got:
            layout.x_offset_text = got


def _offset_word(grey: np.ndarray, box: Box, lh: float, side: str,
                 dates: bool = False) -> str | None:
    """The offset text in ``box``: its outermost compact word, read as an offset (``dates``:
    as a date offset, ``2016-Dec-27``), or None."""
    h, w = grey.shape
    box = box.clip(w, h)
    if box.width < 4 or box.height < 4:
        return None
    crop = grey[box.top : box.bottom, box.left : box.right]
    bg = float(np.median(crop))
    ink = (np.abs(crop.astype(np.float32) - bg) > TEXT_INK).astype(np.uint8)
    gap = max(2, int(round(0.6 * lh)))
    joined = cv2.dilate(ink, np.ones((1, gap), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    cw = crop.shape[1]
    # an offset text lies wholly inside its corner box: a word running past the box's side
    # is a piece of longer text (a title starting left of the plot)
    longest = 12 if dates else 8  # "2016-Dec-27" is longer than "+1.4e3"
    words = [st for st in stats[1:n] if 0.4 * lh <= st[3] <= 1.6 * lh
             and 1.2 * st[3] <= st[2] <= longest * st[3]
             and (st[0] > gap // 2 or box.left == 0)
             and (st[0] + st[2] < cw - gap // 2 or box.right == w)]  # the image's edge
    if not words:
        return None
    x, y, bw, bh, _ = min(words, key=lambda st: st[0]) if side == "left" else max(
        words, key=lambda st: st[0] + st[2])
    sub = crop[max(0, y - 2) : y + bh + 2, max(0, x - 2) : x + bw + 2]
    scale = float(np.clip(34.0 / bh, 1, 4))
    if dates:
        text = "".join(wd.text for wd in read_words(sub, psm=PSM_LINE, scale=scale, pad=12))
        return text if parse_date_offset(text) else None
    text = "".join(wd.text for wd in read_words(
        sub, psm=PSM_LINE, whitelist="0123456789e+-.", scale=scale, pad=12))
    if not text or not parse_offset(text):
        return None
    # the whitelist makes an offset of any word with one in it (a legend's "lr=1e-3"):
    # read freely, it must not be a word (OCR may mangle a sign or a digit, not more)
    free = "".join(wd.text for wd in read_words(sub, psm=PSM_LINE, scale=scale, pad=12))
    # ones read as l or I and a zero read as O are digits to parse_offset, not letters
    letters = [ch for ch in free if ch.isalpha() and ch not in "eExXlIO"]
    return None if "=" in free or len(letters) >= 2 else text


def _right_tick_labels(
    grey: np.ndarray, frame: _Frame, dark_mask: np.ndarray, dark: np.ndarray, ext: int
) -> list[Word]:
    """Y tick labels on the right of the plot, read past the right ticks (found mirrored)."""
    h, w = grey.shape
    p = frame.box
    flip = Box(w - p.right, p.top, w - p.left, p.bottom)
    right_out = w - 1 - (int(round(frame.x_edges[1])) + 1)
    while right_out > 0 and dark_mask[p.top : p.bottom, w - 1 - right_out].mean() > 0.6:
        right_out -= 1
    _, rlen = find_ticks(dark_mask[:, ::-1], dark[:, ::-1], flip, "y", (right_out, flip.left))
    r_start = w - right_out + rlen
    near = [wd for wd in _ocr_strip(
        grey, Box(r_start, p.top - ext, min(w, r_start + int(0.15 * w)), p.bottom + ext),
        PSM_BLOCK) if _numeric(wd.text)]
    return [_recover_minus(grey, wd, r_start)
            for wd in tick_label_column(merge_line_words(near), p, "right")]


def erase_tick_stubs(grey: np.ndarray, edge: int, ticks: list[float], axis: str = "y"
                     ) -> np.ndarray:
    """``grey`` with the outer ends of tick marks cut into a tick-label strip painted out.

    The tick length is measured and capped (a label glued to its tick must not make it look
    longer), so a long tick's outer end may be left in the strip, where OCR reads it as a
    dash or colon after a y label ("kappa-") or merges it into an x label (losing its
    decimal point). For ``axis="y"`` the strip ends at column ``edge`` (exclusive) and a stub
    runs left from it; for ``"x"`` the strip starts at row ``edge`` and a stub runs down. A
    stub is ink on the tick's line only: the lines just beside it are blank (a glyph reaches
    past them). Returns ``grey`` itself when nothing was painted.
    """
    g = grey if axis == "y" else grey.T
    h, w = g.shape
    first, step = (edge - 1, -1) if axis == "y" else (edge, 1)
    if not 0 <= first < w:
        return grey
    out = g
    for t in ticks:
        c = int(round(t))
        if c - 4 < 0 or c + 5 > h:
            continue
        win = g[c - 4 : c + 5].astype(np.int16)
        side = slice(max(0, first - 40), first + 1) if step < 0 else slice(first, first + 41)
        bg = int(np.median(win[:, side]))
        ink = np.abs(win - bg) > 60
        x = first
        while 0 <= x < w and ink[2:7, x].any() and not ink[[0, 1, 7, 8], x].any():
            x += step
        if x != first:
            if out is g:
                out = g.copy()
            lo, hi = sorted((first, x - step))
            out[c - 2 : c + 3, lo : hi + 1] = bg
    if out is g:
        return grey
    return out if axis == "y" else np.ascontiguousarray(out.T)


def _ink_block_start(
    grey: np.ndarray, fig_bg: tuple, box: Box, neutral: np.ndarray | None = None
) -> int:
    """Left end of the tick-label column at the right side of ``box`` (the left margin).

    Blocks of inked columns are added right to left while they are close (character gaps)
    or their ink lies on the text rows of the labels already taken (minus signs, currency
    signs); a block reaching rows between the labels is the rotated axis title: stop there.
    """
    h, w = grey.shape
    box = box.clip(w, h)
    if box.width <= 0 or box.height <= 0:
        return box.left
    level = _ground_level(fig_bg)
    sub = np.abs(grey[box.top : box.bottom, box.left : box.right].astype(np.int16)
                 - level) > 60
    if neutral is not None:  # text is grey; data markers poking out of the plot are not
        sub &= neutral[box.top : box.bottom, box.left : box.right]
    blocks = _runs(sub.any(axis=0))
    thin = max(3, int(round(3 * _scale(grey.shape))))

    def text_rows(block: tuple[int, int]) -> int:
        runs = _runs(sub[:, block[0] : block[1]].any(axis=1))
        return sum(b - a > thin for a, b in runs)

    # drop what is not a column of labels: tick marks (thin rows only), a marker poking
    # out of the plot (one blob)
    while len(blocks) > 1 and text_rows(blocks[-1]) < 2:
        blocks = blocks[:-1]
    if not blocks:
        return box.left
    small = max(2, int(round(2 * _scale(grey.shape))))
    a, b = blocks[-1]
    rows = sub[:, a:b].any(axis=1)
    rows = cv2.dilate(rows.astype(np.uint8)[:, None], np.ones((5, 1), np.uint8))[:, 0] > 0
    start = a
    label_runs = _runs(rows)
    lh = float(np.median([d - c for c, d in label_runs])) if label_runs else 0.0

    def on_label_rows(block_rows: np.ndarray) -> bool:
        # every ink run of the block lies on a label row and is no taller than that row
        # (the base of a 10^k label left of its raised exponent; not a rotated title)
        for c, d in _runs(block_rows):
            hits = [f - e for e, f in label_runs if e < d and c < f]
            if not hits or d - c > 1.5 * max(hits) + 2:
                return False
        return True

    for a, b in reversed(blocks[:-1]):
        block_rows = sub[:, a:b].any(axis=1)
        if start - b <= small or not (block_rows & ~rows).any() or (
                start - b <= 0.6 * lh and on_label_rows(block_rows)):
            start = a
            rows |= block_rows
        else:
            break
    return box.left + int(start) - 1


def _powers(words: list[Word]) -> bool:
    """Whether most of the words read as powers of ten (``10^k`` or ``m×10^k``: a ``10``
    head, whatever OCR made of the raised exponent)."""
    return sum(power_head(wd.text) is not None for wd in words) > 0.5 * len(words)


def _readable(words: list[Word]) -> int:
    """How many distinct numbers or dates the words read as (``m×10^k`` labels, whose
    raised exponents OCR garbles and calibration reads from the image, by their text)."""
    values: set[float | str] = set()
    for wd in words:
        got = parse_number(wd.text)
        if got is not None:
            values.add(got.value)
        elif has_month(wd.text) or with_mantissa(wd.text):
            values.add(wd.text)
    return len(values)


def category_consistency(texts: list[str], positions: list[float],
                         confidences: list[float] | None = None) -> int:
    """How many labels read as distinct words (category names) at even steps: the
    counterpart of :func:`label_consistency` for category axes (bar charts). Words OCR
    is unsure of (confidence under 60) do not count: misread labels are words too."""
    words = {}
    confs = confidences or [100.0] * len(texts)
    for text, pos, conf in zip(texts, positions, confs, strict=True):
        t = text.strip()
        if sum(ch.isalpha() for ch in t) < 2 or parse_number(t) is not None or conf < 60:
            continue
        words.setdefault(t, pos)
    if len(words) < 3:
        return 0
    pos = np.sort(np.array(list(words.values()), float))
    d = np.diff(pos)
    med = float(np.median(d))
    if med <= 0:
        return 0
    ratio = d / med  # a label OCR missed leaves a double step
    if np.any(np.round(ratio) < 1) or float(np.max(np.abs(ratio - np.round(ratio)))) > 0.2:
        return 0
    return len(words)


def _label_score(texts: list[str], positions: list[float], tol_px: float,
                 confidences: list[float] | None = None) -> int:
    return max(label_consistency(texts, positions, tol_px),
               category_consistency(texts, positions, confidences))


def _missed_labels(img: np.ndarray, words: list[Word], most: int = 3) -> list[Word]:
    """Labels of an un-rotated tick-label strip that sparse OCR skipped (it drops a short
    word standing alone, such as a last label "Q4"), each read as a line of its own.

    The ink is grouped into words (glyphs closer than half the text height); a group about
    as tall as the words read and overlapping none of them is read. At most ``most`` such
    groups (an angle that is not the labels' own leaves the text in many slanted pieces: no
    labels worth reading there). Boxes are in ``img`` coordinates.
    """
    good = [wd for wd in words if _useful(wd)]
    if len(good) < 2:
        return []
    hgt = float(np.median([wd.box.height for wd in good]))
    bg = int(np.median(img))
    ink = (np.abs(img.astype(np.int16) - bg) > 60).astype(np.uint8)
    k = max(1, int(round(0.5 * hgt)))
    joined = cv2.dilate(ink, np.ones((1, k), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    missed = []
    for x, y, w, h_, _area in stats[1:n]:
        box = Box(int(x), int(y), int(x + w), int(y + h_))
        if not 0.6 * hgt <= h_ <= 1.6 * hgt or w < 0.5 * hgt:
            continue
        if any(box.intersects(wd.box) for wd in words):
            continue
        missed.append(box)
    if not missed or len(missed) > most:
        return []
    out = []
    m = max(4, int(round(0.5 * hgt)))
    for box in missed:
        got = _ocr_strip(img, Box(box.left - m, box.top - m, box.right + m, box.bottom + m),
                         PSM_LINE, max_scale=2.0)
        out += [wd for wd in got if sum(ch.isalnum() for ch in wd.text) >= 2
                and wd.confidence >= 50]
    return out


def _add_in_step(labels: list[Word], anchors: list[float],
                 unsure: list[tuple[Word, float]]) -> None:
    """Add to ``labels`` (in place) the words OCR was unsure of ("Sun" at 41% confidence)
    that sit where a label is due: a whole number of the labels' even steps from them, at a
    place no label holds. Needs three sure labels to know the step."""
    if len(anchors) < 3 or not unsure:
        return
    pos = np.sort(np.array(anchors))
    step = float(np.median(np.diff(pos)))
    if step <= 0:
        return
    for wd, a in unsure:
        k = (a - pos[0]) / step
        taken = np.abs(np.array(anchors) - a) < 0.5 * step
        if abs(k - round(k)) <= 0.15 and not taken.any() and -1.5 <= k <= len(pos) + 0.5:
            labels.append(wd)
            anchors.append(a)


def even_ticks(ticks: list[float], tol: float = 0.15) -> np.ndarray | None:
    """The tick positions, sorted, when they are three or more in one even step (a tick
    missing leaves a whole number of steps), else None."""
    t = np.unique(np.asarray(ticks, float))
    if len(t) < 3:
        return None
    d = np.diff(t)
    step = float(np.min(d))
    if step <= 0:
        return None
    ratio = d / step
    if np.any(np.abs(ratio - np.round(ratio)) > tol):
        return None
    return t


def label_row(ink: np.ndarray, gap: int, min_height: int) -> tuple[int, int] | None:
    """The first band of rows holding ink (``(start, end)``, rows joined across gaps of up
    to ``gap`` blank rows) at least ``min_height`` rows tall (shorter ones: tick-mark ends),
    or None."""
    rows = np.flatnonzero(ink.any(axis=1))
    if not len(rows):
        return None
    cuts = np.flatnonzero(np.diff(rows) > gap + 1)
    starts = np.concatenate([[0], cuts + 1])
    ends = np.concatenate([cuts, [len(rows) - 1]])
    for a, b in zip(starts, ends, strict=True):
        if rows[b] + 1 - rows[a] >= min_height:
            return int(rows[a]), int(rows[b]) + 1
    return None


#: marks at a label's ends that are the edges of its neighbours' glyphs
_EDGE_MARKS = ":;,.)(][|'\"`!§¢ "


def on_lattice_edges(t: np.ndarray, edges: tuple[float, float] | None,
                     tol: float = 1.5) -> np.ndarray:
    """Evenly stepped ticks ``t`` with the frame edges that lie one step (or a whole number
    of steps) beyond their ends, within ``tol`` px of that lattice, added: the ticks on the
    frame lines, which the tick search leaves out as the ends of those lines."""
    if edges is None or len(t) < 2:
        return t
    step = float(np.min(np.diff(t)))
    out = list(t)
    for e in edges:
        k = (e - t[0]) / step
        if (e < t[0] - 0.5 * step or e > t[-1] + 0.5 * step) and abs(
                k - round(k)) * step <= tol:
            out.append(float(e))
    return np.unique(np.asarray(out, float))


def labels_width(inked: np.ndarray, ticks: np.ndarray, step: float) -> float:
    """The width (px) of a row of labels centred on evenly stepped ``ticks``: the median,
    over the ticks, of twice the farthest ink from the tick within half a step of it,
    plus one (labels that touch fill their step). ``inked`` flags the row's inked
    columns, ``ticks`` are in its coordinates."""
    widths = []
    half = int(step // 2)
    for x in ticks:
        c = int(round(x))
        a, b = max(0, c - half), min(len(inked), c + half + 1)
        got = np.flatnonzero(inked[a:b]) + a
        if len(got):
            widths.append(2 * max(c - got[0], got[-1] - c) + 1)
    return float(np.median(widths)) if widths else 0.0


def _label_row_ink(grey: np.ndarray, t: np.ndarray, step: float, top: int
                   ) -> tuple[int, int, np.ndarray, tuple[int, int]] | None:
    """The strip of a row of labels on ticks ``t`` (a step beyond the end ticks, from row
    ``top`` down): its first column, background level, ink mask and the label row, or
    None."""
    h, w = grey.shape
    lo, hi = int(max(0, t[0] - step)), int(min(w, t[-1] + step + 1))
    strip = grey[top:h, lo:hi]
    if strip.size == 0:
        return None
    bg = int(np.median(strip))
    ink = np.abs(strip.astype(np.int16) - bg) > 60
    sc = _scale(grey.shape)
    row = label_row(ink, max(1, int(round(2 * sc))), max(4, int(round(6 * sc))))
    if row is None:
        return None
    return lo, bg, ink, row


def per_tick_labels(grey: np.ndarray, ticks: list[float], top: int, plot: Box,
                    edges: tuple[float, float] | None = None) -> list[Word]:
    """X tick labels read one tick at a time, for a row of labels set so close that they
    touch or overlap (``"20:00Aug-18"``, gnuplot's ``"1x10^71.2x10^7"``): OCR reads such a
    row as one garbled word.

    The ticks must be evenly stepped. Each label is centred on its tick; their width is
    the row's ink extent less the span of the ticks at its ends. Frame ``edges`` on the
    ticks' lattice (:func:`on_lattice_edges`) with ink at them carry labelled ticks too:
    then the end labels ("0", one cut by the image's edge) tell nothing of the others'
    width, which is measured around each tick (:func:`labels_width`). Each tick's window
    (the rest painted blank) is read as one line; a label's box is centred on its tick.
    Words with fewer than two letters or digits are left out.
    """
    t = even_ticks(ticks)
    if t is None:
        return []
    h, w = grey.shape
    step = float(np.min(np.diff(t)))
    measured = False
    at_edges = on_lattice_edges(t, edges)
    if len(at_edges) > len(t):
        got = _label_row_ink(grey, at_edges, step, top)
        if got is not None:
            lo, _, ink, row = got
            inked = ink[row[0]:row[1]].any(axis=0)
            reach = max(2.0, 0.25 * step)
            # (an axis limit on the lattice by chance has no label there)
            labelled = np.asarray([x for x in at_edges if x in t or inked[
                max(0, int(x - lo - reach)) : max(0, int(x - lo + reach) + 1)].any()], float)
            # (labels narrower than half a step do not touch: read as before)
            measured = len(labelled) > len(t) and 0.5 * step <= labels_width(
                inked, labelled - lo, step) <= 1.6 * step
            if measured:
                t = labelled
    got = _label_row_ink(grey, t, step, top)
    if got is None:
        return []
    lo, bg, ink, row = got
    cols = np.flatnonzero(ink[row[0]:row[1]].any(axis=0))
    width = (labels_width(ink[row[0]:row[1]].any(axis=0), t - lo, step) if measured
             else (cols[-1] - cols[0] + 1) - (t[-1] - t[0]))
    if not 0.5 * step <= width <= 1.6 * step:
        return []
    y0, y1 = top + row[0], top + row[1]
    pad = max(2, int(round(0.25 * (y1 - y0))))
    out = []
    for i, x in enumerate(t):
        a, b = int(round(x - width / 2)), int(round(x + width / 2)) + 1
        # the end labels have no neighbour beyond them: their windows reach the row's ends
        if i == 0:
            a = min(a, lo + int(cols[0]))
        if i == len(t) - 1:
            b = max(b, lo + int(cols[-1]) + 1)
        win = np.full((y1 - y0 + 2 * pad, b - a + 2 * pad), bg, np.uint8)
        aa, bb = max(0, a), min(w, b)
        win[pad:pad + y1 - y0, pad + aa - a:pad + bb - a] = grey[y0:y1, aa:bb]
        got = _ocr_strip(win, Box(0, 0, win.shape[1], win.shape[0]), PSM_LINE)
        text = "".join(wd.text for wd in got).strip(_EDGE_MARKS)
        if sum(ch.isalnum() for ch in text) < 2:
            continue
        conf = float(min(wd.confidence for wd in got))
        out.append(Word(text, Box(int(round(x - width / 2)), y0, int(round(x + width / 2)) + 1,
                                  y1), conf))
    return out


def first_ink_block(inked: np.ndarray, gap: int, min_rows: int = 0) -> np.ndarray:
    """Indices of the first block of inked rows at least ``min_rows`` tall, up to the first
    blank run longer than ``gap`` after it: the rotated tick labels under an axis, not the
    tick marks above them nor the axis title or a legend below them (their words would be
    read as labels too).

    Parameters
    ----------
    inked : ndarray of bool
        Whether each row holds ink (at least one row does).
    gap : int
        Longest blank run inside a block.
    min_rows : int
        Least height of the block taken (shorter ones before it: tick marks hanging below
        the frame); when none is as tall, the tallest.

    Returns
    -------
    ndarray of int
        The block's rows, first to last.
    """
    rows = np.flatnonzero(inked)
    cuts = np.flatnonzero(np.diff(rows) > gap + 1)
    blocks = [(int(b[0]), int(b[-1])) for b in np.split(rows, cuts + 1)]
    first, last = next((b for b in blocks if b[1] - b[0] + 1 >= min_rows),
                       max(blocks, key=lambda b: b[1] - b[0]))
    return np.arange(first, last + 1)


def rotated_tick_labels(
    grey: np.ndarray,
    box: Box,
    plot: Box,
    fit_tol: float,
    angles: tuple[int, ...] = (45, 90, 30, -30, -45),
) -> tuple[list[Word], list[float]] | None:
    """Read x tick labels set at an angle: un-rotate the strip below the plot and OCR it.

    Positive angles are text rising to its tick (matplotlib, ggplot2: the right end meets
    the tick), negative ones text falling from it (gnuplot's ``rotate by -30``).

    Returns the label words (boxes: their rotated extent in image coordinates) and, for
    each, the x of the end nearest the axis (where a rotated label meets its tick), or None.
    """
    h, w = grey.shape
    box = box.clip(w, h)
    if box.width < 8 or box.height < 8:
        return None
    strip = grey[box.top : box.bottom, box.left : box.right]
    ink = np.abs(strip.astype(np.int16) - int(np.median(strip))) > 60
    if not ink.any():
        return None
    # the whole inked area, and (when the axis title or a legend lies below a blank gap,
    # their words read as labels) the first block of rows alone: the better reading wins,
    # the block's only with no two labels alike (Tesseract can read a strip cut close as
    # pieces, "2024" "202" "2024" ..., that agree by chance)
    gap = max(3, int(round(4 * _scale(grey.shape))))
    inked = ink.any(axis=1)
    block = first_ink_block(inked, gap, 3 * gap)
    spans = [np.flatnonzero(inked)]
    if block[-1] < spans[0][-1]:
        spans.append(block)
    best: tuple[list[Word], list[float]] | None = None
    best_score = 1
    for rows in spans:
        cols = np.flatnonzero(ink[rows[0] : rows[-1] + 1].any(axis=0))
        sub = Box(box.left + int(cols[0]), box.top + int(rows[0]),
                  box.left + int(cols[-1]) + 1, box.top + int(rows[-1]) + 1)
        got, score = _rotated_reading(grey, sub, plot, fit_tol, angles)
        if got is not None and score > best_score and (rows is spans[0] or _distinct(got[0])):
            best, best_score = got, score
    return best


def _rotated_reading(grey: np.ndarray, box: Box, plot: Box, fit_tol: float,
                     angles: tuple[int, ...]) -> tuple[tuple[list[Word], list[float]] | None,
                                                       int]:
    """:func:`rotated_tick_labels` on the strip ``box``: the best reading over ``angles``
    and its score."""
    strip = grey[box.top : box.bottom, box.left : box.right]
    best: tuple[list[Word], list[float]] | None = None
    best_score = 1
    for angle in text_angle_order(strip, angles):
        # rotate the strip by -angle so that text rising at +angle becomes horizontal
        sh, sw = strip.shape
        rot = cv2.getRotationMatrix2D((sw / 2, sh / 2), -angle, 1.0)
        cos, sin = abs(rot[0, 0]), abs(rot[0, 1])
        nw, nh = int(sh * sin + sw * cos) + 2, int(sh * cos + sw * sin) + 2
        rot[0, 2] += nw / 2 - sw / 2
        rot[1, 2] += nh / 2 - sh / 2
        img = cv2.warpAffine(strip, rot, (nw, nh), flags=cv2.INTER_LINEAR,
                             borderValue=int(np.median(strip)))
        words = merge_line_words(_ocr_strip(img, Box(0, 0, nw, nh), PSM_SPARSE, max_scale=2.0))
        words += _missed_labels(img, words)
        inv = cv2.invertAffineTransform(rot)
        descent = _line_descent(words)
        labels, anchors = [], []
        unsure: list[tuple[Word, float]] = []  # words OCR doubts, kept only in step
        edge_cut: list[tuple[Word, float]] = []  # words the image's left edge cuts
        for wd in words:
            alpha = sum(ch.isalpha() for ch in wd.text) >= 2
            wordy = alpha and wd.confidence >= 60
            timeish = clock_time(wd.text, loose=True) is not None or (
                month_day_hour(wd.text) is not None)
            rejected = not (_numeric(wd.text) or has_month(wd.text) or wordy or timeish) and not (
                alpha and wd.confidence >= 30 and wd.text.isalpha())
            if len(wd.text) < 2 or (rejected and not (angle > 0 and box.left == 0)):
                continue
            b = wd.box
            cy = (b.top + b.bottom) / 2
            # text rising to its tick meets it at its line box's lower right corner (the
            # rotated box's right edge: matplotlib's ha="right"); text falling from its
            # tick at the middle of its left end
            foot = b.bottom + (0.0 if _DESCENDERS.intersection(wd.text) else descent)
            pts = np.array([[b.left, b.top], [b.right, b.top], [b.left, b.bottom],
                            [b.right, b.bottom], [b.left, cy], [b.right, cy],
                            [b.right + line_end_offset(b.height), foot]], np.float64)
            back = pts @ inv[:, :2].T + inv[:, 2]
            back += (box.left, box.top)
            ends = back[4:6]
            anchor = back[6] if angle > 0 else ends[int(np.argmin(ends[:, 1]))]
            if not plot.left - 0.1 * plot.width <= anchor[0] <= plot.right + 0.1 * plot.width:
                continue
            nb = Box(int(back[:4, 0].min()), int(back[:4, 1].min()),
                     int(np.ceil(back[:4, 0].max())), int(np.ceil(back[:4, 1].max())))
            if rejected:
                if nb.left <= 1:  # (text rising to its tick starts at its lower left)
                    edge_cut.append((Word(wd.text, nb, wd.confidence), float(anchor[0])))
                continue
            if not (_numeric(wd.text) or has_month(wd.text) or wordy
                    or clock_time(wd.text, loose=False) is not None
                    or month_day_hour(wd.text) is not None):
                unsure.append((Word(wd.text, nb, wd.confidence), float(anchor[0])))
                continue
            labels.append(Word(wd.text, nb, wd.confidence))
            anchors.append(float(anchor[0]))
        for wd, anchor_x in edge_cut:
            whole = cut_label(wd.text, [lb.text for lb in labels])
            if whole is not None:
                labels.append(Word(whole, wd.box, wd.confidence))
                anchors.append(anchor_x)
        _add_in_step(labels, anchors, unsure)
        score = _label_score([wd.text for wd in labels], anchors, fit_tol,
                             [wd.confidence for wd in labels])
        if score > best_score:
            order = np.argsort(anchors)
            best = ([labels[i] for i in order], [anchors[i] for i in order])
            best_score = score
            if score >= 4 and score >= 0.8 * len(labels):
                break  # good enough: spare the other angles' OCR time
    return best, best_score


#: px and share of the glyph height (box height in the un-rotated strip) from the right
#: edge of a rotated word's box to the end of its line box, along the text
LINE_END = (-2.09, 0.127)


def line_end_offset(height: float) -> float:
    """How far the line box of a word set at an angle ends past its OCR box's right edge.

    A rotated label meets its tick at a corner of its line box (matplotlib's
    ``ha="right"``: the rotated box's right edge). The OCR box ends past the last glyph's
    ink (its right edge and bottom are exclusive, and the rotation blurs the ink by a
    pixel), while the line box reaches past the ink by the last glyph's side bearing,
    which grows with the font. Measured on 26 matplotlib/pandas/seaborn date axes set at
    30° (labels 8.5-35 px tall, 72-200 dpi): the anchor lay ``1.81 - 0.11 h`` px right of
    its tick (``h`` the box height), from +1.3 px at 72 dpi to -2.8 px at 200 dpi; this
    offset, along the text, takes that off.

    Parameters
    ----------
    height : float
        Height of the word's box in the un-rotated strip (px).

    Returns
    -------
    float
        Offset along the text direction (px; negative: the line box ends inside the box).
    """
    return LINE_END[0] + LINE_END[1] * float(height)


#: glyphs reaching below the baseline (a word without them ends at its baseline)
_DESCENDERS = set("gjpqy,;()")
#: a font's descent per its cap (digit) height: how far a line of text reaches below the
#: baseline of its capitals (DejaVu Sans 0.236 / 0.729 em, Arial 0.212 / 0.716 em)
DESCENT_SHARE = 0.31


def _line_descent(words: list[Word]) -> float:
    """How far (px) the line box of level text reaches below the baseline: the median
    height of the words with no descender times :data:`DESCENT_SHARE` (0 without such)."""
    hs = [wd.box.height for wd in words if len(wd.text) >= 2
          and not _DESCENDERS.intersection(wd.text) and any(ch.isdigit() or ch.isupper()
                                                            for ch in wd.text)]
    return DESCENT_SHARE * float(np.median(hs)) if hs else 0.0


def text_angle_order(strip: np.ndarray, angles: tuple[int, ...]) -> list[int]:
    """``angles`` ordered by how well each turns the strip's text level, best first.

    Text set at an angle, rotated back level, packs its ink into few rows (one band per
    label): the sum of squared row counts of the ink turned by each angle ranks them, so
    the OCR tries the likely angle first. Ties keep the given order.
    """
    ink = (np.abs(strip.astype(np.int16) - int(np.median(strip))) > 60).astype(np.uint8)
    total = float(ink.sum())
    if total == 0:
        return list(angles)
    sh, sw = ink.shape
    scores = []
    for angle in angles:
        rot = cv2.getRotationMatrix2D((sw / 2, sh / 2), -angle, 1.0)
        cos, sin = abs(rot[0, 0]), abs(rot[0, 1])
        nw, nh = int(sh * sin + sw * cos) + 2, int(sh * cos + sw * sin) + 2
        rot[0, 2] += nw / 2 - sw / 2
        rot[1, 2] += nh / 2 - sh / 2
        turned = cv2.warpAffine(ink * 255, rot, (nw, nh), flags=cv2.INTER_LINEAR)
        rows = turned.sum(axis=1, dtype=np.float64) / 255.0
        scores.append(float((rows**2).sum()) / total**2)
    order = sorted(range(len(angles)), key=lambda i: -scores[i])
    return [angles[i] for i in order]


def _numeric(text: str) -> bool:
    return parse_number(text) is not None


def column_blocks(grey: np.ndarray, box: Box) -> list[Box]:
    """``box`` cut at the blank columns between blocks of ink (the rotated axis title, the
    tick-label column, the plot), each block as tall as ``box``.

    Ink is counted on the middle 70% of the rows only: a title above the plot spans the
    gaps. Blocks narrower than two pixels are dropped.
    """
    h, w = grey.shape
    box = box.clip(w, h)
    strip = grey[box.top : box.bottom, box.left : box.right]
    if strip.size == 0:
        return [box]
    mid = strip[int(0.15 * strip.shape[0]) : int(0.85 * strip.shape[0]) or None]
    ink = (np.abs(mid.astype(np.int16) - int(np.median(strip))) > 60).any(axis=0)
    min_gap = max(3, int(round(3 * _scale(grey.shape))))
    blocks, start, blank = [], None, 0
    for x, on in enumerate(ink):
        if on:
            if start is None:
                start = x
            blank = 0
        elif start is not None:
            blank += 1
            if blank >= min_gap:
                blocks.append((start, x - blank + 1))
                start, blank = None, 0
    if start is not None:
        blocks.append((start, len(ink) - blank))
    pad = min_gap // 2
    out = [Box(max(box.left, box.left + a - pad), box.top, min(box.right, box.left + b + pad),
               box.bottom) for a, b in blocks if b - a >= 2]
    return out or [box]


def box_from_labels(rgb: np.ndarray, fig_bg: tuple) -> Box | None:
    """Plot area of a chart without frame, panel or gridlines, from its tick labels.

    The y tick labels are a right-aligned column of numbers on the left, the x tick labels a
    row of numbers at the bottom; the plot area lies between them and extends to the data
    ink (and at least to the outermost label centres).
    """
    h, w = rgb.shape[:2]
    grey = _text_grey(rgb, fig_bg)
    # each block of columns apart (Tesseract mangles a label column beside a rotated title)
    left = [wd for wd in merge_line_words([
        wd for blk in column_blocks(grey, Box(0, 0, int(0.4 * w), h))
        for wd in _ocr_strip(grey, blk, PSM_BLOCK)]) if _numeric(wd.text)]
    # (x tick labels may be dates or times of day)
    bottom = [wd for wd in merge_line_words(
        _ocr_strip(grey, Box(0, int(0.55 * h), w, h), PSM_BLOCK)) if _numeric(wd.text)
        or has_month(wd.text) or clock_time(wd.text, loose=False) is not None]
    column = tick_label_column(left, Box(0, 0, w, h))
    rows = [r for r in _text_rows(bottom) if len(r) >= 2]
    if len(column) >= 2 and not rows:
        return _box_beside_column(rgb, column)
    if not rows:
        return None
    row = max(rows, key=len)
    if len(column) < 2:
        return _box_above_row(rgb, row) if len(row) >= 3 else None
    hgt = float(np.median([wd.box.height for wd in column + row]))
    x0 = max(wd.box.right for wd in column) + int(round(0.5 * hgt)) + 1
    y1 = min(wd.box.top for wd in row) - int(round(0.5 * hgt))
    x1 = int(max(wd.box.center[0] for wd in row)) + 1
    y0 = int(min(wd.box.center[1] for wd in column))
    # extend to the data ink (anything coloured or dark between the labels)
    region = rgb[: max(y1, 1), x0:]
    chroma = region.max(axis=2).astype(np.int16) - region.min(axis=2).astype(np.int16)
    ink = chroma > 60
    if ink.any():
        cols = np.flatnonzero(ink.any(axis=0))
        rws = np.flatnonzero(ink.any(axis=1))
        x1 = max(x1, x0 + int(cols[-1]) + 1)
        y0 = min(y0, int(rws[0]))
    pad = int(round(0.5 * hgt))  # markers and line caps reach past the data extent
    x1, y0 = min(w, x1 + pad), max(0, y0 - pad)
    if x1 - x0 < 20 or y1 - y0 < 20:
        return None
    return Box(x0, y0, x1, y1)


def _box_beside_column(rgb: np.ndarray, column: list[Word]) -> Box | None:
    """Plot area right of a column of numeric y tick labels when no row of numbers lies
    below it (a frameless bar chart: its x labels are category names), or None.

    The area spans the labels' centres and the coloured data ink right of them; its bottom
    is the lower of the lowest label's centre and the data ink down to a label height below
    it (bars stand on the axis there; category labels further down are no part of it).
    """
    h, w = rgb.shape[:2]
    hgt = float(np.median([wd.box.height for wd in column]))
    pad = int(round(0.5 * hgt))
    x0 = max(wd.box.right for wd in column) + pad + 1
    y0 = int(min(wd.box.center[1] for wd in column))
    low = float(max(wd.box.center[1] for wd in column))
    y1 = int(np.ceil(low + 0.5))  # (its edge, y1 - 0.5, within half a pixel of the centre)
    region = rgb[: min(h, int(low + hgt) + 1), x0:]
    chroma = region.max(axis=2).astype(np.int16) - region.min(axis=2).astype(np.int16)
    ink = chroma > 60
    if not ink.any():
        return None
    cols = np.flatnonzero(ink.any(axis=0))
    rws = np.flatnonzero(ink.any(axis=1))
    x1 = min(w, x0 + int(cols[-1]) + 1 + pad)
    y0 = max(0, min(y0, int(rws[0])) - pad)
    # bars standing on the lowest label's line end at it: the edge goes there too (a box
    # edge is a tick position for the labels near it, so it must not sit a few pixels off)
    ink_end = int(rws[-1]) + 1
    y1 = y1 if ink_end <= y1 + 1 else min(h, ink_end + pad)
    if x1 - x0 < 20 or y1 - y0 < 20:
        return None
    return Box(x0, y0, x1, y1)


def _box_above_row(rgb: np.ndarray, row: list[Word]) -> Box | None:
    """Plot area above a row of numeric x tick labels when no column of numbers lies left
    of it (a frameless horizontal bar chart: its y labels are category names), or None.

    The mirror of :func:`_box_beside_column`: the area spans the labels' centres and the
    coloured data ink above them; its left edge is the leftmost label's centre, where the
    bars start, unless the ink runs on further left.
    """
    h, w = rgb.shape[:2]
    hgt = float(np.median([wd.box.height for wd in row]))
    pad = int(round(0.5 * hgt))
    y1 = min(wd.box.top for wd in row) - pad
    lo = float(min(wd.box.center[0] for wd in row))
    hi = float(max(wd.box.center[0] for wd in row))
    first = max(0, int(lo - 2 * hgt))
    region = rgb[: max(y1, 1), first:]
    chroma = region.max(axis=2).astype(np.int16) - region.min(axis=2).astype(np.int16)
    ink = chroma > 60
    if not ink.any():
        return None
    cols = np.flatnonzero(ink.any(axis=0)) + first
    rws = np.flatnonzero(ink.any(axis=1))
    x0 = int(np.floor(lo + 0.5))  # (its edge, x0 - 0.5, within half a pixel of the centre)
    if cols[0] < x0 - 1:
        x0 = max(0, int(cols[0]) - pad)
    x1 = min(w, max(int(np.ceil(hi)) + 1, int(cols[-1]) + 1) + pad)
    y0 = max(0, int(rws[0]) - pad)
    if x1 - x0 < 20 or y1 - y0 < 20:
        return None
    return Box(x0, y0, x1, y1)


def _recover_minus(grey: np.ndarray, word: Word, min_x: int = 0) -> Word:
    """Prepend a minus sign the strip cut off (a short flat dash just left of a number)."""
    if not word.text or not (word.text[0].isdigit() or word.text[0] == "."):
        return word
    b = word.box
    hgt = b.height
    x0 = max(min_x, int(b.left - 1.2 * hgt))
    # the dash may lie inside the box (OCR boxed it with the digits yet dropped it), so the
    # crop reaches into the word; it takes the whole word, since a glyph cut at the crop's
    # edge leaves pieces that look like a dash (the middle bar of a 3)
    x1 = max(int(b.left + 0.4 * hgt), b.right)
    crop = grey[b.top : b.bottom, x0:x1]
    if crop.size == 0:
        return word
    bg = float(np.median(crop))  # the crop is mostly background
    # (light grey labels, Vega-Lite's: ink at 40% of the glyphs' contrast, TEXT_INK at most)
    off = np.abs(crop.astype(np.float32) - bg)
    ink = (off > min(float(TEXT_INK), 0.4 * float(off.max()))).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    lead = b.left + 0.4 * hgt - x0  # a dash starts before this (crop coordinates)
    for x, y, w, h_, _area in stats[1:n]:
        flat = w >= 2 * h_ and w >= max(2, 0.2 * hgt) and h_ <= max(2, 0.2 * hgt)
        middle = 0.25 * hgt <= y + h_ / 2 <= 0.75 * hgt
        if flat and middle and x < lead and x + w >= lead - 1.0 * hgt:
            return Word("-" + word.text, Box(x0 + int(x), b.top, b.right, b.bottom),
                        word.confidence)
    return word


POINT_INK_SHARES = (0.35, 0.25)
"""Shares of a label's own contrast tried next, for labels too light for ``TEXT_INK``."""


def recover_point(grey: np.ndarray, word: Word) -> Word:
    """Insert a decimal point OCR dropped from a number ("3.5" read as "35", "-9.5" as "-95");
    see :func:`_point_reading`."""
    return _point_reading(grey, word)[0]


def _point_reading(grey: np.ndarray, word: Word) -> tuple[Word, bool]:
    """``word`` with the decimal point OCR dropped put back, and whether that point was
    found only at a share of the label's contrast (a light label's faint point).

    In the word's box, each digit is one blob of ink as tall as the text; a point is a small,
    squarish dot sitting on their baseline between two of them (a comma reaches below the
    baseline and is taller than wide). Only where the digit blobs match the digits read one
    to one is the point put in, after the digits left of the dot. A leading minus sign (a
    flat blob, neither tall nor a dot) is kept in front. The point of small antialiased
    text (Vega-Lite's 8 px labels) may be one pixel wide and two high. Ink is looked for
    at :data:`TEXT_INK` from the background, then at :data:`POINT_INK_SHARES` of the label's
    own contrast.
    """
    sign = word.text[:1] if word.text[:1] in ("-", "\u2212") else ""
    t = word.text[len(sign):]
    if not t.isdigit() or len(t) < 2:
        return word, False
    b = word.box
    crop = grey[max(0, b.top - 1) : b.bottom + 1, max(0, b.left - 1) : b.right + 1]
    if crop.size == 0 or crop.shape[0] < 6:
        return word, False
    dev = np.abs(crop.astype(np.float32) - float(np.median(crop)))
    contrast = float(dev.max())
    # (light grey labels, as Vega's, are thin strokes fading into the background: their
    # point is found only at a fraction of the text's own contrast)
    for share in (None, *POINT_INK_SHARES):
        level = TEXT_INK if share is None else share * contrast
        got = _point_after(dev > level, len(t))
        if got is not None:
            left, dot = got
            if _comma_tail(dev > 0.5 * level, dot):
                return word, False
            return Word(sign + t[:left] + "." + t[left:], word.box, word.confidence,
                        word.symbols), share is not None
    return word, False


def _comma_tail(faint: np.ndarray, dot: tuple[int, int, int, int, float]) -> bool:
    """Whether the point found at ``dot`` (x, y, w, h and the digits' baseline row) runs on
    below the baseline in the label's fainter ink ``faint``, by as much as its own height:
    the tail of a comma (Vega's "2,011"), whose head alone looks like a point at the
    contrast the point was found. (A point's anti-aliased edge reaches a pixel below.)"""
    x, y, w, h, base = dot
    labels, _ = ndimage.label(faint, structure=np.ones((3, 3), bool))
    ids = np.unique(labels[y : y + h, x : x + w])
    ids = ids[ids > 0]
    if not len(ids):
        return False
    rows = np.flatnonzero(np.isin(labels, ids).any(axis=1))
    return bool(rows.max() + 1 - base >= max(1.0, h))


def mend_points(grey: np.ndarray, words: list[Word], axis: int) -> list[Word]:
    """An axis's tick labels with the decimal points OCR dropped put back.

    Points of dark text are put in label by label (:func:`recover_point`); the fainter
    points of light labels, found at a share of their contrast, only where most of the
    axis's labels then show a point (one format per axis: a speck between two digits of a
    label among integers is no point). :func:`uniform_points` gives the rest the axis's
    decimals.
    """
    readings = [_point_reading(grey, wd) for wd in words]
    mended = [wd for wd, _ in readings]
    if _pointed(mended) < POINTED_SHARE * len(words):  # the faint points left out
        mended = [read if faint else wd
                  for read, (wd, faint) in zip(words, readings, strict=True)]
    return uniform_points(mended, axis)


POINTED_SHARE = 0.5  # of an axis's labels that must show a point for its format to have one


def _pointed(words: list[Word]) -> int:
    """How many of ``words`` are numbers written with a decimal point."""
    return sum(bool(re.fullmatch(r"[-\u2212]?\d+\.\d+", wd.text)) for wd in words)


def uniform_points(words: list[Word], axis: int) -> list[Word]:
    """Give the plain-digit labels of an axis the decimals its other labels show.

    Tick labels of one axis share one number format, so where labels read with a point
    (:data:`POINTED_SHARE` of them at least) all show ``k`` decimals, a label read as
    digits alone most likely lost its point (``"10"``
    for ``"1.0"``). The point is put in only where the value it gives lies on the line
    through the pointed labels' values against their positions (``axis`` 0: the boxes'
    x centres, 1: y centres) and the value as read does not: ``"10"`` between ``"9.5"`` and
    ``"10.5"`` (a format that drops trailing zeros) is kept.
    """
    def decimals(text: str) -> int | None:
        body = text.lstrip("-\u2212")
        whole, dot, frac = body.partition(".")
        return len(frac) if dot and whole.isdigit() and frac.isdigit() else None

    pointed = [wd for wd in words if decimals(wd.text)]
    places = {decimals(wd.text) for wd in pointed}
    plain = [wd for wd in words if wd.text.lstrip("-\u2212").isdigit()]
    if (len(pointed) < max(2, POINTED_SHARE * len(words)) or len(places) != 1
            or not plain):
        return words
    k = places.pop()
    pos = np.array([wd.box.center[axis] for wd in pointed], dtype=float)
    val = np.array([float(wd.text.replace("\u2212", "-")) for wd in pointed])
    if np.ptp(pos) == 0:
        return words
    slope, icept = np.polyfit(pos, val, 1)
    tol = 0.25 * abs(slope) * np.ptp(pos) / max(1, len(pointed) - 1)
    if np.abs(slope * pos + icept - val).max() > tol:
        return words
    out = []
    for wd in words:
        digits = wd.text.lstrip("-\u2212")
        if wd in plain and len(digits) > k:
            sign = wd.text[: len(wd.text) - len(digits)]
            amended = sign + digits[:-k] + "." + digits[-k:]
            want = slope * wd.box.center[axis] + icept
            if (abs(float(amended.replace("\u2212", "-")) - want) <= tol
                    < abs(float(wd.text.replace("\u2212", "-")) - want)):
                wd = Word(amended, wd.box, wd.confidence, wd.symbols)
        out.append(wd)
    return out


def _point_after(ink: np.ndarray, n_digits: int
                 ) -> tuple[int, tuple[int, int, int, int, float]] | None:
    """How many digit blobs of ``ink`` stand left of its one decimal point, with the point's
    box (x, y, w, h) and the digits' baseline, or None when the blobs are not ``n_digits``
    tall digits with one dot on their baseline between two."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    if n < 2:
        return None
    boxes = stats[1:n, :4]
    hgt = float(boxes[:, 3].max())
    tall = boxes[boxes[:, 3] >= 0.6 * hgt]
    if len(tall) != n_digits:
        return None
    base = float(np.median(tall[:, 1] + tall[:, 3]))
    dots = [(x, y, w, h) for x, y, w, h in boxes
            if h < 0.3 * hgt and w < 0.4 * hgt and h <= max(1.5 * w, w + 1) and w <= 1.5 * h
            and abs(y + h - base) <= 1.5]
    if len(dots) != 1:
        return None
    x, y, w, h = (int(v) for v in dots[0])
    left = int((tall[:, 0] + tall[:, 2] <= x + 1).sum())
    if not 0 < left < n_digits or (tall[:, 0] < x + w).sum() != left:
        return None
    return left, (x, y, w, h, base)


def tick_label_column(words: list[Word], plot: Box, side: str = "left") -> list[Word]:
    """The y tick labels: words aligned beside the plot area's vertical extent.

    Right-aligned on the left side of the plot (``side="left"``), left-aligned on the right.
    """
    if not words:
        return []
    hgt = float(np.median([wd.box.height for wd in words]))
    margin = 0.7 * hgt + 2
    cand = [wd for wd in words if plot.top - margin <= wd.box.center[1] <= plot.bottom + margin]
    if not cand:
        return []
    tol = max(3.0, 0.6 * hgt)

    def edge(wd: Word) -> float:
        return wd.box.right if side == "left" else -wd.box.left

    edges = np.array([edge(wd) for wd in cand], float)
    support = [(int((np.abs(edges - r) <= tol).sum()), r) for r in edges]
    _, ref = max(support)  # ties: the edge nearest the plot
    return sorted([wd for wd in cand if abs(edge(wd) - ref) <= tol], key=lambda w: w.box.top)


def _merge_positions(a: list[float], b: list[float], tol: float = 2.0) -> list[float]:
    """Union of two position lists, positions within ``tol`` of one already kept dropped."""
    out = sorted(a)
    for v in b:
        if all(abs(v - u) > tol for u in out):
            out.append(v)
    return sorted(out)
