"""Confidence that means something: what the re-render check cannot see lowers it."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import numpy as np

import digitize
from digitize.calibrate import AxisMap, Tick
from digitize.confidence import HIGH_CONFIDENCE, assess, axis_factor, axis_signals
from digitize.image import load_image, reduce_resolution
from digitize.result import ChartResult

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed" / "chart.png"


@cache
def _seed() -> ChartResult:
    return digitize.read(SEED)


def _axis(values: list[float], inlier: list[bool], residual: float = 0.2) -> AxisMap:
    ticks = [Tick(100.0 + 50 * i, v, str(v), ok)
             for i, (v, ok) in enumerate(zip(values, inlier, strict=True))]
    return AxisMap("y", "linear", 0.02, 0.0, ticks, residual, pixel_range=(90.0, 360.0))


def test_labels_repeating_values_at_other_ticks_make_an_axis_unsure() -> None:
    """Gnuplot writes too few digits for a fine tick step ("1550", "1550", "1550.01"...):
    labels at different ticks reading one value cannot place the ticks, however well the
    rest fit. Distinct values keep their trust, and so does one pair (one label misread
    as another, rejected by the fit)."""
    repeated = _axis([1550.0, 1550.0, 1550.01, 1550.01, 1550.02], [True] * 5)
    assert axis_signals(repeated)["repeated"] == 4
    assert axis_factor(axis_signals(repeated)) <= 0.3
    one_misread = _axis([1550.0, 1550.01, 1550.02, 1550.01, 1550.04],
                        [True, True, True, False, True])
    assert axis_factor(axis_signals(one_misread)) > 0.5
    distinct = _axis([1550.0, 1550.01, 1550.02, 1550.03, 1550.04], [True] * 5)
    assert axis_signals(distinct)["repeated"] == 0
    assert axis_factor(axis_signals(distinct)) == 1.0


def test_clean_chart_is_high_confidence() -> None:
    result = _seed()
    assert result.confidence is not None and result.confidence >= HIGH_CONFIDENCE
    assert result.confidence <= min(s.confidence for s in result.series if s.confidence)
    d = result.to_dict()
    assert d["confidence"] == result.confidence
    assert set(d["confidence_signals"]["factors"]) >= {"x_axis", "y_axis"}


def test_axis_factor_doubts_unchecked_and_misread_maps() -> None:
    good = axis_factor(axis_signals(_axis([0, 1, 2, 3, 4, 5], [True] * 6)))
    two = axis_factor(axis_signals(_axis([0, 1], [True, True])))
    rejected = axis_factor(axis_signals(_axis([0, 1, 2, 7, 4, 9], [True, True, True, False,
                                                                    True, False])))
    sloppy = axis_factor(axis_signals(_axis([0, 1, 2, 3, 4, 5], [True] * 6, residual=4.0)))
    assert good == 1.0
    assert two < 0.6 and rejected < 0.9 and sloppy < 0.8
    user = AxisMap("y", "linear", 0.02, 0.0, [], 0.0, pixel_range=(90.0, 360.0))
    assert axis_factor(axis_signals(user)) == 1.0


def test_a_doubtful_axis_lowers_every_series_and_the_chart() -> None:
    result = copy.copy(_seed())
    result.series = [copy.copy(s) for s in result.series]
    result.warnings = []
    for s in result.series:  # back to the bare agreement scores
        s.confidence = result.agreement["series"][s.name]["score"]
    before = [s.confidence for s in result.series]
    ticks = result.y_axis.ticks
    result.y_axis = copy.copy(result.y_axis)
    result.y_axis.ticks = [Tick(t.pixel, t.value, t.label, k < 2) for k, t in enumerate(ticks)]
    assess(result, legend_entries=len(result.series))
    assert all(s.confidence < b for s, b in zip(result.series, before, strict=True))
    assert result.confidence is not None and result.confidence < HIGH_CONFIDENCE
    assert any("y axis fitted to 2 labels only" in w for w in result.warnings)


def test_series_count_mismatch_with_the_legend_lowers_the_chart() -> None:
    result = copy.copy(_seed())
    result.series = [copy.copy(s) for s in result.series]
    result.warnings = []
    for s in result.series:
        s.confidence = result.agreement["series"][s.name]["score"]
    assess(result, legend_entries=len(result.series) + 1)
    assert result.confidence is not None and result.confidence < HIGH_CONFIDENCE
    assert any("series count uncertain" in w for w in result.warnings)


def test_near_duplicate_legend_names_are_doubted() -> None:
    result = copy.copy(_seed())
    result.series = [copy.copy(s) for s in result.series]
    result.warnings = []
    for s in result.series:
        s.confidence = result.agreement["series"][s.name]["score"]
    assess(result, len(result.series), ["ours", "Qurs"])
    assert result.confidence_signals["near_duplicate_names"] == 1
    assert any("names uncertain" in w for w in result.warnings)


def test_a_name_read_from_a_cut_word_is_doubted() -> None:
    from digitize.confidence import _near_duplicates

    # a series crossing the legend hid "con": the cut 'n' read as 'i'
    assert _near_duplicates(["control", "itrol"]) == 1
    assert _near_duplicates(["Control", "treatment", "ntrol"]) == 1
    assert _near_duplicates(["train", "val"]) == 0
    # names counted off differ by one character that OCR could confuse: no doubt
    assert _near_duplicates(["Model A", "Model B", "Model C", "Model D"]) == 0
    assert _near_duplicates([f"run-{k}" for k in range(1, 9)]) == 0
    assert _near_duplicates(["Model A", "Model C", "Model D"]) == 1
    assert _near_duplicates(["run 10", "n 10"]) == 0  # too short a match to doubt
    assert _near_duplicates(["baseline", "line"]) == 0  # too short to tell


def test_large_image_is_read_at_reduced_resolution() -> None:
    rgb = load_image(SEED)
    small, scale = reduce_resolution(rgb, 200_000)
    assert small.shape[0] * small.shape[1] <= 200_000 and 0.4 < scale < 0.6
    same, one = reduce_resolution(rgb, rgb.shape[0] * rgb.shape[1])
    assert same is rgb and one == 1.0
    big = np.repeat(np.repeat(rgb, 2, axis=0), 2, axis=1)  # 4x the pixels
    result = digitize.read(big, work_pixels=rgb.shape[0] * rgb.shape[1])
    assert result.image_scale == 0.5
    assert [s.name for s in result.series] == [s.name for s in _seed().series]
    assert "reduced" in result.warnings[0]


def test_unexplained_ink_past_five_percent_lowers_confidence():
    from digitize.confidence import chart_factors

    sig = {"x_axis": {"user": True}, "y_axis": {"user": True}, "series": 2,
           "legend_entries": 2, "near_duplicate_names": 0, "deskew_angle": 0.0,
           "lighting_flattened": False, "jpeg_smoothed": False}
    assert "unexplained" not in chart_factors({**sig, "unexplained": 0.04})
    assert chart_factors({**sig, "unexplained": 0.09})["unexplained"] < 0.95


def test_an_assumed_year_is_doubted() -> None:
    from digitize.confidence import YEAR_ASSUMED, axis_factor

    sig = {"user": False, "scale": "date", "inliers": 6, "rejected": 0, "residual_px": 0.2,
           "coverage": 0.9}
    assert axis_factor(sig) == 1.0
    assert axis_factor({**sig, "year_assumed": True}) == YEAR_ASSUMED < 0.5


def test_powers_of_ten_read_as_categories_are_doubted() -> None:
    """'2.5×10⁶' with its superscript read as '°' is no number: the labels became category
    names, and a numeric axis read as categories maps nothing right."""
    from digitize.confidence import POWERS_AS_CATEGORIES

    def axis(labels: list[str]) -> AxisMap:
        ticks = [Tick(float(400 - 40 * k), float(k), t) for k, t in enumerate(labels)]
        return AxisMap("y", "category", -0.025, 10.0, ticks, 0.0, categories=labels,
                       pixel_range=(50.0, 420.0))

    misread = axis(["2.5x10°", "3x10°", "3.5x10°", "4x106", "4.5x10°"])
    assert axis_factor(axis_signals(misread)) == POWERS_AS_CATEGORIES < 0.5
    for names in (["Q1 2020", "Q2 2020", "Q3 2020"], ["Apples", "Pears", "Plums"]):
        assert axis_factor(axis_signals(axis(names))) == 1.0


def test_a_name_nearer_another_series_swatch_is_doubted() -> None:
    """A series whose legend label stands nearer a swatch in another series' ink than its
    own (a key paired on the wrong side) is doubted, it and the chart, with a warning; a
    nearer swatch in its own ink or in no series' ink is no doubt."""
    result = copy.copy(_seed())
    result.series = [copy.copy(s) for s in result.series]
    result.warnings = []
    for s in result.series:
        s.confidence = result.agreement["series"][s.name]["score"]
        s.warnings = []
    first, second = result.series[0], result.series[1]
    plain = copy.deepcopy(result)
    assess(plain, len(result.series), [s.name for s in result.series],
           {first.name: first.color, second.name: (128, 128, 128)})
    assert plain.confidence_signals["name_pairing"] == 0
    assess(result, len(result.series), [s.name for s in result.series],
           {first.name: second.color})
    assert result.confidence_signals["name_pairing"] == 1
    assert first.confidence is not None and first.confidence < HIGH_CONFIDENCE
    assert result.confidence is not None and result.confidence < HIGH_CONFIDENCE
    assert any("paired with the wrong lines" in w for w in result.warnings)
    assert any("the name may be that series'" in w for w in first.warnings)
    assert plain.confidence is not None and plain.confidence >= HIGH_CONFIDENCE
