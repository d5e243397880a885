"""Layout: plot area, frame kind, ticks and text on matplotlib/seaborn charts."""

from __future__ import annotations

import time

import numpy as np
import pytest
from _charts import Rendered, line_chart, render, seed_chart

from digitize.layout import find_layout

X = np.linspace(0, 10, 40)


def _area_error(r: Rendered, box) -> float:
    return max(abs(a - b) for a, b in zip(box.to_list(), r.bbox, strict=True))


CASES = {
    "default": (lambda: line_chart(X, np.sin(X)), "full"),
    "default-grid": (lambda: line_chart(X, np.sin(X), grid=True), "full"),
    "whitegrid": (lambda: line_chart(X, np.sin(X), seaborn_style="whitegrid"), "full"),
    "darkgrid": (lambda: line_chart(X, np.sin(X), seaborn_style="darkgrid"), "panel"),
    "ggplot": (lambda: line_chart(X, np.sin(X), style="ggplot"), "panel"),
    "frameless": (lambda: line_chart(X, np.sin(X), spines="none", grid=True), "none"),
    "left-bottom": (lambda: line_chart(X, np.sin(X), spines="left-bottom"), "left-bottom"),
    "dpi72": (lambda: line_chart(X, np.sin(X), dpi=72), "full"),
    "dpi200": (lambda: line_chart(X, np.sin(X), dpi=200, size=(6, 3.5)), "full"),
    "tall": (lambda: line_chart(X, np.sin(X), size=(5, 7)), "full"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_plot_area(name: str) -> None:
    make, frame = CASES[name]
    r = make()
    layout = find_layout(r.rgb)
    assert layout.frame == frame
    assert _area_error(r, layout.plot_area) <= 2.5
    assert len(layout.x_tick_labels) >= 4 and len(layout.y_tick_labels) >= 4
    assert layout.title == "A chart"
    assert layout.x_label is not None and "value" in layout.x_label
    assert layout.y_label is not None and "value" in layout.y_label


def test_seed_chart_layout() -> None:
    r = seed_chart()
    layout = find_layout(r.rgb)
    assert layout.frame == "panel"
    assert _area_error(r, layout.plot_area) <= 2.0  # the legend box is not the plot area
    assert layout.background[2] > layout.background[0]  # seaborn's blue-grey panel
    assert len(layout.x_gridlines) == 7 and len(layout.y_gridlines) == 4
    assert [w.text for w in layout.x_tick_labels][:2] == ["0", "200"]
    assert layout.title == "Accuracy over training"
    assert layout.x_label == "step" and layout.y_label == "accuracy"
    texts = {w.text for w in layout.words}
    assert {"base", "large"} <= texts  # the outside legend's words are kept
    legend = [w for w in layout.words if w.text.startswith("Mode")][0]
    assert legend.box.left > layout.plot_area.right


@pytest.mark.parametrize("dpi, size", [(72, (10, 5)), (200, (8, 4)), (100, (6, 3.5))])
def test_seed_chart_sizes(dpi: int, size: tuple[float, float]) -> None:
    r = seed_chart(dpi=dpi, size=size)
    layout = find_layout(r.rgb)
    assert layout.frame == "panel"
    assert _area_error(r, layout.plot_area) <= 2.5
    assert layout.title == "Accuracy over training"


@pytest.mark.parametrize("style", [None, "whitegrid", "darkgrid"])
def test_outside_legend_is_not_the_plot(style: str | None) -> None:
    def draw(ax) -> None:
        ax.plot(X, np.sin(X), label="sin")
        ax.plot(X, np.cos(X), label="cos")
        ax.legend(bbox_to_anchor=(1.02, 1), loc="upper left", title="Model")
        ax.figure.tight_layout()

    r = render(draw, seaborn_style=style)
    layout = find_layout(r.rgb)
    assert _area_error(r, layout.plot_area) <= 2.5
    assert any(w.text.startswith("Mode") and w.box.left > layout.plot_area.right
               for w in layout.words)


def test_ticks_snap_to_marks() -> None:
    r = line_chart(X, np.sin(X), xlim=(0, 10))
    layout = find_layout(r.rgb)
    left, _, right, _ = r.bbox
    want = [left + f * (right - left) - 0.5 for f in np.linspace(0, 1, 6)[1:-1]]
    for w in want:
        assert min(abs(t - w) for t in layout.x_ticks) <= 1.0


def test_speed() -> None:
    r = seed_chart()
    find_layout(r.rgb)  # warm the OCR model
    best = float("inf")
    for _ in range(3):  # CPU time, best of three: the suite may share a busy machine
        t0 = time.process_time()
        find_layout(r.rgb)
        best = min(best, time.process_time() - t0)
    assert best < 0.5
