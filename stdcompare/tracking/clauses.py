"""Clause diff of two editions: unchanged, moved, reworded, new and removed clauses.

1. Clauses whose heading and text are the same (ignoring case, spacing and full-width
   forms) are paired first under the same number (unchanged), then under another number
   (``moved``).
2. The rest are scored pairwise with rapidfuzz (the ``ratio`` of bodies and of headings,
   weighted) and paired one-to-one by the assignment that maximises the total score; pairs
   scoring at least ``reworded_min`` are ``reworded``. A clause that kept its number and its
   heading (or a named front-matter clause such as the foreword) is paired with its
   successor however much the text changed — it is the same clause rewritten.
3. Whatever is left is ``removed`` (old edition) or ``new`` (new edition).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Clause, Document
from .model import ClauseChange

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ClauseDiffSettings:
    """Thresholds of the clause diff (scores are 0..1).

    ``reworded_min``: the lowest score at which two clauses count as one clause reworded
    (below it they are one removed and one new clause). ``heading_weight``: the share of the
    heading in the score when both clauses have body text. ``same_number_bonus``: added when
    the number is unchanged, so a tie goes to the clause that kept its number.
    ``same_number_min``: the lower score that suffices when the number is unchanged.
    ``contained_min``: the overlap and partial-ratio score at which a removed clause's text
    counts as merged into a longer new clause (or a new clause as split from an old one).
    """

    reworded_min: float = 0.6
    heading_weight: float = 0.25
    same_number_bonus: float = 0.05
    same_number_min: float = 0.4
    contained_min: float = 0.6

    def __post_init__(self) -> None:
        from ..errors import StdCompareError

        if not 0.0 < self.reworded_min <= 1.0:
            raise StdCompareError("reworded_min must be in (0, 1]")
        if not 0.0 <= self.heading_weight <= 1.0:
            raise StdCompareError("heading_weight must be in [0, 1]")


def norm(text: str) -> str:
    """Comparison form: NFKC, case-folded, without whitespace (PDF line breaks differ)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).casefold())


def words(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed: the form word shingles are taken from."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def comparable_clauses(doc: Document) -> list[Clause]:
    """The clauses worth diffing: everything but tables of contents and empty shells."""
    return [c for c in doc.clauses if c.kind != "toc" and (c.heading.strip() or c.text.strip())]


def diff_clauses(
    old: Document, new: Document, settings: ClauseDiffSettings | None = None
) -> tuple[list[ClauseChange], int]:
    """The changed clauses (in the new edition's order) and the number of unchanged ones."""
    st = settings or ClauseDiffSettings()
    olds, news = comparable_clauses(old), comparable_clauses(new)
    ho = [norm(c.heading) for c in olds]
    hn = [norm(c.heading) for c in news]
    bo = [norm(c.text) for c in olds]
    bn = [norm(c.text) for c in news]
    match: dict[int, int] = {}  # old index -> new index
    kind: dict[int, str] = {}
    sims: dict[int, float] = {}

    # 1. identical text: same number first, then anywhere (moved)
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for j in range(len(news)):
        by_key[(hn[j], bn[j])].append(j)
    used: set[int] = set()
    for same_number in (True, False):
        for i, c in enumerate(olds):
            if i in match:
                continue
            cands = [j for j in by_key[(ho[i], bo[i])] if j not in used]
            if same_number:
                cands = [j for j in cands if news[j].id == c.id]
            if not cands:
                continue
            j = min(cands, key=lambda j: abs(j / max(len(news), 1) - i / max(len(olds), 1)))
            match[i] = j
            used.add(j)
            kind[i] = "unchanged" if news[j].id == c.id else "moved"
            sims[i] = 1.0

    # 2. similar text: one-to-one assignment over the rest; a clause that holds the text of
    #    two or more others (a merge, or a split the other way) is not paired with any of
    #    them unless one kept its number
    wo = [words(c.text) for c in olds]
    wn = [words(c.text) for c in news]
    rest_o = [i for i in range(len(olds)) if i not in match]
    rest_n = [j for j in range(len(news)) if j not in used]
    related: dict[tuple[str, int], str] = {}
    if rest_o and rest_n:
        score = _scores(
            [ho[i] for i in rest_o],
            [hn[j] for j in rest_n],
            [bo[i] for i in rest_o],
            [bn[j] for j in rest_n],
            [wo[i] for i in rest_o],
            [wn[j] for j in rest_n],
            st.heading_weight,
        )
        anchored = np.zeros(score.shape, dtype=bool)
        for a, i in enumerate(rest_o):
            for b, j in enumerate(rest_n):
                if olds[i].id == news[j].id:
                    score[a, b] += st.same_number_bonus
                    anchored[a, b] = _same_place(olds[i], news[j], ho[i], hn[j])
        inside = _containment(
            [wo[i] for i in rest_o],
            [bo[i] for i in rest_o],
            [wn[j] for j in rest_n],
            [bn[j] for j in rest_n],
            st.contained_min,
        )
        best_home = inside.argmax(axis=1)
        for b, j in enumerate(rest_n):  # merges: new clause b holds several old ones
            holders = [int(x) for x in np.flatnonzero(inside[:, b])]
            if len(holders) >= 2:
                for a in holders:
                    if olds[rest_o[a]].id != news[j].id:
                        score[a, b] = -1.0
                        if best_home[a] == b:
                            related[("old", rest_o[a])] = news[j].id
        inside_t = _containment(
            [wn[j] for j in rest_n],
            [bn[j] for j in rest_n],
            [wo[i] for i in rest_o],
            [bo[i] for i in rest_o],
            st.contained_min,
        )
        best_source = inside_t.argmax(axis=1)
        for a, i in enumerate(rest_o):  # splits: old clause a holds several new ones
            parts = [int(x) for x in np.flatnonzero(inside_t[:, a])]
            if len(parts) >= 2:
                for b in parts:
                    if news[rest_n[b]].id != olds[i].id:
                        score[a, b] = -1.0
                        if best_source[b] == a:
                            related[("new", rest_n[b])] = olds[i].id
        from scipy.optimize import linear_sum_assignment

        # anchored pairs win the assignment whatever their text score
        rows, cols = linear_sum_assignment(-(score + 10.0 * anchored))
        for a, b in zip(rows, cols, strict=True):
            i, j = rest_o[a], rest_n[b]
            same = olds[i].id == news[j].id
            if (
                score[a, b] >= st.reworded_min
                or anchored[a, b]
                or (same and score[a, b] >= st.same_number_min)
            ):
                match[i] = j
                used.add(j)
                kind[i] = "reworded"
                sims[i] = round(float(min(score[a, b], 1.0)), 4)

    # 3. what is left: removed and new clauses, with the clause that now holds their text
    removed_o = [i for i in range(len(olds)) if i not in match and ("old", i) not in related]
    new_n = [j for j in range(len(news)) if j not in used and ("new", j) not in related]
    if removed_o:
        hold = _containment(
            [wo[i] for i in removed_o], [bo[i] for i in removed_o], wn, bn, st.contained_min
        )
        for k, i in enumerate(removed_o):
            if hold[k].any():
                related[("old", i)] = news[int(np.argmax(hold[k]))].id
    if new_n:
        hold = _containment(
            [wn[j] for j in new_n], [bn[j] for j in new_n], wo, bo, st.contained_min
        )
        for k, j in enumerate(new_n):
            if hold[k].any():
                related[("new", j)] = olds[int(np.argmax(hold[k]))].id

    changes: list[tuple[tuple[int, int, int], ClauseChange]] = []
    unchanged = 0
    for i, c in enumerate(olds):
        if i in match:
            j = match[i]
            if kind[i] == "unchanged":
                unchanged += 1
                continue
            changes.append(((j, 0, i), _change(kind[i], c, news[j], sims[i])))
        else:
            change = _change("removed", c, None, None, related.get(("old", i)))
            changes.append((_removed_position(i, match), change))
    for j, c in enumerate(news):
        if j not in used:
            changes.append(((j, 0, -1), _change("new", None, c, None, related.get(("new", j)))))
    changes.sort(key=lambda t: t[0])
    return [c for _, c in changes], unchanged


def _same_place(o: Clause, n: Clause, ho: str, hn: str) -> bool:
    """Same number and the same heading (or a named front-matter clause such as the
    foreword): one clause rewritten, however much its text changed."""
    return o.id == n.id and ((bool(ho) and ho == hn) or (o.kind == n.kind == "front"))


def _removed_position(i: int, match: dict[int, int]) -> tuple[int, int, int]:
    """Sort a removed clause after the new-edition counterpart of the old clause before it."""
    for k in range(i - 1, -1, -1):
        if k in match:
            return (match[k], 1, i)
    return (-1, 1, i)


def _containment(
    small_words: Sequence[str],
    small: Sequence[str],
    big_words: Sequence[str],
    big: Sequence[str],
    threshold: float,
) -> np.ndarray:
    """Score matrix (0 where not contained): how fully each ``small`` text sits inside each
    longer ``big`` text — the minimum of the shingle overlap coefficient and the rapidfuzz
    partial ratio, kept when both reach ``threshold``."""
    from rapidfuzz import fuzz

    out = np.zeros((len(small), len(big)), dtype=np.float64)
    if not small or not big:
        return out
    overlap = overlap_matrix(small_words, big_words)
    for a, b in zip(*np.nonzero(overlap >= threshold), strict=True):
        if len(small[a]) < 6 or len(big[b]) <= len(small[a]):
            continue
        pr = fuzz.partial_ratio(small[a], big[b]) / 100.0
        if pr >= threshold:
            out[a, b] = min(float(overlap[a, b]), pr)
    return out


def _change(
    kind: str,
    o: Clause | None,
    n: Clause | None,
    sim: float | None,
    related: str | None = None,
) -> ClauseChange:
    return ClauseChange(
        change=kind,
        old_id=o.id if o else None,
        new_id=n.id if n else None,
        old_heading=o.heading if o else "",
        new_heading=n.heading if n else "",
        old_text=o.text if o else "",
        new_text=n.text if n else "",
        old_page=o.page if o else None,
        new_page=n.page if n else None,
        similarity=sim,
        renumbered=bool(o and n and o.id != n.id),
        related=related,
    )


def _ratio_matrix(xs: Sequence[str], ys: Sequence[str]) -> np.ndarray:
    from rapidfuzz import fuzz, process

    m = process.cdist(xs, ys, scorer=fuzz.ratio, dtype=np.float32, workers=1) / 100.0
    return np.asarray(m, dtype=np.float64)


_WORDS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\W\u3400-\u9fff\uf900-\ufaff]+")


def shingles(text: str) -> set[str]:
    """Words of alphabetic scripts and character bigrams of Chinese runs."""
    out: set[str] = set()
    for m in _WORDS.finditer(text):
        run = m.group(0)
        if "\u3400" <= run[0] <= "\u9fff" or "\uf900" <= run[0] <= "\ufaff":
            out.update(run[k : k + 2] for k in range(max(1, len(run) - 1)))
        else:
            out.add(run)
    return out


def overlap_matrix(xs: Sequence[str], ys: Sequence[str]) -> np.ndarray:
    """Pairwise overlap coefficient |A∩B| / min(|A|, |B|) of the shingle sets (sparse)."""
    from scipy.sparse import csr_matrix

    sx = [shingles(x) for x in xs]
    sy = [shingles(y) for y in ys]
    vocab: dict[str, int] = {}
    for group in (sx, sy):
        for sh in group:
            for t in sh:
                vocab.setdefault(t, len(vocab))

    def matrix(sets: list[set[str]]) -> csr_matrix:
        rows = [k for k, sh in enumerate(sets) for _ in sh]
        cols = [vocab[t] for sh in sets for t in sh]
        data = np.ones(len(rows), dtype=np.float64)
        return csr_matrix((data, (rows, cols)), shape=(len(sets), max(len(vocab), 1)))

    inter = (matrix(sx) @ matrix(sy).T).toarray()
    nx = np.array([len(x) for x in sx], dtype=np.float64)[:, None]
    ny = np.array([len(y) for y in sy], dtype=np.float64)[None, :]
    denom = np.minimum(nx, ny)
    return np.divide(inter, denom, out=np.zeros_like(inter), where=denom > 0)


def _scores(
    ho: Sequence[str],
    hn: Sequence[str],
    bo: Sequence[str],
    bn: Sequence[str],
    wo: Sequence[str],
    wn: Sequence[str],
    heading_weight: float,
) -> np.ndarray:
    """Pairwise clause similarity 0..1 from bodies and headings.

    Bodies are compared by the mean of the rapidfuzz ratio (edit distance: penalises text
    added or dropped) and the overlap coefficient of their word/bigram sets (what share of
    the shorter text's vocabulary the longer one keeps: tolerant of appended notes). Both
    bodies present: weighted mix of body and heading similarity (a missing heading on one
    side counts as 0). No body on either side: the heading ratio alone. A body on one side
    only: the body is compared with the other side's heading and body together.
    """
    body = (_ratio_matrix(bo, bn) + overlap_matrix(wo, wn)) / 2.0
    head = _ratio_matrix(ho, hn)
    whole = _ratio_matrix(
        [h + b for h, b in zip(ho, bo, strict=True)], [h + b for h, b in zip(hn, bn, strict=True)]
    )
    has_bo = np.array([bool(b) for b in bo])[:, None]
    has_bn = np.array([bool(b) for b in bn])[None, :]
    has_ho = np.array([bool(h) for h in ho])[:, None]
    has_hn = np.array([bool(h) for h in hn])[None, :]
    both_heads = has_ho & has_hn
    no_heads = ~has_ho & ~has_hn
    head_part = np.where(both_heads, head, np.where(no_heads, body, 0.0))
    mixed = (1.0 - heading_weight) * body + heading_weight * head_part
    out = np.where(has_bo & has_bn, mixed, np.where(~has_bo & ~has_bn, head, whole))
    return np.asarray(out, dtype=np.float64)


__all__ = ["ClauseDiffSettings", "comparable_clauses", "diff_clauses", "norm"]
