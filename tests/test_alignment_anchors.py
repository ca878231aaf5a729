"""Fuzzy anchors: numbers, quantities, units, symbols, codes, INS numbers, references, concepts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stdcompare.alignment.anchors import (
    anchor_agreement,
    clause_id_agreement,
    concept_agreement,
    extract_anchors,
    normalise_clause_id,
    soft_cosine,
    title_concept_agreement,
    zh_number,
)
from stdcompare.indicators.glossary import default_glossary


def test_quantities_meet_across_units_and_decimal_commas() -> None:
    zh = extract_anchors("铅的含量不得超过0.01 mg/L。", "zh")
    en = extract_anchors("Lead shall not exceed 10 µg/l.", "en")
    ru = extract_anchors("Содержание свинца не более 0,01 мг/дм³.", "ru")
    q = zh.of("q")
    assert q and q == en.of("q") == ru.of("q")
    other = extract_anchors("Lead shall not exceed 5 µg/l.", "en")
    assert other.of("q") != q


def test_codes_are_normalised_across_scripts() -> None:
    ru = extract_anchors("Массовая доля серы по ГОСТ Р 51947, ТР ТС 013/2011.", "ru")
    en = extract_anchors("Sulfur content by GOST R 51947 (TR CU 013/2011).", "en")
    assert {"GOST R 51947", "TR CU 013/2011"} <= ru.of("code")
    assert ru.of("code") == en.of("code")
    eu = extract_anchors("as laid down in Regulation (EC) No 1881/2006", "en")
    assert "act 1881/2006" in eu.of("code")


def test_ins_and_e_numbers() -> None:
    a = extract_anchors("苯甲酸钠（INS 211）", "zh")
    b = extract_anchors("Sodium benzoate E 211 and E211", "en")
    c = extract_anchors("бензоат натрия Е211", "ru")  # Cyrillic Е
    assert a.of("ins") == b.of("ins") == c.of("ins") == {"211"}
    assert extract_anchors("see table E 2", "en").of("ins") == set()


def test_chemical_symbols_not_words() -> None:
    en = extract_anchors(
        "NOTE 1: In the case of Cr(VI), NO3- and Pb the limit applies. As required.", "en"
    )
    syms = en.of("sym")
    assert {"Cr(VI)", "NO3-", "Pb"} <= syms
    assert not syms & {"NOTE", "In", "As", "N", "O"}
    assert "B" not in extract_anchors("见附录B和表B.1", "zh").of("sym")


def test_references_and_dates_are_not_bare_numbers() -> None:
    x = extract_anchors("按表2和附录A的规定，于2022年3月15日实施（见4.1.2）。", "zh")
    assert {"table 2", "annex 1", "clause 4.1.2"} <= x.of("ref")
    assert not x.of("n") & {"2", "2022", "15", "3"}


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("4.1.2", "4.1.2"),
        ("4.1.", "4.1"),
        ("Article 5", "article 5"),
        ("Статья 5", "article 5"),
        ("第五条", "article 5"),
        ("ANNEX I", "annex 1"),
        ("附录A", "annex 1"),
        ("Приложение А", "annex 1"),
        ("Приложение 3", "annex 3"),
        ("Annex B", "annex 2"),
        ("A.2", "annex 1.2"),
        ("前言", "foreword"),
        ("Foreword", "foreword"),
        ("Предисловие", "foreword"),
        ("Part C", "part 3"),
        ("第3章", "3"),
        ("Article 5(2)", "article 5.2"),
    ],
)
def test_clause_ids_normalise_across_languages(raw: str, norm: str) -> None:
    assert normalise_clause_id(raw) == norm


def test_chinese_numerals() -> None:
    assert [zh_number(s) for s in ("十", "二十三", "一百零五", "七")] == [10, 23, 105, 7]
    assert zh_number("abc") is None


def test_clause_id_agreement_matrix() -> None:
    m = clause_id_agreement(["4.1", "Article 5", "附录A"], ["Статья 5", "4.1", "Annex A", "9"])
    assert m.tolist() == [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 1, 0]]


def test_soft_cosine_fuzzy_codes_and_idf() -> None:
    a = [["code:GB/T 5750.5"], ["code:GB 2762"], ["u:kg/m3"]]
    b = [["code:GB/T 5750"], ["code:GB 2763"], ["u:kg/m3"]]
    m = soft_cosine(a, b)
    assert 0 < m[0, 0] < 1  # near-equal code: partial credit
    assert m[1, 1] == 0  # different standard, not a typo of it
    assert m[0, 1] == 0
    # a token shared by every clause says less than a rare one
    common = soft_cosine([["u:x", "q:1"], ["u:x"], ["u:x"]], [["u:x", "q:1"], ["u:x"], ["u:x"]])
    assert common[0, 0] > common[1, 1]
    assert np.allclose(common, common.T)


def test_anchor_agreement_ignores_document_internal_references() -> None:
    a = [extract_anchors("可参考附录A中的限值", "zh")]
    b = [extract_anchors("the values set out in Annex I", "en")]
    assert anchor_agreement(a, b)[0, 0] == 0


def test_concepts_and_title_conflict() -> None:
    g = default_glossary()
    lead_zh = extract_anchors("铅的限量为0.2 mg/kg", "zh", g)
    lead_en = extract_anchors("Maximum level of lead: 0.20 mg/kg", "en", g)
    cadmium = extract_anchors("Maximum level of cadmium: 0.20 mg/kg", "en", g)
    assert "lead" in lead_zh.concepts and "lead" in lead_en.concepts
    c = concept_agreement([lead_zh], [lead_en, cadmium], g)
    assert c[0, 0] > c[0, 1]
    # the same number for a different substance: the title concept decides
    agree, conflict = title_concept_agreement(
        [{"lead"}, {"cadmium"}, set()], [{"lead"}, {"cadmium"}, {"mercury"}], g
    )
    assert agree[0, 0] > 0 and agree[0, 1] == 0
    assert conflict[0, 1] == 1 and conflict[0, 0] == 0
    assert conflict[2].sum() == 0  # no title, no conflict


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["zh", "en", "ru"]))
def test_anchor_extraction_never_fails(text: str, lang: str) -> None:
    x = extract_anchors(text, lang, default_glossary())
    assert all(":" in t for t in x.tokens)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sets(st.sampled_from(["q:1", "q:2", "n:3", "code:GB 1", "code:GB 1.2"])), max_size=5
    ),
    st.lists(st.sets(st.sampled_from(["q:1", "q:2", "n:3", "code:GB 1", "sym:Pb"])), max_size=5),
)
def test_soft_cosine_bounded(a: list[set[str]], b: list[set[str]]) -> None:
    m = soft_cosine(a, b)
    assert m.shape == (len(a), len(b))
    assert (m >= 0).all() and (m <= 1 + 1e-6).all()


@pytest.mark.parametrize(
    ("title", "types"),
    [
        ("范围", {"scope"}),
        ("Subject matter and objectives", {"scope"}),
        ("Область применения", {"scope"}),
        ("术语和定义", {"terms"}),
        ("Определения", {"terms"}),
        ("取样及贮存", {"sampling", "storage"}),
        ("Methods of test", {"methods"}),
        ("Point of compliance", set()),
    ],
)
def test_section_types(title: str, types: set[str]) -> None:
    from stdcompare.alignment.anchors import section_types

    assert section_types(title) == types
