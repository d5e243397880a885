#!/usr/bin/env python3
"""Seeded line charts told apart by dash pattern or marker (issue 5's dashed and same-colour rows).

    python scripts/gen_styles.py --n 30 --seed 1 --out /tmp/styles/s1

Two kinds of chart, each with exact ground truth in the project's schema:

- ``line_dashed``: 2-4 lines of different colours drawn dashed, dotted or dash-dotted (some
  solid), crossing each other, with or without markers;
- ``line_same_color``: 2-3 lines of one colour told apart only by dash pattern or only by
  marker shape, named in a legend.

Drawn with matplotlib at several sizes, resolutions and styles; the truth records the plot box
(``meta.plot_bbox_px``) so the benchmark scores the axes at their true ends.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_scatter import plot_box, run, save_chart  # noqa: E402

STYLES = ["default", "seaborn-v0_8-whitegrid", "ggplot", "bmh", "seaborn-v0_8-ticks",
          "classic", "seaborn-v0_8-darkgrid"]
DASHES = ["--", ":", "-."]
MARKERS = ["o", "s", "^", "D", "v", "x"]
COLORS = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "black", "tab:brown"]
NAMES = ["baseline", "ours", "ablation", "model A", "model B", "train", "validation", "test"]


def _curve(rng: np.random.Generator, n: int) -> np.ndarray:
    """A random walk with a trend: lines of one chart cross now and then."""
    trend = float(rng.uniform(-1, 1))
    return np.round(50 + np.cumsum(rng.normal(trend, 4, n)), 2)


def make_chart(index: int, seed: int, out: Path) -> dict[str, Any]:
    """Draw chart ``index`` of ``seed`` into ``out``; return its truth."""
    rng = np.random.default_rng([seed, index])
    kind = "line_same_color" if index % 2 else "line_dashed"
    n_series = int(rng.choice([2, 3])) if kind == "line_same_color" else int(rng.integers(2, 5))
    style = str(rng.choice(STYLES))
    dpi = int(rng.choice([80, 100, 120]))
    size = (float(rng.uniform(5.5, 8.5)), float(rng.uniform(3.5, 5.5)))
    linewidth = float(rng.choice([1.0, 1.5, 2.0, 2.5]))
    n = int(rng.integers(8, 25))
    x = np.arange(n, dtype=float) * float(rng.choice([1, 5, 10]))
    names = [str(v) for v in rng.choice(NAMES, n_series, replace=False)]
    fmt = "jpg" if rng.random() < 0.15 else "png"
    if kind == "line_same_color":
        colour = str(rng.choice(COLORS))
        by = str(rng.choice(["dash", "marker"]))
        colors = [colour] * n_series
        if by == "dash":
            styles = ["-"] + [str(v) for v in rng.choice(DASHES, n_series - 1, replace=False)]
            markers: list[str | None] = [None] * n_series
        else:
            styles = ["-"] * n_series
            markers = [str(v) for v in rng.choice(MARKERS, n_series, replace=False)]
    else:
        by = "colour"
        colors = [str(v) for v in rng.choice(COLORS, n_series, replace=False)]
        styles = [str(rng.choice(DASHES + ["-"])) for _ in range(n_series)]
        if all(s == "-" for s in styles):
            styles[0] = "--"
        marker = str(rng.choice(MARKERS)) if rng.random() < 0.3 else None
        markers = [marker] * n_series
    series, drawn = [], []
    with plt.style.context(style):
        fig, ax = plt.subplots(figsize=size, dpi=dpi, layout="constrained")
        for k in range(n_series):
            y = _curve(rng, n)
            ax.plot(x, y, color=colors[k], linestyle=styles[k], marker=markers[k],
                    linewidth=linewidth, markersize=float(rng.choice([5.0, 6.0, 7.0])),
                    label=names[k])
            series.append({"name": names[k], "x": [float(v) for v in x],
                           "y": [float(v) for v in y], "y_lower": None, "y_upper": None})
            drawn.append({"color": colors[k], "linestyle": styles[k], "marker": markers[k]})
        ax.legend(loc=str(rng.choice(["best", "upper left", "lower right"])))
        ax.set_xlabel("Step")
        ax.set_ylabel("Score")
        if rng.random() < 0.5:
            ax.set_title("Score by step")
        fig.canvas.draw()
        truth = {
            "x_scale": "linear", "y_scale": "linear",
            "x_range": [float(v) for v in ax.get_xlim()],
            "y_range": [float(v) for v in ax.get_ylim()],
            "series": series, "chart_type": kind,
            "meta": {"generator": "scripts/gen_styles.py", "seed": [seed, index],
                     "style": style, "dpi": dpi, "told_apart_by": by, "linewidth": linewidth,
                     "series_styles": drawn, "renderer": "matplotlib", "format": fmt,
                     "plot_bbox_px": plot_box(fig, ax),
                     "size_px": list(fig.canvas.get_width_height())},
        }
        save_chart(fig, truth, out / f"styles_{index:05d}.{fmt}", dpi)
    return truth


def main(argv: Sequence[str] | None = None) -> int:
    return run(make_chart, __doc__, "line-style charts", 30, argv)


if __name__ == "__main__":
    raise SystemExit(main())
