"""Numbers as printed and units through pint, with property tests for the number reader."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stdcompare.errors import ConversionError
from stdcompare.indicators.numbers import parse_cn_numeral, parse_number
from stdcompare.indicators.render import format_number
from stdcompare.indicators.units import (
    canonical,
    comparable,
    convert,
    is_ph,
    lookup,
    match_unit,
    same_unit,
    unit_pattern,
)


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("0,30", "en", 0.3),
        ("1 000", "en", 1000),
        ("1,000", "en", 1000),
        ("1,5", "en", 1.5),
        ("2,500", "ru", 2.5),
        ("1×10⁻³", "en", 0.001),
        ("1E-3", "en", 0.001),
        ("5·10³", "ru", 5000),
        ("1,0×10⁴", "ru", 10000),
        ("10^-3", "en", 0.001),
        ("−10", "en", -10),
        ("0.5", "zh", 0.5),
        ("5 x 10^-2", "en", 0.05),
        ("10⁵", "en", 100000),
        ("2×10⁶", "zh", 2000000),
        ("7,5×10⁵", "ru", 750000),
        ("3 500", "en", 3500),
    ],
)
def test_parse_number(text: str, lang: str, value: float) -> None:
    assert parse_number(text, lang) == pytest.approx(value)


def test_decimal_comma_override() -> None:
    # EN/ISO documents print decimal commas even before three digits: the document decides
    assert parse_number("2,000", "en", decimal_comma=True) == 2.0
    assert parse_number("2,000", "en") == 2000


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("四十五", 45),
        ("十五", 15),
        ("一百二十", 120),
        ("一百零五", 105),
        ("三千", 3000),
        ("两万五千", 25000),
    ],
)
def test_chinese_numerals(text: str, value: float) -> None:
    assert parse_cn_numeral(text) == value


@pytest.mark.parametrize("text", ["五五", "十十", "百十", "千", "第一"])
def test_ambiguous_chinese_numerals_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_cn_numeral(text)


@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False))
def test_decimal_point_and_comma_agree(d: object) -> None:
    s = f"{d:f}"
    assert parse_number(s, "en") == pytest.approx(float(s))
    if "." in s:
        assert parse_number(s.replace(".", ","), "ru") == pytest.approx(float(s))


@given(
    st.floats(min_value=-1e6, max_value=1e7, allow_nan=False, allow_infinity=False),
    st.sampled_from(["zh", "en", "ru"]),
)
def test_printed_numbers_read_back(x: float, lang: str) -> None:
    x = float(f"{x:.6g}")
    printed = format_number(x, lang)
    assert parse_number(printed, lang, decimal_comma=lang == "ru") == pytest.approx(x, rel=1e-9)


# --- units ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("v", "u1", "u2", "out"),
    [
        (0.01, "mg/L", "µg/l", 10),
        (5, "g/kg", "mg/kg", 5000),
        (1, "ppm", "mg/kg", 1),
        (0.5, "μg/kg", "µg/kg", 0.5),
        (3, "мг/дм³", "mg/L", 3),
        (1, "%", "mg/kg", 10000),
        (20, "℃", "°C", 20),
        (5, "g/100 g", "%", 5),
        (1, "мкг/дм³", "µg/l", 1),
        (1, "MPa", "Н/мм²", 1),
        (2, "МОм", "kΩ", 2000),
        (15, "mg/100 g", "mg/kg", 150),
        (1, "mg·kg⁻¹", "mg/kg", 1),
        (2500, "µS cm-1", "mS/m", 250),
        (1, "КОЕ/г", "CFU/g", 1),
    ],
)
def test_convert(v: float, u1: str, u2: str, out: float) -> None:
    assert convert(v, u1, u2) == pytest.approx(out)


@pytest.mark.parametrize(
    ("u1", "u2"),
    [
        ("mg/L", "mg/kg"),
        ("% (V/V)", "% (m/m)"),
        ("CFU/mL", "MPN/100mL"),
        ("°T", "°C"),
        ("dB(A)", "dB"),
        ("NTU", "mg/L"),
    ],
)
def test_not_convertible(u1: str, u2: str) -> None:
    ok, why = comparable(u1, u2)
    assert not ok and why
    with pytest.raises(ConversionError):
        convert(1, u1, u2)


@pytest.mark.parametrize(
    ("u1", "u2", "same"),
    [
        ("µg/kg", "μg/kg", True),
        ("mg/l", "mg/L", True),
        ("℃", "°C", True),
        ("°С", "°C", True),
        ("мг/дм³", "mg/L", True),
        ("pH units", "", True),
        ("единицы pH", "", True),
        ("%", "% (m/m)", False),
        ("mg/kg", "µg/kg", False),
        ("CFU/g（mL）", "CFU/g(mL)", True),
        ("", "mg/kg", False),
    ],
)
def test_same_unit(u1: str, u2: str, same: bool) -> None:
    assert same_unit(u1, u2) is same


# units printed in standards, each read whole after a number
PRINTED = [
    "mg/kg",
    "µg/kg",
    "μg/kg",
    "ppm",
    "ppb",
    "%",
    "% (m/m)",
    "% (V/V)",
    "%（质量分数）",
    "% масс.",
    "g/100 g",
    "mg/L",
    "µg/L",
    "CFU/g",
    "MPN/100 mL",
    "°C",
    "℃",
    "kPa",
    "MPa",
    "mm²/s",
    "dB(A)",
    "V",
    "A",
    "W",
    "mm",
    "мг/кг",
    "мг/дм³",
    "КОЕ/г",
    "мм²/с",
    "кг/м³",
    "Н/мм²",
    "дБА",
    "mg NO3/kg",
    "mg per 100 g",
    "µS cm-1",
    "CFU/g（mL）",
    "MPN/100mL或CFU/100mL",
    "КОЕ/см³ (г)",
    "number/100 ml",
    "°T",
    "°Ж",
    "ЕМФ",
    "NTU",
    "Bq/L",
    "mg/m³",
    "分贝",
    "мг КОН/г",
    "клеток/см³",
    "pH units",
]


@pytest.mark.parametrize("unit", PRINTED)
def test_units_printed_in_standards(unit: str) -> None:
    m = match_unit(f"{unit} and more", 0)
    assert m is not None and m.group(0) == unit
    assert lookup(unit) is not None


def test_unit_pattern_and_canonical() -> None:
    found = unit_pattern().findall(
        "0.5 mg/kg, 10 µg/l, 5 μg/kg, 3 мг/дм³, 4 mm²/s, 10 %（质量分数）"
    )
    assert found == ["mg/kg", "µg/l", "μg/kg", "мг/дм³", "mm²/s", "%（质量分数）"]
    assert unit_pattern().findall("Maximum levels") == []
    assert canonical("μg/l") == canonical("µg/L")
    assert is_ph("pH units") and not is_ph("mg/kg")
    # Russian "с" (seconds) only after a slash: alone it is the preposition "with"
    assert match_unit("с добавлением", 0) is None
    assert match_unit("мм²/с", 0).group(0) == "мм²/с"  # type: ignore[union-attr]
    # "%" is never a divisor: "A/%" is a symbol and a unit (GB 1499.2 headings)
    assert match_unit("A/%", 0).group(0) == "A"  # type: ignore[union-attr]
    assert lookup("% (V/V)").qualifier == "V/V"  # type: ignore[union-attr]
    assert lookup("mg/kg").qualifier == "m/m"  # type: ignore[union-attr]


@given(st.sampled_from(PRINTED), st.sampled_from(PRINTED))
def test_same_unit_is_symmetric(u1: str, u2: str) -> None:
    assert same_unit(u1, u2) == same_unit(u2, u1)
    assert same_unit(u1, u1)


def test_the_unit_table_is_data() -> None:
    from importlib import resources

    text = resources.files("stdcompare.data").joinpath("units.csv").read_text("utf-8")
    rows = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    assert rows[0] == "printed,expr,qualifier,kind,note"
    kinds = {r.split(",")[3] for r in rows[1:] if r.count(",") >= 4 and not re.match(r'^"', r)}
    assert kinds <= {"atom", "form", "den"}
