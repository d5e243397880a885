"""Extraction units on synthetic masks with known answers."""

from __future__ import annotations

import numpy as np
from skimage.draw import disk, line_aa, polygon

from digitize.extract.bands import band_edges
from digitize.extract.lines import line_vertices, trace_columns
from digitize.extract.markers import find_markers, line_half_width


def _canvas(h: int = 120, w: int = 200) -> np.ndarray:
    return np.zeros((h, w), dtype=bool)


def _thick_line(mask: np.ndarray, p0: tuple[float, float], p1: tuple[float, float]) -> None:
    for dy in (-1, 0, 1):
        rr, cc, val = line_aa(int(p0[1]) + dy, int(p0[0]), int(p1[1]) + dy, int(p1[0]))
        ok = (rr >= 0) & (rr < mask.shape[0]) & (cc >= 0) & (cc < mask.shape[1])
        mask[rr[ok], cc[ok]] |= val[ok] > 0.3


def test_markers_on_a_line_are_found_at_their_centres() -> None:
    mask = _canvas()
    centres = [(30.3, 60.0), (80.0, 30.6), (130.5, 90.2), (170.0, 50.0)]
    for a, b in zip(centres, centres[1:], strict=False):
        _thick_line(mask, a, b)
    for x, y in centres:
        rr, cc = disk((y, x), 6, shape=mask.shape)
        mask[rr, cc] = True
    found = sorted(find_markers(mask), key=lambda m: m.x)
    assert len(found) == len(centres)
    for m, (x, y) in zip(found, centres, strict=True):
        assert abs(m.x - x) < 0.8 and abs(m.y - y) < 0.8


def test_plain_line_has_no_markers_and_its_corners_are_vertices() -> None:
    mask = _canvas()
    corners = [(10, 100), (60, 20), (120, 80), (190, 40)]
    for a, b in zip(corners, corners[1:], strict=False):
        _thick_line(mask, a, b)
    assert find_markers(mask) == []
    assert 0.5 < line_half_width(mask) < 3
    verts = line_vertices(mask, tolerance=1.0)
    for x, y in corners:
        d = np.hypot(verts[:, 0] - x, verts[:, 1] - y).min()
        assert d < 3.5, (x, y, verts)
    assert len(verts) <= len(corners) + 2


def test_marker_cut_by_the_plot_edge_keeps_its_true_centre() -> None:
    mask = _canvas()
    _thick_line(mask, (100, 60), (199, 60))
    rr, cc = disk((60, 199), 6, shape=mask.shape)  # half outside on the right
    mask[rr, cc] = True
    rr, cc = disk((60, 100), 6, shape=mask.shape)
    mask[rr, cc] = True
    found = sorted(find_markers(mask), key=lambda m: m.x)
    assert len(found) == 2
    assert abs(found[1].x - 199) < 1.0


def test_trace_follows_continuity_through_a_stray_mark() -> None:
    mask = _canvas()
    _thick_line(mask, (0, 50), (199, 50))
    mask[10:14, 90:110] = True  # a stray mark far above
    xs, ys = trace_columns(mask)
    assert np.all(np.abs(ys - 50) < 1.5)


def test_band_edges_cross_occluding_ink() -> None:
    h, w = 100, 60
    band = np.zeros((h, w), bool)
    band[30:71, :] = True
    occluder = np.zeros((h, w), bool)
    occluder[45:55, :] = True  # a line drawn over the band
    band &= ~occluder
    top, bottom, clipped = band_edges(band, occluder, 30, 50)
    assert (top, bottom, clipped) == (30.0, 70.0, False)


def test_band_touching_the_edge_is_reported_clipped() -> None:
    band = np.zeros((50, 20), bool)
    band[0:20, :] = True
    top, bottom, clipped = band_edges(band, np.zeros_like(band), 10, 10)
    assert top == 0 and bottom == 19 and clipped


def test_triangle_markers_are_anchored_at_their_box_centre() -> None:
    mask = _canvas()
    truth = [(40.0, 50.0), (120.0, 70.0)]
    for x, y in truth:
        half = 7
        rr, cc = polygon([y - half, y + half, y + half], [x, x + half, x - half], mask.shape)
        mask[rr, cc] = True
    found = sorted(find_markers(mask, shape="^"), key=lambda m: m.x)
    assert len(found) == 2
    for m, (x, y) in zip(found, truth, strict=True):
        assert abs(m.x - x) < 1.0 and abs(m.y - y) < 1.5


def test_components_match_scipy() -> None:
    """One cv2 pass gives the areas, centroids and boxes scipy's label / sum / center_of_mass
    / find_objects give (4-connectivity), component for component."""
    from scipy import ndimage

    from digitize.extract.markers import components

    rng = np.random.default_rng(5)
    mask = ndimage.binary_opening(rng.random((120, 170)) < 0.45)
    labels, areas, centres, slices = components(mask)
    ref, n = ndimage.label(mask)
    assert n == len(areas) > 20
    index = np.arange(1, n + 1)
    # the same partition, whatever the label order
    order = [int(ref[labels == k][0]) for k in index]
    assert all(np.array_equal(labels == k, ref == j) for k, j in zip(index, order, strict=True))
    assert np.array_equal(areas, ndimage.sum(mask, ref, order))
    assert np.allclose(centres[:, ::-1], ndimage.center_of_mass(mask, ref, order))
    boxes = ndimage.find_objects(ref)
    assert slices == [boxes[j - 1] for j in order]


def test_a_marker_mostly_under_three_others_is_found() -> None:
    """Three markers in a triangle and a fourth between them, showing under a fifth of
    itself: it fits inside the clump and explains pixels no other placement does."""
    from digitize.extract.markers import find_scatter_markers

    centres = [(20, 20), (60, 35), (140, 25), (45, 100), (100, 60), (108, 60), (104, 67),
               (103, 64)]
    mask = np.zeros((120, 200), bool)
    for x, y in centres:
        rr, cc = disk((y, x), 5.5, shape=mask.shape)
        mask[rr, cc] = True
    found = find_scatter_markers(mask)
    got = np.array([(m.x, m.y) for m in found])
    assert len(found) == len(centres)
    for x, y in centres:
        assert np.min(np.hypot(got[:, 0] - x, got[:, 1] - y)) <= 1.5


def test_tick_marks_at_the_edge_are_no_cut_markers() -> None:
    """Inward ticks in the series' colour touch the plot edge like cut markers; a marker cut
    by the edge shows a good part of its width along it, a tick a pixel or two."""
    from digitize.extract.markers import find_scatter_markers

    centres = [(20, 20), (60, 35), (140, 25), (45, 100), (100, 60), (170, 80)]
    mask = np.zeros((120, 200), bool)
    for x, y in centres + [(80, 116)]:  # the last one cut by the bottom edge
        rr, cc = disk((y, x), 5.5, shape=mask.shape)
        mask[rr, cc] = True
    for x in (30, 90, 150):
        mask[114:, x : x + 2] = True  # ticks up from the bottom edge
        mask[:6, x : x + 2] = True  # and down from the top
    for y in (30, 90):
        mask[y : y + 2, :6] = True  # and in from the left
    found = find_scatter_markers(mask)
    got = np.array([(m.x, m.y) for m in found])
    assert len(found) == len(centres) + 1
    for x, y in centres + [(80, 116)]:
        assert np.min(np.hypot(got[:, 0] - x, got[:, 1] - y)) <= 1.5
