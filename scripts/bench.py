#!/usr/bin/env python3
"""Benchmark digitize on folders of charts with known data.

For every image ``NAME.png|jpg|jpeg`` with ``NAME.json`` (ground truth) beside it, the image is
read in a fresh worker process (one process per chart, so the peak RSS measured there belongs
to that chart), compared against the truth with :mod:`digitize.compare`, and the results are
summarised per folder and per chart type, with a confidence calibration table (per threshold:
charts whose reported confidence is at or above it, and how many of those are within 1%).
The markdown summary goes to BENCHMARKS.md (the text below a ``<!-- notes -->`` marker there
is kept).

Usage::

    python scripts/bench.py ../shared/realworld [more folders] [--jobs 2] [--limit N]
        [--out BENCHMARKS.md] [--timeout 300] [--reader module:function] [--records FILE]

``--reader`` names the function that reads an image (default ``digitize.pipeline:read``); it
may return a ChartResult, the dict of ``ChartResult.to_dict()`` or a
:class:`digitize.groundtruth.Table`. ``module`` may also be a path to a ``.py`` file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import json
import math
import multiprocessing as mp
import re
import subprocess
import sys
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
NOTES_MARKER = "<!-- notes -->"
DEFAULT_NOTES = """## Notes

- Point error: for each truth point of a paired series, |y_pred(x) - y_true| / y span (log10
  space on log axes; nearest predicted point for scatter series). Means are per chart, then
  averaged over charts; p95 pools all points with every chart weighted equally.
- CHART-Info counts failed charts as 0. Point and band errors only cover paired series;
  missing series show up in "series exact" and CHART-Info.
- Axis end error needs x_range / y_range in the truth JSON; "n/a" where none has them. It is
  taken at the true axis ends where the truth JSON has `meta.plot_bbox_px`.
- Point recall / precision ("Points found" table): a true point and a found point match when
  they are within 1% of the x span and 1% of the y span of each other (fit space, the spans
  the point error uses); points are matched one-to-one (a maximum bipartite matching, so one
  found point never counts for two true ones). Recall = matched / true points, precision =
  matched / found points, pooled over the charts of a group. "Same series" matches only
  within the series pairs of the point error (an unpaired series' points are all missed or
  all extra); "any series" ignores which series a point belongs to. Meaningful where every
  true point is drawn as a mark (scatter, markers); a line read as one point per pixel
  column has a low precision by construction.
- Vertex recovery: only true series drawn without markers (`meta.markers` entry null) in
  charts whose truth has `meta.plot_bbox_px` and both axis ranges (truth points mapped to
  image pixels through them). A series whose points lie a median of under 4 px apart along
  x is a "curve" (dense or smooth: no corner to recover), else a "vertices" series (also
  split by `meta.data_kind`). In a vertices series a true point counts when it is an end or
  lies at least 1 px off the chord of its two neighbours (a smaller bend is invisible);
  recall = such points matched one-to-one by a found point of the paired series within 1%
  of both spans; extra points = found points matching no true point of the series (all of
  them, visible or not) / found points. An unpaired true series counts as all missed.
  "sampling says": series whose `sampling` in the JSON is the expected "vertices" or
  "sampled". "(px)": the same counts on the found points' own pixel positions, within 1% of
  the plot box's width and height: the line extraction alone, without the axis calibration
  (a series still has to be found and paired). "shape ≤1px": visible true points within
  1 px of the found polyline; "off shape": found points more than 1 px off the true polyline
  (both on the found pixels): a curve sampled between its data points can keep its shape
  (the issue's target for curves) and pass this while matching few true points; the row
  "vertices: read as sampled" holds the vertex series the reader called a sampled curve.
  Deviation: distance in pixels (found
  pixels) from each found point to the true polyline and from each true point to the found
  polyline; per series its mean and max, the table gives the median of each over series.
  Charts that failed to read are left out of this table (they count under "failed").
"""


# -- worker side -------------------------------------------------------------------------------
def resolve_reader(spec: str) -> Callable[[str], Any]:
    """The function named by ``module:function`` (module may be a ``.py`` path)."""
    if ":" not in spec:
        raise ValueError(f"--reader wants module:function, got {spec!r}")
    mod_name, func = spec.rsplit(":", 1)
    if mod_name.endswith(".py"):
        path = Path(mod_name).resolve()
        loader = importlib.util.spec_from_file_location(path.stem, path)
        if loader is None or loader.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(loader)
        loader.loader.exec_module(module)
    else:
        module = importlib.import_module(mod_name)
    return getattr(module, func)


def _maxrss_mb() -> float:
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024.0 * 1024.0) if sys.platform == "darwin" else rss / 1024.0


def _axis_calibration(truth: Any, pred: Any, axis: str, fit: dict[str, Any] | None = None,
                      ends_px: tuple[float, float] | None = None) -> dict[str, Any]:
    """Scale right/wrong and the axis-end errors as shares of the true span.

    ``range_error`` compares the value range the reader reports (its map at its own plot-area
    edges) with the truth's range, so a plot area found short counts as well as a wrong map.
    ``map_error`` evaluates the fitted map (``fit``: scale, slope, intercept) at the true axis
    ends (``ends_px``, pixel-centre coordinates) and is None where those are unknown.
    ``end_error`` is ``map_error`` where known, else ``range_error``.
    """
    import copy

    from digitize.compare import _fwd, years_as_dates

    if axis == "x":
        # whole-year labels are read as a date axis: the truth's years compared as dates
        truth = copy.deepcopy(truth)
        years_as_dates(truth, pred)
    t_scale = getattr(truth, f"{axis}_scale")
    p_scale = getattr(pred, f"{axis}_scale")
    out: dict[str, Any] = {"true_scale": t_scale, "fit_scale": p_scale,
                           "scale_ok": (t_scale == p_scale) if t_scale and p_scale else None,
                           "end_error": None, "range_error": None, "map_error": None}
    t_rng = getattr(truth, f"{axis}_range")
    p_rng = getattr(pred, f"{axis}_range")
    out["truth_range"] = t_rng is not None
    if t_rng is None:
        return out
    scale = t_scale or "linear"
    t = _fwd(np.array(t_rng, dtype=float), scale)
    if p_rng is not None:
        out["range_error"] = _end_errors(t, _fwd(np.array(p_rng, dtype=float), scale))
    if fit is not None and ends_px is not None:
        out["map_error"] = _end_errors(t, _fwd(_map_values(fit, ends_px), scale))
    out["end_error"] = out["map_error"] or out["range_error"]
    return out


POINT_TOLERANCE = 0.01  # a found point matches a true one within 1% of both spans


def match_points(a: np.ndarray, b: np.ndarray, tol: float = POINT_TOLERANCE) -> int:
    """How many points of ``a`` and ``b`` (rows of x, y in span units) match one-to-one.

    Two points can match when both their x and their y differ by at most ``tol``; the count
    is that of a maximum bipartite matching (each point used once).
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching
    from scipy.spatial import cKDTree

    a = a[np.all(np.isfinite(a), axis=1)] if len(a) else a
    b = b[np.all(np.isfinite(b), axis=1)] if len(b) else b
    if len(a) == 0 or len(b) == 0:
        return 0
    close = cKDTree(a).sparse_distance_matrix(cKDTree(b), tol, p=np.inf, output_type="ndarray")
    if len(close) == 0:
        return 0
    graph = coo_matrix((np.ones(len(close)), (close["i"], close["j"])),
                       shape=(len(a), len(b))).tocsr()
    return int(np.sum(maximum_bipartite_matching(graph, perm_type="column") >= 0))


def point_match(truth: Any, pred: Any, report: Any,
                tol: float = POINT_TOLERANCE) -> dict[str, int]:
    """True, found and matched point counts of a chart, within paired series and pooled.

    ``report`` is the :func:`digitize.compare.compare_tables` report of ``truth`` against
    ``pred``; its scales, spans and series pairs are used.
    """
    from digitize.compare import _copy, _fwd, _relabel, years_as_dates

    truth, pred = _copy(truth), _copy(pred)
    for t, other in ((truth, pred), (pred, truth)):
        years_as_dates(t, other)
    if report.x_scale == "category":
        _relabel([truth, pred])

    def points(t: Any) -> list[np.ndarray]:
        return [np.column_stack([_fwd(np.asarray(s.x, float), report.x_scale) / report.x_span,
                                 _fwd(np.asarray(s.y, float), report.y_scale) / report.y_span])
                .reshape(-1, 2) for s in t.series]

    pa, pb = points(truth), points(pred)
    n_true = sum(int(np.all(np.isfinite(p), axis=1).sum()) for p in pa)
    n_found = sum(int(np.all(np.isfinite(p), axis=1).sum()) for p in pb)
    same = sum(match_points(pa[p.a_index], pb[p.b_index], tol) for p in report.pairs)
    every_a = np.concatenate(pa) if pa else np.zeros((0, 2))
    every_b = np.concatenate(pb) if pb else np.zeros((0, 2))
    return {"true": n_true, "found": n_found, "matched": same,
            "matched_any": match_points(every_a, every_b, tol)}


# -- vertex recovery (lines without markers) ---------------------------------------------------

#: a series of no-marker points closer than this (median, pixels along x) is a dense curve
CURVE_SPACING_PX = 4.0
#: a true vertex is visible when it lies at least this far (pixels) off its neighbours' chord
VISIBLE_BEND_PX = 1.0
#: a line's shape is kept where the found and the true polyline are this close (pixels)
SHAPE_PX = 1.0


def _pixel_map(truth: Any, report: Any, meta: dict[str, Any]) -> Callable[..., np.ndarray] | None:
    """Data -> image pixels from the truth's plot box and axis ranges (None without them)."""
    from digitize.compare import _fwd

    box = meta.get("plot_bbox_px")
    if not box or truth.x_range is None or truth.y_range is None or report.x_scale == "category":
        return None
    left, top, right, bottom = (float(v) for v in box)
    xr = _fwd(np.asarray(truth.x_range, float), report.x_scale)
    yr = _fwd(np.asarray(truth.y_range, float), report.y_scale)
    if not (np.all(np.isfinite(np.r_[xr, yr])) and xr[0] != xr[1] and yr[0] != yr[1]):
        return None

    def to_px(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        px = left + (_fwd(np.asarray(x, float), report.x_scale) - xr[0]) / (xr[1] - xr[0]) * (
            right - left)
        py = bottom - (_fwd(np.asarray(y, float), report.y_scale) - yr[0]) / (yr[1] - yr[0]) * (
            bottom - top)
        return np.column_stack([px, py]).reshape(-1, 2)

    return to_px


def _chord_bends(p: np.ndarray) -> np.ndarray:
    """Each point's distance (pixels) from the chord of its two neighbours; inf at the ends."""
    bends = np.full(len(p), np.inf)
    if len(p) >= 3:
        a, b, c = p[:-2], p[1:-1], p[2:]
        ac = c - a
        length = np.hypot(ac[:, 0], ac[:, 1])
        cross = np.abs(ac[:, 0] * (b - a)[:, 1] - ac[:, 1] * (b - a)[:, 0])
        bends[1:-1] = np.where(length > 0, cross / np.maximum(length, 1e-9),
                               np.hypot(*(b - a).T))
    return bends


def _polyline_distances(pts: np.ndarray, line: np.ndarray) -> np.ndarray:
    """Distance (pixels) from each of ``pts`` to the polyline through ``line`` (x-sorted)."""
    if len(pts) == 0 or len(line) == 0:
        return np.zeros(0)
    if len(line) == 1:
        return np.hypot(*(pts - line[0]).T)
    a, b = line[:-1], line[1:]
    ab = b - a
    ll = np.maximum((ab ** 2).sum(1), 1e-12)
    out = np.empty(len(pts))
    for i in range(0, len(pts), 256):  # chunks keep the pairwise array small
        q = pts[i : i + 256, None, :]
        t = np.clip(((q - a) * ab).sum(-1) / ll, 0, 1)
        d = np.hypot(*(q - (a + t[..., None] * ab)).transpose(2, 0, 1))
        out[i : i + 256] = d.min(axis=1)
    return out


def _found_pixels(result: Any, j: int) -> np.ndarray | None:
    """Image pixels (the truth's convention: a pixel's centre at +0.5) of the points of
    ``result.series[j]``, None where the result has no pixel positions."""
    series = getattr(result, "series", None)
    if series is None or j >= len(series):
        return None
    scale = float(getattr(result, "image_scale", 1.0) or 1.0)
    pts = np.array([(p.px, p.py) for p in series[j].points], float).reshape(-1, 2)
    return (pts + 0.5) / scale


def vertex_match(truth: Any, pred: Any, report: Any, meta: dict[str, Any],
                 tol: float = POINT_TOLERANCE, result: Any = None) -> list[dict[str, Any]]:
    """Per true line series drawn without markers: how well its vertices were recovered.

    A series is a *curve* when its points lie closer than :data:`CURVE_SPACING_PX` apart
    (median, along x, in image pixels from the truth's plot box), else a *vertex* series. In a
    vertex series a true point counts (``visible``) when it lies at least
    :data:`VISIBLE_BEND_PX` off the chord of its neighbours, or is an end: a smaller bend
    cannot be seen. ``matched``: visible points matched one-to-one by a found point within
    ``tol`` of both spans; ``found_matched``: found points matched to any true point of the
    series (a found point on an invisible vertex is not an extra). With ``result`` (the
    :class:`~digitize.result.ChartResult`), ``px_matched``/``px_found_matched`` count the
    same on the found points' own pixel positions (within ``tol`` of the plot box's width and
    height): the line extraction without the axis calibration. ``dev_mean``/``dev_max``:
    distance in pixels from the found points to the true polyline and back (both ways,
    pooled; on the found pixels where there are some). ``shape_matched``: visible true points
    within :data:`SHAPE_PX` of the found polyline; ``shape_off``: found points farther than
    that from the true polyline (both on the same pixels as the deviation): the shape test a
    curve sampled anywhere along its length can pass, where the vertex match needs the true
    points themselves. Empty where the truth has no plot box, axis ranges or marker list.
    """
    from digitize.compare import _copy, _fwd, _relabel, years_as_dates

    markers = meta.get("markers")
    if not isinstance(markers, list):
        return []
    truth, pred = _copy(truth), _copy(pred)
    for t, other in ((truth, pred), (pred, truth)):
        years_as_dates(t, other)
    if report.x_scale == "category":
        _relabel([truth, pred])
    to_px = _pixel_map(truth, report, meta)
    if to_px is None:
        return []
    partner = {p.a_index: p.b_index for p in report.pairs}

    def span_units(s: Any) -> np.ndarray:
        return np.column_stack([_fwd(np.asarray(s.x, float), report.x_scale) / report.x_span,
                                _fwd(np.asarray(s.y, float), report.y_scale) / report.y_span
                                ]).reshape(-1, 2)

    out = []
    for i, s in enumerate(truth.series):
        if i >= len(markers) or markers[i] is not None or len(s.x) < 2:
            continue
        tp = to_px(s.x, s.y)
        ok = np.all(np.isfinite(tp), axis=1)
        tp = tp[ok]
        if len(tp) < 2:
            continue
        order = np.argsort(tp[:, 0], kind="stable")
        tp = tp[order]
        spacing = float(np.median(np.abs(np.diff(tp[:, 0]))))
        cls = "curve" if spacing < CURVE_SPACING_PX else "vertices"
        visible = _chord_bends(tp) >= VISIBLE_BEND_PX
        rec: dict[str, Any] = {"class": cls, "data_kind": meta.get("data_kind"),
                               "true": int(len(tp)), "visible": int(visible.sum()),
                               "matched": 0, "found": 0, "found_matched": 0,
                               "px_matched": 0, "px_found_matched": 0,
                               "dev_mean": None, "dev_max": None, "sampling": None,
                               "shape_matched": 0, "shape_off": 0,
                               "spacing_px": spacing}
        j = partner.get(i)
        if j is not None:
            b = pred.series[j]
            rec["sampling"] = getattr(b, "sampling", None)
            su_t = span_units(s)[ok][order]
            su_b = span_units(b)
            su_b = su_b[np.all(np.isfinite(su_b), axis=1)]
            rec["found"] = int(len(su_b))
            rec["matched"] = match_points(su_t[visible], su_b, tol)
            rec["found_matched"] = match_points(su_t, su_b, tol)
            fp = _found_pixels(result, j)
            if fp is not None and len(fp) == len(b.x):
                box = np.abs(np.diff(np.asarray(meta["plot_bbox_px"], float).reshape(2, 2),
                                     axis=0))[0]
                rec["px_matched"] = match_points(tp[visible] / box, fp / box, tol)
                rec["px_found_matched"] = match_points(tp / box, fp / box, tol)
            else:
                fp = to_px(b.x, b.y)
                rec["px_matched"], rec["px_found_matched"] = rec["matched"], rec["found_matched"]
            fp = fp[np.all(np.isfinite(fp), axis=1)]
            fp = fp[np.argsort(fp[:, 0], kind="stable")]
            if len(fp):
                to_true, to_found = _polyline_distances(fp, tp), _polyline_distances(tp, fp)
                d = np.concatenate([to_true, to_found])
                rec["dev_mean"], rec["dev_max"] = float(d.mean()), float(d.max())
                rec["shape_matched"] = int((to_found[visible] <= SHAPE_PX).sum())
                rec["shape_off"] = int((to_true > SHAPE_PX).sum())
        out.append(rec)
    return out


VERTEX_HEADER = ["group", "series", "true vertices", "visible", "found points", "recall",
                 "extra points", "recall (px)", "extra (px)", "shape ≤1px", "off shape",
                 "sampling says", "deviation mean / max (px)"]


def vertex_rows(records: list[dict[str, Any]]) -> list[list[str]]:
    """The "Vertex recovery" table: per class of true no-marker line series (see
    :func:`vertex_match`), and per data kind within the vertex class."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        for s in r.get("line_vertices") or []:
            groups[s["class"]].append(s)
            if s["class"] == "vertices":
                groups[f"vertices: {s.get('data_kind') or 'n/a'}"].append(s)
                if s.get("sampling") == "sampled":
                    groups["vertices: read as sampled"].append(s)
    rows = []
    for key in sorted(groups):
        ss = groups[key]
        tot = Counter()
        for s in ss:
            tot.update({k: s.get(k, 0) for k in ("true", "visible", "matched", "found",
                                                  "found_matched", "px_matched",
                                                  "px_found_matched", "shape_matched",
                                                  "shape_off")})
        expect = "sampled" if key == "curve" else "vertices"
        says = sum(s.get("sampling") == expect for s in ss)
        devs = [s for s in ss if s.get("dev_mean") is not None]
        dev = ("n/a" if not devs else
               f"{np.median([s['dev_mean'] for s in devs]):.2f} / "
               f"{np.median([s['dev_max'] for s in devs]):.1f}")
        rows.append([key, str(len(ss)), str(tot["true"]), str(tot["visible"]), str(tot["found"]),
                     _ratio(tot["matched"], tot["visible"]),
                     _ratio(tot["found"] - tot["found_matched"], tot["found"]),
                     _ratio(tot["px_matched"], tot["visible"]),
                     _ratio(tot["found"] - tot["px_found_matched"], tot["found"]),
                     _ratio(tot["shape_matched"], tot["visible"]),
                     _ratio(tot["shape_off"], tot["found"]),
                     f"{says}/{len(ss)} {expect}", dev])
    return rows


def _end_errors(true_ends: np.ndarray, found_ends: np.ndarray) -> list[float] | None:
    """|found - true| at the low and the high end as shares of the true span (fit space)."""
    span = abs(true_ends[1] - true_ends[0])
    if not (span > 0 and np.all(np.isfinite(found_ends))):
        return None
    errs = np.abs(np.sort(found_ends) - np.sort(true_ends)) / span
    return [float(errs[0]), float(errs[1])]


def _map_values(fit: dict[str, Any], pixels: tuple[float, float]) -> np.ndarray:
    """Data values of a fitted axis map (``ChartResult.to_dict()`` axis) at ``pixels``."""
    t = float(fit["slope"]) * np.asarray(pixels, dtype=float) + float(fit["intercept"])
    return np.power(10.0, t) if fit.get("scale") == "log" else t


def _fitted_maps(result: Any) -> dict[str, dict[str, Any]]:
    """Per axis, the fitted map a reader returned (none for categories, tables, rotated reads).

    Each map's ``pixel_scale`` is the factor from the image's pixels to the map's.
    """
    data = result.to_dict() if hasattr(result, "to_dict") else result
    if not isinstance(data, dict) or float(data.get("deskew_angle") or 0.0) != 0.0:
        return {}
    maps = {}
    for ax in ("x", "y"):
        a = data.get(f"{ax}_axis") or {}
        if a.get("scale") in ("linear", "log", "date") and a.get("slope") is not None:
            maps[ax] = dict(a, pixel_scale=float(data.get("image_scale") or 1.0))
    return maps


def true_axis_ends(meta: dict[str, Any], axis: str,
                   pixel_scale: float = 1.0) -> tuple[float, float] | None:
    """The true axis ends in pixel-centre coordinates, from the truth's ``plot_bbox_px``.

    The box is [left, top, right, bottom] in image coordinates (a pixel's centre at index +
    0.5). None where the truth has no box or an implausible one (under a tenth of the image).
    """
    box, size = meta.get("plot_bbox_px"), meta.get("size_px")
    try:
        left, top, right, bottom = (float(v) for v in box)
        width, height = (float(v) for v in size)
    except (TypeError, ValueError):
        return None
    if not (right - left >= 0.1 * width and bottom - top >= 0.1 * height):
        return None
    lo, hi = (left, right) if axis == "x" else (top, bottom)
    return lo * pixel_scale - 0.5, hi * pixel_scale - 0.5


def run_chart(image: str, truth_path: str, reader_spec: str,
              rec: dict[str, Any] | None = None) -> dict[str, Any]:
    """Read one chart, compare it with its truth; a JSON-ready record.

    ``rec`` is filled in as the chart goes (its "stage" says how far it got) and returned;
    exceptions propagate.
    """
    from digitize.compare import compare_tables
    from digitize.groundtruth import load_table

    rec = {} if rec is None else rec
    rec["stage"] = "truth"
    truth = load_table(truth_path)
    rec["chart_type"] = truth.chart_type or "unknown"
    rec["stage"] = "import"
    reader = resolve_reader(reader_spec)
    rec["base_rss_mb"] = _maxrss_mb()
    rec["stage"] = "read"
    rec["_t0"] = t0 = time.perf_counter()
    result = reader(image)
    rec["seconds"] = time.perf_counter() - t0
    del rec["_t0"]
    rec["peak_rss_mb"] = _maxrss_mb()
    rec.update(_confidence_of(result))
    rec["stage"] = "compare"
    pred = load_table(result)
    report = compare_tables(truth, pred)
    named = [p for p in report.pairs if p.a_name not in (None, "")]
    ys = [p.y_errors[np.isfinite(p.y_errors)] for p in report.pairs]
    rec.update(
        ok=True,
        stage="done",
        n_true=report.n_a,
        n_found=report.n_b,
        series_exact=report.n_a == report.n_b and not report.missing and not report.extra,
        missing=report.missing,
        extra=report.extra,
        point_errors=[float(v) for v in np.concatenate(ys)] if ys else [],
        band_errors=[p.band_error for p in report.pairs if p.band_error is not None],
        bands_missing=sum(p.band_missing for p in report.pairs),
        names_total=len(named),
        names_exact=sum(p.names_match for p in named),
        chartinfo=report.chartinfo,
        reproduced=[p.reproduced for p in report.pairs if math.isfinite(p.reproduced)],
        calibration=_calibrations(truth, pred, result, truth_path),
        points=point_match(truth, pred, report),
        line_vertices=vertex_match(truth, pred, report, _truth_meta(Path(truth_path)),
                                   result=result),
        warnings=report.warnings,
    )
    return rec


def _calibrations(truth: Any, pred: Any, result: Any, truth_path: str) -> dict[str, Any]:
    """:func:`_axis_calibration` of both axes, with the true axis ends where the truth has them."""
    maps = _fitted_maps(result)
    meta = _truth_meta(Path(truth_path))
    out = {}
    for ax in ("x", "y"):
        fit = maps.get(ax)
        ends = true_axis_ends(meta, ax, fit["pixel_scale"]) if fit else None
        out[ax] = _axis_calibration(truth, pred, ax, fit, ends)
        out[ax]["fit"] = None if fit is None else {
            k: fit[k] for k in ("scale", "slope", "intercept", "pixel_scale")}
    return out


def _confidence_of(result: Any) -> dict[str, Any]:
    """The chart confidence a reader reports and the signals behind it (for calibration).

    ``confidence`` is the result's own chart confidence where it has one, else the lowest
    series confidence; None where the reader reports none.
    """
    data = result.to_dict() if hasattr(result, "to_dict") else result
    if not isinstance(data, dict):
        return {"confidence": None}
    series = data.get("series") or []
    confs = [s.get("confidence") for s in series if isinstance(s, dict)]
    confs = [float(c) for c in confs if isinstance(c, (int, float))]
    chart = data.get("confidence")
    if not isinstance(chart, (int, float)):
        chart = min(confs) if confs else None
    diag: dict[str, Any] = {"series_confidence": confs,
                            "warnings": list(data.get("warnings") or [])}
    for ax in ("x_axis", "y_axis"):
        a = data.get(ax) or {}
        ticks = a.get("ticks") or []
        diag[ax] = {"scale": a.get("scale"), "ticks": len(ticks),
                    "inliers": sum(bool(t.get("inlier")) for t in ticks),
                    "residual_px": a.get("residual_px")}
    agree = data.get("agreement") or {}
    diag["unexplained"] = agree.get("unexplained") if isinstance(agree, dict) else None
    per = agree.get("series", {}) if isinstance(agree, dict) else {}
    diag["agreement_scores"] = [per[n].get("score") for n in per if isinstance(per[n], dict)]
    diag["signals"] = data.get("confidence_signals")
    return {"confidence": chart, "diag": diag}


def _worker(conn: Any, image: str, truth: str, reader_spec: str) -> None:
    """Process entry point: run one chart, send the record (or the failure) back."""
    t0 = time.perf_counter()
    rec: dict[str, Any] = {"ok": False, "stage": "start"}
    try:
        run_chart(image, truth, reader_spec, rec)
    except BaseException as exc:  # noqa: BLE001 - every failure is counted, none stops the bench
        tb = traceback.extract_tb(exc.__traceback__)
        where = f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        rec.update(
            ok=False,
            error=type(exc).__name__,
            message=(str(exc).splitlines() or [""])[0][:200],
            where=where,
            peak_rss_mb=_maxrss_mb(),
        )
        start = rec.pop("_t0", t0)
        rec.setdefault("seconds", time.perf_counter() - start)
    try:
        conn.send(rec)
    finally:
        conn.close()


# -- parent side -------------------------------------------------------------------------------
@dataclass
class Task:
    folder: str
    name: str
    image: Path
    truth: Path
    chart_type: str = "unknown"
    renderer: str = "unknown"


def _truth_meta(truth: Path) -> dict[str, Any]:
    """The ``meta`` object of a truth JSON ({} when unreadable or absent)."""
    try:
        data = json.loads(truth.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    meta = data.get("meta") if isinstance(data, dict) else None
    return meta if isinstance(meta, dict) else {}


def _chart_type(truth: Path) -> str:
    """``chart_type`` (or ``meta.chart_type``) of a truth JSON; "unknown" when unreadable."""
    try:
        data = json.loads(truth.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "unknown"
    if not isinstance(data, dict):
        return "unknown"
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    return str(data.get("chart_type") or meta.get("chart_type") or "unknown")


def find_tasks(folders: Iterable[str], limit: int | None) -> list[Task]:
    """Images with a truth JSON beside them, per folder (sorted; at most ``limit`` each)."""
    tasks = []
    for folder in folders:
        path = Path(folder)
        if not path.is_dir():
            print(f"skipping {folder}: no such folder", file=sys.stderr)
            continue
        found = []
        for img in sorted(path.iterdir()):
            if img.suffix.lower() in IMAGE_SUFFIXES and img.with_suffix(".json").is_file():
                truth = img.with_suffix(".json")
                found.append(Task(folder, img.stem, img, truth, _chart_type(truth),
                                  str(_truth_meta(truth).get("renderer") or "unknown")))
        if not found:
            print(f"skipping {folder}: no image with a NAME.json beside it", file=sys.stderr)
        tasks.extend(found[:limit] if limit else found)
    return tasks


def run_all(tasks: list[Task], reader_spec: str, jobs: int, timeout: float,
            progress: bool = True) -> list[dict[str, Any]]:
    """Run every task in its own spawned process, at most ``jobs`` at a time."""
    ctx = mp.get_context("spawn")
    pending = list(enumerate(tasks))
    running: dict[int, tuple[Any, Any, float]] = {}
    records: dict[int, dict[str, Any]] = {}
    total = len(tasks)

    def finish(i: int, rec: dict[str, Any]) -> None:
        t = tasks[i]
        rec.update(folder=t.folder, name=t.name, image=str(t.image), truth=str(t.truth))
        rec.setdefault("chart_type", t.chart_type)
        rec.setdefault("renderer", t.renderer)
        records[i] = rec
        if progress:
            if rec.get("ok"):
                err = np.mean(rec["point_errors"]) if rec["point_errors"] else math.nan
                msg = (f"ok  {rec.get('seconds', 0):6.1f}s  err {_pct(err)}  "
                       f"CHART-Info {rec['chartinfo']:.3f}  series {rec['n_found']}/"
                       f"{rec['n_true']}")
            else:
                msg = f"FAILED ({rec.get('stage')}) {rec.get('error')}: {rec.get('message', '')}"
            print(f"[{len(records)}/{total}] {t.image.name}: {msg}", flush=True)

    while pending or running:
        while pending and len(running) < jobs:
            i, t = pending.pop(0)
            recv, send = ctx.Pipe(duplex=False)
            # not daemonic: a chart's process may start a helper of its own, as the CLI's
            # does (digitize.drawworker); a stalled one is killed below
            proc = ctx.Process(target=_worker, args=(send, str(t.image), str(t.truth),
                                                     reader_spec), daemon=False)
            proc.start()
            send.close()
            running[i] = (proc, recv, time.monotonic())
        wait([r[1] for r in running.values()] + [r[0].sentinel for r in running.values()],
             timeout=0.5)
        now = time.monotonic()
        for i, (proc, recv, start) in list(running.items()):
            rec = None
            try:
                if recv.poll():
                    rec = recv.recv()
            except (EOFError, OSError):
                rec = None
            if rec is not None:
                proc.join(5)
            elif not proc.is_alive():
                proc.join()
                code = proc.exitcode
                rec = {"ok": False, "stage": "read", "error": "WorkerCrashed",
                       "message": f"worker exited with code {code}"
                       + (" (killed: out of memory?)" if code == -9 else ""),
                       "seconds": now - start}
            elif now - start > timeout:
                proc.kill()
                proc.join()
                rec = {"ok": False, "stage": "read", "error": "Timeout",
                       "message": f"no result after {timeout:g}s", "seconds": now - start}
            else:
                continue
            recv.close()
            del running[i]
            finish(i, rec)
    return [records[i] for i in range(total)]


# -- summary -----------------------------------------------------------------------------------
def _pct(v: float | None, digits: int = 2) -> str:
    if v is None or not isinstance(v, (int, float)) or not math.isfinite(v):
        return "n/a"
    return f"{100 * v:.{digits}f}%"


def _share(k: int, n: int) -> str:
    return f"{k}/{n}" if n else "n/a"


def weighted_percentile(groups: list[list[float]], q: float) -> float:
    """The ``q``-th percentile of pooled values, each group (chart) weighted equally."""
    vals, weights = [], []
    for g in groups:
        g = [v for v in g if math.isfinite(v)]
        if g:
            vals.extend(g)
            weights.extend([1.0 / len(g)] * len(g))
    if not vals:
        return math.nan
    order = np.argsort(vals)
    v = np.asarray(vals)[order]
    w = np.cumsum(np.asarray(weights)[order])
    w /= w[-1]
    return float(v[min(np.searchsorted(w, q / 100.0), len(v) - 1)])


def summarise(recs: list[dict[str, Any]]) -> dict[str, Any]:
    """Aggregate chart records into one summary row."""
    ok = [r for r in recs if r.get("ok")]
    fails = Counter(r.get("error", "?") for r in recs if not r.get("ok"))
    chart_means = [float(np.mean(r["point_errors"])) for r in ok if r["point_errors"]]
    bands = [b for r in ok for b in r["band_errors"]]
    secs = [r["seconds"] for r in recs if r.get("ok") and "seconds" in r]
    mem = [r["peak_rss_mb"] for r in recs if r.get("peak_rss_mb")]
    return {
        "charts": len(recs),
        "failed": len(recs) - len(ok),
        "fail_kinds": dict(fails),
        "series_exact": sum(bool(r["series_exact"]) for r in ok),
        "ok": len(ok),
        "mean_err": float(np.mean(chart_means)) if chart_means else math.nan,
        "median_err": float(np.median(chart_means)) if chart_means else math.nan,
        # charts whose mean point error is within 1% of the span; failed charts count as not
        "within_1pct": sum(1 for m in chart_means if m <= 0.01),
        "p95_err": weighted_percentile([r["point_errors"] for r in ok], 95),
        "band_err": float(np.mean(bands)) if bands else math.nan,
        "bands_missing": sum(r["bands_missing"] for r in ok),
        "names_exact": sum(r["names_exact"] for r in ok),
        "names_total": sum(r["names_total"] for r in ok),
        "chartinfo": float(np.mean([r["chartinfo"] if r.get("ok") else 0.0 for r in recs]))
        if recs else math.nan,
        "median_s": float(np.median(secs)) if secs else math.nan,
        "peak_mb": max(mem) if mem else math.nan,
    }


SUMMARY_HEADER = ["charts", "failed", "series exact", "mean err", "median err", "charts ≤1%",
                  "p95 err", "band err", "names exact", "CHART-Info", "median s", "peak MB"]


def summary_cells(s: dict[str, Any]) -> list[str]:
    failed = str(s["failed"])
    if s["fail_kinds"]:
        failed += " (" + ", ".join(f"{k} {v}" for k, v in sorted(s["fail_kinds"].items())) + ")"
    band = _pct(s["band_err"])
    if s["bands_missing"]:
        band += f" ({s['bands_missing']} missing)"
    return [
        str(s["charts"]), failed, _share(s["series_exact"], s["ok"]), _pct(s["mean_err"]),
        _pct(s["median_err"]), _share(s["within_1pct"], s["charts"]), _pct(s["p95_err"]), band,
        _share(s["names_exact"], s["names_total"]),
        "n/a" if not math.isfinite(s["chartinfo"]) else f"{s['chartinfo']:.3f}",
        "n/a" if not math.isfinite(s["median_s"]) else f"{s['median_s']:.2f}",
        "n/a" if not math.isfinite(s["peak_mb"]) else f"{s['peak_mb']:.0f}",
    ]


def md_table(header: list[str], rows: list[list[str]]) -> str:
    def esc(c: str) -> str:
        return str(c).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


CAL_TOLERANCE = 0.002  # the bar: both axis ends within 0.2% of the span


def calibration_rows(groups: dict[str, list[dict[str, Any]]]) -> list[list[str]]:
    """Axis-calibration cells per group: scale ok, axes within 0.2%, end error mean / max.

    "≤0.2%" counts an axis when both its ends are within :data:`CAL_TOLERANCE` of the true
    span: the fitted map at the true axis ends where the truth knows them ("at true ends"
    says for how many), else the reported range; "range ≤0.2%" always uses the reported range
    (the map at the plot-area edges found). Shares are over every chart of the group, failed
    charts counting as misses.
    """
    rows = []
    for key, recs in groups.items():
        ok = [r for r in recs if r.get("ok")]
        cells = [key, f"{len(ok)}/{len(recs)}"]
        for ax in ("x", "y"):
            cal = [r["calibration"][ax] for r in ok]
            known = [c for c in cal if c["scale_ok"] is not None]
            cells.append(_share(sum(c["scale_ok"] for c in known), len(known)))
            with_rng = sum(1 for r in recs if not r.get("ok")
                           or r["calibration"][ax].get("truth_range", True))
            for field in ("end_error", "range_error"):
                within = sum(1 for c in cal if _within(c.get(field, c["end_error"])))
                cells.append(_share(within, with_rng) if with_rng else "n/a")
            ends = [e for c in cal if c["end_error"] for e in c["end_error"]]
            n_rng = sum(1 for c in cal if c["end_error"])
            n_map = sum(1 for c in cal if c.get("map_error"))
            cells.append(
                "n/a" if not ends else f"{_pct(float(np.mean(ends)))} / "
                f"{_pct(float(np.max(ends)))} (n={n_rng}, {n_map} at true ends)"
            )
        rows.append(cells)
    return rows


def _within(errors: list[float] | None) -> bool:
    return bool(errors) and max(errors) <= CAL_TOLERANCE


CAL_HEADER = ["folder", "charts read", "x scale ok", "x ≤0.2%", "x range ≤0.2%", "x end error",
              "y scale ok", "y ≤0.2%", "y range ≤0.2%", "y end error"]


def points_rows(groups: dict[str, list[dict[str, Any]]]) -> list[list[str]]:
    """Point recall and precision per group (see :func:`point_match`), pooled over charts.

    A failed chart counts its true points as missed (its truth is re-read for the count).
    """
    rows = []
    for key, recs in groups.items():
        tot = Counter()
        for r in recs:
            pts = r.get("points") if r.get("ok") else None
            if pts:
                tot.update(pts)
            elif r.get("truth"):
                tot["true"] += _truth_points(r["truth"])
        rows.append([key, str(len(recs)), str(tot["true"]), str(tot["found"]),
                     _ratio(tot["matched"], tot["true"]), _ratio(tot["matched"], tot["found"]),
                     _ratio(tot["matched_any"], tot["true"]),
                     _ratio(tot["matched_any"], tot["found"])])
    return rows


def _ratio(k: int, n: int) -> str:
    return f"{100 * k / n:.1f}%" if n else "n/a"


def _truth_points(path: str) -> int:
    """Number of points in a truth JSON (0 when unreadable)."""
    from digitize.groundtruth import load_table

    try:
        return sum(len(s) for s in load_table(path).series)
    except Exception:  # noqa: BLE001 - an unreadable truth has no points to count
        return 0


POINTS_HEADER = ["group", "charts", "true points", "found points", "recall", "precision",
                 "recall (any series)", "precision (any series)"]


CONFIDENCE_THRESHOLDS = (0.9, 0.8, 0.7, 0.5)


def _chart_error(r: dict[str, Any]) -> float:
    """A chart's mean point error (inf when it was read but no truth point was paired)."""
    return float(np.mean(r["point_errors"])) if r.get("point_errors") else math.inf


def confidence_rows(records: list[dict[str, Any]],
                    thresholds: Iterable[float] = CONFIDENCE_THRESHOLDS) -> list[list[str]]:
    """Per threshold: charts at or above it, and how many of those are within 1%.

    A chart counts as "within 1%" when its mean point error is at most 1% of the span; "and
    series exact" also needs every true series found and none extra. Refused charts have no
    confidence (they are below every threshold).
    """
    rows = []
    n = len(records)
    for t in thresholds:
        above = [r for r in records if r.get("ok") and r.get("confidence") is not None
                 and r["confidence"] >= t]
        good = [r for r in above if _chart_error(r) <= 0.01]
        exact = [r for r in good if r.get("series_exact")]
        worst = max((_chart_error(r) for r in above), default=math.nan)
        rows.append([
            f"≥ {t:g}", _share(len(above), n),
            f"{len(good)}/{len(above)}" + (f" ({100 * len(good) / len(above):.0f}%)"
                                           if above else ""),
            f"{len(exact)}/{len(above)}" if above else "n/a",
            _pct(worst),
        ])
    return rows


CONFIDENCE_HEADER = ["chart confidence", "charts above", "within 1%", "and series exact",
                     "worst mean err above"]


def git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=ROOT, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (with uncommitted changes)" if dirty else "")


def render(records: list[dict[str, Any]], argv: list[str], jobs: int) -> str:
    """The markdown report (without the notes section)."""
    by_folder: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_renderer: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        by_renderer[r.get("renderer") or "unknown"].append(r)
        by_folder[r["folder"]].append(r)
        by_type[r.get("chart_type") or "unknown"].append(r)
    out = [
        "# Benchmarks",
        "",
        f"Measured on commit `{git_commit()}`, {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}, "
        f"with `python scripts/bench.py {' '.join(argv)}` ({jobs} jobs, one process per chart).",
        "",
        "Errors are shares of the axis span (log10 space on log axes). See the notes below.",
        "",
        "## By folder",
        "",
        md_table(["folder"] + SUMMARY_HEADER,
                 [[k] + summary_cells(summarise(v)) for k, v in by_folder.items()]
                 + ([["**all**"] + summary_cells(summarise(records))]
                    if len(by_folder) > 1 else [])),
        "",
        "## By chart type",
        "",
        md_table(["chart type"] + SUMMARY_HEADER,
                 [[k] + summary_cells(summarise(v)) for k, v in sorted(by_type.items())]),
        "",
        "## Points found",
        "",
        "Per chart type: true points matched one-to-one by a found point within 1% of both "
        "spans (recall) and found points matching a true one (precision); see the notes.",
        "",
        md_table(POINTS_HEADER, points_rows(dict(sorted(by_type.items())))),
        "",
        "## Vertex recovery",
        "",
        "True line series drawn without markers, by what is recoverable: \"vertices\" "
        "(piecewise linear, points at least 4 px apart) with recall over the vertices a pixel "
        "can show and the share of found points matching no true point, in data units and on "
        "the found pixels; \"curve\" (denser) with the distance between the found and the "
        "true polyline; the shape columns (any class) count the visible true points within "
        "1 px of the found polyline and the found points over 1 px off the true one; see the "
        "notes.",
        "",
        md_table(VERTEX_HEADER, vertex_rows(records)),
        "",
        "## Axis calibration",
        "",
        "Scale type right, and the fitted map's error at both ends of the axis as a share of "
        "the true span (mean / max, where the truth JSON has x_range / y_range): at the true "
        "axis ends where the truth has the plot box (`meta.plot_bbox_px`), else at the plot-"
        "area edges found. \"range ≤0.2%\" always compares the reported value range (the map "
        "at the plot-area edges found), so it also counts plot areas found short.",
        "",
        md_table(CAL_HEADER, calibration_rows(by_folder)),
        "",
        "## Confidence calibration",
        "",
        "Charts whose reported confidence is at or above each threshold, and the share of them "
        "whose mean point error is within 1% of the span. Refused charts count as below every "
        "threshold.",
        "",
        md_table(CONFIDENCE_HEADER, confidence_rows(records)),
        "",
    ]
    if len(by_renderer) > 1:
        out += [
            "## By renderer",
            "",
            "Renderer from the truth's `meta.renderer`.",
            "",
            md_table(["renderer"] + SUMMARY_HEADER,
                     [[k] + summary_cells(summarise(v)) for k, v in sorted(by_renderer.items())]),
            "",
            md_table(["renderer"] + CAL_HEADER[1:],
                     calibration_rows(dict(sorted(by_renderer.items())))),
            "",
        ]
    out += [
        "## Per chart",
        "",
    ]
    rows = []
    for r in records:
        if r.get("ok"):
            pe = r["point_errors"]
            cal = r["calibration"]
            scales = "/".join(
                (c["fit_scale"] or "?") + ("" if c["scale_ok"] in (True, None) else "✗")
                for c in (cal["x"], cal["y"])
            )
            rows.append([
                f"{Path(r['folder']).name}/{r['name']}", r.get("chart_type", ""),
                f"{r['n_found']}/{r['n_true']}",
                _pct(float(np.mean(pe)) if pe else math.nan),
                _pct(float(np.percentile(pe, 95)) if pe else math.nan),
                f"{r['chartinfo']:.3f}", scales,
                "n/a" if r.get("confidence") is None else f"{r['confidence']:.2f}",
                f"{r['seconds']:.2f}", f"{r['peak_rss_mb']:.0f}", "ok",
            ])
        else:
            rows.append([
                f"{Path(r['folder']).name}/{r['name']}", r.get("chart_type", ""), "", "", "",
                "0", "", "",
                f"{r.get('seconds', math.nan):.2f}", "", f"{r.get('error')} ({r.get('stage')})"
                f": {r.get('message', '')}"[:120],
            ])
    table = md_table(["chart", "type", "series found/true", "mean err", "p95 err",
                      "CHART-Info", "scales x/y", "confidence", "s", "MB", "status"], rows)
    if len(rows) > 40:
        table = f"<details><summary>{len(rows)} charts</summary>\n\n{table}\n\n</details>"
    out.append(table)
    out.append("")
    return "\n".join(out)


def write_report(path: Path, body: str) -> None:
    """Write ``body`` to ``path``, keeping whatever follows the notes marker there."""
    notes = DEFAULT_NOTES
    if path.is_file():
        old = path.read_text(encoding="utf-8")
        if NOTES_MARKER in old:
            notes = old.split(NOTES_MARKER, 1)[1].lstrip("\n")
    path.write_text(body.rstrip("\n") + "\n\n" + NOTES_MARKER + "\n" + notes, encoding="utf-8")


def console_summary(records: list[dict[str, Any]]) -> str:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        groups["folder " + r["folder"]].append(r)
    for r in records:
        groups["type " + (r.get("chart_type") or "unknown")].append(r)
    rows = [[k] + summary_cells(summarise(v)) for k, v in groups.items()]
    widths = [max(len(x) for x in col) for col in zip(["group"] + SUMMARY_HEADER, *rows,
                                                       strict=True)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(["group"] + SUMMARY_HEADER, widths,
                                                   strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns 0, or 2 on bad usage / nothing to run."""
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("folders", nargs="+", metavar="FOLDER")
    p.add_argument("--jobs", type=int, default=2, help="charts run in parallel (default 2)")
    p.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"),
                   help="markdown report to write ('-' for none; default BENCHMARKS.md)")
    p.add_argument("--limit", type=int, help="at most N charts per folder")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds per chart (300)")
    p.add_argument("--reader", default="digitize.pipeline:read",
                   help="module:function reading an image (default digitize.pipeline:read)")
    p.add_argument("--records", help="also write one JSON record per chart to this file")
    args = p.parse_args(argv)
    if args.jobs < 1:
        p.error("--jobs must be at least 1")
    tasks = find_tasks(args.folders, args.limit)
    if not tasks:
        print("nothing to run", file=sys.stderr)
        return 2
    print(f"{len(tasks)} charts, {args.jobs} jobs, reader {args.reader}", flush=True)
    records = run_all(tasks, args.reader, args.jobs, args.timeout)
    print()
    print(console_summary(records))
    print()
    print(md_table(CONFIDENCE_HEADER, confidence_rows(records)))
    print()
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        by_type[r.get("chart_type") or "unknown"].append(r)
    print(md_table(POINTS_HEADER, points_rows(dict(sorted(by_type.items())))))
    if any(r.get("line_vertices") for r in records):
        print(md_table(VERTEX_HEADER, vertex_rows(records)))
    if args.records:
        with open(args.records, "w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r) + "\n")
    if args.out != "-":
        shown = [a if not re.match(r"^/", a) or not a.startswith(str(ROOT)) else
                 str(Path(a).relative_to(ROOT)) for a in argv]
        write_report(Path(args.out), render(records, shown, args.jobs))
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
