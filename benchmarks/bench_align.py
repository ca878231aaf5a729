"""Speed of clause alignment: cold encoding and a warm-cache 1,000 × 1,000 alignment.

Two synthetic documents of realistic clauses are generated from the glossary (Chinese for A,
English or Russian for B): each clause states two or three limits of real substances on real
food categories, a reference to a test method and a sentence of ordinary requirement text, so
clause length (≈ 120–300 characters), numbers, units, codes and concept mentions look like a
standard's. Printed:

- **cold encoding**: clauses per second through the default embedder (``use``) and the
  on-disk cache, starting from an empty cache (target ≥ 300/s);
- **warm alignment**: seconds for :func:`stdcompare.alignment.align_clauses` on 1,000 × 1,000
  clauses with every embedding already cached (target < 10 s on 2 cores), with its stages;
- a **baseline** measured in the same run — the bare cosine matrix plus a Hungarian
  assignment of the same size — and the ratio to it, because timings on a shared machine are
  noisy.

    .venv/bin/python benchmarks/bench_align.py              # 1000 × 1000, zh–en
    .venv/bin/python benchmarks/bench_align.py --n 300 --lang ru
    .venv/bin/python benchmarks/bench_align.py --lang zh --paragraphs   # two editions

``--paragraphs`` puts each sentence of a clause on its own line, so the paragraph
similarities and the merge runs (:mod:`stdcompare.alignment.merges`) have work to do;
``--lang zh`` aligns two Chinese documents, which adds the character n-gram comparison of
clauses and paragraphs that same-language documents get.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stdcompare import Clause, Document  # noqa: E402
from stdcompare.alignment import (  # noqa: E402
    AlignSettings,
    CachedEmbedder,
    EmbeddingCache,
    align_clauses,
    get_embedder,
)
from stdcompare.alignment.embedders import cores  # noqa: E402
from stdcompare.indicators.glossary import default_glossary  # noqa: E402

ZH_FILLER = [
    "生产企业应建立并实施相应的质量控制措施，确保产品持续符合本文件的要求。",
    "检验结果的判定按照GB/T 8170规定的修约值比较法进行。",
    "当检验结果不符合要求时，应加倍抽样复检，复检结果仍不合格的，判该批产品不合格。",
    "限量指标对制品有要求的情况下，其中干制品中污染物限量以相应新鲜食品中污染物限量结合其脱水率或浓缩率折算。",
]
EN_FILLER = [
    "Food business operators shall take the measures necessary to ensure continued compliance.",
    "Results shall be rounded and compared with the limit in accordance with ISO 80000-1.",
    "Where the result does not comply, a second sample shall be taken and analysed.",
    "For dried, diluted or processed food the maximum level shall take into account the "
    "changes of concentration caused by drying or dilution.",
]
RU_FILLER = [
    "Изготовитель обязан обеспечить постоянное соответствие продукции требованиям настоящего документа.",
    "Результаты испытаний округляют и сравнивают с нормой в соответствии с ГОСТ Р 8.736.",
    "При получении неудовлетворительных результатов проводят повторные испытания на удвоенной выборке.",
    "Для сушеной и концентрированной продукции нормы пересчитывают с учетом содержания сухих веществ.",
]
ZH_LIMIT = "{food}中{sub}的含量不应超过{v} mg/kg，按GB 5009.{m}规定的方法测定。"
EN_LIMIT = (
    "The maximum level of {sub} in {food} shall be {v} mg/kg, determined by the method of EN {m}."
)
RU_LIMIT = (
    "Содержание {sub} в продукции «{food}» не должно превышать {v} мг/кг (метод по ГОСТ {m})."
)


def _names(kind: str, lang: str) -> list[str]:
    g = default_glossary()
    out = [c.names[lang][0] for c in g.concepts.values() if c.kind == kind and c.names.get(lang)]
    return out or ["—"]


def synthetic(n: int, lang: str, seed: int = 7, paragraphs: bool = False) -> Document:
    """``n`` clauses (numbered 1, 1.1, 1.2 … under ten chapters) in ``lang``; with
    ``paragraphs`` each sentence of a clause is a paragraph of its own."""
    rnd = random.Random(seed)
    subs = _names("element", lang) + _names("contaminant", lang) + _names("mycotoxin", lang)
    foods = _names("food_category", lang)
    limit, filler = {
        "zh": (ZH_LIMIT, ZH_FILLER),
        "en": (EN_LIMIT, EN_FILLER),
        "ru": (RU_LIMIT, RU_FILLER),
    }[lang]
    clauses = []
    chapters = 10
    per = max(1, n // chapters - 1)
    k = 0
    for ch in range(1, chapters + 1):
        if k >= n:
            break
        clauses.append(Clause(str(ch), rnd.choice(foods), rnd.choice(filler), page=ch))
        k += 1
        for sub in range(1, per + 1):
            if k >= n:
                break
            parts = [
                limit.format(
                    food=rnd.choice(foods),
                    sub=rnd.choice(subs),
                    v=rnd.choice(["0.01", "0.05", "0.1", "0.2", "0.5", "1.0", "2.0"]),
                    m=rnd.randint(1, 30),
                )
                for _ in range(rnd.randint(2, 3))
            ]
            parts.append(rnd.choice(filler))
            clauses.append(
                Clause(
                    f"{ch}.{sub}",
                    "",
                    ("\n" if paragraphs else "" if lang == "zh" else " ").join(parts),
                    page=ch,
                    parent=str(ch),
                    level=2,
                )
            )
            k += 1
    while k < n:  # top up when n is not a multiple of the chapter count
        clauses.append(Clause(f"A.{k}", "", rnd.choice(filler), page=chapters, kind="annex"))
        k += 1
    return Document(
        source=f"synthetic-{lang}.txt", language=lang, pages=chapters, clauses=tuple(clauses)
    )


def baseline(n: int, dim: int = 512) -> float:
    """Seconds for the irreducible core: an n × n cosine matrix and a Hungarian assignment."""
    from scipy.optimize import linear_sum_assignment

    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, dim)).astype(np.float32)
    b = rng.standard_normal((n, dim)).astype(np.float32)
    t = time.perf_counter()
    sim = a @ b.T
    linear_sum_assignment(-sim)
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="clause alignment speed")
    ap.add_argument("--n", type=int, default=1000, help="clauses per document")
    ap.add_argument(
        "--lang", default="en", choices=("en", "ru", "zh"), help="language of document B"
    )
    ap.add_argument("--paragraphs", action="store_true", help="one sentence per paragraph")
    ap.add_argument("--embedder", default="use")
    args = ap.parse_args(argv)

    a = synthetic(args.n, "zh", seed=1, paragraphs=args.paragraphs)
    b = synthetic(args.n, args.lang, seed=2, paragraphs=args.paragraphs)
    print(f"machine: {cores()} cores; timings on a shared machine are noisy")
    print(
        f"documents: {len(a.clauses)} zh clauses × {len(b.clauses)} {args.lang} clauses, "
        f"mean length {np.mean([len(c.full_text) for c in a.clauses + b.clauses]):.0f} chars"
    )
    model = get_embedder(args.embedder)
    model.encode(["warm up the model"])  # loading the weights is not encoding
    with tempfile.TemporaryDirectory() as tmp:
        emb = CachedEmbedder(model, EmbeddingCache(Path(tmp) / "cache.sqlite"))
        st = AlignSettings()
        t = time.perf_counter()
        align_clauses(a, b, emb, settings=st)
        cold = time.perf_counter() - t
        encoded = emb.misses
        warm_t0 = time.perf_counter()
        pairs = align_clauses(a, b, emb, settings=st)
        warm = time.perf_counter() - warm_t0
        assert emb.misses == encoded, "the warm run re-encoded clauses"
        # cold encoding alone: a fresh cache, the same texts
        emb2 = CachedEmbedder(model, EmbeddingCache(Path(tmp) / "cold.sqlite"))
        texts = [c.full_text[:600] for c in a.clauses + b.clauses]
        t = time.perf_counter()
        emb2.encode(texts)
        enc = time.perf_counter() - t
    base = baseline(args.n)
    rate = len(texts) / enc
    # CPU time of one thread, which other load on a shared machine barely changes
    one = type(model)(threads=1) if hasattr(model, "threads") else model
    one.encode(["warm up"])
    c0 = time.process_time()
    one.encode(texts[:400])
    per_cpu_s = 400 / max(1e-9, time.process_time() - c0)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"cold encoding ({args.embedder}, through the cache): {len(texts)} clauses in "
        f"{enc:.2f} s = {rate:.0f} clauses/s  [target ≥ 300/s: {'ok' if rate >= 300 else 'MISSED'}]"
    )
    print(
        f"  one thread: {per_cpu_s:.0f} clauses per CPU-second → about {per_cpu_s * cores():.0f}/s "
        f"on {cores()} idle cores (load average now {load:.1f})"
    )
    print(f"first alignment (cold cache, {encoded} texts encoded): {cold:.2f} s")
    print(
        f"warm alignment {args.n} × {args.n}: {warm:.2f} s, {len(pairs)} pairs  "
        f"[target < 10 s: {'ok' if warm < 10 else 'MISSED'}]"
    )
    print(
        f"baseline (cosine matrix + Hungarian, {args.n} × {args.n}): {base:.3f} s; "
        f"warm alignment = {warm / base:.1f} × baseline"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
