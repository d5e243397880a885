"""Tick-label text -> numbers and dates (pure functions, no images).

The parsers are forgiving about what OCR does to chart text: unicode minus signs,
thousands separators, currency signs, percent signs, SI suffixes, scientific notation, and
letter/digit confusions (``O``->0, ``l``->1, ``S``->5) inside otherwise numeric tokens.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

MAX_EXPONENT = 300  # |k| in 1ek or 10^k beyond which a label is a misread
EPOCH = dt.date(1970, 1, 1)

_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-"})
_CURRENCY = "$€£¥₹₩"
# Letters OCR produces for digits; used only inside tokens that are otherwise numeric.
_CONFUSIONS = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1", "i": "1", "!": "1",
     "S": "5", "s": "5", "Z": "2", "z": "2", "B": "8", "g": "9", "q": "9", "G": "6", "b": "6"}
)
_SUFFIX = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12, "m": 1e-3, "µ": 1e-6,
           "u": 1e-6, "n": 1e-9}
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)$")
_SCI = re.compile(r"^([-+]?(?:\d+\.?\d*|\.\d+))[eE]([-+]?\d+)$")
_TIMES_TEN = re.compile(r"^(?:([-+]?(?:\d+\.?\d*|\.\d+))[x×*·])?10\^\{?([-+]?\d+)\}?$")
_POWER_OF_TEN = re.compile(r"^([-+]?(?:\d+\.?\d*|\.\d+))?[x×*·]?10\^?\{?([-+]?\d{1,2})\}?$")


# the head of a ``10^k`` or ``m×10^k`` label (the mantissa a digit, or a decimal such as
# gnuplot's "2.5x10^6"), up to its "10"
_POWER_HEAD = re.compile(r"^[-~=_.]?(?:([1-9](?:\.\d{1,3})?)[xX×%*«»+]{1,2})?[1lIi|!][0oOQD]")


def power_head(text: str) -> re.Match[str] | None:
    """The head of a ``10^k`` or ``m×10^k`` label (:data:`_POWER_HEAD`), its spaces and
    minus signs left out. Group 1 is the written mantissa (None for a bare ``10^k``)."""
    return _POWER_HEAD.match(re.sub(r"[\s\u2212\u2013\u2014]", "", text))


def with_mantissa(text: str) -> bool:
    """Whether a label reads as ``m×10^k``: a power of ten with a mantissa written (its
    raised exponent, which OCR reads as anything, is read from the image later)."""
    m = power_head(text)
    return m is not None and bool(m.group(1))


@dataclass(frozen=True)
class Parsed:
    """A tick label read as a number: its value and how it was written."""

    value: float
    decimals: int  # digits after the decimal point as written (0 for integers)
    percent: bool = False
    guessed: bool = False  # letters were read as digits (O->0, l->1...)


def _clean(text: str) -> str:
    """Normalise minus signs and drop spaces, currency signs and stray quotes/brackets."""
    t = text.translate(_MINUS).strip()
    t = re.sub(r"[\s\u2009\u202f'’`\"]", "", t)
    t = t.strip("[]{}").rstrip(":;-_~=,.'\"|")
    t = re.sub(r"^[-=~_]+(?=[\d.(OoSlI$€£¥])", "-", t)  # OCR's many minus signs
    for c in _CURRENCY:
        t = t.replace(c, "")
    return t


def _plain_number(t: str) -> tuple[float, int] | None:
    """A plain decimal number with optional thousands separators -> (value, decimals)."""
    if not t:
        return None
    # thousands separators: 1,000 / 1,000,000 (also 1.000.000 with two or more groups)
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", t):
        t = t.replace(",", "")
    elif re.fullmatch(r"[-+]?\d{1,3}(\.\d{3}){2,}", t):
        t = t.replace(".", "")
    elif re.fullmatch(r"[-+]?\d*,\d+", t):  # decimal comma
        t = t.replace(",", ".")
    if not _NUMBER.match(t):
        return None
    decimals = len(t.split(".", 1)[1]) if "." in t else 0
    return float(t), decimals


def parse_number(text: str, *, powers: bool = False) -> Parsed | None:
    """Read a tick label as a number, or None if it is not one.

    Parameters
    ----------
    text : str
        The label as OCR read it, e.g. ``"−0.5"``, ``"1,200"``, ``"25%"``, ``"$3.5k"``,
        ``"1.5e+03"``, ``"2×10^3"``, ``"(20)"``.
    powers : bool
        Read ``"10^2"`` style labels whose caret OCR dropped (``"102"``, ``"10-3"``) as powers
        of ten. Only the caller can tell (all labels on the axis look like that).

    Returns
    -------
    Parsed or None
        ``value`` is the number as written (``"25%"`` -> 25.0, ``"3.5k"`` -> 3500.0).
    """
    t = _clean(text)
    if not t:
        return None
    negative = False
    if t.startswith("(") and t.endswith(")"):  # accounting negatives
        negative, t = True, t[1:-1]
    percent = t.endswith("%")
    t = t.rstrip("%")
    # R's and gnuplot's "1e+06" with the 1 read as a letter ("le+06"): scientific notation
    # by its shape alone, so no guess
    t = re.sub(r"^[lI|!]([eE][-+]?\d+)$", r"1\1", t)
    # likewise another digit read as its look-alike letter before a signed exponent
    # ("Se+06", "Ge+06"): one letter then e+NN is a mantissa by its shape
    t = re.sub(r"^(-?)([OoDQSsZzBgqGb])([eE][-+]\d+)$",
               lambda m: m.group(1) + m.group(2).translate(_CONFUSIONS) + m.group(3), t)
    if powers:
        m = _POWER_OF_TEN.match(t.translate(_CONFUSIONS))
        if m:
            mant = float(m.group(1)) if m.group(1) else 1.0
            value = mant * 10.0 ** int(m.group(2))
            return Parsed(-value if negative else value, max(0, -int(m.group(2))), percent)
    for candidate in (t, t.translate(_CONFUSIONS)):
        got = _read(candidate)
        if got is not None:
            value, decimals = got
            return Parsed(-value if negative else value, decimals, percent, candidate != t)
        if not any(ch.isdigit() for ch in t) and len(t) > 1:
            break  # a word, not a misread number: only single letters may stand for a digit
    return None


def _read(t: str) -> tuple[float, int] | None:
    plain = _plain_number(t)
    if plain is not None:
        return plain
    m = _SCI.match(t)
    if m:
        mant = _plain_number(m.group(1))
        if mant is not None:
            exp = int(m.group(2))
            if abs(exp) > MAX_EXPONENT:
                return None  # an OCR misread, not a tick value a float can hold
            return mant[0] * 10.0**exp, max(0, mant[1] - exp)
    m = _TIMES_TEN.match(t)
    if m:
        mant = float(m.group(1)) if m.group(1) else 1.0
        exp = int(m.group(2))
        if abs(exp) > MAX_EXPONENT:
            return None
        return mant * 10.0**exp, max(0, -exp)
    if len(t) > 1 and t[-1] in _SUFFIX:
        base = _plain_number(t[:-1])
        if base is not None:
            mult = _SUFFIX[t[-1]]
            return base[0] * mult, max(0, base[1] - int(round(math.log10(mult))))
    return None


def looks_like_power_labels(texts: list[str]) -> bool:
    """True if every label reads like a power of ten whose superscript lost its caret.

    Matplotlib's log axes write ``10^{k}`` with a raised exponent, which OCR reads as
    ``"100"``, ``"101"``, ``"10-1"``... We accept the reading when all labels start with
    ``10`` followed by a short exponent and at least one exponent is negative or the exponents
    are consecutive integers.
    """
    exps = []
    for text in texts:
        t = _clean(text).translate(_CONFUSIONS)
        m = re.fullmatch(r"10\^?\{?([-+]?\d{1,2})\}?", t)
        if not m:
            return False
        exps.append(int(m.group(1)))
    if len(exps) < 2:
        return False
    if any(e < 0 for e in exps):
        return True
    steps = {b - a for a, b in zip(sorted(exps), sorted(exps)[1:], strict=False)}
    return steps == {1} and all(len(_clean(t)) <= 3 for t in texts)


# --------------------------------------------------------------------------------------------
# dates

_MONTHS = {m.lower(): i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_MONTH_RE = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"


def _month(name: str) -> int:
    return _MONTHS[name.lower()[:3]]


def _days(year: int, month: int, day: int) -> float | None:
    try:
        return float((dt.date(year, month, day) - EPOCH).days)
    except ValueError:
        return None


#: a month number and a 4-digit year ("09/2015", "9-2015"; "9.2015" is a number)
_MONTH_YEAR = r"(0?[1-9]|1[0-2])[-/]((?:1[89]|20)\d{2})"


def parse_date(
    text: str, default_year: int | None = None, dayfirst: bool = False
) -> float | None:
    """Read a date label as days since 1970-01-01, or None.

    Understands ISO dates (``2020-03-15``, ``2020-03``, ``2020/03/15``), month names with
    a year and/or day (``Jan 2020``, ``Mar 15``, ``15 Mar 2020``, ``Mar '20``), a month
    number and year (``09/2015``), and month
    names alone when ``default_year`` is given. Bare 4-digit years are *not* dates here
    (they are fitted as linear numbers). ``nn/nn/yyyy`` is month first unless ``dayfirst``.
    """
    t = text.translate(_MINUS).strip().lower().replace(",", " ")
    t = re.sub(r"\s+", " ", t)
    iso = r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:[ t](\d{1,2}):(\d{2})(?::(\d{2}))?)?"
    m = re.fullmatch(iso, t)
    if m:
        day = _days(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
        if day is not None and m.group(4):
            day += (int(m.group(4)) * 3600 + int(m.group(5)) * 60 + int(m.group(6) or 0)) / 86400
        return day
    m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", t)  # m/d/yyyy or d/m/yyyy
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        month, day = (b, a) if dayfirst else (a, b)
        return _days(int(m.group(3)), month, day)
    m = re.fullmatch(_MONTH_YEAR, t)  # mm/yyyy (gnuplot's "%m/%Y")
    if m:
        return _days(int(m.group(2)), int(m.group(1)), 1)
    m = re.fullmatch(_MONTH_RE + r" ?(?:(\d{4})|'(\d{2}))?", t)  # Jan 2020, Jan '20, Jan
    if m:
        if m.group(2) or m.group(3):
            year = int(m.group(2)) if m.group(2) else 2000 + int(m.group(3))
        elif default_year is not None:
            year = default_year
        else:
            return None
        return _days(year, _month(m.group(1)), 1)
    m = re.fullmatch(_MONTH_RE + r" ?(\d{1,2})(?: (\d{4}))?", t)  # Mar 15, Mar 15 2020
    if m:
        year = int(m.group(3)) if m.group(3) else default_year
        if year is None:
            return None
        return _days(year, _month(m.group(1)), int(m.group(2)))
    m = re.fullmatch(r"(\d{1,2}) " + _MONTH_RE + r"(?: (\d{4}))?", t)
    if m:
        year = int(m.group(3)) if m.group(3) else default_year
        if year is None:
            return None
        return _days(year, _month(m.group(2)), int(m.group(1)))
    return None


def parse_date_offset(text: str) -> tuple[int, int | None, int | None] | None:
    """Matplotlib ConciseDateFormatter offset text -> (year, month, day), or None.

    ``"2016-Apr"`` -> (2016, 4, None), ``"2024-Nov-04"`` -> (2024, 11, 4), ``"2016"`` ->
    (2016, None, None) (the year of month-name ticks).
    """
    t = text.translate(_MINUS).strip().lower().replace(" ", "")
    m = re.fullmatch(r"(1[89]\d{2}|20\d{2})(?:-" + _MONTH_RE + r"(?:-(\d{1,2}))?)?", t)
    if not m:
        return None
    month = _month(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if day is not None and not 1 <= day <= 31:
        return None
    return int(m.group(1)), month, day


def concise_dates(
    texts: list[str], offset: tuple[int, int | None, int | None]
) -> list[float | None] | None:
    """Dates of ConciseDateFormatter tick labels, in axis order, or None if they are not.

    Days of the month (``"05"``) with the month's name at its first tick (``"Apr"``) and
    the offset text holding the year and the last tick's month (``"2016-Apr"``).
    """
    year, last_month, _ = offset
    if last_month is None:
        return None
    kinds: list[tuple[str, int] | None] = []
    for text in texts:
        t = _clean(text).lower()
        if re.fullmatch(r"\d{1,2}", t) and 1 <= int(t) <= 31:
            kinds.append(("day", int(t)))
        elif re.fullmatch(_MONTH_RE, t):
            kinds.append(("month", _month(t)))
        else:
            kinds.append(None)
    if sum(k is not None for k in kinds) < max(2, 0.6 * len(texts)):
        return None
    if not any(k is not None and k[0] == "day" for k in kinds):
        return None
    # walk back from the last tick (in the offset's month): a month name starts its month,
    # the days before it belong to the month before
    out: list[float | None] = [None] * len(kinds)
    y, mo = year, last_month
    prev_day = None
    for i in range(len(kinds) - 1, -1, -1):
        k = kinds[i]
        if k is None:
            continue
        if k[0] == "month":
            out[i] = _days(y, k[1], 1)
            y, mo = (y, k[1] - 1) if k[1] > 1 else (y - 1, 12)
            prev_day = None
            continue
        if prev_day is not None and k[1] >= prev_day:  # a month boundary without its name
            y, mo = (y, mo - 1) if mo > 1 else (y - 1, 12)
        out[i] = _days(y, mo, k[1])
        prev_day = k[1]
    return out


def month_year_dates(texts: list[str]) -> list[float | None] | None:
    """Dates of month-name tick labels with the year written at January (``Sep``, ``2021``,
    ``May``: ConciseDateFormatter over a few years), in axis order, or None."""
    kinds: list[tuple[str, int] | None] = []
    for text in texts:
        t = _clean(text).lower()
        if re.fullmatch(r"1[89]\d{2}|20\d{2}", t):
            kinds.append(("year", int(t)))
        elif re.fullmatch(_MONTH_RE, t):
            kinds.append(("month", _month(t)))
        else:
            kinds.append(None)
    years = [i for i, k in enumerate(kinds) if k is not None and k[0] == "year"]
    months = [i for i, k in enumerate(kinds) if k is not None and k[0] == "month"]
    if not years or not months or len(years) + len(months) < max(3, 0.6 * len(texts)):
        return None
    out: list[float | None] = [None] * len(kinds)
    for i, k in enumerate(kinds):
        if k is None:
            continue
        if k[0] == "year":
            out[i] = _days(k[1], 1, 1)
            continue
        before = [j for j in years if j < i]
        year = kinds[before[-1]][1] if before else kinds[years[0]][1] - 1  # type: ignore[index]
        out[i] = _days(year, k[1], 1)
    return out


#: year given to month names alone when no label or axis text names one (a leap year, so
#: that every day of the month is a date)
DEFAULT_YEAR = 2000


def month_name_dates(texts: list[str], year: int) -> list[float | None] | None:
    """Dates (the 1st) of tick labels that are month names alone, in axis order, or None.

    ``Jan``, ``Feb``... ``Dec`` (or ``January``...) with no year on any label: the first
    month is in ``year`` and the year grows by one wherever the months turn back
    (``Nov``, ``Dec``, ``Jan``). At least two labels, and most of them, must be month names;
    the others get None.

    Parameters
    ----------
    texts : list of str
        Tick labels in axis order (left to right).
    year : int
        Year of the first month named.

    Returns
    -------
    list of (float or None), or None
        Days since 1970-01-01 of each label.
    """
    months = [_month(t) if re.fullmatch(_MONTH_RE, t) else None
              for t in (_clean(text).lower() for text in texts)]
    named = [m for m in months if m is not None]
    if len(named) < 2 or len(named) < 0.6 * len(texts):
        return None
    out: list[float | None] = []
    prev = None
    for m in months:
        if m is None:
            out.append(None)
            continue
        if prev is not None and m <= prev:
            year += 1
        prev = m
        out.append(_days(year, m, 1))
    return out


def ending_in(
    dates_of: Callable[[list[str], int], list[float | None] | None], texts: list[str],
    last_year: int,
) -> list[float | None] | None:
    """``dates_of(texts, year)`` (:func:`month_name_dates`: the first label dated in
    ``year``) with the year chosen so that the last label dated falls in ``last_year``:
    the year an offset text names is its last tick's (matplotlib's ConciseDateFormatter)."""
    got = dates_of(texts, last_year)
    last = next((d for d in reversed(got or []) if d is not None), None)
    if got is None or last is None:
        return got
    wraps = (EPOCH + dt.timedelta(days=int(np.floor(last)))).year - last_year
    return dates_of(texts, last_year - wraps) if wraps else got


#: matplotlib's AutoDateFormatter label for hourly ticks, ``%m-%d %H`` ("06-13 10"); OCR
#: may read the dash as a point or lose the space ("06.13", "06-1310")
_MONTH_DAY_HOUR = re.compile(r"(\d{2})\s*[-.]\s*(\d{2})\s*(\d{2})")


def month_day_hour(text: str) -> tuple[int, int, int] | None:
    """A ``%m-%d %H`` label (``"06-13 10"``) -> (month, day, hour), or None."""
    m = _MONTH_DAY_HOUR.fullmatch(text.translate(_MINUS).strip())
    if not m:
        return None
    month, day, hour = (int(g) for g in m.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour <= 23):
        return None
    return month, day, hour


def month_day_hour_dates(texts: list[str], year: int) -> list[float | None] | None:
    """Dates of ``%m-%d %H`` tick labels (matplotlib's default for an axis of hours), in
    axis order, or None unless most of them (two at least) read so.

    The labels name no year: the first is dated in ``year``, and the year grows by one
    wherever the dates turn back (December to January).
    """
    got = [month_day_hour(t) for t in texts]
    if sum(g is not None for g in got) < max(2, 0.6 * len(texts)) or not any(
            g is not None and "-" in t.translate(_MINUS) for g, t in zip(got, texts, strict=True)):
        return None  # (a dash read somewhere: "10.1520" alone is a number)
    out: list[float | None] = []
    for g, turns in zip(got, _turns_back(got), strict=True):
        day = None if g is None else _days(year + turns, g[0], g[1])
        out.append(None if g is None or day is None else day + g[2] / 24.0)
    return out


def _turns_back(got: list[tuple[int, int, int] | None]) -> list[int]:
    """Per reading, how often the readings before it (those read) turned back (December to
    January, the 31st to the 1st): the years or months to add to the first's."""
    turns, out = 0, []
    prev: tuple[int, int, int] | None = None
    for g in got:
        if g is not None:
            if prev is not None and g < prev:
                turns += 1
            prev = g
        out.append(turns)
    return out


#: matplotlib's AutoDateFormatter label for ticks minutes apart, ``%d %H:%M`` ("05 10:10");
#: OCR may lose the space ("0511:10")
_DAY_TIME = re.compile(r"(\d{2})\s*(\d{2})\s*:\s*(\d{2})")


def day_time_dates(texts: list[str], year: int, month: int) -> list[float | None] | None:
    """Dates of ``%d %H:%M`` tick labels (matplotlib's default for an axis of minutes), in
    axis order, or None unless most of them (two at least) read so.

    The labels name neither month nor year: the first is dated in ``month`` of ``year``,
    and the month grows by one wherever the days turn back.
    """
    got: list[tuple[int, int, int] | None] = []
    for text in texts:
        m = _DAY_TIME.fullmatch(text.translate(_MINUS).strip())
        g = tuple(int(v) for v in m.groups()) if m else None
        got.append(g if g and 1 <= g[0] <= 31 and g[1] <= 23 and g[2] <= 59 else None)  # type: ignore[misc]
    if sum(g is not None for g in got) < max(2, 0.6 * len(texts)):
        return None
    out: list[float | None] = []
    for g, turns in zip(got, _turns_back(got), strict=True):
        months = month - 1 + turns
        day = None if g is None else _days(year + months // 12, months % 12 + 1, g[0])
        out.append(None if g is None or day is None else day + (g[1] * 60 + g[2]) / 1440.0)
    return out


_DIGITISH = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1",
                           "|": "1", "i": "1", "!": "1"})


def clock_time(text: str, loose: bool) -> float | None:
    """A time of day ``HH:MM`` as a fraction of a day. ``loose`` also takes the colon read
    as ``,``, ``.``, ``;`` or a space, or lost (``"12 00"``, ``"16.00"``, ``"0800"``)."""
    t = text.translate(_MINUS).strip().translate(_DIGITISH)
    sep = r"\s*[:;,.]?\s*" if loose else r"\s*:\s*"
    m = re.fullmatch(r"(\d{1,2})" + sep + r"(\d{2})(?::\d{2})?", t)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        return None
    return (int(m.group(1)) * 60 + int(m.group(2))) / 1440


def _month_day(text: str) -> tuple[int, int] | None:
    """A month name with a day of the month (``"Nov-03"``, ``"Jan 23"``) -> (month, day)."""
    t = text.translate(_MINUS).strip().lower()
    m = re.fullmatch(_MONTH_RE + r"[-\s.,/]*(\d{1,2})", t)
    if not m or not 1 <= int(m.group(2)) <= 31:
        return None
    return _month(m.group(1)), int(m.group(2))


def clock_dates(
    texts: list[str],
    positions: list[float],
    offset: tuple[int, int | None, int | None] | None = None,
    loose: bool = False,
) -> list[float | None] | None:
    """Dates of an hourly axis: times of day (``"20:00"``) with the day named at midnight
    (``"Nov-03"``), as matplotlib's ConciseDateFormatter writes them.

    The whole days are counted from the labels' positions: the hours per pixel most
    neighbouring labels agree on carry each time to its day, so a misread time costs its
    own label only. The year comes from the offset text (``"2024-Nov-04"``: the date of the
    last tick), which also dates the times when no label names a day. Without an offset the
    values are relative (days from the midnight before the reference label), enough to
    test labels for consistency.

    Parameters
    ----------
    texts, positions : list
        Labels and their pixel positions along the axis.
    offset : (year, month, day), optional
        :func:`parse_date_offset` of the axis' offset text.
    loose : bool
        Accept times whose colon OCR lost or misread (``"12 00"``); only for axes known
        to be hourly (an offset with a day, or colons read in other labels).

    Returns
    -------
    list of (float or None), or None
        Days since 1970-01-01 (or relative days) per label; None when fewer than two labels
        (or under 40% of them) read as times or days, or an offset gives no year.
    """
    kinds: list[tuple[str, float, tuple[int, int] | None] | None] = []
    for text in texts:
        c = clock_time(text, loose)
        md = _month_day(text) if c is None else None
        kinds.append(("time", c, None) if c is not None else ("day", 0.0, md) if md else None)
    known = sorted((i for i, k in enumerate(kinds) if k is not None),
                   key=lambda i: positions[i])
    if sum(kinds[i][0] == "time" for i in known) < 2 or len(known) < max(  # type: ignore[index]
            3, 0.4 * len(texts)):
        return None
    pos = np.array([positions[i] for i in known], float)
    frac = np.array([kinds[i][1] for i in known], float)  # type: ignore[index]
    dpos = np.diff(pos)
    steps = np.diff(frac) % 1.0
    ok = (dpos > 0) & (steps > 0)
    if not ok.any():
        return None
    rate = float(np.median(steps[ok] / dpos[ok]))  # days per pixel
    tol = 0.25 * rate * float(np.median(dpos[dpos > 0]))
    best: tuple[int, np.ndarray] | None = None
    for j in range(len(known)):  # each label in turn as the reference
        pred = frac[j] + rate * (pos - pos[j])
        rel = frac + np.round(pred - frac)
        agree = int((np.abs(rel - pred) <= tol).sum())
        if best is None or agree > best[0]:
            best = (agree, rel)
    assert best is not None
    rel = best[1] - np.floor(best[1].min())
    base: float | None = 0.0 if offset is None else None
    if offset is not None:
        # the offset's day is the last tick's: a day label dating the last label read more
        # than a day before it (or after it) is a misread ("Aug-1" for "Aug-18")
        last_day = _days(*offset) if offset[1] and offset[2] else None  # type: ignore[arg-type]
        anchors = []
        for r, i in zip(rel, known, strict=True):
            md = kinds[i][2]  # type: ignore[index]
            if md is not None:
                d = _days(offset[0], *md)
                if d is not None and offset[1] and md[0] > offset[1]:
                    d = _days(offset[0] - 1, *md)  # December's days before a January offset
                if d is not None and last_day is not None and not (
                        last_day - 1 <= np.floor(d - float(r) + rel[-1]) <= last_day):
                    d = None
                if d is not None:
                    anchors.append(d - float(r))
        if not anchors and offset[1] and offset[2]:
            last = _days(offset[0], offset[1], offset[2])
            # (the last label's place, read or not: the offset dates the last tick)
            rel_end = float(np.median(best[1] - rate * pos)) + rate * max(positions)
            rel_end -= float(np.floor(best[1].min()))
            if last is not None:
                anchors.append(last - float(np.floor(rel_end + 1e-6)))
        if anchors:
            vals, counts = np.unique(np.round(anchors, 6), return_counts=True)
            base = float(vals[int(np.argmax(counts))])
    if base is None:
        return None
    out: list[float | None] = [None] * len(texts)
    for r, i in zip(rel, known, strict=True):
        out[i] = float(r) + base
    return out


_RUN_ON_DATES = re.compile(r"[A-Za-z]{3}[-\s]\d{2}(?=\d{1,2}:|$)|\d{1,2}:\d{2}")
_RUN_ON_ISO = re.compile(r"(?:1[89]|20)\d{2}[-/](?:0[1-9]|1[0-2])(?:[-/](?:0[1-9]|[12]\d|3[01]))?")


def split_run_on(text: str) -> list[tuple[int, int]] | None:
    """Character spans of the tick labels in text where OCR read several as one word.

    Labels set edge to edge come out of OCR as one word: times of day and the day named at
    midnight (``"Jan-0602:0004:00"``), ISO dates in ascending order
    (``"2023-12-082023-12-15"``, ``"2022-042022-07"``), or numbers written to the same decimals
    (``"1982.51985.01987.5"``, evenly stepped); labels set close are joined as one line of
    text (``"1998 1999 2000"``: numbers in steps of one size, a lost label a double step;
    ``"09/2015 11/2015 01/2016"``: dates in ascending order).
    Returns the ``(start, end)`` of each label, or None when the text is not two or more
    such labels covering all of it.
    """
    t = text.strip()
    if len(t) < 7:
        return None
    spans = [m.span() for m in _RUN_ON_DATES.finditer(t)]
    if len(spans) >= 2 and sum(b - a for a, b in spans) >= 0.85 * len(t) and any(
            ":" in t[a:b] for a, b in spans):
        return spans
    iso = list(_RUN_ON_ISO.finditer(t))  # "2023-12-082023-12-15": ISO dates, ascending
    if len(iso) >= 2 and "".join(m.group() for m in iso) == t:
        dates = [parse_date(m.group()) for m in iso]
        if all(d is not None for d in dates) and np.all(np.diff(np.asarray(dates, float)) > 0):
            return [m.span() for m in iso]
    tokens = list(re.finditer(r"\S+", t))
    # labels read apart and joined as one line of text; three or more, none with a leading
    # zero ("10 000" is one number with a thin-space thousands separator)
    if len(tokens) >= 2 and not any(re.fullmatch(r"[-+]?0\d+", m.group()) for m in tokens):
        if len(tokens) == 2:
            return None
        dates = [parse_date(m.group()) if has_month(m.group()) else None for m in tokens]
        if all(d is not None for d in dates):  # "09/2015 11/2015 01/2016", ascending
            if np.all(np.diff(np.asarray(dates, float)) > 0):
                return [m.span() for m in tokens]
            return None
        parsed = [parse_number(m.group()) for m in tokens]
        if all(q is not None and not q.guessed for q in parsed):
            steps = np.diff([q.value for q in parsed])  # type: ignore[union-attr]
            unit = float(np.min(np.abs(steps))) if len(steps) else 0.0
            if unit > 0 and (np.all(steps > 0) or np.all(steps < 0)) and np.allclose(
                    np.abs(steps) / unit, np.round(np.abs(steps) / unit), atol=1e-6):
                return [m.span() for m in tokens]
        return None
    for k in (1, 2, 3, 4):
        got = list(re.finditer(r"[-\u2212]?\d+\.\d{" + str(k) + "}", t))
        if len(got) < 2 or "".join(m.group() for m in got) != t:
            continue
        vals = np.array([float(m.group().replace("\u2212", "-")) for m in got])
        steps = np.diff(vals)
        if np.all(steps > 0) or np.all(steps < 0):
            if np.allclose(steps, steps[0], rtol=1e-6, atol=0.5 * 10.0**-k):
                return [m.span() for m in got]
    return None


_COUNT_TITLE = re.compile(
    r"iter|step|epoch|batch|sample|size|count|number|\bn\b|token|param|flop|dim|length",
    re.IGNORECASE,
)
_TIME_TITLE = re.compile(r"year|date|time|period|season|decade", re.IGNORECASE)


def year_dates(texts: list[str], title: str | None = None) -> list[float | None] | None:
    """Dates (January 1st) of an axis labelled with years alone (``2005``, ``2006``...), in
    axis order, or None when the labels are not such an axis.

    Every label must be a whole year in 1800-2100, increasing along the axis in a step of 1
    to 50 years (a label OCR lost shows as a double step); an axis title that names a count
    (iterations, steps, size...) keeps the numbers numeric, and a title that names time is
    required when there are only two labels."""
    years = []
    for text in texts:
        t = _clean(text)
        if not re.fullmatch(r"1[89]\d{2}|20\d{2}|2100", t):
            return None
        years.append(int(t))
    if len(years) < 2 or (title and _COUNT_TITLE.search(title)):
        return None
    if len(years) == 2 and not (title and _TIME_TITLE.search(title)):
        return None
    steps = np.diff(years)
    step = int(steps.min())
    if not (1 <= step <= 50 and np.all(steps % step == 0)):
        return None
    return [_days(y, 1, 1) for y in years]


#: an ISO date whose separators OCR lost or misread ("20210401", "202107.01", "2021-10.01"):
#: year, month and day digits with at most one separator between the groups
_COMPACT_ISO = re.compile(
    r"(1[89]\d{2}|2[01]\d{2})[-/.]?(0[1-9]|1[0-2])[-/.]?(0[1-9]|[12]\d|3[01])")


def compact_iso_dates(texts: list[str]) -> list[float | None] | None:
    """Dates of ``%Y-%m-%d`` tick labels read with their hyphens lost (small text set at an
    angle: "2021-04-01" read "20210401"), in axis order, or None.

    Every label (two at least) must be eight digits that make a valid year (1800-2199),
    month and day, one or more of them written without a separator, increasing along the
    axis. Round numbers never pass (their month or day would be 00), and eight-digit values
    stepping by a few hundred are no numeric axis's ticks.
    """
    if len(texts) < 2:
        return None
    out: list[float | None] = []
    bare = 0
    for text in texts:
        t = _clean(text)
        m = _COMPACT_ISO.fullmatch(t)
        if not m:
            return None
        bare += t.isdigit()
        out.append(_days(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    days = np.array([np.nan if d is None else d for d in out], float)
    if not bare or np.isnan(days).any() or np.any(np.diff(days) <= 0):
        return None
    return out


def _glyph_classes(text: str) -> str:
    """``text`` with every digit written ``9`` (the shape of a label, not its value)."""
    return re.sub(r"\d", "9", text)


def cut_label(text: str, others: list[str], garbled: int = 2) -> str | None:
    """A tick label whose start the image's edge cut off ("3-07-16 00:00"), completed from
    another label of the axis of the same form ("2023-07-16 12:00" -> "2023-07-16 00:00"),
    or None.

    The text left (less up to ``garbled`` leading characters: the part of a glyph the edge
    cuts reads as anything, "£023-07-16") must be the end of another label's form, digit for
    digit, with a digit among the characters lent and at least four kept; the first such
    label lends its start (the year or the leading digits that neighbouring ticks share). A
    lent start that is wrong (a year turning) leaves the label off the fit's line, where the
    fit drops it.
    """
    t = text.strip()
    for k in range(garbled + 1):
        kept = t[k:]
        if len(kept) < 4 or not any(ch.isdigit() for ch in kept):
            return None
        shape = _glyph_classes(kept)
        for other in (o.strip() for o in others):
            lent = other[: len(other) - len(kept)]
            if (len(other) > len(kept) and _glyph_classes(other).endswith(shape)
                    and any(ch.isdigit() for ch in lent)):
                return lent + kept
    return None


#: gnuplot's month on a time axis: a twelfth of a year of 365.25 days
EVEN_MONTH_DAYS = 365.25 / 12


def even_month_tick(days: float) -> float | None:
    """Where gnuplot puts the tick it labels with the month starting at ``days``, or None
    where ``days`` is no first of a month at midnight.

    gnuplot steps time tics in even months of :data:`EVEN_MONTH_DAYS` from 1970-01-01 and
    moves each tic to the first of its month, keeping its hour: the tic of the ``m``-th
    month since January 1970 stands ``m × 10.5`` hours (mod 24, whole hours) past that
    month's midnight. Its label (``"Aug 2022"``, ``"01/08/2022"``, ``"2022"``) names only
    the month, so the hours are the tic's and not the label's. Yearly tics are the
    ``12 y``-th months (``y × 6`` hours past January 1st).

    Parameters
    ----------
    days : float
        Days since 1970-01-01 of a month's first day.

    Returns
    -------
    float or None
        Days since 1970-01-01 of gnuplot's tick for that month.
    """
    if not np.isfinite(days) or days != np.floor(days):
        return None
    try:
        day = EPOCH + dt.timedelta(days=int(days))
    except OverflowError:  # past year 9999: no date
        return None
    if day.day != 1:
        return None
    month = (day.year - 1970) * 12 + day.month - 1
    hours = np.floor((month * EVEN_MONTH_DAYS % 1.0) * 24 + 1e-9)
    return float(days) + hours / 24.0


def has_month(text: str) -> bool:
    """True if the text names a month or is an ISO-style date."""
    t = text.lower()
    return bool(
        re.search(r"\b" + _MONTH_RE + r"(\b|\d)", t)
        or re.search(r"\d{4}[-/]\d{1,2}", t)
        or re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", t.strip())
        or re.fullmatch(_MONTH_YEAR, t.strip())
    )


def year_of(text: str) -> int | None:
    """A 4-digit year in the text (19xx/20xx), if any."""
    m = re.search(r"\b(1[89]\d{2}|20\d{2})\b", text)
    return int(m.group(1)) if m else None


def parse_offset(text: str) -> tuple[float, float] | None:
    """Read matplotlib-style axis offset text as ``(multiplier, addend)``, or None.

    ``"1e7"`` -> (1e7, 0), ``"×10^3"`` -> (1e3, 0), ``"+1.4e3"`` -> (1, 1400),
    ``"1e-5+1.4e3"`` -> (1e-5, 1400). OCR's ``"1le7"`` (a stray l) and ``"lel"`` (1e1 with
    its ones read as l) are tolerated.
    """
    t = _clean(text).replace("×", "x")
    t = re.sub(r"^[1lI|!]{1,2}e", "1e", t)
    # the exponent's digits read as letters: "lel" is 1e1, "1e-O" 1e-0
    t = re.sub(r"^(1?e[-+]?)([0-9lI|!O]+)", lambda m: m.group(1) + m.group(2).translate(
        str.maketrans("lI|!O", "11110")), t)
    mult, add = 1.0, 0.0
    m = re.match(r"^(?:1?e([-+]?\d+)|x10\^?\{?([-+]?\d+)\}?)", t)
    if m:
        exponent = int(m.group(1) or m.group(2))
        if abs(exponent) > 300:  # a misread, not a float's multiplier
            return None
        mult = 10.0**exponent
        t = t[m.end() :]
    if t:
        m = re.fullmatch(r"[-+](?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?", t)
        if not m or not ("e" in t or t.startswith("+")):
            return None
        add = float(t)
    if mult == 1.0 and add == 0.0:
        return None
    return mult, add


# --------------------------------------------------------------------------------------------
# fitting


def robust_line(
    pixels: np.ndarray, values: np.ndarray, tol_px: float
) -> tuple[float, float, np.ndarray] | None:
    """Fit ``value = slope * pixel + intercept`` by exhaustive pair consensus.

    Every pair of points proposes a line; the one that puts the most points within
    ``tol_px`` pixels of it wins (ties: smallest squared residual), and is refitted by least
    squares on its inliers. With the few ticks of an axis this is exact, fast and rejects a
    misread label instead of averaging it in.

    Returns ``(slope, intercept, inlier_mask)`` or None if fewer than two usable points.
    """
    p = np.asarray(pixels, float)
    v = np.asarray(values, float)
    n = len(p)
    best: tuple[int, float, float, float, np.ndarray] | None = None
    for i in range(n):
        for j in range(i + 1, n):
            dp, dv = p[j] - p[i], v[j] - v[i]
            if abs(dp) < 1.0 or dv == 0:
                continue
            slope = dv / dp
            intercept = v[i] - slope * p[i]
            resid = np.abs((v - intercept) / slope - p)
            inl = resid <= tol_px
            score = (int(inl.sum()), -float((resid[inl] ** 2).sum()))
            if best is None or score > (best[0], best[1]):
                best = (score[0], score[1], slope, intercept, inl)
    if best is None or best[0] < 2:
        return None
    _, _, slope, intercept, inl = best
    if inl.sum() >= 3:
        slope, intercept = np.polyfit(p[inl], v[inl], 1)
        resid = np.abs((v - intercept) / slope - p)
        inl = resid <= tol_px
        if inl.sum() >= 2:
            slope, intercept = np.polyfit(p[inl], v[inl], 1)
        # trim a point far worse than the rest (a label box grown over a tick mark)
        while inl.sum() >= 4:
            resid = np.abs((v - intercept) / slope - p)
            worst = int(np.argmax(np.where(inl, resid, -1.0)))
            others = np.median(resid[inl])
            if resid[worst] <= max(1.5, 4.0 * others):
                break
            inl[worst] = False
            slope, intercept = np.polyfit(p[inl], v[inl], 1)
    return float(slope), float(intercept), inl


def label_consistency(texts: list[str], positions: list[float], tol_px: float) -> int:
    """How many labels agree on one straight value-vs-position line (numbers or dates)."""
    # 10^k labels: the exponents are re-read from the image later (a percent sign or a
    # quote is no superscript: that is text set at an angle read flat, "01 Jan" -> "101'5")
    # (a mantissa too, "2x10^6", its times sign read as a letter or '%')
    # (zero is written plain among m×10^k labels: gnuplot's "0" at the axis' start)
    powered = [re.match(r"^(?:[1-9](?:\.\d{1,3})?[xX×%*]{1,2})?[1lI][0oO]"
                        r"[^\s%'’`\"]{0,3}$", t.strip()) is not None for t in texts]
    zero_or_power = [p or t.strip() in ("0", "0.0") for p, t in zip(powered, texts, strict=True)]
    if sum(powered) >= 2 and all(zero_or_power):
        return len(texts)
    # a row of m×10^k labels (gnuplot's "2x10^6"), some garbled past reading: those read
    # count (their values are read later); a mantissa written tells them from "10:00"
    written = sum(p and with_mantissa(t) and ":" not in t for p, t in
                  zip(powered, texts, strict=True))
    if written >= 3 and 2 * written >= len(texts):
        return sum(zero_or_power)
    year = next((y for y in (year_of(t) for t in texts) if y), None)
    best = 0
    clock = clock_dates(texts, positions, loose=any(":" in t for t in texts))
    if clock is not None:  # times of day (an hourly axis)
        pts = [(p, v) for p, v in zip(positions, clock, strict=True) if v is not None]
        best = _on_one_line(pts, tol_px)
    order = np.argsort(positions, kind="stable")
    seq = [texts[i] for i in order]
    # month names with the year at January (pandas, concise dates); "06-13 10" (hours)
    for dated in (month_year_dates(seq), month_day_hour_dates(seq, DEFAULT_YEAR)):
        if dated is not None:
            pts = [(positions[i], v) for i, v in zip(order, dated, strict=True) if v is not None]
            best = max(best, _on_one_line(pts, tol_px))
    for dayfirst in (False, True):  # n/n/yyyy dates: month first or day first
        pts = []
        for text, pos in zip(texts, positions, strict=True):
            got = parse_number(text)
            value = got.value if got is not None else (
                parse_date(text, year, dayfirst=dayfirst) if has_month(text) else None)
            if value is not None:
                pts.append((pos, value))
        if len(pts) < 2:
            best = max(best, len(pts))
            continue
        best = max(best, _on_one_line(pts, tol_px))
        # a log axis: its positive labels (one misread as 0 or negative leaves the rest)
        positive = [(q[0], float(np.log10(q[1]))) for q in pts if q[1] > 0]
        if len(positive) >= 2:
            best = max(best, _on_one_line(positive, tol_px))
    return best


def _on_one_line(pts: list[tuple[float, float]], tol_px: float) -> int:
    """How many (position, value) points :func:`robust_line` fits within ``tol_px``."""
    fit = robust_line(np.array([q[0] for q in pts]), np.array([q[1] for q in pts], float),
                      tol_px)
    return 0 if fit is None else int(fit[2].sum())


def parse_time(text: str) -> float | None:
    """A time of day (``"12:00"``, ``"06:30:15"``) as a fraction of a day, or None."""
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", text.strip())
    if not m or int(m.group(1)) > 24 or int(m.group(2)) > 59:
        return None
    return (int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0)) / 86400


def iso_day(days: float) -> str:
    """Days since 1970-01-01 as an ISO date."""
    return (EPOCH + dt.timedelta(days=int(np.floor(days)))).isoformat()
