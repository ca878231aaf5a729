"""What page reading hands to document assembly: small frozen records, cheap to pickle."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """A body line of a page in reading order (running headers/footers and tables removed)."""

    text: str
    top: float
    x0: float
    x1: float
    size: float = 0.0
    bold: bool = False
    bottom: float = 0.0


@dataclass(frozen=True)
class RawTable:
    """Cells of one table region on one page.

    ``None`` marks a cell covered by a merged neighbour; a ``"\\n"`` inside a cell separates
    its visual lines (joined later, with document-wide de-hyphenation). ``header_rows`` is the
    number of leading rows the layout marks as header (bold over plain), or -1 if unknown.
    """

    rows: tuple[tuple[str | None, ...], ...]
    top: float
    bottom: float
    ruled: bool = True
    x0: float = 0.0
    x1: float = 0.0
    header_rows: int = -1


@dataclass(frozen=True)
class RawPage:
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    tables: tuple[RawTable, ...] = ()
    chars: int = 0
    cid_glyphs: int = 0  # glyphs without a Unicode mapping (pdfminer shows them as (cid:NN))
    private_use: int = 0
    replacement: int = 0
    image_area: float = 0.0
    cjk: int = 0  # CJK ideographs on the page
    cjk_common: int = 0  # of which in the common set (GB 2312 level 1)
    odd: int = 0  # characters of scripts and controls that standards text does not use
    ocr: str = ""  # how the text was recognised, for pages read by OCR (see .ocr); else ""
    ocr_confidence: float | None = None  # Tesseract's mean word confidence (0-100)
