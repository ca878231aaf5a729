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


def _cell(text: str | None, vocab: Vocabulary | None) -> str:
    if not text:
        return ""
    return join_lines(text.split("\n"), vocab)


def _header_count(raw: RawTable, rows: list[list[str]]) -> int:
    if raw.header_rows >= 1:
        return min(raw.header_rows, len(rows) - 1)
    n = 0
    while n < min(3, len(rows) - 1) and _looks_like_header(rows[n]):
        n += 1
        # a second header row only when the first had blanks (spanning cells)
        if n == 1 and all(c.strip() for c in rows[0]):
            break
    return n


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
        if prev is not None and _continues(prev[0], last_end, pt, len(rows[0]), positions, k > 0):
            old = prev[0]
            body = rows[k:]
            new_rows = list(old.rows)
            if body and body[0] and not body[0][0].strip() and new_rows and any(body[0]):
                # the rest of a row cut by the page break
                last = new_rows[-1]
                cells = [
                    join_lines([a, b], vocab) if a and b else (a or b)
                    for a, b in zip(last.cells, body[0], strict=False)
                ]
                new_rows[-1] = TableRow(tuple(cells), last.page)
                body = body[1:]
            new_rows.extend(TableRow(tuple(r), pt.page) for r in body if any(r))
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
        n = _header_count(pt.raw, rows)
        header = _join_header(rows, spans, n) if n else tuple("" for _ in rows[0])
        body = rows[n:]
        t = Table(
            id=f"T{len(tables) + 1}",
            page=pt.page,
            header=header,
            rows=tuple(TableRow(tuple(r), pt.page) for r in body if any(r)),
            caption=pt.caption,
            pages=(pt.page,),
        )
        tables.append((t, pt))
        last_end = (pt.page, pt.raw.bottom)
    return tables


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
) -> bool:
    if pt.page != prev.pages[-1] + 1 or last_end[0] != prev.pages[-1]:
        return False
    if pt.raw.top > pt.page_height * CONTINUATION_TOP:
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
