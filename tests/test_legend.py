"""Legend reading on charts drawn with matplotlib."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from digitize.geometry import Box  # noqa: E402
from digitize.layout import Layout  # noqa: E402
from digitize.legend import (  # noqa: E402
    LegendEntry,
    _consistent_entries,
    classify_marker,
    find_legend,
)


def _render(fig: plt.Figure) -> np.ndarray:
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    plt.close(fig)
    return rgb


def _plot_box(fig: plt.Figure, ax: plt.Axes) -> Box:
    fig.canvas.draw()
    bb = ax.get_window_extent()
    h = fig.canvas.get_width_height()[1]
    return Box(
        int(np.ceil(bb.x0)) + 1, int(np.ceil(h - bb.y1)) + 1, int(bb.x1) - 1, int(h - bb.y0) - 1
    )


def test_inside_legend_labels_colours_and_markers() -> None:
    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    x = np.arange(8)
    ax.plot(x, x * 0.5, "o-", color="#d62728", label="alpha run")
    ax.plot(x, 8 - x, "s-", color="#1f77b4", label="baseline")
    ax.legend(loc="upper center")
    box = _plot_box(fig, ax)
    rgb = _render(fig)
    legend = find_legend(rgb, Layout(plot_area=box))
    labels = [e.label for e in legend.entries]
    assert labels == ["alpha run", "baseline"]
    red, blue = legend.entries
    assert np.abs(np.subtract(red.color, (214, 39, 40))).max() < 12
    assert np.abs(np.subtract(blue.color, (31, 119, 180))).max() < 12
    assert red.marker == "o" and blue.marker == "s"
    assert legend.box is not None and legend.box.intersects(box)


def test_marker_shapes_from_swatches() -> None:
    hits = 0
    shapes = "osD^v"
    for shape in shapes:
        fig = plt.figure(figsize=(1, 0.4), dpi=150)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.axis("off")
        ax.plot([0, 1, 2], [0, 0, 0], marker=shape, color="k", markevery=[1], ms=7)
        ax.set_xlim(-0.2, 2.2)
        rgb = _render(fig)
        marker, has_line = classify_marker(rgb.mean(axis=2) < 128)
        hits += marker == shape
        assert has_line
    assert hits == len(shapes)


def _entry(label: str, top: int, left: int, color: tuple[int, int, int]) -> LegendEntry:
    return LegendEntry(label, color, None, True, Box(left + 30, top, left + 90, top + 12),
                       Box(left, top + 4, left + 24, top + 8))


def test_labels_are_read_again_only_for_the_legend_chosen():
    column = [_entry("alpha", 20 + 18 * k, 400, c)
              for k, c in enumerate([(31, 119, 180), (255, 127, 14), (44, 160, 44)])]
    stray = _entry("tick", 300, 50, (200, 0, 0))  # a swatch-like stroke beside a word
    junk = _entry("~", 250, 200, (0, 0, 200))  # no word: read again before it is judged
    relabelled: list[str] = []

    def relabel(entry: LegendEntry) -> None:
        relabelled.append(entry.label)
        entry.label = entry.label.upper()

    kept = _consistent_entries(column + [stray, junk], [90.0] * 5, relabel)
    assert [e.label for e in kept] == ["ALPHA"] * 3
    assert sorted(relabelled) == ["alpha"] * 3 + ["~"]


def test_one_letter_ends_a_label_only_after_a_word() -> None:
    from digitize.geometry import Box
    from digitize.legend import _follows
    from digitize.ocr import Word

    batch = Word("Batch", Box(100, 20, 160, 36), 90.0)
    assert _follows(Word("A", Box(168, 20, 180, 36), 95.0), [batch])
    assert not _follows(Word("A", Box(230, 20, 242, 36), 95.0), [batch])  # too far
    assert not _follows(Word("A", Box(168, 60, 180, 76), 95.0), [batch])  # another line
