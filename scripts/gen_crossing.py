#!/usr/bin/env python3
"""Seeded charts whose axes cross inside the plot, with exact ground truth (issue 4's layouts).

    python scripts/gen_crossing.py --n 20 --seed 1 --out /tmp/crossing/s1

Each chart is ``cross_NNNNN.png`` with ``.json`` in the project's ground-truth schema. The
data run through negative and positive values and the spines are moved into the plot, as
matplotlib users do for a function plot (``set_position("zero")``) and as spreadsheets draw
an axis crossing at a value: both axes through zero, only the x axis through zero (y labels
in the left margin), or only the y axis (x labels below). The tick labels then sit inside
the plot beside the crossing lines. Lines with or without markers, or a scatter, in several
styles, sizes and resolutions.
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

STYLES = ["default", "seaborn-v0_8-white", "seaborn-v0_8-ticks", "classic", "bmh"]
COLORS = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "black"]
NAMES = ["model", "baseline", "fit", "signal", "control"]
CROSSING = ["both", "both", "x", "y"]
FORMS = ["line", "line", "markers", "scatter"]


def make_chart(index: int, seed: int, out: Path) -> dict:
    """Draw chart ``index`` of ``seed`` into ``out``; return its truth."""
    rng = np.random.default_rng([seed, index])
    crossing = str(rng.choice(CROSSING))
    form = str(rng.choice(FORMS))
    style = str(rng.choice(STYLES))
    dpi = int(rng.choice([80, 100, 120, 150]))
    size = (float(rng.uniform(5, 9)), float(rng.uniform(3.5, 6)))
    k = int(rng.integers(1, 3))
    n = int(rng.integers(12, 40))
    x_lo = float(rng.uniform(-12, -2)) if crossing in ("both", "y") else 0.0
    x_hi = float(rng.uniform(2, 12))
    x = np.round(np.linspace(x_lo, x_hi, n), 3)
    names = list(rng.choice(NAMES, k, replace=False))
    colors = list(rng.choice(COLORS, k, replace=False))
    series = []
    with plt.style.context(style):
        fig, ax = plt.subplots(figsize=size, dpi=dpi, layout="constrained")
        for j in range(k):
            amp = float(rng.uniform(1, 20))
            phase = float(rng.uniform(0, 6))
            freq = float(rng.uniform(0.2, 1.2))
            y = amp * np.sin(freq * x + phase) + rng.normal(0, 0.05 * amp, n)
            if crossing == "y":  # the x axis stays at the bottom: the data keep one sign
                y = np.abs(y) + 0.1 * amp
            y = np.round(y, 3)
            if form == "scatter":
                ax.scatter(x, y, s=float(rng.uniform(12, 40)), color=colors[j], label=names[j])
            else:
                ax.plot(x, y, color=colors[j], label=names[j],
                        marker="o" if form == "markers" else None, ms=4,
                        lw=float(rng.uniform(1.0, 2.5)))
            series.append({"name": names[j] if k > 1 else None, "x": [float(v) for v in x],
                           "y": [float(v) for v in y], "y_lower": None, "y_upper": None})
        if crossing in ("both", "y"):
            ax.spines["left"].set_position("zero")
            ax.spines["right"].set_visible(False)
        if crossing in ("both", "x"):
            ax.spines["bottom"].set_position("zero")
            ax.spines["top"].set_visible(False)
        if k > 1:
            ax.legend(loc=str(rng.choice(["upper left", "upper right", "lower right"])))
        fig.canvas.draw()
        truth = {
            "x_scale": "linear", "y_scale": "linear",
            "x_range": [float(v) for v in ax.get_xlim()],
            "y_range": [float(v) for v in ax.get_ylim()],
            "series": series, "chart_type": "scatter" if form == "scatter" else "line",
            "meta": {"generator": "scripts/gen_crossing.py", "seed": [seed, index],
                     "crossing": crossing, "form": form, "style": style, "dpi": dpi,
                     "renderer": "matplotlib", "plot_bbox_px": plot_box(fig, ax),
                     "size_px": list(fig.canvas.get_width_height())},
        }
        save_chart(fig, truth, out / f"cross_{index:05d}.png", dpi)
    return truth


def main(argv: Sequence[str] | None = None) -> int:
    return run(make_chart, __doc__, "crossing-axes charts", 20, argv)


if __name__ == "__main__":
    raise SystemExit(main())
