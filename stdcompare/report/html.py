"""The self-contained HTML gap report, rendered with Jinja2 (autoescaped).

Every text taken from a document is escaped by Jinja2's autoescape; the page carries a
Content-Security-Policy that forbids loading anything external, and its one inline script
and stylesheet are allowed by their SHA-256 hashes.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from importlib import resources
from typing import Any

from .._version import __version__
from ..model import VERDICTS, Comparison, Gap

VERDICT_LABELS = {
    "a_stricter": "A stricter",
    "b_stricter": "B stricter",
    "equal": "equal",
    "only_a": "only in A",
    "only_b": "only in B",
    "not_comparable": "not comparable",
}
# Exporter view: what the foreign market (B) demands beyond the domestic standard (A) first.
EXPORTER_ORDER = ("b_stricter", "only_b", "not_comparable", "equal", "a_stricter", "only_a")


def _read(name: str) -> str:
    return resources.files("stdcompare.report").joinpath("templates", name).read_text("utf-8")


@functools.lru_cache(maxsize=1)
def _env() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("stdcompare.report", "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["num"] = _num
    return env


def _num(x: Any) -> str:
    if x is None:
        return ""
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def _csp_hash(text: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    )


def _exporter_rank(g: Gap) -> int:
    return EXPORTER_ORDER.index(g.verdict)


def render_html(
    comparison: Comparison,
    *,
    title: str | None = None,
    company: str | None = None,
    lei: str | None = None,
) -> str:
    """The full report as one HTML string (no external resources)."""
    css = _read("report.css")
    js = _read("report.js")
    csp = (
        "default-src 'none'; img-src data:; "
        f"style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    summary = comparison.summary
    total = max(sum(summary.values()), 1)
    gaps = list(comparison.gap_list)
    exporter = sorted(
        (g for g in gaps if g.verdict in ("b_stricter", "only_b")),
        key=lambda g: (_exporter_rank(g), g.parameter.lower()),
    )
    return str(
        _env()
        .get_template("report.html.j2")
        .render(
            c=comparison,
            title=title or f"{comparison.a.code or 'A'} vs {comparison.b.code or 'B'}",
            css=css,
            js=js,
            csp=csp,
            summary=summary,
            total=total,
            verdicts=VERDICTS,
            labels=VERDICT_LABELS,
            gaps=gaps,
            exporter=exporter,
            pairs=list(comparison.pair_list),
            company=company,
            lei=lei,
            version=__version__,
        )
    )


def render_summary_html(comparison: Comparison) -> str:
    """A compact summary for notebooks (``Comparison._repr_html_``)."""
    return str(
        _env()
        .get_template("summary.html.j2")
        .render(
            c=comparison,
            summary=comparison.summary,
            labels=VERDICT_LABELS,
            verdicts=VERDICTS,
            total=max(sum(comparison.summary.values()), 1),
        )
    )
