"""Documents in shapes the corpora do not have (tests/data/blind/*.src.txt, the team's own
wording with published figures named in each header): what extraction and pairing make of
them, checked by hand against the source text."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

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


def _find(name: str, pid: str, clause: str | None = None) -> list[Indicator]:
    return [
        i
        for i in _inds(name)
        if i.parameter_id == pid and (clause is None or i.clause_id == clause)
    ]


def test_blind_pdfs_are_current() -> None:
    for src in BLIND.glob("*.src.txt"):
        pdf = src.with_name(src.name.removesuffix(".src.txt") + ".pdf")
        assert pdf.exists() and pdf.stat().st_mtime >= src.stat().st_mtime - 1, pdf


@pytest.mark.parametrize("name", ["gb4706-appliances", "iec60335-appliances"])
def test_skipped_clause_numbers_open_clauses(name: str) -> None:
    ids = [c.id for c in _doc(name).clauses]
    assert "27" in ids and "27.5" in ids and "10" in ids
    (res,) = [i for i in _inds(name) if i.unit == "Ω"]
    assert (res.clause_id, res.comparator, res.value) == ("27.5", "<=", 0.1)


def test_zh_list_opened_by_a_comparator() -> None:
    # 13.2 泄漏电流不应超过下述值：——对Ⅰ类便携式器具 0.75 mA；…
    got = {(i.product, i.value, i.unit) for i in _find("gb4706-appliances", "leakage_current")}
    assert ("Ⅰ类便携式器具", 0.75, "mA") in got
    assert ("Ⅱ类器具", 0.25, "mA") in got
    assert ("Ⅰ类驻立式电动器具", 3.5, "mA") in got
    assert ("Ⅰ类驻立式电热器具", 0.75, "mA/kW") in got  # not merged into "mA或mA/kW"
    assert all(i.comparator == "<=" for i in _find("gb4706-appliances", "leakage_current"))


def test_en_list_opened_by_a_comparator() -> None:
    got = {(i.product, i.value) for i in _find("iec60335-appliances", "leakage_current")}
    assert ("class I portable appliances", 0.75) in got
    assert ("class II appliances", 0.25) in got


def test_sampling_plan_columns_under_a_spanning_zh_heading() -> None:
    # 表5 采样方案及限量 n | c | m: n = 5 is the number of samples, never a limit
    rows = _find("gb8537-mineral-water", "total_coliforms")
    assert rows and all(i.comparator == "not_detected" for i in rows)
    assert not any(i.value == 5 for i in rows)


def test_mineral_water_limits() -> None:
    (sb,) = _find("gb8537-mineral-water", "antimony")
    assert (sb.comparator, sb.value, sb.unit) == ("<", 0.005, "mg/L")
    (b,) = _find("gb8537-mineral-water", "borate")
    assert (b.comparator, b.value, b.basis) == ("<", 5.0, "以B计")
    (ra,) = _find("gb8537-mineral-water", "radium_226")
    assert (ra.value, ra.unit) == (1.1, "Bq/L")
    (cb,) = _find("codex-cxs108-mineral-water", "borate")
    assert (cb.comparator, cb.value, cb.unit) == ("<=", 5.0, "mg/l")


def test_parameter_heading_over_numbers_is_a_limits_column() -> None:
    # Приложение 9: Вид изделий | Содержание свободного формальдегида, мкг/г, не более | pH
    name = "trts-007-textiles"
    table = [i for i in _inds(name) if i.table_id]
    form = {(i.product, i.value) for i in table if i.parameter_id == "formaldehyde"}
    assert ("Изделия для детей до 1 года", 20.0) in form
    assert any(p.startswith("Изделия третьего слоя") and v == 300.0 for p, v in form)
    ph = {(i.product, i.low, i.high) for i in table if i.parameter_id == "ph"}
    assert ("Изделия первого слоя", 4.0, 7.5) in ph and ("Изделия второго слоя", 4.0, 9.0) in ph
    assert all(i.parameter_id in ("formaldehyde", "ph") for i in table)


def test_textile_verdicts() -> None:
    g = default_glossary()
    gaps = gaps_from_indicators(
        _inds("gb18401-textiles"), _inds("trts-007-textiles"), glossary=g, embedder=None
    )
    ph = [x for x in gaps if x.a and x.b and x.a.parameter_id == "ph"]
    # A类 pH 4.0～7.5 against изделия первого слоя 4,0–7,5: the same range
    assert any(x.verdict == "equal" and x.b.product == "Изделия первого слоя" for x in ph)
    # 直接接触皮肤 4.0～8.5 against 4,0–7,5: the narrower Russian range is stricter
    assert any(x.verdict == "b_stricter" and x.a.high == 8.5 for x in ph)


def test_mineral_water_verdicts() -> None:
    g = default_glossary()
    gaps = gaps_from_indicators(
        _inds("gb8537-mineral-water"),
        _inds("codex-cxs108-mineral-water"),
        glossary=g,
        embedder=None,
    )
    by = {(x.a.parameter_id if x.a else None, x.b.parameter_id if x.b else None): x for x in gaps}
    assert by[("antimony", "antimony")].verdict == "a_stricter"  # < 0.005 vs 0.02 mg/l
    assert by[("nitrate", "nitrate")].verdict == "a_stricter"  # < 45 vs 50 mg/l as NO3
    sel = [x for x in gaps if x.a and x.b and x.a.parameter_id == "selenium"]
    assert any(x.verdict == "b_stricter" and x.a.value == 0.05 for x in sel)
    assert by[("borate", "borate")].verdict in ("a_stricter", "equal")


@functools.cache
def _water_gaps() -> tuple:
    return tuple(
        gaps_from_indicators(
            _inds("gb8537-mineral-water"),
            _inds("codex-cxs108-mineral-water"),
            glossary=default_glossary(),
            embedder=None,
        )
    )


def test_total_chromium_against_calculated_as_total_cr() -> None:
    # GB 总铬 < 0.05 against Codex "Chromium 0.05 calculated as total Cr": the same species
    (cr,) = [x for x in _water_gaps() if x.a and x.b and x.a.parameter_id == "chromium"]
    assert cr.verdict == "a_stricter"


def test_bracketed_remark_in_a_qualifying_cell() -> None:
    # 表1 界限指标 锶 ≥ 0.20（含量在…时，水源水水温应在25 ℃以上）: the limit is 0.20 mg/L
    for pid, value in (("strontium", 0.2), ("metasilicic_acid", 25.0)):
        (i,) = _find("gb8537-mineral-water", pid)
        assert (i.comparator, i.value, i.unit) == (">=", value, "mg/L")


def test_lead_in_to_a_table_of_maximum_levels_is_no_limit() -> None:
    # 3.2 "… shall not be present in amounts greater than the maximum levels below …"
    assert not [i for i in _inds("codex-cxs108-mineral-water") if i.comparator == "not_detected"]


def test_qualifying_minimum_is_not_paired_beside_the_maximum() -> None:
    # 界限指标 硒 ≥ 0.01 is another requirement than the Codex maximum, which 硒 < 0.05 answers
    sel = [x for x in _water_gaps() if x.a and x.a.parameter_id == "selenium"]
    (mn,) = [x for x in sel if x.a.comparator == ">="]
    assert mn.b is None and mn.verdict == "only_a"


def test_test_conditions_are_not_limits() -> None:
    # 13.3 器具绝缘应经受频率为50 Hz或60 Hz的基本正弦波电压，持续1 min。
    assert not [i for i in _inds("gb4706-appliances") if i.unit in ("Hz", "min")]
    assert not [i for i in _inds("iec60335-appliances") if i.unit in ("Hz", "min")]


@pytest.mark.parametrize("name", ["gb4706-appliances", "iec60335-appliances"])
def test_list_item_cap_and_per_unit_keep_the_parameter(name: str) -> None:
    # "0,75 mA or 0,75 mA per kW rated power input …, whichever is greater, with a maximum
    # of 5 mA" / "两者中取较大值，但是最大为5 mA": all three are leakage-current limits
    item = [i for i in _inds(name) if i.clause_id == "13.2" and "0.75" in i.text.replace(",", ".")]
    item = [i for i in item if "kW" in i.text]
    assert {(i.value, i.parameter_id) for i in item} == {
        (0.75, "leakage_current"),
        (5.0, "leakage_current"),
    }
    assert len(item) == 3


def test_colour_fastness_grades() -> None:
    # GB 18401 表1 耐水色牢度/级 ≥ 3-4 (A类): the half grade 3.5, unit 级
    water = [i for i in _inds("gb18401-textiles") if i.parameter.startswith("耐水")]
    assert {(i.product.split()[-1], i.value, i.unit) for i in water} >= {("A类", 3.5, "级")}
    # ТР ТС 007 статья 9: "не менее 4 баллов"
    (ru,) = [i for i in _inds("trts-007-textiles") if i.unit == "баллов"]
    assert (ru.comparator, ru.value) == (">=", 4.0)
