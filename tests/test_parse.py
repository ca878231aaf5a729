"""The indicator grammar on sentences and rows in Chinese, English and Russian.

Unit tests use a small glossary written here (so they do not move when the shipped glossary
grows); the ones marked "shipped glossary" check names against stdcompare/data/glossary.csv.
"""

from __future__ import annotations

import pytest

from stdcompare.indicators import default_glossary
from stdcompare.indicators.glossary import Glossary
from stdcompare.indicators.parse import Context, find_quantities, parse_row, parse_text

MINI = """id,kind,en,zh,ru,en_synonyms,zh_synonyms,ru_synonyms,symbol,ins,cas,codes,parent,source
lead,element,lead,铅,свинец,,,,Pb,,,,,test
cadmium,element,cadmium,镉,кадмий,,,,Cd,,,,,test
ph,water,pH,pH,водородный показатель,,pH值,,,,,,,test
escherichia_coli,microbe,Escherichia coli,大肠埃希氏菌,кишечная палочка,E. coli,,,,,,,,test
salmonella,microbe,Salmonella,沙门氏菌,сальмонеллы,,,,,,,,,test
sulfur_content,fuel,sulfur content,硫含量,массовая доля серы,sulphur content,,,,,,,,test
cetane_number,fuel,cetane number,十六烷值,цетановое число,,,,,,,,,test
flash_point,fuel,flash point,闪点,температура вспышки,,,,,,,,,test
benzoic_acid,additive,benzoic acid,苯甲酸,бензойная кислота,,苯甲酸及其钠盐,,,210,,,,test
food.fish,food_category,fish,鱼类,рыба,muscle meat of fish,,,,,,,,test
food.cereals,food_category,cereals,谷物,зерно,,谷物及其制品,,,,,,,test
"""


@pytest.fixture(scope="module")
def g(tmp_path_factory: pytest.TempPathFactory) -> Glossary:
    p = tmp_path_factory.mktemp("gl") / "glossary.csv"
    p.write_text(MINI, encoding="utf-8")
    return Glossary.from_csv(p)


def limits(text: str, lang: str, g: Glossary, **ctx: object) -> list[tuple]:
    found = parse_text(text, lang, glossary=g, context=Context(**ctx))  # type: ignore[arg-type]
    return [(i.comparator, i.value, i.low, i.high, i.unit) for i in found]


def one(text: str, lang: str, g: Glossary, **ctx: object) -> tuple:
    found = parse_text(text, lang, glossary=g, context=Context(**ctx))  # type: ignore[arg-type]
    assert len(found) == 1, found
    i = found[0]
    return (i.parameter_id, i.comparator, i.value, i.low, i.high, i.unit)


# --- every comparator the issue lists, in its own language ----------------------------------

ZH = [
    ("铅≤0.5 mg/kg", ("<=", 0.5, None, None, "mg/kg")),
    ("铅不大于0.5 mg/kg", ("<=", 0.5, None, None, "mg/kg")),
    ("铅不超过0.5 mg/kg", ("<=", 0.5, None, None, "mg/kg")),
    ("铅的含量不得超过0.5 mg/kg", ("<=", 0.5, None, None, "mg/kg")),
    ("铅不高于0.5 mg/kg", ("<=", 0.5, None, None, "mg/kg")),
    ("铅应在0.5 mg/kg以下", ("<=", 0.5, None, None, "mg/kg")),
    ("铅最大0.5 mg/kg", ("<=", 0.5, None, None, "mg/kg")),
    ("十六烷值≥51", (">=", 51, None, None, "")),
    ("十六烷值不小于51", (">=", 51, None, None, "")),
    ("闪点不低于60 ℃", (">=", 60, None, None, "℃")),
    ("闪点应在60 ℃以上", (">=", 60, None, None, "℃")),
    ("十六烷值最小51", (">=", 51, None, None, "")),
    ("沙门氏菌不得检出", ("not_detected", None, None, None, "")),
    ("铅应为0.5 mg/kg", ("=", 0.5, None, None, "mg/kg")),
    ("pH值应为6.5～8.5", ("range", None, 6.5, 8.5, "")),
    ("pH不小于6.5且不大于8.5", ("range", None, 6.5, 8.5, "")),
]
EN = [
    ("Lead: maximum 0.5 mg/kg", ("<=", 0.5, None, None, "mg/kg")),
    ("Lead: max. 0.5 mg/kg", ("<=", 0.5, None, None, "mg/kg")),
    ("Lead: not more than 0.5 mg/kg", ("<=", 0.5, None, None, "mg/kg")),
    ("Lead shall not exceed 0.5 mg/kg.", ("<=", 0.5, None, None, "mg/kg")),
    ("Lead: less than 0.5 mg/kg", ("<", 0.5, None, None, "mg/kg")),
    ("Cetane number: at least 51", (">=", 51, None, None, "")),
    ("Cetane number: minimum 51", (">=", 51, None, None, "")),
    ("Cetane number min. 51,0", (">=", 51, None, None, "")),
    ("Salmonella: not detected.", ("not_detected", None, None, None, "")),
    ("Salmonella shall be absent.", ("not_detected", None, None, None, "")),
    ("pH ≥ 6,5 and ≤ 9,5", ("range", None, 6.5, 9.5, "")),
    ("pH 6.5–8.5", ("range", None, 6.5, 8.5, "")),
]
RU = [
    ("Свинец — не более 0,5 мг/кг.", ("<=", 0.5, None, None, "мг/кг")),
    ("Цетановое число — не менее 51.", (">=", 51, None, None, "")),
    ("Сальмонеллы не допускаются.", ("not_detected", None, None, None, "")),
    ("Содержание свинца не должно превышать 0,5 мг/кг.", ("<=", 0.5, None, None, "мг/кг")),
    ("Температура вспышки — не выше 60 °С.", ("<=", 60, None, None, "°С")),
    ("Содержание свинца от 0,1 до 0,5 мг/кг.", ("range", None, 0.1, 0.5, "мг/кг")),
]


@pytest.mark.parametrize(("text", "expected"), ZH)
def test_chinese_comparators(text: str, expected: tuple, g: Glossary) -> None:
    assert limits(text, "zh", g) == [expected]


@pytest.mark.parametrize(("text", "expected"), EN)
def test_english_comparators(text: str, expected: tuple, g: Glossary) -> None:
    assert limits(text, "en", g) == [expected]


@pytest.mark.parametrize(("text", "expected"), RU)
def test_russian_comparators(text: str, expected: tuple, g: Glossary) -> None:
    assert limits(text, "ru", g) == [expected]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("铅（以Pb计）的含量不得超过0.5 mg/kg。", "zh", ("lead", "<=", 0.5, None, None, "mg/kg")),
        ("大肠埃希氏菌不得检出", "zh", ("escherichia_coli", "not_detected", None, None, None, "")),
        ("镉 0.1 mg/kg以下", "zh", ("cadmium", "<=", 0.1, None, None, "mg/kg")),
        (
            "Lead in muscle meat of fish shall not exceed 0,30 mg/kg.",
            "en",
            ("lead", "<=", 0.3, None, None, "mg/kg"),
        ),
        (
            "E. coli: not detected (<1 CFU/100 mL)",
            "en",
            ("escherichia_coli", "not_detected", 1.0, None, None, "CFU/100 mL"),
        ),
        (
            "Массовая доля серы, мг/кг, не более 10",
            "ru",
            ("sulfur_content", "<=", 10.0, None, None, "мг/кг"),
        ),
        ("Цетановое число не менее 51", "ru", ("cetane_number", ">=", 51.0, None, None, "")),
    ],
)
def test_parameters_from_the_glossary(text: str, lang: str, expected: tuple, g: Glossary) -> None:
    assert one(text, lang, g) == expected


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "value", "low", "high"),
    [
        ("Lead: max. 0,30 mg/kg", "en", 0.3, None, None),  # decimal comma
        ("Deoxynivalenol: maximum 1 000 µg/kg", "en", 1000, None, None),  # space thousands
        ("DON may contain up to 2,000 µg/kg", "en", 2000, None, None),  # comma thousands
        ("A limit of 1 × 10⁻³ mg/l applies to mercury", "en", 0.001, None, None),
        ("The residue shall not exceed 1E-3 mg/kg.", "en", 0.001, None, None),
        ("КМАФАнМ не более 1,0×10⁴ КОЕ/г.", "ru", 10000, None, None),
        ("Температура замерзания — не выше минус 0,520 °С.", "ru", -0.52, None, None),
        ("营业性文化娱乐场所边界噪声夜间不得超过四十五分贝。", "zh", 45, None, None),
        ("成品含水量应为（12.0±0.5）%。", "zh", 12.0, 11.5, 12.5),  # absolute tolerance
        ("Rated voltage: 230 V ± 10 %.", "en", 230, 207, 253),  # relative tolerance
        ("冰点应为-0.500 ℃～-0.560 ℃。", "zh", None, -0.56, -0.5),  # high-to-low range
    ],
)
def test_numbers_as_printed(
    text: str, lang: str, value: float | None, low: float | None, high: float | None, g: Glossary
) -> None:
    (q,) = parse_text(text, lang, glossary=g)
    assert q.value == pytest.approx(value) if value is not None else q.value is None
    assert (q.low, q.high) == (
        pytest.approx(low) if low is not None else None,
        pytest.approx(high) if high is not None else None,
    )


def test_several_limits_in_one_sentence(g: Glossary) -> None:
    found = parse_text("铅 ≤0.2 mg/kg，镉 ≤0.1 mg/kg", "zh", glossary=g)
    assert [(i.parameter_id, i.value) for i in found] == [("lead", 0.2), ("cadmium", 0.1)]
    found = parse_text(
        "Lead: 0,50 mg/kg in fish in general and 1,0 mg/kg in cereals.", "en", glossary=g
    )
    assert [(i.parameter_id, i.comparator, i.value, i.product_id) for i in found] == [
        ("lead", "<=", 0.5, "food.fish"),
        ("lead", "<=", 1.0, "food.cereals"),
    ]


def test_a_list_continues_the_comparator(g: Glossary) -> None:
    assert limits(
        "Bromate shall not exceed 10 µg/l, chlorite 0,25 mg/l and chlorate 0,25 mg/l.", "en", g
    ) == [
        ("<=", 10, None, None, "µg/l"),
        ("<=", 0.25, None, None, "mg/l"),
        ("<=", 0.25, None, None, "mg/l"),
    ]
    assert [v for _, v, *_ in limits("研究法辛烷值分别不小于89、92、95和98。", "zh", g)] == [
        89,
        92,
        95,
        98,
    ]


def test_negated_comparisons_and_colon_lists(g: Glossary) -> None:
    assert limits(
        "Lead shall not be more than 0.1 mg/kg in fish and 0.2 mg/kg in cereals.", "en", g
    ) == [("<=", 0.1, None, None, "mg/kg"), ("<=", 0.2, None, None, "mg/kg")]
    found = parse_text(
        "Массовая доля серы, мг/кг, не более: для зерна — 15,0; для рыбы — 14,0.", "ru", glossary=g
    )
    assert [(i.parameter_id, i.comparator, i.value, i.unit) for i in found] == [
        ("sulfur_content", "<=", 15, "мг/кг"),
        ("sulfur_content", "<=", 14, "мг/кг"),
    ]
    # a comparator in a relative clause describes the product ("products with ≥ 50 %")
    assert parse_text("本标准适用于含量不低于50%的产品。", "zh", glossary=g) == []


def test_a_heading_gives_bare_values_their_meaning(g: Glossary) -> None:
    text = "Свинец — 0,01 мг/дм³, кадмий — 0,001 мг/дм³."
    assert limits(text, "ru", g, heading="Гигиенические нормативы, не более") == [
        ("<=", 0.01, None, None, "мг/дм³"),
        ("<=", 0.001, None, None, "мг/дм³"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "按GB 5009.12—2017测定铅，2023年4月25日发布，见表1和4.1.2条",
        "Regulation (EU) 2023/915 of 25 April 2023, Article 3, Table 1",
        "ISO 6468:1996 and INS 210 apply.",
        "温度为20 ℃时测定密度",
        "在20 ℃下测定运动黏度。",
        "孵育温度36 ℃±1 ℃，培养48 h±2 h。",
        "称取试样5 g（精确至0.001 g），置于50 mL容量瓶中。",
        "该方法的检出限为0.005 mg/kg，定量限为0.01 mg/kg。",
        "在重复性条件下获得的两次独立测定结果的绝对差值不得超过算术平均值的10%。",
        "每批抽取5个独立包装样品，n=5。",
        "The sample shall be conditioned at 23 °C ± 2 °C and 50 % ± 10 % relative humidity.",
        "The limit of detection of the method is 0.01 mg/kg.",
        "Toxicological guidance value: PTWI 0.0016 mg/kg bw (2003, confirmed in 2006)",
        "It is recommended that a lot or a sublot should not exceed 25 tons.",
        "Centrifuge at 3 000 g for 10 min at 4 °C.",
        "Пробы отбирают по ГОСТ 31339, масса объединенной пробы не менее 1 кг.",
        "Посевы инкубируют при (37 ± 1) °С в течение 24–48 ч.",
        "Настоящий стандарт введен в действие с 1 января 2015 г.",
        "放射性指标超过指导值（总β放射性扣除⁴⁰K后仍然大于1 Bq/L）时，应进行核素分析。",
        "Food additives shall be used, in the absence of such specifications, as appropriate.",
    ],
)
def test_numbers_that_are_not_limits(text: str, g: Glossary) -> None:
    assert parse_text(text, glossary=g) == []


def test_conditions_basis_method_and_per(g: Glossary) -> None:
    (i,) = parse_text(
        "Flash point at 15 °C shall be between 820,0 kg/m³ and 845,0 kg/m³.", "en", glossary=g
    )
    assert (i.comparator, i.low, i.high, i.condition) == ("range", 820, 845, "at 15 °C")
    (i,) = parse_text(
        "苯甲酸及其钠盐（以苯甲酸计）在谷物中的最大使用量为1.0 g/kg。", "zh", glossary=g
    )
    assert (i.parameter_id, i.product_id, i.basis, i.value) == (
        "benzoic_acid",
        "food.cereals",
        "以苯甲酸计",
        1.0,
    )
    (i,) = parse_text(
        "Массовая доля серы определяется по ГОСТ Р 51947 и не должна превышать 10 мг/кг.",
        "ru",
        glossary=g,
    )
    assert (i.method, i.value) == ("ГОСТ Р 51947", 10)
    (i,) = parse_text("Salmonella: absence in 25 g.", "en", glossary=g)
    assert (i.comparator, i.value, i.per) == ("not_detected", None, "25 g")


def test_quantities_grammar() -> None:
    (q,) = find_quantities("20 ± 2 ℃", "zh", default_comparator="<=")
    assert (q.comparator, q.value, q.low, q.high, q.unit) == ("range", 20, 18, 22, "℃")
    (nd,) = find_quantities("Salmonella: absence in 25 g", "en")
    assert nd.comparator == "not_detected" and nd.value is None and nd.per == "25 g"
    assert find_quantities("0.5", "en") == []
    (bare,) = find_quantities("0.5", "en", default_comparator="<=", default_unit="mg/kg")
    assert (bare.comparator, bare.value, bare.unit) == ("<=", 0.5, "mg/kg")


# --- table rows -------------------------------------------------------------------------------


def test_rows_take_meaning_and_unit_from_header(g: Glossary) -> None:
    ctx = Context(parameter="铅", parameter_id="lead")
    (i,) = parse_row(
        ["食品类别（名称）", "限量（以Pb计）mg/kg"], ["鱼类", "0.5"], "zh", glossary=g, context=ctx
    )
    assert (i.product, i.product_id, i.comparator, i.value, i.unit, i.basis) == (
        "鱼类",
        "food.fish",
        "<=",
        0.5,
        "mg/kg",
        "以Pb计",
    )
    (e,) = parse_row(
        ["Foodstuffs", "Maximum levels (mg/kg wet weight)"],
        ["Muscle meat of fish", "0,30"],
        "en",
        glossary=g,
        context=Context(heading="3.1 Lead"),
    )
    assert (e.parameter_id, e.comparator, e.value, e.unit, e.basis) == (
        "lead",
        "<=",
        0.3,
        "mg/kg",
        "wet weight",
    )
    (r,) = parse_row(
        ["Показатели", "Допустимые уровни, мг/кг, не более"], ["свинец", "0,5"], "ru", glossary=g
    )
    assert (r.parameter_id, r.comparator, r.value, r.unit) == ("lead", "<=", 0.5, "мг/кг")


def test_notes_cell_overrides_the_header_unit(g: Glossary) -> None:
    header = [
        "Commodity/Product name",
        "Maximum level (ML) mg/kg",
        "Portion of the commodity/Product to which the ML applies",
        "Notes/Remarks",
    ]
    cells = [
        "Natural mineral waters",
        "0.01",
        "",
        "Relevant Codex commodity standard is CXS 108-1981. The ML is expressed in mg/l.",
    ]
    (i,) = parse_row(header, cells, "en", glossary=g, context=Context(heading="LEAD"))
    assert (i.parameter_id, i.comparator, i.value, i.unit) == ("lead", "<=", 0.01, "mg/l")
    # a unit printed in the cell wins over the header's
    (c,) = parse_row(
        ["食品类别（名称）", "限量（以Pb计）mg/kg"],
        ["包装饮用水", "0.01 mg/L"],
        "zh",
        glossary=g,
        context=Context(parameter="铅", parameter_id="lead"),
    )
    assert c.unit == "mg/L"


def test_fuel_rows(g: Glossary) -> None:
    (i,) = parse_row(
        ["项目", "", "质量指标", "试验方法"],
        ["硫含量/(mg/kg)", "不大于", "10", "SH/T 0689"],
        "zh",
        glossary=g,
    )
    assert (i.parameter_id, i.comparator, i.value, i.unit, i.method) == (
        "sulfur_content",
        "<=",
        10,
        "mg/kg",
        "SH/T 0689",
    )
    (r,) = parse_row(
        ["Характеристики", "Единица измерения", "Нормы"],
        ["Массовая доля серы, не более", "мг/кг", "10"],
        "ru",
        glossary=g,
    )
    assert (r.parameter_id, r.comparator, r.value, r.unit) == ("sulfur_content", "<=", 10, "мг/кг")
    found = parse_row(
        ["项目", "5号", "0号", "-10号", "试验方法"],
        ["闪点（闭口）/℃ 不低于", "60", "60", "50", "GB/T 261"],
        "zh",
        glossary=g,
    )
    assert [(i.product, i.comparator, i.value, i.unit) for i in found] == [
        ("5号", ">=", 60, "℃"),
        ("0号", ">=", 60, "℃"),
        ("-10号", ">=", 50, "℃"),
    ]
    (mm,) = parse_row(
        ["Property", "Unit", "Limits minimum", "Limits maximum", "Test method"],
        ["Density at 15 °C", "kg/m³", "820,0", "845,0", "EN ISO 3675, EN ISO 12185"],
        "en",
        glossary=g,
    )
    assert (mm.comparator, mm.low, mm.high, mm.unit, mm.method, mm.condition) == (
        "range",
        820,
        845,
        "kg/m³",
        "EN ISO 3675",
        "at 15 °C",
    )


def test_sampling_plan_rows(g: Glossary) -> None:
    header = ["食品类别", "致病菌指标", "n", "c", "m", "M", "检验方法"]
    (three,) = parse_row(
        header,
        ["熟肉制品", "沙门氏菌", "5", "1", "100 CFU/g", "1000 CFU/g", "GB 4789.4"],
        "zh",
        glossary=g,
    )
    assert (three.comparator, three.value, three.unit) == ("<=", 1000, "CFU/g")
    (two,) = parse_row(
        header,
        ["熟肉制品", "沙门氏菌", "5", "0", "0", "—", "GB 4789.4"],
        "zh",
        glossary=g,
        context=Context(notes="若非指定，均以/25 g或/25 mL表示"),
    )
    assert (two.parameter_id, two.comparator, two.per, two.method) == (
        "salmonella",
        "not_detected",
        "25 g",
        "GB 4789.4",
    )


def test_rows_without_limits(g: Glossary) -> None:
    assert parse_row(["指标", "限值"], ["一、微生物指标", ""], "zh", glossary=g) == []
    assert parse_row(["参数", "条件"], ["柱温", "40 ℃"], "zh", glossary=g) == []
    assert (
        parse_row(["Standard", "Title"], ["ISO 6468:1996", "Water quality"], "en", glossary=g) == []
    )
    assert (
        parse_row(
            ["Commodity", "Lot weight (tonnes)", "Number of incremental samples"],
            ["Cereals", "≥ 1 500", "100"],
            "en",
            glossary=g,
        )
        == []
    )


def test_shipped_glossary_names_parameters_in_three_languages() -> None:
    """shipped glossary"""
    g = default_glossary()
    for text, lang in (
        ("铅的含量不得超过0.5 mg/kg。", "zh"),
        ("Lead shall not exceed 0.5 mg/kg.", "en"),
        ("Содержание свинца — не более 0,5 мг/кг.", "ru"),
    ):
        (i,) = parse_text(text, lang, glossary=g)
        assert i.parameter_id == "lead", text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("铅 0.5 mg/kg", "zh"),
        ("pH值范围（25℃）", "zh"),
        ("菌落总数/(CFU/mL)", "zh"),
        ("电导率（25℃）/(mS/m) ≤", "zh"),
        ("The Chinese name of lead is 铅 in GB 2762.", "en"),
        ("Maximum level (mg/kg)", "en"),
        ("Сера, mg/kg", "ru"),
        ("Массовая доля серы, мг/кг, не более", "ru"),
        ("mg/kg", "en"),
    ],
)
def test_short_mixed_snippets_get_their_language(text: str, lang: str) -> None:
    """Latin units and symbols do not make a short Chinese snippet English."""
    from stdcompare.indicators.parse import guess_language
    from stdcompare.textutil import detect_language

    assert detect_language(text) == lang
    assert guess_language(text) == lang


@pytest.mark.parametrize(
    "cell",
    [
        "0.20（含量在0.20 mg/L～0.40 mg/L时，水源水水温应在25 ℃以上）",
        "0.20 (where the content is 0.20 mg/L to 0.40 mg/L, the water is above 25 °C)",
    ],
)
def test_a_bracketed_remark_in_a_cell_never_replaces_its_value(cell: str) -> None:
    # GB 8537 表1 界限指标: the figures in the bracket are a remark on the cell's value
    lang = "zh" if "含量" in cell else "en"
    (i,) = parse_row(["项目", "指标"], ["锶/(mg/L) ≥", cell], lang)
    assert (i.comparator, i.value, i.unit) == (">=", 0.2, "mg/L")


def test_not_present_in_amounts_greater_than_is_a_maximum() -> None:
    # Codex: a lead-in to a table of maximum levels states no absence
    lead_in = (
        "The following substances shall not be present in amounts greater than the maximum"
        " levels below when the water is packaged."
    )
    assert parse_text(lead_in, "en") == []
    (i,) = parse_text("Lead shall not be present in amounts greater than 0.01 mg/l.", "en")
    assert (i.parameter, i.comparator, i.value, i.unit) == ("Lead", "<=", 0.01, "mg/l")
    (s,) = parse_text("Salmonella shall not be present in 25 g.", "en")
    assert s.comparator == "not_detected"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("器具绝缘应经受频率为50 Hz或60 Hz的基本正弦波电压，持续1 min。", "zh"),
        ("在带电部件和外壳之间施加频率为50 Hz的电压，持续5 s。", "zh"),
        ("The insulation is subjected to a voltage having a frequency of 50 Hz, for 1 min.", "en"),
    ],
)
def test_test_conditions_are_not_limits(text: str, lang: str) -> None:
    # 经受/施加 … 电压, 持续 …: how the test is applied, not what the product must meet
    assert parse_text(text, lang) == []


def test_a_limit_beside_a_test_condition_still_counts() -> None:
    (i,) = parse_text("施加1.06倍额定电压时，泄漏电流不应超过0.75 mA。", "zh")
    assert (i.comparator, i.value, i.unit) == ("<=", 0.75, "mA")


@pytest.mark.parametrize(
    ("text", "lang", "unit2"),
    [
        (
            "The leakage current shall not exceed 0,75 mA or 0,75 mA per kW rated power input"
            " of the appliance, whichever is greater, with a maximum of 5 mA.",
            "en",
            "mA per kW",
        ),
        (
            "泄漏电流不应超过0.75 mA或0.75 mA/kW（器具额定输入功率），两者中取较大值，但是最大为5 mA。",
            "zh",
            "mA/kW",
        ),
    ],
)
def test_a_cap_after_whichever_is_greater_keeps_the_parameter(
    text: str, lang: str, unit2: str
) -> None:
    got = [(i.parameter, i.value, i.unit) for i in parse_text(text, lang)]
    p = got[0][0]
    assert got == [(p, 0.75, "mA"), (p, 0.75, unit2), (p, 5.0, "mA")]
    assert p in ("leakage current", "泄漏电流")


@pytest.mark.parametrize(
    ("text", "lang", "value", "unit"),
    [
        ("耐光色牢度应不低于3-4级。", "zh", 3.5, "级"),
        ("耐光色牢度应不低于4级。", "zh", 4.0, "级"),
        ("Устойчивость окраски к стирке — не менее 3-4 баллов.", "ru", 3.5, "баллов"),
        (
            "Устойчивость окраски к сухому трению должна быть не менее 4 баллов.",
            "ru",
            4.0,
            "баллов",
        ),
    ],
)
def test_grades_of_a_rating_scale(text: str, lang: str, value: float, unit: str) -> None:
    # colour fastness: "3-4" is the half grade between 3 and 4, 级/баллов its unit
    (i,) = parse_text(text, lang)
    assert (i.comparator, i.value, i.unit) == (">=", value, unit)


def test_grade_names_are_not_grades_of_a_scale() -> None:
    assert parse_text("产品分为一级、二级和三级。", "zh") == []


def test_half_grade_in_a_grade_column() -> None:
    got = parse_row(["项目", "A类", "B类"], ["耐水（变色、沾色）色牢度/级 ≥", "3-4", "3"], "zh")
    assert [(i.comparator, i.value, i.unit) for i in got] == [(">=", 3.5, "级"), (">=", 3.0, "级")]
