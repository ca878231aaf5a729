"""The batch's overview outputs: ``summary.csv`` (one row per pair) and ``index.html``.

``index.html`` is one self-contained page rendered with Jinja2 (autoescaped: names, paths and
error messages come from users and documents). Its Content-Security-Policy forbids anything
external and any script; the one inline stylesheet is allowed by its SHA-256 hash. Verdict
bars are inline SVG, so they need no style attributes.
"""

from __future__ import annotations

import csv
import datetime as _dt
import functools
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .._html import content_security_policy, read_template, template_env
from .._version import __version__
from ..model import VERDICTS
from ._files import write_text
from .results import PairResult

TIMING_KEYS = ("ingest_s", "extract_s", "align_s", "compare_s", "report_s")
OUTPUT_FORMATS = ("json", "html", "xlsx")
SUMMARY_COLUMNS: tuple[str, ...] = (
    "name",
    "status",
    "error",
    "a",
    "b",
    "a_code",
    "b_code",
    "clause_pairs",
    "gaps",
    *VERDICTS,
    "seconds",
    "cpu_seconds",
    *TIMING_KEYS,
    *OUTPUT_FORMATS,
    "embedder",
    "finished",
    "notes",
)
VERDICT_LABELS = {
    "a_stricter": "A stricter",
    "b_stricter": "B stricter",
    "equal": "equal",
    "only_a": "only in A",
    "only_b": "only in B",
    "not_comparable": "not comparable",
}
STATUS_LABELS = {
    "done": "done",
    "up_to_date": "up to date",
    "failed": "failed",
    "not_run": "not run",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def summary_row(p: PairResult) -> dict[str, Any]:
    ok = p.ok
    row: dict[str, Any] = {
        "name": p.name,
        "status": p.status,
        "error": p.error,
        "a": p.a,
        "b": p.b,
        "a_code": p.a_code or "",
        "b_code": p.b_code or "",
        "clause_pairs": p.clause_pairs if ok else "",
        "gaps": p.gaps if ok else "",
    }
    for v in VERDICTS:
        row[v] = int(p.summary.get(v, 0)) if ok else ""
    row["seconds"] = round(p.seconds, 3) if p.seconds else ""
    row["cpu_seconds"] = round(p.cpu_seconds, 3) if p.cpu_seconds else ""
    for k in TIMING_KEYS:
        row[k] = p.timings.get(k, "")
    for f in OUTPUT_FORMATS:
        row[f] = p.outputs.get(f, "")
    row["embedder"] = p.options.get("embedder", "")
    row["finished"] = p.finished
    row["notes"] = p.notes
    return row


def _cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula (names and errors are user text)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def summary_csv(pairs: Sequence[PairResult]) -> str:
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=list(SUMMARY_COLUMNS), lineterminator="\r\n")
    w.writeheader()
    for p in pairs:
        w.writerow({k: _cell(v) for k, v in summary_row(p).items()})
    return buf.getvalue()


def write_summary_csv(path: Path, pairs: Sequence[PairResult]) -> Path:
    # UTF-8 with BOM so that Excel shows Chinese and Russian names correctly.
    return write_text(path, "\ufeff" + summary_csv(pairs))


def pair_href(name: str, file: str) -> str:
    return f"pairs/{quote(name, safe='')}/{file}"


@functools.lru_cache(maxsize=1)
def _env() -> Any:
    env = template_env("stdcompare.batch")
    env.filters["href"] = pair_href
    env.filters["secs"] = _secs
    return env


def _secs(x: float) -> str:
    if not x:
        return ""
    return f"{x:.1f} s" if x < 120 else f"{x / 60:.1f} min"


def _read(name: str) -> str:
    return read_template("stdcompare.batch", name)


def render_index(
    pairs: Sequence[PairResult],
    *,
    title: str,
    backend: str = "",
    seconds: float = 0.0,
    interrupted: bool = False,
) -> str:
    css = _read("index.css")
    csp = content_security_policy(css=css)
    totals = dict.fromkeys(VERDICTS, 0)
    for p in pairs:
        if p.ok:
            for v in VERDICTS:
                totals[v] += int(p.summary.get(v, 0))
    counts = {s: sum(p.status == s for p in pairs) for s in STATUS_LABELS}
    files = {"html": "report.html", "json": "comparison.json", "xlsx": "report.xlsx"}
    rows = []
    for p in pairs:
        links = [(fmt.upper(), pair_href(p.name, files[fmt])) for fmt in files if fmt in p.outputs]
        rows.append({"p": p, "links": links, "bar": _bar(p.summary) if p.ok else []})
    return str(
        _env()
        .get_template("index.html.j2")
        .render(
            title=title,
            css=css,
            csp=csp,
            rows=rows,
            counts=counts,
            status_labels=STATUS_LABELS,
            totals=totals,
            total_bar=_bar(totals),
            verdicts=VERDICTS,
            labels=VERDICT_LABELS,
            failed=[p for p in pairs if p.status == "failed"],
            backend=backend,
            seconds=seconds,
            interrupted=interrupted,
            generated=_dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            version=__version__,
        )
    )


def _bar(summary: Any, width: float = 100.0) -> list[tuple[str, float, float, int]]:
    """SVG segments ``(verdict, x, width, count)`` of a stacked bar ``width`` units long."""
    total = sum(int(summary.get(v, 0)) for v in VERDICTS)
    if not total:
        return []
    out, x = [], 0.0
    for v in VERDICTS:
        n = int(summary.get(v, 0))
        if n:
            w = width * n / total
            out.append((v, round(x, 3), round(w, 3), n))
            x += w
    return out


def write_index(path: Path, pairs: Sequence[PairResult], **kwargs: Any) -> Path:
    return write_text(path, render_index(pairs, **kwargs))
