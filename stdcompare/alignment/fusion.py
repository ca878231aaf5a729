"""Score fusion: embedding similarity, anchors, glossary and numbering → a calibrated probability.

Raw cosine similarities are not comparable between models (multilingual USE puts unrelated
clauses near 0.2, multilingual-e5 near 0.8 with true pairs at 0.87), so the embedding enters
only after standardisation within the document pair:

- ``z``: (cosine − typical cosine of the pair) / its spread, with robust statistics (median
  and MAD) over all clause pairs — almost all of which are unrelated; for small documents the
  statistics shrink towards the embedder's known band when it declares one;
- ``csls``: the same lead, less the mean similarity of each side's nearest neighbours (cross-
  domain similarity local scaling): a clause that resembles everything (a hub) earns less;
- ``lead``: how far the pair stands above the best alternative in its row and column (the
  margin criterion of bitext mining).

These are combined with anchor agreement (numbers, quantities, symbols, codes …), glossary
concept agreement and clause-number agreement in a logistic model whose coefficients
(:class:`Calibration`) were fitted on gold clause pairs (``benchmarks/eval_alignment.py
--fit``); the output is the probability that the two clauses answer to each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Features of a pair on its own (first stage).
PAIR_FEATURES = (
    "z",
    "csls",
    "title_z",
    "part_z",
    "part_run",
    "mutual_best",
    "best_of_one",
    "anchor",
    "anchor_any",
    "concept",
    "concept_any",
    "cover",
    "title_agree",
    "title_conflict",
    "section_agree",
    "section_conflict",
    "same_id",
)
#: Features of a pair among its rivals and in the clause tree (second stage): the first-stage
#: log-odds, its lead over the best rival in the row and the column, the first-stage
#: probability of the parents' pair (or of one clause with the other's parent), and the best
#: first-stage probability among the two clauses' children.
CONTEXT_FEATURES = (
    "logit", "rival_lead", "mutual_best1", "parent", "family", "kids", "merged", "split",
)  # fmt: skip


@dataclass(frozen=True)
class Calibration:
    """A logistic model: ``p = sigmoid(intercept + Σ weight × feature)``."""

    intercept: float
    weights: tuple[tuple[str, float], ...]

    def logit(self, values: dict[str, np.ndarray]) -> np.ndarray:
        out: np.ndarray | float = self.intercept
        for name, w in self.weights:
            out = out + w * values[name]
        return np.asarray(out, dtype=np.float64)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n, _ in self.weights)

    def to_dict(self) -> dict[str, float]:
        return {"intercept": round(self.intercept, 4)} | {n: round(w, 4) for n, w in self.weights}

    @classmethod
    def from_dict(cls, d: dict[str, float]) -> Calibration:
        return cls(
            float(d["intercept"]), tuple((k, float(v)) for k, v in d.items() if k != "intercept")
        )


# Fitted with ``benchmarks/eval_alignment.py --fit`` (see that file for the data and the
# leave-one-pair-out check); the embedder-specific band of raw cosines is standardised away.
#: Prior weights (domain knowledge, before any data): the fitted calibrations below are
#: pulled towards these. A title conflict (lead vs cadmium) all but rules a pair out; a shared
#: title concept or clause number is strong evidence; anchors and the embedding add up.
PAIR_PRIOR = Calibration(
    -4.0,
    (("z", 0.3), ("csls", 0.5), ("title_z", 0.5), ("part_z", 0.3), ("part_run", 2.0),
     ("mutual_best", 1.0),
     ("best_of_one", 0.5),
     ("anchor", 2.0), ("anchor_any", 0.0), ("concept", 1.0), ("concept_any", 0.0),
     ("cover", 0.3), ("section_agree", 3.5), ("section_conflict", -0.5),
     ("title_agree", 2.5), ("title_conflict", -3.0), ("same_id", 1.5)),
)  # fmt: skip
CONTEXT_PRIOR = Calibration(
    0.0,
    (("logit", 1.0), ("rival_lead", 0.5), ("mutual_best1", 0.5), ("parent", 1.0),
     ("family", 0.5), ("kids", 1.0), ("merged", 1.5),
     ("split", 2.0)),
)  # fmt: skip
#: Fitted on the six corpora pairs (2,101 candidate pairs, 91 gold links) with
#: ``benchmarks/eval_alignment.py --fit``, pulled towards the priors above (L2 = 5); the
#: leave-one-pair-out figures of ``--cv`` measure how this fit carries to unseen documents.
PAIR_CALIBRATION = Calibration.from_dict(
    {"intercept": -3.7191, "z": -0.3617, "csls": 0.9248, "title_z": 0.5109, "part_z": 0.6793,
     "part_run": 2.6569, "mutual_best": 1.4471, "best_of_one": 0.596, "anchor": 2.1174,
     "anchor_any": 0.2649, "concept": 0.9462, "concept_any": -0.1013, "cover": 0.6006,
     "title_agree": 3.1014, "title_conflict": -3.028, "section_agree": 4.0014,
     "section_conflict": -1.3595, "same_id": 1.6372}
)  # fmt: skip
CONTEXT_CALIBRATION = Calibration.from_dict(
    {"intercept": -0.2352, "logit": 1.0231, "rival_lead": 0.3251, "mutual_best1": 0.9371,
     "parent": 0.7256, "family": -0.2477, "kids": 0.6271, "merged": 1.3751, "split": 1.859}
)  # fmt: skip


@dataclass(frozen=True)
class FeatureSet:
    """The feature matrices of one document pair (each ``na × nb``) and the raw cosine."""

    cosine: np.ndarray
    values: dict[str, np.ndarray]

    def stack(self, names: Sequence[str]) -> np.ndarray:
        """``na × nb × len(names)``."""
        return np.stack([self.values[f] for f in names], axis=-1)


def standardise(
    cos: np.ndarray, band: tuple[float, float] | None = None, prior_weight: int = 200
) -> tuple[float, float]:
    """Location and scale of the unrelated-pair cosine within this document pair.

    Median and MAD over all cells; with fewer cells than ``prior_weight`` the estimate is
    shrunk towards ``band`` = (typical unrelated cosine, spread) when the embedder gives one.
    """
    flat = cos.ravel()
    n = flat.size
    loc = float(np.median(flat)) if n else 0.0
    mad = float(np.median(np.abs(flat - loc))) * 1.4826 if n else 0.0
    if band is not None:
        w = min(1.0, n / prior_weight)
        loc = w * loc + (1 - w) * band[0]
        mad = w * mad + (1 - w) * band[1]
    elif n < 30:
        mad = max(mad, 0.1)
    return loc, max(mad, 1e-3)


def _topk_mean(m: np.ndarray, k: int, axis: int) -> np.ndarray:
    n = m.shape[axis]
    if n == 0:
        return np.zeros(m.shape[1 - axis])
    k = max(1, min(k, n))
    part = -np.partition(-m, k - 1, axis=axis)
    part = part[:k] if axis == 0 else part[:, :k]
    return np.asarray(part.mean(axis=axis))


def _second_best(m: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Best and second-best value along ``axis`` (second is -inf when there is only one)."""
    n = m.shape[axis]
    if n == 1:
        best = m.max(axis=axis)
        return best, np.full_like(best, -np.inf)
    part = -np.partition(-m, 1, axis=axis)
    if axis == 1:
        return part[:, 0], part[:, 1]
    return part[0], part[1]


def numbering_agreement(
    z: np.ndarray, same_id: np.ndarray, mutual: np.ndarray, *, min_pairs: int = 3
) -> float:
    """How far the two documents share their clause numbering (0..1).

    Among the pairs the embedding alone finds confidently (mutual best, z > 2), the share
    whose clause ids agree — near 1 for an IDT adoption or two editions, near 0 for unrelated
    numbering, where "2" meeting "2" is a coincidence. 0.5 when there are too few such pairs.
    """
    sure = mutual & (z > 2.0)
    n = int(sure.sum())
    if n < min_pairs:
        return 0.5
    return float((same_id[sure] > 0).sum() / n)


def _best_masks(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cells that are the maximum of their row, and of their column."""
    if m.size == 0:
        z = np.zeros(m.shape, dtype=bool)
        return z, z
    return m >= m.max(axis=1, keepdims=True), m >= m.max(axis=0, keepdims=True)


def lead_over_rivals(
    m: np.ndarray,
    parent_a: Sequence[int] | np.ndarray | None = None,
    parent_b: Sequence[int] | np.ndarray | None = None,
    k: int = 6,
) -> np.ndarray:
    """For each cell: its value minus the best *other* value of its row and of its column.

    With the clause trees (``parent_a``/``parent_b``: index of each clause's parent, -1 for
    none) a clause's ancestors and descendants are not its rivals: "4 Requirements" and its
    entry "4.1 Sulfur" may both answer one clause of the other side (a 1:n link), so the
    entry's pair does not lose its lead to the section's. The rival is then the best of the
    ``k`` best cells of the row (column) that is not a relative.
    """
    if m.size == 0:
        return np.zeros_like(m)
    if parent_a is not None and parent_b is not None:
        na, nb = m.shape
        kk = min(k, nb, na)
        if kk >= 2:
            rel_a = _relatives(np.asarray(parent_a, dtype=np.int64))
            rel_b = _relatives(np.asarray(parent_b, dtype=np.int64))
            row_rival = _rival(m, rel_b, min(k, nb))
            col_rival = _rival(m.T, rel_a, min(k, na)).T
            rival = np.maximum(row_rival, col_rival)
            rival = np.where(np.isfinite(rival), rival, m - 1.0)
            return np.asarray(m - rival)
    rb, r2 = _second_best(m, 1)
    cb, c2 = _second_best(m, 0)
    row_rival = np.where(m >= rb[:, None], r2[:, None], rb[:, None])
    col_rival = np.where(m >= cb[None, :], c2[None, :], cb[None, :])
    rival = np.maximum(row_rival, col_rival)
    rival = np.where(np.isfinite(rival), rival, m - 1.0)
    return m - rival


def _relatives(parent: np.ndarray) -> np.ndarray:
    """``n × n``: True where two clauses are the same, or one is an ancestor of the other."""
    n = len(parent)
    rel = np.eye(n, dtype=bool)
    for i in range(n):
        p, seen = int(parent[i]), 0
        while 0 <= p < n and seen < 32:
            rel[i, p] = rel[p, i] = True
            p, seen = int(parent[p]), seen + 1
    return rel


def _rival(m: np.ndarray, rel: np.ndarray, k: int) -> np.ndarray:
    """For each cell (i, j): the best value of row i at a column that is not j nor a relative
    of j, among the row's ``k`` best columns (-inf when all of them are relatives)."""
    na, nb = m.shape
    if nb == 0:
        return np.full_like(m, -np.inf)
    k = max(1, min(k, nb))
    top = np.argpartition(-m, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(m, top, axis=1), axis=1)
    top = np.take_along_axis(top, order, axis=1)  # row's best columns, best first
    rival = np.full(m.shape, -np.inf)
    open_ = np.ones(m.shape, dtype=bool)
    for r in range(k):
        cols = top[:, r]  # (na,)
        vals = m[np.arange(na), cols]  # (na,)
        blocked = rel[cols]  # (na, nb): column j is a relative of this candidate
        take = open_ & ~blocked
        rival = np.where(take, vals[:, None], rival)
        open_ &= blocked
    return rival


def features(
    cos: np.ndarray,
    anchor: np.ndarray,
    anchor_any: np.ndarray,
    concept: np.ndarray,
    concept_any: np.ndarray,
    title_agree: np.ndarray,
    title_conflict: np.ndarray,
    same_id: np.ndarray,
    *,
    title_cos: np.ndarray | None = None,
    part_cos: np.ndarray | None = None,
    cover: np.ndarray | None = None,
    sections: tuple[np.ndarray, np.ndarray] | None = None,
    band: tuple[float, float] | None = None,
    part_run: np.ndarray | None = None,
    k: int = 4,
) -> FeatureSet:
    """The first-stage features of every pair. ``title_cos`` is the cosine of the two
    clauses' titles (NaN where either has none); ``part_cos`` the best cosine between one
    clause and a paragraph of the other (a list item merged into a clause, a clause split in
    two), standardised like the whole-clause cosine into ``part_z``."""
    loc, scale = standardise(cos, band)
    if title_cos is None:
        title_z = np.zeros_like(cos)
    else:
        have = np.isfinite(title_cos)
        tl, ts = standardise(title_cos[have], band) if have.any() else (0.0, 1.0)
        title_z = np.where(have, (np.nan_to_num(title_cos) - tl) / ts, 0.0)
    z = (cos - loc) / scale
    if part_cos is None:
        part_z = np.zeros_like(cos)
    else:
        pl, ps = standardise(part_cos, band)
        part_z = (part_cos - pl) / ps
    r_a = _topk_mean(cos, k, 1)
    r_b = _topk_mean(cos, k, 0)
    csls = (2 * cos - r_a[:, None] - r_b[None, :]) / scale
    best_r, best_c = _best_masks(cos)
    vals = {
        "z": np.clip(z, -5.0, 15.0),
        "csls": np.clip(csls, -10.0, 15.0),
        "title_z": np.clip(title_z, -5.0, 15.0),
        "part_z": np.clip(part_z, -5.0, 15.0),
        "part_run": np.zeros_like(cos) if part_run is None else part_run.astype(np.float64),
        "mutual_best": (best_r & best_c).astype(np.float64),
        "best_of_one": (best_r ^ best_c).astype(np.float64),
        "anchor": anchor.astype(np.float64),
        "anchor_any": anchor_any.astype(np.float64),
        "concept": concept.astype(np.float64),
        "concept_any": concept_any.astype(np.float64),
        "cover": np.zeros_like(cos) if cover is None else cover.astype(np.float64),
        "title_agree": title_agree.astype(np.float64),
        "title_conflict": title_conflict.astype(np.float64),
        "section_agree": np.zeros_like(cos) if sections is None else sections[0].astype(float),
        "section_conflict": np.zeros_like(cos) if sections is None else sections[1].astype(float),
        "same_id": same_id.astype(np.float64) * numbering_agreement(z, same_id, best_r & best_c),
    }
    return FeatureSet(cos, vals)


def with_context(
    fs: FeatureSet, first: Calibration, parent_a: Sequence[int], parent_b: Sequence[int]
) -> tuple[FeatureSet, np.ndarray]:
    """Add the second-stage features computed from the first-stage model ``first``.

    ``parent_a[i]`` is the index of clause i's parent in A (-1 for none); likewise for B.
    Returns the extended features and the first-stage probabilities.
    """
    logit = np.clip(first.logit(fs.values), -20.0, 20.0)
    prob = sigmoid(logit)
    na, nb = prob.shape
    pa = np.asarray(parent_a, dtype=np.int64)
    pb = np.asarray(parent_b, dtype=np.int64)
    ext = np.zeros((na + 1, nb + 1))
    ext[:na, :nb] = prob  # index -1 reads the zero row/column
    rows = np.where(pa >= 0, pa, na)
    cols = np.where(pb >= 0, pb, nb)
    parent = np.maximum.reduce([ext[rows][:, cols], ext[rows][:, :nb], ext[:na][:, cols]])
    # best probability among the children of i (or i) against the children of j (or j)
    fam = prob.copy()
    for i, p in enumerate(pa):
        if p >= 0:
            fam[p] = np.maximum(fam[p], prob[i])
    fam2 = fam.copy()
    for j, p in enumerate(pb):
        if p >= 0:
            fam2[:, p] = np.maximum(fam2[:, p], fam[:, j])
    vals = dict(fs.values)
    vals["logit"] = logit
    # a wide lead over weak rivals says nothing is better, not that the pair is good
    lead = lead_over_rivals(logit, pa, pb)
    if "part_run" in fs.values:
        lead = run_lead(lead, logit, fs.values["part_run"], pa, pb)
    vals["rival_lead"] = np.clip(lead, -5.0, 2.0)
    best_r, best_c = _best_masks(logit)
    vals["mutual_best1"] = (best_r & best_c).astype(np.float64)
    vals["parent"] = parent
    vals["family"] = np.where(fam2 > prob, fam2, 0.0)  # only what a child pair adds
    vals["kids"] = children_mean(prob, pa, pb)
    vals["merged"] = merged_children(prob, pa, pb)
    vals["split"] = sibling_best(prob, pa, pb) * fs.values["cover"]
    return FeatureSet(fs.cosine, vals), prob


def run_lead(
    lead: np.ndarray,
    logit: np.ndarray,
    run: np.ndarray,
    parent_a: np.ndarray,
    parent_b: np.ndarray,
) -> np.ndarray:
    """The lead over rivals of the pairs in a merge run (``run > 0``), recomputed without
    the other clauses of the run as rivals: "4.2 二级水" is not a rival of "4.1 一级水" for
    ISO "3 Classification" when both answer its consecutive paragraphs."""
    cells = np.argwhere(run > 0)
    if not len(cells):
        return lead
    out = lead.copy()
    rel_a = _relatives(parent_a)
    rel_b = _relatives(parent_b)
    for i, j in cells.tolist():
        col = logit[:, j].copy()
        col[rel_a[i] | (run[:, j] > 0)] = -np.inf
        row = logit[i].copy()
        row[rel_b[j] | (run[i] > 0)] = -np.inf
        rival = max(float(col.max()), float(row.max()))
        out[i, j] = logit[i, j] - rival if np.isfinite(rival) else 1.0
    return out


def children_mean(prob: np.ndarray, parent_a: np.ndarray, parent_b: np.ndarray) -> np.ndarray:
    """For each pair (i, j): the mean probability of i's children against j, or of i against
    j's children, whichever is higher (0 for two clauses without children). A heading whose
    sub-clauses all answer j ("Annex I" over Parts A, B, C against the one clause holding all
    the limit tables; "4.9 苯并[a]芘" over the clause of its table) answers j too."""
    from scipy import sparse

    na, nb = prob.shape
    out = np.zeros_like(prob)
    for parent, n, axis in ((parent_a, na, 0), (parent_b, nb, 1)):
        kids = np.flatnonzero(parent >= 0)
        if not len(kids):
            continue
        counts = np.bincount(parent[kids], minlength=n).astype(np.float64)
        w = 1.0 / counts[parent[kids]]
        m = sparse.csr_matrix((w, (parent[kids], kids)), shape=(n, n))  # parent × child
        mean = m @ prob if axis == 0 else (m @ prob.T).T
        out = np.maximum(out, np.asarray(mean))
    return out


def merged_children(prob: np.ndarray, parent_a: np.ndarray, parent_b: np.ndarray) -> np.ndarray:
    """For each pair (i, j): the share of i's sub-clauses whose most probable partner is j,
    where at least two of them are — several sub-clauses merged into one clause of the
    other document (2006 "4.1.1 … 4.1.5" into 2022 "4.1"), so their heading answers it
    too — or the same for j's sub-clauses and i; 0 elsewhere. One sub-clause answering j
    is no merge: in two editions "5" ↔ "5" and "5.1" ↔ "5.1" do not make "5" ↔ "5.1"."""
    out = np.zeros_like(prob)
    for parent, m, axis in ((parent_a, prob, 0), (parent_b, prob.T, 1)):
        if not m.size:
            continue
        kids = np.flatnonzero(parent >= 0)
        if not len(kids):
            continue
        best = m.argmax(axis=1)  # each clause's most probable partner
        n = m.shape[0]
        counts = np.zeros((n, m.shape[1]))
        np.add.at(counts, (parent[kids], best[kids]), 1.0)
        size = np.bincount(parent[kids], minlength=n).astype(np.float64)
        share = np.where(counts >= 2, counts / np.maximum(size, 1.0)[:, None], 0.0)
        out = np.maximum(out, share if axis == 0 else share.T)
    return out


def sibling_best(prob: np.ndarray, parent_a: np.ndarray, parent_b: np.ndarray) -> np.ndarray:
    """For each pair (i, j): the best probability of i against a sibling of j (another
    clause with j's parent), or of a sibling of i against j. High where one clause answers
    several parallel clauses of the other side — the GB clause holding all the limit tables
    against Parts A, B and C of an annex — which, with the concepts of one inside the other's
    (``cover``), is the evidence of a one-to-many link."""
    out = np.zeros_like(prob)
    for parent, axis in ((parent_b, 1), (parent_a, 0)):
        m = prob if axis == 1 else prob.T  # rows: the other side; columns: this side
        res = np.zeros_like(m)
        groups: dict[int, list[int]] = {}
        for k, p in enumerate(parent):
            groups.setdefault(int(p), []).append(k)
        for members in groups.values():
            if len(members) < 2:
                continue
            block = m[:, members]
            top2 = -np.partition(-block, 1, axis=1)[:, :2]
            best, second = top2[:, 0], top2[:, 1]
            res[:, members] = np.where(block >= best[:, None], second[:, None], best[:, None])
        out = np.maximum(out, res if axis == 1 else res.T)
    return out


def sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x, -40, 40))))


def fit_calibration(
    x: np.ndarray,
    y: np.ndarray,
    names: Sequence[str],
    *,
    prior: Calibration | None = None,
    l2: float = 1.0,
    iterations: int = 200,
) -> Calibration:
    """Fit a :class:`Calibration` by regularised logistic regression (Newton's method).

    ``x`` is ``n × len(names)``, ``y`` is 0/1. The weights are pulled towards ``prior``
    (towards zero without one) with strength ``l2``: with a few dozen gold pairs the data
    adjust the prior's weights rather than replace them. Used by the evaluation harness.
    """
    n, d = x.shape
    xa = np.hstack([np.ones((n, 1)), x])
    w0 = np.zeros(d + 1)
    if prior is not None:
        given = dict(prior.weights)
        w0 = np.array([prior.intercept] + [given.get(nm, 0.0) for nm in names])
    w = w0.copy()
    reg = np.full(d + 1, l2)
    reg[0] = 0.0
    for _ in range(iterations):
        p = sigmoid(xa @ w)
        grad = xa.T @ (p - y) + reg * (w - w0)
        h = (xa * (p * (1 - p))[:, None]).T @ xa + np.diag(reg) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(h, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return Calibration(float(w[0]), tuple((n, float(v)) for n, v in zip(names, w[1:], strict=True)))
