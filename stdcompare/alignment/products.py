"""Product scopes across languages: which food category (or grade) a limit applies to.

A product cell such as ``肉类（畜禽内脏除外）`` or "Meat (excluding offal) of bovine animals,
sheep, pig and poultry" becomes a :class:`Scope`: the glossary product concepts it includes,
those it excludes ("除外", "excluding", "other than", "за исключением", "кроме"), and grade
labels (一级 / Grade 1 / класс 1). A class named as "the other ones" (其他谷物, "other
oilseeds", "прочие зерновые") in one row of a list is the class less what the list's other
rows name (:func:`narrow_residuals`). :func:`scope_similarity` compares two scopes through the
glossary hierarchy; :func:`product_similarity` adds standardised embedding similarity of the
names for what the glossary does not know. Embeddings alone pick the right counterpart of a
Chinese food category among EU or EAEU ones for only 40–75 % of rows (DESIGN.md), hence the
glossary first.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..indicators.glossary import Glossary
from .anchors import ordinal

#: Glossary kinds that name products (the scope of a limit).
PRODUCT_KINDS = ("food_category",)

_EXCLUDE = re.compile(
    r"[（(［\[]([^（）()［］\[\]]*?)除外[)）］\]]"  # （畜禽内脏除外）
    r"|除([^，。；,;]+?)(?:以|之)?外"  # 除……外
    r"|\b(?:excluding|except(?:\s+for)?|other\s+than|not\s+including|with\s+the\s+exception\s+of)\b"
    r"([^()\[\]]*)"  # to the end of the bracket or the text
    r"|(?:за\s+исключением|кроме|исключая)([^()\[\]]*)",
    re.IGNORECASE,
)
# English/Russian names put the product first and qualify it after "of", "from", "for" …:
# "Fruit juices from fruits other than berries" is a juice, not a fruit.
_MODIFIER = re.compile(
    r"\b(?:of|from|for|made\s+from|based\s+on|derived\s+from|intended\s+for|used\s+in)\s"
    r"|(?<![а-яё])(?:из|для|на\s+основе)\s",
    re.IGNORECASE,
)
_GRADE = re.compile(
    r"([一二三四五六七八九十\d]+)\s*级"
    r"|\b(?:grade|class|category|type|sort)\s*([IVX]+|\d+|[A-Z]\b)"
    r"|(?:класс\w*|сорт\w*|вид\w*|тип\w*)\s+([IVX]+\b|\d+|[А-ЯA-Z]\b)",
    re.IGNORECASE,
)


# "其他谷物", "其他去壳谷物", "other oilseeds", "прочие зерновые": the rest of a class, i.e. the
# class less what the document's other rows name (the word directly before the mention, up to
# two qualifying words between; "other than" is an exclusion and read as one)
_RESIDUAL = re.compile(
    r"(?:其[他它余][\u4e00-\u9fff]{0,4}"
    r"|\bother\s+(?!than\b)(?:[a-z-]+\s+){0,2}"
    r"|(?<![а-яё])(?:прочи[еймх]|други[еймх]|ины[еймх]|прочее|прочая)\s+(?:[а-яё-]+\s+){0,2})$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Scope:
    """What a product cell covers: included and excluded concept ids, grade labels, and the
    included classes named only as "the other ones" (其他谷物, other oilseeds)."""

    text: str
    included: frozenset[str]
    excluded: frozenset[str]
    grades: frozenset[str]
    residual: frozenset[str] = frozenset()

    @property
    def known(self) -> bool:
        return bool(self.included or self.excluded)


def scope(text: str, glossary: Glossary, kinds: Sequence[str] = PRODUCT_KINDS) -> Scope:
    """The :class:`Scope` of a product name in any of the three languages."""
    spans = []
    for m in _EXCLUDE.finditer(text):
        g = next((k for k in range(1, 5) if m.group(k) is not None), None)
        if g is not None:
            spans.append((m.start(g), m.end(g)))
    inc: set[str] = set()
    exc: set[str] = set()
    mod: set[str] = set()
    res: set[str] = set()
    if len(glossary) and text.strip():
        head_end = min((m.start() for m in _MODIFIER.finditer(text)), default=len(text))
        for mention in glossary.find(text, kinds=kinds):
            if any(s <= mention.start < e for s, e in spans):
                exc.add(mention.concept_id)
            elif mention.start >= head_end:
                mod.add(mention.concept_id)
            else:
                inc.add(mention.concept_id)
                if _RESIDUAL.search(text[max(0, mention.start - 40) : mention.start]):
                    res.add(mention.concept_id)
        if not inc:
            inc = mod  # "Liver of …": nothing before the qualifier names a product
    grades = frozenset(ordinal(next(x for x in m.groups() if x)) for m in _GRADE.finditer(text))
    return Scope(text, frozenset(inc), frozenset(exc - inc), grades, frozenset(res & inc))


def narrow_residuals(scopes: Sequence[Scope], glossary: Glossary) -> list[Scope]:
    """Each scope's "other X" less what the other scopes of the same list name: in one
    document's rows of a parameter, "小麦粉、麦片、其他去壳谷物" beside rows for 玉米 and 稻谷 does
    not cover maize or rice, so it excludes them (the narrower concepts of X named elsewhere,
    and not in the row itself)."""
    out = []
    for k, sc in enumerate(scopes):
        if not sc.residual:
            out.append(sc)
            continue
        named = {c for n, o in enumerate(scopes) if n != k for c in o.included} - sc.included
        rest = {c for c in named if any(r in glossary.ancestors(c) for r in sc.residual)}
        if rest - sc.excluded:
            sc = replace(sc, excluded=sc.excluded | frozenset(rest))
        out.append(sc)
    return out


def _relation(a: str, b: str, glossary: Glossary) -> float:
    """1 for the same concept, 0.75 parent/child, 0.6 further ancestor, 0.25 siblings."""
    if a == b:
        return 1.0
    anc_a, anc_b = glossary.ancestors(a), glossary.ancestors(b)
    if b in anc_a:
        return 0.75 if anc_a[0] == b else 0.6
    if a in anc_b:
        return 0.75 if anc_b[0] == a else 0.6
    if anc_a and anc_b and anc_a[0] == anc_b[0]:
        return 0.25
    return 0.0


def _excluded_share(inc: frozenset[str], exc: frozenset[str], glossary: Glossary) -> float:
    """Share of the concepts in ``inc`` that ``exc`` rules out (the concept or an ancestor)."""
    if not inc or not exc:
        return 0.0
    hit = sum(1 for c in inc if c in exc or any(x in exc for x in glossary.ancestors(c)))
    return hit / len(inc)


def _best(xs: frozenset[str], ys: frozenset[str], glossary: Glossary) -> float:
    """Mean, over the concepts of ``xs``, of their best relation to a concept of ``ys``."""
    return sum(max(_relation(x, y, glossary) for y in ys) for x in xs) / len(xs)


def clash(a: Scope, b: Scope, glossary: Glossary) -> float:
    """Share of either side's product concepts that the other side excludes (0..1)."""
    return max(
        _excluded_share(b.included, a.excluded, glossary),
        _excluded_share(a.included, b.excluded, glossary),
    )


def scope_similarity(a: Scope, b: Scope, glossary: Glossary) -> float | None:
    """How well two scopes match (0..1), or ``None`` when the glossary cannot tell.

    With product concepts on both sides: a soft overlap — each side's concepts scored by
    their best relation to the other side's, the better direction counting most, so that a
    list row "鱼类、甲壳类" keeps its credit against "Crustaceans" — reduced by the share of either side's concepts that the other excludes (新鲜蔬菜（芸薹类蔬菜…除外）
    against brassica vegetables). With only exclusions on both sides ("食品（饮料类…除外）",
    "Canned food other than beverages"): how far the exclusions agree. Otherwise ``None``
    (a name the glossary does not know says nothing either way).
    """
    if a.included and b.included:
        ab, ba = _best(a.included, b.included, glossary), _best(b.included, a.included, glossary)
        overlap = 0.5 * (max(ab, ba) + 0.5 * (ab + ba))  # a list row keeps credit for its items
    elif a.excluded and b.excluded and not (a.included or b.included):
        shared = 0.5 * (
            _best(a.excluded, b.excluded, glossary) + _best(b.excluded, a.excluded, glossary)
        )
        overlap = 0.5 + 0.5 * shared
    else:
        return None
    return max(0.0, overlap * (1.0 - clash(a, b, glossary)))


def related(a: Scope, b: Scope, glossary: Glossary) -> bool:
    """Whether the scopes share a concept, or one names a parent of the other's, with no
    exclusion between them: then one row may answer several (鱼类、甲壳类 / Crustaceans,
    谷物及其制品 / Cereals and pulses)."""
    if not a.included or not b.included or clash(a, b, glossary) > 0:
        return False
    return any(_relation(x, y, glossary) >= 0.75 for x in a.included for y in b.included)


def covers(a: Scope, b: Scope, glossary: Glossary) -> bool:
    """Whether every product concept of ``b`` falls within ``a`` (the same concept or a
    narrower one) and none is excluded by ``a``: one row "鱼类、甲壳类" covers both "Muscle
    meat of fish" and "Crustaceans"."""
    if not a.included or not b.included:
        return False
    for y in b.included:
        anc = glossary.ancestors(y)
        if not any(x == y or x in anc for x in a.included):
            return False
    return _excluded_share(b.included, a.excluded, glossary) == 0.0


def grade_agreement(a: Scope, b: Scope) -> float:
    """+1 when both name the same grade, -1 when both name grades and none is shared, else 0."""
    if not a.grades or not b.grades:
        return 0.0
    return 1.0 if a.grades & b.grades else -1.0


@functools.lru_cache(maxsize=1)
def _prior_band() -> tuple[float, float]:
    # multilingual USE: unrelated short names ≈ 0.2, spread ≈ 0.12 (measured on the corpora)
    return 0.2, 0.12


def embedding_similarity(
    texts_a: Sequence[str], texts_b: Sequence[str], embedder: object | None
) -> np.ndarray:
    """Standardised embedding similarity of product names mapped to 0..1 (0.5 ≈ 2 spreads
    above a typical unrelated pair); NaN where a name is empty or there is no embedder."""
    na, nb = len(texts_a), len(texts_b)
    out = np.full((na, nb), np.nan)
    encode = getattr(embedder, "encode", None)
    if encode is None or not na or not nb:
        return out
    uniq = sorted({t for t in (*texts_a, *texts_b) if t.strip()})
    if not uniq:
        return out
    vecs = np.asarray(encode(uniq), dtype=np.float64)
    idx = {t: k for k, t in enumerate(uniq)}
    ra = [i for i, t in enumerate(texts_a) if t.strip()]
    rb = [j for j, t in enumerate(texts_b) if t.strip()]
    if not ra or not rb:
        return out
    va = vecs[[idx[texts_a[i]] for i in ra]]
    vb = vecs[[idx[texts_b[j]] for j in rb]]
    cos = va @ vb.T
    band = getattr(embedder, "band", None)
    loc, scale = band if band else _prior_band()
    if cos.size >= 50:  # enough unrelated pairs to measure this document pair's own band
        w = min(1.0, cos.size / 400)
        med = float(np.median(cos))
        mad = float(np.median(np.abs(cos - med))) * 1.4826
        loc, scale = w * med + (1 - w) * loc, max(1e-3, w * mad + (1 - w) * scale)
    z = (cos - loc) / scale
    out[np.ix_(ra, rb)] = 1.0 / (1.0 + np.exp(-(z - 2.0)))
    return out


def lexical_similarity(texts_a: Sequence[str], texts_b: Sequence[str]) -> np.ndarray:
    """rapidfuzz similarity of the names (0..1), counted only from 0.7 up: near-identical
    names in one language (两个版本, or a shared Latin name) without any model."""
    from rapidfuzz import fuzz, process

    na, nb = len(texts_a), len(texts_b)
    if not na or not nb:
        return np.zeros((na, nb))
    m = process.cdist(
        [t.strip().lower() for t in texts_a],
        [t.strip().lower() for t in texts_b],
        scorer=fuzz.ratio,
        dtype=np.float32,
        workers=1,
    )
    m = np.asarray(m, dtype=np.float64) / 100.0
    return np.where(m >= 0.7, m, 0.0)


class ProductMatcher:
    """Scopes, similarities and coverage of the product names of two indicator lists."""

    def __init__(
        self,
        texts_a: Sequence[str],
        texts_b: Sequence[str],
        glossary: Glossary,
        embedder: object | None,
        *,
        category_weight: float = 0.6,
        grade_weight: float = 0.3,
    ) -> None:
        self.glossary = glossary
        self.a = narrow_residuals([scope(t, glossary) for t in texts_a], glossary)
        self.b = narrow_residuals([scope(t, glossary) for t in texts_b], glossary)
        self.category_weight = category_weight
        self.grade_weight = grade_weight
        self.embedding = embedding_similarity(texts_a, texts_b, embedder)
        self.lexical = lexical_similarity(texts_a, texts_b)

    @functools.cached_property
    def _scopes(self) -> list[list[float | None]]:
        """:func:`scope_similarity` of every pair, computed once (similarity, unknown and
        disjoint all read it)."""
        g = self.glossary
        return [[scope_similarity(x, y, g) for y in self.b] for x in self.a]

    def similarity(self) -> np.ndarray:
        """Similarity (0..1) of every product name of A with every one of B.

        Two empty names match (a limit with no product against another with none); one empty
        name scores 0.5 (a general limit against a specific one). Otherwise the glossary scope
        similarity and the name similarity (the better of embedding and lexical) are mixed
        (``category_weight``) when the glossary knows both sides, the name similarity alone
        when it does not; agreeing grades add, clashing grades subtract ``grade_weight``.
        """
        g = self.glossary
        out = np.zeros((len(self.a), len(self.b)))
        for i, x in enumerate(self.a):
            for j, y in enumerate(self.b):
                ta, tb = x.text.strip(), y.text.strip()
                if not ta and not tb:
                    out[i, j] = 1.0
                    continue
                if not ta or not tb:
                    out[i, j] = 0.5
                    continue
                e = self.embedding[i, j]
                name = max(float(e) if np.isfinite(e) else 0.0, float(self.lexical[i, j]))
                cat = self._scopes[i][j]
                if cat is None:
                    s = name * (1.0 - clash(x, y, g))
                else:
                    s = self.category_weight * cat + (1 - self.category_weight) * name
                s += self.grade_weight * grade_agreement(x, y)
                out[i, j] = min(1.0, max(0.0, s))
        return out

    def covers(self) -> tuple[np.ndarray, np.ndarray]:
        """``(a_covers_b, b_covers_a)`` boolean matrices (see :func:`covers`)."""
        g = self.glossary
        ab = np.array([[covers(x, y, g) for y in self.b] for x in self.a], dtype=bool)
        ba = np.array([[covers(y, x, g) for y in self.b] for x in self.a], dtype=bool)
        return ab.reshape(len(self.a), len(self.b)), ba.reshape(len(self.a), len(self.b))

    def related(self) -> np.ndarray:
        """Boolean matrix of :func:`related` scopes."""
        g = self.glossary
        m = np.array([[related(x, y, g) for y in self.b] for x in self.a], dtype=bool)
        return m.reshape(len(self.a), len(self.b))

    def disjoint(self) -> np.ndarray:
        """Where the glossary knows the products of both names and finds nothing in common
        (no shared concept, no parent or child, or one excludes the other): 水果干类 against
        "Fruit juices". Names it does not know are never disjoint."""
        m = np.array([[s == 0.0 for s in row] for row in self._scopes], dtype=bool)
        return m.reshape(len(self.a), len(self.b))

    def unknown(self) -> np.ndarray:
        """Where the glossary can tell nothing about either name."""
        m = np.array([[s is None for s in row] for row in self._scopes], dtype=bool)
        return m.reshape(len(self.a), len(self.b))


def product_similarity(
    texts_a: Sequence[str],
    texts_b: Sequence[str],
    glossary: Glossary,
    embedder: object | None,
    *,
    category_weight: float = 0.6,
    grade_weight: float = 0.3,
) -> np.ndarray:
    """:meth:`ProductMatcher.similarity` in one call."""
    return ProductMatcher(
        texts_a,
        texts_b,
        glossary,
        embedder,
        category_weight=category_weight,
        grade_weight=grade_weight,
    ).similarity()
