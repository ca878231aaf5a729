"""Numbers as printed and units through pint, with property tests for the number reader."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stdcompare.errors import ConversionError
from stdcompare.indicators.numbers import parse_number
from stdcompare.indicators.units import canonical, comparable, convert, unit_pattern


@pytest.mark.parametrize(("text", "lang", "value"), [
    ("0,30", "en", 0.3), ("1 000", "en", 1000), ("1,000", "en", 1000), ("1,5", "en", 1.5),
    ("2,500", "ru", 2.5), ("1×10⁻³", "en", 0.001), ("1E-3", "en", 0.001), ("5·10³", "ru", 5000),
    ("1,0×10⁴", "ru", 10000), ("10^-3", "en", 0.001), ("−10", "en", -10), ("0.5", "zh", 0.5),
])
def test_parse_number(text: str, lang: str, value: float) -> None:
    assert parse_number(text, lang) == pytest.approx(value)


@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False))
def test_decimal_point_and_comma_agree(d: object) -> None:
    s = f"{d:f}"
    assert parse_number(s, "en") == pytest.approx(float(s))
    if "." in s:
        assert parse_number(s.replace(".", ","), "ru") == pytest.approx(float(s))


@pytest.mark.parametrize(("v", "u1", "u2", "out"), [
    (0.01, "mg/L", "µg/l", 10), (5, "g/kg", "mg/kg", 5000), (1, "ppm", "mg/kg", 1),
    (0.5, "μg/kg", "µg/kg", 0.5), (3, "мг/дм³", "mg/L", 3), (1, "%", "mg/kg", 10000),
    (20, "℃", "°C", 20), (5, "g/100 g", "%", 5),
])
def test_convert(v: float, u1: str, u2: str, out: float) -> None:
    assert convert(v, u1, u2) == pytest.approx(out)


@pytest.mark.parametrize(("u1", "u2"), [("mg/L", "mg/kg"), ("% (V/V)", "% (m/m)"),
                                        ("CFU/mL", "MPN/100mL")])
def test_not_convertible(u1: str, u2: str) -> None:
    ok, why = comparable(u1, u2)
    assert not ok and why
    with pytest.raises(ConversionError):
        convert(1, u1, u2)


def test_unit_pattern_and_canonical() -> None:
    found = unit_pattern().findall("0.5 mg/kg, 10 µg/l, 5 μg/kg, 3 мг/дм³, 4 mm²/s, 10 %（质量分数）")
    assert found == ["mg/kg", "µg/l", "μg/kg", "мг/дм³", "mm²/s", "%（质量分数）"]
    assert unit_pattern().findall("Maximum levels") == []
    assert canonical("μg/l") == canonical("µg/L")
