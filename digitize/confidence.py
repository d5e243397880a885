"""Confidence that means something: what the re-render check cannot see, folded in.

The re-render agreement (:func:`digitize.render.agreement`) checks the extraction in *pixel*
space: a series drawn back where its ink is scores high. It is blind to everything that maps
pixels to data (a wrong axis map reads every point wrong and still re-renders perfectly) and
to series it never looked for. This module gathers those signals:

calibration (per axis)
    how many tick labels were fitted (a two-label map has nothing to check it), how many the
    robust fit rejected (OCR misreads: the accepted ones may be misread too), the fit residual
    in pixels, and the share of the axis the fitted labels cover (a map extrapolated far
    beyond its labels magnifies any error);
series count
    legend entries whose colour was not found, series found beyond the legend, several series
    told apart by colour alone (no legend to check the count on), and the share of coloured
    plot-area ink no series explains;
names
    legend labels one OCR confusion apart (``ours`` / ``Qurs``: one label misread);
the image
    a rotation undone, lighting flattened or JPEG artefacts smoothed (the image was
    resampled or filtered).

Each signal becomes a factor in ``(0, 1]``; their product (``calibration``) scales every
series' agreement score, and the chart confidence is the lowest series confidence times the
chart-level factors. ``result.confidence_signals`` keeps the raw signals and factors.

**High confidence** is ``HIGH_CONFIDENCE`` (0.8) or more: the level the benchmark's
confidence calibration table is held to (at least 98% of such charts within 1% mean point
error).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from .calibrate import AxisMap
from .colors import RGB, SAME_COLOR, lab_distance, to_lab
from .result import ChartResult

HIGH_CONFIDENCE = 0.8
# share of coloured ink no series explains that is still no doubt: past it, a part of the
# chart was not extracted (a series lost at crossings, a missed marker shape); 0.1 let dense
# crossing-line charts with 2% point error through at 0.82 (benchmark, session 3)
UNEXPLAINED_OK = 0.05


def axis_signals(axis: AxisMap) -> dict[str, Any]:
    """Raw calibration signals of one fitted axis.

    Returns
    -------
    dict
        ``labels`` read, ``inliers`` fitted, ``rejected``, ``residual_px``, ``coverage`` (the
        share of the axis between the outermost fitted labels), ``user`` (True when the map
        came from a user-given range: no labels, nothing to doubt), ``year_assumed``
        (dates read with no year on the chart).
    """
    ticks = axis.ticks
    inl = [t for t in ticks if t.inlier]
    lo, hi = axis.pixel_range
    span = abs(hi - lo) or 1.0
    pix = [t.pixel for t in inl]
    coverage = float((max(pix) - min(pix)) / span) if len(pix) >= 2 else 0.0
    return {
        "scale": axis.scale,
        "year_assumed": axis.year_assumed,
        "powers_as_categories": (axis.scale == "category"
                                 and _powers_of_ten(axis.categories or [])),
        "unsure_labels": axis.unsure_labels,
        "labels": len(ticks),
        "inliers": len(inl),
        "rejected": len(ticks) - len(inl),
        "residual_px": round(float(axis.residual), 3),
        "coverage": round(coverage, 3),
        "user": not ticks,
        "repeated": repeated_values(axis),
    }


def repeated_values(axis: AxisMap) -> int:
    """How many of a numeric axis's labels read a value another label at another tick
    read too: labels written with too few digits for the tick step (gnuplot's ``1550``,
    ``1550``, ``1550.01``...) or run together; either way the values cannot tell where
    the ticks are."""
    if axis.scale not in ("linear", "log"):
        return 0
    values = np.array([t.value for t in axis.ticks], float)
    if len(values) < 2:
        return 0
    same = np.isclose(values[:, None], values[None, :], rtol=1e-9, atol=0.0)
    return int((same.sum(axis=1) > 1).sum())


def axis_factor(sig: dict[str, Any]) -> float:
    """How far one axis map can be trusted, from :func:`axis_signals`.

    Every fitted label beyond two is a check on the others; each rejected label says OCR
    went wrong on this axis and may have gone wrong consistently on the accepted ones too.
    """
    if sig["user"]:
        return 1.0
    if sig.get("year_assumed"):
        # month names or day-and-hour labels with no year anywhere on the chart: the values
        # are right within the year, the year itself a guess
        return YEAR_ASSUMED
    if sig.get("powers_as_categories"):
        return POWERS_AS_CATEGORIES
    if sig.get("unsure_labels"):
        return UNSURE_CATEGORIES  # the values stand, the names they stand under may not
    if sig["scale"] == "category":
        return 1.0 if sig["inliers"] >= 2 else 0.5
    n, rej = sig["inliers"], sig["rejected"]
    # (one pair may be one misread label, rejected by the fit)
    f = REPEATED_VALUES if sig.get("repeated", 0) > 2 else 1.0
    if n <= 2:
        f *= 0.5  # two points always fit a line
    elif n == 3:
        f *= 0.9
    if rej:
        f *= max(0.3, 1.0 - 0.6 * rej / max(1, n + rej)) * 0.9
    if sig["residual_px"] > 1.0:
        f *= max(0.5, 1.0 - 0.15 * (sig["residual_px"] - 1.0))
    if sig["coverage"] < 0.5:
        f *= 0.5 + sig["coverage"]
    return float(f)


YEAR_ASSUMED = 0.3  # an axis's factor when its dates' year is assumed
REPEATED_VALUES = 0.3  # at most, when labels at different ticks read the same values
UNSURE_CATEGORIES = 0.5  # an axis's factor when its category names were read unsure
# an axis's factor when its labels, written as powers of ten ("2.5×10⁶"), could not be read
# as numbers and were taken for category names (a superscript read as '°')
POWERS_AS_CATEGORIES = 0.1
_POWER_OF_TEN = re.compile(r"[x×\*]\s*10|10\s*\^")


def _powers_of_ten(labels: list[str]) -> bool:
    """Whether most of ``labels`` are written as powers of ten (``m×10^k``)."""
    return len(labels) >= 2 and sum(bool(_POWER_OF_TEN.search(t)) for t in labels) > len(
        labels) / 2


_CONFUSABLE = [set("oq0dc"), set("l1i|!t"), set("s5"), set("b68"), set("g9q"), set("z2"),
               set("e3c")]


def _near_duplicates(labels: list[str]) -> int:
    """Pairs of legend labels one OCR confusion apart (``ours`` / ``Qurs``): same length,
    one differing character, and that pair one OCR mistakes for each other (``run-1`` and
    ``run-2`` are different names, ``run-l`` and ``run-1`` are not); or one label the end
    of the other read from a cut word (:func:`_cut_end_of`)."""
    n = 0
    norm = [s.strip().lower() for s in labels]
    for i in range(len(norm)):
        for j in range(i + 1, len(norm)):
            a, b = norm[i], norm[j]
            if a == b:
                continue
            if len(a) != len(b):
                n += _cut_end_of(a, b) or _cut_end_of(b, a)
                continue
            diff = [k for k, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
            if (len(diff) == 1 and any({a[diff[0]], b[diff[0]]} <= group for group in _CONFUSABLE)
                    and not _in_sequence(norm, a, diff[0])):
                n += 1
    return n


def _in_sequence(labels: list[str], label: str, at: int) -> bool:
    """Whether the labels equal to ``label`` but for the character at ``at`` have there a
    run of at least three consecutive characters (``Model A`` … ``Model E``, ``run-1`` …
    ``run-8``): names counted off, not one name read twice."""
    chars = sorted({s[at] for s in labels if len(s) == len(label)
                    and s[:at] == label[:at] and s[at + 1:] == label[at + 1:]})
    return len(chars) >= 3 and ord(chars[-1]) - ord(chars[0]) == len(chars) - 1


def _cut_end_of(whole: str, part: str) -> bool:
    """Whether ``part`` is the end of ``whole`` with its first glyph cut (``itrol`` from
    ``control``: a line or marker crossing the legend hid the word's start, and the cut
    glyph reads as anything): at least ``CUT_END_LEAST`` characters after that glyph match
    ``whole``'s last ones."""
    rest = part[1:]
    return len(part) < len(whole) and len(rest) >= CUT_END_LEAST and whole.endswith(rest)


CUT_END_LEAST = 4  # characters after a cut glyph that make a label another's end


NAME_PAIRING = 0.5  # a series' factor when its name may belong to another series' swatch


def doubtful_names(series: list[tuple[str, RGB]], rivals: dict[str, RGB]) -> list[str]:
    """The names of ``series`` (name, ink traced) whose legend label has a swatch nearer
    it than the one it was paired with (``rivals``: label -> that swatch's colour, see
    :attr:`digitize.legend.LegendEntry.rival`), drawn not in the series' ink but in
    another series' ink: the label is that other swatch's, the name another series'."""
    out = []
    for name, ink in series:
        rival = rivals.get(name)
        if rival is None or _one_colour(ink, rival):
            continue
        if any(_one_colour(other, rival) for k, other in series if k != name):
            out.append(name)
    return out


def _one_colour(a: RGB, b: RGB) -> bool:
    """Whether colours ``a`` and ``b`` are one ink (CIELAB dE under ``SAME_COLOR``)."""
    return float(lab_distance(to_lab(np.array(a, np.uint8).reshape(1, 3)), b)[0]) < SAME_COLOR


def chart_signals(
    result: ChartResult, legend_entries: int, legend_labels: list[str]
) -> dict[str, Any]:
    """Raw chart-level signals: calibration of both axes, series count, names, the image."""
    agree = result.agreement if isinstance(result.agreement, dict) else {}
    unexplained = agree.get("unexplained")
    return {
        "x_axis": axis_signals(result.x_axis),
        "y_axis": axis_signals(result.y_axis),
        "series": len(result.series),
        "legend_entries": legend_entries,
        "unexplained": float(unexplained) if isinstance(unexplained, (int, float)) else None,
        "near_duplicate_names": _near_duplicates(legend_labels),
        "deskew_angle": result.deskew_angle,
        "lighting_flattened": result.lighting_flattened,
        "jpeg_smoothed": any("JPEG quality" in w for w in result.warnings),
    }


def chart_factors(sig: dict[str, Any]) -> dict[str, float]:
    """The factors in ``(0, 1]`` each signal contributes (1.0 = no doubt)."""
    out = {"x_axis": axis_factor(sig["x_axis"]), "y_axis": axis_factor(sig["y_axis"])}
    unexplained = sig["unexplained"]
    if unexplained is not None and unexplained > UNEXPLAINED_OK:
        out["unexplained"] = float(max(0.3, 1.0 - 2.5 * (unexplained - UNEXPLAINED_OK)))
    n, legend = sig["series"], sig["legend_entries"]
    if legend and n != legend:
        out["series_count"] = 0.6
    elif not legend and n > 1:
        out["series_count"] = 0.85  # series told apart by colour alone, nothing to check on
    if sig["near_duplicate_names"]:
        out["names"] = 0.7
    if sig["deskew_angle"] or sig["lighting_flattened"] or sig.get("jpeg_smoothed"):
        out["resampled"] = 0.95
    return out


def assess(result: ChartResult, legend_entries: int = 0,
           legend_labels: list[str] | None = None,
           rivals: dict[str, RGB] | None = None) -> None:
    """Fold the signals into ``result``: per-series confidence and the chart confidence.

    Each series' confidence becomes its re-render agreement times the axis factors (a wrong
    map makes every series wrong), and times :data:`NAME_PAIRING` where its name may be
    another series' (:func:`doubtful_names`; ``rivals``: legend label -> colour of a swatch
    nearer the label than its own); the chart confidence is the lowest of them times the
    chart-level factors (series count, names, resampling). Warnings name the signals that
    lowered it.
    """
    sig = chart_signals(result, legend_entries, legend_labels or [])
    doubtful = set(doubtful_names([(s.name, s.color) for s in result.series], rivals or {}))
    sig["name_pairing"] = len(doubtful)
    factors = chart_factors(sig)
    axes = factors["x_axis"] * factors["y_axis"]
    rest = float(np.prod([v for k, v in factors.items() if k not in ("x_axis", "y_axis")]))
    scores = []
    for s in result.series:
        if s.confidence is None:
            continue
        named = 1.0
        if s.name in doubtful:
            named = NAME_PAIRING
            s.warnings.append("its legend label stands nearer a swatch of another series' "
                              "colour than its own: the name may be that series'")
        s.confidence = round(float(s.confidence) * axes * named, 3)
        scores.append(s.confidence)
    chart = round(min(scores) * rest, 3) if scores else None
    result.confidence = chart
    result.confidence_signals = {**sig, "factors": {k: round(v, 3) for k, v in factors.items()}}
    for ax in ("x", "y"):
        a = sig[f"{ax}_axis"]
        if not a["user"] and a["scale"] != "category" and a["inliers"] <= 2:
            result.warnings.append(
                f"{ax} axis fitted to {a['inliers']} labels only: map unchecked"
            )
        elif a.get("powers_as_categories"):
            result.warnings.append(
                f"{ax} axis: tick labels written as powers of ten could not be read as "
                f"numbers (taken for categories): its values are unreliable; "
                f"--{ax}-range LO HI sets them"
            )
        elif a["rejected"]:
            result.warnings.append(
                f"{ax} axis: {a['rejected']} of {a['labels']} tick labels rejected as misread"
            )
    if "series_count" in factors and sig["legend_entries"]:
        result.warnings.append(
            f"{sig['series']} series found, the legend lists {sig['legend_entries']}: "
            "series count uncertain"
        )
    if "names" in factors:
        result.warnings.append("legend labels read almost alike: series names uncertain")
    if doubtful:
        result.warnings.append(
            f"legend names may be paired with the wrong lines ({len(doubtful)} series): "
            "labels stand nearer swatches of other series' colours than their own")


__all__ = ["HIGH_CONFIDENCE", "assess", "axis_signals", "axis_factor", "chart_signals",
           "chart_factors"]
