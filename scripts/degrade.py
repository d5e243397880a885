#!/usr/bin/env python3
"""Write degraded copies of a folder of charts (photos and scans), with their truth JSON.

For every ``NAME.png|jpg|jpeg`` with ``NAME.json`` beside it in ``IN_DIR``, a degraded image
and a copy of the truth are written to ``OUT_DIR``. The truth's data is unchanged (the tool
must undo the degradation); ``meta.degraded`` records what was done, and the pixel fields of
``meta`` (``plot_bbox_px``, legend ``bbox_px``...) still describe the undegraded image.

Kinds::

    rot2     rotated by 2° about the centre (+2° and -2° alternately, by sorted name), the
             canvas grown to hold the whole chart, new corners in the border colour
    rot5     the same at 5° (the largest rotation the tool promises to undo)
    blur     Gaussian blur, sigma 1.2 px (an out-of-focus photo, a soft scan)
    jpeg30   re-encoded as JPEG at quality 30 (4:2:0 chroma subsampling)
    light    uneven lighting: brightness falls from 100% to 70% across the image
    scan     all of them: light, rot2, blur, then JPEG 30

Usage::

    python scripts/degrade.py IN_DIR OUT_DIR --kind rot2|rot5|blur|jpeg30|light|scan
        [--limit N]
"""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

KINDS = ("rot2", "rot5", "blur", "jpeg30", "light", "scan")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
BLUR_SIGMA = 1.2
JPEG_QUALITY = 30
LIGHT_FLOOR = 0.7


def rotated(rgb: np.ndarray, angle: float) -> np.ndarray:
    """``rgb`` rotated ``angle`` degrees counter-clockwise by Pillow (bicubic; not the code
    that straightens it), the canvas grown to fit, new corners in the median border colour."""
    edge = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]]).reshape(-1, 3)
    fill = tuple(int(v) for v in np.median(edge, axis=0))
    im = Image.fromarray(rgb).rotate(angle, resample=Image.BICUBIC, expand=True,
                                     fillcolor=fill)
    return np.asarray(im)


def blurred(rgb: np.ndarray, sigma: float = BLUR_SIGMA) -> np.ndarray:
    """Gaussian blur with standard deviation ``sigma`` pixels."""
    return cv2.GaussianBlur(rgb, (0, 0), sigma)


def jpeg(rgb: np.ndarray, quality: int = JPEG_QUALITY) -> np.ndarray:
    """``rgb`` after a JPEG round trip at ``quality``."""
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return np.asarray(Image.open(buf).convert("RGB"))


def uneven_light(rgb: np.ndarray, floor: float = LIGHT_FLOOR) -> np.ndarray:
    """Brightness falling linearly from 1 at the top-left corner to ``floor`` at the
    bottom-right one (a page lit from one side)."""
    h, w = rgb.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    t = (xx / max(1, w - 1) + yy / max(1, h - 1)) / 2.0
    gain = 1.0 - (1.0 - floor) * t
    return np.clip(rgb.astype(np.float32) * gain[..., None] + 0.5, 0, 255).astype(np.uint8)


def degrade(rgb: np.ndarray, kind: str, index: int = 0) -> tuple[np.ndarray, dict]:
    """One degraded copy of ``rgb`` and the parameters used.

    Parameters
    ----------
    rgb : numpy.ndarray
        ``(H, W, 3)`` uint8 chart.
    kind : str
        One of :data:`KINDS`.
    index : int, optional
        The chart's position in its folder: rotations alternate sign with it.

    Returns
    -------
    (numpy.ndarray, dict)
        The degraded image and ``{"kind": ..., parameters...}``.
    """
    sign = 1.0 if index % 2 == 0 else -1.0
    if kind in ("rot2", "rot5"):
        angle = sign * float(kind[3:])
        return rotated(rgb, angle), {"kind": kind, "angle": angle}
    if kind == "blur":
        return blurred(rgb), {"kind": kind, "sigma": BLUR_SIGMA}
    if kind == "jpeg30":
        return jpeg(rgb), {"kind": kind, "quality": JPEG_QUALITY}
    if kind == "light":
        return uneven_light(rgb), {"kind": kind, "floor": LIGHT_FLOOR}
    if kind == "scan":
        angle = sign * 2.0
        out = jpeg(_scan_before_jpeg(rgb, angle))
        return out, {"kind": kind, "angle": angle, "floor": LIGHT_FLOOR, "sigma": BLUR_SIGMA,
                     "quality": JPEG_QUALITY}
    raise ValueError(f"unknown degradation {kind!r}; one of {', '.join(KINDS)}")


def _scan_before_jpeg(rgb: np.ndarray, angle: float) -> np.ndarray:
    return blurred(rotated(uneven_light(rgb), angle))


def degrade_folder(src: Path, dst: Path, kind: str, limit: int | None = None) -> list[Path]:
    """Degrade every chart with a truth JSON in ``src`` into ``dst``; the images written."""
    dst.mkdir(parents=True, exist_ok=True)
    charts = sorted(p for p in src.iterdir()
                    if p.suffix.lower() in IMAGE_SUFFIXES and p.with_suffix(".json").is_file())
    if limit:
        charts = charts[:limit]
    written = []
    for i, img in enumerate(charts):
        rgb = np.asarray(Image.open(img).convert("RGB"))
        out, params = degrade(rgb, kind, i)
        truth = json.loads(img.with_suffix(".json").read_text(encoding="utf-8"))
        meta = truth.setdefault("meta", {})
        if isinstance(meta, dict):
            meta["degraded"] = {**params, "source": img.name,
                                "note": "pixel fields describe the undegraded image"}
        suffix = ".jpg" if kind in ("jpeg30", "scan") else ".png"
        path = dst / (img.stem + suffix)
        if suffix == ".jpg":
            # the file itself is the JPEG at quality 30 (what degrade() decoded from)
            before = rgb if kind == "jpeg30" else _scan_before_jpeg(rgb, params["angle"])
            Image.fromarray(before).save(path, "JPEG", quality=JPEG_QUALITY)
        else:
            Image.fromarray(out).save(path)
        path.with_suffix(".json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("src", metavar="IN_DIR", type=Path)
    p.add_argument("dst", metavar="OUT_DIR", type=Path)
    p.add_argument("--kind", choices=KINDS, required=True)
    p.add_argument("--limit", type=int, help="at most N charts")
    args = p.parse_args(argv)
    if not args.src.is_dir():
        p.error(f"{args.src}: no such folder")
    written = degrade_folder(args.src, args.dst, args.kind, args.limit)
    print(f"wrote {len(written)} {args.kind} charts to {args.dst}")
    return 0 if written else 2


if __name__ == "__main__":
    raise SystemExit(main())
