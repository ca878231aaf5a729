"""Optional OCR of pages without a usable text layer, with the Tesseract program.

Pages that :mod:`.health` classifies as ``scanned``, ``broken_font`` or ``garbled`` are
rendered with PDFium (under the process-wide PDFium lock, see :mod:`.pdf`) and read by
Tesseract (``tesseract … tsv``: one row per word with its box and confidence). The words
become glyphs of a :class:`~.pdfium_page.PageContent` in PDF points, so the page then takes
the same road as a page with a text layer: :func:`~.pdf.analyse_page` builds lines (no space
between two CJK characters), reading order and tables (ruling lines are found in the image).
The page keeps a record of where its text came from: :attr:`RawPage.ocr` is the detail that
:mod:`.health` reports under the status ``ocr``.

Tesseract runs as a separate process per page (several at once, one thread each), so the
pages of a long scan are read in parallel without touching PDFium from two threads.

Debian: ``apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-rus``.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import OCRFailed, OCRUnavailable
from .layout import is_cjk
from .pdfium_page import Edge, Font, Glyph, PageContent
from .raw import RawPage

Progress = Callable[[int, int], None]

DPI = 300
OCR_STATUSES = frozenset({"scanned", "broken_font", "garbled"})
# Tesseract language data per document language. Chinese is read with chi_sim alone: its
# model knows Latin letters, digits and units, and on GB-style pages it reads better than
# chi_sim+eng (which turns "4.1 铅" into "4.1" and full-width "。" into ".").
LANGS = {"zh": "chi_sim", "ru": "rus+eng", "en": "eng"}
OSD_SCRIPTS = {"Han": "zh", "Cyrillic": "ru", "Latin": "en"}
INSTALL = "apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-rus"
PACKAGES = {"chi_sim": "tesseract-ocr-chi-sim", "rus": "tesseract-ocr-rus", "eng": "tesseract-ocr"}
MIN_CONFIDENCE = 10.0  # words Tesseract itself does not believe (misreadings, specks, rules)
PAGE_TIMEOUT_S = 300
MIN_TEXT_FOR_LANGUAGE = 60  # characters of readable pages enough to tell the language
# ruling lines in the image: a dark run at least this long (points), at most this thick
RULE_MIN_LENGTH = 24.0
RULE_MAX_THICKNESS = 3.0
DARK = 128
SIZE_SNAP = (0.7, 1.2)  # font sizes within this band of the page's median are body text
CJK_INK = 0.95  # height of a CJK glyph's ink, in ems
LATIN_INK = 0.74  # ascender (or capital) top to baseline, in ems

_RULE_TEXT = re.compile(r"^[|_\-—–=~.·:;'\"`,!Il1\[\]()]+$")


# --- Tesseract: where it is, its version and languages ------------------------------------------


def find_tesseract() -> str | None:
    """Path of the ``tesseract`` program, or None."""
    return shutil.which("tesseract")


@lru_cache(maxsize=4)
def _probe(binary: str) -> tuple[str, frozenset[str]]:
    """(``"5.3"``, installed languages) of a Tesseract binary."""
    try:
        ver = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
        langs = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError as exc:
        raise OCRUnavailable(
            f"a working 'tesseract' program ({binary}: {exc})", "tesseract-ocr", INSTALL
        ) from exc
    m = re.search(r"tesseract\s+v?(\d+)\.(\d+)", ver.stdout + ver.stderr, re.IGNORECASE)
    version = f"{m.group(1)}.{m.group(2)}" if m else "?"
    names = frozenset(
        ln.strip()
        for ln in (langs.stdout + "\n" + langs.stderr).splitlines()
        if ln.strip() and " " not in ln.strip() and not ln.strip().endswith(":")
    )
    return version, names


@dataclass(frozen=True)
class Engine:
    binary: str
    version: str
    languages: frozenset[str]

    def require(self, lang: str) -> None:
        for part in lang.split("+"):
            if part not in self.languages:
                package = PACKAGES.get(part, f"tesseract-ocr-{part.replace('_', '-')}")
                raise OCRUnavailable(
                    f"Tesseract's '{part}' language data (Debian package {package}), which is "
                    "not installed",
                    package,
                    INSTALL,
                )


def engine() -> Engine:
    """The installed Tesseract, or :class:`OCRUnavailable` saying what to install."""
    binary = find_tesseract()
    if not binary:
        raise OCRUnavailable(
            "the 'tesseract' program, which was not found", "tesseract-ocr", INSTALL
        )
    version, langs = _probe(binary)
    return Engine(binary, version, langs)


# --- pages → images → words ---------------------------------------------------------------------


@dataclass(frozen=True)
class Image:
    """A rendered page: 8-bit grey pixels and the page size in points."""

    number: int
    pixels: np.ndarray  # (height, width) uint8
    width: float
    height: float
    image_area: float
    edges: tuple[Edge, ...] = ()  # ruling lines, in points
    clean: np.ndarray | None = None  # the pixels with the ruling lines erased, for Tesseract

    @property
    def for_ocr(self) -> np.ndarray:
        return self.clean if self.clean is not None else self.pixels


def prepare(image: Image) -> Image:
    """Find the ruling lines (for the table finder) and erase them from the pixels that
    Tesseract reads: a rule touching a digit turns ``0.2`` into ``82``."""
    h_px, w_px = image.pixels.shape
    sx, sy = image.width / max(w_px, 1), image.height / max(h_px, 1)
    hruns, vruns = _rule_runs(image.pixels, sx, sy)
    clean = image.pixels.copy()
    for x0, r0, x1, r1 in hruns:
        clean[max(r0 - 1, 0) : r1 + 1, x0:x1] = 255
    for y0, c0, y1, c1 in vruns:
        clean[y0:y1, max(c0 - 1, 0) : c1 + 1] = 255
    return replace(image, edges=tuple(_edges(hruns, vruns, sx, sy)), clean=clean)


def render(path: Path, numbers: Sequence[int], dpi: int = DPI) -> list[Image]:
    """Render pages (1-based) to grey images, holding the PDFium lock."""
    from . import pdf as pdfmod

    with pdfmod._PDFIUM_LOCK:
        return _render(path, numbers, dpi)


def _render(path: Path, numbers: Sequence[int], dpi: int) -> list[Image]:
    import pypdfium2 as pdfium

    from .pdfium_page import _Transform

    doc = pdfium.PdfDocument(str(path))
    out = []
    try:
        for n in numbers:
            page = doc[n - 1]
            try:
                tf = _Transform(page)
                bitmap = page.render(scale=dpi / 72, grayscale=True)
                pixels = np.array(bitmap.to_numpy(), dtype=np.uint8, copy=True)
                if pixels.ndim == 3:
                    pixels = pixels[:, :, 0]
            finally:
                page.close()
            out.append(Image(n, pixels, tf.width, tf.height, 0.0))
    finally:
        doc.close()
    return out


class _TesseractError(RuntimeError):
    pass


def _pgm(pixels: np.ndarray) -> bytes:
    h, w = pixels.shape
    return f"P5\n{w} {h}\n255\n".encode("ascii") + np.ascontiguousarray(pixels).tobytes()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"  # one thread per page; pages run in parallel
    env.setdefault("LC_ALL", "C")
    return env


def _run(eng: Engine, pixels: np.ndarray, args: list[str], dpi: int) -> str:
    cmd = [eng.binary, "stdin", "stdout", "--dpi", str(dpi), *args]
    try:
        r = subprocess.run(
            cmd,
            input=_pgm(pixels),
            capture_output=True,
            timeout=PAGE_TIMEOUT_S,
            env=_env(),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise _TesseractError(f"Tesseract took more than {PAGE_TIMEOUT_S} s on one page") from exc
    if r.returncode != 0:
        err = r.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _TesseractError(f"Tesseract failed ({err[-1] if err else f'exit {r.returncode}'})")
    return r.stdout.decode("utf-8", "replace")


def detect_script(eng: Engine, image: Image, dpi: int = DPI) -> str | None:
    """``zh``, ``ru`` or ``en`` from Tesseract's script detection (``--psm 0``), or None."""
    if "osd" not in eng.languages:
        return None
    try:
        out = _run(eng, image.pixels, ["--psm", "0", "-l", "osd"], dpi)
    except _TesseractError:
        return None  # too little text to tell
    m = re.search(r"Script:\s*(\w+)", out)
    return OSD_SCRIPTS.get(m.group(1)) if m else None


@dataclass(frozen=True)
class Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    line: tuple[int, int, int]  # block, paragraph, line


def parse_tsv(text: str) -> list[Word]:
    """Word rows (level 5) of Tesseract's TSV output."""
    words = []
    rows = csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in rows:
        if len(row) < 12 or row[0] != "5":
            continue
        txt = row[11].strip()
        if not txt:
            continue
        try:
            left, top, width, height = (int(v) for v in row[6:10])
            conf = float(row[10])
        except ValueError:
            continue
        words.append(
            Word(txt, left, top, width, height, conf, (int(row[2]), int(row[3]), int(row[4])))
        )
    return words


# --- words → page content -----------------------------------------------------------------------


def page_content(image: Image, words: Sequence[Word], dpi: int = DPI) -> PageContent:
    """Glyphs (each word's characters spread over its box) and ruling edges of one page."""
    h_px, w_px = image.pixels.shape
    sx = image.width / w_px if w_px else 72 / dpi
    sy = image.height / h_px if h_px else 72 / dpi
    content = PageContent(number=image.number, width=image.width, height=image.height)
    content.image_area = image.width * image.height
    content.edges = list(image.edges)
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        if w.conf < MIN_CONFIDENCE and (w.conf >= 0 or _RULE_TEXT.match(w.text)):
            continue
        lines.setdefault(w.line, []).append(w)  # words come in Tesseract's reading order
    if not lines:
        return content
    bands = {k: _band(ws, sy) for k, ws in lines.items()}
    weights = sorted((bands[k][2], sum(len(w.text) for w in ws)) for k, ws in lines.items())
    half = sum(n for _, n in weights) / 2
    acc = 0
    median = weights[-1][0]
    for em, n in weights:
        acc += n
        if acc >= half:
            median = em
            break
    fonts: dict[float, int] = {}
    glyphs: list[Glyph] = []
    for key in sorted(lines, key=lambda k: bands[k][0]):
        top, bottom, em = bands[key]
        if median > 0 and SIZE_SNAP[0] <= em / median <= SIZE_SNAP[1]:
            em = median
        size = round(em * 2) / 2 or 1.0
        fi = fonts.setdefault(size, len(fonts))
        for k, (text, x0, x1) in enumerate(_spans(lines[key], sx)):
            step = (x1 - x0) / len(text)
            for i, ch in enumerate(text):
                glyphs.append(
                    (ch, x0 + i * step, x0 + (i + 1) * step, top, bottom, fi, i == 0 and k > 0)
                )
    content.glyphs = glyphs
    content.fonts = [Font(size, False, "ocr") for size in sorted(fonts, key=fonts.__getitem__)]
    return content


def _band(words: Sequence[Word], sy: float) -> tuple[float, float, float]:
    """Top, bottom (points) and estimated font size of a line.

    Tesseract's boxes of single CJK characters are sometimes far off, so the line's top and
    bottom are the medians of its words', and the size comes from a low quartile of the CJK
    words' heights (a CJK glyph fills about :data:`CJK_INK` of the em) or, on a line without
    CJK, from a high quartile of the words' heights (ascender to baseline, about
    :data:`LATIN_INK` of the em).
    """
    tops = sorted(w.top for w in words)
    bottoms = sorted(w.top + w.height for w in words)
    top, bottom = tops[len(tops) // 2] * sy, bottoms[len(bottoms) // 2] * sy
    cjk = sorted(w.height for w in words if any(is_cjk(ch) for ch in w.text))
    if cjk:
        mid = cjk[len(cjk) // 2]
        cjk = [h for h in cjk if h >= 0.5 * mid]
        em = cjk[(len(cjk) - 1) // 4] * sy / CJK_INK
    else:
        heights = sorted(w.height for w in words)
        em = heights[(3 * (len(heights) - 1) + 3) // 4] * sy / LATIN_INK
    return top, bottom, em


def _spans(words: Sequence[Word], sx: float) -> list[tuple[str, float, float]]:
    """(text, x0, x1) of a line's words in Tesseract's reading order, made to follow each
    other left to right (a CJK word's box may cover the next words; order is what counts)."""
    items = _join_codes([(t, w) for w in words if (t := _clean(w.text))])
    starts: list[float] = []
    for _t, w in items:
        x = float(w.left)
        if starts and x <= starts[-1]:
            x = starts[-1] + 1.0
        starts.append(x)
    out: list[tuple[str, float, float]] = []
    for i, (text, w) in enumerate(items):
        x0 = starts[i]
        x1 = max(float(w.left + w.width), x0 + 1.0)
        if i + 1 < len(items):
            x1 = min(x1, starts[i + 1])
        out.append((text, x0 * sx, x1 * sx))
    return out


_DASHES = frozenset("一―‐-—–")
_YEAR = re.compile(r"^\d{4}\b")


def _join_codes(items: list[tuple[str, Word]]) -> list[tuple[str, Word]]:
    """``2762`` ``一`` ``2022`` → ``2762—2022``: the dash of a standard's code, which
    Tesseract reads as the hanzi 一 (one) and as a word of its own."""
    out: list[tuple[str, Word]] = []
    i = 0
    while i < len(items):
        text, w = items[i]
        if (
            out
            and text in _DASHES
            and out[-1][0][-1:].isdigit()
            and i + 1 < len(items)
            and _YEAR.match(items[i + 1][0])
        ):
            prev_text, prev = out.pop()
            nxt_text, nxt = items[i + 1]
            right = max(prev.left + prev.width, nxt.left + nxt.width)
            joined = replace(prev, width=right - prev.left)
            out.append((f"{prev_text}—{nxt_text}", joined))
            i += 2
            continue
        out.append((text, w))
        i += 1
    return out


_DASH_IN_CODE = re.compile(r"(?<=\d)[一―‐-]{1,2}(?=\d{4}\b)")


def _clean(text: str) -> str:
    """Tesseract's usual misreadings in standards text: 一 for the dash of ``GB 2762—2022``."""
    text = _DASH_IN_CODE.sub("—", text)
    return "".join(text.split())


def rulings(pixels: np.ndarray, sx: float, sy: float) -> list[Edge]:
    """Horizontal and vertical ruling lines of a page image, in points (top-down)."""
    return _edges(*_rule_runs(pixels, sx, sy), sx, sy)


Run = tuple[int, int, int, int]


def _rule_runs(pixels: np.ndarray, sx: float, sy: float) -> tuple[list[Run], list[Run]]:
    """Pixel runs of horizontal rules ``(x0, row0, x1, row1)`` and of vertical ones
    ``(y0, col0, y1, col1)``."""
    dark = pixels < DARK
    h = _runs(dark, max(2, int(RULE_MIN_LENGTH / sx)), RULE_MAX_THICKNESS / sy)
    v = _runs(dark.T, max(2, int(RULE_MIN_LENGTH / sy)), RULE_MAX_THICKNESS / sx)
    return h, v


def _edges(hruns: list[Run], vruns: list[Run], sx: float, sy: float) -> list[Edge]:
    edges: list[Edge] = [(x0 * sx, r0 * sy, x1 * sx, r1 * sy, "h") for x0, r0, x1, r1 in hruns]
    edges += [(c0 * sx, y0 * sy, c1 * sx, y1 * sy, "v") for y0, c0, y1, c1 in vruns]
    return edges


def _runs(mask: np.ndarray, min_len: int, max_thick: float) -> list[Run]:
    """Long runs of dark pixels along rows, stacked rows merged: (start, row0, end, row1)."""
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1)
    rows, starts = np.nonzero(d == 1)
    _, ends = np.nonzero(d == -1)
    keep = (ends - starts) >= min_len
    rows, starts, ends = rows[keep], starts[keep], ends[keep]
    open_: list[list[int]] = []  # [start, row0, end, row1]
    done: list[list[int]] = []
    for r, s, e in zip(rows.tolist(), starts.tolist(), ends.tolist(), strict=True):
        hit = None
        for run in open_:
            if run[3] >= r - 1 and abs(run[0] - s) <= 3 and abs(run[2] - e) <= 3:
                hit = run
                break
        if hit is not None:
            hit[3] = r
            hit[0], hit[2] = min(hit[0], s), max(hit[2], e)
        else:
            open_.append([s, r, e, r])
        still: list[list[int]] = []
        for run in open_:
            (still if run[3] >= r - 1 else done).append(run)
        open_ = still
    done.extend(open_)
    return [(s, r0, e, r1 + 1) for s, r0, e, r1 in done if r1 + 1 - r0 <= max(max_thick, 1.0)]


# --- the pages of a document --------------------------------------------------------------------


def needs_ocr(raw: Sequence[RawPage]) -> list[int]:
    """Numbers of the pages whose text layer is unusable (what ``ocr=True`` reads again)."""
    from .health import page_health

    return [pg.number for pg in raw if page_health(pg).status in OCR_STATUSES]


def ocr_pages(
    path: Path,
    raw: list[RawPage],
    *,
    language: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    dpi: int = DPI,
) -> list[RawPage]:
    """``raw`` with every scanned, broken-font or garbled page replaced by its OCR reading."""
    todo = needs_ocr(raw)
    if not todo:
        return raw
    eng = engine()
    by_number = {pg.number: pg for pg in raw}
    lang = language or _language_of(raw, set(todo))
    images = render(path, todo[:1], dpi)
    if lang is None:
        lang = detect_script(eng, images[0], dpi) if "osd" in eng.languages else None
    tess_lang = LANGS.get(lang or "", "chi_sim+rus+eng" if lang is None else "eng")
    eng.require(tess_lang)
    n = max(1, min(len(todo), _workers(workers)))
    args = ["-l", tess_lang, "--psm", "3", "-c", "preserve_interword_spaces=0", "tsv"]
    out: dict[int, RawPage] = {}
    with ThreadPoolExecutor(max_workers=n) as pool:
        futures: list[tuple[Image, Future[str]]] = []
        pending = list(todo[1:])
        for img in map(prepare, images):
            futures.append((img, pool.submit(_run, eng, img.for_ocr, args, dpi)))
        # render ahead of Tesseract, but no more than a few pages (they are large)
        while pending:
            batch, pending = pending[: n * 2], pending[n * 2 :]
            for img in map(prepare, render(path, batch, dpi)):
                futures.append((img, pool.submit(_run, eng, img.for_ocr, args, dpi)))
            futures = _collect(path, futures, out, by_number, eng, tess_lang, keep=n * 2, dpi=dpi)
            if progress:
                progress(len(out), len(todo))
        _collect(path, futures, out, by_number, eng, tess_lang, keep=0, dpi=dpi)
    if progress:
        progress(len(out), len(todo))
    return [out.get(pg.number, pg) for pg in raw]


def _collect(
    path: Path,
    futures: list[tuple[Image, Future[str]]],
    out: dict[int, RawPage],
    by_number: dict[int, RawPage],
    eng: Engine,
    lang: str,
    *,
    keep: int,
    dpi: int,
) -> list[tuple[Image, Future[str]]]:
    """Finish the oldest OCR jobs until at most ``keep`` are left running."""
    while len(futures) > keep:
        img, fut = futures.pop(0)
        try:
            tsv = fut.result()
        except _TesseractError as exc:
            raise OCRFailed(path, f"cannot OCR page {img.number}: {exc}") from exc
        out[img.number] = _page(img, tsv, by_number[img.number], eng, lang, dpi)
    return futures


def _page(img: Image, tsv: str, before: RawPage, eng: Engine, lang: str, dpi: int) -> RawPage:
    from .health import page_health
    from .pdf import analyse_page

    words = parse_tsv(tsv)
    content = page_content(img, words, dpi)
    page = analyse_page(content)
    confs = [w.conf for w in words if w.conf >= 0]
    mean = sum(confs) / len(confs) if confs else 0.0
    was = page_health(before)
    origin = {
        "scanned": "scanned page",
        "broken_font": "broken font layer",
        "garbled": "garbled text layer",
    }
    detail = (
        f"{origin.get(was.status, was.status)}: text recognised by Tesseract {eng.version} ({lang})"
    )
    detail += f", mean confidence {mean:.0f}%" if confs else ", no text found"
    return replace(page, image_area=before.image_area, ocr=detail, ocr_confidence=round(mean, 1))


def _language_of(raw: Sequence[RawPage], skip: set[int]) -> str | None:
    """The language of the readable pages, if they hold enough text to tell."""
    from ..textutil import detect_language

    text = "\n".join(ln.text for pg in raw if pg.number not in skip for ln in pg.lines)
    if len(text) < MIN_TEXT_FOR_LANGUAGE:
        return None
    return detect_language(text)


def _workers(workers: int | None) -> int:
    if workers:
        return workers
    env = os.environ.get("STDCOMPARE_WORKERS", "").strip()
    return int(env) if env.isdigit() and int(env) > 0 else (os.cpu_count() or 1)


__all__ = ["engine", "find_tesseract", "needs_ocr", "ocr_pages"]
