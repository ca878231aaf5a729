"""Finding tables on one page: ruled grids from drawn edges, borderless tables from word positions.

*Ruled* tables: the page's ruling lines and rectangle sides go through pdfplumber's lattice
functions (edge snapping and joining, intersections, cells, tables), without pdfplumber's
own page parsing; cell text comes from our words.

*Borderless* tables: a line with at least three segments (text runs separated by at least
:data:`~.layout.SEGMENT_GAP` ems) seeds a block; neighbouring lines join while they leave
the block's column gaps open (a gap seen in two lines is never closed by a third). The
columns are the gaps that no segment of the block covers. Rows are separated by horizontal
rules where the table has them, else by extra vertical space where the rows are padded, else
by a new entry in the first column; lines without an entry there continue the row's cells.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .layout import TextLine, Word, join_words
from .pdfium_page import Edge
from .raw import RawTable

SNAP = 3.0
MIN_COLUMNS = 3
MIN_GAP = 1.5  # points: the narrowest column gap kept
SLIVER = 0.5  # points: what is left of a gap after a line intrudes, below which it closes
WORD_GAP_MIN = 0.45  # ems: narrowest column gap between words (a word space is 0.25-0.32 em)
MAX_LINE_GAP = 2.5  # line heights of empty space allowed inside a borderless table


@dataclass
class FoundTable:
    raw: RawTable
    lines: set[int]  # ids of the TextLines it consumed


def find_tables(lines: Sequence[TextLine], edges: Sequence[Edge]) -> list[FoundTable]:
    found = ruled_tables(lines, edges)
    used = set().union(*(f.lines for f in found)) if found else set()
    rest = [ln for ln in lines if id(ln) not in used]
    hrules = [e for e in edges if e[4] == "h"]
    found.extend(borderless_tables(rest, hrules))
    found.sort(key=lambda f: f.raw.top)
    return found


# --- ruled tables ---------------------------------------------------------------------------------


def ruled_tables(lines: Sequence[TextLine], edges: Sequence[Edge]) -> list[FoundTable]:
    hs = sum(1 for e in edges if e[4] == "h")
    vs = len(edges) - hs
    if hs < 2 or vs < 2:
        return []
    from pdfplumber.table import (
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )

    objs = [
        {
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "doctop": top,
            "width": x1 - x0,
            "height": bottom - top,
            "orientation": o,
        }
        for x0, top, x1, bottom, o in edges
    ]
    merged = merge_edges(objs, SNAP, SNAP, SNAP, SNAP)
    merged = [e for e in merged if (e["width"] if e["orientation"] == "h" else e["height"]) >= 3]
    if len(merged) > 4000:  # a drawing, not a table grid
        return []
    cells = intersections_to_cells(edges_to_intersections(merged, SNAP, SNAP))
    out = []
    for group in cells_to_tables(cells):
        table = _grid(group, lines)
        if table is not None:
            out.append(table)
    return out


def _grid(cells: list[Any], lines: Sequence[TextLine]) -> FoundTable | None:
    tops = sorted({c[1] for c in cells})
    xs = sorted({c[0] for c in cells})
    if len(tops) < 2 or len(xs) < 2:
        return None
    x0 = min(c[0] for c in cells)
    x1 = max(c[2] for c in cells)
    top = min(c[1] for c in cells)
    bottom = max(c[3] for c in cells)
    # words inside the grid, with the line they belong to
    inside: list[tuple[Word, TextLine]] = []
    used: set[int] = set()
    for ln in lines:
        mid = (ln.top + ln.bottom) / 2
        if not top <= mid <= bottom:
            continue
        hit = False
        for w in ln.words:
            cx = (w.x0 + w.x1) / 2
            if x0 <= cx <= x1:
                inside.append((w, ln))
                hit = True
        if hit and all(x0 - 2 <= w.x0 and w.x1 <= x1 + 2 for w in ln.words):
            used.add(id(ln))
        elif hit:
            used.add(id(ln))  # a line straddling the grid border still belongs to the grid
    if not inside:
        return None
    by_cell: dict[tuple[float, float], list[tuple[Word, TextLine]]] = {}
    for w, ln in inside:
        cx, cy = (w.x0 + w.x1) / 2, (ln.top + ln.bottom) / 2
        for c in cells:
            if c[0] <= cx < c[2] and c[1] <= cy < c[3]:
                by_cell.setdefault((c[0], c[1]), []).append((w, ln))
                break
    rows: list[tuple[str | None, ...]] = []
    bold_rows: list[bool] = []
    text = {key: _cell_text(got) for key, got in by_cell.items()}
    origin = {(c[0], c[1]): c for c in cells}
    for t in tops:
        row: list[str | None] = []
        bolds: list[bool] = []
        for x in xs:
            c = origin.get((x, t))
            if c is None:
                # covered by a merged cell: one that starts above fills down, one that
                # starts to the left spans across (None)
                cover = next((k for k in cells if k[0] <= x < k[2] and k[1] <= t < k[3]), None)
                if cover is not None and cover[1] < t and cover[0] == x:
                    row.append(text.get((cover[0], cover[1]), ""))
                else:
                    row.append(None)
                continue
            row.append(text.get((x, t), ""))
            bolds.extend(w.bold for w, _ in by_cell.get((x, t), []))
        if any(v for v in row):
            rows.append(tuple(row))
            bold_rows.append(bool(bolds) and all(bolds))
    if len(rows) < 2 or sum(1 for c in _columns_used(rows)) < 2:
        return None
    raw = RawTable(tuple(rows), top, bottom, True, x0, x1, _bold_header(bold_rows))
    return FoundTable(raw, used)


def _columns_used(rows: list[tuple[str | None, ...]]) -> list[int]:
    width = max(len(r) for r in rows)
    return [i for i in range(width) if any(i < len(r) and r[i] for r in rows)]


def _cell_text(items: list[tuple[Word, TextLine]]) -> str:
    """Words of one cell: one text line per visual line, joined with newlines."""
    if not items:
        return ""
    items = sorted(items, key=lambda it: (it[1].top, it[0].x0))
    out: list[str] = []
    cur: list[Word] = []
    cur_line: TextLine | None = None
    for w, ln in items:
        if cur_line is not None and ln is not cur_line:
            out.append(join_words(cur))
            cur = []
        cur.append(w)
        cur_line = ln
    if cur:
        out.append(join_words(cur))
    return "\n".join(t for t in out if t)


def _bold_header(bold_rows: Sequence[bool]) -> int:
    """Leading bold rows when the body is not bold (-1: the layout does not tell)."""
    n = 0
    while n < len(bold_rows) and bold_rows[n]:
        n += 1
    if 0 < n < len(bold_rows) and not any(bold_rows[n:]):
        return n
    return -1


# --- borderless tables ----------------------------------------------------------------------------


class _Gaps:
    """Column gaps of a growing block: x intervals that no line of the block covers.

    A line is admitted when it leaves every gap seen in at least two lines open: first
    judged by its segments; failing that (a table whose columns sit closer than a segment
    gap), by its words, as long as the line is not prose (one wide segment of many words)
    and leaves at least :data:`WORD_GAP_MIN` ems of each gap open.
    """

    def __init__(self, line: TextLine, strong: bool) -> None:
        boxes = line.segment_boxes()
        age = 2 if strong else 1
        # [x0, x1, age, family]: a gap that a line splits in two lives on in either part
        self.gaps: list[list[float]] = [
            [a[1], b[0], age, k]
            for k, (a, b) in enumerate(itertools.pairwise(boxes))
            if b[0] - a[1] >= MIN_GAP
        ]
        self.x0, self.x1 = line.x0, line.x1

    def admit(self, line: TextLine) -> bool:
        """Add ``line`` if it leaves every established gap open; return whether it did."""
        new = self._narrowed(line.segment_boxes(), SLIVER)
        if new is None and not self._prose(line):
            em = max(line.size, 1.0)
            new = self._narrowed([(w.x0, w.x1) for w in line.words], WORD_GAP_MIN * em)
        if new is None:
            return False
        for g in new:
            g[2] += 1
        self.gaps = new
        self.x0, self.x1 = min(self.x0, line.x0), max(self.x1, line.x1)
        return True

    def _prose(self, line: TextLine) -> bool:
        width = max(self.x1 - self.x0, 1.0)
        return len(line.segments) == 1 and len(line.words) >= 5 and line.x1 - line.x0 >= 0.6 * width

    def _narrowed(
        self, boxes: list[tuple[float, float]], sliver: float
    ) -> list[list[float]] | None:
        new: list[list[float]] = []
        established = {g[3] for g in self.gaps if g[2] >= 2}
        for a, b, age, fam in self.gaps:
            parts = [(a, b)]
            for s0, s1 in boxes:
                nxt = []
                for p0, p1 in parts:
                    if s1 <= p0 or s0 >= p1:
                        nxt.append((p0, p1))
                        continue
                    if s0 - p0 > sliver:
                        nxt.append((p0, s0))
                    if p1 - s1 > sliver:
                        nxt.append((s1, p1))
                parts = nxt
            new.extend([p0, p1, age, fam] for p0, p1 in parts)
        if established - {g[3] for g in new}:
            return None  # the line closes a gap seen in two lines: it crosses a column
        return new


def borderless_tables(lines: Sequence[TextLine], hrules: Sequence[Edge]) -> list[FoundTable]:
    out: list[FoundTable] = []
    n = len(lines)
    i = 0
    floor = 0  # lines before this belong to a table already found
    while i < n:
        ln = lines[i]
        if len(ln.segments) < MIN_COLUMNS:
            i += 1
            continue
        gaps = _Gaps(ln, strong=True)
        lo = hi = i
        while (
            hi + 1 < n
            and _close(lines[hi], lines[hi + 1])
            and _same_type(ln, lines[hi + 1])
            and gaps.admit(lines[hi + 1])
        ):
            hi += 1
        while lo - 1 >= floor and _close(lines[lo - 1], lines[lo]):
            above = lines[lo - 1]
            if not _same_type(ln, above):
                break
            if len(above.segments) == 1:
                # the first line of a wrapped header cell sits tight above the header
                if _tight(above, lines[lo]) and _header_like(above) and gaps.admit(above):
                    lo -= 1
                    continue
                break
            if gaps.admit(above):
                lo -= 1
            elif _header_like(above):
                lo -= 1  # a header whose labels sit closer than the columns: split by words
                break
            else:
                break
        block = list(lines[lo : hi + 1])
        table = _block_table(block, hrules)
        if table is not None:
            out.append(table)
            i = floor = hi + 1
        else:
            i += 1
    return out


def _same_type(seed: TextLine, line: TextLine) -> bool:
    """A table is set in one size: a heading, a label or body text in another size ends it."""
    return seed.size <= 0 or line.size <= 0 or 0.9 * seed.size <= line.size <= 1.1 * seed.size


def _tight(upper: TextLine, lower: TextLine) -> bool:
    h = max(upper.bottom - upper.top, 1.0)
    return lower.top - upper.bottom <= 0.5 * h


def _header_like(line: TextLine) -> bool:
    return not any(ch.isdigit() for ch in line.text)


def _close(upper: TextLine, lower: TextLine) -> bool:
    h = max(upper.bottom - upper.top, lower.bottom - lower.top, 1.0)
    return lower.top - upper.bottom <= MAX_LINE_GAP * h


def _columns(block: Sequence[TextLine]) -> list[float]:
    """Column boundaries of a block, from the positions of its words.

    A boundary sits in an x interval that at most ``k`` lines cover with a word (``k`` is 1
    in blocks of six lines or more, so one header or spanning cell does not hide a column),
    in the middle of the part no word covers. It needs lines with words on both sides, two
    lines with a wide (segment) gap across it, and no more than ``k`` lines with a word or a
    word space across it, so word spaces that happen to line up inside a column of repeated
    text, or in a centred header, do not split it.
    """
    k = 1 if len(block) >= 6 else 0
    events: list[tuple[float, int]] = []
    for ln in block:
        for w in ln.words:
            events.append((w.x0, 1))
            events.append((w.x1, -1))
    events.sort()
    lo, hi = events[0][0], events[-1][0]
    bounds: list[float] = []
    depth = 0
    low_start: float | None = None
    zero: list[tuple[float, float]] = []
    zero_start: float | None = None
    for x, delta in events:
        before = depth
        depth += delta
        if before > 0 and depth == 0:
            zero_start = x
        elif before == 0 and depth > 0 and zero_start is not None:
            zero.append((zero_start, x))
            zero_start = None
        if before > k >= depth:
            low_start = x
            zero = []
        elif before <= k < depth and low_start is not None:
            if lo < low_start and x < hi and x - low_start >= MIN_GAP:
                widest = max(zero, key=lambda z: z[1] - z[0], default=None)
                mid = (widest[0] + widest[1]) / 2 if widest else (low_start + x) / 2
                if (
                    sum(1 for ln in block if _both_sides(ln, mid)) >= 2
                    and sum(1 for ln in block if _segment_gap_at(ln, mid)) >= 2
                    and sum(1 for ln in block if _crosses(ln, mid)) <= k
                ):
                    bounds.append(mid)
            low_start = None
    return bounds


def _crosses(ln: TextLine, x: float) -> bool:
    """Whether ``x`` falls inside a word of ``ln`` or inside one of its word spaces."""
    for w0, w1 in itertools.pairwise(ln.words):
        if w0.x0 < x < w0.x1:
            return True
        if w0.x1 <= x <= w1.x0:
            return w1.x0 - w0.x1 < WORD_GAP_MIN * max(w0.size, w1.size, 1.0)
    return bool(ln.words) and ln.words[-1].x0 < x < ln.words[-1].x1


def _segment_gap_at(ln: TextLine, x: float) -> bool:
    boxes = ln.segment_boxes()
    return any(a[1] <= x <= b[0] for a, b in itertools.pairwise(boxes))


def _both_sides(ln: TextLine, x: float) -> bool:
    return any(w.x1 <= x for w in ln.words) and any(w.x0 >= x for w in ln.words)


def _block_table(block: list[TextLine], hrules: Sequence[Edge]) -> FoundTable | None:
    bounds = _columns(block)
    if len(bounds) + 1 < MIN_COLUMNS:
        return None
    ncol = len(bounds) + 1

    def col(w: Word) -> int:
        cx = (w.x0 + w.x1) / 2
        k = 0
        while k < len(bounds) and cx > bounds[k]:
            k += 1
        return k

    cells_of: list[list[list[Word]]] = []
    for ln in block:
        cells: list[list[Word]] = [[] for _ in range(ncol)]
        for seg in ln.segments:
            cols = [col(w) for w in seg]
            overhang = any(w.x0 < b < w.x1 for w in seg for b in bounds)
            if len(set(cols)) > 1 and overhang:
                # a cell overhanging a boundary stays whole when most of it is on one side
                share: dict[int, float] = {}
                for w, c in zip(seg, cols, strict=True):
                    share[c] = share.get(c, 0.0) + (w.x1 - w.x0)
                main, width = max(share.items(), key=lambda kv: kv[1])
                if width >= 0.75 * sum(share.values()):
                    cols = [main] * len(seg)
            for w, c in zip(seg, cols, strict=True):
                cells[c].append(w)
        cells_of.append(cells)
    if sum(1 for cells in cells_of if sum(1 for c in cells if c) >= 2) < 2:
        return None
    starts = _row_starts(block, cells_of, hrules)
    rows: list[tuple[str | None, ...]] = []
    bold_rows: list[bool] = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(block)
        texts = []
        words: list[Word] = []
        for c in range(ncol):
            parts = [join_words(cells_of[j][c]) for j in range(s, e) if cells_of[j][c]]
            texts.append("\n".join(parts))
            words.extend(w for j in range(s, e) for w in cells_of[j][c])
        rows.append(tuple(texts))
        bold_rows.append(bool(words) and all(w.bold for w in words))
    if len(rows) < 2:
        return None
    x0 = min(ln.x0 for ln in block)
    x1 = max(ln.x1 for ln in block)
    raw = RawTable(
        tuple(rows), block[0].top, block[-1].bottom, False, x0, x1, _bold_header(bold_rows)
    )
    return FoundTable(raw, {id(ln) for ln in block})


def _row_starts(
    block: list[TextLine], cells_of: list[list[list[Word]]], hrules: Sequence[Edge]
) -> list[int]:
    """Indexes of the lines that start a new row."""
    n = len(block)
    x0 = min(ln.x0 for ln in block)
    x1 = max(ln.x1 for ln in block)
    width = x1 - x0
    rules = sorted(
        e[1]
        for e in hrules
        if block[0].top - 2 <= e[1] <= block[-1].bottom + 2
        and min(e[2], x1) - max(e[0], x0) >= 0.5 * width
    )

    def crossed(j: int) -> bool:  # a rule between line j-1 and line j
        prev_mid = (block[j - 1].top + block[j - 1].bottom) / 2
        mid = (block[j].top + block[j].bottom) / 2
        return any(prev_mid < r < mid for r in rules)

    # bold header lines over a plain body form one row
    head = 0
    while head < n and block[head].bold:
        head += 1
    if head == n:
        head = 0
    # Gaps between consecutive lines of the same column: small inside a multi-line cell,
    # larger between rows when rows are padded. With padding, rows are the vertical bands
    # the lines form (cells may be centred, so a row's columns need not start together).
    gaps: list[float] = []
    last_bottom: dict[int, float] = {}
    for j, cells in enumerate(cells_of):
        for c, words in enumerate(cells):
            if words:
                if c in last_bottom:
                    gaps.append(block[j].top - last_bottom[c])
                last_bottom[c] = block[j].bottom
    inner = max(min(gaps), 0.5) if gaps else 0.0
    wide = sum(1 for g in gaps if g > 1.5 * inner + 1.0)
    padding = bool(gaps) and wide >= max(2, 0.1 * n)
    starts = [0]
    band_bottom = block[0].bottom
    for j in range(1, n):
        if head > 0 and j < head:
            band_bottom = max(band_bottom, block[j].bottom)
            continue
        if j == head and head:
            starts.append(j)
        elif padding:
            if block[j].top - band_bottom > 1.5 * inner + 1.0:  # extra space starts a row
                starts.append(j)
        elif cells_of[j][0]:
            starts.append(j)
        band_bottom = block[j].bottom if starts[-1] == j else max(band_bottom, block[j].bottom)
    # rules between most rows delimit the rows; a few rules (under the header, between
    # groups) only add breaks
    ruled = [j for j in range(1, n) if crossed(j)]
    if len(ruled) >= max(2, 0.6 * (len(starts) - 1)):
        return [0, *ruled]
    return sorted(set(starts) | set(ruled))
    return starts
