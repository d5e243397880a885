"""The batch review page: order, contents, relative links, and a load in headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitize.batch import Row
from digitize.report import render_html, sort_value, write_report


def fake_batch(out: Path) -> list[Row]:
    """Four charts as a batch would leave them: files in ``out`` and their rows."""
    out.mkdir(parents=True, exist_ok=True)
    rows = [
        Row(file="in/good.png", page=None, figure=None, key="good", status="ok", series=2,
            points=20, confidence=0.93, series_confidence={"a": 0.93, "b": 0.97}),
        Row(file="in/doubt <x>.png", page=None, figure=None, key="doubt_x_", status="ok",
            series=1, points=5, confidence=0.31, series_confidence={"s & t": 0.31},
            warnings=["s & t: low agreement with the image (0.31)"]),
        Row(file="in/broken.png", page=None, figure=None, key="broken", status="failed",
            message="in/broken.png: not an image file (cannot identify format)"),
        Row(file="in/paper.pdf", page=2, figure=1, key="paper-p2-f1", status="ok", series=1,
            points=7, confidence=0.66, source_image="paper-p2-f1.png"),
    ]
    rng = np.random.default_rng(1)
    for r in rows:
        if r.status == "ok":
            pixels = rng.integers(0, 255, (40, 120, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(out / f"{r.key}.check.png")
            (out / f"{r.key}.csv").write_text("series,x,y,y_lower,y_upper\n")
            (out / f"{r.key}.json").write_text("{}\n")
    Image.fromarray(np.zeros((30, 30, 3), np.uint8)).save(out / "paper-p2-f1.png")
    return rows


def _row_ids(page: str) -> list[str]:
    return re.findall(r'<tr class="[^"]*" data-confidence="[^"]*" data-order="\d+" '
                      r'id="chart-([^"]+)"', page)


def test_doubtful_first_and_contents(tmp_path: Path) -> None:
    rows = fake_batch(tmp_path)
    page = render_html(tmp_path, rows)
    assert _row_ids(page) == ["broken", "doubt_x_", "paper-p2-f1", "good"]
    assert "0.31" in page and "low agreement with the image" in page
    assert "not an image file" in page
    assert "page 2, figure 1" in page
    assert '<a href="good.csv">CSV</a>' in page and '<a href="good.json">JSON</a>' in page
    assert 'src="good.check.png"' in page
    assert "s &amp; t" in page and "doubt &lt;x&gt;.png" in page and "<x>" not in page
    assert "sortRows('desc')" in page and "sortRows('file')" in page


def test_links_stay_inside_outdir(tmp_path: Path) -> None:
    page = render_html(tmp_path, fake_batch(tmp_path))
    for link in re.findall(r'(?:href|src)="([^"]+)"', page):
        assert "/" not in link and ":" not in link, link  # relative, same folder
        assert (tmp_path / link).is_file(), link


def test_sort_value_orders_failures_then_unknown() -> None:
    failed = Row(file="a", page=None, figure=None, key="a", status="failed")
    unknown = Row(file="b", page=None, figure=None, key="b", status="ok", confidence=None)
    known = Row(file="c", page=None, figure=None, key="c", status="ok", confidence=0.0)
    assert sort_value(failed) < sort_value(unknown) < sort_value(known)


def test_write_report(tmp_path: Path) -> None:
    target = write_report(tmp_path, fake_batch(tmp_path))
    assert target == tmp_path / "index.html"
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def test_page_loads_in_headless_chromium(tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium is not installed")
    rows = fake_batch(tmp_path / "out")
    write_report(tmp_path / "out", rows)
    moved = tmp_path / "elsewhere" / "copy"  # self-contained: works after a copy
    shutil.copytree(tmp_path / "out", moved)
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--dump-dom", (moved / "index.html").as_uri()],
            capture_output=True, text=True, timeout=60,
        )
    assert proc.returncode == 0, proc.stderr[-2000:]
    body = re.search(r"<body[^>]*>", proc.stdout)
    assert body is not None, proc.stdout[:2000]
    assert 'data-charts="4"' in body.group(0)
    # every chart that has an image shows it (the failed one has none)
    assert 'data-images-loaded="3"' in body.group(0)
    assert _row_ids(proc.stdout) == ["broken", "doubt_x_", "paper-p2-f1", "good"]
