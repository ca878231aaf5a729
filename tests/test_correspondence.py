"""Degree-of-correspondence check: IDT/MOD/NEQ claims against the comparison."""

from __future__ import annotations

from pathlib import Path

import pytest

import stdcompare
from stdcompare.correspondence import (
    check_correspondence,
    informative_clauses,
    listed_differences,
    name_core,
    requirement_clauses,
)
from stdcompare.indicators.glossary import default_glossary
from stdcompare.model import (
    Adoption,
    Clause,
    ClausePair,
    Comparison,
    Document,
    Gap,
    Indicator,
    Metadata,
    Table,
    TableRow,
)

ROOT = Path(__file__).resolve().parents[1]


def gb_doc(
    degree: str | None,
    foreword: str = "",
    *,
    standard: str = "ISO 9999:2015",
    extra: tuple[Clause, ...] = (),
    tables: tuple[Table, ...] = (),
) -> Document:
    adoption = (
        Adoption(degree=degree, standard=standard, text=f"{degree} {standard}") if degree else None
    )
    clauses = (
        Clause(id="前言", heading="", text=foreword, page=1, kind="front"),
        Clause(id="1", heading="范围", text="本文件规定了瓶装水中污染物的限量。", page=2),
        Clause(
            id="2",
            heading="规范性引用文件",
            text="下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。",
            page=2,
        ),
        Clause(id="4", heading="要求", text="", page=2),
        Clause(
            id="4.1", heading="", text="铅的含量应不超过0.01 mg/L。", page=2, parent="4", level=2
        ),
        Clause(
            id="4.2", heading="", text="镉的含量应不超过0.003 mg/L。", page=2, parent="4", level=2
        ),
        *extra,
    )
    return Document(
        source="gb.pdf",
        language="zh",
        pages=3,
        metadata=Metadata(code="GB/T 9999—2020", adoption=adoption),
        clauses=clauses,
        tables=tables,
        sha256="gb",
    )


def iso_doc(code: str = "ISO 9999:2015") -> Document:
    return Document(
        source="iso.pdf",
        language="en",
        pages=3,
        metadata=Metadata(code=code),
        clauses=(
            Clause(
                id="Foreword",
                heading="",
                text="ISO is a worldwide federation.",
                page=1,
                kind="front",
            ),
            Clause(
                id="1",
                heading="Scope",
                text="This document specifies limits for bottled water.",
                page=2,
            ),
            Clause(id="4", heading="Requirements", text="", page=2),
            Clause(
                id="4.1", heading="", text="Lead shall not exceed 0.01 mg/l.", page=2, parent="4"
            ),
            Clause(
                id="4.2",
                heading="",
                text="Cadmium shall not exceed 0.003 mg/l.",
                page=2,
                parent="4",
            ),
        ),
        sha256="iso",
    )


PAIRS = (
    ClausePair(a_id="1", b_id="1", a_text="", b_text="", score=0.9),
    ClausePair(a_id="4.1", b_id="4.1", a_text="", b_text="", score=0.9),
    ClausePair(a_id="4.2", b_id="4.2", a_text="", b_text="", score=0.9),
)


def i(pid: str, value: float, clause: str, name: str | None = None) -> Indicator:
    return Indicator(
        parameter=name or pid,
        parameter_id=pid,
        comparator="<=",
        value=value,
        unit="mg/L",
        clause_id=clause,
    )


def equal_gaps() -> list[Gap]:
    return [
        Gap("lead", "equal", i("lead", 0.01, "4.1", "铅"), i("lead", 0.01, "4.1", "Lead")),
        Gap(
            "cadmium",
            "equal",
            i("cadmium", 0.003, "4.2", "镉"),
            i("cadmium", 0.003, "4.2", "Cadmium"),
        ),
    ]


def test_no_claim_or_another_standard_gives_no_check() -> None:
    assert check_correspondence(gb_doc(None), iso_doc(), PAIRS, equal_gaps()) is None
    other = iso_doc("ISO 1111:2015")
    assert check_correspondence(gb_doc("IDT"), other, PAIRS, equal_gaps()) is None


def test_idt_consistent() -> None:
    c = check_correspondence(gb_doc("IDT"), iso_doc(), PAIRS, equal_gaps())
    assert c is not None and c.status == "consistent" and not c.flagged
    assert (c.degree, c.standard, c.claimed_by, c.counterpart) == (
        "IDT",
        "ISO 9999:2015",
        "a",
        "ISO 9999:2015",
    )
    assert c.findings == ()


def test_idt_with_a_technical_difference_is_flagged() -> None:
    gaps = equal_gaps()
    gaps[1] = Gap(
        "cadmium",
        "b_stricter",
        i("cadmium", 0.005, "4.2", "镉"),
        i("cadmium", 0.003, "4.2", "Cadmium"),
    )
    c = check_correspondence(gb_doc("IDT"), iso_doc(), PAIRS, gaps)
    assert c is not None and c.flagged
    assert "identical (IDT)" in c.message and "1 technical difference" in c.message
    (f,) = c.findings
    assert (
        f.kind == "indicator" and f.verdict == "b_stricter" and f.a_clause == "4.2" and not f.listed
    )
    assert "GB <= 0.005 mg/L" in f.detail and "adopted <= 0.003 mg/L" in f.detail


def test_idt_with_an_unmatched_requirement_clause_is_flagged() -> None:
    extra = (Clause(id="5", heading="标志", text="产品标签应标明水源地。", page=3),)
    c = check_correspondence(gb_doc("IDT", extra=extra), iso_doc(), PAIRS, equal_gaps())
    assert c is not None and c.flagged
    (f,) = c.findings
    assert f.kind == "clause" and f.a_clause == "5" and "no counterpart" in f.detail


def test_mod_listed_difference_by_parameter() -> None:
    foreword = (
        "本文件修改采用ISO 9999:2015。\n"
        "本文件与ISO 9999:2015相比存在以下技术性差异：\n"
        "——镉的限量由0.003 mg/L改为0.005 mg/L（见4.2）；\n"
        "——增加了标志要求（见第5章）。\n"
        "本文件由全国某标准化技术委员会归口。"
    )
    extra = (Clause(id="5", heading="标志", text="产品标签应标明水源地。", page=3),)
    gaps = equal_gaps()
    gaps[1] = Gap(
        "cadmium",
        "b_stricter",
        i("cadmium", 0.005, "4.2", "镉"),
        i("cadmium", 0.003, "4.2", "Cadmium"),
    )
    doc = gb_doc("MOD", foreword, extra=extra)
    listed = listed_differences(doc, default_glossary())
    assert [d.clauses for d in listed] == [("4.2",), ("5",)]
    assert "cadmium" in listed[0].concepts
    c = check_correspondence(doc, iso_doc(), PAIRS, gaps)
    assert c is not None and c.status == "consistent", c.findings
    assert all(f.listed for f in c.findings) and len(c.findings) == 2
    assert c.listed_differences[0].startswith("镉的限量")
    # the lead limit differs too, and the list does not say so
    gaps[0] = Gap(
        "lead", "a_stricter", i("lead", 0.005, "4.1", "铅"), i("lead", 0.01, "4.1", "Lead")
    )
    c = check_correspondence(doc, iso_doc(), PAIRS, gaps)
    assert c is not None and c.flagged
    assert [f.parameter for f in c.unlisted] == ["lead"]
    assert "1 of 3" in c.message


def test_mod_item_about_another_parameter_does_not_cover_by_clause() -> None:
    foreword = "本文件与ISO 9999:2015的技术性差异如下：\n——铅的限量改为0.005 mg/L（见4）。"
    gaps = equal_gaps()
    gaps[1] = Gap(
        "cadmium",
        "b_stricter",
        i("cadmium", 0.005, "4.2", "镉"),
        i("cadmium", 0.003, "4.2", "Cadmium"),
    )
    c = check_correspondence(gb_doc("MOD", foreword), iso_doc(), PAIRS, gaps)
    assert c is not None and c.flagged and not c.findings[0].listed


def test_mod_item_without_parameter_covers_its_clause() -> None:
    foreword = (
        "本文件与ISO 9999:2015相比存在技术性差异：\n——第4章的要求按我国法规作了调整（见第4章）。"
    )
    gaps = equal_gaps()
    gaps[1] = Gap(
        "cadmium",
        "b_stricter",
        i("cadmium", 0.005, "4.2", "镉"),
        i("cadmium", 0.003, "4.2", "Cadmium"),
    )
    c = check_correspondence(gb_doc("MOD", foreword), iso_doc(), PAIRS, gaps)
    assert c is not None and c.status == "consistent"


def test_mod_without_any_list_is_flagged() -> None:
    gaps = [Gap("cadmium", "only_b", None, i("cadmium", 0.003, "4.2", "Cadmium"))]
    c = check_correspondence(gb_doc("MOD", "本文件修改采用ISO 9999:2015。"), iso_doc(), PAIRS, gaps)
    assert c is not None and c.flagged and "lists no technical differences" in c.message


def test_mod_list_in_an_annex_table() -> None:
    annex = (
        Clause(
            id="附录B",
            heading="",
            text="（资料性）本文件与ISO 9999:2015的技术性差异及其原因",
            page=3,
            kind="annex",
        ),
    )
    table = Table(
        id="T1",
        page=3,
        header=("本文件章条编号", "技术性差异", "原因"),
        rows=(TableRow(cells=("4.2", "镉的限量改为0.005 mg/L", "适应我国国情"), page=3),),
        caption="表B.1 本文件与ISO 9999:2015的技术性差异及其原因",
        clause_id="附录B",
    )
    doc = gb_doc("MOD", "本文件修改采用ISO 9999:2015。", extra=annex, tables=(table,))
    (item,) = listed_differences(doc, default_glossary())
    assert item.clauses == ("4.2",) and "镉" in item.text
    gaps = [
        Gap(
            "cadmium",
            "b_stricter",
            i("cadmium", 0.005, "4.2", "镉"),
            i("cadmium", 0.003, "4.2", "Cadmium"),
        ),
        # a limit printed in the informative annex itself is not a requirement
        Gap("cadmium", "only_a", i("cadmium", 0.005, "附录B", "镉"), None),
    ]
    c = check_correspondence(doc, iso_doc(), PAIRS, gaps)
    assert c is not None and c.status == "consistent" and len(c.findings) == 1


def test_edition_changes_are_not_technical_differences() -> None:
    foreword = (
        "本文件修改采用ISO 9999:2015。考虑到我国国情，有关技术性差异已编入正文中。\n"
        "本文件代替GB/T 9999—2008，与GB/T 9999—2008相比，主要技术变化如下：\n"
        "——增加了镉的限量（见4.2）。"
    )
    assert listed_differences(gb_doc("MOD", foreword), default_glossary()) == []


def test_neq_is_not_judged() -> None:
    gaps = [Gap("cadmium", "only_b", None, i("cadmium", 0.003, "4.2", "Cadmium"))]
    c = check_correspondence(gb_doc("NEQ"), iso_doc(), PAIRS, gaps)
    assert c is not None and c.status == "not_checked" and not c.flagged and len(c.findings) == 1


def test_claim_by_the_second_document_and_edition_note() -> None:
    swapped = tuple(
        ClausePair(a_id=p.b_id, b_id=p.a_id, a_text="", b_text="", score=p.score) for p in PAIRS
    )
    gaps = [
        Gap("lead", "a_stricter", i("lead", 0.005, "4.1", "Lead"), i("lead", 0.01, "4.1", "铅"))
    ]
    c = check_correspondence(iso_doc("ISO 9999:2019"), gb_doc("IDT"), swapped, gaps)
    assert c is not None and c.claimed_by == "b" and c.flagged
    assert c.findings[0].b_clause == "4.1"
    assert "2019" in c.note and "edition" in c.note


def test_requirement_clauses_and_informative_annexes() -> None:
    extra = (
        Clause(id="附录A", heading="", text="（资料性）应用示例", page=3, kind="annex"),
        Clause(
            id="A.1",
            heading="",
            text="示例中的水样应冷藏。",
            page=3,
            parent="附录A",
            kind="annex_clause",
        ),
        Clause(id="3", heading="", text="本文件适用于相应的产品。", page=2),
    )
    doc = gb_doc("IDT", extra=extra)
    ids = [c.id for c in requirement_clauses(doc)]
    assert ids == [
        "4.1",
        "4.2",
    ]  # not 2 (references), not A.1 (informative), not 3 (相应 is no modal)
    assert informative_clauses(doc) == {"附录A", "A.1"}


def test_parent_or_child_alignment_counts_as_a_counterpart() -> None:
    pairs = (ClausePair(a_id="4", b_id="4", a_text="", b_text="", score=0.8),)
    c = check_correspondence(gb_doc("IDT"), iso_doc(), pairs, equal_gaps())
    assert c is not None and c.findings == ()


@pytest.mark.parametrize(
    ("printed", "core"),
    [
        ("蒸发残渣（105℃±2℃）含量/(mg/L)", "蒸发残渣"),
        ("可溶性硅（以SiO₂计）含量", "可溶性硅"),
        ("Silica (SiO₂) content, mg/l", "Silica"),
    ],
)
def test_name_core(printed: str, core: str) -> None:
    assert name_core(printed) == core


def test_comparison_json_round_trip_with_the_check() -> None:
    gaps = [
        Gap("lead", "a_stricter", i("lead", 0.005, "4.1", "铅"), i("lead", 0.01, "4.1", "Lead"))
    ]
    a, b = gb_doc("IDT"), iso_doc()
    check = check_correspondence(a, b, PAIRS, gaps)
    cmp = Comparison(
        a=a.info(), b=b.info(), pair_list=PAIRS, gap_list=tuple(gaps), correspondence=check
    )
    back = Comparison.from_json(cmp.to_json())
    assert back.correspondence == check and back.correspondence is not None
    assert back.correspondence.flagged
    plain = Comparison(a=a.info(), b=b.info())
    assert "correspondence" not in plain.to_dict()
    assert Comparison.from_json(plain.to_json()).correspondence is None


def test_the_bundled_adoption_pair() -> None:
    """GB/T 6682—2008 (MOD ISO 3696:1987) compared with ISO 3696: the check runs, reads the
    Annex B list, and covers the listed evaporation-residue difference."""
    cmp = stdcompare.compare(
        ROOT / "corpora" / "adoption" / "gbt6682-2008.pdf",
        ROOT / "corpora" / "adoption" / "iso3696-1987.pdf",
    )
    c = cmp.correspondence
    assert c is not None
    assert (c.degree, c.standard, c.claimed_by) == ("MOD", "ISO 3696:1987", "a")
    assert any("蒸发残渣" in d for d in c.listed_differences)
    assert not any("主要变化" in d or "试验报告" in d for d in c.listed_differences)
    for f in c.findings:
        if f.kind == "indicator" and "蒸发残渣" in f.detail:
            assert f.listed, f
    assert c.status in ("consistent", "flagged")
    assert (c.status == "flagged") == bool(c.unlisted)
    assert Comparison.from_json(cmp.to_json()).correspondence == c


def test_the_html_report_shows_the_check() -> None:
    gaps = [
        Gap("lead", "a_stricter", i("lead", 0.005, "4.1", "铅"), i("lead", 0.01, "4.1", "Lead")),
        Gap("cadmium", "equal", i("cadmium", 0.003, "4.2", "镉"), i("cadmium", 0.003, "4.2", "Cd")),
    ]
    a, b = (
        gb_doc(
            "MOD",
            "本文件与ISO 9999:2015的技术性差异如下：\n——<b>铅</b>的限量改为0.005 mg/L（见4.1）。",
        ),
        iso_doc(),
    )
    check = check_correspondence(a, b, PAIRS, gaps)
    assert check is not None and check.status == "consistent"
    html = Comparison(a=a.info(), b=b.info(), gap_list=tuple(gaps), correspondence=check).to_html()
    assert 'id="correspondence"' in html and "states MOD ISO 9999:2015" in html
    assert "&lt;b&gt;铅&lt;/b&gt;" in html and "<b>铅</b>" not in html  # document text is escaped
    flagged = check_correspondence(gb_doc("IDT"), b, PAIRS, gaps)
    html = Comparison(
        a=a.info(), b=b.info(), gap_list=tuple(gaps), correspondence=flagged
    ).to_html()
    assert "flagged" in html and "Technical difference" in html and "a stricter" in html
    plain = Comparison(a=a.info(), b=b.info(), gap_list=tuple(gaps)).to_html()
    assert 'id="correspondence"' not in plain
