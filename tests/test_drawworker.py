"""The self-check's drawing helper process: same scores as drawing in-process, no hang at exit."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

import digitize
from digitize import drawworker
from digitize.render import agreement

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed" / "chart.png"


@pytest.fixture(scope="module")
def seed_result() -> digitize.ChartResult:
    return digitize.read(SEED, agreement=False)


def _scores(scores: dict) -> dict:
    return {name: round(s["score"], 6) for name, s in scores["series"].items()}


def test_helper_draws_what_this_process_draws(seed_result):
    worker = drawworker.DrawWorker()
    try:
        calls = []

        def draw(*args):
            calls.append(1)
            return worker.draw(*args)

        helped = agreement(seed_result, drawer=draw)
    finally:
        worker.shutdown()
    assert calls, "the drawer was not used"
    here = agreement(seed_result)
    assert _scores(helped) == _scores(here)
    assert helped["score"] == pytest.approx(here["score"], abs=1e-9)


def test_a_drawer_that_gives_up_leaves_the_drawing_here(seed_result):
    assert _scores(agreement(seed_result, drawer=lambda *a: None)) == _scores(
        agreement(seed_result))


def _read_in_child(path: str) -> None:
    result = digitize.read(path)
    assert result.agreement


def test_a_process_started_by_multiprocessing_exits_after_a_read():
    # multiprocessing joins its children before atexit hooks run: the helper must be
    # stopped before that join, or the process never exits
    ctx = multiprocessing.get_context("spawn")
    proc = ctx.Process(target=_read_in_child, args=(str(SEED),))
    proc.start()
    proc.join(120)
    alive = proc.is_alive()
    if alive:
        proc.kill()
        proc.join()
    assert not alive, "the process hung at exit"
    assert proc.exitcode == 0
