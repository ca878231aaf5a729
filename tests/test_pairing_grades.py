"""Pairing decisions beyond product similarity: fuel grades by climate, the closer value
among tied rows, a general limit that also answers a variant or a class member, the same
quantity at two reference temperatures, and clause alignment that says nothing about rows.

Figures: GB 19147—2016 Table 3, TR CU 013/2011 Annex 3, ГОСТ 32511-2013 Tables 1–2,
GB 5749—2022 Tables 1/3 and note b, Directive (EU) 2020/2184 Annex I Part B.
"""

from __future__ import annotations

import random

from stdcompare import Indicator
from stdcompare.alignment import get_embedder
from stdcompare.gaps import pair_indicators
from stdcompare.gaps.grades import climate_distance, climate_grades, climate_links, climate_of
from stdcompare.gaps.pairing import value_closeness
from stdcompare.indicators.glossary import default_glossary

G = default_glossary()
GB = "车用柴油（Ⅵ）"


def lim(
    pid: str,
    product: str,
    value: float,
    comp: str = ">=",
    unit: str = "",
    clause: str = "5.3",
    name: str = "",
) -> Indicator:
    c = G.get(pid)
    return Indicator(
        parameter=name or (c.name("en") if c else pid),
        comparator=comp,
        value=value,
        unit=unit,
        product=product,
        clause_id=clause,
        parameter_id=pid if c else None,
    )


Side = tuple[str, float | None] | None


def pairs(a: list[Indicator], b: list[Indicator], **kw: object) -> set[tuple[Side, Side]]:
    got = pair_indicators(a, b, glossary=G, embedder=get_embedder("use"), **kw)  # type: ignore[arg-type]
    return {
        ((p.a.product, p.a.value) if p.a else None, (p.b.product, p.b.value) if p.b else None)
        for p in got
    }


def test_the_grade_table_names_its_sources() -> None:
    grades = climate_grades()
    assert {g.system for g in grades} >= {"gb_diesel", "season_ru", "en590", "en590_arctic"}
    assert all(g.source and g.low <= g.high for g in grades)
    assert climate_of(f"{GB} 5号、0号、-10号") == ((8.0, 8.0), (4.0, 4.0), (-5.0, -5.0))
    assert climate_of(f"{GB} -35号") == ((-29.0, -29.0),)  # not 5号
    assert climate_of("зимнего и арктического дизельного топлива К5") == (
        (-35.0, -15.0),
        (-55.0, -35.0),
    )
    assert climate_of("Сорт C") == ((-5.0, -5.0),)  # Latin or Cyrillic letter
    assert climate_of("Сорт С") == ((-5.0, -5.0),)
    assert climate_of("экологического класса К5") == ()  # an ecological class is no climate
    assert climate_of("Grade 2") == ()  # ISO 3696 water grades are not fuel grades
    assert climate_distance(((-14.0, -14.0),), ((-35.0, -15.0),)) == 1.0


def test_grades_link_to_the_nearest_climate_and_never_across() -> None:
    a = [lim("cetane_number", f"{GB} {g}", 0) for g in ("5号、0号、-10号", "-20号", "-35号、-50号")]
    b = [
        lim("cetane_number", "дизельного топлива К5", 51),
        lim("cetane_number", "зимнего и арктического дизельного топлива К5", 47),
    ]
    links, conflicts = climate_links(a, b)
    assert links == {(1, 1), (2, 1)}
    assert conflicts == {(0, 1)}  # summer grades never meet the winter row


def test_tr_cu_season_rows_pair_with_the_gb_grades_of_their_climate() -> None:
    """TR CU 013/2011: cetane number 51 (general) and 47 for winter and arctic fuel."""
    a = [
        lim("cetane_number", f"{GB} 5号、0号、-10号", 51),
        lim("cetane_number", f"{GB} -20号", 49),
        lim("cetane_number", f"{GB} -35号、-50号", 47),
    ]
    b = [
        lim("cetane_number", "дизельного топлива К5", 51, clause="Приложение 3"),
        lim(
            "cetane_number",
            "зимнего и арктического дизельного топлива К5",
            47,
            clause="Приложение 3",
        ),
    ]
    want = {
        ((f"{GB} 5号、0号、-10号", 51), ("дизельного топлива К5", 51)),
        ((f"{GB} -20号", 49), ("зимнего и арктического дизельного топлива К5", 47)),
        ((f"{GB} -35号、-50号", 47), ("зимнего и арктического дизельного топлива К5", 47)),
    }
    for seed in range(4):  # the order of the rows decides nothing
        ra, rb = a[:], b[:]
        random.Random(seed).shuffle(ra)
        random.Random(seed + 10).shuffle(rb)
        assert pairs(ra, rb) == want


def test_flash_point_summer_and_winter_rows() -> None:
    a = [
        lim("flash_point", f"{GB} 5号、0号、-10号", 60, unit="℃"),
        lim("flash_point", f"{GB} -20号", 50, unit="℃"),
        lim("flash_point", f"{GB} -35号、-50号", 45, unit="℃"),
    ]
    b = [
        lim("flash_point", "летнего дизельного топлива К5", 40, unit="°C"),
        lim("flash_point", "зимнего и арктического дизельного топлива К5", 30, unit="°C"),
    ]
    got = pairs(a, b)
    assert ((f"{GB} 5号、0号、-10号", 60), ("летнего дизельного топлива К5", 40)) in got
    assert ((f"{GB} -20号", 50), ("зимнего и арктического дизельного топлива К5", 30)) in got
    assert ((f"{GB} -35号、-50号", 45), ("зимнего и арктического дизельного топлива К5", 30)) in got
    assert len(got) == 3


def test_cfpp_grades_meet_the_en590_sorts_of_nearest_temperature() -> None:
    """GB 19147 CFPP per grade against ГОСТ 32511 Table 2 (EN 590 temperate sorts A–F)."""
    gb = {"5号": 8, "0号": 4, "-10号": -5, "-20号": -14, "-35号": -29, "-50号": -44}
    sorts = {"A": 5, "B": 0, "C": -5, "D": -10, "E": -15, "F": -20}
    a = [lim("cfpp", f"{GB} {k}", v, "<=", "℃") for k, v in gb.items()]
    b = [lim("cfpp", f"Сорт {k}", v, "<=", "°С", clause="4.2") for k, v in sorts.items()]
    got = {
        (x[0].split()[-1] if x else None, y[0].split()[-1] if y else None) for x, y in pairs(a, b)
    }
    assert got == {
        ("5号", "A"),
        ("0号", "A"),
        ("0号", "B"),
        ("-10号", "C"),
        ("-20号", "E"),
        ("-20号", "D"),
        ("-35号", None),  # no temperate sort within 5 °C
        ("-50号", None),
        (None, "F"),
    }


def test_a_single_general_limit_answers_every_grade() -> None:
    """ГОСТ 32511 Table 1 applies to all its fuel: one cetane number for every GB grade."""
    a = [
        lim("cetane_number", f"{GB} 5号、0号、-10号", 51),
        lim("cetane_number", f"{GB} -20号", 49),
        lim("cetane_number", f"{GB} -35号、-50号", 47),
    ]
    b = [lim("cetane_number", "", 51, clause="4.1")]
    assert {x[1] for x, y in pairs(a, b) if x and y} == {51, 49, 47}


def test_closer_value_breaks_a_tie() -> None:
    assert (
        value_closeness(lim("lead", "", 0.01, unit="mg/L"), lim("lead", "", 10, unit="µg/l")) == 1.0
    )
    assert value_closeness(lim("lead", "", 1, unit="mg/L"), lim("lead", "", 10, unit="mg/L")) == 0.0
    assert value_closeness(lim("lead", "", 1, unit="mg/L"), lim("lead", "", 1, unit="NTU")) == 0.0
    a = [lim("cetane_number", "fuel", 51), lim("cetane_number", "fuel", 47)]
    b = [lim("cetane_number", "fuel", 47)]
    for seed in range(3):
        ra = a[:]
        random.Random(seed).shuffle(ra)
        got = {(x[1] if x else None, y[1] if y else None) for x, y in pairs(ra, b, settings=None)}
        assert (47, 47) in got


def test_variants_of_a_limit_join_the_other_sides_general_limit() -> None:
    """GB 5749—2022: fluoride 1.0 mg/L, and 1.2 mg/L for small supplies (Table 1 note b);
    EU 2020/2184: 1,5 mg/l for all water. Lead: EU 5 µg/l, and 10 µg/l until 2036."""
    water = "生活饮用水"
    a = [lim("fluoride", water, 1.0, "<=", "mg/L", "4.2")]
    a += [lim("lead", water, 0.01, "<=", "mg/L", "4.2")]
    a += [lim("arsenic", water, 0.01, "<=", "mg/L", "4.2")]  # the general product is the main one
    a += [lim("fluoride", "小型集中式供水和分散式供水", 1.2, "<=", "mg/L", "4.2")]
    b = [
        lim("fluoride", "", 1.5, "<=", "mg/l", "Part B"),
        lim("lead", "", 5, "<=", "µg/l", "Part B"),
        lim("lead", "", 10, "<=", "µg/l", "Part B"),
    ]
    got = pairs(a, b)
    assert ((water, 1.0), ("", 1.5)) in got
    assert (("小型集中式供水和分散式供水", 1.2), ("", 1.5)) in got
    assert ((water, 0.01), ("", 5)) in got and ((water, 0.01), ("", 10)) in got


def test_class_members_join_a_class_limit_only_without_their_own() -> None:
    """EU 'Pesticides' 0,10 µg/l applies to each pesticide: GB malathion and atrazine meet it.
    EU 'Trihalomethanes — Total' meets GB's own THM row, not the single THMs."""
    water = "生活饮用水"
    a = [
        lim("malathion", water, 0.25, "<=", "mg/L", "4.2"),
        lim("atrazine", water, 0.002, "<=", "mg/L", "4.2"),
        lim("trihalomethanes", water, 1, "<=", "", "4.2"),
        lim("trichloromethane", water, 0.06, "<=", "mg/L", "4.2"),
        lim("tribromomethane", water, 0.1, "<=", "mg/L", "4.2"),
    ]
    b = [
        lim("pesticides", "", 0.1, "<=", "µg/l", "Part B"),
        lim("trihalomethanes", "", 100, "<=", "µg/l", "Part B"),
    ]
    got = pair_indicators(a, b, glossary=G, embedder=get_embedder("use"))
    linked = {(p.a.parameter_id, p.b.parameter_id) for p in got if p.a and p.b}
    assert {("malathion", "pesticides"), ("atrazine", "pesticides")} <= linked
    assert ("trihalomethanes", "trihalomethanes") in linked
    assert not {x for x in linked if x[0] in ("trichloromethane", "tribromomethane")}


def test_the_same_quantity_at_two_reference_temperatures_pairs() -> None:
    """Density at 20 ℃ (GB) and at 15 °C (ГОСТ) are shown side by side (judged not
    comparable); a distillation point at 50 % and the share distilled at 250 °C are not."""
    a = [lim("density_20c", GB, 0, "range"), lim("recovered_50pct", GB, 300, "<=", "℃")]
    b = [lim("density_15c", "", 0, "range", clause="4.1"), lim("recovered_250c", "", 65, "<", "%")]
    got = pair_indicators(a, b, glossary=G, embedder=get_embedder("use"))
    linked = {(p.a.parameter_id, p.b.parameter_id) for p in got if p.a and p.b}
    assert linked == {("density_20c", "density_15c")}


def test_clause_alignment_of_two_whole_tables_does_not_make_rows_pair() -> None:
    """Every GB lead row sits in 4.1.1 and every EU lead row in 3.1, which are aligned: that
    says nothing about which rows correspond, so it adds nothing to any row pair; a single
    limit on one side is another matter (its clause does answer the other's)."""
    from stdcompare.gaps.pairing import PairSettings, pair_scores

    emb, st = get_embedder("use"), PairSettings()
    a = [
        lim("lead", "豆类", 0.2, "<=", "mg/kg", "4.1.1"),
        lim("lead", "蜜饯", 0.8, "<=", "mg/kg", "4.1.1"),
    ]
    b = [  # products the glossary does not know, so that no pair is ruled out
        lim("lead", "Insect flour", 0.3, "<=", "mg/kg", "3.1"),
        lim("lead", "Edible insects", 0.5, "<=", "mg/kg", "3.1"),
    ]
    aligned: set[tuple[str | None, str | None]] = {("4.1.1", "3.1")}
    plain, _ = pair_scores(a, b, G, emb, set(), st)
    both, _ = pair_scores(a, b, G, emb, aligned, st)
    assert (both == plain).all()
    one, _ = pair_scores(a[:1], b, G, emb, aligned, st)
    one_plain, _ = pair_scores(a[:1], b, G, emb, set(), st)
    assert ((one - one_plain).round(6) == st.aligned_clause_bonus).all()
    # a row outside the aligned clauses: the bonus tells the rows apart again
    c = [*a, lim("lead", "鱼类", 0.5, "<=", "mg/kg", "4.1.2")]
    mixed, _ = pair_scores(c, b, G, emb, aligned, st)
    mixed_plain, _ = pair_scores(c, b, G, emb, set(), st)
    assert ((mixed - mixed_plain)[:2].round(6) == st.aligned_clause_bonus).all()
    assert ((mixed - mixed_plain)[2] == 0).all()


def test_products_the_glossary_knows_to_be_unrelated_never_pair() -> None:
    """The bonuses every row of one parameter shares (same concept, direction, source) must
    not carry a weak name similarity over the threshold: dried fruit is no fruit juice, a
    bivalve no cranberry, however the two names embed; an unknown name still may pair."""
    a = [
        lim("lead", "水果干类", 0.5, "<=", "mg/kg", "4.1.1"),
        lim("lead", "双壳贝类", 1.5, "<=", "mg/kg", "4.1.1"),
    ]
    b = [
        lim("lead", "Fruit juices", 0.03, "<=", "mg/kg", "3.1"),
        lim("lead", "Cranberry", 0.2, "<=", "mg/kg", "3.1"),
    ]
    got = pair_indicators(a, b, glossary=G, embedder=get_embedder("use"))
    assert not [p for p in got if p.a and p.b]
    c = [lim("lead", "Marine bivalve molluscs", 1.5, "<=", "mg/kg", "3.1.8")]
    got = pair_indicators(a, c, glossary=G, embedder=get_embedder("use"))
    assert {(p.a.product, p.b.product) for p in got if p.a and p.b} == {
        ("双壳贝类", "Marine bivalve molluscs")
    }
