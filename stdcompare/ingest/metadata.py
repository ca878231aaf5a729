"""Document metadata: code, title, year, edition replaced, ICS, adoption statement."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Adoption, Metadata
from .pdf import Line

# Standard and regulation codes, most specific first. Each pattern has one group: the code.
CODE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"\b(GB(?:/[TZ])?\s*\d{1,5}(?:\.\d{1,3})*\s*[—–\-]{1,2}\s*(?:19|20)\d{2})",
        r"\b((?:[A-Z]{2,3}/T|[A-Z]{2})\s+\d{1,5}(?:\.\d{1,3})*\s*[—–\-]{1,2}\s*(?:19|20)\d{2})",
        r"((?:ТР|TP)\s*(?:ТС|ЕАЭС|TC)\s*\d{3}/\d{4})",
        r"(ГОСТ(?:\s+Р)?(?:\s+(?:ISO|ИСО|IEC|МЭК|EN))?\s*\d+(?:\.\d+)*\s*[—–\-]\s*\d{2,4})",
        r"((?:Commission\s+|Council\s+)?(?:Implementing\s+|Delegated\s+)?(?:Regulation|Directive|"
        r"Decision|REGULATION|DIRECTIVE|DECISION)\s*\((?:EU|EC|EEC|EU,\s*Euratom)\)\s*"
        r"(?:No\s*)?\d{2,4}/\d{1,4}(?:/[A-Z]+)?)",
        r"\b(CXS\s*\d+[A-Z]?\s*[-–]\s*\d{4}|CODEX\s+STAN\s+\d+[-–]\d{4}|CAC/[A-Z]+\s*\d+[-–]\d{4})",
        r"\b((?:EN\s+)?(?:ISO|IEC|ISO/IEC)(?:/TS|/TR)?\s+\d{1,5}(?:-\d{1,3})*(?::\d{4})?)",
        r"\b(EN\s+\d{2,5}(?:-\d{1,3})*(?::\d{4})?)",
        r"\b(\d{1,2}\s+CFR\s+(?:Part\s+)?\d+(?:\.\d+)?)",
    )
)
_REPLACES_CUE = re.compile(r"(代替|替代|replaces|supersedes|взамен|заменяет)\s*$", re.IGNORECASE)
_ICS = re.compile(
    r"\bICS\s*[:：]?\s*(\d{2}\.\d{3}(?:\.\d{2})?(?:\s*[;；,，]\s*\d{2}\.\d{3}(?:\.\d{2})?)*)"
)
_YEAR = re.compile(r"(?:19|20)\d{2}")
_DEGREE = (
    (re.compile(r"等同采用|identical (?:to|with)|\bIDT\b|идентичен", re.IGNORECASE), "IDT"),
    (
        re.compile(
            r"修改采用|modified (?:from|in relation to)|\bMOD\b|модифицирован", re.IGNORECASE
        ),
        "MOD",
    ),
    (re.compile(r"非等效采用|not equivalent|\bNEQ\b|неэквивалентен", re.IGNORECASE), "NEQ"),
)
_INTL = re.compile(
    r"((?:ISO|IEC|ISO/IEC|EN|CAC|CXS|OIML|ITU-T)\s*(?:/[A-Z]+\s*)?[\d.]+(?:-\d+)*(?::\d{4})?)"
)
_ISSUED = re.compile(r"((?:19|20)\d{2}\s*[-—–年.]\s*\d{1,2}\s*[-—–月.]\s*\d{1,2}日?)\s*(发布|实施)")


def clean_code(code: str) -> str:
    code = re.sub(r"\s+", " ", code.strip())
    code = re.sub(r"(?<=\d)\s*[—–]{1,2}\s*(?=\d{4})", "—", code)  # GB 5749 — 2022 -> GB 5749—2022
    return re.sub(r"^(GB(?:/[TZ])?)\s*(?=\d)", r"\1 ", code)


def find_codes(text: str) -> list[tuple[int, str]]:
    """All standard codes in ``text`` as (position, code), in document order, deduplicated."""
    found: dict[int, str] = {}
    taken: list[tuple[int, int]] = []
    for pat in CODE_PATTERNS:
        for m in pat.finditer(text):
            s, e = m.span(1)
            if any(s < te and e > ts for ts, te in taken):
                continue
            taken.append((s, e))
            found[s] = clean_code(m.group(1))
    return sorted(found.items())


def extract_metadata(cover: Sequence[Line], front_text: str, language: str) -> Metadata:
    """Metadata from the first page's lines (with font sizes) and the text of the first pages."""
    cover_text = "\n".join(ln.text for ln in cover)
    text = cover_text + "\n" + front_text
    code = None
    replaces: list[str] = []
    for pos, c in find_codes(text):
        before = text[max(0, pos - 12) : pos]
        if _REPLACES_CUE.search(before):
            if c not in replaces:
                replaces.append(c)
        elif code is None:
            code = c
    year = None
    if code:
        ys = _YEAR.findall(code)
        year = int(ys[-1]) if ys else None
    ics: tuple[str, ...] = ()
    m = _ICS.search(text)
    if m:
        ics = tuple(x.strip() for x in re.split(r"[;；,，]", m.group(1)) if x.strip())
    title, title_en = _titles(cover, code, language)
    issued = implemented = None
    for d, what in _ISSUED.findall(cover_text):
        d = re.sub(r"\s+", "", d)
        if what == "发布":
            issued = d
        else:
            implemented = d
    return Metadata(
        code=code,
        title=title,
        title_en=title_en,
        year=year,
        replaces=tuple(replaces),
        ics=ics,
        adoption=find_adoption(front_text + "\n" + cover_text, code),
        issued=issued,
        implemented=implemented,
    )


def find_adoption(text: str, own_code: str | None = None) -> Adoption | None:
    """The degree of correspondence and the international standard it names, if stated."""
    for pat, degree in _DEGREE:
        for m in pat.finditer(text):
            window = text[max(0, m.start() - 120) : m.end() + 160]
            sentence_start = max(window.rfind("。", 0, 120), window.rfind(". ", 0, 120)) + 1
            window = window[sentence_start:]
            std = _INTL.search(window)
            if std and (own_code is None or std.group(1) not in own_code):
                end = window.find("。", 0)
                sentence = window[: end + 1] if end >= 0 else window.split("\n")[0]
                return Adoption(degree=degree, standard=std.group(1).strip(), text=sentence.strip())
    return None


def _titles(
    cover: Sequence[Line], code: str | None, language: str
) -> tuple[str | None, str | None]:
    """Largest-font non-code lines of the cover: the title (and an English title for zh/ru)."""
    cands = []
    for ln in cover:
        t = ln.text.strip()
        if len(t) < 4 or (code and code.replace(" ", "") in t.replace(" ", "")):
            continue
        if find_codes(t) and len(t) < 30:
            continue
        if _ICS.search(t) or re.search(r"发布|实施|issued|published|Adopted in", t):
            continue
        cands.append(ln)
    if not cands:
        return None, None
    non_latin = [ln for ln in cands if re.search(r"[\u4e00-\u9fff\u0400-\u04ff]", ln.text)]
    latin = [ln for ln in cands if not re.search(r"[\u4e00-\u9fff\u0400-\u04ff]", ln.text)]
    primary = non_latin if (language in ("zh", "ru") and non_latin) else cands
    title = _biggest_block(primary)
    title_en = _biggest_block(latin) if language in ("zh", "ru") and latin else None
    return title, title_en


def _biggest_block(lines: Sequence[Line]) -> str | None:
    if not lines:
        return None
    size = max(ln.size for ln in lines)
    if size <= 0:  # plain text: no font sizes, the first candidate line is the title
        return lines[0].text.strip()
    block = [ln.text.strip() for ln in lines if abs(ln.size - size) < 0.5]
    sep = "" if re.search(r"[\u4e00-\u9fff]$", block[0]) else " "
    return sep.join(block[:3])
