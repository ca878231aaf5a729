"""Reading PDF pages: text lines with positions, ruled tables, and raw facts for health checks.

pypdfium2 opens and validates the file (it tells corrupt from encrypted reliably and fast);
pdfplumber reads the characters, lines and tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import CorruptPDF, EmptyDocument, EncryptedPDF
from ..textutil import normalize


@dataclass(frozen=True)
class Line:
    text: str
    top: float
    x0: float
    x1: float
    size: float = 0.0


@dataclass(frozen=True)
class RawTable:
    """Cells of one table region on one page, as pdfplumber found them (``None`` = merged)."""

    rows: tuple[tuple[str | None, ...], ...]
    top: float
    bottom: float
    ruled: bool = True


@dataclass(frozen=True)
class RawPage:
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    tables: tuple[RawTable, ...] = ()
    chars: int = 0
    cid_glyphs: int = 0
    private_use: int = 0
    replacement: int = 0
    image_area: float = 0.0


def check_pdf(path: Path) -> int:
    """Open with pdfium to classify unreadable files; return the page count."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise EncryptedPDF(
                path, "the PDF is password protected", "remove the password and try again"
            ) from exc
        raise CorruptPDF(
            path, "not a readable PDF (damaged or not a PDF file)", "check the file or re-export it"
        ) from exc
    try:
        n = len(pdf)
    finally:
        pdf.close()
    if n == 0:
        raise EmptyDocument(path, "the PDF has no pages")
    return n


def read_pages(path: Path, pages: list[int] | None = None) -> list[RawPage]:
    """Read the given 1-based pages (default: all) with pdfplumber."""
    import pdfplumber

    out: list[RawPage] = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            numbers = pages or list(range(1, len(pdf.pages) + 1))
            for n in numbers:
                out.append(_read_page(pdf.pages[n - 1], n))
    except (CorruptPDF, EncryptedPDF):
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on damaged streams
        raise CorruptPDF(path, f"cannot read page content ({type(exc).__name__}: {exc})") from exc
    return out


def _read_page(page: Any, number: int) -> RawPage:
    text_chars = page.chars
    cid = sum(1 for c in text_chars if c.get("text", "").startswith("(cid:"))
    pua = sum(1 for c in text_chars if _is_private_use(c.get("text", "")))
    repl = sum(1 for c in text_chars if "\ufffd" in c.get("text", ""))
    image_area = sum(
        max(0.0, (im["x1"] - im["x0"]) * (im["bottom"] - im["top"])) for im in page.images
    )
    tables: list[RawTable] = []
    boxes: list[tuple[float, float, float, float]] = []
    for t in page.find_tables():
        rows = tuple(tuple(None if c is None else normalize(c) for c in row) for row in t.extract())
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            tables.append(RawTable(rows=rows, top=t.bbox[1], bottom=t.bbox[3]))
            boxes.append(t.bbox)
    body = page
    if boxes:
        body = page.filter(lambda obj: not _inside_any(obj, boxes))
    lines = []
    for ln in body.extract_text_lines(return_chars=True, keep_blank_chars=False):
        text = normalize(ln["text"]).strip()
        if not text:
            continue
        sizes = [c.get("size", 0.0) for c in ln.get("chars", [])]
        size = max(sizes) if sizes else 0.0
        lines.append(Line(text=text, top=ln["top"], x0=ln["x0"], x1=ln["x1"], size=size))
    return RawPage(
        number=number,
        width=float(page.width),
        height=float(page.height),
        lines=tuple(lines),
        tables=tuple(tables),
        chars=len(text_chars),
        cid_glyphs=cid,
        private_use=pua,
        replacement=repl,
        image_area=image_area,
    )


def _inside_any(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    if "x0" not in obj or "top" not in obj:
        return False
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _is_private_use(s: str) -> bool:
    return any(0xE000 <= ord(ch) <= 0xF8FF for ch in s)
