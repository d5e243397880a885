#!/usr/bin/env python3
"""Seeded generator of chart images with exact ground truth.

Every chart is written as ``NAME.png`` (or ``NAME.jpg``) plus ``NAME.json``.  The JSON follows the
project-wide ground-truth schema::

    {"x_scale": "linear"|"log"|"date"|"category", "y_scale": ...,
     "x_range": [lo, hi], "y_range": [lo, hi],
     "series": [{"name": str|null, "x": [...], "y": [...],
                 "y_lower": [...]|null, "y_upper": [...]|null}],
     "chart_type": "line"|"line_band"|"scatter",
     "meta": {...}}

``x_range``/``y_range`` are the axes limits as drawn (``ax.get_xlim()``/``get_ylim()`` after the
figure is drawn).  Dates are ISO 8601 strings, in the points (``YYYY-MM-DD`` or
``YYYY-MM-DDTHH:MM:SS``) and in the ranges (``YYYY-MM-DDTHH:MM:SS``).  Series names are exactly
the legend labels, or null when the chart has no legend.  The values in the JSON are exactly the
values handed to matplotlib; for seaborn-aggregated bands they are recomputed the way seaborn does
and every chart is checked against the drawn artists (in pixel space) before it is written.

Usage::

    python scripts/make_fixtures.py                      # seed chart + family into fixtures/
    python scripts/make_fixtures.py --seed-chart         # only fixtures/seed/
    python scripts/make_fixtures.py --family --seed 3    # only fixtures/family/
    python scripts/make_fixtures.py --corpus 300 --seed 0 --out corpus --jobs 2
    python scripts/make_fixtures.py --corpus 60 --renderers gnuplot,vegalite,ggplot --out rc

``--renderers`` draws chart ``i`` with the ``i % len``-th renderer named; renderers other than
matplotlib (its ``seaborn``/``pandas`` mix) live in ``scripts/renderers/``.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import multiprocessing as mp
import os
import sys
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib import colors as mcolors
from matplotlib.collections import PathCollection, PolyCollection
from PIL import Image

matplotlib.use("Agg")

GENERATOR_VERSION = 1
HASHSALT = "digitize-fixtures"
REPO_ROOT = Path(__file__).resolve().parent.parent

# --------------------------------------------------------------------------------------------
# Option pools
# --------------------------------------------------------------------------------------------

MPL_STYLES = [
    "default",
    "classic",
    "seaborn-v0_8",
    "seaborn-v0_8-whitegrid",
    "seaborn-v0_8-darkgrid",
    "seaborn-v0_8-white",
    "seaborn-v0_8-ticks",
    "seaborn-v0_8-dark",
    "seaborn-v0_8-paper",
    "seaborn-v0_8-talk",
    "seaborn-v0_8-colorblind",
    "seaborn-v0_8-muted",
    "ggplot",
    "bmh",
    "fivethirtyeight",
    "grayscale",
    "dark_background",
    "Solarize_Light2",
    "tableau-colorblind10",
]
SNS_THEMES = ["darkgrid", "whitegrid", "white", "ticks", "dark"]
SNS_CONTEXTS = ["paper", "notebook", "notebook", "talk"]

FAMILY_MARKERS = ["o", "s", "^", "D"]
ALL_MARKERS = ["o", "s", "^", "v", "<", ">", "D", "d", "p", "*", "h", "x", "+", ".", None]
LINESTYLES = ["-", "--", ":", "-."]

DISTINCT = {
    "blue": "#1f77b4",
    "orange": "#ff7f0e",
    "green": "#2ca02c",
    "red": "#d62728",
    "purple": "#9467bd",
    "brown": "#8c564b",
    "pink": "#e377c2",
    "gray": "#7f7f7f",
    "olive": "#bcbd22",
    "cyan": "#17becf",
}
SHADE_MAPS = {"blue": "Blues", "green": "Greens", "orange": "Oranges", "purple": "Purples",
              "red": "Reds"}
DISTINCT_PALETTES = ["tab10", "deep", "muted", "bright", "dark", "colorblind", "Set1", "Dark2"]

# y presets: name -> (lo, hi).  "offset"/"sci_*" exercise tick offsets and scientific notation.
Y_PRESETS_FAMILY = {
    "unit": (0.0, 1.0),
    "narrow": (0.27, 0.33),
    "percent": (0.0, 100.0),
    "negative": (-120.0, -20.0),
    "symmetric": (-5.0, 5.0),
    "large": (0.0, 1e4),
    "decimals": (2.5, 3.1),
}
Y_PRESETS_CORPUS = {
    **Y_PRESETS_FAMILY,
    "neg_small": (-1.0, 0.2),
    "money": (150.0, 420.0),
    "offset": (1000.2, 1000.8),
    "sci_small": (1e-6, 8e-6),
    "sci_large": (2e6, 9e6),
    "tiny": (0.001, 0.004),
}
X_KINDS_FAMILY = ["iterations", "iterations", "fraction", "negative", "decimal", "years"]
X_KINDS_CORPUS = X_KINDS_FAMILY + ["large", "offset", "iterations", "epochs"]

METRICS = ["Accuracy", "Loss", "Pass@1", "Reward", "Revenue (USD)", "Temperature (°C)",
           "Latency (ms)", "Throughput (req/s)", "Error rate", "F1 score", "Signal", "Value",
           "Voltage (V)", "Score", "Mean return"]
X_LABELS = {
    "iterations": ["Iteration", "Step", "Training steps"],
    "epochs": ["Epoch"],
    "fraction": ["Fraction of data", "Threshold", "Recall"],
    "negative": ["Offset", "Position (mm)", "Lag"],
    "decimal": ["Time (s)", "Learning rate scale", "Dose (mg)"],
    "years": ["Year"],
    "large": ["Tokens", "Samples seen", "Wall time (ms)"],
    "offset": ["Wavelength (nm)", "Frequency (MHz)"],
    "log": ["Dataset size", "Compute (FLOPs)", "Frequency (Hz)", "Batch size"],
    "date": ["Date", "Day", "Time"],
    "random": ["Feature value", "Input", "x"],
}
NAME_POOLS = [
    ["v10-l1-length-4096", "v1-l1-length-4096", "v5-l2-length-2048", "v3-l1-length-8192",
     "v7-l4-length-1024", "v2-l2-length-4096", "v9-l3-length-2048", "v4-l1-length-512"],
    ["baseline", "ours", "ours + aug", "ablation", "oracle", "random", "ensemble", "distilled"],
    ["Model A", "Model B", "Model C", "Model D", "Model E", "Model F", "Model G", "Model H"],
    ["run-1", "run-2", "run-3", "run-4", "run-5", "run-6", "run-7", "run-8"],
    ["lr=1e-3", "lr=3e-4", "lr=1e-4", "lr=3e-5", "lr=1e-5", "lr=3e-6", "lr=1e-6", "lr=3e-7"],
    ["north", "south", "east", "west", "central", "coastal", "alpine", "island"],
]
LEGEND_TITLES = ["Model", "Run", "Method", "Config", "Region", None, None]
TITLES = ["{m} over {x}", "{m} vs. {x}", "{m} per Model", "{m} by {x} (with variance)",
          "Comparison of {m}", "{m}"]

# --------------------------------------------------------------------------------------------
# Specs
# --------------------------------------------------------------------------------------------


@dataclass
class SeriesSpec:
    """One plotted series: exact values plus how it is drawn."""

    label: str
    x: list[Any]
    y: list[float]
    y_lower: list[float] | None = None
    y_upper: list[float] | None = None
    reps: list[list[float]] | None = None  # raw replicates per x for seaborn-aggregated bands
    color: str = "C0"
    marker: str | None = None
    linestyle: str = "-"


@dataclass
class ChartSpec:
    """Everything needed to draw one chart deterministically."""

    chart_id: str
    profile: str
    chart_type: str
    renderer: str
    style: str
    sns_context: str | None
    x_scale: str
    y_scale: str
    figsize: tuple[float, float]
    dpi: int
    fmt: str
    jpeg_quality: int | None
    legend: str
    legend_loc: str | None
    legend_title: str | None
    grid: bool
    title: str | None
    xlabel: str
    ylabel: str
    palette: str
    band_method: str | None
    band_alpha: float
    linewidth: float
    markersize: float
    x_tick_style: str = "auto"
    y_tick_style: str = "auto"
    xlim: tuple[float, float] | None = None
    ylim: tuple[float, float] | None = None
    xtick_step: float | None = None
    ytick_step: float | None = None
    ytick_fmt: str | None = None
    date_formatter: str | None = None
    legend_fontsize: str | None = None
    legend_ncols: int = 1
    legend_headroom: bool = False
    legend_requested: str | None = None
    x_kind: str = ""
    y_preset: str = ""
    data_kind: str = ""
    seed_info: list[int] = field(default_factory=list)
    series: list[SeriesSpec] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def round_sig(v: float, sig: int = 4) -> float:
    """Round to ``sig`` significant digits (exactly representable as its decimal string)."""
    return float(f"{v:.{sig}g}")


def decimals_for(span: float) -> int:
    """Number of decimals that keeps about three significant digits across ``span``."""
    return max(0, 2 - math.floor(math.log10(span)))


def nice_step(raw: float) -> float:
    """Round a raw tick step up to 1, 2, 2.5 or 5 times a power of ten."""
    exp = math.floor(math.log10(raw))
    base = 10.0**exp
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= m * base * (1 + 1e-9):
            return round_sig(m * base, 3)
    return round_sig(10 * base, 3)


def iso(d: datetime) -> str:
    """ISO 8601 string for a data point: date only at midnight, else seconds resolution."""
    if d.hour == d.minute == d.second == 0 and d.microsecond == 0:
        return d.date().isoformat()
    return d.isoformat(timespec="seconds")


def parse_iso(s: str) -> datetime:
    """Inverse of :func:`iso` (also accepts full datetimes)."""
    return datetime.fromisoformat(s)


def num_to_iso(v: float) -> str:
    """Matplotlib date number -> naive ISO datetime string rounded to the second."""
    dt = mdates.num2date(float(v)).replace(tzinfo=None)
    dt = (dt + timedelta(microseconds=500_000)).replace(microsecond=0)
    return dt.isoformat(timespec="seconds")


def x_to_plot(xs: Sequence[Any], scale: str) -> list[Any]:
    """Ground-truth x values -> values handed to matplotlib."""
    if scale == "date":
        return [parse_iso(v) for v in xs]
    return list(xs)


def x_to_num(xs: Sequence[Any], scale: str) -> np.ndarray:
    """Ground-truth x values -> matplotlib data coordinates."""
    if scale == "date":
        return np.asarray(mdates.date2num([parse_iso(v) for v in xs]), dtype=float)
    return np.asarray(xs, dtype=float)


def shades(cmap: str, n: int) -> list[str]:
    """``n`` dark-to-light shades of one hue."""
    cm = matplotlib.colormaps[cmap]
    vals = np.linspace(0.9, 0.45, n) if n > 1 else [0.8]
    return [mcolors.to_hex(cm(float(v))) for v in vals]


def palette_colors(name: str, n: int, rng: np.random.Generator) -> list[str]:
    """Resolve a palette option to ``n`` colour strings (``Ci`` = the style's own cycle)."""
    if name == "style":
        return [f"C{i % 10}" for i in range(n)]
    if name.startswith("shades:"):
        return shades(SHADE_MAPS[name.split(":", 1)[1]], n)
    if name.startswith("pair:"):
        hue = name.split(":", 1)[1]
        pair = shades(SHADE_MAPS[hue], 2)
        others = [c for h, c in DISTINCT.items() if h != hue and h not in ("gray",)]
        return (pair + others)[:n]
    if name == "tab10":
        return [mcolors.to_hex(c) for c in matplotlib.colormaps["tab10"].colors[:n]]
    return [mcolors.to_hex(c) for c in sns.color_palette(name, n)]


# --------------------------------------------------------------------------------------------
# Data generation
# --------------------------------------------------------------------------------------------


def gen_shape(rng: np.random.Generator, n: int, kind: str) -> np.ndarray:
    """A curve of ``n`` points normalised to [0, 1]."""
    t = np.linspace(0.0, 1.0, n)
    if kind == "walk":
        v = np.cumsum(rng.normal(0.0, 1.0, n))
    elif kind == "smooth":
        v = rng.uniform(-1, 1) * t
        for _ in range(int(rng.integers(1, 4))):
            v = v + rng.uniform(0.3, 1.0) * np.sin(2 * np.pi * (rng.uniform(0.3, 2.0) * t
                                                                  + rng.uniform(0, 1)))
    elif kind == "logistic":
        v = 1.0 / (1.0 + np.exp(-rng.uniform(6, 14) * (t - rng.uniform(0.2, 0.7))))
        v = v + rng.normal(0, 0.04, n)
        if rng.random() < 0.3:
            v = -v
    elif kind == "decay":
        v = np.exp(-rng.uniform(2, 6) * t) + rng.normal(0, 0.03, n)
    else:  # noisy trend
        v = rng.uniform(-1, 1) * t + rng.normal(0, 0.25, n)
    lo, hi = float(v.min()), float(v.max())
    if hi - lo < 1e-12:
        return np.full(n, 0.5)
    return (v - lo) / (hi - lo)


def gen_x(rng: np.random.Generator, n: int, x_scale: str, kind: str) -> list[Any]:
    """x positions for a chart (shared by all series unless ragged)."""
    if x_scale == "date":
        start = datetime(2015, 1, 1) + timedelta(days=int(rng.integers(0, 3650)))
        freq = kind
        if freq == "hourly":
            start = start + timedelta(hours=int(rng.integers(0, 24)))
            return [iso(start + timedelta(hours=k)) for k in range(n)]
        if freq == "daily":
            return [iso(start + timedelta(days=k)) for k in range(n)]
        if freq == "weekly":
            return [iso(start + timedelta(weeks=k)) for k in range(n)]
        months = [(start.year * 12 + start.month - 1 + k) for k in range(n)]
        return [date(m // 12, m % 12 + 1, 1).isoformat() for m in months]
    if x_scale == "log":
        a = float(rng.integers(-2, 4))
        d = float(rng.integers(1, 5))
        return [round_sig(v, 3) for v in 10 ** np.linspace(a, a + d, n)]
    if kind == "iterations":
        step = float(rng.choice([1, 5, 10, 50, 100, 250, 1000]))
        first = step if rng.random() < 0.6 else 0.0
        return [first + step * k for k in range(n)]
    if kind == "epochs":
        return [float(k + 1) for k in range(n)]
    if kind == "fraction":
        return [round(v, 4) for v in np.linspace(0.0, 1.0, n)]
    if kind == "negative":
        start = float(rng.choice([-50, -20, -10, -5, -2]))
        step = float(rng.choice([0.5, 1.0, 2.0, 5.0]))
        return [start + step * k for k in range(n)]
    if kind == "decimal":
        start = float(rng.choice([0.0, 0.1, 0.25, 1.5]))
        step = float(rng.choice([0.05, 0.1, 0.2, 0.25]))
        return [round(start + step * k, 4) for k in range(n)]
    if kind == "years":
        start = int(rng.integers(1980, 2010))
        return [float(start + k) for k in range(n)]
    if kind == "large":
        step = float(rng.choice([2e5, 5e5, 1e6]))
        return [step * (k + 1) for k in range(n)]
    if kind == "offset":
        start = float(rng.choice([5000.0, 1550.0, 2400.0]))
        return [round(start + 0.002 * k, 4) for k in range(n)]
    if kind == "random":
        lo = float(rng.choice([0.0, -10.0, 5.0]))
        span = float(rng.choice([1.0, 10.0, 100.0]))
        d = decimals_for(span) + 1
        vals = sorted({round(float(v), d) for v in lo + span * rng.random(n)})
        return vals
    raise ValueError(kind)


def gen_series_values(
    rng: np.random.Generator,
    n_series: int,
    n_points: int,
    y_scale: str,
    lo: float,
    hi: float,
    data_kind: str,
    scatter: bool,
) -> list[np.ndarray]:
    """Unrounded y values per series, each covering a random sub-interval of [lo, hi]."""
    out = []
    for _ in range(n_series):
        if scatter:
            shape = np.clip(rng.uniform(-0.5, 0.5) * np.linspace(0, 1, n_points) + 0.5
                            + rng.normal(0, 0.18, n_points), 0, 1)
        else:
            kind = data_kind if data_kind != "mixed" else str(
                rng.choice(["walk", "smooth", "logistic", "decay", "trend"]))
            shape = gen_shape(rng, n_points, kind)
        amp = rng.uniform(0.35, 0.85)
        base = rng.uniform(0.05, 0.95 - amp)
        u = base + amp * shape
        if y_scale == "log":
            out.append(10 ** (lo + (hi - lo) * u))
        else:
            out.append(lo + (hi - lo) * u)
    return out


# --------------------------------------------------------------------------------------------
# Spec sampling
# --------------------------------------------------------------------------------------------


class _Picker:
    """Random choices that can be overridden by fixed values."""

    def __init__(self, rng: np.random.Generator, fixed: dict[str, Any]):
        self.rng = rng
        self.fixed = fixed

    def __call__(self, key: str, options: Sequence[Any], p: Sequence[float] | None = None) -> Any:
        if key in self.fixed:
            return self.fixed[key]
        if p is not None:
            p_arr = np.asarray(p, dtype=float)
            p_arr = p_arr / p_arr.sum()
            return options[int(self.rng.choice(len(options), p=p_arr))]
        return options[int(self.rng.integers(len(options)))]


def sample_spec(
    rng: np.random.Generator,
    chart_id: str,
    profile: str,
    fixed: dict[str, Any] | None = None,
    seed_info: list[int] | None = None,
) -> ChartSpec:
    """Sample a chart.  ``profile`` is ``"family"`` (near the seed) or ``"corpus"`` (wide)."""
    fixed = dict(fixed or {})
    pick = _Picker(rng, fixed)
    fam = profile == "family"

    renderer = pick("renderer", ["matplotlib", "seaborn", "pandas"], [0.5, 0.25, 0.25])
    if fam:
        style = pick("style", ["sns:darkgrid", "sns:whitegrid", "sns:white", "sns:ticks",
                               "mpl:default", "mpl:seaborn-v0_8-whitegrid"])
    else:
        style = pick("style", [f"sns:{t}" for t in SNS_THEMES] + [f"mpl:{s}" for s in MPL_STYLES])
    sns_context = pick("sns_context", SNS_CONTEXTS) if style.startswith("sns:") else None

    if fam:
        chart_type = pick("chart_type", ["line", "line_band"])
    elif renderer == "matplotlib":
        chart_type = pick("chart_type", ["line", "line_band", "scatter"], [0.45, 0.35, 0.2])
    else:
        chart_type = pick("chart_type", ["line", "line_band"], [0.55, 0.45])
    scatter = chart_type == "scatter"

    if fam:
        n_series = int(pick("n_series", [2, 3, 4, 5]))
    else:
        n_series = int(pick("n_series", list(range(1, 9)),
                            [0.1, 0.22, 0.2, 0.16, 0.1, 0.08, 0.07, 0.07]))

    if fam:
        x_scale, y_scale = pick("x_scale", ["linear"]), pick("y_scale", ["linear"])
    else:
        x_scale = pick("x_scale", ["linear", "log", "date"],
                       [0.75, 0.25, 0.0] if scatter else [0.68, 0.12, 0.2])
        y_scale = pick("y_scale", ["linear", "log"], [0.5, 0.5] if x_scale == "log" else
                       [0.88, 0.12])

    n_points = int(pick("n_points", list(range(6, 21)) if fam else list(range(5, 41))))
    if scatter:
        n_points = int(pick("n_points_scatter", list(range(10, 61))))

    # ---- x ----
    if x_scale == "date":
        x_kind = pick("x_kind", ["daily", "weekly", "monthly", "hourly"])
    elif x_scale == "log":
        x_kind = "log"
    elif scatter:
        x_kind = pick("x_kind", ["random", "random", "iterations"])
    else:
        x_kind = pick("x_kind", X_KINDS_FAMILY if fam else X_KINDS_CORPUS)
    x_shared = gen_x(rng, n_points, x_scale, x_kind)
    n_points = len(x_shared)

    # ---- y ----
    if y_scale == "log":
        y_preset = "log"
        a = float(rng.integers(-3, 4))
        lo, hi = a, a + float(rng.integers(1, 5))  # exponents
    else:
        presets = Y_PRESETS_FAMILY if fam else Y_PRESETS_CORPUS
        y_preset = pick("y_preset", list(presets))
        lo, hi = presets[y_preset]
        if y_preset not in ("offset", "narrow"):
            jit = (hi - lo) * 0.1
            lo, hi = lo + rng.uniform(-jit, jit), hi + rng.uniform(-jit, jit)
    data_kind = pick("data_kind", ["walk", "smooth", "mixed"])
    raw = gen_series_values(rng, n_series, n_points, y_scale, lo, hi, data_kind, scatter)
    span = hi - lo
    dec = decimals_for(span) if y_scale == "linear" else 0

    def rnd(v: float) -> float:
        return round_sig(v, 4) if y_scale == "log" else round(float(v), dec)

    # ---- bands ----
    band_method: str | None = None
    if chart_type == "line_band":
        if renderer == "seaborn":
            opts = ["fill_between", "seaborn_sd", "seaborn_se", "seaborn_pi50"]
            if y_scale == "log":
                opts = ["fill_between", "seaborn_pi50"]
            band_method = pick("band_method", opts)
        else:
            band_method = "fill_between"

    ragged = (not fam and renderer == "matplotlib" and n_series > 1 and x_scale != "date"
              and rng.random() < 0.15)
    names_pool = NAME_POOLS[int(rng.integers(len(NAME_POOLS)))]
    names = list(names_pool[:n_series])

    series: list[SeriesSpec] = []
    for i in range(n_series):
        xs = list(x_shared)
        yv = raw[i]
        if ragged and i > 0:
            cut = int(rng.integers(0, max(1, n_points // 3)))
            if cut and rng.random() < 0.5:
                xs, yv = xs[cut:], yv[cut:]
            elif cut:
                xs, yv = xs[:-cut], yv[:-cut]
        s = SeriesSpec(label=names[i], x=xs, y=[rnd(v) for v in yv])
        if band_method == "fill_between":
            env = 0.4 + 0.6 * gen_shape(rng, len(xs), "smooth")
            if y_scale == "log":
                f = 1.0 + rng.uniform(0.08, 0.4) * env
                s.y_lower = [round_sig(y / k, 4) for y, k in zip(s.y, f, strict=True)]
                s.y_upper = [round_sig(y * k, 4) for y, k in zip(s.y, f, strict=True)]
            else:
                hw = span * rng.uniform(0.015, 0.06) * env
                a = rng.uniform(0.7, 1.3) if rng.random() < 0.3 else 1.0
                s.y_lower = [round(y - h * a, dec) for y, h in zip(s.y, hw, strict=True)]
                s.y_upper = [round(y + h / a, dec) for y, h in zip(s.y, hw, strict=True)]
        elif band_method is not None and band_method.startswith("seaborn_"):
            n_rep = int(rng.integers(3, 9))
            env = 0.4 + 0.6 * gen_shape(rng, len(xs), "smooth")
            reps: list[list[float]] = []
            for y, e in zip(yv, env, strict=True):
                if y_scale == "log":
                    r = y * np.exp(rng.normal(0, 0.15 * e, n_rep))
                    reps.append([round_sig(v, 4) for v in r])
                else:
                    sd = span * 0.04 * e * (math.sqrt(n_rep) if band_method == "seaborn_se" else 1)
                    r = y + rng.normal(0, sd, n_rep)
                    reps.append([round(float(v), dec + 1) for v in r])
            s.reps = reps
            s.y, s.y_lower, s.y_upper = seaborn_aggregate(reps, band_method)
        series.append(s)

    # ---- appearance ----
    if style == "mpl:grayscale":
        palette = "style"
    elif fam:
        palette = pick("palette", ["tab10", "deep", "Set1", "dark", "pair:blue", "pair:green",
                                   "shades:blue", "style"])
    else:
        palette = pick("palette", DISTINCT_PALETTES + ["style", "style", "pair:blue",
                                                       "pair:green", "pair:orange",
                                                       "shades:purple", "shades:blue",
                                                       "shades:red"])
    if palette.startswith("shades:") and n_series > 4:
        palette = "pair:" + palette.split(":", 1)[1]
    colors = palette_colors(palette, n_series, rng)

    marker_pool = FAMILY_MARKERS if fam else ALL_MARKERS
    if scatter:
        marker_pool = [m for m in marker_pool if m not in (None, ".")] or ["o"]
    marker_mode = pick("marker_mode", ["same", "cycle"])
    first_marker = pick("marker", marker_pool)
    if scatter and first_marker in (None, "."):
        first_marker = "o"
    if fam:
        ls_mode = pick("ls_mode", ["solid", "solid", "cycle"])
    else:
        ls_mode = pick("ls_mode", ["solid", "solid", "same", "cycle"])
    base_ls = pick("linestyle", LINESTYLES)
    other_markers = [m for m in marker_pool if m != first_marker] or [first_marker]
    offset = int(rng.integers(len(other_markers)))
    for i, s in enumerate(series):
        s.color = colors[i]
        if marker_mode == "same":
            s.marker = first_marker
        else:
            s.marker = (first_marker if i == 0
                        else other_markers[(offset + i - 1) % len(other_markers)])
        if ls_mode == "solid":
            s.linestyle = "-"
        elif ls_mode == "same":
            s.linestyle = base_ls
        else:
            s.linestyle = LINESTYLES[i % len(LINESTYLES)]

    figsizes_fam = [(6.0, 4.0), (7.0, 4.5), (8.0, 5.0), (9.0, 5.0), (10.0, 5.0), (10.0, 6.0),
                    (12.0, 6.0), (6.4, 4.8), (8.0, 6.0)]
    figsizes_corpus = figsizes_fam + [(4.0, 3.0), (5.0, 3.5), (4.5, 3.0), (6.0, 3.0), (5.0, 5.0)]
    big_fonts = style in ("mpl:seaborn-v0_8-talk", "mpl:fivethirtyeight") or sns_context == "talk"
    if big_fonts:  # large fonts on a screenshot-sized figure leave no room for the data
        figsizes_corpus = [f for f in figsizes_corpus if f[0] >= 6.4]
    figsize = tuple(pick("figsize", figsizes_fam if fam else figsizes_corpus))
    dpi = int(pick("dpi", [72, 80, 96, 100, 110, 120, 150, 180, 200]))
    if figsize[0] * figsize[1] * dpi * dpi > 2400 * 1200:
        dpi = int(math.floor(math.sqrt(2400 * 1200 / (figsize[0] * figsize[1]))))
    fmt = pick("fmt", ["png", "jpg"], [0.75, 0.25])
    jpeg_quality = (int(pick("jpeg_quality", [80] if fam else [70, 80, 90])) if fmt == "jpg"
                    else None)

    if fam:
        legend = pick("legend", ["inside", "outside_right", "below"])
    else:
        legend = pick("legend", ["inside", "outside_right", "below", "none"],
                      [0.35, 0.25, 0.2, 0.2] if n_series > 1 else [0.3, 0.1, 0.1, 0.5])
        if figsize[0] < 6 and n_series > 4 and legend in ("outside_right", "below"):
            legend = "inside"
    legend_loc = {"inside": "best", "outside_right": "outside right upper",
                  "below": "outside lower center", "none": None}[legend]
    legend_title = pick("legend_title", LEGEND_TITLES) if legend != "none" else None

    grid = bool(pick("grid", [True, False]))
    metric = str(rng.choice(METRICS))
    xlabel = str(rng.choice(X_LABELS["date" if x_scale == "date" else x_kind]))
    titles = TITLES + ([""] if not fam else [])
    title_tpl = titles[int(rng.integers(len(titles)))]
    title = title_tpl.format(m=metric, x=xlabel) if title_tpl else None

    spec = ChartSpec(
        chart_id=chart_id,
        profile=profile,
        chart_type=chart_type,
        renderer=renderer,
        style=style,
        sns_context=sns_context,
        x_scale=x_scale,
        y_scale=y_scale,
        figsize=(float(figsize[0]), float(figsize[1])),
        dpi=dpi,
        fmt=fmt,
        jpeg_quality=jpeg_quality,
        legend=legend,
        legend_loc=legend_loc,
        legend_title=legend_title,
        grid=grid,
        title=title,
        xlabel=xlabel,
        ylabel=metric,
        palette=palette,
        band_method=band_method,
        band_alpha=float(pick("band_alpha", [0.15, 0.2, 0.25, 0.3])),
        linewidth=float(pick("linewidth", [1.5, 2.0, 2.5] if fam else [0.8, 1.2, 1.5, 2.0, 3.0])),
        markersize=float(pick("markersize", [5.0, 6.0, 7.0] if fam else [3.0, 4.0, 6.0, 8.0])),
        x_kind=x_kind,
        y_preset=y_preset,
        data_kind=data_kind if not scatter else "scatter",
        seed_info=list(seed_info or []),
        series=series,
    )

    # ---- ticks / limits ----
    if y_scale == "linear":
        y_tick_style = pick("y_tick_style", ["auto", "auto", "auto", "sci", "fixed"]
                            if not fam else ["auto", "fixed"])
        if y_tick_style == "sci" and y_preset == "offset":
            y_tick_style = "auto"
        spec.y_tick_style = y_tick_style
        if y_tick_style == "fixed":
            set_nice_ylim(spec, rng)
    if x_scale == "linear" and not fam and rng.random() < 0.1:
        spec.x_tick_style = "sci"
    if x_scale == "linear" and x_kind == "iterations" and rng.random() < 0.4:
        xs_all = [v for s in series for v in s.x]
        spec.xlim = (0.0, float(max(xs_all)))
    if x_scale == "date":
        spec.date_formatter = pick("date_formatter", ["auto", "concise"])
        if spec.figsize[0] < 6.0 or n_points > 25:
            spec.date_formatter = "concise"  # full dates would collide on narrow axes
    return spec


def set_nice_ylim(spec: ChartSpec, rng: np.random.Generator) -> None:
    """Explicit y limits on round numbers with a fixed step and a fixed-decimals formatter."""
    vals = [v for s in spec.series for arr in (s.y, s.y_lower, s.y_upper) if arr for v in arr]
    lo, hi = min(vals), max(vals)
    span = hi - lo
    step = nice_step(span / float(rng.choice([4, 5, 6, 8])))
    ylo = math.floor((lo - 0.02 * span) / step) * step
    yhi = math.ceil((hi + 0.02 * span) / step) * step
    text = np.format_float_positional(step, trim="-")
    dec = len(text.split(".")[1]) if "." in text else 0
    spec.ylim = (round(ylo, dec + 2), round(yhi, dec + 2))
    spec.ytick_step = step
    spec.ytick_fmt = f"%.{dec}f"


def seaborn_aggregate(
    reps: list[list[float]], method: str
) -> tuple[list[float], list[float], list[float]]:
    """Mean and error band exactly as seaborn's EstimateAggregator computes them."""
    ys, lows, highs = [], [], []
    for r in reps:
        vals = pd.Series(r, dtype=float)
        est = float(vals.agg("mean"))
        if method == "seaborn_sd":
            half = float(vals.std())
            lo, hi = est - half, est + half
        elif method == "seaborn_se":
            half = float(vals.sem())
            lo, hi = est - half, est + half
        elif method == "seaborn_pi50":
            lo, hi = (float(v) for v in np.nanpercentile(vals, (25.0, 75.0)))
        else:
            raise ValueError(method)
        ys.append(est)
        lows.append(lo)
        highs.append(hi)
    return ys, lows, highs


# --------------------------------------------------------------------------------------------
# The seed chart and the family
# --------------------------------------------------------------------------------------------

SEED_X = [float(v) for v in range(100, 1401, 100)]
SEED_DARK = [0.294, 0.292, 0.303, 0.321, 0.325, 0.320, 0.305, 0.302, 0.321, 0.295, 0.302, 0.278,
             0.310, 0.300]
SEED_LIGHT = [0.294, 0.292, 0.309, 0.318, 0.313, 0.289, 0.300, 0.298, 0.280, 0.306, 0.290, 0.297,
              0.308, 0.302]
SEED_DARK_HW = [0.003, 0.003, 0.0035, 0.0045, 0.0045, 0.0045, 0.0035, 0.0045, 0.0055, 0.005,
                0.0035, 0.003, 0.003, 0.003]
SEED_LIGHT_HW = [0.003, 0.003, 0.003, 0.0035, 0.004, 0.004, 0.004, 0.005, 0.0065, 0.005, 0.004,
                 0.0035, 0.003, 0.003]


def seed_spec() -> ChartSpec:
    """The seed chart from /work/shared/seed/chart-description.md."""

    def band(y: list[float], hw: list[float], sign: int) -> list[float]:
        return [round(a + sign * b, 6) for a, b in zip(y, hw, strict=True)]

    series = [
        SeriesSpec("v10-l1-length-4096", list(SEED_X), list(SEED_DARK),
                   band(SEED_DARK, SEED_DARK_HW, -1), band(SEED_DARK, SEED_DARK_HW, 1),
                   color="#1f4e9c", marker="o"),
        SeriesSpec("v1-l1-length-4096", list(SEED_X), list(SEED_LIGHT),
                   band(SEED_LIGHT, SEED_LIGHT_HW, -1), band(SEED_LIGHT, SEED_LIGHT_HW, 1),
                   color="#74b3e8", marker="o"),
    ]
    return ChartSpec(
        chart_id="seed/chart", profile="seed", chart_type="line_band", renderer="seaborn",
        style="sns:darkgrid", sns_context="notebook", x_scale="linear", y_scale="linear",
        figsize=(10.0, 6.0), dpi=100, fmt="png", jpeg_quality=None, legend="outside_right",
        legend_loc="outside right upper", legend_title="Model", grid=True,
        title="Pass@1 over Iterations per Model (with Variance)", xlabel="Iteration",
        ylabel="AIME 2.4 Pass@1", palette="custom dark/light blue", band_method="fill_between",
        band_alpha=0.2, linewidth=2.0, markersize=6.0, xlim=(0.0, 1400.0), ylim=(0.27, 0.33),
        xtick_step=200.0, ytick_step=0.01, ytick_fmt="%.2f", x_kind="iterations",
        y_preset="narrow", data_kind="description", series=series,
    )


# Fixed options per family chart; everything else (data, names, sizes...) comes from the seed.
FAMILY_FIXED: list[dict[str, Any]] = [
    {"renderer": "seaborn", "style": "sns:darkgrid", "n_series": 2, "palette": "pair:blue",
     "chart_type": "line_band", "band_method": "fill_between", "marker": "o",
     "marker_mode": "same", "legend": "outside_right", "fmt": "png", "dpi": 100,
     "figsize": (8.0, 5.0), "y_preset": "narrow", "x_kind": "iterations", "grid": True},
    {"renderer": "matplotlib", "style": "mpl:default", "n_series": 3, "palette": "tab10",
     "chart_type": "line", "marker": "s", "marker_mode": "same", "legend": "inside",
     "fmt": "jpg", "dpi": 72, "figsize": (6.0, 4.0), "grid": False, "y_preset": "unit"},
    {"renderer": "seaborn", "style": "sns:whitegrid", "n_series": 4, "palette": "deep",
     "chart_type": "line_band", "band_method": "seaborn_sd", "marker": "^",
     "marker_mode": "same", "legend": "below", "fmt": "png", "dpi": 150,
     "figsize": (10.0, 5.0), "grid": True, "y_preset": "negative"},
    {"renderer": "matplotlib", "style": "mpl:default", "n_series": 5, "palette": "Set1",
     "chart_type": "line", "marker": "D", "marker_mode": "same", "legend": "outside_right",
     "fmt": "jpg", "dpi": 96, "figsize": (12.0, 6.0), "grid": True, "y_preset": "large"},
    {"renderer": "seaborn", "style": "sns:ticks", "n_series": 2, "palette": "pair:green",
     "chart_type": "line_band", "band_method": "fill_between", "marker": "o",
     "marker_mode": "cycle", "legend": "inside", "fmt": "png", "dpi": 200,
     "figsize": (6.0, 4.0), "grid": False, "y_preset": "decimals"},
    {"renderer": "pandas", "style": "mpl:seaborn-v0_8-whitegrid", "n_series": 3,
     "palette": "dark", "chart_type": "line_band", "marker": "s", "marker_mode": "cycle",
     "legend": "below", "fmt": "jpg", "dpi": 110, "figsize": (9.0, 5.0), "grid": True,
     "y_preset": "unit"},
    {"renderer": "seaborn", "style": "sns:darkgrid", "n_series": 4, "palette": "shades:blue",
     "chart_type": "line", "marker": "o", "marker_mode": "same", "legend": "inside",
     "fmt": "png", "dpi": 72, "figsize": (7.0, 4.5), "grid": True, "y_preset": "narrow"},
    {"renderer": "matplotlib", "style": "mpl:default", "n_series": 2, "palette": "style",
     "chart_type": "line_band", "marker": "^", "marker_mode": "same", "legend": "outside_right",
     "fmt": "png", "dpi": 120, "figsize": (8.0, 6.0), "grid": False, "y_preset": "symmetric",
     "x_kind": "negative"},
    {"renderer": "pandas", "style": "sns:white", "n_series": 5, "palette": "pair:blue",
     "chart_type": "line", "marker": "D", "marker_mode": "cycle", "legend": "below",
     "fmt": "jpg", "dpi": 100, "figsize": (10.0, 6.0), "grid": False, "y_preset": "percent"},
    {"renderer": "matplotlib", "style": "mpl:seaborn-v0_8-whitegrid", "n_series": 3,
     "palette": "tab10", "chart_type": "line_band", "marker": "D", "marker_mode": "same",
     "legend": "inside", "fmt": "png", "dpi": 180, "figsize": (6.4, 4.8), "grid": True,
     "y_preset": "negative", "ls_mode": "cycle"},
    {"renderer": "seaborn", "style": "sns:darkgrid", "n_series": 2, "palette": "pair:blue",
     "chart_type": "line_band", "band_method": "seaborn_se", "marker": "o",
     "marker_mode": "same", "legend": "outside_right", "fmt": "jpg", "dpi": 80,
     "figsize": (12.0, 6.0), "grid": True, "y_preset": "narrow", "x_kind": "iterations"},
]


def family_spec(index: int, seed: int) -> ChartSpec:
    """Family chart ``index`` (0-based) for ``seed``."""
    rng = np.random.default_rng([seed, 1_000_000 + index])
    return sample_spec(rng, f"family/family_{index:02d}", "family", FAMILY_FIXED[index],
                       seed_info=[seed, 1_000_000 + index])


def corpus_spec(index: int, seed: int) -> ChartSpec:
    """Corpus chart ``index`` for ``seed`` (independent of every other index)."""
    rng = np.random.default_rng([seed, index])
    return sample_spec(rng, f"chart_{index:05d}", "corpus", seed_info=[seed, index])


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


def apply_style(style: str, sns_context: str | None) -> None:
    """Reset rcParams, apply a matplotlib style or seaborn theme, pin the varying params."""
    matplotlib.rcdefaults()
    kind, name = style.split(":", 1)
    if kind == "sns":
        sns.set_theme(style=name, context=sns_context or "notebook")
    else:
        plt.style.use(name)
    matplotlib.rcParams["svg.hashsalt"] = HASHSALT
    matplotlib.rcParams["figure.max_open_warning"] = 0
    matplotlib.rcParams["savefig.bbox"] = None
    matplotlib.rcParams["savefig.pad_inches"] = 0.1
    matplotlib.rcParams["path.simplify"] = True
    matplotlib.rcParams["date.epoch"] = "1970-01-01T00:00:00"


def _draw_matplotlib(ax: Any, spec: ChartSpec) -> None:
    for s in spec.series:
        xs = x_to_plot(s.x, spec.x_scale)
        if spec.chart_type == "scatter":
            ax.scatter(xs, s.y, color=s.color, marker=s.marker or "o", s=spec.markersize**2,
                       label=s.label, zorder=3)
            continue
        ax.plot(xs, s.y, color=s.color, marker=s.marker or "", linestyle=s.linestyle,
                linewidth=spec.linewidth, markersize=spec.markersize, label=s.label, zorder=3)
        if s.y_lower is not None:
            ax.fill_between(xs, s.y_lower, s.y_upper, color=s.color, alpha=spec.band_alpha,
                            linewidth=0, zorder=2)


def _draw_seaborn(ax: Any, spec: ChartSpec) -> None:
    rows = []
    for s in spec.series:
        xs = x_to_plot(s.x, spec.x_scale)
        for k, x in enumerate(xs):
            if s.reps is not None:
                rows.extend((x, v, s.label) for v in s.reps[k])
            else:
                rows.append((x, s.y[k], s.label))
    hue = spec.legend_title or "series"
    df = pd.DataFrame(rows, columns=["x", "y", hue])
    if spec.x_scale == "date":
        df["x"] = pd.to_datetime(df["x"])
    errorbar: Any = None
    if spec.band_method and spec.band_method.startswith("seaborn_"):
        errorbar = {"seaborn_sd": ("sd", 1), "seaborn_se": ("se", 1),
                    "seaborn_pi50": ("pi", 50)}[spec.band_method]
    labels = [s.label for s in spec.series]
    sns.lineplot(data=df, x="x", y="y", hue=hue, hue_order=labels,
                 palette={s.label: s.color for s in spec.series}, errorbar=errorbar,
                 err_kws={"alpha": spec.band_alpha, "linewidth": 0}, linewidth=spec.linewidth,
                 markersize=spec.markersize, legend=False, ax=ax, sort=True, estimator="mean")
    lines = [ln for ln in ax.get_lines() if len(ln.get_xdata())]
    for ln, s in zip(lines, spec.series, strict=True):
        ln.set_marker(s.marker or "")
        ln.set_linestyle(s.linestyle)
        ln.set_label(s.label)
        ln.set_zorder(3)
    if spec.band_method == "fill_between":
        for s in spec.series:
            if s.y_lower is not None:
                ax.fill_between(x_to_plot(s.x, spec.x_scale), s.y_lower, s.y_upper,
                                color=s.color, alpha=spec.band_alpha, linewidth=0, zorder=2)


def _draw_pandas(ax: Any, spec: ChartSpec) -> None:
    xs = x_to_plot(spec.series[0].x, spec.x_scale)
    index = pd.DatetimeIndex(xs) if spec.x_scale == "date" else pd.Index(xs, dtype=float)
    df = pd.DataFrame({s.label: s.y for s in spec.series}, index=index)
    styles = [(s.marker or "") + s.linestyle for s in spec.series]
    df.plot(ax=ax, style=styles, color=[s.color for s in spec.series], legend=False,
            logy=spec.y_scale == "log", logx=spec.x_scale == "log", x_compat=True,
            linewidth=spec.linewidth, markersize=spec.markersize, zorder=3)
    for s in spec.series:
        if s.y_lower is not None:
            ax.fill_between(xs, s.y_lower, s.y_upper, color=s.color, alpha=spec.band_alpha,
                            linewidth=0, zorder=2)


def _data_artists(ax: Any, spec: ChartSpec) -> list[Any]:
    if spec.chart_type == "scatter":
        return [c for c in ax.collections if isinstance(c, PathCollection)]
    return [ln for ln in ax.get_lines() if len(ln.get_xdata())]


def _line_samples_px(ax: Any, spec: ChartSpec) -> np.ndarray:
    """Display coordinates of the data: markers plus points along every line segment."""
    pts = []
    for art in _data_artists(ax, spec):
        if isinstance(art, PathCollection):
            pts.append(art.get_offset_transform().transform(art.get_offsets()))
            continue
        xy = art.get_transform().transform(art.get_xydata())
        t = np.linspace(0.0, 1.0, 12)[:, None]
        for a, b in zip(xy[:-1], xy[1:], strict=True):
            pts.append(a + t * (b - a))
        pts.append(xy)
    return np.concatenate(pts) if pts else np.zeros((0, 2))


def _overlap(bbox: Any, pts: np.ndarray, pad: float = 2.0) -> int:
    inside = ((pts[:, 0] >= bbox.x0 - pad) & (pts[:, 0] <= bbox.x1 + pad)
              & (pts[:, 1] >= bbox.y0 - pad) & (pts[:, 1] <= bbox.y1 + pad))
    return int(inside.sum())


def _draw(fig: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        fig.canvas.draw()


def _make_legend(fig: Any, ax: Any, spec: ChartSpec, placement: str, fontsize: Any,
                 ncols: int) -> Any:
    handles = _data_artists(ax, spec)
    labels = [s.label for s in spec.series]
    kw: dict[str, Any] = {"title": spec.legend_title, "ncols": ncols}
    if fontsize is not None:
        kw["fontsize"] = fontsize
        kw["title_fontsize"] = fontsize
    if placement == "inside":
        return ax.legend(handles, labels, loc="best", **kw)
    loc = "outside right upper" if placement == "outside_right" else "outside lower center"
    return fig.legend(handles, labels, loc=loc, **kw)


def _place_legend(fig: Any, ax: Any, spec: ChartSpec) -> Any:
    """Place the legend so that it fits the figure; may fall back to another placement.

    The final placement and font size are written back into ``spec`` (recorded in meta).
    Inside legends that cannot avoid the data get head-room by raising the top y limit.
    """
    if spec.legend == "none":
        _draw(fig)
        return None
    n = len(spec.series)
    spec.legend_requested = spec.legend
    fw, fh = fig.bbox.width, fig.bbox.height
    order = {"outside_right": ["outside_right", "below", "inside"],
             "below": ["below", "inside", "outside_right"],
             "inside": ["inside", "outside_right", "below"]}[spec.legend]
    for placement in [*order, "inside_forced"]:
        forced = placement == "inside_forced"
        placement = "inside" if forced else placement
        for fontsize in ("x-small",) if forced else (None, "small", "x-small"):
            ncol_opts = list(range(min(n, 4), 0, -1)) if placement == "below" else [1]
            for ncols in ncol_opts:
                leg = _make_legend(fig, ax, spec, placement, fontsize, ncols)
                _draw(fig)
                bb = leg.get_window_extent()
                ab = ax.get_window_extent()
                if placement == "outside_right":
                    ok = bb.width <= 0.33 * fw and bb.height <= 0.95 * fh
                elif placement == "below":
                    ok = bb.width <= 0.98 * fw and bb.height <= 0.3 * fh
                else:
                    ok = bb.width <= 0.5 * ab.width and bb.height <= 0.4 * ab.height
                if ok or forced:
                    spec.legend = placement
                    spec.legend_loc = {"inside": "best", "outside_right": "outside right upper",
                                       "below": "outside lower center"}[placement]
                    spec.legend_fontsize = fontsize
                    spec.legend_ncols = ncols
                    if placement == "inside":
                        _make_room(fig, ax, spec, leg)
                    return leg
                leg.remove()
    raise AssertionError("unreachable")


def _make_room(fig: Any, ax: Any, spec: ChartSpec, leg: Any) -> None:
    """If an inside legend covers data, raise the top y limit so the legend fits above it."""
    if _overlap(leg.get_window_extent(), _line_samples_px(ax, spec)) == 0:
        return
    ab = ax.get_window_extent()
    frac = min(0.5, (leg.get_window_extent().height + 8.0) / ab.height)
    lo, hi = ax.get_ylim()
    if spec.y_scale == "log":
        llo, lhi = math.log10(lo), math.log10(hi)
        ax.set_ylim(lo, 10 ** (lhi + (lhi - llo) * frac / (1 - frac)))
    else:
        ax.set_ylim(lo, hi + (hi - lo) * frac / (1 - frac))
    spec.legend_headroom = True
    if spec.ytick_step is not None and spec.y_scale == "linear":
        lo, hi = ax.get_ylim()
        while (hi - lo) / spec.ytick_step > 10:  # keep fixed-step ticks readable
            spec.ytick_step = round_sig(spec.ytick_step * 2, 6)
        ax.yaxis.set_major_locator(mticker.MultipleLocator(spec.ytick_step))
    _draw(fig)


def _format_axes(ax: Any, spec: ChartSpec) -> None:
    if spec.xlim is not None:
        ax.set_xlim(*spec.xlim)
    if spec.ylim is not None:
        ax.set_ylim(*spec.ylim)
    if spec.xtick_step is not None:
        ax.xaxis.set_major_locator(mticker.MultipleLocator(spec.xtick_step))
    if spec.ytick_step is not None:
        ax.yaxis.set_major_locator(mticker.MultipleLocator(spec.ytick_step))
    if spec.ytick_fmt is not None:
        ax.yaxis.set_major_formatter(mticker.FormatStrFormatter(spec.ytick_fmt))
    if spec.y_tick_style == "sci" and spec.y_scale == "linear":
        ax.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
    if spec.x_tick_style == "sci" and spec.x_scale == "linear":
        ax.ticklabel_format(axis="x", style="sci", scilimits=(0, 0))
    if spec.x_scale == "date":
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        if spec.date_formatter == "concise":
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        else:
            ax.xaxis.set_major_formatter(mdates.AutoDateFormatter(locator))
            for label in ax.get_xticklabels():
                label.set_rotation(30)
                label.set_horizontalalignment("right")
    ax.grid(spec.grid)
    if spec.title:
        ax.set_title(spec.title)
    ax.set_xlabel(spec.xlabel)
    ax.set_ylabel(spec.ylabel)


def _range_out(lim: tuple[float, float], scale: str) -> list[Any]:
    if scale == "date":
        return [num_to_iso(v) for v in lim]
    return [float(v) for v in lim]


def _bbox_px(bbox: Any, height: float) -> list[float]:
    """Display bbox -> [x0, y0, x1, y1] in image pixels (origin top-left)."""
    return [round(float(bbox.x0), 1), round(float(height - bbox.y1), 1),
            round(float(bbox.x1), 1), round(float(height - bbox.y0), 1)]


def _ticks(axis: Any, lim: tuple[float, float], scale: str) -> list[list[Any]]:
    lo, hi = min(lim), max(lim)
    out = []
    for t in axis.get_major_ticks():
        loc = float(t.get_loc())
        if lo - 1e-9 * abs(hi - lo) <= loc <= hi + 1e-9 * abs(hi - lo) and t.label1.get_visible():
            out.append([num_to_iso(loc) if scale == "date" else loc, t.label1.get_text()])
    return out


def verify_drawn(ax: Any, spec: ChartSpec, legend: Any) -> None:
    """Check that the drawn artists sit exactly where the ground truth says (pixel space)."""
    artists = _data_artists(ax, spec)
    if len(artists) != len(spec.series):
        raise AssertionError(f"{spec.chart_id}: {len(artists)} artists for "
                             f"{len(spec.series)} series")
    for art, s in zip(artists, spec.series, strict=True):
        truth = ax.transData.transform(np.column_stack([x_to_num(s.x, spec.x_scale), s.y]))
        if isinstance(art, PathCollection):
            drawn = art.get_offset_transform().transform(art.get_offsets())
        else:
            drawn = art.get_transform().transform(art.get_xydata())
        if drawn.shape != truth.shape or not np.allclose(drawn, truth, atol=1e-6):
            raise AssertionError(f"{spec.chart_id}: series {s.label!r} drawn off its truth")
    bands = [c for c in ax.collections
             if isinstance(c, PolyCollection) and not isinstance(c, PathCollection)]
    band_series = [s for s in spec.series if s.y_lower is not None]
    if len(bands) != len(band_series):
        raise AssertionError(f"{spec.chart_id}: {len(bands)} bands for {len(band_series)}")
    for coll, s in zip(bands, band_series, strict=True):
        verts = np.concatenate([coll.get_transform().transform(p.vertices)
                                for p in coll.get_paths()])
        xn = x_to_num(s.x, spec.x_scale)
        for edge in (s.y_lower, s.y_upper):
            pts = ax.transData.transform(np.column_stack([xn, edge]))
            dist = np.min(np.linalg.norm(pts[:, None, :] - verts[None, :, :], axis=2), axis=1)
            if float(dist.max()) > 1e-6:
                raise AssertionError(f"{spec.chart_id}: band of {s.label!r} off its truth")
    if legend is not None:
        texts = [t.get_text() for t in legend.get_texts()]
        if texts != [s.label for s in spec.series]:
            raise AssertionError(f"{spec.chart_id}: legend {texts}")


def check_in_range(truth: dict[str, Any]) -> None:
    """Raise if a data point (or band edge) lies outside the drawn axes limits."""
    for axis in ("x", "y"):
        scale = truth[f"{axis}_scale"]
        lo, hi = truth[f"{axis}_range"]
        if scale == "date":
            lo, hi = parse_iso(lo), parse_iso(hi)
        lo, hi = min(lo, hi), max(lo, hi)
        for s in truth["series"]:
            keys = ["x"] if axis == "x" else ["y", "y_lower", "y_upper"]
            for k in keys:
                for v in s[k] or []:
                    vv = parse_iso(v) if scale == "date" else v
                    if not lo <= vv <= hi:
                        raise AssertionError(f"{axis} value {v} outside [{lo}, {hi}]")


def truth_series(spec: ChartSpec, show_names: bool) -> list[dict[str, Any]]:
    """The ground-truth ``series`` list of ``spec``: exactly the values handed to the
    renderer (names null when the chart shows no legend)."""
    return [
        {"name": s.label if show_names else None, "x": list(s.x),
         "y": [float(v) for v in s.y],
         "y_lower": None if s.y_lower is None else [float(v) for v in s.y_lower],
         "y_upper": None if s.y_upper is None else [float(v) for v in s.y_upper]}
        for s in spec.series
    ]


def render(spec: ChartSpec, out_dir: Path, stem: str | None = None,
           also: Sequence[str] = ()) -> dict[str, Any]:
    """Draw ``spec``, write ``out_dir/STEM.{png,jpg}`` and ``STEM.json``; return the truth.

    ``also`` names extra formats saved from the same figure (e.g. ``("pdf",)`` for a vector
    copy: ``out_dir/STEM.pdf``)."""
    stem = stem or spec.chart_id.split("/")[-1]
    out_dir.mkdir(parents=True, exist_ok=True)
    apply_style(spec.style, spec.sns_context)
    fig = plt.figure(figsize=spec.figsize, dpi=spec.dpi, layout="constrained")
    try:
        ax = fig.add_subplot()
        if spec.renderer != "pandas":
            if spec.x_scale == "log":
                ax.set_xscale("log")
            if spec.y_scale == "log" and spec.renderer == "matplotlib":
                ax.set_yscale("log")
        if spec.renderer == "matplotlib":
            _draw_matplotlib(ax, spec)
        elif spec.renderer == "seaborn":
            _draw_seaborn(ax, spec)
            if spec.y_scale == "log":  # after plotting: seaborn aggregates in log space otherwise
                ax.set_yscale("log")
        elif spec.renderer == "pandas":
            _draw_pandas(ax, spec)
        else:
            raise ValueError(spec.renderer)
        _format_axes(ax, spec)
        legend = _place_legend(fig, ax, spec)
        verify_drawn(ax, spec, legend)

        width, height = fig.canvas.get_width_height()
        show_names = spec.legend != "none"
        truth: dict[str, Any] = {
            "x_scale": spec.x_scale,
            "y_scale": spec.y_scale,
            "x_range": _range_out(ax.get_xlim(), spec.x_scale),
            "y_range": _range_out(ax.get_ylim(), spec.y_scale),
            "series": truth_series(spec, show_names),
            "chart_type": spec.chart_type,
        }
        artists = _data_artists(ax, spec)
        colors = []
        for art in artists:
            c = art.get_facecolor()[0] if isinstance(art, PathCollection) else art.get_color()
            colors.append(mcolors.to_hex(c))
        truth["meta"] = {
            "generator": "scripts/make_fixtures.py",
            "generator_version": GENERATOR_VERSION,
            "profile": spec.profile,
            "chart_id": spec.chart_id,
            "seed": spec.seed_info,
            "renderer": spec.renderer,
            "style": spec.style,
            "sns_context": spec.sns_context,
            "dpi": spec.dpi,
            "size_in": list(spec.figsize),
            "size_px": [width, height],
            "format": spec.fmt,
            "jpeg_quality": spec.jpeg_quality,
            "legend": {
                "placement": spec.legend,
                "requested": spec.legend_requested,
                "loc": spec.legend_loc,
                "title": spec.legend_title,
                "fontsize": spec.legend_fontsize,
                "ncols": spec.legend_ncols if legend is not None else None,
                "headroom": spec.legend_headroom,
                "bbox_px": None if legend is None else _bbox_px(
                    legend.get_window_extent(), height),
            },
            "plot_bbox_px": _bbox_px(ax.get_window_extent(), height),
            "grid": spec.grid,
            "title": spec.title,
            "x_label": spec.xlabel,
            "y_label": spec.ylabel,
            "palette": spec.palette,
            "colors": colors,
            "markers": [s.marker for s in spec.series],
            "linestyles": [s.linestyle for s in spec.series],
            "linewidth": spec.linewidth,
            "markersize": spec.markersize,
            "band_method": spec.band_method,
            "band_alpha": spec.band_alpha if spec.band_method else None,
            "n_series": len(spec.series),
            "n_points": [len(s.x) for s in spec.series],
            "x_kind": spec.x_kind,
            "y_preset": spec.y_preset,
            "data_kind": spec.data_kind,
            "explicit_xlim": spec.xlim is not None,
            "explicit_ylim": spec.ylim is not None,
            "ytick_step": spec.ytick_step,
            "x_tick_style": spec.x_tick_style,
            "y_tick_style": spec.y_tick_style,
            "date_formatter": spec.date_formatter,
            "x_offset_text": ax.xaxis.get_offset_text().get_text(),
            "y_offset_text": ax.yaxis.get_offset_text().get_text(),
            "x_ticks": _ticks(ax.xaxis, ax.get_xlim(), spec.x_scale),
            "y_ticks": _ticks(ax.yaxis, ax.get_ylim(), spec.y_scale),
        }
        check_in_range(truth)

        image_path = out_dir / f"{stem}.{spec.fmt}"
        if spec.fmt == "png":
            fig.savefig(image_path, dpi=spec.dpi, metadata={"Software": None})
        else:
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=spec.dpi)
            buf.seek(0)
            with Image.open(buf) as im:
                im.convert("RGB").save(image_path, "JPEG", quality=spec.jpeg_quality)
        for fmt in also:
            fig.savefig(out_dir / f"{stem}.{fmt}", format=fmt, dpi=spec.dpi)
    finally:
        plt.close(fig)
    (out_dir / f"{stem}.json").write_text(json.dumps(truth, indent=1) + "\n")
    return truth


# --------------------------------------------------------------------------------------------
# Drivers
# --------------------------------------------------------------------------------------------


def make_seed(out: Path) -> list[Path]:
    """Write the seed chart to ``out/seed/chart.{png,json}``."""
    render(seed_spec(), out / "seed", "chart")
    return [out / "seed" / "chart.json"]


def make_family(out: Path, seed: int = 0) -> list[Path]:
    """Write the family charts to ``out/family/``."""
    paths = []
    for i in range(len(FAMILY_FIXED)):
        spec = family_spec(i, seed)
        stem = f"family_{i:02d}"
        render(spec, out / "family", stem)
        paths.append(out / "family" / f"{stem}.json")
    return paths


def _corpus_job(args: tuple[int, int, str, str]) -> dict[str, Any]:
    index, seed, out, renderer = args
    if renderer != "matplotlib":
        from renderers.common import render_chart

        return render_chart(renderer, index, seed, Path(out))
    spec = corpus_spec(index, seed)
    stem = f"chart_{index:05d}"
    truth = render(spec, Path(out), stem)
    m = truth["meta"]
    return {"stem": stem, "image": f"{stem}.{spec.fmt}", "chart_type": truth["chart_type"],
            "renderer": m["renderer"], "style": m["style"], "x_scale": truth["x_scale"],
            "y_scale": truth["y_scale"], "n_series": m["n_series"], "legend":
            m["legend"]["placement"], "band_method": m["band_method"], "format": m["format"],
            "size_px": m["size_px"]}


def make_corpus(n: int, seed: int, out: Path, jobs: int,
                renderers: Sequence[str] = ("matplotlib",)) -> list[dict[str, Any]]:
    """Write ``n`` corpus charts into ``out`` (parallel, deterministic) plus ``index.json``.

    Chart ``i`` is drawn by ``renderers[i % len(renderers)]`` ("matplotlib" = the
    matplotlib/seaborn/pandas mix; others from ``scripts/renderers/``).
    """
    out.mkdir(parents=True, exist_ok=True)
    tasks = [(i, seed, str(out), renderers[i % len(renderers)]) for i in range(n)]
    if jobs <= 1:
        rows = [_corpus_job(t) for t in tasks]
    else:
        with mp.get_context("fork").Pool(jobs) as pool:
            rows = list(pool.imap(_corpus_job, tasks, chunksize=4))
    index = {"seed": seed, "n": n, "generator_version": GENERATOR_VERSION, "charts": rows}
    (out / "index.json").write_text(json.dumps(index, indent=1) + "\n")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed-chart", action="store_true", help="write the seed chart")
    ap.add_argument("--family", action="store_true", help="write the family charts")
    ap.add_argument("--corpus", type=int, metavar="N", help="write N corpus charts")
    ap.add_argument("--seed", type=int, default=0, help="random seed (family and corpus)")
    ap.add_argument("--out", type=Path, help="output dir (fixtures/ or corpus/ by default)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    ap.add_argument("--renderers", default="matplotlib", metavar="A,B",
                    help="corpus renderers, taken in turn: matplotlib, gnuplot, vegalite, ggplot")
    ap.add_argument("--bars", type=int, metavar="N", help="write N bar charts (gen_bars.py)")
    args = ap.parse_args(argv)
    if args.bars:  # bar charts and histograms: scripts/gen_bars.py
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from gen_bars import make_bars

        out = args.out if args.out is not None else REPO_ROOT / "corpus"
        print(f"{len(make_bars(args.bars, args.seed, out))} bar charts -> {out}")
        if not (args.seed_chart or args.family or args.corpus):
            return 0
    renderers = [r.strip() for r in args.renderers.split(",") if r.strip()]
    if renderers != ["matplotlib"]:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from renderers.common import RENDERERS, available

        for r in renderers:
            if r != "matplotlib" and (r not in RENDERERS or not available(r)):
                ap.error(f"renderer {r!r} is unknown or not installed here")

    if not (args.seed_chart or args.family or args.corpus):
        args.seed_chart = args.family = True
    t0 = time.perf_counter()
    if args.seed_chart or args.family:
        out = args.out if args.out is not None and not args.corpus else REPO_ROOT / "fixtures"
        if args.seed_chart:
            make_seed(out)
            print(f"seed chart -> {out / 'seed'}")
        if args.family:
            paths = make_family(out, args.seed)
            print(f"{len(paths)} family charts -> {out / 'family'}")
    if args.corpus:
        out = args.out if args.out is not None else REPO_ROOT / "corpus"
        rows = make_corpus(args.corpus, args.seed, out, max(1, args.jobs), renderers)
        print(f"{len(rows)} corpus charts -> {out}")
    print(f"done in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
