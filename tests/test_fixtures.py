"""Tests for scripts/make_fixtures.py and the committed fixtures under fixtures/."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "make_fixtures.py"
FIXTURES = ROOT / "fixtures"

SCALES = {"linear", "log", "date", "category"}
TOP_KEYS = {"x_scale", "y_scale", "x_range", "y_range", "series", "chart_type", "meta"}
SERIES_KEYS = {"name", "x", "y", "y_lower", "y_upper"}


@pytest.fixture(scope="module")
def mf() -> ModuleType:
    """The generator script imported as a module."""
    spec = importlib.util.spec_from_file_location("make_fixtures", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_fixtures"] = module
    spec.loader.exec_module(module)
    return module


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _is_iso(v: Any) -> bool:
    if not isinstance(v, str):
        return False
    try:
        datetime.fromisoformat(v)
    except ValueError:
        return False
    return True


def _coord_ok(v: Any, scale: str) -> bool:
    if scale == "date":
        return _is_iso(v)
    if scale == "category":
        return isinstance(v, str) or _is_num(v)
    if scale == "log":
        return _is_num(v) and v > 0
    return _is_num(v)


def validate_truth(d: dict[str, Any]) -> None:
    """Assert that ``d`` follows the project's ground-truth schema."""
    assert set(d) == TOP_KEYS, set(d) ^ TOP_KEYS
    assert d["x_scale"] in SCALES and d["y_scale"] in SCALES
    assert isinstance(d["chart_type"], str) and d["chart_type"]
    assert isinstance(d["meta"], dict)
    for axis in ("x", "y"):
        rng = d[f"{axis}_range"]
        scale = d[f"{axis}_scale"]
        assert isinstance(rng, list) and len(rng) == 2
        if scale == "category":
            assert all(_is_num(v) for v in rng)
        else:
            assert all(_coord_ok(v, scale) for v in rng), rng
    assert isinstance(d["series"], list) and d["series"]
    for s in d["series"]:
        assert set(s) == SERIES_KEYS, set(s) ^ SERIES_KEYS
        assert s["name"] is None or isinstance(s["name"], str)
        n = len(s["x"])
        assert n > 0 and len(s["y"]) == n
        assert all(_coord_ok(v, d["x_scale"]) for v in s["x"])
        assert all(_coord_ok(v, d["y_scale"]) for v in s["y"])
        assert (s["y_lower"] is None) == (s["y_upper"] is None)
        if s["y_lower"] is not None:
            assert len(s["y_lower"]) == len(s["y_upper"]) == n
            for lo, y, hi in zip(s["y_lower"], s["y"], s["y_upper"], strict=True):
                assert _coord_ok(lo, d["y_scale"]) and _coord_ok(hi, d["y_scale"])
                assert lo <= hi
                if d["chart_type"] == "line_band" and d["meta"].get("band_method") != \
                        "seaborn_pi50":
                    assert lo <= y <= hi
    names = [s["name"] for s in d["series"]]
    named = [n for n in names if n is not None]
    assert len(named) == len(set(named)), "legend names must be unique"


def assert_in_range(d: dict[str, Any]) -> None:
    """Every point and band edge lies inside the drawn axes limits."""
    for axis in ("x", "y"):
        scale = d[f"{axis}_scale"]
        if scale == "category":
            continue
        conv = datetime.fromisoformat if scale == "date" else float
        lo, hi = sorted(conv(v) for v in d[f"{axis}_range"])
        keys = ("x",) if axis == "x" else ("y", "y_lower", "y_upper")
        for s in d["series"]:
            for k in keys:
                for v in s[k] or []:
                    assert lo <= conv(v) <= hi, f"{axis}={v} outside [{lo}, {hi}]"


def _load_pairs(directory: Path) -> list[tuple[dict[str, Any], Path]]:
    out = []
    for js in sorted(directory.rglob("*.json")):
        if js.name == "index.json":
            continue
        images = [p for p in (js.with_suffix(".png"), js.with_suffix(".jpg")) if p.exists()]
        assert len(images) == 1, f"{js}: expected exactly one image next to it"
        out.append((json.loads(js.read_text()), images[0]))
    return out


def test_determinism_same_seed_same_json(mf: ModuleType, tmp_path: Path) -> None:
    for i in (3, 7):  # two corpus charts
        a = mf.render(mf.corpus_spec(i, 123), tmp_path / "a", f"c{i}")
        b = mf.render(mf.corpus_spec(i, 123), tmp_path / "b", f"c{i}")
        assert a == b
        assert (tmp_path / "a" / f"c{i}.json").read_text() == \
            (tmp_path / "b" / f"c{i}.json").read_text()
        img = f"c{i}.{a['meta']['format']}"
        assert (tmp_path / "a" / img).read_bytes() == (tmp_path / "b" / img).read_bytes()
    other = mf.corpus_spec(3, 124)
    assert [s.y for s in other.series] != [s.y for s in mf.corpus_spec(3, 123).series]


def test_generated_charts_validate(mf: ModuleType, tmp_path: Path) -> None:
    from PIL import Image

    specs = [mf.family_spec(2, 0), mf.corpus_spec(11, 5), mf.corpus_spec(0, 9)]
    for k, spec in enumerate(specs):
        truth = mf.render(spec, tmp_path, f"g{k}")
        validate_truth(truth)
        assert_in_range(truth)
        img = tmp_path / f"g{k}.{truth['meta']['format']}"
        with Image.open(img) as im:
            assert list(im.size) == truth["meta"]["size_px"]
        assert json.loads((tmp_path / f"g{k}.json").read_text()) == truth


def test_spec_sampling_covers_options(mf: ModuleType) -> None:
    """Cheap (no rendering): the corpus sampler reaches the options it promises."""
    specs = [mf.corpus_spec(i, 0) for i in range(150)]
    assert {s.x_scale for s in specs} >= {"linear", "log", "date"}
    assert {s.y_scale for s in specs} >= {"linear", "log"}
    assert {s.renderer for s in specs} == {"matplotlib", "seaborn", "pandas"}
    assert {s.chart_type for s in specs} == {"line", "line_band", "scatter"}
    assert {s.legend for s in specs} == {"inside", "outside_right", "below", "none"}
    assert {s.fmt for s in specs} == {"png", "jpg"}
    assert {len(s.series) for s in specs} >= set(range(1, 9))
    for s in specs:
        if s.legend == "none":
            continue
        assert len({x.label for x in s.series}) == len(s.series)


def test_committed_fixtures_validate() -> None:
    pairs = _load_pairs(FIXTURES)
    assert len(pairs) >= 10
    assert (FIXTURES / "seed" / "chart.json").exists()
    assert (FIXTURES / "seed" / "chart.png").exists()
    total = sum(p.stat().st_size for p in FIXTURES.rglob("*") if p.is_file())
    assert total < 3 * 1024 * 1024
    for truth, _img in pairs:
        validate_truth(truth)
        assert_in_range(truth)


def test_seed_chart_matches_description() -> None:
    d = json.loads((FIXTURES / "seed" / "chart.json").read_text())
    assert d["x_range"] == [0.0, 1400.0] and d["y_range"] == [0.27, 0.33]
    assert d["chart_type"] == "line_band"
    dark, light = d["series"]
    assert dark["name"] == "v10-l1-length-4096" and light["name"] == "v1-l1-length-4096"
    assert dark["x"] == light["x"] == [float(v) for v in range(100, 1401, 100)]
    assert dark["y"][:2] == light["y"][:2] == [0.294, 0.292]
    assert dark["y"][4] == 0.325 and light["y"][8] == 0.28
    widths = [u - lo for lo, u in zip(light["y_lower"], light["y_upper"], strict=True)]
    assert max(widths) == widths[8]  # widest near 900
    assert d["meta"]["legend"]["title"] == "Model"
    assert d["meta"]["legend"]["placement"] == "outside_right"
