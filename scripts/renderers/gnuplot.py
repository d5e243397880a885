"""Draw a ChartSpec with gnuplot's pngcairo terminal and write image + truth.

The axis limits in the truth are gnuplot's own (``GPVAL_X_MIN`` ... after the plot), so the
autoscaled, tic-extended ranges are exactly what was drawn.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from . import common
from .common import mf

# matplotlib marker -> gnuplot point type (pngcairo numbering)
POINT_TYPES = {"o": 7, "s": 5, "^": 9, "v": 11, "<": 9, ">": 9, "D": 13, "d": 13, "p": 15,
               "*": 3, "h": 15, "x": 2, "+": 1, ".": 7}
DASH = {"-": 1, "--": 2, ":": 3, "-.": 4}
KEYS = {
    "top_right": "set key top right",
    "top_left": "set key top left",
    "bottom_right": "set key bottom right",
    "outside_right": "set key outside right top",
    "below": "set key below horizontal",
    "boxed": "set key top right box opaque",
}
DATE_FORMATS = {
    "monthly": ["%b %Y", "%Y-%m", "%m/%Y"],
    "weekly": ["%Y-%m-%d", "%d %b %Y", "%d/%m/%Y"],
    "daily": ["%Y-%m-%d", "%d %b %Y", "%d/%m/%Y"],
    "hourly": ["%Y-%m-%d %H:%M"],
}


def _q(text: str) -> str:
    """A gnuplot double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _x_text(v: Any, scale: str) -> str:
    if scale == "date":
        return mf.parse_iso(v).strftime("%Y-%m-%dT%H:%M:%S")
    return repr(float(v))


def build_script(spec: mf.ChartSpec, rng: np.random.Generator, png: Path) -> tuple[str, dict]:
    """The gnuplot script for ``spec`` and the renderer choices made (for the meta).

    Parameters
    ----------
    spec : make_fixtures.ChartSpec
        What to draw.
    rng : numpy.random.Generator
        Source of the renderer's own choices (size, font, key, grid, borders, formats).
    png : Path
        Output image.

    Returns
    -------
    tuple
        ``(script, choices)``.
    """
    w, h = [(640, 480), (800, 500), (900, 560), (1000, 600), (720, 540), (1200, 700),
            (560, 420)][int(rng.integers(7))]
    font_size = int(rng.choice([9, 10, 11, 12, 14]))
    if spec.legend == "none":
        key = "none"
    elif spec.legend == "outside_right":
        key = "outside_right"
    elif spec.legend == "below":
        key = "below"
    else:
        key = str(rng.choice(["top_right", "top_left", "bottom_right", "boxed"]))
    grid = str(rng.choice(["none", "dotted", "solid"]))
    border = str(rng.choice(["box", "box", "two"]))
    tics_out = bool(rng.random() < 0.3)
    own_colors = bool(rng.random() < 0.6)
    autofix = bool(rng.random() < 0.25)
    log_fmt = str(rng.choice(["default", "power"]))
    date_fmt = None
    rotate = False
    if spec.x_scale == "date":
        date_fmt = str(rng.choice(DATE_FORMATS[spec.x_kind]))
        rotate = len(date_fmt) > 7 or bool(rng.random() < 0.3)
    colors = common.resolve_colors(spec)

    lines = [
        f"set terminal pngcairo size {w},{h} enhanced font {_q(f'Sans,{font_size}')}",
        f"set output {_q(str(png))}",
        "set encoding utf8",
        f"set xlabel {_q(spec.xlabel)} noenhanced",
        f"set ylabel {_q(spec.ylabel)} noenhanced",
    ]
    if spec.title:
        lines.append(f"set title {_q(spec.title)} noenhanced")
    lines.append("set key off" if key == "none" else KEYS[key])
    if key not in ("none", "outside_right", "below") and spec.legend_title:
        lines.append(f"set key title {_q(spec.legend_title)}")
    if grid == "dotted":
        lines.append("set grid")
    elif grid == "solid":
        lines.append('set grid lt 1 lc rgb "#d0d0d0" lw 1')
    if border == "two":
        lines += ["set border 3", "set xtics nomirror", "set ytics nomirror"]
    if tics_out:
        lines.append("set tics out")
    if spec.x_scale == "log":
        lines.append("set logscale x")
    if spec.y_scale == "log":
        lines.append("set logscale y")
        if log_fmt == "power":
            lines.append('set format y "10^{%L}"')
    if spec.x_scale == "log" and log_fmt == "power":
        lines.append('set format x "10^{%L}"')
    if spec.x_scale == "date":
        lines += ["set xdata time", 'set timefmt "%Y-%m-%dT%H:%M:%S"',
                  f"set format x {_q(date_fmt or '%Y-%m-%d')}"]
        if rotate:
            lines.append("set xtics rotate by -30")
    if autofix:
        lines.append("set autoscale xfix")
    if key in ("top_right", "top_left", "boxed"):
        lines.append("set offsets 0, 0, graph 0.3, 0")
    elif key == "bottom_right":
        lines.append("set offsets 0, 0, 0, graph 0.3")

    blocks = []
    plots = []
    for i, s in enumerate(spec.series):
        rows = []
        for k, x in enumerate(s.x):
            cells = [_x_text(x, spec.x_scale), repr(float(s.y[k]))]
            if s.y_lower is not None and s.y_upper is not None:
                cells += [repr(float(s.y_lower[k])), repr(float(s.y_upper[k]))]
            rows.append(" ".join(cells))
        blocks.append(f"$S{i} << EOD\n" + "\n".join(rows) + "\nEOD")
        color = f"lc {i + 1}" if own_colors else f"lc rgb {_q(colors[i])}"
        title = "notitle" if key == "none" else f"title {_q(s.label)} noenhanced"
        if s.y_lower is not None:
            plots.append(f"$S{i} using 1:3:4 with filledcurves {color} "
                         f"fs transparent solid {spec.band_alpha} noborder notitle")
        lw = max(1.0, spec.linewidth)
        pt = POINT_TYPES.get(s.marker or "o", 7)
        ps = max(0.5, spec.markersize / 6.0)
        if spec.chart_type == "scatter":
            style = f"with points pt {pt} ps {ps:.2f}"
        elif s.marker:
            style = f"with linespoints lw {lw} dt {DASH[s.linestyle]} pt {pt} ps {ps:.2f}"
        else:
            style = f"with lines lw {lw} dt {DASH[s.linestyle]}"
        plots.append(f"$S{i} using 1:2 {style} {color} {title}")
    # bands first so that lines are drawn over them
    plots.sort(key=lambda p: "filledcurves" not in p)
    script = "\n".join(blocks + [ln for ln in lines if ln] + ["plot " + ", \\\n  ".join(plots)])
    script += "\nset print '-'\nprint GPVAL_X_MIN, GPVAL_X_MAX, GPVAL_Y_MIN, GPVAL_Y_MAX\n"
    script += ("print GPVAL_TERM_XMIN, GPVAL_TERM_XMAX, GPVAL_TERM_YMIN, GPVAL_TERM_YMAX, "
               "GPVAL_TERM_XSIZE, GPVAL_TERM_YSIZE\n")
    choices = {"size": [w, h], "font_size": font_size, "key": key, "grid": grid,
               "border": border, "tics_out": tics_out, "own_colors": own_colors,
               "autoscale_fix_x": autofix, "log_format": log_fmt if "log" in
               (spec.x_scale, spec.y_scale) else None, "date_format": date_fmt}
    return script, choices


def plot_box(term: tuple[float, float, float, float], height: int) -> list[float]:
    """The plot area as [left, top, right, bottom] image coordinates (pixel centres at + 0.5).

    ``term`` is ``GPVAL_TERM_XMIN, XMAX, YMIN, YMAX``: with pngcairo these are the pixel
    indices of the axis ends, y counted up from the bottom row (measured on drawn shapes:
    data x maps to ``term_x + 0.5``, data y to ``height - 0.5 - term_y``).
    """
    xmin, xmax, ymin, ymax = term
    return [round(xmin + 0.5, 2), round(height - 0.5 - ymax, 2), round(xmax + 0.5, 2),
            round(height - 0.5 - ymin, 2)]


def render(spec: mf.ChartSpec, rng: np.random.Generator, out_dir: Path,
           stem: str) -> dict[str, Any]:
    """Draw ``spec`` with gnuplot into ``out_dir/STEM.png`` and write ``STEM.json``.

    Returns
    -------
    dict
        The truth.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    png = out_dir / f"{stem}.png"
    script, choices = build_script(spec, rng, png)
    with tempfile.NamedTemporaryFile("w", suffix=".gp", delete=False) as fh:
        fh.write(script)
        path = fh.name
    try:
        res = subprocess.run(["gnuplot", path], capture_output=True, text=True, timeout=120)
    finally:
        Path(path).unlink(missing_ok=True)
    if res.returncode != 0:
        raise RuntimeError(f"gnuplot failed: {res.stderr.strip()[:500]}")
    nums = [float(v) for v in res.stdout.split()]
    xlo, xhi, ylo, yhi = nums[:4]
    txmin, txmax, tymin, tymax, txs, tys = nums[4:10]
    if spec.x_scale == "date":
        x_range: list[Any] = [common.seconds_iso(xlo), common.seconds_iso(xhi)]
    else:
        x_range = [xlo, xhi]
    del txs, tys
    meta = {"gnuplot": choices,
            "plot_bbox_px": plot_box((txmin, txmax, tymin, tymax), choices["size"][1]),
            "grid": choices["grid"] != "none",
            "legend": {"placement": spec.legend if choices["key"] != "none" else "none",
                       "key": choices["key"]}}
    return common.write_truth(spec, out_dir, stem, png, x_range, [ylo, yhi],
                              choices["key"] != "none", meta)
