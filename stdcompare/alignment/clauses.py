"""Clause alignment across languages: embeddings, fuzzy anchors, fusion, assignment.

1. Every clause is embedded (heading + the start of its text).
2. Anchors — numbers, units, chemical symbols, standard codes, glossary concept ids — are
   compared with rapidfuzz; they separate near-ties such as "the same number for a different
   substance".
3. The fused score matrix is solved as a one-to-one assignment (Hungarian); each pair keeps
   its margin over the runner-up, and pairs with a low score or margin are marked for review.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..indicators.glossary import Glossary, default_glossary
from ..indicators.numbers import NUM_RE, value_of
from ..indicators.units import canonical, unit_pattern
from ..model import Clause, ClausePair, Document
from .embedders import Embedder

MAX_CHARS = 600


@dataclass(frozen=True)
class AlignSettings:
    """Knobs of clause alignment (defaults measured on the bundled corpora)."""

    embedding_weight: float = 0.75
    min_score: float = 0.35
    review_score: float = 0.5
    review_margin: float = 0.03

    def resolve(self) -> AlignSettings:
        if not 0.0 <= self.embedding_weight <= 1.0:
            raise ValueError("embedding_weight must be between 0 and 1")
        return self


def clause_text(c: Clause) -> str:
    return c.full_text[:MAX_CHARS]


def alignable(doc: Document) -> list[Clause]:
    """Clauses worth aligning: with some text, and not a table of contents."""
    return [c for c in doc.clauses if c.kind != "toc" and (c.heading or c.text).strip()]


_SYMBOLS = re.compile(r"\b(?:[A-Z][a-z]?(?:\([IVX]+\))?\d*)+\b")


def anchors(text: str, lang: str, glossary: Glossary) -> str:
    """A bag of language-independent tokens: numbers, canonical units, concept ids, codes."""
    toks: list[str] = []
    for m in NUM_RE.finditer(text):
        try:
            toks.append(f"n{value_of(m, lang):g}")
        except (ValueError, OverflowError):
            continue
    toks += ["u" + canonical(m.group(0)).replace(" ", "") for m in unit_pattern().finditer(text)]
    if len(glossary):
        toks += ["c" + mm.concept_id for mm in glossary.find(text)]
    return " ".join(sorted(set(toks)))


def anchor_matrix(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    from rapidfuzz import fuzz, process

    if not a or not b:
        return np.zeros((len(a), len(b)), dtype=np.float32)
    m = process.cdist(a, b, scorer=fuzz.token_set_ratio, dtype=np.float32, workers=-1)
    empty_a = np.array([not s for s in a])
    empty_b = np.array([not s for s in b])
    m[empty_a, :] = 0
    m[:, empty_b] = 0
    return np.asarray(m / 100.0, dtype=np.float32)


def align_clauses(
    a: Document,
    b: Document,
    embedder: Embedder,
    *,
    settings: AlignSettings | None = None,
    glossary: Glossary | None = None,
) -> tuple[ClausePair, ...]:
    """One-to-one clause pairs between ``a`` and ``b``, best first in document order of A."""
    from scipy.optimize import linear_sum_assignment

    st = (settings or AlignSettings()).resolve()
    g = glossary if glossary is not None else default_glossary()
    ca, cb = alignable(a), alignable(b)
    if not ca or not cb:
        return ()
    ta, tb = [clause_text(c) for c in ca], [clause_text(c) for c in cb]
    emb = embedder.encode(ta + tb)
    ea, eb = emb[: len(ta)], emb[len(ta) :]
    sim = np.clip(ea @ eb.T, -1.0, 1.0)
    anc = anchor_matrix(
        [anchors(t, a.language, g) for t in ta], [anchors(t, b.language, g) for t in tb]
    )
    has = anc > 0
    fused = np.where(has, st.embedding_weight * sim + (1 - st.embedding_weight) * anc, sim)
    rows, cols = linear_sum_assignment(-fused)
    pairs = []
    for i, j in zip(rows, cols, strict=True):
        score = float(fused[i, j])
        if score < st.min_score:
            continue
        row = np.delete(fused[i], j)
        col = np.delete(fused[:, j], i)
        runner = max(float(row.max()) if row.size else -1.0, float(col.max()) if col.size else -1.0)
        margin = score - runner if runner > -1 else score
        pairs.append(
            ClausePair(
                a_id=ca[i].id,
                b_id=cb[j].id,
                a_text=clause_text(ca[i]),
                b_text=clause_text(cb[j]),
                score=round(score, 4),
                method="hybrid" if has[i, j] else "embedding",
                a_page=ca[i].page,
                b_page=cb[j].page,
                margin=round(margin, 4),
                review=score < st.review_score or margin < st.review_margin,
            )
        )
    order = {c.id: k for k, c in enumerate(ca)}
    pairs.sort(key=lambda p: order[p.a_id])
    return tuple(pairs)
