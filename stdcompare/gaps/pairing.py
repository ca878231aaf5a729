"""Pairing indicators of two documents: same parameter, best product match, one-to-one.

1. Indicators are grouped by the root of their canonical parameter (so Cr(VI) meets total Cr
   and methylmercury meets mercury, to be judged ``not_comparable``); indicators with no
   canonical id are grouped by their normalised parameter name. The parameter is a hard
   constraint: indicators of different groups are never paired.
2. Within a group, products are compared (:func:`stdcompare.alignment.products.product_similarity`):
   glossary food-category ids with their parents and exclusions first, standardised embedding
   similarity of the names for the rest, grade labels (一级 / Grade 1). The same exact
   parameter id, clauses that were aligned, and limits of the same kind (both maxima, both
   minima) add a little.
3. The assignment is one-to-one (Hungarian). A left-over indicator whose best counterpart
   scores at least ``extend_score`` joins it (one GB row "鱼类、甲壳类" answers two EU rows,
   fish and crustaceans) — only for the same parameter and when the two products are the
   same or parent and child in the glossary. Indicators left over become ``only_a`` / ``only_b`` — never a forced
   pair. Each pair keeps its score, its margin over the runner-up, and ``review=True`` when
   either is low.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..alignment.embedders import Embedder
from ..alignment.products import ProductMatcher
from ..indicators.glossary import Glossary
from ..model import ClausePair, Indicator


@dataclass(frozen=True)
class PairSettings:
    """Knobs of indicator pairing (scores are 0..1)."""

    min_score: float = 0.45
    extend_score: float = 0.75
    broader_penalty: float = 0.25
    review_score: float = 0.6
    review_margin: float = 0.1
    same_concept_bonus: float = 0.1
    aligned_clause_bonus: float = 0.1
    same_direction_bonus: float = 0.05
    same_source_bonus: float = 0.03
    sole_candidate_bonus: float = 0.2
    main_product_bonus: float = 0.1
    category_weight: float = 0.6
    one_to_many: bool = True


@dataclass(frozen=True)
class IndicatorPair:
    a: Indicator | None
    b: Indicator | None
    score: float | None
    key: str
    margin: float | None = None
    review: bool = False


def group_key(ind: Indicator, g: Glossary) -> str:
    if ind.parameter_id:
        return "id:" + (g.root(ind.parameter_id) if len(g) else ind.parameter_id)
    return "txt:" + re.sub(r"[\s\W_]+", " ", ind.parameter.lower()).strip()


def _direction(ind: Indicator) -> str:
    if ind.comparator in ("<=", "<", "not_detected"):
        return "max"
    if ind.comparator in (">=", ">"):
        return "min"
    return ind.comparator


def _parameter_relation(ia: Indicator, ib: Indicator, g: Glossary) -> str:
    """``same`` (same id or, without ids, same name), ``broader`` (one id is an ancestor of
    the other: Cr(VI) and chromium, methylmercury and mercury) or ``other`` (siblings under a
    class such as pesticides — never paired)."""
    x, y = ia.parameter_id, ib.parameter_id
    if not x or not y:
        return "same" if group_key(ia, g) == group_key(ib, g) else "other"
    if x == y:
        return "same"
    if x in g.ancestors(y) or y in g.ancestors(x):
        return "broader"
    return "other"


def product_shares(inds: Sequence[Indicator]) -> dict[str, float]:
    """How often each product is named, relative to the most frequent one (0..1)."""
    counts: dict[str, int] = defaultdict(int)
    for ind in inds:
        if ind.product.strip():
            counts[ind.product.strip()] += 1
    top = max(counts.values(), default=0)
    return {k: v / top for k, v in counts.items()} if top else {}


def pair_scores(
    xa: Sequence[Indicator],
    xb: Sequence[Indicator],
    glossary: Glossary,
    embedder: Embedder | None,
    aligned: set[tuple[str | None, str | None]],
    st: PairSettings,
    main_a: dict[str, float] | None = None,
    main_b: dict[str, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Score (0..1, bonuses may pass 1) of every indicator of one parameter group in A
    against every one in B (-1 where the parameters may not pair), and where a 1:n link is
    allowed (same parameter, and one product covers the other)."""
    pm = ProductMatcher(
        [i.product for i in xa],
        [i.product for i in xb],
        glossary,
        embedder,
        category_weight=st.category_weight,
    )
    main_a = main_a or {}
    main_b = main_b or {}
    sim = pm.similarity()
    one_to_many = pm.related()
    if len(xa) == 1 and len(xb) == 1 and pm.unknown()[0, 0]:
        # the only limit on this parameter on each side, for products the glossary does not
        # know (the density of "车用柴油（Ⅵ）" and of "топливо дизельное ЕВРО")
        sim[0, 0] += st.sole_candidate_bonus
    for i, ia in enumerate(xa):
        for j, ib in enumerate(xb):
            rel = _parameter_relation(ia, ib, glossary)
            if rel == "other":
                sim[i, j] = -1.0
                one_to_many[i, j] = False
                continue
            if rel == "same" and ia.parameter_id:
                sim[i, j] += st.same_concept_bonus
            if rel == "broader":
                sim[i, j] -= st.broader_penalty
                one_to_many[i, j] = False
            if (ia.clause_id, ib.clause_id) in aligned:
                sim[i, j] += st.aligned_clause_bonus
            if _direction(ia) == _direction(ib):
                sim[i, j] += st.same_direction_bonus
            if (ia.table_id is None) == (ib.table_id is None):
                sim[i, j] += st.same_source_bonus  # both table rows, or both running text
            # a limit that names no product applies to the document's subject: prefer the
            # counterpart whose product is its document's most frequent one
            if not ib.product.strip() and ia.product.strip():
                sim[i, j] += st.main_product_bonus * main_a.get(ia.product.strip(), 0.0)
            if not ia.product.strip() and ib.product.strip():
                sim[i, j] += st.main_product_bonus * main_b.get(ib.product.strip(), 0.0)
    return sim, one_to_many


def pair_indicators(
    ia: Sequence[Indicator],
    ib: Sequence[Indicator],
    *,
    glossary: Glossary,
    embedder: Embedder | None,
    clause_pairs: Sequence[ClausePair] = (),
    settings: PairSettings | None = None,
) -> list[IndicatorPair]:
    """Pairs of indicators of A and B (and the unpaired ones), group by group."""
    st = settings or PairSettings()
    aligned: set[tuple[str | None, str | None]] = {(p.a_id, p.b_id) for p in clause_pairs}
    ga: dict[str, list[Indicator]] = defaultdict(list)
    gb: dict[str, list[Indicator]] = defaultdict(list)
    for ind in ia:
        ga[group_key(ind, glossary)].append(ind)
    for ind in ib:
        gb[group_key(ind, glossary)].append(ind)
    main_a, main_b = product_shares(ia), product_shares(ib)
    out: list[IndicatorPair] = []
    for key in list(dict.fromkeys([*ga, *gb])):
        xa, xb = ga.get(key, []), gb.get(key, [])
        if not xa or not xb:
            out += [IndicatorPair(x, None, None, key) for x in xa]
            out += [IndicatorPair(None, x, None, key) for x in xb]
            continue
        sim, widen = pair_scores(xa, xb, glossary, embedder, aligned, st, main_a, main_b)
        out += _assign(xa, xb, sim, widen, key, st)
    return out


def _assign(
    xa: Sequence[Indicator],
    xb: Sequence[Indicator],
    sim: np.ndarray,
    widen: np.ndarray,
    key: str,
    st: PairSettings,
) -> list[IndicatorPair]:
    from scipy.optimize import linear_sum_assignment

    ok = sim >= st.min_score
    rows, cols = linear_sum_assignment(np.where(ok, sim, 0.0), maximize=True)
    links = [(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if ok[i, j]]
    used_a = {i for i, _ in links}
    used_b = {j for _, j in links}
    if st.one_to_many:
        extra = []
        # a left-over indicator joins its best counterpart when that one's product covers
        # (or is covered by) its own and the score is high enough
        for j in range(len(xb)):
            if j not in used_b:
                i = int(np.argmax(sim[:, j]))
                if i in used_a and widen[i, j] and sim[i, j] >= st.extend_score:
                    extra.append((i, j))
        for i in range(len(xa)):
            if i not in used_a:
                j = int(np.argmax(sim[i]))
                if j in used_b and widen[i, j] and sim[i, j] >= st.extend_score:
                    extra.append((i, j))
        links += extra
        used_a |= {i for i, _ in extra}
        used_b |= {j for _, j in extra}
    partners_a: dict[int, set[int]] = defaultdict(set)
    partners_b: dict[int, set[int]] = defaultdict(set)
    for i, j in links:
        partners_a[i].add(j)
        partners_b[j].add(i)
    out = []
    for i, j in sorted(links):
        score = float(min(sim[i, j], 1.0))
        rivals = [sim[i, k] for k in range(len(xb)) if k not in partners_a[i]]
        rivals += [sim[k, j] for k in range(len(xa)) if k not in partners_b[j]]
        margin = score - min(1.0, max(rivals)) if rivals else score
        out.append(
            IndicatorPair(
                xa[i],
                xb[j],
                round(score, 4),
                key,
                margin=round(float(margin), 4),
                review=score < st.review_score or margin < st.review_margin,
            )
        )
    out += [IndicatorPair(x, None, None, key) for k, x in enumerate(xa) if k not in used_a]
    out += [IndicatorPair(None, x, None, key) for k, x in enumerate(xb) if k not in used_b]
    return out
