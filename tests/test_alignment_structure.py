"""Clause alignment and the document structure: recitals, section types, the clause tree
(1:n links, context titles, inherited section types), paragraphs of long clauses, and the
document title line."""

from __future__ import annotations

import numpy as np
import pytest

from stdcompare import Clause, Document, Metadata
from stdcompare.alignment import AlignSettings, align_clauses, get_embedder
from stdcompare.alignment.anchors import section_types
from stdcompare.alignment.clauses import (
    alignable,
    clause_parts,
    clause_texts,
    part_similarity,
    score_clauses,
)


def _doc(
    lang: str,
    clauses: list[tuple[str, str, str, str | None, str]],
    metadata: Metadata | None = None,
) -> Document:
    """``(id, heading, text, parent, kind)`` per clause."""
    return Document(
        source=f"{lang}.txt",
        language=lang,
        pages=1,
        metadata=metadata or Metadata(),
        clauses=tuple(
            Clause(i, h, t, 1, parent=p, kind=k, level=1 + (p is not None))
            for i, h, t, p, k in clauses
        ),
    )


@pytest.fixture(scope="module")
def use():  # type: ignore[no-untyped-def]
    return get_embedder("use")


def test_section_types_in_three_languages() -> None:
    cases = {
        "general": ["总则", "应用原则", "General provisions", "General rules", "Общие положения"],
        "monitoring": ["水质监测", "Monitoring", "Мониторинг качества"],
        "implementation": ["标准的实施", "Entry into force", "Переходные положения"],
        "description": ["外观", "Description", "Внешний вид"],
        "hygiene": ["卫生要求", "Minimum hygiene requirements", "Гигиенические требования"],
        "contaminants": ["污染物限量", "Contaminants", "Загрязнители"],
        "additives": ["食品添加剂", "Food additives", "Пищевые добавки"],
        "test_report": ["试验报告", "Test report", "Протокол испытаний"],
        "raw_materials": ["原料要求", "Raw materials", "Сырьё"],
    }
    for kind, titles in cases.items():
        for t in titles:
            assert kind in section_types(t), (kind, t)
    # "检验方法" is a test method, not an inspection section; monitoring is not inspection
    assert section_types("水质检验方法") == {"methods"}
    assert "inspection" not in section_types("Monitoring")
    assert section_types("Правила обращения топлива на рынке") == set()


def test_recitals_explain_clauses_outside_the_monotone_order(use) -> None:  # type: ignore[no-untyped-def]
    a = _doc(
        "zh",
        [
            ("1", "范围", "本文件规定了食品中铅、镉的限量指标。", None, "clause"),
            (
                "3",
                "应用原则",
                "无论是否制定污染物限量，食品生产和加工者均应采取控制措施，使食品中污染物的含量达到尽可能低的水平。",
                None,
                "clause",
            ),
            ("4", "铅", "谷物中铅的限量为0.2 mg/kg。", None, "clause"),
            ("5", "镉", "谷物中镉的限量为0.1 mg/kg。", None, "clause"),
        ],
    )
    b = _doc(
        "en",
        [
            ("front", "", "COMMISSION REGULATION (EU) 2099/1", None, "front"),
            (
                "Recital 1",
                "",
                "Maximum levels should be set as low as reasonably achievable, so that food "
                "business operators reduce contamination as far as possible.",
                "front",
                "recital",
            ),
            (
                "Article 1",
                "Scope",
                "This Regulation sets maximum levels of lead and cadmium.",
                None,
                "article",
            ),
            (
                "Article 2",
                "Lead",
                "The maximum level of lead in cereals is 0,20 mg/kg.",
                None,
                "article",
            ),
            (
                "Article 3",
                "Cadmium",
                "The maximum level of cadmium in cereals is 0,10 mg/kg.",
                None,
                "article",
            ),
        ],
    )
    pairs = align_clauses(a, b, use, settings=AlignSettings(mode="monotone"))
    got = {(p.a_id, p.b_id) for p in pairs}
    # the recital comes first in B and explains clause 3 of A: a crossing the monotone
    # assignment of the normative clauses would forbid
    assert ("3", "Recital 1") in got
    assert {("1", "Article 1"), ("4", "Article 2"), ("5", "Article 3")} <= got
    assert sum(p.b_id == "Recital 1" for p in pairs) == 1  # a recital explains one clause


def test_one_section_answers_several_entries(use) -> None:  # type: ignore[no-untyped-def]
    """1:n along the clause tree: one GB requirement clause with all the limits against an
    article whose numbered paragraphs each state one of them."""
    a = _doc(
        "zh",
        [
            ("1", "范围", "本文件规定了车用柴油的技术要求。", None, "clause"),
            (
                "5",
                "技术要求",
                "车用柴油的硫含量不大于10 mg/kg，闭口闪点不低于60 ℃，十六烷值不小于51，"
                "润滑性（校正磨痕直径）不大于460 μm。",
                None,
                "clause",
            ),
        ],
    )
    b = _doc(
        "en",
        [
            ("1", "Scope", "This standard specifies requirements for diesel fuel.", None, "clause"),
            ("4", "Requirements", "", None, "clause"),
            ("4.1", "Sulfur", "The sulfur content shall not exceed 10 mg/kg.", "4", "clause"),
            ("4.2", "Flash point", "The flash point shall be not lower than 60 °C.", "4", "clause"),
            ("4.3", "Cetane number", "The cetane number shall be not less than 51.", "4", "clause"),
            (
                "4.4",
                "Lubricity",
                "The lubricity (wear scar diameter) shall not exceed 460 µm.",
                "4",
                "clause",
            ),
        ],
    )
    pairs = align_clauses(a, b, use)
    got = {(p.a_id, p.b_id) for p in pairs}
    assert ("1", "1") in got
    linked = {b_id for a_id, b_id in got if a_id == "5"}
    # the section and (through the tree) the entries stating its limits
    assert "4" in linked and len(linked & {"4.1", "4.2", "4.3", "4.4"}) >= 3, sorted(got)
    assert all(p.method.endswith("1:n") for p in pairs if p.a_id == "5" and p.b_id != "4")


def test_a_clause_without_a_title_is_embedded_with_its_ancestors_titles() -> None:
    clauses = (
        Clause("4", "指标要求", "", 1, kind="clause"),
        Clause("4.1", "铅", "", 1, parent="4", level=2, kind="clause"),
        Clause("4.1.1", "", "食品中铅限量指标见表1。", 1, parent="4.1", level=3, kind="clause"),
    )
    texts = clause_texts(clauses, with_context=True)
    assert texts[2].startswith("指标要求 › 铅 › 食品中铅限量指标见表1。")
    assert texts[1].startswith("铅")  # a titled clause speaks for itself
    assert clause_texts(clauses)[2].startswith("食品中铅限量指标见表1。")


def test_untitled_clauses_inherit_the_section_type_for_conflicts(use) -> None:  # type: ignore[no-untyped-def]
    a = _doc(
        "zh",
        [
            ("5", "技术要求", "车用柴油应符合表3的要求。", None, "clause"),
            (
                "9",
                "标准的实施",
                "车用柴油（Ⅵ）的技术要求按国家规定的实施日期执行。",
                None,
                "clause",
            ),
        ],
    )
    b = _doc(
        "ru",
        [
            ("Статья 4", "Требования к топливу", "", None, "article"),
            (
                "4.1",
                "",
                "Выпускаемое в обращение топливо должно соответствовать требованиям "
                "технического регламента в течение всего срока его обращения.",
                "Статья 4",
                "clause",
            ),
        ],
    )
    scored = score_clauses(a, b, use)
    i9 = [c.id for c in scored.a].index("9")
    j41 = [c.id for c in scored.b].index("4.1")
    i5 = [c.id for c in scored.a].index("5")
    # 4.1 is in a requirements article; 9 is about implementation
    assert scored.features.values["section_conflict"][i9, j41] == 1.0
    assert scored.features.values["section_conflict"][i5, j41] == 0.0
    # a "general" section (General obligations, 总则) may hold any requirement: no conflict
    g = _doc(
        "en",
        [
            ("Article 4", "General obligations", "", None, "article"),
            ("Article 4(1)", "", "Water shall be wholesome and clean.", "Article 4", "paragraph"),
        ],
    )
    v = score_clauses(a, g, use).features.values
    assert v["section_conflict"][i5].tolist() == [0.0, 0.0]


def test_part_similarity_takes_the_best_paragraph() -> None:
    e = np.eye(4, dtype=np.float32)
    ea = e[[0, 1]]  # two clauses of A
    eb = e[[2, 3]]  # two clauses of B
    # clause 1 of B has two paragraphs: one is clause 0 of A, the other clause 1 of A
    pb, ob = e[[0, 1]], np.array([1, 1])
    pa, oa = np.zeros((0, 4), dtype=np.float32), np.zeros(0, dtype=np.int64)
    cos = ea @ eb.T
    out = part_similarity(ea, eb, pa, oa, pb, ob, cos)
    assert out.tolist() == [[0.0, 1.0], [0.0, 1.0]]
    texts, owner = clause_parts(
        [
            Clause(
                "4.1",
                "",
                "生活饮用水的水质应满足下列基本要求：\na）不应含有病原微生物；\nb）感官性状良好。",
                1,
            ),
            Clause("4.2", "", "生活饮用水应经消毒处理。", 1),
        ]
    )
    assert texts[1:] == ["a）不应含有病原微生物；", "b）感官性状良好。"] and owner.tolist() == [
        0,
        0,
        0,
    ]


def test_merged_list_items_are_near_their_clauses(use) -> None:  # type: ignore[no-untyped-def]
    """Editions that merge "4.1.1 … 4.1.3" into the list of one clause: each old clause has
    its item, so the paragraph similarity is higher than the whole-clause one."""
    old = _doc(
        "zh",
        [
            ("4.1.1", "", "生活饮用水中不得含有病原微生物。", None, "clause"),
            ("4.1.2", "", "生活饮用水中化学物质不得危害人体健康。", None, "clause"),
            ("4.1.3", "", "生活饮用水应经消毒处理。", None, "clause"),
        ],
    )
    new = _doc(
        "zh",
        [
            (
                "4.1",
                "",
                "生活饮用水的水质应满足下列基本要求，以保证用户饮用安全：\na）不应含有病原微生物；\n"
                "b）所含化学物质不应危害人体健康；\nc）应经消毒处理。",
                None,
                "clause",
            ),
            ("4.2", "", "生活饮用水的水质应符合表1和表3的要求。", None, "clause"),
        ],
    )
    scored = score_clauses(old, new, use)
    v = scored.features.values
    assert (v["part_z"][:, 0] > v["part_z"][:, 1]).all()  # each old clause is nearest 4.1
    # "生活饮用水应经消毒处理。" is item c) word for word: much nearer it than the whole list
    assert v["part_z"][2, 0] > v["z"][2, 0] + 0.3


def test_the_document_title_line_is_not_aligned() -> None:
    doc = _doc(
        "en",
        [
            ("front", "", "INTERNATIONAL STANDARD ISO 3696", None, "front"),
            (
                "Water for analytical laboratory use — Specification and test",
                "Water for analytical laboratory use — Specification and test",
                "methods",
                None,
                "heading",
            ),
            ("1", "Scope", "This International Standard specifies requirements.", None, "clause"),
        ],
        metadata=Metadata(
            title="Water for analytical laboratory use — Specification and test methods"
        ),
    )
    assert [c.id for c in alignable(doc)] == ["1"]
