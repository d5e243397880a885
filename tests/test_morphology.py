"""OpenCV morphology gives what scipy.ndimage's would, borders included."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage
from skimage.morphology import disk

from digitize import morphology


@pytest.fixture(scope="module")
def masks() -> list[np.ndarray]:
    rng = np.random.default_rng(3)
    out = []
    for p in (0.2, 0.5, 0.8):
        m = ndimage.binary_opening(rng.random((47, 63)) < p)
        m[:, 0] = m[0, :] = True  # ink touching the border
        out.append(m)
    return out


@pytest.mark.parametrize("iterations", [1, 2, 4])
def test_dilate_and_erode_match_scipy(masks, iterations):
    square = np.ones((3, 3), np.uint8)
    for m in masks:
        assert np.array_equal(morphology.dilate(m, iterations),
                              ndimage.binary_dilation(m, iterations=iterations))
        assert np.array_equal(morphology.erode(m, iterations),
                              ndimage.binary_erosion(m, iterations=iterations))
        assert np.array_equal(morphology.dilate(m, iterations, square),
                              ndimage.binary_dilation(m, structure=square, iterations=iterations))
        assert np.array_equal(morphology.erode(m, iterations, square),
                              ndimage.binary_erosion(m, structure=square, iterations=iterations))


def test_opening_closing_and_distance_match_scipy(masks):
    for m in masks:
        for r in (1, 2, 3):
            assert np.array_equal(morphology.opening(m, disk(r)),
                                  ndimage.binary_opening(m, structure=disk(r)))
            assert np.array_equal(morphology.closing(m, disk(r)),
                                  ndimage.binary_closing(m, structure=disk(r)))
        assert np.allclose(morphology.distance(m), ndimage.distance_transform_edt(m), atol=1e-4)


def test_distance_is_exact_and_repeatable():
    """Bit for bit scipy's exact transform, the same on every call (OpenCV's precise mode
    alone differs in the last bit, and from call to call)."""
    rng = np.random.default_rng(0)
    for _ in range(5):
        m = ndimage.uniform_filter(rng.random((70, 140)), 7) > 0.45
        want = ndimage.distance_transform_edt(m).astype(np.float32)
        for _ in range(5):
            assert np.array_equal(morphology.distance(m), want)
