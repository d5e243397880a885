"""Command line: a thin shell over :func:`digitize.read`.

Exit codes: 0 done; 1 a comparison failed its tolerance; 2 bad usage or unreadable input;
3 no chart or unreadable axes; 4 confidence below ``--min-confidence``; 5 no OCR engine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

from .errors import DigitizeError, LowConfidenceError, UsageError, UsageParser
from .limits import DEFAULT_TIMEOUT, wall_clock_limit

HARD_EXIT_GRACE = 10.0  # seconds past --timeout before a process stuck in native code is ended

EPILOG = """\
exit codes: 0 done; 1 comparison over tolerance; 2 bad usage or unreadable input;
3 no chart found or axes unreadable; 4 confidence below --min-confidence; 5 no OCR engine.

other commands:
  digitize compare A B [--tolerance T] [--json]   compare two extractions / reference tables
  digitize FILE.pdf [-o out.csv] [--json]        every chart of a PDF (columns page,figure first)
  digitize batch INPUT... -o OUTDIR [--jobs N]   many images/PDFs: CSV, JSON, check image per
                                                 chart, summary.csv and index.html
"""


def build_parser() -> argparse.ArgumentParser:
    p = UsageParser(
        prog="digitize",
        description="Turn a picture of a chart back into the numbers behind it (CSV on stdout).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("image", help="chart image (PNG, JPEG, ...)")
    p.add_argument("--json", action="store_true", help="print everything found as JSON")
    p.add_argument("-o", "--output", help="write the CSV/JSON to this file instead of stdout")
    p.add_argument(
        "--check",
        metavar="FILE.png",
        help="write original | re-render | overlay side by side; agreement scores to stderr",
    )
    for name in ("x", "y"):
        p.add_argument(f"--{name}-range", nargs=2, type=range_end, metavar=("LO", "HI"),
                       help=f"the {name} axis' values at the plot's ends: numbers, or ISO dates "
                            "(2017-08-28, 2017-08-28T06:00) for a date axis")
    p.add_argument("--x-scale", choices=["linear", "log", "date"])
    p.add_argument("--y-scale", choices=["linear", "log", "date"])
    p.add_argument("--max-pixels", type=int, default=50_000_000, help="refuse larger images")
    p.add_argument(
        "--min-confidence",
        type=float,
        default=None,
        help="exit 4 when the chart's or any series' confidence is below this (0..1)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up (exit 3) after this many seconds; 0: no limit (default {DEFAULT_TIMEOUT:g})",
    )
    p.add_argument("--debug", action="store_true", help="show tracebacks and Python warnings")
    return p


def _write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file: all of it or nothing."""
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(
            dir=target.parent or ".", prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise UsageError(f"cannot write the output {path} ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.timeout < 0 or args.timeout != args.timeout:
        raise UsageError(f"--timeout must be >= 0 seconds, not {args.timeout}")
    try:
        with wall_clock_limit(
            args.timeout, label=args.image, hard_exit_after=HARD_EXIT_GRACE if _is_cli() else None
        ):
            return _run(args)
    except BaseException as exc:
        _name_input(exc, args.image)
        raise


def _is_cli() -> bool:
    """True when this process is the ``digitize`` command itself (not a library caller)."""
    return Path(sys.argv[0]).name in ("digitize", "cli.py", "__main__.py") or sys.argv[0] == "-m"


def _name_input(exc: BaseException, image: str) -> None:
    """Make sure an error's message names the input file (prefixing it where it does not)."""
    try:
        exc._digitize_input = image  # type: ignore[attr-defined]
        if isinstance(exc, DigitizeError):
            msg = str(exc)
            if image not in msg:
                exc.args = (f"{image}: {msg}",)
    except Exception:  # noqa: BLE001 - an exception that refuses attributes keeps its message
        pass


def range_end(text: str) -> RangeEnd:
    """One end of ``--x-range``/``--y-range``: a number, or an ISO date or date-time (read
    as days since 1970-01-01, the date axes' unit)."""
    try:
        return RangeEnd(float(text))
    except ValueError:
        pass
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither a number nor an ISO date (2017-08-28, 2017-08-28T06:00)"
        ) from None
    days = (when.replace(tzinfo=None) - dt.datetime(1970, 1, 1)).total_seconds() / 86400.0
    return RangeEnd(days, is_date=True)


@dataclass(frozen=True)
class RangeEnd:
    """A ``--x-range``/``--y-range`` end: its value and whether it was written as a date."""

    value: float
    is_date: bool = False


def _axis_option(ends: list[RangeEnd] | None, scale: str | None, name: str
                 ) -> tuple[tuple[float, float] | None, str | None]:
    """The range and scale given for one axis: dates at both ends make a date axis."""
    if not ends:
        return None, scale
    dated = [e.is_date for e in ends]
    if any(dated) and not all(dated):
        raise UsageError(f"--{name}-range: give both ends as numbers or both as dates")
    if all(dated) and scale not in (None, "date"):
        raise UsageError(f"--{name}-range: dates need --{name}-scale date (or none)")
    return (ends[0].value, ends[1].value), ("date" if all(dated) else scale)


def _run(args: argparse.Namespace) -> int:
    from .pipeline import read

    x_range, x_scale = _axis_option(args.x_range, args.x_scale, "x")
    y_range, y_scale = _axis_option(args.y_range, args.y_scale, "y")
    result = read(
        args.image,
        x_range=x_range,
        y_range=y_range,
        x_scale=x_scale,
        y_scale=y_scale,
        max_pixels=args.max_pixels,
    )
    if args.min_confidence is not None:
        low = [
            s for s in result.series if s.confidence is None or s.confidence < args.min_confidence
        ]
        chart_low = result.confidence is not None and result.confidence < args.min_confidence
        if low or chart_low or not result.series:
            names = ", ".join(f"{s.name} ({s.confidence})" for s in low) or (
                f"chart ({result.confidence})" if chart_low else "no series")
            raise LowConfidenceError(
                f"{args.image}: confidence below {args.min_confidence}: {names}"
            )
    text = result.to_json() + "\n" if args.json else result.to_csv()
    if args.check:
        from .render import write_check

        scores = write_check(result, args.check)
        _print_scores(scores)
    if args.output:
        _write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    for warning in result.warnings:  # after the output: warnings only on success
        print(f"digitize: warning: {warning}", file=sys.stderr)
    for s in result.series:
        for warning in s.warnings:
            print(f"digitize: warning: {s.name}: {warning}", file=sys.stderr)
    return 0


def _print_scores(scores: dict) -> None:
    series = scores.get("series", {}) if isinstance(scores, dict) else {}
    for name, s in series.items():
        if isinstance(s, dict):
            parts = " ".join(f"{k}={v:.3f}" for k, v in s.items() if isinstance(v, (int, float)))
            print(f"digitize: check: {name}: {parts}", file=sys.stderr)
    if isinstance(scores, dict):
        overall = " ".join(
            f"{k}={scores[k]:.3f}"
            for k in ("score", "unexplained")
            if isinstance(scores.get(k), float)
        )
        print(f"digitize: check: overall: {overall}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        with warnings.catch_warnings():
            if not debug:  # numpy / Pillow chatter would break "one line on stderr"
                warnings.simplefilter("ignore")
            if argv and argv[0] == "compare":
                from .compare import main as compare_main

                return compare_main(argv[1:])
            if argv and argv[0] == "batch":
                from .batch import main as batch_main

                return batch_main(argv[1:])
            if argv and argv[0].lower().endswith(".pdf"):
                from .pdf import main as pdf_main

                return pdf_main(argv)
            return run(argv)
    except DigitizeError as exc:
        if debug:
            traceback.print_exc()
        _error(_one_line(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        print("digitize: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except MemoryError as exc:
        if debug:
            traceback.print_exc()
        _error(f"{_input_prefix(exc)}out of memory (image too large? lower --max-pixels)")
        return 2
    except Exception as exc:  # noqa: BLE001 - never a traceback to the user
        if debug:
            traceback.print_exc()
        _error(f"{_input_prefix(exc)}internal error: {_one_line(exc)} (run with --debug)")
        return 3


def _input_prefix(exc: BaseException) -> str:
    image = getattr(exc, "_digitize_input", None)
    return f"{image}: " if image else ""


def _one_line(exc: BaseException) -> str:
    """An exception's message on one line (its type name when it has none)."""
    try:
        text = " ".join(str(exc).split())
    except Exception:  # noqa: BLE001 - a broken __str__ must not escape either
        text = ""
    return text or type(exc).__name__


def _error(message: str) -> None:
    try:
        print(f"digitize: error: {message}", file=sys.stderr)
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr closed: nothing more we can do
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
