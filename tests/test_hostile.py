"""Hostile inputs through the real command line (``python -m digitize.cli FILE``).

Every refusal must be: the documented exit code (2 unreadable input, 3 not a chart / axes
unreadable), exactly one line on stderr starting ``digitize: error:`` and naming the file, an
empty stdout and no traceback; ``-o`` must leave nothing behind. Every odd-but-valid encoding
of a real chart (16-bit, grey, palette, CMYK, transparency, animation, EXIF rotation) must be
digitized.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed" / "chart.png"
SEED_NAMES = {
    s["name"] for s in json.loads((ROOT / "fixtures/seed/chart.json").read_text())["series"]
}


def run(*args: str | Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a fresh interpreter, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "digitize.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def assert_refused(proc: subprocess.CompletedProcess[str], code: int, path: Path) -> str:
    """The failure contract: exit code, one ``digitize: error:`` line naming the file."""
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("digitize: error:"), lines[0]
    assert path.name in lines[0], lines[0]
    return lines[0]


def assert_digitized(proc: subprocess.CompletedProcess[str]) -> set[str]:
    """Exit 0 and a CSV; returns the series names found."""
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    rows = proc.stdout.splitlines()
    assert rows[0] == "series,x,y,y_lower,y_upper"
    assert len(rows) > 5
    return {row.split(",")[0] for row in rows[1:]}


def _seed_rgb() -> Image.Image:
    with Image.open(SEED) as img:
        return img.convert("RGB")


def _png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _with_png_size(png: bytes, width: int, height: int) -> bytes:
    """A PNG whose IHDR claims ``width x height`` (valid CRC), pixel data untouched."""
    ihdr = bytearray(png[12:29])
    ihdr[4:12] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(bytes(ihdr)) & 0xFFFFFFFF)
    return png[:12] + bytes(ihdr) + crc + png[33:]


# -- unreadable input: exit 2 ----------------------------------------------------------------


def _empty(p: Path) -> None:
    p.write_bytes(b"")


def _truncated_png(p: Path) -> None:
    data = SEED.read_bytes()
    p.write_bytes(data[: len(data) // 2])


def _corrupt_jpeg(p: Path) -> None:
    buf = io.BytesIO()
    _seed_rgb().save(buf, "JPEG", quality=90)
    data = bytearray(buf.getvalue())
    sos = data.index(b"\xff\xda")
    rng = np.random.default_rng(0)
    for k in rng.integers(sos + 20, len(data) - 2, 300):
        data[k] = int(rng.integers(0, 256))
    p.write_bytes(bytes(data))


def _text(p: Path) -> None:
    p.write_text("series,x,y\nthis is not a picture\n" * 20)


def _svg(p: Path) -> None:
    p.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">'
        '<polyline points="0,0 100,50 200,20" stroke="red"/></svg>\n'
    )


def _pdf(p: Path) -> None:
    p.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")


def _html(p: Path) -> None:
    p.write_text('<!DOCTYPE html>\n<html><body><img src="chart.png"></body></html>\n')


def _tiny(p: Path) -> None:
    Image.new("RGB", (8, 8), "white").save(p)


def _bomb(p: Path) -> None:
    p.write_bytes(_with_png_size(_png_bytes(Image.new("RGB", (64, 64), "white")), 100_000, 100_000))


UNREADABLE: dict[str, tuple[str, Callable[[Path], None], str]] = {
    "empty file": ("empty.png", _empty, "empty"),
    "truncated PNG": ("truncated.png", _truncated_png, "truncated or corrupt"),
    "corrupt JPEG": ("corrupt.jpg", _corrupt_jpeg, "corrupt"),
    "text as .png": ("text.png", _text, "not an image file"),
    "SVG as .png": ("drawing.png", _svg, "SVG"),
    "PDF as .png": ("paper.png", _pdf, "PDF"),
    "HTML as .png": ("page.png", _html, "HTML"),
    "tiny 8x8": ("tiny.png", _tiny, "too small"),
    "decompression bomb": ("bomb.png", _bomb, "exceeds the limit"),
}


@pytest.mark.parametrize("case", list(UNREADABLE))
def test_unreadable_input_exits_2(case: str, tmp_path: Path) -> None:
    filename, make, words = UNREADABLE[case]
    path = tmp_path / filename
    make(path)
    line = assert_refused(run(path), 2, path)
    assert words in line


def test_bomb_refused_quickly_and_max_pixels_raises_the_cap(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    _bomb(bomb)
    line = assert_refused(run(bomb), 2, bomb)
    assert "10000000000 pixels" in line and "--max-pixels" in line

    # the seed (600 000 pixels) is refused under a lower cap and digitized when it is raised
    seed = tmp_path / "seed.png"
    seed.write_bytes(SEED.read_bytes())
    line = assert_refused(run(seed, "--max-pixels", "100000"), 2, seed)
    assert "600000 pixels exceeds the limit of 100000" in line
    assert assert_digitized(run(seed, "--max-pixels", "700000")) == SEED_NAMES


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS behaves differently elsewhere")
def test_out_of_memory_while_decoding_is_one_line(tmp_path: Path) -> None:
    import resource

    big = tmp_path / "big.png"
    Image.new("RGB", (7000, 7000), "white").save(big)  # 49 Mpx: under the default cap

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1000 * 2**20, 1000 * 2**20))

    proc = subprocess.run(
        [sys.executable, "-m", "digitize.cli", str(big)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        preexec_fn=limit_memory,
    )
    line = assert_refused(proc, 2, big)
    assert "memory" in line


# -- odd encodings of a real chart: exit 0 ---------------------------------------------------


def _sixteen_bit(p: Path) -> None:
    grey = np.asarray(_seed_rgb().convert("L")).astype(np.uint16) * 257
    Image.fromarray(grey).save(p)
    with Image.open(p) as img:
        assert img.mode.startswith("I")


def _sixteen_bit_rgb(p: Path) -> None:
    # 16 bits per channel RGB through the PNG writer of matplotlib is not available in
    # Pillow; a 48-bit PNG is hand-written: IHDR bit depth 16, colour type 2
    rgb = np.asarray(_seed_rgb()).astype(">u2") * 257
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[row].tobytes() for row in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0)
    p.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _grey(p: Path) -> None:
    _seed_rgb().convert("L").save(p)


def _palette(p: Path) -> None:
    _seed_rgb().convert("P", palette=Image.Palette.ADAPTIVE, colors=256).save(p)


def _cmyk(p: Path) -> None:
    _seed_rgb().convert("CMYK").save(p, quality=95)


def _transparent(p: Path) -> None:
    rgba = np.asarray(_seed_rgb().convert("RGBA")).copy()
    white = (rgba[:, :, :3] == 255).all(axis=2)
    rgba[white, 3] = 0  # a transparent background, like savefig(transparent=True)
    rgba[white, :3] = 0
    Image.fromarray(rgba, "RGBA").save(p)


def _animated(p: Path) -> None:
    first = _seed_rgb()
    other = Image.new("RGB", first.size, (0, 0, 128))
    first.save(p, save_all=True, append_images=[other], duration=200, loop=0)
    with Image.open(p) as img:
        assert img.n_frames == 2


def _exif_rotated(p: Path) -> None:
    # stored rotated 90 degrees counter-clockwise; the EXIF tag (6) says "rotate 90 CW to show"
    exif = Image.Exif()
    exif[0x0112] = 6
    _seed_rgb().transpose(Image.Transpose.ROTATE_90).save(p, exif=exif)


HANDLED: dict[str, tuple[str, Callable[[Path], None]]] = {
    "16-bit grey": ("deep.png", _sixteen_bit),
    "16-bit RGB": ("deep_rgb.png", _sixteen_bit_rgb),
    "grey": ("grey.png", _grey),
    "palette": ("palette.png", _palette),
    "CMYK JPEG": ("cmyk.jpg", _cmyk),
    "transparent PNG": ("transparent.png", _transparent),
    "animated GIF": ("animated.gif", _animated),
    "EXIF-rotated JPEG": ("rotated.jpg", _exif_rotated),
}


@pytest.mark.parametrize("case", list(HANDLED))
def test_odd_encodings_of_a_real_chart_are_digitized(case: str, tmp_path: Path) -> None:
    filename, make = HANDLED[case]
    path = tmp_path / filename
    make(path)
    names = assert_digitized(run(path))
    if case in ("EXIF-rotated JPEG", "transparent PNG", "animated GIF", "palette", "CMYK JPEG"):
        assert names == SEED_NAMES
    else:
        assert len(names) >= 1


# -- images that are not charts: exit 3 ------------------------------------------------------


def _blank(p: Path) -> None:
    Image.new("RGB", (400, 300), "white").save(p)


def _noise(p: Path) -> None:
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 256, (300, 400, 3), dtype=np.uint8)).save(p)


def _gradient_photo(p: Path) -> None:
    rng = np.random.default_rng(1)
    y, x = np.mgrid[0:480, 0:640].astype(float)
    sky = np.stack([90 + x / 8, 140 + y / 6, 230 - y / 5], axis=-1)
    ground = np.stack([60 + x / 20, 120 - y / 20, 40 + 0 * x], axis=-1)
    horizon = 260 + 30 * np.sin(x / 90.0)
    img = np.where((y > horizon)[..., None], ground, sky) + rng.normal(0, 8, (480, 640, 3))
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(p, quality=85)


NOT_CHARTS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "blank white": ("blank.png", _blank),
    "random noise": ("noise.png", _noise),
    "photo-like gradient": ("photo.jpg", _gradient_photo),
}


@pytest.mark.parametrize("case", list(NOT_CHARTS))
def test_not_a_chart_exits_3(case: str, tmp_path: Path) -> None:
    filename, make = NOT_CHARTS[case]
    path = tmp_path / filename
    make(path)
    assert_refused(run(path), 3, path)


# -- nothing written on failure ----------------------------------------------------------------


@pytest.mark.parametrize("make", [_truncated_png, _blank], ids=["unreadable", "not a chart"])
def test_output_file_not_created_on_failure(make: Callable[[Path], None], tmp_path: Path) -> None:
    src_dir = tmp_path / "in"
    out_dir = tmp_path / "out"
    src_dir.mkdir()
    out_dir.mkdir()
    path = src_dir / "input.png"
    make(path)
    out = out_dir / "points.csv"
    check = out_dir / "check.png"
    proc = run(path, "-o", out, "--check", check)
    assert proc.returncode in (2, 3)
    assert_refused(proc, proc.returncode, path)
    assert list(out_dir.iterdir()) == []  # no output, no check image, no temp file


def test_output_kept_untouched_on_failure(tmp_path: Path) -> None:
    out = tmp_path / "points.csv"
    out.write_text("previous,content\n")
    path = tmp_path / "blank.png"
    _blank(path)
    assert_refused(run(path, "-o", out), 3, path)
    assert out.read_text() == "previous,content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blank.png", "points.csv"]


def test_low_confidence_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "points.csv"
    check = tmp_path / "check.png"
    proc = run(SEED, "-o", out, "--check", check, "--min-confidence", "1.01")
    assert proc.returncode == 4
    assert not out.exists() and not check.exists()
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "dir" / "points.csv"
    proc = run(SEED, "-o", out)
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("digitize: error:") and "points.csv" in lines[0]
    assert "Traceback" not in proc.stderr and proc.stdout == ""


# -- time limit ------------------------------------------------------------------------------


def test_timeout_is_a_one_line_error(tmp_path: Path) -> None:
    seed = tmp_path / "seed.png"
    seed.write_bytes(SEED.read_bytes())
    line = assert_refused(run(seed, "--timeout", "0.3"), 3, seed)
    assert "--timeout" in line
    assert list(tmp_path.iterdir()) == [seed]


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    path = tmp_path / "blank.png"
    _blank(path)
    proc = run(path, "--debug")
    assert proc.returncode == 3
    assert "Traceback" in proc.stderr
    assert proc.stderr.splitlines()[-1].startswith("digitize: error:")
    assert proc.stdout == ""


# -- digitize.limits -------------------------------------------------------------------------


def test_deadline_check_names_the_stage() -> None:
    from digitize.errors import DigitizeError
    from digitize.limits import Deadline, TimeLimitError

    now = [100.0]
    d = Deadline(5, clock=lambda: now[0])
    d.check("layout")
    assert d.remaining() == 5 and not d.expired()
    now[0] = 104.0
    with d.stage("calibration"):
        pass
    child = d.sub(30)
    assert child.remaining() == pytest.approx(1.0)
    now[0] = 106.0
    with pytest.raises(TimeLimitError) as info:
        d.check("legend")
    assert isinstance(info.value, DigitizeError) and isinstance(info.value, TimeoutError)
    assert info.value.exit_code == 3
    assert str(info.value).startswith("legend took too long (6.0 s > 5 s budget)")
    with pytest.raises(TimeLimitError):
        child.check("extraction")
    assert Deadline(None).remaining() == float("inf")
    with pytest.raises(ValueError):
        Deadline(-1)


def test_wall_clock_limit_interrupts_python_code_even_under_except_exception() -> None:
    import time

    from digitize.limits import TimeLimitError, wall_clock_limit

    start = time.monotonic()
    with pytest.raises(TimeLimitError, match=r"^chart\.png: gave up after 0\.2 s"):
        with wall_clock_limit(0.2, label="chart.png"):
            while True:
                try:
                    time.sleep(0.01)
                except Exception:  # noqa: BLE001 - the guard must get through this
                    pass
    assert time.monotonic() - start < 2
    with wall_clock_limit(5):  # finished in time: nothing raised, the timer is disarmed
        pass
    import signal

    if hasattr(signal, "getitimer"):
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    with wall_clock_limit(None), wall_clock_limit(0):
        pass


# -- the last resort: a bug anywhere in the pipeline -------------------------------------------


@pytest.mark.parametrize("debug", [False, True])
def test_a_crash_in_the_pipeline_is_one_line_exit_3(
    debug: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import digitize.pipeline
    from digitize.cli import main

    def broken(*args: object, **kwargs: object) -> None:
        raise TypeError("'>=' not supported between instances of 'NoneType' and 'float'\nmore")

    monkeypatch.setattr(digitize.pipeline, "read", broken)
    rc = main([str(SEED), *(["--debug"] if debug else [])])
    err = capsys.readouterr()
    assert rc == 3 and err.out == ""
    last = err.err.splitlines()[-1]
    assert last == (
        f"digitize: error: {SEED}: internal error: '>=' not supported between instances of "
        "'NoneType' and 'float' more (run with --debug)"
    )
    assert ("Traceback" in err.err) == debug
    if not debug:
        assert len(err.err.splitlines()) == 1


def test_memory_error_in_the_pipeline_is_one_line_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import digitize.pipeline
    from digitize.cli import main

    def hungry(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(digitize.pipeline, "read", hungry)
    assert main([str(SEED)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"digitize: error: {SEED}: out of memory")
