"""The self-contained HTML edition report (Jinja2, autoescaped, strict CSP, no script)."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Any

from .._html import content_security_policy, read_template, template_env
from .._version import __version__
from .model import TRACK_SCHEMA

if TYPE_CHECKING:
    from .model import ClauseChange, EditionDiff

_WORD = re.compile(r"\s+|[\w\u0400-\u04ff]+|[^\w\s]", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _read(name: str) -> str:
    return read_template("stdcompare.tracking", name)


def _env() -> Any:
    return template_env("stdcompare.tracking")


def tokens(text: str) -> list[str]:
    """Diff units: single characters for Chinese, words, spaces and punctuation otherwise."""
    out: list[str] = []
    for m in _WORD.finditer(text):
        tok = m.group(0)
        if _CJK.search(tok):
            out.extend(tok)
        else:
            out.append(tok)
    return out


def inline_diff(old: str, new: str, *, min_equal: int = 3) -> list[tuple[str, str]]:
    """``[(op, text)]`` with op ``eq``, ``del`` or ``ins``: the old text turned into the new.

    Equal runs shorter than ``min_equal`` tokens between two changes are folded into the
    change (as difflib's raw output scatters single shared characters through rewritten
    Chinese sentences), so each change reads as one deleted and one inserted phrase.
    """
    a, b = tokens(old), tokens(new)
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    ops = sm.get_opcodes()
    blocks: list[tuple[str, list[str], list[str]]] = []  # ("eq", toks, toks) / ("chg", del, ins)
    for k, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal":
            inner = 0 < k < len(ops) - 1
            if inner and (i2 - i1) < min_equal and not any(t.strip() == "" for t in a[i1:i2]):
                _add_change(blocks, a[i1:i2], b[j1:j2])
            else:
                blocks.append(("eq", a[i1:i2], b[j1:j2]))
        else:
            _add_change(blocks, a[i1:i2], b[j1:j2])
    out: list[tuple[str, str]] = []
    for kind, dels, ins in blocks:
        if kind == "eq":
            out.append(("eq", "".join(dels)))
            continue
        if dels:
            out.append(("del", "".join(dels)))
        if ins:
            out.append(("ins", "".join(ins)))
    return out


def _add_change(
    blocks: list[tuple[str, list[str], list[str]]], dels: list[str], ins: list[str]
) -> None:
    if blocks and blocks[-1][0] == "chg":
        blocks[-1][1].extend(dels)
        blocks[-1][2].extend(ins)
    else:
        blocks.append(("chg", list(dels), list(ins)))


def _clause_view(c: ClauseChange) -> dict[str, Any]:
    view = c.to_dict()
    if c.change == "reworded":
        old = (
            f"{c.old_heading}\n{c.old_text}".strip()
            if c.old_heading != c.new_heading
            else c.old_text
        )
        new = (
            f"{c.new_heading}\n{c.new_text}".strip()
            if c.old_heading != c.new_heading
            else c.new_text
        )
        view["segments"] = inline_diff(old, new)
    else:
        view["segments"] = []
    return view


def _context(diff: EditionDiff) -> dict[str, Any]:
    changes = diff.indicator_changes
    by = {k: [i for i in changes if i.change == k] for k in ("changed", "added", "removed")}
    order = {"tightened": 0, "relaxed": 1, "not_comparable": 2, "equivalent": 3}
    by["changed"].sort(key=lambda i: (order.get(i.direction or "", 9), i.parameter.casefold()))
    return {
        "d": diff,
        "s": diff.summary,
        "schema": TRACK_SCHEMA,
        "warnings": list(diff.meta.get("warnings") or []),
        "indicator_groups": [
            ("Limits changed", by["changed"]),
            ("Indicators added in the new edition", by["added"]),
            ("Indicators removed from the new edition", by["removed"]),
        ],
        "unchanged": [i for i in changes if i.change == "unchanged"],
        "clauses": [_clause_view(c) for c in diff.clause_changes],
        "reworded_min": float((diff.meta.get("settings") or {}).get("reworded_min", 0.6)),
        "version": __version__,
    }


def render_track_html(diff: EditionDiff, *, title: str | None = None) -> str:
    """The full edition report as one HTML string (no external resources, no script)."""
    css = _read("track.css")
    csp = content_security_policy(css=css)
    ctx = _context(diff)
    default_title = f"{diff.old.code or 'old edition'} → {diff.new.code or 'new edition'}"
    return str(
        _env()
        .get_template("track.html.j2")
        .render(title=title or default_title, css=css, csp=csp, **ctx)
    )


def render_track_summary(diff: EditionDiff) -> str:
    """A compact summary for notebooks (``EditionDiff._repr_html_``)."""
    return str(
        _env()
        .get_template("track_summary.html.j2")
        .render(d=diff, s=diff.summary, warnings=list(diff.meta.get("warnings") or []))
    )


__all__ = ["inline_diff", "render_track_html", "render_track_summary", "tokens"]
