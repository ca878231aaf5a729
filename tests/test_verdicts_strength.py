"""Requirement strength: 应/宜/可/能 ↔ shall/should/may/can ↔ должен/следует/допускается."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from stdcompare import ClausePair, Comparison
from stdcompare.gaps.strength import (
    STRENGTHS,
    annotate_strength,
    clause_strength,
    find_modals,
    strength_mismatch,
)


@pytest.mark.parametrize(
    ("text", "strength"),
    [
        # Chinese (GB/T 1.1—2020 verbal forms)
        ("生活饮用水水质应符合表1的要求。", "requirement"),
        ("铅的含量不得超过0.01 mg/L。", "requirement"),
        ("检验方法宜采用GB/T 5750。", "recommendation"),
        ("小型集中式供水可按表1注b执行。", "permission"),
        ("该方法能检出0.001 mg/L的铅。", "possibility"),
        ("本文件适用于城乡各类生活饮用水。", None),
        # compounds that contain a modal character without being one
        ("相应的检验方法及其应用范围。", None),
        ("功能性饮料的性能和能量。", None),
        ("可靠的可溶性物质。", None),
        # English (ISO/IEC Directives Part 2)
        ("Member States shall ensure that water is wholesome and clean.", "requirement"),
        ("The concentration must not exceed 10 µg/l.", "requirement"),
        ("Sampling points should be chosen at the tap.", "recommendation"),
        ("Member States may set values for additional parameters.", "permission"),
        ("The method can detect 1 µg/l.", "possibility"),
        ("This Directive entered into force in May 2021.", None),
        # Russian (ГОСТ 1.5 usage)
        ("Массовая доля серы должна быть не более 10 мг/кг.", "requirement"),
        ("Не допускается выпуск топлива с содержанием серы более 10 мг/кг.", "requirement"),
        ("Испытания следует проводить по ГОСТ 32139.", "recommendation"),
        ("Допускается применение присадок.", "permission"),
        ("Топливо может содержать присадки.", "possibility"),
    ],
)
def test_clause_strength(text: str, strength: str | None) -> None:
    assert clause_strength(text) == strength


def test_the_strongest_form_wins_and_spans_point_at_the_words() -> None:
    text = "可采用其他方法，但结果应符合表1的要求。"
    assert clause_strength(text) == "requirement"
    found = find_modals(text)
    assert [text[m.start : m.end] for m in found] == ["可", "应"]
    assert [m.strength for m in found] == ["permission", "requirement"]
    assert [m.form for m in find_modals("It shall not exceed")] == ["shall not"]


def test_mismatch_is_requirement_against_recommendation_or_permission() -> None:
    assert strength_mismatch("requirement", "recommendation")
    assert strength_mismatch("permission", "requirement")
    assert not strength_mismatch("requirement", "requirement")
    assert not strength_mismatch("requirement", None)  # informative text: nothing to say
    assert not strength_mismatch("requirement", "possibility")
    assert not strength_mismatch("recommendation", "permission")


def test_annotate_strength_fills_clause_pairs_and_round_trips() -> None:
    pairs = annotate_strength(
        [
            ClausePair(
                "5.1",
                "Article 9",
                "检验方法宜采用GB/T 5750。",
                "Methods shall be those of Annex III.",
                0.7,
            ),
            ClausePair(
                "4.1",
                "Article 5",
                "水质应符合表1的要求。",
                "Member States shall ensure compliance.",
                0.8,
            ),
            ClausePair(
                "1", "Article 1", "本文件规定了水质要求。", "This Directive concerns water.", 0.6
            ),
        ]
    )
    assert (pairs[0].a_strength, pairs[0].b_strength, pairs[0].strength_mismatch) == (
        "recommendation",
        "requirement",
        True,
    )
    assert not pairs[1].strength_mismatch and pairs[1].a_strength == "requirement"
    assert pairs[2].a_strength is None and not pairs[2].strength_mismatch
    # the new fields survive the comparison-v1 JSON and old JSON without them still loads
    from stdcompare import DocumentInfo

    cmp = Comparison(
        DocumentInfo("a", "A", None, "zh", 1), DocumentInfo("b", "B", None, "en", 1), pairs
    )
    back = Comparison.from_json(cmp.to_json())
    assert back.pair_list == pairs
    old = cmp.to_dict()
    for p in old["clause_pairs"]:
        for k in ("a_strength", "b_strength", "strength_mismatch"):
            del p[k]
    assert Comparison.from_dict(old).pair_list[0].strength_mismatch is False


def test_vocabulary_file_covers_the_three_languages_and_four_strengths() -> None:
    text = resources.files("stdcompare.data").joinpath("modal_verbs.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    for lang in ("zh", "en", "ru"):
        found = {r["strength"] for r in rows if r["lang"] == lang}
        assert set(STRENGTHS) <= found, lang
    assert {
        "应",
        "宜",
        "可",
        "能",
        "shall",
        "should",
        "may",
        "can",
        "должен",
        "следует",
        "допускается",
    } <= {r["form"] for r in rows}
