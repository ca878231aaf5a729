"""On-disk embedding cache keyed by model and text.

SQLite in WAL mode with a busy timeout: several processes (batch workers) can read and write
the same cache at once. Vectors are stored as float32 bytes.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .._sqlite import enable_wal
from ..errors import StdCompareError
from .embedders import Embedder, model_id


def default_cache_dir() -> Path:
    """``$STDCOMPARE_CACHE_DIR``, else ``$XDG_CACHE_HOME/stdcompare``, else ``~/.cache/stdcompare``."""
    env = os.environ.get("STDCOMPARE_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "stdcompare"


def _key(model: str, text: str) -> bytes:
    return hashlib.blake2b(f"{model}\x00{text}".encode(), digest_size=20).digest()


class EmbeddingCacheError(StdCompareError, OSError):
    """The embedding cache cannot be opened or written."""


FILE_NAME = "embeddings.sqlite"


def cache_path(path: str | Path | None = None) -> Path:
    """The database file of a cache given as a file (``…/embeddings.sqlite``), a folder to
    keep one in (an existing folder, or a path without a suffix), or nothing (the folder of
    :func:`default_cache_dir`)."""
    p = Path(path).expanduser() if path is not None else default_cache_dir()
    if p.is_dir() or not p.suffix:
        p = p / FILE_NAME
    return p


class EmbeddingCache:
    """A process- and thread-safe store of text embeddings.

    ``path`` is a database file (``…/embeddings.sqlite``) or a folder to keep one in (an
    existing folder, or a path without a suffix); by default :func:`default_cache_dir`.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = cache_path(path)
        self._local = threading.local()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._conn() as con:
                enable_wal(con, 60.0)
                con.execute(
                    "CREATE TABLE IF NOT EXISTS emb "
                    "(k BLOB PRIMARY KEY, dim INTEGER, v BLOB) WITHOUT ROWID"
                )
        except (OSError, sqlite3.Error) as exc:
            raise self._error(exc) from exc

    def _error(self, exc: BaseException) -> EmbeddingCacheError:
        hint = (
            "delete the file (it is only a cache)"
            if isinstance(exc, sqlite3.DatabaseError) and "not a database" in str(exc)
            else "choose another folder with --cache-dir or $STDCOMPARE_CACHE_DIR, or use --no-cache"
        )
        return EmbeddingCacheError(f"{self.path}: cannot use the embedding cache ({exc}); {hint}")

    def _conn(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None or getattr(self._local, "pid", None) != os.getpid():
            con = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            con.execute("PRAGMA busy_timeout=60000")
            con.execute("PRAGMA synchronous=NORMAL")
            self._local.con = con
            self._local.pid = os.getpid()
        return con

    def get_many(self, model: str, texts: Sequence[str]) -> dict[int, np.ndarray]:
        keys = [_key(model, t) for t in texts]
        found: dict[bytes, np.ndarray] = {}
        con = self._conn()
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            q = f"SELECT k, dim, v FROM emb WHERE k IN ({marks})"
            for k, dim, v in con.execute(q, chunk):
                found[k] = np.frombuffer(v, dtype=np.float32, count=dim)
        return {i: found[k] for i, k in enumerate(keys) if k in found}

    def put_many(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [
            (_key(model, t), int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors, strict=True)
        ]
        try:
            con = self._conn()
            con.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        try:
            con.executemany("INSERT OR REPLACE INTO emb (k, dim, v) VALUES (?, ?, ?)", rows)
            con.execute("COMMIT")
        except sqlite3.Error as exc:
            con.execute("ROLLBACK")
            raise self._error(exc) from exc
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def __len__(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM emb").fetchone()[0])

    def clear(self) -> None:
        self._conn().execute("DELETE FROM emb")


class CachedEmbedder:
    """An embedder that looks texts up in an :class:`EmbeddingCache` before encoding them."""

    def __init__(self, embedder: Embedder, cache: EmbeddingCache) -> None:
        self.embedder = embedder
        self.cache = cache
        self.model = model_id(embedder)
        self.hits = 0
        self.misses = 0

    @property
    def model_id(self) -> str:
        return self.model

    @property
    def band(self) -> tuple[float, float] | None:
        """The wrapped embedder's typical unrelated-pair cosine and spread, if it gives one."""
        return getattr(self.embedder, "band", None)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return self.embedder.encode([])
        found = self.cache.get_many(self.model, texts)
        todo = list(dict.fromkeys(t for i, t in enumerate(texts) if i not in found))
        self.hits += len(found)
        new: dict[str, np.ndarray] = {}
        if todo:
            vecs = np.asarray(self.embedder.encode(todo), dtype=np.float32)
            self.cache.put_many(self.model, todo, vecs)
            new = dict(zip(todo, vecs, strict=True))
            self.misses += len(todo)
        rows = [found[i] if i in found else new[t] for i, t in enumerate(texts)]
        return np.vstack(rows).astype(np.float32)
