"""Clause segmentation: headings found by their numbering, assembled into a tree.

Numbering families: decimal clauses (``4.1.2``, GB/ISO/IEC/EN/Codex/GOST), annexes
(``附录A``, ``Annex A``, ``ANNEX I``, ``Приложение 3``) and their clauses (``A.1``), articles
(``Article 3``, ``Статья 7``), sections and parts, and named front matter (``前言``,
``Foreword``, ``Предисловие``). A decimal number only opens a clause when it is a plausible
successor of the previous number, so values such as ``0.5 mg/kg`` at a line start are not
mistaken for clause numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Clause
from ..textutil import join_lines

_NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,3}){0,5})(?:\.(?=\s))?\s+(?P<rest>\S.*)$")
_ANNEX_CLAUSE = re.compile(r"^(?P<num>[A-Z]\.\d{1,3}(?:\.\d{1,3}){0,4})\s+(?P<rest>\S.*)$")
_ANNEX = re.compile(
    r"^(?P<id>附\s*录\s*[A-Z]|(?:Annex|ANNEX|Appendix|APPENDIX)\s+(?:[A-Z]|[IVXLC]+|\d+)\b"
    r"|Приложение\s*(?:№\s*)?(?:\d+|[А-ЯA-Z])\b)[\s.:：—–-]*(?P<rest>.*)$"
)
_ARTICLE = re.compile(
    r"^(?P<id>(?:Article|ARTICLE)\s+\d+[a-z]?|Статья\s+\d+|第[一二三四五六七八九十百零]+条)"
    r"[\s.:：—–-]*(?P<rest>.*)$"
)
_SECTION = re.compile(
    r"^(?P<id>(?:Section|SECTION|Part|PART|Chapter|CHAPTER|Раздел|Глава|Часть)\s+"
    r"(?:\d+|[IVXLC]+|[A-Z])\b|第[一二三四五六七八九十]+[章节])[\s.:：—–-]*(?P<rest>.*)$"
)
_NAMED = {
    "前言": "front",
    "引言": "front",
    "目次": "toc",
    "目录": "toc",
    "foreword": "front",
    "introduction": "front",
    "preamble": "front",
    "preface": "front",
    "contents": "toc",
    "table of contents": "toc",
    "предисловие": "front",
    "введение": "front",
    "содержание": "toc",
}
_UNIT_START = re.compile(
    r"^(?:mg|µg|μg|ng|g|kg|ml|mL|l|L|%|‰|°|℃|ppm|ppb|cfu|CFU|MPN|mm|cm|m|kPa|MPa|Pa|NTU|"
    r"мг|мкг|г|кг|мл|л|дм|КОЕ|мм|°С|×|x|\*|±|~|～|-|–|—|/|\))(?:\b|\s|/|$)"
)
_SENTENCE_END = re.compile(r"[。；;.!?！？:：]$")


@dataclass
class _Open:
    id: str
    heading: str
    page: int
    top: float
    parent: str | None
    level: int
    kind: str
    lines: list[str] = field(default_factory=list)
    end_page: int = 0


@dataclass(frozen=True)
class HeadingPosition:
    """Where a clause starts: used to attach tables to the clause they sit in."""

    clause_id: str
    page: int
    top: float


def _plausible_successor(prev: tuple[int, ...] | None, cand: tuple[int, ...]) -> bool:
    if any(n > 199 for n in cand):
        return False
    if prev is None:
        return True
    if cand == (*prev, 1):
        return True
    for k in range(len(prev)):
        base = prev[:k]
        step = cand[len(base)] - prev[k] if len(cand) > k else 0
        if len(cand) == k + 1 and cand[:k] == base and 1 <= step <= 3:
            return True
    # first child of a later sibling: 4.1 -> 5.1 (a heading line may have been lost)
    return len(cand) >= 2 and cand[:-1] > prev[: len(cand) - 1] and cand[-1] == 1


def _is_heading_text(rest: str, language: str) -> bool:
    rest = rest.strip()
    if not rest or _UNIT_START.match(rest):
        return False
    first = rest[0]
    return first.isalpha() or first in '（(«"“['


def _split_heading(rest: str, language: str) -> tuple[str, str]:
    """Split the text after a number into (heading, body) when the line carries both."""
    rest = rest.strip()
    limit = 30 if language == "zh" else 90
    if len(rest) <= limit and not _SENTENCE_END.search(rest):
        return rest, ""
    return "", rest


class Segmenter:
    """Turns body lines (page, top, text) into clauses; one instance per document."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.clauses: list[_Open] = []
        self.positions: list[HeadingPosition] = []
        self.prev_num: tuple[int, ...] | None = None
        self.container: _Open | None = None  # current annex/article/section
        self.current: _Open | None = None
        self.ids: set[str] = set()

    # -- public ---------------------------------------------------------------------------------

    def feed(self, page: int, top: float, text: str) -> None:
        if not self._try_heading(page, top, text):
            if self.current is None:
                self._open("front", "", page, top, None, 0, "front")
            assert self.current is not None
            self.current.lines.append(text)
            self.current.end_page = page

    def result(self) -> tuple[tuple[Clause, ...], tuple[HeadingPosition, ...]]:
        out = []
        for c in self.clauses:
            out.append(
                Clause(
                    id=c.id,
                    heading=c.heading,
                    text=_paragraphs(c.lines),
                    page=c.page,
                    end_page=max(c.end_page, c.page),
                    parent=c.parent,
                    level=c.level,
                    kind=c.kind,
                )
            )
        return tuple(out), tuple(self.positions)

    # -- headings -------------------------------------------------------------------------------

    def _try_heading(self, page: int, top: float, text: str) -> bool:
        s = text.strip()
        low = s.lower().rstrip(":：")
        compact = re.sub(r"\s+", "", low)
        if compact in _NAMED and len(s) <= 40:
            kind = _NAMED[compact]
            self._open_container(
                s.replace(" ", "") if self.language == "zh" else s, "", page, top, kind
            )
            return True
        m = _ANNEX.match(s)
        if m and (not m.group("rest") or _is_heading_text(m.group("rest"), self.language)):
            cid = (
                re.sub(r"\s+", "", m.group("id"))
                if m.group("id").startswith("附")
                else (re.sub(r"\s+", " ", m.group("id")))
            )
            self._open_container(cid, m.group("rest").strip(), page, top, "annex")
            return True
        m = _ARTICLE.match(s)
        if m and (not m.group("rest") or _is_heading_text(m.group("rest"), self.language)):
            head, body = _split_heading(m.group("rest"), self.language)
            self._open_container(re.sub(r"\s+", " ", m.group("id")), head, page, top, "article")
            if body:
                assert self.current is not None
                self.current.lines.append(body)
            return True
        m = _SECTION.match(s)
        if m and len(s) <= 120 and (not m.group("rest") or _is_heading_text(m.group("rest"), "")):
            self._open_container(
                re.sub(r"\s+", " ", m.group("id")), m.group("rest").strip(), page, top, "section"
            )
            return True
        m = _ANNEX_CLAUSE.match(s)
        in_annex = self.container is not None and self.container.kind == "annex"
        if m and in_annex and _is_heading_text(m.group("rest"), self.language):
            self._numbered(m.group("num"), m.group("rest"), page, top, annex=True)
            return True
        m = _NUMBERED.match(s)
        if m and _is_heading_text(m.group("rest"), self.language):
            num = tuple(int(x) for x in m.group("num").split("."))
            if _plausible_successor(self.prev_num, num):
                self.prev_num = num
                self._numbered(m.group("num"), m.group("rest"), page, top, annex=False)
                return True
        return False

    def _open_container(self, cid: str, heading: str, page: int, top: float, kind: str) -> None:
        parent, level = None, 1
        box = self.container
        if kind == "section" and box is not None:
            if box.kind == "annex":
                parent, level = box.id, box.level + 1
            elif box.kind == "section" and box.parent is not None:
                parent, level = box.parent, box.level
        opened = self._open(cid, heading, page, top, parent, level, kind)
        self.container = opened if kind in ("annex", "article", "section") else None
        self.prev_num = None

    def _numbered(self, num: str, rest: str, page: int, top: float, annex: bool) -> None:
        head, body = _split_heading(rest, self.language)
        depth = num.count(".") + 1
        parent = self._numbered_parent(num)
        level = depth + (self.container.level if self.container else 0)
        self._open(num, head, page, top, parent, level, "annex_clause" if annex else "clause")
        if body:
            assert self.current is not None
            self.current.lines.append(body)

    def _numbered_parent(self, num: str) -> str | None:
        parts = num.split(".")
        while len(parts) > 1:
            parts = parts[:-1]
            cand = ".".join(parts)
            for c in reversed(self.clauses):
                if c.id == cand or c.id.endswith(" " + cand):
                    return c.id
        return self.container.id if self.container else None

    def _open(
        self,
        cid: str,
        heading: str,
        page: int,
        top: float,
        parent: str | None,
        level: int,
        kind: str,
    ) -> _Open:
        uid = cid
        if uid in self.ids:
            prefix = self.container.id if self.container else f"p{page}"
            uid = f"{prefix} {cid}"
            n = 2
            while uid in self.ids:
                uid = f"{prefix} {cid} ({n})"
                n += 1
        self.ids.add(uid)
        c = _Open(uid, heading, page, top, parent, level, kind, end_page=page)
        self.clauses.append(c)
        self.positions.append(HeadingPosition(uid, page, top))
        self.current = c
        return c


_LIST_START = re.compile(r"^(?:\(?[a-z0-9ivx]{1,3}\)|[—–•·▪\-]\s|[a-z]\)\s|\d+\)\s|[①-⑳])")


def _paragraphs(lines: Iterable[str]) -> str:
    paras: list[list[str]] = []
    for ln in lines:
        s = ln.strip()
        if not s:
            continue
        if paras and not _LIST_START.match(s) and not _SENTENCE_END.search(paras[-1][-1]):
            paras[-1].append(s)
        else:
            paras.append([s])
    return "\n".join(join_lines(p) for p in paras)


def segment(
    lines: Iterable[tuple[int, float, str]], language: str
) -> tuple[tuple[Clause, ...], tuple[HeadingPosition, ...]]:
    """Segment body lines ``(page, top, text)`` in reading order into clauses."""
    seg = Segmenter(language)
    for page, top, text in lines:
        seg.feed(page, top, text)
    return seg.result()
