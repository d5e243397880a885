"""Which pixels of the plot area hold data: marks of the frame are left out."""

from __future__ import annotations

import numpy as np

from digitize.geometry import Box
from digitize.layout import Layout
from digitize.pipeline import _inward_ticks


def _valid(far: np.ndarray, layout: Layout) -> np.ndarray:
    valid = np.ones(far.shape, bool)
    for cells in _inward_ticks(far, layout):
        valid[cells] = False
    return valid


def test_tick_marks_drawn_inward_are_no_data() -> None:
    pa = Box(50, 20, 450, 320)  # 400 x 300 crop
    far = np.zeros((300, 400), bool)
    for x in (100, 200, 300):
        far[0:6, x - 50] = True  # from the top edge
        far[294:300, x - 50] = True  # from the bottom edge
    for y in (70, 170, 270):
        far[y - 20, 0:6] = True  # from the left edge
    far[150, 20:380] = True  # a data line across the plot
    far[100:300, 250] = True  # a data line running into the bottom edge at a tick
    layout = Layout(plot_area=pa, x_ticks=[100.0, 200.0, 300.0, 350.0],
                    y_ticks=[70.0, 170.0, 270.0])
    valid = _valid(far, layout)
    for x in (50, 150, 250):
        assert not valid[0:6, x].any()
    assert not valid[294:300, 50].any() and not valid[294:300, 150].any()
    for y in (50, 150, 250):
        assert not valid[y, 0:6].any()
    assert valid[150, 20:380].all()  # the data line stays, even where it meets a tick's row
    assert valid[100:294, 250].all()  # ... and the line into the edge: longer than a tick
    assert valid[294:300, 300].all()  # no tick mark drawn at x=350: nothing left out


def test_gridlines_are_no_tick_marks() -> None:
    pa = Box(0, 0, 400, 300)
    far = np.zeros((300, 400), bool)
    far[:, 100] = True  # a gridline from edge to edge
    layout = Layout(plot_area=pa, x_ticks=[100.0])
    assert _valid(far, layout).all()


def test_a_data_line_meeting_the_edge_at_a_tick_stays_data() -> None:
    pa = Box(0, 0, 400, 300)
    far = np.zeros((300, 400), bool)
    far[:, 0] = True  # the frame's left line, inside the crop
    for y in (100, 200):
        far[y, 0:6] = True  # inward ticks
    for x in range(0, 60):  # a line ending on the left edge at the second tick's row
        far[200 - x // 2, x] = True
    layout = Layout(plot_area=pa, y_ticks=[100.0, 200.0])
    valid = _valid(far, layout)
    assert not valid[100, 1:6].any()  # the lone tick goes
    assert valid[198:201, 1:6].all()  # the line's end stays
