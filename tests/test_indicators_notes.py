"""Limits stated in the notes under a table, and values that are not limits at all.

- A note cited from a table row ("Note 2" in the Notes column) that states a limit without
  naming its parameter limits the parameter of the row(s) citing it; a note that names the
  parameter after the value ("0,10 mg/l for nitrite") limits that one only.
- "for aldrin, dieldrin, heptachlor and heptachlor epoxide the parametric value is …": the
  names after "for" are the parameters.
- The size of a supply or population ("日供水在1000 m³以下", "providing less than 10 m³ a day")
  is the scope of a rule, never a limit.
- "500 MPN/mL或500 CFU/mL" is one limit in either unit.
- "Цетановое число для зимнего и арктического дизельного топлива": the product is printed
  after the parameter in its cell.

Figures are those of Directive (EU) 2020/2184 Annex I Part B and its notes (note numbers are
ours), GB 5749—2006 3.2 and TR CU 013/2011 Annex 3.
"""

from __future__ import annotations

from pathlib import Path

import stdcompare
from stdcompare.indicators import parse_text
from stdcompare.model import Indicator


def _extract(tmp_path: Path, lines: list[str], name: str = "t.pdf") -> tuple[Indicator, ...]:
    from corpora.pdfgen import render_markup

    return stdcompare.extract(stdcompare.load(render_markup("\n".join(lines), tmp_path / name)))


_PART_B = [
    "!meta language: en",
    "# ANNEX I",
    "## Part B — Chemical parameters",
    "!table ruled widths=4.2,1.8,1.6,2.4 align=lcll",
    "| Parameter | Parametric value | Unit | Notes |",
    "| Boron | 1,5 | mg/l | Note 1 |",
    "| Chlorate | 0,25 | mg/l | Note 2 |",
    "| Chlorite | 0,25 | mg/l | Note 2 |",
    "| Nitrate | 50 | mg/l | Note 3 |",
    "| Nitrite | 0,50 | mg/l | Note 3 |",
    "| Pesticides | 0,10 | µg/l | Note 4 |",
    "| Selenium | 20 | µg/l | Note 5 |",
    "!endtable",
    "!note Note 1: A parametric value of 2,4 mg/l shall apply where desalinated water is the "
    "predominant water source of the supply system concerned.",
    "!note Note 2: A parametric value of 0,70 mg/l shall apply where a disinfection method that "
    "generates chlorate (for chlorite: chlorite), in particular chlorine dioxide, is used.",
    "!note Note 3: Member States shall ensure that the condition [nitrate]/50 + [nitrite]/3 ≤ 1 "
    "is complied with, the square brackets signifying the concentrations in mg/l for nitrate "
    "(NO₃) and nitrite (NO₂), and that the value of 0,10 mg/l for nitrite is complied with ex "
    "water treatment works.",
    "!note Note 4: The parametric value applies to each individual pesticide; for aldrin, "
    "dieldrin, heptachlor and heptachlor epoxide the parametric value is 0,030 µg/l.",
    "!note Note 5: A parametric value of 30 µg/l shall apply for regions where geological "
    "conditions could lead to high levels of selenium in groundwater.",
]


def _from_notes(tmp_path: Path) -> list[Indicator]:
    return [i for i in _extract(tmp_path, _PART_B) if i.table_id is None]


def test_a_note_without_a_parameter_limits_the_rows_citing_it(tmp_path: Path) -> None:
    got = _from_notes(tmp_path)
    limits = {(i.parameter_id, i.value, i.unit) for i in got}
    assert {
        ("boron", 2.4, "mg/l"),
        ("chlorate", 0.7, "mg/l"),  # a note cited by two rows limits both
        ("chlorite", 0.7, "mg/l"),
        ("selenium", 30.0, "µg/l"),
    } <= limits
    assert all(i.parameter_id for i in got), [i.text for i in got if not i.parameter_id]
    boron = next(i for i in got if i.parameter_id == "boron")
    assert boron.condition.startswith("where desalinated water")
    assert boron.product == ""


def test_a_note_naming_its_parameter_after_the_value_limits_that_one(tmp_path: Path) -> None:
    got = [i for i in _from_notes(tmp_path) if i.value == 0.1 and i.unit == "mg/l"]
    assert [(i.parameter_id, i.product) for i in got] == [("nitrite", "")]


def test_names_after_for_are_the_parameters_of_the_value(tmp_path: Path) -> None:
    got = [i for i in _from_notes(tmp_path) if i.value == 0.03]
    assert sorted(i.parameter_id or "" for i in got) == [
        "aldrin",
        "dieldrin",
        "heptachlor",
        "heptachlor_epoxide",
    ]
    assert {i.product for i in got} == {""}
    # and in running text
    one = parse_text("For aldrin the parametric value is 0,030 µg/l.", "en")
    assert [(i.parameter_id, i.product, i.value) for i in one] == [("aldrin", "", 0.03)]
    # a food after "for" stays the product
    fish = parse_text("For fish the maximum level of lead is 0.3 mg/kg.", "en")
    assert [(i.parameter_id, i.product) for i in fish] == [("lead", "fish")]


def test_the_rows_keep_their_own_limits(tmp_path: Path) -> None:
    rows = {(i.parameter_id, i.value) for i in _extract(tmp_path, _PART_B) if i.table_id}
    assert rows == {
        ("boron", 1.5),
        ("chlorate", 0.25),
        ("chlorite", 0.25),
        ("nitrate", 50.0),
        ("nitrite", 0.5),
        ("pesticides", 0.1),
        ("selenium", 20.0),
    }


def test_the_size_of_a_supply_or_population_is_not_a_limit() -> None:
    # GB 5749—2006 3.2, the definition of a small rural supply
    assert parse_text("日供水在1000 m³以下（或供水人口在1万人以下）的农村集中式供水。", "zh") == []
    assert parse_text("供水规模1000 m³/d以下的供水单位应每年检测一次。", "zh") == []
    en = parse_text(
        "Member States may exempt individual supplies of water providing less than 10 m³ a day "
        "as an average or serving fewer than 50 persons.",
        "en",
    )
    assert en == []
    ru = parse_text(
        "Для систем водоснабжения с численностью населения менее 10 000 человек мутность не "
        "должна превышать 2,6 ЕМФ.",
        "ru",
    )
    assert [i.value for i in ru] == [2.6]
    # the limit after a scope stays a limit
    zh = parse_text("日供水在1000 m³以下的农村集中式供水，浑浊度不应超过3 NTU。", "zh")
    assert [(i.value, i.unit) for i in zh] == [(3.0, "NTU")]


def test_a_relative_clause_with_a_bracket_describes_the_product() -> None:
    got = parse_text("含量不低于50%（以干基计）的产品中铅不得超过0.5 mg/kg。", "zh")
    assert [(i.parameter_id, i.value) for i in got] == [("lead", 0.5)]


def test_one_value_in_two_units_is_one_limit() -> None:
    got = parse_text("菌落总数不应超过500 MPN/mL或500 CFU/mL。", "zh")
    assert [(i.parameter_id, i.value, i.unit) for i in got] == [
        ("aerobic_plate_count", 500.0, "MPN/mL或CFU/mL")
    ]
    two = parse_text("Lead shall not exceed 0.01 mg/kg or 0.02 mg/kg in fish.", "en")
    assert [i.value for i in two] == [0.01, 0.02]  # different values stay apart


def test_the_product_printed_after_the_parameter_in_its_cell(tmp_path: Path) -> None:
    """TR CU 013/2011 Annex 3: the winter/arctic cetane number row."""
    got = _extract(
        tmp_path,
        [
            "!meta language: ru",
            "# Приложение 3",
            "!table ruled widths=6,2,2.6 align=lcc",
            "| Характеристики дизельного топлива | Единица измерения | Нормы в отношении "
            "экологического класса К5 |",
            "| Цетановое число, не менее | – | 51 |",
            "| Цетановое число для зимнего и арктического дизельного топлива, не менее | – | 47 |",
            "!endtable",
        ],
    )
    rows = sorted((i.parameter_id, i.value, i.product) for i in got)
    assert [r[:2] for r in rows] == [("cetane_number", 47.0), ("cetane_number", 51.0)]
    assert "зимнего и арктического" in rows[0][2]
    assert "зимнего" not in rows[1][2]
