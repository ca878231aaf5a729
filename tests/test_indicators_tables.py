"""Indicators of real table layouts, end to end from generated PDFs: grade columns, values
merged across grade columns, numbered entries with sub-entries, a parameter over a list of
cases, the product a specification table is captioned with, a two-row header over group
rows. Figures are the published ones of the standard named in each test."""

from __future__ import annotations

from pathlib import Path

import stdcompare
from stdcompare.model import Indicator


def _extract(tmp_path: Path, lines: list[str], name: str = "t.pdf") -> tuple[Indicator, ...]:
    from corpora.pdfgen import render_markup

    return stdcompare.extract(stdcompare.load(render_markup("\n".join(lines), tmp_path / name)))


def _limit(i: Indicator) -> tuple[object, ...]:
    if i.comparator == "range":
        return (i.parameter_id, i.product, "range", i.low, i.high, i.unit)
    return (i.parameter_id, i.product, i.comparator, i.value, i.unit)


def test_grade_columns_are_limit_columns(tmp_path: Path) -> None:
    """ISO 3696:1987 clause 4: "Grade 1 | Grade 2 | Grade 3" columns, comparators and units
    printed with the parameter ("…, mS/m at 25 °C, max.")."""
    got = _extract(
        tmp_path,
        [
            "!meta language: en",
            "# 4 Requirements",
            "!table ruled widths=4.4,1.8,1.8,1.8 align=lccc",
            "| Parameter | Grade 1 | Grade 2 | Grade 3 |",
            "| pH value at 25 °C, inclusive range | Not applicable | Not applicable | 5,0 to 7,5 |",
            "| Electrical conductivity, mS/m at 25 °C, max. | 0,01 | 0,1 | 0,5 |",
            "| Oxidizable matter, oxygen (O) content, mg/l, max. | Not applicable | 0,08 | 0,4 |",
            "!endtable",
        ],
    )
    assert {_limit(i) for i in got} == {
        ("ph", "Grade 3", "range", 5.0, 7.5, ""),
        ("conductivity", "Grade 1", "<=", 0.01, "mS/m"),
        ("conductivity", "Grade 2", "<=", 0.1, "mS/m"),
        ("conductivity", "Grade 3", "<=", 0.5, "mS/m"),
        ("oxidizable_matter", "Grade 2", "<=", 0.08, "mg/l"),
        ("oxidizable_matter", "Grade 3", "<=", 0.4, "mg/l"),
    }


def test_values_merged_across_grade_columns(tmp_path: Path) -> None:
    """GB 19147—2016 表3: one value for all grades is the product's; one merged over some
    grades is those grades'; the caption names the product."""
    got = _extract(
        tmp_path,
        [
            "!meta language: zh",
            "# 5　技术要求和试验方法",
            "!table ruled widths=3.6,1.25,1.25,1.25,1.25,1.25,1.25 align=lcccccc "
            'caption="表3　车用柴油（Ⅵ）技术要求和试验方法"',
            "| 项目 | 5号 | 0号 | -10号 | -20号 | -35号 | -50号 |",
            "| 硫含量/(mg/kg)　不大于 | 10 | < | < | < | < | < |",
            "| 闪点（闭口）/℃　不低于 | 60 | < | < | 50 | 45 | < |",
            "| 冷滤点/℃　不高于 | 8 | 4 | -5 | -14 | -29 | -44 |",
            "!endtable",
        ],
    )
    lim = {_limit(i) for i in got}
    fuel = "车用柴油（Ⅵ）"
    assert ("sulfur_content", fuel, "<=", 10.0, "mg/kg") in lim
    assert ("flash_point", f"{fuel} 5号、0号、-10号", ">=", 60.0, "℃") in lim
    assert ("flash_point", f"{fuel} -20号", ">=", 50.0, "℃") in lim
    assert ("flash_point", f"{fuel} -35号、-50号", ">=", 45.0, "℃") in lim
    assert ("cfpp", f"{fuel} -20号", "<=", -14.0, "℃") in lim
    assert len(got) == 1 + 3 + 6


def test_sub_entries_continue_their_entry(tmp_path: Path) -> None:
    """Regulation (EU) 2023/915 Annex I: "3.1.7 Offal of the following animals:" over
    "3.1.7.2 pig | 0,15"; "3.4.1 … (inorganic arsenic …)" names the species of 3.4.1.x."""
    got = _extract(
        tmp_path,
        [
            "!meta language: en",
            "# 3.1 Lead",
            "!table ruled widths=1.1,5.4,1.6 align=llc",
            "| | Food | Maximum level (mg/kg) |",
            "| 3.1.6 | Meat (excluding offal) of bovine animals, sheep, pig and poultry | 0,10 |",
            "| 3.1.7 | Offal of the following animals: | |",
            "| 3.1.7.1 | bovine animals and sheep | 0,20 |",
            "| 3.1.7.2 | pig | 0,15 |",
            "| 3.1.8 | Muscle meat of fish | 0,30 |",
            "!endtable",
            "# 3.4 Arsenic",
            "!table ruled widths=1.1,5.4,1.6 align=llc",
            "| | Food | Maximum level (mg/kg) |",
            "| 3.4.1 | Cereals and cereal-based products (inorganic arsenic, sum of As(III) and "
            "As(V)) | |",
            "| 3.4.1.1 | Non-parboiled milled rice (polished or white rice) | 0,15 |",
            "| 3.4.5 | Salt (total arsenic) | 0,50 |",
            "!endtable",
        ],
    )
    assert {_limit(i) for i in got} == {
        (
            "lead",
            "Meat (excluding offal) of bovine animals, sheep, pig and poultry",
            "<=",
            0.1,
            "mg/kg",
        ),
        ("lead", "Offal of the following animals: bovine animals and sheep", "<=", 0.2, "mg/kg"),
        ("lead", "Offal of the following animals: pig", "<=", 0.15, "mg/kg"),
        ("lead", "Muscle meat of fish", "<=", 0.3, "mg/kg"),
        (
            "inorganic_arsenic",
            "Non-parboiled milled rice (polished or white rice)",
            "<=",
            0.15,
            "mg/kg",
        ),
        ("arsenic", "Salt (total arsenic)", "<=", 0.5, "mg/kg"),
    }


def test_parameter_over_dashed_cases(tmp_path: Path) -> None:
    """ТР ТС 013/2011 Приложение 3: "Температура вспышки …, не ниже:" over its cases."""
    got = _extract(
        tmp_path,
        [
            "!meta language: ru",
            "# Приложение 3",
            "## Требования к характеристикам дизельного топлива",
            "!table ruled widths=6,2,2 align=lcc",
            "| Характеристики дизельного топлива | Единица измерения | Нормы в отношении "
            "экологического класса К5 |",
            "| Массовая доля серы, не более | мг/кг | 10 |",
            "| Температура вспышки в закрытом тигле, не ниже: | °C | |",
            "| – для летнего дизельного топлива | °C | 40 |",
            "| – для зимнего и арктического дизельного топлива | °C | 30 |",
            "| Цетановое число, не менее | – | 51 |",
            "!endtable",
        ],
    )
    fuel = "дизельного топлива К5"
    assert {_limit(i) for i in got} == {
        ("sulfur_content", fuel, "<=", 10.0, "мг/кг"),
        ("flash_point", "летнего дизельного топлива К5", ">=", 40.0, "°C"),
        ("flash_point", "зимнего и арктического дизельного топлива К5", ">=", 30.0, "°C"),
        ("cetane_number", fuel, ">=", 51.0, ""),
    }


def test_two_row_header_over_group_rows(tmp_path: Path) -> None:
    """GB 2762—2022 表4: total and inorganic arsenic columns under one label, group rows."""
    got = _extract(
        tmp_path,
        [
            "!meta language: zh",
            "## 4.4　砷",
            "4.4.1　食品中砷限量指标见表4。",
            '!table ruled widths=6,2,2 header=2 align=lcc caption="表4　食品中砷限量指标"',
            "| 食品类别（名称） | 限量（以As计）/(mg/kg) | < |",
            "| ^ | 总砷 | 无机砷 |",
            "| 谷物及其制品 | < | < |",
            "| 大米 | — | 0.2 |",
            "| 蔬菜及其制品 | < | < |",
            "| 新鲜蔬菜 | 0.5 | — |",
            "!endtable",
        ],
    )
    assert {_limit(i) for i in got} == {
        ("inorganic_arsenic", "大米", "<=", 0.2, "mg/kg"),
        ("arsenic", "新鲜蔬菜", "<=", 0.5, "mg/kg"),
    }
    assert all(i.basis == "以As计" for i in got)


def test_sign_words_are_numbers_in_a_grade_row(tmp_path: Path) -> None:
    """ГОСТ 32511-2013 Таблица 2: "плюс 5 | 0 | минус 5" under "Сорт A | Сорт B | Сорт C"."""
    got = _extract(
        tmp_path,
        [
            "!meta language: ru",
            "# 4.2",
            '!table ruled widths=5,1.5,1.5,1.5 align=lccc caption="Таблица 2 – Предельная '
            'температура фильтруемости"',
            "| Показатель | Сорт A | Сорт B | Сорт C |",
            "| Предельная температура фильтруемости, °С, не выше | плюс 5 | 0 | минус 5 |",
            "!endtable",
        ],
    )
    assert sorted((i.parameter_id, i.product, i.value) for i in got) == [
        ("cfpp", "Сорт A", 5.0),
        ("cfpp", "Сорт B", 0.0),
        ("cfpp", "Сорт C", -5.0),
    ]


def test_remove_spans_merges_overlaps() -> None:
    from stdcompare.indicators.names import remove_spans

    assert remove_spans("Maximum level Benzo(a)pyrene", [(0, 13), (0, 7)]) == "  Benzo(a)pyrene"


def test_a_list_in_a_column_heading_keeps_its_commas() -> None:
    from stdcompare.indicators.rows import _column_name

    h = "Maximum level (µg/kg) Sum of benzo(a)pyrene, benz(a)anthracene, benzo(b)fluoranthene"
    assert _column_name(h, "en") == "Sum of benzo(a)pyrene, benz(a)anthracene, benzo(b)fluoranthene"
    assert _column_name("Уровень звука, дБА", "ru") == "Уровень звука"


def test_a_limit_noun_before_a_colon_governs_the_list() -> None:
    """GB 5749—2022 表1 note b: the small-supply exceptions listed after "按以下限值执行："."""
    from stdcompare.indicators import parse_text

    text = (
        "b　小型集中式供水和分散式供水因水源与净水技术受限时，下列指标可按以下限值执行："
        "菌落总数500 MPN/mL或500 CFU/mL；氟化物1.2 mg/L；硝酸盐（以N计）20 mg/L；浑浊度3 NTU。"
    )
    got = {(i.parameter_id, i.comparator, i.value, i.unit) for i in parse_text(text, "zh")}
    assert got == {
        # "500 MPN/mL或500 CFU/mL": one limit in either unit, not two
        ("aerobic_plate_count", "<=", 500.0, "MPN/mL或CFU/mL"),
        ("fluoride", "<=", 1.2, "mg/L"),
        ("nitrate", "<=", 20.0, "mg/L"),
        ("turbidity", "<=", 3.0, "NTU"),
    }
    assert {i.product for i in parse_text(text, "zh")} == {"小型集中式供水和分散式供水"}


def test_the_caption_names_the_product_before_the_heading(tmp_path: Path) -> None:
    """GB 5749—2006 表4 under "4.1 生活饮用水…": the rows are the small rural supplies'."""
    got = _extract(
        tmp_path,
        [
            "!meta language: zh",
            "# 4　生活饮用水水质卫生要求",
            "4.1.7　农村小型集中式供水和分散式供水的水质指标可按表4执行。",
            '!table ruled widths=5,2 align=lc caption="表4　农村小型集中式供水和分散式供水部分水质指标及限值"',
            "| 指标 | 限值 |",
            "| 砷/(mg/L) | 0.05 |",
            "| 氟化物/(mg/L) | 1.2 |",
            "!endtable",
        ],
    )
    rows = {(i.parameter_id, i.product, i.value) for i in got if i.table_id}
    assert rows == {
        ("arsenic", "农村小型集中式供水和分散式供水", 0.05),
        ("fluoride", "农村小型集中式供水和分散式供水", 1.2),
    }


def test_a_value_alone_on_its_cell_line_is_the_limit(tmp_path: Path) -> None:
    """GB 5749—2006 表1: "10" over "地下水源限制时为20" in one cell."""
    got = _extract(
        tmp_path,
        [
            "!meta language: zh",
            "# 4　要求",
            '!table ruled widths=5,3 align=lc caption="表1　水质常规指标及限值"',
            "| 指标 | 限值 |",
            "| 硝酸盐（以N计）/(mg/L) | 10<br>地下水源限制时为20 |",
            "| 浑浊度（散射浑浊度单位）/NTU | 1<br>水源与净水技术条件限制时为3 |",
            "!endtable",
        ],
    )
    assert sorted((i.parameter_id, i.value) for i in got) == [("nitrate", 10.0), ("turbidity", 1.0)]


def test_a_footnote_mark_before_a_bracket_is_not_part_of_the_product() -> None:
    """GB 2762—2022 表1: "谷物及其制品ᵃ［麦片、面筋…除外］" printed with the mark as a plain "a"."""
    from stdcompare.indicators.names import clean_name

    assert clean_name("谷物及其制品a［麦片、面筋除外］") == "谷物及其制品［麦片、面筋除外］"
    assert clean_name("维生素A［以视黄醇计］") == "维生素A［以视黄醇计］"  # a name, not a mark


def test_a_row_naming_what_the_row_above_excluded_is_part_of_its_category(tmp_path: Path) -> None:
    """GB 2762—2022 表1: "婴幼儿配方食品（液态产品除外） | 0.08" over "液态产品 | 0.01"."""
    got = _extract(
        tmp_path,
        [
            "!meta language: zh",
            "# 4　指标要求",
            "## 4.1　铅",
            '!table ruled widths=7,3 align=lc caption="表1　食品中铅限量指标"',
            "| 食品类别（名称） | 限量（以Pb计）/(mg/kg) |",
            "| 婴幼儿配方食品（液态产品除外） | 0.08 |",
            "| 液态产品 | 0.01 |",
            "| 新鲜水果（浆果和其他小粒水果除外） | 0.1 |",
            "| 浆果和其他小粒水果 | 0.2 |",
            "!endtable",
        ],
    )
    assert {(i.product, i.value) for i in got} == {
        ("婴幼儿配方食品（液态产品除外）", 0.08),
        ("婴幼儿配方食品 液态产品", 0.01),
        ("新鲜水果（浆果和其他小粒水果除外）", 0.1),
        ("浆果和其他小粒水果", 0.2),  # a food category of its own stays as printed
    }


def test_a_name_column_whose_names_begin_with_numbers_is_not_a_limits_column() -> None:
    """ "95 % об. перегоняется при температуре" opens with a number but is a name: the
    column under "Наименование показателя" stays the parameter column."""
    from stdcompare.indicators import Context, parse_row

    got = parse_row(
        ["Наименование показателя", "Значение", "Метод испытания"],
        ["95 % об. перегоняется при температуре, °С, не выше", "360", "ГОСТ 2177"],
        "ru",
        context=Context(lang="ru", caption="Таблица 2 — Требования к дизельному топливу"),
    )
    assert [(i.comparator, i.value, i.unit) for i in got] == [("<=", 360.0, "°С")]
    assert got[0].parameter.startswith("95 % об. перегоняется")


def test_a_unit_named_in_the_parameter_bracket() -> None:
    """GB 5749—2006 prints 色度（铂钴色度单位） with no unit column; the 2022 edition prints
    色度（铂钴色度单位）/度. Both are the same degree, so an edition diff sees no change."""
    from stdcompare.indicators import Context, parse_row
    from stdcompare.indicators.units import convert, same_unit

    old = parse_row(
        ["指标", "限值"], ["色度（铂钴色度单位）", "15"], "zh", context=Context(lang="zh")
    )
    new = parse_row(
        ["指标", "限值"], ["色度（铂钴色度单位）/度", "15"], "zh", context=Context(lang="zh")
    )
    assert (
        [(i.parameter_id, i.value) for i in old]
        == [("colour", 15.0)]
        == [(i.parameter_id, i.value) for i in new]
    )
    assert old[0].unit == "铂钴色度单位" and new[0].unit == "度"
    assert same_unit(old[0].unit, new[0].unit)
    assert convert(15.0, old[0].unit, new[0].unit) == 15.0
