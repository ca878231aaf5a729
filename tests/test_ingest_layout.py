"""Layout clean-up on generated PDFs: line joining, hyphenation, Unicode, running headers,
two-column reading order, and tables (borderless, ruled, continued over pages)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from stdcompare.ingest import load
from stdcompare.ingest.text import Vocabulary, join_lines


def test_cjk_lines_join_without_spaces(make_pdf: Callable[..., Path]) -> None:
    pdf = make_pdf(
        "1 范围\n本文件规定了生活饮用水的水质要求、生活饮用水水源的水质\n"
        "要求、集中式供水单位的卫生要求和二次供水的卫生要求。\n2 要求\n限值见表1。",
        "zh.pdf",
    )
    doc = load(pdf)
    assert doc.clause("1").text == (
        "本文件规定了生活饮用水的水质要求、生活饮用水水源的水质要求、集中式供水单位的卫生要求和"
        "二次供水的卫生要求。"
    )


def test_hyphenation_undone_and_real_hyphens_kept(make_pdf: Callable[..., Path]) -> None:
    pdf = make_pdf(
        "1 Scope\nThis standard sets maximum levels for the contami-\nnation of non-centrifugal "
        "sugars and of ready-to-eat foods. It applies to raw and non-\ncentrifugal sugars, to "
        "ready-to-\neat meals and to COVID-\n19 test kits.",
        "en.pdf",
    )
    text = load(pdf).clause("1").text
    assert "maximum levels for the contamination of non-centrifugal sugars" in text
    assert (
        "raw and non-centrifugal sugars, to ready-to-eat meals and to COVID-19 test kits." in text
    )


def test_join_lines_unit() -> None:
    v = Vocabulary(["the non-centrifugal sugar", "contamination"])
    assert join_lines(["contami-", "nation is low"], v) == "contamination is low"
    assert join_lines(["raw and non-", "centrifugal"], v) == "raw and non-centrifugal"
    assert join_lines(["загрязня-", "ющих веществ"]) == "загрязняющих веществ"
    assert join_lines(["铅的限量", "为0.2 mg/kg"]) == "铅的限量为0.2 mg/kg"
    assert join_lines(["Table 1 —", "Lead"]) == "Table 1 — Lead"


def test_unicode_symbols_survive(make_pdf: Callable[..., Path]) -> None:
    pdf = make_pdf(
        "1 Limits\npH ≥ 6,5 and ≤ 9,5; nitrate ≤ 50 mg/l NO₃⁻; vitamin B₁ ≥ 0,5 µg/g; dissolved "
        "O₂; aflatoxin M₁ 0,05 μg/kg; 20 ℃ ± 2 ℃; ﬁne ﬂour; ０．５ ｍｇ",
        "sym.pdf",
    )
    text = load(pdf).clause("1").text
    for kept in ("≥ 6,5", "≤ 9,5", "NO₃⁻", "B₁ ≥ 0,5 µg/g", "O₂", "M₁ 0,05 μg/kg", "20 ℃ ± 2 ℃"):
        assert kept in text
    assert "fine flour" in text  # ligatures folded
    assert "0.5 mg" in text  # full-width letters and digits folded


def test_running_headers_footers_and_page_numbers_removed(tmp_path: Path) -> None:
    from corpora.pdfgen import render_markup

    body = "\n".join(
        f"# {n} Clause {n}\nText of clause {n} with a limit of {n}.5 mg/kg for water.\n!pagebreak"
        for n in range(1, 6)
    )
    src = (
        "!meta language: en\n!meta header-left: ISO 12345:2020(E)\n"
        "!meta header-right: © ISO 2020 – All rights reserved\n!meta footer: {page}\n" + body
    )
    doc = load(render_markup(src, tmp_path / "hdr.pdf"))
    assert [c.id for c in doc.clauses] == ["1", "2", "3", "4", "5"]
    for c in doc.clauses:
        assert c.text == f"Text of clause {c.id} with a limit of {c.id}.5 mg/kg for water."
    assert not any("ISO 12345" in t or "rights reserved" in t for t in doc.page_texts)


def _two_column_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from corpora.pdfgen import _register_fonts, draw_text

    _register_fonts()
    left = [
        "1 Scope",
        "This regulation lays down rules",
        "for the quality of water that is",
        "intended for human consumption.",
        "2 Definitions",
        "Water means all water used for",
        "drinking, cooking and food",
        "preparation in households.",
    ]
    right = [
        "3 Requirements",
        "The concentration of lead shall",
        "not exceed 5 µg/l at the tap of",
        "the consumer after ten years.",
        "4 Monitoring",
        "Member States shall ensure that",
        "water is monitored regularly by",
        "accredited laboratories.",
    ]
    c = Canvas(str(path), pagesize=A4)
    draw_text(c, 297, 800, "DRINKING WATER REGULATION", 14, align="center", bold=True)
    y = 760.0
    for lt, rt in zip(left, right, strict=True):
        draw_text(c, 60, y, lt, 10, bold=lt[0].isdigit())
        draw_text(c, 315, y, rt, 10, bold=rt[0].isdigit())
        y -= 15
    draw_text(c, 60, y - 20, "5 Entry into force: this regulation applies from 1 January 2026.", 10)
    c.showPage()
    c.save()
    return path


def test_two_column_reading_order(tmp_path: Path) -> None:
    doc = load(_two_column_pdf(tmp_path / "cols.pdf"))
    assert [c.id for c in doc.clauses] == ["front", "1", "2", "3", "4", "5"]
    assert doc.clause("1").text == (
        "This regulation lays down rules for the quality of water that is intended for human "
        "consumption."
    )
    assert doc.clause("3").text == (
        "The concentration of lead shall not exceed 5 µg/l at the tap of the consumer after ten "
        "years."
    )
    assert doc.clause("4").text.endswith("regularly by accredited laboratories.")
    assert doc.tables == ()


FOODS = [
    "Cereal grains",
    "Pulses",
    "Fresh vegetables excluding leafy vegetables, brassica vegetables and fungi",
    "Leafy vegetables",
    "Fruits",
    "Milk",
]


def _markup_table_pdf(path: Path, style: str, n_rows: int = 48) -> Path:
    from corpora.pdfgen import render_markup

    foods = FOODS
    lines = [
        "!meta language: en",
        "!meta header-left: ISO 99999:2024(E)",
        "!meta footer: {page}",
        "# 1 Scope",
        "This document specifies maximum levels of lead in foods.",
        "# 2 Maximum levels",
        "The maximum levels are given in Table 1.",
        f'!table {style} repeat-header header=1 widths=45,25,40,60 caption="Table 1 — Maximum '
        'levels of lead"',
        "| Food | Maximum level mg/kg | Portion | Remarks |",
    ]
    for i in range(n_rows):
        food = foods[i % len(foods)] + (f" (group {i})" if i >= len(foods) else "")
        lines.append(
            f"| {food} | 0.{i % 9 + 1} | Whole commodity after removal of stems | The ML applies "
            f"to the product as consumed (row {i}). |"
        )
    lines += ["!endtable", "# 3 Methods", "Lead is determined by ICP-MS."]
    return render_markup("\n".join(lines), path)


@pytest.mark.parametrize("style", ["borderless", "ruled", "hlines"])
def test_table_continued_over_pages_with_repeated_header(tmp_path: Path, style: str) -> None:
    doc = load(_markup_table_pdf(tmp_path / f"{style}.pdf", style))
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert len(t.pages) >= 2 and t.page == 2
    assert t.caption == "Table 1 — Maximum levels of lead" and t.clause_id == "2"
    assert t.header == ("Food", "Maximum level mg/kg", "Portion", "Remarks")
    assert len(t.rows) == 48
    for i, row in enumerate(t.rows):
        food, ml, portion, remarks = row.cells
        assert food == FOODS[i % len(FOODS)] + (f" (group {i})" if i >= len(FOODS) else "")
        assert ml == f"0.{i % 9 + 1}"
        assert portion == "Whole commodity after removal of stems"
        assert remarks == f"The ML applies to the product as consumed (row {i})."
    assert t.rows[2].cells[0] == (
        "Fresh vegetables excluding leafy vegetables, brassica vegetables and fungi"
    )
    assert t.rows[47].cells[0] == "Milk (group 47)"
    assert t.rows[-1].page == t.pages[-1]
    # table cells do not leak into the clause text (the caption stays), clause 3 follows
    assert doc.clause("2").text == (
        "The maximum levels are given in Table 1.\nTable 1 — Maximum levels of lead"
    )
    assert doc.clause("3").text == "Lead is determined by ICP-MS."


def test_merged_cells_fill_down(tmp_path: Path) -> None:
    from corpora.pdfgen import render_markup

    src = "\n".join(
        [
            "!meta language: zh",
            "# 4 指标",
            "!table ruled header=1",
            "| 食品类别（名称） | 项目 | 限量/(mg/kg) |",
            "| 谷物及其制品 | 铅 | 0.2 |",
            "| ^ | 镉 | 0.1 |",
            "| 蔬菜及其制品 | 铅 | 0.1 |",
            "!endtable",
        ]
    )
    doc = load(render_markup(src, tmp_path / "merged.pdf"))
    t = doc.tables[0]
    assert t.header == ("食品类别（名称）", "项目", "限量/(mg/kg)")
    assert [r.cells for r in t.rows] == [
        ("谷物及其制品", "铅", "0.2"),
        ("谷物及其制品", "镉", "0.1"),
        ("蔬菜及其制品", "铅", "0.1"),
    ]
