"""The command line: output contract and exit codes, one line on stderr, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed" / "chart.png"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "digitize.cli", *args], capture_output=True, text=True, timeout=120
    )


def _one_line_error(proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.stdout == ""
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("digitize: error:")
    assert "Traceback" not in proc.stderr


def test_missing_file_exits_2(tmp_path: Path) -> None:
    proc = run(str(tmp_path / "nope.png"))
    assert proc.returncode == 2
    _one_line_error(proc)


def test_not_an_image_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "text.png"
    bad.write_text("this is not a picture\n")
    proc = run(str(bad))
    assert proc.returncode == 2
    _one_line_error(proc)


def test_blank_image_is_not_a_chart(tmp_path: Path) -> None:
    blank = tmp_path / "blank.png"
    Image.fromarray(np.full((300, 400, 3), 255, np.uint8)).save(blank)
    proc = run(str(blank))
    assert proc.returncode == 3
    _one_line_error(proc)


def test_noise_image_is_not_a_chart(tmp_path: Path) -> None:
    noise = tmp_path / "noise.png"
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (300, 400, 3), dtype=np.uint8)).save(noise)
    proc = run(str(noise))
    assert proc.returncode == 3
    _one_line_error(proc)


def test_bad_usage_exits_2() -> None:
    proc = run("--no-such-flag", str(SEED))
    assert proc.returncode == 2
    _one_line_error(proc)


def test_seed_csv_json_and_output_file(tmp_path: Path) -> None:
    proc = run(str(SEED))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "series,x,y,y_lower,y_upper"
    proc = run(str(SEED), "--json")
    data = json.loads(proc.stdout)
    assert {"plot_area", "x_axis", "y_axis", "series", "warnings"} <= set(data)
    assert data["x_axis"]["scale"] == "linear"
    out = tmp_path / "points.csv"
    check = tmp_path / "check.png"
    proc = run(str(SEED), "-o", str(out), "--check", str(check))
    assert proc.returncode == 0, proc.stderr
    assert out.read_text().startswith("series,x,y")
    assert check.exists() and "check:" in proc.stderr


def test_min_confidence_exits_4() -> None:
    proc = run(str(SEED), "--min-confidence", "1.01")
    assert proc.returncode == 4
    _one_line_error(proc)


def test_range_ends_may_be_dates() -> None:
    """--x-range takes ISO dates for a date axis (days since 1970-01-01, the date axes'
    unit), numbers otherwise; one end of each is a usage error."""
    import pytest

    from digitize.cli import _axis_option, range_end
    from digitize.errors import UsageError

    assert range_end("2.5").value == 2.5 and not range_end("2.5").is_date
    end = range_end("1970-01-02T06:00")
    assert end.is_date and abs(end.value - 1.25) < 1e-9
    assert _axis_option([range_end("2017-08-28"), range_end("2017-08-29")], None, "x")[1] == "date"
    with pytest.raises(UsageError):
        _axis_option([range_end("2017-08-28"), range_end("5")], None, "x")


def test_a_date_range_writes_iso_dates() -> None:
    proc = run(str(SEED), "--x-range", "2020-01-01", "2020-03-01")
    assert proc.returncode == 0, proc.stderr
    rows = proc.stdout.splitlines()[1:]
    assert rows and all(r.split(",")[1].startswith("2020-0") for r in rows)
    mixed = run(str(SEED), "--x-range", "2020-01-01", "5")
    assert mixed.returncode == 2
    _one_line_error(mixed)
