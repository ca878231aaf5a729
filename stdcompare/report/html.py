"""The self-contained HTML gap report, rendered with Jinja2 (autoescaped).

Every text taken from a document is escaped by Jinja2's autoescape (highlighted clause texts
are escaped span by span before any markup is added, see :mod:`.highlight`); the page
carries a Content-Security-Policy that forbids loading anything external, and its one inline
script and stylesheet are allowed by their SHA-256 hashes. The verdict chart is inline SVG,
so the report needs no script to show its figures and prints as it looks.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from .._html import content_security_policy, read_template, template_env
from .._version import __version__
from ..model import VERDICTS, Comparison, Gap, plain_number

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
_SWAP = {
    "a_stricter": "b_stricter",
    "b_stricter": "a_stricter",
    "only_a": "only_b",
    "only_b": "only_a",
    "equal": "equal",
    "not_comparable": "not_comparable",
}
LANGUAGE_NAMES = {"zh": "Chinese", "en": "English", "ru": "Russian"}


def _read(name: str) -> str:
    return read_template("stdcompare.report", name)


@functools.lru_cache(maxsize=1)
def _env() -> Any:
    from .highlight import highlight

    env = template_env("stdcompare.report")
    env.filters["num"] = _num
    env.filters["times"] = _times
    env.filters["highlight"] = highlight
    return env


def _num(x: Any) -> str:
    if x is None:
        return ""
    if isinstance(x, float):
        return plain_number(x, 4)
    return str(x)


def _times(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:.3g}×"


def foreign_side(comparison: Comparison) -> str:
    """``"b"`` unless A is the only non-Chinese document (then ``"a"``)."""
    la, lb = comparison.a.language, comparison.b.language
    if lb == "zh" and la != "zh":
        return "a"
    return "b"


@dataclass(frozen=True)
class ExporterView:
    """The gaps an exporter acts on, seen from the foreign side ``foreign`` (``"a"``/``"b"``)."""

    foreign: str
    stricter: tuple[Gap, ...]
    only_foreign: tuple[Gap, ...]
    unclear: tuple[Gap, ...]
    fine: int
    mandatory: tuple[Any, ...]  # clause pairs: foreign requirement, domestic non-binding

    @property
    def domestic(self) -> str:
        return "a" if self.foreign == "b" else "b"


def exporter_view(comparison: Comparison, foreign: str | None = None) -> ExporterView:
    """Foreign-stricter rows (most stricter first), foreign-only rows, rows to check by
    hand, and clause pairs where the foreign side makes mandatory what the domestic one
    only recommends or permits."""
    side = foreign or foreign_side(comparison)
    if side not in ("a", "b"):
        from ..errors import UnknownChoice

        raise UnknownChoice("foreign side", side, ("a", "b"))
    gaps = comparison.gap_list

    def v(g: Gap) -> str:  # the verdict as seen with the foreign side as "b"
        return g.verdict if side == "b" else _SWAP[g.verdict]

    stricter = sorted(
        (g for g in gaps if v(g) == "b_stricter"),
        key=lambda g: (-(g.stricter_by or 0.0), g.parameter.lower()),
    )
    only = sorted((g for g in gaps if v(g) == "only_b"), key=lambda g: g.parameter.lower())
    unclear = sorted(
        (g for g in gaps if v(g) == "not_comparable"), key=lambda g: g.parameter.lower()
    )
    fine = sum(1 for g in gaps if v(g) in ("equal", "a_stricter"))
    mandatory = tuple(
        p
        for p in comparison.pair_list
        if getattr(p, "strength_mismatch", False)
        and getattr(p, f"{side}_strength", None) == "requirement"
    )
    return ExporterView(side, tuple(stricter), tuple(only), tuple(unclear), fine, mandatory)


def _profile(comparison: Comparison, company: str | None, lei: str | None) -> dict[str, str]:
    exp = comparison.meta.get("exporter") if isinstance(comparison.meta, dict) else None
    if company is None and lei is None and isinstance(exp, dict):
        company, lei = exp.get("company"), exp.get("lei")
    out: dict[str, str] = {}
    if company:
        out["company"] = " ".join(str(company).split())
    if lei:
        from ..lei import validate_lei

        out["lei"] = validate_lei(str(lei))
    return out


def _chart(summary: dict[str, int]) -> list[dict[str, Any]]:
    """Bars of the SVG chart: label, count, width in px (longest bar 360 px), y offset."""
    top = max(summary.values()) if summary else 0
    bars = []
    for i, verdict in enumerate(VERDICTS):
        n = summary.get(verdict, 0)
        width = round(360 * n / top, 1) if top else 0
        bars.append(
            {
                "verdict": verdict,
                "label": VERDICT_LABELS[verdict],
                "count": n,
                "width": max(width, 1.5) if n else 0,
                "y": 6 + 26 * i,
            }
        )
    return bars


def _edition(d: Any) -> str:
    parts = []
    if d.year:
        parts.append(str(d.year))
    if d.replaces:
        parts.append("replaces " + ", ".join(d.replaces))
    return "; ".join(parts)


def render_html(
    comparison: Comparison,
    *,
    title: str | None = None,
    company: str | None = None,
    lei: str | None = None,
    foreign: str | None = None,
) -> str:
    """The full report as one HTML string (no external resources).

    ``company`` and ``lei`` print an exporter profile on the report (the LEI is checked,
    :class:`~stdcompare.errors.InvalidLEI` otherwise); by default they are read from
    ``comparison.meta["exporter"]``. ``foreign`` (``"a"``/``"b"``) names the target-market
    document for the exporter view; by default the non-Chinese one, else B.
    """
    profile = _profile(comparison, company, lei)
    view = exporter_view(comparison, foreign)
    css = _read("report.css")
    js = _read("report.js")
    csp = content_security_policy(css=css, js=js)
    summary = comparison.summary
    pairs = list(comparison.pair_list)
    docs = {"a": comparison.a, "b": comparison.b}
    read = comparison.meta.get("ocr_pages") if isinstance(comparison.meta, dict) else None
    ocr = {k: sorted((read or {}).get(k) or []) for k in ("a", "b")}
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
            total=sum(summary.values()),
            chart=_chart(summary),
            verdicts=VERDICTS,
            labels=VERDICT_LABELS,
            gaps=list(comparison.gap_list),
            view=view,
            foreign_doc=docs[view.foreign],
            domestic_doc=docs[view.domestic],
            pairs=pairs,
            review_count=sum(1 for p in pairs if p.review),
            mismatch_count=sum(1 for p in pairs if getattr(p, "strength_mismatch", False)),
            profile=profile,
            edition=_edition,
            language_names=LANGUAGE_NAMES,
            conversions=comparison.meta.get("conversions") or {},
            ocr=ocr,
            version=__version__,
        )
    )


def render_summary_html(comparison: Comparison) -> str:
    """A compact summary for notebooks (``Comparison._repr_html_``)."""
    summary = comparison.summary
    view = exporter_view(comparison)
    return str(
        _env()
        .get_template("summary.html.j2")
        .render(
            c=comparison,
            summary=summary,
            labels=VERDICT_LABELS,
            verdicts=VERDICTS,
            chart=_chart(summary),
            view=view,
            foreign_doc=comparison.a if view.foreign == "a" else comparison.b,
            total=sum(summary.values()),
        )
    )
