"""Document metadata: code, title, year, edition replaced, ICS, adoption statement.

The cover page is read with its typography: the code is the most prominent standard code
on it; the title is the most prominent block of lines that is not a banner, issuing body,
date or edition note (``stdcompare/data/cover_boilerplate.txt``); for Chinese and Russian
standards the most prominent Latin-script block is the English title. EU acts take their
title from the ``on …`` lines under the date. The adoption statement (degree IDT/MOD/NEQ,
等同采用/修改采用/非等效采用, идентичен/модифицирован/неэквивалентен, and the
international standard it names) is looked for on the cover and in the preface.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from ..model import Adoption, Metadata
from .raw import Line

# Standard and regulation codes, most specific first. Each pattern has one group: the code.
CODE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"\b(GB(?:/[TZ])?\s*\d{1,5}(?:\.\d{1,3})*\s*[—–\-]{1,2}\s*(?:19|20)\d{2})",
        r"\b((?:[A-Z]{2,3}/T|[A-Z]{2})\s+\d{1,5}(?:\.\d{1,3})*\s*[—–\-]{1,2}\s*(?:19|20)\d{2})",
        r"((?:ТР|TP)\s*(?:ТС|ЕАЭС|TC)\s*\d{3}/\d{4})",
        r"(ГОСТ(?:\s+Р)?(?:\s+(?:ISO|ИСО|IEC|МЭК|EN))?\s*\d+(?:\.\d+)*(?:\s*[—–\-]\s*\d{2,4})?)",
        r"((?i:(?:Commission\s+|Council\s+)?(?:Implementing\s+|Delegated\s+)?(?:Regulation|Directive|"
        r"Decision))\s*\((?:EU|EC|EEC|EU,\s*Euratom)\)\s*(?:No\s*)?\d{2,4}/\d{1,4}(?:/[A-Z]+)?)",
        r"((?i:(?:Commission\s+|Council\s+)?(?:Regulation|Directive|Decision))\s+(?:No\s*)?"
        r"\d{1,4}/\d{1,4}/(?:EC|EEC|EU))",
        r"\b(CXS\s*\d+[A-Z]?\s*[-–]\s*\d{4}|CODEX\s+STAN\s+\d+[-–]\d{4}|CAC/[A-Z]+\s*\d+[-–]\d{4})",
        r"\b((?:EN\s+)?(?:ISO|IEC|ISO/IEC)(?:/TS|/TR)?\s+\d{1,5}(?:-\d{1,3})*(?:\s?:\s?\d{4})?)",
        r"\b(EN\s+\d{2,5}(?:-\d{1,3})*(?::\d{4})?)",
        r"\b(\d{1,2}\s+CFR\s+(?:Part\s+)?\d+(?:\.\d+)?)",
    )
)
_REPLACES_CUE = re.compile(
    r"(代替|替代|replaces|supersedes|repealing|repeals|взамен|заменяет|отменяет)\b[^.。\n]{0,40}$",
    re.IGNORECASE,
)
_ICS = re.compile(
    r"\b(?:ICS|МКС|ОКС)\s*[:：]?\s*(\d{2}\.\d{3}(?:\.\d{2})?(?:\s*[;；,，]\s*\d{2}\.\d{3}(?:\.\d{2})?)*)"
)
_YEAR = re.compile(r"(?:19|20)\d{2}")
_EDITION_YEAR = re.compile(r"\b(?:edition|Издание)\b[^\n]{0,20}?((?:19|20)\d{2})", re.IGNORECASE)
_DEGREE = (
    (
        re.compile(
            r"等同采用|一致性程度为等同|identical (?:to|with)|идентичен|идентичный", re.IGNORECASE
        ),
        "IDT",
    ),
    (
        re.compile(
            r"修改采用|一致性程度为修改|modified (?:from|in relation to|with respect to)|модифицирован",
            re.IGNORECASE,
        ),
        "MOD",
    ),
    (
        re.compile(
            r"非等效采用|一致性程度为非等效|not equivalent|неэквивалентен|неэквивалентный",
            re.IGNORECASE,
        ),
        "NEQ",
    ),
)
_DEGREE_CODE = re.compile(r"\b(IDT|MOD|NEQ)\b")  # "(ISO 3696:1987, MOD)" on a cover
_INTL = re.compile(
    r"((?:ISO/IEC|ISO|IEC|EN|CAC|CXS|OIML|ITU-T|ASTM|ИСО|МЭК)\s*(?:/[A-Z]+\s*)?[A-Z]?\s?\d[\d.]*"
    r"(?:-\d+)*(?:\s?:\s?\d{4})?)"
)
_ISSUED = re.compile(r"((?:19|20)\d{2}\s*[-—–年.]\s*\d{1,2}\s*[-—–月.]\s*\d{1,2}日?)\s*(发布|实施)")
_EU_ACT = re.compile(r"(?i:regulation|directive|decision)")
_EU_DATE = re.compile(r"^of \d{1,2} [A-Z][a-z]+ \d{4}$")
_PRIMARY = {"zh": re.compile(r"[\u4e00-\u9fff]"), "ru": re.compile(r"[\u0400-\u04ff]")}
_NON_LATIN = re.compile(r"[\u3000-\u9fff\u0400-\u04ff]")


@lru_cache(maxsize=1)
def _boilerplate() -> tuple[re.Pattern[str], ...]:
    text = resources.files("stdcompare.data").joinpath("cover_boilerplate.txt").read_text("utf-8")
    return tuple(
        re.compile(ln.strip(), re.IGNORECASE)
        for ln in text.splitlines()
        if ln.strip() and not ln.startswith("#")
    )


def clean_code(code: str) -> str:
    code = re.sub(r"\s+", " ", code.strip())
    code = (
        re.sub(r"(?<=\d)\s*[—–]{1,2}\s*(?=\d{4})", "—", code)
        if code.startswith(("GB", "DB"))
        else code
    )
    code = re.sub(r"(?<=\d) ?: ?(?=\d{4}\b)", ":", code)  # ISO 3696 : 1987 -> ISO 3696:1987
    code = re.sub(r"^(GB(?:/[TZ])?)\s*(?=\d)", r"\1 ", code)
    m = re.match(
        r"(?i)((?:commission |council )?(?:implementing |delegated )?)(regulation|directive|decision)\b",
        code,
    )
    if m:  # EU acts as cited: "Commission Regulation (EU) 2023/915"
        code = m.group(1).title() + m.group(2).title() + code[m.end() :]
    return code


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
    code = _cover_code(cover) or next((c for _, c in find_codes(text)), None)
    replaces: list[str] = []
    for pos, c in find_codes(text):
        if _REPLACES_CUE.search(text[max(0, pos - 60) : pos]) and c != code and c not in replaces:
            replaces.append(c)
    code = _with_year(code, text)
    year = None
    if code:
        ys = _YEAR.findall(code.split(":")[-1] if ":" in code else code)
        year = int(ys[-1]) if ys else None
    if year is None:
        m = _EDITION_YEAR.search(cover_text)
        year = int(m.group(1)) if m else None
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
        adoption=find_adoption(cover_text + "\n" + front_text, code),
        issued=issued,
        implemented=implemented,
    )


def _cover_code(cover: Sequence[Line]) -> str | None:
    """The code printed most prominently on the cover (largest, then bold, then first)."""
    best: tuple[float, bool, int, str] | None = None
    for i, ln in enumerate(cover):
        if _REPLACES_CUE.search(ln.text[:12] + "  "):
            continue
        codes = find_codes(ln.text)
        if not codes:
            continue
        key = (ln.size, ln.bold, -i, codes[0][1])
        if best is None or key[:3] > best[:3]:
            best = key
    return best[3] if best else None


def _with_year(code: str | None, text: str) -> str | None:
    """``ISO 3696`` printed without its year gets it from ``ISO 3696:1987`` elsewhere."""
    if not code or _YEAR.search(code) or not re.match(r"(?:EN |ISO|IEC)", code):
        return code
    m = re.search(re.escape(code) + r"\s?:\s?((?:19|20)\d{2})", text)
    return f"{code}:{m.group(1)}" if m else code


def find_adoption(text: str, own_code: str | None = None) -> Adoption | None:
    """The degree of correspondence and the international standard it names, if stated.

    Every statement found is a candidate; a sentence (the preface's "本文件修改采用…",
    "Настоящий стандарт модифицирован…") is preferred over a bare cover note "(ISO …, MOD)".
    """
    own = re.sub(r"\W", "", own_code or "")
    matches = [(m, degree) for pat, degree in _DEGREE for m in pat.finditer(text)]
    matches.sort(key=lambda md: md[0].start())
    bare = [(m, m.group(1)) for m in _DEGREE_CODE.finditer(text)]
    for group in (matches, bare):
        for m, degree in group:
            if group is bare:
                sentence = _bare_statement(text, m.start(), m.end())
                sources = [sentence]
            else:
                sentence = _sentence(text, m.start(), m.end())
                sources = [sentence, text[max(0, m.start() - 120) : m.end() + 160]]
            for source in sources:
                for x in _INTL.finditer(source):
                    if own and re.sub(r"\W", "", x.group(1)) == own:
                        continue
                    std = clean_code(re.sub(r"\s+", " ", x.group(1)).strip())
                    return Adoption(degree, std, _one_line(sentence))
    return None


def _bare_statement(text: str, s: int, e: int) -> str:
    """The bracketed cover note around a bare degree ("(ISO 3696:1987，MOD)"), else its
    line, else the 120 characters before it up to the degree."""
    ls = text.rfind("\n", 0, s) + 1
    le = text.find("\n", e)
    line_end = le if le >= 0 else len(text)
    opening = max(text.rfind("(", ls, s), text.rfind("（", ls, s))
    if opening >= 0:
        close = min(
            (i for i in (text.find(")", e, line_end), text.find("）", e, line_end)) if i >= 0),
            default=-1,
        )
        if close >= 0:
            return text[opening : close + 1].strip()
    if line_end - ls <= 200:
        return text[ls:line_end].strip()
    return text[max(ls, s - 120) : e].strip()


def _sentence(text: str, s: int, e: int) -> str:
    """The sentence around text[s:e]: from the last sentence end (at most back to the start
    of the line, or of the line before when this one continues it in lower case) to the next
    sentence end (at most to the end of the next line)."""
    line_start = text.rfind("\n", 0, s) + 1
    floor = line_start
    if line_start > 0 and text[line_start : line_start + 1].islower():
        floor = text.rfind("\n", 0, line_start - 1) + 1
    starts = [floor]
    for mark in ("。", ". "):
        i = text.rfind(mark, floor, s)
        if i >= 0:
            starts.append(i + len(mark))
    start = max(starts)
    ends = [i + 1 for i in (text.find("。", e), text.find(". ", e)) if i >= 0]
    nl = text.find("\n", e)
    next_nl = text.find("\n", nl + 1) if nl >= 0 else -1
    end = min([*ends, next_nl if next_nl >= 0 else len(text)])
    # text without sentence ends or line breaks (a cover read as one line): the words near
    # the statement, not the whole page
    start = max(start, _word_start(text, s - SENTENCE_REACH))
    subjects = list(_SUBJECT.finditer(text, start, s))
    if subjects:
        start = subjects[-1].start()  # "本标准修改采用…", "This document is identical to …"
    end = min(end, _word_end(text, e + SENTENCE_REACH))
    return text[start:end].strip()


_SUBJECT = re.compile(
    r"本(?:标准|文件|部分)|\bThis\s+(?:International\s+|European\s+)?(?:Standard|document|part)\b"
    r"|Настоящ(?:ий|ая|ее)\s+(?:стандарт|документ|часть)",
    re.IGNORECASE,
)


SENTENCE_REACH = 160  # characters a statement may run before and after its degree words


def _word_start(text: str, i: int) -> int:
    if i <= 0:
        return 0
    j = text.find(" ", i)
    return j + 1 if 0 <= j < i + 20 else i


def _word_end(text: str, i: int) -> int:
    if i >= len(text):
        return len(text)
    j = text.rfind(" ", i - 20, i)
    return j if j > 0 else i


def _one_line(text: str) -> str:
    from .text import join_lines

    return join_lines(text.split("\n"))


def _is_boilerplate(text: str, code: str | None) -> bool:
    t = text.strip()
    if len(t) < 2:
        return True
    if any(p.fullmatch(t) for p in _boilerplate()):
        return True
    codes = find_codes(t)
    if codes:
        rest = t
        for _, c in codes:
            rest = rest.replace(c, "")
        rest = re.sub(r"代替|替代|replaces|supersedes|взамен", "", rest, flags=re.IGNORECASE)
        rest = re.sub(r"[\s—–\-:()（）,，]", "", rest)
        if len(rest) <= 4:
            return True  # a code line ("GB 5749—2022", "代替 GB 5749—2006", "(EN 590:2009)")
    return bool(code and re.sub(r"\s", "", code) == re.sub(r"\s", "", t))


def _titles(
    cover: Sequence[Line], code: str | None, language: str
) -> tuple[str | None, str | None]:
    """The title (and, for Chinese and Russian standards, the English title)."""
    cover = _before_body(cover)
    if code and _EU_ACT.search(code):
        eu = _eu_title(cover)
        if eu:
            return eu, None
    cands = [ln for ln in cover if not _is_boilerplate(ln.text, code)]
    if not cands:
        return None, None
    primary = _PRIMARY.get(language)
    if primary is not None:
        native = [ln for ln in cands if primary.search(ln.text)]
        latin = [
            ln
            for ln in cands
            if not _NON_LATIN.search(ln.text) and re.search("[A-Za-z]{3}", ln.text)
        ]
        title = _block(native) or _block(cands)
        return title, _block(latin)
    return _block(cands), None


_BODY_START = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\s+\S.{0,60}$|(?:Статья|Article|ARTICLE)\s+\d|第.{1,4}条|前\s*言$|"
    r"Foreword$|Предисловие$|Введение$|Introduction$|Whereas:?$)"
)


def _before_body(cover: Sequence[Line]) -> list[Line]:
    """Cover lines before the first clause heading or preface (a one-page excerpt has both)."""
    out: list[Line] = []
    for ln in sorted(cover, key=lambda ln: ln.top):
        if _BODY_START.match(ln.text.strip()) and out:
            break
        out.append(ln)
    return out


def _eu_title(cover: Sequence[Line]) -> str | None:
    """``on …`` lines under the date line of an EU act, up to ``(Text with EEA relevance)``."""
    for i, ln in enumerate(cover):
        if _EU_DATE.match(ln.text.strip()):
            parts: list[str] = []
            for nxt in cover[i + 1 : i + 6]:
                t = nxt.text.strip()
                if not parts and not t.lower().startswith(
                    ("on ", "laying down", "amending", "concerning")
                ):
                    break
                if t.startswith("(Text with") or t.isupper():
                    break
                parts.append(t)
            if parts:
                return " ".join(parts)
    return None


def _block(lines: Sequence[Line]) -> str | None:
    """The most prominent run of adjacent lines: largest size, then bold, then first."""
    if not lines:
        return None
    ordered = sorted(lines, key=lambda ln: ln.top)
    best = max(ordered, key=lambda ln: (round(ln.size, 1), ln.bold, -ln.top))
    if best.size <= 0:  # plain text: no font sizes, the first candidate line is the title
        return ordered[0].text.strip()
    i = ordered.index(best)
    block = [best]
    for nxt in ordered[i + 1 :]:
        prev = block[-1]
        height = max(prev.bottom - prev.top, prev.size, 1.0)
        if nxt.top - prev.bottom > 1.6 * height or len(block) >= 4:
            break
        same = abs(nxt.size - best.size) <= 0.3
        # one subtitle line in a smaller size may follow a one-line title
        if not same and not (len(block) == 1 and nxt.size >= 0.85 * best.size):
            break
        block.append(nxt)
        if not same:
            break
    texts = [ln.text.strip() for ln in block]
    out = texts[0]
    for t in texts[1:]:
        wrapped = not _NON_LATIN.search(t[:1]) and t[:1].islower()
        out += (" " if not wrapped or not out.endswith("-") else "") + t
    return re.sub(r"\s+", " ", out)
