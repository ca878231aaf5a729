"""Tables as records: header rows, multi-line cells, tables continued over pages.

A table on page *n+1* continues the last table of page *n* when it starts near the top of
the page, has as many columns, no clause heading stands between the two, and its caption
(if any) is the same or marked as continued (``续``, ``continued``, ``продолжение``). A
repeated header is dropped; a first row whose first cell is empty is the rest of a row the
page break cut, and its cells are appended to that row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Table, TableRow
from .clauses import HeadingPosition
from .raw import Line, RawTable
from .text import Vocabulary, join_lines

_CAPTION = re.compile(
    r"^(?:表\s*[A-Z]?\.?\d+|Table\s+(?:[A-Z]?\.?\d+|[A-Z][a-z]+)|TABLE\s+(?:[A-Z]?\.?\d+|[A-Z]+)"
    r"|Таблица\s+[А-ЯA-Z]?\.?\d+)(?:\s|[—–:：.-]|$)"
)
_NUMERIC = re.compile(r"^[\s\d.,<>≤≥~～\-–—±×x^⁻⁰¹²³⁴⁵⁶⁷⁸⁹eE%/()（）]+$")
_CONTINUED = re.compile(r"(?:续|\(continued\)|（续）|continued|продолжение)", re.IGNORECASE)
CONTINUATION_TOP = 0.35  # a continued table starts in this top share of the page
_HEADING_KINDS = frozenset({"heading", "clause", "annex", "annex_clause", "article", "section"})


@dataclass(frozen=True)
class PlacedTable:
    """A raw table with the page it sits on and the caption line above it (if any)."""

    page: int
    raw: RawTable
    caption: str
    page_height: float


def caption_for(lines: Sequence[Line], table_top: float) -> str:
    """The caption line just above a table (``表1 …``, ``Table 2 — …``, ``Таблица 3``)."""
    above = [ln for ln in lines if ln.top < table_top]
    above.sort(key=lambda ln: ln.top)
    for ln in reversed(above[-3:]):
        if _CAPTION.match(ln.text):
            return ln.text.strip()
    return ""


def _looks_like_header(row: Sequence[str]) -> bool:
    filled = [c for c in row if c.strip()]
    if len(filled) < max(1, len(row) // 2):
        return False
    return not any(_NUMERIC.match(c) for c in filled)


def _rows(raw: RawTable, vocab: Vocabulary | None) -> tuple[list[list[str]], list[list[bool]]]:
    """Cells joined into text; the second list marks cells that a neighbour spans (None)."""
    rows, spans = [], []
    for row in raw.rows:
        rows.append([_cell(c, vocab) for c in row])
        spans.append([c is None for c in row])
    return rows, spans


_BARE_VALUE = re.compile(r"^[<>≤≥＜＞]?\s*[-−]?\d+(?:[.,]\d+)?\s*[%‰a-zA-Zµμ/³²℃°]{0,8}$")


def _cell(text: str | None, vocab: Vocabulary | None) -> str:
    """Lines of a cell as one text; a line that is only a value stays apart from the words
    on the next line ("10" over "地下水源限制时为20" is "10 地下水源限制时为20", not "10地下…")."""
    if not text:
        return ""
    runs: list[list[str]] = [[]]
    for line in text.split("\n"):
        if runs[-1] and _BARE_VALUE.match(runs[-1][-1].strip()) and line.strip()[:1].isalpha():
            runs.append([])
        runs[-1].append(line)
    return " ".join(t for t in (join_lines(r, vocab) for r in runs) if t)


def _header_count(raw: RawTable, rows: list[list[str]], spans: list[list[bool]]) -> int:
    if raw.header_rows >= 1:
        return min(raw.header_rows, len(rows) - 1)
    n = 0
    while n < min(3, len(rows) - 1) and (
        _looks_like_header(rows[n]) or (n >= 1 and _grade_row(rows[n], rows[0]))
    ):
        if n >= 1 and _group_row(rows[n], spans[n], rows[0]):
            break  # a label spanning the body ("谷物及其制品 | < | <") opens a group of rows
        if n == 0 and _repeats_in_body(rows[0], rows[1:]):
            break  # "INS | 304 | …" over "INS | 305 | …": the first row is data
        n += 1
        # a further header row only when the one above had blanks (cells spanning columns)
        if all(c.strip() for c in rows[n - 1]):
            break
    return n


def _group_row(row: Sequence[str], spans: Sequence[bool], first: Sequence[str]) -> bool:
    """A row with one label in the first column and nothing (or a span) in the others,
    under a header whose first column is labelled: a group label, not a header row."""
    filled = [i for i, c in enumerate(row) if c.strip()]
    if filled != [0] or not first or not first[0].strip():
        return False
    return len(row) > 1 and (all(spans[1:]) or not any(c.strip() for c in row[1:]))


def _repeats_in_body(first: Sequence[str], body: Sequence[Sequence[str]]) -> bool:
    """Whether filled cells of the first row recur in the same column of the rows below: in
    every one of them (two such cells over a single row), or in a row that is plainly data
    (a header label is not repeated in the rows it heads; a label merged down over two
    header rows recurs in the second only)."""
    rows = body[:12]
    everywhere = 0
    for i, c in enumerate(first):
        key = c.strip()
        if not key:
            continue
        same = [r for r in rows if i < len(r) and r[i].strip() == key]
        if same == [rows[0]] and len(rows) >= 3 and _grade_row(rows[0], first):
            continue  # "项目 | 质量指标" over "项目 | 89 | 92 | 95": merged down over the grades
        if any(not _looks_like_header(r) for r in same):
            return True
        if rows and len(same) == len(rows):
            everywhere += 1
    return everywhere >= (1 if len(rows) >= 2 else 2)


_GRADE_NAME = re.compile(r"^(?:[-−]?\d{1,3}\s*号?|[A-ZА-Я]{1,2}\d{0,2}|[IVXⅠ-Ⅻ]{1,4})$")


def _grade_row(row: Sequence[str], first: Sequence[str]) -> bool:
    """A second header row naming grades under a spanning heading: its cells are either the
    first row's labels (merged down) or grade names ("89", "-10号", "K5")."""
    own = [
        c.strip()
        for i, c in enumerate(row)
        if c.strip() and not (i < len(first) and first[i].strip() == c.strip())
    ]
    return len(own) >= 2 and all(_GRADE_NAME.match(c) for c in own)


def _join_header(rows: list[list[str]], spans: list[list[bool]], n: int) -> tuple[str, ...]:
    width = max(len(r) for r in rows)
    filled = []
    for r, sp in zip(rows[:n], spans[:n], strict=True):
        cells = list(r) + [""] * (width - len(r))
        for i in range(1, len(cells)):
            if i < len(sp) and sp[i] and not cells[i]:
                cells[i] = cells[i - 1]  # a group label spanning columns applies to each
        filled.append(cells)
    header = []
    for col in range(width):
        parts = [r[col] for r in filled if r[col].strip()]
        header.append(" ".join(dict.fromkeys(parts)))
    return tuple(header)


def _same(a: Sequence[str], b: Sequence[str]) -> bool:
    def norm(cells: Sequence[str]) -> list[str]:
        return [re.sub(r"\W+", "", c.lower()) for c in cells]

    return norm(a) == norm(b)


def assemble(
    placed: Sequence[PlacedTable],
    *,
    positions: Sequence[HeadingPosition] = (),
    vocab: Vocabulary | None = None,
) -> list[tuple[Table, PlacedTable]]:
    """Turn page tables into :class:`Table` objects, merging continuations over pages."""
    tables: list[tuple[Table, PlacedTable]] = []
    last_end: tuple[int, float] = (0, 0.0)
    for pt in placed:
        rows, spans = _rows(pt.raw, vocab)
        if not rows:
            continue
        prev = tables[-1] if tables else None
        k = _repeated_header(prev[0].header, rows, spans) if prev and any(prev[0].header) else 0
        headless = prev is not None and _header_count(pt.raw, rows, spans) == 0
        if prev is not None and _continues(
            prev[0], last_end, pt, len(rows[0]), positions, k > 0, headless
        ):
            old = prev[0]
            body = rows[k:]
            body_spans = spans[k:]
            new_rows = list(old.rows)
            if body and body[0] and not body[0][0].strip() and new_rows and any(body[0]):
                # the rest of a row cut by the page break
                last = new_rows[-1]
                cells = [
                    join_lines([a, b], vocab) if a and b else (a or b)
                    for a, b in zip(last.cells, body[0], strict=False)
                ]
                new_rows[-1] = TableRow(tuple(cells), last.page, last.spans)
                body, body_spans = body[1:], body_spans[1:]
            new_rows.extend(_table_rows(body, body_spans, pt.page))
            tables[-1] = (
                Table(
                    id=old.id,
                    page=old.page,
                    header=old.header,
                    rows=tuple(new_rows),
                    caption=old.caption,
                    clause_id=old.clause_id,
                    pages=(*old.pages, pt.page),
                ),
                prev[1],
            )
            last_end = (pt.page, pt.raw.bottom)
            continue
        n = _header_count(pt.raw, rows, spans)
        header = _join_header(rows, spans, n) if n else tuple("" for _ in rows[0])
        body = rows[n:]
        t = Table(
            id=f"T{len(tables) + 1}",
            page=pt.page,
            header=header,
            rows=_table_rows(body, spans[n:], pt.page),
            caption=pt.caption,
            pages=(pt.page,),
        )
        tables.append((t, pt))
        last_end = (pt.page, pt.raw.bottom)
    return tables


def _table_rows(rows: list[list[str]], spans: list[list[bool]], page: int) -> tuple[TableRow, ...]:
    """Rows with text, each with the number of columns its cells span when one spans more."""
    out = []
    for r, sp in zip(rows, spans, strict=True):
        if not any(r):
            continue
        widths = _span_widths(sp)
        out.append(TableRow(tuple(r), page, tuple(widths) if any(w != 1 for w in widths) else ()))
    return tuple(out)


def _span_widths(covered: Sequence[bool]) -> list[int]:
    """Columns each cell spans: a cell covered by its left neighbour (0) widens that one."""
    widths = [0 if c else 1 for c in covered]
    owner = None
    for i, c in enumerate(covered):
        if not c:
            owner = i
        elif owner is not None:
            widths[owner] += 1
    return widths


def _repeated_header(header: Sequence[str], rows: list[list[str]], spans: list[list[bool]]) -> int:
    """How many leading rows repeat ``header`` (0 if they do not)."""
    for n in (1, 2, 3):
        if n >= len(rows) + 1:
            break
        if _same(_join_header(rows, spans, n), header):
            return n
    return 0


def _continues(
    prev: Table,
    last_end: tuple[int, float],
    pt: PlacedTable,
    width: int,
    positions: Sequence[HeadingPosition],
    repeats_header: bool,
    headless: bool = False,
) -> bool:
    """Whether a page's table carries on the previous page's table: on the next page, near
    its top (anywhere on it when it has no header of its own and the one before has), as
    many columns, no heading in between, no caption of its own."""
    if pt.page != prev.pages[-1] + 1 or last_end[0] != prev.pages[-1]:
        return False
    if pt.raw.top > pt.page_height * CONTINUATION_TOP and not (headless and any(prev.header)):
        return False
    if width != len(prev.header):
        return False
    # a caption of its own starts a new table, unless the previous table had none and this
    # one repeats its header (a page title such as "Table One" above a continuation)
    own_caption = bool(pt.caption) and pt.caption != prev.caption
    if own_caption and not _CONTINUED.search(pt.caption) and (prev.caption or not repeats_header):
        return False
    start = (pt.page, pt.raw.top)
    return not any(
        last_end < (pos.page, pos.top) < start for pos in positions if pos.kind in _HEADING_KINDS
    )
