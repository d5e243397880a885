"""Load chart data from any of its forms into one in-memory table.

The forms are

* a ground-truth JSON (``{"x_scale": ..., "series": [{"name", "x", "y", ...}], ...}``),
* the CSV written by ``digitize IMAGE`` (``series,x,y,y_lower,y_upper``),
* the JSON written by ``digitize IMAGE --json`` (``ChartResult.to_dict()``),
* a chart image (digitised first with :func:`digitize.pipeline.read`),
* a :class:`~digitize.result.ChartResult` or a dict of one of the JSON forms.

Everything becomes a :class:`Table`: numeric x (days since 1970-01-01 for dates, the index into
``x_labels`` for categories), float y, NaN where a band edge is absent.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputError

EPOCH = dt.datetime(1970, 1, 1)
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"}
SCALES = ("linear", "log", "date", "category")

_DATE_RE = re.compile(r"^\s*\d{4}-\d{2}(-\d{2})?([T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?\s*$")


@dataclass
class TableSeries:
    """One series of a :class:`Table`.

    Attributes
    ----------
    name : str or None
        The series name (None where the source has none).
    x, y : numpy.ndarray
        Float arrays of equal length. x is days since 1970 on date axes and an index into the
        table's ``x_labels`` on category axes.
    y_lower, y_upper : numpy.ndarray or None
        Band edges (NaN where a point has none), or None when the series has no band at all.
    x_text : list of str or None
        The x values as written in the source, kept so that labels can be re-matched when the
        other side of a comparison has a category axis.
    kind : str or None
        "scatter", "line", ... where the source says so.
    sampling : str or None
        How a digitized series' points were obtained ("vertices", "sampled", "markers"; see
        :class:`digitize.result.Series`); None for a truth table.
    """

    name: str | None
    x: np.ndarray
    y: np.ndarray
    y_lower: np.ndarray | None = None
    y_upper: np.ndarray | None = None
    x_text: list[str] | None = None
    kind: str | None = None
    sampling: str | None = None

    def __len__(self) -> int:
        return int(len(self.x))

    @property
    def has_band(self) -> bool:
        """True when at least one point has a band edge."""
        for edge in (self.y_lower, self.y_upper):
            if edge is not None and np.isfinite(edge).any():
                return True
        return False


@dataclass
class Table:
    """Chart data in one form, whatever it was read from.

    Attributes
    ----------
    series : list of TableSeries
    x_scale, y_scale : str or None
        "linear", "log", "date" or "category"; None where the source does not say (CSV y).
    x_range, y_range : tuple of float or None
        Axis extent in data units (low, high), where the source knows it (truth JSON ranges,
        a digitised image's axes).
    x_labels : list of str or None
        Category labels; x values index into it.
    chart_type : str or None
        From the truth JSON (``chart_type`` or ``meta.chart_type``).
    kind : str
        Where the table came from: "truth", "csv", "result" or "image".
    source : str or None
        The path read, if any.
    extra : dict
        Source-specific information kept for reports (axis residuals...).
    """

    series: list[TableSeries] = field(default_factory=list)
    x_scale: str | None = None
    y_scale: str | None = None
    x_range: tuple[float, float] | None = None
    y_range: tuple[float, float] | None = None
    x_labels: list[str] | None = None
    chart_type: str | None = None
    kind: str = "truth"
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# -- value parsing -----------------------------------------------------------------------------
def parse_date(text: str) -> float:
    """Days since 1970-01-01 of an ISO 8601 date or date-time string.

    Parameters
    ----------
    text : str
        ``2014-04-12``, ``2014-04-12T15:21:36``, ``2014-04``, with an optional zone suffix
        (converted to UTC, then its zone dropped).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        When the text is not an ISO date.
    """
    s = str(text).strip()
    if re.fullmatch(r"\d{4}-\d{2}", s):
        s += "-01"
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    stamp = dt.datetime.fromisoformat(s)
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return (stamp - EPOCH).total_seconds() / 86400.0


def format_date(days: float) -> str:
    """ISO form of days since 1970 (date only when the value is a whole day)."""
    if days is None or not math.isfinite(days):
        return ""
    stamp = EPOCH + dt.timedelta(days=float(days))
    if stamp == stamp.replace(hour=0, minute=0, second=0, microsecond=0):
        return stamp.date().isoformat()
    return stamp.isoformat(timespec="seconds")


def looks_like_date(text: Any) -> bool:
    """True when ``text`` is a string in ISO 8601 date form."""
    return isinstance(text, str) and bool(_DATE_RE.match(text))


def _to_float(value: Any) -> float:
    if value is None:
        return math.nan
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    s = str(value).strip()
    if not s or s.lower() in ("nan", "none", "null", "na"):
        return math.nan
    return float(s)


def _float_array(values: Any, what: str) -> np.ndarray:
    try:
        return np.array([_to_float(v) for v in values], dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{what}: not a number ({exc})") from None


def _edge(values: Any, n: int, what: str) -> np.ndarray | None:
    if values is None:
        return None
    arr = _float_array(values, what)
    if len(arr) != n:
        raise InputError(f"{what}: {len(arr)} values for {n} points")
    return arr if np.isfinite(arr).any() else None


def _parse_x(values: list[Any], scale: str | None, labels: list[str] | None, what: str
             ) -> tuple[np.ndarray, list[str], str]:
    """x values as floats, their text, and the scale they imply."""
    text = ["" if v is None else str(v) for v in values]
    if scale == "date" or (scale is None and values and all(looks_like_date(v) for v in values)):
        out = []
        for v in values:
            if v is None or (isinstance(v, str) and not v.strip()):
                out.append(math.nan)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                out.append(float(v))  # already days since 1970
            else:
                try:
                    out.append(parse_date(str(v)))
                except ValueError:
                    raise InputError(f"{what}: not an ISO date: {v!r}") from None
        return np.array(out, dtype=float), text, "date"
    if scale == "category":
        out = []
        index = {lab: i for i, lab in enumerate(labels or [])}
        for v in values:
            if isinstance(v, (int, float)) and not isinstance(v, bool) and labels is not None:
                out.append(float(v))
                continue
            if str(v) in index:
                out.append(float(index[str(v)]))
            else:
                try:
                    out.append(_to_float(v))
                except ValueError:
                    raise InputError(f"{what}: unknown category {v!r}") from None
        if labels is not None:
            text = [
                labels[int(round(x))] if math.isfinite(x) and 0 <= int(round(x)) < len(labels)
                else t
                for x, t in zip(out, text, strict=True)
            ]
        return np.array(out, dtype=float), text, "category"
    try:
        return _float_array(values, what), text, scale or "linear"
    except InputError:
        if scale is not None:
            raise
    # Non-numeric, non-date text: category labels in order of first appearance.
    cats: list[str] = []
    for t in text:
        if t not in cats:
            cats.append(t)
    return np.array([cats.index(t) for t in text], dtype=float), text, "category"


def _range(value: Any, scale: str | None, labels: list[str] | None) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        lo, hi = value
    except (TypeError, ValueError):
        return None
    vals = []
    for v in (lo, hi):
        if scale == "date" and isinstance(v, str):
            vals.append(parse_date(v))
        elif scale == "category" and isinstance(v, str) and labels and v in labels:
            vals.append(float(labels.index(v)))
        else:
            try:
                vals.append(_to_float(v))
            except ValueError:
                return None
    if not all(math.isfinite(v) for v in vals) or vals[0] == vals[1]:
        return None
    return (min(vals), max(vals))


# -- the forms ---------------------------------------------------------------------------------
def from_truth_dict(data: dict[str, Any], source: str | None = None) -> Table:
    """A :class:`Table` from a ground-truth JSON dict."""
    x_scale = data.get("x_scale")
    y_scale = data.get("y_scale")
    for name, scale in (("x_scale", x_scale), ("y_scale", y_scale)):
        if scale is not None and scale not in SCALES:
            raise InputError(f"{source or 'truth'}: unknown {name} {scale!r}")
    labels = data.get("x_labels")
    labels = [str(v) for v in labels] if labels else None
    if labels and x_scale is None:
        x_scale = "category"
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    chart_type = data.get("chart_type") or meta.get("chart_type")
    series = []
    inferred_x = x_scale
    for i, s in enumerate(data.get("series") or []):
        what = f"{source or 'truth'}: series {i}"
        xs = list(s.get("x") or [])
        ys = _float_array(s.get("y") or [], what + " y")
        if len(xs) != len(ys):
            raise InputError(f"{what}: {len(xs)} x values for {len(ys)} y values")
        x, text, inferred_x = _parse_x(xs, x_scale, labels, what + " x")
        series.append(
            TableSeries(
                name=s.get("name"),
                x=x,
                y=ys,
                y_lower=_edge(s.get("y_lower"), len(ys), what + " y_lower"),
                y_upper=_edge(s.get("y_upper"), len(ys), what + " y_upper"),
                x_text=text,
                kind=s.get("kind") or (
                    "scatter" if chart_type == "scatter" else None
                ),
            )
        )
    x_scale = x_scale or inferred_x
    return Table(
        series=series,
        x_scale=x_scale,
        y_scale=y_scale or "linear",
        x_range=_range(data.get("x_range"), x_scale, labels),
        y_range=_range(data.get("y_range"), y_scale, None),
        x_labels=labels,
        chart_type=chart_type,
        kind="truth",
        source=source,
    )


def from_result_dict(data: dict[str, Any], source: str | None = None) -> Table:
    """A :class:`Table` from the dict of ``ChartResult.to_dict()`` (``digitize --json``)."""
    xa = data.get("x_axis") or {}
    ya = data.get("y_axis") or {}
    x_scale = xa.get("scale")
    y_scale = ya.get("scale")
    labels = xa.get("categories")
    labels = [str(v) for v in labels] if labels else None
    series = []
    for i, s in enumerate(data.get("series") or []):
        what = f"{source or 'result'}: series {i}"
        pts = s.get("points") or []
        x, text, _ = _parse_x([p.get("x") for p in pts], x_scale, labels, what + " x")
        y = _float_array([p.get("y") for p in pts], what + " y")
        series.append(
            TableSeries(
                name=s.get("name"),
                x=x,
                y=y,
                y_lower=_edge([p.get("y_lower") for p in pts], len(pts), what + " y_lower"),
                y_upper=_edge([p.get("y_upper") for p in pts], len(pts), what + " y_upper"),
                x_text=text,
                kind=s.get("kind"),
                sampling=s.get("sampling"),
            )
        )
    extra = {
        "x_residual_px": xa.get("residual_px"),
        "y_residual_px": ya.get("residual_px"),
        "warnings": data.get("warnings"),
    }
    return Table(
        series=series,
        x_scale=x_scale,
        y_scale=y_scale,
        x_range=_range(xa.get("range"), x_scale, labels),
        y_range=_range(ya.get("range"), y_scale, None),
        x_labels=labels,
        kind="result",
        source=source or data.get("source"),
        extra=extra,
    )


def from_result(result: Any, source: str | None = None) -> Table:
    """A :class:`Table` from a :class:`~digitize.result.ChartResult` (numbers kept unrounded)."""
    xa, ya = result.x_axis, result.y_axis
    labels = list(xa.categories) if xa.categories else None
    series = []
    for s in result.series:
        cols = s.arrays()
        text = [str(xa.format(p.x)) for p in s.points]
        lower = cols["y_lower"] if np.isfinite(cols["y_lower"]).any() else None
        upper = cols["y_upper"] if np.isfinite(cols["y_upper"]).any() else None
        series.append(
            TableSeries(
                name=s.name, x=cols["x"], y=cols["y"], y_lower=lower, y_upper=upper,
                x_text=text, kind=getattr(s, "kind", None),
                sampling=getattr(s, "sampling", None),
            )
        )

    def rng(axis: Any) -> tuple[float, float] | None:
        try:
            lo, hi = axis.value_range
        except Exception:  # noqa: BLE001 - a degenerate map has no range
            return None
        if not (math.isfinite(lo) and math.isfinite(hi)) or lo == hi:
            return None
        return (min(lo, hi), max(lo, hi))

    return Table(
        series=series,
        x_scale=xa.scale,
        y_scale=ya.scale,
        x_range=rng(xa),
        y_range=rng(ya),
        x_labels=labels,
        kind="image" if source else "result",
        source=source or getattr(result, "source", None),
        extra={"x_residual_px": xa.residual, "y_residual_px": ya.residual,
               "warnings": list(result.warnings)},
    )


def from_csv_text(text: str, source: str | None = None) -> Table:
    """A :class:`Table` from the CSV written by ``digitize IMAGE``.

    The CSV does not say the axis scales: x is "date" when every x is an ISO date, "category"
    when any x is not a number, else "linear"; y scale is left None (unknown), so a comparison
    takes it from the other side.
    """
    reader = csv.DictReader(text.splitlines())
    fields = [f.strip() for f in (reader.fieldnames or [])]
    missing = [c for c in ("x", "y") if c not in fields]
    if missing:
        raise InputError(f"{source or 'CSV'}: no {'/'.join(missing)} column (header {fields})")
    order: list[str] = []
    rows: dict[str, list[dict[str, str]]] = {}
    for row in reader:
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        name = row.get("series", "")
        if name not in rows:
            rows[name] = []
            order.append(name)
        rows[name].append(row)
    all_x = [r["x"] for name in order for r in rows[name]]
    if all_x and all(looks_like_date(v) for v in all_x):
        x_scale = "date"
    else:
        try:
            [_to_float(v) for v in all_x]
            x_scale = "linear"
        except ValueError:
            x_scale = "category"
    labels: list[str] | None = None
    if x_scale == "category":
        labels = []
        for v in all_x:
            if v not in labels:
                labels.append(v)
    series = []
    for name in order:
        rs = rows[name]
        what = f"{source or 'CSV'}: series {name!r}"
        x, xt, _ = _parse_x([r["x"] for r in rs], x_scale, labels, what + " x")
        y = _float_array([r["y"] for r in rs], what + " y")
        series.append(
            TableSeries(
                name=name or None,
                x=x,
                y=y,
                y_lower=_edge([r.get("y_lower") for r in rs], len(rs), what + " y_lower"),
                y_upper=_edge([r.get("y_upper") for r in rs], len(rs), what + " y_upper"),
                x_text=xt,
            )
        )
    return Table(series=series, x_scale=x_scale, y_scale=None, x_labels=labels, kind="csv",
                 source=source)


def from_dict(data: dict[str, Any], source: str | None = None) -> Table:
    """A :class:`Table` from either JSON form (told apart by their keys)."""
    if not isinstance(data, dict):
        raise InputError(f"{source or 'JSON'}: expected an object at the top level")
    if "x_axis" in data or "y_axis" in data:
        return from_result_dict(data, source)
    if "series" in data:
        return from_truth_dict(data, source)
    raise InputError(f"{source or 'JSON'}: neither ground truth nor digitize output (no series)")


def read_image(path: str | Path, reader: Any = None) -> Any:
    """Digitise an image with ``reader`` (default :func:`digitize.pipeline.read`)."""
    if reader is None:
        try:
            from .pipeline import read as reader
        except ImportError as exc:
            raise InputError(f"{path}: cannot digitise images here ({exc})") from None
    return reader(str(path))


def load_table(obj: Any, reader: Any = None) -> Table:
    """Load chart data from a path, a ChartResult or a dict into a :class:`Table`.

    Parameters
    ----------
    obj : str, pathlib.Path, ChartResult, dict or Table
        A ground-truth JSON, a digitize CSV, a ``digitize --json`` output or a chart image
        (by path), a ChartResult, or a dict of either JSON form.
    reader : callable, optional
        ``reader(path) -> ChartResult`` used for images; default
        :func:`digitize.pipeline.read`.

    Returns
    -------
    Table

    Raises
    ------
    InputError
        When the input is missing or cannot be understood. Errors raised by the image reader
        propagate unchanged.
    """
    if isinstance(obj, Table):
        return obj
    if isinstance(obj, dict):
        return from_dict(obj)
    if hasattr(obj, "x_axis") and hasattr(obj, "series"):
        return from_result(obj)
    if not isinstance(obj, (str, Path)):
        raise InputError(f"cannot load chart data from {type(obj).__name__}")
    path = Path(obj)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return from_result(read_image(path, reader), source=str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    stripped = text.lstrip()
    if suffix == ".json" or stripped.startswith(("{", "[")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: invalid JSON ({exc.msg}, line {exc.lineno})") from None
        return from_dict(data, source=str(path))
    if not stripped:
        raise InputError(f"{path}: empty file")
    return from_csv_text(text, source=str(path))
