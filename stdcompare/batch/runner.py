"""Run a batch: plan, ingest each distinct document once, compare pairs in parallel, write.

Layout of the output folder::

    OUT/index.html              overview of all pairs (verdict counts, links, failures)
    OUT/summary.csv             one row per pair
    OUT/pairs/NAME/comparison.json, report.html, report.xlsx
    OUT/pairs/NAME/state.json   what the outputs were made from (for resuming)
    OUT/.stdcompare/documents/  ingested documents, keyed by content hash

Only this (main) process writes into ``OUT/pairs`` and every file is written atomically;
a pair's ``state.json`` is removed before its outputs are replaced and written after them, so
an interrupted run never leaves outputs that a rerun would take as up to date.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import hashlib
import json
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .._io import sha256_file
from .._version import __version__
from ..errors import DocumentNotFound, StdCompareError
from ..model import Document
from ._files import write_bytes, write_text
from .backends import CRASH_MESSAGE, BatchError, DaskBackend, LocalBackend, default_jobs
from .index import write_index, write_summary_csv
from .inputs import Resolver, resolve_input
from .manifest import EMBEDDER_CHOICES, Manifest, PairSpec, read_manifest
from .results import BatchEvent, BatchResult, DocumentResult, PairResult
from .worker import (
    OUTPUT_FILES,
    DocJob,
    DocOutcome,
    PairOutcome,
    PairTask,
    compare_pair,
    ingest,
)

PAIRS_DIR = "pairs"
WORK_DIR = ".stdcompare"
STATE_FILE = "state.json"
STATE_SCHEMA = "stdcompare/batch-pair-v1"
INDEX_FILE = "index.html"
SUMMARY_FILE = "summary.csv"

ProgressCallback = Callable[[BatchEvent], None]


def available_formats() -> tuple[str, ...]:
    """Output formats a pair can be written in (all of them by default)."""
    return tuple(OUTPUT_FILES)


def run_batch(
    manifest: Manifest | str | Path,
    out_dir: str | Path,
    *,
    jobs: int | None = None,
    scheduler: Any = None,
    force: bool = False,
    progress: ProgressCallback | None = None,
    embedder: Any = "use",
    skip_bad_pages: bool = False,
    ocr: bool = False,
    cache: Any = True,
    formats: Iterable[str] | None = None,
    resolver: Resolver | None = None,
) -> BatchResult:
    """Compare every pair of a manifest and write their reports, an index and a summary.

    ``manifest`` is a CSV/YAML file (see :mod:`stdcompare.batch.manifest`) or a
    :class:`Manifest`. ``jobs`` worker processes run locally (default: the usable cores);
    ``scheduler`` (a ``tcp://HOST:PORT`` address or a ``distributed.Client``) runs the work on
    a Dask cluster instead. Pairs whose outputs are up to date — same input contents,
    options and stdcompare version — are skipped unless ``force``. ``embedder`` and
    ``skip_bad_pages`` and ``ocr`` (read scanned pages with Tesseract, see
    :func:`stdcompare.load`) are defaults for pairs that do not set them. ``cache`` is the
    embedding cache shared by all workers: ``True`` (the default folder, see
    :func:`stdcompare.alignment.cache.default_cache_dir`), a folder or ``.sqlite`` file, or
    ``False``. ``formats`` defaults to every available one (json, html, xlsx).
    ``resolver(value, base_dir)`` may turn a manifest value into a ``Document`` or a path
    (see :func:`stdcompare.batch.inputs.resolve_input`).

    A pair that fails is recorded with its error and does not stop the others; see
    :attr:`BatchResult.exit_code`. Raises :class:`~stdcompare.errors.ManifestError` for a
    malformed manifest and :class:`BatchError` for bad arguments, before any work starts.
    """
    t_start = time.perf_counter()
    m = manifest if isinstance(manifest, Manifest) else read_manifest(manifest)
    out = Path(out_dir).expanduser().resolve()
    if out.exists() and not out.is_dir():
        raise BatchError(f"{out} is a file; --out needs a folder (it is created if missing)")
    fmts = _formats(formats)
    if scheduler is not None and jobs is not None:
        raise BatchError(
            "jobs sets the number of local processes; on a Dask cluster the workers decide "
            "how much runs at once, so give either jobs or scheduler"
        )
    if jobs is not None and (not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1):
        raise BatchError(f"jobs must be a whole number of at least 1, not {jobs!r}")
    if isinstance(embedder, str):
        embedder = embedder.strip()
        if embedder.lower() in ("use", "e5"):
            embedder = embedder.lower()
        elif not (embedder.lower().startswith("st:") and len(embedder) > 3):
            raise BatchError(
                f"unknown embedder {embedder!r}; choose one of: {', '.join(EMBEDDER_CHOICES)}"
            )
    defaults = _Defaults(embedder=embedder, skip_bad_pages=bool(skip_bad_pages), ocr=bool(ocr))
    with _lock(out):
        plan = _plan(m, out, defaults, fmts, force, resolver)
        run = _Run(plan, out, fmts, _cache_target(cache, scheduler is not None), force, progress)
        backend_name = "nothing to compute"
        interrupted = False
        try:
            run.start()
            if run.runnable:
                backend: Any
                if scheduler is not None:
                    backend = DaskBackend(scheduler)
                else:
                    n = min(jobs or default_jobs(), len(run.runnable) + len(run.doc_queue))
                    run.threads = max(1, default_jobs() // n)
                    backend = LocalBackend(n, threads=run.threads)
                backend_name = backend.description
                run.execute(backend)
        except KeyboardInterrupt:
            interrupted = True
            raise
        finally:
            results = run.final_results()
            elapsed = time.perf_counter() - t_start
            with contextlib.suppress(OSError):
                write_summary_csv(out / SUMMARY_FILE, results)
                write_index(
                    out / INDEX_FILE,
                    results,
                    title=f"Batch {m.path.name}",
                    backend=backend_name,
                    seconds=elapsed,
                    interrupted=interrupted,
                )
    result = BatchResult(
        out_dir=out,
        pairs=tuple(results),
        documents=run.document_results(),
        index_html=out / INDEX_FILE,
        summary_csv=out / SUMMARY_FILE,
        seconds=elapsed,
        backend=backend_name,
    )
    run.emit(BatchEvent("finish", message=repr(result)))
    return result


@contextlib.contextmanager
def _lock(out: Path) -> Iterator[None]:
    """One batch at a time per output folder."""
    from filelock import FileLock, Timeout

    work = out / WORK_DIR
    try:
        work.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchError(f"cannot create the output folder {out}: {exc.strerror or exc}") from exc
    lock = FileLock(str(work / "lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout as exc:
        raise BatchError(
            f"another batch is writing to {out}; wait for it to finish or choose another --out"
        ) from exc
    try:
        yield
    finally:
        lock.release()


# --- planning ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Defaults:
    embedder: Any = "use"
    skip_bad_pages: bool = False
    ocr: bool = False


@dataclass
class _Doc:
    """A distinct input document (a path or a provided Document, with its load options)."""

    key: str
    source: str
    bad_pages: str
    language: str | None
    path: Path | None = None
    document: Document | None = None
    sha256: str = ""
    error: str = ""
    error_type: str = ""
    users: int = 0
    status: str = "not_needed"
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    pages: int = 0
    code: str | None = None
    ocr: bool = False


@dataclass
class _Pair:
    spec: PairSpec
    a: _Doc
    b: _Doc
    key: str
    folder: Path
    embedder: Any
    options: dict[str, Any]
    result: PairResult | None = None


@dataclass
class _Plan:
    manifest: Manifest
    pairs: list[_Pair]
    docs: dict[str, _Doc]
    todo: list[_Pair] = field(default_factory=list)


def _formats(formats: Iterable[str] | None) -> tuple[str, ...]:
    have = available_formats()
    if formats is None:
        return have
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",")]
    chosen = tuple(dict.fromkeys(f.lower() for f in formats if f))
    if not chosen:
        raise BatchError(f"give at least one output format: {', '.join(have)}")
    for f in chosen:
        if f not in have:
            raise BatchError(f"unknown output format {f!r}; choose from: {', '.join(have)}")
    return chosen


def _cache_target(cache: Any, remote: bool) -> str | bool | None:
    """The embedding cache file every worker opens (``None``: each worker's default)."""
    from ..alignment.cache import EmbeddingCache, cache_path

    if cache is False or cache is None:
        return False
    if isinstance(cache, EmbeddingCache):
        return str(cache.path)
    if cache is True:
        return None if remote else str(cache_path())
    return str(cache_path(cache).resolve())


@functools.lru_cache(maxsize=1)
def _fingerprint() -> str:
    """stdcompare's version and the contents of its data files (glossary, lexicons, units)."""
    h = hashlib.sha256(__version__.encode())
    data = resources.files("stdcompare.data")
    for entry in sorted(data.iterdir(), key=lambda e: e.name):
        if entry.is_file() and not entry.name.endswith((".py", ".pyc")):
            h.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return h.hexdigest()[:16]


def _hash(obj: Any) -> str:
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plan(
    m: Manifest,
    out: Path,
    defaults: _Defaults,
    formats: tuple[str, ...],
    force: bool,
    resolver: Resolver | None,
) -> _Plan:
    fp = _fingerprint()
    docs: dict[str, _Doc] = {}
    by_input: dict[tuple[Any, ...], _Doc] = {}
    hashes: dict[Path, tuple[str, str]] = {}  # path -> (sha256, error)

    def doc_for(value: str, language: str | None, bad_pages: str, ocr: bool) -> _Doc:
        try:
            found = resolve_input(value, m.base_dir, resolver)
        except StdCompareError as exc:
            ident: tuple[Any, ...] = ("error", value)
            if ident not in by_input:
                key = _hash(ident)[:32]
                d = _Doc(key, value, bad_pages, language, status="failed")
                d.error, d.error_type = " ".join(str(exc).split()), type(exc).__name__
                by_input[ident] = docs[key] = d
            return by_input[ident]
        if isinstance(found, Document):
            sha = found.sha256 or _hash(found.to_dict())
            ident = ("document", sha, found.source)
            if ident not in by_input:
                key = _hash([sha, found.source, fp])[:32]
                d = _Doc(
                    key, found.source or value, bad_pages, language, document=found, sha256=sha
                )
                d.pages, d.code = found.pages, found.metadata.code
                by_input[ident] = docs[key] = d
            return by_input[ident]
        path = Path(os.path.abspath(found))
        ident = ("path", str(path), bad_pages, language, ocr)
        if ident in by_input:
            return by_input[ident]
        if path not in hashes:
            if not path.is_file():
                hashes[path] = ("", " ".join(str(DocumentNotFound(path)).split()))
            else:
                try:
                    hashes[path] = (sha256_file(path), "")
                except OSError as exc:
                    hashes[path] = ("", f"{path}: cannot read the file ({exc.strerror or exc})")
        sha, err = hashes[path]
        # OCR changes the text read: it is part of the key (left out when off, so keys of
        # documents read without it stay what they were)
        key = _hash([sha, str(path), bad_pages, language, fp, *(["ocr"] if ocr else [])])[:32]
        d = _Doc(key, str(path), bad_pages, language, path=path, sha256=sha, ocr=ocr)
        if err:
            d.error, d.error_type, d.status = err, "DocumentNotFound", "missing"
        by_input[ident] = docs[key] = d
        return d

    pairs: list[_Pair] = []
    todo: list[_Pair] = []
    for spec in m.pairs:
        skip = defaults.skip_bad_pages if spec.skip_bad_pages is None else spec.skip_bad_pages
        bad_pages = "skip" if skip else "error"
        ocr = defaults.ocr if spec.ocr is None else spec.ocr
        a = doc_for(spec.a, spec.a_language, bad_pages, ocr)
        b = doc_for(spec.b, spec.b_language, bad_pages, ocr)
        emb = spec.embedder or defaults.embedder
        options = {
            "embedder": emb if isinstance(emb, str) else _embedder_id(emb),
            "skip_bad_pages": skip,
            "a_language": spec.a_language,
            "b_language": spec.b_language,
            "conversions": spec.conversions_text(),
        }
        if ocr:
            options["ocr"] = True
        key = _hash(
            {
                "version": __version__,
                "data": fp,
                "a": a.sha256,
                "b": b.sha256,
                "options": options,
                "formats": formats,
            }
        )
        pair = _Pair(spec, a, b, key, out / PAIRS_DIR / spec.name, emb, options)
        state = None if force else _read_state(pair.folder)
        if (
            state is not None
            and state.get("status") == "done"
            and state.get("key") == key
            and a.sha256
            and b.sha256
            and all((pair.folder / OUTPUT_FILES[f]).is_file() for f in formats)
        ):
            pair.result = _result_from_state(pair, state, "up_to_date")
        else:
            todo.append(pair)
        pairs.append(pair)
    return _Plan(m, pairs, docs, todo)


def _embedder_id(emb: Any) -> str:
    from ..alignment.embedders import get_embedder, model_id

    return model_id(get_embedder(emb))


def _read_state(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("schema") != STATE_SCHEMA:
        return None
    return data


def _result_from_state(pair: _Pair, state: Mapping[str, Any], status: str) -> PairResult:
    return PairResult(
        name=pair.spec.name,
        status=status,
        a=pair.spec.a,
        b=pair.spec.b,
        line=pair.spec.line,
        summary=dict(state.get("summary") or {}),
        clause_pairs=int(state.get("clause_pairs") or 0),
        a_code=state.get("a_code"),
        b_code=state.get("b_code"),
        a_title=state.get("a_title"),
        b_title=state.get("b_title"),
        seconds=float(state.get("seconds") or 0.0),
        cpu_seconds=float(state.get("cpu_seconds") or 0.0),
        timings=dict(state.get("timings") or {}),
        outputs=dict(state.get("outputs") or {}),
        options=dict(state.get("options") or pair.options),
        notes=pair.spec.notes,
        finished=str(state.get("finished") or ""),
    )


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


# --- execution ---------------------------------------------------------------------------------


@dataclass
class _Item:
    kind: str  # "doc" or "pair"
    payload: Any  # DocJob or _Pair
    generation: int
    isolated: bool = False


class _Run:
    """The state of one run: queues, futures in flight, ingested documents."""

    def __init__(
        self,
        plan: _Plan,
        out: Path,
        formats: tuple[str, ...],
        cache: str | bool | None,
        force: bool,
        progress: ProgressCallback | None,
    ) -> None:
        self.plan = plan
        self.out = out
        self.formats = formats
        self.cache = cache
        self.force = force
        self.progress = progress
        self.threads: int | None = None
        self.docs_dir = out / WORK_DIR / "documents"
        self.runnable: list[_Pair] = []
        self.doc_queue: deque[DocJob] = deque()
        self.ready: deque[_Pair] = deque()
        self.refs: dict[str, Any] = {}
        self.waiting: dict[str, list[_Pair]] = {}
        self.in_flight: dict[Any, _Item] = {}
        self.suspects: deque[_Item] = deque()
        self.pairs_done = 0
        self.docs_done = 0
        self.backend: Any = None

    # -- set-up ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Fail the pairs whose documents are already known to be missing; queue the rest."""
        todo = self.plan.todo
        for pair in todo:
            if pair.a.error or pair.b.error:
                continue
            self.runnable.append(pair)
            for d in {pair.a.key: pair.a, pair.b.key: pair.b}.values():
                d.users += 1
        needed = {d.key: d for p in self.runnable for d in (p.a, p.b)}
        for d in needed.values():
            if d.document is None and (self.force or not self._cache_file(d).is_file()):
                self.doc_queue.append(self._doc_job(d))
        n_up = len(self.plan.pairs) - len(todo)
        self.emit(
            BatchEvent(
                "start",
                pairs_total=len(todo),
                docs_total=len(self.doc_queue),
                message=(
                    f"{len(self.plan.pairs)} pairs: {len(todo)} to compare, {n_up} up to date; "
                    f"{len(needed)} documents, {len(self.doc_queue)} to ingest"
                ),
            )
        )
        for pair in todo:
            if pair.a.error or pair.b.error:
                bad = pair.a if pair.a.error else pair.b
                self._pair_failed(pair, bad.error, bad.error_type)

    def _doc_job(self, d: _Doc) -> DocJob:
        return DocJob(
            d.key, str(d.path), d.bad_pages, d.language, str(self._cache_file(d)), ocr=d.ocr
        )

    def _cache_file(self, d: _Doc) -> Path:
        return self.docs_dir / f"{d.key}.json"

    def execute(self, backend: Any) -> None:
        self.backend = backend
        try:
            queued = {j.key for j in self.doc_queue}
            for d in {d.key: d for p in self.runnable for d in (p.a, p.b)}.values():
                if d.document is not None:
                    self.refs[d.key] = backend.provide(d.document, str(self._cache_file(d)))
                    d.status = "provided"
                elif d.key not in queued:
                    path = self._cache_file(d)
                    if backend.shares_files:
                        self.refs[d.key] = str(path)
                    else:
                        try:
                            cached = Document.open(path)
                        except (StdCompareError, OSError, ValueError):
                            self.doc_queue.append(self._doc_job(d))  # unreadable: read again
                            continue
                        self.refs[d.key] = backend.provide(cached, str(path))
                    d.status = "cached"
            for pair in self.runnable:
                self._enqueue(pair)
            while True:
                self._fill()
                if not self.in_flight:
                    break
                for fut in backend.wait(self.in_flight):
                    self._finish(self.in_flight.pop(fut), fut)
        except BaseException:
            backend.close(cancel=True)
            raise
        backend.close()

    def _enqueue(self, pair: _Pair) -> None:
        missing = [d.key for d in (pair.a, pair.b) if d.key not in self.refs]
        if not missing:
            self.ready.append(pair)
        for key in dict.fromkeys(missing):
            self.waiting.setdefault(key, []).append(pair)

    def _fill(self) -> None:
        b = self.backend
        regular = sum(not it.isolated for it in self.in_flight.values())
        while regular < b.capacity and (self.doc_queue or self.ready):
            # Pairs whose documents are ready go first: results arrive early and an
            # interrupted run keeps them; otherwise read the next document.
            if self.ready:
                self._submit(_Item("pair", self.ready.popleft(), b.generation))
            else:
                self._submit(_Item("doc", self.doc_queue.popleft(), b.generation))
            regular += 1
        if self.suspects and not any(it.isolated for it in self.in_flight.values()):
            item = self.suspects.popleft()
            self._submit(_Item(item.kind, item.payload, b.generation, isolated=True))

    def _submit(self, item: _Item) -> None:
        b = self.backend
        try:
            if item.kind == "doc":
                fut = b.submit(ingest, b.doc_job(item.payload), isolated=item.isolated)
            else:
                pair: _Pair = item.payload
                task = PairTask(
                    name=pair.spec.name,
                    embedder=pair.embedder,
                    cache=self.cache,
                    conversions=pair.spec.conversions,
                    formats=self.formats,
                    threads=self.threads,
                )
                fut = b.submit(
                    compare_pair,
                    task,
                    self.refs[pair.a.key],
                    self.refs[pair.b.key],
                    isolated=item.isolated,
                )
        except OSError as exc:  # e.g. a document file vanished before it could be sent
            message = (
                f"{item.payload.source if item.kind == 'doc' else item.payload.spec.name}: {exc}"
            )
            self._complete(item, None, _failure_outcome(item, message, type(exc).__name__))
            return
        self.in_flight[fut] = item

    def _finish(self, item: _Item, fut: Any) -> None:
        from .worker import describe_failure

        try:
            outcome = fut.result()
        except Exception as exc:
            if self.backend.crashed(exc):
                if not item.isolated:
                    if item.generation == self.backend.generation:
                        self.backend.restart(isolated=False)
                    self.suspects.append(item)
                    return
                self.backend.restart(isolated=True)
                outcome = _failure_outcome(item, CRASH_MESSAGE, "WorkerCrash")
            else:
                kind, message, tb = describe_failure(exc)
                if "KilledWorker" in kind:
                    message = f"{CRASH_MESSAGE} ({message})"
                outcome = _failure_outcome(item, message, kind, tb)
        self._complete(item, fut, outcome)

    def _complete(self, item: _Item, fut: Any, outcome: Any) -> None:
        if item.kind == "doc":
            self._doc_done(item.payload, fut, outcome)
        else:
            self._pair_done(item.payload, outcome)

    # -- documents ------------------------------------------------------------------------------

    def _doc_done(self, job: DocJob, fut: Any, outcome: DocOutcome) -> None:
        d = self.plan.docs[job.key]
        d.seconds, d.cpu_seconds = outcome.seconds, outcome.cpu_seconds
        d.pages, d.code = outcome.pages, outcome.code
        self.docs_done += 1
        waiting = self.waiting.pop(job.key, [])
        if outcome.ok:
            d.status = "ingested"
            self.refs[job.key] = self.backend.doc_ref(fut, outcome, job)
            if outcome.document is not None and not self.backend.shares_files:
                with contextlib.suppress(OSError):
                    outcome.document.save(self._cache_file(d))
        else:
            error = outcome.error
            if d.source not in error:  # unexpected errors do not name the file
                error = f"{d.source}: {error}"
            d.status, d.error, d.error_type = "failed", error, outcome.error_type
        self.emit(
            BatchEvent(
                "document",
                pairs_done=self.pairs_done,
                pairs_total=len(self.plan.todo),
                docs_done=self.docs_done,
                docs_total=self.docs_done + len(self.doc_queue) + self._docs_in_flight(),
                document=_doc_result(d),
            )
        )
        for pair in waiting:
            if pair.result is not None:
                continue  # already failed through its other document
            if not outcome.ok:
                self._release(pair)
                self._pair_failed(pair, d.error, outcome.error_type, outcome.traceback)
            elif pair.a.key in self.refs and pair.b.key in self.refs:
                self.ready.append(pair)

    def _docs_in_flight(self) -> int:
        return sum(it.kind == "doc" for it in self.in_flight.values()) + sum(
            it.kind == "doc" for it in self.suspects
        )

    def _release(self, pair: _Pair) -> None:
        for d in {pair.a.key: pair.a, pair.b.key: pair.b}.values():
            d.users -= 1
            if d.users <= 0 and d.key in self.refs and self.backend is not None:
                self.backend.release(self.refs.pop(d.key))

    # -- pairs ----------------------------------------------------------------------------------

    def _pair_done(self, pair: _Pair, outcome: PairOutcome) -> None:
        self._release(pair)
        if not outcome.ok:
            self._pair_failed(
                pair, outcome.error, outcome.error_type, outcome.traceback, outcome.seconds
            )
            return
        try:
            result = self._write_success(pair, outcome)
        except OSError as exc:
            self._pair_failed(pair, f"cannot write the outputs in {pair.folder}: {exc}", "OSError")
            return
        self._record(pair, result)

    def _write_success(self, pair: _Pair, outcome: PairOutcome) -> PairResult:
        folder = pair.folder
        folder.mkdir(parents=True, exist_ok=True)
        _sweep_temporary(folder)
        (folder / STATE_FILE).unlink(missing_ok=True)
        outputs: dict[str, str] = {}
        try:
            for fmt in self.formats:
                target = folder / OUTPUT_FILES[fmt]
                write_bytes(target, outcome.files[fmt])
                outputs[fmt] = target.relative_to(self.out).as_posix()
        except BaseException:
            _remove_outputs(folder)
            raise
        for fmt, file in OUTPUT_FILES.items():
            if fmt not in self.formats:
                (folder / file).unlink(missing_ok=True)
        state = {
            "schema": STATE_SCHEMA,
            "status": "done",
            "key": pair.key,
            "name": pair.spec.name,
            "version": __version__,
            "a": {"value": pair.spec.a, "source": pair.a.source, "sha256": pair.a.sha256},
            "b": {"value": pair.spec.b, "source": pair.b.source, "sha256": pair.b.sha256},
            "options": pair.options,
            "formats": list(self.formats),
            "outputs": outputs,
            "summary": dict(outcome.summary),
            "clause_pairs": outcome.clause_pairs,
            "a_code": outcome.a_code,
            "b_code": outcome.b_code,
            "a_title": outcome.a_title,
            "b_title": outcome.b_title,
            "seconds": round(outcome.seconds, 3),
            "cpu_seconds": round(outcome.cpu_seconds, 3),
            "timings": dict(outcome.timings),
            "embedder": outcome.embedder,
            "cache_hits": outcome.cache_hits,
            "cache_misses": outcome.cache_misses,
            "worker": outcome.worker,
            "finished": _now(),
        }
        write_text(folder / STATE_FILE, json.dumps(state, ensure_ascii=False, indent=1) + "\n")
        return _result_from_state(pair, state, "done")

    def _pair_failed(
        self, pair: _Pair, error: str, error_type: str = "", tb: str = "", seconds: float = 0.0
    ) -> None:
        folder = pair.folder
        state = {
            "schema": STATE_SCHEMA,
            "status": "failed",
            "key": pair.key,
            "name": pair.spec.name,
            "version": __version__,
            "a": {"value": pair.spec.a, "source": pair.a.source, "sha256": pair.a.sha256},
            "b": {"value": pair.spec.b, "source": pair.b.source, "sha256": pair.b.sha256},
            "options": pair.options,
            "error": error,
            "error_type": error_type,
            "traceback": tb,
            "finished": _now(),
        }
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            _sweep_temporary(folder)
            _remove_outputs(folder)
            write_text(folder / STATE_FILE, json.dumps(state, ensure_ascii=False, indent=1) + "\n")
        result = PairResult(
            name=pair.spec.name,
            status="failed",
            a=pair.spec.a,
            b=pair.spec.b,
            line=pair.spec.line,
            error=error or "failed (no message)",
            error_type=error_type,
            seconds=seconds,
            options=pair.options,
            notes=pair.spec.notes,
            finished=str(state["finished"]),
        )
        self._record(pair, result)

    def _record(self, pair: _Pair, result: PairResult) -> None:
        pair.result = result
        self.pairs_done += 1
        self.emit(
            BatchEvent(
                "pair",
                pairs_done=self.pairs_done,
                pairs_total=len(self.plan.todo),
                docs_done=self.docs_done,
                docs_total=self.docs_done + len(self.doc_queue) + self._docs_in_flight(),
                pair=result,
            )
        )

    # -- results --------------------------------------------------------------------------------

    def emit(self, event: BatchEvent) -> None:
        if self.progress is not None:
            self.progress(event)

    def final_results(self) -> list[PairResult]:
        out = []
        for pair in self.plan.pairs:
            out.append(
                pair.result
                or PairResult(
                    name=pair.spec.name,
                    status="not_run",
                    a=pair.spec.a,
                    b=pair.spec.b,
                    line=pair.spec.line,
                    options=pair.options,
                    notes=pair.spec.notes,
                )
            )
        return out

    def document_results(self) -> tuple[DocumentResult, ...]:
        users: dict[str, int] = {}
        for p in self.plan.pairs:
            for k in {p.a.key, p.b.key}:
                users[k] = users.get(k, 0) + 1
        return tuple(_doc_result(d, users.get(d.key, 0)) for d in self.plan.docs.values())


def _doc_result(d: _Doc, pairs: int = 0) -> DocumentResult:
    return DocumentResult(
        source=d.source,
        key=d.key,
        status=d.status,
        sha256=d.sha256,
        error=d.error,
        seconds=round(d.seconds, 3),
        cpu_seconds=round(d.cpu_seconds, 3),
        pages=d.pages,
        code=d.code,
        pairs=pairs,
    )


def _failure_outcome(item: _Item, message: str, kind: str, tb: str = "") -> Any:
    if item.kind == "doc":
        return DocOutcome(item.payload.key, False, message, kind, tb)
    return PairOutcome(item.payload.spec.name, False, message, kind, tb)


def _remove_outputs(folder: Path) -> None:
    (folder / STATE_FILE).unlink(missing_ok=True)
    for file in OUTPUT_FILES.values():
        (folder / file).unlink(missing_ok=True)


def _sweep_temporary(folder: Path) -> None:
    """Remove temporary files a killed earlier run may have left (atomic writes' ``.NAME.*``)."""
    names = (STATE_FILE, *OUTPUT_FILES.values())
    for tmp in folder.glob(".*"):
        if tmp.is_file() and any(tmp.name.startswith(f".{n}.") for n in names):
            with contextlib.suppress(OSError):
                tmp.unlink()
