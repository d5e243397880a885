"""``digitize batch``: inputs, per-chart outputs, failures, summary, resumability, progress."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from digitize.batch import (  # noqa: E402
    SUMMARY_COLUMNS,
    Progress,
    Row,
    expand_inputs,
    main,
    one_line,
    unique_keys,
)
from digitize.errors import InputError, UsageError  # noqa: E402


def make_chart(path: Path, slope: float) -> None:
    """A small two-series line chart with a legend."""
    fig, ax = plt.subplots(figsize=(5, 3.5), dpi=100)
    x = np.arange(8)
    ax.plot(x, slope * x, "o-", label="up")
    ax.plot(x, 10 - x, "s-", label="down")
    ax.legend(loc="upper left")
    fig.savefig(path)
    plt.close(fig)


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One batch over two charts and a corrupt file (shared by the tests below)."""
    root = tmp_path_factory.mktemp("batch")
    inputs = root / "in"
    inputs.mkdir()
    make_chart(inputs / "a.png", 1.0)
    make_chart(inputs / "b.png", 2.0)
    (inputs / "corrupt.png").write_bytes(b"\x89PNG\r\n\x1a\n this is not really a png")
    (inputs / "notes.txt").write_text("not a chart; folders only yield images and PDFs\n")
    out = root / "out"
    err = io.StringIO()
    code = _main(["batch", str(inputs), "-o", str(out), "--jobs", "2", "--no-report"], err)
    return {"inputs": inputs, "out": out, "code": code, "stderr": err.getvalue()}


def _main(argv: list[str], err: io.StringIO) -> int:
    old = sys.stderr
    sys.stderr = err
    try:
        assert argv[0] == "batch"
        return main(argv[1:])
    finally:
        sys.stderr = old


def _summary(out: Path) -> list[dict[str, str]]:
    with open(out / "summary.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_chart_gets_its_outputs(batch_run: dict) -> None:
    out = batch_run["out"]
    for key in ("a", "b"):
        assert (out / f"{key}.csv").read_text().startswith("series,x,y,y_lower,y_upper")
        data = json.loads((out / f"{key}.json").read_text())
        assert data["series"]
        assert (out / f"{key}.check.png").stat().st_size > 1000


def test_corrupt_file_fails_alone(batch_run: dict) -> None:
    out = batch_run["out"]
    assert batch_run["code"] == 1  # some chart failed
    rows = {Path(r["file"]).name: r for r in _summary(out)}
    assert rows["corrupt.png"]["status"] == "failed"
    assert "corrupt.png" in rows["corrupt.png"]["message"]
    assert "\n" not in rows["corrupt.png"]["message"]
    assert not (out / "corrupt.csv").exists()
    assert rows["a.png"]["status"] == rows["b.png"]["status"] == "ok"
    assert "Traceback" not in batch_run["stderr"]


def test_summary_contents(batch_run: dict) -> None:
    rows = _summary(batch_run["out"])
    assert list(rows[0].keys()) == SUMMARY_COLUMNS
    assert [Path(r["file"]).name for r in rows] == ["a.png", "b.png", "corrupt.png"]
    for r in rows[:2]:
        assert int(r["series"]) >= 2
        assert int(r["points"]) >= 10
        assert 0.0 <= float(r["confidence"]) <= 1.0
        assert r["page"] == r["figure"] == ""
        csv_rows = (batch_run["out"] / f"{Path(r['file']).stem}.csv").read_text().splitlines()
        assert len(csv_rows) - 1 == int(r["points"])


def test_plain_progress_lines_when_not_a_tty(batch_run: dict) -> None:
    lines = [ln for ln in batch_run["stderr"].splitlines() if ln]
    assert "\r" not in batch_run["stderr"]
    assert sum("charts/s, ETA" in ln for ln in lines) == 3
    assert lines[-1].startswith("digitize: batch: 3 charts, 2 ok, 1 failed")


def test_rerun_skips_done_and_force_redoes(batch_run: dict) -> None:
    out, inputs = batch_run["out"], batch_run["inputs"]
    status = out / "a.status.json"
    before = status.stat().st_mtime_ns
    err = io.StringIO()
    code = _main(["batch", str(inputs), "-o", str(out), "--jobs", "1"], err)
    assert code == 1  # the corrupt file is still recorded as failed
    assert "3 of 3 charts done before: skipped" in err.getvalue()
    assert status.stat().st_mtime_ns == before
    assert len(_summary(out)) == 3
    page = (out / "index.html").read_text(encoding="utf-8")  # the report, from stored rows
    assert page.count('<tr class=') == 3 and 'src="a.check.png"' in page
    # --force redoes what is asked for (one chart here, to keep the test quick)
    err = io.StringIO()
    code = _main(
        ["batch", str(inputs / "corrupt.png"), "-o", str(out), "--jobs", "1", "--force",
         "--no-report"],
        err,
    )
    assert code == 1
    assert "[1/1] failed corrupt.png" in err.getvalue()


def test_changed_input_is_redone(batch_run: dict, tmp_path: Path) -> None:
    out = tmp_path / "out"
    bad = tmp_path / "x.png"
    bad.write_text("first version")
    assert _main(["batch", str(bad), "-o", str(out), "-j", "1", "--no-report"],
                 io.StringIO()) == 1
    bad.write_text("second version, a different size")
    err = io.StringIO()
    _main(["batch", str(bad), "-o", str(out), "-j", "1", "--no-report"], err)
    assert "[1/1] failed" in err.getvalue()


def test_expand_inputs_files_folders_globs(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("a.png", "b.jpg", "sub/c.png", "sub/d.pdf", "e.txt"):
        (tmp_path / name).write_bytes(b"x")
    found = expand_inputs([str(tmp_path)])
    assert sorted(p.name for p in found) == ["a.png", "b.jpg", "c.png", "d.pdf"]
    globbed = expand_inputs([str(tmp_path / "*.png"), str(tmp_path / "a.png")])
    assert [p.name for p in globbed] == ["a.png"]  # duplicates dropped
    explicit = expand_inputs([str(tmp_path / "e.txt")])  # named files are taken as they are
    assert [p.name for p in explicit] == ["e.txt"]
    inside = expand_inputs([str(tmp_path)], exclude=tmp_path / "sub")
    assert sorted(p.name for p in inside) == ["a.png", "b.jpg"]
    with pytest.raises(UsageError, match="no such file"):
        expand_inputs([str(tmp_path / "missing.png")])


def test_unique_keys() -> None:
    keys = unique_keys([Path("x/chart.png"), Path("y/chart.png"), Path("z/my chart!.png")])
    assert keys[0] != keys[1] and keys[0].startswith("chart-")
    assert keys[2] == "my_chart"


def test_progress_on_a_terminal_rewrites_one_line() -> None:
    buf = io.StringIO()
    progress = Progress(buf, tty=True)
    progress.start(total=2, skipped=0)
    progress.update(Row(file="a.png", page=None, figure=None, key="a", status="ok"))
    progress.update(Row(file="b.png", page=None, figure=None, key="b", message="bad"))
    progress.close()
    text = buf.getvalue()
    assert text.count("\r") == 3 and text.endswith("\n") and text.count("\n") == 2
    assert "[2/2] failed b.png: bad" in text.split("\n")[0]  # a failure stays on screen
    assert "[2/2] (" in text and "ETA" in text


def test_one_line_messages() -> None:
    assert one_line(InputError("x.png: not an image")) == "x.png: not an image"
    assert one_line(ValueError("first\nsecond")) == "internal error: ValueError: first"
    assert one_line(RuntimeError()) == "internal error: RuntimeError"


def test_cli_usage_errors_are_one_line(tmp_path: Path) -> None:
    for args in (["batch", str(tmp_path / "missing.png"), "-o", str(tmp_path / "o")],
                 ["batch", str(tmp_path)],
                 ["batch", str(tmp_path), "-o", str(tmp_path / "o"), "--jobs", "0"]):
        proc = subprocess.run([sys.executable, "-m", "digitize.cli", *args],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2, proc.stderr
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("digitize: error:"), proc.stderr


def test_a_chart_over_its_time_limit_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    import digitize.pipeline
    from digitize.batch import Chart, process_chart

    def stuck(*args: object, **kwargs: object) -> None:
        time.sleep(30)

    monkeypatch.setattr(digitize.pipeline, "read", stuck)
    chart = Chart("slow.png", None, None, "slow", "slow.png", "1:1")
    start = time.perf_counter()
    row = process_chart(chart, str(tmp_path), {}, timeout=0.2)
    assert time.perf_counter() - start < 5
    assert row.status == "failed" and "gave up after 0.2 s" in row.message
    assert json.loads((tmp_path / "slow.status.json").read_text())["status"] == "failed"
