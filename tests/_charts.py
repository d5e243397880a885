"""Chart-making helpers for the axes-stage tests: render matplotlib figures to RGB arrays.

Every helper returns a :class:`Rendered` with the image and the ground truth taken from
matplotlib itself (axes bounding box in image pixel coordinates, axis limits).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


@dataclass
class Rendered:
    """A rendered chart and its truth.

    ``bbox`` is ``(left, top, right, bottom)`` of the axes in continuous image coordinates
    (origin at the top-left corner of the image, y down), so the pixel whose centre is at
    array index ``c`` spans ``[c, c + 1)``.
    """

    rgb: np.ndarray
    bbox: tuple[float, float, float, float]
    xlim: tuple[float, float]
    ylim: tuple[float, float]

    def x_index(self, frac: float) -> float:
        """Array column coordinate at ``frac`` (0 = left edge, 1 = right edge) of the axes."""
        left, _, right, _ = self.bbox
        return left + frac * (right - left) - 0.5

    def y_index(self, frac: float) -> float:
        """Array row coordinate at ``frac`` (0 = bottom edge, 1 = top edge) of the axes."""
        _, top, _, bottom = self.bbox
        return bottom - frac * (bottom - top) - 0.5


def render(
    draw: Callable[[plt.Axes], None],
    *,
    style: str | None = None,
    seaborn_style: str | None = None,
    size: tuple[float, float] = (8.0, 5.0),
    dpi: int = 100,
) -> Rendered:
    """Draw with ``draw(ax)`` on a fresh figure and return the image with its truth."""
    if seaborn_style is not None:
        import seaborn as sns

        ctx = sns.axes_style(seaborn_style)
    elif style is not None:
        ctx = plt.style.context(style)
    else:
        ctx = nullcontext()
    with ctx:
        fig, ax = plt.subplots(figsize=size, dpi=dpi)
        draw(ax)
        fig.canvas.draw()
        rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
        ext = ax.get_window_extent()
        height = rgb.shape[0]
        bbox = (float(ext.x0), float(height - ext.y1), float(ext.x1), float(height - ext.y0))
        xlim = tuple(float(v) for v in ax.get_xlim())
        ylim = tuple(float(v) for v in ax.get_ylim())
        plt.close(fig)
    return Rendered(rgb, bbox, xlim, ylim)


def seed_chart(dpi: int = 100, size: tuple[float, float] = (10.0, 5.0)) -> Rendered:
    """Our first customer's chart: seaborn darkgrid, two series with bands, legend outside."""
    rng = np.random.default_rng(0)
    x = np.arange(0, 1401, 100)

    def draw(ax: plt.Axes) -> None:
        for i, name in enumerate(["base", "large"]):
            y = 0.28 + 0.03 * (1 - np.exp(-x / 400.0)) + 0.01 * i + rng.normal(0, 0.002, x.size)
            ax.plot(x, y, "o-", label=name)
            ax.fill_between(x, y - 0.004, y + 0.004, alpha=0.2)
        ax.set_ylim(0.27, 0.33)
        ax.set_xlim(-70, 1470)
        ax.set_title("Accuracy over training")
        ax.set_xlabel("step")
        ax.set_ylabel("accuracy")
        ax.legend(title="Model", bbox_to_anchor=(1.02, 1), loc="upper left")
        ax.figure.tight_layout()

    return render(draw, seaborn_style="darkgrid", size=size, dpi=dpi)


def line_chart(
    x: np.ndarray,
    y: np.ndarray,
    *,
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    grid: bool = False,
    spines: str = "full",
    title: str | None = "A chart",
    xlabel: str | None = "x value",
    ylabel: str | None = "y value",
    yscale: str = "linear",
    xscale: str = "linear",
    formatter: Callable[[plt.Axes], None] | None = None,
    **kwargs,
) -> Rendered:
    """A simple one-series line chart; ``spines`` is "full", "left-bottom" or "none"."""

    def draw(ax: plt.Axes) -> None:
        ax.plot(x, y, "-", color="C0")
        if xscale != "linear":
            ax.set_xscale(xscale)
        if yscale != "linear":
            ax.set_yscale(yscale)
        if xlim is not None:
            ax.set_xlim(*xlim)
        if ylim is not None:
            ax.set_ylim(*ylim)
        if grid:
            ax.grid(True)
        if spines == "left-bottom":
            ax.spines[["top", "right"]].set_visible(False)
        elif spines == "none":
            for s in ax.spines.values():
                s.set_visible(False)
            ax.tick_params(length=0)
        if title:
            ax.set_title(title)
        if xlabel:
            ax.set_xlabel(xlabel)
        if ylabel:
            ax.set_ylabel(ylabel)
        if formatter is not None:
            formatter(ax)
        ax.figure.tight_layout()

    return render(draw, **kwargs)


def read_one_colour_lines(
    ys: dict[str, np.ndarray], color: str, styles: list[dict]
) -> tuple[dict, float]:
    """Draw lines ``ys`` (x = 0, 1, ...) all in ``color``, each with its own ``styles`` entry
    (linestyle, marker, ...), legend outside on the right; read the PNG with digitize.

    Returns the series found by name and the y axis span.
    """
    import io

    import digitize

    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=100)
    for (name, y), style in zip(ys.items(), styles, strict=True):
        ax.plot(np.arange(len(y), dtype=float), y, color=color, label=name, **style)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    span = float(ax.get_ylim()[1] - ax.get_ylim()[0])
    plt.close(fig)
    result = digitize.read(buf.getvalue())
    return {s.name: s for s in result.series}, span
