"""Series of one colour told apart by marker shape (digitize.extract.shapes)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from _charts import read_one_colour_lines  # noqa: E402

from digitize.extract.shapes import alike, marker_template  # noqa: E402


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
