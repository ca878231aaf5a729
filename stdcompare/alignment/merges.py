"""Merges and splits between documents: consecutive clauses of one document that answer, in
order, the paragraphs or list items of one clause of the other.

A new edition merges "4.1.1 不得含有病原微生物 … 4.1.5 应经消毒处理" into the list a)–e) of
one clause "4.1"; an adoption turns "Grade 1: … Grade 2: … Grade 3: …" of one clause into
three numbered clauses "4.1 一级水", "4.2 二级水", "4.3 三级水". Each piece on its own may
resemble the merged clause only weakly (the pieces are short; the merged clause also holds
the others), but together they leave a trace no coincidence does: *consecutive* sibling
clauses whose best-matching paragraphs of the merged clause are *consecutive* too — the
1:n / n:1 beads of sentence aligners such as Bertalign, read off the paragraph similarities
the aligner already has.

:func:`part_runs` finds those runs; its output is a pair feature (``part_run``) of the fusion
model, so a merge still needs the calibrated probability to be linked.

Where the two documents are in the same language (two editions of one standard) the
similarity of a clause and a paragraph is also measured on the characters
(:func:`lexical_similarity`): near-identical short sentences — "生活饮用水中不得含有病原微生物" /
"a）不应含有病原微生物" — are what sentence embeddings separate worst.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

#: Longest run credited in full: a run of this many clauses (or more) scores 1.
FULL_RUN = 3


def next_siblings(parents: Sequence[int]) -> np.ndarray:
    """For each clause, the index of the next clause with the same parent (-1 if none).
    ``parents[i]`` is the index of clause i's parent, -1 for a top-level clause."""
    out = np.full(len(parents), -1, dtype=np.int64)
    last: dict[int, int] = {}
    for i, p in enumerate(parents):
        k = last.get(int(p))
        if k is not None:
            out[k] = i
        last[int(p)] = i
    return out


def part_runs(
    sim: np.ndarray,
    owner: np.ndarray,
    n_owners: int,
    nxt: np.ndarray,
    strong: np.ndarray,
) -> np.ndarray:
    """Runs of consecutive sibling clauses matched, in order, to consecutive paragraphs.

    ``sim`` is clauses of X × paragraphs of Y; ``owner[q]`` the index of the Y clause that
    paragraph q belongs to (paragraphs of one clause are contiguous and in order);
    ``nxt`` the next sibling of each X clause (:func:`next_siblings`); ``strong`` marks the
    cells of ``sim`` high enough to count. Returns ``n_x × n_owners``: for a clause in a run
    of ``L`` ≥ 2 siblings whose best paragraphs of a Y clause follow each other (each the
    next paragraph after the previous clause's), ``min(L - 1, FULL_RUN - 1) / (FULL_RUN - 1)``
    at that Y clause; 0 elsewhere.
    """
    nx = sim.shape[0]
    out = np.zeros((nx, n_owners), dtype=np.float64)
    if nx < 2 or sim.shape[1] < 2:
        return out
    has = np.flatnonzero(nxt >= 0)
    if not len(has):
        return out
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    ends = np.r_[starts[1:], len(owner)]
    rows = np.arange(nx)
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        if e - s < 2:
            continue
        block = sim[:, s:e]
        bp = block.argmax(axis=1)
        ok = strong[:, s:e][rows, bp]
        nb = nxt[has]
        link = ok[has] & ok[nb] & (bp[nb] == bp[has] + 1)
        if not link.any():
            continue
        linked = set(has[link].tolist())  # i → nxt[i] continues a run
        entered = {int(nxt[i]) for i in linked}
        j = int(owner[s])
        for head in linked - entered:
            chain = [head]
            while chain[-1] in linked:
                chain.append(int(nxt[chain[-1]]))
            value = min(len(chain) - 1, FULL_RUN - 1) / (FULL_RUN - 1)
            for k in chain:
                out[k, j] = max(out[k, j], value)
    return out


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LIST_MARK = re.compile(
    r"^\s*(?:[(（]?[a-zа-я0-9ivx]{1,3}[)）.]|[—–-]{1,2}|[•·])\s*", re.IGNORECASE
)
_NON_WORD = re.compile(r"[\W_]+")


def _grams(text: str) -> set[str]:
    """Character bigrams of the text's letters (trigrams for alphabetic scripts), list
    markers and punctuation removed."""
    s = _NON_WORD.sub(" ", _LIST_MARK.sub("", text.lower())).strip()
    if not s:
        return set()
    n = 2 if _CJK.search(s) else 3
    s = s if n == 2 else f" {s} "
    out: set[str] = set()
    for piece in s.split(" ") if n == 2 else [s]:
        out.update(piece[k : k + n] for k in range(max(0, len(piece) - n + 1)))
    return {g for g in out if g.strip()}


def gram_vectors(*groups: Sequence[str]) -> list[object]:
    """Unit-length character n-gram vectors (sparse rows, one per text) of each group of
    texts, over one shared vocabulary, so that any two groups can be compared."""
    from scipy import sparse

    vocab: dict[str, int] = {}
    built = []
    for texts in groups:
        rows, cols = [], []
        for r, t in enumerate(texts):
            for g in _grams(t):
                rows.append(r)
                cols.append(vocab.setdefault(g, len(vocab)))
        built.append((len(texts), rows, cols))
    out = []
    for n, rows, cols in built:
        m = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, max(1, len(vocab))))
        norms = np.sqrt(np.asarray(m.sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        out.append(sparse.diags(1.0 / norms) @ m)
    return out


def lexical_similarity(xs: Sequence[str], ys: Sequence[str]) -> np.ndarray:
    """Cosine of the character n-gram sets of every text of ``xs`` with every text of ``ys``
    (for two documents in the same language)."""
    if not len(xs) or not len(ys):
        return np.zeros((len(xs), len(ys)))
    mx, my = gram_vectors(xs, ys)
    return cosine(mx, my)


def cosine(mx: object, my: object) -> np.ndarray:
    """Dense ``mx @ my.T`` of two groups of :func:`gram_vectors`."""
    return np.asarray((mx @ my.T).todense(), dtype=np.float64)  # type: ignore[attr-defined]
