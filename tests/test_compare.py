"""Tests for ``digitize compare`` and the ground-truth loader, on hand-made cases."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from digitize import compare as cmp
from digitize.groundtruth import load_table, parse_date


def write_truth(path: Path, series: list[dict], **extra: object) -> Path:
    data = {"x_scale": "linear", "y_scale": "linear", "series": series, "chart_type": "line"}
    data.update(extra)
    path.write_text(json.dumps(data))
    return path


def write_csv(path: Path, rows: list[tuple]) -> Path:
    lines = ["series,x,y,y_lower,y_upper"]
    for r in rows:
        r = tuple(r) + ("",) * (5 - len(r))
        lines.append(",".join("" if v is None else str(v) for v in r))
    path.write_text("\n".join(lines) + "\n")
    return path


X = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
Y = [10.0, 30.0, 20.0, 50.0, 40.0, 60.0, 55.0, 70.0, 80.0, 75.0, 90.0]


def test_identical_inputs_score_one(tmp_path: Path) -> None:
    truth = write_truth(
        tmp_path / "t.json",
        [{"name": "a", "x": X, "y": Y}, {"name": "b", "x": X, "y": [v / 2 for v in Y]}],
        y_range=[0, 100],
    )
    rep = cmp.compare(truth, truth)
    assert rep.chartinfo == pytest.approx(1.0)
    assert not rep.missing and not rep.extra
    for p in rep.pairs:
        assert p.mean_y_error == 0 and p.max_y_error == 0 and p.mean_x_error == 0
        assert p.reproduced == 1.0 and p.f1 == pytest.approx(1.0)
        assert p.paired_by == "name"
    assert cmp.main([str(truth), str(truth), "--tolerance", "0"]) == 0


def test_constant_shift_of_one_percent(tmp_path: Path) -> None:
    truth = write_truth(tmp_path / "t.json", [{"name": "a", "x": X, "y": Y}], y_range=[0, 100])
    pred = write_csv(tmp_path / "p.csv", [("a", x, y + 1.0) for x, y in zip(X, Y, strict=True)])
    rep = cmp.compare(truth, pred)
    (p,) = rep.pairs
    assert rep.y_span == 100 and rep.span_source["y"] == "A axis range"
    assert p.mean_y_error == pytest.approx(0.01)
    assert p.max_y_error == pytest.approx(0.01)
    assert p.reproduced == 1.0  # within 2% of the span
    assert cmp.main([str(truth), str(pred), "--tolerance", "0.011"]) == 0
    assert cmp.main([str(truth), str(pred), "--tolerance", "0.009"]) == 1


def test_span_falls_back_to_data(tmp_path: Path) -> None:
    truth = write_truth(tmp_path / "t.json", [{"name": "a", "x": X, "y": Y}])
    pred = write_csv(tmp_path / "p.csv", [("a", x, y + 0.8) for x, y in zip(X, Y, strict=True)])
    rep = cmp.compare(truth, pred)
    assert rep.y_span == 80 and rep.span_source["y"] == "A data"
    assert rep.pairs[0].mean_y_error == pytest.approx(0.01)


def test_missing_series_fails_tolerance(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    truth = write_truth(
        tmp_path / "t.json",
        [{"name": "a", "x": X, "y": Y}, {"name": "b", "x": X, "y": [v + 5 for v in Y]}],
    )
    pred = write_csv(tmp_path / "p.csv", [("a", x, y) for x, y in zip(X, Y, strict=True)])
    rep = cmp.compare(truth, pred)
    assert rep.missing == ["b"] and rep.extra == []
    assert not rep.passed(0.5)
    assert rep.chartinfo == pytest.approx(0.5)  # one perfect pair out of two truth series
    assert cmp.main([str(truth), str(pred)]) == 0  # no tolerance: report only
    assert cmp.main([str(truth), str(pred), "--tolerance", "0.5"]) == 1
    out = capsys.readouterr().out
    assert "missing" in out and "'b'" in out
    # and the other way round: an extra series
    rep = cmp.compare(pred, truth)
    assert rep.extra == ["b"] and not rep.passed(None)


def test_pairing_by_name_then_by_distance(tmp_path: Path) -> None:
    low = [float(v) for v in range(11)]
    high = [50.0 + v for v in range(11)]
    truth = write_truth(
        tmp_path / "t.json",
        [{"name": "low", "x": X, "y": low}, {"name": "high", "x": X, "y": high}],
    )
    # Same names, curves swapped: names win, errors are large.
    swapped = write_csv(
        tmp_path / "s.csv",
        [("low", x, y) for x, y in zip(X, high, strict=True)]
        + [("high", x, y) for x, y in zip(X, low, strict=True)],
    )
    rep = cmp.compare(truth, swapped)
    assert [(p.a_name, p.b_name, p.paired_by) for p in rep.pairs] == [
        ("low", "low", "name"), ("high", "high", "name")]
    assert all(p.mean_y_error > 0.5 for p in rep.pairs)
    # Different names: curve distance pairs them (Hungarian), errors vanish.
    renamed = write_csv(
        tmp_path / "r.csv",
        [("series 1", x, y) for x, y in zip(X, high, strict=True)]
        + [("series 2", x, y) for x, y in zip(X, low, strict=True)],
    )
    rep = cmp.compare(truth, renamed)
    assert [(p.a_name, p.b_name, p.paired_by) for p in rep.pairs] == [
        ("low", "series 2", "distance"), ("high", "series 1", "distance")]
    assert all(p.mean_y_error == 0 for p in rep.pairs)
    # Perfect curves, wrong names: CHART-Info caps each pair at 1 - s/2 = 0.5 cost.
    assert rep.chartinfo == pytest.approx(0.5)
    # One matching name, the rest by distance.
    mixed = write_csv(
        tmp_path / "m.csv",
        [("high", x, y) for x, y in zip(X, high, strict=True)]
        + [("other", x, y) for x, y in zip(X, low, strict=True)],
    )
    rep = cmp.compare(truth, mixed)
    assert {(p.a_name, p.b_name, p.paired_by) for p in rep.pairs} == {
        ("high", "high", "name"), ("low", "other", "distance")}


def test_chartinfo_hand_computed(tmp_path: Path) -> None:
    truth = write_truth(tmp_path / "t.json", [{"name": "a", "x": [0, 1, 3], "y": [10, 20, 10]}])
    pred = write_csv(tmp_path / "p.csv", [("a", 0, 10), ("a", 1, 22), ("a", 3, 10)])
    rep = cmp.compare(truth, pred)
    (p,) = rep.pairs
    # recall: eps = (20 - 10)/100 = 0.1; Err = [0, 2/20.1, 0]; Int = [0.5, 1.5, 1.0]; width 3
    recall = (0.5 + 1.5 * (1 - 2 / 20.1) + 1.0) / 3
    # precision: roles swapped, eps = (22 - 10)/100 = 0.12; Err = [0, 2/22.12, 0]
    precision = (0.5 + 1.5 * (1 - 2 / 22.12) + 1.0) / 3
    f1 = 2 * precision * recall / (precision + recall)
    assert p.recall == pytest.approx(recall)
    assert p.precision == pytest.approx(precision)
    assert p.f1 == pytest.approx(f1)
    assert rep.chartinfo == pytest.approx(f1)  # names equal: cost 1 - s
    # names "abc" vs "abd": L = 1/3, cost = min(1 - s/2, 1 - 2s/3) = 1 - 2s/3
    truth2 = write_truth(tmp_path / "t2.json",
                         [{"name": "abc", "x": [0, 1, 3], "y": [10, 20, 10]}])
    pred2 = write_csv(tmp_path / "p2.csv", [("abd", 0, 10), ("abd", 1, 22), ("abd", 3, 10)])
    assert cmp.compare(truth2, pred2).chartinfo == pytest.approx(2 * f1 / 3)
    # an unnamed truth series (chart without legend) matches any name
    truth3 = write_truth(tmp_path / "t3.json",
                         [{"name": None, "x": [0, 1, 3], "y": [10, 20, 10]}])
    assert cmp.compare(truth3, pred2).chartinfo == pytest.approx(f1)
    # padding: one truth series, two predicted; the extra costs 1
    f = np.array([[1.0, 0.2]])
    lam = np.array([[0.0, 1.0]])
    assert cmp.chartinfo_score(f, lam) == pytest.approx(0.5)
    assert cmp.chartinfo_score(np.zeros((0, 0)), np.zeros((0, 0))) == 1.0
    assert cmp.name_distance("kitten", "sitting") == pytest.approx(3 / 7)


def test_csv_json_round_trip(tmp_path: Path) -> None:
    from digitize.calibrate import AxisMap
    from digitize.geometry import Box
    from digitize.layout import Layout
    from digitize.result import ChartResult, Point, Series

    # x: pixel 0..100 -> 0..10; y: pixel 100..0 -> 0..100
    xa = AxisMap("x", "linear", 0.1, 0.0, pixel_range=(0.0, 100.0))
    ya = AxisMap("y", "linear", -1.0, 100.0, pixel_range=(0.0, 100.0))
    series = []
    for name, ys, band in (("a", Y, True), ("b", [v / 2 for v in Y], False)):
        pts = [
            Point(px=x * 10, py=100 - y, x=x, y=y,
                  y_lower=y - 2 if band else None, y_upper=y + 3 if band else None)
            for x, y in zip(X, ys, strict=True)
        ]
        series.append(Series(name=name, color=(0, 0, 255), points=pts))
    res = ChartResult(width=120, height=120, layout=Layout(plot_area=Box(0, 0, 100, 100)),
                      x_axis=xa, y_axis=ya, series=series)
    csv_path = tmp_path / "r.csv"
    csv_path.write_text(res.to_csv())
    json_path = tmp_path / "r.json"
    json_path.write_text(res.to_json())
    truth = write_truth(
        tmp_path / "t.json",
        [{"name": "a", "x": X, "y": Y, "y_lower": [v - 2 for v in Y],
          "y_upper": [v + 3 for v in Y]},
         {"name": "b", "x": X, "y": [v / 2 for v in Y], "y_lower": None, "y_upper": None}],
    )
    tj = load_table(json_path)
    assert tj.kind == "result" and tj.y_range == (0.0, 100.0) and tj.x_range == (0.0, 10.0)
    tc = load_table(csv_path)
    assert tc.kind == "csv" and [s.name for s in tc.series] == ["a", "b"]
    assert tc.series[0].has_band and not tc.series[1].has_band
    for a, b in ((truth, csv_path), (truth, json_path), (csv_path, json_path),
                 (json_path, csv_path), (res, truth)):
        rep = cmp.compare(a, b)
        assert rep.chartinfo == pytest.approx(1.0)
        assert all(p.mean_y_error == pytest.approx(0) for p in rep.pairs)
        assert rep.pairs[0].band_error == pytest.approx(0)
        assert rep.pairs[1].band_error is None and not rep.missing
    # the image axes give the span when the truth has none
    rep = cmp.compare(truth, json_path)
    assert rep.y_span == 100 and rep.span_source["y"] == "B axis range"
    # JSON output of the CLI
    assert cmp.main([str(truth), str(csv_path), "--json"]) == 0


def test_band_error(tmp_path: Path) -> None:
    truth = write_truth(
        tmp_path / "t.json",
        [{"name": "a", "x": X, "y": Y, "y_lower": [v - 5 for v in Y],
          "y_upper": [v + 5 for v in Y]}],
        y_range=[0, 100],
    )
    pred = write_csv(tmp_path / "p.csv",
                     [("a", x, y, y - 7, y + 5) for x, y in zip(X, Y, strict=True)])
    (p,) = cmp.compare(truth, pred).pairs
    assert p.band_error == pytest.approx(0.01)  # lower off by 2%, upper exact
    assert p.band_max_error == pytest.approx(0.02)
    nob = write_csv(tmp_path / "n.csv", [("a", x, y) for x, y in zip(X, Y, strict=True)])
    (p,) = cmp.compare(truth, nob).pairs
    assert p.band_error is None and p.band_missing


def test_dates_compare_as_dates(tmp_path: Path) -> None:
    days = ["2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01"]
    truth = write_truth(tmp_path / "t.json", [{"name": "a", "x": days, "y": [1, 2, 3, 4]}],
                        x_scale="date")
    # B ten days late on each point (one 10.5), same y values: pure x error
    late = ["2020-01-11", "2020-02-11", "2020-03-11T12:00:00", "2020-04-11"]
    pred = write_csv(tmp_path / "p.csv",
                     [("a", d, y) for d, y in zip(late, [1, 2, 3, 4], strict=True)])
    rep = cmp.compare(truth, pred)
    assert rep.x_scale == "date"
    span = parse_date("2020-04-01") - parse_date("2020-01-01")
    assert rep.x_span == pytest.approx(span) == 91
    (p,) = rep.pairs
    assert p.max_x_error == pytest.approx(10.5 / 91)
    assert p.mean_x_error == pytest.approx((10 + 10 + 10.5 + 10) / 4 / 91)
    same = write_csv(tmp_path / "s.csv",
                     [("a", d, y) for d, y in zip(days, [1, 2, 3, 4], strict=True)])
    assert cmp.compare(truth, same).pairs[0].mean_x_error == 0


def test_decimal_years_compare_with_dates(tmp_path: Path) -> None:
    """A year-labelled axis read as numbers (2020.5) against a truth in ISO dates."""
    days = ["2020-01-01", "2020-07-02", "2021-07-02", "2022-01-01"]
    truth = write_truth(tmp_path / "t.json", [{"name": "a", "x": days, "y": [1, 2, 3, 4]}],
                        x_scale="date")
    # 2020 has 366 days: 2020.5 is July 2nd, 0:00; 2021.5 is July 2nd, 12:00
    years = [2020.0, 2020.5, 2021.5, 2022.0]
    pred = write_csv(tmp_path / "p.csv",
                     [("a", x, y) for x, y in zip(years, [1, 2, 3, 4], strict=True)])
    rep = cmp.compare(truth, pred)
    assert rep.x_scale == "date"
    assert any("decimal years" in w for w in rep.warnings)
    (p,) = rep.pairs
    assert p.max_x_error == pytest.approx(0.5 / 731)
    assert p.mean_y_error < 1e-3  # y read at half a day off
    # numbers that cannot be years stay numbers
    odd = write_csv(tmp_path / "o.csv", [("a", x, y) for x, y in
                                         zip([0, 1, 2, 3], [1, 2, 3, 4], strict=True)])
    assert not any("decimal years" in w for w in cmp.compare(truth, odd).warnings)


def test_categories_compare_by_label(tmp_path: Path) -> None:
    truth = write_truth(tmp_path / "t.json",
                        [{"name": "a", "x": [0, 1, 2], "y": [5, 7, 9]}],
                        x_scale="category", x_labels=["2", "3", "4"], chart_type="bar")
    # numeric-looking labels, written in another order
    pred = write_csv(tmp_path / "p.csv", [("a", "4", 9), ("a", "2", 5), ("a", "3.0", 7)])
    (p,) = cmp.compare(truth, pred).pairs
    assert p.mean_y_error == 0 and p.mean_x_error == 0
    truth2 = write_truth(tmp_path / "t2.json",
                         [{"name": "a", "x": [0, 1, 2], "y": [5, 7, 9]}],
                         x_scale="category", x_labels=["Mon", "Tue", "Wed"])
    pred2 = write_csv(tmp_path / "p2.csv", [("a", "Wed", 9), ("a", "Mon", 5), ("a", "Tue", 7)])
    (p,) = cmp.compare(truth2, pred2).pairs
    assert p.mean_y_error == 0


def test_log_axis_error_in_log_space(tmp_path: Path) -> None:
    xs = [1, 2, 3, 4]
    ys = [1.0, 10.0, 100.0, 1000.0]
    truth = write_truth(tmp_path / "t.json", [{"name": "a", "x": xs, "y": ys}],
                        y_scale="log", y_range=[1, 10000])
    factor = 10 ** 0.04  # +0.04 decade = 1% of a 4-decade span
    pred = write_csv(tmp_path / "p.csv",
                     [("a", x, y * factor) for x, y in zip(xs, ys, strict=True)])
    rep = cmp.compare(truth, pred)
    assert rep.y_scale == "log" and rep.y_span == pytest.approx(4)
    assert rep.pairs[0].mean_y_error == pytest.approx(0.01)
    assert rep.pairs[0].max_y_error == pytest.approx(0.01)


def test_scatter_nearest_point(tmp_path: Path) -> None:
    # several points at one x: a scatter, compared point to nearest point
    sx = [1, 1, 1, 2, 2, 3, 4, 4]
    sy = [10, 50, 90, 20, 70, 40, 30, 80]
    truth = write_truth(tmp_path / "t.json", [{"name": None, "x": sx, "y": sy}],
                        chart_type="scatter", y_range=[0, 100], x_range=[0, 5])
    shuffled = list(zip(sx, [v + 1 for v in sy], strict=True))[::-1]
    pred = write_csv(tmp_path / "p.csv", [("s", x, y) for x, y in shuffled])
    rep = cmp.compare(truth, pred)
    (p,) = rep.pairs
    assert p.mode == "nearest" and p.paired_by == "distance"
    assert p.mean_y_error == pytest.approx(0.01) and p.max_y_error == pytest.approx(0.01)
    assert p.reproduced == 1.0
    # interpolation would have mixed the points at one x: forcing it gives larger errors
    forced = cmp.compare(truth, pred, mode="interp").pairs[0]
    assert forced.mode == "interp" and forced.mean_y_error > 0.1
    # a missing point: its truth point is matched to another one and is not reproduced
    pred2 = write_csv(tmp_path / "p2.csv",
                      [("s", x, y) for x, y in zip(sx[1:], sy[1:], strict=True)])
    (p2,) = cmp.compare(truth, pred2).pairs
    assert p2.reproduced == pytest.approx(7 / 8)
    assert p2.max_y_error == pytest.approx(0.1)  # (1, 10) -> nearest (2, 20)


def test_bad_input_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    truth = write_truth(tmp_path / "t.json", [{"name": "a", "x": X, "y": Y}])
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert cmp.main([str(truth), str(bad)]) == 2
    assert cmp.main([str(truth), str(tmp_path / "nope.csv")]) == 2
    assert cmp.main([str(truth)]) == 2
    assert cmp.main([str(truth), str(truth), "--tolerance", "abc"]) == 2
    junk = tmp_path / "junk.csv"
    junk.write_text("a,b\n1,2\n")
    assert cmp.main([str(truth), str(junk)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 5 and all(line.startswith("digitize compare:") for line in err)
    assert "Traceback" not in "".join(err)


def test_image_input_when_pipeline_exists(tmp_path: Path) -> None:
    pipeline = pytest.importorskip("digitize.pipeline")
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5), dpi=100)
    ax.plot(X, Y, color="tab:blue")
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 100)
    img = tmp_path / "chart.png"
    fig.savefig(img)
    plt.close(fig)
    truth = write_truth(tmp_path / "chart.json", [{"name": None, "x": X, "y": Y}],
                        x_range=[0, 10], y_range=[0, 100])
    try:
        pipeline.read(str(img))
    except NotImplementedError:
        pytest.skip("pipeline not implemented yet")
    except Exception as exc:  # noqa: BLE001 - the pipeline's own quality is not tested here
        pytest.skip(f"pipeline failed on the test chart: {exc.__class__.__name__}")
    rep = cmp.compare(truth, img)
    assert rep.n_b >= 1 and rep.pairs


def test_bench_with_fake_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    # importable by name, so that the spawned workers find it too
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent / "scripts"))
    bench = importlib.import_module("bench")
    folder = tmp_path / "charts"
    folder.mkdir()
    for name in ("good", "bad"):
        write_truth(folder / f"{name}.json", [{"name": "a", "x": X, "y": Y}],
                    x_range=[0, 10], y_range=[0, 100])
        (folder / f"{name}.png").write_bytes(b"not read by the fake reader")
    reader = tmp_path / "fake_reader.py"
    reader.write_text(
        "import json\nfrom pathlib import Path\n"
        "def read(path):\n"
        "    if 'bad' in path:\n"
        "        raise ValueError('cannot read this one')\n"
        "    data = json.loads(Path(path).with_suffix('.json').read_text())\n"
        "    data['series'][0]['y'] = [v + 1 for v in data['series'][0]['y']]\n"
        "    return data\n"
    )
    out = tmp_path / "BENCH.md"
    out.write_text("STALE TABLE\n<!-- notes -->\n## Notes\n\nkept by hand\n")
    code = bench.main([str(folder), str(tmp_path / "absent"), "--jobs", "2", "--out", str(out),
                       "--reader", f"{reader}:read", "--timeout", "60"])
    assert code == 0
    text = out.read_text()
    assert "STALE TABLE" not in text.split("<!-- notes -->")[0]
    assert text.rstrip().endswith("kept by hand")
    row = next(line for line in text.splitlines() if line.startswith(f"| {folder} |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1:7] == ["2", "1 (ValueError 1)", "1/1", "1.00%", "1.00%", "1/2"]
    # CHART-Info: a failure counts 0, the good chart a little under 1 (relative errors)
    assert 0.45 < float(cells[10]) < 0.5
