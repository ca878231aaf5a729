"""CSV, XLSX and TMX 1.4b exports; the comparison-v1 JSON round trip."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
from report_sample import EVIL, sample_comparison

from stdcompare import ClausePair, Comparison
from stdcompare.errors import InvalidLEI
from stdcompare.model import COMPARISON_SCHEMA

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TMX_HEADER_REQUIRED = (
    "creationtool",
    "creationtoolversion",
    "segtype",
    "o-tmf",
    "adminlang",
    "srclang",
    "datatype",
)


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_gaps_and_pairs(tmp_path: Path) -> None:
    c = sample_comparison()
    gaps_path, pairs_path = c.to_csv(tmp_path / "gaps.csv")
    assert pairs_path == tmp_path / "gaps.clause_pairs.csv"
    raw = gaps_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese text right
    rows = list(csv.DictReader(gaps_path.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == len(c.gap_list)
    lead = next(r for r in rows if r["parameter"] == "lead")
    assert lead["verdict"] == "b_stricter"
    assert lead["a_limit"] == "<= 0.01 mg/L" and lead["b_limit"] == "<= 5 µg/l"
    assert lead["a_clause"] == "4.1" and lead["a_page"] == "3" and lead["b_page"] == "5"
    assert float(lead["stricter_by"]) == pytest.approx(2.0)
    assert lead["b_as_a"] == "<= 0.005 mg/L"
    pairs = list(csv.DictReader(pairs_path.read_text(encoding="utf-8-sig").splitlines()))
    assert [p["a_id"] for p in pairs] == [p.a_id for p in c.pair_list]
    assert pairs[2]["a_strength"] == "recommendation" and pairs[2]["strength_mismatch"] == "True"
    assert "生活饮用水" in pairs[0]["a_text"]


def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    c = sample_comparison(evil='=HYPERLINK("http://x","y")')
    gaps_path, _ = c.to_csv(tmp_path / "g.csv")
    rows = list(csv.DictReader(gaps_path.read_text(encoding="utf-8-sig").splitlines()))
    uranium = next(r for r in rows if r["parameter"] == "uranium")
    assert uranium["b_text"] == '\'=HYPERLINK("http://x","y")'
    for row in rows:
        for value in row.values():
            assert not (value or "").startswith(("=", "+", "@"))


# --- XLSX ---------------------------------------------------------------------------------------


def test_xlsx_workbook(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    c = sample_comparison()
    path = c.to_xlsx(tmp_path / "r.xlsx", company="ACME Foods", lei="5493001KJTIIGC8Y1R12")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Summary", "Exporter view", "Gaps", "Clause pairs"]
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Prepared for"] == "ACME Foods" and summary["LEI"] == "5493001KJTIIGC8Y1R12"
    assert summary["A code"] == "GB 5749—2022" and summary["B language"] == "en"
    assert summary["B stricter"] == c.summary["b_stricter"]
    gaps = list(wb["Gaps"].iter_rows(values_only=True))
    header = gaps[0]
    assert header[:3] == ("parameter", "verdict", "ratio")
    assert len(gaps) == 1 + len(c.gap_list)
    row = dict(zip(header, next(r for r in gaps[1:] if r[0] == "lead"), strict=True))
    assert row["verdict"] == "b_stricter" and row["stricter_by"] == pytest.approx(2.0)
    assert isinstance(row["a_value"], float) and row["a_unit"] == "mg/L"
    ws = wb["Gaps"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    exporter = [r[0] for r in wb["Exporter view"].iter_rows(values_only=True)][1:]
    assert exporter == ["stricter in target market", "only in target market", "check by hand"]
    pairs = list(wb["Clause pairs"].iter_rows(values_only=True))
    assert len(pairs) == 1 + len(c.pair_list)


def test_xlsx_keeps_formulas_and_control_characters_out(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    c = sample_comparison(evil='=HYPERLINK("http://x","y")\x01\x07')
    path = c.to_xlsx(tmp_path / "r.xlsx")
    ws = load_workbook(path)["Gaps"]
    header = [cell.value for cell in ws[1]]
    col = header.index("b_text") + 1
    cells = [ws.cell(row=i, column=col) for i in range(2, ws.max_row + 1)]
    evil = [cell for cell in cells if cell.value and "HYPERLINK" in str(cell.value)]
    assert evil and all(cell.data_type == "s" for cell in evil)
    assert evil[0].value == '=HYPERLINK("http://x","y")'  # text, control characters dropped


def test_xlsx_invalid_lei_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    with pytest.raises(InvalidLEI):
        sample_comparison().to_xlsx(out, lei="5493001KJTIIGC8Y1R13")
    assert not out.exists() and not list(tmp_path.iterdir())


# --- TMX ----------------------------------------------------------------------------------------


def _parse_tmx(data: bytes) -> ET.Element:
    from lxml import etree

    # lxml: well-formed XML, and the DOCTYPE names the TMX 1.4 DTD
    doc = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    assert doc.getroottree().docinfo.system_url == "tmx14.dtd"
    return ET.fromstring(data)


def test_tmx_structure(tmp_path: Path) -> None:
    c = sample_comparison()
    when = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    data = c.to_tmx(tmp_path / "p.tmx", created=when)
    assert (tmp_path / "p.tmx").read_bytes() == data
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = _parse_tmx(data)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    assert [child.tag for child in root] == ["header", "body"]
    header = root.find("header")
    assert header is not None
    for attr in TMX_HEADER_REQUIRED:
        assert header.get(attr), attr
    assert header.get("srclang") == "zh-CN" and header.get("datatype") == "plaintext"
    assert header.get("segtype") in ("block", "paragraph", "sentence", "phrase")
    assert header.get("creationdate") == "20240501T120000Z"
    tus = root.findall("body/tu")
    # the pair marked for review is left out of a translation memory by default
    assert len(tus) == sum(1 for p in c.pair_list if not p.review) == 2
    for tu in tus:
        tuvs = tu.findall("tuv")
        assert [t.get(XML_LANG) for t in tuvs] == ["zh-CN", "en"]
        for tuv in tuvs:
            assert len(tuv.findall("seg")) == 1
            assert list(tuv)[-1].tag == "seg"  # props come before the segment
            for prop in tuv.findall("prop"):
                assert prop.get("type", "").startswith("x-")
    first = tus[0]
    segs = [t.findtext("seg") for t in first.findall("tuv")]
    assert segs[0] is not None and segs[0].endswith(EVIL)  # escaped by the writer, intact
    assert segs[1] == c.pair_list[0].b_text
    props = {p.get("type"): p.text for p in first.findall("tuv")[0].findall("prop")}
    assert props == {"x-clause": "4.1", "x-page": "3", "x-strength": "requirement"}


def test_tmx_options_and_bad_characters() -> None:
    c = sample_comparison()
    everything = _parse_tmx(c.to_tmx(include_review=True))
    assert len(everything.findall("body/tu")) == 3
    strict = _parse_tmx(c.to_tmx(include_review=True, min_score=0.75))
    assert len(strict.findall("body/tu")) == 1
    tagged = _parse_tmx(c.to_tmx(source_lang="zh-Hans", target_lang="en-GB"))
    assert tagged.find("header").get("srclang") == "zh-Hans"  # type: ignore[union-attr]
    assert {t.get(XML_LANG) for t in tagged.iter("tuv")} == {"zh-Hans", "en-GB"}
    # control characters that XML 1.0 forbids are dropped, not written
    bad = Comparison(
        c.a,
        c.b,
        pair_list=(ClausePair("1", "1", "铅\x00\x0b含量", "lead\x1f content", 0.9),),
    )
    seg = [s.text for s in _parse_tmx(bad.to_tmx()).iter("seg")]
    assert seg == ["铅含量", "lead content"]


def test_tmx_russian_pair_language_tags() -> None:
    c = sample_comparison()
    ru = Comparison(
        c.a, type(c.b)("b.pdf", "ТР ТС 013/2011", "О требованиях", "ru", 5), c.pair_list
    )
    root = _parse_tmx(ru.to_tmx())
    assert {t.get(XML_LANG) for t in root.iter("tuv")} == {"zh-CN", "ru"}


# --- JSON ---------------------------------------------------------------------------------------


def test_json_contract_keeps_its_keys_and_gains_new_ones(tmp_path: Path) -> None:
    c = sample_comparison()
    data = json.loads(c.to_json(tmp_path / "c.json"))
    assert data["schema"] == COMPARISON_SCHEMA
    assert set(data) >= {"schema", "a", "b", "clause_pairs", "gaps", "summary", "meta"}
    gap = next(g for g in data["gaps"] if g["parameter"] == "lead")
    assert set(gap) >= {"parameter", "a", "b", "verdict", "ratio", "score", "reason"}
    assert gap["stricter_by"] == pytest.approx(2.0) and gap["b_as_a"] == "<= 0.005 mg/L"
    nitrate = next(g for g in data["gaps"] if g["parameter"] == "nitrate")
    assert nitrate["verdict"] == "not_comparable" and nitrate["reason"]
    pair = data["clause_pairs"][2]
    assert pair["a_strength"] == "recommendation" and pair["strength_mismatch"] is True
    assert Comparison.load(tmp_path / "c.json") == c
