"""Clause alignment across languages: retrieve by embedding, rescore, assign.

1. Every clause is embedded (heading + the start of its text) through the given embedder
   (wrap it in :class:`~stdcompare.alignment.cache.CachedEmbedder` so reruns never re-encode).
2. For each clause the top ``k`` clauses of the other document by embedding (both directions)
   are the candidates; pairs whose anchors agree strongly are added.
3. Candidates are rescored (:mod:`.fusion`): standardised embedding similarity, anchors
   (numbers, quantities, units, symbols, codes, INS numbers, references — :mod:`.anchors`),
   glossary concept agreement and clause-number agreement give a calibrated probability.
4. Assignment (:mod:`.assign`): one-to-one (Hungarian), or monotone when the documents run in
   parallel — chosen by ``AlignSettings.mode``; ``"auto"`` picks monotone when the confident
   pairs keep document order or when A declares itself an IDT/MOD adoption of B. Then 1:n and
   n:1 links are added for clauses answered by several numbered entries.
5. Every pair carries its probability (``score``), its lead over the runner-up in its row or
   column (``margin``), and ``review=True`` when either is low. Pairs below ``min_score`` are
   not reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..indicators.glossary import Glossary, default_glossary
from ..model import Clause, ClausePair, Document
from . import assign
from .anchors import (
    Anchors,
    anchor_agreement,
    clause_id_agreement,
    concept_agreement,
    extract_anchors,
    section_types,
    title_concept_agreement,
)
from .embedders import Embedder
from .fusion import (
    CONTEXT_CALIBRATION,
    PAIR_CALIBRATION,
    Calibration,
    FeatureSet,
    features,
    sigmoid,
    with_context,
)

MAX_CHARS = 600
ANCHOR_CHARS = 20000
MODES = ("auto", "one_to_one", "best", "monotone")


@dataclass(frozen=True)
class AlignSettings:
    """Knobs of clause alignment.

    ``mode``: ``auto`` | ``one_to_one`` | ``best`` | ``monotone``. ``front_matter``: also
    align forewords and introductions (not normative content, so off by default). Scores are probabilities (0..1) from
    ``calibration``; ``min_score`` drops pairs, ``review_score``/``review_margin`` flag them.
    ``top_k``: embedding candidates per clause and direction. ``extend``: allow 1:n / n:1
    links with probability ≥ ``extend_score``. ``auto_tau``: Kendall's tau of the confident
    pairs above which ``auto`` aligns monotonically.
    """

    mode: str = "auto"
    top_k: int = 10
    min_score: float = 0.4
    review_score: float = 0.7
    review_margin: float = 0.15
    extend: bool = True
    extend_score: float = 0.2
    auto_tau: float = 0.85
    auto_min_pairs: int = 4
    max_chars: int = MAX_CHARS
    front_matter: bool = False
    calibration: Calibration = PAIR_CALIBRATION
    context: Calibration | None = CONTEXT_CALIBRATION

    def resolve(self) -> AlignSettings:
        from ..errors import UnknownChoice

        if self.mode not in MODES:
            raise UnknownChoice("alignment mode", self.mode, MODES)
        for name in ("min_score", "review_score", "extend_score"):
            v = getattr(self, name)
            if not 0.0 <= v <= 1.0:
                raise ValueError(f"AlignSettings.{name} must be between 0 and 1, got {v}")
        if self.top_k < 1:
            raise ValueError("AlignSettings.top_k must be at least 1")
        return self


def clause_text(c: Clause, max_chars: int = MAX_CHARS) -> str:
    return c.full_text[:max_chars]


SHORT = 200


def table_texts(doc: Document, max_rows: int | None = None) -> dict[str, str]:
    """Text of the tables of each clause (caption, header, rows; cells joined by " | ")."""
    out: dict[str, list[str]] = {}
    for t in doc.tables:
        if not t.clause_id:
            continue
        lines = [t.caption] if t.caption else []
        lines.append(" | ".join(h for h in t.header if h))
        rows = t.rows if max_rows is None else t.rows[:max_rows]
        lines += [" | ".join(c for c in r.cells if c) for r in rows]
        out.setdefault(t.clause_id, []).append("\n".join(x for x in lines if x.strip()))
    return {k: "\n".join(v) for k, v in out.items()}


def clause_texts(
    clauses: Sequence[Clause],
    max_chars: int = MAX_CHARS,
    tables: dict[str, str] | None = None,
) -> list[str]:
    """The text each clause is embedded by: heading, body and its tables; a clause with little
    body of its own (a heading over numbered sub-clauses, an article whose paragraphs are
    separate clauses) is followed by its sub-clauses' text, up to ``max_chars``."""
    tables = tables or {}
    children: dict[str, list[Clause]] = {}
    for c in clauses:
        if c.parent:
            children.setdefault(c.parent, []).append(c)

    def own(c: Clause) -> str:
        t = tables.get(c.id, "")
        return f"{c.full_text}\n{t}" if t else c.full_text

    out = []
    for c in clauses:
        text = own(c)
        if len(c.text.strip()) < SHORT:
            stack = list(reversed(children.get(c.id, [])))
            seen = {c.id}
            while stack and len(text) < max_chars:
                d = stack.pop()
                if d.id in seen:
                    continue
                seen.add(d.id)
                text += "\n" + own(d)
                stack.extend(reversed(children.get(d.id, [])))
        out.append(text[:max_chars])
    return out


_SENTENCE_END = re.compile(r"[。．.;；:：,，、)）]$")


def clause_title(c: Clause) -> str:
    """The heading, or a short first line standing in for one (not a sentence)."""
    if c.heading.strip():
        return c.heading.strip()
    first = c.text.strip().split("\n", 1)[0].strip()
    if len(first) > 60 or _SENTENCE_END.search(first) or not re.search(r"\w", first):
        return ""
    return first


def is_cover(c: Clause) -> bool:
    """The cover page (text before the first clause), which is not a clause."""
    return c.kind == "cover" or (c.kind == "front" and not c.heading and c.id == "front")


def alignable(doc: Document, front_matter: bool = False) -> list[Clause]:
    """Clauses worth aligning: not a table of contents or the cover page, not front matter
    (foreword, introduction) unless ``front_matter``, and not a bare label (a heading with no
    text, no sub-clauses and no table, such as the document title over the first clause)."""
    parents = {c.parent for c in doc.clauses if c.parent}
    tabled = {t.clause_id for t in doc.tables if t.clause_id}

    def bare(c: Clause) -> bool:  # an unnumbered title line over nothing
        return (
            c.kind == "heading"
            and not c.text.strip()
            and c.id not in parents
            and c.id not in tabled
        )

    return [
        c
        for c in doc.clauses
        if c.kind != "toc"
        and not is_cover(c)
        and (front_matter or c.kind != "front")
        and (c.heading or c.text).strip()
        and not bare(c)
    ]


@dataclass(frozen=True)
class Scored:
    """Everything the aligner computed for one document pair (for evaluation and debugging)."""

    a: tuple[Clause, ...]
    b: tuple[Clause, ...]
    features: FeatureSet
    allowed: np.ndarray
    prob: np.ndarray
    mode: str
    tau: float
    first: np.ndarray | None = None


def score_clauses(
    a: Document,
    b: Document,
    embedder: Embedder,
    *,
    settings: AlignSettings | None = None,
    glossary: Glossary | None = None,
) -> Scored:
    """Features, candidate mask and calibrated probabilities of all clause pairs."""
    st = (settings or AlignSettings()).resolve()
    g = glossary if glossary is not None else default_glossary()
    ca, cb = alignable(a, st.front_matter), alignable(b, st.front_matter)
    tab_a, tab_b = table_texts(a), table_texts(b)
    ta = clause_texts(ca, st.max_chars, tab_a)
    tb = clause_texts(cb, st.max_chars, tab_b)
    tia = [clause_title(c) for c in ca]
    tib = [clause_title(c) for c in cb]
    title_cos = np.full((len(ca), len(cb)), np.nan)
    if ca and cb:
        titles = [t for t in dict.fromkeys(tia + tib) if t]
        emb = np.asarray(embedder.encode(ta + tb + titles), dtype=np.float32)
        na, nb = len(ta), len(tb)
        ea, eb = emb[:na], emb[na : na + nb]
        cos = np.clip(ea @ eb.T, -1.0, 1.0).astype(np.float64)
        if titles:
            tv = {t: emb[na + nb + k] for k, t in enumerate(titles)}
            ra = [i for i, t in enumerate(tia) if t]
            rb = [j for j, t in enumerate(tib) if t]
            if ra and rb:
                va = np.vstack([tv[tia[i]] for i in ra])
                vb = np.vstack([tv[tib[j]] for j in rb])
                title_cos[np.ix_(ra, rb)] = np.clip(va @ vb.T, -1.0, 1.0)
    else:
        cos = np.zeros((len(ca), len(cb)))
    xa = [extract_anchors(t, a.language, g) for t in clause_texts(ca, ANCHOR_CHARS, tab_a)]
    xb = [extract_anchors(t, b.language, g) for t in clause_texts(cb, ANCHOR_CHARS, tab_b)]
    title_agree, title_conflict = title_concept_agreement(
        _topic_concepts(ca, g),
        _topic_concepts(cb, g),
        g,
        own_a=[_title_concepts(c, g) for c in ca],
        own_b=[_title_concepts(c, g) for c in cb],
    )
    same_id = clause_id_agreement([c.id for c in ca], [c.id for c in cb])
    fs = features(
        cos,
        anchor_agreement(xa, xb),
        _both(xa, xb, lambda x: bool(x.tokens)),
        concept_agreement(xa, xb, g),
        _both(xa, xb, lambda x: bool(x.concepts)),
        title_agree,
        title_conflict,
        same_id,
        title_cos=title_cos,
        sections=title_concept_agreement(
            [section_types(clause_title(c)) for c in ca],
            [section_types(clause_title(c)) for c in cb],
        ),
        cover=np.maximum(
            anchor_agreement(xa, xb, containment=True),
            concept_agreement(xa, xb, g, containment=True),
        ),
        band=getattr(embedder, "band", None),
    )
    allowed = candidates(cos, fs.values["anchor"], st.top_k)
    allowed |= (title_agree > 0) | (same_id > 0)
    scored = Scored(tuple(ca), tuple(cb), fs, allowed, np.zeros_like(cos), st.mode, 0.0)
    return rescore(scored, st.calibration, st.context)


def _title_concepts(c: Clause, g: Glossary) -> set[str]:
    title = clause_title(c)
    return {m.concept_id for m in g.find(title)} if title and len(g) else set()


def _topic_concepts(clauses: Sequence[Clause], g: Glossary) -> list[set[str]]:
    """Concepts named in each clause's title, else in its nearest titled ancestor's: the
    subject of "4.1.1 食品中铅限量指标见表1" is that of its heading "4.1 铅"."""
    own = [_title_concepts(c, g) for c in clauses]
    parents = _parents(clauses)
    out = []
    for k in range(len(clauses)):
        seen = {k}
        cur = k
        while not own[cur] and parents[cur] >= 0 and parents[cur] not in seen:
            cur = parents[cur]
            seen.add(cur)
        out.append(own[cur])
    return out


def _parents(clauses: Sequence[Clause]) -> list[int]:
    index = {c.id: k for k, c in enumerate(clauses)}
    return [index.get(c.parent, -1) if c.parent else -1 for c in clauses]


def _both(
    xa: Sequence[Anchors], xb: Sequence[Anchors], has: Callable[[Anchors], bool]
) -> np.ndarray:
    fa = np.array([1.0 if has(x) else 0.0 for x in xa])
    fb = np.array([1.0 if has(x) else 0.0 for x in xb])
    return np.outer(fa, fb)


def candidates(cos: np.ndarray, anchor: np.ndarray, k: int) -> np.ndarray:
    """Top ``k`` by embedding in each row and each column, plus strong anchor agreements."""
    na, nb = cos.shape
    allowed = np.zeros((na, nb), dtype=bool)
    if na == 0 or nb == 0:
        return allowed
    kr, kc = min(k, nb), min(k, na)
    top_r = np.argpartition(-cos, kr - 1, axis=1)[:, :kr]
    allowed[np.arange(na)[:, None], top_r] = True
    top_c = np.argpartition(-cos, kc - 1, axis=0)[:kc, :]
    allowed[top_c, np.arange(nb)[None, :]] = True
    allowed |= anchor >= 0.6
    return allowed


def _declared_parallel(a: Document, b: Document) -> bool:
    """A declares itself an IDT/MOD adoption of B (or the reverse), by code number."""
    for x, y in ((a, b), (b, a)):
        ad = x.metadata.adoption
        code = y.metadata.code or ""
        if ad is None or ad.degree.upper() not in ("IDT", "MOD") or not code:
            continue
        nums_ad = set(re.findall(r"\d{3,}", ad.standard))
        nums_code = set(re.findall(r"\d{3,}", code))
        if nums_ad & nums_code:
            return True
    return False


def choose_mode(scored: Scored, a: Document, b: Document, st: AlignSettings) -> tuple[str, float]:
    """The assignment mode for ``auto``, and Kendall's tau of the confident 1:1 pairs."""
    gain = _gain(scored, st.min_score)
    core = assign.one_to_one(gain)
    confident = [(i, j) for i, j in core if scored.prob[i, j] >= st.review_score]
    tau = assign.order_agreement(confident)
    if st.mode != "auto":
        return st.mode, tau
    if _declared_parallel(a, b):
        return "monotone", tau
    if len(confident) >= st.auto_min_pairs and tau >= st.auto_tau:
        return "monotone", tau
    return "one_to_one", tau


def _gain(scored: Scored, min_score: float) -> np.ndarray:
    p = np.clip(scored.prob, 1e-9, 1 - 1e-9)
    t = min(max(min_score, 1e-6), 1 - 1e-6)
    gain = np.log(p / (1 - p)) - np.log(t / (1 - t))
    gain = np.where(scored.allowed & (p >= min_score), np.maximum(gain, 1e-6), 0.0)
    return np.asarray(gain)


def align_clauses(
    a: Document,
    b: Document,
    embedder: Embedder,
    *,
    settings: AlignSettings | None = None,
    glossary: Glossary | None = None,
) -> tuple[ClausePair, ...]:
    """Clause pairs between ``a`` and ``b`` in document order of A (then of B)."""
    st = (settings or AlignSettings()).resolve()
    scored = score_clauses(a, b, embedder, settings=st, glossary=glossary)
    return pairs_from_scores(scored, a, b, st)


def pairs_from_scores(
    scored: Scored, a: Document, b: Document, st: AlignSettings
) -> tuple[ClausePair, ...]:
    ca, cb = scored.a, scored.b
    if not ca or not cb:
        return ()
    mode, tau = choose_mode(scored, a, b, st)
    scored = replace(scored, mode=mode, tau=tau)
    gain = _gain(scored, st.min_score)
    if mode == "best":
        links = assign.best_matches(gain)
    else:
        core = assign.monotone(gain) if mode == "monotone" else assign.one_to_one(gain)
        links = (
            assign.extend(
                core,
                scored.prob,
                scored.allowed,
                min_prob=st.extend_score,
                keep_order=mode == "monotone",
                parent_a=_parents(ca),
                parent_b=_parents(cb),
            )
            if st.extend
            else [(i, j, "1:1") for i, j in core]
        )
    prob = scored.prob
    groups_a: dict[int, set[int]] = {}
    groups_b: dict[int, set[int]] = {}
    for i, j, _ in links:
        groups_a.setdefault(i, set()).add(j)
        groups_b.setdefault(j, set()).add(i)
    anchor = scored.features.values["anchor"]
    concept = scored.features.values["concept"]
    out = []
    for i, j, link in links:
        score = float(prob[i, j])
        row = prob[i].copy()
        row[list(groups_a[i])] = -1.0
        col = prob[:, j].copy()
        col[list(groups_b[j])] = -1.0
        runner = max(float(row.max()) if row.size else -1.0, float(col.max()) if col.size else -1.0)
        margin = score - max(runner, 0.0)
        evidence = "hybrid" if anchor[i, j] > 0 or concept[i, j] > 0 else "embedding"
        method = (
            evidence
            if link == "1:1" and mode == "one_to_one"
            else f"{evidence}-{link if link != '1:1' else 'monotone'}"
        )
        out.append(
            ClausePair(
                a_id=ca[i].id,
                b_id=cb[j].id,
                a_text=clause_text(ca[i], st.max_chars),
                b_text=clause_text(cb[j], st.max_chars),
                score=round(score, 4),
                method=method,
                a_page=ca[i].page,
                b_page=cb[j].page,
                margin=round(margin, 4),
                review=score < st.review_score or margin < st.review_margin,
            )
        )
    return tuple(out)


def rescore(scored: Scored, calibration: Calibration, context: Calibration | None) -> Scored:
    """Probabilities of the pairs under the given first- and second-stage calibrations."""
    if context is None:
        prob = sigmoid(calibration.logit(scored.features.values))
        return replace(scored, prob=prob, first=prob)
    fs, first = with_context(scored.features, calibration, _parents(scored.a), _parents(scored.b))
    return replace(scored, features=fs, prob=sigmoid(context.logit(fs.values)), first=first)
