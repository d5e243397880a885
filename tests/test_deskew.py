"""Photos and scans: rotation is undone, uneven lighting flattened, clean charts untouched;
and the benchmark's degradations (``scripts/degrade.py``) do what they say."""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from _charts import render
from PIL import Image

import digitize
from digitize.compare import compare
from digitize.deskew import estimate_skew, flatten_lighting, rotate, straighten
from digitize.image import load_image

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEED = FIXTURES / "seed" / "chart.png"
FAMILY = sorted(p for p in (FIXTURES / "family").glob("*.*") if p.suffix in (".png", ".jpg"))


@cache
def _degrade_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("degrade", ROOT / "scripts" / "degrade.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pil_rotated(rgb: np.ndarray, angle: float) -> np.ndarray:
    """Rotated by PIL (an independent implementation from the one that straightens)."""
    im = Image.fromarray(rgb).rotate(angle, resample=Image.BICUBIC, expand=True,
                                     fillcolor=(255, 255, 255))
    return np.asarray(im)


def _mean_error(truth: Path, result: digitize.ChartResult) -> tuple[float, int, int]:
    report = compare(truth, result)
    ys = [p.y_errors[np.isfinite(p.y_errors)] for p in report.pairs]
    return float(np.mean(np.concatenate(ys))), report.n_a, report.n_b


@pytest.mark.parametrize("image", [SEED, *FAMILY], ids=lambda p: p.stem)
def test_clean_chart_is_left_exactly_alone(image: Path) -> None:
    rgb = load_image(image)
    out = straighten(rgb)
    assert out.rgb is rgb
    assert out.angle == 0.0 and not out.flattened and not out.warnings


@pytest.mark.parametrize("seed", [0, 3])
def test_steep_thick_data_strokes_are_no_rotation(seed: int) -> None:
    """A level chart whose thick data line zigzags steeply (a noisy log series) has many
    strokes a few degrees off vertical; their profiles line up at some angle less distinctly
    than the level gridlines' do at 0, so the chart is left alone (it was "straightened" by
    2-3 degrees and every label then misread)."""
    rng = np.random.default_rng(seed)

    def draw(ax) -> None:  # type: ignore[no-untyped-def]
        x = np.arange(1, 41)
        ax.plot(x, 10 ** rng.uniform(-3, -0.5, x.size), lw=6)
        ax.set_yscale("log")
        ax.grid(True, which="major")
        ax.figure.tight_layout()

    rgb = render(draw, style="seaborn-v0_8-dark", size=(6.4, 4.8), dpi=200).rgb
    assert estimate_skew(rgb)[0] == 0.0
    assert straighten(rgb).rgb is rgb


@pytest.mark.parametrize("angle", [-5.0, -2.0, 0.7, 2.0, 3.5, 5.0])
def test_rotation_angle_is_estimated(angle: float) -> None:
    rgb = _pil_rotated(load_image(SEED), angle)
    est, gain = estimate_skew(rgb)
    assert abs(est - angle) <= 0.1, (est, angle)
    assert gain > 1.1


def test_rotated_chart_is_straightened_and_read_within_a_looser_bound() -> None:
    rgb = _pil_rotated(load_image(SEED), 2.0)
    result = digitize.read(rgb)
    assert abs(result.deskew_angle - 2.0) <= 0.1
    assert any("straightened" in w for w in result.warnings)
    assert result.to_dict()["deskew_angle"] == result.deskew_angle
    err, n_true, n_found = _mean_error(SEED.with_suffix(".json"), result)
    assert n_found == n_true
    assert err <= 0.01, err  # the clean chart is read to 0.3%


def test_unrotated_chart_reads_the_same_with_and_without_deskew() -> None:
    a = digitize.read(SEED)
    b = digitize.read(SEED, deskew=False)
    assert a.deskew_angle == 0.0
    assert a.to_csv() == b.to_csv()


def test_straightened_rotation_matches_the_upright_chart() -> None:
    rgb = load_image(SEED)
    back = straighten(rotate(rgb, -3.0))
    assert abs(back.angle + 3.0) <= 0.1
    # the straightened chart's frame lines are horizontal again: the profiles at 0° are
    # the sharpest
    est, _ = estimate_skew(back.rgb)
    assert abs(est) < 0.1


def test_uneven_lighting_is_flattened_only_when_present() -> None:
    deg = _degrade_module()
    rgb = load_image(SEED)
    assert flatten_lighting(rgb) is None
    dark = deg.uneven_light(rgb)
    flat = flatten_lighting(dark)
    assert flat is not None
    # the page is even again: the background at both corners agrees within a few levels
    corners = [flat[5:25, 5:25].mean(), flat[-25:-5, -25:-5].mean()]
    assert abs(corners[0] - corners[1]) < 8, corners
    assert abs(float(dark[5:25, 5:25].mean()) - float(dark[-25:-5, -25:-5].mean())) > 40


def test_unevenly_lit_chart_is_read() -> None:
    deg = _degrade_module()
    result = digitize.read(deg.uneven_light(load_image(SEED)))
    assert result.lighting_flattened
    err, n_true, n_found = _mean_error(SEED.with_suffix(".json"), result)
    assert n_found == n_true
    assert err <= 0.01, err


@pytest.mark.parametrize("kind", ["rot2", "rot5", "blur", "jpeg30", "light", "scan"])
def test_degradations(kind: str) -> None:
    deg = _degrade_module()
    rgb = load_image(SEED)
    out, params = deg.degrade(rgb, kind, index=1)
    assert params["kind"] == kind
    assert out.dtype == np.uint8 and out.ndim == 3
    if kind.startswith("rot") or kind == "scan":
        est, _ = estimate_skew(out)
        assert abs(est - params["angle"]) <= 0.1
        assert params["angle"] < 0  # odd index: negative rotation
        assert out.shape[0] > rgb.shape[0] and out.shape[1] > rgb.shape[1]
    else:
        assert out.shape == rgb.shape
        assert np.abs(out.astype(int) - rgb.astype(int)).mean() > 0.2
    if kind == "blur":
        # blurring lowers the sharpest edge contrast
        assert np.abs(np.diff(out.astype(int), axis=1)).max() < np.abs(
            np.diff(rgb.astype(int), axis=1)).max()


def test_degrade_folder_writes_images_and_truth(tmp_path: Path) -> None:
    deg = _degrade_module()
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a", "b"):
        Image.open(SEED).save(src / f"{name}.png")
        (src / f"{name}.json").write_text(SEED.with_suffix(".json").read_text())
    written = deg.degrade_folder(src, tmp_path / "out", "jpeg30")
    assert [p.name for p in written] == ["a.jpg", "b.jpg"]
    truth = json.loads((tmp_path / "out" / "a.json").read_text())
    original = json.loads(SEED.with_suffix(".json").read_text())
    assert truth["series"] == original["series"]
    assert truth["meta"]["degraded"]["kind"] == "jpeg30"


def _jpeg_bytes(rgb: np.ndarray, quality: int) -> bytes:
    import io

    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=quality)
    return buf.getvalue()


@pytest.mark.parametrize("quality", [20, 30, 60, 80, 95])
def test_jpeg_quality_is_read_from_the_file(quality: int) -> None:
    from digitize.image import jpeg_quality

    got = jpeg_quality(_jpeg_bytes(load_image(SEED), quality))
    assert got is not None and abs(got - quality) <= 3, got
    assert jpeg_quality(SEED) is None  # a PNG
    assert jpeg_quality(load_image(SEED)) is None  # an array has no file


def test_heavy_jpeg_is_smoothed_and_read_within_a_looser_bound() -> None:
    data = _jpeg_bytes(load_image(SEED), 30)
    result = digitize.read(data)
    assert any("JPEG quality about 30" in w for w in result.warnings)
    err, n_true, n_found = _mean_error(SEED.with_suffix(".json"), result)
    assert n_found == n_true
    assert err <= 0.01, err
    fine = digitize.read(_jpeg_bytes(load_image(SEED), 90))
    assert not any("JPEG" in w for w in fine.warnings)
