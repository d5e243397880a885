"""Charts from other renderers (gnuplot, Vega-Lite, ggplot2) and the fixes they called for.

The accuracy tests draw a few charts with ``scripts/renderers`` and skip when the renderer is
not installed (``scripts/install.sh --generator`` installs them). The unit tests for the
layout/calibration fixes need nothing but matplotlib to draw their text.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from digitize.geometry import Box  # noqa: E402
from digitize.layout import _recover_minus  # noqa: E402
from digitize.ocr import Word  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))


def text_image(text: str, size: int = 14, dpi: int = 100) -> tuple[np.ndarray, Box]:
    """Grey image of ``text`` drawn on white and the tight box of its ink."""
    fig = plt.figure(figsize=(2.0, 0.6), dpi=dpi)
    fig.text(0.5, 0.5, text, fontsize=size, ha="center", va="center")
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    plt.close(fig)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    ys, xs = np.nonzero(grey < 160)
    return grey, Box(int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)


# -- unit tests for the fixes ------------------------------------------------------------------


@pytest.mark.parametrize("size,dpi", [(11, 72), (11, 100), (13, 150), (14, 72), (12, 100)])
@pytest.mark.parametrize("text", ["3.1", "3.0", "35", "7.5"])
def test_recover_minus_ignores_the_bar_of_a_three(text: str, size: int, dpi: int) -> None:
    """A glyph cut by the crop edge (the middle bar of a 3) is not a minus sign."""
    grey, box = text_image(text, size, dpi)
    assert _recover_minus(grey, Word(text, box, 90.0)).text == text


@pytest.mark.parametrize("text", ["3.1", "0.5", "12"])
def test_recover_minus_finds_a_dropped_dash(text: str) -> None:
    """A dash left of the word (or boxed with it) is still prepended."""
    grey, box = text_image("-" + text)
    _, digits = text_image(text)
    # the OCR box of the digits alone: from the first digit to the right end of the ink
    word = Word(text, Box(box.right - digits.width, box.top, box.right, box.bottom), 90.0)
    assert _recover_minus(grey, word).text == "-" + text
