"""The work a batch hands to its workers: ingest one document, compare one pair.

These functions run in local worker processes or on Dask workers, so their arguments and
results are small picklable value objects, and they never raise for a bad document: a
failure comes back as an outcome with a one-line error, so one bad pair cannot stop a batch.
The main process alone writes the batch's outputs (see :mod:`stdcompare.batch.runner`).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import tempfile
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import StdCompareError
from ..model import Comparison, Document

# Output formats a pair can produce, and the file each is written to.
OUTPUT_FILES: dict[str, str] = {
    "json": "comparison.json",
    "html": "report.html",
    "xlsx": "report.xlsx",
}


@dataclass(frozen=True)
class DocJob:
    """Ingest ``source`` once. ``save_to``: write the Document JSON there (shared folder);
    ``keep``: return the Document in the outcome (Dask keeps it on the cluster); ``data``: the
    file's bytes, for workers that cannot see the client's files."""

    key: str
    source: str
    bad_pages: str = "error"
    language: str | None = None
    save_to: str | None = None
    keep: bool = False
    data: bytes | None = field(default=None, repr=False)
    ocr: bool = False  # read scanned pages with Tesseract


@dataclass(frozen=True)
class DocOutcome:
    key: str
    ok: bool
    error: str = ""
    error_type: str = ""
    traceback: str = ""
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    pages: int = 0
    code: str | None = None
    document: Document | None = field(default=None, repr=False)


@dataclass(frozen=True)
class PairTask:
    """Compare two ingested documents and render the requested formats.

    ``cache`` is the embedding cache file (shared by all workers), ``None`` for the worker's
    default cache, or ``False`` for none. ``threads`` caps the embedder's threads.
    """

    name: str
    embedder: Any = "use"
    cache: str | bool | None = None
    conversions: tuple[str | tuple[str, str, float], ...] | None = None
    formats: tuple[str, ...] = ("json", "html")
    threads: int | None = None


@dataclass(frozen=True)
class PairOutcome:
    name: str
    ok: bool
    error: str = ""
    error_type: str = ""
    traceback: str = ""
    files: Mapping[str, bytes] = field(default_factory=dict, repr=False)
    summary: Mapping[str, int] = field(default_factory=dict)
    clause_pairs: int = 0
    a_code: str | None = None
    b_code: str | None = None
    a_title: str | None = None
    b_title: str | None = None
    timings: Mapping[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    embedder: str = ""
    cache_hits: int = 0
    cache_misses: int = 0
    worker: str = ""


DocRef = str | Document | DocOutcome


def init_worker(threads: int | None, environ: Mapping[str, str] | None = None) -> None:
    """Local worker start-up: the caller's environment, and the worker's share of the cores
    for numeric libraries (a forked worker may have loaded them already)."""
    if environ is not None:
        os.environ.update(environ)
    if threads:
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, str(threads))
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:
            return
        threadpool_limits(limits=threads)


def ingest(job: DocJob) -> DocOutcome:
    """Read one document; save and/or return it. Never raises for a bad document."""
    from ..ingest import load

    t0, c0 = time.perf_counter(), time.process_time()
    tmp: tempfile.TemporaryDirectory[str] | None = None
    path = job.source
    try:
        if job.data is not None:
            tmp = tempfile.TemporaryDirectory(prefix="stdcompare-doc-")
            path = str(Path(tmp.name) / Path(job.source).name)
            Path(path).write_bytes(job.data)
        doc = load(
            path,
            bad_pages=job.bad_pages,  # type: ignore[arg-type]
            language=job.language,
            ocr=job.ocr,
        )
        if path != job.source:
            doc = dataclasses.replace(doc, source=job.source)
        if job.save_to:
            doc.save(job.save_to)
    except Exception as exc:
        kind, message, tb = describe_failure(exc)
        if path != job.source:
            message = message.replace(path, job.source)
        return DocOutcome(
            job.key,
            False,
            message,
            kind,
            tb,
            seconds=time.perf_counter() - t0,
            cpu_seconds=time.process_time() - c0,
        )
    finally:
        if tmp is not None:
            tmp.cleanup()
    return DocOutcome(
        job.key,
        True,
        seconds=time.perf_counter() - t0,
        cpu_seconds=time.process_time() - c0,
        pages=doc.pages,
        code=doc.metadata.code,
        document=doc if job.keep else None,
    )


def compare_pair(task: PairTask, a: DocRef, b: DocRef) -> PairOutcome:
    """Compare two documents and render the outputs. Never raises for a bad pair."""
    from ..api import compare

    t0, c0 = time.perf_counter(), time.process_time()
    try:
        da, db = _document(a), _document(b)
        emb = _embedder(task.embedder, task.cache, task.threads)
        hits, misses = getattr(emb, "hits", 0), getattr(emb, "misses", 0)
        cmp = compare(da, db, embedder=emb, cache=False, conversions=_conversions(task))
        t = time.perf_counter()
        files = render_outputs(cmp, task.formats)
        timings = dict(cmp.meta.get("timings", {}))
        timings["report_s"] = round(time.perf_counter() - t, 3)
    except Exception as exc:
        kind, message, tb = describe_failure(exc)
        return PairOutcome(
            task.name,
            False,
            message,
            kind,
            tb,
            seconds=time.perf_counter() - t0,
            cpu_seconds=time.process_time() - c0,
            worker=_me(),
        )
    return PairOutcome(
        task.name,
        True,
        files=files,
        summary=cmp.summary,
        clause_pairs=len(cmp.pair_list),
        a_code=cmp.a.code,
        b_code=cmp.b.code,
        a_title=cmp.a.title,
        b_title=cmp.b.title,
        timings=timings,
        seconds=time.perf_counter() - t0,
        cpu_seconds=time.process_time() - c0,
        embedder=str(cmp.meta.get("embedder", "")),
        cache_hits=getattr(emb, "hits", 0) - hits,
        cache_misses=getattr(emb, "misses", 0) - misses,
        worker=_me(),
    )


def _conversions(task: PairTask) -> Any:
    if not task.conversions:
        return None
    from ..gaps.conversions import resolve_conversions

    names = [c for c in task.conversions if isinstance(c, str)]
    stated = {(c[0], c[1]): c[2] for c in task.conversions if not isinstance(c, str)}
    return resolve_conversions(names) + resolve_conversions(stated)


def render_outputs(cmp: Comparison, formats: tuple[str, ...]) -> dict[str, bytes]:
    """The bytes of each requested output format."""
    out: dict[str, bytes] = {}
    for fmt in formats:
        if fmt == "json":
            out[fmt] = (cmp.to_json() + "\n").encode("utf-8")
        elif fmt == "html":
            out[fmt] = cmp.to_html().encode("utf-8")
        elif fmt == "xlsx":
            out[fmt] = _xlsx_bytes(cmp)
        else:  # pragma: no cover - formats are checked before the batch starts
            raise ValueError(f"unknown format {fmt!r}")
    return out


def _xlsx_bytes(cmp: Comparison) -> bytes:
    with tempfile.TemporaryDirectory(prefix="stdcompare-xlsx-") as tmp:
        path = Path(tmp) / "report.xlsx"
        cmp.to_xlsx(path)
        return path.read_bytes()


def describe_failure(exc: BaseException) -> tuple[str, str, str]:
    """``(type name, one-line message, traceback)``; the traceback only for unexpected errors."""
    message = " ".join(str(exc).split())
    if isinstance(exc, StdCompareError):
        return type(exc).__name__, message, ""
    tb = "".join(traceback.format_exception(exc))
    detail = f": {message}" if message else ""
    return type(exc).__name__, f"unexpected {type(exc).__name__}{detail}", tb


def _document(ref: DocRef) -> Document:
    if isinstance(ref, Document):
        return ref
    if isinstance(ref, DocOutcome):
        if ref.document is None:  # pragma: no cover - the runner only passes ingested documents
            raise StdCompareError(f"document {ref.key} was not ingested: {ref.error}")
        return ref.document
    return _open_cached(str(ref))


@functools.lru_cache(maxsize=8)
def _open_cached(path: str) -> Document:
    # Cached documents are content-addressed files: a path never changes its content.
    return Document.open(path)


@functools.lru_cache(maxsize=8)
def _named_embedder(spec: str, cache: str | bool | None, threads: int | None) -> Any:
    from ..alignment.cache import CachedEmbedder, EmbeddingCache
    from ..alignment.embedders import E5Embedder, USEEmbedder, get_embedder

    base: Any
    if threads and spec == "use":
        base = USEEmbedder(threads=threads)
    elif threads and spec == "e5":
        base = E5Embedder(threads=threads)
    else:
        base = get_embedder(spec)
    if cache is False:
        return base
    return CachedEmbedder(base, EmbeddingCache(None if cache in (None, True) else Path(str(cache))))


def _embedder(spec: Any, cache: str | bool | None, threads: int | None) -> Any:
    if isinstance(spec, str):
        return _named_embedder(spec, cache, threads)
    from ..api import resolve_embedder

    store: Any = False if cache is False else (True if cache in (None, True) else cache)
    return resolve_embedder(spec, store)


def _me() -> str:
    return f"{os.uname().nodename}:{os.getpid()}" if hasattr(os, "uname") else str(os.getpid())
