"""Pairing and verdict faults seen on the blind documents (tests/data/blind), each checked on
a small synthetic case of the general rule — never on the blind texts themselves."""

from __future__ import annotations

from pathlib import Path

import stdcompare
from stdcompare import Indicator
from stdcompare.gaps import pair_indicators
from stdcompare.indicators.glossary import default_glossary

G = default_glossary()


def ind(
    pid: str,
    product: str,
    value: float,
    *,
    unit: str = "μg/kg",
    comp: str = "<=",
    basis: str = "",
    condition: str = "",
    table: str | None = "T1",
) -> Indicator:
    c = G.get(pid)
    return Indicator(
        parameter=c.name("en") if c else pid,
        comparator=comp,
        value=value,
        unit=unit,
        product=product,
        basis=basis,
        condition=condition,
        parameter_id=pid if c else None,
        table_id=table,
    )


def pairs_of(result: list) -> set[tuple[str | None, str | None]]:  # type: ignore[type-arg]
    return {(p.a.product if p.a else None, p.b.product if p.b else None) for p in result}


def test_general_limit_never_answers_a_product_the_glossary_knows_to_be_unrelated() -> None:
    # B's most frequent product (food grain) is its "general" one; a cereal row of A pairs
    # with it, but A's peanut, oil and soy-sauce rows of the same parameter must not join it
    # as "variants" (the value tie-break once lifted their blocked -1 over the guard)
    grain = "Зерно продовольственное (пшеница, рожь, ячмень, кукуруза, рис)"
    a = [
        ind("aflatoxin_b1", "小麦、大麦、其他谷物", 5.0),
        ind("aflatoxin_b1", "花生及其制品", 20.0),
        ind("aflatoxin_b1", "植物油脂", 10.0),
        ind("aflatoxin_b1", "酱油、醋、酿造酱", 5.0),
    ]
    b = [
        ind("aflatoxin_b1", grain, 5.0),
        ind("lead", grain, 0.5),
        ind("cadmium", grain, 0.1),
        ind("mercury", grain, 0.03),
    ]
    got = pairs_of(pair_indicators(a, b, glossary=G, embedder=None))
    assert ("小麦、大麦、其他谷物", grain) in got
    for p in ("花生及其制品", "植物油脂", "酱油、醋、酿造酱"):
        assert (p, None) in got
        assert (p, grain) not in got


def test_other_x_in_a_list_row_is_the_rest_of_the_class() -> None:
    # "其他去壳谷物" beside the document's own rows for maize and rice is the other cereals:
    # it no longer reaches "Maize and rice" through its parent (where the equal value then
    # decided); wheat flour is left for "All cereals" (which covers it) or no counterpart
    a = [
        ind("aflatoxin_b1", "玉米、玉米面（渣、片）及玉米制品", 20.0),
        ind("aflatoxin_b1", "稻谷、糙米、大米", 10.0),
        ind("aflatoxin_b1", "小麦、大麦、其他谷物", 5.0),
        ind("aflatoxin_b1", "小麦粉、麦片、其他去壳谷物", 5.0),
    ]
    b = [
        ind("aflatoxin_b1", "All cereals and all products derived from cereals", 2.0),
        ind("aflatoxin_b1", "Maize and rice to be subjected to sorting before use", 5.0),
    ]
    got = pairs_of(pair_indicators(a, b, glossary=G, embedder=None))
    maize_rice = b[1].product
    assert ("小麦粉、麦片、其他去壳谷物", maize_rice) not in got
    assert ("小麦、大麦、其他谷物", maize_rice) not in got
    assert ("小麦、大麦、其他谷物", b[0].product) in got
    from stdcompare.alignment.products import narrow_residuals, scope

    sc = narrow_residuals([scope(x.product, G) for x in a], G)
    assert {"food.maize", "food.paddy_rice"} <= sc[3].excluded
    assert "food.wheat_flour" not in sc[3].excluded  # its own item is never excluded
    assert sc[2].excluded >= {"food.maize"} and "food.wheat" not in sc[2].excluded


def test_notes_column_naming_a_product_narrows_the_row(tmp_path: Path) -> None:
    # a Примечание / notes cell that names only products within the row's product (the same
    # concept or a narrower one) says which of them the limit is for; any other note does not
    from corpora.pdfgen import render_markup

    src = "\n".join(
        [
            "!meta language: ru",
            "# Приложение 3",
            "!table ruled widths=3.6,3.4,2.2,2.4 align=llcl",
            "| Группа продукции | Показатели | Допустимые уровни, мг/кг, не более | Примечание |",
            "| Зерно продовольственное (пшеница, рожь, овес) | охратоксин А | 0,005 | рожь |",
            "| ^ | | 0,01 | пшеница, овес |",
            "| ^ | кадмий | 0,1 | |",
            "| ^ | свинец | 0,5 | в пересчете на сухое вещество |",
            "| ^ | ртуть | 0,03 | молоко |",
            "!endtable",
        ]
    )
    got = stdcompare.extract(stdcompare.load(render_markup(src, tmp_path / "t.pdf")))
    by = {(i.parameter_id, i.value): i.product for i in got}
    grain = "Зерно продовольственное (пшеница, рожь, овес)"
    assert by[("ochratoxin_a", 0.005)] == "рожь"
    assert by[("ochratoxin_a", 0.01)] == "пшеница, овес"
    assert by[("cadmium", 0.1)] == grain
    assert by[("lead", 0.5)] == grain  # a basis, not a product
    assert by[("mercury", 0.03)] == grain  # milk is no part of grain


def test_a_basis_naming_the_product_state_compares_with_the_same_state() -> None:
    from stdcompare.gaps.verdicts import judge, product_state

    assert product_state("以粉状产品计") == "powder" == product_state("as powder")
    assert product_state("以即食状态计") == "ready" == product_state("ready-to-eat")
    placed = "refers to the product as placed on the market (powder) and not to the product reconstituted"
    assert product_state(placed) == "powder"
    gb = ind("aflatoxin_b1", "婴儿配方食品", 0.5, basis="以粉状产品计")
    v = judge(gb, ind("aflatoxin_b1", "Infant formulae", 0.1, basis="as powder"), glossary=G)
    assert v.verdict == "b_stricter"
    v = judge(gb, ind("aflatoxin_b1", "Infant formulae", 0.1), glossary=G)
    assert v.verdict == "not_comparable"
    assert "product state" in v.reason and "以粉状产品计" in v.reason
    assert "does not say in which state" in v.reason
    v = judge(gb, ind("aflatoxin_b1", "Infant formulae", 0.1, basis="ready-to-eat"), glossary=G)
    assert v.verdict == "not_comparable" and "ready to eat" in v.reason


def test_a_footnote_naming_the_product_state_is_the_basis_of_the_rows_citing_it(
    tmp_path: Path,
) -> None:
    from corpora.pdfgen import render_markup

    src = "\n".join(
        [
            "!meta language: en",
            "# Section 3: Processing contaminants",
            "!table ruled widths=1.2,6.4,2 align=llc",
            "| | Food | Maximum level (µg/kg) |",
            "| 3.1 | **Ochratoxin A** | < |",
            "| 3.1.1 | Dried milk products for infants ^{(1)} | 0,50 |",
            "| 3.1.2 | Cereal flakes ^{(2)} | 3,0 |",
            "!endtable",
            "!note (1) The maximum level applies to the powder and not to the product as consumed.",
            "!note (2) The maximum level applies from 1 January 2030.",
        ]
    )
    got = stdcompare.extract(stdcompare.load(render_markup(src, tmp_path / "t.pdf")))
    by = {i.value: i for i in got if i.parameter_id == "ochratoxin_a"}
    assert by[0.5].basis == "as powder"
    assert by[3.0].basis == ""


def test_a_test_property_and_the_quantity_its_test_reports_are_compared() -> None:
    # petrol "oxidation stability" in minutes is the induction period (EN ISO 7536 / GB/T 8018)
    from stdcompare.gaps.verdicts import judge

    gb = ind("induction_period", "车用汽油", 480.0, unit="min", comp=">=")
    en = ind("oxidation_stability", "", 360.0, unit="minutes", comp=">=")
    assert judge(gb, en, glossary=G).verdict == "a_stricter"
    insolubles = ind("oxidation_stability", "", 25.0, unit="g/m³")
    assert judge(gb, insolubles, glossary=G).verdict == "not_comparable"


def test_reference_temperatures_are_named_in_the_reason() -> None:
    from stdcompare.gaps.verdicts import judge

    gb = ind("density_20c", "车用汽油", 720.0, unit="kg/m³", condition="20 ℃")
    for en in (
        ind("density", "", 720.0, unit="kg/m³", condition="at 15 °C"),
        ind("density_15c", "", 720.0, unit="kg/m³"),
    ):
        v = judge(gb, en, glossary=G)
        assert v.verdict == "not_comparable"
        assert v.reason.startswith("different reference temperature (20 °C vs 15 °C)")
        assert "includes" not in v.reason


def test_a_class_merged_across_the_minimum_and_maximum_columns_is_extracted(
    tmp_path: Path,
) -> None:
    from corpora.pdfgen import render_markup

    src = "\n".join(
        [
            "!meta language: en",
            "# 5 Requirements",
            '!table ruled widths=5,1.6,1.4,1.4,2.6 align=lcccl caption="Table 1 — Requirements"',
            "| Property | Unit | Limits | < | Test method |",
            "| ^ | ^ | minimum | maximum | ^ |",
            "| Copper strip corrosion (3 h at 50 °C) | rating | class 1 | < | EN ISO 2160 |",
            "| Sulfur content | mg/kg | — | 10,0 | EN ISO 20846 |",
            "!endtable",
        ]
    )
    got = stdcompare.extract(stdcompare.load(render_markup(src, tmp_path / "t.pdf")))
    (cu,) = [i for i in got if i.parameter_id == "copper_strip_corrosion"]
    assert (cu.comparator, cu.value) == ("=", 1.0)
    assert {(i.comparator, i.value) for i in got if i.parameter_id == "sulfur_content"} == {
        ("<=", 10.0)
    }


def test_a_condition_stated_by_one_side_only_is_no_difference() -> None:
    from stdcompare.gaps.verdicts import judge

    gb = ind("copper_strip_corrosion", "", 1.0, unit="级", condition="50 ℃，3 h")
    en = ind("copper_strip_corrosion", "", 1.0, unit="class", condition="at 50 °C")
    assert "reference conditions" not in judge(gb, en, glossary=G).reason
    en40 = ind("copper_strip_corrosion", "", 1.0, unit="class", condition="at 40 °C")
    assert "different reference conditions" in judge(gb, en40, glossary=G).reason
