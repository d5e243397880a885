"""A helper process for the self-check's drawing, warmed up while the chart is read.

The self-check re-renders the extraction with matplotlib, and importing matplotlib costs a
fresh process about a third of a second: as much as reading the tick labels. On a machine
with a spare core, :func:`start` forks a process at the beginning of a read that imports
matplotlib while this process finds the layout, reads the labels and extracts the series;
:meth:`DrawWorker.draw` then has it draw the layers. Only the drawing goes there (the
result without its image, the masks back); the sizes and the scores are computed here.

Nothing depends on it: where fork is not available, there is one core, matplotlib is
already loaded, or the helper fails or stalls, the drawing is done in this process.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util as mp_util
import os
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .render import SeriesRender
    from .result import ChartResult

# seconds to wait for the helper's drawing before drawing here instead
DRAW_TIMEOUT = 30.0

_worker: DrawWorker | None = None
_disabled = False


def _warm() -> bool:
    """Run in the helper: import what drawing needs."""
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401

    from . import render  # noqa: F401

    return True


def _draw(
    result: ChartResult, width: int, height: int,
    sizes: dict[str, tuple[float, float, float | None]],
) -> dict[str, SeriesRender]:
    from .render import draw_layers

    return draw_layers(result, width, height, sizes)


def _spare_core() -> bool:
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except AttributeError:  # not Linux
        return (os.cpu_count() or 1) >= 2


class DrawWorker:
    """One helper process (a single-worker pool) that draws re-renders."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("fork")
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=ctx)
        self._warm: Future[bool] = self._pool.submit(_warm)  # starts the process now
        # stopped before multiprocessing joins its children at exit (a process started by
        # multiprocessing exits through that join, before any atexit hook would run), and
        # before the pool's own queues close (their finalizers have priority 10)
        self._finalizer = mp_util.Finalize(self, self.shutdown, exitpriority=100)

    def draw(
        self, result: ChartResult, width: int, height: int,
        sizes: dict[str, tuple[float, float, float | None]],
    ) -> dict[str, SeriesRender] | None:
        """The layers drawn by the helper, or None (the caller draws them itself)."""
        try:
            light = replace(result, image=None)
            return self._pool.submit(_draw, light, width, height, sizes).result(
                timeout=DRAW_TIMEOUT)
        except Exception:  # noqa: BLE001 - any failure: draw in this process
            close()
            return None

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=True)


def start() -> DrawWorker | None:
    """The helper process, started (once per process) when it can save time, else None."""
    global _worker
    if _worker is not None:
        return _worker
    if (_disabled or "matplotlib.figure" in sys.modules or not sys.platform.startswith("linux")
            or not _spare_core()):
        return None
    try:
        _worker = DrawWorker()
    except Exception:  # noqa: BLE001 - no helper: draw in this process
        _worker = None
    return _worker


def close() -> None:
    """Stop the helper process (a new one starts with the next :func:`start`)."""
    global _worker
    if _worker is not None:
        _worker.shutdown(wait=False)
        _worker = None


def disable() -> None:
    """Draw in this process from now on (a batch worker: the cores are shared already)."""
    global _disabled
    _disabled = True
    close()
