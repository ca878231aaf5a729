"""Clause segmentation: headings found by their numbering and typography, built into a tree.

Numbering families:

* decimal clauses ``4.1.2`` (GB, ISO, IEC, EN, Codex, GOST), annexes ``附录A`` / ``Annex A`` /
  ``ANNEX I`` / ``Appendix 1`` / ``Приложение 3`` and their clauses ``A.1``;
* articles ``Article 3`` / ``Статья 7`` / ``第三条``, with their numbered paragraphs and points
  cited the EU way: ``Article 3(1)``, ``Article 3(1)(a)``;
* sections, parts and chapters (``Section 3``, ``Раздел 2``, ``第二章``);
* named front and back matter (``前言``, ``Foreword``, ``Introduction``, ``Предисловие``,
  ``参考文献``, ``Bibliography``, ``NOTES``) — numbered entries of a reference list or of
  end notes never open clauses;
* unnumbered headings set apart by typography (bold or larger than the body text, short,
  no sentence punctuation), such as the per-contaminant sections of Codex CXS 193
  (``LEAD``, ``CADMIUM``) that carry its tables;
* EU recitals: after "Whereas:" in the preamble, "(1) …" opens ``Recital 1`` (kind
  ``recital``, under the front matter) until the enacting formula ("HAS ADOPTED THIS
  REGULATION:"), which goes back to the front matter;
* term entries numbered on a line of their own (GB/ISO/GOST terms and definitions: "3.1" /
  "生活饮用水 drinking water" / definition): the next short line is the entry's title, in
  lower case too ("test portion");
* EAEU technical regulations: numbered paragraphs before the first article are the preamble
  (front matter, not chapters "1", "2"); "Статья 2. Title 1. Text" on one line gives the
  article's title and its paragraph ``Статья 2(1)``; inside ``Статья 4`` decimal clauses are
  numbered 4.x; under "Приложение 3" the lines "к техническому регламенту … «…» (ТР ТС …)"
  are text and the line after them is the annex title.

Points of an article nest by style — numbers, then letters, then roman numerals — so the EU
definition "(1) ‘water …’ means: (a) …; (b) …" gives ``Article 2(1)(a)``. A numbered line
whose text runs to the right edge of the text block (or, without geometry, continues in lower
case on the next line) is the first line of a sentence, not a heading: "4.1 Дизельное топливо
должно соответствовать требованиям, приведённым в" / "таблице 1." is clause 4.1 with no title.

A decimal number only opens a clause when it is a plausible successor of the previous one,
is set in at least the body-text size (footnotes and reference lists are smaller), has no
leading zero and is followed by heading-like text, so values such as ``0.5 mg/kg`` or food
category numbers (``01.2.1``) at a line start are not mistaken for clauses. Clause ids
inside a numbered annex (``Annex 1``, ``ANNEX I``, ``Приложение 3``) are qualified with the
annex (``Annex 1 3``, ``Приложение 3 4``) when its numbering restarts or starts at chapter
level, so they never collide with (or read as) the main body's clause numbers.

A label that starts a line but carries on the sentence of the line above ("… set out in" /
"Annex I.") is a reference, not a heading: see :meth:`Segmenter._runs_on`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..model import Clause
from .raw import Line
from .text import Vocabulary, join_lines

_NUMBERED = re.compile(r"^(?P<num>[1-9]\d{0,2}(?:\.\d{1,3}){0,5})(?:\.(?=\s))?\s+(?P<rest>\S.*)$")
_ANNEX_CLAUSE = re.compile(
    r"^(?P<num>(?P<letter>[A-Z])\.\d{1,3}(?:\.\d{1,3}){0,4})\.?\s+(?P<rest>\S.*)$"
)
_ANNEX = re.compile(
    r"^(?P<id>附\s*录\s*[A-Z](?![A-Za-z])|(?:Annex|ANNEX|Appendix|APPENDIX)\s+(?:[A-Z]|[IVXLC]+|\d+)\b"
    r"|(?:Приложение|ПРИЛОЖЕНИЕ)\s*(?:№\s*)?(?:\d+|[А-ЯA-Z])(?![а-яa-z]))"
    r"[\s.:：—–-]*(?P<rest>.*)$"
)
_ARTICLE = re.compile(
    r"^(?P<id>(?:Article|ARTICLE)\s+\d+[a-z]?|(?:Статья|СТАТЬЯ)\s+\d+|第[一二三四五六七八九十百零〇\d]+条)"
    r"(?![\d(])[\s.:：—–-]*(?P<rest>.*)$"
)
_SECTION = re.compile(
    r"^(?P<id>(?:Section|SECTION|Part|PART|Chapter|CHAPTER|Раздел|РАЗДЕЛ|Глава|ГЛАВА|Часть|ЧАСТЬ)\s+"
    r"(?:\d+|[IVXLC]+|[A-Z])\b|第[一二三四五六七八九十]+[章节部分])[\s.:：—–-]*(?P<rest>.*)$"
)
_PARAGRAPH = re.compile(r"^(?P<n>\d{1,3})\.\s+(?P<rest>\S.*)$")
# a clause number alone on its line, its title on the next (GB/ISO terms: "3.1" / "生活饮用水")
_BARE_NUMBER = re.compile(r"^(?P<num>[1-9]\d{0,2}(?:\.\d{1,3}){0,5})$")
# the first paragraph of an article run into its heading line: "Статья 1. Область применения
# 1. Настоящий …", "Article 4 4.1. The …"
_INLINE_PARAGRAPH = re.compile(r"(?:^|(?<=\s))(?=(?:1|[1-9]\d{0,2}\.1)\.\s+[A-ZА-ЯЁ«(“\"])")
# EU recitals: "Whereas:" opens them, "(1) …" numbers them, the enacting formula ends them
_WHEREAS = re.compile(r"^(?:Whereas|WHEREAS)\s*[:,]?$")
_RECITAL = re.compile(r"^\((?P<n>\d{1,3})\)\s+(?P<rest>\S.*)$")
_ENACTING = re.compile(r"^(?:HAS|HAVE|Has|Have)\s+(?:ADOPTED|DECIDED|adopted|decided)\b")
_POINT = re.compile(r"^\((?P<p>[a-z]{1,2}|[ivx]{1,5}|\d{1,3})\)\s+(?P<rest>\S.*)$")
_QUALIFIER = re.compile(
    r"^[（(]\s*(?:规范性|资料性|参考性|推荐性)(?:附录)?\s*[）)]$|^\((?:normative|informative)\)$"
    r"|^\((?:обязательное|справочное|рекомендуемое|информационное)\)$",
    re.IGNORECASE,
)
# named headings: compacted lower-case text → kind
_NAMED = {
    "前言": "front",
    "引言": "front",
    "序言": "front",
    "目次": "toc",
    "目录": "toc",
    "参考文献": "references",
    "foreword": "front",
    "introduction": "front",
    "preamble": "front",
    "preface": "front",
    "contents": "toc",
    "tableofcontents": "toc",
    "bibliography": "references",
    "references": "references",
    "notes": "references",
    "endnotes": "references",
    "предисловие": "front",
    "введение": "front",
    "содержание": "toc",
    "библиография": "references",
}
_CAPTION = re.compile(
    r"^(?:表|图|Table|TABLE|Figure|FIGURE|Fig\.|Таблица|ТАБЛИЦА|Рисунок)\s*[A-ZА-Я]?[.\d]*\b"
)
_NOTE = re.compile(r"^(?:注|NOTE|Note|ПРИМЕЧАНИЕ|Примечание)\b")
_UNIT_START = re.compile(
    r"^(?:mg|µg|μg|ng|g|kg|ml|mL|l|L|%|‰|°|℃|ppm|ppb|cfu|CFU|MPN|mm|cm|m|kPa|MPa|Pa|NTU|"
    r"мг|мкг|г|кг|мл|л|дм|КОЕ|мм|°С|×|x|\*|±|~|～|-|–|—|/|\))(?:\b|\s|/|$)"
)
_SENTENCE_END = re.compile(r"[。；;.!?！？:：,，]$")
_LOWER_START = re.compile(r"^[a-zа-яё]")
_TOC_ENTRY = re.compile(r"(?:\.{3,}|…{2,}|·{3,}|\s)\s*(?:\d{1,4}|[IVXivx]{1,5})$")
_LIST_START = re.compile(r"^(?:\(?[a-z0-9ivx]{1,3}\)|[—–•·▪−\-]\s|[a-z]\)\s|\d+\)\s|[①-⑳])")


@dataclass
class _Open:
    id: str
    heading: str
    page: int
    top: float
    parent: str | None
    level: int
    kind: str
    size: float = 0.0
    bold: bool = False
    lines: list[tuple[str, int, float, float]] = field(default_factory=list)
    end_page: int = 0
    last_bottom: float = 0.0
    await_title: bool = False
    note: str = ""
    qualify: bool | None = None  # numbered annexes: whether clause ids carry the annex id
    inline: bool = False  # the heading came from the numbered line itself ("4.1 Text …")
    full: bool = False  # … and that line ran to the right edge of the text block
    term: bool = False  # a bare number awaiting its term on the next line
    attribution: bool = False  # an annex's "к техническому регламенту …" lines
    rewrap: bool = False  # the numbered line wrapped: a sentence, or a title over two lines


@dataclass(frozen=True)
class HeadingPosition:
    """Where a clause starts: used to attach tables to the clause they sit in."""

    clause_id: str
    page: int
    top: float
    kind: str = "clause"


def _plausible_successor(prev: tuple[int, ...] | None, cand: tuple[int, ...]) -> bool:
    if any(n > 199 for n in cand):
        return False
    if prev is None:
        return len(cand) == 1 or cand[-1] <= 3
    if len(cand) == len(prev) + 1 and cand[:-1] == prev and 1 <= cand[-1] <= 3:
        return True  # a first child (an excerpt may leave out 4.1 and start at 4.2)
    for k in range(len(prev)):
        base = prev[:k]
        step = cand[len(base)] - prev[k] if len(cand) > k else 0
        if len(cand) == k + 1 and cand[:k] == base and 1 <= step <= 3:
            return True
    # first child of a later sibling: 4.1 -> 5.1 (a heading line may have been lost)
    return len(cand) >= 2 and cand[:-1] > prev[: len(cand) - 1] and cand[-1] == 1


def _is_heading_text(rest: str) -> bool:
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


def _compact(s: str) -> str:
    return re.sub(r"[\s:：.]+", "", s.lower())


class Segmenter:
    """Turns body lines in reading order into clauses; one instance per document."""

    def __init__(
        self,
        language: str,
        body_size: float = 0.0,
        vocab: Vocabulary | None = None,
        *,
        edges: dict[int, tuple[float, float]] | None = None,
    ) -> None:
        self.language = language
        self.body_size = body_size
        self.vocab = vocab
        self.edges = edges or {}  # page → (left, right) of the text block
        self.recitals = 0  # after "Whereas:": the number the next recital should carry
        self.body_started = False  # a clause other than front matter or a recital was opened
        self.points: list[tuple[str, str]] = []  # open points of an article: (style, id)
        self.clauses: list[_Open] = []
        self.positions: list[HeadingPosition] = []
        self.prev_num: tuple[int, ...] | None = None
        self.container: _Open | None = None  # current annex/article/section/references/toc
        self.current: _Open | None = None
        self.ids: set[str] = set()
        self.numbers: set[str] = set()  # decimal clause numbers of the body and their prefixes
        self.container_start = 0
        self.article_par: str | None = None  # the open paragraph of an article
        self.first_page: int | None = None
        self.last_text: tuple[int, Line] | None = None  # the last line that went to a text

    # -- public ---------------------------------------------------------------------------------

    def feed(self, page: int, line: Line) -> None:
        if self.first_page is None:
            self.first_page = page
        text = line.text.strip()
        if not text:
            return
        if self._continues_heading(page, line, text):
            return
        if self._try_heading(page, line, text):
            return
        if self.current is None:
            self._open("front", "", page, line, None, 0, "front")
        assert self.current is not None
        cur = self.current
        if cur.inline and not cur.lines and self._wrapped(cur, page, line, text):
            cur.lines.append((cur.heading, cur.page, cur.top, cur.last_bottom))
            cur.heading = ""
            cur.rewrap = True
        cur.inline = False
        self.last_text = (page, line)
        self.current.lines.append((text, page, line.top, line.bottom or line.top))
        self.current.end_page = page
        self.current.last_bottom = line.bottom or line.top
        self.current.await_title = False

    def result(self) -> tuple[tuple[Clause, ...], tuple[HeadingPosition, ...]]:
        _preamble_paragraphs(self.clauses)
        for c in self.clauses:
            if c.rewrap:
                _wrapped_title(c, self.vocab)
        out = []
        for c in self.clauses:
            out.append(
                Clause(
                    id=c.id,
                    heading=c.heading,
                    text=_paragraphs(
                        [(c.note, c.page, c.top, c.top), *c.lines] if c.note else c.lines,
                        self.vocab,
                    ),
                    page=c.page,
                    end_page=max(c.end_page, c.page),
                    parent=c.parent,
                    level=c.level,
                    kind=c.kind,
                )
            )
        return tuple(out), tuple(self.positions)

    # -- typography -----------------------------------------------------------------------------

    def _full_line(self, page: int, line: Line) -> bool:
        """The line runs to the right edge of the text block (a wrapped sentence, not a title)."""
        left, right = self.edges.get(page, (0.0, 0.0))
        if right <= left or line.x1 <= 0:
            return False
        return line.x1 >= left + 0.88 * (right - left)

    def _wrapped(self, cur: _Open, page: int, line: Line, text: str) -> bool:
        """Whether the "heading" split from a numbered line is the first line of a sentence
        that continues on this line ("4.1 Дизельное топливо должно соответствовать" /
        "таблице 1."): the numbered line ran to the right edge in body type, or, without
        geometry (plain text), the next line carries on in lower case."""
        if cur.bold or (self.body_size > 0 and cur.size >= 1.15 * self.body_size):
            return False
        if cur.full:
            height = (line.bottom - line.top) if line.bottom > line.top else line.size
            return page == cur.page and line.top - cur.last_bottom <= max(height, 1.0)
        return line.x1 <= 0 and self.language != "zh" and bool(_LOWER_START.match(text))

    def _runs_on(self, page: int, line: Line, s: str) -> bool:
        """The line carries on the sentence of the line above it, so a label at its start is a
        reference in running text ("… the maximum level set out in" / "Annex I."), not a
        heading: it is set in body type, the line above (the last of a text, on this page)
        ran to the right edge of the text block without ending a sentence, no paragraph gap
        separates them and it starts at that line's left edge. Without geometry (plain
        text): the line above ends in a lower-case word and this one ends a sentence."""
        cur, last = self.current, self.last_text
        if self._prominent(line) or cur is None or not cur.lines or last is None:
            return False
        prev_page, prev = last
        if prev_page != page or cur.lines[-1][0] != prev.text.strip():
            return False
        if _SENTENCE_END.search(prev.text.strip()):
            return False
        if prev.x1 <= 0 or line.x1 <= 0:  # plain text
            return bool(re.search(r"[a-zа-яё]$", prev.text)) and bool(_SENTENCE_END.search(s))
        height = (prev.bottom - prev.top) if prev.bottom > prev.top else prev.size
        size = line.size or height
        return (
            self._full_line(page, prev)
            and line.top - (prev.bottom or prev.top) <= 0.5 * max(height, 1.0)
            and line.x0 <= prev.x0 + size
        )

    def _small(self, line: Line) -> bool:
        """Set smaller than the body text (footnotes, reference lists, table notes)."""
        return self.body_size > 0 and 0 < line.size < 0.92 * self.body_size

    def _large(self, line: Line) -> bool:
        return self.body_size > 0 and line.size >= 1.15 * self.body_size

    def _prominent(self, line: Line) -> bool:
        if self.body_size <= 0 or line.size <= 0:
            return False
        return line.bold or line.size >= 1.15 * self.body_size

    def _continues_heading(self, page: int, line: Line, text: str) -> bool:
        """A wrapped heading: a second line in the same bold or large type right under a
        heading that has no body yet ("Water for analytical laboratory use — Specification
        and test" / "methods")."""
        cur = self.current
        if cur is None or cur.lines or not cur.heading or cur.bold != line.bold:
            return False
        if not line.bold and not self._large(line):
            return False  # a title over two lines is set apart by weight or by size
        if len(cur.heading) < (20 if self.language == "zh" else 40):
            return False  # a short heading line did not wrap
        if cur.kind not in ("heading", "annex", "article", "section", "clause", "annex_clause"):
            return False
        if page != cur.end_page or abs(line.size - cur.size) > 0.6:
            return False
        height = (line.bottom - line.top) if line.bottom > line.top else line.size
        if line.top - cur.last_bottom > 0.8 * max(height, 1.0):
            return False
        if self._heading_pattern(text) or len(cur.heading) + len(text) > 250:
            return False
        sep = "" if self.language == "zh" else " "
        cur.heading = join_lines([cur.heading, text], self.vocab) if sep else cur.heading + text
        cur.last_bottom = line.bottom or line.top
        return True

    def _heading_pattern(self, s: str) -> bool:
        return bool(
            _NUMBERED.match(s)
            or _ANNEX.match(s)
            or _ARTICLE.match(s)
            or _SECTION.match(s)
            or _ANNEX_CLAUSE.match(s)
        )

    # -- headings -------------------------------------------------------------------------------

    def _try_heading(self, page: int, line: Line, s: str) -> bool:
        box = self.container
        if box is not None and box.kind == "toc" and _TOC_ENTRY.search(s):
            return False  # a table-of-contents entry
        cur = self.current
        if cur is not None and cur.await_title and not cur.lines:
            if _QUALIFIER.match(s.replace(" ", "")):
                # "(normative)", "（资料性）": kept at the start of the text
                cur.note = f"{cur.note} {s}".strip()
                return True
            if cur.kind == "annex" and self._attribution(cur, s):
                cur.note = f"{cur.note} {s}".strip()  # "к техническому регламенту …"
                cur.attribution = True
                return True
            if self._title_line(line, s, term=cur.term) and not (
                cur.term and self._full_line(page, line)
            ):
                cur.heading = s
                cur.await_title = False
                cur.last_bottom = line.bottom or line.top
                cur.size, cur.bold = line.size, line.bold
                return True
        compact = _compact(s)
        if compact in _NAMED and len(s) <= 40 and not self._small(line):
            kind = _NAMED[compact]
            inside = box is not None and box.kind in ("annex", "article", "section")
            if kind == "front" and inside:
                self._open_heading(s, page, line)
            else:
                name = s.replace(" ", "") if self.language == "zh" else s.rstrip(":：. ")
                self._open_container(name, "", page, line, kind)
            return True
        if self._small(line):
            return False
        if self._recital(page, line, s):
            return True
        if (_ANNEX.match(s) or _ARTICLE.match(s) or _SECTION.match(s)) and self._runs_on(
            page, line, s
        ):
            return False
        m = _ANNEX.match(s)
        if m and self._container_rest(m.group("rest"), line):
            raw_id = m.group("id")
            cid = (
                re.sub(r"\s+", "", raw_id)
                if raw_id.startswith("附")
                else re.sub(r"\s+", " ", raw_id)
            )
            rest = m.group("rest").strip()
            qualifier = bool(_QUALIFIER.match(rest.replace(" ", "")))
            attribution = self._attribution(None, rest)
            opened = self._open_container(
                cid, "" if qualifier or attribution else rest, page, line, "annex"
            )
            opened.note = rest if qualifier or attribution else ""
            opened.attribution = attribution
            opened.await_title = not opened.heading
            return True
        m = _ARTICLE.match(s)
        if m and self._container_rest(m.group("rest"), line):
            rest = m.group("rest")
            first = _INLINE_PARAGRAPH.search(rest)
            tail = ""
            if first is not None:
                rest, tail = rest[: first.start()].strip(" .:：—–-"), rest[first.start() :]
            head, body = _split_heading(rest, self.language)
            opened = self._open_container(
                re.sub(r"\s+", " ", m.group("id")), head, page, line, "article"
            )
            opened.await_title = not head and not body and not tail
            if body:
                opened.lines.append((body, page, line.top, line.bottom or line.top))
            if tail:
                self.feed(page, replace(line, text=tail))
            return True
        m = _SECTION.match(s)
        if m and len(s) <= 120 and self._container_rest(m.group("rest"), line):
            opened = self._open_container(
                re.sub(r"\s+", " ", m.group("id")), m.group("rest").strip(), page, line, "section"
            )
            opened.await_title = not opened.heading
            return True
        if box is not None and box.kind == "references":
            return self._unnumbered(page, line, s)
        m = _ANNEX_CLAUSE.match(s)
        if m and self._in_letter_annex(m.group("letter")) and _is_heading_text(m.group("rest")):
            self._numbered(m.group("num"), m.group("rest"), page, line, annex=True)
            return True
        article = self._article()
        if article is not None and self._article_part(article, page, line, s):
            return True
        m = _NUMBERED.match(s)
        if (
            m
            and _is_heading_text(m.group("rest"))
            and self._numbered_rest(m.group("rest"), m.group("num"))
        ):
            num = tuple(int(x) for x in m.group("num").split("."))
            if (
                _plausible_successor(self.prev_num, num)
                or self._skipped_to(num, m.group("rest"), line)
            ) and self._in_article(article, num):
                self.prev_num = num
                self._numbered(m.group("num"), m.group("rest"), page, line, annex=False)
                return True
        m = _BARE_NUMBER.match(s)
        if m and (
            self._prominent(line) or (m.group("num").count(".") and self._starts_block(page, line))
        ):
            num = tuple(int(x) for x in m.group("num").split("."))
            if _plausible_successor(self.prev_num, num) and self._in_article(article, num):
                self.prev_num = num
                self._numbered(m.group("num"), "", page, line, annex=False)
                assert self.current is not None
                self.current.await_title = self.current.term = True
                return True
        return self._unnumbered(page, line, s)

    def _skipped_to(self, num: tuple[int, ...], rest: str, line: Line) -> bool:
        """Excerpts and part-2 standards skip clauses: a chapter heading set apart from the
        body (a larger or bold face, or a short title alone on its line, as GB chapter
        headings in 黑体 at body size are) may follow 13.3 with 27, and the body clause under
        it may start at 27.5."""
        prev = self.prev_num
        if prev is None or any(n > 199 for n in num):
            return False
        if len(num) == 1:
            title = rest.strip()
            set_apart = (
                self._prominent(line)
                or (self.body_size > 0 and line.size >= 1.1 * self.body_size)
                or (
                    self.language == "zh"
                    and len(title) <= 20
                    and not re.search(r"[\d，。；：,;:%]", title)
                )
            )
            return num[0] > prev[0] and set_apart
        cur = self.current
        return (
            len(num) == len(prev) + 1
            and num[:-1] == prev
            and num[-1] <= 9
            and cur is not None
            and cur.id == ".".join(map(str, prev))
            and bool(cur.heading)
        )

    def _starts_block(self, page: int, line: Line) -> bool:
        """The line does not continue the paragraph above it: that paragraph ended a sentence,
        or a gap wider than half a line separates them ("… the sub-categories 13.1.1, 13.1.2,
        and" / "13.1.3" is one sentence)."""
        cur = self.current
        if cur is None or not cur.lines:
            return True
        text, prev_page, top, bottom = cur.lines[-1]
        if _SENTENCE_END.search(text) or prev_page != page or bottom <= top:
            return True
        return line.top - bottom > 0.5 * (bottom - top)

    def _numbered_rest(self, rest: str, num: str) -> bool:
        """A chapter heading (a one-level number) never starts in lower case: "5 to 14." at a
        line start is the end of a sentence. (Deeper numbers may: ISO terms "3.1 test
        portion".)"""
        return not ("." not in num and self.language != "zh" and _LOWER_START.match(rest))

    @staticmethod
    def _in_article(article: _Open | None, num: tuple[int, ...]) -> bool:
        """Inside ``Статья 4`` decimal clauses are numbered 4.1, 4.2 …"""
        if article is None:
            return True
        m = re.search(r"\d+", article.id)
        return m is None or (len(num) >= 2 and num[0] == int(m.group()))

    def _attribution(self, cur: _Open | None, s: str) -> bool:
        """The lines under an EAEU annex number that say whose annex it is ("к техническому
        регламенту Таможенного союза «О …» (ТР ТС 013/2011)"), before the annex title."""
        if self.language != "ru":
            return False
        if s.startswith(("к ", "К ")):
            return True
        if cur is None or not cur.attribution:
            return False
        note = cur.note
        return s[:1] in '«("“' or bool(_LOWER_START.match(s)) or note.count("«") > note.count("»")

    def _recital(self, page: int, line: Line, s: str) -> bool:
        """EU recitals "(1) …" after "Whereas:" in the preamble, as clauses ``Recital 1`` of
        kind ``recital`` under the front matter; the enacting formula ("HAS ADOPTED THIS
        REGULATION:") ends them."""
        if self.container is not None or self.body_started:
            self.recitals = 0
            return False
        if _WHEREAS.match(s):
            self.recitals = 1
            return False
        if not self.recitals:
            return False
        front = next((c for c in reversed(self.clauses) if c.kind == "front"), None)
        if _ENACTING.match(s) and front is not None:
            self.recitals = 0
            front.lines.append((s, page, line.top, line.bottom or line.top))
            self.current = front
            return True
        m = _RECITAL.match(s)
        if m is None or int(m.group("n")) != self.recitals:
            return False
        self.recitals += 1
        self._open(
            f"Recital {m.group('n')}", "", page, line, front.id if front else None, 2, "recital"
        )
        assert self.current is not None
        self.current.lines.append((m.group("rest"), page, line.top, line.bottom or line.top))
        return True

    def _container_rest(self, rest: str, line: Line) -> bool:
        """The text after ``Annex A``/``Article 3`` is a title, not the rest of a sentence."""
        rest = rest.strip()
        if not rest or _QUALIFIER.match(rest.replace(" ", "")):
            return True
        if len(rest) > 200:
            return False
        if rest.startswith(("к ", "до ")):  # "Приложение 3 к ТР ТС 021/2011"
            return True
        if _LOWER_START.match(rest) and not self._prominent(line):
            return False
        return _is_heading_text(rest) or rest[0].isdigit() is False

    def _title_line(self, line: Line, s: str, term: bool = False) -> bool:
        """A title under a bare number or an annex/article label. ``term``: the entry of a
        terms-and-definitions clause, which may be in lower case ("test portion")."""
        if len(s) > 160 or self._heading_pattern(s) or _CAPTION.match(s):
            return False
        if _SENTENCE_END.search(s) and not s.endswith((")", "）")):
            return False
        if term:
            return len(s) <= 100
        return not (_LOWER_START.match(s) and not s.startswith(("к ", "о ", "об ", "на ")))

    def _in_letter_annex(self, letter: str) -> bool:
        box = self._annex()
        return box is not None and re.sub(r"\s+", "", box.id)[-1:] == letter

    def _annex(self) -> _Open | None:
        c = self.container
        by_id = {x.id: x for x in self.clauses}
        while c is not None and c.kind != "annex":
            c = by_id.get(c.parent) if c.parent else None
        return c

    def _article(self) -> _Open | None:
        c = self.container
        return c if c is not None and c.kind == "article" else None

    def _article_part(self, article: _Open, page: int, line: Line, s: str) -> bool:
        """Numbered paragraphs ``1.`` and points ``(a)`` of an article."""
        m = _PARAGRAPH.match(s)
        if m:
            cid = f"{article.id}({m.group('n')})"
            if cid in self.ids:
                return False
            self._open(cid, "", page, line, article.id, article.level + 1, "paragraph")
            self.article_par = cid
            self.points = []
            assert self.current is not None
            self.current.lines.append((m.group("rest"), page, line.top, line.bottom or line.top))
            return True
        m = _POINT.match(s)
        if m:
            label = m.group("p")
            parent, level = self._point_parent(article, label)
            cid = f"{parent}({label})"
            if cid in self.ids:
                return False
            self._open(cid, "", page, line, parent, level, "point")
            assert self.current is not None
            self.current.lines.append((m.group("rest"), page, line.top, line.bottom or line.top))
            return True
        return False

    def _point_parent(self, article: _Open, label: str) -> tuple[str, int]:
        """Where point ``(label)`` sits: points nest by style — numbers, then letters, then
        roman numerals — as in EU definitions "(1) ‘water …’ means: (a) …; (b) …; (2) …"."""
        prev = self.points[-1][0] if self.points else ""
        roman = bool(re.fullmatch(r"[ivx]+", label)) and not (
            label == "i" and prev == "letter" and self.points[-1][1].endswith("(h)")
        )
        style = "number" if label.isdigit() else "roman" if roman else "letter"
        order = ("number", "letter", "roman")
        while self.points and order.index(self.points[-1][0]) >= order.index(style):
            self.points.pop()
        base = self.article_par or article.id
        parent = self.points[-1][1] if self.points else base
        level = article.level + (2 if self.article_par else 1) + len(self.points)
        self.points.append((style, f"{parent}({label})"))
        return parent, level

    def _unnumbered(self, page: int, line: Line, s: str) -> bool:
        """A heading set apart by typography alone (bold or large, short, no punctuation)."""
        if not self._prominent(line) or len(s) > 100 or len(s.split()) > 14:
            return False
        if page == self.first_page and all(c.kind == "front" for c in self.clauses):
            return False  # the cover page: its title is metadata, not a clause
        if _SENTENCE_END.search(s) or _CAPTION.match(s) or _NOTE.match(s):
            return False
        if re.search(r"[=≤≥<>±×+]", s):
            return False  # a formula or a limit, not a title
        first = s[0]
        if not (first.isalpha() or first in '«“"') or _LOWER_START.match(s):
            return False
        if not any(ch.isalpha() for ch in s):
            return False
        cur = self.current
        if cur is not None and cur.kind == "heading" and cur.heading == s:
            return True  # a continuation label repeated at the top of the next page
        above = self._title_start(page, line)
        if above is not None:
            assert cur is not None
            cur.lines.pop()
            cur.end_page = cur.lines[-1][1] if cur.lines else cur.page
            self.last_text = None
            s = join_lines([above.text.strip(), s], self.vocab)
            line = replace(line, top=above.top)
        self._open_heading(s, page, line)
        return True

    def _title_start(self, page: int, line: Line) -> Line | None:
        """The first line of a title over two lines, left in the text because it ends in a
        colon or a dash ("Household and similar electrical appliances — Safety — Part 1:" /
        "General requirements"): the line just above, in the same prominent type, that went
        to the text of the current clause."""
        cur, last = self.current, self.last_text
        if cur is None or not cur.lines or last is None:
            return None
        prev_page, prev = last
        text = prev.text.strip()
        if (
            prev_page != page
            or cur.lines[-1][0] != text
            or not text.endswith((":", "：", "—", "–"))
        ):
            return None
        if prev.bold != line.bold or abs(prev.size - line.size) > 0.6 or not self._prominent(prev):
            return None
        if len(text) > 160 or self._heading_pattern(text):
            return None
        height = (prev.bottom - prev.top) if prev.bottom > prev.top else prev.size
        return prev if line.top - (prev.bottom or prev.top) <= 0.8 * max(height, 1.0) else None

    def _open_heading(self, s: str, page: int, line: Line) -> None:
        box = self.container
        if box is not None and box.kind in ("annex", "article", "section"):
            parent, level = box.id, box.level + 1
        else:
            parent, level = None, 1
            self.container = None
            self.container_start = 0
        cid = re.sub(r"\s+", " ", s)[:80]
        self._open(cid, s, page, line, parent, level, "heading")
        self.article_par = None
        self.points = []

    def _open_container(self, cid: str, heading: str, page: int, line: Line, kind: str) -> _Open:
        parent, level = None, 1
        box = self.container
        if kind == "section" and box is not None:
            if box.kind in ("annex", "article"):
                parent, level = box.id, box.level + 1
            elif box.kind == "section" and box.parent is not None:
                parent, level = box.parent, box.level
        opened = self._open(cid, heading, page, line, parent, level, kind)
        self.container = opened
        self.container_start = len(self.clauses)
        self.prev_num = None
        self.article_par = None
        self.points = []
        return opened

    def _numbered(self, num: str, rest: str, page: int, line: Line, annex: bool) -> None:
        head, body = _split_heading(rest, self.language)
        depth = num.count(".") + 1
        qualified = num
        box = self._annex()
        if not annex and box is not None and not re.search(r"[A-Z]$", re.sub(r"\s+", "", box.id)):
            if box.qualify is None:
                # an annex whose numbering restarts (its first number is already a clause
                # number of the body, or a prefix of one, or a chapter number: "4." directly
                # under "Приложение 3") prefixes its clause ids
                box.qualify = num in self.numbers or "." not in num
            if box.qualify:
                qualified = f"{box.id} {num}"
        elif box is None:
            parts = num.split(".")
            self.numbers.update(".".join(parts[:k]) for k in range(1, len(parts) + 1))
        parent = self._numbered_parent(qualified, num)
        level = depth + (self.container.level if self.container else 0)
        opened = self._open(
            qualified, head, page, line, parent, level, "annex_clause" if annex else "clause"
        )
        if body:
            opened.lines.append((body, page, line.top, line.bottom or line.top))
        elif head:
            opened.inline = True
            opened.full = self._full_line(page, line)

    def _numbered_parent(self, qualified: str, num: str) -> str | None:
        prefix = qualified[: len(qualified) - len(num)]
        parts = num.split(".")
        inside = self.clauses[self.container_start :]  # parents sit in the current container
        while len(parts) > 1:
            parts = parts[:-1]
            cand = prefix + ".".join(parts)
            for c in reversed(inside):
                if c.id == cand:
                    return c.id
        box = self.container
        if box is not None and box.kind in ("annex", "article", "section", "heading"):
            return box.id
        return None

    def _open(
        self,
        cid: str,
        heading: str,
        page: int,
        line: Line,
        parent: str | None,
        level: int,
        kind: str,
    ) -> _Open:
        uid = cid
        n = 2
        while uid in self.ids:
            uid = f"{cid} ({n})"
            n += 1
        self.ids.add(uid)
        self.body_started = self.body_started or kind not in ("front", "recital")
        c = _Open(
            uid,
            heading,
            page,
            line.top,
            parent,
            level,
            kind,
            size=line.size,
            bold=line.bold,
            end_page=page,
            last_bottom=line.bottom or line.top,
        )
        self.clauses.append(c)
        self.positions.append(HeadingPosition(uid, page, line.top, kind))
        self.current = c
        return c


def _paragraphs(lines: list[tuple[str, int, float, float]], vocab: Vocabulary | None) -> str:
    """Lines into paragraphs: a new one at a list item, after a line that ends a sentence
    when a vertical gap follows it (or when there is no geometry, as in plain text), and
    after any gap wider than a line."""
    paras: list[list[str]] = []
    prev: tuple[str, int, float, float] | None = None
    for item in lines:
        s = item[0].strip()
        if not s:
            continue
        new = not paras or bool(_LIST_START.match(s))
        if not new and prev is not None:
            height = prev[3] - prev[2]
            geometry = prev[1] == item[1] and height > 1.0
            gap = (item[2] - prev[3]) / height if geometry else 0.0
            ends = bool(_SENTENCE_END.search(paras[-1][-1]))
            new = gap > 1.0 or (ends and (gap > 0.4 or not geometry))
        if new:
            paras.append([s])
        else:
            paras[-1].append(s)
        prev = item
    return "\n".join(join_lines(p, vocab) for p in paras)


def _wrapped_title(c: _Open, vocab: Vocabulary | None) -> None:
    """A numbered line that ran on to the next: when that first paragraph ends without
    sentence punctuation, it is a title over two or three lines ("14.1.4 Water-based flavoured
    drinks, including …" / "… and particulated drinks"), else the first sentence of the text."""
    para = []
    for k, (text, page, top, _bottom) in enumerate(c.lines[:3]):
        if k:
            prev = c.lines[k - 1]
            height = prev[3] - prev[2]
            if page != prev[1] or (height > 0 and top - prev[3] > height):
                break
        para.append(text)
        if _SENTENCE_END.search(text):
            return
    rest = c.lines[len(para) :]
    if rest and len(para) == 3 and not _SENTENCE_END.search(para[-1]):
        nxt = rest[0]
        if nxt[1] == c.lines[2][1] and nxt[2] - c.lines[2][3] <= nxt[3] - nxt[2]:
            return  # a paragraph longer than three lines is text
    joined = join_lines(para, vocab)
    if len(joined) > 250:
        return
    c.heading = joined
    c.lines = rest


def _preamble_paragraphs(clauses: list[_Open]) -> None:
    """Numbered paragraphs before the first article of a document made of articles are its
    preamble ("1. Настоящий технический регламент разработан …" before "Статья 1" of an EAEU
    technical regulation), not chapters: they become front matter."""
    first = next((k for k, c in enumerate(clauses) if c.kind == "article"), None)
    if first is None or sum(c.kind == "article" for c in clauses) < 2:
        return
    before = clauses[:first]
    numbered = [c for c in before if c.kind == "clause"]
    parents = {c.parent for c in clauses if c.parent}
    if not numbered or any(c.parent or "." in c.id or c.id in parents for c in numbered):
        return
    front: _Open | None = None
    for c in before:
        if c.kind == "front":
            front = c
        elif c.kind == "clause":
            if c.heading:
                c.lines.insert(0, (c.heading, c.page, c.top, c.top))
                c.heading = ""
            c.kind, c.parent, c.level = "front", front.id if front else None, 2


_FEW_LINES = 4  # lines of some length a page needs to show its own text block


def text_edges(lines: Iterable[tuple[int, Line]]) -> dict[int, tuple[float, float]]:
    """Left and right edge of the text block of each page (from lines of some length)."""
    out: dict[int, tuple[float, float]] = {}
    by_page: dict[int, list[Line]] = {}
    for page, line in lines:
        if line.x1 > line.x0 >= 0 and line.x1 > 0 and len(line.text) >= 10:
            by_page.setdefault(page, []).append(line)
    few: list[int] = []
    for page, ls in by_page.items():
        if len(ls) < _FEW_LINES:
            few.append(page)
            continue
        rights = sorted(ln.x1 for ln in ls)
        lefts = sorted(ln.x0 for ln in ls)
        right = rights[int(0.9 * (len(rights) - 1))]
        out[page] = (lefts[len(lefts) // 10], right)
    if out:
        # a page with a line or two (a heading and a note over a table) does not show where
        # its text block ends: it has the document's usual block ("4.10 N-二甲基亚硝胺、…" was
        # the widest line of its page, so it read as a sentence running to the edge)
        lefts = sorted(e[0] for e in out.values())
        rights = sorted(e[1] for e in out.values())
        usual = (lefts[len(lefts) // 2], rights[len(rights) // 2])
        for page in few:
            out[page] = usual
    else:
        for page in few:
            ls = by_page[page]
            out[page] = (min(ln.x0 for ln in ls), max(ln.x1 for ln in ls))
    return out


def segment(
    lines: Iterable[tuple[int, Line]],
    language: str,
    *,
    body_size: float = 0.0,
    vocab: Vocabulary | None = None,
) -> tuple[tuple[Clause, ...], tuple[HeadingPosition, ...]]:
    """Segment body lines ``(page, line)`` in reading order into clauses."""
    items = list(lines)
    seg = Segmenter(language, body_size, vocab, edges=text_edges(items))
    for page, line in items:
        seg.feed(page, line)
    return seg.result()
