"""Charts in PDFs: find the figures of every page and digitize each one.

Two kinds of figure are found (pages are read with pypdfium2, which needs no system library):

* **raster figures**: embedded images shown at least ``MIN_FIGURE_IN`` inches on each side,
  taken at their own resolution (transparency composited on white);
* **vector figures placed as a whole**: a form XObject (how LaTeX's ``\\includegraphics``
  and most layout tools place a PDF figure) at least ``MIN_FIGURE_IN`` inches on each side and
  not covering most of the page: its box is exactly the figure's;
* **vector figures drawn into the page**: the page is rendered at ``dpi`` (150 by default)
  and every text run the PDF declares is blanked out; what non-white ink remains (lines,
  markers, fills, axes frames) is merged with a small closing and split into connected
  components. A component at least ``MIN_FIGURE_IN`` inches on each side is a figure part;
  its box is grown over the text runs next to it (tick labels, axis titles, legend text),
  parts that then touch are joined (a legend below its plot), and the figure is cut from the
  rendered page with a margin.

Regions already taken by a raster figure are left out of the vector search, and regions
taken by a placed form out of the ink search.

Figures are numbered per page from the top (``figure`` 1, 2, ...), pages from 1.

``digitize paper.pdf`` prints one CSV for the whole document with two leading columns,
``page,figure,series,x,y,y_lower,y_upper``; a figure that cannot be digitized is skipped with
a note on stderr.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from .errors import DigitizeError, InputError, NotAChartError, UsageError, UsageParser
from .geometry import Box

DEFAULT_DPI = 150
MIN_FIGURE_IN = 1.0  # a figure is at least this many inches on each side
MIN_RASTER_PX = 96  # an embedded image smaller than this (pixels) is an icon, not a chart
MIN_PART_IN = 0.1  # smaller ink than this (a speck, a bullet) never joins a figure
MAX_PAGE_SHARE = 0.8  # a form covering more of the page than this wraps the page, not a figure
MAX_ASPECT = 6.0  # wider/taller than this is a rule or a banner, not a chart
INK_LEVEL = 14  # a pixel this far below white (in its darkest channel) is ink
TEXT_REACH_IN = 0.3  # text runs within this distance of a figure belong to it
PAD_IN = 0.06  # margin added around a cut-out figure
_CAPTION = re.compile(r"^(fig(ure)?|table|chart)\.?\s*\d", re.IGNORECASE)


@dataclass
class PdfFigure:
    """One figure found on a page.

    Attributes
    ----------
    page, figure : int
        1-based page number and index of the figure on the page (top to bottom).
    kind : str
        ``"raster"`` (an embedded image) or ``"vector"`` (cut from the rendered page).
    bbox : tuple of float
        ``(left, top, right, bottom)`` on the page, in points from the top-left corner.
    rgb : numpy.ndarray
        The figure's pixels, ``(H, W, 3)`` uint8.
    """

    page: int
    figure: int
    kind: str
    bbox: tuple[float, float, float, float]
    rgb: np.ndarray


@dataclass
class SavedFigure:
    """A figure written to disk by :func:`save_figures` (``image`` is relative to OUTDIR)."""

    page: int
    figure: int
    kind: str
    key: str
    image: str


# -- finding figures ------------------------------------------------------------------------


def open_pdf(path: str | Path) -> Any:
    """Open a PDF with pypdfium2; a missing, unreadable or encrypted file is an InputError."""
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:  # pragma: no cover - a dependency
        raise InputError("reading PDFs needs pypdfium2: pip install pypdfium2") from exc
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    try:
        return pdfium.PdfDocument(str(p))
    except Exception as exc:  # noqa: BLE001 - pdfium's errors are not one class
        raise InputError(f"{path}: not a readable PDF ({_first_line(exc)})") from exc


def find_figures(path: str | Path, *, dpi: int = DEFAULT_DPI) -> list[PdfFigure]:
    """Every figure of every page of a PDF.

    Parameters
    ----------
    path : str or Path
        The PDF.
    dpi : int
        Resolution pages are rendered at for vector figures.

    Returns
    -------
    list of PdfFigure
        In page order, top to bottom within a page.

    Raises
    ------
    InputError
        When the file is not a readable PDF.
    """
    doc = open_pdf(path)
    figures: list[PdfFigure] = []
    try:
        for number in range(len(doc)):
            page = doc[number]
            try:
                figures.extend(page_figures(page, number + 1, dpi=dpi))
            finally:
                page.close()
    finally:
        doc.close()
    return figures


def page_figures(page: Any, number: int, *, dpi: int = DEFAULT_DPI) -> list[PdfFigure]:
    """The raster and vector figures of one pypdfium2 page, numbered from the top."""
    width, height = page.get_size()
    raster = raster_figures(page, height)
    taken = [f.bbox for f in raster]
    placed = form_figures(page, width, height, dpi=dpi, exclude=taken)
    taken += [f.bbox for f in placed]
    vector = vector_figures(page, width, height, dpi=dpi, exclude=taken)
    found = sorted(raster + placed + vector, key=lambda f: (round(f.bbox[1]), f.bbox[0]))
    for i, f in enumerate(found):
        f.page, f.figure = number, i + 1
    return found


def raster_figures(page: Any, page_height: float) -> list[PdfFigure]:
    """Embedded images large enough on the page and in pixels to hold a chart."""
    import pypdfium2.raw as raw

    out = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = obj.get_bounds()
        bbox = (left, page_height - top, right, page_height - bottom)
        if not _figure_sized((right - left) / 72, (top - bottom) / 72):
            continue
        rgb = _image_pixels(obj)
        if rgb is None or min(rgb.shape[:2]) < MIN_RASTER_PX:
            continue
        out.append(PdfFigure(0, 0, "raster", bbox, rgb))
    return out


def _image_pixels(obj: Any) -> np.ndarray | None:
    """An image object's pixels as RGB on white, at the image's own resolution.

    pdfium's rendering applies the image's mask (transparency) but resamples when the placed
    size rounds to another pixel count; it is used only when it keeps the image's size."""
    from .image import load_image

    bitmaps = {}
    for render in (False, True):
        try:
            bitmaps[render] = obj.get_bitmap(render=render).to_pil()
        except Exception:  # noqa: BLE001 - try the other way, else skip the image
            continue
    raw, rendered = bitmaps.get(False), bitmaps.get(True)
    if rendered is not None and (raw is None or rendered.size == raw.size):
        pil = rendered
    elif raw is not None:
        pil = raw
    else:
        return None
    try:
        return load_image(pil)
    except DigitizeError:
        return None


def form_figures(
    page: Any,
    width: float,
    height: float,
    *,
    dpi: int = DEFAULT_DPI,
    exclude: list[tuple[float, float, float, float]] | None = None,
) -> list[PdfFigure]:
    """Figures placed as form XObjects: figure-sized, not most of the page, not already a
    raster figure (an image wrapped in a form)."""
    import pypdfium2.raw as raw

    boxes = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_FORM], max_depth=1):
        left, bottom, right, top = obj.get_bounds()
        left, right = max(0.0, left), min(width, right)
        bottom, top = max(0.0, bottom), min(height, top)
        bbox = (left, height - top, right, height - bottom)
        area = (right - left) * (top - bottom)
        if not _figure_sized((right - left) / 72, (top - bottom) / 72):
            continue
        if area > MAX_PAGE_SHARE * width * height:
            continue
        if any(_overlap_share(bbox, b) > 0.5 for b in exclude or []):
            continue
        boxes.append(bbox)
    if not boxes:
        return []
    scale = dpi / 72.0
    rgb = page.render(scale=scale, rev_byteorder=True).to_numpy()[:, :, :3]
    out = []
    for bbox in boxes:
        box = _to_px(bbox, scale, rgb.shape)
        crop = rgb[box.top : box.bottom, box.left : box.right].copy()
        if crop.size and (crop.min(axis=2) < 255 - INK_LEVEL).any():
            out.append(PdfFigure(0, 0, "vector", bbox, crop))
    return out


def _overlap_share(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """Area of ``a`` ∩ ``b`` as a share of the smaller box."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h / max(smaller, 1e-9)


def vector_figures(
    page: Any,
    width: float,
    height: float,
    *,
    dpi: int = DEFAULT_DPI,
    exclude: list[tuple[float, float, float, float]] | None = None,
) -> list[PdfFigure]:
    """Figures drawn with vector graphics: large connected regions of non-text ink."""
    scale = dpi / 72.0
    rgb = page.render(scale=scale, rev_byteorder=True).to_numpy()[:, :, :3].copy()
    runs = [(_to_px(b, scale, rgb.shape), cap) for b, cap in text_boxes(page, height)]
    texts = [t for t, cap in runs if not cap]
    ink = rgb.min(axis=2) < 255 - INK_LEVEL
    for t, _ in runs:
        ink[t.top : t.bottom, t.left : t.right] = False
    for b in exclude or []:
        box = _to_px(b, scale, rgb.shape)
        ink[box.top : box.bottom, box.left : box.right] = False
    out = []
    reach = int(TEXT_REACH_IN * dpi)
    groups = ink_groups(ink, dpi)
    figures = [grow_over_text(box, texts, reach) for box in graphic_regions(groups)]
    parts = [b for b in graphic_regions(groups, min_in=MIN_PART_IN)
             if not _figure_sized(b.width / dpi, b.height / dpi)]
    for grown in join_touching(figures, parts, reach // 2, reach):
        grown = grow_over_text(grown, texts, reach)
        pad = int(PAD_IN * dpi)
        grown = Box(grown.left - pad, grown.top - pad, grown.right + pad, grown.bottom + pad)
        grown = grown.clip(rgb.shape[1], rgb.shape[0])
        crop = rgb[grown.top : grown.bottom, grown.left : grown.right].copy()
        bbox = tuple(v / scale for v in (grown.left, grown.top, grown.right, grown.bottom))
        out.append(PdfFigure(0, 0, "vector", bbox, crop))  # type: ignore[arg-type]
    return out


def text_boxes(page: Any, page_height: float) -> list[tuple[tuple[float, ...], bool]]:
    """The text runs of a page: ``((left, top, right, bottom), is_caption)`` in points from
    the top-left; a caption is a run starting "Figure 3", "Fig. 3", "Table 3"..."""
    textpage = page.get_textpage()
    try:
        boxes = []
        for i in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(i)
            text = textpage.get_text_bounded(left, bottom, right, top).strip()
            box = (left, page_height - top, right, page_height - bottom)
            boxes.append((box, bool(_CAPTION.match(text))))
        return boxes
    finally:
        textpage.close()


def ink_groups(ink: np.ndarray, dpi: int) -> list[tuple[Box, float, float]]:
    """The connected groups of ink, joined across gaps of ~1/15 inch: per group the box of the
    ink itself and the joined group's width and height in inches."""
    if not ink.any():
        return []
    k = max(3, dpi // 15)
    closed = cv2.dilate(ink.astype(np.uint8), np.ones((k, k), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        # undo the dilation: the box of the ink itself
        sub = ink[y : y + h, x : x + w]
        rows, cols = np.flatnonzero(sub.any(axis=1)), np.flatnonzero(sub.any(axis=0))
        box = Box(x + int(cols[0]), y + int(rows[0]), x + int(cols[-1]) + 1,
                  y + int(rows[-1]) + 1)
        out.append((box, w / dpi, h / dpi))
    return out


def graphic_regions(
    groups: list[tuple[Box, float, float]], *, min_in: float = MIN_FIGURE_IN
) -> list[Box]:
    """Boxes of the ink groups (:func:`ink_groups`) at least ``min_in`` inches on each side
    and not thin rules or banners."""
    return _drop_nested([b for b, w, h in groups if _figure_sized(w, h, min_in)])


def grow_over_text(box: Box, texts: list[Box], reach: int, rounds: int = 3) -> Box:
    """``box`` grown over the text runs within ``reach`` pixels of it (tick labels, then axis
    titles beyond them); runs much wider than the box (body text) are never taken."""
    for _ in range(rounds):
        grown = box
        for t in texts:
            if t.width > 1.1 * box.width or t.height > 0.5 * box.height:
                continue
            if _gap(grown, t) <= reach:
                grown = grown.union(t)
        if grown == box:
            break
        box = grown
    return box


def join_touching(figures: list[Box], parts: list[Box], gap: int, part_gap: int) -> list[Box]:
    """Join figure boxes closer than ``gap`` pixels (overlapping ones included), and take in
    the smaller ``parts`` within ``part_gap`` of one, until nothing more joins: the pieces of one
    figure (a plot and its legend below it, panels sharing labels). Parts never make a
    figure of their own."""
    boxes, parts = list(figures), list(parts)
    merged = True
    while merged:
        merged = False
        for i in range(len(boxes)):
            near = [j for j in range(len(boxes)) if j != i and _gap(boxes[i], boxes[j]) <= gap]
            taken = [p for p in parts if _gap(boxes[i], p) <= part_gap]
            if near or taken:
                joined = boxes[i]
                for other in taken + [boxes[j] for j in near]:
                    joined = joined.union(other)
                parts = [p for p in parts if p not in taken]
                boxes = [b for j, b in enumerate(boxes) if j != i and j not in near] + [joined]
                merged = True
                break
    return boxes


def _gap(a: Box, b: Box) -> int:
    dx = max(0, max(a.left, b.left) - min(a.right, b.right))
    dy = max(0, max(a.top, b.top) - min(a.bottom, b.bottom))
    return max(dx, dy)


def _drop_nested(boxes: list[Box]) -> list[Box]:
    return [
        b for b in boxes
        if not any(o is not b and o.union(b) == o and o.area > b.area for o in boxes)
    ]


def _figure_sized(w_in: float, h_in: float, min_in: float = MIN_FIGURE_IN) -> bool:
    if w_in < min_in or h_in < min_in:
        return False
    return max(w_in, h_in) / max(min(w_in, h_in), 1e-6) <= MAX_ASPECT


def _to_px(b: tuple[float, float, float, float], scale: float, shape: tuple[int, ...]) -> Box:
    h, w = shape[:2]
    left, top = max(0, int(np.floor(b[0] * scale)) - 1), max(0, int(np.floor(b[1] * scale)) - 1)
    right = min(w, int(np.ceil(b[2] * scale)) + 1)
    bottom = min(h, int(np.ceil(b[3] * scale)) + 1)
    return Box(left, top, max(left, right), max(top, bottom))


# -- saving figures for the batch -----------------------------------------------------------


def save_figures(
    path: str | Path, outdir: Path, key: str, *, signature: str = "", dpi: int = DEFAULT_DPI
) -> list[SavedFigure]:
    """Cut the figures of a PDF out as ``KEY-pPAGE-fFIGURE.png`` in ``outdir``.

    The list is cached in ``KEY.figures.json`` with the input's signature and ``dpi``: a
    re-run on the same PDF reuses the saved figures without rendering again.
    """
    cache = outdir / f"{key}.figures.json"
    cached = _cached_figures(cache, outdir, signature, dpi)
    if cached is not None:
        return cached
    from PIL import Image

    saved = []
    for f in find_figures(path, dpi=dpi):
        fkey = f"{key}-p{f.page}-f{f.figure}"
        Image.fromarray(f.rgb).save(outdir / f"{fkey}.png")
        saved.append(SavedFigure(f.page, f.figure, f.kind, fkey, f"{fkey}.png"))
    data = {"signature": signature, "dpi": dpi, "figures": [asdict(s) for s in saved]}
    cache.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return saved


def _cached_figures(
    cache: Path, outdir: Path, signature: str, dpi: int
) -> list[SavedFigure] | None:
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        if not signature or data["signature"] != signature or data["dpi"] != dpi:
            return None
        saved = [SavedFigure(**f) for f in data["figures"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if all((outdir / s.image).is_file() for s in saved):
        return saved
    return None


# -- command line: digitize paper.pdf -------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """Arguments of ``digitize FILE.pdf``."""
    p = UsageParser(
        prog="digitize FILE.pdf",
        description="Digitize every chart of a PDF: CSV with leading columns page,figure.",
    )
    p.add_argument("pdf", help="the PDF")
    p.add_argument("--json", action="store_true", help="print a JSON list of figures")
    p.add_argument("-o", "--output", help="write the CSV/JSON to this file instead of stdout")
    p.add_argument("--dpi", type=int, default=DEFAULT_DPI, help="page render resolution")
    p.add_argument("--figures", metavar="DIR", help="also save each figure as a PNG here")
    p.add_argument("--max-pixels", type=int, default=50_000_000, help="refuse larger figures")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    return p


def main(argv: list[str]) -> int:
    """``digitize FILE.pdf``: digitize every figure; skipped figures are noted on stderr.

    Raises
    ------
    InputError
        The file is not a readable PDF (exit 2).
    NotAChartError
        No figure of the PDF could be digitized (exit 3).
    """
    args = build_parser().parse_args(argv)
    if args.dpi < 36 or args.dpi > 600:
        raise UsageError("--dpi must be between 36 and 600")
    figures = find_figures(args.pdf, dpi=args.dpi)
    if args.figures:
        _save_pngs(figures, Path(args.figures))
    done = digitize_figures(figures, max_pixels=args.max_pixels)
    if not done:
        raise NotAChartError(
            f"{args.pdf}: no chart could be digitized ({len(figures)} figures found)"
        )
    text = figures_json(done) if args.json else figures_csv(done)
    if args.output:
        from .cli import _write_atomic

        _write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    return 0


def digitize_figures(figures: list[PdfFigure], **options: Any) -> list[tuple[PdfFigure, Any]]:
    """Digitize each figure; those that fail are skipped with a note on stderr."""
    from .pipeline import read

    done = []
    for f in figures:
        try:
            result = read(f.rgb, **options)
        except Exception as exc:  # noqa: BLE001 - one figure never stops the document
            print(f"digitize: page {f.page} figure {f.figure} skipped: {_first_line(exc)}",
                  file=sys.stderr)
            continue
        for w in result.warnings:
            print(f"digitize: warning: page {f.page} figure {f.figure}: {w}", file=sys.stderr)
        done.append((f, result))
    return done


def figures_csv(done: list[tuple[PdfFigure, Any]]) -> str:
    """One CSV for the document: ``page,figure`` then the usual columns."""
    from .result import CSV_COLUMNS, X_ERROR_COLUMNS

    x_errors = any("x_lower" in result.columns() for _, result in done)
    columns = CSV_COLUMNS + (X_ERROR_COLUMNS if x_errors else [])
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["page", "figure", *columns], restval="",
                            lineterminator="\n")
    writer.writeheader()
    for f, result in done:
        for row in result.rows():
            writer.writerow({"page": f.page, "figure": f.figure, **row})
    return buf.getvalue()


def figures_json(done: list[tuple[PdfFigure, Any]]) -> str:
    """A JSON list: per figure its page, index, kind, box (points) and the full result."""
    from .result import _json_default

    items = [
        {"page": f.page, "figure": f.figure, "kind": f.kind,
         "bbox": [round(v, 1) for v in f.bbox], "result": result.to_dict()}
        for f, result in done
    ]
    return json.dumps(items, indent=2, default=_json_default) + "\n"


def _save_pngs(figures: list[PdfFigure], folder: Path) -> None:
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    for f in figures:
        Image.fromarray(f.rgb).save(folder / f"p{f.page}-f{f.figure}.png")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


__all__ = [
    "PdfFigure",
    "SavedFigure",
    "find_figures",
    "page_figures",
    "save_figures",
    "main",
]
