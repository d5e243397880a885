"""Colour segmentation on synthetic plot areas with known inks."""

from __future__ import annotations

import numpy as np

from digitize import colors

BG = (234, 234, 242)
DARK = (31, 78, 156)
LIGHT = (127, 178, 229)


def _plot_area() -> np.ndarray:
    img = np.zeros((120, 200, 3), np.uint8)
    img[:] = BG
    dark_band = colors.blend(BG, DARK, 0.2)
    img[20:70, 10:120] = dark_band.round()
    # the light band over the dark band where they overlap
    light_over = colors.blend(img[50:100, 80:190].astype(float), LIGHT, 0.2)
    img[50:100, 80:190] = light_over.round()
    img[44:47, 10:120] = DARK
    img[74:77, 80:190] = LIGHT
    return img


def test_blend_alpha_recovers_opacity() -> None:
    observed = colors.blend(BG, DARK, 0.3)
    alpha, residual = colors.blend_alpha(observed, BG, DARK)
    assert abs(alpha - 0.3) < 1e-6 and residual < 1e-6


def test_discovers_near_shades_and_their_bands() -> None:
    img = _plot_area()
    valid = np.ones(img.shape[:2], bool)
    lab = colors.to_lab(img)
    ink = (colors.lab_distance(lab, BG) > 4) & valid
    clusters = colors.color_clusters(img, ink)
    series = colors.discover_series_colors(clusters, BG, None, valid.size, lab, valid)
    found = sorted(s.color for s in series)
    assert len(found) == 2
    assert all(
        np.abs(np.subtract(a, b)).max() <= 3
        for a, b in zip(found, sorted([DARK, LIGHT]), strict=True)
    )
    colors.find_band_colors(clusters, BG, series, valid.size, lab, valid)
    for s in series:
        assert s.band_alpha is not None and abs(s.band_alpha - 0.2) < 0.03


def test_segmentation_gives_overlap_to_both_bands() -> None:
    img = _plot_area()
    valid = np.ones(img.shape[:2], bool)
    palette = colors.Palette(
        background=BG,
        series=[
            colors.SeriesColor(DARK, tuple(colors.blend(BG, DARK, 0.2).round().astype(int)), 0.2),
            colors.SeriesColor(LIGHT, tuple(colors.blend(BG, LIGHT, 0.2).round().astype(int)), 0.2),
        ],
    )
    seg = colors.segment(img, palette, valid)
    assert seg.line[0][45, 50] and not seg.line[1][45, 50]
    assert seg.line[1][75, 150] and not seg.line[0][75, 150]
    assert seg.band[0][30, 30] and not seg.band[1][30, 30]
    assert seg.band[0][60, 100] and seg.band[1][60, 100]  # the overlap
    assert not seg.band[0][110, 5] and not seg.band[1][110, 5]


def _unlisted(img: np.ndarray, known: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    valid = np.ones(img.shape[:2], bool)
    lab = colors.to_lab(img)
    clusters = colors.color_clusters(img, (colors.lab_distance(lab, BG) > 4) & valid)
    found = colors.discover_series_colors(clusters, BG, None, valid.size, lab, valid,
                                          known=known)
    return [s.color for s in found]


def _squares(img: np.ndarray, color: tuple[int, int, int], x0: int, border: tuple | None = None
             ) -> None:
    """Six 8 px markers of ``color`` in a column from ``x0`` (``border``: a 2 px rim)."""
    for k in range(6):
        y = 8 + 18 * k
        if border is not None:
            img[y - 2 : y + 10, x0 - 2 : x0 + 10] = border
        img[y : y + 8, x0 : x0 + 8] = color


def test_inks_a_legend_does_not_list_are_series_too() -> None:
    """A legend read with one entry of two series: the other ink is found; the listed ink's
    own rim, a line touching all its markers, and grey text are not series."""
    red, blue = (214, 39, 40), (31, 119, 180)
    img = np.zeros((120, 200, 3), np.uint8)
    img[:] = BG
    _squares(img, red, 30, border=(120, 20, 20))  # markers with a dark rim
    _squares(img, blue, 150)
    assert len(_unlisted(img, [red])) == 1
    assert np.abs(np.subtract(_unlisted(img, [red])[0], blue)).max() <= 3
    assert _unlisted(img, [red, blue]) == []
    # a line in another colour joining every red marker belongs to the red series
    img[:, 150:160] = BG
    img[8:110, 33:36] = (90, 160, 60)
    _squares(img, red, 30, border=(120, 20, 20))
    img[60:64, 100:190] = (90, 90, 90)  # neutral text-like ink
    assert _unlisted(img, [red]) == []


def test_an_unlisted_series_crossing_a_listed_one_is_a_series() -> None:
    """An unlisted series whose lines cross every marker of a listed one touches all its marks,
    but most of its ink lies away from them: a series of its own, not their outline."""
    black, purple = (0, 0, 0), (148, 103, 189)
    img = np.zeros((120, 200, 3), np.uint8)
    img[:] = BG
    for k in range(6):
        y = 8 + 18 * k
        img[y + 3 : y + 5, 36:190] = purple  # a line through the black marker
        img[y - 1 : y + 9, 100:110] = purple
        img[y - 1 : y + 9, 170:180] = purple
    _squares(img, black, 30)
    found = _unlisted(img, [black])
    assert len(found) == 1 and np.abs(np.subtract(found[0], purple)).max() <= 3


def test_ink_drawn_in_a_listed_swatch_is_that_series_line() -> None:
    """Excel draws a series' line in one colour through markers of another, and its legend
    handle shows both: the line's colour is in the swatch row, so it is no unlisted series;
    a colour not in any handle is."""
    from digitize.geometry import Box
    from digitize.legend import LegendEntry
    from digitize.pipeline import _in_swatches

    rgb = np.full((60, 200, 3), 255, np.uint8)
    rgb[28:32, 100:140] = (74, 126, 187)  # the handle's blue line
    rgb[25:36, 114:126] = (255, 0, 0)  # the red marker on it: the entry's colour
    entry = LegendEntry("Series1", (255, 0, 0), "s", False, Box(150, 24, 190, 37),
                        Box(114, 25, 126, 36))
    assert _in_swatches(rgb, [entry], (74, 126, 187))
    assert not _in_swatches(rgb, [entry], (44, 160, 44))


def test_a_few_tiny_markers_are_an_ink() -> None:
    """Six 3x3 px dots (too few pixels for an ink by count) are a series; six specks of
    different sizes and shapes (text-like) are not."""
    img = np.zeros((600, 800, 3), np.uint8)  # at least 192 px make an ink by count alone
    img[:] = BG
    for k in range(6):
        img[40 + 40 * k : 43 + 40 * k, 30 + 60 * k : 33 + 60 * k] = (5, 5, 5)
    assert len(_unlisted(img, [])) == 1
    img[:] = BG
    for k, (h, w) in enumerate([(1, 9), (3, 3), (8, 1), (2, 7), (6, 6), (1, 1)]):
        img[40 + 40 * k : 40 + 40 * k + h, 30 + 60 * k : 30 + 60 * k + w] = (5, 5, 5)
    assert _unlisted(img, []) == []


def test_a_jpeg_halo_around_unlisted_markers_is_no_series() -> None:
    """No legend: a light ring around one series' markers (JPEG ringing, off the blend of the
    ink with the background) is no series of its own; a light series apart from it is."""
    purple, halo, light = (148, 103, 189), (205, 200, 250), (120, 200, 120)
    alpha, residual = colors.blend_alpha(halo, BG, purple)
    assert residual > 12  # not explained as a blend of the ink (the old test)
    img = np.zeros((120, 200, 3), np.uint8)
    img[:] = BG
    _squares(img, purple, 30, border=halo)
    _squares(img, light, 150)
    found = _unlisted(img, [])
    assert len(found) == 2
    assert all(min(np.abs(np.subtract(f, c)).max() for f in found) <= 3 for c in (purple, light))


def test_distinct_colors_is_numpys_unique() -> None:
    rng = np.random.default_rng(3)
    rgb = rng.integers(0, 256, (60, 80, 3), dtype=np.uint8)
    rgb[:30] = rgb[30:]  # repeated colours
    r, g, b = (rgb[..., k].astype(np.int32) for k in range(3))
    packed = (r << 16) | (g << 8) | b
    unique, inverse = colors.distinct_colors(packed)
    want_unique, want_inverse = np.unique(packed.ravel(), return_inverse=True)
    assert np.array_equal(unique, want_unique)
    assert np.array_equal(inverse, want_inverse.ravel())


def test_lab_distance_matches_the_definition() -> None:
    rng = np.random.default_rng(4)
    lab = colors.to_lab(rng.integers(0, 256, (20, 30, 3), dtype=np.uint8))
    ref = colors.to_lab(np.array([[40, 120, 200]], np.uint8))[0]
    want = np.sqrt(((lab - ref) ** 2).sum(axis=-1))
    assert np.allclose(colors.lab_distance(lab, (40, 120, 200)), want, atol=1e-4)


def _grey_grid_and_a_grey_series(series: tuple[int, int, int]) -> np.ndarray:
    img = np.full((100, 160, 3), 255, np.uint8)
    img[[20, 50, 80], :] = GRID  # gridlines, drawn before the data
    img[:, [40, 120]] = GRID
    for x in range(10, 150):  # a rising line of the series, two pixels thick
        y = 90 - (x - 10) * 80 // 140
        img[y : y + 2, x] = series
    return img


GRID = (176, 176, 176)


def test_gridlines_near_a_grey_series_colour_are_not_that_series() -> None:
    series = (160, 160, 160)  # a few CIELAB units darker than the grid
    img = _grey_grid_and_a_grey_series(series)
    valid = np.ones(img.shape[:2], bool)
    palette = colors.Palette(background=(255, 255, 255), grid=GRID,
                             series=[colors.SeriesColor(series)])
    seg = colors.segment(img, palette, valid)
    line = seg.line[0]
    assert not line[[20, 50, 80], :].any() and not line[:, [40, 120]].any()
    # the series' own pixels away from the gridlines stay its
    assert line[90 - (70 - 10) * 80 // 140, 70]
    assert line.sum() >= 0.8 * 2 * 140 - 20


def test_a_light_fill_near_the_grid_colour_keeps_its_rows() -> None:
    fill = (190, 190, 190)
    img = np.full((100, 160, 3), 255, np.uint8)
    img[[20, 50, 80], :] = GRID
    img[55:95, :] = fill  # a fill across the plot, over the lowest gridline
    valid = np.ones(img.shape[:2], bool)
    palette = colors.Palette(background=(255, 255, 255), grid=GRID,
                             series=[colors.SeriesColor(fill)])
    seg = colors.segment(img, palette, valid)
    assert seg.line[0][60:95].mean() > 0.9


def _discovered(img: np.ndarray) -> list[colors.SeriesColor]:
    """The series colours found on a white plot with no legend."""
    valid = np.ones(img.shape[:2], bool)
    lab = colors.to_lab(img)
    clusters = colors.color_clusters(img, (colors.lab_distance(lab, (255, 255, 255)) > 4))
    return colors.discover_series_colors(clusters, (255, 255, 255), None, valid.size, lab,
                                         valid)


def _polyline(img: np.ndarray, color: tuple[int, int, int], ys: list[int]) -> None:
    """An anti-aliased 2 px polyline through (x, ys[k]) at x = 10 + 40 k (OpenCV)."""
    import cv2

    pts = np.array([[10 + 40 * k, y] for k, y in enumerate(ys)], np.int32)
    cv2.polylines(img, [pts.reshape(-1, 1, 2)], False, tuple(int(v) for v in color), 2,
                  cv2.LINE_AA)


def test_close_shades_drawing_their_own_lines_are_two_series() -> None:
    """Two lines in neighbouring shades of one sequential palette (dE 12, under
    SAME_COLOR) that keep apart are two inks, where no legend names them."""
    crimson, vermilion = (202, 25, 30), (241, 68, 50)
    img = np.full((120, 210, 3), 255, np.uint8)
    _polyline(img, crimson, [20, 60, 30, 70, 25])
    _polyline(img, vermilion, [100, 80, 105, 85, 95])
    found = _discovered(img)
    assert len(found) == 2
    for want in (crimson, vermilion):
        assert any(np.abs(np.subtract(s.color, want)).max() <= 4 for s in found)


def test_a_lines_darker_rim_is_no_twin() -> None:
    """A line with a darker shade (dE under SAME_COLOR) drawn along its edge is one ink."""
    crimson, darker = (202, 25, 30), (178, 12, 22)
    img = np.full((120, 210, 3), 255, np.uint8)
    img[40:44, 10:200] = darker
    img[41:43, 10:200] = crimson
    img[80:84, 10:200] = darker
    img[81:83, 10:200] = crimson
    found = _discovered(img)
    assert len(found) == 1


def _zigzag_with_band(half_band: int, stroke: int, light: bool) -> np.ndarray:
    """A zigzag of ``stroke`` px in DARK with a translucent DARK band ``half_band`` px each
    side of it (``light``: plus a lighter DARK-hued series crossing it as a 2 px line)."""
    img = np.zeros((120, 200, 3), np.uint8)
    img[:] = BG
    band = tuple(colors.blend(BG, DARK, 0.2).round().astype(int))
    ys = (60 + 30 * np.sin(np.arange(200) / 15.0)).round().astype(int)
    for x, y in enumerate(ys):
        img[y - half_band - stroke // 2 : y + half_band + stroke - stroke // 2, x] = band
    for x, y in enumerate(ys):
        img[y - stroke // 2 : y + stroke - stroke // 2, x] = DARK
    if light:
        lighter = tuple(colors.blend(BG, DARK, 0.55).round().astype(int))
        for x in range(200):
            y = 110 - x // 2
            img[y : y + 2, x] = lighter
    return img


def test_band_split_by_a_thick_stroke_is_no_series() -> None:
    """A band 7 px each side of a 6 px stroke is too thin for a band by depth, and too wide
    for the stroke's rim, but it lies on both sides of the stroke: no series of its own. A
    lighter line of the same hue that only crosses the stroke stays a series."""
    assert _unlisted(_zigzag_with_band(7, 6, light=False), []) == [DARK]
    found = _unlisted(_zigzag_with_band(7, 6, light=True), [])
    assert len(found) == 2 and DARK in found


def test_sandwiched_share() -> None:
    line = np.zeros((20, 20), bool)
    line[10, :] = True
    band = np.zeros((20, 20), bool)
    band[6:9, :] = True
    assert colors.sandwiched(band, line) == 0.0  # above only
    band[12:15, :10] = True
    assert abs(colors.sandwiched(band, line) - 0.5) < 1e-9
    steep = np.zeros((20, 20), bool)
    steep[:, 10] = True
    side = np.zeros((20, 20), bool)
    side[:, 7] = side[:, 13] = True
    assert colors.sandwiched(side, steep) == 1.0


def test_dotted_gridlines_are_no_series() -> None:
    """gnuplot's dotted grid (1 px dots 5 px apart) with no legend: the line is the only
    series, the grey dots are gridlines, not a dotted series."""
    img = np.zeros((120, 200, 3), np.uint8)
    img[:] = BG
    for y in range(10, 120, 30):
        img[y, ::5] = (150, 150, 150)
    for x in range(15, 200, 40):
        img[::5, x] = (150, 150, 150)
    ys = (60 + 30 * np.sin(np.arange(200) / 15.0)).round().astype(int)
    for x, y in enumerate(ys):
        img[y - 1 : y + 1, x] = DARK
    assert _unlisted(img, []) == [DARK]


def test_a_light_grey_series_over_a_grey_band_stays_a_series() -> None:
    """A grey chart: a light grey line the colour of a darker grey line's band, running
    through that band and beyond it, is a series (greys are not judged by the band rule)."""
    grey, light = (103, 103, 103), (190, 190, 190)
    img = np.zeros((120, 200, 3), np.uint8)
    img[:] = (255, 255, 255)
    ys = (60 + 30 * np.sin(np.arange(200) / 15.0)).round().astype(int)
    for x, y in enumerate(ys):
        img[y - 10 : y + 10, x] = light  # the band
    for x, y in enumerate(ys):
        img[y - 3 : y + 3, x] = grey
    for x in range(200):
        y = 115 - x // 2
        img[y : y + 2, x] = light
    found = _discovered(img)
    assert sorted(s.color for s in found) == sorted([grey, light])


PURPLE, PALE = (79, 31, 139), (170, 168, 208)  # a dark line, and a light one near its band


def _purple_with_band(pale: bool) -> np.ndarray:
    """A 3 px PURPLE zigzag with a 30% band 6 px each side (``pale``: and a 2 px PALE line,
    within 6 dE of that band's colour, running apart from it and crossing it twice)."""
    img = np.zeros((160, 240, 3), np.uint8)
    img[:] = BG
    band = tuple(colors.blend(BG, PURPLE, 0.3).round().astype(int))
    ys = (80 + 25 * np.sin(np.arange(240) / 18.0)).round().astype(int)
    for x, y in enumerate(ys):
        img[y - 7 : y + 8, x] = band
    for x, y in enumerate(ys):
        img[y - 1 : y + 2, x] = PURPLE
    if pale:
        for x in range(240):
            y = int(round(20 + 120 * x / 239))
            img[y : y + 2, x] = PALE
    return img


def test_a_light_line_near_a_bands_colour_stays_a_series() -> None:
    """A light line whose colour is within 6 dE of a darker line's band lies, with that band,
    on both sides of the dark stroke; but its own shade runs apart from the ink around the
    dark stroke (colors.enveloped), so it is a series, not the dark line's band."""
    assert len(_unlisted(_purple_with_band(pale=False), [])) == 1
    found = _unlisted(_purple_with_band(pale=True), [])
    assert len(found) == 2
    assert any(np.abs(np.subtract(c, PALE)).max() <= 3 for c in found)


def test_enveloped_share() -> None:
    line = np.zeros((30, 30), bool)
    line[15, :] = True
    inked = np.zeros((30, 30), bool)
    inked[10:21, :] = True  # a band around the line
    core = np.zeros((30, 30), bool)
    core[11, :15] = True  # in the band
    core[3, 15:] = True  # a line of its own, apart
    assert abs(colors.enveloped(core, line, inked | core) - 0.5) < 1e-9
    assert colors.enveloped(np.zeros_like(core), line, inked) == 0.0


def test_a_narrow_band_goes_to_the_line_it_lies_around() -> None:
    """A band too narrow for find_band_colors' share of the plot, on both sides of its line,
    becomes that line's band (colors.find_sandwich_bands); a lighter series of the same hue
    (the band is a blend of it too) that only crosses the band does not get it."""
    img = _purple_with_band(pale=False)
    lighter = tuple(colors.blend(BG, PURPLE, 0.6).round().astype(int))
    for x in range(240):
        y = int(round(140 - 120 * x / 239))
        img[y : y + 2, x] = lighter
    valid = np.ones(img.shape[:2], bool)
    lab = colors.to_lab(img)
    clusters = colors.color_clusters(img, (colors.lab_distance(lab, BG) > 4) & valid)
    series = [colors.SeriesColor(lighter), colors.SeriesColor(PURPLE)]
    colors.find_band_colors(clusters, BG, series, 100 * valid.size, lab, valid)
    assert series[1].band_color is None  # too few pixels for a band by share
    colors.find_sandwich_bands(clusters, BG, None, series, valid.size, lab, valid)
    assert series[0].band_color is None
    assert series[1].band_alpha is not None and abs(series[1].band_alpha - 0.3) < 0.03


def test_a_narrow_band_cut_by_big_markers_is_no_series() -> None:
    """A band 7 px each side of a 2 px line with markers of radius 7 on it: the markers hide
    the band over their width, so most of the ink's pixels (the markers') have no band above
    and below. The stroke between them does (colors.stroke_of): the band is no series."""
    import cv2

    img = np.zeros((160, 260, 3), np.uint8)
    img[:] = BG
    band = tuple(int(v) for v in colors.blend(BG, DARK, 0.2).round())
    ys = (80 + 25 * np.sin(np.arange(260) / 18.0)).round().astype(int)
    for x, y in enumerate(ys):
        img[y - 8 : y + 8, x] = band
    for x, y in enumerate(ys):
        img[y - 1 : y + 1, x] = DARK
    for x in range(10, 260, 22):
        cv2.circle(img, (x, int(ys[x])), 7, DARK, -1)  # 8 px of stroke between
    assert _unlisted(img, []) == [DARK]


def test_where_two_narrow_bands_overlap_is_no_series() -> None:
    """Two lines' narrow bands crossing: the patch where one is painted over the other has a
    colour of its own, found as an ink before the bands were known; colors.band_overlaps
    names it (it borders both bands), and not a line of its own colour elsewhere."""
    white, teal, green = (255, 255, 255), (75, 155, 176), (139, 165, 86)
    img = np.zeros((120, 200, 3), np.uint8)
    img[:] = white
    cols = np.arange(200)
    rows_b = (10 + cols // 2).astype(int)
    img[52:69, :] = colors.blend(white, teal, 0.25).round()
    for x, y in zip(cols, rows_b, strict=True):
        img[y - 8 : y + 9, x] = colors.blend(img[y - 8 : y + 9, x].astype(float), green,
                                             0.25).round()
    img[59:62, :] = teal
    for x, y in zip(cols, rows_b, strict=True):
        img[y - 1 : y + 2, x] = green
    both = tuple(int(v) for v in img[54, 96])  # green's band over teal's
    valid = np.ones(img.shape[:2], bool)
    lab = colors.to_lab(img)
    series = [
        colors.SeriesColor(teal, tuple(int(v) for v in img[53, 5]), 0.25),
        colors.SeriesColor(green, tuple(int(v) for v in img[16, 2]), 0.25),
        colors.SeriesColor(both),
    ]
    assert colors.band_overlaps(series, white, lab, valid, [2]) == [2]
    img[100:103, :] = colors.blend(white, (60, 60, 200), 0.9).round()
    series[2] = colors.SeriesColor(tuple(int(v) for v in img[101, 0]))
    lab = colors.to_lab(img)
    assert colors.band_overlaps(series, white, lab, valid, [2]) == []


def _sine_over_tint(ink: tuple, tint: tuple, reach: int) -> np.ndarray:
    """A 3 px sine stroke of ``ink`` over a ``tint`` reaching ``reach`` px above and below
    it, on white (160 x 240)."""
    img = np.full((160, 240, 3), 255, np.uint8)
    ys = (80 + 25 * np.sin(np.arange(240) / 18.0)).round().astype(int)
    for x, y in enumerate(ys):
        img[y - reach : y + reach + 1, x] = tint
    for x, y in enumerate(ys):
        img[y - 1 : y + 2, x] = ink
    return img


def test_a_lines_anti_aliased_rim_is_no_narrow_band() -> None:
    """A 3 px line with a lighter 1 px rim on both sides: the rim lies on both sides of the
    stroke like a narrow band, but hugs it (within 2 px): find_sandwich_bands gives no band."""
    cyan = (15, 186, 236)
    rim = tuple(int(v) for v in colors.blend((255, 255, 255), cyan, 0.78).round())
    img = _sine_over_tint(cyan, rim, 2)
    valid = np.ones(img.shape[:2], bool)
    lab = colors.to_lab(img)
    clusters = colors.color_clusters(img, (colors.lab_distance(lab, (255, 255, 255)) > 4))
    series = [colors.SeriesColor(cyan)]
    colors.find_sandwich_bands(clusters, (255, 255, 255), None, series, valid.size, lab, valid)
    assert series[0].band_color is None


def test_a_pale_swatch_names_the_ink_it_is_a_tint_of() -> None:
    """A legend swatch drawn in a series' band colour (ggplot's key of a line with a ribbon):
    colors.tinted_ink gives the strong ink whose tint it is, and the tint's opacity; not for
    a light series' own colour, a tint of another listed series' at more opacity, nor where
    the tint only rims the ink's line."""
    white, green = (255, 255, 255), (84, 180, 1)
    pale = tuple(int(v) for v in colors.blend(white, green, 0.2).round())
    img = _sine_over_tint(green, pale, 12)
    valid = np.ones(img.shape[:2], bool)
    lab = colors.to_lab(img)
    clusters = colors.color_clusters(img, (colors.lab_distance(lab, white) > 4))
    found = colors.tinted_ink(pale, clusters, white, [], lab, valid)
    assert found is not None and found[0] == green and abs(found[1] - 0.2) < 0.02
    assert colors.tinted_ink(pale, clusters, white, [green], lab, valid) is None
    # the same tint as a 1 px rim of the line only: no band, no tint of the line
    img = _sine_over_tint(green, pale, 2)
    lab = colors.to_lab(img)
    clusters = colors.color_clusters(img, (colors.lab_distance(lab, white) > 4))
    assert colors.tinted_ink(pale, clusters, white, [], lab, valid) is None


def test_a_light_series_is_no_pale_swatch() -> None:
    """A light series drawn as a line of its own (in a tint of another series' colour, that
    one unlisted), and a grey chart's light grey: colors.tinted_ink names no other ink."""
    white = (255, 255, 255)
    ys = (80 + 25 * np.sin(np.arange(240) / 18.0)).round().astype(int)
    for dark, alpha in (((84, 180, 1), 0.3), ((62, 62, 62), 0.39)):
        light = tuple(int(v) for v in colors.blend(white, dark, alpha).round())
        img = np.zeros((160, 240, 3), np.uint8)
        img[:] = white
        for x, y in enumerate(ys):
            img[y - 1 : y + 2, x] = dark
        for x in range(240):  # a 4 px light line crossing the dark one
            y = int(round(150 - 140 * x / 239))
            img[y : y + 4, x] = light
        valid = np.ones(img.shape[:2], bool)
        lab = colors.to_lab(img)
        clusters = colors.color_clusters(img, (colors.lab_distance(lab, white) > 4))
        assert colors.tinted_ink(light, clusters, white, [], lab, valid) is None


def test_tint_around_scatter_markers_is_no_band() -> None:
    """A pale halo around markers drawn without a line (a JPEG's ringing, marker edges) lies
    on both sides of each marker, but bands belong to lines: no band is found."""
    from skimage.draw import disk

    from digitize.colors import (
        SeriesColor,
        color_clusters,
        find_sandwich_bands,
        lab_distance,
        to_lab,
    )

    rgb = np.full((120, 300, 3), 255, np.uint8)
    blue = np.array([31, 119, 180])
    pale = (0.3 * blue + 0.7 * 255).astype(np.uint8)
    for k in range(10):
        centre = (30 + 60 * (k % 2), 20 + 28 * k)
        rr, cc = disk(centre, 8, shape=rgb.shape[:2])
        rgb[rr, cc] = pale
        rr, cc = disk(centre, 4, shape=rgb.shape[:2])
        rgb[rr, cc] = blue
    valid = np.ones(rgb.shape[:2], bool)
    lab = to_lab(rgb)
    ink = lab_distance(lab, (255, 255, 255)) > 4
    series = [SeriesColor((31, 119, 180))]
    find_sandwich_bands(color_clusters(rgb, ink), (255, 255, 255), None, series,
                        int(valid.sum()), lab, valid)
    assert series[0].band_color is None


def test_a_low_quality_jpeg_scatter_has_one_ink_per_series(tmp_path) -> None:
    """No legend, 72 dpi, JPEG quality 70 on a grey panel: the markers' rims and chroma
    ringing touch most marks of their ink and are no series of their own."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from PIL import Image

    import digitize

    rng = np.random.default_rng(1)
    with plt.style.context("ggplot"):
        fig, ax = plt.subplots(figsize=(6, 3), dpi=72)
        for c in ("#e24a33", "#348abd", "#988ed5"):
            ax.plot(rng.uniform(0, 1, 50), rng.normal(300, 40, 50), "d", color=c, ms=8)
        fig.canvas.draw()
        rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
        plt.close(fig)
    path = tmp_path / "scatter.jpg"
    Image.fromarray(rgb).save(path, quality=70)
    result = digitize.read(path)
    assert len(result.series) == 3


def test_a_thin_black_lines_grey_stretches_are_no_series(tmp_path) -> None:
    """No legend: a black line under a pixel wide comes out grey along its steep stretches;
    that grey touches the line's black pieces and lies beside them: one series."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import digitize

    rng = np.random.default_rng(0)
    fig, ax = plt.subplots(figsize=(10, 3.5), dpi=100)
    ax.plot(np.arange(50), rng.uniform(0, 1, 50), color="black", lw=0.8)
    path = tmp_path / "thin.png"
    fig.savefig(path)
    plt.close(fig)
    assert len(digitize.read(path).series) == 1


def test_a_light_series_shade_is_no_band_of_a_dark_one() -> None:
    """Excel's light and dark blue lines: the light line's main shade is a blend of the
    background and the dark ink, but it is a shade of the light series' own ink, no band."""
    white = (255, 255, 255)
    dark, light, light_ink = (65, 111, 166), (143, 166, 204), (123, 155, 193)
    img = np.zeros((100, 120, 3), np.uint8)
    img[:] = white
    img[10:22, :] = light
    img[50:53, :] = dark
    img[70:72, :] = light_ink
    lab = colors.to_lab(img)
    valid = np.ones(img.shape[:2], bool)
    clusters = colors.color_clusters(img, colors.lab_distance(lab, white) > 4)
    series = [colors.SeriesColor(dark), colors.SeriesColor(light_ink)]
    colors.find_band_colors(clusters, white, series, valid.size, lab, valid)
    assert series[0].band_color is None


def test_dark_rims_are_a_markers_darker_edge_only() -> None:
    """A purple disc edged in black on white: the black ring (and its blend with the
    purple) is the rim; the disc's anti-aliased blend with the white is not, nor is ink
    further out."""
    from skimage.draw import disk

    from digitize.colors import dark_rims, to_lab

    purple, black = (148, 103, 189), (0, 0, 0)
    rgb = np.full((40, 60, 3), 255, np.uint8)
    rgb[disk((20, 15), 6.5)] = black
    rgb[disk((20, 15), 5)] = purple
    rgb[disk((20, 45), 6)] = (200, 180, 220)  # a lighter edge: purple on white, blended
    rgb[disk((20, 45), 5)] = purple
    rgb[2, 2] = black  # far from any purple
    ink = np.all(rgb == purple, axis=2)
    rims = dark_rims(to_lab(rgb), ink, purple)
    ring = np.zeros(rims.shape, bool)
    ring[disk((20, 15), 6.5)] = True
    ring[disk((20, 15), 5)] = False
    assert not (rims[:, :30] & ~ring[:, :30]).any()
    assert (rims & ring).sum() >= 0.8 * ring.sum()
    assert not rims[:, 30:].any() and not rims[2, 2]


def test_foreign_rims_are_thin_outlines_round_another_inks_marks() -> None:
    """A JPEG draws a dark outline round light red marks in the dark red of a '+' series:
    the outline is the other ink's rim and goes; the '+' markers themselves (thick), a thin
    line running beside another thin line, and the thin crescent of a marker mostly under
    another series' marker (the covering marker's middle lies past it) stay."""
    from skimage.draw import disk

    h, w = 90, 120
    light = np.zeros((h, w), bool)
    dark = np.zeros((h, w), bool)
    light[10:20, 10:20] = True  # a thick mark of the light series
    dark[8:22, 8:22] = True  # its outline, two pixels wide, in the dark series' ink
    dark[10:20, 10:20] = False
    dark[30:34, 40:52] = dark[26:38, 44:48] = True  # a thick '+' of the dark series
    light[50, 10:110] = True  # a thin line of each, side by side
    dark[52, 10:110] = True
    dark[disk((72, 60), 7, shape=(h, w))] = True  # a dark marker under a light one ...
    light[disk((72, 62), 7, shape=(h, w))] = True
    dark &= ~light  # ... showing a crescent two pixels thick
    rims = colors.foreign_rims([light, dark])
    assert not rims[0].any()
    assert rims[1][8:22, 8:22].sum() == 14 * 14 - 10 * 10
    assert rims[1].sum() == 14 * 14 - 10 * 10


def test_a_solid_pale_patch_names_the_ink_it_tints_with_no_band_in_the_plot() -> None:
    """A faint legend patch (Vega's symbol at a band's opacity, 0.25 of a blue on white)
    names the blue line even where no band shows in the plot; a swatch colour read off a
    stroke (not solid) needs the band's pixels."""
    from digitize.colors import color_clusters, lab_distance, tinted_ink, to_lab

    crop = np.full((100, 200, 3), 255, np.uint8)
    crop[48:51, 10:190] = (69, 114, 167)
    lab = to_lab(crop)
    valid = np.ones(crop.shape[:2], bool)
    clusters = color_clusters(crop, (lab_distance(lab, (255, 255, 255)) > 4) & valid)
    tint = (208, 220, 233)
    assert tinted_ink(tint, clusters, (255, 255, 255), [], lab, valid) is None
    got = tinted_ink(tint, clusters, (255, 255, 255), [], lab, valid, solid=True)
    assert got is not None and np.abs(np.subtract(got[0], (69, 114, 167))).max() <= 3
    assert 0.2 < got[1] < 0.3


def test_a_dash_crossing_a_marker_edged_above_and_below_stays_in_its_series() -> None:
    """Markers in a row, touching, show another series' colour on their edge only above and
    below; a dash of that series crosses the row beside one marker and joins its two edges.
    Seen from the marker's middle the dash fills the directions the edge lacks; seen from
    the marker's nearest pixels the piece faces it from three sides only, so the dash stays
    in its series (it was cut out, and its line was then traced along the other one)."""
    h, w = 60, 90
    light = np.zeros((h, w), bool)
    dark = np.zeros((h, w), bool)
    light[25:36, 30:41] = True  # the marker
    light[29:31, 5:85] = True  # the line of the row runs on both ways
    dark[23, 29:43:2] = dark[37, 29:43:2] = True  # a dotted edge above and below
    dark[23:38, 28] = True  # the dash, crossing the line beside the marker
    dark &= ~light
    rims = colors.foreign_rims([light, dark])
    assert not rims[1].any()
    assert not rims[0].any()


def _banded_lines_over_grid() -> np.ndarray:
    """Two wavy lines (orange, purple), each in a 20% band 24 px wide, on white with light
    grey gridlines every 30 px that the bands are painted over (300 x 400)."""
    grid = (207, 207, 207)
    img = np.full((300, 400, 3), 255, np.uint8)
    img[15::30, :] = grid
    img[:, 15::30] = grid
    xs = np.arange(400)
    inks = [(230, 160, 3), (150, 5, 212)]
    centres = [(100 + 30 * np.sin(xs / 40.0)).round().astype(int),
               (200 + 30 * np.cos(xs / 50.0)).round().astype(int)]
    for ink, ys in zip(inks, centres, strict=True):
        for x, y in zip(xs, ys, strict=True):
            img[y - 12 : y + 13, x] = colors.blend(img[y - 12 : y + 13, x].astype(float), ink,
                                                   0.2).round()
    for ink, ys in zip(inks, centres, strict=True):
        for x, y in zip(xs, ys, strict=True):
            img[y - 1 : y + 2, x] = ink
    return img


def test_a_gridline_seen_through_a_band_is_no_series() -> None:
    """A light grey gridline under a series' translucent band takes a tint of its ink: a
    line of a colour of its own, found as an ink; colors.seen_through_bands names it (grey
    under the band at the band's opacity, inside the band), and build_palette leaves it
    out: two series, not four."""
    from digitize.legend import Legend
    from digitize.pipeline import build_palette

    img = _banded_lines_over_grid()
    valid = np.ones(img.shape[:2], bool)
    palette, owners, _ = build_palette(img, colors.to_lab(img), valid, Legend(), None)
    inks = sorted(s.color for s in palette.series)
    assert len(inks) == 2, inks
    assert colors.grey_under_band((212, 197, 166), (230, 160, 3), (250, 235, 204),
                                  (255, 255, 255))
    # a coloured line under the band is no grey: it stays
    assert not colors.grey_under_band((200, 170, 60), (230, 160, 3), (250, 235, 204),
                                      (255, 255, 255))
