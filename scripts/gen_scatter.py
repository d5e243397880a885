#!/usr/bin/env python3
"""Seeded scatter charts with exact ground truth (issue 5's scatter row).

    python scripts/gen_scatter.py --n 40 --seed 1 --out /tmp/scatter/s1

Each chart is ``scatter_NNNNN.png`` (or ``.jpg``) with ``.json`` in the project's ground-truth
schema (chart_type ``"scatter"``).  Drawn with matplotlib's ``scatter``: 1-4 series, filled
and hollow markers (circles, squares, triangles, diamonds, pentagons), crosses and pluses,
points spread at random or in tight clusters where markers overlap, with or without a legend,
opaque or translucent, at several sizes, resolutions and styles.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

STYLES = ["default", "seaborn-v0_8-whitegrid", "ggplot", "bmh", "seaborn-v0_8-ticks",
          "classic", "fivethirtyeight"]
FILLED = ["o", "s", "^", "v", "D", "p", "h", "<", ">"]
STROKED = ["x", "+"]
COLORS = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "black",
          "tab:brown", "tab:cyan"]
NAMES = ["control", "treatment", "group A", "group B", "2023", "2024", "train", "test"]


def _points(rng: np.random.Generator, n: int, layout: str) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points spread uniformly or in a few tight clusters (overlapping markers)."""
    if layout == "uniform":
        return rng.uniform(0, 100, n), rng.uniform(0, 50, n)
    k = int(rng.integers(2, 5))
    cx, cy = rng.uniform(15, 85, k), rng.uniform(8, 42, k)
    which = rng.integers(0, k, n)
    spread = float(rng.uniform(1.0, 3.5))
    return cx[which] + rng.normal(0, spread, n), cy[which] + rng.normal(0, spread / 2, n)


def _marker_style(rng: np.random.Generator) -> tuple[str, bool]:
    """A marker code and whether it is drawn hollow."""
    form = str(rng.choice(["filled", "filled", "hollow", "stroked"]))
    if form == "stroked":
        return str(rng.choice(STROKED)), False
    return str(rng.choice(FILLED)), form == "hollow"


def make_chart(index: int, seed: int, out: Path) -> dict[str, Any]:
    """Draw chart ``index`` of ``seed`` into ``out``; return its truth."""
    rng = np.random.default_rng([seed, index])
    n_series = int(rng.choice([1, 1, 2, 2, 3, 4]))
    layout = str(rng.choice(["uniform", "uniform", "clusters"]))
    style = str(rng.choice(STYLES))
    dpi = int(rng.choice([80, 100, 120, 150]))
    size = (float(rng.uniform(5, 9)), float(rng.uniform(3.5, 6)))
    markersize = float(rng.choice([4.0, 5.0, 6.0, 8.0, 10.0]))
    alpha = float(rng.choice([1.0, 1.0, 1.0, 0.6]))
    same_marker = rng.random() < 0.5
    names = list(rng.choice(NAMES, n_series, replace=False))
    colors = list(rng.choice(COLORS, n_series, replace=False))
    legend = n_series > 1 or rng.random() < 0.3
    fmt = "jpg" if rng.random() < 0.2 else "png"
    shared = _marker_style(rng)
    series, styles = [], []
    with plt.style.context(style):
        fig, ax = plt.subplots(figsize=size, dpi=dpi, layout="constrained")
        for k in range(n_series):
            marker, hollow = shared if same_marker else _marker_style(rng)
            n = int(rng.integers(10, 50))
            x, y = _points(rng, n, layout)
            x, y = np.round(x, 3), np.round(y, 3)
            colour = colors[k]
            kw: dict[str, Any] = {"marker": marker, "s": markersize**2, "alpha": alpha,
                                  "label": names[k], "zorder": 3}
            if hollow:
                kw.update(facecolors="none", edgecolors=colour,
                          linewidths=float(rng.choice([1.0, 1.5])))
            else:
                kw.update(color=colour)
                if marker in STROKED:
                    kw["linewidths"] = float(rng.choice([1.0, 1.5, 2.0]))
            ax.scatter(x, y, **kw)
            series.append({"name": names[k] if legend else None,
                           "x": [float(v) for v in x], "y": [float(v) for v in y]})
            styles.append({"marker": marker, "hollow": hollow, "color": colour})
        if legend:
            ax.legend(loc=str(rng.choice(["best", "upper left", "lower right"])))
        ax.set_xlabel("Dose (mg)")
        ax.set_ylabel("Response")
        if rng.random() < 0.5:
            ax.set_title("Response by dose")
        fig.canvas.draw()
        truth = {
            "x_scale": "linear", "y_scale": "linear",
            "x_range": [float(v) for v in ax.get_xlim()],
            "y_range": [float(v) for v in ax.get_ylim()],
            "series": series, "chart_type": "scatter",
            "meta": {"generator": "scripts/gen_scatter.py", "seed": [seed, index],
                     "style": style, "dpi": dpi, "layout": layout, "markersize": markersize,
                     "alpha": alpha, "markers": styles, "legend": legend,
                     "renderer": "matplotlib", "format": fmt,
                     "plot_bbox_px": plot_box(fig, ax),
                     "size_px": list(fig.canvas.get_width_height())},
        }
        save_chart(fig, truth, out / f"scatter_{index:05d}.{fmt}", dpi)
    return truth


def plot_box(fig: Any, ax: Any) -> list[float]:
    """The axes' box in image pixels (left, top, right, bottom), y measured down.

    Taken after the figure is drawn (a constrained layout places the axes at draw time).
    The image's rows count from the top of the canvas, whose height is the figure's
    truncated to whole pixels (Agg's), not the figure's own (fractional) height.
    """
    bb = ax.get_window_extent()
    height = fig.canvas.get_width_height()[1]
    return [float(bb.x0), float(height - bb.y1), float(bb.x1), float(height - bb.y0)]


def save_chart(fig: Any, truth: dict[str, Any], image: Path, dpi: int) -> None:
    """Write the figure to ``image`` and its truth beside it (same stem, ``.json``)."""
    fig.savefig(image, dpi=dpi)
    plt.close(fig)
    image.with_suffix(".json").write_text(json.dumps(truth, indent=1) + "\n")


def run(make: Callable[[int, int, Path], Any], doc: str, what: str, default_n: int,
        argv: Sequence[str] | None = None) -> int:
    """The command line of a chart generator: ``--n`` charts of ``--seed`` into ``--out``."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=default_n)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for i in range(args.n):
        make(i, args.seed, args.out)
    print(f"{args.n} {what} in {args.out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return run(make_chart, __doc__, "scatter charts", 40, argv)


if __name__ == "__main__":
    raise SystemExit(main())
