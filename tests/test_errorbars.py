"""Error bars: found in a series' mask, taken out of it, reported as y_lower / y_upper."""

from __future__ import annotations

import numpy as np
import pytest
from _charts import render

import digitize
from digitize.extract.errorbars import find_error_bars

X = np.arange(1, 9, dtype=float)
Y = np.array([2.0, 3.5, 3.1, 5.2, 4.4, 6.3, 5.9, 7.4])
ERR = np.array([0.6, 0.9, 0.5, 1.2, 0.7, 1.0, 0.8, 1.1])


def _errorbar_chart(capsize: float, fmt: str, xerr: float | None = None) -> np.ndarray:
    def draw(ax) -> None:  # type: ignore[no-untyped-def]
        ax.errorbar(X, Y, yerr=ERR, xerr=xerr, fmt=fmt, capsize=capsize, color="tab:red")
        ax.set_xlim(0, 9)
        ax.set_ylim(0, 10)

    return render(draw, size=(7, 4.5), dpi=100).rgb


@pytest.mark.parametrize(("capsize", "fmt"), [(4, "-"), (0, "-"), (3, "o"), (0, "s-")])
def test_error_bar_ends_reported_as_lower_and_upper(capsize: float, fmt: str) -> None:
    result = digitize.read(_errorbar_chart(capsize, fmt), agreement=False)
    (series,) = result.series
    assert "errorbars" in (series.kind or "")
    assert len(series.points) == len(X)
    got = sorted(series.points, key=lambda p: p.x)
    span = 10.0
    for p, x, y, e in zip(got, X, Y, ERR, strict=True):
        assert p.x == pytest.approx(x, abs=0.05)
        assert p.y == pytest.approx(y, abs=0.01 * span)
        assert p.y_lower == pytest.approx(y - e, abs=0.01 * span)
        assert p.y_upper == pytest.approx(y + e, abs=0.01 * span)


def test_horizontal_error_bars_reported_as_x_lower_and_upper() -> None:
    result = digitize.read(_errorbar_chart(3, "-", xerr=0.3), agreement=False)
    (series,) = result.series
    assert len(series.points) == len(X)
    with_x = 0
    for p, x, y in zip(sorted(series.points, key=lambda p: p.x), X, Y, strict=True):
        assert p.y == pytest.approx(y, abs=0.1)
        if p.x_lower is not None:
            with_x += 1
            assert p.x_lower == pytest.approx(x - 0.3, abs=0.01 * 9)
            assert p.x_upper == pytest.approx(x + 0.3, abs=0.01 * 9)
    assert with_x >= len(X) - 1
    header = result.to_csv().splitlines()[0]
    assert header == "series,x,y,y_lower,y_upper,x_lower,x_upper"
    plain = digitize.read(_errorbar_chart(3, "-"), agreement=False)
    assert plain.to_csv().splitlines()[0] == "series,x,y,y_lower,y_upper"


def test_no_error_bars_in_plain_and_step_lines() -> None:
    """A step line's risers are vertical strokes of the line's width, but they are neither
    capped nor crossed by the line: not error bars."""
    yy = np.array([1.0, 4.0, 2.0, 6.0, 3.0, 7.0, 5.0, 8.0])

    def draw(ax) -> None:  # type: ignore[no-untyped-def]
        ax.step(X, yy, where="mid", color="tab:blue")
        ax.plot(X, yy[::-1], color="tab:green")
        ax.set_ylim(0, 10)

    rgb = render(draw, size=(7, 4.5), dpi=100).rgb
    result = digitize.read(rgb, agreement=False)
    assert result.series
    assert all("errorbars" not in (s.kind or "") for s in result.series)


def test_find_error_bars_on_a_drawn_mask() -> None:
    mask = np.zeros((120, 200), bool)
    mask[60:63, 10:190] = True  # the line
    for x in (40, 100, 160):
        mask[20:100, x - 1 : x + 2] = True  # bars of the line's width
        mask[19:22, x - 6 : x + 7] = True  # caps
        mask[98:101, x - 6 : x + 7] = True
    bars = find_error_bars(mask, half=1.0)
    assert [round(b.centre) for b in bars.vertical] == [40, 100, 160]
    assert all(b.capped and b.crossing == pytest.approx(61, abs=1) for b in bars.vertical)
    assert all(b.low == pytest.approx(20, abs=1) and b.high == pytest.approx(99, abs=1)
               for b in bars.vertical)
    # the line stays, joined; the bars and caps are gone
    assert bars.cleaned[60:63, 10:190].all()
    assert not bars.cleaned[25:55, 39:42].any() and not bars.cleaned[19:22, 30:36].any()
