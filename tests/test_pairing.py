"""Indicator pairing: same parameter, best product match across languages, one-to-one."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from stdcompare import Indicator
from stdcompare.alignment import get_embedder
from stdcompare.alignment.products import ProductMatcher, scope, scope_similarity
from stdcompare.gaps import pair_indicators
from stdcompare.gaps.pairing import PairSettings
from stdcompare.indicators.glossary import default_glossary

ROOT = Path(__file__).resolve().parents[1]
G = default_glossary()


def ind(pid: str, product: str, value: float, clause: str = "x", comp: str = "<=") -> Indicator:
    c = G.get(pid)
    return Indicator(
        parameter=c.name("en") if c else pid,
        comparator=comp,
        value=value,
        unit="mg/kg",
        product=product,
        clause_id=clause,
        parameter_id=pid if c else None,
    )


def pairs_of(result: list) -> set[tuple[str | None, str | None]]:  # type: ignore[type-arg]
    return {(p.a.product if p.a else None, p.b.product if p.b else None) for p in result}


def test_scope_reads_exclusions_heads_and_grades() -> None:
    s = scope("肉类（畜禽内脏除外）", G)
    assert s.included == {"food.meat_excluding_offal"} and not s.excluded
    v = scope("新鲜蔬菜（芸薹类蔬菜、叶菜蔬菜、豆类蔬菜、生姜、薯类除外）", G)
    assert "food.fresh_vegetables" in v.included
    assert {"food.brassica_vegetables", "food.leafy_vegetables"} <= v.excluded
    juice = scope("Fruit juices from fruits other than berries", G)
    assert "food.fruit_juice" in juice.included and "food.fruits" not in juice.included
    assert scope("三级", G).grades == scope("Grade 3", G).grades == {"3"}
    assert scope("класс 2", G).grades == {"2"}


def test_exclusions_rule_out_a_category() -> None:
    veg = scope("新鲜蔬菜（芸薹类蔬菜、叶菜蔬菜除外）", G)
    brassica = scope("芸薹类蔬菜", G)
    assert scope_similarity(veg, brassica, G) == 0.0
    assert scope_similarity(scope("肉类", G), scope("Meat", G), G) == 1.0


def test_meat_excluding_offal_finds_its_counterpart() -> None:
    a = [
        ind("lead", "肉类（畜禽内脏除外）", 0.2),
        ind("lead", "畜禽内脏", 0.5),
        ind("lead", "鱼类", 0.5),
        ind("lead", "谷物及其制品", 0.2),
    ]
    b = [
        ind("lead", "Offal of bovine animals and sheep", 0.2),
        ind("lead", "Meat (excluding offal) of bovine animals, sheep, pig and poultry", 0.1),
        ind("lead", "Cereals and pulses", 0.2),
        ind("lead", "Muscle meat of fish", 0.3),
        ind("lead", "Fats and oils, including milk fat", 0.1),
    ]
    got = pairs_of(pair_indicators(a, b, glossary=G, embedder=get_embedder("use")))
    assert (
        "肉类（畜禽内脏除外）",
        "Meat (excluding offal) of bovine animals, sheep, pig and poultry",
    ) in got
    assert ("畜禽内脏", "Offal of bovine animals and sheep") in got
    assert ("鱼类", "Muscle meat of fish") in got
    assert ("谷物及其制品", "Cereals and pulses") in got
    assert (None, "Fats and oils, including milk fat") in got  # only_b, never forced


def test_the_parameter_is_a_hard_constraint() -> None:
    a = [ind("lead", "谷物", 0.2), ind("ddt", "", 0.001)]
    b = [ind("cadmium", "Cereals", 0.2), ind("bentazone", "", 0.3)]
    result = pair_indicators(a, b, glossary=G, embedder=get_embedder("use"))
    assert all(p.a is None or p.b is None for p in result)  # lead ≠ cadmium, pesticides differ
    assert len(result) == 4


def test_a_species_meets_its_element_but_prefers_the_same_one() -> None:
    a = [ind("chromium_vi", "", 0.05)]
    b = [ind("chromium", "", 0.025)]
    result = pair_indicators(a, b, glossary=G, embedder=None)
    assert [(p.a.parameter_id, p.b.parameter_id) for p in result if p.a and p.b] == [
        ("chromium_vi", "chromium")
    ]
    a2 = [ind("mercury", "", 0.001), ind("methylmercury", "", 0.0005)]
    b2 = [ind("mercury", "", 0.001)]
    got = [
        (p.a.parameter_id if p.a else None, p.b.parameter_id if p.b else None)
        for p in pair_indicators(a2, b2, glossary=G, embedder=None)
    ]
    assert ("mercury", "mercury") in got and ("methylmercury", None) in got


def test_one_row_covering_two_is_paired_with_both() -> None:
    a = [ind("lead", "鱼类、甲壳类", 0.5), ind("lead", "双壳贝类", 1.5)]
    b = [
        ind("lead", "Muscle meat of fish", 0.3),
        ind("lead", "Crustaceans", 0.5),
        ind("lead", "Bivalve molluscs", 1.5),
    ]
    result = pair_indicators(a, b, glossary=G, embedder=get_embedder("use"))
    got = pairs_of(result)
    assert ("鱼类、甲壳类", "Muscle meat of fish") in got and ("鱼类、甲壳类", "Crustaceans") in got
    assert ("双壳贝类", "Bivalve molluscs") in got
    assert all(p.margin is not None for p in result if p.a and p.b)


def test_unrelated_products_are_not_forced() -> None:
    a = [ind("lead", "食用盐", 1.0)]
    b = [ind("lead", "Wine", 0.15)]
    result = pair_indicators(a, b, glossary=G, embedder=get_embedder("use"))
    assert pairs_of(result) == {("食用盐", None), (None, "Wine")}


def test_grades_pair_by_number() -> None:
    a = [
        ind("electrical_conductivity", g, v)
        for g, v in (("一级", 0.01), ("二级", 0.1), ("三级", 0.5))
    ]
    b = [
        ind("electrical_conductivity", f"Grade {n}", v) for n, v in ((3, 0.5), (1, 0.01), (2, 0.1))
    ]
    got = pairs_of(pair_indicators(a, b, glossary=G, embedder=get_embedder("use")))
    assert got == {("一级", "Grade 1"), ("二级", "Grade 2"), ("三级", "Grade 3")}


def test_a_general_limit_goes_to_the_main_product() -> None:
    a = [ind("fluoride", "生活饮用水", 1.0), ind("fluoride", "小型集中式供水", 1.2)]
    a += [ind("lead", "生活饮用水", 0.01), ind("nitrate", "生活饮用水", 10)]
    b = [ind("fluoride", "", 1.5)]
    result = pair_indicators(a, b, glossary=G, embedder=None)
    assert ("生活饮用水", "") in pairs_of(result)


def test_a_minimum_joins_a_maximum_only_when_nothing_better_exists() -> None:
    # GB 8537: 硒 ≥ 0.01 (a qualifying minimum) and < 0.05 (a maximum); Codex ≤ 0.01
    a = [ind("selenium", "", 0.01, "3.3.1", ">="), ind("selenium", "", 0.05, "3.3.2", "<")]
    b = [ind("selenium", "", 0.01)]
    got = {
        (p.a.comparator if p.a else None, p.b.comparator if p.b else None)
        for p in pair_indicators(a, b, glossary=G, embedder=None)
    }
    assert got == {("<", "<="), (">=", None)}
    # the minimum alone still meets the maximum, to be judged not comparable
    (p,) = pair_indicators(a[:1], b, glossary=G, embedder=None)
    assert p.a is not None and p.b is not None


def test_low_scores_are_flagged_for_review() -> None:
    a = [ind("lead", "肉类", 0.2), ind("lead", "肉制品", 0.3)]
    b = [ind("lead", "Meat", 0.1)]
    st = PairSettings(review_margin=0.5)
    result = pair_indicators(a, b, glossary=G, embedder=get_embedder("use"), settings=st)
    paired = [p for p in result if p.a and p.b]
    assert paired and paired[0].a.product == "肉类" and paired[0].review


def test_lexical_similarity_pairs_near_identical_names() -> None:
    pm = ProductMatcher(
        ["农村小型集中式供水和分散式供水", "生活饮用水"],
        ["小型集中式供水和分散式供水", "生活饮用水"],
        G,
        None,
    )
    sim = pm.similarity()
    assert sim[0, 0] > sim[0, 1] and sim[1, 1] > sim[1, 0]


def _gold_rows(pair: str) -> list[dict[str, str]]:
    path = ROOT / "corpora" / pair / "gold_indicator_pairs.csv"
    if not path.is_file():
        pytest.skip("corpora gold not present")
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize(
    ("pair", "floor"),
    [
        ("water", 0.95),
        ("contaminants", 0.8),
        ("tracking", 0.95),
        ("diesel", 0.7),
        ("diesel-gost", 0.9),
        ("adoption", 0.95),
    ],
)
def test_pairing_the_gold_indicators_reproduces_the_gold_pairs(pair: str, floor: float) -> None:
    """Pairing alone (extraction taken out): the indicators written in the gold file,
    shuffled, must pair back as the gold file pairs them."""
    import random

    def side(r: dict[str, str], s: str) -> Indicator | None:
        if not r[f"{s}_clause"] and not r[f"{s}_comparator"]:
            return None

        def num(x: str) -> float | None:
            return float(x) if x.strip() else None

        pid = r["parameter"]
        return Indicator(
            parameter=pid.replace("_", " "),
            comparator=r[f"{s}_comparator"] or "=",
            value=num(r[f"{s}_value"]),
            low=num(r[f"{s}_low"]),
            high=num(r[f"{s}_high"]),
            unit=r[f"{s}_unit"],
            product=r[f"{s}_product"],
            clause_id=r[f"{s}_clause"] or None,
            parameter_id=pid if pid in G else None,
        )

    rows = _gold_rows(pair)
    gold = set()
    ia, ib = [], []
    for r in rows:
        a, b = side(r, "a"), side(r, "b")
        gold.add((a, b))
        ia += [a] if a else []
        ib += [b] if b else []
    ia, ib = list(dict.fromkeys(ia)), list(dict.fromkeys(ib))  # a row shared by two gold rows
    random.Random(3).shuffle(ia)
    random.Random(4).shuffle(ib)
    got = {(p.a, p.b) for p in pair_indicators(ia, ib, glossary=G, embedder=get_embedder("use"))}
    tp = len(got & gold)
    f1 = 2 * tp / (len(got) + len(gold))
    assert f1 >= floor, sorted(map(str, gold - got))[:5]
