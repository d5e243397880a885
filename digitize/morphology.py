"""Binary morphology and the distance transform on boolean masks, by OpenCV.

The same results as :mod:`scipy.ndimage`'s ``binary_dilation``, ``binary_erosion``,
``binary_opening``, ``binary_closing`` (default border: nothing outside the array) and
``distance_transform_edt``, at a tenth of the time or less on chart-sized masks (scipy's
binary morphology visits the structuring element per pixel and iteration in Python-called
C loops; OpenCV's is vectorised). Masks in, masks out.
"""

from __future__ import annotations

import cv2
import numpy as np

CROSS = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))  # scipy's default structure


def _kernel(structure: np.ndarray | None) -> np.ndarray:
    return CROSS if structure is None else np.asarray(structure, dtype=np.uint8)


def dilate(mask: np.ndarray, iterations: int = 1, structure: np.ndarray | None = None
           ) -> np.ndarray:
    """``scipy.ndimage.binary_dilation`` (cross-shaped structure unless given)."""
    if iterations < 1:
        return mask.astype(bool)
    out = cv2.dilate(mask.astype(np.uint8), _kernel(structure), iterations=iterations)
    return out.astype(bool)


def erode(mask: np.ndarray, iterations: int = 1, structure: np.ndarray | None = None
          ) -> np.ndarray:
    """``scipy.ndimage.binary_erosion``: pixels outside the array count as background."""
    if iterations < 1:
        return mask.astype(bool)
    out = cv2.erode(mask.astype(np.uint8), _kernel(structure), iterations=iterations,
                    borderType=cv2.BORDER_CONSTANT, borderValue=0)
    return out.astype(bool)


def opening(mask: np.ndarray, structure: np.ndarray | None = None) -> np.ndarray:
    """``scipy.ndimage.binary_opening``: erosion, then dilation."""
    return dilate(erode(mask, structure=structure), structure=structure)


def closing(mask: np.ndarray, structure: np.ndarray | None = None, iterations: int = 1
            ) -> np.ndarray:
    """``scipy.ndimage.binary_closing``: dilation, then erosion."""
    grown = dilate(mask, iterations, structure)
    return erode(grown, iterations, structure)


def distance(mask: np.ndarray) -> np.ndarray:
    """``scipy.ndimage.distance_transform_edt``: exact Euclidean distance of every mask pixel
    to the nearest pixel outside the mask (float32).

    OpenCV's precise transform is 2-3 times faster than scipy's but its last bit varies from
    call to call on the same mask, which made whole marker series differ between runs. A
    squared distance between pixels is an integer, so rounding it makes the result exact
    and repeatable (its error is far below 0.5 for any image this tool accepts).
    """
    fast = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    squared = np.rint(np.square(fast, dtype=np.float64))
    return np.sqrt(squared).astype(np.float32)


__all__ = ["closing", "dilate", "distance", "erode", "opening"]
