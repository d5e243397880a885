"""Series of one colour told apart by dash pattern (digitize.extract.dashes)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from _charts import read_one_colour_lines  # noqa: E402

from digitize.extract.dashes import dash_strokes, same_pattern, split_by_dash  # noqa: E402


def _swatch(style: str, width: float) -> np.ndarray:
    fig = plt.figure(figsize=(0.8, 0.2), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.axis("off")
    ax.plot([0, 1], [0, 0], linestyle=style, linewidth=width, color="k")
    ax.set_xlim(0, 1)
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    plt.close(fig)
    return rgb.mean(axis=2) < 200


@pytest.mark.parametrize("width", [1.0, 1.5, 2.5])
def test_swatch_dash_patterns(width: float) -> None:
    patterns = {s: dash_strokes(_swatch(s, width)) for s in ["-", "--", ":", "-."]}
    assert patterns["-"] == ()
    assert len(patterns["--"]) == 1 and len(patterns[":"]) == 1
    assert len(patterns["-."]) == 2
    for a in patterns:
        for b in patterns:
            assert same_pattern(patterns[a], patterns[b]) == (a == b), (a, b, patterns)


def test_same_colour_lines_split_by_dash() -> None:
    x = np.arange(10.0)
    ys = {"solid": np.array([60, 62, 65, 63, 66, 70, 72, 71, 74, 76.0]),
          "dashed": np.array([30, 28, 33, 35, 31, 29, 34, 38, 36, 33.0])}
    found, span = read_one_colour_lines(ys, "tab:green", [{"linestyle": "-", "lw": 2},
                                                           {"linestyle": "--", "lw": 2}])
    assert set(found) == set(ys)
    for name, y in ys.items():
        px = np.array([p.x for p in found[name].points])
        py = np.array([p.y for p in found[name].points])
        assert px.min() < 0.5 and px.max() > 8.5
        assert np.abs(np.interp(x, px, py) - y).max() < 0.02 * span


def test_a_stroke_cut_by_the_handle_end_counts_as_a_dot() -> None:
    # a dash-dot handle showing one dash and the first pixel of its dot
    swatch = np.zeros((8, 40), bool)
    swatch[2:6, 2:25] = True
    swatch[2:6, 31] = True
    strokes = dash_strokes(swatch)
    assert len(strokes) == 2 and strokes[0] == 23 and strokes[1] >= 3
    assert not same_pattern(strokes, ())


def test_a_lone_dot_goes_to_the_dotted_line() -> None:
    # dots far from any dash of the dash-dot line fit the dotted pattern best
    mask = np.zeros((60, 200), bool)
    for x in range(10, 190, 9):  # the dotted line
        mask[10:13, x : x + 3] = True
    for x in range(10, 190, 40):  # the dash-dot line, far below
        mask[50:53, x : x + 20] = True
        mask[50:53, x + 26 : x + 29] = True
    dotted, dashdot = split_by_dash(mask, [(3.0,), (20.0, 5.0)], 1.0)
    assert dotted[:30].sum() == mask[:30].sum()
    assert dashdot[30:].sum() == mask[30:].sum()


def test_a_gap_another_line_covers_is_no_gap() -> None:
    # a solid handle cut in two where a data line of another colour crosses it
    swatch = np.zeros((8, 40), bool)
    swatch[3:6, 0:16] = swatch[3:6, 20:40] = True
    hidden = np.zeros(40, bool)
    assert dash_strokes(swatch) != ()  # read alone, the cut looks like a dash pattern
    hidden[16:20] = True
    assert dash_strokes(swatch, hidden) == ()
    # a dashed handle crossed in one of its gaps keeps its dashes, not the joined run
    dashed = np.zeros((8, 60), bool)
    for x in range(0, 60, 12):
        dashed[3:6, x : x + 8] = True
    hidden = np.zeros(60, bool)
    hidden[20:24] = True
    assert dash_strokes(dashed, hidden) == (8.0,)


def test_a_dashed_swatch_read_lighter_shares_the_solid_ink() -> None:
    """A thin dashed swatch reads lighter than the solid line of its colour (black reads dark
    grey): where the plot holds that grey only on the black line's anti-aliased edges, its
    entry shares the black ink; a grey line of its own (off the black) stays a series."""
    from digitize import colors
    from digitize.colors import SeriesColor
    from digitize.geometry import Box
    from digitize.legend import Legend, LegendEntry
    from digitize.pipeline import _fringe_inks_shared

    def entry(label: str, color: tuple[int, int, int], pattern: tuple[float, ...]
              ) -> LegendEntry:
        return LegendEntry(label, color, None, True, Box(0, 0, 1, 1), Box(0, 0, 1, 1), pattern)

    def run(grey_alone: bool) -> tuple[list[int], dict[int, list[int]]]:
        rgb = np.full((60, 120, 3), 255, np.uint8)
        rgb[20:23, 5:115] = 0  # a black line (solid and dashed pieces alike) ...
        rgb[19, 5:115] = rgb[23, 5:115] = 60  # ... with grey anti-aliased edges
        if grey_alone:
            rgb[45:48, 5:115] = 60  # a grey line of its own
        legend = Legend(entries=[entry("solid", (0, 0, 0), ()),
                                 entry("dashed", (60, 60, 60), (10.0,))])
        series = [SeriesColor((0, 0, 0)), SeriesColor((60, 60, 60))]
        owners, sharing = [0, 1], {}
        _fringe_inks_shared(colors.to_lab(rgb), np.ones((60, 120), bool), legend, series,
                            owners, sharing, (255, 255, 255))
        return owners, sharing

    assert run(False) == ([0], {0: [1]})
    assert run(True) == ([0, 1], {})


def test_a_jpeg_dash_dot_read_greyer_shares_the_ink() -> None:
    """A JPEG dilutes a thin stroke's chroma at its lightness: a dash-dot swatch of brown
    reads greyish brown, picking out the brown line's own pixels; its entry shares the
    brown ink. A lighter pink beside a mauve (another series) is no such blend."""
    from digitize import colors
    from digitize.colors import SeriesColor
    from digitize.geometry import Box
    from digitize.legend import Legend, LegendEntry
    from digitize.pipeline import _diluted_colour_of, _fringe_inks_shared

    white = (255, 255, 255)
    assert _diluted_colour_of((112, 91, 88), (134, 87, 79), white)
    assert not _diluted_colour_of((251, 175, 228), (216, 153, 204), white)
    rgb = np.full((40, 120, 3), 255, np.uint8)
    rgb[18:22, 5:115] = (134, 87, 79)
    legend = Legend(entries=[
        LegendEntry("solid", (134, 87, 79), None, True, Box(0, 0, 1, 1), Box(0, 0, 1, 1), ()),
        LegendEntry("dash-dot", (112, 91, 88), None, True, Box(0, 0, 1, 1), Box(0, 0, 1, 1),
                    (6.0, 2.0))])
    series = [SeriesColor((134, 87, 79)), SeriesColor((112, 91, 88))]
    owners, sharing = [0, 1], {}
    _fringe_inks_shared(colors.to_lab(rgb), np.ones((40, 120), bool), legend, series, owners,
                        sharing, white)
    assert (owners, sharing) == ([0], {0: [1]})
