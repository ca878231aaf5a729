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
from typing import Any

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


def _codes(keys: list[Any]) -> np.ndarray:
    """Integer codes of hashable keys (equal keys, equal codes)."""
    index: dict[Any, int] = {}
    return np.array([index.setdefault(k, len(index)) for k in keys], dtype=np.int64)


def _limit_key(ind: Indicator) -> tuple[Any, ...]:
    def num(x: float | None) -> float | None:
        return None if x is None else float(f"{x:.9g}")

    return (
        ind.comparator,
        num(ind.value),
        num(ind.low),
        num(ind.high),
        _norm(ind.unit),
        _norm(ind.basis),
        ind.parameter_id,
    )


def _product_matrix(
    xo: Sequence[Indicator], xn: Sequence[Indicator], g: Glossary, language: str
) -> np.ndarray:
    """Product similarity 0..1: same wording or glossary category 1, parent category 0.8,
    one side without product 0.5, otherwise the wording's rapidfuzz score (ratio for
    Chinese, token-set ratio otherwise; ×0.6 when both are known, different categories)."""
    from rapidfuzz import fuzz, process

    po = [_norm(i.product) for i in xo]
    pn = [_norm(i.product) for i in xn]
    if language == "zh":
        sim = process.cdist(po, pn, scorer=fuzz.ratio, dtype=np.float32, workers=1)
    else:
        sim = process.cdist(
            [i.product.casefold() for i in xo],
            [i.product.casefold() for i in xn],
            scorer=fuzz.token_set_ratio,
            dtype=np.float32,
            workers=1,
        )
    out = np.asarray(sim, dtype=np.float64) / 100.0
    ido = [i.product_id for i in xo]
    idn = [i.product_id for i in xn]
    known = (
        np.array([x is not None for x in ido])[:, None]
        & np.array([x is not None for x in idn])[None, :]
    )
    out = np.where(known, out * 0.6, out)
    empty = np.array([not p for p in po])[:, None] | np.array([not p for p in pn])[None, :]
    out = np.where(empty, 0.5, out)
    if any(ido) and any(idn) and len(g):
        for a, x in enumerate(ido):
            if not x:
                continue
            anc_x = set(g.ancestors(x)) if x in g else set()
            for b, y in enumerate(idn):
                if y and y != x and (y in anc_x or (y in g and x in g.ancestors(y))):
                    out[a, b] = 0.8
    same_id = _codes([*ido, *idn]) if ido or idn else np.zeros(0, dtype=np.int64)
    co, cn = same_id[: len(ido)], same_id[len(ido) :]
    same = (co[:, None] == cn[None, :]) & known
    cw = _codes([*po, *pn])
    same |= cw[: len(po)][:, None] == cw[len(po) :][None, :]
    return np.where(same, 1.0, out)


def _score_matrix(
    xo: Sequence[Indicator],
    xn: Sequence[Indicator],
    g: Glossary,
    language: str,
    st: IndicatorDiffSettings,
) -> np.ndarray:
    """Pairing scores of two groups of indicators of one parameter."""
    score = _product_matrix(xo, xn, g, language)

    def eq(keys: list[Any]) -> np.ndarray:
        c = _codes(keys)
        return c[: len(xo)][:, None] == c[len(xo) :][None, :]

    species = eq([i.parameter_id or "txt:" + _norm(i.parameter) for i in [*xo, *xn]])
    score += st.same_species_bonus * species
    score += st.same_basis_bonus * eq([_norm(i.basis) for i in [*xo, *xn]])
    clause = eq([i.clause_id for i in [*xo, *xn]])
    has_clause = np.array([bool(i.clause_id) for i in xo])[:, None]
    score += st.same_clause_bonus * (clause & has_clause)
    score += st.same_limit_bonus * eq([_limit_key(i) for i in [*xo, *xn]])
    # different substances that merely share a glossary group (two pesticides) are never
    # one indicator; a species and its parent (Cr(VI) / total Cr) may be
    for a, x in enumerate(xo):
        for b, y in enumerate(xn):
            if (
                x.parameter_id
                and y.parameter_id
                and not _related_species(x.parameter_id, y.parameter_id, g)
            ):
                score[a, b] = -1.0
    return score


def _related_species(x: str, y: str, g: Glossary) -> bool:
    if x == y:
        return True
    return (x in g and y in g.ancestors(x)) or (y in g and x in g.ancestors(y))


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
            sim = _score_matrix(xo, xn, glossary, language, st)
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
