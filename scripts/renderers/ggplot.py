"""Draw a ChartSpec with ggplot2 (through Rscript) and write image + truth.

The axis limits in the truth are ggplot2's own: ``ggplot_build(p)$layout$panel_params`` after
the plot is built (continuous ranges include ggplot's 5% expansion), mapped back from the
transformed space (log10, days or seconds since 1970).
"""

from __future__ import annotations

import csv
import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from . import common
from .common import mf

THEMES = ["theme_grey", "theme_grey", "theme_bw", "theme_minimal", "theme_classic",
          "theme_light", "theme_linedraw"]
SHAPES = {"o": 16, "s": 15, "^": 17, "v": 25, "<": 17, ">": 17, "D": 18, "d": 18, "p": 8,
          "*": 8, "h": 16, "x": 4, "+": 3, ".": 20}
LINETYPES = {"-": "solid", "--": "dashed", ":": "dotted", "-.": "dotdash"}
# None = ggplot2's own labels; only for monthly data, where they carry the year (on shorter
# spans they are "Mar 02" or "03:00": no year, no date, nothing to calibrate against)
DATE_LABELS = {
    "monthly": [None, "%b %Y", "%Y-%m"],
    "weekly": ["%Y-%m-%d", "%d %b %Y"],
    "daily": ["%Y-%m-%d", "%b %d %Y"],
    "hourly": ["%Y-%m-%d %H:%M"],
}


def _r(text: str | None) -> str:
    """An R string literal (or NULL)."""
    if text is None:
        return "NULL"
    return json.dumps(text, ensure_ascii=False)


def build_script(spec: mf.ChartSpec, rng: np.random.Generator, data_csv: Path,
                 png: Path) -> tuple[str, dict]:
    """The R script for ``spec`` and the renderer choices made (for the meta).

    Parameters
    ----------
    spec : make_fixtures.ChartSpec
        What to draw.
    rng : numpy.random.Generator
        Source of the renderer's own choices (theme, size, legend position, colours).
    data_csv, png : Path
        The long-format data file and the output image.

    Returns
    -------
    tuple
        ``(script, choices)``.
    """
    theme = str(rng.choice(THEMES))
    base_size = int(rng.choice([9, 11, 11, 13, 15]))
    w_in, h_in = [(6.0, 4.0), (7.0, 4.5), (8.0, 5.0), (5.0, 3.5), (9.0, 5.0), (6.0, 6.0)][
        int(rng.integers(6))]
    dpi = int(rng.choice([72, 96, 100, 120, 150]))
    own_colors = bool(rng.random() < 0.6)
    legend = {"none": "none", "outside_right": "right", "below": "bottom"}.get(spec.legend)
    if legend is None:
        legend = str(rng.choice(["inside", "top", "right"]))
    date_fmt = None
    if spec.x_scale == "date":
        opts = DATE_LABELS[spec.x_kind]
        date_fmt = opts[int(rng.integers(len(opts)))]
    names = [s.label for s in spec.series]
    colors = common.resolve_colors(spec)
    has_band = any(s.y_lower is not None for s in spec.series)
    markers = any(s.marker for s in spec.series)

    lines = [
        "suppressPackageStartupMessages(library(ggplot2))",
        f"d <- read.csv({_r(str(data_csv))}, stringsAsFactors = FALSE)",
        f"d$series <- factor(d$series, levels = c({', '.join(_r(n) for n in names)}))",
    ]
    if spec.x_scale == "date":
        lines.append('d$x <- as.POSIXct(d$x, format = "%Y-%m-%dT%H:%M:%S", tz = "UTC")')
    lines.append("p <- ggplot(d, aes(x = x, y = y, colour = series, group = series))")
    if has_band:
        lines.append(f"p <- p + geom_ribbon(data = d[!is.na(d$lo), ], aes(ymin = lo, ymax = hi, "
                     f"fill = series), alpha = {spec.band_alpha}, colour = NA)")
    lw = spec.linewidth * 0.5
    size = spec.markersize * 0.35
    if spec.chart_type == "scatter":
        lines.append(f"p <- p + geom_point(aes(shape = series), size = {size:.2f})")
    else:
        lines.append(f"p <- p + geom_line(aes(linetype = series), linewidth = {lw:.2f})")
        if markers:
            lines.append(f"p <- p + geom_point(aes(shape = series), size = {size:.2f})")
    shapes = [SHAPES.get(s.marker or "o", 16) for s in spec.series]
    lines.append(f"p <- p + scale_shape_manual(values = c({', '.join(map(str, shapes))}))")
    ltys = [LINETYPES[s.linestyle] for s in spec.series]
    lines.append("p <- p + scale_linetype_manual(values = c("
                 + ", ".join(_r(t) for t in ltys) + "))")
    if not own_colors:
        vals = ", ".join(_r(c) for c in colors)
        lines.append(f"p <- p + scale_colour_manual(values = c({vals}))")
        lines.append(f"p <- p + scale_fill_manual(values = c({vals}))")
    if spec.x_scale == "log":
        lines.append("p <- p + scale_x_log10()")
    elif spec.x_scale == "date":
        lab = f", date_labels = {_r(date_fmt)}" if date_fmt else ""
        lines.append(f'p <- p + scale_x_datetime(timezone = "UTC"{lab})')
    if spec.y_scale == "log":
        lines.append("p <- p + scale_y_log10()")
    lt = _r(spec.legend_title) if spec.legend_title else "NULL"
    lines.append(f"p <- p + labs(x = {_r(spec.xlabel)}, y = {_r(spec.ylabel)}, "
                 f"colour = {lt}, fill = {lt}, shape = {lt}, linetype = {lt}, "
                 f"title = {_r(spec.title)})")
    lines.append(f"p <- p + {theme}(base_size = {base_size})")
    if legend == "inside":
        lines.append("p <- p + theme(legend.position = c(0.98, 0.98), "
                     "legend.justification = c(1, 1))")
        lines.append("p <- p + scale_y_continuous(expand = expansion(mult = c(0.05, 0.45)))"
                     if spec.y_scale == "linear" else
                     "p <- p + scale_y_log10(expand = expansion(mult = c(0.05, 0.45)))")
    else:
        lines.append(f"p <- p + theme(legend.position = {_r(legend)})")
    if spec.x_scale == "date" and date_fmt and len(date_fmt) > 6:
        lines.append("p <- p + theme(axis.text.x = element_text(angle = 30, hjust = 1))")
    if not spec.legend_title:
        lines.append("p <- p + theme(legend.title = element_blank())")
    lines += [
        f"ggsave({_r(str(png))}, p, width = {w_in}, height = {h_in}, dpi = {dpi}, "
        "bg = \"white\")",
        "b <- ggplot_build(p)",
        "pp <- b$layout$panel_params[[1]]",
        'cat(sprintf("%.17g", c(pp$x.range, pp$y.range)), sep = " ")',
        # the panel's corners on the device (inches from the bottom left), drawn again on
        # the device ggsave uses so that the text sizes, hence the layout, are the same
        'dev <- if (requireNamespace("ragg", quietly = TRUE)) ragg::agg_png else grDevices::png',
        f"dev(tempfile(fileext = \".png\"), width = {w_in}, height = {h_in}, units = \"in\", "
        f"res = {dpi}, bg = \"white\")",
        "print(p)",
        "vps <- as.character(grid::current.vpTree())",
        'grid::seekViewport(regmatches(vps, regexpr("panel[.][0-9-]+", vps))[1])',
        'loc <- grid::deviceLoc(grid::unit(c(0, 1), "npc"), grid::unit(c(0, 1), "npc"), '
        "valueOnly = TRUE)",
        "invisible(dev.off())",
        'cat("", sprintf("%.17g", c(loc$x, loc$y)), sep = " ")',
    ]
    choices = {"theme": theme, "base_size": base_size, "size_in": [w_in, h_in], "dpi": dpi,
               "own_colors": own_colors, "legend": legend, "date_labels": date_fmt}
    return "\n".join(lines) + "\n", choices


def panel_box(corners_in: list[float], choices: dict[str, Any]) -> list[float]:
    """The panel as [left, top, right, bottom] image pixels from its device corners.

    Parameters
    ----------
    corners_in : list of float
        ``[x_left, x_right, y_bottom, y_top]`` in inches from the device's bottom left.
    choices : dict
        The renderer choices (``size_in``, ``dpi``).
    """
    dpi = choices["dpi"]
    height = choices["size_in"][1] * dpi
    x0, x1, y0, y1 = (v * dpi for v in corners_in)
    return [round(x0, 2), round(height - y1, 2), round(x1, 2), round(height - y0, 2)]


def render(spec: mf.ChartSpec, rng: np.random.Generator, out_dir: Path,
           stem: str) -> dict[str, Any]:
    """Draw ``spec`` with ggplot2 into ``out_dir/STEM.png`` and write ``STEM.json``.

    Returns
    -------
    dict
        The truth.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    png = out_dir / f"{stem}.png"
    with tempfile.TemporaryDirectory() as tmp:
        data_csv = Path(tmp) / "data.csv"
        with data_csv.open("w", newline="") as fh:
            wr = csv.writer(fh)
            wr.writerow(["series", "x", "y", "lo", "hi"])
            for s in spec.series:
                for k, x in enumerate(s.x):
                    xv = (mf.parse_iso(x).strftime("%Y-%m-%dT%H:%M:%S")
                          if spec.x_scale == "date" else repr(float(x)))
                    band = ([repr(float(s.y_lower[k])), repr(float(s.y_upper[k]))]
                            if s.y_lower is not None and s.y_upper is not None else ["NA", "NA"])
                    wr.writerow([s.label, xv, repr(float(s.y[k])), *band])
        script, choices = build_script(spec, rng, data_csv, png)
        r_path = Path(tmp) / "plot.R"
        r_path.write_text(script)
        res = subprocess.run(["Rscript", str(r_path)], capture_output=True, text=True,
                             timeout=300)
    if res.returncode != 0:
        raise RuntimeError(f"Rscript failed: {res.stderr.strip()[-800:]}")
    nums = [float(v) for v in res.stdout.split()[-8:]]
    xr, yr = nums[:2], nums[2:4]
    if spec.x_scale == "log":
        xr = [10.0 ** v for v in xr]
    if spec.y_scale == "log":
        yr = [10.0 ** v for v in yr]
    x_range: list[Any] = ([common.seconds_iso(v) for v in xr] if spec.x_scale == "date"
                          else [float(v) for v in xr])
    meta = {"ggplot": choices, "plot_bbox_px": panel_box(nums[4:], choices),
            "grid": choices["theme"] != "theme_classic",
            "legend": {"placement": spec.legend if choices["legend"] != "none" else "none",
                       "position": choices["legend"]}}
    return common.write_truth(spec, out_dir, stem, png, x_range, [float(v) for v in yr],
                              choices["legend"] != "none", meta)
