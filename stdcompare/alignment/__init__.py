"""Cross-lingual alignment of clauses (and, through the compare stage, of indicators)."""

from __future__ import annotations

from .cache import CachedEmbedder, EmbeddingCache, default_cache_dir
from .clauses import AlignSettings, align_clauses
from .embedders import (
    E5Embedder,
    Embedder,
    SentenceTransformerEmbedder,
    USEEmbedder,
    get_embedder,
)

__all__ = [
    "AlignSettings",
    "CachedEmbedder",
    "E5Embedder",
    "Embedder",
    "EmbeddingCache",
    "SentenceTransformerEmbedder",
    "USEEmbedder",
    "align_clauses",
    "default_cache_dir",
    "get_embedder",
]
