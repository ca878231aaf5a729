"""Cross-lingual alignment of clauses and of the products indicators apply to.

- :mod:`.embedders` — ``use`` (default), ``e5``, ``st:NAME_OR_PATH`` behind one protocol;
- :mod:`.cache` — the on-disk embedding cache (SQLite, safe with several processes);
- :mod:`.anchors` — numbers, quantities, units, symbols, codes, INS numbers, references,
  glossary concepts, and their fuzzy agreement;
- :mod:`.fusion` — standardised similarity and anchors → a calibrated probability;
- :mod:`.assign` — one-to-one, monotone, best-match assignment and 1:n links;
- :mod:`.clauses` — :func:`align_clauses`, which puts these together;
- :mod:`.products` — product scopes (food categories, exclusions, grades) used by indicator
  pairing (:func:`stdcompare.gaps.pair_indicators`).
"""

from __future__ import annotations

from .anchors import Anchors, extract_anchors, normalise_clause_id
from .cache import CachedEmbedder, EmbeddingCache, default_cache_dir
from .clauses import MODES, AlignSettings, Scored, align_clauses, score_clauses
from .embedders import (
    E5Embedder,
    Embedder,
    SentenceTransformerEmbedder,
    USEEmbedder,
    get_embedder,
)
from .fusion import CONTEXT_CALIBRATION, PAIR_CALIBRATION, Calibration
from .products import ProductMatcher, Scope, scope

__all__ = [
    "CONTEXT_CALIBRATION",
    "MODES",
    "PAIR_CALIBRATION",
    "AlignSettings",
    "Anchors",
    "CachedEmbedder",
    "Calibration",
    "E5Embedder",
    "Embedder",
    "EmbeddingCache",
    "ProductMatcher",
    "Scope",
    "Scored",
    "SentenceTransformerEmbedder",
    "USEEmbedder",
    "align_clauses",
    "default_cache_dir",
    "extract_anchors",
    "get_embedder",
    "normalise_clause_id",
    "scope",
    "score_clauses",
]
