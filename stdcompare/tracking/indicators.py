"""Indicator diff of two editions: limits added, removed, changed or unchanged.

Indicators are grouped by parameter (the glossary root of the canonical id, else the printed
name), as in the comparison's pairing; within a group they are paired one-to-one by product
(glossary id, then the printed wording — both editions are in the same language, so the
wording itself is compared), basis and clause. A pair whose limit differs is judged with the
comparison's verdict rules, so a lower maximum or a narrower range is ``tightened`` and the
same limit in another unit is ``equivalent``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..gaps.pairing import group_key
from ..gaps.verdicts import judge
from ..indicators.glossary import Glossary
from ..model import Indicator
from .model import IndicatorChange

_LIMIT_FIELDS = ("comparator", "value", "low", "high", "unit", "basis", "parameter")
_DIRECTION = {
    "a_stricter": "relaxed",
    "b_stricter": "tightened",
    "equal": "equivalent",
    "not_comparable": "not_comparable",
}


@dataclass(frozen=True)
class IndicatorDiffSettings:
    """``min_score``: the lowest pairing score (0..1+) at which an old and a new indicator
    are one indicator in two editions; below it they are one removed and one added."""

    min_score: float = 0.5
    same_limit_bonus: float = 0.1
    same_basis_bonus: float = 0.05
    same_clause_bonus: float = 0.05
    same_species_bonus: float = 0.1


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "").casefold())


def _same_number(x: float | None, y: float | None) -> bool:
    if x is None or y is None:
        return x is None and y is None
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-15)


def differing_fields(old: Indicator, new: Indicator) -> tuple[str, ...]:
    """Fields that differ: the limit fields, then wording-only ones."""
    out = []
    if old.comparator != new.comparator:
        out.append("comparator")
    for f in ("value", "low", "high"):
        if not _same_number(getattr(old, f), getattr(new, f)):
            out.append(f)
    if _norm(old.unit) != _norm(new.unit):
        out.append("unit")
    if _norm(old.basis) != _norm(new.basis):
        out.append("basis")
    if old.parameter_id and new.parameter_id and old.parameter_id != new.parameter_id:
        out.append("parameter")
    if _norm(old.product) != _norm(new.product):
        out.append("product")
    if _norm(old.parameter) != _norm(new.parameter):
        out.append("parameter_name")
    return tuple(out)


def _product_score(a: Indicator, b: Indicator, g: Glossary, language: str) -> float:
    from rapidfuzz import fuzz

    pa, pb = _norm(a.product), _norm(b.product)
    if pa == pb:
        return 1.0
    if a.product_id and b.product_id:
        if a.product_id == b.product_id:
            return 1.0
        if len(g) and (
            b.product_id in g.ancestors(a.product_id) or a.product_id in g.ancestors(b.product_id)
        ):
            return 0.8
    if not pa or not pb:
        return 0.5
    if language == "zh":
        s = fuzz.ratio(pa, pb) / 100.0
    else:
        s = fuzz.token_set_ratio(a.product.casefold(), b.product.casefold()) / 100.0
    if a.product_id and b.product_id:
        s *= 0.6  # both known and different food categories
    return s


def _pair_score(
    a: Indicator, b: Indicator, g: Glossary, language: str, st: IndicatorDiffSettings
) -> float:
    s = _product_score(a, b, g, language)
    same_species = (
        a.parameter_id == b.parameter_id
        if a.parameter_id or b.parameter_id
        else _norm(a.parameter) == _norm(b.parameter)
    )
    if same_species:
        s += st.same_species_bonus
    if _norm(a.basis) == _norm(b.basis):
        s += st.same_basis_bonus
    if a.clause_id and a.clause_id == b.clause_id:
        s += st.same_clause_bonus
    if not any(f in _LIMIT_FIELDS for f in differing_fields(a, b)):
        s += st.same_limit_bonus
    return s


def diff_indicators(
    old: Sequence[Indicator],
    new: Sequence[Indicator],
    *,
    glossary: Glossary,
    language: str,
    settings: IndicatorDiffSettings | None = None,
) -> list[IndicatorChange]:
    """Every indicator of either edition, paired and classified."""
    from scipy.optimize import linear_sum_assignment

    st = settings or IndicatorDiffSettings()
    go: dict[str, list[Indicator]] = defaultdict(list)
    gn: dict[str, list[Indicator]] = defaultdict(list)
    for ind in old:
        go[group_key(ind, glossary)].append(ind)
    for ind in new:
        gn[group_key(ind, glossary)].append(ind)
    out: list[IndicatorChange] = []
    for key in dict.fromkeys([*gn, *go]):
        xo, xn = go.get(key, []), gn.get(key, [])
        pairs: list[tuple[Indicator, Indicator, float]] = []
        used_o: set[int] = set()
        used_n: set[int] = set()
        if xo and xn:
            sim = np.array(
                [[_pair_score(a, b, glossary, language, st) for b in xn] for a in xo],
                dtype=np.float64,
            )
            rows, cols = linear_sum_assignment(-sim)
            for i, j in zip(rows, cols, strict=True):
                if sim[i, j] >= st.min_score:
                    pairs.append((xo[i], xn[j], float(sim[i, j])))
                    used_o.add(i)
                    used_n.add(j)
        for a, b, s in pairs:
            out.append(_paired(a, b, s, glossary))
        out += [_single("removed", x, glossary) for k, x in enumerate(xo) if k not in used_o]
        out += [_single("added", x, glossary) for k, x in enumerate(xn) if k not in used_n]
    order = {"changed": 0, "added": 1, "removed": 2, "unchanged": 3}
    out.sort(key=lambda c: (order[c.change], c.parameter.casefold(), c.product.casefold()))
    return out


def _name(ind: Indicator, g: Glossary) -> str:
    if ind.parameter:
        return ind.parameter
    concept = g.get(ind.parameter_id)
    return concept.name("en") if concept is not None else ""


def _single(change: str, ind: Indicator, g: Glossary) -> IndicatorChange:
    where = f" (clause {ind.clause_id})" if ind.clause_id else ""
    reason = (
        f"new in this edition: {ind.describe()}{where}"
        if change == "added"
        else f"dropped from this edition: was {ind.describe()}{where}"
    )
    return IndicatorChange(
        change=change,
        parameter=_name(ind, g),
        parameter_id=ind.parameter_id,
        product=ind.product,
        old=ind if change == "removed" else None,
        new=ind if change == "added" else None,
        reason=reason,
    )


def _paired(a: Indicator, b: Indicator, score: float, g: Glossary) -> IndicatorChange:
    fields = differing_fields(a, b)
    change, direction, factor, reason = "unchanged", None, None, "same limit"
    if any(f in _LIMIT_FIELDS for f in fields):
        v = judge(a, b, glossary=g)
        change = "changed"
        direction = _DIRECTION.get(v.verdict, "not_comparable")
        factor = round(1.0 / v.ratio, 6) if v.ratio else None
        if direction == "not_comparable":
            reason = f"{a.describe()} → {b.describe()}: " + _old_new(v.reason)
        elif direction == "equivalent":
            reason = f"same limit re-expressed: {a.describe()} → {b.describe()}"
        else:
            reason = f"{direction}: {a.describe()} → {b.describe()}"
            if factor is not None and not math.isclose(factor, 1.0):
                reason += f" (new = {factor:.4g} × old)"
    return IndicatorChange(
        change=change,
        parameter=_name(b, g),
        parameter_id=b.parameter_id or a.parameter_id,
        product=b.product or a.product,
        old=a,
        new=b,
        fields=fields,
        direction=direction,
        factor=factor,
        score=round(min(score, 1.0), 4),
        reason=reason,
    )


def _old_new(reason: str) -> str:
    """Reword a comparison reason ("A …, B …") for two editions ("old …, new …")."""
    reason = re.sub(r"\bA's\b", "the old edition's", reason)
    reason = re.sub(r"\bB's\b", "the new edition's", reason)
    reason = re.sub(r"\bA\b", "old", reason)
    return re.sub(r"\bB\b", "new", reason)


__all__ = ["IndicatorDiffSettings", "diff_indicators", "differing_fields"]
