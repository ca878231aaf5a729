"""Ingestion: a PDF (or a plain-text standard) in, a :class:`~stdcompare.model.Document` out.

Stages: :mod:`.pdf` reads pages in parallel (PDFium glyphs and ruling lines →
:mod:`.layout` lines and reading order → :mod:`.table_finder` ruled and borderless tables);
:mod:`.health` classifies each page's text layer; :mod:`.clauses` builds the clause tree;
:mod:`.tables` merges tables continued over pages into records; :mod:`.metadata` reads the
code, title, edition replaced, ICS and adoption statement.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Literal

from .._io import sha256_file
from ..errors import DocumentNotFound, EmptyDocument, TextLayerError, UnsupportedFormat
from ..model import Document, PageHealth, Table
from ..textutil import detect_language
from .clauses import HeadingPosition, segment
from .health import page_health, summarize
from .layout import strip_running
from .metadata import extract_metadata
from .pdf import check_pdf, read_pages
from .raw import Line, RawPage
from .tables import PlacedTable, assemble, caption_for
from .text import Vocabulary

BadPages = Literal["error", "skip", "keep"]
Progress = Callable[[int, int], None]

TEXT_SUFFIXES = (".txt", ".md", ".text")
OCR_HINT = (
    "read them with OCR: ocr=True (CLI: --ocr; needs Tesseract), or OCR the document "
    "first, or pass bad_pages='skip' (CLI: --skip-bad-pages) to use only the readable pages"
)


def load(
    path: str | Path,
    *,
    bad_pages: BadPages = "keep",
    language: str | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    ocr: bool = False,
) -> Document:
    """Read a standard from a PDF or UTF-8 text file.

    ``bad_pages`` says what to do with scanned pages or pages whose font has no usable text
    layer: ``"keep"`` records them in ``Document.health`` (for inspection), ``"error"``
    raises :class:`~stdcompare.errors.TextLayerError` naming the pages, ``"skip"`` leaves
    them out. ``language`` (``zh``, ``en``, ``ru``) overrides detection. ``workers`` is the
    number of processes that read pages (default: ``$STDCOMPARE_WORKERS`` or all CPUs;
    short documents are read in-process). ``progress(done, total)`` is called as pages are
    read.

    ``ocr=True`` reads scanned, broken-font and garbled pages with Tesseract instead (see
    :mod:`.ocr`); they are recorded with the health status ``ocr`` and are then usable.
    Raises :class:`~stdcompare.errors.OCRUnavailable` when such pages exist and Tesseract or
    the document's language data is not installed.
    """
    p = Path(path)
    if not p.is_file():
        raise DocumentNotFound(p)
    if p.stat().st_size == 0:
        raise EmptyDocument(p, "the file is empty (0 bytes)")
    kind = _sniff(p)
    if kind == "pdf":
        check_pdf(p)
        raw = read_pages(p, workers=workers, progress=progress)
        if ocr:
            from .ocr import ocr_pages

            raw = ocr_pages(p, raw, language=language, workers=workers)
    else:
        raw = _text_pages(p)
    return build_document(p, raw, bad_pages=bad_pages, language=language)


def _sniff(p: Path) -> str:
    with open(p, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" in head:
        return "pdf"
    if p.suffix.lower() == ".pdf":
        return "pdf"  # let the PDF reader say what is wrong with it
    if p.suffix.lower() in TEXT_SUFFIXES:
        return "text"
    raise UnsupportedFormat(
        p, "not a PDF or a .txt/.md text file", "convert it to PDF or UTF-8 text"
    )


def _text_pages(p: Path) -> list[RawPage]:
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnsupportedFormat(p, "text file is not UTF-8", "save it as UTF-8") from exc
    from ..textutil import normalize

    pages = []
    for i, chunk in enumerate(text.split("\f"), start=1):
        lines = tuple(
            Line(text=normalize(t).strip(), top=float(j), x0=0.0, x1=0.0, bottom=float(j) + 0.5)
            for j, t in enumerate(chunk.splitlines())
            if t.strip()
        )
        pages.append(
            RawPage(
                number=i,
                width=1.0,
                height=1e9,
                lines=lines,
                chars=sum(len(ln.text) for ln in lines),
            )
        )
    return pages


def build_document(
    path: Path, raw: list[RawPage], *, bad_pages: BadPages = "keep", language: str | None = None
) -> Document:
    """Assemble a Document from raw pages (clean-up, health, clauses, tables, metadata)."""
    health = tuple(page_health(pg) for pg in raw)
    if all(h.status == "empty" for h in health):
        raise EmptyDocument(path, "no text on any page", "is this a blank or image-only file?")
    bad = [h for h in health if not h.readable and h.status != "empty"]
    if bad and bad_pages == "error":
        raise TextLayerError(
            path,
            f"text layer unusable: {summarize(health)}",
            [h.page for h in bad],
            OCR_HINT,
        )
    usable = [pg for pg, h in zip(raw, health, strict=True) if h.readable or bad_pages == "keep"]
    if bad and bad_pages == "skip":
        health = tuple(
            replace(h, skipped=True) if not h.readable and h.status != "empty" else h
            for h in health
        )
    body = strip_running(usable)
    page_texts = tuple("\n".join(ln.text for ln in body.get(pg.number, [])) for pg in raw)
    all_text = "\n".join(page_texts)
    lang = language or detect_language(all_text)
    vocab = Vocabulary(ln.text for lines in body.values() for ln in lines)
    for pg in usable:
        for t in pg.tables:
            for row in t.rows:
                for cell in row:
                    if cell:
                        for part in cell.split("\n"):
                            vocab.add(part)
    body_size = _body_size(body)
    clauses, positions = segment(
        ((n, ln) for n, lines in body.items() for ln in lines),
        lang,
        body_size=body_size,
        vocab=vocab,
    )
    placed = [
        PlacedTable(pg.number, t, caption_for(body.get(pg.number, []), t.top), pg.height)
        for pg in usable
        for t in pg.tables
    ]
    tables = tuple(
        _attach(t, positions, pt.page, pt.raw.top)
        for t, pt in assemble(placed, positions=positions, vocab=vocab)
    )
    first = raw[0].number if raw else 1
    cover = list(body.get(first, []))
    front_text = "\n".join(page_texts[:3])
    metadata = extract_metadata(cover, front_text, lang)
    if not clauses and not tables:
        if bad:  # an image-only scan: say so, and how to read it
            raise TextLayerError(
                path, f"no readable text: {summarize(health)}", [h.page for h in bad], OCR_HINT
            )
        raise EmptyDocument(path, "no readable text found")
    return Document(
        source=str(path),
        language=lang,
        pages=len(raw),
        metadata=metadata,
        clauses=clauses,
        tables=tables,
        health=health,
        page_texts=page_texts,
        sha256=sha256_file(path),
    )


def _body_size(body: dict[int, list[Line]]) -> float:
    """The font size most of the text is set in (0 for plain text)."""
    sizes: Counter[float] = Counter()
    for lines in body.values():
        for ln in lines:
            if ln.size > 0:
                sizes[round(ln.size * 2) / 2] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _attach(table: Table, positions: tuple[HeadingPosition, ...], page: int, top: float) -> Table:
    clause_id = None
    for pos in positions:
        if (pos.page, pos.top) <= (page, top):
            clause_id = pos.clause_id
        else:
            break
    return replace(table, clause_id=clause_id)


def require_healthy(doc: Document) -> Document:
    """Raise :class:`TextLayerError` when the document has scanned or broken-font pages."""
    bad: tuple[PageHealth, ...] = doc.unhealthy_pages
    if bad:
        raise TextLayerError(
            doc.source,
            f"text layer unusable: {summarize(doc.health)}",
            [h.page for h in bad],
            "these pages would be compared as garbage; " + OCR_HINT,
        )
    return doc


__all__ = ["build_document", "load", "require_healthy"]
