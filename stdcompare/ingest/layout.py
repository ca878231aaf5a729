"""Layout: glyphs → words → lines, running headers/footers, reading order on multi-column pages.

Lines are built from glyph boxes, not from the order of the content stream:

* glyphs that follow each other on one baseline form *runs*; runs that share a vertical band
  form a *line* (superscripts and subscripts join the line they overlap);
* inside a line, a gap wider than :data:`WORD_GAP` ems starts a new *word* (PDFium's loose
  boxes tile a word exactly, so any real gap is a space), a gap wider than
  :data:`SEGMENT_GAP` ems starts a new *segment* (a table cell, or the other column);
* no space is put between two CJK characters, even when they are letter-spaced.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..textutil import normalize
from .metadata import find_codes
from .pdfium_page import Glyph, PageContent
from .raw import Line, RawPage

WORD_GAP = 0.1  # ems
SEGMENT_GAP = 0.9  # ems
CJK_SPACE_GAP = 1.0  # ems: letter-spaced CJK headings are not split into words below this
ZONE = 3  # lines at the top and at the bottom of a page that may be running text
TOP_BAND = 0.12  # fraction of the page height
BOTTOM_BAND = 0.88

# ideographs, kana, CJK and full-width punctuation (not full-width letters and digits)
_CJK = re.compile(
    r"[\u2e80-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]"
)
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?(?:page\s+|стр(?:аница)?\.?\s*)?(?:\d{1,4}|[ivxlcdm]{1,6}|[IVXLCDM]{1,6})"
    r"(?:\s*(?:/|of|из)\s*\d{1,4})?(?:\s*[-–—])?$"
    r"|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    size: float
    bold: bool


@dataclass
class TextLine:
    """One visual line of a page with its words (page-internal; see :class:`.pdf.Line`)."""

    top: float
    bottom: float
    words: list[Word]
    size: float = 0.0
    bold: bool = False
    segments: list[list[Word]] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def text(self) -> str:
        return join_words(self.words)

    def segment_boxes(self) -> list[tuple[float, float]]:
        return [(s[0].x0, s[-1].x1) for s in self.segments]


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def join_words(words: Sequence[Word]) -> str:
    """Words of one line as text: a space between words, none between two CJK characters."""
    out = ""
    prev: Word | None = None
    for w in words:
        if prev is not None:
            gap = w.x0 - prev.x1
            cjk_pair = is_cjk(prev.text[-1]) and is_cjk(w.text[0])
            if not cjk_pair or gap > CJK_SPACE_GAP * max(w.size, prev.size, 1.0):
                out += " "
        out += w.text
        prev = w
    return normalize(out).strip()


# --- glyphs → lines -------------------------------------------------------------------------------


class _Run:
    __slots__ = ("bottom", "glyphs", "seq", "size", "top", "x1")

    def __init__(self, g: Glyph, size: float, seq: int) -> None:
        self.glyphs = [g]
        self.top, self.bottom, self.x1, self.size = g[3], g[4], g[2], size
        self.seq = seq


def build_lines(content: PageContent) -> list[TextLine]:
    """The page's visual lines, top to bottom, each with words and segments."""
    fonts = content.fonts
    runs: list[_Run] = []
    cur: _Run | None = None
    for g in content.glyphs:
        _ch, x0, x1, top, bottom, fi, _sp = g
        size = fonts[fi].size if fonts[fi].size > 0 else (bottom - top) / 1.2
        if cur is not None:
            h = min(bottom - top, cur.bottom - cur.top)
            overlap = min(bottom, cur.bottom) - max(top, cur.top)
            em = max(size, cur.size)
            # forward along the baseline; a ligature's parts share one box (x0 repeats)
            back = min(cur.x1 - 0.3 * em, cur.glyphs[-1][1] - 0.05 * em)
            if overlap >= 0.5 * h and back <= x0 <= cur.x1 + 0.6 * em:
                cur.glyphs.append(g)
                if x1 > cur.x1:
                    cur.x1 = x1
                continue
        cur = _Run(g, size, len(runs))
        runs.append(cur)
    return [_make_line(group, fonts) for group in _group_runs(runs)]


def _group_runs(runs: list[_Run]) -> list[list[_Run]]:
    """Runs sharing a vertical band (≥ half the smaller height), sorted top to bottom."""
    runs = sorted(runs, key=lambda r: (r.top, r.glyphs[0][1]))
    lines: list[tuple[float, float, list[_Run]]] = []  # (band top, band bottom, runs)
    active: list[int] = []
    for run in runs:
        h = run.bottom - run.top
        best, best_ov = -1, 0.0
        keep = []
        for idx in active:
            top, bottom, _ = lines[idx]
            if bottom <= run.top:
                continue  # the band is above this run for good (runs come sorted by top)
            keep.append(idx)
            ov = min(bottom, run.bottom) - max(top, run.top)
            if ov >= 0.5 * min(h, bottom - top) and ov > best_ov:
                best, best_ov = idx, ov
        active = keep
        if best >= 0:
            lines[best][2].append(run)
        else:
            lines.append((run.top, run.bottom, [run]))
            active.append(len(lines) - 1)
    return [group for _, _, group in lines]


def _make_line(runs: list[_Run], fonts: Sequence[object]) -> TextLine:
    # by position; glyphs at the same x (ligature parts) keep their stream order
    in_stream = sorted(runs, key=lambda r: r.seq)
    glyphs: list[Glyph] = sorted((g for r in in_stream for g in r.glyphs), key=lambda g: g[1])
    words: list[Word] = []
    sizes: Counter[float] = Counter()
    bold_n = 0
    chars: list[str] = []
    wx0 = wx1 = 0.0
    wsize, wbold = 0.0, 0
    prev: Glyph | None = None
    for g in glyphs:
        ch, x0, x1, _top, _bottom, fi, sp = g
        font = fonts[fi]
        size = font.size or 10.0  # type: ignore[attr-defined]
        bold = font.bold  # type: ignore[attr-defined]
        if prev is not None:
            if ch == prev[0] and abs(x0 - prev[1]) < 0.35 * (prev[2] - prev[1]):
                continue  # the same glyph drawn twice, slightly offset (simulated bold)
            gap = x0 - prev[2]
            if gap > WORD_GAP * size or (sp and gap > -0.05 * size):
                words.append(Word("".join(chars), wx0, wx1, wsize, wbold * 2 >= len(chars)))
                chars, wbold = [], 0
        if not chars:
            wx0, wsize = x0, size
        chars.append(ch)
        wx1 = max(wx1, x1) if len(chars) > 1 else x1
        if size > wsize:
            wsize = size
        wbold += bold
        sizes[size] += 1
        bold_n += bold
        prev = g
    if chars:
        words.append(Word("".join(chars), wx0, wx1, wsize, wbold * 2 >= len(chars)))
    top = min(r.top for r in runs)
    bottom = max(r.bottom for r in runs)
    size = max(sizes) if sizes else 0.0
    line = TextLine(top=top, bottom=bottom, words=words, size=size, bold=bold_n * 2 > len(glyphs))
    line.segments = split_segments(words)
    return line


def split_segments(words: Sequence[Word]) -> list[list[Word]]:
    segs: list[list[Word]] = []
    for w in words:
        if segs and w.x0 - segs[-1][-1].x1 <= SEGMENT_GAP * max(w.size, segs[-1][-1].size):
            segs[-1].append(w)
        else:
            segs.append([w])
    return segs


# --- running headers and footers ------------------------------------------------------------------


def line_key(text: str) -> str:
    """Text with digits folded, for recognising a header that carries the page number."""
    return _DIGITS.sub("#", re.sub(r"\s+", " ", text.strip().lower()))


def margin_lines(lines: Sequence[TextLine], height: float) -> list[TextLine]:
    """Lines among the first/last few that sit in the top/bottom margin band, apart from
    the body (a header or footer has space around it; body text that happens to repeat at
    a page end, such as a table row, does not)."""
    top = [ln for ln in lines[:ZONE] if ln.bottom < height * TOP_BAND + 12]
    bottom = [ln for ln in lines[-ZONE:] if ln.top > height * BOTTOM_BAND - 12]
    return [ln for ln in top + bottom if _apart(ln, lines)]


def running_keys(pages: Iterable[tuple[Sequence[TextLine], float]]) -> frozenset[str]:
    """Keys of margin lines that recur on at least half of the given pages (at least two:
    a two-page excerpt's header is on both pages)."""
    counts: Counter[str] = Counter()
    n = 0
    for lines, height in pages:
        n += 1
        counts.update({line_key(ln.text) for ln in margin_lines(lines, height)})
    if n < 2:
        return frozenset()
    threshold = max(2, (n + 1) // 2)
    return frozenset(k for k, c in counts.items() if c >= threshold and k and k != "#")


def _apart(ln: TextLine | Line, lines: Sequence[TextLine | Line]) -> bool:
    """No other line within 0.8 ems above or below (and overlapping it horizontally)."""
    h = 0.8 * ln.size if ln.size > 0 else max(ln.bottom - ln.top, 1.0)
    for other in lines:
        if other is ln:
            continue
        gap = max(other.top - ln.bottom, ln.top - other.bottom)
        if gap < h and min(other.x1, ln.x1 + 50) > max(other.x0, ln.x0 - 50):
            return False
    return True


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def drop_running(lines: list[TextLine], height: float, keys: frozenset[str]) -> list[TextLine]:
    """Remove running headers/footers and bare page numbers from the margin bands.

    A header or footer stands apart from the body: a margin line with a neighbour closer
    than one line height is body text that happens to repeat (a table row, say)."""
    margin = {id(ln) for ln in margin_lines(lines, height)}
    out = []
    for ln in lines:
        if id(ln) in margin:
            if line_key(ln.text) in keys or is_page_number(ln.text):
                continue
            # a header line whose last segment is the page number ("CXS 193-1995   60")
            if len(ln.segments) > 1 and is_page_number(join_words(ln.segments[-1])):
                rest = ln.segments[:-1]
                if line_key(" ".join(join_words(s) for s in rest)) in keys:
                    continue
        out.append(ln)
    return out


def strip_running(pages: Sequence[RawPage]) -> dict[int, list[Line]]:
    """Body lines per page number, with margin lines that recur on half the pages (on both
    pages of a two-page document) removed, and margin lines that carry the document's own
    code (see :func:`_own_code_lines`) even where they do not recur.

    The page readers already drop the running lines they learnt from a sample of pages;
    this pass over all pages catches the ones the sample missed.
    """

    def zone(p: RawPage) -> list[Line]:
        by_top = sorted(p.lines, key=lambda ln: ln.top)
        top = [ln for ln in by_top[:ZONE] if (ln.bottom or ln.top) < p.height * TOP_BAND + 12]
        bottom = [ln for ln in by_top[-ZONE:] if ln.top > p.height * BOTTOM_BAND - 12]
        return [ln for ln in top + bottom if ln.bottom <= ln.top or _apart(ln, p.lines)]

    zones = {p.number: zone(p) for p in pages}
    counts: Counter[str] = Counter()
    for z in zones.values():
        counts.update({line_key(ln.text) for ln in z})
    threshold = max(2, (len(pages) + 1) // 2)
    keys = (
        {k for k, c in counts.items() if c >= threshold and k and k != "#"}
        if len(pages) >= 2
        else set()
    )
    own = _own_code_lines(pages, zones)
    out: dict[int, list[Line]] = {}
    for p in pages:
        drop = {
            id(ln)
            for ln in zones[p.number]
            if line_key(ln.text) in keys or is_page_number(ln.text) or id(ln) in own
        }
        out[p.number] = [ln for ln in p.lines if id(ln) not in drop]
    return out


# what may stand beside a code in a running header: an amendment, the language letter, a page
_CODE_REMNANT = re.compile(
    r"^(?:\+\s*A\d{1,2}(?:\s*:\s*\d{4})?|\(\s*[A-Za-z]{1,3}\s*\)|[-–—|/,]|\d{1,4}"
    r"|page|стр\.?|第|页|\s)*$",
    re.IGNORECASE,
)


def _own_code_lines(pages: Sequence[RawPage], zones: dict[int, list[Line]]) -> set[int]:
    """Margin lines that are nothing but the document's own code ("EN 228:2012+A1:2017 (E)",
    "GB 18401—2010", "CXS 193-1995  60"), set no larger than the body text: a running
    header, even on a document too short for it to recur (a one-page excerpt, a cover and one
    page). The code is the document's own when another line of the document carries it (the
    cover's code or title line)."""
    sizes: Counter[float] = Counter()
    for p in pages:
        for ln in p.lines:
            if ln.size > 0:
                sizes[round(ln.size * 2) / 2] += len(ln.text)
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    cands: dict[int, set[str]] = {}
    for z in zones.values():
        for ln in z:
            if body > 0 and ln.size > body + 0.25:
                continue
            codes = find_codes(ln.text)
            if not codes:
                continue
            rest = ln.text
            for _, code in codes:
                rest = rest.replace(code, " ")
            rest = re.sub(r"\s+", " ", rest)
            for _, code in codes:  # codes were cleaned ("ISO 3696 : 1987" → "ISO 3696:1987")
                rest = re.sub(r"\s*".join(map(re.escape, code.replace(" ", ""))), " ", rest)
            if _CODE_REMNANT.match(rest):
                cands[id(ln)] = {code for _, code in codes}
    if not cands:
        return set()
    wanted = {re.sub(r"\s+", "", c) for codes in cands.values() for c in codes}
    seen: Counter[str] = Counter()
    for p in pages:
        for ln in p.lines:
            flat = re.sub(r"\s+", "", ln.text)
            seen.update(c for c in wanted if c in flat)
    return {k for k, codes in cands.items() if any(seen[re.sub(r"\s+", "", c)] >= 2 for c in codes)}


# --- reading order ------------------------------------------------------------------------------


def reading_order(lines: list[TextLine], width: float) -> list[TextLine]:
    """Lines in reading order: on a two-column page the left column before the right one.

    A gutter is a vertical strip near the middle of the page that no segment crosses while
    several prose segments end just left of it and start just right of it. Lines that cross
    the gutter (titles, full-width paragraphs) separate bands that are read column by column.
    """
    gutter = find_gutter(lines, width)
    if gutter is None:
        return lines
    g0, g1 = gutter
    out: list[TextLine] = []
    left: list[TextLine] = []
    right: list[TextLine] = []
    for ln in lines:
        segs_left = [s for s in ln.segments if s[-1].x1 <= g0 + 1]
        segs_right = [s for s in ln.segments if s[0].x0 >= g1 - 1]
        if len(segs_left) + len(segs_right) < len(ln.segments):  # crosses the gutter
            out.extend(left)
            out.extend(right)
            left, right = [], []
            out.append(ln)
            continue
        if segs_left:
            left.append(_subline(ln, segs_left))
        if segs_right:
            right.append(_subline(ln, segs_right))
    out.extend(left)
    out.extend(right)
    return out


def _subline(ln: TextLine, segs: list[list[Word]]) -> TextLine:
    if len(segs) == len(ln.segments):
        return ln
    words = [w for s in segs for w in s]
    return TextLine(ln.top, ln.bottom, words, ln.size, ln.bold, segs)


def find_gutter(lines: Sequence[TextLine], width: float) -> tuple[float, float] | None:
    """The (x0, x1) of a two-column gutter, or ``None`` for a single-column page."""
    segs = [s for ln in lines for s in ln.segment_boxes()]
    if len(segs) < 12:
        return None
    lo, hi = 0.3 * width, 0.7 * width
    step = 2.0
    best: tuple[int, float] | None = None
    x = lo
    while x <= hi:
        crossing = sum(1 for a, b in segs if a < x < b)
        if best is None or crossing < best[0]:
            best = (crossing, x)
        x += step
    if best is None or best[0] > max(2, 0.15 * len(segs)):
        return None
    mid = best[1]
    left = [(a, b) for a, b in segs if b <= mid]
    right = [(a, b) for a, b in segs if a >= mid]
    if len(left) < 6 or len(right) < 6:
        return None
    g0 = max(b for _, b in left)
    g1 = min(a for a, _ in right)
    if g1 - g0 < 4:
        return None
    left_start = min(a for a, _ in left)
    right_end = max(b for _, b in right)
    wl = sorted(b - a for a, b in left)[len(left) // 2]
    wr = sorted(b - a for a, b in right)[len(right) // 2]
    # both columns hold prose that fills them (not labels beside values)
    if wl < 0.6 * (g0 - left_start) or wr < 0.6 * (right_end - g1):
        return None
    # and the columns are of comparable width
    if not 0.5 <= (g0 - left_start) / max(right_end - g1, 1.0) <= 2.0:
        return None
    return (g0, g1)
