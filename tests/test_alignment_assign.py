"""Assignment solvers (1:1, monotone, best-match, 1:n links) and score fusion."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from stdcompare.alignment import assign
from stdcompare.alignment.fusion import (
    PAIR_FEATURES,
    Calibration,
    fit_calibration,
    lead_over_rivals,
    standardise,
)


def _brute_monotone(gain: np.ndarray) -> float:
    """Best total gain over all non-crossing disjoint matchings (small matrices only)."""
    na, nb = gain.shape
    best = 0.0
    cells = [(i, j) for i in range(na) for j in range(nb) if gain[i, j] > 0]
    for r in range(1, min(na, nb) + 1):
        for combo in itertools.combinations(cells, r):
            rows = [c[0] for c in combo]
            cols = [c[1] for c in combo]
            if len(set(rows)) < r or len(set(cols)) < r:
                continue
            pairs = sorted(combo)
            if all(pairs[k][1] < pairs[k + 1][1] for k in range(r - 1)):
                best = max(best, sum(gain[i, j] for i, j in combo))
    return best


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 4), st.integers(1, 4)),
        elements=st.floats(-1, 1, allow_nan=False),
    )
)
def test_monotone_is_optimal_and_never_crosses(gain: np.ndarray) -> None:
    pairs = assign.monotone(gain)
    assert all(gain[i, j] > 0 for i, j in pairs)
    assert all(a[0] < b[0] and a[1] < b[1] for a, b in itertools.pairwise(pairs))
    total = sum(gain[i, j] for i, j in pairs)
    assert abs(total - _brute_monotone(gain)) < 1e-9


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 6), st.integers(1, 6)),
        elements=st.floats(-1, 1, allow_nan=False),
    )
)
def test_one_to_one_is_disjoint_and_positive(gain: np.ndarray) -> None:
    pairs = assign.one_to_one(gain)
    assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
    assert all(gain[i, j] > 0 for i, j in pairs)


def test_monotone_resolves_a_near_tie_by_order() -> None:
    # clause 1 of A resembles clauses 1 and 3 of B almost equally; order decides
    gain = np.array([[2.0, 0, 0, 0], [0, 2.0, 0, 0], [0, 0.1, 1.0, 1.05], [0, 0, 0, 2.0]])
    assert assign.one_to_one(gain) == [(0, 0), (1, 1), (2, 2), (3, 3)]
    gain[2] = [0, 0, 1.0, 2.5]  # the Hungarian method now crosses over; the monotone one cannot
    assert (2, 3) in assign.one_to_one(gain) or (3, 3) in assign.one_to_one(gain)
    mono = assign.monotone(gain)
    assert all(a[1] < b[1] for a, b in itertools.pairwise(mono))


def test_extend_adds_tree_and_contiguous_links() -> None:
    # A: 0 = "4.2 limits tables"; B: 0 = ANNEX I, 1 = Part A, 2 = Part B, 3 = Part C
    prob = np.array([[0.3, 0.5, 0.9, 0.6], [0.1, 0.05, 0.1, 0.1]])
    allowed = np.ones_like(prob, dtype=bool)
    links = assign.extend([(0, 2)], prob, allowed, min_prob=0.2, parent_b=[-1, 0, 0, 0])
    assert (0, 1, "1:n") in links and (0, 3, "1:n") in links
    assert (0, 0, "1:n") in links  # ANNEX I, next to its parts
    assert not any(i == 1 for i, _, _ in links)  # nothing reaches the weak clause


def test_extend_respects_other_pairs_between() -> None:
    prob = np.array([[0.9, 0.1, 0.5], [0.1, 0.9, 0.1]])
    links = assign.extend([(0, 0), (1, 1)], prob, np.ones_like(prob, dtype=bool), min_prob=0.2)
    assert (0, 2, "1:n") not in links  # B clause 1 (paired with A1) sits between


def test_best_matches_gives_n_to_one() -> None:
    gain = np.array([[1.0, 0.0], [0.8, 0.0], [0.0, 0.5]])
    links = assign.best_matches(gain)
    assert (0, 0, "n:1") in links and (1, 0, "n:1") in links and (2, 1, "1:1") in links


def test_order_agreement() -> None:
    assert assign.order_agreement([(0, 0), (1, 1), (2, 2), (3, 3)]) == 1.0
    assert assign.order_agreement([(0, 3), (1, 2), (2, 1), (3, 0)]) == -1.0
    assert assign.order_agreement([(0, 0)]) == 0.0


def test_standardise_is_embedder_neutral() -> None:
    rng = np.random.default_rng(0)
    use_like = 0.22 + 0.14 * rng.standard_normal((40, 40))
    e5_like = 0.815 + 0.017 * rng.standard_normal((40, 40))
    (l1, s1), (l2, s2) = standardise(use_like), standardise(e5_like)
    assert abs(l1 - 0.22) < 0.03 and abs(l2 - 0.815) < 0.005
    assert 5 < s1 / s2 < 12
    # a tiny matrix leans on the embedder's declared band
    loc, scale = standardise(np.array([[0.9]]), band=(0.8, 0.02))
    assert abs(loc - 0.8) < 0.01 and abs(scale - 0.02) < 0.005


def test_lead_over_rivals() -> None:
    m = np.array([[3.0, 1.0], [2.0, 0.0]])
    lead = lead_over_rivals(m)
    assert lead[0, 0] == 1.0  # 3 − max(1 in its row, 2 in its column)
    assert lead[1, 1] == -2.0


def test_fit_calibration_recovers_the_signal_and_shrinks_to_the_prior() -> None:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((600, len(PAIR_FEATURES)))
    logit = -1.0 + 2.0 * x[:, 0]
    y = (rng.random(600) < 1 / (1 + np.exp(-logit))).astype(float)
    cal = fit_calibration(x, y, PAIR_FEATURES, l2=0.01)
    w = dict(cal.weights)
    assert abs(w["z"] - 2.0) < 0.5 and abs(cal.intercept + 1.0) < 0.4
    prior = Calibration(-1.0, tuple((n, 5.0) for n in PAIR_FEATURES))
    pulled = fit_calibration(x[:20], y[:20], PAIR_FEATURES, prior=prior, l2=1e4)
    assert all(abs(v - 5.0) < 0.1 for _, v in pulled.weights)
    assert Calibration.from_dict(cal.to_dict()).names == PAIR_FEATURES
