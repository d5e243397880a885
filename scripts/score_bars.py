#!/usr/bin/env python3
"""Bar accuracy on a folder of bar charts with truth (``gen_bars.py`` output).

For every truth bar: |y error| as a share of the value-axis span (the truth ``y_range``),
via :func:`digitize.compare.compare`; a bar missing from the extraction counts as failed.
Prints per chart type the share of bars within 0.5% (the issue's bar target) and the charts
that fail.

Usage::

    python scripts/score_bars.py /tmp/bars [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from digitize.compare import compare  # noqa: E402

BOUND = 0.005


def score_chart(truth: Path, image: Path) -> tuple[int, int, str]:
    """(bars within the bound, truth bars, note) for one chart."""
    data = json.loads(truth.read_text())
    n = sum(len(s["y"]) for s in data["series"])
    try:
        rep = compare(truth, image)
    except Exception as exc:  # noqa: BLE001 - a failed chart scores 0
        return 0, n, f"error: {type(exc).__name__}: {exc}"[:120]
    ok = 0
    for p in rep.pairs:
        errs = p.y_errors
        ok += int(((errs == errs) & (errs <= BOUND)).sum())
    note = f"{len(rep.pairs)}/{rep.n_a} series paired"
    return ok, n, note


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--limit", type=int)
    args = ap.parse_args(argv)
    truths = sorted(args.folder.glob("*.json"))
    truths = [t for t in truths if t.with_suffix(".png").exists()][: args.limit]
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    read_ok = [0, 0]  # bars within / bars on charts whose axes were read (no error)
    t0 = time.perf_counter()
    for t in truths:
        kind = json.loads(t.read_text()).get("chart_type", "?")
        ok, n, note = score_chart(t, t.with_suffix(".png"))
        row = per[kind]
        row[0] += ok
        row[1] += n
        row[2] += 1
        row[3] += int(ok >= 0.98 * n)
        if not note.startswith("error"):
            read_ok[0] += ok
            read_ok[1] += n
        print(f"{t.stem:12s} {kind:15s} {ok:3d}/{n:3d} {note}")
    print(f"\n{'kind':15s} {'bars within 0.5%':>18s} {'charts >=98%':>13s}")
    allok = alln = 0
    for kind, (ok, n, c, good) in sorted(per.items()):
        allok += ok
        alln += n
        print(f"{kind:15s} {ok:6d}/{n:<5d} {ok / max(n, 1):6.1%} {good:6d}/{c:<3d}")
    print(f"{'all':15s} {allok:6d}/{alln:<5d} {allok / max(alln, 1):6.1%}")
    print(f"{'axes read':15s} {read_ok[0]:6d}/{read_ok[1]:<5d} "
          f"{read_ok[0] / max(read_ok[1], 1):6.1%}   (charts without an AxisError etc.)")
    print(f"({time.perf_counter() - t0:.0f}s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
