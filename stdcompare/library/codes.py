"""Standard codes: the base code of a standard and the edition a code names.

``GB 5749—2006`` and ``GB 5749—2022`` are two editions of ``GB 5749``; ``ISO 6579-1:2017`` is
the 2017 edition of ``ISO 6579-1``; ``ГОСТ 2874-82`` is the 1982 edition of ``ГОСТ 2874``.
Codes whose year is part of the number (``Regulation (EU) 2023/915``, ``ТР ТС 013/2011``,
``21 CFR 165.110``) have no edition suffix: the whole code is the base.

:func:`code_key` folds the spellings people type — spaces, dash variants, full-width
characters, Latin look-alikes of Cyrillic letters (``TP TC`` for ``ТР ТС``), ``GOST`` for
``ГОСТ`` — into one lookup key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASH_RE = f"[{_DASHES}-]"

# "GB 5749—2022", "GB/T 20001.10-2014", "ГОСТ Р 52368—2005", "ГОСТ 2874-82", "CXS 193-1995",
# "NY/T 391—2021": a national-style number followed by a dash and a 4- or 2-digit year.
_NATIONAL = re.compile(
    rf"^(?P<base>.*?[A-Za-zА-Яа-яЁё/]\s*\d+(?:\.\d+)*)\s*{_DASH_RE}{{1,2}}\s*"
    r"(?P<year>(?:19|20)\d{2}|\d{2})(?P<rest>(?:\s*/\s*(?:XG|Amd|AMD|Изм)\S*.*)?)$"
)
# "ISO 6579-1:2017", "EN ISO 3696:1995", "IEC 60335-1:2010/AMD1:2013": the year after a colon.
_COLON = re.compile(r"^(?P<base>.*?\d[\w.-]*)\s*:\s*(?P<year>(?:19|20)\d{2})(?P<rest>.*)$")
# Codes whose year is part of the identifier: never split.
_NO_SPLIT = re.compile(
    r"\((?:EU|EC|EEC|EU,\s*Euratom)\)|CFR\b|(?:ТР|TP)\s*(?:ТС|ЕАЭС|TC|EAЭC)|\d{2,4}/\d{1,4}$",
    re.IGNORECASE,
)

# ISO/IEC/EN codes put the year after a colon; a dash there separates part numbers.
_INTERNATIONAL = re.compile(r"^(?:EN\s+|BS\s+|DIN\s+)?(?:ISO|IEC|EN|ITU)\b", re.IGNORECASE)

# Other spellings of one code, applied to the upper-case, space-free key: Codex's old and new
# prefixes; EU acts cited with or without their author and "No".
_ALIASES = (
    (re.compile(r"^CODEXSTAN"), "CXS"),
    (re.compile(r"^CAC/GL"), "CXG"),
    (re.compile(r"^CAC/RCP"), "CXC"),
    (re.compile(r"^CAC/MRL"), "CXM"),
    (
        re.compile(
            r"^(?:COMMISSION|COUNCIL|EUROPEANPARLIAMENTANDCOUNCIL)?(?:IMPLEMENTING|DELEGATED)?"
            r"(REGULATION|DIRECTIVE|DECISION)(\((?:EU|EC|EEC|EU,EURATOM)\))(?:NO\.?)?"
        ),
        r"\1\2",
    ),
)

# Cyrillic capitals that look like Latin ones (folded for lookups only).
_HOMOGLYPHS = str.maketrans("АВЕКМНОРСТХУ", "ABEKMHOPCTXY")


@dataclass(frozen=True)
class CodeParts:
    """A code split into the base code (display form) and the edition it names, if any."""

    code: str
    base: str
    edition: str | None

    @property
    def key(self) -> str:
        return code_key(self.base)


def _clean(code: str) -> str:
    text = unicodedata.normalize("NFKC", code)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^(GB(?:/[TZ])?)\s*(?=\d)", r"\1 ", text, flags=re.IGNORECASE)


def split_code(code: str) -> CodeParts:
    """Split ``code`` into base code and edition.

    >>> split_code("GB 5749—2022")
    CodeParts(code='GB 5749—2022', base='GB 5749', edition='2022')
    >>> split_code("ISO 6579-1:2017").edition
    '2017'
    >>> split_code("ГОСТ 2874-82").edition
    '1982'
    >>> split_code("Regulation (EU) 2023/915").edition is None
    True
    """
    text = _clean(code)
    if not _NO_SPLIT.search(text):
        m = _COLON.match(text)
        if m is None and not _INTERNATIONAL.match(text):
            m = _NATIONAL.match(text)
        if m is not None:
            year = m.group("year")
            if len(year) == 2:
                year = ("19" if int(year) >= 30 else "20") + year
            rest = re.sub(r"\s+", "", m.group("rest") or "")
            return CodeParts(code=text, base=m.group("base").strip(), edition=year + rest)
    return CodeParts(code=text, base=text, edition=None)


def code_key(code: str) -> str:
    """A lookup key: upper case, no spaces, one dash, Cyrillic look-alikes folded to Latin."""
    text = unicodedata.normalize("NFKC", code).upper()
    text = re.sub(_DASH_RE, "-", text)
    text = re.sub(r"\s+", "", text)
    text = text.replace("GOST", "ГОСТ").replace("ИСО", "ISO").replace("МЭК", "IEC")
    for old, new in _ALIASES:
        text = old.sub(new, text)
    return text.translate(_HOMOGLYPHS)


def edition_sort_key(edition: str | None) -> tuple[int, str]:
    """Order editions by their year (editions without a year sort first), then as text."""
    if not edition:
        return (0, "")
    m = re.match(r"\d{4}", edition)
    return (int(m.group(0)) if m else 0, edition)


__all__ = ["CodeParts", "code_key", "edition_sort_key", "split_code"]
