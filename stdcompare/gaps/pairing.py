"""Pairing indicators of two documents: same parameter, best product match, one-to-one.

Indicators are grouped by the root of their canonical parameter (so Cr(VI) meets total Cr and
is then judged ``not_comparable``); within a group, products are matched by glossary
food-category ids (with parents), by embedding similarity of the product names, and by
whether the clauses they sit in were aligned. The assignment is one-to-one; indicators left
over become ``only_a`` / ``only_b`` — never a forced pair.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..alignment.embedders import Embedder
from ..indicators.glossary import Glossary
from ..model import ClausePair, Indicator


@dataclass(frozen=True)
class PairSettings:
    min_score: float = 0.45
    same_concept_bonus: float = 0.1
    aligned_clause_bonus: float = 0.1


@dataclass(frozen=True)
class IndicatorPair:
    a: Indicator | None
    b: Indicator | None
    score: float | None
    key: str


def group_key(ind: Indicator, g: Glossary) -> str:
    if ind.parameter_id:
        return "id:" + (g.root(ind.parameter_id) if len(g) else ind.parameter_id)
    return "txt:" + re.sub(r"[\s\W_]+", " ", ind.parameter.lower()).strip()


def _product_text(ind: Indicator) -> str:
    return ind.product.strip()


def product_similarity(
    pa: Sequence[Indicator], pb: Sequence[Indicator], g: Glossary, embedder: Embedder | None
) -> np.ndarray:
    """Similarity of products, 0..1: glossary ids first, embeddings for the rest."""
    sim = np.zeros((len(pa), len(pb)), dtype=np.float32)
    texts_a = [_product_text(i) for i in pa]
    texts_b = [_product_text(i) for i in pb]
    emb = None
    need = any(texts_a) and any(texts_b)
    if embedder is not None and need:
        uniq = sorted({t for t in texts_a + texts_b if t})
        vecs = embedder.encode(uniq)
        idx = {t: k for k, t in enumerate(uniq)}
        emb = (vecs, idx)
    for i, ia in enumerate(pa):
        for j, ib in enumerate(pb):
            ta, tb = texts_a[i], texts_b[j]
            if (not ta and not tb) or (
                ia.product_id and ib.product_id and ia.product_id == ib.product_id
            ):
                s = 1.0
            elif (
                ia.product_id
                and ib.product_id
                and (
                    ib.product_id in g.ancestors(ia.product_id)
                    or ia.product_id in g.ancestors(ib.product_id)
                )
            ):
                s = 0.8
            elif emb is not None and ta and tb:
                vecs, idx = emb
                cos = float(vecs[idx[ta]] @ vecs[idx[tb]])
                s = max(0.0, min(1.0, (cos - 0.2) / 0.6))  # USE: unrelated ~0.2, same ~0.8
                if ia.product_id and ib.product_id:
                    s *= 0.6  # both known and different categories
            elif not ta or not tb:
                s = 0.55  # one side gives no product: a general limit vs a specific one
            else:
                s = 0.0
            sim[i, j] = s
    return sim


def pair_indicators(
    ia: Sequence[Indicator],
    ib: Sequence[Indicator],
    *,
    glossary: Glossary,
    embedder: Embedder | None,
    clause_pairs: Sequence[ClausePair] = (),
    settings: PairSettings | None = None,
) -> list[IndicatorPair]:
    from scipy.optimize import linear_sum_assignment

    st = settings or PairSettings()
    aligned = {(p.a_id, p.b_id) for p in clause_pairs}
    ga: dict[str, list[Indicator]] = defaultdict(list)
    gb: dict[str, list[Indicator]] = defaultdict(list)
    for ind in ia:
        ga[group_key(ind, glossary)].append(ind)
    for ind in ib:
        gb[group_key(ind, glossary)].append(ind)
    out: list[IndicatorPair] = []
    for key in list(dict.fromkeys([*ga, *gb])):
        xa, xb = ga.get(key, []), gb.get(key, [])
        if not xa or not xb:
            out += [IndicatorPair(x, None, None, key) for x in xa]
            out += [IndicatorPair(None, x, None, key) for x in xb]
            continue
        sim = product_similarity(xa, xb, glossary, embedder)
        for i, ind_a in enumerate(xa):
            for j, ind_b in enumerate(xb):
                if ind_a.parameter_id and ind_a.parameter_id == ind_b.parameter_id:
                    sim[i, j] += st.same_concept_bonus
                if (ind_a.clause_id, ind_b.clause_id) in aligned:
                    sim[i, j] += st.aligned_clause_bonus
        rows, cols = linear_sum_assignment(-sim)
        used_a, used_b = set(), set()
        for i, j in zip(rows, cols, strict=True):
            if sim[i, j] >= st.min_score:
                out.append(IndicatorPair(xa[i], xb[j], round(float(min(sim[i, j], 1.0)), 4), key))
                used_a.add(i)
                used_b.add(j)
        out += [IndicatorPair(x, None, None, key) for k, x in enumerate(xa) if k not in used_a]
        out += [IndicatorPair(None, x, None, key) for k, x in enumerate(xb) if k not in used_b]
    return out
