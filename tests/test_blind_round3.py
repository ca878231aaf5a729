"""Third blind round (tests/data/blind/*.src.txt written for it: GB 2761 and Regulation (EU)
2023/915 mycotoxins, ТР ТС 021/2011 food safety, GB 17930 and EN 228 petrol): what
extraction and pairing make of them, checked by hand against the source text."""

from __future__ import annotations

import functools
from pathlib import Path

import stdcompare
from stdcompare.gaps import gaps_from_indicators
from stdcompare.indicators.glossary import default_glossary
from stdcompare.model import Indicator

BLIND = Path(__file__).parent / "data" / "blind"


@functools.cache
def _doc(name: str) -> stdcompare.Document:
    return stdcompare.load(BLIND / f"{name}.pdf")


@functools.cache
def _inds(name: str) -> tuple[Indicator, ...]:
    return tuple(stdcompare.extract(_doc(name)))


def _find(name: str, pid: str) -> list[Indicator]:
    return [i for i in _inds(name) if i.parameter_id == pid]


def test_entry_row_naming_a_substance_is_the_parameter_of_its_entries() -> None:
    # Annex I: "1.2 | Ochratoxin A |" over "1.2.1 | Unprocessed cereal grains | 5,0"
    name = "eu2023-915-mycotoxins"
    assert all(i.parameter_id for i in _inds(name) if i.table_id)
    ota = {(i.product, i.value) for i in _find(name, "ochratoxin_a")}
    assert ("Unprocessed cereal grains", 5.0) in ota and len(ota) == 4
    assert len(_find(name, "aflatoxin_b1")) == 5  # "Aflatoxins — aflatoxin B1": the species
    assert {i.value for i in _find(name, "zearalenone")} == {100.0, 350.0, 75.0}


def test_mycotoxin_verdicts_across_chinese_and_english() -> None:
    gaps = gaps_from_indicators(
        _inds("gb2761-mycotoxins"),
        _inds("eu2023-915-mycotoxins"),
        glossary=default_glossary(),
        embedder=None,
    )
    paired = [x for x in gaps if x.a and x.b]
    assert {x.a.parameter_id for x in paired} >= {"aflatoxin_b1", "patulin", "ochratoxin_a"}


def test_condition_taken_out_of_a_name_leaves_no_additive_code() -> None:
    # "Evaporated at 100 °C, E100, min" is E100 of petrol, not the colour E100 (curcumin)
    name = "en228-gasoline"
    assert not _find(name, "curcumin")
    assert {i.value for i in _find(name, "evaporated_e100")} == {46.0}


def test_grade_column_naming_two_classes() -> None:
    # Table 2: "Class A | Class B | Class C/C1 | Class D/D1": four limits columns
    vp = {(i.product, i.comparator, i.value) for i in _find("en228-gasoline", "vapour_pressure")}
    assert ("Class C/C1", ">=", 50.0) in vp and ("Class D/D1", "<=", 90.0) in vp
    assert len(vp) == 8


def test_next_part_of_a_list_of_limits_keeps_the_comparator() -> None:
    # 4.4.1 谷物…中赭曲霉毒素A的限量为5.0 μg/kg；葡萄酒中为2.0 μg/kg；…速溶咖啡中为10.0 μg/kg
    ota = {(i.product, i.comparator, i.value) for i in _find("gb2761-mycotoxins", "ochratoxin_a")}
    assert ("葡萄酒", "<=", 2.0) in ota and ("速溶咖啡", "<=", 10.0) in ota
    assert all(c == "<=" for _, c, _ in ota)


def test_grade_row_under_a_spanning_heading_is_a_header_row() -> None:
    # 表1: "项目 | 质量指标 (spans 3) | 试验方法" over "^ | 89 | 92 | 95 | ^": the grades are
    # the products of the limits columns, and each row's method is its own
    ron = {
        (i.product, i.value, i.method) for i in _find("gb17930-gasoline", "research_octane_number")
    }
    assert ron == {
        ("车用汽油（ⅥA） 89", 89.0, "GB/T 5487"),
        ("车用汽油（ⅥA） 92", 92.0, "GB/T 5487"),
        ("车用汽油（ⅥA） 95", 95.0, "GB/T 5487"),
    }
    (s,) = _find("gb17930-gasoline", "sulfur_content")
    assert s.method == "SH/T 0689"  # not the alternative method of a footnote


def test_seasons_under_a_parameter_row() -> None:
    # "蒸气压ᵇ/kPa" (no values) over "11月1日至4月30日 | 45～85" and "5月1日至10月31日 | 40～65"
    vp = {
        (i.condition, i.low, i.high, i.unit) for i in _find("gb17930-gasoline", "vapour_pressure")
    }
    assert vp == {("11月1日至4月30日", 45.0, 85.0, "kPa"), ("5月1日至10月31日", 40.0, 65.0, "kPa")}


def test_own_code_is_never_the_test_method() -> None:
    # the running header "EN 228:2012+A1:2017 (E)" in 5.4 (a clause about test methods)
    (mn,) = [i for i in _find("en228-gasoline", "manganese") if not i.table_id]
    assert mn.method != "EN 228" and (mn.comparator, mn.value) == ("<=", 2.0)
    assert all(not (i.method or "").startswith("EN 228") for i in _inds("en228-gasoline"))


def test_ranges_of_the_rows_own_quantity_are_conditions_of_the_deviation() -> None:
    # 表1 / Table 1: "额定输入功率/W | 偏差" over "≤25 | +20%" and "＞25且≤200 | ±10%"
    for name in ("gb4706-appliances", "iec60335-appliances"):
        t1 = [i for i in _inds(name) if i.table_id == "T1"]
        assert {(i.parameter_id, i.comparator, i.value, i.unit) for i in t1} == {
            ("power_input_deviation", "<=", 20.0, "%"),
            ("power_input_deviation", "<=", 10.0, "%"),
        }
        assert all(i.condition and i.condition.endswith("W") for i in t1)
    gaps = gaps_from_indicators(
        _inds("gb4706-appliances"),
        _inds("iec60335-appliances"),
        glossary=default_glossary(),
        embedder=None,
    )
    dev = [x for x in gaps if (x.a or x.b).parameter_id == "power_input_deviation"]
    assert len(dev) == 2 and all(x.verdict == "equal" for x in dev)


def test_permitted_relaxation_is_no_limit_and_caption_subject_no_product() -> None:
    # 注：a …非最终产品，pH值可放宽至4.0～10.5之间 — a permitted relaxation, not a limit
    ph = _find("gb18401-textiles", "ph")
    assert not any(i.high == 10.5 for i in ph)
    # 表1 纺织产品基本安全技术要求 | A类: the product is 纺织产品 A类 (基本安全 is what is required)
    form = {i.product for i in _find("gb18401-textiles", "formaldehyde") if i.table_id}
    assert form == {"纺织产品 A类", "纺织产品 B类", "纺织产品 C类"}
