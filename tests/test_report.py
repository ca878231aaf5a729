"""HTML report: self-contained, escaped, strict CSP, exporter view, highlighted clauses;
the exporter profile and its LEI check; the notebook summary."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_sample import EVIL, sample_comparison

from stdcompare import ClausePair, Comparison, DocumentInfo, Gap, Indicator
from stdcompare.errors import InvalidLEI, StdCompareError
from stdcompare.lei import is_valid_lei, lei_check_digits, validate_lei
from stdcompare.report.highlight import highlight
from stdcompare.report.html import exporter_view, render_html

# LEIs of real legal entities as published in the GLEIF index (any valid code would do).
VALID_LEIS = ("5493001KJTIIGC8Y1R12", "HWUPKR0MPOU8FGXBT394", "7LTWFZYICNSX8D621K86")


def _cmp(evil: str) -> Comparison:
    a = Indicator("铅", "<=", 0.5, unit="mg/kg", product=evil, text=evil, clause_id="4.1", page=3)
    b = Indicator("Lead", "<=", 0.3, unit="mg/kg", product="fish", clause_id="3.1.5", page=2)
    return Comparison(
        a=DocumentInfo("a.pdf", "GB 2762—2022", evil, "zh", 3),
        b=DocumentInfo("b.pdf", "EU 2023/915", "Contaminants", "en", 30),
        pair_list=(ClausePair("4.1", "3.1", evil, "Lead 0.3", 0.8, a_page=3, b_page=2),),
        gap_list=(
            Gap("lead", "b_stricter", a, b, 1.67, 0.9, "B lower", stricter_by=1.67),
            Gap("tin", "only_b", None, b, reason="no counterpart in A"),
        ),
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    p = _Tags()
    p.feed(html)
    return p.tags


def test_document_text_is_escaped() -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    html = _cmp(evil).to_html()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert "<img src=x" not in html


def test_every_document_field_is_escaped_in_the_full_report() -> None:
    html = sample_comparison().to_html(company=EVIL)
    tags = _tags(html)
    assert [t for t, _ in tags].count("script") == 1  # only the report's own script
    assert not [t for t, _ in tags if t == "img"]
    assert not any(k.startswith("on") for _, attrs in tags for k in attrs)
    assert html.count("&lt;script&gt;window.pwned=1&lt;/script&gt;") >= 4


def test_self_contained_with_csp(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    html = _cmp("鱼类").to_html(out)
    assert out.read_text(encoding="utf-8") == html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp
    policy = unescape(csp.group(1))  # the browser unescapes attribute values too
    assert "default-src 'none'" in policy and "script-src 'sha256-" in policy
    assert "unsafe-inline" not in policy
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html)
    # exporter view lists what B demands beyond A first
    exporter = html[html.index('id="exporter"') : html.index('id="gap-table"')]
    assert "Stricter in B" in exporter and "Only in B" in exporter


def test_csp_hashes_match_the_inline_style_and_script() -> None:
    import base64
    import hashlib

    html = sample_comparison().to_html()
    policy = unescape(re.search(r'Content-Security-Policy" content="([^"]+)"', html).group(1))  # type: ignore[union-attr]
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)  # type: ignore[union-attr]
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)  # type: ignore[union-attr]
    for body, directive in ((style, "style-src"), (script, "script-src")):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in policy


def test_summary_documents_and_chart() -> None:
    c = sample_comparison()
    html = c.to_html()
    docs = html[html.index('id="documents"') : html.index('id="summary"')]
    for text in (
        "GB 5749—2022",
        "Directive (EU) 2020/2184",
        "2022; replaces GB 5749—2006",
        "Chinese · 12",
        "English · 9",
        "target market",
        "domestic",
    ):
        assert text in docs
    summary = html[html.index('id="summary"') : html.index('id="exporter"')]
    assert "<svg" in summary
    counts = c.summary
    for verdict, n in counts.items():
        assert f'data-verdict="{verdict}"><b>{n}</b>' in summary
    # bar widths follow the counts (longest bar = the largest count)
    widths = {
        m.group(2): float(m.group(1))
        for m in re.finditer(r'width="([\d.]+)" height="20" rx="2" class="v-(\w+)"', summary)
    }
    top = max(counts, key=lambda k: counts[k])
    assert widths[top] == 360.0
    assert all(widths[k] == 0 for k, n in counts.items() if n == 0)


def test_exporter_view_puts_foreign_stricter_and_foreign_only_first() -> None:
    c = sample_comparison()
    view = exporter_view(c)
    assert view.foreign == "b"
    assert [g.parameter for g in view.stricter] == ["lead"]  # arsenic 0.01 mg/L = 10 µg/l
    assert [g.parameter for g in view.only_foreign] == ["uranium"]
    assert [g.parameter for g in view.unclear] == ["nitrate"]
    assert view.fine == sum(1 for g in c.gap_list if g.verdict in ("equal", "a_stricter"))
    # the foreign requirement that the domestic side only permits/recommends
    assert {p.b_id for p in view.mandatory} == {"Article 7", "Article 9"}
    html = c.to_html()
    ex = html[html.index('id="exporter"') : html.index('id="gap-table"')]
    assert ex.index("Stricter in B") < ex.index("Only in B") < ex.index("Check by hand")
    assert "2×" in ex and "&lt;= 0.005 mg/L" in ex  # stricter by, B restated in A's unit


def test_exporter_view_follows_the_foreign_document() -> None:
    c = sample_comparison()
    swapped = Comparison(
        a=c.b,
        b=c.a,
        pair_list=c.pair_list,
        gap_list=tuple(
            Gap(
                g.parameter,
                {
                    "a_stricter": "b_stricter",
                    "b_stricter": "a_stricter",
                    "only_a": "only_b",
                    "only_b": "only_a",
                }.get(g.verdict, g.verdict),
                g.b,
                g.a,
                reason=g.reason,
                stricter_by=g.stricter_by,
            )
            for g in c.gap_list
        ),
    )
    view = exporter_view(swapped)
    assert view.foreign == "a"  # A is the only non-Chinese document
    assert [g.parameter for g in view.only_foreign] == ["uranium"]
    assert [g.parameter for g in view.stricter] == ["lead"]
    assert "Stricter in A" in swapped.to_html()
    assert exporter_view(swapped, "b").foreign == "b"
    with pytest.raises(StdCompareError):
        exporter_view(swapped, "c")


def test_aligned_clauses_mark_differing_numbers_and_flags() -> None:
    html = sample_comparison().to_html()
    clauses = html[html.index('id="clauses"') :]
    # 0.01 mg/L (A) equals 5 µg/l? no: 0.005 mg/L, so both numbers differ and are marked
    assert '<mark class="diff" title="not in the other clause">0.01</mark>' in clauses
    assert '<mark class="diff" title="not in the other clause">5</mark>' in clauses
    assert 'class="review ' in clauses and "strength differs" in clauses
    assert "p.3" in clauses and "p.2" in clauses  # page references
    assert '<span class="modal m-requirement" title="requirement">shall</span>' in clauses


def test_highlight_escapes_before_marking() -> None:
    out = str(highlight("<b>10</b> &#39; 5 µg/l", "0,005 mg/l", "en", "en"))
    assert "<b>" not in out and "&lt;b&gt;" in out
    assert '<mark class="diff" title="not in the other clause">10</mark>' in out
    assert "5 µg/l" in out and ">5<" not in out  # 5 µg/l is 0,005 mg/l: not marked
    assert "&amp;#" in out  # the ampersand of the document text is escaped, once
    # numbers that name a table or a clause are not quantities
    assert "<mark" not in str(highlight("应符合表1的要求", "Table 2", "zh", "en"))


def test_profile_and_lei_on_the_report() -> None:
    html = sample_comparison().to_html(
        company="ACME Foods Co., Ltd.", lei="hwup kr0m pou8 fgxb t394"
    )
    assert "ACME Foods Co., Ltd." in html and "HWUPKR0MPOU8FGXBT394" in html
    # from meta, as the CLI stores it
    c = sample_comparison(meta={"exporter": {"company": "Meta Co", "lei": VALID_LEIS[0]}})
    assert "Meta Co" in c.to_html() and VALID_LEIS[0] in c.to_html()
    with pytest.raises(InvalidLEI):
        sample_comparison().to_html(company="X", lei="HWUPKR0MPOU8FGXBT395")


@pytest.mark.parametrize("lei", VALID_LEIS)
def test_valid_leis(lei: str) -> None:
    assert validate_lei(lei) == lei
    assert lei_check_digits(lei[:18]) == lei[18:]


@pytest.mark.parametrize(
    ("lei", "words"),
    [
        ("HWUPKR0MPOU8FGXBT395", "check digits"),  # last digit changed
        ("HWUPKR0MPOU8FGXTB394", "check digits"),  # two characters swapped
        ("HWUPKR0MPOU8FGXBT39", "20"),
        ("HWUPKR0MPOU8FGXBT3945", "20"),
        ("HWUPKR0MPOU8FGXBT3A4", "malformed"),  # check digits must be digits
        ("HWUPKR0MPOU8FGXBT_94", "malformed"),
        ("", "20"),
    ],
)
def test_invalid_leis_say_why(lei: str, words: str) -> None:
    with pytest.raises(InvalidLEI) as err:
        validate_lei(lei)
    assert words in str(err.value)
    assert isinstance(err.value, ValueError) and not is_valid_lei(lei)


def test_every_same_kind_substitution_is_caught() -> None:
    """MOD 97-10 catches every digit-for-digit and letter-for-letter substitution."""
    lei = VALID_LEIS[1]
    digits, letters = "0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    tried = 0
    for i, old in enumerate(lei):
        for ch in digits if old.isdigit() else letters:
            if ch != old:
                bad = lei[:i] + ch + lei[i + 1 :]
                assert not is_valid_lei(bad), bad
                tried += 1
    assert tried > 300


def test_notebook_summary() -> None:
    c = sample_comparison()
    html = c._repr_html_()
    assert "GB 5749—2022" in html and "Directive (EU) 2020/2184" in html
    assert "<svg" in html and "B stricter" in html
    assert "1 stricter there, 1 only there, 1 to check by hand" in html
    assert "<script>window" not in html
    gaps = c.gaps
    assert len(gaps) == len(c.gap_list)
    assert {"stricter_by", "b_as_a", "conversion"} <= set(gaps.columns)
    assert gaps.loc[gaps.parameter == "lead", "stricter_by"].item() == pytest.approx(2.0)
    pairs = c.clause_pairs
    assert {"a_strength", "b_strength", "strength_mismatch"} <= set(pairs.columns)
    assert pairs.strength_mismatch.sum() == 2


def test_report_renders_an_old_comparison_json() -> None:
    """A comparison-v1 file written before the strength/stricter_by keys still renders."""
    data = sample_comparison().to_dict()
    for p in data["clause_pairs"]:
        for k in ("a_strength", "b_strength", "strength_mismatch"):
            p.pop(k)
    for g in data["gaps"]:
        for k in ("stricter_by", "b_as_a", "conversion"):
            g.pop(k)
    html = render_html(Comparison.from_dict(data))
    assert "Exporter view" in html


def test_empty_comparison_renders_everywhere(tmp_path: Path) -> None:
    c = Comparison(
        DocumentInfo("a.pdf", None, None, "zh", 1), DocumentInfo("b.pdf", None, None, "en", 1)
    )
    html = c.to_html()
    assert "No indicator is stricter in B" in html and "(no code found)" in html
    assert 'width="0" height="20"' in html  # empty bars
    assert "0 indicator gaps" in html
    c.to_xlsx(tmp_path / "e.xlsx")
    c.to_csv(tmp_path / "e.csv")
    assert b"<body" in c.to_tmx()
    assert "0 clause pairs, 0 indicator gaps" in c._repr_html_()


def test_limits_from_pages_read_by_ocr_are_marked() -> None:
    """A page without a text layer, read by Tesseract, is named on the document card, and
    every limit taken from it carries an OCR mark (check it against the original)."""
    plain = render_html(sample_comparison())
    assert 'class="ocr"' not in plain and "Read by OCR" not in plain
    html = render_html(sample_comparison(meta={"ocr_pages": {"a": [3], "b": []}}))
    assert "Read by OCR" in html and "page 3: no text layer" in html
    # the GB limits sit on page 3 (A), the EU ones on page 5 (B): only A's cells are marked
    marks = re.findall(r'4\.1 · p\.3 <span class="ocr"', html)
    assert len(marks) >= 6  # gap table rows and exporter-view rows of A's limits
    assert not re.search(r'ANNEX I Part B · p\.5 <span class="ocr"', html)
