"""Shared fixtures: an isolated embedding cache, PDF generation, the real Codex PDFs."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL = Path(os.environ.get("STDCOMPARE_REAL_CORPORA", ROOT.parent / "shared" / "corpora-real"))


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test uses a session-wide temporary embedding cache, never the user's."""
    cache = tmp_path_factory.getbasetemp() / "embedding-cache"
    monkeypatch.setenv("STDCOMPARE_CACHE_DIR", str(cache))


@pytest.fixture
def make_pdf(tmp_path: Path) -> Callable[..., Path]:
    """``make_pdf(text_or_pages, name="doc.pdf")`` writes a real PDF with a text layer.

    Pages are separated by form feeds (``\\f``); Chinese is set in STSong-Light, everything
    else in DejaVu Sans (see corpora/pdfgen.py).
    """
    from corpora.pdfgen import render_text

    def make(text: str | list[str], name: str = "doc.pdf", **kwargs: object) -> Path:
        return render_text(text, tmp_path / name, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="session")
def real_pdfs() -> Iterator[Path]:
    if not (REAL / "CXS_193e.pdf").is_file():
        pytest.skip(f"real Codex PDFs not found in {REAL} (set STDCOMPARE_REAL_CORPORA)")
    yield REAL
