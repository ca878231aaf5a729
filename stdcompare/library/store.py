"""The standards library: ingested documents in one SQLite file.

Documents are keyed by content hash (``Document.sha256``), so adding the same file twice
stores it once. Each document is filed under its base code and edition (``GB 5749`` /
``2022``), so the editions of a standard are versions of one entry. The whole
:class:`~stdcompare.model.Document` is stored as compressed JSON, so ``compare`` and
``track`` can use a stored standard without reading the PDF again.

Clauses and table rows are indexed for full-text search with SQLite FTS5 and its
``trigram`` tokenizer, which matches substrings and so works for Chinese (no word breaks)
as well as English and Russian. Query terms shorter than three characters, which a trigram
index cannot look up, are matched by a case-folded substring scan instead.

The database runs in WAL mode with a busy timeout, so several processes can read while one
writes; writers queue instead of failing.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._sqlite import enable_wal
from ..errors import StdCompareError
from ..model import Document
from ..textutil import normalize
from .codes import code_key, edition_sort_key, split_code

if TYPE_CHECKING:
    from ..ingest import BadPages

SCHEMA_VERSION = 1
# bump when code_key() folds codes differently: stored keys are then recomputed on open
CODE_KEY_VERSION = "1"
BUSY_TIMEOUT_S = 30.0
_SHA_PREFIX = re.compile(r"^[0-9a-f]{8,64}$")

_DDL = """
CREATE TABLE IF NOT EXISTS documents (
    id        INTEGER PRIMARY KEY,
    sha256    TEXT NOT NULL UNIQUE,
    code      TEXT NOT NULL,
    base_code TEXT NOT NULL,
    code_key  TEXT NOT NULL,
    edition   TEXT,
    year      INTEGER,
    title     TEXT,
    title_en  TEXT,
    language  TEXT NOT NULL,
    pages     INTEGER NOT NULL,
    source    TEXT NOT NULL,
    replaces  TEXT NOT NULL DEFAULT '[]',
    adoption  TEXT,
    clauses   INTEGER NOT NULL,
    tables    INTEGER NOT NULL,
    added     TEXT NOT NULL,
    document  BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_code_key ON documents(code_key);
CREATE TABLE IF NOT EXISTS info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS passages (
    id      INTEGER PRIMARY KEY,
    doc_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    ref     TEXT NOT NULL,
    heading TEXT NOT NULL,
    text    TEXT NOT NULL,
    page    INTEGER
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    heading, text, content='passages', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER IF NOT EXISTS passages_ai AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts(rowid, heading, text) VALUES (new.id, new.heading, new.text);
END;
CREATE TRIGGER IF NOT EXISTS passages_ad AFTER DELETE ON passages BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, heading, text)
    VALUES ('delete', old.id, old.heading, old.text);
END;
"""


class LibraryError(StdCompareError):
    """The library file cannot be used, or a request to it cannot be carried out."""


class NotInLibrary(LibraryError, LookupError):
    """No stored document matches the code (``near`` lists close codes that exist)."""

    def __init__(self, spec: str, library: Path, near: Sequence[str] = ()) -> None:
        self.spec = spec
        self.near = tuple(near)
        msg = f"{spec!r} is not in the library {library}"
        if self.near:
            msg += f"; near matches: {', '.join(self.near)}"
        msg += " — add it with: stdcompare library add FILE"
        super().__init__(msg)

    def __str__(self) -> str:  # LookupError would otherwise repr() the message
        return str(self.args[0])


class AmbiguousSpec(LibraryError, ValueError):
    """A request names several stored documents where one is needed."""


def default_library_path() -> Path:
    """``$STDCOMPARE_LIBRARY``, else ``$XDG_DATA_HOME/stdcompare/library.sqlite``, else
    ``~/.local/share/stdcompare/library.sqlite``."""
    env = os.environ.get("STDCOMPARE_LIBRARY")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "stdcompare" / "library.sqlite"


@dataclass(frozen=True)
class Entry:
    """One stored document (one edition of a standard, one file)."""

    id: int
    sha256: str
    code: str
    base_code: str
    edition: str | None
    year: int | None
    title: str | None
    title_en: str | None
    language: str
    pages: int
    source: str
    replaces: tuple[str, ...]
    adoption: str | None
    clauses: int
    tables: int
    added: str

    @property
    def sort_key(self) -> tuple[tuple[int, str], int, str, int]:
        return (edition_sort_key(self.edition), self.year or 0, self.added, self.id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "base_code": self.base_code,
            "edition": self.edition,
            "year": self.year,
            "title": self.title,
            "title_en": self.title_en,
            "language": self.language,
            "pages": self.pages,
            "clauses": self.clauses,
            "tables": self.tables,
            "replaces": list(self.replaces),
            "adoption": self.adoption,
            "source": self.source,
            "sha256": self.sha256,
            "added": self.added,
        }


@dataclass(frozen=True)
class AddResult:
    """What :meth:`Library.add` did: ``added`` is False when the content was already stored."""

    entry: Entry
    added: bool
    note: str = ""


@dataclass(frozen=True)
class Hit:
    """A search result: a clause (``kind="clause"``) or a table row (``kind="table"``)."""

    code: str
    edition: str | None
    language: str
    kind: str
    ref: str
    heading: str
    page: int | None
    snippet: str
    sha256: str
    rank: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "edition": self.edition,
            "language": self.language,
            "kind": self.kind,
            "ref": self.ref,
            "heading": self.heading,
            "page": self.page,
            "snippet": self.snippet,
            "sha256": self.sha256,
        }


_ENTRY_COLS = (
    "id, sha256, code, base_code, edition, year, title, title_en, language, pages, source, "
    "replaces, adoption, clauses, tables, added"
)


def _entry(row: sqlite3.Row) -> Entry:
    return Entry(
        id=row["id"],
        sha256=row["sha256"],
        code=row["code"],
        base_code=row["base_code"],
        edition=row["edition"],
        year=row["year"],
        title=row["title"],
        title_en=row["title_en"],
        language=row["language"],
        pages=row["pages"],
        source=row["source"],
        replaces=tuple(json.loads(row["replaces"] or "[]")),
        adoption=row["adoption"],
        clauses=row["clauses"],
        tables=row["tables"],
        added=row["added"],
    )


def _fold(text: str | None) -> str:
    return normalize(text or "").casefold()


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _contains(term: str, text: str | None) -> int:
    """1 when ``text`` contains ``term`` (case-folded): as a substring for Chinese, as a
    whole word for a short Latin or Cyrillic term (so ``pH`` does not match ``phenol``)."""
    folded = _fold(text)
    if _CJK.search(term):
        return int(term in folded)
    return int(re.search(r"(?<!\w)" + re.escape(term) + r"(?!\w)", folded) is not None)


class Library:
    """A library of ingested standards in one SQLite file.

    ``Library()`` opens the default library (see :func:`default_library_path`); pass a path
    to use another. With ``create=False`` a missing file is treated as an empty library and
    nothing is written to disk (for read-only commands). Use it as a context manager or call
    :meth:`close`.
    """

    def __init__(
        self, path: str | Path | None = None, *, create: bool = True, timeout: float | None = None
    ) -> None:
        self.path = Path(path).expanduser() if path is not None else default_library_path()
        self._memory = False
        if self.path.exists() and not self.path.is_file():
            raise LibraryError(f"{self.path} is a folder; give the library's file name")
        if not self.path.exists() and not create:
            target = ":memory:"
            self._memory = True
        else:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LibraryError(
                    f"cannot create the library folder {self.path.parent}: {exc.strerror}"
                ) from exc
            target = str(self.path)
        self._conn = self._connect(target, BUSY_TIMEOUT_S if timeout is None else timeout)

    # -- connection -------------------------------------------------------------------------

    def _connect(self, target: str, timeout: float) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(target, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise LibraryError(f"cannot open the library {self.path}: {exc}") from exc
        conn.row_factory = sqlite3.Row
        conn.create_function("sc_contains", 2, _contains, deterministic=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise LibraryError(
                    f"{self.path} was written by a newer stdcompare (library schema {version}, "
                    f"this version reads {SCHEMA_VERSION}); upgrade stdcompare"
                )
            if not self._memory:
                enable_wal(conn, timeout)
                conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            if version < SCHEMA_VERSION:
                # Check and create under one write lock: two processes opening a new library
                # at once must not see each other's half-made schema.
                with _transaction(conn):
                    version = conn.execute("PRAGMA user_version").fetchone()[0]
                    if (
                        version == 0
                        and conn.execute(
                            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                        ).fetchone()[0]
                    ):
                        raise LibraryError(
                            f"{self.path} is an SQLite database of another application, not a "
                            "stdcompare library; give another --library file"
                        )
                    if version < SCHEMA_VERSION:
                        _run_script(conn, _DDL)
                        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            if not self._memory:
                _refresh_code_keys(conn)
        except sqlite3.OperationalError as exc:
            conn.close()
            if "trigram" in str(exc) or "fts5" in str(exc):
                raise LibraryError(
                    f"this Python's SQLite {sqlite3.sqlite_version} lacks FTS5 with the trigram "
                    "tokenizer (SQLite 3.34 or newer is needed); use a newer Python build"
                ) from exc
            if "locked" in str(exc) or "busy" in str(exc):
                raise LibraryError(
                    f"the library {self.path} is locked by another process; try again"
                ) from exc
            raise LibraryError(f"cannot open the library {self.path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise LibraryError(
                f"{self.path} is not a stdcompare library ({exc}); give another --library file"
            ) from exc
        except LibraryError:
            conn.close()
            raise
        return conn

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM documents").fetchone()[0])

    def __repr__(self) -> str:
        return f"<Library {self.path}: {len(self)} documents>"

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self._memory:
            raise LibraryError(f"the library {self.path} does not exist yet; add a document first")
        try:
            with _transaction(self._conn):
                yield self._conn
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise LibraryError(
                    f"the library {self.path} stayed locked by another process; try again"
                ) from exc
            raise

    # -- adding and removing ----------------------------------------------------------------

    def add(
        self,
        source: str | Path | Document,
        *,
        code: str | None = None,
        bad_pages: BadPages = "error",
    ) -> AddResult:
        """Store a document: a :class:`Document`, a PDF or text file (read with
        :func:`stdcompare.load`), or a Document JSON written by ``Document.save``.

        ``code`` overrides the code found in the document. A document whose content is
        already stored is not stored again (``AddResult.added`` is False).
        """
        if isinstance(source, Document):
            doc = source
        else:
            sha = _file_sha(source)
            if sha is not None:
                existing = self._by_sha(sha)
                if existing is not None and code is None:
                    return AddResult(existing, False, "already in the library")
            path = Path(source)
            if path.suffix.lower() == ".json" and path.is_file():
                doc = _document_json(path)
            else:
                from ..ingest import load

                doc = load(source, bad_pages=bad_pages)
        sha = doc.sha256 or hashlib.sha256(doc.to_json().encode("utf-8")).hexdigest()
        printed = code or doc.metadata.code
        if not printed:
            raise LibraryError(
                f"{doc.source}: no standard code found in the document; give one with "
                "--code (API: code=...)"
            )
        parts = split_code(printed)
        edition = parts.edition
        if edition is None and doc.metadata.year and parts.base == parts.code:
            year_in_code = re.search(r"(?:19|20)\d{2}", parts.base)
            if year_in_code is None:
                edition = str(doc.metadata.year)
        existing = self._by_sha(sha)
        if existing is not None:
            if code is None or code == existing.code:
                return AddResult(existing, False, "already in the library")
            return AddResult(
                existing,
                False,
                f"already in the library as {existing.code}; remove it first to re-file it",
            )
        m = doc.metadata
        adoption = f"{m.adoption.degree} {m.adoption.standard}".strip() if m.adoption else None
        blob = zlib.compress(doc.to_json().encode("utf-8"), 6)
        added = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO documents (sha256, code, base_code, code_key, edition, year, title, "
                "title_en, language, pages, source, replaces, adoption, clauses, tables, added, "
                "document) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    sha,
                    parts.code,
                    parts.base,
                    parts.key,
                    edition,
                    m.year,
                    m.title,
                    m.title_en,
                    doc.language,
                    doc.pages,
                    doc.source,
                    json.dumps(list(m.replaces), ensure_ascii=False),
                    adoption,
                    len(doc.clauses),
                    len(doc.tables),
                    added,
                    blob,
                ),
            )
            doc_id = int(cur.lastrowid or 0)
            conn.executemany(
                "INSERT INTO passages (doc_id, kind, ref, heading, text, page) "
                "VALUES (?,?,?,?,?,?)",
                [
                    (doc_id, kind, ref, normalize(heading), normalize(text), page)
                    for kind, ref, heading, text, page in _passages(doc)
                ],
            )
        entry = self._by_sha(sha)
        assert entry is not None
        note = ""
        same = [e for e in self.find(entry.code) if e.id != entry.id and e.edition == edition]
        if same:
            note = (
                f"another file of {entry.code} is already stored ({same[0].source}); "
                "the most recently added one is used for this edition"
            )
        return AddResult(entry, True, note)

    def remove(self, spec: str, *, all_editions: bool = False) -> list[Entry]:
        """Remove the documents ``spec`` names (a code, a code with edition, or a sha256
        prefix). Naming several documents needs ``all_editions=True``."""
        found = self.find(spec)
        if not found:
            raise NotInLibrary(spec, self.path, self.near(spec))
        if len(found) > 1 and not all_editions:
            raise AmbiguousSpec(
                f"{spec!r} names {len(found)} stored documents ("
                + ", ".join(f"{e.code} [{e.sha256[:12]}]" for e in found)
                + "); name one edition or sha256 prefix, or pass --all (API: all_editions=True)"
            )
        with self._write() as conn:
            for e in found:
                conn.execute("DELETE FROM passages WHERE doc_id = ?", (e.id,))
                conn.execute("DELETE FROM documents WHERE id = ?", (e.id,))
        return found

    # -- looking up -------------------------------------------------------------------------

    def entries(self) -> list[Entry]:
        """Every stored document, by base code, then edition (oldest first)."""
        rows = self._conn.execute(f"SELECT {_ENTRY_COLS} FROM documents").fetchall()
        return sorted((_entry(r) for r in rows), key=lambda e: (e.base_code.casefold(), e.sort_key))

    def find(self, spec: str) -> list[Entry]:
        """Documents named by ``spec``: ``GB 5749`` (every edition), ``GB 5749—2022`` or
        ``GB 5749-2022`` (that edition), or a sha256 prefix of at least 8 hex digits.
        Oldest edition first."""
        spec = spec.strip()
        if not spec:
            return []
        if _SHA_PREFIX.match(spec.lower()):
            rows = self._conn.execute(
                f"SELECT {_ENTRY_COLS} FROM documents WHERE sha256 LIKE ?", (spec.lower() + "%",)
            ).fetchall()
            if rows:
                return [_entry(r) for r in rows]
        parts = split_code(spec)
        rows = self._conn.execute(
            f"SELECT {_ENTRY_COLS} FROM documents WHERE code_key = ?", (parts.key,)
        ).fetchall()
        found = [_entry(r) for r in rows]
        if parts.edition is not None:
            found = [e for e in found if _edition_key(e.edition) == _edition_key(parts.edition)]
        elif not found:
            # a code stored without an edition split, typed with its full text
            rows = self._conn.execute(
                f"SELECT {_ENTRY_COLS} FROM documents WHERE code_key = ?", (code_key(spec),)
            ).fetchall()
            found = [_entry(r) for r in rows]
        return sorted(found, key=lambda e: e.sort_key)

    def editions(self, spec: str) -> list[Entry]:
        """All stored editions of the standard ``spec`` names (its edition is ignored)."""
        found = self.find(spec)
        if not found:
            return []
        base_keys = {code_key(e.base_code) for e in found}
        rows = self._conn.execute(
            f"SELECT {_ENTRY_COLS} FROM documents WHERE code_key IN "
            f"({','.join('?' * len(base_keys))})",
            tuple(base_keys),
        ).fetchall()
        return sorted((_entry(r) for r in rows), key=lambda e: e.sort_key)

    def latest(self, spec: str) -> Entry:
        """The newest stored document ``spec`` names (see :meth:`find`)."""
        found = self.find(spec)
        if not found:
            raise NotInLibrary(spec, self.path, self.near(spec))
        return found[-1]

    def document(self, spec: str | Entry) -> Document:
        """The stored :class:`Document` (newest edition when ``spec`` names several)."""
        entry = spec if isinstance(spec, Entry) else self.latest(spec)
        row = self._conn.execute(
            "SELECT document FROM documents WHERE id = ?", (entry.id,)
        ).fetchone()
        if row is None:
            raise NotInLibrary(entry.code, self.path)
        try:
            return Document.from_json(zlib.decompress(row["document"]).decode("utf-8"))
        except zlib.error as exc:
            raise LibraryError(
                f"the stored copy of {entry.code} in {self.path} is damaged; remove it and add "
                "the file again"
            ) from exc

    def near(self, spec: str, limit: int = 5) -> list[str]:
        """Stored codes that look like ``spec`` (for "did you mean" messages)."""
        from rapidfuzz import fuzz, process

        rows = self._conn.execute("SELECT DISTINCT base_code, code FROM documents").fetchall()
        if not rows:
            return []
        key = split_code(spec).key
        choices = {code_key(r["base_code"]): r["base_code"] for r in rows}
        codes_by_base: dict[str, list[str]] = {}
        for r in rows:
            codes_by_base.setdefault(r["base_code"], []).append(r["code"])
        hits = process.extract(key, list(choices), scorer=fuzz.ratio, limit=limit, score_cutoff=60)
        out = []
        for k, _score, _i in hits:
            base = choices[k]
            out.extend(sorted(codes_by_base[base]))
        return out[: limit * 2]

    def _by_sha(self, sha: str) -> Entry | None:
        row = self._conn.execute(
            f"SELECT {_ENTRY_COLS} FROM documents WHERE sha256 = ?", (sha,)
        ).fetchone()
        return _entry(row) if row else None

    # -- search -----------------------------------------------------------------------------

    def search(
        self,
        text: str,
        *,
        code: str | None = None,
        language: str | None = None,
        limit: int = 20,
    ) -> list[Hit]:
        """Clauses and table rows containing every term of ``text``.

        Terms are separated by spaces; ``"double quotes"`` keep a phrase together. Matching
        ignores case and is by substring (a trigram index), so it works for Chinese,
        English and Russian alike; terms of one or two characters are matched by a scan —
        as substrings in Chinese, as whole words otherwise (``pH``, ``Pb``).
        ``code`` restricts the search to one standard (or edition), ``language`` to ``zh``,
        ``en`` or ``ru``.
        """
        terms = _terms(text)
        if not terms:
            raise LibraryError("give some text to search for")
        where: list[str] = []
        args: list[Any] = []
        long_terms = [t for t in terms if len(t) >= 3]
        short_terms = [t for t in terms if len(t) < 3]
        if long_terms:
            where.append("passages_fts MATCH ?")
            args.append(" AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
        for t in short_terms:
            if all(_CJK.match(ch) for ch in t):  # Chinese has no case: a plain SQL substring
                where.append("instr(p.heading || ' ' || p.text, ?) > 0")
                args.append(t)
                continue
            if t.isascii():  # LIKE folds ASCII case: a fast pre-filter for the word check
                where.append("(p.heading || ' ' || p.text) LIKE ? ESCAPE '\\'")
                args.append("%" + re.sub(r"([%_\\])", r"\\\1", t) + "%")
            where.append("sc_contains(?, p.heading || ' ' || p.text)")
            args.append(t)
        if code:
            ids = [e.id for e in self.find(code)]
            if not ids:
                raise NotInLibrary(code, self.path, self.near(code))
            where.append(f"d.id IN ({','.join('?' * len(ids))})")
            args.extend(ids)
        if language:
            where.append("d.language = ?")
            args.append(language)
        rank = "bm25(passages_fts)" if long_terms else "0.0"
        join = "JOIN passages_fts ON passages_fts.rowid = p.id" if long_terms else ""
        sql = (
            f"SELECT d.code, d.edition, d.language, d.sha256, p.kind, p.ref, p.heading, p.text, "
            f"p.page, {rank} AS rank FROM passages p {join} JOIN documents d ON d.id = p.doc_id "
            f"WHERE {' AND '.join(where)} ORDER BY rank, d.code_key, p.id LIMIT ?"
        )
        args.append(max(1, int(limit)))
        try:
            rows = self._conn.execute(sql, args).fetchall()
        except sqlite3.OperationalError as exc:
            raise LibraryError(f"cannot search for {text!r}: {exc}") from exc
        return [
            Hit(
                code=r["code"],
                edition=r["edition"],
                language=r["language"],
                kind=r["kind"],
                ref=r["ref"],
                heading=r["heading"],
                page=r["page"],
                snippet=snippet(r["heading"] + " " + r["text"], terms),
                sha256=r["sha256"],
                rank=float(r["rank"]),
            )
            for r in rows
        ]


def _refresh_code_keys(conn: sqlite3.Connection) -> None:
    """Recompute the lookup keys when this stdcompare folds codes differently from the one
    that wrote them (new aliases, new look-alike letters)."""
    row = conn.execute("SELECT value FROM info WHERE key = 'code_key_version'").fetchone()
    if row is not None and row[0] == CODE_KEY_VERSION:
        return
    with _transaction(conn):
        rows = conn.execute("SELECT id, base_code FROM documents").fetchall()
        conn.executemany(
            "UPDATE documents SET code_key = ? WHERE id = ?",
            [(code_key(r["base_code"]), r["id"]) for r in rows],
        )
        conn.execute(
            "INSERT OR REPLACE INTO info (key, value) VALUES ('code_key_version', ?)",
            (CODE_KEY_VERSION,),
        )


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run DDL statements one by one (``executescript`` would commit our transaction)."""
    for stmt in _split_sql(script):
        conn.execute(stmt)


def _split_sql(script: str) -> list[str]:
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return [s for s in out if s]


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _file_sha(source: str | Path) -> str | None:
    p = Path(source)
    if not p.is_file():
        return None
    from .._io import sha256_file

    return sha256_file(p)


def _document_json(path: Path) -> Document:
    """A Document saved with ``Document.save`` (JSON)."""
    from ..errors import DocumentError, SchemaError

    try:
        return Document.open(path)
    except (SchemaError, UnicodeDecodeError) as exc:
        raise DocumentError(
            path, f"not a stdcompare Document JSON ({exc})", "give a PDF or a text file"
        ) from exc


def _edition_key(edition: str | None) -> str:
    return code_key(edition or "")


def _passages(doc: Document) -> Iterable[tuple[str, str, str, str, int | None]]:
    """(kind, ref, heading, text, page) for every clause and table row of ``doc``."""
    for c in doc.clauses:
        if c.kind == "toc":
            continue
        if c.heading or c.text:
            yield ("clause", c.id, c.heading, c.text, c.page)
    for t in doc.tables:
        heading = t.caption or t.id
        header = " | ".join(h for h in t.header if h.strip())
        for row in t.rows:
            cells = " | ".join(c for c in row.cells if c.strip())
            if cells:
                text = f"{header}\n{cells}" if header else cells
                yield ("table", t.id, heading, text, row.page)


_TERM = re.compile(r'"([^"]+)"|(\S+)')


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _terms(text: str) -> list[str]:
    terms = []
    for m in _TERM.finditer(normalize(_CONTROL.sub(" ", text))):
        t = (m.group(1) or m.group(2) or "").strip().casefold()
        if t and t not in terms:
            terms.append(t)
    return terms


def snippet(text: str, terms: Sequence[str], width: int = 90) -> str:
    """A one-line excerpt of ``text`` around the first occurrence of any term."""
    flat = " ".join(normalize(text).split())
    folded = flat.casefold()
    positions = [folded.find(t) for t in terms if folded.find(t) >= 0]
    at = min(positions) if positions else 0
    start = max(0, at - width // 3)
    end = min(len(flat), start + width)
    out = flat[start:end]
    return ("…" if start > 0 else "") + out + ("…" if end < len(flat) else "")


__all__ = [
    "AddResult",
    "AmbiguousSpec",
    "Entry",
    "Hit",
    "Library",
    "LibraryError",
    "NotInLibrary",
    "default_library_path",
    "snippet",
]
