"""Ingestion of the three real Codex PDFs (written by nobody on the team).

Expected values were read off the PDFs themselves (page numbers as printed in the page
header, which equal the PDF page index in these files).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stdcompare.ingest import load
from stdcompare.model import Document

# CXS 193-1995, Schedule, LEAD (pages 60-64): every row's commodity, maximum level, page.
LEAD_ROWS = [
    ("Berries and other small fruits", "0.1", 60),
    ("Cranberry", "0.2", 60),
    ("Currants", "0.2", 60),
    ("Elderberry", "0.2", 60),
    ("Fruits", "0.1", 60),
    ("Brassica vegetables", "0.1", 61),
    ("Bulb vegetables", "0.1", 61),
    ("Fruiting vegetables", "0.05", 61),
    ("Leafy vegetables", "0.3", 61),
    ("Legume vegetables", "0.1", 61),
    (
        "Fresh farmed mushrooms (common mushrooms (Agaricus bisporous), shiitake mushrooms "
        "(Lentinula edodes), and oyster mushrooms (Pleurotus ostreatus))",
        "0.3",
        61,
    ),
    ("Pulses", "0.1", 61),
    ("Root and tuber vegetables", "0.1", 61),
    ("Canned fruits", "0.1", 62),
    ("Jams, jellies, and marmalades", "0.4", 62),
    ("Mango chutney", "0.4", 62),
    ("Canned vegetables", "0.1", 62),
    ("Preserved tomatoes", "0.05", 62),
    ("Table olives", "0.4", 62),
    ("Pickled cucumbers (cucumber pickles)", "0.1", 62),
    ("Canned chestnuts and canned chestnuts puree", "0.05", 62),
    ("Fruit juices", "0.03", 62),
    ("Fruit juices obtained exclusively from berries and other small fruits", "0.05", 62),
    ("Grape juice", "0.04", 62),
    ("Cereal grains", "0.2", 62),
    ("Cereal-based foods for infants and young children", "0.02", 63),
    (
        "Infant formula, formula for special medical purposes intended for infants and "
        "follow-up formula",
        "0.01",
        63,
    ),
    ("Ready-to-eat meals for infants and young children", "0.02", 63),
    ("Fish", "0.3", 63),
    ("Meat of cattle, pigs, and sheep", "0.1", 63),
    ("Meat and fat of poultry", "0.1", 63),
    ("Cattle, edible offal of", "0.2", 63),
    ("Pig, edible offal of", "0.15", 63),
    ("Poultry, edible offal of", "0.1", 63),
    ("Edible fats and oils", "0.08", 64),
    ("Fat spreads and blended spreads", "0.04", 64),
    ("Milk", "0.02", 64),
    ("Secondary milk products", "0.02", 64),
    ("Natural mineral waters", "0.01", 64),
    ("Salt, food grade", "1", 64),
    ("Soft brown, raw and non–centrifugal sugars", "0.15", 64),
    ("White and refined sugar, corn and maple syrups, honey", "0.1", 64),
    ("Candies, sugar-based", "0.1", 64),
    ("Wine", "0.1", 64),
    ("Wine (wine and fortified/liqueur wine)", "0.2", 64),
    ("Fortified/Liqueur wine", "0.15", 64),
]


@pytest.fixture(scope="module")
def cxs193(real_pdfs: Path) -> Document:
    return load(real_pdfs / "CXS_193e.pdf")


@pytest.fixture(scope="module")
def cxs241(real_pdfs: Path) -> Document:
    return load(real_pdfs / "CXS_241e.pdf")


@pytest.fixture(scope="module")
def cxs192(real_pdfs: Path) -> Document:
    return load(real_pdfs / "CXS_192e.pdf")


def _table(doc: Document, clause_id: str, index: int = 0):  # type: ignore[no-untyped-def]
    found = [t for t in doc.tables if t.clause_id == clause_id]
    assert found, f"no table in clause {clause_id!r}"
    return found[index]


# --- CXS 193: contaminants -----------------------------------------------------------------------


def test_cxs193_lead_table_every_row(cxs193: Document) -> None:
    t = _table(cxs193, "LEAD")
    assert t.pages == (60, 61, 62, 63, 64)
    assert t.header == (
        "Commodity/ Product name",
        "Maximum level (ML) mg/kg",
        "Portion of the commodity/ Product to which the ML applies",
        "Notes/Remarks",
    )
    got = [(r.cells[0], r.cells[1], r.page) for r in t.rows]
    assert got == LEAD_ROWS


def test_cxs193_lead_multiline_and_page_split_cells(cxs193: Document) -> None:
    rows = {r.cells[0]: r for r in _table(cxs193, "LEAD").rows}
    fruits = rows["Fruits"]
    # the portion cell runs over 13 lines on p.60 and ends on p.61 (the page break cuts the row)
    assert fruits.cells[2].startswith("Whole commodity. Berries and other small fruits: whole")
    assert "Pineapple: whole commodity after removal of crown." in fruits.cells[2]
    assert fruits.cells[2].endswith(
        "Avocado, mangos, and similar fruit with hard seeds: whole commodity after removal "
        "of stone but calculated on whole fruit."
    )
    assert fruits.cells[3] == "The ML does not apply to cranberry, currant, and elderberry."
    offal = rows["Poultry, edible offal of"]
    assert offal.page == 63
    assert offal.cells[3].endswith("Heart, kidney, liver, stomach, and thymus.")
    # notes stay in their own column: the ML cell is a bare number everywhere
    assert all(r.cells[1].replace(".", "").isdigit() for r in rows.values())
    records = _table(cxs193, "LEAD").records()
    assert records[2]["Maximum level (ML) mg/kg"] == "0.2" and records[2]["page"] == "60"


def test_cxs193_every_contaminant_section_has_its_table(cxs193: Document) -> None:
    for name, page, unit in [
        ("AFLATOXINS, TOTAL", 14, "µg/kg"),
        ("ARSENIC", 55, "mg/kg"),
        ("CADMIUM", 57, "mg/kg"),
        ("LEAD", 60, "mg/kg"),
        ("MERCURY", 65, "mg/kg"),
        ("TIN", 67, "mg/kg"),
    ]:
        clause = cxs193.clause(name)
        assert (clause.page, clause.kind, clause.heading) == (page, "heading", name)
        table = _table(cxs193, name)
        assert table.page == page and unit in table.header[1]
    mercury = _table(cxs193, "MERCURY")
    assert [(r.cells[0], r.cells[1]) for r in mercury.rows] == [
        ("Natural mineral waters", "0.001"),
        ("Salt food grade", "0.1"),
    ]


def test_cxs193_clause_tree(cxs193: Document) -> None:
    c = cxs193.clause("1.2.1")
    assert (c.heading, c.page, c.parent) == ("General", 2, "1.2")
    assert cxs193.clause("1.2.4").page == 3
    assert (cxs193.clause("1.4").page, cxs193.clause("1.4").parent) == (5, None)
    annex = cxs193.clause("Annex I")
    assert annex.kind == "annex" and annex.page == 6
    assert annex.heading == "CRITERIA FOR THE ESTABLISHMENT OF MAXIMUM LEVELS IN FOOD AND FEED"
    assert cxs193.clause("Annex II").heading == "FORMAT OF THE GSCTFF"
    # numbered paragraphs of a numbered annex are qualified with it
    par = cxs193.clause("Annex 1 1")
    assert par.parent == "Annex 1" and par.page == 17
    assert par.text.startswith("The sampling plan calls for a single 20 kg laboratory sample")
    # no running header or page number leaks into clause text
    assert not any("CXS 193-1995" in c.text for c in cxs193.clauses if c.page > 1)


def test_cxs193_metadata_and_health(cxs193: Document) -> None:
    m = cxs193.metadata
    assert m.code == "CXS 193-1995"
    assert m.title == "GENERAL STANDARD FOR CONTAMINANTS AND TOXINS IN FOOD AND FEED"
    assert m.year == 1995 and m.replaces == () and m.adoption is None
    assert cxs193.language == "en" and cxs193.pages == 77
    assert all(h.status == "ok" for h in cxs193.health)
    assert cxs193.unhealthy_pages == ()


# --- CXS 241: a short commodity standard -------------------------------------------------------


def test_cxs241_clauses_and_endnotes(cxs241: Document) -> None:
    assert cxs241.clause("2.1").heading == "Product definition"
    assert cxs241.clause("3.1.2.2").page == 4
    assert cxs241.clause("7.1.4").heading == "Minimum drained weight"
    ids = [c.id for c in cxs241.clauses]
    # the numbered end notes on p.6 (smaller type, under NOTES) are not clauses
    assert not {"10", "11", "12", "NOTES 1"} & set(ids)
    assert ids[-2:] == ["9", "NOTES"]
    notes = cxs241.clause("NOTES")
    assert notes.kind == "references" and notes.page == 6
    assert "12 FAO and WHO. 1999. Recommended Methods of Analysis and Sampling." in notes.text
    assert "FAO and WHO" not in cxs241.clause("9").text


def test_cxs241_tables_and_metadata(cxs241: Document) -> None:
    t1 = cxs241.tables[0]
    assert (t1.caption, t1.clause_id, t1.header) == (
        "Table 1",
        "3.2.1",
        ("Item", "Style", "Limitations"),
    )
    assert t1.rows[0].cells[:2] == ("1", "Whole or half")
    assert t1.rows[0].cells[2].startswith("(a) none if less than 3 per can; (b) 1 unit if 3 – 5")
    assert t1.rows[1].cells == ("2", "Slice, strip, dice", "20% by drained weight.")
    m = cxs241.metadata
    assert (m.code, m.title, m.year) == ("CXS 241-2003", "STANDARD FOR CANNED BAMBOO SHOOTS", 2003)
    assert [h.status for h in cxs241.health] == ["ok"] * 6


# --- CXS 192: 568 pages of borderless tables ------------------------------------------------------


@pytest.mark.slow
def test_cxs192_borderless_tables(cxs192: Document) -> None:
    assert cxs192.pages == 568
    assert cxs192.metadata.code == "CODEX STAN 192-1995"
    assert cxs192.metadata.title == "GENERAL STANDARD FOR FOOD ADDITIVES"
    header = ("FoodCatNo", "FoodCategory", "MaxLevel", "Notes", "Year Adopted")
    benzoyl = _table(cxs192, "BENZOYL PEROXIDE")
    assert benzoyl.header == header and benzoyl.page == 101
    assert [r.cells for r in benzoyl.rows] == [
        (
            "01.8.1",
            "Liquid whey and whey products, excluding whey cheeses",
            "100 mg/kg",
            "74",
            "2007",
        ),
        (
            "01.8.2",
            "Dried whey and whey products, excluding whey cheeses",
            "100 mg/kg",
            "147 & XS331",
            "2023",
        ),
        ("06.2.1", "Flours", "75 mg/kg", "468", "2019"),
    ]
    # a table continued over four pages with its header repeated on each
    benzoates = next(t for t in cxs192.tables if t.clause_id == "BENZOATES" and t.header == header)
    assert benzoates.pages == (98, 99, 100, 101)
    rows = {r.cells[0]: r for r in benzoates.rows}
    assert rows["14.2.2"].cells[1:] == ("Cider and perry", "1000 mg/kg", "13 & 124", "2004")
    assert rows["14.2.2"].page == 101
    assert rows["04.2.2.3"].cells[1] == (
        "Vegetables (including mushrooms and fungi, roots and tubers, pulses and legumes, and "
        "aloe vera), and seaweeds in vinegar, oil, brine, or soybean sauce"
    )
    assert not any(r.cells[0] == "FoodCatNo" for r in benzoates.rows)
    black = _table(cxs192, "BRILLIANT BLACK (BLACK PN)")
    assert black.pages == (101, 102) and len(black.rows) == 18
    unripened = next(r for r in black.rows if r.cells[0] == "01.6.1")
    assert unripened.cells[3] == "3, 201, XS221, XS262, XS273, XS275"
    # food category numbers (01.2.1 …) never open clauses
    assert not any(c.id[:1] == "0" for c in cxs192.clauses)
    assert cxs192.clause("1.4").heading == "Maximum Use Levels for Food Additives"


@pytest.mark.slow
def test_cxs192_table_headers_and_continuations(cxs192: Document) -> None:
    """Header labels over columns the rows leave empty, INS lines above a table, and tables
    continued over pages whose header used to come apart."""
    table_one = ("FoodCatNo", "FoodCategory", "MaxLevel", "Notes", "Year Adopted")
    table_two = ("Additive", "INS", "Year Adopted", "Max Level", "Notes")
    # "Notes" over a column no row fills (p.161), the "Functional Class" lines above (p.142)
    rosin = _table(cxs192, "GLYCEROL ESTER OF WOOD ROSIN")
    assert rosin.header == table_one
    assert rosin.rows[0].cells == (
        "04.1.1.2",
        "Surface-treated fresh fruit",
        "110 mg/kg",
        "",
        "2005",
    )
    citric = _table(cxs192, "CITRIC AND FATTY ACID ESTERS OF GLYCEROL")
    assert citric.header == table_one and citric.pages == (142, 143) and len(citric.rows) == 25
    # Table Two, food category 12.1.2: four pages, no notes on most rows
    salt = next(
        t for t in cxs192.tables if (t.clause_id or "").startswith("Food Category No. 12.1.2")
    )
    assert salt.header == table_two and salt.pages == (459, 460, 461, 462)
    assert salt.rows[0].cells == ("ACETIC ACID, GLACIAL", "260", "2013", "GMP", "")
    assert salt.rows[-1].cells == ("XANTHAN GUM", "415", "2014", "GMP", "") and len(salt.rows) == 78
    assert sum(t.header == table_two for t in cxs192.tables) >= 280
    # the INS lines of an additive group are data, not the header of their own table
    ins = _table(cxs192, "CAROTENES, BETA-")
    assert ins.header == ("", "", "", "")
    assert ins.rows[0].cells == (
        "INS",
        "160a(i)",
        "beta-Carotenes, synthetic",
        "Functional Class: Colour",
    )
    assert not any("Functional Class:" in h for t in cxs192.tables for h in t.header)


# --- the bundled corpora (generated PDFs of real layouts) -----------------------------------------

CORPORA = Path(__file__).resolve().parents[1] / "corpora"


def test_gb2762_arsenic_header_stops_above_the_group_row() -> None:
    doc = load(CORPORA / "contaminants" / "gb2762-2022.pdf")
    t = next(t for t in doc.tables if t.caption.startswith("表4"))
    assert t.header == (
        "食品类别（名称）",
        "限量（以As计）/(mg/kg) 总砷",
        "限量（以As计）/(mg/kg) 无机砷a",
    )
    assert t.rows[0].cells == ("谷物及其制品", "", "")
    assert t.rows[1].cells == ("大米", "—", "0.2")


def test_eu_2023_915_pah_header_between_rules() -> None:
    doc = load(CORPORA / "contaminants" / "eu-2023-915.pdf")
    t = next(t for t in doc.tables if t.clause_id == "5.1")
    assert t.header[1:3] == ("Food", "Maximum level (µg/kg) Benzo(a)pyrene")
    assert t.header[3].startswith("Maximum level (µg/kg) Sum of benzo(a)pyrene, benz(a)anthracene")
    assert [r.cells[0] for r in t.rows] == ["5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.1.5", "5.1.11"]


def test_gb19147_merged_value_cells_keep_their_span() -> None:
    doc = load(CORPORA / "diesel" / "gb19147-2016.pdf")
    rows = {r.cells[0]: r for r in doc.tables[0].rows}
    sulfur = next(r for k, r in rows.items() if k.startswith("硫含量"))
    assert sulfur.cells[1:7] == ("10", "", "", "", "", "") and sulfur.spans[1] == 6
    flash = next(r for k, r in rows.items() if k.startswith("闪点"))
    assert flash.spans[1:7] == (3, 0, 0, 1, 2, 0)


def test_adoption_pair_tables_and_statement() -> None:
    iso = load(CORPORA / "adoption" / "iso3696-1987.pdf")
    (t,) = iso.tables
    assert t.header == ("Parameter", "Grade 1", "Grade 2", "Grade 3", "Test method")
    assert len(t.rows) == 6
    gb = load(CORPORA / "adoption" / "gbt6682-2008.pdf")
    a = gb.metadata.adoption
    assert a is not None and (a.degree, a.standard) == ("MOD", "ISO 3696:1987")
    assert a.text == "本标准修改采用ISO 3696:1987《分析实验室用水规格和试验方法》（英文版）。"
