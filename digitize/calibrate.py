"""Calibration: tick labels read by OCR, paired with tick positions, fitted to a pixel->data map.

Each label is parsed (:mod:`digitize.labels`), its centre snapped to the nearest tick mark,
gridline or frame edge, and ``value = slope * pixel + intercept`` is fitted per axis by
exhaustive pair consensus, so one misread label is rejected (``inlier=False``) rather than
averaged in. Log axes (values equally spaced in log10) and date axes (month names, ISO
dates) are detected; an x axis labelled with whole years alone (2005, 2006, ...) is a date
axis (January 1st of each year) unless its title names a count (iterations, steps...).

Log axes written ``10^k`` or ``m×10^k`` (matplotlib's minor-tick labels on axes spanning less
than a decade or two) have their exponents re-read from the raised ink; evenly spaced ``10^k``
labels are forced into one arithmetic run of exponents (single superscripts misread at 72 dpi
or in JPEG). ConciseDateFormatter labels (days of the month + month names with a
``2016-Apr`` offset; month names + the year at January) are dated here. The map's
``value_range`` is taken at ``limits``: the frame lines' centres, where matplotlib puts the
axis limits (the plot-area pixels start half a spine width inside).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from . import labels
from .errors import AxisError
from .geometry import Box
from .labels import robust_line
from .layout import Layout, even_ticks
from .ocr import PSM_LINE, Word, read_words

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
    # pixel positions of the axis limits (the frame lines' centres: a spine is drawn centred
    # on the axes edge, so the limits lie half a line width outside ``pixel_range``)
    limits: tuple[float, float] | None = None
    warnings: list[str] = field(default_factory=list)  # assumptions made reading the labels
    year_assumed: bool = False  # dates read without a year on the chart: the year is a guess
    unsure_labels: bool = False  # category names OCR read unsure (crowded): maybe misspelt

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
        """Data values at both ends of the plot area (the axis limits; low pixel first)."""
        lo, hi = self.limits if self.limits is not None else self.pixel_range
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
            return _format_date(float(value), abs(self.slope))
        if self.scale == "category" and self.categories:
            i = int(round(value))
            if 0 <= i < len(self.categories) and self.categories[i]:
                return self.categories[i]
        if self.scale == "log":
            digits = max(0, 4 - int(np.floor(np.log10(abs(value))))) if value else 6
            return round(float(value), digits)
        return round(float(value), self.decimals)


def _format_date(days: float, days_per_px: float) -> str:
    """ISO 8601 of ``days`` since 1970, rounded to what a pixel resolves: the day (date
    only) when a pixel is half a day or more, else the hour, the minute or the second."""
    stamp = EPOCH + dt.timedelta(days=days)
    for unit, spec in ((1.0, "day"), (1 / 24, "minutes"), (1 / 1440, "minutes"),
                       (1 / 86400, "seconds")):
        if days_per_px >= 0.5 * unit or spec == "seconds":
            seconds = unit * 86400
            stamp = EPOCH + dt.timedelta(seconds=round(days * 86400 / seconds) * seconds)
            break
    if spec == "day":
        return stamp.date().isoformat()
    return stamp.isoformat(timespec=spec)


# --------------------------------------------------------------------------------------------
# robust line fit


def _rms_px(pixels: np.ndarray, t: np.ndarray, slope: float, intercept: float) -> float:
    if len(pixels) == 0:
        return 0.0
    return float(np.sqrt(np.mean(((t - intercept) / slope - pixels) ** 2)))


# --------------------------------------------------------------------------------------------
# labels -> (pixel, value)


def snap(position: float, candidates: list[float], tol: float) -> float:
    """``position`` moved to the nearest candidate within ``tol`` pixels, else unchanged."""
    return _snap(position, candidates, tol)[0]


def _snap(position: float, candidates: list[float], tol: float) -> tuple[float, bool]:
    if not candidates:
        return position, False
    c = np.asarray(candidates, float)
    k = int(np.argmin(np.abs(c - position)))
    if abs(c[k] - position) <= tol:
        return float(c[k]), True
    return position, False


def _off_crisp_lines(positions: np.ndarray | float, layout: Layout, axis: str) -> np.ndarray:
    """Positions read off lines along ``axis`` with the renderer's shift taken off where the
    line is crisp (centred on a whole pixel: drawn past its place, see
    :func:`~digitize.layout.crisp_line_shift`); the others as they are."""
    shift = layout.x_tick_shift if axis == "x" else layout.y_tick_shift
    p = np.asarray(positions, float)
    if shift > 0.5:  # lines a pixel ratio widened (see layout.scaled_line_shift): all
        return p - shift
    return np.where(np.abs(p - np.round(p)) < CRISP_OFF, p - shift, p)


#: how far (px) a crisp line's measured centre may lie off its whole pixel: a JPEG's ringing
#: moves the centroid of a one-pixel line by up to about a tenth of a pixel (the renderer
#: snapped every line of the axis alike: those measured a little off are snapped too)
CRISP_OFF = 0.15


def _between_ticks(anchors: list[float], marks: list[float]) -> list[tuple[float, bool]] | None:
    """Where rotated labels sit between tick marks rather than at them (a category axis with
    its labels "between tick marks", as Excel draws dates): each label's position, the middle
    of the interval its anchor lies in (snapped) or the anchor itself beyond the marks.

    None when the anchors meet the marks: most lie within 30% of the marks' spacing of
    one, or several lie right at one (the marks found are some of the labels' ticks, the
    labels between them on ticks not found: a dark grid's lines hidden under a legend).
    """
    m = np.unique(np.asarray(marks, float))
    if len(m) < 3 or len(anchors) < 2:
        return None
    spacing = float(np.median(np.diff(m)))
    a = np.asarray(anchors, float)
    off = np.abs(a[:, None] - m[None, :]).min(axis=1)
    if np.median(off) < BETWEEN_TICKS * spacing:
        return None
    if np.sum(off < ON_MARK * spacing) >= max(2, 0.25 * len(a)):
        return None
    out = []
    for x in a:
        k = int(np.searchsorted(m, x))
        if 0 < k < len(m) and m[k] - m[k - 1] < 1.5 * spacing:
            mid = 0.5 * (m[k - 1] + m[k])
            if abs(mid - x) < 0.25 * spacing:
                out.append((float(mid), True))
                continue
        out.append((float(x), False))
    return out


BETWEEN_TICKS = 0.3  # share of the tick spacing past which labels sit between ticks
ON_MARK = 0.1  # share of the tick spacing within which a label's anchor is at a mark


def _offset_multiplier(text: str | None) -> tuple[float, float]:
    """Offset text -> (multiplier, addend); (1, 0) when absent or unreadable."""
    got = labels.parse_offset(text) if text else None
    return got if got is not None else (1.0, 0.0)


@dataclass
class _Candidate:
    pixel: float
    label: str
    number: float | None
    decimals: int
    date: float | None
    date_dayfirst: float | None = None  # the d/m/y reading of an ambiguous n/n/yyyy label
    conf: float = 100.0  # OCR confidence
    snapped: bool = False  # pixel taken from a tick mark, gridline or frame line
    guessed: bool = False  # the number needed letters read as digits
    power: bool = False  # a 10^k or m×10^k label (a log axis)
    centred: bool = False  # pixel = the centre of an upright x label (no bias to take off)
    own: float | None = None  # a snapped label's own place (centre or anchor) before snapping
    crisp: bool = False  # pixel from a crisp line on a whole pixel (snapped there: rounded)
    # the label's place to a fraction of a pixel (its ink's edges, :func:`label_ink_place`),
    # up to an offset common to the axis's labels; None where not measured
    fine: float | None = None
    # an end label snapped by its centre whose outer edge is on a tick too (Vega's
    # ``labelFlush`` beside a minor log tick): the other of the two pixels, tried in the fit
    other_pixel: float | None = None


def _line_at(rgb: np.ndarray, plot: Box, axis: str, pos: float, reach: int = 4) -> bool:
    """Whether a line is drawn along the plot at ``pos`` (a row for the y axis, a column
    for x): the rows (columns) within 1 px of it stand out most of those within ``reach``.
    """
    h, w = rgb.shape[:2]
    c = int(round(pos))
    lo, hi = max(0, c - reach), min(h if axis == "y" else w, c + reach + 1)
    if hi - lo < 3:
        return False
    band = rgb[lo:hi, plot.left : plot.right] if axis == "y" else np.swapaxes(
        rgb[plot.top : plot.bottom, lo:hi], 0, 1)
    if band.size == 0:
        return False
    prof = band.reshape(band.shape[0], -1).mean(axis=1)
    dev = np.abs(prof - np.median(prof))
    near = dev[[i for i in range(hi - lo) if abs(lo + i - pos) <= 1.0]]
    return bool(near.size and near.max() >= 6.0 and near.max() >= 0.6 * dev.max())


def _label_pixel(axis: str, word: Word) -> float:
    return word.box.center[0] if axis == "x" else word.box.center[1]


def label_ink_place(grey: np.ndarray, box: Box, axis: str, whole: bool = False
                    ) -> float | None:
    """Where an upright tick label lies along ``axis``, to a fraction of a pixel, from the
    anti-aliased edges of its ink: the middle of its ink's extent (a label is centred on
    its tick); for y, of the glyphs reaching the top third of it (digits all span one
    height; minus signs, points and commas, reaching below the baseline, do not).

    Renderers place text where its value puts it (matplotlib's and Vega's glyphs are
    drawn at sub-pixel offsets) while they round tick marks and gridlines to whole
    pixels, so the label's place, less an offset common to the axis's labels, marks its
    tick more precisely than its mark does. A partly covered edge pixel counts as the
    covered share of a pixel.

    Parameters
    ----------
    grey : ndarray
        The image in grey levels.
    box : Box
        The label's box.
    axis : str
        ``"x"`` or ``"y"``.
    whole : bool
        For y, the middle of all the ink (a ``10^k`` label: its raised exponent is no
        minus sign).

    Returns
    -------
    float or None
        The place in pixel-centre coordinates, or None where the box holds no ink.
    """
    h, w = grey.shape
    # one pixel of margin along the axis only (tick marks and gridlines end beside it)
    b = (Box(box.left - 1, box.top, box.right + 1, box.bottom) if axis == "x"
         else Box(box.left, box.top - 1, box.right, box.bottom + 1)).clip(w, h)
    crop = grey[b.top : b.bottom, b.left : b.right].astype(float)
    if crop.size == 0 or min(crop.shape) < 3:
        return None
    bg = float(np.median(np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])))
    ink = np.abs(crop - bg)
    full = float(ink.max())
    if full < 40:
        return None
    ink = ink / full
    if axis == "y" and not whole:
        # the columns of glyphs reaching the top third of the ink: digits, not the minus
        # signs, points and commas between them (a comma reaches below the baseline)
        rows = np.flatnonzero(ink.max(axis=1) > 0.1)
        third = rows[0] + max(1, (rows[-1] - rows[0] + 1) // 3)
        tall = ink[rows[0] : third].max(axis=0) > 0.5
        if not tall.any():
            return None
        ink = ink[:, tall]
    prof = ink.max(axis=0 if axis == "x" else 1)
    idx = np.flatnonzero(prof > 0.1)
    first, last = int(idx[0]), int(idx[-1])
    # the ink's edges in pixel-centre coordinates, a partly covered pixel as its share
    lo = first + 1.0 - float(prof[first]) - 0.5
    hi = last + float(prof[last]) - 0.5
    return (b.left if axis == "x" else b.top) + 0.5 * (lo + hi)


def _y_label_tick(word: Word) -> float:
    """The tick row of a y tick label set on no tick mark or gridline: a little above the
    centre of its ink when it is a number.

    Matplotlib (seaborn's ``white``/``dark`` styles draw y labels with no tick marks)
    centres a y tick label on half the font's ascent above the baseline
    (``va="center_baseline"``), and the ascent (DejaVu Sans: 0.76 em) is taller than the
    digits (0.73 em): their ink centre lies below the tick. Measured over 49 tick-less
    corpus axes (labels 8-32 px tall): 0.39 px on average (sd 0.17), growing slowly with
    the label's height ``h`` as ``Y_LABEL_DROP[0] + Y_LABEL_DROP[1] * h``. Words with
    letters (descenders, capitals) are left at their centre.
    """
    b = word.box
    centre = b.center[1]
    if labels.parse_number(word.text) is None or any(ch.isalpha() for ch in word.text):
        return centre
    return centre - (Y_LABEL_DROP[0] + Y_LABEL_DROP[1] * b.height)


# px and share of a numeric label's ink height its centre lies below its tick
Y_LABEL_DROP = (0.23, 0.010)


def _power_label_tick(grey: np.ndarray, word: Word) -> float:
    """The tick row of a ``10^k`` y tick label set on no tick mark or gridline: a little
    below the middle of its ink, measured to a fraction of a pixel.

    Matplotlib centres a y label on half its height above the baseline
    (``va="center_baseline"``) and draws its text on whole pixels. Measured over 121 such
    corpus labels (ink 8-32 px tall, from its anti-aliased edges): the tick lies
    ``POWER_LABEL_DROP[0] + POWER_LABEL_DROP[1] * h`` px below the ink's middle (0.28 px on
    average, sd 0.27; the box's whole-pixel centre: 0.27 px above, sd 0.36). Axes with
    ``m×10^k`` labels (minor log ticks; not measured: corpus chart_00073's lie 0.9 px
    higher) keep their boxes' centres. Falls back on the box's centre where the box holds
    no ink.
    """
    place = label_ink_place(grey, word.box, "y", whole=True)
    if place is None:
        return word.box.center[1]
    return place + POWER_LABEL_DROP[0] + POWER_LABEL_DROP[1] * word.box.height


# px and share of a 10^k label's box height its tick lies below the ink's middle
POWER_LABEL_DROP = (0.47, -0.012)


#: how far (px) a flush end label's ink may reach past its tick (anti-aliased glyph edge)
FLUSH_INSIDE = 1.0


def _flush_snap(
    axis: str, word: Word, snap_to: list[float], tol: float, px: float, high: bool
) -> tuple[float, bool]:
    """An end label set flush with its tick (Vega's ``labelFlush``), snapped by its edge.

    The first and last labels of a Vega x axis are aligned so that they do not run past
    the plot: the tick is at the label's outer edge, not its centre. An end label whose
    centre is on no tick but whose outer edge is (the right or bottom edge of the label at
    the high-pixel end, ``high``, else the left or top one), takes that tick. The tick
    lies at or beyond that edge, the label's ink inward of it: a "tick" well inside the box
    is ink of the label itself (a raised exponent over the axis line), not its tick.
    """
    b = word.box
    lo, hi = (b.left, b.right - 1) if axis == "x" else (b.top, b.bottom - 1)
    e = hi if high else lo
    if not snap_to:
        return px, False
    c = min(snap_to, key=lambda t: abs(t - e))
    inside = (e - c) if high else (c - e)
    if abs(c - e) <= tol and inside <= FLUSH_INSIDE:
        return c, True
    return px, False


def _superscript_exponent(grey: np.ndarray, box: Box) -> int | None:
    """The raised exponent of a ``10^k`` label (mathtext), read from its own small crop.

    Components whose bottom lies in the upper part of the label are the superscript; a flat
    one among them is a minus sign. Returns None if the label has no superscript.
    """
    h, w = grey.shape
    got = _superscript_in(grey, Box(box.left - 2, box.top - 2, box.right + 2, box.bottom + 2))
    if got is None and box.height >= 6:
        # OCR may have dropped the superscript from the word's box: look up and right of it
        # (room for a minus and two digits)
        grow = int(round(0.7 * box.height))
        got = _superscript_in(grey, Box(box.left - 2, box.top - grow // 2 - 2,
                                        box.right + int(1.8 * box.height), box.bottom + 2))
    return got


def _glyph_components(grey: np.ndarray, b: Box) -> tuple[np.ndarray, np.ndarray, list]:
    """The crop of ``grey`` in ``b``, its ink mask and the ink's 8-connected components
    (x, y, w, h, area) that do not touch the crop's edge."""
    h, w = grey.shape
    b = b.clip(w, h)
    crop = grey[b.top : b.bottom, b.left : b.right]
    if crop.size == 0:
        return crop, np.zeros(crop.shape, np.uint8), []
    bg = float(np.median(np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])))
    ink = (np.abs(crop.astype(np.float32) - bg) > 80).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    ch, cw = ink.shape
    comps = [
        st for st in stats[1:]
        if st[4] >= 2 and st[0] > 0 and st[1] > 0 and st[0] + st[2] < cw and st[1] + st[3] < ch
    ]  # components touching the crop edge are neighbours (spines, ticks), not the label
    return crop, ink, comps


def _raised_tail(grey: np.ndarray, box: Box) -> bool:
    """Whether the label in ``box`` ends in a raised glyph (a superscript: ``10^0``) after
    base glyphs that reach the baseline."""
    _, _, comps = _glyph_components(grey, Box(box.left - 2, box.top - 2, box.right + 2,
                                              box.bottom + 2))
    if len(comps) < 2:
        return False
    top = min(c[1] for c in comps)
    bottom = max(c[1] + c[3] for c in comps)
    last = max(comps, key=lambda c: c[0] + c[2])
    return bool(last[1] + last[3] <= top + 0.68 * (bottom - top)
                and sum(c[1] + c[3] >= bottom - 1 for c in comps) >= 2)


def _superscript_in(grey: np.ndarray, b: Box) -> int | None:
    crop, ink, comps = _glyph_components(grey, b)
    if not comps:
        return None
    ink_top = min(c[1] for c in comps)
    ink_bottom = max(c[1] + c[3] for c in comps)
    # ends in the upper two thirds of the label (gnuplot sets its superscripts lower than
    # matplotlib: their feet reach the base digits' middle)
    raised = [c for c in comps if c[1] + c[3] <= ink_top + 0.68 * (ink_bottom - ink_top)]
    if not raised:
        return None
    x0 = min(c[0] for c in raised)
    x1 = max(c[0] + c[2] for c in raised)
    y0 = min(c[1] for c in raised)
    y1 = max(c[1] + c[3] for c in raised)
    minus = any(c[2] >= 2 * c[3] and c[0] == x0 for c in raised)
    if not minus:
        # a minus set low and close to the base (gnuplot) touches its last digit at a corner:
        # a flat 4-connected piece just left of the raised digits, within their rows
        rh = y1 - y0
        _, _, st4, _ = cv2.connectedComponentsWithStats(ink, connectivity=4)
        minus = any(
            c[2] >= 2 * c[3] and c[3] <= max(2, 0.25 * rh) and y0 <= c[1] + c[3] / 2 <= y1
            and x0 - 1.2 * rh <= c[0] and c[0] + c[2] <= x0 + 1 for c in st4[1:])
    sub = crop[max(0, y0 - 1) : y1 + 1, max(0, x0 - 1) : x1 + 1]
    digits = ""
    # a few pixels of glyph: Tesseract may see nothing at one upscale and the digit at another
    for scale in (4.0, 3.0, 6.0):
        digits = re.sub(r"\D", "", "".join(wd.text for wd in read_words(
            sub, psm=PSM_LINE, whitelist="0123456789", scale=scale, pad=12)))
        if digits:
            break
    if not digits:
        return None
    return -int(digits) if minus else int(digits)


def _regular_exponents(axis: str, words: list[Word], exps: list[int | None]) -> list[int | None]:
    """Exponents of evenly spaced ``10^k`` labels made one arithmetic run (k, k±s, ...).

    A superscript is a few pixels of ink (JPEG, 72 dpi): single readings go wrong (a stray
    minus, 7 for 1). Evenly spaced labels step by the same number of decades, so the run
    most readings agree with (at least two) replaces them.
    """
    if len(words) < 3:
        return exps
    pos = np.array([_label_pixel(axis, wd) for wd in words])
    order = np.argsort(pos)
    gaps = np.diff(pos[order])
    if gaps.min() <= 0 or gaps.max() > 1.15 * gaps.min():
        return exps
    sign = 1 if axis == "x" else -1  # values grow rightwards / upwards
    votes: dict[tuple[int, int], int] = {}
    for rank, i in enumerate(order):
        if exps[i] is None:
            continue
        # a speck read as a minus sign: a negative reading also votes for its positive
        for e in {int(exps[i]), abs(int(exps[i]))}:
            for step in (1, 2, 3):
                key = (e - sign * step * rank, step)
                votes[key] = votes.get(key, 0) + 1
    # one decade a label is by far the most common log axis: a run of bigger steps must be
    # read more often by two (a superscript 1 misread as 3 twice makes a run of threes)
    (e0, step), n = max(votes.items(), key=lambda kv: (kv[1] + (kv[0][1] == 1), -kv[0][1]))
    if n < 2 or n < 0.5 * sum(e is not None for e in exps):
        return exps
    out: list[int | None] = [None] * len(words)
    for rank, i in enumerate(order):
        out[i] = e0 + sign * step * rank
    return out


def _power_values(
    rgb: np.ndarray | None, words: list[Word], axis: str = "y"
) -> list[float | None] | None:
    """Label values when the labels are ``10^k`` or ``m×10^k`` with raised exponents.

    Matplotlib's log axes label minor ticks ``2×10^3``, ``3×10^3``... when the axis spans
    less than a decade or two; the mantissa is read from the text, the exponent from the
    image (OCR reads a superscript as anything: ``103``, ``10°``, ``1073``).
    """
    if rgb is None or len(words) < 2:
        return None
    grey = cv2.cvtColor(np.ascontiguousarray(rgb[..., :3]), cv2.COLOR_RGB2GRAY)
    if np.median(grey) < 128:
        grey = 255 - grey
    mants: list[float | None] = []
    zeros = [False] * len(words)
    for k, wd in enumerate(words):
        flat = re.sub(r"[\u2212\u2013\u2014]", "-", re.sub(r"\s", "", wd.text))
        m = labels.power_head(wd.text)
        # (zero is written plain among m×10^k labels: gnuplot's "0" between 1x10^-6 and
        # -1x10^-6)
        zeros[k] = m is None and flat in ("0", "0.0", "-0")
        if m is None and re.fullmatch(r"\d{3}", wd.text.strip()) and _raised_tail(grey, wd.box):
            # a 10^k misread in the row of labels ("200": the 1 read 2, neighbours' ink in
            # the box): read again alone
            again = "".join(w.text for w in read_words(
                grey[max(0, wd.box.top) : wd.box.bottom, max(0, wd.box.left) : wd.box.right],
                psm=PSM_LINE, scale=3.0, pad=12))
            m = labels.power_head(again)
        mant = (float(m.group(1)) if m.group(1) else 1.0) if m else None
        if mant is not None and m.group(1) and flat.startswith("-") and not flat.startswith(
                "--"):
            mant = -mant  # a minus sign before a written mantissa (a bare 10^k is positive)
        mants.append(mant)
    # (nearly) all labels: one whose "10" OCR garbled ("g2") drops out, a number stays out
    if sum(m is not None or z for m, z in zip(mants, zeros, strict=True)) < max(
            2, len(words) - max(1, len(words) // 4)) or sum(m is not None for m in mants) < 2:
        return None
    exps = [None if m is None else _superscript_exponent(grey, wd.box)
            for m, wd in zip(mants, words, strict=True)]
    if sum(e is not None for e in exps) < max(2, len(words) // 2):
        return None
    if all(m == 1.0 for m in mants):
        exps = _regular_exponents(axis, words, exps)
    else:
        exps = _odd_exponent(axis, words, mants, _specks_as_minus(axis, words, mants, exps))
    return [0.0 if z else None if e is None or m is None else m * 10.0**e
            for m, e, z in zip(mants, exps, zeros, strict=True)]


def _in_order(pos: list[float], values: list[float]) -> bool:
    """Whether ``values`` rise (or fall) strictly along the label positions ``pos``."""
    if len(values) < 2:
        return False
    d = np.diff(np.asarray(values, float)[np.argsort(pos)])
    return bool(np.all(d > 0) or np.all(d < 0))


def _specks_as_minus(
    axis: str, words: list[Word], mants: list[float | None], exps: list[int | None]
) -> list[int | None]:
    """Exponents of ``m×10^k`` labels with the signs dropped when a speck was read as a minus.

    A few pixels of JPEG noise beside a tiny superscript read as a minus sign make
    ``6×10^2`` ``6×10^-2`` on some labels only. Tick labels stand in value order along the
    axis: labels out of order as read but in order with every exponent's sign dropped were
    misread so (a real ``2×10^-1``, ``5×10^0``, ``2×10^1`` axis is in order as read).
    """
    got = [i for i, (m, e) in enumerate(zip(mants, exps, strict=True))
           if m is not None and e is not None]
    if not any(exps[i] < 0 for i in got):  # type: ignore[operator]
        return exps
    pos = [_label_pixel(axis, words[i]) for i in got]
    as_read = [mants[i] * 10.0**exps[i] for i in got]  # type: ignore[operator]
    unsigned = [mants[i] * 10.0**abs(exps[i]) for i in got]  # type: ignore[operator, arg-type]
    if _in_order(pos, as_read) or not _in_order(pos, unsigned):
        return exps
    return [None if e is None else abs(e) for e in exps]


def _odd_exponent(
    axis: str, words: list[Word], mants: list[float | None], exps: list[int | None]
) -> list[int | None]:
    """The one exponent of ``m×10^k`` labels that differs from all the others' set to
    theirs when that puts the labels in value order.

    Matplotlib labels the minor ticks ``2×10^k``, ``3×10^k``... of a log axis spanning
    less than a decade or two: most labels share one exponent. A superscript misread
    (``4×10^-1`` as ``4×10^-7``: the minus and the 1 read as 7 and 1) leaves one label out
    of order; a real change of decade keeps them in order as read.

    Parameters
    ----------
    axis : str
        ``"x"`` or ``"y"``.
    words : list of Word
        The tick labels.
    mants, exps : list
        Each label's mantissa and exponent as read (None where unread).

    Returns
    -------
    list
        ``exps``, with at most the one odd exponent changed.
    """
    got = [i for i, (m, e) in enumerate(zip(mants, exps, strict=True))
           if m is not None and e is not None]
    if len(got) < 3:
        return exps
    ks = [int(exps[i]) for i in got]  # type: ignore[arg-type]
    mode = max(set(ks), key=ks.count)
    odd = [i for i in got if exps[i] != mode]
    if len(odd) != 1:
        return exps
    pos = [_label_pixel(axis, words[i]) for i in got]
    as_read = [mants[i] * 10.0**exps[i] for i in got]  # type: ignore[operator]
    evened = [mants[i] * 10.0**mode for i in got]  # type: ignore[operator]
    if _in_order(pos, as_read) or not _in_order(pos, evened):
        return exps
    return [mode if i == odd[0] else e for i, e in enumerate(exps)]


def _candidates(axis: str, layout: Layout, rgb: np.ndarray | None = None) -> list[_Candidate]:
    words = layout.x_tick_labels if axis == "x" else layout.y_tick_labels
    ticks = layout.x_ticks if axis == "x" else layout.y_ticks
    edges = layout.x_edges if axis == "x" else layout.y_edges
    # a label at a frame edge has its tick on the frame line
    # (not on a bare panel: light spines and edge gridlines eat into its visible edge)
    if layout.frame == "panel":
        edges = None
    elif layout.frame == "none" and edges and rgb is not None:
        # no frame: an edge may be where gridlines end, not a line drawn there
        edges = [e for e in edges if _line_at(rgb, layout.plot_area, axis, e)] or None
    snap_to = list(ticks) + (list(edges) if edges else [])
    if not words:
        return []
    # ticks and edges drawn as lines, not estimated from the labels (a chart with no lines)
    measured = bool(ticks) or bool(layout.x_gridlines or layout.y_gridlines) or (
        layout.frame in ("full", "left-bottom"))
    hgt = float(np.median([wd.box.height for wd in words]))
    tol = max(3.0, 0.35 * hgt)
    # on an axis without tick marks or gridlines the frame line marks a tick only where a
    # label is centred on it: a label a few pixels off stands at its own tick (the axis
    # limit is no tick value), which its centre places better than the frame
    snap_tol = tol if ticks else EDGE_ONLY_TOL
    texts = [wd.text for wd in words]
    powers = labels.looks_like_power_labels(texts)
    year = next((y for y in (labels.year_of(t) for t in texts) if y), None)
    power_values = _power_values(rgb, words, axis)
    # 10^k labels alone (no m×10^k among them: those keep their box's centre, and so do
    # the axis's other labels, placed alike)
    bare = (power_values is not None or powers) and not any(labels.with_mantissa(t) for t in texts)
    anchors = layout.x_tick_anchors if axis == "x" else None
    if anchors is not None and len(anchors) != len(words):
        anchors = None
    centred = None if anchors is None else _between_ticks(anchors, snap_to)
    centres = [_label_pixel(axis, wd) for wd in words]
    lattice = _evenly_spaced(ticks)
    p = layout.plot_area
    rounded = bool(len(ticks)) and bool(np.all(
        np.abs(np.asarray(ticks) - np.round(ticks)) < CRISP_OFF))
    nodes = tick_lattice(_off_crisp_lines(np.asarray(ticks, float), layout, axis),
                         (p.left - 0.5, p.right - 0.5) if axis == "x"
                         else (p.top - 0.5, p.bottom - 0.5)) if len(ticks) >= 4 else None
    grey = None if rgb is None or anchors is not None else cv2.cvtColor(
        np.ascontiguousarray(rgb[..., :3]), cv2.COLOR_RGB2GRAY)
    out = []
    for i, wd in enumerate(words):
        flush_px = node_px = None
        if centred is not None:
            px, snapped = centred[i]
        elif anchors is not None:  # rotated labels meet their tick at one end
            # (an anchor is rough: a tick mark within reach beats a frame line as near)
            px, snapped = _snap(anchors[i], list(ticks), max(tol, 0.6 * hgt))
            if not snapped:
                px, snapped = _snap(anchors[i], snap_to, max(tol, 0.6 * hgt))
        else:
            px, snapped = False, False
            if lattice:
                # (marks in one even step are the ticks: one within reach beats a frame
                # line that is nearer, the axis limit a pixel or two past the end tick)
                px, snapped = _snap(_label_pixel(axis, wd), list(ticks), snap_tol)
            if not snapped:
                px, snapped = _snap(_label_pixel(axis, wd), snap_to, snap_tol)
            if not snapped and i in (0, len(words) - 1) and measured and ticks:
                # (an axis with no tick marks drawn has no flush labels: a label whose
                # raised exponent or descender happens to reach the frame line is centred)
                px, snapped = _flush_snap(axis, wd, snap_to, tol, px,
                                          _label_pixel(axis, wd) >= max(centres))
            if not snapped and nodes is not None:
                # a label on a tick hidden under data: the ticks' lattice places it
                node = float(nodes[np.argmin(np.abs(nodes - _label_pixel(axis, wd)))])
                if abs(node - _label_pixel(axis, wd)) <= snap_tol:
                    px, snapped, node_px = node, True, node
            if snapped and i in (0, len(words) - 1) and measured and ticks:
                alt, alt_ok = _flush_snap(axis, wd, snap_to, tol, px,
                                          _label_pixel(axis, wd) >= max(centres))
                flush_px = alt if alt_ok and alt != px else None
            if not snapped and axis == "y" and power_values is None and not powers:
                px = _y_label_tick(wd)
            elif not snapped and axis == "y" and grey is not None and bare:
                px = _power_label_tick(grey, wd)
        own = None
        crisp = False
        if snapped and node_px is not None:
            # (a place on the lattice of rounded lines stands for a rounded line: the
            # labels' sub-pixel places refine it as they do the marks found)
            own, crisp = _label_pixel(axis, wd), rounded
        elif snapped:
            own = anchors[i] if anchors is not None else _label_pixel(axis, wd)
            moved = float(_off_crisp_lines(px, layout, axis))
            crisp, px = moved != px, moved
            if flush_px is not None:
                flush_px = float(_off_crisp_lines(flush_px, layout, axis))
        upright = axis == "x" and anchors is None and not snapped
        fine = None if grey is None else label_ink_place(grey, wd.box, axis)
        if power_values is not None:
            v = power_values[i]
            out.append(_Candidate(px, wd.text, v, 0, None, snapped=snapped, power=True,
                                  centred=upright, own=own, crisp=crisp, fine=fine,
                                  other_pixel=flush_px))
            continue
        parsed = labels.parse_number(wd.text, powers=powers)
        month = labels.has_month(wd.text)
        date = labels.parse_date(wd.text, year) if month else None
        date_df = labels.parse_date(wd.text, year, dayfirst=True) if month else None
        out.append(_Candidate(px, wd.text, parsed.value if parsed else None,
                              parsed.decimals if parsed else 0, date, date_df, wd.confidence,
                              snapped, bool(parsed and parsed.guessed), centred=upright,
                              own=own, crisp=crisp, fine=fine, other_pixel=flush_px))
    out = _drop_crowded(out)
    # most labels are not plain numbers: the ones made numbers by reading letters as
    # digits ("b2" -> 62) are words (categories) too
    if sum(c.number is not None and not c.guessed for c in out) < 0.5 * len(out):
        for c in out:
            if c.guessed:
                c.number = None
    return out


EDGE_ONLY_TOL = 1.5  # px a label may lie off a frame line it is snapped to, on a tick-less axis


HIDDEN_TICKS = 1.5  # the most lattice places per tick found (a third of them hidden)


def tick_lattice(ticks: np.ndarray, span: tuple[float, float]) -> np.ndarray | None:
    """Where the ticks of an evenly stepped axis lie, those hidden included: the tick
    positions fitted as a line of their step numbers, at every step from ``span[0]`` to
    ``span[1]`` (the plot's extent along the axis), or None when fewer than four ticks
    stand in one even step (:func:`~digitize.layout.even_ticks`, a tick missing leaving a
    whole number of steps) or more than a third of the steps between the end ticks have
    none (``HIDDEN_TICKS``: stray marks, two close together, make a fine "step").

    A tick mark under data (a marker on the axis line) is not found; its label, left at
    its box's centre, lies off its tick by the text's own offset (1-2 px for gnuplot's
    ``m×10^k`` labels, their raised exponents growing the box), where the lattice of the
    ticks found places it to a fraction of a pixel.
    """
    t = even_ticks(list(ticks))
    if t is None or len(t) < 4:
        return None
    k = np.round((t - t[0]) / float(np.min(np.diff(t))))
    if k[-1] + 1 > HIDDEN_TICKS * len(t):
        return None  # (most "ticks" missing: stray marks two of which stand close)
    slope, intercept = np.polyfit(k, t, 1)
    if slope <= 0 or float(np.max(np.abs(slope * k + intercept - t))) > 1.0:
        return None
    lo, hi = sorted(span)
    ks = np.arange(np.ceil((lo - 1.0 - intercept) / slope),
                   np.floor((hi + 1.0 - intercept) / slope) + 1)
    return slope * ks + intercept


def _evenly_spaced(marks: list[float], tol: float = 0.15) -> bool:
    """Whether four or more marks stand one even step apart, none missing (every gap
    within ``tol`` of the median gap): tick marks, not a mix with stray marks."""
    m = np.unique(np.asarray(marks, float))
    if len(m) < 4:
        return False
    d = np.diff(m)
    return bool(np.all(np.abs(d / np.median(d) - 1.0) <= tol))


def _restore_decimal_points(cands: list[_Candidate], span_px: float) -> None:
    """Decimal points OCR lost (``"−9.6"`` read ``"−96"``), put back where that makes more
    labels agree on one line.

    An axis writes its labels to one number of decimals; when some labels carry ``d``
    decimals and others none, the others are tried divided by ``10^d``, and kept so if
    more labels then fit one straight line than before.
    """
    nums = [c for c in cands if c.number is not None and not c.power]
    dec = [c.decimals for c in nums if c.decimals > 0]
    if len(dec) < 1 or len(nums) < 3:
        return
    d = max(set(dec), key=dec.count)
    # a label written to d decimals has at least d + 1 digits, all read when only its point
    # was lost ("0.5" -> "05"); a shorter integer ("5") is written so (a speck read as a
    # point in "2.0" must not make "-5, 0, 5, 10" tenths)
    ints = [c for c in nums if c.decimals == 0 and c.number != 0
            and len(re.sub(r"\D", "", c.label)) >= d + 1]
    if len(ints) < 1:
        return
    tol = max(2.5, 0.012 * span_px)

    def agree(values: list[float]) -> int:
        # on one straight line in value or (a log axis) in log10 value
        pix, v = np.array([c.pixel for c in nums]), np.array(values)
        best = 0
        for t in (v, np.log10(v) if np.all(v > 0) else None):
            fit = None if t is None else robust_line(pix, t, tol)
            best = max(best, 0 if fit is None else int(fit[2].sum()))
        return best

    before = [float(c.number) for c in nums]  # type: ignore[arg-type]
    after = [float(c.number) / 10**d if c in ints else float(c.number)  # type: ignore[arg-type]
             for c in nums]
    if agree(after) > agree(before):
        for c in ints:
            c.number = float(c.number) / 10**d  # type: ignore[arg-type]
            c.decimals = d


_GROUPED = re.compile(r"^[-+\u2212]?\d{1,3}[.,]\s?\d{3}$")


def _restore_thousands(cands: list[_Candidate], span_px: float) -> None:
    """Thousands separators read as decimal points (``"1,200"`` read ``"1.200"``: 1.2), read
    as separators where that makes more labels agree on one line.

    A label of one to three digits, a point and exactly three digits is either a decimal
    written to three places or a thousand-grouped integer; the axis decides: where more
    labels fit one straight line (in value or log10 value) with every such label read as
    a grouped integer, it is one.
    """
    nums = [c for c in cands if c.number is not None and not c.power]
    grouped = [c for c in nums if c.decimals == 3 and _GROUPED.match(c.label.strip())]
    if not grouped or len(nums) < 3:
        return
    before = [float(c.number) for c in nums]  # type: ignore[arg-type]
    after = [float(c.number) * 1000 if c in grouped else float(c.number)  # type: ignore[arg-type]
             for c in nums]
    if _agreeing(nums, after, span_px) > _agreeing(nums, before, span_px):
        for c in grouped:
            c.number = float(c.number) * 1000  # type: ignore[arg-type]
            c.decimals = 0


def split_repeated_dates(values: list[float | None]) -> list[float | None] | None:
    """Dates of labels repeated at consecutive ticks, spread over the day (or other unit)
    they name: ``06/06 06/06 07/06 07/06`` at ticks 12 hours apart are 06/06 00:00, 12:00...

    A date format coarser than the tick step writes each date at ``k`` ticks in a row; the
    ``j``-th of such a run stands ``j / k`` of the way to the next date. Runs of the common
    length ``k`` (two or more of them) are spread so; shorter runs (a label OCR missed) are
    left as read, for the fit to judge.

    Parameters
    ----------
    values : list of float or None
        The labels' dates (days), in pixel order.

    Returns
    -------
    list of float or None, or None
        The dates spread, or None where no label repeats so.
    """
    runs: list[list[int]] = []
    for i, v in enumerate(values):
        if v is None:
            continue
        if runs and values[runs[-1][-1]] == v and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    lengths = [len(r) for r in runs if len(r) >= 2]
    if not lengths:
        return None
    k = max(set(lengths), key=lengths.count)
    firsts = [float(values[r[0]]) for r in runs]  # type: ignore[arg-type]
    steps = np.diff(firsts)
    if sum(len(r) == k for r in runs) < 2 or not (steps > 0).any():
        return None
    unit = float(np.min(steps[steps > 0]))  # one date to the next (a label missed: more)
    out = list(values)
    for r in runs:
        if len(r) == k:
            for j, i in enumerate(r):
                out[i] = float(values[i]) + j * unit / k  # type: ignore[arg-type]
    return out


def unrounded_values(steps: np.ndarray, values: np.ndarray, unit: float
                     ) -> np.ndarray | None:
    """The values of labels written with too few digits for the tick step (gnuplot's
    ``%g``: ``1550 1550.01 1550.01 1550.02``... for ticks 0.005 apart), or None.

    The ticks stand at whole ``steps`` of one even step apart; each label is its tick's
    value rounded to ``unit`` (the last decimal written), so labels repeat at consecutive
    ticks. The tick values are ``v0 + k d`` with ``d`` a round step (1, 2, 2.5 or 5 times
    a power of ten) and ``v0`` a multiple of it; those within half a ``unit`` of every
    label are taken, ``v0`` nearest the first label where two fit (a tick value at a
    rounding boundary fits either way). Applies only where two or more labels repeat
    their neighbour's value.

    Parameters
    ----------
    steps : ndarray
        Each label's tick number (0 for the first), increasing.
    values : ndarray
        The labels' values as written.
    unit : float
        The place of the last digit written (0.01 for ``1550.01``).

    Returns
    -------
    ndarray or None
        The tick values, or None.
    """
    k, v = np.asarray(steps, float), np.asarray(values, float)
    if len(v) < 4 or k[-1] <= 0 or int(np.sum(np.diff(v) == 0)) < 2:
        return None
    rough = (v[-1] - v[0]) / k[-1]
    if rough <= 0:
        return None
    mag = 10.0 ** np.floor(np.log10(rough))
    slack = 0.5 * unit * (1 + 1e-6)
    for d in sorted((m * mag for m in (1.0, 2.0, 2.5, 5.0, 10.0)),
                    key=lambda d: abs(d - rough)):
        if abs(d * k[-1] - (v[-1] - v[0])) > unit * (1 + 1e-6):
            continue
        starts = d * np.arange(np.ceil((v[0] - slack) / d), np.floor((v[0] + slack) / d) + 1)
        for v0 in sorted(starts, key=lambda s: abs(s - v[0])):
            ticks = v0 + d * k
            if np.all(np.abs(ticks - v) <= slack):
                return ticks
    return None


def _unround_repeated(cands: list[_Candidate]) -> None:
    """Numbers of labels written with too few digits for their ticks' step made the tick
    values (:func:`unrounded_values`, in place): labels at evenly stepped ticks,
    repeating their neighbours' values."""
    got = sorted((c for c in cands if c.number is not None), key=lambda c: c.pixel)
    if len(got) < 4:
        return
    pix = np.array([c.pixel for c in got])
    gaps = np.diff(pix)
    if gaps.min() <= 0:
        return
    k = (pix - pix[0]) / gaps.min()
    if np.abs(k - np.round(k)).max() > 0.1:
        return
    unit = 10.0 ** -max(c.decimals for c in got)
    ticks = unrounded_values(np.round(k), np.array([c.number for c in got]), unit)
    if ticks is None:
        return
    dec = max(0, int(np.ceil(-np.log10(float(np.min(np.diff(ticks))) * (1 - 1e-9)))) + 1)
    for c, t in zip(got, ticks, strict=True):
        c.number, c.decimals = float(t), max(c.decimals, dec)


def _dates_spread(cands: list[_Candidate], scale: str) -> list[_Candidate] | None:
    """``cands`` with the dates of ``scale`` (``"date"``, ``"date-dayfirst"``) of repeated
    labels spread by :func:`split_repeated_dates` (copies), or None where none repeat."""
    field = "date_dayfirst" if scale == "date-dayfirst" else "date"
    ordered = sorted(cands, key=lambda c: c.pixel)
    spread = split_repeated_dates([getattr(c, field) for c in ordered])
    if spread is None:
        return None
    return [replace(c, **{field: v}) for c, v in zip(ordered, spread, strict=True)]


def _agreeing(cands: list[_Candidate], values: list[float], span_px: float) -> int:
    """How many of the labels ``cands`` with ``values`` lie on one straight line, in value or
    (a log axis) in log10 value."""
    pix, v = np.array([c.pixel for c in cands]), np.array(values, float)
    tol = max(2.5, 0.012 * span_px)
    best = 0
    for t in (v, np.log10(v) if np.all(v > 0) else None):
        fit = None if t is None else robust_line(pix, t, tol)
        best = max(best, 0 if fit is None else int(fit[2].sum()))
    return best


def _mend_minus_signs(axis: str, cands: list[_Candidate], span_px: float) -> None:
    """Minus signs OCR got wrong on some labels of an axis, mended where that puts every
    label on one line and fewer are as read.

    Small labels lose their minus signs ("-8, 6, 4, 2, 0": each one a few pixels) or gain
    one (the end of a rotated axis title beside "20"). The labels are tried all positive and
    all negative; of two readings that both fit, the one with values rising along the axis
    (rightward, upward) is taken: axes are seldom inverted.
    """
    nums = [c for c in cands if c.number is not None and not c.power]
    values = [float(c.number) for c in nums]  # type: ignore[arg-type]
    if len(nums) < 3 or not (min(values) < 0 < max(values)):
        return
    as_read = _agreeing(nums, values, span_px)
    pix = np.array([c.pixel for c in nums])
    best: list[float] | None = None
    for trial in ([abs(v) for v in values], [-abs(v) for v in values]):
        if _agreeing(nums, trial, span_px) < len(nums) or as_read >= len(nums):
            continue
        slope = float(np.polyfit(pix, trial, 1)[0])
        rising = slope > 0 if axis == "x" else slope < 0
        if best is None or rising:
            best = trial
    if best is not None:
        for c, v in zip(nums, best, strict=True):
            c.number = v


def _drop_crowded(cands: list[_Candidate]) -> list[_Candidate]:
    """Labels much closer to a neighbour than labels are spaced, all but the one OCR is
    surest of dropped: two tick labels do not share a place (the other is a piece of
    another text row, or a label read twice)."""
    if len(cands) < 4:
        return cands
    order = sorted(cands, key=lambda c: c.pixel)
    gaps = np.diff([c.pixel for c in order])
    close = 0.4 * float(np.median(gaps))
    if close <= 0:
        return cands
    dropped: set[int] = set()
    for a, b in zip(order, order[1:], strict=False):
        if b.pixel - a.pixel < close and id(a) not in dropped and id(b) not in dropped:
            dropped.add(id(a) if a.conf < b.conf else id(b))
    return [c for c in cands if id(c) not in dropped]


# --------------------------------------------------------------------------------------------
# one axis


#: px within which labels snapped to measured tick marks lie on their line
TIGHT_PX = 1.5
#: rms (px) of a fit's snapped labels above which a tighter line is looked for
LOOSE_RMS_PX = 2.0


def tight_consensus(pix: np.ndarray, t: np.ndarray, snapped: np.ndarray,
                    inliers: np.ndarray, tol: float) -> tuple[float, float, np.ndarray] | None:
    """A line through the labels snapped to tick marks that agree within :data:`TIGHT_PX`,
    where the fit's loose tolerance let misread labels in, or None.

    The fit keeps labels within a few pixels (label centres only estimate a tick). Two
    misread labels off to opposite sides ("-7.5" and "7.5" both read with a 9) can then
    tilt a line that takes them and all but one of the right ones, the right ones left a
    few pixels off: more labels than the line through the right ones alone. Labels snapped
    to measured marks lie within a pixel or so of their line, so when the fit's snapped
    labels scatter by more than :data:`LOOSE_RMS_PX` and four or more of them, most of the
    snapped ones, agree within :data:`TIGHT_PX`, their line is the map; the inliers are
    the points within ``tol`` of it.

    Parameters
    ----------
    pix, t : ndarray
        Pixel positions and values of the labels.
    snapped, inliers : ndarray of bool
        Labels snapped to a tick mark or gridline; labels the fit keeps.
    tol : float
        The fit's tolerance (px).

    Returns
    -------
    (slope, intercept, inliers) or None
    """
    keep = snapped & inliers
    if keep.sum() < 4 or snapped.sum() < 4:
        return None
    slope, icpt = np.polyfit(pix[inliers], t[inliers], 1)
    rms = float(np.sqrt(np.mean(((t[keep] - icpt) / slope - pix[keep]) ** 2)))
    if rms <= LOOSE_RMS_PX:
        return None
    s = np.flatnonzero(snapped)
    fit = robust_line(pix[s], t[s], TIGHT_PX)
    if fit is None or fit[2].sum() < max(4, 0.6 * len(s)):
        return None
    slope, icpt = np.polyfit(pix[s[fit[2]]], t[s[fit[2]]], 1)
    inl = np.abs((t - icpt) / slope - pix) <= tol
    slope, icpt = np.polyfit(pix[inl], t[inl], 1)
    return float(slope), float(icpt), inl


def drop_lone_outlier(pix: np.ndarray, t: np.ndarray, inliers: np.ndarray,
                      min_px: float = 1.5, ratio: float = 5.0) -> np.ndarray:
    """The inlier furthest off the line dropped when the others agree much better.

    The robust fit keeps every point within a tolerance of a few pixels, so one label
    paired with the wrong mark (the frame line beside its tick, a label box grown over a
    neighbour) stays in and tilts the map. With four or more inliers, the worst one is
    dropped when, against the line through the others, it lies more than ``min_px``
    pixels, ``ratio`` times their RMS and 2% of the labels' spacing off (a few pixels
    on a chart whose labels stand hundreds apart are drawing, not a wrong pairing).

    Parameters
    ----------
    pix, t : ndarray
        Pixel positions and values (or log10 values) of the points.
    inliers : ndarray of bool
        The points the fit keeps.
    min_px, ratio : float
        How far off (pixels, and times the others' RMS) a point must lie to be dropped.

    Returns
    -------
    ndarray of bool
        ``inliers``, with at most one point more left out.
    """
    idx = np.flatnonzero(inliers)
    if len(idx) < 4 or np.ptp(t[idx]) == 0:
        return inliers
    slope, icpt = np.polyfit(pix[idx], t[idx], 1)
    if slope == 0:
        return inliers
    worst = idx[np.argmax(np.abs((t[idx] - icpt) / slope - pix[idx]))]
    rest = idx[idx != worst]
    if np.ptp(t[rest]) == 0:
        return inliers
    slope, icpt = np.polyfit(pix[rest], t[rest], 1)
    rms = float(np.sqrt(np.mean(((t[rest] - icpt) / slope - pix[rest]) ** 2)))
    step = float(np.median(np.diff(np.sort(pix[idx]))))
    if abs((t[worst] - icpt) / slope - pix[worst]) <= max(min_px, ratio * rms, 0.02 * step):
        return inliers
    out = inliers.copy()
    out[worst] = False
    return out


def log_minor_ticks(
    ticks: np.ndarray, slope: float, intercept: float, pixel_range: tuple[float, float],
    labelled: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Unlabelled tick marks of a log axis matched to the minor places ``log10(m·10^k)``.

    Log axes mark ``2..9 × 10^k`` with unlabelled ticks. Where (nearly) every such place
    the current map predicts within the ticked stretch has a tick mark close by, the marks
    are more points on the map, over the whole axis rather than the few labelled decades.

    Parameters
    ----------
    ticks : ndarray
        Pixel positions of the tick marks and gridlines found along the axis.
    slope, intercept : float
        The map ``log10(value) = slope * pixel + intercept`` from the labels.
    pixel_range : (float, float)
        The first and last pixel of the plot area along the axis.
    labelled : ndarray
        Pixel positions of the labelled ticks (left out: they are points already).

    Returns
    -------
    (ndarray, ndarray)
        Pixel positions and ``log10`` values of the matched minor ticks; both empty when
        fewer than three minor places, or under 60% of those in reach, have a tick mark
        (unless the marks are those of the first mantissas of every decade, the crowded
        rest not found: :func:`_resolved_minors`).
    """
    none = (np.zeros(0), np.zeros(0))
    ticks = np.asarray(ticks, float)
    if len(ticks) < 4 or slope == 0:
        return none
    lo = max(min(pixel_range), float(ticks.min()) - 0.5)
    hi = min(max(pixel_range), float(ticks.max()) + 0.5)
    t_lo, t_hi = sorted((slope * lo + intercept, slope * hi + intercept))
    if not np.isfinite(t_lo) or t_hi - t_lo > 30:
        return none
    decades = np.arange(np.floor(t_lo) - 1, np.ceil(t_hi) + 1)
    places = (decades[:, None] + np.log10(np.arange(1, 10))[None, :]).ravel()
    order = np.argsort((places - intercept) / slope)
    px = ((places - intercept) / slope)[order]
    mantissa = np.tile(np.arange(1, 10), len(decades))[order]
    gap = np.minimum(np.diff(px, prepend=-np.inf), np.diff(px, append=np.inf))
    tol = np.minimum(1.5, 0.3 * gap)
    reach = (px >= lo) & (px <= hi)
    labelled = np.asarray(labelled, float)
    free = np.array([len(labelled) == 0 or np.min(np.abs(labelled - p)) > 1.5 for p in px])
    want = reach & free
    if want.sum() < 3:
        return none
    near = np.abs(ticks[None, :] - px[:, None])
    best = near.argmin(axis=1)
    hit = want & (near[np.arange(len(px)), best] <= tol)
    if hit.sum() < 3 or (hit.sum() < 0.6 * want.sum()
                         and not _resolved_minors(mantissa, want, hit)):
        return none
    return ticks[best[hit]], slope * px[hit] + intercept


def _resolved_minors(mantissa: np.ndarray, want: np.ndarray, hit: np.ndarray) -> bool:
    """Whether the minor marks found are those of the first mantissas of every decade.

    Minor places crowd towards the next decade (9×10^k lies 4.6% of a decade from 10^k+1):
    at low resolution the marks of 5..9 run together and are not found, those of 2, 3, 4
    are, in every decade. Then the marks of mantissas ``2..k`` each (nearly) every decade,
    and the crowded ones beyond are not counted against them.

    Parameters
    ----------
    mantissa : ndarray of int
        Each minor place's mantissa (1..9), in the order of ``want`` and ``hit``.
    want, hit : ndarray of bool
        The places looked for, and those with a mark found.

    Returns
    -------
    bool
        True when mantissas ``2..k`` (k >= 3) are found at 60% or more of their places,
        with three marks at least, and those past ``k`` at 20% or fewer.
    """
    share = {}
    for m in range(2, 10):
        w = want & (mantissa == m)
        share[m] = float(hit[w].mean()) if w.any() else None
    k = 1
    while k < 9 and share[k + 1] is not None and share[k + 1] >= 0.6:  # type: ignore[operator]
        k += 1
    if k < 3:
        return False
    first = want & (mantissa <= k)
    beyond = want & (mantissa > k)
    return bool(hit[first].sum() >= 3 and (not beyond.any() or hit[beyond].mean() <= 0.2))


FLUSH_BETTER_PX = 0.25  # px less residual that makes the flush reading the better one


def _with_flush_ends(axis: str, cands: list[_Candidate], scale: str, span_px: float, got):
    """``got`` (a :func:`_fit` of ``cands``), or the fit with an end label moved to its
    other tick (:attr:`_Candidate.other_pixel`) where more labels then agree, or as many (three
    or more: two labels fit any pixels) with a residual :data:`FLUSH_BETTER_PX` smaller.
    A moved candidate keeps the pixel it left as its other one (the next
    scale tried may want it back)."""
    for c in cands:
        if c.other_pixel is None:
            continue
        here, c.pixel = c.pixel, c.other_pixel
        trial = _fit(axis, cands, scale, span_px)
        if trial is not None and (got is None or trial[1] > got[1] or (
                trial[1] == got[1] >= 3
                and trial[0].residual < got[0].residual - FLUSH_BETTER_PX)):
            got, c.other_pixel = trial, here
        else:
            c.pixel = here
    return got


def _fit(axis: str, cands: list[_Candidate], scale: str, span_px: float):
    """Fit one scale; returns (AxisMap-without-range, n_inliers) or None."""
    if scale == "date":
        pts = [(c.pixel, c.date, c) for c in cands if c.date is not None]
    elif scale == "date-dayfirst":
        pts = [(c.pixel, c.date_dayfirst, c) for c in cands if c.date_dayfirst is not None]
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
    snapped_all = np.array([q[2].snapped for q in pts])
    tight = tight_consensus(pix, t, snapped_all, inl, tol)
    if tight is not None:
        slope, intercept, inl = tight
    # tick marks and gridlines are measured, label centres only estimate a tick: a label
    # centre much further off the line than the measured ticks (its box grew over a tick
    # mark or a neighbour) is dropped
    snapped = np.array([q[2].snapped for q in pts]) & inl
    centred = np.array([q[2].centred for q in pts])
    # two marks alone make a line no third checks (a JPEG tick 3 px off tilts it): upright
    # x labels, centred on their ticks with no bias to take off, are not judged by it
    if (snapped.sum() >= 3 or not np.all(centred[~snapped & inl])) and snapped.sum() >= 2 and (
            ~snapped & inl).any() and np.ptp(pix[snapped]) >= 0.3 * span_px:
        s_slope, s_icpt = np.polyfit(pix[snapped], t[snapped], 1)
        signed = (t - s_icpt) / s_slope - pix
        free = ~snapped & inl
        shift = float(np.median(signed[free]))
        if free.sum() >= 3 and abs(shift) >= 1.0 and np.all(np.abs(signed[free] - shift) <= 0.5
                                                            * abs(shift) + 1.0):
            # the unsnapped positions all lie off to one side by as much (the ends of labels
            # set at an angle): a bias of the estimate, taken off
            pix = np.where(free, pix + shift, pix)
            slope, intercept = np.polyfit(pix[inl], t[inl], 1)
            signed = (t - s_icpt) / s_slope - pix
        resid = np.abs(signed)
        spread = float(np.sqrt(np.mean(resid[snapped] ** 2)))
        far = ~snapped & inl & (resid > max(2.0, 4.0 * spread))
        # a few stray centres, not most labels (rotated labels' anchors all lie a few
        # pixels off: dropping them would leave a coincidence of the snapped few)
        if far.any() and (inl & ~far).sum() >= max(2, 0.5 * inl.sum()):
            inl = inl & ~far
            slope, intercept = np.polyfit(pix[inl], t[inl], 1)
    lone = drop_lone_outlier(pix, t, inl)
    if lone.sum() < inl.sum():
        inl = lone
        slope, intercept = np.polyfit(pix[inl], t[inl], 1)
        # a label dropped for the mark it was snapped to (a JPEG "tick" a few pixels off
        # its own) is read right: back at its own place when that lies on the line
        for j in np.flatnonzero(~inl):
            own = pts[j][2].own
            if own is None or slope == 0:
                continue
            off = abs((t[j] - intercept) / slope - own)
            if off <= 1.0:
                pix[j], inl[j] = own, True
                slope, intercept = np.polyfit(pix[inl], t[inl], 1)
    if scale in ("linear", "log"):
        fine = np.array([np.nan if q[2].fine is None else q[2].fine for q in pts], float)
        snapped = np.array([q[2].snapped for q in pts])
        crisp = np.array([q[2].crisp for q in pts])
        moved = None
        if not (inl & snapped & ~crisp).any():  # ticks rounded to whole pixels, all
            whole = labels_on_whole_pixels(fine[inl & snapped & np.isfinite(fine)])
            moved = on_label_places(pix, fine, inl, snapped, 1.0 if axis == "y" and not whole
                                    else X_LABEL_WEIGHT)
        if moved is None:
            own = np.array([q[2].own if q[2].crisp and q[2].own is not None else np.nan
                            for q in pts], float)
            moved = with_label_rounding(pix, own, inl)
        if moved is not None:
            pix = moved
            slope, intercept = np.polyfit(pix[inl], t[inl], 1)
    ticks = [Tick(float(p), float(10**tt if scale == "log" else tt), q[2].label, bool(ok))
             for p, tt, q, ok in zip(pix, t, pts, inl, strict=False)]
    resid = _rms_px(pix[inl], t[inl], slope, intercept)
    dec = max((q[2].decimals for q, ok in zip(pts, inl, strict=False) if ok), default=0)
    amap = AxisMap(axis, scale.split("-")[0], slope, intercept, ticks, resid, decimals=dec + 2)
    return amap, int(inl.sum())


#: how much smaller (share) the residual of gnuplot's even-month ticks must be to be taken
EVEN_MONTH_BETTER = 0.6
#: residual (px) of the first-day fit below which gnuplot's ticks are not tried: hours a
#: fraction of a pixel apart (a span of years) are noise to a fit, not a sign
EVEN_MONTH_MIN_PX = 0.5


def _even_month_fit(axis: str, cands: list[_Candidate], got, scale: str, span_px: float):
    """``got`` (the fit of ``scale``, ``"date"`` or ``"date-dayfirst"``), or the fit of the
    same labels at gnuplot's even-month ticks (:func:`labels.even_month_tick`) where those
    lie on a straighter line.

    Labels naming months (or years) alone mark ticks at the months' first days in most
    renderers, but a few hours later in gnuplot's (its months are even twelfths of a year:
    up to a day, several pixels on an axis of a few months). The tick hours are taken where
    every label fitted is a month's first day, as many labels agree (three at least) and the
    residual is :data:`EVEN_MONTH_BETTER` of the other or less, that one
    :data:`EVEN_MONTH_MIN_PX` at least."""
    amap, n = got
    field = "date_dayfirst" if scale == "date-dayfirst" else "date"
    dated = [c for c in cands if getattr(c, field) is not None]
    moved = [labels.even_month_tick(float(getattr(c, field))) for c in dated]
    if n < 3 or amap.residual < EVEN_MONTH_MIN_PX or any(m is None for m in moved) or any(
            labels.even_month_tick(t.value) is None for t in amap.ticks):
        return got
    shifted = [replace(c, **{field: m}) for c, m in zip(dated, moved, strict=True)]
    trial = _fit(axis, shifted, scale, span_px)
    if trial is None or trial[1] < n or trial[0].residual > EVEN_MONTH_BETTER * amap.residual:
        return got
    return trial


LABEL_WEIGHT = 0.5  # share of a label's own rounding averaged into its snapped tick's
# share of the way an x tick (or one whose labels are drawn at whole pixels) moves to its
# label's sub-pixel place (a y tick goes all of it)
X_LABEL_WEIGHT = 0.5


def labels_on_whole_pixels(places: np.ndarray, tol: float = 0.06) -> bool:
    """Whether labels' sub-pixel places (:func:`label_ink_place`) share one phase against
    the pixel grid: text drawn at whole pixels (gnuplot, ggplot2), each label rounded as a
    tick mark is, not where its value puts it (matplotlib, Vega). Three or more places."""
    p = np.asarray(places, float)
    if len(p) < 3:
        return False
    angle = 2 * np.pi * p
    spread = 1.0 - float(np.hypot(np.cos(angle).mean(), np.sin(angle).mean()))
    # (1 - |mean resultant|) ~ 2 pi^2 sd^2 for phases sd apart (in pixels)
    return spread <= 2 * np.pi**2 * tol**2


def on_label_places(pix: np.ndarray, fine: np.ndarray, inliers: np.ndarray,
                    snapped: np.ndarray, weight: float = 1.0,
                    reach: float = 2.0) -> np.ndarray | None:
    """Snapped tick positions moved to their labels' sub-pixel places, less the offset
    common to the axis's labels, or None where that does not apply.

    Renderers round tick marks and gridlines to whole pixels (matplotlib snaps them, Vega
    rounds them to whole CSS pixels: up to ``r / 2`` px off at a pixel ratio ``r``), and
    on a short axis a few ticks rounded alike tilt the map past 0.2% of the span. Their
    labels are drawn where their values put them, to a fraction of a pixel
    (:func:`label_ink_place`), a constant offset from their ticks: the offset is taken as
    the mean over the ticks (where their roundings average out), and each tick placed at
    its label plus that offset (``weight`` of the way there: an x label's ink is centred
    on its tick only up to its glyphs' side bearings, a leading "1" sitting 0.3-0.5 px
    right of where a "2" would; labels drawn at whole pixels, :func:`labels_on_whole_pixels`,
    are rounded as the ticks are; a y label's digits all span one height). A label on no
    mark found (its tick hidden, or not told from the minor ones) is put at its place
    plus that offset rather than at its box's centre.

    Applies when every snapped inlier has its label's place, three or more; a label more
    than ``reach`` px off the others' offset (a box grown over a neighbour, Vega's end
    labels set flush with their ticks; two ticks rounded apart at a pixel ratio of 2
    differ by up to 2 px) leaves its position as it is.

    Parameters
    ----------
    pix : ndarray
        Tick positions (the crisp shift taken off), or label-based ones where unsnapped.
    fine : ndarray
        Each label's sub-pixel place; NaN where unknown.
    inliers : ndarray of bool
        The points the fit keeps.
    snapped : ndarray of bool
        The points whose position is a tick mark, gridline or frame line.
    weight : float
        Share of the way from a tick's position to its label's that it is moved.
    reach : float
        The largest offset (px) a label may have from the others' and be used.

    Returns
    -------
    ndarray or None
        The positions moved, or None.
    """
    marked = inliers & snapped
    use = marked & np.isfinite(fine)
    if use.sum() < 3 or use.sum() < marked.sum():
        return None
    off = pix - fine
    take = use & (np.abs(off - np.median(off[use])) <= reach)
    if take.sum() < 3:
        return None
    common = float(np.mean(off[take]))
    out = np.where(take, pix + weight * (fine + common - pix), pix)
    free = inliers & ~snapped & np.isfinite(fine)
    free[free] = np.abs(fine[free] + common - pix[free]) <= reach
    return np.where(free, fine + common, out)


def with_label_rounding(pix: np.ndarray, own: np.ndarray, inliers: np.ndarray,
                        weight: float = LABEL_WEIGHT, reach: float = 1.0) -> np.ndarray | None:
    """Snapped tick positions averaged with their labels' own places (each label's offset
    from its tick, less the labels' common offset), or None where that does not apply.

    A renderer that snaps its tick marks to whole pixels (matplotlib) rounds each tick by
    up to half a pixel, and on a short axis a few ticks rounded alike tilt the map past
    0.2% of the span. The labels are placed at whole pixels too, but offset from their
    ticks by half their text's width: rounded independently of the ticks. Their common
    offset (the labels' side of the tick, the glyphs' bearing) is taken off; what is left
    of each label's offset is its own rounding against its tick's, which ``weight`` of it
    averages out (0.5: tick and label rounded alike). Over the corpus's crisp axes this
    cuts the mean end error by a quarter.

    Applies when every inlier is a crisp tick with its label's place, three or more;
    labels more than ``reach`` px off the common offset (a box grown over a neighbour)
    leave their ticks as they are.

    Parameters
    ----------
    pix : ndarray
        Tick positions (the crisp shift taken off).
    own : ndarray
        Each label's own place (centre, or anchor of a rotated label); NaN where the
        position is no crisp tick or the label's place is unknown.
    inliers : ndarray of bool
        The points the fit keeps.
    weight, reach : float
        Share of a label's own rounding taken, and the largest offset (px) it may have.

    Returns
    -------
    ndarray or None
        The positions moved, or None.
    """
    use = inliers & np.isfinite(own)
    if use.sum() < 3 or use.sum() < inliers.sum():
        return None
    off = own - pix
    dev = off - np.median(off[use])
    take = use & (np.abs(dev) <= reach)
    return np.where(take, pix + weight * np.where(take, dev, 0.0), pix)


_DIGIT_LOOKALIKES = str.maketrans({"I": "1", "l": "1", "i": "1", "|": "1", "!": "1",
                                   "O": "0", "o": "0", "S": "5", "Z": "2", "B": "8"})
_NUMBERED = re.compile(r"^(\D+?)(\d+)$")


def mend_numbered_labels(texts: list[str], index: np.ndarray) -> list[str]:
    """Category labels numbered in step (``Q1 Q2 Q3``) with one OCR misread (``QI``) mended.

    Parameters
    ----------
    texts : list of str
        The labels in category order.
    index : ndarray
        Each label's category index (a label OCR missed leaves a gap).

    Returns
    -------
    list of str
        ``texts`` with a label mended where it is the others' common prefix followed by
        digit look-alikes (``I l O S Z B``) that read as exactly the number the others'
        step puts at its index; everything else unchanged.
    """
    found = [_NUMBERED.match(t) for t in texts]
    good = [(float(i), int(m.group(2)), m.group(1)) for i, m in zip(index, found, strict=True)
            if m]
    if len(good) < 2 or len({g[2] for g in good}) != 1:
        return texts
    prefix = good[0][2]
    ii = np.array([g[0] for g in good])
    nn = np.array([g[1] for g in good], dtype=float)
    if np.ptp(ii) == 0:
        return texts
    b, a = np.polyfit(ii, nn, 1)
    if np.abs(a + b * ii - nn).max() > 1e-6 or abs(b - round(b)) > 1e-6 or round(b) == 0:
        return texts  # not numbered in one step
    out = list(texts)
    for k, (t, m) in enumerate(zip(texts, found, strict=True)):
        if m is not None or not t.startswith(prefix) or len(t) == len(prefix):
            continue
        tail = t[len(prefix):].translate(_DIGIT_LOOKALIKES)
        if tail.isdigit() and abs(int(tail) - (a + b * float(index[k]))) < 1e-6:
            out[k] = prefix + tail
    return out


WORDY_LETTERS = 0.75  # share of a label's characters that are letters: a word, no number


def _wordy(words: list[_Candidate]) -> bool:
    """Whether unsure labels are words all the same: three or more, each at a tick mark and
    of three letters or more, nearly all letters (a misread number keeps digits)."""
    return len(words) >= 3 and all(
        c.snapped and sum(ch.isalpha() for ch in c.label) >= max(3, WORDY_LETTERS * len(c.label))
        for c in words)


def _category_axis(axis: str, cands: list[_Candidate]) -> AxisMap | None:
    """Text labels at equal steps: category ``i`` (in pixel order) at the i-th label centre."""
    words = [c for c in cands if c.number is None and c.date is None
             and sum(ch.isalpha() for ch in c.label) >= 1 and len(c.label) >= 2]
    if len(words) < 2 or len(words) < 0.6 * len(cands):
        return None
    # misread numbers come out as repeated junk with low confidence; categories do not,
    # though crowded ones (each label's crop catching its neighbours' ends) read unsure too
    conf = float(np.mean([c.conf for c in words]))
    if len({c.label for c in words}) < len(words) or (conf < 60 and not _wordy(words)):
        return None
    words.sort(key=lambda c: c.pixel)
    if axis == "y":
        words.reverse()  # the first category at the bottom
    pix = np.array([c.pixel for c in words])
    idx = np.arange(len(words), dtype=float)
    if len(words) >= 3:
        # a label OCR missed leaves a double step: the categories after it keep their place
        step = float(np.median(np.abs(np.diff(pix))))
        if step > 0:
            idx = np.round(np.abs(pix - pix[0]) / step)
            if len(set(idx.tolist())) < len(idx):
                idx = np.arange(len(words), dtype=float)
    slope, intercept = np.polyfit(pix, idx, 1)
    texts = mend_numbered_labels([c.label for c in words], idx)
    words = [replace(c, label=t) for c, t in zip(words, texts, strict=True)]
    ticks = [Tick(float(c.pixel), float(i), c.label) for i, c in zip(idx, words, strict=True)]
    resid = _rms_px(pix, idx, float(slope), float(intercept))
    names = [""] * (int(idx.max()) + 1)
    for i, c in zip(idx, words, strict=True):
        names[int(i)] = c.label
    notes = ([f"{axis} axis: category labels read unsure (OCR confidence {conf:.0f}): the names "
              "may be misspelt"] if conf < 60 else [])
    return AxisMap(axis, "category", float(slope), float(intercept), ticks, resid,
                   categories=names, decimals=0, warnings=notes, unsure_labels=bool(notes))


def _refit_with_minor_ticks(amap: AxisMap, layout: Layout,
                            pixel_range: tuple[float, float]) -> None:
    """A log map fitted again to its labelled ticks and its minor tick marks (in place)."""
    axis = amap.axis
    # crisp marks drawn past their place, as the labelled ones (see _candidates)
    ticks = _off_crisp_lines(layout.x_ticks if axis == "x" else layout.y_ticks, layout, axis)
    inl = [t for t in amap.ticks if t.inlier and t.value > 0]
    if len(inl) < 2 or len(ticks) < 4:
        return
    lab_px = np.array([t.pixel for t in inl])
    lab_t = np.log10([t.value for t in inl])
    slope, intercept = amap.slope, amap.intercept
    for _ in range(2):  # the minor places again from the better map
        mpx, mt = log_minor_ticks(ticks, slope, intercept, pixel_range, lab_px)
        if len(mpx) == 0:
            return
        slope, intercept = np.polyfit(np.concatenate([lab_px, mpx]),
                                      np.concatenate([lab_t, mt]), 1)
    amap.slope, amap.intercept = float(slope), float(intercept)


def _minor_ticks_say_log(amap: AxisMap, layout: Layout,
                         pixel_range: tuple[float, float]) -> bool:
    """Whether unlabelled tick marks stand at the log map's minor places (2..9 × 10^k,
    :func:`log_minor_ticks`): what tells a log axis labelled only at its decades' ends
    ("10" and "100", as gnuplot labels one decade) from a linear one, which the two labels
    fit alike."""
    ticks = _off_crisp_lines(layout.x_ticks if amap.axis == "x" else layout.y_ticks,
                             layout, amap.axis)
    lab_px = np.array([t.pixel for t in amap.ticks if t.inlier])
    mpx, _ = log_minor_ticks(ticks, amap.slope, amap.intercept, pixel_range, lab_px)
    return len(mpx) >= 3


def calibrate_axis(
    axis: str,
    layout: Layout,
    value_range: tuple[float, float] | None = None,
    scale: str | None = None,
    rgb: np.ndarray | None = None,
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
        Force ``"linear"``, ``"log"``, ``"date"`` or ``"category"`` instead of detecting it.
    rgb : ndarray, optional
        The image, used to re-read raised exponents of ``10^k`` labels.

    Raises
    ------
    AxisError
        If fewer than two labels agree on a map (and no range was given).
    """
    p = layout.plot_area
    pixel_range = (float(p.left), float(p.right - 1)) if axis == "x" else (
        float(p.top), float(p.bottom - 1))
    span_px = pixel_range[1] - pixel_range[0]
    edges = layout.x_edges if axis == "x" else layout.y_edges
    limits = None
    if edges is not None and abs((edges[1] - edges[0]) - span_px) <= max(6.0, 0.03 * span_px):
        # crisp frame lines are drawn past their place as the tick marks are
        first, last = _off_crisp_lines(sorted(edges), layout, axis)
        limits = (float(first), float(last))
    if value_range is not None:
        lo, hi = (float(v) for v in value_range)
        sc = scale or "linear"
        if sc == "log":
            lo, hi = np.log10(lo), np.log10(hi)
        # lo at the left (x) / bottom (y) end
        ends = limits or pixel_range
        a, b = (ends[0], ends[1]) if axis == "x" else (ends[1], ends[0])
        slope = (hi - lo) / (b - a)
        return AxisMap(axis, sc, slope, lo - slope * a, [], 0.0, pixel_range=pixel_range,
                       limits=limits)
    cands = _candidates(axis, layout, rgb)
    offset_text = layout.x_offset_text if axis == "x" else layout.y_offset_text
    date_offset = labels.parse_date_offset(offset_text) if offset_text else None
    days: list[float | None] | None = None
    assumed: str | None = None
    if scale in (None, "date"):
        ordered = sorted(cands, key=lambda c: c.pixel)
        texts = [c.label for c in ordered]
        days = None
        if date_offset is not None:
            # an offset naming the day is an hourly axis (times, the day named at midnight)
            days = labels.clock_dates(texts, [c.pixel for c in ordered], date_offset,
                                      loose=date_offset[2] is not None)
        if days is None and date_offset is not None:
            days = labels.concise_dates(texts, date_offset)
        if days is None and axis == "x":
            days = labels.month_year_dates(texts)
        if days is None and axis == "x":
            days = labels.year_dates(texts, layout.x_label)
        if days is None:
            days = labels.compact_iso_dates(texts)
        if days is None and axis == "x":
            # month names alone, or "06-13 10" (hours): the year from the offset text (the
            # last tick's: ConciseDateFormatter's months short of a January), the axis or
            # chart title, else assumed
            year = next((y for y in (labels.year_of(t or "") for t in
                                     (layout.x_label, layout.title)) if y), None)
            last_year = date_offset[0] if date_offset is not None else None
            what = "month names"
            days = labels.ending_in(labels.month_name_dates, texts, last_year) if last_year \
                else labels.month_name_dates(texts, year or labels.DEFAULT_YEAR)
            if days is None:
                days = labels.month_day_hour_dates(texts, year or labels.DEFAULT_YEAR)
                what = "dates"
            year = year or last_year
            if days is not None and year is None:
                assumed = (f"x axis: {what} without a year; year "
                           f"{labels.DEFAULT_YEAR} assumed")
            if days is None:
                # "05 10:10" (minutes): neither month nor year on the labels
                days = labels.day_time_dates(texts, year or labels.DEFAULT_YEAR, 1)
                if days is not None:
                    assumed = (f"x axis: days and times without a month; "
                               f"{year or labels.DEFAULT_YEAR}-01 assumed")
        if days is not None:
            for c, d in zip(ordered, days, strict=True):
                c.date, c.date_dayfirst = d, None
                c.number = None
    multiplier, offset = _offset_multiplier(offset_text)
    if multiplier != 1.0 or offset:
        for c in cands:
            if c.number is not None:
                c.number = c.number * multiplier + offset
                c.decimals = max(0, c.decimals - int(round(np.log10(multiplier))))
    _restore_thousands(cands, span_px)
    _restore_decimal_points(cands, span_px)
    _unround_repeated(cands)
    _mend_minus_signs(axis, cands, span_px)
    fits = {}
    n_dates = max(sum(c.date is not None for c in cands),
                  sum(c.date_dayfirst is not None for c in cands))  # 16/02/2017: day first
    # labels dated as a whole (hourly, ConciseDateFormatter, years) are a date axis even
    # when OCR lost many of them
    dates = n_dates >= 2 and (n_dates >= 0.5 * len(cands) or days is not None)
    pw = [c.number for c in cands if c.power and c.number is not None and c.number > 0]
    # 10^k labels are log ticks; m×10^k ones are log ticks too (10^1, 2×10^1...) or linear
    # ones sharing an exponent (gnuplot's 2×10^6, 4×10^6...): both are fitted then, and the
    # one most labels agree with wins
    decades = len(pw) >= 2 and all(abs(np.log10(v) - round(np.log10(v))) < 1e-6 for v in pw)
    scales = [scale] if scale else (
        ["date", "date-dayfirst"] if dates else ["log"] if decades else ["linear", "log"])
    if scale == "date":
        scales.append("date-dayfirst")
    for sc in scales:
        got = _with_flush_ends(axis, cands, sc, span_px, _fit(axis, cands, sc, span_px))
        spread_cands = _dates_spread(cands, sc) if sc.startswith("date") else None
        if spread_cands is not None:
            spread = _fit(axis, spread_cands, sc, span_px)
            if spread is not None and (got is None or spread[1] > got[1]):
                got = spread  # (more labels agree with the repeated dates spread)
        if got is not None:
            fits[sc] = got
    if not fits and scale in (None, "category"):
        amap = _category_axis(axis, cands)
        if amap is not None:
            amap.pixel_range, amap.limits = pixel_range, limits
            return amap
    if not fits:
        name = "x" if axis == "x" else "y"
        raise AxisError(
            f"could not read the {name} axis tick labels; pass --{name}-range LO HI"
        )
    if scale is None and not any(sc.startswith("date") for sc in fits) and (
            date_offset is not None and date_offset[1] is not None):
        # ConciseDateFormatter's offset ("2017-Aug-28") says the labels are dates: numbers
        # read from them (labels set over each other, "7}" "090") map no date
        name = "x" if axis == "x" else "y"
        raise AxisError(
            f"the {name} axis labels are dates (offset '{offset_text}') but could not be "
            f"read as dates; pass --{name}-range LO HI"
        )
    date_scale = "date"  # the reading of n/n/yyyy labels taken
    if "date" in fits and "date-dayfirst" in fits:
        # n/n/yyyy labels: the reading whose dates sit on a straight line (d/m vs m/d)
        (m1, n1), (m2, n2) = fits["date"], fits["date-dayfirst"]
        if (n2, -m2.residual) > (n1, -m1.residual):
            fits["date"] = fits["date-dayfirst"]
            date_scale = "date-dayfirst"
        del fits["date-dayfirst"]
    if "date" in fits:
        fits["date"] = _even_month_fit(axis, cands, fits["date"], date_scale, span_px)
    best = "linear" if "linear" in fits else next(iter(fits))
    if "log" in fits and "linear" in fits:
        lin, n_lin = fits["linear"]
        log, n_log = fits["log"]
        # a log axis: (nearly) all labels equally spaced in log10, more than in linear
        if n_log > n_lin and n_log >= max(3, 0.75 * len(log.ticks)):
            best = "log"
        elif n_log == n_lin and _minor_ticks_say_log(log, layout, pixel_range):
            best = "log"
    amap = fits[best][0]
    amap.pixel_range, amap.limits = pixel_range, limits
    if amap.scale == "date" and days is not None and assumed:
        amap.warnings.append(assumed)
        amap.year_assumed = True
    if amap.scale == "log":
        amap.decimals = 6
        _refit_with_minor_ticks(amap, layout, pixel_range)
    n_in = sum(t.inlier for t in amap.ticks)
    if len(amap.ticks) >= 5 and n_in < 0.4 * len(amap.ticks):
        # two labels agreeing among many that do not is a coincidence, not a reading
        name = "x" if axis == "x" else "y"
        raise AxisError(
            f"could not read the {name} axis tick labels consistently ({n_in} of "
            f"{len(amap.ticks)} agree); pass --{name}-range LO HI"
        )
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
        The chart image (used only to re-read superscript exponents of ``10^k`` labels).
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
    if rgb is not None:
        grey = cv2.cvtColor(np.ascontiguousarray(rgb[..., :3]), cv2.COLOR_RGB2GRAY)
        layout.x_tick_shift, layout.y_tick_shift = rounded_line_shifts(
            layout.x_tick_shift, layout.y_tick_shift,
            [label_ink_place(grey, wd.box, "y") for wd in layout.y_tick_labels])
    x = calibrate_axis("x", layout, x_range, x_scale, rgb)
    y = calibrate_axis("y", layout, y_range, y_scale, rgb)
    return x, y


def text_on_whole_pixels(places: list[float | None], tol: float = 0.08,
                         share: float = 0.75) -> bool:
    """Whether most labels' sub-pixel places (:func:`label_ink_place`) share one phase
    against the pixel grid: text drawn at whole pixels. Unlike
    :func:`labels_on_whole_pixels` (all of an axis's snapped labels, one spread) a label
    of other glyphs ("0" below "1x10^-6": its own ink height) may differ: ``share`` of
    three or more within ``tol`` px of one phase."""
    p = np.array([q for q in places if q is not None], float)
    if len(p) < 3:
        return False
    d = np.abs(np.mod(p[:, None] - p[None, :] + 0.5, 1.0) - 0.5)
    return int((d <= tol).sum(axis=1).max()) >= max(3, share * len(p))


def rounded_line_shifts(x_shift: float, y_shift: float, y_places: list[float | None]
                        ) -> tuple[float, float]:
    """The axes' crisp line shifts, with the half-way 0.25 (clean one-pixel lines as dark
    as the text: rounded or snapped, :func:`~digitize.layout.crisp_line_shift`) made 0
    where the y tick labels are drawn at whole pixels (:func:`text_on_whole_pixels`).

    A renderer that rounds its lines to the nearest pixel (gnuplot) rounds its text too:
    every y label's ink then lies at one phase against the pixel grid. Matplotlib, which
    snaps its lines half a pixel past their places, draws text where its value puts it
    (plotnine's labels, matplotlib underneath, take any phase). Over gnuplot's y axes the
    half-way shift left the fit 0.27 px short of the truth on average. (The y labels tell:
    x labels are centred on their ticks by half their width, which takes half pixels.)
    """
    if 0.25 not in (x_shift, y_shift) or not text_on_whole_pixels(y_places):
        return x_shift, y_shift
    return tuple(0.0 if s == 0.25 else s for s in (x_shift, y_shift))  # type: ignore[return-value]

