#!/usr/bin/env python3
"""Seeded generator of bar charts and histograms with exact ground truth.

Kinds (the truth's ``chart_type``, one benchmark row each):

- ``bar``: one series of vertical bars over category labels;
- ``bar_grouped``: 2-4 series side by side per category, named by the legend;
- ``bar_stacked``: 2-4 series stacked per category;
- ``bar_horizontal``: single, grouped or stacked bars drawn horizontally;
- ``histogram``: vertical bars over numeric bins (x is the bin centre).

Truth convention (the project schema, ``fixtures/*.json``): one point per bar; ``x`` is the
category label (``x_scale`` "category", with ``x_labels`` in category order) or the numeric bin
centre for histograms; ``y`` is the bar's value.  Stacked segments carry their own height in
``y``, their bottom in ``y_lower`` and their top in ``y_upper``; single and grouped bars have
``y_lower``/``y_upper`` null.  **Horizontal bars are written in the same orientation-free
form**: ``x`` is the category (read on the image's vertical axis) and ``y`` the value (read on
the image's horizontal axis); ``y_range`` is the value axis' limits and ``meta.orientation`` is
"horizontal".  Values may be negative (single and grouped bars only).

Usage::

    python scripts/gen_bars.py --n 30 --seed 0 --out /tmp/bars
    python scripts/make_fixtures.py --bars 30 --seed 0 --out /tmp/bars   # same charts
"""

from __future__ import annotations

import argparse
import json
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib import colors as mcolors
from matplotlib.patches import Rectangle

matplotlib.use("Agg")

GENERATOR_VERSION = 1
KINDS = ["bar", "bar_grouped", "bar_stacked", "bar_horizontal", "histogram"]
KIND_P = [0.22, 0.22, 0.2, 0.2, 0.16]
STYLES = [
    "mpl:default", "mpl:classic", "mpl:ggplot", "mpl:bmh", "mpl:fivethirtyeight",
    "mpl:seaborn-v0_8-whitegrid", "mpl:seaborn-v0_8-darkgrid", "mpl:tableau-colorblind10",
    "mpl:Solarize_Light2", "sns:whitegrid", "sns:darkgrid", "sns:white", "sns:ticks",
]
PALETTES = ["style", "tab10", "deep", "muted", "Set2", "colorblind", "dark", "pastel"]
WORDS = [
    ["North", "South", "East", "West", "Central", "Coast", "Inland", "Islands"],
    ["Apples", "Pears", "Plums", "Cherries", "Grapes", "Melons", "Kiwis", "Lemons", "Limes"],
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    ["Q1", "Q2", "Q3", "Q4"],
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "kappa"],
    ["Ford", "Toyota", "Honda", "Volvo", "Fiat", "Skoda", "Mazda", "Audi", "Seat"],
    ["2018", "2019", "2020", "2021", "2022", "2023", "2024"],
]
SERIES_NAMES = [
    ["Men", "Women"], ["2022", "2023", "2024", "2025"], ["Control", "Treated", "Placebo"],
    ["Batch A", "Batch B", "Batch C", "Batch D"], ["low", "medium", "high", "extreme"],
    ["Sales", "Costs", "Profit"],
]


def _apply_style(style: str, context: str) -> None:
    matplotlib.rcdefaults()
    kind, name = style.split(":", 1)
    if kind == "sns":
        # no colour codes: seaborn's ('k' a dark grey) would outlive the chart in matplotlib
        sns.set_theme(style=name, context=context, color_codes=False)
    else:
        plt.style.use(name)
    matplotlib.rcParams["savefig.bbox"] = None
    matplotlib.rcParams["path.simplify"] = True


def _colors(name: str, n: int) -> list[str]:
    if name == "style":
        cyc = matplotlib.rcParams["axes.prop_cycle"].by_key().get("color", ["C0"])
        return [mcolors.to_hex(cyc[i % len(cyc)]) for i in range(n)]
    if name == "tab10":
        return [mcolors.to_hex(c) for c in matplotlib.colormaps["tab10"].colors[:n]]
    return [mcolors.to_hex(c) for c in sns.color_palette(name, n)]


def _nice(v: float, decimals: int) -> float:
    return float(round(v, decimals))


def sample_spec(index: int, seed: int) -> dict[str, Any]:
    """The options of bar chart ``index`` of the corpus with ``seed`` (deterministic)."""
    rng = np.random.default_rng([seed, index, 0xBA5])
    kind = str(rng.choice(KINDS, p=KIND_P))
    layout = kind
    if kind == "bar_horizontal":
        layout = str(rng.choice(["bar", "bar_grouped", "bar_stacked"]))
    n_series = 1 if layout in ("bar", "histogram") else int(rng.integers(2, 5))
    renderer = str(rng.choice(["matplotlib", "pandas", "seaborn"], p=[0.45, 0.3, 0.25]))
    if layout == "bar_stacked" and renderer == "seaborn":
        renderer = "pandas"  # seaborn does not stack bars (histplot multiple="stack" aside)
    scale = float(10 ** rng.integers(0, 4)) * float(rng.choice([1, 2.5, 5]))
    decimals = max(0, 2 - int(np.log10(scale)))
    negatives = layout in ("bar", "bar_grouped") and rng.random() < 0.25
    spec: dict[str, Any] = {
        "index": index, "seed": seed, "kind": kind, "layout": layout,
        "horizontal": kind == "bar_horizontal", "n_series": n_series, "renderer": renderer,
        "style": str(rng.choice(STYLES)),
        "context": str(rng.choice(["paper", "notebook", "notebook", "talk"])),
        "palette": str(rng.choice(PALETTES)),
        "dpi": int(rng.choice([72, 100, 100, 120])),
        "figsize": (float(rng.uniform(5.0, 8.0)), float(rng.uniform(3.6, 5.5))),
        "edge": str(rng.choice(["none", "none", "black", "white", "darker"])),
        "edge_width": float(rng.choice([0.5, 0.8, 1.0, 1.5])),
        "width": float(rng.uniform(0.55, 0.9)),
        "grid": bool(rng.random() < 0.5),
        "legend": layout != "bar" and layout != "histogram" and rng.random() < 0.85
        or (layout == "bar" and rng.random() < 0.15),
        "title": bool(rng.random() < 0.5),
        "rotate": int(rng.choice([0, 0, 0, 0, 0, 0, 30, 45, 90])),
    }
    if layout == "histogram":
        n_bins = int(rng.integers(6, 25))
        lo = _nice(float(rng.uniform(-50, 50)) * scale / 10, decimals)
        step = float(rng.choice([0.5, 1, 2, 2.5, 5])) * scale / 10
        edges = [_nice(lo + i * step, decimals + 2) for i in range(n_bins + 1)]
        shape = np.exp(-0.5 * ((np.arange(n_bins) - rng.uniform(0.3, 0.7) * n_bins)
                               / (n_bins * rng.uniform(0.15, 0.4))) ** 2)
        counts = np.round(shape * float(rng.integers(20, 400)) + rng.integers(0, 5, n_bins))
        spec["edges"] = edges
        spec["values"] = [[float(c) for c in counts]]
        spec["edge"] = str(rng.choice(["none", "black", "white", "darker"]))
        spec["renderer"] = str(rng.choice(["matplotlib", "seaborn"]))
        spec["legend"] = False
        return spec
    words = list(WORDS[int(rng.integers(len(WORDS)))])
    max_cats = 10 if layout == "bar" else 7
    n_cats = int(rng.integers(3, min(len(words), max_cats) + 1))
    start = int(rng.integers(0, len(words) - n_cats + 1))
    spec["categories"] = words[start : start + n_cats]
    names = list(SERIES_NAMES[int(rng.integers(len(SERIES_NAMES)))])
    while len(names) < n_series:
        names.append(f"Group {len(names) + 1}")
    spec["names"] = names[:n_series] if n_series > 1 else ["value"]
    values = []
    for _ in range(n_series):
        base = rng.uniform(0.2, 1.0, n_cats)
        if negatives:
            base = base * rng.choice([-1, 1, 1], n_cats)
        values.append([_nice(float(v) * scale, decimals) for v in base])
    spec["values"] = values
    return spec


def custom_spec(kind: str, values: list[list[float]], *, layout: str | None = None,
                categories: list[str] | None = None, names: list[str] | None = None,
                edges: list[float] | None = None, **options: Any) -> dict[str, Any]:
    """A hand-made spec (tests): ``kind`` and the data; drawing options default to plain
    matplotlib (``renderer``, ``style``, ``edge``, ``legend``, ``grid``... may be given)."""
    layout = layout or kind
    spec: dict[str, Any] = {
        "index": 0, "seed": -1, "kind": kind, "layout": layout,
        "horizontal": kind == "bar_horizontal", "n_series": len(values),
        "renderer": "matplotlib", "style": "mpl:default", "context": "notebook",
        "palette": "tab10", "dpi": 100, "figsize": (6.4, 4.8), "edge": "none",
        "edge_width": 1.0, "width": 0.8, "grid": False, "legend": len(values) > 1,
        "title": False, "rotate": 0, "values": values,
    }
    if layout == "histogram":
        spec["edges"] = edges
        spec["legend"] = False
    else:
        spec["categories"] = categories
        spec["names"] = names or ["value"]
    spec.update(options)
    return spec


def _bar_kwargs(spec: dict[str, Any], color: str) -> dict[str, Any]:
    kw: dict[str, Any] = {"facecolor": color}
    if spec["edge"] == "black":
        kw.update(edgecolor="black", linewidth=spec["edge_width"])
    elif spec["edge"] == "white":
        kw.update(edgecolor="white", linewidth=spec["edge_width"])
    elif spec["edge"] == "darker":
        dark = np.array(mcolors.to_rgb(color)) * 0.6
        kw.update(edgecolor=mcolors.to_hex(dark), linewidth=spec["edge_width"])
    else:
        kw.update(linewidth=0)
    return kw


def _draw(ax: Any, spec: dict[str, Any], cols: list[str]) -> None:
    """Draw the bars of ``spec`` on ``ax`` with the chosen renderer."""
    horiz = spec["horizontal"]
    layout = spec["layout"]
    if layout == "histogram":
        edges = np.array(spec["edges"])
        counts = np.array(spec["values"][0])
        centres = (edges[:-1] + edges[1:]) / 2
        kw = _bar_kwargs(spec, cols[0])
        if spec["renderer"] == "seaborn":
            frame = pd.DataFrame({"x": centres, "w": counts})
            sns.histplot(frame, x="x", weights="w", bins=list(edges), ax=ax, color=cols[0],
                         alpha=1.0, edgecolor=kw.get("edgecolor", "none"),
                         linewidth=kw.get("linewidth", 0))
        else:
            ax.hist(centres, bins=edges, weights=counts, **kw)
        return
    cats = spec["categories"]
    vals = spec["values"]
    n = len(vals)
    if spec["renderer"] == "pandas":
        frame = pd.DataFrame({name: v for name, v in zip(spec["names"], vals, strict=True)},
                             index=cats)
        kw = _bar_kwargs(spec, cols[0])
        kw.pop("facecolor")
        frame.plot(kind="barh" if horiz else "bar", stacked=layout == "bar_stacked", ax=ax,
                   color=cols[:n], width=spec["width"], legend=False, rot=0, **kw)
        return
    if spec["renderer"] == "seaborn":
        rows = [{"cat": c, "series": name, "value": v}
                for name, vs in zip(spec["names"], vals, strict=True)
                for c, v in zip(cats, vs, strict=True)]
        frame = pd.DataFrame(rows)
        kw = _bar_kwargs(spec, cols[0])
        kw.pop("facecolor")
        xy = {"y": "cat", "x": "value"} if horiz else {"x": "cat", "y": "value"}
        sns.barplot(frame, **xy, hue="series", palette=cols[:n], errorbar=None, ax=ax,
                    width=spec["width"], saturation=1.0, legend=False, **kw)
        return
    pos = np.arange(len(cats), dtype=float)
    bottom = np.zeros(len(cats))
    width = spec["width"]
    for k, v in enumerate(vals):
        kw = _bar_kwargs(spec, cols[k])
        if layout == "bar_stacked":
            where, w, base = pos, width, bottom.copy()
            bottom = bottom + np.array(v)
        else:
            where, w, base = pos - width / 2 + (k + 0.5) * width / n, width / n, np.zeros(len(v))
        if horiz:
            ax.barh(where, v, height=w, left=base, label=spec["names"][k], **kw)
        else:
            ax.bar(where, v, width=w, bottom=base, label=spec["names"][k], **kw)
    (ax.set_yticks if horiz else ax.set_xticks)(pos, cats)


def _data_rects(ax: Any) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_visible()
            and (p.get_width() != 0 or p.get_height() != 0)]


def _verify(ax: Any, spec: dict[str, Any], truth: dict[str, Any]) -> None:
    """Every truth bar is a drawn rectangle (value axis extent within 1e-9 of the span)."""
    rects = _data_rects(ax)
    horiz = spec["horizontal"]
    spans = []
    for r in rects:
        if horiz:
            lo, hi = r.get_x(), r.get_x() + r.get_width()
        else:
            lo, hi = r.get_y(), r.get_y() + r.get_height()
        spans.append((min(lo, hi), max(lo, hi)))
    want = []
    for s in truth["series"]:
        for k, y in enumerate(s["y"]):
            if y == 0:
                continue
            if s["y_lower"] is not None:
                want.append((s["y_lower"][k], s["y_upper"][k]))
            else:
                want.append((min(0.0, y), max(0.0, y)))
    lo, hi = truth["y_range"]
    tol = 1e-9 * (hi - lo)
    for w in want:
        if not any(abs(a - w[0]) <= tol and abs(b - w[1]) <= tol for a, b in spans):
            raise AssertionError(f"bar {w} not drawn (chart {spec['index']})")
    if len(spans) != len(want):
        raise AssertionError(f"{len(spans)} rectangles drawn for {len(want)} bars")


def _truth(spec: dict[str, Any]) -> dict[str, Any]:
    series = []
    if spec["layout"] == "histogram":
        edges = spec["edges"]
        centres = [float(round((a + b) / 2, 10)) for a, b in zip(edges[:-1], edges[1:],
                                                                   strict=True)]
        series.append({"name": None, "x": centres, "y": spec["values"][0],
                       "y_lower": None, "y_upper": None})
        return {"x_scale": "linear", "y_scale": "linear", "series": series}
    cats = spec["categories"]
    bottom = np.zeros(len(cats))
    show = spec["legend"]
    for name, v in zip(spec["names"], spec["values"], strict=True):
        s: dict[str, Any] = {"name": name if show else None, "x": list(cats), "y": list(v),
                             "y_lower": None, "y_upper": None}
        if spec["layout"] == "bar_stacked":
            top = bottom + np.array(v)
            s["y_lower"] = [float(round(b, 10)) for b in bottom]
            s["y_upper"] = [float(round(t, 10)) for t in top]
            bottom = top
        series.append(s)
    return {"x_scale": "category", "x_labels": list(cats), "y_scale": "linear",
            "series": series}


def render(spec: dict[str, Any], out_dir: Path, stem: str) -> dict[str, Any]:
    """Draw ``spec``; write ``out_dir/STEM.png`` and ``STEM.json``; return the truth. The
    chart's style is undone afterwards (a test drawing charts of its own after it is not
    drawn in it)."""
    with matplotlib.rc_context():
        return _render(spec, out_dir, stem)


def _render(spec: dict[str, Any], out_dir: Path, stem: str) -> dict[str, Any]:
    out_dir.mkdir(parents=True, exist_ok=True)
    _apply_style(spec["style"], spec["context"])
    cols = _colors(spec["palette"], spec["n_series"])
    fig = plt.figure(figsize=spec["figsize"], dpi=spec["dpi"], layout="constrained")
    try:
        ax = fig.add_subplot()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _draw(ax, spec, cols)
        horiz = spec["horizontal"]
        ax.grid(spec["grid"], axis="x" if horiz else "y")
        if not spec["grid"]:
            ax.grid(False)
        if spec["rotate"] and not horiz and spec["layout"] != "histogram":
            for lab in ax.get_xticklabels():
                lab.set_rotation(spec["rotate"])
                lab.set_ha("right" if spec["rotate"] < 90 else "center")
        if spec["title"]:
            ax.set_title(f"{spec['kind'].replace('_', ' ').title()} {spec['index']}")
        value_label = "Count" if spec["layout"] == "histogram" else "Value"
        (ax.set_xlabel if horiz else ax.set_ylabel)(value_label)
        if spec["legend"]:
            handles = [Rectangle((0, 0), 1, 1, **_bar_kwargs(spec, c))
                       for c in cols[: spec["n_series"]]]
            ax.legend(handles, spec["names"], loc="best")
        if horiz:
            ax.set_ylabel("")
        else:
            ax.set_xlabel("")
        fig.canvas.draw()
        truth = _truth(spec)
        vlim = ax.get_xlim() if horiz else ax.get_ylim()
        truth["y_range"] = [float(min(vlim)), float(max(vlim))]
        if spec["layout"] == "histogram":
            truth["x_range"] = [float(v) for v in ax.get_xlim()]
        truth["chart_type"] = spec["kind"]
        _verify(ax, spec, truth)
        width, height = fig.canvas.get_width_height()
        truth["meta"] = {
            "generator": "scripts/gen_bars.py", "generator_version": GENERATOR_VERSION,
            "index": spec["index"], "seed": spec["seed"], "renderer": spec["renderer"],
            "style": spec["style"], "layout": spec["layout"],
            "orientation": "horizontal" if horiz else "vertical", "edge": spec["edge"],
            "legend": spec["legend"], "colors": cols[: spec["n_series"]], "dpi": spec["dpi"],
            "size_px": [width, height],
        }
        if not horiz:  # (a horizontal chart's truth names its value axis y: no box then)
            bb = ax.get_window_extent()
            truth["meta"]["plot_bbox_px"] = [float(bb.x0), float(height - bb.y1),
                                             float(bb.x1), float(height - bb.y0)]
        fig.savefig(out_dir / f"{stem}.png", dpi=spec["dpi"], metadata={"Software": None})
    finally:
        plt.close(fig)
    (out_dir / f"{stem}.json").write_text(json.dumps(truth, indent=1) + "\n")
    return truth


def make_bars(n: int, seed: int, out: Path, first: int = 0) -> list[dict[str, Any]]:
    """Write ``n`` bar charts ``bar_XXXXX.png/json`` into ``out``; returns index rows."""
    rows = []
    for i in range(first, first + n):
        spec = sample_spec(i, seed)
        stem = f"bar_{i:05d}"
        truth = render(spec, out, stem)
        rows.append({"stem": stem, "image": f"{stem}.png", "chart_type": truth["chart_type"],
                     "renderer": spec["renderer"], "style": spec["style"],
                     "layout": spec["layout"], "n_series": spec["n_series"]})
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=30, help="number of charts")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    rows = make_bars(args.n, args.seed, args.out)
    print(f"{len(rows)} bar charts -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
