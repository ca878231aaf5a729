"""The indicator grammar on sentences and rows in Chinese, English and Russian."""

from __future__ import annotations

import pytest

from stdcompare.indicators.glossary import Glossary
from stdcompare.indicators.parse import Context, find_quantities, parse_row, parse_text

MINI = """id,kind,en,zh,ru,en_synonyms,zh_synonyms,ru_synonyms,symbol,ins,cas,codes,parent,source
lead,element,lead,铅,свинец,,,,Pb,,,,,test
cadmium,element,cadmium,镉,кадмий,,,,Cd,,,,,test
ph,water,pH,pH,водородный показатель,,pH值,,,,,,,test
escherichia_coli,microbe,Escherichia coli,大肠埃希氏菌,кишечная палочка,E. coli,,,,,,,,test
sulfur_content,fuel,sulfur content,硫含量,массовая доля серы,sulphur content,,,,,,,,test
cetane_number,fuel,cetane number,十六烷值,цетановое число,,,,,,,,,test
food.fish,food_category,fish,鱼类,рыба,muscle meat of fish,,,,,,,,test
"""


@pytest.fixture(scope="module")
def g(tmp_path_factory: pytest.TempPathFactory) -> Glossary:
    p = tmp_path_factory.mktemp("gl") / "glossary.csv"
    p.write_text(MINI, encoding="utf-8")
    return Glossary.from_csv(p)


def one(text: str, lang: str, g: Glossary, **ctx: object) -> tuple:
    found = parse_text(text, lang, glossary=g, context=Context(**ctx))  # type: ignore[arg-type]
    assert len(found) == 1, found
    i = found[0]
    return (i.parameter_id, i.comparator, i.value, i.low, i.high, i.unit)


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("铅（以Pb计）的含量不得超过0.5 mg/kg。", "zh", ("lead", "<=", 0.5, None, None, "mg/kg")),
    ("pH 不小于6.5且不大于8.5", "zh", ("ph", "range", None, 6.5, 8.5, "")),
    ("pH 6.5～8.5", "zh", ("ph", "range", None, 6.5, 8.5, "")),
    ("大肠埃希氏菌不得检出", "zh", ("escherichia_coli", "not_detected", None, None, None, "")),
    ("十六烷值 ≥ 51", "zh", ("cetane_number", ">=", 51.0, None, None, "")),
    ("镉 0.1 mg/kg以下", "zh", ("cadmium", "<=", 0.1, None, None, "mg/kg")),
    ("Lead in muscle meat of fish shall not exceed 0,30 mg/kg.", "en",
     ("lead", "<=", 0.3, None, None, "mg/kg")),
    ("pH ≥ 6,5 and ≤ 9,5", "en", ("ph", "range", None, 6.5, 9.5, "")),
    ("E. coli: not detected (<1 CFU/100 mL)", "en",
     ("escherichia_coli", "not_detected", 1.0, None, None, "CFU/100 mL")),
    ("Массовая доля серы, мг/кг, не более 10", "ru", ("sulfur_content", "<=", 10.0, None, None, "мг/кг")),
    ("Цетановое число не менее 51", "ru", ("cetane_number", ">=", 51.0, None, None, "")),
    ("содержание свинца от 0,1 до 0,5 мг/кг", "ru", ("lead", "range", None, 0.1, 0.5, "мг/кг")),
])
def test_sentences(text: str, lang: str, expected: tuple, g: Glossary) -> None:
    assert one(text, lang, g) == expected


def test_two_limits_in_one_sentence(g: Glossary) -> None:
    found = parse_text("铅 ≤0.2 mg/kg，镉 ≤0.1 mg/kg", "zh", glossary=g)
    assert [(i.parameter_id, i.value) for i in found] == [("lead", 0.2), ("cadmium", 0.1)]


@pytest.mark.parametrize("text", [
    "按GB 5009.12—2017测定铅，2023年4月25日发布，见表1和4.1.2条",
    "Regulation (EU) 2023/915 of 25 April 2023, Article 3, Table 1",
    "ISO 6468:1996 and INS 210 apply.",
    "温度为20 ℃时测定密度",
])
def test_references_are_not_limits(text: str, g: Glossary) -> None:
    assert parse_text(text, glossary=g) == []


def test_tolerance_and_sample_quantity() -> None:
    (q,) = find_quantities("20 ± 2 ℃", "zh", default_comparator="<=")
    assert (q.comparator, q.value, q.low, q.high, q.unit) == ("range", 20, 18, 22, "℃")
    (nd,) = find_quantities("Salmonella: absence in 25 g", "en")
    assert nd.comparator == "not_detected" and nd.value is None


def test_rows_take_meaning_and_unit_from_header(g: Glossary) -> None:
    ctx = Context(parameter="铅", parameter_id="lead")
    (i,) = parse_row(["食品类别（名称）", "限量（以Pb计）mg/kg"], ["鱼类", "0.5"], "zh", glossary=g, context=ctx)
    assert (i.product, i.product_id, i.comparator, i.value, i.unit, i.basis) == (
        "鱼类", "food.fish", "<=", 0.5, "mg/kg", "以Pb计")
    (e,) = parse_row(["Foodstuffs", "Maximum levels (mg/kg wet weight)"], ["Muscle meat of fish", "0,30"],
                     "en", glossary=g, context=Context(parameter="Lead", parameter_id="lead"))
    assert (e.comparator, e.value, e.unit, e.basis) == ("<=", 0.3, "mg/kg", "wet weight")


def test_fuel_rows(g: Glossary) -> None:
    (i,) = parse_row(["项目", "", "质量指标", "试验方法"], ["硫含量/(mg/kg)", "不大于", "10", "SH/T 0689"], "zh", glossary=g)
    assert (i.parameter_id, i.comparator, i.value, i.unit, i.method) == ("sulfur_content", "<=", 10, "mg/kg", "SH/T 0689")
    (r,) = parse_row(["Характеристики", "Единица измерения", "Нормы"], ["Массовая доля серы, не более", "мг/кг", "10"], "ru", glossary=g)
    assert (r.parameter_id, r.comparator, r.value, r.unit) == ("sulfur_content", "<=", 10, "мг/кг")


def test_group_label_row_yields_nothing(g: Glossary) -> None:
    assert parse_row(["指标", "限值"], ["一、微生物指标", ""], "zh", glossary=g) == []
