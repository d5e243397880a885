"""Throughput of ``digitize batch``: charts per second with ``--jobs 1`` vs ``--jobs 2``.

    python3 scripts/bench_batch.py                      # fixtures/family (+ corpus/ if present)
    python3 scripts/bench_batch.py FOLDER... --jobs 1 2 4 --repeat 2

Each run digitizes every image and PDF of the folders into a fresh output folder (check images,
summary and report included: the whole batch), timed from the command's start to its end. A
markdown table goes to stdout, for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def default_folders() -> list[str]:
    """fixtures/family, and corpus/ when it exists."""
    folders = [ROOT / "fixtures" / "family", ROOT / "corpus"]
    return [str(f) for f in folders if f.is_dir()]


def run_batch(folders: list[str], jobs: int) -> tuple[float, float, int, int]:
    """One batch in a fresh folder: ``(seconds, cpu_seconds, charts, ok)``; CPU time is that
    of the batch and its workers (user + system)."""
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as out:
        cpu0 = _children_cpu()
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "digitize.cli", "batch", *folders, "-o", out,
             "--jobs", str(jobs), "--quiet"],
            capture_output=True, text=True, cwd=ROOT,
        )
        seconds = time.perf_counter() - start
        cpu = _children_cpu() - cpu0
        summary = Path(out) / "summary.csv"
        if proc.returncode not in (0, 1) or not summary.exists():
            sys.exit(f"bench_batch: batch failed: {proc.stderr.strip()[-500:]}")
        with open(summary, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    return seconds, cpu, len(rows), sum(r["status"] == "ok" for r in rows)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _busy_work(seconds_hint: float) -> float:
    """A fixed amount of single-threaded CPU work (numpy and pure Python, like a chart's mix);
    returns its wall time."""
    import numpy as np

    start = time.perf_counter()
    rng = np.random.default_rng(0)
    a = rng.random((600, 600))
    total = 0.0
    rounds = max(1, int(seconds_hint * 12))
    for _ in range(rounds):
        b = np.sort(a, axis=1) @ a[:, :50]  # memory and arithmetic
        total += float(b.sum())
        total += sum(i * i for i in range(60_000))  # interpreter
    return time.perf_counter() - start


def machine_scaling(jobs: int, seconds_hint: float = 8.0) -> float:
    """The machine's own ceiling: throughput of ``jobs`` processes running the same fixed,
    independent CPU work, over one process (no I/O, no shared state: what perfect
    parallelism gives here)."""
    from concurrent.futures import ProcessPoolExecutor

    env = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    os.environ.update(env)
    one = _busy_work(seconds_hint)
    with ProcessPoolExecutor(jobs) as pool:
        start = time.perf_counter()
        list(pool.map(_busy_work, [seconds_hint] * jobs))
        many = time.perf_counter() - start
    return jobs * one / many


def table(results: list[tuple[int, float, float, int, int]]) -> str:
    """The markdown table: jobs, charts, seconds, CPU seconds, cores busy (CPU / wall),
    charts/s and the speed-up over the first row."""
    base = results[0][1]
    lines = [
        "| jobs | charts (ok) | seconds | CPU s | cores busy | charts/s | speed-up |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for jobs, seconds, cpu, charts, ok in results:
        lines.append(
            f"| {jobs} | {charts} ({ok}) | {seconds:.1f} | {cpu:.1f} | {cpu / seconds:.2f} | "
            f"{charts / seconds:.2f} | {base / seconds:.2f}x |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folders", nargs="*", help="folders of charts (default: fixtures/family, "
                   "corpus/)")
    p.add_argument("--jobs", nargs="+", type=int, default=[1, 2], help="worker counts to time")
    p.add_argument("--repeat", type=int, default=1, help="runs per worker count (best kept)")
    p.add_argument("--no-ceiling", action="store_true",
                   help="skip the reference run of independent CPU work")
    args = p.parse_args(argv)
    folders = args.folders or default_folders()
    results = []
    for jobs in args.jobs:
        best = None
        for _ in range(args.repeat):
            run = run_batch(folders, jobs)
            print(f"bench_batch: --jobs {jobs}: {run[2]} charts in {run[0]:.1f} s "
                  f"({run[1]:.1f} s CPU)", file=sys.stderr)
            if best is None or run[0] < best[0]:
                best = run
        assert best is not None
        results.append((jobs, *best))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    names = ", ".join(os.path.relpath(f, ROOT) for f in folders)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"`digitize batch` throughput over {names} ({cores} cores, load average "
          f"{load:.1f} at the end, Python {platform.python_version()}):\n")
    print(table(results))
    if not args.no_ceiling:
        for jobs in args.jobs[1:]:
            print(f"\nMachine ceiling: {jobs} processes of fixed independent CPU work run "
                  f"{machine_scaling(jobs):.2f}x as fast as one.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
