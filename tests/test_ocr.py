"""OCR of scanned pages with Tesseract (``ocr=True`` / ``--ocr``).

The scans are made here: a PDF with a text layer (corpora/pdfgen.py) is rasterised at
200 dpi with PDFium and written back as an image-only PDF, as a scanner would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import stdcompare
from stdcompare.errors import OCRUnavailable, TextLayerError
from stdcompare.ingest import ocr as ocr_mod
from stdcompare.model import Document

HAVE_TESSERACT = bool(ocr_mod.find_tesseract())
needs_tesseract = pytest.mark.skipif(
    not HAVE_TESSERACT,
    reason="Tesseract not installed (bash scripts/sysdeps.sh installs tesseract-ocr, "
    "tesseract-ocr-chi-sim, tesseract-ocr-rus)",
)

ZH = """GB 2762—2022
!title 食品安全国家标准 食品中污染物限量
# 1 范围
本标准规定了食品中污染物的限量指标。
# 4 指标要求
## 4.1 铅
4.1.1 谷物中铅的限量为0.2 mg/kg。
4.1.2 蔬菜中铅的限量为0.1 mg/kg。
!table ruled caption="表1 食品中铅限量指标"
| 食品类别 | 限量/(mg/kg) |
| 谷物 | 0.2 |
| 水果 | 0.1 |
!endtable
"""

EN = """# 1 Scope
This standard specifies maximum levels for contaminants in foods.
# 4 Requirements
## 4.1 Lead
4.1.1 The maximum level of lead in cereal grains shall be 0.2 mg/kg.
"""

RU = """# 1 Область применения
Настоящий стандарт устанавливает допустимые уровни содержания свинца в пищевых продуктах.
# 4 Требования
## 4.1 Свинец
4.1.1 Содержание свинца в зерне не должно превышать 0,2 мг/кг.
"""


def scan(src: Path, dst: Path, dpi: int = 200) -> Path:
    """An image-only copy of ``src``: every page rendered to grey pixels, no text layer."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(src))
    try:
        pages = [
            pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            for i in range(len(pdf))
        ]
    finally:
        pdf.close()
    pages[0].save(dst, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return dst


def scanned(tmp_path: Path, markup: str, name: str) -> Path:
    from corpora.pdfgen import render_markup

    return scan(render_markup(markup, tmp_path / f"{name}.pdf"), tmp_path / f"{name}-scan.pdf")


@pytest.fixture(scope="module")
def zh_scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scanned(tmp_path_factory.mktemp("ocr-zh"), ZH, "zh")


def test_a_scan_without_ocr_is_refused_as_before(zh_scan: Path) -> None:
    for bad_pages in ("error", "keep"):
        with pytest.raises(TextLayerError, match="scanned on page 1") as err:
            stdcompare.load(zh_scan, bad_pages=bad_pages)  # type: ignore[arg-type]
        assert "--ocr" in str(err.value) and "--skip-bad-pages" in str(err.value)
        assert err.value.pages == (1,)


@needs_tesseract
def test_chinese_scan_read_by_ocr(zh_scan: Path) -> None:
    doc = stdcompare.load(zh_scan, ocr=True)
    (h,) = doc.health
    assert h.status == "ocr" and h.ocr and h.readable and not h.ok
    assert "Tesseract" in h.detail and "chi_sim" in h.detail and "scanned page" in h.detail
    assert h.confidence is not None and h.confidence > 60
    assert doc.ocr_pages == (h,) and doc.unhealthy_pages == ()
    assert doc.language == "zh"
    assert doc.metadata.code == "GB 2762—2022"
    ids = [c.id for c in doc.clauses]
    assert {"1", "4", "4.1", "4.1.1", "4.1.2"} <= set(ids)
    assert doc.clause("4.1").heading == "铅"
    # no spaces between CJK characters
    assert "谷物中铅的限量为" in doc.clause("4.1.1").text
    # the ruled table is found from the ruling lines in the image
    assert len(doc.tables) == 1
    assert [r.cells for r in doc.tables[0].rows] == [("谷物", "0.2"), ("水果", "0.1")]
    limits = {
        (i.parameter, i.product, i.value, i.unit)
        for i in stdcompare.extract(doc)
        if i.clause_id == "4.1.1"
    }
    assert ("铅", "谷物", 0.2, "mg/kg") in limits
    # OCR'd pages stay marked through the JSON round trip; compare accepts the document
    again = Document.from_json(doc.to_json())
    assert again.health == doc.health and again.ocr_pages[0].confidence == h.confidence
    stdcompare.ingest.require_healthy(doc)


@needs_tesseract
@pytest.mark.parametrize(
    ("markup", "lang", "tess", "clause", "value", "unit"),
    [
        (EN, "en", "eng", "4.1.1", 0.2, "mg/kg"),
        (RU, "ru", "rus+eng", "4.1.1", 0.2, "mg/kg"),
    ],
    ids=["en", "ru"],
)
def test_english_and_russian_scans(
    tmp_path: Path, markup: str, lang: str, tess: str, clause: str, value: float, unit: str
) -> None:
    path = scanned(tmp_path, markup, lang)
    doc = stdcompare.load(path, ocr=True)
    assert doc.language == lang
    assert doc.health[0].status == "ocr" and f"({tess})" in doc.health[0].detail
    assert {"1", "4", "4.1", "4.1.1"} <= {c.id for c in doc.clauses}
    found = [(i.value, i.unit) for i in stdcompare.extract(doc) if i.clause_id == clause]
    assert (value, unit) in found or (value, "мг/кг") in found


@needs_tesseract
def test_only_bad_pages_are_read_by_ocr(tmp_path: Path) -> None:
    """A text page stays as it is; its language picks the OCR language of the scanned one."""
    import pikepdf

    from corpora.pdfgen import render_text

    text = render_text(
        "1 Scope\nThis standard specifies maximum levels of lead in foods and drinks.",
        tmp_path / "text.pdf",
    )
    scan_pdf = scanned(tmp_path, "# 2 Limits\n2.1 Lead in milk shall not exceed 0.02 mg/kg.", "s")
    both = tmp_path / "both.pdf"
    with pikepdf.open(text) as a, pikepdf.open(scan_pdf) as b:
        a.pages.extend(b.pages)
        a.save(both)
    doc = stdcompare.load(both, ocr=True)
    assert [h.status for h in doc.health] == ["ok", "ocr"]
    assert "(eng)" in doc.health[1].detail
    assert {"1", "2", "2.1"} <= {c.id for c in doc.clauses}


def test_missing_tesseract_says_what_to_install(
    zh_scan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stdcompare.cli.main import main

    monkeypatch.setattr(ocr_mod, "find_tesseract", lambda: None)
    with pytest.raises(OCRUnavailable, match="apt-get install tesseract-ocr"):
        stdcompare.load(zh_scan, ocr=True)
    result = CliRunner().invoke(main, ["inspect", str(zh_scan), "--ocr", "-q"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    assert (
        "apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-rus" in lines[0]
        and "'tesseract' program" in lines[0]
    )


def test_missing_language_data_names_the_package(
    zh_scan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr_mod, "find_tesseract", lambda: "/usr/bin/tesseract")
    monkeypatch.setattr(ocr_mod, "_probe", lambda _b: ("5.3", frozenset({"eng", "osd"})))
    with pytest.raises(OCRUnavailable, match="tesseract-ocr-chi-sim") as err:
        stdcompare.load(zh_scan, ocr=True, language="zh")
    assert err.value.package == "tesseract-ocr-chi-sim"


def test_ocr_is_not_needed_for_a_healthy_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corpora.pdfgen import render_text

    monkeypatch.setattr(ocr_mod, "find_tesseract", lambda: None)
    path = render_text("1 Scope\nThis standard applies to lead in food.", tmp_path / "t.pdf")
    doc = stdcompare.load(path, ocr=True)
    assert [h.status for h in doc.health] == ["ok"]


@needs_tesseract
def test_inspect_and_indicators_with_ocr(zh_scan: Path, tmp_path: Path) -> None:
    from stdcompare.cli.main import main

    runner = CliRunner()
    refused = runner.invoke(main, ["indicators", str(zh_scan)])
    assert refused.exit_code == 1 and "--ocr" in refused.output
    out = tmp_path / "inspect.json"
    result = runner.invoke(main, ["inspect", str(zh_scan), "--ocr", "-q", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "text recognised by OCR on page 1" in result.output
    assert "Tesseract" in result.output and "refuses" not in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["health"][0]["status"] == "ocr"
    assert data["health_summary"] == "ocr on page 1"


def test_manifest_takes_an_ocr_column(tmp_path: Path) -> None:
    from stdcompare.batch import read_manifest
    from stdcompare.errors import ManifestError

    m = tmp_path / "m.csv"
    m.write_text("name,a,b,ocr\np1,a.pdf,b.pdf,yes\np2,a.pdf,b.pdf,\n", encoding="utf-8")
    pairs = read_manifest(m).pairs
    assert [p.ocr for p in pairs] == [True, None]
    m.write_text("name,a,b,ocr\np1,a.pdf,b.pdf,maybe\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="ocr must be yes or no"):
        read_manifest(m)


def test_ruling_lines_are_found_in_an_image() -> None:
    import numpy as np

    img = np.full((400, 600), 255, dtype=np.uint8)
    img[100:102, 50:550] = 0  # a horizontal rule, 2 px thick
    img[50:350, 300:302] = 0  # a vertical rule
    img[200:240, 100:130] = 0  # a blob (text), neither
    edges = ocr_mod.rulings(img, 0.24, 0.24)
    kinds = sorted(e[4] for e in edges)
    assert kinds == ["h", "v"]
    h = next(e for e in edges if e[4] == "h")
    assert h[0] == pytest.approx(50 * 0.24) and h[2] == pytest.approx(550 * 0.24)
