"""``OUTDIR/index.html``: the review page of a batch.

One row per chart: its check image (original | re-render | overlay, from
:func:`digitize.render.write_check`), the lowest series confidence and each series' own, the
warnings or the failure message, and links to its CSV and JSON. Rows start sorted by
confidence, lowest first (failed charts before everything), so the doubtful ones are reviewed
first; buttons re-sort by confidence either way or by file (a few lines of inline JavaScript;
without JavaScript the page keeps the doubtful-first order).

The page links only files inside OUTDIR, by relative paths: it works wherever OUTDIR is
copied. Once loaded it records on ``<body>`` how many images were displayed
(``data-images-loaded``) and how many charts it lists (``data-charts``), for tests.
"""

from __future__ import annotations

import html
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPORT_NAME = "index.html"

_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:20px;margin:0 0 .3em}
.bar{margin:.6em 0}
button{font:inherit;margin-right:.4em;padding:.2em .7em}
table{border-collapse:collapse;width:100%}
th,td{border-top:1px solid #ddd;padding:.5em;vertical-align:top;text-align:left}
td.meta{width:22em}
img{max-width:100%;height:auto;border:1px solid #eee}
.failed{background:#fff0f0}
.low{background:#fff8e6}
.conf{font-size:22px;font-weight:600}
ul{margin:.3em 0;padding-left:1.2em}
.msg{color:#a00}
small{color:#666}
"""

_JS = """
function sortRows(how){
  var body=document.getElementById('charts');
  var rows=Array.prototype.slice.call(body.rows);
  rows.sort(function(a,b){
    if(how==='file'){return (+a.dataset.order)-(+b.dataset.order);}
    var d=(+a.dataset.confidence)-(+b.dataset.confidence);
    if(how==='desc'){d=-d;}
    return d||((+a.dataset.order)-(+b.dataset.order));
  });
  rows.forEach(function(r){body.appendChild(r);});
  document.body.dataset.sort=how;
}
window.addEventListener('load',function(){
  var shown=Array.prototype.filter.call(document.images,function(i){
    return i.complete&&i.naturalWidth>0;});
  document.body.dataset.imagesLoaded=shown.length;
  document.body.dataset.charts=document.getElementById('charts').rows.length;
});
"""


def write_report(outdir: str | Path, rows: Iterable[Any], title: str | None = None) -> Path:
    """Write ``outdir/index.html`` for the batch rows (:class:`digitize.batch.Row`).

    Parameters
    ----------
    outdir : str or Path
        The batch's output folder; the page links the files in it.
    rows : iterable of Row
        One per chart, with ``key``, ``file``, ``page``, ``figure``, ``status``,
        ``confidence``, ``series_confidence``, ``warnings`` and ``message``.
    title : str, optional
        Page heading (default: "digitize batch: N charts").

    Returns
    -------
    Path
        The page written.
    """
    out = Path(outdir)
    rows = list(rows)
    page = render_html(out, rows, title)
    target = out / REPORT_NAME
    fd, tmp = tempfile.mkstemp(dir=out, prefix=".index.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(page)
    os.replace(tmp, target)
    return target


def render_html(outdir: Path, rows: list[Any], title: str | None = None) -> str:
    """The report page as a string (rows in doubtful-first order)."""
    order = {id(r): i for i, r in enumerate(rows)}
    ranked = sorted(rows, key=lambda r: (sort_value(r), order[id(r)]))
    failed = sum(r.status != "ok" for r in rows)
    heading = title or f"digitize batch: {len(rows)} charts, {failed} failed"
    body = "\n".join(_row_html(outdir, r, order[id(r)]) for r in ranked)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{html.escape(heading)}</title>
<style>{_CSS}</style>
<script>{_JS}</script>
</head>
<body data-sort="asc">
<h1>{html.escape(heading)}</h1>
<p><small>Each row: the check image (original | re-rendered extraction | overlay: green =
missed, magenta = extra), the lowest series confidence, the warnings and the data.
{_link(outdir, "summary.csv", "summary.csv")}</small></p>
<div class="bar">sort:
<button type="button" onclick="sortRows('asc')">confidence, lowest first</button>
<button type="button" onclick="sortRows('desc')">confidence, highest first</button>
<button type="button" onclick="sortRows('file')">file</button></div>
<table><thead><tr><th>chart</th><th>check: original | re-render | overlay</th></tr></thead>
<tbody id="charts">
{body}
</tbody></table>
</body></html>
"""


def sort_value(row: Any) -> float:
    """Review order: failed charts first (-2), then no confidence (-1), then by confidence."""
    if row.status != "ok":
        return -2.0
    return -1.0 if row.confidence is None else float(row.confidence)


def _row_html(outdir: Path, row: Any, order: int) -> str:
    css = "failed" if row.status != "ok" else ("low" if sort_value(row) < 0.5 else "")
    return (
        f'<tr class="{css}" data-confidence="{sort_value(row):.4f}" data-order="{order}" '
        f'id="chart-{html.escape(row.key)}">\n'
        f'<td class="meta">{_meta_html(outdir, row)}</td>\n'
        f"<td>{_image_html(outdir, row)}</td></tr>"
    )


def _meta_html(outdir: Path, row: Any) -> str:
    where = html.escape(str(row.file))
    if row.page is not None:
        where += f" <small>page {row.page}, figure {row.figure}</small>"
    if row.status != "ok":
        return (f"<div>{where}</div><div class=\"conf\">failed</div>"
                f'<div class="msg">{html.escape(row.message)}</div>')
    conf = "&ndash;" if row.confidence is None else f"{row.confidence:.2f}"
    parts = [f"<div>{where}</div>", f'<div class="conf" title="lowest series confidence">'
             f"{conf}</div>", f"<small>{row.series} series, {row.points} points</small>"]
    series = getattr(row, "series_confidence", {}) or {}
    if series:
        items = "".join(
            f"<li>{html.escape(str(name))}: "
            f"{'&ndash;' if c is None else f'{c:.2f}'}</li>" for name, c in series.items()
        )
        parts.append(f"<ul>{items}</ul>")
    warnings = getattr(row, "warnings", []) or []
    if warnings:
        items = "".join(f"<li>{html.escape(w)}</li>" for w in warnings)
        parts.append(f'<div>warnings:<ul class="msg">{items}</ul></div>')
    links = [_link(outdir, f"{row.key}.csv", "CSV"), _link(outdir, f"{row.key}.json", "JSON")]
    parts.append("<div>" + " &middot; ".join(x for x in links if x) + "</div>")
    return "\n".join(parts)


def _image_html(outdir: Path, row: Any) -> str:
    for name, alt in ((f"{row.key}.check.png", "check image"),
                      (getattr(row, "source_image", None), "figure")):
        if name and (outdir / name).is_file():
            return (f'<a href="{quote(name)}"><img src="{quote(name)}" loading="eager" '
                    f'alt="{alt} of {html.escape(row.key)}"></a>')
    return "<small>no image</small>"


def _link(outdir: Path, name: str, label: str) -> str:
    if not (outdir / name).is_file():
        return ""
    return f'<a href="{quote(name)}">{label}</a>'


__all__ = ["write_report", "render_html", "sort_value", "REPORT_NAME"]
