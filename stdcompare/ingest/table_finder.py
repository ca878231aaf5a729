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
import re
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
DASH = 12.0  # points: the longest piece of a dashed or dotted rule
FULL_RULE = 0.9  # share of a table's width a rule must cover to bound its header
MAX_HEADER_LINES = 8  # lines of a header band between two rules


@dataclass
class FoundTable:
    raw: RawTable
    lines: set[int]  # ids of the TextLines it consumed


def find_tables(lines: Sequence[TextLine], edges: Sequence[Edge]) -> list[FoundTable]:
    found = ruled_tables(lines, edges)
    used = set().union(*(f.lines for f in found)) if found else set()
    rest = [ln for ln in lines if id(ln) not in used]
    hrules = join_dashes([e for e in edges if e[4] == "h"])
    found.extend(borderless_tables(rest, hrules))
    found.sort(key=lambda f: f.raw.top)
    return found


def join_dashes(hrules: Sequence[Edge]) -> list[Edge]:
    """Horizontal edges with dashed and dotted lines joined into one rule each.

    A dash is a short edge (at most :data:`DASH` points); dashes on one baseline, each
    separated from the next by no more than twice its length, form one rule."""
    rows: dict[int, list[Edge]] = {}
    for e in hrules:
        rows.setdefault(round(e[1]), []).append(e)
    out: list[Edge] = []
    for row in rows.values():
        row.sort(key=lambda e: e[0])
        cur: list[float] | None = None  # x0, top, x1, last dash length
        for x0, top, x1, _bottom, _o in row:
            length = x1 - x0
            if (
                cur is not None
                and length <= DASH
                and cur[3] <= DASH
                and x0 - cur[2] <= 2 * max(length, cur[3], 1.0)
            ):
                cur[2], cur[3] = max(cur[2], x1), length
                continue
            if cur is not None:
                out.append((cur[0], cur[1], cur[2], cur[1], "h"))
            cur = [x0, top, x1, length]
        if cur is not None:
            out.append((cur[0], cur[1], cur[2], cur[1], "h"))
    return out


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
            if _header_like(lines[lo]) and _rule_between(above, lines[lo], hrules, gaps):
                break  # a rule over a header line is the table's top border
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
        lo, head = _header_band(lines, lo, hi, floor, hrules, ln)
        block = list(lines[lo : hi + 1])
        table = _block_table(block, hrules, head)
        if table is not None:
            out.append(table)
            i = floor = hi + 1
        else:
            i += 1
    return out


def _full_rules(hrules: Sequence[Edge], x0: float, x1: float) -> list[float]:
    """Heights of the rules that run across (nearly) all of ``x0``–``x1``."""
    width = max(x1 - x0, 1.0)
    return sorted(e[1] for e in hrules if min(e[2], x1) - max(e[0], x0) >= FULL_RULE * width)


def _rule_between(upper: TextLine, lower: TextLine, hrules: Sequence[Edge], gaps: _Gaps) -> bool:
    x0, x1 = min(gaps.x0, upper.x0), max(gaps.x1, upper.x1)
    return any(upper.bottom - 1 <= y <= lower.top + 1 for y in _full_rules(hrules, x0, x1))


_CODE_SEGMENT = re.compile(r"^[-–]?\d+(?:[.,]\d+)*[a-z]?(?:\([ivx]+\))?$")


def _header_band(
    lines: Sequence[TextLine], lo: int, hi: int, floor: int, hrules: Sequence[Edge], seed: TextLine
) -> tuple[int, int]:
    """Extend a block upward by the header set between two rules, and count its lines.

    Tables with horizontal rules only (booktabs, "hlines") print the header between the top
    rule and the rule under the header. A header in that band may have fewer segments than
    a row (labels spanning columns, cells centred over several lines) and may sit apart
    from the first row; every line between the two rules belongs to it. Returns the new
    first line and the number of header lines (0: no such band)."""
    block = lines[lo : hi + 1]
    x0 = min(ln.x0 for ln in block)
    x1 = max(ln.x1 for ln in block)
    h = max(block[0].bottom - block[0].top, 1.0)
    width = max(x1 - x0, 1.0)
    full = [
        e
        for e in hrules
        if min(e[2], x1) - max(e[0], x0) >= FULL_RULE * width
        and block[0].top - 4 * h <= e[1] <= _mid(block[min(len(block) - 1, MAX_HEADER_LINES)])
    ]
    rules = sorted({round(e[1], 1): e for e in full}.values(), key=lambda e: e[1])
    for under in rules:
        below = [ln for ln in block if _mid(ln) > under[1]]
        if len(below) < 2:
            break
        tops = [
            e
            for e in hrules
            if e[1] < under[1] - h
            and under[1] - e[1] <= 2 * MAX_HEADER_LINES * h
            and min(e[2], x1) - max(e[0], x0) >= FULL_RULE * width
        ]
        if not tops:
            continue
        top = max(tops, key=lambda e: e[1])
        k = lo
        while k - 1 >= floor and _mid(lines[k - 1]) > top[1]:
            k -= 1
        band = [ln for ln in lines[k : hi + 1] if top[1] < _mid(ln) < under[1]]
        if not band or len(band) > MAX_HEADER_LINES:
            continue
        if any(
            not _same_type(seed, ln)
            or ln.x0 < top[0] - 2
            or ln.x1 > top[2] + 2
            or any(_CODE_SEGMENT.match(join_words(sg)) for sg in ln.segments)
            for ln in band
        ):
            continue
        return k, len(band)
    return lo, 0


def _mid(ln: TextLine) -> float:
    return (ln.top + ln.bottom) / 2


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
    return _confirmed(block, bounds)


def _confirmed(block: Sequence[TextLine], bounds: list[float]) -> list[float]:
    """Bounds that a line crosses stay only between two columns that each hold words of at
    least two other lines (one long cell across a column of words from a single line — a
    header label — is not two columns); then a column holding words of one line only (a
    header label centred beside the column it heads) joins the neighbour nearest to it."""
    out = list(bounds)
    for b in bounds:
        crossing = [ln for ln in block if _crosses(ln, b)]
        if not crossing:
            continue
        k = out.index(b)
        left = out[k - 1] if k > 0 else float("-inf")
        right = out[k + 1] if k + 1 < len(out) else float("inf")
        rest = [ln for ln in block if ln not in crossing]
        if _lines_in(rest, left, b) < 2 or _lines_in(rest, b, right) < 2:
            out.remove(b)
    while out:
        edges = [float("-inf"), *out, float("inf")]
        spans = list(itertools.pairwise(edges))
        lone = next((c for c, (a, z) in enumerate(spans) if _lines_in(block, a, z) < 2), None)
        if lone is None:
            break
        extents = [_extent(block, a, z) for a, z in spans]
        left_gap = _distance(extents[lone], extents[lone - 1]) if lone > 0 else float("inf")
        right_gap = (
            _distance(extents[lone], extents[lone + 1]) if lone + 1 < len(spans) else float("inf")
        )
        out.pop(lone - 1 if lone > 0 and left_gap <= right_gap else min(lone, len(out) - 1))
    return out


def _lines_in(lines: Sequence[TextLine], a: float, z: float) -> int:
    """How many of ``lines`` have a word centred between ``a`` and ``z``."""
    return sum(1 for ln in lines if any(a < (w.x0 + w.x1) / 2 < z for w in ln.words))


def _extent(lines: Sequence[TextLine], a: float, z: float) -> tuple[float, float] | None:
    xs = [(w.x0, w.x1) for ln in lines for w in ln.words if a < (w.x0 + w.x1) / 2 < z]
    return (min(x for x, _ in xs), max(x for _, x in xs)) if xs else None


def _distance(p: tuple[float, float] | None, q: tuple[float, float] | None) -> float:
    if p is None or q is None:
        return float("inf")
    return max(q[0] - p[1], p[0] - q[1])


def _header_splits(
    header: Sequence[TextLine], body: Sequence[TextLine], bounds: list[float]
) -> list[float]:
    """Bounds between header labels printed over columns the body leaves empty ("Max Level
    | Notes" over a notes column without notes): two segments of a header line inside one
    column, with an x interval between them that no word of the body covers."""
    out = sorted(bounds)
    boxes = [(w.x0, w.x1) for ln in body for w in ln.words]
    for ln in header:
        for a, b in itertools.pairwise(ln.segments):
            g0, g1 = a[-1].x1, b[0].x0
            ca, cb = (a[0].x0 + a[-1].x1) / 2, (b[0].x0 + b[-1].x1) / 2
            if any(ca <= x <= cb for x in out):
                continue  # the two labels head different columns already
            free = [(g0, g1)]
            for w0, w1 in boxes:
                nxt = []
                for f0, f1 in free:
                    if w1 <= f0 or w0 >= f1:
                        nxt.append((f0, f1))
                        continue
                    if w0 > f0:
                        nxt.append((f0, w0))
                    if w1 < f1:
                        nxt.append((w1, f1))
                free = nxt
            wide = [f for f in free if f[1] - f[0] >= MIN_GAP]
            if wide:
                f0, f1 = max(wide, key=lambda f: f[1] - f[0])
                out = sorted([*out, (f0 + f1) / 2])
    return out


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


def _block_table(block: list[TextLine], hrules: Sequence[Edge], head: int = 0) -> FoundTable | None:
    """Cells of a block; its first ``head`` lines are the header (one row, labels spanning
    columns repeated in each)."""
    body = block[head:] if head and len(block) - head >= 2 else block
    bounds = _columns(body)
    if head and body is not block:
        bounds = _header_splits(block[:head], body, bounds)
    elif _header_like(block[0]):
        bounds = _header_splits(block[:1], block[1:], bounds)
    if len(bounds) + 1 < MIN_COLUMNS:
        return None
    ncol = len(bounds) + 1

    def col(w: Word) -> int:
        cx = (w.x0 + w.x1) / 2
        k = 0
        while k < len(bounds) and cx > bounds[k]:
            k += 1
        return k

    extent: dict[int, tuple[float, float]] = {}  # x range of each column's body words
    for ln in block[head:]:
        for w in ln.words:
            c = col(w)
            a, z = extent.get(c, (w.x0, w.x1))
            extent[c] = (min(a, w.x0), max(z, w.x1))
    cells_of: list[list[list[Word]]] = []
    for j, ln in enumerate(block):
        cells: list[list[Word]] = [[] for _ in range(ncol)]
        for seg in ln.segments:
            cols = [col(w) for w in seg]
            spanned = _spanned(seg, extent) if j < head else []
            if spanned:
                # a header label heads the columns whose body it lies over (each of them
                # when it is centred over several)
                for c in spanned:
                    cells[c].extend(seg)
                continue
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
    starts = _row_starts(block, cells_of, hrules, head)
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
    header_rows = 1 if head else _bold_header(bold_rows)
    raw = RawTable(tuple(rows), block[0].top, block[-1].bottom, False, x0, x1, header_rows)
    return FoundTable(raw, {id(ln) for ln in block})


def _spanned(seg: Sequence[Word], extent: dict[int, tuple[float, float]]) -> list[int]:
    """Columns whose body words a segment lies over (a label centred over several columns)."""
    s0, s1 = seg[0].x0, seg[-1].x1
    return sorted(c for c, (a, z) in extent.items() if min(s1, z) - max(s0, a) > 0)


def _row_starts(
    block: list[TextLine], cells_of: list[list[list[Word]]], hrules: Sequence[Edge], band: int = 0
) -> list[int]:
    """Indexes of the lines that start a new row (the first ``band`` lines are one row)."""
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
    if band:
        head = band
    # Gaps between consecutive lines of the same column: small inside a multi-line cell,
    # larger between rows when rows are padded. With padding, rows are the vertical bands
    # the lines form (cells may be centred, so a row's columns need not start together).
    # A gap with a whole line of the block inside it is an empty cell of this column (a
    # group row above), not padding.
    gaps: list[float] = []
    last: dict[int, int] = {}
    for j, cells in enumerate(cells_of):
        for c, words in enumerate(cells):
            if words:
                p = last.get(c)
                if (
                    p is not None
                    and p >= head
                    and not any(
                        block[p].bottom <= block[q].top and block[q].bottom <= block[j].top
                        for q in range(p + 1, j)
                    )
                ):
                    gaps.append(block[j].top - block[p].bottom)
                last[c] = j
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
    ruled = [j for j in range(max(1, band), n) if crossed(j)]
    if len(ruled) >= max(2, 0.6 * (len(starts) - 1)):
        return sorted({0, band, *ruled} - {n})
    return sorted(set(starts) | set(ruled))
