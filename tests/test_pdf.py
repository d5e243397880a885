"""Charts in PDFs: vector figures cut from the rendered page, embedded raster figures,
``digitize paper.pdf`` and PDFs in a batch."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402
from matplotlib.patches import Circle, Rectangle  # noqa: E402
from PIL import Image  # noqa: E402

from digitize.errors import InputError  # noqa: E402
from digitize.pdf import find_figures, save_figures  # noqa: E402

PROSE = "Body text of the paper, long enough to be a line of prose across the page width."


def _prose(fig: plt.Figure, lines: int, top: float = 0.95) -> None:
    for i in range(lines):
        fig.text(0.08, top - i * 0.022, PROSE, fontsize=10)


@pytest.fixture(scope="module")
def vector_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Page 1: prose, a line chart y = 2x + 1, its caption and a diagram (not a chart);
    page 2: prose only. Everything is vector graphics and text."""
    path = tmp_path_factory.mktemp("pdf") / "paper.pdf"
    with PdfPages(path) as pdf:
        fig = plt.figure(figsize=(8.5, 11))
        _prose(fig, 6)
        ax = fig.add_axes((0.15, 0.45, 0.7, 0.3))
        x = np.arange(0, 11)
        ax.plot(x, 2 * x + 1, "o-", color="tab:red")
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        fig.text(0.08, 0.37, "Figure 1: a straight line.", fontsize=10)
        diagram = fig.add_axes((0.3, 0.08, 0.4, 0.22))
        diagram.set_axis_off()
        diagram.set_xlim(0, 4)
        diagram.set_ylim(0, 2)
        diagram.add_patch(Rectangle((0.2, 0.5), 1.2, 1, color="tab:blue"))
        diagram.add_patch(Circle((2.8, 1), 0.8, color="tab:green"))
        pdf.savefig(fig)
        plt.close(fig)
        fig = plt.figure(figsize=(8.5, 11))
        _prose(fig, 30)
        pdf.savefig(fig)
        plt.close(fig)
    return path


@pytest.fixture(scope="module")
def raster_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-page PDF that is a PNG chart (saved with Pillow)."""
    folder = tmp_path_factory.mktemp("pdfimg")
    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    ax.plot([0, 1, 2, 3, 4], [10, 40, 20, 50, 30], "o-", color="tab:blue")
    fig.savefig(folder / "chart.png")
    plt.close(fig)
    path = folder / "scan.pdf"
    Image.open(folder / "chart.png").convert("RGB").save(path)
    return path


def test_vector_figures_found_and_cut_with_their_labels(vector_pdf: Path) -> None:
    figures = find_figures(vector_pdf)
    assert {f.page for f in figures} == {1}  # page 2 is prose only
    chart = figures[0]
    assert (chart.page, chart.figure, chart.kind) == (1, 1, "vector")
    # the axes span x 0.15..0.85 of 612 pt and y 0.25..0.55 of 792 pt from the top; the cut
    # also holds the tick labels and axis titles left of and below them, but no prose
    left, top, right, bottom = chart.bbox
    assert 40 < left < 0.15 * 612 - 20 and right > 0.85 * 612
    assert 0.05 * 792 < top < 0.25 * 792 and 0.55 * 792 + 15 < bottom < 0.63 * 792
    assert chart.rgb.shape[0] == pytest.approx((bottom - top) * 150 / 72, abs=3)
    assert [f.figure for f in figures] == list(range(1, len(figures) + 1))


def test_raster_figure_at_its_own_resolution(raster_pdf: Path) -> None:
    (figure,) = find_figures(raster_pdf)
    assert figure.kind == "raster"
    assert figure.rgb.shape == (400, 600, 3)
    assert figure.bbox == pytest.approx((0, 0, 600, 400))


def test_digitize_pdf_cli(vector_pdf: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "digitize.cli", str(vector_pdf)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert list(rows[0]) == ["page", "figure", "series", "x", "y", "y_lower", "y_upper"]
    chart = [r for r in rows if (r["page"], r["figure"]) == ("1", "1")]
    assert len(chart) == 11
    for r in chart:
        assert float(r["y"]) == pytest.approx(2 * float(r["x"]) + 1, abs=0.2)
    # the diagram is not a chart: skipped with a note, the chart still printed
    assert "skipped" in proc.stderr and "Traceback" not in proc.stderr


def test_pdf_cli_errors_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_text("not a pdf")
    prose = tmp_path / "prose.pdf"
    with PdfPages(prose) as pdf:
        fig = plt.figure(figsize=(8.5, 11))
        _prose(fig, 20)
        pdf.savefig(fig)
        plt.close(fig)
    for path, code in ((tmp_path / "missing.pdf", 2), (bad, 2), (prose, 3)):
        proc = subprocess.run([sys.executable, "-m", "digitize.cli", str(path)],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == code, proc.stderr
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("digitize: error:"), proc.stderr
    with pytest.raises(InputError, match="not a readable PDF"):
        find_figures(bad)


def test_save_figures_is_cached(raster_pdf: Path, tmp_path: Path) -> None:
    saved = save_figures(raster_pdf, tmp_path, "scan", signature="1:2")
    assert [(s.key, s.image) for s in saved] == [("scan-p1-f1", "scan-p1-f1.png")]
    png = tmp_path / "scan-p1-f1.png"
    stamp = png.stat().st_mtime_ns
    again = save_figures(raster_pdf, tmp_path, "scan", signature="1:2")
    assert again == saved and png.stat().st_mtime_ns == stamp
    save_figures(raster_pdf, tmp_path, "scan", signature="changed")
    assert png.stat().st_mtime_ns >= stamp


def test_batch_over_pdfs(vector_pdf: Path, raster_pdf: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "digitize.cli", "batch", str(vector_pdf), str(raster_pdf),
         "-o", str(out), "--jobs", "2"],
        capture_output=True, text=True, timeout=180,
    )
    assert "Traceback" not in proc.stderr
    with open(out / "summary.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by_key = {(Path(r["file"]).name, r["page"], r["figure"]): r for r in rows}
    assert by_key[("paper.pdf", "1", "1")]["status"] == "ok"
    assert by_key[("scan.pdf", "1", "1")]["status"] == "ok"
    assert proc.returncode == 1  # the diagram of paper.pdf fails, the batch goes on
    for key in ("paper-p1-f1", "scan-p1-f1"):
        assert (out / f"{key}.csv").is_file() and (out / f"{key}.check.png").is_file()
        assert (out / f"{key}.png").is_file()  # the figure that was digitized
    assert "paper-p1-f1.check.png" in (out / "index.html").read_text(encoding="utf-8")


def test_legend_below_its_plot_stays_in_the_figure(tmp_path: Path) -> None:
    """Drawn straight into the page: the legend box below the tick labels and the axis title
    is a separate patch of ink, figure-sized, joined to its plot, not cut out as a figure of
    its own."""
    path = tmp_path / "legend_below.pdf"
    with PdfPages(path) as pdf:
        fig = plt.figure(figsize=(8.5, 11))
        _prose(fig, 4)
        ax = fig.add_axes((0.15, 0.5, 0.7, 0.3))
        x = np.arange(10)
        ax.plot(x, x**0.5, "o-", label="square root")
        ax.plot(x, np.log1p(x), "s-", label="log")
        ax.plot(x, x / 4, "^-", label="linear")
        ax.set_xlabel("x")
        # a legend over an inch each way: as large as a figure itself
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), fontsize=24)
        pdf.savefig(fig)
        plt.close(fig)
    figures = find_figures(path)
    assert len(figures) == 1
    left, top, right, bottom = figures[0].bbox
    # the axes end at 0.5 of the page height from the bottom; the legend hangs below them
    assert bottom > 0.5 * 792 + 100


def _one_object_pdf(path: Path, place: Any) -> Path:
    """A letter-size one-page PDF holding the page object ``place(doc)`` makes."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    page = doc.new_page(612, 792)
    page.insert_obj(place(doc))
    page.gen_content()
    doc.save(str(path))
    return path


def test_placed_vector_figure_cut_at_its_form_box(tmp_path: Path) -> None:
    """A PDF figure placed on a page as a form XObject (LaTeX's \\includegraphics) is cut
    exactly at the box it was placed in."""
    import pypdfium2 as pdfium

    single = tmp_path / "figure.pdf"
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.plot([0, 1, 2, 3], [3, 1, 2, 5], "o-")
    ax.legend(["run"], loc="upper center", bbox_to_anchor=(0.5, -0.12))
    fig.savefig(single, bbox_inches="tight")
    plt.close(fig)
    src = pdfium.PdfDocument(str(single))
    w, h = src.get_page_size(0)

    def place(doc: pdfium.PdfDocument) -> object:
        obj = src.page_as_xobject(0, doc).as_pageobject()
        obj.transform(pdfium.PdfMatrix().translate(100, 300))
        return obj

    (figure,) = find_figures(_one_object_pdf(tmp_path / "paper.pdf", place))
    assert figure.kind == "vector"
    assert figure.bbox == pytest.approx((100, 792 - 300 - h, 100 + w, 792 - 300), abs=0.5)


def test_placed_image_taken_pixel_exact(tmp_path: Path) -> None:
    """An image placed at a size that does not round to its pixel count is taken as stored,
    not resampled by rendering."""
    import pypdfium2 as pdfium

    rng = np.random.default_rng(1)
    pixels = rng.integers(0, 256, (480, 720, 3), dtype=np.uint8)

    def place(doc: pdfium.PdfDocument) -> object:
        img = pdfium.PdfImage.new(doc)
        img.set_bitmap(pdfium.PdfBitmap.from_pil(Image.fromarray(pixels)))
        size = pdfium.PdfMatrix().scale(720 * 72 / 150, 480 * 72 / 150)
        img.set_matrix(size.translate(133.2, 100.8))
        return img

    (figure,) = find_figures(_one_object_pdf(tmp_path / "placed.pdf", place))
    assert figure.kind == "raster"
    assert np.array_equal(figure.rgb, pixels)
