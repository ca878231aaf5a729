"""Reading a PDF into :class:`~.raw.RawPage` records, pages in parallel processes.

PDFium (pypdfium2) validates the file, reads glyphs with their boxes and fonts, and the
ruling lines; :mod:`.layout` builds lines, :mod:`.table_finder` finds ruled and borderless
tables. PDFium is not thread-safe, so pages are shared out to worker *processes* (``fork``
where the platform has it, each worker opening the document once per chunk of pages).
Running headers and footers are learnt first from a sample of pages and removed in the
workers, before tables and reading order are worked out.
"""

from __future__ import annotations

import contextlib
import csv
import os
import threading
import warnings
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import CorruptPDF, EmptyDocument, EncryptedPDF, StdCompareError
from .layout import TextLine, build_lines, drop_running, reading_order, running_keys
from .pdfium_page import PageContent, read_content
from .raw import Line, RawPage, RawTable
from .table_finder import find_tables

Progress = Callable[[int, int], None]

MIN_PAGES_PER_WORKER = 24  # below this, starting processes costs more than it saves
CHUNK_PAGES = 16
SAMPLE_PAGES = 9  # pages read up front to learn running headers and footers


# PDFium is not thread-safe: every use of it in this process holds this lock, so threads
# (Dask workers, notebooks, web servers) can ingest documents at the same time. Worker
# processes get a fresh lock (a forked copy could be held by a thread that is not there).
_PDFIUM_LOCK = threading.RLock()


def _fresh_lock() -> None:
    global _PDFIUM_LOCK
    _PDFIUM_LOCK = threading.RLock()


def check_pdf(path: Path) -> int:
    """Open with pdfium to classify unreadable files; return the page count."""
    with _PDFIUM_LOCK:
        return _check_pdf(path)


def _check_pdf(path: Path) -> int:
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


def workers_for(pages: int, workers: int | None = None) -> int:
    """Worker processes to use: ``workers``, else ``$STDCOMPARE_WORKERS``, else the CPUs."""
    if workers is None:
        env = os.environ.get("STDCOMPARE_WORKERS", "").strip()
        workers = int(env) if env.isdigit() else (os.cpu_count() or 1)
    by_size = max(1, pages // MIN_PAGES_PER_WORKER)
    return max(1, min(workers, by_size))


def read_pages(
    path: Path,
    pages: Sequence[int] | None = None,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> list[RawPage]:
    """Read the given 1-based pages (default: all) into :class:`RawPage` records."""
    total = check_pdf(path)
    numbers = list(pages) if pages else list(range(1, total + 1))
    bad = [n for n in numbers if not 1 <= n <= total]
    if bad:
        raise CorruptPDF(path, f"page {bad[0]} does not exist (the PDF has {total} pages)")
    keys = _learn_running(path, numbers)
    n_workers = workers_for(len(numbers), workers)
    if n_workers <= 1:
        with _PDFIUM_LOCK:
            out = _read_chunk(str(path), numbers, keys)
        if progress:
            progress(len(out), len(numbers))
        return out
    return _read_parallel(path, numbers, keys, n_workers, progress)


def _read_parallel(
    path: Path, numbers: list[int], keys: frozenset[str], n_workers: int, progress: Progress | None
) -> list[RawPage]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import pdfplumber.table  # noqa: F401  (imported once here, shared by the forked workers)

    size = max(4, min(CHUNK_PAGES, len(numbers) // (n_workers * 3) or 4))
    chunks = [numbers[i : i + size] for i in range(0, len(numbers), size)]
    methods = multiprocessing.get_all_start_methods()
    # fork shares the imported modules and needs no importable __main__ (scripts without a
    # main guard keep working); elsewhere fall back to the platform default.
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    results: list[list[RawPage]] = [[] for _ in chunks]
    done = 0
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
        with ProcessPoolExecutor(
            max_workers=n_workers, mp_context=ctx, initializer=_fresh_lock
        ) as pool:
            futures = {
                pool.submit(_read_chunk, str(path), chunk, keys): k
                for k, chunk in enumerate(chunks)
            }
            from concurrent.futures import as_completed

            for fut in as_completed(futures):
                k = futures[fut]
                results[k] = fut.result()
                done += len(results[k])
                if progress:
                    progress(done, len(numbers))
    return [p for chunk in results for p in chunk]


def _learn_running(path: Path, numbers: list[int]) -> frozenset[str]:
    """Running header/footer keys from an even sample of the pages."""
    if len(numbers) < 2:
        return frozenset()
    import pypdfium2 as pdfium

    k = min(SAMPLE_PAGES, len(numbers))
    picks = sorted({numbers[round(i * (len(numbers) - 1) / max(k - 1, 1))] for i in range(k)})
    with _PDFIUM_LOCK:
        return _sample_running(pdfium, path, picks)


def _sample_running(pdfium: Any, path: Path, picks: list[int]) -> frozenset[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        sample = []
        for n in picks:
            content = read_content(pdf, n - 1)
            sample.append((build_lines(content), content.height))
    except pdfium.PdfiumError as exc:
        raise CorruptPDF(path, f"cannot read page content ({exc})") from exc
    finally:
        pdf.close()
    return running_keys(sample)


def _read_chunk(path: str, numbers: Sequence[int], keys: frozenset[str]) -> list[RawPage]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise CorruptPDF(path, f"not a readable PDF ({exc})") from exc
    out = []
    try:
        for n in numbers:
            try:
                out.append(analyse_page(read_content(pdf, n - 1), keys))
            except StdCompareError:
                raise
            except Exception as exc:  # PDFium and layout errors on one damaged page
                raise CorruptPDF(
                    path, f"cannot read page {n} ({type(exc).__name__}: {exc})"
                ) from exc
    finally:
        pdf.close()
    return out


def analyse_page(content: PageContent, running: frozenset[str] = frozenset()) -> RawPage:
    """Lines in reading order, tables, and text-layer facts of one page."""
    _map_symbol_font(content)
    lines = build_lines(content)
    lines = drop_running(lines, content.height, running)
    found = find_tables(lines, content.edges)
    used: set[int] = set()
    for f in found:
        used |= f.lines
    body = reading_order([ln for ln in lines if id(ln) not in used], content.width)
    facts = _text_facts(content)
    return RawPage(
        number=content.number,
        width=content.width,
        height=content.height,
        lines=tuple(_line(ln) for ln in body if ln.words),
        tables=tuple(f.raw for f in found),
        chars=len(content.glyphs),
        cid_glyphs=content.unmapped,
        image_area=content.image_area,
        **facts,
    )


def _line(ln: TextLine) -> Line:
    return Line(
        text=ln.text, top=ln.top, x0=ln.x0, x1=ln.x1, size=ln.size, bold=ln.bold, bottom=ln.bottom
    )


# --- text-layer facts ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _gb2312_level1() -> frozenset[str]:
    """The 3,755 common hanzi of GB 2312 level 1 (rows 16-55), from Python's own codec."""
    out = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                out.add(bytes((hi, lo)).decode("gb2312"))
    return frozenset(out)


def _is_odd(cp: int) -> bool:
    """Code points that do not occur in zh/en/ru standards text but do in mis-mapped fonts."""
    return (
        cp < 0x20
        or 0x0250 <= cp <= 0x036F  # IPA, spacing and combining marks
        or 0x0530 <= cp <= 0x1DFF  # Armenian … Mongolian, phonetic extensions
        or 0x2C00 <= cp <= 0x2DFF
        or 0xA000 <= cp <= 0xD7FF  # Yi, Hangul syllables …
    )


def _text_facts(content: PageContent) -> dict[str, Any]:
    common = _gb2312_level1()
    pua = repl = cjk = cjk_common = odd = 0
    for g in content.glyphs:
        for ch in g[0]:
            cp = ord(ch)
            if cp < 0x80:
                continue
            if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF:
                cjk += 1
                if ch in common:
                    cjk_common += 1
            elif 0xE000 <= cp <= 0xF8FF:
                pua += 1
            elif cp == 0xFFFD:
                repl += 1
            elif _is_odd(cp):
                odd += 1
    return {
        "private_use": pua,
        "replacement": repl,
        "cjk": cjk,
        "cjk_common": cjk_common,
        "odd": odd,
    }


@lru_cache(maxsize=1)
def _symbol_map() -> dict[str, str]:
    text = resources.files("stdcompare.data").joinpath("symbol_font.csv").read_text("utf-8")
    rows = csv.DictReader(ln for ln in text.splitlines() if not ln.startswith("#"))
    return {chr(0xF000 + int(r["code"], 16)): r["char"] for r in rows}


def _map_symbol_font(content: PageContent) -> None:
    """Glyphs of the Symbol font that PDFium reports in the private-use area → Unicode."""
    symbol = {i for i, f in enumerate(content.fonts) if "symbol" in f.name.lower()}
    if not symbol:
        return
    table = _symbol_map()
    glyphs = content.glyphs
    for k, g in enumerate(glyphs):
        if g[5] in symbol and g[0] in table:
            glyphs[k] = (table[g[0]], *g[1:])


__all__ = ["Line", "RawPage", "RawTable", "analyse_page", "check_pdf", "read_pages"]
