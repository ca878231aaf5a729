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
   Fuel grades and seasons in the products (GB 19147 "5号、0号、-10号", TR CU 013 "зимнего и
   арктического", EN 590 "Сорт C") decide between rows of one parameter: rows whose grades
   correspond by climate (:mod:`.grades`, ``data/fuel_grades.csv``) pair, rows of different
   climates never do. Among rows still tied, the closer limit value wins (never the order of
   the rows).
3. The assignment is one-to-one (Hungarian). A left-over indicator whose best counterpart
   scores at least ``extend_score`` joins it (one GB row "鱼类、甲壳类" answers two EU rows,
   fish and crustaceans) — only for the same parameter and when the two products are the
   same or parent and child in the glossary, and never a minimum to a maximum (a qualifying
   minimum beside a safety maximum is another requirement). Rows whose grades correspond by climate all pair
   (GB -20号 and -35号 both answer TR's winter row). A left-over indicator also joins the
   other side's *general* limit — one with no product or the document's main product — when
   it is a variant of a limit already paired with it (GB small supplies 1.2 mg/L fluoride next
   to the general 1.0 mg/L, both against the EU's single 1.5 mg/L; the EU transitional lead
   value next to the final one), or when that general limit is on the class or sum the
   indicator belongs to and its own document sets none (GB malathion against the EU
   "Pesticides" limit for each pesticide). Indicators left over become ``only_a`` /
   ``only_b`` — never a forced pair. Each pair keeps its score, its margin over the
   runner-up, and ``review=True`` when either is low.
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..alignment.embedders import Embedder
from ..alignment.products import ProductMatcher
from ..indicators.glossary import Glossary
from ..model import ClausePair, Indicator
from .grades import climate_links


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
    # rows whose fuel grades correspond by climate (see .grades)
    climate_bonus: float = 0.3
    # the closer limit value breaks ties: up to this much for equal values, nothing 10× apart
    value_bonus: float = 0.04
    # a product is the document's main one when at least this share of its limits name it
    main_product_share: float = 0.25
    general_fallback: bool = True


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


def _opposed(x: Indicator, y: Indicator) -> bool:
    """One a maximum, the other a minimum: two different requirements on one parameter (GB
    8537's qualifying minimum 硒 ≥ 0.01 and a safety maximum of 0.01 mg/l)."""
    return {_direction(x), _direction(y)} == {"max", "min"}


def _parameter_relation(ia: Indicator, ib: Indicator, g: Glossary) -> str:
    """``same`` (same id or, without ids, same name), ``broader`` (one id is an ancestor of
    the other: Cr(VI) and chromium, methylmercury and mercury) or ``other`` (siblings under a
    class such as pesticides — never paired)."""
    x, y = ia.parameter_id, ib.parameter_id
    if not x or not y:
        return "same" if group_key(ia, g) == group_key(ib, g) else "other"
    if x == y:
        return "same"
    if x in g.ancestors(y) or y in g.ancestors(x) or _reference_variants(x, y, g):
        return "broader"
    return "other"


_AT_CONDITION = re.compile(
    r"\s*(?:\bat\s+[-−]?\d+(?:[.,]\d+)?\s*°\s*C|\(\s*[-−]?\d+(?:[.,]\d+)?\s*°\s*C\s*\))"
)


@functools.lru_cache(maxsize=4096)
def _reference_variants_key(x: str, y: str, g: Glossary) -> bool:
    cx, cy = g.get(x), g.get(y)
    if cx is None or cy is None or cx.parent is None or cx.parent != cy.parent:
        return False
    nx, ny = cx.name("en"), cy.name("en")
    if nx == ny or not (_AT_CONDITION.search(nx) and _AT_CONDITION.search(ny)):
        return False
    return _AT_CONDITION.sub("", nx).strip().lower() == _AT_CONDITION.sub("", ny).strip().lower()


def _reference_variants(x: str, y: str, g: Glossary) -> bool:
    """The same quantity at two reference temperatures ("density at 20 °C" and "density at
    15 °C"): shown side by side, judged not comparable."""
    try:
        return _reference_variants_key(x, y, g)
    except TypeError:  # an unhashable glossary
        return False


def product_shares(inds: Sequence[Indicator]) -> dict[str, float]:
    """How often each product is named, relative to the most frequent one (0..1)."""
    counts: dict[str, int] = defaultdict(int)
    for ind in inds:
        if ind.product.strip():
            counts[ind.product.strip()] += 1
    top = max(counts.values(), default=0)
    return {k: v / top for k, v in counts.items()} if top else {}


def _representative(ind: Indicator) -> float | None:
    if ind.comparator == "range" and ind.low is not None and ind.high is not None:
        return (ind.low + ind.high) / 2
    return ind.value


@functools.lru_cache(maxsize=1024)
def _unit_factor(from_unit: str, to_unit: str) -> float | None:
    """The factor turning a value in ``from_unit`` into ``to_unit`` (None when they do not
    convert, or convert with an offset such as °C and K)."""
    from ..errors import ConversionError
    from ..indicators.units import comparable, convert

    if from_unit.strip() == to_unit.strip():
        return 1.0
    if not from_unit.strip() or not to_unit.strip():
        return None
    try:
        ok, _ = comparable(from_unit, to_unit)
        if not ok:
            return None
        f1, f2 = convert(1.0, from_unit, to_unit), convert(2.0, from_unit, to_unit)
    except ConversionError:  # a unit the reader cannot convert is no evidence
        return None
    return f1 if abs(f2 - 2 * f1) <= 1e-9 * max(1.0, abs(f2)) else None


def value_closeness(ia: Indicator, ib: Indicator) -> float:
    """1 for equal limits, falling to 0 for limits ten times apart (or, for values around
    zero such as temperatures, as far apart as they are large); 0 when they cannot be put in
    one unit."""
    va, vb = _representative(ia), _representative(ib)
    if va is None or vb is None:
        return 0.0
    factor = _unit_factor(ib.unit, ia.unit)
    if factor is None:
        return 0.0
    vb = vb * factor
    if va > 0 and vb > 0:
        return max(0.0, 1.0 - abs(math.log10(va / vb)))
    scale = max(abs(va), abs(vb), 1.0)
    return max(0.0, 1.0 - abs(va - vb) / scale)


def pair_scores(
    xa: Sequence[Indicator],
    xb: Sequence[Indicator],
    glossary: Glossary,
    embedder: Embedder | None,
    aligned: set[tuple[str | None, str | None]],
    st: PairSettings,
    main_a: dict[str, float] | None = None,
    main_b: dict[str, float] | None = None,
    climate: tuple[set[tuple[int, int]], set[tuple[int, int]]] | None = None,
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
    links, conflicts = climate if climate is not None else (set(), set())
    disjoint = pm.disjoint()
    in_aligned = {
        (i, j)
        for i, ia in enumerate(xa)
        for j, ib in enumerate(xb)
        if (ia.clause_id, ib.clause_id) in aligned
    }
    if min(len(xa), len(xb)) > 1 and len(in_aligned) == len(xa) * len(xb):
        # several limits on each side, all in aligned clauses (one table against another):
        # the alignment says the tables correspond, not which of their rows do
        in_aligned = set()
    for i, ia in enumerate(xa):
        for j, ib in enumerate(xb):
            rel = _parameter_relation(ia, ib, glossary)
            if rel == "other" or (i, j) in conflicts or disjoint[i, j]:
                # another substance, a fuel grade of another climate, or products the
                # glossary knows to be unrelated (the bonuses every row of a group shares
                # would otherwise carry a weak name similarity over the threshold)
                sim[i, j] = -1.0
                one_to_many[i, j] = False
                continue
            if (i, j) in links:
                sim[i, j] += st.climate_bonus
            if rel == "same" and ia.parameter_id:
                sim[i, j] += st.same_concept_bonus
            if rel == "broader":
                sim[i, j] -= st.broader_penalty
                one_to_many[i, j] = False
            if (i, j) in in_aligned:
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
    general_a = _general_products(ia, st)
    general_b = _general_products(ib, st)
    out: list[IndicatorPair] = []
    for key in list(dict.fromkeys([*ga, *gb])):
        xa, xb = ga.get(key, []), gb.get(key, [])
        if not xa or not xb:
            out += [IndicatorPair(x, None, None, key) for x in xa]
            out += [IndicatorPair(None, x, None, key) for x in xb]
            continue
        climate = climate_links(xa, xb)
        sim, widen = pair_scores(
            xa, xb, glossary, embedder, aligned, st, main_a, main_b, climate=climate
        )
        side_a = _Side(xa, [x.product.strip() in general_a for x in xa])
        side_b = _Side(xb, [x.product.strip() in general_b for x in xb])
        ties = np.array([[value_closeness(x, y) for y in xb] for x in xa]) * st.value_bonus
        out += _assign(xa, xb, sim, widen, key, st, climate[0], side_a, side_b, glossary, ties=ties)
    return out


def _general_products(inds: Sequence[Indicator], st: PairSettings) -> set[str]:
    """Products that stand for the whole subject of a document: none printed, or the product
    that a large share of its limits name ("生活饮用水" in GB 5749)."""
    counts: dict[str, int] = defaultdict(int)
    for ind in inds:
        counts[ind.product.strip()] += 1
    general = {""}
    named = {k: v for k, v in counts.items() if k}
    if named:
        top = max(named.values())
        if top >= 3 and top >= st.main_product_share * len(inds):
            general |= {k for k, v in named.items() if v == top}
    return general


@dataclass
class _Side:
    """One document's indicators of a parameter group, and which of them are general."""

    inds: Sequence[Indicator]
    general: list[bool] = field(default_factory=list)


def _assign(
    xa: Sequence[Indicator],
    xb: Sequence[Indicator],
    sim: np.ndarray,
    widen: np.ndarray,
    key: str,
    st: PairSettings,
    climate: set[tuple[int, int]] | None = None,
    side_a: _Side | None = None,
    side_b: _Side | None = None,
    glossary: Glossary | None = None,
    ties: np.ndarray | None = None,
) -> list[IndicatorPair]:
    """``ties`` (the closeness of the limit values) decides between counterparts of equal
    score; it moves no score over a threshold."""
    from scipy.optimize import linear_sum_assignment

    ok = sim >= st.min_score
    # a blocked pair (another substance, another climate, products the glossary knows to be
    # unrelated) stays blocked: the tie-break must not lift it off -1 for the fallbacks below
    ranked = np.where(sim <= -1.0, sim, sim + ties) if ties is not None else sim
    # each pair counts by how far it clears the threshold, so that two weak pairs never
    # outweigh one strong one (新鲜水果 keeps "Fruits", not "Fruit juices", because 水果制品
    # would otherwise take "Fruits" at a score barely over the bar)
    gain = np.where(ok, ranked - st.min_score + 1e-6, 0.0)
    rows, cols = linear_sum_assignment(gain, maximize=True)
    links = [(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if ok[i, j]]
    used_a = {i for i, _ in links}
    used_b = {j for _, j in links}
    if climate:
        # every pair of corresponding grades (GB -20号 and -35号 both with TR's winter row)
        extra_c = sorted(k for k in climate if k not in set(links) and sim[k] > -1.0)
        links += extra_c
        used_a |= {i for i, _ in extra_c}
        used_b |= {j for _, j in extra_c}
    if st.one_to_many:
        extra = []
        # a left-over indicator joins its best counterpart when that one's product covers
        # (or is covered by) its own and the score is high enough
        for j in range(len(xb)):
            if j not in used_b:
                i = int(np.argmax(ranked[:, j]))
                if (
                    i in used_a
                    and widen[i, j]
                    and sim[i, j] >= st.extend_score
                    and not _opposed(xa[i], xb[j])
                ):
                    extra.append((i, j))
        for i in range(len(xa)):
            if i not in used_a:
                j = int(np.argmax(ranked[i]))
                if (
                    j in used_b
                    and widen[i, j]
                    and sim[i, j] >= st.extend_score
                    and not _opposed(xa[i], xb[j])
                ):
                    extra.append((i, j))
        links += extra
        used_a |= {i for i, _ in extra}
        used_b |= {j for _, j in extra}
    if st.general_fallback and side_a is not None and side_b is not None and glossary is not None:
        extra = _general_fallback(ranked, links, used_a, used_b, side_a, side_b, glossary)
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


def _general_fallback(
    ranked: np.ndarray,
    links: list[tuple[int, int]],
    used_a: set[int],
    used_b: set[int],
    side_a: _Side,
    side_b: _Side,
    g: Glossary,
) -> list[tuple[int, int]]:
    """Left-over indicators that the other document's general limit also answers (see the
    module notes): a variant of an indicator already paired with that limit, or a member of
    the class or sum that limit is on, when its own document sets no limit on that class."""
    extra: list[tuple[int, int]] = []
    for flip in (False, True):
        own, other = (side_b, side_a) if flip else (side_a, side_b)
        used_own = used_b if flip else used_a
        r = ranked.T if flip else ranked
        own_links = [(j, i) for i, j in links] if flip else list(links)
        partners: dict[int, list[int]] = defaultdict(list)
        for i, j in own_links:
            partners[i].append(j)
        own_ids = {x.parameter_id for x in own.inds if x.parameter_id}
        for i, x in enumerate(own.inds):
            if i in used_own:
                continue
            target = _variant_target(i, x, own, other, partners, r)
            if target is None:
                target = _class_target(i, x, own_ids, other, g, r)
            if target is not None:
                extra.append((target, i) if flip else (i, target))
    return extra


def _same_parameter(x: Indicator, y: Indicator) -> bool:
    if x.parameter_id or y.parameter_id:
        return x.parameter_id == y.parameter_id
    return (
        re.sub(r"\W+", " ", x.parameter.lower()).strip()
        == re.sub(r"\W+", " ", y.parameter.lower()).strip()
    )


def _variant_target(
    i: int,
    x: Indicator,
    own: _Side,
    other: _Side,
    partners: dict[int, list[int]],
    s: np.ndarray,
) -> int | None:
    """The general limit of the other side that a sibling of ``x`` (same parameter) is paired
    with: ``x`` (another scope, condition or period of the same limit) joins it."""
    best: tuple[float, int] | None = None
    for k, y in enumerate(own.inds):
        if k == i or not _same_parameter(x, y):
            continue
        for j in partners.get(k, []):
            if not other.general[j] or s[i, j] <= -1.0 or _opposed(x, other.inds[j]):
                continue  # a minimum never joins a maximum as a variant of it
            if best is None or s[i, j] > best[0]:
                best = (float(s[i, j]), j)
    return best[1] if best else None


def _class_target(
    i: int, x: Indicator, own_ids: set[str], other: _Side, g: Glossary, s: np.ndarray
) -> int | None:
    """The other side's single general limit on the class or sum ``x`` belongs to (GB
    malathion → EU "Pesticides"), when ``x``'s document has no limit on that class."""
    if not x.parameter_id:
        return None
    ancestors = set(g.ancestors(x.parameter_id))
    cands = [
        j
        for j, y in enumerate(other.inds)
        if y.parameter_id in ancestors
        and y.parameter_id not in own_ids
        and other.general[j]
        and s[i, j] > -1.0  # never across products the glossary knows to be unrelated
        and not _opposed(x, y)
    ]
    ids = {other.inds[j].parameter_id for j in cands}
    if len(cands) != 1 or len(ids) != 1:
        return None
    return cands[0]
