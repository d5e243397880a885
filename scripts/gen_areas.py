#!/usr/bin/env python3
"""Seeded filled-area charts with exact ground truth (issue 5's stacked-area row).

    python scripts/gen_areas.py --n 30 --seed 1 --out /tmp/areas/s1

Each chart is ``area_NNNNN.png`` with ``.json`` in the project's ground-truth schema. Three
forms, drawn with matplotlib in several styles, sizes and resolutions:

* ``stacked`` (chart_type ``"area"``): ``stackplot`` of 2-4 layers; each layer's truth is its
  top edge (the running total), as issue 5 asks;
* ``filled`` (``"area"``): one or two areas filled down to zero, opaque or translucent;
* ``range`` (``"band"``): a band between a lower and an upper curve with no centre line; its
  truth is the middle with ``y_lower``/``y_upper``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_scatter import plot_box, run, save_chart  # noqa: E402

STYLES = ["default", "seaborn-v0_8-whitegrid", "ggplot", "bmh", "seaborn-v0_8-ticks",
          "classic"]
COLORS = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown"]
NAMES = ["north", "south", "east", "west", "other"]
FORMS = ["stacked", "stacked", "filled", "range"]


def make_chart(index: int, seed: int, out: Path) -> dict:
    """Draw chart ``index`` of ``seed`` into ``out``; return its truth."""
    rng = np.random.default_rng([seed, index])
    form = str(rng.choice(FORMS))
    n = int(rng.integers(6, 30))
    x = np.round(np.sort(rng.choice(np.arange(0, 60), n, replace=False)).astype(float), 2)
    style = str(rng.choice(STYLES))
    dpi = int(rng.choice([80, 100, 120, 150]))
    size = (float(rng.uniform(6, 10)), float(rng.uniform(4, 6)))
    k = {"stacked": int(rng.integers(2, 5)), "filled": int(rng.integers(1, 3)), "range": 1}[form]
    names = list(rng.choice(NAMES, k, replace=False))
    colors = list(rng.choice(COLORS, k, replace=False))
    series = []
    with plt.style.context(style):
        fig, ax = plt.subplots(figsize=size, dpi=dpi, layout="constrained")
        if form == "stacked":
            ys = np.round(rng.uniform(2, 10, (k, 1)) + np.abs(
                np.cumsum(rng.normal(0, 1.5, (k, n)), axis=1)), 2)
            ax.stackplot(x, ys, labels=names, colors=colors,
                         alpha=float(rng.choice([1.0, 1.0, 0.8])))
            tops = np.cumsum(ys, axis=0)
            for j in range(k):
                series.append({"name": names[j], "x": [float(v) for v in x],
                               "y": [float(v) for v in np.round(tops[j], 4)],
                               "y_lower": None, "y_upper": None})
            ax.legend(loc="upper left")
        elif form == "filled":
            alpha = float(rng.choice([1.0, 0.5]) if k == 1 else 0.5)
            for j in range(k):
                y = np.round(rng.uniform(5, 30) + np.cumsum(rng.normal(0, 3, n)), 2)
                y = np.maximum(y, 1.0)
                ax.fill_between(x, 0, y, color=colors[j], alpha=alpha, linewidth=0,
                                label=names[j])
                series.append({"name": names[j] if k > 1 else None,
                               "x": [float(v) for v in x], "y": [float(v) for v in y],
                               "y_lower": None, "y_upper": None})
            if k > 1:
                ax.legend(loc="upper left")
        else:
            mid = np.round(rng.uniform(10, 40) + np.cumsum(rng.normal(0, 2, n)), 2)
            half = np.round(rng.uniform(2, 8, n), 2)
            ax.fill_between(x, mid - half, mid + half, color=colors[0],
                            alpha=float(rng.choice([1.0, 0.6, 0.3])), linewidth=0)
            series.append({"name": None, "x": [float(v) for v in x],
                           "y": [float(v) for v in mid],
                           "y_lower": [float(v) for v in np.round(mid - half, 4)],
                           "y_upper": [float(v) for v in np.round(mid + half, 4)]})
        ax.set_xlabel("Week")
        ax.set_ylabel("Volume")
        fig.canvas.draw()
        truth = {
            "x_scale": "linear", "y_scale": "linear",
            "x_range": [float(v) for v in ax.get_xlim()],
            "y_range": [float(v) for v in ax.get_ylim()],
            "series": series, "chart_type": "band" if form == "range" else "area",
            "meta": {"generator": "scripts/gen_areas.py", "seed": [seed, index], "form": form,
                     "style": style, "dpi": dpi, "renderer": "matplotlib",
                     "plot_bbox_px": plot_box(fig, ax),
                     "size_px": list(fig.canvas.get_width_height())},
        }
        save_chart(fig, truth, out / f"area_{index:05d}.png", dpi)
    return truth


def main(argv: Sequence[str] | None = None) -> int:
    return run(make_chart, __doc__, "filled-area charts", 30, argv)


if __name__ == "__main__":
    raise SystemExit(main())
