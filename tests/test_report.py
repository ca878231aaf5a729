"""HTML report: self-contained, escaped, with a strict Content-Security-Policy."""

from __future__ import annotations

import re
from html import unescape

from stdcompare import ClausePair, Comparison, DocumentInfo, Gap, Indicator


def _cmp(evil: str) -> Comparison:
    a = Indicator("铅", "<=", 0.5, unit="mg/kg", product=evil, text=evil, clause_id="4.1", page=3)
    b = Indicator("Lead", "<=", 0.3, unit="mg/kg", product="fish", clause_id="3.1.5", page=2)
    return Comparison(
        a=DocumentInfo("a.pdf", "GB 2762—2022", evil, "zh", 3),
        b=DocumentInfo("b.pdf", "EU 2023/915", "Contaminants", "en", 30),
        pair_list=(ClausePair("4.1", "3.1", evil, "Lead 0.3", 0.8, a_page=3, b_page=2),),
        gap_list=(Gap("lead", "b_stricter", a, b, 1.67, 0.9, "B lower"),
                  Gap("tin", "only_b", None, b, reason="no counterpart in A")),
    )


def test_document_text_is_escaped() -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    html = _cmp(evil).to_html()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert "<img src=x" not in html


def test_self_contained_with_csp(tmp_path) -> None:  # type: ignore[no-untyped-def]
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
    exporter = html[html.index('id="exporter"'):html.index('id="gap-table"')]
    assert "B stricter" in exporter and "only in B" in exporter
