"""What the non-matplotlib renderers share: spec sampling, availability and truth writing."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np

SCRIPTS = Path(__file__).resolve().parent.parent
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

import make_fixtures as mf  # noqa: E402

RENDERERS = ("gnuplot", "vegalite", "ggplot")
EPOCH = datetime(1970, 1, 1)

# A neutral, distinct palette used when a renderer is asked not to use its own default colours.
FALLBACK_COLORS = list(mf.DISTINCT.values())


def available(name: str) -> bool:
    """True when the tool behind renderer ``name`` is installed.

    Parameters
    ----------
    name : str
        One of :data:`RENDERERS`.

    Returns
    -------
    bool
        Whether charts can be drawn with it on this machine.
    """
    if name == "gnuplot":
        return shutil.which("gnuplot") is not None
    if name == "vegalite":
        return importlib.util.find_spec("vl_convert") is not None
    if name == "ggplot":
        return shutil.which("Rscript") is not None and _r_has_ggplot()
    raise ValueError(f"unknown renderer {name!r}")


_R_GGPLOT: bool | None = None


def _r_has_ggplot() -> bool:
    global _R_GGPLOT
    if _R_GGPLOT is None:
        import subprocess

        try:
            res = subprocess.run(["Rscript", "-e", "library(ggplot2)"], capture_output=True,
                                 timeout=60)
            _R_GGPLOT = res.returncode == 0
        except (OSError, subprocess.SubprocessError):
            _R_GGPLOT = False
    return _R_GGPLOT


def sample(renderer: str, index: int, seed: int) -> tuple[mf.ChartSpec, np.random.Generator]:
    """A corpus spec for ``renderer`` plus a generator for the renderer's own choices.

    The data, names, scales and legend placement come from :func:`make_fixtures.sample_spec`
    (with the matplotlib option pools, so scatter charts are included); the renderer then
    maps what it can onto its own vocabulary and records its choices in the truth's meta.

    Parameters
    ----------
    renderer : str
        Renderer name (recorded in ``spec.renderer``).
    index, seed : int
        Chart index and corpus seed; the same pair always gives the same chart.

    Returns
    -------
    tuple
        ``(spec, rng)``.
    """
    tag = RENDERERS.index(renderer) + 1
    rng = np.random.default_rng([seed, index, 7_000 + tag])
    spec = mf.sample_spec(rng, f"{renderer}_{index:05d}", "corpus",
                          fixed={"renderer": "matplotlib"}, seed_info=[seed, index, 7_000 + tag])
    spec.renderer = renderer
    spec.fmt = "png"
    spec.jpeg_quality = None
    return spec, rng


def resolve_colors(spec: mf.ChartSpec) -> list[str]:
    """Hex colours for the spec's series (matplotlib cycle names resolved to tab10)."""
    from matplotlib import colors as mcolors

    out = []
    for i, s in enumerate(spec.series):
        c = s.color
        if c.startswith("C") and c[1:].isdigit():
            c = FALLBACK_COLORS[int(c[1:]) % len(FALLBACK_COLORS)]
        out.append(mcolors.to_hex(c))
        del i
    return out


def date_seconds(iso: str) -> float:
    """ISO 8601 date/datetime (naive, taken as UTC) -> seconds since 1970-01-01."""
    return (mf.parse_iso(iso) - EPOCH).total_seconds()


def seconds_iso(sec: float) -> str:
    """Seconds since 1970-01-01 -> ISO datetime string rounded to the second."""
    dt = EPOCH + timedelta(seconds=round(float(sec)))
    return dt.isoformat(timespec="seconds")


def utc_ms(iso: str) -> int:
    """ISO 8601 date/datetime (naive, UTC) -> milliseconds since the epoch."""
    return int(round(mf.parse_iso(iso).replace(tzinfo=timezone.utc).timestamp() * 1000))


def data_extent(spec: mf.ChartSpec, axis: str) -> tuple[float, float]:
    """Min and max of the drawn values on ``axis`` (dates as seconds, bands included)."""
    vals: list[float] = []
    for s in spec.series:
        if axis == "x":
            vals += [date_seconds(v) for v in s.x] if spec.x_scale == "date" else list(s.x)
        else:
            for arr in (s.y, s.y_lower, s.y_upper):
                vals += list(arr or [])
    return float(min(vals)), float(max(vals))


def write_truth(spec: mf.ChartSpec, out_dir: Path, stem: str, image: Path,
                x_range: list[Any], y_range: list[Any], show_names: bool,
                meta: dict[str, Any]) -> dict[str, Any]:
    """Write ``out_dir/STEM.json`` in the project's truth schema and return it.

    Parameters
    ----------
    spec : make_fixtures.ChartSpec
        The spec that was drawn (values exactly as handed to the renderer).
    out_dir, stem : Path, str
        Where the truth goes.
    image : Path
        The written image (its size goes into the meta).
    x_range, y_range : list
        The axis limits as drawn (ISO strings on date axes).
    show_names : bool
        Whether the chart shows a legend (names are null otherwise).
    meta : dict
        Renderer-specific meta merged into the common one.

    Returns
    -------
    dict
        The truth.
    """
    from PIL import Image

    with Image.open(image) as im:
        size = list(im.size)
    truth: dict[str, Any] = {
        "x_scale": spec.x_scale,
        "y_scale": spec.y_scale,
        "x_range": x_range,
        "y_range": y_range,
        "series": mf.truth_series(spec, show_names),
        "chart_type": spec.chart_type,
        "meta": {
            "generator": f"scripts/renderers/{spec.renderer}.py",
            "generator_version": mf.GENERATOR_VERSION,
            "profile": spec.profile,
            "chart_id": spec.chart_id,
            "seed": spec.seed_info,
            "renderer": spec.renderer,
            "size_px": size,
            "format": "png",
            "title": spec.title,
            "x_label": spec.xlabel,
            "y_label": spec.ylabel,
            "n_series": len(spec.series),
            "n_points": [len(s.x) for s in spec.series],
            "x_kind": spec.x_kind,
            "y_preset": spec.y_preset,
            "band_method": spec.band_method,
            "markers": [s.marker for s in spec.series],
            **meta,
        },
    }
    mf.check_in_range(truth)
    (out_dir / f"{stem}.json").write_text(json.dumps(truth, indent=1) + "\n")
    return truth


def nice_limits(lo: float, hi: float, log: bool, n_ticks: int = 6) -> tuple[float, float]:
    """Limits rounded out to a nice tick step (powers of ten on log axes)."""
    if log:
        return 10.0 ** np.floor(np.log10(lo)), 10.0 ** np.ceil(np.log10(hi))
    span = hi - lo if hi > lo else abs(hi) or 1.0
    step = mf.nice_step(span / n_ticks)
    return (float(mf.round_sig(np.floor(lo / step) * step, 12)),
            float(mf.round_sig(np.ceil(hi / step) * step, 12)))


def render_chart(renderer: str, index: int, seed: int, out: Path) -> dict[str, Any]:
    """Sample and draw corpus chart ``index`` with ``renderer``; an ``index.json`` row.

    Parameters
    ----------
    renderer : str
        One of :data:`RENDERERS`.
    index, seed : int
        Chart index and corpus seed.
    out : Path
        Output folder.

    Returns
    -------
    dict
        The chart's row for the corpus index.
    """
    import importlib

    module = importlib.import_module(f"renderers.{renderer}")
    spec, rng = sample(renderer, index, seed)
    stem = f"{renderer}_{index:05d}"
    truth = module.render(spec, rng, Path(out), stem)
    m = truth["meta"]
    return {"stem": stem, "image": f"{stem}.png", "chart_type": truth["chart_type"],
            "renderer": renderer, "style": None, "x_scale": truth["x_scale"],
            "y_scale": truth["y_scale"], "n_series": m["n_series"],
            "legend": m["legend"]["placement"], "band_method": m["band_method"],
            "format": "png", "size_px": m["size_px"]}
