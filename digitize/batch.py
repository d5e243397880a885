"""``digitize batch``: digitize many charts (images and the figures of PDFs) into one folder.

For every chart, OUTDIR gets ``KEY.csv`` (the points), ``KEY.json`` (everything found),
``KEY.check.png`` (original | re-render | overlay) and ``KEY.status.json`` (its summary row,
warnings and the input's signature). Figures cut from a PDF are also saved as ``KEY.png``.
``summary.csv`` has one row per chart and ``index.html`` is the review page
(:mod:`digitize.report`).

KEY is the input's file stem (``chart``), ``STEM-pPAGE-fFIGURE`` for a PDF figure; stems that
occur twice among the inputs get a short hash of the path appended.

Charts run in a :class:`concurrent.futures.ProcessPoolExecutor`, one chart per task. Every
exception of a chart is caught in its task and recorded (``status=failed`` with a one-line
message): one bad chart never stops the batch. A re-run skips every chart whose status file
exists and whose input has not changed since (size and modification time); ``--force`` redoes
everything, ``--retry-failed`` redoes the failed ones.
"""

from __future__ import annotations

import argparse
import csv
import glob
import hashlib
import io
import json
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from . import drawworker
from .errors import DigitizeError, UsageError, UsageParser
from .limits import DEFAULT_TIMEOUT, wall_clock_limit

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"}
PDF_SUFFIX = ".pdf"
SUMMARY_COLUMNS = [
    "file", "page", "figure", "series", "points", "confidence", "status", "message",
]
SUMMARY_NAME = "summary.csv"
STATUS_SUFFIX = ".status.json"


@dataclass
class Chart:
    """One unit of work: a chart image to digitize and where its outputs go.

    Attributes
    ----------
    file : str
        The input file as named on the command line (or found in a folder).
    page, figure : int or None
        1-based page and figure index within the page, for a figure of a PDF.
    key : str
        Stem of the output files in OUTDIR.
    image : str
        The image to digitize: the input itself, or the figure cut out of a PDF.
    signature : str
        ``size:mtime_ns`` of the input file when the batch was planned.
    error : str or None
        Set when the chart failed before it could be digitized (an unreadable PDF).
    """

    file: str
    page: int | None
    figure: int | None
    key: str
    image: str
    signature: str
    error: str | None = None


@dataclass
class Row:
    """A chart's line of ``summary.csv`` plus what the report needs."""

    file: str
    page: int | None
    figure: int | None
    key: str
    status: str = "failed"  # "ok" or "failed"
    series: int = 0
    points: int = 0
    confidence: float | None = None  # the chart confidence (else the lowest series one)
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    series_confidence: dict[str, float | None] = field(default_factory=dict)
    seconds: float = 0.0
    signature: str = ""
    source_image: str | None = None  # OUTDIR-relative image digitized (PDF figures)

    def summary(self) -> dict[str, Any]:
        """The ``summary.csv`` columns of this row."""
        return {
            "file": self.file,
            "page": "" if self.page is None else self.page,
            "figure": "" if self.figure is None else self.figure,
            "series": self.series,
            "points": self.points,
            "confidence": "" if self.confidence is None else f"{self.confidence:.3f}",
            "status": self.status,
            "message": self.message,
        }


# -- command line ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The ``digitize batch`` argument parser."""
    p = UsageParser(
        prog="digitize batch",
        description="Digitize every chart in files, folders and globs (images and PDFs).",
        epilog="exit codes: 0 every chart done; 1 some chart failed (see summary.csv); "
        "2 bad usage or no input found.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="image, PDF, folder or glob")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="output folder")
    p.add_argument("--jobs", "-j", type=int, default=None,
                   help="worker processes (default: all cores)")
    p.add_argument("--force", action="store_true", help="redo charts already done")
    p.add_argument("--retry-failed", action="store_true", help="redo charts that failed")
    p.add_argument("--dpi", type=int, default=150, help="PDF page render resolution")
    p.add_argument("--max-pixels", type=int, default=50_000_000, help="refuse larger images")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"give up on a chart after this long; 0: no limit "
                   f"(default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--no-report", action="store_true", help="do not write index.html")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress output")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    return p


def main(argv: list[str]) -> int:
    """Run ``digitize batch``; returns the exit code (0 all done, 1 some chart failed)."""
    args = build_parser().parse_args(argv)
    jobs = args.jobs if args.jobs is not None else default_jobs()
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    outdir = Path(args.output)
    outdir.mkdir(parents=True, exist_ok=True)
    rows = run_batch(
        args.inputs,
        outdir,
        jobs=jobs,
        force=args.force,
        retry_failed=args.retry_failed,
        dpi=args.dpi,
        options={"max_pixels": args.max_pixels},
        timeout=args.timeout or None,
        progress=None if args.quiet else Progress.for_stream(sys.stderr),
    )
    if not args.no_report:
        from .report import write_report

        write_report(outdir, rows)
    failed = sum(r.status != "ok" for r in rows)
    if not args.quiet:
        print(
            f"digitize: batch: {len(rows)} charts, {len(rows) - failed} ok, {failed} failed "
            f"-> {outdir / SUMMARY_NAME}",
            file=sys.stderr,
        )
    return 1 if failed else 0


def default_jobs() -> int:
    """Number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


# -- the batch ------------------------------------------------------------------------------


def run_batch(
    inputs: Iterable[str],
    outdir: Path,
    *,
    jobs: int = 1,
    force: bool = False,
    retry_failed: bool = False,
    dpi: int = 150,
    options: dict[str, Any] | None = None,
    timeout: float | None = None,
    progress: Progress | None = None,
) -> list[Row]:
    """Digitize every chart of ``inputs`` into ``outdir`` and write ``summary.csv``.

    Parameters
    ----------
    inputs : iterable of str
        Files, folders (searched recursively for images and PDFs) and glob patterns.
    outdir : Path
        Output folder (created).
    jobs : int
        Worker processes.
    force, retry_failed : bool
        Redo charts done before / charts that failed before.
    dpi : int
        Resolution PDF pages are rendered at.
    options : dict, optional
        Passed to :func:`digitize.read` for every chart.
    timeout : float, optional
        Seconds one chart may take (its check image included); ``None``: no limit.
    progress : Progress, optional
        Receives one call per chart.

    Returns
    -------
    list of Row
        One per chart, in input order (charts skipped as done keep their stored row).

    Raises
    ------
    UsageError
        When an input matches no file.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    files = expand_inputs(inputs, exclude=outdir)
    charts = plan_charts(files, outdir, dpi=dpi)
    rows: dict[str, Row] = {}
    todo: list[Chart] = []
    for chart in charts:
        stored = load_row(outdir, chart)
        if stored is not None and not force and (stored.status == "ok" or not retry_failed):
            rows[chart.key] = stored
        else:
            todo.append(chart)
    if progress is not None:
        progress.start(total=len(charts), skipped=len(charts) - len(todo))
    for row in run_charts(todo, outdir, jobs=jobs, options=options or {}, timeout=timeout):
        rows[row.key] = row
        if progress is not None:
            progress.update(row)
    if progress is not None:
        progress.close()
    ordered = [rows[c.key] for c in charts]
    write_summary(outdir / SUMMARY_NAME, ordered)
    return ordered


def expand_inputs(inputs: Iterable[str], exclude: Path | None = None) -> list[Path]:
    """Files named by ``inputs``: files as given, folders searched recursively for images
    and PDFs, glob patterns expanded (``**`` included). Order kept, duplicates dropped.

    Raises
    ------
    UsageError
        When an input is neither an existing file or folder nor a pattern matching one.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    skip = exclude.resolve() if exclude is not None else None
    for item in inputs:
        found = list(_expand_one(item))
        if not found:
            raise UsageError(f"{item}: no such file, folder or matching chart")
        for path in found:
            real = path.resolve()
            if real in seen or (skip is not None and skip in real.parents):
                continue
            seen.add(real)
            out.append(path)
    return out


def _expand_one(item: str) -> Iterator[Path]:
    path = Path(item)
    if path.is_file():
        yield path
    elif path.is_dir():
        yield from _charts_in(path)
    elif glob.has_magic(item):
        for match in sorted(glob.glob(item, recursive=True)):
            m = Path(match)
            if m.is_dir():
                yield from _charts_in(m)
            elif _is_chart_file(m):
                yield m


def _charts_in(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and _is_chart_file(path) and not path.name.startswith("."):
            yield path


def _is_chart_file(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in IMAGE_SUFFIXES or suffix == PDF_SUFFIX


def plan_charts(files: list[Path], outdir: Path, *, dpi: int = 150) -> list[Chart]:
    """One :class:`Chart` per image and per figure of each PDF (figures are cut out and saved
    in ``outdir``; an unreadable PDF becomes one chart that has already failed)."""
    keys = unique_keys(files)
    charts: list[Chart] = []
    for path, key in zip(files, keys, strict=True):
        sig = signature(path)
        if path.suffix.lower() == PDF_SUFFIX:
            charts.extend(_pdf_charts(path, key, sig, outdir, dpi))
        else:
            charts.append(Chart(str(path), None, None, key, str(path), sig))
    return charts


def _pdf_charts(path: Path, key: str, sig: str, outdir: Path, dpi: int) -> list[Chart]:
    """The figures of a PDF as charts, cut out once per input version (cached by signature)."""
    from .pdf import save_figures

    try:
        figures = save_figures(path, outdir, key, signature=sig, dpi=dpi)
    except Exception as exc:  # noqa: BLE001 - recorded as a failed chart
        return [Chart(str(path), None, None, key, str(path), sig, error=one_line(exc))]
    if not figures:
        msg = "no figure found in the PDF"
        return [Chart(str(path), None, None, key, str(path), sig, error=msg)]
    return [
        Chart(str(path), f.page, f.figure, f.key, str(outdir / f.image), sig) for f in figures
    ]


def unique_keys(files: list[Path]) -> list[str]:
    """Output stems: the file stem (made file-name safe), plus a short hash of the path where
    two inputs share a stem."""
    stems = [_safe(p.stem) for p in files]
    counts: dict[str, int] = {}
    for s in stems:
        counts[s] = counts.get(s, 0) + 1
    return [
        s if counts[s] == 1 else f"{s}-{hashlib.sha1(str(p.resolve()).encode()).hexdigest()[:6]}"
        for s, p in zip(stems, files, strict=True)
    ]


def _safe(stem: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "chart"


def signature(path: Path) -> str:
    """``size:mtime_ns`` of a file: a re-run redoes a chart whose input changed."""
    try:
        st = path.stat()
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}"


def load_row(outdir: Path, chart: Chart) -> Row | None:
    """The stored row of ``chart`` if it was done before on the same input version."""
    path = outdir / f"{chart.key}{STATUS_SUFFIX}"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        row = Row(**data)
    except (OSError, ValueError, TypeError):
        return None
    if row.signature != chart.signature:
        return None
    if row.status == "ok" and not (outdir / f"{chart.key}.csv").exists():
        return None
    return row


# -- running charts -------------------------------------------------------------------------


def run_charts(
    charts: list[Chart],
    outdir: Path,
    *,
    jobs: int,
    options: dict[str, Any],
    timeout: float | None = None,
) -> Iterator[Row]:
    """Digitize ``charts`` in ``jobs`` worker processes; yield rows as they finish.

    A worker that dies (a crash in native code) breaks the pool: its unfinished charts are
    retried once in a fresh pool, then recorded as failed.
    """
    pending = [c for c in charts if c.error is None]
    for c in charts:
        if c.error is not None:
            yield _record(outdir, _failed_row(c, c.error))
    for attempt in range(2):
        if not pending:
            return
        broken: list[Chart] = []
        for chart, row in _pool_run(pending, outdir, jobs, options, timeout):
            if row is None and attempt == 0:
                broken.append(chart)
            elif row is None:
                yield _record(outdir, _failed_row(chart, "worker process died"))
            else:
                yield row
        pending = broken


def _pool_run(
    charts: list[Chart], outdir: Path, jobs: int, options: dict[str, Any], timeout: float | None
) -> Iterator[tuple[Chart, Row | None]]:
    ctx = multiprocessing.get_context("spawn")  # no fork of a process holding OCR state
    workers = min(jobs, len(charts))
    threads = max(1, default_jobs() // workers)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=init_worker, initargs=(threads,)
    ) as pool:
        futures: dict[Future[Row], Chart] = {
            pool.submit(process_chart, c, str(outdir), options, timeout): c for c in charts
        }
        for fut in as_completed(futures):
            chart = futures[fut]
            try:
                yield chart, fut.result()
            except BrokenProcessPool:
                yield chart, None
            except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable result
                yield chart, _record(outdir, _failed_row(chart, one_line(exc)))


THREAD_VARIABLES = (
    "OMP_NUM_THREADS", "OMP_THREAD_LIMIT", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
)


def init_worker(threads: int) -> None:
    """Limit a worker's native thread pools (BLAS, OpenMP, OpenCV, Tesseract) to ``threads``
    so that workers do not oversubscribe the cores between them."""
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, str(threads))
    try:
        import cv2

        cv2.setNumThreads(threads)
    except Exception:  # noqa: BLE001 - a tuning, never an error  # pragma: no cover
        pass
    # the workers already share the cores, and each imports matplotlib for its check images
    drawworker.disable()


def process_chart(
    chart: Chart, outdir: str, options: dict[str, Any], timeout: float | None = None
) -> Row:
    """Digitize one chart and write its outputs; never raises (failures become the row).

    Parameters
    ----------
    chart : Chart
        What to digitize.
    outdir : str
        Output folder.
    options : dict
        Passed to :func:`digitize.read`.
    timeout : float, optional
        Seconds the chart may take; over it, the chart fails with a one-line message.

    Returns
    -------
    Row
        Status ``ok`` with series/points/confidence, or ``failed`` with the message.
    """
    start = time.perf_counter()
    out = Path(outdir)
    try:
        with wall_clock_limit(timeout, label=Path(chart.image).name):
            row = _digitize(chart, out, options)
    except Exception as exc:  # noqa: BLE001 - one failing chart never stops the batch
        _remove_outputs(out, chart.key)
        row = _failed_row(chart, one_line(exc))
    row.seconds = round(time.perf_counter() - start, 3)
    return _record(out, row)


def _digitize(chart: Chart, out: Path, options: dict[str, Any]) -> Row:
    from .pipeline import read
    from .render import write_check

    result = read(chart.image, **options)
    warnings = list(result.warnings)
    _write_atomic(out / f"{chart.key}.csv", result.to_csv())
    _write_atomic(out / f"{chart.key}.json", result.to_json() + "\n")
    try:
        _atomic_png(out / f"{chart.key}.check.png", lambda p: write_check(result, p))
    except Exception as exc:  # noqa: BLE001 - the check image is an extra
        warnings.append(f"check image failed: {one_line(exc)}")
    for s in result.series:
        warnings.extend(f"{s.name}: {w}" for w in s.warnings)
    confidences = [s.confidence for s in result.series if s.confidence is not None]
    row = _base_row(chart)
    row.status = "ok"
    row.series = len(result.series)
    row.points = sum(len(s.points) for s in result.series)
    row.confidence = result.confidence if result.confidence is not None else (
        min(confidences) if confidences else None)
    row.series_confidence = {s.name: s.confidence for s in result.series}
    row.warnings = warnings
    row.message = "; ".join(warnings)
    return row


def _base_row(chart: Chart) -> Row:
    source = Path(chart.image).name if chart.page is not None else None
    return Row(
        file=chart.file,
        page=chart.page,
        figure=chart.figure,
        key=chart.key,
        signature=chart.signature,
        source_image=source,
    )


def _failed_row(chart: Chart, message: str) -> Row:
    row = _base_row(chart)
    row.status = "failed"
    row.message = message
    return row


def _record(out: Path, row: Row) -> Row:
    _write_atomic(out / f"{row.key}{STATUS_SUFFIX}", json.dumps(asdict(row), indent=1) + "\n")
    return row


def _remove_outputs(out: Path, key: str) -> None:
    for suffix in (".csv", ".json", ".check.png"):
        (out / f"{key}{suffix}").unlink(missing_ok=True)


def one_line(exc: BaseException) -> str:
    """An exception as one line: its message (first line), or its class name."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if isinstance(exc, DigitizeError):
        return text or type(exc).__name__
    if isinstance(exc, MemoryError):
        return "out of memory (image too large?)"
    return f"internal error: {type(exc).__name__}" + (f": {text}" if text else "")


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _atomic_png(path: Path, write: Callable[[str], Any]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".png")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_summary(path: Path, rows: list[Row]) -> None:
    """``summary.csv``: one row per chart (``series`` is the number of series, ``points``
    their total, ``confidence`` the chart confidence)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(r.summary() for r in rows)
    _write_atomic(path, buf.getvalue())


# -- progress -------------------------------------------------------------------------------


class Progress:
    """Progress on stderr: one self-rewriting line with rate and ETA on a terminal, one plain
    line per chart otherwise."""

    def __init__(self, stream: TextIO, tty: bool) -> None:
        self.stream = stream
        self.tty = tty
        self.total = 0
        self.skipped = 0
        self.done = 0
        self.failed = 0
        self.started = time.perf_counter()

    @classmethod
    def for_stream(cls, stream: TextIO) -> Progress:
        """A progress reporter that rewrites its line when ``stream`` is a terminal."""
        isatty = getattr(stream, "isatty", None)
        return cls(stream, bool(isatty and isatty()))

    def start(self, total: int, skipped: int) -> None:
        """Begin: ``total`` charts, of which ``skipped`` were done before."""
        self.total, self.skipped = total, skipped
        self.started = time.perf_counter()
        if skipped:
            self._emit(f"{skipped} of {total} charts done before: skipped (--force redoes them)",
                       final=True)

    def update(self, row: Row) -> None:
        """One more chart finished."""
        self.done += 1
        self.failed += row.status != "ok"
        where = Path(row.file).name + (f" p{row.page} f{row.figure}" if row.page else "")
        text = f"[{self.skipped + self.done}/{self.total}] {row.status} {where}"
        if row.status != "ok":
            text += f": {row.message}"
            if self.tty:  # a failure stays on screen above the progress line
                self._emit(text, final=True)
                text = f"[{self.skipped + self.done}/{self.total}]"
        self._emit(f"{text} ({self.rate_eta()})", final=not self.tty)

    def rate_eta(self) -> str:
        """``"1.2 charts/s, ETA 0:42"`` from the charts finished so far."""
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        rate = self.done / elapsed
        left = self.total - self.skipped - self.done
        eta = left / rate if rate > 0 else 0.0
        return f"{rate:.2f} charts/s, ETA {int(eta) // 60}:{int(eta) % 60:02d}"

    def close(self) -> None:
        """End the self-rewriting line."""
        if self.tty and self.done:
            self.stream.write("\n")
            self.stream.flush()

    def _emit(self, text: str, final: bool) -> None:
        if self.tty:
            width = max(40, shutil.get_terminal_size((100, 20)).columns - 1)
            line = f"digitize: batch: {text}"
            if not final:
                line = line[:width]
            self.stream.write("\r" + line.ljust(width))
            if final:
                self.stream.write("\n")
        else:
            self.stream.write(f"digitize: batch: {text}\n")
        self.stream.flush()


__all__ = [
    "Chart",
    "Row",
    "Progress",
    "main",
    "run_batch",
    "expand_inputs",
    "plan_charts",
    "process_chart",
    "write_summary",
]
