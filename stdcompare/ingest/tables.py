"""Tables as records: header detection, multi-line cells, continuation over pages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Table, TableRow
from ..textutil import join_lines
from .pdf import Line, RawTable

_CAPTION = re.compile(
    r"^(?:表\s*[A-Z]?\.?\d+|Table\s+[A-Z]?\.?\d+|TABLE\s+[A-Z]?\.?\d+|Таблица\s+[А-ЯA-Z]?\.?\d+)"
    r"(?:\s|[—–:：.-]|$)"
)
_NUMERIC = re.compile(r"^[\s\d.,<>≤≥~～\-–—±×x^⁻⁰¹²³⁴⁵⁶⁷⁸⁹eE%/()（）]+$")
_CONTINUED = re.compile(r"(?:续|\(continued\)|（续）|continued|продолжение)", re.IGNORECASE)


@dataclass(frozen=True)
class PlacedTable:
    """A raw table with the page it sits on and the caption line above it (if any)."""

    page: int
    raw: RawTable
    caption: str
    page_height: float


def _cell(text: str | None) -> str:
    if text is None:
        return ""
    return join_lines(text.split("\n"))


def _looks_like_header(row: Sequence[str]) -> bool:
    filled = [c for c in row if c.strip()]
    if not filled:
        return False
    return not any(_NUMERIC.match(c) for c in filled)


def _split_header(rows: list[list[str]]) -> tuple[tuple[str, ...], list[list[str]]]:
    """Header = leading non-numeric rows (up to 3), joined column-wise."""
    n = 0
    while n < min(3, len(rows) - 1) and _looks_like_header(rows[n]):
        n += 1
        # a second header row only when the first had blanks (spanning cells)
        if n == 1 and all(c.strip() for c in rows[0]):
            break
    if n == 0:
        return tuple("" for _ in rows[0]), rows
    width = max(len(r) for r in rows)
    header = []
    for col in range(width):
        parts = [rows[i][col] for i in range(n) if col < len(rows[i]) and rows[i][col].strip()]
        header.append(" ".join(dict.fromkeys(parts)))
    return tuple(header), rows[n:]


def _fill_down(raw: RawTable) -> list[list[str]]:
    """Cells merged vertically (``None`` below a value in the first columns) take the value."""
    out: list[list[str]] = []
    for row in raw.rows:
        cells = [_cell(c) for c in row]
        if out:
            prev = out[-1]
            for i, c in enumerate(row):
                if c is None and i < len(prev) and i == 0:
                    cells[i] = prev[i]
        out.append(cells)
    return out


def caption_for(lines: Sequence[Line], table_top: float) -> str:
    """The caption line just above a table (``表1 …``, ``Table 2 — …``, ``Таблица 3``)."""
    above = [ln for ln in lines if ln.top < table_top]
    for ln in reversed(above[-3:]):
        if _CAPTION.match(ln.text):
            return ln.text.strip()
    return ""


def assemble(placed: Sequence[PlacedTable]) -> list[tuple[Table, PlacedTable]]:
    """Turn page tables into :class:`Table` objects, merging continuations over pages.

    A table continues the previous one when it starts near the top of the next page, has no
    caption of its own (or a "续"/"continued" caption) and the same number of columns; a
    repeated header row is dropped.
    """
    tables: list[tuple[Table, PlacedTable]] = []
    for pt in placed:
        rows = _fill_down(pt.raw)
        if not rows:
            continue
        header, body = _split_header(rows)
        prev = tables[-1] if tables else None
        continues = (
            prev is not None
            and pt.page == prev[0].pages[-1] + 1
            and pt.raw.top < pt.page_height * 0.3
            and (not pt.caption or bool(_CONTINUED.search(pt.caption)))
            and len(header) == len(prev[0].header)
        )
        if continues and prev is not None:
            old = prev[0]
            if not any(header):  # no repeated header: the first rows are data
                body = rows
            new_rows = old.rows + tuple(TableRow(tuple(r), pt.page) for r in body if any(r))
            merged = Table(
                id=old.id,
                page=old.page,
                header=old.header,
                rows=new_rows,
                caption=old.caption,
                clause_id=old.clause_id,
                pages=(*old.pages, pt.page),
            )
            tables[-1] = (merged, prev[1])
            continue
        t = Table(
            id=f"T{len(tables) + 1}",
            page=pt.page,
            header=header,
            rows=tuple(TableRow(tuple(r), pt.page) for r in body if any(r)),
            caption=pt.caption,
            pages=(pt.page,),
        )
        tables.append((t, pt))
    return tables
