"""``digitize compare A B``: how well one version of a chart's data reproduces another.

A is the reference (usually the ground truth), B the candidate (usually digitize's output).
Each may be a ground-truth JSON, a digitize CSV, a ``digitize --json`` output or a chart image.

Definitions used everywhere (spans in fit space: log10 on log axes, days on date axes, the
category index on category axes):

* point error of a truth point: ``|y_pred(x_true) - y_true| / y_span`` where ``y_pred`` is B's
  series interpolated at the truth x (the nearest B point in scatter mode);
* x error of a truth point: distance in x to the nearest B point / ``x_span``;
* reproduced: some part of B's curve (some B point, in scatter mode) lies within
  1.5% of ``x_span`` and 2% of ``y_span`` of the truth point;
* band error: the point error of the band edges, where both series have bands;
* CHART-Info score: the line-data score of the CHART-Info competition (continuous precision /
  recall with relative errors, F1 per pair, name-aware Hungarian assignment per chart). An
  unnamed series of A (name null: a chart without a legend) matches any name of B.

The span is the y_range / x_range of a ground-truth JSON, else the axes of a digitised image or
``--json`` output, else the extent of A's data.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.spatial import cKDTree

from .errors import DigitizeError, UsageError, UsageParser
from .groundtruth import Table, TableSeries, load_table

X_TOL = 0.015  # share of the x span for "reproduced"
Y_TOL = 0.02  # share of the y span for "reproduced"
_NO_PAIR = 1e6  # Hungarian cost where two series cannot be compared


# -- results -----------------------------------------------------------------------------------
@dataclass
class PairStats:
    """How series ``b`` of B reproduces series ``a`` of A.

    Errors are shares of the axis span (0.01 = 1%). ``y_errors`` and ``x_errors`` hold one
    value per point of A's series (NaN where it cannot be computed).
    """

    a_index: int
    b_index: int
    a_name: str | None
    b_name: str | None
    paired_by: str  # "name" or "distance"
    mode: str  # "interp" or "nearest"
    n_a: int
    n_b: int
    mean_y_error: float
    max_y_error: float
    p95_y_error: float
    mean_x_error: float
    max_x_error: float
    reproduced: float  # share of A's points B reproduces within the box
    band_error: float | None = None  # mean band-edge error where both have bands
    band_max_error: float | None = None
    band_missing: bool = False  # A has a band, B has none
    band_extra: bool = False  # B has a band, A has none
    precision: float = 0.0  # CHART-Info continuous precision
    recall: float = 0.0  # CHART-Info continuous recall
    f1: float = 0.0
    name_distance: float = 0.0  # normalised edit distance between the names
    y_errors: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    x_errors: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)

    @property
    def names_match(self) -> bool:
        """True when both names are equal (after trimming and case folding)."""
        return _name_key(self.a_name) == _name_key(self.b_name)

    def to_dict(self, points: bool = False) -> dict[str, Any]:
        """JSON-ready form; ``points=True`` adds the per-point errors."""
        out = {
            "a": self.a_name,
            "b": self.b_name,
            "a_index": self.a_index,
            "b_index": self.b_index,
            "paired_by": self.paired_by,
            "mode": self.mode,
            "n_a": self.n_a,
            "n_b": self.n_b,
            "mean_y_error": _num(self.mean_y_error),
            "max_y_error": _num(self.max_y_error),
            "p95_y_error": _num(self.p95_y_error),
            "mean_x_error": _num(self.mean_x_error),
            "max_x_error": _num(self.max_x_error),
            "reproduced": _num(self.reproduced),
            "band_error": _num(self.band_error),
            "band_max_error": _num(self.band_max_error),
            "band_missing": self.band_missing,
            "band_extra": self.band_extra,
            "chartinfo_precision": _num(self.precision),
            "chartinfo_recall": _num(self.recall),
            "chartinfo_f1": _num(self.f1),
            "name_distance": _num(self.name_distance),
        }
        if points:
            out["y_errors"] = [_num(v) for v in self.y_errors]
            out["x_errors"] = [_num(v) for v in self.x_errors]
        return out


@dataclass
class ComparisonReport:
    """Everything ``compare`` finds.

    Attributes
    ----------
    a_source, b_source : str or None
        What was compared.
    x_scale, y_scale : str
        Scales the comparison used.
    x_span, y_span : float
        Axis spans in fit space (log10 on log axes, days on date axes).
    span_source : str
        Where the spans came from ("A range", "B range", "A data", ...), per axis.
    pairs : list of PairStats
    missing : list
        Names (None when unnamed) of A's series with no partner in B, ``missing_index`` their
        positions.
    extra : list
        Names of B's series with no partner in A, ``extra_index`` their positions.
    chartinfo : float
        CHART-Info chart score in [0, 1].
    n_a, n_b : int
        Series counts.
    warnings : list of str
    """

    a_source: str | None
    b_source: str | None
    x_scale: str
    y_scale: str
    x_span: float
    y_span: float
    span_source: dict[str, str]
    pairs: list[PairStats]
    missing: list[str | None]
    extra: list[str | None]
    missing_index: list[int]
    extra_index: list[int]
    chartinfo: float
    n_a: int
    n_b: int
    warnings: list[str] = field(default_factory=list)

    @property
    def mean_y_error(self) -> float:
        """Mean point error over all paired truth points (NaN without pairs)."""
        errs = [p.y_errors for p in self.pairs if len(p.y_errors)]
        if not errs:
            return math.nan
        allv = np.concatenate(errs)
        allv = allv[np.isfinite(allv)]
        return float(allv.mean()) if len(allv) else math.nan

    def failures(self, tolerance: float | None) -> list[str]:
        """Reasons the comparison fails ``tolerance`` (a share of the span), empty if it passes.

        Missing and extra series always fail; with a tolerance, so does any pair whose mean
        point error exceeds it (or cannot be computed).
        """
        out = [f"missing series {_show(n)}" for n in self.missing]
        out += [f"extra series {_show(n)}" for n in self.extra]
        if tolerance is not None:
            for p in self.pairs:
                if not (math.isfinite(p.mean_y_error) and p.mean_y_error <= tolerance):
                    out.append(
                        f"series {_show(p.a_name)}: mean error {_pct(p.mean_y_error)} "
                        f"> {_pct(tolerance)}"
                    )
        return out

    def passed(self, tolerance: float | None) -> bool:
        """True when :meth:`failures` is empty."""
        return not self.failures(tolerance)

    def to_dict(self, tolerance: float | None = None, points: bool = False) -> dict[str, Any]:
        """JSON-ready form of the report."""
        out: dict[str, Any] = {
            "a": self.a_source,
            "b": self.b_source,
            "x_scale": self.x_scale,
            "y_scale": self.y_scale,
            "x_span": _num(self.x_span),
            "y_span": _num(self.y_span),
            "span_source": self.span_source,
            "n_series_a": self.n_a,
            "n_series_b": self.n_b,
            "pairs": [p.to_dict(points) for p in self.pairs],
            "missing": self.missing,
            "extra": self.extra,
            "mean_y_error": _num(self.mean_y_error),
            "chartinfo_score": _num(self.chartinfo),
            "warnings": self.warnings,
        }
        if tolerance is not None:
            out["tolerance"] = tolerance
            out["failures"] = self.failures(tolerance)
            out["ok"] = not out["failures"]
        return out

    def to_table(self, tolerance: float | None = None) -> str:
        """A human-readable report."""
        xs = f"{self.x_span:.4g}" + (" days" if self.x_scale == "date" else "")
        if self.x_scale == "log":
            xs += " decades"
        ys = f"{self.y_span:.4g}" + (" decades" if self.y_scale == "log" else "")
        lines = [
            f"A: {self.a_source or '(in memory)'}  ({self.n_a} series)",
            f"B: {self.b_source or '(in memory)'}  ({self.n_b} series)",
            f"axes: x {self.x_scale}, span {xs} ({self.span_source['x']}); "
            f"y {self.y_scale}, span {ys} ({self.span_source['y']})",
            "",
        ]
        header = ["series A", "series B", "by", "n A/B", "mean|dy|", "max|dy|", "mean|dx|",
                  "within", "band", "F1"]
        rows = []
        for p in self.pairs:
            band = "-"
            if p.band_error is not None:
                band = _pct(p.band_error)
            elif p.band_missing:
                band = "missing"
            elif p.band_extra:
                band = "extra"
            rows.append([
                _show(p.a_name, 28), _show(p.b_name, 28), p.paired_by + ("*" if p.mode ==
                                                                         "nearest" else ""),
                f"{p.n_a}/{p.n_b}", _pct(p.mean_y_error), _pct(p.max_y_error),
                _pct(p.mean_x_error), _pct(p.reproduced, 1), band, f"{p.f1:.3f}",
            ])
        if rows:
            widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
            fmt = "  ".join(f"{{:<{w}}}" if i < 3 else f"{{:>{w}}}" for i, w in
                            enumerate(widths))
            lines.append(fmt.format(*header))
            lines.extend(fmt.format(*r) for r in rows)
            if any(p.mode == "nearest" for p in self.pairs):
                lines.append("(* scatter: nearest point instead of interpolation)")
        else:
            lines.append("no series paired")
        lines.append("")
        if self.missing:
            lines.append("missing in B: " + ", ".join(_show(n) for n in self.missing))
        if self.extra:
            lines.append("extra in B:   " + ", ".join(_show(n) for n in self.extra))
        lines.append(f"mean point error: {_pct(self.mean_y_error)}")
        lines.append(f"CHART-Info score: {self.chartinfo:.4f}")
        for w in self.warnings:
            lines.append(f"warning: {w}")
        if tolerance is not None:
            fails = self.failures(tolerance)
            lines.append(
                f"tolerance {_pct(tolerance)}: "
                + ("OK" if not fails else "FAILED (" + "; ".join(fails) + ")")
            )
        return "\n".join(lines) + "\n"


# -- small helpers -----------------------------------------------------------------------------
def _num(v: float | None) -> float | None:
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def _pct(v: float | None, digits: int = 2) -> str:
    if v is None or not math.isfinite(v):
        return "n/a"
    return f"{100 * v:.{digits}f}%"


def _show(name: str | None, width: int | None = None) -> str:
    s = "(unnamed)" if name is None or name == "" else repr(name)
    if width and len(s) > width:
        s = s[: width - 1] + "…"
    return s


def _name_key(name: str | None) -> str:
    return "" if name is None else " ".join(str(name).split()).casefold()


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two strings."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def name_distance(a: str | None, b: str | None) -> float:
    """Edit distance between two names over the longer length (0 equal, 1 nothing shared)."""
    a = "" if a is None else str(a)
    b = "" if b is None else str(b)
    if not a and not b:
        return 0.0
    return edit_distance(a, b) / max(len(a), len(b))


def _chartinfo_name_distance(a: str | None, b: str | None) -> float:
    """Name distance for CHART-Info: an unnamed reference series (no legend) matches any name."""
    return 0.0 if a is None else name_distance(a, b)


def _fwd(v: np.ndarray, scale: str) -> np.ndarray:
    """Data values to fit space (log10 on log axes)."""
    v = np.asarray(v, dtype=float)
    if scale == "log":
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(v > 0, np.log10(np.where(v > 0, v, 1.0)), np.nan)
    return v


def _inv(t: np.ndarray, scale: str) -> np.ndarray:
    t = np.asarray(t, dtype=float)
    return np.power(10.0, t) if scale == "log" else t


# -- aligning the two sides --------------------------------------------------------------------
def _pick_scale(a: str | None, a_kind: str, b: str | None, b_kind: str) -> str:
    """The scale to compare in: a known scale beats a CSV's guess; A beats B."""
    for scale, kind in ((a, a_kind), (b, b_kind)):
        if scale and kind != "csv":
            return scale
    return a or b or "linear"


def _label_key(label: str) -> str:
    s = " ".join(str(label).split()).casefold()
    try:
        f = float(s)
    except ValueError:
        return s
    return repr(f) if math.isfinite(f) else s


def _relabel(tables: list[Table]) -> None:
    """Put every table's category x onto one common label index (A's labels first)."""
    index: dict[str, int] = {}
    labels: list[str] = []

    def idx(label: str) -> int:
        key = _label_key(label)
        if key not in index:
            index[key] = len(labels)
            labels.append(label)
        return index[key]

    for t in tables:
        for lab in t.x_labels or []:
            idx(lab)
    for t in tables:
        for s in t.series:
            texts = s.x_text
            if texts is None or len(texts) != len(s.x):
                if t.x_labels:
                    texts = [
                        t.x_labels[int(round(x))]
                        if math.isfinite(x) and 0 <= int(round(x)) < len(t.x_labels)
                        else str(x)
                        for x in s.x
                    ]
                else:
                    texts = [repr(float(x)) for x in s.x]
            s.x = np.array([idx(lab) for lab in texts], dtype=float)
            s.x_text = list(texts)
        t.x_labels = list(labels)


def _axis_span(values: list[np.ndarray]) -> float:
    finite = [v[np.isfinite(v)] for v in values]
    finite = [v for v in finite if len(v)]
    if not finite:
        return 0.0
    allv = np.concatenate(finite)
    return float(allv.max() - allv.min())


def _span(a: Table, b: Table, axis: str, scale: str) -> tuple[float, str]:
    """Axis span in fit space and where it came from."""
    for t, who in ((a, "A"), (b, "B")):
        rng = t.x_range if axis == "x" else t.y_range
        if rng is not None and t.kind != "csv":
            lo, hi = _fwd(np.array(rng, dtype=float), scale)
            if np.isfinite(lo) and np.isfinite(hi) and hi != lo:
                return float(abs(hi - lo)), f"{who} axis range"
    for tables, who in (((a,), "A data"), ((a, b), "A+B data")):
        vals = []
        for t in tables:
            for s in t.series:
                cols = [s.x] if axis == "x" else [s.y, s.y_lower, s.y_upper]
                vals.extend(_fwd(c, scale) for c in cols if c is not None)
        span = _axis_span(vals)
        if span > 0:
            return span, who
    return 1.0, "default 1"


# -- per-pair measures -------------------------------------------------------------------------
@dataclass
class _Prep:
    """A series in fit space, finite points only, sorted by x."""

    x: np.ndarray
    y: np.ndarray
    lower: np.ndarray | None
    upper: np.ndarray | None
    raw_y: np.ndarray
    duplicates: bool
    monotone: bool
    kind: str | None


def _prep(s: TableSeries, xscale: str, yscale: str) -> _Prep:
    x = _fwd(s.x, xscale)
    y = _fwd(s.y, yscale)
    ok = np.isfinite(x) & np.isfinite(y)
    monotone = bool(np.all(np.diff(x[ok]) >= 0) or np.all(np.diff(x[ok]) <= 0))
    order = np.argsort(x[ok], kind="stable")
    xo = x[ok][order]
    span = float(xo[-1] - xo[0]) if len(xo) else 0.0
    dup = bool(len(xo) > 1 and np.any(np.diff(xo) <= 1e-9 * max(span, 1e-300)))

    def edge(e: np.ndarray | None) -> np.ndarray | None:
        return None if e is None else _fwd(e, yscale)[ok][order]

    return _Prep(
        x=xo, y=y[ok][order], lower=edge(s.y_lower), upper=edge(s.y_upper),
        raw_y=np.asarray(s.y, dtype=float)[ok][order], duplicates=dup, monotone=monotone,
        kind=s.kind,
    )


def _choose_mode(a: _Prep, b: _Prep, mode: str) -> str:
    if mode in ("interp", "nearest"):
        return mode
    if a.kind == "scatter" or b.kind == "scatter" or a.duplicates or b.duplicates:
        return "nearest"
    if not a.monotone:
        return "nearest"
    return "interp"


def _nearest(a_x: np.ndarray, a_y: np.ndarray, b_x: np.ndarray, b_y: np.ndarray,
             xs: float, ys: float) -> np.ndarray:
    """Index of the B point nearest each A point, distances scaled by the spans."""
    tree = cKDTree(np.column_stack([b_x / xs, b_y / ys]))
    _, idx = tree.query(np.column_stack([a_x / xs, a_y / ys]))
    return np.asarray(idx, dtype=int)


def _x_errors(a_x: np.ndarray, b_x: np.ndarray, xs: float) -> np.ndarray:
    """Distance in x from each A point to the nearest B point, over the x span."""
    if len(b_x) == 0:
        return np.full(len(a_x), np.nan)
    i = np.clip(np.searchsorted(b_x, a_x), 1, max(len(b_x) - 1, 1))
    left = np.abs(a_x - b_x[i - 1])
    right = np.abs(a_x - b_x[np.minimum(i, len(b_x) - 1)])
    return np.minimum(left, right) / xs


def _reproduced_interp(a: _Prep, b: _Prep, tx: float, ty: float) -> np.ndarray:
    """Whether B's polyline passes through the box (±tx, ±ty) around each A point."""
    out = np.zeros(len(a.x), dtype=bool)
    if len(b.x) == 0:
        return out
    for j, (x0, y0) in enumerate(zip(a.x, a.y, strict=True)):
        lo, hi = max(x0 - tx, b.x[0]), min(x0 + tx, b.x[-1])
        if lo > hi:
            continue
        i0, i1 = np.searchsorted(b.x, lo, "left"), np.searchsorted(b.x, hi, "right")
        cand = np.concatenate([[lo, hi], b.x[i0:i1]])
        d = np.interp(cand, b.x, b.y) - y0
        out[j] = (d.min() <= 0 <= d.max()) or bool(np.min(np.abs(d)) <= ty)
    return out


def _reproduced_nearest(a: _Prep, b: _Prep, tx: float, ty: float) -> np.ndarray:
    if len(b.x) == 0:
        return np.zeros(len(a.x), dtype=bool)
    tree = cKDTree(np.column_stack([b.x / tx, b.y / ty]))
    d, _ = tree.query(np.column_stack([a.x / tx, a.y / ty]), p=np.inf)
    return np.asarray(d) <= 1.0 + 1e-9


def _band_errors(a: _Prep, b: _Prep, mode: str, ys: float, nearest_idx: np.ndarray | None
                 ) -> np.ndarray:
    errs = []
    for ea, eb in ((a.lower, b.lower), (a.upper, b.upper)):
        if ea is None or eb is None:
            continue
        ok_a = np.isfinite(ea)
        ok_b = np.isfinite(eb)
        if not ok_a.any() or not ok_b.any():
            continue
        if mode == "nearest" and nearest_idx is not None:
            pred = eb[nearest_idx]
        else:
            pred = np.interp(a.x, b.x[ok_b], eb[ok_b])
        e = np.abs(pred - ea)[ok_a] / ys
        errs.append(e)
    return np.concatenate(errs) if errs else np.zeros(0)


def _continuous_recall(p: _Prep, g: _Prep, mode: str, yscale: str, xs: float, ys: float
                       ) -> float:
    """CHART-Info continuous recall of prediction ``p`` against truth ``g``.

    ``R = sum_j (1 - Err_j) Int_j / (u_M - u_1)``, ``Err_j = min(1, |v_j - P(u_j)| / (|v_j| +
    eps))``, ``eps = (max v - min v) / 100`` over ``g``; ``Int_j`` the half-gaps to the
    neighbouring truth x values. ``v`` are data values (not log10); ``P(u)`` interpolates ``p``
    in fit space, or takes its nearest point in scatter mode.
    """
    if len(g.x) == 0 or len(p.x) == 0:
        return 0.0
    u = g.x
    v = g.raw_y
    if mode == "nearest":
        pred = _inv(p.y[_nearest(u, g.y, p.x, p.y, xs, ys)], yscale)
    else:
        pred = _inv(np.interp(u, p.x, p.y), yscale)
    eps = (np.max(v) - np.min(v)) / 100.0
    denom = np.abs(v) + eps
    with np.errstate(divide="ignore", invalid="ignore"):
        err = np.where(denom > 0, np.abs(v - pred) / denom, np.where(v == pred, 0.0, 1.0))
    err = np.minimum(1.0, np.nan_to_num(err, nan=1.0))
    width = u[-1] - u[0]
    if len(u) == 1 or width <= 0:
        return float(np.mean(1.0 - err))
    gaps = np.diff(u)
    ints = np.zeros(len(u))
    ints[:-1] += gaps / 2
    ints[1:] += gaps / 2
    return float(np.sum((1.0 - err) * ints) / width)


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r <= 0 else 2 * p * r / (p + r)


def _pair_stats(a: _Prep, b: _Prep, ai: int, bi: int, a_name: str | None, b_name: str | None,
                paired_by: str, mode: str, yscale: str, xs: float, ys: float,
                x_tol: float, y_tol: float) -> PairStats:
    m = _choose_mode(a, b, mode)
    n = len(a.x)
    nearest_idx = None
    if len(b.x) == 0 or n == 0:
        y_err = np.full(n, np.nan)
        rep = np.zeros(n, dtype=bool)
    elif m == "nearest":
        nearest_idx = _nearest(a.x, a.y, b.x, b.y, xs, ys)
        y_err = np.abs(b.y[nearest_idx] - a.y) / ys
        rep = _reproduced_nearest(a, b, x_tol * xs, y_tol * ys)
    else:
        y_err = np.abs(np.interp(a.x, b.x, b.y) - a.y) / ys
        rep = _reproduced_interp(a, b, x_tol * xs, y_tol * ys)
    x_err = _x_errors(a.x, b.x, xs)
    band = _band_errors(a, b, m, ys, nearest_idx) if len(b.x) else np.zeros(0)
    a_band = a.lower is not None or a.upper is not None
    b_band = b.lower is not None or b.upper is not None

    def stat(v: np.ndarray, f: Any) -> float:
        v = v[np.isfinite(v)]
        return float(f(v)) if len(v) else math.nan

    prec = _continuous_recall(a, b, m, yscale, xs, ys)
    rec = _continuous_recall(b, a, m, yscale, xs, ys)
    return PairStats(
        a_index=ai, b_index=bi, a_name=a_name, b_name=b_name, paired_by=paired_by, mode=m,
        n_a=n, n_b=len(b.x),
        mean_y_error=stat(y_err, np.mean), max_y_error=stat(y_err, np.max),
        p95_y_error=stat(y_err, lambda v: np.percentile(v, 95)),
        mean_x_error=stat(x_err, np.mean), max_x_error=stat(x_err, np.max),
        reproduced=float(rep.mean()) if n else math.nan,
        band_error=stat(band, np.mean) if len(band) else None,
        band_max_error=stat(band, np.max) if len(band) else None,
        band_missing=a_band and not b_band, band_extra=b_band and not a_band,
        precision=prec, recall=rec, f1=_f1(prec, rec),
        name_distance=_chartinfo_name_distance(a_name, b_name),
        y_errors=y_err, x_errors=x_err,
    )


def _curve_distance(a: _Prep, b: _Prep, mode: str, xs: float, ys: float) -> float:
    """Symmetric mean point error between two series (for pairing)."""
    if len(a.x) == 0 or len(b.x) == 0:
        return _NO_PAIR
    m = _choose_mode(a, b, mode)
    out = []
    for p, q in ((a, b), (b, a)):
        if m == "nearest":
            e = np.abs(q.y[_nearest(p.x, p.y, q.x, q.y, xs, ys)] - p.y) / ys
        else:
            e = np.abs(np.interp(p.x, q.x, q.y) - p.y) / ys
        e = e[np.isfinite(e)]
        out.append(float(e.mean()) if len(e) else _NO_PAIR)
    return float(np.mean(out))


def chartinfo_score(f1: np.ndarray, name_dist: np.ndarray) -> float:
    """CHART-Info chart score from pair F1 scores and name distances (both N x M).

    Cost ``C = min(1 - s/2, 1 - (1 - L) s)``, padded to a square with 1s, assigned with the
    Hungarian method; score ``= 1 - total cost / max(N, M)`` (1 when both sides are empty).
    """
    f1 = np.asarray(f1, dtype=float)
    n, m = f1.shape if f1.ndim == 2 else (0, 0)
    size = max(n, m)
    if size == 0:
        return 1.0
    cost = np.ones((size, size))
    if n and m:
        lam = np.asarray(name_dist, dtype=float)
        cost[:n, :m] = np.minimum(1 - f1 / 2, 1 - (1 - lam) * f1)
    rows, cols = linear_sum_assignment(cost)
    return float(1 - cost[rows, cols].sum() / size)


# -- the comparison ----------------------------------------------------------------------------
def compare(a: Any, b: Any, *, reader: Any = None, mode: str = "auto", x_tol: float = X_TOL,
            y_tol: float = Y_TOL) -> ComparisonReport:
    """Compare two versions of a chart's data.

    Parameters
    ----------
    a, b : str, pathlib.Path, ChartResult, dict or Table
        Reference (A, usually the truth) and candidate (B). Paths may name a ground-truth JSON,
        a digitize CSV, a ``digitize --json`` output or a chart image.
    reader : callable, optional
        ``reader(path) -> ChartResult`` for images (default :func:`digitize.pipeline.read`).
    mode : {"auto", "interp", "nearest"}
        How B is evaluated at A's points; "auto" uses nearest-point matching for scatter series
        (several points at one x, or a series marked scatter) and interpolation otherwise.
    x_tol, y_tol : float
        Box, as shares of the spans, within which a truth point counts as reproduced.

    Returns
    -------
    ComparisonReport
    """
    if mode not in ("auto", "interp", "nearest"):
        raise UsageError(f"unknown mode {mode!r}")
    ta, tb = load_table(a, reader=reader), load_table(b, reader=reader)
    return compare_tables(ta, tb, mode=mode, x_tol=x_tol, y_tol=y_tol)


def _copy(t: Table) -> Table:
    import copy

    return copy.deepcopy(t)


def _decimal_years(t: Table) -> bool:
    """A numeric x axis whose values are all plausible years (a year-labelled axis)."""
    if t.x_scale not in (None, "linear") or not t.series:
        return False
    xs = np.concatenate([np.asarray(s.x, float) for s in t.series])
    return bool(xs.size) and bool(np.all(np.isfinite(xs))) and bool(
        np.all((xs >= 1000) & (xs <= 3000)))


def _years_to_days(t: Table) -> None:
    """Decimal years (2004.5: half way through 2004) to days since 1970, in place."""
    import datetime as dt

    def days(year: float) -> float:
        whole = int(np.floor(year))
        start = dt.datetime(whole, 1, 1) - dt.datetime(1970, 1, 1)
        length = (dt.datetime(whole + 1, 1, 1) - dt.datetime(whole, 1, 1)).days
        return start.days + (year - whole) * length

    convert = np.vectorize(days, otypes=[float])
    for s in t.series:
        s.x = convert(np.asarray(s.x, float))
    if t.x_range is not None:
        t.x_range = (float(convert(t.x_range[0])), float(convert(t.x_range[1])))
    t.x_scale = "date"


def years_as_dates(t: Table, other: Table) -> bool:
    """Where ``other`` has a date x axis and ``t`` the same axis as decimal years (a
    year-labelled axis read as numbers), convert ``t``'s x to dates in place; True if done."""
    if other.x_scale == "date" and t.x_scale != "date" and _decimal_years(t):
        _years_to_days(t)
        return True
    return False


def compare_tables(ta: Table, tb: Table, *, mode: str = "auto", x_tol: float = X_TOL,
                   y_tol: float = Y_TOL) -> ComparisonReport:
    """:func:`compare` on two loaded :class:`~digitize.groundtruth.Table` objects."""
    ta, tb = _copy(ta), _copy(tb)
    warnings: list[str] = []
    for t, other in ((ta, tb), (tb, ta)):
        if years_as_dates(t, other):
            warnings.append("x read as decimal years on one side, dates on the other: "
                            "compared as dates")
    xscale = _pick_scale(ta.x_scale, ta.kind, tb.x_scale, tb.kind)
    yscale = _pick_scale(ta.y_scale, ta.kind, tb.y_scale, tb.kind)
    for t, who in ((ta, "A"), (tb, "B")):
        for axis, want in (("x", xscale), ("y", yscale)):
            have = t.x_scale if axis == "x" else t.y_scale
            if have and t.kind != "csv" and have != want:
                warnings.append(f"{who} has a {have} {axis} axis, compared as {want}")
    if xscale == "category":
        _relabel([ta, tb])
    elif {ta.x_scale, tb.x_scale} == {"date", "category"}:
        warnings.append("one side has dates, the other categories: x compared by position")
    xs, xsrc = _span(ta, tb, "x", xscale)
    ys, ysrc = _span(ta, tb, "y", yscale)
    if yscale == "log":
        bad = sum(int(np.sum(np.asarray(s.y) <= 0)) for t in (ta, tb) for s in t.series)
        if bad:
            warnings.append(f"{bad} non-positive y values on a log axis ignored")

    pa = [_prep(s, xscale, yscale) for s in ta.series]
    pb = [_prep(s, xscale, yscale) for s in tb.series]
    n, m = len(pa), len(pb)

    # Pairing: equal names first, the rest by curve distance (Hungarian).
    pairs: list[tuple[int, int, str]] = []
    used_b: set[int] = set()
    for i, s in enumerate(ta.series):
        key = _name_key(s.name)
        if not key:
            continue
        for j, t in enumerate(tb.series):
            if j not in used_b and _name_key(t.name) == key:
                pairs.append((i, j, "name"))
                used_b.add(j)
                break
    left_a = [i for i in range(n) if i not in {p[0] for p in pairs}]
    left_b = [j for j in range(m) if j not in used_b]
    if left_a and left_b:
        cost = np.array([[_curve_distance(pa[i], pb[j], mode, xs, ys) for j in left_b]
                         for i in left_a])
        for r, c in zip(*linear_sum_assignment(cost), strict=True):
            if cost[r, c] < _NO_PAIR:
                pairs.append((left_a[r], left_b[c], "distance"))
    pairs.sort()
    paired_a = {p[0] for p in pairs}
    paired_b = {p[1] for p in pairs}
    stats = [
        _pair_stats(pa[i], pb[j], i, j, ta.series[i].name, tb.series[j].name, by, mode, yscale,
                    xs, ys, x_tol, y_tol)
        for i, j, by in pairs
    ]

    # CHART-Info over all A x B combinations.
    f1 = np.zeros((n, m))
    lam = np.zeros((n, m))
    done = {(p.a_index, p.b_index): p for p in stats}
    for i in range(n):
        for j in range(m):
            lam[i, j] = _chartinfo_name_distance(ta.series[i].name, tb.series[j].name)
            if (i, j) in done:
                f1[i, j] = done[(i, j)].f1
            else:
                k = _choose_mode(pa[i], pb[j], mode)
                f1[i, j] = _f1(_continuous_recall(pa[i], pb[j], k, yscale, xs, ys),
                               _continuous_recall(pb[j], pa[i], k, yscale, xs, ys))
    score = chartinfo_score(f1, lam)

    return ComparisonReport(
        a_source=ta.source, b_source=tb.source, x_scale=xscale, y_scale=yscale,
        x_span=xs, y_span=ys, span_source={"x": xsrc, "y": ysrc}, pairs=stats,
        missing=[ta.series[i].name for i in range(n) if i not in paired_a],
        extra=[tb.series[j].name for j in range(m) if j not in paired_b],
        missing_index=[i for i in range(n) if i not in paired_a],
        extra_index=[j for j in range(m) if j not in paired_b],
        chartinfo=score, n_a=n, n_b=m, warnings=warnings,
    )


# -- command line ------------------------------------------------------------------------------
def _parser() -> argparse.ArgumentParser:
    p = UsageParser(
        prog="digitize compare",
        description="Compare two versions of a chart's data: A (reference, e.g. ground truth "
        "JSON) and B (e.g. digitize CSV/JSON output or a chart image).",
    )
    p.add_argument("a", help="reference: truth JSON, digitize CSV or --json output, or image")
    p.add_argument("b", help="candidate: truth JSON, digitize CSV or --json output, or image")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--tolerance", type=float, metavar="T",
                   help="exit 1 when a paired series' mean error exceeds T (fraction of the "
                   "span, 0.01 = 1%%) or a series is missing or extra")
    p.add_argument("--mode", choices=("auto", "interp", "nearest"), default="auto",
                   help="evaluate B at A's x by interpolation or nearest point (default auto)")
    p.add_argument("--points", action="store_true", help="with --json: per-point errors too")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run ``digitize compare``; returns the exit code (0 ok, 1 tolerance failed, 2 bad input).

    Parameters
    ----------
    argv : list of str
        Arguments after ``compare``.
    """
    try:
        args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
        if args.tolerance is not None and not (args.tolerance >= 0):
            raise UsageError("--tolerance must be a fraction >= 0 (0.01 = 1%)")
        for path in (args.a, args.b):
            if not Path(path).is_file():
                raise UsageError(f"{path}: no such file")
        report = compare(args.a, args.b, mode=args.mode)
    except SystemExit as exc:  # --help
        return int(exc.code or 0) if isinstance(exc.code, int) else 0
    except (DigitizeError, NotImplementedError, OSError, ValueError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        print(f"digitize compare: {msg}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - any reader failure is "unreadable input"
        print(f"digitize compare: cannot read input ({exc.__class__.__name__}: {exc})"
              .splitlines()[0], file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_dict(args.tolerance, points=args.points), indent=2))
    else:
        sys.stdout.write(report.to_table(args.tolerance))
    if args.tolerance is not None and not report.passed(args.tolerance):
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
