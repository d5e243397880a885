"""Tests for digitize.image.load_image: every input kind it accepts and every one it refuses."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile

from digitize.errors import InputError
from digitize.image import load_image


def _chart_like(w: int = 120, h: int = 80) -> Image.Image:
    """A small RGB image with some structure (white background, a black frame, a red line)."""
    a = np.full((h, w, 3), 255, np.uint8)
    a[5, 5:-5] = a[-6, 5:-5] = 0
    a[5:-5, 5] = a[5:-5, -6] = 0
    rows = (h / 2 + (h / 4) * np.sin(np.linspace(0, 6, w - 20))).astype(int)
    a[rows, np.arange(10, w - 10)] = (255, 0, 0)
    return Image.fromarray(a)


def _png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


# -- accepted inputs -------------------------------------------------------------------------


def test_png_path_str_and_pathlib(tmp_path: Path) -> None:
    img = _chart_like()
    p = tmp_path / "chart.png"
    img.save(p)
    for src in (p, str(p)):
        out = load_image(src)
        assert out.shape == (80, 120, 3) and out.dtype == np.uint8
        assert np.array_equal(out, np.asarray(img))


def test_bytes_and_pil_input() -> None:
    img = _chart_like()
    assert np.array_equal(load_image(_png_bytes(img)), np.asarray(img))
    assert np.array_equal(load_image(bytearray(_png_bytes(img))), np.asarray(img))
    assert np.array_equal(load_image(img), np.asarray(img))


def test_rgba_transparency_composited_on_white(tmp_path: Path) -> None:
    a = np.zeros((40, 40, 4), np.uint8)
    a[:, :20, 3] = 0  # transparent black -> white
    a[:, 20:, 3] = 128  # half-transparent black -> mid grey
    p = tmp_path / "rgba.png"
    Image.fromarray(a, "RGBA").save(p)
    out = load_image(p)
    assert (out[:, :20] == 255).all()
    assert np.all(np.abs(out[:, 20:].astype(int) - 127) <= 1)


def test_la_transparency_composited_on_white(tmp_path: Path) -> None:
    a = np.zeros((40, 40, 2), np.uint8)
    a[:, :, 0] = 50
    a[:20, :, 1] = 255  # opaque dark grey
    p = tmp_path / "la.png"
    Image.fromarray(a, "LA").save(p)
    out = load_image(p)
    assert (out[:20] == 50).all()
    assert (out[20:] == 255).all()


def test_palette_with_and_without_transparency(tmp_path: Path) -> None:
    img = _chart_like().convert("P", palette=Image.Palette.ADAPTIVE, colors=8)
    p = tmp_path / "pal.png"
    img.save(p)
    out = load_image(p)
    assert out.shape == (80, 120, 3)
    assert tuple(out[0, 0]) == (255, 255, 255)
    assert tuple(out[5, 50]) == (0, 0, 0)

    # a palette image whose index 0 is transparent: those pixels must come out white
    pal = Image.new("P", (40, 40), 0)
    pal.putpalette([0, 0, 0, 255, 0, 0] + [0] * (254 * 3))
    pal.paste(1, (0, 0, 20, 40))
    p2 = tmp_path / "pal_t.png"
    pal.save(p2, transparency=0)
    out = load_image(p2)
    assert (out[:, :20] == (255, 0, 0)).all()
    assert (out[:, 20:] == 255).all()


def test_16bit_grey_png_scaled(tmp_path: Path) -> None:
    a = np.zeros((40, 40), np.uint16)
    a[:, 10:20] = 65535
    a[:, 20:30] = 32896  # 128 * 257
    p = tmp_path / "deep.png"
    Image.fromarray(a).save(p)
    assert Image.open(p).mode.startswith("I")  # the file really is high bit depth
    out = load_image(p)
    assert out.shape == (40, 40, 3)
    assert (out[:, :10] == 0).all() and (out[:, 10:20] == 255).all()
    assert (out[:, 20:30] == 128).all()


def test_32bit_int_mode_scaled() -> None:
    a = np.zeros((40, 40), np.int32)
    a[:, 20:] = 65535
    out = load_image(Image.fromarray(a, "I"))
    assert (out[:, :20] == 0).all() and (out[:, 20:] == 255).all()


def test_cmyk_jpeg_to_rgb(tmp_path: Path) -> None:
    p = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (64, 64), (0, 255, 255, 0)).save(p, quality=95)  # pure red
    out = load_image(p)
    r, g, b = out[32, 32].astype(int)
    assert r > 230 and g < 30 and b < 30


def test_grey_to_rgb(tmp_path: Path) -> None:
    p = tmp_path / "grey.png"
    Image.fromarray(np.full((40, 50), 77, np.uint8), "L").save(p)
    out = load_image(p)
    assert out.shape == (40, 50, 3) and (out == 77).all()


def test_bilevel_image() -> None:
    img = Image.new("1", (40, 40), 1)
    out = load_image(img)
    assert (out == 255).all()


def test_animated_gif_first_frame(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (48, 48), c) for c in ((255, 0, 0), (0, 0, 255), (0, 255, 0))]
    p = tmp_path / "anim.gif"
    frames[0].save(p, save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(p).n_frames == 3
    out = load_image(p)
    assert tuple(out[10, 10]) == (255, 0, 0)


def test_exif_orientation_applied(tmp_path: Path) -> None:
    img = Image.new("RGB", (80, 40), "white")
    img.paste((0, 0, 0), (0, 0, 10, 10))  # marker in the top-left corner
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 CW on display
    p = tmp_path / "rot.jpg"
    img.save(p, exif=exif, quality=95)
    out = load_image(p)
    assert out.shape == (80, 40, 3)  # width and height swapped
    assert out[3, -4].max() < 60  # top-left went to the top-right
    assert out[3, 3].min() > 200


def test_array_inputs() -> None:
    grey = np.full((40, 40), 200, np.uint8)
    assert (load_image(grey) == 200).all()
    deep = np.full((40, 40, 3), 65535, np.uint16)
    assert (load_image(deep) == 255).all()
    unit = np.full((40, 40, 3), 0.5, np.float64)
    assert (load_image(unit) == 128).all()
    rgba = np.zeros((40, 40, 4), np.uint8)  # fully transparent -> white
    assert (load_image(rgba) == 255).all()
    la = np.zeros((40, 40, 2), np.float32)
    la[..., 1] = 1.0  # opaque black
    assert (load_image(la) == 0).all()
    assert load_image(np.ones((40, 40), bool)).min() == 255


def test_pil_limit_restored() -> None:
    before = Image.MAX_IMAGE_PIXELS
    load_image(_png_bytes(_chart_like()), max_pixels=123_456)
    with pytest.raises(InputError):
        load_image(_png_bytes(_chart_like()), max_pixels=1000)
    assert Image.MAX_IMAGE_PIXELS == before


# -- refused inputs --------------------------------------------------------------------------


def _refused(src: object, *words: str, **kw: int) -> str:
    with pytest.raises(InputError) as info:
        load_image(src, **kw)  # type: ignore[arg-type]
    msg = str(info.value)
    assert "\n" not in msg
    for w in words:
        assert w in msg, msg
    return msg


def test_missing_file(tmp_path: Path) -> None:
    _refused(tmp_path / "nope.png", "nope.png", "no such file")


def test_directory(tmp_path: Path) -> None:
    _refused(tmp_path, "directory")


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.png"
    p.write_bytes(b"")
    _refused(p, "empty.png", "empty")
    _refused(b"", "empty")


def test_text_with_png_extension(tmp_path: Path) -> None:
    p = tmp_path / "chart.png"
    p.write_text("this is not a picture\n" * 10)
    msg = _refused(p, "chart.png", "not an image file")
    assert msg.endswith("not an image file (cannot identify format)")


def test_svg_and_pdf_get_a_hint(tmp_path: Path) -> None:
    p = tmp_path / "chart.svg"
    p.write_text('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>')
    _refused(p, "SVG", "rasterise")
    _refused(b"%PDF-1.7\n...", "PDF")


def test_truncated_png(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    data = _png_bytes(Image.fromarray(rng.integers(0, 255, (200, 200, 3), dtype=np.uint8)))
    p = tmp_path / "cut.png"
    p.write_bytes(data[: len(data) // 2])
    _refused(p, "cut.png", "truncated or corrupt")


def test_truncated_jpeg(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (200, 200, 3), dtype=np.uint8)).save(buf, "JPEG")
    p = tmp_path / "cut.jpg"
    p.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    _refused(p, "cut.jpg", "truncated or corrupt")


def test_corrupt_png_data(tmp_path: Path) -> None:
    data = bytearray(_png_bytes(_chart_like()))
    idat = data.index(b"IDAT")
    data[idat + 10 : idat + 30] = b"\x00" * 20  # garbage in the compressed stream
    _refused(bytes(data), "<bytes>")


def test_too_small(tmp_path: Path) -> None:
    p = tmp_path / "icon.png"
    Image.new("RGB", (16, 64), "white").save(p)
    _refused(p, "icon.png", "16x64", "too small to be a chart")
    _refused(np.zeros((31, 100, 3), np.uint8), "too small")


def _patch_png_size(png: bytes, width: int, height: int) -> bytes:
    """Rewrite the IHDR width/height of a PNG (and its CRC) without touching the pixel data."""
    assert png[12:16] == b"IHDR"
    ihdr = bytearray(png[12:29])  # type + 13 data bytes
    ihdr[4:12] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(bytes(ihdr)) & 0xFFFFFFFF)
    return png[:12] + bytes(ihdr) + crc + png[33:]


def test_decompression_bomb_refused_before_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = tmp_path / "big.png"
    p.write_bytes(_patch_png_size(_png_bytes(_chart_like()), 100_000, 100_000))

    def no_decode(self: object) -> None:
        raise AssertionError("a bomb was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decode)
    msg = _refused(p, "big.png", "10000000000 pixels", "limit of 50000000", "--max-pixels")
    assert msg == (
        f"{p}: 10000000000 pixels exceeds the limit of 50000000 (raise it with --max-pixels)"
    )


def test_header_just_over_limit_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _png_bytes(_chart_like(200, 200))
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("decoded"))
    _refused(data, "40000 pixels exceeds the limit of 10000", max_pixels=10_000)


def test_raised_limit_accepts_large_image() -> None:
    data = _png_bytes(Image.new("RGB", (100, 100), "white"))
    assert load_image(data, max_pixels=10_000).shape == (100, 100, 3)
    _refused(data, "exceeds", max_pixels=9_999)


def test_bad_arrays_and_types() -> None:
    _refused(np.zeros((40, 40, 5), np.uint8), "shape")
    _refused(np.full((40, 40), np.nan), "NaN")
    _refused(np.full((40, 40), -3, np.int32), "outside")
    _refused(12345, "unsupported input type")


_MAGICS = [b"", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"\xff\xd8\xff\xe0", b"BM", b"II*\x00", b"P6\n"]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(prefix=st.sampled_from(_MAGICS), body=st.binary(min_size=0, max_size=400))
def test_random_bytes_only_raise_input_error(prefix: bytes, body: bytes) -> None:
    try:
        out = load_image(prefix + body, max_pixels=1_000_000)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:  # if random bytes happen to decode, the result must still honour the contract
        assert out.dtype == np.uint8 and out.ndim == 3 and out.shape[2] == 3
        assert out.shape[0] >= 32 and out.shape[1] >= 32
