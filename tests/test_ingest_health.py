"""Text-layer health: broken CID fonts, scanned pages, garbled text — reported, never compared."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from stdcompare.errors import TextLayerError
from stdcompare.ingest import load, require_healthy
from stdcompare.ingest.health import page_health
from stdcompare.ingest.raw import RawPage

ZH_PAGES = [
    "GB 2762—2022\n食品安全国家标准 食品中污染物限量\n1 范围\n本文件规定了食品中铅、镉、汞、砷的限量指标。",
    "4 指标要求\n4.1 铅\n4.1.1 食品中铅限量指标见表1。\n谷物及其制品中铅的限量为0.2 mg/kg。",
]


def break_cjk_font(src: Path, dst: Path) -> Path:
    """Rewrite every Type0 (CID) font as Identity-H with an unknown character collection and
    no ToUnicode map — the state of many real Chinese PDFs whose text layer is unusable."""
    import pikepdf

    with pikepdf.open(src) as pdf:
        for page in pdf.pages:
            for _name, font in page.Resources.Font.items():
                if font.get("/Subtype") != "/Type0":
                    continue
                font.Encoding = pikepdf.Name("/Identity-H")
                if "/ToUnicode" in font:
                    del font["/ToUnicode"]
                font.DescendantFonts[0].CIDSystemInfo = pikepdf.Dictionary(
                    Registry=pikepdf.String("Adobe"),
                    Ordering=pikepdf.String("Identity"),
                    Supplement=0,
                )
        pdf.save(dst)
    return dst


@pytest.fixture
def broken_zh(make_pdf: Callable[..., Path], tmp_path: Path) -> Path:
    return break_cjk_font(make_pdf(ZH_PAGES, "ok.pdf"), tmp_path / "broken.pdf")


def test_the_broken_file_really_is_broken_for_other_extractors(broken_zh: Path) -> None:
    import pdfplumber

    with pdfplumber.open(broken_zh) as pdf:
        text = pdf.pages[0].extract_text()
    assert "(cid:" in text and "食品" not in text


def test_healthy_chinese_pdf(make_pdf: Callable[..., Path]) -> None:
    doc = load(make_pdf(ZH_PAGES, "ok.pdf"))
    assert [h.status for h in doc.health] == ["ok", "ok"]
    assert (
        doc.clause("4.1.1").text == "食品中铅限量指标见表1。\n谷物及其制品中铅的限量为0.2 mg/kg。"
    )
    assert require_healthy(doc) is doc


def test_broken_font_is_reported_per_page(broken_zh: Path) -> None:
    doc = load(broken_zh)
    assert [h.status for h in doc.health] == ["broken_font", "broken_font"]
    assert "without a Unicode map" in doc.health[0].detail
    assert [h.page for h in doc.unhealthy_pages] == [1, 2]
    with pytest.raises(TextLayerError) as exc:
        require_healthy(doc)
    assert exc.value.pages == (1, 2)
    assert "broken_font on pages 1-2" in str(exc.value)
    with pytest.raises(TextLayerError, match="OCR"):
        load(broken_zh, bad_pages="error")


def test_inspect_reports_a_broken_font(broken_zh: Path, tmp_path: Path) -> None:
    from stdcompare.cli.main import main

    result = CliRunner().invoke(main, ["inspect", str(broken_zh), "-q"])
    assert result.exit_code == 0, result.output
    assert "text layer: broken_font on pages 1-2" in result.output
    assert "page 1: broken_font — the font has no usable Unicode map" in result.output
    assert "`stdcompare compare` refuses this document" in result.output
    out = tmp_path / "inspect.json"
    result = CliRunner().invoke(main, ["inspect", str(broken_zh), "-q", "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "stdcompare/inspect-v1"
    assert data["health_summary"] == "broken_font on pages 1-2"
    assert [h["status"] for h in data["health"]] == ["broken_font", "broken_font"]


def test_compare_refuses_a_broken_font_with_one_line(
    broken_zh: Path, make_pdf: Callable[..., Path], tmp_path: Path
) -> None:
    from stdcompare.cli.main import main

    other = make_pdf(
        "1 Scope\nThis standard applies to lead in food.\n2 Limits\nLead 0.2 mg/kg.", "en.pdf"
    )
    html = tmp_path / "r.html"
    result = CliRunner().invoke(
        main, ["compare", str(broken_zh), str(other), "--html", str(html), "-q", "--no-cache"]
    )
    assert result.exit_code == 1
    lines = [ln for ln in result.output.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ") and str(broken_zh) in lines[0]
    assert "broken_font on pages 1-2" in lines[0] and "OCR" in lines[0]
    assert not html.exists()
    assert "Traceback" not in result.output


def test_scanned_page_is_reported(tmp_path: Path, make_pdf: Callable[..., Path]) -> None:
    """A page that is one big image and no text: scanned. The text page stays usable."""
    import pikepdf
    from PIL import Image
    from reportlab.pdfgen.canvas import Canvas

    img = tmp_path / "scan.png"
    Image.new("L", (400, 560), 235).save(img)
    scan = tmp_path / "scan.pdf"
    c = Canvas(str(scan))
    c.drawImage(str(img), 20, 20, width=555, height=800)
    c.showPage()
    c.save()
    text = make_pdf("1 Scope\nThis standard applies to drinking water.", "text.pdf")
    both = tmp_path / "both.pdf"
    with pikepdf.open(text) as a, pikepdf.open(scan) as b:
        a.pages.extend(b.pages)
        a.save(both)
    doc = load(both)
    assert [h.status for h in doc.health] == ["ok", "scanned"]
    assert "image covers" in doc.health[1].detail
    skipped = load(both, bad_pages="skip")
    assert skipped.clause("1").text == "This standard applies to drinking water."
    # skipped pages stay visible in the health record but no longer block a comparison
    assert [h.skipped for h in skipped.health] == [False, True]
    assert require_healthy(skipped) is skipped
    with pytest.raises(TextLayerError, match="scanned on page 2"):
        require_healthy(doc)
    with pytest.raises(TextLayerError, match="scanned on page 2"):
        load(both, bad_pages="error")


def _page(**facts: int) -> RawPage:
    return RawPage(number=3, width=595.0, height=842.0, lines=(), **facts)  # type: ignore[arg-type]


def test_garbled_text_layers() -> None:
    # glyph ids mapped to code points of scripts no standard uses
    assert page_health(_page(chars=400, odd=300)).status == "garbled"
    # hanzi of a wrong character collection: mostly rare characters
    assert page_health(_page(chars=400, cjk=300, cjk_common=60)).status == "garbled"
    assert page_health(_page(chars=400, cjk=300, cjk_common=290)).status == "ok"
    assert page_health(_page(chars=400, private_use=100)).status == "broken_font"
    assert page_health(_page(chars=3)).status == "empty"
    # a scan with a stamped header line on it
    stamped = _page(chars=40, image_area=0.9 * 595.0 * 842.0)
    assert page_health(stamped).status == "scanned"
    assert "holds only 40 characters" in page_health(stamped).detail


def test_compare_with_skip_bad_pages_uses_the_readable_pages(
    broken_zh: Path, make_pdf: Callable[..., Path], tmp_path: Path
) -> None:
    """--skip-bad-pages: a partly broken document is compared on its healthy pages."""
    import pikepdf

    from stdcompare.cli.main import main

    good = make_pdf(ZH_PAGES, "good.pdf")
    mixed = tmp_path / "mixed.pdf"
    with pikepdf.open(good) as a, pikepdf.open(broken_zh) as b:
        a.pages.append(b.pages[1])
        a.save(mixed)
    other = make_pdf(
        "1 Scope\nThis standard applies to lead in food.\n2 Limits\nLead shall not exceed 0.1 mg/kg.",
        "en.pdf",
    )
    out = tmp_path / "c.json"
    refused = CliRunner().invoke(
        main, ["compare", str(mixed), str(other), "--json", str(out), "-q", "--no-cache"]
    )
    assert refused.exit_code == 1 and "broken_font on page 3" in refused.output
    ok = CliRunner().invoke(
        main,
        [
            "compare",
            str(mixed),
            str(other),
            "--json",
            str(out),
            "-q",
            "--no-cache",
            "--skip-bad-pages",
        ],
    )
    assert ok.exit_code == 0, ok.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["a"]["pages"] == 3
