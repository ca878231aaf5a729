"""Render the corpora markup (or plain text) to PDF with reportlab.

Public API::

    parse_markup(src) -> Markup                      # markup text -> blocks (no reportlab work)
    render_markup(src, out_path, *, language=None)   -> Path
    render_file(src_path, out_path=None)             -> Path
    render_text(lines_or_str, out_path, *, ...)      -> Path   # quick test documents

Chinese characters are set in reportlab's built-in CID font ``STSong-Light`` (not
embedded; readers and pdfminer know its CMap); every other character is set in DejaVu Sans
(embedded subset), chosen per character run, so µ, μ, ≤, ≥, ℃, ～, sub/superscript digits and
Cyrillic all keep a real, extractable text layer.  Output is A4 and byte-for-byte
reproducible (reportlab ``invariant=1``).

The markup is documented in ``corpora/README.md``; in short: ``!meta key: value`` lines,
``!cover``/``!endcover`` blocks, ``#``/``##``/``###`` headings (``#^`` centred), one
paragraph per line (``>`` indents, ``!note``, ``!center``, ``!right``, ``!title``),
``!table ...``/``| a | b |``/``!endtable`` tables (cells ``<`` and ``^`` merge left/up),
``!pagebreak``, ``!space N``, ``!numbering roman|arabic N`` and ``%%`` comments.  Inline:
``**bold**``, ``^{sup}``, ``_{sub}``, ``<br>``.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import CIDFontInfo, UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

__all__ = [
    "Cover",
    "CoverLine",
    "Heading",
    "Markup",
    "MarkupError",
    "Numbering",
    "Pagebreak",
    "Para",
    "Space",
    "TableBlock",
    "parse_markup",
    "render_file",
    "render_markup",
    "render_text",
]

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
CJK_FONT = "STSong-Light"
LATIN_FONT = "DejaVuSans"
LATIN_BOLD = "DejaVuSans-Bold"

PAGE_W, PAGE_H = A4
MARGIN_LEFT, MARGIN_RIGHT = 25 * mm, 20 * mm
MARGIN_TOP, MARGIN_BOTTOM = 25 * mm, 20 * mm

_CJK_RANGES = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # kana
    (0x3100, 0x312F),  # bopomofo
    (0x3200, 0x33FF),  # enclosed CJK, compatibility
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),  # compatibility forms
    (0xFF00, 0xFFEF),  # half- and full-width forms (（）：，～ …)
)


class MarkupError(ValueError):
    """The corpus markup could not be parsed; the message names the line."""


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Heading:
    """A heading line: ``#`` level 1 … ``###`` level 3; ``#^`` centres it."""

    level: int
    text: str
    centered: bool = False


@dataclass(frozen=True)
class Para:
    """One paragraph; ``kind`` is body, note, center, right or title."""

    text: str
    kind: str = "body"
    indent: int = 0


@dataclass(frozen=True)
class CoverLine:
    """One line of a cover page: a style name, its text and an optional argument."""

    style: str
    text: str = ""
    arg: float | None = None


@dataclass(frozen=True)
class Cover:
    """A cover page (no running header or footer), followed by a page break."""

    lines: tuple[CoverLine, ...]


@dataclass(frozen=True)
class TableBlock:
    """A table: rows of raw cell strings (``<``/``^`` are span markers) and options."""

    rows: tuple[tuple[str, ...], ...]
    style: str = "ruled"
    header_rows: int = 1
    repeat_header: bool = False
    widths: tuple[float, ...] | None = None
    align: str = ""
    size: float | None = None
    caption: str = ""


@dataclass(frozen=True)
class Pagebreak:
    """Start a new page."""


@dataclass(frozen=True)
class Space:
    """Vertical space in millimetres."""

    mm: float


@dataclass(frozen=True)
class Numbering:
    """Restart the printed page numbering on the current page."""

    style: str
    start: int = 1


Block = Heading | Para | Cover | TableBlock | Pagebreak | Space | Numbering


@dataclass(frozen=True)
class Markup:
    """A parsed markup document: ``!meta`` settings and the block sequence."""

    meta: dict[str, str] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()


# --------------------------------------------------------------------------- parser

_TABLE_STYLES = ("ruled", "hlines", "borderless")
_COVER_STYLES = (
    "left",
    "right",
    "center",
    "big",
    "title",
    "subtitle",
    "code",
    "small",
    "rule",
    "space",
    "split",
)
_PARA_DIRECTIVES = {"!note": "note", "!center": "center", "!right": "right", "!title": "title"}


def parse_markup(src: str) -> Markup:
    """Parse corpus markup into a :class:`Markup`; raise :class:`MarkupError` on bad input."""
    meta: dict[str, str] = {}
    blocks: list[Block] = []
    lines = src.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        i += 1
        if not line.strip() or line.lstrip().startswith("%%"):
            continue
        if line.startswith("!meta "):
            key, sep, value = line[6:].partition(":")
            if not sep:
                raise MarkupError(f"line {i}: !meta needs 'key: value'")
            meta[key.strip()] = value.strip()
        elif line.strip() == "!cover":
            i, cover = _parse_cover(lines, i)
            blocks.append(cover)
        elif line.startswith("!table"):
            i, table = _parse_table(lines, i, line)
            blocks.append(table)
        else:
            blocks.append(_parse_simple(line, i))
    return Markup(meta=meta, blocks=tuple(blocks))


def _parse_simple(line: str, lineno: int) -> Block:
    """Parse a one-line block: heading, directive or paragraph."""
    if line.startswith("#"):
        match = re.match(r"^(#{1,3})(\^?)\s+(.*)$", line)
        if not match:
            raise MarkupError(f"line {lineno}: malformed heading {line!r}")
        return Heading(len(match.group(1)), match.group(3).strip(), bool(match.group(2)))
    if line.startswith("!"):
        word, _, rest = line.partition(" ")
        if word in _PARA_DIRECTIVES:
            return Para(rest.strip(), _PARA_DIRECTIVES[word])
        if word == "!pagebreak":
            return Pagebreak()
        if word == "!space":
            return Space(_number(rest, lineno))
        if word == "!numbering":
            parts = rest.split()
            if not parts or parts[0] not in ("roman", "arabic"):
                raise MarkupError(f"line {lineno}: !numbering roman|arabic [start]")
            return Numbering(parts[0], int(parts[1]) if len(parts) > 1 else 1)
        raise MarkupError(f"line {lineno}: unknown directive {word!r}")
    stripped = line.lstrip()
    indent = len(stripped) - len(stripped.lstrip(">"))
    if indent:
        return Para(stripped[indent:].strip(), "body", indent)
    return Para(line.strip())


def _number(text: str, lineno: int) -> float:
    try:
        return float(text)
    except ValueError:
        raise MarkupError(f"line {lineno}: expected a number, got {text!r}") from None


def _parse_cover(lines: list[str], i: int) -> tuple[int, Cover]:
    """Read cover lines ``[style] text`` up to ``!endcover``."""
    out: list[CoverLine] = []
    start = i
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if line == "!endcover":
            return i, Cover(tuple(out))
        if not line or line.startswith("%%"):
            continue
        match = re.match(r"^\[([a-z]+)(?:=([\d.]+))?\]\s*(.*)$", line)
        if not match:
            out.append(CoverLine("center", line))
            continue
        style, arg, text = match.groups()
        if style not in _COVER_STYLES:
            raise MarkupError(f"line {i}: unknown cover style {style!r}; use {_COVER_STYLES}")
        out.append(CoverLine(style, text, float(arg) if arg else None))
    raise MarkupError(f"line {start}: !cover without !endcover")


def _parse_table(lines: list[str], i: int, header: str) -> tuple[int, TableBlock]:
    """Read ``| a | b |`` rows up to ``!endtable`` and apply the ``!table`` options."""
    opts = _table_options(header, i)
    rows: list[tuple[str, ...]] = []
    start = i
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if line == "!endtable":
            if not rows:
                raise MarkupError(f"line {start}: empty table")
            width = max(len(r) for r in rows)
            rows = [r + ("",) * (width - len(r)) for r in rows]
            return i, TableBlock(rows=tuple(rows), **opts)
        if not line or line.startswith("%%"):
            continue
        if not line.startswith("|"):
            raise MarkupError(f"line {i}: table rows start with '|': {line!r}")
        rows.append(_split_row(line))
    raise MarkupError(f"line {start}: !table without !endtable")


def _split_row(line: str) -> tuple[str, ...]:
    body = line.strip()[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells = re.split(r"(?<!\\)\|", body)
    return tuple(c.strip().replace("\\|", "|") for c in cells)


def _table_options(header: str, lineno: int) -> dict:
    opts: dict = {}
    for token in shlex.split(header)[1:]:
        key, sep, value = token.partition("=")
        if not sep:
            if key in _TABLE_STYLES:
                opts["style"] = key
            elif key == "repeat-header":
                opts["repeat_header"] = True
            else:
                raise MarkupError(f"line {lineno}: unknown table flag {key!r}")
        elif key == "header":
            opts["header_rows"] = int(value)
        elif key == "widths":
            opts["widths"] = tuple(float(w) for w in value.split(","))
        elif key == "align":
            opts["align"] = value
        elif key == "size":
            opts["size"] = float(value)
        elif key == "caption":
            opts["caption"] = value
        else:
            raise MarkupError(f"line {lineno}: unknown table option {key!r}")
    return opts


# --------------------------------------------------------------------------- fonts


class _PaddedCIDFont(UnicodeCIDFont):
    """STSong-Light that never writes a one-character string.

    PDFium (pypdfium2) drops a text-showing string of a single character in a
    non-embedded CID font when it has no outline for the glyph (no CJK system font), so
    such a string gets a trailing NUL code.  NUL maps to CID 0, which this font declares
    zero-width; pdfminer and PDFium both skip it, so extraction and layout are unchanged.
    """

    def formatForPdf(self, text: str) -> bytes:
        if len(text) == 1:
            text += "\x00"
        return super().formatForPdf(text)

    def addObjects(self, doc: object) -> None:
        desc = CIDFontInfo[self.face.name]["DescendantFonts"][0]
        widths = desc["W"]
        desc["W"] = [0, [0], *widths]
        try:
            super().addObjects(doc)
        finally:
            desc["W"] = widths


@lru_cache(maxsize=1)
def _register_fonts() -> frozenset[int]:
    """Register STSong-Light and DejaVu Sans once; return DejaVu's code points."""
    pdfmetrics.registerFont(_PaddedCIDFont(CJK_FONT))
    regular = TTFont(LATIN_FONT, str(DEJAVU_DIR / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(TTFont(LATIN_BOLD, str(DEJAVU_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        LATIN_FONT, normal=LATIN_FONT, bold=LATIN_BOLD, italic=LATIN_FONT, boldItalic=LATIN_BOLD
    )
    return frozenset(regular.face.charToGlyph)


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _CJK_RANGES)


def _font_for(ch: str, bold: bool) -> str:
    """The font for one character: CJK (or not in DejaVu) -> STSong, else DejaVu."""
    if _is_cjk(ch) or ord(ch) not in _register_fonts():
        return CJK_FONT
    return LATIN_BOLD if bold else LATIN_FONT


def font_runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """Split ``text`` into ``(font name, substring)`` runs; spaces join the current run."""
    runs: list[tuple[str, str]] = []
    for ch in text:
        font = runs[-1][0] if (ch == " " and runs) else _font_for(ch, bold)
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of ``text`` set with per-run fonts."""
    return sum(pdfmetrics.stringWidth(s, f, size) for f, s in font_runs(text, bold))


def draw_text(
    canv: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    align: str = "left",
    bold: bool = False,
) -> None:
    """Draw one line of mixed-script text at ``(x, y)`` aligned left, center or right."""
    if align == "center":
        x -= text_width(text, size, bold) / 2
    elif align == "right":
        x -= text_width(text, size, bold)
    for font, chunk in font_runs(text, bold):
        canv.setFont(font, size)
        canv.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, font, size)


# --------------------------------------------------------------------------- inline markup

_INLINE_RE = re.compile(r"(\*\*|\^\{[^}]*\}|_\{[^}]*\}|<br>)")


def inline_xml(text: str, bold: bool = False) -> str:
    """Convert inline markup to reportlab paragraph XML with a font per script run."""
    out: list[str] = []
    for token in _INLINE_RE.split(text):
        if not token:
            continue
        if token == "**":
            bold = not bold
        elif token == "<br>":
            out.append("<br/>")
        elif token.startswith("^{"):
            out.append(f'<super rise="2.5">{_runs_xml(token[2:-1], bold)}</super>')
        elif token.startswith("_{"):
            out.append(f'<sub rise="1.5">{_runs_xml(token[2:-1], bold)}</sub>')
        else:
            out.append(_runs_xml(token, bold))
    return "".join(out)


def _runs_xml(text: str, bold: bool) -> str:
    return "".join(f'<font name="{f}">{escape(s)}</font>' for f, s in font_runs(text, bold))


def plain_text(text: str) -> str:
    """The characters a reader extracts from inline markup (markers removed)."""
    text = text.replace("**", "").replace("<br>", "\n")
    return re.sub(r"[\^_]\{([^}]*)\}", r"\1", text)


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class _Styles:
    """Paragraph styles for one document, derived from language and base size."""

    language: str
    size: float

    def make(
        self,
        name: str,
        *,
        size: float | None = None,
        align: int | None = None,
        indent: float = 0,
        before: float = 0,
        after: float = 3,
        keep: bool = False,
    ) -> ParagraphStyle:
        sz = size or self.size
        return ParagraphStyle(
            name,
            fontName=LATIN_FONT,
            fontSize=sz,
            leading=sz * (1.45 if self.language == "zh" else 1.3),
            alignment=TA_LEFT if align is None else align,
            wordWrap="CJK" if self.language == "zh" else None,
            leftIndent=indent,
            spaceBefore=before,
            spaceAfter=after,
            keepWithNext=keep,
            splitLongWords=False,
        )

    def body(self, indent: int = 0) -> ParagraphStyle:
        align = TA_JUSTIFY if self.language != "zh" else TA_LEFT
        return self.make(f"body{indent}", align=align, indent=indent * 7 * mm)

    def heading(self, level: int, centered: bool) -> ParagraphStyle:
        size = {1: self.size + 1.5, 2: self.size + 0.5, 3: self.size}[level]
        align = TA_CENTER if centered else TA_LEFT
        return self.make(
            f"h{level}", size=size, align=align, before=6 if level == 1 else 3, after=4, keep=True
        )


# --------------------------------------------------------------------------- doc template


class _CorpusDoc(BaseDocTemplate):
    """Doc template with running header/footer, cover pages and restartable numbering."""

    def __init__(self, filename: str, meta: dict[str, str], **kw) -> None:
        super().__init__(
            filename,
            pagesize=A4,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            invariant=1,
            **kw,
        )
        self.meta = meta
        self.no_chrome: set[int] = set()
        self.num_style = "arabic"
        self.num_start = int(meta.get("page-start", "1"))
        self.num_from = 1
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=_draw_chrome)])

    def handle_nochrome(self) -> None:
        """Suppress header and footer on the current page (cover)."""
        self.no_chrome.add(self.page)

    def handle_numbering(self, style: str, start: int) -> None:
        """Restart printed page numbers on the current page."""
        self.num_style, self.num_start, self.num_from = style, start, self.page

    def printed_page(self) -> str:
        """The page number as printed on the current page."""
        number = self.num_start + self.page - self.num_from
        return _roman(number) if self.num_style == "roman" else str(number)


def _roman(n: int) -> str:
    out = []
    for value, sym in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _draw_chrome(canv: Canvas, doc: _CorpusDoc) -> None:
    """Draw the running header (with optional rule) and footer unless suppressed."""
    if doc.page in doc.no_chrome:
        return
    meta, page = doc.meta, doc.printed_page()
    size = float(meta.get("header-size", "9"))
    left = meta.get("header-left", "").replace("{page}", page)
    center = meta.get("header-center", "").replace("{page}", page)
    right = meta.get("header-right", "").replace("{page}", page)
    number = doc.num_start + doc.page - doc.num_from
    if meta.get("header-mirror", "no") == "yes" and number % 2 == 1:
        left, right = right, left
    y = PAGE_H - MARGIN_TOP + 8 * mm
    canv.saveState()
    draw_text(canv, MARGIN_LEFT, y, left, size)
    draw_text(canv, PAGE_W / 2, y, center, size, align="center")
    draw_text(canv, PAGE_W - MARGIN_RIGHT, y, right, size, align="right")
    if meta.get("header-rule", "yes") == "yes" and (left or center or right):
        canv.setLineWidth(0.5)
        canv.line(MARGIN_LEFT, y - 2 * mm, PAGE_W - MARGIN_RIGHT, y - 2 * mm)
    footer = meta.get("footer", "{page}").replace("{page}", page)
    draw_text(canv, PAGE_W / 2, MARGIN_BOTTOM - 10 * mm, footer, size, align="center")
    canv.restoreState()


# --------------------------------------------------------------------------- flowables


def _flowables(markup: Markup, styles: _Styles, frame_width: float) -> list[Flowable]:
    story: list[Flowable] = []
    for block in markup.blocks:
        story.extend(_block_flowables(block, styles, frame_width))
    return story


def _block_flowables(block: Block, styles: _Styles, width: float) -> list[Flowable]:
    if isinstance(block, Heading):
        return [
            Paragraph(
                inline_xml(block.text, bold=True), styles.heading(block.level, block.centered)
            )
        ]
    if isinstance(block, Para):
        return [Paragraph(inline_xml(block.text), _para_style(block, styles))]
    if isinstance(block, Cover):
        return _cover_flowables(block, styles, width)
    if isinstance(block, TableBlock):
        return _table_flowables(block, styles, width)
    if isinstance(block, Pagebreak):
        return [PageBreak()]
    if isinstance(block, Space):
        return [Spacer(1, block.mm * mm)]
    if isinstance(block, Numbering):
        return [ActionFlowable(("numbering", block.style, block.start))]
    raise TypeError(f"unknown block {block!r}")


def _para_style(block: Para, styles: _Styles) -> ParagraphStyle:
    if block.kind == "note":
        return styles.make("note", size=styles.size - 1.5)
    if block.kind == "center":
        return styles.make("center", align=TA_CENTER)
    if block.kind == "right":
        return styles.make("right", align=TA_RIGHT)
    if block.kind == "title":
        return styles.make("title", size=styles.size + 3.5, align=TA_CENTER, before=4, after=8)
    return styles.body(block.indent)


_COVER_SIZES = {
    "left": 0,
    "right": 0,
    "center": 0,
    "small": -1.5,
    "big": 3.5,
    "code": 4,
    "subtitle": 2.5,
    "title": 11.5,
}


def _cover_flowables(cover: Cover, styles: _Styles, width: float) -> list[Flowable]:
    story: list[Flowable] = [ActionFlowable(("nochrome",))]
    for line in cover.lines:
        if line.style == "rule":
            story.append(
                HRFlowable(
                    width="100%", thickness=0.8, color=colors.black, spaceBefore=2, spaceAfter=2
                )
            )
        elif line.style == "space":
            story.append(Spacer(1, (line.arg or 10) * mm))
        elif line.style == "split":
            story.append(_split_line(line.text, styles, width))
        else:
            align = {"left": TA_LEFT, "right": TA_RIGHT, "code": TA_RIGHT}.get(
                line.style, TA_CENTER
            )
            style = styles.make(
                f"cover-{line.style}",
                size=styles.size + _COVER_SIZES[line.style],
                align=align,
                after=2,
            )
            bold = line.style in ("title", "code")
            story.append(Paragraph(inline_xml(line.text, bold=bold), style))
    story.append(PageBreak())
    return story


def _split_line(text: str, styles: _Styles, width: float) -> Table:
    """A cover line ``left || right`` as a borderless two-cell row."""
    left, _, right = text.partition("||")
    cells = [
        [
            Paragraph(inline_xml(left.strip()), styles.make("split-l", size=styles.size + 1)),
            Paragraph(
                inline_xml(right.strip()),
                styles.make("split-r", size=styles.size + 1, align=TA_RIGHT),
            ),
        ]
    ]
    table = Table(cells, colWidths=[width / 2, width / 2])
    table.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    )
    return table


# --------------------------------------------------------------------------- tables


def _table_flowables(block: TableBlock, styles: _Styles, width: float) -> list[Flowable]:
    story: list[Flowable] = []
    size = block.size or styles.size - 1.5
    if block.caption:
        story.append(
            Paragraph(
                inline_xml(block.caption, bold=True),
                styles.make("caption", align=TA_CENTER, before=4, after=3, keep=True),
            )
        )
    ncols = len(block.rows[0])
    rel = block.widths or (1.0,) * ncols
    if len(rel) != ncols:
        raise MarkupError(f"table has {ncols} columns but widths= gives {len(rel)}")
    col_widths = [width * w / sum(rel) for w in rel]
    data = _table_cells(block, styles, size)
    table = Table(
        data,
        colWidths=col_widths,
        repeatRows=block.header_rows if block.repeat_header else 0,
        hAlign="CENTER",
    )
    table.setStyle(TableStyle(_table_commands(block)))
    story.append(table)
    story.append(Spacer(1, 2 * mm))
    return story


def _table_cells(block: TableBlock, styles: _Styles, size: float) -> list[list[object]]:
    aligns = {"l": TA_LEFT, "c": TA_CENTER, "r": TA_RIGHT}
    cell_styles = {
        key: styles.make(f"cell-{key}", size=size, align=value, after=0)
        for key, value in aligns.items()
    }
    data: list[list[object]] = []
    for r, row in enumerate(block.rows):
        out_row: list[object] = []
        for c, cell in enumerate(row):
            if cell in ("<", "^"):
                out_row.append("")
                continue
            key = "c" if r < block.header_rows else (block.align[c : c + 1] or "l")
            out_row.append(Paragraph(inline_xml(cell), cell_styles[key]))
        data.append(out_row)
    return data


def _table_commands(block: TableBlock) -> list[tuple]:
    cmds: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if block.style == "ruled":
        cmds.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
        cmds.append(("BOX", (0, 0), (-1, -1), 1.0, colors.black))
    elif block.style == "hlines":
        cmds.append(("LINEABOVE", (0, 0), (-1, 0), 1.0, colors.black))
        cmds.append(
            (
                "LINEBELOW",
                (0, block.header_rows - 1),
                (-1, block.header_rows - 1),
                0.5,
                colors.black,
            )
        )
        cmds.append(("LINEBELOW", (0, -1), (-1, -1), 1.0, colors.black))
    cmds.extend(_span_commands(block.rows))
    return cmds


def _span_commands(rows: Sequence[Sequence[str]]) -> list[tuple]:
    """SPAN commands from ``<`` (merge with left) and ``^`` (merge with above) markers."""
    cmds: list[tuple] = []
    nrows, ncols = len(rows), len(rows[0])
    for r in range(nrows):
        for c in range(ncols):
            if rows[r][c] in ("<", "^"):
                continue
            c2 = c
            while c2 + 1 < ncols and rows[r][c2 + 1] == "<":
                c2 += 1
            r2 = r
            while r2 + 1 < nrows and rows[r2 + 1][c] == "^":
                r2 += 1
            if (r2, c2) != (r, c):
                cmds.append(("SPAN", (c, r), (c2, r2)))
    return cmds


# --------------------------------------------------------------------------- public API


def detect_language(text: str) -> str:
    """Guess zh, ru or en from the share of CJK and Cyrillic letters."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return "en"
    cjk = sum(_is_cjk(ch) for ch in letters)
    cyr = sum("\u0400" <= ch <= "\u04ff" for ch in letters)
    if cjk / len(letters) > 0.05:
        return "zh"
    return "ru" if cyr / len(letters) > 0.3 else "en"


def render_markup(src: str, out_path: str | Path, *, language: str | None = None) -> Path:
    """Render corpus markup ``src`` to a PDF at ``out_path`` and return the path.

    ``language`` (zh, en, ru) sets line wrapping and spacing; by default it is taken from
    ``!meta language:`` or guessed from the text.
    """
    _register_fonts()
    markup = parse_markup(src)
    lang = language or markup.meta.get("language") or detect_language(src)
    styles = _Styles(lang, float(markup.meta.get("base-size", "10.5")))
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = _CorpusDoc(
        str(out),
        markup.meta,
        title=markup.meta.get("title", out.stem),
        author="stdcompare corpora",
        creator="corpora.pdfgen",
        subject=markup.meta.get("subject", ""),
    )
    doc.build(_flowables(markup, styles, doc.width))
    return out


def render_file(src_path: str | Path, out_path: str | Path | None = None) -> Path:
    """Render a ``*.src.txt`` markup file; the PDF goes beside it unless ``out_path`` is given."""
    src = Path(src_path)
    if out_path is None:
        name = src.name.removesuffix(".txt").removesuffix(".src")
        out_path = src.with_name(name + ".pdf")
    return render_markup(src.read_text(encoding="utf-8"), out_path)


def render_text(
    lines_or_str: str | Iterable[str],
    out_path: str | Path,
    *,
    font_size: float = 10.5,
    title: str | None = None,
    page_numbers: bool = False,
) -> Path:
    """Write plain text to a PDF, one page (or more, if long) per chunk.

    A string is split into chunks at form feeds (``\\f``); an iterable gives one chunk per
    item.  Each line of a chunk is drawn as one text line (wrapped only when wider than
    the page), with the same per-script fonts as :func:`render_markup`.
    """
    _register_fonts()
    chunks = lines_or_str.split("\f") if isinstance(lines_or_str, str) else list(lines_or_str)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    canv = Canvas(str(out), pagesize=A4, invariant=1)
    canv.setTitle(title or out.stem)
    canv.setCreator("corpora.pdfgen")
    leading = font_size * 1.5
    width = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
    page = 0
    for chunk in chunks or [""]:
        y = PAGE_H - MARGIN_TOP
        page += 1
        for line in chunk.split("\n"):
            for piece in _wrap(line, font_size, width):
                if y < MARGIN_BOTTOM:
                    _finish_text_page(canv, page, page_numbers, font_size)
                    page += 1
                    y = PAGE_H - MARGIN_TOP
                draw_text(canv, MARGIN_LEFT, y, piece, font_size)
                y -= leading
        _finish_text_page(canv, page, page_numbers, font_size)
    canv.save()
    return out


def _finish_text_page(canv: Canvas, page: int, page_numbers: bool, size: float) -> None:
    if page_numbers:
        draw_text(canv, PAGE_W / 2, MARGIN_BOTTOM - 10 * mm, str(page), size - 1.5, align="center")
    canv.showPage()


def _wrap(line: str, size: float, width: float) -> list[str]:
    """Break ``line`` into pieces no wider than ``width``: at spaces, else between characters."""
    pieces: list[str] = []
    rest = line
    while text_width(rest, size) > width:
        cut = len(rest)
        while cut > 1 and text_width(rest[:cut], size) > width:
            cut -= 1
        space = rest.rfind(" ", 0, cut + 1)
        if space > 0:
            cut = space
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip(" ")
    pieces.append(rest)
    return pieces
