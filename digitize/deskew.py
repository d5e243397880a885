"""Photos and scans: straighten a mildly rotated chart, flatten uneven lighting and smooth
heavy JPEG artefacts.

All run before the layout stage and all do nothing on a clean chart.

JPEG artefacts
    A JPEG saved at low quality (under ``JPEG_SMOOTH_BELOW``, read from its quantisation
    tables by :func:`digitize.image.jpeg_quality`) rings around every stroke and splits flat
    colours into blocks; a bilateral filter evens them out before colours are clustered.

Deskew
    A chart is made of long horizontal and vertical strokes (axes, frame, gridlines, tick
    labels' baselines). Their dominant deviation from horizontal / vertical is the rotation:
    edge pixels of near-horizontal and near-vertical strokes are projected along candidate
    angles within ``MAX_ANGLE`` and the angle with the sharpest projection profiles is the
    estimate (a projection-profile search). When it is below ``MIN_ANGLE`` (a clean chart's
    strokes give exactly 0) or the profiles there are hardly sharper than unrotated
    (``MIN_GAIN``), or its profiles peak there less distinctly than at 0 (exactly level
    frame lines and gridlines make 0 a sharp peak; steep data strokes lining up at some
    angle make a blunt one), the image is returned unchanged (the same array). Otherwise
    the image is rotated back about its centre onto a canvas grown to hold all of it, the
    new corners filled with the image's border colour, and cut back to the original chart's
    frame where only that colour lies outside it (:func:`_trim`).

Lighting
    A scan or photo of a page is darker at one side. The lighting is a plane (in log
    brightness) fitted to the brightest page colour (:func:`background_field`); when it
    varies by more than ``LIGHTING_SPREAD`` grey levels across the image (and no single page
    colour covers ``EVEN_SHARE`` of it, as it does on any rendered chart), every channel is
    divided by it (the page becomes evenly white, inks keep their colour relative to it).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MAX_ANGLE = 6.0  # degrees: segments further than this from horizontal/vertical are not axes
MIN_ANGLE = 0.2  # degrees: below this the image is left alone
MIN_GAIN = 1.1  # the straightened profiles must be this much sharper than the input's
LIGHTING_SPREAD = 24.0  # grey levels of background variation that count as uneven lighting
EVEN_TOL = 4  # grey levels around the most common one that count as the page colour
EVEN_SHARE = 0.3  # share of the image in the page colour that means even lighting
INTERPOLATION = cv2.INTER_CUBIC  # keeps small text sharp enough for OCR (linear blurs it)
JPEG_SMOOTH_BELOW = 50  # JPEG quality under which compression artefacts are smoothed
WORK_SIDE = 1600  # longest side the angle is estimated at (larger images are downscaled)
PEAK_STEP = 0.3  # degrees either side of an angle its profile sharpness is compared with


@dataclass
class Straightened:
    """The outcome of :func:`straighten`.

    ``rgb`` is the input array itself when nothing was done. ``angle`` is the rotation that
    was undone in degrees (positive: the chart was rotated counter-clockwise), 0.0 when none.
    """

    rgb: np.ndarray
    angle: float = 0.0
    flattened: bool = False
    warnings: list[str] | None = None


def estimate_skew(rgb: np.ndarray) -> tuple[float, float]:
    """The rotation of a chart's long straight strokes away from horizontal/vertical.

    Edge pixels of near-horizontal strokes (strong vertical gradient) are projected onto the
    direction perpendicular to a candidate angle, edge pixels of near-vertical strokes onto
    the other one; the angle whose projection profiles are sharpest (largest sum of squared
    bin weights) is the rotation. A coarse 0.1° scan over ``±MAX_ANGLE`` is refined to 0.01°.

    Parameters
    ----------
    rgb : numpy.ndarray
        ``(H, W, 3)`` uint8 image.

    Returns
    -------
    (float, float)
        The angle in degrees (positive: content rotated counter-clockwise, as
        ``PIL.Image.rotate(angle)`` does) and the gain: how much sharper the profiles are at
        that angle than at 0 (1.0 when the best angle is 0 or nothing was found).
    """
    grey = cv2.cvtColor(np.ascontiguousarray(rgb[..., :3]), cv2.COLOR_RGB2GRAY)
    h, w = grey.shape
    scale = min(1.0, WORK_SIDE / max(h, w))
    if scale < 1.0:
        grey = cv2.resize(grey, (int(round(w * scale)), int(round(h * scale))),
                          interpolation=cv2.INTER_AREA)
    g = grey.astype(np.float32)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    ax, ay = np.abs(gx), np.abs(gy)
    strong = 16.0
    hy, hx = np.nonzero((ay > strong) & (ay > 2.0 * ax))
    vy, vx = np.nonzero((ax > strong) & (ax > 2.0 * ay))
    if len(hy) + len(vy) < 50:
        return 0.0, 1.0
    hw_ = ay[hy, hx]
    vw_ = ax[vy, vx]
    cy, cx = g.shape[0] / 2.0, g.shape[1] / 2.0
    hy_c, hx_c = hy - cy, hx - cx
    vy_c, vx_c = vy - cy, vx - cx

    def sharpness(theta: float) -> float:
        t = np.radians(theta)
        c, s = np.cos(t), np.sin(t)
        # a point of a horizontal stroke rotated by theta (counter-clockwise on screen,
        # y down) keeps y*cos + x*sin constant; a vertical stroke's x*cos - y*sin
        rows = np.floor(hy_c * c + hx_c * s).astype(np.int64)
        cols = np.floor(vx_c * c - vy_c * s).astype(np.int64)
        score = 0.0
        for pos, wts in ((rows, hw_), (cols, vw_)):
            if len(pos):
                b = np.bincount(pos - pos.min(), weights=wts)
                score += float(np.dot(b, b))
        return score

    coarse = np.round(np.arange(-MAX_ANGLE, MAX_ANGLE + 1e-9, 0.1), 2)
    scores = np.array([sharpness(a) for a in coarse])
    best = float(coarse[int(np.argmax(scores))])
    fine = np.round(np.arange(best - 0.1, best + 0.1 + 1e-9, 0.01), 3)
    fscores = np.array([sharpness(a) for a in fine])
    best = float(fine[int(np.argmax(fscores))])
    at_zero = sharpness(0.0)
    gain = float(fscores.max() / at_zero) if at_zero > 0 else 1.0

    def peak(theta: float) -> float:
        # how much sharper the profiles are at theta than PEAK_STEP either side of it
        return sharpness(theta) / max(sharpness(theta - PEAK_STEP),
                                      sharpness(theta + PEAK_STEP), 1e-9)

    if best != 0.0 and at_zero > 0 and not peak(best) > max(1.0, peak(0.0)):
        # strokes exactly level (frame, gridlines) peak at 0 more distinctly than the
        # best angle does: that "rotation" is where many data strokes happen to line up
        return 0.0, 1.0
    return best, gain


def rotate(rgb: np.ndarray, angle: float, fill: tuple[int, int, int] | None = None) -> np.ndarray:
    """Rotate ``rgb`` by ``angle`` degrees counter-clockwise onto a canvas that holds all of it.

    Parameters
    ----------
    rgb : numpy.ndarray
        ``(H, W, 3)`` uint8 image.
    angle : float
        Degrees, counter-clockwise (the ``PIL.Image.rotate`` convention).
    fill : (r, g, b), optional
        Colour of the new corners; the median border colour by default.

    Returns
    -------
    numpy.ndarray
        The rotated image, ``uint8``.
    """
    h, w = rgb.shape[:2]
    if fill is None:
        fill = border_color(rgb)
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(np.ceil(h * sin + w * cos)), int(np.ceil(h * cos + w * sin))
    m[0, 2] += nw / 2.0 - w / 2.0
    m[1, 2] += nh / 2.0 - h / 2.0
    return cv2.warpAffine(np.ascontiguousarray(rgb), m, (nw, nh), flags=INTERPOLATION,
                          borderMode=cv2.BORDER_CONSTANT,
                          borderValue=tuple(int(c) for c in fill))


def _trim(
    rgb: np.ndarray, shape: tuple[int, int], angle: float, fill: tuple[int, int, int]
) -> np.ndarray:
    """The straightened chart cut back to its own frame, when all that lies outside it is
    the fill colour.

    A rotated image whose canvas was grown to hold it (as most tools rotate) has the page
    colour in its new corners; straightened, the original page is the centred rectangle whose
    rotation by ``angle`` spans ``shape``. Cutting to it restores the original framing
    (wide empty margins mislead the layout stage). Where anything else lies outside it (a
    photo's surroundings), nothing is cut.
    """
    h1, w1 = shape
    t = np.radians(abs(angle))
    c, s = np.cos(t), np.sin(t)
    h0, w0 = np.linalg.solve(np.array([[s, c], [c, s]]), [w1, h1])
    hh, ww = rgb.shape[:2]
    h0i, w0i = int(round(h0)), int(round(w0))
    top, left = (hh - h0i) // 2, (ww - w0i) // 2
    if h0i < 32 or w0i < 32 or top < 0 or left < 0:
        return rgb
    outside = np.ones((hh, ww), bool)
    outside[top : top + h0i, left : left + w0i] = False
    diff = np.abs(rgb[outside].astype(np.int16) - np.array(fill, np.int16)).max(axis=1)
    if diff.size and np.mean(diff <= 24) < 0.99:
        return rgb
    return np.ascontiguousarray(rgb[top : top + h0i, left : left + w0i])


def border_color(rgb: np.ndarray) -> tuple[int, int, int]:
    """Median colour of the image's outermost rows and columns."""
    edge = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]]).reshape(-1, 3)
    r, g, b = (int(v) for v in np.median(edge, axis=0))
    return r, g, b


def background_field(rgb: np.ndarray) -> np.ndarray:
    """The lighting: a smooth multiplicative field (float32, image size, brightest page = its
    peak value) fitted to the page.

    The grey image is closed (thin dark ink lifted to the page colour) and reduced to about
    128 pixels on its long side; a plane is fitted to the log brightness and
    refitted on the pixels not darker than it (panels, bands, text fall out, the page stays):
    the upper envelope of the brightest surface colour under the light. (A quadratic surface
    would bend into a chart's darker panel, which the page surrounds.)
    """
    grey = cv2.cvtColor(np.ascontiguousarray(rgb[..., :3]), cv2.COLOR_RGB2GRAY)
    h, w = grey.shape
    f = 128.0 / max(h, w)
    sw, sh = max(8, int(round(w * f))), max(8, int(round(h * f)))
    small = cv2.resize(grey, (sw, sh), interpolation=cv2.INTER_AREA)
    small = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float64)
    u, v = xx.ravel() / sw - 0.5, yy.ravel() / sh - 0.5
    design = np.column_stack([np.ones_like(u), u, v])
    target = np.log(np.maximum(small.ravel().astype(np.float64), 1.0))
    keep = target >= np.percentile(target, 50)
    coef = np.zeros(design.shape[1])
    for _ in range(8):
        coef, *_ = np.linalg.lstsq(design[keep], target[keep], rcond=None)
        resid = target - design @ coef
        new_keep = resid > -0.03
        if new_keep.sum() < 0.05 * len(target) or np.array_equal(new_keep, keep):
            break
        keep = new_keep
    field = np.exp(design @ coef).reshape(sh, sw).astype(np.float32)
    return cv2.resize(field, (w, h), interpolation=cv2.INTER_LINEAR)


def flatten_lighting(rgb: np.ndarray) -> np.ndarray | None:
    """The image with uneven lighting divided out, or None when the lighting is even.

    Only light backgrounds are flattened (a dark theme's background is the ink's contrast).
    """
    grey = cv2.cvtColor(np.ascontiguousarray(rgb[..., :3]), cv2.COLOR_RGB2GRAY)
    hist = np.bincount(grey.ravel(), minlength=256).astype(float)
    mode = int(np.argmax(hist))
    if hist[max(0, mode - EVEN_TOL) : mode + EVEN_TOL + 1].sum() >= EVEN_SHARE * grey.size:
        return None  # one page colour covers much of the image: the lighting is even
    bg = background_field(rgb)
    lo, hi = float(bg.min()), float(bg.max())
    if hi < 128 or hi - lo < LIGHTING_SPREAD:
        return None
    gain = min(255.0, hi) / np.maximum(bg, 16.0)
    out = rgb.astype(np.float32) * gain[..., None]
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def smooth_jpeg_artefacts(rgb: np.ndarray) -> np.ndarray:
    """A bilateral filter (5 px, colour sigma 30): flattens the ringing and blocks of a low
    quality JPEG inside flat areas while keeping stroke edges."""
    return cv2.bilateralFilter(np.ascontiguousarray(rgb), 5, 30, 5)


def straighten(rgb: np.ndarray, jpeg_quality: int | None = None) -> Straightened:
    """Smooth heavy JPEG artefacts, flatten uneven lighting and undo a mild rotation, when
    there are any.

    Parameters
    ----------
    rgb : numpy.ndarray
        ``(H, W, 3)`` uint8 image.
    jpeg_quality : int, optional
        The quality the source JPEG was saved at (:func:`digitize.image.jpeg_quality`);
        below ``JPEG_SMOOTH_BELOW`` its artefacts are smoothed first.

    Returns
    -------
    Straightened
        The corrected image (``rgb`` itself when nothing was done), the angle undone and the
        warnings describing what was done.
    """
    notes: list[str] = []
    out = rgb
    if jpeg_quality is not None and jpeg_quality < JPEG_SMOOTH_BELOW:
        out = smooth_jpeg_artefacts(out)
        notes.append(f"JPEG quality about {jpeg_quality}: compression artefacts smoothed")
    flat = flatten_lighting(out)
    flattened = flat is not None
    if flat is not None:
        out = flat
        notes.append("uneven lighting: background flattened")
    angle, gain = estimate_skew(out)
    if abs(angle) >= MIN_ANGLE and gain >= MIN_GAIN:
        fill = border_color(out)
        out = _trim(rotate(out, -angle, fill), out.shape[:2], angle, fill)
        notes.append(f"image rotated by {angle:+.2f}°: straightened")
    else:
        angle = 0.0
    return Straightened(out, round(angle, 3), flattened, notes)


__all__ = ["Straightened", "estimate_skew", "rotate", "flatten_lighting",
           "smooth_jpeg_artefacts", "straighten"]
