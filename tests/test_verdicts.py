"""Verdicts: unit conversion, comparator semantics, basis/species/dimension, conversions."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stdcompare import Indicator
from stdcompare.errors import UnknownChoice
from stdcompare.gaps import judge, named_conversions, resolve_conversions
from stdcompare.gaps.verdicts import basis_key, split_unit
from stdcompare.indicators.glossary import Concept, Glossary

EMPTY = Glossary(())
# A tiny glossary of the kind stdcompare/data/glossary.csv holds: Cr(VI) is a child of Cr.
GLOSSARY = Glossary(
    [
        Concept("chromium", "substance", {"en": ("chromium",), "zh": ("铬",)}, symbol="Cr"),
        Concept(
            "chromium_vi",
            "substance",
            {"en": ("chromium (VI)",), "zh": ("六价铬", "铬（六价）")},
            symbol="Cr(VI)",
            parent="chromium",
        ),
        Concept("lead", "substance", {"en": ("lead",), "zh": ("铅",)}, symbol="Pb"),
        Concept("nitrate", "substance", {"en": ("nitrate",), "zh": ("硝酸盐",)}, symbol="NO3"),
    ]
)


def mx(value: float, unit: str = "mg/kg", **kw: object) -> Indicator:
    return Indicator("x", "<=", value, unit=unit, **kw)  # type: ignore[arg-type]


def mn(value: float, unit: str = "", **kw: object) -> Indicator:
    return Indicator("x", ">=", value, unit=unit, **kw)  # type: ignore[arg-type]


def rng(low: float, high: float, unit: str = "") -> Indicator:
    return Indicator("x", "range", low=low, high=high, unit=unit)


def v(a: Indicator, b: Indicator, **kw: object) -> str:
    return judge(a, b, glossary=EMPTY, **kw).verdict  # type: ignore[arg-type]


# --- units -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "verdict", "ratio"),
    [
        (mx(1, "g/kg"), mx(500, "mg/kg"), "b_stricter", 2.0),  # 1 g/kg = 1000 mg/kg
        (mx(1, "g/kg"), mx(1000, "mg/kg"), "equal", 1.0),
        (mx(0.01, "mg/L"), mx(5, "µg/l"), "b_stricter", 2.0),  # GB 5749 vs EU lead
        (mx(0.01, "mg/L"), mx(10, "μg/L"), "equal", 1.0),  # Greek mu as well as micro sign
        (mx(2, "ppm"), mx(2, "mg/kg"), "equal", 1.0),
        (mx(0.1, "mg/kg"), mx(0.2, "ppm"), "a_stricter", 0.5),
        (mx(50, "µg/kg"), mx(0.1, "mg/kg"), "a_stricter", 0.5),
    ],
)
def test_units_are_converted_before_comparing(
    a: Indicator, b: Indicator, verdict: str, ratio: float
) -> None:
    r = judge(a, b, glossary=EMPTY)
    assert r.verdict == verdict, r.reason
    assert r.ratio == pytest.approx(ratio)


def test_converted_b_limit_is_restated_in_a_unit() -> None:
    r = judge(mx(0.01, "mg/L"), mx(5, "µg/l"), glossary=EMPTY)
    assert r.b_as_a == "<= 0.005 mg/L"
    assert "B converted to mg/L" in r.reason
    assert r.stricter_by == pytest.approx(2.0)
    same = judge(mx(1, "mg/kg"), mx(2, "mg/kg"), glossary=EMPTY)
    assert same.b_as_a == ""  # nothing was converted


@pytest.mark.parametrize(
    ("ua", "ub", "words"),
    [
        ("mg/L", "mg/kg", "measure different things"),
        ("ppm", "mg/L", "measure different things"),
        ("% (m/m)", "% (V/V)", "mass fraction"),
    ],
)
def test_different_dimension_is_not_comparable(ua: str, ub: str, words: str) -> None:
    r = judge(mx(1, ua), mx(1, ub), glossary=EMPTY)
    assert r.verdict == "not_comparable"
    assert words in r.reason


def test_printed_unit_alternatives() -> None:
    # GB 5749—2022 prints "MPN/mL或CFU/mL" where the 2006 edition printed "CFU/mL"
    r = judge(mx(100, "CFU/mL"), mx(100, "MPN/mL或CFU/mL"), glossary=EMPTY)
    assert r.verdict == "equal"
    assert v(mx(100, "CFU/g"), mx(100, "MPN/mL或CFU/mL")) == "not_comparable"


def test_mass_and_volume_fractions() -> None:
    # GB 19147—2016 prints 多环芳烃含量（质量分数）/% ≤ 7; TR CU 013/2011 ≤ 8 % (mass)
    a = Indicator("多环芳烃", "<=", 7, unit="%", basis="质量分数")
    assert v(a, Indicator("ПАУ", "<=", 8, unit="%")) == "a_stricter"
    assert v(a, Indicator("ПАУ", "<=", 8, unit="%", basis="массовая доля")) == "a_stricter"
    r = judge(a, Indicator("PAH", "<=", 8, unit="% (V/V)"), glossary=EMPTY)
    assert r.verdict == "not_comparable" and "mass fraction" in r.reason


def test_missing_unit_on_one_side_is_not_comparable() -> None:
    r = judge(mx(1, ""), mx(1, "mg/kg"), glossary=EMPTY)
    assert r.verdict == "not_comparable" and "no unit stated for A" in r.reason


# --- comparator semantics ---------------------------------------------------------------------


def test_maximum_lower_is_stricter() -> None:
    r = judge(mx(0.5), mx(0.3), glossary=EMPTY)
    assert r.verdict == "b_stricter"
    assert r.ratio == pytest.approx(0.5 / 0.3, abs=1e-4)
    assert r.stricter_by == pytest.approx(0.5 / 0.3, abs=1e-4)
    assert "B's maximum is 1.67× lower than A's" in r.reason


def test_minimum_higher_is_stricter_cetane_number() -> None:
    # GB 19147—2016 diesel: cetane number ≥ 51 (grade 0); TR CU 013/2011: not less than 51
    assert v(mn(51), mn(51)) == "equal"
    r = judge(mn(49), mn(51), glossary=EMPTY)
    assert r.verdict == "b_stricter" and "minimum" in r.reason
    assert v(mn(55), mn(51)) == "a_stricter"
    # flash point, a minimum with a unit: 60 °C against 55 °C
    assert v(mn(60, "°C"), mn(55, "°C")) == "a_stricter"


def test_strict_comparator_at_equal_value_is_stricter() -> None:
    a = Indicator("x", "<", 0.5, unit="mg/kg")
    r = judge(a, mx(0.5), glossary=EMPTY)
    assert r.verdict == "a_stricter" and "excludes the limit itself" in r.reason
    assert r.stricter_by == 1.0


def test_range_narrower_inside_is_stricter() -> None:
    # pH: GB 5749—2022 6.5–8.5 against Directive (EU) 2020/2184 6.5–9.5
    r = judge(rng(6.5, 8.5), rng(6.5, 9.5), glossary=EMPTY)
    assert r.verdict == "a_stricter" and "lies within" in r.reason
    assert r.stricter_by == pytest.approx(1.5)
    assert v(rng(6.5, 9.5), rng(7.0, 8.0)) == "b_stricter"
    assert v(rng(6.5, 8.5), rng(6.5, 8.5)) == "equal"


def test_ranges_overlapping_in_part_or_disjoint_are_not_comparable() -> None:
    r = judge(rng(6.5, 8.5), rng(7.0, 9.5), glossary=EMPTY)
    assert r.verdict == "not_comparable" and "overlap only in part" in r.reason
    assert "A's range is narrower" in r.reason
    r = judge(rng(1, 2), rng(3, 4), glossary=EMPTY)
    assert r.verdict == "not_comparable" and "do not overlap" in r.reason


def test_range_against_single_bound() -> None:
    assert v(rng(6.5, 8.5), Indicator("x", "<=", 9.5)) == "a_stricter"
    assert v(Indicator("x", ">=", 6.0), rng(6.5, 8.5)) == "b_stricter"
    r = judge(rng(6.5, 9.5), Indicator("x", "<=", 8.5), glossary=EMPTY)
    assert r.verdict == "not_comparable" and "cross" in r.reason


def test_maximum_against_minimum_is_not_comparable() -> None:
    r = judge(mx(1), Indicator("x", ">=", 1, unit="mg/kg"), glossary=EMPTY)
    assert r.verdict == "not_comparable" and "maximum" in r.reason


def nd(lod: float | None = None, unit: str = "") -> Indicator:
    return Indicator("x", "not_detected", lod, unit=unit)


def test_not_detected_semantics() -> None:
    # no detection limit printed: absence is stricter than any positive maximum
    r = judge(nd(), mx(0.005), glossary=EMPTY)
    assert r.verdict == "a_stricter" and "requires absence" in r.reason
    assert v(mx(0.005), nd()) == "b_stricter"
    assert v(nd(), nd()) == "equal"
    assert v(nd(), mx(0)) == "equal"  # a limit of 0 is the same requirement
    # with a detection limit: a maximum below it is the stricter requirement
    r = judge(nd(0.01, "mg/kg"), mx(0.005), glossary=EMPTY)
    assert r.verdict == "b_stricter" and "below A's detection limit" in r.reason
    assert r.stricter_by == pytest.approx(2.0)
    assert v(nd(0.01, "mg/kg"), mx(0.05)) == "a_stricter"
    assert v(nd(10, "µg/kg"), mx(0.005)) == "b_stricter"  # units converted first
    assert v(nd(0.01, "mg/kg"), nd(0.005, "mg/kg")) == "b_stricter"
    r = judge(nd(), Indicator("x", ">=", 1.0), glossary=EMPTY)
    assert r.verdict == "not_comparable"


def test_exact_values() -> None:
    assert v(Indicator("x", "=", 3.0), Indicator("x", "=", 3.0)) == "equal"
    assert v(Indicator("x", "=", 3.0), Indicator("x", "=", 4.0)) == "not_comparable"
    assert v(Indicator("x", "=", 3.0), mx(4, "")) == "not_comparable"


# --- species and basis ----------------------------------------------------------------------


def test_different_species_is_not_comparable() -> None:
    a = Indicator("铬（六价）", "<=", 0.05, unit="mg/L", parameter_id="chromium_vi")
    b = Indicator("Chromium", "<=", 25, unit="µg/l", parameter_id="chromium")
    r = judge(a, b, glossary=GLOSSARY)
    assert r.verdict == "not_comparable"
    assert "different species" in r.reason
    assert "chromium (VI)" in r.reason and "chromium" in r.reason


def test_basis_that_names_the_parameter_itself_is_no_basis() -> None:
    a = Indicator("铅", "<=", 0.5, unit="mg/kg", basis="以Pb计", parameter_id="lead")
    b = Indicator("Lead", "<=", 0.3, unit="mg/kg", parameter_id="lead")
    assert basis_key(a, GLOSSARY) == ""
    assert judge(a, b, glossary=GLOSSARY).verdict == "b_stricter"


@pytest.mark.parametrize(
    "basis", ["calculated as total Cr", "as Cr total", "以总铬计", "as Cr-tot"]
)
def test_a_total_basis_names_the_element_itself(basis: str) -> None:
    # Codex "Chromium 0.05 calculated as total Cr" against GB 总铬 < 0.05: the same species
    a = Indicator("总铬", "<", 0.05, unit="mg/L", parameter_id="chromium")
    b = Indicator("Chromium", "<=", 0.05, unit="mg/l", basis=basis, parameter_id="chromium")
    assert basis_key(b, GLOSSARY) == ""
    assert judge(a, b, glossary=GLOSSARY).verdict == "a_stricter"
    vi = Indicator("六价铬", "<=", 0.05, unit="mg/L", parameter_id="chromium_vi")
    assert judge(vi, b, glossary=GLOSSARY).verdict == "not_comparable"


@pytest.mark.parametrize(
    ("basis", "unit", "key"),
    [
        ("以N计", "mg/L", "n"),
        ("as N", "mg/l", "n"),
        ("(as nitrogen)", "mg/l", "n"),
        ("в пересчёте на азот", "мг/дм³", "n"),
        ("NO3-N", "mg/l", "n"),
        ("", "mg N/L", "n"),
        ("dry weight", "mg/kg", "dry"),
        ("以干基计", "mg/kg", "dry"),
        ("", "mg/kg", ""),
    ],
)
def test_basis_keys(basis: str, unit: str, key: str) -> None:
    ind = Indicator("Nitrate", "<=", 1, unit=unit, basis=basis)
    assert basis_key(ind, EMPTY) == key


def test_unit_with_a_formula_inside_splits_into_unit_and_basis() -> None:
    assert split_unit("mg NO3/kg") == ("mg/kg", "NO3")
    assert split_unit("mg N/L") == ("mg/L", "N")
    assert split_unit("mg/kg") == ("mg/kg", "")
    assert split_unit("mg kg-1") == ("mg kg-1", "")


NITRATE_GB = Indicator("硝酸盐", "<=", 10, unit="mg/L", basis="以N计", parameter_id="nitrate")
NITRATE_EU = Indicator("Nitrate", "<=", 50, unit="mg/l", parameter_id="nitrate")


def test_different_basis_is_not_comparable_and_names_the_conversion() -> None:
    r = judge(NITRATE_GB, NITRATE_EU, glossary=GLOSSARY)
    assert r.verdict == "not_comparable"
    assert "different basis" in r.reason and "以N计" in r.reason
    assert "nitrate-N:NO3" in r.reason  # tells the user which conversion would apply
    # same without glossary ids: the parameter names identify nitrate
    a = Indicator("硝酸盐", "<=", 10, unit="mg/L", basis="以N计")
    b = Indicator("Nitrate", "<=", 50, unit="mg/l")
    assert judge(a, b, glossary=EMPTY).verdict == "not_comparable"


def test_named_conversion_enables_the_comparison() -> None:
    # GB 5749—2022: nitrate (as N) 10 mg/L = 44.3 mg/L as NO3 < EU 50 mg/l (as NO3)
    r = judge(NITRATE_GB, NITRATE_EU, glossary=GLOSSARY, conversions=["nitrate-N:NO3"])
    assert r.verdict == "a_stricter", r.reason
    assert r.conversion == "nitrate-N:NO3"
    assert r.ratio == pytest.approx(10 / (50 * 14.007 / 62.004), rel=1e-3)
    assert "4.427" in r.reason
    assert r.b_as_a.startswith("<= 11.29")
    # the other direction, and a basis printed inside the unit
    b = Indicator("Nitrate", "<=", 11, unit="mg/l", basis="as N", parameter_id="nitrate")
    a = Indicator("Нитраты", "<=", 45, unit="mg/L", basis="по NO₃⁻", parameter_id="nitrate")
    r = judge(a, b, glossary=GLOSSARY, conversions="nitrate-N:NO3")
    assert r.verdict == "a_stricter"  # 45 as NO3 = 10.2 as N < 11
    assert r.ratio == pytest.approx(45 / (11 * 62.004 / 14.007), rel=1e-3)


def test_unstated_basis_is_the_parameters_own_basis() -> None:
    a = Indicator("Нитраты", "<=", 45, unit="mg/L", basis="по NO₃⁻")
    b = Indicator("Nitrate", "<=", 50, unit="mg/l")
    r = judge(a, b, glossary=EMPTY)
    assert r.verdict == "a_stricter", r.reason


def test_mapping_conversion_as_in_the_api() -> None:
    r = judge(
        NITRATE_GB, NITRATE_EU, glossary=GLOSSARY, conversions={("n", "no3"): 14.007 / 62.004}
    )
    assert r.verdict == "a_stricter"
    # the factor only applies to the bases it names
    r = judge(NITRATE_GB, NITRATE_EU, glossary=GLOSSARY, conversions={("p", "po4"): 30.974 / 94.97})
    assert r.verdict == "not_comparable"


def test_conversion_does_not_apply_to_other_parameters() -> None:
    a = Indicator("Ammonium", "<=", 0.5, unit="mg/L", basis="as N", parameter_id="ammonia")
    b = Indicator("Ammonium", "<=", 0.5, unit="mg/L", basis="as NO3", parameter_id="ammonia")
    r = judge(a, b, glossary=EMPTY, conversions=["nitrate-N:NO3"])
    assert r.verdict == "not_comparable"


def test_named_conversions_are_stated_and_unknown_names_list_choices() -> None:
    named = named_conversions()
    assert named["nitrate-N:NO3"].factor == pytest.approx(4.427, abs=1e-3)
    assert named["nitrite-N:NO2"].factor == pytest.approx(3.284, abs=2e-3)
    for conv in named.values():
        assert conv.note and conv.factor > 0
    with pytest.raises(UnknownChoice) as err:
        resolve_conversions(["nitrate-as-N"])
    assert "nitrate-N:NO3" in str(err.value)
    assert isinstance(err.value, KeyError)


# --- properties ---------------------------------------------------------------------------------

SWAP = {
    "a_stricter": "b_stricter",
    "b_stricter": "a_stricter",
    "equal": "equal",
    "not_comparable": "not_comparable",
}
values = st.floats(min_value=1e-4, max_value=1e4, allow_nan=False, allow_infinity=False)
comparators = st.sampled_from(["<=", "<", ">=", ">"])


@settings(max_examples=150, deadline=None)
@given(values, values, comparators, comparators)
def test_swapping_sides_swaps_the_verdict(x: float, y: float, ca: str, cb: str) -> None:
    a = Indicator("x", ca, x, unit="mg/kg")
    b = Indicator("x", cb, y, unit="mg/kg")
    assert judge(b, a, glossary=EMPTY).verdict == SWAP[judge(a, b, glossary=EMPTY).verdict]


@settings(max_examples=100, deadline=None)
@given(values, values)
def test_unit_of_print_does_not_change_the_verdict(x: float, y: float) -> None:
    in_mg = judge(mx(x, "mg/kg"), mx(y, "mg/kg"), glossary=EMPTY)
    in_ug = judge(mx(x, "mg/kg"), mx(y * 1000, "µg/kg"), glossary=EMPTY)
    in_g = judge(mx(x / 1000, "g/kg"), mx(y, "mg/kg"), glossary=EMPTY)
    assert in_mg.verdict == in_ug.verdict == in_g.verdict
    if in_mg.stricter_by is not None and not math.isclose(x, y, rel_tol=1e-6):
        assert in_mg.stricter_by >= 1.0
        assert in_ug.stricter_by == pytest.approx(in_mg.stricter_by, rel=1e-3)


# --- gap assembly -------------------------------------------------------------------------------


def test_gaps_carry_verdict_details_and_named_rows() -> None:
    from stdcompare.gaps import gaps_from_indicators

    ia = [NITRATE_GB, Indicator("铅", "<=", 0.01, unit="mg/L", parameter_id="lead")]
    ib = [
        NITRATE_EU,
        Indicator("Lead", "<=", 5, unit="µg/l", parameter_id="lead"),
        Indicator("", "<=", 200, unit="µg/l", text="Aluminium | 200 | µg/l | Note 1"),
    ]
    gaps = gaps_from_indicators(
        ia, ib, glossary=GLOSSARY, embedder=None, conversions=["nitrate-N:NO3"]
    )
    by = {g.parameter: g for g in gaps}
    assert by["lead"].verdict == "b_stricter" and by["lead"].stricter_by == pytest.approx(2.0)
    assert by["lead"].b_as_a == "<= 0.005 mg/L"
    assert by["nitrate"].verdict == "a_stricter" and by["nitrate"].conversion == "nitrate-N:NO3"
    assert by["Aluminium"].verdict == "only_b"  # a row label even without a parameter name
    plain = gaps_from_indicators(ia, ib, glossary=GLOSSARY, embedder=None)
    assert {g.parameter: g.verdict for g in plain}["nitrate"] == "not_comparable"
