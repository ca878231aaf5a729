"""TMX 1.4b export of aligned clause pairs, for translators compiling a foreign-language
edition of a standard.

One ``<tu>`` per clause pair, one ``<tuv xml:lang=…>`` per side with the clause text in
``<seg>``, and the clause number, page and alignment score as ``<prop>`` elements (user
properties start with ``x-`` as TMX requires). The header carries the attributes TMX 1.4b
requires: creationtool, creationtoolversion, segtype, o-tmf, adminlang, srclang, datatype.

Pairs that the aligner marked for review (low score or small margin) are left out unless
``include_review=True``: a translation memory should hold only pairs one can trust.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from .._io import atomic_write_bytes
from .._version import __version__
from ..model import Comparison

TMX_VERSION = "1.4"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Chinese national standards are written in simplified Chinese for mainland China.
DEFAULT_TAGS = {"zh": "zh-CN"}
# Characters XML 1.0 does not allow (C0 controls other than tab, LF, CR; surrogates; FFFE/FFFF).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def language_tag(language: str) -> str:
    """A BCP 47 tag for a document language code (``zh`` → ``zh-CN``)."""
    code = (language or "").strip()
    return DEFAULT_TAGS.get(code, code or "und")


def _clean(text: str | None) -> str:
    return _ILLEGAL_XML.sub("", text or "")


def build_tmx(
    comparison: Comparison,
    *,
    include_review: bool = False,
    min_score: float | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
    created: datetime | None = None,
) -> bytes:
    """The TMX document as UTF-8 bytes. ``source_lang``/``target_lang`` override the BCP 47
    tags of A and B (defaults: from the documents' languages, ``zh`` as ``zh-CN``)."""
    la = source_lang or language_tag(comparison.a.language)
    lb = target_lang or language_tag(comparison.b.language)
    when = (created or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    root = ET.Element("tmx", {"version": TMX_VERSION})
    header = ET.SubElement(
        root,
        "header",
        {
            "creationtool": "stdcompare",
            "creationtoolversion": __version__,
            "segtype": "paragraph",
            "o-tmf": "stdcompare comparison-v1",
            "adminlang": "en",
            "srclang": la,
            "datatype": "plaintext",
            "creationdate": when,
        },
    )
    for name, value in (
        ("x-source-document", comparison.a.code or comparison.a.source),
        ("x-target-document", comparison.b.code or comparison.b.source),
    ):
        prop = ET.SubElement(header, "prop", {"type": name})
        prop.text = _clean(value)
    body = ET.SubElement(root, "body")
    n = 0
    for pair in comparison.pair_list:
        if pair.review and not include_review:
            continue
        if min_score is not None and pair.score < min_score:
            continue
        if not pair.a_text.strip() or not pair.b_text.strip():
            continue
        n += 1
        tu = ET.SubElement(body, "tu", {"tuid": str(n), "creationdate": when})
        for ptype, value in (
            ("x-score", f"{pair.score:.4f}"),
            ("x-method", pair.method),
            ("x-review", "yes" if pair.review else "no"),
        ):
            ET.SubElement(tu, "prop", {"type": ptype}).text = value
        for lang, cid, page, text, strength in (
            (la, pair.a_id, pair.a_page, pair.a_text, pair.a_strength),
            (lb, pair.b_id, pair.b_page, pair.b_text, pair.b_strength),
        ):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
            ET.SubElement(tuv, "prop", {"type": "x-clause"}).text = _clean(cid)
            if page is not None:
                ET.SubElement(tuv, "prop", {"type": "x-page"}).text = str(page)
            if strength:
                ET.SubElement(tuv, "prop", {"type": "x-strength"}).text = strength
            ET.SubElement(tuv, "seg").text = _clean(text)
    ET.indent(root, space=" ")
    xml = ET.tostring(root, encoding="unicode")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n' + xml + "\n"
    ).encode("utf-8")


def write_tmx(comparison: Comparison, path: str | Path, **options: object) -> Path:
    """Write :func:`build_tmx` to ``path`` atomically."""
    return atomic_write_bytes(path, build_tmx(comparison, **options))  # type: ignore[arg-type]
