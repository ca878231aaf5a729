"""The public pipeline: load → extract → align → compare."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ._version import __version__
from .alignment.cache import CachedEmbedder, EmbeddingCache
from .alignment.clauses import AlignSettings, align_clauses
from .alignment.embedders import Embedder, get_embedder, model_id
from .gaps import PairSettings, annotate_strength, gaps_from_indicators
from .gaps.conversions import ConversionsLike, describe_conversions
from .indicators import extract as _extract_uncached
from .indicators.glossary import Glossary, default_glossary
from .ingest import BadPages, require_healthy
from .ingest import load as _load
from .model import ClausePair, Comparison, Document, Indicator

DocLike = Document | str | Path
CacheLike = EmbeddingCache | str | Path | bool | None
Progress = Callable[[str], None]


def load(
    path: str | Path,
    *,
    bad_pages: BadPages = "keep",
    language: str | None = None,
    ocr: bool = False,
) -> Document:
    """Read a standard (PDF or UTF-8 text) into a :class:`Document`.

    Scanned or broken-font pages are recorded in ``Document.health``; :func:`compare`
    refuses such documents unless they were loaded with ``bad_pages="skip"``, or with
    ``ocr=True``: such pages are then read by Tesseract and recorded with the status ``ocr``
    (raises :class:`~stdcompare.errors.OCRUnavailable` if Tesseract is not installed).
    """
    return _load(path, bad_pages=bad_pages, language=language, ocr=ocr)


def extract(
    doc: DocLike, *, glossary: Glossary | None = None, ocr: bool = False
) -> tuple[Indicator, ...]:
    """Key indicators of a document (or a path; ``ocr`` as for :func:`load`)."""
    return _extract(_as_document(doc, ocr=ocr), glossary=glossary)


def resolve_embedder(embedder: str | Embedder | Any = "use", cache: CacheLike = True) -> Embedder:
    """An embedder by name or object, wrapped in the on-disk cache unless ``cache=False``."""
    emb = get_embedder(embedder)
    if cache is False or cache is None:
        return emb
    if isinstance(emb, CachedEmbedder):
        return emb
    store = cache if isinstance(cache, EmbeddingCache) else EmbeddingCache(cache_file(cache))
    return CachedEmbedder(emb, store)


def cache_file(cache: str | Path | bool) -> Path | None:
    """The SQLite file of an embedding cache given as a folder or a file; ``None`` for
    ``True`` (the default folder)."""
    from .alignment.cache import cache_path

    return None if cache is True else cache_path(cache)  # type: ignore[arg-type]


def align(
    a: DocLike,
    b: DocLike,
    *,
    embedder: str | Embedder | Any = "use",
    cache: CacheLike = True,
    settings: AlignSettings | None = None,
    glossary: Glossary | None = None,
) -> tuple[ClausePair, ...]:
    """Clause pairs between two documents."""
    da, db = _as_document(a), _as_document(b)
    emb = resolve_embedder(embedder, cache)
    return align_clauses(da, db, emb, settings=settings, glossary=glossary)


def compare(
    a: DocLike,
    b: DocLike,
    *,
    embedder: str | Embedder | Any = "use",
    cache: CacheLike = True,
    glossary: Glossary | None = None,
    align_settings: AlignSettings | None = None,
    pair_settings: PairSettings | None = None,
    conversions: ConversionsLike = None,
    progress: Progress | None = None,
    ocr: bool = False,
) -> Comparison:
    """Compare standard ``a`` (usually the Chinese one) with ``b``.

    ``a`` and ``b`` are :class:`Document` objects or paths. ``embedder`` is ``"use"``
    (default), ``"e5"``, ``"st:NAME_OR_PATH"``, a SentenceTransformer or any object with
    ``encode(texts) -> ndarray``. ``cache`` is ``True`` (the user cache folder), a path, an
    :class:`EmbeddingCache` or ``False``. ``conversions`` enables stated basis conversions:
    names from ``stdcompare.gaps.named_conversions()`` such as ``["nitrate-N:NO3"]``, or a
    mapping such as ``{("n", "no3"): 14.007 / 62.004}`` (factor: B's basis into A's).
    ``ocr=True`` reads scanned pages of ``a`` and ``b`` given as paths with Tesseract (see
    :func:`load`); pages read by OCR are listed in ``meta["ocr_pages"]``.
    """
    say = progress or (lambda _msg: None)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    if not (isinstance(a, Document) and isinstance(b, Document)):
        say("reading documents")  # the CLI reads them itself and says so
    da, db = _as_document(a, ocr=ocr), _as_document(b, ocr=ocr)
    require_healthy(da)
    require_healthy(db)
    timings["ingest_s"] = time.perf_counter() - t0
    g = glossary if glossary is not None else default_glossary()
    t = time.perf_counter()
    say("extracting indicators")
    ia, ib = _extract(da, glossary=g), _extract(db, glossary=g)
    timings["extract_s"] = time.perf_counter() - t
    t = time.perf_counter()
    say("aligning clauses")
    emb = resolve_embedder(embedder, cache)
    pairs = align_clauses(da, db, emb, settings=align_settings, glossary=g)
    pairs = annotate_strength(pairs)
    timings["align_s"] = time.perf_counter() - t
    t = time.perf_counter()
    say("pairing indicators and judging gaps")
    gaps = gaps_from_indicators(
        ia,
        ib,
        glossary=g,
        embedder=emb,
        clause_pairs=pairs,
        settings=pair_settings,
        conversions=conversions,
    )
    timings["compare_s"] = time.perf_counter() - t
    meta: dict[str, Any] = {
        "generator": f"stdcompare {__version__}",
        "embedder": model_id(emb),
        "indicators": {"a": len(ia), "b": len(ib)},
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "a_metadata": da.metadata.to_dict(),
        "b_metadata": db.metadata.to_dict(),
    }
    if conversions:
        meta["conversions"] = describe_conversions(conversions)
    ocr_pages = {k: [h.page for h in d.ocr_pages] for k, d in (("a", da), ("b", db))}
    if any(ocr_pages.values()):
        meta["ocr_pages"] = ocr_pages
    from .correspondence import check_correspondence

    correspondence = check_correspondence(da, db, pairs, gaps, glossary=g)
    return Comparison(
        a=da.info(),
        b=db.info(),
        pair_list=pairs,
        gap_list=gaps,
        meta=meta,
        correspondence=correspondence,
    )


@functools.lru_cache(maxsize=64)
def _extract_cached(doc: Document, glossary: Glossary | None) -> tuple[Indicator, ...]:
    return _extract_uncached(doc, glossary=glossary)


def _extract(doc: Document, *, glossary: Glossary | None = None) -> tuple[Indicator, ...]:
    """Extraction memoised per process: a document compared in many pairs (batch runs,
    notebooks) is read for indicators once. Documents and glossaries are immutable."""
    return _extract_cached(doc, glossary)


def _as_document(doc: DocLike, *, ocr: bool = False) -> Document:
    if isinstance(doc, Document):
        return doc
    return _load(doc, bad_pages="error", ocr=ocr)
