#!/usr/bin/env python3
"""Seeded error-bar charts with exact ground truth (issue 5's error-bar row).

    python scripts/gen_errorbars.py --n 40 --seed 0 --out /tmp/errorbars

Each chart is ``errorbar_NNNNN.png`` with ``.json`` in the project's ground-truth schema; the
error-bar ends are the series' ``y_lower``/``y_upper`` (chart_type ``"errorbar"``).  Drawn with
matplotlib's ``errorbar`` in the styles the corpus uses: 1-3 series, with or without caps,
line and/or markers, symmetric or asymmetric errors, a legend when there is more than one
series.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_scatter import plot_box  # noqa: E402

STYLES = ["default", "seaborn-v0_8-whitegrid", "ggplot", "bmh", "seaborn-v0_8-ticks",
          "classic"]
FORMATS = ["-", "o-", "s-", "o", "^", "D--"]
COLORS = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "black"]
NAMES = ["baseline", "ours", "ablation", "control", "treatment"]


def make_chart(index: int, seed: int, out: Path) -> dict:
    """Draw chart ``index`` of ``seed`` into ``out``; return its truth."""
    rng = np.random.default_rng([seed, index])
    n_series = int(rng.choice([1, 1, 2, 2, 3]))
    n = int(rng.integers(5, 13))
    x = np.round(np.sort(rng.choice(np.arange(1, 40), n, replace=False)).astype(float), 2)
    style = str(rng.choice(STYLES))
    dpi = int(rng.choice([80, 100, 120, 150]))
    size = (float(rng.uniform(6, 10)), float(rng.uniform(4, 6)))
    capsize = float(rng.choice([0, 2, 3, 4, 5]))
    names = list(rng.choice(NAMES, n_series, replace=False))
    colors = list(rng.choice(COLORS, n_series, replace=False))
    series = []
    with plt.style.context(style):
        fig, ax = plt.subplots(figsize=size, dpi=dpi, layout="constrained")
        for k in range(n_series):
            base = rng.uniform(10, 60)
            y = np.round(base + np.cumsum(rng.normal(0, 4, n)), 2)
            err = np.round(rng.uniform(1.5, 7, n), 2)
            asym = rng.random() < 0.3
            lo = err if not asym else np.round(err * rng.uniform(0.5, 1.5, n), 2)
            hi = err
            fmt = str(rng.choice(FORMATS))
            shift = (k - (n_series - 1) / 2) * 0.25  # dodge: bars of series side by side
            xs = np.round(x + shift, 3)
            ax.errorbar(xs, y, yerr=[lo, hi], fmt=fmt, capsize=capsize, color=colors[k],
                        label=names[k], markersize=float(rng.uniform(4, 7)),
                        linewidth=float(rng.choice([1.0, 1.5, 2.0])))
            series.append({"name": names[k] if n_series > 1 else None,
                           "x": [float(v) for v in xs], "y": [float(v) for v in y],
                           "y_lower": [float(v) for v in y - lo],
                           "y_upper": [float(v) for v in y + hi]})
        if n_series > 1:
            ax.legend(loc=str(rng.choice(["best", "upper left", "lower right"])))
        ax.set_xlabel("Epoch")
        ax.set_ylabel("Score")
        if rng.random() < 0.5:
            ax.set_title("Score per epoch (mean ± sd)")
        fig.canvas.draw()
        truth = {
            "x_scale": "linear", "y_scale": "linear",
            "x_range": [float(v) for v in ax.get_xlim()],
            "y_range": [float(v) for v in ax.get_ylim()],
            "series": series, "chart_type": "errorbar",
            "meta": {"generator": "scripts/gen_errorbars.py", "seed": [seed, index],
                     "style": style, "dpi": dpi, "capsize": capsize,
                     "renderer": "matplotlib", "plot_bbox_px": plot_box(fig, ax),
                     "size_px": list(fig.canvas.get_width_height())},
        }
        stem = f"errorbar_{index:05d}"
        fig.savefig(out / f"{stem}.png", dpi=dpi)
        plt.close(fig)
    (out / f"{stem}.json").write_text(json.dumps(truth, indent=1) + "\n")
    return truth


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for i in range(args.n):
        make_chart(i, args.seed, args.out)
    print(f"{args.n} error-bar charts in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
