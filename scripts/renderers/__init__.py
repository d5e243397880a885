"""Chart renderers other than matplotlib for the corpus generator.

Each module draws a :class:`make_fixtures.ChartSpec` with its own tool and writes the image plus
the ground-truth JSON (same schema as ``scripts/make_fixtures.py``):

* :mod:`renderers.gnuplot` - gnuplot's pngcairo terminal (Debian ``gnuplot-nox``),
* :mod:`renderers.vegalite` - Vega-Lite through ``vl-convert-python`` (no browser),
* :mod:`renderers.ggplot` - ggplot2 through ``Rscript`` (Debian ``r-cran-ggplot2``).

The tools are optional: :func:`renderers.common.available` says which are installed.
"""
