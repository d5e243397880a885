"""Draw a ChartSpec as a Vega-Lite chart rendered by vl-convert and write image + truth.

Vega scales are given an explicit domain with ``nice: false``, so the axis limits in the truth
are exactly the domain handed to Vega; the domain itself is rounded out to nice values the way
Vega's default ``nice`` does (or kept at the data extent with a small padding).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from . import common
from .common import mf

SHAPES = {"o": "circle", "s": "square", "^": "triangle-up", "v": "triangle-down",
          "<": "triangle-left", ">": "triangle-right", "D": "diamond", "d": "diamond",
          "p": "cross", "*": "cross", "h": "circle", "x": "cross", "+": "cross", ".": "circle"}
DASH = {"-": [1, 0], "--": [6, 3], ":": [2, 2], "-.": [6, 2, 2, 2]}
THEMES = ["default", "default", "default", "default", "excel", "ggplot2", "quartz", "vox",
          "googlecharts", "fivethirtyeight"]
# Vega's own multi-format ("2020", "April", "July"...) shows the year only on January ticks,
# which a span's ticks may miss altogether (every other month from February): such an axis
# has nothing to calibrate against, so the formats are explicit
DATE_FORMATS = {
    "monthly": ["%b %Y", "%Y-%m"],
    "weekly": ["%Y-%m-%d", "%d %b %Y"],
    "daily": ["%Y-%m-%d", "%b %d, %Y"],
    "hourly": ["%Y-%m-%d %H:%M"],
}


def _domain(spec: mf.ChartSpec, axis: str, mode: str) -> list[float]:
    lo, hi = common.data_extent(spec, axis)
    scale = spec.x_scale if axis == "x" else spec.y_scale
    if scale == "date":
        pad = 0.0 if mode == "nice" else 0.02 * (hi - lo)
        return [lo - pad, hi + pad]
    if scale == "log":
        if mode == "nice":
            return list(common.nice_limits(lo, hi, log=True))
        llo, lhi = np.log10(lo), np.log10(hi)
        pad = 0.05 * (lhi - llo)
        return [float(mf.round_sig(10 ** (llo - pad), 3)),
                float(mf.round_sig(10 ** (lhi + pad), 3))]
    if mode == "zero" and lo > 0:
        lo = 0.0
    if mode == "zero" and hi < 0:
        hi = 0.0
    if mode == "pad":
        pad = 0.05 * (hi - lo)
        span = hi - lo
        d = mf.decimals_for(span) + 1
        return [round(lo - pad, d), round(hi + pad, d)]
    return list(common.nice_limits(lo, hi, log=False, n_ticks=5))


def build_spec(spec: mf.ChartSpec, rng: np.random.Generator) -> tuple[dict, dict]:
    """The Vega-Lite JSON for ``spec`` and the renderer choices (for the meta).

    Parameters
    ----------
    spec : make_fixtures.ChartSpec
        What to draw.
    rng : numpy.random.Generator
        Source of the renderer's own choices.

    Returns
    -------
    tuple
        ``(vega_lite_spec, choices)``.
    """
    w, h = [(400, 250), (500, 300), (600, 350), (700, 400), (300, 200), (800, 450)][
        int(rng.integers(6))]
    theme = str(rng.choice(THEMES))
    own_colors = bool(rng.random() < 0.6)
    grid = bool(rng.random() < 0.8)
    x_mode = str(rng.choice(["nice", "pad"])) if spec.x_scale != "date" else str(
        rng.choice(["nice", "pad"]))
    y_mode = str(rng.choice(["nice", "nice", "zero", "pad"]))
    if spec.y_scale == "log" and y_mode == "zero":
        y_mode = "nice"
    legend = {"none": "none", "outside_right": "right", "below": "bottom"}.get(spec.legend)
    if legend is None:
        legend = str(rng.choice(["top-right", "top-left", "top"]))
    date_fmt = None
    if spec.x_scale == "date":
        opts = DATE_FORMATS[spec.x_kind]
        date_fmt = opts[int(rng.integers(len(opts)))]
    xdom = _domain(spec, "x", x_mode)
    ydom = _domain(spec, "y", y_mode)
    if legend in ("top-right", "top-left") and spec.y_scale != "log":
        ydom[1] = ydom[1] + 0.35 * (ydom[1] - ydom[0])  # room for the legend above the data
        ydom = list(common.nice_limits(ydom[0], ydom[1], log=False, n_ticks=5)) \
            if y_mode == "nice" else [ydom[0], round(ydom[1], 6)]
    elif legend in ("top-right", "top-left"):
        ydom[1] = ydom[1] * 10.0

    rows = []
    for s in spec.series:
        for k, x in enumerate(s.x):
            r: dict[str, Any] = {"series": s.label, "y": float(s.y[k])}
            r["x"] = common.utc_ms(x) if spec.x_scale == "date" else float(x)
            if s.y_lower is not None and s.y_upper is not None:
                r["lo"], r["hi"] = float(s.y_lower[k]), float(s.y_upper[k])
            rows.append(r)
    names = [s.label for s in spec.series]
    colors = common.resolve_colors(spec)

    x_enc: dict[str, Any] = {"field": "x", "title": spec.xlabel}
    if spec.x_scale == "date":
        x_dom = [xdom[0] * 1000.0, xdom[1] * 1000.0]
        x_enc.update(type="temporal", scale={"type": "utc", "domain": x_dom, "nice": False})
        axis_x: dict[str, Any] = {"labelAngle": -30} if date_fmt and len(date_fmt) > 6 else {}
        if date_fmt:
            axis_x["format"] = date_fmt
    else:
        x_enc.update(type="quantitative", scale={"type": spec.x_scale, "domain": xdom,
                                                 "nice": False, "zero": False})
        axis_x = {}
    y_enc: dict[str, Any] = {"field": "y", "type": "quantitative", "title": spec.ylabel,
                             "scale": {"type": spec.y_scale, "domain": ydom, "nice": False,
                                       "zero": False}}
    if not grid:
        axis_x["grid"] = False
        y_enc["axis"] = {"grid": False}
    if axis_x:
        x_enc["axis"] = axis_x
    color: dict[str, Any] = {"field": "series", "type": "nominal", "sort": names,
                             "title": spec.legend_title}
    if not own_colors:
        color["scale"] = {"domain": names, "range": colors}
    if legend == "none":
        color["legend"] = None
    else:
        color["legend"] = {"orient": legend}
        if legend == "bottom" or legend == "top":
            color["legend"]["direction"] = "horizontal"
    enc = {"x": x_enc, "y": y_enc, "color": color}

    layers: list[dict[str, Any]] = []
    if any(s.y_lower is not None for s in spec.series):
        layers.append({"mark": {"type": "area", "opacity": spec.band_alpha},
                       "encoding": {"x": x_enc, "y": {**y_enc, "field": "lo"},
                                    "y2": {"field": "hi"}, "color": color}})
    markers = {s.marker for s in spec.series}
    filled = bool(rng.random() < 0.5)
    if spec.chart_type == "scatter":
        shape = SHAPES.get(spec.series[0].marker or "o", "circle")
        layers.append({"mark": {"type": "point", "filled": filled, "shape": shape,
                                "size": float(spec.markersize ** 2 * 1.5)}, "encoding": enc})
    else:
        line: dict[str, Any] = {"type": "line", "strokeWidth": spec.linewidth}
        if spec.series[0].linestyle != "-":
            line["strokeDash"] = DASH[spec.series[0].linestyle]
        if markers != {None}:
            line["point"] = {"filled": True, "size": float(spec.markersize ** 2 * 1.5),
                             "shape": SHAPES.get(spec.series[0].marker or "o", "circle")}
        layers.append({"mark": line, "encoding": enc})
    vl: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": w, "height": h,
        "data": {"values": rows},
        "layer": layers,
    }
    if spec.title:
        vl["title"] = spec.title
    if theme == "default":
        vl["config"] = {"background": "white"}
    choices = {"size": [w, h], "theme": theme, "own_colors": own_colors, "grid": grid,
               "x_domain": x_mode, "y_domain": y_mode, "legend": legend, "filled": filled,
               "date_format": date_fmt}
    return vl, choices


def view_box(scene: dict[str, Any], scale: float) -> list[float]:
    """The view (the data rectangle) as [left, top, right, bottom] image coordinates.

    ``scene`` is vl-convert's scenegraph: ``origin`` is where the view starts and the root
    group's first item has its size, in Vega units; the PNG has ``scale`` pixels per unit.
    Vega maps the domain onto the view's edges exactly (its axes and grid lines are drawn
    half a unit further on, for crisp strokes).
    """
    ox, oy = scene["origin"]
    view = scene["scenegraph"]["items"][0]
    box = [ox, oy, ox + view["width"], oy + view["height"]]
    return [round(float(v) * scale, 3) for v in box]


def render(spec: mf.ChartSpec, rng: np.random.Generator, out_dir: Path,
           stem: str) -> dict[str, Any]:
    """Draw ``spec`` with Vega-Lite into ``out_dir/STEM.png`` and write ``STEM.json``.

    Returns
    -------
    dict
        The truth.
    """
    import vl_convert as vlc

    out_dir.mkdir(parents=True, exist_ok=True)
    # a chart's data series sharing one marker/dash look: Vega-Lite's single mark per layer
    first = spec.series[0]
    for s in spec.series:
        s.marker, s.linestyle = first.marker, first.linestyle
    vl, choices = build_spec(spec, rng)
    scale = float(rng.choice([1.0, 1.0, 1.5, 2.0]))
    kw: dict[str, Any] = {"scale": scale}
    if choices["theme"] != "default":
        kw["theme"] = choices["theme"]
    png_bytes = vlc.vegalite_to_png(json.dumps(vl), **kw)
    scene = vlc.vegalite_to_scenegraph(json.dumps(vl), **{k: v for k, v in kw.items()
                                                          if k == "theme"})
    png = out_dir / f"{stem}.png"
    png.write_bytes(png_bytes)
    enc = vl["layer"][-1]["encoding"]
    xdom, ydom = enc["x"]["scale"]["domain"], enc["y"]["scale"]["domain"]
    if spec.x_scale == "date":
        x_range: list[Any] = [common.seconds_iso(xdom[0] / 1000.0),
                              common.seconds_iso(xdom[1] / 1000.0)]
    else:
        x_range = [float(v) for v in xdom]
    meta = {"vegalite": {**choices, "scale": scale}, "plot_bbox_px": view_box(scene, scale),
            "legend": {"placement": spec.legend if choices["legend"] != "none" else "none",
                       "orient": choices["legend"]},
            "grid": choices["grid"]}
    return common.write_truth(spec, out_dir, stem, png, x_range, [float(v) for v in ydom],
                              choices["legend"] != "none", meta)
