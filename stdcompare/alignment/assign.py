"""Assignment of clause pairs from a matrix of gains.

The gain of a pair is its log-odds above the acceptance threshold (zero or less: never worth
taking). Three solvers share that objective:

- :func:`one_to_one` — the Hungarian method (scipy ``linear_sum_assignment``): the set of
  disjoint pairs with the largest total gain, in any order;
- :func:`monotone` — the same, with no two pairs crossing (dynamic programming over the two
  clause sequences, as sentence aligners such as Bertalign do for translations): for
  documents that run in parallel (IDT/MOD adoptions, translations, editions);
- :func:`extend` — after either, a clause left without a partner joins its best partner's
  existing pair when that is a contiguous neighbour: 1:n (one table row or requirement
  answered by several numbered entries) and n:1.

:func:`order_agreement` measures how far the confident pairs keep document order (Kendall's
tau), which is how the aligner chooses the monotone solver by itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def one_to_one(gain: np.ndarray) -> list[tuple[int, int]]:
    """Disjoint pairs of maximum total gain (only cells with gain > 0)."""
    from scipy.optimize import linear_sum_assignment

    if gain.size == 0 or not (gain > 0).any():
        return []
    g = np.where(gain > 0, gain, 0.0)
    rows, cols = linear_sum_assignment(g, maximize=True)
    return sorted((int(i), int(j)) for i, j in zip(rows, cols, strict=True) if gain[i, j] > 0)


def monotone(gain: np.ndarray) -> list[tuple[int, int]]:
    """Non-crossing disjoint pairs of maximum total gain (weighted longest common subsequence).

    ``D[i, j] = max(D[i-1, j], D[i, j-1], D[i-1, j-1] + gain[i-1, j-1])``; each row is
    computed with numpy (the left-to-right dependency is a running maximum), so 1,000 × 1,000
    clauses take milliseconds.
    """
    na, nb = gain.shape
    if na == 0 or nb == 0:
        return []
    g = np.where(gain > 0, gain, -np.inf)
    d = np.zeros((na + 1, nb + 1), dtype=np.float64)
    for i in range(1, na + 1):
        prev = d[i - 1]
        cand = np.maximum(prev[1:], prev[:-1] + g[i - 1])
        d[i, 1:] = np.maximum.accumulate(np.maximum(cand, 0.0))
    pairs: list[tuple[int, int]] = []
    i, j = na, nb
    while i > 0 and j > 0:
        if d[i, j] == d[i, j - 1]:
            j -= 1
        elif d[i, j] == d[i - 1, j]:
            i -= 1
        else:
            pairs.append((i - 1, j - 1))
            i -= 1
            j -= 1
    pairs.reverse()
    return pairs


def best_matches(gain: np.ndarray) -> list[tuple[int, int, str]]:
    """Every clause with its most probable partner (gain > 0), in both directions.

    A clause of B chosen by several clauses of A yields n:1 links, and the reverse 1:n; a pair
    chosen from both sides is 1:1. Ties keep the first column/row.
    """
    na, nb = gain.shape
    if gain.size == 0:
        return []
    links: dict[tuple[int, int], set[str]] = {}
    rj = gain.argmax(axis=1)
    for i in range(na):
        if gain[i, rj[i]] > 0:
            links.setdefault((i, int(rj[i])), set()).add("a")
    ci = gain.argmax(axis=0)
    for j in range(nb):
        if gain[ci[j], j] > 0:
            links.setdefault((int(ci[j]), j), set()).add("b")
    per_a: dict[int, int] = {}
    per_b: dict[int, int] = {}
    for i, j in links:
        per_a[i] = per_a.get(i, 0) + 1
        per_b[j] = per_b.get(j, 0) + 1
    out = []
    for (i, j), _ in sorted(links.items()):
        kind = "1:1" if per_a[i] == 1 and per_b[j] == 1 else ("1:n" if per_a[i] > 1 else "n:1")
        out.append((i, j, kind))
    return out


def order_agreement(pairs: Sequence[tuple[int, int]]) -> float:
    """Kendall's tau between the positions of paired clauses in A and in B (1 = same order)."""
    if len(pairs) < 3:
        return 0.0
    from scipy.stats import kendalltau

    a = [p[0] for p in pairs]
    b = [p[1] for p in pairs]
    tau = kendalltau(a, b).statistic
    return float(tau) if np.isfinite(tau) else 0.0


def extend(
    pairs: Sequence[tuple[int, int]],
    prob: np.ndarray,
    allowed: np.ndarray,
    *,
    min_prob: float,
    keep_order: bool = False,
    parent_a: Sequence[int] | None = None,
    parent_b: Sequence[int] | None = None,
    support: np.ndarray | None = None,
) -> list[tuple[int, int, str]]:
    """Add 1:n and n:1 links to a one-to-one assignment.

    A clause ``j`` of B left unpaired joins clause ``i`` of A when ``i`` is ``j``'s most
    probable partner (probability ≥ ``min_prob``), ``i`` is already paired, and either no
    other pair sits between ``j`` and ``i``'s partners in B (the block stays contiguous) or
    the link follows the clause tree (``i`` is paired with an ancestor of ``j``); likewise for
    an unpaired clause of A. With ``keep_order`` the links must not cross any pair.
    ``parent_a[i]`` is the index of clause i's parent (-1 for none). With ``support`` (a
    boolean matrix) a contiguous block that does not follow the tree also needs
    ``support[i, j]``: in documents that do not run in parallel, neighbours in one
    document are not for that reason parts of one answer ("5 水源", "6 供水单位", "7 二次供水"
    are not one article because they stand next to each other). Returns ``(i, j, link)``
    with link ``1:1``, ``1:n`` or ``n:1``.
    """
    na, nb = prob.shape
    out = [(i, j, "1:1") for i, j in pairs]
    if not pairs:
        return out
    pa = list(parent_a) if parent_a is not None else [-1] * na
    pb = list(parent_b) if parent_b is not None else [-1] * nb
    p = np.where(allowed, prob, 0.0)
    used_a = {i for i, _ in pairs}
    used_b = {j for _, j in pairs}
    partners_b: dict[int, list[int]] = {}
    partners_a: dict[int, list[int]] = {}
    for i, j in pairs:
        partners_b.setdefault(i, []).append(j)
        partners_a.setdefault(j, []).append(i)
    core = list(pairs)
    for j in range(nb):
        if j in used_b:
            continue
        i = int(np.argmax(p[:, j]))
        if p[i, j] < min_prob or i not in used_a:
            continue
        tree = any(x in partners_b[i] for x in _ancestors(j, pb))
        if not tree and not _contiguous(j, partners_b[i], [jj for ii, jj in core if ii != i]):
            continue
        if not tree and support is not None and not support[i, j]:
            continue
        if keep_order and _crosses((i, j), core, pa, pb):
            continue
        out.append((i, j, "1:n"))
        partners_b[i].append(j)
    for i in range(na):
        if i in used_a:
            continue
        j = int(np.argmax(p[i]))
        if p[i, j] < min_prob or j not in used_b:
            continue
        tree = any(x in partners_a[j] for x in _ancestors(i, pa))
        if not tree and not _contiguous(i, partners_a[j], [ii for ii, jj in core if jj != j]):
            continue
        if not tree and support is not None and not support[i, j]:
            continue
        if keep_order and _crosses((i, j), core, pa, pb):
            continue
        out.append((i, j, "n:1"))
        partners_a[j].append(i)
    out.sort()
    return out


def _ancestors(k: int, parent: Sequence[int]) -> list[int]:
    out: list[int] = []
    p = parent[k] if 0 <= k < len(parent) else -1
    while p >= 0 and p not in out:
        out.append(p)
        p = parent[p]
    return out


def _contiguous(x: int, group: Sequence[int], others: Sequence[int]) -> bool:
    lo, hi = min(x, *group), max(x, *group)
    return not any(lo < o < hi for o in others)


def _crosses(
    pair: tuple[int, int],
    core: Sequence[tuple[int, int]],
    parent_a: Sequence[int] | None = None,
    parent_b: Sequence[int] | None = None,
) -> bool:
    """Whether ``pair`` runs against the order of a pair of ``core``. A clause and its own
    sub-clause are not in order with each other — "6 取样及贮存" spans "6.1" and "6.2" —
    so a pair inside another pair's clause (on either side) never crosses it."""
    i, j = pair
    anc_a = set(_ancestors(i, parent_a)) if parent_a is not None else set()
    anc_b = set(_ancestors(j, parent_b)) if parent_b is not None else set()
    for ii, jj in core:
        if (ii - i) * (jj - j) >= 0:
            continue
        if ii in anc_a or jj in anc_b:
            continue
        if parent_a is not None and i in _ancestors(ii, parent_a):
            continue
        if parent_b is not None and j in _ancestors(jj, parent_b):
            continue
        return True
    return False


def nested(
    core: Sequence[tuple[int, int]],
    gain: np.ndarray,
    parent_a: Sequence[int],
    parent_b: Sequence[int],
) -> list[tuple[int, int]]:
    """One-to-one pairs among the clauses the monotone core left unpaired that only "cross"
    the core inside a clause tree: GB "6 取样及贮存" with "6.1 取样", "6.2 贮存" against ISO
    "5 Sampling", "6 Storage" — the core pairs 6 ↔ 6, and 6.1 ↔ 5 runs against that order
    only because 6.1 sits inside 6. Pairs that cross a core pair outright stay out."""
    used_a = {i for i, _ in core}
    used_b = {j for _, j in core}
    ra = [i for i in range(gain.shape[0]) if i not in used_a]
    rb = [j for j in range(gain.shape[1]) if j not in used_b]
    if not ra or not rb:
        return []
    sub = gain[np.ix_(ra, rb)]
    out: list[tuple[int, int]] = []
    for x, y in monotone(sub):
        pair = (ra[x], rb[y])
        if not _crosses(pair, core, parent_a, parent_b):
            out.append(pair)
    return out


#: A clause's content "covers" a sibling of its partner when this much of the smaller concept
#: set lies in the larger (:func:`stdcompare.alignment.anchors.concept_cover`: at least two
#: shared concepts, and most of the smaller set).
COVER_SPLIT = 0.5


def closure(
    links: Sequence[tuple[int, int]],
    parent_a: Sequence[int],
    parent_b: Sequence[int],
    *,
    cover: np.ndarray | None = None,
    run: np.ndarray | None = None,
) -> list[tuple[int, int, str]]:
    """Links that the clause tree, the content and merge runs imply beyond a one-to-one (or
    1:n) assignment — the many-to-many links of documents that cut the same matter
    differently. Candidates ``(i, j, rule)``; the caller decides by the pairs' probabilities.

    - ``container``: a clause at least half of whose sub-clauses are linked to one and the
      same clause ``j`` answers ``j`` too: "Annex I" over Parts A, B, C that answer the one
      clause holding the limit tables; a heading "4.9 苯并[a]芘" over the clause of its
      table (and the clause of its test method, which has no partner). Where the clause is
      already linked to an ancestor of ``j`` ("5" ↔ "5" of two editions, "5.1" ↔ "5.1"),
      it takes at least two sub-clauses merging into ``j``.
    - ``split``: a clause ``h`` linked to ``j`` whose sub-clause answers a clause ``j'``
      outside ``j`` (neither inside ``j`` nor around it, nor inside another partner of ``h``)
      answers ``j'`` too: "6 取样及贮存" ↔ "6 Storage" with "6.1 取样" ↔ "5 Sampling".
    - ``cover``: a clause ``i`` linked to ``j`` whose concepts cover a sibling ``j'`` of ``j``
      under the same heading (``cover[i, j'] ≥ COVER_SPLIT``) answers ``j'`` too: the GB
      clause with the limit tables, linked to "Part B Chemical parameters", also answers
      "Part C Indicator parameters" when most of Part C's parameters are rows of its
      tables. Top-level chapters are not parts of one whole and do not count as siblings.
    - ``merge``: a clause whose next or previous sibling is linked to ``j`` in the same merge
      run (``run[i, j] > 0`` for both, :func:`stdcompare.alignment.merges.part_runs`)
      answers ``j`` too: the run is one bead, "4.1.1 … 4.1.5" ↔ the list of "4.1".
    """
    pa, pb = list(parent_a), list(parent_b)
    have = set(links)
    out: dict[tuple[int, int], str] = {}
    for flip in (False, True):
        par_x, par_y = (pb, pa) if flip else (pa, pb)
        pairs = [(j, i) for i, j in have] if flip else list(have)
        cov = None if cover is None else (cover.T if flip else cover)
        rn = None if run is None else (run.T if flip else run)

        def add(x: int, y: int, rule: str, flip: bool = flip) -> None:
            key = (y, x) if flip else (x, y)
            if key not in have:
                out.setdefault(key, rule)

        partners: dict[int, set[int]] = {}
        for x, y in pairs:
            partners.setdefault(x, set()).add(y)
        kids: dict[int, list[int]] = {}
        for k, p in enumerate(par_x):
            kids.setdefault(p, []).append(k)
        for h, ch in kids.items():
            linked = [c for c in ch if partners.get(c)]
            if h < 0 or not linked:
                continue
            count: dict[int, int] = {}
            for c in linked:
                for y in partners[c]:
                    count[y] = count.get(y, 0) + 1
            own = partners.get(h, set())
            for y, n in count.items():
                # h linked to an ancestor of y already says what one child linked to y says;
                # only a merge — several children answering y — adds the link h ↔ y
                redundant = any(o in _ancestors(y, par_y) for o in own)
                if 2 * n >= len(ch) and (n >= 2 or not redundant):
                    add(h, y, "container")
            if not own:
                continue
            around = set(own)
            for y in own:
                around.update(_ancestors(y, par_y))
            for c in linked:
                for y in partners[c]:
                    if y in around or any(o in _ancestors(y, par_y) for o in own):
                        continue
                    add(h, y, "split")
        sib_y: dict[int, list[int]] = {}
        for k, p in enumerate(par_y):
            sib_y.setdefault(p, []).append(k)
        nxt = _next_sibling(par_x)
        prv = {v: k for k, v in enumerate(nxt) if v >= 0}
        for x, y in pairs:
            if cov is not None and par_y[y] >= 0:
                for y2 in sib_y.get(par_y[y], []):
                    if y2 != y and cov[x, y2] >= COVER_SPLIT:
                        add(x, y2, "cover")
            if rn is not None and rn[x, y] > 0:
                for x2 in (nxt[x], prv.get(x, -1)):
                    if x2 >= 0 and rn[x2, y] > 0:
                        add(x2, y, "merge")
    return sorted((i, j, rule) for (i, j), rule in out.items())


def _next_sibling(parent: Sequence[int]) -> list[int]:
    out = [-1] * len(parent)
    last: dict[int, int] = {}
    for k, p in enumerate(parent):
        if p in last:
            out[last[p]] = k
        last[p] = k
    return out


def many_to_many(
    links: Sequence[tuple[int, int, str]],
    prob: np.ndarray,
    *,
    min_prob: float,
    parent_a: Sequence[int],
    parent_b: Sequence[int],
    cover: np.ndarray | None = None,
    run: np.ndarray | None = None,
    keep_order: bool = False,
    exclude_a: np.ndarray | None = None,
    exclude_b: np.ndarray | None = None,
    rounds: int = 4,
) -> list[tuple[int, int, str]]:
    """``links`` with the :func:`closure` candidates whose probability is at least
    ``min_prob`` added (repeatedly: a part linked by ``cover`` can complete a ``container``),
    each with its rule as the link kind. With ``keep_order`` a candidate that runs against the
    order of the one-to-one links is left out. Clauses flagged in ``exclude_a``/``exclude_b``
    (recitals, linked apart) take no part."""
    out = list(links)
    core = [(i, j) for i, j, kind in links if kind == "1:1"]
    for _ in range(rounds):
        have = [
            (i, j)
            for i, j, _ in out
            if not (exclude_a is not None and exclude_a[i])
            and not (exclude_b is not None and exclude_b[j])
        ]
        added = False
        for i, j, rule in closure(have, parent_a, parent_b, cover=cover, run=run):
            if prob[i, j] < min_prob:
                continue
            if (exclude_a is not None and exclude_a[i]) or (exclude_b is not None and exclude_b[j]):
                continue
            if keep_order and _crosses((i, j), core, parent_a, parent_b):
                continue
            out.append((i, j, rule))
            added = True
        if not added:
            break
    return sorted(out)
