"""End to end over the committed fixtures, scored with the project's own comparison."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest

import digitize
from digitize.compare import compare
from digitize.result import ChartResult

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED = FIXTURES / "seed" / "chart.png"
FAMILY = sorted(p for p in (FIXTURES / "family").glob("*.*") if p.suffix in (".png", ".jpg"))


@cache
def _read(path: Path) -> ChartResult:
    return digitize.read(path)


def _truth(image: Path) -> Path:
    return image.with_suffix(".json")


def test_seed_chart_series_found_and_named_exactly() -> None:
    result = _read(SEED)
    truth = json.loads(_truth(SEED).read_text())
    assert [s.name for s in result.series] == [s["name"] for s in truth["series"]]
    assert sum(len(s.points) for s in result.series) == 28


def test_seed_chart_point_and_band_accuracy() -> None:
    report = compare(_truth(SEED), _read(SEED))
    assert not report.missing and not report.extra
    y = np.concatenate([p.y_errors for p in report.pairs])
    x = np.concatenate([p.x_errors for p in report.pairs])
    assert np.nanmean(y) <= 0.003, np.nanmean(y)
    assert np.nanmax(y) <= 0.01, np.nanmax(y)
    assert np.nanmax(x) <= 0.005, np.nanmax(x)
    bands = [p.band_error for p in report.pairs]
    assert all(b is not None for b in bands)
    assert float(np.mean(bands)) <= 0.006, bands


def test_seed_chart_reports_the_hidden_markers_for_both_series() -> None:
    result = _read(SEED)
    xs = [sorted(round(float(p.x)) for p in s.points) for s in result.series]
    assert xs[0] == xs[1]


def test_family_accuracy() -> None:
    assert FAMILY, "no family fixtures"
    count_ok, errors, band_errors = 0, [], []
    for image in FAMILY:
        report = compare(_truth(image), _read(image))
        count_ok += report.n_a == report.n_b
        for p in report.pairs:
            errors.extend(p.y_errors[np.isfinite(p.y_errors)].tolist())
            if p.band_error is not None:
                band_errors.append(p.band_error)
    assert count_ok / len(FAMILY) >= 0.95, count_ok
    assert float(np.mean(errors)) <= 0.005, float(np.mean(errors))
    if band_errors:
        assert float(np.mean(band_errors)) <= 0.01, float(np.mean(band_errors))


def test_csv_and_pandas_forms() -> None:
    result = _read(SEED)
    lines = result.to_csv().splitlines()
    assert lines[0] == "series,x,y,y_lower,y_upper"
    assert len(lines) == 29
    frame = result.to_pandas()
    assert list(frame.columns) == ["series", "x", "y", "y_lower", "y_upper"]
    assert frame["y"].between(0.27, 0.33).all()


def test_check_scores_a_shifted_extraction_lower(tmp_path: Path) -> None:
    from digitize.render import agreement

    result = _read(SEED)
    good = agreement(result)["score"]
    lo, hi = result.y_axis.value_range
    shift = 0.03 * abs(hi - lo)
    originals = [[(p.y, p.y_lower, p.y_upper) for p in s.points] for s in result.series]
    for s in result.series:
        for p in s.points:
            p.y += shift
            p.y_lower = None if p.y_lower is None else p.y_lower + shift
            p.y_upper = None if p.y_upper is None else p.y_upper + shift
    try:
        bad = agreement(result)["score"]
    finally:
        for s, saved in zip(result.series, originals, strict=True):
            for p, (y, y_lower, y_upper) in zip(s.points, saved, strict=True):
                p.y, p.y_lower, p.y_upper = y, y_lower, y_upper
    assert good > 0.8, good
    assert bad < good - 0.2, (good, bad)


@pytest.mark.parametrize("name", ["seed"])
def test_check_image_is_written(tmp_path: Path, name: str) -> None:
    from digitize.render import write_check

    out = tmp_path / "check.png"
    scores = write_check(_read(SEED), out)
    assert out.stat().st_size > 1000
    assert scores["score"] > 0.8


def test_result_check_returns_a_figure_and_scores(tmp_path: Path) -> None:
    result = _read(SEED)
    figure, scores = result.check()
    assert scores["score"] > 0.8
    width, _ = figure.get_size_inches() * figure.dpi
    assert width >= 3 * result.width  # original | re-render | overlay side by side
    figure, scores = result.check(str(tmp_path / "check.png"))
    assert (tmp_path / "check.png").stat().st_size > 1000


def test_a_volatile_line_without_markers_is_traced_not_read_as_markers() -> None:
    """A thin, jagged line whose swatch shows no marker: its tight zigzags make a few
    blobs, which are not markers (a line of far more corners than blobs)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _charts import render

    rng = np.random.default_rng(5)
    x = np.arange(160)
    jagged = 50 + np.cumsum(rng.normal(0, 6, 160))
    calm = 20 + np.cumsum(rng.normal(0, 1, 160))

    def draw(ax) -> None:  # type: ignore[no-untyped-def]
        ax.plot(x, jagged, color="tab:red", lw=1.5, label="volatile")
        ax.plot(x, calm, color="tab:blue", lw=1.5, label="calm")
        ax.legend(loc="upper left")

    result = digitize.read(render(draw, size=(5, 3.5), dpi=100).rgb, agreement=False)
    got = {s.name: s for s in result.series}
    assert got["volatile"].kind == "line"
    assert len(got["volatile"].points) > 40
