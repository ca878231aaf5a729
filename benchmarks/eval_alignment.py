"""Accuracy of clause alignment and indicator pairing against the gold pairs of the corpora.

For every pair of ``corpora/manifest.csv`` (and any extra pair given with ``--extra``):

- **clause pairs**: :func:`stdcompare.align` on the ingested documents against
  ``gold_clause_pairs.csv`` (``a_id,b_id``; one clause may pair with several). Precision,
  recall and F1 over (a_id, b_id) links. Every pair the aligner outputs is a prediction,
  including those marked ``review=True`` (low score or margin): they reach the user's report,
  so they count; the line ``review`` says how many there were and how many were right. ``reachable`` counts gold links whose two clause ids
  exist in the ingested documents — a link whose clause the ingest stage did not find is an
  ingest error, not an alignment error; ``F1 (reach.)`` scores against reachable links only.
- **indicator pairs, pairing only**: the indicators written in ``gold_indicator_pairs.csv``
  (both sides, as Indicator records with the gold parameter id) are shuffled, paired by
  :func:`stdcompare.gaps.pair_indicators` and scored against the gold rows (pairs and
  only_a/only_b rows). This isolates pairing from extraction.
- **indicator pairs, end to end**: indicators extracted from the PDFs by
  :func:`stdcompare.extract`, paired, and matched to the gold rows (same parameter, value,
  comparator, clause where printed, similar product). Misses are attributed: *extraction*
  (a gold side was not extracted, or with another parameter/value) or *pairing* (both sides
  were extracted but paired differently).

Scores are printed per pair and overall (micro-averaged). ``--fit`` refits the calibration of
clause scores (logistic regression over the fusion features) on all pairs and prints the
coefficients; ``--cv`` also reports clause F1 with leave-one-pair-out calibration, so the
figure is not measured on the data the coefficients were fitted to.

    .venv/bin/python benchmarks/eval_alignment.py
    .venv/bin/python benchmarks/eval_alignment.py --cv --errors
    .venv/bin/python benchmarks/eval_alignment.py --embedder e5 --pairs water,diesel
    .venv/bin/python benchmarks/eval_alignment.py --json out/eval_alignment.json
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stdcompare import Document, Indicator  # noqa: E402
from stdcompare.alignment.clauses import (  # noqa: E402
    AlignSettings,
    Scored,
    pairs_from_scores,
    rescore,
    score_clauses,
)
from stdcompare.alignment.fusion import (  # noqa: E402
    CONTEXT_FEATURES,
    CONTEXT_PRIOR,
    PAIR_FEATURES,
    PAIR_PRIOR,
    Calibration,
    fit_calibration,
)
from stdcompare.indicators.glossary import Glossary, default_glossary  # noqa: E402

# --- data ----------------------------------------------------------------------------------------


@dataclass
class PairSpec:
    name: str
    a: Path
    b: Path
    folder: Path


def read_manifest(corpora: Path, extra: Sequence[Path] = ()) -> list[PairSpec]:
    specs = []
    with open(corpora / "manifest.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            a, b = corpora / row["a"], corpora / row["b"]
            folder = corpora / row["name"]
            if not (folder / "gold_clause_pairs.csv").is_file():
                folder = a.parent
            specs.append(PairSpec(row["name"], a, b, folder))
    for manifest in extra:
        with open(manifest, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                base = manifest.parent
                folder = base / row.get("gold", row["name"])
                specs.append(PairSpec(row["name"], base / row["a"], base / row["b"], folder))
    return specs


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if any((v or "").strip() for v in r.values())]


def load_document(path: Path, documents: Path | None) -> Document:
    """The ingested document; with ``--documents DIR``, a saved ``DIR/<stem>.json`` instead."""
    if documents is not None:
        saved = documents / (path.stem + ".json")
        if saved.is_file():
            return Document.open(saved)
    import stdcompare

    doc = stdcompare.load(path)
    if documents is not None:
        documents.mkdir(parents=True, exist_ok=True)
        doc.save(documents / (path.stem + ".json"))
    return doc


# --- scores ----------------------------------------------------------------------------------------


@dataclass
class PRF:
    tp: int = 0
    pred: int = 0
    gold: int = 0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.pred += other.pred
        self.gold += other.gold

    @property
    def p(self) -> float:
        return self.tp / self.pred if self.pred else (1.0 if not self.gold else 0.0)

    @property
    def r(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.p, self.r
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> str:
        return f"{self.p:5.3f} {self.r:5.3f} {self.f1:5.3f} ({self.tp}/{self.pred}/{self.gold})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.p, 4),
            "recall": round(self.r, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "predicted": self.pred,
            "gold": self.gold,
        }


def prf(pred: set[Any], gold: set[Any]) -> PRF:
    return PRF(len(pred & gold), len(pred), len(gold))


# --- clause pairs ------------------------------------------------------------------------------------


@dataclass
class ClauseResult:
    name: str
    all: PRF
    reachable: PRF
    unreachable: list[tuple[str, str]]
    missed: list[tuple[str, str]]
    wrong: list[tuple[str, str, float]]
    mode: str
    seconds: float
    review: PRF = field(default_factory=PRF)  # the predictions flagged review=True


GOLD_DIR: Path | None = None  # --gold-dir: read gold_clause_pairs.csv from DIR/<pair>/ instead


def gold_clause_links(spec: PairSpec) -> set[tuple[str, str]]:
    folder = GOLD_DIR / spec.name if GOLD_DIR is not None else spec.folder
    return {
        (r["a_id"].strip(), r["b_id"].strip()) for r in read_csv(folder / "gold_clause_pairs.csv")
    }


def eval_clauses(
    spec: PairSpec, a: Document, b: Document, scored: Scored, st: AlignSettings, seconds: float
) -> ClauseResult:
    pairs = pairs_from_scores(scored, a, b, st)
    pred = {(p.a_id, p.b_id) for p in pairs}
    gold = gold_clause_links(spec)
    ids_a = {c.id for c in a.clauses}
    ids_b = {c.id for c in b.clauses}
    reach = {g for g in gold if g[0] in ids_a and g[1] in ids_b}
    scores = {(p.a_id, p.b_id): p.score for p in pairs}
    from stdcompare.alignment.clauses import choose_mode

    mode, _ = choose_mode(scored, a, b, st)
    flagged = {(p.a_id, p.b_id) for p in pairs if p.review}
    return ClauseResult(
        spec.name,
        prf(pred, gold),
        prf(pred, reach),
        sorted(gold - reach),
        sorted(reach - pred),
        sorted((x, y, scores[(x, y)]) for x, y in pred - gold),
        mode,
        seconds,
        prf(flagged, gold & flagged),
    )


def training_rows(
    scored: Scored, gold: set[tuple[str, str]], names: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and labels of the candidate cells of one document pair."""
    x = scored.features.stack(names)
    ii, jj = np.nonzero(scored.allowed)
    y = np.array(
        [
            1.0 if (scored.a[i].id, scored.b[j].id) in gold else 0.0
            for i, j in zip(ii, jj, strict=True)
        ]
    )
    return x[ii, jj], y


def cv_sweep(
    specs: Sequence[PairSpec],
    items: dict[str, tuple[Scored, set[tuple[str, str]]]],
    docs: dict[str, tuple[Document, Document]],
    st: AlignSettings,
    thresholds: Sequence[float] = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6),
) -> list[tuple[float, float]]:
    """Overall leave-one-pair-out clause F1 at each acceptance threshold."""
    held = {}
    for s in specs:
        others = [items[o.name] for o in specs if o.name != s.name]
        c1, c2 = fit_two_stage(others)
        held[s.name] = (rescore(items[s.name][0], c1, c2), c1, c2)
    out = []
    for t in thresholds:
        total = PRF()
        for s in specs:
            sc, c1, c2 = held[s.name]
            a, b = docs[s.name]
            st_t = replace(st, calibration=c1, context=c2, min_score=t)
            total.add(eval_clauses(s, a, b, sc, st_t, 0.0).all)
        out.append((t, total.f1))
    return out


THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


def nested_threshold_cv(
    specs: Sequence[PairSpec],
    items: dict[str, tuple[Scored, set[tuple[str, str]]]],
    docs: dict[str, tuple[Document, Document]],
    st: AlignSettings,
    thresholds: Sequence[float] = THRESHOLDS,
) -> tuple[dict[str, tuple[float, PRF]], float]:
    """Leave-one-pair-out clause F1 with the acceptance threshold (``min_score``) chosen on
    the other pairs, never on the pair scored: for held-out pair s, each other pair o is
    predicted with a calibration fitted without s and o, the threshold with the best F1
    over those predictions is taken, and s is scored with a calibration fitted without s at
    that threshold. Returns per pair (threshold, scores) and the threshold chosen on all."""

    def f1_at(names: Sequence[str], exclude: set[str]) -> dict[float, PRF]:
        out = {t: PRF() for t in thresholds}
        for o in names:
            train = [items[x.name] for x in specs if x.name not in exclude | {o}]
            c1, c2 = fit_two_stage(train)
            sc = rescore(items[o][0], c1, c2)
            a, b = docs[o]
            spec = next(x for x in specs if x.name == o)
            for t in thresholds:
                st_t = replace(st, calibration=c1, context=c2, min_score=t)
                out[t].add(eval_clauses(spec, a, b, sc, st_t, 0.0).all)
        return out

    def best(scores: dict[float, PRF]) -> float:
        # the best F1; among ties, the threshold nearest the middle of the grid
        mid = thresholds[len(thresholds) // 2]
        return max(thresholds, key=lambda t: (round(scores[t].f1, 9), -abs(t - mid)))

    result = {}
    for s in specs:
        others = [o.name for o in specs if o.name != s.name]
        t = best(f1_at(others, {s.name}))
        c1, c2 = fit_two_stage([items[o] for o in others])
        a, b = docs[s.name]
        st_t = replace(st, calibration=c1, context=c2, min_score=t)
        result[s.name] = (
            t,
            eval_clauses(s, a, b, rescore(items[s.name][0], c1, c2), st_t, 0.0).all,
        )
    return result, best(f1_at([x.name for x in specs], set()))


def reliability(
    items: Sequence[tuple[Scored, set[tuple[str, str]]]], bins: int = 5
) -> dict[str, Any]:
    """How well clause scores are calibrated: over all candidate pairs, the Brier score, the
    expected calibration error, and per score bin the share of pairs that are gold."""
    ps, ys = [], []
    for scored, gold in items:
        ii, jj = np.nonzero(scored.allowed)
        ps += [float(scored.prob[i, j]) for i, j in zip(ii, jj, strict=True)]
        ys += [
            1.0 if (scored.a[i].id, scored.b[j].id) in gold else 0.0
            for i, j in zip(ii, jj, strict=True)
        ]
    p, y = np.array(ps), np.array(ys)
    if not len(p):
        return {"cells": 0, "brier": 0.0, "ece": 0.0, "bins": []}
    edges = np.linspace(0, 1, bins + 1)
    out, ece = [], 0.0
    for k in range(bins):
        sel = (p >= edges[k]) & ((p < edges[k + 1]) if k < bins - 1 else (p <= 1))
        if sel.any():
            out.append((float(p[sel].mean()), float(y[sel].mean()), int(sel.sum())))
            ece += sel.sum() / len(p) * abs(p[sel].mean() - y[sel].mean())
    return {"cells": len(p), "brier": float(((p - y) ** 2).mean()), "ece": float(ece), "bins": out}


def fit_two_stage(
    items: Sequence[tuple[Scored, set[tuple[str, str]]]],
) -> tuple[Calibration, Calibration]:
    """First-pass calibration on the pair features, then the structural one on its output."""
    x1 = [training_rows(s, gold, PAIR_FEATURES) for s, gold in items]
    cal1 = fit_calibration(
        np.vstack([x for x, _ in x1]),
        np.concatenate([y for _, y in x1]),
        PAIR_FEATURES,
        prior=PAIR_PRIOR,
        l2=L2,
    )
    x2 = [
        training_rows(rescore(s, cal1, CONTEXT_PRIOR), gold, CONTEXT_FEATURES) for s, gold in items
    ]
    cal2 = fit_calibration(
        np.vstack([x for x, _ in x2]),
        np.concatenate([y for _, y in x2]),
        CONTEXT_FEATURES,
        prior=CONTEXT_PRIOR,
        l2=L2,
    )
    return cal1, cal2


L2 = 5.0


# --- indicator pairs ---------------------------------------------------------------------------------


def _num(s: str | None) -> float | None:
    s = (s or "").strip().replace(",", ".")
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        return None


def gold_indicators(row: dict[str, str], side: str, g: Glossary) -> Indicator | None:
    comp = (row.get(f"{side}_comparator") or "").strip()
    clause = (row.get(f"{side}_clause") or "").strip()
    verdict = row.get("verdict", "")
    if (side == "a" and verdict == "only_b") or (side == "b" and verdict == "only_a"):
        return None
    if not clause and not comp:
        return None
    # a side may name its own parameter (``a_parameter`` / ``b_parameter``) where the two
    # standards limit different things: GB dimethoate against the EU's any-pesticide limit
    pid = (row.get(f"{side}_parameter") or row["parameter"]).strip()
    product = (row.get(f"{side}_product") or "").strip()
    return Indicator(
        parameter=_param_name(pid, g, row, side),
        comparator=comp or "=",
        value=_num(row.get(f"{side}_value")),
        low=_num(row.get(f"{side}_low")),
        high=_num(row.get(f"{side}_high")),
        unit=(row.get(f"{side}_unit") or "").strip(),
        product=product,
        clause_id=clause or None,
        text=f"{pid} {product}",
        parameter_id=pid if pid in g else None,
        product_id=None,
    )


def _param_name(pid: str, g: Glossary, row: dict[str, str], side: str) -> str:
    c = g.get(pid)
    if c is None:
        return pid.replace("_", " ")
    lang = "zh" if side == "a" and _has_cjk(row.get("a_product", "")) else "en"
    return c.name(lang)


def _has_cjk(s: str | None) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in (s or ""))


@dataclass
class IndicatorResult:
    name: str
    pairing: PRF
    end_to_end: PRF
    causes: dict[str, int] = field(default_factory=dict)
    pairing_errors: list[str] = field(default_factory=list)
    e2e_errors: list[str] = field(default_factory=list)


def _ikey(ind: Indicator | None) -> tuple[Any, ...] | None:
    if ind is None:
        return None
    return (
        ind.parameter_id or ind.parameter,
        ind.clause_id,
        ind.product,
        ind.comparator,
        ind.value,
        ind.low,
        ind.high,
        ind.unit,
    )


def eval_pairing_only(
    spec: PairSpec, rows: list[dict[str, str]], g: Glossary, emb: Any, seed: int = 0
) -> tuple[PRF, list[str]]:
    from stdcompare.gaps import pair_indicators

    gold: set[tuple[Any, Any]] = set()
    ia: list[Indicator] = []
    ib: list[Indicator] = []
    for r in rows:
        a, b = gold_indicators(r, "a", g), gold_indicators(r, "b", g)
        if a is None and b is None:
            continue
        gold.add((_ikey(a), _ikey(b)))
        if a is not None:
            ia.append(a)
        if b is not None:
            ib.append(b)
    ia, ib = list(dict.fromkeys(ia)), list(dict.fromkeys(ib))  # one indicator, several rows
    rnd = random.Random(seed)
    rnd.shuffle(ia)
    rnd.shuffle(ib)
    pairs = pair_indicators(ia, ib, glossary=g, embedder=emb)
    pred = {(_ikey(p.a), _ikey(p.b)) for p in pairs}
    errors = [
        f"  pairing  predicted {_show(x)}  <->  {_show(y)}" for x, y in sorted(pred - gold, key=str)
    ]
    errors += [
        f"  pairing  missed    {_show(x)}  <->  {_show(y)}" for x, y in sorted(gold - pred, key=str)
    ]
    return prf(pred, gold), errors


def _show(k: tuple[Any, ...] | None) -> str:
    if k is None:
        return "—"
    pid, clause, product, comp, value, low, high, unit = k
    lim = f"{low}–{high}" if comp == "range" else f"{comp} {value}"
    return f"{pid}[{clause}] {product!r} {lim} {unit}"


def _same_value(gold: Indicator, ind: Indicator) -> bool:
    def eq(x: float | None, y: float | None) -> bool:
        if x is None or y is None:
            return x is None and y is None
        return abs(x - y) <= 1e-9 + 1e-6 * max(abs(x), abs(y))

    if gold.comparator == "range" or ind.comparator == "range":
        return eq(gold.low, ind.low) and eq(gold.high, ind.high)
    if gold.comparator == "not_detected" or ind.comparator == "not_detected":
        return gold.comparator == ind.comparator
    return eq(gold.value, ind.value)


def _same_param(gold: Indicator, ind: Indicator, g: Glossary) -> bool:
    gp, ip = gold.parameter_id or gold.parameter, ind.parameter_id
    if ip is None:
        return False
    return gp == ip


def locate(gold: Indicator, extracted: Sequence[Indicator], g: Glossary) -> tuple[int | None, str]:
    """Index of the extracted indicator that is this gold indicator, or why there is none."""
    from rapidfuzz import fuzz

    same_val = [k for k, x in enumerate(extracted) if _same_value(gold, x)]
    if not same_val:
        return None, "value not extracted"
    same_par = [k for k in same_val if _same_param(gold, extracted[k], g)]
    if not same_par:
        return None, "wrong or no parameter"
    if gold.clause_id:
        in_clause = [k for k in same_par if extracted[k].clause_id == gold.clause_id]
        if in_clause:
            same_par = in_clause
    if len(same_par) == 1:
        return same_par[0], ""
    best = max(same_par, key=lambda k: fuzz.ratio(gold.product, extracted[k].product))
    return best, ""


def _partner_missing(k: int, gold_keys: set[tuple[Any, Any]]) -> bool:
    """Whether the gold row of extracted indicator ``k`` has a partner that was not extracted."""
    for ga, gb in gold_keys:
        if ga == k and isinstance(gb, tuple):
            return True
        if gb == k and isinstance(ga, tuple):
            return True
    return False


def eval_end_to_end(
    spec: PairSpec,
    rows: list[dict[str, str]],
    a: Document,
    b: Document,
    g: Glossary,
    emb: Any,
    clause_pairs: Sequence[Any],
) -> tuple[PRF, dict[str, int], list[str]]:
    import stdcompare
    from stdcompare.gaps import pair_indicators

    xa, xb = stdcompare.extract(a, glossary=g), stdcompare.extract(b, glossary=g)
    pairs = pair_indicators(xa, xb, glossary=g, embedder=emb, clause_pairs=clause_pairs)
    pred = {(id(p.a) if p.a else None, id(p.b) if p.b else None) for p in pairs}
    causes: dict[str, int] = {}
    errors: list[str] = []
    gold_keys: set[tuple[Any, Any]] = set()
    by_a = {id(p.a): p for p in pairs if p.a is not None}
    for r in rows:
        ga, gb = gold_indicators(r, "a", g), gold_indicators(r, "b", g)
        ka = kb = None
        why = ""
        if ga is not None:
            k, why_a = locate(ga, xa, g)
            ka = id(xa[k]) if k is not None else ("missing-a", id(r))
            why = why or (f"extraction (A: {why_a})" if k is None else "")
        if gb is not None:
            k, why_b = locate(gb, xb, g)
            kb = id(xb[k]) if k is not None else ("missing-b", id(r))
            why = why or (f"extraction (B: {why_b})" if k is None else "")
        gold_keys.add((ka, kb))
        if (ka, kb) in pred:
            continue
        cause = why or "pairing"
        causes[cause] = causes.get(cause, 0) + 1
        got = ""
        if cause == "pairing" and ka is not None and ka in by_a:
            pb = by_a[ka].b
            got = (
                f" — paired with {pb.parameter_id}[{pb.clause_id}] {pb.product!r} {pb.describe()}"
                if pb
                else " — left only_a"
            )
        errors.append(
            f"  {cause:32} {r['parameter']} | {r.get('a_product', '')} | {r.get('b_product', '')} | {r.get('verdict', '')}{got}"
        )
    score = prf(pred, gold_keys)
    located = {k for pair in gold_keys for k in pair if isinstance(k, int)}
    by_id = {id(x): x for x in (*xa, *xb)}
    for pa, pb in pred - gold_keys:
        if (pa is not None and pa not in located) or (pb is not None and pb not in located):
            cause = "extra: extracted indicator not in gold"
        elif (pa is None or pb is None) and _partner_missing(pa if pb is None else pb, gold_keys):
            cause = "extra: gold partner not extracted"
        else:
            cause = "extra: pairing"
            xa_, xb_ = by_id.get(pa), by_id.get(pb)
            errors.append(f"  {cause:32} {_show(_ikey(xa_))}  <->  {_show(_ikey(xb_))}")
        causes[cause] = causes.get(cause, 0) + 1
    # pairing judged only where extraction delivered: gold rows whose every side was found,
    # predictions made only of found indicators
    ok_gold = {k for k in gold_keys if not any(isinstance(x, tuple) for x in k)}
    ok_ids = {x for k in ok_gold for x in k if x is not None}
    ok_pred = {k for k in pred if all(x is None or x in ok_ids for x in k)}
    fair = prf(ok_pred, ok_gold)
    causes["_fair_tp"], causes["_fair_pred"], causes["_fair_gold"] = fair.tp, fair.pred, fair.gold
    return score, causes, errors


# --- main ------------------------------------------------------------------------------------------


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--corpora", type=Path, default=ROOT / "corpora")
    ap.add_argument(
        "--extra",
        type=Path,
        action="append",
        default=[],
        help="another manifest.csv (name,a,b[,gold]) of pairs with gold files",
    )
    ap.add_argument("--pairs", default="", help="comma-separated pair names (default: all)")
    ap.add_argument(
        "--gold-dir",
        type=Path,
        default=None,
        help="read clause gold from DIR/<pair name>/gold_clause_pairs.csv (e.g. an earlier "
        "revision of the gold, to compare figures across gold revisions)",
    )
    ap.add_argument("--embedder", default="use")
    ap.add_argument(
        "--documents",
        type=Path,
        default=None,
        help="folder of saved ingested documents (<pdf stem>.json), written if absent",
    )
    ap.add_argument("--mode", default="auto", help="alignment mode: auto, one_to_one, monotone")
    ap.add_argument(
        "--no-context", action="store_true", help="embed clauses without their ancestors' titles"
    )
    ap.add_argument("--min-score", type=float, default=None, help="acceptance threshold (0..1)")
    ap.add_argument("--extend-score", type=float, default=None, help="threshold of 1:n links")
    ap.add_argument("--fit", action="store_true", help="refit the calibration and print it")
    ap.add_argument("--cv", action="store_true", help="leave-one-pair-out calibrated clause F1")
    ap.add_argument("--no-indicators", action="store_true")
    ap.add_argument("--errors", action="store_true", help="list every miss")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(list(argv) if argv is not None else None)
    global GOLD_DIR
    GOLD_DIR = args.gold_dir

    from stdcompare.alignment import CachedEmbedder, EmbeddingCache, get_embedder

    g = default_glossary()
    emb = CachedEmbedder(get_embedder(args.embedder), EmbeddingCache())
    st = AlignSettings(mode=args.mode, context_titles=not args.no_context)
    if args.min_score is not None:
        st = replace(st, min_score=args.min_score)
    if args.extend_score is not None:
        st = replace(st, extend_score=args.extend_score)
    specs = read_manifest(args.corpora, args.extra)
    if args.pairs:
        keep = set(args.pairs.split(","))
        specs = [s for s in specs if s.name in keep]
    docs: dict[str, tuple[Document, Document]] = {}
    scored: dict[str, Scored] = {}
    seconds: dict[str, float] = {}
    for s in specs:
        a, b = load_document(s.a, args.documents), load_document(s.b, args.documents)
        docs[s.name] = (a, b)
        t = time.perf_counter()
        scored[s.name] = score_clauses(a, b, emb, settings=st, glossary=g)
        seconds[s.name] = time.perf_counter() - t

    report: dict[str, Any] = {"embedder": args.embedder, "pairs": {}}
    if args.fit or args.cv:
        items = {s.name: (scored[s.name], gold_clause_links(s)) for s in specs}
        cal1, cal2 = fit_two_stage(list(items.values()))
        n = sum(int(training_rows(*it, PAIR_FEATURES)[1].size) for it in items.values())
        report["calibration"] = {"pair": cal1.to_dict(), "context": cal2.to_dict()}
        print(f"calibration fitted on {n} candidate pairs of {len(items)} document pairs:")
        for label, cal in (("PAIR_CALIBRATION", cal1), ("CONTEXT_CALIBRATION", cal2)):
            print(f"  {label} = Calibration.from_dict({cal.to_dict()})")
        if args.fit:
            st = replace(st, calibration=cal1, context=cal2)
            scored = {k: rescore(v, cal1, cal2) for k, v in scored.items()}
        if args.cv:
            cv_total = PRF()
            print("\nleave-one-pair-out clause pairs:      P     R     F1  (tp/pred/gold)")
            for s in specs:
                others = [items[o.name] for o in specs if o.name != s.name]
                if not others:
                    continue
                c1, c2 = fit_two_stage(others)
                a, b = docs[s.name]
                st_o = replace(st, calibration=c1, context=c2)
                res = eval_clauses(s, a, b, rescore(scored[s.name], c1, c2), st_o, 0.0)
                cv_total.add(res.all)
                print(f"  {s.name:16} {res.all.row()}")
            print(f"  {'overall':16} {cv_total.row()}")
            report["clause_cv"] = cv_total.to_dict()
            print(
                "\n  leave-one-pair-out F1 by min_score: "
                + "  ".join(f"{t:.2f}:{f:.3f}" for t, f in cv_sweep(specs, items, docs, st))
            )
            nested, chosen = nested_threshold_cv(specs, items, docs, st)
            total = PRF()
            print(
                "\nleave-one-pair-out, min_score chosen on the other pairs:  P     R     F1"
                "  (tp/pred/gold)"
            )
            for name, (t, res) in nested.items():
                total.add(res)
                print(f"  {name:16} min_score {t:.2f}  {res.row()}")
            print(f"  {'overall':16}                 {total.row()}")
            print(f"  min_score chosen on all pairs: {chosen:.2f} (AlignSettings: {st.min_score})")
            report["clause_cv_nested"] = total.to_dict() | {"min_score_all": chosen}

    total_c, total_r, total_rev = PRF(), PRF(), PRF()
    total_pi, total_e2e, total_fair = PRF(), PRF(), PRF()
    causes_all: dict[str, int] = {}
    print(
        f"\nclause pairs ({args.embedder}):        P     R     F1  (tp/pred/gold)   "
        "reachable-only F1   mode        align s"
    )
    results = {}
    for s in specs:
        a, b = docs[s.name]
        res = eval_clauses(s, a, b, scored[s.name], st, seconds[s.name])
        results[s.name] = res
        total_c.add(res.all)
        total_r.add(res.reachable)
        total_rev.add(res.review)
        print(
            f"  {s.name:16} {res.all.row():28} {res.reachable.f1:5.3f} "
            f"(unreach. {len(res.unreachable)})  {res.mode:11} {res.seconds:6.2f}"
        )
        report["pairs"][s.name] = {
            "clauses": res.all.to_dict(),
            "clauses_reachable": res.reachable.to_dict(),
            "mode": res.mode,
            "unreachable": res.unreachable,
        }
    print(f"  {'overall':16} {total_c.row():28} {total_r.f1:5.3f}")
    print(
        f"  of the {total_c.pred} predicted pairs {total_rev.pred} carry review=True "
        f"({total_rev.tp} of them gold); they are output, so they count above"
    )
    report["clauses"] = total_c.to_dict()
    report["clauses_review"] = {"predicted": total_rev.pred, "gold": total_rev.tp}
    report["clauses_reachable"] = total_r.to_dict()
    cal = reliability([(scored[x.name], gold_clause_links(x)) for x in specs])
    print(
        f"  calibration of clause scores over {cal['cells']} candidate pairs: Brier "
        f"{cal['brier']:.3f}, expected calibration error {cal['ece']:.3f}; "
        + ", ".join(f"p≈{b:.1f}: {f:.2f} gold (n={n})" for b, f, n in cal["bins"])
    )
    report["clause_calibration"] = cal
    if args.errors:
        for res in results.values():
            for x in res.unreachable:
                print(f"  {res.name}: not in ingested documents: {x}")
            for x in res.missed:
                print(f"  {res.name}: missed {x}")
            for x in res.wrong:
                print(f"  {res.name}: wrong  {x}")

    if not args.no_indicators:
        print(
            "\nindicator pairs:     pairing only (gold indicators)     end to end (extracted)"
            "           pairing of what extraction found"
        )
        for s in specs:
            rows = read_csv(s.folder / "gold_indicator_pairs.csv")
            if not rows:
                continue
            a, b = docs[s.name]
            pi, perr = eval_pairing_only(s, rows, g, emb)
            pairs = pairs_from_scores(scored[s.name], a, b, st)
            e2e, causes, eerr = eval_end_to_end(s, rows, a, b, g, emb, pairs)
            fair = PRF(causes.pop("_fair_tp"), causes.pop("_fair_pred"), causes.pop("_fair_gold"))
            total_fair.add(fair)
            total_pi.add(pi)
            total_e2e.add(e2e)
            for k, v in causes.items():
                causes_all[k] = causes_all.get(k, 0) + v
            print(f"  {s.name:16} {pi.row():30} {e2e.row():30} {fair.row()}")
            report["pairs"][s.name].update(
                indicators_pairing=pi.to_dict(),
                indicators_end_to_end=e2e.to_dict(),
                indicators_pairing_of_extracted=fair.to_dict(),
                end_to_end_misses=causes,
            )
            if args.errors:
                print("\n".join(perr + eerr))
        print(f"  {'overall':16} {total_pi.row():30} {total_e2e.row():30} {total_fair.row()}")
        print(
            "  end-to-end misses by cause: "
            + ", ".join(f"{k}: {v}" for k, v in sorted(causes_all.items()))
        )
        report["indicators_pairing"] = total_pi.to_dict()
        report["indicators_end_to_end"] = total_e2e.to_dict()
        report["indicators_pairing_of_extracted"] = total_fair.to_dict()
        report["end_to_end_misses"] = causes_all
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
