"""Data checks for the trilingual canonical glossary (stdcompare/data/glossary.csv).

Only the stdlib ``csv`` module and pytest are used, so these tests check the data of record
independently of the loader in ``stdcompare.indicators.glossary``. Conventions are documented
in ``stdcompare/data/GLOSSARY.md``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

GLOSSARY = Path(__file__).resolve().parents[1] / "stdcompare" / "data" / "glossary.csv"

COLUMNS = [
    "id",
    "kind",
    "en",
    "zh",
    "ru",
    "en_synonyms",
    "zh_synonyms",
    "ru_synonyms",
    "symbol",
    "ins",
    "cas",
    "codes",
    "parent",
    "source",
]
REQUIRED = ["id", "kind", "en", "zh", "ru", "source"]
KINDS = {
    "element",
    "contaminant",
    "mycotoxin",
    "additive",
    "water",
    "microbe",
    "fuel",
    "physical",
    "nutrient",
    "pesticide",
    "veterinary_drug",
    "food_category",
    "property",
}
LANGS = ("en", "zh", "ru")
MULTI = ("en_synonyms", "zh_synonyms", "ru_synonyms", "ins", "codes")

# Names deliberately shared by two concepts: (normalised name) -> the set of concept ids allowed
# to carry it. Empty today; add an entry with a comment saying how the engine disambiguates.
ALLOWED_SHARED: dict[str, set[str]] = {}

# Short tokens that are ordinary words, units or abbreviations in standards text; a non-Chinese
# name equal to one of these would fire everywhere (element symbols belong in `symbol`).
STOPLIST = {
    "as",
    "in",
    "is",
    "be",
    "no",
    "at",
    "he",
    "am",
    "mg",
    "kg",
    "ml",
    "eu",
    "na",
    "al",
    "ca",
    "co",
    "mo",
    "ti",
    "ag",
    "ga",
    "ge",
    "la",
    "li",
    "sc",
    "te",
    "ba",
    "ce",
    "pr",
    "sm",
    "nd",
    "se",
    "si",
    "th",
    "ra",
    "bi",
    "cn",
    "id",
    "pa",
    "po",
    "re",
    "cap",
    "lab",
    "dbp",
    "3h",
    "cp",
    "tpc",
    "water",
    "total",
    "content",
    "sum",
}
# Preferred Russian names that are Latin binomials as printed in TR CU / GOST tables.
RU_LATIN_OK = {"listeria_monocytogenes", "escherichia_coli_o157"}

CJK = re.compile(r"[\u3400-\u9fff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
BASIS = re.compile(r"以.+计|[(（](?:as|expressed as|calculated as) |[(（]по ")
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
FOOD_ID_RE = re.compile(r"^food\.[a-z][a-z0-9_]*$")
INS_RE = re.compile(r"^\d{3,4}[a-z]?(\((?:i|ii|iii|iv|v|vi)\))?$")
CAS_RE = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")
CODE_RES = {
    "GB2760": re.compile(r"^\d{2}\.(?:0|\d{2}(?:\.\d{2}){0,3})$"),
    "GSFA": re.compile(r"^\d{2}\.\d{1,2}(?:\.\d{1,2}){0,3}$"),
    "CXA4": re.compile(r"^[A-Z]{2} \d{4}$"),
    "GB2762": CJK,
    "GB2763": CJK,
}


def _load() -> list[dict[str, str]]:
    with GLOSSARY.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


ROWS = _load()
BY_ID = {r["id"]: r for r in ROWS}


def _items(cell: str) -> list[str]:
    return cell.split("|") if cell else []


def _names(row: dict[str, str], lang: str) -> list[str]:
    return [row[lang], *_items(row[f"{lang}_synonyms"])]


def _key(name: str) -> str:
    """Fold width, case, brackets and light inflection so near-identical names collide."""
    s = unicodedata.normalize("NFKC", name).casefold()
    s = re.sub(r"\s+", " ", s).strip()
    words = []
    for w in s.split(" "):
        if re.fullmatch(r"[а-яё]{5,}", w):
            w = re.sub(
                r"(ами|ями|ого|его|ому|ему|ыми|ими|ий|ый|ой|ая|яя|ое|ее|ые|ие|ей|ия|ов|ев"
                r"|ам|ям|ах|ях|ом|ем|ую|юю|а|я|ь|й|о|е|ы|и|у|ю)$",
                "",
                w,
            )
        elif re.fullmatch(r"[a-z]{4,}", w):
            w = re.sub(r"(?:es|s)$", "", w)
        words.append(w)
    return " ".join(words)


# ---------------------------------------------------------------- structure


def test_header_and_size():
    with GLOSSARY.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == COLUMNS
    assert len(ROWS) >= 400


def test_ids_unique_and_well_formed():
    counts = Counter(r["id"] for r in ROWS)
    assert [i for i, n in counts.items() if n > 1] == []
    for r in ROWS:
        if r["kind"] == "food_category":
            assert FOOD_ID_RE.match(r["id"]), r["id"]
        else:
            assert ID_RE.match(r["id"]), r["id"]


@pytest.mark.parametrize("col", REQUIRED)
def test_required_columns_filled(col):
    assert [r["id"] for r in ROWS if not r[col].strip()] == []


def test_cells_are_clean():
    for r in ROWS:
        for col, val in r.items():
            assert val == val.strip(), (r["id"], col)
            assert "\n" not in val and "\r" not in val, (r["id"], col)
        for col in MULTI:
            items = _items(r[col])
            assert all(i and i == i.strip() for i in items), (r["id"], col)
            assert len(items) == len(set(items)), (r["id"], col, items)
        for lang in LANGS:
            assert r[lang] not in _items(r[f"{lang}_synonyms"]), (r["id"], lang)
            assert "|" not in r[lang], (r["id"], lang)


def test_kinds_allowed():
    assert {r["kind"] for r in ROWS} <= KINDS


def test_parents_exist_and_are_acyclic():
    for r in ROWS:
        p = r["parent"]
        if not p:
            continue
        assert p in BY_ID, (r["id"], p)
        assert p != r["id"]
        if r["kind"] == "food_category":
            assert BY_ID[p]["kind"] == "food_category", (r["id"], p)
        seen = {r["id"]}
        while p:
            assert p not in seen, f"parent cycle through {r['id']}"
            seen.add(p)
            p = BY_ID[p]["parent"]


# ---------------------------------------------------------------- names


def test_no_name_shared_by_two_concepts():
    """A name (any language, after folding) must point to one concept: the loader pools them."""
    owners: dict[str, set[str]] = defaultdict(set)
    for r in ROWS:
        for lang in LANGS:
            for n in _names(r, lang):
                owners[_key(n)].add(r["id"])
    clashes = {
        k: ids
        for k, ids in owners.items()
        if len(ids) > 1 and not ids <= ALLOWED_SHARED.get(k, set())
    }
    assert clashes == {}


def test_no_duplicate_synonym_within_a_language():
    for lang in LANGS:
        owners: dict[str, set[str]] = defaultdict(set)
        for r in ROWS:
            for n in _names(r, lang):
                owners[_key(n)].add(r["id"])
        assert {
            k: v for k, v in owners.items() if len(v) > 1 and not v <= ALLOWED_SHARED.get(k, set())
        } == {}


def test_names_are_in_their_language():
    for r in ROWS:
        assert not CJK.search(r["en"]) and not CYRILLIC.search(r["en"]), r["id"]
        for n in _items(r["en_synonyms"]):
            assert not CJK.search(n) and not CYRILLIC.search(n), (r["id"], n)
        assert CJK.search(r["zh"]) or r["id"] == "ph", (r["id"], r["zh"])
        assert not CYRILLIC.search(r["zh"]), r["id"]
        if r["id"] not in RU_LATIN_OK:
            assert CYRILLIC.search(r["ru"]) or r["ru"] == "pH", (r["id"], r["ru"])
        for n in _items(r["ru_synonyms"]):
            assert not CJK.search(n), (r["id"], n)


def test_names_carry_no_basis_phrases():
    """Basis such as 以Pb计 / (as N) / (по азоту) is parsed separately; names stay bare."""
    for r in ROWS:
        for lang in LANGS:
            for n in _names(r, lang):
                assert not BASIS.search(n), (r["id"], n)


def test_no_stopword_names():
    for r in ROWS:
        for lang in ("en", "ru"):
            for n in _names(r, lang):
                assert n.casefold() not in STOPLIST, (r["id"], n)
                assert len(n) >= 2, (r["id"], n)


def test_single_character_chinese_names_only_for_substances():
    for r in ROWS:
        for n in _names(r, "zh"):
            if len(n) == 1:
                assert r["kind"] in {"element", "contaminant", "water"}, (r["id"], n)


# ---------------------------------------------------------------- codes and numbers


def test_codes_well_formed():
    for r in ROWS:
        for code in _items(r["codes"]):
            system, sep, value = code.partition(":")
            assert sep and system in CODE_RES, (r["id"], code)
            assert CODE_RES[system].search(value), (r["id"], code)
            if system in {"GB2760", "GSFA", "CXA4", "GB2762", "GB2763"}:
                assert r["kind"] == "food_category", (r["id"], code)


def test_food_category_codes_point_to_one_concept():
    owners: dict[str, set[str]] = defaultdict(set)
    for r in ROWS:
        for code in _items(r["codes"]):
            owners[code].add(r["id"])
    shared = {c: ids for c, ids in owners.items() if len(ids) > 1}
    # GSFA 14.1.5 ("Coffee, coffee substitutes, tea, herbal infusions ...") covers both.
    allowed = {"GSFA:14.1.5": {"food.tea", "food.coffee"}}
    assert {c: ids for c, ids in shared.items() if not ids <= allowed.get(c, set())} == {}


def test_ins_numbers():
    seen: dict[str, str] = {}
    for r in ROWS:
        for ins in _items(r["ins"]):
            assert r["kind"] == "additive", (r["id"], ins)
            assert INS_RE.match(ins), (r["id"], ins)
            assert ins not in seen, f"INS {ins} on {seen.get(ins)} and {r['id']}"
            seen[ins] = r["id"]


def test_cas_numbers_have_valid_check_digit():
    for r in ROWS:
        if not r["cas"]:
            continue
        m = CAS_RE.match(r["cas"])
        assert m, (r["id"], r["cas"])
        digits = (m.group(1) + m.group(2))[::-1]
        assert sum((i + 1) * int(d) for i, d in enumerate(digits)) % 10 == int(m.group(3)), r["id"]


def test_symbols_unique_and_compact():
    counts = Counter(r["symbol"] for r in ROWS if r["symbol"])
    assert [s for s, n in counts.items() if n > 1] == []
    for r in ROWS:
        assert " " not in r["symbol"], r["id"]


# ---------------------------------------------------------------- coverage


def _kind_count(kind: str) -> int:
    return sum(r["kind"] == kind for r in ROWS)


def test_coverage_by_kind():
    assert _kind_count("element") >= 50
    assert sum(bool(r["ins"]) for r in ROWS if r["kind"] == "additive") >= 120
    assert _kind_count("fuel") >= 30
    assert _kind_count("food_category") >= 100
    assert _kind_count("microbe") >= 15
    water = [r for r in ROWS if "GB 5749" in r["source"] or "2020/2184" in r["source"]]
    assert len(water) >= 60
    coded = [
        r
        for r in ROWS
        if r["kind"] == "food_category"
        and any(c.startswith(("GB2760:", "GSFA:")) for c in _items(r["codes"]))
    ]
    assert len(coded) >= 80


@pytest.mark.parametrize(
    "cid",
    [
        "lead",
        "cadmium",
        "mercury",
        "methylmercury",
        "arsenic",
        "inorganic_arsenic",
        "chromium",
        "chromium_vi",
        "tin",
        "inorganic_tin",
        "aflatoxin_b1",
        "aflatoxins_total",
        "aflatoxin_m1",
        "ochratoxin_a",
        "deoxynivalenol",
        "zearalenone",
        "patulin",
        "fumonisins_b1_b2",
        "t2_ht2_toxins",
        "citrinin",
        "benzo_a_pyrene",
        "pah4",
        "dioxins",
        "pcbs",
        "monochloropropanediol_3",
        "glycidyl_esters",
        "melamine",
        "nitrate",
        "nitrite",
        "n_nitrosodimethylamine",
        "acrylamide",
        "perchlorate",
        "pfas_total",
        "erucic_acid",
        "hydrocyanic_acid",
        "tropane_alkaloids",
        "pyrrolizidine_alkaloids",
        "ergot_sclerotia",
        "ergot_alkaloids",
        "benzoic_acid",
        "sorbic_acid",
        "sulfur_dioxide",
        "sodium_nitrite",
        "citric_acid",
        "aspartame",
        "ph",
        "turbidity",
        "total_hardness",
        "permanganate_index",
        "ammonia",
        "trihalomethanes",
        "microcystin_lr",
        "free_chlorine",
        "gross_alpha",
        "radon",
        "tritium",
        "indicative_dose",
        "escherichia_coli",
        "total_coliforms",
        "enterococci",
        "clostridium_perfringens",
        "salmonella",
        "listeria_monocytogenes",
        "staphylococcus_aureus",
        "cronobacter",
        "moulds_and_yeasts",
        "aerobic_plate_count",
        "sulfur_content",
        "cetane_number",
        "cetane_index",
        "flash_point",
        "density_15c",
        "density_20c",
        "kinematic_viscosity_40c",
        "recovered_95pct",
        "lubricity",
        "fame_content",
        "cfpp",
        "research_octane_number",
        "motor_octane_number",
        "vapour_pressure",
        "protein",
        "fat",
        "moisture",
        "ash",
        "acid_value",
        "peroxide_value",
        "alcoholic_strength",
        "food.meat_excluding_offal",
        "food.offal",
        "food.fish",
        "food.fish_muscle",
        "food.bivalve_molluscs",
        "food.cephalopods",
        "food.crustaceans",
        "food.milk",
        "food.milk_powder",
        "food.infant_formula",
        "food.leafy_vegetables",
        "food.vegetables",
        "food.cereals",
        "food.polished_rice",
        "food.wheat_flour",
        "food.jams",
        "food.honey",
        "food.salt",
        "food.soy_sauce",
        "food.natural_mineral_water",
        "food.drinking_water",
        "food.wine",
        "food.beer",
        "food.tea",
    ],
)
def test_core_concepts_present(cid):
    assert cid in BY_ID


@pytest.mark.parametrize(
    "child,parent",
    [
        ("chromium_vi", "chromium"),
        ("inorganic_arsenic", "arsenic"),
        ("methylmercury", "mercury"),
        ("inorganic_tin", "tin"),
        ("aflatoxin_b1", "aflatoxins_total"),
        ("benzo_a_pyrene", "pah4"),
        ("trichloromethane", "trihalomethanes"),
        ("escherichia_coli", "thermotolerant_coliforms"),
        ("density_15c", "density"),
        ("food.fish_muscle", "food.fish"),
        ("food.leafy_vegetables", "food.vegetables"),
        ("food.polished_rice", "food.rice"),
    ],
)
def test_key_parents(child, parent):
    assert BY_ID[child]["parent"] == parent


@pytest.mark.parametrize(
    "cid,lang,name",
    [
        ("lead", "zh", "铅"),
        ("cadmium", "zh", "镉"),
        ("mercury", "zh", "总汞"),
        ("inorganic_arsenic", "zh", "无机砷"),
        ("chromium_vi", "zh", "铬（六价）"),
        ("benzo_a_pyrene", "zh", "苯并[a]芘"),
        ("benzoic_acid", "zh", "苯甲酸及其钠盐"),
        ("escherichia_coli", "zh", "大肠埃希氏菌"),
        ("sulfur_content", "zh", "硫含量"),
        ("cetane_number", "zh", "十六烷值"),
        ("flash_point", "zh", "闪点（闭口）"),
        ("lead", "ru", "свинец"),
        ("inorganic_arsenic", "ru", "мышьяк неорганический"),
        ("chromium_vi", "ru", "хром шестивалентный"),
        ("benzo_a_pyrene", "ru", "бенз(а)пирен"),
        ("sulfur_content", "ru", "массовая доля серы"),
        ("cetane_number", "ru", "цетановое число"),
        ("flash_point", "ru", "температура вспышки в закрытом тигле"),
        ("food.meat_excluding_offal", "zh", "肉类（畜禽内脏除外）"),
    ],
)
def test_preferred_names(cid, lang, name):
    assert BY_ID[cid][lang] == name


def test_food_codes_examples():
    assert "GB2760:04.01.02.05" in _items(BY_ID["food.jams"]["codes"])
    assert "GSFA:04.1.2.5" in _items(BY_ID["food.jams"]["codes"])
    assert "GB2760:08.01" in _items(BY_ID["food.meat_excluding_offal"]["codes"])


def test_additive_groups_carry_member_numbers():
    assert _items(BY_ID["benzoic_acid"]["ins"]) == ["210", "211", "212", "213"]
    assert "sodium benzoate" in _items(BY_ID["benzoic_acid"]["en_synonyms"])
    assert BY_ID["sodium_nitrite"]["parent"] == "nitrite"
