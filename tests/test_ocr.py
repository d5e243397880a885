"""OCR behind one interface: the backend reads, and l / I / 1 confusions are resolved."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from digitize import ocr
from digitize.geometry import Box


def _text_image(text: str, size: int = 28) -> np.ndarray:
    font = ImageFont.load_default(size=size)
    img = Image.new("L", (40 + size * len(text), 2 * size), 255)
    ImageDraw.Draw(img).text((10, size // 2), text, fill=0, font=font)
    return np.asarray(img)


def test_model_is_found_and_a_backend_loads() -> None:
    assert ocr.tessdata_dir() is not None
    assert ocr.backend().name in ("tesserocr", "pytesseract")


def test_reads_numbers_with_boxes_in_input_coordinates() -> None:
    img = _text_image("0.25   -1.5e3   1400")
    words = ocr.read_words(img, scale=2.0)
    texts = [w.text for w in words]
    assert texts == ["0.25", "-1.5e3", "1400"]
    for w in words:
        assert 0 <= w.box.left < w.box.right <= img.shape[1]
        assert 0 <= w.box.top < w.box.bottom <= img.shape[0]
    assert words[0].box.right < words[1].box.left < words[2].box.left


@pytest.mark.parametrize(
    ("prev", "nxt", "letter"),
    [
        ("", "r", "l"),
        ("", "t", "I"),
        ("-", "1", "l"),
        ("e", "n", "l"),
        ("A", "", "I"),
        ("", "", "I"),
    ],
)
def test_bar_letter_from_context(prev: str, nxt: str, letter: str) -> None:
    assert ocr.bar_letter(prev, nxt) == letter


def test_fix_bar_glyphs_uses_context_without_character_boxes() -> None:
    blank = np.full((4, 4), 255, np.uint8)
    for read, expected in [("Ir=3e-4", "lr=3e-4"), ("lterations", "Iterations"), ("AIME", "AIME")]:
        assert ocr.fix_bar_glyphs(ocr.Word(read, Box(0, 0, 1, 1), 90.0), blank) == expected


def test_pytesseract_fallback_reads_too(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    if shutil.which("tesseract") is None:
        pytest.skip("no system tesseract for the pytesseract fallback")
    monkeypatch.setenv("DIGITIZE_OCR_BACKEND", "pytesseract")
    ocr.backend.cache_clear()
    try:
        assert ocr.backend().name == "pytesseract"
        texts = [w.text for w in ocr.read_words(_text_image("42   7.5"), scale=2.0)]
        assert texts == ["42", "7.5"]
    finally:
        monkeypatch.delenv("DIGITIZE_OCR_BACKEND")
        ocr.backend.cache_clear()
