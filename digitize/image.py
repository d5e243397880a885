"""Load and validate a chart image: anything Pillow reads, bytes, PIL images or arrays -> RGB uint8.

Every refusal is an :class:`~digitize.errors.InputError` with a one-line message that names the
input and the problem, e.g. ``"chart.png: not an image file (cannot identify format)"``.

Decompression bombs are refused *before* any pixel is decoded: ``Image.open`` only reads the
header, and the header's ``width * height`` is compared with ``max_pixels`` first. While a file is
being opened and decoded, Pillow's own guard (``Image.MAX_IMAGE_PIXELS``) is set to the same limit
and its ``DecompressionBombWarning`` is raised as an error, so the code paths that check sizes
lazily (GIF frames, ICO entries...) refuse too. That setting is process-wide in Pillow, so it is
changed under a lock and restored afterwards: image loads through this module are serialised.
"""

from __future__ import annotations

import io
import os
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import InputError

DEFAULT_MAX_PIXELS = 50_000_000
MIN_SIDE = 32  # pixels; anything smaller cannot hold axes, labels and data

_PIL_LIMIT_LOCK = threading.RLock()
_BOMB_SIZE_RE = re.compile(r"\((\d+) pixels\)")
_ALPHA_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}

Source = str | os.PathLike | bytes | bytearray | memoryview | Image.Image | np.ndarray


def load_image(source: Source, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """Read a chart image into an RGB ``uint8`` array of shape ``(H, W, 3)``.

    Parameters
    ----------
    source : str, os.PathLike, bytes, PIL.Image.Image or numpy.ndarray
        A file path; the encoded bytes of an image file; a PIL image; or a pixel array
        (``(H, W)`` grey, ``(H, W, 1|2|3|4)`` grey / grey+alpha / RGB / RGBA) of ``uint8``,
        ``uint16`` (scaled to 8 bit), ``bool`` or float in ``0..1``.
    max_pixels : int, optional
        Largest ``width * height`` accepted; checked on the header, before decoding.

    Returns
    -------
    numpy.ndarray
        ``(H, W, 3)`` ``uint8`` RGB. Transparency is composited on white, palettes expanded,
        16-bit and float data scaled to 8 bit, CMYK converted, grey replicated, the EXIF
        orientation applied, and only the first frame of an animation kept.

    Raises
    ------
    InputError
        Missing file, a directory, an empty or non-image file, a truncated or corrupt image, an
        image smaller than 32 pixels on a side, or one with more than ``max_pixels`` pixels.
    """
    if isinstance(source, np.ndarray):
        return _from_array(source, "<array>", max_pixels)
    if isinstance(source, Image.Image):
        return _from_pil(source, "<PIL image>", max_pixels)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if not data:
            raise InputError("<bytes>: empty input (0 bytes)")
        return _open_and_convert(io.BytesIO(data), "<bytes>", data[:512], max_pixels)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = str(source)
        head = _check_path(path, name)
        try:
            fp = open(path, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InputError(f"{name}: cannot open ({exc.strerror or exc})") from None
        with fp:
            return _open_and_convert(fp, name, head, max_pixels)
    raise InputError(f"<{type(source).__name__}>: unsupported input type")


# -- sources -------------------------------------------------------------------------------


# the IJG (libjpeg) luminance quantisation table at quality 50, in natural order
_IJG_LUMA = np.array([
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
], dtype=float)


def jpeg_quality(source: Any) -> int | None:
    """The IJG quality (1..100) a JPEG file or its bytes was saved at, estimated from its
    luminance quantisation table; None for anything else (or when it cannot be told).

    Only the header is read. The table's mean scale against the IJG base table inverts the
    libjpeg quality formula (``scale = 5000 / q`` below 50, ``200 - 2q`` above).
    """
    try:
        if isinstance(source, (bytes, bytearray, memoryview)):
            fp: Any = io.BytesIO(bytes(source))
        elif isinstance(source, (str, os.PathLike)):
            fp = open(source, "rb")  # noqa: SIM115 - closed below
        else:
            return None
        try:
            with Image.open(fp) as im:
                tables = getattr(im, "quantization", None)
                if im.format != "JPEG" or not tables:
                    return None
                luma = np.asarray(tables[min(tables)], dtype=float)
        finally:
            fp.close()
    except Exception:  # noqa: BLE001 - an estimate; the loader reports unreadable files
        return None
    if luma.size != 64:
        return None
    # zigzag vs natural order does not change the mean ratio much; use sorted tables
    scale = 100.0 * float(np.mean(np.sort(luma) / np.sort(_IJG_LUMA)))
    q = 5000.0 / scale if scale > 100 else (200.0 - scale) / 2.0
    return int(round(min(100.0, max(1.0, q))))


def reduce_resolution(rgb: np.ndarray, max_pixels: int) -> tuple[np.ndarray, float]:
    """``rgb`` shrunk (area averaging) to at most ``max_pixels`` pixels, and the scale used.

    Parameters
    ----------
    rgb : numpy.ndarray
        ``(H, W, 3)`` uint8 image.
    max_pixels : int
        Largest ``width * height`` kept as it is.

    Returns
    -------
    (numpy.ndarray, float)
        The image (the same array when it is small enough) and the scale (1.0 then).
    """
    import cv2

    h, w = rgb.shape[:2]
    if h * w <= max_pixels or max_pixels <= 0:
        return rgb, 1.0
    scale = float(np.sqrt(max_pixels / (h * w)))
    size = (max(1, int(w * scale)), max(1, int(h * scale)))
    out = cv2.resize(np.ascontiguousarray(rgb), size, interpolation=cv2.INTER_AREA)
    return out, round(size[0] / w, 4)


def _check_path(path: Path, name: str) -> bytes:
    """Refuse missing files, directories and empty files; return the first bytes."""
    try:
        if not path.exists():
            raise InputError(f"{name}: no such file")
        if path.is_dir():
            raise InputError(f"{name}: is a directory, not an image file")
        if path.stat().st_size == 0:
            raise InputError(f"{name}: empty file (0 bytes)")
        with open(path, "rb") as fp:
            return fp.read(512)
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None


def _open_and_convert(fp: Any, name: str, head: bytes, max_pixels: int) -> np.ndarray:
    """Identify, size-check, decode and convert an encoded image."""
    with _pil_pixel_limit(max_pixels):
        try:
            img = Image.open(fp)
        except UnidentifiedImageError:
            raise InputError(f"{name}: not an image file ({_what_is_it(head)})") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise InputError(_too_many_pixels(name, _bomb_pixels(exc), max_pixels)) from None
        except Exception as exc:  # noqa: BLE001 - any failure while parsing a header
            raise InputError(f"{name}: corrupt image header ({_reason(exc)})") from None
        with img:
            if img.format == "EPS":
                raise InputError(f"{name}: PostScript is not supported; rasterise it to PNG first")
            return _from_pil(img, name, max_pixels)


def _from_pil(img: Image.Image, name: str, max_pixels: int) -> np.ndarray:
    """Check the (header) size, decode the first frame fully and convert it to RGB uint8."""
    _check_size(img.size, name, max_pixels)
    with _pil_pixel_limit(max_pixels):
        try:
            if getattr(img, "n_frames", 1) > 1:
                img.seek(0)
            img.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise InputError(_too_many_pixels(name, _bomb_pixels(exc), max_pixels)) from None
        except MemoryError:
            raise InputError(_out_of_memory(name, img.size)) from None
        except Exception as exc:  # noqa: BLE001 - decoders raise OSError, SyntaxError, ...
            raise InputError(f"{name}: truncated or corrupt image ({_reason(exc)})") from None
    img = _apply_orientation(img)
    _check_size(img.size, name, max_pixels)
    try:
        return _pil_to_rgb(img)
    except MemoryError:
        raise InputError(_out_of_memory(name, img.size)) from None
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"{name}: cannot convert {img.mode} image ({_reason(exc)})") from None


def _from_array(arr: np.ndarray, name: str, max_pixels: int) -> np.ndarray:
    """Convert a pixel array (grey, grey+alpha, RGB, RGBA; any common dtype) to RGB uint8."""
    if arr.ndim == 3 and arr.shape[2] in (1, 2, 3, 4):
        channels = arr.shape[2]
    elif arr.ndim == 2:
        arr = arr[:, :, None]
        channels = 1
    else:
        raise InputError(f"{name}: shape {arr.shape} is not an image (need H x W [x 1-4])")
    h, w = arr.shape[:2]
    _check_size((w, h), name, max_pixels)
    values = _to_unit_float(arr, name)
    if channels in (2, 4):
        alpha = values[:, :, -1:]
        values = values[:, :, :-1] * alpha + (1.0 - alpha)
    if values.shape[2] == 1:
        values = np.repeat(values, 3, axis=2)
    return _unit_to_uint8(values)


# -- checks --------------------------------------------------------------------------------


def _check_size(size: tuple[int, int], name: str, max_pixels: int) -> None:
    w, h = size
    if w < MIN_SIDE or h < MIN_SIDE:
        raise InputError(f"{name}: {w}x{h} pixels is too small to be a chart")
    if w * h > max_pixels:
        raise InputError(_too_many_pixels(name, w * h, max_pixels))


def _too_many_pixels(name: str, pixels: int | None, max_pixels: int) -> str:
    what = "image" if pixels is None else f"{pixels} pixels"
    return f"{name}: {what} exceeds the limit of {max_pixels} (raise it with --max-pixels)"


def _out_of_memory(name: str, size: tuple[int, int]) -> str:
    w, h = size
    return f"{name}: not enough memory to decode {w}x{h} pixels (image too large)"


def _bomb_pixels(exc: BaseException) -> int | None:
    match = _BOMB_SIZE_RE.search(str(exc))
    return int(match.group(1)) if match else None


def _what_is_it(head: bytes) -> str:
    """A hint on what a file Pillow cannot identify is."""
    start = head.lstrip()[:256].lower()
    if start.startswith(b"%pdf"):
        return "a PDF; rasterise it to PNG first"
    if b"<svg" in start or (start.startswith(b"<?xml") and b"svg" in head.lower()):
        return "an SVG; rasterise it to PNG first"
    if start.startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    return "cannot identify format"


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if len(text) > 120:
        text = text[:117] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@contextmanager
def _pil_pixel_limit(max_pixels: int) -> Iterator[None]:
    """Make Pillow itself refuse more than ``max_pixels`` pixels, wherever it checks."""
    with _PIL_LIMIT_LOCK:
        saved = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = max_pixels
        try:
            with warnings.catch_warnings():
                # Pillow's chatter about corrupt metadata (EXIF...) is not for our users
                warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                yield
        finally:
            Image.MAX_IMAGE_PIXELS = saved


# -- conversion ----------------------------------------------------------------------------


def _apply_orientation(img: Image.Image) -> Image.Image:
    """Apply the EXIF orientation tag; a corrupt EXIF block is ignored, not fatal."""
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")
            rotated = ImageOps.exif_transpose(img)
    except Exception:  # noqa: BLE001 - bad EXIF must not refuse a good image
        return img
    return img if rotated is None else rotated


def _pil_to_rgb(img: Image.Image) -> np.ndarray:
    """Convert a decoded PIL image of any mode to RGB uint8, alpha composited on white."""
    mode = img.mode
    if mode == "P" or mode == "PA":
        has_alpha = mode == "PA" or "transparency" in img.info
        img = img.convert("RGBA" if has_alpha else "RGB")
        mode = img.mode
    elif mode in ("L", "1") and "transparency" in img.info:
        img = img.convert("LA")
        mode = img.mode
    elif mode == "RGB" and "transparency" in img.info:
        img = img.convert("RGBA")
        mode = img.mode
    if mode in ("RGBa", "La"):  # premultiplied alpha
        img = img.convert("RGBA" if mode == "RGBa" else "LA")
        mode = img.mode
    if mode in ("I", "F") or mode.startswith("I;16"):
        grey = _high_depth_to_uint8(np.asarray(img), mode)
        return np.repeat(grey[:, :, None], 3, axis=2)
    if mode in _ALPHA_MODES:
        return _composite_on_white(np.asarray(img.convert("RGBA")))
    if mode != "RGB":
        img = img.convert("RGB")  # L, 1, CMYK, YCbCr, LAB, HSV, RGBX ...
    return np.array(img, dtype=np.uint8)


# Whole-image float intermediates cost 12-40 bytes a pixel (a 20-megapixel RGBA chart: ~1 GB);
# conversions run over bands of this many rows instead, with the same arithmetic.
_ROWS_PER_BLOCK = 256


def _composite_on_white(rgba: np.ndarray) -> np.ndarray:
    """RGBA ``uint8`` -> RGB ``uint8``, composited on white, band by band."""
    h, w = rgba.shape[:2]
    out = np.empty((h, w, 3), np.uint8)
    for top in range(0, h, _ROWS_PER_BLOCK):
        band = rgba[top : top + _ROWS_PER_BLOCK].astype(np.float32) / 255.0
        alpha = band[:, :, 3:]
        out[top : top + _ROWS_PER_BLOCK] = _unit_to_uint8(band[:, :, :3] * alpha + (1.0 - alpha))
    return out


def _high_depth_to_uint8(values: np.ndarray, mode: str) -> np.ndarray:
    """Scale one 16-bit / 32-bit integer or float channel to ``uint8``, band by band."""
    h = values.shape[0]
    scale_lo, scale_hi = _high_depth_scale(values, mode)
    out = np.empty(values.shape, np.uint8)
    for top in range(0, h, _ROWS_PER_BLOCK):
        band = values[top : top + _ROWS_PER_BLOCK].astype(np.float64)
        unit = np.nan_to_num(
            (band - scale_lo) / (scale_hi - scale_lo), nan=1.0, posinf=1.0, neginf=0.0
        )
        out[top : top + _ROWS_PER_BLOCK] = _unit_to_uint8(unit)
    return out


def _high_depth_scale(values: np.ndarray, mode: str) -> tuple[float, float]:
    """The value range that maps to ``0..1``: the type's full range, or the data's own."""
    if np.issubdtype(values.dtype, np.floating):
        finite = np.isfinite(values)
        any_finite = bool(finite.any())
        top = float(values.max(where=finite, initial=-np.inf)) if any_finite else 0.0
        low = float(values.min(where=finite, initial=np.inf)) if any_finite else 0.0
    else:
        top = float(values.max()) if values.size else 0.0
        low = float(values.min()) if values.size else 0.0
    if mode.startswith("I;16"):
        scale_lo, scale_hi = 0.0, 65535.0
    elif mode == "F" and low >= 0.0 and top <= 1.0:
        scale_lo, scale_hi = 0.0, 1.0
    elif low >= 0.0 and top <= 255.0 and mode == "F":
        scale_lo, scale_hi = 0.0, 255.0
    elif low >= 0.0 and top <= 65535.0:
        scale_lo, scale_hi = 0.0, 65535.0  # "I" is how 16-bit files usually arrive
    else:
        scale_lo, scale_hi = low, max(top, low + 1.0)
    return scale_lo, scale_hi


def _to_unit_float(arr: np.ndarray, name: str) -> np.ndarray:
    """Array values to float ``0..1`` by dtype: uint8 /255, uint16 /65535, float as is."""
    if arr.dtype == np.bool_:
        return arr.astype(np.float32)
    if arr.dtype == np.uint8:
        return arr.astype(np.float32) / 255.0
    if arr.dtype == np.uint16:
        return arr.astype(np.float32) / 65535.0
    if np.issubdtype(arr.dtype, np.floating):
        values = arr.astype(np.float32)
        if not np.all(np.isfinite(values)):
            raise InputError(f"{name}: array holds NaN or infinite values")
        top = float(values.max()) if values.size else 0.0
        if top > 1.0 + 1e-6 and top <= 255.0 + 1e-6:
            values = values / 255.0  # a float array of 0..255 values
        return np.clip(values, 0.0, 1.0)
    if np.issubdtype(arr.dtype, np.integer):
        top = int(arr.max()) if arr.size else 0
        low = int(arr.min()) if arr.size else 0
        if low < 0 or top > 65535:
            raise InputError(f"{name}: integer values {low}..{top} are outside 0..65535")
        return arr.astype(np.float32) / (255.0 if top <= 255 else 65535.0)
    raise InputError(f"{name}: unsupported array dtype {arr.dtype}")


def _unit_to_uint8(values: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(values * 255.0), 0, 255).astype(np.uint8)
