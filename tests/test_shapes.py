"""Series of one colour told apart by marker shape (digitize.extract.shapes)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from _charts import read_one_colour_lines  # noqa: E402

from digitize.extract.shapes import alike, find_by_template, marker_template  # noqa: E402


def _swatch(marker: str, size: float = 8.0) -> np.ndarray:
    fig = plt.figure(figsize=(0.5, 0.3), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.axis("off")
    ax.plot([0, 1, 2], [0, 0, 0], marker=marker, markevery=[1], ms=size, color="k", lw=2)
    ax.set_xlim(-0.2, 2.2)
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    plt.close(fig)
    return rgb.mean(axis=2) < 128


def test_swatch_templates_tell_shapes_apart() -> None:
    templates = {m: marker_template(_swatch(m), 1.0) for m in "osD^"}
    assert all(t is not None for t in templates.values())
    for a in "osD^":
        assert alike(templates[a], marker_template(_swatch(a), 1.0))  # type: ignore[arg-type]
        for b in "osD^":
            if a < b:
                assert not alike(templates[a], templates[b])  # type: ignore[arg-type]


def test_same_colour_series_split_by_marker() -> None:
    rng = np.random.default_rng(3)
    ys = {"alpha": 50 + np.cumsum(rng.normal(0, 4, 12)),
          "beta": 30 + np.cumsum(rng.normal(0, 4, 12))}
    found, span = read_one_colour_lines(ys, "tab:red", [{"marker": "D", "ms": 7},
                                                         {"marker": "s", "ms": 7}])
    assert set(found) == set(ys)
    for name, y in ys.items():
        pts = found[name].points
        assert len(pts) >= 10
        for p in pts:  # each point lies on its own series, not on the other one
            k = int(round(p.x))
            assert abs(p.y - y[k]) < 0.02 * span


def _square(n: int) -> np.ndarray:
    return np.ones((n, n), bool)


def _triangle(n: int) -> np.ndarray:
    rows = np.arange(n)[:, None]
    cols = np.abs(np.arange(n) - (n - 1) / 2)[None, :]
    return cols <= (rows + 1) / 2


def test_find_by_template_sees_each_shape_on_a_line() -> None:
    # one ink: a 3 px line through filled squares (big) and triangles (smaller)
    mask = np.zeros((80, 200), bool)
    mask[39:42, 5:195] = True
    big, small = _square(11), _triangle(9)
    at = {"square": [(30, 40), (110, 40)], "triangle": [(70, 40), (150, 40)]}
    for x, y in at["square"]:
        mask[y - 5 : y + 6, x - 5 : x + 6] = True
    for x, y in at["triangle"]:
        mask[y - 4 : y + 5, x - 4 : x + 5] |= small
    hits = find_by_template(mask, [big, small], 1.0)
    got = {(round(x), round(y), j) for x, y, j, _ in hits}
    # every marker found with its own shape, nothing on the bare line, and no triangle
    # read inside a square (a small template fits inside a bigger solid marker)
    assert got == {(x, y, 0) for x, y in at["square"]} | {(x, y, 1) for x, y in at["triangle"]}


def test_search_by_shape_counts_each_template_against_the_finder() -> None:
    """The marker finder, tuned to one shape, found the squares only: the search finds as
    many of each shape, more than twice the finder's count in all, and is kept."""
    from digitize.pipeline import _search_by_shape

    mask = np.zeros((80, 260), bool)
    mask[39:42, 5:255] = True
    big, small = _square(11), _triangle(9)
    for x in (30, 90, 150, 210):
        mask[35:46, x - 5 : x + 6] = True
    for x in (60, 120, 180, 240):
        mask[36:45, x - 4 : x + 5] |= small
    found = _search_by_shape(mask, [big, small], 1.0, found=3, lines=False)
    assert found is not None
    assert [len(ms) for ms in found] == [4, 4]


@pytest.mark.parametrize(("seed", "shapes", "size"), [(3, "Dvs", 7), (5, "svo", 6)])
def test_same_colour_series_markers_of_a_shape_the_finder_missed(
    seed: int, shapes: str, size: float
) -> None:
    # the marker finder, tuned to the first swatch's shape, finds none of the second: before
    # the swatches' shapes were searched for in the ink, "beta" was not read at all; with
    # 6 pt squares and circles, a circle fits the square's template too and must be left to
    # the series whose line runs through it
    rng = np.random.default_rng(seed)
    names = ["alpha", "beta", "gamma"]
    ys = {n: 30 + 15 * k + np.cumsum(rng.normal(0, 3, 14)) for k, n in enumerate(names)}
    found, span = read_one_colour_lines(ys, "tab:red",
                                        [{"marker": m, "ms": size} for m in shapes])
    assert set(found) == set(ys)
    for name, y in ys.items():
        pts = found[name].points
        assert len(pts) >= 12
        for p in pts:  # each point lies on its own series
            assert abs(p.y - y[int(round(p.x))]) < 0.01 * span


def test_same_colour_series_with_black_edged_markers() -> None:
    """matplotlib's classic style edges every marker in black: the edge cuts each marker's
    fill off its line and off its swatch's, and the small triangle's swatch read as no
    marker; with the edges the markers' shapes are whole and each series keeps its own."""
    from _charts import render

    import digitize

    x = np.arange(0, 50, 5.0)
    ys = {"test": [57, 62, 63.6, 62.5, 63.3, 64.2, 67.6, 71.3, 72.1, 69.0],
          "ours": [55.3, 53.1, 53.2, 53.6, 48.2, 44.1, 49.7, 53.2, 54.4, 54.2],
          "model B": [48.0, 50.9, 58.1, 61.2, 61.3, 58.0, 62.0, 65.2, 61.6, 66.0]}

    def draw(ax) -> None:  # type: ignore[no-untyped-def]
        for (name, y), m in zip(ys.items(), "s^o", strict=True):
            ax.plot(x, y, "-" + m, color="tab:purple", label=name, lw=2)
        ax.legend(loc="upper left")
        ax.set_ylim(40, 80)

    result = digitize.read(render(draw, style="classic", size=(8, 4.5), dpi=120).rgb,
                           agreement=False)
    found = {s.name: s for s in result.series}
    assert set(found) == set(ys)
    for name, y in ys.items():
        pts = found[name].points
        assert len(pts) >= 5
        for p in pts:  # each point lies on its own series
            assert abs(p.y - np.interp(p.x, x, y)) < 0.01 * 40
