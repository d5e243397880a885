#!/usr/bin/env python3
"""Fuzz the ``digitize`` command line with generated and mutated inputs.

Each input is generated from ``--seed`` and its index (so any one can be re-made), written to a
file and run through the CLI with a per-input timeout. The contract checked on every run:

* no traceback on stderr;
* no hang (the run ends within ``--timeout`` seconds);
* no partial output: a non-zero exit leaves stdout empty;
* only documented exit codes: 0, 2, 3, 4, 5;
* a failure prints exactly one ``digitize: error: ...`` line on stderr.

Runs that break it are saved, with their arguments and output, under ``--out`` for
reproduction. ``internal error`` exits (code 3, a bug caught by the CLI's last resort) are
counted and saved too, with the traceback from a re-run under ``--debug``.

Usage::

    python scripts/fuzz.py --n 1000 --seed 1                  # in-process workers (fast)
    python scripts/fuzz.py --n 50 --seed 2 --mode subprocess  # one fresh interpreter per input
    python scripts/fuzz.py --replay out/fuzz/failures/00042-bitflip.png

Two modes: ``inprocess`` (default) keeps ``--jobs`` long-lived worker processes that import
digitize once and call ``digitize.cli.main([...])`` with file descriptors 1 and 2 redirected to
files (so even native libraries' output is caught); a worker that hangs is killed and replaced,
one that dies is recorded as a crash. ``subprocess`` runs ``python -m digitize.cli`` per input,
exactly as a user would (about 1-2 s more per input for imports).
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing as mp
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))
DOCUMENTED_CODES = {0, 2, 3, 4, 5}
FORMATS = ["PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP", "PPM", "ICO", "TGA"]
EXT = {
    "PNG": "png",
    "JPEG": "jpg",
    "GIF": "gif",
    "BMP": "bmp",
    "TIFF": "tif",
    "WEBP": "webp",
    "PPM": "ppm",
    "ICO": "ico",
    "TGA": "tga",
}
MAGICS = [
    b"",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff\xe0",
    b"GIF89a",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
    b"RIFF\x00\x00\x00\x00WEBP",
    b"P6\n",
    b"%PDF-1.4\n",
    b"<svg ",
]


# -- the corpus ------------------------------------------------------------------------------


def corpus_files() -> list[Path]:
    """The real charts mutations start from: the seed and the fixture family."""
    files = [ROOT / "fixtures" / "seed" / "chart.png"]
    files += sorted((ROOT / "fixtures" / "family").glob("*.png"))
    files += sorted((ROOT / "fixtures" / "family").glob("*.jpg"))
    return [f for f in files if f.exists()]


@dataclass
class Corpus:
    """Encoded bytes and decoded RGB images of the corpus files."""

    raw: list[bytes]
    images: list[Image.Image]
    names: list[str]

    @classmethod
    def load(cls) -> Corpus:
        files = corpus_files()
        raw = [f.read_bytes() for f in files]
        images = []
        for f in files:
            with Image.open(f) as img:
                images.append(img.convert("RGB"))
        return cls(raw=raw, images=images, names=[f.name for f in files])


# -- generators: each returns (file extension, bytes) -------------------------------------------


def _encode(img: Image.Image, fmt: str, rng: random.Random) -> bytes:
    """Encode ``img`` as ``fmt``, converting its mode where the format needs it."""
    try:
        return _encode_as_is(img, fmt, rng)
    except (OSError, ValueError, KeyError, TypeError):
        try:
            return _encode_as_is(img.convert("RGB"), fmt, rng)
        except (OSError, ValueError, KeyError, TypeError):
            buf = io.BytesIO()
            img.convert("RGB").save(buf, format="PNG")
            return buf.getvalue()


def _encode_as_is(img: Image.Image, fmt: str, rng: random.Random) -> bytes:
    buf = io.BytesIO()
    kw: dict[str, Any] = {}
    if fmt == "JPEG":
        kw["quality"] = rng.randint(1, 100)
        if img.mode not in ("RGB", "L", "CMYK"):
            img = img.convert("RGB")
    elif fmt == "WEBP":
        kw["quality"] = rng.randint(1, 100)
        kw["lossless"] = rng.random() < 0.3
        if img.mode not in ("RGB", "RGBA"):
            img = img.convert("RGBA" if "A" in img.mode else "RGB")
    elif fmt == "GIF":
        if img.mode not in ("P", "L", "1"):
            img = img.convert("P", palette=Image.Palette.ADAPTIVE, colors=rng.choice([4, 16, 256]))
    elif fmt in ("BMP", "PPM", "TGA") and img.mode not in ("RGB", "L", "1", "P", "RGBA"):
        img = img.convert("RGB")
    elif fmt == "PPM" and img.mode in ("P", "RGBA"):
        img = img.convert("RGB")
    elif fmt == "ICO":
        img = img.convert("RGBA")
    elif fmt == "PNG" and img.mode == "CMYK":
        img = img.convert("RGB")
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


def _random_mode(img: Image.Image, rng: random.Random) -> Image.Image:
    mode = rng.choice(["RGB", "RGB", "L", "P", "RGBA", "LA", "CMYK", "1", "I;16", "I", "F"])
    if mode == "P":
        return img.convert("P", palette=Image.Palette.ADAPTIVE, colors=rng.choice([2, 8, 64, 256]))
    if mode == "I;16":
        arr = np.asarray(img.convert("L")).astype(np.uint16) * 257
        return Image.fromarray(arr)
    if mode == "RGBA":
        rgba = img.convert("RGBA")
        arr = np.asarray(rgba).copy()
        arr[:, :, 3] = rng.choice([0, 128, 255])
        if rng.random() < 0.5:
            white = (arr[:, :, :3] > 240).all(axis=2)
            arr[white, 3] = 0
        return Image.fromarray(arr, "RGBA")
    return img.convert(mode)


def gen_random_bytes(c: Corpus, rng: random.Random) -> tuple[str, bytes]:
    n = rng.choice([0, 1, 8, 64, 512, 4096, rng.randint(0, 20000)])
    return "png", rng.choice(MAGICS) + rng.randbytes(n)


def gen_bitflip(c: Corpus, rng: random.Random) -> tuple[str, bytes]:
    k = rng.randrange(len(c.raw))
    data = bytearray(c.raw[k])
    for _ in range(rng.choice([1, 2, 4, 16, 64, 256])):
        pos = rng.randrange(len(data))
        # favour the header, where flips change how the rest is read
        if rng.random() < 0.3:
            pos = rng.randrange(min(len(data), 200))
        data[pos] ^= 1 << rng.randrange(8)
    return Path(c.names[k]).suffix[1:], bytes(data)


def gen_splice(c: Corpus, rng: random.Random) -> tuple[str, bytes]:
    k = rng.randrange(len(c.raw))
    data = bytearray(c.raw[k])
    start = rng.randrange(len(data))
    length = rng.randint(1, 2000)
    op = rng.choice(["random", "zero", "ff", "delete", "duplicate"])
    if op == "random":
        data[start : start + length] = rng.randbytes(min(length, len(data) - start))
    elif op == "zero":
        data[start : start + length] = bytes(min(length, len(data) - start))
    elif op == "ff":
        data[start : start + length] = b"\xff" * min(length, len(data) - start)
    elif op == "delete":
        del data[start : start + length]
    else:
        data[start:start] = data[start : start + length]
    return Path(c.names[k]).suffix[1:], bytes(data)


def gen_truncate(c: Corpus, rng: random.Random) -> tuple[str, bytes]:
    k = rng.randrange(len(c.raw))
    data = c.raw[k]
    cut = rng.choice([rng.randrange(len(data)), len(data) - rng.randint(1, 64), rng.randint(0, 64)])
    return Path(c.names[k]).suffix[1:], data[: max(0, cut)]


def gen_crop(c: Corpus, rng: random.Random) -> tuple[str, bytes]:
    img = rng.choice(c.images)
    w, h = img.size
    x0, y0 = rng.randrange(w), rng.randrange(h)
    x1, y1 = rng.randint(x0 + 1, w), rng.randint(y0 + 1, h)
    if rng.random() < 0.5:  # mostly-whole crops reach deeper into the pipeline
        x0, y0 = rng.randint(0, w // 5), rng.randint(0, h // 5)
        x1, y1 = rng.randint(4 * w // 5, w), rng.randint(4 * h // 5, h)
    fmt = rng.choice(["PNG", "PNG", "JPEG", "WEBP"])
    return EXT[fmt], _encode(img.crop((x0, y0, x1, y1)), fmt, rng)


def gen_resize(c: Corpus, rng: random.Random) -> tuple[str, bytes]:
    img = rng.choice(c.images)
    w, h = img.size
    sx = rng.choice([0.03, 0.1, 0.25, 0.5, 0.8, 1.3, 2.0, rng.uniform(0.05, 2.5)])
    sy = sx if rng.random() < 0.6 else rng.uniform(0.05, 2.5)
    size = (max(1, int(w * sx)), max(1, int(h * sy)))
    resample = rng.choice(
        [Image.Resampling.NEAREST, Image.Resampling.BILINEAR, Image.Resampling.LANCZOS]
    )
    fmt = rng.choice(["PNG", "JPEG"])
    return EXT[fmt], _encode(img.resize(size, resample), fmt, rng)


def gen_reencode(c: Corpus, rng: random.Random) -> tuple[str, bytes]:
    img = _random_mode(rng.choice(c.images), rng)
    fmt = rng.choice(FORMATS)
    if fmt == "ICO" and max(img.size) > 256:
        fmt = "PNG"
    return EXT[fmt], _encode(img, fmt, rng)


def gen_picture_edit(c: Corpus, rng: random.Random) -> tuple[str, bytes]:
    """Edits a real chart can suffer: rotation, flips, inversion, noise, blur, scribbles."""
    img = rng.choice(c.images).copy()
    for _ in range(rng.randint(1, 3)):
        op = rng.choice(
            [
                "rotate",
                "flip",
                "mirror",
                "invert",
                "noise",
                "blur",
                "scribble",
                "contrast",
                "posterize",
                "shift_hue",
                "pad",
                "overlay_text",
            ]
        )
        if op == "rotate":
            img = img.rotate(
                rng.choice([90, 180, 270, rng.uniform(-8, 8)]), expand=True, fillcolor="white"
            )
        elif op == "flip":
            img = ImageOps.flip(img)
        elif op == "mirror":
            img = ImageOps.mirror(img)
        elif op == "invert":
            img = ImageOps.invert(img.convert("RGB"))
        elif op == "noise":
            arr = np.asarray(img.convert("RGB")).astype(np.int16)
            nrng = np.random.default_rng(rng.randrange(2**32))
            arr = arr + nrng.normal(0, rng.choice([3, 15, 60]), arr.shape).astype(np.int16)
            img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        elif op == "blur":
            img = img.filter(ImageFilter.GaussianBlur(rng.choice([0.7, 2, 6])))
        elif op == "scribble":
            draw = ImageDraw.Draw(img)
            w, h = img.size
            for _ in range(rng.randint(1, 30)):
                colour = tuple(rng.randrange(256) for _ in range(3))
                pts = [(rng.randrange(w), rng.randrange(h)) for _ in range(2)]
                if rng.random() < 0.5:
                    draw.line(pts, fill=colour, width=rng.randint(1, 6))
                else:
                    (xa, ya), (xb, yb) = pts
                    draw.rectangle(
                        (min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)), fill=colour
                    )
        elif op == "contrast":
            img = ImageOps.autocontrast(img.convert("RGB"), cutoff=rng.choice([0, 5, 20]))
        elif op == "posterize":
            img = ImageOps.posterize(img.convert("RGB"), rng.randint(1, 4))
        elif op == "shift_hue":
            hsv = np.asarray(img.convert("HSV")).copy()
            hsv[:, :, 0] = (hsv[:, :, 0].astype(int) + rng.randrange(256)) % 256
            img = Image.fromarray(hsv, "HSV").convert("RGB")
        elif op == "pad":
            img = ImageOps.expand(
                img.convert("RGB"),
                border=rng.choice([1, 20, 300]),
                fill=rng.choice(["white", "black", "grey"]),
            )
        elif op == "overlay_text":
            draw = ImageDraw.Draw(img)
            w, h = img.size
            for _ in range(rng.randint(1, 20)):
                text = "".join(
                    rng.choice("0123456789.-eE,%$ lIO|") for _ in range(rng.randint(1, 8))
                )
                draw.text((rng.randrange(w), rng.randrange(h)), text, fill=(0, 0, 0))
    fmt = rng.choice(["PNG", "PNG", "JPEG"])
    return EXT[fmt], _encode(img.convert("RGB"), fmt, rng)


def gen_random_image(c: Corpus, rng: random.Random) -> tuple[str, bytes]:
    w, h = (
        rng.choice([1, 8, 31, 32, 33, 64, 200, 400]),
        rng.choice([1, 8, 31, 32, 33, 64, 200, 400]),
    )
    nrng = np.random.default_rng(rng.randrange(2**32))
    kind = rng.choice(["noise", "solid", "stripes", "checker", "lines"])
    if kind == "noise":
        arr = nrng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    elif kind == "solid":
        arr = np.full((h, w, 3), rng.randrange(256), np.uint8)
    elif kind == "stripes":
        arr = np.zeros((h, w, 3), np.uint8)
        arr[:, :: rng.randint(2, 20)] = 255
    elif kind == "checker":
        yy, xx = np.mgrid[0:h, 0:w]
        k = rng.randint(1, 16)
        arr = (((yy // k + xx // k) % 2) * 255).astype(np.uint8)[..., None].repeat(3, axis=2)
    else:  # axes-like: a white image with a black L and a few coloured polylines
        arr = np.full((h, w, 3), 255, np.uint8)
        img = Image.fromarray(arr)
        draw = ImageDraw.Draw(img)
        draw.line([(w // 10, h // 10), (w // 10, 9 * h // 10), (9 * w // 10, 9 * h // 10)], fill=0)
        for _ in range(rng.randint(1, 4)):
            colour = tuple(rng.randrange(256) for _ in range(3))
            pts = [(rng.randrange(w), rng.randrange(h)) for _ in range(rng.randint(2, 10))]
            draw.line(sorted(pts), fill=colour, width=rng.randint(1, 3))
        arr = np.asarray(img)
    img = _random_mode(Image.fromarray(arr), rng)
    fmt = rng.choice(FORMATS)
    if fmt == "ICO" and max(img.size) > 256:
        fmt = "PNG"
    return EXT[fmt], _encode(img, fmt, rng)


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks = []
    pos = 8
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        chunks.append((kind, data[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    return chunks


def _chunk(kind: bytes, body: bytes, good_crc: bool = True) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    if not good_crc:
        crc ^= 0xDEADBEEF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def gen_png_chunks(c: Corpus, rng: random.Random) -> tuple[str, bytes]:
    """Structure-aware PNG mutations: IHDR fields, chunk order, extra/duplicate/bad chunks."""
    pngs = [r for r in c.raw if r.startswith(b"\x89PNG")]
    chunks = _png_chunks(rng.choice(pngs))
    op = rng.choice(
        [
            "ihdr",
            "ihdr",
            "drop",
            "dup",
            "shuffle",
            "insert",
            "badcrc",
            "split_idat",
            "huge_dims",
            "zero_dims",
            "iend_early",
        ]
    )
    if op in ("ihdr", "huge_dims", "zero_dims"):
        kind, body = chunks[0]
        w, h, depth, ctype, comp, filt, inter = struct.unpack(">IIBBBBB", body[:13])
        if op == "huge_dims":
            w, h = rng.choice(
                [
                    (100_000, 100_000),
                    (2**31 - 1, 1),
                    (1, 2**31 - 1),
                    (7000, 7000),
                    (50_000, 1000),
                    (2**32 - 1, 2**32 - 1),
                ]
            )
        elif op == "zero_dims":
            w, h = rng.choice([(0, 0), (0, 100), (100, 0)])
        else:
            field_ = rng.choice(["w", "h", "depth", "ctype", "comp", "filt", "inter"])
            value = rng.choice([0, 1, 2, 3, 4, 6, 8, 16, 255, rng.randrange(2**16)])
            if field_ == "w":
                w = value
            elif field_ == "h":
                h = value
            elif field_ == "depth":
                depth = value % 256
            elif field_ == "ctype":
                ctype = value % 256
            elif field_ == "comp":
                comp = value % 256
            elif field_ == "filt":
                filt = value % 256
            else:
                inter = value % 256
        chunks[0] = (kind, struct.pack(">IIBBBBB", w, h, depth, ctype, comp, filt, inter))
        body_bytes = b"".join(_chunk(k, b) for k, b in chunks)
    elif op == "drop" and len(chunks) > 1:
        del chunks[rng.randrange(len(chunks))]
        body_bytes = b"".join(_chunk(k, b) for k, b in chunks)
    elif op == "dup":
        k = rng.randrange(len(chunks))
        chunks.insert(k, chunks[k])
        body_bytes = b"".join(_chunk(k2, b) for k2, b in chunks)
    elif op == "shuffle":
        rng.shuffle(chunks)
        body_bytes = b"".join(_chunk(k, b) for k, b in chunks)
    elif op == "insert":
        kind = rng.choice(
            [
                b"PLTE",
                b"tRNS",
                b"gAMA",
                b"iCCP",
                b"eXIf",
                b"tEXt",
                b"zTXt",
                b"iTXt",
                b"acTL",
                b"fcTL",
                b"fdAT",
                b"sBIT",
                b"pHYs",
                b"bKGD",
                b"abcd",
            ]
        )
        body = rng.randbytes(rng.choice([0, 1, 4, 13, 26, 100, 5000]))
        if kind == b"zTXt" and rng.random() < 0.5:  # a zip bomb of text
            body = b"k\x00\x00" + zlib.compress(b"\x00" * 50_000_000)
        chunks.insert(rng.randint(1, len(chunks) - 1), (kind, body))
        body_bytes = b"".join(_chunk(k, b) for k, b in chunks)
    elif op == "badcrc":
        k = rng.randrange(len(chunks))
        body_bytes = b"".join(_chunk(k2, b, i != k) for i, (k2, b) in enumerate(chunks))
    elif op == "split_idat":
        data = b"".join(b for k, b in chunks if k == b"IDAT")
        pieces = []
        pos = 0
        while pos < len(data):
            n = rng.randint(1, 5000)
            pieces.append((b"IDAT", data[pos : pos + n]))
            pos += n
        others = [ch for ch in chunks if ch[0] not in (b"IDAT", b"IEND")]
        body_bytes = b"".join(_chunk(k, b) for k, b in others + pieces + [(b"IEND", b"")])
    else:  # iend_early
        chunks.insert(1, (b"IEND", b""))
        body_bytes = b"".join(_chunk(k, b) for k, b in chunks)
    return "png", b"\x89PNG\r\n\x1a\n" + body_bytes


GENERATORS: dict[str, tuple[float, Callable[[Corpus, random.Random], tuple[str, bytes]]]] = {
    "random_bytes": (0.08, gen_random_bytes),
    "bitflip": (0.14, gen_bitflip),
    "splice": (0.08, gen_splice),
    "truncate": (0.07, gen_truncate),
    "png_chunks": (0.12, gen_png_chunks),
    "random_image": (0.10, gen_random_image),
    "reencode": (0.10, gen_reencode),
    "crop": (0.09, gen_crop),
    "resize": (0.09, gen_resize),
    "picture_edit": (0.13, gen_picture_edit),
}


def random_flags(rng: random.Random) -> list[str]:
    """Occasional CLI options, sane and insane, so option handling is fuzzed too."""
    if rng.random() > 0.25:
        return []
    flags: list[str] = []
    pick = rng.choice(["json", "xrange", "yrange", "scale", "conf", "pixels", "combo"])
    values = ["0", "1", "-1", "1e300", "-1e300", "nan", "inf", "0.5", "100", "1e-300"]
    if pick in ("json", "combo"):
        flags.append("--json")
    if pick in ("xrange", "combo"):
        flags += ["--x-range", rng.choice(values), rng.choice(values)]
    if pick == "yrange":
        flags += ["--y-range", rng.choice(values), rng.choice(values)]
    if pick in ("scale", "combo"):
        flags += [rng.choice(["--x-scale", "--y-scale"]), rng.choice(["linear", "log"])]
    if pick == "conf":
        flags += ["--min-confidence", rng.choice(["0", "0.5", "0.99", "2", "nan"])]
    if pick == "pixels":
        flags += ["--max-pixels", rng.choice(["1", "1024", "100000", "0", "-5"])]
    return flags


def make_input(index: int, seed: int, corpus: Corpus) -> tuple[str, str, bytes, list[str]]:
    """The ``index``-th input of a campaign: (generator, extension, bytes, extra flags)."""
    rng = random.Random(f"{seed}:{index}")
    names = list(GENERATORS)
    weights = [GENERATORS[n][0] for n in names]
    for _attempt in range(5):  # a generator that trips over its own input draws again
        name = rng.choices(names, weights)[0]
        try:
            ext, data = GENERATORS[name][1](corpus, rng)
            break
        except Exception:  # noqa: BLE001 - e.g. Pillow refusing a mode conversion
            continue
    else:
        name, ext, data = "random_bytes", "png", rng.randbytes(256)
    return name, ext, data, random_flags(rng)


# -- running ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    index: int
    generator: str
    path: str
    args: list[str]
    returncode: int | None = None
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0
    hang: bool = False
    crash: str = ""  # a worker killed by a signal
    problems: list[str] = field(default_factory=list)

    def classify(self) -> None:
        """Fill ``problems`` with every contract violation of this run."""
        p = self.problems
        if self.hang:
            p.append("hang")
            return
        if self.crash:
            p.append("crash")
            return
        if "Traceback" in self.stderr:
            p.append("traceback")
        if self.returncode not in DOCUMENTED_CODES:
            p.append("bad_exit_code")
        if self.returncode != 0 and self.stdout.strip():
            p.append("partial_output")
        if self.returncode != 0:
            lines = [ln for ln in self.stderr.splitlines() if ln.strip()]
            if len(lines) != 1 or not lines[0].startswith("digitize: error:"):
                p.append("stderr_not_one_line")
        if "internal error" in self.stderr:
            p.append("internal_error")


def _worker(conn: Connection, mem_limit_mb: int) -> None:  # pragma: no cover - child process
    """Worker loop: import digitize once, then run ``cli.main`` per job with fds redirected."""
    if mem_limit_mb > 0:
        import resource

        limit = mem_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import digitize.pipeline  # noqa: F401 - warm the imports once
    from digitize import cli

    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        args, out_path, err_path = job
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        with open(out_path, "wb") as fo, open(err_path, "wb") as fe:
            os.dup2(fo.fileno(), 1)
            os.dup2(fe.fileno(), 2)
            try:
                rc = cli.main(list(args))
            except SystemExit as exc:  # recorded as an escape: main must not raise
                rc = exc.code if isinstance(exc.code, int) else 1
                sys.stderr.write(f"Traceback (escaped SystemExit {exc.code!r})\n")
            except BaseException as exc:  # noqa: BLE001 - an exception that escaped main()
                import traceback

                sys.stderr.write("Traceback (escaped main)\n")
                traceback.print_exception(exc)
                rc = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
                os.close(saved[0])
                os.close(saved[1])
        conn.send(rc)


class WorkerPool:
    """``n`` in-process workers; each job gets a deadline, a hung worker is killed."""

    def __init__(self, n: int, timeout: float, scratch: Path, mem_limit_mb: int) -> None:
        self.ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        self.timeout = timeout
        self.scratch = scratch
        self.mem_limit_mb = mem_limit_mb
        self.slots: list[dict[str, Any]] = [self._spawn() for _ in range(n)]

    def _spawn(self) -> dict[str, Any]:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker, args=(child, self.mem_limit_mb), daemon=True)
        proc.start()
        child.close()
        return {"proc": proc, "conn": parent, "job": None, "start": 0.0}

    def _replace(self, k: int) -> None:
        slot = self.slots[k]
        if slot["proc"].is_alive():
            slot["proc"].kill()
        slot["proc"].join(5)
        slot["conn"].close()
        self.slots[k] = self._spawn()

    def run(
        self,
        jobs: Iterator[Outcome],
        on_done: Callable[[Outcome], None],
        stop: Callable[[], bool] = lambda: False,
    ) -> None:
        """Run ``jobs`` (made lazily) until they are all done or ``stop()`` says so."""
        busy = 0
        exhausted = False
        while not exhausted or busy:
            for k, slot in enumerate(self.slots):
                if slot["job"] is None and not exhausted:
                    job = None if stop() else next(jobs, None)
                    if job is None:
                        exhausted = True
                        continue
                    out_path = self.scratch / f"{job.index}.out"
                    err_path = self.scratch / f"{job.index}.err"
                    try:
                        slot["conn"].send((job.args, str(out_path), str(err_path)))
                    except (BrokenPipeError, OSError):
                        self._replace(k)
                        slot = self.slots[k]
                        slot["conn"].send((job.args, str(out_path), str(err_path)))
                    slot["job"], slot["start"] = job, time.monotonic()
                    busy += 1
            ready = wait([s["conn"] for s in self.slots if s["job"] is not None], timeout=0.5)
            now = time.monotonic()
            for k, slot in enumerate(self.slots):
                job = slot["job"]
                if job is None:
                    continue
                out_path = self.scratch / f"{job.index}.out"
                err_path = self.scratch / f"{job.index}.err"
                done = False
                if slot["conn"] in ready:
                    try:
                        job.returncode = slot["conn"].recv()
                    except (EOFError, OSError):
                        slot["proc"].join(5)
                        code = slot["proc"].exitcode
                        if code is not None and code < 0:
                            job.crash = f"killed by {signal.Signals(-code).name}"
                        job.returncode = code
                        self._replace(k)
                    done = True
                elif now - slot["start"] > self.timeout:
                    job.hang = True
                    self._replace(k)
                    done = True
                if done:
                    job.seconds = now - slot["start"]
                    job.stdout = _read_text(out_path)
                    job.stderr = _read_text(err_path)
                    out_path.unlink(missing_ok=True)
                    err_path.unlink(missing_ok=True)
                    self.slots[k]["job"] = None
                    busy -= 1
                    on_done(job)

    def close(self) -> None:
        for slot in self.slots:
            try:
                slot["conn"].send(None)
            except OSError:
                pass
            slot["proc"].join(5)
            if slot["proc"].is_alive():
                slot["proc"].kill()


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""


def run_subprocess(
    job: Outcome, timeout: float, stop: Callable[[], bool] = lambda: False
) -> Outcome:
    """Run one input through ``python -m digitize.cli`` in a fresh interpreter."""
    if stop():
        return job
    start = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "digitize.cli", *job.args],
            capture_output=True,
            timeout=timeout,
            cwd=ROOT,
        )
        job.returncode = proc.returncode
        job.stdout = proc.stdout.decode("utf-8", "replace")
        job.stderr = proc.stderr.decode("utf-8", "replace")
        if proc.returncode < 0:
            job.crash = f"killed by {signal.Signals(-proc.returncode).name}"
    except subprocess.TimeoutExpired as exc:
        job.hang = True
        job.stdout = (exc.stdout or b"").decode("utf-8", "replace")
        job.stderr = (exc.stderr or b"").decode("utf-8", "replace")
    job.seconds = time.monotonic() - start
    return job


def debug_traceback(job: Outcome, timeout: float) -> str:
    """Re-run a failing input with ``--debug`` in a subprocess; the traceback's last lines."""
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "digitize.cli", *job.args, "--debug"],
            capture_output=True,
            timeout=timeout,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        return "(timed out again under --debug)"
    return proc.stderr.decode("utf-8", "replace")


# -- campaign --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200, help="number of inputs")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start", type=int, default=0, help="first input index (to resume)")
    ap.add_argument("--jobs", type=int, default=2, help="inputs run in parallel")
    ap.add_argument("--timeout", type=float, default=60.0, help="per-input limit (a hang)")
    ap.add_argument(
        "--cli-timeout",
        type=float,
        default=45.0,
        help="--timeout passed to digitize (its own clean give-up; 0 disables)",
    )
    ap.add_argument("--mode", choices=["inprocess", "subprocess"], default="inprocess")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "fuzz", help="failures saved here")
    ap.add_argument("--mem-limit-mb", type=int, default=6000, help="per worker (inprocess)")
    ap.add_argument("--no-debug-rerun", action="store_true", help="skip --debug re-runs")
    ap.add_argument("--replay", type=Path, nargs="+", help="run these saved inputs only")
    ap.add_argument("--max-minutes", type=float, default=0, help="stop starting inputs after")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)

    out: Path = args.out
    inputs_dir = out / "inputs"
    failures_dir = out / "failures"
    inputs_dir.mkdir(parents=True, exist_ok=True)
    failures_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="fuzz-scratch-"))

    cli_flags = ["--timeout", f"{args.cli_timeout:g}"] if args.cli_timeout else []
    total = len(args.replay) if args.replay else args.n

    def make_jobs() -> Iterator[Outcome]:
        """Inputs are generated just before they run: a stopped campaign made no more."""
        if args.replay:
            for i, path in enumerate(args.replay):
                meta = path.with_suffix(".json")
                extra = json.loads(meta.read_text())["args"][1:] if meta.exists() else []
                extra = [a for a in extra if a != "--debug"]
                yield Outcome(i, "replay", str(path), [str(path), *extra])
            return
        corpus = Corpus.load()
        for i in range(args.start, args.start + args.n):
            gen, ext, data, flags = make_input(i, args.seed, corpus)
            path = inputs_dir / f"{i:05d}-{gen}.{ext}"
            path.write_bytes(data)
            yield Outcome(i, gen, str(path), [str(path), *flags, *cli_flags])

    results: list[Outcome] = []
    t0 = time.monotonic()
    stop_at = t0 + args.max_minutes * 60 if args.max_minutes else float("inf")
    interrupted = {"flag": False}

    def on_sigint(signum: int, frame: object) -> None:
        if interrupted["flag"]:
            raise KeyboardInterrupt
        interrupted["flag"] = True
        print("fuzz: stopping after the running inputs (Ctrl-C again to abort)", flush=True)

    def should_stop() -> bool:
        return interrupted["flag"] or time.monotonic() > stop_at

    signal.signal(signal.SIGINT, on_sigint)

    def on_done(job: Outcome) -> None:
        job.classify()
        results.append(job)
        if job.problems:
            _save_failure(job, failures_dir)
        elif not args.replay:
            Path(job.path).unlink(missing_ok=True)
        if not args.quiet:
            tag = ",".join(job.problems) or "ok"
            first = job.stderr.strip().splitlines()[-1:] if job.stderr.strip() else [""]
            print(
                f"[{len(results):5d}/{total}] {Path(job.path).name:32s} "
                f"rc={job.returncode!s:4s} {job.seconds:5.1f}s {tag:18s} {first[0][:90]}",
                flush=True,
            )

    try:
        if args.mode == "inprocess":
            pool = WorkerPool(args.jobs, args.timeout, scratch, args.mem_limit_mb)
            try:
                pool.run(make_jobs(), on_done, should_stop)
            finally:
                pool.close()
        else:
            with ThreadPoolExecutor(args.jobs) as ex:
                pending = [
                    ex.submit(run_subprocess, job, args.timeout, should_stop) for job in make_jobs()
                ]
                for future in pending:
                    job = future.result()
                    if job.returncode is None and not job.hang and should_stop():
                        continue  # never started: the campaign was stopped
                    on_done(job)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    if not args.no_debug_rerun:
        for job in results:
            if {"internal_error", "traceback", "crash"} & set(job.problems):
                tb = debug_traceback(job, args.timeout)
                Path(failures_dir / f"{Path(job.path).stem}.debug.txt").write_text(tb)

    elapsed = time.monotonic() - t0
    summary = summarize(results, elapsed)
    print(summary)
    (out / "summary.txt").write_text(summary + "\n")
    bad = [r for r in results if set(r.problems) - {"internal_error"}]
    return 1 if bad else 0


def _save_failure(job: Outcome, failures_dir: Path) -> None:
    src = Path(job.path)
    dest = failures_dir / src.name
    if src.resolve() != dest.resolve():
        shutil.copyfile(src, dest)
    meta = asdict(job)
    meta["args"] = [str(dest), *job.args[1:]]
    meta["stdout"] = job.stdout[:2000]
    meta["stderr"] = job.stderr[-4000:]
    dest.with_suffix(".json").write_text(json.dumps(meta, indent=1))


def summarize(results: list[Outcome], elapsed: float) -> str:
    """A plain-text table: totals, problems, exit codes, per-generator breakdown, failures."""
    problems = Counter(p for r in results for p in r.problems)
    codes = Counter(r.returncode for r in results)
    by_gen: dict[str, Counter[str]] = defaultdict(Counter)
    for r in results:
        by_gen[r.generator]["inputs"] += 1
        by_gen[r.generator][f"exit {r.returncode}"] += 1
        for p in r.problems:
            by_gen[r.generator][p] += 1
    lines = [
        "",
        f"fuzz: {len(results)} inputs in {elapsed:.0f} s "
        f"({elapsed / max(1, len(results)):.2f} s/input wall)",
        "",
        f"{'check':24s} {'count':>7s}",
    ]
    for key in (
        "traceback",
        "hang",
        "crash",
        "partial_output",
        "bad_exit_code",
        "stderr_not_one_line",
        "internal_error",
    ):
        lines.append(f"{key:24s} {problems.get(key, 0):7d}")
    lines += [
        "",
        "exit codes: " + ", ".join(f"{k}: {v}" for k, v in sorted(codes.items(), key=str)),
    ]
    lines += [
        "",
        f"{'generator':14s} {'inputs':>6s} {'exit0':>6s} {'exit2':>6s} {'exit3':>6s} "
        f"{'other':>6s} {'problems':>8s}",
    ]
    for gen in sorted(by_gen):
        c = by_gen[gen]
        other = c["inputs"] - c["exit 0"] - c["exit 2"] - c["exit 3"]
        probs = sum(v for k, v in c.items() if not k.startswith("exit") and k != "inputs")
        lines.append(
            f"{gen:14s} {c['inputs']:6d} {c['exit 0']:6d} {c['exit 2']:6d} {c['exit 3']:6d} "
            f"{other:6d} {probs:8d}"
        )
    failing = [r for r in results if r.problems]
    if failing:
        lines += ["", "failing inputs:"]
        for r in sorted(failing, key=lambda r: r.index):
            msg = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
            lines.append(
                f"  {Path(r.path).name}  {','.join(r.problems)}  rc={r.returncode}  "
                f"{' '.join(r.args[1:])}  {msg[:120]}"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
