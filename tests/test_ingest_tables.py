"""Table shapes of real standards on generated PDFs: multi-row headers followed by spanning
group rows, header labels closer than the columns, continuations without a repeated header,
header bands between rules, first rows that are data, cells merged across value columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from stdcompare.ingest import load
from stdcompare.model import Document


def _render(tmp_path: Path, lines: list[str], name: str = "t.pdf") -> Document:
    from corpora.pdfgen import render_markup

    return load(render_markup("\n".join(lines), tmp_path / name))


# --- header rows ------------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["ruled", "hlines"])
def test_two_row_header_then_spanning_group_row(tmp_path: Path, style: str) -> None:
    """GB 2762 表4 shape: the group row under a two-row header is a body row."""
    doc = _render(
        tmp_path,
        [
            "!meta language: zh",
            "# 4 指标要求",
            f'!table {style} widths=6,2,2 header=2 align=lcc caption="表4　食品中砷限量指标"',
            "| 食品类别（名称） | 限量（以As计）/(mg/kg) | < |",
            "| ^ | 总砷 | 无机砷 |",
            "| 谷物及其制品 | < | < |",
            "| 大米 | — | 0.2 |",
            "| 水产动物及其制品（鱼类及其制品除外） | — | 0.5 |",
            "| 蔬菜及其制品 | < | < |",
            "| 新鲜蔬菜 | 0.5 | — |",
            "!endtable",
        ],
    )
    (t,) = doc.tables
    # header rows of a ruled grid are joined with a space, lines of one cell without
    assert [h.replace(" ", "") for h in t.header] == [
        "食品类别（名称）",
        "限量（以As计）/(mg/kg)总砷",
        "限量（以As计）/(mg/kg)无机砷",
    ]
    assert [r.cells for r in t.rows] == [
        ("谷物及其制品", "", ""),
        ("大米", "—", "0.2"),
        ("水产动物及其制品（鱼类及其制品除外）", "—", "0.5"),
        ("蔬菜及其制品", "", ""),
        ("新鲜蔬菜", "0.5", "—"),
    ]


def test_header_band_between_rules(tmp_path: Path) -> None:
    """A header between the top rule and the rule under it: a label spanning two columns,
    cells centred over several lines, first columns merged down (Regulation (EU) 2023/915,
    Annex I 5.1, polycyclic aromatic hydrocarbons)."""
    doc = _render(
        tmp_path,
        [
            "!meta language: en",
            "# 5.1 Polycyclic aromatic hydrocarbons",
            "!table hlines widths=1.1,4.6,1.8,2.5 header=2 align=llcc",
            "| | Food | Maximum level (µg/kg) | < |",
            "| ^ | ^ | Benzo(a)pyrene | Sum of benzo(a)pyrene, benz(a)anthracene, "
            "benzo(b)fluoranthene and chrysene |",
            "| 5.1.1 | Oils and fats (excluding cocoa butter and coconut oil) intended for direct "
            "human consumption or use as an ingredient in food | 2,0 | 10,0 |",
            "| 5.1.2 | Cocoa beans and derived products | 5,0 µg/kg fat | 30,0 µg/kg fat |",
            "| 5.1.4 | Smoked meat and smoked meat products | 2,0 | 12,0 |",
            "!endtable",
        ],
    )
    (t,) = doc.tables
    assert t.header == (
        "",
        "Food",
        "Maximum level (µg/kg) Benzo(a)pyrene",
        "Maximum level (µg/kg) Sum of benzo(a)pyrene, benz(a)anthracene, "
        "benzo(b)fluoranthene and chrysene",
    )
    assert [r.cells for r in t.rows] == [
        (
            "5.1.1",
            "Oils and fats (excluding cocoa butter and coconut oil) intended for direct human "
            "consumption or use as an ingredient in food",
            "2,0",
            "10,0",
        ),
        ("5.1.2", "Cocoa beans and derived products", "5,0 µg/kg fat", "30,0 µg/kg fat"),
        ("5.1.4", "Smoked meat and smoked meat products", "2,0", "12,0"),
    ]
    assert "Maximum level" not in doc.clause("5.1").text


# CXS 192 Table Two, food category 12.1.2 (salt substitutes): no row has notes
SALT_SUBSTITUTES = [
    ("ACETIC ACID, GLACIAL", "260", "2013", "GMP"),
    ("ACETIC AND FATTY ACID ESTERS OF GLYCEROL", "472a", "2014", "GMP"),
    ("ACETYLATED DISTARCH PHOSPHATE", "1414", "2014", "GMP"),
    ("AGAR", "406", "2014", "GMP"),
]


@pytest.mark.parametrize("style", ["borderless", "hlines"])
def test_header_label_over_an_empty_column(tmp_path: Path, style: str) -> None:
    lines = [
        "!meta language: en",
        "# Food Category No. 12.1.2 Salt substitutes",
        f"!table {style} widths=5,1.6,1.8,1.8,1.4 align=llccc",
        "| Additive | INS | Year Adopted | Max Level | Notes |",
    ]
    lines += [f"| {a} | {ins} | {year} | {ml} | |" for a, ins, year, ml in SALT_SUBSTITUTES]
    doc = _render(tmp_path, [*lines, "!endtable"])
    (t,) = doc.tables
    assert t.header == ("Additive", "INS", "Year Adopted", "Max Level", "Notes")
    assert [r.cells for r in t.rows] == [(*row, "") for row in SALT_SUBSTITUTES]


def test_sparse_notes_column_keeps_units_apart(tmp_path: Path) -> None:
    """Directive (EU) 2020/2184 Annex I Part C shape: a unit column beside a notes column
    that only a few rows fill."""
    rows = [
        ("Aluminium", "200", "µg/l", ""),
        ("Ammonium", "0,50", "mg/l", ""),
        ("Chloride", "250", "mg/l", "The water should not be aggressive"),
        ("Iron", "200", "µg/l", ""),
        ("Manganese", "50", "µg/l", ""),
        ("Sodium", "200", "mg/l", ""),
        ("Oxidisability", "5,0", "mg/l O₂", "Need not be measured if TOC is analysed"),
    ]
    lines = [
        "!meta language: en",
        "# Part C — Indicator parameters",
        "!table borderless widths=3.4,2.4,2.2,3.2 align=lcll",
        "| Parameter | Parametric value | Unit | Notes |",
        *(f"| {' | '.join(r)} |" for r in rows),
        "!endtable",
    ]
    (t,) = _render(tmp_path, lines).tables
    assert t.header == ("Parameter", "Parametric value", "Unit", "Notes")
    assert [r.cells for r in t.rows] == rows


def test_continuation_without_header_joins_the_table(tmp_path: Path) -> None:
    """A table carried on to the next page without its header, lower on the page."""
    first = [
        ("Aluminium", "200", "µg/l"),
        ("Ammonium", "0,50", "mg/l"),
        ("Chloride", "250", "mg/l"),
    ]
    second = [("Iron", "200", "µg/l"), ("Manganese", "50", "µg/l"), ("Sodium", "200", "mg/l")]
    lines = [
        "!meta language: en",
        "# Part C — Indicator parameters",
        "!table borderless widths=4,3,3 align=lcl",
        "| Parameter | Parametric value | Unit |",
        *(f"| {' | '.join(r)} |" for r in first),
        "!endtable",
        "!pagebreak",
        "!space 110",
        "!table borderless header=0 widths=4,3,3 align=lcl",
        *(f"| {' | '.join(r)} |" for r in second),
        "!endtable",
    ]
    doc = _render(tmp_path, lines)
    (t,) = doc.tables
    assert t.header == ("Parameter", "Parametric value", "Unit")
    assert [r.cells for r in t.rows] == first + second
    assert [r.page for r in t.rows] == [1, 1, 1, 2, 2, 2]


def test_first_row_of_data_is_not_a_header(tmp_path: Path) -> None:
    """CXS 192 Table One: the INS lines above an additive's table repeat their first cell."""
    rows = [
        ("INS", "160a(i)", "beta-Carotenes, synthetic", "Functional Class: Colour"),
        ("INS", "160a(iii)", "beta-Carotenes, Blakeslea trispora", "Functional Class: Colour"),
        ("INS", "160e", "beta-apo-8'-Carotenal", "Functional Class: Colour"),
    ]
    lines = [
        "!meta language: en",
        "# CAROTENOIDS",
        "!table borderless widths=1,1.5,5,5 align=llll",
        *(f"| {' | '.join(r)} |" for r in rows),
        "!endtable",
    ]
    (t,) = _render(tmp_path, lines).tables
    assert t.header == ("", "", "", "")
    assert [r.cells for r in t.rows] == rows


def test_a_value_line_stays_apart_from_the_words_below_it(tmp_path: Path) -> None:
    """GB 5749—2006 表1: a limit and, on the next line of the cell, its exception."""
    doc = _render(
        tmp_path,
        [
            "!meta language: zh",
            "# 4　要求",
            '!table ruled widths=5,3 align=lc caption="表1　水质常规指标及限值"',
            "| 指标 | 限值 |",
            "| 硝酸盐（以N计）/(mg/L) | 10<br>地下水源限制时为20 |",
            "| 氯化物/(mg/L) | 250 |",
            "| 说明 | 本表的限值<br>适用于集中式供水 |",
            "!endtable",
        ],
    )
    (t,) = doc.tables
    assert [r.cells[1] for r in t.rows] == [
        "10 地下水源限制时为20",
        "250",
        "本表的限值适用于集中式供水",
    ]
