"""Ingestion of generated and real PDFs, and clear errors for bad input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import stdcompare
from stdcompare.errors import (
    CorruptPDF,
    DocumentNotFound,
    EmptyDocument,
    EncryptedPDF,
    StdCompareError,
    UnsupportedFormat,
)

GB_TEXT = """GB 5749—2022
代替 GB 5749—2006
生活饮用水卫生标准
前言
本文件代替GB 5749—2006《生活饮用水卫生标准》。
1 范围
本文件规定了生活饮用水水质要求。
2 规范性引用文件
GB/T 5750 生活饮用水标准检验方法
\f4 生活饮用水水质要求
4.1 生活饮用水中不应含有病原微生物。
4.2 铅的含量不得超过0.01 mg/L。
附录A
（资料性）
A.1 说明
本附录给出补充说明。"""


def test_generated_chinese_pdf(make_pdf: Callable[..., Path]) -> None:
    pdf = make_pdf(GB_TEXT, "gb.pdf")
    doc = stdcompare.load(pdf)
    assert doc.language == "zh"
    assert doc.pages == 2
    assert doc.metadata.code == "GB 5749—2022"
    assert doc.metadata.replaces == ("GB 5749—2006",)
    ids = [c.id for c in doc.clauses]
    assert ids[:2] == ["front", "前言"]
    assert {"1", "2", "4", "4.1", "4.2", "附录A", "A.1"} <= set(ids)
    c42 = doc.clause("4.2")
    assert c42.page == 2 and c42.parent == "4" and "铅的含量不得超过0.01 mg/L" in c42.text
    assert doc.clause("A.1").parent == "附录A"
    assert all(h.ok for h in doc.health)


def test_numbers_at_line_start_are_not_clauses(make_pdf: Callable[..., Path]) -> None:
    pdf = make_pdf(
        "1 Scope\nThis standard applies to water.\n2 Requirements\nLimits are:\n"
        "0.5 mg/kg for fish\n10 mg/kg for others\n3 Methods\nSee ISO 6468.",
        "en.pdf",
    )
    ids = [c.id for c in stdcompare.load(pdf).clauses]
    assert ids == ["1", "2", "3"]


def test_missing_empty_corrupt_encrypted(tmp_path: Path, make_pdf: Callable[..., Path]) -> None:
    with pytest.raises(DocumentNotFound, match="file not found"):
        stdcompare.load(tmp_path / "nope.pdf")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(EmptyDocument, match="empty"):
        stdcompare.load(empty)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\nthis is not really a pdf")
    with pytest.raises(CorruptPDF):
        stdcompare.load(bad)
    src = make_pdf("1 Scope\nSome text.", "plain.pdf")
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(src.read_bytes()[:400])
    with pytest.raises(CorruptPDF):
        stdcompare.load(truncated)
    import pikepdf

    enc = tmp_path / "enc.pdf"
    with pikepdf.open(src) as p:
        p.save(enc, encryption=pikepdf.Encryption(owner="o", user="secret"))
    with pytest.raises(EncryptedPDF, match="password"):
        stdcompare.load(enc)
    other = tmp_path / "x.docx"
    other.write_bytes(b"PK\x03\x04")
    with pytest.raises(UnsupportedFormat):
        stdcompare.load(other)


def test_errors_share_one_base_and_name_the_file(tmp_path: Path) -> None:
    p = tmp_path / "gone.pdf"
    with pytest.raises(StdCompareError) as exc:
        stdcompare.load(p)
    assert str(p) in str(exc.value)
    assert isinstance(exc.value, FileNotFoundError)


def test_blank_pdf_is_empty(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    out = tmp_path / "blank.pdf"
    c = Canvas(str(out))
    c.showPage()
    c.save()
    with pytest.raises(EmptyDocument, match="no text"):
        stdcompare.load(out)


def test_real_codex_short_standard(real_pdfs: Path) -> None:
    doc = stdcompare.load(real_pdfs / "CXS_241e.pdf")
    assert doc.metadata.code == "CXS 241-2003"
    assert doc.metadata.title == "STANDARD FOR CANNED BAMBOO SHOOTS"
    assert doc.language == "en" and doc.pages == 6
    assert doc.clause("2.1").heading == "Product definition"
    assert doc.clause("3.1.2.2").page == 4
    assert doc.clause("7.1.4").heading == "Minimum drained weight"
