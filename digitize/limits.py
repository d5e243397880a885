"""Time limits: a cooperative per-stage budget and a hard wall-clock guard for the CLI.

Two tools, for two kinds of bound:

:class:`Deadline` is cooperative. The pipeline creates one per chart and calls
:meth:`Deadline.check` between (and inside long loops of) its stages; when the budget is spent
the check raises :class:`TimeLimitError` (a :class:`~digitize.errors.DigitizeError`, exit code
3) naming the stage::

    deadline = Deadline(60.0)              # or Deadline(None): never expires
    rgb = load_image(source)
    deadline.check("image")
    layout = find_layout(rgb)
    deadline.check("layout")               # "layout took too long (61.2 s > 60 s budget)"
    for i, sc in enumerate(palette.series):
        deadline.check(f"extraction of series {i + 1}")
        ...

    with deadline.stage("calibration"):    # the same check, after the block
        x_axis, y_axis = calibrate(...)

``deadline.remaining()`` gives the seconds left (``inf`` without a budget), for a stage that
wants to scale its own effort down; ``deadline.sub(seconds)`` a child budget that expires no
later than its parent.

:func:`wall_clock_limit` is preemptive, for the command line: a context manager that arms
``signal.setitimer(ITIMER_REAL)`` in the main thread on POSIX; when the timer fires, the running
Python code is interrupted wherever it is and the ``with`` block raises :class:`TimeLimitError`.
The interruption is raised as a ``BaseException`` (like ``KeyboardInterrupt``) so no
``except Exception`` inside the pipeline can swallow it, and is turned into
:class:`TimeLimitError` at the boundary. Python signal handlers only run between bytecodes, so
code stuck inside one long C call (a native OCR call, a huge numpy operation) is interrupted
when that call returns; for calls that release the GIL, ``hard_exit_after`` seconds later a
watchdog thread prints the one-line error and ends the process with ``os._exit(3)``.
Outside the main thread, or where ``SIGALRM`` does not exist, only that watchdog (if asked for)
bounds the time.
"""

from __future__ import annotations

import math
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from .errors import DigitizeError

DEFAULT_TIMEOUT = 120.0  # seconds; the CLI's --timeout default


class TimeLimitError(DigitizeError, TimeoutError):
    """A time budget ran out (exit code 3): the message names the stage or the limit."""

    exit_code = 3


class Deadline:
    """A cooperative time budget shared by the stages of one pipeline run.

    Parameters
    ----------
    seconds : float or None
        The budget, counted from construction. ``None`` (or ``inf``) never expires.
    clock : callable, optional
        Monotonic clock returning seconds; injectable for tests.

    Examples
    --------
    >>> d = Deadline(30)
    >>> d.check("layout")          # returns None while time is left
    >>> d.remaining() <= 30
    True
    """

    def __init__(
        self, seconds: float | None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if seconds is not None and (math.isnan(seconds) or seconds < 0):
            raise ValueError(f"time budget must be >= 0 seconds, not {seconds}")
        self.seconds = math.inf if seconds is None else float(seconds)
        self._clock = clock
        self.start = clock()

    def elapsed(self) -> float:
        """Seconds since the budget started."""
        return self._clock() - self.start

    def remaining(self) -> float:
        """Seconds left (never negative; ``inf`` without a budget)."""
        return max(0.0, self.seconds - self.elapsed())

    def expired(self) -> bool:
        """True once the budget is spent."""
        return self.elapsed() > self.seconds

    def check(self, stage: str) -> None:
        """Raise :class:`TimeLimitError` naming ``stage`` if the budget is spent.

        Parameters
        ----------
        stage : str
            What was running, for the message: ``"layout"``, ``"OCR of the y axis"``...

        Raises
        ------
        TimeLimitError
            ``"<stage> took too long (<elapsed> s > <budget> s budget); raise it with
            --timeout"`` (exit code 3).
        """
        elapsed = self.elapsed()
        if elapsed > self.seconds:
            raise TimeLimitError(
                f"{stage} took too long ({elapsed:.1f} s > {self.seconds:g} s budget); "
                "raise it with --timeout"
            )

    @contextmanager
    def stage(self, name: str) -> Iterator[Deadline]:
        """Run a block, then :meth:`check` with ``name``."""
        yield self
        self.check(name)

    def sub(self, seconds: float | None) -> Deadline:
        """A child budget of ``seconds`` that never outlives this one."""
        left = self.remaining()
        return Deadline(left if seconds is None else min(float(seconds), left), clock=self._clock)

    def __repr__(self) -> str:
        return f"Deadline(seconds={self.seconds:g}, remaining={self.remaining():.1f})"


class _Expired(BaseException):
    """Raised by the SIGALRM handler; a BaseException so ``except Exception`` cannot eat it."""


def _timeout_message(seconds: float) -> str:
    return f"gave up after {seconds:g} s (time limit; raise it with --timeout)"


@contextmanager
def wall_clock_limit(
    seconds: float | None,
    *,
    label: str = "",
    hard_exit_after: float | None = None,
) -> Iterator[None]:
    """Bound the wall-clock time of a ``with`` block; raise :class:`TimeLimitError` when over.

    Parameters
    ----------
    seconds : float or None
        The limit; ``None``, ``0`` or ``inf`` disable it.
    label : str, optional
        Prefix for the message, e.g. the input file name: ``"chart.png: gave up after ..."``.
    hard_exit_after : float or None, optional
        Grace period after the limit: if the block is *still* running then (stuck in native
        code that never returns to Python), a watchdog thread writes
        ``"digitize: error: <message>"`` to stderr and calls ``os._exit(3)``. ``None`` (the
        default) never kills the process; only use it where ending the process is acceptable
        (the CLI).

    Raises
    ------
    TimeLimitError
        When the limit passes while the block runs (exit code 3).
    ValueError
        For a negative or NaN ``seconds``.
    """
    if seconds is None or seconds == 0 or math.isinf(seconds):
        yield
        return
    if math.isnan(seconds) or seconds < 0:
        raise ValueError(f"time limit must be >= 0 seconds, not {seconds}")
    message = (f"{label}: " if label else "") + _timeout_message(seconds)

    use_signal = hasattr(signal, "SIGALRM") and hasattr(signal, "setitimer")
    use_signal = use_signal and threading.current_thread() is threading.main_thread()
    previous_handler = None
    previous_timer = (0.0, 0.0)
    watchdog: threading.Timer | None = None

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise _Expired()

    if hard_exit_after is not None:
        watchdog = threading.Timer(seconds + max(0.0, hard_exit_after), _hard_exit, (message,))
        watchdog.daemon = True
        watchdog.start()
    if use_signal:
        previous_handler = signal.signal(signal.SIGALRM, on_alarm)
        previous_timer = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        try:
            yield
        finally:
            if use_signal:
                signal.setitimer(signal.ITIMER_REAL, 0)
            if watchdog is not None:
                watchdog.cancel()
    except _Expired:
        raise TimeLimitError(message) from None
    finally:
        if use_signal:
            signal.signal(signal.SIGALRM, previous_handler)
            if previous_timer[0] > 0:  # an outer timer was running: re-arm what is left of it
                signal.setitimer(signal.ITIMER_REAL, *previous_timer)


def _hard_exit(message: str) -> None:  # pragma: no cover - ends the process
    try:
        sys.stderr.write(f"digitize: error: {message}\n")
        sys.stderr.flush()
    finally:
        os._exit(TimeLimitError.exit_code)


__all__ = ["DEFAULT_TIMEOUT", "Deadline", "TimeLimitError", "wall_clock_limit"]
