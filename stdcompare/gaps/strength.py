"""Requirement strength of a clause: requirement, recommendation, permission or possibility.

The verbal forms follow ISO/IEC Directives Part 2 (shall / should / may / can), GB/T 1.1—2020
(应 / 宜 / 可 / 能) and their Russian counterparts (должен / следует / допускается /
может); the vocabulary is the data file ``stdcompare/data/modal_verbs.csv``, including
compounds that contain a modal character without being one (应用, 相应, 功能, 可靠 …).

A clause's strength is the strongest form it contains. A clause pair is flagged
(``strength_mismatch``) when one side makes a requirement and the other only a
recommendation or a permission: the foreign side may demand what the domestic standard
merely suggests, or the other way round.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from ..model import ClausePair

STRENGTHS = ("requirement", "recommendation", "permission", "possibility")
_RANK = {s: len(STRENGTHS) - i for i, s in enumerate(STRENGTHS)}  # requirement ranks highest
NON_BINDING = ("recommendation", "permission")


@dataclass(frozen=True)
class Modal:
    """One verbal form found in a text (``start``/``end`` index the text)."""

    start: int
    end: int
    form: str
    strength: str


@functools.lru_cache(maxsize=1)
def _vocabulary() -> tuple[re.Pattern[str], dict[str, str]]:
    text = resources.files("stdcompare.data").joinpath("modal_verbs.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    table: dict[str, str] = {}
    alts: list[tuple[int, str]] = []
    for row in rows:
        form, strength = row["form"].strip(), row["strength"].strip()
        if strength not in (*STRENGTHS, "none"):
            raise ValueError(f"modal_verbs.csv: unknown strength {strength!r} for {form!r}")
        table[_fold(form)] = strength
        body = r"\s+".join(re.escape(w) for w in form.split())
        lang = row["lang"].strip()
        if lang == "en":
            body = rf"(?<![A-Za-z]){body}(?![A-Za-z])"
            if row.get("case", "").strip() != "exact":
                body = f"(?i:{body})"
        elif lang == "ru":
            body = rf"(?i:(?<![а-яёА-ЯЁ]){body}(?![а-яёА-ЯЁ]))"
        alts.append((len(form), body))
    alts.sort(key=lambda x: -x[0])  # longest first: 不应 before 应, 可能 before 可
    return re.compile("|".join(b for _, b in alts)), table


def _fold(form: str) -> str:
    return re.sub(r"\s+", " ", form.strip()).lower()


def find_modals(text: str) -> list[Modal]:
    """The verbal forms of requirement, recommendation, permission and possibility in
    ``text`` (compounds such as 应用 or 功能 are skipped)."""
    pattern, table = _vocabulary()
    out = []
    for m in pattern.finditer(text):
        strength = table.get(_fold(m.group(0)), "none")
        if strength != "none":
            out.append(Modal(m.start(), m.end(), m.group(0), strength))
    return out


def clause_strength(text: str) -> str | None:
    """The strongest verbal form in ``text``, or ``None`` when it has none (informative)."""
    found = find_modals(text)
    if not found:
        return None
    return max((m.strength for m in found), key=lambda s: _RANK[s])


def strength_mismatch(a: str | None, b: str | None) -> bool:
    """One side makes a requirement, the other only a recommendation or a permission."""
    return (a == "requirement" and b in NON_BINDING) or (b == "requirement" and a in NON_BINDING)


def annotate_strength(pairs: Iterable[ClausePair]) -> tuple[ClausePair, ...]:
    """The pairs with ``a_strength``, ``b_strength`` and ``strength_mismatch`` filled in."""
    out = []
    for p in pairs:
        sa, sb = clause_strength(p.a_text), clause_strength(p.b_text)
        out.append(
            dataclasses.replace(
                p, a_strength=sa, b_strength=sb, strength_mismatch=strength_mismatch(sa, sb)
            )
        )
    return tuple(out)
