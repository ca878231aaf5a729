"""Clause alignment across languages: retrieve by embedding, rescore, assign.

1. Every clause is embedded (heading + the start of its text; a clause without a title of its
   own is preceded by its ancestors' titles; a bare heading is followed by its sub-clauses)
   through the given embedder (wrap it in :class:`~stdcompare.alignment.cache.CachedEmbedder`
   so reruns never re-encode); so are its title and, for a clause of several paragraphs or
   list items, each of them.
2. For each clause the top ``k`` clauses of the other document by embedding (both directions)
   are the candidates; pairs whose anchors agree strongly, whose titles name the same concept
   or section type, or whose titles are close are added.
3. Candidates are rescored (:mod:`.fusion`): standardised embedding similarity (of the whole
   clauses, of the titles, and of a clause against the best paragraph of the other), anchors
   (numbers, quantities, units, symbols, codes, INS numbers, references — :mod:`.anchors`),
   glossary concept agreement, section types and clause-number agreement give a calibrated
   probability; a second stage adds the clause tree (parents' pairs, children's pairs, the
   lead over rivals that are not the clause's own ancestors or sub-clauses).
4. Assignment (:mod:`.assign`): one-to-one (Hungarian), or monotone when the documents run in
   parallel — chosen by ``AlignSettings.mode``; ``"auto"`` picks monotone when the confident
   pairs keep document order or when A declares itself an IDT/MOD adoption of B. In monotone
   mode a pair inside another pair's clause does not count as crossing it. Then 1:n and n:1
   links are added for clauses answered by several numbered entries. Recitals (kinds in
   :data:`FREE_KINDS`) explain rather than prescribe: each is linked to the clause it best
   explains, outside the one-to-one and order constraints.
5. Every pair carries its probability (``score``), its lead over the runner-up in its row or
   column (``margin``), and ``review=True`` when either is low. Pairs below ``min_score`` are
   not reported; pairs marked for review are.
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
    concept_cover,
    extract_anchors,
    section_types,
    section_within,
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
    align forewords and introductions (not normative content, so off by default). Scores are
    probabilities (0..1) from ``calibration``; ``min_score`` drops pairs (its default is the
    threshold ``benchmarks/eval_alignment.py --cv`` chooses on the corpora, a choice it
    validates pair by pair on the other pairs), ``review_score``/``review_margin`` flag them.
    ``top_k``: embedding candidates per clause and direction. ``extend``: allow 1:n / n:1
    links with probability ≥ ``extend_score``. ``auto_tau``: Kendall's tau of the confident
    pairs above which ``auto`` aligns monotonically. ``context_titles``: embed a clause that
    has no title of its own after its ancestors' titles ("指标要求 › 铅 › 食品中铅限量指标见表1").
    """

    mode: str = "auto"
    top_k: int = 10
    min_score: float = 0.35
    review_score: float = 0.7
    review_margin: float = 0.15
    extend: bool = True
    extend_score: float = 0.2
    auto_tau: float = 0.85
    auto_min_pairs: int = 4
    max_chars: int = MAX_CHARS
    front_matter: bool = False
    context_titles: bool = True
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


def own_text(c: Clause, tables: dict[str, str], max_chars: int = ANCHOR_CHARS) -> str:
    """A clause's heading, text and tables, without its sub-clauses."""
    t = tables.get(c.id, "")
    return (f"{c.full_text}\n{t}" if t else c.full_text)[:max_chars]


def clause_texts(
    clauses: Sequence[Clause],
    max_chars: int = MAX_CHARS,
    tables: dict[str, str] | None = None,
    with_context: bool = False,
) -> list[str]:
    """The text each clause is embedded by: heading, body and its tables; a clause with little
    body of its own (a heading over numbered sub-clauses, an article whose paragraphs are
    separate clauses) is followed by its sub-clauses' text, up to ``max_chars``. With
    ``with_context`` a clause without a title of its own is preceded by its ancestors' titles
    ("指标要求 › 铅 › 食品中铅限量指标见表1"), which say what it is about."""
    tables = tables or {}
    children: dict[str, list[Clause]] = {}
    for c in clauses:
        if c.parent:
            children.setdefault(c.parent, []).append(c)

    def own(c: Clause) -> str:
        t = tables.get(c.id, "")
        return f"{c.full_text}\n{t}" if t else c.full_text

    by_id = {c.id: c for c in clauses}

    def context(c: Clause) -> str:
        """The titles of the clause's ancestors, outermost first ("指标要求 › 铅")."""
        chain: list[str] = []
        p = by_id.get(c.parent) if c.parent else None
        while p is not None and len(chain) < 4 and p.id not in chain:
            t = clause_title(p)
            if t:
                chain.append(t)
            p = by_id.get(p.parent) if p.parent else None
        return " › ".join(reversed(chain))

    out = []
    for c in clauses:
        text = own(c)
        if with_context and not clause_title(c) and (ctx := context(c)):
            text = f"{ctx} › {text}"
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


MAX_PARTS = 12
_PART_MIN = {"zh": 6}


def clause_parts(
    clauses: Sequence[Clause], max_parts: int = MAX_PARTS
) -> tuple[list[str], np.ndarray]:
    """The paragraphs and list items of each clause's own text (for :func:`part_similarity`),
    and the index of the clause each belongs to. Clauses of one paragraph have none: their
    whole text already stands for it."""
    parts: list[str] = []
    owner: list[int] = []
    for k, c in enumerate(clauses):
        paras = [p.strip() for p in c.text.split("\n") if len(p.strip()) >= 6]
        if len(paras) < 2:
            continue
        for p in paras[:max_parts]:
            parts.append(p[:MAX_CHARS])
            owner.append(k)
    return parts, np.asarray(owner, dtype=np.int64)


def part_similarity(
    ea: np.ndarray,
    eb: np.ndarray,
    pa: np.ndarray,
    oa: np.ndarray,
    pb: np.ndarray,
    ob: np.ndarray,
    cos: np.ndarray,
) -> np.ndarray:
    """For each pair, the best cosine between one clause and a single paragraph of the other
    (or the whole-clause cosine when that is higher): high when a clause answers one item of
    a longer clause — editions that merge "4.1.1 … 4.1.5" into the list of "4.1", a row of
    requirements split into numbered entries."""
    out = cos.copy()
    if len(pa):
        sims = np.clip(pa @ eb.T, -1.0, 1.0)  # parts of A × clauses of B
        starts = np.flatnonzero(np.r_[True, oa[1:] != oa[:-1]])
        best = np.maximum.reduceat(sims, starts, axis=0)
        rows = oa[starts]
        out[rows] = np.maximum(out[rows], best)
    if len(pb):
        sims = np.clip(ea @ pb.T, -1.0, 1.0)  # clauses of A × parts of B
        starts = np.flatnonzero(np.r_[True, ob[1:] != ob[:-1]])
        best = np.maximum.reduceat(sims, starts, axis=1)
        cols = ob[starts]
        out[:, cols] = np.maximum(out[:, cols], best)
    return out


#: A paragraph counts in a merge run when it is the clause's most similar paragraph in the
#: whole other document and that similarity is this many robust standard deviations above
#: the document pair's typical clause similarity (embeddings), or its character n-grams are
#: this similar (documents in the same language).
RUN_Z = 1.0
RUN_LEXICAL = 0.3


def _best_in_row(sim: np.ndarray) -> np.ndarray:
    return np.asarray(sim >= sim.max(axis=1, keepdims=True) - 1e-9)


def merge_runs(
    ca: Sequence[Clause],
    cb: Sequence[Clause],
    ea: np.ndarray,
    eb: np.ndarray,
    pa: np.ndarray,
    oa: np.ndarray,
    pb: np.ndarray,
    ob: np.ndarray,
    cos: np.ndarray,
    texts_a: Sequence[str],
    texts_b: Sequence[str],
    *,
    same_language: bool = False,
    band: tuple[float, float] | None = None,
) -> np.ndarray:
    """The ``part_run`` feature (:func:`.merges.part_runs`) in both directions: consecutive
    sibling clauses of A answering consecutive paragraphs of one clause of B, and the
    reverse; by embedding, and by characters when both documents are in one language."""
    from .fusion import standardise
    from .merges import cosine, gram_vectors, next_siblings, part_runs

    na, nb = cos.shape
    out = np.zeros((na, nb))
    loc, scale = standardise(cos, band)
    nxt_a, nxt_b = next_siblings(_parents(ca)), next_siblings(_parents(cb))
    grams = None
    if same_language and (len(texts_a) or len(texts_b)):
        grams = gram_vectors([c.full_text for c in ca], texts_b, [c.full_text for c in cb], texts_a)
    for e_x, parts, owner, n_y, nxt, flip in (
        (ea, pb, ob, nb, nxt_a, False),
        (eb, pa, oa, na, nxt_b, True),
    ):
        if not len(parts):
            continue
        sim = np.clip(e_x @ parts.T, -1.0, 1.0)
        strong = _best_in_row(sim) & ((sim - loc) / scale >= RUN_Z)
        runs = part_runs(sim, owner, n_y, nxt, strong)
        if grams is not None:
            lex = cosine(grams[2], grams[3]) if flip else cosine(grams[0], grams[1])
            lex_strong = _best_in_row(lex) & (lex >= RUN_LEXICAL)
            runs = np.maximum(runs, part_runs(lex, owner, n_y, nxt, lex_strong))
        out = np.maximum(out, runs.T if flip else runs)
    return out


def _same_language(a: Document, b: Document) -> bool:
    la, lb = (a.language or "").split("-")[0].lower(), (b.language or "").split("-")[0].lower()
    return bool(la) and la == lb


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
    title = _squash(doc.metadata.title or "")

    def bare(c: Clause) -> bool:  # an unnumbered title line over nothing
        if c.kind != "heading" or c.id in parents or c.id in tabled:
            return False
        if not c.text.strip():
            return True
        # the document title over the first clause (its wrapped second line as "text")
        whole = _squash(c.full_text)
        return c.parent is None and len(whole) >= 4 and bool(title) and whole in title

    return [
        c
        for c in doc.clauses
        if c.kind != "toc"
        and not is_cover(c)
        and (front_matter or c.kind != "front")
        and (c.heading or c.text).strip()
        and not bare(c)
    ]


def _squash(s: str) -> str:
    return re.sub(r"[\W_]+", "", s.lower())


#: Clause kinds that explain rather than prescribe (EU recitals): each is linked to the clause
#: it best explains, outside the one-to-one / monotone assignment of the normative clauses.
FREE_KINDS = frozenset({"recital"})


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
    #: :func:`~stdcompare.alignment.anchors.concept_cover` of every pair (the many-to-many
    #: ``cover`` rule of :func:`~stdcompare.alignment.assign.closure`)
    concepts_cover: np.ndarray | None = None


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
    ta = clause_texts(ca, st.max_chars, tab_a, with_context=st.context_titles)
    tb = clause_texts(cb, st.max_chars, tab_b, with_context=st.context_titles)
    tia = [clause_title(c) for c in ca]
    tib = [clause_title(c) for c in cb]
    title_cos = np.full((len(ca), len(cb)), np.nan)
    part_cos = None
    runs = None
    if ca and cb:
        titles = [t for t in dict.fromkeys(tia + tib) if t]
        sa, oa = clause_parts(ca)
        sb, ob = clause_parts(cb)
        emb = np.asarray(embedder.encode(ta + tb + titles + sa + sb), dtype=np.float32)
        na, nb = len(ta), len(tb)
        ea, eb = emb[:na], emb[na : na + nb]
        cos = np.clip(ea @ eb.T, -1.0, 1.0).astype(np.float64)
        at = na + nb + len(titles)
        pva, pvb = emb[at : at + len(sa)], emb[at + len(sa) :]
        part_cos = part_similarity(ea, eb, pva, oa, pvb, ob, cos)
        runs = merge_runs(
            ca, cb, ea, eb, pva, oa, pvb, ob, cos, sa, sb,
            same_language=_same_language(a, b), band=getattr(embedder, "band", None),
        )  # fmt: skip
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
    # anchors of what each clause states itself (its text and tables): the numbers of a table
    # belong to the clause that holds it, not to the heading above it, whose pairs the clause
    # tree (the "parent"/"family" features) and its rolled-up embedding text account for
    xa = [extract_anchors(own_text(c, tab_a), a.language, g) for c in ca]
    xb = [extract_anchors(own_text(c, tab_b), b.language, g) for c in cb]
    title_agree, title_conflict = title_concept_agreement(
        _topic_concepts(ca, g),
        _topic_concepts(cb, g),
        g,
        own_a=[_title_concepts(c, g) for c in ca],
        own_b=[_title_concepts(c, g) for c in cb],
    )
    same_id = clause_id_agreement([c.id for c in ca], [c.id for c in cb])
    held = concept_cover(xa, xb)
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
        part_cos=part_cos,
        sections=_section_agreement(ca, cb),
        cover=np.maximum(anchor_agreement(xa, xb, containment=True), held),
        band=getattr(embedder, "band", None),
        part_run=runs,
    )
    allowed = candidates(cos, fs.values["anchor"], st.top_k)
    # structural evidence brings in pairs the embedding ranks low: a shared title concept or
    # section type ("术语和定义" / "Definitions"), the same clause number, close titles
    allowed |= (title_agree > 0) | (same_id > 0) | (fs.values["section_agree"] > 0)
    allowed |= fs.values["title_z"] >= 2.0
    allowed |= fs.values["part_run"] > 0
    scored = Scored(
        tuple(ca), tuple(cb), fs, allowed, np.zeros_like(cos), st.mode, 0.0, concepts_cover=held
    )
    return rescore(scored, st.calibration, st.context)


#: Section types that agree with their kind but conflict with no other type.
WEAK_SECTION_TYPES = frozenset({"general"})
#: Section types whose clauses answer only clauses of the same type: a term entry defines a
#: word, and a clause in no typed section (Article 6(d) "for water used in a food business")
#: is no definition of it.
EXCLUSIVE_SECTION_TYPES = frozenset({"terms"})


def _section_agreement(ca: Sequence[Clause], cb: Sequence[Clause]) -> tuple[np.ndarray, np.ndarray]:
    """Agreement of the section types two titles name ("术语和定义" / "Definitions"), and
    conflict of the types of their sections: a clause without a title of its own is in its
    nearest titled ancestor's section, so "4.1" of "Статья 4 Требования" (requirements) does
    not answer "9 标准的实施" (implementation)."""
    own_a = [section_types(clause_title(c)) for c in ca]
    own_b = [section_types(clause_title(c)) for c in cb]
    agree = _type_agreement(own_a, own_b)
    within = section_within()
    # "General obligations", "总则" may hold any requirement: such a section conflicts with none;
    # a contaminants chapter is part of the requirements and does not conflict with them
    firm_a = [{*t, *(within[x] for x in t if x in within)} - WEAK_SECTION_TYPES for t in own_a]
    firm_b = [{*t, *(within[x] for x in t if x in within)} - WEAK_SECTION_TYPES for t in own_b]
    in_a, in_b = _inherited(ca, firm_a), _inherited(cb, firm_b)
    _, conflict = title_concept_agreement(in_a, in_b, own_a=firm_a, own_b=firm_b)
    ex_a = np.array([bool(t & EXCLUSIVE_SECTION_TYPES) for t in in_a], dtype=bool)
    ex_b = np.array([bool(t & EXCLUSIVE_SECTION_TYPES) for t in in_b], dtype=bool)
    bare_a = np.array([not t for t in in_a], dtype=bool)
    bare_b = np.array([not t for t in in_b], dtype=bool)
    one_sided = np.outer(ex_a, bare_b) | np.outer(bare_a, ex_b)
    return agree, np.maximum(conflict, one_sided.astype(conflict.dtype))


def _type_agreement(own_a: Sequence[set[str]], own_b: Sequence[set[str]]) -> np.ndarray:
    """For each pair of titles, the best single section type they share, weighted
    1 / √(titles of A of that type × titles of B of that type): a type every chapter names
    ("…卫生要求" in three GB chapters) says little about which chapter is which, and two
    types of one title ("二次供水卫生要求": hygiene, requirements) are one piece of evidence,
    not two."""
    na, nb = len(own_a), len(own_b)
    out = np.zeros((na, nb))
    for t in set().union(*own_a, *own_b) if na and nb else ():
        ha = np.array([t in x for x in own_a], dtype=np.float64)
        hb = np.array([t in x for x in own_b], dtype=np.float64)
        if ha.any() and hb.any():
            w = 1.0 / np.sqrt(ha.sum() * hb.sum())
            out = np.maximum(out, w * np.outer(ha, hb))
    return out


def _title_concepts(c: Clause, g: Glossary) -> set[str]:
    title = clause_title(c)
    return {m.concept_id for m in g.find(title)} if title and len(g) else set()


def _topic_concepts(clauses: Sequence[Clause], g: Glossary) -> list[set[str]]:
    """Concepts named in each clause's title, else in its nearest titled ancestor's: the
    subject of "4.1.1 食品中铅限量指标见表1" is that of its heading "4.1 铅"."""
    return _inherited(clauses, [_title_concepts(c, g) for c in clauses])


def _inherited(clauses: Sequence[Clause], own: list[set[str]]) -> list[set[str]]:
    """Each clause's own set, else its nearest ancestor's that is not empty."""
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


def _free(clauses: Sequence[Clause]) -> np.ndarray:
    return np.array([c.kind in FREE_KINDS for c in clauses], dtype=bool)


def _free_mask(scored: Scored) -> np.ndarray:
    fa, fb = _free(scored.a), _free(scored.b)
    return np.asarray(fa[:, None] | fb[None, :])


def _core_gain(scored: Scored, min_score: float) -> np.ndarray:
    """The gain of the normative clauses (free ones — recitals — are assigned apart)."""
    gain = _gain(scored, min_score)
    fa, fb = _free(scored.a), _free(scored.b)
    if fa.any() or fb.any():
        gain = gain.copy()
        gain[fa, :] = 0.0
        gain[:, fb] = 0.0
    return gain


def free_links(scored: Scored, gain: np.ndarray) -> list[tuple[int, int]]:
    """Each free clause (a recital) with the clause of the other side it best explains."""
    out = []
    fa, fb = _free(scored.a), _free(scored.b)
    for jj in np.flatnonzero(fb):
        col = np.where(fa, 0.0, gain[:, jj])
        best = int(np.argmax(col)) if col.size else 0
        if col.size and col[best] > 0:
            out.append((best, int(jj)))
    for ii in np.flatnonzero(fa):
        row = np.where(fb, 0.0, gain[ii])
        best = int(np.argmax(row)) if row.size else 0
        if row.size and row[best] > 0:
            out.append((int(ii), best))
    return out


def choose_mode(scored: Scored, a: Document, b: Document, st: AlignSettings) -> tuple[str, float]:
    """The assignment mode for ``auto``, and Kendall's tau of the confident 1:1 pairs."""
    gain = _core_gain(scored, st.min_score)
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
    full_gain = _gain(scored, st.min_score)
    gain = _core_gain(scored, st.min_score)
    if mode == "best":
        links = assign.best_matches(gain)
    else:
        core = assign.monotone(gain) if mode == "monotone" else assign.one_to_one(gain)
        if mode == "monotone":
            core = sorted(core + assign.nested(core, gain, _parents(ca), _parents(cb)))
        links = (
            assign.extend(
                core,
                scored.prob,
                scored.allowed & ~_free_mask(scored),
                min_prob=st.extend_score,
                keep_order=mode == "monotone",
                parent_a=_parents(ca),
                parent_b=_parents(cb),
                support=None
                if mode == "monotone"
                else (scored.features.values["part_run"] > 0) | (scored.prob >= st.review_score),
            )
            if st.extend
            else [(i, j, "1:1") for i, j in core]
        )
        if st.extend:
            links = assign.many_to_many(
                links,
                scored.prob,
                min_prob=st.extend_score,
                parent_a=_parents(ca),
                parent_b=_parents(cb),
                # parallel documents cut the matter alike: no one-to-many by content there
                cover=None if mode == "monotone" else scored.concepts_cover,
                run=scored.features.values["part_run"],
                keep_order=mode == "monotone",
                exclude_a=_free(ca),
                exclude_b=_free(cb),
            )
    linked_a = {i for i, _, _ in links}
    linked_b = {j for _, j, _ in links}
    for i, j in free_links(scored, full_gain):
        kind = "1:1" if i not in linked_a and j not in linked_b else "explains"
        links.append((i, j, kind))
    links.sort()
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
