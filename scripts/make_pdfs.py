#!/usr/bin/env python3
"""Generated "papers": PDFs of corpus charts, with the truth of every figure.

Three kinds, the forms charts take in papers:

- ``vector``: matplotlib figures kept as vector graphics (``savefig(..., format="pdf")``),
  placed two to a page, as LaTeX places ``\\includegraphics`` of a PDF figure;
- ``raster``: the charts' PNG/JPEG images embedded at their own resolution, two to a page;
- ``mixed``: a vector figure above an embedded image on every page.

Usage::

    python scripts/make_pdfs.py --out /tmp/papers --seed 5 --pages 3

writes ``vector.pdf``, ``raster.pdf``, ``mixed.pdf`` and, per figure, ``truth/KIND-pP-fF.json``
(the generator's ground truth; ``P``/``F`` count from 1 in reading order, the names
``digitize batch`` gives the figures it cuts out of ``KIND.pdf``) and ``charts/KIND-pP-fF.*``,
the chart as an image file, to tell what the PDF costs from what the chart itself costs.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fixtures  # noqa: E402

PAGE_W, PAGE_H = 612.0, 792.0  # US letter, points
MARGIN = 54.0
RASTER_DPI = 150.0  # how large an embedded image is placed: its pixels at this density


def _slots(n: int) -> list[tuple[float, float, float, float]]:
    """``n`` figure slots stacked down a page, top first: (x, y, width, height) in points,
    PDF coordinates (origin bottom left)."""
    gap = 36.0
    h = (PAGE_H - 2 * MARGIN - gap * (n - 1)) / n
    return [(MARGIN, PAGE_H - MARGIN - (i + 1) * h - i * gap, PAGE_W - 2 * MARGIN, h)
            for i in range(n)]


def _fit(w: float, h: float, slot: tuple[float, float, float, float]) -> tuple[float, float,
                                                                               float]:
    """Scale and lower-left corner placing a ``w``×``h`` box centred in ``slot``."""
    x, y, sw, sh = slot
    s = min(sw / w, sh / h, 1.0)
    return s, x + (sw - w * s) / 2, y + (sh - h * s) / 2


def _place_vector(doc: pdfium.PdfDocument, page: pdfium.PdfPage, pdf_path: Path,
                  slot: tuple[float, float, float, float]) -> None:
    src = pdfium.PdfDocument(str(pdf_path))
    w, h = src.get_page_size(0)
    xobj = src.page_as_xobject(0, doc)
    obj = xobj.as_pageobject()
    s, x, y = _fit(w, h, slot)
    obj.transform(pdfium.PdfMatrix().scale(s, s).translate(x, y))
    page.insert_obj(obj)
    src.close()


def _place_raster(doc: pdfium.PdfDocument, page: pdfium.PdfPage, image_path: Path,
                  slot: tuple[float, float, float, float]) -> None:
    with Image.open(image_path) as im:
        rgb = im.convert("RGB")
    w, h = rgb.width * 72 / RASTER_DPI, rgb.height * 72 / RASTER_DPI
    s, x, y = _fit(w, h, slot)
    img = pdfium.PdfImage.new(doc)
    img.set_bitmap(pdfium.PdfBitmap.from_pil(rgb))
    img.set_matrix(pdfium.PdfMatrix().scale(w * s, h * s).translate(x, y))
    page.insert_obj(img)


def make_paper(kind: str, charts: list[Path], out: Path, per_page: int = 2) -> list[str]:
    """Write ``out/KIND.pdf`` from ``charts`` (generated stems, each with .pdf, an image and
    .json); copy each truth to ``out/truth/KIND-pP-fF.json``.  Returns the figure keys."""
    doc = pdfium.PdfDocument.new()
    keys = []
    truth_dir = out / "truth"
    truth_dir.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(charts), per_page):
        page = doc.new_page(PAGE_W, PAGE_H)
        pnum = start // per_page + 1
        for i, (stem, slot) in enumerate(zip(charts[start:start + per_page], _slots(per_page),
                                             strict=False)):
            vector = kind == "vector" or (kind == "mixed" and i == 0)
            if vector:
                _place_vector(doc, page, stem.with_suffix(".pdf"), slot)
            else:
                image = next(p for p in (stem.with_suffix(".png"), stem.with_suffix(".jpg"))
                             if p.exists())
                _place_raster(doc, page, image, slot)
            key = f"{kind}-p{pnum}-f{i + 1}"
            shutil.copy(stem.with_suffix(".json"), truth_dir / f"{key}.json")
            charts_dir = out / "charts"
            charts_dir.mkdir(exist_ok=True)
            for src in stem.parent.glob(stem.name + ".*"):
                if src.suffix != ".pdf":
                    shutil.copy(src, charts_dir / f"{key}{src.suffix}")
            keys.append(key)
        page.gen_content()
    doc.save(str(out / f"{kind}.pdf"))
    return keys


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=5, help="corpus seed of the charts drawn")
    ap.add_argument("--pages", type=int, default=3, help="pages per paper (2 figures a page)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    per_paper = 2 * args.pages
    with tempfile.TemporaryDirectory(prefix="papers-") as tmp:
        charts = []
        for index in range(3 * per_paper):
            spec = make_fixtures.corpus_spec(index, args.seed)
            stem = f"fig{index:03d}"
            make_fixtures.render(spec, Path(tmp), stem, also=("pdf",))
            charts.append(Path(tmp) / stem)
        for n, kind in enumerate(("vector", "raster", "mixed")):
            keys = make_paper(kind, charts[n * per_paper:(n + 1) * per_paper], args.out)
            print(f"{args.out / kind}.pdf: {len(keys)} figures")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
