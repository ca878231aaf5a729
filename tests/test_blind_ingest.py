"""Ingestion of the blind documents (tests/data/blind): clause trees and running lines, checked
by hand against the source texts, with generated documents for the general rules."""

from __future__ import annotations

import functools
from pathlib import Path

import stdcompare

BLIND = Path(__file__).parent / "data" / "blind"
CORPORA = Path(__file__).parent.parent / "corpora"


@functools.cache
def _doc(name: str) -> stdcompare.Document:
    return stdcompare.load(BLIND / f"{name}.pdf")


def _ids(doc: stdcompare.Document) -> list[str]:
    return [c.id for c in doc.clauses]


def test_annex_reference_wrapped_to_a_line_start_is_not_a_heading() -> None:
    # "… the maximum level set out in" / "Annex I." is the end of Article 2(1), and the
    # paragraphs "2." and "3." after it stay paragraphs of Article 2
    doc = _doc("eu2023-915-mycotoxins")
    assert [c.id for c in doc.clauses if c.kind == "annex"] == ["ANNEX I"]
    assert doc.clause("Article 2(1)").text.endswith("set out in Annex I.")
    for n in (2, 3):
        par = doc.clause(f"Article 2({n})")
        assert (par.parent, par.kind) == ("Article 2", "paragraph")
    assert "2" not in _ids(doc) and "3" not in _ids(doc)


def test_annex_reference_wrapped_in_plain_text(tmp_path: Path) -> None:
    src = tmp_path / "eu.txt"
    src.write_text(
        "Article 2\nGeneral rules\n"
        "1. The food listed in Annex I shall not be placed on the market at a level above the\n"
        "maximum level set out in\nAnnex I.\n"
        "2. Food complying with the maximum levels shall not be mixed with other food.\n"
        "ANNEX I\nMaximum levels\nLead 0,10 mg/kg.\n",
        encoding="utf-8",
    )
    doc = stdcompare.load(src)
    assert _ids(doc) == ["Article 2", "Article 2(1)", "Article 2(2)", "ANNEX I"]


def test_chapter_numbers_in_an_annex_carry_the_annex() -> None:
    # Приложение 3: "4. Зерно (семена) …" and "8. Соковая продукция …" are its sections
    doc = _doc("trts-021-food")
    for n in ("4", "8"):
        c = doc.clause(f"Приложение 3 {n}")
        assert (c.parent, c.level) == ("Приложение 3", 2)
    assert "4" not in _ids(doc) and "8" not in _ids(doc)
    assert {t.clause_id for t in doc.tables} == {"Приложение 2", "Приложение 3 4", "Приложение 3 8"}


def test_running_header_of_a_two_page_document_is_removed() -> None:
    en = _doc("en228-gasoline")
    assert "EN 228:2012+A1:2017 (E)" not in en.clause("5.4").text
    assert not any("(E)" in t for t in en.page_texts)
    eu = _doc("eu2023-915-mycotoxins")
    assert "Official Journal" not in eu.clause("Article 4(c)").text
    assert eu.clause("Article 4(c)").end_page == 1
    assert not any("Official Journal" in t for t in eu.page_texts)


def test_own_code_line_is_a_running_header_without_repeating() -> None:
    # a cover and one page: the header "GB 18401—2010" is on page 2 only; one page: the
    # header "CXS 108-1981" over the title (the code also stands under the title)
    gb = _doc("gb18401-textiles")
    assert gb.clause("front").end_page == 1
    assert "GB 18401" not in gb.page_texts[1]
    assert gb.metadata.code == "GB 18401—2010"
    cx = _doc("codex-cxs108-mineral-water")
    assert cx.page_texts[0].splitlines()[0] == "STANDARD FOR NATURAL MINERAL WATERS"
    assert cx.metadata.code == "CXS 108-1981"


def test_title_over_two_lines_in_large_type_is_one_heading() -> None:
    iec = _doc("iec60335-appliances")
    title = "Household and similar electrical appliances — Safety — Part 1: General requirements"
    (c,) = [c for c in iec.clauses if c.kind == "heading"]
    assert c.heading == title and c.page == 2
    assert iec.clause("front").end_page == 1
    assert not iec.clause("front").text.endswith("Part 1:")
    iso = stdcompare.load(CORPORA / "adoption" / "iso3696-1987.pdf")
    (h,) = [c for c in iso.clauses if c.kind == "heading"]
    assert h.heading == "Water for analytical laboratory use — Specification and test methods"
    assert h.text == ""


def test_page_with_one_line_of_text_keeps_the_documents_text_block() -> None:
    # page 7 of GB 2762 holds "4.10 N-二甲基亚硝胺、…" and "（本摘录从略。）" beside a table: the
    # numbered line is its widest line but a short title, not a sentence running to the edge
    gb = stdcompare.load(CORPORA / "contaminants" / "gb2762-2022.pdf")
    c = gb.clause("4.10")
    assert (c.heading, c.text) == ("N-二甲基亚硝胺、多氯联苯、3-氯-1,2-丙二醇", "（本摘录从略。）")
