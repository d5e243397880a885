"""Legend: find the entries (a swatch followed by a label), inside or outside the axes.

An entry is a line of text with a small coloured swatch just left of it. The swatch gives the
series' colour and, where it is thicker than a line, its marker shape. A text line just above
the entries with no swatch of its own is the legend's title.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import ndimage

from . import morphology
from .colors import RGB, SAME_COLOR, dark_rims, dominant_color, lab_distance, to_lab
from .extract import shapes
from .extract.dashes import dash_strokes, same_pattern
from .extract.markers import line_half_width
from .geometry import Box
from .layout import Layout
from .ocr import PSM_LINE, Word, read_words


@dataclass
class LegendEntry:
    """One legend entry: its label, swatch colour and the marker its swatch shows."""

    label: str
    color: RGB
    marker: str | None
    has_line: bool
    text_box: Box
    swatch_box: Box
    dashes: tuple[float, ...] = ()  # stroke lengths along the swatch; () for a solid line
    #: the swatch is too pale for ink (:func:`read_pale_patch`): a translucent band's patch,
    #: whose colour names a series only through the stronger ink it is a tint of
    faint: bool = False
    #: the colour of a swatch on the label's other side that lies nearer it than its own
    #: (:func:`rival_swatches`): the label may be that swatch's, the name another ink's
    rival: RGB | None = None


@dataclass
class Legend:
    """The legend found, or an empty one (``entries == []``)."""

    entries: list[LegendEntry] = field(default_factory=list)
    title: str | None = None
    box: Box | None = None
    #: the entries were read from the row of text the layout took for the chart's title
    #: (Vega's legend on top): that row is no title
    title_row: bool = False


@dataclass
class TextLine:
    words: list[Word]

    @property
    def box(self) -> Box:
        b = self.words[0].box
        for w in self.words[1:]:
            b = b.union(w.box)
        return b

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def group_lines(words: list[Word]) -> list[TextLine]:
    """Join words into text lines: same baseline band, small horizontal gaps."""
    lines: list[TextLine] = []
    for w in sorted(words, key=lambda w: w.box.left):
        cy = (w.box.top + w.box.bottom) / 2
        h = max(4, w.box.height)
        for line in lines:
            lb = line.box
            lcy = (lb.top + lb.bottom) / 2
            gap = w.box.left - lb.right
            if abs(cy - lcy) < 0.5 * max(h, lb.height) and -2 <= gap < 1.6 * max(h, lb.height):
                line.words.append(w)
                break
        else:
            lines.append(TextLine([w]))
    return lines


GLYPH_GAP = 3.5  # text heights between two words an unread glyph may fill, at most
GLYPH_SPACE = 0.9  # text heights of space either side of such a glyph, at most


def join_across_glyphs(rgb: np.ndarray, lines: list[TextLine]) -> list[TextLine]:
    """``lines`` with two lines of one row joined where the space between them holds one
    unread glyph of the text's ink ("ours [+] aug": OCR dropped the '+', and the space it
    leaves is wider than a word's): a single dark, neutral piece no taller than the text,
    about a word space from each side (:func:`_unread_glyph`). A swatch between a label and
    the next entry's stands nearer its own label than the other (see
    :func:`_swatch_side`), or is coloured, or wider than a glyph."""
    out = sorted(lines, key=lambda ln: ln.box.left)
    k = 0
    while k < len(out):
        a = out[k]
        b = next((o for o in out[k + 1:] if _same_row(a.box, o.box)
                  and _unread_glyph(rgb, a.box, o.box)), None)
        if b is None:
            k += 1
            continue
        out[k] = TextLine([*a.words, *b.words])
        out.remove(b)
    return out


END_GLYPH_SPACE = 0.7  # text heights of space before a glyph OCR left off a line's end


def with_unread_last_glyph(rgb: np.ndarray, line: TextLine) -> TextLine:
    """``line`` with a glyph OCR left off its end ("group [A]": a capital alone, read as
    nothing) boxed as a word of no text, for the label's second reading (see
    :func:`reread_label`) to read: one dark neutral piece right after the line, a word
    space or less from it, about as tall as the text and no wider than tall, with no more
    ink after it for a text height (a line sample right of a label runs on; a marker sample
    stands apart in the middle of its line's room)."""
    lb = line.box
    h = max(lb.height, 6)
    top, bottom = max(0, lb.top - h // 3), min(rgb.shape[0], lb.bottom + h // 3)
    right = min(rgb.shape[1], lb.right + int(END_GLYPH_SPACE * h) + int(2.4 * h))
    region = rgb[top:bottom, lb.right:right]
    if region.shape[1] < 2 * h:
        return line
    lab = to_lab(region)
    ink = lab_distance(lab, _border_colour(region)) > INK_FAR
    got = _lone_dark_piece(lab, ink)
    if got is None:
        return line
    xs, ys = got
    width, height = int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)
    if (xs.min() > END_GLYPH_SPACE * h or not 0.6 * h <= height <= 1.4 * h
            or width > 1.2 * height or xs.max() >= region.shape[1] - 1):
        return line
    after = ink[:, xs.max() + 1:]
    after = after[:, ~after.all(axis=0)]  # not a legend's frame, a plot's edge (ruled down)
    marks, _ = ndimage.label(after, structure=np.ones((3, 3), bool))
    # (specks a third of the text high or less: noise, a marker's faint rim)
    if any(sl[0].stop - sl[0].start > h / 3 for sl in ndimage.find_objects(marks)):
        return line
    box = Box(lb.right + int(xs.min()), top + int(ys.min()), lb.right + int(xs.max()) + 1,
              top + int(ys.max()) + 1)
    conf = float(np.mean([w.confidence for w in line.words]))
    return TextLine([*line.words, Word("", box, conf)])


def _lone_dark_piece(lab: np.ndarray, within: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray] | None:
    """The columns and rows of the one piece (8-connected) of dark neutral ink (text's: L
    under 50, not :func:`_tinted`) among the pixels ``within`` of ``lab``, or None where
    there is none or more than one."""
    dark = within & (lab[..., 0] < 50) & ~_tinted(lab)
    pieces, n = ndimage.label(dark, structure=np.ones((3, 3), bool))
    if n != 1:
        return None
    ys, xs = np.nonzero(pieces)
    return xs, ys


def _same_row(a: Box, b: Box) -> bool:
    """Whether text boxes ``a`` and ``b`` are level (centres within half a text height)."""
    h = max(a.height, b.height)
    return abs((a.top + a.bottom) - (b.top + b.bottom)) < h


def _unread_glyph(rgb: np.ndarray, a: Box, b: Box) -> bool:
    """Whether the space between text box ``a`` and text box ``b`` right of it (level with
    it) holds one glyph OCR did not read: one piece of dark neutral ink, no taller than the
    text's line and no wider than it is tall, a word space or so from each box and
    about as far from either."""
    h = max(a.height, b.height, 6)
    gap = b.left - a.right
    if gap < 1.6 * h or gap > GLYPH_GAP * h:
        return False  # a word's space: grouped already; far: no one glyph's room
    top, bottom = max(0, min(a.top, b.top) - 2), min(rgb.shape[0], max(a.bottom, b.bottom) + 2)
    region = rgb[top:bottom, a.right:b.left]
    lab = to_lab(region)
    got = _lone_dark_piece(lab, np.ones(lab.shape[:2], bool))
    if got is None:
        return False
    xs, ys = got
    width, height = int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)
    left_space, right_space = int(xs.min()), int(region.shape[1] - 1 - xs.max())
    return (height <= 1.4 * h and width <= 1.2 * height
            and max(left_space, right_space) <= GLYPH_SPACE * h
            and abs(left_space - right_space) <= 0.4 * h)


def _is_word(word: Word) -> bool:
    """False for swatch strokes Tesseract reads as text ('—o—', '-+-')."""
    text = word.text
    if text in ("+", "&", "/", "(", ")", ":", "%"):
        return True  # joins a label's words ("ours + aug")
    if _named_setting(text):
        return True  # a label's first word, OCR split at its '=' ("lr=" "1e-3")
    if text[:1] in "—–=~" or text[-1:] in "—–=~":
        return False
    return sum(ch.isalnum() or ch == "|" for ch in text) > max(0.5, 0.5 * len(text))


def _named_setting(text: str) -> bool:
    """Whether ``text`` is a name and an equals sign ("lr=", "alpha="): two letters at least
    before it, no marker outlines read as letters ('oo=' beside a swatch's line)."""
    name = text[:-1]
    return (text.endswith("=") and len(name) >= 2 and name.isalnum()
            and any(ch.isalpha() for ch in name) and not _marker_glyphs(name))


def reread_label(rgb: np.ndarray, box: Box, first: TextLine) -> str:
    """Read one label again on its own, as a single line, at three scales; the first reading
    votes too, and the text read most often (then most confidently) wins."""
    pad = max(2, box.height // 4)
    crop = rgb[max(0, box.top - pad) : box.bottom + pad, max(0, box.left - pad) : box.right + pad]
    grey = _neutral_ink(crop)
    base = float(np.clip(24.0 / max(box.height, 1), 1.0, 4.0))
    votes: dict[str, float] = {
        first.text: 100.0 + float(np.mean([w.confidence for w in first.words]))
    }
    for factor in (1.0, 1.4, 1.8):
        words = read_words(grey, psm=PSM_LINE, scale=base * factor)
        text = " ".join(w.text for w in words if _is_word(w)).strip()
        if text:
            conf = float(np.mean([w.confidence for w in words]))
            votes[text] = votes.get(text, 0.0) + 100.0 + conf
            if text == first.text and factor == 1.0:
                break  # the line read alone agrees with the first reading: settled
    return max(votes.items(), key=lambda kv: kv[1])[0]


def _without_marker_word(line: TextLine) -> TextLine:
    """Drop a leading word that is a swatch read as text: a marker read as a letter ('o',
    'O', 'x'), or a dotted or dashed stroke read as a flat, unsure word."""
    first = line.words[0]
    rest = line.words[1:]
    if rest and first.confidence < 60:
        tall = min(w.box.height for w in rest)
        gap = rest[0].box.left - first.box.right
        # flat beside the label, or flattish and a swatch's gap away (not a word's space)
        if first.box.height < 0.5 * tall or (first.box.height <= 0.7 * tall
                                             and gap >= 0.8 * tall):
            return TextLine(rest)  # a dotted or dashed swatch read as a flat word ('cerens')
    if len(line.words) > 1 and len(first.text) == 1:
        # a lone letter is a marker read as text; a lone "digit" wider than tall is too
        if not first.text.isdigit() or first.box.width > 1.2 * first.box.height:
            return TextLine(line.words[1:])
    if len(line.words) > 1 and _marker_glyphs(first.text):
        return _without_marker_word(TextLine(line.words[1:]))  # 'vV vV Model B'
    return line


MARKER_GLYPHS = set("vVoOxX^<>+*")  # letters and signs a marker's outline reads as


def _marker_glyphs(text: str) -> bool:
    """Whether ``text`` is two or three marker outlines read as letters ('vV' for a line
    of triangle markers): none but :data:`MARKER_GLYPHS`."""
    return 2 <= len(text) <= 3 and set(text) <= MARKER_GLYPHS


def _without_tall_junk(line: TextLine) -> TextLine:
    """``line`` without unsure words (confidence under 60) at either end over twice as tall
    as its tallest other word, where a sure word (confidence 60 or more) among those gives
    the label's height: data strokes inside the plot read as text ('NEEP=S' 150 px tall),
    which widen the label's box far past its swatch. A label's words share one height (a
    flat unsure word beside a label is its swatch: the label is not junk beside it)."""
    words = list(line.words)
    while len(words) > 1:
        for end in (0, -1):
            rest = words[1:] if end == 0 else words[:-1]
            w = words[end]
            tallest = max(rest, key=lambda r: r.box.height)
            if (w.confidence < 60 and tallest.confidence >= 60
                    and w.box.height > 2 * tallest.box.height):
                words = rest
                break
        else:
            break
    return line if len(words) == len(line.words) else TextLine(words)


def _clean_label(text: str) -> str:
    """A label without the quote marks, underscores and dots a stroke under its first letter
    reads as ("'_baseline"), and with the numbers in scientific notation mended
    (:func:`_mend_exponents`)."""
    return _mend_exponents(text.lstrip("'’‘`_,.") or text)


_EXPONENT_GAP = re.compile(r"(?<=\de) (?=\d)")  # "1e 3": the minus read as a space
_EXPONENT_ONE = re.compile(r"(?:(?<=^)|(?<=[=\s(]))[lI|](?=e[-+]?\d)")  # "le-3", "=le-6"


def _mend_exponents(text: str) -> str:
    """``text`` with a number in scientific notation read wrong mended: a thin minus read
    as a space ("lr=1e 3": "lr=1e-3") and a leading one read as a letter ("lr=le-6":
    "lr=1e-6"; only where the "l" starts a word or follows "=": "file-2" stays)."""
    return _EXPONENT_ONE.sub("1", _EXPONENT_GAP.sub("-", text))


def _is_texty(line: TextLine) -> bool:
    text = line.text
    return sum(ch.isalnum() for ch in text) >= 1


def _upright(line: TextLine) -> bool:
    """Whether ``line`` reads across, as a legend label does: not text turned on its side (a
    y-axis title, whose words OCR gives one by one in boxes taller than wide), whether alone
    or grouped with upright words beside it (tick labels next to the turned title). A word
    of one or two characters may be taller than wide upright too."""
    def turned(text: str, box: Box) -> bool:
        return sum(ch.isalnum() for ch in text) >= 3 and box.height > 1.5 * box.width

    return not (turned(line.text, line.box) or any(turned(w.text, w.box) for w in line.words))


MARKER_SHAPES: dict[str, list[tuple[float, float]]] = {
    # unit outlines (x right, y down), half-size 1, as matplotlib draws them
    "s": [(-1, -1), (1, -1), (1, 1), (-1, 1)],
    "D": [(0, -1), (1, 0), (0, 1), (-1, 0)],
    "^": [(0, -1), (1, 1), (-1, 1)],
    "v": [(-1, -1), (1, -1), (0, 1)],
}


def _shape_mask(shape: str, size: tuple[int, int], cx: float, cy: float, half: float) -> np.ndarray:
    from skimage.draw import disk, polygon

    out = np.zeros(size, dtype=bool)
    if shape == "o":
        rr, cc = disk((cy, cx), half + 0.5, shape=size)
    else:
        pts = MARKER_SHAPES[shape]
        rr, cc = polygon(
            [cy + y * (half + 0.5) for _, y in pts], [cx + x * (half + 0.5) for x, _ in pts], size
        )
    out[rr, cc] = True
    return out


def classify_marker(mask: np.ndarray) -> tuple[str | None, bool]:
    """Marker shape (``o s D ^ v x`` or None) and whether a line runs through, from a swatch mask.

    The marker's centre is the distance-transform peak; its size the vertical extent of the
    ink at that column. Each candidate outline is drawn at that size (with the line band) and
    the best intersection-over-union wins; thin strokes out to the corners of the marker's
    square are an 'x' (:func:`_stroked_cross`).
    """
    if mask.sum() == 0:
        return None, False
    cols = np.flatnonzero(mask.any(axis=0))
    rows = np.flatnonzero(mask.any(axis=1))
    width = cols[-1] - cols[0] + 1
    height = rows[-1] - rows[0] + 1
    col_heights = mask.sum(axis=0)[cols]
    thin = float(np.percentile(col_heights, 25))
    if width >= 2.2 * max(height, 1) and col_heights.max() <= max(1.3 * thin, thin + 1):
        return None, True  # every inked column as tall as the stroke: a (dashed) line alone
    if height <= 2 and width >= 2 * height:
        return None, True  # one dash of a thin dash-dot handle: no marker is so flat
    has_line = width >= 2.2 * max(height, 1) and thin <= 0.6 * height
    if _stroked_cross(mask, thin):
        return "x", has_line
    dist = morphology.distance(mask)
    peak = float(dist.max())
    if has_line and (height <= thin * 1.6 or peak <= max(1.5, 0.6 * thin + 0.5)):
        return None, True
    cy, cx = np.unravel_index(int(np.argmax(dist)), dist.shape)
    column = mask[:, cx]
    ys = np.flatnonzero(column)
    half = (ys.max() - ys.min()) / 2.0
    cy = (ys.max() + ys.min()) / 2.0
    # centre x: middle of the columns that are taller than the line
    tall = np.flatnonzero(mask.sum(axis=0) > max(thin * 1.5, thin + 2))
    if len(tall):
        # one marker: a swatch may show two (matplotlib's classic style), the line between
        groups = np.split(tall, np.flatnonzero(np.diff(tall) > 1) + 1)
        tall = next((g for g in groups if g[0] <= cx <= g[-1]), max(groups, key=len))
        cx = (tall.min() + tall.max()) / 2.0
        half = max(half, (tall.max() - tall.min()) / 2.0 * 0.5)
    lo = max(0, int(cx - half - 2))
    hi = min(mask.shape[1], int(cx + half + 3))
    window = mask[:, lo:hi]
    line_band = np.zeros_like(mask)
    if has_line:
        t = max(1.0, thin)
        line_band[int(round(cy - t / 2 + 0.5)) : int(round(cy + t / 2 + 0.5)), :] = True
    best, best_iou = None, 0.0
    for shape in ("o", "s", "D", "^", "v"):
        template = (_shape_mask(shape, mask.shape, cx, cy, half) | line_band)[:, lo:hi]
        iou = (template & window).sum() / max(1, (template | window).sum())
        if iou > best_iou:
            best, best_iou = shape, float(iou)
    if best == "s" and not _corners_filled(mask, cx, cy, half):
        best = "o"  # a small disc fits a square about as well; a square fills its corners
    return (best if best_iou > 0.5 else "o"), has_line


def _stroked_cross(mask: np.ndarray, thin: float) -> bool:
    """Whether the swatch's marker is an 'x': in the square of columns taller than the line,
    thin strokes reaching its corners (a corner pixel or its neighbour inked at three
    corners or four), none at the middle of its top and bottom edges (a hollow square's), and
    much of the square empty (a filled marker's is not)."""
    tall = np.flatnonzero(mask.sum(axis=0) > thin)
    if len(tall) == 0:
        return False
    # the middle column of a thin 'x' may be no taller than the line
    tall = max(np.split(tall, np.flatnonzero(np.diff(tall) > 2) + 1), key=len)
    rows = np.flatnonzero(mask[:, tall].any(axis=1))
    box = mask[rows[0] : rows[-1] + 1, tall[0] : tall[-1] + 1]
    h, w = box.shape
    if min(h, w) < 5 or not 0.6 <= w / h <= 1.6 or box.mean() >= 0.7:
        return False
    corners = sum(bool(box[y0 : y0 + 2, x0 : x0 + 2].any())
                  for y0 in (0, h - 2) for x0 in (0, w - 2))
    mid = w // 2
    edges = box[0, mid] or box[-1, mid] or (w % 2 == 0 and (box[0, mid - 1] or box[-1, mid - 1]))
    return corners >= 3 and not edges


def _corners_filled(mask: np.ndarray, cx: float, cy: float, half: float) -> bool:
    """Whether at least three of the four corner pixels of a square marker of half-size ``half``
    centred at ``(cx, cy)`` are inked (a disc's are not: they lie beyond its radius), or its
    box is all but full."""
    d = half
    top, left = int(round(cy - half)), int(round(cx - half))
    box = mask[max(0, top) : int(round(cy + half)) + 1, max(0, left) : int(round(cx + half)) + 1]
    if box.size and box.mean() >= 0.93:
        return True  # a square whose corner pixels anti-aliasing left out
    hits = 0
    for sx in (-1, 1):
        for sy in (-1, 1):
            y, x = int(round(cy + sy * d)), int(round(cx + sx * d))
            if 0 <= y < mask.shape[0] and 0 <= x < mask.shape[1]:
                hits += bool(mask[y, x])
    return hits >= 3


def read_swatch(
    rgb: np.ndarray, line_box: Box, limit_left: int, side: str = "left",
    limit_right: int | None = None, *, glyphs: bool = False,
) -> tuple[RGB, str | None, bool, Box, tuple[float, ...]] | None:
    """The swatch beside a text line: colour, marker, line, box and dash strokes (see
    :func:`~digitize.extract.dashes.dash_strokes`); None if there is none.

    ``side="left"`` looks left of the text (matplotlib, ggplot2, Vega), ``"right"`` right of
    it (gnuplot's key: the label, then the line sample), up to ``limit_right``. With
    ``glyphs``, a blob too tall for a swatch may be an error-bar glyph (a marker with a bar
    through it), read as its marker: a data error bar beside stray text looks the same, so
    this is only for lines aligned with a legend already found.
    """
    h = max(6, line_box.height)
    found = _swatch_region(rgb, line_box, limit_left, side, limit_right)
    if found is None:
        return None
    top, left = found.top, found.left
    region = rgb[found.top : found.bottom, found.left : found.right]
    local_bg = _border_colour(region)
    lab = to_lab(region)
    far = lab_distance(lab, local_bg)
    ink = far > INK_FAR
    if ink.sum() < 6:
        return None
    labels, n = ndimage.label(ink, structure=np.ones((3, 3), bool))
    if n > 12:
        # the glyphs of a text line above or below, cut by the region's edge, are not
        # counted as clutter beside the label (a horizontal key under the x axis' title)
        ink &= ~_neighbour_glyphs(labels, lab)
        labels, n = ndimage.label(ink, structure=np.ones((3, 3), bool))
    if n == 0 or n > 12:
        return None  # text-like clutter, not a swatch
    glyph = _left_out_glyphs(labels, lab, h, side)
    if glyph.any():
        ink &= ~glyph
        labels, n = ndimage.label(ink, structure=np.ones((3, 3), bool))
        if n == 0:
            return None
    cy = (line_box.top + line_box.bottom) / 2 - top
    # a data line of another colour crossing the handle (a legend drawn over the data) joins
    # it in one blob: each colour is a blob of its own, and the crossing ones are left out;
    # where no line crosses, the blobs stay whole (a patch and its edge line, a line and
    # its markers' outlines are one handle)
    split, _, colour_of = split_by_colour(
        ink, lab, far, to_lab(np.array(local_bg, np.uint8).reshape(1, 3))[0])
    candidates = _swatch_pieces(split, lab, cy, h, glyphs)
    if candidates and _crossing_colours(split, colour_of, candidates, cy, h, side):
        labels = split
        candidates = _handle_colour(labels, colour_of, far, candidates, cy, h)
    else:
        whole = _swatch_pieces(labels, lab, cy, h, glyphs)
        if whole or not candidates or not _filled_key(labels, h):
            candidates = whole
        else:
            # a key filled with a band's tint, taller than a swatch (ggplot2's keys of a line
            # and band series), is one blob with its line: the line, a colour of its own,
            # is the swatch (where a filled key is there: not data strokes passing by)
            labels = split
    if not candidates:
        return None
    candidates = _level_pieces(labels, candidates, h)
    # the swatch ends next to the text; dashed swatches are several strokes in a row
    if side == "right":
        nearest = min(candidates, key=lambda c: c[1])
        reach = nearest[2] + 1.5 * h
        chosen = [k for k, start, stop in candidates if start <= reach]
    else:
        nearest = max(candidates, key=lambda c: c[2])
        reach = nearest[1] - 1.5 * h
        chosen = [k for k, start, stop in candidates if stop >= reach]
    chosen += _strokes_on(labels, candidates, chosen, h, side)
    keep = np.isin(labels, chosen)
    ys, xs = np.nonzero(keep)
    # the stroke's core, not its anti-aliased or JPEG-smeared rim: the pixels farthest from
    # the background
    values = far[keep]
    floor = np.percentile(values, 70)
    if len(chosen) >= DOTTED_LEAST:
        # dots a pixel or two wide fall across pixels unevenly: most are pale, only those
        # centred on a pixel show the colour
        floor = max(floor, DOT_CORE * values.max())
    core_pixels = _vivid(keep & (far >= floor), lab)
    color = tuple(int(v) for v in np.median(region[core_pixels], axis=0).round())
    core = keep & (lab_distance(lab, color) < 25)
    marker, has_line = classify_marker(core)
    line_px = _line_beside_outlines(keep, lab, far, core_pixels)
    if line_px.any():  # markers outlined in black on a line of the series' colour
        color = tuple(int(v) for v in np.median(region[line_px], axis=0).round())
    dashes = (dash_strokes(keep | _faint_strokes(keep, region, color, local_bg, h),
                           _crossed_columns(keep, ink))
              if has_line and marker is None else ())
    # the box: the swatch's colour (and its rim), not ink of another colour joined to it
    # (a bar running under a translucent legend, seen through it as a tint) nor a bar of its
    # colour running on beyond the legend's edge: a piece cut by the far side of the region
    # searched is no part of a swatch beside the text
    pieces, n_core = ndimage.label(core, structure=np.ones((3, 3), bool))
    far_col = region.shape[1] if side == "right" else 0
    cut = [k for k, sl in enumerate(ndimage.find_objects(pieces), start=1)
           if (sl[1].stop if side == "right" else sl[1].start) == far_col]
    whole = core & ~np.isin(pieces, cut)
    if whole.any():
        cy_, cx_ = np.nonzero(whole)
        inside = (ys >= cy_.min() - 1) & (ys <= cy_.max() + 1) & (xs >= cx_.min() - 1) & (
            xs <= cx_.max() + 1)
        ys, xs = ys[inside], xs[inside]
    box = Box(
        left + int(xs.min()), top + int(ys.min()), left + int(xs.max()) + 1, top + int(ys.max()) + 1
    )
    if box.width < 3 and box.height < 3:
        return None
    return color, marker, has_line, box, dashes


INK_FAR = 18.0  # CIELAB dE from the colour around a swatch from which its pixels are ink


KEY_FILL = 0.7  # share of its box a filled legend key fills, at least (data strokes far less)


def _filled_key(labels: np.ndarray, h: int) -> bool:
    """Whether a piece of ``labels`` taller than a swatch (1.6 text heights ``h``) is a
    filled key: about square, filling :data:`KEY_FILL` of its box (a band's tinted square),
    not data strokes passing by."""
    for k, sl in enumerate(ndimage.find_objects(labels), start=1):
        if sl is None:
            continue
        height, width = sl[0].stop - sl[0].start, sl[1].stop - sl[1].start
        if (height > 1.6 * h and 0.5 * height <= width <= 2 * height
                and (labels[sl] == k).sum() >= KEY_FILL * height * width):
            return True
    return False


NEIGHBOUR_ROWS = 4  # rows a piece of a neighbouring text line cut by the region spans at most


def _neighbour_glyphs(labels: np.ndarray, lab: np.ndarray) -> np.ndarray:
    """The pieces of ``labels`` (ink in a swatch region, ``lab`` its CIELAB) that are the ends
    of glyphs of a text line above or below: neutral, touching the region's top or bottom
    row and reaching no more than :data:`NEIGHBOUR_ROWS` into it."""
    out = np.zeros(labels.shape, bool)
    for k, sl in enumerate(ndimage.find_objects(labels), start=1):
        if sl is None:
            continue
        rows = sl[0]
        at_edge = rows.start == 0 or rows.stop == labels.shape[0]
        piece = labels == k
        if at_edge and rows.stop - rows.start <= NEIGHBOUR_ROWS and _neutral(lab[piece]):
            out |= piece
    return out


def _swatch_region(rgb: np.ndarray, line_box: Box, limit_left: int, side: str,
                   limit_right: int | None) -> Box | None:
    """Where the swatch of a text line of box ``line_box`` is looked for (see
    :func:`read_swatch`): half a text height above and below it, 4.5 text heights beside it
    on ``side`` within the limits; None where that leaves too little."""
    h = max(6, line_box.height)
    top = max(0, line_box.top - h // 2)
    bottom = min(rgb.shape[0], line_box.bottom + h // 2)
    if side == "right":
        left = line_box.right + 1
        stop = rgb.shape[1] if limit_right is None else limit_right
        right = min(stop, left + int(4.5 * h), rgb.shape[1])
    else:
        right = line_box.left - 1
        left = max(limit_left, right - int(4.5 * h), 0)
    if right - left < 4 or bottom - top < 4:
        return None
    return Box(left, top, right, bottom)


def _border_colour(region: np.ndarray) -> RGB:
    """The commonest colour along the edges of ``region``: the face a swatch is drawn on."""
    border = np.concatenate([region[0], region[-1], region[:, 0], region[:, -1]])
    return dominant_color(border.reshape(-1, 1, 3))


PATCH_FAR = 5.0  # CIELAB dE from the face from which a pale patch's pixels count
PATCH_CHROMA = 4.0  # Lab chroma a pale patch has at least: tinted, not a grey rim or line
PATCH_FILL = 0.6  # share of its box a patch fills (a disc: 0.785, 0.67 without its rim)
PATCH_LEAST = 4  # pixels a patch spans each way at least (a JPEG's ringing beside a handle)


def read_pale_patch(
    rgb: np.ndarray, line_box: Box, limit_left: int, side: str = "left",
    limit_right: int | None = None,
) -> tuple[RGB, None, bool, Box, tuple[float, ...]] | None:
    """A swatch too pale for ink beside a text line (within :data:`INK_FAR` of the face it
    is drawn on): a translucent band's or area's legend patch (Vega-Lite draws an area's
    symbol at the area's opacity, matplotlib a ``fill_between`` patch at its alpha). Colour,
    no marker, no line, box and no dashes, as :func:`read_swatch` gives them; None where
    there is none.

    The patch is a solid tinted piece (chroma :data:`PATCH_CHROMA` or more) standing whole
    inside the region searched (a band passing by runs on beyond it), about as tall as the
    text (0.5 to 1.6 text heights), at most twice as wide as tall, :data:`PATCH_LEAST` pixels
    each way at least, level with the text and filling :data:`PATCH_FILL` of its box; the
    one nearest the text."""
    h = max(6, line_box.height)
    found = _swatch_region(rgb, line_box, limit_left, side, limit_right)
    if found is None:
        return None
    region = rgb[found.top : found.bottom, found.left : found.right]
    lab = to_lab(region)
    far = lab_distance(lab, _border_colour(region))
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    pale = (far > PATCH_FAR) & (far <= INK_FAR) & (chroma >= PATCH_CHROMA)
    labels, _ = ndimage.label(pale)
    cy = (line_box.top + line_box.bottom) / 2 - found.top
    best: tuple[int, slice, slice] | None = None
    for k, (rows, cols) in enumerate(ndimage.find_objects(labels), start=1):
        ph, pw = rows.stop - rows.start, cols.stop - cols.start
        inside = (rows.start > 0 and cols.start > 0 and rows.stop < labels.shape[0]
                  and cols.stop < labels.shape[1])
        if not (inside and max(PATCH_LEAST, 0.5 * h) <= ph <= 1.6 * h
                and max(PATCH_LEAST, 0.5 * ph) <= pw <= 2.0 * ph):
            continue
        if abs((rows.start + rows.stop - 1) / 2 - cy) > 0.4 * h:
            continue
        if (labels[rows, cols] == k).sum() < PATCH_FILL * ph * pw:
            continue
        nearer = best is None or (cols.stop > best[2].stop if side == "left"
                                  else cols.start < best[2].start)
        if nearer:
            best = (k, rows, cols)
    if best is None:
        return None
    k, rows, cols = best
    piece = labels == k
    core = morphology.erode(piece, 1) if piece.sum() > 20 else piece
    color = tuple(int(v) for v in np.median(region[core if core.any() else piece],
                                            axis=0).round())
    box = Box(found.left + cols.start, found.top + rows.start, found.left + cols.stop,
              found.top + rows.stop)
    return color, None, False, box, ()


NEUTRAL_CHROMA = 12.0  # Lab chroma under which ink is grey (frames, axes, text)


def _neutral(lab: np.ndarray, limit: float = NEUTRAL_CHROMA) -> bool:
    """Whether pixels (Lab, one per row) are mostly grey: median chroma under ``limit``."""
    return bool(np.median(np.hypot(lab[:, 1], lab[:, 2])) < limit)


def _left_out_glyphs(labels: np.ndarray, lab: np.ndarray, h: int, side: str) -> np.ndarray:
    """The pieces of ``labels`` (the ink beside a text line of height ``h``, swatch on
    ``side`` of it) that are a glyph of the label the OCR left out of its word box (a
    JPEG's 'l' before 'r=1e-4'): neutral and dark, at least 0.6 ``h`` tall, touching the
    region's side next to the text. A swatch stands a gap away from its label."""
    near = labels[:, -1] if side == "left" else labels[:, 0]
    out = np.zeros(labels.shape, bool)
    slices = ndimage.find_objects(labels)
    for k in np.unique(near[near > 0]):
        piece = labels == k
        rows = slices[k - 1][0]
        px = lab[piece]
        if rows.stop - rows.start >= 0.6 * h and _neutral(px, 10.0) and float(
                np.median(px[:, 0])) < 60:
            out |= piece
    return out


def _swatch_pieces(labels: np.ndarray, lab: np.ndarray, cy: float, h: int,
                   glyphs: bool) -> list[tuple[int, int, int]]:
    """The pieces of ``labels`` that may make a swatch beside a text line of middle row
    ``cy`` and height ``h``: (label, first column, end column) of those no taller than 1.6
    ``h`` (an error-bar glyph cut to the text band, with ``glyphs``), centred on the text
    and of 3 pixels at least; frame edges and neighbours' strokes are left out, and grey
    ink (``lab``, the region's CIELAB) running on beyond two sides of the region."""
    candidates = []
    specks: list[tuple[int, slice, slice]] = []
    small: list[tuple[int, slice, slice]] = []  # pieces small enough to be dots
    for k, sl in enumerate(ndimage.find_objects(labels), start=1):
        if sl is None:
            continue
        rows, cols = sl
        height = rows.stop - rows.start
        cut = glyphs and height > 1.6 * h and _error_bar_glyph(labels, k, sl, cy, h)
        if cut:  # now as tall as the text band
            rows = slice(max(rows.start, int(cy - 0.7 * h)), min(rows.stop, int(cy + 0.7 * h) + 1))
            height = rows.stop - rows.start
        if (height > 1.6 * h and not cut) or abs((rows.start + rows.stop - 1) / 2 - cy) > 0.6 * h:
            continue
        if (labels[sl] == k).sum() < 3:
            specks.append((k, rows, cols))
            continue
        sides = ((rows.start == 0) + (rows.stop == labels.shape[0]) + (cols.start == 0)
                 + (cols.stop == labels.shape[1]))
        if sides >= 2 and _neutral(lab[sl][labels[sl] == k]):
            # grey ink running on beyond two sides of the region searched: a frame's edge or
            # corner, an axis (reached when OCR boxed a tick with the word: a text box too
            # tall); a swatch lies inside, cut at most by the far side (a data line crossing
            # a swatch joins it: coloured, it stays)
            continue
        candidates.append((k, cols.start, cols.stop))
        if height <= 0.6 * h and cols.stop - cols.start <= 0.6 * h:
            small.append((k, rows, cols))
    # a dotted handle's dots, some of 3 pixels and some fewer (as they fall on the pixels)
    dots = specks + small
    taken = {k for k, _, _ in candidates}
    return candidates + [d for d in _dotted_row(dots, h) if d[0] not in taken]


def _strokes_on(labels: np.ndarray, candidates: list[tuple[int, int, int]], chosen: list[int],
                h: int, side: str) -> list[int]:
    """The candidates (label, first column, end column) beyond the ``chosen`` pieces, away
    from the text, that continue them stroke by stroke: flat (no taller than
    ``STROKE_FLAT`` of the text height ``h``, 3 px at least), level with them and each less
    than half ``h`` from the last (a long dotted or dashed handle; not the glyphs of a
    label in the column before)."""
    slices = ndimage.find_objects(labels)
    middle = {k: (slices[k - 1][0].start + slices[k - 1][0].stop - 1) / 2 for k, _, _ in candidates}
    flat = {k for k, _, _ in candidates
            if slices[k - 1][0].stop - slices[k - 1][0].start <= max(3.0, STROKE_FLAT * h)}
    if not all(k in flat for k in chosen):
        return []
    row = float(np.mean([middle[k] for k in chosen]))
    far_first = sorted(candidates, key=lambda c: c[1] if side == "right" else -c[2])
    taken = [c for c in candidates if c[0] in chosen]
    end = (max(c[2] for c in taken) if side == "right" else min(c[1] for c in taken))
    more = []
    for k, start, stop in far_first:
        if k in chosen or k not in flat or abs(middle[k] - row) > max(1.5, 0.15 * h):
            continue
        gap = start - end if side == "right" else end - stop
        if not 0 <= gap < 0.5 * h:
            continue
        more.append(k)
        end = stop if side == "right" else start
    return more


STROKE_FLAT = 0.35  # height of a dotted or dashed handle's stroke, at most, in text heights
DOTTED_LEAST = 4  # dots in a row that make a dotted handle
DOT_CORE = 0.8  # share of a dotted handle's strongest contrast its colour's pixels have
DOTTED_EVEN = 0.35  # spread of a dotted handle's gaps, as a share of their median


def _dotted_row(specks: list[tuple[int, slice, slice]], h: int) -> list[tuple[int, int, int]]:
    """The pieces small enough to be dots (``specks``: label, rows, columns; those under 3
    pixels and the small swatch pieces) that make a dotted handle: at least
    ``DOTTED_LEAST`` of them level on one row (within 15% of the text height ``h``, 1.5 px at
    least) and evenly spaced, closer than ``h`` apart (a thin dotted line's dots are a pixel
    or two each, some three as they fall on the pixels); [] otherwise (JPEG specks, a
    glyph's serifs). Returned as (label, first column, end column), like the other swatch
    pieces."""
    if len(specks) < DOTTED_LEAST:
        return []
    middles = np.array([(r.start + r.stop - 1) / 2 for _, r, _ in specks])
    tol = max(1.5, 0.15 * h)
    left_first = np.argsort([c.start for _, _, c in specks])
    best: list[int] = []
    for m in middles:
        row = [j for j in left_first if abs(middles[j] - m) <= tol]
        if len(row) > len(best):
            best = row
    if len(best) < DOTTED_LEAST:
        return []
    starts = np.array([specks[j][2].start for j in best], float)
    gaps = np.diff(starts)
    median = float(np.median(gaps))
    if median < 2 or median >= h or float(np.ptp(gaps)) > DOTTED_EVEN * median + 1:
        return []
    return [(specks[j][0], specks[j][2].start, specks[j][2].stop) for j in best]


def ink_colours(lab: np.ndarray, far: np.ndarray, ink: np.ndarray,
                join: float = 26.0, least: int = 5) -> list[np.ndarray]:
    """The distinct colours (CIELAB) of the strokes in ``ink``: the cores of its strokes
    (pixels at least 85% as far from the background as their 3x3 neighbourhood's farthest,
    ``far`` the distance), gathered greedily from the farthest into groups within ``join``
    of their median; groups of fewer than ``least`` pixels, and groups within ``join`` of
    one found before (a JPEG's duller rim of one ink), are left out. ``join`` is under the
    closest pair of a common palette (matplotlib's tab10: purple and pink, 27.7 apart).

    Parameters
    ----------
    lab : ndarray (H, W, 3)
        The region in CIELAB.
    far : ndarray (H, W)
        Each pixel's distance from the background colour.
    ink : ndarray of bool (H, W)
        The pixels that are ink.
    """
    peak = ndimage.maximum_filter(np.where(ink, far, 0.0), size=3)
    core = ink & (far >= 0.85 * peak)
    pixels, dist = lab[core].astype(float), far[core]
    order = np.argsort(-dist)
    pixels = pixels[order]
    out: list[np.ndarray] = []
    free = np.ones(len(pixels), bool)
    while free.any() and len(out) < 8:
        seed = pixels[np.flatnonzero(free)[0]]
        members = free & (np.linalg.norm(pixels - seed, axis=1) < join)
        centre = np.median(pixels[members], axis=0)
        members = free & (np.linalg.norm(pixels - centre, axis=1) < join)
        members[np.flatnonzero(free)[0]] = True
        free &= ~members
        centre = np.median(pixels[members], axis=0)
        if members.sum() >= least and all(np.linalg.norm(centre - o) >= join for o in out):
            out.append(centre)
    return out


def split_by_colour(
    ink: np.ndarray, lab: np.ndarray, far: np.ndarray, background: np.ndarray
) -> tuple[np.ndarray, int, np.ndarray]:
    """Connected pieces of ``ink``, one colour at a time: each ink pixel goes to the stroke
    colour (:func:`ink_colours`) whose tints (the segment from the ``background`` to it, in
    CIELAB) it lies nearest, and pieces are labelled per colour (8-connected). Where only one
    colour is found this is plain labelling.

    Returns
    -------
    labels : ndarray of int
        0 off the ink, 1..n the pieces.
    n : int
        The number of pieces.
    colour_of : ndarray of int
        Each piece's colour (index into the colours found; 0 for all with one colour).
    """
    eight = np.ones((3, 3), bool)
    colours = ink_colours(lab, far, ink)
    if len(colours) < 2:
        labels, n = ndimage.label(ink, structure=eight)
        return labels, n, np.zeros(n + 1, int)
    px = lab[ink].astype(float)
    bg = np.asarray(background, float)
    dists = []
    for c in colours:
        step = c - bg
        t = np.clip((px - bg) @ step / max(float(step @ step), 1e-6), 0.0, 1.0)
        dists.append(np.linalg.norm(px - (bg + t[:, None] * step), axis=1))
    owner = np.full(ink.shape, -1)
    owner[ink] = np.argmin(np.stack(dists), axis=0)
    labels = np.zeros(ink.shape, np.int32)
    colour_of = [0]
    n = 0
    for k in range(len(colours)):
        part, m = ndimage.label(owner == k, structure=eight)
        labels[part > 0] = part[part > 0] + n
        colour_of += [k] * m
        n += m
    return labels, n, np.array(colour_of)


def _level_pieces(
    labels: np.ndarray, candidates: list[tuple[int, int, int]], h: int
) -> list[tuple[int, int, int]]:
    """The pieces of a level handle, where pieces of its colour that are not level with it
    stand beside the label too (a dotted data line of the handle's colour crossing it, or
    its dots seen faintly through the legend's face): the pieces whose middles lie on one
    row (within 15% of the text height ``h``, 1.5 px at least) running furthest along it,
    when several of them are flat strokes (no taller than 0.6 ``h``: the dashes or dots of
    a dashed or dotted handle; a marker on their row goes with them) and they run at least
    1.5 ``h``. Otherwise the candidates are kept as they are.
    ``candidates`` are (label, first column, end column)."""
    if len(candidates) < 2:
        return candidates
    ids = [k for k, _, _ in candidates]
    middles = np.array(ndimage.center_of_mass(np.ones_like(labels), labels, ids))[:, 0]
    slices = ndimage.find_objects(labels)
    flat = np.array([slices[k - 1][0].stop - slices[k - 1][0].start <= 0.6 * h for k in ids])
    tol = max(1.5, 0.15 * h)

    def span(group: list[int]) -> int:
        return max(candidates[j][2] for j in group) - min(candidates[j][1] for j in group)

    groups = [[j for j, o in enumerate(middles) if abs(o - m) <= tol] for m in middles[flat]]
    groups = [g for g in groups if flat[g].sum() >= 2]
    if not groups:
        return candidates  # a solid handle (one piece) keeps its neighbours, as before
    best = max(groups, key=span)
    if len(best) == len(candidates) or span(best) < 1.5 * h:
        return candidates
    return [candidates[j] for j in best]


def _crossed_columns(handle: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """Per column, whether ink that is no part of the ``handle`` covers the handle's line
    there: in the rows where the handle is at least half as wide as in its widest (its line,
    not a marker's or a crossing's), most of them inked by others."""
    widths = handle.sum(axis=1)
    rows = widths >= 0.5 * widths.max(initial=0)
    others = (ink & ~handle)[rows]
    if others.shape[0] == 0:
        return np.zeros(handle.shape[1], bool)
    return others.mean(axis=0) >= 0.5


def _crossing_colours(labels: np.ndarray, colour_of: np.ndarray,
                      candidates: list[tuple[int, int, int]], cy: float, h: int,
                      side: str = "left") -> set[int]:
    """The colours of lines crossing the handle beside a text line (a legend drawn over the
    data): pieces that run out of the region searched at its top or bottom, at least 0.4 of
    the text height ``h`` tall (no flat frame edge), with ink in the text's band (within
    0.5 ``h`` of its middle row ``cy``) amid the columns of the pieces of the other colour
    nearest the text, on ``side`` of it: the handle (a frame's side stands beside the
    handle, not across it; ink beyond a frame line the region reaches over is no handle). A
    handle, whatever its colours (a patch's edge line, a marker's outline), lies within the
    region. ``candidates`` are (label, first column, end column)."""
    lo, hi = max(0, int(cy - 0.5 * h)), int(cy + 0.5 * h) + 1
    out: set[int] = set()
    for k, sl in enumerate(ndimage.find_objects(labels), start=1):
        if sl is None:
            continue
        rows, kind = sl[0], int(colour_of[k])
        if not ((rows.start == 0 or rows.stop == labels.shape[0])
                and rows.stop - rows.start >= max(3, 0.4 * h)):
            continue
        # its ink in the band lies amid the columns of one other colour's pieces (a handle cut
        # in two by the line crossing it), not at their end nor between pieces of two
        # colours (a frame's side beside a handle, touching its tip)
        xs = np.flatnonzero((labels[lo:hi] == k).any(axis=0))
        if xs.size == 0:
            continue
        mid = float(np.median(xs))
        others = [c for c in candidates if int(colour_of[c[0]]) != kind]
        if not others:
            continue
        # the handle is the other colour nearest the text (ink farther off, beyond a frame
        # line the region reaches over, has its own crossings)
        near = (max(others, key=lambda c: c[2]) if side == "left"
                else min(others, key=lambda c: c[1]))
        cols = [c for c in others if colour_of[c[0]] == colour_of[near[0]]]
        first, last = min(c[1] for c in cols), max(c[2] for c in cols)
        if first + 1 < mid < last - 2:
            out.add(kind)
    return out


def _handle_colour(
    labels: np.ndarray, colour_of: np.ndarray, far: np.ndarray,
    candidates: list[tuple[int, int, int]], cy: float, h: int,
) -> list[tuple[int, int, int]]:
    """The candidate pieces of the one colour that draws the handle, where pieces of several
    colours stand beside a label (a data line crossing a legend drawn over the data): the
    colour running furthest along one row near the text's middle ``cy`` (a handle is level;
    a line crossing it is not), each pixel counted by its distance from the background
    ``far`` (a stroke's core, not the faint rim it leaves on a gridline). ``candidates`` are
    (label, first column, end column)."""
    kinds = {int(colour_of[k]) for k, _, _ in candidates}
    if len(kinds) < 2:
        return candidates
    lo, hi = max(0, int(cy - 0.4 * h)), int(cy + 0.4 * h) + 1

    def run(kind: int) -> float:
        ids = [k for k, _, _ in candidates if colour_of[k] == kind]
        rows = (np.isin(labels[lo:hi], ids) * far[lo:hi]).sum(axis=1)
        return float(rows.max(initial=0.0))

    best = max(sorted(kinds), key=run)
    mine = [c for c in candidates if colour_of[c[0]] == best]
    # a marker of another colour drawn on the handle's line (a face unlike the line's) stays:
    # a compact blob inside the line's columns, its middle on the line's row
    ids = [k for k, _, _ in mine]
    rows = np.flatnonzero(np.isin(labels, ids).any(axis=1))
    row = (rows[0] + rows[-1]) / 2
    first, last = min(c[1] for c in mine), max(c[2] for c in mine)
    slices = ndimage.find_objects(labels)
    for c in candidates:
        if colour_of[c[0]] == best:
            continue
        sl = slices[c[0] - 1]
        height, width = sl[0].stop - sl[0].start, sl[1].stop - sl[1].start
        middle = (sl[0].start + sl[0].stop - 1) / 2
        if (width <= 1.4 * height and first <= c[1] and c[2] <= last
                and abs(middle - row) <= max(1.5, 0.15 * h)):
            mine.append(c)
    return mine


def _line_beside_outlines(keep: np.ndarray, lab: np.ndarray, far: np.ndarray,
                          core: np.ndarray) -> np.ndarray:
    """The core of a handle's line where its markers' dark neutral outlines (matplotlib's
    classic style edges markers in black) took the handle's ``core`` (its pixels farthest
    from the background): a thin JPEG line keeps too little of its colour for
    :func:`_vivid` to find the face. The line is the handle's ink (``keep``) in the columns
    no thicker than its thinnest stroke's twice, its core the farther half of those pixels;
    it is returned where the core is neutral and dark (chroma under 10, L under 45) and
    the line lies over 25 from it (CIELAB), else an empty mask (a black series' line, a
    line of its markers' colour)."""
    none = np.zeros_like(keep)
    px = lab[core]
    if px.size == 0:
        return none
    centre = np.median(px.astype(float), axis=0)
    if centre[0] >= 45 or np.hypot(centre[1], centre[2]) >= 10:
        return none
    counts = keep.sum(axis=0)
    thin = int(counts[counts > 0].min()) if counts.any() else 0
    line = keep & ((counts > 0) & (counts <= 2 * thin))[None, :]
    if line.sum() < 6:
        return none
    line &= far >= np.median(far[line])
    if np.linalg.norm(np.median(lab[line].astype(float), axis=0) - centre) <= 25:
        return none
    return line


def _vivid(core: np.ndarray, lab: np.ndarray) -> np.ndarray:
    """The coloured part of a swatch's core where a neutral edge takes a share of it (the
    black outline matplotlib's classic style draws round markers): the swatch's colour is
    its face's, not a mix of face and outline. Other cores are returned as they are."""
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    values = chroma[core]
    if values.size < 6:
        return core
    top = float(np.percentile(values, 90))
    vivid = core & (chroma >= 0.75 * top)
    dull = int(core.sum() - vivid.sum())
    if top < 20 or dull < 0.2 * values.size or vivid.sum() < 6:
        return core
    return vivid


def _faint_strokes(
    keep: np.ndarray, region: np.ndarray, color: RGB, background: RGB, h: int
) -> np.ndarray:
    """Faint strokes on a swatch's line just right of its ink: the first pixel or two of a
    dash or dot cut by the handle's end, anti-aliased to a light tint the ink threshold
    misses (a dash-dot swatch would otherwise read as solid). Pixels that are a tint of the
    swatch's colour (on the line from the background to it, 15% of the way or more) down
    most of a column of the swatch's line, within a text height right of its ink."""
    rows = np.flatnonzero(keep.any(axis=1))
    cols = np.flatnonzero(keep.any(axis=0))
    if len(rows) == 0:
        return np.zeros_like(keep)
    span = np.zeros_like(keep)
    span[rows[0] : rows[-1] + 1, cols[-1] + 1 : cols[-1] + h + 1] = True
    bg = np.asarray(background, float)
    step = np.asarray(color, float) - bg
    norm = float(np.hypot.reduce(step))
    if norm < 30:
        return np.zeros_like(keep)
    diff = region.astype(float) - bg
    t = diff @ step / norm**2
    off = np.linalg.norm(diff - t[..., None] * step, axis=-1)
    faint = span & ~keep & (t > 0.15) & (off < 0.15 * t * norm + 3)
    # a stroke's column, not a JPEG ripple: as many rows as the line's most
    thick = int(keep.sum(axis=0).max())
    faint[:, faint.sum(axis=0) < max(2, 0.6 * thick)] = False
    return faint


def _add_glyph_entries(
    rgb: np.ndarray, entries: list[LegendEntry], unread: list[tuple[TextLine, Box, int]]
) -> list[LegendEntry]:
    """Entries of a legend already found whose swatch is an error-bar glyph: text lines
    without a swatch that line up with the legend's entries, read again allowing glyphs."""
    added = []
    for ln, lb, limit in unread:
        sw = read_swatch(rgb, lb, limit, glyphs=True)
        if sw is None:
            continue
        entry = LegendEntry(reread_label(rgb, lb, ln), *sw[:3], lb, sw[3], sw[4])
        if any(_same_legend(entry, e) for e in entries) and sum(
                ch.isalnum() for ch in entry.label) >= 2 and not _ink_taken(entry, entries + added):
            added.append(entry)
    if not added:
        return entries
    return sorted(entries + added, key=lambda e: (e.text_box.top, e.text_box.left))


def _fill_skipped_rows(rgb: np.ndarray, entries: list[LegendEntry]) -> list[LegendEntry]:
    """Entries of a legend column that OCR skipped (a short word beside a dark swatch):
    where two entries stand twice their pitch apart, the row between them is read on its
    own, and kept when it has a label and a swatch like the others'."""
    column = sorted((e for e in entries if abs(e.text_box.left - entries[0].text_box.left)
                     <= 0.5 * e.text_box.height), key=lambda e: e.text_box.top)
    if len(column) < 2:
        return entries
    heights = [e.text_box.height for e in column]
    gaps = np.diff([(e.text_box.top + e.text_box.bottom) / 2 for e in column])
    # the pitch: the closest pair, unless that too is two rows (then a row's height)
    pitch = float(min(gaps.min(), 2.2 * np.median(heights)))
    added = []
    for a, b, gap in zip(column, column[1:], gaps, strict=False):
        n = int(round(gap / pitch))
        if n < 2 or abs(gap / n - pitch) > 0.25 * pitch:
            continue
        for k in range(1, n):
            cy = (a.text_box.top + a.text_box.bottom) / 2 + k * gap / n
            h = max(a.text_box.height, b.text_box.height)
            right = max(a.text_box.right, b.text_box.right) + 2 * h
            box = Box(min(a.text_box.left, b.text_box.left), int(cy - h / 2 - 1),
                      min(rgb.shape[1], right), int(cy + h / 2 + 2))
            words = [w.text for w in read_words(
                _neutral_ink(rgb[box.top : box.bottom, box.left : box.right]), psm=PSM_LINE,
                scale=max(2.0, 24.0 / max(h, 1))) if _is_word(w)]
            if sum(ch.isalpha() for w in words for ch in w) < 2:
                continue
            label_box = _text_ink_box(rgb, box) or box
            sw = read_swatch(rgb, label_box, max(0, a.swatch_box.left - 2 * h))
            if sw is None:
                continue
            added.append(LegendEntry(" ".join(words), sw[0], sw[1], sw[2], label_box, sw[3],
                                     sw[4]))
    if not added:
        return entries
    return sorted(entries + added, key=lambda e: (e.text_box.top, e.text_box.left))


def _ink_taken(entry: LegendEntry, entries: list[LegendEntry]) -> bool:
    """Whether another entry already has ``entry``'s swatch: its colour, marker and dash
    pattern (one entry per ink and style)."""
    lab = to_lab(np.array(entry.color, np.uint8).reshape(1, 3))
    return any(float(lab_distance(lab, e.color)[0]) < 6 and e.marker == entry.marker
               and same_pattern(e.dashes, entry.dashes) for e in entries)


def _error_bar_glyph(
    labels: np.ndarray, k: int, sl: tuple[slice, slice], cy: float, h: int
) -> bool:
    """Whether blob ``k``, too tall for a swatch, is an error-bar legend glyph: a marker or
    line at the text's height with a thin vertical bar through it. Its parts above and below
    the text band are cut off (in ``labels``) and True is returned; a frame edge (thin all
    along) is left alone."""
    blob = labels[sl] == k
    top = sl[0].start
    band = np.zeros(blob.shape[0], bool)
    band[max(0, int(cy - 0.7 * h) - top) : max(0, int(cy + 0.7 * h) + 1 - top)] = True
    widths = blob.sum(axis=1)
    outside = widths[~band & (widths > 0)]
    if not band.any() or widths[band].max(initial=0) < 4 or outside.size == 0:
        return False
    if not _thin_but_caps(widths, band):
        return False
    view = labels[sl]
    view[(~band)[:, None] & blob] = 0
    return True


def _thin_but_caps(widths: np.ndarray, band: np.ndarray) -> bool:
    """Whether a blob's rows outside the text band (``widths`` per row) are a thin bar but
    for its caps, the two rows at either end of the blob. The bar is thin beside what the
    band holds (a marker or a line sample); a label of lower case letters only ('ours') has a
    short box, so a glyph may stick out of its band by no more than its caps."""
    rows = np.flatnonzero(widths > 0)
    outside = np.flatnonzero(~band & (widths > 0))
    inner = outside[(outside > rows[0] + 1) & (outside < rows[-1] - 1)]
    if inner.size == 0:
        return True
    stroke = float(np.median(widths[inner]))
    return bool(stroke <= max(3.0, 0.3 * widths[band].max()) and widths[inner].max() <= stroke + 1)


def _unseen_margin_words(rgb: np.ndarray, layout: Layout) -> list[Word]:
    """Words right of and below the axes that the layout stage did not read.

    The layout reads its margins for tick labels and titles; a legend beside or under the
    axes is read here on neutral ink (swatch colours removed), which Tesseract segments
    better.
    """
    pa = layout.plot_area
    h, w = rgb.shape[:2]
    known = layout.words + layout.x_tick_labels + layout.y_tick_labels
    regions = [Box(pa.right + 2, 0, w, h), Box(0, pa.bottom + 2, w, h)]
    out: list[Word] = []
    for region in regions:
        if region.width < 20 or region.height < 8:
            continue
        crop = rgb[region.top : region.bottom, region.left : region.right]
        for word in read_words(_neutral_ink(crop), scale=2.0):
            box = word.box.shifted(region.left, region.top)
            if word.confidence < 30 or any(_overlap(box, k.box) > 0.3 for k in known + out):
                continue
            out.append(Word(word.text, box, word.confidence))
    return out


TICK_OVERLAP = 0.5  # share of the smaller box a word shares with a tick label to be one


def _tick_label(box: Box, ticks: tuple[Box, ...]) -> bool:
    """Whether a word of box ``box`` is one of the tick labels of boxes ``ticks``: it
    covers (or lies in) most of one (:func:`_overlap`). Told by place, not by the word
    read: a tick label mended after reading (a decimal point restored) is another word."""
    return any(_overlap(box, t) > TICK_OVERLAP for t in ticks)


def _overlap(a: Box, b: Box) -> float:
    """Intersection over the smaller box's area."""
    iw = min(a.right, b.right) - max(a.left, b.left)
    ih = min(a.bottom, b.bottom) - max(a.top, b.top)
    if iw <= 0 or ih <= 0:
        return 0.0
    return iw * ih / max(1, min(a.area, b.area))


def _text_ink_box(rgb: np.ndarray, box: Box) -> Box | None:
    """``box`` shrunk to the dark neutral ink inside it (coloured swatch pixels dropped).

    The ink is judged with a margin of one box height above and below: cut to the text's own
    rows, a glyph as tall as the box ('l', '|') would pass for a long frame or grid stroke.
    """
    pad = max(1, box.height)
    top, bottom = max(0, box.top - pad), min(rgb.shape[0], box.bottom + pad)
    crop = rgb[top:bottom, box.left : box.right]
    if crop.size == 0:
        return None
    dark = (_neutral_ink(crop) < 128)[box.top - top : box.top - top + box.height]
    cols = np.flatnonzero(dark.any(axis=0))
    if len(cols) == 0:
        return None
    return Box(box.left + int(cols[0]), box.top, box.left + int(cols[-1]) + 1, box.bottom)


def _neutral_ink(rgb: np.ndarray) -> np.ndarray:
    """Grey image with coloured ink painted white: legend text stays, data lines mostly go.

    Tesseract's page segmentation gives up on a plot area crossed by data lines; legend text
    is almost always neutral (black or grey), series almost never.
    """
    import cv2

    lab = to_lab(rgb)
    grey = rgb.mean(axis=2)
    grey[np.hypot(lab[..., 1], lab[..., 2]) > 12] = 255
    grey = grey.astype(np.uint8)
    # gridlines and frame edges: long light strokes; text is shorter and darker
    ink = (grey < 250).astype(np.uint8)
    lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, 41), np.uint8)) | cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, np.ones((41, 1), np.uint8)
    )
    grey[(lines > 0) & (grey > 140)] = 255
    # then (before, in a JPEG's blotchy face, they would cut its light runs into pieces) a
    # light background (a grey or tinted face) made white, and the pale rims of coloured
    # lines: the text stands on white alone
    background = dominant_color(rgb)
    if float(to_lab(np.array(background, np.uint8).reshape(1, 3))[0, 0]) > 60:
        grey[lab_distance(lab, background) < 8] = 255
    grey[_tinted(lab)] = 255
    # dark outlines of bars (edgecolor black) and of swatches: long straight dark strokes,
    # longer than any glyph's, with their anti-aliased rims (Tesseract gives up on a plot
    # full of them); on a light plot only (on a dark one the background is such ink)
    if float(np.median(grey)) < 160:
        return grey
    n = max(41, int(round(0.05 * max(grey.shape))))
    dark = (grey <= 140).astype(np.uint8)
    long_ = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((1, n), np.uint8)) | cv2.morphologyEx(
        dark, cv2.MORPH_OPEN, np.ones((n, 1), np.uint8)
    )
    rim = cv2.dilate(long_, np.ones((3, 3), np.uint8)) > 0
    grey[(long_ > 0) | (rim & (grey > 140))] = 255
    return grey


def _tinted(lab: np.ndarray) -> np.ndarray:
    """Pixels that are coloured ink or a tint of it: chroma over 12, or over 4 and a quarter
    of the pixel's darkness (100 - L) at least. A data line's anti-aliased rim, pale but of
    its colour's hue, goes with the line; text and its rim, grey however pale, and a coloured
    line's faint mix into dark text stay."""
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    return (chroma > 12) | ((chroma > 4) & (chroma > 0.25 * (100.0 - lab[..., 0])))


def _follows(word: Word, words: list[Word]) -> bool:
    """Whether ``word`` stands on the text line of one of ``words``, just after it (a gap
    under one text height)."""
    b = word.box
    for w in words:
        o = w.box
        same_line = abs((b.top + b.bottom) - (o.top + o.bottom)) < 0.5 * max(b.height, o.height)
        if same_line and 0 <= b.left - o.right < max(b.height, o.height):
            return True
    return False


PALE_REACH = 1.6  # a swatch's colour this far (or more) along its ray from the background
PALE_PIXELS = 40  # plot pixels that make a stronger ink of the swatch's colour


def _pale_swatches(rgb: np.ndarray, pa: Box, colors: list[RGB]) -> list[bool]:
    """Per swatch colour, whether it is a pale tint of a stronger ink drawn in the plot
    area ``pa`` (Vega draws a line-and-band series' symbol in the band's translucent fill):
    at least ``PALE_PIXELS`` plot pixels lie on the ray from the plot's background through
    the colour, ``PALE_REACH`` times as far or more."""
    plot = rgb[pa.top : pa.bottom, pa.left : pa.right]
    if plot.size == 0:
        return [False] * len(colors)
    bg = np.asarray(dominant_color(plot), float)
    q = plot.reshape(-1, 3).astype(float) - bg
    out = []
    for color in colors:
        d = np.asarray(color, float) - bg
        norm = float(d @ d)
        if norm < 100:
            out.append(False)
            continue
        t = q @ d / norm
        residual = np.linalg.norm(q - t[:, None] * d, axis=1)
        out.append(int(((t >= PALE_REACH) & (residual < 12)).sum()) >= PALE_PIXELS)
    return out


def _label_piece(line: TextLine, layout: Layout) -> bool:
    """Whether ``line`` is part of an axis label where that is written (below or left of the
    plot area): the rest of the label read apart from it, as a swatch (the "(ms)" of "Wall
    time (ms)"), leaves the line no label's whole text. (Not the title's: a legend row on
    top may have been read as the title.)"""
    pa, box = layout.plot_area, line.box
    placed = [(layout.x_label, box.top >= pa.bottom), (layout.y_label, box.right <= pa.left)]
    text = line.text
    return any(label and where and text != label and f" {text} " in f" {label} "
               for label, where in placed)


def _unplaced(rgb: np.ndarray, lines: list[TextLine], skip: set[str]) -> list[TextLine]:
    """The ``lines`` but those (or the pieces of those) whose text is in ``skip`` (titles and
    axis labels) and those written in colour."""
    lines = [ln for ln in lines if ln.text not in skip]
    lines = _without_split_titles(lines, skip)
    return [ln for ln in lines if not _coloured_glyph(rgb, ln)]


def _entries_either_side(rgb: np.ndarray, lines: list[TextLine], plot_area: Box | None = None,
                         walls: tuple[Box, ...] = (),
                         ) -> tuple[list[LegendEntry], list[tuple[TextLine, Box, int]]]:
    """Entries with swatches left of their labels (most renderers) or right of them
    (gnuplot): the side giving more consistent entries wins; on a tie, the side whose
    swatches sit nearer their labels (:func:`_swatch_side`), the left one where that ties
    too. Also the lines left unread on the left side. ``walls``: see :func:`_entries`."""
    unread: list[tuple[TextLine, Box, int]] = []
    entries = _entries(rgb, lines, "left", unread, plot_area, walls)
    # (a column of entries all paired on the left with coloured swatches is settled; in a
    # row every swatch but the end ones lies between two labels, either of which it may
    # belong to; a grey swatch may be a glyph OCR left out of the label before it)
    right = (_entries(rgb, lines, "right", plot_area=plot_area, walls=walls)
             if len(entries) < len(lines) or _in_a_row(entries) or _grey_swatches(entries)
             else [])
    if _swatch_side(entries, right) == "right":
        return right, []
    return entries, unread


def _grey_swatches(entries: list[LegendEntry]) -> int:
    """How many of the entries' swatch colours are grey (under :data:`NEUTRAL_CHROMA`)."""
    return sum(_neutral(to_lab(np.array(e.color, np.uint8).reshape(1, 3))) for e in entries)


def _in_a_row(entries: list[LegendEntry]) -> bool:
    """Whether two of ``entries`` have their labels side by side on one row."""
    return any(abs(e.text_box.top - f.text_box.top) <= 0.4 * e.text_box.height
               and e.text_box.left != f.text_box.left
               for k, e in enumerate(entries) for f in entries[k + 1:])


def _label_gap(entry: LegendEntry) -> float:
    """Horizontal space between an entry's swatch and its label (0 where they meet)."""
    s, t = entry.swatch_box, entry.text_box
    return float(max(0, s.left - t.right, t.left - s.right))


# share of a label's gap to its swatch (its own, the legend's median) within which a swatch
# on its other side is clearly nearer: a row legend may set a swatch about as far from the
# previous label as from its own (ggplot's bottom legend: 8 and 9 px); gnuplot's sample read
# on the wrong side stands at over twice its own gap (20 and 8 px)
RIVAL_NEARER = 0.6


def _swatch_side(left: list[LegendEntry], right: list[LegendEntry]) -> str:
    """Which side of their labels a legend's swatches are on, from the legend as a whole.

    The side that pairs more labels with swatches wins. Where both pair as many (a row of
    entries: every swatch but the end ones lies between two labels), a legend sets each
    swatch close to its own label and farther from the next entry's (matplotlib's
    ``handletextpad`` and ``columnspacing``; gnuplot's key the other way round): the side
    whose swatches lie clearly nearer their labels (the median gap under
    :data:`RIVAL_NEARER` of the other side's) wins, as does the right side where it reads
    fewer grey swatches (a glyph OCR left out of a label, 'lr=' of "lr=1e-3", read as the
    swatch of the next label); the left one (most renderers) otherwise: ggplot's bottom
    legend sets a swatch about as far from the previous label as from its own.
    """
    if len(right) != len(left):
        return "right" if len(right) > len(left) else "left"
    if not left:
        return "left"
    gap_left = float(np.median([_label_gap(e) for e in left]))
    gap_right = float(np.median([_label_gap(e) for e in right]))
    nearer = gap_right < RIVAL_NEARER * gap_left
    return "right" if nearer or _grey_swatches(right) < _grey_swatches(left) else "left"


def find_legend(rgb: np.ndarray, layout: Layout, *, ocr_inside: bool = True) -> Legend:
    """Find the legend entries in the chart (outside the axes from the layout's words, inside
    by reading the plot area)."""
    ticks = tuple(w.box for w in layout.x_tick_labels + layout.y_tick_labels)
    words = [w for w in layout.words if not _tick_label(w.box, ticks)]
    pa = layout.plot_area
    words += _unseen_margin_words(rgb, layout)
    # words already placed as title/axis labels are skipped by text match
    skip = {t for t in (layout.title, layout.x_label, layout.y_label) if t}
    if ocr_inside and pa.width > 20 and pa.height > 20:
        inside = read_words(_neutral_ink(rgb[pa.top : pa.bottom, pa.left : pa.right]), scale=2.0)
        # inside the axes, data strokes read as junk words: the layout of the entries (see
        # _consistent_entries) tells a legend from them, not the OCR confidence, which small
        # legend fonts lower too
        sure = [w for w in inside if sum(ch.isalnum() for ch in w.text) >= 2]
        # a one-character word ends a label only right after a word of it ("Batch A",
        # "Group 4"); alone it is a data stroke read as a letter
        sure += [w for w in inside if sum(ch.isalnum() for ch in w.text) == 1
                 and _follows(w, sure)]
        # (tick labels set inside the plot, beside axes through zero, are none either)
        inside_words = [Word(w.text, w.box.shifted(pa.left, pa.top), w.confidence) for w in sure]
        words += [w for w in inside_words if not _tick_label(w.box, ticks)]
    words = [w for w in words if _is_word(w)]
    lines = [with_unread_last_glyph(rgb, ln) for ln in join_across_glyphs(rgb, group_lines(words))]
    lines = [_without_marker_word(_without_tall_junk(ln)) for ln in lines]
    lines = [part for ln in lines for part in _without_swatch_words(rgb, ln, pa)]
    texty = [ln for ln in lines if _is_texty(ln) and _upright(ln)
             and not _label_piece(ln, layout)]
    lines = _unplaced(rgb, texty, skip)
    entries, unread = _entries_either_side(rgb, lines, pa, ticks)
    title_row = False
    if layout.title:
        # a row of entries above the plot (Vega's top legend) may have been taken for the
        # title: read with it, it gives more entries (a title has no swatches)
        alt_lines = _unplaced(rgb, texty, skip - {layout.title})
        alt, alt_unread = _entries_either_side(rgb, alt_lines, pa, ticks)
        if len(alt) >= len(entries) + 2:
            # a swatch that is a pale tint of a stronger plot ink (Vega draws a line-and-band
            # series' symbol in the band's translucent fill) names that ink, as a pale patch
            pale = _pale_swatches(rgb, layout.plot_area, [e.color for e in alt])
            for e, tint in zip(alt, pale, strict=True):
                e.faint = e.faint or tint
            entries, unread, lines = alt, alt_unread, alt_lines
            title_row = True
    if not entries:
        return Legend()
    entries = _add_glyph_entries(rgb, entries, unread)
    entries = _fill_skipped_rows(rgb, entries)
    rival_swatches(rgb, entries, lines)
    box = entries[0].swatch_box.union(entries[0].text_box)
    for e in entries[1:]:
        box = box.union(e.swatch_box).union(e.text_box)
    title = None
    for ln in lines:
        lb = ln.box
        if float(np.mean([w.confidence for w in ln.words])) < 60:
            continue
        if (
            lb.bottom <= box.top + 2
            and box.top - lb.bottom < 2.5 * lb.height
            and lb.left < box.right
            and lb.right > box.left
            and not any(e.text_box == lb for e in entries)
        ):
            title = ln.text
            box = box.union(lb)
    pad = max(4, int(0.6 * np.median([e.text_box.height for e in entries])))
    box = Box(box.left - pad, box.top - pad, box.right + pad, box.bottom + pad).clip(
        rgb.shape[1], rgb.shape[0]
    )
    box = framed(rgb, box, 2 * pad)
    return Legend(entries=entries, title=title, box=box, title_row=title_row)


def rival_swatches(rgb: np.ndarray, entries: list[LegendEntry], lines: list[TextLine]) -> None:
    """Set each entry's :attr:`LegendEntry.rival`: a swatch on its label's other side, up to
    the next word on that side, that lies clearly nearer the label than its own swatch and
    than the legend sets its swatches (within :data:`RIVAL_NEARER` of the smaller of its
    gap and the median gap: a dashed swatch read in part stands further off than the legend
    sets it), for the entries of a row only (in a column a label's other side holds no
    entry's swatch, but data may). Where the legend's side was chosen wrong for this label
    (a row whose entries stand closer than the legend's other ones), the name belongs to
    that swatch's ink."""
    if not entries:
        return
    boxes = [ln.box for ln in lines] + [e.text_box for e in entries]
    gap = float(np.median([_label_gap(e) for e in entries]))
    for e in entries:
        lb = e.text_box
        if not any(_in_a_row([e, f]) for f in entries if f is not e):
            continue  # in a column, a label's other side holds no entry's swatch (data may)
        own_left = e.swatch_box.right <= lb.left + 1
        side = "right" if own_left else "left"
        level = [b for b in boxes if b != lb and abs(b.top - lb.top) < lb.height
                 and not b.intersects(lb)]
        limit = max([b.right + 1 for b in level if b.right <= lb.left], default=0)
        limit_right = min([b.left - 1 for b in level if b.left >= lb.right], default=None)
        sw = read_swatch(rgb, lb, limit, side, limit_right)
        if sw is None:
            continue
        other = LegendEntry(e.label, sw[0], sw[1], sw[2], lb, sw[3])
        if _label_gap(other) < RIVAL_NEARER * min(gap, _label_gap(e)):
            e.rival = sw[0]


FRAME_COVER = 0.9  # share of a legend box's side a frame line runs along
FRAME_SIDES = 3  # sides of a legend box with a frame line beyond them that show a frame


def framed(rgb: np.ndarray, box: Box, reach: int) -> Box:
    """``box`` grown to the frame drawn around it, where lines run along at least
    ``FRAME_SIDES`` of its sides within ``reach`` pixels outside it; ``box`` as it is
    otherwise. The entries' text and swatches give a box inside the frame: the frame's own
    strokes, left outside, would be read as data of their colour (a black series).

    A frame line is the first row (column) beyond a side, going out, whose pixels differ
    from the box's face colour over ``FRAME_COVER`` of the side's length; it is taken with
    the rows next to it that do too (a line 2 px wide, its anti-aliased edge)."""
    h, w = rgb.shape[:2]
    face = dominant_color(rgb[box.top : box.bottom, box.left : box.right].reshape(-1, 1, 3))

    def lined(strip: np.ndarray) -> np.ndarray:
        """Per line of ``strip`` (lines x length x 3), whether it is a frame stroke."""
        far = lab_distance(to_lab(strip), tuple(int(v) for v in face)) > 12
        return far.mean(axis=1) >= FRAME_COVER

    def out(lines: np.ndarray) -> int | None:
        """How far out the frame's outer edge lies, in lines; None where none runs."""
        hits = np.flatnonzero(lines)
        if not len(hits):
            return None
        end = hits[0]
        while end + 1 < len(lines) and lines[end + 1]:
            end += 1
        return int(end) + 1

    top = out(lined(rgb[max(0, box.top - reach) : box.top, box.left : box.right][::-1]))
    bottom = out(lined(rgb[box.bottom : min(h, box.bottom + reach), box.left : box.right]))
    left = out(lined(rgb[box.top : box.bottom, max(0, box.left - reach) : box.left]
                     .transpose(1, 0, 2)[::-1]))
    right = out(lined(rgb[box.top : box.bottom, box.right : min(w, box.right + reach)]
                      .transpose(1, 0, 2)))
    if sum(side is not None for side in (top, bottom, left, right)) < FRAME_SIDES:
        return box
    return Box(box.left - (left or 0), box.top - (top or 0), box.right + (right or 0),
               box.bottom + (bottom or 0))


def _coloured_glyph(rgb: np.ndarray, line: TextLine) -> bool:
    """Whether a text line is a coloured swatch read as a letter: one or two characters whose
    ink (pixels far from the colour around the box) is mostly chromatic.

    A key with its swatches right of the labels (gnuplot) has its markers read as "o", "m";
    as lines of their own they would end the search for the swatch of the label before them.
    """
    if len(line.text.strip()) > 2:
        return False
    b, pad = line.box, 2  # OCR boxes a swatch tight: its border would be the swatch
    crop = rgb[max(0, b.top - pad) : b.bottom + pad, max(0, b.left - pad) : b.right + pad]
    lab = to_lab(crop)
    ink = lab_distance(lab, _border_colour(crop)) > 18
    if ink.sum() < 4:
        return False
    chroma = np.hypot(lab[..., 1], lab[..., 2])[ink]
    return float(np.mean(chroma > 20)) > 0.5


def _without_swatch_words(rgb: np.ndarray, line: TextLine, plot_area: Box | None = None
                          ) -> list[TextLine]:
    """``line`` without the words that are coloured swatches read as text: unsure words of
    one or two characters whose ink is mostly chromatic (a bar's patch swatch with its edge
    line, read as 'BI'). A leading one widens the label's box over its swatch, and the
    swatch search then starts left of the swatch, in whatever lies there (the bars a
    legend is drawn over); one between words is the swatch of the next entry of a row
    (Vega's horizontal legend, "lr=1e-3 w lr=3e-4"): the line is split there, in two
    labels. So is a line at an unsure word outside the ``plot_area`` whose box begins with
    a swatch (:func:`_swatch_led`); inside it words are read with coloured ink painted out,
    so a patch in a word's box there is a data mark the box reaches over, no swatch."""
    parts: list[list[Word]] = [[]]
    for k, word in enumerate(line.words):
        # (a last word is kept as read: only a word with words after it stands before a label)
        if k < len(line.words) - 1 and word.confidence < 60 and _coloured_glyph(
                rgb, TextLine([word])):
            if parts[-1]:
                parts.append([])
            continue
        inside = plot_area is not None and _within(word.box, plot_area, 0)
        led = (_swatch_led(rgb, word.box) if k > 0 and word.confidence < 60 and not inside
               else None)
        if led is not None:
            # OCR boxed the next entry's swatch with its label ("■run-2" read "Brun2", unsure):
            # the row is split there, the label's box cut to its text
            word = Word(word.text, led, word.confidence, word.symbols)
            if parts[-1]:
                parts.append([])
        parts[-1].append(word)
    return [TextLine(p) for p in parts if p]


LED_SOLID = 0.75  # share of its box a swatch patch fills, at least (glyphs fill less)
LED_SIZE = 0.6  # a swatch patch's width and height, at least, in the word box's heights
LED_CORE = 0.4  # share of a swatch patch's pixels left by a 3x3 erosion (a glyph's strokes
# keep few)


def _swatch_led(rgb: np.ndarray, box: Box) -> Box | None:
    """The box of a word's text where the word's box begins with a solid patch (a legend
    swatch OCR read as the label's first letter), else None.

    The patch is the box's leftmost piece of ink (far from the colour round the box): at
    least :data:`LED_SIZE` of the box's height each way, filling :data:`LED_SOLID` of its
    own box and keeping :data:`LED_CORE` of its pixels under an erosion, with a clear column
    and more ink after it. Glyphs are strokes: bold ones may fill their box, but erode away.
    """
    pad = 2
    crop = rgb[max(0, box.top - pad) : box.bottom + pad, max(0, box.left - pad) : box.right + pad]
    if crop.shape[0] < 3 or crop.shape[1] < 3:
        return None
    ink = lab_distance(to_lab(crop), _border_colour(crop)) > INK_FAR
    labels, n = ndimage.label(ink)
    if n < 2:
        return None
    cols = np.flatnonzero(ink.any(axis=0))
    first = labels[:, cols[0]]
    piece = labels == int(first[first > 0][0])
    ys, xs = np.nonzero(piece)
    width, height = int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)
    least = LED_SIZE * box.height
    if width < least or height < least or piece.sum() < LED_SOLID * width * height:
        return None
    if ndimage.binary_erosion(piece).sum() < LED_CORE * piece.sum():
        return None  # strokes (a bold 'M', an '8'), not a patch
    rest = cols[cols > xs.max() + 1]
    if len(rest) == 0 or ink[:, xs.max() + 1].any():
        return None
    left = max(0, box.left - pad) + int(rest[0])
    return Box(left, box.top, max(left + 1, box.right), box.bottom)


def _without_split_titles(lines: list[TextLine], skip: set[str]) -> list[TextLine]:
    """The text lines but the pieces of a title or axis label that a wide gap split into two
    lines on one row (a title "(mean ± sd)": the "±" between them is no swatch). Lines all
    of whose words are words of ``skip``, with another such line on their row, are left out.
    """
    known = {w for t in skip for w in t.split()}

    def piece(ln: TextLine) -> bool:
        return bool(ln.words) and all(w.text in known for w in ln.words)

    pieces = [ln for ln in lines if piece(ln)]
    out = []
    for ln in lines:
        if piece(ln) and any(o is not ln and abs(o.box.top - ln.box.top) <= 0.5 * ln.box.height
                             and abs(o.box.height - ln.box.height) <= 0.5 * ln.box.height
                             for o in pieces):
            continue
        out.append(ln)
    return out


def _flat_unsure(line: TextLine, label: Box) -> bool:
    """Whether ``line``, beside a label of box ``label``, is a swatch read as text: a dotted
    or dashed stroke Tesseract reads as a flat, unsure word ('ansan' for a dotted line), so
    no word that stops the label's swatch search."""
    conf = max(w.confidence for w in line.words)
    return conf < 50 and line.box.height <= 0.7 * label.height


def _entries(
    rgb: np.ndarray,
    lines: list[TextLine],
    side: str,
    unread: list[tuple[TextLine, Box, int]] | None = None,
    plot_area: Box | None = None,
    walls: tuple[Box, ...] = (),
) -> list[LegendEntry]:
    """Legend entries from text lines with a swatch on ``side``, consistent ones only; the
    lines without a swatch go to ``unread`` (line, text box, left limit). The swatch of a
    line beside the ``plot_area`` is looked for outside it first: markers at the plot's
    edge are no part of a legend outside (Vega's legend stands a swatch's width from the
    plot). The swatch search stops at the other lines' words and at the ``walls`` (text
    that is no legend label: the tick labels), whose glyphs are no swatch."""
    entries: list[LegendEntry] = []
    confidence: list[float] = []
    sources: dict[int, tuple[Box, TextLine]] = {}  # where each entry's label was read
    found: list[tuple[TextLine, Box, int]] = []  # each entry's line, text box, left limit
    for ln in sorted(lines, key=lambda ln: (ln.box.top, ln.box.left)):
        lb = ln.box
        # stop the swatch search at the nearest word on that side on the same line
        limit, limit_right = 0, None
        for other in [*lines, *(TextLine([Word("", b, 100.0)]) for b in walls)]:
            ob = other.box
            if other is ln or abs(ob.top - lb.top) >= lb.height or _flat_unsure(other, lb):
                continue
            if ob.right <= lb.left:
                limit = max(limit, ob.right + 1)
            if ob.left >= lb.right:
                limit_right = ob.left - 1 if limit_right is None else min(limit_right,
                                                                          ob.left - 1)
        sw = None
        if plot_area is not None and _beside(lb, plot_area):
            # outside the plot first; a plot area found too wide (no frame: the last
            # gridline taken for its edge) may hold the swatches, so then anywhere
            if side == "left" and lb.left >= plot_area.right:
                sw = read_swatch(rgb, lb, max(limit, plot_area.right + 1), side, limit_right)
            if side == "right" and lb.right <= plot_area.left:
                stop = plot_area.left - 2
                sw = read_swatch(rgb, lb, limit, side,
                                 stop if limit_right is None else min(limit_right, stop))
        if sw is None:
            sw = read_swatch(rgb, lb, limit, side, limit_right)
        if side == "left" and (sw is None or (sw[3].width < 0.8 * lb.height
                                              and sw[3].height < 0.8 * lb.height)):
            # OCR sometimes boxes part of a coloured swatch with the text: trim the box to the
            # neutral ink and look again
            trimmed = _text_ink_box(rgb, lb)
            if trimmed is not None and trimmed.left - lb.left > 0.3 * lb.height:
                sw = read_swatch(rgb, trimmed, limit) or sw
                lb = trimmed if sw is not None else lb
        pale = read_pale_patch(rgb, lb, limit, side, limit_right)
        faint = pale is not None and (sw is None or not _within(sw[3], pale[3], 2))
        if faint:
            # no ink swatch, or a data stroke crossing the pale patch, running on beyond it
            sw = pale
        if sw is None:
            if unread is not None:
                unread.append((ln, lb, limit))
            continue
        color, marker, has_line, sbox, dashes = sw
        entries.append(LegendEntry(_clean_label(ln.text), color, marker, has_line, lb, sbox,
                                   dashes, faint))
        sources[id(entries[-1])] = (lb, ln)
        found.append((ln, lb, limit))
        confidence.append(float(np.mean([w.confidence for w in ln.words])))

    def relabel(entry: LegendEntry) -> None:
        lb, ln = sources.pop(id(entry), (None, None))
        if lb is not None and ln is not None:
            entry.label = _clean_label(reread_label(rgb, lb, ln))

    kept = _consistent_entries(entries, confidence, relabel,
                               lambda a, b: _drawn_apart(rgb, a, b))
    if unread is not None:
        # a swatch misread (a data stroke passing by, not the glyph) gets its second look too
        kept_ids = {id(e) for e in kept}
        unread += [src for e, src in zip(entries, found, strict=True) if id(e) not in kept_ids]
    return kept


def _within(inner: Box, outer: Box, pad: int) -> bool:
    """Whether ``inner`` lies inside ``outer`` grown by ``pad`` pixels on every side."""
    return (inner.left >= outer.left - pad and inner.right <= outer.right + pad
            and inner.top >= outer.top - pad and inner.bottom <= outer.bottom + pad)


def _beside(box: Box, plot_area: Box) -> bool:
    """Whether ``box`` lies level with ``plot_area``, wholly left or right of it."""
    level = box.bottom > plot_area.top and box.top < plot_area.bottom
    return level and (box.left >= plot_area.right or box.right <= plot_area.left)


def _consistent_entries(
    entries: list[LegendEntry],
    confidence: list[float],
    relabel: Callable[[LegendEntry], None] | None = None,
    drawn_apart: Callable[[LegendEntry, LegendEntry], bool] | None = None,
) -> list[LegendEntry]:
    """The legend: the biggest group of entries laid out as one (a column or a row).

    Two entries belong together when their swatches and labels line up in a column with at
    most a few line heights between them, or sit on one row. Swatch-like finds elsewhere (a
    data line beside a stray word, a title) rarely join such a group. A legend of one entry
    must read confidently as a word.

    ``relabel`` reads an entry's label again, more carefully (OCR is the cost here): it is
    called for the entries of the legend chosen, and for any whose first reading is no word.
    ``drawn_apart`` tells whether two entries read alike (one colour, marker and dash
    pattern) show different pictures all the same: same-colour series told apart by a marker
    the swatch reader misnamed (a JPEG's small square and circle both read 'o'); such an
    entry is no misread and is kept.
    """
    relabel = relabel or (lambda entry: None)
    drawn_apart = drawn_apart or (lambda a, b: False)

    def wordy(e: LegendEntry) -> bool:
        return sum(ch.isalnum() for ch in e.label) >= 2

    for e in entries:
        if not wordy(e):
            relabel(e)
    keep = [k for k, e in enumerate(entries) if wordy(e)]
    entries = [entries[k] for k in keep]
    confidence = [confidence[k] for k in keep]
    n = len(entries)
    if n == 0:
        return []
    parent = list(range(n))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a in range(n):
        for b in range(a + 1, n):
            if _same_legend(entries[a], entries[b]):
                parent[find(a)] = find(b)
    groups: dict[int, list[int]] = {}
    for k in range(n):
        groups.setdefault(find(k), []).append(k)
    # a group whose swatches are all one ink is a row of look-alikes (tick marks), not a
    # legend, unless they differ in marker or dash pattern (series of one ink told apart so)
    best = max(
        groups.values(),
        key=lambda g: (
            len({entries[k].color for k in g}),
            len({(entries[k].color, entries[k].marker, tuple(entries[k].dashes)) for k in g}),
            float(np.mean([confidence[k] for k in g])),
        ),
    )
    for k in best:
        relabel(entries[k])
    best = [k for k in best if wordy(entries[k])]
    if not best:
        return []
    if len(best) == 1:
        k = best[0]
        # vertical strokes (error bars, ticks) read as text come out as l, I, i, 1, |
        shaped = sum(ch.isalpha() and ch not in "lIij" for ch in entries[k].label)
        if confidence[k] < 50 or shaped < 2:
            return []
    out: list[LegendEntry] = []
    for e in (entries[k] for k in sorted(best)):
        # one entry per ink: a repeated colour and marker is a misread, keep the first
        same = [
            o
            for o in out
            if o.marker == e.marker
            and same_pattern(o.dashes, e.dashes)
            and float(lab_distance(to_lab(np.array(e.color, np.uint8).reshape(1, 3)), o.color)[0])
            < SAME_INK_DE
            and not drawn_apart(o, e)
            # pale patches lie close together (tints of distinct inks at a band's opacity):
            # one of them read twice is one patch
            and (not (o.faint or e.faint) or o.swatch_box.intersects(e.swatch_box))
        ]
        if not same:
            out.append(e)
    return out


def _swatch_marker(rgb: np.ndarray, entry: LegendEntry) -> np.ndarray | None:
    """The marker ``entry``'s swatch shows, as a boolean mask cut to its box (see
    :func:`shapes.marker_template`), or None where the swatch shows no marker."""
    ink = swatch_ink(rgb, entry.swatch_box, entry.color, line=bool(entry.has_line))
    if ink is None or not ink.any():
        return None
    # the line's half-width; without a line the ink is the marker (no stroke to open away)
    half = line_half_width(ink) if entry.has_line else 0.5
    return shapes.marker_template(ink, half)


def swatch_ink(rgb: np.ndarray, box: Box, color: RGB, *, line: bool = True,
               rims: bool = False) -> np.ndarray | None:
    """The pixels of ``color`` (within :data:`SWATCH_INK_DE`) around a swatch box, or None
    where the box is off the image.

    The box is padded by half its height (at least 3 px) above and below, as the swatch box
    may be the marker's core only; sideways by a pixel where the swatch shows a ``line`` (its
    ends are the box's), else as much as above. With ``rims``, the darker edges drawn round
    the ink's markers count as ink (:func:`colors.dark_rims`)."""
    pad = max(3, box.height // 2)
    side = 1 if line else pad
    crop = rgb[max(0, box.top - pad) : box.bottom + pad, max(0, box.left - side) : box.right + side]
    if crop.size == 0:
        return None
    lab = to_lab(crop)
    ink = lab_distance(lab, color) < SWATCH_INK_DE
    return ink | dark_rims(lab, ink, color) if rims else ink


SWATCH_INK_DE = 1.6 * SAME_COLOR  # a swatch's pixels of its ink (anti-aliased edges too)
DRAWN_ALIKE = 0.85  # IoU of two swatches' markers (centred) at or past which they are one


def _drawn_apart(rgb: np.ndarray, a: LegendEntry, b: LegendEntry) -> bool:
    """Whether two legend swatches both read as showing a marker show markers of different
    shapes (centred IoU under ``DRAWN_ALIKE``), whatever shape they were read as.

    Two entries of one colour read as one marker are either one swatch read twice (a label
    whose swatch search ran into its neighbour's swatch: the same picture) or series of one
    colour told apart by a marker the reader misnamed: a JPEG's small square and circle both
    read 'o', or a triangle and a square both 's'.
    """
    if a.marker is None or b.marker is None:
        return False  # strokes of dashed swatches are no markers to compare
    ta, tb = _swatch_marker(rgb, a), _swatch_marker(rgb, b)
    return ta is not None and tb is not None and not shapes.alike(ta, tb, DRAWN_ALIKE)


# colour difference (Lab dE) under which two swatches of one marker and dash pattern are one
# ink: JPEG noise moves a swatch's colour by up to about 6; distinct series' inks differ by
# 12 or more
SAME_INK_DE = 8.0


def _alike(a: Box, b: Box) -> bool:
    """Whether two swatch boxes are about one size (legend handles of one legend)."""
    return (abs(a.width - b.width) <= 0.3 * max(a.width, b.width) + 2
            and abs(a.height - b.height) <= 0.3 * max(a.height, b.height) + 2)


def _same_legend(e: LegendEntry, f: LegendEntry) -> bool:
    """Whether two entries sit in one legend: a column with little space between, or a row."""
    h = max(e.text_box.height, f.text_box.height)
    tol = 0.6 * h
    # dashed and dotted swatches start at different places: either edge may line up
    # a marker without a line sits at the middle of the handle: centres line up
    swatches_aligned = (
        abs(f.swatch_box.left - e.swatch_box.left) <= tol
        or abs(f.swatch_box.right - e.swatch_box.right) <= tol
        or abs((f.swatch_box.left + f.swatch_box.right) - (e.swatch_box.left + e.swatch_box.right))
        <= 2 * tol
    )
    # a label's box may start early, with a stroke passing under it: swatches starting
    # together (and drawn alike: handles of one size) are a column all the same
    texts_aligned = abs(f.text_box.left - e.text_box.left) <= tol or (
        _alike(e.swatch_box, f.swatch_box)
        and abs(f.swatch_box.left - e.swatch_box.left) <= 0.3 * h
        and abs(f.text_box.left - e.text_box.left) <= 1.2 * h)
    same_column = (
        swatches_aligned
        and texts_aligned
        # two row pitches: an entry between them may not have been read (a black swatch)
        and abs(f.text_box.top - e.text_box.top) <= 4.5 * h
    )
    same_row = (
        abs(f.text_box.top - e.text_box.top) <= 0.4 * h
        and abs(f.text_box.height - e.text_box.height) <= tol
        and _row_gap(e, f) <= 6.0 * h + _right_key_slack(e, f)
    )
    return same_column or same_row


def _row_gap(e: LegendEntry, f: LegendEntry) -> float:
    """Horizontal space between two entries of a row, each its swatch and label together
    (the swatch either side of the label); 0 where they overlap."""
    ea, fa = e.swatch_box.union(e.text_box), f.swatch_box.union(f.text_box)
    return float(max(0, max(ea.left, fa.left) - min(ea.right, fa.right)))


def _right_key_slack(e: LegendEntry, f: LegendEntry) -> float:
    """Extra room between two entries of a row whose swatches are right of their labels.

    Such a key (gnuplot's) sets its entries at a fixed pitch with the labels right-aligned,
    so the space before a short label is that of a long one: up to a label's width more.
    """
    right = all(g.swatch_box.left >= g.text_box.right - 1 for g in (e, f))
    return float(max(e.text_box.width, f.text_box.width)) if right else 0.0
