"""Property tests: an indicator written out in Chinese, English or Russian reads back as the
same record (parameter, product, comparator, value or range, unit)."""

from __future__ import annotations

import functools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stdcompare.indicators import default_glossary, parse_text
from stdcompare.indicators.render import format_number, render, render_limit
from stdcompare.indicators.units import same_unit
from stdcompare.model import Indicator

LANGS = ("zh", "en", "ru")
UNITS = {
    "zh": (
        "mg/kg",
        "μg/kg",
        "mg/L",
        "g/100 g",
        "%",
        "CFU/g",
        "℃",
        "kPa",
        "mm²/s",
        "mg/100 mL",
        "MPa",
        "mm",
    ),
    "en": (
        "mg/kg",
        "µg/kg",
        "mg/l",
        "g/100 g",
        "% (m/m)",
        "cfu/g",
        "°C",
        "kPa",
        "mm²/s",
        "µg/l",
        "MPa",
        "dB(A)",
    ),
    "ru": (
        "мг/кг",
        "мкг/кг",
        "мг/дм³",
        "%",
        "КОЕ/г",
        "°С",
        "кПа",
        "мм²/с",
        "Н/мм²",
        "мм",
        "дБА",
        "г/см³",
    ),
}
PARAM_KINDS = {"element", "contaminant", "mycotoxin", "fuel", "water", "property", "pesticide"}


@functools.lru_cache(maxsize=1)
def _concepts() -> dict[str, tuple[str, ...]]:
    """Glossary ids whose preferred name in every language reads back as that id."""
    g = default_glossary()
    out: dict[str, list[str]] = {"param": [], "food": []}
    for c in g.concepts.values():
        names = [c.name(lang) for lang in LANGS]
        if any(any(ch.isdigit() for ch in n) for n in names):
            continue  # names with digits (1,2-dichloroethane) are tested elsewhere
        if c.name("en").lower().startswith(("maximum", "minimum")):
            continue  # "maximum allowable working pressure shall be 1.6 MPa" reads as a maximum
        if c.kind in PARAM_KINDS and all(
            g.lookup(n) == c.id and not g.find(n, kinds=("food_category",)) for n in names
        ):
            out["param"].append(c.id)
        elif c.kind == "food_category" and all(
            g.lookup(n, kinds=("food_category",)) == c.id
            and not [m for m in g.find(n) if g[m.concept_id].kind != "food_category"]
            for n in names
        ):
            out["food"].append(c.id)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def test_enough_concepts_to_sample() -> None:
    c = _concepts()
    assert len(c["param"]) >= 100 and len(c["food"]) >= 20


values = st.decimals(min_value="0.001", max_value="99999", places=3).map(float)


@st.composite
def indicators(draw: st.DrawFn) -> tuple[Indicator, str, int]:
    lang = draw(st.sampled_from(LANGS))
    comparator = draw(st.sampled_from(["<=", "<", ">=", ">", "=", "range", "not_detected"]))
    unit = draw(st.sampled_from(UNITS[lang]))
    pid = draw(st.sampled_from(_concepts()["param"]))
    food = draw(st.one_of(st.none(), st.sampled_from(_concepts()["food"])))
    value = low = high = None
    if comparator == "range":
        a, b = draw(values), draw(values)
        if a == b:
            b = a + 1
        low, high = min(a, b), max(a, b)
    elif comparator == "not_detected":
        value = draw(st.one_of(st.none(), values))
        unit = unit if value is not None else ""
    else:
        value = draw(values)
    ind = Indicator(
        parameter=pid,
        comparator=comparator,
        value=value,
        low=low,
        high=high,
        unit=unit,
        parameter_id=pid,
        product_id=food,
    )
    return ind, lang, draw(st.integers(min_value=0, max_value=5))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(indicators())
def test_render_then_parse_gives_the_same_record(case: tuple[Indicator, str, int]) -> None:
    ind, lang, variant = case
    text = render(ind, lang, variant=variant)
    found = parse_text(text, lang)
    assert len(found) == 1, (text, found)
    got = found[0]
    assert got.comparator == ind.comparator, text
    for name in ("value", "low", "high"):
        want = getattr(ind, name)
        assert (
            (getattr(got, name) is None)
            if want is None
            else getattr(got, name) == pytest.approx(want)
        ), text
    if ind.value is not None or ind.low is not None:
        assert same_unit(got.unit, ind.unit), (text, got.unit)
    assert got.parameter_id == ind.parameter_id, (text, got.parameter)
    if ind.product_id:
        assert got.product_id == ind.product_id, (text, got.product)


@pytest.mark.parametrize(
    ("args", "lang", "text"),
    [
        (("<=", 0.5, None, None, "mg/kg"), "zh", "不大于0.5 mg/kg"),
        (("range", None, 6.5, 8.5, ""), "zh", "6.5～8.5"),
        (("range", None, 820, 845, "кг/м³"), "ru", "от 820 до 845 кг/м³"),
        (("not_detected", 0.5, None, None, "µg/kg"), "en", "not detected (< 0.5 µg/kg)"),
        ((">=", 1500, None, None, ""), "ru", "не менее 1500"),
        (("<=", 12000.5, None, None, "мг/кг"), "ru", "не более 12 000,5 мг/кг"),
    ],
)
def test_render_limit(args: tuple, lang: str, text: str) -> None:
    assert render_limit(*args, lang=lang) == text


def test_render_refuses_what_it_cannot_write() -> None:
    with pytest.raises(ValueError, match="language"):
        render_limit("<=", 1, lang="fr")
    with pytest.raises(ValueError, match="range"):
        render_limit("range", low=1, lang="en")
    assert format_number(1e-05) == "0.00001" and format_number(2.0) == "2"
