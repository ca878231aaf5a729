"""Embedders, the embedding cache and clause alignment."""

from __future__ import annotations

import numpy as np
import pytest

from stdcompare import Clause, Document
from stdcompare.alignment import CachedEmbedder, EmbeddingCache, align_clauses, get_embedder
from stdcompare.errors import UnknownEmbedder


def test_unknown_embedder_lists_choices() -> None:
    with pytest.raises(UnknownEmbedder) as exc:
        get_embedder("word2vec")
    assert "use" in str(exc.value) and "e5" in str(exc.value) and "st:" in str(exc.value)
    assert isinstance(exc.value, KeyError)


def test_use_is_multilingual() -> None:
    emb = get_embedder("use")
    v = emb.encode(["铅的限量", "maximum level of lead", "предельное содержание свинца", "pH of water"])
    assert v.shape == (4, 512)
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-4)
    sim = v @ v.T
    assert sim[0, 1] > sim[0, 3] and sim[2, 1] > sim[2, 3]


class Counting:
    """A deterministic toy embedder that counts what it is asked to encode."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.seen += list(texts)
        return np.array([[len(t), 1.0, t.count("a")] for t in texts], dtype=np.float32)


def test_cache_never_reencodes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    base = Counting()
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    emb = CachedEmbedder(base, cache)
    first = emb.encode(["a", "bb", "a"])
    again = CachedEmbedder(base, EmbeddingCache(tmp_path / "c.sqlite")).encode(["bb", "a", "ccc"])
    assert base.seen == ["a", "bb", "ccc"]
    assert np.allclose(first[1], again[0]) and np.allclose(first[0], again[1])


def _doc(lang: str, clauses: list[tuple[str, str, str]]) -> Document:
    return Document(source=f"{lang}.txt", language=lang, pages=1,
                    clauses=tuple(Clause(i, h, t, 1) for i, h, t in clauses))


def test_align_clauses_cross_lingual() -> None:
    a = _doc("zh", [("1", "范围", "本文件规定了生活饮用水的水质要求。"),
                    ("4.1", "铅", "铅的含量不得超过0.01 mg/L。"),
                    ("4.2", "pH", "pH 不小于6.5且不大于8.5。")])
    b = _doc("en", [("Article 1", "Scope", "This Directive concerns the quality of drinking water."),
                    ("2", "pH", "pH shall be ≥ 6,5 and ≤ 9,5."),
                    ("1", "Lead", "Lead shall not exceed 10 µg/l.")])
    pairs = align_clauses(a, b, get_embedder("use"))
    assert [(p.a_id, p.b_id) for p in pairs] == [("1", "Article 1"), ("4.1", "1"), ("4.2", "2")]
    assert all(p.margin is not None for p in pairs)
