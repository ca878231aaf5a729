"""Many-to-many clause alignment: merge runs (consecutive clauses answering consecutive
paragraphs of one clause), the clause-tree closure (container, split), content cover of a
partner's siblings, and the features that let the calibrated model see them."""

from __future__ import annotations

import numpy as np
import pytest

from stdcompare import Clause, Document
from stdcompare.alignment import AlignSettings, align_clauses, assign, get_embedder
from stdcompare.alignment.anchors import Anchors, concept_cover, section_types, section_within
from stdcompare.alignment.clauses import _section_agreement, _type_agreement, score_clauses
from stdcompare.alignment.fusion import children_mean, merged_children, run_lead, sibling_best
from stdcompare.alignment.merges import lexical_similarity, next_siblings, part_runs


def _doc(lang: str, clauses: list[tuple[str, str, str, str | None]]) -> Document:
    """``(id, heading, text, parent)`` per clause."""
    return Document(
        source=f"{lang}.txt",
        language=lang,
        pages=1,
        clauses=tuple(
            Clause(i, h, t, 1, parent=p, kind="clause", level=1 + i.count("."))
            for i, h, t, p in clauses
        ),
    )


@pytest.fixture(scope="module")
def use():  # type: ignore[no-untyped-def]
    return get_embedder("use")


# --- merge runs --------------------------------------------------------------------------------


def test_next_siblings_skip_other_branches() -> None:
    # 0 "4", 1 "4.1", 2 "4.1.1", 3 "4.2", 4 "5"
    assert next_siblings([-1, 0, 1, 0, -1]).tolist() == [4, 3, -1, -1, -1]


def test_part_runs_need_consecutive_paragraphs_in_order() -> None:
    # clauses of X: 0 "4" with children 1, 2, 3; 4 "5"; paragraphs of Y clause 0: p0..p3
    parents = [-1, 0, 0, 0, -1]
    nxt = next_siblings(parents)
    owner = np.array([0, 0, 0, 0])
    sim = np.full((5, 4), 0.1)
    sim[1, 1] = sim[2, 2] = sim[3, 3] = 0.8  # 4.1 → item a), 4.2 → b), 4.3 → c)
    out = part_runs(sim, owner, 1, nxt, sim >= 0.5)
    assert out[1:4, 0].tolist() == [1.0, 1.0, 1.0]  # a run of three: full credit
    assert out[0, 0] == 0.0 and out[4, 0] == 0.0
    # two of them in order: half credit for the pair, nothing for the third
    sim[3] = 0.1
    sim[3, 1] = 0.8
    out = part_runs(sim, owner, 1, nxt, sim >= 0.5)
    assert out[1:4, 0].tolist() == [0.5, 0.5, 0.0]
    # the same paragraphs out of order are a coincidence, not a merge
    sim = np.full((5, 4), 0.1)
    sim[1, 3] = sim[2, 1] = sim[3, 2] = 0.8
    out = part_runs(sim, owner, 1, nxt, sim >= 0.5)
    assert out[1, 0] == 0.0 and out[2, 0] == 0.5 and out[3, 0] == 0.5
    # weak similarities do not count however they are ordered
    sim = np.full((5, 4), 0.1)
    sim[1, 1] = sim[2, 2] = sim[3, 3] = 0.3
    assert not part_runs(sim, owner, 1, nxt, sim >= 0.5).any()


def test_lexical_similarity_of_near_identical_sentences() -> None:
    xs = ["生活饮用水中不得含有病原微生物。", "The sulfur content shall not exceed 10 mg/kg."]
    ys = ["a）不应含有病原微生物；", "d）感官性状良好；", "Sulfur content: not more than 10 mg/kg"]
    sim = lexical_similarity(xs, ys)
    assert sim[0, 0] > 0.4 > sim[0, 1]  # the list marker and punctuation do not count
    assert sim[1, 2] > 0.4 and sim[0, 2] == 0.0
    assert lexical_similarity([], ys).shape == (0, 3)


# GB 5749—2006 clauses 4.1.1–4.1.4 and 4.1.6 against GB 5749—2022 clause 4.1 (list items a–d)
# and 4.2 (wording of both editions, abridged)
EDITION_2006 = [
    ("1", "范围", "本标准规定了生活饮用水水质卫生要求和水质检验方法。", None),
    ("4", "生活饮用水水质卫生要求", "", None),
    ("4.1", "", "生活饮用水中不得含有病原微生物。", "4"),
    ("4.2", "", "生活饮用水中化学物质不得危害人体健康。", "4"),
    ("4.3", "", "生活饮用水中放射性物质不得危害人体健康。", "4"),
    ("4.4", "", "生活饮用水的感官性状良好。", "4"),
    ("4.5", "", "生活饮用水水质应符合表1和表3卫生要求。", "4"),
    ("5", "水质检验方法", "生活饮用水水质检验应按照GB/T 5750执行。", None),
]
EDITION_2022 = [
    ("1", "范围", "本文件规定了生活饮用水的水质要求和水质检验方法。", None),
    ("4", "生活饮用水水质要求", "", None),
    (
        "4.1",
        "",
        "生活饮用水的水质应满足下列基本要求，以保证用户饮用安全：\na）不应含有病原微生物；\n"
        "b）所含化学物质不应危害人体健康；\nc）所含放射性物质不应危害人体健康；\nd）感官性状良好。",
        "4",
    ),
    ("4.2", "", "生活饮用水的水质应符合表1和表3的要求。", "4"),
    ("5", "水质检验方法", "生活饮用水水质检验应按照GB/T 5750（所有部分）执行。", None),
]


def test_an_edition_merging_clauses_into_one_list_is_aligned_many_to_one(use) -> None:  # type: ignore[no-untyped-def]
    a, b = _doc("zh", EDITION_2006), _doc("zh", EDITION_2022)
    scored = score_clauses(a, b, use)
    ia = [c.id for c in scored.a]
    ib = [c.id for c in scored.b]
    run = scored.features.values["part_run"]
    for k in ("4.1", "4.2", "4.3", "4.4"):
        assert run[ia.index(k), ib.index("4.1")] == 1.0, k
    assert run[ia.index("4.5"), ib.index("4.1")] == 0.0
    got = {(p.a_id, p.b_id) for p in align_clauses(a, b, use)}
    assert {("4.1", "4.1"), ("4.2", "4.1"), ("4.3", "4.1"), ("4.4", "4.1")} <= got, sorted(got)
    assert ("4.5", "4.2") in got and ("1", "1") in got and ("5", "5") in got
    assert not any(x == "4.5" and y == "4.1" for x, y in got)


def test_numbered_grades_against_paragraphs_of_one_clause(use) -> None:  # type: ignore[no-untyped-def]
    # GB/T 6682—2008 clause 4 (grades as sub-clauses) against ISO 3696:1987 clause 3
    # (grades as paragraphs), wording abridged
    a = _doc(
        "zh",
        [
            ("1", "范围", "本标准规定了分析实验室用水的级别、规格和试验方法。", None),
            ("4", "级别", "分析实验室用水共分三个级别：一级水、二级水和三级水。", None),
            (
                "4.1",
                "",
                "一级水用于有严格要求的分析试验，包括对颗粒有要求的试验，如高效液相色谱分析用水。",
                "4",
            ),
            ("4.2", "", "二级水用于无机痕量分析等试验，如原子吸收光谱分析用水。", "4"),
            ("4.3", "", "三级水用于一般化学分析试验。", "4"),
            ("5", "取样", "按本标准进行试验，应取有代表性的水样。", None),
        ],
    )
    b = _doc(
        "en",
        [
            ("1", "Scope", "This International Standard specifies requirements for three "
             "grades of water for laboratory use.", None),
            (
                "3",
                "Classification",
                "This International Standard covers three grades of water, as follows.\n"
                "Grade 1: essentially free from dissolved or colloidal ionic and organic "
                "contaminants; suitable for high performance liquid chromatography.\n"
                "Grade 2: very low inorganic, organic or colloidal contaminants; suitable for "
                "trace analytical purposes, for example atomic absorption spectrometry.\n"
                "Grade 3: suitable for most laboratory wet chemistry work.",
                None,
            ),
            ("5", "Sampling", "Take a representative sample in a clean container.", None),
        ],
    )  # fmt: skip
    scored = score_clauses(a, b, use)
    ia = [c.id for c in scored.a]
    j3 = [c.id for c in scored.b].index("3")
    assert [scored.features.values["part_run"][ia.index(k), j3] for k in ("4.1", "4.2", "4.3")] == [
        1.0,
        1.0,
        1.0,
    ]
    got = {(p.a_id, p.b_id) for p in align_clauses(a, b, use)}
    assert {("4", "3"), ("4.1", "3"), ("4.2", "3"), ("4.3", "3")} <= got, sorted(got)


# --- closure of the clause tree -------------------------------------------------------------------


def test_container_links_a_heading_whose_sub_clauses_answer_one_clause() -> None:
    # A: 0 "4" (children 1 "4.1", 2 "4.2"), 3 "4.9" (child 4 "4.9.1", 5 "4.9.2")
    # B: 0 "ANNEX I" (children 1 Part A, 2 Part B, 3 Part C), 4 "5.1"
    pa = [-1, 0, 0, -1, 3, 3]
    pb = [-1, 0, 0, 0, -1]
    got = assign.closure([(4, 4), (2, 1), (2, 2), (1, 3)], pa, pb)
    assert (3, 4, "container") in got  # 4.9 over its table clause (and an unlinked one)
    assert (2, 0, "container") in got  # Parts A and B (2 of 3) answer A's clause 2
    assert not any(j == 0 and i == 1 for i, j, _ in got)  # one part of three is no majority


def test_container_needs_a_merge_where_the_tree_already_says_it() -> None:
    # two editions: "5" ↔ "5", "5.1" ↔ "5.1", "5.2" ↔ "5.2" — "5" ↔ "5.1" adds nothing
    pa = pb = [-1, 0, 0]
    assert assign.closure([(0, 0), (1, 1), (2, 2)], pa, pb) == []
    # "5.1" and "5.2" both merged into the new "5.1": now "5" answers it as a whole
    got = assign.closure([(0, 0), (1, 1), (2, 1)], pa, pb)
    assert (0, 1, "container") in got


def test_split_links_a_clause_whose_sub_clause_answers_another_chapter() -> None:
    # A: 0 "6 取样及贮存" (children 1 "6.1 取样", 2 "6.2 贮存", 3 "6.3 贮存期"); B: 0 "5
    # Sampling", 1 "6 Storage": one sub-clause of three answers "5" — no majority, a split
    got = assign.closure([(0, 1), (1, 0), (2, 1), (3, 1)], [-1, 0, 0, 0], [-1, -1])
    assert (0, 0, "split") in got
    # with two sub-clauses, one of them is already half: the container rule links it
    got = assign.closure([(0, 1), (1, 0), (2, 1)], [-1, 0, 0], [-1, -1])
    assert (0, 0, "container") in got
    # a sub-clause answering a part *inside* the clause's partner is no split
    got = assign.closure([(0, 0), (1, 1)], [-1, 0], [-1, 0])
    assert not any(rule == "split" for _, _, rule in got)


def test_cover_links_the_siblings_a_clause_contains() -> None:
    # A: 0 "4" (child 1 "4.2" holding all limit tables); B: 0 "ANNEX I" (Parts 1, 2, 3), 4 "Art 11"
    pa, pb = [-1, 0], [-1, 0, 0, 0, -1]
    cover = np.zeros((2, 5))
    cover[1, 3] = 0.67  # most of Part C's parameters are rows of 4.2's tables
    cover[1, 1] = 0.17  # one microbe of two: not enough
    cover[1, 4] = 0.9  # a top-level article is no sibling of Part B
    got = assign.closure([(1, 2), (0, 0)], pa, pb, cover=cover)
    assert (1, 3, "cover") in got
    assert not any((i, j) in ((1, 1), (1, 4)) for i, j, _ in got)


def test_merge_closure_completes_a_run() -> None:
    run = np.zeros((4, 2))
    run[1:4, 1] = 1.0  # A 1, 2, 3 (siblings under 0) are one run against B 1
    got = assign.closure([(1, 1)], [-1, 0, 0, 0], [-1, -1], run=run)
    assert (2, 1, "merge") in got
    links = assign.many_to_many(
        [(1, 1, "1:1")], np.full((4, 2), 0.5), min_prob=0.2, parent_a=[-1, 0, 0, 0],
        parent_b=[-1, -1], run=run,
    )  # fmt: skip
    assert {(i, j) for i, j, _ in links} >= {(1, 1), (2, 1), (3, 1)}  # repeated to the end


def test_many_to_many_keeps_probability_order_and_free_clauses() -> None:
    pa, pb = [-1, 0, 0], [-1, -1]
    links = [(1, 0, "1:1"), (0, 1, "1:1")]  # "6.1" ↔ "5", "6" ↔ "6"
    prob = np.array([[0.1, 0.9], [0.9, 0.1], [0.1, 0.1]])
    assert assign.many_to_many(links, prob, min_prob=0.2, parent_a=pa, parent_b=pb) == links[::-1]
    prob[0, 0] = 0.6
    got = assign.many_to_many(links, prob, min_prob=0.2, parent_a=pa, parent_b=pb)
    assert (0, 0, "container") in got
    # a recital (excluded) takes no part, neither as evidence nor as a new link
    free = np.array([True, False])
    got = assign.many_to_many(links, prob, min_prob=0.2, parent_a=pa, parent_b=pb, exclude_b=free)
    assert got == links[::-1]
    # in parallel documents a closure link may not run against the one-to-one order
    prob[2, 0] = 0.9
    crossing = [(0, 0, "1:1"), (1, 1, "1:1")]
    kept = assign.many_to_many(
        crossing, prob, min_prob=0.2, parent_a=[-1, -1, -1], parent_b=pb, keep_order=True
    )
    assert kept == crossing


def test_extend_with_support_does_not_join_mere_neighbours() -> None:
    # A "5", "6", "7" next to "8" ↔ Article 11: neighbours, not parts of one answer
    prob = np.array([[0.3, 0.1], [0.4, 0.1], [0.9, 0.1], [0.1, 0.8]])
    allowed = np.ones_like(prob, dtype=bool)
    plain = assign.extend([(2, 0), (3, 1)], prob, allowed, min_prob=0.2)
    assert (1, 0, "n:1") in plain
    support = prob >= 0.7
    strict = assign.extend([(2, 0), (3, 1)], prob, allowed, min_prob=0.2, support=support)
    assert (1, 0, "n:1") not in strict and (0, 0, "n:1") not in strict
    # the clause tree still counts: a sub-clause of the paired clause joins
    strict = assign.extend(
        [(0, 0)], np.array([[0.9], [0.3]]), np.ones((2, 1), dtype=bool), min_prob=0.2,
        parent_a=[-1, 0], support=np.zeros((2, 1), dtype=bool),
    )  # fmt: skip
    assert (1, 0, "n:1") in strict


# --- features ------------------------------------------------------------------------------------


def _anchors(*concepts: str) -> Anchors:
    return Anchors(frozenset(), frozenset(concepts))


def test_concept_cover_counts_shared_concepts() -> None:
    table = _anchors(*(f"p{k}" for k in range(100)))
    part_c = _anchors(*(f"p{k}" for k in range(12)), "q1", "q2", "q3", "q4", "q5", "q6")
    ph_once = _anchors("p1", "drinking_water")
    micro = _anchors("p0", "enterococci")
    cov = concept_cover([table, ph_once], [part_c, micro])
    assert abs(cov[0, 0] - 12 / 18) < 1e-9  # most of Part C is in the tables
    assert abs(cov[1, 0] - 1 / 2 / 3) < 1e-9  # a tiny set "inside" proves little
    assert abs(cov[0, 1] - 1 / 2 / 3) < 1e-9
    assert concept_cover([_anchors()], [table]).tolist() == [[0.0]]


def test_children_mean_and_sibling_best() -> None:
    # A: 0 "4.2"; B: 0 "ANNEX I" over 1, 2, 3 (Parts A, B, C)
    prob = np.array([[0.4, 0.2, 0.9, 0.4]])
    kids = children_mean(prob, np.array([-1]), np.array([-1, 0, 0, 0]))
    assert abs(kids[0, 0] - 0.5) < 1e-9 and kids[0, 2] == 0.0
    sib = sibling_best(prob, np.array([-1]), np.array([-1, 0, 0, 0]))
    assert sib[0, 1] == 0.9 and sib[0, 3] == 0.9 and sib[0, 2] == 0.4
    assert sib[0, 0] == 0.0  # ANNEX I has no sibling


def test_run_lead_ignores_the_other_members_of_the_run() -> None:
    logit = np.array([[3.0], [1.0], [-2.0]])  # 4.1, 4.2, 4.3 against ISO 3
    run = np.ones((3, 1))
    run[0] = 0.0  # 4.1 alone is not in the run
    lead = run_lead(np.full((3, 1), -5.0), logit, run, np.array([-1, -1, -1]), np.array([-1]))
    assert lead[0, 0] == -5.0  # untouched
    assert lead[1, 0] == 1.0 - 3.0  # its rival is 4.1, outside the run
    assert lead[2, 0] == -2.0 - 3.0


def test_section_types_within_the_requirements_do_not_conflict() -> None:
    assert section_within()["contaminants"] == "requirements"
    assert "requirements" not in section_types("Processing contaminants")
    a = [Clause("4", "指标要求", "", 1), Clause("9", "标准的实施", "按规定执行。", 1)]
    b = [Clause("Section 5", "Processing contaminants", "", 1)]
    agree, conflict = _section_agreement(a, b)
    assert conflict[:, 0].tolist() == [0.0, 1.0]  # part of the requirements; not implementation
    assert agree[:, 0].tolist() == [0.0, 0.0]


def test_type_agreement_takes_the_best_shared_type_once() -> None:
    own_a = [{"hygiene", "requirements"}, {"hygiene", "requirements"}, {"requirements"}]
    own_b = [{"hygiene", "requirements"}, {"requirements"}]
    agree = _type_agreement(own_a, own_b)
    assert abs(agree[0, 0] - 1 / np.sqrt(2)) < 1e-9  # hygiene: 2 titles × 1, not + requirements
    assert abs(agree[2, 1] - 1 / np.sqrt(6)) < 1e-9
    assert _type_agreement([], own_b).shape == (0, 2)


def test_align_settings_still_align_without_extension(use) -> None:  # type: ignore[no-untyped-def]
    a, b = _doc("zh", EDITION_2006), _doc("zh", EDITION_2022)
    pairs = align_clauses(a, b, use, settings=AlignSettings(extend=False))
    kinds = {p.method.rsplit("-", 1)[-1] for p in pairs}
    assert not kinds & {"container", "split", "cover", "merge", "1:n", "n:1"}


def test_a_term_entry_conflicts_with_a_clause_of_no_section_type() -> None:
    a = [
        Clause("3", "术语和定义", "下列术语和定义适用于本文件。", 1),
        Clause("3.1", "生活饮用水 drinking water", "供人日常饮用以及洗涤、烹饪等生活使用的水。", 1,
               parent="3", level=2),
        Clause("5", "水源", "水源水质应符合GB 3838的要求。", 1),
    ]  # fmt: skip
    b = [
        Clause("Article 2", "Definitions", "", 1),
        Clause("Article 2(1)", "", "‘water intended for human consumption’ means:", 1,
               parent="Article 2", level=2),
        Clause("Article 6", "Point of compliance", "", 1),
        Clause("Article 6(d)", "", "for water used in a food business, at the point where the "
               "water is used in the undertaking.", 1, parent="Article 6", level=2),
    ]  # fmt: skip
    _, conflict = _section_agreement(a, b)
    assert conflict[1].tolist() == [0.0, 0.0, 1.0, 1.0]  # the definition, not the point
    # an untyped clause is no definition either; two untyped clauses give no evidence
    assert conflict[2].tolist() == [1.0, 1.0, 0.0, 0.0]


def test_merged_children_needs_two_sub_clauses_on_one_partner() -> None:
    # A: 0 "4.1" over 1..5 ("4.1.1" … "4.1.5"); B: 0 "4.1", 1 "4.2"
    prob = np.array([[0.1, 0.1], [0.6, 0.1], [0.7, 0.1], [0.5, 0.1], [0.1, 0.8], [0.2, 0.1]])
    merged = merged_children(prob, np.array([-1, 0, 0, 0, 0, 0]), np.array([-1, -1]))
    assert abs(merged[0, 0] - 4 / 5) < 1e-9  # four of five sub-clauses merged into B "4.1"
    assert merged[0, 1] == 0.0  # one sub-clause answering "4.2" is no merge
    assert not merged[1:].any()
